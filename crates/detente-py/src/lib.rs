//! `detente._native`: the engine for Python, a thin shell like the CLI and
//! the server. Each method makes the same engine calls as its command and
//! returns the same `detente-report` document (as JSON text, which the
//! pure-Python layer in `python/detente/` parses and turns into
//! DataFrames); nothing here analyses, forecasts or negotiates by itself.
//!
//! Engine work runs on a scoped thread with the GIL released; the calling
//! thread waits on it and checks for signals every [`POLL`], so Ctrl-C sets
//! the run's `budget::Cancel` flag, waits for the engine to stop, and raises
//! `KeyboardInterrupt` (see [`run`]).

mod custom;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use detente::analysis::{Config as AnalysisConfig, Resolution};
use detente::budget::{Budget, Cancel};
use detente::forecast::issues::{
    forecast_scenario_part, study_forecasts, Config as ForecastConfig, MonteCarloSettings, ScenarioForecast, StudyPart,
};
use detente::forecast::montecarlo::{default_perturbations, Perturbation};
use detente::forecast::registry::{self as models, ModelInfo, MODELS};
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig, Reference};
use detente::negotiation::evaluate::{evaluate, Evaluation};
use detente::negotiation::mediated::SingleText;
use detente::negotiation::registry::{self as strategies, Spec};
use detente::negotiation::setup;
use detente::negotiation::tournament::{tables, Entry, Player, Record, Tournament};
use detente::negotiation::{Deadline, NegotiationError, Protocol, Seat, Session};
use detente::{Loaded, TextFormat};
use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::json;

/// How often the waiting thread checks for Ctrl-C.
const POLL: Duration = Duration::from_millis(50);

/// Why engine work failed, carried back from the worker thread and turned
/// into a Python exception once the GIL is held again.
enum Failure {
    /// Bad arguments (a what-if edit, a strategy, a model name): `ValueError`.
    Value(String),
    /// The engine refused or failed (a space over the limit, a plot with
    /// nothing to draw): `detente.EngineError`.
    Engine(String),
    /// A file could not be written or read: `OSError`.
    Os(String),
    /// The run was cancelled.
    Cancelled,
    /// A Python negotiator raised (or answered wrongly): that exception.
    Python(PyErr),
}

impl Failure {
    /// An engine error, with the engine's message. (A cancellation only
    /// happens once [`run`] has set the flag, and then `run` raises the
    /// signal's exception instead.)
    fn engine(e: impl std::fmt::Display) -> Failure {
        Failure::Engine(e.to_string())
    }

    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Value(m) => PyValueError::new_err(m),
            Failure::Os(m) => PyOSError::new_err(m),
            Failure::Cancelled => PyKeyboardInterrupt::new_err("interrupted"),
            Failure::Python(e) => e,
            Failure::Engine(m) => match error_class(py, "EngineError") {
                Ok(class) => PyErr::from_type(class, m),
                Err(e) => e,
            },
        }
    }
}

/// An exception class of `detente._errors` (defined in Python so that
/// `ScenarioError` can be both a `DetenteError` and a `ValueError`).
fn error_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, pyo3::types::PyType>> {
    Ok(py.import("detente._errors")?.getattr(name)?.cast_into::<pyo3::types::PyType>()?)
}

/// Runs `work` on a scoped thread with the GIL released, checking for
/// signals every [`POLL`] on this thread. On `KeyboardInterrupt` (or any
/// exception a signal handler raises) the run's cancel flag is set, the
/// engine is waited for (it checks the flag in its loops), and the
/// exception is raised. A panic in the engine becomes a `RuntimeError`.
fn run<T: Send>(py: Python<'_>, work: impl FnOnce(&Cancel) -> Result<T, Failure> + Send) -> PyResult<T> {
    let cancel = Cancel::new();
    let cancel_ref = &cancel;
    std::thread::scope(|scope| {
        let (tx, mut rx) = mpsc::channel();
        let handle = scope.spawn(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(cancel_ref)));
            let _ = tx.send(result);
        });
        loop {
            let (got, back) = py.detach(move || (rx.recv_timeout(POLL), rx));
            rx = back;
            match got {
                Ok(Ok(Ok(value))) => return Ok(value),
                Ok(Ok(Err(failure))) => return Err(failure.into_pyerr(py)),
                Ok(Err(panic)) => return Err(panic_error(panic)),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(PyRuntimeError::new_err("internal error: the engine thread ended without a result"))
                }
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(interrupt) = py.check_signals() {
                        cancel.cancel();
                        py.detach(move || {
                            let _ = handle.join();
                        });
                        return Err(interrupt);
                    }
                }
            }
        }
    })
}

/// [`run`], or for work too small to need Ctrl-C (`inline`), the same on
/// this thread with the GIL released: handing work to a thread and back
/// costs about 0.12 ms, more than a small space's whole analysis.
fn run_small<T: Send>(
    py: Python<'_>,
    inline: bool,
    work: impl FnOnce(&Cancel) -> Result<T, Failure> + Send,
) -> PyResult<T> {
    if !inline {
        return run(py, work);
    }
    let cancel = Cancel::new();
    match py.detach(|| std::panic::catch_unwind(AssertUnwindSafe(|| work(&cancel)))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(failure)) => Err(failure.into_pyerr(py)),
        Err(panic) => Err(panic_error(panic)),
    }
}

/// A panic in the engine as the `RuntimeError` Python sees.
fn panic_error(panic: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    PyRuntimeError::new_err(format!("internal error in the detente engine (please report it): {what}"))
}

/// Whether `analyze` of `s` is small enough to run inline ([`run_small`]):
/// at most 4,096 combinations of values, and none of the studies that
/// multiply the work (uncertain judgements, types, plans, statements).
fn small_analysis(s: &detente::Scenario) -> bool {
    let mut combinations: u128 = 1;
    for issue in &s.issues {
        let n = match &issue.domain {
            detente::scenario::Domain::Discrete { options, .. } => options.len() as u128,
            detente::scenario::Domain::Integer { min, max, .. } => max.abs_diff(*min) as u128 + 1,
            detente::scenario::Domain::Continuous { .. } => return false,
        };
        combinations = combinations.saturating_mul(n);
    }
    combinations <= 4_096
        && s.uncertain.is_empty()
        && s.types.is_empty()
        && s.plans.is_empty()
        && s.statements.is_empty()
        && s.events.is_empty()
}

/// The protocol `name` with a deadline of `rounds`.
fn make_protocol(name: &str, rounds: usize) -> PyResult<Box<dyn Protocol + Send + Sync>> {
    if !(1..=100_000_000).contains(&rounds) {
        return Err(PyValueError::new_err(format!("rounds must be from 1 to 100000000, not {rounds}")));
    }
    let deadline = Deadline::rounds(rounds);
    match name {
        "alternating" => Ok(Box::new(AlternatingOffers { deadline })),
        "mediated" => Ok(Box::new(SingleText { deadline })),
        other => Err(PyValueError::new_err(format!("no protocol `{other}`: use `alternating` or `mediated`"))),
    }
}

/// `detente tournament`: the same engine calls as the CLI (the
/// scenarios compiled with the same options, `Tournament::run_with`,
/// `tables`) and the same documents: every record as its
/// `negotiations.jsonl` line, in id order, the `detente.tournament/1`
/// summary, its text (`summary.txt`) and the chart `--plot` draws (its SVG,
/// or the drawing error's message). `scenarios` are `(path or name, scenario)`, named as the CLI
/// names them; `strategies` are spec lists (`"boulware,linear"`) or Python
/// negotiators (a class, instantiated per session, or an instance,
/// deep-copied per session). With `shard = (K, N)` only that shard's
/// negotiations run and only their lines come back; with `records`
/// (every shard's lines) nothing runs: the lines are checked, sorted and
/// summarised, the merge of a run spread over a Dask cluster. A shard
/// returns its lines alone (the rest empty).
#[pyfunction]
#[pyo3(signature = (scenarios, strategies, reps, seed, rounds, protocol, max_outcomes, resolution, shard=None, records=None))]
#[allow(clippy::too_many_arguments)]
fn tournament(
    py: Python<'_>,
    scenarios: Vec<(PathBuf, Py<Scenario>)>,
    strategies: Vec<Py<PyAny>>,
    reps: usize,
    seed: u64,
    rounds: usize,
    protocol: &str,
    max_outcomes: u64,
    resolution: usize,
    shard: Option<(usize, usize)>,
    records: Option<Vec<String>>,
) -> PyResult<(Vec<String>, String, String, Chart)> {
    let protocol = make_protocol(protocol, rounds)?;
    if let Some((k, n)) = shard {
        if k == 0 || k > n {
            return Err(PyValueError::new_err(format!("shard {k}/{n}: write (K, N) with 1 <= K <= N")));
        }
    }
    if !(2..=100_000).contains(&resolution) {
        return Err(PyValueError::new_err(format!("resolution must be from 2 to 100000, not {resolution}")));
    }
    let failed = custom::Failed::default();
    // Spec lists parsed, Python negotiators checked and named, in order.
    let mut entered: Vec<Result<Spec, (String, Py<PyAny>)>> = Vec::new();
    for obj in &strategies {
        let obj = obj.bind(py);
        if let Ok(text) = obj.extract::<String>() {
            let specs =
                strategies::parse_list(&text).map_err(|e| PyValueError::new_err(format!("strategies {text}: {e}")))?;
            entered.extend(specs.into_iter().map(Ok));
            continue;
        }
        custom::check(obj)?;
        entered.push(Err((custom::label(obj)?, obj.clone().unbind())));
    }
    let config = DomainConfig { resolution: Resolution { points: resolution }, max_outcomes, search: true };
    let loaded: Vec<(PathBuf, detente::Scenario)> =
        scenarios.iter().map(|(path, s)| (path.clone(), s.get().scenario().clone())).collect();
    run(py, |cancel| {
        // A Python negotiator that fails keeps its exception and sets the
        // run's flag, as Ctrl-C does.
        let players: Vec<Player> = entered
            .into_iter()
            .map(|e| match e {
                Ok(spec) => Player::Spec(spec),
                Err((label, source)) => {
                    let (failed, cancel) = (failed.clone(), cancel.clone());
                    let make = move || {
                        Python::attach(|py| {
                            custom::PyNegotiator::new(py, source.bind(py), true, failed.clone(), cancel.clone())
                        })
                        .map(|n| Box::new(n) as Box<dyn detente::negotiation::Negotiator>)
                        .map_err(|e| {
                            failed.fail(e, &cancel);
                            NegotiationError::Cancelled
                        })
                    };
                    Player::Custom { label, make: std::sync::Arc::new(make) }
                }
            })
            .collect();
        let mut entries: Vec<Entry> = Vec::new();
        for (path, scenario) in loaded {
            let domain = Domain::new_with(&scenario, &config, cancel, &|_, _| {})
                .map_err(|e| Failure::Engine(format!("{}: {e}", path.display())))?;
            let taken: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
            let name = detente_report::tournament::entry_name(&path, &taken);
            entries.push(Entry::with_scenario(name, scenario, domain, config));
        }
        let t = Tournament { entries, strategies: players, reps, seed };
        t.validate().map_err(|e| Failure::Value(e.to_string()))?;
        let jobs = t.jobs();
        // Merging shards: the records are read back, checked to be this
        // tournament's and complete, and summarised as one run's would be.
        if let Some(lines) = records {
            // Each line parsed and written again here, so the result is this
            // machine's bytes (in parallel: a hundred thousand lines take
            // seconds; the order is restored by id below).
            use rayon::prelude::*;
            let parsed: Vec<Result<(Record, String), Failure>> = lines
                .par_iter()
                .enumerate()
                .map(|(k, line)| {
                    let r = detente_report::tournament::parse_record(&t, line).map_err(|e| {
                        Failure::Value(format!("record {k}: {e}; it is not a record of this tournament"))
                    })?;
                    let line = detente_report::tournament::record_line(&t, &r);
                    Ok((r, line))
                })
                .collect();
            let mut read = std::collections::BTreeMap::new();
            for item in parsed {
                let (r, line) = item?;
                read.insert(r.id, (r, line));
            }
            let missing = jobs.iter().filter(|j| !read.contains_key(&j.id)).count();
            if missing > 0 || read.len() != jobs.len() {
                return Err(Failure::Value(format!(
                    "the shards hold {} of the tournament's {} negotiations ({missing} missing)",
                    read.len(),
                    jobs.len()
                )));
            }
            let (records, lines): (Vec<Record>, Vec<String>) = read.into_values().unzip();
            return Ok(summarised(&t, &records, lines));
        }
        // One shard: negotiations K − 1, K − 1 + N, … (as `--shard K/N`).
        let jobs: Vec<_> = match shard {
            Some((k, n)) => jobs.into_iter().filter(|j| j.id % n as u64 == (k - 1) as u64).collect(),
            None => jobs,
        };
        let records = std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
        let result = t.run_with(
            protocol.as_ref(),
            &jobs,
            &|r: Record| records.lock().unwrap_or_else(|e| e.into_inner()).push(r),
            cancel,
        );
        if let Some(e) = failed.take() {
            return Err(Failure::Python(e));
        }
        match result {
            Err(NegotiationError::Cancelled) => return Err(Failure::Cancelled),
            other => other.map_err(Failure::engine)?,
        }
        let mut records = records.into_inner().unwrap_or_else(|e| e.into_inner());
        records.sort_by_key(|r| r.id);
        let lines: Vec<String> = records.iter().map(|r| detente_report::tournament::record_line(&t, r)).collect();
        if shard.is_some() {
            return Ok((lines, String::new(), String::new(), (None, None)));
        }
        Ok(summarised(&t, &records, lines))
    })
}

/// The chart's SVG, or why it could not be drawn.
type Chart = (Option<String>, Option<String>);

/// A finished tournament's lines with what `detente tournament` makes of
/// its records (in id order): `summary.json`, `summary.txt` and the
/// `--plot` chart (or why it could not be drawn).
fn summarised(t: &Tournament, records: &[Record], lines: Vec<String>) -> (Vec<String>, String, String, Chart) {
    let tables = tables(t.strategies.len(), records);
    let summary = detente_report::tournament::summary_json(t, &tables, records.len()).to_string();
    let text = detente_report::tournament::summary_text(t, &tables, records.len());
    let chart = match detente_report::plot::tournament::summary_chart(t, &tables) {
        Ok(figure) => (Some(figure.svg), None),
        Err(e) => (None, Some(e.to_string())),
    };
    (lines, summary, text, chart)
}

/// A stakeholder table's per-issue power (`Loaded::table_power`).
type TablePower = Vec<Vec<Option<f64>>>;

/// A loaded scenario: what `detente::load_path` or the text readers give,
/// kept whole (its source text for diagnostics, a table's per-issue power).
#[pyclass(frozen, module = "detente._native")]
struct Scenario {
    loaded: Loaded,
}

impl Scenario {
    fn scenario(&self) -> &detente::Scenario {
        // `load_*` hand out a `Scenario` only when the load had no errors.
        self.loaded.scenario.as_ref().expect("a loaded scenario")
    }

    /// A forecast's settings from the arguments of `forecast`.
    fn forecast_config(
        &self,
        models: Vec<String>,
        rounds: Option<usize>,
        monte_carlo: Option<usize>,
        seed: u64,
        perturb: Vec<String>,
    ) -> PyResult<ForecastConfig> {
        let mut chosen: Vec<&'static ModelInfo> = Vec::new();
        for name in &models {
            let info = models::model(name).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "no forecast model is called `{name}`; the models are {}",
                    model_names().join(", ")
                ))
            })?;
            if !chosen.iter().any(|m| m.name == info.name) {
                chosen.push(info);
            }
        }
        if chosen.is_empty() {
            chosen = MODELS.iter().collect();
        }
        if rounds == Some(0) {
            return Err(PyValueError::new_err("rounds must be at least 1"));
        }
        let actors: Vec<&str> = self.scenario().actors.iter().map(|a| a.id.as_str()).collect();
        let mut perturbations = Vec::new();
        for spec in &perturb {
            let p = Perturbation::parse(spec).map_err(|e| PyValueError::new_err(format!("perturb {spec}: {e}")))?;
            p.check_actor(&actors).map_err(|e| PyValueError::new_err(format!("perturb {spec}: {e}")))?;
            perturbations.push(p);
        }
        if perturbations.is_empty() {
            perturbations = default_perturbations();
        }
        let monte_carlo = match monte_carlo {
            Some(0) => return Err(PyValueError::new_err("monte_carlo must be at least 1 run")),
            Some(runs) => Some(MonteCarloSettings { runs, seed, perturbations }),
            None => None,
        };
        Ok(ForecastConfig { models: chosen, max_rounds: rounds, monte_carlo })
    }

    /// Runs `config`'s forecast, computing `part` of its Monte Carlo studies.
    fn forecast_part(
        &self,
        py: Python<'_>,
        config: &ForecastConfig,
        max_outcomes: u64,
        max_perturbed: u64,
        part: &StudyPart,
    ) -> PyResult<ScenarioForecast> {
        run(py, |cancel| {
            let budget = Budget {
                max_outcomes: max_outcomes as u128,
                max_perturbed: max_perturbed as u128,
                cancel: cancel.clone(),
            };
            let forecasts = forecast_scenario_part(
                self.scenario(),
                self.loaded.table_power.as_deref(),
                config,
                &|_, _| {},
                &budget,
                part,
            )
            .map_err(Failure::engine)?;
            if cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
            Ok(forecasts)
        })
    }

    /// The judgements of a robustness study: the file's `[[uncertain]]`
    /// tables plus `vary`, after checking `samples`.
    fn judgements(&self, samples: usize, vary: &[String]) -> PyResult<Vec<detente::robustness::Judgement>> {
        if !(1..=65_536).contains(&samples) {
            return Err(PyValueError::new_err(format!("samples must be from 1 to 65536, not {samples}")));
        }
        let scenario = self.scenario();
        let mut extra = Vec::new();
        for arg in vary {
            extra.push(
                detente::whatif::parse_vary(scenario, arg)
                    .map_err(|e| PyValueError::new_err(format!("vary {arg}: {e}")))?,
            );
        }
        Ok(detente::robustness::judgements(scenario, &extra))
    }

    /// The scenario with the what-if edits, and a table's power after them.
    fn prepare(&self, set: &[String], drop: &[String]) -> Result<(detente::Scenario, Option<TablePower>), Failure> {
        let original = self.scenario();
        let edits = detente::whatif::parse_edits(original, set, drop).map_err(|e| Failure::Value(e.to_string()))?;
        let power = self.loaded.table_power.as_deref().map(|p| detente::whatif::apply_to_power(p, &edits));
        Ok((detente::whatif::apply(original, &edits), power))
    }
}

fn analysis_config(resolution: usize, max_outcomes: u64, cancel: &Cancel) -> Result<AnalysisConfig, Failure> {
    if !(2..=100_000).contains(&resolution) {
        return Err(Failure::Value(format!("resolution must be from 2 to 100000, not {resolution}")));
    }
    let mut config = AnalysisConfig::new();
    config.resolution = Resolution { points: resolution };
    config.max_outcomes = max_outcomes as u128;
    config.cancel = cancel.clone();
    Ok(config)
}

/// A shard's Monte Carlo forecasts as bytes: the number of studies, then
/// per study a flag (0: failed or none) and, when 1, the number of values
/// and the values, all little-endian (u64 counts, f64 values).
fn encode_shard(studies: &[Option<Vec<f64>>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(studies.len() as u64).to_le_bytes());
    for study in studies {
        match study {
            None => out.push(0),
            Some(values) => {
                out.push(1);
                out.extend_from_slice(&(values.len() as u64).to_le_bytes());
                for v in values {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
    }
    out
}

/// [`encode_shard`] read back; an error names what is malformed.
fn decode_shard(bytes: &[u8]) -> Result<Vec<Option<Vec<f64>>>, String> {
    let mut at = 0usize;
    let mut take = |n: usize| -> Result<&[u8], String> {
        let end = at.checked_add(n).filter(|&e| e <= bytes.len()).ok_or("a shard's bytes end too early")?;
        let slice = &bytes[at..end];
        at = end;
        Ok(slice)
    };
    let count = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes")) as usize;
    let studies = count(take(8)?);
    let mut out = Vec::with_capacity(studies.min(bytes.len()));
    for _ in 0..studies {
        match take(1)?[0] {
            0 => out.push(None),
            1 => {
                let n = count(take(8)?);
                let raw = take(n.checked_mul(8).ok_or("a shard's count overflows")?)?;
                out.push(Some(
                    raw.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes"))).collect(),
                ));
            }
            f => return Err(format!("a shard's study flag is {f}, not 0 or 1")),
        }
    }
    Ok(out)
}

/// Shards of consecutive run ranges joined: per study, the shards'
/// forecasts in order, `None` when any shard's study failed.
fn merge_shards(parts: &[Vec<u8>]) -> Result<Vec<Option<Vec<f64>>>, String> {
    let decoded = parts.iter().map(|p| decode_shard(p)).collect::<Result<Vec<_>, _>>()?;
    let Some(first) = decoded.first() else { return Err("no shard was given".into()) };
    if let Some(other) = decoded.iter().find(|d| d.len() != first.len()) {
        return Err(format!(
            "the shards hold {} and {} studies: they are not of one forecast",
            first.len(),
            other.len()
        ));
    }
    Ok((0..first.len())
        .map(|k| {
            let mut joined = Vec::new();
            for d in &decoded {
                joined.extend_from_slice(d[k].as_ref()?);
            }
            Some(joined)
        })
        .collect())
}

/// A robustness study's settings (the EMA Workbench's PRIM settings, as
/// the CLI's).
fn robustness_config(
    samples: usize,
    seed: u64,
    resolution: usize,
    max_outcomes: u64,
    cancel: &Cancel,
) -> Result<detente::robustness::Config, Failure> {
    Ok(detente::robustness::Config {
        samples,
        seed,
        analysis: analysis_config(resolution, max_outcomes, cancel)?,
        prim: detente::robustness::PrimConfig::ema(),
    })
}

/// The scenario of `loaded`, or `detente.ScenarioError` carrying the
/// diagnostics as `detente check --format json` gives them.
fn accept(py: Python<'_>, loaded: Loaded) -> PyResult<Scenario> {
    if loaded.scenario.is_some() {
        return Ok(Scenario { loaded });
    }
    let doc = detente_report::diagnostics::file_json(&loaded);
    let class = error_class(py, "ScenarioError")?;
    let json = py.import("json")?;
    let diagnostics = json.call_method1("loads", (doc.to_string(),))?;
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let message = format!("{}: {errors} error{}", loaded.source.name, if errors == 1 { "" } else { "s" });
    Err(PyErr::from_value(class.call1((message, diagnostics))?))
}

/// Reads a file or folder: a native scenario, a GENIUS or GeniusWeb domain,
/// a stakeholder table (`detente::load_path`).
#[pyfunction]
fn load_path(py: Python<'_>, path: PathBuf) -> PyResult<Scenario> {
    let loaded = py
        .detach(|| detente::load_path(&path))
        .map_err(|e| PyOSError::new_err(format!("cannot read {}: {}", e.path.display(), e.error)))?;
    accept(py, loaded)
}

/// Reads a text, its format told from the content as for standard input
/// (`detente::format::load_unnamed`); `name` is what diagnostics call it.
#[pyfunction]
fn load_text(py: Python<'_>, text: &str, name: &str) -> PyResult<Scenario> {
    let loaded = py.detach(|| detente::format::load_unnamed(name, text.as_bytes()));
    accept(py, loaded)
}

/// The registered forecast models' names, in registry order.
#[pyfunction]
fn model_names() -> Vec<&'static str> {
    MODELS.iter().map(|m| m.name).collect()
}

/// The registered negotiation strategies' names.
#[pyfunction]
fn strategy_names() -> Vec<&'static str> {
    strategies::STRATEGIES.iter().map(|s| s.name).collect()
}

#[pymethods]
impl Scenario {
    /// `detente check --format json` for this file: `{file, valid, diagnostics}`.
    fn check(&self) -> String {
        detente_report::diagnostics::file_json(&self.loaded).to_string()
    }

    /// Name, actors, issues and outcome count, as JSON.
    fn summary(&self) -> String {
        let s = self.scenario();
        let actors: Vec<_> =
            s.actors.iter().map(|a| json!({ "id": a.id, "name": a.display_name(), "role": a.role.as_str() })).collect();
        let issues: Vec<_> = s
            .issues
            .iter()
            .map(|i| json!({ "id": i.id, "name": i.name.as_deref().unwrap_or(&i.id), "kind": i.domain.kind_name() }))
            .collect();
        json!({
            "name": s.name,
            "file": self.loaded.source.name,
            "actors": actors,
            "issues": issues,
            "constraints": s.constraints.len(),
            "outcome_count": s.outcome_count_decimal(),
        })
        .to_string()
    }

    /// Whether the scenario came from a stakeholder table with power per
    /// issue, which the native formats do not carry.
    fn has_table_power(&self) -> bool {
        self.loaded.table_power.is_some()
    }

    /// The scenario written by the engine's writer as `toml` or `json`.
    fn write(&self, format: &str) -> PyResult<String> {
        let format = match format {
            "toml" => TextFormat::Toml,
            "json" => TextFormat::Json,
            other => return Err(PyValueError::new_err(format!("no format `{other}`: use `toml` or `json`"))),
        };
        Ok(detente::format::write::to_string(self.scenario(), format))
    }

    /// Every actor's utility of the outcome `values` names (`(issue, value)`
    /// pairs; the rest from the status quo), in actor order.
    fn utilities(&self, values: Vec<(String, String)>) -> PyResult<Vec<(String, f64)>> {
        let s = self.scenario();
        let outcome = detente::whatif::parse_outcome(s, &values).map_err(PyValueError::new_err)?;
        Ok(s.actors.iter().map(|a| (a.id.clone(), a.utility(&s.issues, &outcome))).collect())
    }

    /// `detente analyze --json` (with the declared plans when `plans`), and
    /// the verdict and summary text of `detente analyze` (with the
    /// robustness sentence when `firmness`): `(document, verdict, text)`.
    #[allow(clippy::too_many_arguments)]
    fn analyze(
        &self,
        py: Python<'_>,
        set: Vec<String>,
        drop: Vec<String>,
        max_outcomes: u64,
        top: usize,
        resolution: usize,
        plans: bool,
        firmness: bool,
    ) -> PyResult<(String, String, String)> {
        run_small(py, small_analysis(self.scenario()), |cancel| {
            let (scenario, _) = self.prepare(&set, &drop)?;
            let mut config = analysis_config(resolution, max_outcomes, cancel)?;
            config.top = top;
            let analysis = detente::analysis::analyze(&scenario, &config).map_err(Failure::engine)?;
            let staging = if plans && !scenario.plans.is_empty() {
                Some(detente::analysis::stages::stage(&scenario, &config, None).map_err(Failure::engine)?)
            } else {
                None
            };
            let sections = detente_report::types::Sections::run(&scenario, &config).map_err(Failure::engine)?;
            let robustness = if firmness { detente::robustness::quick(&scenario, &config) } else { None };
            if cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
            let mut doc = detente_report::analysis::to_json(&scenario, &analysis);
            if let Some(staging) = &staging {
                detente_report::stages::add_to_json(&mut doc, &scenario, staging);
            }
            sections.add_to_json(&mut doc, &scenario);
            let options = detente_report::analysis::TextOptions { all: false, explain: false };
            let (mut text, _) =
                detente_report::analysis::to_text_and_terms(&scenario, &analysis, options, robustness.as_ref());
            if let Some(staging) = &staging {
                text.push_str(&detente_report::stages::to_text(&scenario, staging, false));
            }
            text.push_str(&sections.to_text(&scenario));
            // The summary opens with the title, then the verdict paragraph.
            let verdict = text.split("\n\n").nth(1).unwrap_or_default().trim().to_owned();
            Ok((doc.to_string(), verdict, text))
        })
    }

    /// The utility plane `detente analyze --plot` draws (SVG): the analysis
    /// run again with the plot's density bins.
    fn plane(
        &self,
        py: Python<'_>,
        set: Vec<String>,
        drop: Vec<String>,
        max_outcomes: u64,
        resolution: usize,
    ) -> PyResult<String> {
        run(py, |cancel| {
            let (scenario, _) = self.prepare(&set, &drop)?;
            let mut config = analysis_config(resolution, max_outcomes, cancel)?;
            config.density = Some(detente_report::plot::plane::density_config(scenario.parties().len()));
            let analysis = detente::analysis::analyze(&scenario, &config).map_err(Failure::engine)?;
            let figure = detente_report::plot::utility_plane(&scenario, &analysis).map_err(Failure::engine)?;
            Ok(figure.svg)
        })
    }

    /// `detente forecast`: the models run, kept for the document and plots.
    /// With `given` (the byte strings of `forecast_shard` for consecutive
    /// ranges of runs, in run order), the Monte Carlo studies are finished
    /// from those forecasts instead of running them: the single run's result.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (models, rounds, monte_carlo, seed, perturb, max_outcomes, max_perturbed, given=None))]
    fn forecast(
        &self,
        py: Python<'_>,
        models: Vec<String>,
        rounds: Option<usize>,
        monte_carlo: Option<usize>,
        seed: u64,
        perturb: Vec<String>,
        max_outcomes: u64,
        max_perturbed: u64,
        given: Option<Vec<Vec<u8>>>,
    ) -> PyResult<Forecast> {
        let config = self.forecast_config(models, rounds, monte_carlo, seed, perturb)?;
        let part = match given {
            None => StudyPart::Whole,
            Some(parts) => StudyPart::Given(merge_shards(&parts).map_err(PyValueError::new_err)?),
        };
        let forecasts = self.forecast_part(py, &config, max_outcomes, max_perturbed, &part)?;
        let document =
            detente_report::forecast::forecast_to_json(self.scenario(), &forecasts, config.monte_carlo.as_ref())
                .to_string();
        Ok(Forecast { scenario: self.scenario().clone(), forecasts, models: config.models, document })
    }

    /// The perturbed runs `start..end` of every Monte Carlo study of that
    /// forecast, as bytes for `forecast(given=...)`: one shard of a
    /// distributed study.
    #[allow(clippy::too_many_arguments)]
    fn forecast_shard<'py>(
        &self,
        py: Python<'py>,
        models: Vec<String>,
        rounds: Option<usize>,
        monte_carlo: usize,
        seed: u64,
        perturb: Vec<String>,
        max_outcomes: u64,
        max_perturbed: u64,
        start: usize,
        end: usize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let config = self.forecast_config(models, rounds, Some(monte_carlo), seed, perturb)?;
        let forecasts = self.forecast_part(py, &config, max_outcomes, max_perturbed, &StudyPart::Runs(start..end))?;
        Ok(PyBytes::new(py, &encode_shard(&study_forecasts(&forecasts))))
    }

    /// `detente negotiate`: the talks run, kept for the document and plot.
    #[allow(clippy::too_many_arguments)]
    fn negotiate(
        &self,
        py: Python<'_>,
        strategies: Vec<String>,
        default_strategy: &str,
        rounds: usize,
        seed: u64,
        protocol: &str,
        first: Option<String>,
        set: Vec<String>,
        drop: Vec<String>,
        say: Vec<String>,
        max_outcomes: u64,
        resolution: usize,
        custom: Vec<(Option<String>, Py<PyAny>)>,
    ) -> PyResult<Negotiation> {
        let protocol = make_protocol(protocol, rounds)?;
        // Python negotiators, by party (`None`: every party); each party
        // holds a placeholder spec while the table is set (a custom
        // negotiator never speaks, as `hardliner`).
        let failed = custom::Failed::default();
        let mut assigned = strategies;
        let mut python: Vec<(Option<String>, custom::PyNegotiator)> = Vec::new();
        for (party, obj) in &custom {
            let n = custom::PyNegotiator::new(py, obj.bind(py), false, failed.clone(), Cancel::new())?;
            assigned.push(match party {
                Some(p) => format!("{p}=hardliner"),
                None => "hardliner".into(),
            });
            python.push((party.clone(), n));
        }
        let strategies = assigned;
        let default =
            strategies::parse(default_strategy).map_err(|e| PyValueError::new_err(format!("default_strategy: {e}")))?;
        let (scenario, domain, labels, defaulted, session, evaluation) = run(py, |cancel| {
            let (scenario, _) = self.prepare(&set, &drop)?;
            let scenario = scenario.with_said_args(&say).map_err(|e| Failure::Value(format!("say {e}")))?;
            if !(2..=100_000).contains(&resolution) {
                return Err(Failure::Value(format!("resolution must be from 2 to 100000, not {resolution}")));
            }
            let config = DomainConfig { resolution: Resolution { points: resolution }, max_outcomes, search: true };
            let domain = Domain::new_with(&scenario, &config, cancel, &|_, _| {}).map_err(Failure::engine)?;
            let table = setup::seat(scenario, domain, first.as_deref(), &strategies, &default, &config, cancel)
                .map_err(|e| match e {
                    setup::SetupError::First(m) => Failure::Value(format!("first: {m}")),
                    setup::SetupError::Strategies(e) => Failure::Value(format!("strategies: {e}")),
                    setup::SetupError::Engine(e) => Failure::engine(e),
                })?;
            let setup::Table { scenario, domain, parties, specs, mut defaulted } = table;
            let mut labels = Vec::with_capacity(parties.len());
            let mut seats = Vec::with_capacity(parties.len());
            for ((slot, &p), spec) in parties.iter().enumerate().zip(specs) {
                let id = &scenario.actors[p].id;
                let k = python.iter().position(|(party, _)| party.as_deref().is_none_or(|q| q == id));
                match k {
                    Some(k) => {
                        let mut n = if python[k].0.is_some() {
                            python.swap_remove(k).1
                        } else {
                            // One object for every party: a copy per seat.
                            Python::attach(|py| {
                                let obj = python[k].1.object(py);
                                custom::PyNegotiator::new(py, &obj, true, failed.clone(), cancel.clone())
                            })
                            .map_err(Failure::Python)?
                        };
                        n.stop_with(cancel);
                        labels.push(n.label().to_string());
                        defaulted[slot] = false;
                        seats.push(Seat::Custom(Box::new(n)));
                    }
                    None => {
                        labels.push(spec.to_string());
                        seats.push(Seat::Spec(spec));
                    }
                }
            }
            let session =
                detente::negotiation::run_seats(protocol.as_ref(), &domain, &parties, seats, seed, true, cancel);
            if let Some(e) = failed.take() {
                return Err(Failure::Python(e));
            }
            let session = session.map_err(Failure::engine)?;
            if cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
            let reference = Reference::new(&domain, &parties);
            let evaluation = evaluate(&domain, &reference, &session);
            Ok((scenario, domain, labels, defaulted, session, evaluation))
        })?;
        let negotiation =
            Negotiation { scenario, domain, protocol, seed, labels, defaulted, session, evaluation, resolution };
        Ok(negotiation)
    }

    /// `detente robustness`: the study of the file's `[[uncertain]]`
    /// judgements plus `vary` (`--vary`'s `PATH=LO..HI`), kept for its text
    /// and plot. With `verdicts` (one byte 0 or 1 per Saltelli row, every
    /// row in order, as shards of `robustness_verdicts` give them), only
    /// the finishing steps run here: the result is the single run's.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (samples, seed, vary, max_outcomes, resolution, verdicts=None))]
    fn robustness(
        &self,
        py: Python<'_>,
        samples: usize,
        seed: u64,
        vary: Vec<String>,
        max_outcomes: u64,
        resolution: usize,
        verdicts: Option<Vec<u8>>,
    ) -> PyResult<Robustness> {
        let scenario = self.scenario();
        let judgements = self.judgements(samples, &vary)?;
        let result = run(py, |cancel| {
            let config = robustness_config(samples, seed, resolution, max_outcomes, cancel)?;
            let result = match verdicts {
                None => detente::robustness::study(scenario, &judgements, &config, &|_, _| {}),
                Some(bytes) => {
                    let verdicts = bytes.iter().map(|&b| b != 0).collect();
                    detente::robustness::finish(scenario, &judgements, &config, verdicts)
                }
            }
            .map_err(Failure::engine)?;
            if cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
            Ok(result)
        })?;
        Ok(Robustness { scenario: scenario.clone(), result })
    }

    /// The number of verdicts (Saltelli rows) of the study `robustness`
    /// would run: what a distributed run deals into shards.
    fn robustness_rows(&self, py: Python<'_>, samples: usize, seed: u64, vary: Vec<String>) -> PyResult<usize> {
        let judgements = self.judgements(samples, &vary)?;
        let config = detente::robustness::Config {
            samples,
            seed,
            analysis: detente::analysis::Config::new(),
            prim: detente::robustness::PrimConfig::ema(),
        };
        detente::robustness::rows(&judgements, &config).map_err(|e| Failure::engine(e).into_pyerr(py))
    }

    /// The verdicts of Saltelli rows `start..end` of that study, one byte
    /// (0 or 1) each: one shard of a distributed run.
    #[allow(clippy::too_many_arguments)]
    fn robustness_verdicts<'py>(
        &self,
        py: Python<'py>,
        samples: usize,
        seed: u64,
        vary: Vec<String>,
        max_outcomes: u64,
        resolution: usize,
        start: usize,
        end: usize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let scenario = self.scenario();
        let judgements = self.judgements(samples, &vary)?;
        let verdicts = run(py, |cancel| {
            let config = robustness_config(samples, seed, resolution, max_outcomes, cancel)?;
            let v = detente::robustness::verdicts(scenario, &judgements, &config, start..end, &|_, _| {})
                .map_err(Failure::engine)?;
            if cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
            Ok(v)
        })?;
        let bytes: Vec<u8> = verdicts.into_iter().map(u8::from).collect();
        Ok(PyBytes::new(py, &bytes))
    }

    /// `detente report`: HTML, or Markdown with the figures beside it,
    /// written atomically (temporary file beside the target, then rename).
    fn report(
        &self,
        py: Python<'_>,
        path: PathBuf,
        set: Vec<String>,
        drop: Vec<String>,
        markdown: bool,
        max_outcomes: u64,
    ) -> PyResult<()> {
        run(py, |cancel| {
            let (scenario, power) = self.prepare(&set, &drop)?;
            let mut config = analysis_config(11, max_outcomes, cancel)?;
            config.density = Some(detente_report::plot::plane::density_config(scenario.parties().len()));
            let analysis = detente::analysis::analyze(&scenario, &config).map_err(Failure::engine)?;
            let budget = Budget { cancel: cancel.clone(), ..Budget::new(config.max_outcomes) };
            let doc = detente_report::report::build_with_budget(&scenario, &analysis, power.as_deref(), &budget)
                .map_err(Failure::engine)?;
            if cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
            if markdown {
                // Figures first, so the Markdown never refers to a missing file.
                for figure in &doc.figures {
                    write_atomically(&figure_path(&path, &figure.name), figure.svg.as_bytes())?;
                }
                let text = detente_report::report::markdown::render(&doc, &|f| {
                    figure_path(&path, &f.name)
                        .file_name()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default()
                });
                write_atomically(&path, text.as_bytes())
            } else {
                write_atomically(&path, detente_report::report::html::render(&doc).as_bytes())
            }
        })
    }
}

/// `OUT-NAME.svg` beside `OUT`, as `detente report -o OUT.md` names figures.
fn figure_path(out: &Path, name: &str) -> PathBuf {
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    out.with_file_name(format!("{stem}-{name}.svg"))
}

/// Writes `bytes` to `path` through a temporary file beside it and a
/// rename, so no reader sees half a file; the folder must exist.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write as _;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Failure::Os(format!(
            "cannot write {}: the folder {} does not exist; create it first",
            path.display(),
            dir.display()
        )));
    }
    let fail = |e: std::io::Error| Failure::Os(format!("cannot write {}: {e}", path.display()));
    let mut tmp = tempfile::Builder::new().prefix(".detente-report-").tempfile_in(dir).map_err(fail)?;
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// A finished forecast: the `detente.forecast/1` document and what its
/// plots are drawn from.
#[pyclass(frozen, module = "detente._native")]
struct Forecast {
    scenario: detente::Scenario,
    forecasts: ScenarioForecast,
    models: Vec<&'static ModelInfo>,
    document: String,
}

#[pymethods]
impl Forecast {
    /// The `detente.forecast/1` document as JSON.
    fn document(&self) -> &str {
        &self.document
    }

    /// The models run, in order.
    fn models(&self) -> Vec<&'static str> {
        self.models.iter().map(|m| m.name).collect()
    }

    /// The SVG `forecast --plot` draws for `model`: `trajectories` (every
    /// actor's position by round and the forecast, one panel per issue),
    /// `distribution` or `tornado` (with a Monte Carlo study).
    fn plot(&self, py: Python<'_>, model: &str, kind: &str) -> PyResult<String> {
        use detente_report::plot;
        let issues = &self.forecasts.issues;
        let figure = match kind {
            "trajectories" => plot::trajectories(&self.scenario, issues, model),
            "distribution" => plot::distribution(&self.scenario, issues, model),
            "tornado" => plot::tornado(&self.scenario, issues, model),
            other => {
                return Err(PyValueError::new_err(format!(
                    "no plot `{other}`: use `trajectories`, `distribution` or `tornado`"
                )))
            }
        };
        figure.map(|f| f.svg).map_err(|e| Failure::engine(e).into_pyerr(py))
    }
}

/// A finished robustness study: the `detente.robustness/1` document, its
/// text and its plot.
#[pyclass(frozen, module = "detente._native")]
struct Robustness {
    scenario: detente::Scenario,
    result: detente::robustness::Robustness,
}

#[pymethods]
impl Robustness {
    /// The `detente.robustness/1` document as JSON.
    fn document(&self) -> String {
        detente_report::robustness::to_json(&self.scenario, &self.result).to_string()
    }

    /// `detente robustness`'s text, words first.
    fn text(&self) -> String {
        detente_report::robustness::to_text(&self.scenario, &self.result)
    }

    /// The SVG `robustness --plot` draws: Sobol indices and breakpoints.
    fn plot(&self, py: Python<'_>) -> PyResult<String> {
        detente_report::plot::robustness::robustness(&self.result)
            .map(|f| f.svg)
            .map_err(|e| Failure::engine(e).into_pyerr(py))
    }
}

/// Finished talks: the `detente.negotiation/1` document and the plane plot.
#[pyclass(frozen, module = "detente._native")]
struct Negotiation {
    scenario: detente::Scenario,
    domain: Domain,
    protocol: Box<dyn Protocol + Send + Sync>,
    seed: u64,
    labels: Vec<String>,
    defaulted: Vec<bool>,
    session: Session,
    evaluation: Evaluation,
    resolution: usize,
}

impl Negotiation {
    fn talks(&self) -> detente_report::negotiation::Talks<'_> {
        detente_report::negotiation::Talks {
            scenario: &self.scenario,
            domain: &self.domain,
            protocol: self.protocol.name(),
            deadline: self.protocol.deadline(),
            seed: self.seed,
            strategies: &self.labels,
            defaulted: &self.defaulted,
            session: &self.session,
            evaluation: &self.evaluation,
        }
    }
}

#[pymethods]
impl Negotiation {
    /// The `detente.negotiation/1` document as JSON.
    fn document(&self) -> String {
        detente_report::negotiation::to_json(&self.talks()).to_string()
    }

    /// The SVG `negotiate --plot` draws: the utility plane (an analysis of
    /// the scenario, run now) with the offer paths and the agreement.
    fn plot(&self, py: Python<'_>) -> PyResult<String> {
        run(py, |cancel| {
            // As `negotiate --plot`: the analysis's own outcome limit.
            let mut config = AnalysisConfig::new();
            config.resolution = Resolution { points: self.resolution };
            config.cancel = cancel.clone();
            config.density = Some(detente_report::plot::plane::density_config(self.scenario.parties().len()));
            let analysis = detente::analysis::analyze(&self.scenario, &config).map_err(Failure::engine)?;
            let figure = detente_report::negotiation::plot(&self.talks(), &analysis).map_err(Failure::engine)?;
            Ok(figure.svg)
        })
    }

    /// The posterior figure of a Bayesian negotiator (`STEM-posterior.svg`
    /// of `negotiate --plot`), or `None` when no negotiator kept one.
    fn plot_posterior(&self, py: Python<'_>) -> PyResult<Option<String>> {
        if self.session.posteriors.is_empty() {
            return Ok(None);
        }
        detente_report::negotiation::plot_posterior(&self.talks())
            .map(|f| Some(f.svg))
            .map_err(|e| Failure::engine(e).into_pyerr(py))
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scenario>()?;
    m.add_class::<Forecast>()?;
    m.add_class::<Negotiation>()?;
    m.add_class::<Robustness>()?;
    m.add_class::<custom::Info>()?;
    m.add_class::<custom::UFun>()?;
    m.add_class::<custom::State>()?;
    m.add_function(wrap_pyfunction!(tournament, m)?)?;
    m.add_function(wrap_pyfunction!(load_path, m)?)?;
    m.add_function(wrap_pyfunction!(load_text, m)?)?;
    m.add_function(wrap_pyfunction!(model_names, m)?)?;
    m.add_function(wrap_pyfunction!(strategy_names, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
