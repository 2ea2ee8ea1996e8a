//! Paths to one number of a scenario (`russia.reservation`,
//! `japan.salience.recognition`, `japan.values.sanctions.eased`): the path
//! language that `--set`, `--vary` and `[[uncertain]]` tables share.
//!
//! A [`Param`] is resolved against the issues and actors, so a misspelt name
//! gets a "did you mean"; it knows the domain of its number, reads the
//! scenario's value and writes a new one.

use super::{Actor, Domain, Issue, Reservation, Scenario, Value, ValueFunction};
use crate::suggest::did_you_mean;

/// One number of a scenario, by actor, issue and option index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `ACTOR.reservation` (0–1).
    Reservation(usize),
    /// `ACTOR.capability` (≥ 0).
    Capability(usize),
    /// `ACTOR.salience.ISSUE` (0–1).
    Salience(usize, usize),
    /// `ACTOR.position.ISSUE` on an integer or continuous issue (the
    /// issue's range; integer issues round to the nearest whole number).
    Position(usize, usize),
    /// `ACTOR.values.ISSUE.OPTION`: one entry of a value table (0–1).
    TableValue(usize, usize, usize),
    /// `ACTOR.interaction.LABEL`: what an interaction term adds (−1 to 1),
    /// by actor and term index.
    Interaction(usize, usize),
    /// `HOLDER.belief.ABOUT.reservation`: the reservation a belief gives
    /// its subject (0–1), by index into [`Scenario::beliefs`].
    BeliefReservation(usize),
    /// `BY.pressure.LABEL`: the cost a pressure attaches (0–1, before
    /// scaling by capability), by index into [`Scenario::pressures`].
    PressureCost(usize),
}

/// The forms a path may take, for help texts.
pub const PATH_FORMS: &str = "ACTOR.reservation, ACTOR.capability, ACTOR.salience.ISSUE, ACTOR.position.ISSUE, ACTOR.values.ISSUE.OPTION, ACTOR.interaction.LABEL, HOLDER.belief.ABOUT.reservation or BY.pressure.LABEL";

/// Finds `name` among `names`, or explains with a suggestion.
pub fn lookup(kind: &str, name: &str, names: &[&str]) -> Result<usize, String> {
    names.iter().position(|n| *n == name).ok_or_else(|| {
        let hint = match did_you_mean(name, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("{kind}s are: {}", names.join(", ")),
        };
        format!("no {kind} is named `{name}`; {hint}")
    })
}

fn actor_index(actors: &[Actor], name: &str) -> Result<usize, String> {
    lookup("actor", name, &actors.iter().map(|a| a.id.as_str()).collect::<Vec<_>>())
}

fn issue_index(issues: &[Issue], name: &str) -> Result<usize, String> {
    lookup("issue", name, &issues.iter().map(|i| i.id.as_str()).collect::<Vec<_>>())
}

fn stance_or_err<'a>(actors: &'a [Actor], issues: &[Issue], a: usize, i: usize) -> Result<&'a ValueFunction, String> {
    actors[a]
        .stance(i)
        .map(|s| &s.value)
        .ok_or_else(|| format!("actor `{}` has no stance on `{}`; add one in the file", actors[a].id, issues[i].id))
}

/// Resolves `path` against the whole scenario: the paths of
/// [`parse_param`], the beliefs' (`HOLDER.belief.ABOUT.reservation`) and
/// the pressures' (`BY.pressure.LABEL`).
pub fn parse_path(s: &Scenario, path: &str) -> Result<Param, String> {
    let parts: Vec<&str> = path.trim().split('.').collect();
    if let [by, "pressure", label] = parts.as_slice() {
        return pressure_index(s, by, label).map(Param::PressureCost);
    }
    let [h, "belief", about, rest @ ..] = parts.as_slice() else {
        return parse_param(&s.issues, &s.actors, path);
    };
    let (h, about) = (actor_index(&s.actors, h)?, actor_index(&s.actors, about)?);
    if *rest != ["reservation"] {
        return Err(format!(
            "`{}` names no number of a belief; a belief's path is HOLDER.belief.ABOUT.reservation",
            path.trim()
        ));
    }
    s.beliefs.iter().position(|b| b.holder == h && b.about == about).map(Param::BeliefReservation).ok_or_else(|| {
        format!(
            "`{}` holds no belief about `{}`; add a [[beliefs]] entry with holder = \"{}\" and about = \"{}\"",
            s.actors[h].id, s.actors[about].id, s.actors[h].id, s.actors[about].id
        )
    })
}

/// The pressure `label` that actor `by` applies.
fn pressure_index(s: &Scenario, by: &str, label: &str) -> Result<usize, String> {
    let by = actor_index(&s.actors, by)?;
    let own: Vec<usize> = (0..s.pressures.len()).filter(|&k| s.pressures[k].by == by).collect();
    let labels: Vec<&str> = own.iter().map(|&k| s.pressures[k].label.as_str()).collect();
    if labels.is_empty() {
        return Err(format!(
            "actor `{}` applies no pressure; add a [[pressures]] entry with by = \"{}\"",
            s.actors[by].id, s.actors[by].id
        ));
    }
    let k = lookup("pressure", label, &labels).map_err(|e| format!("{e} (by `{}`)", s.actors[by].id))?;
    Ok(own[k])
}

/// Resolves `path` against `issues` and `actors` (every path but a
/// belief's and a pressure's, which [`parse_path`] also reads).
pub fn parse_param(issues: &[Issue], actors: &[Actor], path: &str) -> Result<Param, String> {
    let parts: Vec<&str> = path.trim().split('.').collect();
    let fields = ["reservation", "capability", "salience", "position", "values", "interaction", "belief", "pressure"];
    match parts.as_slice() {
        [a, "reservation"] => Ok(Param::Reservation(actor_index(actors, a)?)),
        [a, "capability"] => Ok(Param::Capability(actor_index(actors, a)?)),
        [a, "salience", i] => {
            let (a, i) = (actor_index(actors, a)?, issue_index(issues, i)?);
            stance_or_err(actors, issues, a, i)?;
            Ok(Param::Salience(a, i))
        }
        [a, "position", i] => {
            let (a, i) = (actor_index(actors, a)?, issue_index(issues, i)?);
            match stance_or_err(actors, issues, a, i)? {
                ValueFunction::Linear { .. } | ValueFunction::Quadratic { .. } | ValueFunction::Step { .. } => {}
                _ => {
                    return Err(format!(
                        "actor `{}`'s stance on `{}` has no position; vary its `values` entries instead",
                        actors[a].id, issues[i].id
                    ))
                }
            }
            if matches!(issues[i].domain, Domain::Discrete { .. }) {
                return Err(format!(
                    "issue `{}` has options, not numbers, so a position on it cannot take a range",
                    issues[i].id
                ));
            }
            Ok(Param::Position(a, i))
        }
        [a, "values", i, o] => {
            let (a, i) = (actor_index(actors, a)?, issue_index(issues, i)?);
            if !matches!(stance_or_err(actors, issues, a, i)?, ValueFunction::Table { .. }) {
                return Err(format!(
                    "actor `{}` values `{}` by a shape, not a table; vary its position or salience",
                    actors[a].id, issues[i].id
                ));
            }
            let Domain::Discrete { options, .. } = &issues[i].domain else {
                return Err(format!("issue `{}` has no options", issues[i].id));
            };
            let names: Vec<&str> = options.iter().map(String::as_str).collect();
            let o = lookup("option", o, &names).map_err(|e| format!("{e} (issue `{}`)", issues[i].id))?;
            Ok(Param::TableValue(a, i, o))
        }
        [a, "interaction", label] => {
            let a = actor_index(actors, a)?;
            // The actor's own terms (first), not those of pressures on it.
            let labels: Vec<&str> =
                actors[a].interactions.iter().filter(|t| t.is_own()).map(|t| t.label.as_str()).collect();
            if labels.is_empty() {
                return Err(format!("actor `{}` has no interaction terms", actors[a].id));
            }
            let k =
                lookup("interaction term", label, &labels).map_err(|e| format!("{e} (actor `{}`)", actors[a].id))?;
            Ok(Param::Interaction(a, k))
        }
        [a, field, ..] => {
            actor_index(actors, a)?;
            let hint = match did_you_mean(field, &fields) {
                Some(s) => format!("did you mean `{s}`? "),
                None => String::new(),
            };
            Err(format!("`{path}` names no number of a scenario; {hint}use {PATH_FORMS}"))
        }
        _ => Err(format!("`{path}` names no number of a scenario; use {PATH_FORMS}")),
    }
}

impl Param {
    /// The values the number may take: `(low, high)`, `high` infinite for
    /// capabilities.
    pub fn domain(&self, issues: &[Issue]) -> (f64, f64) {
        match *self {
            Param::Capability(_) => (0.0, f64::INFINITY),
            Param::Interaction(..) => (-1.0, 1.0),
            Param::Position(_, i) => match issues[i].domain {
                Domain::Integer { min, max, .. } => (min as f64, max as f64),
                Domain::Continuous { min, max, .. } => (min, max),
                Domain::Discrete { ref options, .. } => (0.0, options.len().saturating_sub(1) as f64),
            },
            _ => (0.0, 1.0),
        }
    }

    /// The number's value in `scenario` (a status-quo reservation gives the
    /// status quo's utility).
    pub fn value(&self, scenario: &Scenario) -> f64 {
        match *self {
            Param::Reservation(a) => scenario.reservation_value(a),
            Param::Capability(a) => scenario.actors[a].capability,
            Param::Salience(a, i) => scenario.actors[a].stance(i).map_or(0.0, |s| s.salience),
            Param::Position(a, i) => {
                scenario.actors[a].stance(i).and_then(|s| s.value.position()).map_or(0.0, |p| p.as_f64())
            }
            Param::TableValue(a, i, o) => match scenario.actors[a].stance(i).map(|s| &s.value) {
                Some(ValueFunction::Table { values }) => values.get(o).copied().unwrap_or(0.0),
                _ => 0.0,
            },
            Param::Interaction(a, k) => scenario.actors[a].interactions.get(k).map_or(0.0, |t| t.value),
            Param::BeliefReservation(b) => {
                let belief = &scenario.beliefs[b];
                let actor = scenario.perceived_actor(belief.holder, belief.about);
                match (actor.reservation, &scenario.status_quo) {
                    (Reservation::Value(v), _) => v,
                    (Reservation::StatusQuo, Some(sq)) => actor.utility(&scenario.issues, sq),
                    (Reservation::StatusQuo, None) => 0.0,
                }
            }
            Param::PressureCost(k) => scenario.pressures[k].cost,
        }
    }

    /// Sets the number to `x`, clamped to its domain (integer positions are
    /// rounded).
    pub fn set(&self, scenario: &mut Scenario, x: f64) {
        let (low, high) = self.domain(&scenario.issues);
        let x = x.clamp(low, high);
        match *self {
            Param::Reservation(a) => scenario.actors[a].reservation = Reservation::Value(x),
            Param::Capability(a) => {
                scenario.actors[a].capability = x;
                if !scenario.pressures.is_empty() {
                    scenario.refresh_pressures();
                }
            }
            Param::Salience(a, i) => {
                if let Some(s) = scenario.actors[a].stances.iter_mut().find(|s| s.issue == i) {
                    s.salience = x;
                }
            }
            Param::Position(a, i) => {
                let v = match scenario.issues[i].domain {
                    Domain::Integer { .. } => Value::Int(x.round() as i64),
                    _ => Value::Real(x),
                };
                if let Some(s) = scenario.actors[a].stances.iter_mut().find(|s| s.issue == i) {
                    s.value.set_position(v);
                }
            }
            Param::TableValue(a, i, o) => {
                if let Some(s) = scenario.actors[a].stances.iter_mut().find(|s| s.issue == i) {
                    if let ValueFunction::Table { values } = &mut s.value {
                        if let Some(v) = values.get_mut(o) {
                            *v = x;
                        }
                    }
                }
            }
            Param::Interaction(a, k) => {
                if let Some(t) = scenario.actors[a].interactions.get_mut(k) {
                    t.value = x;
                }
            }
            Param::BeliefReservation(b) => scenario.beliefs[b].reservation = Some(Reservation::Value(x)),
            Param::PressureCost(k) => {
                scenario.pressures[k].cost = x;
                scenario.refresh_pressures();
            }
        }
    }

    /// The path in canonical form.
    pub fn path(&self, scenario: &Scenario) -> String {
        let actor = |a: usize| scenario.actors[a].id.as_str();
        let issue = |i: usize| scenario.issues[i].id.as_str();
        match *self {
            Param::Reservation(a) => format!("{}.reservation", actor(a)),
            Param::Capability(a) => format!("{}.capability", actor(a)),
            Param::Salience(a, i) => format!("{}.salience.{}", actor(a), issue(i)),
            Param::Position(a, i) => format!("{}.position.{}", actor(a), issue(i)),
            Param::TableValue(a, i, o) => {
                let option = match &scenario.issues[i].domain {
                    Domain::Discrete { options, .. } => options[o].as_str(),
                    _ => "",
                };
                format!("{}.values.{}.{}", actor(a), issue(i), option)
            }
            Param::Interaction(a, k) => {
                format!("{}.interaction.{}", actor(a), scenario.actors[a].interactions[k].label)
            }
            Param::BeliefReservation(b) => {
                let belief = &scenario.beliefs[b];
                format!("{}.belief.{}.reservation", actor(belief.holder), actor(belief.about))
            }
            Param::PressureCost(k) => {
                let p = &scenario.pressures[k];
                format!("{}.pressure.{}", actor(p.by), p.label)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let text = r#"format = 1
name = "t"
[[issues]]
id = "i"
options = ["a", "b"]
[[issues]]
id = "n"
kind = "integer"
min = 0
max = 10
[[actors]]
id = "x"
reservation = 0.25
stances.i = { values = { a = 1, b = 0.5 }, salience = 1 }
stances.n = { position = 3, salience = 1 }
"#;
        crate::load_str("t.toml", text, crate::TextFormat::Toml).scenario.unwrap()
    }

    #[test]
    fn paths_resolve_read_and_write() {
        let mut s = scenario();
        let cases = [
            ("x.reservation", Param::Reservation(0), 0.25, (0.0, 1.0)),
            ("x.capability", Param::Capability(0), 1.0, (0.0, f64::INFINITY)),
            ("x.salience.n", Param::Salience(0, 1), 1.0, (0.0, 1.0)),
            ("x.position.n", Param::Position(0, 1), 3.0, (0.0, 10.0)),
            ("x.values.i.b", Param::TableValue(0, 0, 1), 0.5, (0.0, 1.0)),
        ];
        for (path, param, value, domain) in cases {
            let p = parse_param(&s.issues, &s.actors, path).unwrap();
            assert_eq!(p, param);
            assert_eq!(p.value(&s), value, "{path}");
            assert_eq!(p.domain(&s.issues), domain, "{path}");
            assert_eq!(p.path(&s), path);
        }
        Param::Position(0, 1).set(&mut s, 6.6);
        assert_eq!(Param::Position(0, 1).value(&s), 7.0);
        Param::TableValue(0, 0, 1).set(&mut s, 0.75);
        assert_eq!(Param::TableValue(0, 0, 1).value(&s), 0.75);
        Param::Salience(0, 0).set(&mut s, 2.0);
        assert_eq!(Param::Salience(0, 0).value(&s), 1.0, "clamped to the domain");
    }

    #[test]
    fn bad_paths_explain() {
        let s = scenario();
        let err = |p: &str| parse_param(&s.issues, &s.actors, p).unwrap_err();
        assert_eq!(err("y.reservation"), "no actor is named `y`; did you mean `x`?");
        assert!(err("x.salinece.i").contains("did you mean `salience`?"), "{}", err("x.salinece.i"));
        assert!(err("x.position.i").contains("vary its `values`"));
        assert!(err("x.values.n.a").contains("not a table"));
        assert!(err("x.values.i.c").contains("no option is named `c`"));
        assert!(err("x").contains("names no number"));
    }

    #[test]
    fn a_pressure_cost_is_a_path_and_moves_the_target() {
        let text = r#"format = 1
name = "p"
[[issues]]
id = "sanctions"
options = ["in-place", "lifted"]
[[actors]]
id = "japan"
stances.sanctions = { position = "lifted", salience = 1 }
[[actors]]
id = "usa"
role = "third-party"
capability = 0.5
stances.sanctions = { position = "in-place", salience = 1 }
[[pressures]]
label = "displeasure"
by = "usa"
on = "japan"
when = "sanctions == 'lifted'"
cost = 0.2
scaled = true
"#;
        let mut s = crate::load_str("p.toml", text, crate::TextFormat::Toml).scenario.unwrap();
        let lifted = vec![Value::Option(1)];
        // 1 − 0.2 × 0.5 / 1 (usa's capability over the largest, japan's 1).
        assert!((s.actors[0].utility(&s.issues, &lifted) - 0.9).abs() < 1e-12);
        let p = parse_path(&s, "usa.pressure.displeasure").unwrap();
        assert_eq!(p, Param::PressureCost(0));
        assert_eq!(
            (p.value(&s), p.domain(&s.issues), p.path(&s)),
            (0.2, (0.0, 1.0), "usa.pressure.displeasure".into())
        );
        p.set(&mut s, 0.6);
        assert!((s.actors[0].utility(&s.issues, &lifted) - 0.7).abs() < 1e-12, "the target's term follows the cost");
        let err = |path: &str| parse_path(&s, path).unwrap_err();
        assert!(err("usa.pressure.displesure").contains("did you mean `displeasure`?"));
        assert!(err("japan.pressure.displeasure").contains("actor `japan` applies no pressure"));
        assert!(err("usb.pressure.displeasure").contains("did you mean `usa`?"));
    }
}
