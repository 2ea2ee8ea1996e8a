//! Simulated negotiations: protocols, strategies, tournaments.
//!
//! The vocabulary is NegMAS's: a *mechanism* (here [`Protocol`]) runs a
//! *session* among *negotiators*, each holding only its own *utility
//! function* ([`Preferences`]) over the *outcome space* ([`Domain`]).
//!
//! - [`domain`]: the outcomes that can be offered (constraints are hard)
//!   with every actor's utility, compiled once per scenario;
//! - [`Protocol`]: the trait; [`alternating`] is the stacked alternating
//!   offers protocol (bilateral or multilateral), [`mediated`] the
//!   single-text mediated protocol;
//! - [`Negotiator`]: the trait a protocol drives; [`strategy`] holds the
//!   strategies (time-dependent concession, hardliner, tit-for-tat, random,
//!   frequency and Bayesian opponent models) and [`acceptance`] the acceptance conditions,
//!   composed BOA-style (bidding, opponent model, acceptance) by
//!   [`strategy::Agent`]; [`registry`] parses `NAME[:key=value,…]` specs;
//! - [`evaluate`]: what an agreement is worth (utilities, welfare, distance
//!   to the Pareto frontier and the Nash point) and whether ratifiers and
//!   veto holders let it stand;
//! - [`tournament`]: round robins with derived seeds, resumable, identical
//!   on any number of threads.
//!
//! Documentation: `docs/negotiation.md`.
//!
//! ```
//! use detente::negotiation::{alternating::AlternatingOffers, domain::{Domain, DomainConfig}, registry, Deadline};
//!
//! let scenario = detente::load_str("toy.toml", r#"
//! format = 1
//! name = "toy"
//! [[issues]]
//! id = "price"
//! options = ["low", "mid", "high"]
//! [[actors]]
//! id = "buyer"
//! stances.price = { values = { low = 1.0, mid = 0.6, high = 0.0 }, salience = 1.0 }
//! [[actors]]
//! id = "seller"
//! stances.price = { values = { low = 0.0, mid = 0.6, high = 1.0 }, salience = 1.0 }
//! "#, detente::TextFormat::Toml).scenario.unwrap();
//! let domain = Domain::new(&scenario, &DomainConfig::default()).unwrap();
//! let agents = vec![registry::parse("linear").unwrap(), registry::parse("linear").unwrap()];
//! let protocol = AlternatingOffers { deadline: Deadline::rounds(10) };
//! let session = detente::negotiation::run(&protocol, &domain, &[0, 1], &agents, 7, true).unwrap();
//! // Both concede linearly and meet in the middle.
//! let agreed = session.agreement.unwrap();
//! assert_eq!(domain.preferences(0).utility(agreed), 0.6);
//! ```

pub mod acceptance;
pub mod alternating;
pub mod domain;
pub mod evaluate;
pub mod mediated;
pub mod registry;
pub mod search;
pub mod setup;
pub mod speech;
pub mod strategy;
pub mod tournament;

pub use domain::{Domain, DomainConfig, Preferences};

use std::fmt;

use crate::budget::{Cancel, Cancelled};

/// When the talks end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deadline {
    /// Rounds: in each, every party acts once.
    pub rounds: usize,
    /// Optionally also a wall-clock limit in seconds. Relative time is then
    /// the larger of the round-based and the clock-based one (as in NegMAS),
    /// so results depend on the machine: tournaments refuse it.
    pub seconds: Option<f64>,
}

impl Deadline {
    /// A deadline of `rounds` rounds and no clock.
    pub fn rounds(rounds: usize) -> Deadline {
        Deadline { rounds, seconds: None }
    }

    /// Relative time of round `round` (0-based): `(round + 1) / (rounds + 1)`,
    /// NegMAS's definition, so that time never reaches 1 before the last
    /// round and strategies' targets at the last round are well defined.
    pub fn relative_time(&self, round: usize, elapsed: f64) -> f64 {
        let by_round = (round + 1) as f64 / (self.rounds + 1) as f64;
        let by_clock = self.seconds.map_or(0.0, |s| elapsed / s);
        by_round.max(by_clock).min(1.0)
    }
}

/// What a negotiator may see about the domain: its structure (issues and
/// values of every outcome) and who sits at the table, never another
/// actor's utilities.
#[derive(Clone, Copy)]
pub struct Public<'a> {
    domain: &'a Domain,
    /// The parties (actor indices) in move order.
    parties: &'a [usize],
}

impl<'a> Public<'a> {
    /// The actor id of the party in slot `slot` (move order).
    pub fn party_id(&self, slot: usize) -> &'a str {
        &self.domain.actor_ids()[self.parties[slot]]
    }

    /// Number of outcomes.
    pub fn len(&self) -> usize {
        self.domain.len()
    }

    /// Whether there are no outcomes (never for a built domain).
    pub fn is_empty(&self) -> bool {
        self.domain.is_empty()
    }

    /// Number of issues.
    pub fn issue_count(&self) -> usize {
        self.domain.issue_count()
    }

    /// Number of values issue `i` can take.
    pub fn value_count(&self, issue: usize) -> usize {
        self.domain.value_count(issue)
    }

    /// Value indices of outcome `k`.
    pub fn digits(&self, k: usize) -> &'a [u32] {
        self.domain.digits(k)
    }

    /// The outcome with value indices `digits`.
    pub fn find(&self, digits: &[u32]) -> usize {
        self.domain.find(digits)
    }

    /// Whether the outcomes are searched rather than tabulated
    /// ([`Domain::is_searched`]).
    pub fn is_searched(&self) -> bool {
        self.domain.is_searched()
    }

    /// The id of issue `issue`.
    pub fn issue_id(&self, issue: usize) -> &'a str {
        self.domain.issue_id(issue)
    }

    /// Value `d` of issue `issue` in words.
    pub fn value_label(&self, issue: usize, d: u32) -> String {
        self.domain.value_label(issue, d)
    }

    /// Whether issue `issue`'s values lie on a line (numbers, ordered
    /// options).
    pub fn is_ordered(&self, issue: usize) -> bool {
        self.domain.is_ordered(issue)
    }

    /// Value `d` of issue `issue` on a number line (options: their index).
    pub fn value_position(&self, issue: usize, d: u32) -> f64 {
        self.domain.value_position(issue, d)
    }
}

/// One type another party may be, as a negotiator believes it: the
/// scenario's *uncertain types* seen through this negotiator's beliefs (its
/// own probabilities when its belief gives them, else the declared priors).
#[derive(Clone, Debug, PartialEq)]
pub struct TypeView {
    /// The type's name.
    pub name: String,
    /// The probability this negotiator gives it.
    pub probability: f64,
    /// The type's utility of every outcome of the domain, as believed.
    pub utilities: Vec<f64>,
    /// The type's reservation value, as believed.
    pub reservation: f64,
}

/// Everything a negotiator knows when the session starts.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The outcome space's structure.
    pub public: Public<'a>,
    /// Its own preferences.
    pub own: &'a Preferences,
    /// Its position in the move order.
    pub slot: usize,
    /// Number of parties at the table.
    pub parties: usize,
    /// Per other slot, what this negotiator's actor believes about that
    /// party's utilities (from the scenario's beliefs), if anything.
    pub beliefs: &'a [Option<&'a domain::Believed>],
    /// Per slot, the types this negotiator believes that party may be, when
    /// the scenario declares types for it (see [`Context::opponent_types`]).
    pub types: &'a [Option<&'a [TypeView]>],
    /// The deadline.
    pub deadline: Deadline,
    /// The 0-based round at whose start this party walks away (its own
    /// deadline, from the scenario), when it has one.
    pub walkaway: Option<usize>,
    /// Seed for the negotiator's own random choices.
    pub seed: u64,
}

impl<'a> Context<'a> {
    /// This party's own relative time at `turn`: the protocol's, or, when
    /// its own deadline comes first, the share of its own rounds gone,
    /// `(round + 1) / (D + 1)` for a party that can act in `D` rounds (the
    /// protocol's rule on its own deadline).
    pub fn own_time(&self, turn: Turn) -> f64 {
        match self.walkaway {
            Some(d) if d < self.deadline.rounds => turn.time.max((turn.round + 1) as f64 / (d + 1) as f64).min(1.0),
            _ => turn.time,
        }
    }

    /// How much later, in this party's own relative time, its next turn
    /// comes (by rounds; 0 at its last).
    pub fn own_step(&self, turn: Turn) -> f64 {
        let rounds = self.walkaway.map_or(self.deadline.rounds, |d| d.min(self.deadline.rounds));
        if turn.round + 1 >= rounds {
            return 0.0;
        }
        1.0 / (rounds + 1) as f64
    }

    /// Whether this party has walked away by round `round` (0-based).
    pub fn gone(&self, round: usize) -> bool {
        self.walkaway.is_some_and(|d| round >= d)
    }

    /// The types the party in slot `opponent` may be, with this
    /// negotiator's probabilities and beliefs, when the scenario declares
    /// `[[types]]` for it ([`domain::Domain::type_views`]); `None`
    /// otherwise.
    pub fn opponent_types(&self, opponent: usize) -> Option<&'a [TypeView]> {
        self.types.get(opponent).copied().flatten().filter(|t| !t.is_empty())
    }
}

/// Every party's [`Context`] in each period of a session: events in the
/// scenario change preferences from a known round on ([`Domain::at`]).
pub struct Contexts<'a> {
    /// `(first round, 0-based; the contexts, one per slot)`, by round; the
    /// first starts at round 0.
    periods: Vec<(usize, Vec<Context<'a>>)>,
}

impl<'a> Contexts<'a> {
    /// One period: the same contexts for the whole session.
    pub fn fixed(contexts: Vec<Context<'a>>) -> Contexts<'a> {
        Contexts { periods: vec![(0, contexts)] }
    }

    /// The contexts in force in 0-based round `round`.
    pub fn at(&self, round: usize) -> &[Context<'a>] {
        let k = self.periods.partition_point(|(first, _)| *first <= round).max(1) - 1;
        &self.periods[k].1
    }

    /// The first party (slot) whose deadline has come by round `round`.
    pub fn walking_away(&self, round: usize) -> Option<usize> {
        self.at(round).iter().position(|c| c.gone(round))
    }
}

/// The moment a negotiator acts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Turn {
    /// 0-based round.
    pub round: usize,
    /// Relative time in `[0, 1]`.
    pub time: f64,
}

/// A negotiator's answer to an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Response {
    /// Accept the offer on the table.
    Accept,
    /// Reject it; the negotiator will be asked for a counter-offer.
    Reject,
    /// Walk away: the talks end without agreement.
    End,
}

/// A participant in a session, driven by a [`Protocol`].
///
/// Negotiators are built fresh for every session ([`registry::Spec::build`],
/// or made by the caller and seated with [`Seat::Custom`]) and may keep any
/// state between calls. They learn about the others only
/// through the offers they see.
pub trait Negotiator: Send {
    /// Called once before the first turn.
    fn start(&mut self, ctx: &Context<'_>);

    /// A new offer (an outcome number of the domain); `None` walks away.
    fn propose(&mut self, ctx: &Context<'_>, turn: Turn) -> Option<usize>;

    /// The answer to `offer`, made by the party in slot `from`.
    fn respond(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, from: usize) -> Response;

    /// Sees an offer made by another party (every offer, including the
    /// ones it is not asked to answer first).
    fn observe(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, from: usize) {
        let _ = (ctx, turn, offer, from);
    }

    /// Single-text protocol: whether to move from the `current` text to the
    /// mediator's `proposal`.
    fn vote(&mut self, ctx: &Context<'_>, turn: Turn, current: usize, proposal: usize) -> bool;

    /// Sees another party's answer to an offer (alternating offers: every
    /// accept and reject, including answers to offers this negotiator made).
    fn replied(&mut self, ctx: &Context<'_>, turn: Turn, reply: &Reply) {
        let _ = (ctx, turn, reply);
    }

    /// For negotiators that keep a posterior over other parties' types: per
    /// other slot, each hypothesis's name and probability. The protocol
    /// records it after every round of a traced session
    /// ([`Session::posteriors`]). `None` (the default): nothing to record.
    fn posterior(&self) -> Option<PosteriorView<'_>> {
        None
    }
}

/// A posterior as a negotiator shows it: per other slot, each hypothesis's
/// name and probability.
pub type PosteriorView<'a> = Vec<(usize, Vec<(&'a str, f64)>)>;

/// One party's answer to an offer, as the others see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The outcome answered.
    pub offer: usize,
    /// The slot that offered it.
    pub proposer: usize,
    /// The slot answering.
    pub from: usize,
    /// Accepted (`true`) or rejected.
    pub accepted: bool,
}

/// How many hypotheses a recorded posterior keeps: the most probable ones,
/// then one `other` entry with the rest of the probability.
pub const POSTERIOR_TOP: usize = 8;

/// A negotiator's posterior about one other party after a round.
#[derive(Clone, Debug, PartialEq)]
pub struct PosteriorRecord {
    /// 0-based round.
    pub round: usize,
    /// Actor index of the negotiator holding it.
    pub holder: usize,
    /// Actor index of the party it is about.
    pub about: usize,
    /// The [`POSTERIOR_TOP`] most probable hypotheses (ties: the earlier
    /// hypothesis), most probable first, then `other` with the remaining
    /// probability when there are more.
    pub hypotheses: Vec<(String, f64)>,
}

/// Appends every negotiator's posterior after round `round`.
pub(crate) fn record_posteriors(
    negotiators: &[Box<dyn Negotiator>],
    parties: &[usize],
    round: usize,
    out: &mut Vec<PosteriorRecord>,
) {
    for (slot, n) in negotiators.iter().enumerate() {
        for (about, dist) in n.posterior().unwrap_or_default() {
            let mut order: Vec<usize> = (0..dist.len()).collect();
            order.sort_by(|&a, &b| dist[b].1.total_cmp(&dist[a].1).then(a.cmp(&b)));
            let mut hypotheses: Vec<(String, f64)> =
                order.iter().take(POSTERIOR_TOP).map(|&h| (dist[h].0.to_string(), dist[h].1)).collect();
            if dist.len() > POSTERIOR_TOP {
                let rest: f64 = order[POSTERIOR_TOP..].iter().map(|&h| dist[h].1).sum();
                hypotheses.push(("other".to_string(), rest));
            }
            out.push(PosteriorRecord { round, holder: parties[slot], about: parties[about], hypotheses });
        }
    }
}

/// What happened at one step of a session.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// 0-based round.
    pub round: usize,
    /// Relative time.
    pub time: f64,
    /// Actor index of the one acting (`None`: the mediator).
    pub actor: Option<usize>,
    /// What it did.
    pub action: Action,
}

/// One step of a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Put an outcome on the table.
    Offer(usize),
    /// Accept the outcome on the table.
    Accept(usize),
    /// Reject the outcome on the table.
    Reject(usize),
    /// Walk away.
    End,
    /// Mediator: propose a new text.
    Propose(usize),
    /// A party's vote on the mediator's proposal.
    Vote {
        /// The proposal voted on.
        proposal: usize,
        /// Yes or no.
        yes: bool,
    },
    /// Mediator: the text after a round.
    Text(usize),
}

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Every party accepted the outcome.
    Agreement,
    /// The deadline passed without agreement.
    Deadline,
    /// A party (actor index) walked away.
    Walkout(usize),
}

impl Ending {
    /// `agreement`, `deadline` or `walkout`.
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::Agreement => "agreement",
            Ending::Deadline => "deadline",
            Ending::Walkout(_) => "walkout",
        }
    }
}

/// One run of a protocol.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// Actor indices of the parties, in move order.
    pub parties: Vec<usize>,
    /// The agreed outcome, if any.
    pub agreement: Option<usize>,
    /// How it ended.
    pub ending: Ending,
    /// Rounds started (the round of the agreement is `rounds - 1`).
    pub rounds: usize,
    /// Relative time when it ended.
    pub time: f64,
    /// Every offer and response, when asked for.
    pub trace: Vec<Event>,
    /// With the trace, the posteriors of the negotiators that keep one
    /// ([`Negotiator::posterior`]) after every round, by round; empty
    /// otherwise.
    pub posteriors: Vec<PosteriorRecord>,
}

/// A negotiation protocol (NegMAS: mechanism).
pub trait Protocol: Sync {
    /// A short name (`alternating`, `mediated`).
    fn name(&self) -> &'static str;

    /// The deadline.
    fn deadline(&self) -> Deadline;

    /// Runs one session among `negotiators` (one per entry of `parties`,
    /// actor indices in move order, already started). `seed` drives the
    /// protocol's own randomness (the mediator's proposals). With `trace`,
    /// every step is recorded.
    fn run(
        &self,
        domain: &Domain,
        parties: &[usize],
        contexts: &Contexts<'_>,
        negotiators: &mut [Box<dyn Negotiator>],
        seed: u64,
        trace: bool,
    ) -> Session;

    /// As [`Protocol::run`], ending with [`Cancelled`] once `cancel` is set.
    /// This crate's protocols check every round; the default, for protocols
    /// written elsewhere, checks only before and after the session.
    #[allow(clippy::too_many_arguments)]
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
        cancel.check()?;
        let session = self.run(domain, parties, contexts, negotiators, seed, trace);
        cancel.check()?;
        Ok(session)
    }
}

/// The session of a run whose flag nobody else holds ([`Protocol::run`]
/// over [`Protocol::run_cancellable`]).
fn never_cancelled(session: Result<Session, Cancelled>) -> Session {
    session.unwrap_or_else(|Cancelled| unreachable!("a flag nobody else holds is never set"))
}

/// Why a session could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum NegotiationError {
    /// The scenario cannot be negotiated (too few parties, no feasible
    /// outcome, …).
    Scenario(String),
    /// The outcome space is larger than the limit.
    TooLarge {
        /// Outcomes in the space, exact, in decimal digits (it may exceed
        /// `u128`).
        outcomes: String,
        /// The limit.
        limit: u128,
    },
    /// A strategy specification is invalid.
    Spec(String),
    /// The arguments do not fit (wrong number of strategies, …).
    Usage(String),
    /// The run's [`Cancel`] flag was set.
    Cancelled,
}

impl fmt::Display for NegotiationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NegotiationError::Scenario(s) | NegotiationError::Spec(s) | NegotiationError::Usage(s) => f.write_str(s),
            NegotiationError::TooLarge { outcomes, limit } => write!(
                f,
                "the outcome space has {} outcomes, more than the limit of {limit} for negotiations; coarsen continuous issues (--resolution), narrow integer ranges, or raise the limit (--max-outcomes, at most {})",
                crate::analysis::space::count_text(outcomes),
                u32::MAX
            ),
            NegotiationError::Cancelled => write!(f, "the negotiation was {Cancelled}"),
        }
    }
}

impl std::error::Error for NegotiationError {}

/// Derives a sub-seed: stable, and different for different `(seed, k)`.
pub fn derive_seed(seed: u64, k: u64) -> u64 {
    crate::forecast::montecarlo::Rng::for_run(seed, k).next_u64()
}

/// Who plays one seat of a session: a registered strategy, built fresh
/// for the session, or a negotiator made elsewhere (a Rust type of the
/// caller's, a Python class through `detente-py`), handed over ready and
/// not yet started.
pub enum Seat {
    /// A registered strategy ([`registry::Spec::build`]).
    Spec(registry::Spec),
    /// A ready-made negotiator; [`run_seats`] starts it.
    Custom(Box<dyn Negotiator>),
}

/// Runs one session of `protocol` on `domain` among `parties` (actor
/// indices in move order) with strategies `specs` (one per party). Each
/// negotiator's random stream is derived from `seed` and its slot.
pub fn run(
    protocol: &dyn Protocol,
    domain: &Domain,
    parties: &[usize],
    specs: &[registry::Spec],
    seed: u64,
    trace: bool,
) -> Result<Session, NegotiationError> {
    run_with(protocol, domain, parties, specs, seed, trace, &Cancel::new())
}

/// As [`run`], ending with [`NegotiationError::Cancelled`] once `cancel` is
/// set (checked every round).
pub fn run_with(
    protocol: &dyn Protocol,
    domain: &Domain,
    parties: &[usize],
    specs: &[registry::Spec],
    seed: u64,
    trace: bool,
    cancel: &Cancel,
) -> Result<Session, NegotiationError> {
    run_seats(protocol, domain, parties, specs.iter().cloned().map(Seat::Spec).collect(), seed, trace, cancel)
}

/// As [`run_with`], with one [`Seat`] per party: registered strategies and
/// ready-made negotiators at the same table. Every negotiator is started
/// with its [`Context`] (its slot's seed derived from `seed`, as for
/// strategies), so a custom negotiator that draws its randomness from
/// `Context::seed` gives the same session for the same seed.
pub fn run_seats(
    protocol: &dyn Protocol,
    domain: &Domain,
    parties: &[usize],
    seats: Vec<Seat>,
    seed: u64,
    trace: bool,
    cancel: &Cancel,
) -> Result<Session, NegotiationError> {
    if parties.len() != seats.len() {
        return Err(NegotiationError::Usage(format!(
            "{} parties but {} strategies: give one strategy per party",
            parties.len(),
            seats.len()
        )));
    }
    if parties.len() < 2 {
        return Err(NegotiationError::Usage("a negotiation needs at least two parties".into()));
    }
    for seat in &seats {
        if let Seat::Spec(spec) = seat {
            spec.check(domain)?;
        }
    }
    // One domain per period: before the first event, then after each event
    // that changes the scenario.
    let mut periods: Vec<(usize, &Domain)> = vec![(0, domain)];
    for (first, _) in domain.timeline().events() {
        let d = domain.at(first);
        if !std::ptr::eq(d, periods[periods.len() - 1].1) {
            periods.push((first, d));
        }
    }
    // Each party's view of the others' uncertain types, per period.
    let types: Vec<Vec<Vec<Option<&[TypeView]>>>> = periods
        .iter()
        .map(|(_, d)| {
            parties.iter().map(|&me| parties.iter().map(|&other| d.type_views(me, other)).collect()).collect()
        })
        .collect();
    let beliefs: Vec<Vec<Vec<Option<&domain::Believed>>>> = periods
        .iter()
        .map(|(_, d)| parties.iter().map(|&me| parties.iter().map(|&other| d.belief(me, other)).collect()).collect())
        .collect();
    let contexts = Contexts {
        periods: periods
            .iter()
            .zip(&beliefs)
            .zip(&types)
            .map(|((&(first, d), beliefs), types)| {
                let contexts = parties
                    .iter()
                    .enumerate()
                    .map(|(slot, &actor)| Context {
                        public: Public { domain: d, parties },
                        own: d.preferences(actor),
                        slot,
                        parties: parties.len(),
                        beliefs: &beliefs[slot],
                        types: &types[slot],
                        deadline: protocol.deadline(),
                        walkaway: domain.timeline().walkaway(actor),
                        seed: derive_seed(seed, slot as u64 + 1),
                    })
                    .collect();
                (first, contexts)
            })
            .collect(),
    };
    let mut negotiators: Vec<Box<dyn Negotiator>> = seats
        .into_iter()
        .map(|seat| match seat {
            Seat::Spec(spec) => spec.build(),
            Seat::Custom(n) => n,
        })
        .collect();
    for (n, ctx) in negotiators.iter_mut().zip(contexts.at(0)) {
        n.start(ctx);
    }
    protocol
        .run_cancellable(domain, parties, &contexts, &mut negotiators, derive_seed(seed, 0), trace, cancel)
        .map_err(|Cancelled| NegotiationError::Cancelled)
}
