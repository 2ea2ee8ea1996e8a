//! `detente export-game`'s summary of detente's own solution of the staged
//! game: text (for standard error beside the written `.efg`) and the
//! `detente.game/1` document (`docs/games.md`).

use std::fmt::Write as _;

use detente::analysis::game::{settlement, Equilibrium, Game, Node};
use detente::scenario::Scenario;
use serde_json::{json, Map, Value as Json};

use crate::analysis::value_json;
use crate::text::changes_text;

/// One move of the equilibrium path in words and as JSON fields.
struct Move {
    phase: usize,
    round: Option<usize>,
    actor: Option<String>,
    kind: &'static str,
    action: String,
}

/// The moves along the equilibrium path (promises honoured).
fn moves(s: &Scenario, game: &Game, eq: &Equilibrium) -> Vec<Move> {
    let mut out = Vec::new();
    for &k in &eq.path {
        match &game.nodes[k] {
            Node::Propose { actor, phase, round, options, .. } => out.push(Move {
                phase: *phase,
                round: Some(*round),
                actor: Some(s.actors[*actor].id.clone()),
                kind: "propose",
                action: settlement(s, &game.plan.phases[*phase], &options[eq.choice[k]]),
            }),
            Node::Respond { actor, phase, round, .. } => out.push(Move {
                phase: *phase,
                round: Some(*round),
                actor: Some(s.actors[*actor].id.clone()),
                kind: "respond",
                action: if eq.choice[k] == 0 { "accept" } else { "reject" }.into(),
            }),
            Node::Chance { phase, commitment, .. } => out.push(Move {
                phase: *phase,
                round: None,
                actor: None,
                kind: "chance",
                action: format!("promise of phase {} honoured (probability {commitment})", phase + 2),
            }),
            Node::End(_) => {}
        }
    }
    out
}

/// Where the equilibrium path ends (promises honoured).
fn end<'g>(game: &'g Game, eq: &Equilibrium) -> &'g detente::analysis::game::Terminal {
    match game.nodes[*eq.path.last().expect("a path has an end")] {
        Node::End(t) => &game.terminals[t],
        _ => unreachable!("a path ends at an end"),
    }
}

/// The summary in words: size, each actor's subgame-perfect payoff, the
/// path and where it ends.
pub fn to_text(s: &Scenario, game: &Game, eq: &Equilibrium) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "plan `{}`, {} round{} per phase: {} nodes, {} distinct ends",
        game.plan.name,
        game.rounds,
        if game.rounds == 1 { "" } else { "s" },
        game.nodes.len(),
        game.terminals.len()
    );
    let _ = writeln!(out, "subgame-perfect payoffs (detente's backward induction):");
    for (a, u) in eq.payoffs.iter().enumerate() {
        let _ = writeln!(out, "  {:<20} {u}", s.actors[a].id);
    }
    let _ = writeln!(out, "equilibrium path (promises honoured):");
    for m in moves(s, game, eq) {
        let when = m.round.map(|r| format!("phase {} round {}: ", m.phase + 1, r + 1)).unwrap_or_default();
        let what = match (&m.actor, m.kind) {
            (Some(a), "propose") => format!("{a} proposes {}", m.action),
            (Some(a), _) => format!("{a} {}s", m.action),
            (None, _) => m.action.clone(),
        };
        let _ = writeln!(out, "  {when}{what}");
    }
    let t = end(game, eq);
    let ends = if t.agreed { changes_text(s, &t.outcome) } else { "no agreement (reservation values)".into() };
    let _ = writeln!(out, "ends at: {ends}");
    out
}

/// The `detente.game/1` document.
pub fn to_json(s: &Scenario, game: &Game, eq: &Equilibrium) -> Json {
    let mut payoffs = Map::new();
    for (a, u) in eq.payoffs.iter().enumerate() {
        payoffs.insert(s.actors[a].id.clone(), json!(u));
    }
    let path: Vec<Json> = moves(s, game, eq)
        .into_iter()
        .map(|m| {
            json!({"phase": m.phase + 1, "round": m.round.map(|r| r + 1), "actor": m.actor, "move": m.kind, "action": m.action})
        })
        .collect();
    let t = end(game, eq);
    let mut outcome = Map::new();
    for (i, v) in t.outcome.iter().enumerate() {
        outcome.insert(s.issues[i].id.clone(), value_json(s, i, v));
    }
    json!({
        "schema": "detente.game/1",
        "scenario": s.name,
        "plan": game.plan.name,
        "rounds": game.rounds,
        "nodes": game.nodes.len(),
        "terminals": game.terminals.len(),
        "players": s.actors.iter().map(|a| a.id.clone()).collect::<Vec<_>>(),
        "payoffs": payoffs,
        "path": path,
        "outcome": outcome,
        "agreed": t.agreed,
    })
}
