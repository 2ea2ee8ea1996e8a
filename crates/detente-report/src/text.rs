//! Scenario elements in words, shared by `detente show` and the reports.

use detente::scenario::{Belief, Domain, Reservation, Scenario, ValueFunction};

/// Statement `k` in words: who says what, what it pledges and what
/// breaking it would cost the speaker.
///
/// `japan says "no claims" (assurance: compensation == 'none'; breaking it costs japan 0.1)`
pub fn statement_text(s: &Scenario, k: usize) -> String {
    let st = &s.statements[k];
    let who = &s.actors[st.by].id;
    let words = st.says.as_deref().map_or_else(|| format!("`{}`", st.id), |w| format!("\"{w}\""));
    let mut what = vec![st.kind.as_str().to_string()];
    if let Some(p) = &st.pledge_text {
        what[0] = format!("{}: {p}", st.kind.as_str());
    }
    if st.audience_cost > 0.0 {
        what.push(format!("breaking it costs {who} {}", fmt_num(st.audience_cost)));
    }
    format!("{who} says {words} ({})", what.join("; "))
}

/// What event `k` changes, in words: its own changes, then each statement
/// it makes followed by the listeners' reactions.
pub fn event_changes(s: &Scenario, k: usize) -> Vec<String> {
    let e = &s.events[k];
    let mut out: Vec<String> = e.changes.iter().map(|c| c.describe(s)).collect();
    for &st in &e.statements {
        out.push(statement_text(s, st));
        out.extend(s.statements[st].reactions.iter().map(|c| format!("in reaction, {}", c.describe(s))));
    }
    out
}

/// `n` and the noun in the right number: `1 constraint`, `2 constraints`.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `text` with control characters (ANSI escapes, NUL, carriage returns not
/// ending a line, …) and Unicode direction overrides written as visible
/// `\u{…}` escapes, so input text shown on a terminal cannot drive it: the
/// CLI's messages and the Markdown report (read in terminals and editors)
/// share this rule.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if shown_raw(c, chars.peek().copied()) {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    out
}

/// Whether `c` (followed by `next`) may reach a terminal as it is.
pub fn shown_raw(c: char, next: Option<char>) -> bool {
    let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    !bidi && (!c.is_control() || c == '\n' || c == '\t' || (c == '\r' && next == Some('\n')))
}

/// Formats a number with at most three decimals, trailing zeros dropped.
pub fn fmt_num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// An issue's values in words: options (`<` between ordered ones) or a range.
pub fn domain_text(d: &Domain) -> String {
    let unit = |u: &Option<String>| u.as_ref().map(|u| format!(" {u}")).unwrap_or_default();
    match d {
        Domain::Discrete { options, ordered } => options.join(if *ordered { " < " } else { " | " }),
        Domain::Integer { min, max, unit: u } => format!("{min} to {max}{}", unit(u)),
        Domain::Continuous { min, max, unit: u } => {
            format!("{} to {}{} (continuous)", fmt_num(*min), fmt_num(*max), unit(u))
        }
    }
}

/// A stance's value function in words: the position and shape, or the table.
pub fn stance_text(s: &Scenario, issue: usize, f: &ValueFunction) -> String {
    let domain = &s.issues[issue].domain;
    match f {
        ValueFunction::Linear { position } => domain.display(position),
        ValueFunction::Quadratic { position } => format!("{} (quadratic)", domain.display(position)),
        ValueFunction::Step { position, tolerance } if *tolerance > 0.0 => {
            format!("{} ± {} (step)", domain.display(position), fmt_num(*tolerance))
        }
        ValueFunction::Step { position, .. } => format!("{} (step)", domain.display(position)),
        ValueFunction::Affine { slope, offset } => {
            format!("{} {} {}·(x − min)", fmt_num(*offset), if *slope < 0.0 { "−" } else { "+" }, fmt_num(slope.abs()))
        }
        ValueFunction::Table { values } => {
            let Domain::Discrete { options, .. } = domain else { return String::new() };
            options.iter().zip(values).map(|(o, v)| format!("{o} = {}", fmt_num(*v))).collect::<Vec<_>>().join(", ")
        }
    }
}

/// An actor's reservation value, saying when it comes from the status quo.
pub fn reservation_text(s: &Scenario, actor: usize) -> String {
    match s.actors[actor].reservation {
        Reservation::Value(v) => fmt_num(v),
        Reservation::StatusQuo => format!("status quo ({})", fmt_num(s.reservation_value(actor))),
    }
}

/// A stance in a line: `islands: two (salience 0.6)`, as the belief and
/// type tables of `show` and the report write replaced stances.
pub fn stance_line(s: &Scenario, st: &detente::scenario::Stance) -> String {
    format!("{}: {} (salience {})", s.issues[st.issue].id, stance_text(s, st.issue, &st.value), fmt_num(st.salience))
}

/// A belief's reservation, stances and type probabilities (joined by
/// `sep`) and dropped constraints in words, for the belief tables of `show`
/// and the report.
pub fn belief_texts(s: &Scenario, b: &Belief, sep: &str) -> (String, String, String) {
    let reservation = match b.reservation {
        Some(Reservation::Value(v)) => fmt_num(v),
        Some(Reservation::StatusQuo) => "status quo".into(),
        None => String::new(),
    };
    let stances = b
        .stances
        .iter()
        .map(|st| stance_line(s, st))
        .chain((!b.types.is_empty()).then(|| {
            let probs: Vec<String> =
                b.types.iter().map(|&(t, p)| format!("{} {}", s.types[t].name, fmt_num(p))).collect();
            format!("types: {}", probs.join(", "))
        }))
        .collect::<Vec<_>>()
        .join(sep);
    let dropped = b.dropped_constraints.iter().map(|&c| s.constraints[c].label.as_str()).collect::<Vec<_>>().join(", ");
    (reservation, stances, dropped)
}

/// An outcome as its changes from the status quo, which is how an analyst
/// reads a deal: `peace_treaty → yes, sanctions → eased; the rest as the
/// status quo`. Without a status quo, every issue as `issue = value`.
pub fn changes_text(s: &Scenario, outcome: &[detente::scenario::Value]) -> String {
    let show = |i: usize, v: &detente::scenario::Value| s.issues[i].domain.display(v);
    let Some(sq) = &s.status_quo else {
        let all: Vec<String> =
            outcome.iter().enumerate().map(|(i, v)| format!("{} = {}", s.issues[i].id, show(i, v))).collect();
        return all.join(", ");
    };
    let changed: Vec<String> = outcome
        .iter()
        .enumerate()
        .filter(|(i, v)| sq.get(*i) != Some(*v))
        .map(|(i, v)| format!("{} → {}", s.issues[i].id, show(i, v)))
        .collect();
    match changed.len() {
        0 => "the status quo (nothing changes)".to_string(),
        n if n == outcome.len() => changed.join(", "),
        _ => format!("{}; the rest as the status quo", changed.join(", ")),
    }
}

/// Widest column text tables pad to: `format!` refuses widths beyond
/// `u16::MAX` (a panic: an option label of 70,000 characters made the
/// forecast table's column that wide; found by fuzzing), and a wider column
/// lines nothing up anyway. Longer cells overflow their column.
pub fn column_width(width: usize) -> usize {
    width.min(120)
}
