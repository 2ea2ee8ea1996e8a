//! The JSON API under `/api/`: one handler per CLI command, each a thin
//! call into the engine and a rendering through `detente-report`, so a
//! response is the same document `detente COMMAND --json` prints.
//!
//! The OpenAPI document is generated from the handlers' `#[utoipa::path]`
//! attributes and the request types below (`ApiDoc`), so it cannot drift
//! from the routes; a test checks every route is listed.

use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use detente::analysis::{Config as AnalysisConfig, Resolution};
use detente::budget::{Budget, Cancel};
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig, Reference};
use detente::negotiation::mediated::SingleText;
use detente::negotiation::{registry, setup, Deadline, Protocol};
use detente::{Loaded, Scenario};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{OpenApi, ToSchema};

use crate::error::ApiError;
use crate::{compute, AppState};

/// The generated OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "detente workbench API",
        description = "The detente command line over HTTP: the same engine calls and the same JSON documents (`detente.analysis/1`, `detente.forecast/1`, `detente.negotiation/1`, `detente.robustness/1`) as `--json`."
    ),
    paths(
        health,
        list_scenarios,
        scenario_text,
        check,
        analyze,
        density,
        forecast,
        negotiate,
        report,
        robustness,
        openapi_json
    ),
    components(schemas(
        ErrorBody,
        ScenarioInfo,
        ScenarioList,
        Health,
        CheckRequest,
        AnalyzeRequest,
        DensityRequest,
        ForecastRequest,
        NegotiateRequest,
        ReportRequest,
        RobustnessRequest
    ))
)]
pub struct ApiDoc;

/// Every error answer has at least this field.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in words.
    pub error: String,
}

/// A JSON request body, with failures (bad JSON, wrong content type, a body
/// over the size limit) answered as [`ApiError`] JSON rather than axum's
/// plain text.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than the server's limit of {} bytes", state.limits.body_bytes),
            )),
            Err(rejection) => Err(ApiError::new(rejection.status(), rejection.body_text())),
        }
    }
}

/// Whether the server is up, and how busy.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
    /// detente's version.
    pub version: String,
    /// Computation slots (concurrent engine runs).
    pub slots: usize,
    /// Slots free now.
    pub free: usize,
    /// The most outcomes any request may enumerate.
    pub max_outcomes: u64,
    /// Seconds a computation may run.
    pub deadline_seconds: f64,
    /// The largest request body, in bytes.
    pub body_bytes: usize,
}

#[utoipa::path(get, path = "/api/health", responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        slots: state.limits.concurrent,
        free: state.slots.available_permits(),
        max_outcomes: state.limits.max_outcomes,
        deadline_seconds: state.limits.deadline.as_secs_f64(),
        body_bytes: state.limits.body_bytes,
    })
}

/// One scenario the server offers.
#[derive(Serialize, ToSchema)]
pub struct ScenarioInfo {
    /// What to ask `GET /api/scenarios/{name}` for.
    pub name: String,
    /// One line on what it is.
    pub description: String,
    /// `bundled` (inside the binary) or `file` (named on the command line).
    pub origin: String,
}

/// The scenarios the server offers.
#[derive(Serialize, ToSchema)]
pub struct ScenarioList {
    /// Bundled first, then the command line's files in order.
    pub scenarios: Vec<ScenarioInfo>,
}

#[utoipa::path(get, path = "/api/scenarios", responses((status = 200, description = "The bundled scenarios and the files given on the command line", body = ScenarioList)))]
pub async fn list_scenarios(State(state): State<AppState>) -> Json<ScenarioList> {
    let scenarios = state
        .library
        .entries()
        .iter()
        .map(|e| ScenarioInfo { name: e.name.clone(), description: e.description.clone(), origin: e.origin.into() })
        .collect();
    Json(ScenarioList { scenarios })
}

#[utoipa::path(
    get,
    path = "/api/scenarios/{name}",
    params(("name" = String, Path, description = "A name from `GET /api/scenarios`")),
    responses(
        (status = 200, description = "The scenario's text", content_type = "text/plain", body = String),
        (status = 404, description = "No scenario has that name", body = ErrorBody)
    )
)]
pub async fn scenario_text(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, ApiError> {
    let entry = state.library.get(&name).ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, format!("no scenario is called `{name}`; `GET /api/scenarios` lists them"))
    })?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], entry.text.clone()).into_response())
}

/// A scenario text to check.
#[derive(Deserialize, ToSchema)]
pub struct CheckRequest {
    /// The scenario: native TOML or JSON, GeniusWeb JSON or a stakeholder
    /// table; the format is told from the content.
    pub text: String,
    /// The name diagnostics give the text (default `scenario`).
    #[serde(default)]
    pub name: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/check",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "As `detente check --format json` for one file: `valid` and every diagnostic with code, severity, message, span (line, column), label and help", body = serde_json::Value),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 503, description = "Busy or past the deadline", body = ErrorBody)
    )
)]
pub async fn check(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<CheckRequest>,
) -> Result<Json<Value>, ApiError> {
    // Checks have their own slots: typing in the editor is answered while
    // analyses fill the computation slots.
    compute::run(&state.check_slots, &state.limits, move |_| {
        let loaded = load(&req.text, req.name.as_deref());
        Ok(Json(detente_report::diagnostics::file_json(&loaded)))
    })
    .await
}

/// A scenario to analyse, with what-if edits.
#[derive(Deserialize, ToSchema)]
pub struct AnalyzeRequest {
    /// The scenario text (any format detente reads from one text).
    pub text: String,
    /// What-if edits as `--set` takes them: `japan.reservation=0.3`, `japan.salience.sanctions=0.2`.
    #[serde(default)]
    pub set: Vec<String>,
    /// What-if: constraint labels to drop, as `--drop` takes them.
    #[serde(default)]
    pub drop: Vec<String>,
    /// Scripted statements as `--say` takes them: `ID@ROUND`, the
    /// scenario's statement made at that round (the `timeline` shows it).
    #[serde(default)]
    pub say: Vec<String>,
    /// Also analyse the deal space between events (the `timeline` field
    /// `analyze --timeline --json` adds): one analysis per event.
    #[serde(default)]
    pub timeline: bool,
    /// Grid points per continuous issue, 2 to 1000 (default 11).
    #[serde(default)]
    pub resolution: Option<u32>,
    /// How many best agreements to list (default 5, at most 1000).
    #[serde(default)]
    pub top: Option<usize>,
    /// Also play the scenario's declared `[[plans]]` phase by phase (the
    /// `plans` field `analyze --json` adds); off by default, as it costs
    /// far more than the analysis on the Kuril scenario.
    #[serde(default)]
    pub plans: bool,
    /// Also run the type and pressure sections (the `types` and
    /// `pressures` fields and their text), as `analyze` does; on by
    /// default. The workbench page, which does not show them, turns them
    /// off: on the Kuril file they cost more than the analysis itself.
    #[serde(default = "yes")]
    pub sections: bool,
}

fn yes() -> bool {
    true
}

#[utoipa::path(
    post,
    path = "/api/analyze",
    request_body = AnalyzeRequest,
    responses(
        (status = 200, description = "`analysis`: the `detente.analysis/1` document of `detente analyze --json`; `plane`: the utility plane's data (every outcome's utilities for small spaces, binned counts for large ones, frontiers, solutions, reservations, status quo); `verdict` and `text`: the summary in words", body = serde_json::Value),
        (status = 400, description = "Malformed request or a what-if edit that does not parse", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "The scenario has errors (`check` holds its diagnostics) or the engine refused it (outcome space over the limit)", body = ErrorBody),
        (status = 503, description = "Busy or past the deadline", body = ErrorBody)
    )
)]
pub async fn analyze(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<AnalyzeRequest>,
) -> Result<Json<Value>, ApiError> {
    let max_outcomes = state.limits.max_outcomes;
    let resolution = resolution(req.resolution)?;
    let top = bounded("top", req.top.unwrap_or(5), 0, 1000)?;
    compute::run(&state.slots, &state.limits, move |cancel| {
        let scenario = said(prepare(&req.text, &req.set, &req.drop)?, &req.say)?;
        let mut config = analysis_config(resolution, max_outcomes, cancel);
        config.top = top;
        // Every outcome as a point up to 20,000 (the page draws and hovers
        // them); binned counts above.
        let bins = detente_report::plot::plane::density_config(scenario.parties().len()).bins;
        config.density = Some(detente::analysis::DensityConfig { bins, max_points: MAX_POINTS, window: None });
        let analysis = detente::analysis::analyze(&scenario, &config).map_err(ApiError::refused)?;
        let mut doc = detente_report::analysis::to_json(&scenario, &analysis);
        // Declared plans when asked, as `analyze` reports them; the search
        // for orderings (`--sequences`) is left to the command line.
        if req.plans && !scenario.plans.is_empty() {
            let staging = detente::analysis::stages::stage(&scenario, &config, None).map_err(ApiError::refused)?;
            detente_report::stages::add_to_json(&mut doc, &scenario, &staging);
        }
        if req.timeline && !scenario.events.is_empty() {
            let periods = detente::analysis::timeline::timeline(&scenario, &config).map_err(ApiError::refused)?;
            detente_report::timeline::add_to_json(&mut doc, &scenario, &periods);
        }
        let options = detente_report::analysis::TextOptions { all: false, explain: false };
        let (mut text, _) = detente_report::analysis::to_text_and_terms(&scenario, &analysis, options, None);
        // Types and pressures, as `analyze` reports them, unless left out.
        if req.sections {
            let sections = detente_report::types::Sections::run(&scenario, &config).map_err(ApiError::refused)?;
            sections.add_to_json(&mut doc, &scenario);
            text.push_str(&sections.to_text(&scenario));
        }
        // The summary opens with the title, then the verdict paragraph.
        let verdict = text.split("\n\n").nth(1).unwrap_or_default().trim().to_owned();
        let plane = detente_report::plane::to_json(&scenario, &analysis, config.resolution);
        let controls = controls(&scenario, &analysis);
        Ok(Json(json!({ "analysis": doc, "plane": plane, "verdict": verdict, "text": text, "controls": controls })))
    })
    .await
}

/// A part of one pair's utility plane to count outcomes in, finer than the
/// whole-plane density `analyze` sends for large spaces.
#[derive(Deserialize, ToSchema)]
pub struct DensityRequest {
    /// The scenario text.
    pub text: String,
    /// What-if edits, as for `analyze`.
    #[serde(default)]
    pub set: Vec<String>,
    /// Constraint labels to drop, as for `analyze`.
    #[serde(default)]
    pub drop: Vec<String>,
    /// Grid points per continuous issue, 2 to 1000 (default 11).
    #[serde(default)]
    pub resolution: Option<u32>,
    /// Position (in the plane's `parties`) of the party on the horizontal axis.
    pub x: usize,
    /// Position of the party on the vertical axis.
    pub y: usize,
    /// Utilities `[low, high]` along `x`.
    pub x_range: [f64; 2],
    /// Utilities `[low, high]` along `y`.
    pub y_range: [f64; 2],
    /// Bins per axis, 1 to 400 (default: as many as the whole plane has).
    #[serde(default)]
    pub bins: Option<usize>,
}

#[utoipa::path(
    post,
    path = "/api/density",
    request_body = DensityRequest,
    responses(
        (status = 200, description = "The outcomes counted in `bins` × `bins` cells of the window: `all` and `agreement` row-major (row along `y`, from `y_range[0]` up), `outside_window` the rest, `outcomes` the whole space", body = serde_json::Value),
        (status = 400, description = "Malformed request, a what-if edit that does not parse, or a window that is not a rectangle of two parties' plane", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "The scenario has errors or the engine refused it", body = ErrorBody),
        (status = 503, description = "Busy or past the deadline", body = ErrorBody)
    )
)]
pub async fn density(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<DensityRequest>,
) -> Result<Json<Value>, ApiError> {
    let max_outcomes = state.limits.max_outcomes;
    let resolution = resolution(req.resolution)?;
    let bins = req.bins.map(|b| bounded("bins", b, 1, 400)).transpose()?;
    let range = |what: &str, [low, high]: [f64; 2]| {
        if low.is_finite() && high.is_finite() && low < high {
            Ok((low, high))
        } else {
            Err(ApiError::bad_request(format!("{what} must be [low, high] with low < high, both finite")))
        }
    };
    let (x_range, y_range) = (range("x_range", req.x_range)?, range("y_range", req.y_range)?);
    compute::run(&state.slots, &state.limits, move |cancel| {
        let scenario = prepare(&req.text, &req.set, &req.drop)?;
        let n = scenario.parties().len();
        if req.x >= n || req.y >= n || req.x == req.y {
            return Err(ApiError::bad_request(format!(
                "x and y must be two different parties' positions, from 0 to {}",
                n.saturating_sub(1)
            )));
        }
        let mut config = analysis_config(resolution, max_outcomes, cancel);
        let bins = bins.unwrap_or(detente_report::plot::plane::density_config(n).bins);
        let window = detente::analysis::Window { x: req.x, y: req.y, x_range, y_range };
        config.density = Some(detente::analysis::DensityConfig { bins, max_points: 0, window: Some(window) });
        let analysis = detente::analysis::analyze(&scenario, &config).map_err(ApiError::refused)?;
        Ok(Json(detente_report::plane::window_json(&analysis)))
    })
    .await
}

/// A scenario to forecast.
#[derive(Deserialize, ToSchema)]
pub struct ForecastRequest {
    /// The scenario text or stakeholder table.
    pub text: String,
    /// Models by registry name (`detente forecast --help` lists them); all by default.
    #[serde(default)]
    pub models: Vec<String>,
    /// The most rounds an iterating model plays, 1 to 10000 (default: the model's own).
    #[serde(default)]
    pub rounds: Option<usize>,
}

#[utoipa::path(
    post,
    path = "/api/forecast",
    request_body = ForecastRequest,
    responses(
        (status = 200, description = "The `detente.forecast/1` document of `detente forecast --json`", body = serde_json::Value),
        (status = 400, description = "Malformed request or an unknown model", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "The scenario has errors or the engine refused it", body = ErrorBody),
        (status = 503, description = "Busy or past the deadline", body = ErrorBody)
    )
)]
pub async fn forecast(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<ForecastRequest>,
) -> Result<Json<Value>, ApiError> {
    use detente::forecast::registry::{self as models, MODELS};
    let mut chosen = Vec::new();
    for name in &req.models {
        let info = models::model(name).ok_or_else(|| {
            let names: Vec<&str> = MODELS.iter().map(|m| m.name).collect();
            ApiError::bad_request(format!("no forecast model is called `{name}`; the models are {}", names.join(", ")))
        })?;
        if !chosen.iter().any(|m: &&models::ModelInfo| m.name == info.name) {
            chosen.push(info);
        }
    }
    if chosen.is_empty() {
        chosen = MODELS.iter().collect();
    }
    let max_rounds = req.rounds.map(|r| bounded("rounds", r, 1, 10_000)).transpose()?;
    let max_outcomes = state.limits.max_outcomes;
    compute::run(&state.slots, &state.limits, move |cancel| {
        let loaded = load(&req.text, None);
        let scenario = loaded_scenario(&loaded)?;
        let config = detente::forecast::issues::Config { models: chosen, max_rounds, monte_carlo: None };
        let budget = Budget { cancel: cancel.clone(), ..Budget::new(max_outcomes as u128) };
        let forecasts = detente::forecast::issues::forecast_scenario_with(
            scenario,
            loaded.table_power.as_deref(),
            &config,
            &|_, _| {},
            &budget,
        )
        .map_err(ApiError::refused)?;
        Ok(Json(detente_report::forecast::forecast_to_json(scenario, &forecasts, None)))
    })
    .await
}

/// Simulated talks.
#[derive(Deserialize, ToSchema)]
pub struct NegotiateRequest {
    /// The scenario text.
    pub text: String,
    /// As `--strategy`: `PARTY=STRATEGY[:key=value,…]`, or `STRATEGY` for every party not named.
    #[serde(default)]
    pub strategies: Vec<String>,
    /// The strategy of parties no entry names (default `boulware`).
    #[serde(default)]
    pub default_strategy: Option<String>,
    /// `alternating` (default) or `mediated`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Deadline in rounds, 1 to 100000 (default 100).
    #[serde(default)]
    pub rounds: Option<u32>,
    /// Seed of every random choice (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// The party that opens.
    #[serde(default)]
    pub first: Option<String>,
    /// What-if edits before the talks, as for `analyze`.
    #[serde(default)]
    pub set: Vec<String>,
    /// What-if: constraint labels to drop.
    #[serde(default)]
    pub drop: Vec<String>,
    /// Scripted statements, as `--say`: `ID@ROUND`, the scenario's
    /// statement made by its speaker at that round.
    #[serde(default)]
    pub say: Vec<String>,
}

#[utoipa::path(
    post,
    path = "/api/negotiate",
    request_body = NegotiateRequest,
    responses(
        (status = 200, description = "The `detente.negotiation/1` document of `detente negotiate --json`, every offer with its utilities in `trace`", body = serde_json::Value),
        (status = 400, description = "Malformed request, an unknown strategy or party", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "The scenario has errors or the engine refused it", body = ErrorBody),
        (status = 503, description = "Busy or past the deadline", body = ErrorBody)
    )
)]
pub async fn negotiate(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<NegotiateRequest>,
) -> Result<Json<Value>, ApiError> {
    let rounds = bounded("rounds", req.rounds.unwrap_or(100) as usize, 1, 100_000)?;
    let deadline = Deadline::rounds(rounds);
    let mediated = match req.protocol.as_deref().unwrap_or("alternating") {
        "alternating" => false,
        "mediated" => true,
        other => return Err(ApiError::bad_request(format!("no protocol `{other}`: use `alternating` or `mediated`"))),
    };
    let default = registry::parse(req.default_strategy.as_deref().unwrap_or("boulware"))
        .map_err(|e| ApiError::bad_request(format!("default_strategy: {e}")))?;
    let seed = req.seed.unwrap_or(1);
    let max_outcomes = state.limits.max_outcomes;
    compute::run(&state.slots, &state.limits, move |cancel| {
        let protocol: Box<dyn Protocol> =
            if mediated { Box::new(SingleText { deadline }) } else { Box::new(AlternatingOffers { deadline }) };
        let scenario = said(prepare(&req.text, &req.set, &req.drop)?, &req.say)?;
        let config = DomainConfig { resolution: Resolution::default(), max_outcomes, search: true };
        let domain = Domain::new_with(&scenario, &config, cancel, &|_, _| {}).map_err(ApiError::refused)?;
        let table = setup::seat(scenario, domain, req.first.as_deref(), &req.strategies, &default, &config, cancel)
            .map_err(|e| match e {
                setup::SetupError::First(m) => ApiError::bad_request(format!("first: {m}")),
                setup::SetupError::Strategies(e) => ApiError::bad_request(format!("strategies: {e}")),
                setup::SetupError::Engine(e) => ApiError::refused(e),
            })?;
        let setup::Table { scenario, domain, parties, specs, defaulted } = table;
        let session = detente::negotiation::run_with(protocol.as_ref(), &domain, &parties, &specs, seed, true, cancel)
            .map_err(ApiError::refused)?;
        let reference = Reference::new(&domain, &parties);
        let evaluation = detente::negotiation::evaluate::evaluate(&domain, &reference, &session);
        let labels: Vec<String> = specs.iter().map(ToString::to_string).collect();
        let talks = detente_report::negotiation::Talks {
            scenario: &scenario,
            domain: &domain,
            protocol: protocol.name(),
            deadline: protocol.deadline(),
            seed,
            strategies: &labels,
            defaulted: &defaulted,
            session: &session,
            evaluation: &evaluation,
        };
        Ok(Json(detente_report::negotiation::to_json(&talks)))
    })
    .await
}

/// A report to render.
#[derive(Deserialize, ToSchema)]
pub struct ReportRequest {
    /// The scenario text.
    pub text: String,
    /// What-if edits, as for `analyze`.
    #[serde(default)]
    pub set: Vec<String>,
    /// What-if: constraint labels to drop.
    #[serde(default)]
    pub drop: Vec<String>,
}

#[utoipa::path(
    post,
    path = "/api/report",
    request_body = ReportRequest,
    responses(
        (status = 200, description = "The self-contained HTML report of `detente report`", content_type = "text/html", body = String),
        (status = 400, description = "Malformed request or a what-if edit that does not parse", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "The scenario has errors or the engine refused it", body = ErrorBody),
        (status = 503, description = "Busy or past the deadline", body = ErrorBody)
    )
)]
pub async fn report(State(state): State<AppState>, ApiJson(req): ApiJson<ReportRequest>) -> Result<Response, ApiError> {
    let max_outcomes = state.limits.max_outcomes;
    compute::run(&state.slots, &state.limits, move |cancel| {
        let loaded = load(&req.text, None);
        let original = loaded_scenario(&loaded)?;
        let edits = detente::whatif::parse_edits(original, &req.set, &req.drop)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let power = loaded.table_power.as_deref().map(|p| detente::whatif::apply_to_power(p, &edits));
        let scenario = detente::whatif::apply(original, &edits);
        let mut config = analysis_config(Resolution::default(), max_outcomes, cancel);
        config.density = Some(detente_report::plot::plane::density_config(scenario.parties().len()));
        let analysis = detente::analysis::analyze(&scenario, &config).map_err(ApiError::refused)?;
        let budget = Budget { cancel: cancel.clone(), ..Budget::new(max_outcomes as u128) };
        let doc = detente_report::report::build_with_budget(&scenario, &analysis, power.as_deref(), &budget)
            .map_err(ApiError::refused)?;
        let html = detente_report::report::html::render(&doc);
        Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
    })
    .await
}

/// A robustness study.
#[derive(Deserialize, ToSchema)]
pub struct RobustnessRequest {
    /// The scenario text, with `[[uncertain]]` tables or `vary` entries.
    pub text: String,
    /// Base samples N, 1 to 65536 (default 1024); N·(2D + 2) verdicts for D judgements.
    #[serde(default)]
    pub samples: Option<u32>,
    /// Chooses the Sobol sequence's scramble (default 0).
    #[serde(default)]
    pub seed: Option<u64>,
    /// As `--vary`: `PATH=LO..HI`, e.g. `japan.reservation=0.2..0.5`.
    #[serde(default)]
    pub vary: Vec<String>,
}

#[utoipa::path(
    post,
    path = "/api/robustness",
    request_body = RobustnessRequest,
    responses(
        (status = 200, description = "The `detente.robustness/1` document of `detente robustness --json`", body = serde_json::Value),
        (status = 400, description = "Malformed request or a `vary` that does not parse", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 422, description = "The scenario has errors or the engine refused it", body = ErrorBody),
        (status = 503, description = "Busy or past the deadline", body = ErrorBody)
    )
)]
pub async fn robustness(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RobustnessRequest>,
) -> Result<Json<Value>, ApiError> {
    let samples = bounded("samples", req.samples.unwrap_or(1024) as usize, 1, 65_536)?;
    let seed = req.seed.unwrap_or(0);
    let max_outcomes = state.limits.max_outcomes;
    compute::run(&state.slots, &state.limits, move |cancel| {
        let loaded = load(&req.text, None);
        let scenario = loaded_scenario(&loaded)?;
        let mut extra = Vec::new();
        for arg in &req.vary {
            extra.push(
                detente::whatif::parse_vary(scenario, arg)
                    .map_err(|e| ApiError::bad_request(format!("vary {arg}: {e}")))?,
            );
        }
        let judgements = detente::robustness::judgements(scenario, &extra);
        let config = detente::robustness::Config {
            samples,
            seed,
            analysis: analysis_config(Resolution::default(), max_outcomes, cancel),
            prim: detente::robustness::PrimConfig::ema(),
        };
        let result =
            detente::robustness::study(scenario, &judgements, &config, &|_, _| {}).map_err(ApiError::refused)?;
        Ok(Json(detente_report::robustness::to_json(scenario, &result)))
    })
    .await
}

#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200, description = "This document", body = serde_json::Value)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Unknown paths under `/api/`: JSON, like every other answer there.
pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such endpoint; `GET /api/openapi.json` lists them")
}

/// The most outcomes `analyze` sends one by one for the page to draw.
const MAX_POINTS: u64 = 20_000;

/// What the page's what-if controls start from, in `set`'s path language:
/// every actor's reservation (as the analysis used it) and saliences
/// (`ACTOR.salience.ISSUE`), and every constraint (`drop` takes its label).
fn controls(s: &Scenario, a: &detente::analysis::Analysis) -> Value {
    let actors: Vec<Value> = s
        .actors
        .iter()
        .enumerate()
        .map(|(k, actor)| {
            let saliences: Vec<Value> = actor
                .stances
                .iter()
                .map(|st| json!({ "issue": s.issues[st.issue].id, "salience": st.salience }))
                .collect();
            json!({
                "id": actor.id,
                "name": actor.name.as_deref().unwrap_or(&actor.id),
                "role": actor.role.as_str(),
                "reservation": a.reservations[k],
                "saliences": saliences,
            })
        })
        .collect();
    let constraints: Vec<Value> = s
        .constraints
        .iter()
        .map(|c| json!({ "label": c.label, "owner": s.actors[c.owner].id, "rule": c.rule_text, "description": c.description }))
        .collect();
    json!({ "actors": actors, "constraints": constraints })
}

/// Reads a text the way `detente check` reads a file: the format told from
/// the content.
fn load(text: &str, name: Option<&str>) -> Loaded {
    detente::load_bytes(name.unwrap_or("scenario"), text.as_bytes())
}

/// The scenario of `loaded`, or 422 with its diagnostics.
fn loaded_scenario(loaded: &Loaded) -> Result<&Scenario, ApiError> {
    loaded.scenario.as_ref().ok_or_else(|| ApiError::invalid_scenario(detente_report::diagnostics::file_json(loaded)))
}

/// `scenario` with the statements of `say` (`ID@ROUND`, as `--say`) made.
fn said(scenario: Scenario, say: &[String]) -> Result<Scenario, ApiError> {
    scenario.with_said_args(say).map_err(|e| ApiError::bad_request(format!("say {e}")))
}

/// The scenario of `text` with the what-if edits applied.
fn prepare(text: &str, set: &[String], drop: &[String]) -> Result<Scenario, ApiError> {
    let loaded = load(text, None);
    let scenario = loaded_scenario(&loaded)?;
    let edits = detente::whatif::parse_edits(scenario, set, drop).map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(detente::whatif::apply(scenario, &edits))
}

/// The analysis options every endpoint shares: the server's outcome limit
/// and the request's cancel flag.
fn analysis_config(resolution: Resolution, max_outcomes: u64, cancel: &Cancel) -> AnalysisConfig {
    let mut config = AnalysisConfig::new();
    config.resolution = resolution;
    config.max_outcomes = max_outcomes as u128;
    config.cancel = cancel.clone();
    config
}

fn resolution(points: Option<u32>) -> Result<Resolution, ApiError> {
    Ok(Resolution { points: bounded("resolution", points.unwrap_or(11) as usize, 2, 1000)? })
}

fn bounded(what: &str, value: usize, low: usize, high: usize) -> Result<usize, ApiError> {
    if (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::bad_request(format!("{what} must be from {low} to {high}, not {value}")))
    }
}
