//! Negotiators made outside the registry ([`Seat::Custom`],
//! [`Player::Custom`]): seated next to registered strategies through the
//! same engine call, they give the same sessions and tournament records as
//! the registered strategy they imitate.

use std::sync::Arc;

use detente::budget::Cancel;
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig};
use detente::negotiation::tournament::{Entry, Player, Tournament};
use detente::negotiation::{
    registry, run_seats, run_with, Context, Deadline, NegotiationError, Negotiator, Response, Seat, Turn,
};
use detente::{load_str, TextFormat};

/// Five price levels, linear utilities (0, .25, .5, .75, 1).
const FIVE: &str = r#"
format = 1
name = "t"
[[issues]]
id = "price"
options = ["p0", "p1", "p2", "p3", "p4"]
[[actors]]
id = "buyer"
stances.price = { values = { p0 = 1.0, p1 = 0.75, p2 = 0.5, p3 = 0.25, p4 = 0.0 }, salience = 1.0 }
[[actors]]
id = "seller"
stances.price = { values = { p0 = 0.0, p1 = 0.25, p2 = 0.5, p3 = 0.75, p4 = 1.0 }, salience = 1.0 }
"#;

fn domain() -> Domain {
    let s = load_str("t.toml", FIVE, TextFormat::Toml).scenario.expect("valid");
    Domain::new(&s, &DomainConfig::default()).unwrap()
}

/// Always offers its best outcome; accepts an offer worth at least `floor`
/// to it (and more than its reservation): `hardliner:accept=const(floor)`
/// written by hand.
struct Stubborn {
    floor: f64,
}

impl Negotiator for Stubborn {
    fn start(&mut self, _ctx: &Context<'_>) {}

    fn propose(&mut self, ctx: &Context<'_>, _turn: Turn) -> Option<usize> {
        Some(ctx.own.best())
    }

    fn respond(&mut self, ctx: &Context<'_>, _turn: Turn, offer: usize, _from: usize) -> Response {
        let u = ctx.own.utility(offer);
        if ctx.own.allows(offer) && u >= self.floor && u > ctx.own.reservation {
            Response::Accept
        } else {
            Response::Reject
        }
    }

    fn vote(&mut self, ctx: &Context<'_>, _turn: Turn, current: usize, proposal: usize) -> bool {
        ctx.own.utility(proposal) > ctx.own.utility(current)
    }
}

#[test]
fn a_hand_written_negotiator_plays_as_the_registered_strategy_it_imitates() {
    let domain = domain();
    let parties = domain.parties().to_vec();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(20) };
    for floor in [0.5, 0.7, 1.0] {
        let specs = vec![
            registry::parse(&format!("hardliner:accept=const({floor})")).unwrap(),
            registry::parse("boulware").unwrap(),
        ];
        let builtin = run_with(&protocol, &domain, &parties, &specs, 3, true, &Cancel::new()).unwrap();
        let seats = vec![Seat::Custom(Box::new(Stubborn { floor })), Seat::Spec(specs[1].clone())];
        let custom = run_seats(&protocol, &domain, &parties, seats, 3, true, &Cancel::new()).unwrap();
        assert_eq!(custom, builtin, "floor {floor}");
    }
}

#[test]
fn a_built_strategy_seated_as_custom_gives_the_same_session_as_its_spec() {
    // Seeds reach a custom negotiator through its context exactly as they
    // reach a registered one: `random` draws from `Context::seed`.
    let domain = domain();
    let parties = domain.parties().to_vec();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(30) };
    let specs = vec![registry::parse("random").unwrap(), registry::parse("conceder").unwrap()];
    for seed in 0..5 {
        let builtin = run_with(&protocol, &domain, &parties, &specs, seed, true, &Cancel::new()).unwrap();
        let seats = vec![Seat::Custom(specs[0].build()), Seat::Custom(specs[1].build())];
        let custom = run_seats(&protocol, &domain, &parties, seats, seed, true, &Cancel::new()).unwrap();
        assert_eq!(custom, builtin, "seed {seed}");
    }
}

#[test]
fn seats_must_match_the_parties() {
    let domain = domain();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(5) };
    let err = run_seats(
        &protocol,
        &domain,
        &[0, 1],
        vec![Seat::Custom(Box::new(Stubborn { floor: 1.0 }))],
        1,
        false,
        &Cancel::new(),
    )
    .unwrap_err();
    assert!(matches!(err, NegotiationError::Usage(_)), "{err:?}");
}

fn tournament(players: Vec<Player>) -> Tournament {
    Tournament { entries: vec![Entry::new("five", domain())], strategies: players, reps: 2, seed: 11 }
}

#[test]
fn custom_players_enter_tournaments_with_the_records_of_their_spec() {
    let specs = ["hardliner:accept=const(0.75)", "random", "boulware"].map(|s| registry::parse(s).unwrap());
    let make = |floor: f64| -> Player {
        Player::Custom {
            label: "stubborn".into(),
            make: Arc::new(move || Ok(Box::new(Stubborn { floor }) as Box<dyn Negotiator>)),
        }
    };
    let builtin = tournament(specs.iter().cloned().map(Player::from).collect());
    let custom = tournament(vec![make(0.75), specs[1].clone().into(), specs[2].clone().into()]);
    let protocol = AlternatingOffers { deadline: Deadline::rounds(25) };
    let collect = |t: &Tournament| {
        let out = std::sync::Mutex::new(Vec::new());
        t.run(&protocol, &t.jobs(), &|r| out.lock().unwrap().push(r)).unwrap();
        let mut v = out.into_inner().unwrap();
        v.sort_by_key(|r| r.id);
        v
    };
    assert_eq!(collect(&custom), collect(&builtin));
    assert_eq!(custom.strategies[0].to_string(), "stubborn");
    assert_eq!(custom.strategies[0].alias(), "stubborn");
    // Labels must differ.
    let twice = tournament(vec![make(0.75), make(0.5)]);
    assert!(twice.validate().unwrap_err().to_string().contains("stubborn twice"));
    // A maker that fails fails the job.
    let failing = tournament(vec![
        Player::Custom { label: "broken".into(), make: Arc::new(|| Err(NegotiationError::Usage("no".into()))) },
        specs[1].clone().into(),
    ]);
    let err = failing.run(&protocol, &failing.jobs(), &|_| {}).unwrap_err();
    assert_eq!(err, NegotiationError::Usage("no".into()));
}
