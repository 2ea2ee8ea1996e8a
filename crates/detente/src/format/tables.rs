//! Stakeholder tables: the actor × issue tables that forecasting studies
//! publish, read into scenarios.
//!
//! Four layouts are read (see `docs/formats/tables.md`):
//!
//! - [`TableFormat::Decide`]: the input files of the `decide-exchange-model`
//!   package: `'#A'` actor, `'#P'` issue, `'#M'` scale point and `'#D'`
//!   actor–issue records (position, salience 0–1, power 0–1);
//! - [`TableFormat::Ktab`]: KTAB's CSV (a scenario line, a header line, one
//!   actor per line with capability and a position and salience, both 0–100,
//!   per dimension);
//! - [`TableFormat::Bdm`]: one-issue tables of actor, capability, position and
//!   salience, as Bueno de Mesquita's expected-utility model takes them;
//! - [`TableFormat::Plain`]: detente's own long CSV, one row per actor and
//!   issue: `actor,issue,position,salience,capability`.
//!
//! and [`load_cases`] reads a JSON collection of one-issue cases with coded
//! outcomes. Every issue becomes a continuous issue, every actor a party with
//! a linear stance (ideal point and salience 0–1) on each issue it has data
//! for. The scenario model holds one capability per actor, but these tables
//! may give a different power per issue: [`StakeholderTable::power`] keeps it
//! exactly, and the actor's capability is the mean of its powers.
//!
//! CSV is split by the `csv` crate; every field keeps its byte span so that
//! diagnostics point at the offending cell. Nothing here panics on any input.

use std::path::Path;

use super::tree::{parse_json, Key, Node, NodeKind};
use super::{Loaded, ReadError, SourceFile, MAX_FILE_BYTES};
use crate::diagnostic::{Diagnostic, Span};
use crate::scenario::expr::KEYWORDS;
use crate::scenario::{Actor, Domain, Issue, Reservation, Role, Scenario, Stance, UtilityModel, Value, ValueFunction};
use crate::suggest::did_you_mean;

/// The table layouts detente reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// `decide-exchange-model` records (`'#A'`, `'#P'`, `'#M'`, `'#D'`).
    Decide,
    /// KTAB's spatial-model CSV.
    Ktab,
    /// A one-issue actor table (actor, capability, position, salience).
    Bdm,
    /// `actor,issue,position,salience,capability`, one row per actor and issue.
    Plain,
}

impl TableFormat {
    /// A short name for messages: `decide`, `ktab`, `bdm` or `plain`.
    pub fn name(self) -> &'static str {
        match self {
            TableFormat::Decide => "decide",
            TableFormat::Ktab => "ktab",
            TableFormat::Bdm => "bdm",
            TableFormat::Plain => "plain",
        }
    }
}

/// A scenario read from a stakeholder table, with what the scenario model
/// cannot hold.
#[derive(Clone, Debug, PartialEq)]
pub struct StakeholderTable {
    /// The scenario: continuous issues, one party per actor, linear stances.
    pub scenario: Scenario,
    /// `power[actor][issue]`: the actor's power on that issue as written,
    /// `None` where the table gives the actor no data on the issue. Indices
    /// follow `scenario.actors` and `scenario.issues`.
    pub power: Vec<Vec<Option<f64>>>,
    /// The layout it was read from.
    pub format: TableFormat,
}

impl StakeholderTable {
    /// The power of actor `actor` on issue `issue`, when the table gives one.
    pub fn power(&self, actor: usize, issue: usize) -> Option<f64> {
        self.power.get(actor).and_then(|row| row.get(issue)).copied().flatten()
    }
}

/// The result of reading one table: the table when there were no errors,
/// and every diagnostic.
#[derive(Clone, Debug)]
pub struct LoadedTable {
    /// What was read.
    pub source: SourceFile,
    /// The table, when there were no errors (warnings allowed).
    pub table: Option<StakeholderTable>,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedTable {
    /// True when some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
    /// The plain load result, the per-issue power in [`Loaded::table_power`].
    pub fn into_loaded(self) -> Loaded {
        let (scenario, power) = self.table.map(|t| (t.scenario, t.power)).unzip();
        Loaded { table_power: power, ..Loaded::single(self.source, scenario, self.diagnostics) }
    }
}

/// Guesses the layout of a table from its first lines: `'#A'`-style records
/// are `decide`; a first line whose third and fourth fields are whole numbers
/// is KTAB; a header with an `issue` column is the plain layout; a header with
/// `position` and `salience` columns is a one-issue table.
pub fn detect_table(text: &str) -> Option<TableFormat> {
    let first = first_line(text);
    if first.is_empty() {
        return None;
    }
    let bare = first.trim_start_matches(['\'', '"']);
    if bare.starts_with('#') && bare.len() > 1 {
        return Some(TableFormat::Decide);
    }
    let delimiter = guess_delimiter(first);
    let cells: Vec<String> = first
        .split(delimiter as char)
        .map(|c| c.trim().trim_matches(['"', '\'']).trim().to_ascii_lowercase())
        .collect();
    let is_int = |s: Option<&String>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    if is_int(cells.get(2)) && is_int(cells.get(3)) {
        return Some(TableFormat::Ktab);
    }
    if cells.iter().any(|c| c == "issue") {
        return Some(TableFormat::Plain);
    }
    if cells.iter().any(|c| c == "position") && cells.iter().any(|c| c == "salience") {
        return Some(TableFormat::Bdm);
    }
    None
}

/// Reads `text` as a table in `format`, or in the detected layout when
/// `format` is `None` (an error if none fits).
pub fn load_table(name: &str, text: &str, format: Option<TableFormat>) -> LoadedTable {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source = SourceFile { name: name.to_string(), text: text.to_string() };
    let mut diagnostics = Vec::new();
    let stem = stem(name);
    let table = match format.or_else(|| detect_table(text)) {
        _ if text.trim().is_empty() => {
            diagnostics.push(
                Diagnostic::error("table::empty", Span::at(0), "the file is empty")
                    .with_help("a stakeholder table needs at least one actor and one issue"),
            );
            None
        }
        Some(TableFormat::Decide) => Ctx::new(text, &mut diagnostics).decide(&stem),
        Some(TableFormat::Ktab) => Ctx::new(text, &mut diagnostics).ktab(&stem),
        Some(TableFormat::Bdm) => Ctx::new(text, &mut diagnostics).bdm(&stem),
        Some(TableFormat::Plain) => Ctx::new(text, &mut diagnostics).plain(&stem),
        None => {
            let end = text.find(['\n', '\r']).unwrap_or(text.len());
            let layouts =
                "start with `'#A'` records (decide), a KTAB scenario line `name,description,numActors,numDims`, \
                           or a header naming `actor,issue,position,salience,capability` (plain) or \
                           `actor,capability,position,salience` (one issue)";
            let diagnostic = match misspelt_column(&text[..end]) {
                // A column that is nearly a known one is the likely cause.
                Some((span, written, meant)) => Diagnostic::error(
                    "table::header",
                    span,
                    format!("cannot tell which table layout this is: no column is named `{meant}`"),
                )
                .with_label(format!("`{written}` is not a known column"))
                .with_help(format!("did you mean `{meant}`? Otherwise {layouts}")),
                None => Diagnostic::error("table::header", Span::new(0, end), "cannot tell which table layout this is")
                    .with_label("not a known header")
                    .with_help(layouts),
            };
            diagnostics.push(diagnostic);
            None
        }
    };
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    LoadedTable { source, table: if failed { None } else { table }, diagnostics }
}

/// Reads a table file (see [`load_table`]). Invalid UTF-8 is replaced, so a
/// Latin-1 name shows as `�` rather than failing the whole file.
pub fn load_table_file(path: &Path, format: Option<TableFormat>) -> Result<LoadedTable, ReadError> {
    let text = read_text(path)?;
    Ok(load_table(&path.display().to_string(), &text, format))
}

/// Reads a file as text, refusing directories and files over
/// [`MAX_FILE_BYTES`].
pub(crate) fn read_text(path: &Path) -> Result<String, ReadError> {
    let fail = |error| ReadError { path: path.to_path_buf(), error };
    let meta = std::fs::metadata(path).map_err(fail)?;
    if meta.is_dir() {
        return Err(fail(std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is a directory, not a table")));
    }
    if meta.len() > MAX_FILE_BYTES {
        let message = format!("it is larger than {} MiB", MAX_FILE_BYTES >> 20);
        return Err(fail(std::io::Error::new(std::io::ErrorKind::InvalidData, message)));
    }
    let bytes = std::fs::read(path).map_err(fail)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

// ---------------------------------------------------------------------------
// Case collections (JSON)

/// One-issue cases with coded outcomes, as in `ktab-china-2014.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseCollection {
    /// The collection's `library_version`, when given.
    pub version: Option<String>,
    /// The cases, in file order.
    pub cases: Vec<Case>,
}

/// One case: a one-issue scenario on a 0–100 continuum and what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The `case_id`.
    pub id: String,
    /// The scenario: one continuous issue `position` on 0–100, one party per
    /// actor with its capability (as written, 0–100) and salience / 100.
    pub scenario: Scenario,
    /// The outcomes coded for the case, in file order.
    pub outcomes: Vec<CodedOutcome>,
    /// The forecast the source publication reports, as text (`model: note`).
    pub published_forecast: Option<String>,
}

/// An observed outcome coded on the case's continuum.
#[derive(Clone, Debug, PartialEq)]
pub struct CodedOutcome {
    /// The reading's name (e.g. `near_term_by_2017`).
    pub label: String,
    /// The coded value (`proposed_value`), 0–100.
    pub value: f64,
    /// The plausible range `(low, high)`, when given.
    pub range: Option<(f64, f64)>,
    /// Why it was coded so.
    pub basis: Option<String>,
    /// Whether the coding was verified, when said.
    pub verified: Option<bool>,
}

/// The result of reading a case collection.
#[derive(Clone, Debug)]
pub struct LoadedCases {
    /// What was read.
    pub source: SourceFile,
    /// The collection, when there were no errors.
    pub collection: Option<CaseCollection>,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedCases {
    /// True when some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads a JSON case collection: `{"cases": [{"case_id", "title", "source",
/// "continuum": {"label", "anchor_0", "anchor_100"}, "actors": [{"id", "name",
/// "position", "capability", "salience"}], "outcomes": {label:
/// {"proposed_value", "range", "basis", "verified"}}}]}`. Positions,
/// saliences and outcomes are on 0–100; other fields are ignored.
pub fn load_cases(name: &str, text: &str) -> LoadedCases {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source = SourceFile { name: name.to_string(), text: text.to_string() };
    let mut diagnostics = Vec::new();
    let collection = match parse_json(text, &mut diagnostics) {
        Some(root) => Json { text, diags: &mut diagnostics }.collection(&root),
        None => None,
    };
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    LoadedCases { source, collection: if failed { None } else { collection }, diagnostics }
}

/// Reads a case collection file (see [`load_cases`]).
pub fn load_cases_file(path: &Path) -> Result<LoadedCases, ReadError> {
    let text = read_text(path)?;
    Ok(load_cases(&path.display().to_string(), &text))
}

// ---------------------------------------------------------------------------
// Records: CSV lines with a span on every field

/// One cell: its text (unquoted, trimmed) and where it was written (the
/// trimmed cell, quotes included).
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub text: String,
    pub span: Span,
}

/// One line of a CSV text (a record may span lines inside quotes).
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub fields: Vec<Field>,
    /// The whole record, without its line end.
    pub span: Span,
}

impl Record {
    /// The cell at `i`, if the record has that many.
    pub fn get(&self, i: usize) -> Option<&Field> {
        self.fields.get(i)
    }
    /// The text of cell `i`, or `""`.
    pub fn text(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.text.as_str())
    }
    /// The fields without trailing empty cells (KTAB lines end in commas).
    pub fn trim_trailing_empty(&mut self) {
        while self.fields.last().is_some_and(|f| f.text.is_empty()) {
            self.fields.pop();
        }
    }
    /// Where a missing cell would go: just past the record.
    pub fn end(&self) -> Span {
        Span::at(self.span.end)
    }
}

/// Splits `text` into records with the `csv` crate. Blank lines and lines
/// of empty cells are skipped. A lone `\r` ends a line, as in old Mac files.
pub(crate) fn read_records(text: &str, delimiter: u8, quote: u8) -> Vec<Record> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .quote(quote)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    // In-memory input with `flexible` cannot fail; stop at an error anyway.
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let start = record.position().map_or(0, |p| p.byte() as usize).min(bytes.len());
        let mut end = (reader.position().byte() as usize).clamp(start, bytes.len());
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let raw = split_raw(&bytes[start..end], delimiter, quote);
        let fields: Vec<Field> = record
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let text = String::from_utf8_lossy(cell).trim().to_string();
                let span = match raw.get(i) {
                    Some(&(a, b)) if raw.len() == record.len() => trimmed(bytes, start + a, start + b),
                    _ => Span::new(start, end),
                };
                Field { text, span }
            })
            .collect();
        if fields.iter().all(|f| f.text.is_empty()) {
            continue;
        }
        out.push(Record { fields, span: Span::new(start, end) });
    }
    out
}

/// Byte ranges of the cells of one record, following the quoting rules of
/// `csv-core` (a quote opens a quoted cell only as its first byte; a doubled
/// quote inside is a quote).
fn split_raw(bytes: &[u8], delimiter: u8, quote: u8) -> Vec<(usize, usize)> {
    #[derive(Clone, Copy)]
    enum State {
        Start,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut out = Vec::new();
    let mut state = State::Start;
    let mut field_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        state = match state {
            State::Quoted if b == quote => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if b == quote => State::Quoted,
            State::Start if b == quote => State::Quoted,
            State::Start | State::Unquoted | State::QuoteInQuoted if b == delimiter => {
                out.push((field_start, i));
                field_start = i + 1;
                State::Start
            }
            State::Start | State::Unquoted | State::QuoteInQuoted => State::Unquoted,
        };
    }
    out.push((field_start, bytes.len()));
    out
}

/// The span `start..end` without surrounding ASCII whitespace.
fn trimmed(bytes: &[u8], mut start: usize, mut end: usize) -> Span {
    while start < end && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    Span::new(start, end)
}

/// `value / 100`, computed from the decimal text when possible so that
/// `30.33` becomes the double nearest 0.3033 (not `30.33 / 100`).
pub(crate) fn percent_of(text: &str, value: f64) -> f64 {
    let scaled = if text.contains(['e', 'E']) { None } else { format!("{text}e-2").parse::<f64>().ok() };
    scaled.filter(|v| v.is_finite()).unwrap_or(value / 100.0)
}

/// Tab if the line has one, else `;` if it has one, else `,`.
/// The first header cell that is not a known column name but nearly is
/// one (`Salince`): its span, as written, and the column it likely means.
fn misspelt_column(header: &str) -> Option<(Span, String, &'static str)> {
    const COLUMNS: [&str; 5] = ["actor", "issue", "position", "salience", "capability"];
    let delimiter = guess_delimiter(header) as char;
    let mut start = 0;
    for cell in header.split(delimiter) {
        let name = cell.trim().trim_matches(['"', '\'']).trim();
        let lower = name.to_ascii_lowercase();
        if !name.is_empty() && !COLUMNS.contains(&lower.as_str()) {
            if let Some(meant) = did_you_mean(&lower, &COLUMNS) {
                let offset = start + cell.find(name).unwrap_or(0);
                return Some((Span::new(offset, offset + name.len()), name.to_string(), meant));
            }
        }
        start += cell.len() + delimiter.len_utf8();
    }
    None
}

fn guess_delimiter(line: &str) -> u8 {
    if line.contains('\t') {
        b'\t'
    } else if line.contains(';') && !line.contains(',') {
        b';'
    } else {
        b','
    }
}

/// The first non-blank line of `text` (a lone `\r` ends a line too).
fn first_line(text: &str) -> &str {
    text.split(['\n', '\r']).map(str::trim).find(|l| !l.is_empty()).unwrap_or("")
}

/// The file stem of a path-like name.
fn stem(name: &str) -> String {
    Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| name.to_string())
}

/// A scenario id made from free text: ASCII letters and digits kept (case
/// too), every other run of characters one `_`; prefixed with `fallback`
/// when empty or starting with a digit, suffixed when it is a word of the rule
/// language, and made unique among `taken` with `_2`, `_3`, ….
pub(crate) fn make_id(raw: &str, fallback: &str, taken: &[String]) -> String {
    let mut out = String::new();
    for c in raw.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    let mut id = match out.chars().next() {
        None => fallback.to_string(),
        Some(c) if c.is_ascii_digit() => format!("{fallback}_{out}"),
        Some(_) => out,
    };
    if KEYWORDS.contains(&id.as_str()) {
        id = format!("{id}_{fallback}");
    }
    if !taken.contains(&id) {
        return id;
    }
    (2..).map(|n| format!("{id}_{n}")).find(|c| !taken.contains(c)).unwrap_or(id)
}

/// `Some(raw)` when the readable text differs from the id made from it.
fn readable(raw: &str, id: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty() && raw != id).then(|| raw.to_string())
}

// ---------------------------------------------------------------------------
// Building scenarios

/// An actor as read, before the scenario is assembled.
struct RawActor {
    /// The name as written, which references use.
    key: String,
    name: Option<String>,
    description: Option<String>,
    /// One capability for all issues (KTAB, one-issue tables).
    capability: Option<f64>,
    stances: Vec<RawStance>,
    span: Span,
}

struct RawStance {
    issue: usize,
    position: f64,
    salience: f64,
    power: f64,
}

struct RawIssue {
    key: String,
    name: Option<String>,
    description: Option<String>,
    min: f64,
    max: f64,
}

/// Assembles the scenario and power table; ids are made from the keys.
fn assemble(
    name: String,
    description: Option<String>,
    source: String,
    issues: Vec<RawIssue>,
    actors: Vec<RawActor>,
    format: TableFormat,
    diags: &mut Vec<Diagnostic>,
) -> StakeholderTable {
    let mut issue_ids: Vec<String> = Vec::new();
    let mut scenario_issues = Vec::new();
    for raw in &issues {
        let id = make_id(&raw.key, "issue", &issue_ids);
        issue_ids.push(id.clone());
        scenario_issues.push(Issue {
            name: raw.name.clone().or_else(|| readable(&raw.key, &id)),
            id,
            description: raw.description.clone(),
            source: None,
            domain: Domain::Continuous { min: raw.min, max: raw.max, unit: None },
            condition: None,
        });
    }
    let mut actor_ids: Vec<String> = Vec::new();
    let mut scenario_actors = Vec::new();
    let mut power = Vec::new();
    for raw in actors {
        let id = make_id(&raw.key, "actor", &actor_ids);
        actor_ids.push(id.clone());
        if raw.stances.is_empty() {
            diags.push(
                Diagnostic::warning(
                    "scenario::no-stances",
                    raw.span,
                    format!("actor `{}` has no data on any issue, so it is indifferent to every outcome", raw.key),
                )
                .with_help("give the actor a position and salience on the issues it cares about, or remove it"),
            );
        }
        let mut row = vec![None; issues.len()];
        for s in &raw.stances {
            if let Some(cell) = row.get_mut(s.issue) {
                *cell = Some(s.power);
            }
        }
        let capability = raw.capability.unwrap_or_else(|| {
            if raw.stances.is_empty() {
                0.0
            } else {
                raw.stances.iter().map(|s| s.power).sum::<f64>() / raw.stances.len() as f64
            }
        });
        power.push(row);
        scenario_actors.push(Actor {
            name: raw.name.or_else(|| readable(&raw.key, &id)),
            id,
            description: raw.description,
            source: None,
            role: Role::Party,
            capability,
            reservation: Reservation::Value(0.0),
            ratifiers: Vec::new(),
            vetoes: Vec::new(),
            normalize: true,
            stances: raw
                .stances
                .iter()
                .map(|s| Stance {
                    issue: s.issue,
                    salience: s.salience,
                    value: ValueFunction::Linear { position: Value::Real(s.position) },
                    source: None,
                })
                .collect(),
            discount: 1.0,
            utility_model: UtilityModel::Additive,
            interactions: Vec::new(),
            deadline: None,
        });
    }
    let scenario = Scenario {
        name,
        description,
        source: Some(source),
        issues: scenario_issues,
        actors: scenario_actors,
        constraints: Vec::new(),
        beliefs: Vec::new(),
        status_quo: None,
        uncertain: Vec::new(),
        plans: Vec::new(),
        events: Vec::new(),
        calendar: None,
        types: Vec::new(),
        pressures: Vec::new(),
        statements: Vec::new(),
    };
    StakeholderTable { scenario, power, format }
}

// ---------------------------------------------------------------------------
// The readers

pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
}

/// A column of a header-led table: its accepted spellings (lower case).
pub(crate) struct Column {
    pub names: &'static [&'static str],
    pub required: bool,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(text: &'a str, diags: &'a mut Vec<Diagnostic>) -> Ctx<'a> {
        Ctx { text, diags }
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub(crate) fn empty(&mut self, what: &str, help: &str) {
        let end = self.text.len();
        self.push(Diagnostic::error("table::empty", Span::at(end), what.to_string()).with_help(help.to_string()));
    }

    /// A finite number in `field`, or an error naming `what`.
    pub(crate) fn number(&mut self, field: &Field, what: &str) -> Option<f64> {
        if field.text.is_empty() {
            self.push(
                Diagnostic::error("table::value", field.span, format!("{what} is missing"))
                    .with_label("empty cell")
                    .with_help(format!("write the {what} as a number")),
            );
            return None;
        }
        match field.text.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                let hint = if field.text.contains(',') && field.text.replace(',', ".").parse::<f64>().is_ok() {
                    "use a dot as the decimal separator".to_string()
                } else {
                    format!("write the {what} as a number such as 50 or 0.75")
                };
                self.push(
                    Diagnostic::error(
                        "table::value",
                        field.span,
                        format!("{what} must be a number, found `{}`", field.text),
                    )
                    .with_label("not a number")
                    .with_help(hint),
                );
                None
            }
        }
    }

    /// The number in cell `i` of `record`, reporting a missing cell.
    pub(crate) fn cell_number(&mut self, record: &Record, i: usize, what: &str) -> Option<f64> {
        match record.get(i) {
            Some(f) => {
                let f = f.clone();
                self.number(&f, what)
            }
            None => {
                self.push(
                    Diagnostic::error("table::columns", record.end(), format!("the row ends before its {what}"))
                        .with_help("give every row all its columns"),
                );
                None
            }
        }
    }

    /// `value` must lie in `lo..=hi`; `code` is the diagnostic to use.
    pub(crate) fn in_range(
        &mut self,
        value: f64,
        field: &Field,
        (lo, hi): (f64, f64),
        what: &str,
        code: &'static str,
        help: &str,
    ) -> bool {
        if lo <= value && value <= hi {
            return true;
        }
        self.push(
            Diagnostic::error(
                code,
                field.span,
                if hi.is_finite() {
                    format!("{what} {value} lies outside {lo}–{hi}")
                } else {
                    format!("{what} {value} is below {lo}")
                },
            )
            .with_label("out of range")
            .with_help(help.to_string()),
        );
        false
    }

    fn columns(&mut self, record: &Record, expected: usize, what: &str, help: &str) -> bool {
        if record.fields.len() >= expected {
            return true;
        }
        let found = record.fields.len();
        self.push(
            Diagnostic::error(
                "table::columns",
                record.span,
                format!("{what} has {found} column{} where {expected} are needed", if found == 1 { "" } else { "s" }),
            )
            .with_label(format!("{found} of {expected} columns"))
            .with_help(help.to_string()),
        );
        false
    }

    /// Matches a header record against `wanted`; `None` when a required
    /// column is missing or a column is unknown (both reported).
    pub(crate) fn header(&mut self, header: &Record, wanted: &[Column], layout: &str) -> Option<Vec<Option<usize>>> {
        self.header_with(header, wanted, layout, false)
    }

    /// As [`Ctx::header`]; with `allow_unknown`, columns not in `wanted` are
    /// ignored rather than reported.
    pub(crate) fn header_with(
        &mut self,
        header: &Record,
        wanted: &[Column],
        layout: &str,
        allow_unknown: bool,
    ) -> Option<Vec<Option<usize>>> {
        let mut found: Vec<Option<usize>> = vec![None; wanted.len()];
        let mut ok = true;
        for (i, field) in header.fields.iter().enumerate() {
            let name = field.text.to_ascii_lowercase();
            match wanted.iter().position(|c| c.names.contains(&name.as_str())) {
                Some(k) if found[k].is_none() => found[k] = Some(i),
                Some(_) => {
                    ok = false;
                    self.push(
                        Diagnostic::error(
                            "scenario::duplicate",
                            field.span,
                            format!("column `{}` appears twice", field.text),
                        )
                        .with_label("repeated column")
                        .with_help("keep one column of each kind"),
                    );
                }
                None if allow_unknown => {}
                None => {
                    ok = false;
                    let all: Vec<&str> = wanted.iter().flat_map(|c| c.names.iter().copied()).collect();
                    let help = match did_you_mean(&name, &all) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("the columns of {layout} are: {}", all.join(", ")),
                    };
                    self.push(
                        Diagnostic::error("table::header", field.span, format!("unknown column `{}`", field.text))
                            .with_label("not a column of this layout")
                            .with_help(help),
                    );
                }
            }
        }
        for (k, c) in wanted.iter().enumerate() {
            if c.required && found[k].is_none() {
                ok = false;
                self.push(
                    Diagnostic::error(
                        "table::header",
                        header.span,
                        format!("the header has no `{}` column", c.names[0]),
                    )
                    .with_label("header")
                    .with_help(format!(
                        "the first line must name the columns; {layout} needs `{}`{}",
                        c.names[0],
                        if c.names.len() > 1 { format!(" (or {})", c.names[1..].join(", ")) } else { String::new() }
                    )),
                );
            }
        }
        ok.then_some(found)
    }

    // -- decide-exchange-model ------------------------------------------------

    fn decide(&mut self, stem: &str) -> Option<StakeholderTable> {
        let first = first_line(self.text);
        let delimiter = guess_delimiter(first);
        let quote = if first.starts_with('"') { b'"' } else { b'\'' };
        let records = read_records(self.text, delimiter, quote);
        if records.is_empty() {
            self.empty("the file has no records", "write `'#A'` actor, `'#P'` issue and `'#D'` data records");
            return None;
        }
        let mut actors: Vec<RawActor> = Vec::new();
        let mut issues: Vec<RawIssue> = Vec::new();
        let mut issue_spans: Vec<Span> = Vec::new();
        let mut scale: Vec<Vec<(f64, Span)>> = Vec::new();
        let mut marks: Vec<&Record> = Vec::new();
        let mut data: Vec<&Record> = Vec::new();
        let mut ok = true;
        for record in &records {
            let key = record.text(0).trim_matches(['\'', '"']).to_string();
            match key.as_str() {
                "#A" => {
                    if !self.columns(record, 2, "an `#A` record", "write `'#A'  id  full-name  comment`") {
                        ok = false;
                        continue;
                    }
                    let id = record.fields[1].clone();
                    if let Some(prev) = actors.iter().find(|a| a.key == id.text) {
                        ok = false;
                        let prev = prev.span;
                        self.push(
                            Diagnostic::error(
                                "scenario::duplicate",
                                id.span,
                                format!("actor `{}` is declared twice", id.text),
                            )
                            .with_label("second declaration")
                            .with_secondary(prev, "first declared here")
                            .with_help("remove one of the `#A` records"),
                        );
                        continue;
                    }
                    let full = record.text(2);
                    let comment = record.text(3);
                    actors.push(RawActor {
                        key: id.text.clone(),
                        name: (!full.is_empty() && full != id.text).then(|| full.to_string()),
                        description: (!comment.is_empty()).then(|| comment.to_string()),
                        capability: None,
                        stances: Vec::new(),
                        span: id.span,
                    });
                }
                "#P" => {
                    if !self.columns(record, 2, "a `#P` record", "write `'#P'  id  name  description`") {
                        ok = false;
                        continue;
                    }
                    let id = record.fields[1].clone();
                    if let Some(k) = issues.iter().position(|i| i.key == id.text) {
                        ok = false;
                        self.push(
                            Diagnostic::error(
                                "scenario::duplicate",
                                id.span,
                                format!("issue `{}` is declared twice", id.text),
                            )
                            .with_label("second declaration")
                            .with_secondary(issue_spans[k], "first declared here")
                            .with_help("remove one of the `#P` records"),
                        );
                        continue;
                    }
                    let name = record.text(2);
                    let description = record.text(3);
                    issues.push(RawIssue {
                        key: id.text.clone(),
                        name: (!name.is_empty() && name != id.text).then(|| name.to_string()),
                        description: (!description.is_empty() && description != name && description != id.text)
                            .then(|| description.to_string()),
                        min: 0.0,
                        max: 100.0,
                    });
                    issue_spans.push(id.span);
                    scale.push(Vec::new());
                }
                "#M" => marks.push(record),
                "#D" => data.push(record),
                "#/" | "#O" => {}
                _ => {
                    ok = false;
                    let span = record.get(0).map_or(record.span, |f| f.span);
                    self.push(
                        Diagnostic::error("table::record", span, format!("unknown record type `{key}`"))
                            .with_label("not a record type")
                            .with_help(
                                "records start with `'#A'` (actor), `'#P'` (issue), `'#M'` (scale point), \
                                 `'#D'` (data) or `'#/'` (comment)",
                            ),
                    );
                }
            }
        }
        let issue_keys: Vec<String> = issues.iter().map(|i| i.key.clone()).collect();
        for record in marks {
            if !self.columns(record, 3, "an `#M` record", "write `'#M'  issue  position  meaning`") {
                ok = false;
                continue;
            }
            let Some(issue) = self.reference(&record.fields[1], &issue_keys, "scenario::unknown-issue", "issue", "#P")
            else {
                ok = false;
                continue;
            };
            match self.number(&record.fields[2].clone(), "scale point") {
                Some(v) => scale[issue].push((v, record.fields[2].span)),
                None => ok = false,
            }
        }
        for (k, points) in scale.iter().enumerate() {
            if points.is_empty() {
                continue;
            }
            let lo = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
            let hi = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
            if lo < hi {
                issues[k].min = lo;
                issues[k].max = hi;
            } else {
                ok = false;
                self.push(
                    Diagnostic::error(
                        "scenario::invalid-range",
                        points[0].1,
                        format!("issue `{}` has one scale point ({lo}), so its scale has no width", issues[k].key),
                    )
                    .with_label("only scale point")
                    .with_help("give two `#M` records, one for each end of the scale (without any, it is 0–100)"),
                );
            }
        }
        let actor_keys: Vec<String> = actors.iter().map(|a| a.key.clone()).collect();
        let mut seen: Vec<(usize, usize, Span)> = Vec::new();
        for record in data {
            if !self.columns(
                record,
                6,
                "a `#D` record",
                "write `'#D'  actor  issue  position  salience  power` (salience and power 0–1)",
            ) {
                ok = false;
                continue;
            }
            let f = &record.fields;
            let actor = self.reference(&f[1], &actor_keys, "scenario::unknown-actor", "actor", "#A");
            let issue = self.reference(&f[2], &issue_keys, "scenario::unknown-issue", "issue", "#P");
            let position = self.number(&f[3], "position");
            let salience = self.number(&f[4], "salience");
            let power = self.number(&f[5], "power");
            let (Some(actor), Some(issue), Some(position), Some(salience), Some(power)) =
                (actor, issue, position, salience, power)
            else {
                ok = false;
                continue;
            };
            let (lo, hi) = (issues[issue].min, issues[issue].max);
            let mut good = self.in_range(
                position,
                &f[3],
                (lo, hi),
                "position",
                "scenario::out-of-range",
                &format!("positions on `{}` lie on its scale, {lo}–{hi} (set by its `#M` records)", issues[issue].key),
            );
            good &= self.in_range(
                salience,
                &f[4],
                (0.0, 1.0),
                "salience",
                "scenario::salience-range",
                "decide-exchange-model saliences lie between 0 and 1",
            );
            good &= self.in_range(
                power,
                &f[5],
                (0.0, 1.0),
                "power",
                "scenario::out-of-range",
                "decide-exchange-model power lies between 0 and 1",
            );
            if let Some(&(_, _, first)) = seen.iter().find(|(a, i, _)| *a == actor && *i == issue) {
                good = false;
                self.push(
                    Diagnostic::error(
                        "scenario::duplicate",
                        record.span,
                        format!("actor `{}` has two `#D` records for issue `{}`", actor_keys[actor], issue_keys[issue]),
                    )
                    .with_label("second record")
                    .with_secondary(first, "first record")
                    .with_help("keep one record per actor and issue"),
                );
            }
            seen.push((actor, issue, record.span));
            if !good {
                ok = false;
                continue;
            }
            actors[actor].stances.push(RawStance { issue, position, salience, power });
        }
        if actors.is_empty() {
            self.empty("the file declares no actors", "declare each actor with an `'#A'  id  name` record");
            return None;
        }
        if issues.is_empty() {
            self.empty("the file declares no issues", "declare each issue with a `'#P'  id  name` record");
            return None;
        }
        if !ok {
            return None;
        }
        let source = format!("decide-exchange-model table {stem}");
        Some(assemble(stem.to_string(), None, source, issues, actors, TableFormat::Decide, self.diags))
    }

    /// Resolves a reference by its written name.
    fn reference(
        &mut self,
        field: &Field,
        keys: &[String],
        code: &'static str,
        kind: &str,
        record: &str,
    ) -> Option<usize> {
        if let Some(i) = keys.iter().position(|k| *k == field.text) {
            return Some(i);
        }
        let names: Vec<&str> = keys.iter().map(String::as_str).collect();
        let help = match did_you_mean(&field.text, &names) {
            Some(c) => format!("did you mean `{c}`?"),
            None if names.is_empty() => format!("declare the {kind} with a `'{record}'` record"),
            None => format!("declare it with a `'{record}'` record; {kind}s are: {}", names.join(", ")),
        };
        self.push(
            Diagnostic::error(code, field.span, format!("no {kind} is named `{}`", field.text))
                .with_label(format!("unknown {kind}"))
                .with_help(help),
        );
        None
    }

    // -- KTAB -----------------------------------------------------------------

    fn ktab(&mut self, stem: &str) -> Option<StakeholderTable> {
        let mut records = read_records(self.text, b',', b'"');
        for r in &mut records {
            r.trim_trailing_empty();
        }
        let mut rows = records.into_iter();
        let Some(first) = rows.next() else {
            self.empty("the file has no lines", "start with the scenario line `name,description,numActors,numDims`");
            return None;
        };
        if !self.columns(
            &first,
            4,
            "the scenario line",
            "KTAB's first line is `name,description,numActors,numDims` (numbers of actors and dimensions)",
        ) {
            return None;
        }
        let count = |ctx: &mut Self, f: &Field, what: &str| -> Option<usize> {
            match f.text.parse::<usize>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    ctx.push(
                        Diagnostic::error(
                            "table::value",
                            f.span,
                            format!("the number of {what} must be a whole number above 0, found `{}`", f.text),
                        )
                        .with_label("not a count")
                        .with_help("KTAB's first line is `name,description,numActors,numDims`"),
                    );
                    None
                }
            }
        };
        let n_actors = count(self, &first.fields[2], "actors");
        let n_dims = count(self, &first.fields[3], "dimensions");
        let (Some(n_actors), Some(n_dims)) = (n_actors, n_dims) else {
            return None;
        };
        let Some(header) = rows.next() else {
            self.empty(
                "the file has no header line",
                "the second line names the columns: `Actor,Description,Power,Pos1,Sal1,…`",
            );
            return None;
        };
        let width = 3 + 2 * n_dims;
        if header.get(2).is_some_and(|f| f.text.parse::<f64>().is_ok()) {
            self.push(
                Diagnostic::error("table::header", header.span, "the second line must name the columns")
                    .with_label("data, not a header")
                    .with_help("insert the header `Actor,Description,Power,Pos1,Sal1,…` after the scenario line"),
            );
            return None;
        }
        if header.fields.len() != width {
            self.push(
                Diagnostic::error(
                    "table::header",
                    header.span,
                    format!(
                        "the header has {} columns, but {n_dims} dimension{} need {width}",
                        header.fields.len(),
                        if n_dims == 1 { "" } else { "s" }
                    ),
                )
                .with_label("header")
                .with_help("name `Actor,Description,Power` and then a position and a salience column per dimension"),
            );
            return None;
        }
        let mut issues = Vec::new();
        for d in 0..n_dims {
            let title = &header.fields[3 + 2 * d].text;
            let lower = title.to_ascii_lowercase();
            let base = if lower.ends_with("position") { title[..title.len() - "position".len()].trim() } else { title };
            let base = if base.is_empty() { format!("dim{}", d + 1) } else { base.to_string() };
            issues.push(RawIssue { key: base, name: None, description: None, min: 0.0, max: 100.0 });
        }
        let mut actors: Vec<RawActor> = Vec::new();
        let mut ok = true;
        let mut n_rows = 0;
        for row in rows {
            n_rows += 1;
            if row.fields.len() != width {
                ok = false;
                let found = row.fields.len();
                self.push(
                    Diagnostic::error(
                        "table::columns",
                        row.span,
                        format!("the row has {found} column{} where {width} are needed", if found == 1 { "" } else { "s" }),
                    )
                    .with_label(format!("{found} of {width} columns"))
                    .with_help(format!(
                        "each actor line is name, description, capability and a position and salience for each of the {n_dims} dimensions"
                    )),
                );
                continue;
            }
            let f = &row.fields;
            let capability = self.number(&f[2], "capability");
            let mut good = capability.is_some();
            if let Some(c) = capability {
                good &= self.in_range(
                    c,
                    &f[2],
                    (0.0, f64::INFINITY),
                    "capability",
                    "scenario::out-of-range",
                    "capabilities are 0 or more",
                );
            }
            let mut stances = Vec::new();
            for d in 0..n_dims {
                let (pf, sf) = (&f[3 + 2 * d], &f[4 + 2 * d]);
                let position = self.number(pf, "position");
                let salience = self.number(sf, "salience");
                let (Some(position), Some(salience)) = (position, salience) else {
                    good = false;
                    continue;
                };
                good &= self.in_range(
                    position,
                    pf,
                    (0.0, 100.0),
                    "position",
                    "scenario::out-of-range",
                    "KTAB positions lie on 0–100",
                );
                good &= self.in_range(
                    salience,
                    sf,
                    (0.0, 100.0),
                    "salience",
                    "scenario::salience-range",
                    "KTAB saliences lie on 0–100",
                );
                let salience = percent_of(&sf.text, salience);
                stances.push(RawStance { issue: d, position, salience, power: capability.unwrap_or(0.0) });
            }
            if let Some(prev) = actors.iter().find(|a| a.key == f[0].text) {
                good = false;
                let prev = prev.span;
                self.push(
                    Diagnostic::error("scenario::duplicate", f[0].span, format!("actor `{}` appears twice", f[0].text))
                        .with_label("second row")
                        .with_secondary(prev, "first row")
                        .with_help("give each actor one line"),
                );
            }
            if f[0].text.is_empty() {
                good = false;
                self.push(
                    Diagnostic::error("table::value", f[0].span, "the actor has no name")
                        .with_label("empty name")
                        .with_help("name every actor in the first column"),
                );
            }
            if !good {
                ok = false;
                continue;
            }
            actors.push(RawActor {
                key: f[0].text.clone(),
                name: None,
                description: (!f[1].text.is_empty()).then(|| f[1].text.clone()),
                capability,
                stances,
                span: f[0].span,
            });
        }
        if n_rows == 0 {
            self.empty("the table has no actors", "add one line per actor after the header");
            return None;
        }
        if n_rows != n_actors {
            self.push(
                Diagnostic::warning(
                    "table::count",
                    first.fields[2].span,
                    format!("the scenario line declares {n_actors} actors, but {n_rows} actor lines follow"),
                )
                .with_label("declared count")
                .with_help(format!("set numActors to {n_rows}; every actor line is read")),
            );
        }
        if !ok {
            return None;
        }
        let name = if first.fields[0].text.is_empty() { stem.to_string() } else { first.fields[0].text.clone() };
        let description = (!first.fields[1].text.is_empty()).then(|| first.fields[1].text.clone());
        let source = format!("KTAB table {stem}");
        Some(assemble(name, description, source, issues, actors, TableFormat::Ktab, self.diags))
    }

    // -- one-issue tables -----------------------------------------------------

    fn bdm(&mut self, stem: &str) -> Option<StakeholderTable> {
        const COLUMNS: &[Column] = &[
            Column { names: &["actor", "stakeholder", "name", "player"], required: true },
            Column { names: &["capability", "resources", "power", "influence", "clout"], required: true },
            Column { names: &["position"], required: true },
            Column { names: &["salience", "importance"], required: true },
        ];
        let first = first_line(self.text);
        let records = read_records(self.text, guess_delimiter(first), b'"');
        let Some((header, rows)) = records.split_first() else {
            self.empty("the file has no lines", "start with the header `actor,capability,position,salience`");
            return None;
        };
        let cols = self.header(header, COLUMNS, "a one-issue table")?;
        let [Some(c_actor), Some(c_cap), Some(c_pos), Some(c_sal)] = cols[..] else {
            return None;
        };
        if rows.is_empty() {
            self.empty("the table has no actors", "add one line per actor after the header");
            return None;
        }
        let width = header.fields.len();
        let mut ok = true;
        let mut parsed: Vec<(&Record, f64, f64, f64)> = Vec::new();
        for row in rows {
            if row.fields.len() != width {
                ok = false;
                self.wrong_width(row, width, "the header");
                continue;
            }
            let capability = self.cell_number(row, c_cap, "capability");
            let position = self.cell_number(row, c_pos, "position");
            let salience = self.cell_number(row, c_sal, "salience");
            let (Some(capability), Some(position), Some(salience)) = (capability, position, salience) else {
                ok = false;
                continue;
            };
            ok &= self.in_range(
                capability,
                &row.fields[c_cap],
                (0.0, f64::INFINITY),
                "capability",
                "scenario::out-of-range",
                "capabilities are 0 or more",
            );
            ok &= self.in_range(
                salience,
                &row.fields[c_sal],
                (0.0, 100.0),
                "salience",
                "scenario::salience-range",
                "saliences lie on 0–1 or, when some exceed 1, on 0–100",
            );
            parsed.push((row, capability, position, salience));
        }
        // Saliences are on 0–1 unless some exceed 1, then on 0–100.
        let percent = parsed.iter().any(|p| p.3 > 1.0);
        let mut actors: Vec<RawActor> = Vec::new();
        for &(row, capability, position, salience) in &parsed {
            let key = &row.fields[c_actor];
            if key.text.is_empty() {
                ok = false;
                self.push(
                    Diagnostic::error("table::value", key.span, "the actor has no name")
                        .with_label("empty name")
                        .with_help("name every actor"),
                );
                continue;
            }
            if let Some(prev) = actors.iter().find(|a| a.key == key.text) {
                ok = false;
                let prev = prev.span;
                self.push(
                    Diagnostic::error("scenario::duplicate", key.span, format!("actor `{}` appears twice", key.text))
                        .with_label("second row")
                        .with_secondary(prev, "first row")
                        .with_help("give each actor one line"),
                );
                continue;
            }
            let salience = if percent { percent_of(&row.fields[c_sal].text, salience) } else { salience };
            actors.push(RawActor {
                key: key.text.clone(),
                name: None,
                description: None,
                capability: Some(capability),
                stances: vec![RawStance { issue: 0, position, salience, power: capability }],
                span: key.span,
            });
        }
        if !ok {
            return None;
        }
        let lo = parsed.iter().map(|p| p.2).fold(f64::INFINITY, f64::min);
        let hi = parsed.iter().map(|p| p.2).fold(f64::NEG_INFINITY, f64::max);
        // One position only: a scale of width 2 around it.
        let (min, max) = if lo < hi { (lo, hi) } else { (lo - 1.0, hi + 1.0) };
        let issue = RawIssue {
            key: "issue".to_string(),
            name: Some(stem.to_string()),
            description: Some(header.fields[c_pos].text.clone()).filter(|t| !t.eq_ignore_ascii_case("position")),
            min,
            max,
        };
        let source = format!("one-issue table {stem}");
        Some(assemble(stem.to_string(), None, source, vec![issue], actors, TableFormat::Bdm, self.diags))
    }

    pub(crate) fn wrong_width(&mut self, row: &Record, width: usize, against: &str) {
        let found = row.fields.len();
        self.push(
            Diagnostic::error(
                "table::columns",
                row.span,
                format!("the row has {found} column{} but {against} has {width}", if found == 1 { "" } else { "s" }),
            )
            .with_label(format!("{found} of {width} columns"))
            .with_help("give every row one cell per header column; quote cells that contain the delimiter"),
        );
    }

    // -- plain ----------------------------------------------------------------

    fn plain(&mut self, stem: &str) -> Option<StakeholderTable> {
        const COLUMNS: &[Column] = &[
            Column { names: &["actor"], required: true },
            Column { names: &["issue"], required: true },
            Column { names: &["position"], required: true },
            Column { names: &["salience"], required: true },
            Column { names: &["capability"], required: true },
            Column { names: &["min"], required: false },
            Column { names: &["max"], required: false },
        ];
        let first = first_line(self.text);
        let records = read_records(self.text, guess_delimiter(first), b'"');
        let Some((header, rows)) = records.split_first() else {
            self.empty("the file has no lines", "start with the header `actor,issue,position,salience,capability`");
            return None;
        };
        let cols = self.header(header, COLUMNS, "the plain table")?;
        let [Some(c_actor), Some(c_issue), Some(c_pos), Some(c_sal), Some(c_cap), c_min, c_max] = cols[..] else {
            return None;
        };
        if rows.is_empty() {
            self.empty("the table has no rows", "add one row per actor and issue after the header");
            return None;
        }
        let width = header.fields.len();
        let mut ok = true;
        let mut issues: Vec<RawIssue> = Vec::new();
        // Where each issue's scale was set: (min span, max span).
        let mut scale_at: Vec<(Option<Span>, Option<Span>)> = Vec::new();
        let mut actors: Vec<RawActor> = Vec::new();
        let mut cells: Vec<(usize, usize, f64, f64, f64, &Record)> = Vec::new();
        for row in rows {
            if row.fields.len() != width {
                ok = false;
                self.wrong_width(row, width, "the header");
                continue;
            }
            let (actor_f, issue_f) = (&row.fields[c_actor], &row.fields[c_issue]);
            let mut good = true;
            for (f, what) in [(actor_f, "actor"), (issue_f, "issue")] {
                if f.text.is_empty() {
                    good = false;
                    self.push(
                        Diagnostic::error("table::value", f.span, format!("the {what} is missing"))
                            .with_label("empty cell")
                            .with_help(format!("name the {what} on every row")),
                    );
                }
            }
            let position = self.cell_number(row, c_pos, "position");
            let salience = self.cell_number(row, c_sal, "salience");
            let capability = self.cell_number(row, c_cap, "capability");
            let (Some(position), Some(salience), Some(capability)) = (position, salience, capability) else {
                ok = false;
                continue;
            };
            good &= self.in_range(
                salience,
                &row.fields[c_sal],
                (0.0, 1.0),
                "salience",
                "scenario::salience-range",
                "saliences lie between 0 and 1",
            );
            good &= self.in_range(
                capability,
                &row.fields[c_cap],
                (0.0, f64::INFINITY),
                "capability",
                "scenario::out-of-range",
                "capabilities are 0 or more",
            );
            if !good {
                ok = false;
                continue;
            }
            let issue = match issues.iter().position(|i| i.key == issue_f.text) {
                Some(i) => i,
                None => {
                    issues.push(RawIssue {
                        key: issue_f.text.clone(),
                        name: None,
                        description: None,
                        min: 0.0,
                        max: 100.0,
                    });
                    scale_at.push((None, None));
                    issues.len() - 1
                }
            };
            for (col, is_min) in [(c_min, true), (c_max, false)] {
                let Some(c) = col else { continue };
                let f = &row.fields[c];
                if f.text.is_empty() {
                    continue;
                }
                let Some(v) = self.number(f, if is_min { "scale minimum" } else { "scale maximum" }) else {
                    ok = false;
                    continue;
                };
                let (slot, current) = if is_min {
                    (&mut scale_at[issue].0, &mut issues[issue].min)
                } else {
                    (&mut scale_at[issue].1, &mut issues[issue].max)
                };
                match *slot {
                    Some(prev) if *current != v => {
                        ok = false;
                        let end = if is_min { "minimum" } else { "maximum" };
                        let d = Diagnostic::error(
                            "scenario::invalid-range",
                            f.span,
                            format!("issue `{}` was given the {end} {current} before, and {v} here", issue_f.text),
                        )
                        .with_label("conflicting scale end")
                        .with_secondary(prev, "set here")
                        .with_help("give an issue's scale once, or the same on every row");
                        self.push(d);
                    }
                    Some(_) => {}
                    None => {
                        *slot = Some(f.span);
                        *current = v;
                    }
                }
            }
            let actor = match actors.iter().position(|a| a.key == actor_f.text) {
                Some(a) => a,
                None => {
                    actors.push(RawActor {
                        key: actor_f.text.clone(),
                        name: None,
                        description: None,
                        capability: None,
                        stances: Vec::new(),
                        span: actor_f.span,
                    });
                    actors.len() - 1
                }
            };
            if let Some(&(.., prev)) = cells.iter().find(|c| c.0 == actor && c.1 == issue) {
                ok = false;
                self.push(
                    Diagnostic::error(
                        "scenario::duplicate",
                        row.span,
                        format!("actor `{}` has two rows for issue `{}`", actor_f.text, issue_f.text),
                    )
                    .with_label("second row")
                    .with_secondary(prev.span, "first row")
                    .with_help("keep one row per actor and issue"),
                );
                continue;
            }
            cells.push((actor, issue, position, salience, capability, row));
        }
        for (k, issue) in issues.iter().enumerate() {
            if issue.min >= issue.max {
                ok = false;
                let span = scale_at[k].0.or(scale_at[k].1).unwrap_or(header.span);
                self.push(
                    Diagnostic::error(
                        "scenario::invalid-range",
                        span,
                        format!(
                            "issue `{}` has the scale {}–{}, whose minimum is not below its maximum",
                            issue.key, issue.min, issue.max
                        ),
                    )
                    .with_label("scale")
                    .with_help("give the issue a `min` below its `max` (without either, the scale is 0–100)"),
                );
            }
        }
        if !ok {
            return None;
        }
        for &(actor, issue, position, salience, power, row) in &cells {
            let (lo, hi) = (issues[issue].min, issues[issue].max);
            let help = format!(
                "positions on `{}` lie on its scale, {lo}–{hi}; widen it with the `min` and `max` columns",
                issues[issue].key
            );
            if self.in_range(position, &row.fields[c_pos], (lo, hi), "position", "scenario::out-of-range", &help) {
                actors[actor].stances.push(RawStance { issue, position, salience, power });
            } else {
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let source = format!("plain stakeholder table {stem}");
        Some(assemble(stem.to_string(), None, source, issues, actors, TableFormat::Plain, self.diags))
    }
}

// ---------------------------------------------------------------------------
// JSON case collections

struct Json<'a> {
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

fn entries(node: &Node) -> Option<&[(Key, Node)]> {
    match &node.kind {
        NodeKind::Table(e) => Some(e),
        _ => None,
    }
}

fn field<'n>(entries: &'n [(Key, Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}

impl Json<'_> {
    fn wrong(&mut self, node: &Node, what: &str, expected: &str) {
        self.diags.push(
            Diagnostic::error(
                "scenario::wrong-type",
                node.span,
                format!("{what} must be {expected}, found {}", node.kind.type_name()),
            )
            .with_label(format!("expected {expected}"))
            .with_help(format!("write {what} as {expected}")),
        );
    }

    fn missing(&mut self, span: Span, what: &str, key: &str, help: &str) {
        self.diags.push(
            Diagnostic::error("scenario::missing-field", span, format!("{what} has no `{key}`"))
                .with_label(format!("no `{key}`"))
                .with_help(help.to_string()),
        );
    }

    fn table<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Key, Node)]> {
        let e = entries(node);
        if e.is_none() {
            self.wrong(node, what, "an object");
        }
        e
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Str(s) => Some(s.clone()),
            _ => {
                self.wrong(node, what, "a string");
                None
            }
        }
    }

    fn opt_string(&mut self, e: &[(Key, Node)], key: &str) -> Option<String> {
        field(e, key).and_then(|n| match n.kind {
            NodeKind::Null => None,
            _ => self.string(n, &format!("`{key}`")),
        })
    }

    fn number(&mut self, node: &Node, what: &str) -> Option<f64> {
        match node.kind {
            NodeKind::Int(i) => Some(i as f64),
            NodeKind::Float(f) if f.is_finite() => Some(f),
            _ => {
                self.wrong(node, what, "a number");
                None
            }
        }
    }

    fn percent(&mut self, node: &Node, what: &str, code: &'static str) -> Option<f64> {
        let v = self.number(node, what)?;
        if (0.0..=100.0).contains(&v) {
            return Some(v);
        }
        self.diags.push(
            Diagnostic::error(code, node.span, format!("{what} {v} lies outside 0–100"))
                .with_label("out of range")
                .with_help("case positions, saliences and outcomes lie on 0–100"),
        );
        None
    }

    fn collection(&mut self, root: &Node) -> Option<CaseCollection> {
        let top = self.table(root, "the document")?;
        let version = self.opt_string(top, "library_version");
        let Some(cases) = field(top, "cases") else {
            self.missing(root.span, "the document", "cases", "list the cases in a `\"cases\": [...]` array");
            return None;
        };
        let NodeKind::Array(items) = &cases.kind else {
            self.wrong(cases, "`cases`", "an array");
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        let mut ids: Vec<(String, Span)> = Vec::new();
        for item in items {
            match self.case(item, &ids) {
                Some((case, span)) => {
                    ids.push((case.id.clone(), span));
                    out.push(case);
                }
                None => ok = false,
            }
        }
        if out.is_empty() && ok {
            self.diags.push(
                Diagnostic::error("table::empty", cases.span, "the collection has no cases")
                    .with_help("add at least one case to `cases`"),
            );
            return None;
        }
        ok.then_some(CaseCollection { version, cases: out })
    }

    fn case(&mut self, node: &Node, before: &[(String, Span)]) -> Option<(Case, Span)> {
        let e = self.table(node, "a case")?;
        let Some(id_node) = field(e, "case_id") else {
            self.missing(node.span, "a case", "case_id", "give every case a `case_id`");
            return None;
        };
        let id = self.string(id_node, "`case_id`")?;
        if let Some((_, prev)) = before.iter().find(|(b, _)| *b == id) {
            self.diags.push(
                Diagnostic::error("scenario::duplicate", id_node.span, format!("case `{id}` appears twice"))
                    .with_label("second case")
                    .with_secondary(*prev, "first case")
                    .with_help("give every case its own `case_id`"),
            );
            return None;
        }
        let title = self.opt_string(e, "title");
        let source = self.opt_string(e, "source");
        let mut ok = true;
        let (mut label, mut anchors) = (None, Vec::new());
        if let Some(c) = field(e, "continuum") {
            if let Some(ce) = self.table(c, "`continuum`") {
                label = self.opt_string(ce, "label");
                for key in ["anchor_0", "anchor_100"] {
                    if let Some(a) = self.opt_string(ce, key) {
                        anchors.push(format!("{}: {a}", &key["anchor_".len()..]));
                    }
                }
            } else {
                ok = false;
            }
        }
        let published_forecast = match field(e, "published_model_forecast") {
            Some(p) => match self.table(p, "`published_model_forecast`") {
                Some(pe) => {
                    let model = self.opt_string(pe, "model");
                    let note = self.opt_string(pe, "value_note");
                    match (model, note) {
                        (Some(m), Some(n)) => Some(format!("{m}: {n}")),
                        (m, n) => m.or(n),
                    }
                }
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let Some(actors_node) = field(e, "actors") else {
            self.missing(
                node.span,
                &format!("case `{id}`"),
                "actors",
                "list the actors with position, capability and salience",
            );
            return None;
        };
        let NodeKind::Array(items) = &actors_node.kind else {
            self.wrong(actors_node, "`actors`", "an array");
            return None;
        };
        let mut actors: Vec<RawActor> = Vec::new();
        for item in items {
            let Some(ae) = self.table(item, "an actor") else {
                ok = false;
                continue;
            };
            let key = match field(ae, "id") {
                Some(n) => self.string(n, "`id`"),
                None => {
                    self.missing(item.span, "an actor", "id", "give every actor an `id`");
                    None
                }
            };
            let name = self.opt_string(ae, "name");
            let get = |ctx: &mut Self, k: &str, code: &'static str| match field(ae, k) {
                Some(n) => ctx.percent(n, &format!("`{k}`"), code),
                None => {
                    ctx.missing(
                        item.span,
                        "an actor",
                        k,
                        "give every actor a position, capability and salience (0–100)",
                    );
                    None
                }
            };
            let position = get(self, "position", "scenario::out-of-range");
            let capability = get(self, "capability", "scenario::out-of-range");
            let salience = get(self, "salience", "scenario::salience-range");
            let (Some(key), Some(position), Some(capability), Some(salience)) = (key, position, capability, salience)
            else {
                ok = false;
                continue;
            };
            let span = field(ae, "id").map_or(item.span, |n| n.span);
            let written = field(ae, "salience").and_then(|n| self.text.get(n.span.range())).unwrap_or("");
            let fraction = percent_of(written.trim(), salience);
            if let Some(prev) = actors.iter().find(|a| a.key == key) {
                ok = false;
                let prev = prev.span;
                self.diags.push(
                    Diagnostic::error(
                        "scenario::duplicate",
                        span,
                        format!("actor `{key}` appears twice in case `{id}`"),
                    )
                    .with_label("second actor")
                    .with_secondary(prev, "first actor")
                    .with_help("give every actor of a case its own `id`"),
                );
                continue;
            }
            actors.push(RawActor {
                key,
                name,
                description: None,
                capability: Some(capability),
                stances: vec![RawStance { issue: 0, position, salience: fraction, power: capability }],
                span,
            });
        }
        let mut outcomes = Vec::new();
        if let Some(o) = field(e, "outcomes") {
            match self.table(o, "`outcomes`") {
                Some(oe) => {
                    for (k, v) in oe {
                        match self.outcome(k, v) {
                            Some(x) => outcomes.push(x),
                            None => ok = false,
                        }
                    }
                }
                None => ok = false,
            }
        }
        if actors.is_empty() && ok {
            self.diags.push(
                Diagnostic::error("table::empty", actors_node.span, format!("case `{id}` has no actors"))
                    .with_help("list the actors with position, capability and salience"),
            );
            return None;
        }
        if !ok {
            return None;
        }
        let issue = RawIssue {
            key: "position".to_string(),
            name: label,
            description: (!anchors.is_empty()).then(|| anchors.join("; ")),
            min: 0.0,
            max: 100.0,
        };
        let name = title.unwrap_or_else(|| id.clone());
        let source = source.unwrap_or_else(|| format!("case {id}"));
        let table = assemble(name, None, source, vec![issue], actors, TableFormat::Plain, self.diags);
        Some((Case { id, scenario: table.scenario, outcomes, published_forecast }, id_node.span))
    }

    fn outcome(&mut self, key: &Key, node: &Node) -> Option<CodedOutcome> {
        let e = self.table(node, &format!("outcome `{}`", key.name))?;
        let Some(v) = field(e, "proposed_value") else {
            self.missing(
                node.span,
                &format!("outcome `{}`", key.name),
                "proposed_value",
                "give the coded value (0–100)",
            );
            return None;
        };
        let value = self.percent(v, "`proposed_value`", "scenario::out-of-range")?;
        let range = match field(e, "range") {
            None => None,
            Some(r) => match &r.kind {
                NodeKind::Array(items) if items.len() == 2 => {
                    let lo = self.percent(&items[0], "the range's low end", "scenario::out-of-range")?;
                    let hi = self.percent(&items[1], "the range's high end", "scenario::out-of-range")?;
                    if lo > hi {
                        self.diags.push(
                            Diagnostic::error(
                                "scenario::invalid-range",
                                r.span,
                                format!("the range {lo}–{hi} runs backwards"),
                            )
                            .with_label("low end above high end")
                            .with_help("write the range as [low, high]"),
                        );
                        return None;
                    }
                    Some((lo, hi))
                }
                _ => {
                    self.wrong(r, "`range`", "an array [low, high]");
                    return None;
                }
            },
        };
        let basis = self.opt_string(e, "basis");
        let verified = match field(e, "verified") {
            None => None,
            Some(Node { kind: NodeKind::Bool(b), .. }) => Some(*b),
            Some(n) => {
                self.wrong(n, "`verified`", "true or false");
                return None;
            }
        };
        Some(CodedOutcome { label: key.name.clone(), value, range, basis, verified })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_cell_spans() {
        // A quote opens a quoted cell only as the cell's first byte.
        let text = "a,'b c' , 'd'\r\n\r\n'x''y',2\rlast";
        let records = read_records(text, b',', b'\'');
        assert_eq!(records.len(), 3);
        let cells: Vec<(&str, &str)> =
            records[0].fields.iter().map(|f| (f.text.as_str(), &text[f.span.range()])).collect();
        assert_eq!(cells, [("a", "a"), ("b c", "'b c'"), ("'d'", "'d'")]);
        assert_eq!(&text[records[0].span.range()], "a,'b c' , 'd'");
        assert_eq!(records[1].fields[0].text, "x'y");
        assert_eq!(&text[records[1].fields[0].span.range()], "'x''y'");
        assert_eq!(&text[records[2].span.range()], "last");
    }

    #[test]
    fn ids_are_valid_and_unique() {
        let mut taken = Vec::new();
        for raw in ["EU (incl Norway)", "EU-incl-Norway", "1st", "", "and", "Côte d'Ivoire"] {
            let id = make_id(raw, "actor", &taken);
            taken.push(id);
        }
        assert_eq!(taken, ["EU_incl_Norway", "EU_incl_Norway_2", "actor_1st", "actor", "and_actor", "C_te_d_Ivoire"]);
    }

    #[test]
    fn layouts_are_detected() {
        assert_eq!(detect_table("'#A'\t'x'\t'x'\n"), Some(TableFormat::Decide));
        assert_eq!(detect_table("XYZ,  XYZ Issue,  40,  1,  \n"), Some(TableFormat::Ktab));
        assert_eq!(detect_table("actor,issue,position,salience,capability\n"), Some(TableFormat::Plain));
        assert_eq!(detect_table("Stakeholder,Resources,Position,Salience\r"), Some(TableFormat::Bdm));
        assert_eq!(detect_table("hello\n"), None);
    }
}
