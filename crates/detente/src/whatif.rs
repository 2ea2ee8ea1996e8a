//! What-if edits: change one thing in a loaded scenario without editing the
//! file (`--set japan.reservation=0.3`, `--drop recognition-first`).
//!
//! Edits are parsed from `path=value` strings against the scenario, so a
//! misspelt actor, issue or option gets the same "did you mean" help as in a
//! file, and every value is checked against its domain.

use crate::scenario::param::{lookup, parse_param, parse_path, Param, PATH_FORMS};
use crate::scenario::{Distribution, Domain, Outcome, Reservation, Scenario, Uncertain, Value, ValueFunction};

/// One change to a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// `actor.reservation=V` (a number in 0–1 or `status-quo`).
    Reservation(usize, Reservation),
    /// `actor.capability=V`.
    Capability(usize, f64),
    /// `actor.position.issue=V`.
    Position(usize, usize, Value),
    /// `actor.salience.issue=V`.
    Salience(usize, usize, f64),
    /// `actor.values.issue.option=V`: one entry of a value table.
    TableValue(usize, usize, usize, f64),
    /// `actor.interaction.label=V`: what an interaction term adds.
    Interaction(usize, usize, f64),
    /// `holder.belief.about.reservation=V`: the reservation belief `b`
    /// (index into [`Scenario::beliefs`]) gives its subject.
    BeliefReservation(usize, f64),
    /// `by.pressure.label=V`: the cost pressure `k` (index into
    /// [`Scenario::pressures`]) attaches, before scaling.
    PressureCost(usize, f64),
    /// `--drop label`: remove a constraint.
    Drop(usize),
}

/// The value an edit sets, as the file or the command line writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum EditValue {
    /// A number.
    Number(f64),
    /// A word: an option name or `status-quo`.
    Text(String),
}

impl std::fmt::Display for EditValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditValue::Number(v) => write!(f, "{v}"),
            EditValue::Text(t) => f.write_str(t),
        }
    }
}

impl Edit {
    /// The `--set` path and value this edit stands for (what
    /// [`parse_set`] reads back); `None` for a drop.
    pub fn as_set(&self, s: &Scenario) -> Option<(String, EditValue)> {
        let (param, value) = match *self {
            Edit::Reservation(a, Reservation::StatusQuo) => {
                (Param::Reservation(a), EditValue::Text("status-quo".into()))
            }
            Edit::Reservation(a, Reservation::Value(v)) => (Param::Reservation(a), EditValue::Number(v)),
            Edit::Capability(a, v) => (Param::Capability(a), EditValue::Number(v)),
            Edit::Position(a, i, v) => (
                Param::Position(a, i),
                match v {
                    Value::Option(_) => EditValue::Text(s.issues[i].domain.display(&v)),
                    Value::Int(n) => EditValue::Number(n as f64),
                    Value::Real(x) => EditValue::Number(x),
                },
            ),
            Edit::Salience(a, i, v) => (Param::Salience(a, i), EditValue::Number(v)),
            Edit::TableValue(a, i, o, v) => (Param::TableValue(a, i, o), EditValue::Number(v)),
            Edit::Interaction(a, k, v) => (Param::Interaction(a, k), EditValue::Number(v)),
            Edit::BeliefReservation(b, v) => (Param::BeliefReservation(b), EditValue::Number(v)),
            Edit::PressureCost(k, v) => (Param::PressureCost(k), EditValue::Number(v)),
            Edit::Drop(_) => return None,
        };
        Some((param.path(s), value))
    }

    /// The edit in words for text outputs: `japan.reservation = 0.7`, or
    /// `constraint `x` dropped`.
    pub fn describe(&self, s: &Scenario) -> String {
        match (self, self.as_set(s)) {
            (_, Some((path, value))) => format!("{path} = {value}"),
            (Edit::Drop(c), None) => format!("constraint `{}` dropped", s.constraints[*c].label),
            (_, None) => String::new(),
        }
    }
}

fn actor(s: &Scenario, name: &str) -> Result<usize, String> {
    lookup("actor", name, &s.actors.iter().map(|a| a.id.as_str()).collect::<Vec<_>>())
}

fn issue(s: &Scenario, name: &str) -> Result<usize, String> {
    lookup("issue", name, &s.issues.iter().map(|i| i.id.as_str()).collect::<Vec<_>>())
}

fn unit(text: &str, what: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{what} must be a number from 0 to 1, found `{text}`")),
    }
}

fn value(s: &Scenario, i: usize, text: &str) -> Result<Value, String> {
    let issue = &s.issues[i];
    let v = match &issue.domain {
        Domain::Discrete { options, .. } => {
            let names: Vec<&str> = options.iter().map(String::as_str).collect();
            Value::Option(lookup("option", text, &names).map_err(|e| format!("{e} (issue `{}`)", issue.id))?)
        }
        Domain::Integer { .. } => {
            Value::Int(text.parse().map_err(|_| format!("issue `{}` takes whole numbers, found `{text}`", issue.id))?)
        }
        Domain::Continuous { .. } => {
            Value::Real(text.parse().map_err(|_| format!("issue `{}` takes numbers, found `{text}`", issue.id))?)
        }
    };
    if !issue.domain.contains(&v) {
        return Err(format!("`{text}` lies outside issue `{}`'s range", issue.id));
    }
    Ok(v)
}

/// The outcome named by `values` (`(issue, value)` pairs, values as `--set`
/// takes them: an option label or a number), the issues not named taken
/// from the status quo. An unknown issue or option gets a "did you mean";
/// an issue named twice, or left out of a scenario without a status quo, is
/// an error. For the shells' "utilities of one outcome".
pub fn parse_outcome(s: &Scenario, values: &[(String, String)]) -> Result<Outcome, String> {
    let mut chosen: Vec<Option<Value>> = vec![None; s.issues.len()];
    for (name, text) in values {
        let i = issue(s, name.trim())?;
        if chosen[i].is_some() {
            return Err(format!("issue `{}` is given twice", s.issues[i].id));
        }
        chosen[i] = Some(value(s, i, text.trim())?);
    }
    let missing: Vec<&str> =
        chosen.iter().zip(&s.issues).filter(|(v, _)| v.is_none()).map(|(_, i)| i.id.as_str()).collect();
    match &s.status_quo {
        Some(sq) => Ok(chosen.iter().zip(sq).map(|(v, q)| v.unwrap_or(*q)).collect()),
        None if missing.is_empty() => Ok(chosen.into_iter().flatten().collect()),
        None => Err(format!(
            "the scenario has no status quo to fill in the issues left out: give a value for {}",
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Parses `path=value` (the argument of `--set`).
pub fn parse_set(s: &Scenario, arg: &str) -> Result<Edit, String> {
    let (path, text) = arg
        .split_once('=')
        .ok_or_else(|| format!("`{arg}` is not of the form path=value, e.g. japan.reservation=0.3"))?;
    let parts: Vec<&str> = path.trim().split('.').collect();
    let text = text.trim();
    match parts.as_slice() {
        [a, "reservation"] => {
            let a = actor(s, a)?;
            let r = if text == "status-quo" {
                if s.status_quo.is_none() {
                    return Err("reservation=status-quo needs a status quo in the scenario".into());
                }
                Reservation::StatusQuo
            } else {
                Reservation::Value(unit(text, "a reservation")?)
            };
            Ok(Edit::Reservation(a, r))
        }
        [a, "capability"] => {
            let a = actor(s, a)?;
            match text.parse::<f64>() {
                Ok(v) if v >= 0.0 && v.is_finite() => Ok(Edit::Capability(a, v)),
                _ => Err(format!("a capability must be a number ≥ 0, found `{text}`")),
            }
        }
        [a, "position", i] => {
            let a = actor(s, a)?;
            let i = issue(s, i)?;
            let v = value(s, i, text)?;
            match s.actors[a].stance(i).map(|st| &st.value) {
                None => Err(format!(
                    "actor `{}` has no stance on `{}`; add one in the file",
                    s.actors[a].id, s.issues[i].id
                )),
                Some(ValueFunction::Table { .. }) => Err(format!(
                    "actor `{}` values `{}` by a table, which has no position",
                    s.actors[a].id, s.issues[i].id
                )),
                Some(_) => Ok(Edit::Position(a, i, v)),
            }
        }
        [a, "salience", i] => {
            let a = actor(s, a)?;
            let i = issue(s, i)?;
            if s.actors[a].stance(i).is_none() {
                return Err(format!(
                    "actor `{}` has no stance on `{}`; add one in the file",
                    s.actors[a].id, s.issues[i].id
                ));
            }
            Ok(Edit::Salience(a, i, unit(text, "a salience")?))
        }
        [_, "belief", _, "reservation"] => match parse_path(s, path)? {
            Param::BeliefReservation(b) => Ok(Edit::BeliefReservation(b, unit(text, "a believed reservation")?)),
            _ => Err(format!("cannot set `{path}`; use {PATH_FORMS}")),
        },
        [_, "pressure", _] => match parse_path(s, path)? {
            Param::PressureCost(k) => Ok(Edit::PressureCost(k, unit(text, "a pressure's cost")?)),
            _ => Err(format!("cannot set `{path}`; use {PATH_FORMS}")),
        },
        [_, "values", _, _] | [_, "interaction", _] => match parse_param(&s.issues, &s.actors, path)? {
            Param::TableValue(a, i, o) => Ok(Edit::TableValue(a, i, o, unit(text, "a table value")?)),
            Param::Interaction(a, k) => match text.parse::<f64>() {
                Ok(v) if (-1.0..=1.0).contains(&v) => Ok(Edit::Interaction(a, k, v)),
                _ => Err(format!("an interaction term must be a number from -1 to 1, found `{text}`")),
            },
            _ => Err(format!("cannot set `{path}`; use {PATH_FORMS}")),
        },
        // The path language's own error says what is misspelt.
        _ => Err(parse_path(s, path).err().unwrap_or_else(|| format!("cannot set `{path}`; use {PATH_FORMS}"))),
    }
}

/// Parses `path=low..high` (the argument of `--vary`): a judgement varied
/// uniformly over the range, checked as an `[[uncertain]]` table is.
pub fn parse_vary(s: &Scenario, arg: &str) -> Result<Uncertain, String> {
    let (path, range) = arg
        .split_once('=')
        .ok_or_else(|| format!("`{arg}` is not of the form path=low..high, e.g. japan.reservation=0.2..0.5"))?;
    let param = parse_path(s, path)?;
    let (low, high) =
        range.split_once("..").ok_or_else(|| format!("`{range}` is not a range low..high, e.g. 0.2..0.5"))?;
    let number = |t: &str| match t.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("`{}` is not a finite number", t.trim())),
    };
    let (low, high) = (number(low)?, number(high)?);
    if low >= high {
        return Err(format!("the range {low}..{high} must have its low end below its high end"));
    }
    let (min, max) = param.domain(&s.issues);
    if low < min || high > max {
        let domain = if max.is_infinite() { format!("{min} or more") } else { format!("{min} to {max}") };
        return Err(format!("`{}` takes values from {domain}, but the range is {low}..{high}", path.trim()));
    }
    Ok(Uncertain { param, low, high, distribution: Distribution::Uniform, source: None })
}

/// Parses the argument of `--drop` (a constraint label).
pub fn parse_drop(s: &Scenario, label: &str) -> Result<Edit, String> {
    let names: Vec<&str> = s.constraints.iter().map(|c| c.label.as_str()).collect();
    Ok(Edit::Drop(lookup("constraint", label.trim(), &names)?))
}

/// A what-if edit that did not parse: which list it came from (`"set"` or
/// `"drop"`), the argument as given, and why. Every shell (the CLI's
/// `--set`/`--drop`, the server's `set`/`drop` lists) names the culprit the
/// same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError {
    /// `"set"` or `"drop"`.
    pub list: &'static str,
    /// The argument as given.
    pub arg: String,
    /// Why it was refused.
    pub message: String,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.list, self.arg, self.message)
    }
}

impl std::error::Error for EditError {}

/// Parses the `set` edits (`path=value`, [`parse_set`]) then the `drop`
/// edits (constraint labels, [`parse_drop`]) against `s`, in that order;
/// the first that does not parse is the error.
pub fn parse_edits(s: &Scenario, set: &[String], drop: &[String]) -> Result<Vec<Edit>, EditError> {
    let mut edits = Vec::with_capacity(set.len() + drop.len());
    for arg in set {
        edits.push(parse_set(s, arg).map_err(|message| EditError { list: "set", arg: arg.clone(), message })?);
    }
    for arg in drop {
        edits.push(parse_drop(s, arg).map_err(|message| EditError { list: "drop", arg: arg.clone(), message })?);
    }
    Ok(edits)
}

/// A stakeholder table's per-issue power (`power[actor][issue]`,
/// [`crate::Loaded::table_power`]) after `edits`: an actor whose capability
/// an edit sets loses its per-issue power, so the new capability counts on
/// every issue. No other edit touches power.
pub fn apply_to_power(power: &[Vec<Option<f64>>], edits: &[Edit]) -> Vec<Vec<Option<f64>>> {
    let mut power = power.to_vec();
    for e in edits {
        if let Edit::Capability(a, _) = *e {
            if let Some(row) = power.get_mut(a) {
                row.iter_mut().for_each(|p| *p = None);
            }
        }
    }
    power
}

/// Applies `edits` in order. Drops are applied last, from the highest index,
/// so indices in earlier edits stay valid; beliefs and events that named a
/// dropped constraint forget it.
pub fn apply(scenario: &Scenario, edits: &[Edit]) -> Scenario {
    let mut s = scenario.clone();
    let mut drops = Vec::new();
    for e in edits {
        match *e {
            Edit::Reservation(a, r) => s.actors[a].reservation = r,
            Edit::Capability(a, c) => s.actors[a].capability = c,
            Edit::Position(a, i, v) => {
                if let Some(st) = s.actors[a].stances.iter_mut().find(|st| st.issue == i) {
                    st.value = match &st.value {
                        ValueFunction::Linear { .. } => ValueFunction::Linear { position: v },
                        ValueFunction::Quadratic { .. } => ValueFunction::Quadratic { position: v },
                        ValueFunction::Step { tolerance, .. } => {
                            ValueFunction::Step { position: v, tolerance: *tolerance }
                        }
                        other => other.clone(),
                    };
                }
            }
            Edit::Salience(a, i, x) => {
                if let Some(st) = s.actors[a].stances.iter_mut().find(|st| st.issue == i) {
                    st.salience = x;
                }
            }
            Edit::TableValue(a, i, o, x) => Param::TableValue(a, i, o).set(&mut s, x),
            Edit::Interaction(a, k, x) => Param::Interaction(a, k).set(&mut s, x),
            Edit::BeliefReservation(b, x) => Param::BeliefReservation(b).set(&mut s, x),
            Edit::PressureCost(k, x) => s.pressures[k].cost = x,
            Edit::Drop(c) => drops.push(c),
        }
    }
    if !s.pressures.is_empty() || s.statements.iter().any(|x| x.made) {
        // A scaled pressure follows its author's capability (the
        // audience-cost terms are rebuilt with the pressure terms).
        s.refresh_pressures();
    }
    drops.sort_unstable();
    drops.dedup();
    for &c in drops.iter().rev() {
        s.constraints.remove(c);
        for b in &mut s.beliefs {
            b.dropped_constraints.retain(|&x| x != c);
            for x in &mut b.dropped_constraints {
                if *x > c {
                    *x -= 1;
                }
            }
        }
        for t in &mut s.types {
            t.dropped_constraints.retain(|&x| x != c);
            for x in &mut t.dropped_constraints {
                if *x > c {
                    *x -= 1;
                }
            }
        }
        // Events and statements that would drop it later have nothing left
        // to drop.
        let later =
            s.events.iter_mut().map(|e| &mut e.changes).chain(s.statements.iter_mut().map(|t| &mut t.reactions));
        for changes in later {
            changes.retain(|x| *x != Edit::Drop(c));
            for x in changes.iter_mut() {
                if let Edit::Drop(k) = x {
                    if *k > c {
                        *k -= 1;
                    }
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let text = "format = 1\nname = \"t\"\n[[issues]]\nid = \"i\"\noptions = [\"a\", \"b\"]\n[[actors]]\nid = \"x\"\nstances.i = { position = \"a\", salience = 1 }\n[[actors]]\nid = \"y\"\nstances.i = { position = \"b\", salience = 1 }\n[[constraints]]\nlabel = \"c1\"\nowner = \"x\"\nrule = \"i == 'a'\"\n[[constraints]]\nlabel = \"c2\"\nowner = \"y\"\nrule = \"never i == 'b'\"\n[[beliefs]]\nholder = \"x\"\nabout = \"y\"\ndropped_constraints = [\"c2\"]\n";
        crate::load_str("t.toml", text, crate::TextFormat::Toml).scenario.unwrap()
    }

    #[test]
    fn parses_and_applies() {
        let s = scenario();
        let e = vec![
            parse_set(&s, "x.reservation=0.3").unwrap(),
            parse_set(&s, "y.position.i=a").unwrap(),
            parse_drop(&s, "c1").unwrap(),
        ];
        let t = apply(&s, &e);
        assert_eq!(t.actors[0].reservation, Reservation::Value(0.3));
        assert_eq!(t.actors[1].stances[0].value, ValueFunction::Linear { position: Value::Option(0) });
        assert_eq!(t.constraints.len(), 1);
        assert_eq!(t.constraints[0].label, "c2");
        assert_eq!(t.beliefs[0].dropped_constraints, vec![0]);
    }

    #[test]
    fn a_set_capability_replaces_the_actors_per_issue_power() {
        let s = scenario();
        let power = vec![vec![Some(3.0), None], vec![Some(1.0), Some(2.0)]];
        let e = vec![parse_set(&s, "y.capability=5").unwrap(), parse_set(&s, "x.reservation=0.1").unwrap()];
        assert_eq!(apply_to_power(&power, &e), vec![vec![Some(3.0), None], vec![None, None]]);
        assert_eq!(apply_to_power(&power, &[]), power);
    }

    #[test]
    fn errors_explain() {
        let s = scenario();
        assert_eq!(parse_set(&s, "z.reservation=0.3").unwrap_err(), "no actor is named `z`; did you mean `x`?");
        assert!(parse_set(&s, "x.reservation=2").unwrap_err().contains("from 0 to 1"));
        assert!(parse_set(&s, "x.position.i=c").unwrap_err().contains("no option is named `c`"));
        assert!(parse_set(&s, "x.mood=3").unwrap_err().contains("names no number of a scenario"));
        assert!(parse_set(&s, "x.reservaton=0.3").unwrap_err().contains("did you mean `reservation`"));
        assert!(parse_set(&s, "x").unwrap_err().contains("path=value"));
        assert!(parse_drop(&s, "c3").unwrap_err().contains("did you mean"));
        assert_eq!(parse_vary(&s, "x.reservation=0.1..0.4").unwrap().high, 0.4);
        assert!(parse_vary(&s, "x.reservation=0.4..0.1").unwrap_err().contains("low end below"));
        assert!(parse_vary(&s, "x.reservation=0.4..1.5").unwrap_err().contains("from 0 to 1"));
        assert!(parse_vary(&s, "x.reservation=0.4").unwrap_err().contains("low..high"));
        assert!(parse_vary(&s, "x.reservaton=0.1..0.4").unwrap_err().contains("did you mean `reservation`"));
    }

    #[test]
    fn outcomes_are_named_by_issue_and_value() {
        let s = scenario();
        let pair = |i: &str, v: &str| (i.to_string(), v.to_string());
        assert_eq!(parse_outcome(&s, &[pair("i", "b")]).unwrap(), vec![Value::Option(1)]);
        // No status quo here: every issue must be named.
        assert!(parse_outcome(&s, &[]).unwrap_err().contains("give a value for `i`"));
        assert!(parse_outcome(&s, &[pair("j", "a")]).unwrap_err().contains("did you mean `i`"));
        assert!(parse_outcome(&s, &[pair("i", "c")]).unwrap_err().contains("no option is named `c`"));
        assert!(parse_outcome(&s, &[pair("i", "a"), pair("i", "b")]).unwrap_err().contains("twice"));
        let mut with_sq = s.clone();
        with_sq.status_quo = Some(vec![Value::Option(0)]);
        assert_eq!(parse_outcome(&with_sq, &[]).unwrap(), vec![Value::Option(0)]);
    }
}
