//! `analyze --timeline`: the deal space between events, as text (one line
//! per period, then what the events change, in words) and as the
//! `timeline` field of the `detente.analysis/1` document
//! (`docs/analysis.md`, "Events and deadlines").

use std::fmt::Write as _;

use detente::analysis::timeline::Period;
use detente::analysis::Analysis;
use detente::scenario::Scenario;
use serde_json::{json, Value as Json};

use crate::analysis::{blocker_sentence, point_json};
use crate::text::changes_text;

/// Adds `timeline` to an analysis document.
pub fn add_to_json(doc: &mut Json, s: &Scenario, periods: &[Period]) {
    let Some(map) = doc.as_object_mut() else { return };
    map.insert("timeline".into(), Json::Array(periods.iter().map(|p| period_json(s, p)).collect()));
}

fn period_json(s: &Scenario, p: &Period) -> Json {
    let event = p.event.map(|k| &s.events[k]);
    let mut m = json!({
        "event": event.map(|e| e.id.clone()),
        "name": event.and_then(|e| e.name.clone()),
        "date": event.and_then(|e| e.date).map(|d| d.to_string()),
        "round": p.event.and_then(|k| s.event_round(k)),
        "changes": p.event.map(|k| crate::text::event_changes(s, k)).unwrap_or_default(),
        "statements": event.map(|e| e.statements.iter().map(|&k| s.statements[k].id.clone()).collect::<Vec<_>>()).unwrap_or_default(),
        "walk_away": p.walk_away.iter().map(|&a| s.actors[a].id.clone()).collect::<Vec<_>>(),
        "deal_exists": null,
        "agreement_set_size": null,
        "nash": null,
        "smallest_change": null,
    });
    if let Some(a) = &p.analysis {
        m["deal_exists"] = Json::Bool(a.deal_exists);
        if !a.perceptions.is_empty() {
            m["perceived"] = a
                .perceptions
                .iter()
                .map(|p| (s.actors[p.holder].id.clone(), json!(p.perceived_size)))
                .collect::<serde_json::Map<_, _>>()
                .into();
        }
        m["agreement_set_size"] = json!(a.agreement_set_size);
        m["nash"] = a.solutions.nash.as_ref().map_or(Json::Null, |n| point_json(s, a, n));
        m["smallest_change"] = a
            .blockers
            .first()
            .map_or(Json::Null, |b| json!({ "summary": blocker_sentence(s, b), "opens_count": b.opens_count }));
    }
    m
}

/// When a period begins, for people: "the upper-house election
/// (2019-07-21, round 13)".
fn when(s: &Scenario, k: usize) -> String {
    let e = &s.events[k];
    let mut at = Vec::new();
    if let Some(d) = e.date {
        at.push(d.to_string());
    }
    if let Some(r) = s.event_round(k) {
        at.push(format!("round {r}"));
    }
    if at.is_empty() {
        e.title().to_string()
    } else {
        format!("{} ({})", e.title(), at.join(", "))
    }
}

/// The deal space as each believer sees it, when beliefs are declared:
/// "; as japan sees it, 244 outcomes".
fn perceived(s: &Scenario, a: &Analysis) -> String {
    a.perceptions
        .iter()
        .map(|p| match p.perceived_size {
            0 => format!("; as {} sees it, none", s.actors[p.holder].id),
            n => format!("; as {} sees it, {}", s.actors[p.holder].id, crate::text::plural(n, "outcome", "outcomes")),
        })
        .collect()
}

/// The deal space of one period in a sentence.
fn state(s: &Scenario, a: &Analysis) -> String {
    if a.deal_exists {
        let size = match a.agreement_set_size {
            Some(1) => "1 outcome acceptable to all".to_string(),
            Some(n) => format!("{n} outcomes acceptable to all"),
            None => "outcomes acceptable to all".into(),
        };
        let nash =
            a.solutions.nash.as_ref().map(|n| format!("; Nash bargaining solution: {}", changes_text(s, &n.outcome)));
        format!("a deal exists: {size}{}", nash.unwrap_or_default())
    } else {
        match a.blockers.first() {
            Some(b) => format!(
                "no deal; the smallest change that opens one: {} ({} outcome{})",
                blocker_sentence(s, b),
                b.opens_count,
                if b.opens_count == 1 { "" } else { "s" }
            ),
            None => "no deal, and no change of the searched size opens one".into(),
        }
    }
}

/// The timeline in words: a summary sentence, then one entry per period.
pub fn to_text(s: &Scenario, periods: &[Period]) -> String {
    let mut out = String::new();
    if s.events.is_empty() {
        out.push_str("\nOver time: the scenario declares no events, so the deal space does not change.\n");
        return out;
    }
    let _ = writeln!(out, "\nOver time: {}", summary(s, periods));
    for (n, p) in periods.iter().enumerate() {
        let head = match p.event {
            None => match periods.get(1).and_then(|q| q.event) {
                Some(k) => format!("Until {}", when(s, k)),
                None => "Throughout".into(),
            },
            Some(k) if p.analysis.is_none() => format!("At {}", when(s, k)),
            Some(k) => format!("From {} on", when(s, k)),
        };
        let _ = write!(out, "  {head}");
        if let Some(k) = p.event {
            let changes = crate::text::event_changes(s, k);
            if !changes.is_empty() {
                let _ = write!(out, " [{}]", changes.join("; "));
            }
        }
        match &p.analysis {
            Some(a) => {
                let same = n > 0 && periods[n - 1].analysis.as_ref().is_some_and(|b| same_space(a, b));
                let _ =
                    writeln!(out, ": {}{}{}.", state(s, a), perceived(s, a), if same { " (as before)" } else { "" });
            }
            None => {
                let who: Vec<&str> = p.walk_away.iter().map(|&a| s.actors[a].id.as_str()).collect();
                let _ = writeln!(
                    out,
                    ": {} walk{} away (deadline); the talks are over.",
                    who.join(" and "),
                    if who.len() == 1 { "s" } else { "" }
                );
            }
        }
    }
    out
}

fn same_space(a: &Analysis, b: &Analysis) -> bool {
    a.deal_exists == b.deal_exists && a.agreement_set_size == b.agreement_set_size
}

/// One sentence: when a deal first exists, and whether it lasts.
fn summary(s: &Scenario, periods: &[Period]) -> String {
    let deal = |p: &Period| p.analysis.as_ref().is_some_and(|a| a.deal_exists);
    let name = |p: &Period| p.event.map_or_else(String::new, |k| s.events[k].title().to_string());
    let first_deal = periods.iter().position(deal);
    let over = periods.iter().find(|p| p.analysis.is_none());
    let mut t = match first_deal {
        None => "no deal at any time".to_string(),
        Some(0) if periods.iter().all(|p| p.analysis.is_none() || deal(p)) => "a deal exists throughout".into(),
        Some(0) => {
            let lost = periods.iter().position(|p| p.analysis.is_some() && !deal(p)).unwrap_or(0);
            format!("a deal exists until {}, and not after it", name(&periods[lost]))
        }
        Some(k) => format!("no agreement before {}; after it, {}", name(&periods[k]), {
            let a = periods[k].analysis.as_ref().expect("a deal period has an analysis");
            match a.agreement_set_size {
                Some(1) => "1 outcome is acceptable to all".to_string(),
                Some(n) => format!("{n} outcomes are acceptable to all"),
                None => "a deal exists".into(),
            }
        }),
    };
    if let Some(p) = over {
        let who: Vec<&str> = p.walk_away.iter().map(|&a| s.actors[a].id.as_str()).collect();
        let _ = write!(
            t,
            "; the talks end at {}, when {} walk{} away",
            name(p),
            who.join(" and "),
            if who.len() == 1 { "s" } else { "" }
        );
    }
    t.push('.');
    t
}
