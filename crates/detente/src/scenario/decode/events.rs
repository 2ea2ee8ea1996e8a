//! The time sections: `[[events]]` (what happens when, and what it
//! changes), `[calendar]` (how dates map onto negotiation rounds) and an
//! actor's `deadline` (the event at which a party walks away).
//!
//! Events are read last, once the whole scenario has decoded: their
//! changes are `--set` edits and dropped constraints, parsed by the same
//! code as the command line ([`crate::whatif`]) against the file as
//! written. Events are listed in the order they happen; dates and rounds
//! must not go backwards.

use super::Decoder;
use crate::diagnostic::{Diagnostic, Span};
use crate::format::tree::{Node, NodeKind};
use crate::scenario::calendar::{Calendar, Date, Event};
use crate::scenario::{Role, Scenario};
use crate::whatif::{self, Edit};

/// Fields of an `[[events]]` entry.
pub const EVENT_FIELDS: &[&str] =
    &["id", "name", "date", "round", "set", "drop", "statements", "description", "source"];
/// Fields of the `[calendar]` table.
pub const CALENDAR_FIELDS: &[&str] = &["start", "days_per_round"];

/// Most days a round may last (a century).
const MAX_DAYS_PER_ROUND: i64 = 36_500;

impl Decoder<'_> {
    /// An actor's `deadline`: the index of the event it names (`role` must
    /// be a party, the only actors who sit at the table).
    pub(super) fn deadline(&mut self, node: &Node, role: Role, event_ids: &[String]) -> Option<usize> {
        let k = self.reference(node, "`deadline`", event_ids, "scenario::unknown-event", "event")?;
        if role != Role::Party {
            self.err(
                Diagnostic::error(
                    "scenario::event",
                    node.span,
                    format!("a deadline applies to parties, and this actor's role is \"{}\"", role.as_str()),
                )
                .with_label("not at the table")
                .with_help("remove `deadline`, or make the actor a party; to change a ratifier when an event happens, give the event a `set`"),
            );
            return None;
        }
        Some(k)
    }

    /// The `[calendar]` table.
    pub(super) fn calendar(&mut self, node: &Node) -> Option<Calendar> {
        let obj = self.obj(node, "the calendar", CALENDAR_FIELDS)?;
        let start = self.required(&obj, "start", "give the day round 0 begins, e.g. start = 2019-01-22");
        let days = self.required(&obj, "days_per_round", "say how long a round lasts, e.g. days_per_round = 14");
        let start = start.and_then(|n| self.date(n, "`start`"));
        let days = days.and_then(|n| self.whole(n, "`days_per_round`", 1, MAX_DAYS_PER_ROUND));
        Some(Calendar { start: start?, days_per_round: days? as u32 })
    }

    /// The `[[events]]` array, against a decoded `scenario` (its calendar
    /// already read).
    pub(super) fn events(&mut self, nodes: &[Node], scenario: &Scenario) -> Vec<Event> {
        let mut out: Vec<Event> = Vec::new();
        // The latest date and round so far, with the event that set them.
        let mut last_date: Option<(Date, usize)> = None;
        let mut last_round: Option<(u64, usize)> = None;
        for node in nodes {
            let Some(event) = self.event(node, scenario) else { continue };
            let at = self.header_span(node.span);
            if let (Some(date), Some((before, k))) = (event.date, last_date) {
                if date < before {
                    self.out_of_order(at, &event, &date.to_string(), &out[k], &before.to_string());
                }
            }
            let round = event.round.or_else(|| scenario.calendar?.round_of(event.date?));
            if let (Some(r), Some((before, k))) = (round, last_round) {
                if r < before {
                    self.out_of_order(at, &event, &format!("round {r}"), &out[k], &format!("round {before}"));
                }
            }
            for &k in &event.statements {
                if let Some(before) = out.iter().find(|e| e.statements.contains(&k)) {
                    self.err(
                        Diagnostic::error(
                            "scenario::statement",
                            at,
                            format!(
                                "statement `{}` is made again here, after event `{}`",
                                scenario.statements[k].id, before.id
                            ),
                        )
                        .with_label("made twice")
                        .with_help("a statement is made once; declare another statement for the repetition"),
                    );
                }
            }
            if let Some(d) = event.date {
                last_date = Some((d, out.len()));
            }
            if let Some(r) = round {
                last_round = Some((r, out.len()));
            }
            out.push(event);
        }
        out
    }

    fn out_of_order(&mut self, at: Span, event: &Event, when: &str, before: &Event, before_when: &str) {
        self.err(
            Diagnostic::error(
                "scenario::event",
                at,
                format!(
                    "event `{}` happens at {when}, before `{}` ({before_when}), but is listed after it",
                    event.id, before.id
                ),
            )
            .with_label("out of order")
            .with_help("list events in the order they happen: each one's changes build on those before it"),
        );
    }

    fn event(&mut self, node: &Node, scenario: &Scenario) -> Option<Event> {
        let obj = self.obj(node, "an event", EVENT_FIELDS)?;
        let id = self
            .required(&obj, "id", "give the event an id such as \"election\"")
            .and_then(|n| self.identifier(n, "event id", true));
        let name = self.opt_string(&obj, "name");
        let description = self.opt_string(&obj, "description");
        let source = self.opt_string(&obj, "source");
        let date = obj.get("date").map(|n| self.date(n, "`date`"));
        let round = obj.get("round").map(|n| self.whole(n, "`round`", 0, i64::MAX).map(|r| r as u64));
        if date.is_none() && round.is_none() {
            self.err(
                Diagnostic::error("scenario::event", self.header_span(obj.span), "the event has no time")
                    .with_label("needs `date` or `round`")
                    .with_help("say when it happens: date = 2019-07-21, or round = 12 (the negotiation round from which it is in force, numbered from 0)"),
            );
            return None;
        }
        let (date, round) = (date.unwrap_or(None), round.unwrap_or(None));
        if let (Some(cal), Some(d), Some(r), Some(n)) = (scenario.calendar, date, round, obj.get("round")) {
            match cal.round_of(d) {
                Some(by_date) if by_date != r => self.err(
                    Diagnostic::error(
                        "scenario::event",
                        n.span,
                        format!("round {r} disagrees with the calendar, which puts {d} in round {by_date}"),
                    )
                    .with_label("contradicts the date")
                    .with_help("give either `date` or `round`, or make them agree"),
                ),
                _ => {}
            }
        }
        if let (Some(cal), Some(d), Some(n)) = (scenario.calendar, date, obj.get("date")) {
            if cal.round_of(d).is_none() {
                self.err(
                    Diagnostic::error(
                        "scenario::event",
                        n.span,
                        format!("{d} lies before the calendar's start, {}", cal.start),
                    )
                    .with_label("before round 0")
                    .with_help("move the calendar's `start` back, or drop the event"),
                );
                return None;
            }
        }
        let mut changes = Vec::new();
        let mut ok = true;
        if let Some(set) = obj.get("set") {
            ok &= self.event_set(set, scenario, &mut changes);
        }
        if let Some(drop) = obj.get("drop") {
            ok &= self.dropped(drop, scenario, &mut changes);
        }
        let statements = match obj.get("statements") {
            Some(n) => self.made_statements(n, scenario)?,
            None => Vec::new(),
        };
        if !ok {
            return None;
        }
        Some(Event { id: id?.0, name, date, round, changes, statements, description, source })
    }

    /// `drop = ["LABEL", …]`: each parsed as `--drop LABEL`.
    pub(super) fn dropped(&mut self, node: &Node, scenario: &Scenario, changes: &mut Vec<Edit>) -> bool {
        let help = "list constraint labels, e.g. drop = [\"tokyo-islands-with-treaty\"]";
        let mut ok = true;
        for item in self.array(node, "`drop`", help).unwrap_or(&[]) {
            let Some(label) = self.string(item, "a dropped constraint") else {
                ok = false;
                continue;
            };
            match whatif::parse_drop(scenario, &label) {
                Ok(e) => changes.push(e),
                Err(message) => {
                    ok = false;
                    self.err(
                        Diagnostic::error("scenario::unknown-constraint", item.span, message)
                            .with_label("no such constraint")
                            .with_help("name a constraint by its `label`"),
                    );
                }
            }
        }
        ok
    }

    /// An event's `statements = ["ID", …]`: the statements it makes.
    fn made_statements(&mut self, node: &Node, scenario: &Scenario) -> Option<Vec<usize>> {
        let help = "list statement ids, e.g. statements = [\"no-compensation\"]";
        let ids: Vec<String> = scenario.statements.iter().map(|s| s.id.clone()).collect();
        let mut out = Vec::new();
        let mut ok = true;
        for item in self.array(node, "`statements`", help)? {
            match self.reference(item, "a statement", &ids, "scenario::statement", "statement") {
                Some(k) if out.contains(&k) => {
                    ok = false;
                    self.err(
                        Diagnostic::error("scenario::statement", item.span, format!("`{}` is listed twice", ids[k]))
                            .with_help("a statement is made once: list it once"),
                    );
                }
                Some(k) => out.push(k),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// `set = { "PATH" = VALUE, … }`: each entry parsed as `--set PATH=VALUE`.
    pub(super) fn event_set(&mut self, node: &Node, scenario: &Scenario, changes: &mut Vec<Edit>) -> bool {
        let help = "write set = { \"japan.reservation\" = 0.7 }: paths as for --set";
        let NodeKind::Table(entries) = &node.kind else {
            self.wrong_type(node, "`set`", "a table", help);
            return false;
        };
        let mut ok = true;
        for (key, value) in entries {
            let text = match &value.kind {
                NodeKind::Str(s) => s.clone(),
                // The number as written, so 0.7 stays 0.7.
                NodeKind::Int(_) | NodeKind::Float(_) => {
                    self.text.get(value.span.start..value.span.end).unwrap_or("").replace('_', "")
                }
                _ => {
                    self.wrong_type(value, "a change", "a number or a string", "write e.g. 0.7, or \"status-quo\"");
                    ok = false;
                    continue;
                }
            };
            match whatif::parse_set(scenario, &format!("{}={text}", key.name)) {
                Ok(e) => changes.push(e),
                Err(message) => {
                    ok = false;
                    self.err(
                        Diagnostic::error(
                            "scenario::unknown-param",
                            Span::new(key.span.start, value.span.end),
                            message,
                        )
                        .with_label("cannot make this change")
                        .with_help(format!("paths are {}, as for --set", crate::scenario::param::PATH_FORMS)),
                    );
                }
            }
        }
        ok
    }

    /// A day: a TOML date (`2019-07-21`) or the same as a string.
    fn date(&mut self, node: &Node, what: &str) -> Option<Date> {
        let text = match &node.kind {
            NodeKind::Datetime(t) | NodeKind::Str(t) => t.clone(),
            _ => {
                self.wrong_type(node, what, "a date", "write a day as YYYY-MM-DD, e.g. 2019-07-21");
                return None;
            }
        };
        let date = Date::parse(&text);
        if date.is_none() {
            self.err(
                Diagnostic::error("scenario::event", node.span, format!("{what} `{text}` is not a calendar day"))
                    .with_label("expected YYYY-MM-DD")
                    .with_help("write a day as YYYY-MM-DD, e.g. 2019-07-21, without a time of day"),
            );
        }
        date
    }

    /// A whole number in `min..=max`.
    fn whole(&mut self, node: &Node, what: &str, min: i64, max: i64) -> Option<i64> {
        let NodeKind::Int(v) = node.kind else {
            self.wrong_type(node, what, "an integer", "write a whole number such as 12");
            return None;
        };
        if v < min || v > max {
            let range = if max == i64::MAX { format!("{min} or more") } else { format!("{min} to {max}") };
            self.err(
                Diagnostic::error("scenario::out-of-range", node.span, format!("{what} must be {range}, found {v}"))
                    .with_label("out of range")
                    .with_help(format!("write a whole number, {range}")),
            );
            return None;
        }
        Some(v)
    }
}
