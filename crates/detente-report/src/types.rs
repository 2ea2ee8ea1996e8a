//! Uncertain types and pressure in `detente analyze` output: text (words
//! first) and the `types` and `pressures` fields of the
//! `detente.analysis/1` document (`docs/analysis.md`, "Uncertain types"
//! and "Pressure").

use std::fmt::Write as _;

use detente::analysis::pressure::Removed;
use detente::analysis::types::{Acceptance, TypeAnalysis};
use detente::analysis::AnalysisError;
use detente::scenario::{Scenario, Value};
use serde_json::{json, Map, Value as Json};

use crate::analysis::value_json;
use crate::text::{changes_text, plural};

fn outcome_json(s: &Scenario, values: &[Value]) -> Json {
    let mut m = Map::new();
    for (i, v) in values.iter().enumerate() {
        m.insert(s.issues[i].id.clone(), value_json(s, i, v));
    }
    Json::Object(m)
}

fn type_name(s: &Scenario, t: usize) -> String {
    format!("{}:{}", s.actors[s.types[t].actor].id, s.types[t].name)
}

fn acceptance_json(s: &Scenario, a: &Acceptance) -> Json {
    json!({
        "possible": a.possible,
        "robust": a.robust,
        "expected": a.expected,
        "likeliest": a.likeliest.iter().map(|x| json!({
            "outcome": outcome_json(s, &x.values),
            "probability": x.probability,
        })).collect::<Vec<_>>(),
    })
}

/// The type and pressure analyses as `analyze`, the report and the server
/// run them: a part over the limits (too many judgements for
/// `--max-outcomes`) leaves its reason in `skipped` instead of failing the
/// whole analysis.
#[derive(Clone, Debug, Default)]
pub struct Sections {
    /// The type analysis, when an actor has types and it ran.
    pub types: Option<TypeAnalysis>,
    /// What each pressure removes (empty without pressures).
    pub pressures: Vec<Removed>,
    /// The document field (`types` or `pressures`) and, in words, why it
    /// was not analysed.
    pub skipped: Vec<(&'static str, String)>,
}

impl Sections {
    /// Runs both analyses on `s`; only a cancelled run is an error.
    pub fn run(s: &Scenario, config: &detente::analysis::Config) -> Result<Sections, AnalysisError> {
        let mut out = Sections::default();
        match detente::analysis::types::analyze_types(s, config) {
            Ok(t) => out.types = t,
            Err(AnalysisError::Cancelled) => return Err(AnalysisError::Cancelled),
            Err(e) => out.skipped.push(("types", format!("Uncertain types were not analysed: {e}."))),
        }
        match detente::analysis::pressure::pressure_effects(s, config) {
            Ok(p) => out.pressures = p,
            Err(AnalysisError::Cancelled) => return Err(AnalysisError::Cancelled),
            Err(e) => out.skipped.push(("pressures", format!("What the pressures remove was not analysed: {e}."))),
        }
        Ok(out)
    }

    /// Adds `types` and `pressures` to an analysis document (a skipped
    /// part as `{ "not_analysed": REASON }`).
    pub fn add_to_json(&self, doc: &mut Json, s: &Scenario) {
        add_to_json(doc, s, self.types.as_ref(), &self.pressures);
        if let Some(map) = doc.as_object_mut() {
            for (field, why) in &self.skipped {
                map.insert((*field).into(), json!({ "not_analysed": why }));
            }
        }
    }

    /// The sections' lines ([`Line`]), a skipped part as its reason.
    pub fn lines(&self, s: &Scenario) -> Vec<Line> {
        let mut out = self.types.as_ref().map(|t| types_lines(s, t)).unwrap_or_default();
        out.extend(pressure_lines(s, &self.pressures));
        out.extend(self.skipped.iter().map(|(_, why)| (0, why.clone())));
        out
    }

    /// The sections of the `analyze` text; empty when there are none.
    pub fn to_text(&self, s: &Scenario) -> String {
        let mut out = String::new();
        for (depth, line) in self.lines(s) {
            if depth == 0 {
                out.push('\n');
            }
            let _ = writeln!(out, "{}{line}", "  ".repeat(depth));
        }
        out
    }

    /// The glossary terms the text uses.
    pub fn terms(&self) -> Vec<&'static str> {
        let mut terms = Vec::new();
        if self.types.is_some() {
            terms.extend(["type", "robust agreement set"]);
        }
        if !self.pressures.is_empty() {
            terms.push("pressure");
        }
        terms
    }
}

/// Adds `types` (when an actor has types) and `pressures` (when the file
/// declares any) to an analysis document.
pub fn add_to_json(doc: &mut Json, s: &Scenario, types: Option<&TypeAnalysis>, pressures: &[Removed]) {
    let Some(map) = doc.as_object_mut() else { return };
    if let Some(t) = types {
        let profiles: Vec<Json> = t
            .profiles
            .iter()
            .map(|p| {
                let mut m = Map::new();
                for &ty in &p.types {
                    m.insert(s.actors[s.types[ty].actor].id.clone(), json!(s.types[ty].name));
                }
                json!({ "types": m, "probability": p.probability, "agreements": p.agreements })
            })
            .collect();
        let views: Vec<Json> = t
            .views
            .iter()
            .map(|v| {
                let mut probs = Map::new();
                for &(ty, p) in &v.probabilities {
                    probs.insert(type_name(s, ty), json!(p));
                }
                json!({
                    "holder": s.actors[v.holder].id,
                    "own_type": v.own_type.map(|ty| s.types[ty].name.clone()),
                    "probabilities": probs,
                    "acceptance": acceptance_json(s, &v.acceptance),
                })
            })
            .collect();
        map.insert(
            "types".into(),
            json!({
                "actors": t.actors.iter().map(|&a| s.actors[a].id.clone()).collect::<Vec<_>>(),
                "profiles": profiles,
                "acceptance": acceptance_json(s, &t.acceptance),
                "views": views,
            }),
        );
    }
    if !pressures.is_empty() {
        let list: Vec<Json> = pressures
            .iter()
            .map(|r| {
                json!({
                    "pressure": r.pressure.map(|k| s.pressures[k].label.clone()),
                    "cost": r.cost,
                    "removes": r.count,
                    "agreements_without": r.agreements_without,
                    "examples": r.examples.iter().map(|(_, v)| outcome_json(s, v)).collect::<Vec<_>>(),
                })
            })
            .collect();
        map.insert("pressures".into(), Json::Array(list));
    }
}

fn percent(p: f64) -> String {
    let x = p * 100.0;
    if (x - x.round()).abs() < 0.05 {
        format!("{}%", x.round())
    } else {
        format!("{x:.1}%")
    }
}

/// One line of the types and pressure sections, with its depth (0: a
/// heading sentence; 1, 2, …: items under it). The text output indents by
/// depth; the report makes depth 0 a paragraph and deeper lines list items.
pub type Line = (usize, String);

fn acceptance_lines(out: &mut Vec<Line>, s: &Scenario, a: &Acceptance, depth: usize) {
    if a.possible == 0 {
        out.push((
            depth,
            "No outcome is accepted under any of these types: there is no deal, whichever they are.".into(),
        ));
        return;
    }
    if a.robust == a.possible {
        out.push((
            depth,
            format!(
                "{} accepted whatever the types are (the robust agreement set is the whole of it).",
                plural(a.possible, "outcome is", "outcomes are")
            ),
        ));
        return;
    }
    let robust = if a.robust == 0 {
        "none is accepted whatever the types are".to_string()
    } else {
        format!("{} accepted whatever the types are (the robust agreement set)", plural(a.robust, "is", "are"))
    };
    out.push((
        depth,
        format!(
            "{} accepted under some types; {robust}. Expected size of the agreement set: {:.2} outcomes.",
            plural(a.possible, "outcome is", "outcomes are"),
            a.expected
        ),
    ));
    out.push((depth, "Most likely accepted:".into()));
    for x in a.likeliest.iter().take(5) {
        out.push((depth + 1, format!("{} — {}", percent(x.probability), changes_text(s, &x.values))));
    }
}

/// The types section's lines; empty without types.
pub fn types_lines(s: &Scenario, t: &TypeAnalysis) -> Vec<Line> {
    let mut out = Vec::new();
    let who: Vec<String> = t
        .actors
        .iter()
        .map(|&a| {
            let names: Vec<String> = s
                .types_of(a)
                .into_iter()
                .map(|ty| format!("{} {}", s.types[ty].name, percent(s.types[ty].prior)))
                .collect();
            format!("{} ({})", s.actors[a].id, names.join(", "))
        })
        .collect();
    out.push((0, format!("Uncertain types: {}.", who.join("; "))));
    for p in &t.profiles {
        let names: Vec<String> = p.types.iter().map(|&ty| type_name(s, ty)).collect();
        let verdict = if p.agreements == 0 {
            "no deal".to_string()
        } else {
            plural(p.agreements, "outcome in the agreement set", "outcomes in the agreement set")
        };
        out.push((1, format!("If {} (probability {}): {verdict}.", names.join(" and "), percent(p.probability))));
    }
    acceptance_lines(&mut out, s, &t.acceptance, 1);
    for v in &t.views {
        let probs: Vec<String> =
            v.probabilities.iter().map(|&(ty, p)| format!("{} {}", type_name(s, ty), percent(p))).collect();
        if probs.is_empty() {
            // Nobody else has types: the holder knows every type there is.
            let own = v.own_type.map(|t| format!(", being {}", s.types[t].name)).unwrap_or_default();
            let n = v.acceptance.possible;
            out.push((
                1,
                format!(
                    "As {} sees it{own}: {} acceptable to every required actor.",
                    s.actors[v.holder].id,
                    plural(n, "outcome is", "outcomes are")
                ),
            ));
            continue;
        }
        let mut line = format!("As {} sees it", s.actors[v.holder].id);
        if let Some(own) = v.own_type {
            let _ = write!(line, ", being {}", s.types[own].name);
        }
        if !probs.is_empty() {
            let _ = write!(line, " ({})", probs.join(", "));
        }
        line.push(':');
        out.push((1, line));
        acceptance_lines(&mut out, s, &v.acceptance, 2);
    }
    out
}

/// The pressure section's lines; empty without pressures.
pub fn pressure_lines(s: &Scenario, pressures: &[Removed]) -> Vec<Line> {
    let mut out = Vec::new();
    if pressures.is_empty() {
        return out;
    }
    out.push((0, "Pressure (costs third parties attach to outcomes for others):".into()));
    for r in pressures {
        let what = match r.pressure {
            Some(k) => {
                let p = &s.pressures[k];
                format!(
                    "`{}`: {} makes {} lose {} where {}",
                    p.label,
                    s.actors[p.by].id,
                    s.actors[p.on].id,
                    crate::text::fmt_num(r.cost.unwrap_or(p.cost)),
                    p.rule_text
                )
            }
            None => "All pressures together".to_string(),
        };
        if r.count == 0 {
            out.push((
                1,
                format!(
                    "{what}: removes no agreement ({} without it).",
                    plural(r.agreements_without, "agreement", "agreements")
                ),
            ));
        } else {
            out.push((
                1,
                format!(
                    "{what}: removes {} of the {} there would be without it, such as:",
                    plural(r.count, "agreement", "agreements"),
                    r.agreements_without
                ),
            ));
            for (_, values) in r.examples.iter().take(3) {
                out.push((2, changes_text(s, values)));
            }
        }
    }
    out
}
