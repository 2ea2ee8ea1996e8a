//! The utility plane: every outcome placed by the parties' utilities, with
//! the Pareto frontiers, the agreement set, reservation lines, the
//! bargaining solutions, the status quo and the outcomes that blockers open.
//!
//! Two parties give one plane; more give one panel per pair of parties (the
//! first [`MAX_PARTIES`] parties). Outcomes are drawn as dots when the
//! analysis recorded every outcome and there are at most [`MAX_DOTS`] of
//! them, otherwise as a density of cells (grey for all outcomes, green for
//! the agreement set, darker for more). Without a density (issue-by-issue
//! mode, or an analysis run without `Config::density`) only the frontiers
//! and points are drawn, and the legend says so.
//!
//! Geometry (all in pixels, public so tests can map utilities to pixels):
//! a title band of [`TITLE_HEIGHT`] on top, panels of [`PANEL_WIDTH`] ×
//! [`PANEL_HEIGHT`] (or [`SMALL_PANEL_WIDTH`] × [`SMALL_PANEL_HEIGHT`] for
//! pairwise planes) in a grid below it, and a legend column of
//! [`LEGEND_WIDTH`] on the right. Inside a panel at `(px, py)` the plotting
//! area spans `[px + MARGIN_LEFT + Y_LABEL_AREA, px + panel width −
//! MARGIN_RIGHT)` horizontally and `[py + MARGIN_TOP, py + panel height −
//! MARGIN_BOTTOM − X_LABEL_AREA)` vertically; a utility `u` on an axis
//! `[lo, hi]` over pixels `[p0, p1)` lands at `p0 + ⌊(p1 − 1 − p0)·t⌋` with
//! `t = (u − lo)/(hi − lo)` (measured upwards from the bottom on the
//! vertical axis), the mapping of `plotters`' Cartesian coordinates. Each
//! axis spans the data widened to tenths and then padded by [`PAD`] of its
//! span at both ends ([`axis_range`]).

use detente::analysis::{Analysis, Point};
use detente::scenario::Scenario;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::palette as pal;
use super::{
    add_title, draw_legend, draw_marker, draw_numbered, drawing, font, font_left, sizes, Figure, Glyph, LegendEntry,
    Marker, PlotError,
};

/// Height of the title band (every figure's: [`super::TITLE_HEIGHT`]).
pub const TITLE_HEIGHT: i32 = super::TITLE_HEIGHT;
/// Width of a single (two-party) panel.
pub const PANEL_WIDTH: i32 = 600;
/// Height of a single panel.
pub const PANEL_HEIGHT: i32 = 560;
/// Width of a pairwise panel.
pub const SMALL_PANEL_WIDTH: i32 = 420;
/// Height of a pairwise panel.
pub const SMALL_PANEL_HEIGHT: i32 = 400;
/// Width of the legend column.
pub const LEGEND_WIDTH: i32 = 270;
/// Space above the plotting area inside a panel.
pub const MARGIN_TOP: i32 = 12;
/// Space right of the plotting area.
pub const MARGIN_RIGHT: i32 = 20;
/// Space left of the tick labels.
pub const MARGIN_LEFT: i32 = 8;
/// Space below the axis title.
pub const MARGIN_BOTTOM: i32 = 8;
/// Height of the horizontal axis labels and title.
pub const X_LABEL_AREA: i32 = 50;
/// Width of the vertical axis labels and title.
pub const Y_LABEL_AREA: i32 = 62;
/// Outcomes drawn one dot each up to this many; a density beyond.
pub const MAX_DOTS: usize = 5000;
/// Pairwise planes are drawn for at most this many parties.
pub const MAX_PARTIES: usize = 6;
/// Largest frontier drawn with a marker on every point.
const MAX_FRONTIER_MARKERS: usize = 400;

/// What [`utility_plane`] needs from the analysis: `Config::density` from
/// here gives dots for small spaces and a density for large ones.
pub fn density_config(n_parties: usize) -> detente::analysis::DensityConfig {
    let bins = if n_parties <= 2 { 60 } else { 36 };
    detente::analysis::DensityConfig { bins, max_points: MAX_DOTS as u64, window: None }
}

/// Panel grid: (columns, rows) for `n` panels.
fn grid(n: usize) -> (usize, usize) {
    let cols = (n as f64).sqrt().ceil().max(1.0) as usize;
    (cols, n.div_ceil(cols))
}

/// Figure size for `n_panels` panels.
pub fn figure_size(n_panels: usize) -> (u32, u32) {
    let (cols, rows) = grid(n_panels);
    let (pw, ph) = panel_size(n_panels);
    ((cols as i32 * pw + LEGEND_WIDTH) as u32, (TITLE_HEIGHT + (rows as i32 * ph).max(PANEL_HEIGHT)) as u32)
}

fn panel_size(n_panels: usize) -> (i32, i32) {
    if n_panels <= 1 {
        (PANEL_WIDTH, PANEL_HEIGHT)
    } else {
        (SMALL_PANEL_WIDTH, SMALL_PANEL_HEIGHT)
    }
}

/// Padding added to each end of an axis, as a fraction of its span, so
/// that points on the edge of the data stay clear of the axis lines.
pub const PAD: f64 = 0.03;

/// An axis range covering `values`, widened to tenths, then padded by
/// [`PAD`] at each end.
pub fn axis_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = tenths(values);
    let pad = (hi - lo) * PAD;
    (lo - pad, hi + pad)
}

/// The range of `values` widened to tenths.
fn tenths(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (0.0, 1.0);
    }
    let mut lo = (lo * 10.0 + 1e-9).floor() / 10.0;
    let mut hi = (hi * 10.0 - 1e-9).ceil() / 10.0;
    if hi - lo < 0.2 {
        lo = (lo - 0.1).max(0.0_f64.min(lo));
        hi = lo + 0.2_f64.max(hi - lo + 0.1);
    }
    (lo, hi)
}

/// One pair of parties to plot.
struct Pair {
    x: usize,
    y: usize,
}

/// Simulated talks drawn over the plane: each party's offers in the order
/// made, and the agreement. Utility vectors follow the analysis's party
/// order ([`Analysis::parties`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlay {
    /// Per party that made offers: its name and its offers' utilities.
    pub paths: Vec<(String, Vec<Vec<f64>>)>,
    /// The agreement's utilities, when one was reached.
    pub agreement: Option<Vec<f64>>,
    /// Whether the agreement stands (ratifiers and veto holders accept).
    pub stands: bool,
}

/// Colours and dash patterns of offer paths, by party (cycled).
pub const PATH_STYLES: [(RGBColor, Option<(u32, u32)>); 4] = [
    (RGBColor(0x33, 0x22, 0x88), None),
    (RGBColor(0xAA, 0x33, 0x77), Some((7, 4))),
    (RGBColor(0x11, 0x77, 0x33), Some((2, 3))),
    (RGBColor(0x88, 0x66, 0x11), Some((10, 3))),
];

/// The utility plane (or pairwise planes) of an analysis. Give the analysis
/// a density ([`density_config`]) to see every outcome.
pub fn utility_plane(s: &Scenario, a: &Analysis) -> Result<Figure, PlotError> {
    utility_plane_with(s, a, None)
}

/// [`utility_plane`] with simulated talks drawn over it.
pub fn utility_plane_with(s: &Scenario, a: &Analysis, overlay: Option<&Overlay>) -> Result<Figure, PlotError> {
    let n = a.parties.len().min(MAX_PARTIES);
    if n < 2 {
        return Err(PlotError::TooFewParties);
    }
    let pairs: Vec<Pair> = (0..n).flat_map(|x| (x + 1..n).map(move |y| Pair { x, y })).collect();
    let (width, height) = figure_size(pairs.len());
    let name = |k: usize| s.actors[a.parties[k]].display_name().to_string();
    let what = if overlay.is_some() { "Simulated talks" } else { "Deal space" };
    let title = if pairs.len() == 1 {
        format!("{what}: {} and {}", name(0), name(1))
    } else {
        format!("{what}: pairwise utility planes of {} parties", n)
    };
    let status_quo: Option<Vec<f64>> =
        s.status_quo.as_ref().map(|sq| a.parties.iter().map(|&p| s.actors[p].utility(&s.issues, sq)).collect());
    let dots = a.density.as_ref().and_then(|d| d.points.as_ref()).filter(|p| p.len() <= MAX_DOTS);
    let mut svg = String::new();
    let legend;
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        root.draw(&Text::new(title.clone(), (16, TITLE_HEIGHT / 2), font_left(sizes::TITLE))).map_err(drawing)?;
        let (cols, _) = grid(pairs.len());
        let (pw, ph) = panel_size(pairs.len());
        let mut max_cell = (0u64, 0u64);
        for (k, pair) in pairs.iter().enumerate() {
            let (px, py) = ((k % cols) as i32 * pw, TITLE_HEIGHT + (k / cols) as i32 * ph);
            let area = root.clone().shrink((px, py), (pw as u32, ph as u32));
            let layers = Layers { status_quo: status_quo.as_deref(), dots: dots.map(|d| d.as_slice()), overlay };
            let cells = draw_panel(&root, &area, s, a, pair, &layers)?;
            max_cell = (max_cell.0.max(cells.0), max_cell.1.max(cells.1));
        }
        legend = legend_entries(a, dots.map(|d| d.len()), max_cell, status_quo.is_some(), overlay);
        let legend_x = cols as i32 * pw + 8;
        let bottom = draw_legend(&root, (legend_x, TITLE_HEIGHT + MARGIN_TOP + 8), LEGEND_WIDTH - 16, &legend)?;
        let mut notes = Vec::new();
        if a.parties.len() > MAX_PARTIES {
            notes.push(format!("Planes of the first {MAX_PARTIES} of {} parties.", a.parties.len()));
        }
        if a.density.is_none() {
            notes.push("Outcomes not shown: the space was not enumerated.".to_string());
        }
        let mut y = bottom + 4;
        for note in notes {
            for line in super::wrap(&note, ((LEGEND_WIDTH - 24) as f64 / (sizes::SMALL * 0.6)) as usize) {
                root.draw(&Text::new(line, (legend_x, y), font_left(sizes::SMALL))).map_err(drawing)?;
                y += 15;
            }
        }
        root.present().map_err(drawing)?;
    }
    let mut description = describe(s, a, &legend);
    if let Some(o) = overlay {
        let offers: usize = o.paths.iter().map(|(_, p)| p.len()).sum();
        description.push_str(&format!(
            " Simulated talks: {offers} offers, {}.",
            match (&o.agreement, o.stands) {
                (Some(_), true) => "ending in an agreement that stands",
                (Some(_), false) => "ending in an agreement that a ratifier or veto holder rejects",
                (None, _) => "ending without agreement",
            }
        ));
    }
    let mut svg = super::tidy(&svg);
    add_title(&mut svg, &title, &description);
    let name = if overlay.is_some() { "talks" } else { "utility-plane" };
    Ok(Figure { name: name.into(), title, description, width, height, svg })
}

/// Plain-language description for captions and screen readers.
fn describe(s: &Scenario, a: &Analysis, legend: &[LegendEntry]) -> String {
    let names: Vec<&str> = a.parties.iter().map(|&p| s.actors[p].display_name()).collect();
    let mut d = format!("Utilities of {} for every outcome.", names.join(", "));
    match a.agreement_set_size {
        Some(0) => d.push_str(" The agreement set is empty."),
        Some(n) => d.push_str(&format!(" {n} outcomes are in the agreement set.")),
        None if a.deal_exists => d.push_str(" The agreement set is not empty (not counted)."),
        None => d.push_str(" The agreement set is empty."),
    }
    let shown: Vec<&str> = legend.iter().map(|e| e.label.trim_end_matches('.')).collect();
    d.push_str(&format!(" Shown: {}.", shown.join("; ")));
    d
}

fn legend_entries(
    a: &Analysis,
    dots: Option<usize>,
    max_cell: (u64, u64),
    has_status_quo: bool,
    overlay: Option<&Overlay>,
) -> Vec<LegendEntry> {
    let mut v = Vec::new();
    let entry = |glyph: Glyph, label: String| LegendEntry { glyph, label };
    let agreement = a.agreement_set_size.unwrap_or(0);
    match (dots, &a.density) {
        (Some(n), _) => {
            v.push(entry(Glyph::Dot(pal::OUTCOME), format!("outcome ({n} in all)")));
            if agreement > 0 {
                v.push(entry(Glyph::Dot(pal::AGREEMENT), format!("in the agreement set ({agreement})")));
            }
        }
        (None, Some(d)) => {
            v.push(entry(
                Glyph::Cell(shade(pal::OUTCOME, 0.6)),
                format!("outcomes, {0}×{0} cells, darker = more (up to {1} a cell)", d.bins, max_cell.0),
            ));
            if agreement > 0 {
                v.push(entry(Glyph::Cell(pal::AGREEMENT), format!("in the agreement set ({agreement})")));
            }
        }
        (None, None) => {}
    }
    // With more than two parties the frontiers are projections: dots only.
    let two = a.parties.len() == 2;
    if !a.pareto_all.is_empty() {
        v.push(if two {
            entry(Glyph::Dashed(pal::INK, 2), "Pareto frontier of all outcomes".into())
        } else {
            entry(Glyph::Dot(pal::INK), "Pareto frontier of all outcomes (projected)".into())
        });
    }
    if !a.pareto.is_empty() {
        v.push(if two {
            entry(Glyph::Line(pal::AGREEMENT_DARK, 3), "Pareto frontier of the agreement set".into())
        } else {
            entry(Glyph::Dot(pal::AGREEMENT_DARK), "Pareto frontier of the agreement set (projected)".into())
        });
    }
    v.push(entry(Glyph::Dashed(pal::RESERVATION, 1), "reservation value (no agreement)".into()));
    if has_status_quo {
        v.push(entry(Glyph::Marker(Marker::Cross), "status quo".into()));
    }
    for (present, marker, label) in [
        (a.solutions.nash.is_some(), Marker::Circle(pal::NASH), "Nash"),
        (a.solutions.kalai_smorodinsky.is_some(), Marker::Square(pal::KALAI_SMORODINSKY), "Kalai–Smorodinsky"),
        (a.solutions.egalitarian.is_some(), Marker::Triangle(pal::EGALITARIAN), "egalitarian"),
        (a.solutions.utilitarian.is_some(), Marker::Diamond(pal::UTILITARIAN), "utilitarian"),
    ] {
        if present {
            v.push(entry(Glyph::Marker(marker), label.into()));
        }
    }
    if !a.blockers.is_empty() {
        v.push(entry(Glyph::Numbered, "best outcome opened by change n (see the list of changes)".into()));
    }
    if let Some(o) = overlay {
        for (k, (name, _)) in o.paths.iter().enumerate() {
            let (colour, dash) = PATH_STYLES[k % PATH_STYLES.len()];
            let glyph = if dash.is_some() { Glyph::Dashed(colour, 2) } else { Glyph::Line(colour, 2) };
            v.push(entry(glyph, format!("offers of {name}, in order (ring: first)")));
        }
        if o.agreement.is_some() {
            let label =
                if o.stands { "agreement reached" } else { "agreement reached, rejected by a ratifier or veto" };
            v.push(entry(Glyph::Marker(Marker::Star(pal::INK)), label.into()));
        }
    }
    if !a.deal_exists {
        v.push(entry(
            Glyph::Line(WHITE, 1),
            "No agreement set: no outcome is acceptable to every required actor.".into(),
        ));
    }
    v
}

/// A reservation-line label on a white box, left end at `at`.
fn boxed_label<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str, at: (i32, i32)) -> Result<(), PlotError> {
    let w = super::text_width(text, sizes::SMALL);
    root.draw(&Rectangle::new([(at.0 - 2, at.1 - 8), (at.0 + w + 2, at.1 + 8)], WHITE.mix(0.85).filled()))
        .map_err(drawing)?;
    root.draw(&Text::new(text.to_string(), at, font_left(sizes::SMALL).color(&pal::RESERVATION))).map_err(drawing)
}

/// `base` mixed with white: `t = 0` white, `t = 1` the colour.
fn shade(base: RGBColor, t: f64) -> RGBColor {
    let mix = |c: u8| (255.0 - (255.0 - c as f64) * t).round().clamp(0.0, 255.0) as u8;
    RGBColor(mix(base.0), mix(base.1), mix(base.2))
}

/// Cell colour for `count` of `max` (logarithmic, so sparse cells show).
fn cell_colour(base: RGBColor, dark: RGBColor, count: u64, max: u64) -> RGBColor {
    let t = ((1 + count) as f64).ln() / ((1 + max.max(1)) as f64).ln();
    let t = 0.25 + 0.75 * t.clamp(0.0, 1.0);
    if t <= 0.75 {
        shade(base, t / 0.75)
    } else {
        let u = (t - 0.75) / 0.25;
        let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * u).round() as u8;
        RGBColor(mix(base.0, dark.0), mix(base.1, dark.1), mix(base.2, dark.2))
    }
}

/// What a panel draws besides the analysis itself.
#[derive(Clone, Copy)]
struct Layers<'a> {
    status_quo: Option<&'a [f64]>,
    dots: Option<&'a [detente::analysis::PlanePoint]>,
    overlay: Option<&'a Overlay>,
}

/// Draws one panel; returns the largest cell counts (all, agreement).
fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    s: &Scenario,
    a: &Analysis,
    pair: &Pair,
    layers: &Layers<'_>,
) -> Result<(u64, u64), PlotError> {
    let Layers { status_quo, dots, overlay } = *layers;
    let (x, y) = (pair.x, pair.y);
    let density = a.density.as_ref();
    let plane = density.and_then(|d| d.planes.iter().find(|p| p.x == x && p.y == y));
    let ux = |p: &Point| p.utilities[x];
    let uy = |p: &Point| p.utilities[y];
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    let points = a.pareto_all.iter().chain(&a.pareto).chain(a.blockers.iter().map(|b| &b.opens)).chain(
        [&a.solutions.nash, &a.solutions.kalai_smorodinsky, &a.solutions.egalitarian, &a.solutions.utilitarian]
            .into_iter()
            .flatten(),
    );
    for p in points {
        xs.push(ux(p));
        ys.push(uy(p));
    }
    xs.push(a.reservations[a.parties[x]]);
    ys.push(a.reservations[a.parties[y]]);
    if let Some(o) = overlay {
        for u in o.paths.iter().flat_map(|(_, p)| p).chain(&o.agreement) {
            xs.push(u[x]);
            ys.push(u[y]);
        }
    }
    if let Some(sq) = status_quo {
        xs.push(sq[x]);
        ys.push(sq[y]);
    }
    if let Some(dots) = dots {
        xs.extend(dots.iter().map(|p| p.utilities[x]));
        ys.extend(dots.iter().map(|p| p.utilities[y]));
    } else if let (Some(d), Some(plane)) = (density, plane) {
        let b = d.bins;
        for row in 0..b {
            for col in 0..b {
                if plane.all[row * b + col] > 0 {
                    xs.extend([col as f64 / b as f64, (col + 1) as f64 / b as f64]);
                    ys.extend([row as f64 / b as f64, (row + 1) as f64 / b as f64]);
                }
            }
        }
    }
    let (x_lo, x_hi) = axis_range(xs.into_iter());
    let (y_lo, y_hi) = axis_range(ys.into_iter());
    let axis_name = |k: usize| format!("utility of {}", s.actors[a.parties[k]].display_name());
    let mut chart = ChartBuilder::on(area)
        .margin_top(MARGIN_TOP)
        .margin_right(MARGIN_RIGHT)
        .margin_left(MARGIN_LEFT)
        .margin_bottom(MARGIN_BOTTOM)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(6)
        .x_desc(axis_name(x))
        .y_desc(axis_name(y))
        .axis_desc_style(font(sizes::LABEL))
        .label_style(font(sizes::SMALL))
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .bold_line_style(pal::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(pal::INK)
        .draw()
        .map_err(drawing)?;

    // Outcomes: dots, or density cells.
    let mut max_cell = (0, 0);
    if let Some(dots) = dots {
        let mut seen = std::collections::BTreeSet::new();
        for agreement in [false, true] {
            let colour = if agreement { pal::AGREEMENT } else { pal::OUTCOME };
            for p in dots.iter().filter(|p| p.agreement == agreement) {
                let at = chart.backend_coord(&(p.utilities[x], p.utilities[y]));
                if seen.insert((at, agreement)) {
                    root.draw(&Circle::new(at, 3, colour.filled())).map_err(drawing)?;
                }
            }
        }
    } else if let (Some(d), Some(plane)) = (density, plane) {
        let b = d.bins;
        let max_all = plane.all.iter().copied().max().unwrap_or(0);
        let max_agree = plane.agreement.iter().copied().max().unwrap_or(0);
        max_cell = (max_all, max_agree);
        let light = RGBColor(0x9A, 0x9A, 0x9A);
        let dark = RGBColor(0x30, 0x30, 0x30);
        let cells = |counts: &[u64], base: RGBColor, dark: RGBColor, max: u64| {
            let mut v = Vec::new();
            for row in 0..b {
                for col in 0..b {
                    let c = counts[row * b + col];
                    if c > 0 {
                        let corner = |k: usize| k as f64 / b as f64;
                        v.push(Rectangle::new(
                            [(corner(col), corner(row + 1)), (corner(col + 1), corner(row))],
                            cell_colour(base, dark, c, max).filled(),
                        ));
                    }
                }
            }
            v
        };
        chart.draw_series(cells(&plane.all, light, dark, max_all)).map_err(drawing)?;
        chart.draw_series(cells(&plane.agreement, pal::AGREEMENT, pal::AGREEMENT_DARK, max_agree)).map_err(drawing)?;
    }

    // Frontiers: lines for two parties; markers only for projections.
    let two = a.parties.len() == 2;
    let sorted = |ps: &[Point]| {
        let mut v: Vec<(f64, f64)> = ps.iter().map(|p| (ux(p), uy(p))).collect();
        v.sort_by(|p, q| p.0.total_cmp(&q.0).then(q.1.total_cmp(&p.1)));
        v
    };
    let all = sorted(&a.pareto_all);
    if two && all.len() > 1 {
        chart
            .draw_series(std::iter::once(DashedPathElement::new(all.clone(), 6, 4, pal::INK.stroke_width(2))))
            .map_err(drawing)?;
    }
    if all.len() <= MAX_FRONTIER_MARKERS {
        chart.draw_series(all.iter().map(|&p| Circle::new(p, 3, pal::INK.filled()))).map_err(drawing)?;
    }
    let agreement = sorted(&a.pareto);
    if two && agreement.len() > 1 {
        chart
            .draw_series(std::iter::once(PathElement::new(agreement.clone(), pal::AGREEMENT_DARK.stroke_width(3))))
            .map_err(drawing)?;
    }
    if agreement.len() <= MAX_FRONTIER_MARKERS {
        chart
            .draw_series(agreement.iter().map(|&p| Circle::new(p, 4, pal::AGREEMENT_DARK.filled())))
            .map_err(drawing)?;
    }

    // Reservation lines, labelled at their far ends.
    let (dx, dy) = (a.reservations[a.parties[x]], a.reservations[a.parties[y]]);
    let res_style = pal::RESERVATION.stroke_width(1);
    chart
        .draw_series([
            DashedPathElement::new(vec![(dx, y_lo), (dx, y_hi)], 5, 3, res_style),
            DashedPathElement::new(vec![(x_lo, dy), (x_hi, dy)], 5, 3, res_style),
        ])
        .map_err(drawing)?;
    let short = |k: usize| s.actors[a.parties[k]].id.clone();
    let (vx, vy) = chart.backend_coord(&(dx, y_hi));
    boxed_label(root, &format!("{} {:.3}", short(x), dx), (vx + 4, vy + 9))?;
    let (hx, hy) = chart.backend_coord(&(x_hi, dy));
    let label = format!("{} {:.3}", short(y), dy);
    boxed_label(root, &label, (hx - super::text_width(&label, sizes::SMALL) - 4, hy - 10))?;

    // Status quo, blockers' openings, solutions (largest marker first).
    if let Some(sq) = status_quo {
        draw_marker(root, chart.backend_coord(&(sq[x], sq[y])), Marker::Cross)?;
    }
    for (k, b) in a.blockers.iter().enumerate() {
        draw_numbered(root, chart.backend_coord(&(ux(&b.opens), uy(&b.opens))), k + 1)?;
    }
    for (p, marker) in [
        (&a.solutions.nash, Marker::Circle(pal::NASH)),
        (&a.solutions.kalai_smorodinsky, Marker::Square(pal::KALAI_SMORODINSKY)),
        (&a.solutions.egalitarian, Marker::Triangle(pal::EGALITARIAN)),
        (&a.solutions.utilitarian, Marker::Diamond(pal::UTILITARIAN)),
    ] {
        if let Some(p) = p {
            draw_marker(root, chart.backend_coord(&(ux(p), uy(p))), marker)?;
        }
    }

    // Simulated talks: each party's offers joined in order, a ring on the
    // first, small dots on the others; the agreement as a star.
    if let Some(o) = overlay {
        for (k, (_, path)) in o.paths.iter().enumerate() {
            let (colour, dash) = PATH_STYLES[k % PATH_STYLES.len()];
            let pts: Vec<(f64, f64)> = path.iter().map(|u| (u[x], u[y])).collect();
            let style = colour.stroke_width(2);
            if pts.len() > 1 {
                match dash {
                    Some((on, off)) => {
                        chart.draw_series(std::iter::once(DashedPathElement::new(pts.clone(), on, off, style)))
                    }
                    None => chart.draw_series(std::iter::once(PathElement::new(pts.clone(), style))),
                }
                .map_err(drawing)?;
            }
            chart.draw_series(pts.iter().skip(1).map(|&p| Circle::new(p, 2, colour.filled()))).map_err(drawing)?;
            if let Some(&first) = pts.first() {
                chart.draw_series(std::iter::once(Circle::new(first, 5, colour.stroke_width(2)))).map_err(drawing)?;
            }
        }
        if let Some(u) = &o.agreement {
            draw_marker(root, chart.backend_coord(&(u[x], u[y])), Marker::Star(pal::INK))?;
        }
    }
    Ok(max_cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_widen_to_tenths() {
        assert_eq!(tenths([0.0, 1.0].into_iter()), (0.0, 1.0));
        assert_eq!(tenths([0.23, 0.87].into_iter()), (0.2, 0.9));
        assert_eq!(tenths(std::iter::empty()), (0.0, 1.0));
        assert_eq!(axis_range([0.0, 1.0].into_iter()), (-0.03, 1.03));
        let (lo, hi) = tenths([0.5].into_iter());
        assert!(lo <= 0.5 && hi >= 0.5 && hi - lo >= 0.2);
    }

    #[test]
    fn grids() {
        assert_eq!(grid(1), (1, 1));
        assert_eq!(grid(3), (2, 2));
        assert_eq!(grid(6), (3, 2));
    }
}
