//! A staged plan as a finite bargaining game of perfect information, and
//! its subgame-perfect equilibrium by backward induction (`docs/games.md`).
//!
//! The protocol: the plan's phases in order; in each phase up to `rounds`
//! rounds; in a round one party proposes a settlement of the phase's
//! issues and every other actor the settlement requires
//! ([`Model::required_from`]) accepts or rejects in actor order. All accept:
//! the settlement is carried out and a chance node honours the next
//! phase's promise with the plan's commitment (else the game ends there).
//! A rejection: the next round. After the last round the phase fails and
//! the game ends where it stands. A terminal pays each actor its utility of
//! the final outcome, except the one where nothing was agreed (the first
//! phase failed), which pays every actor its reservation value, so a
//! numeric reservation is an outside option.
//!
//! Unlike [`super::stages`] (a cooperative reading: the Nash bargaining
//! solution of each later agreement set) this is non-cooperative, and it is
//! what `detente export-game` writes for Gambit ([`crate::format::efg`]).
//! The tree is counted before it is built and refused above
//! `max_nodes`. No I/O.

use std::collections::HashMap;

use super::model::Model;
use super::verdict::compile_for_verdict;
use super::{AnalysisError, Config};
use crate::scenario::{Plan, Scenario, Value};

/// Rounds per phase unless asked otherwise: each of two parties proposes
/// once.
pub const DEFAULT_ROUNDS: usize = 2;

/// Most rounds per phase.
pub const MAX_ROUNDS: usize = 64;

/// Most nodes a game tree may have (checked before it is built).
pub const MAX_GAME_NODES: u64 = 1_000_000;

/// Two values closer than this are equal to a player choosing between them
/// (utilities lie in `[0, 1]`; the sums of a path differ from their exact
/// values by far less).
pub const TIE: f64 = 1e-12;

/// One node of the tree. Children always have higher indices than their
/// parent (the nodes are in preorder, the root first).
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A party proposes one settlement of the phase's issues.
    Propose {
        /// The proposing actor.
        actor: usize,
        /// Phase and round, from 0.
        phase: usize,
        /// Round within the phase, from 0.
        round: usize,
        /// The settlements offered (one value per issue of the phase), in
        /// grid order.
        options: Vec<Vec<Value>>,
        /// The node each option leads to.
        children: Vec<usize>,
    },
    /// An actor accepts (first action) or rejects (second) the proposal.
    Respond {
        /// The responding actor.
        actor: usize,
        /// Phase, from 0.
        phase: usize,
        /// Round within the phase, from 0.
        round: usize,
        /// Where accepting leads.
        accept: usize,
        /// Where rejecting leads.
        reject: usize,
    },
    /// After phase `phase` is carried out, the next phase's promise is
    /// honoured with probability `commitment`.
    Chance {
        /// The phase just carried out, from 0.
        phase: usize,
        /// The plan's commitment for the next phase.
        commitment: f64,
        /// The next phase's negotiation.
        honoured: usize,
        /// The game ends where it stands.
        broken: usize,
    },
    /// The game ends: an index into [`Game::terminals`].
    End(usize),
}

impl Node {
    /// The children in action order.
    pub fn children(&self) -> Vec<usize> {
        match self {
            Node::Propose { children, .. } => children.clone(),
            Node::Respond { accept, reject, .. } => vec![*accept, *reject],
            Node::Chance { honoured, broken, .. } => vec![*honoured, *broken],
            Node::End(_) => Vec::new(),
        }
    }
}

/// A distinct end of the game.
#[derive(Clone, Debug, PartialEq)]
pub struct Terminal {
    /// The final outcome, one value per issue.
    pub outcome: Vec<Value>,
    /// Whether any phase was agreed (else the payoffs are the reservations).
    pub agreed: bool,
    /// Each actor's payoff, in actor order.
    pub payoffs: Vec<f64>,
}

/// The extensive-form game of one plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Game {
    /// The plan.
    pub plan: Plan,
    /// Rounds per phase.
    pub rounds: usize,
    /// The nodes in preorder; the root is node 0.
    pub nodes: Vec<Node>,
    /// The distinct ends, as [`Node::End`] numbers them.
    pub terminals: Vec<Terminal>,
}

/// The subgame-perfect equilibrium [`solve`] finds.
#[derive(Clone, Debug, PartialEq)]
pub struct Equilibrium {
    /// Each actor's expected payoff at the root, in actor order.
    pub payoffs: Vec<f64>,
    /// Per node: the index of the chosen action at a decision node (0
    /// elsewhere).
    pub choice: Vec<usize>,
    /// The nodes of the equilibrium path with every promise honoured, from
    /// the root to an end.
    pub path: Vec<usize>,
}

/// Why a game was not built or solved.
#[derive(Clone, Debug, PartialEq)]
pub enum GameError {
    /// The scenario could not be analysed (no status quo, too large, no
    /// parties, cancelled).
    Analysis(AnalysisError),
    /// The tree has more nodes than the limit.
    TooLarge {
        /// Its size (saturating at `u128::MAX`).
        nodes: u128,
        /// The limit.
        limit: u64,
    },
    /// `rounds` is outside `1..=MAX_ROUNDS`.
    Rounds(usize),
}

impl std::fmt::Display for GameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GameError::Analysis(e) => write!(f, "{e}"),
            GameError::TooLarge { nodes, limit } => {
                let size = if *nodes == u128::MAX { "more than 10^38".to_string() } else { nodes.to_string() };
                write!(
                    f,
                    "the game tree would have {size} nodes, more than the limit of {limit}; use fewer rounds (--rounds) or a plan whose phases hold fewer issues"
                )
            }
            GameError::Rounds(r) => write!(f, "{r} rounds per phase: use 1 to {MAX_ROUNDS}"),
        }
    }
}

impl std::error::Error for GameError {}

impl From<AnalysisError> for GameError {
    fn from(e: AnalysisError) -> Self {
        GameError::Analysis(e)
    }
}

/// The party that proposes in round `round` of phase `phase`: the
/// scenario's parties in order, starting one later each phase.
pub fn proposer(parties: &[usize], phase: usize, round: usize) -> usize {
    parties[(phase + round) % parties.len()]
}

/// A settlement in words, `issue=value` for each issue of `issues` (with
/// `values` one per issue): the action labels of the `.efg` file and the
/// path `export-game` prints.
pub fn settlement(scenario: &Scenario, issues: &[usize], values: &[Value]) -> String {
    issues
        .iter()
        .zip(values)
        .map(|(&i, v)| format!("{}={}", scenario.issues[i].id, scenario.issues[i].domain.display(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The plan named `name`, or the scenario's first; the error says why not
/// in words (no plans, or an unknown name with "did you mean" and the
/// plans there are).
pub fn find_plan<'s>(scenario: &'s Scenario, name: Option<&str>) -> Result<&'s Plan, String> {
    let names: Vec<&str> = scenario.plans.iter().map(|p| p.name.as_str()).collect();
    let Some(first) = scenario.plans.first() else {
        return Err("the scenario declares no plans: add a [[plans]] table with the phases to play (docs/scenario-format.md, \"Plans: staged agreements\")".into());
    };
    let Some(name) = name else { return Ok(first) };
    if let Some(p) = scenario.plans.iter().find(|p| p.name == name) {
        return Ok(p);
    }
    let hint = crate::suggest::did_you_mean(name, &names).map(|s| format!("did you mean `{s}`? ")).unwrap_or_default();
    Err(format!("no plan is named `{name}`; {hint}the plans: {}", names.join(", ")))
}

/// Builds the game of `plan` with `rounds` rounds per phase, refusing trees
/// of more than `max_nodes` nodes before building them. The grid and the
/// outcome limit are `config`'s, and its cancel flag is checked while
/// counting and building.
pub fn build(
    scenario: &Scenario,
    plan: &Plan,
    rounds: usize,
    max_nodes: u64,
    config: &Config,
) -> Result<Game, GameError> {
    if rounds == 0 || rounds > MAX_ROUNDS {
        return Err(GameError::Rounds(rounds));
    }
    if scenario.status_quo.is_none() {
        return Err(AnalysisError::Refused(
            "a staged game needs a status quo: a phase that fails leaves its issues there".into(),
        )
        .into());
    }
    let model = compile_for_verdict(scenario, config)?;
    if model.parties.is_empty() {
        return Err(AnalysisError::NoParties.into());
    }
    let mut b = Builder {
        scenario,
        model,
        plan,
        rounds,
        config,
        options: HashMap::new(),
        sizes: HashMap::new(),
        nodes: Vec::new(),
        terminals: Vec::new(),
        terminal_of: HashMap::new(),
    };
    let start = b.model.status_quo.clone().expect("checked above");
    let size = b.count(0, 0, &start)?;
    if size > u128::from(max_nodes) {
        return Err(GameError::TooLarge { nodes: size, limit: max_nodes });
    }
    b.nodes.reserve(size as usize);
    b.round(0, 0, &start)?;
    debug_assert_eq!(b.nodes.len() as u128, size);
    Ok(Game { plan: plan.clone(), rounds, nodes: b.nodes, terminals: b.terminals })
}

/// A settlement a phase offers: the values of the phase's issues, the
/// outcome it leads to (digits) and the actors it requires (mask).
struct Offer {
    settlement: Vec<Value>,
    digits: Vec<usize>,
    required: u64,
}

struct Builder<'a> {
    scenario: &'a Scenario,
    model: Model,
    plan: &'a Plan,
    rounds: usize,
    config: &'a Config,
    /// Offers by phase and state.
    options: HashMap<(usize, Vec<usize>), std::rc::Rc<Vec<Offer>>>,
    /// Subtree sizes by phase, round and state.
    sizes: HashMap<(usize, usize, Vec<usize>), u128>,
    nodes: Vec<Node>,
    terminals: Vec<Terminal>,
    terminal_of: HashMap<(Vec<usize>, bool), usize>,
}

impl Builder<'_> {
    fn cancelled(&self) -> Result<(), GameError> {
        self.config.cancel.check().map_err(|_| GameError::Analysis(AnalysisError::Cancelled))
    }

    /// The settlements phase `j` offers from `state`: every combination of
    /// its issues' values (grid order), combinations that differ only in an
    /// issue that does not apply counted once and later moot issues at
    /// their `otherwise` value (as `stages` does), and none whose outcome,
    /// with every later issue where `state` has it, breaks a constraint.
    fn offers(&mut self, j: usize, state: &[usize]) -> std::rc::Rc<Vec<Offer>> {
        if let Some(o) = self.options.get(&(j, state.to_vec())) {
            return o.clone();
        }
        let space = &self.model.space;
        let issues = &self.plan.phases[j];
        let radices: Vec<usize> = issues.iter().map(|&i| space.values[i].len()).collect();
        let mut settled = vec![false; state.len()];
        for &i in self.plan.phases[..=j].iter().flatten() {
            settled[i] = true;
        }
        let mut y = vec![0usize; issues.len()];
        let mut out = Vec::new();
        loop {
            let mut digits = state.to_vec();
            for (&i, &d) in issues.iter().zip(&y) {
                digits[i] = d;
            }
            let mut values: Vec<Value> = digits.iter().enumerate().map(|(i, &d)| space.values[i][d]).collect();
            if super::stages::settle_settlement(&self.model, self.scenario, &settled, &mut digits, &mut values)
                && self.model.constraints.iter().all(|rule| rule.holds(&values))
            {
                let (required, _) = self.model.required_from(&digits, Some(state));
                let settlement = issues.iter().map(|&i| values[i]).collect();
                out.push(Offer { settlement, digits, required });
            }
            if !super::space::next(&mut y, &radices) {
                break;
            }
        }
        let out = std::rc::Rc::new(out);
        self.options.insert((j, state.to_vec()), out.clone());
        out
    }

    /// The responders to a proposal by `proposer` requiring `required`, in
    /// actor order.
    fn responders(required: u64, proposer: usize) -> impl Iterator<Item = usize> {
        (0..64).filter(move |&a| a != proposer && required & (1 << a) != 0)
    }

    /// Nodes of round `r` of phase `j` from `state` and everything after it.
    fn count(&mut self, j: usize, r: usize, state: &[usize]) -> Result<u128, GameError> {
        if r == self.rounds {
            return Ok(1);
        }
        if let Some(&n) = self.sizes.get(&(j, r, state.to_vec())) {
            return Ok(n);
        }
        self.cancelled()?;
        let offers = self.offers(j, state);
        let mut total: u128 = 1;
        if !offers.is_empty() {
            let proposer = proposer(&self.model.parties, j, r);
            let next_round = self.count(j, r + 1, state)?;
            for offer in offers.iter() {
                let q = Self::responders(offer.required, proposer).count() as u128;
                let after = if j + 1 == self.plan.phases.len() {
                    1
                } else {
                    self.count(j + 1, 0, &offer.digits)?.saturating_add(2)
                };
                total = total.saturating_add(q.saturating_mul(next_round.saturating_add(1))).saturating_add(after);
            }
        }
        self.sizes.insert((j, r, state.to_vec()), total);
        Ok(total)
    }

    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Builds round `r` of phase `j` from `state`; returns its root.
    fn round(&mut self, j: usize, r: usize, state: &[usize]) -> Result<usize, GameError> {
        let offers = self.offers(j, state);
        if r == self.rounds || offers.is_empty() {
            // The phase fails: the game ends where it stands.
            return Ok(self.end(state, j > 0));
        }
        if self.nodes.len() % 4096 == 0 {
            self.cancelled()?;
        }
        let actor = proposer(&self.model.parties, j, r);
        let options = offers.iter().map(|o| o.settlement.clone()).collect();
        let at = self.push(Node::Propose { actor, phase: j, round: r, options, children: Vec::new() });
        let mut children = Vec::with_capacity(offers.len());
        for offer in offers.iter() {
            let responders: Vec<usize> = Self::responders(offer.required, actor).collect();
            children.push(self.responses(j, r, state, offer, &responders)?);
        }
        if let Node::Propose { children: c, .. } = &mut self.nodes[at] {
            *c = children;
        }
        Ok(at)
    }

    /// The responses to `offer` by `responders` in order, then what follows.
    fn responses(
        &mut self,
        j: usize,
        r: usize,
        state: &[usize],
        offer: &Offer,
        responders: &[usize],
    ) -> Result<usize, GameError> {
        let Some((&actor, rest)) = responders.split_first() else {
            return self.carried_out(j, &offer.digits);
        };
        let at = self.push(Node::Respond { actor, phase: j, round: r, accept: 0, reject: 0 });
        let accept = self.responses(j, r, state, offer, rest)?;
        let reject = self.round(j, r + 1, state)?;
        self.nodes[at] = Node::Respond { actor, phase: j, round: r, accept, reject };
        Ok(at)
    }

    /// Phase `j` carried out, reaching `digits`: the end, or the chance
    /// node of the next phase's promise.
    fn carried_out(&mut self, j: usize, digits: &[usize]) -> Result<usize, GameError> {
        if j + 1 == self.plan.phases.len() {
            return Ok(self.end(digits, true));
        }
        let commitment = self.plan.commitments[j];
        let at = self.push(Node::Chance { phase: j, commitment, honoured: 0, broken: 0 });
        let honoured = self.round(j + 1, 0, digits)?;
        let broken = self.end(digits, true);
        self.nodes[at] = Node::Chance { phase: j, commitment, honoured, broken };
        Ok(at)
    }

    /// An end at `digits`: each actor's utility (settled against its
    /// reservation, so a tie is exact) when something was agreed, else
    /// each actor's reservation value.
    fn end(&mut self, digits: &[usize], agreed: bool) -> usize {
        let key = (digits.to_vec(), agreed);
        let terminal = match self.terminal_of.get(&key) {
            Some(&t) => t,
            None => {
                let space = &self.model.space;
                let outcome: Vec<Value> = digits.iter().enumerate().map(|(i, &d)| space.values[i][d]).collect();
                let payoffs = (0..self.model.evaluators.len())
                    .map(|a| {
                        if agreed {
                            let u = self.model.evaluators[a].eval(digits, &outcome);
                            self.model.settled(a, u, digits)
                        } else {
                            self.model.reservations[a]
                        }
                    })
                    .collect();
                self.terminals.push(Terminal { outcome, agreed, payoffs });
                self.terminal_of.insert(key, self.terminals.len() - 1);
                self.terminals.len() - 1
            }
        };
        self.push(Node::End(terminal))
    }
}

/// The subgame-perfect equilibrium of `game` by backward induction: a
/// chance node is worth the commitment-weighted mean of its two branches;
/// at a decision node the mover takes the action worth most to it, and of
/// actions within [`TIE`] of the best the first (so a responder accepts
/// when indifferent, and a proposer offers the first best settlement in
/// grid order). Checks `cancel` as it goes.
pub fn solve(game: &Game, cancel: &crate::budget::Cancel) -> Result<Equilibrium, AnalysisError> {
    let n_actors = game.terminals.first().map_or(0, |t| t.payoffs.len());
    let n = game.nodes.len();
    let mut value = vec![0.0; n * n_actors];
    let mut choice = vec![0usize; n];
    for k in (0..n).rev() {
        if k % 4096 == 0 {
            cancel.check().map_err(|_| AnalysisError::Cancelled)?;
        }
        let (lo, hi) = value.split_at_mut((k + 1) * n_actors);
        let here = &mut lo[k * n_actors..];
        let child = |c: usize| &hi[(c - k - 1) * n_actors..(c - k) * n_actors];
        match &game.nodes[k] {
            Node::End(t) => here.copy_from_slice(&game.terminals[*t].payoffs),
            Node::Chance { commitment, honoured, broken, .. } => {
                let (h, b) = (child(*honoured), child(*broken));
                for a in 0..n_actors {
                    here[a] = commitment * h[a] + (1.0 - commitment) * b[a];
                }
            }
            node @ (Node::Propose { actor, .. } | Node::Respond { actor, .. }) => {
                let children = node.children();
                let best = children.iter().map(|&c| child(c)[*actor]).fold(f64::NEG_INFINITY, f64::max);
                let pick = children.iter().position(|&c| child(c)[*actor] >= best - TIE).expect("a best action");
                choice[k] = pick;
                here.copy_from_slice(child(children[pick]));
            }
        }
    }
    let mut path = vec![0usize];
    loop {
        let k = *path.last().expect("non-empty");
        let next = match &game.nodes[k] {
            Node::End(_) => break,
            Node::Chance { honoured, .. } => *honoured,
            node => node.children()[choice[k]],
        };
        path.push(next);
    }
    Ok(Equilibrium { payoffs: value[..n_actors].to_vec(), choice, path })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Scenario {
        let loaded = crate::load_str("t.toml", text, crate::TextFormat::Toml);
        loaded.scenario.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
    }

    fn spe(s: &Scenario, plan: &Plan, rounds: usize) -> (Game, Equilibrium) {
        let game = build(s, plan, rounds, MAX_GAME_NODES, &Config::new()).unwrap();
        let eq = solve(&game, &crate::budget::Cancel::new()).unwrap();
        (game, eq)
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    /// One issue of four options; `a` and `b` value them 0/0.3/0.6/0.9 and
    /// 0.1/0.8/0.5/0.05, both against the status quo `s0`.
    const SPLIT: &str = r#"format = 1
name = "split"
[status_quo]
x = "s0"
[[issues]]
id = "x"
options = ["s0", "s1", "s2", "s3"]
[[actors]]
id = "a"
reservation = "status-quo"
stances.x = { values = { s0 = 0, s1 = 0.3, s2 = 0.6, s3 = 0.9 }, salience = 1 }
[[actors]]
id = "b"
reservation = "status-quo"
stances.x = { values = { s0 = 0.1, s1 = 0.8, s2 = 0.5, s3 = 0.05 }, salience = 1 }
"#;

    fn one_phase(s: &Scenario) -> Plan {
        Plan {
            name: "all".into(),
            phases: vec![(0..s.issues.len()).collect()],
            commitments: vec![],
            description: None,
            source: None,
        }
    }

    #[test]
    fn one_round_is_the_ultimatum_game() {
        // `a` proposes; `b` accepts what is worth at least its 0.1, so `a`
        // gets its best such option, s2 (s3 gives `b` 0.05).
        let s = load(SPLIT);
        let (game, eq) = spe(&s, &one_phase(&s), 1);
        // The proposal, then per option a response with two ends.
        assert_eq!(game.nodes.len(), 1 + 4 * 3);
        assert!(close(&eq.payoffs, &[0.6, 0.5]), "{:?}", eq.payoffs);
        assert_eq!(eq.choice[0], 2);
        assert_eq!(eq.path.len(), 3); // propose, accept, end
    }

    #[test]
    fn the_last_proposer_sets_the_terms() {
        // With two rounds `b` proposes last and offers s1 (its best; `a`
        // gains nothing by refusing), so `a` can get no more than s1.
        let s = load(SPLIT);
        let (game, eq) = spe(&s, &one_phase(&s), 2);
        assert!(close(&eq.payoffs, &[0.3, 0.8]), "{:?}", eq.payoffs);
        // Ties go to the first best action: s0, refused, is worth 0.3 to
        // `a` too (`b` then offers s1), so `a` opens with s0.
        assert_eq!(eq.choice[0], 0);
        let Node::End(t) = game.nodes[*eq.path.last().unwrap()] else { panic!() };
        assert_eq!(game.terminals[t].outcome, vec![Value::Option(1)]);
    }

    #[test]
    fn a_numeric_reservation_is_an_outside_option() {
        // `b` walks away unless it gets 0.7: only s1 is left to offer.
        let s = load(&SPLIT.replacen(
            "reservation = \"status-quo\"\nstances.x = { values = { s0 = 0.1",
            "reservation = 0.7\nstances.x = { values = { s0 = 0.1",
            1,
        ));
        let (_, eq) = spe(&s, &one_phase(&s), 1);
        assert!(close(&eq.payoffs, &[0.3, 0.8]), "{:?}", eq.payoffs);
        // Nothing acceptable: the game ends with the reservations.
        let s = load(&SPLIT.replace(
            "reservation = \"status-quo\"\nstances.x = { values = { s0 = 0.1",
            "reservation = 0.9\nstances.x = { values = { s0 = 0.1",
        ));
        let (_, eq) = spe(&s, &one_phase(&s), 1);
        assert!(close(&eq.payoffs, &[0.0, 0.9]), "{:?}", eq.payoffs);
    }

    /// One phase, one round, on random tables (two or three parties,
    /// sometimes a ratifier of the first, random reservations): the
    /// proposer's SPE payoff is the best of its utility of each settlement
    /// every responder accepts against its reservation (later responders'
    /// refusals make earlier ones indifferent, and they accept) and its
    /// reservation (what an offer someone refuses leaves it).
    #[test]
    fn one_round_against_brute_force() {
        let mut state = 7u64;
        let mut next = move |n: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for case in 0..200 {
            let sizes = [2 + next(3), 2 + next(2)];
            let mut text =
                format!("format = 1\nname = \"r\"\n[status_quo]\nx0 = \"o0\"\nx1 = \"o{}\"\n", next(sizes[1]));
            for (i, n) in sizes.iter().enumerate() {
                let options: Vec<String> = (0..*n).map(|k| format!("\"o{k}\"")).collect();
                text += &format!("[[issues]]\nid = \"x{i}\"\noptions = [{}]\n", options.join(", "));
            }
            let parties = 2 + next(2) as usize;
            let ratifier = next(2) == 0;
            for k in 0..parties + usize::from(ratifier) {
                let role = if k < parties { "party" } else { "ratifier" };
                let res = if next(2) == 0 { "\"status-quo\"".into() } else { format!("0.{:03}", next(700)) };
                text += &format!("[[actors]]\nid = \"a{k}\"\nrole = \"{role}\"\nreservation = {res}\n");
                if k == 0 && ratifier {
                    text += &format!("ratifiers = [\"a{parties}\"]\n");
                }
                for (i, n) in sizes.iter().enumerate() {
                    let v: Vec<String> = (0..*n).map(|o| format!("o{o} = 0.{:03}", next(1000))).collect();
                    text += &format!(
                        "stances.x{i} = {{ values = {{ {} }}, salience = 0.{} }}\n",
                        v.join(", "),
                        1 + next(9)
                    );
                }
            }
            let s = load(&text);
            let (_, eq) = spe(&s, &one_phase(&s), 1);
            let reservation = |a: usize| s.reservation_value(a);
            let mut best = reservation(0);
            for x0 in 0..sizes[0] as usize {
                for x1 in 0..sizes[1] as usize {
                    let o = vec![Value::Option(x0), Value::Option(x1)];
                    let u = |a: usize| s.actors[a].utility(&s.issues, &o);
                    if (1..s.actors.len()).all(|a| u(a) >= reservation(a) - 1e-12) {
                        best = best.max(u(0));
                    }
                }
            }
            assert!((eq.payoffs[0] - best).abs() < 1e-9, "case {case}: {} vs {best}, {text}", eq.payoffs[0]);
        }
    }

    const STAGED: &str = include_str!("../../tests/fixtures/staged-treaty-first.toml");

    fn plan(s: &Scenario, name: &str) -> Plan {
        s.plans.iter().find(|p| p.name == name).expect("plan").clone()
    }

    /// The hand-worked staged example (docs/games.md): treaty first, two
    /// rounds. Phase 2 from treaty = yes: Japan's last offer islands and aid
    /// (0.8 each) beats Russia's fallback 0.6, so Russia opens with it too;
    /// from treaty = no phase 2 ends at 0.5 and 0.4. Japan proposes the
    /// treaty (0.8 > 0.5) and Russia accepts. Duma gets 0 (a treaty).
    #[test]
    fn the_treaty_first_game() {
        let s = load(STAGED);
        let (game, eq) = spe(&s, &plan(&s, "treaty-first"), 2);
        assert!(close(&eq.payoffs, &[0.8, 0.8, 0.0]), "{:?}", eq.payoffs);
        // Japan opens with no treaty (first of two offers worth 0.8 to it:
        // Russia refuses it and proposes the treaty in round two).
        assert!(matches!(game.nodes[0], Node::Propose { actor: 0, .. }));
        assert_eq!(eq.choice[0], 0);
        let Node::End(t) = game.nodes[*eq.path.last().unwrap()] else { panic!() };
        assert_eq!(game.terminals[t].outcome, vec![Value::Option(1); 3]);
        // Below full commitment, the broken promise leaves Japan 0.5 and
        // Russia 0.6: c · 0.8 + (1 − c) · 0.5 and c · 0.8 + (1 − c) · 0.6.
        let half = Plan { commitments: vec![0.5], ..plan(&s, "treaty-first") };
        let (_, eq) = spe(&s, &half, 2);
        assert!(close(&eq.payoffs, &[0.65, 0.7, 0.0]), "{:?}", eq.payoffs);
    }

    #[test]
    fn commitment_zero_is_phase_one_alone() {
        let s = load(STAGED);
        for name in ["treaty-first", "islands-first"] {
            for rounds in 1..=3 {
                let zero = Plan { commitments: vec![0.0], ..plan(&s, name) };
                let first =
                    Plan { phases: vec![plan(&s, name).phases[0].clone()], commitments: vec![], ..zero.clone() };
                let (_, a) = spe(&s, &zero, rounds);
                let (_, b) = spe(&s, &first, rounds);
                assert!(close(&a.payoffs, &b.payoffs), "{name} {rounds}: {:?} {:?}", a.payoffs, b.payoffs);
            }
        }
    }

    #[test]
    fn an_issue_that_does_not_apply_is_offered_once() {
        // `territory` applies only with a treaty: with the treaty it has two
        // settlements, without it one (territory = no), so the phase that
        // settles both offers three.
        let text = SPLIT.replace(
            "[[issues]]\nid = \"x\"",
            "[[issues]]\nid = \"treaty\"\noptions = [\"no\", \"yes\"]\n[[issues]]\nid = \"territory\"\noptions = [\"no\", \"yes\"]\nwhen = \"treaty\"\notherwise = \"no\"\n[[issues]]\nid = \"x\"",
        )
        .replace("[status_quo]\n", "[status_quo]\ntreaty = \"no\"\nterritory = \"no\"\n");
        let s = load(&text);
        let (game, _) =
            spe(&s, &Plan { phases: vec![vec![0, 1], vec![2]], commitments: vec![1.0], ..one_phase(&s) }, 1);
        let Node::Propose { options, .. } = &game.nodes[0] else { panic!() };
        let no = Value::Option(0);
        let yes = Value::Option(1);
        assert_eq!(options, &vec![vec![no, no], vec![yes, no], vec![yes, yes]]);
    }

    #[test]
    fn large_trees_are_refused_before_they_are_built() {
        let s = load(STAGED);
        let p = plan(&s, "treaty-first");
        let size = build(&s, &p, 2, MAX_GAME_NODES, &Config::new()).unwrap().nodes.len() as u128;
        match build(&s, &p, 2, 100, &Config::new()) {
            Err(e @ GameError::TooLarge { .. }) => {
                assert_eq!(e, GameError::TooLarge { nodes: size, limit: 100 });
                assert!(e.to_string().contains(&format!("{size} nodes")), "{e}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(build(&s, &p, 0, 100, &Config::new()), Err(GameError::Rounds(0)));
        let config = Config::new();
        config.cancel.cancel();
        assert_eq!(build(&s, &p, 2, MAX_GAME_NODES, &config), Err(GameError::Analysis(AnalysisError::Cancelled)));
    }

    #[test]
    fn the_tree_is_in_preorder_and_the_path_follows_the_choices() {
        let s = load(STAGED);
        let (game, eq) = spe(&s, &plan(&s, "islands-first"), 2);
        let mut parents = vec![usize::MAX; game.nodes.len()];
        for (k, node) in game.nodes.iter().enumerate() {
            for c in node.children() {
                assert!(c > k && parents[c] == usize::MAX);
                parents[c] = k;
            }
        }
        assert!(parents.iter().skip(1).all(|&p| p != usize::MAX));
        for w in eq.path.windows(2) {
            assert_eq!(parents[w[1]], w[0]);
        }
    }
}
