//! Scenario discovery with PRIM, the Patient Rule Induction Method
//! (Friedman & Fisher 1999, "Bump hunting in high-dimensional data",
//! Statistics and Computing 9), as the EMA Workbench implements it for a
//! binary output (`ema_workbench.analysis.prim`).
//!
//! A box starts as the data's bounding box. **Peeling** tries, on every
//! input, cutting the lowest `peel_alpha` share of the box's points (the
//! lower bound moves up to the `peel_alpha` quantile) and the highest
//! (the upper bound moves down to the `1 − peel_alpha` quantile), scores each
//! cut by EMA's default objective `lenient1` — the gain in the box's mean per
//! point removed — and keeps the best (ties: more unrestricted inputs, then
//! the first tried, inputs in order, upper cut before lower), as long as the
//! gain is positive and the box keeps at least `mass_min` of all points.
//! Quantiles are EMA's `get_quantile` (the mean of the two order statistics
//! around the position, moved past ties).
//!
//! From the peeling trajectory we take the box of largest coverage whose
//! density reaches `threshold` (EMA leaves that choice to the analyst's
//! `select`; it pastes the last box), then **paste**: on each restricted
//! input, extend the bound by the `paste_alpha` quantile of the points just
//! outside it, keep the best extension while it raises both the mass and the
//! mean. A box whose density stays below `threshold` is not reported. Later
//! boxes are found the same way among the points outside earlier ones.
//! Bounds are inclusive.

/// PRIM's settings.
#[derive(Clone, Copy, Debug)]
pub struct PrimConfig {
    /// Share of a box's points a peel removes (EMA: 0.05).
    pub peel_alpha: f64,
    /// Share a paste adds (EMA: 0.05).
    pub paste_alpha: f64,
    /// Smallest box, as a share of all points (EMA: 0.05).
    pub mass_min: f64,
    /// Smallest density of a reported box (EMA: 0.8).
    pub threshold: f64,
    /// Most boxes reported.
    pub max_boxes: usize,
}

impl PrimConfig {
    /// The EMA Workbench's defaults, at most three boxes.
    pub fn ema() -> PrimConfig {
        PrimConfig { peel_alpha: 0.05, paste_alpha: 0.05, mass_min: 0.05, threshold: 0.8, max_boxes: 3 }
    }
}

/// One box found.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBox {
    /// Per input, the box's bounds (the data's bounds where unrestricted).
    pub limits: Vec<(f64, f64)>,
    /// Per input, whether the box restricts it.
    pub restricted: Vec<bool>,
    /// The initial box: per input, the data's bounds.
    pub initial: Vec<(f64, f64)>,
    /// Share of all cases of interest inside the box.
    pub coverage: f64,
    /// Share of the box's points that are cases of interest.
    pub density: f64,
    /// Share of all points inside the box.
    pub mass: f64,
}

/// One step of a peeling trajectory: limits, coverage, density, mass.
pub type Step = (Vec<(f64, f64)>, f64, f64, f64);

/// Per input, a box's bounds.
type Limits = Vec<(f64, f64)>;
/// A candidate box: its bounds and the points inside.
type Candidate = (Limits, Vec<usize>);

/// EMA's `get_quantile`.
pub fn quantile(data: &[f64], q: f64) -> f64 {
    let mut data = data.to_vec();
    data.sort_by(f64::total_cmp);
    let i = (data.len() - 1) as f64 * q;
    let (mut lower, mut higher) = (i.floor() as usize, i.ceil() as usize);
    if q > 0.5 {
        while data[lower] == data[higher] && lower > 0 {
            lower -= 1;
        }
    } else {
        while data[lower] == data[higher] && higher < data.len() - 1 {
            higher += 1;
        }
    }
    (data[lower] + data[higher]) / 2.0
}

struct Data<'a> {
    x: &'a [Vec<f64>],
    y: &'a [bool],
    init: Vec<(f64, f64)>,
    total_interest: usize,
}

impl Data<'_> {
    fn inside(&self, point: usize, limits: &[(f64, f64)]) -> bool {
        self.x[point].iter().zip(limits).all(|(v, (lo, hi))| v >= lo && v <= hi)
    }

    fn mean(&self, points: &[usize]) -> f64 {
        if points.is_empty() {
            return 0.0;
        }
        points.iter().filter(|&&p| self.y[p]).count() as f64 / points.len() as f64
    }

    /// EMA's `lenient1`: the change in mean per point removed or added.
    fn objective(&self, old: &[usize], new: &[usize]) -> f64 {
        let (m_old, m_new) = (self.mean(old), self.mean(new));
        if m_old == m_new || old.len() == new.len() {
            return 0.0;
        }
        (m_new - m_old) / old.len().abs_diff(new.len()) as f64
    }

    fn unrestricted(&self, limits: &[(f64, f64)]) -> usize {
        limits.iter().zip(&self.init).filter(|(l, i)| l == i).count()
    }

    fn step(&self, limits: &[(f64, f64)], points: &[usize]) -> Step {
        let interest = points.iter().filter(|&&p| self.y[p]).count();
        let coverage = if self.total_interest == 0 { 0.0 } else { interest as f64 / self.total_interest as f64 };
        (limits.to_vec(), coverage, self.mean(points), points.len() as f64 / self.x.len() as f64)
    }

    /// The best of `candidates` by (objective, unrestricted inputs), first
    /// on ties.
    fn best(&self, old: &[usize], candidates: Vec<Candidate>) -> Option<(f64, Limits, Vec<usize>)> {
        let mut best: Option<(f64, usize, Candidate)> = None;
        for (limits, points) in candidates {
            let obj = self.objective(old, &points);
            let free = self.unrestricted(&limits);
            if best.as_ref().is_none_or(|b| obj > b.0 || (obj == b.0 && free > b.1)) {
                best = Some((obj, free, (limits, points)));
            }
        }
        best.map(|(obj, _, (limits, points))| (obj, limits, points))
    }

    fn peel(&self, limits: &[(f64, f64)], points: &[usize], alpha: f64) -> Vec<Candidate> {
        let mut out = Vec::new();
        for u in 0..limits.len() {
            let column: Vec<f64> = points.iter().map(|&p| self.x[p][u]).collect();
            for upper in [true, false] {
                let q = quantile(&column, if upper { 1.0 - alpha } else { alpha });
                let kept: Vec<usize> = points
                    .iter()
                    .copied()
                    .filter(|&p| if upper { self.x[p][u] <= q } else { self.x[p][u] >= q })
                    .collect();
                let mut new = limits.to_vec();
                if upper {
                    new[u].1 = q;
                } else {
                    new[u].0 = q;
                }
                out.push((new, kept));
            }
        }
        out
    }

    fn paste(&self, limits: &[(f64, f64)], remaining: &[usize], alpha: f64) -> Vec<Candidate> {
        let mut out = Vec::new();
        for u in 0..limits.len() {
            if limits[u] == self.init[u] {
                continue;
            }
            for lower in [true, false] {
                let mut outside = limits.to_vec();
                outside[u] = if lower { (self.init[u].0, limits[u].0) } else { (limits[u].1, self.init[u].1) };
                let data: Vec<f64> =
                    remaining.iter().filter(|&&p| self.inside(p, &outside)).map(|&p| self.x[p][u]).collect();
                let mut new = limits.to_vec();
                if lower {
                    new[u].0 = if data.is_empty() { self.init[u].0 } else { quantile(&data, 1.0 - alpha) };
                } else {
                    new[u].1 = if data.is_empty() { self.init[u].1 } else { quantile(&data, alpha) };
                }
                let points = remaining.iter().copied().filter(|&p| self.inside(p, &new)).collect();
                out.push((new, points));
            }
        }
        out
    }
}

/// The peeling trajectory from the data's bounding box over `points`.
pub fn peeling_trajectory(x: &[Vec<f64>], y: &[bool], config: &PrimConfig) -> Vec<Step> {
    let data = Data::new(x, y);
    let all: Vec<usize> = (0..x.len()).collect();
    data.peel_all(&data.init.clone(), all, config).into_iter().map(|(s, _)| s).collect()
}

impl<'a> Data<'a> {
    fn new(x: &'a [Vec<f64>], y: &'a [bool]) -> Data<'a> {
        let n_inputs = x.first().map_or(0, Vec::len);
        let init = (0..n_inputs)
            .map(|u| {
                x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), row| (lo.min(row[u]), hi.max(row[u])))
            })
            .collect();
        Data { x, y, init, total_interest: y.iter().filter(|&&v| v).count() }
    }

    fn peel_all(&self, init: &[(f64, f64)], points: Vec<usize>, config: &PrimConfig) -> Vec<(Step, Vec<usize>)> {
        let n = self.x.len() as f64;
        let mut limits = init.to_vec();
        let mut points = points;
        let mut trajectory = vec![(self.step(&limits, &points), points.clone())];
        loop {
            let candidates = self.peel(&limits, &points, config.peel_alpha);
            let Some((obj, new_limits, new_points)) = self.best(&points, candidates) else { break };
            let (mass_old, mass_new) = (points.len() as f64 / n, new_points.len() as f64 / n);
            if !(mass_new >= config.mass_min && mass_new < mass_old && obj > 0.0) {
                break;
            }
            limits = new_limits;
            points = new_points;
            trajectory.push((self.step(&limits, &points), points.clone()));
        }
        trajectory
    }
}

/// Finds up to `config.max_boxes` boxes where `y` (the cases of interest)
/// is dense, over points `x` (one row per point, one column per input).
pub fn find_boxes(x: &[Vec<f64>], y: &[bool], config: &PrimConfig) -> Vec<PrimBox> {
    if x.is_empty() || x[0].is_empty() {
        return Vec::new();
    }
    let data = Data::new(x, y);
    let n = x.len() as f64;
    let mut remaining: Vec<usize> = (0..x.len()).collect();
    let mut boxes = Vec::new();
    while boxes.len() < config.max_boxes && !remaining.is_empty() {
        let trajectory = data.peel_all(&data.init, remaining.clone(), config);
        // The least peeled box dense enough: the largest coverage.
        let Some(((limits, _, _, _), points)) =
            trajectory.into_iter().find(|((_, _, density, _), _)| *density >= config.threshold)
        else {
            break;
        };
        let (mut limits, mut points) = (limits, points);
        loop {
            let candidates = data.paste(&limits, &remaining, config.paste_alpha);
            let Some((obj, new_limits, new_points)) = data.best(&points, candidates) else { break };
            let (mass_old, mass_new) = (points.len() as f64 / n, new_points.len() as f64 / n);
            if !(mass_new >= config.mass_min
                && mass_new > mass_old
                && obj > 0.0
                && data.mean(&new_points) > data.mean(&points))
            {
                break;
            }
            limits = new_limits;
            points = new_points;
        }
        let (_, coverage, density, mass) = data.step(&limits, &points);
        if points.is_empty() {
            break;
        }
        let restricted = limits.iter().zip(&data.init).map(|(l, i)| l != i).collect();
        let in_box: std::collections::BTreeSet<usize> = points.iter().copied().collect();
        remaining.retain(|p| !in_box.contains(p));
        boxes.push(PrimBox { limits, restricted, initial: data.init.clone(), coverage, density, mass });
    }
    boxes
}

/// Removes from each box the restrictions it does not need: greedily, the
/// restriction whose removal keeps the density highest, as long as the box
/// stays at or above `threshold`; then each restriction that is not
/// significant (quasi-p-value above 0.05), least significant first. The
/// box's coverage, density and mass are recomputed (the density may end
/// below `threshold`: what is reported is what the data support). Peeling on a few hundred points in many
/// dimensions restricts inputs that merely happened to split the sample
/// (the EMA Workbench leaves this to the analyst, with quasi-p-values);
/// what is left is the conditions the box's density depends on. Each box
/// is judged on the points no earlier box holds, as PRIM found it.
pub fn simplify(x: &[Vec<f64>], y: &[bool], boxes: &[PrimBox], threshold: f64) -> Vec<PrimBox> {
    let total_interest = y.iter().filter(|&&v| v).count().max(1) as f64;
    let n = x.len().max(1) as f64;
    let mut remaining: Vec<usize> = (0..x.len()).collect();
    let mut out = Vec::with_capacity(boxes.len());
    for b in boxes {
        let inside = |limits: &[(f64, f64)], p: usize| x[p].iter().zip(limits).all(|(v, (lo, hi))| v >= lo && v <= hi);
        let measure = |limits: &[(f64, f64)]| -> (usize, usize) {
            let pts: Vec<usize> = remaining.iter().copied().filter(|&p| inside(limits, p)).collect();
            (pts.len(), pts.iter().filter(|&&p| y[p]).count())
        };
        let mut limits = b.limits.clone();
        let mut restricted = b.restricted.clone();
        loop {
            // First a restriction the box stays dense enough without.
            let mut best: Option<(f64, usize)> = None;
            for k in (0..limits.len()).filter(|&k| restricted[k]) {
                let mut trial = limits.clone();
                trial[k] = b.initial[k];
                let (count, hits) = measure(&trial);
                let density = if count == 0 { 0.0 } else { hits as f64 / count as f64 };
                if density >= threshold && best.is_none_or(|(d, _)| density > d) {
                    best = Some((density, k));
                }
            }
            // Then the least significant restriction (Bryant & Lempert's
            // quasi-p-value, as the EMA Workbench computes it): the chance
            // that the box without it would hold as many deals among as
            // many points by luck. Above 5%, the data do not support it.
            let best = best.map(|(_, k)| k).or_else(|| {
                let (count, hits) = measure(&limits);
                (0..limits.len())
                    .filter(|&k| restricted[k])
                    .map(|k| {
                        let mut trial = limits.clone();
                        trial[k] = b.initial[k];
                        let (n_out, h_out) = measure(&trial);
                        let p = if n_out == 0 { 0.0 } else { h_out as f64 / n_out as f64 };
                        (binomial_at_least(hits, count, p), k)
                    })
                    .filter(|&(q, _)| q > 0.05)
                    .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                    .map(|(_, k)| k)
            });
            let Some(k) = best else { break };
            limits[k] = b.initial[k];
            restricted[k] = false;
        }
        let (count, hits) = measure(&limits);
        let pts: Vec<usize> = remaining.iter().copied().filter(|&p| inside(&limits, p)).collect();
        remaining.retain(|p| !pts.contains(p));
        out.push(PrimBox {
            limits,
            restricted,
            initial: b.initial.clone(),
            coverage: hits as f64 / total_interest,
            density: if count == 0 { 0.0 } else { hits as f64 / count as f64 },
            mass: count as f64 / n,
        });
    }
    out
}

/// `P(X ≥ k)` for `X ~ Binomial(n, p)`, summed in log space.
fn binomial_at_least(k: usize, n: usize, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let ln_choose = |j: usize| -> f64 { ln_factorial(n) - ln_factorial(j) - ln_factorial(n - j) };
    (k..=n).map(|j| (ln_choose(j) + j as f64 * p.ln() + (n - j) as f64 * (1.0 - p).ln()).exp()).sum::<f64>().min(1.0)
}

fn ln_factorial(n: usize) -> f64 {
    (2..=n).map(|i| (i as f64).ln()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_tail() {
        // Bin(4, 0.5): P(X ≥ 3) = 5/16; P(X ≥ 0) = 1.
        assert!((binomial_at_least(3, 4, 0.5) - 5.0 / 16.0).abs() < 1e-12);
        assert_eq!(binomial_at_least(0, 4, 0.5), 1.0);
        assert_eq!(binomial_at_least(1, 4, 0.0), 0.0);
    }

    #[test]
    fn simplifying_drops_restrictions_the_density_does_not_need() {
        // Interest is x0 ≥ 0.5; x1 is noise. A box restricting both keeps
        // only the x0 bound after simplification, with its full coverage.
        let x: Vec<Vec<f64>> = (0..100).map(|k| vec![(k % 10) as f64 / 10.0, (k / 10) as f64 / 10.0]).collect();
        let y: Vec<bool> = x.iter().map(|p| p[0] >= 0.5).collect();
        let initial = vec![(0.0, 0.9), (0.0, 0.9)];
        let noisy = PrimBox {
            limits: vec![(0.5, 0.9), (0.2, 0.7)],
            restricted: vec![true, true],
            initial: initial.clone(),
            coverage: 0.6,
            density: 1.0,
            mass: 0.3,
        };
        let simple = simplify(&x, &y, &[noisy], 0.8);
        assert_eq!(simple[0].restricted, vec![true, false]);
        assert_eq!(simple[0].limits, vec![(0.5, 0.9), (0.0, 0.9)]);
        assert_eq!((simple[0].coverage, simple[0].density, simple[0].mass), (1.0, 1.0, 0.5));
    }

    #[test]
    fn quantile_as_ema() {
        let d = [1.0, 2.0, 3.0, 4.0, 5.0];
        // (5 − 1)·0.05 = 0.2: between order statistics 0 and 1.
        assert_eq!(quantile(&d, 0.05), 1.5);
        assert_eq!(quantile(&d, 0.95), 4.5);
        // Ties move the other index past them.
        assert_eq!(quantile(&[1.0, 1.0, 1.0, 2.0], 0.05), 1.5);
        assert_eq!(quantile(&[1.0, 2.0, 2.0, 2.0], 0.95), 1.5);
    }

    #[test]
    fn hand_worked_peel() {
        // Ten points on a line, interest at x ≥ 0.7. The first peel on the
        // lower end cuts x < 0.05 (quantile (0 + 0.1)/2): one point, the
        // mean rises from 0.3 to 1/3, gain 1/30 per point; the upper peel
        // would lose interest. So the lower bound moves to 0.05.
        let x: Vec<Vec<f64>> = (0..10).map(|k| vec![k as f64 / 10.0]).collect();
        let y: Vec<bool> = (0..10).map(|k| k >= 7).collect();
        let config = PrimConfig { mass_min: 0.3, ..PrimConfig::ema() };
        let t = peeling_trajectory(&x, &y, &config);
        assert_eq!(t[0].0, vec![(0.0, 0.9)]);
        assert_eq!(t[1].0, vec![(0.05, 0.9)]);
        assert!((t[1].2 - 1.0 / 3.0).abs() < 1e-12);
        // Peeling goes on until the mass would fall below 0.3: the box
        // [0.65, 0.9] with every point of interest.
        let last = t.last().unwrap();
        assert!((last.0[0].0 - 0.65).abs() < 1e-12 && last.0[0].1 == 0.9, "{last:?}");
        assert_eq!((last.1, last.2, last.3), (1.0, 1.0, 0.3));
    }

    #[test]
    fn finds_a_planted_box() {
        // Interest where x0 < 0.3 and x1 > 0.6, on a 40 × 40 grid; x2 is
        // noise. The box should restrict x0 and x1 only, near those values.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..40 {
            for j in 0..40 {
                let (a, b) = ((i as f64 + 0.5) / 40.0, (j as f64 + 0.5) / 40.0);
                x.push(vec![a, b, ((i * 7 + j * 13) % 40) as f64 / 40.0]);
                y.push(a < 0.3 && b > 0.6);
            }
        }
        let boxes = find_boxes(&x, &y, &PrimConfig::ema());
        let b = &boxes[0];
        assert_eq!(b.restricted, vec![true, true, false], "{b:?}");
        // The least peeled box dense enough keeps every case of interest.
        assert!((b.limits[0].1 - 0.3).abs() < 0.05 && (0.45..=0.6).contains(&b.limits[1].0), "{b:?}");
        assert!(b.density >= 0.8 && b.coverage > 0.8, "{b:?}");
    }
}
