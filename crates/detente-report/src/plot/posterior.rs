//! A Bayesian negotiator's posterior by round (`negotiate --plot`, written
//! beside the utility plane as `STEM-posterior.EXT`): one panel per holder
//! and party it is about, the probability of each hypothesis after every
//! round, one line per hypothesis.
//!
//! A session records, per round, the [`POSTERIOR_TOP`] most probable
//! hypotheses and `other` (the rest); a hypothesis is drawn where it was
//! recorded (its line breaks at rounds it was not among the most
//! probable). The panel shows the [`POSTERIOR_TOP`] hypotheses with the
//! highest probability at any round (ties: the first recorded), and
//! `other` in grey.
//!
//! Geometry (pixels): panels of [`PANEL`] in at most [`MAX_COLUMNS`]
//! columns below the title band, a legend column of [`LEGEND_WIDTH`]. In
//! the panel at `(px, py)` the plotting area spans `[px + MARGIN_LEFT,
//! px + PANEL.0 − MARGIN_RIGHT]` across and `[py + MARGIN_TOP, py + PANEL.1
//! − MARGIN_BOTTOM]` down; round `r` of `0 … R` lands at `x0 + round(r/R ·
//! width)` and probability `p` at `y1 − round(p · height)`.

use detente::negotiation::{PosteriorRecord, Session, POSTERIOR_TOP};
use detente::scenario::Scenario;
use plotters::prelude::*;

use super::palette as pal;
use super::{
    add_title, draw_legend, draw_path, draw_shape, drawing, font_left, legend_height, series, sizes, truncate, Dash,
    Figure, Glyph, LegendEntry, Panels, PlotError,
};

/// One panel.
pub const PANEL: (i32, i32) = (560, 340);
/// Columns of panels at most.
pub const MAX_COLUMNS: usize = 2;
/// Width of the legend column.
pub const LEGEND_WIDTH: i32 = 330;
/// Left of the plotting area (probability labels).
pub const MARGIN_LEFT: i32 = 56;
/// Right of the plotting area.
pub const MARGIN_RIGHT: i32 = 18;
/// Above the plotting area (the panel's caption).
pub const MARGIN_TOP: i32 = 34;
/// Below the plotting area (round labels and axis title).
pub const MARGIN_BOTTOM: i32 = 48;
/// Width of a hypothesis's line.
pub const LINE: u32 = 2;

/// One panel's data: `(holder, about)`, the names drawn, and per name its
/// probability at each round it was recorded.
struct Panel {
    holder: usize,
    about: usize,
    series: Vec<(String, Vec<(usize, f64)>)>,
}

fn panels(records: &[PosteriorRecord]) -> Vec<Panel> {
    let mut out: Vec<Panel> = Vec::new();
    for r in records {
        let k = match out.iter().position(|p| (p.holder, p.about) == (r.holder, r.about)) {
            Some(k) => k,
            None => {
                out.push(Panel { holder: r.holder, about: r.about, series: Vec::new() });
                out.len() - 1
            }
        };
        for (name, p) in &r.hypotheses {
            let series = &mut out[k].series;
            match series.iter_mut().find(|(n, _)| n == name) {
                Some((_, points)) => points.push((r.round, *p)),
                None => series.push((name.clone(), vec![(r.round, *p)])),
            }
        }
    }
    for panel in &mut out {
        let other = panel.series.iter().position(|(n, _)| n == "other").map(|k| panel.series.remove(k));
        let peak = |pts: &[(usize, f64)]| pts.iter().map(|p| p.1).fold(0.0, f64::max);
        // Stable: ties keep the first recorded.
        panel.series.sort_by(|a, b| peak(&b.1).total_cmp(&peak(&a.1)));
        panel.series.truncate(POSTERIOR_TOP);
        panel.series.extend(other);
    }
    out
}

/// The posterior figure of a session, or [`PlotError::Nothing`] when no
/// negotiator kept one.
pub fn posterior(scenario: &Scenario, session: &Session) -> Result<Figure, PlotError> {
    if session.posteriors.is_empty() {
        return Err(PlotError::Nothing("no negotiator kept a posterior (use the bayesian strategy)".into()));
    }
    let panels = panels(&session.posteriors);
    let last_round = session.posteriors.iter().map(|r| r.round).max().unwrap_or(0).max(1);
    let name = |a: usize| scenario.actors[a].display_name().to_string();
    let several = panels.len() > 1;
    let mut legend = Vec::new();
    for panel in &panels {
        for (k, (n, _)) in panel.series.iter().enumerate() {
            let shown = if n.is_empty() { "(the only hypothesis)".to_string() } else { truncate(n, 240) };
            let label =
                if several { format!("{} on {}: {shown}", name(panel.holder), name(panel.about)) } else { shown };
            let glyph = if n == "other" { Glyph::Line(pal::OUTCOME, LINE) } else { Glyph::Series(series(k), LINE) };
            legend.push(LegendEntry { glyph, label });
        }
    }
    let layout =
        Panels::new(panels.len(), MAX_COLUMNS, PANEL, LEGEND_WIDTH, legend_height(&legend, LEGEND_WIDTH - 16) + 40);
    let (width, height) = layout.size();
    let title = format!("Posterior by round: {}", scenario.name);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        root.draw(&Text::new(title.clone(), (16, super::TITLE_HEIGHT / 2), font_left(sizes::TITLE)))
            .map_err(drawing)?;
        for (i, panel) in panels.iter().enumerate() {
            let (px, py) = layout.origin(i);
            let (x0, x1) = (px + MARGIN_LEFT, px + PANEL.0 - MARGIN_RIGHT);
            let (y0, y1) = (py + MARGIN_TOP, py + PANEL.1 - MARGIN_BOTTOM);
            let x = |r: usize| x0 + ((r as f64 / last_round as f64) * (x1 - x0) as f64).round() as i32;
            let y = |p: f64| y1 - (p.clamp(0.0, 1.0) * (y1 - y0) as f64).round() as i32;
            let caption = format!("what {} believes about {}", name(panel.holder), name(panel.about));
            root.draw(&Text::new(truncate(&caption, 70), (px + 12, py + 10), font_left(sizes::LABEL)))
                .map_err(drawing)?;
            for q in 0..=4 {
                let p = q as f64 / 4.0;
                root.draw(&PathElement::new(vec![(x0, y(p)), (x1, y(p))], pal::GRID.stroke_width(1)))
                    .map_err(drawing)?;
                root.draw(&Text::new(format!("{p:.2}"), (px + 18, y(p) - 7), font_left(sizes::SMALL)))
                    .map_err(drawing)?;
            }
            let ticks = [0, last_round / 2, last_round];
            for r in ticks {
                root.draw(&Text::new(r.to_string(), (x(r) - 6, y1 + 6), font_left(sizes::SMALL))).map_err(drawing)?;
            }
            root.draw(&Text::new("round", ((x0 + x1) / 2 - 18, y1 + 24), font_left(sizes::SMALL))).map_err(drawing)?;
            root.draw(&PathElement::new(vec![(x0, y0), (x0, y1), (x1, y1)], pal::INK.stroke_width(1)))
                .map_err(drawing)?;
            for (k, (n, points)) in panel.series.iter().enumerate() {
                let (colour, dash) =
                    if n == "other" { (pal::OUTCOME, Dash::Solid) } else { (series(k).colour, series(k).dash) };
                // Runs of consecutive rounds, one polyline each.
                let mut run: Vec<(i32, i32)> = Vec::new();
                let mut prev: Option<usize> = None;
                for &(r, p) in points {
                    if prev.is_some_and(|q| q + 1 != r) && !run.is_empty() {
                        draw_run(&root, std::mem::take(&mut run), colour, dash)?;
                    }
                    run.push((x(r), y(p)));
                    prev = Some(r);
                }
                draw_run(&root, run, colour, dash)?;
                if n != "other" {
                    if let Some(&(r, p)) = points.last() {
                        draw_shape(&root, (x(r), y(p)), series(k).shape, colour)?;
                    }
                }
            }
        }
        let (lx, ly) = layout.legend_origin();
        draw_legend(&root, (lx, ly), LEGEND_WIDTH - 16, &legend)?;
        root.present().map_err(drawing)?;
    }
    let top: Vec<String> = panels
        .iter()
        .filter_map(|p| {
            let last = session.posteriors.iter().rev().find(|r| (r.holder, r.about) == (p.holder, p.about))?;
            let (n, pr) = last.hypotheses.first()?;
            Some(format!(
                "{} on {}: {} at {pr:.2}",
                name(p.holder),
                name(p.about),
                if n.is_empty() { "one hypothesis" } else { n }
            ))
        })
        .collect();
    let description = format!(
        "The probability a Bayesian negotiator gives each hypothesis about another party's utility after every round, up to round {last_round}; most probable at the end: {}.",
        top.join("; ")
    );
    let mut svg = super::tidy(&svg);
    add_title(&mut svg, &title, &description);
    Ok(Figure { name: "posterior".into(), title, description, width, height, svg })
}

fn draw_run<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    run: Vec<(i32, i32)>,
    colour: RGBColor,
    dash: Dash,
) -> Result<(), PlotError> {
    match run.len() {
        0 => Ok(()),
        1 => area.draw(&Circle::new(run[0], 2, colour.filled())).map_err(drawing),
        _ => draw_path(area, run, colour, LINE, dash),
    }
}
