//! Rules over outcomes that are not constraints: an issue's condition
//! (`when`/`otherwise`, [`Condition`]) and an actor's interaction terms
//! (`[[actors.interactions]]`, [`Interaction`]).
//!
//! Both are written in the constraint rule language and parsed by the same
//! parser, so they get its type checks and located errors. Conditions are
//! read once every issue has decoded (a rule may name a later issue), and
//! are refused when an issue's condition mentions the issue itself or when
//! conditions depend on each other in a cycle: each outcome then has one
//! representative, the one [`Scenario::settle_moot`] reaches.
//!
//! [`Scenario::settle_moot`]: crate::scenario::Scenario::settle_moot

use super::{rule_offsets, Decoder};
use crate::diagnostic::{Diagnostic, Span};
use crate::format::tree::{Node, NodeKind};
use crate::scenario::expr::parse_rule;
use crate::scenario::{Condition, Expr, Interaction, Issue, Value};

/// Fields of an interaction term (`[[actors.interactions]]`).
pub const INTERACTION_FIELDS: &[&str] = &["label", "when", "value", "source"];

impl Decoder<'_> {
    /// Parses a rule string at `node` against `issues`; `None` after an
    /// error (reported, unless it only names an issue that failed to load).
    pub(super) fn rule(&mut self, node: &Node, what: &str, issues: &[Issue]) -> Option<(String, Expr)> {
        let text = self.string(node, what)?;
        let map = rule_offsets(self.text, node.span, &text);
        match parse_rule(&text, issues, &|s, e| map(s, e)) {
            Ok((rule, warnings)) => {
                self.diags.extend(warnings);
                Some((text, rule))
            }
            Err(d) => {
                let failed = d.code == "scenario::unknown-issue"
                    && d.span
                        .and_then(|sp| self.text.get(sp.range()))
                        .is_some_and(|n| self.failed_issues.iter().any(|f| f == n));
                if !failed {
                    self.err(d);
                }
                None
            }
        }
    }

    /// Reads the `when`/`otherwise` of every issue node into `issues`
    /// (matched by id; duplicates and failed issues are skipped), then
    /// refuses cycles.
    pub(super) fn conditions(&mut self, nodes: &[Node], issues: &mut [Issue]) {
        let mut spans: Vec<Option<Span>> = vec![None; issues.len()];
        for node in nodes {
            let NodeKind::Table(entries) = &node.kind else { continue };
            let field = |name: &str| entries.iter().find(|(k, _)| k.name == name);
            let (when, otherwise) = (field("when"), field("otherwise"));
            if when.is_none() && otherwise.is_none() {
                continue;
            }
            let id = match field("id").map(|(_, v)| &v.kind) {
                Some(NodeKind::Str(s)) => s.clone(),
                _ => continue,
            };
            let Some(i) = issues.iter().position(|x| x.id == id) else { continue };
            if spans[i].is_some() {
                continue; // a duplicate issue: the first one counts
            }
            let (when, otherwise) = match (when, otherwise) {
                (Some(w), Some(o)) => (&w.1, &o.1),
                (Some((key, _)), None) => {
                    self.err(
                        Diagnostic::error(
                            "scenario::condition",
                            key.span,
                            format!("issue `{id}` says when it applies but not what it is otherwise"),
                        )
                        .with_help("add `otherwise = ...`, the value the issue takes when the rule does not hold, e.g. otherwise = \"no\""),
                    );
                    continue;
                }
                (None, Some((key, _))) => {
                    self.err(
                        Diagnostic::error(
                            "scenario::condition",
                            key.span,
                            format!("issue `{id}` has `otherwise` but no `when`"),
                        )
                        .with_help(
                            "add `when = \"RULE\"`, the rule under which the issue applies, or remove `otherwise`",
                        ),
                    );
                    continue;
                }
                (None, None) => unreachable!("checked above"),
            };
            let Some((rule_text, rule)) = self.rule(when, "`when`", issues) else { continue };
            if rule.issues().contains(&i) {
                self.err(
                    Diagnostic::error(
                        "scenario::condition",
                        when.span,
                        format!("the condition of issue `{id}` mentions `{id}` itself"),
                    )
                    .with_label("refers to its own issue")
                    .with_help("a condition says when the issue applies in terms of other issues, e.g. when = \"peace_treaty\""),
                );
                continue;
            }
            let Some(otherwise) = self.value(otherwise, &issues[i], "`otherwise`") else { continue };
            issues[i].condition = Some(Condition { rule_text, rule, otherwise });
            spans[i] = Some(when.span);
        }
        self.condition_cycles(issues, &spans);
    }

    /// Refuses conditions that depend on each other in a cycle (`a` applies
    /// when `b`, `b` when `a`): no outcome of such a pair has one
    /// representative. The conditions of a cycle are removed after the
    /// error, so later checks see an acyclic scenario.
    fn condition_cycles(&mut self, issues: &mut [Issue], spans: &[Option<Span>]) {
        let n = issues.len();
        let deps: Vec<Vec<usize>> = issues
            .iter()
            .map(|x| {
                x.condition.as_ref().map_or(Vec::new(), |c| {
                    c.rule.issues().into_iter().filter(|&j| j < n && issues[j].condition.is_some()).collect()
                })
            })
            .collect();
        // Depth-first search with colours: 0 unvisited, 1 on the path, 2 done.
        let mut colour = vec![0u8; n];
        let mut in_cycle = vec![false; n];
        for start in 0..n {
            if colour[start] != 0 {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            colour[start] = 1;
            while let Some(&mut (v, ref mut next)) = path.last_mut() {
                if let Some(&w) = deps[v].get(*next) {
                    *next += 1;
                    match colour[w] {
                        0 => {
                            colour[w] = 1;
                            path.push((w, 0));
                        }
                        1 => {
                            let from = path.iter().position(|&(x, _)| x == w).unwrap_or(0);
                            for &(x, _) in &path[from..] {
                                in_cycle[x] = true;
                            }
                        }
                        _ => {}
                    }
                } else {
                    colour[v] = 2;
                    path.pop();
                }
            }
        }
        let members: Vec<usize> = (0..n).filter(|&i| in_cycle[i]).collect();
        if let Some(&first) = members.first() {
            let names: Vec<String> = members.iter().map(|&i| format!("`{}`", issues[i].id)).collect();
            let mut d = Diagnostic::error(
                "scenario::condition",
                spans[first].unwrap_or(Span::at(0)),
                format!("the conditions of issues {} depend on each other in a cycle", names.join(", ")),
            )
            .with_label("part of the cycle")
            .with_help("make one of these issues apply always (remove its `when`), or state its condition in terms of issues outside the cycle");
            for &i in &members[1..] {
                if let Some(span) = spans[i] {
                    d = d.with_secondary(span, format!("`{}` here", issues[i].id));
                }
            }
            self.err(d);
            for &i in &members {
                issues[i].condition = None;
            }
        }
    }

    /// Reads an actor's `interactions` array; `None` after an error.
    pub(super) fn interactions(&mut self, node: &Node, issues: &[Issue]) -> Option<Vec<Interaction>> {
        let items = self.array(
            node,
            "`interactions`",
            "write each term as an [[actors.interactions]] table with `label`, `when` and `value`",
        )?;
        let mut out: Vec<Interaction> = Vec::new();
        let mut labels: Vec<Span> = Vec::new();
        let mut ok = true;
        for item in items {
            let Some(obj) = self.obj(item, "an interaction term", INTERACTION_FIELDS) else {
                ok = false;
                continue;
            };
            let label = self
                .required(&obj, "label", "name the term, e.g. label = \"recognition-without-return\"")
                .and_then(|n| self.identifier(n, "interaction label", true));
            let when = self.required(
                &obj,
                "when",
                "say where the term applies, e.g. when = \"recognition and not habomai_shikotan\"",
            );
            let value = self.required(&obj, "value", "give what the term adds to the utility, e.g. value = -0.1");
            let source = self.opt_string(&obj, "source");
            let rule = when.and_then(|n| self.rule(n, "`when`", issues));
            let value = value.and_then(|n| {
                let v = self.number(n, "`value`")?;
                if !(-1.0..=1.0).contains(&v) {
                    self.err(
                        Diagnostic::error("scenario::interaction", n.span, format!("an interaction term of {v} leaves -1 to 1"))
                            .with_label("outside [-1, 1]")
                            .with_help("a term is in utility units: utilities run from 0 to 1, so a term adds at most 1 and takes away at most 1"),
                    );
                    return None;
                }
                Some(v)
            });
            let (Some((label, span)), Some((rule_text, rule)), Some(value)) = (label, rule, value) else {
                ok = false;
                continue;
            };
            if let Some(k) = out.iter().position(|t| t.label == label) {
                self.err(
                    Diagnostic::error(
                        "scenario::duplicate",
                        span,
                        format!("two interaction terms have the label `{label}`"),
                    )
                    .with_secondary(labels[k], "first used here")
                    .with_help("labels name terms in --set paths; make each unique within the actor"),
                );
                ok = false;
                continue;
            }
            labels.push(span);
            out.push(Interaction { label, rule_text, rule, value, source, origin: crate::scenario::Origin::Own });
        }
        ok.then_some(out)
    }
}

/// Whether a status quo `sq` keeps every moot issue at its `otherwise`
/// value; the first issue that does not, when one does not.
pub(super) fn moot_in(issues: &[Issue], sq: &[Value]) -> Option<usize> {
    issues
        .iter()
        .enumerate()
        .position(|(i, issue)| issue.condition.as_ref().is_some_and(|c| sq[i] != c.otherwise && !c.rule.holds(sq)))
}
