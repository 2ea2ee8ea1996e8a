//! The single-text mediated protocol (Klein, Faratin, Sayama & Bar-Yam
//! 2003, "Negotiating complex contracts").
//!
//! A mediator holds one text (an outcome), drawn at random from the
//! protocol's seed. Every round it proposes a mutation of the text: one
//! issue, chosen at random, set to another of its values (when that breaks
//! a constraint it tries again, up to 32 times, then skips the round).
//! Every party votes; the text moves to the proposal only when all vote
//! yes. At the deadline the text is agreed when every party prefers it to
//! no agreement (utility above its reservation value); otherwise the talks
//! fail. When a party's own deadline (a scenario event) comes first, the
//! talks end then, on the same rule. How a negotiator votes is its strategy's business
//! ([`Negotiator::vote`]).

use super::{
    never_cancelled, record_posteriors, Action, Contexts, Deadline, Domain, Ending, Event, Negotiator, Protocol,
    Session, Turn,
};
use crate::budget::{Cancel, Cancelled};
use crate::forecast::montecarlo::Rng;

/// The single-text mediated protocol.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SingleText {
    /// When the talks end.
    pub deadline: Deadline,
}

impl Protocol for SingleText {
    fn name(&self) -> &'static str {
        "mediated"
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
        domain: &Domain,
        parties: &[usize],
        contexts: &Contexts<'_>,
        negotiators: &mut [Box<dyn Negotiator>],
        seed: u64,
        trace: bool,
        cancel: &Cancel,
    ) -> Result<Session, Cancelled> {
        let mut rng = Rng::for_run(seed, 0);
        let pick = |rng: &mut Rng, n: usize| ((rng.unit() * n as f64) as usize).min(n - 1);
        let mut text = if domain.is_searched() {
            // No list to draw from: a uniform value on every issue.
            let digits: Vec<u32> =
                (0..domain.issue_count()).map(|i| pick(&mut rng, domain.value_count(i)) as u32).collect();
            domain.find(&digits)
        } else {
            pick(&mut rng, domain.len())
        };
        let mut events = Vec::new();
        let mut posteriors = Vec::new();
        let clock = self.deadline.seconds.map(|_| std::time::Instant::now());
        let mut time = self.deadline.relative_time(0, 0.0);
        let mut rounds = 0;
        let mut walked = None;
        let mut digits: Vec<u32> = Vec::with_capacity(domain.issue_count());
        for round in 0..self.deadline.rounds {
            cancel.check()?;
            let elapsed = clock.map_or(0.0, |c| c.elapsed().as_secs_f64());
            if self.deadline.seconds.is_some_and(|s| elapsed >= s) {
                break;
            }
            time = self.deadline.relative_time(round, elapsed);
            walked = contexts.walking_away(round);
            if walked.is_some() {
                // A party's own deadline has come: the talks end on the
                // current text.
                break;
            }
            rounds = round + 1;
            let in_force = contexts.at(round);
            let turn = Turn { round, time };
            // Issues with a single value cannot change; with none left the
            // text is final.
            let movable: Vec<usize> = (0..domain.issue_count()).filter(|&i| domain.value_count(i) > 1).collect();
            if movable.is_empty() {
                break;
            }
            let issue = movable[pick(&mut rng, movable.len())];
            let n_values = domain.value_count(issue);
            digits.clear();
            digits.extend_from_slice(domain.digits(text));
            // Another value of the issue, uniformly.
            let shift = 1 + pick(&mut rng, n_values - 1) as u32;
            digits[issue] = (digits[issue] + shift) % n_values as u32;
            let proposal = domain.find(&digits);
            if trace {
                events.push(Event { round, time, actor: None, action: Action::Propose(proposal) });
            }
            let mut all_yes = true;
            for (slot, negotiator) in negotiators.iter_mut().enumerate() {
                let yes = negotiator.vote(&in_force[slot], turn, text, proposal);
                all_yes &= yes;
                if trace {
                    events.push(Event {
                        round,
                        time,
                        actor: Some(parties[slot]),
                        action: Action::Vote { proposal, yes },
                    });
                }
            }
            if all_yes {
                text = proposal;
            }
            if trace {
                events.push(Event { round, time, actor: None, action: Action::Text(text) });
                record_posteriors(negotiators, parties, round, &mut posteriors);
            }
        }
        let last = contexts.at(rounds.saturating_sub(1));
        let agreed = last.iter().all(|c| c.own.allows(text) && c.own.utility(text) > c.own.reservation);
        let ending = match walked {
            _ if agreed => Ending::Agreement,
            Some(slot) => Ending::Walkout(parties[slot]),
            None => Ending::Deadline,
        };
        Ok(Session {
            parties: parties.to_vec(),
            agreement: agreed.then_some(text),
            ending,
            rounds,
            time,
            trace: events,
            posteriors,
        })
    }
}
