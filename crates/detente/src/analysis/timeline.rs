//! The deal space between events (`analyze --timeline`): the scenario as
//! written holds until the first event; after each event, the scenario
//! with the changes of every event so far ([`Scenario::after_event`]). A
//! party whose deadline is an event walks away there, and the talks end:
//! the timeline stops at that event. Each period is an ordinary
//! [`super::analyze`] of its scenario. No I/O.

use super::{analyze, Analysis, AnalysisError, Config};
use crate::scenario::Scenario;

/// The deal space in one period of the talks.
#[derive(Clone, Debug)]
pub struct Period {
    /// The event that opens the period (index into
    /// [`Scenario::events`]); `None` for the scenario as written, before
    /// the first event.
    pub event: Option<usize>,
    /// Parties (actor indices) whose deadline is this event: they walk
    /// away, the talks are over and the period has no analysis.
    pub walk_away: Vec<usize>,
    /// The analysis of the scenario in force in this period (`None` once
    /// the talks are over).
    pub analysis: Option<Analysis>,
}

/// The deal space before the first event and after each one, until a
/// party's deadline ends the talks. A scenario without events has one
/// period.
pub fn timeline(scenario: &Scenario, config: &Config) -> Result<Vec<Period>, AnalysisError> {
    let mut out = vec![Period { event: None, walk_away: Vec::new(), analysis: Some(analyze(scenario, config)?) }];
    for k in 0..scenario.events.len() {
        let parties = scenario.parties();
        let walk_away: Vec<usize> = scenario.deadline_of(k).into_iter().filter(|a| parties.contains(a)).collect();
        if !walk_away.is_empty() {
            out.push(Period { event: Some(k), walk_away, analysis: None });
            break;
        }
        let after = scenario.after_event(k);
        out.push(Period { event: Some(k), walk_away, analysis: Some(analyze(&after, config)?) });
    }
    Ok(out)
}
