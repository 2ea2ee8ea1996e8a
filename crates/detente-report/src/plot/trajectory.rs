//! Forecast trajectories: one panel per issue with, for an iterating model,
//! every actor's position by round (a thin line per actor) and the forecast
//! (a thick black line); for a static model, every actor's stated position
//! (one marker per actor, side by side) and the forecast across the panel.
//!
//! Actors keep one style (colour, line pattern, marker; [`super::series`]
//! by the actor's place in the scenario) in every panel, and the legend
//! names them once. Issues with options show the option names on the
//! vertical axis.
//!
//! Geometry (pixels; public so tests can map values to pixels): panels of
//! [`PANEL`] (one issue: [`SINGLE_PANEL`]) in at most [`MAX_COLUMNS`]
//! columns below the title band ([`super::TITLE_HEIGHT`]), a legend column
//! of [`LEGEND_WIDTH`]. Inside the panel at `(px, py)` of width `w` and
//! height `h` the plotting area spans `[px + MARGIN_LEFT + y_label_area,
//! px + w − MARGIN_RIGHT)` across and `[py + MARGIN_TOP, py + h −
//! MARGIN_BOTTOM − X_LABEL_AREA)` down, where `y_label_area` is
//! [`y_label_area`] of the figure's option labels. A value `v` on an axis
//! `[lo, hi]` over pixels `[p0, p1)` lands at `p0 + ⌊(p1 − 1 − p0)·t + 10⁻³⌋`
//! with `t = (v − lo)/(hi − lo)` (upwards on the vertical axis). Axes:
//! rounds `[−0.3, R + 0.3]` (static models: actor `k` of `n` at `k` on
//! `[−0.6, n − 0.4]`); positions: the issue's scale padded by [`PAD`] of
//! its span at each end (options `0 … m − 1`). With at most
//! [`DODGE_ACTORS`] actors on an issue, actor `k` (in the issue's order) is
//! drawn `3k − ⌊3(n − 1)/2⌋` px lower, so that actors sharing a position
//! stay visible; the forecast is never moved.

use detente::forecast::issues::IssueForecast;
use detente::forecast::runner::Run;
use detente::forecast::ForecastInput;
use detente::scenario::{Domain, Scenario};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette as pal;
use super::{
    draw_legend, draw_path, draw_shape, drawing, finish, font, font_left, legend_height, series, short_number, sizes,
    text_width, truncate, Dash, Figure, Glyph, LegendEntry, Panels, PlotError, TITLE_HEIGHT,
};

/// One panel when there are several issues.
pub const PANEL: (i32, i32) = (440, 300);
/// The panel when there is one issue.
pub const SINGLE_PANEL: (i32, i32) = (640, 440);
/// Columns of panels at most.
pub const MAX_COLUMNS: usize = 2;
/// Width of the legend column.
pub const LEGEND_WIDTH: i32 = 250;
/// Above the plotting area (room for the panel's caption).
pub const MARGIN_TOP: i32 = 30;
/// Right of the plotting area.
pub const MARGIN_RIGHT: i32 = 16;
/// Left of the tick labels.
pub const MARGIN_LEFT: i32 = 8;
/// Below the axis title.
pub const MARGIN_BOTTOM: i32 = 6;
/// Height of the horizontal tick labels and axis title.
pub const X_LABEL_AREA: i32 = 44;
/// Padding of the position axis, as a fraction of the scale's span.
pub const PAD: f64 = 0.06;
/// Actor lines are offset (dodged) on issues with at most this many actors.
pub const DODGE_ACTORS: usize = 8;
/// Width of an actor's line and of the forecast's.
pub const ACTOR_LINE: u32 = 2;
/// Width of the forecast's line.
pub const FORECAST_LINE: u32 = 5;

/// Width of the vertical tick labels and axis title: room for the longest
/// option label (at most 22 characters) of the figure's issues.
pub fn y_label_area(labels: &[String]) -> i32 {
    let longest = labels.iter().map(|l| text_width(&truncate(l, 22), sizes::SMALL)).max().unwrap_or(0);
    (longest + 36).clamp(60, 170)
}

/// The vertical offset of actor `k` of `n` on one issue.
pub fn dodge(k: usize, n: usize) -> i32 {
    if n > DODGE_ACTORS {
        0
    } else {
        3 * k as i32 - (3 * (n as i32 - 1)) / 2
    }
}

/// The position axis of `input`'s (first) dimension.
pub fn position_range(input: &ForecastInput) -> (f64, f64) {
    let d = &input.dimensions()[0];
    let span = d.max - d.min;
    let pad = if span > 0.0 { span * PAD } else { 0.5 };
    (d.min - pad, d.max + pad)
}

/// The option labels of issue `issue`, when it has options.
pub(crate) fn options(s: &Scenario, issue: usize) -> Option<&[String]> {
    match &s.issues[issue].domain {
        Domain::Discrete { options, .. } => Some(options),
        _ => None,
    }
}

/// A value on issue `issue`'s scale in words: the option's name on an
/// option, else the number (with the nearest option on issues with options).
pub(crate) fn value_text(s: &Scenario, issue: usize, v: f64, decimals: usize) -> String {
    match options(s, issue) {
        Some(opts) => {
            let k = v.round().clamp(0.0, opts.len().saturating_sub(1) as f64) as usize;
            let name = opts.get(k).cloned().unwrap_or_default();
            if (v - v.round()).abs() < 1e-9 {
                name
            } else {
                format!("{} (nearest {name})", short_number(v, 2))
            }
        }
        None => short_number(v, decimals),
    }
}

/// Decimals for numbers on a scale of width `span`.
pub(crate) fn decimals(span: f64) -> usize {
    if span >= 100.0 {
        0
    } else if span >= 10.0 {
        1
    } else {
        2
    }
}

/// The issue's caption: its display name (and id when they differ).
pub(crate) fn issue_caption(s: &Scenario, issue: usize) -> String {
    let i = &s.issues[issue];
    match &i.name {
        Some(name) if name != &i.id => format!("{name} ({})", i.id),
        _ => i.id.clone(),
    }
}

/// The style index of the input's actor `k`: its place in the scenario.
pub(crate) fn actor_index(s: &Scenario, input: &ForecastInput, k: usize) -> usize {
    let id = &input.actors()[k].id;
    s.actors.iter().position(|a| &a.id == id).unwrap_or(k)
}

/// The issues on which `model` ran, with the run.
fn runs<'a>(forecasts: &'a [IssueForecast], model: &str) -> Vec<(usize, &'a ForecastInput, &'a Run)> {
    forecasts
        .iter()
        .filter_map(|f| {
            let input = f.input.as_ref()?;
            let run = f.runs.iter().find(|r| r.model == model)?.result.as_ref().ok()?;
            Some((f.issue, input, run))
        })
        .collect()
}

/// Draws a chart's frame, grid and tick labels; option issues get one tick
/// and grid line per option, labelled with its name.
#[allow(clippy::too_many_arguments)]
pub(crate) fn frame<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    area: &'a DrawingArea<DB, plotters::coord::Shift>,
    x: (f64, f64),
    y: (f64, f64),
    (x_desc, y_desc): (&str, &str),
    y_area: i32,
    x_labels: (usize, &dyn Fn(&f64) -> String),
    y_options: Option<&[String]>,
    y_decimals: usize,
) -> Result<
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>,
    PlotError,
> {
    let (x, y) = (drawable(x), drawable(y));
    let mut chart = ChartBuilder::on(area)
        .margin_top(MARGIN_TOP)
        .margin_right(MARGIN_RIGHT)
        .margin_left(MARGIN_LEFT)
        .margin_bottom(MARGIN_BOTTOM)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(drawing)?;
    let y_fmt = |v: &f64| short_number(*v, y_decimals);
    chart
        .configure_mesh()
        .x_labels(x_labels.0)
        .y_labels(if y_options.is_some() { 0 } else { 6 })
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(font(sizes::LABEL))
        .label_style(font(sizes::SMALL))
        .x_label_formatter(x_labels.1)
        .y_label_formatter(&y_fmt)
        .bold_line_style(pal::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(pal::INK)
        .draw()
        .map_err(drawing)?;
    if let Some(opts) = y_options {
        let right = chart.backend_coord(&(x.1, y.0)).0;
        for (k, label) in opts.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(x.0, k as f64));
            root.draw(&PathElement::new(vec![(px + 1, py), (right, py)], pal::GRID.stroke_width(1)))
                .map_err(drawing)?;
            root.draw(&PathElement::new(vec![(px - 5, py), (px, py)], pal::INK.stroke_width(1))).map_err(drawing)?;
            let style = font(sizes::SMALL).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(truncate(label, 22), (px - 8, py), style)).map_err(drawing)?;
        }
    }
    Ok(chart)
}

/// Writes the panel's caption above its plotting area.
pub(crate) fn caption<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    (px, py): (i32, i32),
    width: i32,
    text: &str,
) -> Result<(), PlotError> {
    let max = ((width - 20) as f64 / (sizes::LABEL * 0.6)) as usize;
    root.draw(&Text::new(truncate(text, max), (px + 12, py + 14), font_left(sizes::LABEL))).map_err(drawing)
}

/// The trajectories of `model` on every issue it forecast. Fails when it
/// forecast none.
pub fn trajectories(s: &Scenario, forecasts: &[IssueForecast], model: &str) -> Result<Figure, PlotError> {
    let runs = runs(forecasts, model);
    if runs.is_empty() {
        return Err(PlotError::Nothing(format!("{model} forecast no issue")));
    }
    let iterates = runs.iter().any(|(_, _, run)| run.rounds.len() > 1);
    // Every actor once, in scenario order.
    let mut actors: Vec<usize> =
        runs.iter().flat_map(|(_, input, _)| (0..input.actors().len()).map(|k| actor_index(s, input, k))).collect();
    actors.sort_unstable();
    actors.dedup();
    let display = |a: usize| s.actors.get(a).map_or(String::new(), |a| a.display_name().to_string());
    let mut legend: Vec<LegendEntry> = actors
        .iter()
        .map(|&a| LegendEntry { glyph: Glyph::Series(series(a), ACTOR_LINE), label: display(a) })
        .collect();
    legend.push(LegendEntry { glyph: Glyph::Line(pal::INK, FORECAST_LINE), label: format!("forecast ({model})") });
    let dodged = runs.iter().any(|(_, input, _)| input.actors().len() > 1 && input.actors().len() <= DODGE_ACTORS);
    let panel = if runs.len() == 1 { SINGLE_PANEL } else { PANEL };
    let layout = Panels::new(runs.len(), MAX_COLUMNS, panel, LEGEND_WIDTH, legend_height(&legend, LEGEND_WIDTH - 16));
    let size = layout.size();
    let labels: Vec<String> = runs.iter().filter_map(|(issue, _, _)| options(s, *issue)).flatten().cloned().collect();
    let y_area = y_label_area(&labels);
    let title = if iterates {
        format!("Forecast by round: {model}")
    } else {
        format!("Forecast and stated positions: {model}")
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        root.draw(&Text::new(title.clone(), (16, TITLE_HEIGHT / 2), font_left(sizes::TITLE))).map_err(drawing)?;
        for (k, (issue, input, run)) in runs.iter().enumerate() {
            let origin = layout.origin(k);
            let area = root.clone().shrink(origin, (panel.0 as u32, panel.1 as u32));
            caption(&root, origin, panel.0, &issue_caption(s, *issue))?;
            draw_panel(&root, &area, s, *issue, input, run, y_area)?;
        }
        let bottom = draw_legend(&root, layout.legend_origin(), LEGEND_WIDTH - 16, &legend)?;
        if dodged {
            let note = "Lines of actors at the same position are drawn a few pixels apart.";
            let mut y = bottom + 4;
            for line in super::wrap(note, ((LEGEND_WIDTH - 24) as f64 / (sizes::SMALL * 0.6)) as usize) {
                root.draw(&Text::new(line, (layout.legend_origin().0, y), font_left(sizes::SMALL))).map_err(drawing)?;
                y += 15;
            }
        }
        root.present().map_err(drawing)?;
    }
    let description = describe(s, &runs, model, iterates);
    Ok(finish(&svg, "forecast-trajectories", title, description, size))
}

fn describe(s: &Scenario, runs: &[(usize, &ForecastInput, &Run)], model: &str, iterates: bool) -> String {
    let ends: Vec<String> = runs
        .iter()
        .map(|(issue, input, run)| {
            let span = input.dimensions()[0].max - input.dimensions()[0].min;
            format!("{} {}", s.issues[*issue].id, value_text(s, *issue, run.last().forecast1(), decimals(span)))
        })
        .collect();
    if iterates {
        format!(
            "For each of {} issues, every actor's position round by round under {model} (thin lines, one colour, pattern and marker per actor) and the forecast (thick black line). Forecasts after the last round: {}.",
            runs.len(),
            ends.join("; ")
        )
    } else {
        format!(
            "For each of {} issues, every actor's stated position (one marker per actor) and the {model} forecast (thick black line). Forecasts: {}.",
            runs.len(),
            ends.join("; ")
        )
    }
}

fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    area: &DrawingArea<DB, plotters::coord::Shift>,
    s: &Scenario,
    issue: usize,
    input: &ForecastInput,
    run: &Run,
    y_area: i32,
) -> Result<(), PlotError> {
    let n = input.actors().len();
    let rounds = run.rounds.len();
    let iterates = rounds > 1;
    let x = if iterates { (-0.3, (rounds - 1) as f64 + 0.3) } else { (-0.6, n as f64 - 0.4) };
    let y = position_range(input);
    let span = input.dimensions()[0].max - input.dimensions()[0].min;
    let round_label = |v: &f64| if (v - v.round()).abs() < 1e-9 { format!("{}", v.round()) } else { String::new() };
    let no_label = |_: &f64| String::new();
    let x_labels: (usize, &dyn Fn(&f64) -> String) =
        if iterates { ((rounds).min(11), &round_label) } else { (0, &no_label) };
    let x_desc = if iterates { "round" } else { "actors (see the legend)" };
    let chart = frame(root, area, x, y, (x_desc, "position"), y_area, x_labels, options(s, issue), decimals(span))?;
    let at = to_pixels(&chart, x, y);
    let forecast: Vec<(i32, i32)> = if iterates {
        run.rounds.iter().enumerate().map(|(r, round)| at(r as f64, round.forecast1())).collect()
    } else {
        let f = run.rounds[0].forecast1();
        vec![at(x.0, f), at(x.1, f)]
    };
    // Underneath the actors, so that they stay visible where they meet it.
    draw_path(root, forecast, pal::INK, FORECAST_LINE, Dash::Solid)?;
    let markers = rounds <= 21;
    for k in 0..n {
        let style = series(actor_index(s, input, k));
        let dy = dodge(k, n);
        let pixel = |vx: f64, vy: f64| {
            let (px, py) = at(vx, vy);
            (px, py + dy)
        };
        if iterates {
            let points: Vec<(i32, i32)> =
                run.rounds.iter().enumerate().map(|(r, round)| pixel(r as f64, round.position(k)[0])).collect();
            draw_path(root, points.clone(), style.colour, ACTOR_LINE, style.dash)?;
            if markers {
                for p in points {
                    draw_shape(root, p, style.shape, style.colour)?;
                }
            }
        } else {
            draw_shape(root, pixel(k as f64, run.rounds[0].position(k)[0]), style.shape, style.colour)?;
        }
    }
    Ok(())
}

/// A range plotters can put ticks on: finite ends within ±10³⁰⁰ (so the
/// width is finite) and a width of at least a millionth of their magnitude
/// (and 2·10⁻⁹). plotters steps from end to end by a power of ten near the
/// width; below the ends' precision (positions near 10³⁰⁰ a few ulps apart)
/// a step changed nothing and drawing never ended.
/// Pixels of a point on a frame drawn over `x` × `y` by [`frame`], each
/// value clamped to its axis as [`drawable`] makes it: a value from far
/// outside (a position beyond ±10³⁰⁰, drawn at the axis's end) would
/// overflow plotters' pixel arithmetic.
pub(crate) fn to_pixels<'c, 'a: 'c, DB: DrawingBackend>(
    chart: &'c ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    x: (f64, f64),
    y: (f64, f64),
) -> impl Fn(f64, f64) -> (i32, i32) + use<'c, 'a, DB> {
    let (x, y) = (drawable(x), drawable(y));
    move |vx, vy| chart.backend_coord(&(vx.clamp(x.0, x.1), vy.clamp(y.0, y.1)))
}

fn drawable((lo, hi): (f64, f64)) -> (f64, f64) {
    const END: f64 = 1e300;
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && lo <= hi { (lo, hi) } else { (0.0, 1.0) };
    let (lo, hi) = (lo.clamp(-END, END), hi.clamp(-END, END));
    let half = (0.5e-6 * lo.abs().max(hi.abs())).max(1e-9);
    if hi - lo >= 2.0 * half {
        return (lo, hi);
    }
    let mid = 0.5 * lo + 0.5 * hi;
    (mid - half, mid + half)
}

#[cfg(test)]
mod tests {
    use super::drawable;

    /// Found by the generator's fixed-seed run: positions near 10³⁰⁰ hung the
    /// trajectory plot.
    #[test]
    fn ranges_are_drawable() {
        assert_eq!(drawable((0.0, 100.0)), (0.0, 100.0));
        let (lo, hi) = drawable((1e300, 1e300 * (1.0 + f64::EPSILON)));
        assert!(hi - lo >= 1e293, "{lo} {hi}");
        assert_eq!(drawable((f64::NEG_INFINITY, 1.0)), (0.0, 1.0));
        assert_eq!(drawable((-f64::MAX, f64::MAX)), (-1e300, 1e300));
        let (lo, hi) = drawable((0.0, 5e-324));
        assert!(hi - lo >= 2e-9, "{lo} {hi}");
    }
}
