//! One round of exchanges: every potential exchange in enumeration order,
//! then the best one executed and the rest recalculated until none is
//! left (the package's `ModelLoop.loop`).

use super::pair::Pair;
use super::state::State;

/// Weight of the voting position in the next round's preference, by
/// salience: `0.4 (1 − s) + 0.1` (the package's `SALIENCE_WEIGHT` and
/// `FIXED_WEIGHT`).
const SALIENCE_WEIGHT: f64 = 0.4;
const FIXED_WEIGHT: f64 = 0.1;

/// What one round produced, on 0–100.
pub(super) struct Played {
    /// Voting positions after the round, actor-major.
    pub voting: Vec<f64>,
    /// Start positions of the next round, actor-major.
    pub preferences: Vec<f64>,
    /// The executed exchanges, in order.
    pub realized: Vec<Pair>,
}

/// Every potential exchange, in the package's order: issue pairs `(p, q)`
/// with `p < q`; per pair the actors right of the outcome on both issues
/// against those left on both, then those left on `p` only against those
/// left on `q` only, each in actor order.
fn potential(st: &State) -> Vec<Pair> {
    let mut out = Vec::new();
    for p in 0..st.m {
        for q in p + 1..st.m {
            let mut groups: [Vec<usize>; 4] = Default::default();
            for a in (0..st.n).filter(|&a| st.active(a, p) && st.active(a, q)) {
                groups[usize::from(st.left(a, p)) + 2 * usize::from(st.left(a, q))].push(a);
            }
            for (g, h) in [(0, 3), (1, 2)] {
                for &a in &groups[g] {
                    for &b in &groups[h] {
                        out.push(Pair::new(st, a, b, p, q));
                    }
                }
            }
        }
    }
    out
}

/// Gains within this fraction of the best count as ties. The package
/// computes in 28-digit decimals, where two mathematically equal gains
/// reached by different formulas differ in the last digits; detente's
/// doubles differ in the 16th. Either way the difference is noise.
const TIE: f64 = 1e-12;

/// Plays one round from `st`.
///
/// The valid exchange with the highest gain is executed first; gains
/// within [`TIE`] of the best are ties, and ties go to the exchange
/// enumerated first (the package with `ALLOW_RANDOM = False`, whose
/// stable sort keeps enumeration order among equal gains). After each
/// execution every remaining exchange is recalculated against it and the
/// invalid ones are dropped. (The package also sorts invalid exchanges
/// and drops them when it meets them; they never become valid again, so
/// dropping them at once changes nothing.)
pub(super) fn play(st: &State) -> Played {
    // Kept in enumeration order: `remove` and `retain` preserve it.
    let mut list: Vec<Pair> = potential(st).into_iter().filter(|e| e.valid).collect();
    let mut realized = Vec::new();
    while !list.is_empty() {
        let best = list.iter().map(|e| e.gain).fold(f64::NEG_INFINITY, f64::max);
        let k = list.iter().position(|e| e.gain >= best - TIE * best.abs()).unwrap_or(0);
        let done = list.remove(k);
        list.retain_mut(|e| {
            e.recalculate(st, &done);
            e.valid
        });
        realized.push(done);
    }
    let mut voting = st.x.clone();
    let mut preferences = st.x.clone();
    for e in &realized {
        for side in [&e.i, &e.j] {
            let k = side.actor * st.m + side.supply;
            voting[k] = side.y;
            // `new_start_position`, in the package's order of terms.
            let sw = (1.0 - st.s[k]) * SALIENCE_WEIGHT;
            preferences[k] = sw * side.y + FIXED_WEIGHT * side.y + (1.0 - sw - FIXED_WEIGHT) * side.start;
        }
    }
    Played { voting, preferences, realized }
}
