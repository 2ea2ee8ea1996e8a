//! Negotiating on outcome spaces too large to tabulate (the ANAC 2014
//! domains: 10¹⁰ to 10⁴⁰ outcomes): outcomes are numbered as they are first
//! named, utilities are computed when an outcome is named, and "an outcome
//! near utility `u`" (the inverse utility time-dependent bidding needs) is
//! found without enumerating.
//!
//! - **Additive utilities: exact.** A depth-first branch and bound over the
//!   issues in outcome-number order (issue 0 first, values ascending), with
//!   each actor's per-issue contributions (as the issue-by-issue frontier,
//!   [`crate::analysis::exact`], uses them) and, per suffix of issues, the
//!   smallest and largest contribution still to come: a branch that cannot
//!   reach the target, or cannot beat the best outcome found, is cut; a
//!   branch that reaches the target whatever comes next takes the smallest
//!   values; complete outcomes are judged by the actor's own utility (as a
//!   tabulated domain computes it). The answer is the lowest utility at or
//!   above the target, ties to the lowest outcome number — the tabulated
//!   domain's answer. The search stops
//!   after [`NODES`] branches, far more than a tabulated space has, and then
//!   answers with the best outcome found so far.
//! - **Hyper-rectangle utilities: a documented local search.** When the
//!   domain is built, 32 hill climbs per party from seeded random outcomes
//!   (each step the single-issue change that raises utility most) and 8
//!   descents collect a pool of outcomes across the utility range; its best
//!   and worst stand for the party's best and worst utility. An inverse query
//!   takes the pool's lowest outcome at or above the target and then makes
//!   single-issue changes that lower its utility while keeping it at or
//!   above the target, until none does. It is not exact: the offer may lie
//!   further above the target than the best possible one.
//!
//! Ids are handed out by a [`Book`] shared by every session on the domain,
//! so their values depend on the order sessions name outcomes: nothing a
//! strategy decides depends on an id's value (ties go to outcome values),
//! and results report outcomes by their values.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::analysis::exact::contributions;
use crate::analysis::model::{Evaluator, Model};
use crate::forecast::montecarlo::Rng;
use crate::scenario::Value;

/// Most branches one additive inverse query visits.
pub const NODES: usize = 2_000_000;

/// Ids in the first chunk of a [`Book`]; chunk `c` holds `FIRST << c`.
const FIRST: usize = 1024;

/// One named outcome: its value indices and every actor's utility.
#[derive(Debug)]
struct Entry {
    digits: Box<[u32]>,
    utilities: Box<[f64]>,
}

/// The outcomes named so far, numbered in naming order. Append-only: an
/// entry never moves or changes once written, so it is read without a lock
/// and borrowed for as long as the book lives.
#[derive(Debug)]
pub struct Book {
    model: Model,
    chunks: Vec<OnceLock<Box<[OnceLock<Entry>]>>>,
    index: Mutex<Names>,
}

/// Ids by value indices, and the next id.
type Names = (HashMap<Box<[u32]>, usize>, usize);

impl Book {
    /// An empty book over `model`'s grid.
    pub fn new(model: Model) -> Book {
        Book { model, chunks: (0..48).map(|_| OnceLock::new()).collect(), index: Mutex::new((HashMap::new(), 0)) }
    }

    fn slot(&self, id: usize) -> Option<&OnceLock<Entry>> {
        let x = id / FIRST + 1;
        let chunk = (usize::BITS - 1 - x.leading_zeros()) as usize;
        let offset = id - FIRST * ((1 << chunk) - 1);
        let slots = self.chunks.get(chunk)?.get_or_init(|| (0..FIRST << chunk).map(|_| OnceLock::new()).collect());
        slots.get(offset)
    }

    /// Actor `actor`'s utility of the outcome with value indices `digits`,
    /// exactly as a tabulated domain computes it (settled against the
    /// reservation), without naming the outcome.
    pub fn evaluate(&self, digits: &[u32], actor: usize) -> f64 {
        let wide: Vec<usize> = digits.iter().map(|&d| d as usize).collect();
        let values: Vec<Value> = wide.iter().enumerate().map(|(i, &d)| self.model.space.values[i][d]).collect();
        self.model.settled(actor, self.model.evaluators[actor].eval(&wide, &values), &wide)
    }

    /// The id of the outcome with value indices `digits`, naming it (and
    /// computing its utilities) the first time.
    pub fn id(&self, digits: &[u32]) -> usize {
        let mut guard = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = guard.0.get(digits) {
            return id;
        }
        let id = guard.1;
        let utilities = (0..self.model.evaluators.len()).map(|a| self.evaluate(digits, a)).collect();
        let entry = Entry { digits: digits.into(), utilities };
        if let Some(slot) = self.slot(id) {
            // Written under the lock, before the id is handed out.
            let _ = slot.set(entry);
            guard.1 += 1;
            guard.0.insert(digits.into(), id);
        }
        id
    }

    fn entry(&self, id: usize) -> Option<&Entry> {
        self.slot(id)?.get()
    }

    /// Value indices of outcome `id` (empty for an id never handed out).
    pub fn digits(&self, id: usize) -> &[u32] {
        self.entry(id).map_or(&[], |e| &e.digits)
    }

    /// Actor `actor`'s utility of outcome `id` (NaN for an id never handed out).
    pub fn utility(&self, id: usize, actor: usize) -> f64 {
        self.entry(id).map_or(f64::NAN, |e| e.utilities[actor])
    }

    /// Number of values of each issue.
    pub fn radices(&self) -> Vec<usize> {
        self.model.space.values.iter().map(Vec::len).collect()
    }
}

/// How one party finds an outcome near a utility.
#[derive(Clone, Debug)]
pub enum Inverse {
    /// Exact branch and bound over per-issue contributions.
    Additive(Additive),
    /// Local search from a pool.
    Rectangles(Rectangles),
}

impl Inverse {
    /// The inverse of actor `actor` of `model`; `seed` drives the
    /// rectangle search's starting points.
    pub fn new(model: &Model, actor: usize, seed: u64) -> Inverse {
        let radices: Vec<usize> = model.space.values.iter().map(Vec::len).collect();
        match &model.evaluators[actor] {
            Evaluator::Additive(terms) => Inverse::Additive(Additive::new(contributions(terms, &radices))),
            // Interaction terms never reach a searched domain (refused when
            // it is built); the rectangle search is the general one.
            Evaluator::Interacting(..) | Evaluator::Rectangles(_) => {
                Inverse::Rectangles(Rectangles::new(model, actor, seed))
            }
        }
    }

    /// Value indices of an outcome with utility at or above `target` and as
    /// low as found (the best outcome when none reaches it); `utility` is
    /// the actor's utility of an outcome, which decides at the leaves.
    pub fn at_least(&self, target: f64, utility: &dyn Fn(&[u32]) -> f64) -> Vec<u32> {
        match self {
            Inverse::Additive(a) => a.at_least(target, utility),
            Inverse::Rectangles(r) => r.at_least(target),
        }
    }

    /// Value indices of the best outcome (exact for additive utilities; the
    /// best found for rectangles).
    pub fn best(&self) -> Vec<u32> {
        match self {
            Inverse::Additive(a) => a.extreme(true),
            Inverse::Rectangles(r) => r.pool.last().map_or_else(Vec::new, |(_, d)| d.clone()),
        }
    }

    /// Value indices of the worst outcome (likewise).
    pub fn worst(&self) -> Vec<u32> {
        match self {
            Inverse::Additive(a) => a.extreme(false),
            Inverse::Rectangles(r) => r.pool.first().map_or_else(Vec::new, |(_, d)| d.clone()),
        }
    }
}

/// An additive actor's per-issue contributions and suffix bounds.
#[derive(Clone, Debug)]
pub struct Additive {
    c: Vec<Vec<f64>>,
    /// `low[i]`, `high[i]`: the smallest and largest sum issues `i..` can add.
    low: Vec<f64>,
    high: Vec<f64>,
    /// The lowest-numbered outcome of smallest contributions.
    smallest: Vec<u32>,
}

struct Search<'a> {
    inv: &'a Additive,
    utility: &'a dyn Fn(&[u32]) -> f64,
    target: f64,
    nodes: usize,
    prefix: Vec<u32>,
    best: Option<(f64, Vec<u32>)>,
}

impl Additive {
    fn new(c: Vec<Vec<f64>>) -> Additive {
        let n = c.len();
        let (mut low, mut high) = (vec![0.0; n + 1], vec![0.0; n + 1]);
        for i in (0..n).rev() {
            low[i] = low[i + 1] + c[i].iter().copied().fold(f64::INFINITY, f64::min);
            high[i] = high[i + 1] + c[i].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        }
        let mut me = Additive { c, low, high, smallest: Vec::new() };
        me.smallest = me.extreme(false);
        me
    }

    /// The lowest-numbered outcome taking every issue's largest (or
    /// smallest) contribution.
    fn extreme(&self, largest: bool) -> Vec<u32> {
        self.c
            .iter()
            .map(|t| {
                let pick = if largest { f64::max } else { f64::min };
                let x = t.iter().copied().fold(if largest { f64::NEG_INFINITY } else { f64::INFINITY }, pick);
                t.iter().position(|&y| y == x).unwrap_or(0) as u32
            })
            .collect()
    }

    fn at_least(&self, target: f64, utility: &dyn Fn(&[u32]) -> f64) -> Vec<u32> {
        let mut s = Search { inv: self, utility, target, nodes: NODES, prefix: Vec::new(), best: None };
        s.descend(0, 0.0);
        s.best.map_or_else(|| self.extreme(true), |(_, d)| d)
    }
}

impl Search<'_> {
    /// Offers a complete outcome: kept when it reaches the target and is
    /// lower than the best, or as low with a lower number.
    fn offer(&mut self, digits: Vec<u32>) {
        let u = (self.utility)(&digits);
        if u >= self.target && self.best.as_ref().is_none_or(|(b, d)| u < *b || (u == *b && digits < *d)) {
            self.best = Some((u, digits));
        }
    }

    fn descend(&mut self, i: usize, partial: f64) {
        if self.nodes == 0 {
            return;
        }
        self.nodes -= 1;
        let inv = self.inv;
        // Partial sums run in issue order, the utility in stance order, so
        // bounds keep a margin far above rounding and leaves decide.
        let lowest = partial + inv.low[i];
        if partial + inv.high[i] < self.target - MARGIN {
            return;
        }
        if let Some((b, _)) = &self.best {
            if lowest > b + MARGIN {
                return;
            }
        }
        if lowest >= self.target + MARGIN || i == inv.c.len() {
            // Whatever comes next reaches the target: the smallest values
            // (the lowest-numbered of the smallest sums).
            let mut digits = self.prefix.clone();
            digits.extend_from_slice(&inv.smallest[i..]);
            self.offer(digits);
            return;
        }
        for v in 0..inv.c[i].len() {
            self.prefix.push(v as u32);
            self.descend(i + 1, partial + inv.c[i][v]);
            self.prefix.pop();
        }
    }
}

/// How far the search's sums may stray from the utility by rounding.
const MARGIN: f64 = 1e-9;

/// A hyper-rectangle actor compiled over the grid, with its pool.
#[derive(Clone, Debug)]
pub struct Rectangles {
    rects: Vec<Rect>,
    max_utility: f64,
    radices: Vec<usize>,
    /// Outcomes found, sorted by utility then value indices.
    pool: Vec<(f64, Vec<u32>)>,
}

/// One rectangle over the grid: credit, exclusion, and per bound the issue
/// and which value indices lie inside.
type Rect = (f64, bool, Vec<(usize, Vec<bool>)>);

/// Hill climbs up and down per party, and single-issue steps per climb.
const CLIMBS_UP: u64 = 32;
const CLIMBS_DOWN: u64 = 8;
const STEPS: usize = 200;

impl Rectangles {
    fn new(model: &Model, actor: usize, seed: u64) -> Rectangles {
        let radices: Vec<usize> = model.space.values.iter().map(Vec::len).collect();
        let Evaluator::Rectangles(r) = &model.evaluators[actor] else {
            return Rectangles { rects: Vec::new(), max_utility: 1.0, radices, pool: Vec::new() };
        };
        let rects = r
            .rectangles
            .iter()
            .map(|rect| {
                let bounds = rect
                    .bounds
                    .iter()
                    .map(|b| {
                        let inside =
                            model.space.values[b.issue].iter().map(|v| (b.min..=b.max).contains(&v.as_f64())).collect();
                        (b.issue, inside)
                    })
                    .collect();
                (rect.utility, rect.exclude, bounds)
            })
            .collect();
        let mut me = Rectangles { rects, max_utility: r.max_utility, radices, pool: Vec::new() };
        let mut seen: HashMap<Vec<u32>, f64> = HashMap::new();
        for climb in 0..CLIMBS_UP + CLIMBS_DOWN {
            let mut rng = Rng::for_run(seed, climb);
            let mut d: Vec<u32> =
                me.radices.iter().map(|&r| ((rng.unit() * r as f64) as usize).min(r - 1) as u32).collect();
            let up = climb < CLIMBS_UP;
            let mut u = me.utility(&d);
            seen.insert(d.clone(), u);
            for _ in 0..STEPS {
                let Some((next, nu)) = me.best_step(&d, |x| if up { x > u } else { x < u }, |a, b| (a > b) == up)
                else {
                    break;
                };
                d = next;
                u = nu;
                seen.insert(d.clone(), u);
            }
        }
        let mut pool: Vec<(f64, Vec<u32>)> = seen.into_iter().map(|(d, u)| (u, d)).collect();
        pool.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        me.pool = pool;
        me
    }

    /// GENIUS's utility: credited rectangles summed in file order, divided
    /// by the normaliser, capped at 1 (as `RectangleUtility::utility`).
    fn utility(&self, digits: &[u32]) -> f64 {
        let sum = self
            .rects
            .iter()
            .filter(|(_, exclude, bounds)| bounds.iter().all(|(i, inside)| inside[digits[*i] as usize]) != *exclude)
            .fold(0.0, |acc, (u, _, _)| acc + u);
        (sum / self.max_utility).min(1.0)
    }

    /// The single-issue change whose utility passes `allowed` and is best by
    /// `prefer` (ties: the first in issue and value order).
    fn best_step(
        &self,
        digits: &[u32],
        allowed: impl Fn(f64) -> bool,
        prefer: impl Fn(f64, f64) -> bool,
    ) -> Option<(Vec<u32>, f64)> {
        let mut best: Option<(Vec<u32>, f64)> = None;
        let mut d = digits.to_vec();
        for i in 0..d.len() {
            let keep = d[i];
            for v in 0..self.radices[i] as u32 {
                if v == keep {
                    continue;
                }
                d[i] = v;
                let x = self.utility(&d);
                if allowed(x) && best.as_ref().is_none_or(|(_, b)| prefer(x, *b)) {
                    best = Some((d.clone(), x));
                }
            }
            d[i] = keep;
        }
        best
    }

    fn at_least(&self, target: f64) -> Vec<u32> {
        let start = self.pool.partition_point(|(u, _)| *u < target);
        let Some((mut u, mut d)) = self.pool.get(start).or(self.pool.last()).cloned() else {
            return vec![0; self.radices.len()];
        };
        if u < target {
            return d;
        }
        for _ in 0..STEPS {
            match self.best_step(&d, |x| x >= target && x < u, |a, b| a < b) {
                Some((next, nu)) => {
                    d = next;
                    u = nu;
                }
                None => break,
            }
        }
        d
    }
}
