//! PNG output: the finished SVG of a [`Figure`] rasterised (resvg, pure
//! Rust), so that the PNG shows exactly the SVG's drawing.
//!
//! Text needs a font: the system's fonts are searched (fontconfig's
//! configuration and the usual folders, read by `fontdb`, no C library) and
//! the SVG's `sans-serif` is mapped to the first of a few common sans-serif
//! families present, else to any font found. Without any font the result
//! is [`PlotError::NoFont`], never a picture without its labels. The bytes
//! depend on the fonts installed; the drawing does not.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use super::{Figure, PlotError};

/// Pixels per SVG pixel: twice, so that a figure prints sharply.
pub const SCALE: f32 = 2.0;

/// Families tried, in order, for the SVG's `sans-serif`.
const SANS: [&str; 6] = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "FreeSans"];

/// The system's fonts, loaded once per process (loading reads every font
/// file's tables); `None` when there is none.
fn fonts() -> Option<Arc<fontdb::Database>> {
    static FONTS: OnceLock<Option<Arc<fontdb::Database>>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            let family = SANS
                .iter()
                .find(|name| db.faces().any(|f| f.families.iter().any(|(n, _)| n == *name)))
                .map(|s| s.to_string())
                .or_else(|| db.faces().next().and_then(|f| f.families.first().map(|(n, _)| n.clone())))?;
            db.set_sans_serif_family(family);
            Some(Arc::new(db))
        })
        .clone()
}

/// The figure as a PNG image, [`SCALE`] times its SVG size, on white.
pub fn png(figure: &Figure) -> Result<Vec<u8>, PlotError> {
    let fontdb = fonts().ok_or(PlotError::NoFont)?;
    let options = usvg::Options { fontdb, ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(&figure.svg, &options).map_err(|e| PlotError::Drawing(e.to_string()))?;
    let size = tree.size();
    let (w, h) = ((size.width() * SCALE).ceil() as u32, (size.height() * SCALE).ceil() as u32);
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| PlotError::Drawing(format!("cannot make a {w} × {h} image")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(SCALE, SCALE), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| PlotError::Drawing(e.to_string()))
}
