//! The `[[uncertain]]` section: judgements the file marks as uncertain, each a
//! path to one number ([`Param`]), a range and a distribution.
//!
//! Paths are resolved once every actor has decoded (they name actors, issues
//! and options); ranges are checked against the number's domain and, for a
//! triangular distribution, against the file's value, its mode.

use super::{list, Decoder};
use crate::diagnostic::{Diagnostic, Span};
use crate::format::tree::Node;
use crate::scenario::param::PATH_FORMS;
use crate::scenario::{Distribution, Scenario, Uncertain};
use crate::suggest::did_you_mean;

/// Fields of an `[[uncertain]]` entry.
pub const UNCERTAIN_FIELDS: &[&str] = &["param", "range", "distribution", "source"];

impl Decoder<'_> {
    /// Decodes the `[[uncertain]]` array against a decoded `scenario`.
    pub(super) fn uncertain(&mut self, node: &Node, scenario: &Scenario) -> Vec<Uncertain> {
        let Some(nodes) = self.array(node, "`uncertain`", "write each judgement as an [[uncertain]] table") else {
            return Vec::new();
        };
        let mut out: Vec<Uncertain> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for node in nodes {
            let Some((u, param_span)) = self.one_uncertain(node, scenario) else { continue };
            if let Some(k) = out.iter().position(|o| o.param == u.param) {
                self.err(
                    Diagnostic::error(
                        "scenario::duplicate",
                        param_span,
                        format!("`{}` is marked uncertain twice", u.param.path(scenario)),
                    )
                    .with_secondary(spans[k], "first marked here")
                    .with_help("keep one range per judgement"),
                );
                continue;
            }
            spans.push(param_span);
            out.push(u);
        }
        out
    }

    fn one_uncertain(&mut self, node: &Node, scenario: &Scenario) -> Option<(Uncertain, Span)> {
        let obj = self.obj(node, "an uncertain judgement", UNCERTAIN_FIELDS)?;
        let param_node = self.required(&obj, "param", "name the judgement, e.g. param = \"russia.reservation\"");
        let range_node = self.required(&obj, "range", "give its range, e.g. range = [0.6, 0.9]");
        let source = self.opt_string(&obj, "source");
        let distribution = match obj.get("distribution") {
            None => Some(Distribution::Uniform),
            Some(n) => self.distribution(n),
        };
        let param_node = param_node?;
        let path = self.string(param_node, "`param`")?;
        let param = match crate::scenario::param::parse_path(scenario, &path) {
            Ok(p) => Some(p),
            Err(message) => {
                self.err(
                    Diagnostic::error("scenario::unknown-param", param_node.span, message)
                        .with_label("no such judgement")
                        .with_help(format!("paths are {PATH_FORMS}, as for --set")),
                );
                None
            }
        };
        let (low, high, range_span) = self.uncertain_range(range_node?)?;
        let (param, distribution) = (param?, distribution?);
        let (min, max) = param.domain(&scenario.issues);
        if low < min || high > max {
            let domain = if max.is_infinite() { format!("{min} or more") } else { format!("{min} to {max}") };
            self.err(
                Diagnostic::error(
                    "scenario::uncertain-domain",
                    range_span,
                    format!("`{path}` takes values from {domain}, but its range is [{low}, {high}]"),
                )
                .with_label("outside the judgement's domain")
                .with_help(format!("keep the range within {domain}")),
            );
            return None;
        }
        let value = param.value(scenario);
        if distribution == Distribution::Triangular && !(low..=high).contains(&value) {
            self.err(
                Diagnostic::error(
                    "scenario::uncertain-range",
                    range_span,
                    format!("a triangular range needs the file's value as its mode, but `{path}` is {value}, outside [{low}, {high}]"),
                )
                .with_label("does not contain the file's value")
                .with_help("widen the range to include the file's value, or use distribution = \"uniform\""),
            );
            return None;
        }
        Some((Uncertain { param, low, high, distribution, source }, param_node.span))
    }

    fn distribution(&mut self, node: &Node) -> Option<Distribution> {
        let s = self.string(node, "`distribution`")?;
        match s.as_str() {
            "uniform" => Some(Distribution::Uniform),
            "triangular" => Some(Distribution::Triangular),
            _ => {
                let help = match did_you_mean(&s, Distribution::NAMES) {
                    Some(c) => format!("did you mean \"{c}\"?"),
                    None => format!("distributions are: {}", list(Distribution::NAMES)),
                };
                self.err(
                    Diagnostic::error("scenario::wrong-type", node.span, format!("`{s}` is not a distribution"))
                        .with_help(help),
                );
                None
            }
        }
    }

    /// `[low, high]`: two finite numbers, low below high.
    fn uncertain_range(&mut self, node: &Node) -> Option<(f64, f64, Span)> {
        let help = "write the range as two numbers, low then high, e.g. range = [0.6, 0.9]";
        let items = self.array(node, "`range`", help)?;
        if items.len() != 2 {
            self.err(
                Diagnostic::error(
                    "scenario::uncertain-range",
                    node.span,
                    format!("a range has two ends, found {} numbers", items.len()),
                )
                .with_label("expected [low, high]")
                .with_help(help),
            );
            return None;
        }
        let low = self.number(&items[0], "the range's low end");
        let high = self.number(&items[1], "the range's high end");
        let (low, high) = (low?, high?);
        if low >= high {
            let message = if low == high {
                format!("the range [{low}, {high}] is a single value")
            } else {
                format!("the range's low end {low} lies above its high end {high}")
            };
            self.err(
                Diagnostic::error("scenario::uncertain-range", node.span, message)
                    .with_label("low must be below high")
                    .with_help("write the lower end first; a judgement that is certain needs no [[uncertain]] table"),
            );
            return None;
        }
        Some((low, high, node.span))
    }
}
