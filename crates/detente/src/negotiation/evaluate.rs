//! What a session's result is worth: each party's utility and advantage,
//! welfare, the distances to the Pareto frontier and to the Nash, Kalai and
//! Kalai–Smorodinsky points (NegMAS's score columns), and whether the
//! ratifiers and veto holders let the agreement stand.
//!
//! An agreement the ratifiers or a veto holder reject does not stand: the
//! parties end with their reservation values, as if no agreement had been
//! reached (the table agreement is still reported). Discounted values are
//! `u·d^t` at the session's end time `t`, reservations included (GENIUS).
//! Distances are Euclidean in the parties' (undiscounted) utility space,
//! to the frontier and points of [`Reference`]. A party's advantage is
//! NegMAS's: `(u − r) / (max − r)` on the undiscounted utility `u`, with
//! `r` its reservation value and `max` its best allowed outcome (0 when
//! `max = r`); time's cost is in the discounted utility, not here. When the scenario's
//! events changed it during the talks, the result is judged on the
//! scenario in force in the last round ([`Domain::at`]).

use super::domain::{Domain, Reference, Rejection};
use super::Session;

/// The worth of one session.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The outcome the parties agreed on at the table, if any.
    pub agreement: Option<usize>,
    /// Ratifiers and veto holders who reject that agreement.
    pub rejections: Vec<Rejection>,
    /// Whether an agreement was reached and stands.
    pub stands: bool,
    /// Per party (move order): utility of the result (the agreement when
    /// it stands, otherwise the reservation value).
    pub utilities: Vec<f64>,
    /// The same, discounted to the end of the session.
    pub discounted: Vec<f64>,
    /// Sum of the discounted utilities.
    pub welfare: f64,
    /// Distance of the result to the Pareto frontier.
    pub pareto_distance: f64,
    /// Distance of the result to the Nash point (`None`: no outcome gives
    /// every party a gain, so there is no Nash point).
    pub nash_distance: Option<f64>,
    /// Distance to the Kalai (egalitarian) point (`None` as for Nash).
    pub kalai_distance: Option<f64>,
    /// Distance to the Kalai–Smorodinsky point (`None` as for Nash).
    pub ks_distance: Option<f64>,
    /// Per party: NegMAS's advantage, `(u − r) / (max − r)`.
    pub advantage: Vec<f64>,
}

/// Evaluates `session` on `domain`; `reference` must be built for the
/// session's parties in move order ([`Reference::new`]).
pub fn evaluate(domain: &Domain, reference: &Reference, session: &Session) -> Evaluation {
    // Judged on the scenario in force when the talks ended.
    let domain = domain.at(session.rounds.saturating_sub(1));
    let rejections = session.agreement.map(|k| domain.ratify(k)).unwrap_or_default();
    let standing = session.agreement.filter(|_| rejections.is_empty());
    let utilities: Vec<f64> = session
        .parties
        .iter()
        .map(|&p| {
            let prefs = domain.preferences(p);
            standing.map_or(prefs.reservation, |k| prefs.utility(k))
        })
        .collect();
    let discounted: Vec<f64> = session
        .parties
        .iter()
        .zip(&utilities)
        .map(|(&p, &u)| domain.preferences(p).discounted(u, session.time))
        .collect();
    let advantage = session
        .parties
        .iter()
        .zip(&utilities)
        .map(|(&p, &u)| {
            let prefs = domain.preferences(p);
            let span = prefs.max() - prefs.reservation;
            if span > 0.0 {
                (u - prefs.reservation) / span
            } else {
                0.0
            }
        })
        .collect();
    Evaluation {
        agreement: session.agreement,
        stands: standing.is_some(),
        rejections,
        welfare: discounted.iter().sum(),
        pareto_distance: reference.pareto_distance(&utilities),
        nash_distance: reference.nash_distance(&utilities),
        kalai_distance: reference.kalai_distance(&utilities),
        ks_distance: reference.ks_distance(&utilities),
        advantage,
        utilities,
        discounted,
    }
}
