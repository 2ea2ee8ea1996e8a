//! The `[[plans]]` section: staged agreements, each a name, ordered phases
//! of issue ids and the commitment with which promises about later phases
//! are honoured ([`Plan`]).
//!
//! Plans are read once every issue and the status quo have decoded: phases
//! name issues, a phase that fails leaves its issues at the status quo, and
//! a conditional issue may not be settled before the issues its condition
//! reads. Issues no phase names join the last phase.

use super::Decoder;
use crate::diagnostic::{Diagnostic, Span};
use crate::format::tree::{Node, NodeKind};
use crate::scenario::{Issue, Plan};

/// Fields of a `[[plans]]` entry.
pub const PLAN_FIELDS: &[&str] = &["name", "phases", "commitment", "description", "source"];

impl Decoder<'_> {
    /// Decodes the `[[plans]]` array against decoded `issues`;
    /// `has_status_quo` says whether the file declares one.
    pub(super) fn plans(&mut self, node: &Node, issues: &[Issue], has_status_quo: bool) -> Vec<Plan> {
        let Some(nodes) = self.array(node, "`plans`", "write each plan as a [[plans]] table") else {
            return Vec::new();
        };
        if !has_status_quo {
            if let Some(first) = nodes.first() {
                self.err(
                    Diagnostic::error(
                        "scenario::plan",
                        self.header_span(first.span),
                        "the scenario declares plans but no status quo",
                    )
                    .with_label("needs [status_quo]")
                    .with_help("a phase that fails leaves its issues at the status quo: declare [status_quo] with a value for every issue"),
                );
            }
            return Vec::new();
        }
        let mut out: Vec<Plan> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for node in nodes {
            let Some((plan, name_span)) = self.plan(node, issues) else { continue };
            if let Some(k) = out.iter().position(|p| p.name == plan.name) {
                self.err(
                    Diagnostic::error("scenario::duplicate", name_span, format!("two plans are named `{}`", plan.name))
                        .with_secondary(spans[k], "first plan of that name here")
                        .with_help("give each plan a unique name"),
                );
                continue;
            }
            spans.push(name_span);
            out.push(plan);
        }
        out
    }

    fn plan(&mut self, node: &Node, issues: &[Issue]) -> Option<(Plan, Span)> {
        let obj = self.obj(node, "a plan", PLAN_FIELDS)?;
        let name = self
            .required(&obj, "name", "name the plan, e.g. name = \"treaty-first\"")
            .and_then(|n| self.identifier(n, "plan name", true));
        let phases_node = self.required(
            &obj,
            "phases",
            "list the phases in order, e.g. phases = [[\"peace_treaty\"], [\"islands\"]]",
        );
        let description = self.opt_string(&obj, "description");
        let source = self.opt_string(&obj, "source");
        let phases = phases_node.and_then(|n| self.phases(n, issues));
        let (name, phases) = (name?, phases?);
        let commitments = match obj.get("commitment") {
            None => Some(vec![1.0; phases.len() - 1]),
            Some(n) => self.commitments(n, phases.len()),
        }?;
        Some((Plan { name: name.0, phases, commitments, description, source }, name.1))
    }

    /// The phases: non-empty arrays of issue ids, each issue in at most one
    /// phase; issues named nowhere join the last phase.
    fn phases(&mut self, node: &Node, issues: &[Issue]) -> Option<Vec<Vec<usize>>> {
        let help = "write phases = [[\"peace_treaty\", \"recognition\"], [\"islands\"]]: one array of issue ids per phase, in order";
        let items = self.array(node, "`phases`", help)?;
        if items.is_empty() {
            self.err(
                Diagnostic::error("scenario::plan", node.span, "a plan needs at least one phase")
                    .with_label("no phases")
                    .with_help(help),
            );
            return None;
        }
        let ids: Vec<String> = issues.iter().map(|i| i.id.clone()).collect();
        let mut phase_of: Vec<Option<(usize, Span)>> = vec![None; issues.len()];
        let mut phases: Vec<Vec<usize>> = Vec::new();
        let mut ok = true;
        for (k, item) in items.iter().enumerate() {
            let Some(names) = self.array(item, "a phase", help) else {
                ok = false;
                continue;
            };
            if names.is_empty() {
                self.err(
                    Diagnostic::error("scenario::plan", item.span, format!("phase {} names no issue", k + 1))
                        .with_label("empty phase")
                        .with_help("name the issues the phase settles, or remove it"),
                );
                ok = false;
                continue;
            }
            let mut phase = Vec::new();
            for name in names {
                let Some(i) = self.reference(name, "an issue of a phase", &ids, "scenario::unknown-issue", "issue")
                else {
                    ok = false;
                    continue;
                };
                if let Some((first, span)) = phase_of[i] {
                    self.err(
                        Diagnostic::error(
                            "scenario::plan",
                            name.span,
                            format!("issue `{}` is in phase {} and again in phase {}", ids[i], first + 1, k + 1),
                        )
                        .with_secondary(span, "first named here")
                        .with_help("each issue is settled in one phase: name it once"),
                    );
                    ok = false;
                    continue;
                }
                phase_of[i] = Some((k, name.span));
                phase.push(i);
            }
            phases.push(phase);
        }
        if !ok {
            return None;
        }
        let last = phases.len() - 1;
        for (i, slot) in phase_of.iter().enumerate() {
            if slot.is_none() {
                phases[last].push(i);
            }
        }
        phases[last].sort_unstable();
        let phase = |i: usize| phase_of[i].map_or(last, |(k, _)| k);
        for (i, issue) in issues.iter().enumerate() {
            let Some(c) = &issue.condition else { continue };
            if let Some(j) = c.rule.issues().into_iter().find(|&j| phase(j) > phase(i)) {
                let span = phase_of[i].map_or(node.span, |(_, s)| s);
                self.err(
                    Diagnostic::error(
                        "scenario::plan",
                        span,
                        format!(
                            "issue `{}` is settled in phase {}, before `{}` (phase {}), which its condition `{}` reads",
                            issue.id,
                            phase(i) + 1,
                            ids[j],
                            phase(j) + 1,
                            c.rule_text
                        ),
                    )
                    .with_label("settled before its condition")
                    .with_help(format!("settle `{}` in the same phase as `{}` or later", issue.id, ids[j])),
                );
                return None;
            }
        }
        Some(phases)
    }

    /// `commitment`: one number for every promise, or one per phase after
    /// the first; each in 0–1.
    fn commitments(&mut self, node: &Node, n_phases: usize) -> Option<Vec<f64>> {
        let help = "commitment is a probability: one number in 0-1 for every later phase, or an array with one per phase after the first";
        let values: Vec<&Node> = match &node.kind {
            NodeKind::Array(items) => {
                if items.len() != n_phases - 1 {
                    self.err(
                        Diagnostic::error(
                            "scenario::commitment",
                            node.span,
                            format!(
                                "the plan has {} later phase{} but {} commitment{}",
                                n_phases - 1,
                                if n_phases == 2 { "" } else { "s" },
                                items.len(),
                                if items.len() == 1 { "" } else { "s" }
                            ),
                        )
                        .with_label("one per phase after the first")
                        .with_help(help),
                    );
                    return None;
                }
                items.iter().collect()
            }
            // One number for every promise (checked even when a one-phase
            // plan makes none).
            _ => vec![node; (n_phases - 1).max(1)],
        };
        let mut out = Vec::new();
        for v in values {
            let x = self.number(v, "a commitment")?;
            if !(0.0..=1.0).contains(&x) {
                self.err(
                    Diagnostic::error(
                        "scenario::commitment",
                        v.span,
                        format!("a commitment of {x} is not a probability"),
                    )
                    .with_label("outside 0–1")
                    .with_help(help),
                );
                return None;
            }
            out.push(x);
        }
        out.truncate(n_phases - 1);
        Some(out)
    }
}
