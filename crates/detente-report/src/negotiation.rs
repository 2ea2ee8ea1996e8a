//! `detente negotiate` output: a readable account of simulated talks and the
//! `detente.negotiation/1` JSON document (documented in
//! `docs/negotiation.md`).

use std::fmt::Write as _;

use detente::negotiation::domain::{Domain, RejectionRole};
use detente::negotiation::evaluate::Evaluation;
use detente::negotiation::{Action, Deadline, Ending, Session};
use detente::scenario::Scenario;
use serde_json::{json, Map, Value as Json};

use crate::analysis::value_json;
use crate::plot::plane::{utility_plane_with, Overlay};
use crate::plot::{Figure, PlotError};

/// Name and version of the JSON document.
pub const SCHEMA: &str = "detente.negotiation/1";

/// Everything about one simulated negotiation, for rendering.
pub struct Talks<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its compiled domain.
    pub domain: &'a Domain,
    /// `alternating` or `mediated`.
    pub protocol: &'a str,
    /// The deadline.
    pub deadline: Deadline,
    /// The seed.
    pub seed: u64,
    /// Strategy per party, in move order, as written in the document: a
    /// spec's canonical form (`Spec::to_string`) or a custom negotiator's
    /// label.
    pub strategies: &'a [String],
    /// Per party, whether its strategy was the default (not given).
    pub defaulted: &'a [bool],
    /// The session, with its trace.
    pub session: &'a Session,
    /// Its evaluation.
    pub evaluation: &'a Evaluation,
}

impl Talks<'_> {
    fn id(&self, actor: usize) -> &str {
        &self.scenario.actors[actor].id
    }

    fn outcome_json(&self, k: usize) -> Json {
        let mut m = Map::new();
        for (i, v) in self.domain.outcome(k).iter().enumerate() {
            m.insert(self.scenario.issues[i].id.clone(), value_json(self.scenario, i, v));
        }
        Json::Object(m)
    }

    /// Outcome `k` as its changes from the status quo.
    fn outcome_text(&self, k: usize) -> String {
        crate::text::changes_text(self.scenario, &self.domain.outcome(k))
    }

    fn party_map(&self, values: &[f64]) -> Json {
        let mut m = Map::new();
        for (&p, &v) in self.session.parties.iter().zip(values) {
            m.insert(self.id(p).to_string(), json!(v));
        }
        Json::Object(m)
    }

    /// Labels of the constraints outcome `k` breaks.
    fn breaks(&self, k: usize) -> Vec<&str> {
        let mask = self.domain.violations(k);
        self.scenario
            .constraints
            .iter()
            .enumerate()
            .filter(|(c, _)| mask & (1 << c) != 0)
            .map(|(_, c)| c.label.as_str())
            .collect()
    }

    /// Every party's utility of outcome `k`, in move order.
    fn utilities(&self, k: usize) -> Vec<f64> {
        self.session.parties.iter().map(|&p| self.domain.preferences(p).utility(k)).collect()
    }
}

fn role_str(r: RejectionRole) -> &'static str {
    match r {
        RejectionRole::Ratifier => "ratifier",
        RejectionRole::Veto => "veto",
        RejectionRole::Constraint(_) => "constraint",
    }
}

/// One move of the session's trace as a JSON object.
fn move_json(t: &Talks<'_>, ev: &detente::negotiation::Event) -> Json {
    let actor = ev.actor.map_or(Json::Null, |a| json!(t.id(a)));
    let (action, outcome, yes) = match ev.action {
        Action::Offer(k) => ("offer", Some(k), None),
        Action::Accept(k) => ("accept", Some(k), None),
        Action::Reject(k) => ("reject", Some(k), None),
        Action::End => ("end", None, None),
        Action::Propose(k) => ("propose", Some(k), None),
        Action::Vote { proposal, yes } => ("vote", Some(proposal), Some(yes)),
        Action::Text(k) => ("text", Some(k), None),
    };
    let mut m = Map::new();
    m.insert("round".into(), json!(ev.round));
    m.insert("time".into(), json!(ev.time));
    m.insert("actor".into(), actor);
    m.insert("action".into(), json!(action));
    if let Some(k) = outcome {
        m.insert("outcome".into(), t.outcome_json(k));
        m.insert("utilities".into(), t.party_map(&t.utilities(k)));
        m.insert("breaks".into(), json!(t.breaks(k)));
    }
    if let Some(yes) = yes {
        m.insert("yes".into(), json!(yes));
    }
    Json::Object(m)
}

/// How much of the session's steps a document carries in `trace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TraceDetail {
    /// Every step: offers, answers, votes, texts, statements, reactions.
    #[default]
    Full,
    /// The offers (and mediator texts), statements and reactions, without
    /// the answers and votes: about half the size.
    Offers,
    /// None: `trace` is empty.
    None,
}

/// The `detente.negotiation/1` document with the whole trace.
pub fn to_json(t: &Talks<'_>) -> Json {
    to_json_with(t, TraceDetail::Full)
}

/// The `detente.negotiation/1` document, its `trace` as `detail` says.
pub fn to_json_with(t: &Talks<'_>, detail: TraceDetail) -> Json {
    let s = t.session;
    let e = t.evaluation;
    let strategies: Map<String, Json> = s
        .parties
        .iter()
        .zip(t.strategies)
        .zip(t.defaulted)
        .map(|((&p, spec), &d)| (t.id(p).to_string(), json!({ "strategy": spec, "default": d })))
        .collect();
    // Statements made during the talks, each followed by its reactions,
    // placed before the moves of their round.
    let mut said: Vec<(usize, Json)> = Vec::new();
    for (k, e) in t.scenario.events.iter().enumerate() {
        let Some(round) = t.scenario.event_round(k).and_then(|r| usize::try_from(r).ok()) else { continue };
        if round >= s.rounds {
            continue;
        }
        let time = t.deadline.relative_time(round, 0.0);
        for &st in &e.statements {
            let x = &t.scenario.statements[st];
            said.push((
                round,
                json!({
                    "round": round,
                    "time": time,
                    "actor": t.id(x.by),
                    "action": "statement",
                    "statement": x.id,
                    "kind": x.kind.as_str(),
                    "says": x.says,
                    "pledge": x.pledge_text,
                    "audience_cost": x.audience_cost,
                    "heard_by": x.heard_by.iter().map(|&a| t.id(a)).collect::<Vec<_>>(),
                    "event": e.id,
                }),
            ));
            for r in &x.reactions {
                let who = detente::scenario::decode::reacting_actor(t.scenario, r);
                said.push((
                    round,
                    json!({
                        "round": round,
                        "time": time,
                        "actor": t.id(who),
                        "action": "reaction",
                        "statement": x.id,
                        "change": r.describe(t.scenario),
                    }),
                ));
            }
        }
    }
    said.sort_by_key(|(r, _)| *r);
    let mut said = said.into_iter().peekable();
    let mut trace: Vec<Json> = Vec::new();
    if detail != TraceDetail::None {
        for ev in &s.trace {
            while let Some((_, j)) = said.next_if(|(r, _)| *r <= ev.round) {
                trace.push(j);
            }
            if detail == TraceDetail::Full || matches!(ev.action, Action::Offer(_) | Action::Text(_)) {
                trace.push(move_json(t, ev));
            }
        }
        trace.extend(said.map(|(_, j)| j));
    }
    let mut doc = json!({
        "schema": SCHEMA,
        "scenario": t.scenario.name,
        "protocol": t.protocol,
        "rounds": t.deadline.rounds,
        "seed": t.seed,
        "parties": s.parties.iter().map(|&p| t.id(p)).collect::<Vec<_>>(),
        "strategies": strategies,
        "result": {
            "ending": s.ending.as_str(),
            "walked_out": match s.ending { Ending::Walkout(a) => json!(t.id(a)), _ => Json::Null },
            "agreement": s.agreement.map(|k| t.outcome_json(k)),
            "rounds_used": s.rounds,
            "time": s.time,
            "stands": e.stands,
            "rejected_by": e.rejections.iter().map(|r| json!({
                "actor": t.id(r.actor),
                "role": role_str(r.role),
                "constraint": match r.role {
                    RejectionRole::Constraint(c) => json!(t.scenario.constraints[c].label),
                    _ => Json::Null,
                },
                "utility": r.utility,
                "reservation": r.reservation,
            })).collect::<Vec<_>>(),
            "utilities": t.party_map(&e.utilities),
            "discounted": t.party_map(&e.discounted),
            "welfare": e.welfare,
            "advantage": t.party_map(&e.advantage),
            "pareto_distance": e.pareto_distance,
            "nash_distance": e.nash_distance,
            "kalai_distance": e.kalai_distance,
            "ks_distance": e.ks_distance,
        },
        "trace": null,
    });
    if !t.scenario.events.is_empty() {
        doc["calendar"] = Json::Array(
            calendar(t.scenario)
                .into_iter()
                .map(|(k, round, deadline_of)| {
                    json!({
                        "event": t.scenario.events[k].id,
                        "round": round,
                        "changes": crate::text::event_changes(t.scenario, k),
                        "deadline_of": deadline_of.iter().map(|&a| t.id(a)).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        );
    }
    // Only sessions with a negotiator that keeps a posterior have one: the
    // documents of every other session are unchanged.
    if !s.posteriors.is_empty() {
        doc["posterior"] = Json::Array(
            s.posteriors
                .iter()
                .map(|r| {
                    json!({
                        "round": r.round,
                        "holder": t.id(r.holder),
                        "about": t.id(r.about),
                        "hypotheses": r.hypotheses.iter().map(|(name, p)| json!({ "name": name, "probability": p })).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        );
    }
    // Moved in rather than given to `json!`, which would copy it whole.
    doc["trace"] = Json::Array(trace);
    doc
}

/// Per `(holder, about)` pair, in order of first appearance, the last
/// recorded posterior.
fn final_posteriors(s: &Session) -> Vec<&detente::negotiation::PosteriorRecord> {
    let mut out: Vec<&detente::negotiation::PosteriorRecord> = Vec::new();
    for r in &s.posteriors {
        match out.iter_mut().find(|o| (o.holder, o.about) == (r.holder, r.about)) {
            Some(o) => *o = r,
            None => out.push(r),
        }
    }
    out
}

/// The scenario's events as talks see them: `(event, round, parties whose
/// deadline it is)`; the round is `None` when talks cannot place it.
fn calendar(s: &Scenario) -> Vec<(usize, Option<u64>, Vec<usize>)> {
    (0..s.events.len()).map(|k| (k, s.event_round(k), s.deadline_of(k))).collect()
}

/// The calendar in words, one line per event.
fn calendar_text(out: &mut String, t: &Talks<'_>) {
    let s = t.scenario;
    if s.events.is_empty() {
        return;
    }
    let _ = writeln!(out, "Calendar:");
    for (k, round, deadline_of) in calendar(s) {
        let e = &s.events[k];
        let mut what = crate::text::event_changes(s, k);
        for &a in &deadline_of {
            what.push(format!("{}'s deadline: it walks away then", t.id(a)));
        }
        if what.is_empty() {
            what.push("changes nothing".into());
        }
        let when = match round {
            Some(r) if r as usize >= t.deadline.rounds => format!("round {r} (after these talks end)"),
            Some(r) => format!("round {r}"),
            None => "no round (give it `round`, or a [calendar] for its date)".into(),
        };
        let _ = writeln!(out, "  {when}: {} — {}", e.title(), what.join("; "));
    }
}

fn num(v: f64) -> String {
    format!("{v:.3}")
}

/// A readable account: strategies, the result (and why there is none), the
/// yardsticks and the offers (all of them up to `max_offers`, otherwise the
/// first and last halves).
pub fn to_text(t: &Talks<'_>, max_offers: usize) -> String {
    let s = t.session;
    let e = t.evaluation;
    let mut out = String::new();
    let protocol = match t.protocol {
        "mediated" => "single-text mediated protocol",
        _ => "stacked alternating offers",
    };
    let _ = writeln!(out, "{} — simulated talks", t.scenario.name);
    let _ = writeln!(
        out,
        "Protocol: {protocol}, deadline {}, seed {}",
        crate::text::plural(t.deadline.rounds as u64, "round", "rounds"),
        t.seed
    );
    let _ = writeln!(out, "Strategies (in move order):");
    for ((&p, spec), &d) in s.parties.iter().zip(t.strategies).zip(t.defaulted) {
        let _ = writeln!(out, "  {}: {spec}{}", t.id(p), if d { " (default)" } else { "" });
    }
    calendar_text(&mut out, t);
    let _ = writeln!(out);
    match (s.agreement, s.ending) {
        (Some(k), _) => {
            let _ = writeln!(
                out,
                "Agreement in round {} of 0–{} (relative time {:.3}):",
                s.rounds.saturating_sub(1),
                t.deadline.rounds.saturating_sub(1),
                s.time
            );
            let _ = writeln!(out, "  {}", t.outcome_text(k));
            if e.stands {
                let _ = writeln!(out, "It stands: every ratifier and veto holder accepts it.");
            } else {
                let _ = writeln!(out, "It does not stand:");
                for r in &e.rejections {
                    let why = match r.role {
                        RejectionRole::Ratifier => "must ratify it",
                        RejectionRole::Veto => "holds a veto over an issue it changes",
                        RejectionRole::Constraint(c) => {
                            let c = &t.scenario.constraints[c];
                            let _ = writeln!(
                                out,
                                "  it breaks `{}` ({}), which {} insists on",
                                c.label,
                                c.rule_text,
                                t.id(r.actor)
                            );
                            continue;
                        }
                    };
                    let _ = writeln!(
                        out,
                        "  {} {why} and rejects it: worth {} to it, below its reservation {}",
                        t.id(r.actor),
                        num(r.utility),
                        num(r.reservation)
                    );
                }
                let _ = writeln!(out, "  so the parties are left with no agreement.");
            }
        }
        (None, Ending::Walkout(a)) => {
            let round = s.rounds.saturating_sub(1);
            let deadline = t.scenario.actors[a]
                .deadline
                .filter(|&k| t.scenario.event_round(k) == Some(round as u64))
                .map(|k| format!(" at its deadline, {}", t.scenario.events[k].title()));
            let _ = writeln!(
                out,
                "No agreement: {} walked away in round {round}{}.",
                t.id(a),
                deadline.unwrap_or_default()
            );
        }
        (None, _) => {
            let _ = writeln!(
                out,
                "No agreement: the deadline passed after {} without an outcome every party accepted.",
                crate::text::plural(s.rounds as u64, "round", "rounds")
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Result for each party (utility; discounted to the end of the talks):");
    for (k, &p) in s.parties.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}: {} ({}); reservation {}",
            t.id(p),
            num(e.utilities[k]),
            num(e.discounted[k]),
            num(t.domain.at(s.rounds.saturating_sub(1)).preferences(p).reservation)
        );
    }
    // How good the agreement is means something only when there is one.
    if s.agreement.is_some() && e.pareto_distance.is_nan() {
        let _ = writeln!(out, "Welfare (sum of the parties' discounted utilities): {}", num(e.welfare));
        let _ = writeln!(
            out,
            "Pareto frontier and Nash point: unknown (the space is too large to list and the utilities are not additive)"
        );
    } else if s.agreement.is_some() {
        let _ = writeln!(out, "Welfare (sum of the parties' discounted utilities): {}", num(e.welfare));
        let _ = writeln!(
            out,
            "Distance to the Pareto frontier: {} (0 = on the frontier: no outcome is better for one party without being worse for the other)",
            num(e.pareto_distance)
        );
        match e.nash_distance {
            Some(d) => {
                let _ =
                    writeln!(out, "Distance to the Nash point: {} (0 = the Nash bargaining solution itself)", num(d));
            }
            None => {
                let _ = writeln!(out, "Nash point: none (no outcome gives every party more than its reservation)");
            }
        }
    }
    let last = final_posteriors(s);
    if !last.is_empty() {
        let _ = writeln!(out);
        let _ =
            writeln!(out, "Posterior (what a Bayesian party believes the other's utility is, after the last round):");
        for r in last {
            let top: Vec<String> = r
                .hypotheses
                .iter()
                .take(3)
                .map(|(name, p)| format!("{} {}", if name.is_empty() { "(one hypothesis)" } else { name }, num(*p)))
                .collect();
            let _ =
                writeln!(out, "  {} about {}, round {}: {}", t.id(r.holder), t.id(r.about), r.round, top.join("; "));
        }
    }
    // One line per offer; a party repeating its last offer extends that
    // line's round range instead.
    struct Line {
        first: usize,
        last: usize,
        who: String,
        outcome: usize,
    }
    let mut lines: Vec<Line> = Vec::new();
    for ev in &s.trace {
        let (Action::Offer(k) | Action::Text(k)) = ev.action else { continue };
        let who = ev.actor.map_or("mediator".to_string(), |a| t.id(a).to_string());
        match lines.iter_mut().rev().find(|l| l.who == who) {
            Some(l) if l.outcome == k => l.last = ev.round,
            _ => lines.push(Line { first: ev.round, last: ev.round, who, outcome: k }),
        }
    }
    if !lines.is_empty() {
        let _ = writeln!(out);
        let heading = if t.protocol == "mediated" { "Texts" } else { "Offers" };
        let ids: Vec<&str> = s.parties.iter().map(|&p| t.id(p)).collect();
        let _ = writeln!(
            out,
            "{heading} (utility to {}; a repeated offer is listed once with its rounds):",
            ids.join(" / ")
        );
        let show = |out: &mut String, l: &Line| {
            let rounds = if l.first == l.last { format!("{}", l.first) } else { format!("{}–{}", l.first, l.last) };
            let u: Vec<String> = t.utilities(l.outcome).iter().map(|&u| num(u)).collect();
            let _ = writeln!(
                out,
                "  round {rounds:>9}  {:<12} {}  {}{}",
                l.who,
                u.join(" / "),
                t.outcome_text(l.outcome),
                breaks_mark(t.scenario, t.domain.violations(l.outcome))
            );
        };
        if lines.len() <= max_offers {
            for l in &lines {
                show(&mut out, l);
            }
        } else {
            let half = max_offers / 2;
            for l in &lines[..half] {
                show(&mut out, l);
            }
            let _ =
                writeln!(out, "  … {} more (--offers N shows more; --json prints every step)", lines.len() - 2 * half);
            for l in &lines[lines.len() - half..] {
                show(&mut out, l);
            }
        }
    }
    out
}

/// `  [breaks `label` (owner), …]` for an offer that breaks constraints (a
/// party offers what breaks a constraint it believes will be dropped);
/// empty otherwise.
fn breaks_mark(scenario: &Scenario, violations: u64) -> String {
    if violations == 0 {
        return String::new();
    }
    let labels: Vec<String> = (0..scenario.constraints.len())
        .filter(|&c| violations & (1 << c) != 0)
        .map(|c| {
            let c = &scenario.constraints[c];
            format!("`{}` ({})", c.label, scenario.actors[c.owner].id)
        })
        .collect();
    format!("  [breaks {}]", labels.join(", "))
}

/// The talks on the utility plane of `analysis` (an analysis of the same
/// scenario, with a density for the outcomes): every party's offers (or,
/// in the single-text protocol, the mediator's texts) in order, and the
/// agreement.
pub fn plot(t: &Talks<'_>, analysis: &detente::analysis::Analysis) -> Result<Figure, PlotError> {
    let utilities =
        |k: usize| -> Vec<f64> { analysis.parties.iter().map(|&p| t.domain.preferences(p).utility(k)).collect() };
    let mut paths: Vec<(String, Vec<Vec<f64>>)> = Vec::new();
    for ev in &t.session.trace {
        let (who, k) = match ev.action {
            Action::Offer(k) => {
                (ev.actor.map_or("mediator".to_string(), |a| t.scenario.actors[a].display_name().to_string()), k)
            }
            Action::Text(k) => ("the mediator (texts)".to_string(), k),
            _ => continue,
        };
        match paths.iter_mut().find(|(name, _)| *name == who) {
            Some((_, p)) => p.push(utilities(k)),
            None => paths.push((who, vec![utilities(k)])),
        }
    }
    // Consecutive repeats of one text say nothing new.
    for (_, p) in &mut paths {
        p.dedup();
    }
    let overlay = Overlay { paths, agreement: t.session.agreement.map(utilities), stands: t.evaluation.stands };
    utility_plane_with(t.scenario, analysis, Some(&overlay))
}

/// The posterior of the session's Bayesian negotiators by round
/// ([`crate::plot::posterior`]); [`PlotError::Nothing`] when none kept one.
pub fn plot_posterior(t: &Talks<'_>) -> Result<Figure, PlotError> {
    crate::plot::posterior::posterior(t.scenario, t.session)
}
