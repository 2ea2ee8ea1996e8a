//! Time-dependent concession (Faratin, Sierra & Jennings 1998; GENIUS's
//! `TimeDependentAgent`): the target utility falls from the best outcome
//! to a floor along `pmin + (pmax − pmin)·(1 − k − (1 − k)·t^(1/e))`, and
//! the bid is the outcome with the lowest utility at or above the target
//! (ties: the lowest outcome number).
//!
//! - `e < 1` is Boulware (holds out, concedes near the deadline; GENIUS's
//!   Boulware is `e = 0.2`), `e = 1` Linear, `e > 1` Conceder (GENIUS:
//!   `e = 2`), `e = 0` the hardliner (always its best outcome).
//! - NegMAS's aspiration curve `1 − t^a` (`a = 4` Boulware, `1` Linear,
//!   `0.25` Conceder) is the same family with `e = 1/a`.
//! - `pmax` is the best utility; `pmin` is the reservation value (or the
//!   worst outcome, when that is better), or with `floor = min` the worst
//!   outcome whatever the reservation — NegMAS's scaling.

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

/// Time-dependent concession.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeDependent {
    /// Concession exponent in Faratin's convention (`0` never concedes).
    pub e: f64,
    /// Initial concession `k` in `[0, 1]` (0: start at the best outcome).
    pub k: f64,
    /// Where the target stops.
    pub floor: Floor,
}

impl TimeDependent {
    /// The target utility at relative time `t`.
    pub fn target(&self, ctx: &Context<'_>, t: f64) -> f64 {
        let pmax = ctx.own.max();
        let pmin = match self.floor {
            Floor::Reservation => ctx.own.reservation.max(ctx.own.min()).min(pmax),
            Floor::Minimum => ctx.own.min(),
        };
        faratin_target(pmin, pmax, self.e, self.k, t)
    }
}

impl Bidding for TimeDependent {
    fn bid(&mut self, ctx: &Context<'_>, turn: Turn) -> usize {
        ctx.own.worst_at_least(self.target(ctx, turn.time))
    }
}
