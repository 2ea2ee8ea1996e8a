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
//! 4. `max_rounds` rounds have been played ([`Termination::MaxRounds`]),
//!    unless the last rounds repeat: when the positions of each of the
//!    last `p` rounds equal those `p` rounds earlier (within the tolerance,
//!    or 10⁻⁹ of the span without one), for some period `2 ≤ p ≤`
//!    [`MAX_PERIOD`], and the forecast changes within the period, the model
//!    oscillates and the run ends with [`Termination::Cycle`]: its last
//!    round is then one point of the cycle, not a forecast ([`Run::cycle`]
//!    gives the range). Positions that cycle under a steady forecast are
//!    no oscillation of the forecast.
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
    /// The maximum number of rounds was played and the positions repeat
    /// with this period (≥ 2): the model oscillates.
    Cycle {
        /// Rounds per repetition.
        period: usize,
    },
}

/// The longest period [`run_observed`] looks for.
pub const MAX_PERIOD: usize = 8;

/// An oscillation found at the end of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Cycle {
    /// Rounds per repetition.
    pub period: usize,
    /// Per dimension, the lowest and highest forecast over one period.
    pub range: Vec<(f64, f64)>,
}

impl Termination {
    /// `static`, `converged`, `max-rounds`, `interrupted` or `cycle`.
    pub fn as_str(self) -> &'static str {
        match self {
            Termination::Static => "static",
            Termination::Converged => "converged",
            Termination::MaxRounds => "max-rounds",
            Termination::Interrupted => "interrupted",
            Termination::Cycle { .. } => "cycle",
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

    /// The oscillation the run ended in, when it ended in one: its period
    /// and the range of the forecast over one period.
    pub fn cycle(&self) -> Option<Cycle> {
        let Termination::Cycle { period } = self.termination else {
            return None;
        };
        let tail = &self.rounds[self.rounds.len().saturating_sub(period)..];
        let dims = self.last().forecast.len();
        let range = (0..dims)
            .map(|d| {
                tail.iter()
                    .map(|r| r.forecast[d])
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)))
            })
            .collect();
        Some(Cycle { period, range })
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
    // The last 2 × MAX_PERIOD rounds' positions and forecasts, oldest first.
    let mut recent: std::collections::VecDeque<(Vec<f64>, Vec<f64>)> = std::collections::VecDeque::new();
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
        if recent.len() == 2 * MAX_PERIOD {
            recent.pop_front();
        }
        recent.push_back((round.positions.clone(), round.forecast.clone()));
        if round.round >= config.max_rounds {
            let tolerance = config.tolerance.unwrap_or(1e-9);
            let reason = match period(input, &recent, round.dimensions, tolerance) {
                Some(period) => Termination::Cycle { period },
                None => Termination::MaxRounds,
            };
            return Ok((round, reason));
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

/// The shortest period `2 ≤ p ≤ MAX_PERIOD` with which the last `p`
/// entries of `recent` repeat the `p` before them, if any. A run that
/// merely converged (period 1) has none.
fn period(
    input: &ForecastInput,
    recent: &std::collections::VecDeque<(Vec<f64>, Vec<f64>)>,
    dimensions: usize,
    tolerance: f64,
) -> Option<usize> {
    let n = recent.len();
    let same = |a: usize, b: usize| converged(input, &recent[a].0, &recent[b].0, dimensions, tolerance);
    if n >= 2 && same(n - 1, n - 2) {
        return None;
    }
    let p = (2..=MAX_PERIOD).find(|&p| n >= 2 * p && (0..p).all(|j| same(n - 1 - j, n - 1 - j - p)))?;
    // The forecast must move within the period (forecasts have one value
    // per dimension, as a one-actor position has).
    let last = &recent[n - 1].1;
    let moves = (n - p..n - 1).any(|k| !converged(input, &recent[k].1, last, last.len(), tolerance));
    moves.then_some(p)
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

    /// A test model: each round maps the positions by its rule; the
    /// forecast is the first actor's position.
    struct Rule(&'static str, fn(&[f64]) -> Vec<f64>);

    impl ForecastModel for Rule {
        fn name(&self) -> &'static str {
            self.0
        }
        fn iterates(&self) -> bool {
            true
        }
        fn init(&self, input: &ForecastInput) -> Result<Round, ModelError> {
            let positions = super::super::stated(input);
            Ok(Round::new(0, 1, positions.clone(), vec![positions[0]]))
        }
        fn step(&self, _input: &ForecastInput, previous: Round) -> Result<Round, ModelError> {
            let positions = (self.1)(&previous.positions);
            Ok(Round::new(previous.round + 1, 1, positions.clone(), vec![positions[0]]))
        }
    }

    fn halve(p: &[f64]) -> Vec<f64> {
        p.iter().map(|x| x / 2.0).collect()
    }

    fn swap(p: &[f64]) -> Vec<f64> {
        vec![p[1], p[0]]
    }

    /// Halves every actor's distance to 0 each round.
    const HALVE: Rule = Rule("halve", halve);
    /// Swaps the two actors' positions every round: period 2.
    const SWAP: Rule = Rule("swap", swap);

    fn input() -> ForecastInput {
        ForecastInput::one_issue("i", 0.0, 100.0, None, [("a", 1.0, 64.0, 1.0), ("b", 1.0, 32.0, 1.0)]).unwrap()
    }

    #[test]
    fn max_rounds_and_convergence() {
        let config = RunConfig { max_rounds: 3, tolerance: None };
        let run = run(&HALVE, &input(), &config).unwrap();
        assert_eq!(run.termination, Termination::MaxRounds);
        assert_eq!(run.rounds.len(), 4);
        assert_eq!(run.forecast(), [8.0]);
        // The largest move into round k is 64/2^k: 1 ≤ 0.01 × 100 at round 6.
        let config = RunConfig { max_rounds: 100, tolerance: Some(0.01) };
        let run = super::run(&HALVE, &input(), &config).unwrap();
        assert_eq!((run.termination, run.last().round), (Termination::Converged, 6));
    }

    #[test]
    fn oscillations_are_cycles_whatever_the_round_count() {
        for max_rounds in [9, 10, 11] {
            let config = RunConfig { max_rounds, tolerance: Some(0.01) };
            let swapped = run(&SWAP, &input(), &config).unwrap();
            assert_eq!(swapped.termination, Termination::Cycle { period: 2 });
            assert_eq!(swapped.cycle().unwrap().range, vec![(32.0, 64.0)]);
        }
        // Too few rounds to see a repetition: no claim.
        let short = run(&SWAP, &input(), &RunConfig { max_rounds: 2, tolerance: None }).unwrap();
        assert_eq!(short.termination, Termination::MaxRounds);
        // Halving converges slowly but never repeats.
        let halved = run(&HALVE, &input(), &RunConfig { max_rounds: 20, tolerance: None }).unwrap();
        assert_eq!(halved.termination, Termination::MaxRounds);
        assert!(halved.cycle().is_none());
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
        let (last, reason) = run_observed(&HALVE, &input(), &config, &mut StopAt(2)).unwrap();
        assert_eq!((last.round, reason), (2, Termination::Interrupted));
    }
}
