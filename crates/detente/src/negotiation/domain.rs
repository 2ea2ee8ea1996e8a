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

use crate::analysis::model::{Model, Perceived};
use crate::analysis::pareto::{self, UtilityPoint};
use crate::analysis::solutions;
use crate::analysis::space::{self, OutcomeSpace, Resolution};
use crate::budget::Cancel;
use crate::scenario::{Scenario, Value};

use super::NegotiationError;

/// Outcomes tabulated between two looks at the cancellation flag and two
/// progress reports.
const PROGRESS_STEP: usize = 1 << 16;

/// Options for compiling a domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DomainConfig {
    /// Grid for continuous issues (as in the analysis).
    pub resolution: Resolution,
    /// Refuse outcome spaces larger than this: every outcome's utilities
    /// are held in memory.
    pub max_outcomes: u64,
}

impl Default for DomainConfig {
    fn default() -> DomainConfig {
        DomainConfig { resolution: Resolution::default(), max_outcomes: 5_000_000 }
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
}

impl Preferences {
    fn new(utilities: Vec<f64>, forbidden: Vec<bool>, reservation: f64, discount: f64) -> Preferences {
        let mut order: Vec<u32> = (0..forbidden.len() as u32).filter(|&k| !forbidden[k as usize]).collect();
        order.sort_by(|&a, &b| utilities[a as usize].total_cmp(&utilities[b as usize]).then(a.cmp(&b)));
        Preferences { utilities, order, forbidden, reservation, discount }
    }

    /// Whether the actor may offer or accept outcome `k`.
    pub fn allows(&self, k: usize) -> bool {
        !self.forbidden.get(k).copied().unwrap_or(false)
    }

    /// Utility of outcome `k`.
    pub fn utility(&self, k: usize) -> f64 {
        self.utilities[k]
    }

    /// The highest utility of any outcome it allows.
    pub fn max(&self) -> f64 {
        self.order.last().map_or(0.0, |&k| self.utilities[k as usize])
    }

    /// The lowest utility of any outcome it allows.
    pub fn min(&self) -> f64 {
        self.order.first().map_or(0.0, |&k| self.utilities[k as usize])
    }

    /// Position in [`order`](Preferences::order) of the first outcome with
    /// utility at least `target`.
    pub fn rank_at_least(&self, target: f64) -> usize {
        self.order.partition_point(|&k| self.utilities[k as usize] < target)
    }

    /// The allowed outcome with the lowest utility at or above `target`
    /// (ties: the lowest outcome number); the best when none reaches it.
    pub fn worst_at_least(&self, target: f64) -> usize {
        let rank = self.rank_at_least(target).min(self.order.len() - 1);
        self.order[rank] as usize
    }

    /// The best outcome (ties: the lowest outcome number).
    pub fn best(&self) -> usize {
        self.worst_at_least(self.max())
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
    digits: Vec<u32>,
    parties: Vec<usize>,
    preferences: Vec<Preferences>,
    believed: Vec<Believed>,
    model: Model,
    actor_ids: Vec<String>,
    owners: Vec<usize>,
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
        if count > limit {
            return Err(NegotiationError::TooLarge { outcomes: crate::analysis::space::exact_count(&sizes), limit });
        }
        let space = OutcomeSpace::new(scenario, config.resolution);
        let model = Model::new(scenario, space.clone(), vec![1.0; parties.len()]);
        let n_issues = space.values.len();
        let radices: Vec<usize> = space.values.iter().map(Vec::len).collect();
        let n_actors = scenario.actors.len();
        let count = count as usize;
        let mut violations = Vec::with_capacity(count);
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
                violations.iter().map(|&m| m & respected != 0).collect()
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
        Ok(Domain {
            space,
            violations,
            digits: digits_flat,
            parties,
            preferences,
            believed,
            model,
            actor_ids: scenario.actors.iter().map(|a| a.id.clone()).collect(),
            owners: scenario.constraints.iter().map(|c| c.owner).collect(),
        })
    }

    /// Number of outcomes.
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// Whether the domain has no outcome (never true for a built domain).
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// The constraints (by index, as a bit mask) outcome `k` breaks.
    pub fn violations(&self, k: usize) -> u64 {
        self.violations[k]
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
        let n = self.issue_count();
        &self.digits[k * n..(k + 1) * n]
    }

    /// The values of outcome `k`, one per issue.
    pub fn outcome(&self, k: usize) -> Vec<Value> {
        self.digits(k).iter().enumerate().map(|(i, &d)| self.space.values[i][d as usize]).collect()
    }

    /// The outcome with value indices `digits`.
    pub fn find(&self, digits: &[u32]) -> usize {
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

    /// Who would reject agreement `k` (empty: the agreement stands): the
    /// owner of every constraint it breaks, and the ratifiers and veto
    /// holders it leaves worse off than no agreement (they accept what
    /// leaves them no worse off, as in the analysis).
    pub fn ratify(&self, k: usize) -> Vec<Rejection> {
        let digits: Vec<usize> = self.digits(k).iter().map(|&d| d as usize).collect();
        let (required, _) = self.model.required(&digits);
        let mut out = Vec::new();
        for (c, &owner) in self.owners.iter().enumerate() {
            if self.violations[k] & (1 << c) != 0 {
                let p = &self.preferences[owner];
                out.push(Rejection {
                    actor: owner,
                    utility: p.utilities[k],
                    reservation: p.reservation,
                    role: RejectionRole::Constraint(c),
                });
            }
        }
        for (a, p) in self.preferences.iter().enumerate() {
            if required & (1 << a) == 0 || self.model.party_mask & (1 << a) != 0 {
                continue;
            }
            let u = p.utilities[k];
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
}

impl Reference {
    /// The frontier and Nash point of `parties` (actor indices) on `domain`.
    pub fn new(domain: &Domain, parties: &[usize]) -> Reference {
        let dim = parties.len();
        let mut flat = Vec::with_capacity(domain.len() * dim);
        let mut index = Vec::new();
        for k in (0..domain.len()).filter(|&k| domain.violations[k] == 0) {
            flat.extend(parties.iter().map(|&p| domain.preferences[p].utilities[k]));
            index.push(k as u64);
        }
        let frontier = pareto::frontier_flat(dim, &flat, &index);
        let d: Vec<f64> = parties.iter().map(|&p| domain.preferences[p].reservation).collect();
        let nash = solutions::solve(&frontier, &d, &vec![1.0; dim]).nash.map(|i| frontier[i].clone());
        Reference { frontier, nash }
    }

    /// Euclidean distance from `point` to the nearest frontier point (0 on
    /// the frontier).
    pub fn pareto_distance(&self, point: &[f64]) -> f64 {
        self.frontier.iter().map(|f| distance(&f.utilities, point)).fold(f64::INFINITY, f64::min)
    }

    /// Euclidean distance from `point` to the Nash point.
    pub fn nash_distance(&self, point: &[f64]) -> Option<f64> {
        self.nash.as_ref().map(|n| distance(&n.utilities, point))
    }
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}
