//! Monte Carlo sensitivity of any forecast model: perturb the inputs by
//! declared distributions, run the model many times in parallel, summarise
//! the forecasts, and rank the inputs by how much they move the forecast
//! (a one-at-a-time tornado).
//!
//! **Perturbations.** Each [`Perturbation`] draws, for every actor it covers
//! (one actor, or every actor independently) and every dimension, a variate
//! `ε` from a symmetric [`Distribution`] with spread `a` and changes:
//!
//! - a **position** by `ε × span` (the scale's width), clamped to the scale;
//! - a **salience** by `ε` (saliences are on 0–1), clamped to `[0, 1]`;
//! - a **capability** by the factor `1 + ε` (capabilities have no common
//!   unit), clamped at 0.
//!
//! Perturbations apply in the order declared; two that cover the same value
//! both apply. Distributions: `Uniform(a)` on `[−a, a]`, `Triangular(a)` on
//! `[−a, a]` with mode 0, `Normal(a)` with standard deviation `a`.
//!
//! **Determinism.** Run `r` draws from its own generator, seeded from
//! `(seed, r)` alone (SplitMix64 into xoshiro256++, both implemented here so
//! the streams never change with a dependency's version). Runs are collected
//! in run order and summarised sequentially, so a seed reproduces the result
//! bit for bit whatever the number of threads.
//!
//! **Tornado.** For every perturbed value (actor × position, salience or
//! capability × dimension), the model runs twice from the unperturbed
//! input with that value alone set to the 10% and the 90% quantile of its
//! perturbation; the bars are sorted by the forecast's swing.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::input::ForecastInput;
use super::runner::{forecast, run_observed, RunConfig};
use super::{ForecastModel, ModelError, Scratch};
use crate::budget::Cancel;

/// Which value a perturbation changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The position, by `ε × span`.
    Position,
    /// The salience, by `ε`.
    Salience,
    /// The capability, by the factor `1 + ε`.
    Capability,
}

impl Target {
    /// `position`, `salience` or `capability`.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Position => "position",
            Target::Salience => "salience",
            Target::Capability => "capability",
        }
    }
}

/// A symmetric distribution around 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Distribution {
    /// Uniform on `[−a, a]`.
    Uniform(f64),
    /// Triangular on `[−a, a]`, mode 0.
    Triangular(f64),
    /// Normal with standard deviation `a`.
    Normal(f64),
}

impl Distribution {
    /// One variate.
    fn draw(self, rng: &mut Rng) -> f64 {
        match self {
            Distribution::Uniform(a) => a * (2.0 * rng.unit() - 1.0),
            // The sum of two uniforms on [0, 1) is triangular on [0, 2).
            Distribution::Triangular(a) => a * (rng.unit() + rng.unit() - 1.0),
            Distribution::Normal(a) => a * rng.normal(),
        }
    }

    /// The 10% quantile (`high` false) or the 90% quantile (`high` true),
    /// the tornado's low and high values.
    pub fn decile(self, high: bool) -> f64 {
        let sign = if high { 1.0 } else { -1.0 };
        sign * match self {
            Distribution::Uniform(a) => 0.8 * a,
            // P(ε < −a(1 − √0.2)) = (√0.2)²/2 = 0.1.
            Distribution::Triangular(a) => a * (1.0 - 0.2f64.sqrt()),
            // The standard normal's 90% quantile.
            Distribution::Normal(a) => 1.281_551_565_544_600_4 * a,
        }
    }

    /// `uniform`, `triangular` or `normal`.
    pub fn name(self) -> &'static str {
        match self {
            Distribution::Uniform(_) => "uniform",
            Distribution::Triangular(_) => "triangular",
            Distribution::Normal(_) => "normal",
        }
    }

    /// The spread `a`.
    pub fn spread(self) -> f64 {
        match self {
            Distribution::Uniform(a) | Distribution::Triangular(a) | Distribution::Normal(a) => a,
        }
    }
}

/// Which actors a perturbation covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every actor, each with its own draw.
    Every,
    /// The actor with this id (none, on an input without it).
    Actor(String),
}

/// One declared perturbation.
#[derive(Clone, Debug, PartialEq)]
pub struct Perturbation {
    /// Whose values.
    pub scope: Scope,
    /// Which value.
    pub target: Target,
    /// By how much.
    pub distribution: Distribution,
}

impl Perturbation {
    /// Reads `[ACTOR.]TARGET=DISTRIBUTION:SPREAD`, e.g. `position=normal:0.05`
    /// (every actor's position, standard deviation 5% of the scale) or
    /// `usa.capability=uniform:0.2` (the actor `usa`'s capability, ±20%).
    pub fn parse(spec: &str) -> Result<Perturbation, String> {
        let (lhs, rhs) =
            spec.split_once('=').ok_or_else(|| format!("`{spec}`: expected [ACTOR.]TARGET=DISTRIBUTION:SPREAD, e.g. `position=normal:0.05` or `usa.capability=uniform:0.2`"))?;
        let (scope, target) = match lhs.rsplit_once('.') {
            Some((actor, target)) if !actor.is_empty() => (Scope::Actor(actor.to_string()), target),
            _ => (Scope::Every, lhs),
        };
        let target = match target.trim() {
            "position" => Target::Position,
            "salience" => Target::Salience,
            "capability" => Target::Capability,
            other => return Err(format!("`{other}` is not position, salience or capability")),
        };
        let (dist, spread) =
            rhs.split_once(':').ok_or_else(|| format!("`{rhs}`: expected DISTRIBUTION:SPREAD, e.g. normal:0.05"))?;
        let a: f64 = spread.trim().parse().map_err(|_| format!("`{spread}` is not a number"))?;
        if !(a.is_finite() && a >= 0.0) {
            return Err(format!("the spread must be a number ≥ 0, found `{spread}`"));
        }
        let distribution = match dist.trim() {
            "uniform" => Distribution::Uniform(a),
            "triangular" => Distribution::Triangular(a),
            "normal" => Distribution::Normal(a),
            other => return Err(format!("`{other}` is not uniform, triangular or normal")),
        };
        Ok(Perturbation { scope, target, distribution })
    }

    /// Checks that an actor-scoped perturbation names one of `actors` (a
    /// misspelt name would otherwise perturb nothing, silently).
    pub fn check_actor(&self, actors: &[&str]) -> Result<(), String> {
        match &self.scope {
            Scope::Actor(id) if !actors.contains(&id.as_str()) => {
                let hint = match crate::suggest::did_you_mean(id, actors) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("actors are: {}", actors.join(", ")),
                };
                Err(format!("no actor is named `{id}`; {hint}"))
            }
            _ => Ok(()),
        }
    }

    fn covers(&self, input: &ForecastInput, actor: usize) -> bool {
        match &self.scope {
            Scope::Every => true,
            Scope::Actor(id) => input.actors[actor].id == *id,
        }
    }
}

/// The specification [`Perturbation::parse`] reads back.
impl std::fmt::Display for Perturbation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Scope::Actor(id) = &self.scope {
            write!(f, "{id}.")?;
        }
        write!(f, "{}={}:{}", self.target.as_str(), self.distribution.name(), self.distribution.spread())
    }
}

/// The perturbations used when none is declared: positions normal with
/// standard deviation 5% of the scale, saliences normal 0.05, capabilities
/// normal 10%. A convention of this tool, not of the literature.
pub fn default_perturbations() -> Vec<Perturbation> {
    vec![
        Perturbation { scope: Scope::Every, target: Target::Position, distribution: Distribution::Normal(0.05) },
        Perturbation { scope: Scope::Every, target: Target::Salience, distribution: Distribution::Normal(0.05) },
        Perturbation { scope: Scope::Every, target: Target::Capability, distribution: Distribution::Normal(0.10) },
    ]
}

/// A Monte Carlo study.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarloConfig {
    /// How many perturbed runs.
    pub runs: usize,
    /// The seed; the same seed gives the same result bit for bit.
    pub seed: u64,
    /// What to perturb.
    pub perturbations: Vec<Perturbation>,
    /// How each run stops.
    pub run: RunConfig,
    /// Whether to compute the tornado.
    pub tornado: bool,
}

/// The distribution of the forecasts on one dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Mean.
    pub mean: f64,
    /// Standard deviation (n − 1 in the denominator; 0 for one run).
    pub sd: f64,
    /// Smallest forecast.
    pub min: f64,
    /// Largest forecast.
    pub max: f64,
    /// `(p, quantile)` for p = 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95
    /// (linear interpolation between order statistics).
    pub quantiles: Vec<(f64, f64)>,
    /// The central 80% interval: the 10% and 90% quantiles.
    pub interval80: (f64, f64),
}

/// One bar of the tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    /// The actor.
    pub actor: usize,
    /// The value changed.
    pub target: Target,
    /// The dimension.
    pub dimension: usize,
    /// The input value at the perturbation's 10% and 90% quantiles.
    pub values: (f64, f64),
    /// The forecast (on `dimension`) with the value at each.
    pub forecasts: (f64, f64),
    /// `|forecasts.1 − forecasts.0|`.
    pub swing: f64,
}

/// The result of a Monte Carlo study.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarlo {
    /// The forecast on the unperturbed input.
    pub base: Vec<f64>,
    /// Every run's forecast, run-major: run `r`'s on dimension `d` at
    /// `r * dimensions + d`.
    pub forecasts: Vec<f64>,
    /// One summary per dimension.
    pub summaries: Vec<Summary>,
    /// The tornado, largest swing first (empty when not asked for).
    pub tornado: Vec<TornadoBar>,
}

/// The model runs a study makes besides the unperturbed one: its perturbed
/// runs, then two per tornado bar. What [`monte_carlo`]'s progress counts
/// up to; the tornado's share grows with the cast whatever the runs.
pub fn model_runs(input: &ForecastInput, config: &MonteCarloConfig) -> u64 {
    let bars = if config.tornado { tornado_params(input, &config.perturbations).len() as u64 } else { 0 };
    config.runs as u64 + 2 * bars
}

/// The study's size as the budget counts it: runs × actors × dimensions
/// (every run perturbs each actor's values on each dimension). Checked
/// against [`crate::budget::Budget::max_perturbed`] before anything runs.
pub fn perturbed_values(runs: usize, input: &ForecastInput) -> u128 {
    runs as u128 * input.actors.len() as u128 * input.dimensions.len() as u128
}

/// Runs the study. `progress` is called with the number of model runs done
/// so far, perturbed runs then tornado runs, up to [`model_runs`] (from any
/// thread; for display only). Fails when the model cannot forecast the
/// unperturbed input.
pub fn monte_carlo(
    model: &dyn ForecastModel,
    input: &ForecastInput,
    config: &MonteCarloConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<MonteCarlo, ModelError> {
    monte_carlo_with(model, input, config, progress, &Cancel::new())
}

/// As [`monte_carlo`], ending with [`ModelError::Cancelled`] once `cancel`
/// is set (runs not yet started are skipped).
pub fn monte_carlo_with(
    model: &dyn ForecastModel,
    input: &ForecastInput,
    config: &MonteCarloConfig,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<MonteCarlo, ModelError> {
    let forecasts = perturbed_forecasts(model, input, config, 0..config.runs, progress, cancel)?;
    monte_carlo_from(model, input, config, forecasts, progress, cancel)
}

/// The forecasts of perturbed runs `runs` (within `0..config.runs`),
/// run-major: the costly part of a study, which shards of a distributed
/// run compute apart. Run `r` draws from a generator seeded by the seed and
/// `r` alone, so shards joined in run order are the single study's
/// forecasts. Fails when the model cannot forecast the unperturbed input.
pub fn perturbed_forecasts(
    model: &dyn ForecastModel,
    input: &ForecastInput,
    config: &MonteCarloConfig,
    runs: std::ops::Range<usize>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<Vec<f64>, ModelError> {
    run_observed(model, input, &config.run, &mut ())?;
    let runs = runs.start.min(config.runs)..runs.end.min(config.runs);
    let last = runs.end as u64;
    let done = AtomicU64::new(runs.start as u64);
    let results: Vec<Result<Vec<f64>, ModelError>> = runs
        .into_par_iter()
        .with_min_len(16)
        .map_init(
            || (input.clone(), Scratch::default()),
            |(perturbed, scratch), r| {
                cancel.check().map_err(|_| ModelError::Cancelled)?;
                perturbed.reset_values_from(input);
                let mut rng = Rng::for_run(config.seed, r as u64);
                perturb(perturbed, input, &config.perturbations, &mut rng);
                let out = forecast(model, perturbed, &config.run, scratch);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n % 64 == 0 || n == last {
                    progress(n);
                }
                out
            },
        )
        .collect();
    let mut forecasts = Vec::with_capacity(results.len() * input.dimensions.len());
    for r in results {
        forecasts.extend(r?);
    }
    Ok(forecasts)
}

/// The study from every perturbed run's forecasts (all of `config.runs`,
/// in run order, as [`perturbed_forecasts`] gives them): the base forecast,
/// the summaries and the tornado. `forecasts` of another length is a bug of
/// the caller's merge and panics.
pub fn monte_carlo_from(
    model: &dyn ForecastModel,
    input: &ForecastInput,
    config: &MonteCarloConfig,
    forecasts: Vec<f64>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &Cancel,
) -> Result<MonteCarlo, ModelError> {
    let dims = input.dimensions.len();
    assert_eq!(forecasts.len(), config.runs * dims, "one forecast per run and dimension");
    let (base_round, _) = run_observed(model, input, &config.run, &mut ())?;
    let base = base_round.forecast;
    let summaries =
        (0..dims).map(|d| summarise(forecasts.iter().skip(d).step_by(dims.max(1)).copied().collect())).collect();
    let tornado = if config.tornado {
        let done = AtomicU64::new(config.runs as u64);
        tornado(model, input, config, &|| progress(done.fetch_add(1, Ordering::Relaxed) + 1), cancel)?
    } else {
        Vec::new()
    };
    cancel.check().map_err(|_| ModelError::Cancelled)?;
    Ok(MonteCarlo { base, forecasts, summaries, tornado })
}

/// Applies every perturbation to `out` (a copy of `input`).
fn perturb(out: &mut ForecastInput, input: &ForecastInput, perturbations: &[Perturbation], rng: &mut Rng) {
    for p in perturbations {
        for a in 0..input.actors.len() {
            if !p.covers(input, a) {
                continue;
            }
            for d in 0..input.dimensions.len() {
                let e = p.distribution.draw(rng);
                apply(out, a, d, p.target, e);
            }
        }
    }
}

/// Moves one value by the variate `e`, as the module documentation says.
fn apply(out: &mut ForecastInput, actor: usize, dim: usize, target: Target, e: f64) {
    let (min, max) = (out.dimensions[dim].min, out.dimensions[dim].max);
    let a = &mut out.actors[actor];
    match target {
        Target::Position => a.position[dim] = (a.position[dim] + e * (max - min)).clamp(min, max),
        Target::Salience => a.salience[dim] = (a.salience[dim] + e).clamp(0.0, 1.0),
        Target::Capability => a.capability[dim] = (a.capability[dim] * (1.0 + e)).max(0.0),
    }
}

/// The values the tornado moves, one bar each: (actor, target, dimension).
fn tornado_params(input: &ForecastInput, perturbations: &[Perturbation]) -> Vec<(usize, Target, usize)> {
    let mut params = Vec::new();
    for a in 0..input.actors.len() {
        for target in [Target::Position, Target::Salience, Target::Capability] {
            if perturbations.iter().any(|p| p.target == target && p.covers(input, a)) {
                params.extend((0..input.dimensions.len()).map(|d| (a, target, d)));
            }
        }
    }
    params
}

/// The one-at-a-time tornado; `ran` is called after each model run, and
/// `cancel` is looked at before each.
fn tornado(
    model: &dyn ForecastModel,
    input: &ForecastInput,
    config: &MonteCarloConfig,
    ran: &(dyn Fn() + Sync),
    cancel: &Cancel,
) -> Result<Vec<TornadoBar>, ModelError> {
    let params = tornado_params(input, &config.perturbations);
    let bars: Vec<Result<TornadoBar, ModelError>> = params
        .par_iter()
        .map_init(Scratch::default, |scratch, &(actor, target, dim)| {
            let mut at = |high: bool| -> Result<(f64, f64), ModelError> {
                cancel.check().map_err(|_| ModelError::Cancelled)?;
                let mut changed = input.clone();
                for pert in config.perturbations.iter().filter(|x| x.target == target && x.covers(input, actor)) {
                    apply(&mut changed, actor, dim, target, pert.distribution.decile(high));
                }
                let value = match target {
                    Target::Position => changed.actors[actor].position[dim],
                    Target::Salience => changed.actors[actor].salience[dim],
                    Target::Capability => changed.actors[actor].capability[dim],
                };
                let forecast = forecast(model, &changed, &config.run, scratch);
                ran();
                Ok((value, forecast?[dim]))
            };
            let (lo, hi) = (at(false)?, at(true)?);
            Ok(TornadoBar {
                actor,
                target,
                dimension: dim,
                values: (lo.0, hi.0),
                forecasts: (lo.1, hi.1),
                swing: (hi.1 - lo.1).abs(),
            })
        })
        .collect();
    let mut bars = bars.into_iter().collect::<Result<Vec<_>, _>>()?;
    // Stable: equal swings keep actor, target, dimension order.
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    Ok(bars)
}

/// Mean, standard deviation, extremes and quantiles of `xs`.
pub fn summarise(mut xs: Vec<f64>) -> Summary {
    let n = xs.len();
    if n == 0 {
        return Summary {
            mean: f64::NAN,
            sd: f64::NAN,
            min: f64::NAN,
            max: f64::NAN,
            quantiles: Vec::new(),
            interval80: (f64::NAN, f64::NAN),
        };
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = if n > 1 { xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64 } else { 0.0 };
    xs.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (n - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        xs[lo] + (h - lo as f64) * (xs[hi] - xs[lo])
    };
    let quantiles = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95].iter().map(|&p| (p, q(p))).collect();
    Summary { mean, sd: var.sqrt(), min: xs[0], max: xs[n - 1], quantiles, interval80: (q(0.10), q(0.90)) }
}

/// xoshiro256++ (Blackman & Vigna 2019), seeded through SplitMix64.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The generator of run `run` of a study seeded with `seed`.
    pub(crate) fn for_run(seed: u64, run: u64) -> Rng {
        let mut state = seed;
        let mixed = splitmix64(&mut state) ^ run.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut state = mixed;
        Rng { s: [splitmix64(&mut state), splitmix64(&mut state), splitmix64(&mut state), splitmix64(&mut state)] }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on `[0, 1)` with 53 random bits.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal (Box–Muller, one of the pair).
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit(); // (0, 1]
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::compromise::Compromise;
    use crate::forecast::eum::Eum;

    fn input() -> ForecastInput {
        crate::forecast::eum::tests::emission_standards()
    }

    fn config(runs: usize) -> MonteCarloConfig {
        MonteCarloConfig {
            runs,
            seed: 7,
            perturbations: default_perturbations(),
            run: RunConfig { max_rounds: 10, tolerance: None },
            tornado: true,
        }
    }

    #[test]
    fn parse_specs() {
        assert_eq!(
            Perturbation::parse("position=normal:0.05"),
            Ok(Perturbation {
                scope: Scope::Every,
                target: Target::Position,
                distribution: Distribution::Normal(0.05)
            })
        );
        assert_eq!(
            Perturbation::parse("united.states.capability=uniform:0.2"),
            Ok(Perturbation {
                scope: Scope::Actor("united.states".into()),
                target: Target::Capability,
                distribution: Distribution::Uniform(0.2)
            })
        );
        for bad in ["position", "power=normal:1", "salience=cauchy:1", "salience=normal:-1", "salience=normal:x"] {
            assert!(Perturbation::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn actor_scopes_are_checked() {
        let actors = ["japan", "russia"];
        let p = |s: &str| Perturbation::parse(s).unwrap();
        assert_eq!(p("japan.salience=normal:0.1").check_actor(&actors), Ok(()));
        assert_eq!(p("salience=normal:0.1").check_actor(&actors), Ok(()));
        assert_eq!(p("japan.salience=normal:0.1").to_string(), "japan.salience=normal:0.1");
        assert_eq!(p("capability=triangular:0.25").to_string(), "capability=triangular:0.25");
        assert_eq!(
            p("japn.salience=normal:0.1").check_actor(&actors),
            Err("no actor is named `japn`; did you mean `japan`?".into())
        );
        assert_eq!(
            p("usa.salience=normal:0.1").check_actor(&actors),
            Err("no actor is named `usa`; actors are: japan, russia".into())
        );
    }

    #[test]
    fn distributions_have_the_declared_spread() {
        let mut rng = Rng::for_run(1, 0);
        let n = 200_000;
        for (dist, var) in [
            (Distribution::Uniform(0.3), 0.3f64.powi(2) / 3.0),
            (Distribution::Triangular(0.3), 0.3f64.powi(2) / 6.0),
            (Distribution::Normal(0.3), 0.09),
        ] {
            let xs: Vec<f64> = (0..n).map(|_| dist.draw(&mut rng)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let v = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            assert!(mean.abs() < 0.005, "{dist:?}: mean {mean}");
            assert!((v / var - 1.0).abs() < 0.02, "{dist:?}: variance {v} vs {var}");
            let below = xs.iter().filter(|&&x| x < dist.decile(false)).count() as f64 / n as f64;
            assert!((below - 0.1).abs() < 0.005, "{dist:?}: {below} below the 10% quantile");
            let above = xs.iter().filter(|&&x| x > dist.decile(true)).count() as f64 / n as f64;
            assert!((above - 0.1).abs() < 0.005, "{dist:?}: {above} above the 90% quantile");
        }
    }

    #[test]
    fn summaries_of_known_samples() {
        let s = summarise((1..=5).map(f64::from).collect());
        assert_eq!((s.mean, s.min, s.max), (3.0, 1.0, 5.0));
        assert!((s.sd - 2.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(s.quantiles[3], (0.5, 3.0));
        assert_eq!(s.interval80, (1.4, 4.6));
    }

    #[test]
    fn same_seed_same_result_on_any_number_of_threads() {
        let model = Eum::replication();
        let config = config(200);
        let many = monte_carlo(&model, &input(), &config, &|_| {}).unwrap();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| monte_carlo(&model, &input(), &config, &|_| {}).unwrap());
        assert_eq!(many, one);
        assert!(many.forecasts.iter().zip(&one.forecasts).all(|(a, b)| a.to_bits() == b.to_bits()));
        let other = monte_carlo(&model, &input(), &MonteCarloConfig { seed: 8, ..config }, &|_| {}).unwrap();
        assert_ne!(other.forecasts, many.forecasts);
    }

    /// The parallel runs (models' fast paths, buffers reused per worker,
    /// inputs reset in place) give, bit for bit, what the plain runner gives
    /// on freshly cloned, perturbed inputs, run by run.
    #[test]
    fn runs_equal_the_plain_runner_bit_for_bit() {
        for model in [&Eum::replication() as &dyn ForecastModel, &Eum::paper(), &Compromise] {
            let config = MonteCarloConfig { run: RunConfig::for_model(model), ..config(100) };
            let mc = monte_carlo(model, &input(), &config, &|_| {}).unwrap();
            for r in 0..config.runs {
                let mut perturbed = input();
                perturb(&mut perturbed, &input(), &config.perturbations, &mut Rng::for_run(config.seed, r as u64));
                let (last, _) = run_observed(model, &perturbed, &config.run, &mut ()).unwrap();
                assert_eq!(mc.forecasts[r].to_bits(), last.forecast[0].to_bits(), "{} run {r}", model.name());
            }
        }
    }

    #[test]
    fn no_perturbation_reproduces_the_base_forecast() {
        let config = MonteCarloConfig { perturbations: Vec::new(), ..config(10) };
        let mc = monte_carlo(&Compromise, &input(), &config, &|_| {}).unwrap();
        assert!(mc.forecasts.iter().all(|&x| x == mc.base[0]));
        assert_eq!(mc.summaries[0].interval80, (mc.base[0], mc.base[0]));
        assert!(mc.tornado.is_empty());
    }

    #[test]
    fn tornado_ranks_the_values_that_move_the_compromise() {
        // Only positions, uniform ±10% of the span (±0.6 years): the
        // compromise moves by wᵢ/Σw × 0.48 per actor, so the heaviest actor
        // (the UK, weight 0.144) leads and the bars follow the weights.
        let only = vec![Perturbation {
            scope: Scope::Every,
            target: Target::Position,
            distribution: Distribution::Uniform(0.1),
        }];
        let config = MonteCarloConfig { perturbations: only, ..config(50) };
        let mc = monte_carlo(&Compromise, &input(), &config, &|_| {}).unwrap();
        assert_eq!(mc.tornado.len(), 10);
        let uk = &mc.tornado[0];
        assert_eq!((uk.actor, uk.target), (6, Target::Position));
        // 10.0 − 0.48 = 9.52, and 10 + 0.48 is clamped to the scale's 10.
        assert!((uk.values.0 - 9.52).abs() < 1e-12 && uk.values.1 == 10.0, "{:?}", uk.values);
        assert!((uk.swing - 0.144 / 0.677 * 0.48).abs() < 1e-9, "{}", uk.swing);
        assert!(mc.tornado.windows(2).all(|w| w[0].swing >= w[1].swing));
    }

    #[test]
    fn progress_counts_every_run_and_the_tornado() {
        let seen = AtomicU64::new(0);
        let config = config(130);
        let mc = monte_carlo(&Compromise, &input(), &config, &|n| {
            seen.fetch_max(n, Ordering::Relaxed);
        })
        .unwrap();
        // Two runs per tornado bar after the 130 perturbed ones.
        assert_eq!(model_runs(&input(), &config), 130 + 2 * mc.tornado.len() as u64);
        assert_eq!(seen.load(Ordering::Relaxed), model_runs(&input(), &config));
        let no_tornado = MonteCarloConfig { tornado: false, ..config };
        assert_eq!(model_runs(&input(), &no_tornado), 130);
    }

    #[test]
    fn a_cancelled_tornado_is_an_error() {
        // The flag is set by the first tornado run's progress: the
        // perturbed runs finish, the tornado stops.
        let cancel = Cancel::new();
        let config = MonteCarloConfig { runs: 1, ..config(1) };
        let result = monte_carlo_with(
            &Compromise,
            &input(),
            &config,
            &|n| {
                if n > 1 {
                    cancel.cancel();
                }
            },
            &cancel,
        );
        assert_eq!(result, Err(ModelError::Cancelled));
    }
}
