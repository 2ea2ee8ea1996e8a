//! KAPSARC's spatial model of politics (KTAB `smp`), on any number of
//! dimensions (`docs/models/ktab.md`).
//!
//! Actors hold positions in a space of issues, weigh the dimensions by
//! salience, and act with a scalar capability. Each turn, on the unit cube:
//!
//! 1. **Utilities and risk** ([`state`]): actor `i` values `j`'s position by
//!    the salience-weighted distance `d` from its own, `u = (1 − d)(1 + d R)`.
//!    With every actor risk-neutral (`R = 0`) a capability-weighted vote
//!    and a probabilistic Condorcet election ([`collective`]) give each
//!    position a probability of winning; the likeliest position's actor
//!    is the most risk-averse, the least likely's the most risk-seeking.
//!    Every actor estimates the others' attitudes anchored on its own.
//! 2. **Challenges** ([`challenge`]): every actor estimates, through its own
//!    eyes, what challenging each other actor would gain it, third parties
//!    weighing in, and picks the best target with a positive gain.
//! 3. **Bargains** ([`bargain`]): challenger and target split the
//!    difference on each dimension, weighted by salience and the
//!    challenger's estimate of its chance; each actor then holds a vote
//!    among the bargains it is party to (and the status quo) and adopts
//!    the likeliest.
//! 4. **Stop** when the total movement of a turn falls under 2% of the first
//!    turn's, after turn 2, or after 100 turns.
//!
//! Every choice KTAB leaves open is an option of [`KtabConfig`], whose
//! [`Default`] is KTAB's published default. A run reproduces KTAB's
//! reference logs (`../shared/data/ktab/`): positions to 0.1, position
//! probabilities to 4 decimals, the same number of turns.

pub mod config;

mod bargain;
mod challenge;
mod collective;
mod state;

pub use config::{
    BargainModel, Interpolation, KtabConfig, PceModel, RiskAdjust, RiskRange, StateTransitions, Stopping,
    ThirdPartyCommit, VictoryProbability, VotingRule,
};

use super::runner::{RunConfig, Termination};
use super::{stated, ForecastInput, ForecastModel, Metric, MetricValue, ModelError, Move, MoveKind, Round};
use bargain::Bargain;
use collective::Unsettled;
use state::{Actors, State};

/// The registry name.
const NAME: &str = "ktab-smp";

/// KTAB's spatial model of politics.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KtabSmp {
    /// The options.
    pub config: KtabConfig,
}

impl KtabSmp {
    /// The model with `config`.
    pub fn new(config: KtabConfig) -> KtabSmp {
        KtabSmp { config }
    }
}

fn unsettled(_: Unsettled) -> ModelError {
    ModelError::Unsettled { model: NAME, what: "the Markov probabilistic Condorcet election" }
}

impl ForecastModel for KtabSmp {
    fn name(&self) -> &'static str {
        NAME
    }

    fn iterates(&self) -> bool {
        true
    }

    fn default_run(&self) -> RunConfig {
        RunConfig { max_rounds: self.config.stopping.max_turns, tolerance: None }
    }

    fn init(&self, input: &ForecastInput) -> Result<Round, ModelError> {
        let actors = Actors::new(input);
        let positions = stated(input);
        let state = State::new(&actors, &self.config, actors.to_unit(&positions)).map_err(unsettled)?;
        self.record(&actors, &state, Round::new(0, actors.d, positions, Vec::new()))
    }

    fn step(&self, input: &ForecastInput, previous: Round) -> Result<Round, ModelError> {
        let actors = Actors::new(input);
        let (n, d) = (actors.n, actors.d);
        let turn = previous.round + 1;
        let state = State::new(&actors, &self.config, actors.to_unit(&previous.positions)).map_err(unsettled)?;
        let bargains = self.propose(&actors, &state);

        // Each actor adopts one of the bargains it is party to; the status
        // quo comes first, then the others in the order of their
        // initiators.
        let mut unit = state.pos.clone();
        let mut positions = previous.positions.clone();
        let mut moves = Vec::new();
        for k in 0..n {
            let options: Vec<&Bargain> = std::iter::once(&bargains.status_quo[k])
                .chain(bargains.offers.iter().filter(|b| b.initiator == k || b.receiver == k))
                .collect();
            let chosen =
                options[bargain::resolve(&actors, &state, &self.config, &options, turn, k).map_err(unsettled)?];
            let to = chosen.position_of(k);
            if to == state.position(d, k) {
                continue;
            }
            unit[k * d..(k + 1) * d].copy_from_slice(to);
            for (dim, u) in to.iter().enumerate() {
                positions[k * d + dim] = actors.on_scale(dim, *u);
            }
            moves.push(Move {
                actor: k,
                kind: MoveKind::Compromise,
                counterpart: Some(if chosen.initiator == k { chosen.receiver } else { chosen.initiator }),
                from: previous.position(k).to_vec(),
                to: positions[k * d..(k + 1) * d].to_vec(),
            });
        }

        // KTAB's stopping measure: the sum of the actors' Euclidean moves
        // on the unit scale, relative to the first turn's.
        let movement: f64 = (0..n)
            .map(|a| {
                let (x, y) = (&state.pos[a * d..(a + 1) * d], &unit[a * d..(a + 1) * d]);
                x.iter().zip(y).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
            })
            .sum();
        let first = if turn == 1 { movement } else { previous.metric("first_movement").unwrap_or(movement) };
        let relative = movement / (first + self.config.stopping.floor);

        let next = State::new(&actors, &self.config, unit).map_err(unsettled)?;
        let mut round = self.record(&actors, &next, Round::new(turn, d, positions, Vec::new()))?;
        round.metrics.extend([
            Metric { name: "movement", value: MetricValue::Number(movement) },
            Metric { name: "first_movement", value: MetricValue::Number(first) },
            Metric { name: "relative_movement", value: MetricValue::Number(relative) },
            Metric { name: "moves", value: MetricValue::Moves(moves) },
        ]);
        Ok(round)
    }

    fn terminate(&self, round: &Round) -> Option<Termination> {
        let stop = &self.config.stopping;
        let quiet = round.metric("relative_movement").is_some_and(|r| r < stop.ratio);
        (round.round >= stop.min_turns && quiet).then_some(Termination::Converged)
    }
}

/// The bargains of one turn.
struct Bargains {
    /// Every actor's status quo, in actor order.
    status_quo: Vec<Bargain>,
    /// The proposed bargains, in the order of their initiators.
    offers: Vec<Bargain>,
}

impl KtabSmp {
    /// Every actor's bargain with its best target.
    fn propose(&self, actors: &Actors, state: &State) -> Bargains {
        let d = actors.d;
        let status_quo = (0..actors.n).map(|a| Bargain::status_quo(a, state.position(d, a))).collect();
        let mut offers = Vec::new();
        let rule = self.config.interpolation;
        for i in 0..actors.n {
            let Some((j, p, _)) = challenge::best_target(actors, state, &self.config, i) else { continue };
            let mine = bargain::interpolate(actors, state, rule, i, j, p, 1.0 - p);
            match self.config.bargaining {
                BargainModel::InitiatorOnly => offers.push(mine),
                BargainModel::InitiatorReceiver | BargainModel::PowerWeighted => {
                    // The target's view: its own estimate of i's chance.
                    let (q, _) = challenge::estimate(actors, state, &self.config, j, i, i, j);
                    let theirs = bargain::interpolate(actors, state, rule, i, j, q, 1.0 - q);
                    if self.config.bargaining == BargainModel::InitiatorReceiver {
                        offers.push(mine);
                        offers.push(theirs);
                    } else {
                        offers.push(weighted(actors, &mine, &theirs));
                    }
                }
            }
        }
        Bargains { status_quo, offers }
    }

    /// The round's metrics and forecast from its state.
    fn record(&self, actors: &Actors, state: &State, mut round: Round) -> Result<Round, ModelError> {
        let (probability, best) = state.probabilities(actors, &self.config).map_err(unsettled)?;
        round.forecast = round.position(best).to_vec();
        round.metrics = vec![
            Metric { name: "probability", value: MetricValue::PerActor(probability) },
            Metric { name: "risk_attitude", value: MetricValue::PerActor(state.risk.clone()) },
        ];
        Ok(round)
    }
}

/// The mean of two bargains between the same parties, weighted by the
/// initiator's and the receiver's capability × total salience (equal
/// weights when both are 0).
fn weighted(actors: &Actors, mine: &Bargain, theirs: &Bargain) -> Bargain {
    let (i, j) = (mine.initiator, mine.receiver);
    let wi = actors.cap[i] * actors.sal_sum[i];
    let wj = actors.cap[j] * actors.sal_sum[j];
    let (wi, wj) = if wi + wj > 0.0 { (wi, wj) } else { (1.0, 1.0) };
    let mix = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| (wi * a + wj * b) / (wi + wj)).collect();
    Bargain {
        initiator: i,
        receiver: j,
        at_initiator: mix(&mine.at_initiator, &theirs.at_initiator),
        at_receiver: mix(&mine.at_receiver, &theirs.at_receiver),
    }
}
