//! Writes a [`Scenario`] back to TOML or JSON in the native format, so that
//! reading the output gives the same scenario (tested as a property).

use serde_json::{json, Map, Value as Json};

use super::TextFormat;
use crate::scenario::*;

/// Renders `scenario` in `format`.
pub fn to_string(scenario: &Scenario, format: TextFormat) -> String {
    let doc = to_json_value(scenario);
    match format {
        TextFormat::Json => {
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        TextFormat::Toml => match json_to_toml(&doc) {
            Some(toml::Value::Table(t)) => toml::to_string(&t).unwrap_or_default(),
            _ => String::new(),
        },
    }
}

fn json_to_toml(v: &Json) -> Option<toml::Value> {
    Some(match v {
        Json::Null => return None,
        Json::Bool(b) => toml::Value::Boolean(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => toml::Value::String(s.clone()),
        Json::Array(a) => toml::Value::Array(a.iter().filter_map(json_to_toml).collect()),
        Json::Object(o) => {
            let mut t = toml::Table::new();
            for (k, v) in o {
                if let Some(v) = json_to_toml(v) {
                    t.insert(k.clone(), v);
                }
            }
            toml::Value::Table(t)
        }
    })
}

fn put(map: &mut Map<String, Json>, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        map.insert(key.into(), Json::String(v.clone()));
    }
}

fn number(v: f64) -> Json {
    serde_json::Number::from_f64(v).map(Json::Number).unwrap_or(Json::Null)
}

fn value(domain: &Domain, v: &Value) -> Json {
    match (domain, v) {
        (Domain::Discrete { options, .. }, Value::Option(i)) => {
            Json::String(options.get(*i).cloned().unwrap_or_default())
        }
        (Domain::Integer { .. }, Value::Int(i)) => json!(i),
        (_, v) => number(v.as_f64()),
    }
}

fn reservation(r: &Reservation) -> Json {
    match r {
        Reservation::Value(v) => number(*v),
        Reservation::StatusQuo => Json::String("status-quo".into()),
    }
}

/// `explicit_shape` writes `shape = "linear"` too: a believed stance that
/// leaves it out would inherit the true stance's shape.
fn stance(issue: &Issue, s: &Stance, explicit_shape: bool) -> Json {
    let mut m = Map::new();
    match &s.value {
        ValueFunction::Table { values } => {
            let Domain::Discrete { options, .. } = &issue.domain else { return Json::Null };
            let mut t = Map::new();
            for (o, v) in options.iter().zip(values) {
                t.insert(o.clone(), number(*v));
            }
            m.insert("values".into(), Json::Object(t));
        }
        f => {
            if let Some(p) = f.position() {
                m.insert("position".into(), value(&issue.domain, &p));
            }
            if explicit_shape || !matches!(f, ValueFunction::Linear { .. }) {
                m.insert("shape".into(), Json::String(f.shape_name().into()));
            }
            if let ValueFunction::Step { tolerance, .. } = f {
                m.insert("tolerance".into(), number(*tolerance));
            }
            if let ValueFunction::Affine { slope, offset } = f {
                m.insert("slope".into(), number(*slope));
                m.insert("offset".into(), number(*offset));
            }
        }
    }
    m.insert("salience".into(), number(s.salience));
    put(&mut m, "source", &s.source);
    Json::Object(m)
}

/// A bound end: an integer for integer issues when it is whole, so files read
/// naturally; a float otherwise (both read back to the same `f64`).
fn bound_end(domain: &Domain, v: f64) -> Json {
    let whole = v.fract() == 0.0 && v.abs() < 9.0e15;
    match domain {
        Domain::Integer { .. } if whole => json!(v as i64),
        _ => number(v),
    }
}

fn rectangles(issues: &[Issue], list: &[Rectangle]) -> Json {
    Json::Array(
        list.iter()
            .map(|r| {
                let mut bounds = Map::new();
                for b in &r.bounds {
                    let d = &issues[b.issue].domain;
                    bounds.insert(issues[b.issue].id.clone(), json!([bound_end(d, b.min), bound_end(d, b.max)]));
                }
                let mut m = Map::new();
                m.insert("utility".into(), number(r.utility));
                m.insert("bounds".into(), Json::Object(bounds));
                if r.exclude {
                    m.insert("exclude".into(), Json::Bool(true));
                }
                Json::Object(m)
            })
            .collect(),
    )
}

fn stances(issues: &[Issue], list: &[Stance], explicit_shape: bool) -> Json {
    let mut m = Map::new();
    for s in list {
        m.insert(issues[s.issue].id.clone(), stance(&issues[s.issue], s, explicit_shape));
    }
    Json::Object(m)
}

/// The scenario as a JSON document of the native format.
pub fn to_json_value(s: &Scenario) -> Json {
    let mut top = Map::new();
    top.insert("format".into(), json!(FORMAT_VERSION));
    top.insert("name".into(), Json::String(s.name.clone()));
    put(&mut top, "description", &s.description);
    put(&mut top, "source", &s.source);
    let issues: Vec<Json> = s
        .issues
        .iter()
        .map(|i| {
            let mut m = Map::new();
            m.insert("id".into(), Json::String(i.id.clone()));
            put(&mut m, "name", &i.name);
            put(&mut m, "description", &i.description);
            m.insert("kind".into(), Json::String(i.domain.kind_name().into()));
            match &i.domain {
                Domain::Discrete { options, ordered } => {
                    m.insert("options".into(), json!(options));
                    if *ordered {
                        m.insert("ordered".into(), Json::Bool(true));
                    }
                }
                Domain::Integer { min, max, unit } => {
                    m.insert("min".into(), json!(min));
                    m.insert("max".into(), json!(max));
                    put(&mut m, "unit", unit);
                }
                Domain::Continuous { min, max, unit } => {
                    m.insert("min".into(), number(*min));
                    m.insert("max".into(), number(*max));
                    put(&mut m, "unit", unit);
                }
            }
            if let Some(c) = &i.condition {
                m.insert("when".into(), Json::String(c.rule_text.clone()));
                m.insert("otherwise".into(), value(&i.domain, &c.otherwise));
            }
            put(&mut m, "source", &i.source);
            Json::Object(m)
        })
        .collect();
    top.insert("issues".into(), Json::Array(issues));
    let actors: Vec<Json> = s
        .actors
        .iter()
        .map(|a| {
            let mut m = Map::new();
            m.insert("id".into(), Json::String(a.id.clone()));
            put(&mut m, "name", &a.name);
            put(&mut m, "description", &a.description);
            m.insert("role".into(), Json::String(a.role.as_str().into()));
            m.insert("capability".into(), number(a.capability));
            m.insert("reservation".into(), reservation(&a.reservation));
            if !a.ratifiers.is_empty() {
                m.insert(
                    "ratifiers".into(),
                    json!(a.ratifiers.iter().map(|&r| s.actors[r].id.clone()).collect::<Vec<_>>()),
                );
            }
            if !a.vetoes.is_empty() {
                m.insert("vetoes".into(), json!(a.vetoes.iter().map(|&i| s.issues[i].id.clone()).collect::<Vec<_>>()));
            }
            if !a.normalize {
                m.insert("normalize".into(), Json::Bool(false));
            }
            if a.discount != 1.0 {
                m.insert("discount".into(), number(a.discount));
            }
            if let Some(k) = a.deadline {
                m.insert("deadline".into(), Json::String(s.events[k].id.clone()));
            }
            put(&mut m, "source", &a.source);
            if !a.stances.is_empty() {
                m.insert("stances".into(), stances(&s.issues, &a.stances, false));
            }
            if let UtilityModel::Rectangles(r) = &a.utility_model {
                m.insert("max_utility".into(), number(r.max_utility));
                m.insert("rectangles".into(), rectangles(&s.issues, &r.rectangles));
            }
            // Terms through which pressures reach the actor are written as
            // the [[pressures]] they come from.
            if a.interactions.iter().any(|t| t.is_own()) {
                let terms: Vec<Json> = a
                    .interactions
                    .iter()
                    .filter(|t| t.is_own())
                    .map(|t| {
                        let mut m = Map::new();
                        m.insert("label".into(), Json::String(t.label.clone()));
                        m.insert("when".into(), Json::String(t.rule_text.clone()));
                        m.insert("value".into(), number(t.value));
                        put(&mut m, "source", &t.source);
                        Json::Object(m)
                    })
                    .collect();
                m.insert("interactions".into(), Json::Array(terms));
            }
            Json::Object(m)
        })
        .collect();
    top.insert("actors".into(), Json::Array(actors));
    if !s.constraints.is_empty() {
        let list: Vec<Json> = s
            .constraints
            .iter()
            .map(|c| {
                let mut m = Map::new();
                m.insert("label".into(), Json::String(c.label.clone()));
                m.insert("owner".into(), Json::String(s.actors[c.owner].id.clone()));
                m.insert("rule".into(), Json::String(c.rule_text.clone()));
                put(&mut m, "description", &c.description);
                put(&mut m, "source", &c.source);
                Json::Object(m)
            })
            .collect();
        top.insert("constraints".into(), Json::Array(list));
    }
    if !s.beliefs.is_empty() {
        let list: Vec<Json> = s
            .beliefs
            .iter()
            .map(|b| {
                let mut m = Map::new();
                m.insert("holder".into(), Json::String(s.actors[b.holder].id.clone()));
                m.insert("about".into(), Json::String(s.actors[b.about].id.clone()));
                if let Some(r) = &b.reservation {
                    m.insert("reservation".into(), reservation(r));
                }
                if !b.dropped_constraints.is_empty() {
                    m.insert(
                        "dropped_constraints".into(),
                        json!(b
                            .dropped_constraints
                            .iter()
                            .map(|&c| s.constraints[c].label.clone())
                            .collect::<Vec<_>>()),
                    );
                }
                if !b.types.is_empty() {
                    let mut p = Map::new();
                    for &(t, prob) in &b.types {
                        p.insert(s.types[t].name.clone(), number(prob));
                    }
                    m.insert("types".into(), Json::Object(p));
                }
                put(&mut m, "source", &b.source);
                if !b.stances.is_empty() {
                    m.insert("stances".into(), stances(&s.issues, &b.stances, true));
                }
                Json::Object(m)
            })
            .collect();
        top.insert("beliefs".into(), Json::Array(list));
    }
    if !s.types.is_empty() {
        let list: Vec<Json> = s
            .types
            .iter()
            .map(|t| {
                let mut m = Map::new();
                m.insert("actor".into(), Json::String(s.actors[t.actor].id.clone()));
                m.insert("name".into(), Json::String(t.name.clone()));
                m.insert("prior".into(), number(t.prior));
                if let Some(r) = &t.reservation {
                    m.insert("reservation".into(), reservation(r));
                }
                if !t.dropped_constraints.is_empty() {
                    let labels: Vec<String> =
                        t.dropped_constraints.iter().map(|&c| s.constraints[c].label.clone()).collect();
                    m.insert("dropped_constraints".into(), json!(labels));
                }
                put(&mut m, "description", &t.description);
                put(&mut m, "source", &t.source);
                if !t.stances.is_empty() {
                    m.insert("stances".into(), stances(&s.issues, &t.stances, true));
                }
                Json::Object(m)
            })
            .collect();
        top.insert("types".into(), Json::Array(list));
    }
    if !s.pressures.is_empty() {
        let list: Vec<Json> = s
            .pressures
            .iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("label".into(), Json::String(p.label.clone()));
                m.insert("by".into(), Json::String(s.actors[p.by].id.clone()));
                m.insert("on".into(), Json::String(s.actors[p.on].id.clone()));
                m.insert("when".into(), Json::String(p.rule_text.clone()));
                m.insert("cost".into(), number(p.cost));
                if p.scaled {
                    m.insert("scaled".into(), Json::Bool(true));
                }
                put(&mut m, "description", &p.description);
                put(&mut m, "source", &p.source);
                Json::Object(m)
            })
            .collect();
        top.insert("pressures".into(), Json::Array(list));
    }
    if let Some(sq) = &s.status_quo {
        let mut m = Map::new();
        for (issue, v) in s.issues.iter().zip(sq) {
            m.insert(issue.id.clone(), value(&issue.domain, v));
        }
        top.insert("status_quo".into(), Json::Object(m));
    }
    if !s.uncertain.is_empty() {
        let list = s
            .uncertain
            .iter()
            .map(|u| {
                let mut m = Map::new();
                m.insert("param".into(), Json::String(u.param.path(s)));
                m.insert("range".into(), json!([number(u.low), number(u.high)]));
                m.insert("distribution".into(), Json::String(u.distribution.name().into()));
                put(&mut m, "source", &u.source);
                Json::Object(m)
            })
            .collect();
        top.insert("uncertain".into(), Json::Array(list));
    }
    if !s.plans.is_empty() {
        let list = s
            .plans
            .iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("name".into(), Json::String(p.name.clone()));
                let phases: Vec<Vec<String>> =
                    p.phases.iter().map(|ph| ph.iter().map(|&i| s.issues[i].id.clone()).collect()).collect();
                m.insert("phases".into(), json!(phases));
                if p.commitments.iter().any(|&c| c != 1.0) {
                    m.insert("commitment".into(), Json::Array(p.commitments.iter().map(|&c| number(c)).collect()));
                }
                put(&mut m, "description", &p.description);
                put(&mut m, "source", &p.source);
                Json::Object(m)
            })
            .collect();
        top.insert("plans".into(), Json::Array(list));
    }
    if let Some(c) = &s.calendar {
        top.insert("calendar".into(), json!({ "start": c.start.to_string(), "days_per_round": c.days_per_round }));
    }
    if !s.statements.is_empty() {
        top.insert("statements".into(), Json::Array(s.statements.iter().map(|st| statement(s, st)).collect()));
    }
    if !s.events.is_empty() {
        top.insert("events".into(), Json::Array(s.events.iter().map(|e| event(s, e)).collect()));
    }
    Json::Object(top)
}

/// `--set` edits and dropped constraints as an event's `set` and `drop` (or
/// a statement's `reactions` and `drop`).
fn changes(s: &Scenario, edits: &[crate::whatif::Edit]) -> (Map<String, Json>, Vec<Json>) {
    let mut set = Map::new();
    let mut drop = Vec::new();
    for edit in edits {
        match (edit, edit.as_set(s)) {
            (_, Some((path, crate::whatif::EditValue::Number(v)))) => {
                set.insert(path, number(v));
            }
            (_, Some((path, crate::whatif::EditValue::Text(t)))) => {
                set.insert(path, Json::String(t));
            }
            (crate::whatif::Edit::Drop(c), None) => drop.push(Json::String(s.constraints[*c].label.clone())),
            _ => {}
        }
    }
    (set, drop)
}

fn statement(s: &Scenario, st: &crate::scenario::Statement) -> Json {
    let mut m = Map::new();
    m.insert("id".into(), Json::String(st.id.clone()));
    m.insert("by".into(), Json::String(s.actors[st.by].id.clone()));
    m.insert("kind".into(), Json::String(st.kind.as_str().into()));
    put(&mut m, "says", &st.says);
    put(&mut m, "pledge", &st.pledge_text);
    if st.audience_cost > 0.0 {
        m.insert("audience_cost".into(), number(st.audience_cost));
    }
    if st.heard_by.len() != s.actors.len() {
        m.insert("heard_by".into(), json!(st.heard_by.iter().map(|&a| s.actors[a].id.clone()).collect::<Vec<_>>()));
    }
    let (set, drop) = changes(s, &st.reactions);
    if !set.is_empty() {
        m.insert("reactions".into(), Json::Object(set));
    }
    if !drop.is_empty() {
        m.insert("drop".into(), Json::Array(drop));
    }
    put(&mut m, "description", &st.description);
    put(&mut m, "source", &st.source);
    Json::Object(m)
}

fn event(s: &Scenario, e: &Event) -> Json {
    let mut m = Map::new();
    m.insert("id".into(), Json::String(e.id.clone()));
    put(&mut m, "name", &e.name);
    if let Some(d) = e.date {
        m.insert("date".into(), Json::String(d.to_string()));
    }
    if let Some(r) = e.round {
        m.insert("round".into(), json!(r));
    }
    let (set, drop) = changes(s, &e.changes);
    if !set.is_empty() {
        m.insert("set".into(), Json::Object(set));
    }
    if !drop.is_empty() {
        m.insert("drop".into(), Json::Array(drop));
    }
    if !e.statements.is_empty() {
        m.insert(
            "statements".into(),
            json!(e.statements.iter().map(|&k| s.statements[k].id.clone()).collect::<Vec<_>>()),
        );
    }
    put(&mut m, "description", &e.description);
    put(&mut m, "source", &e.source);
    Json::Object(m)
}
