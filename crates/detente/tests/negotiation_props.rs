//! Simulated negotiations on small random scenarios: whatever the
//! strategies and seed, an agreement is one every party allows and prefers
//! to no agreement, an agreement stands exactly when it is in the
//! analysis's agreement set, sessions respect the deadline and the move
//! order, and a seed reproduces a session exactly.

use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig};
use detente::negotiation::evaluate::evaluate;
use detente::negotiation::mediated::SingleText;
use detente::negotiation::{registry, run, Action, Deadline, Ending, Protocol};
use proptest::prelude::*;

mod common;
use common::{acceptable, load, scenario_text};

const POOL: [&str; 8] = [
    "boulware",
    "linear:accept=combi(0.9)",
    "conceder",
    "hardliner:accept=const(0.4)",
    "tit-for-tat:mode=absolute",
    "random",
    "frequency",
    "aspiration:a=1",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn sessions_keep_the_rules(
        text in scenario_text(),
        picks in prop::collection::vec(0usize..POOL.len(), 3),
        rounds in 1usize..40,
        seed in any::<u64>(),
        mediated in any::<bool>(),
    ) {
        let s = load(&text);
        let domain = Domain::new(&s, &DomainConfig::default());
        // Scenarios in which a party can offer nothing are refused, with a reason.
        let Ok(domain) = domain else { return Ok(()) };
        let parties = domain.parties().to_vec();
        let specs: Vec<_> = parties.iter().zip(&picks).map(|(_, &p)| registry::parse(POOL[p]).unwrap()).collect();
        let protocol: Box<dyn Protocol> = if mediated {
            Box::new(SingleText { deadline: Deadline::rounds(rounds) })
        } else {
            Box::new(AlternatingOffers { deadline: Deadline::rounds(rounds) })
        };
        let session = run(protocol.as_ref(), &domain, &parties, &specs, seed, true).unwrap();
        prop_assert_eq!(&session, &run(protocol.as_ref(), &domain, &parties, &specs, seed, true).unwrap());
        prop_assert!(session.rounds <= rounds);
        match session.agreement {
            Some(k) => {
                prop_assert_eq!(session.ending, Ending::Agreement);
                for &p in &parties {
                    let prefs = domain.preferences(p);
                    prop_assert!(prefs.allows(k) && prefs.utility(k) > prefs.reservation);
                }
                let eval = evaluate(&domain, &domain.reference(), &session);
                prop_assert_eq!(eval.stands, acceptable(&s, &domain.outcome(k)));
            }
            None => match session.ending {
                Ending::Deadline => prop_assert_eq!(session.rounds, rounds),
                // Only a party with nothing it prefers to no agreement walks away.
                Ending::Walkout(p) => {
                    let prefs = domain.preferences(p);
                    prop_assert!(prefs.utility(prefs.best()) <= prefs.reservation);
                }
                Ending::Agreement => prop_assert!(false, "an agreement without an outcome"),
            },
        }
        if !mediated {
            // Parties act in move order, one turn each per round; nobody
            // offers an outcome it does not allow.
            let mut last: Option<(usize, usize)> = None;
            for e in &session.trace {
                let slot = parties.iter().position(|&p| Some(p) == e.actor).unwrap();
                if let Action::Offer(k) = e.action {
                    prop_assert!(domain.preferences(parties[slot]).allows(k));
                }
                if let Some((round, prev)) = last {
                    if prev != slot {
                        prop_assert_eq!(round * parties.len() + prev + 1, e.round * parties.len() + slot);
                    } else {
                        prop_assert_eq!(round, e.round);
                    }
                }
                last = Some((e.round, slot));
            }
        }
    }
}
