//! Staged agreements in `detente analyze` output: the declared plans and
//! the sequencing search, as text (words first) and as the `plans` and
//! `sequences` fields of the `detente.analysis/1` document
//! (`docs/analysis.md`, "Staged agreements").

use std::fmt::Write as _;

use detente::analysis::stages::{PlanReport, Sequences, Staging};
use detente::scenario::{Scenario, Value};
use serde_json::{json, Map, Value as Json};

use crate::analysis::value_json;
use crate::text::changes_text;

/// How many opening plans the text lists unless `all`.
const CAP: usize = 5;

/// Adds `plans` (when the file declares any) and `sequences` (when the
/// search ran) to an analysis document.
pub fn add_to_json(doc: &mut Json, s: &Scenario, staging: &Staging) {
    let Some(map) = doc.as_object_mut() else { return };
    if !s.plans.is_empty() {
        map.insert("plans".into(), Json::Array(staging.plans.iter().map(|r| plan_json(s, r)).collect()));
    }
    if let Some(q) = &staging.sequences {
        map.insert("sequences".into(), sequences_json(s, q));
    }
}

fn ids(s: &Scenario, issues: &[usize]) -> Vec<String> {
    issues.iter().map(|&i| s.issues[i].id.clone()).collect()
}

fn plan_json(s: &Scenario, r: &PlanReport) -> Json {
    let parties = s.parties();
    let mut expected = Map::new();
    for (k, &p) in parties.iter().enumerate() {
        expected.insert(s.actors[p].id.clone(), json!(r.analysis.expected[k]));
    }
    let mut outcome = Map::new();
    for (i, v) in r.analysis.outcome.iter().enumerate() {
        outcome.insert(s.issues[i].id.clone(), value_json(s, i, v));
    }
    let path: Vec<Json> = r
        .analysis
        .steps
        .iter()
        .enumerate()
        .map(|(k, step)| {
            let agreed = step.agreed.as_ref().map(|values| {
                let mut m = Map::new();
                for (&i, v) in step.issues.iter().zip(values) {
                    m.insert(s.issues[i].id.clone(), value_json(s, i, v));
                }
                Json::Object(m)
            });
            json!({
                "phase": k + 1,
                "issues": ids(s, &step.issues),
                "agreement_set_size": step.agreement_set_size,
                "agreed": agreed,
            })
        })
        .collect();
    json!({
        "name": r.plan.name,
        "phases": r.plan.phases.iter().map(|p| ids(s, p)).collect::<Vec<_>>(),
        "commitments": r.plan.commitments,
        "deal": r.analysis.deal,
        "path": path,
        "outcome": outcome,
        "expected": expected,
        "min_commitment": r.min_commitment,
    })
}

fn sequences_json(s: &Scenario, q: &Sequences) -> Json {
    json!({
        "units": q.units.iter().map(|u| ids(s, u)).collect::<Vec<_>>(),
        "tried": q.tried,
        "all_at_once": q.all_at_once,
        "opening": q.opening.iter().map(|r| plan_json(s, r)).collect::<Vec<_>>(),
        "reason": q.reason,
    })
}

/// The staged sections of the `analyze` text: every declared plan, then
/// the search when it ran; empty when there is neither. `all` lists every
/// opening plan, not the first five.
pub fn to_text(s: &Scenario, staging: &Staging, all: bool) -> String {
    let mut out = String::new();
    if !staging.plans.is_empty() {
        let _ = writeln!(out, "\nStaged agreements (each phase carried out before the next is negotiated):");
        for r in &staging.plans {
            plan_text(&mut out, s, r);
        }
    }
    if let Some(q) = &staging.sequences {
        let units: Vec<String> = q.units.iter().map(|u| ids(s, u).join(" + ")).collect();
        let _ = writeln!(
            out,
            "\nSequencing: {} ordering{} of {} linked unit{} ({}) into two or more phases tried.",
            q.tried,
            if q.tried == 1 { "" } else { "s" },
            q.units.len(),
            if q.units.len() == 1 { "" } else { "s" },
            units.join("; ")
        );
        if q.all_at_once {
            let _ = writeln!(out, "  All at once there is already a deal: no sequencing is needed to open one.");
        } else if q.opening.is_empty() {
            let reason = q.reason.as_deref().unwrap_or("none opens a deal");
            let _ = writeln!(out, "  No plan opens a deal: {reason}.");
        } else {
            let n = q.opening.len();
            let _ = writeln!(
                out,
                "  All at once there is no deal; {n} plan{} open{} one, best first (Nash product of the expected gains):",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" }
            );
            let cap = if all { usize::MAX } else { CAP };
            for r in q.opening.iter().take(cap) {
                plan_text(&mut out, s, r);
            }
            if n > cap {
                let _ = writeln!(out, "  … and {} more (--all lists them).", n - cap);
            }
        }
    }
    out
}

fn plan_text(out: &mut String, s: &Scenario, r: &PlanReport) {
    let phases: Vec<String> = r.plan.phases.iter().map(|p| ids(s, p).join(", ")).collect();
    let _ = writeln!(out, "  {}: {}", r.plan.name, phases.join(", then "));
    let a = &r.analysis;
    if !a.deal {
        let _ = writeln!(
            out,
            "    No staged deal: phase 1 ({}) has no settlement every required actor accepts.",
            phases.first().map_or("", String::as_str)
        );
        match r.min_commitment {
            None => {
                let _ = writeln!(out, "    It opens no deal at any commitment, even with every promise kept.");
            }
            c => commitment_text(out, c),
        }
        return;
    }
    for (k, step) in a.steps.iter().enumerate() {
        match &step.agreed {
            Some(values) => {
                let agreed: Vec<String> = step
                    .issues
                    .iter()
                    .zip(values)
                    .map(|(&i, v): (&usize, &Value)| format!("{} = {}", s.issues[i].id, s.issues[i].domain.display(v)))
                    .collect();
                let _ = writeln!(
                    out,
                    "    phase {}: {} ({} acceptable settlement{})",
                    k + 1,
                    agreed.join(", "),
                    step.agreement_set_size,
                    if step.agreement_set_size == 1 { "" } else { "s" }
                );
            }
            None => {
                let _ =
                    writeln!(out, "    phase {}: no agreement; its issues and the rest stay at the status quo", k + 1);
            }
        }
    }
    let parties = s.parties();
    let expected: Vec<String> =
        parties.iter().zip(&a.expected).map(|(&p, u)| format!("{} {u:.3}", s.actors[p].id)).collect();
    let _ = writeln!(out, "    ends in: {}", changes_text(s, &a.outcome));
    let _ = writeln!(out, "    expected utility: {}", expected.join(", "));
    commitment_text(out, r.min_commitment);
}

fn commitment_text(out: &mut String, min_commitment: Option<f64>) {
    match min_commitment {
        Some(c) if c <= 0.0 => {
            let _ = writeln!(out, "    opens a deal whatever the commitment");
        }
        Some(c) => {
            let _ = writeln!(
                out,
                "    opens a deal from a commitment of {c} (every promise honoured with that probability; to 10^-6)"
            );
        }
        None => {}
    }
}
