//! Tournaments: every assignment of strategies to the parties of every
//! scenario (for two parties, every ordered pairing, so each pair meets in
//! both roles, self-play included), repeated with derived seeds.
//!
//! Negotiations are numbered in a fixed order (scenario, assignment,
//! repetition) and negotiation `id` runs with seed `derive_seed(seed, id)`,
//! so its result depends on nothing but the tournament's definition: not on
//! the number of threads, the order in which negotiations finish, or on
//! whether the run was interrupted and resumed. [`Tournament::run`] runs any
//! subset in parallel and hands each [`Record`] to a callback as it
//! finishes (the CLI appends it to a file); [`tables`] turns records, in
//! id order, into the tables per strategy, scenario, pairing and role, with
//! spreads, confidence intervals and ranks.

mod tables;

pub use tables::{tables, Grouping, Key, Stat, TableRow, Tables, METRICS};

use rayon::prelude::*;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::domain::{Domain, DomainConfig, Reference};
use super::evaluate::evaluate;
use super::registry::{Speak, Spec};
use super::{derive_seed, NegotiationError, Negotiator, Protocol, Seat};
use crate::budget::Cancel;
use crate::scenario::Scenario;

/// A domain compiled after statements, with its reference frontier.
type Spoken = Arc<(Domain, Reference)>;

/// Makes a fresh custom negotiator for one session (it may fail: a Python
/// class whose constructor raises).
pub type Make = Arc<dyn Fn() -> Result<Box<dyn Negotiator>, NegotiationError> + Send + Sync>;

/// One strategy entered in a tournament: a registered one, or a custom
/// negotiator made fresh for every session it plays ([`Seat::Custom`]).
#[derive(Clone)]
pub enum Player {
    /// A registered strategy.
    Spec(Spec),
    /// A negotiator made elsewhere, under a label of its own for tables
    /// (it must differ from every other strategy's). It never speaks and
    /// can play on any domain.
    Custom {
        /// Its name in records and tables.
        label: String,
        /// Makes it for a session.
        make: Make,
    },
}

impl From<Spec> for Player {
    fn from(spec: Spec) -> Player {
        Player::Spec(spec)
    }
}

impl Player {
    /// A short name for tables and plots ([`Spec::alias`], or the label).
    pub fn alias(&self) -> String {
        match self {
            Player::Spec(s) => s.alias(),
            Player::Custom { label, .. } => label.clone(),
        }
    }

    /// The strategy's name ([`Spec::name`], or the label).
    pub fn name(&self) -> &str {
        match self {
            Player::Spec(s) => s.name(),
            Player::Custom { label, .. } => label,
        }
    }

    /// Which statements it makes at the start of talks.
    pub fn speak(&self) -> Speak {
        match self {
            Player::Spec(s) => s.speak(),
            Player::Custom { .. } => Speak::Never,
        }
    }

    /// Whether it can play on `domain` ([`Spec::check`]; a custom
    /// negotiator always can).
    pub fn check(&self, domain: &Domain) -> Result<(), NegotiationError> {
        match self {
            Player::Spec(s) => s.check(domain),
            Player::Custom { .. } => Ok(()),
        }
    }

    /// Its seat at one session.
    pub fn seat(&self) -> Result<Seat, NegotiationError> {
        Ok(match self {
            Player::Spec(s) => Seat::Spec(s.clone()),
            Player::Custom { make, .. } => Seat::Custom(make()?),
        })
    }
}

impl std::fmt::Display for Player {
    /// The canonical form: a spec's with every parameter, or the label.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Player::Spec(s) => write!(f, "{s}"),
            Player::Custom { label, .. } => f.write_str(label),
        }
    }
}

impl std::fmt::Debug for Player {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Player::Spec(s) => f.debug_tuple("Spec").field(s).finish(),
            Player::Custom { label, .. } => f.debug_struct("Custom").field("label", label).finish_non_exhaustive(),
        }
    }
}

/// One scenario of a tournament.
pub struct Entry {
    /// A name for tables (the file stem).
    pub name: String,
    /// The compiled domain.
    pub domain: Domain,
    reference: Reference,
    /// The scenario and how it was compiled, for strategies that speak
    /// ([`super::speech`]); `None` for an entry built from a domain alone.
    scenario: Option<(Scenario, DomainConfig)>,
    /// Domains after statements, by the statements made (the same words
    /// give the same domain, so each is compiled once).
    spoken: Mutex<HashMap<Vec<usize>, Spoken>>,
}

impl Entry {
    /// An entry for `domain`.
    pub fn new(name: impl Into<String>, domain: Domain) -> Entry {
        let reference = domain.reference();
        Entry { name: name.into(), domain, reference, scenario: None, spoken: Mutex::default() }
    }

    /// An entry for `domain`, compiled from `scenario` with `config`:
    /// strategies that speak may play on it.
    pub fn with_scenario(name: impl Into<String>, scenario: Scenario, domain: Domain, config: DomainConfig) -> Entry {
        Entry { scenario: Some((scenario, config)), ..Entry::new(name, domain) }
    }

    /// The domain and reference a job's strategies play on: the entry's,
    /// or the one after the statements they make at the start.
    fn for_players(
        &self,
        players: &[&Player],
        cancel: &Cancel,
    ) -> Result<Option<Arc<(Domain, Reference)>>, NegotiationError> {
        let speaks: Vec<Speak> = players.iter().map(|p| p.speak()).collect();
        if speaks.iter().all(|&s| s == Speak::Never) {
            return Ok(None);
        }
        let Some((scenario, config)) = &self.scenario else {
            return Err(NegotiationError::Usage(format!(
                "{}: a strategy that speaks needs the scenario, and this entry has only its domain",
                self.name
            )));
        };
        let said = super::speech::opening_statements_by(scenario, &self.domain, self.domain.parties(), &speaks);
        if said.is_empty() {
            return Ok(None);
        }
        let mut cache = self.spoken.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = cache.get(&said) {
            return Ok(Some(d.clone()));
        }
        let domain = Domain::new_with(&super::speech::spoken(scenario, &said), config, cancel, &|_, _| {})?;
        let reference = Reference::new(&domain, self.domain.parties());
        let d = Arc::new((domain, reference));
        cache.insert(said, d.clone());
        Ok(Some(d))
    }
}

/// A tournament definition.
pub struct Tournament {
    /// The scenarios.
    pub entries: Vec<Entry>,
    /// The strategies (registered, or custom negotiators).
    pub strategies: Vec<Player>,
    /// Repetitions of every assignment.
    pub reps: usize,
    /// The master seed.
    pub seed: u64,
}

/// One negotiation to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// Position in the fixed enumeration order.
    pub id: u64,
    /// Entry index.
    pub entry: usize,
    /// Strategy index per party, in the scenario's party order.
    pub strategies: Vec<usize>,
    /// Repetition, from 0.
    pub rep: usize,
}

/// The result of one negotiation.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The job's id.
    pub id: u64,
    /// Entry index.
    pub entry: usize,
    /// Strategy index per party.
    pub strategies: Vec<usize>,
    /// Repetition.
    pub rep: usize,
    /// Whether the parties agreed at the table.
    pub reached: bool,
    /// Whether that agreement stands (ratifiers and veto holders accept).
    pub agreement: bool,
    /// The agreed outcome's number in the outcome space, if any (and if it
    /// fits in 64 bits: a searched domain may have more outcomes).
    pub outcome: Option<u64>,
    /// Per party: discounted utility of the result.
    pub utilities: Vec<f64>,
    /// Sum of `utilities`.
    pub welfare: f64,
    /// Distance to the Pareto frontier (NaN when the frontier is unknown:
    /// a searched domain with hyper-rectangle utilities).
    pub pareto_distance: f64,
    /// Distance to the Nash point, when there is one.
    pub nash_distance: Option<f64>,
    /// Distance to the Kalai (egalitarian) point, when there is one.
    pub kalai_distance: Option<f64>,
    /// Distance to the Kalai–Smorodinsky point, when there is one.
    pub ks_distance: Option<f64>,
    /// Per party: NegMAS's advantage ([`super::evaluate`]).
    pub advantage: Vec<f64>,
    /// Rounds used.
    pub rounds: usize,
}

impl Tournament {
    /// Checks the definition.
    pub fn validate(&self) -> Result<(), NegotiationError> {
        if self.entries.is_empty() {
            return Err(NegotiationError::Usage("a tournament needs at least one scenario".into()));
        }
        if self.strategies.is_empty() {
            return Err(NegotiationError::Usage("a tournament needs at least one strategy".into()));
        }
        if self.reps == 0 {
            return Err(NegotiationError::Usage("--reps must be at least 1".into()));
        }
        let labels: Vec<String> = self.strategies.iter().map(|s| s.to_string()).collect();
        for (i, l) in labels.iter().enumerate() {
            if labels[..i].contains(l) {
                return Err(NegotiationError::Usage(format!("the strategies list {l} twice")));
            }
        }
        for e in &self.entries {
            for s in &self.strategies {
                s.check(&e.domain).map_err(|err| NegotiationError::Usage(format!("{}: {err}", e.name)))?;
            }
        }
        Ok(())
    }

    /// Every job, in id order.
    pub fn jobs(&self) -> Vec<Job> {
        let k = self.strategies.len();
        let mut jobs = Vec::new();
        for (entry, e) in self.entries.iter().enumerate() {
            let n = e.domain.parties().len();
            let assignments = k.pow(n as u32);
            for a in 0..assignments {
                // Party 0 is the most significant digit.
                let mut strategies = vec![0; n];
                let mut rest = a;
                for slot in (0..n).rev() {
                    strategies[slot] = rest % k;
                    rest /= k;
                }
                for rep in 0..self.reps {
                    jobs.push(Job { id: jobs.len() as u64, entry, strategies: strategies.clone(), rep });
                }
            }
        }
        jobs
    }

    /// Runs one job.
    pub fn run_job(&self, protocol: &dyn Protocol, job: &Job) -> Result<Record, NegotiationError> {
        self.run_job_with(protocol, job, &Cancel::new())
    }

    /// As [`Tournament::run_job`], ending with
    /// [`NegotiationError::Cancelled`] once `cancel` is set.
    pub fn run_job_with(
        &self,
        protocol: &dyn Protocol,
        job: &Job,
        cancel: &Cancel,
    ) -> Result<Record, NegotiationError> {
        let entry = &self.entries[job.entry];
        let players: Vec<&Player> = job.strategies.iter().map(|&s| &self.strategies[s]).collect();
        let parties = entry.domain.parties().to_vec();
        let seed = derive_seed(self.seed, job.id);
        let spoken = entry.for_players(&players, cancel)?;
        let (domain, reference) = match &spoken {
            Some(d) => (&d.0, &d.1),
            None => (&entry.domain, &entry.reference),
        };
        let seats = players.iter().map(|p| p.seat()).collect::<Result<Vec<_>, _>>()?;
        let session = super::run_seats(protocol, domain, &parties, seats, seed, false, cancel)?;
        let eval = evaluate(domain, reference, &session);
        Ok(Record {
            id: job.id,
            entry: job.entry,
            strategies: job.strategies.clone(),
            rep: job.rep,
            reached: session.agreement.is_some(),
            agreement: eval.stands,
            outcome: session.agreement.and_then(|k| domain.number(k)),
            welfare: eval.welfare,
            utilities: eval.discounted,
            pareto_distance: eval.pareto_distance,
            nash_distance: eval.nash_distance,
            kalai_distance: eval.kalai_distance,
            ks_distance: eval.ks_distance,
            advantage: eval.advantage,
            rounds: session.rounds,
        })
    }

    /// Runs `jobs` in parallel, calling `done` with each record as it
    /// finishes (from any thread, in any order).
    pub fn run(
        &self,
        protocol: &dyn Protocol,
        jobs: &[Job],
        done: &(dyn Fn(Record) + Sync),
    ) -> Result<(), NegotiationError> {
        self.run_with(protocol, jobs, done, &Cancel::new())
    }

    /// As [`Tournament::run`], ending with [`NegotiationError::Cancelled`]
    /// once `cancel` is set: running jobs stop within a round, no new job
    /// starts, and records already passed to `done` stay valid (a resumed
    /// tournament skips them).
    pub fn run_with(
        &self,
        protocol: &dyn Protocol,
        jobs: &[Job],
        done: &(dyn Fn(Record) + Sync),
        cancel: &Cancel,
    ) -> Result<(), NegotiationError> {
        self.validate()?;
        jobs.par_iter().with_min_len(8).try_for_each(|job| {
            let record = self.run_job_with(protocol, job, cancel)?;
            done(record);
            Ok(())
        })
    }
}
