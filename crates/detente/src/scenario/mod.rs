//! The scenario model: issues, actors, constraints, beliefs and status quo,
//! with every name resolved to an index and every invariant checked.
//!
//! A [`Scenario`] is built by [`crate::format`] readers through
//! [`decode`](crate::scenario::decode), which reports every problem as a
//! [`Diagnostic`](crate::Diagnostic). This module knows no file format.
//!
//! Utilities follow one rule almost everywhere: an actor's utility for an
//! outcome is the weighted sum of its per-issue values, each in `[0, 1]`, with
//! weights `salience / Σ salience` (or the raw saliences when
//! `normalize = false`, as GENIUS profiles need). The exception is an actor
//! whose [`UtilityModel`] is [`UtilityModel::Rectangles`]: the non-linear
//! GENIUS profiles of ANAC 2014, where utility comes from the hyper-rectangles
//! of the outcome space an outcome lies in.

pub mod calendar;
pub mod decode;
pub mod exact;
pub mod expr;
pub mod param;
pub mod statement;

pub use calendar::{Calendar, Date, Event};
pub use expr::{CmpOp, ConstraintKind, Expr};
pub use param::Param;
pub use statement::{Statement, StatementKind};

/// The scenario file format version this build reads and writes.
pub const FORMAT_VERSION: i64 = 1;

/// Everything about one negotiation.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Short title.
    pub name: String,
    /// Longer free text.
    pub description: Option<String>,
    /// Where the scenario as a whole comes from.
    pub source: Option<String>,
    /// The dimensions of the deal, in file order.
    pub issues: Vec<Issue>,
    /// Parties, ratifiers, third parties.
    pub actors: Vec<Actor>,
    /// Red lines, preconditions, linkages.
    pub constraints: Vec<Constraint>,
    /// What some actors believe about others.
    pub beliefs: Vec<Belief>,
    /// The outcome if nothing is agreed, when declared (one value per issue).
    pub status_quo: Option<Outcome>,
    /// Judgements the file marks as uncertain, with their ranges
    /// (`[[uncertain]]`, [`Uncertain`]); empty for most files.
    pub uncertain: Vec<Uncertain>,
    /// Staged agreements the file declares (`[[plans]]`, [`Plan`]); empty
    /// for most files.
    pub plans: Vec<Plan>,
    /// What happens when during the talks (`[[events]]`, [`Event`]), in
    /// the order they happen; empty for most files.
    pub events: Vec<Event>,
    /// How dated events map onto negotiation rounds (`[calendar]`).
    pub calendar: Option<Calendar>,
    /// The kinds an actor may be, each with its prior (`[[types]]`,
    /// [`ActorType`]), grouped by actor in file order; empty for most files.
    pub types: Vec<ActorType>,
    /// Costs third parties attach to outcomes for others (`[[pressures]]`,
    /// [`Pressure`]); empty for most files.
    pub pressures: Vec<Pressure>,
    /// What parties may say in public during the talks (`[[statements]]`,
    /// [`Statement`]): made by the events that list them, or during
    /// simulated talks; empty for most files.
    pub statements: Vec<Statement>,
}

/// One kind an actor may be (`[[types]]`): the actor as written with some
/// judgements replaced, and the prior probability that it is of this kind.
/// An actor with types is exactly one of them; which one, nobody in the
/// scenario knows for sure (`docs/analysis.md`, "Uncertain types").
#[derive(Clone, Debug, PartialEq)]
pub struct ActorType {
    /// The actor (index) this is a type of.
    pub actor: usize,
    /// Unique among the actor's types.
    pub name: String,
    /// Prior probability in `[0, 1]`; an actor's priors sum to 1.
    pub prior: f64,
    /// The reservation of this type, if it differs from the actor's.
    pub reservation: Option<Reservation>,
    /// Stances of this type, each complete (merged with the actor's on
    /// load); they replace the actor's.
    pub stances: Vec<Stance>,
    /// Constraints (indices) of the actor that this type does not insist on.
    pub dropped_constraints: Vec<usize>,
    /// Longer free text.
    pub description: Option<String>,
    /// Citation or reasoning.
    pub source: Option<String>,
}

/// Pressure short of a veto (`[[pressures]]`): actor `by` makes actor `on`
/// pay `cost` (in `on`'s utility) on every outcome where `rule` holds, such
/// as secondary sanctions when sanctions are lifted. With `scaled`, the
/// cost is multiplied by `by`'s capability relative to the most capable
/// actor's. The target's utility is lowered by the costs that apply and
/// clamped at 0 ([`Scenario::pressure_cost`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Pressure {
    /// Unique label, so analyses can say which pressure removes a deal.
    pub label: String,
    /// The actor (index) who applies it.
    pub by: usize,
    /// The actor (index) who pays.
    pub on: usize,
    /// Where it applies, as written.
    pub rule_text: String,
    /// Where it applies, resolved.
    pub rule: Expr,
    /// Utility lost where the rule holds, in `[0, 1]`, before scaling.
    pub cost: f64,
    /// Whether the cost is scaled by `by`'s relative capability.
    pub scaled: bool,
    /// Longer free text.
    pub description: Option<String>,
    /// Citation or reasoning.
    pub source: Option<String>,
}

/// A staged agreement: the issues negotiated in ordered phases, what a
/// phase settles carried out before the next is negotiated
/// (`docs/analysis.md`, "Staged agreements").
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Unique among the plans.
    pub name: String,
    /// Issue indices per phase, in order; every issue is in exactly one
    /// phase (issues the file leaves out join the last phase).
    pub phases: Vec<Vec<usize>>,
    /// One per phase after the first: the probability that the promise of
    /// that phase (its predicted agreement) is honoured, each in `[0, 1]`.
    pub commitments: Vec<f64>,
    /// Longer free text.
    pub description: Option<String>,
    /// Citation or reasoning.
    pub source: Option<String>,
}

/// One uncertain judgement: a number of the scenario and the range it may
/// take (an `[[uncertain]]` table).
#[derive(Clone, Debug, PartialEq)]
pub struct Uncertain {
    /// The number, resolved.
    pub param: Param,
    /// Lowest value, inside the number's domain.
    pub low: f64,
    /// Highest value, above `low`, inside the number's domain.
    pub high: f64,
    /// How values spread over the range.
    pub distribution: Distribution,
    /// Why this range.
    pub source: Option<String>,
}

/// How an uncertain judgement's values spread over its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distribution {
    /// Every value of the range equally likely.
    Uniform,
    /// Triangular, its mode the file's value.
    Triangular,
}

impl Distribution {
    /// Names as written in files.
    pub const NAMES: &'static [&'static str] = &["uniform", "triangular"];

    /// `"uniform"` or `"triangular"`.
    pub fn name(self) -> &'static str {
        match self {
            Distribution::Uniform => "uniform",
            Distribution::Triangular => "triangular",
        }
    }

    /// The value at quantile `u` (in 0–1) of the range `low..high`, with
    /// `mode` for triangular (inverse distribution function).
    pub fn quantile(self, u: f64, low: f64, high: f64, mode: f64) -> f64 {
        let width = high - low;
        match self {
            Distribution::Uniform => low + u * width,
            Distribution::Triangular => {
                let mode = mode.clamp(low, high);
                let at_mode = if width > 0.0 { (mode - low) / width } else { 0.0 };
                if u < at_mode {
                    low + (u * width * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * width * (high - mode)).sqrt()
                }
            }
        }
    }
}

/// One dimension of the deal.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    /// Identifier used in stances and rules.
    pub id: String,
    /// Human-readable name.
    pub name: Option<String>,
    /// Longer free text.
    pub description: Option<String>,
    /// Citation or reasoning behind the issue.
    pub source: Option<String>,
    /// The values the issue can take.
    pub domain: Domain,
    /// When the issue applies only while a rule holds (`when`/`otherwise`);
    /// `None` for an issue that always applies.
    pub condition: Option<Condition>,
}

/// A structural rule of the outcome space: the issue is negotiated only
/// while `rule` holds, and takes `otherwise` when it does not ("territory
/// settled inside the treaty" means nothing without a treaty). Outcomes
/// that differ only in a moot issue are one outcome: analyses keep the one
/// with `otherwise`. The rule belongs to no actor, so it is never a blocker,
/// never dropped and never broken by an offer.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The rule as written.
    pub rule_text: String,
    /// The rule, resolved against the issues.
    pub rule: Expr,
    /// The value the issue takes while the rule does not hold.
    pub otherwise: Value,
}

/// A utility term that depends on several issues at once: `value` is added
/// to an additive actor's utility of every outcome where `rule` holds
/// ("recognition costs Tokyo more when no island is returned"). The sum is
/// then clamped to `[0, 1]`. See `docs/scenario-format.md`, "Interactions",
/// for why a rule rather than GENIUS's hyper-rectangles.
#[derive(Clone, Debug, PartialEq)]
pub struct Interaction {
    /// Unique among the actor's interactions; names the term in `--set`
    /// paths (`ACTOR.interaction.LABEL`).
    pub label: String,
    /// The rule as written.
    pub rule_text: String,
    /// The rule, resolved against the issues.
    pub rule: Expr,
    /// What the term adds (negative: subtracts), in utility units, in
    /// `[-1, 1]`.
    pub value: f64,
    /// Citation or reasoning.
    pub source: Option<String>,
    /// Whose term it is: the actor's own (written in the file, first), or
    /// one made on load for a pressure on the actor or a public statement
    /// it made, kept in step by [`Scenario::refresh_pressures`] and never
    /// written back as an interaction.
    pub origin: Origin,
}

/// Where an interaction term comes from ([`Interaction::origin`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Written in the file as the actor's own term.
    Own,
    /// The cost of pressure `k` (index into [`Scenario::pressures`]).
    Pressure(usize),
    /// The audience cost of statement `k` (index into
    /// [`Scenario::statements`]), once the actor has made it.
    Statement(usize),
}

impl Interaction {
    /// Whether the term is the actor's own, written in the file.
    pub fn is_own(&self) -> bool {
        self.origin == Origin::Own
    }
}

/// The values an issue can take.
#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    /// Labelled options; `ordered` options lie on a line in file order.
    Discrete {
        /// Option labels, unique.
        options: Vec<String>,
        /// Whether distances follow the option order.
        ordered: bool,
    },
    /// Whole numbers from `min` to `max` inclusive.
    Integer {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
        /// Unit of measure, for display.
        unit: Option<String>,
    },
    /// Real numbers from `min` to `max` inclusive.
    Continuous {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
        /// Unit of measure, for display.
        unit: Option<String>,
    },
}

impl Domain {
    /// `"discrete"`, `"integer"` or `"continuous"`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Domain::Discrete { .. } => "discrete",
            Domain::Integer { .. } => "integer",
            Domain::Continuous { .. } => "continuous",
        }
    }

    /// Normalised distance in `[0, 1]` between two values of this domain.
    pub fn distance(&self, a: &Value, b: &Value) -> f64 {
        let span = self.span();
        if span <= 0.0 {
            return 0.0;
        }
        (self.raw_distance(a, b) / span).min(1.0)
    }

    /// Distance in the issue's own units (option steps for ordered options;
    /// 0 or 1 for unordered ones).
    pub fn raw_distance(&self, a: &Value, b: &Value) -> f64 {
        match self {
            Domain::Discrete { ordered: false, .. } => {
                if a == b {
                    0.0
                } else {
                    1.0
                }
            }
            _ => (a.as_f64() - b.as_f64()).abs(),
        }
    }

    /// Largest raw distance between two values.
    pub fn span(&self) -> f64 {
        match self {
            Domain::Discrete { options, ordered: true } => options.len().saturating_sub(1) as f64,
            Domain::Discrete { ordered: false, .. } => 1.0,
            Domain::Integer { min, max, .. } => (*max as f64) - (*min as f64),
            Domain::Continuous { min, max, .. } => max - min,
        }
    }

    /// Whether `value` belongs to this domain.
    pub fn contains(&self, value: &Value) -> bool {
        match (self, value) {
            (Domain::Discrete { options, .. }, Value::Option(i)) => *i < options.len(),
            (Domain::Integer { min, max, .. }, Value::Int(v)) => min <= v && v <= max,
            (Domain::Continuous { min, max, .. }, Value::Real(v)) => *min <= *v && *v <= *max,
            _ => false,
        }
    }

    /// Formats a value of this domain for people (option label or number).
    pub fn display(&self, value: &Value) -> String {
        match (self, value) {
            (Domain::Discrete { options, .. }, Value::Option(i)) => {
                options.get(*i).cloned().unwrap_or_else(|| format!("#{i}"))
            }
            (_, Value::Int(v)) => v.to_string(),
            (_, Value::Real(v)) => v.to_string(),
            (_, Value::Option(i)) => format!("#{i}"),
        }
    }
}

/// One issue's value in an outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// Index of an option of a discrete issue.
    Option(usize),
    /// A value of an integer issue.
    Int(i64),
    /// A value of a continuous issue.
    Real(f64),
}

impl Value {
    /// The value on a number line (option index for options).
    pub fn as_f64(&self) -> f64 {
        match *self {
            Value::Option(i) => i as f64,
            Value::Int(v) => v as f64,
            Value::Real(v) => v,
        }
    }
}

/// One value for every issue, in the scenario's issue order.
pub type Outcome = Vec<Value>;

/// What part an actor plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Negotiates; its acceptance is required.
    Party,
    /// A domestic actor whose acceptance a party needs (two-level game).
    Ratifier,
    /// Outside the table but with leverage.
    ThirdParty,
    /// Anyone else with preferences (observers, interest groups).
    Other,
}

impl Role {
    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Party => "party",
            Role::Ratifier => "ratifier",
            Role::ThirdParty => "third-party",
            Role::Other => "other",
        }
    }
    /// Every role, in file spelling.
    pub const ALL: [Role; 4] = [Role::Party, Role::Ratifier, Role::ThirdParty, Role::Other];
}

/// The utility an actor gets if nothing is agreed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reservation {
    /// A utility in `[0, 1]`.
    Value(f64),
    /// The actor's utility of the scenario's status quo.
    StatusQuo,
}

/// An actor: a party with preferences.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    /// Identifier.
    pub id: String,
    /// Human-readable name.
    pub name: Option<String>,
    /// Longer free text.
    pub description: Option<String>,
    /// Citation or reasoning.
    pub source: Option<String>,
    /// Part it plays.
    pub role: Role,
    /// Power to affect the outcome (≥ 0).
    pub capability: f64,
    /// Utility of no agreement.
    pub reservation: Reservation,
    /// Actors (indices) whose acceptance this actor needs.
    pub ratifiers: Vec<usize>,
    /// Issues (indices) this actor can veto any change to.
    pub vetoes: Vec<usize>,
    /// Whether saliences are divided by their sum to form weights.
    pub normalize: bool,
    /// Per-issue preferences, in file order (empty for a rectangles model).
    pub stances: Vec<Stance>,
    /// Discount factor `d` in `(0, 1]`: an agreement reached at normalised
    /// time `t` of a negotiation is worth `U · d^t` (GENIUS
    /// `<discount_factor>`); 1 means no discounting.
    pub discount: f64,
    /// How utilities are computed: from the stances, or from rectangles.
    pub utility_model: UtilityModel,
    /// Terms added to an additive utility where their rules hold (empty for
    /// most actors, and always for a rectangles model).
    pub interactions: Vec<Interaction>,
    /// The event (index into [`Scenario::events`]) at which this party
    /// walks away if nothing is agreed by then; its time-dependent
    /// concession runs against it.
    pub deadline: Option<usize>,
}

/// How an actor's utility of an outcome is computed.
#[derive(Clone, Debug, PartialEq)]
pub enum UtilityModel {
    /// The weighted sum of the stances' values (linear-additive).
    Additive,
    /// Hyper-rectangle utilities (GENIUS non-linear profiles); the actor has
    /// no stances.
    Rectangles(RectangleUtility),
}

/// A non-linear utility: the utilities of the rectangles that contain an
/// outcome, summed and divided by `max_utility`, capped at 1 (as GENIUS's
/// `NonlinearUtilitySpace.getUtility` does).
#[derive(Clone, Debug, PartialEq)]
pub struct RectangleUtility {
    /// The normaliser (GENIUS `maxutility`), above 0.
    pub max_utility: f64,
    /// The rectangles, in file order.
    pub rectangles: Vec<Rectangle>,
}

/// A region of the outcome space that adds `utility` to every outcome in it
/// (or, when `exclude` is set, to every outcome outside it).
#[derive(Clone, Debug, PartialEq)]
pub struct Rectangle {
    /// What a credited outcome gets (before division by `max_utility`).
    pub utility: f64,
    /// One range per constrained issue; an issue without a bound is free, and a
    /// rectangle with no bounds contains every outcome.
    pub bounds: Vec<Bound>,
    /// Credit the outcomes outside the rectangle instead (GENIUS
    /// `<EXCLUDES>`, `ExclusiveHyperRectangle`).
    pub exclude: bool,
}

/// An inclusive range `min ≤ x ≤ max` on one numeric issue.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// Issue index (an integer or continuous issue).
    pub issue: usize,
    /// Smallest value inside.
    pub min: f64,
    /// Largest value inside.
    pub max: f64,
}

impl Rectangle {
    /// Whether `outcome` lies inside (bounds are inclusive at both ends, as in
    /// GENIUS's `InclusiveHyperRectangle`).
    pub fn contains(&self, outcome: &[Value]) -> bool {
        self.bounds.iter().all(|b| {
            let x = outcome[b.issue].as_f64();
            b.min <= x && x <= b.max
        })
    }

    /// Whether `outcome` gets this rectangle's utility: it lies inside, or
    /// outside for an exclusion rectangle.
    pub fn credits(&self, outcome: &[Value]) -> bool {
        self.contains(outcome) != self.exclude
    }
}

impl RectangleUtility {
    /// `min(1, Σ utility of the rectangles crediting outcome / max_utility)`.
    pub fn utility(&self, outcome: &[Value]) -> f64 {
        let sum = self.rectangles.iter().filter(|r| r.credits(outcome)).fold(0.0, |acc, r| acc + r.utility);
        (sum / self.max_utility).min(1.0)
    }
}

/// An actor's preference on one issue.
#[derive(Clone, Debug, PartialEq)]
pub struct Stance {
    /// Issue index.
    pub issue: usize,
    /// How much the actor cares (0–1).
    pub salience: f64,
    /// How values of the issue map to `[0, 1]`.
    pub value: ValueFunction,
    /// Citation or reasoning.
    pub source: Option<String>,
}

/// Maps an issue's values to `[0, 1]`.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueFunction {
    /// `1 − d(x, position)`, distance normalised by the issue's span.
    Linear {
        /// Ideal point.
        position: Value,
    },
    /// `1 − d(x, position)²`.
    Quadratic {
        /// Ideal point.
        position: Value,
    },
    /// 1 within `tolerance` (issue units) of the position, else 0.
    Step {
        /// Ideal point.
        position: Value,
        /// Accepted raw distance.
        tolerance: f64,
    },
    /// An explicit value per option of a discrete issue.
    Table {
        /// One value per option, in option order.
        values: Vec<f64>,
    },
    /// `offset + slope · (x − issue min)` on an integer or continuous issue,
    /// clamped to `[0, 1]`: GENIUS's linear integer evaluator.
    Affine {
        /// Change in value per unit of the issue.
        slope: f64,
        /// Value at the issue's minimum.
        offset: f64,
    },
}

impl ValueFunction {
    /// The ideal point, when the function has one.
    pub fn position(&self) -> Option<Value> {
        match self {
            ValueFunction::Linear { position }
            | ValueFunction::Quadratic { position }
            | ValueFunction::Step { position, .. } => Some(*position),
            ValueFunction::Table { .. } | ValueFunction::Affine { .. } => None,
        }
    }

    /// Moves the ideal point of a shape that has one; tables and affine
    /// functions are left as they are.
    pub fn set_position(&mut self, value: Value) {
        match self {
            ValueFunction::Linear { position }
            | ValueFunction::Quadratic { position }
            | ValueFunction::Step { position, .. } => *position = value,
            ValueFunction::Table { .. } | ValueFunction::Affine { .. } => {}
        }
    }

    /// `"linear"`, `"quadratic"`, `"step"`, `"table"` or `"affine"`.
    pub fn shape_name(&self) -> &'static str {
        match self {
            ValueFunction::Linear { .. } => "linear",
            ValueFunction::Quadratic { .. } => "quadratic",
            ValueFunction::Step { .. } => "step",
            ValueFunction::Table { .. } => "table",
            ValueFunction::Affine { .. } => "affine",
        }
    }

    /// The value of `x` on `domain`.
    pub fn eval(&self, domain: &Domain, x: &Value) -> f64 {
        match self {
            ValueFunction::Linear { position } => 1.0 - domain.distance(x, position),
            ValueFunction::Quadratic { position } => {
                let d = domain.distance(x, position);
                1.0 - d * d
            }
            ValueFunction::Step { position, tolerance } => {
                if domain.raw_distance(x, position) <= *tolerance {
                    1.0
                } else {
                    0.0
                }
            }
            ValueFunction::Table { values } => match x {
                Value::Option(i) => values.get(*i).copied().unwrap_or(0.0),
                _ => 0.0,
            },
            ValueFunction::Affine { slope, offset } => {
                // The distance from the minimum is computed exactly (integer
                // subtraction, as GENIUS does) before it becomes a float.
                let from_min = match (domain, x) {
                    (Domain::Integer { min, .. }, Value::Int(v)) => (i128::from(*v) - i128::from(*min)) as f64,
                    (Domain::Continuous { min, .. }, Value::Real(v)) => v - min,
                    _ => return 0.0,
                };
                (offset + slope * from_min).clamp(0.0, 1.0)
            }
        }
    }
}

impl Actor {
    /// The weight of each stance, in stance order.
    pub fn weights(&self) -> Vec<f64> {
        let total: f64 = self.stances.iter().map(|s| s.salience).sum();
        self.stances
            .iter()
            .map(|s| if self.normalize && total > 0.0 { s.salience / total } else { s.salience })
            .collect()
    }

    /// Utility of `outcome` (one value per issue of `issues`).
    pub fn utility(&self, issues: &[Issue], outcome: &[Value]) -> f64 {
        match &self.utility_model {
            // Capped at 1 as GENIUS caps it: only weights summing to more
            // than 1 (`normalize = false`) can reach past it.
            UtilityModel::Additive => {
                let sum = self
                    .weights()
                    .iter()
                    .zip(&self.stances)
                    .map(|(w, s)| w * s.value.eval(&issues[s.issue].domain, &outcome[s.issue]))
                    .sum::<f64>();
                interact(sum, &self.interactions, outcome)
            }
            UtilityModel::Rectangles(r) => r.utility(outcome),
        }
    }

    /// Whether the utility is the weighted sum of per-issue values alone
    /// (additive, no interaction terms): what the issue-by-issue methods
    /// need.
    pub fn is_linear_additive(&self) -> bool {
        matches!(self.utility_model, UtilityModel::Additive) && self.interactions.is_empty()
    }

    /// The stance on issue `issue`, if the actor has one.
    pub fn stance(&self, issue: usize) -> Option<&Stance> {
        self.stances.iter().find(|s| s.issue == issue)
    }

    /// The name to show: `name`, else `id`.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// An additive sum `sum` with the interaction terms whose rules hold on
/// `outcome` added in file order, clamped to `[0, 1]`; without terms, the
/// sum capped at 1 (the same bits as before terms existed).
pub fn interact(sum: f64, interactions: &[Interaction], outcome: &[Value]) -> f64 {
    if interactions.is_empty() {
        return sum.min(1.0);
    }
    let total = interactions.iter().filter(|t| t.rule.holds(outcome)).fold(sum, |acc, t| acc + t.value);
    total.clamp(0.0, 1.0)
}

/// A rule owned by an actor that outcomes must satisfy.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// Unique label, so analyses can say which constraint blocks a deal.
    pub label: String,
    /// Actor index.
    pub owner: usize,
    /// The rule as written.
    pub rule_text: String,
    /// The rule, resolved against the issues.
    pub rule: Expr,
    /// Longer free text.
    pub description: Option<String>,
    /// Citation or reasoning.
    pub source: Option<String>,
}

impl Constraint {
    /// Red line, precondition, linkage or requirement, from the rule's form.
    pub fn kind(&self) -> ConstraintKind {
        self.rule.kind()
    }
    /// Whether `outcome` satisfies the constraint.
    pub fn allows(&self, outcome: &[Value]) -> bool {
        self.rule.holds(outcome)
    }
}

/// What one actor believes about another.
#[derive(Clone, Debug, PartialEq)]
pub struct Belief {
    /// Actor index of the believer.
    pub holder: usize,
    /// Actor index of the one believed about.
    pub about: usize,
    /// Believed reservation value, if it differs.
    pub reservation: Option<Reservation>,
    /// Believed stances, each complete (merged with the true stance on load).
    pub stances: Vec<Stance>,
    /// Constraints (indices) of `about` that `holder` believes will not be insisted on.
    pub dropped_constraints: Vec<usize>,
    /// The holder's own probabilities of `about`'s types (indices into
    /// [`Scenario::types`], each of `about`), when they differ from the
    /// priors; types left out have probability 0. Empty: the priors.
    pub types: Vec<(usize, f64)>,
    /// Citation or reasoning.
    pub source: Option<String>,
}

impl Scenario {
    /// Index of the issue with id `id`.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
    }
    /// Index of the actor with id `id`.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }
    /// Index of the constraint labelled `label`.
    pub fn constraint_index(&self, label: &str) -> Option<usize> {
        self.constraints.iter().position(|c| c.label == label)
    }

    /// The reservation utility of actor `actor` (resolving `status-quo`).
    pub fn reservation_value(&self, actor: usize) -> f64 {
        let a = &self.actors[actor];
        match a.reservation {
            Reservation::Value(v) => v,
            Reservation::StatusQuo => match &self.status_quo {
                Some(sq) => a.utility(&self.issues, sq),
                None => 0.0,
            },
        }
    }

    /// Actor `about` as `holder` believes it to be: believed stances replace
    /// true ones, a believed reservation replaces the true one.
    pub fn perceived_actor(&self, holder: usize, about: usize) -> Actor {
        let mut actor = self.actors[about].clone();
        for belief in self.beliefs.iter().filter(|b| b.holder == holder && b.about == about) {
            if let Some(r) = belief.reservation {
                actor.reservation = r;
            }
            for stance in &belief.stances {
                match actor.stances.iter_mut().find(|s| s.issue == stance.issue) {
                    Some(s) => *s = stance.clone(),
                    None => actor.stances.push(stance.clone()),
                }
            }
        }
        actor
    }

    /// Pressure `k`'s cost as its target pays it: the cost, times `by`'s
    /// capability over the largest capability when `scaled`.
    pub fn pressure_cost(&self, k: usize) -> f64 {
        let p = &self.pressures[k];
        if !p.scaled {
            return p.cost;
        }
        let max = self.actors.iter().map(|a| a.capability).fold(0.0, f64::max);
        if max > 0.0 {
            p.cost * self.actors[p.by].capability / max
        } else {
            0.0
        }
    }

    /// Rebuilds the terms through which pressures and audience costs reach
    /// actors (after a capability changed, pressures were added or
    /// statements made): each actor keeps its own interaction terms,
    /// followed by one term of value `-cost` per pressure on it, then one
    /// per statement it has made with an audience cost.
    pub fn refresh_pressures(&mut self) {
        for a in &mut self.actors {
            a.interactions.retain(Interaction::is_own);
        }
        for k in 0..self.pressures.len() {
            let cost = self.pressure_cost(k);
            let p = &self.pressures[k];
            let term = Interaction {
                label: p.label.clone(),
                rule_text: p.rule_text.clone(),
                rule: p.rule.clone(),
                value: -cost,
                source: None,
                origin: Origin::Pressure(k),
            };
            self.actors[p.on].interactions.push(term);
        }
        self.add_audience_costs();
    }

    /// The scenario without pressure `k` (its term removed from the
    /// target's utility): what the pressure changes is the difference.
    pub fn without_pressure(&self, k: usize) -> Scenario {
        let mut s = self.clone();
        s.pressures.remove(k);
        s.refresh_pressures();
        s
    }

    /// The types (indices into [`Scenario::types`]) of actor `actor`, in
    /// file order; empty for an actor without types.
    pub fn types_of(&self, actor: usize) -> Vec<usize> {
        (0..self.types.len()).filter(|&t| self.types[t].actor == actor).collect()
    }

    /// The actors that have types, in actor order.
    pub fn typed_actors(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self.types.iter().map(|t| t.actor).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The scenario in which each actor with types is of the type given
    /// (indices into [`Scenario::types`], one per typed actor, in any
    /// order): its reservation and stances replaced, the constraints the
    /// type does not insist on dropped. The result has no types and its
    /// beliefs no type probabilities: it is one profile, fully known.
    pub fn with_types(&self, profile: &[usize]) -> Scenario {
        let mut s = self.clone();
        let mut drops = Vec::new();
        for &t in profile {
            let ty = &self.types[t];
            let actor = &mut s.actors[ty.actor];
            if let Some(r) = ty.reservation {
                actor.reservation = r;
            }
            for stance in &ty.stances {
                match actor.stances.iter_mut().find(|x| x.issue == stance.issue) {
                    Some(x) => *x = stance.clone(),
                    None => actor.stances.push(stance.clone()),
                }
            }
            drops.extend(ty.dropped_constraints.iter().map(|&c| crate::whatif::Edit::Drop(c)));
        }
        let mut s = crate::whatif::apply(&s, &drops);
        s.types.clear();
        for b in &mut s.beliefs {
            b.types.clear();
        }
        s
    }

    /// Whether some issue of `outcome` is moot yet not at its `otherwise`
    /// value: such an outcome is a duplicate of the one with the value
    /// replaced, and analyses skip it ([`Condition`]).
    pub fn is_moot(&self, outcome: &[Value]) -> bool {
        self.issues.iter().enumerate().any(|(i, issue)| {
            issue.condition.as_ref().is_some_and(|c| outcome[i] != c.otherwise && !c.rule.holds(outcome))
        })
    }

    /// Whether any issue applies only under a condition.
    pub fn has_conditions(&self) -> bool {
        self.issues.iter().any(|i| i.condition.is_some())
    }

    /// Sets every moot issue of `outcome` to its `otherwise` value, so the
    /// result is an outcome analyses keep; returns the issues changed.
    /// Conditions may depend on other conditional issues (never in a
    /// cycle: the reader refuses one), so this repeats until nothing moves.
    pub fn settle_moot(&self, outcome: &mut [Value]) -> Vec<usize> {
        let mut changed = Vec::new();
        for _ in 0..=self.issues.len() {
            let mut moved = false;
            for (i, issue) in self.issues.iter().enumerate() {
                if let Some(c) = &issue.condition {
                    if outcome[i] != c.otherwise && !c.rule.holds(outcome) {
                        outcome[i] = c.otherwise;
                        moved = true;
                        if !changed.contains(&i) {
                            changed.push(i);
                        }
                    }
                }
            }
            if !moved {
                break;
            }
        }
        changed.sort_unstable();
        changed
    }

    /// Indices of actors whose role is [`Role::Party`].
    pub fn parties(&self) -> Vec<usize> {
        (0..self.actors.len()).filter(|&i| self.actors[i].role == Role::Party).collect()
    }

    /// Number of outcomes, when every issue is discrete or integer
    /// (`None` for continuous issues); saturates at `u128::MAX`.
    pub fn outcome_count(&self) -> Option<u128> {
        let mut n: u128 = 1;
        for issue in &self.issues {
            let k: u128 = match &issue.domain {
                Domain::Discrete { options, .. } => options.len() as u128,
                Domain::Integer { min, max, .. } => ((*max as i128) - (*min as i128) + 1) as u128,
                Domain::Continuous { .. } => return None,
            };
            n = n.saturating_mul(k);
        }
        Some(n)
    }

    /// The exact number of outcomes in decimal digits, when every issue is
    /// discrete or integer (`None` for continuous issues); unlike
    /// [`Scenario::outcome_count`] it never saturates.
    pub fn outcome_count_decimal(&self) -> Option<String> {
        let sizes = self
            .issues
            .iter()
            .map(|issue| match &issue.domain {
                Domain::Discrete { options, .. } => Some(options.len() as u128),
                Domain::Integer { min, max, .. } => Some((i128::from(*max) - i128::from(*min) + 1) as u128),
                Domain::Continuous { .. } => None,
            })
            .collect::<Option<Vec<u128>>>()?;
        Some(crate::analysis::space::exact_count(&sizes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_quantiles() {
        // Uniform on 2–4: the median is 3. Triangular on 0–1 with mode 0.5:
        // F(x) = 2x² below the mode, so u = 0.125 gives 0.25, u = 0.5 the
        // mode, and by symmetry u = 0.875 gives 0.75; a mode at the low end
        // gives 1 − √(1 − u).
        assert_eq!(Distribution::Uniform.quantile(0.5, 2.0, 4.0, 9.0), 3.0);
        let t = |u, mode| Distribution::Triangular.quantile(u, 0.0, 1.0, mode);
        assert_eq!(t(0.125, 0.5), 0.25);
        assert_eq!(t(0.5, 0.5), 0.5);
        assert_eq!(t(0.875, 0.5), 0.75);
        assert_eq!(t(0.75, 0.0), 0.5);
        assert_eq!((t(0.0, 0.3), t(1.0, 0.3)), (0.0, 1.0));
    }

    fn ordered(n: usize) -> Domain {
        Domain::Discrete { options: (0..n).map(|i| format!("o{i}")).collect(), ordered: true }
    }

    #[test]
    fn linear_values_on_ordered_options() {
        let d = ordered(5);
        let f = ValueFunction::Linear { position: Value::Option(0) };
        assert_eq!(f.eval(&d, &Value::Option(0)), 1.0);
        assert_eq!(f.eval(&d, &Value::Option(2)), 0.5);
        assert_eq!(f.eval(&d, &Value::Option(4)), 0.0);
    }

    #[test]
    fn unordered_options_are_all_or_nothing() {
        let d = Domain::Discrete { options: vec!["a".into(), "b".into(), "c".into()], ordered: false };
        let f = ValueFunction::Linear { position: Value::Option(1) };
        assert_eq!(f.eval(&d, &Value::Option(1)), 1.0);
        assert_eq!(f.eval(&d, &Value::Option(2)), 0.0);
    }

    #[test]
    fn quadratic_and_step_on_continuous() {
        let d = Domain::Continuous { min: 0.0, max: 10.0, unit: None };
        let q = ValueFunction::Quadratic { position: Value::Real(0.0) };
        assert!((q.eval(&d, &Value::Real(5.0)) - 0.75).abs() < 1e-12);
        let s = ValueFunction::Step { position: Value::Real(5.0), tolerance: 1.0 };
        assert_eq!(s.eval(&d, &Value::Real(6.0)), 1.0);
        assert_eq!(s.eval(&d, &Value::Real(6.5)), 0.0);
    }

    #[test]
    fn utility_is_salience_weighted() {
        let issues = vec![
            Issue { id: "a".into(), name: None, description: None, source: None, domain: ordered(2), condition: None },
            Issue { id: "b".into(), name: None, description: None, source: None, domain: ordered(2), condition: None },
        ];
        let stance = |issue, salience| Stance {
            issue,
            salience,
            value: ValueFunction::Linear { position: Value::Option(1) },
            source: None,
        };
        let mut actor = Actor {
            id: "x".into(),
            name: None,
            description: None,
            source: None,
            role: Role::Party,
            capability: 1.0,
            reservation: Reservation::Value(0.0),
            ratifiers: vec![],
            vetoes: vec![],
            normalize: true,
            stances: vec![stance(0, 0.6), stance(1, 0.2)],
            discount: 1.0,
            utility_model: UtilityModel::Additive,
            interactions: vec![],
            deadline: None,
        };
        // Weights 0.75 and 0.25.
        assert!((actor.utility(&issues, &[Value::Option(1), Value::Option(0)]) - 0.75).abs() < 1e-12);
        actor.normalize = false;
        assert!((actor.utility(&issues, &[Value::Option(1), Value::Option(0)]) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn affine_measures_from_the_minimum_and_clamps() {
        // GENIUS: offset + slope · (v − lowerbound), then clamped to [0, 1].
        let d = Domain::Integer { min: 8, max: 14, unit: None };
        let f = ValueFunction::Affine { slope: -0.15, offset: 1.0 };
        assert_eq!(f.eval(&d, &Value::Int(8)), 1.0);
        assert_eq!(f.eval(&d, &Value::Int(10)), 1.0 + -0.15 * 2.0);
        let steep = ValueFunction::Affine { slope: 0.5, offset: 0.2 };
        assert_eq!(steep.eval(&d, &Value::Int(14)), 1.0);
        let c = Domain::Continuous { min: -1.0, max: 1.0, unit: None };
        assert_eq!(ValueFunction::Affine { slope: 0.25, offset: 0.5 }.eval(&c, &Value::Real(1.0)), 1.0);
        assert_eq!(ValueFunction::Affine { slope: -1.0, offset: 0.5 }.eval(&c, &Value::Real(1.0)), 0.0);
    }

    #[test]
    fn rectangles_are_inclusive_and_capped() {
        let r = RectangleUtility {
            max_utility: 10.0,
            rectangles: vec![
                Rectangle { utility: 6.0, bounds: vec![Bound { issue: 0, min: 2.0, max: 4.0 }], exclude: false },
                Rectangle {
                    utility: 3.0,
                    bounds: vec![Bound { issue: 0, min: 4.0, max: 9.0 }, Bound { issue: 1, min: 0.0, max: 0.0 }],
                    exclude: false,
                },
                Rectangle { utility: 1.0, bounds: vec![], exclude: false },
            ],
        };
        assert_eq!(r.utility(&[Value::Int(4), Value::Int(0)]), 1.0);
        assert_eq!(r.utility(&[Value::Int(2), Value::Int(5)]), 0.7);
        assert_eq!(r.utility(&[Value::Int(9), Value::Int(0)]), 0.4);
        assert_eq!(r.utility(&[Value::Int(1), Value::Int(1)]), 0.1);
        let capped = RectangleUtility { max_utility: 5.0, ..r.clone() };
        assert_eq!(capped.utility(&[Value::Int(4), Value::Int(0)]), 1.0);
        // GENIUS ExclusiveHyperRectangle: credited when some bound is violated.
        let mut outside = r;
        outside.rectangles[1].exclude = true;
        assert_eq!(outside.utility(&[Value::Int(4), Value::Int(0)]), 0.7);
        assert_eq!(outside.utility(&[Value::Int(4), Value::Int(1)]), 1.0);
    }
}
