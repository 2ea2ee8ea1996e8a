//! `detente check` and the rendering of diagnostics (human, short, JSON).

use std::io::IsTerminal;
use std::process::ExitCode;

use detente::{Diagnostic, LineIndex, Loaded, Severity};
pub use detente_report::diagnostics::file_json;
pub use detente_report::text::escape_controls;
use detente_report::text::shown_raw;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report};
use serde_json::json;

use crate::args::{CheckArgs, DiagnosticFormat};
use crate::output;

pub fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let mut any_error = false;
    let mut any_warning = false;
    let mut io_failed = false;
    let mut docs = Vec::new();
    for path in &args.files {
        let loaded = match output::load(path) {
            Ok(l) => l,
            Err(err) => {
                // One unreadable file does not stop the others.
                eprintln!("error: {}", escape_controls(&format!("{err:#}")));
                io_failed = true;
                continue;
            }
        };
        any_error |= loaded.has_errors();
        any_warning |= loaded.diagnostics.iter().any(|d| d.severity == Severity::Warning);
        match args.format {
            DiagnosticFormat::Human => {
                let text = render_human(&loaded, std::io::stderr().is_terminal());
                eprint!("{text}");
                if loaded.has_errors() {
                    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
                    eprintln!("{}: {errors} error{}", loaded.source.name, if errors == 1 { "" } else { "s" });
                } else {
                    let warnings = loaded.diagnostics.len();
                    let note = if warnings > 0 {
                        format!(" ({warnings} warning{})", if warnings == 1 { "" } else { "s" })
                    } else {
                        String::new()
                    };
                    output::print(&format!("{}: ok{note}", loaded.source.name))?;
                }
            }
            DiagnosticFormat::Short => {
                let text = render_short(&loaded);
                if !text.is_empty() {
                    output::print(&text)?;
                }
            }
            DiagnosticFormat::Json => docs.push(file_json(&loaded)),
        }
    }
    if args.format == DiagnosticFormat::Json {
        let doc = json!({ "valid": !any_error && !io_failed, "files": docs });
        output::print(&serde_json::to_string_pretty(&doc)?)?;
    }
    Ok(if io_failed {
        ExitCode::from(2)
    } else if any_error || (args.deny_warnings && any_warning) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Renders diagnostics as annotated snippets (miette's graphical handler).
pub fn render_human(loaded: &Loaded, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in &loaded.diagnostics {
        // A multi-file load (a GENIUS folder) names each diagnostic's file.
        let source = loaded.source_of(d);
        let clamp = |s: detente::Span| {
            let start = floor_char(&source.text, s.start.min(source.text.len()));
            (start, floor_char(&source.text, s.end.min(source.text.len())).max(start))
        };
        let spans: Vec<(usize, usize)> =
            d.span.iter().chain(d.labels.iter().map(|l| &l.span)).map(|&s| clamp(s)).collect();
        let marks: Vec<usize> = spans.iter().flat_map(|&(a, b)| [a, b]).collect();
        let shown = Excerpt::new(&source.text, &marks);
        let report = Report::new(to_miette(d, &spans, &shown))
            .with_source_code(NamedSource::new(escape_controls(&source.name), shown.text.clone()));
        let mut s = String::new();
        if handler.render_report(&mut s, report.as_ref()).is_err() {
            s = escape_controls(&format!("{d}\n"));
        } else if let Some(&(start, _)) = spans
            .first()
            .filter(|&&(start, _)| d.span.is_some() && shown.cut.iter().any(|&(a, b)| a <= start && start <= b))
        {
            // The snippet's own line:column counts the shortened line.
            let at = LineIndex::new(&source.text).line_col(&source.text, start);
            s.push_str(&format!(
                "  note: long lines are shortened (…); this is at {}:{}:{}\n",
                escape_controls(&source.name),
                at.line,
                at.column
            ));
        }
        out.push_str(&s);
        out.push('\n');
    }
    out
}

/// `d` for miette, its spans (`spans`: the primary first, if any, then the
/// labels', clamped to the source) moved onto the excerpt `shown`.
fn to_miette(d: &Diagnostic, spans: &[(usize, usize)], shown: &Excerpt) -> MietteDiagnostic {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let place = |(a, b): (usize, usize)| {
        let start = shown.offset(a);
        (start, shown.offset(b).saturating_sub(start))
    };
    let mut spans = spans.iter().copied();
    let mut labels = Vec::new();
    if d.span.is_some() {
        let label = escape_controls(d.label.as_deref().unwrap_or("here"));
        labels.push(LabeledSpan::new_primary_with_span(Some(label), place(spans.next().unwrap_or_default())));
    }
    for (label, span) in d.labels.iter().zip(spans) {
        labels.push(LabeledSpan::new_with_span(Some(escape_controls(&label.message)), place(span)));
    }
    let mut m = MietteDiagnostic::new(escape_controls(&d.message))
        .with_code(d.code)
        .with_severity(severity)
        .with_labels(labels);
    if let Some(h) = &d.help {
        m = m.with_help(escape_controls(h));
    }
    m
}

/// The largest char boundary of `text` at or before `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What a snippet shows of a source: control characters escaped, and lines
/// longer than [`Excerpt::LONG_LINE`] bytes cut to windows around the marked
/// offsets (span ends), the cuts written `…`. A 100,000-option array on one
/// line stays readable, and columns stay within what the renderer can pad
/// (miette panics beyond 65,535).
struct Excerpt {
    text: String,
    /// Marked offsets of the source and where they fall in `text`, sorted.
    moved: Vec<(usize, usize)>,
    /// The source lines (start, end) that were shortened.
    cut: Vec<(usize, usize)>,
}

impl Excerpt {
    const LONG_LINE: usize = 240;
    const WINDOW: usize = 60;

    fn new(source: &str, marks: &[usize]) -> Excerpt {
        let mut marks = marks.to_vec();
        marks.sort_unstable();
        marks.dedup();
        let mut text = String::new();
        let mut moved = Vec::new();
        let mut next_mark = marks.iter().copied().peekable();
        let mut line_start = 0;
        let mut cut_lines = Vec::new();
        for line in source.split_inclusive('\n') {
            let line_end = line_start + line.len();
            let line_marks: Vec<usize> = marks.iter().copied().filter(|&m| m >= line_start && m <= line_end).collect();
            let long = line.len() > Excerpt::LONG_LINE;
            let keep = |p: usize| {
                !long
                    || line_marks.iter().any(|&m| p + Excerpt::WINDOW >= m && p <= m + Excerpt::WINDOW)
                    || (line_marks.is_empty() && p < line_start + Excerpt::WINDOW)
                    || source.as_bytes()[p] == b'\n'
            };
            let mut cut = false;
            let mut chars = line.char_indices().peekable();
            while let Some((k, c)) = chars.next() {
                let p = line_start + k;
                while next_mark.peek().is_some_and(|&m| m <= p) {
                    moved.push((next_mark.next().unwrap_or(p), text.len()));
                }
                if keep(p) {
                    cut = false;
                    if shown_raw(c, chars.peek().map(|&(_, n)| n)) {
                        text.push(c);
                    } else {
                        text.extend(c.escape_unicode());
                    }
                } else if !cut {
                    cut = true;
                    if cut_lines.last() != Some(&(line_start, line_end)) {
                        cut_lines.push((line_start, line_end));
                    }
                    text.push('…');
                }
            }
            line_start = line_end;
        }
        for m in next_mark {
            moved.push((m, text.len()));
        }
        Excerpt { text, moved, cut: cut_lines }
    }

    /// Where the marked source offset `at` falls in the excerpt.
    fn offset(&self, at: usize) -> usize {
        match self.moved.binary_search_by_key(&at, |&(m, _)| m) {
            Ok(k) => self.moved[k].1,
            Err(_) => self.text.len(),
        }
    }
}

/// Prints the warnings of a scenario that loaded to standard error, one
/// short line each (`file:line:col: warning[code]: …`) and a pointer to
/// `detente check` for the snippets, so `analyze`, `negotiate`, `forecast`
/// and `report` show what `check` shows without touching standard output.
pub fn print_load_warnings(loaded: &Loaded, input: &std::path::Path) {
    let warnings = || loaded.diagnostics.iter().filter(|d| d.severity == Severity::Warning);
    if warnings().next().is_none() || loaded.scenario.is_none() {
        return;
    }
    eprint!("{}", short_lines(loaded, warnings()));
    eprintln!("(`detente check {}` shows them in context)", escape_controls(&input.display().to_string()));
}

/// `file:line:col: severity[code]: message`, one per line.
pub fn render_short(loaded: &Loaded) -> String {
    short_lines(loaded, loaded.diagnostics.iter())
}

/// The short lines of `diagnostics`, which belong to `loaded`.
fn short_lines<'d>(loaded: &Loaded, diagnostics: impl Iterator<Item = &'d Diagnostic>) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let source = loaded.source_of(d);
        let pos = d.span.map(|s| LineIndex::new(&source.text).line_col(&source.text, s.start));
        let (line, col) = pos.map(|p| (p.line, p.column)).unwrap_or((1, 1));
        out.push_str(&format!(
            "{}:{line}:{col}: {}[{}]: {}",
            escape_controls(&source.name),
            d.severity.as_str(),
            d.code,
            escape_controls(&d.message)
        ));
        if let Some(h) = &d.help {
            out.push_str(&format!(" (help: {})", escape_controls(h)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape_controls, Excerpt};

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_controls("x\r\ny\tz\rq\0"), "x\r\ny\tz\\u{d}q\\u{0}");
        assert_eq!(escape_controls("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(escape_controls("naïve — ok"), "naïve — ok");
    }

    #[test]
    fn long_lines_are_cut_around_the_marks() {
        let line = format!("[{}]\nnext\n", (0..2000).map(|k| format!("\"o{k}\"")).collect::<Vec<_>>().join(", "));
        let at = line.find("\"o1500\"").unwrap();
        let shown = Excerpt::new(&line, &[3, at, at + 7]);
        assert!(shown.text.len() < 600, "{}", shown.text.len());
        let start = shown.offset(at);
        assert_eq!(&shown.text[start..shown.offset(at + 7)], "\"o1500\"");
        assert_eq!(&shown.text[shown.offset(3)..shown.offset(3) + 2], "0\"");
        assert!(shown.text.contains('…') && shown.text.ends_with("next\n"));
        // Short lines are kept whole, with controls escaped.
        let shown = Excerpt::new("id = \"\u{1b}[2J\"\n", &[5, 10]);
        assert_eq!(shown.text, "id = \"\\u{1b}[2J\"\n");
        assert_eq!(&shown.text[shown.offset(5)..shown.offset(10)], "\"\\u{1b}[2J");
    }
}
