"""Peer reading of a staged game written by `detente export-game`, with pygambit 17.

Usage: python gambit_game_peer.py GAME.efg [GAME.efg ...]

For each file, prints one JSON line:
  {"file", "players", "nodes", "payoffs": {player: float},
   "path": [action label, ...], "profile_payoffs": {player: float},
   "subgame_regret", "agent_max_regret"}

Written for pygambit 17.0.0b2 (pinned in scripts/peers.sh), whose API names
a node by its history, the action labels from the root (`H.path(...)`),
instead of handing out node objects. What it does (docs/games.md,
"Cross-check with Gambit"):
1. pygambit parses the .efg (gbt.read_efg) and the peer reads the tree back
   through pygambit only, walking it from the root: at each history the
   actions in file order (`get_actions`; none means a terminal), chance
   probabilities as exact rationals (`get_action_probs`; non-empty means a
   chance node), the mover (`get_player`), the outcome at a terminal
   (`get_outcome`) and its payoffs (`get_outcome_payoffs`, by outcome
   label; the labels must be distinct). `nodes` counts the histories
   visited, which must be exactly the nodes pygambit evaluates in step 3.
2. Backward induction over that tree: a terminal is worth its outcome's
   payoffs, a chance node the probability-weighted sum of its children, a
   decision node the child worth most to the mover, the first of those
   within 1e-12 of the best (detente's documented tie rule; with
   responders' actions listed accept, reject, a responder accepts when
   indifferent). pygambit has no subgame-perfect solver, so this is the
   peer's SPE; `payoffs` are its root values and `path` the action labels
   along the equilibrium path with every chance node taking its first
   action ("honoured").
3. That pure profile is handed to pygambit as a MixedBehaviorProfile
   (`set_mixed_action` at every decision node, every action given a
   weight) and pygambit's own evaluation gives `profile_payoffs`
   (`payoffs`, its expected payoffs at the root), `subgame_regret` and
   `agent_max_regret`. `subgame_regret` is the largest gain any mover would
   get at any decision node, reached or not, by switching to another
   action, from pygambit's `history_values`: every player's expected payoff
   conditional on reaching each node, which pygambit 17 gives at every node,
   also those the profile reaches with probability 0 (the counterpart of
   16.x's `node_value`). 0 means no profitable one-shot deviation in any
   subgame, which in a finite game of perfect information is subgame
   perfection, hence also a Nash equilibrium. The peer also requires every
   decision node's value to be the value of the child it chose, for every
   player: the profile pygambit holds plays the peer's choices (it would
   not if two decision nodes shared an information set; that is not
   checked separately, `get_members` costing 5.5 s on a 25,000-node game).
   `agent_max_regret` is pygambit's own regret, which only counts
   information sets the profile reaches with positive probability.
   pygambit's `action_values` and `infoset_values` are not used: they are
   `None` at information sets reached with probability 0, so they see only
   the path (`history_values` covers them). pygambit's `max_regret` (Nash
   regret) is not used: it converts the profile to the strategic form,
   whose size is exponential in the number of nodes.
"""
import json
import sys

import pygambit as gbt
from pygambit import H

TIE = 1e-12

# pygambit 17.0.0b2 keys its per-node results (`history_values`, ...) by
# History, a tuple of HistoryTransition dataclasses, each holding the History
# of the node it leaves; hashing one re-hashes every ancestor's History, with
# no caching, so hashing a node's History costs about 2^depth (measured: 0.025 s
# at depth 16, doubling per level). `history_values` on the 9,703-node game of
# the hand-worked fixture with three rounds took 82 s, and a first version of
# this peer had not finished the two Kuril games (24,823 and 24,211 nodes)
# after ten minutes. The peer memoizes the hash of
# each History and each transition on the object (the same value, computed
# once), which makes that 0.24 s and changes nothing else.
def _memoized(hash_of):
    def memoized_hash(self):
        memo = self.__dict__
        if "_peer_hash" not in memo:
            object.__setattr__(self, "_peer_hash", hash_of(self))
        return memo["_peer_hash"]

    return memoized_hash


gbt.HistoryTransition.__hash__ = _memoized(gbt.HistoryTransition.__hash__)
gbt.History.__hash__ = _memoized(tuple.__hash__)


def read_tree(game):
    """The tree as pygambit reads it, keyed by history (action labels from the root).

    Returns (players, kind, actions, probs, mover, payoff): kind[h] is
    "terminal", "chance" or "decision"; actions[h] the action labels in file
    order; probs[h] a chance node's probabilities; mover[h] a decision node's
    player index; payoff[h] a terminal's payoffs.
    """
    players = list(game.players)
    outcomes = game.get_outcomes()
    if len(set(outcomes)) != len(outcomes):
        raise SystemExit(f"outcome labels are not distinct: {outcomes}")
    table = {}
    for label in outcomes:
        vec = game.get_outcome_payoffs(label)
        table[label] = [float(vec[p]) for p in players]
    kind, actions, probs, mover, payoff = {}, {}, {}, {}, {}
    # Preorder from the root without recursion (trees can be deep in rounds
    # x phases); pygambit resolves every history by its labels.
    stack = [()]
    while stack:
        h = stack.pop()
        at = H.path(*h)
        acts = game.get_actions(at)
        actions[h] = acts
        if not acts:
            kind[h] = "terminal"
            label = game.get_outcome(at)
            payoff[h] = table[label] if label is not None else [0.0] * len(players)
            continue
        chance = game.get_action_probs(at)
        if chance:
            kind[h] = "chance"
            probs[h] = [chance[a] for a in acts]
        else:
            kind[h] = "decision"
            mover[h] = players.index(game.get_player(at))
        stack.extend(h + (a,) for a in reversed(acts))
    return players, kind, actions, probs, mover, payoff


def solve(tree):
    players, kind, actions, probs, mover, payoff = tree
    value = {}
    choice = {}
    # Children before parents: longer histories first.
    for h in sorted(kind, key=len, reverse=True):
        if kind[h] == "terminal":
            value[h] = payoff[h]
        elif kind[h] == "chance":
            vals = [0.0] * len(players)
            for a, p in zip(actions[h], probs[h]):
                p = float(p)
                for k in range(len(players)):
                    vals[k] += p * value[h + (a,)][k]
            value[h] = vals
        else:
            m = mover[h]
            kids = [h + (a,) for a in actions[h]]
            best = max(value[c][m] for c in kids)
            pick = next(i for i, c in enumerate(kids) if value[c][m] >= best - TIE)
            choice[h] = pick
            value[h] = value[kids[pick]]
    return value, choice


def path_labels(tree, choice):
    _, kind, actions, _, _, _ = tree
    labels = []
    h = ()
    while kind[h] != "terminal":
        a = actions[h][0 if kind[h] == "chance" else choice[h]]
        labels.append(a)
        h = h + (a,)
    return labels


def profile_of(game, tree, choice):
    actions = tree[2]
    profile = game.mixed_behavior_profile(rational=False)
    for h, pick in choice.items():
        profile.set_mixed_action(H.path(*h), {a: 1.0 if k == pick else 0.0 for k, a in enumerate(actions[h])})
    return profile


def subgame_regret(profile, tree, choice):
    players, kind, actions, _, mover, _ = tree
    # pygambit's value of every node to every player under the profile.
    by_player = profile.history_values
    values = {p: {h.actions: v for h, v in by_player[p]} for p in players}
    for p in players:
        if values[p].keys() != kind.keys():
            raise SystemExit("pygambit's history values are not over the nodes read")
    worst = 0.0
    for h, pick in choice.items():
        kids = [h + (a,) for a in actions[h]]
        if any(values[p][c] is None for p in players for c in kids + [h]):
            raise SystemExit(f"pygambit gives no history value at or below {h}")
        # The profile pygambit holds plays the peer's choice here: the node
        # is worth the chosen child to every player.
        for p in players:
            if abs(values[p][h] - values[p][kids[pick]]) > 1e-12:
                raise SystemExit(f"pygambit's profile does not play {actions[h][pick]!r} at {h}")
        value = [values[players[mover[h]]][c] for c in kids]
        worst = max(worst, max(value) - value[pick])
    return worst


def main(paths):
    for path in paths:
        game = gbt.read_efg(path)
        tree = read_tree(game)
        players = tree[0]
        value, choice = solve(tree)
        profile = profile_of(game, tree, choice)
        payoffs = profile.payoffs
        print(json.dumps({
            "file": path,
            "players": players,
            "nodes": len(tree[1]),
            "payoffs": {p: value[()][k] for k, p in enumerate(players)},
            "path": path_labels(tree, choice),
            "profile_payoffs": {p: float(payoffs[p]) for p in players},
            "subgame_regret": subgame_regret(profile, tree, choice),
            "agent_max_regret": float(profile.agent_max_regret()),
        }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
