//! `detente report`: the scenario and its analysis as one self-contained
//! HTML file, or as Markdown with the figures beside it; and the atomic
//! file writing that `report` and `analyze --plot` share.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use detente_report::report;

use crate::args::{ReportArgs, ReportFormat};

pub fn report(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let crate::analyze::Prepared { scenario, mut config, table_power } =
        match crate::analyze::prepare(&args.file, &args.options)? {
            Ok(prepared) => prepared,
            Err(code) => return Ok(code),
        };
    config.density = Some(detente_report::plot::plane::density_config(scenario.parties().len()));
    let analysis = crate::analyze::with_progress(&scenario, &config)?;
    // The talks and the constrained forecasts keep within --max-outcomes too.
    let budget =
        detente::budget::Budget { cancel: config.cancel.clone(), ..detente::budget::Budget::new(config.max_outcomes) };
    let doc = report::build_with_budget(&scenario, &analysis, table_power.as_deref(), &budget)?;
    let is_md = args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
    match args.format.unwrap_or(if is_md { ReportFormat::Md } else { ReportFormat::Html }) {
        ReportFormat::Html => write_atomically(&args.output, report::html::render(&doc).as_bytes())?,
        ReportFormat::Md => {
            // Figures first, so the Markdown never refers to a missing file.
            for figure in &doc.figures {
                write_atomically(&figure_path(&args.output, &figure.name), figure.svg.as_bytes())?;
            }
            let text = report::markdown::render(&doc, &|f| file_name(&figure_path(&args.output, &f.name)));
            write_atomically(&args.output, text.as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `OUT-NAME.svg` beside `OUT` (`kuril.md` → `kuril-utility-plane.svg`).
fn figure_path(out: &Path, name: &str) -> PathBuf {
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    out.with_file_name(format!("{stem}-{name}.svg"))
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Whether `path` names a PNG file (by its extension); anything else is SVG.
pub fn is_png(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"))
}

/// Writes `figure` to `path` atomically, as PNG when the name ends in
/// `.png`, else as SVG (`--plot` refuses other extensions when parsed).
pub fn write_figure(path: &Path, figure: &detente_report::plot::Figure) -> anyhow::Result<()> {
    if is_png(path) {
        let png = detente_report::plot::png(figure).with_context(|| format!("cannot draw {}", path.display()))?;
        write_atomically(path, &png)
    } else {
        write_atomically(path, figure.svg.as_bytes())
    }
}

/// Writes `bytes` to `path` atomically, replacing what is there (see
/// [`crate::output::write_atomically`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    crate::output::write_atomically(path, bytes, true, ".detente-report-")
}
