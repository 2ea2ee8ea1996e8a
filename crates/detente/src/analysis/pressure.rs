//! What pressure short of a veto does (`docs/analysis.md`, "Pressure"):
//! for each `[[pressures]]` entry, the agreements it removes, that is the
//! outcomes in the agreement set of the scenario without that pressure
//! (the others kept) that are not in the agreement set with it; and, with
//! several pressures, what all of them remove together. Each outcome is
//! judged on both models by the analysis's own rule ([`Model::judge`]), on
//! the grid of the scenario as written. No I/O.

use super::model::Model;
use super::types::LISTED;
use super::verdict::compile_for_verdict;
use super::{AnalysisError, Config};
use crate::scenario::{Scenario, Value};

/// The agreements a pressure (or all of them) removes.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    /// The pressure (index into [`Scenario::pressures`]); `None` for all of
    /// them together.
    pub pressure: Option<usize>,
    /// The utility the target loses where the pressure applies (after
    /// scaling by capability); `None` for all together.
    pub cost: Option<f64>,
    /// Outcomes agreed without it and not with it.
    pub count: u64,
    /// The first of them by outcome number (at most [`LISTED`]).
    pub examples: Vec<(u64, Vec<Value>)>,
    /// The agreement set's size without it.
    pub agreements_without: u64,
}

/// What each pressure removes and, with several, what all remove together;
/// empty without pressures. Errors as [`super::analyze`] does.
pub fn pressure_effects(scenario: &Scenario, config: &Config) -> Result<Vec<Removed>, AnalysisError> {
    if scenario.pressures.is_empty() {
        return Ok(Vec::new());
    }
    let with = compile_for_verdict(scenario, config)?;
    let mut variants: Vec<(Option<usize>, Scenario)> =
        (0..scenario.pressures.len()).map(|k| (Some(k), scenario.without_pressure(k))).collect();
    if scenario.pressures.len() > 1 {
        let mut none = scenario.clone();
        none.pressures.clear();
        none.refresh_pressures();
        variants.push((None, none));
    }
    let models: Vec<Model> =
        variants.iter().map(|(_, s)| Model::new(s, with.space.clone(), with.nash_weights.clone())).collect();
    let mut out: Vec<Removed> = variants
        .iter()
        .map(|&(k, _)| Removed {
            pressure: k,
            cost: k.map(|k| scenario.pressure_cost(k)),
            count: 0,
            examples: Vec::new(),
            agreements_without: 0,
        })
        .collect();
    let n_issues = with.space.values.len();
    let mut digits = vec![0usize; n_issues];
    let mut values = vec![Value::Option(0); n_issues];
    let mut utils = vec![0.0; scenario.actors.len()];
    let mut views = vec![false; with.views.len()];
    let mut other_views: Vec<Vec<bool>> = models.iter().map(|m| vec![false; m.views.len()]).collect();
    for index in 0..with.space.count() as u64 {
        if index % 65_536 == 0 && config.cancel.is_cancelled() {
            return Err(AnalysisError::Cancelled);
        }
        with.space.digits(index, &mut digits);
        for i in 0..n_issues {
            values[i] = with.space.values[i][digits[i]];
        }
        if with.is_moot(&digits, &values) {
            continue;
        }
        let agreed = with.judge(&digits, &values, &mut utils, &mut views);
        for (k, m) in models.iter().enumerate() {
            if !m.judge(&digits, &values, &mut utils, &mut other_views[k]) {
                continue;
            }
            let r = &mut out[k];
            r.agreements_without += 1;
            if !agreed {
                r.count += 1;
                if r.examples.len() < LISTED {
                    r.examples.push((index, values.clone()));
                }
            }
        }
    }
    Ok(out)
}
