//! Renderings of detente results for people (text) and programs (JSON).
//!
//! The engine's result types are plain data without `Serialize`; the JSON
//! wire format is built here, by hand, with a schema name and version, so a
//! change to the engine never silently changes what scripts read. The CLI,
//! the server and the Python package all render through this crate.

#![deny(missing_docs)]

pub mod analysis;
pub mod diagnostics;
pub mod forecast;
pub mod frame;
pub mod game;
pub mod glossary;
pub mod negotiation;
pub mod plane;
pub mod plot;
pub mod report;
pub mod robustness;
pub mod stages;
pub mod text;
pub mod timeline;
pub mod tournament;
pub mod types;

/// A JSON object from `(key, value)` pairs, in order, moving the values in.
/// `serde_json::json!` serialises every expression it is given, so a large
/// `Value` inside it (a trace of every round) is copied whole; documents
/// whose parts are built separately are assembled with this instead.
pub(crate) fn object<const N: usize>(pairs: [(&str, serde_json::Value); N]) -> serde_json::Value {
    serde_json::Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}
