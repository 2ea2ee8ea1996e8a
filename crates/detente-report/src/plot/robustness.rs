//! The robustness study's figure: one row per judgement (largest total
//! Sobol index on top), with two panels. Left, the indices on 0–1: the
//! total index as a hollow vermillion bar, the first-order index as a filled
//! blue bar inside it (indices estimated below 0 are drawn at 0, above 1 at
//! 1). Right, the judgement's range scaled to the panel's width: a grey line
//! from low to high, a black tick at the file's value and, where the
//! judgement alone flips the verdict, a vermillion diamond at the
//! breakpoint.
//!
//! Geometry: a title band of [`TITLE_HEIGHT`], a header row of
//! [`HEADER`] pixels, then [`ROW`] pixels per judgement; a label column
//! of [`LABEL_WIDTH`], then two panels of [`PANEL_WIDTH`] with [`GAP`]
//! between them and the margins.

use detente::robustness::Robustness;
use plotters::prelude::*;

use super::{drawing, finish, font, font_left, sizes, truncate, Figure, PlotError, TITLE_HEIGHT};

/// Height of one judgement's row.
pub const ROW: i32 = 26;
/// Height of the header row (panel captions).
pub const HEADER: i32 = 34;
/// Width of the label column.
pub const LABEL_WIDTH: i32 = 280;
/// Width of each panel.
pub const PANEL_WIDTH: i32 = 300;
/// Gap between and around the panels.
pub const GAP: i32 = 24;
/// The first-order bar (filled).
pub const FIRST: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// The total bar (outline) and the breakpoints.
pub const TOTAL: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// The figure of `r`. Fails when there is no judgement.
pub fn robustness(r: &Robustness) -> Result<Figure, PlotError> {
    let js = &r.judgements;
    if js.is_empty() {
        return Err(PlotError::Nothing("no judgement was varied".into()));
    }
    let mut order: Vec<usize> = (0..js.len()).collect();
    if let Some(ix) = &r.indices {
        order.sort_by(|&a, &b| ix[b].total.total_cmp(&ix[a].total).then(a.cmp(&b)));
    }
    let width = (LABEL_WIDTH + 2 * PANEL_WIDTH + 3 * GAP) as u32;
    let height = (TITLE_HEIGHT + HEADER + ROW * js.len() as i32 + 40) as u32;
    let left = LABEL_WIDTH + GAP;
    let right = left + PANEL_WIDTH + GAP;
    let top = TITLE_HEIGHT + HEADER;
    let title = format!(
        "What the verdict depends on: {} judgements, deal in {:.0}% of the space",
        js.len(),
        100.0 * r.deal_share
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        root.draw(&Text::new(title.clone(), (16, TITLE_HEIGHT / 2), font_left(sizes::TITLE))).map_err(drawing)?;
        let captions = [
            (left, "Sobol indices: first order (filled), total (outline)"),
            (right, "Range, file value (|), breakpoint (◆)"),
        ];
        for (x, text) in captions {
            root.draw(&Text::new(text.to_string(), (x, TITLE_HEIGHT + HEADER / 2), font_left(sizes::SMALL)))
                .map_err(drawing)?;
        }
        let grey = RGBColor(0xBB, 0xBB, 0xBB);
        let ink = RGBColor(0x22, 0x22, 0x22);
        // Axes: 0, 0.5 and 1 on the index panel.
        for k in 0..=2 {
            let x = left + PANEL_WIDTH * k / 2;
            let bottom = top + ROW * js.len() as i32;
            root.draw(&PathElement::new(vec![(x, top), (x, bottom)], grey.stroke_width(1))).map_err(drawing)?;
            root.draw(&Text::new(format!("{}", k as f64 / 2.0), (x, bottom + 14), font(sizes::SMALL)))
                .map_err(drawing)?;
        }
        for (row, &k) in order.iter().enumerate() {
            let j = &js[k];
            let y0 = top + ROW * row as i32;
            let mid = y0 + ROW / 2;
            root.draw(&Text::new(truncate(&j.path, 40), (16, mid), font_left(sizes::SMALL))).map_err(drawing)?;
            if let Some(ix) = &r.indices {
                let scale = |v: f64| left + (v.clamp(0.0, 1.0) * PANEL_WIDTH as f64).round() as i32;
                let total = Rectangle::new([(left, y0 + 4), (scale(ix[k].total), y0 + ROW - 4)], TOTAL.stroke_width(2));
                root.draw(&total).map_err(drawing)?;
                let first = Rectangle::new([(left, y0 + 8), (scale(ix[k].first), y0 + ROW - 8)], FIRST.filled());
                root.draw(&first).map_err(drawing)?;
            }
            let span = j.high - j.low;
            let scale = |v: f64| right + (((v - j.low) / span).clamp(0.0, 1.0) * PANEL_WIDTH as f64).round() as i32;
            root.draw(&PathElement::new(vec![(right, mid), (right + PANEL_WIDTH, mid)], grey.stroke_width(3)))
                .map_err(drawing)?;
            let fx = scale(j.file_value);
            root.draw(&PathElement::new(vec![(fx, mid - 8), (fx, mid + 8)], ink.stroke_width(2))).map_err(drawing)?;
            if let Some(b) = r.breakpoints[k] {
                let bx = scale(b.value);
                let diamond =
                    Polygon::new(vec![(bx, mid - 7), (bx + 7, mid), (bx, mid + 7), (bx - 7, mid)], TOTAL.filled());
                root.draw(&diamond).map_err(drawing)?;
            }
        }
        root.present().map_err(drawing)?;
    }
    let flips: Vec<String> = js
        .iter()
        .zip(&r.breakpoints)
        .filter_map(|(j, b)| b.map(|b| format!("{} at {}", j.path, super::short_number(b.value, 3))))
        .collect();
    let description = format!(
        "For each of {} judgements, its first-order and total Sobol indices for the verdict and its range with the file's value; {}.",
        js.len(),
        if flips.is_empty() { "no judgement alone flips the verdict".to_string() } else { format!("alone, these flip it: {}", flips.join(", ")) }
    );
    Ok(finish(&svg, "robustness", title, description, (width, height)))
}
