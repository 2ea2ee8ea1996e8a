//! One round's data on the package's 0–100 scale: positions, saliences,
//! capabilities, and the expected outcome (the capability × salience
//! weighted mean) with the what-if variants an exchange needs.

use crate::forecast::ForecastInput;

/// The actors' data at the start of a round, every issue put on 0–100 as
/// `decide-exchange-model` does (its move limits are in those units).
#[derive(Clone, Debug)]
pub(super) struct State {
    /// Actors.
    pub n: usize,
    /// Issues.
    pub m: usize,
    /// Start positions on 0–100, actor-major (`a * m + d`).
    pub x: Vec<f64>,
    /// Salience, actor-major.
    pub s: Vec<f64>,
    /// Capability, actor-major.
    pub c: Vec<f64>,
    /// `Σₐ cₐ sₐ` per issue: the denominator of every outcome.
    pub total: Vec<f64>,
    /// The expected outcome per issue at the start of the round.
    pub outcome: Vec<f64>,
}

/// `100 / span`, the package's step from an issue's scale to 0–100 (0 for
/// a scale without width, where every position maps to 0).
pub(super) fn step(span: f64) -> f64 {
    if span > 0.0 {
        100.0 / span
    } else {
        0.0
    }
}

impl State {
    /// The round's data from positions `x` on the input's scales.
    pub fn new(input: &ForecastInput, x: &[f64]) -> State {
        let n = input.actors.len();
        let m = input.dimensions.len();
        let mut s = Vec::with_capacity(n * m);
        let mut c = Vec::with_capacity(n * m);
        for a in &input.actors {
            s.extend_from_slice(&a.salience);
            c.extend_from_slice(&a.capability);
        }
        let mut norm = Vec::with_capacity(n * m);
        for a in 0..n {
            for (d, dim) in input.dimensions.iter().enumerate() {
                norm.push((x[a * m + d] - dim.min) * step(dim.max - dim.min));
            }
        }
        let total: Vec<f64> = (0..m).map(|d| (0..n).map(|a| c[a * m + d] * s[a * m + d]).sum()).collect();
        let mut state = State { n, m, x: norm, s, c, total, outcome: Vec::new() };
        state.outcome = (0..m).map(|d| state.adjusted(d, &[], None)).collect();
        state
    }

    pub fn s(&self, a: usize, d: usize) -> f64 {
        self.s[a * self.m + d]
    }

    pub fn c(&self, a: usize, d: usize) -> f64 {
        self.c[a * self.m + d]
    }

    pub fn x(&self, a: usize, d: usize) -> f64 {
        self.x[a * self.m + d]
    }

    /// Whether actor `a` takes part in exchanges on issue `d`. The package
    /// divides by salience and by capability × salience, so an actor with
    /// either at 0 (or no data) cannot trade on the issue; it still counts,
    /// with weight 0, in the outcome.
    pub fn active(&self, a: usize, d: usize) -> bool {
        self.s(a, d) > 0.0 && self.c(a, d) > 0.0
    }

    /// Whether `a` is at or left of the outcome on `d` (the package's
    /// `position <= nbs`).
    pub fn left(&self, a: usize, d: usize) -> bool {
        self.x(a, d) <= self.outcome[d]
    }

    /// The outcome on `d` with the positions of `updates` (`(actor,
    /// position)`) and then `actor` at its position replaced: the package's
    /// `adjusted_nbs`. 0 when no actor has weight, as in the package.
    pub fn adjusted(&self, d: usize, updates: &[(usize, f64)], actor: Option<(usize, f64)>) -> f64 {
        if self.total[d] == 0.0 {
            return 0.0;
        }
        self.weighted_sum(d, updates, actor, false) / self.total[d]
    }

    /// How far `actor` (at `from`, then overridden by `updates` if it is
    /// there) must move for the outcome on `d` to be `target`: the
    /// package's `adjusted_nbs_by_position`, whose sum includes the actor
    /// itself, so it returns a shift rather than a position.
    pub fn shift_to(&self, d: usize, updates: &[(usize, f64)], actor: usize, from: f64, target: f64) -> f64 {
        let sum = self.weighted_sum(d, updates, Some((actor, from)), true);
        (target * self.total[d] - sum) / (self.s(actor, d) * self.c(actor, d))
    }

    /// `Σₐ xₐ sₐ cₐ` on `d` with `actor` and `updates` in place; with
    /// `updates_last` the updates override the actor (the order of
    /// `adjusted_nbs_by_position`), else the actor overrides them (the
    /// order of `adjusted_nbs`).
    fn weighted_sum(&self, d: usize, updates: &[(usize, f64)], actor: Option<(usize, f64)>, updates_last: bool) -> f64 {
        (0..self.n)
            .map(|a| {
                let update = updates.iter().find(|u| u.0 == a).map(|u| u.1);
                let own = actor.filter(|p| p.0 == a).map(|p| p.1);
                let x = if updates_last { update.or(own) } else { own.or(update) };
                x.unwrap_or_else(|| self.x(a, d)) * self.s(a, d) * self.c(a, d)
            })
            .sum()
    }
}
