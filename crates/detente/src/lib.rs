//! detente: a negotiation and collective-decision analysis engine.
//!
//! A *scenario* describes one negotiation: issues, actors with positions and
//! saliences, constraints (red lines, preconditions, linkages), ratifiers,
//! third parties and beliefs. This crate reads scenarios, explains every
//! mistake in them precisely, and (in later modules) analyses them.
//!
//! ```
//! let text = r#"
//! format = 1
//! name = "Toy"
//! [[issues]]
//! id = "treaty"
//! options = ["no", "yes"]
//! [[actors]]
//! id = "a"
//! stances.treaty = { position = "yes", salience = 1.0 }
//! [[actors]]
//! id = "b"
//! stances.treaty = { position = "no", salience = 0.5 }
//! [[constraints]]
//! label = "b-never-signs"
//! owner = "b"
//! rule = "never treaty"
//! "#;
//! let loaded = detente::load_str("toy.toml", text, detente::TextFormat::Toml);
//! let scenario = loaded.scenario.expect("valid");
//! assert_eq!(scenario.actors.len(), 2);
//! assert_eq!(scenario.constraints[0].kind(), detente::scenario::ConstraintKind::RedLine);
//! ```
//!
//! Data flows one way: [`format`] (text → tree) → [`scenario::decode`]
//! (tree → [`Scenario`] + [`Diagnostic`]s) → analyses → renderers in the
//! shells. Nothing here prints or exits.

#![deny(missing_docs)]
// Diagnostics travel only on the error path of readers, where size is no cost.
#![allow(clippy::result_large_err)]

pub mod analysis;
pub mod budget;
pub mod diagnostic;
pub mod forecast;
pub mod format;
pub mod negotiation;
pub mod robustness;
pub mod scenario;
pub mod schema;
pub mod suggest;
pub mod whatif;

pub use diagnostic::{Diagnostic, LineCol, LineIndex, Severity, Span};
pub use format::{load_bytes, load_file, load_path, load_str, Loaded, SourceFile, TextFormat};
pub use scenario::Scenario;
