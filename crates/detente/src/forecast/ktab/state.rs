//! One state of the spatial model: the actors' positions on the unit cube,
//! their salience-weighted distances, the risk attitudes inferred from how
//! likely each position is to win, every actor's estimate of every other's
//! utilities, and the probability of each position (KTAB's `SMPState`:
//! `setAllAUtil`, `pDist`, `posProb`, `equivNdx` in `smp.cpp`).

use super::collective::{scalar_pce, Unsettled};
use super::config::{KtabConfig, RiskAdjust, RiskRange, VotingRule};
use crate::forecast::ForecastInput;

/// Two positions closer than this (Euclidean, on the unit scale) are the
/// same position (KTAB `posTol`: 0.1 on a 0–100 scale).
const SAME_POSITION: f64 = 1e-3;

/// What does not change during a run: each actor's capability and
/// salience, and the scales.
#[derive(Clone, Debug)]
pub(crate) struct Actors {
    /// Actors.
    pub n: usize,
    /// Dimensions.
    pub d: usize,
    /// Capability (KTAB's scalar `sCap`).
    pub cap: Vec<f64>,
    /// Salience, actor-major (`sal[a·d + k]`), summing to at most 1 per actor.
    pub sal: Vec<f64>,
    /// Each actor's total salience (KTAB's `sum(vSal)`).
    pub sal_sum: Vec<f64>,
    /// Each actor's weight in challenges: total salience × capability.
    pub influence: Vec<f64>,
    /// Each actor's `Σₖ salₖ²`, the denominator of its distances.
    pub sal_sq: Vec<f64>,
    /// The low end of each dimension's scale.
    pub min: Vec<f64>,
    /// The width of each dimension's scale.
    pub span: Vec<f64>,
}

impl Actors {
    /// The model's view of `input`.
    ///
    /// KTAB has one capability per actor; an input with a capability per
    /// dimension gives the actor their mean (their value, when all are
    /// equal, as in KTAB's tables). KTAB's saliences are shares of
    /// attention that sum to at most 1; an actor whose saliences sum to more
    /// (a scenario gives each issue its own 0–1 salience) has them divided
    /// by their sum.
    pub fn new(input: &ForecastInput) -> Actors {
        let d = input.dimensions().len();
        let n = input.actors().len();
        let mut cap = Vec::with_capacity(n);
        let mut sal = Vec::with_capacity(n * d);
        for a in input.actors() {
            let c0 = a.capability[0];
            let c =
                if a.capability.iter().all(|c| *c == c0) { c0 } else { a.capability.iter().sum::<f64>() / d as f64 };
            cap.push(c);
            let total: f64 = a.salience.iter().sum();
            if total > 1.0 + 1e-9 {
                sal.extend(a.salience.iter().map(|s| s / total));
            } else {
                sal.extend_from_slice(&a.salience);
            }
        }
        let sal_sum: Vec<f64> = (0..n).map(|a| sal[a * d..(a + 1) * d].iter().sum()).collect();
        let influence = sal_sum.iter().zip(&cap).map(|(s, c)| s * c).collect();
        let sal_sq = (0..n).map(|a| sal[a * d..(a + 1) * d].iter().map(|s| s * s).sum()).collect();
        let min = input.dimensions().iter().map(|x| x.min).collect();
        let span = input.dimensions().iter().map(|x| x.max - x.min).collect();
        Actors { n, d, cap, sal, sal_sum, influence, sal_sq, min, span }
    }

    /// Positions on the input's scales, actor-major, on the unit scale.
    pub fn to_unit(&self, positions: &[f64]) -> Vec<f64> {
        positions.iter().enumerate().map(|(k, &x)| self.unit(k % self.d, x)).collect()
    }

    fn unit(&self, dim: usize, x: f64) -> f64 {
        if self.span[dim] > 0.0 {
            (x - self.min[dim]) / self.span[dim]
        } else {
            0.0
        }
    }

    /// A round's positions back on the unit scale, exactly as the model
    /// left them: converting a unit coordinate to the input's scale and
    /// back can be off in the last bit, and at the exact ties that
    /// positions on round numbers produce, a last bit can decide a
    /// challenge. A coordinate still at its stated value is the stated one's
    /// conversion; one moved by a bargain interpolated with rounding
    /// (`rounded`: KTAB's `SnPm` rules round to 4 decimals) is that rounding
    /// of its conversion, which recovers the model's value exactly.
    pub fn recover(&self, stated: &[f64], positions: &[f64], rounded: bool) -> Vec<f64> {
        positions
            .iter()
            .zip(stated)
            .enumerate()
            .map(|(k, (&x, &x0))| {
                let u = self.unit(k % self.d, x);
                if x == x0 || !rounded {
                    u
                } else {
                    super::bargain::round4(u)
                }
            })
            .collect()
    }

    /// One unit-scale coordinate on dimension `dim`'s scale.
    pub fn on_scale(&self, dim: usize, u: f64) -> f64 {
        self.min[dim] + u * self.span[dim]
    }

    /// Actor `a`'s salience-weighted distance between two positions:
    /// `√(Σₖ (sₐₖ (xₖ − yₖ))² / Σₖ sₐₖ²)`, in `[0, 1]` on the unit cube (KTAB
    /// `bvDiff`). An actor without salience anywhere (which KTAB rejects)
    /// sees no distance: it is indifferent.
    pub fn distance(&self, a: usize, x: &[f64], y: &[f64]) -> f64 {
        if self.sal_sq[a] <= 0.0 {
            return 0.0;
        }
        let s = &self.sal[a * self.d..(a + 1) * self.d];
        let mut sum = 0.0;
        for k in 0..self.d {
            let ds = (x[k] - y[k]) * s[k];
            sum += ds * ds;
        }
        (sum / self.sal_sq[a]).sqrt()
    }
}

/// The utility of a position at distance `d` to an actor with risk
/// attitude `r`: `(1 − d)(1 + d r)` (KTAB `bsUtil`). Risk-neutral actors
/// (`r = 0`) value distance linearly; `r > 0` is risk-averse (concave),
/// `r < 0` risk-seeking. `d` above 1 (rounding) keeps the slope at 1.
pub(crate) fn utility(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        (1.0 - d) * (1.0 + r)
    }
}

/// Risk attitudes from the probabilities `p` of the actors' positions: the
/// likeliest position's actor is the most risk-averse (`R = 1`), the least
/// likely's the most risk-seeking (KTAB `bigRfromProb`). When every
/// position is equally likely (KTAB divides by 0) everyone is risk-neutral.
pub(crate) fn risk_attitudes(p: &[f64], range: RiskRange) -> Vec<f64> {
    let (mut lo, mut hi) = (1.0, 0.0);
    for &x in p {
        lo = f64::min(lo, x);
        hi = f64::max(hi, x);
    }
    if hi - lo <= 0.0 {
        return vec![0.0; p.len()];
    }
    p.iter()
        .map(|&x| match range {
            RiskRange::Min => (x - lo) / (hi - lo),
            RiskRange::Mid => (3.0 * x - (hi + 2.0 * lo)) / (2.0 * (hi - lo)),
            RiskRange::Max => (2.0 * x - (hi + lo)) / (hi - lo),
        })
        .collect()
}

/// Actor `h`'s estimate of the risk attitude `ri` of an actor, anchored on
/// its own `rh` (KTAB `estNRA`).
pub(crate) fn estimate_risk(rh: f64, ri: f64, adjust: RiskAdjust) -> f64 {
    match adjust {
        RiskAdjust::Full => ri,
        RiskAdjust::TwoThirds => (rh + 2.0 * ri) / 3.0,
        RiskAdjust::Half => (rh + ri) / 2.0,
        RiskAdjust::OneThird => (2.0 * rh + ri) / 3.0,
        RiskAdjust::None => rh,
    }
}

/// One state: positions and everything derived from them.
#[derive(Clone, Debug)]
pub(crate) struct State {
    /// Positions on the unit cube, actor-major.
    pub pos: Vec<f64>,
    /// `dist[i·n + j]`: the distance, with `i`'s saliences, from `i`'s ideal
    /// (its position: KTAB's ideals track positions exactly under its
    /// identity accommodation matrix) to `j`'s position.
    pub dist: Vec<f64>,
    /// The same by position: `dist_to[j·n + i] = dist[i·n + j]`.
    pub dist_to: Vec<f64>,
    /// The risk attitude `R` of each actor.
    pub risk: Vec<f64>,
    /// `est[h·n + i]`: `h`'s estimate of `i`'s risk attitude.
    pub est: Vec<f64>,
}

impl State {
    /// The state at `pos`, with its risk attitudes inferred (or `risk`, when
    /// they are known from the round that recorded this state).
    pub fn new(actors: &Actors, config: &KtabConfig, pos: Vec<f64>, risk: Option<&[f64]>) -> Result<State, Unsettled> {
        let (n, d) = (actors.n, actors.d);
        let mut dist = vec![0.0; n * n];
        let mut dist_to = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let x = actors.distance(i, &pos[i * d..(i + 1) * d], &pos[j * d..(j + 1) * d]);
                dist[i * n + j] = x;
                dist_to[j * n + i] = x;
            }
        }
        let risk = match risk {
            Some(r) if r.len() == n => r.to_vec(),
            _ => {
                // Risk-neutral values of every position (by position), then
                // the probability of each actor's position in a vote
                // weighted by capability alone.
                let neutral: Vec<f64> = dist_to.iter().map(|&x| utility(x, 0.0)).collect();
                let p = scalar_pce(&actors.cap, &neutral, n, config.voting, config.victory, config.pce)?;
                risk_attitudes(&p, config.risk_range)
            }
        };
        let mut est = vec![0.0; n * n];
        for h in 0..n {
            for i in 0..n {
                est[h * n + i] = estimate_risk(risk[h], risk[i], config.risk_adjust);
            }
        }
        Ok(State { pos, dist, dist_to, risk, est })
    }

    /// The number of actors.
    pub fn n(&self) -> usize {
        self.risk.len()
    }

    /// `h`'s estimate of `a`'s utility for `b`'s position (KTAB
    /// `aUtil[h](a, b)`).
    #[inline]
    pub fn util(&self, h: usize, a: usize, b: usize) -> f64 {
        let n = self.n();
        utility(self.dist[a * n + b], self.est[h * n + a])
    }

    /// Every actor's distance to `b`'s position.
    pub fn by_position(&self, b: usize) -> &[f64] {
        let n = self.n();
        &self.dist_to[b * n..(b + 1) * n]
    }

    /// Actor `a`'s position.
    pub fn position(&self, d: usize, a: usize) -> &[f64] {
        &self.pos[a * d..(a + 1) * d]
    }

    /// Whether actors `i` and `j` hold the same position (KTAB `equivNdx`).
    fn same(&self, d: usize, i: usize, j: usize) -> bool {
        let (x, y) = (self.position(d, i), self.position(d, j));
        let sq: f64 = x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum();
        sq.sqrt() < SAME_POSITION
    }

    /// The distinct positions: each the first actor holding it (KTAB
    /// `ueIndices`).
    pub fn distinct(&self, d: usize) -> Vec<usize> {
        let mut unique: Vec<usize> = Vec::new();
        for i in 0..self.n() {
            if !unique.iter().any(|&k| self.same(d, i, k)) {
                unique.push(i);
            }
        }
        unique
    }

    /// The probability that each actor's position wins, and the index of
    /// the likeliest distinct position's actor (KTAB `pDist(-1)` and
    /// `posProb`).
    ///
    /// Each actor values the distinct positions with its own risk attitude
    /// and votes with its capability, proportionally (KTAB fixes the
    /// proportional rule here, whatever the voting option). Actors at the
    /// same position share its probability, so the actors' probabilities
    /// add up to more than 1 when positions are shared.
    pub fn probabilities(&self, actors: &Actors, config: &KtabConfig) -> Result<(Vec<f64>, usize), Unsettled> {
        let (n, d) = (self.n(), actors.d);
        let unique = self.distinct(d);
        let m = unique.len();
        let mut u = vec![0.0; m * n];
        for (k, &j) in unique.iter().enumerate() {
            for i in 0..n {
                u[k * n + i] = self.util(i, i, j);
            }
        }
        let p = scalar_pce(&actors.cap, &u, m, VotingRule::Proportional, config.victory, config.pce)?;
        // KTAB takes the last distinct position an actor is the same as
        // (sameness within a tolerance is not transitive).
        let per_actor =
            (0..n).map(|i| unique.iter().rposition(|&j| self.same(d, i, j)).map_or(0.0, |k| p[k])).collect();
        // KTAB takes the first of equally likely positions, so an exact tie
        // would follow the row order of the input; among tied positions
        // detente takes the lowest (coordinate by coordinate), which is the
        // same for any order. Without a tie this is KTAB's choice.
        let top = p[super::collective::first_max(&p)];
        let best = (0..m)
            .filter(|&k| p[k] == top)
            .map(|k| unique[k])
            .min_by(|&a, &b| {
                let (x, y) = (self.position(d, a), self.position(d, b));
                x.iter().zip(y).map(|(a, b)| a.total_cmp(b)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
            })
            .unwrap_or(unique[0]);
        Ok((per_actor, best))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utility_shapes() {
        assert_eq!(utility(0.0, 0.7), 1.0);
        assert_eq!(utility(1.0, -0.5), 0.0);
        assert!((utility(0.5, 0.0) - 0.5).abs() < 1e-15);
        // Risk-averse: a half-way position is worth more than half.
        assert!((utility(0.5, 1.0) - 0.75).abs() < 1e-15);
        assert!((utility(0.5, -0.5) - 0.375).abs() < 1e-15);
    }

    #[test]
    fn risk_ranges() {
        let p = [0.1, 0.4, 0.7];
        let r = risk_attitudes(&p, RiskRange::Mid);
        assert!((r[0] + 0.5).abs() < 1e-12 && (r[1] - 0.25).abs() < 1e-12 && (r[2] - 1.0).abs() < 1e-12, "{r:?}");
        let r = risk_attitudes(&p, RiskRange::Min);
        assert!((r[0]).abs() < 1e-12 && (r[1] - 0.5).abs() < 1e-12 && (r[2] - 1.0).abs() < 1e-12);
        let r = risk_attitudes(&p, RiskRange::Max);
        assert!((r[0] + 1.0).abs() < 1e-12 && (r[1]).abs() < 1e-12 && (r[2] - 1.0).abs() < 1e-12);
        assert_eq!(risk_attitudes(&[0.5, 0.5], RiskRange::Mid), [0.0, 0.0]);
    }

    #[test]
    fn risk_adjustment() {
        let (rh, ri) = (0.9, -0.3);
        assert!((estimate_risk(rh, ri, RiskAdjust::OneThird) - 0.5).abs() < 1e-12);
        assert!((estimate_risk(rh, ri, RiskAdjust::TwoThirds) - 0.1).abs() < 1e-12);
        assert!((estimate_risk(rh, ri, RiskAdjust::Half) - 0.3).abs() < 1e-12);
        assert_eq!(estimate_risk(rh, ri, RiskAdjust::Full), ri);
        assert_eq!(estimate_risk(rh, ri, RiskAdjust::None), rh);
    }
}
