//! Diagnostics as plain data: what went wrong, where, and how to fix it.
//!
//! Readers and validators never stop at the first problem; they push every
//! [`Diagnostic`] they find into a list. Positions are byte spans into the
//! source text; line and column are computed only when rendering
//! ([`LineIndex`]), so the engine never needs to know how output looks.

use std::fmt;
use std::ops::Range;

/// A byte range into one source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end: end.max(start) }
    }
    /// The empty span at `offset`.
    pub fn at(offset: usize) -> Span {
        Span { start: offset, end: offset }
    }
    /// The byte range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// How bad a diagnostic is. Only errors make a scenario invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; the scenario still loads.
    Warning,
    /// The scenario cannot be used until this is fixed.
    Error,
}

impl Severity {
    /// `"warning"` or `"error"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary location that helps explain a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One problem found in an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable, path-like code, e.g. `scenario::unknown-issue`; see [`CODES`].
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence, no trailing period.
    pub message: String,
    /// The offending text, when it has a location.
    pub span: Option<Span>,
    /// What the primary span points at (short).
    pub label: Option<String>,
    /// Other places that take part in the problem.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// The name of the source the spans refer to, when a load read several
    /// files (a GENIUS folder: domain and profiles); `None` means the main
    /// source. See [`Loaded::source_of`](crate::Loaded::source_of).
    pub file: Option<String>,
}

impl Diagnostic {
    /// A new error with `code` at `span`.
    pub fn error(code: &'static str, span: impl Into<Option<Span>>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span: span.into(),
            label: None,
            labels: Vec::new(),
            help: None,
            file: None,
        }
    }
    /// A new warning with `code` at `span`.
    pub fn warning(code: &'static str, span: impl Into<Option<Span>>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, span, message) }
    }
    /// Adds the fix hint.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
    /// Adds a short label for the primary span.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }
    /// Adds a secondary location.
    #[must_use]
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { span, message: message.into() });
        self
    }
    /// Says which source (by name) the spans refer to.
    #[must_use]
    pub fn in_file(mut self, name: impl Into<String>) -> Diagnostic {
        self.file = Some(name.into());
        self
    }
    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity.as_str(), self.code, self.message)
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

/// Maps byte offsets to lines and columns. Treats `\n`, `\r\n` and a lone
/// `\r` (old Mac files) as line ends.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }
    /// Line and column of byte `offset` in `text` (clamped to the text).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut column = 1;
        for (i, _) in text[start..].char_indices() {
            if start + i >= offset {
                break;
            }
            column += 1;
        }
        LineCol { line: line + 1, column }
    }
}

/// Every diagnostic code with a one-line description; `docs/diagnostics.md`
/// is kept in sync with this list by a test.
pub const CODES: &[(&str, &str)] = &[
    ("input::not-utf8", "the file is not valid UTF-8 text"),
    ("input::too-deep", "arrays or tables are nested deeper than any scenario needs"),
    ("input::genius-alone", "GENIUS XML given without its folder (on standard input)"),
    (
        "input::case-collection",
        "a case collection given where one scenario is needed, without --case (or with an unknown one)",
    ),
    ("syntax::toml", "the file is not valid TOML"),
    ("syntax::json", "the file is not valid JSON"),
    ("syntax::xml", "the file is not well-formed XML"),
    ("scenario::unsupported-format", "`format` is missing or names a version this build does not read"),
    ("scenario::missing-field", "a required field is absent"),
    ("scenario::unknown-field", "a field name is not part of the format"),
    ("scenario::wrong-type", "a value has the wrong type"),
    ("scenario::invalid-id", "an id or label contains characters it may not"),
    ("scenario::duplicate", "two items share an id, label or option"),
    ("scenario::unknown-issue", "a name refers to no issue"),
    ("scenario::unknown-actor", "a name refers to no actor"),
    ("scenario::unknown-option", "a label is not an option of its discrete issue"),
    ("scenario::unknown-constraint", "a label refers to no constraint"),
    ("scenario::out-of-range", "a number lies outside its allowed range"),
    ("scenario::salience-range", "a salience lies outside 0–1"),
    ("scenario::invalid-range", "an issue's minimum is not below its maximum"),
    ("scenario::value-table", "a value table does not fit its issue"),
    ("scenario::value-clamped", "an affine value function leaves 0–1 on its issue's range and is clamped"),
    ("scenario::rectangles", "hyper-rectangle utilities are malformed or mixed with stances"),
    ("scenario::status-quo", "the status quo is missing or incomplete where it is needed"),
    ("scenario::no-stances", "an actor cares about no issue"),
    ("scenario::role", "an actor is used in a way its role does not fit"),
    ("scenario::no-parties", "no actor is a negotiating party"),
    ("scenario::condition", "an issue's condition (`when`/`otherwise`) is incomplete, names its own issue, forms a cycle, or the status quo breaks it"),
    ("scenario::plan", "a plan names no phase or an empty one, names an issue twice, settles a conditional issue before its condition, or the scenario has no status quo"),
    ("scenario::commitment", "a plan's commitment is not a probability, or it gives a number of commitments other than one per phase after the first"),
    ("scenario::interaction", "an interaction term is outside -1 to 1 or belongs to an actor whose utility is not additive"),
    ("scenario::types", "an actor's type priors, or a belief's probabilities of its types, are outside 0–1 or do not sum to 1, or name a type the actor does not have"),
    ("scenario::pressure", "a pressure's cost is outside 0–1, or it is put on its own author or on an actor whose utility comes from rectangles"),
    ("scenario::statement", "a statement's kind is unknown, a commitment or assurance has no pledge, a signal has one, a listener's reaction comes from an actor who does not hear it, or an event makes a statement twice"),
    ("scenario::unknown-param", "an uncertain judgement or an event's change names no number of the scenario, or sets it outside its domain"),
    ("scenario::event", "an event has no time, is listed out of order, has a date that is no calendar day or lies before the calendar's start, or a round the calendar contradicts; or a non-party has a deadline"),
    ("scenario::unknown-event", "an actor's deadline names no event"),
    ("scenario::uncertain-range", "an uncertain judgement's range is malformed or misses the file's value"),
    ("scenario::uncertain-domain", "an uncertain judgement's range leaves the values its number may take"),
    ("expr::syntax", "a constraint rule cannot be parsed"),
    ("expr::type", "a constraint rule compares values of different kinds"),
    ("constraint::unsatisfiable", "no outcome can satisfy a constraint"),
    ("constraint::contradiction", "two constraints can never hold together"),
    ("genius::folder", "a GENIUS folder lacks a domain file or profiles, or has several domains"),
    ("genius::structure", "a GENIUS file lacks an element, or has one where it does not belong"),
    ("genius::attribute", "a GENIUS attribute is missing or does not hold the number it must"),
    ("genius::unknown-issue", "a GENIUS profile refers to an issue its domain does not have"),
    ("genius::unknown-value", "a GENIUS profile values an option its domain's issue does not have"),
    ("genius::unsupported", "a GENIUS construct detente does not read (real-valued issues, exclusion rectangles, ...)"),
    ("genius::pareto", "a reference Pareto file has a malformed line"),
    ("geniusweb::structure", "a GeniusWeb document lacks a field or has one of the wrong shape"),
    ("geniusweb::unknown-issue", "a GeniusWeb profile refers to an issue or value its domain does not have"),
    ("geniusweb::unsupported", "a GeniusWeb construct detente does not read"),
    ("table::empty", "a stakeholder table, case collection or DEU file has no rows, actors or issues"),
    ("table::header", "a table's header is missing, names an unknown column or does not fit its layout"),
    ("table::columns", "a table row has too few or too many cells"),
    ("table::value", "a table cell does not hold the number or date it must"),
    ("table::record", "a decide-exchange-model record has an unknown type"),
    ("table::count", "a KTAB scenario line declares another number of actors than follow"),
    ("forecast::unordered", "a forecast was asked for an issue with three or more unordered options"),
    ("forecast::no-position", "an actor's stance has no ideal point for a forecast; the actor is left out"),
    ("forecast::implied-position", "an actor's stance states no position; its single best value is taken as one"),
    ("forecast::no-actors", "no actor has a position on the issue to forecast"),
    ("forecast::zero-weight", "every actor's capability × salience is 0 on an issue to forecast"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_handles_all_line_ends() {
        let text = "ab\ncd\r\nef\rgh";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(text, 7), LineCol { line: 3, column: 1 });
        assert_eq!(idx.line_col(text, 10), LineCol { line: 4, column: 1 });
        assert_eq!(idx.line_col(text, 999), LineCol { line: 4, column: 3 });
    }

    #[test]
    fn columns_count_characters() {
        let text = "é = 1";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 2), LineCol { line: 1, column: 2 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 3 });
    }

    #[test]
    fn codes_are_unique() {
        let mut names: Vec<_> = CODES.iter().map(|c| c.0).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CODES.len());
    }
}
