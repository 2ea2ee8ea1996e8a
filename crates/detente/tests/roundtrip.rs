//! Property: any valid scenario survives a write–read round trip unchanged,
//! in TOML and in JSON.

use detente::format::write::to_string;
use detente::scenario::*;
use detente::{load_str, TextFormat};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[ -~\\n\\t\"'\\\\é€日本語]{0,24}")
}

fn domain() -> impl Strategy<Value = Domain> {
    prop_oneof![
        (2usize..5, any::<bool>()).prop_map(|(n, ordered)| Domain::Discrete {
            options: (0..n).map(|i| format!("opt {i}")).collect(),
            ordered
        }),
        (-50i64..50, 0i64..30, prop::option::of("[a-z ]{1,8}")).prop_map(|(min, w, unit)| Domain::Integer {
            min,
            max: min + w,
            unit
        }),
        (-1e6f64..1e6, 1e-3f64..1e4, prop::option::of("[a-z ]{1,8}")).prop_map(|(min, w, unit)| Domain::Continuous {
            min,
            max: min + w,
            unit
        }),
    ]
}

/// A value inside `domain`, from a uniform draw `u` in [0, 1).
fn value_in(domain: &Domain, u: f64) -> Value {
    match domain {
        Domain::Discrete { options, .. } => Value::Option(((u * options.len() as f64) as usize).min(options.len() - 1)),
        Domain::Integer { min, max, .. } => Value::Int(min + ((u * ((max - min + 1) as f64)) as i64).min(max - min)),
        Domain::Continuous { min, max, .. } => Value::Real((min + u * (max - min)).clamp(*min, *max)),
    }
}

fn value_function(domain: &Domain, pick: u8, u: f64, table: Vec<f64>, tol: f64) -> ValueFunction {
    let position = value_in(domain, u);
    match (pick % 5, domain) {
        (0, _) => ValueFunction::Linear { position },
        (1, _) => ValueFunction::Quadratic { position },
        (2, _) => ValueFunction::Step { position, tolerance: tol },
        (_, Domain::Discrete { options, .. }) => {
            ValueFunction::Table { values: table.into_iter().cycle().take(options.len()).collect() }
        }
        // Any slope and offset are valid (values leaving 0–1 only warn).
        (3, _) => ValueFunction::Affine { slope: (u - 0.5) * tol, offset: table[0] },
        _ => ValueFunction::Linear { position },
    }
}

fn literal(domain: &Domain, u: f64) -> String {
    match (domain, value_in(domain, u)) {
        (Domain::Discrete { options, .. }, Value::Option(i)) => format!("\"{}\"", options[i]),
        (_, v) => format!("{}", v.as_f64()),
    }
}

#[derive(Debug, Clone)]
struct Draws {
    texts: Vec<Option<String>>,
    units: Vec<f64>,
    bytes: Vec<u8>,
}

fn draws() -> impl Strategy<Value = Draws> {
    (
        prop::collection::vec(text(), 64),
        prop::collection::vec(0.0f64..1.0, 256),
        prop::collection::vec(any::<u8>(), 256),
    )
        .prop_map(|(texts, units, bytes)| Draws { texts, units, bytes })
}

/// Builds a scenario from the draws; every choice is valid by construction.
fn build(issues: Vec<Domain>, n_actors: usize, d: Draws) -> Scenario {
    let mut t = d.texts.into_iter().cycle();
    let mut u = d.units.into_iter().cycle();
    let mut b = d.bytes.into_iter().cycle();
    let mut next_text = move || t.next().unwrap();
    let mut next_u = move || u.next().unwrap();
    let mut next_b = move || b.next().unwrap();
    let issues: Vec<Issue> = issues
        .into_iter()
        .enumerate()
        .map(|(i, domain)| Issue {
            id: format!("issue_{i}"),
            name: next_text(),
            description: next_text(),
            source: next_text(),
            domain,
            condition: None,
        })
        .collect();
    let status_quo: Option<Outcome> =
        (next_b() % 2 == 0).then(|| issues.iter().map(|i| value_in(&i.domain, next_u())).collect());
    let numeric: Vec<usize> =
        (0..issues.len()).filter(|&i| !matches!(issues[i].domain, Domain::Discrete { .. })).collect();
    let mut actors = Vec::new();
    for k in 0..n_actors {
        let mut stances = Vec::new();
        let mut utility_model = UtilityModel::Additive;
        if !numeric.is_empty() && next_b() % 4 == 0 {
            let mut rectangles = Vec::new();
            for _ in 0..(next_b() % 4) {
                let mut bounds = Vec::new();
                for &i in &numeric {
                    if next_b() % 2 == 0 {
                        let (a, b) = (value_in(&issues[i].domain, next_u()), value_in(&issues[i].domain, next_u()));
                        let (min, max) = (a.as_f64().min(b.as_f64()), a.as_f64().max(b.as_f64()));
                        bounds.push(Bound { issue: i, min, max });
                    }
                }
                rectangles.push(Rectangle { utility: next_u() * 100.0, bounds, exclude: next_b() % 3 == 0 });
            }
            utility_model =
                UtilityModel::Rectangles(RectangleUtility { max_utility: 1.0 + next_u() * 100.0, rectangles });
        }
        for (i, issue) in issues.iter().enumerate() {
            if utility_model == UtilityModel::Additive && next_b() % 3 != 0 {
                let table: Vec<f64> = (0..4).map(|_| next_u()).collect();
                stances.push(Stance {
                    issue: i,
                    salience: next_u(),
                    value: value_function(&issue.domain, next_b(), next_u(), table, next_u() * 5.0),
                    source: next_text(),
                });
            }
        }
        let reservation = if status_quo.is_some() && next_b() % 2 == 0 {
            Reservation::StatusQuo
        } else {
            Reservation::Value(next_u())
        };
        let ratifiers = (0..n_actors).filter(|&r| r != k && next_b() % 4 == 0).collect();
        let vetoes = (0..issues.len()).filter(|_| next_b() % 5 == 0).collect();
        actors.push(Actor {
            id: format!("actor_{k}"),
            name: next_text(),
            description: next_text(),
            source: next_text(),
            role: Role::ALL[(next_b() % 4) as usize],
            capability: next_u() * 100.0,
            reservation,
            ratifiers,
            vetoes,
            normalize: next_b() % 2 == 0,
            stances,
            discount: if next_b() % 3 == 0 { 1.0 - next_u() * 0.99 } else { 1.0 },
            utility_model,
            interactions: Vec::new(),
            deadline: None,
        });
    }
    let mut constraints = Vec::new();
    for c in 0..(next_b() % 4) as usize {
        let i = (next_b() as usize) % issues.len();
        let j = (next_b() as usize) % issues.len();
        let cmp = |issue: &Issue, u: f64| match &issue.domain {
            Domain::Discrete { .. } => format!("{} == {}", issue.id, literal(&issue.domain, u)),
            _ => format!("{} <= {}", issue.id, literal(&issue.domain, u)),
        };
        let (a, bb) = (cmp(&issues[i], next_u()), cmp(&issues[j], next_u()));
        let rule_text = match next_b() % 4 {
            0 => format!("never {a}"),
            1 => format!("{a} -> {bb}"),
            2 => format!("{a} <-> not ({bb})"),
            _ => format!("{a} or {bb}"),
        };
        let rule = parse_rule_for(&rule_text, &issues);
        constraints.push(Constraint {
            label: format!("c-{c}"),
            owner: (next_b() as usize) % n_actors,
            rule_text,
            rule,
            description: next_text(),
            source: next_text(),
        });
    }
    let mut beliefs = Vec::new();
    if n_actors > 1 {
        for _ in 0..(next_b() % 3) {
            let holder = (next_b() as usize) % n_actors;
            let about = (holder + 1 + (next_b() as usize) % (n_actors - 1)) % n_actors;
            let mut stances = Vec::new();
            // A rectangles actor has no stances a belief could change.
            let additive = actors[about].utility_model == UtilityModel::Additive;
            for (i, issue) in issues.iter().enumerate() {
                if additive && next_b() % 2 == 0 {
                    let table: Vec<f64> = (0..4).map(|_| next_u()).collect();
                    let value = value_function(&issue.domain, next_b(), next_u(), table, next_u());
                    stances.push(Stance { issue: i, salience: next_u(), value, source: next_text() });
                }
            }
            let dropped =
                (0..constraints.len()).filter(|&c| constraints[c].owner == about && next_b() % 2 == 0).collect();
            beliefs.push(Belief {
                holder,
                about,
                reservation: (next_b() % 2 == 0).then(|| Reservation::Value(next_u())),
                stances,
                dropped_constraints: dropped,
                types: Vec::new(),
                source: next_text(),
            });
        }
    }
    let mut uncertain = Vec::new();
    for (k, actor) in actors.iter().enumerate() {
        if next_b() % 2 == 0 {
            let low = actor.capability * next_u();
            uncertain.push(Uncertain {
                param: Param::Capability(k),
                low,
                high: low + 1.0 + next_u(),
                distribution: Distribution::Uniform,
                source: next_text(),
            });
        }
        if let Some(stance) = actor.stances.first() {
            if next_b() % 2 == 0 {
                uncertain.push(Uncertain {
                    param: Param::Salience(k, stance.issue),
                    low: 0.0,
                    high: 1.0,
                    distribution: Distribution::Triangular,
                    source: next_text(),
                });
            }
            if let (ValueFunction::Table { values }, true) = (&stance.value, next_b() % 2 == 0) {
                let o = (next_b() as usize) % values.len();
                uncertain.push(Uncertain {
                    param: Param::TableValue(k, stance.issue, o),
                    low: next_u() * 0.5,
                    high: 0.5 + next_u() * 0.5,
                    distribution: Distribution::Uniform,
                    source: next_text(),
                });
            }
        }
    }
    // Events: a dated one (placed by a calendar, sometimes), then a
    // numbered one after it; changes in the --set language and drops.
    let mut events = Vec::new();
    let mut calendar = None;
    if next_b() % 2 == 0 {
        use detente::scenario::calendar::{Calendar, Date, Event};
        use detente::whatif::Edit;
        let date = Date::parse(&format!("20{:02}-{:02}-{:02}", next_b() % 100, 1 + next_b() % 12, 1 + next_b() % 28))
            .expect("a valid day");
        let mut changes = vec![Edit::Reservation(0, Reservation::Value(next_u()))];
        if next_b() % 2 == 0 {
            changes.push(Edit::Capability(actors.len() - 1, 10.0 * next_u()));
        }
        if !constraints.is_empty() && next_b() % 2 == 0 {
            changes.push(Edit::Drop(0));
        }
        let mut last = 0;
        if next_b() % 2 == 0 {
            let start = Date::parse("2000-01-01").expect("a day");
            let c = Calendar { start, days_per_round: 1 + u32::from(next_b()) };
            last = c.round_of(date).expect("after the start");
            calendar = Some(c);
        }
        events.push(Event {
            id: "e0".into(),
            name: next_text(),
            date: Some(date),
            round: None,
            changes,
            statements: Vec::new(),
            description: next_text(),
            source: next_text(),
        });
        if next_b() % 2 == 0 {
            events.push(Event {
                id: "e1".into(),
                name: None,
                date: None,
                round: Some(last + u64::from(next_b())),
                changes: Vec::new(),
                statements: Vec::new(),
                description: None,
                source: next_text(),
            });
        }
        if actors[0].role == Role::Party && next_b() % 2 == 0 && (calendar.is_some() || events.len() > 1) {
            actors[0].deadline = Some(events.len() - 1);
        }
    }
    // Types of the first actor (priors that sum to exactly 1 in decimal),
    // beliefs' probabilities of them, and a pressure on it.
    let mut types = Vec::new();
    if next_b() % 2 == 0 {
        let priors: &[f64] = match next_b() % 3 {
            0 => &[1.0],
            1 => &[0.25, 0.75],
            _ => &[0.2, 0.3, 0.5],
        };
        let additive = actors[0].utility_model == UtilityModel::Additive;
        for (k, &prior) in priors.iter().enumerate() {
            let stances = match actors[0].stances.first() {
                Some(st) if additive && next_b() % 2 == 0 => {
                    vec![Stance { salience: next_u(), ..st.clone() }]
                }
                _ => Vec::new(),
            };
            types.push(detente::scenario::ActorType {
                actor: 0,
                name: format!("type-{k}"),
                prior,
                reservation: (next_b() % 2 == 0).then(|| Reservation::Value(next_u())),
                stances,
                dropped_constraints: (0..constraints.len())
                    .filter(|&c| constraints[c].owner == 0 && next_b() % 2 == 0)
                    .collect(),
                description: next_text(),
                source: next_text(),
            });
        }
        for b in beliefs.iter_mut().filter(|b| b.about == 0) {
            if next_b() % 2 == 0 {
                b.types = if types.len() == 1 { vec![(0, 1.0)] } else { vec![(0, 0.5), (1, 0.5)] };
            }
        }
    }
    let mut pressures = Vec::new();
    if n_actors > 1 && actors[0].utility_model == UtilityModel::Additive && next_b() % 2 == 0 {
        let rule_text = match &issues[0].domain {
            Domain::Discrete { .. } => format!("{} == {}", issues[0].id, literal(&issues[0].domain, next_u())),
            _ => format!("{} <= {}", issues[0].id, literal(&issues[0].domain, next_u())),
        };
        pressures.push(detente::scenario::Pressure {
            label: "pressure-1".into(),
            by: 1,
            on: 0,
            rule: parse_rule_for(&rule_text, &issues),
            rule_text,
            cost: next_u(),
            scaled: next_b() % 2 == 0,
            description: next_text(),
            source: next_text(),
        });
    }
    // A commitment by the first actor heard by the second, who reacts, and
    // a signal everyone hears; the second event, when there is one, makes
    // the commitment.
    let mut statements = Vec::new();
    if n_actors > 1 && actors[0].utility_model == UtilityModel::Additive && next_b() % 2 == 0 {
        use detente::scenario::{Statement, StatementKind};
        let pledge_text = match &issues[0].domain {
            Domain::Discrete { .. } => format!("{} != {}", issues[0].id, literal(&issues[0].domain, next_u())),
            _ => format!("{} >= {}", issues[0].id, literal(&issues[0].domain, next_u())),
        };
        statements.push(Statement {
            id: "commitment-1".into(),
            by: 0,
            kind: StatementKind::Commitment,
            says: next_text(),
            pledge: Some(parse_rule_for(&pledge_text, &issues)),
            pledge_text: Some(pledge_text),
            audience_cost: next_u(),
            heard_by: vec![1],
            reactions: vec![detente::whatif::Edit::Reservation(1, Reservation::Value(next_u()))],
            made: false,
            description: next_text(),
            source: next_text(),
        });
        statements.push(Statement {
            id: "signal-1".into(),
            by: 1,
            kind: StatementKind::Signal,
            says: next_text(),
            pledge_text: None,
            pledge: None,
            audience_cost: 0.0,
            heard_by: (0..n_actors).collect(),
            reactions: Vec::new(),
            made: false,
            description: None,
            source: next_text(),
        });
        if events.len() > 1 {
            events[1].statements = vec![0];
        }
    }
    let mut scenario = Scenario {
        statements,
        types,
        pressures,
        events,
        calendar,
        name: next_text().unwrap_or_else(|| "generated".into()),
        description: next_text(),
        source: next_text(),
        plans: match &status_quo {
            // A plan needs a status quo; every issue named, in two phases
            // when there are two issues or more.
            Some(_) => vec![detente::scenario::Plan {
                name: "plan-1".into(),
                phases: if issues.len() > 1 { vec![vec![0], (1..issues.len()).collect()] } else { vec![vec![0]] },
                commitments: if issues.len() > 1 { vec![next_u()] } else { vec![] },
                description: next_text(),
                source: next_text(),
            }],
            None => Vec::new(),
        },
        issues,
        actors,
        constraints,
        beliefs,
        status_quo,
        uncertain,
    };
    // As a load does: pressures reach their targets as terms.
    scenario.refresh_pressures();
    scenario
}

fn parse_rule_for(text: &str, issues: &[Issue]) -> Expr {
    detente::scenario::expr::parse_rule(text, issues, &|s, e| detente::Span::new(s, e))
        .expect("generated rule parses")
        .0
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (prop::collection::vec(domain(), 1..6), 1usize..5, draws()).prop_map(|(issues, n, d)| build(issues, n, d))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn toml_round_trip(s in scenario()) {
        let text = to_string(&s, TextFormat::Toml);
        let loaded = load_str("gen.toml", &text, TextFormat::Toml);
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{errors:?}\n{text}");
        prop_assert_eq!(loaded.scenario.as_ref(), Some(&s), "{}", text);
    }

    #[test]
    fn json_round_trip(s in scenario()) {
        let text = to_string(&s, TextFormat::Json);
        let loaded = load_str("gen.json", &text, TextFormat::Json);
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{errors:?}\n{text}");
        prop_assert_eq!(loaded.scenario.as_ref(), Some(&s), "{}", text);
    }

    #[test]
    fn toml_to_json_to_toml_is_stable(s in scenario()) {
        let json = to_string(&s, TextFormat::Json);
        let back = load_str("gen.json", &json, TextFormat::Json).scenario.expect("valid");
        prop_assert_eq!(to_string(&back, TextFormat::Toml), to_string(&s, TextFormat::Toml));
    }
}

#[test]
fn generated_scenarios_are_rich() {
    // Guards the generator: the round trip must see every construct.
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut beliefs, mut constraints, mut tables, mut steps, mut sq) = (0, 0, 0, 0, 0);
    let (mut affine, mut rectangles, mut discounts) = (0, 0, 0);
    let (mut events, mut calendars, mut deadlines, mut drops) = (0, 0, 0, 0);
    for _ in 0..200 {
        let s = scenario().new_tree(&mut runner).unwrap().current();
        events += s.events.len();
        calendars += usize::from(s.calendar.is_some());
        deadlines += s.actors.iter().filter(|a| a.deadline.is_some()).count();
        drops +=
            s.events.iter().flat_map(|e| &e.changes).filter(|c| matches!(c, detente::whatif::Edit::Drop(_))).count();
        beliefs += s.beliefs.len();
        constraints += s.constraints.len();
        sq += usize::from(s.status_quo.is_some());
        for a in &s.actors {
            rectangles += usize::from(matches!(a.utility_model, UtilityModel::Rectangles(_)));
            discounts += usize::from(a.discount != 1.0);
            for st in &a.stances {
                affine += usize::from(matches!(st.value, ValueFunction::Affine { .. }));
                tables += usize::from(matches!(st.value, ValueFunction::Table { .. }));
                steps += usize::from(matches!(st.value, ValueFunction::Step { .. }));
            }
        }
    }
    assert!(
        beliefs > 50 && constraints > 100 && tables > 20 && steps > 20 && sq > 50,
        "{beliefs} {constraints} {tables} {steps} {sq}"
    );
    assert!(affine > 20 && rectangles > 20 && discounts > 50, "{affine} {rectangles} {discounts}");
    assert!(events > 80 && calendars > 20 && deadlines > 10 && drops > 10, "{events} {calendars} {deadlines} {drops}");
}
