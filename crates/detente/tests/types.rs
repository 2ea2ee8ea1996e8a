//! Uncertain types and pressure short of a veto, worked by hand
//! (`docs/analysis.md`, "Uncertain types" and "Pressure").

use detente::analysis::pressure::pressure_effects;
use detente::analysis::types::analyze_types;
use detente::analysis::{analyze, Config};
use detente::{load_str, TextFormat};

/// Two parties, two issues. Utilities (saliences normalised):
///
/// | islands, bases | japan            | russia           |
/// |----------------|------------------|------------------|
/// | none, allowed  | 0.6·0 + 0.4·1 = 0.4 | 0.5·1 + 0.5·0 = 0.5 |
/// | none, barred   | 0 + 0.4·0.5 = 0.2   | 0.5 + 0.5 = 1.0     |
/// | two, allowed   | 0.6 + 0.4 = 1.0     | 0.3 + 0 = 0.3       |
/// | two, barred    | 0.6 + 0.2 = 0.8     | 0.3 + 0.5 = 0.8     |
///
/// Reservations 0.3 and 0.5; parties accept only what is strictly better,
/// so the agreement set is {two, barred}.
const BASE: &str = r#"format = 1
name = "Types"

[[issues]]
id = "islands"
options = ["none", "two"]

[[issues]]
id = "bases"
options = ["allowed", "barred"]

[[actors]]
id = "japan"
reservation = 0.3
stances.islands = { salience = 0.6, values = { none = 0, two = 1 } }
stances.bases = { salience = 0.4, values = { allowed = 1, barred = 0.5 } }

[[actors]]
id = "russia"
reservation = 0.5
stances.islands = { salience = 0.5, values = { none = 1, two = 0.6 } }
stances.bases = { salience = 0.5, values = { allowed = 0, barred = 1 } }
"#;

/// Japan "bound" (prior 0.6): barring bases is worth 0 to it and it wants
/// 0.7, so {two, barred} gives 0.6 + 0 = 0.6 < 0.7 and nothing is agreed.
/// Japan "free" (prior 0.4) is the actor as written.
const TYPES: &str = r#"
[[types]]
actor = "japan"
name = "bound"
prior = 0.6
reservation = 0.7
stances.bases = { values = { allowed = 1, barred = 0 } }

[[types]]
actor = "japan"
name = "free"
prior = 0.4
"#;

fn load(text: &str) -> detente::scenario::Scenario {
    let loaded = load_str("t.toml", text, TextFormat::Toml);
    assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:?}", loaded.diagnostics);
    loaded.scenario.expect("loads")
}

#[test]
fn without_types_there_is_no_type_analysis() {
    let s = load(BASE);
    assert!(analyze_types(&s, &Config::default()).unwrap().is_none());
    assert!(pressure_effects(&s, &Config::default()).unwrap().is_empty());
    assert_eq!(analyze(&s, &Config::default()).unwrap().agreement_set_size, Some(1));
}

#[test]
fn agreement_sets_per_profile_the_robust_set_and_acceptance_probabilities() {
    let s = load(&format!("{BASE}{TYPES}"));
    // The file's actor is the base the types start from: the ordinary
    // analysis is unchanged by declaring types.
    assert_eq!(analyze(&s, &Config::default()).unwrap().agreement_set_size, Some(1));
    let t = analyze_types(&s, &Config::default()).unwrap().expect("types");
    assert_eq!(t.actors, vec![0]);
    assert_eq!(t.profiles.len(), 2);
    assert_eq!((t.profiles[0].probability, t.profiles[0].agreements), (0.6, 0)); // bound
    assert_eq!((t.profiles[1].probability, t.profiles[1].agreements), (0.4, 1)); // free
                                                                                 // {two, barred} is accepted only when Japan is free: probability 0.4;
                                                                                 // nothing is accepted under every type.
    assert_eq!(t.acceptance.possible, 1);
    assert_eq!(t.acceptance.robust, 0);
    assert!((t.acceptance.expected - 0.4).abs() < 1e-12);
    assert_eq!(t.acceptance.likeliest.len(), 1);
    assert_eq!(t.acceptance.likeliest[0].index, 3); // (two, barred): digits (1, 1)
    assert!((t.acceptance.likeliest[0].probability - 0.4).abs() < 1e-12);
    assert!(t.views.is_empty());
}

#[test]
fn a_holder_weighs_profiles_with_its_own_probabilities() {
    let belief = "\n[[beliefs]]\nholder = \"russia\"\nabout = \"japan\"\ntypes = { bound = 0.25, free = 0.75 }\n";
    let s = load(&format!("{BASE}{TYPES}{belief}"));
    let t = analyze_types(&s, &Config::default()).unwrap().expect("types");
    assert_eq!(t.views.len(), 1);
    let v = &t.views[0];
    assert_eq!((v.holder, v.own_type), (1, None));
    assert_eq!(v.probabilities, vec![(0, 0.25), (1, 0.75)]);
    // Moscow thinks Tokyo free with 0.75: {two, barred} with 0.75.
    assert_eq!((v.acceptance.possible, v.acceptance.robust), (1, 0));
    assert!((v.acceptance.likeliest[0].probability - 0.75).abs() < 1e-12);
    // A holder certain of "free" sees a robust deal that is not there.
    let certain = belief.replace("bound = 0.25, free = 0.75", "free = 1");
    let t = analyze_types(&load(&format!("{BASE}{TYPES}{certain}")), &Config::default()).unwrap().unwrap();
    assert_eq!(t.views[0].acceptance.robust, 1);
    assert_eq!(t.acceptance.robust, 0);
}

/// A third party with capability 1 among actors of capability 2.
const USA: &str = r#"
[[actors]]
id = "usa"
role = "third-party"
capability = 1
stances.bases = { salience = 1, values = { allowed = 1, barred = 0 } }
"#;

#[test]
fn pressure_removes_exactly_the_agreements_it_makes_unacceptable() {
    let base = BASE
        .replace("id = \"japan\"\n", "id = \"japan\"\ncapability = 2\n")
        .replace("id = \"russia\"\n", "id = \"russia\"\ncapability = 2\n");
    // Japan pays 0.6 wherever bases are barred: {two, barred} is worth
    // 0.8 − 0.6 = 0.2 < 0.3, and {none, barred} 0.2 − 0.6 → 0 (clamped).
    let pressure = "\n[[pressures]]\nlabel = \"secondary-sanctions\"\nby = \"usa\"\non = \"japan\"\nwhen = \"bases == 'barred'\"\ncost = 0.6\n";
    let s = load(&format!("{base}{USA}{pressure}"));
    assert_eq!(analyze(&s, &Config::default()).unwrap().agreement_set_size, Some(0));
    let effects = pressure_effects(&s, &Config::default()).unwrap();
    assert_eq!(effects.len(), 1);
    assert_eq!((effects[0].pressure, effects[0].cost), (Some(0), Some(0.6)));
    assert_eq!((effects[0].count, effects[0].agreements_without), (1, 1));
    assert_eq!(effects[0].examples[0].0, 3);
    // Scaled by capability: 0.6 × 1/2 = 0.3, and 0.8 − 0.3 = 0.5 > 0.3:
    // the deal survives, and the pressure removes nothing.
    let scaled = pressure.replace("cost = 0.6\n", "cost = 0.6\nscaled = true\n");
    let s = load(&format!("{base}{USA}{scaled}"));
    assert_eq!(analyze(&s, &Config::default()).unwrap().agreement_set_size, Some(1));
    let effects = pressure_effects(&s, &Config::default()).unwrap();
    assert_eq!((effects[0].cost, effects[0].count), (Some(0.3), 0));
    // Raising the third party's capability to 2 (a what-if) doubles the
    // cost to 0.6: the deal is gone again.
    let edit = detente::whatif::parse_set(&s, "usa.capability=2").unwrap();
    let stronger = detente::whatif::apply(&s, &[edit]);
    assert_eq!(stronger.pressure_cost(0), 0.6);
    assert_eq!(analyze(&stronger, &Config::default()).unwrap().agreement_set_size, Some(0));
}

#[test]
fn types_and_pressures_round_trip_through_the_writer() {
    let belief = "\n[[beliefs]]\nholder = \"russia\"\nabout = \"japan\"\ntypes = { bound = 0.25, free = 0.75 }\n";
    let pressure = "\n[[pressures]]\nlabel = \"secondary-sanctions\"\nby = \"usa\"\non = \"japan\"\nwhen = \"bases == 'barred'\"\ncost = 0.2\nscaled = true\n";
    let s = load(&format!("{BASE}{USA}{TYPES}{belief}{pressure}"));
    for format in [TextFormat::Toml, TextFormat::Json] {
        let text = detente::format::write::to_string(&s, format);
        let back = load_str("back", &text, format).scenario.expect("reads back");
        assert_eq!(back, s, "{text}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A random two-party scenario on two or three issues with value
    /// tables, with `types` types for the first party (random reservations
    /// and tables) and priors `k / sum` written as exact decimals.
    fn scenario(seed: &[u8], n_issues: usize, n_types: usize, weights: &[u32]) -> String {
        let mut it = seed.iter().cycle().copied();
        let mut u = move || f64::from(it.next().unwrap_or(0) % 11) / 10.0;
        let mut text = String::from("format = 1\nname = \"p\"\n");
        for i in 0..n_issues {
            text += &format!("[[issues]]\nid = \"i{i}\"\noptions = [\"a\", \"b\", \"c\"]\n");
        }
        for actor in ["x", "y"] {
            text += &format!("[[actors]]\nid = \"{actor}\"\nreservation = {}\n", u() * 0.6);
            for i in 0..n_issues {
                text += &format!(
                    "stances.i{i} = {{ salience = {}, values = {{ a = {}, b = {}, c = {} }} }}\n",
                    0.1 + 0.9 * u(),
                    u(),
                    u(),
                    u()
                );
            }
        }
        let total: u32 = weights.iter().take(n_types).sum();
        let mut priors: Vec<f64> = weights.iter().take(n_types).map(|&w| f64::from(w) / f64::from(total)).collect();
        // Written to 6 decimals, the last absorbs the rounding.
        for p in &mut priors {
            *p = (*p * 1e6).round() / 1e6;
        }
        let rest: f64 = priors[..n_types - 1].iter().sum();
        priors[n_types - 1] = ((1.0 - rest) * 1e6).round() / 1e6;
        for (k, p) in priors.iter().enumerate() {
            text += &format!("[[types]]\nactor = \"x\"\nname = \"t{k}\"\nprior = {p}\nreservation = {}\n", u() * 0.6);
            text += &format!("stances.i0 = {{ values = {{ a = {}, b = {}, c = {} }} }}\n", u(), u(), u());
        }
        text += "[[beliefs]]\nholder = \"y\"\nabout = \"x\"\n";
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Each profile's count is the ordinary analysis of its scenario;
        /// probabilities sum to 1; the expected size is the probability-
        /// weighted mean of the profiles' counts (linearity); the robust
        /// set is no larger than any positive profile's set, and the
        /// possible set no smaller; a holder whose belief changes nothing
        /// sees the real acceptance.
        #[test]
        fn profiles_agree_with_plain_analyses(
            seed in proptest::collection::vec(any::<u8>(), 32),
            n_issues in 2usize..4,
            n_types in 1usize..4,
            weights in proptest::collection::vec(1u32..5, 3),
        ) {
            let s = load(&scenario(&seed, n_issues, n_types, &weights));
            let config = Config::default();
            let t = analyze_types(&s, &config).unwrap().expect("types");
            prop_assert_eq!(t.profiles.len(), n_types);
            let total: f64 = t.profiles.iter().map(|p| p.probability).sum();
            prop_assert!((total - 1.0).abs() < 1e-6);
            let mut expected = 0.0;
            for p in &t.profiles {
                let plain = analyze(&s.with_types(&p.types), &config).unwrap();
                prop_assert_eq!(Some(p.agreements), plain.agreement_set_size);
                expected += p.probability * p.agreements as f64;
                if p.probability > 0.0 {
                    prop_assert!(t.acceptance.robust <= p.agreements);
                    prop_assert!(t.acceptance.possible >= p.agreements);
                }
            }
            prop_assert!((t.acceptance.expected - expected).abs() < 1e-9);
            prop_assert!(t.acceptance.likeliest.windows(2).all(|w| w[0].probability >= w[1].probability));
            prop_assert_eq!(t.views.len(), 1);
            // The holder's belief changes nothing and gives no
            // probabilities of its own: its view is the real one.
            prop_assert_eq!(t.views[0].acceptance.possible, t.acceptance.possible);
            prop_assert_eq!(t.views[0].acceptance.robust, t.acceptance.robust);
            prop_assert!((t.views[0].acceptance.expected - t.acceptance.expected).abs() < 1e-12);
            for x in &t.acceptance.likeliest {
                prop_assert!(x.probability > 0.0 && x.probability <= 1.0 + 1e-12);
            }
        }
    }
}

/// A type that does not insist on its actor's red line: under it the
/// deal the red line forbids is open, and the other constraints (and a
/// belief that discounts one of them) keep their meaning.
#[test]
fn a_type_can_drop_its_actors_constraints() {
    let extra = r#"
[[constraints]]
label = "keep-bases"
owner = "japan"
rule = "never bases == 'barred'"

[[constraints]]
label = "something"
owner = "russia"
rule = "islands == 'two' or bases == 'barred' or islands == 'none'"

[[types]]
actor = "japan"
name = "bound"
prior = 0.5

[[types]]
actor = "japan"
name = "free"
prior = 0.5
dropped_constraints = ["keep-bases"]

[[beliefs]]
holder = "japan"
about = "russia"
dropped_constraints = ["something"]
"#;
    let s = load(&format!("{BASE}{extra}"));
    // As written, Japan's red line forbids the only deal.
    assert_eq!(analyze(&s, &Config::default()).unwrap().agreement_set_size, Some(0));
    let free = s.with_types(&[1]);
    assert_eq!(free.constraints.len(), 1);
    assert_eq!(free.constraints[0].label, "something");
    assert_eq!(free.beliefs[0].dropped_constraints, vec![0]);
    let t = analyze_types(&s, &Config::default()).unwrap().expect("types");
    assert_eq!((t.profiles[0].agreements, t.profiles[1].agreements), (0, 1));
    assert_eq!((t.acceptance.possible, t.acceptance.robust), (1, 0));
    assert!((t.acceptance.expected - 0.5).abs() < 1e-12);
}
