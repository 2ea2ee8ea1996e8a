//! Every scenario shown in the documentation is loaded, so the docs cannot
//! drift from the decoder.
//!
//! In `docs/scenario-format.md` and `docs/diagnostics.md`:
//!
//! - a ```` ```toml ```` or ```` ```json ```` block is a complete scenario that
//!   must load cleanly: a scenario and no diagnostic at all;
//! - a ```` ```toml invalid ```` block must fail with the error code named by
//!   the `<!-- expect: CODE -->` comment on the line before it;
//! - a ```` ```toml warning ```` block must load and report the warning named
//!   by its expect comment (and no error).
//!
//! `json invalid` and `json warning` work the same way. Blocks in any other
//! language (`text`, `sh`, …) are not checked. Besides the examples, the `##`
//! headings of `docs/diagnostics.md` must be exactly the codes of
//! [`detente::diagnostic::CODES`], in the same order.

use std::path::PathBuf;

use detente::diagnostic::CODES;
use detente::{load_str, Severity, TextFormat};

/// Codes documented in prose only: no small native text file triggers them.
/// The GENIUS and GeniusWeb codes come from other formats; their examples are
/// not native scenarios, and `tests/genius.rs` and `tests/geniusweb.rs` check
/// each with its line and column. The same holds for the stakeholder-table
/// codes, checked in `tests/tables.rs`.
const PROSE_ONLY: &[&str] = &[
    "input::not-utf8",
    "input::genius-alone",
    "input::case-collection",
    "syntax::xml",
    "genius::folder",
    "genius::structure",
    "genius::attribute",
    "genius::unknown-issue",
    "genius::unknown-value",
    "genius::unsupported",
    "genius::pareto",
    "geniusweb::structure",
    "geniusweb::unknown-issue",
    "geniusweb::unsupported",
    "table::empty",
    "table::header",
    "table::columns",
    "table::value",
    "table::record",
    "table::count",
    "forecast::unordered",
    "forecast::no-position",
    "forecast::implied-position",
    "forecast::no-actors",
    "forecast::zero-weight",
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Valid,
    Invalid,
    Warning,
}

#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    format: TextFormat,
    mode: Mode,
    expect: Option<String>,
    /// The `## ` heading the block sits under, if any.
    section: Option<String>,
    text: String,
}

fn read_doc(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn expect_comment(line: &str) -> Option<String> {
    let inner = line.trim().strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    Some(inner.strip_prefix("expect:")?.trim().to_string())
}

/// Extracts the TOML and JSON blocks of a Markdown file; malformed markup
/// (unknown modifiers, missing or stray expect comments, unclosed fences) is
/// reported in `problems`.
fn blocks(file: &str, text: &str, problems: &mut Vec<String>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    let mut last_line = String::new();
    let mut open: Option<(usize, String, String)> = None; // line, info, expect
    let mut body = String::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some((start, info, expect)) = &open {
            if line.trim() == "```" {
                let mut words = info.split_whitespace();
                let format = match words.next() {
                    Some("toml") => Some(TextFormat::Toml),
                    Some("json") => Some(TextFormat::Json),
                    _ => None,
                };
                if let Some(format) = format {
                    let mode = match words.next() {
                        None => Some(Mode::Valid),
                        Some("invalid") => Some(Mode::Invalid),
                        Some("warning") => Some(Mode::Warning),
                        Some(other) => {
                            problems.push(format!(
                                "{file}:{start}: unknown block modifier `{other}` (use `invalid` or `warning`)"
                            ));
                            None
                        }
                    };
                    let expect = (!expect.is_empty()).then(|| expect.clone());
                    match (mode, &expect) {
                        (Some(Mode::Valid), Some(code)) => problems.push(format!(
                            "{file}:{start}: expect comment `{code}` before a plain block; tag the block `invalid` or `warning`"
                        )),
                        (Some(Mode::Invalid | Mode::Warning), None) => {
                            problems.push(format!("{file}:{start}: `{info}` block without a `<!-- expect: CODE -->` comment on the line before"))
                        }
                        _ => {}
                    }
                    if let Some(mode) = mode {
                        out.push(Block {
                            line: *start,
                            format,
                            mode,
                            expect,
                            section: section.clone(),
                            text: std::mem::take(&mut body),
                        });
                    }
                }
                body.clear();
                open = None;
                last_line.clear();
            } else {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        if let Some(info) = line.trim_start().strip_prefix("```") {
            let expect = expect_comment(&last_line).unwrap_or_default();
            open = Some((n, info.trim().to_string(), expect));
            continue;
        }
        if let Some(h) = line.strip_prefix("## ") {
            section = Some(h.trim().to_string());
        } else if line.starts_with("# ") {
            section = None;
        }
        if !line.trim().is_empty() {
            last_line = line.to_string();
        }
    }
    if let Some((start, ..)) = open {
        problems.push(format!("{file}:{start}: code block is never closed"));
    }
    out
}

fn check_block(file: &str, b: &Block, problems: &mut Vec<String>) {
    let name = format!("{file}:{}", b.line);
    let loaded = load_str(&name, &b.text, b.format);
    let shown: Vec<String> = loaded.diagnostics.iter().map(|d| format!("  {d}")).collect();
    let shown = if shown.is_empty() { "  (no diagnostics)".to_string() } else { shown.join("\n") };
    let errors = loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    match b.mode {
        Mode::Valid => {
            if loaded.scenario.is_none() || !loaded.diagnostics.is_empty() {
                problems.push(format!(
                    "{name}: example should load cleanly; if the diagnostics are intended, tag the block `invalid` or `warning` with an expect comment\n{shown}"
                ));
            }
        }
        Mode::Invalid => {
            let code = b.expect.as_deref().unwrap_or_default();
            if !loaded.diagnostics.iter().any(|d| d.is_error() && d.code == code) {
                problems.push(format!("{name}: expected error `{code}`\n{shown}"));
            }
            if loaded.scenario.is_some() {
                problems.push(format!("{name}: an invalid example produced a scenario"));
            }
        }
        Mode::Warning => {
            let code = b.expect.as_deref().unwrap_or_default();
            if loaded.scenario.is_none() || errors > 0 {
                problems.push(format!("{name}: a warning example must load without errors\n{shown}"));
            }
            if !loaded.diagnostics.iter().any(|d| d.severity == Severity::Warning && d.code == code) {
                problems.push(format!("{name}: expected warning `{code}`\n{shown}"));
            }
        }
    }
}

fn check_file(file: &str, problems: &mut Vec<String>) -> Vec<Block> {
    let text = read_doc(file);
    let found = blocks(file, &text, problems);
    for b in &found {
        check_block(file, b, problems);
    }
    found
}

fn report(problems: Vec<String>) {
    assert!(problems.is_empty(), "{} problem(s) in the documentation:\n\n{}", problems.len(), problems.join("\n\n"));
}

#[test]
fn scenario_format_examples_load() {
    let mut problems = Vec::new();
    let found = check_file("scenario-format.md", &mut problems);
    let valid_toml = found.iter().filter(|b| b.mode == Mode::Valid && b.format == TextFormat::Toml).count();
    let json = found.iter().filter(|b| b.format == TextFormat::Json).count();
    assert!(valid_toml >= 10, "scenario-format.md should show many runnable examples, found {valid_toml}");
    assert!(json >= 1, "scenario-format.md should show the JSON syntax");
    report(problems);
}

#[test]
fn diagnostics_examples_trigger_their_code() {
    let mut problems = Vec::new();
    let found = check_file("diagnostics.md", &mut problems);
    for b in &found {
        match (&b.section, &b.expect) {
            (Some(section), Some(code)) if section != code => problems
                .push(format!("diagnostics.md:{}: example expects `{code}` but sits under `## {section}`", b.line)),
            (None, _) => problems.push(format!("diagnostics.md:{}: example outside any `## code` section", b.line)),
            _ => {}
        }
    }
    for (code, _) in CODES {
        let examples = found.iter().filter(|b| b.section.as_deref() == Some(code)).count();
        if examples == 0 && !PROSE_ONLY.contains(code) {
            problems.push(format!("diagnostics.md: `## {code}` has no example block"));
        }
    }
    report(problems);
}

#[test]
fn diagnostics_catalogue_matches_codes() {
    let text = read_doc("diagnostics.md");
    let headings: Vec<(usize, &str)> =
        text.lines().enumerate().filter_map(|(i, l)| l.strip_prefix("## ").map(|h| (i + 1, h.trim()))).collect();
    let codes: Vec<&str> = CODES.iter().map(|c| c.0).collect();
    for code in &codes {
        assert!(headings.iter().any(|(_, h)| h == code), "diagnostics.md has no `## {code}` section");
    }
    for (line, h) in &headings {
        assert!(codes.contains(h), "diagnostics.md:{line}: `## {h}` is not a code in detente::diagnostic::CODES");
    }
    let order: Vec<&str> = headings.iter().map(|(_, h)| *h).collect();
    assert_eq!(order, codes, "diagnostics.md sections must follow the order of CODES");
}
