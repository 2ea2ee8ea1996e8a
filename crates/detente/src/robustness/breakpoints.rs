//! One-at-a-time breakpoints: the value at which one judgement, the others
//! held at the file's values, flips the verdict.
//!
//! The range is scanned on a grid of [`GRID`] intervals plus the file's
//! value; walking outward from the file's value, the first grid step where
//! the verdict changes is bisected until the bracket is narrower than
//! [`TOLERANCE`] times the range's width. A flip inside one grid step and
//! back again is not seen (the grid step is 1/64 of the range).

/// Grid intervals over the range.
pub const GRID: usize = 64;
/// Bisection stops when the bracket is narrower than this share of the
/// range's width.
pub const TOLERANCE: f64 = 1e-6;

/// Where a judgement alone flips the verdict.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Breakpoint {
    /// The first value (within the tolerance) at which the verdict differs
    /// from the file's.
    pub value: f64,
    /// True when the flip lies above the file's value.
    pub above: bool,
}

/// Finds the breakpoint of a judgement with file value `file` over
/// `low..=high`, `verdict(x)` giving the verdict with the judgement at `x`.
pub fn breakpoint<E>(
    file: f64,
    low: f64,
    high: f64,
    verdict: &dyn Fn(f64) -> Result<bool, E>,
) -> Result<Option<Breakpoint>, E> {
    let at_file = verdict(file)?;
    let width = high - low;
    let grid: Vec<f64> =
        (0..=GRID).map(|k| if k == GRID { high } else { low + width * k as f64 / GRID as f64 }).collect();
    let tolerance = width * TOLERANCE;
    let mut best: Option<Breakpoint> = None;
    for above in [false, true] {
        // Points from the file's value outward, in this direction.
        let mut points: Vec<f64> = grid.iter().copied().filter(|&x| if above { x > file } else { x < file }).collect();
        if !above {
            points.reverse();
        }
        let mut inside = file;
        for x in points {
            if verdict(x)? != at_file {
                let value = bisect(inside, x, tolerance, at_file, verdict)?;
                let candidate = Breakpoint { value, above };
                if best.is_none_or(|b| (value - file).abs() < (b.value - file).abs()) {
                    best = Some(candidate);
                }
                break;
            }
            inside = x;
        }
    }
    Ok(best)
}

/// Narrows `[inside, outside]` (verdict `at_file` at `inside`, the other at
/// `outside`) to `tolerance`; returns the flipped end.
fn bisect<E>(
    mut inside: f64,
    mut outside: f64,
    tolerance: f64,
    at_file: bool,
    verdict: &dyn Fn(f64) -> Result<bool, E>,
) -> Result<f64, E> {
    while (outside - inside).abs() > tolerance {
        let mid = 0.5 * (inside + outside);
        if mid == inside || mid == outside {
            break;
        }
        if verdict(mid)? == at_file {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    Ok(outside)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(file: f64, threshold: f64, deal_below: bool) -> Option<Breakpoint> {
        let v = |x: f64| Ok::<bool, ()>(if deal_below { x < threshold } else { x >= threshold });
        breakpoint(file, 0.0, 1.0, &v).unwrap()
    }

    #[test]
    fn finds_the_flip_on_either_side() {
        let b = find(0.2, 0.537, true).unwrap();
        assert!(b.above && (b.value - 0.537).abs() <= 1e-6, "{b:?}");
        let b = find(0.9, 0.31, false).unwrap();
        assert!(!b.above && (b.value - 0.31).abs() <= 1e-6 && b.value < 0.31, "{b:?}");
    }

    #[test]
    fn none_when_the_verdict_never_flips() {
        assert_eq!(find(0.5, 2.0, true), None);
    }

    #[test]
    fn the_nearest_flip_wins() {
        // A deal only inside 0.4..0.7; from 0.5 the nearer edge is 0.4.
        let v = |x: f64| Ok::<bool, ()>((0.4..0.7).contains(&x));
        let b = breakpoint(0.5, 0.0, 1.0, &v).unwrap().unwrap();
        assert!(!b.above && (b.value - 0.4).abs() < 1e-6, "{b:?}");
    }
}
