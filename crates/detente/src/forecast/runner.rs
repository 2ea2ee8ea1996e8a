//! The shared loop that runs any [`ForecastModel`]: maximum rounds,
//! convergence, observers and the reason a run ended.
//!
//! Models only say how one round follows another; the runner decides when
//! to stop, in this order after every round (round 0 included):
//!
//! 1. the model ends the run ([`ForecastModel::terminate`]; static models
//!    end at round 0 with [`Termination::Static`]);
//! 2. an observer asks to stop ([`Termination::Interrupted`]);
//! 3. the positions converged: no actor moved by more than `tolerance` ×
//!    the scale's span on any dimension in the last round
//!    ([`Termination::Converged`]);
//! 4. `max_rounds` rounds have been played ([`Termination::MaxRounds`]).
//!
//! The round-by-round table of `detente forecast` is an observer
//! ([`Trace`]); [`run`] records it, [`run_observed`] leaves recording to the
//! caller (Monte Carlo runs record nothing).

use super::{ForecastInput, ForecastModel, ModelError, Round, Scratch};

/// When to stop an iterating model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunConfig {
    /// The most rounds played after round 0.
    pub max_rounds: usize,
    /// Stop once no actor moved by more than this fraction of the scale's
    /// span in a round; `None` never stops early (every round up to
    /// `max_rounds` is played, as fixed-length replications do).
    pub tolerance: Option<f64>,
}

impl RunConfig {
    /// The model's own defaults ([`ForecastModel::default_run`]).
    pub fn for_model(model: &dyn ForecastModel) -> RunConfig {
        model.default_run()
    }

    /// The same with `max_rounds` replaced.
    #[must_use]
    pub fn with_max_rounds(self, max_rounds: usize) -> RunConfig {
        RunConfig { max_rounds, ..self }
    }
}

/// Why a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Termination {
    /// The model does not iterate: its forecast is round 0.
    Static,
    /// The positions stopped moving (within the tolerance).
    Converged,
    /// The maximum number of rounds was played.
    MaxRounds,
    /// An observer asked to stop.
    Interrupted,
}

impl Termination {
    /// `static`, `converged`, `max-rounds` or `interrupted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Termination::Static => "static",
            Termination::Converged => "converged",
            Termination::MaxRounds => "max-rounds",
            Termination::Interrupted => "interrupted",
        }
    }
}

/// Whether a run goes on after an observer has seen a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Continue,
    /// Stop now ([`Termination::Interrupted`]).
    Stop,
}

/// Sees every round as it is played, round 0 first.
pub trait Observer {
    /// Called once per round; returning [`Flow::Stop`] ends the run.
    fn observe(&mut self, round: &Round) -> Flow;
}

/// Observes nothing.
impl Observer for () {
    fn observe(&mut self, _round: &Round) -> Flow {
        Flow::Continue
    }
}

/// Records every round: the round-by-round trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// The rounds seen, round 0 first.
    pub rounds: Vec<Round>,
}

impl Observer for Trace {
    fn observe(&mut self, round: &Round) -> Flow {
        self.rounds.push(round.clone());
        Flow::Continue
    }
}

/// A finished run with its trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The model's registry name.
    pub model: &'static str,
    /// Every round, round 0 first; the last is the forecast.
    pub rounds: Vec<Round>,
    /// Why the run ended.
    pub termination: Termination,
}

impl Run {
    /// The last round.
    pub fn last(&self) -> &Round {
        // A run always has round 0.
        &self.rounds[self.rounds.len() - 1]
    }

    /// The forecast: the last round's, one value per dimension.
    pub fn forecast(&self) -> &[f64] {
        &self.last().forecast
    }
}

/// Runs `model` on `input` and records every round.
pub fn run(model: &dyn ForecastModel, input: &ForecastInput, config: &RunConfig) -> Result<Run, ModelError> {
    let mut trace = Trace::default();
    let (_, termination) = run_observed(model, input, config, &mut trace)?;
    Ok(Run { model: model.name(), rounds: trace.rounds, termination })
}

/// Runs `model` on `input`, showing every round to `observer`, and returns
/// the last round and why the run ended.
pub fn run_observed(
    model: &dyn ForecastModel,
    input: &ForecastInput,
    config: &RunConfig,
    observer: &mut dyn Observer,
) -> Result<(Round, Termination), ModelError> {
    let mut round = model.init(input)?;
    let mut previous: Option<Vec<f64>> = None;
    loop {
        if observer.observe(&round) == Flow::Stop {
            return Ok((round, Termination::Interrupted));
        }
        if let Some(reason) = model.terminate(&round) {
            return Ok((round, reason));
        }
        if let (Some(tolerance), Some(before)) = (config.tolerance, &previous) {
            if converged(input, before, &round.positions, round.dimensions, tolerance) {
                return Ok((round, Termination::Converged));
            }
        }
        if round.round >= config.max_rounds {
            return Ok((round, Termination::MaxRounds));
        }
        match &mut previous {
            Some(before) => before.clone_from(&round.positions),
            None => previous = Some(round.positions.clone()),
        }
        round = model.step(input, round)?;
    }
}

/// The last round's forecast of `model` on `input`, as [`run_observed`]
/// with no observer gives it, through the model's fast path when it has one
/// ([`ForecastModel::forecast_fast`]); `scratch` is the calling thread's.
pub fn forecast(
    model: &dyn ForecastModel,
    input: &ForecastInput,
    config: &RunConfig,
    scratch: &mut Scratch,
) -> Result<Vec<f64>, ModelError> {
    match model.forecast_fast(input, config, scratch) {
        Some(result) => result,
        None => run_observed(model, input, config, &mut ()).map(|(last, _)| last.forecast),
    }
}

/// Whether no actor moved by more than `tolerance` × span on any dimension
/// between positions `before` and `after` (actor-major, `dimensions` per
/// actor).
pub(crate) fn converged(
    input: &ForecastInput,
    before: &[f64],
    after: &[f64],
    dimensions: usize,
    tolerance: f64,
) -> bool {
    let dims = dimensions.max(1);
    before.iter().zip(after).enumerate().all(|(k, (a, b))| {
        let span = input.dimensions().get(k % dims).map_or(0.0, |d| d.max - d.min);
        let scale = if span > 0.0 { span } else { 1.0 };
        (a - b).abs() <= tolerance * scale
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Halves every actor's distance to 0 each round.
    struct Halve;

    impl ForecastModel for Halve {
        fn name(&self) -> &'static str {
            "halve"
        }
        fn iterates(&self) -> bool {
            true
        }
        fn init(&self, input: &ForecastInput) -> Result<Round, ModelError> {
            let positions = super::super::stated(input);
            Ok(Round::new(0, 1, positions.clone(), vec![positions[0]]))
        }
        fn step(&self, _input: &ForecastInput, previous: Round) -> Result<Round, ModelError> {
            let positions: Vec<f64> = previous.positions.iter().map(|x| x / 2.0).collect();
            Ok(Round::new(previous.round + 1, 1, positions.clone(), vec![positions[0]]))
        }
    }

    fn input() -> ForecastInput {
        ForecastInput::one_issue("i", 0.0, 100.0, None, [("a", 1.0, 64.0, 1.0), ("b", 1.0, 32.0, 1.0)]).unwrap()
    }

    #[test]
    fn max_rounds_and_convergence() {
        let config = RunConfig { max_rounds: 3, tolerance: None };
        let run = run(&Halve, &input(), &config).unwrap();
        assert_eq!(run.termination, Termination::MaxRounds);
        assert_eq!(run.rounds.len(), 4);
        assert_eq!(run.forecast(), [8.0]);
        // The largest move into round k is 64/2^k: 1 ≤ 0.01 × 100 at round 6.
        let config = RunConfig { max_rounds: 100, tolerance: Some(0.01) };
        let run = super::run(&Halve, &input(), &config).unwrap();
        assert_eq!((run.termination, run.last().round), (Termination::Converged, 6));
    }

    #[test]
    fn observers_can_stop_a_run() {
        struct StopAt(usize);
        impl Observer for StopAt {
            fn observe(&mut self, round: &Round) -> Flow {
                if round.round == self.0 {
                    Flow::Stop
                } else {
                    Flow::Continue
                }
            }
        }
        let config = RunConfig { max_rounds: 10, tolerance: None };
        let (last, reason) = run_observed(&Halve, &input(), &config, &mut StopAt(2)).unwrap();
        assert_eq!((last.round, reason), (2, Termination::Interrupted));
    }
}
