//! Reading and writing scenario files.
//!
//! Every reader turns text into a [`Scenario`] plus diagnostics; the
//! [`SourceFile`] keeps the text so the diagnostics can be shown with lines
//! and columns. Formats are told apart by content, not only by extension:
//! [`load_path`] reads a native file (TOML or JSON), a GENIUS folder or file
//! ([`genius`]), a GeniusWeb JSON document ([`geniusweb`]) or a stakeholder
//! table ([`tables`]).

pub mod deu;
pub mod efg;
pub mod genius;
pub mod geniusweb;
pub mod tables;
pub mod tree;
pub mod write;

pub use genius::{load_genius, load_genius_dir};
pub use geniusweb::load_geniusweb;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Span};
use crate::scenario::{decode::decode, Scenario};

/// The text formats a native scenario can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    /// TOML, the primary syntax.
    Toml,
    /// JSON, the same model.
    Json,
}

/// One input text and the name to show for it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path (or `<stdin>`) as the user gave it.
    pub name: String,
    /// The text; invalid UTF-8 is replaced so diagnostics can still quote it.
    pub text: String,
}

/// The result of loading: the scenario if it is valid, and every diagnostic.
///
/// Most formats are one text. A GENIUS folder is several (a domain and its
/// profiles): `source` is then the domain file, `other_sources` the profiles
/// and other files read, and each diagnostic names its file in
/// [`Diagnostic::file`]; [`Loaded::source_of`] finds the text to show.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// What was read (the main file).
    pub source: SourceFile,
    /// Further files read, when a scenario spans several.
    pub other_sources: Vec<SourceFile>,
    /// The scenario, when there were no errors (warnings allowed).
    pub scenario: Option<Scenario>,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// A stakeholder table's per-issue power (`power[actor][issue]`, see
    /// [`tables::StakeholderTable::power`]), which the scenario model, with
    /// one capability per actor, cannot hold; `None` for every other input.
    /// Kept here so a forecast reads the table once.
    pub table_power: Option<Vec<Vec<Option<f64>>>>,
}

impl Loaded {
    /// A load of one text.
    pub fn single(source: SourceFile, scenario: Option<Scenario>, diagnostics: Vec<Diagnostic>) -> Loaded {
        Loaded::multi(source, Vec::new(), scenario, diagnostics)
    }
    /// A load of several texts: `source` the main one.
    pub fn multi(
        source: SourceFile,
        other_sources: Vec<SourceFile>,
        scenario: Option<Scenario>,
        diagnostics: Vec<Diagnostic>,
    ) -> Loaded {
        Loaded { source, other_sources, scenario, diagnostics, table_power: None }
    }
    /// True when some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
    /// The source whose text `diagnostic`'s spans point into: the one its
    /// [`Diagnostic::file`] names, else the main source.
    pub fn source_of(&self, diagnostic: &Diagnostic) -> &SourceFile {
        diagnostic
            .file
            .as_deref()
            .and_then(|name| std::iter::once(&self.source).chain(&self.other_sources).find(|s| s.name == name))
            .unwrap_or(&self.source)
    }
}

/// Guesses the format: JSON if the first non-blank character opens an object
/// or array, TOML otherwise; an extension of `.json` or `.toml` is trusted
/// only when the content agrees.
pub fn detect(name: &str, text: &str) -> TextFormat {
    let first = text.trim_start_matches('\u{feff}').trim_start().chars().next();
    match first {
        Some('{') => TextFormat::Json,
        // `[` starts a JSON array or a TOML table header; a TOML header is
        // followed by a name.
        Some('[') => {
            let rest = text.trim_start().trim_start_matches('[').trim_start();
            if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"') && !name.ends_with(".json") {
                TextFormat::Toml
            } else {
                TextFormat::Json
            }
        }
        _ => TextFormat::Toml,
    }
}

/// Parses `text` as a native scenario in `format`.
pub fn load_str(name: &str, text: &str, format: TextFormat) -> Loaded {
    let mut diagnostics = Vec::new();
    let root = match format {
        TextFormat::Toml => tree::parse_toml(text, &mut diagnostics),
        TextFormat::Json => tree::parse_json(text, &mut diagnostics),
    };
    let scenario = root.and_then(|root| decode(&root, text, &mut diagnostics));
    Loaded::single(SourceFile { name: name.to_string(), text: text.to_string() }, scenario, diagnostics)
}

/// Parses bytes read from `name`, detecting the format. Invalid UTF-8 is an
/// error pointing at the first bad byte.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Loaded {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            load_str(name, text, detect(name, text))
        }
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let d = Diagnostic::error(
                "input::not-utf8",
                Span::new(at, at + 1),
                format!("the file is not UTF-8 text (bad byte at offset {at})"),
            )
            .with_help("save the file as UTF-8; scenario files are plain text");
            Loaded::single(SourceFile { name: name.to_string(), text }, None, vec![d])
        }
    }
}

/// An I/O failure while reading a scenario.
#[derive(Debug)]
pub struct ReadError {
    /// The path.
    pub path: PathBuf,
    /// What failed.
    pub error: std::io::Error,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for ReadError {}

/// Largest file a reader accepts; scenarios are a few kilobytes, and a bound
/// keeps a wrong path (a disk image, say) from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads and loads a scenario file.
pub fn load_file(path: &Path) -> Result<Loaded, ReadError> {
    let meta = std::fs::metadata(path).map_err(|error| ReadError { path: path.to_path_buf(), error })?;
    if meta.is_dir() {
        let error = std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is a directory, not a scenario file");
        return Err(ReadError { path: path.to_path_buf(), error });
    }
    if meta.len() > MAX_FILE_BYTES {
        let error = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it is larger than {} MiB", MAX_FILE_BYTES >> 20),
        );
        return Err(ReadError { path: path.to_path_buf(), error });
    }
    let bytes = std::fs::read(path).map_err(|error| ReadError { path: path.to_path_buf(), error })?;
    Ok(load_bytes(&path.display().to_string(), &bytes))
}

/// Loads whatever `path` holds, telling formats apart by content:
///
/// - a directory: a GENIUS scenario folder (one domain and its profiles), or,
///   when it holds no GENIUS XML, a folder of GeniusWeb JSON profiles;
/// - a GENIUS domain file: that domain with every profile beside it;
/// - a GENIUS profile file: that profile with the domain beside it (one actor);
/// - a GeniusWeb JSON domain or profile;
/// - a stakeholder table ([`tables`]: `decide`, KTAB, one-issue or plain
///   CSV), recognised by content once the text is clearly not a native
///   scenario (see `table_layout`);
/// - anything else: a native scenario ([`load_file`]).
pub fn load_path(path: &Path) -> Result<Loaded, ReadError> {
    let meta = std::fs::metadata(path).map_err(|error| ReadError { path: path.to_path_buf(), error })?;
    if meta.is_dir() {
        let has = |wanted: &dyn Fn(&Path) -> bool| -> bool {
            std::fs::read_dir(path)
                .map(|entries| entries.filter_map(Result::ok).any(|e| wanted(&e.path())))
                .unwrap_or(false)
        };
        let is_genius = |p: &Path| {
            p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                && std::fs::read_to_string(p).ok().and_then(|t| genius::genius_kind(&t)).is_some()
        };
        if !has(&is_genius) && has(&|p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))) {
            return geniusweb::load_geniusweb_dir(path);
        }
        return genius::load_genius_dir(path, None);
    }
    if meta.len() > MAX_FILE_BYTES {
        let error = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it is larger than {} MiB", MAX_FILE_BYTES >> 20),
        );
        return Err(ReadError { path: path.to_path_buf(), error });
    }
    let bytes = std::fs::read(path).map_err(|error| ReadError { path: path.to_path_buf(), error })?;
    let text = String::from_utf8_lossy(&bytes);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match genius::genius_kind(&text) {
        Some(genius::GeniusKind::Domain) => return genius::load_dir(dir, Some(path), None),
        Some(genius::GeniusKind::Profile) => {
            return genius::load_genius_dir(dir, Some(&[path.to_path_buf()]));
        }
        None => {}
    }
    Ok(load_detected(path, &text, &bytes))
}

/// Loads one text that arrives without a file (standard input), telling
/// its format from its content as [`load_path`] does: GeniusWeb JSON, a
/// stakeholder table, or a native scenario. GENIUS XML is read with the
/// files beside it, so here it is refused with a `input::genius-alone`
/// error saying to pass the file or folder instead.
pub fn load_unnamed(name: &str, bytes: &[u8]) -> Loaded {
    let text = String::from_utf8_lossy(bytes);
    if genius::genius_kind(&text).is_some() {
        let source = SourceFile { name: name.to_string(), text: text.into_owned() };
        let end = source.text.find('>').map_or(0, |k| k + 1);
        let d = Diagnostic::error("input::genius-alone", Span::new(0, end), "GENIUS XML cannot be read on its own")
            .with_label("a GENIUS domain or profile")
            .with_help("a GENIUS domain is read with the profiles beside it, a profile with its domain: pass the file or its folder instead of standard input");
        return Loaded::single(source, None, vec![d]);
    }
    load_detected(Path::new(name), &text, bytes)
}

/// GeniusWeb, a table or a native scenario, by content (and `path`'s
/// extension where content leaves the choice open, see `table_layout`).
fn load_detected(path: &Path, text: &str, bytes: &[u8]) -> Loaded {
    let name = path.display().to_string();
    if let Some(cases_key) = case_collection_key(text) {
        return pick_case(&name, text, None, cases_key);
    }
    if geniusweb::is_geniusweb(text) {
        let source = SourceFile { name, text: text.to_string() };
        return geniusweb::load_geniusweb(&geniusweb::stem(&source.name), &[source]);
    }
    if let Some(layout) = table_layout(path, text) {
        return tables::load_table(&name, text, layout).into_loaded();
    }
    load_bytes(&name, bytes)
}

/// Loads case `case` of the case collection at `path` (KTAB-style JSON,
/// [`tables::load_cases`]) as a scenario; an unknown id, or a file that is
/// no collection, is an `input::case-collection` error listing what there is.
pub fn load_case(path: &Path, case: &str) -> Result<Loaded, ReadError> {
    let bytes = std::fs::read(path).map_err(|error| ReadError { path: path.to_path_buf(), error })?;
    let text = String::from_utf8_lossy(&bytes);
    let name = path.display().to_string();
    match case_collection_key(&text) {
        Some(key) => Ok(pick_case(&name, &text, Some(case), key)),
        None => {
            let d = Diagnostic::error(
                "input::case-collection",
                Span::at(0),
                format!("--case {case}: {name} is not a case collection (a JSON document with a `cases` array)"),
            )
            .with_help(
                "--case picks one case of a collection such as ktab-china-2014.json; leave it out for other files",
            );
            Ok(Loaded::single(SourceFile { name, text: text.into_owned() }, None, vec![d]))
        }
    }
}

/// The span of the `cases` key when `text` is a case collection: a JSON
/// object with a `cases` array and no `format` (which a native scenario has).
fn case_collection_key(text: &str) -> Option<Span> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if detect("", text) != TextFormat::Json {
        return None;
    }
    let mut scratch = Vec::new();
    let root = tree::parse_json(text, &mut scratch)?;
    let tree::NodeKind::Table(entries) = &root.kind else { return None };
    let has = |k: &str| entries.iter().find(|(key, _)| key.name == k);
    match (has("cases"), has("format")) {
        (Some((key, value)), None) if matches!(value.kind, tree::NodeKind::Array(_)) => Some(key.span),
        _ => None,
    }
}

/// Case `case` of the collection in `text` as a one-scenario load, or (no
/// case, or an unknown one) an error listing the cases.
fn pick_case(name: &str, text: &str, case: Option<&str>, cases_key: Span) -> Loaded {
    let loaded = tables::load_cases(name, text);
    let source = SourceFile { name: name.to_string(), text: text.to_string() };
    let Some(collection) = &loaded.collection else {
        return Loaded::single(source, None, loaded.diagnostics);
    };
    if let Some(found) = case.and_then(|id| collection.cases.iter().find(|c| c.id == id)) {
        return Loaded::single(source, Some(found.scenario.clone()), loaded.diagnostics);
    }
    let listed: Vec<String> = collection.cases.iter().map(|c| format!("{} ({})", c.id, c.scenario.name)).collect();
    let ids: Vec<&str> = collection.cases.iter().map(|c| c.id.as_str()).collect();
    let message = match case {
        None => format!(
            "this is a case collection, not one scenario: it holds {} case{}: {}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            listed.join("; ")
        ),
        Some(id) => format!("the collection has no case `{id}`; its cases: {}", listed.join("; ")),
    };
    let help = match case.and_then(|id| crate::suggest::did_you_mean(id, &ids)) {
        Some(meant) => format!("did you mean --case {meant}?"),
        None => format!("pick one with --case ID, e.g. --case {}", ids.first().copied().unwrap_or("ID")),
    };
    let d = Diagnostic::error("input::case-collection", cases_key, message).with_label("the cases").with_help(help);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.push(d);
    Loaded::single(source, None, diagnostics)
}

/// Whether a file that is neither GENIUS nor GeniusWeb is a stakeholder
/// table: `Some(layout)` reads it as one (`Some(None)`: a table whose layout
/// is unknown, which [`tables::load_table`] reports), `None` as a native
/// scenario.
///
/// Native detection comes first, so no native file is taken for a table: a
/// `.toml` or `.json` name, JSON content, or TOML that parses and sets at
/// least one key are native. Only then is the content tried as a table, and a
/// text with a TOML-looking line (`key = …` or `[header]`) stays native so
/// that a broken scenario gets TOML diagnostics. A TOML comment line such as
/// `# Kuril talks` is not a `decide` record; `#A` (a record type of one
/// character) is. A `.csv`, `.tsv`, `.tab` or `.txt` file without a known
/// layout is read as a table, to be reported as one.
fn table_layout(path: &Path, text: &str) -> Option<Option<tables::TableFormat>> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(ext.as_deref(), Some("toml" | "json")) {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if detect("", text) == TextFormat::Json {
        return None;
    }
    let mut scratch = Vec::new();
    let parsed = tree::parse_toml(text, &mut scratch);
    if parsed.is_some_and(|root| matches!(&root.kind, tree::NodeKind::Table(entries) if !entries.is_empty())) {
        return None;
    }
    if looks_like_toml(text) {
        return None;
    }
    let layout = match tables::detect_table(text) {
        Some(tables::TableFormat::Decide) if !starts_with_record_type(text) => None,
        layout => layout,
    };
    let table_ext = matches!(ext.as_deref(), Some("csv" | "tsv" | "tab" | "txt"));
    (layout.is_some() || table_ext).then_some(layout)
}

/// True when some line, outside comments, is a TOML table header (`[x]`,
/// `[[x]]`) or starts with a key followed by `=` (`name = `,
/// `stances.a = `, `"a b" = `).
fn looks_like_toml(text: &str) -> bool {
    text.split(['\n', '\r']).map(str::trim_start).any(|line| {
        if line.starts_with('[') {
            return true;
        }
        let mut rest = line;
        loop {
            rest = rest.trim_start_matches([' ', '\t']);
            let segment_end = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].find(q).map(|i| i + 2),
                Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {
                    rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                }
                _ => None,
            };
            let Some(end) = segment_end else { return false };
            rest = rest[end..].trim_start_matches([' ', '\t']);
            match rest.strip_prefix('.') {
                Some(r) => rest = r,
                None => return rest.starts_with('='),
            }
        }
    })
}

/// True when the first line starts with a `decide` record type: `#` and one
/// character (`#A`, `'#D'`), alone in its cell.
fn starts_with_record_type(text: &str) -> bool {
    let first = text.split(['\n', '\r']).map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let cell = first.split(['\t', ';', ',']).next().unwrap_or("").trim().trim_matches(['\'', '"']);
    cell.len() == 2 && cell.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system's temporary directory.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("detente-load-path-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn load_as(dir: &Path, file: &str, text: &str) -> Loaded {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        load_path(&path).unwrap()
    }

    fn codes(loaded: &Loaded) -> Vec<&'static str> {
        loaded.diagnostics.iter().map(|d| d.code).collect()
    }

    const NATIVE: &str = "# Talks: a comment first, as in the bundled scenarios\nformat = 1\nname = \"t\"\n\
        [[issues]]\nid = \"treaty\"\noptions = [\"no\", \"yes\"]\n\
        [[actors]]\nid = \"a\"\nstances.treaty = { position = \"yes\", salience = 1 }\n";

    const PLAIN: &str =
        "actor,issue,position,salience,capability,min,max\nus,tariff,10,0.8,3,0,25\ncn,tariff,25,0.6,1,,\n";

    #[test]
    fn native_files_stay_native_under_any_name() {
        let dir = scratch("native");
        let json = write::to_string(&load_str("t", NATIVE, TextFormat::Toml).scenario.unwrap(), TextFormat::Json);
        for file in ["s.toml", "s", "s.txt", "s.csv", "s.dat"] {
            let loaded = load_as(&dir, file, NATIVE);
            assert!(loaded.scenario.is_some(), "{file}: {:?}", loaded.diagnostics);
            let loaded = load_as(&dir, &format!("j-{file}"), &json);
            assert!(loaded.scenario.is_some(), "{file} (JSON): {:?}", loaded.diagnostics);
        }
        // Broken native files get TOML diagnostics, never table ones, even
        // when they start with a comment (which looks like a `decide` record
        // type) or have a table's extension.
        let broken = NATIVE.replace("name = \"t\"", "name = \"t");
        for file in ["b", "b.txt", "b.csv"] {
            assert_eq!(codes(&load_as(&dir, file, &broken)), ["syntax::toml"], "{file}");
        }
        let header_only = "# notes\n[[issues]\nid = \"x\"\n";
        assert_eq!(codes(&load_as(&dir, "h.csv", header_only)), ["syntax::toml"]);
        // A file of comments only is not a scenario, but not a table either.
        let comments = load_as(&dir, "c", "# TODO\n# write the scenario\n");
        assert!(codes(&comments).iter().all(|c| c.starts_with("scenario::")), "{:?}", codes(&comments));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bundled_scenarios_load_as_native() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let mut n = 0;
        for entry in std::fs::read_dir(&root).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let by_path = load_path(&path).unwrap();
                let by_file = load_file(&path).unwrap();
                assert!(by_path.scenario.is_some() && by_path.scenario == by_file.scenario, "{}", path.display());
                n += 1;
            }
        }
        assert!(n >= 2);
    }

    #[test]
    fn tables_are_recognised_by_content() {
        let dir = scratch("tables");
        let decide = "'#A'\t'USA'\t'USA'\t''\n'#A'\t'EU'\t'EU'\t''\n'#P'\t'T'\t'T'\t''\n\
            '#D'\t'USA'\t'T'\t10.0\t0.9\t0.26\n'#D'\t'EU'\t'T'\t50.0\t0.4\t0.156\n";
        let bare = decide.replace('\'', "");
        let ktab = "K ,\"a test\",2,1,\nActor,Description,Power,Pstn1,Sal1,\nA, x, 10, 20, 50,\nB, y, 5, 80, 40,\n";
        let bdm = "Actor,Capability,Position,Salience\nNetherlands,0.08,4,0.8\nBelgium,0.08,7,0.4\n";
        for (file, text, actors) in [
            ("d.txt", decide, 2),
            ("d", decide, 2),
            ("bare", bare.as_str(), 2),
            ("k", ktab, 2),
            ("b.csv", bdm, 2),
            ("p", PLAIN, 2),
        ] {
            let loaded = load_as(&dir, file, text);
            let scenario = loaded.scenario.unwrap_or_else(|| panic!("{file}: {:?}", loaded.diagnostics));
            assert_eq!(scenario.actors.len(), actors, "{file}");
            let direct = tables::load_table(&dir.join(file).display().to_string(), text, None).into_loaded();
            assert_eq!(Some(scenario), direct.scenario, "{file}");
        }
        // Table files whose layout is unknown are reported as tables.
        assert_eq!(codes(&load_as(&dir, "u.csv", "a,b,c\n1,2,3\n")), ["table::header"]);
        assert_eq!(codes(&load_as(&dir, "e.csv", "")), ["table::empty"]);
        // A malformed table keeps table diagnostics.
        let bad = PLAIN.replace("0.8", "1.8");
        assert_eq!(codes(&load_as(&dir, "bad", &bad)), ["scenario::salience-range"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reference_tables_load_through_load_path() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        let files = [
            "bdm/china.csv",
            "ktab/dummyData_3Dim.csv",
            "stakeholders/cop21.csv",
            "stakeholders/decide_sample_data.txt",
        ];
        for rel in files {
            let path = root.join(rel);
            if !path.exists() {
                assert!(std::env::var_os("CI").is_none(), "{} is missing", path.display());
                continue;
            }
            let loaded = load_path(&path).unwrap();
            assert!(loaded.scenario.is_some(), "{rel}: {:?}", loaded.diagnostics);
            let direct = tables::load_table_file(&path, None).unwrap().into_loaded();
            assert_eq!(loaded.scenario, direct.scenario, "{rel}");
        }
    }

    #[test]
    fn toml_looking_lines() {
        for yes in ["name = 1", "  a.b = 2", "\"a b\" = 3", "'x'.y=4", "[issues]", "[[actors]]", "x\n\nformat=1"] {
            assert!(looks_like_toml(yes), "{yes}");
        }
        for no in ["actor,issue,position", "'#A'\t'USA'", "K ,\"a = b\",2,1", "# c = 1", "", "a b = 1"] {
            assert!(!looks_like_toml(no), "{no}");
        }
        assert!(starts_with_record_type("'#A'\t'x'"));
        assert!(starts_with_record_type("\n#D;x;y"));
        assert!(!starts_with_record_type("# Kuril talks"));
        assert!(!starts_with_record_type("#AB\tx"));
    }
}
