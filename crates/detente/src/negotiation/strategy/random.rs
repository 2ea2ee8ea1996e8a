//! Random offers: a uniformly drawn outcome the party prefers to no
//! agreement (its best outcome when there is none), from the negotiator's
//! own seeded stream — the usual baseline (NegMAS's `RandomNegotiator`).
//! On a searched domain, which lists no outcomes, uniform outcomes are
//! drawn until one is preferred to no agreement (the same distribution),
//! at most [`DRAWS`] times, then the best outcome is offered.

use super::Bidding;
use crate::forecast::montecarlo::Rng;
use crate::negotiation::{Context, Turn};

/// Most draws per bid on a searched domain.
pub const DRAWS: usize = 1000;

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
        if ctx.own.is_searched() {
            let rng = self.rng.get_or_insert_with(|| Rng::for_run(ctx.seed, 0));
            let p = ctx.public;
            for _ in 0..DRAWS {
                let digits: Vec<u32> = (0..p.issue_count())
                    .map(|i| ((rng.unit() * p.value_count(i) as f64) as usize).min(p.value_count(i) - 1) as u32)
                    .collect();
                let k = p.find(&digits);
                if ctx.own.utility(k) > ctx.own.reservation {
                    return k;
                }
            }
            return ctx.own.best();
        }
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
