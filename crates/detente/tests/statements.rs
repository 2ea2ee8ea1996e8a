//! Public statements and audience costs, worked by hand on
//! `tests/fixtures/statements.toml` (`docs/scenario-format.md`,
//! "Statements"; `docs/negotiation.md`, "Statements in talks").
//!
//! The harbour lease: one issue, `price` ∈ {low, mid, high}.
//!
//! | price | line (reservation 0.5) | port (reservation 0.5) |
//! |-------|------------------------|------------------------|
//! | low   | 1.0                    | 0.0                    |
//! | mid   | 0.6                    | 0.6                    |
//! | high  | 0.2                    | 1.0                    |
//!
//! Parties accept what is strictly better than their reservation, so the
//! agreement set of the file as written is {mid}.

use detente::analysis::{analyze, Config};
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig};
use detente::negotiation::{registry, run, Deadline};
use detente::scenario::{Scenario, Value};
use detente::{load_str, TextFormat};
use proptest::prelude::*;

const FIXTURE: &str = include_str!("fixtures/statements.toml");

fn load(text: &str) -> Scenario {
    let loaded = load_str("statements.toml", text, TextFormat::Toml);
    assert!(loaded.diagnostics.iter().all(|d| !d.is_error()), "{:?}", loaded.diagnostics);
    loaded.scenario.unwrap()
}

/// The fixture without its `[[events]]`: every statement unmade.
fn unscheduled() -> Scenario {
    load(FIXTURE.split("[[events]]").next().unwrap())
}

/// The prices every actor strictly prefers to its reservation, checked
/// against the analysis's own count.
fn agreement_set(s: &Scenario) -> Vec<String> {
    let options = ["low", "mid", "high"];
    let set: Vec<String> = (0..3usize)
        .filter(|&o| {
            (0..s.actors.len()).all(|a| s.actors[a].utility(&s.issues, &[Value::Option(o)]) > s.reservation_value(a))
        })
        .map(|o| format!("price={}", options[o]))
        .collect();
    let a = analyze(s, &Config::default()).unwrap();
    assert_eq!(a.agreement_set_size, Some(set.len() as u64));
    set
}

#[test]
fn the_file_as_written_agrees_on_mid() {
    let s = unscheduled();
    assert_eq!(agreement_set(&s), ["price=mid"]);
    assert!(s.statements.iter().all(|st| !st.made));
    // No statement made: no audience-cost term anywhere.
    assert!(s.actors.iter().all(|a| a.interactions.is_empty()));
}

/// The line's assurance "not a giveaway" reaches the port, which raises
/// its reservation to 0.7: mid is worth 0.6 < 0.7 to the port, low 0.0 and
/// high 1.0 but 0.2 < 0.5 to the line. The deal is gone.
#[test]
fn a_statement_that_moves_a_listeners_reservation_removes_the_deal() {
    let s = unscheduled();
    let k = s.statement_index("no-low-price").unwrap();
    let after = s.make_statements(&[k]);
    assert_eq!(after.reservation_value(1), 0.7);
    assert!(agreement_set(&after).is_empty());
    // The assurance carries no audience cost: the line's utilities are as before.
    let mid = [Value::Option(1)];
    assert_eq!(after.actors[0].utility(&after.issues, &mid), 0.6);
}

/// The line commits to "low or nothing" with an audience cost of 0.2: mid
/// now breaks its pledge and is worth 0.6 − 0.2 = 0.4 < 0.5 to it; low
/// keeps the pledge (1.0) but is worth 0.0 to the port; high breaks it
/// (0.2 − 0.2 = 0.0). The concession to mid it would have made is refused.
#[test]
fn an_audience_cost_makes_the_speaker_refuse_a_concession() {
    let s = unscheduled();
    let k = s.statement_index("low-or-nothing").unwrap();
    let after = s.make_statements(&[k]);
    let u = |p: usize| after.actors[0].utility(&after.issues, &[Value::Option(p)]);
    assert_eq!(u(0), 1.0);
    assert!((u(1) - 0.4).abs() < 1e-12);
    assert!(u(2).abs() < 1e-12);
    assert!(agreement_set(&after).is_empty());
    // The port's utilities do not move: the cost is the speaker's alone.
    assert_eq!(after.actors[1].utility(&after.issues, &[Value::Option(1)]), 0.6);

    // In talks: two linear concessors meet at mid without the statement
    // and never agree with it, said before the first offer.
    let talks = |s: &Scenario| {
        let domain = Domain::new(s, &DomainConfig::default()).unwrap();
        let specs = vec![registry::parse("linear").unwrap(), registry::parse("linear").unwrap()];
        let protocol = AlternatingOffers { deadline: Deadline::rounds(10) };
        run(&protocol, &domain, &[0, 1], &specs, 1, true).unwrap()
    };
    let before = talks(&s);
    assert_eq!(before.agreement.map(|k| before_label(&s, k)), Some("price=mid".to_string()));
    let said = s.with_said(&[(k, 0)]).unwrap();
    let with = talks(&said);
    assert_eq!(with.agreement, None);
    // The line never offers mid once committed.
    let mid = 1;
    assert!(with.trace.iter().all(|e| e.action != detente::negotiation::Action::Offer(mid) || e.actor != Some(0)));
}

fn before_label(s: &Scenario, k: usize) -> String {
    let domain = Domain::new(s, &DomainConfig::default()).unwrap();
    let Value::Option(o) = domain.outcome(k)[0] else { unreachable!() };
    format!("price={}", ["low", "mid", "high"][o])
}

/// A signal pledges nothing: making one with no reactions changes nothing.
#[test]
fn a_signal_without_reactions_changes_nothing() {
    let s = unscheduled();
    let k = s.statement_index("fair-deal").unwrap();
    let after = s.make_statements(&[k]);
    assert_eq!(agreement_set(&after), agreement_set(&s));
    assert!(after.actors.iter().all(|a| a.interactions.is_empty()));
}

/// The event at round 3 makes the assurance: the scenario after it is the
/// one `make_statements` gives, and the timeline turns from deal to none.
#[test]
fn an_event_makes_its_statements() {
    let s = load(FIXTURE);
    assert_eq!(s.events[0].statements, vec![s.statement_index("no-low-price").unwrap()]);
    let after = s.after_event(0);
    assert!(after.statements[0].made);
    assert_eq!(after.reservation_value(1), 0.7);
    let periods = detente::analysis::timeline::timeline(&s, &Config::default()).unwrap();
    let deals: Vec<bool> = periods.iter().map(|p| p.analysis.as_ref().unwrap().deal_exists).collect();
    assert_eq!(deals, [true, false]);
}

/// A scripted statement lands as an event at its round, after the events
/// already in force by then, and deadlines keep naming their events.
#[test]
fn a_scripted_statement_is_an_event_at_its_round() {
    let s = load(FIXTURE);
    let k = s.statement_index("low-or-nothing").unwrap();
    let said = s.with_said(&[(k, 5)]).unwrap();
    let ids: Vec<&str> = said.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["press-conference", "low-or-nothing-said"]);
    assert_eq!(said.event_round(1), Some(5));
    let early = s.with_said(&[(k, 0)]).unwrap();
    assert_eq!(early.events[0].id, "low-or-nothing-said");
    // Said twice, or already made by an event: refused.
    assert!(s.with_said(&[(k, 0), (k, 2)]).unwrap_err().contains("said twice"));
    assert!(s.parse_said("no-low-price@1").unwrap_err().contains("already made by event `press-conference`"));
}

/// `speak=honest` makes only what costs the speaker nothing: the port's
/// "not below cost" rules out `low`, worth 0.0 ≤ 0.5 to it; the line's
/// "low or nothing" would rule out `mid`, worth 0.6 > 0.5 to it, so an
/// honest line stays silent (and its other statement is the event's).
/// `speak=all` makes every statement of its party not already made.
#[test]
fn strategies_speak_honestly_or_all() {
    use detente::negotiation::speech::{after_speech, opening_statements};
    let s = load(FIXTURE);
    let domain = Domain::new(&s, &DomainConfig::default()).unwrap();
    let specs = |a: &str, b: &str| vec![registry::parse(a).unwrap(), registry::parse(b).unwrap()];
    let ids = |said: Vec<usize>| said.into_iter().map(|k| s.statements[k].id.clone()).collect::<Vec<_>>();
    let honest = specs("linear:speak=honest", "linear:speak=honest");
    assert_eq!(ids(opening_statements(&s, &domain, &[0, 1], &honest)), ["not-below-cost"]);
    let all = specs("linear:speak=all", "linear");
    assert_eq!(ids(opening_statements(&s, &domain, &[0, 1], &all)), ["low-or-nothing"]);
    let silent = specs("linear", "linear");
    assert!(opening_statements(&s, &domain, &[0, 1], &silent).is_empty());
    assert_eq!(
        registry::parse("linear:speak=honest").unwrap().to_string(),
        "linear:e=1,k=0,floor=reservation,accept=next,speak=honest"
    );
    assert!(registry::parse("linear:speak=sometimes").is_err());

    // Honest words without reactions change nothing the port would do:
    // the talks are the same, move for move.
    let s = unscheduled();
    let domain = Domain::new(&s, &DomainConfig::default()).unwrap();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(10) };
    let (spoken, d) = after_speech(&s, &domain, &[0, 1], &honest, &DomainConfig::default(), &Default::default())
        .unwrap()
        .expect("the port speaks");
    assert_eq!(spoken.events[0].name.as_deref(), Some("`not-below-cost`, said by its strategy"));
    let with = run(&protocol, &d, &[0, 1], &honest, 1, true).unwrap();
    let without = run(&protocol, &domain, &[0, 1], &silent, 1, true).unwrap();
    assert_eq!(with.trace, without.trace);
    assert_eq!(with.agreement, without.agreement);
}

/// The belief path reactions use: read, set and written back.
#[test]
fn a_belief_reservation_has_a_path() {
    let text = format!(
        "{}\n[[beliefs]]\nholder = \"port\"\nabout = \"line\"\nreservation = 0.3\n",
        FIXTURE.split("[[statements]]").next().unwrap()
    );
    let s = load(&text);
    let edit = detente::whatif::parse_set(&s, "port.belief.line.reservation=0.55").unwrap();
    assert_eq!(edit.describe(&s), "port.belief.line.reservation = 0.55");
    let after = detente::whatif::apply(&s, &[edit]);
    assert_eq!(after.beliefs[0].reservation, Some(detente::scenario::Reservation::Value(0.55)));
    let err = detente::whatif::parse_set(&s, "line.belief.port.reservation=0.5").unwrap_err();
    assert!(err.contains("holds no belief about `port`"), "{err}");
    let p = detente::scenario::param::parse_path(&s, "port.belief.line.reservation").unwrap();
    assert_eq!(p.value(&s), 0.3);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// An audience cost only ever lowers the speaker's utility, by exactly
    /// the cost where the pledge is broken (clamped at 0), and never
    /// anyone else's; so the agreement set can only shrink.
    #[test]
    fn an_audience_cost_only_removes_deals(
        values in prop::collection::vec(0.0f64..=1.0, 6),
        reservations in (0.0f64..0.9, 0.0f64..0.9),
        cost in 0.0f64..=1.0,
        pledge in 0usize..3,
    ) {
        let options = ["low", "mid", "high"];
        let text = format!(
            "format = 1\nname = \"p\"\n[[issues]]\nid = \"price\"\noptions = [\"low\", \"mid\", \"high\"]\n\
             [[actors]]\nid = \"a\"\nreservation = {}\nstances.price = {{ values = {{ low = {}, mid = {}, high = {} }}, salience = 1 }}\n\
             [[actors]]\nid = \"b\"\nreservation = {}\nstances.price = {{ values = {{ low = {}, mid = {}, high = {} }}, salience = 1 }}\n\
             [[statements]]\nid = \"s\"\nby = \"a\"\nkind = \"commitment\"\npledge = \"price == '{}'\"\naudience_cost = {}\n",
            reservations.0, values[0], values[1], values[2], reservations.1, values[3], values[4], values[5], options[pledge], cost
        );
        let s = load(&text);
        let after = s.make_statements(&[0]);
        for o in 0..3usize {
            let out = [Value::Option(o)];
            let (u0, u1) = (s.actors[0].utility(&s.issues, &out), after.actors[0].utility(&after.issues, &out));
            let expected = if o == pledge { u0 } else { (u0 - cost).max(0.0) };
            prop_assert!((u1 - expected).abs() < 1e-9, "option {o}: {u1} vs {expected}");
            prop_assert_eq!(s.actors[1].utility(&s.issues, &out), after.actors[1].utility(&after.issues, &out));
        }
        let (before, with) = (agreement_set(&s), agreement_set(&after));
        prop_assert!(with.iter().all(|o| before.contains(o)), "{:?} ⊄ {:?}", with, before);
    }
}
