//! The one-at-a-time tornado of a Monte Carlo study: one panel per issue,
//! one row per perturbed input (actor and value), largest swing on top, at
//! most [`MAX_BARS`] rows with a swing. Each row has two half-height bars
//! from the forecast on the stated inputs (a vertical black line): the
//! forecast with the input at its perturbation's 10% quantile (filled
//! blue, upper half) and at its 90% quantile (hollow, vermillion outline,
//! lower half), so the two read apart without colour.
//!
//! Geometry as for [`super::trajectory`] (panel sizes, margins, the floor
//! rule), with the row labels in a vertical label area of
//! [`label_area`]. Axes: across, the base forecast and every bar end,
//! padded by [`PAD`] of their width at each end (a width of 0 counts as
//! 1/20 of the scale); up, `[0.4, rows + 0.6]` with row `i` (0 on top)
//! centred at `rows − i`, its upper bar on `[c, c + BAR_HALF]` and its
//! lower bar on `[c − BAR_HALF, c]`.

use detente::forecast::issues::IssueForecast;
use detente::forecast::montecarlo::{MonteCarlo, TornadoBar};
use detente::forecast::ForecastInput;
use detente::scenario::Scenario;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::distribution::studies;
use super::palette as pal;
use super::trajectory::{caption, decimals, frame, issue_caption, MAX_COLUMNS, PANEL, SINGLE_PANEL};
use super::{
    draw_legend, draw_path, drawing, finish, font, font_left, legend_height, sizes, text_width, truncate, Dash, Figure,
    Glyph, LegendEntry, Panels, PlotError, TITLE_HEIGHT,
};

/// Rows drawn per issue at most (the largest swings).
pub const MAX_BARS: usize = 10;
/// Half the height of a row's two bars, in row units.
pub const BAR_HALF: f64 = 0.36;
/// Width of the legend column.
pub const LEGEND_WIDTH: i32 = 250;
/// Padding of the horizontal axis, as a fraction of its width.
pub const PAD: f64 = 0.05;
/// The low value's bar (filled).
pub const LOW: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// The high value's bar (outline).
pub const HIGH: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// A row's label: the actor's id (short, as in the text output) and the
/// value perturbed.
pub fn bar_label(input: &ForecastInput, bar: &TornadoBar) -> String {
    let name = &input.actors()[bar.actor].id;
    if input.dimensions().len() > 1 {
        format!("{name} {} ({})", bar.target.as_str(), input.dimensions()[bar.dimension].id)
    } else {
        format!("{name} {}", bar.target.as_str())
    }
}

/// The rows drawn: bars with a swing, largest first, at most [`MAX_BARS`].
pub fn rows(mc: &MonteCarlo) -> Vec<&TornadoBar> {
    let mut bars: Vec<&TornadoBar> = mc.tornado.iter().filter(|b| b.swing > 0.0).collect();
    // Already sorted by the study; sorted again (stably) so the picture
    // never depends on it.
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    bars.truncate(MAX_BARS);
    bars
}

/// Width of the row labels (at most 30 characters each) of the figure.
pub fn label_area(labels: &[String]) -> i32 {
    let longest = labels.iter().map(|l| text_width(&truncate(l, 30), sizes::SMALL)).max().unwrap_or(0);
    (longest + 16).clamp(80, 230)
}

/// The horizontal axis of a panel.
pub fn x_range(bars: &[&TornadoBar], base: f64, span: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (base, base);
    for b in bars {
        for v in [b.forecasts.0, b.forecasts.1] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if hi - lo <= 0.0 {
        let half = if span > 0.0 { span / 40.0 } else { 0.5 };
        return (lo - half, hi + half);
    }
    let pad = (hi - lo) * PAD;
    (lo - pad, hi + pad)
}

/// The tornado of `model`'s Monte Carlo study on every issue that has one.
/// Fails when none has.
pub fn tornado(s: &Scenario, forecasts: &[IssueForecast], model: &str) -> Result<Figure, PlotError> {
    let studies = studies(forecasts, model);
    if studies.is_empty() {
        return Err(PlotError::Nothing(format!("no Monte Carlo study of {model}")));
    }
    let legend = vec![
        LegendEntry { glyph: Glyph::Cell(LOW), label: "forecast with the input at its 10% quantile".into() },
        LegendEntry { glyph: Glyph::Outline(HIGH), label: "forecast with the input at its 90% quantile".into() },
        LegendEntry { glyph: Glyph::Line(pal::INK, 2), label: "forecast on the stated inputs".into() },
    ];
    let labels: Vec<String> =
        studies.iter().flat_map(|(_, input, mc)| rows(mc).into_iter().map(|b| bar_label(input, b))).collect();
    let y_area = label_area(&labels);
    let panel = if studies.len() == 1 { SINGLE_PANEL } else { PANEL };
    let layout =
        Panels::new(studies.len(), MAX_COLUMNS, panel, LEGEND_WIDTH, legend_height(&legend, LEGEND_WIDTH - 16));
    let size = layout.size();
    let title = format!("What moves the forecast most (one input at a time): {model}");
    let mut svg = String::new();
    let mut described = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        root.draw(&Text::new(title.clone(), (16, TITLE_HEIGHT / 2), font_left(sizes::TITLE))).map_err(drawing)?;
        for (k, (issue, input, mc)) in studies.iter().enumerate() {
            let origin = layout.origin(k);
            let area = root.clone().shrink(origin, (panel.0 as u32, panel.1 as u32));
            let bars = rows(mc);
            let more = mc.tornado.iter().filter(|b| b.swing > 0.0).count() - bars.len();
            let mut cap = issue_caption(s, *issue);
            if more > 0 {
                cap.push_str(&format!(" ({more} smaller not shown)"));
            }
            caption(&root, origin, panel.0, &cap)?;
            let span = input.dimensions()[0].max - input.dimensions()[0].min;
            draw_panel(&root, &area, input, &bars, mc.base[0], span, y_area)?;
            described.push(match bars.first() {
                Some(b) => format!(
                    "{}: {} rows, largest swing {} ({})",
                    s.issues[*issue].id,
                    bars.len(),
                    super::short_number(b.swing, decimals(span) + 1),
                    bar_label(input, b)
                ),
                None => format!("{}: no perturbed input moves the forecast", s.issues[*issue].id),
            });
        }
        draw_legend(&root, layout.legend_origin(), LEGEND_WIDTH - 16, &legend)?;
        root.present().map_err(drawing)?;
    }
    let description = format!(
        "For each issue, the inputs of the {model} forecast that move it most when set alone to the 10% and 90% quantiles of their perturbation, largest swing on top. {}.",
        described.join("; ")
    );
    Ok(finish(&svg, "forecast-tornado", title, description, size))
}

fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    area: &DrawingArea<DB, plotters::coord::Shift>,
    input: &ForecastInput,
    bars: &[&TornadoBar],
    base: f64,
    span: f64,
    y_area: i32,
) -> Result<(), PlotError> {
    let n = bars.len();
    let x = x_range(bars, base, span);
    let y = (0.4, n.max(1) as f64 + 0.6);
    let dec = decimals(span) + 1;
    let fmt = |v: &f64| super::short_number(*v, dec);
    // No vertical ticks: the rows carry labels.
    let chart = frame(root, area, x, y, ("forecast", ""), y_area, (6, &fmt), Some(&[]), 0)?;
    let px = super::trajectory::to_pixels(&chart, x, y);
    for (i, bar) in bars.iter().enumerate() {
        let c = (n - i) as f64;
        let (lo, hi) = (base.min(bar.forecasts.0), base.max(bar.forecasts.0));
        root.draw(&Rectangle::new([px(lo, c + BAR_HALF), px(hi, c)], LOW.filled())).map_err(drawing)?;
        let (lo, hi) = (base.min(bar.forecasts.1), base.max(bar.forecasts.1));
        root.draw(&Rectangle::new([px(lo, c), px(hi, c - BAR_HALF)], WHITE.filled())).map_err(drawing)?;
        root.draw(&Rectangle::new([px(lo, c), px(hi, c - BAR_HALF)], HIGH.stroke_width(2))).map_err(drawing)?;
        let (lx, ly) = px(x.0, c);
        let style = font(sizes::SMALL).pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(truncate(&bar_label(input, bar), 30), (lx - 6, ly), style)).map_err(drawing)?;
    }
    draw_path(root, vec![px(base, y.0), px(base, y.1)], pal::INK, 2, Dash::Solid)?;
    if n == 0 {
        let (cx, cy) = px((x.0 + x.1) / 2.0, (y.0 + y.1) / 2.0);
        let style = font(sizes::LABEL).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new("No perturbed input moves this forecast.", (cx, cy - 14), style)).map_err(drawing)?;
    }
    Ok(())
}
