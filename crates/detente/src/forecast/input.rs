//! The data a forecast model reads: per actor a position, a salience and a
//! capability on one issue (or on several dimensions), built fallibly from a
//! scenario, a stakeholder table or a DEU case.
//!
//! Building never panics and never stops at the first problem: it returns
//! the input (when one could be built) and a [`Diagnostic`] for every
//! problem, with these codes (catalogued in `docs/diagnostics.md`):
//!
//! - `forecast::unordered` (error): the issue has three or more unordered
//!   options, so positions do not lie on a line (two options always do: the
//!   forecast is then on 0–1, between the first and the second option);
//! - `forecast::no-position` (warning): an actor's stance has no ideal point
//!   (a value table, an affine function), or a multi-dimensional input lacks
//!   the actor on some dimension; the actor is left out;
//! - `forecast::no-actors` (error): no actor has a position;
//! - `forecast::zero-weight` (warning): every actor's capability × salience
//!   is 0; models then weigh actors equally ([`ForecastInput::weights`]).
//!
//! An actor without a stance on the issue simply takes no part: in a
//! multi-issue scenario most actors care about some issues only.

use std::fmt;

use crate::diagnostic::Diagnostic;
use crate::format::deu::DeuCase;
use crate::format::tables::StakeholderTable;
use crate::scenario::{Domain, Scenario, Value, ValueFunction};

/// One forecast's data: actors with position, salience and capability on
/// each dimension.
///
/// The invariants are checked when it is built and cannot be broken
/// afterwards (fields are read through getters): at least one actor and one
/// dimension; every actor has one finite position, a salience in `[0, 1]`
/// and a finite capability ≥ 0 per dimension; every scale has
/// `min ≤ max`. Models index without checking.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastInput {
    pub(crate) name: String,
    pub(crate) dimensions: Vec<Dimension>,
    pub(crate) actors: Vec<InputActor>,
}

/// One dimension (issue) of a forecast.
#[derive(Clone, Debug, PartialEq)]
pub struct Dimension {
    /// The issue's id.
    pub id: String,
    /// The issue's display name, when it has one.
    pub name: Option<String>,
    /// The low end of the scale (for ordered options, 0).
    pub min: f64,
    /// The high end of the scale (for ordered options, the last index).
    pub max: f64,
    /// The status quo on the scale, when known.
    pub status_quo: Option<f64>,
}

/// One actor's data on every dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct InputActor {
    /// The actor's id.
    pub id: String,
    /// The actor's display name, when it has one.
    pub name: Option<String>,
    /// Ideal point per dimension, on the dimension's scale.
    pub position: Vec<f64>,
    /// Salience per dimension, 0–1.
    pub salience: Vec<f64>,
    /// Capability per dimension (a table may give a power per issue), ≥ 0,
    /// on any scale: every model uses capabilities relative to each other.
    pub capability: Vec<f64>,
}

/// A data error in [`ForecastInput::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// The result of building an input: the input when there were no errors,
/// and every diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct BuiltInput {
    /// The input, when there were no errors (warnings allowed).
    pub input: Option<ForecastInput>,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl ForecastInput {
    /// An input from plain data, checking the invariants (see the type).
    pub fn new(
        name: impl Into<String>,
        dimensions: Vec<Dimension>,
        actors: Vec<InputActor>,
    ) -> Result<Self, InputError> {
        let err = |m: String| Err(InputError(m));
        if dimensions.is_empty() {
            return err("a forecast needs at least one dimension".into());
        }
        if actors.is_empty() {
            return err("a forecast needs at least one actor".into());
        }
        for d in &dimensions {
            if !(d.min.is_finite() && d.max.is_finite() && d.min <= d.max) {
                return err(format!("dimension `{}` has no valid scale ({} to {})", d.id, d.min, d.max));
            }
            if d.status_quo.is_some_and(|q| !q.is_finite()) {
                return err(format!("dimension `{}` has a status quo that is not a number", d.id));
            }
        }
        let n = dimensions.len();
        for a in &actors {
            if a.position.len() != n || a.salience.len() != n || a.capability.len() != n {
                return err(format!("actor `{}` needs one position, salience and capability per dimension", a.id));
            }
            if a.position.iter().any(|x| !x.is_finite()) {
                return err(format!("actor `{}` has a position that is not a number", a.id));
            }
            if a.salience.iter().any(|s| !(0.0..=1.0).contains(s)) {
                return err(format!("actor `{}` has a salience outside 0–1", a.id));
            }
            if a.capability.iter().any(|c| !(c.is_finite() && *c >= 0.0)) {
                return err(format!("actor `{}` has a capability that is negative or not a number", a.id));
            }
        }
        Ok(ForecastInput { name: name.into(), dimensions, actors })
    }

    /// A one-issue input on the scale `min`–`max` from rows of
    /// `(actor, capability, position, salience)`.
    pub fn one_issue<'a>(
        name: &str,
        min: f64,
        max: f64,
        status_quo: Option<f64>,
        rows: impl IntoIterator<Item = (&'a str, f64, f64, f64)>,
    ) -> Result<Self, InputError> {
        let dimension = Dimension { id: name.to_string(), name: None, min, max, status_quo };
        let actors = rows
            .into_iter()
            .map(|(id, capability, position, salience)| InputActor {
                id: id.to_string(),
                name: None,
                position: vec![position],
                salience: vec![salience],
                capability: vec![capability],
            })
            .collect();
        ForecastInput::new(name, vec![dimension], actors)
    }

    /// The scenario or issue name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dimensions, at least one.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// The actors, at least one.
    pub fn actors(&self) -> &[InputActor] {
        &self.actors
    }

    /// Capability × salience of every actor on dimension `dim`, the weight
    /// of the weighted models. When every product is 0 (no actor cares or
    /// none has capability), every actor weighs 1: the forecast is then the
    /// plain mean, median, … of the positions rather than undefined.
    pub fn weights(&self, dim: usize) -> Vec<f64> {
        let w: Vec<f64> = self.actors.iter().map(|a| a.capability[dim] * a.salience[dim]).collect();
        if w.iter().all(|&x| x <= 0.0) {
            vec![1.0; w.len()]
        } else {
            w
        }
    }

    /// Makes `self` equal to `other`, reusing its allocations when both
    /// have the same shape (Monte Carlo's per-run copy: a derived
    /// `clone_from` would allocate every actor's strings and vectors).
    pub(crate) fn reset_values_from(&mut self, other: &ForecastInput) {
        let same_shape = self.name == other.name
            && self.dimensions == other.dimensions
            && self.actors.len() == other.actors.len()
            && self.actors.iter().zip(&other.actors).all(|(a, b)| {
                a.id == b.id
                    && a.name == b.name
                    && a.position.len() == b.position.len()
                    && a.salience.len() == b.salience.len()
                    && a.capability.len() == b.capability.len()
            });
        if !same_shape {
            self.clone_from(other);
            return;
        }
        for (a, b) in self.actors.iter_mut().zip(&other.actors) {
            a.position.copy_from_slice(&b.position);
            a.salience.copy_from_slice(&b.salience);
            a.capability.copy_from_slice(&b.capability);
        }
    }

    /// The scale's span on dimension `dim` (`max − min`).
    pub fn span(&self, dim: usize) -> f64 {
        self.dimensions[dim].max - self.dimensions[dim].min
    }

    /// A copy with one actor's position, salience and capability on `dim`
    /// replaced, kept valid: the salience is clamped to `[0, 1]`, the
    /// capability to `≥ 0`, and a value that is not finite keeps the old
    /// one. For sensitivity analyses.
    pub fn with_values(&self, actor: usize, dim: usize, position: f64, salience: f64, capability: f64) -> Self {
        let mut out = self.clone();
        out.set_values(actor, dim, position, salience, capability);
        out
    }

    /// In-place form of [`with_values`](Self::with_values).
    pub(crate) fn set_values(&mut self, actor: usize, dim: usize, position: f64, salience: f64, capability: f64) {
        let a = &mut self.actors[actor];
        if position.is_finite() {
            a.position[dim] = position;
        }
        if salience.is_finite() {
            a.salience[dim] = salience.clamp(0.0, 1.0);
        }
        if capability.is_finite() {
            a.capability[dim] = capability.max(0.0);
        }
    }

    /// Builds the input for issue `issue` of `scenario` (one dimension).
    pub fn issue(scenario: &Scenario, issue: usize) -> BuiltInput {
        ForecastInput::from_scenario(scenario, &[issue], None)
    }

    /// Builds the input for issue `issue` of a stakeholder table, with the
    /// table's per-issue power as capability.
    pub fn table_issue(table: &StakeholderTable, issue: usize) -> BuiltInput {
        ForecastInput::from_scenario(&table.scenario, &[issue], Some(&table.power))
    }

    /// Builds a multi-dimensional input over `issues` of `scenario`. An
    /// actor takes part when it has a position on every one of them; one
    /// with positions on some only is left out with a warning.
    /// `power[actor][issue]`, when given, replaces the actor's capability
    /// where it is `Some`.
    pub fn from_scenario(scenario: &Scenario, issues: &[usize], power: Option<&[Vec<Option<f64>>]>) -> BuiltInput {
        ForecastInput::build(scenario, issues, power, Missing::LeaveOut)
    }

    /// Builds a multi-dimensional input over `issues` of `scenario` for the
    /// spatial model. An actor takes part when it has a position on at
    /// least one of the issues. Where it has none (no stance, or a stance
    /// without an ideal point) it is indifferent: salience 0, its own
    /// capability, and as a placeholder the capability × salience weighted
    /// mean of the other actors' positions there (the compromise point), so
    /// that what others make of its proposals does not hinge on an arbitrary
    /// value. The warning `forecast::no-position` says so. KTAB's own tables
    /// give every actor every dimension, and read the same either way.
    pub fn from_scenario_spatial(
        scenario: &Scenario,
        issues: &[usize],
        power: Option<&[Vec<Option<f64>>]>,
    ) -> BuiltInput {
        ForecastInput::build(scenario, issues, power, Missing::Indifferent)
    }

    /// Builds a multi-issue input over `issues` of `scenario` for a model
    /// that reads every issue at once (the exchange model). Unlike
    /// [`from_scenario`](Self::from_scenario), an actor takes part when it
    /// has a position on at least one of the issues: where it has none (no
    /// stance, or a stance without an ideal point, with the warning
    /// `forecast::no-position`), it gets salience 0 and capability 0, so it
    /// weighs nothing there, at the scale's midpoint as a placeholder.
    pub fn from_scenario_sparse(
        scenario: &Scenario,
        issues: &[usize],
        power: Option<&[Vec<Option<f64>>]>,
    ) -> BuiltInput {
        ForecastInput::build(scenario, issues, power, Missing::Weightless)
    }

    fn build(
        scenario: &Scenario,
        issues: &[usize],
        power: Option<&[Vec<Option<f64>>]>,
        missing_rule: Missing,
    ) -> BuiltInput {
        let sparse = missing_rule != Missing::LeaveOut;
        let mut diagnostics = Vec::new();
        let mut dimensions = Vec::new();
        let mut ok = !issues.is_empty();
        if issues.is_empty() {
            diagnostics.push(
                Diagnostic::error("forecast::no-actors", None, "no issue was chosen to forecast")
                    .with_help("name at least one issue"),
            );
        }
        for &i in issues {
            let Some(issue) = scenario.issues.get(i) else {
                ok = false;
                continue;
            };
            let (min, max) = match &issue.domain {
                // Two options are on a line in either order.
                Domain::Discrete { ordered: false, options } if options.len() <= 2 => {
                    (0.0, options.len().saturating_sub(1) as f64)
                }
                Domain::Discrete { ordered: false, .. } => {
                    ok = false;
                    diagnostics.push(
                        Diagnostic::error(
                            "forecast::unordered",
                            None,
                            format!("issue `{}` has three or more unordered options, so its positions do not lie on a line", issue.id),
                        )
                        .with_help("forecast models need ordered options, a number range or a continuous issue; mark the options `ordered = true` if their order means something"),
                    );
                    continue;
                }
                Domain::Discrete { options, .. } => (0.0, options.len().saturating_sub(1) as f64),
                Domain::Integer { min, max, .. } => (*min as f64, *max as f64),
                Domain::Continuous { min, max, .. } => (*min, *max),
            };
            let status_quo = scenario.status_quo.as_ref().and_then(|q| q.get(i)).map(|v| v.as_f64());
            dimensions.push(crate::forecast::input::Dimension {
                id: issue.id.clone(),
                name: issue.name.clone(),
                min,
                max,
                status_quo,
            });
        }
        if !ok {
            return BuiltInput { input: None, diagnostics };
        }
        let mut actors: Vec<InputActor> = Vec::new();
        // Per kept actor, the dimensions where it holds a placeholder.
        let mut gaps: Vec<Vec<usize>> = Vec::new();
        for (k, actor) in scenario.actors.iter().enumerate() {
            let mut position = Vec::new();
            let mut salience = Vec::new();
            let mut capability = Vec::new();
            let mut missing = Vec::new();
            let mut shapeless = Vec::new();
            let mut gap = Vec::new();
            for (d, &i) in issues.iter().enumerate() {
                match actor.stance(i).map(|stance| (stance, ideal_point(scenario, actor, i, &stance.value))) {
                    Some((stance, Some((p, implied)))) => {
                        if implied {
                            diagnostics.push(implied_warning(scenario, actor, i, stance.value.shape_name(), p));
                        }
                        position.push(p.as_f64());
                        salience.push(stance.salience.clamp(0.0, 1.0));
                        let c = power.and_then(|p| p.get(k)).and_then(|row| row.get(i)).copied().flatten();
                        capability.push(c.unwrap_or(actor.capability).max(0.0));
                        continue;
                    }
                    Some((stance, None)) => shapeless.push((i, stance.value.shape_name())),
                    None => missing.push(i),
                }
                // Only kept by a sparse input: no salience, a placeholder
                // position (the spatial input's is set once every actor is in).
                position.push((dimensions[d].min + dimensions[d].max) / 2.0);
                salience.push(0.0);
                capability.push(if missing_rule == Missing::Indifferent { actor.capability.max(0.0) } else { 0.0 });
                gap.push(d);
            }
            if missing.len() == issues.len() || (sparse && missing.len() + shapeless.len() == issues.len()) {
                if sparse {
                    // No position anywhere: left out whatever the rule.
                    shapeless_warnings(scenario, actor, &shapeless, Missing::LeaveOut, &mut diagnostics);
                }
                continue;
            }
            shapeless_warnings(scenario, actor, &shapeless, missing_rule, &mut diagnostics);
            let warn_missing = match missing_rule {
                // One warning is enough for an actor that is left out.
                Missing::LeaveOut => shapeless.is_empty(),
                Missing::Weightless => false,
                Missing::Indifferent => true,
            };
            if warn_missing && !missing.is_empty() {
                diagnostics.push(missing_warning(scenario, actor, &missing, missing_rule));
            }
            if !sparse && !gap.is_empty() {
                continue;
            }
            actors.push(InputActor { id: actor.id.clone(), name: actor.name.clone(), position, salience, capability });
            gaps.push(gap);
        }
        if missing_rule == Missing::Indifferent {
            place_indifferent(&mut actors, &gaps, dimensions.len());
        }
        let name = if issues.len() == 1 { scenario.issues[issues[0]].id.clone() } else { scenario.name.clone() };
        finish(name, dimensions, actors, diagnostics)
    }

    /// Builds the input for a DEU issue: the actors with both position and
    /// salience, with the Council capabilities of
    /// [`council_capabilities`](crate::format::deu::council_capabilities),
    /// on 0–100 with the reference point as status quo.
    pub fn deu_case(case: &DeuCase) -> BuiltInput {
        let dimension = Dimension {
            id: case.issue_id.clone(),
            name: case.proposal_name.clone(),
            min: 0.0,
            max: 100.0,
            status_quo: case.reference_point,
        };
        let actors = case
            .informed()
            .map(|(a, position, salience)| InputActor {
                id: a.id.clone(),
                name: None,
                position: vec![position],
                salience: vec![salience.clamp(0.0, 1.0)],
                capability: vec![a.capability.max(0.0)],
            })
            .collect();
        finish(case.issue_id.clone(), vec![dimension], actors, Vec::new())
    }
}

/// A value function's ideal point, stated or implied (`true`: implied, see
/// [`implied_position`]). A value table's implied point counts the terms on
/// the actor whose rules read this issue alone (a pressure such as "loses
/// 0.045 where cooperation expands", an audience cost, an own term): they
/// are part of what the option is worth to it, and the forecast models
/// cannot see them any other way.
fn ideal_point(
    scenario: &Scenario,
    actor: &crate::scenario::Actor,
    i: usize,
    value: &ValueFunction,
) -> Option<(Value, bool)> {
    let domain = &scenario.issues[i].domain;
    if let Some(p) = value.position() {
        return Some((p, false));
    }
    let folded = match value {
        ValueFunction::Table { values } => fold_single_issue_terms(scenario, actor, i, values),
        _ => None,
    };
    let value = folded.as_ref().unwrap_or(value);
    implied_position(value, domain).map(|p| (p, true))
}

/// `values` (actor's table on issue `i`) with each interaction term that
/// reads only issue `i` added to the options where its rule holds, in units
/// of the stance's weight; `None` when no term reads issue `i` alone.
fn fold_single_issue_terms(
    scenario: &Scenario,
    actor: &crate::scenario::Actor,
    i: usize,
    values: &[f64],
) -> Option<ValueFunction> {
    let terms: Vec<_> = actor.interactions.iter().filter(|t| t.rule.issues() == [i]).collect();
    let k = actor.stances.iter().position(|s| s.issue == i)?;
    let weight = actor.weights()[k];
    if terms.is_empty() || weight <= 0.0 {
        return None;
    }
    // Any outcome will do for the other issues: the rules do not read them.
    let mut outcome: Vec<Value> = scenario
        .issues
        .iter()
        .map(|issue| match issue.domain {
            Domain::Discrete { .. } => Value::Option(0),
            Domain::Integer { min, .. } => Value::Int(min),
            Domain::Continuous { min, .. } => Value::Real(min),
        })
        .collect();
    let values = (0..values.len())
        .map(|o| {
            outcome[i] = Value::Option(o);
            values[o] + terms.iter().filter(|t| t.rule.holds(&outcome)).map(|t| t.value / weight).sum::<f64>()
        })
        .collect();
    Some(ValueFunction::Table { values })
}

/// The ideal point of a stance stated without one, when its value function
/// is single-peaked along the issue (the condition under which a spatial
/// model's ideal point exists): a value table on options that lie on a line
/// (ordered, or two) with one best option and values never rising away from
/// it; an affine function with a slope, whose better end is strictly the
/// best (not inside a plateau where the value is clamped at 1).
fn implied_position(value: &ValueFunction, domain: &Domain) -> Option<Value> {
    match (value, domain) {
        (ValueFunction::Table { values }, Domain::Discrete { options, ordered })
            if (*ordered || options.len() <= 2) && values.len() == options.len() =>
        {
            let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let peaks: Vec<usize> = (0..values.len()).filter(|&k| values[k] == best).collect();
            let &[peak] = peaks.as_slice() else { return None };
            let falls_away =
                values[..peak].windows(2).all(|w| w[0] <= w[1]) && values[peak..].windows(2).all(|w| w[0] >= w[1]);
            falls_away.then_some(Value::Option(peak))
        }
        (ValueFunction::Affine { slope, offset }, Domain::Integer { min, max, .. }) => {
            // The width of the widest integer range overflows i64.
            let span = max.abs_diff(*min) as f64;
            affine_end(*slope, *offset, span).map(|high| Value::Int(if high { *max } else { *min }))
        }
        (ValueFunction::Affine { slope, offset }, Domain::Continuous { min, max, .. }) => {
            affine_end(*slope, *offset, max - min).map(|high| Value::Real(if high { *max } else { *min }))
        }
        _ => None,
    }
}

/// Whether the high end (`Some(true)`) or the low end (`Some(false)`) of a
/// scale of width `span` is strictly best for `offset + slope · x` clamped
/// to `[0, 1]`; `None` when neither is (no slope, or a plateau at 1).
fn affine_end(slope: f64, offset: f64, span: f64) -> Option<bool> {
    if slope > 0.0 && offset + slope * span <= 1.0 && span > 0.0 {
        Some(true)
    } else if slope < 0.0 && offset <= 1.0 && span > 0.0 {
        Some(false)
    } else {
        None
    }
}

/// `forecast::implied-position`: `actor`'s stance on issue `i` states no
/// position, and its best value, `best`, is taken as one.
fn implied_warning(
    scenario: &Scenario,
    actor: &crate::scenario::Actor,
    i: usize,
    shape: &str,
    best: Value,
) -> Diagnostic {
    let issue = &scenario.issues[i];
    let at = match (&issue.domain, best) {
        (Domain::Discrete { options, .. }, Value::Option(k)) => format!("its best option `{}`", options[k]),
        (_, v) => format!("its best value {}", v.as_f64()),
    };
    // The terms `fold_single_issue_terms` counted.
    let folded: Vec<String> = match actor.stance(i).map(|s| &s.value) {
        Some(ValueFunction::Table { .. }) => {
            actor.interactions.iter().filter(|t| t.rule.issues() == [i]).map(|t| format!("`{}`", t.label)).collect()
        }
        _ => Vec::new(),
    };
    let at = if folded.is_empty() { at } else { format!("{at}, counting {}", folded.join(" and ")) };
    Diagnostic::warning(
        "forecast::implied-position",
        None,
        format!(
            "actor `{}` has a {shape} value function on issue `{}` and no stated position; {at} is taken as its position",
            actor.id, issue.id
        ),
    )
    .with_help("the forecast models measure distance from an ideal point; state a `position` to choose it yourself")
}

/// What a multi-dimensional input does with an actor that has no position
/// on some of its issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Missing {
    /// Leaves the actor out ([`ForecastInput::from_scenario`]).
    LeaveOut,
    /// Salience and capability 0 there, at the scale's midpoint (the
    /// exchange model, [`ForecastInput::from_scenario_sparse`]).
    Weightless,
    /// Salience 0 there, its own capability, at the others' weighted mean
    /// (the spatial model, [`ForecastInput::from_scenario_spatial`]).
    Indifferent,
}

/// Moves every placeholder (`gaps[actor]` lists its dimensions) to the
/// capability × salience weighted mean of the stated positions on that
/// dimension (the plain mean when those weights are all 0).
fn place_indifferent(actors: &mut [InputActor], gaps: &[Vec<usize>], dims: usize) {
    for d in 0..dims {
        let stated: Vec<usize> = (0..actors.len()).filter(|&a| !gaps[a].contains(&d)).collect();
        if stated.len() == actors.len() || stated.is_empty() {
            continue;
        }
        let weight: f64 = stated.iter().map(|&a| actors[a].capability[d] * actors[a].salience[d]).sum();
        let mean = if weight > 0.0 {
            stated.iter().map(|&a| actors[a].capability[d] * actors[a].salience[d] * actors[a].position[d]).sum::<f64>()
                / weight
        } else {
            stated.iter().map(|&a| actors[a].position[d]).sum::<f64>() / stated.len() as f64
        };
        for (actor, gap) in actors.iter_mut().zip(gaps) {
            if gap.contains(&d) {
                actor.position[d] = mean;
            }
        }
    }
}

/// What happens to an actor where it has no ideal point, in words.
fn outcome_text(rule: Missing) -> &'static str {
    match rule {
        Missing::LeaveOut => "it is left out",
        Missing::Weightless => "it weighs nothing there",
        Missing::Indifferent => "it takes part as indifferent there (salience 0, placed at the others' weighted mean)",
    }
}

/// `forecast::no-position` for an actor with no stance on `missing` issues.
fn missing_warning(
    scenario: &Scenario,
    actor: &crate::scenario::Actor,
    missing: &[usize],
    rule: Missing,
) -> Diagnostic {
    let names: Vec<&str> = missing.iter().map(|&i| scenario.issues[i].id.as_str()).collect();
    let help = match rule {
        Missing::LeaveOut => "a multi-dimensional forecast needs every actor's position on every issue",
        _ => "give the actor a stance on the issue if it cares about it",
    };
    Diagnostic::warning(
        "forecast::no-position",
        None,
        format!("actor `{}` has no position on {}; {}", actor.id, names.join(", "), outcome_text(rule)),
    )
    .with_help(help)
}

/// `forecast::no-position` for each of `actor`'s stances without an ideal
/// point (`(issue, shape)`).
fn shapeless_warnings(
    scenario: &Scenario,
    actor: &crate::scenario::Actor,
    shapeless: &[(usize, &str)],
    rule: Missing,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let outcome = outcome_text(rule);
    for (i, shape) in shapeless {
        diagnostics.push(
            Diagnostic::warning(
                "forecast::no-position",
                None,
                format!(
                    "actor `{}` has a {shape} value function on issue `{}`, which is not single-peaked and so has no ideal point; {outcome}",
                    actor.id, scenario.issues[*i].id
                ),
            )
            .with_help("give the actor a `position` on the issue (a linear, quadratic or step stance)"),
        );
    }
}

/// Checks the collected data and adds the whole-input diagnostics.
fn finish(
    name: String,
    dimensions: Vec<Dimension>,
    actors: Vec<InputActor>,
    mut diagnostics: Vec<Diagnostic>,
) -> BuiltInput {
    if actors.is_empty() {
        let ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
        diagnostics.push(
            Diagnostic::error("forecast::no-actors", None, format!("no actor has a position on {}", ids.join(", ")))
                .with_help("give at least one actor a stance with a position on the issue"),
        );
        return BuiltInput { input: None, diagnostics };
    }
    for (d, dim) in dimensions.iter().enumerate() {
        if actors.iter().all(|a| a.capability[d] * a.salience[d] <= 0.0) {
            diagnostics.push(
                Diagnostic::warning(
                    "forecast::zero-weight",
                    None,
                    format!("on issue `{}` every actor has capability × salience 0; actors weigh equally", dim.id),
                )
                .with_help("give the actors a capability above 0 and a salience above 0"),
            );
        }
    }
    match ForecastInput::new(name, dimensions, actors) {
        Ok(input) => BuiltInput { input: Some(input), diagnostics },
        Err(e) => {
            diagnostics.push(Diagnostic::error("forecast::no-actors", None, e.0));
            BuiltInput { input: None, diagnostics }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{load_str, TextFormat};

    fn scenario(text: &str) -> Scenario {
        let loaded = load_str("t.toml", text, TextFormat::Toml);
        loaded.scenario.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
    }

    const TWO_ISSUES: &str = r#"
format = 1
name = "t"
status_quo = { tariff = 5, treaty = "no" }
[[issues]]
id = "tariff"
kind = "continuous"
min = 0
max = 25
[[issues]]
id = "treaty"
options = ["no", "maybe", "yes"]
ordered = true
[[actors]]
id = "us"
capability = 3
stances.tariff = { position = 10, salience = 0.8 }
stances.treaty = { position = "yes", salience = 0.5 }
[[actors]]
id = "cn"
capability = 1
stances.tariff = { position = 25, salience = 0.6 }
[[actors]]
id = "eu"
capability = 2
stances.treaty = { values = { no = 0.5, maybe = 0.0, yes = 1.0 }, salience = 0.5 }
"#;

    fn codes(b: &BuiltInput) -> Vec<&'static str> {
        b.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn one_issue_from_a_scenario() {
        let s = scenario(TWO_ISSUES);
        let b = ForecastInput::issue(&s, 0);
        assert!(b.diagnostics.is_empty(), "{:?}", b.diagnostics);
        let input = b.input.unwrap();
        assert_eq!(input.dimensions()[0].status_quo, Some(5.0));
        assert_eq!((input.dimensions()[0].min, input.dimensions()[0].max), (0.0, 25.0));
        let ids: Vec<&str> = input.actors().iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["us", "cn"], "eu has no stance on the tariff and takes no part");
        assert_eq!(input.actors()[0].capability, [3.0]);
        assert_eq!(input.weights(0), [3.0 * 0.8, 0.6]);
    }

    #[test]
    fn ordered_options_lie_on_their_indices_and_tables_are_left_out() {
        let s = scenario(TWO_ISSUES);
        let b = ForecastInput::issue(&s, 1);
        assert_eq!(codes(&b), ["forecast::no-position"]);
        let input = b.input.unwrap();
        assert_eq!((input.dimensions()[0].min, input.dimensions()[0].max), (0.0, 2.0));
        assert_eq!(input.dimensions()[0].status_quo, Some(0.0));
        assert_eq!(input.actors().len(), 1);
        assert_eq!(input.actors()[0].position, [2.0]);
    }

    #[test]
    fn several_dimensions_need_every_position() {
        let s = scenario(TWO_ISSUES);
        let b = ForecastInput::from_scenario(&s, &[0, 1], None);
        assert_eq!(codes(&b), ["forecast::no-position", "forecast::no-position"], "{:?}", b.diagnostics);
        let input = b.input.unwrap();
        assert_eq!(input.actors().len(), 1);
        assert_eq!(input.actors()[0].position, [10.0, 2.0]);
    }

    /// The spatial input keeps cn (no stance on the treaty), indifferent
    /// there: salience 0, its own capability, at the weighted mean of the
    /// stated positions (us alone: 2). eu (no stance on the tariff, a value
    /// table on the treaty) has no position anywhere and is left out. With
    /// a third issue the placeholder is a weighted mean of several.
    #[test]
    fn the_spatial_input_keeps_actors_indifferent_where_they_have_no_position() {
        let s = scenario(TWO_ISSUES);
        let b = ForecastInput::from_scenario_spatial(&s, &[0, 1], None);
        assert_eq!(codes(&b), ["forecast::no-position"; 2], "{:?}", b.diagnostics);
        assert!(b.diagnostics[0]
            .message
            .contains("`cn` has no position on treaty; it takes part as indifferent there"));
        assert!(
            b.diagnostics[1].message.contains("`eu` has a table value function")
                && b.diagnostics[1].message.ends_with("it is left out")
        );
        let input = b.input.unwrap();
        let ids: Vec<&str> = input.actors().iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["us", "cn"]);
        let cn = &input.actors()[1];
        assert_eq!((cn.position.as_slice(), cn.salience.as_slice()), ([25.0, 2.0].as_slice(), [0.6, 0.0].as_slice()));
        assert_eq!(cn.capability, [1.0, 1.0]);
        assert_eq!(input.actors()[0].position, [10.0, 2.0]);

        // eu with a tariff position of 4: the treaty's placeholder stays
        // us's 2, the tariff needs none; a quota only us and eu state puts cn
        // at (3·0.5·40 + 2·0.2·90) / (1.5 + 0.4).
        const QUOTA: &str = "[[issues]]\nid = \"quota\"\nkind = \"continuous\"\nmin = 0\nmax = 100\n";
        let eu_stances = "stances.tariff = { position = 4, salience = 0.2 }\n\
                          stances.quota = { position = 90, salience = 0.2 }\n\
                          stances.treaty = { values";
        let text = TWO_ISSUES
            .replace("stances.treaty = { values", eu_stances)
            .replace("treaty = \"no\" }", "treaty = \"no\", quota = 0 }")
            .replace(
                "[[actors]]\nid = \"us\"",
                &format!("{QUOTA}[[actors]]\nid = \"us\"\nstances.quota = {{ position = 40, salience = 0.5 }}"),
            );
        let s = scenario(&text);
        let b = ForecastInput::from_scenario_spatial(&s, &[0, 1, 2], None);
        let input = b.input.unwrap();
        let [_, cn, eu] = input.actors() else { panic!("{:?}", input.actors()) };
        assert_eq!((eu.position[1], eu.salience[1], eu.capability[1]), (2.0, 0.0, 2.0));
        let quota = (3.0 * 0.5 * 40.0 + 2.0 * 0.2 * 90.0) / (1.5 + 0.4);
        assert!((cn.position[2] - quota).abs() < 1e-12, "{} vs {quota}", cn.position[2]);
        assert_eq!(cn.salience, [0.6, 0.0, 0.0]);
        // The exchange model's sparse input weighs them at nothing instead.
        let sparse = ForecastInput::from_scenario_sparse(&s, &[0, 1, 2], None).input.unwrap();
        assert_eq!((sparse.actors()[1].capability[2], sparse.actors()[1].position[2]), (0.0, 50.0));
    }

    /// Single-peaked value functions have an ideal point; others do not.
    #[test]
    fn implied_positions_of_single_peaked_value_functions() {
        let ordered = |n: usize| Domain::Discrete { options: (0..n).map(|k| format!("o{k}")).collect(), ordered: true };
        let table = |v: &[f64]| ValueFunction::Table { values: v.to_vec() };
        let at = |v: &[f64]| implied_position(&table(v), &ordered(v.len()));
        assert_eq!(at(&[1.0, 0.7, 0.0]), Some(Value::Option(0)));
        assert_eq!(at(&[0.2, 1.0, 0.5]), Some(Value::Option(1)));
        assert_eq!(at(&[0.2, 0.2, 1.0]), Some(Value::Option(2)), "flat away from the peak is still single-peaked");
        assert_eq!(at(&[1.0, 0.2, 0.5]), None, "rises again: two peaks");
        assert_eq!(at(&[1.0, 1.0, 0.5]), None, "a tie for the best");
        let unordered = Domain::Discrete { options: vec!["a".into(), "b".into(), "c".into()], ordered: false };
        assert_eq!(implied_position(&table(&[1.0, 0.5, 0.0]), &unordered), None);
        let two = Domain::Discrete { options: vec!["a".into(), "b".into()], ordered: false };
        assert_eq!(implied_position(&table(&[0.3, 0.9]), &two), Some(Value::Option(1)));
        let int = Domain::Integer { min: 2, max: 10, unit: None };
        let affine = |slope: f64, offset: f64| ValueFunction::Affine { slope, offset };
        assert_eq!(implied_position(&affine(0.1, 0.1), &int), Some(Value::Int(10)));
        assert_eq!(implied_position(&affine(-0.1, 0.9), &int), Some(Value::Int(2)));
        assert_eq!(implied_position(&affine(0.2, 0.5), &int), None, "clamped at 1 from 4.5 on: a plateau");
        assert_eq!(implied_position(&affine(0.0, 0.5), &int), None);
        let real = Domain::Continuous { min: 0.0, max: 4.0, unit: None };
        assert_eq!(implied_position(&affine(0.25, 0.0), &real), Some(Value::Real(4.0)));
    }

    /// eu's table on the treaty (maybe 1, yes 0.5, no 0) is single-peaked:
    /// it stands at `maybe` (1), with a warning saying so.
    #[test]
    fn a_single_peaked_table_is_forecast_at_its_best_option() {
        let text = TWO_ISSUES
            .replace("values = { no = 0.5, maybe = 0.0, yes = 1.0 }", "values = { no = 0.0, maybe = 1.0, yes = 0.5 }");
        let s = scenario(&text);
        let b = ForecastInput::issue(&s, 1);
        assert_eq!(codes(&b), ["forecast::implied-position"]);
        assert!(
            b.diagnostics[0].message.contains("`eu`") && b.diagnostics[0].message.contains("its best option `maybe`")
        );
        let input = b.input.unwrap();
        assert_eq!(input.actors().iter().map(|a| a.position[0]).collect::<Vec<_>>(), [2.0, 1.0]);
    }

    /// Tokyo's own table prefers expansion (1.0 against 0.8), but a
    /// pressure costs it 0.09 wherever cooperation expands (a second one
    /// reads the treaty too, and is not counted). With two issues
    /// of salience 0.3 and 0.3 the table's weight is 0.5, so the cost is
    /// 0.18 in table units: expansion is worth 0.82 against today's 0.8. At
    /// 0.11 (0.22 in table units) it is worth 0.78 and today's is best.
    #[test]
    fn implied_positions_count_pressures_on_the_issue_alone() {
        let text = |cost: f64| {
            format!(
                r#"format = 1
name = "p"
[[issues]]
id = "coop"
options = ["current", "expanded"]
[[issues]]
id = "treaty"
options = ["no", "yes"]
[[actors]]
id = "japan"
stances.coop = {{ values = {{ current = 0.8, expanded = 1.0 }}, salience = 0.3 }}
stances.treaty = {{ position = "yes", salience = 0.3 }}
[[actors]]
id = "usa"
stances.coop = {{ position = "current", salience = 1 }}
stances.treaty = {{ position = "no", salience = 1 }}
[[pressures]]
label = "secondary-sanctions"
by = "usa"
on = "japan"
when = "coop == 'expanded'"
cost = {cost}
[[pressures]]
label = "on-both"
by = "usa"
on = "japan"
when = "coop == 'expanded' and treaty == 'yes'"
cost = 0.5
"#
            )
        };
        let japan_at = |cost: f64| {
            let b = ForecastInput::issue(&scenario(&text(cost)), 0);
            let message = b.diagnostics[0].message.clone();
            (b.input.unwrap().actors()[0].position[0], message)
        };
        let (p, message) = japan_at(0.09);
        assert_eq!(p, 1.0, "0.82 > 0.8: still expansion");
        assert!(message.contains("its best option `expanded`, counting `secondary-sanctions`"), "{message}");
        assert!(!message.contains("on-both"), "a rule that reads another issue is not folded: {message}");
        let (p, message) = japan_at(0.11);
        assert_eq!(p, 0.0, "0.78 < 0.8: today's cooperation");
        assert!(message.contains("its best option `current`, counting `secondary-sanctions`"), "{message}");
    }

    #[test]
    fn unordered_options_and_no_actors_are_errors() {
        let text = TWO_ISSUES.replace("ordered = true\n", "");
        let s = scenario(&text);
        let b = ForecastInput::issue(&s, 1);
        assert_eq!(codes(&b), ["forecast::unordered"]);
        assert!(b.input.is_none());
        let text = TWO_ISSUES.replace("stances.treaty = { position = \"yes\", salience = 0.5 }\n", "");
        let b = ForecastInput::issue(&scenario(&text), 1);
        assert_eq!(codes(&b), ["forecast::no-position", "forecast::no-actors"]);
        assert!(b.input.is_none());
    }

    #[test]
    fn two_unordered_options_lie_on_a_line() {
        let text = TWO_ISSUES
            .replace("options = [\"no\", \"maybe\", \"yes\"]\nordered = true\n", "options = [\"no\", \"yes\"]\n")
            .replace("stances.treaty = { values = { no = 0.5, maybe = 0.0, yes = 1.0 }, salience = 0.5 }\n", "");
        let b = ForecastInput::issue(&scenario(&text), 1);
        assert!(b.diagnostics.is_empty(), "{:?}", b.diagnostics);
        let input = b.input.unwrap();
        assert_eq!((input.dimensions()[0].min, input.dimensions()[0].max), (0.0, 1.0));
        assert_eq!(input.actors()[0].position, [1.0]);
    }

    #[test]
    fn zero_weights_warn_and_weigh_equally() {
        let text = TWO_ISSUES.replace("salience = 0.8", "salience = 0").replace("salience = 0.6", "salience = 0");
        let b = ForecastInput::issue(&scenario(&text), 0);
        assert_eq!(codes(&b), ["forecast::zero-weight"]);
        assert_eq!(b.input.unwrap().weights(0), [1.0, 1.0]);
    }

    #[test]
    fn new_checks_the_invariants() {
        let row = |s: f64, c: f64, x: f64| vec![("a", c, x, s)];
        assert!(ForecastInput::one_issue("i", 0.0, 1.0, None, row(0.5, 1.0, 0.5)).is_ok());
        assert!(ForecastInput::one_issue("i", 0.0, 1.0, None, row(1.5, 1.0, 0.5)).is_err());
        assert!(ForecastInput::one_issue("i", 0.0, 1.0, None, row(0.5, -1.0, 0.5)).is_err());
        assert!(ForecastInput::one_issue("i", 0.0, 1.0, None, row(0.5, 1.0, f64::NAN)).is_err());
        assert!(ForecastInput::one_issue("i", 1.0, 0.0, None, row(0.5, 1.0, 0.5)).is_err());
        assert!(ForecastInput::one_issue("i", 0.0, 1.0, None, Vec::new()).is_err());
        let input = ForecastInput::one_issue("i", 0.0, 1.0, None, row(0.5, 1.0, 0.5)).unwrap();
        let changed = input.with_values(0, 0, 0.25, 2.0, -3.0);
        assert_eq!(
            (changed.actors()[0].position[0], changed.actors()[0].salience[0], changed.actors()[0].capability[0]),
            (0.25, 1.0, 0.0)
        );
    }
}
