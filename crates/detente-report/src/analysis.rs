//! `detente analyze` output: a readable summary and the `detente.analysis/1`
//! JSON document (documented in `docs/analysis.md`).

use std::fmt::Write as _;

use detente::analysis::space::count_text;
use detente::analysis::{Analysis, Blocker, Cost, Point, Relaxation};
use detente::scenario::{Role, Scenario};
use serde_json::{json, Map, Value as Json};

use crate::text::changes_text;

/// Name and version of the JSON document.
pub const SCHEMA: &str = "detente.analysis/1";

/// A value as JSON: an option label, an integer or a number.
pub fn value_json(s: &Scenario, issue: usize, v: &detente::scenario::Value) -> Json {
    match v {
        detente::scenario::Value::Option(_) => Json::String(s.issues[issue].domain.display(v)),
        detente::scenario::Value::Int(i) => json!(i),
        detente::scenario::Value::Real(x) => json!(x),
    }
}

/// A point as `{outcome: {issue: value}, utilities: {party: u}}`.
pub fn point_json(s: &Scenario, a: &Analysis, p: &Point) -> Json {
    let mut outcome = Map::new();
    for (i, v) in p.outcome.iter().enumerate() {
        outcome.insert(s.issues[i].id.clone(), value_json(s, i, v));
    }
    let mut utilities = Map::new();
    for (k, &party) in a.parties.iter().enumerate() {
        utilities.insert(s.actors[party].id.clone(), json!(p.utilities[k]));
    }
    json!({ "outcome": outcome, "utilities": utilities })
}

fn relaxation_json(s: &Scenario, c: &Cost) -> Json {
    let actor = &s.actors[c.actor].id;
    match c.relaxation {
        Relaxation::DropConstraint(k) => json!({
            "kind": "drop-constraint",
            "constraint": s.constraints[k].label,
            "owner": actor,
            "rule": s.constraints[k].rule_text,
        }),
        Relaxation::LowerReservation(_) => json!({
            "kind": "lower-reservation",
            "actor": actor,
            "reservation": c.reservation,
            "best_feasible": c.best_feasible,
            "alternatives": c.alternatives.iter().map(|r| match r {
                Relaxation::RemoveRatifier(_) => "remove-ratifier",
                _ => "remove-veto",
            }).collect::<Vec<_>>(),
        }),
        Relaxation::RemoveRatifier(_) => json!({ "kind": "remove-ratifier", "actor": actor }),
        Relaxation::RemoveVeto(_) => json!({ "kind": "remove-veto", "actor": actor }),
    }
}

/// The whole analysis as the `detente.analysis/1` document.
pub fn to_json(s: &Scenario, a: &Analysis) -> Json {
    let pt = |p: &Point| point_json(s, a, p);
    let opt = |p: &Option<Point>| p.as_ref().map(pt).unwrap_or(Json::Null);
    let actors: Vec<Json> = s
        .actors
        .iter()
        .enumerate()
        .map(|(k, actor)| {
            json!({
                "id": actor.id,
                "role": actor.role.as_str(),
                "reservation": a.reservations[k],
                "required": a.required.contains(&k),
                "vetoes": actor.vetoes.iter().map(|&i| s.issues[i].id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut doc = json!({
        "schema": SCHEMA,
        "scenario": s.name,
        "outcomes": a.outcome_count_decimal.parse::<u64>().map(Json::from).unwrap_or_else(|_| Json::String(a.outcome_count_decimal.clone())),
        "moot": a.moot,
        "discretised": a.discretised.iter().map(|(i, n)| json!({ "issue": s.issues[*i].id, "points": n })).collect::<Vec<_>>(),
        "parties": a.parties.iter().map(|&p| s.actors[p].id.clone()).collect::<Vec<_>>(),
        "actors": actors,
        "method": a.method.as_str(),
        "agreement_set_size": a.agreement_set_size,
        "deal_exists": a.deal_exists,
        "notes": a.notes,
        "best": null,
        "pareto": null,
        "pareto_all": null,
        "solutions": {
            "nash": opt(&a.solutions.nash),
            "kalai_smorodinsky": opt(&a.solutions.kalai_smorodinsky),
            "egalitarian": opt(&a.solutions.egalitarian),
            "utilitarian": opt(&a.solutions.utilitarian),
        },
        "opposition": a.opposition,
        "blockers": a.blockers.iter().map(|b| json!({
            "relax": b.costs.iter().map(|c| relaxation_json(s, c)).collect::<Vec<_>>(),
            "opens_count": b.opens_count,
            "opens": pt(&b.opens),
            "summary": blocker_sentence(s, b),
        })).collect::<Vec<_>>(),
        "binding": a.binding.iter().map(|b| json!({
            "constraint": s.constraints[b.constraint].label,
            "owner": s.actors[s.constraints[b.constraint].owner].id,
            "excludes": b.excludes,
            "nash_if_dropped": opt(&b.nash_if_dropped),
        })).collect::<Vec<_>>(),
        "perceptions": a.perceptions.iter().map(|p| json!({
            "holder": s.actors[p.holder].id,
            "perceived_size": p.perceived_size,
            "real_and_perceived": p.real_and_perceived,
            "missed": p.missed,
            "false_hopes": p.false_hopes.iter().map(|h| json!({
                "count": h.count,
                "example": pt(&h.example),
                "holder_utility": h.holder_utility,
                "violates": h.violates.iter().map(|&c| s.constraints[c].label.clone()).collect::<Vec<_>>(),
                "rejected_by": h.rejected_by.iter().map(|&x| s.actors[x].id.clone()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    // The point lists (frontiers can be long) are moved in rather than given
    // to `json!`, which would copy them whole; each keeps its key's place.
    doc["best"] = Json::Array(a.best.iter().map(pt).collect());
    doc["pareto"] = Json::Array(thinned(&a.pareto).map(pt).collect());
    doc["pareto_all"] = Json::Array(thinned(&a.pareto_all).map(pt).collect());
    doc["pareto_size"] = Json::from(a.pareto.len());
    doc["pareto_all_size"] = Json::from(a.pareto_all.len());
    if a.pareto.len().max(a.pareto_all.len()) > MAX_JSON_FRONTIER {
        if let Some(notes) = doc["notes"].as_array_mut() {
            notes.push(Json::from(format!(
                "the frontiers list {MAX_JSON_FRONTIER} evenly spaced points of their {} and {} (pareto_size, pareto_all_size), both ends included",
                a.pareto.len(),
                a.pareto_all.len()
            )));
        }
    }
    doc
}

/// Most points a frontier lists in the JSON document. A one-issue
/// distributive space has every outcome on its frontier (2 million points
/// are 600 MB of JSON); longer frontiers list this many, evenly spaced.
pub const MAX_JSON_FRONTIER: usize = 10_000;

/// All of `points`, or [`MAX_JSON_FRONTIER`] of them evenly spaced along it
/// with the first and the last.
fn thinned(points: &[Point]) -> impl Iterator<Item = &Point> {
    let n = points.len();
    let keep = n.min(MAX_JSON_FRONTIER);
    (0..keep).map(move |k| if keep == n { &points[k] } else { &points[k * (n - 1) / (keep - 1)] })
}

fn num(v: f64) -> String {
    format!("{v:.3}")
}

/// `issue=value, …` for every issue.
pub fn outcome_text(s: &Scenario, p: &Point) -> String {
    p.outcome
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}={}", s.issues[i].id, s.issues[i].domain.display(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn utilities_text(s: &Scenario, a: &Analysis, p: &Point) -> String {
    a.parties
        .iter()
        .enumerate()
        .map(|(k, &party)| format!("{} {}", s.actors[party].id, num(p.utilities[k])))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One sentence naming who gives up what.
pub fn blocker_sentence(s: &Scenario, b: &Blocker) -> String {
    let parts: Vec<String> = b
        .costs
        .iter()
        .map(|c| {
            let who = s.actors[c.actor].display_name();
            match c.relaxation {
                Relaxation::DropConstraint(k) => {
                    format!("{who} drops `{}` ({})", s.constraints[k].label, s.constraints[k].kind().as_str())
                }
                Relaxation::LowerReservation(_) => {
                    let mut t = format!(
                        "{who} accepts a deal worth {} to it (its reservation is {})",
                        num(c.best_feasible.unwrap_or(0.0)),
                        num(c.reservation.unwrap_or(0.0))
                    );
                    for alt in &c.alternatives {
                        t.push_str(match alt {
                            Relaxation::RemoveRatifier(_) => " or is no longer needed to ratify",
                            _ => " or gives up its veto",
                        });
                    }
                    t
                }
                Relaxation::RemoveRatifier(_) => format!("{who} is no longer needed to ratify"),
                Relaxation::RemoveVeto(_) => format!("{who} gives up its veto"),
            }
        })
        .collect();
    parts.join(" and ")
}

/// How much of the analysis the text shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Every blocker, binding constraint and false hope, not the first few.
    pub all: bool,
    /// Append the meaning of every term the text uses.
    pub explain: bool,
}

/// How many entries of a long list the text shows without `--all`.
const CAP: usize = 5;

/// A plain-language verdict of two to four sentences: is there a deal,
/// what blocks it, the smallest change that opens one (or what binds).
pub fn verdict_text(s: &Scenario, a: &Analysis) -> String {
    let mut condition = String::from("allowed by every constraint and better than no agreement for every party");
    if a.required.iter().any(|k| !a.parties.contains(k)) {
        condition.push_str(", and no worse for every required ratifier or veto holder");
    }
    if a.deal_exists {
        let size = match a.agreement_set_size {
            Some(1) => "1 outcome is".to_string(),
            Some(n) => format!("{n} outcomes are"),
            None => "outcomes (not counted in issue-by-issue mode) are".into(),
        };
        let mut t = format!("A deal exists: {size} {condition}.");
        if let Some(nash) = &a.solutions.nash {
            let _ = write!(t, " The Nash bargaining solution: {}.", changes_text(s, &nash.outcome));
        }
        if !a.binding.is_empty() {
            let labels: Vec<String> =
                a.binding.iter().map(|b| format!("`{}`", s.constraints[b.constraint].label)).collect();
            let _ = write!(
                t,
                " {} would admit more deals if dropped: {}.",
                if a.binding.len() == 1 { "One constraint" } else { "These constraints" },
                labels.join(", ")
            );
        }
        return t;
    }
    let mut t = format!("No deal: no outcome is {condition}.");
    let Some(first) = a.blockers.first() else {
        t.push_str(" No set of changes of the searched size opens one (raise --max-blocker-size to search further).");
        return t;
    };
    // What every way to a deal has in common, else what most of them need.
    let common: Vec<String> = first
        .relax
        .iter()
        .filter(|r| a.blockers.iter().all(|b| b.relax.contains(r)))
        .map(|r| relaxation_words(s, r))
        .collect();
    let n = a.blockers.len();
    if !common.is_empty() && n > 1 {
        let _ = write!(t, " Every one of the {n} smallest ways to a deal needs {}.", common.join(" and "));
    } else if n > 1 {
        // The constraints that stand in the way most often.
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for b in &a.blockers {
            for r in &b.relax {
                if let Relaxation::DropConstraint(k) = *r {
                    match counts.iter_mut().find(|(c, _)| *c == k) {
                        Some((_, m)) => *m += 1,
                        None => counts.push((k, 1)),
                    }
                }
            }
        }
        counts.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        if !counts.is_empty() {
            let top: Vec<String> = counts
                .iter()
                .take(3)
                .map(|&(k, m)| {
                    let c = &s.constraints[k];
                    format!("`{}` ({}, in {m} of the {n})", c.label, s.actors[c.owner].id)
                })
                .collect();
            let _ = write!(
                t,
                " Of the {n} smallest ways to a deal, the constraints most often in the way: {}.",
                top.join(", ")
            );
        }
    }
    let _ = write!(
        t,
        " The smallest change that opens one: {} — {} outcome{}, for example {}.",
        blocker_sentence(s, first),
        first.opens_count,
        if first.opens_count == 1 { "" } else { "s" },
        changes_text(s, &first.opens.outcome)
    );
    t
}

/// One relaxation in a few words.
fn relaxation_words(s: &Scenario, r: &Relaxation) -> String {
    match *r {
        Relaxation::DropConstraint(k) => {
            format!("{} to drop `{}`", s.actors[s.constraints[k].owner].id, s.constraints[k].label)
        }
        Relaxation::LowerReservation(a) => format!("{} to accept less", s.actors[a].id),
        Relaxation::RemoveRatifier(a) => format!("{} out of the ratification", s.actors[a].id),
        Relaxation::RemoveVeto(a) => format!("{} to give up its veto", s.actors[a].id),
    }
}

/// `… and N more (--all shows every one)` when a list was cut.
fn more(out: &mut String, shown: usize, total: usize, (one, many): (&str, &str)) {
    if total > shown {
        let left = total - shown;
        let what = if left == 1 { one } else { many };
        let _ = writeln!(out, "  … and {left} more {what} (--all shows every one)");
    }
}

/// The readable summary `detente analyze` prints, with default options.
pub fn to_text(s: &Scenario, a: &Analysis) -> String {
    to_text_with(s, a, TextOptions::default(), None)
}

/// The readable summary `detente analyze` prints: the verdict in words
/// first, then the details, outcomes as changes from the status quo.
///
/// `firmness`, the quick robustness study of the file's `[[uncertain]]`
/// judgements ([`detente::robustness::quick`]), adds a sentence on how
/// firmly the verdict holds.
pub fn to_text_with(
    s: &Scenario,
    a: &Analysis,
    options: TextOptions,
    firmness: Option<&Result<detente::robustness::Robustness, detente::robustness::RobustnessError>>,
) -> String {
    let (mut out, terms) = to_text_and_terms(s, a, options, firmness);
    if options.explain {
        let _ = write!(out, "\n{}", crate::glossary::explain(&terms));
    }
    out
}

/// The summary without its glossary, and the glossary terms it uses, for
/// outputs that append sections of their own (staged plans, the timeline)
/// before explaining every term once.
pub fn to_text_and_terms(
    s: &Scenario,
    a: &Analysis,
    options: TextOptions,
    firmness: Option<&Result<detente::robustness::Robustness, detente::robustness::RobustnessError>>,
) -> (String, Vec<&'static str>) {
    let cap = if options.all { usize::MAX } else { CAP };
    let mut out = String::new();
    let mut terms = vec!["outcome", "status quo", "reservation", "utility", "agreement set", "ties"];
    let name = |k: usize| s.actors[k].id.clone();
    let _ = writeln!(out, "{}", s.name);
    let mut verdict = verdict_text(s, a);
    match firmness {
        Some(Ok(r)) => {
            let _ = write!(verdict, " {}", crate::robustness::firmness_sentence(r));
            let _ = write!(verdict, " (`detente robustness` gives the full study.)");
        }
        Some(Err(e)) => {
            let _ = write!(verdict, " How firmly it holds could not be computed: {e}.");
        }
        None => {}
    }
    let _ = writeln!(out, "\n{verdict}\n");
    let _ = writeln!(out, "Parties: {}", a.parties.iter().map(|&p| name(p)).collect::<Vec<_>>().join(", "));
    let ratifiers: Vec<String> = a.required.iter().filter(|k| !a.parties.contains(k)).map(|&k| name(k)).collect();
    if !ratifiers.is_empty() {
        let _ = writeln!(out, "Ratifiers whose acceptance is required: {}", ratifiers.join(", "));
    }
    if !a.veto_holders.is_empty() {
        let _ =
            writeln!(out, "Veto holders: {}", a.veto_holders.iter().map(|&k| name(k)).collect::<Vec<_>>().join(", "));
    }
    let third: Vec<String> = s.actors.iter().filter(|x| x.role == Role::ThirdParty).map(|x| x.id.clone()).collect();
    if !third.is_empty() {
        let _ = writeln!(out, "Third parties (not required unless they hold a veto): {}", third.join(", "));
    }
    let _ = write!(out, "Outcome space: {} outcomes", count_text(&a.outcome_count_decimal));
    if a.moot > 0 {
        let _ = write!(out, " ({} more combinations differ from these only in issues that do not apply there)", a.moot);
    }
    if !a.discretised.is_empty() {
        let grids: Vec<String> =
            a.discretised.iter().map(|(i, n)| format!("{} on {n} points", s.issues[*i].id)).collect();
        let _ = write!(out, " (continuous issues discretised: {}; refine with --resolution)", grids.join(", "));
    }
    let _ = writeln!(out);
    if let Some(o) = a.opposition {
        terms.push("opposition");
        let _ = writeln!(out, "Opposition between the parties: {} (0 = one outcome is best for every party; larger = their best outcomes lie further apart)", num(o));
    }
    let _ = writeln!(out);
    if !a.deal_exists {
        if !a.blockers.is_empty() {
            terms.extend(["blocker", "opens N outcomes"]);
            let _ = writeln!(out, "The smallest changes that open a deal:");
            for (k, b) in a.blockers.iter().take(cap).enumerate() {
                let _ = writeln!(
                    out,
                    "  {}. {} — opens {} outcome{}",
                    k + 1,
                    blocker_sentence(s, b),
                    b.opens_count,
                    if b.opens_count == 1 { "" } else { "s" }
                );
                let _ = writeln!(out, "     e.g. {}", changes_text(s, &b.opens.outcome));
                let _ = writeln!(out, "     utilities: {}", utilities_text(s, a, &b.opens));
            }
            more(&mut out, cap, a.blockers.len(), ("way to a deal", "ways to a deal"));
        }
    } else {
        terms.extend(["Pareto frontier", "Nash", "Kalai–Smorodinsky", "egalitarian", "utilitarian"]);
        let size = match a.agreement_set_size {
            Some(n) => format!("{n} outcome{}", if n == 1 { "" } else { "s" }),
            None => "not counted (issue-by-issue mode)".into(),
        };
        let plural = if a.pareto.len() == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "Agreement set: {size}; Pareto frontier of the agreement set: {} point{plural}",
            a.pareto.len()
        );
        let _ = writeln!(out, "\nSolutions:");
        for (label, p) in [
            ("Nash", &a.solutions.nash),
            ("Kalai–Smorodinsky", &a.solutions.kalai_smorodinsky),
            ("egalitarian", &a.solutions.egalitarian),
            ("utilitarian", &a.solutions.utilitarian),
        ] {
            if let Some(p) = p {
                let _ = writeln!(
                    out,
                    "  {label:<18} {}\n  {:<18} {}",
                    utilities_text(s, a, p),
                    "",
                    changes_text(s, &p.outcome)
                );
            }
        }
        if !a.binding.is_empty() {
            terms.push("binding constraint");
            let _ = writeln!(out, "\nBinding constraints (each alone excludes outcomes every required actor accepts):");
            for b in a.binding.iter().take(cap) {
                let c = &s.constraints[b.constraint];
                let moved = if b.nash_if_dropped.is_some() { "; dropping it would move the Nash point" } else { "" };
                let _ = writeln!(out, "  `{}` ({}): excludes {}{moved}", c.label, name(c.owner), b.excludes);
            }
            more(&mut out, cap, a.binding.len(), ("binding constraint", "binding constraints"));
        }
    }
    for note in &a.notes {
        let _ = writeln!(out, "\nNote: {note}");
    }
    for p in &a.perceptions {
        let _ = writeln!(
            out,
            "\nAs {} sees it: {} acceptable outcome{} ({} really acceptable; {} missed).",
            name(p.holder),
            p.perceived_size,
            if p.perceived_size == 1 { "" } else { "s" },
            p.real_and_perceived,
            p.missed
        );
        terms.extend(["perceived deal space", "false hope"]);
        let shown = if options.all { usize::MAX } else { 3 };
        for h in p.false_hopes.iter().take(shown) {
            let mut why = Vec::new();
            if !h.violates.is_empty() {
                let list: Vec<String> = h
                    .violates
                    .iter()
                    .map(|&c| format!("`{}` ({})", s.constraints[c].label, name(s.constraints[c].owner)))
                    .collect();
                why.push(format!("violates {}", list.join(", ")));
            }
            if !h.rejected_by.is_empty() {
                why.push(format!(
                    "rejected by {}",
                    h.rejected_by.iter().map(|&x| name(x)).collect::<Vec<_>>().join(", ")
                ));
            }
            let plural = if h.count == 1 { "" } else { "s" };
            let _ = writeln!(
                out,
                "  false hope ({} outcome{plural}), best for {} ({}): {}",
                h.count,
                name(p.holder),
                num(h.holder_utility),
                changes_text(s, &h.example.outcome)
            );
            let _ = writeln!(out, "     really: {}", why.join("; "));
        }
        more(&mut out, shown, p.false_hopes.len(), ("group of false hopes", "groups of false hopes"));
    }
    (out, terms)
}
