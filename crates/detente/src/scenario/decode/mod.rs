//! Turns a document tree ([`Node`]) into a [`Scenario`], reporting every
//! problem with its location.
//!
//! Decoding runs in dependency order — issues, actors, status quo,
//! constraints, beliefs, then the uncertain judgements ([`uncertain`]) — so every reference can be resolved (and misspellings
//! suggested) the moment it is read, while the spans are still at hand. It
//! never stops at the first error: a broken actor is skipped, the rest is
//! still checked, and the caller gets every diagnostic at once.

use super::expr::satisfiable;
use super::*;
use crate::diagnostic::{Diagnostic, Span};
use crate::format::tree::{Key, Node, NodeKind};
use crate::suggest::did_you_mean;

mod events;
mod plans;
mod rules;
mod statements;
mod types;
mod uncertain;

pub use events::{CALENDAR_FIELDS, EVENT_FIELDS};
pub use plans::PLAN_FIELDS;
pub use rules::INTERACTION_FIELDS;
pub use statements::{reacting_actor, STATEMENT_FIELDS};
pub use types::{PRESSURE_FIELDS, TYPE_FIELDS};

pub use uncertain::UNCERTAIN_FIELDS;
/// How far saliences used as weights (`normalize = false`) may sum above 1
/// before a warning: the rounding of weights written to a few decimals.
const SALIENCE_ROUNDING: f64 = 1e-3;

/// Top-level fields of a scenario file.
pub const SCENARIO_FIELDS: &[&str] = &[
    "format",
    "name",
    "description",
    "source",
    "issues",
    "actors",
    "constraints",
    "beliefs",
    "status_quo",
    "uncertain",
    "plans",
    "events",
    "calendar",
    "types",
    "pressures",
    "statements",
];
/// Fields of an `[[issues]]` entry.
pub const ISSUE_FIELDS: &[&str] =
    &["id", "name", "description", "source", "kind", "options", "ordered", "min", "max", "unit", "when", "otherwise"];
/// Fields of an `[[actors]]` entry.
pub const ACTOR_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "source",
    "role",
    "capability",
    "reservation",
    "ratifiers",
    "vetoes",
    "normalize",
    "stances",
    "discount",
    "rectangles",
    "max_utility",
    "interactions",
    "deadline",
];
/// Fields of a stance (`[actors.stances.ISSUE]`).
pub const STANCE_FIELDS: &[&str] =
    &["position", "salience", "shape", "values", "tolerance", "slope", "offset", "source"];
/// Fields of a hyper-rectangle (`rectangles = [{ ... }]` of an actor).
pub const RECTANGLE_FIELDS: &[&str] = &["utility", "bounds", "exclude"];
/// Fields of a `[[constraints]]` entry.
pub const CONSTRAINT_FIELDS: &[&str] = &["label", "owner", "rule", "description", "source"];
/// Fields of a `[[beliefs]]` entry.
pub const BELIEF_FIELDS: &[&str] =
    &["holder", "about", "reservation", "stances", "dropped_constraints", "types", "source"];
/// Value-function shapes.
pub const SHAPES: &[&str] = &["linear", "quadratic", "step", "table", "affine"];
/// Issue kinds.
pub const ISSUE_KINDS: &[&str] = &["discrete", "integer", "continuous"];

/// Decodes `root` (parsed from `text`) into a scenario. Returns `None` when
/// any error was found; warnings alone still give a scenario.
pub fn decode(root: &Node, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Scenario> {
    let start = diagnostics.len();
    let scenario = Decoder { text, diags: diagnostics, failed_issues: Vec::new() }.scenario(root);
    let failed = diagnostics[start..].iter().any(Diagnostic::is_error);
    if failed {
        None
    } else {
        scenario
    }
}

struct Decoder<'a> {
    text: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    /// Ids of issues that failed to decode: references to them are not
    /// reported again as unknown.
    failed_issues: Vec<String>,
}

/// A table being read: which fields exist, found by name.
struct Obj<'n> {
    entries: &'n [(Key, Node)],
    span: Span,
    what: &'static str,
}

impl<'n> Obj<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
    }
}

fn list(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

impl<'a> Decoder<'a> {
    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn wrong_type(&mut self, node: &Node, what: &str, expected: &str, help: &str) {
        // The readers keep an integer literal too large for 64 bits as a
        // float; say so rather than "found a number".
        let written = self.text.get(node.span.start..node.span.end).unwrap_or("");
        let digits = written.trim_start_matches(['+', '-']).replace('_', "");
        if expected == "an integer"
            && matches!(node.kind, NodeKind::Float(_))
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            self.err(
                Diagnostic::error(
                    "scenario::out-of-range",
                    node.span,
                    format!("{what} is {written}, outside the 64-bit integer range ({} to {})", i64::MIN, i64::MAX),
                )
                .with_label("too large for 64 bits")
                .with_help(
                    "integers hold 64 bits; write a smaller number, or use kind = \"continuous\" for larger magnitudes",
                ),
            );
            return;
        }
        self.err(
            Diagnostic::error(
                "scenario::wrong-type",
                node.span,
                format!("{what} must be {expected}, found {}", node.kind.type_name()),
            )
            .with_label(format!("expected {expected}"))
            .with_help(help.to_string()),
        );
    }

    /// Opens a table, reporting unknown and repeated fields.
    fn obj<'n>(&mut self, node: &'n Node, what: &'static str, allowed: &[&str]) -> Option<Obj<'n>> {
        self.table(node, what, Some(allowed))
    }

    /// Opens a table; with `allowed`, reports fields not in it. Maps keyed by
    /// issue or option names pass `None` and resolve keys themselves.
    fn table<'n>(&mut self, node: &'n Node, what: &'static str, allowed: Option<&[&str]>) -> Option<Obj<'n>> {
        let NodeKind::Table(entries) = &node.kind else {
            let help = match allowed {
                Some(allowed) => format!("write {what} as a table with fields {}", list(allowed)),
                None => format!("write {what} as a table"),
            };
            self.wrong_type(node, what, "a table", &help);
            return None;
        };
        // First occurrence of each key: a map, so a table of 10⁵ entries is
        // checked in linear time.
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::with_capacity(entries.len());
        for (i, (key, _)) in entries.iter().enumerate() {
            let first = *seen.entry(key.name.as_str()).or_insert(i);
            if let Some((first, _)) = (first < i).then(|| &entries[first]) {
                self.err(
                    Diagnostic::error(
                        "scenario::duplicate",
                        key.span,
                        format!("field `{}` is given twice in {what}", key.name),
                    )
                    .with_secondary(first.span, "first given here")
                    .with_help("remove one of the two"),
                );
            } else if let Some(allowed) = allowed.filter(|a| !a.contains(&key.name.as_str())) {
                let help = match did_you_mean(&key.name, allowed) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("{what} fields are: {}", list(allowed)),
                };
                self.err(
                    Diagnostic::error(
                        "scenario::unknown-field",
                        key.span,
                        format!("unknown field `{}` in {what}", key.name),
                    )
                    .with_label("not a field of this table")
                    .with_help(help),
                );
            }
        }
        Some(Obj { entries, span: node.span, what })
    }

    fn required<'n>(&mut self, obj: &Obj<'n>, key: &str, help: &str) -> Option<&'n Node> {
        let v = obj.get(key);
        // A misspelt field ("salince") was already reported with a
        // suggestion; saying the real one is missing would repeat it.
        let misspelt = obj.entries.iter().any(|(k, _)| k.name != key && did_you_mean(&k.name, &[key]).is_some());
        if v.is_none() && !misspelt {
            self.err(
                Diagnostic::error(
                    "scenario::missing-field",
                    self.header_span(obj.span),
                    format!("{} has no `{key}`", obj.what),
                )
                .with_label(format!("`{key}` missing here"))
                .with_help(help.to_string()),
            );
        }
        v
    }

    /// The first line of a table's span, so a missing-field error points at
    /// the header rather than underlining a whole table.
    fn header_span(&self, span: Span) -> Span {
        let slice = self.text.get(span.range()).unwrap_or("");
        let len = slice.find(['\n', '\r']).unwrap_or(slice.len());
        Span::new(span.start, span.start + len)
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Str(s) => Some(s.clone()),
            _ => {
                self.wrong_type(node, what, "a string", "put the text in quotes");
                None
            }
        }
    }

    fn opt_string(&mut self, obj: &Obj<'_>, key: &str) -> Option<String> {
        obj.get(key).and_then(|n| self.string(n, &format!("`{key}`")))
    }

    fn number(&mut self, node: &Node, what: &str) -> Option<f64> {
        let v = match node.kind {
            NodeKind::Int(i) => i as f64,
            NodeKind::Float(f) => f,
            _ => {
                self.wrong_type(node, what, "a number", "write a number such as 0.5");
                return None;
            }
        };
        if !v.is_finite() {
            self.err(
                Diagnostic::error("scenario::out-of-range", node.span, format!("{what} must be a finite number"))
                    .with_help("use an ordinary number; inf, nan and numbers beyond 1e308 are not allowed"),
            );
            return None;
        }
        Some(v)
    }

    fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match node.kind {
            NodeKind::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, what, "true or false", "write true or false without quotes");
                None
            }
        }
    }

    fn array<'n>(&mut self, node: &'n Node, what: &str, help: &str) -> Option<&'n [Node]> {
        match &node.kind {
            NodeKind::Array(items) => Some(items),
            _ => {
                self.wrong_type(node, what, "an array", help);
                None
            }
        }
    }

    fn unit_interval(&mut self, node: &Node, what: &str, code: &'static str) -> Option<f64> {
        let v = self.number(node, what)?;
        if !(0.0..=1.0).contains(&v) {
            self.err(
                Diagnostic::error(code, node.span, format!("{what} must lie between 0 and 1, found {v}"))
                    .with_label("outside 0–1")
                    .with_help("rescale to 0–1 (e.g. 70 on a 0–100 scale is 0.7)"),
            );
            return None;
        }
        Some(v)
    }

    fn identifier(&mut self, node: &Node, what: &str, allow_dash: bool) -> Option<(String, Span)> {
        let s = self.string(node, what)?;
        let ok = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || (allow_dash && (c == '-' || c == '.')));
        if ok && !allow_dash && super::expr::KEYWORDS.contains(&s.as_str()) {
            self.err(
                Diagnostic::error(
                    "scenario::invalid-id",
                    node.span,
                    format!("{what} `{s}` is a word of the rule language"),
                )
                .with_help(format!(
                    "rules could not name it; use e.g. \"{s}_issue\" and put the readable text in `name`"
                )),
            );
            return None;
        }
        if !ok {
            let allowed = if allow_dash { "letters, digits, `_`, `-` and `.`" } else { "letters, digits and `_`" };
            let fixed: String =
                s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
            self.err(
                Diagnostic::error(
                    "scenario::invalid-id",
                    node.span,
                    format!("{what} `{s}` may contain only {allowed}, and must start with a letter or `_`"),
                )
                .with_help(format!(
                    "ids are used in rules; try \"{}\" and put the readable text in `name`",
                    fixed.trim_matches('_')
                )),
            );
            return None;
        }
        Some((s, node.span))
    }

    fn reference(&mut self, node: &Node, what: &str, ids: &[String], code: &'static str, kind: &str) -> Option<usize> {
        let s = self.string(node, what)?;
        if let Some(i) = ids.iter().position(|x| *x == s) {
            return Some(i);
        }
        let names: Vec<&str> = ids.iter().map(String::as_str).collect();
        let help = match did_you_mean(&s, &names) {
            Some(c) => format!("did you mean `{c}`?"),
            None if names.is_empty() => format!("declare the {kind} first"),
            None => format!("{kind}s are: {}", names.join(", ")),
        };
        self.err(
            Diagnostic::error(code, node.span, format!("no {kind} is named `{s}`"))
                .with_label(format!("unknown {kind}"))
                .with_help(help),
        );
        None
    }

    // ------------------------------------------------------------ sections

    fn scenario(&mut self, root: &Node) -> Option<Scenario> {
        // An empty file (or only comments) is one problem, not four.
        if matches!(&root.kind, NodeKind::Table(entries) if entries.is_empty()) {
            self.err(
                Diagnostic::error("scenario::missing-field", Span::at(0), "the file is empty: it holds no scenario")
                    .with_help(format!(
                        "a scenario needs `format = {FORMAT_VERSION}`, a `name`, [[issues]] and [[actors]]; see docs/scenario-format.md, or convert a scenario you have (`detente convert`)"
                    )),
            );
            return None;
        }
        let top = self.obj(root, "the scenario", SCENARIO_FIELDS)?;
        match top.get("format") {
            None => self.err(
                Diagnostic::error(
                    "scenario::unsupported-format",
                    Span::at(0),
                    "the file does not say which format version it uses",
                )
                .with_help(format!("add `format = {FORMAT_VERSION}` as the first line")),
            ),
            Some(node) => {
                if !matches!(node.kind, NodeKind::Int(FORMAT_VERSION)) {
                    self.err(
                        Diagnostic::error(
                            "scenario::unsupported-format",
                            node.span,
                            "this build reads format version 1 only",
                        )
                        .with_label("unsupported version")
                        .with_help(format!(
                            "write `format = {FORMAT_VERSION}`; files of newer versions need a newer detente"
                        )),
                    );
                }
            }
        }
        let name = self
            .required(&top, "name", "add a title, e.g. name = \"Kuril Islands talks, 2019\"")
            .and_then(|n| self.string(n, "`name`"));
        let description = self.opt_string(&top, "description");
        let source = self.opt_string(&top, "source");

        let issues = match top.get("issues") {
            Some(n) => self.issues(n),
            None => {
                self.err(
                    Diagnostic::error("scenario::missing-field", Span::at(0), "the scenario declares no issues")
                        .with_help("add at least one [[issues]] table with an `id` and a `kind`"),
                );
                Vec::new()
            }
        };
        let actor_nodes: &[Node] = match top.get("actors") {
            Some(n) => self.array(n, "`actors`", "write each actor as an [[actors]] table").unwrap_or(&[]),
            None => {
                self.err(
                    Diagnostic::error("scenario::missing-field", Span::at(0), "the scenario declares no actors")
                        .with_help("add at least one [[actors]] table with an `id` and `stances`"),
                );
                &[]
            }
        };
        if let (Some(n), true) = (top.get("actors"), actor_nodes.is_empty()) {
            self.err(
                Diagnostic::error("scenario::missing-field", n.span, "the scenario declares no actors")
                    .with_help("add at least one [[actors]] table with an `id` and `stances`"),
            );
        }
        let actor_ids = self.collect_ids(actor_nodes, "actor", "an actor", ACTOR_FIELDS);
        // Deadlines name events: their ids are read up front.
        let event_nodes: &[Node] = match top.get("events") {
            Some(n) => self.array(n, "`events`", "write each event as an [[events]] table").unwrap_or(&[]),
            None => &[],
        };
        let event_ids = self.collect_ids(event_nodes, "event", "an event", EVENT_FIELDS);
        let mut actors = Vec::new();
        let mut actor_spans = Vec::new();
        for node in actor_nodes {
            if let Some(a) = self.actor(node, &issues, &actor_ids, &event_ids) {
                actors.push(a);
                actor_spans.push(node.span);
            }
        }
        let status_quo = top.get("status_quo").and_then(|n| self.status_quo(n, &issues));
        if let (Some(sq), Some(node)) = (&status_quo, top.get("status_quo")) {
            if let Some(i) = rules::moot_in(&issues, sq) {
                let c = issues[i].condition.as_ref().expect("moot issues have a condition");
                let domain = &issues[i].domain;
                self.err(
                    Diagnostic::error(
                        "scenario::condition",
                        self.header_span(node.span),
                        format!(
                            "the status quo sets `{}` to {} although its condition `{}` does not hold there",
                            issues[i].id,
                            domain.display(&sq[i]),
                            c.rule_text
                        ),
                    )
                    .with_help(format!(
                        "while `{}` does not hold, `{}` takes {}: set it so in the status quo",
                        c.rule_text,
                        issues[i].id,
                        domain.display(&c.otherwise)
                    )),
                );
            }
        }
        let complete = actors.len() == actor_nodes.len() && !self.diags.iter().any(Diagnostic::is_error);

        let mut constraints = Vec::new();
        let mut constraint_spans = Vec::new();
        if let Some(n) = top.get("constraints") {
            let nodes =
                self.array(n, "`constraints`", "write each constraint as a [[constraints]] table").unwrap_or(&[]);
            let mut labels: Vec<(String, Span)> = Vec::new();
            for node in nodes {
                if let Some((c, label_span, rule_span)) = self.constraint(node, &issues, &actor_ids, &labels) {
                    labels.push((c.label.clone(), label_span));
                    constraint_spans.push(rule_span);
                    constraints.push(c);
                }
            }
        }
        let types = match top.get("types") {
            Some(n) => self.types(n, &issues, &actor_ids, complete.then_some(&actors[..]), &constraints),
            None => Vec::new(),
        };
        let mut beliefs = Vec::new();
        if let Some(n) = top.get("beliefs") {
            let nodes = self.array(n, "`beliefs`", "write each belief as a [[beliefs]] table").unwrap_or(&[]);
            for node in nodes {
                if let Some(b) =
                    self.belief(node, &issues, &actor_ids, complete.then_some(&actors[..]), &constraints, &types)
                {
                    beliefs.push(b);
                }
            }
        }
        let pressures = match top.get("pressures") {
            Some(n) if complete => self.pressures(n, &issues, &actor_ids, &actors),
            _ => Vec::new(),
        };

        // Whole-scenario checks need every actor decoded.
        if complete {
            self.needs_status_quo(&actors, &actor_spans, &status_quo, &beliefs, &types);
            self.role_checks(&actors, &actor_spans);
        }
        if !constraints.is_empty() && !self.diags.iter().any(Diagnostic::is_error) {
            self.contradictions(&constraints, &constraint_spans, &issues, &actors);
        }
        let mut scenario = Scenario {
            name: name?,
            description,
            source,
            issues,
            actors,
            constraints,
            beliefs,
            status_quo,
            uncertain: Vec::new(),
            plans: Vec::new(),
            events: Vec::new(),
            calendar: None,
            types,
            pressures,
            statements: Vec::new(),
        };
        scenario.refresh_pressures();
        // Paths name actors and issues: resolve them only when all decoded.
        if let Some(n) = top.get("uncertain") {
            if complete {
                scenario.uncertain = self.uncertain(n, &scenario);
            }
        }
        if let Some(n) = top.get("plans") {
            scenario.plans = self.plans(n, &scenario.issues, top.get("status_quo").is_some());
        }
        if let Some(n) = top.get("calendar") {
            scenario.calendar = self.calendar(n);
        }
        // Statements' reactions are paths, checked against the whole
        // scenario; events name statements.
        if let Some(n) = top.get("statements") {
            if complete {
                scenario.statements = self.statements(n, &scenario);
            }
        }
        if complete && !event_nodes.is_empty() {
            scenario.events = self.events(event_nodes, &scenario);
        }
        Some(scenario)
    }

    /// Reads the ids of a list of tables up front, so later items can refer
    /// to earlier and later ones alike; reports duplicates once.
    fn collect_ids(&mut self, nodes: &[Node], kind: &str, what: &str, _fields: &[&str]) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for node in nodes {
            let id = match &node.kind {
                NodeKind::Table(entries) => entries.iter().find(|(k, _)| k.name == "id").map(|(_, v)| v),
                _ => None,
            };
            let Some(id) = id else {
                ids.push(String::new());
                spans.push(node.span);
                continue;
            };
            match &id.kind {
                NodeKind::Str(s) => {
                    let j = *first.entry(s.clone()).or_insert(ids.len());
                    if let Some(j) = (j < ids.len() && !s.is_empty()).then_some(j) {
                        self.err(
                            Diagnostic::error("scenario::duplicate", id.span, format!("two {kind}s have the id `{s}`"))
                                .with_secondary(spans[j], format!("first {kind} `{s}` here"))
                                .with_help(format!("give {what} a unique id")),
                        );
                    }
                    ids.push(s.clone());
                }
                _ => ids.push(String::new()),
            }
            spans.push(id.span);
        }
        ids
    }

    fn issues(&mut self, node: &Node) -> Vec<Issue> {
        let Some(nodes) = self.array(node, "`issues`", "write each issue as an [[issues]] table") else {
            return Vec::new();
        };
        let ids = self.collect_ids(nodes, "issue", "each issue", ISSUE_FIELDS);
        let mut out: Vec<Issue> = Vec::new();
        for (k, node) in nodes.iter().enumerate() {
            match self.issue(node) {
                // A duplicate keeps only its first occurrence.
                Some(issue) if ids[..k].contains(&issue.id) => {}
                Some(issue) => out.push(issue),
                None if !ids[k].is_empty() => self.failed_issues.push(ids[k].clone()),
                None => {}
            }
        }
        self.conditions(nodes, &mut out);
        if nodes.is_empty() {
            self.err(
                Diagnostic::error("scenario::missing-field", node.span, "the scenario declares no issues")
                    .with_help("add at least one [[issues]] table with an `id` and a `kind`"),
            );
        }
        out
    }

    fn issue(&mut self, node: &Node) -> Option<Issue> {
        let obj = self.obj(node, "an issue", ISSUE_FIELDS)?;
        let id = self.required(&obj, "id", "give the issue an id such as \"peace_treaty\"");
        let id = id.and_then(|n| self.identifier(n, "issue id", false));
        let name = self.opt_string(&obj, "name");
        let description = self.opt_string(&obj, "description");
        let source = self.opt_string(&obj, "source");
        let unit = self.opt_string(&obj, "unit");
        let kind = match obj.get("kind") {
            Some(n) => {
                let s = self.string(n, "`kind`")?;
                if !ISSUE_KINDS.contains(&s.as_str()) {
                    let help = match did_you_mean(&s, ISSUE_KINDS) {
                        Some(c) => format!("did you mean \"{c}\"?"),
                        None => format!("kinds are: {}", list(ISSUE_KINDS)),
                    };
                    self.err(
                        Diagnostic::error("scenario::wrong-type", n.span, format!("`{s}` is not an issue kind"))
                            .with_help(help),
                    );
                    return None;
                }
                s
            }
            None if obj.get("options").is_some() => "discrete".to_string(),
            None => {
                self.required(
                    &obj,
                    "kind",
                    "add kind = \"discrete\" (with options), \"integer\" or \"continuous\" (with min and max)",
                );
                return None;
            }
        };
        let misplaced = |fields: &[&str]| -> Vec<&'static str> {
            ISSUE_FIELDS.iter().copied().filter(|f| fields.contains(f) && obj.get(f).is_some()).collect()
        };
        let (not_here, domain) = match kind.as_str() {
            "discrete" => {
                let options = self.required(&obj, "options", "list the options, e.g. options = [\"no\", \"yes\"]");
                let ordered = obj.get("ordered").and_then(|n| self.bool(n, "`ordered`")).unwrap_or(false);
                let domain = options.and_then(|n| self.options(n)).map(|options| Domain::Discrete { options, ordered });
                (misplaced(&["min", "max", "unit"]), domain)
            }
            _ => {
                let min = self.required(&obj, "min", "give the smallest value, e.g. min = 0");
                let max = self.required(&obj, "max", "give the largest value, e.g. max = 100");
                let domain = match (min, max) {
                    (Some(lo), Some(hi)) => self.range(&kind, lo, hi, unit),
                    _ => None,
                };
                (misplaced(&["options", "ordered"]), domain)
            }
        };
        for field in not_here {
            let key = obj.entries.iter().find(|(k, _)| k.name == field).map(|(k, _)| k.span);
            self.err(
                Diagnostic::error("scenario::wrong-type", key, format!("`{field}` does not apply to a {kind} issue"))
                    .with_help(
                        if kind == "discrete" {
                            "discrete issues take `options` and `ordered`"
                        } else {
                            "numeric issues take `min`, `max` and `unit`"
                        }
                        .to_string(),
                    ),
            );
        }
        Some(Issue { id: id?.0, name, description, source, domain: domain?, condition: None })
    }

    fn options(&mut self, node: &Node) -> Option<Vec<String>> {
        let items = self.array(node, "`options`", "list the option labels, e.g. options = [\"no\", \"yes\"]")?;
        if items.is_empty() {
            self.err(
                Diagnostic::error("scenario::value-table", node.span, "a discrete issue needs at least one option")
                    .with_help("list the options, e.g. [\"no\", \"yes\"]"),
            );
            return None;
        }
        let mut out: Vec<String> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut ok = true;
        for item in items {
            let Some(s) = self.string(item, "an option label") else {
                ok = false;
                continue;
            };
            let j = *first.entry(s.clone()).or_insert(out.len());
            if j < out.len() {
                self.err(
                    Diagnostic::error("scenario::duplicate", item.span, format!("option `{s}` is listed twice"))
                        .with_secondary(spans[j], "first listed here")
                        .with_help("option labels must be unique within an issue"),
                );
                ok = false;
            }
            if s.is_empty() {
                self.err(
                    Diagnostic::error("scenario::invalid-id", item.span, "an option label may not be empty")
                        .with_help("name the option"),
                );
                ok = false;
            }
            out.push(s);
            spans.push(item.span);
        }
        ok.then_some(out)
    }

    fn range(&mut self, kind: &str, lo: &Node, hi: &Node, unit: Option<String>) -> Option<Domain> {
        if kind == "integer" {
            let int = |d: &mut Self, n: &Node, what: &str| match n.kind {
                NodeKind::Int(v) => Some(v),
                _ => {
                    d.wrong_type(
                        n,
                        what,
                        "an integer",
                        "integer issues take whole numbers; use kind = \"continuous\" for fractions",
                    );
                    None
                }
            };
            let (min, max) = (int(self, lo, "`min`")?, int(self, hi, "`max`")?);
            if min > max {
                self.err(
                    Diagnostic::error(
                        "scenario::invalid-range",
                        hi.span,
                        format!("`max` ({max}) is below `min` ({min})"),
                    )
                    .with_secondary(lo.span, "min")
                    .with_help("swap the two numbers"),
                );
                return None;
            }
            Some(Domain::Integer { min, max, unit })
        } else {
            let (min, max) = (self.number(lo, "`min`")?, self.number(hi, "`max`")?);
            if min >= max {
                self.err(
                    Diagnostic::error(
                        "scenario::invalid-range",
                        hi.span,
                        format!("`max` ({max}) must be above `min` ({min})"),
                    )
                    .with_secondary(lo.span, "min")
                    .with_help("a continuous issue needs a non-empty interval"),
                );
                return None;
            }
            // Grids, distances and forecasts work with `max - min`: a span
            // beyond the largest float would silently lose grid points.
            if !(max - min).is_finite() {
                self.err(
                    Diagnostic::error(
                        "scenario::invalid-range",
                        hi.span,
                        format!("the range {min:e} to {max:e} is wider than a 64-bit float can hold (its width overflows)"),
                    )
                    .with_secondary(lo.span, "min")
                    .with_help("rescale the issue (e.g. in thousands or millions of the unit) so that max − min stays below 1.7e308"),
                );
                return None;
            }
            Some(Domain::Continuous { min, max, unit })
        }
    }

    /// Reads one value of `issue` (option label or number) and checks it
    /// lies in the issue's domain.
    fn value(&mut self, node: &Node, issue: &Issue, what: &str) -> Option<Value> {
        match &issue.domain {
            Domain::Discrete { options, .. } => {
                let NodeKind::Str(label) = &node.kind else {
                    self.wrong_type(
                        node,
                        what,
                        "an option label",
                        &format!("issue `{}` is discrete; use one of its options: {}", issue.id, options.join(", ")),
                    );
                    return None;
                };
                match options.iter().position(|o| o == label) {
                    Some(i) => Some(Value::Option(i)),
                    None => {
                        let names: Vec<&str> = options.iter().map(String::as_str).collect();
                        let help = match did_you_mean(label, &names) {
                            Some(c) => format!("did you mean \"{c}\"?"),
                            None => format!("options of `{}` are: {}", issue.id, names.join(", ")),
                        };
                        self.err(
                            Diagnostic::error(
                                "scenario::unknown-option",
                                node.span,
                                format!("`{label}` is not an option of issue `{}`", issue.id),
                            )
                            .with_label("unknown option")
                            .with_help(help),
                        );
                        None
                    }
                }
            }
            Domain::Integer { min, max, .. } => {
                let NodeKind::Int(v) = node.kind else {
                    self.wrong_type(
                        node,
                        what,
                        "an integer",
                        &format!("issue `{}` takes whole numbers from {min} to {max}", issue.id),
                    );
                    return None;
                };
                if v < *min || v > *max {
                    self.out_of_issue_range(node, what, &issue.id, &format!("{min} to {max}"));
                    return None;
                }
                Some(Value::Int(v))
            }
            Domain::Continuous { min, max, .. } => {
                let v = self.number(node, what)?;
                if v < *min || v > *max {
                    self.out_of_issue_range(node, what, &issue.id, &format!("{min} to {max}"));
                    return None;
                }
                Some(Value::Real(v))
            }
        }
    }

    fn out_of_issue_range(&mut self, node: &Node, what: &str, issue: &str, range: &str) {
        self.err(
            Diagnostic::error(
                "scenario::out-of-range",
                node.span,
                format!("{what} lies outside issue `{issue}`'s range {range}"),
            )
            .with_label("out of range")
            .with_help(format!("use a value from {range}, or widen the issue's range")),
        );
    }

    fn issue_key(&mut self, key: &Key, issues: &[Issue]) -> Option<usize> {
        if let Some(i) = issues.iter().position(|i| i.id == key.name) {
            return Some(i);
        }
        let names: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
        let help = match did_you_mean(&key.name, &names) {
            Some(c) => format!("did you mean `{c}`?"),
            None if names.is_empty() => "declare the issue first, as an [[issues]] table".to_string(),
            None => format!("issues are: {}", names.join(", ")),
        };
        if self.failed_issues.contains(&key.name) {
            // The issue itself failed to load and was reported already.
            return None;
        }
        self.err(
            Diagnostic::error("scenario::unknown-issue", key.span, format!("no issue is named `{}`", key.name))
                .with_label("unknown issue")
                .with_help(help),
        );
        None
    }

    fn actor(&mut self, node: &Node, issues: &[Issue], actor_ids: &[String], event_ids: &[String]) -> Option<Actor> {
        let obj = self.obj(node, "an actor", ACTOR_FIELDS)?;
        let id = self
            .required(&obj, "id", "give the actor an id such as \"japan\"")
            .and_then(|n| self.identifier(n, "actor id", false));
        let name = self.opt_string(&obj, "name");
        let description = self.opt_string(&obj, "description");
        let source = self.opt_string(&obj, "source");
        let mut ok = true;
        let role = match obj.get("role") {
            None => Role::Party,
            Some(n) => {
                let s = self.string(n, "`role`")?;
                match Role::ALL.iter().find(|r| r.as_str() == s) {
                    Some(r) => *r,
                    None => {
                        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                        let help = match did_you_mean(&s, &names) {
                            Some(c) => format!("did you mean \"{c}\"?"),
                            None => format!("roles are: {}", list(&names)),
                        };
                        self.err(
                            Diagnostic::error("scenario::wrong-type", n.span, format!("`{s}` is not a role"))
                                .with_help(help),
                        );
                        return None;
                    }
                }
            }
        };
        let capability = match obj.get("capability") {
            None => 1.0,
            Some(n) => match self.number(n, "`capability`") {
                Some(v) if v >= 0.0 => v,
                Some(v) => {
                    self.err(
                        Diagnostic::error(
                            "scenario::out-of-range",
                            n.span,
                            format!("capability must not be negative, found {v}"),
                        )
                        .with_help("use 0 for an actor with no power over the outcome"),
                    );
                    ok = false;
                    0.0
                }
                None => {
                    ok = false;
                    0.0
                }
            },
        };
        let reservation = match obj.get("reservation") {
            None => Reservation::Value(0.0),
            Some(n) => match self.reservation(n) {
                Some(r) => r,
                None => {
                    ok = false;
                    Reservation::Value(0.0)
                }
            },
        };
        let mut ratifiers = Vec::new();
        if let Some(n) = obj.get("ratifiers") {
            for item in self.array(n, "`ratifiers`", "list actor ids, e.g. ratifiers = [\"diet\"]").unwrap_or(&[]) {
                match self.reference(item, "a ratifier", actor_ids, "scenario::unknown-actor", "actor") {
                    Some(i) => ratifiers.push(i),
                    None => ok = false,
                }
            }
        }
        let mut vetoes = Vec::new();
        if let Some(n) = obj.get("vetoes") {
            let ids: Vec<String> = issues.iter().map(|i| i.id.clone()).collect();
            for item in self.array(n, "`vetoes`", "list issue ids, e.g. vetoes = [\"sanctions\"]").unwrap_or(&[]) {
                match self.reference(item, "a vetoed issue", &ids, "scenario::unknown-issue", "issue") {
                    Some(i) => vetoes.push(i),
                    None => ok = false,
                }
            }
        }
        let normalize = obj.get("normalize").and_then(|n| self.bool(n, "`normalize`")).unwrap_or(true);
        let deadline = match obj.get("deadline") {
            None => None,
            Some(n) => match self.deadline(n, role, event_ids) {
                Some(k) => Some(k),
                None => {
                    ok = false;
                    None
                }
            },
        };
        let discount = match obj.get("discount") {
            None => 1.0,
            Some(n) => match self.number(n, "`discount`") {
                Some(v) if v > 0.0 && v <= 1.0 => v,
                Some(v) => {
                    self.err(
                        Diagnostic::error(
                            "scenario::out-of-range",
                            n.span,
                            format!("discount must lie above 0 and at most 1, found {v}"),
                        )
                        .with_label("outside (0, 1]")
                        .with_help("1 means no discounting; 0.9 means an agreement at the deadline is worth 90%"),
                    );
                    ok = false;
                    1.0
                }
                None => {
                    ok = false;
                    1.0
                }
            },
        };
        let utility_model = match self.utility_model(&obj, issues) {
            Some(m) => m,
            None => {
                ok = false;
                UtilityModel::Additive
            }
        };
        let interactions = match obj.get("interactions") {
            None => Vec::new(),
            Some(n) => match self.interactions(n, issues) {
                Some(terms) if !terms.is_empty() && !matches!(utility_model, UtilityModel::Additive) => {
                    self.err(
                        Diagnostic::error(
                            "scenario::interaction",
                            n.span,
                            "interaction terms adjust an additive utility, and this actor's utility comes from rectangles",
                        )
                        .with_help("give the term as one more rectangle instead, or use stances with interaction terms"),
                    );
                    ok = false;
                    Vec::new()
                }
                Some(terms) => terms,
                None => {
                    ok = false;
                    Vec::new()
                }
            },
        };
        let mut stances = Vec::new();
        match obj.get("stances") {
            Some(n) => {
                if let Some(st) = self.table(n, "`stances`", None) {
                    if st.entries.is_empty() && obj.get("rectangles").is_none() {
                        let id_text = id.as_ref().map(|i| i.0.clone()).unwrap_or_default();
                        self.err(
                            Diagnostic::warning(
                                "scenario::no-stances",
                                n.span,
                                format!("actor `{id_text}` has no stances, so it is indifferent to every outcome"),
                            )
                            .with_help("give a position and salience for each issue the actor cares about"),
                        );
                    }
                    for (key, value) in st.entries {
                        let Some(issue) = issues.iter().position(|i| i.id == key.name) else {
                            ok = false;
                            self.issue_key(key, issues);
                            continue;
                        };
                        match self.stance(value, &issues[issue], issue, None) {
                            Some(s) => stances.push(s),
                            None => ok = false,
                        }
                    }
                } else {
                    ok = false;
                }
            }
            None if obj.get("rectangles").is_some() => {}
            None => {
                let (span, id_text) =
                    (self.header_span(obj.span), id.as_ref().map(|i| i.0.clone()).unwrap_or_default());
                self.err(
                    Diagnostic::warning(
                        "scenario::no-stances",
                        span,
                        format!("actor `{id_text}` has no stances, so it is indifferent to every outcome"),
                    )
                    .with_help("add [actors.stances] with a position and salience per issue the actor cares about"),
                );
            }
        }
        let total: f64 = stances.iter().map(|s| s.salience).sum();
        // Weights written with rounding (GENIUS's Laptop seller: 1.0000518)
        // change no utility by more than the excess, and the sum is capped at
        // 1, so only an excess beyond rounding is worth a warning: files
        // that detente writes from such data check clean.
        if ok && !normalize && total > 1.0 + SALIENCE_ROUNDING {
            let id_text = id.as_ref().map(|i| i.0.clone()).unwrap_or_default();
            self.err(
                Diagnostic::warning(
                    "scenario::out-of-range",
                    self.header_span(obj.span),
                    format!("the saliences of actor `{id_text}` sum to {total}, and with normalize = false its best outcomes are capped at utility 1 and look alike"),
                )
                .with_help("make the saliences sum to 1, or remove `normalize = false`"),
            );
        }
        if ok && normalize && !stances.is_empty() && stances.iter().all(|s| s.salience == 0.0) {
            let id_text = id.as_ref().map(|i| i.0.clone()).unwrap_or_default();
            self.err(
                Diagnostic::warning(
                    "scenario::no-stances",
                    self.header_span(obj.span),
                    format!("every salience of actor `{id_text}` is 0, so it is indifferent to every outcome"),
                )
                .with_help("give at least one issue a salience above 0"),
            );
        }
        if !ok {
            return None;
        }
        Some(Actor {
            id: id?.0,
            name,
            description,
            source,
            role,
            capability,
            reservation,
            ratifiers,
            vetoes,
            normalize,
            stances,
            discount,
            utility_model,
            interactions,
            deadline,
        })
    }

    /// Reads `rectangles` and `max_utility` (a non-linear utility) when
    /// given; `None` after an error.
    fn utility_model(&mut self, obj: &Obj<'_>, issues: &[Issue]) -> Option<UtilityModel> {
        let max_key = obj.entries.iter().find(|(k, _)| k.name == "max_utility");
        let Some(node) = obj.get("rectangles") else {
            if let Some((key, _)) = max_key {
                self.err(
                    Diagnostic::error("scenario::rectangles", key.span, "`max_utility` goes with `rectangles`")
                        .with_help("remove it, or describe the actor's utility with `rectangles`"),
                );
                return None;
            }
            return Some(UtilityModel::Additive);
        };
        let mut ok = true;
        if let Some((key, _)) = obj.entries.iter().find(|(k, _)| k.name == "stances") {
            self.err(
                Diagnostic::error(
                    "scenario::rectangles",
                    key.span,
                    "an actor has either `stances` or `rectangles`, not both",
                )
                .with_secondary(node.span, "rectangles here")
                .with_help("stances give an additive utility, rectangles a non-linear one; keep one of the two"),
            );
            ok = false;
        }
        let max_utility = match max_key {
            None => {
                self.required(obj, "max_utility", "give the normaliser, e.g. max_utility = 100 (GENIUS `maxutility`)");
                None
            }
            Some((_, n)) => match self.number(n, "`max_utility`") {
                Some(v) if v > 0.0 => Some(v),
                Some(v) => {
                    self.err(
                        Diagnostic::error(
                            "scenario::out-of-range",
                            n.span,
                            format!("`max_utility` must be above 0, found {v}"),
                        )
                        .with_help("utilities are divided by it; use the largest sum of rectangle utilities"),
                    );
                    None
                }
                None => None,
            },
        };
        let items =
            self.array(node, "`rectangles`", "write rectangles = [{ utility = 10, bounds = { price = [0, 5] } }]");
        let mut rectangles = Vec::new();
        for item in items.unwrap_or(&[]) {
            match self.rectangle(item, issues) {
                Some(r) => rectangles.push(r),
                None => ok = false,
            }
        }
        let max_utility = max_utility?;
        (ok && items.is_some()).then_some(UtilityModel::Rectangles(RectangleUtility { max_utility, rectangles }))
    }

    fn rectangle(&mut self, node: &Node, issues: &[Issue]) -> Option<Rectangle> {
        let obj = self.obj(node, "a rectangle", RECTANGLE_FIELDS)?;
        let utility = self
            .required(&obj, "utility", "give what an outcome inside is worth, e.g. utility = 12")
            .and_then(|n| self.number(n, "`utility`"));
        let mut bounds = Vec::new();
        let mut ok = true;
        if let Some(b) = obj.get("bounds") {
            let table = self.table(b, "`bounds`", None)?;
            for (key, v) in table.entries {
                let Some(i) = self.issue_key(key, issues) else {
                    ok = false;
                    continue;
                };
                if let Domain::Discrete { .. } = issues[i].domain {
                    self.err(
                        Diagnostic::error(
                            "scenario::rectangles",
                            key.span,
                            format!(
                                "issue `{}` is discrete, and rectangle bounds apply only to numeric issues",
                                key.name
                            ),
                        )
                        .with_help("bound integer or continuous issues; GENIUS rectangles use integer issues"),
                    );
                    ok = false;
                    continue;
                }
                let pair = match &v.kind {
                    NodeKind::Array(items) if items.len() == 2 => {
                        let lo = self.number(&items[0], "a bound's minimum");
                        let hi = self.number(&items[1], "a bound's maximum");
                        lo.zip(hi)
                    }
                    _ => {
                        self.wrong_type(
                            v,
                            "a bound",
                            "an array [min, max]",
                            "write e.g. price = [0, 5] (both ends inside)",
                        );
                        None
                    }
                };
                let Some((min, max)) = pair else {
                    ok = false;
                    continue;
                };
                if min > max {
                    self.err(
                        Diagnostic::error(
                            "scenario::rectangles",
                            v.span,
                            format!("the bound on `{}` runs from {min} down to {max}", key.name),
                        )
                        .with_label("minimum above maximum")
                        .with_help("write [min, max] with min ≤ max; both ends are inside the rectangle"),
                    );
                    ok = false;
                    continue;
                }
                bounds.push(Bound { issue: i, min, max });
            }
        }
        let exclude = match obj.get("exclude") {
            Some(n) => self.bool(n, "`exclude`")?,
            None => false,
        };
        ok.then_some(Rectangle { utility: utility?, bounds, exclude })
    }

    fn reservation(&mut self, node: &Node) -> Option<Reservation> {
        match &node.kind {
            NodeKind::Str(s) if s == "status-quo" => Some(Reservation::StatusQuo),
            NodeKind::Str(s) => {
                self.err(
                    Diagnostic::error(
                        "scenario::wrong-type",
                        node.span,
                        format!("reservation must be a number in 0–1 or \"status-quo\", found \"{s}\""),
                    )
                    .with_help(
                        "write reservation = 0.4, or reservation = \"status-quo\" to use the utility of the status quo",
                    ),
                );
                None
            }
            _ => self.unit_interval(node, "reservation", "scenario::out-of-range").map(Reservation::Value),
        }
    }

    /// Reads a stance; with `base`, fields left out keep the base stance's
    /// values (a belief that only changes a salience, say).
    fn stance(&mut self, node: &Node, issue: &Issue, issue_idx: usize, base: Option<&Stance>) -> Option<Stance> {
        let obj = self.obj(node, "a stance", STANCE_FIELDS)?;
        let salience = match obj.get("salience") {
            Some(n) => self.unit_interval(n, "salience", "scenario::salience-range")?,
            None => match base {
                Some(b) => b.salience,
                None => {
                    self.required(&obj, "salience", "add salience = 0.5 (how much the actor cares, 0–1)");
                    return None;
                }
            },
        };
        // A believed stance cites the belief, never the true stance's source.
        let source = self.opt_string(&obj, "source");
        let shape_node = obj.get("shape");
        let shape = match shape_node {
            Some(n) => {
                let s = self.string(n, "`shape`")?;
                if !SHAPES.contains(&s.as_str()) {
                    let help = match did_you_mean(&s, SHAPES) {
                        Some(c) => format!("did you mean \"{c}\"?"),
                        None => format!("shapes are: {}", list(SHAPES)),
                    };
                    self.err(
                        Diagnostic::error(
                            "scenario::wrong-type",
                            n.span,
                            format!("`{s}` is not a value-function shape"),
                        )
                        .with_help(help),
                    );
                    return None;
                }
                s
            }
            None if obj.get("values").is_some() => "table".to_string(),
            None if obj.get("slope").is_some() || obj.get("offset").is_some() => "affine".to_string(),
            None => match base {
                // A belief that moves only the position keeps the true shape
                // (and tolerance); a table has no position to move.
                Some(b) if obj.get("position").is_none() || !matches!(b.value, ValueFunction::Table { .. }) => {
                    b.value.shape_name().to_string()
                }
                _ => "linear".to_string(),
            },
        };
        let value = if shape == "table" {
            if let Some(n) = obj.get("position") {
                self.err(
                    Diagnostic::error(
                        "scenario::value-table",
                        n.span,
                        "a stance with a value table takes no `position`",
                    )
                    .with_help("remove `position`; the table gives the value of every option"),
                );
                return None;
            }
            match obj.get("values") {
                Some(n) => ValueFunction::Table { values: self.value_table(n, issue)? },
                None => match base.map(|b| &b.value) {
                    Some(v @ ValueFunction::Table { .. }) => v.clone(),
                    _ => {
                        self.required(
                            &obj,
                            "values",
                            "give a value in 0–1 for every option, e.g. values = { no = 0.0, yes = 1.0 }",
                        );
                        return None;
                    }
                },
            }
        } else if let Some(n) = obj.get("values") {
            self.err(
                Diagnostic::error(
                    "scenario::value-table",
                    n.span,
                    format!("`values` goes with shape \"table\", not \"{shape}\""),
                )
                .with_help("remove `shape`, or remove `values` and give a `position`"),
            );
            return None;
        } else if shape == "affine" {
            self.affine(&obj, issue, base)?
        } else {
            let position = match obj.get("position") {
                Some(n) => self.value(n, issue, "position")?,
                None => match base.and_then(|b| b.value.position()) {
                    Some(p) => p,
                    None => {
                        self.required(&obj, "position", "give the actor's ideal value on this issue");
                        return None;
                    }
                },
            };
            match shape.as_str() {
                "linear" => ValueFunction::Linear { position },
                "quadratic" => ValueFunction::Quadratic { position },
                _ => {
                    let tolerance = match obj.get("tolerance") {
                        Some(n) => {
                            let v = self.number(n, "tolerance")?;
                            if v < 0.0 {
                                self.err(
                                    Diagnostic::error(
                                        "scenario::out-of-range",
                                        n.span,
                                        "tolerance must not be negative",
                                    )
                                    .with_help("use 0 to accept only the position itself"),
                                );
                                return None;
                            }
                            v
                        }
                        None => match base.map(|b| &b.value) {
                            Some(ValueFunction::Step { tolerance, .. }) => *tolerance,
                            _ => 0.0,
                        },
                    };
                    ValueFunction::Step { position, tolerance }
                }
            }
        };
        if shape != "step" {
            if let Some((k, _)) = obj.entries.iter().find(|(k, _)| k.name == "tolerance") {
                self.err(
                    Diagnostic::error("scenario::wrong-type", k.span, "`tolerance` applies only to shape \"step\"")
                        .with_help("remove it, or add shape = \"step\""),
                );
                return None;
            }
        }
        if shape != "affine" {
            if let Some((k, _)) = obj.entries.iter().find(|(k, _)| k.name == "slope" || k.name == "offset") {
                self.err(
                    Diagnostic::error(
                        "scenario::wrong-type",
                        k.span,
                        format!("`{}` applies only to shape \"affine\"", k.name),
                    )
                    .with_help("remove it, or add shape = \"affine\" (and drop `position`)"),
                );
                return None;
            }
        }
        Some(Stance { issue: issue_idx, salience, value, source })
    }

    /// Reads an affine stance: `offset + slope · (x − min)` on a numeric issue.
    fn affine(&mut self, obj: &Obj<'_>, issue: &Issue, base: Option<&Stance>) -> Option<ValueFunction> {
        let range = match issue.domain {
            Domain::Integer { min, max, .. } => (i128::from(max) - i128::from(min)) as f64,
            Domain::Continuous { min, max, .. } => max - min,
            Domain::Discrete { .. } => {
                self.err(
                    Diagnostic::error(
                        "scenario::value-table",
                        self.header_span(obj.span),
                        format!("shape \"affine\" applies to numeric issues, and issue `{}` is discrete", issue.id),
                    )
                    .with_help("give a value per option with `values` instead"),
                );
                return None;
            }
        };
        if let Some((k, _)) = obj.entries.iter().find(|(k, _)| k.name == "position") {
            self.err(
                Diagnostic::error(
                    "scenario::wrong-type",
                    k.span,
                    "an affine stance takes `slope` and `offset`, not `position`",
                )
                .with_help("remove `position`; the value is offset + slope × (x − the issue's min)"),
            );
            return None;
        }
        let (base_slope, base_offset) = match base.map(|b| &b.value) {
            Some(ValueFunction::Affine { slope, offset }) => (Some(*slope), Some(*offset)),
            _ => (None, None),
        };
        let field = |d: &mut Self, key: &str, fallback: Option<f64>, help: &str| match obj.get(key) {
            Some(n) => d.number(n, &format!("`{key}`")),
            None if fallback.is_some() => fallback,
            None => {
                d.required(obj, key, help);
                None
            }
        };
        let slope = field(self, "slope", base_slope, "add the change in value per unit, e.g. slope = -0.1");
        let offset = field(self, "offset", base_offset, "add the value at the issue's minimum, e.g. offset = 1.0");
        let (slope, offset) = (slope?, offset?);
        let (at_min, at_max) = (offset, offset + slope * range);
        if !(0.0..=1.0).contains(&at_min) || !(0.0..=1.0).contains(&at_max) {
            let span = obj.get("slope").or(obj.get("offset")).map(|n| n.span).unwrap_or(self.header_span(obj.span));
            self.err(
                Diagnostic::warning(
                    "scenario::value-clamped",
                    span,
                    format!(
                        "the affine value on `{}` runs from {at_min} to {at_max} over the issue's range, and is clamped to 0–1",
                        issue.id
                    ),
                )
                .with_label("leaves 0–1")
                .with_help("choose slope and offset so that offset and offset + slope × (max − min) lie in 0–1"),
            );
        }
        Some(ValueFunction::Affine { slope, offset })
    }

    fn value_table(&mut self, node: &Node, issue: &Issue) -> Option<Vec<f64>> {
        let Domain::Discrete { options, .. } = &issue.domain else {
            self.err(
                Diagnostic::error(
                    "scenario::value-table",
                    node.span,
                    format!(
                        "issue `{}` is {}, and value tables apply only to discrete issues",
                        issue.id,
                        issue.domain.kind_name()
                    ),
                )
                .with_help("give a `position` (and optionally `shape`) instead"),
            );
            return None;
        };
        let names: Vec<&str> = options.iter().map(String::as_str).collect();
        let table = self.table(node, "a value table", None)?;
        let mut values = vec![f64::NAN; options.len()];
        let index: std::collections::HashMap<&str, usize> =
            options.iter().enumerate().map(|(i, o)| (o.as_str(), i)).rev().collect();
        let mut ok = true;
        for (key, v) in table.entries {
            let Some(&i) = index.get(key.name.as_str()) else {
                let help = match did_you_mean(&key.name, &names) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("options of `{}` are: {}", issue.id, names.join(", ")),
                };
                self.err(
                    Diagnostic::error(
                        "scenario::unknown-option",
                        key.span,
                        format!("`{}` is not an option of issue `{}`", key.name, issue.id),
                    )
                    .with_help(help),
                );
                ok = false;
                continue;
            };
            match self.unit_interval(v, &format!("the value of `{}`", key.name), "scenario::out-of-range") {
                Some(x) => values[i] = x,
                None => ok = false,
            }
        }
        let missing: Vec<&str> =
            options.iter().zip(&values).filter(|(_, v)| v.is_nan()).map(|(o, _)| o.as_str()).collect();
        if ok && !missing.is_empty() {
            self.err(
                Diagnostic::error(
                    "scenario::value-table",
                    node.span,
                    format!("the value table of `{}` leaves out {}", issue.id, list(&missing)),
                )
                .with_help("give every option a value in 0–1 (0 for options the actor rejects outright)"),
            );
            return None;
        }
        ok.then_some(values)
    }

    fn status_quo(&mut self, node: &Node, issues: &[Issue]) -> Option<Outcome> {
        let obj = self.table(node, "the status quo", None)?;
        let mut values: Vec<Option<Value>> = vec![None; issues.len()];
        let mut ok = true;
        for (key, v) in obj.entries {
            let Some(i) = issues.iter().position(|x| x.id == key.name) else {
                self.issue_key(key, issues);
                ok = false;
                continue;
            };
            match self.value(v, &issues[i], &format!("the status quo of `{}`", key.name)) {
                Some(x) => values[i] = Some(x),
                None => ok = false,
            }
        }
        let missing: Vec<&str> =
            issues.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(i, _)| i.id.as_str()).collect();
        if ok && !missing.is_empty() {
            self.err(
                Diagnostic::error(
                    "scenario::status-quo",
                    self.header_span(obj.span),
                    format!("the status quo leaves out {}", list(&missing)),
                )
                .with_help("the status quo is a complete outcome: give a value for every issue"),
            );
            return None;
        }
        if !ok {
            return None;
        }
        values.into_iter().collect()
    }

    fn constraint(
        &mut self,
        node: &Node,
        issues: &[Issue],
        actor_ids: &[String],
        labels: &[(String, Span)],
    ) -> Option<(Constraint, Span, Span)> {
        let obj = self.obj(node, "a constraint", CONSTRAINT_FIELDS)?;
        let label = self
            .required(&obj, "label", "label the constraint, e.g. label = \"recognition-first\"")
            .and_then(|n| self.identifier(n, "constraint label", true));
        if let Some((l, span)) = &label {
            if let Some((_, first)) = labels.iter().find(|(x, _)| x == l) {
                self.err(
                    Diagnostic::error("scenario::duplicate", *span, format!("two constraints have the label `{l}`"))
                        .with_secondary(*first, "first used here")
                        .with_help("labels name constraints in analyses; make each unique"),
                );
                return None;
            }
        }
        let owner = self
            .required(&obj, "owner", "name the actor who holds this constraint")
            .and_then(|n| self.reference(n, "owner", actor_ids, "scenario::unknown-actor", "actor"));
        let description = self.opt_string(&obj, "description");
        let source = self.opt_string(&obj, "source");
        let rule_node = self.required(&obj, "rule", "write the rule, e.g. rule = \"never bases == 'allowed'\"")?;
        let (rule_text, rule) = self.rule(rule_node, "`rule`", issues)?;
        let (label, span) = label?;
        Some((Constraint { label, owner: owner?, rule_text, rule, description, source }, span, rule_node.span))
    }

    fn belief(
        &mut self,
        node: &Node,
        issues: &[Issue],
        actor_ids: &[String],
        actors: Option<&[Actor]>,
        constraints: &[Constraint],
        types: &[ActorType],
    ) -> Option<Belief> {
        let obj = self.obj(node, "a belief", BELIEF_FIELDS)?;
        let holder = self
            .required(&obj, "holder", "name the actor who holds the belief")
            .and_then(|n| self.reference(n, "holder", actor_ids, "scenario::unknown-actor", "actor"));
        let about_node = self.required(&obj, "about", "name the actor the belief is about");
        let about = about_node.and_then(|n| self.reference(n, "about", actor_ids, "scenario::unknown-actor", "actor"));
        let source = self.opt_string(&obj, "source");
        let reservation = obj.get("reservation").map(|n| self.reservation(n));
        if let (Some(h), Some(a), Some(n)) = (holder, about, about_node) {
            if h == a {
                self.err(
                    Diagnostic::error("scenario::role", n.span, "a belief must be about another actor")
                        .with_help("`holder` and `about` name the same actor"),
                );
            }
        }
        let mut ok = !matches!(reservation, Some(None));
        let (stances, dropped) = match self.overrides(&obj, issues, actor_ids, actors, about, constraints, "belief") {
            Some(x) => x,
            None => {
                ok = false;
                Default::default()
            }
        };
        let types = match (obj.get("types"), about) {
            (Some(n), Some(a)) => self.type_probabilities(n, a, &actor_ids[a], types),
            _ => Some(Vec::new()),
        };
        let types = types?;
        if !ok {
            return None;
        }
        Some(Belief {
            holder: holder?,
            about: about?,
            reservation: reservation.flatten(),
            stances,
            dropped_constraints: dropped,
            types,
            source,
        })
    }

    /// The stances and dropped constraints that a belief or a type gives
    /// actor `about` (`what` names which, in messages): stances merged with
    /// the actor's own, constraints only of `about`. `None` after an error.
    #[allow(clippy::too_many_arguments)]
    fn overrides(
        &mut self,
        obj: &Obj<'_>,
        issues: &[Issue],
        actor_ids: &[String],
        actors: Option<&[Actor]>,
        about: Option<usize>,
        constraints: &[Constraint],
        what: &str,
    ) -> Option<(Vec<Stance>, Vec<usize>)> {
        let belief = what == "belief";
        let mut stances = Vec::new();
        let mut ok = true;
        // Stances merge with the true ones; when an actor failed to decode
        // there is nothing to merge with, and its own errors suffice.
        if let (Some(n), Some(actors), Some(a)) = (obj.get("stances"), actors, about) {
            if let UtilityModel::Rectangles(_) = actors[a].utility_model {
                self.err(
                    Diagnostic::error(
                        "scenario::rectangles",
                        n.span,
                        format!("`{}` has a rectangles utility, so a {what} cannot give it stances", actors[a].id),
                    )
                    .with_help(if belief {
                        "a belief about such an actor can change only its `reservation`"
                    } else {
                        "a type of such an actor can change only its `reservation`"
                    }),
                );
                ok = false;
            }
        }
        if let (Some(n), Some(_)) = (obj.get("stances"), actors) {
            if let Some(st) = self.table(n, if belief { "believed `stances`" } else { "a type's `stances`" }, None) {
                for (key, value) in st.entries {
                    let Some(i) = issues.iter().position(|x| x.id == key.name) else {
                        self.issue_key(key, issues);
                        ok = false;
                        continue;
                    };
                    let base = match (actors, about) {
                        (Some(actors), Some(a)) => actors[a].stance(i),
                        _ => None,
                    };
                    match self.stance(value, &issues[i], i, base) {
                        Some(s) => stances.push(s),
                        None => ok = false,
                    }
                }
            }
        }
        let mut dropped = Vec::new();
        if let Some(n) = obj.get("dropped_constraints") {
            let labels: Vec<String> = constraints.iter().map(|c| c.label.clone()).collect();
            for item in self.array(n, "`dropped_constraints`", "list constraint labels").unwrap_or(&[]) {
                let Some(i) =
                    self.reference(item, "a dropped constraint", &labels, "scenario::unknown-constraint", "constraint")
                else {
                    ok = false;
                    continue;
                };
                if Some(constraints[i].owner) != about {
                    let owner = &actor_ids[constraints[i].owner];
                    self.err(
                        Diagnostic::error(
                            "scenario::role",
                            item.span,
                            format!(
                                "constraint `{}` belongs to `{owner}`, not to the actor this {what} is about",
                                constraints[i].label
                            ),
                        )
                        .with_help(if belief {
                            "a belief can drop only constraints held by its `about` actor"
                        } else {
                            "a type can drop only constraints held by its own actor"
                        }),
                    );
                    ok = false;
                    continue;
                }
                dropped.push(i);
            }
        }
        ok.then_some((stances, dropped))
    }

    // ------------------------------------------------------------ whole-scenario checks

    fn needs_status_quo(
        &mut self,
        actors: &[Actor],
        spans: &[Span],
        sq: &Option<Outcome>,
        beliefs: &[Belief],
        types: &[ActorType],
    ) {
        if sq.is_some() {
            return;
        }
        for (a, span) in actors.iter().zip(spans) {
            if !a.vetoes.is_empty() {
                self.err(
                    Diagnostic::warning(
                        "scenario::status-quo",
                        self.header_span(*span),
                        format!("actor `{}` holds vetoes, but with no status quo nothing says what a change is, so it must accept every outcome", a.id),
                    )
                    .with_help("add a [status_quo] table so the veto applies only to outcomes that change its issues"),
                );
            }
        }
        for (a, span) in actors.iter().zip(spans) {
            if a.reservation == Reservation::StatusQuo {
                self.err(
                    Diagnostic::error(
                        "scenario::status-quo",
                        self.header_span(*span),
                        format!("actor `{}` takes its reservation from the status quo, but none is declared", a.id),
                    )
                    .with_help("add a [status_quo] table with a value for every issue, or give a numeric reservation"),
                );
            }
        }
        if beliefs.iter().any(|b| b.reservation == Some(Reservation::StatusQuo)) {
            self.err(
                Diagnostic::error(
                    "scenario::status-quo",
                    Span::at(0),
                    "a belief uses reservation = \"status-quo\", but no status quo is declared",
                )
                .with_help("add a [status_quo] table"),
            );
        }
        if types.iter().any(|t| t.reservation == Some(Reservation::StatusQuo)) {
            self.err(
                Diagnostic::error(
                    "scenario::status-quo",
                    Span::at(0),
                    "a type uses reservation = \"status-quo\", but no status quo is declared",
                )
                .with_help("add a [status_quo] table"),
            );
        }
    }

    fn role_checks(&mut self, actors: &[Actor], spans: &[Span]) {
        if !actors.is_empty() && !actors.iter().any(|a| a.role == Role::Party) {
            self.err(
                Diagnostic::warning(
                    "scenario::no-parties",
                    self.header_span(spans[0]),
                    "no actor has role \"party\", so nobody negotiates",
                )
                .with_help(
                    "set role = \"party\" on the negotiating actors (it is the default when `role` is left out)",
                ),
            );
        }
        for (a, span) in actors.iter().zip(spans) {
            for &r in &a.ratifiers {
                if r == actors.iter().position(|x| x.id == a.id).unwrap_or(usize::MAX) {
                    self.err(
                        Diagnostic::error(
                            "scenario::role",
                            self.header_span(*span),
                            format!("actor `{}` lists itself as its own ratifier", a.id),
                        )
                        .with_help("remove it from `ratifiers`"),
                    );
                } else if actors[r].role != Role::Ratifier {
                    self.err(
                        Diagnostic::warning(
                            "scenario::role",
                            self.header_span(*span),
                            format!(
                                "actor `{}` needs ratification by `{}`, whose role is \"{}\"",
                                a.id,
                                actors[r].id,
                                actors[r].role.as_str()
                            ),
                        )
                        .with_help(format!("set role = \"ratifier\" on `{}` if that is what it is", actors[r].id)),
                    );
                }
            }
        }
    }

    /// Warns about constraints no outcome can satisfy, alone or in pairs.
    fn contradictions(&mut self, constraints: &[Constraint], spans: &[Span], issues: &[Issue], actors: &[Actor]) {
        let owner = |c: &Constraint| actors.get(c.owner).map(|a| a.id.clone()).unwrap_or_default();
        let mut alone = vec![false; constraints.len()];
        for (i, c) in constraints.iter().enumerate() {
            if satisfiable(&[&c.rule], issues) == Some(false) {
                alone[i] = true;
                self.err(
                    Diagnostic::warning(
                        "constraint::unsatisfiable",
                        spans[i],
                        format!("no outcome satisfies constraint `{}` ({})", c.label, owner(c)),
                    )
                    .with_help("the rule rules out every outcome; check its operators and values"),
                );
            }
        }
        for i in 0..constraints.len() {
            for j in i + 1..constraints.len() {
                if alone[i] || alone[j] {
                    continue;
                }
                let (a, b) = (&constraints[i], &constraints[j]);
                if satisfiable(&[&a.rule, &b.rule], issues) == Some(false) {
                    self.err(
                        Diagnostic::warning(
                            "constraint::contradiction",
                            spans[j],
                            format!("constraints `{}` ({}) and `{}` ({}) can never hold together", a.label, owner(a), b.label, owner(b)),
                        )
                        .with_secondary(spans[i], format!("`{}` here", a.label))
                        .with_help("if they belong to different actors this may be the point of the scenario: no outcome satisfies both, so no deal exists while both stand"),
                    );
                }
            }
        }
    }
}

/// Maps byte ranges inside a rule string to spans in the file. Exact when
/// the string is written without escapes; otherwise every range maps to the
/// whole string.
fn rule_offsets(text: &str, span: Span, value: &str) -> impl Fn(usize, usize) -> Span {
    let raw = text.get(span.range()).unwrap_or("");
    let inner_start = ["\"\"\"", "'''", "\"", "'"]
        .iter()
        .find(|q| raw.starts_with(**q))
        .map(|q| q.len())
        .filter(|&q| raw.get(q..q + value.len()) == Some(value));
    move |s, e| match inner_start {
        Some(q) => Span::new(span.start + q + s, span.start + q + e),
        None => span,
    }
}
