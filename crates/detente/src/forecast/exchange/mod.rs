//! Stokman & Van Oosten's exchange model of collective decision making
//! (1994), with equal-gain exchange rates, as implemented by the
//! `decide-exchange-model` package (2022.1.28) with deterministic ties
//! (`docs/models/exchange.md`).
//!
//! Actors trade voting positions across pairs of issues. On issue `d` the
//! expected outcome is the capability × salience weighted mean
//! `O_d = Σₐ cₐ sₐ xₐ / Σₐ cₐ sₐ`. Two actors on opposite sides of the
//! outcome on both issues `p` and `q`, with different salience ratios, can
//! both gain: `i` (the one with the higher `s_p / s_q`) shifts on `q`
//! toward `j`, and `j` shifts on `p` toward `i`. A shift `Δx` of actor `a`
//! moves the outcome by `δ = cₐ sₐ |Δx| / Σ c s`; the shifts are chosen so
//! that the gains `δ_p s_ip − δ_q s_iq` and `δ_q s_jq − δ_p s_jp` are equal,
//! with one actor moving all the way to the other's position and neither
//! carrying an outcome past the other's position. Per round, exchanges are
//! executed best gain first, the others recalculated after each; the
//! forecast is the outcome of the voting positions, and each actor's next
//! preference moves toward its voting position by `0.1 + 0.4 (1 − s)`.
//!
//! The model reads a whole table: one dimension per issue. An actor with
//! salience or capability 0 on an issue (which is how a multi-issue input
//! marks an actor without data there) counts with weight 0 in the outcome
//! and takes no part in exchanges on that issue.
//!
//! - [`state`]: a round's data on 0–100 and the outcome computations;
//! - [`pair`]: one potential exchange, its shifts and recalculation;
//! - [`round`]: the round loop and the next preferences.

mod pair;
mod round;
mod state;

use super::runner::{RunConfig, Termination};
use super::{stated, ForecastInput, ForecastModel, Metric, MetricValue, ModelError, Move, MoveKind, Round};
use state::{step, State};

/// The exchange model. It has no options: the package's constants
/// (preference weights 0.4 and 0.1, move limits) are the model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exchange;

/// The capability × salience weighted mean of `positions` per dimension
/// (the plain mean where no actor has weight, as the compromise model).
fn outcomes(input: &ForecastInput, positions: &[f64]) -> Vec<f64> {
    let m = input.dimensions.len();
    (0..m)
        .map(|d| {
            let w = input.weights(d);
            let total: f64 = w.iter().sum();
            w.iter().enumerate().map(|(a, w)| w * positions[a * m + d]).sum::<f64>() / total
        })
        .collect()
}

impl ForecastModel for Exchange {
    fn name(&self) -> &'static str {
        "exchange"
    }

    fn iterates(&self) -> bool {
        true
    }

    /// Ten rounds, the package's default; a round without exchanges ends
    /// the run ([`terminate`](ForecastModel::terminate)).
    fn default_run(&self) -> RunConfig {
        RunConfig { max_rounds: 10, tolerance: None }
    }

    /// The stated positions, their outcome, and the stated positions as the
    /// first round's preferences.
    fn init(&self, input: &ForecastInput) -> Result<Round, ModelError> {
        let m = input.dimensions.len();
        if m < 2 {
            return Err(ModelError::NeedsSeveralIssues { model: self.name(), dimensions: m });
        }
        let positions = stated(input);
        let forecast = outcomes(input, &positions);
        let mut round = Round::new(0, m, positions.clone(), forecast);
        round.metrics = vec![
            Metric { name: "preferences", value: MetricValue::Positions(positions) },
            Metric { name: "exchanges", value: MetricValue::Number(0.0) },
        ];
        Ok(round)
    }

    /// One round from the previous round's `preferences` (its positions
    /// when it has none): `positions` are the voting positions after the
    /// round's exchanges, `forecast` their outcome, `preferences` the next
    /// round's start, `exchanges` the number executed and `moves` each
    /// executed shift.
    fn step(&self, input: &ForecastInput, previous: Round) -> Result<Round, ModelError> {
        let m = input.dimensions.len();
        let x = previous.positions_metric("preferences").unwrap_or(&previous.positions).to_vec();
        let st = State::new(input, &x);
        let played = round::play(&st);
        // Back to each issue's scale; untouched values keep their exact input.
        let back = |k: usize, v: f64| {
            let dim = &input.dimensions[k % m];
            let step = step(dim.max - dim.min);
            if v == st.x[k] {
                x[k]
            } else if step == 0.0 {
                dim.min
            } else {
                v / step + dim.min
            }
        };
        let positions: Vec<f64> = played.voting.iter().enumerate().map(|(k, &v)| back(k, v)).collect();
        let preferences: Vec<f64> = played.preferences.iter().enumerate().map(|(k, &v)| back(k, v)).collect();
        let mut running = st.x.clone();
        let row = |running: &[f64], a: usize| (a * m..(a + 1) * m).map(|k| back(k, running[k])).collect::<Vec<_>>();
        let mut moves = Vec::with_capacity(2 * played.realized.len());
        for e in &played.realized {
            for (side, other) in [(&e.i, &e.j), (&e.j, &e.i)] {
                let from = row(&running, side.actor);
                running[side.actor * m + side.supply] = side.y;
                let to = row(&running, side.actor);
                moves.push(Move {
                    actor: side.actor,
                    kind: MoveKind::Exchange,
                    counterpart: Some(other.actor),
                    from,
                    to,
                });
            }
        }
        let forecast = outcomes(input, &positions);
        let mut round = Round::new(previous.round + 1, m, positions, forecast);
        round.metrics = vec![
            Metric { name: "preferences", value: MetricValue::Positions(preferences) },
            Metric { name: "exchanges", value: MetricValue::Number(played.realized.len() as f64) },
            Metric { name: "moves", value: MetricValue::Moves(moves) },
        ];
        Ok(round)
    }

    /// A round without exchanges: every later round would repeat it.
    fn terminate(&self, round: &Round) -> Option<Termination> {
        (round.round > 0 && round.metric("exchanges") == Some(0.0)).then_some(Termination::Converged)
    }
}
