//! One budget model for every computation that can grow large: a limit on
//! the outcomes enumerated, checked *before* anything is allocated, and a
//! cancellation flag, checked in the long loops (enumeration chunks, Monte
//! Carlo runs, negotiation rounds and tournament jobs, robustness samples).
//!
//! The flag is what lets a shell stop a run it no longer wants: the CLI on
//! Ctrl-C, the coming HTTP server when a client goes away, the Python
//! package on `KeyboardInterrupt`. A cancelled run ends with [`Cancelled`]
//! (inside each module's own error type), never with a partial result that
//! looks complete; checks are one relaxed atomic load, cheap enough for
//! every round.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A shared cancellation flag: clones share one flag, so the caller keeps a
/// clone and cancels while the run holds another. Never cancelled when
/// made.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag that is not set.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks every run holding this flag (or a clone) to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once the flag is set: for `?` in the long loops.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A run stopped because its [`Cancel`] flag was set; whatever it had
/// computed is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cancelled before it finished; no result")
    }
}

impl std::error::Error for Cancelled {}

/// The default [`Budget::max_perturbed`]: 10⁷ values, e.g. 20,000 runs on
/// 70 actors and 6 issues, minutes of work on the largest KTAB tables.
pub const MAX_PERTURBED: u128 = 10_000_000;

/// What one request may spend: the most outcomes any step may enumerate,
/// and the flag that stops it. Entry points that run several steps (the
/// report runs an analysis, forecasts and talks) take one `Budget` and hand
/// each step its part.
#[derive(Clone, Debug)]
pub struct Budget {
    /// The most outcomes any step enumerates; larger spaces are refused
    /// before allocating.
    pub max_outcomes: u128,
    /// The largest forecast Monte Carlo study, as runs × actors × issues
    /// (every run perturbs each actor's values on each issue): what grows
    /// with `--monte-carlo N` on a large table. Checked before any run.
    pub max_perturbed: u128,
    /// Stops the run.
    pub cancel: Cancel,
}

impl Budget {
    /// A budget of `max_outcomes`, the default Monte Carlo limit
    /// ([`MAX_PERTURBED`]) and a fresh flag.
    pub fn new(max_outcomes: u128) -> Budget {
        Budget { max_outcomes, max_perturbed: MAX_PERTURBED, cancel: Cancel::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_flag() {
        let cancel = Cancel::new();
        let held = cancel.clone();
        assert_eq!(held.check(), Ok(()));
        cancel.cancel();
        assert!(held.is_cancelled());
        assert_eq!(held.check(), Err(Cancelled));
        assert!(!Cancel::new().is_cancelled(), "a new flag is not shared");
    }
}
