//! `detente forecast` and `detente backtest` output: readable text and the
//! `detente.forecast/1` and `detente.backtest/1` JSON documents (documented
//! in `docs/forecast.md`).

use std::fmt::Write as _;

use detente::forecast::backtest::{period_label, Backtest, Score, PERIODS};
use detente::forecast::input::ForecastInput;
use detente::forecast::issues::{ModelRun, ScenarioForecast, SpatialForecast};
use detente::forecast::montecarlo::{MonteCarlo, Scope, Summary};
use detente::forecast::outcome::{Assembly, OutcomeForecast};
use detente::forecast::runner::Run;
use detente::forecast::{MetricValue, Round};
use detente::scenario::{Domain, Scenario};
use detente::Diagnostic;
use serde_json::{json, Map, Value as Json};

use crate::analysis::value_json;
use crate::object;
use crate::text::{changes_text, column_width};

/// Name and version of the forecast document.
pub const FORECAST_SCHEMA: &str = "detente.forecast/1";
/// Name and version of the backtest document.
pub const BACKTEST_SCHEMA: &str = "detente.backtest/1";

/// A position: a number on one dimension, a list with one number per
/// dimension otherwise.
fn position_json(xs: &[f64]) -> Json {
    match xs {
        [x] => json!(x),
        xs => json!(xs),
    }
}

fn diagnostic_json(d: &Diagnostic) -> Json {
    json!({ "code": d.code, "severity": d.severity.as_str(), "message": d.message, "help": d.help })
}

/// One round's `{actor: position}` map.
fn positions_json(input: &ForecastInput, round: &Round) -> Json {
    let mut map = Map::new();
    for (k, actor) in input.actors().iter().enumerate() {
        map.insert(actor.id.clone(), position_json(round.position(k)));
    }
    Json::Object(map)
}

/// One round's forecast and metrics.
fn trace_json(input: &ForecastInput, round: &Round) -> Json {
    let ids = |k: usize| input.actors().get(k).map_or(String::new(), |a| a.id.clone());
    let mut map = Map::new();
    map.insert("round".into(), json!(round.round));
    map.insert("forecast".into(), position_json(&round.forecast));
    for m in &round.metrics {
        let value = match &m.value {
            MetricValue::Number(x) => json!(x),
            MetricValue::PerActor(xs) => {
                Json::Object(xs.iter().enumerate().map(|(k, x)| (ids(k), json!(x))).collect::<Map<_, _>>())
            }
            MetricValue::Positions(xs) => {
                let d = round.dimensions.max(1);
                Json::Object(
                    xs.chunks(d).enumerate().map(|(k, row)| (ids(k), position_json(row))).collect::<Map<_, _>>(),
                )
            }
            MetricValue::Moves(moves) => Json::Array(
                moves
                    .iter()
                    .map(|mv| {
                        json!({
                            "actor": ids(mv.actor),
                            "kind": mv.kind.as_str(),
                            "counterpart": mv.counterpart.map(ids),
                            "from": position_json(&mv.from),
                            "to": position_json(&mv.to),
                        })
                    })
                    .collect(),
            ),
        };
        map.insert(m.name.into(), value);
    }
    Json::Object(map)
}

fn summary_json(s: &Summary) -> Json {
    let quantiles: Map<String, Json> = s.quantiles.iter().map(|(p, q)| (format!("{p:.2}"), json!(q))).collect();
    json!({
        "mean": s.mean,
        "sd": s.sd,
        "min": s.min,
        "max": s.max,
        "quantiles": quantiles,
        "interval80": [s.interval80.0, s.interval80.1],
    })
}

/// A Monte Carlo study: settings, the distribution of the forecast (per
/// dimension when there are several) and the tornado.
fn monte_carlo_json(
    input: &ForecastInput,
    settings: &detente::forecast::issues::MonteCarloSettings,
    mc: &MonteCarlo,
) -> Json {
    let perturbations: Vec<Json> = settings
        .perturbations
        .iter()
        .map(|p| {
            json!({
                "actor": match &p.scope { Scope::Every => Json::Null, Scope::Actor(id) => json!(id) },
                "target": p.target.as_str(),
                "distribution": p.distribution.name(),
                "spread": p.distribution.spread(),
            })
        })
        .collect();
    let distribution = match mc.summaries.as_slice() {
        [one] => summary_json(one),
        many => Json::Array(many.iter().map(summary_json).collect()),
    };
    let tornado: Vec<Json> = mc
        .tornado
        .iter()
        .map(|b| {
            json!({
                "actor": input.actors()[b.actor].id,
                "target": b.target.as_str(),
                "dimension": b.dimension,
                "values": [b.values.0, b.values.1],
                "forecasts": [b.forecasts.0, b.forecasts.1],
                "swing": b.swing,
            })
        })
        .collect();
    object([
        ("runs", json!(settings.runs)),
        ("seed", json!(settings.seed)),
        ("perturbations", Json::Array(perturbations)),
        ("base", position_json(&mc.base)),
        ("distribution", distribution),
        ("tornado", Json::Array(tornado)),
    ])
}

fn run_json(
    input: &ForecastInput,
    model: &ModelRun,
    settings: Option<&detente::forecast::issues::MonteCarloSettings>,
) -> Json {
    let mut out = run_json_plain(input, model);
    if let (Some(settings), Some(mc), Json::Object(map)) = (settings, &model.monte_carlo, &mut out) {
        map.insert("monte_carlo".into(), monte_carlo_json(input, settings, mc));
    }
    out
}

fn run_json_plain(input: &ForecastInput, model: &ModelRun) -> Json {
    match &model.result {
        Err(e) => json!({ "model": model.model, "iterates": model.iterates, "error": e.to_string() }),
        Ok(run) => object([
            ("model", json!(model.model)),
            ("iterates", json!(model.iterates)),
            ("forecast", position_json(run.forecast())),
            ("termination", json!(run.termination.as_str())),
            ("cycle", cycle_json(run)),
            ("rounds_played", json!(run.last().round)),
            ("rounds", Json::Array(run.rounds.iter().map(|r| positions_json(input, r)).collect())),
            ("trace", Json::Array(run.rounds.iter().map(|r| trace_json(input, r)).collect())),
        ]),
    }
}

/// `{period, range}` for a run that ended oscillating, else `null`: the
/// range is `[low, high]` of the forecast over one period (a list of them,
/// one per dimension, for a multi-issue run, as `forecast` is).
fn cycle_json(run: &Run) -> Json {
    match run.cycle() {
        None => Json::Null,
        Some(c) => {
            let ranges: Vec<Json> = c.range.iter().map(|&(lo, hi)| json!([lo, hi])).collect();
            let range = match <[Json; 1]>::try_from(ranges) {
                Ok([one]) => one,
                Err(many) => Json::Array(many),
            };
            json!({ "period": c.period, "range": range })
        }
    }
}

/// Why a run stopped, for people: an oscillation with its range in the
/// forecast's own words (`value` formats one dimension's value).
fn stopped_text(run: &Run, value: impl Fn(usize, f64) -> String) -> String {
    match run.cycle() {
        Some(c) => {
            let ranges: Vec<String> = c
                .range
                .iter()
                .enumerate()
                .map(|(d, &(lo, hi))| format!("between {} and {}", value(d, lo), value(d, hi)))
                .collect();
            format!("oscillates {} (period {})", ranges.join("; "), c.period)
        }
        None => run.termination.as_str().to_string(),
    }
}

/// An issue's scale: its range and, for ordered options, their labels.
fn scale_json(scenario: &Scenario, issue: usize, min: f64, max: f64) -> Json {
    let options = match &scenario.issues[issue].domain {
        Domain::Discrete { options, ordered: true } => Some(options.clone()),
        _ => None,
    };
    json!({ "min": min, "max": max, "options": options })
}

/// The `detente.forecast/1` document for the forecasts of `scenario`;
/// `monte_carlo` is the study's settings when one was run.
pub fn forecast_to_json(
    scenario: &Scenario,
    forecasts: &ScenarioForecast,
    monte_carlo: Option<&detente::forecast::issues::MonteCarloSettings>,
) -> Json {
    let issues: Vec<Json> = forecasts
        .issues
        .iter()
        .map(|f| {
            let issue = &scenario.issues[f.issue];
            let mut out = Map::new();
            out.insert("issue".into(), json!(issue.id));
            out.insert("name".into(), json!(issue.name));
            if let Some(input) = &f.input {
                let d = &input.dimensions()[0];
                out.insert("scale".into(), scale_json(scenario, f.issue, d.min, d.max));
                out.insert("status_quo".into(), json!(d.status_quo));
            }
            finish_json(out, f.input.as_ref(), &f.runs, &f.diagnostics, monte_carlo)
        })
        .collect();
    let spatial = forecasts.spatial.as_ref().map_or(Json::Null, |f| spatial_json(scenario, f, monte_carlo));
    object([
        ("schema", json!(FORECAST_SCHEMA)),
        ("scenario", json!(scenario.name)),
        ("issues", Json::Array(issues)),
        ("spatial", spatial),
        ("outcomes", outcomes_json(scenario, &forecasts.outcomes)),
    ])
}

/// A spatial forecast: the issues as dimensions, positions as lists.
fn spatial_json(
    scenario: &Scenario,
    f: &SpatialForecast,
    monte_carlo: Option<&detente::forecast::issues::MonteCarloSettings>,
) -> Json {
    let mut out = Map::new();
    out.insert("issues".into(), json!(f.issues.iter().map(|&i| scenario.issues[i].id.clone()).collect::<Vec<_>>()));
    if let Some(input) = &f.input {
        let dims = input.dimensions();
        let scales: Vec<Json> =
            f.issues.iter().zip(dims).map(|(&i, d)| scale_json(scenario, i, d.min, d.max)).collect();
        out.insert("scales".into(), Json::Array(scales));
        out.insert("status_quo".into(), json!(dims.iter().map(|d| d.status_quo).collect::<Vec<_>>()));
    }
    finish_json(out, f.input.as_ref(), &f.runs, &f.diagnostics, monte_carlo)
}

/// What an issue's and the spatial forecast's JSON end with: the actors and
/// the runs (none without an input), then the diagnostics.
fn finish_json(
    mut out: Map<String, Json>,
    input: Option<&ForecastInput>,
    runs: &[ModelRun],
    diagnostics: &[Diagnostic],
    monte_carlo: Option<&detente::forecast::issues::MonteCarloSettings>,
) -> Json {
    match input {
        Some(input) => {
            out.insert("actors".into(), json!(input.actors().iter().map(|a| a.id.clone()).collect::<Vec<_>>()));
            out.insert("forecasts".into(), Json::Array(runs.iter().map(|r| run_json(input, r, monte_carlo)).collect()));
        }
        None => {
            out.insert("forecasts".into(), json!([]));
        }
    }
    out.insert("diagnostics".into(), Json::Array(diagnostics.iter().map(diagnostic_json).collect()));
    Json::Object(out)
}

/// Decimals to show on a scale of width `span`.
fn decimals(span: f64) -> usize {
    if span >= 20.0 {
        2
    } else {
        4
    }
}

/// `x` with `dec` decimals, or in scientific notation (`1.234e200`) beyond
/// 10¹⁵, where fixed notation would print hundreds of digits.
fn fixed(x: f64, dec: usize) -> String {
    if x.abs() >= 1e15 {
        return format!("{x:.3e}");
    }
    format!("{x:.dec$}")
}

/// The forecast as text, with the nearest option on issues with options.
fn forecast_text(scenario: &Scenario, issue: usize, xs: &[f64], dec: usize) -> String {
    let mut out = xs.iter().map(|x| fixed(*x, dec)).collect::<Vec<_>>().join(", ");
    if let (Domain::Discrete { options, .. }, [x]) = (&scenario.issues[issue].domain, xs) {
        let last = options.len().saturating_sub(1) as f64;
        let x = x.clamp(0.0, last);
        let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
        if x - x.floor() == 0.5 {
            if let (Some(a), Some(b)) = (options.get(lo), options.get(hi)) {
                let _ = write!(out, " (halfway between `{a}` and `{b}`)");
            }
        } else if let Some(label) = options.get(x.round() as usize) {
            let _ = write!(out, " (nearest option `{label}`)");
        }
    }
    out
}

/// The scale of an issue for people: its range, or its options.
fn scale_text(scenario: &Scenario, issue: usize, min: f64, max: f64, dec: usize) -> String {
    match &scenario.issues[issue].domain {
        Domain::Discrete { options, .. } => {
            let labels: Vec<String> = options.iter().enumerate().map(|(k, o)| format!("{k} `{o}`")).collect();
            format!("options {}", labels.join(", "))
        }
        _ => format!("scale {} to {}", fixed(min, dec), fixed(max, dec)),
    }
}

/// The model table: model, forecast, rounds played, why the run stopped
/// (an oscillating model's forecast is its last round, one point of the
/// cycle the last column describes). `value` formats dimension `d`.
fn models_table(
    out: &mut String,
    runs: &[ModelRun],
    forecast: impl Fn(&[f64]) -> String,
    value: impl Fn(usize, f64) -> String,
) {
    let rows: Vec<[String; 4]> = runs
        .iter()
        .map(|r| match &r.result {
            Err(e) => [r.model.to_string(), "-".to_string(), "-".to_string(), e.to_string()],
            Ok(run) => [
                r.model.to_string(),
                // An oscillation has no forecast; the last column says why.
                if run.cycle().is_some() { "-".to_string() } else { forecast(run.forecast()) },
                run.last().round.to_string(),
                stopped_text(run, &value),
            ],
        })
        .collect();
    let header = ["model", "forecast", "rounds", "stopped"];
    let w: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).chain([header[c].len()]).max().unwrap_or(0))
        .map(column_width)
        .collect();
    let _ = writeln!(
        out,
        "  {:w0$}  {:w1$}  {:>w2$}  {}",
        header[0],
        header[1],
        header[2],
        header[3],
        w0 = w[0],
        w1 = w[1],
        w2 = w[2]
    );
    for r in &rows {
        let _ = writeln!(out, "  {:w0$}  {:w1$}  {:>w2$}  {}", r[0], r[1], r[2], r[3], w0 = w[0], w1 = w[1], w2 = w[2]);
    }
}

/// A readable summary of forecasts: per issue a table of models, each
/// iterating model's forecast by round, and with `trace` every actor's
/// position by round and the moves; then the spatial models' forecast of
/// all issues at once.
pub fn forecast_to_text(scenario: &Scenario, forecasts: &ScenarioForecast, trace: bool) -> String {
    let mut out = String::new();
    if !forecasts.issues.is_empty() {
        let _ = writeln!(out, "{}: forecasts issue by issue", scenario.name);
    }
    for f in &forecasts.issues {
        let issue = &scenario.issues[f.issue];
        let _ = writeln!(out);
        let Some(input) = &f.input else {
            let _ = writeln!(out, "{}: not forecast", issue.id);
            for d in &f.diagnostics {
                let _ = writeln!(out, "  {}[{}]: {}", d.severity.as_str(), d.code, d.message);
            }
            continue;
        };
        let d = &input.dimensions()[0];
        let dec = decimals(d.max - d.min);
        let sq = d.status_quo.map_or("no status quo".to_string(), |q| {
            format!("status quo {}", forecast_text(scenario, f.issue, &[q], dec).replace("(nearest option ", "("))
        });
        let _ = writeln!(
            out,
            "{} ({}; {sq}), {} actor{}",
            issue.id,
            scale_text(scenario, f.issue, d.min, d.max, dec),
            input.actors().len(),
            if input.actors().len() == 1 { "" } else { "s" }
        );
        for diag in &f.diagnostics {
            let _ = writeln!(out, "  {}[{}]: {}", diag.severity.as_str(), diag.code, diag.message);
        }
        models_table(
            &mut out,
            &f.runs,
            |xs| forecast_text(scenario, f.issue, xs, dec),
            |_, x| forecast_text(scenario, f.issue, &[x], dec),
        );
        for r in &f.runs {
            if let Some(mc) = &r.monte_carlo {
                monte_carlo_text(&mut out, input, r.model, mc, dec);
            }
        }
        for r in f.runs.iter().filter(|r| r.iterates) {
            let Ok(run) = &r.result else { continue };
            let by_round: Vec<String> = run.rounds.iter().map(|x| fixed(x.forecast1(), dec)).collect();
            let _ = writeln!(out, "  {} by round: {}", r.model, by_round.join(" "));
            if trace {
                positions_text(&mut out, input, run, 0, dec);
                events_text(&mut out, input, run, &[dec]);
            }
        }
    }
    if let Some(f) = &forecasts.spatial {
        if !out.is_empty() {
            let _ = writeln!(out);
        }
        spatial_text(&mut out, scenario, f, trace);
    }
    outcomes_text(&mut out, scenario, &forecasts.outcomes);
    out
}

/// Each model's forecast as a whole outcome: the constraints it breaks,
/// with their owners, and the nearest outcome none forbids.
fn outcomes_text(out: &mut String, scenario: &Scenario, outcomes: &[OutcomeForecast]) {
    if outcomes.is_empty() || scenario.constraints.is_empty() {
        return;
    }
    if !out.is_empty() {
        let _ = writeln!(out);
    }
    let broken = outcomes.iter().filter(|o| !o.breaks.is_empty()).count();
    let _ = writeln!(
        out,
        "The forecasts as whole outcomes (the models do not read constraints): {broken} of {} break a constraint.",
        outcomes.len()
    );
    for o in outcomes {
        let how = match o.assembly {
            Assembly::IssueByIssue => "issue by issue",
            Assembly::Joint => "all issues at once",
        };
        let _ = writeln!(out, "  {} ({how}): {}", o.model, changes_text(scenario, &o.outcome));
        if !o.at_status_quo.is_empty() {
            let ids: Vec<&str> = o.at_status_quo.iter().map(|&i| scenario.issues[i].id.as_str()).collect();
            let _ = writeln!(
                out,
                "    no single forecast (none, or an oscillation), so at the status quo: {}",
                ids.join(", ")
            );
        }
        if !o.moot.is_empty() {
            let ids: Vec<String> = o
                .moot
                .iter()
                .map(|&i| {
                    let issue = &scenario.issues[i];
                    format!("{} (so {})", issue.id, issue.domain.display(&o.outcome[i]))
                })
                .collect();
            let _ = writeln!(out, "    does not apply in this outcome, whatever the forecast: {}", ids.join(", "));
        }
        if o.breaks.is_empty() {
            let _ = writeln!(out, "    breaks no constraint");
            continue;
        }
        let _ = writeln!(out, "    breaks {}", breaks_text(scenario, &o.breaks));
        match &o.constrained {
            Some(Ok(c)) => {
                let _ = writeln!(
                    out,
                    "    nearest outcome no constraint forbids (distance {:.3}): {}",
                    c.distance,
                    changes_text(scenario, &c.outcome)
                );
            }
            Some(Err(why)) => {
                let _ = writeln!(out, "    no constrained forecast: {why}");
            }
            None => {}
        }
    }
}

/// `` `label` (owner), … `` for constraints by index.
fn breaks_text(scenario: &Scenario, breaks: &[usize]) -> String {
    let parts: Vec<String> = breaks
        .iter()
        .map(|&c| {
            let c = &scenario.constraints[c];
            format!("`{}` ({})", c.label, scenario.actors[c.owner].id)
        })
        .collect();
    parts.join(", ")
}

/// The whole-outcome forecasts as JSON (`outcomes`).
fn outcomes_json(scenario: &Scenario, outcomes: &[OutcomeForecast]) -> Json {
    let outcome_json = |o: &[detente::scenario::Value]| {
        let mut m = Map::new();
        for (i, v) in o.iter().enumerate() {
            m.insert(scenario.issues[i].id.clone(), value_json(scenario, i, v));
        }
        Json::Object(m)
    };
    Json::Array(
        outcomes
            .iter()
            .map(|o| {
                let breaks: Vec<Json> = o
                    .breaks
                    .iter()
                    .map(|&c| {
                        let c = &scenario.constraints[c];
                        json!({ "label": c.label, "owner": scenario.actors[c.owner].id })
                    })
                    .collect();
                let constrained = match &o.constrained {
                    Some(Ok(c)) => json!({ "outcome": outcome_json(&c.outcome), "distance": c.distance }),
                    Some(Err(why)) => json!({ "error": why }),
                    None => Json::Null,
                };
                json!({
                    "model": o.model,
                    "assembly": match o.assembly { Assembly::IssueByIssue => "issue-by-issue", Assembly::Joint => "joint" },
                    "outcome": outcome_json(&o.outcome),
                    "at_status_quo": o.at_status_quo.iter().map(|&i| scenario.issues[i].id.clone()).collect::<Vec<_>>(),
                    "moot": o.moot.iter().map(|&i| scenario.issues[i].id.clone()).collect::<Vec<_>>(),
                    "breaks": breaks,
                    "constrained": constrained,
                })
            })
            .collect(),
    )
}

/// The spatial models' forecast of several issues at once.
fn spatial_text(out: &mut String, scenario: &Scenario, f: &SpatialForecast, trace: bool) {
    let ids: Vec<&str> = f.issues.iter().map(|&i| scenario.issues[i].id.as_str()).collect();
    let _ = writeln!(out, "{}: all issues at once (spatial model): {}", scenario.name, ids.join(", "));
    let Some(input) = &f.input else {
        let _ = writeln!(out, "  not forecast");
        for d in &f.diagnostics {
            let _ = writeln!(out, "  {}[{}]: {}", d.severity.as_str(), d.code, d.message);
        }
        return;
    };
    let decs: Vec<usize> = input.dimensions().iter().map(|d| decimals(d.max - d.min)).collect();
    for ((&issue, d), &dec) in f.issues.iter().zip(input.dimensions()).zip(&decs) {
        let _ = writeln!(out, "  {} ({})", scenario.issues[issue].id, scale_text(scenario, issue, d.min, d.max, dec));
    }
    let n = input.actors().len();
    let plural = if n == 1 { "" } else { "s" };
    if f.diagnostics.iter().any(|d| d.code == "forecast::no-position") {
        let _ = writeln!(out, "  {n} actor{plural}, some without a position on every issue (warnings below)");
    } else {
        let _ = writeln!(out, "  {n} actor{plural} with a position on every issue");
    }
    for diag in &f.diagnostics {
        let _ = writeln!(out, "  {}[{}]: {}", diag.severity.as_str(), diag.code, diag.message);
    }
    let forecast = |xs: &[f64]| {
        let parts: Vec<String> =
            f.issues.iter().zip(xs).zip(&decs).map(|((&i, x), &dec)| forecast_text(scenario, i, &[*x], dec)).collect();
        parts.join("; ")
    };
    let value = |d: usize, x: f64| {
        format!("{} {}", scenario.issues[f.issues[d]].id, forecast_text(scenario, f.issues[d], &[x], decs[d]))
    };
    models_table(out, &f.runs, forecast, value);
    for r in &f.runs {
        if let Some(mc) = &r.monte_carlo {
            monte_carlo_text(out, input, r.model, mc, decs.iter().copied().max().unwrap_or(2));
        }
    }
    for r in f.runs.iter().filter(|r| r.iterates) {
        let Ok(run) = &r.result else { continue };
        for (k, (&issue, &dec)) in f.issues.iter().zip(&decs).enumerate() {
            let by_round: Vec<String> = run.rounds.iter().map(|x| fixed(x.forecast[k], dec)).collect();
            let _ = writeln!(out, "  {} by round, {}: {}", r.model, scenario.issues[issue].id, by_round.join(" "));
        }
        if trace {
            for (k, (&issue, &dec)) in f.issues.iter().zip(&decs).enumerate() {
                let _ = writeln!(out, "    {}:", scenario.issues[issue].id);
                positions_text(out, input, run, k, dec);
            }
            events_text(out, input, run, &decs);
        }
    }
}

/// A Monte Carlo summary: the distribution and the ten largest tornado bars.
fn monte_carlo_text(out: &mut String, input: &ForecastInput, model: &str, mc: &MonteCarlo, dec: usize) {
    let runs = mc.forecasts.len() / mc.summaries.len().max(1);
    for (d, s) in mc.summaries.iter().enumerate() {
        let dim = if mc.summaries.len() > 1 { format!(" (dimension {})", d + 1) } else { String::new() };
        let qs: Vec<String> =
            s.quantiles.iter().map(|(p, q)| format!("{:.0}% {}", p * 100.0, fixed(*q, dec))).collect();
        let _ = writeln!(
            out,
            "  {model} Monte Carlo{dim}, {runs} runs: mean {} (sd {}), 80% interval {} to {}; quantiles {}",
            fixed(s.mean, dec),
            fixed(s.sd, dec),
            fixed(s.interval80.0, dec),
            fixed(s.interval80.1, dec),
            qs.join(", ")
        );
    }
    for b in mc.tornado.iter().take(10) {
        let _ = writeln!(
            out,
            "    {} {} {} .. {}: forecast {} .. {} (swing {})",
            input.actors()[b.actor].id,
            b.target.as_str(),
            fixed(b.values.0, dec.max(2)),
            fixed(b.values.1, dec.max(2)),
            fixed(b.forecasts.0, dec),
            fixed(b.forecasts.1, dec),
            fixed(b.swing, dec)
        );
    }
}

/// Every actor's position on dimension `dim` by round (rows: actors,
/// columns: rounds) and the forecast.
fn positions_text(out: &mut String, input: &ForecastInput, run: &Run, dim: usize, dec: usize) {
    let names: Vec<&str> = input.actors().iter().map(|a| a.id.as_str()).collect();
    let width = column_width(names.iter().map(|n| n.chars().count()).max().unwrap_or(5).max(8));
    let cell = column_width(dec + 5);
    let _ = write!(out, "    {:width$}", "round");
    for r in &run.rounds {
        let _ = write!(out, " {:>cell$}", r.round);
    }
    let _ = writeln!(out);
    for (k, name) in names.iter().enumerate() {
        let _ = write!(out, "    {:width$}", name);
        for r in &run.rounds {
            let _ = write!(out, " {:>cell$}", fixed(r.position(k)[dim], dec));
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "    {:width$}", "forecast");
    for r in &run.rounds {
        let _ = write!(out, " {:>cell$}", fixed(r.forecast[dim], dec));
    }
    let _ = writeln!(out);
}

/// The rounds' risk exponents, position probabilities and moves
/// (`decs`: decimals per dimension).
fn events_text(out: &mut String, input: &ForecastInput, run: &Run, decs: &[usize]) {
    let names: Vec<&str> = input.actors().iter().map(|a| a.id.as_str()).collect();
    let point = |xs: &[f64]| {
        let parts: Vec<String> = xs.iter().zip(decs).map(|(x, &dec)| fixed(*x, dec)).collect();
        match parts.as_slice() {
            [one] => one.clone(),
            many => format!("({})", many.join(", ")),
        }
    };
    for r in &run.rounds {
        for (metric, label) in [("risk", "risk exponents"), ("probability", "position probabilities")] {
            if let Some(xs) = r.per_actor(metric) {
                let parts: Vec<String> = names.iter().zip(xs).map(|(n, x)| format!("{n} {x:.4}")).collect();
                let _ = writeln!(out, "    round {} {label}: {}", r.round, parts.join(", "));
            }
        }
        for m in r.moves() {
            let toward = m.counterpart.map_or(String::new(), |c| format!(" {}", names[c]));
            let verb = match m.kind.as_str() {
                "confrontation" => "loses a confrontation to",
                "compromise" => "compromises with",
                "capitulation" => "capitulates to",
                "exchange" => "exchanges with",
                other => other,
            };
            let _ = writeln!(
                out,
                "    round {}: {} {verb}{toward}: {} -> {}",
                r.round,
                names[m.actor],
                point(&m.from),
                point(&m.to)
            );
        }
    }
}

fn score_json(s: &Score) -> Json {
    json!({ "issues": s.issues, "mae": s.mae })
}

/// The `detente.backtest/1` document.
pub fn backtest_to_json(bt: &Backtest) -> Json {
    let periods: Vec<Json> = PERIODS
        .iter()
        .enumerate()
        .map(|(p, period)| {
            json!({
                "period": period.name(),
                "label": period_label(*period),
                "issues": bt.baseline_periods.get(p).map_or(0, |s| s[0].issues),
            })
        })
        .collect();
    let period_scores = |scores: &[Score]| -> Json {
        Json::Array(
            PERIODS
                .iter()
                .zip(scores)
                .map(|(p, s)| json!({ "period": p.name(), "issues": s.issues, "mae": s.mae }))
                .collect(),
        )
    };
    let b = &bt.baselines;
    let baseline = |name: &str, label: &str, mae: f64, k: usize| {
        let scores: Vec<Score> = bt.baseline_periods.iter().map(|s| s[k]).collect();
        json!({
            "baseline": name,
            "label": label,
            "issues": bt.issues.len(),
            "mae": mae,
            "periods": period_scores(&scores),
        })
    };
    let baselines = vec![
        baseline("salience-mean", "salience-weighted mean", b.salience_mean_mae, 0),
        baseline("capability-salience-mean", "capability × salience weighted mean", b.capability_mean_mae, 1),
        baseline("median-actor", "median actor position", b.median_mae, 2),
    ];
    let models: Vec<Json> = bt
        .models
        .iter()
        .map(|m| {
            json!({
                "model": m.model,
                "issues": m.overall.issues,
                "mae": m.overall.mae,
                "periods": period_scores(&m.periods),
                "reference_on_same_issues": score_json(&m.reference_on_same_issues),
                "failures": m.failures.iter().map(|(k, e)| json!({
                    "issue": bt.issues[*k].issue_id,
                    "error": e.to_string(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let per_issue: Vec<Json> = bt
        .issues
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let mut forecasts = Map::new();
            for m in &bt.models {
                forecasts.insert(m.model.to_string(), json!(m.forecasts.get(k).copied().flatten()));
            }
            let base = &b.issues[k];
            json!({
                "issue": i.issue_id,
                "period": i.period.name(),
                "outcome": i.outcome,
                "baselines": {
                    "salience-mean": base.salience_mean,
                    "capability-salience-mean": base.capability_mean,
                    "median-actor": base.median,
                },
                "forecasts": forecasts,
            })
        })
        .collect();
    object([
        ("schema", json!(BACKTEST_SCHEMA)),
        ("dataset", json!("DEU III")),
        ("issues", json!(bt.issues.len())),
        ("periods", Json::Array(periods)),
        ("baselines", Json::Array(baselines)),
        ("models", Json::Array(models)),
        ("per_issue", Json::Array(per_issue)),
    ])
}

/// The backtest as a table of mean absolute errors, overall and per period.
pub fn backtest_to_text(bt: &Backtest) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "DEU III backtest: {} issues with an outcome and at least three actors with position and salience",
        bt.issues.len()
    );
    let _ = writeln!(out, "Mean absolute error on the 0-100 scale (issues scored in brackets where fewer)");
    let _ = writeln!(out);
    let b = &bt.baselines;
    let mut rows: Vec<(String, Score, Vec<Score>)> = vec![
        (
            "baseline: salience-weighted mean".into(),
            Score { issues: bt.issues.len(), mae: b.salience_mean_mae },
            bt.baseline_periods.iter().map(|s| s[0]).collect(),
        ),
        (
            "baseline: capability x salience mean".into(),
            Score { issues: bt.issues.len(), mae: b.capability_mean_mae },
            bt.baseline_periods.iter().map(|s| s[1]).collect(),
        ),
        (
            "baseline: median actor".into(),
            Score { issues: bt.issues.len(), mae: b.median_mae },
            bt.baseline_periods.iter().map(|s| s[2]).collect(),
        ),
    ];
    for m in &bt.models {
        rows.push((m.model.to_string(), m.overall, m.periods.clone()));
    }
    let full: Vec<usize> = bt.baseline_periods.iter().map(|s| s[0].issues).collect();
    let cell = |s: &Score, all: usize| {
        if s.issues == 0 {
            "-".to_string()
        } else if s.issues == all {
            format!("{:.2}", s.mae)
        } else {
            format!("{:.2} ({})", s.mae, s.issues)
        }
    };
    let mut header = vec![format!("all ({})", bt.issues.len())];
    for (p, period) in PERIODS.iter().enumerate() {
        header.push(format!("{} ({})", period_label(*period), full.get(p).copied().unwrap_or(0)));
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(_, overall, periods)| {
            let mut line = vec![cell(overall, bt.issues.len())];
            line.extend(periods.iter().zip(&full).map(|(s, all)| cell(s, *all)));
            line
        })
        .collect();
    let name_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(5);
    let widths: Vec<usize> = (0..header.len())
        .map(|c| table.iter().map(|l| l[c].chars().count()).chain([header[c].chars().count()]).max().unwrap_or(0))
        .collect();
    let _ = write!(out, "{:name_width$}", "model");
    for (h, w) in header.iter().zip(&widths) {
        let _ = write!(out, "  {:>w$}", h);
    }
    let _ = writeln!(out);
    for ((name, ..), line) in rows.iter().zip(&table) {
        let _ = write!(out, "{:name_width$}", name);
        for (c, w) in line.iter().zip(&widths) {
            let _ = write!(out, "  {:>w$}", c);
        }
        let _ = writeln!(out);
    }
    for m in bt.models.iter().filter(|m| m.overall.issues < bt.issues.len()) {
        let reason = m.failures.first().map_or(String::new(), |(_, e)| format!(" ({e})"));
        let _ = writeln!(
            out,
            "\n{}: scored on {} issues; {} could not be forecast{reason}. On the same {} issues the capability x salience mean scores {:.2}.",
            m.model,
            m.overall.issues,
            bt.issues.len() - m.overall.issues,
            m.reference_on_same_issues.issues,
            m.reference_on_same_issues.mae
        );
    }
    out
}
