//! The Monte Carlo distribution of a forecast: one panel per issue with a
//! histogram of the runs' forecasts, the mean (solid vermillion line), the
//! median (dashed blue line), the central 80% interval (a shaded band with
//! dotted bounds) and the forecast on the stated inputs (a black ×).
//!
//! Bins ([`histogram`]): `k = min(40, ⌈2 n^⅓⌉)` bins of equal width over
//! `[min, max]` of the `n` finite forecasts (Rice's rule), the maximum in
//! the last bin; when every run gives the same forecast (within 10⁻⁹ of the
//! scale), one bar 1/50 of the scale wide centred on it.
//!
//! Geometry as for [`super::trajectory`] (the same panel sizes, margins and
//! floor rule), with a fixed vertical label area of [`Y_LABEL_AREA`]. Axes:
//! across, the bins and the marked values, padded by [`PAD`] of their width
//! at each end; up, `[0, 1.1 × the largest count]`.

use detente::forecast::issues::IssueForecast;
use detente::forecast::montecarlo::{MonteCarlo, Summary};
use detente::forecast::ForecastInput;
use detente::scenario::Scenario;
use plotters::prelude::*;

use super::palette as pal;
use super::trajectory::{caption, decimals, frame, issue_caption, value_text, MAX_COLUMNS, PANEL, SINGLE_PANEL};
use super::{
    draw_legend, draw_marker, draw_path, drawing, finish, font_left, legend_height, sizes, Dash, Figure, Glyph,
    LegendEntry, Marker, Panels, PlotError, TITLE_HEIGHT,
};

/// Width of the vertical tick labels and axis title.
pub const Y_LABEL_AREA: i32 = 64;
/// Width of the legend column.
pub const LEGEND_WIDTH: i32 = 250;
/// Padding of the horizontal axis, as a fraction of its width.
pub const PAD: f64 = 0.04;
/// Most bins.
pub const MAX_BINS: usize = 40;
/// Bar fill.
pub const BAR: RGBColor = RGBColor(0x8F, 0xA8, 0xBF);
/// The central 80% band.
pub const BAND: RGBColor = RGBColor(0xE8, 0xED, 0xF2);
/// The mean's line.
pub const MEAN: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// The median's line.
pub const MEDIAN: RGBColor = RGBColor(0x00, 0x72, 0xB2);

/// Equal-width bins: the first starts at `lo`; bin `k` covers
/// `[lo + k·width, lo + (k + 1)·width)` (the last also its right end).
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// Left end of the first bin.
    pub lo: f64,
    /// Width of every bin.
    pub width: f64,
    /// Forecasts per bin.
    pub counts: Vec<u64>,
}

impl Histogram {
    /// Right end of the last bin.
    pub fn hi(&self) -> f64 {
        self.lo + self.width * self.counts.len() as f64
    }
}

/// Bins the finite values of `xs` (module documentation); `span` is the
/// width of the issue's scale. `None` without a finite value.
pub fn histogram(xs: &[f64], span: f64) -> Option<Histogram> {
    let finite: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let (min, max) = finite.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    if finite.is_empty() {
        return None;
    }
    let scale = if span > 0.0 { span } else { 1.0 };
    if max - min <= 1e-9 * scale {
        let width = scale / 50.0;
        return Some(Histogram { lo: min - width / 2.0, width, counts: vec![finite.len() as u64] });
    }
    let k = ((2.0 * (finite.len() as f64).cbrt()).ceil() as usize).clamp(1, MAX_BINS);
    let width = (max - min) / k as f64;
    let mut counts = vec![0u64; k];
    for x in finite {
        let bin = (((x - min) / width).floor() as usize).min(k - 1);
        counts[bin] += 1;
    }
    Some(Histogram { lo: min, width, counts })
}

/// The issues on which `model` has a Monte Carlo study.
pub(crate) fn studies<'a>(
    forecasts: &'a [IssueForecast],
    model: &str,
) -> Vec<(usize, &'a ForecastInput, &'a MonteCarlo)> {
    forecasts
        .iter()
        .filter_map(|f| {
            let input = f.input.as_ref()?;
            let mc = f.runs.iter().find(|r| r.model == model)?.monte_carlo.as_ref()?;
            Some((f.issue, input, mc))
        })
        .collect()
}

/// The horizontal axis of a panel: the bins and the marked values, padded.
pub fn x_range(h: &Histogram, summary: &Summary, base: f64) -> (f64, f64) {
    let values =
        [h.lo, h.hi(), summary.mean, summary.quantiles_median(), summary.interval80.0, summary.interval80.1, base];
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    // Every run at one value (or within rounding of it): a range of zero
    // width would put every point at infinity, so the axis gets a width of
    // its own around the value.
    let span = hi - lo;
    if span <= 1e-9 * lo.abs().max(hi.abs()).max(1.0) {
        let half = 0.05 * lo.abs().max(1.0);
        return (lo - half, hi + half);
    }
    let pad = span * PAD;
    (lo - pad, hi + pad)
}

/// The median of a summary (its 50% quantile).
trait Median {
    fn quantiles_median(&self) -> f64;
}

impl Median for Summary {
    fn quantiles_median(&self) -> f64 {
        self.quantiles.iter().find(|(p, _)| (*p - 0.5).abs() < 1e-12).map_or(f64::NAN, |(_, q)| *q)
    }
}

/// The distribution of `model`'s forecast over its Monte Carlo runs, on
/// every issue that has a study. Fails when none has.
pub fn distribution(s: &Scenario, forecasts: &[IssueForecast], model: &str) -> Result<Figure, PlotError> {
    let studies = studies(forecasts, model);
    if studies.is_empty() {
        return Err(PlotError::Nothing(format!("no Monte Carlo study of {model}")));
    }
    let runs = studies.iter().map(|(_, _, mc)| mc.forecasts.len() / mc.summaries.len().max(1)).max().unwrap_or(0);
    let legend = vec![
        LegendEntry { glyph: Glyph::Cell(BAR), label: format!("runs per bin ({runs} runs)") },
        LegendEntry { glyph: Glyph::Line(MEAN, 3), label: "mean".into() },
        LegendEntry { glyph: Glyph::Dashed(MEDIAN, 3), label: "median".into() },
        LegendEntry { glyph: Glyph::Cell(BAND), label: "central 80% of the runs (10% to 90% quantile)".into() },
        LegendEntry { glyph: Glyph::Marker(Marker::Cross), label: "forecast on the stated inputs".into() },
    ];
    let panel = if studies.len() == 1 { SINGLE_PANEL } else { PANEL };
    let layout =
        Panels::new(studies.len(), MAX_COLUMNS, panel, LEGEND_WIDTH, legend_height(&legend, LEGEND_WIDTH - 16));
    let size = layout.size();
    let title = format!("Monte Carlo distribution of the forecast: {model}");
    let mut svg = String::new();
    let mut described = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        root.draw(&Text::new(title.clone(), (16, TITLE_HEIGHT / 2), font_left(sizes::TITLE))).map_err(drawing)?;
        for (k, (issue, input, mc)) in studies.iter().enumerate() {
            let origin = layout.origin(k);
            let area = root.clone().shrink(origin, (panel.0 as u32, panel.1 as u32));
            caption(&root, origin, panel.0, &issue_caption(s, *issue))?;
            let span = input.dimensions()[0].max - input.dimensions()[0].min;
            let dims = mc.summaries.len().max(1);
            let xs: Vec<f64> = mc.forecasts.iter().step_by(dims).copied().collect();
            let (Some(h), Some(summary)) = (histogram(&xs, span), mc.summaries.first()) else { continue };
            draw_panel(&root, &area, &h, summary, mc.base[0], decimals(span))?;
            let dec = decimals(span);
            described.push(format!(
                "{}: mean {}, median {}, 80% of runs between {} and {}",
                s.issues[*issue].id,
                value_text(s, *issue, summary.mean, dec),
                value_text(s, *issue, summary.quantiles_median(), dec),
                value_text(s, *issue, summary.interval80.0, dec),
                value_text(s, *issue, summary.interval80.1, dec),
            ));
        }
        draw_legend(&root, layout.legend_origin(), LEGEND_WIDTH - 16, &legend)?;
        root.present().map_err(drawing)?;
    }
    let description = format!(
        "Histograms of the {model} forecast over {runs} Monte Carlo runs with perturbed inputs, one per issue, with the mean, the median, the central 80% of the runs and the forecast on the stated inputs. {}.",
        described.join("; ")
    );
    Ok(finish(&svg, "forecast-distribution", title, description, size))
}

fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    area: &DrawingArea<DB, plotters::coord::Shift>,
    h: &Histogram,
    summary: &Summary,
    base: f64,
    dec: usize,
) -> Result<(), PlotError> {
    let x = x_range(h, summary, base);
    let top = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.1;
    let fmt = |v: &f64| super::short_number(*v, dec + 1);
    let chart = frame(root, area, x, (0.0, top), ("forecast", "runs"), Y_LABEL_AREA, (6, &fmt), None, 0)?;
    let px = super::trajectory::to_pixels(&chart, x, (0.0, top));
    // The band first, then the bars over it, then the lines over both.
    let (a, b) = summary.interval80;
    root.draw(&Rectangle::new([px(a, top), px(b, 0.0)], BAND.filled())).map_err(drawing)?;
    for (k, &count) in h.counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let left = h.lo + k as f64 * h.width;
        root.draw(&Rectangle::new([px(left, count as f64), px(left + h.width, 0.0)], BAR.filled())).map_err(drawing)?;
    }
    for v in [a, b] {
        draw_path(root, vec![px(v, 0.0), px(v, top)], pal::INK, 2, Dash::Dotted)?;
    }
    draw_path(root, vec![px(summary.mean, 0.0), px(summary.mean, top)], MEAN, 3, Dash::Solid)?;
    let median = summary.quantiles_median();
    draw_path(root, vec![px(median, 0.0), px(median, top)], MEDIAN, 3, Dash::Dashed)?;
    let (bx, by) = px(base, top);
    draw_marker(root, (bx, by + 10), Marker::Cross)
}
