//! The compiled evaluation model and the streaming pass over the outcome
//! space.
//!
//! Utilities are precomputed as per-issue tables (`weight × value` for each
//! grid value), so evaluating an outcome is a few table look-ups per actor,
//! summed in stance order exactly as [`Actor::utility`] sums them. The pass
//! works on fixed-size chunks of outcome numbers; every chunk yields a
//! [`Partial`] and partials merge associatively and commutatively, so the
//! result does not depend on the number of threads.

use std::collections::BTreeMap;

use super::density::{DensityConfig, DensityPartial};
use super::pareto::{self, UtilityPoint};
use super::space::{self, OutcomeSpace};
use num_rational::BigRational;

use crate::scenario::exact;
use crate::scenario::{
    interact, Actor, Expr, Interaction, Issue, RectangleUtility, Role, Scenario, UtilityModel, Value,
};

/// Why an outcome is not in the agreement set, as three bit masks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Signature {
    /// Constraints (by index) the outcome violates.
    pub constraints: u64,
    /// Required actors (by index) who do not prefer it to no agreement.
    pub rejecters: u64,
    /// Those rejecters who are required only because of a veto on an issue
    /// the outcome changes (and not as party or ratifier).
    pub veto_required: u64,
}

impl Signature {
    /// True when nothing blocks the outcome.
    pub fn is_clear(&self) -> bool {
        self.constraints == 0 && self.rejecters == 0
    }
}

/// Summary of the outcomes sharing one [`Signature`].
#[derive(Clone, Debug)]
pub struct Group {
    /// How many outcomes.
    pub count: u64,
    /// The outcome with the largest sum of party utilities (ties: lowest number).
    pub best: (f64, u64),
    /// Per actor, the largest utility any outcome of the group gives it,
    /// and that outcome (ties: lowest number).
    pub actor_best: Vec<(f64, u64)>,
    /// Largest Nash product of the parties' gains, when every party gains
    /// (ties: lowest number).
    pub best_nash: Option<(f64, u64)>,
}

fn better(a: (f64, u64), b: (f64, u64)) -> (f64, u64) {
    if b.0 > a.0 || (b.0 == a.0 && b.1 < a.1) {
        b
    } else {
        a
    }
}

impl Group {
    fn merge(&mut self, other: &Group) {
        self.count += other.count;
        self.best = better(self.best, other.best);
        for (a, b) in self.actor_best.iter_mut().zip(&other.actor_best) {
            *a = better(*a, *b);
        }
        self.best_nash = match (self.best_nash, other.best_nash) {
            (Some(a), Some(b)) => Some(better(a, b)),
            (a, b) => a.or(b),
        };
    }
}

/// One holder's view: believed actors and constraints it discounts.
#[derive(Clone, Debug)]
pub struct View {
    /// The believer.
    pub holder: usize,
    /// Actors as the holder believes them, replacing the real ones.
    pub actors: Vec<Perceived>,
    /// Constraints the holder believes will not be insisted on.
    pub dropped: u64,
}

/// One actor as a holder believes it to be.
#[derive(Clone, Debug)]
pub struct Perceived {
    /// The actor believed about.
    pub about: usize,
    /// Its believed utility, compiled.
    pub evaluator: Evaluator,
    /// Its believed reservation value.
    pub reservation: f64,
    /// The believed actor and its reservation, exactly, for ties.
    exact: ExactActor,
}

impl Perceived {
    /// Believed utility of the outcome at `digits`, settled against the
    /// believed reservation by the exact rule ([`exact`]).
    pub fn utility(&self, issues: &[Issue], space: &OutcomeSpace, digits: &[usize], values: &[Value]) -> f64 {
        let u = self.evaluator.eval(digits, values);
        self.exact.settle(issues, space, u, self.reservation, digits)
    }
}

/// An actor kept whole beside its compiled tables, so that a utility the
/// floating-point pass finds within rounding distance of the reservation
/// can be recomputed exactly.
#[derive(Clone, Debug)]
struct ExactActor {
    actor: Actor,
    /// The status quo, for a status-quo reservation.
    status_quo: Option<Vec<Value>>,
    /// For a status-quo reservation: the issues the utility reads, each with
    /// the status quo's grid index. An outcome that agrees with the status
    /// quo on all of them is worth exactly the reservation, without
    /// rational arithmetic (most exact ties are of this kind: a ratifier
    /// indifferent to what a deal changes).
    same_as_status_quo: Option<Vec<(usize, usize)>>,
    /// The exact reservation, computed at the first near tie (most models,
    /// such as the thousands a robustness study compiles, never need it).
    reservation: std::sync::OnceLock<Option<BigRational>>,
}

impl ExactActor {
    fn new(actor: Actor, scenario: &Scenario, space: &OutcomeSpace) -> ExactActor {
        let same_as_status_quo = match (&actor.reservation, &scenario.status_quo) {
            (crate::scenario::Reservation::StatusQuo, Some(sq)) => {
                let mut read: Vec<usize> = match &actor.utility_model {
                    UtilityModel::Additive => actor.stances.iter().map(|s| s.issue).collect(),
                    UtilityModel::Rectangles(r) => {
                        r.rectangles.iter().flat_map(|x| x.bounds.iter().map(|b| b.issue)).collect()
                    }
                };
                read.extend(actor.interactions.iter().flat_map(|t| t.rule.issues()));
                read.sort_unstable();
                read.dedup();
                read.iter().map(|&i| space.value_index(i, &sq[i]).map(|k| (i, k))).collect::<Option<Vec<_>>>()
            }
            _ => None,
        };
        ExactActor {
            actor,
            status_quo: scenario.status_quo.clone(),
            same_as_status_quo,
            reservation: std::sync::OnceLock::new(),
        }
    }

    fn reservation(&self, issues: &[Issue]) -> Option<BigRational> {
        self.reservation.get_or_init(|| self.actor.reservation_exact_at(issues, self.status_quo.as_deref())).clone()
    }

    /// `u`, the floating-point utility of the outcome at `digits`, settled
    /// against reservation `r` (see [`exact::settle`]).
    fn settle(&self, issues: &[Issue], space: &OutcomeSpace, u: f64, r: f64, digits: &[usize]) -> f64 {
        if exact::clearly_apart(u, r) {
            return u;
        }
        if self.same_as_status_quo.as_ref().is_some_and(|same| same.iter().all(|&(i, k)| digits[i] == k)) {
            return exact::settle(u, r, std::cmp::Ordering::Equal);
        }
        let order = exact::compare(u, r, || {
            let values: Vec<Value> = digits.iter().enumerate().map(|(i, &d)| space.values[i][d]).collect();
            Some((self.actor.utility_exact(issues, &values)?, self.reservation(issues)?))
        });
        exact::settle(u, r, order)
    }
}

/// Per-holder accumulation of the perceived deal space.
#[derive(Clone, Debug, Default)]
pub struct ViewPartial {
    /// Outcomes the holder believes acceptable.
    pub perceived: u64,
    /// Of those, the ones that really are.
    pub real_too: u64,
    /// Really acceptable but believed not.
    pub missed: u64,
    /// Believed acceptable but not really, grouped by why not: count and the
    /// outcome the holder likes best (utility, number).
    pub false_hopes: BTreeMap<Signature, (u64, (f64, u64))>,
}

/// Per-issue `weight × value` tables for one actor, in stance order.
pub type Terms = Vec<(usize, Vec<f64>)>;

/// How one actor's utility is evaluated during the pass.
#[derive(Clone, Debug)]
pub enum Evaluator {
    /// Table look-ups (linear-additive actors).
    Additive(Terms),
    /// Table look-ups plus the interaction terms whose rules hold (additive
    /// actors with terms; not linear, so [`Evaluator::terms`] is `None`).
    Interacting(Terms, Vec<Interaction>),
    /// Direct evaluation (hyper-rectangle actors).
    Rectangles(RectangleUtility),
}

impl Evaluator {
    /// Compiles `actor` over `space`.
    pub fn new(actor: &Actor, scenario: &Scenario, space: &OutcomeSpace) -> Evaluator {
        match &actor.utility_model {
            UtilityModel::Additive if actor.interactions.is_empty() => {
                Evaluator::Additive(terms(actor, scenario, space))
            }
            UtilityModel::Additive => Evaluator::Interacting(terms(actor, scenario, space), actor.interactions.clone()),
            UtilityModel::Rectangles(r) => Evaluator::Rectangles(r.clone()),
        }
    }

    /// Utility of the outcome with value indices `digits` and values `values`.
    pub fn eval(&self, digits: &[usize], values: &[Value]) -> f64 {
        match self {
            Evaluator::Additive(t) => utility(t, digits).min(1.0),
            Evaluator::Interacting(t, terms) => interact(utility(t, digits), terms, values),
            Evaluator::Rectangles(r) => r.utility(values),
        }
    }

    /// The tables, when additive.
    pub fn terms(&self) -> Option<&Terms> {
        match self {
            Evaluator::Additive(t) => Some(t),
            Evaluator::Interacting(..) | Evaluator::Rectangles(_) => None,
        }
    }
}

/// Everything the pass needs, compiled from a scenario.
#[derive(Clone, Debug)]
pub struct Model {
    /// The grid.
    pub space: OutcomeSpace,
    /// Per actor utility evaluators.
    pub evaluators: Vec<Evaluator>,
    /// Per additive actor and issue `i`: the first term (in stance order)
    /// on an issue `≥ i`, where the running sum must restart when issues
    /// from `i` on change.
    pub restart: Vec<Vec<usize>>,
    /// Per actor reservation utility.
    pub reservations: Vec<f64>,
    /// The issues, for exact recomputation.
    issues: Vec<Issue>,
    /// Per actor, the exact form for ties.
    exact: Vec<ExactActor>,
    /// Party indices.
    pub parties: Vec<usize>,
    /// Bit mask of the parties.
    pub party_mask: u64,
    /// Bit mask of the actors holding a veto.
    pub veto_holders: u64,
    /// Whether outcome values (not just value indices) are needed per
    /// outcome: for constraints and hyper-rectangle utilities.
    pub needs_values: bool,
    /// Actors required as (transitive) ratifiers of a party.
    pub ratifier_required: u64,
    /// Per actor, issues it can veto.
    pub vetoes: Vec<Vec<usize>>,
    /// Status-quo value indices, when declared.
    pub status_quo: Option<Vec<usize>>,
    /// Constraint rules.
    pub constraints: Vec<Expr>,
    /// Conditional issues: issue, the rule under which it applies, and the
    /// grid index of its `otherwise` value ([`Model::is_moot`]).
    pub conditions: Vec<(usize, Expr, usize)>,
    /// Belief views, one per holder.
    pub views: Vec<View>,
    /// Exponents of the Nash product, one per party.
    pub nash_weights: Vec<f64>,
    /// Utility-plane density to collect, and whether to record every
    /// outcome's utilities too (see [`super::density`]); `None` by default.
    pub density: Option<(DensityConfig, bool)>,
}

/// Compiles an actor's utility into per-issue tables over the grid.
pub fn terms(actor: &Actor, scenario: &Scenario, space: &OutcomeSpace) -> Terms {
    actor
        .stances
        .iter()
        .zip(actor.weights())
        .map(|(s, w)| {
            let domain = &scenario.issues[s.issue].domain;
            (s.issue, space.values[s.issue].iter().map(|v| w * s.value.eval(domain, v)).collect())
        })
        .collect()
}

fn utility(terms: &Terms, digits: &[usize]) -> f64 {
    terms.iter().map(|(i, t)| t[digits[*i]]).sum()
}

impl Model {
    /// Compiles `scenario` over `space`; `nash_weights` has one entry per party.
    pub fn new(scenario: &Scenario, space: OutcomeSpace, nash_weights: Vec<f64>) -> Model {
        let evaluators: Vec<Evaluator> = scenario.actors.iter().map(|a| Evaluator::new(a, scenario, &space)).collect();
        let reservations = (0..scenario.actors.len()).map(|a| scenario.reservation_value(a)).collect();
        let parties = scenario.parties();
        // Ratifiers of parties, and ratifiers of ratifiers.
        let mut ratifier_required = 0u64;
        let mut stack: Vec<usize> = parties.clone();
        while let Some(a) = stack.pop() {
            for &r in &scenario.actors[a].ratifiers {
                if ratifier_required & (1 << r) == 0 && scenario.actors[r].role != Role::Party {
                    ratifier_required |= 1 << r;
                    stack.push(r);
                }
            }
        }
        let vetoes = scenario.actors.iter().map(|a| a.vetoes.clone()).collect();
        let status_quo = scenario
            .status_quo
            .as_ref()
            .map(|sq| sq.iter().enumerate().map(|(i, v)| space.value_index(i, v).unwrap_or(usize::MAX)).collect());
        let constraints = scenario.constraints.iter().map(|c| c.rule.clone()).collect();
        let conditions: Vec<(usize, Expr, usize)> = scenario
            .issues
            .iter()
            .enumerate()
            .filter_map(|(i, issue)| {
                let c = issue.condition.as_ref()?;
                // The grid always holds `otherwise` (see `space::named_values`).
                let k = space.value_index(i, &c.otherwise).unwrap_or(usize::MAX);
                Some((i, c.rule.clone(), k))
            })
            .collect();
        let mut views: Vec<View> = Vec::new();
        for b in &scenario.beliefs {
            let idx = match views.iter().position(|v| v.holder == b.holder) {
                Some(i) => i,
                None => {
                    views.push(View { holder: b.holder, actors: Vec::new(), dropped: 0 });
                    views.len() - 1
                }
            };
            let view = &mut views[idx];
            for &c in &b.dropped_constraints {
                view.dropped |= 1 << c;
            }
            if !view.actors.iter().any(|p| p.about == b.about) {
                let perceived = scenario.perceived_actor(b.holder, b.about);
                let reservation = match perceived.reservation {
                    crate::scenario::Reservation::Value(v) => v,
                    crate::scenario::Reservation::StatusQuo => {
                        scenario.status_quo.as_ref().map(|sq| perceived.utility(&scenario.issues, sq)).unwrap_or(0.0)
                    }
                };
                view.actors.push(Perceived {
                    about: b.about,
                    evaluator: Evaluator::new(&perceived, scenario, &space),
                    reservation,
                    exact: ExactActor::new(perceived, scenario, &space),
                });
            }
        }
        let n_issues = space.values.len();
        let restart = evaluators
            .iter()
            .map(|e| {
                let t = e.terms().map_or(&[][..], |t| &t[..]);
                (0..n_issues).map(|i| t.iter().position(|(issue, _)| *issue >= i).unwrap_or(t.len())).collect()
            })
            .collect();
        let needs_values = !scenario.constraints.is_empty()
            || !conditions.is_empty()
            || evaluators.iter().any(|e| e.terms().is_none())
            || views.iter().any(|v| v.actors.iter().any(|p| p.evaluator.terms().is_none()));
        let exact = scenario.actors.iter().map(|a| ExactActor::new(a.clone(), scenario, &space)).collect();
        Model {
            space,
            restart,
            evaluators,
            reservations,
            issues: scenario.issues.clone(),
            exact,
            party_mask: parties.iter().map(|&p| 1u64 << p).sum(),
            veto_holders: scenario
                .actors
                .iter()
                .enumerate()
                .filter(|(_, a)| !a.vetoes.is_empty())
                .map(|(k, _)| 1u64 << k)
                .sum(),
            needs_values,
            parties,
            ratifier_required,
            vetoes,
            status_quo,
            constraints,
            conditions,
            views,
            nash_weights,
            density: None,
        }
    }

    /// Whether the outcome at `digits` (values `values`) differs from
    /// another only in an issue that does not apply there: a duplicate that
    /// every pass skips ([`crate::scenario::Condition`]).
    pub fn is_moot(&self, digits: &[usize], values: &[Value]) -> bool {
        self.conditions.iter().any(|(i, rule, otherwise)| digits[*i] != *otherwise && !rule.holds(values))
    }

    /// Mask of actors required for an outcome with value indices `digits`.
    pub(crate) fn required(&self, digits: &[usize]) -> (u64, u64) {
        self.required_from(digits, self.status_quo.as_deref())
    }

    /// [`Model::required`] with `from` in place of the status quo: a veto
    /// holder is required when the outcome changes one of its issues from
    /// `from` (the staged game's phase starts, `analysis::game`).
    pub(crate) fn required_from(&self, digits: &[usize], from: Option<&[usize]>) -> (u64, u64) {
        let req = self.ratifier_required | self.party_mask;
        if self.veto_holders == 0 {
            return (req, 0);
        }
        let mut by_veto = 0u64;
        for (a, issues) in self.vetoes.iter().enumerate() {
            if issues.is_empty() {
                continue;
            }
            let changes = match from {
                Some(sq) => issues.iter().any(|&i| digits[i] != sq[i]),
                None => true,
            };
            if changes {
                by_veto |= 1 << a;
            }
        }
        (req | by_veto, by_veto & !req)
    }

    /// Actor `a`'s floating-point utility `u` of the outcome at `digits`,
    /// settled against its reservation by the exact rule ([`exact`]): on a
    /// tie it becomes the reservation itself, and rounding never puts it on
    /// the wrong side, so [`Model::accepts`] and every later comparison
    /// with the reservation are exact.
    pub fn settled(&self, a: usize, u: f64, digits: &[usize]) -> f64 {
        self.exact[a].settle(&self.issues, &self.space, u, self.reservations[a], digits)
    }

    /// Believed utility of the outcome at `digits` of the actor `p`
    /// describes, settled against the believed reservation.
    pub fn perceived_utility(&self, p: &Perceived, digits: &[usize], values: &[Value]) -> f64 {
        p.utility(&self.issues, &self.space, digits, values)
    }

    /// Parties negotiate for a gain, so they accept only outcomes strictly
    /// better than no agreement; ratifiers and veto holders block only what
    /// leaves them worse off, so they accept outcomes at least as good.
    pub(crate) fn accepts(&self, actor: usize, utility: f64, reservation: f64) -> bool {
        if self.party_mask & (1 << actor) != 0 {
            utility > reservation
        } else {
            utility >= reservation
        }
    }

    fn nash_product(&self, utils: &[f64]) -> Option<f64> {
        let mut prod = 1.0;
        for (k, &p) in self.parties.iter().enumerate() {
            let gain = utils[p] - self.reservations[p];
            if gain <= 0.0 {
                return None;
            }
            let w = self.nash_weights[k];
            prod *= if w == 1.0 { gain } else { gain.powf(w) };
        }
        Some(prod)
    }

    /// Whether `view`'s holder believes the outcome at `digits` is agreed:
    /// the constraints it does not discount hold (`cmask`: the broken
    /// ones), and every required actor accepts as the holder sees it
    /// (`utils`: the true, settled utilities).
    pub(crate) fn view_accepts(
        &self,
        view: &View,
        cmask: u64,
        required: u64,
        utils: &[f64],
        digits: &[usize],
        values: &[Value],
    ) -> bool {
        if cmask & !view.dropped != 0 {
            return false;
        }
        utils.iter().zip(&self.reservations).enumerate().all(|(a, (&real_u, &real_d))| {
            if required & (1 << a) == 0 {
                return true;
            }
            let (u, d) = match view.actors.iter().find(|p| p.about == a) {
                Some(p) => (self.perceived_utility(p, digits, values), p.reservation),
                None => (real_u, real_d),
            };
            self.accepts(a, u, d)
        })
    }

    /// One outcome judged on its own (no running sums): whether it is in
    /// the agreement set, and in `views` whether each holder believes so.
    /// The outcome must not be moot. `utils` is scratch, one per actor.
    pub(crate) fn judge(&self, digits: &[usize], values: &[Value], utils: &mut [f64], views: &mut [bool]) -> bool {
        for (a, e) in self.evaluators.iter().enumerate() {
            utils[a] = self.settled(a, e.eval(digits, values), digits);
        }
        let mut cmask = 0u64;
        for (c, rule) in self.constraints.iter().enumerate() {
            if !rule.holds(values) {
                cmask |= 1 << c;
            }
        }
        let (required, _) = self.required(digits);
        for (k, view) in self.views.iter().enumerate() {
            views[k] = self.view_accepts(view, cmask, required, utils, digits, values);
        }
        cmask == 0
            && (0..utils.len()).all(|a| required & (1 << a) == 0 || self.accepts(a, utils[a], self.reservations[a]))
    }

    /// Processes outcomes `start..end`.
    pub fn run_chunk(&self, start: u64, end: u64) -> Partial {
        let n_issues = self.space.values.len();
        let radices: Vec<usize> = self.space.values.iter().map(Vec::len).collect();
        let n_actors = self.evaluators.len();
        let mut digits = vec![0usize; n_issues];
        self.space.digits(start, &mut digits);
        let mut values: Vec<Value> = vec![Value::Option(0); n_issues];
        let mut utils = vec![0.0; n_actors];
        let mut part = Partial::new(self.views.len());
        part.density = self.density.as_ref().map(|(c, points)| DensityPartial::new(c, self.parties.len(), *points));
        let n_parties = self.parties.len();
        // Flat buffers: one allocation per chunk, not per outcome.
        // Running prefix sums of each additive actor's terms; the first
        // outcome of the chunk computes them all (issue 0 "changed").
        let mut prefixes: Vec<Vec<f64>> =
            self.evaluators.iter().map(|e| vec![0.0; e.terms().map_or(0, |t| t.len()) + 1]).collect();
        let mut changed = 0usize;
        let mut all = pareto::Collector::new(n_parties);
        let mut agree = pareto::Collector::new(n_parties);
        let mut point = vec![0.0; n_parties];
        // Consecutive outcomes mostly share a signature: remember the last.
        let mut last: Option<(Signature, Group)> = None;
        for index in start..end {
            if self.needs_values {
                for i in 0..n_issues {
                    values[i] = self.space.values[i][digits[i]];
                }
            }
            if !self.conditions.is_empty() && self.is_moot(&digits, &values) {
                // Skipped: the prefix sums must restart from the lowest
                // issue that changed since the last outcome evaluated.
                part.moot += 1;
                changed = changed.min(space::next_changed(&mut digits, &radices).unwrap_or(0));
                continue;
            }
            for (a, e) in self.evaluators.iter().enumerate() {
                utils[a] = match e {
                    // Only the terms from the first one on a changed issue
                    // are re-added; the sum runs in the same order as a full
                    // evaluation, so the result is bit-identical.
                    Evaluator::Additive(t) => {
                        let prefix = &mut prefixes[a];
                        for j in self.restart[a][changed]..t.len() {
                            let (i, table) = &t[j];
                            prefix[j + 1] = prefix[j] + table[digits[*i]];
                        }
                        prefix[t.len()].min(1.0)
                    }
                    other => other.eval(&digits, &values),
                };
                utils[a] = self.settled(a, utils[a], &digits);
            }
            let mut cmask = 0u64;
            for (c, rule) in self.constraints.iter().enumerate() {
                if !rule.holds(&values) {
                    cmask |= 1 << c;
                }
            }
            let (required, veto_only) = self.required(&digits);
            let mut rejecters = 0u64;
            for (a, (&u, &d)) in utils.iter().zip(&self.reservations).enumerate() {
                if required & (1 << a) != 0 && !self.accepts(a, u, d) {
                    rejecters |= 1 << a;
                }
            }
            let sig = Signature { constraints: cmask, rejecters, veto_required: veto_only & rejecters };
            let mut sum = 0.0;
            for &p in &self.parties {
                sum += utils[p];
            }
            let nash = self.nash_product(&utils);
            if last.as_ref().is_some_and(|(s, _)| *s != sig) {
                let (s, g) = last.take().expect("checked");
                merge_group(&mut part.groups, s, g);
            }
            let (_, group) = last.get_or_insert_with(|| {
                (
                    sig,
                    Group {
                        count: 0,
                        best: (f64::NEG_INFINITY, u64::MAX),
                        actor_best: vec![(f64::NEG_INFINITY, u64::MAX); n_actors],
                        best_nash: None,
                    },
                )
            });
            group.count += 1;
            group.best = better(group.best, (sum, index));
            for (m, u) in group.actor_best.iter_mut().zip(&utils) {
                *m = better(*m, (*u, index));
            }
            if let Some(n) = nash {
                group.best_nash = Some(match group.best_nash {
                    Some(b) => better(b, (n, index)),
                    None => (n, index),
                });
            }
            let clear = sig.is_clear();
            for (k, view) in self.views.iter().enumerate() {
                let perceived_ok = self.view_accepts(view, cmask, required, &utils, &digits, &values);
                let vp = &mut part.views[k];
                match (perceived_ok, clear) {
                    (true, true) => {
                        vp.perceived += 1;
                        vp.real_too += 1;
                    }
                    (true, false) => {
                        vp.perceived += 1;
                        let hu = utils[view.holder];
                        let e = vp.false_hopes.entry(sig).or_insert((0, (f64::NEG_INFINITY, u64::MAX)));
                        e.0 += 1;
                        e.1 = better(e.1, (hu, index));
                    }
                    (false, true) => vp.missed += 1,
                    (false, false) => {}
                }
            }
            for (k, &p) in self.parties.iter().enumerate() {
                point[k] = utils[p];
            }
            if let Some(density) = &mut part.density {
                density.add(index, &point, clear);
            }
            if clear {
                part.agreement_count += 1;
                agree.offer(&point, index);
            } else {
                // The whole space's frontier is the frontier of the agreement
                // set's frontier and the rest's: each point is offered once.
                all.offer(&point, index);
            }
            changed = space::next_changed(&mut digits, &radices).unwrap_or(0);
        }
        if let Some((s, g)) = last {
            merge_group(&mut part.groups, s, g);
        }
        part.agreement_frontier = agree.finish();
        part.space_frontier = pareto::merge(part.agreement_frontier.clone(), all.finish());
        part
    }
}

fn merge_group(groups: &mut BTreeMap<Signature, Group>, sig: Signature, g: Group) {
    match groups.get_mut(&sig) {
        Some(mine) => mine.merge(&g),
        None => {
            groups.insert(sig, g);
        }
    }
}

/// What one chunk of the pass found; partials merge into the whole.
#[derive(Clone, Debug)]
pub struct Partial {
    /// Outcomes in the agreement set.
    pub agreement_count: u64,
    /// Frontier (parties' utilities) of the agreement set.
    pub agreement_frontier: Vec<UtilityPoint>,
    /// Frontier of the whole space.
    pub space_frontier: Vec<UtilityPoint>,
    /// Outcomes grouped by what blocks them (the clear signature included).
    pub groups: BTreeMap<Signature, Group>,
    /// One per belief holder.
    pub views: Vec<ViewPartial>,
    /// Utility-plane bins, when asked for.
    pub density: Option<DensityPartial>,
    /// Grid outcomes skipped as duplicates: an issue that does not apply
    /// there is not at its `otherwise` value.
    pub moot: u64,
}

impl Partial {
    /// An empty partial.
    pub fn new(n_views: usize) -> Partial {
        Partial {
            agreement_count: 0,
            agreement_frontier: Vec::new(),
            space_frontier: Vec::new(),
            groups: BTreeMap::new(),
            views: vec![ViewPartial::default(); n_views],
            density: None,
            moot: 0,
        }
    }

    /// Combines two partials.
    pub fn merge(mut self, other: Partial) -> Partial {
        self.agreement_count += other.agreement_count;
        self.moot += other.moot;
        self.agreement_frontier = pareto::merge(self.agreement_frontier, other.agreement_frontier);
        self.space_frontier = pareto::merge(self.space_frontier, other.space_frontier);
        self.density = match (self.density, other.density) {
            (Some(a), Some(b)) => Some(a.merge(b)),
            (a, b) => a.or(b),
        };
        for (sig, g) in other.groups {
            merge_group(&mut self.groups, sig, g);
        }
        for (mine, theirs) in self.views.iter_mut().zip(other.views) {
            mine.perceived += theirs.perceived;
            mine.real_too += theirs.real_too;
            mine.missed += theirs.missed;
            for (sig, (n, best)) in theirs.false_hopes {
                let e = mine.false_hopes.entry(sig).or_insert((0, (f64::NEG_INFINITY, u64::MAX)));
                e.0 += n;
                e.1 = better(e.1, best);
            }
        }
        self
    }
}
