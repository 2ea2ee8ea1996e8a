//! What the peer cross-check tests share: where the repository is, whether
//! this is CI, and the peer interpreter.

use std::path::PathBuf;

/// The repository's root (`../shared` sits beside it).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether `CI` is set: then a missing peer or data file is a failure,
/// never a silent skip.
pub fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// The peer interpreter (`DETENTE_PEER_PYTHON`), or `None` outside CI with
/// a printed note that `what` is skipped.
pub fn python(what: &str) -> Option<PathBuf> {
    match std::env::var_os("DETENTE_PEER_PYTHON") {
        Some(p) => Some(PathBuf::from(p)),
        None if ci() => panic!("DETENTE_PEER_PYTHON is not set; run the tests through scripts/test.sh"),
        None => {
            eprintln!("skipping {what}: DETENTE_PEER_PYTHON is not set (see scripts/peers.sh)");
            None
        }
    }
}
