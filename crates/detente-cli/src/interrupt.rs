//! Ctrl-C for the long commands: the first sets the run's shared
//! [`Cancel`] flag, so the engine stops at its next check and the command
//! ends with one plain line and exit code 130 (128 + SIGINT, what shells
//! expect); a second exits at once, for a user who will not wait.
//!
//! The handler is installed only by commands that call [`flag`]: short
//! commands keep the default Ctrl-C, which ends them on the spot.

use std::sync::OnceLock;

use detente::budget::Cancel;

/// The exit code of an interrupted run.
pub const EXIT_CODE: u8 = 130;

static FLAG: OnceLock<Cancel> = OnceLock::new();

/// The process's cancellation flag, installing the Ctrl-C handler on first
/// use. Without a handler (one could not be installed), Ctrl-C keeps its
/// default effect, so the flag stays usable but is never set.
pub fn flag() -> Cancel {
    FLAG.get_or_init(|| {
        let cancel = Cancel::new();
        let held = cancel.clone();
        let _ = ctrlc::set_handler(move || {
            if held.is_cancelled() {
                std::process::exit(EXIT_CODE.into());
            }
            held.cancel();
        });
        cancel
    })
    .clone()
}

/// Whether Ctrl-C was pressed during a long command.
pub fn interrupted() -> bool {
    FLAG.get().is_some_and(Cancel::is_cancelled)
}

/// An interrupted run's line for the user, when it has more to say than
/// "nothing was written" (the tournament keeps its finished negotiations).
#[derive(Debug)]
pub struct Interrupted(pub String);

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Interrupted {}

/// The line printed for an interrupted run that ended with `err`.
pub fn message(err: &anyhow::Error) -> String {
    match err.downcast_ref::<Interrupted>() {
        Some(Interrupted(line)) => format!("interrupted: {line}"),
        None => "interrupted: nothing was written".to_string(),
    }
}

/// `Err` once Ctrl-C was pressed: checked before a command writes its
/// output, for steps that end quietly rather than with `Cancelled` (the
/// quick robustness study beside a verdict).
pub fn check(cancel: &Cancel) -> anyhow::Result<()> {
    cancel.check().map_err(anyhow::Error::new)
}
