//! The utility plane as data for plots: every outcome binned on each pair of
//! parties' utilities, and, for small spaces, every outcome's utilities.
//!
//! Opt-in through [`Config::density`](super::Config::density): the bins are
//! filled during the same streaming pass that finds the frontiers, so they
//! cost one array increment per outcome and plane, and memory of
//! `bins² × planes` counters per chunk. Chunks merge by adding counts (and
//! concatenating points, sorted by outcome number at the end), which is
//! associative and commutative, so the result does not depend on the number
//! of threads.
//!
//! Bin `k` of an axis covers utilities in `[k / bins, (k + 1) / bins)`; the
//! last bin also holds utility 1. A utility outside `[0, 1]` (possible only
//! for hyper-rectangle utilities) is counted in the nearest edge bin and in
//! [`Density::out_of_range`], so the counts of every plane always sum to the
//! number of outcomes.
//!
//! A [`Window`] asks for one pair's plane over a part of it instead, at the
//! same number of bins: what a plot shows when it is zoomed in, sharper by
//! the zoom factor. Outcomes outside the window are counted only in
//! [`Density::outside_window`], so the window's counts and that number sum
//! to the number of outcomes.

/// What to collect.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DensityConfig {
    /// Bins per axis over `[0, 1]` (at least 1; values below are raised to 1).
    pub bins: usize,
    /// Also record every outcome's party utilities when the space has at
    /// most this many outcomes (0: never).
    pub max_points: u64,
    /// Bin only this part of one pair's plane (`None`: every pair's whole
    /// plane).
    pub window: Option<Window>,
}

/// A rectangle of one pair of parties' utility plane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// Position (in `Analysis::parties`) of the party on the horizontal axis.
    pub x: usize,
    /// Position of the party on the vertical axis (not `x`).
    pub y: usize,
    /// Utilities `[low, high]` along `x` (`low < high`).
    pub x_range: (f64, f64),
    /// Utilities `[low, high]` along `y`.
    pub y_range: (f64, f64),
}

impl Window {
    /// The bin of `(ux, uy)`, `None` outside the window. Bin `k` of an
    /// axis covers `[low + k·w, low + (k + 1)·w)` with `w = (high − low) /
    /// bins`; the last bin also holds `high`.
    fn cell(&self, ux: f64, uy: f64, bins: usize) -> Option<(usize, usize)> {
        let axis = |u: f64, (low, high): (f64, f64)| -> Option<usize> {
            if !(low..=high).contains(&u) {
                return None;
            }
            let k = ((u - low) / (high - low) * bins as f64).floor();
            Some((k.max(0.0) as usize).min(bins - 1))
        };
        Some((axis(ux, self.x_range)?, axis(uy, self.y_range)?))
    }
}

/// The utility plane of every pair of parties.
#[derive(Clone, Debug, PartialEq)]
pub struct Density {
    /// Bins per axis over `[0, 1]`.
    pub bins: usize,
    /// One plane per pair of parties `(x, y)` with `x < y`, in the order
    /// `(0, 1), (0, 2), …, (1, 2), …` (positions in `Analysis::parties`).
    pub planes: Vec<DensityPlane>,
    /// Outcomes with some party utility outside `[0, 1]` (binned at the edge).
    pub out_of_range: u64,
    /// Every outcome's party utilities, in outcome-number order, when the
    /// space has at most `DensityConfig::max_points` outcomes.
    pub points: Option<Vec<PlanePoint>>,
    /// The window binned, if one was asked for: `planes` then holds its
    /// one plane, whose bins cover the window.
    pub window: Option<Window>,
    /// Outcomes outside the window (0 without one).
    pub outside_window: u64,
}

/// Outcome counts on one pair of parties' utility plane.
#[derive(Clone, Debug, PartialEq)]
pub struct DensityPlane {
    /// Position (in `Analysis::parties`) of the party on the horizontal axis.
    pub x: usize,
    /// Position of the party on the vertical axis.
    pub y: usize,
    /// Outcomes per bin, row-major: `all[row * bins + col]`, row along `y`
    /// and column along `x`, both from 0 (utility 0) upwards.
    pub all: Vec<u64>,
    /// The same for the outcomes in the agreement set.
    pub agreement: Vec<u64>,
}

impl DensityPlane {
    /// Outcomes in the bin at column `col` (along `x`) and row `row` (along `y`).
    pub fn count(&self, bins: usize, col: usize, row: usize) -> u64 {
        self.all[row * bins + col]
    }
}

/// One outcome on the utility plane.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanePoint {
    /// Outcome number.
    pub index: u64,
    /// One utility per party, in `Analysis::parties` order.
    pub utilities: Vec<f64>,
    /// Whether the outcome is in the agreement set.
    pub agreement: bool,
}

/// The bin of utility `u` on an axis of `bins` bins, and whether `u` was
/// inside `[0, 1]`.
pub fn bin(u: f64, bins: usize) -> (usize, bool) {
    if u.is_nan() {
        return (0, false);
    }
    let inside = (0.0..=1.0).contains(&u);
    let k = (u * bins as f64).floor();
    let k = if k < 0.0 { 0 } else { (k as usize).min(bins - 1) };
    (k, inside)
}

/// What one chunk of the pass collected; merges into the whole.
#[derive(Clone, Debug)]
pub struct DensityPartial {
    bins: usize,
    pairs: Vec<(usize, usize)>,
    all: Vec<Vec<u64>>,
    agreement: Vec<Vec<u64>>,
    out_of_range: u64,
    points: Option<Vec<PlanePoint>>,
    window: Option<Window>,
    outside_window: u64,
}

impl DensityPartial {
    /// Empty bins for `n_parties` parties; `points` says whether to record
    /// every outcome.
    pub fn new(config: &DensityConfig, n_parties: usize, points: bool) -> DensityPartial {
        let bins = config.bins.max(1);
        let pairs: Vec<(usize, usize)> = match config.window {
            Some(w) => vec![(w.x, w.y)],
            None => (0..n_parties).flat_map(|x| (x + 1..n_parties).map(move |y| (x, y))).collect(),
        };
        DensityPartial {
            bins,
            all: vec![vec![0; bins * bins]; pairs.len()],
            agreement: vec![vec![0; bins * bins]; pairs.len()],
            pairs,
            out_of_range: 0,
            points: points.then(Vec::new),
            window: config.window,
            outside_window: 0,
        }
    }

    /// Counts outcome `index` with party utilities `utilities`.
    pub fn add(&mut self, index: u64, utilities: &[f64], agreement: bool) {
        let bins = self.bins;
        if let Some(w) = self.window {
            if !utilities.iter().all(|u| (0.0..=1.0).contains(u)) {
                self.out_of_range += 1;
            }
            match w.cell(utilities[w.x], utilities[w.y], bins) {
                Some((col, row)) => {
                    self.all[0][row * bins + col] += 1;
                    if agreement {
                        self.agreement[0][row * bins + col] += 1;
                    }
                }
                None => self.outside_window += 1,
            }
            if let Some(points) = &mut self.points {
                points.push(PlanePoint { index, utilities: utilities.to_vec(), agreement });
            }
            return;
        }
        let mut inside = true;
        for (k, &(x, y)) in self.pairs.iter().enumerate() {
            let (col, ix) = bin(utilities[x], bins);
            let (row, iy) = bin(utilities[y], bins);
            inside &= ix && iy;
            self.all[k][row * bins + col] += 1;
            if agreement {
                self.agreement[k][row * bins + col] += 1;
            }
        }
        if self.pairs.is_empty() {
            inside = utilities.iter().all(|u| (0.0..=1.0).contains(u));
        }
        if !inside {
            self.out_of_range += 1;
        }
        if let Some(points) = &mut self.points {
            points.push(PlanePoint { index, utilities: utilities.to_vec(), agreement });
        }
    }

    /// Combines two partials of the same shape.
    pub fn merge(mut self, other: DensityPartial) -> DensityPartial {
        for (mine, theirs) in self.all.iter_mut().zip(&other.all) {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
        for (mine, theirs) in self.agreement.iter_mut().zip(&other.agreement) {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
        self.out_of_range += other.out_of_range;
        self.outside_window += other.outside_window;
        self.points = match (self.points, other.points) {
            (Some(mut a), Some(b)) => {
                a.extend(b);
                Some(a)
            }
            (a, b) => a.or(b),
        };
        self
    }

    /// The finished density; points sorted by outcome number.
    pub fn finish(self) -> Density {
        let planes = self
            .pairs
            .iter()
            .zip(self.all)
            .zip(self.agreement)
            .map(|((&(x, y), all), agreement)| DensityPlane { x, y, all, agreement })
            .collect();
        let points = self.points.map(|mut p| {
            p.sort_by_key(|p| p.index);
            p
        });
        Density {
            bins: self.bins,
            planes,
            out_of_range: self.out_of_range,
            points,
            window: self.window,
            outside_window: self.outside_window,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_the_unit_interval() {
        assert_eq!(bin(0.0, 10), (0, true));
        assert_eq!(bin(0.0999, 10), (0, true));
        assert_eq!(bin(0.1, 10), (1, true));
        assert_eq!(bin(1.0, 10), (9, true));
        assert_eq!(bin(-0.5, 10), (0, false));
        assert_eq!(bin(1.5, 10), (9, false));
        assert_eq!(bin(f64::NAN, 10), (0, false));
    }

    #[test]
    fn pairs_in_order() {
        let d = DensityPartial::new(&DensityConfig { bins: 2, max_points: 0, window: None }, 3, false);
        assert_eq!(d.pairs, vec![(0, 1), (0, 2), (1, 2)]);
    }

    /// A window [0.5, 1] × [0, 0.5] in 2 bins: bins of width 0.25; (0.6,
    /// 0.1) in column 0, row 0; (1.0, 0.5) in the last bins; (0.4, 0.1) and
    /// (0.6, 0.7) outside.
    #[test]
    fn a_window_bins_its_rectangle() {
        let window = Window { x: 0, y: 1, x_range: (0.5, 1.0), y_range: (0.0, 0.5) };
        let mut d = DensityPartial::new(&DensityConfig { bins: 2, max_points: 0, window: Some(window) }, 3, false);
        d.add(0, &[0.6, 0.1, 0.0], true);
        d.add(1, &[1.0, 0.5, 0.0], false);
        d.add(2, &[0.4, 0.1, 0.0], true);
        d.add(3, &[0.6, 0.7, 0.0], false);
        let d = d.finish();
        assert_eq!(d.planes.len(), 1);
        assert_eq!(d.planes[0].all, vec![1, 0, 0, 1]);
        assert_eq!(d.planes[0].agreement, vec![1, 0, 0, 0]);
        assert_eq!(d.outside_window, 2);
        assert_eq!(d.window, Some(window));
    }
}
