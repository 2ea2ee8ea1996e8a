//! Time in a scenario: events that happen at a known moment of the talks
//! and change the scenario from then on (`[[events]]`), the calendar that
//! places dated events on negotiation rounds (`[calendar]`), and parties'
//! own deadlines (`deadline = "EVENT"` on an actor).
//!
//! An event's changes are what-if edits in the `--set` path language
//! ([`Edit`]), resolved against the file as written; the scenario in force
//! after the `k`-th event is the file with the changes of events `0..=k`
//! applied together ([`Scenario::after_event`]), so every change names the
//! constraints and actors the file declares.

use crate::scenario::Scenario;
use crate::whatif::{self, Edit};
use std::fmt;

/// A calendar day (proleptic Gregorian), kept as the days since 1970-01-01
/// so that dates compare and subtract as integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i64,
}

impl Date {
    /// Parses `YYYY-MM-DD` (years 1–9999); `None` for anything else, or a
    /// day the month does not have.
    ///
    /// ```
    /// use detente::scenario::calendar::Date;
    /// let d = Date::parse("2019-07-21").unwrap();
    /// assert_eq!(d.to_string(), "2019-07-21");
    /// assert_eq!(Date::parse("2019-07-21").unwrap().days_since(Date::parse("2019-01-22").unwrap()), 180);
    /// assert!(Date::parse("2019-02-29").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<i64> {
            let s = &text[r];
            s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok()).flatten()
        };
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        if y < 1 || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date { days: days_from_civil(y, m, d) })
    }

    /// Whole days from `earlier` to `self` (negative when `self` is earlier).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days - earlier.days
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.days);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date: H. Hinnant's `days_from_civil`
/// (eras of 400 years, March-based years so the leap day comes last).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// How dated events map onto negotiation rounds: round 0 begins on `start`
/// and each round lasts `days_per_round` days (rounds are numbered from 0,
/// as everywhere in detente).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The day round 0 begins.
    pub start: Date,
    /// Days per round (≥ 1).
    pub days_per_round: u32,
}

impl Calendar {
    /// The round in which `date` falls; `None` before `start`.
    ///
    /// ```
    /// use detente::scenario::calendar::{Calendar, Date};
    /// let c = Calendar { start: Date::parse("2019-01-22").unwrap(), days_per_round: 14 };
    /// assert_eq!(c.round_of(Date::parse("2019-01-22").unwrap()), Some(0));
    /// assert_eq!(c.round_of(Date::parse("2019-02-04").unwrap()), Some(0));
    /// assert_eq!(c.round_of(Date::parse("2019-02-05").unwrap()), Some(1));
    /// assert_eq!(c.round_of(Date::parse("2019-01-21").unwrap()), None);
    /// ```
    pub fn round_of(&self, date: Date) -> Option<u64> {
        let days = date.days_since(self.start);
        (days >= 0).then(|| days as u64 / u64::from(self.days_per_round))
    }
}

/// Something that happens at a known moment of the talks (an election, a
/// summit), and what it changes from then on.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Identifier, unique among events.
    pub id: String,
    /// Human-readable name.
    pub name: Option<String>,
    /// The day it happens, when dated.
    pub date: Option<Date>,
    /// The negotiation round from which it is in force (numbered from 0),
    /// when the file numbers it.
    pub round: Option<u64>,
    /// What it changes: `--set` edits and dropped constraints, indices into
    /// the scenario as written.
    pub changes: Vec<Edit>,
    /// Public statements made at this moment (indices into
    /// [`Scenario::statements`]): their reactions and audience costs take
    /// effect with the event's changes.
    pub statements: Vec<usize>,
    /// Longer free text.
    pub description: Option<String>,
    /// Citation or reasoning.
    pub source: Option<String>,
}

impl Event {
    /// Its name, or its id when it has none.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

impl Scenario {
    /// The actors (indices, in order) whose deadline is event `k`: they walk
    /// away there if nothing is agreed (only parties' deadlines end talks).
    pub fn deadline_of(&self, k: usize) -> Vec<usize> {
        (0..self.actors.len()).filter(|&a| self.actors[a].deadline == Some(k)).collect()
    }

    /// The round (from 0) from which event `k` is in force in simulated
    /// talks: its own `round`, else its date placed by the calendar; `None`
    /// when it has neither.
    pub fn event_round(&self, k: usize) -> Option<u64> {
        let e = &self.events[k];
        e.round.or_else(|| self.calendar?.round_of(e.date?))
    }

    /// The scenario in force after events `0..=k` (the changes of all of
    /// them applied to the file as written, and the statements they make
    /// made: reactions after the events' own changes, audience costs in
    /// force). Every actor keeps its deadline.
    pub fn after_event(&self, k: usize) -> Scenario {
        // Reactions name constraints of the file as written, as the events'
        // changes do: all are applied together.
        let mut edits: Vec<Edit> = Vec::new();
        let mut said: Vec<usize> = Vec::new();
        for e in &self.events[..=k] {
            edits.extend(e.changes.iter().cloned());
            edits.extend(self.reactions_of(&e.statements));
            said.extend(&e.statements);
        }
        let mut s = whatif::apply(self, &edits);
        if !said.is_empty() {
            said.iter().for_each(|&k| s.statements[k].made = true);
            s.refresh_pressures();
        }
        s
    }

    /// Whether the file declares events or deadlines.
    pub fn has_calendar(&self) -> bool {
        !self.events.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_count_days() {
        for text in ["1970-01-01", "2000-02-29", "2019-07-21", "0001-01-01", "9999-12-31", "1900-03-01"] {
            assert_eq!(Date::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days, 1);
        assert_eq!(Date::parse("1969-12-31").unwrap().days, -1);
        assert_eq!(Date::parse("2001-01-01").unwrap().days_since(Date::parse("2000-01-01").unwrap()), 366);
        for bad in
            ["2019-13-01", "2019-00-10", "1900-02-29", "2019-7-21", "2019-07-21T00:00", "abcd-ef-gh", "0000-01-01"]
        {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        // Every day of four centuries survives the round trip, in order.
        let mut last = Date::parse("1899-12-31").unwrap();
        for days in last.days + 1..last.days + 146_097 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            let date = Date::parse(&format!("{y:04}-{m:02}-{d:02}")).unwrap();
            assert!(date > last);
            last = date;
        }
    }
}
