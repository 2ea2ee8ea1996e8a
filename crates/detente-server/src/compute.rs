//! Engine work off the async threads, within the server's limits: a slot
//! from the semaphore (or 503 busy at once: a queue would only hide an
//! overload), the work on tokio's blocking pool, and the deadline.
//!
//! The engine never learns about HTTP; it is handed a `budget::Cancel` flag,
//! as the CLI hands it one for Ctrl-C. When the deadline passes, or the
//! client goes away and axum drops the handler, the guard sets the flag and
//! the engine stops at its next check, so abandoned work does not keep a
//! core busy. The slot is held by the blocking task itself and freed only
//! when the work has really stopped.

use std::sync::Arc;

use detente::budget::Cancel;
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::Limits;

/// Sets the flag when dropped: on completion (harmless), on the deadline,
/// and when the request future is dropped because the client left.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs `work` with a fresh cancel flag within `limits`.
pub async fn run<T, F>(slots: &Arc<Semaphore>, limits: &Limits, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Cancel) -> Result<T, ApiError> + Send + 'static,
{
    let permit = slots.clone().try_acquire_owned().map_err(|_| ApiError::busy(limits.concurrent))?;
    let cancel = Cancel::new();
    let _guard = CancelOnDrop(cancel.clone());
    let held = cancel.clone();
    let handle = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&held)
    });
    match tokio::time::timeout(limits.deadline, handle).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => {
            tracing::error!("engine task failed: {join}");
            Err(ApiError::internal("the computation failed unexpectedly (a bug in detente; please report it)"))
        }
        Err(_) => Err(ApiError::deadline(limits.deadline)),
    }
}
