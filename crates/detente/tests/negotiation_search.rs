//! Searched domains (spaces too large to tabulate, `negotiation::search`):
//! the exact additive inverse gives, for every target, the outcome the
//! tabulated domain gives, on random additive scenarios
//! and on ANAC domains small enough to tabulate; the ANAC 2014 hyper-
//! rectangle domains play. A missing data folder fails in CI and skips
//! (with a reason) elsewhere.

use detente::analysis::pareto::snap;
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig};
use detente::negotiation::{registry, run, Deadline};
use proptest::prelude::*;

mod common;
use common::genius_data as data;

const SEARCH: DomainConfig =
    DomainConfig { resolution: detente::analysis::Resolution { points: 11 }, max_outcomes: 1, search: true };

/// Every party's best, worst and inverse at `targets` agree between the
/// tabulated and the searched domain of `s`.
fn same_inverse(s: &detente::Scenario, targets: usize) -> Result<(), String> {
    let table = Domain::new(s, &DomainConfig::default()).map_err(|e| e.to_string())?;
    let searched = Domain::new(s, &SEARCH).map_err(|e| e.to_string())?;
    assert!(searched.is_searched() && !table.is_searched());
    for &p in table.parties() {
        let (a, b) = (table.preferences(p), searched.preferences(p));
        if snap(a.max()) != snap(b.max()) || snap(a.min()) != snap(b.min()) {
            return Err(format!("party {p}: range {}..{} against {}..{}", a.min(), a.max(), b.min(), b.max()));
        }
        if table.digits(a.best()) != searched.digits(b.best()) {
            return Err(format!(
                "party {p}: best {:?} against {:?}",
                table.digits(a.best()),
                searched.digits(b.best())
            ));
        }
        for k in 0..=targets {
            // Kept at most the best utility: above it a tabulated domain
            // answers with the last of the best outcomes, a searched one
            // with the first (`Preferences::best`).
            let t = (a.min() + (a.max() - a.min()) * k as f64 / targets as f64).min(a.max());
            let (x, y) = (a.worst_at_least(t), b.worst_at_least(t));
            if a.utility(x) != b.utility(y) || table.digits(x) != searched.digits(y) {
                return Err(format!(
                    "party {p}, target {t}: {} ({:?}) against {} ({:?})",
                    a.utility(x),
                    table.digits(x),
                    b.utility(y),
                    searched.digits(y)
                ));
            }
        }
    }
    Ok(())
}

/// Two actors on `tables.len()` discrete issues: per issue, per option,
/// each actor's value (tenths), and per actor and issue a salience.
fn additive(tables: &[Vec<(u8, u8)>], saliences: &[(u8, u8)]) -> detente::Scenario {
    let mut text = String::from("format = 1\nname = \"random\"\n");
    for (i, t) in tables.iter().enumerate() {
        let options: Vec<String> = (0..t.len()).map(|k| format!("\"o{k}\"")).collect();
        text += &format!("[[issues]]\nid = \"i{i}\"\noptions = [{}]\n", options.join(", "));
    }
    for (a, id) in ["a", "b"].iter().enumerate() {
        text += &format!("[[actors]]\nid = \"{id}\"\n");
        for (i, t) in tables.iter().enumerate() {
            let values: Vec<String> = t
                .iter()
                .enumerate()
                .map(|(k, v)| format!("o{k} = {}", f64::from(if a == 0 { v.0 } else { v.1 }) / 10.0))
                .collect();
            let sal = if a == 0 { saliences[i].0 } else { saliences[i].1 };
            text += &format!(
                "stances.i{i} = {{ values = {{ {} }}, salience = {} }}\n",
                values.join(", "),
                f64::from(sal + 1) / 10.0
            );
        }
    }
    let loaded = detente::load_str("random.toml", &text, detente::TextFormat::Toml);
    loaded.scenario.unwrap_or_else(|| panic!("{text}\n{:?}", loaded.diagnostics))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn additive_inverse_equals_enumeration(
        tables in prop::collection::vec(prop::collection::vec((0u8..=10, 0u8..=10), 2..6), 1..6),
        saliences in prop::collection::vec((0u8..10, 0u8..10), 6),
    ) {
        let s = additive(&tables, &saliences);
        prop_assert_eq!(same_inverse(&s, 40), Ok(()));
    }
}

#[test]
fn additive_anac_inverses_equal_enumeration() {
    for dir in [
        "anac/y2011/Laptop",
        "anac/y2010/ItexvsCypress",
        "anac/y2010/EnglandZimbabwe",
        "anac/y2011/Grocery",
        "anac/y2011/Energy",
    ] {
        let Some(path) = data(dir) else { return };
        let s = detente::format::load_path(&path).unwrap().scenario.unwrap();
        assert_eq!(same_inverse(&s, 200), Ok(()), "{dir}");
    }
}

/// The ANAC 2014 non-linear domains (10¹⁰ to 10⁴⁰ outcomes) play between
/// time-dependent strategies, deterministically, and every offer the
/// search makes reaches the bidder's target (or is its best).
#[test]
fn anac_2014_domains_play() {
    for dir in ["anac/y2014/10issues", "anac/y2014/30issues", "anac/y2014/50issues"] {
        let Some(path) = data(dir) else { return };
        let s = detente::format::load_path(&path).unwrap().scenario.unwrap();
        assert!(Domain::new(&s, &DomainConfig::default()).unwrap_err().to_string().contains("--max-outcomes"));
        let domain = Domain::new(&s, &DomainConfig { search: true, ..DomainConfig::default() }).unwrap();
        assert!(domain.is_searched());
        let parties = domain.parties().to_vec();
        let specs = vec![registry::parse("boulware").unwrap(), registry::parse("conceder").unwrap()];
        let protocol = AlternatingOffers { deadline: Deadline::rounds(60) };
        let session = run(&protocol, &domain, &parties, &specs, 7, true).unwrap();
        let again = run(&protocol, &domain, &parties, &specs, 7, true).unwrap();
        let values = |s: &detente::negotiation::Session| s.agreement.map(|k| domain.outcome(k));
        assert_eq!(values(&session), values(&again), "{dir}");
        assert_eq!(session.rounds, again.rounds, "{dir}");
        for &p in &parties {
            let prefs = domain.preferences(p);
            assert!(prefs.max() > prefs.min() && prefs.max() <= 1.0, "{dir}: {} {}", prefs.min(), prefs.max());
            for t in [0.2, 0.5, 0.8] {
                let target = prefs.min() + t * (prefs.max() - prefs.min());
                assert!(prefs.utility(prefs.worst_at_least(target)) >= target, "{dir}: target {target}");
            }
        }
        if let Some(k) = session.agreement {
            for &p in &parties {
                assert!(domain.preferences(p).utility(k) > domain.preferences(p).reservation);
            }
        }
        let err =
            run(&protocol, &domain, &parties, &[specs[0].clone(), registry::parse("frequency").unwrap()], 7, false)
                .unwrap_err();
        assert!(err.to_string().contains("too large to list"), "{err}");
    }
}
