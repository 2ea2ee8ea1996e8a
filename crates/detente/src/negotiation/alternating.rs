//! The stacked alternating offers protocol (Aydoğan et al. 2017; NegMAS's
//! `SAOMechanism`, GENIUS's multilateral protocol).
//!
//! Parties act in a fixed order, one turn each per round. The first party
//! opens with an offer; every later turn answers the offer on the table:
//! accept it, walk away, or reject it with a counter-offer that replaces
//! it. Making an offer counts as accepting it, so an outcome is agreed when
//! every other party has accepted it in turn after it was made (in a
//! bilateral session: the other party accepts). The talks end at the
//! deadline without agreement. Every turn of round `r` happens at relative
//! time `(r + 1) / (R + 1)` (see [`Deadline::relative_time`]). A party
//! whose own deadline (a scenario event) has come walks away at its turn;
//! from the round an event is in force, every party acts on the scenario
//! after it ([`Contexts::at`]).

use std::time::Instant;

use super::{
    never_cancelled, record_posteriors, Action, Contexts, Deadline, Domain, Ending, Event, Negotiator, PosteriorRecord,
    Protocol, Reply, Response, Session, Turn,
};
use crate::budget::{Cancel, Cancelled};

/// The stacked alternating offers protocol.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlternatingOffers {
    /// When the talks end.
    pub deadline: Deadline,
}

impl Protocol for AlternatingOffers {
    fn name(&self) -> &'static str {
        "alternating"
    }

    fn deadline(&self) -> Deadline {
        self.deadline
    }

    fn run(
        &self,
        domain: &Domain,
        parties: &[usize],
        contexts: &Contexts<'_>,
        negotiators: &mut [Box<dyn Negotiator>],
        seed: u64,
        trace: bool,
    ) -> Session {
        never_cancelled(self.run_cancellable(domain, parties, contexts, negotiators, seed, trace, &Cancel::new()))
    }

    fn run_cancellable(
        &self,
        _domain: &Domain,
        parties: &[usize],
        contexts: &Contexts<'_>,
        negotiators: &mut [Box<dyn Negotiator>],
        _seed: u64,
        trace: bool,
        cancel: &Cancel,
    ) -> Result<Session, Cancelled> {
        let n = parties.len();
        let clock = self.deadline.seconds.map(|_| Instant::now());
        let mut events = Vec::new();
        let record = |events: &mut Vec<Event>, round: usize, time: f64, slot: usize, action: Action| {
            if trace {
                events.push(Event { round, time, actor: Some(parties[slot]), action });
            }
        };
        let mut posteriors: Vec<PosteriorRecord> = Vec::new();
        let snapshot = |negotiators: &[Box<dyn Negotiator>], posteriors: &mut Vec<PosteriorRecord>, round: usize| {
            if trace {
                record_posteriors(negotiators, parties, round, posteriors);
            }
        };
        let mut table: Option<(usize, usize)> = None; // (offer, proposer slot)
        let mut accepted = 0usize;
        let mut last_time = 0.0;
        for round in 0..self.deadline.rounds {
            cancel.check()?;
            let elapsed = clock.map_or(0.0, |c| c.elapsed().as_secs_f64());
            let time = self.deadline.relative_time(round, elapsed);
            last_time = time;
            if self.deadline.seconds.is_some_and(|s| elapsed >= s) {
                break;
            }
            let turn = Turn { round, time };
            let contexts = contexts.at(round);
            for slot in 0..n {
                let ctx = &contexts[slot];
                if ctx.gone(round) {
                    // Its own deadline has come: it leaves the table.
                    record(&mut events, round, time, slot, Action::End);
                    snapshot(negotiators, &mut posteriors, round);
                    return Ok(walkout(parties, slot, round, time, events, posteriors));
                }
                if let Some((offer, from)) = table {
                    let response = negotiators[slot].respond(ctx, turn, offer, from);
                    if response != Response::End {
                        let reply = Reply { offer, proposer: from, from: slot, accepted: response == Response::Accept };
                        for (other, (neg, octx)) in negotiators.iter_mut().zip(contexts).enumerate() {
                            if other != slot {
                                neg.replied(octx, turn, &reply);
                            }
                        }
                    }
                    match response {
                        Response::Accept => {
                            record(&mut events, round, time, slot, Action::Accept(offer));
                            accepted += 1;
                            if accepted == n {
                                snapshot(negotiators, &mut posteriors, round);
                                return Ok(Session {
                                    parties: parties.to_vec(),
                                    agreement: Some(offer),
                                    ending: Ending::Agreement,
                                    rounds: round + 1,
                                    time,
                                    trace: events,
                                    posteriors,
                                });
                            }
                            continue;
                        }
                        Response::End => {
                            record(&mut events, round, time, slot, Action::End);
                            snapshot(negotiators, &mut posteriors, round);
                            return Ok(walkout(parties, slot, round, time, events, posteriors));
                        }
                        Response::Reject => record(&mut events, round, time, slot, Action::Reject(offer)),
                    }
                }
                match negotiators[slot].propose(ctx, turn) {
                    Some(offer) => {
                        record(&mut events, round, time, slot, Action::Offer(offer));
                        table = Some((offer, slot));
                        accepted = 1;
                        for (other, (neg, octx)) in negotiators.iter_mut().zip(contexts).enumerate() {
                            if other != slot {
                                neg.observe(octx, turn, offer, slot);
                            }
                        }
                    }
                    None => {
                        record(&mut events, round, time, slot, Action::End);
                        snapshot(negotiators, &mut posteriors, round);
                        return Ok(walkout(parties, slot, round, time, events, posteriors));
                    }
                }
            }
            snapshot(negotiators, &mut posteriors, round);
        }
        Ok(Session {
            parties: parties.to_vec(),
            agreement: None,
            ending: Ending::Deadline,
            rounds: self.deadline.rounds,
            time: last_time,
            trace: events,
            posteriors,
        })
    }
}

fn walkout(
    parties: &[usize],
    slot: usize,
    round: usize,
    time: f64,
    trace: Vec<Event>,
    posteriors: Vec<PosteriorRecord>,
) -> Session {
    Session {
        parties: parties.to_vec(),
        agreement: None,
        ending: Ending::Walkout(parties[slot]),
        rounds: round + 1,
        time,
        trace,
        posteriors,
    }
}
