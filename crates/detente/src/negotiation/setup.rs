//! Setting the table for one session, the steps every shell (the CLI's
//! `negotiate`, the server's `/api/negotiate`, the Python package) takes
//! between a compiled domain and [`super::run_with`]: who opens, which
//! strategy each party plays, and the statements strategies make before
//! the first offer ([`super::speech`]).

use super::domain::{Domain, DomainConfig};
use super::registry::{self, Spec};
use super::NegotiationError;
use crate::budget::Cancel;
use crate::scenario::Scenario;

/// A session ready to run.
pub struct Table {
    /// The scenario the talks run on: as given, or with the statements
    /// strategies make in round 0.
    pub scenario: Scenario,
    /// Its compiled domain.
    pub domain: Domain,
    /// The parties (actor indices) in move order.
    pub parties: Vec<usize>,
    /// Strategy per party, in move order.
    pub specs: Vec<Spec>,
    /// Per party, whether its strategy is `default` (no assignment named it).
    pub defaulted: Vec<bool>,
}

/// Why a table could not be set: a field of the request is wrong.
#[derive(Debug)]
pub enum SetupError {
    /// `first` names no party (the message lists them).
    First(String),
    /// A strategy assignment does not parse or names no party.
    Strategies(NegotiationError),
    /// The strategies cannot play on the domain, or speaking failed to
    /// compile the domain after the statements.
    Engine(NegotiationError),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::First(m) => f.write_str(m),
            SetupError::Strategies(e) | SetupError::Engine(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SetupError {}

/// Seats the parties of `domain` (compiled from `scenario` with `config`):
/// `first` opens (the others keep their order after it), `assignments`
/// (`PARTY=SPEC` or `SPEC`, as `--strategy`) give strategies, `default` the
/// rest; then the strategies that speak make their statements.
pub fn seat(
    scenario: Scenario,
    domain: Domain,
    first: Option<&str>,
    assignments: &[String],
    default: &Spec,
    config: &DomainConfig,
    cancel: &Cancel,
) -> Result<Table, SetupError> {
    let mut parties = domain.parties().to_vec();
    let ids = |parties: &[usize]| parties.iter().map(|&p| scenario.actors[p].id.clone()).collect::<Vec<_>>();
    if let Some(first) = first {
        let names = ids(&parties);
        let Some(k) = names.iter().position(|id| id == first) else {
            return Err(SetupError::First(format!("`{first}` is not a party; the parties are {}", names.join(", "))));
        };
        parties.rotate_left(k);
    }
    let names = ids(&parties);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (specs, defaulted): (Vec<Spec>, Vec<bool>) =
        registry::assign(&names, assignments, default).map_err(SetupError::Strategies)?.into_iter().unzip();
    for spec in &specs {
        spec.check(&domain).map_err(SetupError::Engine)?;
    }
    let spoken = super::speech::after_speech(&scenario, &domain, &parties, &specs, config, cancel)
        .map_err(SetupError::Engine)?;
    let (scenario, domain) = spoken.unwrap_or((scenario, domain));
    Ok(Table { scenario, domain, parties, specs, defaulted })
}
