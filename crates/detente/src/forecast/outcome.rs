//! Forecasts taken as whole outcomes, checked against the constraints.
//!
//! The forecast models predict each issue (or all issues on a line) from
//! positions, saliences and capabilities; none of them reads a red line, a
//! precondition or a linkage. A model's forecasts of every issue taken
//! together are one outcome, and that outcome may break constraints the
//! deal-space analysis says bind. This module says which, with their
//! owners, and gives beside it the **constrained forecast**: the outcome no
//! constraint forbids that lies nearest the model's forecast.
//!
//! - **From forecasts to an outcome.** A forecast on a discrete issue is a
//!   point on the options' scale (option `k` at `k`): it becomes the nearest
//!   option; exactly halfway between two, the one nearer the status quo, else
//!   the lower. An integer issue takes the nearest integer, a continuous
//!   issue the forecast itself. An issue the model could not forecast stays
//!   at the status quo (without a status quo the model is not checked).
//! - **Distance.** `D(o) = Σᵢ Wᵢ · |xᵢ(o) − fᵢ| / spanᵢ`, where `fᵢ` is the
//!   model's raw forecast on issue `i` and `Wᵢ = Σₐ capabilityₐ ×
//!   salienceₐᵢ` the power the actors bring to the issue, as the models
//!   weigh actors (a stakeholder table's per-issue power replaces the
//!   capability). `W` is normalised to sum to 1, so `D` is a weighted
//!   share of the scales (0 = the forecast itself, 1 = every issue at the
//!   far end). Unordered options are at distance 0 or 1.
//! - **Issues that do not apply.** An issue whose condition does not hold in
//!   the outcome takes its `otherwise` value, whatever the model forecast
//!   for it ([`OutcomeForecast::moot`]); such a rule is structure, not a
//!   constraint, so it is never "broken".
//! - **Search.** Every outcome of the analysis grid is scored (continuous
//!   issues on its points), up to [`MAX_SEARCH`] outcomes; ties go to the
//!   lowest outcome number, so the answer is deterministic.

use super::issues::ScenarioForecast;
use crate::analysis::space::{self, OutcomeSpace, Resolution};
use crate::budget::{Budget, Cancelled};
use crate::scenario::{Domain, Scenario, Value};

/// The largest outcome space searched for a constrained forecast.
pub const MAX_SEARCH: u128 = 2_000_000;

/// Which forecasts an outcome was assembled from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assembly {
    /// One model's forecasts of every issue, issue by issue.
    IssueByIssue,
    /// A spatial model's joint forecast of the issues on a line (the rest
    /// at the status quo).
    Joint,
}

/// One model's forecast as a whole outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeForecast {
    /// The model's registry name.
    pub model: &'static str,
    /// Issue by issue, or a spatial model's joint forecast.
    pub assembly: Assembly,
    /// The outcome: one value per issue.
    pub outcome: Vec<Value>,
    /// Issues the model did not forecast, set to the status quo (those that
    /// do not apply are in `moot` instead).
    pub at_status_quo: Vec<usize>,
    /// Issues that do not apply in the outcome (their condition does not
    /// hold) and that the model forecast otherwise or not at all: they take
    /// their `otherwise` value.
    pub moot: Vec<usize>,
    /// Constraints (indices) the outcome breaks, in scenario order.
    pub breaks: Vec<usize>,
    /// The nearest outcome no constraint forbids, when the outcome breaks
    /// one; `None` with the reason when there is none or the search is too
    /// large.
    pub constrained: Option<Result<Constrained, String>>,
}

/// The constrained forecast.
#[derive(Clone, Debug, PartialEq)]
pub struct Constrained {
    /// The outcome.
    pub outcome: Vec<Value>,
    /// Its distance from the model's forecast (0–1, see the module docs).
    pub distance: f64,
}

/// Every model's forecast of `scenario` as whole outcomes (issue-by-issue
/// models first, in model order, then the spatial models), checked against
/// the constraints. `power[actor][issue]` as in
/// [`super::issues::forecast_scenario`].
pub fn whole_outcomes(
    scenario: &Scenario,
    forecast: &ScenarioForecast,
    power: Option<&[Vec<Option<f64>>]>,
) -> Vec<OutcomeForecast> {
    whole_outcomes_with(scenario, forecast, power, &Budget::new(MAX_SEARCH)).unwrap_or_default()
}

/// As [`whole_outcomes`], searching at most `budget.max_outcomes` outcomes
/// for a constrained forecast and ending with [`Cancelled`] once the flag
/// is set.
pub fn whole_outcomes_with(
    scenario: &Scenario,
    forecast: &ScenarioForecast,
    power: Option<&[Vec<Option<f64>>]>,
    budget: &Budget,
) -> Result<Vec<OutcomeForecast>, Cancelled> {
    let Some(sq) = &scenario.status_quo else {
        return Ok(Vec::new());
    };
    let n = scenario.issues.len();
    let weights = issue_weights(scenario, power);
    // Raw forecasts per model and issue, in model order.
    let mut per_model: Vec<(&'static str, Assembly, Vec<Option<f64>>)> = Vec::new();
    for f in &forecast.issues {
        for run in &f.runs {
            let slot = match per_model.iter().position(|(m, a, _)| *m == run.model && *a == Assembly::IssueByIssue) {
                Some(k) => k,
                None => {
                    per_model.push((run.model, Assembly::IssueByIssue, vec![None; n]));
                    per_model.len() - 1
                }
            };
            if let Ok(r) = &run.result {
                // An oscillating model has no forecast to check.
                if r.cycle().is_none() {
                    per_model[slot].2[f.issue] = r.forecast().first().copied();
                }
            }
        }
    }
    if let Some(sp) = &forecast.spatial {
        for run in &sp.runs {
            let mut raw = vec![None; n];
            if let Ok(r) = &run.result {
                if r.cycle().is_none() {
                    for (k, &issue) in sp.issues.iter().enumerate() {
                        raw[issue] = r.forecast().get(k).copied();
                    }
                }
            }
            per_model.push((run.model, Assembly::Joint, raw));
        }
    }
    per_model
        .into_iter()
        .filter(|(_, _, raw)| raw.iter().any(Option::is_some))
        .map(|(model, assembly, raw)| {
            let mut outcome: Vec<Value> = (0..n)
                .map(|i| match raw[i] {
                    Some(x) => nearest_value(&scenario.issues[i].domain, x, &sq[i]),
                    None => sq[i],
                })
                .collect();
            let changed = scenario.settle_moot(&mut outcome);
            // An issue that does not apply needs no forecast: it is listed
            // as moot (when the model forecast something else for it, or
            // nothing), never as "at the status quo".
            let moot: Vec<usize> = (0..n)
                .filter(|&i| {
                    let applies = scenario.issues[i].condition.as_ref().is_none_or(|c| c.rule.holds(&outcome));
                    !applies && (changed.contains(&i) || raw[i].is_none())
                })
                .collect();
            let at_status_quo = (0..n).filter(|&i| raw[i].is_none() && !moot.contains(&i)).collect();
            let breaks: Vec<usize> =
                scenario.constraints.iter().enumerate().filter(|(_, c)| !c.allows(&outcome)).map(|(k, _)| k).collect();
            let constrained = if breaks.is_empty() {
                None
            } else {
                let target: Vec<f64> = (0..n).map(|i| raw[i].unwrap_or_else(|| scale_point(&sq[i]))).collect();
                Some(nearest_allowed(scenario, &weights, &target, budget)?)
            };
            Ok(OutcomeForecast { model, assembly, outcome, at_status_quo, moot, breaks, constrained })
        })
        .collect()
}

/// A value's point on its issue's scale (option `k` at `k`).
fn scale_point(v: &Value) -> f64 {
    v.as_f64()
}

/// The domain value nearest `x` (see the module docs for ties).
fn nearest_value(domain: &Domain, x: f64, sq: &Value) -> Value {
    match domain {
        Domain::Discrete { options, .. } => {
            let last = options.len().saturating_sub(1) as f64;
            let x = x.clamp(0.0, last);
            let (lo, hi) = (x.floor(), x.ceil());
            let k = if x - lo == 0.5 {
                if sq.as_f64() == hi {
                    hi
                } else {
                    lo
                }
            } else {
                x.round()
            };
            Value::Option(k as usize)
        }
        Domain::Integer { min, max, .. } => {
            let r = x.round();
            let v = if r <= *min as f64 {
                *min
            } else if r >= *max as f64 {
                *max
            } else {
                r as i64
            };
            Value::Int(v)
        }
        Domain::Continuous { min, max, .. } => Value::Real(x.clamp(*min, *max)),
    }
}

/// `Wᵢ = Σₐ capabilityₐ × salienceₐᵢ`, normalised to sum to 1 (equal
/// weights when no actor brings power to any issue).
fn issue_weights(scenario: &Scenario, power: Option<&[Vec<Option<f64>>]>) -> Vec<f64> {
    let n = scenario.issues.len();
    let mut w = vec![0.0; n];
    for (a, actor) in scenario.actors.iter().enumerate() {
        for s in &actor.stances {
            let cap = power.and_then(|p| p.get(a)).and_then(|row| row.get(s.issue).copied().flatten());
            w[s.issue] += cap.unwrap_or(actor.capability) * s.salience;
        }
    }
    let total: f64 = w.iter().sum();
    if total > 0.0 && total.is_finite() {
        w.iter().map(|x| x / total).collect()
    } else {
        vec![1.0 / n.max(1) as f64; n]
    }
}

/// The outcome no constraint forbids that is nearest `target` (one point
/// per issue on its scale).
/// `Ok(Err(why))` when the space is larger than `budget.max_outcomes`
/// (checked before the grid is built: an integer issue may have 2⁶⁴ values).
fn nearest_allowed(
    scenario: &Scenario,
    weights: &[f64],
    target: &[f64],
    budget: &Budget,
) -> Result<Result<Constrained, String>, Cancelled> {
    let sizes = space::issue_sizes(scenario, Resolution::default());
    let count = sizes.iter().fold(1u128, |n, &k| n.saturating_mul(k));
    if count > budget.max_outcomes {
        return Ok(Err(format!(
            "the outcome space has {} outcomes, more than the {} searched",
            space::count_text(&space::exact_count(&sizes)),
            budget.max_outcomes
        )));
    }
    let space = OutcomeSpace::new(scenario, Resolution::default());
    let radices: Vec<usize> = space.values.iter().map(Vec::len).collect();
    // Per issue and grid value, its weighted distance from the target.
    let cost: Vec<Vec<f64>> = space
        .values
        .iter()
        .enumerate()
        .map(|(i, vals)| {
            let domain = &scenario.issues[i].domain;
            vals.iter()
                .map(|v| {
                    let d = match domain {
                        Domain::Discrete { ordered: false, .. } => {
                            if (v.as_f64() - target[i]).abs() < 0.5 {
                                0.0
                            } else {
                                1.0
                            }
                        }
                        _ => {
                            let span = domain.span();
                            if span > 0.0 {
                                ((v.as_f64() - target[i]).abs() / span).min(1.0)
                            } else {
                                0.0
                            }
                        }
                    };
                    weights[i] * d
                })
                .collect()
        })
        .collect();
    let mut digits = vec![0usize; radices.len()];
    let mut values: Vec<Value> = space.values.iter().map(|v| v[0]).collect();
    let mut best: Option<(f64, Vec<Value>)> = None;
    for k in 0..count {
        if k % (1 << 16) == 0 {
            budget.cancel.check()?;
        }
        for (i, &d) in digits.iter().enumerate() {
            values[i] = space.values[i][d];
        }
        if !scenario.is_moot(&values) && scenario.constraints.iter().all(|c| c.allows(&values)) {
            let d: f64 = digits.iter().enumerate().map(|(i, &k)| cost[i][k]).sum();
            if best.as_ref().is_none_or(|(b, _)| d < *b) {
                best = Some((d, values.clone()));
            }
        }
        space::next(&mut digits, &radices);
    }
    Ok(match best {
        Some((distance, outcome)) => Ok(Constrained { outcome, distance }),
        None => Err("every outcome breaks some constraint".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::issues::{forecast_scenario, Config};
    use crate::forecast::registry;
    use crate::{load_str, TextFormat};

    const TEXT: &str = r#"
format = 1
name = "treaty"
[[issues]]
id = "treaty"
options = ["no", "yes"]
[[issues]]
id = "islands"
options = ["none", "two", "four"]
ordered = true
[status_quo]
treaty = "no"
islands = "none"
[[actors]]
id = "tokyo"
capability = 1
stances.treaty = { position = "yes", salience = 0.5 }
stances.islands = { position = "four", salience = 0.2 }
[[actors]]
id = "moscow"
capability = 1
stances.treaty = { position = "yes", salience = 0.5 }
stances.islands = { position = "none", salience = 1.0 }
[[constraints]]
label = "tethered"
owner = "tokyo"
rule = "treaty == 'yes' -> islands != 'none'"
"#;

    #[test]
    fn a_forecast_that_breaks_a_constraint_gets_the_nearest_allowed_outcome() {
        let s = load_str("t.toml", TEXT, TextFormat::Toml).scenario.unwrap();
        let config = Config { models: vec![registry::model("median").unwrap()], max_rounds: None, monte_carlo: None };
        let f = forecast_scenario(&s, None, &config);
        let outcomes = whole_outcomes(&s, &f, None);
        assert_eq!(outcomes.len(), 1);
        let o = &outcomes[0];
        // The weighted median: a treaty (both want one) and no island
        // (Moscow's weight 1.0 against Tokyo's 0.2), which Tokyo's linkage
        // forbids; the nearest allowed is the two-island treaty.
        assert_eq!(o.outcome, vec![Value::Option(1), Value::Option(0)]);
        assert_eq!(o.breaks, vec![0]);
        let c = o.constrained.clone().unwrap().unwrap();
        assert_eq!(c.outcome, vec![Value::Option(1), Value::Option(1)]);
    }

    #[test]
    fn hand_worked_nearest_allowed() {
        let s = load_str("t.toml", TEXT, TextFormat::Toml).scenario.unwrap();
        // Weights: treaty 0.5 + 0.5 = 1.0; islands 0.2 + 1.0 = 1.2 → 1/2.2 and 1.2/2.2.
        let w = issue_weights(&s, None);
        assert!((w[0] - 1.0 / 2.2).abs() < 1e-12 && (w[1] - 1.2 / 2.2).abs() < 1e-12);
        // Target: treaty yes (1), islands none (0): breaks `tethered`.
        // Allowed neighbours: (no, none) at 1/2.2 · 1 = 0.4545; (yes, two) at
        // 1.2/2.2 · 1/2 = 0.2727: the two-island treaty is nearer.
        let c = nearest_allowed(&s, &w, &[1.0, 0.0], &Budget::new(MAX_SEARCH)).unwrap().unwrap();
        assert_eq!(c.outcome, vec![Value::Option(1), Value::Option(1)]);
        assert!((c.distance - 1.2 / 2.2 / 2.0).abs() < 1e-12);
    }

    #[test]
    fn halfway_goes_to_the_status_quo() {
        let d = Domain::Discrete { options: vec!["no".into(), "yes".into()], ordered: true };
        assert_eq!(nearest_value(&d, 0.5, &Value::Option(1)), Value::Option(1));
        assert_eq!(nearest_value(&d, 0.5, &Value::Option(0)), Value::Option(0));
        assert_eq!(nearest_value(&d, 0.7, &Value::Option(0)), Value::Option(1));
    }
}
