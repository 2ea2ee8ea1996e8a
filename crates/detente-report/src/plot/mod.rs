//! Plots as SVG, drawn with `plotters` (SVG backend only).
//!
//! Every plot is one function from the engine's result types to a
//! [`Figure`]: an SVG document with a title, a plain-language description
//! (for captions and screen readers) and a file stem. Renderers (the HTML
//! and Markdown reports, `detente analyze --plot`) only place figures; they
//! never draw. A new plot (forecast trajectories, Monte Carlo
//! distributions, a tornado chart, a negotiation trace on the utility
//! plane, tournament summaries) is one new function in a new file here,
//! reusing the palette, fonts and legend of this module.
//!
//! Text is written as SVG `<text>` in the generic `sans-serif` family: no
//! font is embedded or fetched, and `plotters` is built without its font
//! and bitmap features, so there is no system-library dependency. Text
//! widths are estimated (about 0.6 em per character) for layout only.
//! PNG output ([`raster::png`]) rasterises the finished SVG (resvg, pure
//! Rust) with a sans-serif font found on the system, so both formats show
//! the same drawing.
//!
//! Plots are meant to survive printing in grey: every layer differs by
//! shape or line pattern as well as by colour (Okabe–Ito palette).
//!
//! Forecast plots ([`trajectory`], [`distribution`], [`tornado`]) are small
//! multiples, one panel per issue, laid out by [`Panels`].

pub mod distribution;
pub mod plane;
pub mod posterior;
pub mod raster;
pub mod robustness;
pub mod tornado;
pub mod tournament;
pub mod trajectory;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use distribution::distribution;
pub use plane::utility_plane;
pub use raster::png;
pub use tornado::tornado;
pub use trajectory::trajectories;

/// One finished plot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// File stem, e.g. `utility-plane`.
    pub name: String,
    /// One-line title (also the SVG `<title>`).
    pub title: String,
    /// What the figure shows, in plain words (also the SVG `<desc>`).
    pub description: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// A standalone SVG document.
    pub svg: String,
}

impl Figure {
    /// The SVG without the XML namespace declaration, for inlining in HTML
    /// (the HTML parser puts `<svg>` in the SVG namespace by itself), with
    /// `role="img"` and the title as its accessible name.
    pub fn inline_svg(&self) -> String {
        self.svg.replacen(r#" xmlns="http://www.w3.org/2000/svg""#, r#" role="img""#, 1)
    }
}

/// Why a plot could not be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlotError {
    /// The plot needs at least two parties.
    TooFewParties,
    /// Nothing to draw: no issue has what the plot shows (the message says
    /// what is missing).
    Nothing(String),
    /// PNG output found no font to draw text with.
    NoFont,
    /// The drawing library failed (should not happen with the SVG backend).
    Drawing(String),
}

impl std::fmt::Display for PlotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlotError::TooFewParties => write!(f, "a utility plane needs at least two parties"),
            PlotError::Nothing(what) => write!(f, "nothing to plot: {what}"),
            PlotError::NoFont => write!(
                f,
                "PNG output needs a font and none was found on this system (install one, e.g. Debian's fonts-dejavu-core, or write SVG)"
            ),
            PlotError::Drawing(e) => write!(f, "drawing failed: {e}"),
        }
    }
}

impl std::error::Error for PlotError {}

fn drawing<E: std::fmt::Debug>(e: E) -> PlotError {
    PlotError::Drawing(format!("{e:?}"))
}

/// The palette (Okabe–Ito, safe for colour-blind readers) and greys.
pub mod palette {
    use plotters::style::RGBColor;

    /// Near-black for text and axes.
    pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
    /// Grid lines.
    pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
    /// Outcomes outside the agreement set.
    pub const OUTCOME: RGBColor = RGBColor(0xA8, 0xA8, 0xA8);
    /// Outcomes in the agreement set.
    pub const AGREEMENT: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    /// The agreement-set frontier (darker green).
    pub const AGREEMENT_DARK: RGBColor = RGBColor(0x00, 0x5F, 0x45);
    /// Reservation lines.
    pub const RESERVATION: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    /// Nash solution.
    pub const NASH: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    /// Kalai–Smorodinsky solution.
    pub const KALAI_SMORODINSKY: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    /// Egalitarian solution.
    pub const EGALITARIAN: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    /// Utilitarian solution.
    pub const UTILITARIAN: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
}

/// Font sizes in CSS pixels (plotters scales its sizes by 1/1.24 when
/// writing SVG; [`font`] undoes that).
pub mod sizes {
    /// Figure titles.
    pub const TITLE: f64 = 17.0;
    /// Axis titles and legend entries.
    pub const LABEL: f64 = 13.0;
    /// Tick labels and annotations.
    pub const SMALL: f64 = 11.5;
}

/// A sans-serif text style of `px` CSS pixels.
pub fn font(px: f64) -> TextStyle<'static> {
    ("sans-serif", px * 1.24).into_font().color(&palette::INK)
}

/// The same, anchored at the left end and vertically centred.
pub fn font_left(px: f64) -> TextStyle<'static> {
    font(px).pos(Pos::new(HPos::Left, VPos::Center))
}

/// Rough width in pixels of `text` at `px` (0.6 em per character).
pub fn text_width(text: &str, px: f64) -> i32 {
    (text.chars().count() as f64 * px * 0.6).ceil() as i32
}

/// Inserts `<title>` and `<desc>` after the opening `<svg …>` tag.
fn add_title(svg: &mut String, title: &str, description: &str) {
    let Some(end) = svg.find('>') else { return };
    let text = format!("\n<title>{}</title>\n<desc>{}</desc>", escape(title), escape(description));
    svg.insert_str(end + 1, &text);
}

/// Tidies what `plotters` writes: drops `opacity="1"` (the default), turns
/// the dash marks of [`draw_path`] into `stroke-dasharray`, rounds font
/// sizes (`13.000000000000002` → `13`), for smaller files, and writes
/// control characters as U+FFFD, as [`escape`] does: text handed to
/// plotters (axis names from actor names) is escaped by it for XML only.
fn tidy(svg: &str) -> String {
    let svg: String =
        svg.chars().map(|c| if c.is_control() && !matches!(c, '\t' | '\n' | '\r') { '\u{FFFD}' } else { c }).collect();
    let svg = svg
        .replace(r#" opacity="1""#, "")
        .replace(&format!(r#" opacity="{}""#, DASHED_MARK.0), r#" stroke-dasharray="7 4""#)
        .replace(&format!(r#" opacity="{}""#, DOTTED_MARK.0), r#" stroke-dasharray="2 3""#);
    let key = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    while let Some(k) = rest.find(key) {
        let start = k + key.len();
        let Some(len) = rest[start..].find('"') else { break };
        out.push_str(&rest[..start]);
        match rest[start..start + len].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{}", (v * 100.0).round() / 100.0)),
            Err(_) => out.push_str(&rest[start..start + len]),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// Escapes text for XML and HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Neither XML (a standalone SVG) nor HTML can hold control
            // characters, even as references: an escape sequence from a
            // scenario's text would break the file or reach a terminal.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Height of the title band of every figure.
pub const TITLE_HEIGHT: i32 = 44;

/// Small multiples: a title band of [`TITLE_HEIGHT`], `n` panels of
/// `panel` pixels in a grid of at most `max_cols` columns (filled row by
/// row), and a legend column of `legend_width` on the right, tall enough
/// for `legend_height`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panels {
    /// Columns of panels.
    pub cols: usize,
    /// Rows of panels.
    pub rows: usize,
    /// Width and height of one panel.
    pub panel: (i32, i32),
    /// Width of the legend column.
    pub legend_width: i32,
    /// Height the legend needs below the title band.
    pub legend_height: i32,
}

impl Panels {
    /// The layout of `n` panels.
    pub fn new(n: usize, max_cols: usize, panel: (i32, i32), legend_width: i32, legend_height: i32) -> Panels {
        let cols = n.clamp(1, max_cols.max(1));
        Panels { cols, rows: n.max(1).div_ceil(cols), panel, legend_width, legend_height }
    }

    /// The figure's width and height.
    pub fn size(&self) -> (u32, u32) {
        let width = self.cols as i32 * self.panel.0 + self.legend_width;
        let height = TITLE_HEIGHT + (self.rows as i32 * self.panel.1).max(self.legend_height);
        (width as u32, height as u32)
    }

    /// The top-left corner of panel `k`.
    pub fn origin(&self, k: usize) -> (i32, i32) {
        ((k % self.cols) as i32 * self.panel.0, TITLE_HEIGHT + (k / self.cols) as i32 * self.panel.1)
    }

    /// Where the legend column starts.
    pub fn legend_origin(&self) -> (i32, i32) {
        (self.cols as i32 * self.panel.0 + 8, TITLE_HEIGHT + 20)
    }
}

/// Height [`draw_legend`] needs for `entries` in a column `width` wide.
pub(crate) fn legend_height(entries: &[LegendEntry], width: i32) -> i32 {
    let max_chars = ((width - 34) as f64 / (sizes::LABEL * 0.6)).max(8.0) as usize;
    entries.iter().map(|e| 16 * (wrap(&e.label, max_chars).len() as i32 - 1) + 24).sum::<i32>() + 40
}

/// Turns what `plotters` wrote into a finished [`Figure`].
pub(crate) fn finish(svg: &str, name: &str, title: String, description: String, size: (u32, u32)) -> Figure {
    let mut svg = tidy(svg);
    add_title(&mut svg, &title, &description);
    Figure { name: name.into(), title, description, width: size.0, height: size.1, svg }
}

/// How one data series is drawn: colour, line pattern and vertex marker,
/// all three varying so that series stay apart in grey print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Series {
    pub colour: RGBColor,
    pub dash: Dash,
    pub shape: Shape,
}

/// Line patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dash {
    Solid,
    /// 7 px dashes, 4 px gaps.
    Dashed,
    /// 2 px dots, 3 px gaps.
    Dotted,
}

/// Small vertex markers (about 8 px across).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Dot,
    Square,
    Triangle,
    Diamond,
    Cross,
}

/// Series colours: the Okabe–Ito palette without its yellow (too light on
/// white) and without black (kept for forecasts).
pub(crate) const SERIES_COLOURS: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x8C, 0x8C, 0x8C),
];

/// The style of series `k`: colours cycle every 7, markers every 5 and
/// patterns every 3, so the first 105 series differ in at least one.
pub(crate) fn series(k: usize) -> Series {
    const SHAPES: [Shape; 5] = [Shape::Dot, Shape::Square, Shape::Triangle, Shape::Diamond, Shape::Cross];
    const DASHES: [Dash; 3] = [Dash::Solid, Dash::Dashed, Dash::Dotted];
    Series { colour: SERIES_COLOURS[k % 7], dash: DASHES[k % 3], shape: SHAPES[k % 5] }
}

/// Opacities that mark a polyline as dashed or dotted for [`tidy`], which
/// turns them into `stroke-dasharray`: one `<polyline>` per series (not one
/// per dash, as `plotters` draws dashes), and the pattern runs on across
/// vertices.
const DASHED_MARK: (&str, f64) = ("0.9971", 0.9971);
const DOTTED_MARK: (&str, f64) = ("0.9972", 0.9972);

/// Draws a polyline through backend pixels `points`, one SVG `<polyline>`
/// whatever its pattern.
pub(crate) fn draw_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    points: Vec<(i32, i32)>,
    colour: RGBColor,
    width: u32,
    dash: Dash,
) -> Result<(), PlotError> {
    let style = match dash {
        Dash::Solid => colour.stroke_width(width),
        Dash::Dashed => colour.mix(DASHED_MARK.1).stroke_width(width),
        Dash::Dotted => colour.mix(DOTTED_MARK.1).stroke_width(width),
    };
    area.draw(&PathElement::new(points, style)).map_err(drawing)
}

/// Draws a small marker centred at backend pixel `at`.
pub(crate) fn draw_shape<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y): (i32, i32),
    shape: Shape,
    colour: RGBColor,
) -> Result<(), PlotError> {
    match shape {
        Shape::Dot => area.draw(&Circle::new((x, y), 4, colour.filled())).map_err(drawing),
        Shape::Square => area.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], colour.filled())).map_err(drawing),
        Shape::Triangle => {
            area.draw(&Polygon::new(vec![(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)], colour.filled())).map_err(drawing)
        }
        Shape::Diamond => area
            .draw(&PathElement::new(
                vec![(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y), (x, y - 5)],
                colour.stroke_width(2),
            ))
            .map_err(drawing),
        Shape::Cross => {
            let s = colour.stroke_width(2);
            area.draw(&PathElement::new(vec![(x - 4, y - 4), (x + 4, y + 4)], s)).map_err(drawing)?;
            area.draw(&PathElement::new(vec![(x - 4, y + 4), (x + 4, y - 4)], s)).map_err(drawing)
        }
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// A number for an axis or a label: at most `decimals` decimals, trailing
/// zeros dropped (`2.50` → `2.5`, `3.00` → `3`).
pub(crate) fn short_number(v: f64, decimals: usize) -> String {
    let t = format!("{v:.decimals$}");
    let t = if t.contains('.') { t.trim_end_matches('0').trim_end_matches('.').to_string() } else { t };
    if t == "-0" {
        "0".into()
    } else {
        t
    }
}

/// One legend entry: a glyph and a label.
#[derive(Clone, Debug)]
pub(crate) struct LegendEntry {
    pub glyph: Glyph,
    pub label: String,
}

/// How a legend entry (and the layer it names) is drawn.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Glyph {
    /// A small filled dot.
    Dot(RGBColor),
    /// A filled square (density cells).
    Cell(RGBColor),
    /// A solid line of the given width.
    Line(RGBColor, u32),
    /// A dashed line.
    Dashed(RGBColor, u32),
    /// A marker (solution points, status quo).
    Marker(Marker),
    /// A numbered ring (outcomes opened by a blocker).
    Numbered,
    /// A data series: its line (colour, width, pattern) and vertex marker.
    Series(Series, u32),
    /// A hollow box with a coloured outline (tornado bars).
    Outline(RGBColor),
}

/// Point markers, distinct in shape so that they survive grey printing and
/// stay visible when several coincide (drawn largest first, hollow).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    /// Hollow circle, radius 9.
    Circle(RGBColor),
    /// Hollow square, half-side 6.
    Square(RGBColor),
    /// Hollow upward triangle.
    Triangle(RGBColor),
    /// Filled diamond, half-diagonal 4.
    Diamond(RGBColor),
    /// Black cross (×).
    Cross,
    /// Filled five-pointed star with a white rim (an agreement reached in
    /// simulated talks).
    Star(RGBColor),
}

/// Draws `marker` centred at backend pixel `at` on `area`.
pub(crate) fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    at: (i32, i32),
    marker: Marker,
) -> Result<(), PlotError> {
    let (x, y) = at;
    match marker {
        Marker::Circle(c) => area.draw(&Circle::new(at, 9, c.stroke_width(2))).map_err(drawing),
        Marker::Square(c) => {
            area.draw(&Rectangle::new([(x - 6, y - 6), (x + 6, y + 6)], c.stroke_width(2))).map_err(drawing)
        }
        Marker::Triangle(c) => area
            .draw(&PathElement::new(vec![(x, y - 7), (x + 6, y + 4), (x - 6, y + 4), (x, y - 7)], c.stroke_width(2)))
            .map_err(drawing),
        Marker::Diamond(c) => {
            area.draw(&Polygon::new(vec![(x, y - 4), (x + 4, y), (x, y + 4), (x - 4, y)], c.filled())).map_err(drawing)
        }
        Marker::Star(c) => {
            let points: Vec<(i32, i32)> = (0..10)
                .map(|k| {
                    let r = if k % 2 == 0 { 10.0 } else { 4.2 };
                    let a = std::f64::consts::PI * (k as f64 / 5.0 - 0.5);
                    (x + (r * a.cos()).round() as i32, y + (r * a.sin()).round() as i32)
                })
                .collect();
            area.draw(&Polygon::new(points.clone(), c.filled())).map_err(drawing)?;
            let mut rim = points;
            rim.push(rim[0]);
            area.draw(&PathElement::new(rim, WHITE.stroke_width(1))).map_err(drawing)
        }
        Marker::Cross => {
            let s = BLACK.stroke_width(2);
            area.draw(&PathElement::new(vec![(x - 6, y - 6), (x + 6, y + 6)], s)).map_err(drawing)?;
            area.draw(&PathElement::new(vec![(x - 6, y + 6), (x + 6, y - 6)], s)).map_err(drawing)
        }
    }
}

/// Draws a numbered ring at `at` (the outcome a blocker opens).
pub(crate) fn draw_numbered<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    at: (i32, i32),
    number: usize,
) -> Result<(), PlotError> {
    area.draw(&Circle::new(at, 8, WHITE.filled())).map_err(drawing)?;
    area.draw(&Circle::new(at, 8, palette::INK.stroke_width(1))).map_err(drawing)?;
    let style = font(sizes::SMALL).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(number.to_string(), at, style)).map_err(drawing)
}

/// Draws the legend in a column starting at `(x, y)`; returns the bottom.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y): (i32, i32),
    width: i32,
    entries: &[LegendEntry],
) -> Result<i32, PlotError> {
    let mut y = y;
    let label_x = x + 30;
    let max_chars = ((width - 34) as f64 / (sizes::LABEL * 0.6)).max(8.0) as usize;
    for e in entries {
        let gx = x + 12;
        match e.glyph {
            Glyph::Dot(c) => area.draw(&Circle::new((gx, y), 3, c.filled())).map_err(drawing)?,
            Glyph::Cell(c) => {
                area.draw(&Rectangle::new([(gx - 6, y - 6), (gx + 6, y + 6)], c.filled())).map_err(drawing)?
            }
            Glyph::Line(c, w) => {
                area.draw(&PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(w))).map_err(drawing)?
            }
            Glyph::Dashed(c, w) => area
                .draw(&DashedPathElement::new(vec![(x, y), (x + 24, y)], 5, 3, c.stroke_width(w)))
                .map_err(drawing)?,
            Glyph::Marker(m) => draw_marker(area, (gx, y), m)?,
            Glyph::Numbered => draw_numbered(area, (gx, y), 1)?,
            Glyph::Series(series, width) => {
                draw_path(area, vec![(x, y), (x + 24, y)], series.colour, width, series.dash)?;
                draw_shape(area, (gx, y), series.shape, series.colour)?;
            }
            Glyph::Outline(c) => {
                area.draw(&Rectangle::new([(gx - 7, y - 5), (gx + 7, y + 5)], c.stroke_width(2))).map_err(drawing)?
            }
        }
        let lines = wrap(&e.label, max_chars);
        for (k, line) in lines.iter().enumerate() {
            area.draw(&Text::new(line.clone(), (label_x, y + k as i32 * 16), font_left(sizes::LABEL)))
                .map_err(drawing)?;
        }
        y += 16 * (lines.len() as i32 - 1) + 24;
    }
    Ok(y)
}

/// Splits `text` into lines of at most `max` characters at spaces.
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("Pareto frontier of the agreement set", 16),
            vec!["Pareto frontier", "of the agreement", "set"]
        );
        assert_eq!(wrap("", 10), vec![""]);
    }

    #[test]
    fn tidies_plotters_output() {
        let raw =
            r##"<text x="1" font-size="13.000000000000002" opacity="1" fill="#222222">a</text><rect opacity="0.85"/>"##;
        assert_eq!(tidy(raw), r##"<text x="1" font-size="13" fill="#222222">a</text><rect opacity="0.85"/>"##);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(escape("\u{1b}[2J\u{7}\t"), "\u{FFFD}[2J\u{FFFD}\t");
    }
}
