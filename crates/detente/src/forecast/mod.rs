//! Forecast models: predicting a collective decision from actor data.
//!
//! Political analysts forecast the outcome of a decision from three numbers
//! per actor and issue: the actor's *position* (what it wants), its
//! *salience* (how much it cares, 0–1) and its *capability* (how much it can
//! do about it). This module implements the models of that literature behind
//! one trait, so that a new model is one new type:
//!
//! - [`input`]: [`ForecastInput`], the data a model reads, built fallibly
//!   from a [`Scenario`](crate::Scenario), a stakeholder table or a DEU case;
//!   missing data become [`Diagnostic`](crate::Diagnostic)s, not panics;
//! - [`ForecastModel`]: the trait; a model has an `init` (round 0), a `step`
//!   (one round of position changes) and may end a run itself
//!   (`terminate`);
//! - [`runner`]: [`run`](runner::run) owns the loop: maximum rounds,
//!   convergence, observers (the round-by-round trace is one) and the
//!   [`Termination`] reason;
//! - [`registry`]: [`MODELS`](registry::MODELS), the one list of models; the
//!   CLI's `--model` values and help are derived from it;
//! - one file per model: [`compromise`], [`median`], [`nash`], [`eum`], a
//!   folder for the multi-dimensional [`ktab`] spatial model and one for
//!   the multi-issue [`exchange`] model;
//! - [`issues`]: a whole scenario forecast issue by issue, and by the
//!   spatial models on all issues at once (`detente forecast`);
//! - [`montecarlo`]: seeded Monte Carlo sensitivity of any model, with a
//!   one-at-a-time tornado;
//! - [`backtest`]: every model against the observed outcomes of DEU III.
//!
//! Models are documented in `docs/models/<name>.md` with their equations,
//! sources and every interpretive choice.
//!
//! ```
//! use detente::forecast::{input::ForecastInput, registry, runner};
//!
//! // Bueno de Mesquita's (1994) emission-standards example: capability,
//! // position (year), salience per actor.
//! let rows = [
//!     ("Netherlands", 0.08, 4.0, 0.8), ("Belgium", 0.08, 7.0, 0.4), ("Luxembourg", 0.03, 4.0, 0.2),
//!     ("Germany", 0.16, 4.0, 0.8), ("France", 0.16, 10.0, 0.6), ("Italy", 0.16, 10.0, 0.6),
//!     ("UK", 0.16, 10.0, 0.9), ("Ireland", 0.05, 7.0, 0.1), ("Denmark", 0.05, 4.0, 1.0),
//!     ("Greece", 0.08, 7.0, 0.7),
//! ];
//! let input = ForecastInput::one_issue("emissions", 4.0, 10.0, None, rows.iter().map(|r| (r.0, r.1, r.2, r.3))).unwrap();
//! let model = registry::model("eum-replication").unwrap().build();
//! let run = runner::run(model.as_ref(), &input, &runner::RunConfig::for_model(model.as_ref())).unwrap();
//! assert_eq!(run.rounds.len(), 11); // round 0 and ten rounds
//! assert_eq!(format!("{:.4}", run.rounds[10].metric("mean").unwrap()), "7.2421");
//! ```

pub mod backtest;
pub mod compromise;
pub mod elementary;
pub mod eum;
pub mod exchange;
pub mod input;
pub mod issues;
pub mod ktab;
pub mod median;
pub mod montecarlo;
pub mod nash;
pub mod outcome;
pub mod registry;
pub mod runner;

pub use input::ForecastInput;
pub use runner::{forecast, run, Cycle, RunConfig, Termination};

use std::fmt;

/// A forecast model.
///
/// A model turns a [`ForecastInput`] into a forecast, possibly over several
/// rounds in which actors change positions. The [runner](runner::run) calls
/// [`init`](ForecastModel::init) once (round 0), then
/// [`step`](ForecastModel::step) until the model
/// [terminates](ForecastModel::terminate), the positions converge or the
/// maximum number of rounds is reached. A static model (the compromise
/// model, say) computes its forecast in `init` and terminates at once.
///
/// Models are immutable during a run: everything that changes lives in the
/// [`Round`] passed by value from step to step, so one model value may run
/// many inputs at once (Monte Carlo) and is `Send + Sync`.
pub trait ForecastModel: Send + Sync {
    /// The registry name (`compromise`, `eum-replication`, …).
    fn name(&self) -> &'static str;

    /// Whether the model changes positions round by round (its runs have a
    /// meaningful trace). Static models return `false`.
    fn iterates(&self) -> bool {
        false
    }

    /// How the runner should stop this model when the caller does not say:
    /// the maximum number of rounds and the convergence tolerance.
    fn default_run(&self) -> RunConfig {
        RunConfig { max_rounds: 0, tolerance: None }
    }

    /// Round 0: the actors' stated positions and the forecast on them.
    fn init(&self, input: &ForecastInput) -> Result<Round, ModelError>;

    /// One round: takes the previous round by value and returns the next
    /// (`round` one higher). Static models never get here; the default
    /// returns the round unchanged.
    fn step(&self, input: &ForecastInput, previous: Round) -> Result<Round, ModelError> {
        let _ = input;
        Ok(Round { round: previous.round + 1, ..previous })
    }

    /// The forecast of a run without its trace, for Monte Carlo, which
    /// needs only the last round's forecast thousands of times: `Some` with
    /// exactly the numbers, bit for bit, of the last round of
    /// [`runner::run_observed`] with no observer, computed without the
    /// per-round metrics and allocations; `None` (the default) when the
    /// model has no faster way than the runner. `scratch` is the calling
    /// thread's: a model may keep buffers there between runs.
    /// Use [`runner::forecast`], which falls back to the runner.
    fn forecast_fast(
        &self,
        input: &ForecastInput,
        config: &RunConfig,
        scratch: &mut Scratch,
    ) -> Option<Result<Vec<f64>, ModelError>> {
        let _ = (input, config, scratch);
        None
    }

    /// Whether the model ends the run after `round`, whatever the runner's
    /// settings. The default ends static models at round 0.
    fn terminate(&self, round: &Round) -> Option<Termination> {
        let _ = round;
        (!self.iterates()).then_some(Termination::Static)
    }
}

/// Buffers a model keeps between runs on one thread
/// ([`ForecastModel::forecast_fast`]); Monte Carlo gives each worker one.
#[derive(Debug, Default)]
pub struct Scratch {
    slot: Option<Box<dyn std::any::Any + Send>>,
}

impl Scratch {
    /// The scratch value of type `T`, made with `Default` on first use (or
    /// when a model of another kind used this scratch before).
    pub fn get<T: Default + Send + 'static>(&mut self) -> &mut T {
        if !self.slot.as_ref().is_some_and(|b| b.is::<T>()) {
            self.slot = Some(Box::new(T::default()));
        }
        match self.slot.as_mut().and_then(|b| b.downcast_mut::<T>()) {
            Some(t) => t,
            None => unreachable!("the slot was just filled with a T"),
        }
    }
}

/// The state after one round: every actor's position and the forecast.
#[derive(Clone, Debug, PartialEq)]
pub struct Round {
    /// 0 for the stated positions, then 1, 2, …
    pub round: usize,
    /// The number of dimensions.
    pub dimensions: usize,
    /// Positions on the input's scale, actor-major: actor `a`'s position on
    /// dimension `d` is `positions[a * dimensions + d]` (see
    /// [`position`](Round::position)); actors in the order of
    /// [`ForecastInput::actors`].
    pub positions: Vec<f64>,
    /// The forecast after this round, one value per dimension.
    pub forecast: Vec<f64>,
    /// Model-specific figures for this round (risk exponents, moves, …).
    pub metrics: Vec<Metric>,
}

impl Round {
    /// A round with no metrics.
    pub fn new(round: usize, dimensions: usize, positions: Vec<f64>, forecast: Vec<f64>) -> Round {
        Round { round, dimensions, positions, forecast, metrics: Vec::new() }
    }

    /// Actor `actor`'s position, one value per dimension.
    pub fn position(&self, actor: usize) -> &[f64] {
        let d = self.dimensions.max(1);
        &self.positions[actor * d..(actor + 1) * d]
    }

    /// The number of actors.
    pub fn actor_count(&self) -> usize {
        self.positions.len() / self.dimensions.max(1)
    }

    /// The number metric `name`, when the round has one.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics.iter().find(|m| m.name == name).and_then(|m| match m.value {
            MetricValue::Number(x) => Some(x),
            _ => None,
        })
    }

    /// The positions metric `name` (actor-major), when the round has one.
    pub fn positions_metric(&self, name: &str) -> Option<&[f64]> {
        self.metrics.iter().find(|m| m.name == name).and_then(|m| match &m.value {
            MetricValue::Positions(xs) => Some(xs.as_slice()),
            _ => None,
        })
    }

    /// The per-actor metric `name`, when the round has one.
    pub fn per_actor(&self, name: &str) -> Option<&[f64]> {
        self.metrics.iter().find(|m| m.name == name).and_then(|m| match &m.value {
            MetricValue::PerActor(xs) => Some(xs.as_slice()),
            _ => None,
        })
    }

    /// The moves of this round, when the model reports them.
    pub fn moves(&self) -> &[Move] {
        self.metrics
            .iter()
            .find_map(|m| match &m.value {
                MetricValue::Moves(moves) => Some(moves.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// The forecast on the first (for one-issue inputs, the only) dimension.
    pub fn forecast1(&self) -> f64 {
        self.forecast.first().copied().unwrap_or(f64::NAN)
    }
}

/// One named figure of a round.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// A stable name (`mean`, `median`, `risk`, `moves`, …), documented
    /// with the model.
    pub name: &'static str,
    /// The value.
    pub value: MetricValue,
}

/// What a metric holds.
#[derive(Clone, Debug, PartialEq)]
pub enum MetricValue {
    /// One number.
    Number(f64),
    /// One number per actor, in actor order.
    PerActor(Vec<f64>),
    /// Position changes.
    Moves(Vec<Move>),
    /// One position per actor and dimension, actor-major like
    /// [`Round::positions`] (the exchange model's preferences, say, beside
    /// its voting positions).
    Positions(Vec<f64>),
}

/// One actor's change of position in a round.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    /// The actor that moved.
    pub actor: usize,
    /// Why.
    pub kind: MoveKind,
    /// The actor whose offer it took, when there is one.
    pub counterpart: Option<usize>,
    /// Position before, per dimension.
    pub from: Vec<f64>,
    /// Position after, per dimension.
    pub to: Vec<f64>,
}

/// Why an actor moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MoveKind {
    /// It lost a confrontation and took the winner's position.
    Confrontation,
    /// It compromised, moving part of the way toward the counterpart.
    Compromise,
    /// It capitulated, taking the counterpart's position.
    Capitulation,
    /// It shifted its vote on one issue in return for the counterpart's
    /// shift on another (the exchange model).
    Exchange,
}

impl MoveKind {
    /// `confrontation`, `compromise`, `capitulation` or `exchange`.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Confrontation => "confrontation",
            MoveKind::Compromise => "compromise",
            MoveKind::Capitulation => "capitulation",
            MoveKind::Exchange => "exchange",
        }
    }
}

/// Why a model cannot forecast an input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelError {
    /// The model needs a status quo (disagreement point) and the input has none.
    NeedsStatusQuo {
        /// The model.
        model: &'static str,
    },
    /// The model works on one dimension and the input has another number.
    NeedsOneDimension {
        /// The model.
        model: &'static str,
        /// How many dimensions the input has.
        dimensions: usize,
    },
    /// An iterative step of the model did not settle within its limit.
    Unsettled {
        /// The model.
        model: &'static str,
        /// What did not settle.
        what: &'static str,
    },
    /// The model trades positions across issues and the input has fewer
    /// than two.
    NeedsSeveralIssues {
        /// The model.
        model: &'static str,
        /// How many dimensions the input has.
        dimensions: usize,
    },
    /// The run's cancellation flag was set ([`crate::budget::Cancel`]).
    Cancelled,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NeedsStatusQuo { model } => {
                write!(f, "{model} needs a status quo as its disagreement point, and the issue has none")
            }
            ModelError::NeedsOneDimension { model, dimensions } => {
                write!(f, "{model} forecasts one issue at a time; the input has {dimensions} dimensions")
            }
            ModelError::Unsettled { model, what } => {
                write!(f, "{model}: {what} did not settle within its iteration limit")
            }
            ModelError::NeedsSeveralIssues { model, dimensions } => {
                write!(f, "{model} trades positions across pairs of issues and needs at least two; the input has {dimensions}")
            }
            ModelError::Cancelled => write!(f, "the forecast was {}", crate::budget::Cancelled),
        }
    }
}

impl std::error::Error for ModelError {}

/// Checks that `input` has one dimension, for one-dimensional models.
pub(crate) fn one_dimension(model: &'static str, input: &ForecastInput) -> Result<(), ModelError> {
    match input.dimensions.len() {
        1 => Ok(()),
        dimensions => Err(ModelError::NeedsOneDimension { model, dimensions }),
    }
}

/// Every actor's stated position, actor-major, as round-0 positions.
pub(crate) fn stated(input: &ForecastInput) -> Vec<f64> {
    input.actors.iter().flat_map(|a| a.position.iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Models and their outputs can cross threads (Monte Carlo).
    #[test]
    fn models_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Box<dyn ForecastModel>>();
        check::<Round>();
        check::<ForecastInput>();
    }
}
