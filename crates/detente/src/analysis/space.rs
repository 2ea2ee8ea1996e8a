//! The outcome space as a finite grid: every value of every discrete and
//! integer issue, and a documented grid on each continuous issue.
//!
//! Outcomes are numbered in mixed radix with the last issue varying fastest,
//! so an index range can be enumerated in chunks, in parallel, without
//! materialising the space.

use crate::scenario::{Domain, Scenario, Value};

/// How continuous issues are discretised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// Evenly spaced points from min to max, both included (at least 2).
    pub points: usize,
}

impl Default for Resolution {
    fn default() -> Resolution {
        Resolution { points: 11 }
    }
}

/// Most values one issue may have on the grid (2²¹ = 2,097,152). Every value
/// of every issue is tabulated (one entry per value and actor), and on one
/// issue every value may be on the Pareto frontier (each a point with its
/// outcome), so a wider integer issue is refused before anything is
/// allocated ([`SpaceError::IssueTooWide`]); at this size an analysis takes
/// seconds.
pub const MAX_ISSUE_VALUES: u128 = 1 << 21;

/// Why an outcome grid was not built: checked from the issue sizes alone,
/// before any value is allocated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpaceError {
    /// One issue has more values than can be tabulated.
    IssueTooWide {
        /// Issue index.
        issue: usize,
        /// Its number of values (exact: an `i64` range has at most 2⁶⁴).
        values: u128,
        /// The limit it exceeds.
        limit: u128,
    },
}

/// The finite outcome space an analysis enumerates.
#[derive(Clone, Debug)]
pub struct OutcomeSpace {
    /// The candidate values of each issue, in issue order.
    pub values: Vec<Vec<Value>>,
    /// Issues that were discretised, with their number of grid points.
    pub discretised: Vec<(usize, usize)>,
}

impl OutcomeSpace {
    /// Builds the grid. Continuous issues get `resolution.points` evenly
    /// spaced values plus every value the scenario names on that issue
    /// (positions, status quo), so ideal points are always candidates.
    ///
    /// Callers check [`issue_sizes`] first (or call [`OutcomeSpace::try_new`]):
    /// an integer issue is materialised value by value.
    pub fn new(scenario: &Scenario, resolution: Resolution) -> OutcomeSpace {
        let mut values = Vec::with_capacity(scenario.issues.len());
        let mut discretised = Vec::new();
        for (i, issue) in scenario.issues.iter().enumerate() {
            let vals = match &issue.domain {
                Domain::Discrete { options, .. } => (0..options.len()).map(Value::Option).collect(),
                Domain::Integer { min, max, .. } => (*min..=*max).map(Value::Int).collect(),
                Domain::Continuous { min, max, .. } => {
                    let pts = continuous_grid(scenario, i, *min, *max, resolution);
                    discretised.push((i, pts.len()));
                    pts.into_iter().map(Value::Real).collect()
                }
            };
            values.push(vals);
        }
        OutcomeSpace { values, discretised }
    }

    /// As [`OutcomeSpace::new`], refusing (before allocating) an issue with
    /// more than `max_issue_values` values.
    pub fn try_new(
        scenario: &Scenario,
        resolution: Resolution,
        max_issue_values: u128,
    ) -> Result<OutcomeSpace, SpaceError> {
        let sizes = issue_sizes(scenario, resolution);
        if let Some((issue, &values)) = sizes.iter().enumerate().find(|(_, &n)| n > max_issue_values) {
            return Err(SpaceError::IssueTooWide { issue, values, limit: max_issue_values });
        }
        Ok(OutcomeSpace::new(scenario, resolution))
    }

    /// Number of outcomes (saturating).
    pub fn count(&self) -> u128 {
        self.values.iter().fold(1u128, |n, v| n.saturating_mul(v.len() as u128))
    }

    /// The exact number of outcomes in decimal digits.
    pub fn count_decimal(&self) -> String {
        exact_count(&self.values.iter().map(|v| v.len() as u128).collect::<Vec<_>>())
    }

    /// The value indices of outcome `index` (last issue fastest).
    pub fn digits(&self, mut index: u64, out: &mut [usize]) {
        for (i, vals) in self.values.iter().enumerate().rev() {
            let r = vals.len() as u64;
            out[i] = (index % r) as usize;
            index /= r;
        }
    }

    /// The outcome with number `index`.
    pub fn outcome(&self, index: u64) -> Vec<Value> {
        let mut d = vec![0; self.values.len()];
        self.digits(index, &mut d);
        d.iter().enumerate().map(|(i, &k)| self.values[i][k]).collect()
    }

    /// The index of the grid value equal to `v` on issue `issue`, if any.
    pub fn value_index(&self, issue: usize, v: &Value) -> Option<usize> {
        self.values[issue].iter().position(|x| x == v)
    }
}

/// The grid of continuous issue `i` on `[min, max]`: `resolution.points`
/// evenly spaced points (ends included) plus the values the scenario names
/// (positions and the status quo), sorted and without repeats.
fn continuous_grid(scenario: &Scenario, i: usize, min: f64, max: f64, resolution: Resolution) -> Vec<f64> {
    let n = resolution.points.max(2);
    let mut pts: Vec<f64> =
        (0..n).map(|k| if k + 1 == n { max } else { min + (max - min) * k as f64 / (n - 1) as f64 }).collect();
    pts.extend(named_values(scenario, i));
    pts.sort_by(f64::total_cmp);
    pts.dedup();
    pts
}

/// The number of grid values of each issue, computed without building the
/// grid (exact: at most 2⁶⁴ for an integer issue; a continuous issue counts
/// its grid points plus the distinct named values not on the grid, as
/// [`OutcomeSpace::new`] does).
pub fn issue_sizes(scenario: &Scenario, resolution: Resolution) -> Vec<u128> {
    scenario
        .issues
        .iter()
        .enumerate()
        .map(|(i, issue)| match &issue.domain {
            Domain::Discrete { options, .. } => options.len() as u128,
            Domain::Integer { min, max, .. } => (i128::from(*max) - i128::from(*min) + 1) as u128,
            Domain::Continuous { min, max, .. } => continuous_grid(scenario, i, *min, *max, resolution).len() as u128,
        })
        .collect()
}

/// The exact product of `sizes` in decimal digits (no saturation: ANAC's
/// 50-issue domain has 10⁵⁰ outcomes, beyond `u128`).
pub fn exact_count(sizes: &[u128]) -> String {
    // Little-endian limbs in base 10⁹.
    const BASE: u128 = 1_000_000_000;
    let mut limbs: Vec<u128> = vec![1];
    for &size in sizes {
        // Multiply by `size` in base-10⁹ pieces so every product fits u128.
        let mut factor = size;
        let mut pieces = Vec::new();
        loop {
            pieces.push(factor % BASE);
            factor /= BASE;
            if factor == 0 {
                break;
            }
        }
        let mut product = vec![0u128; limbs.len() + pieces.len() + 1];
        for (i, &a) in limbs.iter().enumerate() {
            for (j, &b) in pieces.iter().enumerate() {
                product[i + j] += a * b;
            }
            // Normalise as we go so sums stay far below u128::MAX.
            let mut carry = 0;
            for limb in product.iter_mut() {
                let v = *limb + carry;
                *limb = v % BASE;
                carry = v / BASE;
            }
        }
        while product.len() > 1 && product.last() == Some(&0) {
            product.pop();
        }
        limbs = product;
    }
    let mut out = limbs.last().map(|l| l.to_string()).unwrap_or_default();
    for limb in limbs.iter().rev().skip(1) {
        out.push_str(&format!("{limb:09}"));
    }
    out
}

/// A count for people: exact up to 20 digits, otherwise in scientific
/// notation with four significant digits (`1.000e50`). `decimal` is the
/// exact count from [`exact_count`].
pub fn count_text(decimal: &str) -> String {
    if decimal.len() <= 20 {
        return decimal.to_string();
    }
    let digits: Vec<u8> = decimal.bytes().map(|b| b - b'0').collect();
    // Round to four significant digits, carrying into a fifth if needed.
    let mut mantissa: u64 = digits[..4].iter().fold(0, |m, &d| m * 10 + u64::from(d));
    let mut exponent = decimal.len() - 1;
    if digits[4] >= 5 {
        mantissa += 1;
        if mantissa == 10_000 {
            mantissa = 1_000;
            exponent += 1;
        }
    }
    format!("{}.{:03}e{}", mantissa / 1000, mantissa % 1000, exponent)
}

/// Values the scenario names on issue `issue`: positions, the status quo and
/// the value it takes when moot.
fn named_values(scenario: &Scenario, issue: usize) -> Vec<f64> {
    let mut out = Vec::new();
    let stances = scenario
        .actors
        .iter()
        .flat_map(|a| a.stances.iter())
        .chain(scenario.beliefs.iter().flat_map(|b| b.stances.iter()));
    for s in stances.filter(|s| s.issue == issue) {
        if let Some(p) = s.value.position() {
            out.push(p.as_f64());
        }
    }
    if let Some(sq) = &scenario.status_quo {
        out.push(sq[issue].as_f64());
    }
    // A moot issue takes its `otherwise` value, which must be on the grid.
    if let Some(c) = &scenario.issues[issue].condition {
        out.push(c.otherwise.as_f64());
    }
    out
}

/// Advances `digits` to the next outcome; false after the last.
pub fn next(digits: &mut [usize], radices: &[usize]) -> bool {
    next_changed(digits, radices).is_some()
}

/// Advances `digits` to the next outcome and returns the lowest issue whose
/// value changed (every issue after it changed too); `None` after the last.
pub fn next_changed(digits: &mut [usize], radices: &[usize]) -> Option<usize> {
    for i in (0..digits.len()).rev() {
        digits[i] += 1;
        if digits[i] < radices[i] {
            return Some(i);
        }
        digits[i] = 0;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_count_multiplies_beyond_u128() {
        assert_eq!(exact_count(&[]), "1");
        assert_eq!(exact_count(&[0, 5]), "0");
        assert_eq!(exact_count(&[27]), "27");
        assert_eq!(exact_count(&[10; 50]), format!("1{}", "0".repeat(50)));
        let big = 1u128 << 64;
        assert_eq!(exact_count(&[big, big]), "340282366920938463463374607431768211456");
        assert_eq!(exact_count(&[u128::from(u64::MAX), 3, 7]), (u128::from(u64::MAX) * 21).to_string());
    }

    #[test]
    fn count_text_is_exact_then_scientific() {
        assert_eq!(count_text("1944000"), "1944000");
        assert_eq!(count_text(&format!("1{}", "0".repeat(50))), "1.000e50");
        assert_eq!(count_text("340282366920938463463374607431768211456"), "3.403e38");
        assert_eq!(count_text(&"9".repeat(21)), "1.000e21");
    }
}
