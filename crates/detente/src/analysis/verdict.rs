//! The verdict alone: is the agreement set empty? A fast path for studies
//! that ask it thousands of times (`detente robustness`).
//!
//! An outcome is in the agreement set exactly when [`Model::run_chunk`]
//! would call it clear: no constraint violated, and every required actor
//! ([`Model::required`]) accepts it ([`Model::accepts`], the same comparison
//! of utility with reservation). The scan stops at the first such outcome and
//! evaluates only the required actors' utilities.
//!
//! Judgements (reservations, saliences, capabilities, positions, value
//! tables) never change which outcomes the constraints allow, so
//! [`Candidates`] lists those outcomes once and every later verdict on the
//! same grid scans only them.

use super::model::Model;
use super::{compile, AnalysisError, Config};
use crate::scenario::{Scenario, Value};

/// Most outcomes [`Candidates`] lists; beyond, verdicts scan the whole
/// grid (the list would cost more memory than it saves time).
pub const MAX_CANDIDATES: usize = 1 << 20;

/// The outcomes every constraint allows (duplicates that differ only in a
/// moot issue left out), with their value indices and
/// values, for one outcome grid (none listed when more than
/// [`MAX_CANDIDATES`] are allowed: verdicts then scan every outcome).
#[derive(Clone, Debug)]
pub struct Candidates {
    /// The grid they were found on; a model on another grid scans in full.
    grid: Vec<Vec<Value>>,
    /// The constraints they satisfy.
    constraints: Vec<crate::scenario::Expr>,
    /// The conditional issues whose duplicates they leave out.
    conditions: Vec<(usize, crate::scenario::Expr, usize)>,
    /// Whether the list is complete (at most [`MAX_CANDIDATES`]).
    complete: bool,
    /// Outcome numbers, ascending.
    indices: Vec<u64>,
    /// Value indices, `n_issues` per outcome.
    digits: Vec<usize>,
    /// Values, `n_issues` per outcome.
    values: Vec<Value>,
}

impl Candidates {
    /// Lists the outcomes of `model`'s grid that satisfy its constraints.
    pub fn new(model: &Model) -> Candidates {
        let n_issues = model.space.values.len();
        let total = model.space.count() as u64;
        let mut digits = vec![0usize; n_issues];
        let mut values = vec![Value::Option(0); n_issues];
        let mut out = Candidates {
            grid: model.space.values.clone(),
            constraints: model.constraints.clone(),
            conditions: model.conditions.clone(),
            complete: true,
            indices: Vec::new(),
            digits: Vec::new(),
            values: Vec::new(),
        };
        for index in 0..total {
            model.space.digits(index, &mut digits);
            for i in 0..n_issues {
                values[i] = model.space.values[i][digits[i]];
            }
            if !model.is_moot(&digits, &values) && model.constraints.iter().all(|rule| rule.holds(&values)) {
                if out.indices.len() == MAX_CANDIDATES {
                    out.complete = false;
                    out.indices = Vec::new();
                    out.digits = Vec::new();
                    out.values = Vec::new();
                    break;
                }
                out.indices.push(index);
                out.digits.extend_from_slice(&digits);
                out.values.extend_from_slice(&values);
            }
        }
        out
    }

    /// How many outcomes are listed (0 when too many are allowed to list).
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// True when none are listed.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// False when more than [`MAX_CANDIDATES`] outcomes are allowed and none
    /// are listed.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    fn fits(&self, model: &Model) -> bool {
        self.complete
            && self.grid == model.space.values
            && self.constraints == model.constraints
            && self.conditions == model.conditions
    }
}

impl Model {
    /// The first outcome (by number) in the agreement set, if any: the
    /// verdict, decided as [`Model::run_chunk`] decides "clear".
    pub fn first_agreement(&self) -> Option<u64> {
        let n_issues = self.space.values.len();
        let total = self.space.count() as u64;
        let mut digits = vec![0usize; n_issues];
        let mut values = vec![Value::Option(0); n_issues];
        for index in 0..total {
            self.space.digits(index, &mut digits);
            for i in 0..n_issues {
                values[i] = self.space.values[i][digits[i]];
            }
            if !self.is_moot(&digits, &values)
                && self.constraints.iter().all(|rule| rule.holds(&values))
                && self.all_required_accept(&digits, &values)
            {
                return Some(index);
            }
        }
        None
    }

    /// As [`Model::first_agreement`], scanning only `candidates` (found on
    /// a model of the same grid and constraints; otherwise every outcome is
    /// scanned).
    pub fn first_agreement_among(&self, candidates: &Candidates) -> Option<u64> {
        if !candidates.fits(self) {
            return self.first_agreement();
        }
        let n_issues = self.space.values.len();
        for (k, &index) in candidates.indices.iter().enumerate() {
            let range = k * n_issues..(k + 1) * n_issues;
            if self.all_required_accept(&candidates.digits[range.clone()], &candidates.values[range]) {
                return Some(index);
            }
        }
        None
    }

    fn all_required_accept(&self, digits: &[usize], values: &[Value]) -> bool {
        let (required, _) = self.required(digits);
        (0..self.evaluators.len()).all(|a| {
            required & (1 << a) == 0
                || self.accepts(
                    a,
                    self.settled(a, self.evaluators[a].eval(digits, values), digits),
                    self.reservations[a],
                )
        })
    }
}

/// Whether `scenario` has a non-empty agreement set on `config`'s grid,
/// without the rest of an analysis. Errors as [`super::analyze`] does when
/// the space cannot be enumerated.
pub fn deal_exists(scenario: &Scenario, config: &Config) -> Result<bool, AnalysisError> {
    let model = compile_for_verdict(scenario, config)?;
    Ok(model.first_agreement().is_some())
}

/// Compiles `scenario` for verdicts: the analysis model, refusing spaces
/// larger than `config.max_outcomes`.
pub fn compile_for_verdict(scenario: &Scenario, config: &Config) -> Result<Model, AnalysisError> {
    // A verdict enumerates: sizes are checked before anything is allocated.
    let enumerate = Config { method: super::Method::Enumerate, ..config.clone() };
    let model = compile(scenario, &enumerate)?;
    let count = model.space.count();
    if count > config.max_outcomes || count > u64::MAX as u128 {
        return Err(AnalysisError::TooLarge { outcomes: model.space.count_decimal(), limit: config.max_outcomes });
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Scenario {
        crate::load_str("t.toml", text, crate::TextFormat::Toml).scenario.expect("valid")
    }

    const TWO: &str = r#"format = 1
name = "t"
[[issues]]
id = "n"
kind = "integer"
min = 0
max = 10
[[actors]]
id = "a"
reservation = 0.55
stances.n = { position = 10, salience = 1 }
[[actors]]
id = "b"
reservation = 0.55
stances.n = { position = 0, salience = 1 }
"#;

    #[test]
    fn hand_worked_verdicts() {
        // a gets n/10, b gets 1 − n/10: both above 0.55 needs n > 5.5 and
        // n < 4.5, so no deal; at 0.35 both n = 4, 5, 6 work and the first
        // is 4.
        let config = Config::new();
        assert!(!deal_exists(&load(TWO), &config).unwrap());
        let open = load(&TWO.replace("0.55", "0.35"));
        assert!(deal_exists(&open, &config).unwrap());
        let model = compile_for_verdict(&open, &config).unwrap();
        assert_eq!(model.first_agreement(), Some(4));
        let candidates = Candidates::new(&model);
        assert_eq!(candidates.len(), 11);
        assert_eq!(model.first_agreement_among(&candidates), Some(4));
        // At 0.45, a needs n ≥ 5 and b needs n ≤ 5.
        let edge = compile_for_verdict(&load(&TWO.replace("0.55", "0.45")), &config).unwrap();
        assert_eq!(edge.first_agreement_among(&candidates), Some(5));
    }

    #[test]
    fn candidates_of_another_grid_fall_back_to_a_full_scan() {
        // A continuous issue's grid includes the positions, so moving one
        // changes the grid: the candidates no longer fit.
        let text = "format = 1\nname = \"c\"\n[[issues]]\nid = \"x\"\nkind = \"continuous\"\nmin = 0\nmax = 1\n[[actors]]\nid = \"a\"\nreservation = 0.9\nstances.x = { position = 0.55, salience = 1 }\n[[actors]]\nid = \"b\"\nreservation = 0.9\nstances.x = { position = 0.33, salience = 1 }\n";
        let config = Config::new();
        let first = compile_for_verdict(&load(text), &config).unwrap();
        let candidates = Candidates::new(&first);
        let moved = compile_for_verdict(&load(&text.replace("0.33", "0.57")), &config).unwrap();
        assert_ne!(first.space.values, moved.space.values);
        assert_eq!(moved.first_agreement_among(&candidates), moved.first_agreement());
        // Each accepts within 0.1 of its ideal: 0.55 and 0.33 leave no
        // common point, 0.55 and 0.57 share 0.5 (and more).
        assert_eq!(first.first_agreement_among(&candidates), None);
        assert!(moved.first_agreement().is_some());
    }

    #[test]
    fn too_many_candidates_are_not_listed() {
        let text = TWO.replace("max = 10", "max = 2000000").replace("position = 10", "position = 2000000");
        let model = compile_for_verdict(&load(&text), &Config::new()).unwrap();
        let candidates = Candidates::new(&model);
        assert!(!candidates.is_complete() && candidates.is_empty());
        assert_eq!(model.first_agreement_among(&candidates), model.first_agreement());
        assert!(model.first_agreement().is_none());
    }

    #[test]
    fn constraints_narrow_the_candidates() {
        let text = format!(
            "{}[[constraints]]\nlabel = \"c\"\nowner = \"a\"\nrule = \"n >= 6\"\n",
            TWO.replace("0.55", "0.35")
        );
        let model = compile_for_verdict(&load(&text), &Config::new()).unwrap();
        let candidates = Candidates::new(&model);
        assert_eq!(candidates.len(), 5);
        assert_eq!(model.first_agreement_among(&candidates), Some(6));
        let mut config = Config::new();
        config.max_outcomes = 5;
        assert!(matches!(deal_exists(&load(TWO), &config), Err(AnalysisError::TooLarge { .. })));
    }
}
