//! GENIUS XML: domains, linear-additive and non-linear profiles, scenario
//! folders, reference Pareto files, and export back to GENIUS.
//!
//! A GENIUS scenario is a folder: one domain file (root
//! `<negotiation_template>`) and two or more profiles (root
//! `<utility_space>`). Files are told apart by their root element, never by
//! their names. The folder loads as one [`Scenario`]: the domain's issues, and
//! one actor (role party) per profile, named after the profile's file.
//!
//! Utilities follow GENIUS's own code exactly, so every outcome gets the same
//! number, bit for bit, that GENIUS computes:
//!
//! - discrete issues: `evaluation / max evaluation of the issue`
//!   (`EvaluatorDiscrete.normalize`; 0 when the maximum is below 0.00001),
//!   read as a value table;
//! - integer issues: `offset + slope · (v − lowerbound)` clamped to 0–1
//!   (`EvaluatorInteger.getEvaluation`), read as an affine stance;
//! - additive utility: `Σ weight · value` in domain order, weights as written
//!   (not renormalised: `normalize = false`, salience = weight);
//! - non-linear profiles: `min(1, Σ utility of the rectangles containing the
//!   outcome / maxutility)`, bounds inclusive (`NonlinearUtilitySpace`,
//!   `InclusiveHyperRectangle`);
//! - `<discount_factor>` outside (0, 1] means no discounting
//!   (`validateDiscount`).
//!
//! docs/formats/genius.md describes the mapping and the differences from
//! NegMAS. Every malformed input becomes a [`Diagnostic`] naming its file,
//! with a span and help; nothing here panics on input.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node as XNode, ParsingOptions};

use super::{Loaded, ReadError, SourceFile, MAX_FILE_BYTES};
use crate::diagnostic::{Diagnostic, Span};
use crate::scenario::*;

/// What a GENIUS XML file holds, by its root element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeniusKind {
    /// `<negotiation_template>`: the issues and their values.
    Domain,
    /// `<utility_space>`: one party's preferences.
    Profile,
}

/// The kind of a GENIUS file, from the name of its root element (found
/// without a full parse); `None` for anything else, XML or not.
pub fn genius_kind(text: &str) -> Option<GeniusKind> {
    match root_name(text)? {
        "negotiation_template" => Some(GeniusKind::Domain),
        "utility_space" => Some(GeniusKind::Profile),
        _ => None,
    }
}

/// The name of the first element of an XML text, skipping the declaration,
/// comments and a DOCTYPE.
fn root_name(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = &r[r.find('>')? + 1..];
        } else {
            let r = rest.strip_prefix('<')?;
            let end = r.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(r.len());
            return Some(&r[..end]);
        }
    }
}

/// Loads a GENIUS scenario from texts already read: the domain file and the
/// profiles (each becomes an actor whose id comes from its file name).
/// `name` titles the scenario (usually the folder's name).
pub fn load_genius(name: &str, domain: &SourceFile, profiles: &[SourceFile]) -> Loaded {
    let mut diagnostics = Vec::new();
    let scenario = build(name, domain, profiles, &mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    Loaded::multi(domain.clone(), profiles.to_vec(), if failed { None } else { scenario }, diagnostics)
}

/// Loads the GENIUS scenario in folder `dir`: its one domain file and either
/// every profile in it (at least two) or the `profiles` given (paths relative
/// to `dir` or absolute; at least one). Files that are neither (such as
/// `pareto.xml`) are ignored. I/O failures are `Err`; problems with the
/// content are diagnostics.
pub fn load_genius_dir(dir: &Path, profiles: Option<&[PathBuf]>) -> Result<Loaded, ReadError> {
    load_dir(dir, None, profiles)
}

/// What a folder without a GENIUS domain holds, and what to pass instead:
/// a folder of scenario files is not one scenario.
fn folder_contents(dir: &Path, name: &str) -> (String, String) {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let is = |f: &String, exts: &[&str]| exts.iter().any(|e| f.to_ascii_lowercase().ends_with(e));
    let scenarios: Vec<&String> = files.iter().filter(|f| is(f, &[".toml", ".json"])).collect();
    let tables: Vec<&String> = files.iter().filter(|f| is(f, &[".csv", ".tsv", ".txt"])).collect();
    let shown = |list: &[&String]| {
        let mut s = list.iter().take(5).map(|f| f.as_str()).collect::<Vec<_>>().join(", ");
        if list.len() > 5 {
            s.push_str(&format!(", … ({} in all)", list.len()));
        }
        s
    };
    let what = if files.is_empty() {
        "is empty".to_string()
    } else if !scenarios.is_empty() || !tables.is_empty() {
        let mut parts = Vec::new();
        if !scenarios.is_empty() {
            parts.push(format!("scenario files ({})", shown(&scenarios)));
        }
        if !tables.is_empty() {
            parts.push(format!("tables ({})", shown(&tables)));
        }
        format!("holds {} but no GENIUS domain file", parts.join(" and "))
    } else {
        format!("holds no GENIUS domain file (root element <negotiation_template>) among its {} files", files.len())
    };
    let help = match scenarios.first().or(tables.first()) {
        Some(first) => format!(
            "a folder is read as one GENIUS scenario (a domain file and its profiles); pass one file instead, e.g. {}",
            dir.join(first).display()
        ),
        None => "a GENIUS scenario folder holds one domain file (<negotiation_template>) and its profiles".to_string(),
    };
    (format!("{name} {what}"), help)
}

/// [`load_genius_dir`] with the domain file chosen by the caller.
pub(crate) fn load_dir(dir: &Path, domain: Option<&Path>, profiles: Option<&[PathBuf]>) -> Result<Loaded, ReadError> {
    let io = |error| ReadError { path: dir.to_path_buf(), error };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
        .collect();
    paths.sort();
    let mut domains = Vec::new();
    let mut found_profiles = Vec::new();
    for path in &paths {
        let source = read_source(path)?;
        match genius_kind(&source.text) {
            Some(GeniusKind::Domain) => domains.push(source),
            Some(GeniusKind::Profile) => found_profiles.push(source),
            None => {}
        }
    }
    let folder = SourceFile { name: dir.display().to_string(), text: String::new() };
    let folder_error = |message: String, help: &str| {
        Loaded::single(
            folder.clone(),
            None,
            vec![Diagnostic::error("genius::folder", None, message).with_help(help.to_string())],
        )
    };
    let domain_file = match domain {
        Some(path) => read_source(path)?,
        None => match domains.len() {
            1 => domains.remove(0),
            0 => {
                let (message, help) = folder_contents(dir, &folder.name);
                return Ok(folder_error(message, &help));
            }
            _ => {
                let names: Vec<String> = domains.iter().map(|d| file_name(&d.name)).collect();
                return Ok(folder_error(
                    format!("{} holds {} domain files: {}", folder.name, names.len(), names.join(", ")),
                    "keep one domain per folder, or load the domain file you mean",
                ));
            }
        },
    };
    let chosen = match profiles {
        None => {
            if found_profiles.len() < 2 {
                return Ok(folder_error(
                    format!(
                        "{} holds {} GENIUS profile{} (root element <utility_space>); a scenario needs at least two",
                        folder.name,
                        found_profiles.len(),
                        if found_profiles.len() == 1 { "" } else { "s" }
                    ),
                    "add the other party's profile, or name the profiles to load",
                ));
            }
            found_profiles
        }
        Some(list) => {
            let mut chosen = Vec::new();
            for p in list {
                let path = if p.is_absolute() { p.clone() } else { dir.join(p) };
                let source = read_source(&path)?;
                if genius_kind(&source.text) != Some(GeniusKind::Profile) {
                    return Ok(folder_error(
                        format!("{} is not a GENIUS profile (root element <utility_space>)", source.name),
                        "name profile files only; the domain is found by its root element",
                    ));
                }
                chosen.push(source);
            }
            if chosen.is_empty() {
                return Ok(folder_error("no profiles were named".into(), "name at least one profile"));
            }
            chosen
        }
    };
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| folder.name.clone());
    Ok(load_genius(&name, &domain_file, &chosen))
}

fn read_source(path: &Path) -> Result<SourceFile, ReadError> {
    let io = |error| ReadError { path: path.to_path_buf(), error };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_FILE_BYTES {
        let error = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("it is larger than {} MiB", MAX_FILE_BYTES >> 20),
        );
        return Err(ReadError { path: path.to_path_buf(), error });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    Ok(SourceFile { name: path.display().to_string(), text })
}

/// The last component of a path-like name.
fn file_name(name: &str) -> String {
    Path::new(name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| name.to_string())
}

/// Turns a GENIUS name into an id: lowercase ASCII letters, digits and `_`,
/// starting with a letter (`"External Monitor"` → `external_monitor`).
/// `fallback` is used when nothing usable remains, and suffixed to a word of
/// the rule language (`"Never"` → `never_issue`), which scenario files refuse
/// as an id.
pub fn sanitize_id(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        None => fallback.to_string(),
        Some(c) if c.is_ascii_digit() => format!("{fallback}_{out}"),
        Some(_) if crate::scenario::expr::KEYWORDS.contains(&out.as_str()) => format!("{out}_{fallback}"),
        Some(_) => out,
    }
}

/// Makes `id` unique among `taken` by appending `_2`, `_3`, ….
fn unique(id: String, taken: &[String]) -> String {
    if !taken.contains(&id) {
        return id;
    }
    (2..).map(|k| format!("{id}_{k}")).find(|c| !taken.contains(c)).unwrap_or(id)
}

// ------------------------------------------------------------------ reading

/// One XML file being read: diagnostics name it.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

/// A domain issue and its GENIUS number (the `index` attribute profiles use).
struct DomainIssue {
    number: i64,
    issue: Issue,
}

fn build(name: &str, domain: &SourceFile, profiles: &[SourceFile], diags: &mut Vec<Diagnostic>) -> Option<Scenario> {
    let issues = {
        let mut ctx = Ctx { file: &domain.name, text: &domain.text, diags };
        let doc = ctx.parse()?;
        ctx.domain(&doc)?
    };
    let mut actors = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut ok = true;
    for profile in profiles {
        let stem = Path::new(&profile.name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let id = unique(sanitize_id(&stem, "party"), &ids);
        ids.push(id.clone());
        let mut ctx = Ctx { file: &profile.name, text: &profile.text, diags };
        let actor = ctx.parse().and_then(|doc| ctx.profile(&doc, &issues, id, &stem, &file_name(&profile.name)));
        match actor {
            Some(a) => actors.push(a),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    Some(Scenario {
        name: name.to_string(),
        description: None,
        source: Some(format!("GENIUS domain {}", file_name(&domain.name))),
        issues: issues.into_iter().map(|d| d.issue).collect(),
        actors,
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
    })
}

/// Parses a number as Java's `Double.valueOf` would (surrounding blanks
/// allowed), finite only.
fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Byte offset of a 1-based row and column (in characters).
fn offset_at(text: &str, row: u32, col: u32) -> usize {
    let mut line_start = 0;
    for _ in 1..row {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    text[line_start..]
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map(|(i, _)| line_start + i)
        .unwrap_or(text.len())
}

impl<'a> Ctx<'a> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d.in_file(self.file.to_string()));
    }

    fn parse(&mut self) -> Option<Document<'a>> {
        let options = ParsingOptions { allow_dtd: true, nodes_limit: 50_000_000, ..ParsingOptions::default() };
        match Document::parse_with_options(self.text, options) {
            Ok(doc) => Some(doc),
            Err(e) => {
                let pos = e.pos();
                let at = match e {
                    // roxmltree gives no position for a text that stops early.
                    roxmltree::Error::UnexpectedEndOfStream => self.text.trim_end().len(),
                    _ => offset_at(self.text, pos.row, pos.col),
                };
                let message = e.to_string().replace(&format!(" at {}:{}", pos.row, pos.col), "");
                let help = if at >= self.text.trim_end().len() {
                    "the file ends too early: it may be truncated; fetch or save it again"
                } else {
                    "correct the XML here: tags must be closed and attribute values quoted"
                };
                self.push(
                    Diagnostic::error("syntax::xml", Span::new(at, at + 1), format!("invalid XML: {message}"))
                        .with_help(help),
                );
                None
            }
        }
    }

    /// The start tag of an element (`<issue … >`), where problems with the
    /// element or its missing attributes are shown.
    fn tag(&self, n: XNode) -> Span {
        let start = n.range().start;
        let end = self.text[start..].find('>').map(|i| start + i + 1).unwrap_or(n.range().end);
        Span::new(start, end)
    }

    fn attr<'n>(&mut self, n: XNode<'n, '_>, name: &str) -> Option<(&'n str, Span)> {
        let a = n.attribute_node(name);
        if a.is_none() {
            self.push(
                Diagnostic::error(
                    "genius::attribute",
                    self.tag(n),
                    format!("<{}> has no `{name}` attribute", n.tag_name().name()),
                )
                .with_label(format!("`{name}` missing here"))
                .with_help(format!("add {name}=\"…\" to the element")),
            );
        }
        a.map(|a| (a.value(), Span::from(a.range_value())))
    }

    fn opt_attr<'n>(&self, n: XNode<'n, '_>, name: &str) -> Option<(&'n str, Span)> {
        n.attribute_node(name).map(|a| (a.value(), Span::from(a.range_value())))
    }

    fn number_in(&mut self, value: &str, span: Span, what: &str) -> Option<f64> {
        let v = parse_number(value);
        if v.is_none() {
            self.push(
                Diagnostic::error("genius::attribute", span, format!("{what} must be a number, found \"{value}\""))
                    .with_label("not a number")
                    .with_help("write a decimal number such as 0.25"),
            );
        }
        v
    }

    fn number(&mut self, n: XNode, name: &str) -> Option<(f64, Span)> {
        let (value, span) = self.attr(n, name)?;
        self.number_in(value, span, &format!("`{name}`")).map(|v| (v, span))
    }

    fn integer(&mut self, n: XNode, name: &str) -> Option<(i64, Span)> {
        let (value, span) = self.attr(n, name)?;
        match value.trim().parse::<i64>() {
            Ok(v) => Some((v, span)),
            Err(_) => {
                self.push(
                    Diagnostic::error(
                        "genius::attribute",
                        span,
                        format!("`{name}` must be a whole number, found \"{value}\""),
                    )
                    .with_label("not an integer")
                    .with_help("write an integer such as 3"),
                );
                None
            }
        }
    }

    fn structure(&mut self, span: Span, message: String, help: &str) {
        self.push(Diagnostic::error("genius::structure", span, message).with_help(help.to_string()));
    }

    fn root_is(&mut self, doc: &Document, expected: &str, what: &str) -> bool {
        let root = doc.root_element();
        if root.tag_name().name() == expected {
            return true;
        }
        let span = self.tag(root);
        self.structure(
            span,
            format!("expected a GENIUS {what} (root element <{expected}>), found <{}>", root.tag_name().name()),
            "GENIUS domains start with <negotiation_template>, profiles with <utility_space>",
        );
        false
    }

    /// The issue's type: `type`, else `etype`, else `vtype`, else guessed
    /// from its content (items → discrete, bounds → integer).
    fn issue_type<'n>(&self, n: XNode<'n, '_>) -> (&'n str, Option<Span>) {
        for name in ["type", "etype", "vtype"] {
            if let Some((v, s)) = self.opt_attr(n, name) {
                return (v, Some(s));
            }
        }
        if n.children().any(|c| c.has_tag_name("item")) {
            ("discrete", None)
        } else {
            ("integer", None)
        }
    }

    /// `lowerbound`/`upperbound` on the issue, or on a `<range>` child (old
    /// GENIUS files).
    fn bounds_node<'n, 'i>(&self, n: XNode<'n, 'i>) -> XNode<'n, 'i> {
        if n.attribute("lowerbound").is_none() {
            if let Some(r) = n.children().find(|c| c.has_tag_name("range")) {
                return r;
            }
        }
        n
    }

    fn domain(&mut self, doc: &Document) -> Option<Vec<DomainIssue>> {
        if !self.root_is(doc, "negotiation_template", "domain") {
            return None;
        }
        let root = doc.root_element();
        let Some(space) = root.descendants().find(|n| n.has_tag_name("utility_space")) else {
            self.structure(
                self.tag(root),
                "the domain has no <utility_space>".into(),
                "issues sit in <utility_space><objective>…</objective></utility_space>",
            );
            return None;
        };
        let nodes: Vec<XNode> = space.descendants().filter(|n| n.has_tag_name("issue")).collect();
        if nodes.is_empty() {
            self.structure(
                self.tag(space),
                "the domain declares no issues".into(),
                "add <issue> elements to the objective",
            );
            return None;
        }
        let mut out: Vec<DomainIssue> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut ok = true;
        for n in nodes {
            let number = self.integer(n, "index");
            let name = self.attr(n, "name").map(|(v, _)| v.to_string());
            let (kind, kind_span) = self.issue_type(n);
            let domain = match kind {
                "discrete" => self.items(n),
                "integer" => {
                    let b = self.bounds_node(n);
                    match (self.integer(b, "lowerbound"), self.integer(b, "upperbound")) {
                        (Some((min, _)), Some((max, max_span))) if min > max => {
                            self.push(
                                Diagnostic::error(
                                    "genius::attribute",
                                    max_span,
                                    format!("upperbound {max} lies below lowerbound {min}"),
                                )
                                .with_help("swap the two bounds"),
                            );
                            None
                        }
                        (Some((min, _)), Some((max, _))) => Some(Domain::Integer { min, max, unit: None }),
                        _ => None,
                    }
                }
                "real" => {
                    self.push(
                        Diagnostic::error(
                            "genius::unsupported",
                            kind_span.unwrap_or(self.tag(n)),
                            "real-valued GENIUS issues are not supported",
                        )
                        .with_help(
                            "convert the issue to an integer one (scaling its bounds), or open an issue with the file",
                        ),
                    );
                    None
                }
                other => {
                    self.push(
                        Diagnostic::error(
                            "genius::attribute",
                            kind_span.unwrap_or(self.tag(n)),
                            format!("`{other}` is not a GENIUS issue type"),
                        )
                        .with_help("issue types are discrete, integer and real"),
                    );
                    None
                }
            };
            let (Some((number, number_span)), Some(name), Some(domain)) = (number, name, domain) else {
                ok = false;
                continue;
            };
            if let Some(j) = out.iter().position(|d| d.number == number) {
                self.push(
                    Diagnostic::error("genius::structure", number_span, format!("two issues have index {number}"))
                        .with_secondary(spans[j], "first here")
                        .with_help("profiles refer to issues by index; make each unique"),
                );
                ok = false;
                continue;
            }
            let id = unique(sanitize_id(&name, "issue"), &ids);
            ids.push(id.clone());
            spans.push(number_span);
            out.push(DomainIssue {
                number,
                issue: Issue { id, name: Some(name), description: None, source: None, domain, condition: None },
            });
        }
        ok.then_some(out)
    }

    fn items(&mut self, n: XNode) -> Option<Domain> {
        let mut options: Vec<String> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        // First index of each value: linear time for 10⁵ items.
        let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut ok = true;
        for item in n.children().filter(|c| c.has_tag_name("item")) {
            let Some((value, span)) = self.attr(item, "value") else {
                ok = false;
                continue;
            };
            if let Some(&j) = first.get(value) {
                self.push(
                    Diagnostic::error("genius::structure", span, format!("value `{value}` is listed twice"))
                        .with_secondary(spans[j], "first here")
                        .with_help("item values must be unique within an issue"),
                );
                ok = false;
            } else if value.is_empty() {
                self.push(
                    Diagnostic::error("genius::attribute", span, "an item value may not be empty")
                        .with_help("name the value"),
                );
                ok = false;
            }
            first.entry(value.to_string()).or_insert(options.len());
            options.push(value.to_string());
            spans.push(span);
        }
        if options.is_empty() && ok {
            self.structure(
                self.tag(n),
                "a discrete issue lists no <item> values".into(),
                "add <item value=\"…\"/> elements",
            );
            return None;
        }
        ok.then_some(Domain::Discrete { options, ordered: false })
    }

    fn profile(&mut self, doc: &Document, issues: &[DomainIssue], id: String, stem: &str, file: &str) -> Option<Actor> {
        if !self.root_is(doc, "utility_space", "profile") {
            return None;
        }
        let root = doc.root_element();
        let mut ok = true;
        let mut reservation = 0.0;
        if let Some(r) = root.descendants().find(|n| n.has_tag_name("reservation")) {
            match self.number(r, "value") {
                Some((v, _)) if (0.0..=1.0).contains(&v) => reservation = v,
                Some((v, span)) => {
                    self.push(
                        Diagnostic::error(
                            "genius::attribute",
                            span,
                            format!("the reservation value must lie in 0–1, found {v}"),
                        )
                        .with_help("a reservation value is a utility, between 0 and 1"),
                    );
                    ok = false;
                }
                None => ok = false,
            }
        }
        let mut discount = 1.0;
        if let Some(d) = root.descendants().find(|n| n.has_tag_name("discount_factor")) {
            match self.number(d, "value") {
                // GENIUS's validateDiscount: outside (0, 1] means 1.
                Some((v, _)) if v > 0.0 && v <= 1.0 => discount = v,
                Some((v, span)) if !(0.0..=1.0).contains(&v) => self.push(
                    Diagnostic::warning(
                        "genius::attribute",
                        span,
                        format!("discount factor {v} lies outside 0–1, so GENIUS (and detente) ignore it"),
                    )
                    .with_help("use a factor in (0, 1]; 0 and 1 both mean no discounting"),
                ),
                Some(_) => {}
                None => ok = false,
            }
        }
        let nonlinear = root.attribute("type") == Some("nonlinear")
            || root.descendants().any(|n| n.has_tag_name("utility") && n.attribute("maxutility").is_some());
        let (stances, utility_model) = if nonlinear {
            (Vec::new(), UtilityModel::Rectangles(self.rectangles(root, issues)?))
        } else {
            (self.stances(root, issues)?, UtilityModel::Additive)
        };
        if !ok {
            return None;
        }
        Some(Actor {
            id,
            name: Some(stem.to_string()),
            description: None,
            source: Some(format!("GENIUS profile {file}")),
            role: Role::Party,
            capability: 1.0,
            reservation: Reservation::Value(reservation),
            ratifiers: Vec::new(),
            vetoes: Vec::new(),
            normalize: false,
            stances,
            discount,
            utility_model,
            interactions: Vec::new(),
            deadline: None,
        })
    }

    /// Finds the domain issue a profile refers to by `index`.
    fn issue_ref(&mut self, n: XNode, issues: &[DomainIssue], what: &str) -> Option<usize> {
        let (number, span) = self.integer(n, "index")?;
        let found = issues.iter().position(|d| d.number == number);
        if found.is_none() {
            let known: Vec<String> = issues.iter().map(|d| d.number.to_string()).collect();
            self.push(
                Diagnostic::error(
                    "genius::unknown-issue",
                    span,
                    format!("{what} refers to issue index {number}, which the domain does not have"),
                )
                .with_label("unknown issue")
                .with_help(format!("the domain's issue indices are {}", known.join(", "))),
            );
        }
        found
    }

    fn stances(&mut self, root: XNode, issues: &[DomainIssue]) -> Option<Vec<Stance>> {
        if let Some(inner) = root
            .descendants()
            .filter(|n| n.has_tag_name("objective"))
            .find(|o| o.descendants().skip(1).any(|d| d.has_tag_name("objective")))
        {
            self.push(
                Diagnostic::error("genius::unsupported", self.tag(inner), "nested objectives are not supported")
                    .with_help("flatten the objective tree: put every issue and weight in one objective"),
            );
            return None;
        }
        let mut ok = true;
        let mut weights: Vec<Option<(f64, Span)>> = vec![None; issues.len()];
        for w in root.descendants().filter(|n| n.has_tag_name("weight")) {
            let Some((number, span)) = self.integer(w, "index") else {
                ok = false;
                continue;
            };
            let Some(i) = issues.iter().position(|d| d.number == number) else {
                // GENIUS keeps weights of objectives too; only a weight for
                // an index that is neither issue nor objective is a mistake.
                let objective = root.descendants().any(|o| {
                    o.has_tag_name("objective") && o.attribute("index").map(str::trim) == Some(&number.to_string())
                });
                if !objective {
                    self.push(
                        Diagnostic::error(
                            "genius::unknown-issue",
                            span,
                            format!("a <weight> refers to issue index {number}, which the domain does not have"),
                        )
                        .with_label("unknown issue")
                        .with_help("weights refer to issues by their index in the domain file"),
                    );
                    ok = false;
                }
                continue;
            };
            let Some((value, vspan)) = self.number(w, "value") else {
                ok = false;
                continue;
            };
            if !(0.0..=1.0).contains(&value) {
                self.push(
                    Diagnostic::error("genius::attribute", vspan, format!("a weight must lie in 0–1, found {value}"))
                        .with_help("GENIUS weights are fractions that sum to 1"),
                );
                ok = false;
            } else if let Some((_, first)) = weights[i] {
                self.push(
                    Diagnostic::error("genius::structure", span, format!("issue index {number} has two weights"))
                        .with_secondary(first, "first here")
                        .with_help("give each issue one <weight>"),
                );
                ok = false;
            } else {
                weights[i] = Some((value, span));
            }
        }
        let mut nodes: Vec<Option<XNode>> = vec![None; issues.len()];
        for n in root.descendants().filter(|n| n.has_tag_name("issue")) {
            let Some(i) = self.issue_ref(n, issues, "a profile issue") else {
                ok = false;
                continue;
            };
            if nodes[i].is_some() {
                self.structure(
                    self.tag(n),
                    format!("the profile evaluates issue index {} twice", issues[i].number),
                    "keep one <issue> element per issue",
                );
                ok = false;
                continue;
            }
            nodes[i] = Some(n);
        }
        let mut stances = Vec::new();
        for (i, d) in issues.iter().enumerate() {
            let name = d.issue.name.as_deref().unwrap_or(&d.issue.id);
            let Some(n) = nodes[i] else {
                if ok {
                    self.structure(
                        self.tag(root),
                        format!("the profile does not evaluate issue `{name}` (index {})", d.number),
                        "GENIUS needs an <issue> with an evaluator and a <weight> for every issue of the domain",
                    );
                }
                ok = false;
                continue;
            };
            let Some((weight, _)) = weights[i] else {
                self.structure(
                    self.tag(n),
                    format!("issue `{name}` (index {}) has no <weight>", d.number),
                    "add <weight index=\"…\" value=\"…\"/> next to the issues",
                );
                ok = false;
                continue;
            };
            match self.value_function(n, d) {
                Some(value) => stances.push(Stance { issue: i, salience: weight, value, source: None }),
                None => ok = false,
            }
        }
        ok.then_some(stances)
    }

    fn value_function(&mut self, n: XNode, d: &DomainIssue) -> Option<ValueFunction> {
        let (kind, kind_span) = self.issue_type(n);
        let expected = d.issue.domain.kind_name();
        if kind != expected {
            self.push(
                Diagnostic::error(
                    "genius::unknown-issue",
                    kind_span.unwrap_or(self.tag(n)),
                    format!("issue index {} is {expected} in the domain but {kind} here", d.number),
                )
                .with_help("the profile must describe the domain's issues; check it belongs to this domain"),
            );
            return None;
        }
        match &d.issue.domain {
            Domain::Discrete { options, .. } => self.evaluations(n, options, d),
            Domain::Integer { min, max, .. } => self.evaluator(n, *min, *max, d),
            Domain::Continuous { .. } => None,
        }
    }

    fn evaluations(&mut self, n: XNode, options: &[String], d: &DomainIssue) -> Option<ValueFunction> {
        let mut evals: Vec<Option<(f64, Span)>> = vec![None; options.len()];
        let index: std::collections::HashMap<&str, usize> =
            options.iter().enumerate().rev().map(|(k, o)| (o.as_str(), k)).collect();
        let mut ok = true;
        for item in n.children().filter(|c| c.has_tag_name("item")) {
            let Some((value, span)) = self.attr(item, "value") else {
                ok = false;
                continue;
            };
            let Some(&k) = index.get(value) else {
                let names: Vec<&str> = options.iter().map(String::as_str).collect();
                let help = match crate::suggest::did_you_mean(value, &names) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("the domain's values are: {}", names.join(", ")),
                };
                self.push(
                    Diagnostic::error(
                        "genius::unknown-value",
                        span,
                        format!("`{value}` is not a value of issue index {} in the domain", d.number),
                    )
                    .with_label("unknown value")
                    .with_help(help),
                );
                ok = false;
                continue;
            };
            let Some((e, espan)) = self.number(item, "evaluation") else {
                ok = false;
                continue;
            };
            if e < 0.0 {
                self.push(
                    Diagnostic::error(
                        "genius::attribute",
                        espan,
                        format!("an evaluation must not be negative, found {e}"),
                    )
                    .with_help("GENIUS evaluations are 0 or more; the largest becomes value 1"),
                );
                ok = false;
            } else {
                if let Some((_, first)) = evals[k] {
                    // GENIUS keeps the last evaluation (a map insert).
                    self.push(
                        Diagnostic::warning(
                            "genius::structure",
                            span,
                            format!("value `{value}` is evaluated twice; the last evaluation counts, as in GENIUS"),
                        )
                        .with_secondary(first, "first here")
                        .with_help("keep one <item> per value"),
                    );
                }
                evals[k] = Some((e, span));
            }
        }
        if !ok {
            return None;
        }
        let missing: Vec<&str> =
            options.iter().zip(&evals).filter(|(_, e)| e.is_none()).map(|(o, _)| o.as_str()).collect();
        if !missing.is_empty() {
            self.push(
                Diagnostic::error(
                    "genius::unknown-value",
                    self.tag(n),
                    format!("issue index {} gives no evaluation for {}", d.number, missing.join(", ")),
                )
                .with_help("evaluate every value of the issue (0 for values the party rejects)"),
            );
            return None;
        }
        let raw: Vec<f64> = evals.iter().map(|e| e.map(|(v, _)| v).unwrap_or(0.0)).collect();
        // EvaluatorDiscrete.normalize: value / max, or 0 when max < 0.00001.
        let max = raw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let values = raw.iter().map(|&e| if max < 0.00001 { 0.0 } else { e / max }).collect();
        Some(ValueFunction::Table { values })
    }

    fn evaluator(&mut self, n: XNode, min: i64, max: i64, d: &DomainIssue) -> Option<ValueFunction> {
        let Some(ev) = n.children().find(|c| c.has_tag_name("evaluator")) else {
            self.structure(
                self.tag(n),
                format!("integer issue index {} has no <evaluator>", d.number),
                "add <evaluator ftype=\"linear\" slope=\"…\" offset=\"…\"/> inside the issue",
            );
            return None;
        };
        if let Some((ftype, span)) = self.opt_attr(ev, "ftype") {
            if ftype != "linear" {
                self.push(
                    Diagnostic::error(
                        "genius::unsupported",
                        span,
                        format!("evaluator function type `{ftype}` is not supported"),
                    )
                    .with_help("detente reads linear integer evaluators (slope and offset)"),
                );
                return None;
            }
        }
        let (slope, offset) = if ev.attribute("slope").is_some() || ev.attribute("offset").is_some() {
            let slope = self.number(ev, "slope").map(|v| v.0);
            let offset = self.number(ev, "offset").map(|v| v.0);
            let b = self.bounds_node(n);
            let lower = match self.opt_attr(b, "lowerbound") {
                Some((v, span)) => match v.trim().parse::<i64>() {
                    Ok(v) => Some((v, span)),
                    Err(_) => {
                        self.integer(b, "lowerbound");
                        return None;
                    }
                },
                None => None,
            };
            let (slope, offset) = (slope?, offset?);
            match lower {
                // GENIUS measures from the profile's own lowerbound; shift
                // the offset when it differs from the domain's (inexact).
                Some((lb, span)) if lb != min => {
                    self.push(
                        Diagnostic::warning(
                            "genius::attribute",
                            span,
                            format!("the profile's lowerbound {lb} differs from the domain's {min}"),
                        )
                        .with_help("the evaluator is re-based on the domain's lowerbound; utilities may differ in the last bits"),
                    );
                    (slope, offset + slope * ((i128::from(min) - i128::from(lb)) as f64))
                }
                _ => (slope, offset),
            }
        } else {
            // Old GENIUS files: value = parameter1 · v + parameter0.
            let p0 = self.number(ev, "parameter0").map(|v| v.0);
            let p1 = self.number(ev, "parameter1").map(|v| v.0);
            let (p0, p1) = (p0?, p1?);
            (p1, p0 + p1 * (min as f64))
        };
        let at_max = offset + slope * ((i128::from(max) - i128::from(min)) as f64);
        if !(0.0..=1.0).contains(&offset) || !(0.0..=1.0).contains(&at_max) {
            self.push(
                Diagnostic::warning(
                    "scenario::value-clamped",
                    self.tag(ev),
                    format!(
                        "the evaluator of issue index {} runs from {offset} to {at_max}, and is clamped to 0–1 (as GENIUS does)",
                        d.number
                    ),
                )
                .with_help("nothing to do if the clamping is intended"),
            );
        }
        Some(ValueFunction::Affine { slope, offset })
    }

    fn rectangles(&mut self, root: XNode, issues: &[DomainIssue]) -> Option<RectangleUtility> {
        let Some(utility) = root.descendants().find(|n| n.has_tag_name("utility")) else {
            self.structure(
                self.tag(root),
                "the non-linear profile has no <utility>".into(),
                "a non-linear profile holds <utility maxutility=\"…\"><ufun …>…</ufun></utility>",
            );
            return None;
        };
        let (max_utility, max_span) = self.number(utility, "maxutility")?;
        if max_utility <= 0.0 {
            self.push(
                Diagnostic::error(
                    "genius::attribute",
                    max_span,
                    format!("maxutility must be above 0, found {max_utility}"),
                )
                .with_help("utilities are divided by it; use the largest sum of rectangle utilities"),
            );
            return None;
        }
        let Some(ufun) = utility.children().find(|c| c.has_tag_name("ufun")) else {
            self.structure(
                self.tag(utility),
                "<utility> holds no <ufun>".into(),
                "add <ufun type=\"PlainUfun\" aggregation=\"sum\">",
            );
            return None;
        };
        if let Some((agg, span)) = self.opt_attr(ufun, "aggregation") {
            if agg != "sum" {
                self.push(
                    Diagnostic::error("genius::unsupported", span, format!("aggregation `{agg}` is not supported"))
                        .with_help("detente reads aggregation=\"sum\", the only one ANAC files use"),
                );
                return None;
            }
        }
        let mut ok = self.unit_weight(ufun);
        if let Some(inner) = ufun.children().find(|c| c.has_tag_name("ufun")) {
            self.push(
                Diagnostic::error("genius::unsupported", self.tag(inner), "nested <ufun> elements are not supported")
                    .with_help("flatten the rectangles into one <ufun>"),
            );
            ok = false;
        }
        let mut rectangles = Vec::new();
        for hr in ufun.children().filter(|c| c.has_tag_name("hyperRectangle")) {
            ok &= self.unit_weight(hr);
            let utility = self.number(hr, "utility").map(|v| v.0);
            let exclude = hr.children().any(|c| c.has_tag_name("EXCLUDES"));
            if exclude {
                if let Some(inc) = hr.children().find(|c| c.has_tag_name("INCLUDES")) {
                    self.push(
                        Diagnostic::error(
                            "genius::unsupported",
                            self.tag(inc),
                            "a rectangle mixing <INCLUDES> and <EXCLUDES> is not supported",
                        )
                        .with_help("GENIUS would ignore the <INCLUDES>; split the rectangle or remove them"),
                    );
                    ok = false;
                    continue;
                }
            }
            let tag = if exclude { "EXCLUDES" } else { "INCLUDES" };
            let mut bounds = Vec::new();
            for inc in hr.children().filter(|c| c.has_tag_name(tag)) {
                let Some(i) = self.issue_ref(inc, issues, "a rectangle bound") else {
                    ok = false;
                    continue;
                };
                if !matches!(issues[i].issue.domain, Domain::Integer { .. }) {
                    self.push(
                        Diagnostic::error(
                            "genius::unsupported",
                            self.tag(inc),
                            format!(
                                "a rectangle bounds issue index {}, which is not an integer issue",
                                issues[i].number
                            ),
                        )
                        .with_help("GENIUS rectangles bound integer issues only"),
                    );
                    ok = false;
                    continue;
                }
                let (Some((lo, _)), Some((hi, hi_span))) = (self.number(inc, "min"), self.number(inc, "max")) else {
                    ok = false;
                    continue;
                };
                if lo > hi {
                    self.push(
                        Diagnostic::error("genius::attribute", hi_span, format!("max {hi} lies below min {lo}"))
                            .with_help("both ends are inside the rectangle; write min ≤ max"),
                    );
                    ok = false;
                    continue;
                }
                bounds.push(Bound { issue: i, min: lo, max: hi });
            }
            match utility {
                Some(utility) => rectangles.push(Rectangle { utility, bounds, exclude }),
                None => ok = false,
            }
        }
        ok.then_some(RectangleUtility { max_utility, rectangles })
    }

    /// A `weight` attribute other than 1 on a ufun or rectangle is not read.
    fn unit_weight(&mut self, n: XNode) -> bool {
        match self.opt_attr(n, "weight") {
            Some((w, span)) if parse_number(w) != Some(1.0) => {
                self.push(
                    Diagnostic::error(
                        "genius::unsupported",
                        span,
                        format!("a weight of {w} on <{}> is not supported", n.tag_name().name()),
                    )
                    .with_help("fold the weight into the rectangles' utilities"),
                );
                false
            }
            _ => true,
        }
    }
}

// ------------------------------------------------------------------ Pareto

/// Reads a reference Pareto file (ANAC `pareto.xml`: despite the name, one
/// point per line, utilities separated by commas; blank lines skipped).
/// Returns the points when every line is well formed, and a diagnostic per
/// bad line.
pub fn read_pareto(source: &SourceFile) -> (Option<Vec<Vec<f64>>>, Vec<Diagnostic>) {
    let mut points: Vec<Vec<f64>> = Vec::new();
    let mut diags = Vec::new();
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        let span = Span::new(start + lead, start + content.trim_end().len());
        let values: Option<Vec<f64>> = content.split(',').map(parse_number).collect();
        match values {
            None => diags.push(
                Diagnostic::error("genius::pareto", span, "a Pareto line must be numbers separated by commas")
                    .with_label("not a list of numbers")
                    .with_help("write one point per line, e.g. 0.68, 1.0")
                    .in_file(source.name.clone()),
            ),
            Some(v) => {
                if let Some(first) = points.first().filter(|f| f.len() != v.len()) {
                    diags.push(
                        Diagnostic::error(
                            "genius::pareto",
                            span,
                            format!("this point has {} utilities, the first had {}", v.len(), first.len()),
                        )
                        .with_help("every point gives one utility per party")
                        .in_file(source.name.clone()),
                    );
                } else {
                    points.push(v);
                }
            }
        }
    }
    ((diags.is_empty()).then_some(points), diags)
}

// ------------------------------------------------------------------ export

/// A scenario written as GENIUS files.
#[derive(Clone, Debug)]
pub struct GeniusFiles {
    /// The domain file (`<negotiation_template>`).
    pub domain: String,
    /// One profile per actor: the actor's id and the profile text.
    pub profiles: Vec<(String, String)>,
    /// Conversions that are not exact (for instance a value table whose best
    /// value is below 1, which GENIUS rescales), one sentence each.
    pub notes: Vec<String>,
}

/// Why a scenario cannot be written as GENIUS files.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportError {
    /// Every reason, one sentence each.
    pub reasons: Vec<String>,
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write GENIUS files: {}", self.reasons.join("; "))
    }
}

impl std::error::Error for ExportError {}

/// Whether XML 1.0 can hold `c` at all, even as a character reference:
/// not the control characters other than tab, line feed and carriage
/// return, nor U+FFFE and U+FFFF.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Escapes text for a double-quoted XML attribute; a character XML cannot
/// hold becomes U+FFFD (callers refuse it where it carries meaning).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if !xml_char(c) => out.push('\u{FFFD}'),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// A float in the shortest form that reads back to the same `f64` (Java's
/// `Double.valueOf` reads it exactly too).
fn num(v: f64) -> String {
    let s = format!("{v}");
    if s.contains(['.', 'e', 'E']) || s.contains("inf") || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

/// Writes `scenario` as a GENIUS domain and one profile per actor, so that
/// reading the files back gives every outcome the same utility, bit for bit,
/// for profiles that came from GENIUS. Linear-additive actors become linear
/// profiles (any value function on a discrete issue becomes evaluations;
/// integer issues need affine stances), rectangles actors become non-linear
/// profiles. Continuous issues, conditional issues and interaction terms
/// cannot be written.
pub fn to_genius(scenario: &Scenario) -> Result<GeniusFiles, ExportError> {
    let mut reasons = Vec::new();
    let mut notes = Vec::new();
    for issue in &scenario.issues {
        if let Domain::Continuous { .. } = issue.domain {
            reasons.push(format!(
                "issue `{}` is continuous, and GENIUS files here hold discrete and integer issues",
                issue.id
            ));
        }
        // Option labels are values: one XML cannot hold is refused, not
        // replaced (two labels could become one).
        if let Domain::Discrete { options, .. } = &issue.domain {
            if let Some(o) = options.iter().find(|o| !o.chars().all(xml_char)) {
                reasons.push(format!(
                    "option \"{}\" of issue `{}` holds a control character, which XML cannot hold",
                    o.escape_debug(),
                    issue.id
                ));
            }
        }
    }
    let names = std::iter::once(&scenario.name).chain(scenario.issues.iter().filter_map(|i| i.name.as_ref()));
    if names.into_iter().any(|n| !n.chars().all(xml_char)) {
        notes.push("control characters in names, which XML cannot hold, are written as U+FFFD".into());
    }
    for issue in scenario.issues.iter().filter(|i| i.condition.is_some()) {
        reasons.push(format!(
            "issue `{}` applies only under a condition (`when`), and a GENIUS domain is a full product of its issues: every combination would become a separate outcome",
            issue.id
        ));
    }
    for p in &scenario.pressures {
        reasons.push(format!(
            "`{}` puts pressure on `{}` (`{}`), a cost on outcomes where a rule holds, which a GENIUS profile cannot hold",
            scenario.actors[p.by].id, scenario.actors[p.on].id, p.label
        ));
    }
    if !scenario.types.is_empty() {
        reasons.push("some actors have uncertain types, and a GENIUS profile is one known utility".into());
    }
    for a in scenario.actors.iter().filter(|a| a.interactions.iter().any(|t| t.is_own())) {
        reasons.push(format!(
            "actor `{}` has interaction terms, and a GENIUS profile is either linear-additive or hyper-rectangles over integer issues, not both",
            a.id
        ));
    }
    let issues_xml = |with_bounds: bool| -> String {
        let mut out = String::new();
        for (i, issue) in scenario.issues.iter().enumerate() {
            let name = esc(issue.name.as_deref().unwrap_or(&issue.id));
            match &issue.domain {
                Domain::Discrete { options, .. } => {
                    let _ = writeln!(out, "    <issue index=\"{}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"{name}\">", i + 1);
                    for (k, o) in options.iter().enumerate() {
                        let _ = writeln!(out, "      <item index=\"{}\" value=\"{}\"/>", k + 1, esc(o));
                    }
                    out.push_str("    </issue>\n");
                }
                Domain::Integer { min, max, .. } if with_bounds => {
                    let _ = writeln!(out, "    <issue index=\"{}\" etype=\"integer\" type=\"integer\" vtype=\"integer\" name=\"{name}\" lowerbound=\"{min}\" upperbound=\"{max}\"/>", i + 1);
                }
                _ => {}
            }
        }
        out
    };
    let mut domain = String::new();
    let _ = writeln!(domain, "<negotiation_template>");
    let _ = writeln!(domain, "<utility_space number_of_issues=\"{}\">", scenario.issues.len());
    let _ = writeln!(
        domain,
        "  <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">",
        esc(&scenario.name)
    );
    domain.push_str(&issues_xml(true));
    domain.push_str("  </objective>\n</utility_space>\n</negotiation_template>\n");

    let mut profiles = Vec::new();
    for a in &scenario.actors {
        let reservation = scenario.reservation_value(scenario.actor_index(&a.id).unwrap_or(0));
        if let Reservation::StatusQuo = a.reservation {
            notes.push(format!("actor `{}`: the status-quo reservation is written as its value, {reservation}", a.id));
        }
        let mut p = String::new();
        match &a.utility_model {
            UtilityModel::Additive => {
                let _ = writeln!(p, "<utility_space>");
                let _ = writeln!(
                    p,
                    "  <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">",
                    esc(&scenario.name)
                );
                let weights = a.weights();
                let mut issue_weights = vec![0.0; scenario.issues.len()];
                for (s, w) in a.stances.iter().zip(&weights) {
                    issue_weights[s.issue] = *w;
                }
                for (i, issue) in scenario.issues.iter().enumerate() {
                    let name = esc(issue.name.as_deref().unwrap_or(&issue.id));
                    let stance = a.stance(i);
                    match &issue.domain {
                        Domain::Discrete { options, .. } => {
                            let values: Vec<f64> = (0..options.len())
                                .map(|k| stance.map(|s| s.value.eval(&issue.domain, &Value::Option(k))).unwrap_or(0.0))
                                .collect();
                            let max = values.iter().copied().fold(0.0, f64::max);
                            if stance.is_some() && max != 1.0 && values.iter().any(|v| *v != 0.0) {
                                notes.push(format!("actor `{}`, issue `{}`: the best value is {max}, not 1, and GENIUS divides by it, so the issue weighs relatively more there", a.id, issue.id));
                            }
                            let _ = writeln!(p, "    <issue index=\"{}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"{name}\">", i + 1);
                            for (k, (o, v)) in options.iter().zip(&values).enumerate() {
                                let _ = writeln!(
                                    p,
                                    "      <item index=\"{}\" value=\"{}\" evaluation=\"{}\"/>",
                                    k + 1,
                                    esc(o),
                                    num(*v)
                                );
                            }
                            p.push_str("    </issue>\n");
                        }
                        Domain::Integer { min, max, .. } => {
                            let (slope, offset) = match stance.map(|s| &s.value) {
                                None => (0.0, 0.0),
                                Some(ValueFunction::Affine { slope, offset }) => (*slope, *offset),
                                Some(other) => {
                                    reasons.push(format!("actor `{}`: the {} stance on integer issue `{}` has no GENIUS form (use shape \"affine\")", a.id, other.shape_name(), issue.id));
                                    (0.0, 0.0)
                                }
                            };
                            let _ = writeln!(p, "    <issue index=\"{}\" etype=\"integer\" type=\"integer\" vtype=\"integer\" name=\"{name}\" lowerbound=\"{min}\" upperbound=\"{max}\">", i + 1);
                            let _ = writeln!(
                                p,
                                "      <evaluator ftype=\"linear\" slope=\"{}\" offset=\"{}\"/>",
                                num(slope),
                                num(offset)
                            );
                            p.push_str("    </issue>\n");
                        }
                        Domain::Continuous { .. } => {}
                    }
                }
                for (i, w) in issue_weights.iter().enumerate() {
                    let _ = writeln!(p, "    <weight index=\"{}\" value=\"{}\"/>", i + 1, num(*w));
                }
                p.push_str("  </objective>\n");
            }
            UtilityModel::Rectangles(r) => {
                let _ = writeln!(p, "<utility_space type=\"nonlinear\">");
                let _ = writeln!(
                    p,
                    "  <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">",
                    esc(&scenario.name)
                );
                p.push_str(&issues_xml(true));
                let _ = writeln!(p, "    <utility maxutility=\"{}\">", num(r.max_utility));
                p.push_str("      <ufun type=\"PlainUfun\" weight=\"1\" aggregation=\"sum\">\n");
                for rect in &r.rectangles {
                    if rect.exclude && rect.bounds.is_empty() {
                        // GENIUS reads a rectangle without bounds as inclusive
                        // (crediting everything); this one credits nothing.
                        notes.push(format!(
                            "actor `{}`: an exclusion rectangle without bounds credits nothing and is left out",
                            a.id
                        ));
                        continue;
                    }
                    let tag = if rect.exclude { "EXCLUDES" } else { "INCLUDES" };
                    let _ = writeln!(p, "        <hyperRectangle utility=\"{}\">", num(rect.utility));
                    for b in &rect.bounds {
                        let end = |v: f64| {
                            if v.fract() == 0.0 && v.abs() < 9.0e15 {
                                format!("{}", v as i64)
                            } else {
                                num(v)
                            }
                        };
                        let _ = writeln!(
                            p,
                            "          <{tag} index=\"{}\" min=\"{}\" max=\"{}\"/>",
                            b.issue + 1,
                            end(b.min),
                            end(b.max)
                        );
                    }
                    p.push_str("        </hyperRectangle>\n");
                }
                p.push_str("      </ufun>\n    </utility>\n  </objective>\n");
            }
        }
        let _ = writeln!(p, "  <reservation value=\"{}\"/>", num(reservation));
        let _ = writeln!(p, "  <discount_factor value=\"{}\"/>", num(a.discount));
        p.push_str("</utility_space>\n");
        profiles.push((a.id.clone(), p));
    }
    if reasons.is_empty() {
        Ok(GeniusFiles { domain, profiles, notes })
    } else {
        Err(ExportError { reasons })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(sanitize_id("External Monitor", "issue"), "external_monitor");
        assert_eq!(sanitize_id("0:00-2:59 prices [cents/kWh]", "issue"), "issue_0_00_2_59_prices_cents_kwh");
        assert_eq!(sanitize_id("日本", "issue"), "issue");
        // Words of the rule language are not ids (found by fuzzing GeniusWeb).
        assert_eq!(sanitize_id("Never", "issue"), "never_issue");
        assert_eq!(sanitize_id("and", "party"), "and_party");
        assert_eq!(unique("a".into(), &["a".into(), "a_2".into()]), "a_3");
    }

    #[test]
    fn root_names_skip_prologue() {
        assert_eq!(genius_kind("<?xml version=\"1.0\"?>\n<!-- x -->\n<utility_space>"), Some(GeniusKind::Profile));
        assert_eq!(genius_kind("\n\n<negotiation_template>"), Some(GeniusKind::Domain));
        assert_eq!(genius_kind("0.5, 1.0"), None);
        assert_eq!(genius_kind("<?xml"), None);
    }

    #[test]
    fn numbers_read_like_java() {
        assert_eq!(parse_number(" .2 "), Some(0.2));
        assert_eq!(parse_number("1e-3"), Some(0.001));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(num(1.0), "1.0");
        assert_eq!(num(0.1), "0.1");
    }

    #[test]
    fn offsets_from_rows_and_columns() {
        let text = "ab\nçd\nef";
        assert_eq!(offset_at(text, 2, 2), 5);
        assert_eq!(offset_at(text, 9, 1), text.len());
    }
}
