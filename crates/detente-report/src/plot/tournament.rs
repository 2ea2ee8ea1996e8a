//! Tournament summary: per strategy (best first), the mean utility it
//! obtained and the mean utility its opponents obtained as two bars, and
//! the share of agreements that stand as a label.
//!
//! Geometry (pixels): a title band of [`TITLE_HEIGHT`], then one row of
//! [`ROW_HEIGHT`] per strategy; bars start at `x0 = LABEL_WIDTH` and a
//! utility `u` ends at `x0 + round(u · BAR_SPAN)` (utilities lie in
//! `[0, 1]`), the strategy's own bar in the upper half of its row, its
//! opponents' below it.

use detente::negotiation::tournament::{Tables, Tournament};
use plotters::prelude::*;

use super::palette as pal;
use super::{add_title, draw_legend, drawing, font_left, sizes, Figure, Glyph, LegendEntry, PlotError};

/// Height of the title band.
pub const TITLE_HEIGHT: i32 = 44;
/// Height of one strategy's row.
pub const ROW_HEIGHT: i32 = 44;
/// Width of the strategy labels left of the bars.
pub const LABEL_WIDTH: i32 = 260;
/// Pixels for a utility of 1.
pub const BAR_SPAN: i32 = 420;
/// Colour of the strategy's own bar.
pub const OWN: RGBColor = RGBColor(0x33, 0x22, 0x88);
/// Colour of its opponents' bar.
pub const OPPONENTS: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);

/// The summary chart of a tournament.
pub fn summary_chart(t: &Tournament, tables: &Tables) -> Result<Figure, PlotError> {
    let rows = crate::tournament::ranked(tables);
    let legend_top = TITLE_HEIGHT + rows.len() as i32 * ROW_HEIGHT + 16;
    let width = (LABEL_WIDTH + BAR_SPAN + 140) as u32;
    let height = (legend_top + 60) as u32;
    let title = format!(
        "Tournament: mean utility by strategy ({}, {})",
        crate::text::plural(t.entries.len() as u64, "scenario", "scenarios"),
        crate::text::plural(t.reps as u64, "repetition", "repetitions")
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        root.draw(&Text::new(title.clone(), (16, TITLE_HEIGHT / 2), font_left(sizes::TITLE))).map_err(drawing)?;
        let x0 = LABEL_WIDTH;
        // Axis ticks at 0, 0.25, …, 1.
        for k in 0..=4 {
            let x = x0 + BAR_SPAN * k / 4;
            let bottom = TITLE_HEIGHT + rows.len() as i32 * ROW_HEIGHT;
            root.draw(&PathElement::new(vec![(x, TITLE_HEIGHT), (x, bottom)], pal::GRID.stroke_width(1)))
                .map_err(drawing)?;
            root.draw(&Text::new(format!("{:.2}", k as f64 / 4.0), (x - 12, bottom + 4), font_left(sizes::SMALL)))
                .map_err(drawing)?;
        }
        for (i, r) in rows.iter().enumerate() {
            let top = TITLE_HEIGHT + i as i32 * ROW_HEIGHT;
            let label = super::wrap(&t.strategies[r.key.strategy].alias(), 36);
            for (l, line) in label.iter().take(2).enumerate() {
                root.draw(&Text::new(line.clone(), (8, top + 10 + 14 * l as i32), font_left(sizes::SMALL)))
                    .map_err(drawing)?;
            }
            let end = |u: f64| x0 + (u.clamp(0.0, 1.0) * BAR_SPAN as f64).round() as i32;
            let half = ROW_HEIGHT / 2 - 4;
            root.draw(&Rectangle::new([(x0, top + 4), (end(r.metrics[0].mean), top + 4 + half)], OWN.filled()))
                .map_err(drawing)?;
            root.draw(&Rectangle::new(
                [(x0, top + 4 + half), (end(r.metrics[2].mean), top + 4 + 2 * half)],
                OPPONENTS.filled(),
            ))
            .map_err(drawing)?;
            let text = format!("{:.3} · {:.0}% agree", r.metrics[0].mean, 100.0 * r.agreement_rate);
            root.draw(&Text::new(text, (end(r.metrics[0].mean) + 6, top + 6), font_left(sizes::SMALL)))
                .map_err(drawing)?;
        }
        let legend = [
            LegendEntry { glyph: Glyph::Cell(OWN), label: "mean discounted utility of the strategy".into() },
            LegendEntry { glyph: Glyph::Cell(OPPONENTS), label: "mean discounted utility of its opponents".into() },
        ];
        draw_legend(&root, (LABEL_WIDTH, legend_top), BAR_SPAN, &legend)?;
        root.present().map_err(drawing)?;
    }
    let best = rows.first().map(|r| t.strategies[r.key.strategy].name()).unwrap_or("none");
    let description = format!(
        "Mean utility obtained by each of {} strategies and by their opponents, best first ({best}), with the share of agreements that stand.",
        rows.len()
    );
    let mut svg = super::tidy(&svg);
    add_title(&mut svg, &title, &description);
    Ok(Figure { name: "tournament".into(), title, description, width, height, svg })
}
