//! The one rule by which detente decides "prefers" and "no worse off".
//!
//! Every number in a scenario is a decimal as written in the file, and every
//! utility detente derives from them (salience-weighted sums of table
//! values, distances on an issue, affine functions, rectangle credits) is a
//! rational number. Floating-point sums of those numbers miss the true value
//! by about 10⁻¹⁶ in a direction that depends on summation order, so a party
//! whose utility *equals* its reservation value could be counted as gaining
//! (or losing) by accident, and a verdict would hang on rounding.
//!
//! **The rule.** A utility is compared with a reservation value as the exact
//! rational number the file's decimals define (`0.1` is 1/10, not the
//! nearest binary fraction). Floating point decides when the two are more
//! than [`TOLERANCE`] apart, relative to their size, which is orders of
//! magnitude above any rounding error a utility computation can make; exact
//! rational arithmetic decides every closer case. The result does not depend
//! on summation order.
//!
//! Comparisons between two outcomes' utilities (Pareto dominance, the
//! bargaining solutions) are decided on the comparison grid of
//! [`crate::analysis::pareto::snap`]; they order outcomes but never decide
//! whether a deal exists.
//!
//! ```
//! use detente::scenario::exact::{compare, decimal};
//! use std::cmp::Ordering;
//!
//! // 0.1 + 0.2 is 0.30000000000000004 in floating point, yet equals 0.3.
//! let u = 0.1 + 0.2;
//! assert!(u > 0.3);
//! let exact = || Some((decimal(0.1)? + decimal(0.2)?, decimal(0.3)?));
//! assert_eq!(compare(u, 0.3, exact), Ordering::Equal);
//! ```

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::{Actor, Domain, Issue, Reservation, Scenario, UtilityModel, Value, ValueFunction};

/// Relative gap below which two utilities are compared exactly.
pub const TOLERANCE: f64 = 1e-9;

/// The decimal `x` prints as (its shortest round-trip form): `0.1` is 1/10.
/// `None` for infinities and NaN.
pub fn decimal(x: f64) -> Option<BigRational> {
    if !x.is_finite() {
        return None;
    }
    // `{:e}` prints the shortest digits that read back as `x`: "1.5e-1".
    let text = format!("{x:e}");
    let (mantissa, exponent) = text.split_once('e')?;
    let exponent: i64 = exponent.parse().ok()?;
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: BigInt = format!("{whole}{fraction}").parse().ok()?;
    let scale = exponent - fraction.len() as i64;
    let ten = BigInt::from(10u8);
    let power = num_traits::pow(ten, scale.unsigned_abs() as usize);
    let magnitude =
        if scale >= 0 { BigRational::from_integer(digits * power) } else { BigRational::new(digits, power) };
    Some(if negative { -magnitude } else { magnitude })
}

/// Orders utility `u` against `r` under the rule: by their floating-point
/// values when they are clearly apart, else by the exact pair `exact`
/// returns (utility, reservation). Falls back to floating point only when
/// `exact` has no answer (a non-finite input).
pub fn compare(u: f64, r: f64, exact: impl FnOnce() -> Option<(BigRational, BigRational)>) -> Ordering {
    if clearly_apart(u, r) {
        return u.total_cmp(&r);
    }
    match exact() {
        Some((a, b)) => a.cmp(&b),
        None => u.partial_cmp(&r).unwrap_or(Ordering::Equal),
    }
}

/// Whether `u` and `r` differ by more than [`TOLERANCE`] relative to their
/// size, so that floating point orders them correctly.
pub fn clearly_apart(u: f64, r: f64) -> bool {
    (u - r).abs() > TOLERANCE * (1.0 + u.abs().max(r.abs()))
}

/// `u`, moved to the floating-point value that compares with `r` as the
/// exact utility does (`order` is [`compare`]'s answer): `r` itself on a
/// tie, the next float past `r` when rounding put `u` on the wrong side.
/// Every later `u > r` or `u >= r` on the result is then exact, and the
/// utility moves by at most a few units in the last place.
pub fn settle(u: f64, r: f64, order: Ordering) -> f64 {
    match order {
        Ordering::Equal => r,
        Ordering::Greater if u <= r => r.next_up(),
        Ordering::Less if u >= r => r.next_down(),
        _ => u,
    }
}

fn value(x: &Value) -> Option<BigRational> {
    match *x {
        Value::Option(i) => Some(BigRational::from_integer(BigInt::from(i))),
        Value::Int(v) => Some(BigRational::from_integer(BigInt::from(v))),
        Value::Real(v) => decimal(v),
    }
}

fn clamp01(x: BigRational) -> BigRational {
    if x.is_negative() {
        BigRational::zero()
    } else if x > BigRational::one() {
        BigRational::one()
    } else {
        x
    }
}

impl Domain {
    /// [`Domain::raw_distance`], exactly.
    pub fn raw_distance_exact(&self, a: &Value, b: &Value) -> Option<BigRational> {
        match self {
            Domain::Discrete { ordered: false, .. } => {
                Some(if a == b { BigRational::zero() } else { BigRational::one() })
            }
            _ => Some((value(a)? - value(b)?).abs()),
        }
    }

    /// [`Domain::span`], exactly.
    pub fn span_exact(&self) -> Option<BigRational> {
        match self {
            Domain::Discrete { options, ordered: true } => {
                Some(BigRational::from_integer(BigInt::from(options.len().saturating_sub(1))))
            }
            Domain::Discrete { ordered: false, .. } => Some(BigRational::one()),
            Domain::Integer { min, max, .. } => {
                Some(BigRational::from_integer(BigInt::from(*max) - BigInt::from(*min)))
            }
            Domain::Continuous { min, max, .. } => Some(decimal(*max)? - decimal(*min)?),
        }
    }

    /// [`Domain::distance`], exactly.
    pub fn distance_exact(&self, a: &Value, b: &Value) -> Option<BigRational> {
        let span = self.span_exact()?;
        if !span.is_positive() {
            return Some(BigRational::zero());
        }
        Some(clamp01(self.raw_distance_exact(a, b)? / span))
    }
}

impl ValueFunction {
    /// [`ValueFunction::eval`], exactly.
    pub fn eval_exact(&self, domain: &Domain, x: &Value) -> Option<BigRational> {
        let one = BigRational::one();
        Some(match self {
            ValueFunction::Linear { position } => one - domain.distance_exact(x, position)?,
            ValueFunction::Quadratic { position } => {
                let d = domain.distance_exact(x, position)?;
                one - &d * &d
            }
            ValueFunction::Step { position, tolerance } => {
                if domain.raw_distance_exact(x, position)? <= decimal(*tolerance)? {
                    one
                } else {
                    BigRational::zero()
                }
            }
            ValueFunction::Table { values } => match x {
                Value::Option(i) => match values.get(*i) {
                    Some(v) => decimal(*v)?,
                    None => BigRational::zero(),
                },
                _ => BigRational::zero(),
            },
            ValueFunction::Affine { slope, offset } => {
                let from_min = match (domain, x) {
                    (Domain::Integer { min, .. }, Value::Int(v)) => {
                        BigRational::from_integer(BigInt::from(*v) - BigInt::from(*min))
                    }
                    (Domain::Continuous { min, .. }, Value::Real(v)) => decimal(*v)? - decimal(*min)?,
                    _ => return Some(BigRational::zero()),
                };
                clamp01(decimal(*offset)? + decimal(*slope)? * from_min)
            }
        })
    }
}

impl Actor {
    /// [`Actor::utility`], exactly: the weights are the saliences divided by
    /// their exact sum, and the cap at 1 is kept.
    pub fn utility_exact(&self, issues: &[Issue], outcome: &[Value]) -> Option<BigRational> {
        let sum = match &self.utility_model {
            UtilityModel::Additive => {
                let saliences: Vec<BigRational> =
                    self.stances.iter().map(|s| decimal(s.salience)).collect::<Option<_>>()?;
                let total: BigRational = saliences.iter().sum();
                let normalise = self.normalize && total.is_positive();
                let mut sum = BigRational::zero();
                for (s, salience) in self.stances.iter().zip(saliences) {
                    let v = s.value.eval_exact(&issues[s.issue].domain, &outcome[s.issue])?;
                    let w = if normalise { salience / &total } else { salience };
                    sum += w * v;
                }
                if !self.interactions.is_empty() {
                    for term in self.interactions.iter().filter(|t| t.rule.holds(outcome)) {
                        sum += decimal(term.value)?;
                    }
                    return Some(clamp01(sum));
                }
                sum
            }
            UtilityModel::Rectangles(r) => {
                let mut sum = BigRational::zero();
                for rect in r.rectangles.iter().filter(|rect| rect.credits(outcome)) {
                    sum += decimal(rect.utility)?;
                }
                sum / decimal(r.max_utility)?
            }
        };
        Some(if sum > BigRational::one() { BigRational::one() } else { sum })
    }

    /// The reservation value, exactly (the status quo's utility when the
    /// reservation is the status quo; 0 without a status quo).
    pub fn reservation_exact(&self, scenario: &Scenario) -> Option<BigRational> {
        self.reservation_exact_at(&scenario.issues, scenario.status_quo.as_deref())
    }

    /// [`Actor::reservation_exact`] with the issues and status quo given.
    pub fn reservation_exact_at(&self, issues: &[Issue], status_quo: Option<&[Value]>) -> Option<BigRational> {
        match self.reservation {
            Reservation::Value(v) => decimal(v),
            Reservation::StatusQuo => match status_quo {
                Some(sq) => self.utility_exact(issues, sq),
                None => Some(BigRational::zero()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn decimals_read_as_written() {
        assert_eq!(decimal(0.1), Some(q(1, 10)));
        assert_eq!(decimal(-2.5), Some(q(-5, 2)));
        assert_eq!(decimal(0.0), Some(q(0, 1)));
        assert_eq!(decimal(1e-7), Some(q(1, 10_000_000)));
        assert_eq!(decimal(123456.0), Some(q(123456, 1)));
        assert_eq!(decimal(1.0000518), Some(q(10000518, 10_000_000)));
        assert_eq!(decimal(f64::NAN), None);
        assert_eq!(decimal(f64::INFINITY), None);
        // Extremes still parse.
        assert!(decimal(f64::MAX).is_some());
        assert!(decimal(f64::MIN_POSITIVE / 4.0).is_some_and(|x| x.is_positive()));
    }

    #[test]
    fn far_apart_values_never_ask_for_exact_ones() {
        let order = compare(0.5, 0.4, || panic!("not needed"));
        assert_eq!(order, Ordering::Greater);
    }

    #[test]
    fn rounding_in_either_direction_is_undone() {
        // 53/123 summed two ways lands on either side of its own float.
        let r: f64 = 53.0 / 123.0;
        for u in [r.next_up(), r.next_down(), r] {
            let order = compare(u, r, || Some((q(53, 123), q(53, 123))));
            assert_eq!(order, Ordering::Equal);
            assert_eq!(settle(u, r, order), r);
        }
        // A genuine tiny gain survives settling on the right side.
        let settled = settle(r, r, Ordering::Greater);
        assert!(settled > r);
        let settled = settle(r.next_up(), r, Ordering::Less);
        assert!(settled < r);
    }
}
