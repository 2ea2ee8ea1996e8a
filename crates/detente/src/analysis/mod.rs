//! Deal-space analysis: the agreement set, Pareto frontiers, bargaining
//! solutions, blockers and the perceived deal space of each believer.
//!
//! [`analyze`] enumerates the outcome space once, in parallel chunks and
//! without materialising it, and answers every question from that one pass.
//! Definitions (see `docs/analysis.md`):
//!
//! - A party **accepts** an outcome when its utility is strictly above its
//!   reservation value (it prefers the outcome to no agreement); ratifiers
//!   and veto holders accept outcomes that leave them no worse off (utility
//!   at least the reservation value).
//! - **Required** actors: the parties, their ratifiers (and the ratifiers'
//!   ratifiers), and any actor with a veto over an issue the outcome changes
//!   from the status quo (every veto holder, when no status quo is declared).
//! - The **agreement set** holds the outcomes that satisfy every constraint
//!   and that every required actor accepts.
//!
//! ```
//! let text = r#"
//! format = 1
//! name = "Split"
//! [[issues]]
//! id = "share"
//! kind = "integer"
//! min = 0
//! max = 10
//! [[actors]]
//! id = "a"
//! reservation = 0.25
//! stances.share = { position = 10, salience = 1 }
//! [[actors]]
//! id = "b"
//! reservation = 0.25
//! stances.share = { position = 0, salience = 1 }
//! "#;
//! let s = detente::load_str("split.toml", text, detente::TextFormat::Toml).scenario.unwrap();
//! let a = detente::analysis::analyze(&s, &detente::analysis::Config::new()).unwrap();
//! assert_eq!(a.agreement_set_size, Some(5)); // shares 3..=7
//! let nash = a.solutions.nash.unwrap();
//! assert_eq!(nash.utilities, vec![0.5, 0.5]);
//! ```

pub mod blockers;
pub mod density;
pub mod exact;
pub mod game;
pub mod model;
pub mod pareto;
pub mod pressure;
pub mod solutions;
pub mod space;
pub mod stages;
pub mod timeline;
pub mod types;
pub mod verdict;

use rayon::prelude::*;

pub use blockers::Relaxation;
pub use density::{Density, DensityConfig, DensityPlane, PlanePoint, Window};
use model::{Model, Partial, Signature};
use pareto::UtilityPoint;
pub use space::{OutcomeSpace, Resolution};
pub use verdict::{deal_exists, Candidates};

use crate::budget::Cancel;
use crate::scenario::{Scenario, Value};

/// Options of an analysis. Build with [`Config::new`] and change fields.
#[derive(Clone, Debug)]
pub struct Config {
    /// Grid for continuous issues.
    pub resolution: Resolution,
    /// Refuse to enumerate more outcomes than this.
    pub max_outcomes: u128,
    /// Use capabilities as exponents of the Nash product.
    pub weighted_nash: bool,
    /// Largest blocker set searched.
    pub max_blocker_size: usize,
    /// Most blockers reported.
    pub max_blockers: usize,
    /// How many best agreements to list.
    pub top: usize,
    /// Enumeration, the issue-by-issue frontier, or whichever fits.
    pub method: Method,
    /// Opt-in, for plots: bin every outcome on each pair of parties' utility
    /// plane during the pass (and record every outcome of small spaces); see
    /// [`density`]. Only enumeration fills it. `None` by default.
    pub density: Option<DensityConfig>,
    /// Stops the enumeration between chunks ([`AnalysisError::Cancelled`]);
    /// never set by default.
    pub cancel: Cancel,
}

/// How the deal space is explored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Enumerate when the space is within `max_outcomes`, otherwise use the
    /// issue-by-issue frontier when it applies.
    Auto,
    /// Enumerate every outcome (everything is answered).
    Enumerate,
    /// Build the exact two-party frontier issue by issue, without
    /// enumeration. Applies to two additive parties with no constraints,
    /// ratifiers or vetoes; the agreement set is not counted and beliefs are
    /// not analysed.
    IssueByIssue,
}

impl Method {
    /// `"enumerate"` or `"issue-by-issue"` (`"auto"` before resolution).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Enumerate => "enumerate",
            Method::IssueByIssue => "issue-by-issue",
        }
    }
}

impl Config {
    /// The standard options: 11-point grid, up to 2·10⁹ outcomes, symmetric
    /// Nash, blockers of up to 4 relaxations, 20 blockers, 5 best deals.
    pub fn new() -> Config {
        Config {
            resolution: Resolution::default(),
            max_outcomes: 2_000_000_000,
            weighted_nash: false,
            max_blocker_size: 4,
            max_blockers: 20,
            top: 5,
            method: Method::Auto,
            density: None,
            cancel: Cancel::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config::new()
    }
}

/// An outcome with the parties' utilities.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Outcome number in enumeration order (last issue fastest).
    pub index: u128,
    /// One value per issue.
    pub outcome: Vec<Value>,
    /// One utility per party, in [`Analysis::parties`] order.
    pub utilities: Vec<f64>,
}

/// The solution points (each `None` when the agreement set is empty).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Solutions {
    /// Nash bargaining solution.
    pub nash: Option<Point>,
    /// Kalai–Smorodinsky solution.
    pub kalai_smorodinsky: Option<Point>,
    /// Egalitarian (max–min gain) solution.
    pub egalitarian: Option<Point>,
    /// Utilitarian (max sum) solution.
    pub utilitarian: Option<Point>,
}

/// A minimal set of relaxations that makes the agreement set non-empty.
#[derive(Clone, Debug, PartialEq)]
pub struct Blocker {
    /// The relaxations, together.
    pub relax: Vec<Relaxation>,
    /// How many outcomes become acceptable.
    pub opens_count: u64,
    /// An opened outcome: with one reservation lowered, the one best for
    /// that actor (worth the `best_feasible` of its cost); otherwise the
    /// one with the largest sum of party utilities.
    pub opens: Point,
    /// Who gives something up, and how much.
    pub costs: Vec<Cost>,
}

/// What one relaxation costs its actor.
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    /// The actor who pays.
    pub actor: usize,
    /// The relaxation.
    pub relaxation: Relaxation,
    /// For a lowered reservation: the current reservation value.
    pub reservation: Option<f64>,
    /// For a lowered reservation: the highest reservation that still admits
    /// an opened outcome (the actor's best feasible level; the new
    /// reservation must be just below it).
    pub best_feasible: Option<f64>,
    /// Other relaxations that would do the same: removing a ratifier role or
    /// a veto instead of lowering the reservation.
    pub alternatives: Vec<Relaxation>,
}

/// A constraint that excludes otherwise acceptable outcomes.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// Constraint index.
    pub constraint: usize,
    /// Outcomes every required actor accepts that only this constraint excludes.
    pub excludes: u64,
    /// The Nash point if the constraint were dropped, when it would move.
    pub nash_if_dropped: Option<Point>,
}

/// The deal space as one actor believes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Perception {
    /// The believer.
    pub holder: usize,
    /// Outcomes the holder believes acceptable to all.
    pub perceived_size: u64,
    /// Of those, how many really are.
    pub real_and_perceived: u64,
    /// Really acceptable outcomes the holder believes are not.
    pub missed: u64,
    /// Believed acceptable but not really, grouped by the real reason.
    pub false_hopes: Vec<FalseHope>,
}

/// A group of outcomes a believer wrongly thinks acceptable.
#[derive(Clone, Debug, PartialEq)]
pub struct FalseHope {
    /// How many outcomes.
    pub count: u64,
    /// The one the holder likes best.
    pub example: Point,
    /// The holder's utility for it.
    pub holder_utility: f64,
    /// Constraints (indices) it really violates.
    pub violates: Vec<usize>,
    /// Required actors (indices) who really reject it.
    pub rejected_by: Vec<usize>,
}

/// Everything [`analyze`] finds.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// How the space was explored.
    pub method: Method,
    /// Size of the (discretised) outcome space, saturating at `u128::MAX`.
    pub outcome_count: u128,
    /// The exact size in decimal digits ([`space::count_text`] writes it
    /// for people).
    pub outcome_count_decimal: String,
    /// Combinations of the grid that are not outcomes of their own: an
    /// issue that does not apply there is not at its `otherwise` value
    /// ([`crate::scenario::Condition`]). `outcome_count` leaves them out;
    /// 0 without conditional issues.
    pub moot: u64,
    /// Continuous issues and their number of grid points.
    pub discretised: Vec<(usize, usize)>,
    /// Party indices; utilities in points follow this order.
    pub parties: Vec<usize>,
    /// Actors required for every outcome (parties and ratifiers).
    pub required: Vec<usize>,
    /// Actors required when an outcome changes an issue they veto.
    pub veto_holders: Vec<usize>,
    /// Reservation value of every actor.
    pub reservations: Vec<f64>,
    /// Number of outcomes in the agreement set (`None` when not counted:
    /// issue-by-issue mode).
    pub agreement_set_size: Option<u64>,
    /// Whether the agreement set is non-empty.
    pub deal_exists: bool,
    /// Best agreements by Nash product (at most `Config::top`).
    pub best: Vec<Point>,
    /// Pareto frontier of the agreement set (one outcome per utility vector).
    pub pareto: Vec<Point>,
    /// Pareto frontier of the whole space.
    pub pareto_all: Vec<Point>,
    /// Bargaining solutions over the agreement set.
    pub solutions: Solutions,
    /// Opposition between the parties over the whole space (0 = none).
    pub opposition: Option<f64>,
    /// When the agreement set is empty: minimal relaxation sets, smallest first.
    pub blockers: Vec<Blocker>,
    /// When it is not: constraints that exclude acceptable outcomes.
    pub binding: Vec<Binding>,
    /// Perceived versus real deal space, one per belief holder.
    pub perceptions: Vec<Perception>,
    /// Caveats about what was not computed, in plain words.
    pub notes: Vec<String>,
    /// The utility-plane density, when [`Config::density`] asked for it and
    /// the space was enumerated.
    pub density: Option<Density>,
}

/// Why an analysis could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnalysisError {
    /// The space is larger than `Config::max_outcomes`.
    TooLarge {
        /// Outcomes in the space, exact, in decimal digits (it may exceed
        /// `u128`).
        outcomes: String,
        /// The limit.
        limit: u128,
    },
    /// One issue has more values than can be tabulated
    /// ([`space::MAX_ISSUE_VALUES`], or `Config::max_outcomes` if lower);
    /// refused before anything is allocated.
    IssueTooWide {
        /// The issue's id.
        issue: String,
        /// Its number of values.
        values: u128,
        /// The limit.
        limit: u128,
    },
    /// No actor has role party.
    NoParties,
    /// Issue-by-issue mode was asked for but does not apply.
    NotApplicable(String),
    /// A part of the analysis (staged agreements, a game, type profiles)
    /// cannot run on this scenario; the reason in words.
    Refused(String),
    /// More than 64 actors or constraints (blocker masks are 64 bits).
    TooMany {
        /// What there are too many of.
        what: &'static str,
        /// How many.
        count: usize,
    },
    /// `Config::cancel` was set during the run.
    Cancelled,
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnalysisError::TooLarge { outcomes, limit } => write!(
                f,
                "the outcome space has {} outcomes, more than the limit of {limit}; coarsen continuous issues (--resolution), narrow integer ranges, or raise the limit (--max-outcomes)",
                space::count_text(outcomes)
            ),
            AnalysisError::IssueTooWide { issue, values, limit } if *limit < space::MAX_ISSUE_VALUES => write!(
                f,
                "issue `{issue}` has {values} values, more than the limit of {limit}; narrow its range (min, max), make it continuous (kind = \"continuous\", analysed on a grid), or raise the limit (--max-outcomes, up to {})",
                space::MAX_ISSUE_VALUES
            ),
            AnalysisError::IssueTooWide { issue, values, limit } => write!(
                f,
                "issue `{issue}` has {values} values, more than the {limit} one issue may have (each value is tabulated for every actor); narrow its range (min, max) or make it continuous (kind = \"continuous\", analysed on a grid)"
            ),
            AnalysisError::NoParties => write!(f, "no actor has role \"party\", so there is no negotiation to analyse"),
            AnalysisError::TooMany { what, count } => write!(f, "{count} {what}: the analysis handles at most 64"),
            AnalysisError::NotApplicable(why) => write!(f, "the issue-by-issue frontier does not apply: {why}"),
            AnalysisError::Refused(why) => write!(f, "{why}"),
            AnalysisError::Cancelled => write!(f, "the analysis was {}", crate::budget::Cancelled),
        }
    }
}

impl std::error::Error for AnalysisError {}

/// Outcomes per work unit; fixed so results do not depend on thread count.
const CHUNK: u64 = 1 << 15;

/// Analyses `scenario`. See the module docs for definitions.
pub fn analyze(scenario: &Scenario, config: &Config) -> Result<Analysis, AnalysisError> {
    analyze_with_progress(scenario, config, &|_, _| {})
}

/// As [`analyze`], calling `progress(done, total)` as chunks of outcomes finish.
pub fn analyze_with_progress(
    scenario: &Scenario,
    config: &Config,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Analysis, AnalysisError> {
    config.cancel.check().map_err(|_| AnalysisError::Cancelled)?;
    let model = compile(scenario, config)?;
    let count = model.space.count();
    let enumerable = count <= config.max_outcomes && count <= u64::MAX as u128;
    let too_large = || AnalysisError::TooLarge { outcomes: model.space.count_decimal(), limit: config.max_outcomes };
    match config.method {
        Method::IssueByIssue => return issue_by_issue(scenario, config, &model),
        Method::Auto if !enumerable => {
            return issue_by_issue(scenario, config, &model).map_err(|e| match e {
                AnalysisError::NotApplicable(_) => too_large(),
                other => other,
            })
        }
        Method::Enumerate if !enumerable => return Err(too_large()),
        _ => {}
    }
    let total = count as u64;
    let n_chunks = total.div_ceil(CHUNK);
    let done = std::sync::atomic::AtomicU64::new(0);
    let partial = (0..n_chunks)
        .into_par_iter()
        .map(|c| {
            let start = c * CHUNK;
            let end = (start + CHUNK).min(total);
            // A cancelled run skips its remaining chunks; the check below
            // turns the incomplete merge into an error.
            if config.cancel.is_cancelled() {
                return Partial::new(model.views.len());
            }
            let p = model.run_chunk(start, end);
            let d = done.fetch_add(end - start, std::sync::atomic::Ordering::Relaxed) + (end - start);
            progress(d, total);
            p
        })
        .reduce(|| Partial::new(model.views.len()), Partial::merge);
    config.cancel.check().map_err(|_| AnalysisError::Cancelled)?;
    Ok(assemble(scenario, config, &model, partial))
}

fn compile(scenario: &Scenario, config: &Config) -> Result<Model, AnalysisError> {
    if scenario.actors.len() > 64 {
        return Err(AnalysisError::TooMany { what: "actors", count: scenario.actors.len() });
    }
    if scenario.constraints.len() > 64 {
        return Err(AnalysisError::TooMany { what: "constraints", count: scenario.constraints.len() });
    }
    let parties = scenario.parties();
    if parties.is_empty() {
        return Err(AnalysisError::NoParties);
    }
    // Sizes first, so nothing is allocated for a space that cannot be
    // analysed: enumeration needs the product within `max_outcomes`, the
    // issue-by-issue frontier only each issue's table.
    let sizes = space::issue_sizes(scenario, config.resolution);
    let product = sizes.iter().fold(1u128, |n, &k| n.saturating_mul(k));
    let issue_limit = space::MAX_ISSUE_VALUES.min(config.max_outcomes.max(1));
    if product > config.max_outcomes && config.method == Method::Enumerate {
        return Err(AnalysisError::TooLarge { outcomes: space::exact_count(&sizes), limit: config.max_outcomes });
    }
    let space = OutcomeSpace::try_new(scenario, config.resolution, issue_limit).map_err(|e| match e {
        space::SpaceError::IssueTooWide { issue, values, limit } => {
            AnalysisError::IssueTooWide { issue: scenario.issues[issue].id.clone(), values, limit }
        }
    })?;
    if let Some(w) = config.density.and_then(|d| d.window) {
        let n = parties.len();
        let range = |(low, high): (f64, f64)| low.is_finite() && high.is_finite() && low < high;
        if w.x >= n || w.y >= n || w.x == w.y || !range(w.x_range) || !range(w.y_range) {
            return Err(AnalysisError::Refused(format!(
                "a density window needs two different parties (positions below {n}) and ranges low < high, both finite"
            )));
        }
    }
    let weights = nash_weights(scenario, &parties, config.weighted_nash);
    let mut model = Model::new(scenario, space, weights);
    model.density = config.density.map(|d| (d, model.space.count() <= d.max_points as u128));
    Ok(model)
}

/// Exponents of the Nash product: 1 each, or capabilities scaled to sum to
/// the number of parties (so equal capabilities give the symmetric solution).
fn nash_weights(scenario: &Scenario, parties: &[usize], weighted: bool) -> Vec<f64> {
    let caps: Vec<f64> = parties.iter().map(|&p| scenario.actors[p].capability).collect();
    let total: f64 = caps.iter().sum();
    if !weighted || total <= 0.0 {
        return vec![1.0; parties.len()];
    }
    caps.iter().map(|c| c * parties.len() as f64 / total).collect()
}

fn mask_indices(mask: u64) -> Vec<usize> {
    (0..64).filter(|k| mask & (1u64 << k) != 0).collect()
}

fn assemble(scenario: &Scenario, config: &Config, model: &Model, partial: Partial) -> Analysis {
    let parties = model.parties.clone();
    let point = |index: u64| -> Point {
        let outcome = model.space.outcome(index);
        let mut digits = vec![0; outcome.len()];
        model.space.digits(index, &mut digits);
        let utilities =
            parties.iter().map(|&p| model.settled(p, model.evaluators[p].eval(&digits, &outcome), &digits)).collect();
        Point { index: index as u128, outcome, utilities }
    };
    let to_point = |u: &UtilityPoint| Point {
        index: u.index as u128,
        outcome: model.space.outcome(u.index),
        utilities: u.utilities.clone(),
    };
    let d: Vec<f64> = parties.iter().map(|&p| model.reservations[p]).collect();
    let frontier = &partial.agreement_frontier;
    let idx = solutions::solve(frontier, &d, &model.nash_weights);
    let pick = |k: Option<usize>| k.map(|k| to_point(&frontier[k]));
    let solutions = Solutions {
        nash: pick(idx.nash),
        kalai_smorodinsky: pick(idx.kalai_smorodinsky),
        egalitarian: pick(idx.egalitarian),
        utilitarian: pick(idx.utilitarian),
    };
    let mut ranked: Vec<&UtilityPoint> = frontier.iter().collect();
    let np = |p: &UtilityPoint| solutions::nash_product(&p.utilities, &d, &model.nash_weights);
    ranked.sort_by(|a, b| np(b).total_cmp(&np(a)).then(a.index.cmp(&b.index)));
    let best = ranked.iter().take(config.top).map(|p| to_point(p)).collect();

    let roles =
        blockers::Roles { parties: parties.iter().map(|&p| 1u64 << p).sum(), ratifiers: model.ratifier_required };
    let mut blocker_list = Vec::new();
    let mut binding = Vec::new();
    if partial.agreement_count == 0 {
        for found in blockers::minimal_sets(&partial.groups, &roles, config.max_blocker_size, config.max_blockers) {
            let groups: Vec<&model::Group> = found.opens.iter().map(|s| &partial.groups[s]).collect();
            let opens_count = groups.iter().map(|g| g.count).sum();
            let better = |a: (f64, u64), b: (f64, u64)| {
                if b.0 > a.0 || (b.0 == a.0 && b.1 < a.1) {
                    b
                } else {
                    a
                }
            };
            let start = (f64::NEG_INFINITY, u64::MAX);
            // The example: the outcome that asks the smallest concession. With
            // one reservation lowered, the outcome best for that actor (worth
            // what the blocker says it must accept); otherwise the one with
            // the largest sum of party utilities.
            let lowered: Vec<usize> = found
                .set
                .iter()
                .filter_map(|r| if let Relaxation::LowerReservation(a) = r { Some(*a) } else { None })
                .collect();
            let best_index = match lowered.as_slice() {
                [a] => groups.iter().map(|g| g.actor_best[*a]).fold(start, better),
                _ => groups.iter().map(|g| g.best).fold(start, better),
            };
            let costs = found
                .set
                .iter()
                .map(|&r| match r {
                    Relaxation::DropConstraint(c) => Cost {
                        actor: scenario.constraints[c].owner,
                        relaxation: r,
                        reservation: None,
                        best_feasible: None,
                        alternatives: Vec::new(),
                    },
                    Relaxation::LowerReservation(a) => Cost {
                        actor: a,
                        relaxation: r,
                        reservation: Some(model.reservations[a]),
                        best_feasible: Some(groups.iter().map(|g| g.actor_best[a].0).fold(f64::NEG_INFINITY, f64::max)),
                        alternatives: blockers::alternatives(a, &found.opens, &roles),
                    },
                    Relaxation::RemoveRatifier(a) | Relaxation::RemoveVeto(a) => Cost {
                        actor: a,
                        relaxation: r,
                        reservation: None,
                        best_feasible: None,
                        alternatives: Vec::new(),
                    },
                })
                .collect();
            blocker_list.push(Blocker { relax: found.set, opens_count, opens: point(best_index.1), costs });
        }
    } else {
        let current = solutions.nash.as_ref().map(|p| solutions::nash_product(&p.utilities, &d, &model.nash_weights));
        for c in 0..scenario.constraints.len() {
            let only_c = Signature { constraints: 1 << c, rejecters: 0, veto_required: 0 };
            let Some(g) = partial.groups.get(&only_c) else { continue };
            let nash_if_dropped = match (g.best_nash, current) {
                (Some((n, i)), Some(cur)) if n > cur => Some(point(i)),
                _ => None,
            };
            binding.push(Binding { constraint: c, excludes: g.count, nash_if_dropped });
        }
    }
    let perceptions = model
        .views
        .iter()
        .zip(&partial.views)
        .map(|(view, vp)| {
            let mut false_hopes: Vec<FalseHope> = vp
                .false_hopes
                .iter()
                .map(|(sig, (count, (hu, index)))| FalseHope {
                    count: *count,
                    example: point(*index),
                    holder_utility: *hu,
                    violates: mask_indices(sig.constraints),
                    rejected_by: mask_indices(sig.rejecters),
                })
                .collect();
            false_hopes.sort_by(|a, b| b.holder_utility.total_cmp(&a.holder_utility).then(b.count.cmp(&a.count)));
            Perception {
                holder: view.holder,
                perceived_size: vp.perceived,
                real_and_perceived: vp.real_too,
                missed: vp.missed,
                false_hopes,
            }
        })
        .collect();
    let mut veto_holders: Vec<usize> = (0..scenario.actors.len()).filter(|&a| !model.vetoes[a].is_empty()).collect();
    veto_holders.retain(|a| !parties.contains(a));
    let mut required = parties.clone();
    required.extend(mask_indices(model.ratifier_required));
    let mut notes = Vec::new();
    if partial.agreement_count == 0 && blocker_list.is_empty() {
        notes.push(format!("no set of up to {} relaxations opens a deal", config.max_blocker_size));
    }
    Analysis {
        method: Method::Enumerate,
        outcome_count: model.space.count() - u128::from(partial.moot),
        outcome_count_decimal: (model.space.count() - u128::from(partial.moot)).to_string(),
        moot: partial.moot,
        discretised: model.space.discretised.clone(),
        parties: parties.clone(),
        required,
        veto_holders,
        reservations: model.reservations.clone(),
        agreement_set_size: Some(partial.agreement_count),
        deal_exists: partial.agreement_count > 0,
        best,
        pareto: frontier.iter().map(to_point).collect(),
        pareto_all: partial.space_frontier.iter().map(to_point).collect(),
        solutions,
        opposition: solutions::opposition(&partial.space_frontier),
        blockers: blocker_list,
        binding,
        perceptions,
        notes,
        density: partial.density.map(density::DensityPartial::finish),
    }
}

/// Whether the issue-by-issue frontier applies, and why not.
fn issue_by_issue_applies(scenario: &Scenario, model: &Model) -> Result<(), String> {
    if model.parties.len() != 2 {
        return Err(format!("it needs exactly two parties, found {}", model.parties.len()));
    }
    if !scenario.constraints.is_empty() {
        return Err("the scenario has constraints".into());
    }
    if model.ratifier_required != 0 {
        return Err("the parties need ratifiers".into());
    }
    if model.vetoes.iter().any(|v| !v.is_empty()) {
        return Err("some actor holds a veto".into());
    }
    if model.parties.iter().any(|&p| model.evaluators[p].terms().is_none()) {
        return Err("a party's utility is not additive (hyper-rectangles or interaction terms)".into());
    }
    if !model.conditions.is_empty() {
        return Err("some issue applies only under a condition".into());
    }
    Ok(())
}

/// Analysis by the exact issue-by-issue frontier (see [`exact`]).
fn issue_by_issue(scenario: &Scenario, config: &Config, model: &Model) -> Result<Analysis, AnalysisError> {
    issue_by_issue_applies(scenario, model).map_err(AnalysisError::NotApplicable)?;
    let radices: Vec<usize> = model.space.values.iter().map(Vec::len).collect();
    let (pa, pb) = (model.parties[0], model.parties[1]);
    let (Some(ta), Some(tb)) = (model.evaluators[pa].terms(), model.evaluators[pb].terms()) else {
        return Err(AnalysisError::NotApplicable("a party's utility is not additive".into()));
    };
    let points = exact::frontier_two(ta, tb, &radices);
    // Outcome numbers in mixed radix, and utilities recomputed exactly as
    // enumeration computes them, so both modes agree to the bit.
    let to_point = |digits: &[usize]| -> Point {
        let index = digits
            .iter()
            .zip(&radices)
            .fold(0u128, |n, (&d, &r)| n.saturating_mul(r as u128).saturating_add(d as u128));
        let outcome: Vec<Value> = digits.iter().enumerate().map(|(i, &k)| model.space.values[i][k]).collect();
        let utilities = model
            .parties
            .iter()
            .map(|&p| model.settled(p, model.evaluators[p].eval(digits, &outcome), digits))
            .collect();
        Point { index, outcome, utilities }
    };
    // Utilities are capped at 1 after summing; capping is monotone, so the
    // capped frontier is the frontier of the capped points.
    let capped: Vec<Point> = points.iter().map(|p| to_point(&p.digits)).collect();
    let kept = pareto::frontier(
        capped
            .iter()
            .enumerate()
            .map(|(k, p)| UtilityPoint { index: k as u64, utilities: p.utilities.clone() })
            .collect(),
    );
    let mut all: Vec<Point> = kept.iter().map(|u| capped[u.index as usize].clone()).collect();
    all.sort_by(|a, b| b.utilities[0].total_cmp(&a.utilities[0]).then(b.utilities[1].total_cmp(&a.utilities[1])));
    let d = [model.reservations[pa], model.reservations[pb]];
    // Solved in outcome-number order, so ties break as in enumeration.
    let mut rational: Vec<Point> =
        all.iter().filter(|p| p.utilities[0] > d[0] && p.utilities[1] > d[1]).cloned().collect();
    rational.sort_by_key(|p| p.index);
    let as_utility = |p: &Point, k: usize| UtilityPoint { index: k as u64, utilities: p.utilities.clone() };
    let frontier: Vec<UtilityPoint> = rational.iter().enumerate().map(|(k, p)| as_utility(p, k)).collect();
    let idx = solutions::solve(&frontier, &d, &model.nash_weights);
    let pick = |k: Option<usize>| k.map(|k| rational[k].clone());
    let solutions = Solutions {
        nash: pick(idx.nash),
        kalai_smorodinsky: pick(idx.kalai_smorodinsky),
        egalitarian: pick(idx.egalitarian),
        utilitarian: pick(idx.utilitarian),
    };
    let mut ranked: Vec<&Point> = rational.iter().collect();
    let np = |p: &Point| solutions::nash_product(&p.utilities, &d, &model.nash_weights);
    ranked.sort_by(|a, b| np(b).total_cmp(&np(a)).then(a.index.cmp(&b.index)));
    let best = ranked.into_iter().take(config.top).cloned().collect();
    // Without constraints or ratifiers, only the parties' reservations block.
    let mut blockers = Vec::new();
    if rational.is_empty() {
        let lower = |who: usize, other: usize| -> Option<Blocker> {
            let opened: Vec<&Point> = all.iter().filter(|p| p.utilities[other] > d[other]).collect();
            let best = opened
                .iter()
                .max_by(|a, b| a.utilities.iter().sum::<f64>().total_cmp(&b.utilities.iter().sum::<f64>()))?;
            let actor = model.parties[who];
            Some(Blocker {
                relax: vec![Relaxation::LowerReservation(actor)],
                opens_count: opened.len() as u64,
                opens: (*best).clone(),
                costs: vec![Cost {
                    actor,
                    relaxation: Relaxation::LowerReservation(actor),
                    reservation: Some(d[who]),
                    best_feasible: opened
                        .iter()
                        .map(|p| p.utilities[who])
                        .fold(None, |m: Option<f64>, u| Some(m.map_or(u, |m| m.max(u)))),
                    alternatives: Vec::new(),
                }],
            })
        };
        blockers.extend(lower(0, 1));
        blockers.extend(lower(1, 0));
    }
    let mut notes = vec!["issue-by-issue mode: the agreement set was not counted; frontier points stand for one outcome per utility pair".to_string()];
    if !scenario.beliefs.is_empty() {
        notes.push(
            "issue-by-issue mode does not analyse beliefs; enumerate to compare perceived and real deal spaces".into(),
        );
    }
    if config.density.is_some() {
        notes.push("issue-by-issue mode does not enumerate outcomes, so there is no utility-plane density".into());
    }
    let frontier_all: Vec<UtilityPoint> = all.iter().enumerate().map(|(k, p)| as_utility(p, k)).collect();
    let mut required = model.parties.clone();
    required.sort_unstable();
    Ok(Analysis {
        method: Method::IssueByIssue,
        outcome_count: model.space.count(),
        outcome_count_decimal: model.space.count_decimal(),
        moot: 0,
        discretised: model.space.discretised.clone(),
        parties: model.parties.clone(),
        required,
        veto_holders: Vec::new(),
        reservations: model.reservations.clone(),
        agreement_set_size: None,
        deal_exists: !rational.is_empty(),
        best,
        pareto: {
            rational.sort_by(|a, b| {
                b.utilities[0].total_cmp(&a.utilities[0]).then(b.utilities[1].total_cmp(&a.utilities[1]))
            });
            rational
        },
        pareto_all: all,
        solutions,
        opposition: solutions::opposition(&frontier_all),
        blockers,
        binding: Vec::new(),
        perceptions: Vec::new(),
        notes,
        density: None,
    })
}
