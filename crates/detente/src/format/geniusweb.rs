//! GeniusWeb JSON: domains and `LinearAdditiveUtilitySpace` profiles.
//!
//! A GeniusWeb domain is `{"name": …, "issuesValues": {issue: {"values":
//! [labels]}}}` (discrete) or `{issue: {"range": {"low", "high", "step"}}}`
//! (numbers). A profile is `{"LinearAdditiveUtilitySpace": {"issueUtilities",
//! "issueWeights", "domain", "name", "reservationBid"}}` and embeds its
//! domain. Issue utilities are `{"DiscreteValueSetUtilities": {"valueUtilities":
//! {label: u}}}` or `{"NumberValueSetUtilities": {"lowValue", "lowUtility",
//! "highValue", "highUtility"}}` (linear between the two points, 0 outside).
//!
//! Mapping: a number range of whole numbers with step 1 becomes an integer
//! issue and number utilities an affine stance; any other range becomes an
//! ordered discrete issue whose labels are the numbers, with a value table.
//! Weights are taken as written (`normalize = false`). A reservation bid
//! becomes the reservation value it is worth to its profile. GeniusWeb
//! computes in decimal arithmetic; detente in binary floating point, so
//! utilities agree to about 15 significant digits, not bit for bit.

use std::path::Path;

use super::tree::{parse_json, Key, Node, NodeKind};
use super::{Loaded, ReadError, SourceFile, MAX_FILE_BYTES};
use crate::diagnostic::{Diagnostic, Span};
use crate::format::genius::sanitize_id;
use crate::scenario::*;
use crate::suggest::did_you_mean;

/// Profile kinds GeniusWeb has that detente does not read.
const OTHER_PROFILES: &[&str] = &[
    "DefaultPartialOrdering",
    "SumOfGroupsUtilitySpace",
    "LinearAdditiveUtilitySpaceWithUncertainty",
    "DefaultBidSpace",
];

/// Largest number of values a number range may expand to.
const MAX_RANGE_VALUES: f64 = 1_000_000.0;

/// Whether `text` is a GeniusWeb domain or profile (JSON whose top level is
/// a profile kind, or has `issuesValues`).
pub fn is_geniusweb(text: &str) -> bool {
    if !text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
        return false;
    }
    let mut ignored = Vec::new();
    let Some(Node { kind: NodeKind::Table(entries), .. }) = parse_json(text, &mut ignored) else {
        return false;
    };
    entries.iter().any(|(k, _)| {
        k.name == "issuesValues" || k.name == "LinearAdditiveUtilitySpace" || OTHER_PROFILES.contains(&k.name.as_str())
    })
}

/// The file stem of a path-like name.
pub fn stem(name: &str) -> String {
    Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| name.to_string())
}

/// Loads GeniusWeb documents: at most one domain file and any number of
/// profiles (each an actor named after its file). Without a domain file the
/// first profile's embedded domain is used; every profile's embedded domain
/// must match it.
pub fn load_geniusweb(name: &str, sources: &[SourceFile]) -> Loaded {
    let mut diagnostics = Vec::new();
    let scenario = build(name, sources, &mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let (first, rest) = match sources.split_first() {
        Some((f, r)) => (f.clone(), r.to_vec()),
        None => (SourceFile { name: name.to_string(), text: String::new() }, Vec::new()),
    };
    Loaded::multi(first, rest, if failed { None } else { scenario }, diagnostics)
}

/// Loads every `.json` file of `dir` as GeniusWeb documents.
pub fn load_geniusweb_dir(dir: &Path) -> Result<Loaded, ReadError> {
    let io = |error| ReadError { path: dir.to_path_buf(), error };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")))
        .collect();
    paths.sort();
    let mut sources = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(&path).map_err(|error| ReadError { path: path.clone(), error })?;
        if meta.len() > MAX_FILE_BYTES {
            let error = std::io::Error::new(std::io::ErrorKind::InvalidData, "the file is too large");
            return Err(ReadError { path, error });
        }
        let bytes = std::fs::read(&path).map_err(|error| ReadError { path: path.clone(), error })?;
        let text = String::from_utf8_lossy(&bytes).trim_start_matches('\u{feff}').to_string();
        sources.push(SourceFile { name: path.display().to_string(), text });
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| dir.display().to_string());
    Ok(load_geniusweb(&name, &sources))
}

struct Ctx<'a> {
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

/// How a domain issue's GeniusWeb values map to the issue's domain.
#[derive(Clone, Debug, PartialEq)]
enum Values {
    /// Labels, in order.
    Labels(Vec<String>),
    /// A number range; `numbers[k]` is the value of option `k` (or of
    /// `min + k` for an integer issue).
    Numbers(Vec<f64>),
}

#[derive(Clone, Debug)]
struct WebIssue {
    name: String,
    values: Values,
    issue: Issue,
    key_span: Span,
}

fn table(node: &Node) -> Option<&[(Key, Node)]> {
    match &node.kind {
        NodeKind::Table(e) => Some(e),
        _ => None,
    }
}

fn get<'n>(entries: &'n [(Key, Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}

fn as_number(node: &Node) -> Option<f64> {
    match node.kind {
        NodeKind::Int(i) => Some(i as f64),
        NodeKind::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

fn build(name: &str, sources: &[SourceFile], diags: &mut Vec<Diagnostic>) -> Option<Scenario> {
    let mut parsed: Vec<(usize, Node)> = Vec::new();
    for (k, s) in sources.iter().enumerate() {
        let mut local = Vec::new();
        let root = parse_json(&s.text, &mut local);
        diags.extend(local.into_iter().map(|d| d.in_file(s.name.clone())));
        if let Some(root) = root {
            parsed.push((k, root));
        }
    }
    if parsed.len() != sources.len() {
        return None;
    }
    // Classify: domains have `issuesValues`; profiles one profile key.
    let mut domains = Vec::new();
    let mut profiles = Vec::new();
    for (k, root) in &parsed {
        let mut ctx = Ctx { file: &sources[*k].name, diags };
        let Some(entries) = table(root) else {
            ctx.structure(root.span, "a GeniusWeb document is a JSON object".into(), "see docs/formats/genius.md");
            return None;
        };
        if get(entries, "issuesValues").is_some() {
            domains.push((*k, root));
        } else if let Some(p) = get(entries, "LinearAdditiveUtilitySpace") {
            profiles.push((*k, p));
        } else if let Some((key, _)) = entries.iter().find(|(key, _)| OTHER_PROFILES.contains(&key.name.as_str())) {
            ctx.push(
                Diagnostic::error(
                    "geniusweb::unsupported",
                    key.span,
                    format!("GeniusWeb profiles of kind `{}` are not supported", key.name),
                )
                .with_help("export the profile as a LinearAdditiveUtilitySpace"),
            );
            return None;
        } else {
            ctx.structure(
                root.span,
                "this JSON is neither a GeniusWeb domain (`issuesValues`) nor a profile (`LinearAdditiveUtilitySpace`)"
                    .into(),
                "see docs/formats/genius.md for the shapes detente reads",
            );
            return None;
        }
    }
    if domains.len() > 1 {
        let (k, root) = domains[1];
        let mut ctx = Ctx { file: &sources[k].name, diags };
        ctx.structure(
            root.span,
            "more than one GeniusWeb domain was given".into(),
            "load one domain with its profiles",
        );
        return None;
    }
    let (domain_file, domain_node) = match (domains.first(), profiles.first()) {
        (Some((k, root)), _) => (*k, *root),
        (None, Some((k, p))) => {
            let mut ctx = Ctx { file: &sources[*k].name, diags };
            let entries = ctx.object(p, "a LinearAdditiveUtilitySpace")?;
            (*k, ctx.required(entries, p.span, "domain", "a profile embeds its domain as \"domain\": {…}")?)
        }
        (None, None) => return None,
    };
    let (domain_name, issues) = {
        let mut ctx = Ctx { file: &sources[domain_file].name, diags };
        ctx.domain(domain_node)?
    };
    let mut actors = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut ok = true;
    for (k, node) in &profiles {
        let source = &sources[*k];
        let base = sanitize_id(&stem(&source.name), "party");
        let id = if ids.contains(&base) {
            (2..).map(|n| format!("{base}_{n}")).find(|c| !ids.contains(c)).unwrap_or(base)
        } else {
            base
        };
        ids.push(id.clone());
        let mut ctx = Ctx { file: &source.name, diags };
        match ctx.profile(node, &issues, id, &stem(&source.name)) {
            Some(a) => actors.push(a),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    Some(Scenario {
        name: if domain_name.is_empty() { name.to_string() } else { domain_name },
        description: None,
        source: Some("GeniusWeb".to_string()),
        issues: issues.into_iter().map(|w| w.issue).collect(),
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

impl Ctx<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d.in_file(self.file.to_string()));
    }

    fn structure(&mut self, span: Span, message: String, help: &str) {
        self.push(Diagnostic::error("geniusweb::structure", span, message).with_help(help.to_string()));
    }

    fn object<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Key, Node)]> {
        let t = table(node);
        if t.is_none() {
            self.structure(
                node.span,
                format!("{what} must be an object, found {}", node.kind.type_name()),
                "see docs/formats/genius.md for the GeniusWeb shapes",
            );
        }
        t
    }

    fn required<'n>(&mut self, entries: &'n [(Key, Node)], span: Span, key: &str, help: &str) -> Option<&'n Node> {
        let v = get(entries, key);
        if v.is_none() {
            let start = span.start;
            self.structure(Span::new(start, start + 1), format!("`{key}` is missing"), help);
        }
        v
    }

    fn number(&mut self, node: &Node, what: &str) -> Option<f64> {
        let v = as_number(node);
        if v.is_none() {
            self.structure(
                node.span,
                format!("{what} must be a number, found {}", node.kind.type_name()),
                "write a number such as 0.5",
            );
        }
        v
    }

    fn domain(&mut self, node: &Node) -> Option<(String, Vec<WebIssue>)> {
        let entries = self.object(node, "a GeniusWeb domain")?;
        let name = match get(entries, "name") {
            Some(Node { kind: NodeKind::Str(s), .. }) => s.clone(),
            _ => String::new(),
        };
        let iv = self.required(entries, node.span, "issuesValues", "list the issues: \"issuesValues\": {…}")?;
        let iv_entries = self.object(iv, "`issuesValues`")?;
        if iv_entries.is_empty() {
            self.structure(iv.span, "the domain has no issues".into(), "add at least one issue to `issuesValues`");
            return None;
        }
        let mut out: Vec<WebIssue> = Vec::new();
        let mut ok = true;
        for (key, value) in iv_entries {
            match self.issue(key, value, &out) {
                Some(w) => out.push(w),
                None => ok = false,
            }
        }
        ok.then_some((name, out))
    }

    fn issue(&mut self, key: &Key, node: &Node, before: &[WebIssue]) -> Option<WebIssue> {
        let entries = self.object(node, "an issue's value set")?;
        let taken: Vec<String> = before.iter().map(|w| w.issue.id.clone()).collect();
        let base = sanitize_id(&key.name, "issue");
        let id = if taken.contains(&base) {
            (2..).map(|n| format!("{base}_{n}")).find(|c| !taken.contains(c)).unwrap_or(base)
        } else {
            base
        };
        let (values, domain) = if let Some(list) = get(entries, "values") {
            let NodeKind::Array(items) = &list.kind else {
                self.structure(
                    list.span,
                    "`values` must be a list of labels".into(),
                    "write \"values\": [\"low\", \"high\"]",
                );
                return None;
            };
            let mut labels: Vec<String> = Vec::new();
            for item in items {
                match &item.kind {
                    NodeKind::Str(s) if !labels.contains(s) && !s.is_empty() => labels.push(s.clone()),
                    NodeKind::Str(s) => {
                        self.structure(
                            item.span,
                            format!("value `{s}` is empty or listed twice"),
                            "list each value once",
                        );
                        return None;
                    }
                    _ => {
                        self.structure(item.span, "a discrete value must be a string".into(), "quote the value");
                        return None;
                    }
                }
            }
            if labels.is_empty() {
                self.structure(list.span, format!("issue `{}` has no values", key.name), "list at least one value");
                return None;
            }
            (Values::Labels(labels.clone()), Domain::Discrete { options: labels, ordered: false })
        } else if let Some(range) = get(entries, "range") {
            let r = self.object(range, "`range`")?;
            let low = self
                .required(r, range.span, "low", "give \"low\", \"high\" and \"step\"")
                .and_then(|n| self.number(n, "`low`"));
            let high = self
                .required(r, range.span, "high", "give \"low\", \"high\" and \"step\"")
                .and_then(|n| self.number(n, "`high`"));
            let step_node = self.required(r, range.span, "step", "give \"low\", \"high\" and \"step\"");
            let step = step_node.and_then(|n| self.number(n, "`step`"));
            let (low, high, step) = (low?, high?, step?);
            let count = ((high - low) / step + 1e-9).floor() + 1.0;
            if step <= 0.0 || high < low || count > MAX_RANGE_VALUES {
                self.structure(
                    range.span,
                    format!("the range {low} to {high} in steps of {step} is not a usable value set"),
                    "use low ≤ high and a step above 0 giving at most a million values",
                );
                return None;
            }
            let whole = |v: f64| v.fract() == 0.0 && v.abs() < 9.0e15;
            if whole(low) && whole(high) && step == 1.0 {
                let numbers = (0..count as i64).map(|k| low + k as f64).collect();
                (Values::Numbers(numbers), Domain::Integer { min: low as i64, max: high as i64, unit: None })
            } else {
                let decimals = [low, step]
                    .iter()
                    .map(|v| {
                        let s = format!("{v}");
                        s.find('.').map(|i| s.len() - i - 1).unwrap_or(0)
                    })
                    .max()
                    .unwrap_or(0);
                let numbers: Vec<f64> = (0..count as i64).map(|k| low + k as f64 * step).collect();
                let labels = numbers.iter().map(|v| format!("{v:.decimals$}")).collect();
                (Values::Numbers(numbers), Domain::Discrete { options: labels, ordered: true })
            }
        } else {
            self.structure(
                node.span,
                format!("issue `{}` has neither `values` nor `range`", key.name),
                "write {\"values\": [\"a\", \"b\"]} or {\"range\": {\"low\": 0, \"high\": 10, \"step\": 1}}",
            );
            return None;
        };
        Some(WebIssue {
            name: key.name.clone(),
            values,
            issue: Issue { id, name: Some(key.name.clone()), description: None, source: None, domain, condition: None },
            key_span: key.span,
        })
    }

    fn issue_index(&mut self, key: &Key, issues: &[WebIssue], what: &str) -> Option<usize> {
        let found = issues.iter().position(|w| w.name == key.name);
        if found.is_none() {
            let names: Vec<&str> = issues.iter().map(|w| w.name.as_str()).collect();
            let help = match did_you_mean(&key.name, &names) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("the domain's issues are: {}", names.join(", ")),
            };
            self.push(
                Diagnostic::error(
                    "geniusweb::unknown-issue",
                    key.span,
                    format!("{what} names issue `{}`, which the domain does not have", key.name),
                )
                .with_label("unknown issue")
                .with_help(help),
            );
        }
        found
    }

    fn profile(&mut self, node: &Node, issues: &[WebIssue], id: String, stem: &str) -> Option<Actor> {
        let entries = self.object(node, "a LinearAdditiveUtilitySpace")?;
        let mut ok = true;
        // The embedded domain must be the scenario's.
        if let Some(d) = get(entries, "domain") {
            if let Some((_, embedded)) = self.domain(d) {
                for w in &embedded {
                    match issues.iter().find(|x| x.name == w.name) {
                        Some(x) if x.values == w.values => {}
                        _ => {
                            self.push(
                                Diagnostic::error(
                                    "geniusweb::unknown-issue",
                                    w.key_span,
                                    format!(
                                        "issue `{}` of this profile's domain differs from the scenario's domain",
                                        w.name
                                    ),
                                )
                                .with_help("load profiles of one domain together"),
                            );
                            ok = false;
                        }
                    }
                }
            } else {
                ok = false;
            }
        }
        let utilities = self.required(entries, node.span, "issueUtilities", "give \"issueUtilities\": {issue: …}")?;
        let weights = self.required(entries, node.span, "issueWeights", "give \"issueWeights\": {issue: weight}")?;
        let (u_entries, w_entries) =
            (self.object(utilities, "`issueUtilities`")?, self.object(weights, "`issueWeights`")?);
        let mut values: Vec<Option<ValueFunction>> = vec![None; issues.len()];
        for (key, v) in u_entries {
            let Some(i) = self.issue_index(key, issues, "`issueUtilities`") else {
                ok = false;
                continue;
            };
            match self.value_function(v, &issues[i]) {
                Some(f) => values[i] = Some(f),
                None => ok = false,
            }
        }
        let mut saliences: Vec<Option<f64>> = vec![None; issues.len()];
        for (key, v) in w_entries {
            let Some(i) = self.issue_index(key, issues, "`issueWeights`") else {
                ok = false;
                continue;
            };
            match self.number(v, "a weight") {
                Some(w) if (0.0..=1.0).contains(&w) => saliences[i] = Some(w),
                Some(w) => {
                    self.structure(
                        v.span,
                        format!("a weight must lie in 0–1, found {w}"),
                        "GeniusWeb weights sum to 1",
                    );
                    ok = false;
                }
                None => ok = false,
            }
        }
        let mut stances = Vec::new();
        for (i, w) in issues.iter().enumerate() {
            match (values[i].take(), saliences[i]) {
                (Some(value), Some(salience)) => stances.push(Stance { issue: i, salience, value, source: None }),
                (v, s) => {
                    if ok {
                        let what = if v.is_none() { "utilities" } else { "a weight" };
                        self.push(
                            Diagnostic::error(
                                "geniusweb::unknown-issue",
                                Span::new(node.span.start, node.span.start + 1),
                                format!("the profile gives no {what} for issue `{}`", w.name),
                            )
                            .with_help("give every issue of the domain its utilities and a weight"),
                        );
                    }
                    let _ = s;
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let name = match get(entries, "name") {
            Some(Node { kind: NodeKind::Str(s), .. }) => s.clone(),
            _ => stem.to_string(),
        };
        let mut actor = Actor {
            id,
            name: Some(name),
            description: None,
            source: Some("GeniusWeb LinearAdditiveUtilitySpace".into()),
            role: Role::Party,
            capability: 1.0,
            reservation: Reservation::Value(0.0),
            ratifiers: Vec::new(),
            vetoes: Vec::new(),
            normalize: false,
            stances,
            discount: 1.0,
            utility_model: UtilityModel::Additive,
            interactions: Vec::new(),
            deadline: None,
        };
        if let Some(bid) = get(entries, "reservationBid").filter(|n| !matches!(n.kind, NodeKind::Null)) {
            let outcome = self.bid(bid, issues)?;
            let all: Vec<Issue> = issues.iter().map(|w| w.issue.clone()).collect();
            let u = actor.utility(&all, &outcome).clamp(0.0, 1.0);
            actor.reservation = Reservation::Value(u);
        }
        Some(actor)
    }

    fn value_function(&mut self, node: &Node, w: &WebIssue) -> Option<ValueFunction> {
        let entries = self.object(node, "an issue's utilities")?;
        let Some((key, inner)) = entries.first() else {
            self.structure(
                node.span,
                format!("issue `{}` has empty utilities", w.name),
                "give DiscreteValueSetUtilities or NumberValueSetUtilities",
            );
            return None;
        };
        let body = self.object(inner, &format!("`{}`", key.name))?;
        match (key.name.as_str(), &w.values) {
            ("DiscreteValueSetUtilities", Values::Labels(labels)) => {
                let vu =
                    self.required(body, inner.span, "valueUtilities", "give \"valueUtilities\": {value: utility}")?;
                let vu = self.object(vu, "`valueUtilities`")?;
                let mut table: Vec<Option<f64>> = vec![None; labels.len()];
                let mut ok = true;
                for (k, v) in vu {
                    let Some(pos) = labels.iter().position(|l| *l == k.name) else {
                        let names: Vec<&str> = labels.iter().map(String::as_str).collect();
                        let help = match did_you_mean(&k.name, &names) {
                            Some(c) => format!("did you mean `{c}`?"),
                            None => format!("values of `{}` are: {}", w.name, names.join(", ")),
                        };
                        self.push(
                            Diagnostic::error(
                                "geniusweb::unknown-issue",
                                k.span,
                                format!("`{}` is not a value of issue `{}`", k.name, w.name),
                            )
                            .with_help(help),
                        );
                        ok = false;
                        continue;
                    };
                    match self.number(v, "a value utility") {
                        Some(u) if (0.0..=1.0).contains(&u) => table[pos] = Some(u),
                        Some(u) => {
                            self.structure(
                                v.span,
                                format!("a value utility must lie in 0–1, found {u}"),
                                "GeniusWeb utilities lie in 0–1",
                            );
                            ok = false;
                        }
                        None => ok = false,
                    }
                }
                let missing: Vec<&str> =
                    labels.iter().zip(&table).filter(|(_, v)| v.is_none()).map(|(l, _)| l.as_str()).collect();
                if ok && !missing.is_empty() {
                    self.push(
                        Diagnostic::error(
                            "geniusweb::unknown-issue",
                            inner.span,
                            format!("the utilities of `{}` leave out {}", w.name, missing.join(", ")),
                        )
                        .with_help("give every value a utility"),
                    );
                    ok = false;
                }
                ok.then(|| ValueFunction::Table { values: table.into_iter().map(|v| v.unwrap_or(0.0)).collect() })
            }
            ("NumberValueSetUtilities", Values::Numbers(numbers)) => {
                let field = |ctx: &mut Self, name: &str| {
                    ctx.required(body, inner.span, name, "give lowValue, lowUtility, highValue and highUtility")
                        .and_then(|n| ctx.number(n, &format!("`{name}`")))
                };
                let (lv, lu, hv, hu) = (
                    field(self, "lowValue"),
                    field(self, "lowUtility"),
                    field(self, "highValue"),
                    field(self, "highUtility"),
                );
                let (lv, lu, hv, hu) = (lv?, lu?, hv?, hu?);
                if hv <= lv {
                    self.structure(
                        inner.span,
                        format!("highValue {hv} must lie above lowValue {lv}"),
                        "swap the two points",
                    );
                    return None;
                }
                let slope = (hu - lu) / (hv - lv);
                match &w.issue.domain {
                    Domain::Integer { min, max, .. } => {
                        if lv > *min as f64 || hv < *max as f64 {
                            self.push(
                                Diagnostic::error(
                                    "geniusweb::unsupported",
                                    inner.span,
                                    format!(
                                        "the utilities of `{}` cover {lv} to {hv}, not the whole range {min} to {max}",
                                        w.name
                                    ),
                                )
                                .with_help("detente reads number utilities that span the issue's range"),
                            );
                            return None;
                        }
                        Some(ValueFunction::Affine { slope, offset: lu + slope * (*min as f64 - lv) })
                    }
                    _ => Some(ValueFunction::Table {
                        values: numbers
                            .iter()
                            .map(|&x| if x < lv || x > hv { 0.0 } else { (lu + slope * (x - lv)).clamp(0.0, 1.0) })
                            .collect(),
                    }),
                }
            }
            ("DiscreteValueSetUtilities" | "NumberValueSetUtilities", _) => {
                self.structure(
                    key.span,
                    format!("`{}` does not fit issue `{}`", key.name, w.name),
                    "discrete issues take DiscreteValueSetUtilities, number ranges NumberValueSetUtilities",
                );
                None
            }
            (other, _) => {
                self.push(
                    Diagnostic::error(
                        "geniusweb::unsupported",
                        key.span,
                        format!("issue utilities of kind `{other}` are not supported"),
                    )
                    .with_help("use DiscreteValueSetUtilities or NumberValueSetUtilities"),
                );
                None
            }
        }
    }

    /// Reads a bid `{"issuevalues": {issue: value}}` into an outcome.
    fn bid(&mut self, node: &Node, issues: &[WebIssue]) -> Option<Outcome> {
        let entries = self.object(node, "`reservationBid`")?;
        let iv = self.required(entries, node.span, "issuevalues", "a bid is {\"issuevalues\": {issue: value}}")?;
        let iv = self.object(iv, "`issuevalues`")?;
        let mut outcome: Vec<Option<Value>> = vec![None; issues.len()];
        for (key, v) in iv {
            let i = self.issue_index(key, issues, "the reservation bid")?;
            let value = match (&issues[i].values, &v.kind) {
                (Values::Labels(labels), NodeKind::Str(s)) => labels.iter().position(|l| l == s).map(Value::Option),
                (Values::Numbers(numbers), _) => as_number(v).and_then(|x| match issues[i].issue.domain {
                    Domain::Integer { .. } => Some(Value::Int(x as i64)).filter(|_| numbers.contains(&x)),
                    _ => numbers.iter().position(|n| (n - x).abs() < 1e-9).map(Value::Option),
                }),
                _ => None,
            };
            let Some(value) = value else {
                self.push(
                    Diagnostic::error(
                        "geniusweb::unknown-issue",
                        v.span,
                        format!("the reservation bid's value for `{}` is not a value of the issue", key.name),
                    )
                    .with_help("use one of the issue's values"),
                );
                return None;
            };
            outcome[i] = Some(value);
        }
        if outcome.iter().any(Option::is_none) {
            self.structure(node.span, "the reservation bid leaves out issues".into(), "give a value for every issue");
            return None;
        }
        outcome.into_iter().collect()
    }
}
