//! The `[[statements]]` section: public statements parties may make
//! ([`Statement`]), read once the rest of the scenario has decoded (their
//! reactions are `--set` paths and dropped constraints, parsed by the same
//! code as the command line), and before the events, which make them.

use super::{Decoder, Obj};
use crate::diagnostic::{Diagnostic, Span};
use crate::format::tree::Node;
use crate::scenario::{Scenario, Statement, StatementKind, UtilityModel};
use crate::whatif::Edit;

/// Fields of a `[[statements]]` entry.
pub const STATEMENT_FIELDS: &[&str] =
    &["id", "by", "kind", "says", "pledge", "audience_cost", "heard_by", "reactions", "drop", "description", "source"];

impl Decoder<'_> {
    /// Decodes the `[[statements]]` array against the decoded `scenario`.
    pub(super) fn statements(&mut self, node: &Node, scenario: &Scenario) -> Vec<Statement> {
        let Some(nodes) = self.array(node, "`statements`", "write each statement as a [[statements]] table") else {
            return Vec::new();
        };
        let mut out: Vec<Statement> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for node in nodes {
            let Some(obj) = self.obj(node, "a statement", STATEMENT_FIELDS) else { continue };
            let Some((st, id_span)) = self.one_statement(&obj, scenario) else { continue };
            if let Some(k) = out.iter().position(|o| o.id == st.id) {
                self.err(
                    Diagnostic::error(
                        "scenario::duplicate",
                        id_span,
                        format!("two statements have the id `{}`", st.id),
                    )
                    .with_secondary(spans[k], "first used here")
                    .with_help("events and scripts name statements by id; make each unique"),
                );
                continue;
            }
            spans.push(id_span);
            out.push(st);
        }
        out
    }

    fn one_statement(&mut self, obj: &Obj<'_>, scenario: &Scenario) -> Option<(Statement, Span)> {
        let actor_ids: Vec<String> = scenario.actors.iter().map(|a| a.id.clone()).collect();
        let id = self
            .required(obj, "id", "name the statement, e.g. id = \"no-compensation\"")
            .and_then(|n| self.identifier(n, "statement id", true));
        let by_node = self.required(obj, "by", "name the speaker, e.g. by = \"japan\"");
        let by = by_node.and_then(|n| self.reference(n, "by", &actor_ids, "scenario::unknown-actor", "actor"));
        let kind_node =
            self.required(obj, "kind", "say what it is: kind = \"commitment\", \"assurance\" or \"signal\"");
        let kind = kind_node.and_then(|n| {
            let text = self.string(n, "`kind`")?;
            let kind = StatementKind::parse(&text);
            if kind.is_none() {
                let hint = crate::suggest::did_you_mean(&text, &["commitment", "assurance", "signal"])
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                self.err(
                    Diagnostic::error("scenario::statement", n.span, format!("`{text}` is not a kind of statement"))
                        .with_label("unknown kind")
                        .with_help(format!("{hint}a statement is a \"commitment\" (we will not accept X), an \"assurance\" (we will not demand Y) or a \"signal\" (words that pledge nothing)")),
                );
            }
            kind
        });
        let says = self.opt_string(obj, "says");
        let pledge = obj.get("pledge").map(|n| (n.span, self.rule(n, "`pledge`", &scenario.issues)));
        let audience_cost = match obj.get("audience_cost") {
            Some(n) => Some((n.span, self.unit_interval(n, "an audience cost", "scenario::statement")?)),
            None => None,
        };
        let heard_by = match obj.get("heard_by") {
            Some(n) => {
                let help = "list the actors who hear it, e.g. heard_by = [\"russia\", \"russia_public\"]";
                let mut out = Vec::new();
                for item in self.array(n, "`heard_by`", help)? {
                    let a = self.reference(item, "a listener", &actor_ids, "scenario::unknown-actor", "actor")?;
                    if !out.contains(&a) {
                        out.push(a);
                    }
                }
                out
            }
            // Unsaid: everyone hears a public statement.
            None => (0..scenario.actors.len()).collect(),
        };
        let mut reactions = Vec::new();
        let mut ok = true;
        if let Some(n) = obj.get("reactions") {
            ok &= self.event_set(n, scenario, &mut reactions);
        }
        if let Some(n) = obj.get("drop") {
            ok &= self.dropped(n, scenario, &mut reactions);
        }
        let description = self.opt_string(obj, "description");
        let source = self.opt_string(obj, "source");
        let (kind, by) = (kind?, by?);
        if ok {
            for e in &reactions {
                let listener = reacting_actor(scenario, e);
                if !heard_by.contains(&listener) {
                    let at = obj.get("reactions").or(obj.get("drop")).map_or(self.header_span(obj.span), |n| n.span);
                    self.err(
                        Diagnostic::error(
                            "scenario::statement",
                            at,
                            format!(
                                "`{}` reacts ({}) but does not hear the statement",
                                scenario.actors[listener].id,
                                e.describe(scenario)
                            ),
                        )
                        .with_label("not a listener")
                        .with_help(format!(
                            "only listeners react: add \"{}\" to `heard_by`, or remove the reaction",
                            scenario.actors[listener].id
                        )),
                    );
                    ok = false;
                }
            }
        }
        let (pledge_text, pledge) = match (kind, pledge) {
            (StatementKind::Signal, Some((span, _))) => {
                self.err(
                    Diagnostic::error("scenario::statement", span, "a signal pledges nothing, so it has no `pledge`")
                        .with_help("make it kind = \"commitment\" or \"assurance\", or remove `pledge`"),
                );
                return None;
            }
            (StatementKind::Signal, None) => (None, None),
            (_, Some((_, Some((text, rule))))) => (Some(text), Some(rule)),
            (_, Some((_, None))) => return None,
            (k, None) => {
                self.err(
                    Diagnostic::error(
                        "scenario::missing-field",
                        self.header_span(obj.span),
                        format!("a {} needs a `pledge`", k.as_str()),
                    )
                    .with_label("missing `pledge`")
                    .with_help("write what every agreement keeps to, as a rule: pledge = \"compensation == 'none'\""),
                );
                return None;
            }
        };
        let audience_cost = match (audience_cost, &pledge) {
            (Some((span, _)), None) => {
                self.err(
                    Diagnostic::error(
                        "scenario::statement",
                        span,
                        "a signal cannot be broken, so it has no audience cost",
                    )
                    .with_help("make it a commitment or an assurance with a `pledge`, or remove `audience_cost`"),
                );
                return None;
            }
            (Some((span, cost)), Some(_)) => {
                if cost > 0.0 && matches!(scenario.actors[by].utility_model, UtilityModel::Rectangles(_)) {
                    self.err(
                        Diagnostic::error(
                            "scenario::statement",
                            span,
                            format!(
                                "`{}`'s utility comes from rectangles, which an audience cost cannot lower",
                                scenario.actors[by].id
                            ),
                        )
                        .with_help("remove `audience_cost`, or give the speaker stances"),
                    );
                    return None;
                }
                cost
            }
            (None, _) => 0.0,
        };
        if !ok {
            return None;
        }
        let (id, span) = id?;
        Some((
            Statement {
                id,
                by,
                kind,
                says,
                pledge_text,
                pledge,
                audience_cost,
                heard_by,
                reactions,
                made: false,
                description,
                source,
            },
            span,
        ))
    }
}

/// The actor a reaction changes: the one whose number it sets, the holder
/// of the belief, the actor applying the pressure, or the owner of the
/// dropped constraint.
pub fn reacting_actor(s: &Scenario, e: &Edit) -> usize {
    match *e {
        Edit::Reservation(a, _)
        | Edit::Capability(a, _)
        | Edit::Position(a, ..)
        | Edit::Salience(a, ..)
        | Edit::TableValue(a, ..)
        | Edit::Interaction(a, ..) => a,
        Edit::BeliefReservation(b, _) => s.beliefs[b].holder,
        Edit::PressureCost(k, _) => s.pressures[k].by,
        Edit::Drop(c) => s.constraints[c].owner,
    }
}
