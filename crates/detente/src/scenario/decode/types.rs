//! What is uncertain or imposed about actors: the `[[types]]` section (the
//! kinds an actor may be, each with a prior, [`ActorType`]), the `types`
//! probabilities of a belief, and the `[[pressures]]` section (costs a third
//! party attaches to outcomes for another actor, [`Pressure`]).
//!
//! Types are read once the actors and constraints have decoded (a type
//! replaces stances and drops its actor's constraints), and before the
//! beliefs, whose `types` name them. Pressures are read once every actor
//! has decoded; their terms join the target's utility when the scenario is
//! built ([`Scenario::refresh_pressures`]).
//!
//! [`Scenario::refresh_pressures`]: crate::scenario::Scenario::refresh_pressures

use super::{Decoder, Obj};
use crate::diagnostic::{Diagnostic, Span};
use crate::format::tree::{Node, NodeKind};
use crate::scenario::{Actor, ActorType, Constraint, Issue, Pressure, UtilityModel};

/// Fields of a `[[types]]` entry.
pub const TYPE_FIELDS: &[&str] =
    &["actor", "name", "prior", "reservation", "stances", "dropped_constraints", "description", "source"];

/// Fields of a `[[pressures]]` entry.
pub const PRESSURE_FIELDS: &[&str] = &["label", "by", "on", "when", "cost", "scaled", "description", "source"];

/// How far probabilities written to a few decimals may sum away from 1.
const PROBABILITY_ROUNDING: f64 = 1e-6;

impl Decoder<'_> {
    /// Decodes the `[[types]]` array; `actors` is `None` when some actor
    /// failed to decode (stances then cannot be merged and are skipped).
    pub(super) fn types(
        &mut self,
        node: &Node,
        issues: &[Issue],
        actor_ids: &[String],
        actors: Option<&[Actor]>,
        constraints: &[Constraint],
    ) -> Vec<ActorType> {
        let Some(nodes) = self.array(node, "`types`", "write each type as a [[types]] table") else {
            return Vec::new();
        };
        let mut out: Vec<ActorType> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut failed = false;
        for node in nodes {
            let Some((ty, name_span)) = self.one_type(node, issues, actor_ids, actors, constraints) else {
                failed = true;
                continue;
            };
            if let Some(k) = out.iter().position(|t| t.actor == ty.actor && t.name == ty.name) {
                self.err(
                    Diagnostic::error(
                        "scenario::duplicate",
                        name_span,
                        format!("`{}` has two types named `{}`", actor_ids[ty.actor], ty.name),
                    )
                    .with_secondary(spans[k], "first type of that name here")
                    .with_help("give each type of an actor a unique name"),
                );
                failed = true;
                continue;
            }
            spans.push(name_span);
            out.push(ty);
        }
        if failed {
            return out;
        }
        // An actor is exactly one of its types.
        let mut seen: Vec<usize> = Vec::new();
        for (k, ty) in out.iter().enumerate() {
            if seen.contains(&ty.actor) {
                continue;
            }
            seen.push(ty.actor);
            let mine: Vec<&ActorType> = out.iter().filter(|t| t.actor == ty.actor).collect();
            let sum: f64 = mine.iter().map(|t| t.prior).sum();
            if (sum - 1.0).abs() > PROBABILITY_ROUNDING {
                let listed: Vec<String> = mine.iter().map(|t| format!("{} {}", t.name, t.prior)).collect();
                self.err(
                    Diagnostic::error(
                        "scenario::types",
                        spans[k],
                        format!(
                            "the priors of `{}`'s types sum to {} ({}), not 1",
                            actor_ids[ty.actor],
                            round(sum),
                            listed.join(", ")
                        ),
                    )
                    .with_label("priors must sum to 1")
                    .with_help("an actor is exactly one of its types: make the priors of its types add up to 1 (a single type has prior 1)"),
                );
            }
        }
        out
    }

    fn one_type(
        &mut self,
        node: &Node,
        issues: &[Issue],
        actor_ids: &[String],
        actors: Option<&[Actor]>,
        constraints: &[Constraint],
    ) -> Option<(ActorType, Span)> {
        let obj = self.obj(node, "a type", TYPE_FIELDS)?;
        let actor = self
            .required(&obj, "actor", "name the actor this is a type of, e.g. actor = \"japan\"")
            .and_then(|n| self.reference(n, "actor", actor_ids, "scenario::unknown-actor", "actor"));
        let name = self
            .required(&obj, "name", "name the type, e.g. name = \"bound-by-alliance\"")
            .and_then(|n| self.identifier(n, "type name", true));
        let prior = self
            .required(&obj, "prior", "give the type's prior probability, e.g. prior = 0.6")
            .and_then(|n| self.unit_interval(n, "a prior", "scenario::types"));
        let reservation = obj.get("reservation").map(|n| self.reservation(n));
        let description = self.opt_string(&obj, "description");
        let source = self.opt_string(&obj, "source");
        let overrides = self.overrides(&obj, issues, actor_ids, actors, actor, constraints, "type");
        let (stances, dropped_constraints) = overrides?;
        let reservation = match reservation {
            Some(None) => return None,
            Some(r) => r,
            None => None,
        };
        let (name, span) = name?;
        Some((
            ActorType {
                actor: actor?,
                name,
                prior: prior?,
                reservation,
                stances,
                dropped_constraints,
                description,
                source,
            },
            span,
        ))
    }

    /// A belief's `types = { NAME = probability, … }` about actor `about`
    /// (id `about_id`): indices into `types` with the holder's
    /// probabilities. `None` after an error.
    pub(super) fn type_probabilities(
        &mut self,
        node: &Node,
        about: usize,
        about_id: &str,
        types: &[ActorType],
    ) -> Option<Vec<(usize, f64)>> {
        let mine: Vec<usize> = (0..types.len()).filter(|&t| types[t].actor == about).collect();
        if mine.is_empty() {
            self.err(
                Diagnostic::error(
                    "scenario::types",
                    node.span,
                    format!("`{about_id}` has no types, so a belief cannot give probabilities of them"),
                )
                .with_label("no [[types]] of this actor")
                .with_help(format!("declare `{about_id}`'s types in [[types]] tables, or remove `types`")),
            );
            return None;
        }
        let table = self.table(node, "a belief's `types`", None)?;
        let names: Vec<String> = mine.iter().map(|&t| types[t].name.clone()).collect();
        let mut out: Vec<(usize, f64)> = Vec::new();
        let mut ok = true;
        for (key, value) in table.entries {
            let Some(k) = names.iter().position(|n| *n == key.name) else {
                let key_node = Node { kind: NodeKind::Str(key.name.clone()), span: key.span };
                self.reference(&key_node, "a type", &names, "scenario::types", "type");
                ok = false;
                continue;
            };
            match self.unit_interval(value, "a probability", "scenario::types") {
                Some(p) => out.push((mine[k], p)),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let sum: f64 = out.iter().map(|(_, p)| p).sum();
        if (sum - 1.0).abs() > PROBABILITY_ROUNDING {
            self.err(
                Diagnostic::error(
                    "scenario::types",
                    node.span,
                    format!("the probabilities of `{about_id}`'s types sum to {}, not 1", round(sum)),
                )
                .with_label("must sum to 1")
                .with_help("the holder believes the actor is exactly one of its types: make the probabilities add up to 1 (types left out count as 0)"),
            );
            return None;
        }
        out.sort_by_key(|&(t, _)| t);
        Some(out)
    }

    /// Decodes the `[[pressures]]` array against decoded `actors`.
    pub(super) fn pressures(
        &mut self,
        node: &Node,
        issues: &[Issue],
        actor_ids: &[String],
        actors: &[Actor],
    ) -> Vec<Pressure> {
        let Some(nodes) = self.array(node, "`pressures`", "write each pressure as a [[pressures]] table") else {
            return Vec::new();
        };
        let mut out: Vec<Pressure> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for node in nodes {
            let Some(obj) = self.obj(node, "a pressure", PRESSURE_FIELDS) else { continue };
            let Some((p, label_span)) = self.one_pressure(&obj, issues, actor_ids, actors) else { continue };
            if let Some(k) = out.iter().position(|o| o.label == p.label) {
                self.err(
                    Diagnostic::error(
                        "scenario::duplicate",
                        label_span,
                        format!("two pressures have the label `{}`", p.label),
                    )
                    .with_secondary(spans[k], "first used here")
                    .with_help("labels name pressures in the analysis; make each unique"),
                );
                continue;
            }
            if let Some(t) = actors[p.on].interactions.iter().find(|t| t.label == p.label) {
                self.err(
                    Diagnostic::error(
                        "scenario::duplicate",
                        label_span,
                        format!("`{}` already has an interaction term labelled `{}`", actor_ids[p.on], t.label),
                    )
                    .with_help("a pressure reaches its target as a term of that label: choose another label"),
                );
                continue;
            }
            spans.push(label_span);
            out.push(p);
        }
        out
    }

    fn one_pressure(
        &mut self,
        obj: &Obj<'_>,
        issues: &[Issue],
        actor_ids: &[String],
        actors: &[Actor],
    ) -> Option<(Pressure, Span)> {
        let label = self
            .required(obj, "label", "name the pressure, e.g. label = \"secondary-sanctions\"")
            .and_then(|n| self.identifier(n, "pressure label", true));
        let by = self
            .required(obj, "by", "name the actor who applies the pressure, e.g. by = \"usa\"")
            .and_then(|n| self.reference(n, "by", actor_ids, "scenario::unknown-actor", "actor"));
        let on_node = self.required(obj, "on", "name the actor who pays, e.g. on = \"japan\"");
        let on = on_node.and_then(|n| self.reference(n, "on", actor_ids, "scenario::unknown-actor", "actor"));
        let when = self.required(obj, "when", "say where it applies, e.g. when = \"sanctions == 'lifted'\"");
        let rule = when.and_then(|n| self.rule(n, "`when`", issues));
        let cost = self
            .required(obj, "cost", "give the utility the target loses there, e.g. cost = 0.2")
            .and_then(|n| self.unit_interval(n, "a pressure's cost", "scenario::pressure"));
        let scaled = match obj.get("scaled") {
            Some(n) => self.bool(n, "`scaled`")?,
            None => false,
        };
        let description = self.opt_string(obj, "description");
        let source = self.opt_string(obj, "source");
        if let (Some(b), Some(o), Some(n)) = (by, on, on_node) {
            if b == o {
                self.err(
                    Diagnostic::error("scenario::pressure", n.span, "an actor cannot put pressure on itself")
                        .with_label("same as `by`")
                        .with_help(
                            "a cost an actor pays for its own choice belongs in its stances or interaction terms",
                        ),
                );
                return None;
            }
            if let UtilityModel::Rectangles(_) = actors[o].utility_model {
                self.err(
                    Diagnostic::error(
                        "scenario::pressure",
                        n.span,
                        format!("`{}`'s utility comes from rectangles, which a pressure cannot lower", actor_ids[o]),
                    )
                    .with_help("write the cost as a rectangle of negative utility in that actor's profile"),
                );
                return None;
            }
        }
        let (label, span) = label?;
        let (rule_text, rule) = rule?;
        Some((Pressure { label, by: by?, on: on?, rule_text, rule, cost: cost?, scaled, description, source }, span))
    }
}

/// A sum shown to a few decimals, so rounding noise is not mistaken for
/// the error.
fn round(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
