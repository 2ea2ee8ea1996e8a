//! Forecasting a whole scenario: what `detente forecast` (and later the
//! server and Python) runs. Multi-issue scenarios are forecast issue by
//! issue, multi-dimensional ones by the spatial model.
//!
//! Every issue gets its own [`ForecastInput`] (the actors with a position on
//! it) and every chosen one-issue model runs on it. A problem with one issue
//! (unordered options, no actor with a position) is reported with that issue
//! and the others go on; a model that cannot forecast an issue (the Nash
//! model without a status quo) fails for that issue only.
//!
//! A spatial model ([`ModelInfo::spatial`]) forecasts a scenario with several
//! issues once, on all of them together ([`SpatialForecast`]); on a
//! one-issue scenario it runs like the others.
//!
//! A multi-issue model ([`ModelInfo::multi_issue`], the exchange model) runs
//! once on every issue that could be built, through
//! [`ForecastInput::from_scenario_sparse`], and its run is then shown issue
//! by issue: each issue gets that run's dimension, for the actors of its own
//! input. Monte Carlo studies are per issue and skip such models.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::input::{BuiltInput, ForecastInput};
use super::montecarlo::{
    model_runs, monte_carlo_from, monte_carlo_with, perturbed_forecasts, perturbed_values, MonteCarlo,
    MonteCarloConfig, Perturbation,
};
use super::registry::ModelInfo;
use super::runner::{run, Run, RunConfig};
use super::{Metric, MetricValue, ModelError, Move, Round};
use crate::budget::{Budget, Cancel, Cancelled};
use crate::diagnostic::Diagnostic;
use crate::scenario::{Domain, Scenario};

/// Which models to run and how long.
#[derive(Clone, Debug)]
pub struct Config {
    /// The models, in output order.
    pub models: Vec<&'static ModelInfo>,
    /// Replaces every iterating model's maximum number of rounds.
    pub max_rounds: Option<usize>,
    /// A Monte Carlo study of every model on every issue, when wanted.
    pub monte_carlo: Option<MonteCarloSettings>,
}

/// What a Monte Carlo study of each model and issue uses (each model runs
/// with its own stopping rule).
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarloSettings {
    /// Runs per model and issue.
    pub runs: usize,
    /// The seed (the same for every model and issue).
    pub seed: u64,
    /// What to perturb.
    pub perturbations: Vec<Perturbation>,
}

/// One issue's forecasts.
#[derive(Clone, Debug)]
pub struct IssueForecast {
    /// The issue's index in the scenario.
    pub issue: usize,
    /// The input the models read, when it could be built.
    pub input: Option<ForecastInput>,
    /// Problems building the input.
    pub diagnostics: Vec<Diagnostic>,
    /// One run per model, in the order of [`Config::models`] (empty when
    /// the input could not be built).
    pub runs: Vec<ModelRun>,
}

/// A spatial model's forecast of several issues at once.
#[derive(Clone, Debug)]
pub struct SpatialForecast {
    /// The issues forecast together (indices in the scenario): every issue
    /// whose positions lie on a line (not those with three or more
    /// unordered options).
    pub issues: Vec<usize>,
    /// The multi-dimensional input, when it could be built (actors need a
    /// position on every one of the issues).
    pub input: Option<ForecastInput>,
    /// Problems building the input.
    pub diagnostics: Vec<Diagnostic>,
    /// One run per spatial model, in the order of [`Config::models`].
    pub runs: Vec<ModelRun>,
}

/// A scenario's forecasts: issue by issue, and all issues at once.
#[derive(Clone, Debug)]
pub struct ScenarioForecast {
    /// One entry per issue, in scenario order, with the one-issue models'
    /// runs (every model's on a one-issue scenario); empty when only
    /// spatial models were chosen for a multi-issue scenario.
    pub issues: Vec<IssueForecast>,
    /// The spatial models' forecast of a multi-issue scenario, when one was
    /// chosen.
    pub spatial: Option<SpatialForecast>,
    /// Each model's forecasts as one whole outcome, checked against the
    /// constraints ([`super::outcome`]); empty without a status quo.
    pub outcomes: Vec<super::outcome::OutcomeForecast>,
}

/// One model's run on one issue.
#[derive(Clone, Debug)]
pub struct ModelRun {
    /// The model's registry name.
    pub model: &'static str,
    /// Whether the model iterates.
    pub iterates: bool,
    /// The run, or why the model could not forecast the issue.
    pub result: Result<Run, ModelError>,
    /// The Monte Carlo study, when asked for and the run succeeded.
    pub monte_carlo: Option<MonteCarlo>,
}

/// Forecasts every issue of `scenario` with every one-issue model of
/// `config` (the issue part of [`forecast_scenario`]). `power[actor][issue]`,
/// when given (a stakeholder table's per-issue power), replaces the actors'
/// capabilities.
pub fn forecast_issues(scenario: &Scenario, power: Option<&[Vec<Option<f64>>]>, config: &Config) -> Vec<IssueForecast> {
    forecast_scenario(scenario, power, config).issues
}

/// Forecasts `scenario` with every model of `config`: issue by issue, and
/// with the spatial models on all issues at once when there are several.
pub fn forecast_scenario(scenario: &Scenario, power: Option<&[Vec<Option<f64>>]>, config: &Config) -> ScenarioForecast {
    forecast_scenario_with_progress(scenario, power, config, &|_, _| {})
}

/// Whether `issue`'s positions lie on a line (not three or more unordered
/// options).
fn on_a_line(scenario: &Scenario, issue: usize) -> bool {
    !matches!(&scenario.issues[issue].domain, Domain::Discrete { ordered: false, options } if options.len() > 2)
}

/// [`forecast_scenario`], reporting Monte Carlo progress as `(runs done,
/// runs in all)` from any thread.
pub fn forecast_scenario_with_progress(
    scenario: &Scenario,
    power: Option<&[Vec<Option<f64>>]>,
    config: &Config,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ScenarioForecast {
    let budget = Budget::new(super::outcome::MAX_SEARCH);
    let budget = Budget { max_perturbed: u128::MAX, ..budget };
    forecast_scenario_with(scenario, power, config, progress, &budget)
        .unwrap_or_else(|e| unreachable!("a flag nobody else holds is never set, and the study has no size limit: {e}"))
}

/// Why [`forecast_scenario_with`] gave no forecast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForecastError {
    /// A Monte Carlo study is larger than [`Budget::max_perturbed`]
    /// (checked before any run).
    TooLarge {
        /// Runs asked for.
        runs: usize,
        /// Actors of the largest input studied.
        actors: usize,
        /// Its issues (dimensions).
        issues: usize,
        /// The limit.
        limit: u128,
    },
    /// The budget's flag was set.
    Cancelled,
    /// The forecasts given to finish the Monte Carlo studies
    /// ([`StudyPart::Given`]) are not one list per study, each of every
    /// run's forecasts.
    Given {
        /// What does not fit.
        why: String,
    },
}

impl From<Cancelled> for ForecastError {
    fn from(_: Cancelled) -> ForecastError {
        ForecastError::Cancelled
    }
}

impl std::fmt::Display for ForecastError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            ForecastError::TooLarge { runs, actors, issues, limit } => write!(
                f,
                "a Monte Carlo study of {runs} runs on {actors} actors and {issues} issues perturbs {} values, more than the limit of {limit}; ask for fewer runs (--monte-carlo) or raise the limit (--max-perturbed)",
                runs as u128 * actors as u128 * issues as u128
            ),
            ForecastError::Cancelled => write!(f, "the forecast was {Cancelled}"),
            ForecastError::Given { ref why } => write!(f, "the Monte Carlo shards do not fit this forecast: {why}"),
        }
    }
}

impl std::error::Error for ForecastError {}

/// [`forecast_scenario_with_progress`] within `budget`: the constrained
/// forecasts search at most `budget.max_outcomes` outcomes, a Monte Carlo
/// study larger than `budget.max_perturbed` is refused before any model
/// runs, and a set flag stops the Monte Carlo runs (and tornado) and the
/// search, ending with [`ForecastError::Cancelled`]. Progress counts model
/// runs: every study's perturbed runs and its tornado's.
pub fn forecast_scenario_with(
    scenario: &Scenario,
    power: Option<&[Vec<Option<f64>>]>,
    config: &Config,
    progress: &(dyn Fn(u64, u64) + Sync),
    budget: &Budget,
) -> Result<ScenarioForecast, ForecastError> {
    forecast_scenario_part(scenario, power, config, progress, budget, &StudyPart::Whole)
}

/// Which part of the Monte Carlo studies a forecast computes: how a study
/// is split across machines by run index.
#[derive(Clone, Debug, PartialEq)]
pub enum StudyPart {
    /// Every run, the summaries and the tornado: one machine's study.
    Whole,
    /// Only the perturbed runs in the range, in every study: a shard. Each
    /// study's [`MonteCarlo`] then holds those runs' forecasts alone (no
    /// summaries, no tornado); [`study_forecasts`] lists them.
    Runs(std::ops::Range<usize>),
    /// Every study's forecasts given (in the order of [`study_forecasts`],
    /// every run, `None` where a shard's study failed): the summaries and
    /// tornado are computed from them, the perturbed runs are not made again.
    Given(Vec<Option<Vec<f64>>>),
}

/// The Monte Carlo forecasts of every study of `forecast`, in the order the
/// studies run (issue by issue, the one-issue models in order, then the
/// spatial models); `None` where a model could not forecast or its study
/// failed. What a shard ([`StudyPart::Runs`]) sends back.
pub fn study_forecasts(forecast: &ScenarioForecast) -> Vec<Option<Vec<f64>>> {
    let studied = |r: &ModelRun| super::registry::model(r.model).is_none_or(|m| !m.multi_issue);
    forecast
        .issues
        .iter()
        .flat_map(|i| i.runs.iter())
        .chain(forecast.spatial.iter().flat_map(|s| s.runs.iter()))
        .filter(|r| studied(r))
        .map(|r| r.monte_carlo.as_ref().map(|m| m.forecasts.clone()))
        .collect()
}

/// [`forecast_scenario_with`], computing the `part` of its Monte Carlo
/// studies.
pub fn forecast_scenario_part(
    scenario: &Scenario,
    power: Option<&[Vec<Option<f64>>]>,
    config: &Config,
    progress: &(dyn Fn(u64, u64) + Sync),
    budget: &Budget,
    part: &StudyPart,
) -> Result<ScenarioForecast, ForecastError> {
    let several = scenario.issues.len() > 1;
    let (spatial, one_issue): (Vec<&'static ModelInfo>, Vec<&'static ModelInfo>) =
        config.models.iter().copied().partition(|m| m.spatial && several);
    let built: Vec<_> = if one_issue.is_empty() {
        Vec::new()
    } else {
        (0..scenario.issues.len())
            .map(|issue| (issue, ForecastInput::from_scenario(scenario, &[issue], power)))
            .collect()
    };
    let joint = (!spatial.is_empty()).then(|| {
        let issues: Vec<usize> = (0..scenario.issues.len()).filter(|&i| on_a_line(scenario, i)).collect();
        if issues.is_empty() {
            let why = Diagnostic::error(
                "forecast::unordered",
                None,
                "every issue has three or more unordered options, so no position lies on a line",
            )
            .with_help("the spatial model needs ordered options, a number range or a continuous issue; mark the options `ordered = true` if their order means something");
            return (issues, BuiltInput { input: None, diagnostics: vec![why] });
        }
        let built = ForecastInput::from_scenario_spatial(scenario, &issues, power);
        (issues, built)
    });
    // Every input a study will run on, once per model that studies it.
    let per_issue = one_issue.iter().filter(|m| !m.multi_issue).count();
    let studied: Vec<(&ForecastInput, usize)> = built
        .iter()
        .filter_map(|(_, b)| b.input.as_ref().map(|i| (i, per_issue)))
        .chain(joint.as_ref().and_then(|(_, b)| b.input.as_ref()).map(|i| (i, spatial.len())))
        .filter(|&(_, models)| models > 0)
        .collect();
    let mut total = 0;
    if let Some(mc) = &config.monte_carlo {
        // The size first: nothing has run or been allocated yet.
        if let Some(&(big, _)) = studied.iter().max_by_key(|(i, _)| perturbed_values(mc.runs, i)) {
            if perturbed_values(mc.runs, big) > budget.max_perturbed {
                return Err(ForecastError::TooLarge {
                    runs: mc.runs,
                    actors: big.actors().len(),
                    issues: big.dimensions().len(),
                    limit: budget.max_perturbed,
                });
            }
        }
        let counted = study_config(mc, RunConfig { max_rounds: 0, tolerance: None });
        total = studied.iter().map(|&(i, models)| models as u64 * model_runs(i, &counted)).sum();
    }
    let finished = AtomicU64::new(0);
    // The studies run one after the other in a fixed order, which the
    // given forecasts follow (`study_forecasts`).
    let next_study = AtomicUsize::new(0);
    let bad_given = std::sync::Mutex::new(None::<String>);
    let run_studied = |info: &'static ModelInfo, input: &ForecastInput| -> ModelRun {
        let mut one = run_one(info, input, config.max_rounds);
        let k = next_study.fetch_add(1, Ordering::Relaxed);
        if let Some(mc) = &config.monte_carlo {
            let offset = finished.load(Ordering::Relaxed);
            if one.result.is_ok() {
                let report = |n: u64| progress(offset + n, total);
                one.monte_carlo = match part {
                    StudyPart::Whole => study(info, input, config.max_rounds, mc, &report, &budget.cancel),
                    StudyPart::Runs(runs) => {
                        study_runs(info, input, config.max_rounds, mc, runs.clone(), &report, &budget.cancel)
                    }
                    StudyPart::Given(given) => match given.get(k) {
                        Some(Some(f)) if f.len() == mc.runs * input.dimensions().len() => {
                            study_given(info, input, config.max_rounds, mc, f.clone(), &report, &budget.cancel)
                        }
                        Some(None) => None,
                        other => {
                            let why = match other {
                                None => format!("no forecasts for study {}; {} were given", k + 1, given.len()),
                                Some(Some(f)) => format!(
                                    "study {} has {} forecasts, not {} runs × {} issues",
                                    k + 1,
                                    f.len(),
                                    mc.runs,
                                    input.dimensions().len()
                                ),
                                Some(None) => unreachable!("matched above"),
                            };
                            bad_given.lock().expect("not poisoned").get_or_insert(why);
                            None
                        }
                    },
                };
            }
            // Counted as done even when the model could not forecast, so
            // the progress still ends at its total.
            let runs = model_runs(input, &study_config(mc, RunConfig { max_rounds: 0, tolerance: None }));
            finished.store(offset + runs, Ordering::Relaxed);
            progress(offset + runs, total);
        }
        one
    };
    // Multi-issue models (the exchange model) run once on every usable issue.
    let usable: Vec<usize> = built.iter().filter(|(_, b)| b.input.is_some()).map(|(i, _)| *i).collect();
    let traded = one_issue.iter().any(|m| m.multi_issue).then(|| {
        let input = ForecastInput::from_scenario_sparse(scenario, &usable, power).input;
        let runs: Vec<Option<ModelRun>> = one_issue
            .iter()
            .map(|info| match (&input, info.multi_issue) {
                (Some(input), true) => Some(run_one(info, input, config.max_rounds)),
                _ => None,
            })
            .collect();
        (input, runs)
    });
    let issues = built
        .into_iter()
        .map(|(issue, built)| {
            let runs = match &built.input {
                None => Vec::new(),
                Some(input) => one_issue
                    .iter()
                    .enumerate()
                    .map(|(k, info)| {
                        if !info.multi_issue {
                            return run_studied(info, input);
                        }
                        let dim = usable.iter().position(|&i| i == issue).unwrap_or(0);
                        match &traded {
                            Some((Some(whole), runs)) => match &runs[k] {
                                Some(run) => project(run, whole, input, dim),
                                None => run_one(info, input, config.max_rounds),
                            },
                            // No actor has a position anywhere: this issue has none either.
                            _ => run_one(info, input, config.max_rounds),
                        }
                    })
                    .collect(),
            };
            IssueForecast { issue, input: built.input, diagnostics: built.diagnostics, runs }
        })
        .collect();
    let spatial = joint.map(|(issues, built)| {
        let runs = built
            .input
            .as_ref()
            .map_or_else(Vec::new, |input| spatial.iter().map(|info| run_studied(info, input)).collect());
        SpatialForecast { issues, input: built.input, diagnostics: built.diagnostics, runs }
    });
    // A study stopped by the flag left its runs out: nothing above is whole.
    budget.cancel.check()?;
    if let Some(why) = bad_given.into_inner().expect("not poisoned") {
        return Err(ForecastError::Given { why });
    }
    if let StudyPart::Given(given) = part {
        let used = next_study.load(Ordering::Relaxed);
        if config.monte_carlo.is_some() && given.len() != used {
            return Err(ForecastError::Given {
                why: format!("{} studies were given, this forecast has {used}", given.len()),
            });
        }
    }
    let mut forecast = ScenarioForecast { issues, spatial, outcomes: Vec::new() };
    forecast.outcomes = super::outcome::whole_outcomes_with(scenario, &forecast, power, budget)?;
    Ok(forecast)
}

/// The part of `run` (on the multi-issue input `whole`) that concerns
/// dimension `dim`, for the actors of the one-issue input `one` (matched by
/// id): positions, forecast and metrics on that dimension; moves of those
/// actors that changed it.
fn project(run: &ModelRun, whole: &ForecastInput, one: &ForecastInput, dim: usize) -> ModelRun {
    let m = whole.dimensions().len();
    // Every actor with a position on the issue has one in the multi-issue input.
    let map: Vec<usize> =
        one.actors().iter().map(|a| whole.actors().iter().position(|b| b.id == a.id).unwrap_or(0)).collect();
    let back = |k: usize| map.iter().position(|&j| j == k);
    let pick = |xs: &[f64]| map.iter().map(|&a| xs[a * m + dim]).collect::<Vec<f64>>();
    let round = |r: &Round| {
        let metrics = r
            .metrics
            .iter()
            .map(|metric| {
                let value = match &metric.value {
                    MetricValue::Number(x) => MetricValue::Number(*x),
                    MetricValue::PerActor(xs) => MetricValue::PerActor(map.iter().map(|&a| xs[a]).collect()),
                    MetricValue::Positions(xs) => MetricValue::Positions(pick(xs)),
                    MetricValue::Moves(moves) => MetricValue::Moves(
                        moves
                            .iter()
                            .filter(|mv| mv.from[dim] != mv.to[dim])
                            .filter_map(|mv| {
                                Some(Move {
                                    actor: back(mv.actor)?,
                                    kind: mv.kind,
                                    counterpart: mv.counterpart.and_then(back),
                                    from: vec![mv.from[dim]],
                                    to: vec![mv.to[dim]],
                                })
                            })
                            .collect(),
                    ),
                };
                Metric { name: metric.name, value }
            })
            .collect();
        Round { round: r.round, dimensions: 1, positions: pick(&r.positions), forecast: vec![r.forecast[dim]], metrics }
    };
    ModelRun {
        model: run.model,
        iterates: run.iterates,
        result: run
            .result
            .as_ref()
            .map(|r| Run { model: r.model, rounds: r.rounds.iter().map(round).collect(), termination: r.termination })
            .map_err(Clone::clone),
        monte_carlo: None,
    }
}

/// The run settings of a registered model (`max_rounds` replacing an
/// iterating model's maximum).
fn run_config(model: &dyn super::ForecastModel, max_rounds: Option<usize>) -> RunConfig {
    let mut config = RunConfig::for_model(model);
    if let (Some(n), true) = (max_rounds, model.iterates()) {
        config.max_rounds = n;
    }
    config
}

/// Runs one registered model on `input` with its default run settings
/// (`max_rounds` replacing its maximum).
pub fn run_one(info: &ModelInfo, input: &ForecastInput, max_rounds: Option<usize>) -> ModelRun {
    let model = info.build();
    let config = run_config(model.as_ref(), max_rounds);
    ModelRun {
        model: info.name,
        iterates: model.iterates(),
        result: run(model.as_ref(), input, &config),
        monte_carlo: None,
    }
}

fn study(
    info: &ModelInfo,
    input: &ForecastInput,
    max_rounds: Option<usize>,
    settings: &MonteCarloSettings,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Option<MonteCarlo> {
    let model = info.build();
    let config = study_config(settings, run_config(model.as_ref(), max_rounds));
    monte_carlo_with(model.as_ref(), input, &config, progress, cancel).ok()
}

/// The perturbed runs `runs` of [`study`] alone (a shard's part).
fn study_runs(
    info: &ModelInfo,
    input: &ForecastInput,
    max_rounds: Option<usize>,
    settings: &MonteCarloSettings,
    runs: std::ops::Range<usize>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Option<MonteCarlo> {
    let model = info.build();
    let config = study_config(settings, run_config(model.as_ref(), max_rounds));
    let forecasts = perturbed_forecasts(model.as_ref(), input, &config, runs, progress, cancel).ok()?;
    Some(MonteCarlo { base: Vec::new(), forecasts, summaries: Vec::new(), tornado: Vec::new() })
}

/// [`study`] from every run's forecasts, given.
fn study_given(
    info: &ModelInfo,
    input: &ForecastInput,
    max_rounds: Option<usize>,
    settings: &MonteCarloSettings,
    forecasts: Vec<f64>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Option<MonteCarlo> {
    let model = info.build();
    let config = study_config(settings, run_config(model.as_ref(), max_rounds));
    monte_carlo_from(model.as_ref(), input, &config, forecasts, progress, cancel).ok()
}

/// The study `settings` ask for, each run stopping as `run` says; always
/// with the tornado.
fn study_config(settings: &MonteCarloSettings, run: RunConfig) -> MonteCarloConfig {
    MonteCarloConfig {
        runs: settings.runs,
        seed: settings.seed,
        perturbations: settings.perturbations.clone(),
        run,
        tornado: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::registry::MODELS;
    use crate::{load_str, TextFormat};

    #[test]
    fn issue_by_issue_with_failures_kept_apart() {
        let text = r#"
format = 1
name = "t"
[[issues]]
id = "tariff"
kind = "continuous"
min = 0
max = 25
[[issues]]
id = "venue"
options = ["geneva", "vienna", "oslo"]
[[actors]]
id = "us"
stances.tariff = { position = 10, salience = 0.8 }
stances.venue = { position = "geneva", salience = 0.2 }
[[actors]]
id = "cn"
stances.tariff = { position = 25, salience = 0.6 }
"#;
        let scenario = load_str("t.toml", text, TextFormat::Toml).scenario.unwrap();
        let config = Config { models: MODELS.iter().collect(), max_rounds: Some(3), monte_carlo: None };
        let out = forecast_issues(&scenario, None, &config);
        assert_eq!(out.len(), 2);
        // The spatial model forecasts the issues together, not one by one.
        let one_issue = MODELS.iter().filter(|m| !m.spatial).count();
        assert!(one_issue < MODELS.len());
        assert_eq!(out[0].runs.len(), one_issue);
        let nash = out[0].runs.iter().find(|r| r.model == "nash").unwrap();
        assert_eq!(nash.result, Err(ModelError::NeedsStatusQuo { model: "nash" }));
        let eum = out[0].runs.iter().find(|r| r.model == "eum-replication").unwrap();
        assert!(eum.iterates);
        assert!(eum.result.as_ref().unwrap().rounds.len() <= 4);
        assert_eq!(out[1].diagnostics[0].code, "forecast::unordered");
        assert!(out[1].runs.is_empty());
        // Together: only the issue on a line, the actors with a position on it.
        let spatial = forecast_scenario(&scenario, None, &config).spatial.unwrap();
        assert_eq!(spatial.issues, [0]);
        assert_eq!(spatial.runs.len(), MODELS.len() - one_issue);
        assert_eq!(spatial.input.unwrap().actors().len(), 2);
        // With no issue on a line the spatial model says why, not "no issue chosen".
        let mut unordered = scenario.clone();
        unordered.issues.remove(0);
        for actor in &mut unordered.actors {
            actor.stances.retain(|s| s.issue == 1);
            actor.stances.iter_mut().for_each(|s| s.issue = 0);
        }
        unordered.issues.push(unordered.issues[0].clone());
        unordered.issues[1].id = "venue2".into();
        let spatial = forecast_scenario(&unordered, None, &config).spatial.unwrap();
        assert!(spatial.issues.is_empty() && spatial.input.is_none() && spatial.runs.is_empty());
        assert_eq!(spatial.diagnostics.len(), 1);
        assert_eq!(spatial.diagnostics[0].code, "forecast::unordered");
        assert!(spatial.diagnostics[0].message.starts_with("every issue has three or more unordered options"));
    }

    /// Three issues (continuous, integer, ordered options), three actors;
    /// shared with the CLI test of the spatial forecast.
    const THREE_ISSUES: &str = include_str!("../../tests/fixtures/trade.toml");

    /// Multi-issue scenarios are forecast issue by issue, multi-dimensional
    /// ones by the spatial model: one run on all the issues, with a position
    /// per issue on each issue's own scale.
    #[test]
    fn the_spatial_model_forecasts_all_issues_at_once() {
        let scenario = load_str("trade.toml", THREE_ISSUES, TextFormat::Toml).scenario.unwrap();
        let ktab = crate::forecast::registry::model("ktab-smp").unwrap();
        let config = Config { models: vec![ktab], max_rounds: None, monte_carlo: None };
        let out = forecast_scenario(&scenario, None, &config);
        assert!(out.issues.is_empty(), "no one-issue model was chosen");
        let spatial = out.spatial.unwrap();
        assert_eq!(spatial.issues, [0, 1, 2]);
        let run = spatial.runs[0].result.as_ref().unwrap();
        assert_eq!(run.last().dimensions, 3);
        let scales = [(0.0, 25.0), (0.0, 100.0), (0.0, 2.0)];
        for round in &run.rounds {
            for a in 0..3 {
                for (x, (lo, hi)) in round.position(a).iter().zip(scales) {
                    assert!(*x >= lo && *x <= hi, "{x} outside {lo}..{hi}");
                }
            }
        }
        // With a one-issue model too, both parts are there.
        let config = Config { models: MODELS.iter().collect(), max_rounds: None, monte_carlo: None };
        let out = forecast_scenario(&scenario, None, &config);
        assert_eq!(out.issues.len(), 3);
        assert!(out.issues.iter().all(|f| f.runs.iter().all(|r| r.model != "ktab-smp")));
        assert_eq!(out.spatial.unwrap().runs.len(), 1);
        // A one-issue scenario is forecast by every model, the spatial one too.
        let mut one = scenario.clone();
        one.issues.truncate(1);
        for actor in &mut one.actors {
            actor.stances.retain(|s| s.issue == 0);
        }
        let out = forecast_scenario(&one, None, &config);
        assert!(out.spatial.is_none());
        assert_eq!(out.issues[0].runs.len(), MODELS.len());
    }
}
