//! The research tables of a tournament: per strategy, per scenario, per
//! pairing and per role, every metric's mean, standard deviation and 95%
//! confidence interval, and a rank.
//!
//! A *seat* is one party in one negotiation: a negotiation of two parties
//! gives two seats, one per strategy played. Every table counts seats, so a
//! self-play negotiation counts once for each side. The metrics are NegMAS's
//! score columns ([`super::super::evaluate`]): utility (discounted),
//! advantage, the opponents' mean utility, welfare, and the distances to the
//! Pareto frontier and the Nash, Kalai and Kalai–Smorodinsky points, with
//! the rounds used. A distance that does not exist for a negotiation (no
//! Nash point, a frontier too large to know) is left out of that metric's
//! count, so each metric carries its own `n`.
//!
//! Means and spreads are accumulated in id order (Welford's update), so the
//! tables depend only on the records, never on the order in which they
//! finished.

use std::collections::BTreeMap;

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::Record;
use crate::robustness::indices::wilson_interval;

/// The metrics of every row, in column order.
pub const METRICS: [&str; 9] = [
    "utility",
    "advantage",
    "opponent_utility",
    "welfare",
    "pareto_distance",
    "nash_distance",
    "kalai_distance",
    "ks_distance",
    "rounds",
];

/// What the rows of a table are about, besides the strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grouping {
    /// One row per strategy, over everything it played.
    Strategy,
    /// One row per scenario and strategy.
    Scenario,
    /// One row per strategy and the strategies it met (the other seats'
    /// strategies in the scenario's party order).
    Pairing,
    /// One row per scenario, party (its seat in the party order) and
    /// strategy.
    Role,
}

impl Grouping {
    /// Every grouping, in the order of the files and documents.
    pub const ALL: [Grouping; 4] = [Grouping::Strategy, Grouping::Scenario, Grouping::Pairing, Grouping::Role];

    /// The grouping's name in file names and documents.
    pub fn name(self) -> &'static str {
        match self {
            Grouping::Strategy => "strategy",
            Grouping::Scenario => "scenario",
            Grouping::Pairing => "pairing",
            Grouping::Role => "role",
        }
    }
}

/// A row's key: the strategy, and the parts of the grouping (the others
/// `None`). Rows sort by scenario, seat, opponents, then strategy.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// Entry index (per scenario and per role).
    pub scenario: Option<usize>,
    /// Seat in the scenario's party order (per role).
    pub seat: Option<usize>,
    /// The other seats' strategy indices, in party order (per pairing).
    pub opponents: Option<Vec<usize>>,
    /// Strategy index.
    pub strategy: usize,
}

impl Key {
    /// The key without its strategy: rows with equal groups are ranked
    /// against each other.
    fn group(&self) -> (Option<usize>, Option<usize>, Option<&[usize]>) {
        (self.scenario, self.seat, self.opponents.as_deref())
    }
}

/// One metric over a row's seats.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stat {
    /// Seats where the metric exists.
    pub n: u64,
    /// Mean (NaN when `n` is 0).
    pub mean: f64,
    /// Sample standard deviation (NaN when `n` < 2).
    pub sd: f64,
    /// Lower end of the 95% confidence interval of the mean, Student's t
    /// with `n − 1` degrees of freedom (NaN when `n` < 2).
    pub low: f64,
    /// Upper end of that interval.
    pub high: f64,
}

/// One row of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    /// What the row is about.
    pub key: Key,
    /// Seats played.
    pub seats: u64,
    /// Seats whose agreement stands.
    pub agreements: u64,
    /// `agreements / seats`.
    pub agreement_rate: f64,
    /// Wilson's 95% interval of the agreement rate.
    pub agreement_low: f64,
    /// Upper end of that interval.
    pub agreement_high: f64,
    /// The [`METRICS`], in order.
    pub metrics: [Stat; METRICS.len()],
    /// Rank by mean utility among the rows of the same group (1 is best;
    /// equal means share a rank, and the next rank skips: 1, 2, 2, 4).
    pub rank: usize,
}

/// The four tables.
#[derive(Clone, Debug, PartialEq)]
pub struct Tables {
    /// Rows per grouping, in [`Grouping::ALL`] order.
    pub tables: Vec<(Grouping, Vec<TableRow>)>,
}

impl Tables {
    /// The rows of one grouping.
    pub fn get(&self, grouping: Grouping) -> &[TableRow] {
        self.tables.iter().find(|(g, _)| *g == grouping).map_or(&[], |(_, rows)| rows)
    }
}

/// Welford's running mean and sum of squared deviations.
#[derive(Clone, Copy, Default)]
struct Running {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Running {
    fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    fn stat(&self) -> Stat {
        let nan = f64::NAN;
        match self.n {
            0 => Stat { n: 0, mean: nan, sd: nan, low: nan, high: nan },
            1 => Stat { n: 1, mean: self.mean, sd: nan, low: nan, high: nan },
            n => {
                let sd = (self.m2 / (n - 1) as f64).sqrt();
                let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).map_or(nan, |d| d.inverse_cdf(0.975));
                let half = t * sd / (n as f64).sqrt();
                Stat { n, mean: self.mean, sd, low: self.mean - half, high: self.mean + half }
            }
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Accumulator {
    seats: u64,
    agreements: u64,
    metrics: [Running; METRICS.len()],
}

/// The metric values of one seat, `None` where a metric does not exist.
fn seat_values(r: &Record, seat: usize) -> [Option<f64>; METRICS.len()] {
    let others = r.utilities.len().saturating_sub(1);
    let opponent = (others > 0).then(|| {
        r.utilities.iter().enumerate().filter(|(i, _)| *i != seat).map(|(_, u)| u).sum::<f64>() / others as f64
    });
    [
        Some(r.utilities[seat]),
        r.advantage.get(seat).copied(),
        opponent,
        Some(r.welfare),
        Some(r.pareto_distance).filter(|d| !d.is_nan()),
        r.nash_distance,
        r.kalai_distance,
        r.ks_distance,
        Some(r.rounds as f64),
    ]
}

/// The key of `seat` of `r` in `grouping`.
fn key(grouping: Grouping, r: &Record, seat: usize) -> Key {
    let strategy = r.strategies[seat];
    let opponents = || r.strategies.iter().enumerate().filter(|(i, _)| *i != seat).map(|(_, &s)| s).collect();
    match grouping {
        Grouping::Strategy => Key { scenario: None, seat: None, opponents: None, strategy },
        Grouping::Scenario => Key { scenario: Some(r.entry), seat: None, opponents: None, strategy },
        Grouping::Pairing => Key { scenario: None, seat: None, opponents: Some(opponents()), strategy },
        Grouping::Role => Key { scenario: Some(r.entry), seat: Some(seat), opponents: None, strategy },
    }
}

/// The four tables of `records` (any order: they are read in id order).
/// Every strategy of `strategies` gets a row in the per-strategy table,
/// played or not; the other tables have rows only for what was played.
pub fn tables(strategies: usize, records: &[Record]) -> Tables {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by_key(|r| r.id);
    let tables = Grouping::ALL
        .iter()
        .map(|&grouping| {
            let mut acc: BTreeMap<Key, Accumulator> = BTreeMap::new();
            if grouping == Grouping::Strategy {
                for strategy in 0..strategies {
                    acc.insert(Key { scenario: None, seat: None, opponents: None, strategy }, Accumulator::default());
                }
            }
            for r in &sorted {
                for seat in 0..r.strategies.len() {
                    let a = acc.entry(key(grouping, r, seat)).or_default();
                    a.seats += 1;
                    a.agreements += r.agreement as u64;
                    for (m, v) in a.metrics.iter_mut().zip(seat_values(r, seat)) {
                        if let Some(v) = v {
                            m.push(v);
                        }
                    }
                }
            }
            (grouping, rank(acc))
        })
        .collect();
    Tables { tables }
}

/// Rows in key order, ranked by mean utility within their group.
fn rank(acc: BTreeMap<Key, Accumulator>) -> Vec<TableRow> {
    let mut rows: Vec<TableRow> = acc
        .into_iter()
        .map(|(key, a)| {
            let (agreement_low, agreement_high) = wilson_interval(a.agreements, a.seats);
            TableRow {
                key,
                seats: a.seats,
                agreements: a.agreements,
                agreement_rate: if a.seats == 0 { f64::NAN } else { a.agreements as f64 / a.seats as f64 },
                agreement_low,
                agreement_high,
                metrics: a.metrics.map(|m| m.stat()),
                rank: 0,
            }
        })
        .collect();
    // Rows of a group are contiguous in key order (the strategy sorts last).
    let mut start = 0;
    while start < rows.len() {
        let end = start + rows[start..].iter().take_while(|r| r.key.group() == rows[start].key.group()).count();
        let utility = |r: &TableRow| r.metrics[0].mean;
        let mut order: Vec<usize> = (start..end).collect();
        // Unplayed strategies (NaN) rank last.
        order.sort_by(|&a, &b| {
            let (x, y) = (utility(&rows[a]), utility(&rows[b]));
            x.is_nan().cmp(&y.is_nan()).then(y.total_cmp(&x))
        });
        for (place, &i) in order.iter().enumerate() {
            let previous = place.checked_sub(1).map(|p| order[p]);
            rows[i].rank = match previous {
                Some(p) if utility(&rows[p]).total_cmp(&utility(&rows[i])).is_eq() => rows[p].rank,
                _ => place + 1,
            };
        }
        start = end;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u64, entry: usize, strategies: Vec<usize>, utilities: Vec<f64>, agreement: bool) -> Record {
        Record {
            id,
            entry,
            rep: 0,
            reached: agreement,
            agreement,
            outcome: None,
            welfare: utilities.iter().sum(),
            advantage: utilities.clone(),
            utilities,
            strategies,
            pareto_distance: f64::NAN,
            nash_distance: Some(0.5),
            kalai_distance: None,
            ks_distance: Some(0.25),
            rounds: 10,
        }
    }

    /// Strategy 0 gets 0.2, 0.4, 0.6 over three seats: mean 0.4, sample sd
    /// √((0.04 + 0 + 0.04) / 2) = 0.2; t(0.975, 2) = 4.302653 so the
    /// interval is 0.4 ± 4.302653 · 0.2 / √3 = 0.4 ± 0.496828.
    #[test]
    fn hand_worked_mean_spread_and_interval() {
        let records = vec![
            record(0, 0, vec![0, 1], vec![0.2, 0.9], true),
            record(1, 0, vec![1, 0], vec![0.8, 0.4], true),
            record(2, 1, vec![0, 1], vec![0.6, 0.7], false),
        ];
        let t = tables(2, &records);
        let s0 = &t.get(Grouping::Strategy)[0];
        assert_eq!(s0.key.strategy, 0);
        assert_eq!((s0.seats, s0.agreements), (3, 2));
        let u = s0.metrics[0];
        assert!((u.mean - 0.4).abs() < 1e-15);
        assert!((u.sd - 0.2).abs() < 1e-15);
        assert!((u.high - u.mean - 0.496_828).abs() < 1e-6, "{u:?}");
        // Opponent utility of strategy 0: 0.9, 0.8, 0.7.
        assert!((s0.metrics[2].mean - 0.8).abs() < 1e-15);
        // No distance to the frontier is known; every Nash distance is.
        assert_eq!(s0.metrics[4].n, 0);
        assert!(s0.metrics[4].mean.is_nan());
        assert_eq!(s0.metrics[5].n, 3);
        // Strategy 1 (0.9, 0.8, 0.7) ranks first, strategy 0 second.
        assert_eq!(
            t.get(Grouping::Strategy).iter().map(|r| (r.key.strategy, r.rank)).collect::<Vec<_>>(),
            [(0, 2), (1, 1)]
        );
    }

    /// Per role the seats are apart: strategy 0 in seat 0 of scenario 0 is
    /// one row (0.2), in seat 1 another (0.4); per pairing both meet
    /// strategy 1, so they share a row with all three seats.
    #[test]
    fn groupings_split_seats_as_documented() {
        let records = vec![
            record(0, 0, vec![0, 1], vec![0.2, 0.9], true),
            record(1, 0, vec![1, 0], vec![0.8, 0.4], true),
            record(2, 1, vec![0, 1], vec![0.6, 0.7], false),
        ];
        let t = tables(2, &records);
        let role: Vec<_> = t
            .get(Grouping::Role)
            .iter()
            .filter(|r| r.key.strategy == 0)
            .map(|r| (r.key.scenario, r.key.seat, r.metrics[0].mean))
            .collect();
        assert_eq!(role, [(Some(0), Some(0), 0.2), (Some(0), Some(1), 0.4), (Some(1), Some(0), 0.6)]);
        let pairing = t.get(Grouping::Pairing);
        assert_eq!(pairing.len(), 2);
        assert_eq!(pairing.iter().find(|r| r.key.strategy == 0).map(|r| r.seats), Some(3));
        let scenario = t.get(Grouping::Scenario);
        assert_eq!(
            scenario.iter().map(|r| (r.key.scenario, r.key.strategy, r.rank)).collect::<Vec<_>>(),
            [(Some(0), 0, 2), (Some(0), 1, 1), (Some(1), 0, 2), (Some(1), 1, 1)]
        );
    }

    #[test]
    fn equal_means_share_a_rank_and_unplayed_strategies_come_last() {
        let records = vec![record(0, 0, vec![0, 1], vec![0.5, 0.5], true)];
        let t = tables(3, &records);
        let ranks: Vec<_> = t.get(Grouping::Strategy).iter().map(|r| (r.key.strategy, r.rank)).collect();
        assert_eq!(ranks, [(0, 1), (1, 1), (2, 3)]);
        assert_eq!(t.get(Grouping::Strategy)[2].seats, 0);
    }

    #[test]
    fn results_do_not_depend_on_record_order() {
        let mut records: Vec<Record> = (0..40)
            .map(|i| {
                let u = ((i * 37) % 17) as f64 / 17.0;
                record(
                    i,
                    (i % 3) as usize,
                    vec![(i % 2) as usize, ((i / 2) % 2) as usize],
                    vec![u, 1.0 - u],
                    i % 5 != 0,
                )
            })
            .collect();
        let a = tables(2, &records);
        records.reverse();
        assert_eq!(format!("{a:?}"), format!("{:?}", tables(2, &records)));
    }
}
