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
        let state = State::new(&actors, &self.config, actors.to_unit(&positions), None).map_err(unsettled)?;
        self.record(&actors, &state, Round::new(0, actors.d, positions, Vec::new()))
    }

    fn step(&self, input: &ForecastInput, previous: Round) -> Result<Round, ModelError> {
        let actors = Actors::new(input);
        let (n, d) = (actors.n, actors.d);
        let turn = previous.round + 1;
        // The previous round recorded its state's risk attitudes (KTAB infers
        // them once per state, for its probabilities and its bargains).
        let risk = previous.per_actor("risk_attitude");
        let rounded = matches!(self.config.interpolation, Interpolation::S1P1 | Interpolation::S2P2)
            && self.config.bargaining != BargainModel::PowerWeighted;
        let unit = actors.recover(&stated(input), &previous.positions, rounded);
        let state = State::new(&actors, &self.config, unit, risk).map_err(unsettled)?;
        let bargains = self.propose(&actors, &state);

        // Each actor adopts one of the bargains it is party to; the status
        // quo comes first, then the others in the order of their
        // initiators. A bargain is worth the same to every actor whichever
        // party's list it is in, and the status quo is worth the same in
        // every list: each is valued once.
        let own = bargain::own_utilities(&state);
        let status_quo = bargain::value(&actors, &state, &own, &bargains.status_quo[0]);
        let offers: Vec<Vec<f64>> = bargains.offers.iter().map(|b| bargain::value(&actors, &state, &own, b)).collect();
        let mut unit = state.pos.clone();
        let mut positions = previous.positions.clone();
        let mut moves = Vec::new();
        for k in 0..n {
            let mine: Vec<usize> = (0..bargains.offers.len()).filter(|&o| bargains.offers[o].involves(k)).collect();
            let values: Vec<&[f64]> =
                std::iter::once(status_quo.as_slice()).chain(mine.iter().map(|&o| offers[o].as_slice())).collect();
            let chosen = match bargain::choose(&actors, &self.config, &values, turn, k).map_err(unsettled)? {
                0 => continue,
                m => &bargains.offers[mine[m - 1]],
            };
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

        let next = State::new(&actors, &self.config, unit, None).map_err(unsettled)?;
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
    /// Every actor's status quo, in actor order (all worth the same: the
    /// state unchanged).
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
        let mut view = challenge::View::new(state, 0);
        for i in 0..actors.n {
            let Some((j, p, _)) = challenge::best_target(actors, state, &self.config, &mut view, i) else { continue };
            let mine = bargain::interpolate(actors, state, rule, i, j, p, 1.0 - p);
            match self.config.bargaining {
                BargainModel::InitiatorOnly => offers.push(mine),
                BargainModel::InitiatorReceiver | BargainModel::PowerWeighted => {
                    // The target's view: its own estimate of i's chance.
                    let (q, _) = challenge::estimate(actors, &challenge::View::new(state, j), &self.config, i, i, j);
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
    let (wi, wj) = (actors.influence[i], actors.influence[j]);
    let (wi, wj) = if wi + wj > 0.0 { (wi, wj) } else { (1.0, 1.0) };
    let mix = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| (wi * a + wj * b) / (wi + wj)).collect();
    Bargain {
        initiator: i,
        receiver: j,
        at_initiator: mix(&mine.at_initiator, &theirs.at_initiator),
        at_receiver: mix(&mine.at_receiver, &theirs.at_receiver),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::input::{Dimension, InputActor};
    use crate::forecast::runner::run;

    /// `rows` of (capability, positions, saliences) on 0–100 scales.
    fn input(rows: &[(f64, &[f64], &[f64])]) -> ForecastInput {
        let d = rows[0].1.len();
        let dimensions = (0..d)
            .map(|k| Dimension { id: format!("d{k}"), name: None, min: 0.0, max: 100.0, status_quo: None })
            .collect();
        let actors = rows
            .iter()
            .enumerate()
            .map(|(a, (c, x, s))| InputActor {
                id: format!("a{a}"),
                name: None,
                position: x.to_vec(),
                salience: s.to_vec(),
                capability: vec![*c; d],
            })
            .collect();
        ForecastInput::new("t", dimensions, actors).unwrap()
    }

    /// Positions on round numbers, with ties: the kind of input on which a
    /// last bit decides.
    fn tied() -> ForecastInput {
        input(&[
            (30.0, &[0.0], &[0.8]),
            (30.0, &[0.0], &[0.6]),
            (20.0, &[50.0], &[0.5]),
            (20.0, &[50.0], &[0.9]),
            (45.0, &[100.0], &[0.7]),
            (10.0, &[100.0], &[0.3]),
            (25.0, &[75.0], &[0.4]),
            (25.0, &[25.0], &[0.4]),
        ])
    }

    /// The state a round leaves is recovered from its positions exactly:
    /// the risk attitudes recomputed from them are the carried ones, bit
    /// for bit.
    #[test]
    fn rounds_carry_the_exact_state() {
        let two = input(&[
            (102.5, &[75.79, 6.37], &[0.4953, 0.0591]),
            (53.4, &[82.72, 73.5], &[0.3033, 0.2122]),
            (129.6, &[82.45, 90.89], &[0.4847, 0.1355]),
            (75.9, &[62.52, 50.82], &[0.2076, 0.3924]),
            (63.2, &[82.34, 45.77], &[0.4096, 0.2543]),
        ]);
        for input in [tied(), two] {
            let model = KtabSmp::default();
            let run = run(&model, &input, &RunConfig::for_model(&model)).unwrap();
            assert!(run.rounds.len() > 2 && run.rounds.iter().any(|r| !r.moves().is_empty()));
            let actors = Actors::new(&input);
            for r in &run.rounds {
                let unit = actors.recover(&stated(&input), &r.positions, true);
                let state = State::new(&actors, &model.config, unit, None).unwrap();
                assert_eq!(state.risk, r.per_actor("risk_attitude").unwrap(), "round {}", r.round);
            }
        }
    }

    /// Every option combination runs without a panic and keeps positions on
    /// the scale and probabilities in [0, 1].
    #[test]
    fn every_option_runs() {
        let input = tied();
        let mut configs = Vec::new();
        for voting in [
            VotingRule::Binary,
            VotingRule::PropBin,
            VotingRule::Proportional,
            VotingRule::PropCubic,
            VotingRule::Cubic,
            VotingRule::AsymmetricProspect,
        ] {
            configs.push(KtabConfig { voting, ..KtabConfig::default() });
        }
        for victory in [VictoryProbability::Square, VictoryProbability::Quartic, VictoryProbability::Octic] {
            configs.push(KtabConfig { victory, ..KtabConfig::default() });
        }
        configs.push(KtabConfig { victory: VictoryProbability::Binary, ..KtabConfig::default() });
        for pce in [PceModel::MarkovIncentive, PceModel::MarkovUniform] {
            configs.push(KtabConfig { pce, ..KtabConfig::default() });
        }
        for risk_range in [RiskRange::Min, RiskRange::Max] {
            configs.push(KtabConfig { risk_range, ..KtabConfig::default() });
        }
        for risk_adjust in [RiskAdjust::Full, RiskAdjust::TwoThirds, RiskAdjust::Half, RiskAdjust::None] {
            configs.push(KtabConfig { risk_adjust, ..KtabConfig::default() });
        }
        for third_party in [ThirdPartyCommit::Full, ThirdPartyCommit::No] {
            configs.push(KtabConfig { third_party, ..KtabConfig::default() });
        }
        for interpolation in [Interpolation::S1P1, Interpolation::S2PMax] {
            for bargaining in
                [BargainModel::InitiatorOnly, BargainModel::InitiatorReceiver, BargainModel::PowerWeighted]
            {
                configs.push(KtabConfig { interpolation, bargaining, ..KtabConfig::default() });
            }
        }
        configs.push(KtabConfig { transitions: StateTransitions::Stochastic { seed: 7 }, ..KtabConfig::default() });
        for config in configs {
            let model = KtabSmp::new(config);
            let run = run(&model, &input, &RunConfig::for_model(&model)).unwrap();
            for r in &run.rounds {
                assert!(r.positions.iter().all(|x| (-0.005..=100.005).contains(x)), "{config:?}");
                let p = r.per_actor("probability").unwrap();
                assert!(p.iter().all(|p| (0.0..=1.0 + 1e-12).contains(p)), "{config:?}");
            }
        }
    }

    #[test]
    fn stochastic_transitions_follow_the_seed() {
        let input = tied();
        let at = |seed| {
            let model = KtabSmp::new(KtabConfig {
                transitions: StateTransitions::Stochastic { seed },
                ..KtabConfig::default()
            });
            run(&model, &input, &RunConfig::for_model(&model)).unwrap()
        };
        assert_eq!(at(1), at(1));
        let runs: Vec<_> = (0..8).map(at).collect();
        assert!(runs.iter().any(|r| r.rounds != runs[0].rounds), "seeds make no difference");
    }

    /// One actor, everyone at one position, actors without salience or
    /// capability: no panic, nobody moves, probabilities are finite.
    #[test]
    fn degenerate_inputs() {
        let cases = [
            input(&[(1.0, &[40.0, 60.0], &[0.5, 0.5])]),
            input(&[(1.0, &[40.0], &[0.5]), (2.0, &[40.0], &[0.5]), (3.0, &[40.0], &[0.9])]),
            input(&[(0.0, &[10.0], &[0.5]), (2.0, &[40.0], &[0.0]), (3.0, &[90.0], &[0.9])]),
            input(&[(0.0, &[10.0], &[0.0]), (0.0, &[40.0], &[0.0])]),
        ];
        for input in &cases {
            let model = KtabSmp::default();
            let run = run(&model, input, &RunConfig::for_model(&model)).unwrap();
            for r in &run.rounds {
                assert!(r.per_actor("probability").unwrap().iter().all(|p| p.is_finite()));
                assert!(r.forecast.iter().all(|x| x.is_finite()));
            }
        }
        // A lone actor, or actors who agree, never move.
        for input in &cases[..2] {
            let model = KtabSmp::default();
            let run = run(&model, input, &RunConfig::for_model(&model)).unwrap();
            assert_eq!(run.last().positions, run.rounds[0].positions);
            assert_eq!(run.termination, Termination::Converged);
        }
    }

    /// Saliences summing to more than 1 are shares of attention: divided
    /// by their sum, which leaves distances unchanged.
    #[test]
    fn saliences_are_shares() {
        let heavy = input(&[(1.0, &[10.0, 20.0], &[0.9, 0.6]), (2.0, &[40.0, 80.0], &[0.5, 0.5])]);
        let actors = Actors::new(&heavy);
        assert!((actors.sal[0] - 0.6).abs() < 1e-15 && (actors.sal[1] - 0.4).abs() < 1e-15);
        assert_eq!(actors.sal[2..], [0.5, 0.5]);
        // Distance: √((0.6·0.3)² + (0.4·0.6)²)/√(0.6² + 0.4²).
        let d = actors.distance(0, &[0.1, 0.2], &[0.4, 0.8]);
        assert!((d - (0.18f64.powi(2) + 0.24f64.powi(2)).sqrt() / 0.52f64.sqrt()).abs() < 1e-12);
    }
}
