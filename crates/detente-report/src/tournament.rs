//! `detente tournament` files: one JSON line per negotiation
//! (`negotiations.jsonl`, read back when a run resumes), the definition a
//! resumed run must match (`tournament.json`), the summary
//! (`detente.tournament/1`, documented in `docs/negotiation.md`) with its
//! tables per strategy, scenario, pairing and role, and the same data as
//! frames for CSV and Parquet (`--format`).

use std::fmt::Write as _;

use detente::negotiation::tournament::{Grouping, Record, Stat, TableRow, Tables, Tournament, METRICS};
use serde_json::{json, Value as Json};

use crate::frame::{Column, Frame};

/// Name and version of the summary document.
pub const SCHEMA: &str = "detente.tournament/1";

/// A unique table name for a scenario read from `path`: its file stem (or
/// folder name), numbered when one of `taken` has it (`stem-2`, …). The
/// CLI and the Python package name a tournament's scenarios alike.
pub fn entry_name(path: &std::path::Path, taken: &[&str]) -> String {
    let stem = path
        .file_stem()
        .or_else(|| path.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    let mut name = stem.clone();
    let mut k = 2;
    while taken.contains(&name.as_str()) {
        name = format!("{stem}-{k}");
        k += 1;
    }
    name
}

/// The definition of a tournament: what must be equal for a run to resume.
pub fn definition_json(t: &Tournament, scenarios: &[(String, String)], protocol: &str, rounds: usize) -> Json {
    json!({
        "schema": "detente.tournament-definition/1",
        "scenarios": scenarios.iter().map(|(path, hash)| json!({ "path": path, "hash": hash })).collect::<Vec<_>>(),
        "strategies": t.strategies.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        "reps": t.reps,
        "seed": t.seed,
        "protocol": protocol,
        "rounds": rounds,
    })
}

/// One negotiation as a JSON line (no newline). Besides the outcome's
/// number and the utilities in party order, the line carries the outcome
/// as labelled values (`outcome_values`) and the utilities keyed by actor
/// (`utilities_by_actor`), so a table read from it needs no scenario.
pub fn record_line(t: &Tournament, r: &Record) -> String {
    let domain = &t.entries[r.entry].domain;
    let outcome_values = r.outcome.map(|number| {
        labels(domain, number).into_iter().map(|(i, v)| (i, Json::String(v))).collect::<serde_json::Map<_, _>>()
    });
    let utilities_by_actor: serde_json::Map<String, Json> =
        domain.parties().iter().zip(&r.utilities).map(|(&p, &u)| (domain.actor_ids()[p].clone(), json!(u))).collect();
    let v = json!({
        "id": r.id,
        "scenario": t.entries[r.entry].name,
        "strategies": r.strategies.iter().map(|&s| t.strategies[s].to_string()).collect::<Vec<_>>(),
        "rep": r.rep,
        "reached": r.reached,
        "agreement": r.agreement,
        "outcome": r.outcome,
        "outcome_values": outcome_values,
        "utilities": r.utilities,
        "utilities_by_actor": utilities_by_actor,
        "welfare": r.welfare,
        "pareto_distance": r.pareto_distance,
        "nash_distance": r.nash_distance,
        "kalai_distance": r.kalai_distance,
        "ks_distance": r.ks_distance,
        "advantage": r.advantage,
        "rounds": r.rounds,
    });
    v.to_string()
}

/// Outcome `number` of `domain` as (issue id, value label) pairs.
fn labels(domain: &detente::negotiation::domain::Domain, number: u64) -> Vec<(String, String)> {
    let mut digits = vec![0usize; domain.issue_count()];
    domain.space().digits(number, &mut digits);
    digits.iter().enumerate().map(|(i, &d)| (domain.issue_id(i).to_string(), domain.value_label(i, d as u32))).collect()
}

/// Reads a line written by [`record_line`] for tournament `t`; `Err` says
/// what is wrong (a line cut short by a kill, or one from another
/// tournament).
pub fn parse_record(t: &Tournament, line: &str) -> Result<Record, String> {
    let v: Json = serde_json::from_str(line).map_err(|e| format!("not a complete JSON record ({e})"))?;
    let field = |k: &str| v.get(k).ok_or_else(|| format!("no `{k}`"));
    let uint = |k: &str| field(k)?.as_u64().ok_or_else(|| format!("`{k}` is not a whole number"));
    let float = |x: &Json, k: &str| x.as_f64().ok_or_else(|| format!("`{k}` is not a number"));
    let boolean = |k: &str| field(k)?.as_bool().ok_or_else(|| format!("`{k}` is not true or false"));
    let id = uint("id")?;
    let name = field("scenario")?.as_str().ok_or("`scenario` is not a string")?;
    let entry = t.entries.iter().position(|e| e.name == name).ok_or_else(|| format!("unknown scenario `{name}`"))?;
    let labels: Vec<String> = t.strategies.iter().map(|s| s.to_string()).collect();
    let strategies = field("strategies")?
        .as_array()
        .ok_or("`strategies` is not a list")?
        .iter()
        .map(|s| {
            let s = s.as_str().unwrap_or("");
            labels.iter().position(|l| l == s).ok_or_else(|| format!("unknown strategy `{s}`"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let numbers = |k: &str| -> Result<Vec<f64>, String> {
        field(k)?.as_array().ok_or_else(|| format!("`{k}` is not a list"))?.iter().map(|u| float(u, k)).collect()
    };
    let optional = |k: &str| -> Result<Option<f64>, String> {
        match field(k)? {
            Json::Null => Ok(None),
            x => float(x, k).map(Some),
        }
    };
    let outcome = field("outcome")?;
    Ok(Record {
        id,
        entry,
        strategies,
        rep: uint("rep")? as usize,
        reached: boolean("reached")?,
        agreement: boolean("agreement")?,
        outcome: if outcome.is_null() {
            None
        } else {
            Some(outcome.as_u64().ok_or("`outcome` is not a whole number")?)
        },
        utilities: numbers("utilities")?,
        advantage: numbers("advantage")?,
        welfare: float(field("welfare")?, "welfare")?,
        // Unknown (a searched domain) is written as null.
        pareto_distance: match field("pareto_distance")? {
            Json::Null => f64::NAN,
            x => float(x, "pareto_distance")?,
        },
        nash_distance: optional("nash_distance")?,
        kalai_distance: optional("kalai_distance")?,
        ks_distance: optional("ks_distance")?,
        rounds: uint("rounds")? as usize,
    })
}

/// The per-strategy rows, best first: by rank, then in the order the
/// strategies were given.
pub fn ranked(tables: &Tables) -> Vec<&TableRow> {
    let mut rows: Vec<&TableRow> = tables.get(Grouping::Strategy).iter().collect();
    rows.sort_by_key(|r| (r.rank, r.key.strategy));
    rows
}

/// A number for JSON: NaN (no value) as null.
fn number(x: f64) -> Json {
    if x.is_nan() {
        Json::Null
    } else {
        json!(x)
    }
}

fn stat_json(s: &Stat) -> Json {
    json!({ "n": s.n, "mean": number(s.mean), "sd": number(s.sd), "low": number(s.low), "high": number(s.high) })
}

/// The party of a role row, as the actor's id.
fn party_id(t: &Tournament, key: &detente::negotiation::tournament::Key) -> Option<String> {
    let (entry, seat) = (key.scenario?, key.seat?);
    let domain = &t.entries[entry].domain;
    Some(domain.actor_ids()[domain.parties()[seat]].clone())
}

/// The opponents of a pairing row, as aliases joined by ` + `.
fn opponents_label(t: &Tournament, key: &detente::negotiation::tournament::Key) -> Option<String> {
    key.opponents.as_ref().map(|o| o.iter().map(|&s| t.strategies[s].alias()).collect::<Vec<_>>().join(" + "))
}

/// One table row as JSON: the key, the counts, and each metric's `n`,
/// `mean`, `sd` and 95% interval (`low`, `high`).
fn row_json(t: &Tournament, r: &TableRow) -> Json {
    let mut o = serde_json::Map::new();
    if let Some(e) = r.key.scenario {
        o.insert("scenario".into(), json!(t.entries[e].name));
    }
    if let Some(p) = party_id(t, &r.key) {
        o.insert("party".into(), json!(p));
        o.insert("seat".into(), json!(r.key.seat));
    }
    if let Some(opp) = opponents_label(t, &r.key) {
        o.insert("opponents".into(), json!(opp));
    }
    o.insert("strategy".into(), json!(t.strategies[r.key.strategy].to_string()));
    o.insert("alias".into(), json!(t.strategies[r.key.strategy].alias()));
    o.insert("rank".into(), json!(r.rank));
    o.insert("seats".into(), json!(r.seats));
    o.insert("agreements".into(), json!(r.agreements));
    o.insert(
        "agreement_rate".into(),
        json!({ "mean": number(r.agreement_rate), "low": r.agreement_low, "high": r.agreement_high }),
    );
    for (name, s) in METRICS.iter().zip(&r.metrics) {
        o.insert((*name).into(), stat_json(s));
    }
    Json::Object(o)
}

/// The summary document: the per-strategy means as before (`strategies`,
/// best first) and the four tables with spreads and intervals (`tables`).
pub fn summary_json(t: &Tournament, tables: &Tables, negotiations: usize) -> Json {
    let mean = |r: &TableRow, k: usize| number(r.metrics[k].mean);
    json!({
        "schema": SCHEMA,
        "scenarios": t.entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
        "reps": t.reps,
        "seed": t.seed,
        "negotiations": negotiations,
        "strategies": ranked(tables).iter().map(|r| json!({
            "strategy": t.strategies[r.key.strategy].to_string(),
            "alias": t.strategies[r.key.strategy].alias(),
            "rank": r.rank,
            "negotiations": r.seats,
            "agreement_rate": number(r.agreement_rate),
            "utility": mean(r, 0),
            "advantage": mean(r, 1),
            "opponent_utility": mean(r, 2),
            "welfare": mean(r, 3),
            "pareto_distance": mean(r, 4),
            "nash_distance": mean(r, 5),
            "kalai_distance": mean(r, 6),
            "ks_distance": mean(r, 7),
            "rounds": mean(r, 8),
        })).collect::<Vec<_>>(),
        "tables": tables.tables.iter().map(|(g, rows)| {
            (g.name().to_string(), Json::Array(rows.iter().map(|r| row_json(t, r)).collect()))
        }).collect::<serde_json::Map<_, _>>(),
    })
}

/// A mean to three places, or a dash where there is none.
fn cell(x: f64) -> String {
    if x.is_nan() {
        "—".to_string()
    } else {
        format!("{x:.3}")
    }
}

/// The summary as a table, best mean utility first.
pub fn summary_text(t: &Tournament, tables: &Tables, negotiations: usize) -> String {
    let mut out = String::new();
    let names: Vec<&str> = t.entries.iter().map(|e| e.name.as_str()).collect();
    let _ = writeln!(
        out,
        "Tournament: {} on {} ({}, {}, seed {})",
        crate::text::plural(negotiations as u64, "negotiation", "negotiations"),
        names.join(", "),
        crate::text::plural(t.strategies.len() as u64, "strategy", "strategies"),
        crate::text::plural(t.reps as u64, "repetition", "repetitions"),
        t.seed
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<4} {:<32} {:>6} {:>7} {:>8} {:>6} {:>6} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "rank",
        "strategy",
        "seats",
        "agree",
        "utility",
        "±",
        "adv.",
        "opp.",
        "welfare",
        "pareto",
        "nash",
        "kalai",
        "ks",
        "rounds"
    );
    for r in ranked(tables) {
        let label = t.strategies[r.key.strategy].alias();
        let label = if label.chars().count() > 32 {
            format!("{}…", label.chars().take(31).collect::<String>())
        } else {
            label
        };
        let m = &r.metrics;
        let half = if m[0].high.is_nan() { "—".to_string() } else { format!("{:.3}", m[0].high - m[0].mean) };
        let _ = writeln!(
            out,
            "{:<4} {:<32} {:>6} {:>6.1}% {:>8} {:>6} {:>6} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7.1}",
            r.rank,
            label,
            r.seats,
            100.0 * r.agreement_rate,
            cell(m[0].mean),
            half,
            cell(m[1].mean),
            cell(m[2].mean),
            cell(m[3].mean),
            cell(m[4].mean),
            cell(m[5].mean),
            cell(m[6].mean),
            cell(m[7].mean),
            m[8].mean
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "seats: negotiations played (once per party); agree: share whose agreement stands; utility: mean discounted utility of the strategy, ± half its 95% confidence interval; adv.: mean advantage, (utility − reservation) / (best − reservation), undiscounted; opp.: mean discounted utility of its opponents; pareto, nash, kalai, ks: mean distance of the result to the Pareto frontier and the Nash, Kalai (egalitarian) and Kalai–Smorodinsky points (— where unknown: spaces too large to list, unless two additive parties; no point when no outcome gives every party a gain). Tables per scenario, pairing and role, with standard deviations and intervals: `tables` in summary.json, or --format csv|parquet."
    );
    out
}

/// The scores as a frame: one row per seat (a party in a negotiation), in
/// id order then party order, with the outcome's value on each issue
/// (`outcome.ISSUE`; missing without an agreement or on other scenarios'
/// issues). Records must be in id order.
pub fn scores_frame(t: &Tournament, records: &[Record]) -> Frame {
    // Issue columns in order of first appearance over the scenarios.
    let mut issues: Vec<String> = Vec::new();
    for e in &t.entries {
        for i in 0..e.domain.issue_count() {
            let id = e.domain.issue_id(i).to_string();
            if !issues.contains(&id) {
                issues.push(id);
            }
        }
    }
    let seats: Vec<(&Record, usize)> =
        records.iter().flat_map(|r| (0..r.strategies.len()).map(move |s| (r, s))).collect();
    let mut f = Frame::new();
    let int = |g: &dyn Fn(&Record, usize) -> i64| Column::Int(seats.iter().map(|&(r, s)| Some(g(r, s))).collect());
    let float =
        |g: &dyn Fn(&Record, usize) -> Option<f64>| Column::Float(seats.iter().map(|&(r, s)| g(r, s)).collect());
    let text = |g: &dyn Fn(&Record, usize) -> String| Column::Text(seats.iter().map(|&(r, s)| Some(g(r, s))).collect());
    let boolean = |g: &dyn Fn(&Record) -> bool| Column::Bool(seats.iter().map(|&(r, _)| Some(g(r))).collect());
    f.push("id", int(&|r, _| r.id as i64));
    f.push("scenario", text(&|r, _| t.entries[r.entry].name.clone()));
    f.push("rep", int(&|r, _| r.rep as i64));
    f.push("seat", int(&|_, s| s as i64));
    f.push(
        "party",
        text(&|r, s| {
            let d = &t.entries[r.entry].domain;
            d.actor_ids()[d.parties()[s]].clone()
        }),
    );
    f.push("strategy", text(&|r, s| t.strategies[r.strategies[s]].to_string()));
    f.push("alias", text(&|r, s| t.strategies[r.strategies[s]].alias()));
    f.push(
        "opponents",
        text(&|r, s| {
            let others = r.strategies.iter().enumerate().filter(|(i, _)| *i != s);
            others.map(|(_, &o)| t.strategies[o].alias()).collect::<Vec<_>>().join(" + ")
        }),
    );
    f.push("reached", boolean(&|r| r.reached));
    f.push("agreement", boolean(&|r| r.agreement));
    f.push("outcome", Column::Int(seats.iter().map(|&(r, _)| r.outcome.and_then(|o| i64::try_from(o).ok())).collect()));
    for issue in &issues {
        let values = seats
            .iter()
            .map(|&(r, _)| {
                let values = labels(&t.entries[r.entry].domain, r.outcome?);
                values.into_iter().find(|(id, _)| id == issue).map(|(_, v)| v)
            })
            .collect();
        f.push(format!("outcome.{issue}"), Column::Text(values));
    }
    f.push("utility", float(&|r, s| Some(r.utilities[s])));
    f.push("advantage", float(&|r, s| r.advantage.get(s).copied()));
    f.push(
        "opponent_utility",
        float(&|r, s| {
            let others = r.utilities.len().checked_sub(1).filter(|&n| n > 0)?;
            Some(r.utilities.iter().enumerate().filter(|(i, _)| *i != s).map(|(_, u)| u).sum::<f64>() / others as f64)
        }),
    );
    f.push("welfare", float(&|r, _| Some(r.welfare)));
    f.push("pareto_distance", float(&|r, _| Some(r.pareto_distance)));
    f.push("nash_distance", float(&|r, _| r.nash_distance));
    f.push("kalai_distance", float(&|r, _| r.kalai_distance));
    f.push("ks_distance", float(&|r, _| r.ks_distance));
    f.push("rounds", int(&|r, _| r.rounds as i64));
    f
}

/// One of the tables as a frame: the key columns of its grouping, the
/// counts and rank, then for each metric `METRIC_n`, `_mean`, `_sd`,
/// `_low`, `_high`.
pub fn table_frame(t: &Tournament, tables: &Tables, grouping: Grouping) -> Frame {
    let rows = tables.get(grouping);
    let mut f = Frame::new();
    let text = |g: &dyn Fn(&TableRow) -> Option<String>| Column::Text(rows.iter().map(g).collect());
    let float = |g: &dyn Fn(&TableRow) -> f64| Column::Float(rows.iter().map(|r| Some(g(r))).collect());
    let int = |g: &dyn Fn(&TableRow) -> i64| Column::Int(rows.iter().map(|r| Some(g(r))).collect());
    if matches!(grouping, Grouping::Scenario | Grouping::Role) {
        f.push("scenario", text(&|r| r.key.scenario.map(|e| t.entries[e].name.clone())));
    }
    if grouping == Grouping::Role {
        f.push("seat", int(&|r| r.key.seat.unwrap_or(0) as i64));
        f.push("party", text(&|r| party_id(t, &r.key)));
    }
    if grouping == Grouping::Pairing {
        f.push("opponents", text(&|r| opponents_label(t, &r.key)));
    }
    f.push("strategy", text(&|r| Some(t.strategies[r.key.strategy].to_string())));
    f.push("alias", text(&|r| Some(t.strategies[r.key.strategy].alias())));
    f.push("rank", int(&|r| r.rank as i64));
    f.push("seats", int(&|r| r.seats as i64));
    f.push("agreements", int(&|r| r.agreements as i64));
    f.push("agreement_rate", float(&|r| r.agreement_rate));
    f.push("agreement_rate_low", float(&|r| r.agreement_low));
    f.push("agreement_rate_high", float(&|r| r.agreement_high));
    for (k, name) in METRICS.iter().enumerate() {
        f.push(format!("{name}_n"), int(&|r| r.metrics[k].n as i64));
        f.push(format!("{name}_mean"), float(&|r| r.metrics[k].mean));
        f.push(format!("{name}_sd"), float(&|r| r.metrics[k].sd));
        f.push(format!("{name}_low"), float(&|r| r.metrics[k].low));
        f.push(format!("{name}_high"), float(&|r| r.metrics[k].high));
    }
    f
}
