"""Peer reading of a staged game written by `detente export-game`, with pygambit.

Usage: python gambit_game_peer.py GAME.efg [GAME.efg ...]

For each file, prints one JSON line:
  {"file", "players", "nodes", "payoffs": {player: float},
   "path": [action label, ...], "profile_payoffs": {player: float},
   "subgame_regret", "agent_max_regret"}

What it does (docs/games.md, "Cross-check with Gambit"):
1. pygambit parses the .efg (gbt.read_efg): players, nodes, actions, chance
   probabilities (exact rationals) and outcome payoffs.
2. Backward induction over pygambit's own tree: a terminal is worth its
   outcome's payoffs, a chance node the probability-weighted sum of its
   children, a decision node the child worth most to the mover, the first
   of those within 1e-12 of the best (detente's documented tie rule; with
   responders' actions listed accept, reject, a responder accepts when
   indifferent). pygambit has no subgame-perfect solver, so this is the
   peer's SPE; `payoffs` are its root values and `path` the action labels
   along the equilibrium path with every chance node taking its first
   action ("honoured").
3. That pure profile is handed to pygambit as a MixedBehaviorProfile and
   pygambit's own evaluation gives `profile_payoffs` (its expected payoffs
   at the root), `subgame_regret` (the largest gain any mover would get at
   any decision node, reached or not, by switching to another action,
   from pygambit's `node_value` of the children under the profile: 0 means
   no profitable one-shot deviation in any subgame, which in a finite game
   of perfect information is subgame perfection, hence also a Nash
   equilibrium) and `agent_max_regret` (pygambit's own regret, which only
   counts information sets the profile reaches with positive probability).
   pygambit's `max_regret` (Nash regret) is not used: it converts the
   profile to the strategic form, whose size is exponential in the number
   of nodes.
"""

import json
import sys

import pygambit as gbt

TIE = 1e-12


def solve(game):
    players = list(game.players)
    value = {}
    choice = {}
    # Post-order without recursion (trees can be deep in rounds x phases).
    stack = [(game.root, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            stack.append((node, True))
            for child in node.children:
                stack.append((child, False))
            continue
        if node.is_terminal:
            value[node] = [float(node.outcome[p]) if node.outcome else 0.0 for p in players]
        elif node.player.is_chance:
            acts = list(node.infoset.actions)
            vals = [0.0] * len(players)
            for a, child in zip(acts, node.children):
                p = float(a.prob)
                for k in range(len(players)):
                    vals[k] += p * value[child][k]
            value[node] = vals
        else:
            mover = players.index(node.player)
            kids = list(node.children)
            best = max(value[c][mover] for c in kids)
            pick = next(i for i, c in enumerate(kids) if value[c][mover] >= best - TIE)
            choice[node] = pick
            value[node] = value[kids[pick]]
    return players, value, choice


def path_labels(game, choice):
    labels = []
    node = game.root
    while not node.is_terminal:
        acts = list(node.infoset.actions)
        k = 0 if node.player.is_chance else choice[node]
        labels.append(acts[k].label)
        node = list(node.children)[k]
    return labels


def profile_of(game, choice):
    profile = game.mixed_behavior_profile(rational=False)
    for node, pick in choice.items():
        for k, action in enumerate(node.infoset.actions):
            profile[action] = 1.0 if k == pick else 0.0
    return profile


def subgame_regret(game, profile, choice):
    worst = 0.0
    for node, pick in choice.items():
        kids = list(node.children)
        value = [float(profile.node_value(node.player, c)) for c in kids]
        worst = max(worst, max(value) - value[pick])
    return worst


def count_nodes(game):
    n, stack = 0, [game.root]
    while stack:
        node = stack.pop()
        n += 1
        stack.extend(node.children)
    return n


def main(paths):
    for path in paths:
        game = gbt.read_efg(path)
        players, value, choice = solve(game)
        profile = profile_of(game, choice)
        print(json.dumps({
            "file": path,
            "players": [p.label for p in players],
            "nodes": count_nodes(game),
            "payoffs": {p.label: value[game.root][k] for k, p in enumerate(players)},
            "path": path_labels(game, choice),
            "profile_payoffs": {p.label: float(profile.payoff(p)) for p in players},
            "subgame_regret": subgame_regret(game, profile, choice),
            "agent_max_regret": float(profile.agent_max_regret()),
        }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
