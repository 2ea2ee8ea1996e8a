//! Gambit's extensive-form text format (`.efg`, "EFG 2 R") for a staged
//! game ([`crate::analysis::game`]; `docs/games.md`).
//!
//! Players are the scenario's actors in order (player `k + 1` is actor
//! `k`), so every actor's payoff is in the file, movers or not. The nodes
//! are written in the game's preorder; every decision node is its own
//! information set (perfect information). Node and information-set labels
//! are left empty: Gambit requires them unique and checks that in time
//! quadratic in their number (a 25,000-node game with numbered labels took
//! pygambit 16.7 two minutes to read, 0.7 s without); the actions and the
//! outcomes carry the meaning. Chance nodes carry the commitment as an
//! exact fraction whose two branches sum to exactly 1.
//! Payoffs are the shortest decimals that read back as the same `f64`, so
//! a reader comparing within 10⁻⁹ sees detente's numbers.

use std::fmt::Write as _;

use crate::analysis::game::{settlement, Game, Node};
use crate::scenario::Scenario;

/// The game as `.efg` text.
pub fn to_efg(scenario: &Scenario, game: &Game) -> String {
    let mut out = String::new();
    let players: Vec<String> = scenario.actors.iter().map(|a| quote(&a.id)).collect();
    let title = format!("{}: plan {}, {} round(s) per phase", scenario.name, game.plan.name, game.rounds);
    let _ = writeln!(out, "EFG 2 R {} {{ {} }}", quote(&title), players.join(" "));
    let _ = writeln!(
        out,
        "{}\n",
        quote("Written by detente export-game (docs/games.md). Players are the scenario's actors. Phases are played in order; a proposer's actions are the settlements of the phase's issues, a responder's accept and reject; a chance node honours the next phase's promise with the plan's commitment.")
    );
    // Information sets are numbered per player (chance is its own player).
    let mut infosets = vec![0usize; scenario.actors.len()];
    let mut chance_sets = 0usize;
    for node in &game.nodes {
        match node {
            Node::Propose { actor, phase, options, .. } => {
                infosets[*actor] += 1;
                let issues = &game.plan.phases[*phase];
                let actions: Vec<String> = options.iter().map(|o| quote(&settlement(scenario, issues, o))).collect();
                let _ = writeln!(out, "p \"\" {} {} \"\" {{ {} }} 0", actor + 1, infosets[*actor], actions.join(" "));
            }
            Node::Respond { actor, .. } => {
                infosets[*actor] += 1;
                let _ = writeln!(out, "p \"\" {} {} \"\" {{ \"accept\" \"reject\" }} 0", actor + 1, infosets[*actor]);
            }
            Node::Chance { commitment, .. } => {
                chance_sets += 1;
                let (honoured, broken) = fractions(*commitment);
                let _ = writeln!(out, "c \"\" {chance_sets} \"\" {{ \"honoured\" {honoured} \"broken\" {broken} }} 0");
            }
            Node::End(t) => {
                let terminal = &game.terminals[*t];
                let label = if terminal.agreed {
                    settlement(scenario, &(0..scenario.issues.len()).collect::<Vec<_>>(), &terminal.outcome)
                } else {
                    "no agreement".to_string()
                };
                let payoffs: Vec<String> = terminal.payoffs.iter().map(|&p| decimal(p)).collect();
                let _ = writeln!(out, "t \"\" {} {} {{ {} }}", t + 1, quote(&label), payoffs.join(", "));
            }
        }
    }
    out
}

/// A Gambit label: double quotes, with `"` and `\` escaped.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `x` as the shortest decimal that reads back as the same `f64` (Rust
/// never writes an exponent for `{}`); `-0` as `0`.
pub fn decimal(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else {
        format!("{x}")
    }
}

/// The probability `c` (in `[0, 1]`) as the exact fraction of its shortest
/// decimal, and `1 − c` as the fraction that completes it to exactly 1.
pub fn fractions(c: f64) -> (String, String) {
    let c = c.clamp(0.0, 1.0);
    // Tiny commitments would need denominators beyond u128: 30 places.
    let shortest = format!("{c}");
    let text = if shortest.len() > 32 { format!("{c:.30}") } else { shortest };
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let den = 10u128.pow(frac.len() as u32);
    let num = whole.parse::<u128>().unwrap_or(0) * den + frac.parse::<u128>().unwrap_or(0);
    let reduced = |n: u128| {
        let g = gcd(n, den);
        if den / g == 1 {
            format!("{}", n / g)
        } else {
            format!("{}/{}", n / g, den / g)
        }
    };
    (reduced(num), reduced(den - num))
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a.max(1)
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_sum_to_one() {
        assert_eq!(fractions(0.7), ("7/10".into(), "3/10".into()));
        assert_eq!(fractions(1.0), ("1".into(), "0".into()));
        assert_eq!(fractions(0.0), ("0".into(), "1".into()));
        assert_eq!(fractions(0.125), ("1/8".into(), "7/8".into()));
        assert_eq!(decimal(-0.0), "0");
        assert_eq!(decimal(0.30000000000000004).parse::<f64>().unwrap(), 0.30000000000000004);
    }
}
