//! `detente tournament` files: one JSON line per negotiation
//! (`negotiations.jsonl`, read back when a run resumes), the definition a
//! resumed run must match (`tournament.json`), and the per-strategy summary
//! (`detente.tournament/1`, documented in `docs/negotiation.md`).

use std::fmt::Write as _;

use detente::negotiation::tournament::{Record, StrategyRow, Tournament};
use serde_json::{json, Value as Json};

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
        let space = domain.space();
        let mut digits = vec![0usize; domain.issue_count()];
        space.digits(number, &mut digits);
        digits
            .iter()
            .enumerate()
            .map(|(i, &d)| (domain.issue_id(i).to_string(), Json::String(domain.value_label(i, d as u32))))
            .collect::<serde_json::Map<_, _>>()
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
        "rounds": r.rounds,
    });
    v.to_string()
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
    let utilities = field("utilities")?
        .as_array()
        .ok_or("`utilities` is not a list")?
        .iter()
        .map(|u| float(u, "utilities"))
        .collect::<Result<Vec<_>, _>>()?;
    let nash = field("nash_distance")?;
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
        utilities,
        welfare: float(field("welfare")?, "welfare")?,
        // Unknown (a searched domain) is written as null.
        pareto_distance: match field("pareto_distance")? {
            Json::Null => f64::NAN,
            x => float(x, "pareto_distance")?,
        },
        nash_distance: if nash.is_null() { None } else { Some(float(nash, "nash_distance")?) },
        rounds: uint("rounds")? as usize,
    })
}

/// The summary document.
pub fn summary_json(t: &Tournament, rows: &[StrategyRow], negotiations: usize) -> Json {
    json!({
        "schema": SCHEMA,
        "scenarios": t.entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
        "reps": t.reps,
        "seed": t.seed,
        "negotiations": negotiations,
        "strategies": rows.iter().map(|r| json!({
            "strategy": t.strategies[r.strategy].to_string(),
            "alias": t.strategies[r.strategy].alias(),
            "negotiations": r.negotiations,
            "agreement_rate": r.agreement_rate,
            "utility": r.utility,
            "opponent_utility": r.opponent_utility,
            "welfare": r.welfare,
            "pareto_distance": r.pareto_distance,
            "nash_distance": r.nash_distance,
            "rounds": r.rounds,
        })).collect::<Vec<_>>(),
    })
}

/// The summary as a table, best mean utility first.
pub fn summary_text(t: &Tournament, rows: &[StrategyRow], negotiations: usize) -> String {
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
        "{:<4} {:<40} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "rank", "strategy", "seats", "agree", "utility", "opp.", "welfare", "pareto", "nash", "rounds"
    );
    for (rank, r) in rows.iter().enumerate() {
        let label = t.strategies[r.strategy].alias();
        let label = if label.chars().count() > 40 {
            format!("{}…", label.chars().take(39).collect::<String>())
        } else {
            label
        };
        let _ = writeln!(
            out,
            "{:<4} {:<40} {:>6} {:>7.1}% {:>8.3} {:>8.3} {:>8.3} {:>8} {:>8} {:>7.1}",
            rank + 1,
            label,
            r.negotiations,
            100.0 * r.agreement_rate,
            r.utility,
            r.opponent_utility,
            r.welfare,
            if r.pareto_distance.is_nan() { "—".to_string() } else { format!("{:.3}", r.pareto_distance) },
            r.nash_distance.map_or("—".to_string(), |d| format!("{d:.3}")),
            r.rounds
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "seats: negotiations played (once per party); agree: share whose agreement stands; utility / opp.: mean discounted utility of the strategy / of its opponents; pareto, nash: mean distance of the result to the Pareto frontier and the Nash point (— where unknown: spaces too large to list, unless two additive parties)."
    );
    out
}
