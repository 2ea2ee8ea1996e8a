//! Statements strategies make ([`Speak`]): which of its party's declared
//! statements each strategy makes at the start of talks, and the scenario
//! and domain the talks then run on.
//!
//! A statement changes listeners' numbers and the speaker's utilities, so
//! talks in which a strategy speaks run on a domain of their own: the
//! scenario with those statements made in round 0
//! ([`Scenario::with_statement_at`]), compiled again. Statements are
//! chosen before the first offer, from the speaker's own preferences
//! alone, so a negotiator still sees nothing of the others'.

use super::domain::{Domain, DomainConfig};
use super::registry::{Speak, Spec};
use super::NegotiationError;
use crate::budget::Cancel;
use crate::scenario::{Scenario, StatementKind};

/// The statements (indices into [`Scenario::statements`]) the parties'
/// strategies make at the start of talks on `domain` (compiled from
/// `scenario`), in party order then file order. A statement the file's
/// events already make is not made again.
///
/// `speak=honest` makes the commitments and assurances whose pledge only
/// rules out outcomes the speaker values at or below its reservation, in
/// the domain as talks start; `speak=all` makes every statement of its
/// party.
pub fn opening_statements(scenario: &Scenario, domain: &Domain, parties: &[usize], specs: &[Spec]) -> Vec<usize> {
    let speaks: Vec<Speak> = specs.iter().map(Spec::speak).collect();
    opening_statements_by(scenario, domain, parties, &speaks)
}

/// As [`opening_statements`], with each party's [`Speak`] given directly
/// (a custom negotiator never speaks: [`Speak::Never`]).
pub fn opening_statements_by(scenario: &Scenario, domain: &Domain, parties: &[usize], speaks: &[Speak]) -> Vec<usize> {
    let mut out = Vec::new();
    for (&party, &speak) in parties.iter().zip(speaks) {
        for (k, st) in scenario.statements.iter().enumerate() {
            if st.by != party || scenario.events.iter().any(|e| e.statements.contains(&k)) {
                continue;
            }
            let says = match speak {
                Speak::Never => false,
                Speak::All => true,
                Speak::Honest => st.kind != StatementKind::Signal && costs_nothing(domain, party, st),
            };
            if says {
                out.push(k);
            }
        }
    }
    out
}

/// Whether every outcome `domain` can offer that breaks the pledge of `st`
/// is worth no more than its reservation to `party`.
fn costs_nothing(domain: &Domain, party: usize, st: &crate::scenario::Statement) -> bool {
    let prefs = domain.preferences(party);
    (0..domain.len()).all(|o| !st.broken_by(&domain.outcome(o)) || prefs.utility(o) <= prefs.reservation)
}

/// The scenario and domain talks run on once the strategies have spoken:
/// `None` when none speaks (the talks run on `domain` as it is).
pub fn after_speech(
    scenario: &Scenario,
    domain: &Domain,
    parties: &[usize],
    specs: &[Spec],
    config: &DomainConfig,
    cancel: &Cancel,
) -> Result<Option<(Scenario, Domain)>, NegotiationError> {
    let said = opening_statements(scenario, domain, parties, specs);
    if said.is_empty() {
        return Ok(None);
    }
    let s = spoken(scenario, &said);
    let d = Domain::new_with(&s, config, cancel, &|_, _| {})?;
    Ok(Some((s, d)))
}

/// `scenario` with `said` (statement indices) made in round 0 by the
/// parties' strategies.
pub(crate) fn spoken(scenario: &Scenario, said: &[usize]) -> Scenario {
    let mut s = scenario.clone();
    for &k in said {
        s = s.with_statement_at(k, 0, "said by its strategy");
    }
    s
}
