//! One potential exchange: two actors, two issues, the equal-gain shifts,
//! and the recalculation after another exchange was executed. Mirrors
//! `EqualGainExchange`, `AbstractExchange` and `AbstractExchangeActor` of
//! `decide-exchange-model` 2022.1.28 step by step, quirks included
//! (`docs/models/exchange.md` lists them).

use super::state::State;

/// Moves at or below this size are no moves (the package's `1e-10`).
const NO_MOVE: f64 = 1e-10;

/// Two positions or outcomes on 0–100 closer than this are the same. The
/// package's 28-digit decimals land a full move exactly on the other
/// actor's position and a limited one on the demander's position up to
/// ~1e-25; doubles are off by ~1e-13, so its exact boundaries need this
/// margin here (`docs/models/exchange.md`, "Boundaries").
const SAME: f64 = 1e-9;

/// One actor's side of an exchange: it shifts on its supply issue toward
/// the other actor and gains on its demand issue.
#[derive(Clone, Debug)]
pub(super) struct Side {
    pub actor: usize,
    pub supply: usize,
    pub demand: usize,
    /// Its position on the supply issue, updated when an executed exchange
    /// moved it there.
    pub supply_pos: f64,
    /// Its position on the demand issue at the start of the round (never
    /// updated, as in the package).
    pub demand_pos: f64,
    /// Its supply position at the start of the round.
    pub start: f64,
    /// The signed shift on the supply issue.
    pub mv: f64,
    /// Its voting position on the supply issue after the exchange.
    pub y: f64,
    /// The package's move history: checked for one direction and a sum of
    /// at most 100.
    pub moves: Vec<f64>,
}

impl Side {
    fn new(st: &State, actor: usize, supply: usize, demand: usize) -> Side {
        let supply_pos = st.x(actor, supply);
        Side {
            actor,
            supply,
            demand,
            supply_pos,
            demand_pos: st.x(actor, demand),
            start: supply_pos,
            mv: 0.0,
            y: supply_pos,
            moves: Vec::new(),
        }
    }

    /// `cₐ sₐ` on the supply issue.
    fn weight(&self, st: &State) -> f64 {
        st.c(self.actor, self.supply) * st.s(self.actor, self.supply)
    }

    /// The package's `is_move_valid`: a real move of at most 100, inside
    /// 0–100, a history summing to at most 100, all in one direction.
    fn valid(&self) -> bool {
        let mv = self.mv;
        if mv.abs() > 100.0 || mv.abs() <= NO_MOVE {
            return false;
        }
        let to = self.supply_pos + mv;
        if !(-SAME..=100.0 + SAME).contains(&to) {
            return false;
        }
        if self.moves.iter().sum::<f64>() > 100.0 + SAME {
            return false;
        }
        let min = self.moves.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.moves.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        !self.moves.is_empty() && ((min < 0.0 && max < 0.0) || (min > 0.0 && max > 0.0))
    }

    fn same_supply(&self, other: &Side) -> bool {
        self.actor == other.actor && self.supply == other.supply
    }

    fn same_demand(&self, other: &Side) -> bool {
        self.actor == other.actor && self.demand == other.demand
    }
}

/// `by_exchange_ratio`: the outcome shift on the counterpart's supply issue
/// that gives both sides the same gain when `x`'s supply shift moves the
/// outcome by `ratio`.
fn counter_ratio(st: &State, x: &Side, o: &Side, ratio: f64) -> f64 {
    (st.s(x.actor, x.supply) + st.s(o.actor, o.demand)) / (st.s(x.actor, x.demand) + st.s(o.actor, o.supply)) * ratio
}

/// `by_absolute_move`: the outcome shift when `x` moves all the way to the
/// counterpart's position on `x`'s supply issue.
fn full_ratio(st: &State, x: &Side, o: &Side) -> f64 {
    (o.demand_pos - x.supply_pos).abs() * x.weight(st) / st.total[x.supply]
}

/// `reverse_move`: the shift of `x` that moves the outcome by `ratio`.
fn shift_for(st: &State, x: &Side, ratio: f64) -> f64 {
    ratio * st.total[x.supply] / x.weight(st)
}

/// A potential exchange.
#[derive(Clone, Debug)]
pub(super) struct Pair {
    /// Supplies the second issue of the pair, demands the first.
    pub i: Side,
    /// Supplies the first issue, demands the second.
    pub j: Side,
    /// The equal gain, the priority of the exchange.
    pub gain: f64,
    pub valid: bool,
    /// Positions of other actors moved by executed exchanges, as the
    /// package records them, `(actor, position)` on `i`'s demand issue and
    /// on its supply issue (the only issues it records them for).
    updates: [Vec<(usize, f64)>; 2],
}

impl Pair {
    /// The exchange between `a` and `b` on issues `p` and `q` (`p < q`),
    /// calculated. The actor with the higher salience ratio `s_p / s_q`
    /// demands `p` (ties: `a` does).
    pub fn new(st: &State, a: usize, b: usize, p: usize, q: usize) -> Pair {
        let (i, j) = if st.s(a, p) / st.s(a, q) < st.s(b, p) / st.s(b, q) { (b, a) } else { (a, b) };
        let mut pair = Pair {
            i: Side::new(st, i, q, p),
            j: Side::new(st, j, p, q),
            gain: 0.0,
            valid: true,
            updates: Default::default(),
        };
        pair.calculate(st);
        pair
    }

    /// The slot of `updates` for `issue`, one of the pair's two issues.
    fn slot(&self, issue: usize) -> usize {
        usize::from(issue != self.i.demand)
    }

    /// `EqualGainExchange.calculate`: `j` moves fully to `i`'s position
    /// on `p` unless `i`'s matching shift on `q` would pass `j`'s
    /// position, in which case `i` moves fully and `j` less; then both
    /// outcome checks.
    pub fn calculate(&mut self, st: &State) {
        let (i, j) = (&mut self.i, &mut self.j);
        let mut dp = full_ratio(st, j, i);
        let mut dq = counter_ratio(st, j, i, dp);
        i.mv = shift_for(st, i, dq);
        j.mv = (i.demand_pos - j.supply_pos).abs();
        let full_i = i.mv.abs() > (j.demand_pos - i.supply_pos).abs();
        if full_i {
            dq = full_ratio(st, i, j);
            dp = counter_ratio(st, i, j, dq);
            i.mv = (j.demand_pos - i.supply_pos).abs();
            j.mv = shift_for(st, j, dp);
        }
        if i.supply_pos > j.demand_pos {
            i.mv = -i.mv;
        }
        if j.supply_pos > i.demand_pos {
            j.mv = -j.mv;
        }
        i.moves.push(i.mv);
        j.moves.push(j.mv);
        // The side that moves all the way lands exactly on the other's position.
        (i.y, j.y) = if full_i { (j.demand_pos, j.supply_pos + j.mv) } else { (i.supply_pos + i.mv, i.demand_pos) };
        self.gain = (dq * st.s(i.actor, i.supply) - dp * st.s(i.actor, i.demand)).abs();
        self.valid = i.valid() && j.valid() && self.gain >= NO_MOVE;
        if self.valid {
            self.check_outcome(st, true);
            self.check_outcome(st, false);
            self.valid = self.i.valid() && self.j.valid();
        }
    }

    /// `check_nbs` for side `i` (or `j`): when the side's shift carries
    /// the outcome on its supply issue past the counterpart's position,
    /// shrink it to land the outcome exactly there and rescale the
    /// counterpart's shift for equal gain.
    fn check_outcome(&mut self, st: &State, side_i: bool) {
        let slot = self.slot(if side_i { self.i.supply } else { self.j.supply });
        let updates = &self.updates[slot];
        let (x, o) = if side_i { (&mut self.i, &mut self.j) } else { (&mut self.j, &mut self.i) };
        let before = st.adjusted(x.supply, updates, Some((x.actor, x.supply_pos)));
        let after = st.adjusted(x.supply, updates, Some((x.actor, x.y)));
        let target = o.demand_pos;
        // No correction unless the outcome passes the target. An outcome
        // already at the target (an earlier exchange put it there) may move
        // on: the package's test gives that when `b` is exactly 0, as exact
        // arithmetic has it (its decimals give 0 or noise of ~1e-25).
        let (b, a) = (target - before, target - after);
        let b = if b.abs() <= SAME { 0.0 } else { b };
        if (b >= 0.0 && a >= 0.0) || (b <= 0.0 && a <= 0.0) {
            return;
        }
        let delta = st.shift_to(x.supply, updates, x.actor, x.supply_pos, target).abs();
        let rx = delta * st.s(x.actor, x.supply) * st.c(x.actor, x.supply) / st.total[x.supply];
        let ro = counter_ratio(st, x, o, rx);
        o.mv = shift_for(st, o, ro).abs();
        x.mv = delta;
        if o.supply_pos > x.demand_pos {
            o.mv = -o.mv;
        }
        if x.supply_pos > o.demand_pos {
            x.mv = -x.mv;
        }
        o.moves.pop();
        x.moves.pop();
        o.moves.push(o.mv);
        x.moves.push(x.mv);
        o.y = o.supply_pos + o.mv;
        x.y = x.supply_pos + x.mv;
        self.gain = (ro * st.s(o.actor, o.supply) - rx * st.s(o.actor, o.demand)).abs();
    }

    /// `AbstractExchange.recalculate` after `done` was executed: take over
    /// moved supply positions and record moved positions on the demand
    /// issues, then calculate again if anything applied.
    pub fn recalculate(&mut self, st: &State, done: &Pair) {
        // `invalidate_exchange_by_supply`: the executed move is appended and
        // then the last move popped, so the side keeps its own earlier
        // (now stale) move in its history, as the package does.
        let mut moved = false;
        for side in [&mut self.i, &mut self.j] {
            for other in [&done.i, &done.j] {
                if side.same_supply(other) {
                    side.supply_pos = other.y;
                    side.moves.push(other.moves.last().copied().unwrap_or(other.mv));
                    moved = true;
                    break;
                }
            }
        }
        if moved {
            self.pop_moves();
        }
        let mut again = moved;
        for (demander, mover) in [(&done.j, &done.i), (&done.i, &done.j)] {
            if demander.same_demand(&self.j) || demander.same_demand(&self.i) {
                self.note_update(demander.demand, mover);
                if !again {
                    self.pop_moves();
                    again = true;
                }
            }
        }
        if again {
            self.calculate(st);
        }
    }

    fn pop_moves(&mut self) {
        self.i.moves.pop();
        self.j.moves.pop();
    }

    /// Records `mover`'s voting position on `issue`; when one is already
    /// recorded, `update_updates` keeps the one nearer `mover`'s start.
    fn note_update(&mut self, issue: usize, mover: &Side) {
        let slot = self.slot(issue);
        match self.updates[slot].iter_mut().find(|u| u.0 == mover.actor) {
            None => self.updates[slot].push((mover.actor, mover.y)),
            Some(u) => {
                let old = u.1;
                u.1 = if mover.start <= old { old.min(mover.y) } else { old.max(mover.y) };
            }
        }
    }
}
