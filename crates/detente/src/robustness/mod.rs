//! How firmly the verdict ("a deal exists": the agreement set is not empty)
//! stands when the file's judgements vary over their `[[uncertain]]` ranges
//! (`detente robustness`, docs/robustness.md).
//!
//! A study samples the judgements with Saltelli's scheme on a scrambled
//! Sobol sequence ([`sampling`]), decides the verdict for every sample with
//! the analysis's fast path ([`crate::analysis::verdict`]: the model
//! compiled once per sample, the scan stopped at the first agreement, over
//! the outcomes the constraints allow, listed once), and reports
//!
//! - the share of samples with a deal and its 95% Wilson interval, over the
//!   `2N` base points (the A and B matrices);
//! - first-order and total Sobol indices of every judgement ([`indices`]);
//! - one-at-a-time breakpoints ([`breakpoints`]);
//! - PRIM boxes where deals are dense ([`prim`]), over the same base points.
//!
//! Verdicts are gathered in sample order, so the result does not depend on
//! the number of threads.

pub mod breakpoints;
pub mod indices;
pub mod prim;
pub mod sampling;

use rayon::prelude::*;

pub use breakpoints::Breakpoint;
pub use indices::SobolIndex;
pub use prim::{PrimBox, PrimConfig};

use crate::analysis::verdict::compile_for_verdict;
use crate::analysis::{AnalysisError, Candidates};
use crate::scenario::{Distribution, Param, Scenario, Uncertain};

/// One judgement the study varies.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// The number.
    pub param: Param,
    /// Its path, canonical.
    pub path: String,
    /// Lowest value.
    pub low: f64,
    /// Highest value.
    pub high: f64,
    /// How values spread.
    pub distribution: Distribution,
    /// The file's value (the triangular mode).
    pub file_value: f64,
    /// Why this range, from the file.
    pub source: Option<String>,
}

impl Judgement {
    /// The value at quantile `u` of this judgement's distribution.
    pub fn value_at(&self, u: f64) -> f64 {
        self.distribution.quantile(u, self.low, self.high, self.file_value)
    }
}

/// The judgements of a study: the file's `[[uncertain]]` tables, then
/// `extra` ones (`--vary`), an extra one replacing the file's range for the
/// same number.
pub fn judgements(scenario: &Scenario, extra: &[Uncertain]) -> Vec<Judgement> {
    let mut list: Vec<&Uncertain> = scenario.uncertain.iter().collect();
    for u in extra {
        match list.iter().position(|x| x.param == u.param) {
            Some(k) => list[k] = u,
            None => list.push(u),
        }
    }
    list.into_iter()
        .map(|u| Judgement {
            param: u.param,
            path: u.param.path(scenario),
            low: u.low,
            high: u.high,
            distribution: u.distribution,
            file_value: u.param.value(scenario),
            source: u.source.clone(),
        })
        .collect()
}

/// Options of a study.
#[derive(Clone, Debug)]
pub struct Config {
    /// Base samples N (N·(2D + 2) verdicts); a power of two suits the Sobol
    /// sequence best.
    pub samples: usize,
    /// Chooses the Sobol sequence's scramble.
    pub seed: u64,
    /// Grid and size limit of the outcome space.
    pub analysis: crate::analysis::Config,
    /// PRIM's settings.
    pub prim: PrimConfig,
}

/// Why a study could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum RobustnessError {
    /// Nothing to vary.
    NoJudgements,
    /// More judgements than the Sobol sequence has dimensions for.
    TooManyJudgements {
        /// How many were given.
        count: usize,
    },
    /// `samples` is 0 or beyond the sequence's length.
    Samples {
        /// As given.
        count: usize,
    },
    /// The verdict could not be computed.
    Analysis(AnalysisError),
    /// Verdicts asked or given for rows outside the study's.
    Rows {
        /// First row.
        start: usize,
        /// One past the last row.
        end: usize,
        /// The study's rows.
        total: usize,
    },
}

impl std::fmt::Display for RobustnessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RobustnessError::NoJudgements => {
                write!(f, "no judgement to vary: add [[uncertain]] tables to the file or give --vary PATH=LOW..HIGH")
            }
            RobustnessError::TooManyJudgements { count } => {
                write!(
                    f,
                    "{count} judgements to vary: the Sobol sequence supports at most {}",
                    sampling::MAX_JUDGEMENTS
                )
            }
            RobustnessError::Samples { count } => {
                write!(f, "{count} base samples: give from 1 to {}", sampling::MAX_SAMPLES)
            }
            RobustnessError::Analysis(e) => write!(f, "{e}"),
            RobustnessError::Rows { start, end, total } => write!(
                f,
                "rows {start}..{end} do not fit the study's {total} rows (N·(2D + 2)); give a range within 0..{total}, and all {total} verdicts to finish"
            ),
        }
    }
}

impl std::error::Error for RobustnessError {}

impl From<AnalysisError> for RobustnessError {
    fn from(e: AnalysisError) -> RobustnessError {
        RobustnessError::Analysis(e)
    }
}

/// What a study found.
#[derive(Clone, Debug)]
pub struct Robustness {
    /// The judgements varied, in order.
    pub judgements: Vec<Judgement>,
    /// Base samples N.
    pub samples: usize,
    /// The seed.
    pub seed: u64,
    /// Verdicts of every sample, in Saltelli's layout (N·(2D + 2)).
    pub verdicts: Vec<bool>,
    /// The verdict with every judgement at the file's value.
    pub file_verdict: bool,
    /// Outcomes the constraints allow (the verdict scans only these);
    /// `None` when too many to list, and every outcome is scanned.
    pub candidates: Option<usize>,
    /// Base points (A and B rows: 2N) with a deal.
    pub base_deals: u64,
    /// Share of base points with a deal.
    pub deal_share: f64,
    /// Wilson 95% interval of that share.
    pub deal_share_interval: (f64, f64),
    /// Sobol indices per judgement; `None` when the verdict never changes.
    pub indices: Option<Vec<SobolIndex>>,
    /// Per judgement, where it alone flips the verdict.
    pub breakpoints: Vec<Option<Breakpoint>>,
    /// PRIM boxes where deals are dense (inputs in judgement order).
    pub boxes: Vec<PrimBox>,
}

impl Robustness {
    /// Number of verdicts computed for the indices: N·(2D + 2).
    pub fn evaluations(&self) -> usize {
        self.verdicts.len()
    }
}

/// Judgement values of Saltelli row `r`.
pub fn row_values(judgements: &[Judgement], r: usize, seed: u64) -> Vec<f64> {
    sampling::saltelli_row(r, judgements.len(), seed).into_iter().zip(judgements).map(|(u, j)| j.value_at(u)).collect()
}

/// Rows per parallel work unit; fixed so results never depend on threads.
const CHUNK: usize = 64;

/// Base samples of [`quick`]: enough for a deal share within a few points
/// on the Kuril scenario (N·(2D + 2) verdicts).
pub const QUICK_SAMPLES: usize = 256;

/// The study `detente analyze` and the report quote beside the verdict:
/// the file's own `[[uncertain]]` judgements, [`QUICK_SAMPLES`] base
/// samples, seed 0, the EMA Workbench's PRIM settings. `None` when the
/// file marks no judgement uncertain.
pub fn quick(scenario: &Scenario, analysis: &crate::analysis::Config) -> Option<Result<Robustness, RobustnessError>> {
    if scenario.uncertain.is_empty() {
        return None;
    }
    let config = Config { samples: QUICK_SAMPLES, seed: 0, analysis: analysis.clone(), prim: PrimConfig::ema() };
    Some(study(scenario, &judgements(scenario, &[]), &config, &|_, _| {}))
}

/// Runs a study of `scenario` over `judgements`, calling `progress(done,
/// total)` as verdicts are computed.
pub fn study(
    scenario: &Scenario,
    judgements: &[Judgement],
    config: &Config,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Robustness, RobustnessError> {
    let total = rows(judgements, config)?;
    let verdicts = verdicts(scenario, judgements, config, 0..total, progress)?;
    finish(scenario, judgements, config, verdicts)
}

/// The number of verdicts (Saltelli rows) a study computes, N·(2D + 2),
/// after checking the study can run.
pub fn rows(judgements: &[Judgement], config: &Config) -> Result<usize, RobustnessError> {
    let d = judgements.len();
    if d == 0 {
        return Err(RobustnessError::NoJudgements);
    }
    if d > sampling::MAX_JUDGEMENTS {
        return Err(RobustnessError::TooManyJudgements { count: d });
    }
    if config.samples == 0 || config.samples > sampling::MAX_SAMPLES {
        return Err(RobustnessError::Samples { count: config.samples });
    }
    Ok(config.samples * sampling::rows_per_base(d))
}

/// A verdict closure over a lean copy of `scenario`, and the verdict with
/// every judgement at the file's value.
struct Verdicts {
    lean: Scenario,
    candidates: Candidates,
    file_verdict: bool,
}

impl Verdicts {
    fn new(scenario: &Scenario, config: &Config) -> Result<Verdicts, AnalysisError> {
        let lean = lean(scenario);
        let base_model = compile_for_verdict(&lean, &config.analysis)?;
        let candidates = Candidates::new(&base_model);
        let file_verdict = base_model.first_agreement_among(&candidates).is_some();
        Ok(Verdicts { lean, candidates, file_verdict })
    }

    fn at(&self, config: &Config, values: &[(Param, f64)]) -> Result<bool, AnalysisError> {
        // Every sample checks the flag, so a cancelled study stops within
        // one verdict per thread.
        config.analysis.cancel.check().map_err(|_| AnalysisError::Cancelled)?;
        let mut s = self.lean.clone();
        for &(p, v) in values {
            p.set(&mut s, v);
        }
        let model = compile_for_verdict(&s, &config.analysis)?;
        Ok(model.first_agreement_among(&self.candidates).is_some())
    }
}

/// The verdicts of Saltelli rows `range` (of [`rows`]): the costly part of
/// a study, which shards of a distributed run compute apart. Each row's
/// verdict depends only on the row and the seed, so shards joined in row
/// order give [`finish`] exactly the verdicts of one run.
pub fn verdicts(
    scenario: &Scenario,
    judgements: &[Judgement],
    config: &Config,
    range: std::ops::Range<usize>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Vec<bool>, RobustnessError> {
    let total = rows(judgements, config)?;
    if range.start > range.end || range.end > total {
        return Err(RobustnessError::Rows { start: range.start, end: range.end, total });
    }
    let v = Verdicts::new(scenario, config)?;
    let len = range.len();
    let done = std::sync::atomic::AtomicU64::new(0);
    let chunks: Vec<Vec<bool>> = (0..len.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let rows = range.start + c * CHUNK..(range.start + (c + 1) * CHUNK).min(range.end);
            let n = rows.len() as u64;
            let out = rows
                .map(|r| {
                    let values: Vec<(Param, f64)> =
                        judgements.iter().map(|j| j.param).zip(row_values(judgements, r, config.seed)).collect();
                    v.at(config, &values)
                })
                .collect::<Result<Vec<bool>, AnalysisError>>();
            let d = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
            progress(d, len as u64);
            out
        })
        .collect::<Result<_, _>>()?;
    Ok(chunks.into_iter().flatten().collect())
}

/// The study from all its verdicts (every row of [`rows`], in order): the
/// deal share, Sobol indices, breakpoints and PRIM boxes.
pub fn finish(
    scenario: &Scenario,
    judgements: &[Judgement],
    config: &Config,
    verdicts: Vec<bool>,
) -> Result<Robustness, RobustnessError> {
    let total = rows(judgements, config)?;
    if verdicts.len() != total {
        return Err(RobustnessError::Rows { start: 0, end: verdicts.len(), total });
    }
    let d = judgements.len();
    let per = sampling::rows_per_base(d);
    let v = Verdicts::new(scenario, config)?;
    let (file_verdict, candidates) = (v.file_verdict, &v.candidates);
    let verdict = |values: &[(Param, f64)]| v.at(config, values);

    // Base points: A rows then B rows.
    let base_rows: Vec<usize> =
        (0..config.samples).map(|i| i * per).chain((0..config.samples).map(|i| i * per + per - 1)).collect();
    let base_deals = base_rows.iter().filter(|&&r| verdicts[r]).count() as u64;
    let n_base = base_rows.len() as u64;
    let y: Vec<f64> = verdicts.iter().map(|&v| f64::from(u8::from(v))).collect();
    let indices = indices::sobol_indices(&y, d);

    let breakpoints = judgements
        .par_iter()
        .map(|j| {
            let at = |x: f64| verdict(&[(j.param, x)]);
            breakpoints::breakpoint(j.file_value, j.low, j.high, &at)
        })
        .collect::<Result<Vec<_>, _>>()?;

    let x: Vec<Vec<f64>> = base_rows.iter().map(|&r| row_values(judgements, r, config.seed)).collect();
    let y_base: Vec<bool> = base_rows.iter().map(|&r| verdicts[r]).collect();
    // PRIM sees only the judgements that can change the verdict: a total
    // index of exactly 0 means no sampled change of the judgement ever did,
    // and a bound on it could only fit noise. Boxes then keep only the
    // restrictions their density needs (`prim::simplify`).
    let relevant: Vec<usize> = (0..d).filter(|&k| indices.as_ref().is_none_or(|ix| ix[k].total != 0.0)).collect();
    let boxes = if relevant.is_empty() {
        Vec::new()
    } else {
        let xr: Vec<Vec<f64>> = x.iter().map(|row| relevant.iter().map(|&k| row[k]).collect()).collect();
        let found = prim::find_boxes(&xr, &y_base, &config.prim);
        let found = prim::simplify(&xr, &y_base, &found, config.prim.threshold);
        found.into_iter().map(|b| widen(b, &relevant, &x)).collect()
    };

    Ok(Robustness {
        judgements: judgements.to_vec(),
        samples: config.samples,
        seed: config.seed,
        verdicts,
        file_verdict,
        candidates: candidates.is_complete().then(|| candidates.len()),
        base_deals,
        deal_share: base_deals as f64 / n_base as f64,
        deal_share_interval: indices::wilson_interval(base_deals, n_base),
        indices,
        breakpoints,
        boxes,
    })
}

/// A box found on the `relevant` columns of `x`, stated on every column:
/// unrestricted (the data's bounds) on the others.
fn widen(b: PrimBox, relevant: &[usize], x: &[Vec<f64>]) -> PrimBox {
    let d = x.first().map_or(0, Vec::len);
    let mut initial: Vec<(f64, f64)> = (0..d)
        .map(|k| x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), row| (lo.min(row[k]), hi.max(row[k]))))
        .collect();
    let mut limits = initial.clone();
    let mut restricted = vec![false; d];
    for (j, &k) in relevant.iter().enumerate() {
        initial[k] = b.initial[j];
        limits[k] = b.limits[j];
        restricted[k] = b.restricted[j];
    }
    PrimBox { limits, restricted, initial, ..b }
}

/// A copy without the texts no verdict reads, cheap to clone per sample.
fn lean(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    s.description = None;
    s.source = None;
    s.uncertain.clear();
    for i in &mut s.issues {
        (i.name, i.description, i.source) = (None, None, None);
    }
    for a in &mut s.actors {
        (a.name, a.description, a.source) = (None, None, None);
        for st in &mut a.stances {
            st.source = None;
        }
    }
    for c in &mut s.constraints {
        (c.description, c.source) = (None, None);
    }
    for a in &mut s.actors {
        for t in &mut a.interactions {
            t.source = None;
        }
    }
    // Beliefs shape perceived deal spaces, never the real verdict: without
    // them no model compiles believed actors.
    s.beliefs.clear();
    s
}
