//! Renderings of detente results for people (text) and programs (JSON).
//!
//! The engine's result types are plain data without `Serialize`; the JSON
//! wire format is built here, by hand, with a schema name and version, so a
//! change to the engine never silently changes what scripts read. The CLI,
//! the server and the Python package all render through this crate.

#![deny(missing_docs)]

pub mod analysis;
pub mod forecast;
pub mod negotiation;
pub mod plot;
pub mod report;
pub mod text;
pub mod tournament;
