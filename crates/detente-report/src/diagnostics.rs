//! Diagnostics as JSON: the per-file document of `detente check --format
//! json`, which the workbench server answers `POST /api/check` with.
//!
//! Lives here rather than in the CLI so every shell reports a problem with
//! the same fields (code, severity, message, line and column, help).

use detente::{LineIndex, Loaded};
use serde_json::{json, Value};

/// The JSON description of one checked file (or folder): whether it is
/// valid and every diagnostic, each naming the file its positions refer to,
/// with byte offsets and 1-based line and column of its span's ends.
pub fn file_json(loaded: &Loaded) -> Value {
    let diagnostics: Vec<_> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            let source = loaded.source_of(d);
            let index = LineIndex::new(&source.text);
            let place = |s: detente::Span| {
                let a = index.line_col(&source.text, s.start);
                let b = index.line_col(&source.text, s.end);
                json!({ "start": s.start, "end": s.end, "line": a.line, "column": a.column, "end_line": b.line, "end_column": b.column })
            };
            json!({
                "file": source.name,
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "span": d.span.map(place),
                "label": d.label,
                "help": d.help,
                "related": d.labels.iter().map(|l| json!({ "message": l.message, "span": place(l.span) })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "file": loaded.source.name, "valid": !loaded.has_errors(), "diagnostics": diagnostics })
}
