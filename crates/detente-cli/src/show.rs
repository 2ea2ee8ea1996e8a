//! `detente show`: a scenario as terminal tables or JSON.

use std::process::ExitCode;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};
use detente::scenario::Scenario;
use serde_json::json;

use detente_report::text::{belief_texts, domain_text, fmt_num, plural, reservation_text, stance_text};

use crate::args::ShowArgs;
use crate::{diagnostics, output};

pub fn show(args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let loaded = output::load(&args.file)?;
    let Some(scenario) = &loaded.scenario else {
        eprint!("{}", diagnostics::render_human(&loaded, std::io::IsTerminal::is_terminal(&std::io::stderr())));
        return Ok(ExitCode::from(1));
    };
    if args.json {
        output::print(&serde_json::to_string_pretty(&show_json(scenario))?)?;
    } else {
        output::print(&render_tables(scenario))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_width(140);
    t.set_header(header.iter().map(Cell::new));
    t
}

/// Every actor, issue, stance, constraint and belief as tables.
pub fn render_tables(s: &Scenario) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n", s.name));
    if let Some(d) = &s.description {
        out.push_str(&format!("{d}\n"));
    }
    let count = match s.outcome_count_decimal() {
        Some(n) if s.has_conditions() => format!(
            "{} combinations of values, fewer outcomes since some issues apply only under a condition (`detente analyze` counts them)",
            detente::analysis::space::count_text(&n)
        ),
        Some(n) => format!("{} outcomes", detente::analysis::space::count_text(&n)),
        None => "continuous outcome space".into(),
    };
    out.push_str(&format!(
        "{}, {}, {}, {}; {count}\n\nIssues\n",
        plural(s.issues.len() as u64, "issue", "issues"),
        plural(s.actors.len() as u64, "actor", "actors"),
        plural(s.constraints.len() as u64, "constraint", "constraints"),
        plural(s.beliefs.len() as u64, "belief", "beliefs")
    ));
    let conditional = s.has_conditions();
    let mut columns = vec!["id", "name", "kind", "values", "status quo"];
    if conditional {
        columns.push("applies when (otherwise)");
    }
    let mut t = table(&columns);
    for (i, issue) in s.issues.iter().enumerate() {
        let sq = s.status_quo.as_ref().map(|sq| issue.domain.display(&sq[i])).unwrap_or_default();
        let mut row = vec![
            issue.id.clone(),
            issue.name.clone().unwrap_or_default(),
            issue.domain.kind_name().into(),
            domain_text(&issue.domain),
            sq,
        ];
        if conditional {
            row.push(match &issue.condition {
                Some(c) => format!("{} ({})", c.rule_text, issue.domain.display(&c.otherwise)),
                None => "always".into(),
            });
        }
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n\nActors\n"));
    let mut t = table(&["id", "name", "role", "capability", "reservation", "ratifiers", "vetoes"]);
    for (k, a) in s.actors.iter().enumerate() {
        t.add_row(vec![
            a.id.clone(),
            a.name.clone().unwrap_or_default(),
            a.role.as_str().into(),
            fmt_num(a.capability),
            reservation_text(s, k),
            a.ratifiers.iter().map(|&r| s.actors[r].id.as_str()).collect::<Vec<_>>().join(", "),
            a.vetoes.iter().map(|&i| s.issues[i].id.as_str()).collect::<Vec<_>>().join(", "),
        ]);
    }
    out.push_str(&format!("{t}\n\nStances (position or values; salience → weight)\n"));
    let mut t = table(&["actor", "issue", "position / values", "salience", "weight"]);
    for a in &s.actors {
        for (st, w) in a.stances.iter().zip(a.weights()) {
            t.add_row(vec![
                a.id.clone(),
                s.issues[st.issue].id.clone(),
                stance_text(s, st.issue, &st.value),
                fmt_num(st.salience),
                fmt_num(w),
            ]);
        }
    }
    out.push_str(&format!("{t}\n"));
    if s.actors.iter().any(|a| a.interactions.iter().any(|t| t.is_own())) {
        out.push_str("\nInteraction terms (added to the utility where the rule holds)\n");
        let mut t = table(&["actor", "label", "when", "adds"]);
        for a in &s.actors {
            for term in a.interactions.iter().filter(|t| t.is_own()) {
                t.add_row(vec![a.id.clone(), term.label.clone(), term.rule_text.clone(), fmt_num(term.value)]);
            }
        }
        out.push_str(&format!("{t}\n"));
    }
    if !s.constraints.is_empty() {
        out.push_str("\nConstraints\n");
        let mut t = table(&["label", "owner", "kind", "rule"]);
        for c in &s.constraints {
            t.add_row(vec![
                c.label.clone(),
                s.actors[c.owner].id.clone(),
                c.kind().as_str().into(),
                c.rule_text.clone(),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !s.beliefs.is_empty() {
        out.push_str("\nBeliefs\n");
        let mut t = table(&["holder", "about", "believed reservation", "believed stances", "believed dropped"]);
        for b in &s.beliefs {
            let (res, stances, dropped) = belief_texts(s, b, "\n");
            t.add_row(vec![s.actors[b.holder].id.clone(), s.actors[b.about].id.clone(), res, stances, dropped]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !s.types.is_empty() {
        out.push_str("\nTypes (each actor is exactly one of its types; priors sum to 1)\n");
        let mut t = table(&["actor", "type", "prior", "reservation", "stances", "does not insist on"]);
        for ty in &s.types {
            let stances: Vec<String> = ty.stances.iter().map(|st| detente_report::text::stance_line(s, st)).collect();
            let dropped: Vec<&str> = ty.dropped_constraints.iter().map(|&c| s.constraints[c].label.as_str()).collect();
            t.add_row(vec![
                s.actors[ty.actor].id.clone(),
                ty.name.clone(),
                fmt_num(ty.prior),
                ty.reservation.map_or_else(
                    || "as the actor".into(),
                    |r| match r {
                        detente::scenario::Reservation::Value(v) => fmt_num(v),
                        detente::scenario::Reservation::StatusQuo => "status quo".into(),
                    },
                ),
                stances.join("\n"),
                dropped.join(", "),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !s.pressures.is_empty() {
        out.push_str("\nPressures (a cost the target pays where the rule holds)\n");
        let mut t = table(&["label", "by", "on", "when", "cost"]);
        for (k, p) in s.pressures.iter().enumerate() {
            let cost = if p.scaled {
                format!("{} × relative capability = {}", fmt_num(p.cost), fmt_num(s.pressure_cost(k)))
            } else {
                fmt_num(p.cost)
            };
            t.add_row(vec![
                p.label.clone(),
                s.actors[p.by].id.clone(),
                s.actors[p.on].id.clone(),
                p.rule_text.clone(),
                cost,
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !s.plans.is_empty() {
        out.push_str("\nPlans (phases carried out in order; later promises kept with the commitment)\n");
        let mut t = table(&["plan", "phases", "commitment"]);
        for p in &s.plans {
            let phases: Vec<String> = p
                .phases
                .iter()
                .enumerate()
                .map(|(k, ph)| {
                    let ids: Vec<&str> = ph.iter().map(|&i| s.issues[i].id.as_str()).collect();
                    format!("{}. {}", k + 1, ids.join(", "))
                })
                .collect();
            let commitments: Vec<String> = p.commitments.iter().map(|&c| fmt_num(c)).collect();
            t.add_row(vec![p.name.clone(), phases.join("\n"), commitments.join(", ")]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !s.statements.is_empty() {
        out.push_str("\nStatements (made by the events that list them, or in simulated talks)\n");
        let mut t = table(&["statement", "by", "kind", "pledge", "audience cost", "heard by", "reactions"]);
        for st in &s.statements {
            let heard: Vec<&str> = st.heard_by.iter().map(|&a| s.actors[a].id.as_str()).collect();
            let heard = if heard.len() == s.actors.len() { "everyone".to_string() } else { heard.join(", ") };
            let reactions: Vec<String> = st.reactions.iter().map(|c| c.describe(s)).collect();
            t.add_row(vec![
                st.id.clone(),
                s.actors[st.by].id.clone(),
                st.kind.as_str().to_string(),
                st.pledge_text.clone().unwrap_or_else(|| "—".into()),
                if st.audience_cost > 0.0 { detente_report::text::fmt_num(st.audience_cost) } else { "—".into() },
                heard,
                if reactions.is_empty() { "—".into() } else { reactions.join("\n") },
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if !s.events.is_empty() {
        match s.calendar {
            Some(c) => {
                out.push_str(&format!("\nEvents (round 0 begins {}, {} days a round)\n", c.start, c.days_per_round))
            }
            None => out.push_str("\nEvents\n"),
        }
        let mut t = table(&["event", "date", "round", "changes", "deadline of"]);
        for (k, e) in s.events.iter().enumerate() {
            let changes = detente_report::text::event_changes(s, k);
            let deadline_of: Vec<&str> = s.deadline_of(k).into_iter().map(|a| s.actors[a].id.as_str()).collect();
            t.add_row(vec![
                e.title().to_string(),
                e.date.map_or_else(|| "—".into(), |d| d.to_string()),
                s.event_round(k).map_or_else(|| "—".into(), |r| r.to_string()),
                changes.join("\n"),
                deadline_of.join(", "),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    out
}

/// The scenario in the native JSON format plus derived facts.
fn show_json(s: &Scenario) -> serde_json::Value {
    json!({
        "scenario": detente::format::write::to_json_value(s),
        "outcome_count": s.outcome_count_decimal(),
        "reservation_values": s.actors.iter().enumerate().map(|(k, a)| (a.id.clone(), json!(s.reservation_value(k)))).collect::<serde_json::Map<_, _>>(),
        "weights": s.actors.iter().map(|a| (a.id.clone(), json!(a.stances.iter().zip(a.weights()).map(|(st, w)| (s.issues[st.issue].id.clone(), json!(w))).collect::<serde_json::Map<_, _>>()))).collect::<serde_json::Map<_, _>>(),
        "constraint_kinds": s.constraints.iter().map(|c| (c.label.clone(), json!(c.kind().as_str()))).collect::<serde_json::Map<_, _>>(),
    })
}
