//! Random offers: a uniformly drawn outcome the party prefers to no
//! agreement (its best outcome when there is none), from the negotiator's
//! own seeded stream — the usual baseline (NegMAS's `RandomNegotiator`).

use super::Bidding;
use crate::forecast::montecarlo::Rng;
use crate::negotiation::{Context, Turn};

/// Uniformly random bids above the reservation value.
#[derive(Clone, Debug, Default)]
pub struct RandomBidding {
    rng: Option<Rng>,
    first: usize,
}

impl Bidding for RandomBidding {
    fn start(&mut self, ctx: &Context<'_>) {
        self.rng = Some(Rng::for_run(ctx.seed, 0));
        let res = ctx.own.reservation;
        self.first = ctx.own.order.partition_point(|&k| ctx.own.utility(k as usize) <= res);
    }

    fn bid(&mut self, ctx: &Context<'_>, _turn: Turn) -> usize {
        let n = ctx.own.order.len();
        if self.first >= n {
            return ctx.own.best();
        }
        let rng = self.rng.get_or_insert_with(|| Rng::for_run(ctx.seed, 0));
        let span = n - self.first;
        let pick = ((rng.unit() * span as f64) as usize).min(span - 1);
        ctx.own.order[self.first + pick] as usize
    }
}
