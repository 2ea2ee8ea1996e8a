//! Time-dependent concession (Faratin, Sierra & Jennings 1998; GENIUS's
//! `TimeDependentAgent`): the target utility falls from the best outcome
//! to a floor along `pmin + (pmax − pmin)·(1 − F(t))`, and the bid is the
//! outcome with the lowest utility at or above the target (ties: the lowest
//! outcome number).
//!
//! - Faratin's curve `F(t) = k + (1 − k)·t^(1/e)`: `e < 1` is Boulware
//!   (holds out, concedes near the deadline; GENIUS's Boulware is
//!   `e = 0.2`), `e = 1` Linear, `e > 1` Conceder (GENIUS: `e = 2`), `e = 0`
//!   the hardliner (always its best outcome).
//! - NegMAS's aspiration curve `1 − t^a` (`PolyAspiration`; `a = 4`
//!   Boulware, `1` Linear, `0.25` Conceder) is the same family with
//!   `e = 1/a`; it is kept as `F(t) = t^a` so the target is computed with
//!   the same operations as NegMAS's.
//! - `pmax` is the best utility; `pmin` is the reservation value (or the
//!   worst outcome, when that is better) — NegMAS's scaling too — or with
//!   `floor = min` the worst outcome whatever the reservation.
//! - `tolerance`: NegMAS offers the worst outcome at or above the
//!   *threshold* `target − tolerance` (its `AspirationNegotiator` has a
//!   tolerance of 0.001, its `…TBNegotiator`s 0.0001), kept between the
//!   floor and the best utility. The published rule, and the default here,
//!   is a tolerance of 0.
//! - `snap`: NegMAS's outcome search (`PresortingInverseUtilityFunction.
//!   worst_in`) returns the outcome *nearest* to the threshold among those
//!   no more than 10⁻⁶ below it or above it, so an outcome up to 10⁻⁶ under
//!   the threshold is offered when it is strictly closer than the first one
//!   at or above. `snap` is that margin (NegMAS: `1e-6`; default 0: never
//!   below the threshold).
//!
//! `docs/negotiation.md`, "Cross-check with NegMAS", lists what else decides
//! whether detente and NegMAS make the same offers.

use super::{faratin_target, Bidding};
use crate::negotiation::{Context, Turn};

/// Where concession stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Floor {
    /// The reservation value (never below the worst outcome).
    Reservation,
    /// The worst outcome's utility.
    Minimum,
}

/// The concession curve: the share `F(t)` of the room between best and floor
/// given up at relative time `t`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Curve {
    /// Faratin et al.: `F(t) = k + (1 − k)·t^(1/e)`; `e = 0` never concedes.
    Faratin {
        /// Concession exponent.
        e: f64,
        /// Initial concession in `[0, 1]`.
        k: f64,
    },
    /// NegMAS's `PolyAspiration`: `F(t) = t^a`.
    Aspiration {
        /// Aspiration exponent (`a = 1/e`).
        a: f64,
    },
}

/// Time-dependent concession.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeDependent {
    /// The concession curve.
    pub curve: Curve,
    /// Where the target stops.
    pub floor: Floor,
    /// How far below the target the threshold lies (0: bids at or above the target).
    pub tolerance: f64,
    /// How far below the threshold a strictly nearer outcome may be bid
    /// instead of the first at or above it (0: never).
    pub snap: f64,
}

impl TimeDependent {
    /// Faratin's concession with exponent `e`, initial concession `k`, no tolerance.
    pub fn faratin(e: f64, k: f64, floor: Floor) -> TimeDependent {
        TimeDependent { curve: Curve::Faratin { e, k }, floor, tolerance: 0.0, snap: 0.0 }
    }

    /// The floor and the best utility.
    fn range(&self, ctx: &Context<'_>) -> (f64, f64) {
        let pmax = ctx.own.max();
        let pmin = match self.floor {
            Floor::Reservation => ctx.own.reservation.max(ctx.own.min()).min(pmax),
            Floor::Minimum => ctx.own.min(),
        };
        (pmin, pmax)
    }

    /// The target utility at relative time `t`.
    pub fn target(&self, ctx: &Context<'_>, t: f64) -> f64 {
        let (pmin, pmax) = self.range(ctx);
        match self.curve {
            Curve::Faratin { e, k } => faratin_target(pmin, pmax, e, k, t),
            // NegMAS: (max − min)·(1 − t^a) + min.
            Curve::Aspiration { a } => pmin + (pmax - pmin) * (1.0 - t.powf(a)),
        }
    }

    /// The threshold at relative time `t`: the target less the tolerance,
    /// kept between the floor and the best utility (NegMAS: `min(max,
    /// scaled − eps)`, then `max(min, …)`).
    pub fn threshold_at(&self, ctx: &Context<'_>, t: f64) -> f64 {
        let (pmin, pmax) = self.range(ctx);
        (self.target(ctx, t) - self.tolerance).min(pmax).max(pmin)
    }
}

impl Bidding for TimeDependent {
    fn bid(&mut self, ctx: &Context<'_>, turn: Turn) -> usize {
        let own = ctx.own;
        let level = self.threshold_at(ctx, turn.time);
        if own.is_searched() {
            // `snap` is refused on searched domains (`Spec::check`).
            return own.worst_at_least(level);
        }
        let rank = own.rank_at_least(level).min(own.order.len() - 1);
        let at = own.order[rank] as usize;
        if self.snap > 0.0 && rank > 0 {
            // The best outcome under the threshold, when it is within `snap`
            // and strictly nearer (NegMAS compares |u − level|).
            let below = own.utility(own.order[rank - 1] as usize);
            if below >= level - self.snap && (below - level).abs() < (own.utility(at) - level).abs() {
                // Ties: the lowest outcome number.
                return own.order[own.rank_at_least(below)] as usize;
            }
        }
        at
    }

    fn threshold(&self, ctx: &Context<'_>, turn: Turn) -> Option<f64> {
        Some(self.threshold_at(ctx, turn.time))
    }
}
