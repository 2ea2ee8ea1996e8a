//! Pareto frontiers of utility vectors, exact, for any number of parties.

/// A point in utility space: an outcome number and one utility per party.
#[derive(Clone, Debug, PartialEq)]
pub struct UtilityPoint {
    /// Outcome number in the enumeration order of the outcome space.
    pub index: u64,
    /// Utilities, one per party.
    pub utilities: Vec<f64>,
}

/// Whether `a` Pareto-dominates `b`: at least as good for everyone and
/// strictly better for someone, compared on the [`snap`] grid.
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strictly = false;
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (snap(*x), snap(*y));
        if x < y {
            return false;
        }
        if x > y {
            strictly = true;
        }
    }
    strictly
}

/// Whether `a` and `b` are the same utility vector on the [`snap`] grid.
pub fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| snap(*x) == snap(*y))
}

// Lexicographic order, best first (higher utilities, then the lower outcome
// number), puts a dominating point before every point it dominates, which is
// what makes one forward sweep exact.

/// The non-dominated points of `points`, one per distinct utility vector
/// (the lowest outcome number), sorted best-first by the first party's
/// utility. Exact; `O(n log n)` for two parties.
pub fn frontier(points: Vec<UtilityPoint>) -> Vec<UtilityPoint> {
    let dim = points.first().map_or(0, |p| p.utilities.len());
    let flat: Vec<f64> = points.iter().flat_map(|p| p.utilities.iter().copied()).collect();
    let index: Vec<u64> = points.iter().map(|p| p.index).collect();
    frontier_flat(dim, &flat, &index)
}

/// [`frontier`] over flat storage: point `k` has utilities
/// `utilities[k*dim..(k+1)*dim]` and outcome number `index[k]`. Only the
/// survivors are allocated as [`UtilityPoint`]s.
pub fn frontier_flat(dim: usize, utilities: &[f64], index: &[u64]) -> Vec<UtilityPoint> {
    frontier_with(dim, utilities, index, false)
}

/// The same frontier by the plain quadratic scan (every point checked
/// against every point kept so far), for any number of parties. Slow, but
/// simple enough to trust: the faster methods of [`frontier_flat`] are
/// property-tested against it.
pub fn frontier_scan(dim: usize, utilities: &[f64], index: &[u64]) -> Vec<UtilityPoint> {
    frontier_with(dim, utilities, index, true)
}

fn frontier_with(dim: usize, utilities: &[f64], index: &[u64], scan: bool) -> Vec<UtilityPoint> {
    let n = index.len();
    if n == 0 || dim == 0 {
        return Vec::new();
    }
    let raw = utilities;
    let snapped: Vec<f64> = utilities.iter().map(|&x| snap(x)).collect();
    let utilities = &snapped[..];
    let u = |k: usize| &utilities[k * dim..(k + 1) * dim];
    let lex = |a: usize, b: usize| {
        for (x, y) in u(a).iter().zip(u(b)) {
            match y.total_cmp(x) {
                std::cmp::Ordering::Equal => continue,
                other => return other,
            }
        }
        index[a].cmp(&index[b])
    };
    let mut order: Vec<usize> = (0..n).collect();
    let mut keep: Vec<usize> = Vec::new();
    // For two and three parties, sort on integer keys (the snapped values'
    // order-preserving bit patterns, inverted for "best first"), which is
    // several times faster than comparing slices through a closure.
    let key = |x: f64| -> u64 {
        let b = x.to_bits();
        !(if b >> 63 == 1 { !b } else { b | (1 << 63) })
    };
    if dim == 2 && !scan {
        let mut keys: Vec<(u64, u64, u64, u32)> =
            (0..n).map(|k| (key(u(k)[0]), key(u(k)[1]), index[k], k as u32)).collect();
        keys.sort_unstable();
        order = keys.into_iter().map(|t| t.3 as usize).collect();
        let mut best_second = f64::NEG_INFINITY;
        for k in order {
            if u(k)[1] > best_second {
                best_second = u(k)[1];
                keep.push(k);
            }
        }
    } else if dim == 3 && !scan {
        // Sweep in lexicographic order keeping the staircase of the (u2, u3)
        // pairs seen so far: a point is dominated (or repeated) exactly when
        // an earlier point has u2 and u3 at least as large, which the
        // staircase answers in O(log n).
        let mut keys: Vec<(u64, u64, u64, u64, u32)> =
            (0..n).map(|k| (key(u(k)[0]), key(u(k)[1]), key(u(k)[2]), index[k], k as u32)).collect();
        keys.sort_unstable();
        order = keys.into_iter().map(|t| t.4 as usize).collect();
        let mut stairs: std::collections::BTreeMap<OrdF64, f64> = std::collections::BTreeMap::new();
        for k in order {
            let (y, z) = (u(k)[1], u(k)[2]);
            if stairs.range(OrdF64(y)..).next().is_some_and(|(_, &best_z)| best_z >= z) {
                continue;
            }
            keep.push(k);
            // Remove the steps the new point covers (u2 ≤ y and u3 ≤ z).
            let covered: Vec<OrdF64> =
                stairs.range(..=OrdF64(y)).rev().take_while(|(_, &w)| w <= z).map(|(k, _)| *k).collect();
            for c in covered {
                stairs.remove(&c);
            }
            stairs.insert(OrdF64(y), z);
        }
    } else {
        // Largest sum first: a dominating point has a sum at least as large
        // (floating addition is monotone), and ties fall back to the
        // lexicographic order, so dominators still come first — and strong
        // dominators come early, which keeps the scans short.
        let sums: Vec<f64> = (0..n).map(|k| u(k).iter().sum()).collect();
        order.sort_unstable_by(|&a, &b| sums[b].total_cmp(&sums[a]).then_with(|| lex(a, b)));
        if scan {
            for k in order {
                let p = u(k);
                let covered = keep.iter().any(|&q| u(q) == p || dominates(u(q), p));
                if !covered {
                    keep.push(k);
                }
            }
        } else {
            // The same scan, but "is a kept point at least as good for
            // everyone?" is a k-d tree query instead of a pass over every
            // kept point (thousands, with four or more parties).
            let mut tree = Orthants::new(dim, utilities);
            for k in order {
                if !tree.covers(u(k)) {
                    keep.push(k);
                    tree.insert(k);
                }
            }
        }
        keep.sort_unstable_by(|&a, &b| lex(a, b));
    }
    keep.into_iter()
        .map(|k| UtilityPoint { index: index[k], utilities: raw[k * dim..(k + 1) * dim].to_vec() })
        .collect()
}

/// A static k-d tree over every candidate point in which points are
/// switched on one at a time, answering "is a switched-on point at least as
/// large as `p` on every axis?" (an orthant query). Each node keeps, per
/// axis, the largest value among the switched-on points below it, so a
/// subtree with nothing on (or nothing large enough) is skipped at once.
///
/// With candidates taken in an order where a point's dominators come first
/// (largest sum first), switching on exactly the points not covered yields
/// the frontier of the plain scan, point for point: the query is the scan's
/// test (`q == p` or `q` dominates `p`, for snapped finite values) over the
/// same kept set.
struct Orthants<'a> {
    dim: usize,
    /// Snapped utilities, `dim` per point.
    u: &'a [f64],
    /// Point at each tree position: the median of its range on the axis of
    /// its depth (`depth % dim`), smaller values before, larger after.
    at: Vec<u32>,
    /// Tree position of each point.
    position: Vec<u32>,
    /// Whether the point at each position is switched on.
    on: Vec<bool>,
    /// Per position and axis, the largest value switched on in its subtree.
    max: Vec<f64>,
    /// Ranges still to search, kept between queries.
    stack: Vec<(usize, usize, usize)>,
}

impl<'a> Orthants<'a> {
    fn new(dim: usize, u: &'a [f64]) -> Orthants<'a> {
        let n = u.len() / dim;
        let mut at: Vec<u32> = (0..n as u32).collect();
        // Build iteratively: (lo, hi, depth) ranges still to split.
        let mut todo = vec![(0usize, n, 0usize)];
        while let Some((lo, hi, depth)) = todo.pop() {
            if hi - lo <= 1 {
                continue;
            }
            let axis = depth % dim;
            let mid = (lo + hi) / 2;
            at[lo..hi].select_nth_unstable_by(mid - lo, |&a, &b| {
                u[a as usize * dim + axis].total_cmp(&u[b as usize * dim + axis])
            });
            todo.push((lo, mid, depth + 1));
            todo.push((mid + 1, hi, depth + 1));
        }
        let mut position = vec![0u32; n];
        for (pos, &k) in at.iter().enumerate() {
            position[k as usize] = pos as u32;
        }
        Orthants { dim, u, at, position, on: vec![false; n], max: vec![f64::NEG_INFINITY; n * dim], stack: Vec::new() }
    }

    fn point(&self, k: usize) -> &[f64] {
        &self.u[k * self.dim..(k + 1) * self.dim]
    }

    /// Switches point `k` on.
    fn insert(&mut self, k: usize) {
        let target = self.position[k] as usize;
        let (mut lo, mut hi) = (0, self.at.len());
        loop {
            let mid = (lo + hi) / 2;
            for (m, &x) in self.max[mid * self.dim..(mid + 1) * self.dim].iter_mut().zip(&self.u[k * self.dim..]) {
                *m = m.max(x);
            }
            match target.cmp(&mid) {
                std::cmp::Ordering::Equal => break,
                std::cmp::Ordering::Less => hi = mid,
                std::cmp::Ordering::Greater => lo = mid + 1,
            }
        }
        self.on[target] = true;
    }

    /// Whether a switched-on point is at least `p` on every axis.
    fn covers(&mut self, p: &[f64]) -> bool {
        let at_least = |q: &[f64]| q.iter().zip(p).all(|(x, y)| x >= y);
        let mut todo = std::mem::take(&mut self.stack);
        todo.clear();
        todo.push((0, self.at.len(), 0));
        let mut found = false;
        while let Some((lo, hi, depth)) = todo.pop() {
            if lo >= hi {
                continue;
            }
            let mid = (lo + hi) / 2;
            if !at_least(&self.max[mid * self.dim..(mid + 1) * self.dim]) {
                continue;
            }
            let k = self.at[mid] as usize;
            let q = self.point(k);
            if self.on[mid] && at_least(q) {
                found = true;
                break;
            }
            let axis = depth % self.dim;
            // Values before the median are at most its value: no use
            // looking there when `p` asks for more.
            if p[axis] <= q[axis] {
                todo.push((lo, mid, depth + 1));
            }
            todo.push((mid + 1, hi, depth + 1));
        }
        self.stack = todo;
        found
    }
}

/// Grid on which utilities are compared: 2⁻⁴⁰ ≈ 9·10⁻¹³.
const SNAP: f64 = 1_099_511_627_776.0;

/// `x` rounded to the comparison grid. Utilities are sums of products
/// evaluated in a fixed order; two outcomes that tie mathematically can
/// differ by ~10⁻¹⁶ in floating point, and comparing raw values would then
/// call one of them dominated (or not) by accident. Dominance and ties are
/// decided on the grid; the utilities reported are the raw ones.
pub fn snap(x: f64) -> f64 {
    // Adding and subtracting 1.5·2⁵² rounds to the nearest integer in one
    // addition (round half to even), much faster than a libm `round` call
    // in the hottest loop; valid while |x·2⁴⁰| < 2⁵¹, i.e. |x| < 2048.
    const MAGIC: f64 = 6_755_399_441_055_744.0;
    let y = x * SNAP;
    if y.abs() < 2_251_799_813_685_248.0 {
        ((y + MAGIC) - MAGIC) / SNAP
    } else {
        x
    }
}

/// An `f64` ordered by [`f64::total_cmp`], for use as a map key.
#[derive(Clone, Copy, Debug, PartialEq)]
struct OrdF64(f64);

impl Eq for OrdF64 {}

impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrdF64 {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Collects the points of one chunk and yields their exact frontier.
///
/// Two parties keep the frontier itself as a staircase (a map from the
/// first utility to the second, the second falling as the first rises), so
/// each point costs one look-up and most are rejected at once. More parties
/// store the points an [`Elite`] does not reject and sort them at the end.
#[derive(Clone, Debug)]
pub enum Collector {
    /// Two parties: the running frontier, keyed by the snapped first utility
    /// (order-preserving bits), holding (snapped second utility, raw
    /// utilities, outcome number).
    Stairs(std::collections::BTreeMap<u64, (f64, [f64; 2], u64)>),
    /// Any number of parties: flat storage behind an elite pre-filter.
    Buffer {
        /// Parties.
        dim: usize,
        /// Stored utilities, `dim` per point.
        utilities: Vec<f64>,
        /// Stored outcome numbers.
        index: Vec<u64>,
        /// The pre-filter.
        elite: Elite,
    },
}

/// Order-preserving bits of a float (ascending).
fn order_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

impl Collector {
    /// An empty collector for `dim` parties.
    pub fn new(dim: usize) -> Collector {
        if dim == 2 {
            Collector::Stairs(std::collections::BTreeMap::new())
        } else {
            Collector::Buffer { dim, utilities: Vec::new(), index: Vec::new(), elite: Elite::new(dim) }
        }
    }

    /// Offers the point `p` of outcome `index`; points must come in
    /// increasing outcome number, so a repeated utility vector keeps its
    /// first (lowest-numbered) outcome.
    pub fn offer(&mut self, p: &[f64], index: u64) {
        match self {
            Collector::Stairs(stairs) => {
                let (x, y) = (snap(p[0]), snap(p[1]));
                let k = order_key(x);
                if stairs.range(k..).next().is_some_and(|(_, v)| v.0 >= y) {
                    return;
                }
                while let Some((&key, v)) = stairs.range(..=k).next_back() {
                    if v.0 > y {
                        break;
                    }
                    stairs.remove(&key);
                }
                stairs.insert(k, (y, [p[0], p[1]], index));
            }
            Collector::Buffer { utilities, index: idx, elite, .. } => {
                if elite.admit(p) {
                    utilities.extend_from_slice(p);
                    idx.push(index);
                }
            }
        }
    }

    /// The exact frontier of every point offered, best first.
    pub fn finish(self) -> Vec<UtilityPoint> {
        match self {
            Collector::Stairs(stairs) => {
                stairs.into_values().rev().map(|(_, u, index)| UtilityPoint { index, utilities: u.to_vec() }).collect()
            }
            Collector::Buffer { dim, utilities, index, .. } => frontier_flat(dim, &utilities, &index),
        }
    }
}

/// A few strong points seen so far, used to drop dominated points before
/// they are stored: most of a large space is dominated by a handful of
/// outcomes, so the exact frontier then sorts only what survives.
///
/// Dropping is safe: a point is dropped only when an earlier point (with a
/// lower outcome number) is at least as good for everyone, and that earlier
/// point was stored.
#[derive(Clone, Debug)]
pub struct Elite {
    dim: usize,
    /// Elite points, already snapped.
    points: Vec<f64>,
    sums: Vec<f64>,
    scratch: Vec<f64>,
}

/// How many elite points are kept.
const ELITE: usize = 16;

impl Elite {
    /// An empty elite for `dim` parties.
    pub fn new(dim: usize) -> Elite {
        Elite { dim, points: Vec::with_capacity(ELITE * dim), sums: Vec::with_capacity(ELITE), scratch: vec![0.0; dim] }
    }

    /// False when an elite point is at least as good as `p` for everyone;
    /// otherwise true, and `p` may join the elite.
    pub fn admit(&mut self, p: &[f64]) -> bool {
        for (s, x) in self.scratch.iter_mut().zip(p) {
            *s = snap(*x);
        }
        let p = &self.scratch;
        for q in self.points.chunks_exact(self.dim) {
            if q.iter().zip(p).all(|(a, b)| a >= b) {
                return false;
            }
        }
        let sum: f64 = p.iter().sum();
        if self.sums.len() < ELITE {
            self.points.extend_from_slice(p);
            self.sums.push(sum);
        } else if let Some((k, _)) =
            self.sums.iter().enumerate().filter(|(_, s)| **s < sum).min_by(|a, b| a.1.total_cmp(b.1))
        {
            self.points[k * self.dim..(k + 1) * self.dim].copy_from_slice(p);
            self.sums[k] = sum;
        }
        true
    }
}

/// The frontier of the union of two frontiers.
pub fn merge(a: Vec<UtilityPoint>, b: Vec<UtilityPoint>) -> Vec<UtilityPoint> {
    let mut all = a;
    all.extend(b);
    frontier(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pts(v: &[(f64, f64)]) -> Vec<UtilityPoint> {
        v.iter().enumerate().map(|(i, &(a, b))| UtilityPoint { index: i as u64, utilities: vec![a, b] }).collect()
    }

    #[test]
    fn hand_worked_two_party() {
        // (1,0) (0,1) (0.5,0.5) are optimal; (0.4,0.4) and (0.5,0.2) are not;
        // the duplicate (0.5,0.5) keeps the lower index.
        let f = frontier(pts(&[(0.4, 0.4), (1.0, 0.0), (0.5, 0.5), (0.0, 1.0), (0.5, 0.2), (0.5, 0.5)]));
        let got: Vec<u64> = f.iter().map(|p| p.index).collect();
        assert_eq!(got, vec![1, 2, 3]);
    }

    #[test]
    fn ties_on_one_axis() {
        // (1, 0.5) dominates (1, 0.2) and (0.7, 0.5).
        let f = frontier(pts(&[(1.0, 0.2), (0.7, 0.5), (1.0, 0.5)]));
        assert_eq!(f.iter().map(|p| p.index).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn snap_rounds_to_the_grid() {
        assert_eq!(snap(0.1 + 0.2), snap(0.3));
        assert_eq!(snap(1.0), 1.0);
        assert_eq!(snap(-0.5), -0.5);
        assert_eq!(snap(1e300), 1e300);
        let step = 1.0 / SNAP;
        assert_eq!(snap(0.25 + 0.4 * step), 0.25);
        assert_eq!(snap(0.25 + 0.6 * step), 0.25 + step);
    }

    /// 0.1 + 0.2 is 0.30000000000000004 in floating point: the two first
    /// points tie, so neither dominates the other and the lower index stays.
    #[test]
    fn rounding_twins_tie() {
        let f = frontier(pts(&[(0.3, 0.5), (0.1 + 0.2, 0.5), (0.29, 0.6)]));
        assert_eq!(f.iter().map(|p| p.index).collect::<Vec<_>>(), vec![0, 2]);
        let three: Vec<UtilityPoint> = [[0.3, 0.5, 0.1], [0.1 + 0.2, 0.5, 0.1], [0.29, 0.6, 0.1]]
            .iter()
            .enumerate()
            .map(|(i, v)| UtilityPoint { index: i as u64, utilities: v.to_vec() })
            .collect();
        assert_eq!(frontier(three).iter().map(|p| p.index).collect::<Vec<_>>(), vec![0, 2]);
    }

    /// Four parties: (1,1,0,0) and (0,0,1,1) are optimal; (1,1,0,0) again
    /// at a higher outcome number, (0.5,0.5,0,0) and (0,0,1,0.5) are not;
    /// 0.1 + 0.2 ties 0.3 on the snap grid.
    #[test]
    fn hand_worked_four_party() {
        let v: [[f64; 4]; 7] = [
            [0.5, 0.5, 0.0, 0.0],
            [1.0, 1.0, 0.0, 0.0],
            [0.0, 0.0, 1.0, 0.5],
            [0.0, 0.0, 1.0, 1.0],
            [1.0, 1.0, 0.0, 0.0],
            [0.3, 0.3, 0.3, 0.3],
            [0.1 + 0.2, 0.3, 0.3, 0.3],
        ];
        let flat: Vec<f64> = v.iter().flatten().copied().collect();
        let index: Vec<u64> = (0..v.len() as u64).collect();
        let f = frontier_flat(4, &flat, &index);
        assert_eq!(f.iter().map(|p| p.index).collect::<Vec<_>>(), vec![1, 5, 3]);
        assert_eq!(f, frontier_scan(4, &flat, &index));
    }

    /// Thousands of points (deep trees), four to six parties, once with
    /// few levels (many ties and duplicates) and once with arbitrary values.
    #[test]
    fn tree_equals_the_plain_scan_on_large_sets() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for dim in 4..=6 {
            for levels in [Some(7.0), None] {
                let flat: Vec<f64> = (0..3000 * dim)
                    .map(|_| {
                        let x = next();
                        levels.map_or(x, |l: f64| (x * l).floor() / l)
                    })
                    .collect();
                let index: Vec<u64> = (0..3000).collect();
                assert_eq!(frontier_flat(dim, &flat, &index), frontier_scan(dim, &flat, &index), "{dim} {levels:?}");
            }
        }
    }

    fn arb_points(dim: usize) -> impl Strategy<Value = Vec<UtilityPoint>> {
        // Few distinct levels make ties and duplicates common.
        prop::collection::vec(prop::collection::vec(0u8..6, dim), 0..60).prop_map(|vs| {
            vs.into_iter()
                .enumerate()
                .map(|(i, v)| UtilityPoint {
                    index: i as u64,
                    utilities: v.into_iter().map(|x| x as f64 / 5.0).collect(),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn frontier_is_exact(points in (2usize..5).prop_flat_map(arb_points)) {
            let f = frontier(points.clone());
            // No frontier point dominates another.
            for a in &f {
                for b in &f {
                    prop_assert!(!dominates(&a.utilities, &b.utilities));
                }
            }
            // Every point is on the frontier (by value) or dominated by a frontier point.
            for p in &points {
                let on = f.iter().any(|q| q.utilities == p.utilities);
                let dom = f.iter().any(|q| dominates(&q.utilities, &p.utilities));
                prop_assert!(on || dom);
                prop_assert!(!(on && dom));
            }
            // Representatives are the lowest index of their utility vector.
            for q in &f {
                let lowest = points.iter().filter(|p| p.utilities == q.utilities).map(|p| p.index).min();
                prop_assert_eq!(Some(q.index), lowest);
            }
        }

        /// The k-d tree answers exactly as the plain scan: the same points,
        /// representatives and order, ties and duplicates included.
        #[test]
        fn tree_equals_the_plain_scan(points in (1usize..7).prop_flat_map(arb_points)) {
            let dim = points.first().map_or(1, |p| p.utilities.len());
            let flat: Vec<f64> = points.iter().flat_map(|p| p.utilities.iter().copied()).collect();
            let index: Vec<u64> = points.iter().map(|p| p.index).collect();
            prop_assert_eq!(frontier_flat(dim, &flat, &index), frontier_scan(dim, &flat, &index));
        }

        #[test]
        fn collector_equals_frontier(points in (2usize..4).prop_flat_map(arb_points)) {
            let dim = points.first().map_or(2, |p| p.utilities.len());
            let mut c = Collector::new(dim);
            for p in &points {
                c.offer(&p.utilities, p.index);
            }
            prop_assert_eq!(c.finish(), frontier(points));
        }

        #[test]
        fn merge_equals_frontier_of_union(a in arb_points(3), b in arb_points(3)) {
            let b: Vec<UtilityPoint> = b.into_iter().map(|mut p| { p.index += 1000; p }).collect();
            let mut all = a.clone();
            all.extend(b.clone());
            prop_assert_eq!(merge(frontier(a), frontier(b)), frontier(all));
        }
    }
}
