//! The negotiation domain: the outcomes parties may offer, with every
//! actor's utility for each, compiled once from a [`Scenario`] and shared
//! read-only by every session and tournament run on it.
//!
//! Constraints are rules their owners insist on. A party never offers or
//! accepts an outcome that breaks a constraint it believes holds: its own,
//! and everyone else's except those the scenario says it believes will be
//! dropped (so a mistaken belief lets it offer what the owner will refuse).
//! An agreement that breaks any constraint does not stand: the owner
//! rejects it, as in the deal-space analysis, where constraints are hard.
//! Outcomes are numbered `0..len()` in the enumeration order of the
//! [`OutcomeSpace`] (last issue fastest), as in `analyze`.
//!
//! A space larger than [`DomainConfig::max_outcomes`] is refused, or, with
//! [`DomainConfig::search`], *searched* ([`super::search`]): nothing is
//! tabulated, outcomes get ids as they are first named, and a party's
//! best, worst and "lowest outcome at or above `u`" are searched for. What
//! needs only the utility of an outcome (acceptance, ratification, the
//! single-text protocol) works as on a tabulated domain; bidding by a
//! target utility (time-dependent concession, tit-for-tat) uses the
//! search; random bids are drawn by rejection; what needs a list of
//! outcomes near a utility (the frequency model, NegMAS's `snap`) or every
//! outcome (constraints, beliefs) is refused with an error saying so.

use crate::analysis::model::{Model, Perceived};
use crate::analysis::pareto::{self, UtilityPoint};
use crate::analysis::solutions;
use crate::analysis::space::{self, OutcomeSpace, Resolution};
use crate::budget::Cancel;
use std::sync::Arc;

use crate::scenario::{Scenario, Value};

use super::search::{Book, Inverse};
use super::NegotiationError;

/// Outcomes tabulated between two looks at the cancellation flag and two
/// progress reports.
const PROGRESS_STEP: usize = 1 << 16;

/// Options for compiling a domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DomainConfig {
    /// Grid for continuous issues (as in the analysis).
    pub resolution: Resolution,
    /// Tabulate at most this many outcomes: every outcome's utilities are
    /// held in memory.
    pub max_outcomes: u64,
    /// Search larger spaces instead of refusing them (see the module docs).
    pub search: bool,
}

impl Default for DomainConfig {
    fn default() -> DomainConfig {
        DomainConfig { resolution: Resolution::default(), max_outcomes: 5_000_000, search: false }
    }
}

/// What one actor knows of its own preferences: its utility for every
/// outcome, which outcomes it could ever agree to, its reservation value
/// and discount factor. Strategies get this and never another actor's
/// utilities.
#[derive(Clone, Debug)]
pub struct Preferences {
    /// Utility of every outcome of the domain.
    pub utilities: Vec<f64>,
    /// The outcomes it may offer or accept (those that break no constraint
    /// it believes holds), sorted by utility, worst first; ties by outcome
    /// number. Empty for actors who are not parties.
    pub order: Vec<u32>,
    /// Per outcome, whether it breaks a constraint the actor believes
    /// holds (empty for actors who are not parties).
    pub forbidden: Vec<bool>,
    /// Utility of no agreement.
    pub reservation: f64,
    /// GENIUS discount factor `d` in `(0, 1]`: a utility `u` reached at
    /// relative time `t` is worth `u·d^t`.
    pub discount: f64,
    /// On a searched domain, where utilities and outcomes come from
    /// (`utilities`, `order` and `forbidden` are then empty).
    searched: Option<Searched>,
}

/// A party's view of a searched domain.
#[derive(Clone, Debug)]
struct Searched {
    book: Arc<Book>,
    actor: usize,
    /// `None` for actors who are not parties (they never bid).
    inverse: Option<Arc<Inverse>>,
    best: usize,
    worst: usize,
}

impl Preferences {
    fn new(utilities: Vec<f64>, forbidden: Vec<bool>, reservation: f64, discount: f64) -> Preferences {
        let mut order: Vec<u32> = (0..forbidden.len() as u32).filter(|&k| !forbidden[k as usize]).collect();
        order.sort_by(|&a, &b| utilities[a as usize].total_cmp(&utilities[b as usize]).then(a.cmp(&b)));
        Preferences { utilities, order, forbidden, reservation, discount, searched: None }
    }

    /// Whether utilities come from a search rather than a table: `order`
    /// is then empty, and only the methods apply.
    pub fn is_searched(&self) -> bool {
        self.searched.is_some()
    }

    /// Whether the actor may offer or accept outcome `k`.
    pub fn allows(&self, k: usize) -> bool {
        !self.forbidden.get(k).copied().unwrap_or(false)
    }

    /// Utility of outcome `k`.
    pub fn utility(&self, k: usize) -> f64 {
        match &self.searched {
            Some(s) => s.book.utility(k, s.actor),
            None => self.utilities[k],
        }
    }

    /// The highest utility of any outcome it allows (on a searched domain
    /// with hyper-rectangle utilities, the highest found).
    pub fn max(&self) -> f64 {
        match &self.searched {
            Some(s) => self.utility(s.best),
            None => self.order.last().map_or(0.0, |&k| self.utilities[k as usize]),
        }
    }

    /// The lowest utility of any outcome it allows (likewise).
    pub fn min(&self) -> f64 {
        match &self.searched {
            Some(s) => self.utility(s.worst),
            None => self.order.first().map_or(0.0, |&k| self.utilities[k as usize]),
        }
    }

    /// Position in [`order`](Preferences::order) of the first outcome with
    /// utility at least `target`.
    pub fn rank_at_least(&self, target: f64) -> usize {
        self.order.partition_point(|&k| self.utilities[k as usize] < target)
    }

    /// The allowed outcome with the lowest utility at or above `target`
    /// (ties: the lowest outcome number); the best when none reaches it.
    pub fn worst_at_least(&self, target: f64) -> usize {
        if let Some(s) = &self.searched {
            return match &s.inverse {
                Some(inv) if target <= self.max() => {
                    s.book.id(&inv.at_least(target, &|d: &[u32]| s.book.evaluate(d, s.actor)))
                }
                _ => s.best,
            };
        }
        let rank = self.rank_at_least(target).min(self.order.len() - 1);
        self.order[rank] as usize
    }

    /// The best outcome (ties: the lowest outcome number).
    pub fn best(&self) -> usize {
        match &self.searched {
            Some(s) => s.best,
            None => self.worst_at_least(self.max()),
        }
    }

    /// `u·d^t`: what utility `u` is worth at relative time `t`.
    pub fn discounted(&self, u: f64, t: f64) -> f64 {
        if self.discount >= 1.0 {
            u
        } else {
            u * self.discount.powf(t)
        }
    }
}

/// An actor who would block an agreement the parties reached.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejection {
    /// Actor index.
    pub actor: usize,
    /// Its utility for the agreement.
    pub utility: f64,
    /// Its reservation value.
    pub reservation: f64,
    /// Why its consent is needed.
    pub role: RejectionRole,
}

/// Why an actor's consent is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectionRole {
    /// It ratifies a party's decision (directly or through another ratifier).
    Ratifier,
    /// It holds a veto over an issue the agreement changes.
    Veto,
    /// The agreement breaks its constraint (by index).
    Constraint(usize),
}

/// The compiled domain. See the module docs.
#[derive(Clone, Debug)]
pub struct Domain {
    space: OutcomeSpace,
    violations: Vec<u64>,
    /// Per outcome, whether it duplicates another but for a moot issue
    /// (no party offers or accepts it; see [`crate::scenario::Condition`]).
    moot: Vec<bool>,
    digits: Vec<u32>,
    parties: Vec<usize>,
    preferences: Vec<Preferences>,
    believed: Vec<Believed>,
    /// Per (holder, about) pair of parties where `about` has uncertain
    /// types: the types as the holder sees them ([`Domain::type_views`]).
    types: Vec<(usize, usize, Vec<super::TypeView>)>,
    model: Model,
    actor_ids: Vec<String>,
    owners: Vec<usize>,
    /// The outcomes named so far, when the domain is searched.
    book: Option<Arc<Book>>,
    /// The number of outcomes, saturating.
    count: u128,
    /// The scenario's calendar as talks see it (see [`Domain::at`]).
    timeline: Timeline,
    /// Issue ids, option names and which issues are ordered: public
    /// structure, for opponent models and their hypotheses' names.
    labels: Arc<Labels>,
}

/// The names of the issues and their options, and whether each issue's
/// values lie on a line (numbers, ordered options).
#[derive(Clone, Debug, Default)]
struct Labels {
    ids: Vec<String>,
    options: Vec<Option<Vec<String>>>,
    ordered: Vec<bool>,
}

impl Labels {
    fn new(scenario: &Scenario) -> Labels {
        use crate::scenario::Domain as IssueDomain;
        let mut labels = Labels::default();
        for issue in &scenario.issues {
            labels.ids.push(issue.id.clone());
            match &issue.domain {
                IssueDomain::Discrete { options, ordered } => {
                    labels.options.push(Some(options.clone()));
                    labels.ordered.push(*ordered);
                }
                _ => {
                    labels.options.push(None);
                    labels.ordered.push(true);
                }
            }
        }
        labels
    }
}

/// What the scenario's events and deadlines do to simulated talks: from
/// the round an event is in force, the domain of the scenario after it
/// (same outcomes, same numbering); a party with a deadline walks away at
/// its event's round.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// `(first round; event id; the domain from then on)`, in
    /// order of rounds. Events that change nothing still mark the trace.
    periods: Vec<(usize, String, Option<Arc<Domain>>)>,
    /// Per actor, the 0-based round at whose start it walks away.
    walkaway: Vec<Option<usize>>,
    /// Events talks cannot place (no round, and no calendar for a date).
    unplaced: Vec<String>,
}

impl Timeline {
    /// The events talks reach, as `(first round, 0-based; event id)`.
    pub fn events(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.periods.iter().map(|(r, id, _)| (*r, id.as_str()))
    }

    /// Events without a round that talks therefore never reach.
    pub fn unplaced(&self) -> &[String] {
        &self.unplaced
    }

    /// The 0-based round at whose start `actor` walks away, if it has a
    /// deadline talks can place.
    pub fn walkaway(&self, actor: usize) -> Option<usize> {
        self.walkaway.get(actor).copied().flatten()
    }
}

/// An actor's mistaken picture of another, from the scenario's beliefs.
#[derive(Clone, Debug)]
pub struct Believed {
    /// Who believes.
    pub holder: usize,
    /// About whom.
    pub about: usize,
    /// The believed utility of every outcome.
    pub utilities: Vec<f64>,
    /// The believed reservation value.
    pub reservation: f64,
}

impl Domain {
    /// Enumerates the outcomes of `scenario` and computes every actor's
    /// utility for each, and which constraints each breaks.
    pub fn new(scenario: &Scenario, config: &DomainConfig) -> Result<Domain, NegotiationError> {
        Domain::new_with(scenario, config, &Cancel::new(), &|_, _| {})
    }

    /// As [`Domain::new`], calling `progress(done, total)` as outcomes are
    /// tabulated (a few million take seconds) and ending with
    /// [`NegotiationError::Cancelled`] once `cancel` is set.
    pub fn new_with(
        scenario: &Scenario,
        config: &DomainConfig,
        cancel: &Cancel,
        progress: &dyn Fn(u64, u64),
    ) -> Result<Domain, NegotiationError> {
        let parties = scenario.parties();
        if parties.len() < 2 {
            return Err(NegotiationError::Scenario(format!(
                "a negotiation needs at least two actors with role \"party\"; this scenario has {}",
                parties.len()
            )));
        }
        if scenario.actors.len() > 64 || scenario.constraints.len() > 64 {
            return Err(NegotiationError::Scenario(format!(
                "{} actors and {} constraints: negotiations handle at most 64 of each",
                scenario.actors.len(),
                scenario.constraints.len()
            )));
        }
        // Sizes first: nothing is allocated for a space over the limit.
        let sizes = crate::analysis::space::issue_sizes(scenario, config.resolution);
        let count = sizes.iter().fold(1u128, |n, &k| n.saturating_mul(k));
        let limit = (config.max_outcomes as u128).min(u32::MAX as u128);
        let too_large = || NegotiationError::TooLarge { outcomes: crate::analysis::space::exact_count(&sizes), limit };
        if count > limit {
            if !config.search || sizes.iter().any(|&n| n > space::MAX_ISSUE_VALUES) {
                return Err(too_large());
            }
            return Domain::searched(scenario, config, parties, count);
        }
        let space = OutcomeSpace::new(scenario, config.resolution);
        let model = Model::new(scenario, space.clone(), vec![1.0; parties.len()]);
        let n_issues = space.values.len();
        let radices: Vec<usize> = space.values.iter().map(Vec::len).collect();
        let n_actors = scenario.actors.len();
        let count = count as usize;
        let mut violations = Vec::with_capacity(count);
        let mut moot = Vec::with_capacity(count);
        let mut digits_flat = Vec::with_capacity(count * n_issues);
        let mut utilities: Vec<Vec<f64>> = vec![Vec::with_capacity(count); n_actors];
        let views: Vec<(usize, &Perceived)> =
            model.views.iter().flat_map(|v| v.actors.iter().map(move |p| (v.holder, p))).collect();
        let mut believed_utils: Vec<Vec<f64>> = vec![Vec::with_capacity(count); views.len()];
        let mut digits = vec![0usize; n_issues];
        let mut values = vec![Value::Option(0); n_issues];
        for k in 0..count {
            if k % PROGRESS_STEP == 0 {
                cancel.check().map_err(|_| NegotiationError::Cancelled)?;
                progress(k as u64, count as u64);
            }
            for i in 0..n_issues {
                values[i] = space.values[i][digits[i]];
            }
            let mut mask = 0u64;
            for (c, rule) in model.constraints.iter().enumerate() {
                if !rule.holds(&values) {
                    mask |= 1 << c;
                }
            }
            violations.push(mask);
            moot.push(model.is_moot(&digits, &values));
            digits_flat.extend(digits.iter().map(|&d| d as u32));
            for (a, e) in model.evaluators.iter().enumerate() {
                utilities[a].push(model.settled(a, e.eval(&digits, &values), &digits));
            }
            for (k, (_, p)) in views.iter().enumerate() {
                believed_utils[k].push(model.perceived_utility(p, &digits, &values));
            }
            space::next(&mut digits, &radices);
        }
        progress(count as u64, count as u64);
        let all_constraints =
            if scenario.constraints.is_empty() { 0 } else { u64::MAX >> (64 - scenario.constraints.len()) };
        let mut preferences = Vec::with_capacity(n_actors);
        for (a, u) in utilities.into_iter().enumerate() {
            let forbidden = if model.party_mask & (1 << a) != 0 {
                let dropped = model.views.iter().find(|v| v.holder == a).map_or(0, |v| v.dropped);
                let respected = all_constraints & !dropped;
                violations.iter().zip(&moot).map(|(&m, &dup)| dup || m & respected != 0).collect()
            } else {
                Vec::new()
            };
            let prefs = Preferences::new(u, forbidden, model.reservations[a], scenario.actors[a].discount);
            if model.party_mask & (1 << a) != 0 && prefs.order.is_empty() {
                return Err(NegotiationError::Scenario(format!(
                    "every outcome breaks a constraint {} insists on or expects others to insist on, so it has nothing to offer; see `detente analyze` for which constraints conflict",
                    scenario.actors[a].id
                )));
            }
            preferences.push(prefs);
        }
        let believed = views
            .iter()
            .zip(believed_utils)
            .map(|(&(holder, p), utilities)| Believed { holder, about: p.about, utilities, reservation: p.reservation })
            .collect();
        let types = type_views(scenario, &space, &parties, cancel)?;
        let mut domain = Domain {
            space,
            violations,
            moot,
            digits: digits_flat,
            parties,
            preferences,
            believed,
            types,
            model,
            actor_ids: scenario.actors.iter().map(|a| a.id.clone()).collect(),
            owners: scenario.constraints.iter().map(|c| c.owner).collect(),
            book: None,
            count: count as u128,
            timeline: Timeline::default(),
            labels: Arc::new(Labels::new(scenario)),
        };
        domain.timeline = Timeline::new(scenario, config, cancel)?;
        Ok(domain)
    }

    /// A domain too large to tabulate, searched (see the module docs).
    fn searched(
        scenario: &Scenario,
        config: &DomainConfig,
        parties: Vec<usize>,
        count: u128,
    ) -> Result<Domain, NegotiationError> {
        let refuse = |what: &str| {
            Err(NegotiationError::Scenario(format!(
                "the outcome space has {} outcomes, more than --max-outcomes tabulates ({}), and {what} needs every outcome listed; raise --max-outcomes, coarsen or narrow issues",
                space::count_text(&space::exact_count(&space::issue_sizes(scenario, config.resolution))),
                config.max_outcomes
            )))
        };
        if !scenario.constraints.is_empty() {
            return refuse("a constraint");
        }
        if !scenario.beliefs.is_empty() {
            return refuse("a belief");
        }
        if scenario.has_conditions() {
            return refuse("an issue that applies only under a condition");
        }
        if parties.iter().any(|&p| !scenario.actors[p].interactions.is_empty()) {
            return refuse("a party with interaction terms or under pressure");
        }
        if scenario.events.iter().any(|e| !e.changes.is_empty() || !e.statements.is_empty()) {
            return refuse("an event that changes the scenario or makes a statement");
        }
        let space = OutcomeSpace::new(scenario, config.resolution);
        let model = Model::new(scenario, space.clone(), vec![1.0; parties.len()]);
        let book = Arc::new(Book::new(model.clone()));
        let preferences = (0..scenario.actors.len())
            .map(|a| {
                let party = parties.contains(&a);
                let inverse = party.then(|| Arc::new(Inverse::new(&model, a, super::derive_seed(0x5ea2c4, a as u64))));
                let (best, worst) = match &inverse {
                    Some(inv) => (book.id(&inv.best()), book.id(&inv.worst())),
                    None => (0, 0),
                };
                Preferences {
                    utilities: Vec::new(),
                    order: Vec::new(),
                    forbidden: Vec::new(),
                    reservation: model.reservations[a],
                    discount: scenario.actors[a].discount,
                    searched: Some(Searched { book: book.clone(), actor: a, inverse, best, worst }),
                }
            })
            .collect();
        Ok(Domain {
            space,
            violations: Vec::new(),
            moot: Vec::new(),
            digits: Vec::new(),
            parties,
            preferences,
            believed: Vec::new(),
            types: Vec::new(),
            model,
            actor_ids: scenario.actors.iter().map(|a| a.id.clone()).collect(),
            owners: Vec::new(),
            book: Some(book),
            count,
            timeline: Timeline::new(scenario, config, &Cancel::new())?,
            labels: Arc::new(Labels::new(scenario)),
        })
    }

    /// Whether the outcomes are searched rather than tabulated (a space
    /// over [`DomainConfig::max_outcomes`] with [`DomainConfig::search`]).
    pub fn is_searched(&self) -> bool {
        self.book.is_some()
    }

    /// Number of outcomes (saturating at `usize::MAX` on a searched domain).
    pub fn len(&self) -> usize {
        self.count.min(usize::MAX as u128) as usize
    }

    /// Whether the domain has no outcome (never true for a built domain).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The constraints (by index, as a bit mask) outcome `k` breaks (none
    /// on a searched domain, which has no constraints).
    pub fn violations(&self, k: usize) -> u64 {
        self.violations.get(k).copied().unwrap_or(0)
    }

    /// The outcome's number in the outcome space (last issue fastest), when
    /// it fits in 64 bits; ids of a tabulated domain are these numbers.
    pub fn number(&self, k: usize) -> Option<u64> {
        if self.book.is_none() {
            return Some(k as u64);
        }
        let mut n: u64 = 0;
        for (i, &d) in self.digits(k).iter().enumerate() {
            n = n.checked_mul(self.space.values[i].len() as u64)?.checked_add(u64::from(d))?;
        }
        Some(n)
    }

    /// The number of issues.
    pub fn issue_count(&self) -> usize {
        self.space.values.len()
    }

    /// How many values issue `i` has on the grid.
    pub fn value_count(&self, issue: usize) -> usize {
        self.space.values[issue].len()
    }

    /// Value indices (one per issue) of outcome `k`: public knowledge, what
    /// opponent models learn from.
    pub fn digits(&self, k: usize) -> &[u32] {
        if let Some(book) = &self.book {
            return book.digits(k);
        }
        let n = self.issue_count();
        &self.digits[k * n..(k + 1) * n]
    }

    /// The values of outcome `k`, one per issue.
    pub fn outcome(&self, k: usize) -> Vec<Value> {
        self.digits(k).iter().enumerate().map(|(i, &d)| self.space.values[i][d as usize]).collect()
    }

    /// The outcome with value indices `digits` (on a searched domain, named
    /// now if it was not before).
    pub fn find(&self, digits: &[u32]) -> usize {
        if let Some(book) = &self.book {
            return book.id(digits);
        }
        let mut number = 0usize;
        for (i, &d) in digits.iter().enumerate() {
            number = number * self.space.values[i].len() + d as usize;
        }
        number
    }

    /// The outcome space the domain was drawn from.
    pub fn space(&self) -> &OutcomeSpace {
        &self.space
    }

    /// Actor indices of the parties, in scenario order.
    pub fn parties(&self) -> &[usize] {
        &self.parties
    }

    /// The id of issue `issue`.
    pub fn issue_id(&self, issue: usize) -> &str {
        &self.labels.ids[issue]
    }

    /// Value `d` of issue `issue` in words: the option's name, or the number.
    pub fn value_label(&self, issue: usize, d: u32) -> String {
        match &self.labels.options[issue] {
            Some(options) => match self.space.values[issue][d as usize] {
                Value::Option(k) => options[k].clone(),
                v => v.as_f64().to_string(),
            },
            None => match self.space.values[issue][d as usize] {
                Value::Int(i) => i.to_string(),
                v => ((v.as_f64() * 1e6).round() / 1e6).to_string(),
            },
        }
    }

    /// Whether issue `issue`'s values lie on a line (numbers, or options
    /// declared `ordered`).
    pub fn is_ordered(&self, issue: usize) -> bool {
        self.labels.ordered[issue]
    }

    /// Value `d` of issue `issue` on a number line (the option's index for
    /// options).
    pub fn value_position(&self, issue: usize, d: u32) -> f64 {
        self.space.values[issue][d as usize].as_f64()
    }

    /// Actor identifiers, by actor index.
    pub fn actor_ids(&self) -> &[String] {
        &self.actor_ids
    }

    /// Actor `actor`'s preferences.
    pub fn preferences(&self, actor: usize) -> &Preferences {
        &self.preferences[actor]
    }

    /// What `holder` believes about `about`, when the scenario says.
    pub fn belief(&self, holder: usize, about: usize) -> Option<&Believed> {
        self.believed.iter().find(|b| b.holder == holder && b.about == about)
    }

    /// The uncertain types of party `about` as party `holder` sees them:
    /// each type its holder gives a positive probability, with that
    /// probability and the type's utility of every outcome as the holder
    /// believes it. `None` when `about` has no types (or the domain is
    /// searched).
    pub fn type_views(&self, holder: usize, about: usize) -> Option<&[super::TypeView]> {
        self.types.iter().find(|(h, a, _)| *h == holder && *a == about).map(|(_, _, v)| &v[..])
    }

    /// Who would reject agreement `k` (empty: the agreement stands): the
    /// owner of every constraint it breaks, and the ratifiers and veto
    /// holders it leaves worse off than no agreement (they accept what
    /// leaves them no worse off, as in the analysis).
    pub fn ratify(&self, k: usize) -> Vec<Rejection> {
        let digits: Vec<usize> = self.digits(k).iter().map(|&d| d as usize).collect();
        let (required, _) = self.model.required(&digits);
        let mut out = Vec::new();
        for (c, &owner) in self.owners.iter().enumerate() {
            if self.violations(k) & (1 << c) != 0 {
                let p = &self.preferences[owner];
                out.push(Rejection {
                    actor: owner,
                    utility: p.utility(k),
                    reservation: p.reservation,
                    role: RejectionRole::Constraint(c),
                });
            }
        }
        for (a, p) in self.preferences.iter().enumerate() {
            if required & (1 << a) == 0 || self.model.party_mask & (1 << a) != 0 {
                continue;
            }
            let u = p.utility(k);
            if !self.model.accepts(a, u, p.reservation) {
                let role = if self.model.ratifier_required & (1 << a) != 0 {
                    RejectionRole::Ratifier
                } else {
                    RejectionRole::Veto
                };
                out.push(Rejection { actor: a, utility: u, reservation: p.reservation, role });
            }
        }
        out
    }

    /// The domain in force in 0-based round `round`: the scenario after the
    /// last event in force by then (this domain before the first).
    pub fn at(&self, round: usize) -> &Domain {
        self.timeline
            .periods
            .iter()
            .rev()
            .find(|(first, _, d)| *first <= round && d.is_some())
            .and_then(|(_, _, d)| d.as_deref())
            .unwrap_or(self)
    }

    /// The scenario's events and deadlines as talks see them.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The Pareto frontier and Nash point of the parties (in
    /// [`parties`](Domain::parties) order), for judging an agreement.
    pub fn reference(&self) -> Reference {
        Reference::new(self, &self.parties)
    }
}

/// The yardsticks an agreement is measured against.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// The parties' Pareto frontier over every outcome that breaks no
    /// constraint.
    pub frontier: Vec<UtilityPoint>,
    /// The Nash point: the frontier point maximising the product of gains
    /// over the reservation values; `None` when no outcome gives every
    /// party a gain.
    pub nash: Option<UtilityPoint>,
    /// The Kalai (egalitarian) point: the frontier point maximising the
    /// smallest gain over the reservation values (Kalai 1977; NegMAS's
    /// `kalai_points`); `None` when there is no Nash point.
    pub kalai: Option<UtilityPoint>,
    /// The Kalai–Smorodinsky point: the frontier point maximising the
    /// smallest gain as a share of the party's best gain (Kalai &
    /// Smorodinsky 1975; NegMAS's `ks_points`); `None` when there is no
    /// Nash point.
    pub kalai_smorodinsky: Option<UtilityPoint>,
    /// False when the frontier is unknown (a searched domain that is not
    /// two additive parties): distances are then NaN.
    known: bool,
}

impl Reference {
    /// The frontier and Nash point of `parties` (actor indices) on `domain`.
    /// A searched domain has them only for two additive parties (the exact
    /// issue-by-issue frontier); otherwise both are unknown (an empty
    /// frontier: distances are NaN).
    pub fn new(domain: &Domain, parties: &[usize]) -> Reference {
        if domain.is_searched() {
            let radices: Vec<usize> = domain.space.values.iter().map(Vec::len).collect();
            let terms: Vec<_> = parties.iter().filter_map(|&p| domain.model.evaluators[p].terms()).collect();
            let frontier: Vec<UtilityPoint> = match terms[..] {
                [a, b] if parties.len() == 2 => crate::analysis::exact::frontier_two(a, b, &radices)
                    .into_iter()
                    .enumerate()
                    .map(|(k, p)| UtilityPoint { index: k as u64, utilities: p.utilities.to_vec() })
                    .collect(),
                _ => Vec::new(),
            };
            let known = !frontier.is_empty();
            return Reference::from_frontier(domain, parties, frontier, known);
        }
        let dim = parties.len();
        let mut flat = Vec::with_capacity(domain.len() * dim);
        let mut index = Vec::new();
        for k in (0..domain.len()).filter(|&k| domain.violations[k] == 0 && !domain.moot[k]) {
            flat.extend(parties.iter().map(|&p| domain.preferences[p].utilities[k]));
            index.push(k as u64);
        }
        let frontier = pareto::frontier_flat(dim, &flat, &index);
        Reference::from_frontier(domain, parties, frontier, true)
    }

    fn from_frontier(domain: &Domain, parties: &[usize], frontier: Vec<UtilityPoint>, known: bool) -> Reference {
        let d: Vec<f64> = parties.iter().map(|&p| domain.preferences[p].reservation).collect();
        let solved = solutions::solve(&frontier, &d, &vec![1.0; parties.len()]);
        // The three points exist together: each needs an outcome that gives
        // every party a gain, which is what the Nash product finds.
        let point = |i: Option<usize>| solved.nash.and(i).map(|i| frontier[i].clone());
        let (nash, kalai, kalai_smorodinsky) =
            (point(solved.nash), point(solved.egalitarian), point(solved.kalai_smorodinsky));
        Reference { frontier, nash, kalai, kalai_smorodinsky, known }
    }

    /// Euclidean distance from `point` to the nearest frontier point (0 on
    /// the frontier).
    pub fn pareto_distance(&self, point: &[f64]) -> f64 {
        if !self.known {
            return f64::NAN;
        }
        self.frontier.iter().map(|f| distance(&f.utilities, point)).fold(f64::INFINITY, f64::min)
    }

    /// Euclidean distance from `point` to the Nash point.
    pub fn nash_distance(&self, point: &[f64]) -> Option<f64> {
        self.nash.as_ref().map(|n| distance(&n.utilities, point))
    }

    /// Euclidean distance from `point` to the Kalai (egalitarian) point.
    pub fn kalai_distance(&self, point: &[f64]) -> Option<f64> {
        self.kalai.as_ref().map(|n| distance(&n.utilities, point))
    }

    /// Euclidean distance from `point` to the Kalai–Smorodinsky point.
    pub fn ks_distance(&self, point: &[f64]) -> Option<f64> {
        self.kalai_smorodinsky.as_ref().map(|n| distance(&n.utilities, point))
    }
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

impl Timeline {
    /// Places `scenario`'s events on rounds and compiles the domain of the
    /// scenario after each event that changes something. Events and
    /// deadlines that talks cannot place are listed, not refused: only a
    /// deadline needs a round, and a deadline without one is an error.
    fn new(scenario: &Scenario, config: &DomainConfig, cancel: &Cancel) -> Result<Timeline, NegotiationError> {
        let mut t = Timeline { walkaway: vec![None; scenario.actors.len()], ..Timeline::default() };
        for (k, e) in scenario.events.iter().enumerate() {
            let Some(round) = scenario.event_round(k) else {
                t.unplaced.push(e.id.clone());
                continue;
            };
            let first = usize::try_from(round).unwrap_or(usize::MAX);
            let domain = if e.changes.is_empty() && e.statements.is_empty() {
                None
            } else {
                let mut after = scenario.after_event(k);
                after.events.clear();
                after.actors.iter_mut().for_each(|a| a.deadline = None);
                let d = Domain::new_with(&after, config, cancel, &|_, _| {}).map_err(|err| match err {
                    NegotiationError::Scenario(m) => NegotiationError::Scenario(format!("after event `{}`: {m}", e.id)),
                    other => other,
                })?;
                Some(Arc::new(d))
            };
            t.periods.push((first, e.id.clone(), domain));
        }
        for (a, actor) in scenario.actors.iter().enumerate() {
            let Some(k) = actor.deadline else { continue };
            match scenario.event_round(k) {
                Some(round) => t.walkaway[a] = Some(usize::try_from(round).unwrap_or(usize::MAX)),
                None => {
                    return Err(NegotiationError::Scenario(format!(
                        "{}'s deadline, event `{}`, has no round: give the event `round = N`, or add a [calendar] that places its date",
                        actor.id, scenario.events[k].id
                    )))
                }
            }
        }
        Ok(t)
    }
}

/// Every party's view of every other party's uncertain types
/// ([`Domain::type_views`]): per type with positive probability in the
/// holder's eyes ([`crate::analysis::types::holder_probability`]), the
/// scenario with that type applied ([`Scenario::with_types`]) and the
/// type's utility of each outcome as the holder believes it (its beliefs
/// about the actor applied on top, as in the analysis's perceived spaces).
fn type_views(
    scenario: &Scenario,
    space: &OutcomeSpace,
    parties: &[usize],
    cancel: &Cancel,
) -> Result<Vec<(usize, usize, Vec<super::TypeView>)>, NegotiationError> {
    let mut out = Vec::new();
    if scenario.types.is_empty() {
        return Ok(out);
    }
    let n_issues = space.values.len();
    let radices: Vec<usize> = space.values.iter().map(Vec::len).collect();
    let count = space.count() as usize;
    for &holder in parties {
        for &about in parties.iter().filter(|&&a| a != holder) {
            let mut views = Vec::new();
            for t in scenario.types_of(about) {
                let probability = crate::analysis::types::holder_probability(scenario, holder, about, t);
                if probability <= 0.0 {
                    continue;
                }
                cancel.check().map_err(|_| NegotiationError::Cancelled)?;
                let typed = scenario.with_types(&[t]);
                let model = Model::new(&typed, space.clone(), vec![1.0; parties.len()]);
                let perceived = model
                    .views
                    .iter()
                    .find(|v| v.holder == holder)
                    .and_then(|v| v.actors.iter().find(|p| p.about == about));
                let mut utilities = Vec::with_capacity(count);
                let mut digits = vec![0usize; n_issues];
                let mut values = vec![Value::Option(0); n_issues];
                for _ in 0..count {
                    for i in 0..n_issues {
                        values[i] = space.values[i][digits[i]];
                    }
                    utilities.push(match perceived {
                        Some(p) => model.perceived_utility(p, &digits, &values),
                        None => model.settled(about, model.evaluators[about].eval(&digits, &values), &digits),
                    });
                    space::next(&mut digits, &radices);
                }
                let reservation = perceived.map_or(model.reservations[about], |p| p.reservation);
                views.push(super::TypeView {
                    name: scenario.types[t].name.clone(),
                    probability,
                    utilities,
                    reservation,
                });
            }
            if !views.is_empty() {
                out.push((holder, about, views));
            }
        }
    }
    Ok(out)
}
