//! Tit-for-tat: imitate the opponent's concessions (Faratin, Sierra &
//! Jennings 1998, imitative tactics), measured in the negotiator's own
//! utility because strategies never see the opponent's.
//!
//! Let `u_n` be the own utility of the `n`-th offer received (from any
//! other party). Starting at its best outcome, after each offer with
//! `n > δ` the negotiator moves its target:
//!
//! - absolute: `target ← target − (u_n − u_{n−δ})` (concede the same
//!   amount);
//! - relative: the opponent gave up the share `s = (u_n − u_{n−δ}) /
//!   (u_max − u_{n−δ})` of what still separated its offer from the
//!   negotiator's best; the negotiator gives up the same share of what
//!   separates its target from its floor, `target ← target − s·(target −
//!   floor)`. (Faratin's ratio of successive offers, `u_{n−δ}/u_n`, is
//!   undefined when an opening offer is worth 0 to the receiver, which is
//!   common with normalised utilities; shares of the remaining room are
//!   not.)
//!
//! A hardening opponent (`u_n < u_{n−δ}`) raises the target back by the
//! same amount (absolute) or share of the room above it (relative). The
//! target stays between the reservation value (or the worst outcome) and
//! the best utility; the bid is the outcome with the lowest utility at or
//! above it.

use super::Bidding;
use crate::negotiation::{Context, Turn};

/// Relative or absolute imitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imitation {
    /// Same proportion.
    Relative,
    /// Same amount.
    Absolute,
}

/// Tit-for-tat bidding.
#[derive(Clone, Debug, PartialEq)]
pub struct TitForTat {
    /// How concessions are imitated.
    pub imitation: Imitation,
    /// Look-back `δ` (in offers received), at least 1.
    pub delta: usize,
    received: Vec<f64>,
    target: Option<f64>,
}

impl TitForTat {
    /// Tit-for-tat with look-back `delta`.
    pub fn new(imitation: Imitation, delta: usize) -> TitForTat {
        TitForTat { imitation, delta: delta.max(1), received: Vec::new(), target: None }
    }
}

impl Bidding for TitForTat {
    fn start(&mut self, ctx: &Context<'_>) {
        self.target = Some(ctx.own.max());
    }

    fn observe(&mut self, ctx: &Context<'_>, _turn: Turn, offer: usize, _from: usize) {
        let u = ctx.own.utility(offer);
        self.received.push(u);
        let n = self.received.len();
        if n <= self.delta {
            return;
        }
        let before = self.received[n - 1 - self.delta];
        let pmax = ctx.own.max();
        let pmin = ctx.own.reservation.max(ctx.own.min()).min(pmax);
        let target = self.target.unwrap_or(pmax);
        let moved = match self.imitation {
            Imitation::Absolute => target - (u - before),
            Imitation::Relative if pmax > before => {
                let share = ((u - before) / (pmax - before)).clamp(-1.0, 1.0);
                if share >= 0.0 {
                    target - share * (target - pmin)
                } else {
                    target - share * (pmax - target)
                }
            }
            Imitation::Relative => target,
        };
        self.target = Some(moved.clamp(pmin, pmax));
    }

    fn bid(&mut self, ctx: &Context<'_>, _turn: Turn) -> usize {
        ctx.own.worst_at_least(self.target.unwrap_or_else(|| ctx.own.max()))
    }
}
