//! Conditional issues (`when`/`otherwise`) and interaction terms: hand-worked
//! cases, and the analysis, the verdict and negotiation against brute force
//! on random scenarios with both.

use detente::analysis::{analyze, deal_exists, Candidates, Config, Method, OutcomeSpace};
use detente::negotiation::{self, Domain as Talks, DomainConfig};
use detente::scenario::*;
use proptest::prelude::*;

mod common;
use common::{acceptable, load, scenario_text};

const TREATY: &str = r#"format = 1
name = "Treaty"

[[issues]]
id = "peace_treaty"
options = ["no", "yes"]

[[issues]]
id = "territory_in_treaty"
options = ["no", "yes"]
when = "peace_treaty"
otherwise = "no"

[[actors]]
id = "japan"
reservation = 0.5
stances.peace_treaty = { position = "yes", salience = 0.6 }
stances.territory_in_treaty = { position = "yes", salience = 0.4 }

[[actors]]
id = "russia"
reservation = 0.5
stances.peace_treaty = { position = "yes", salience = 0.6 }
stances.territory_in_treaty = { position = "no", salience = 0.4 }

[status_quo]
peace_treaty = "no"
territory_in_treaty = "no"
"#;

#[test]
fn hand_worked_conditional_issue() {
    // Four combinations, three outcomes: (no, yes) says the treaty settles
    // the territory although there is no treaty, and is skipped. Utilities:
    // (no, no) japan 0, russia 0.4; (yes, no) japan 0.6, russia 1;
    // (yes, yes) japan 1, russia 0.6. Both accept the two treaties.
    let s = load(TREATY);
    assert!(s.is_moot(&[Value::Option(0), Value::Option(1)]));
    assert!(!s.is_moot(&[Value::Option(1), Value::Option(1)]));
    let a = analyze(&s, &Config::new()).unwrap();
    assert_eq!((a.outcome_count, a.moot, a.agreement_set_size), (3, 1, Some(2)));
    assert_eq!(a.outcome_count_decimal, "3");
    // The (no, yes) combination is nowhere on the frontier of the space.
    assert!(a.pareto_all.iter().all(|p| !s.is_moot(&p.outcome)));
    // Structural rules are not constraints: a deal needs no relaxation.
    assert!(a.blockers.is_empty() && a.binding.is_empty());
    // The issue-by-issue frontier cannot skip combinations.
    let by_issue = Config { method: Method::IssueByIssue, ..Config::new() };
    let err = analyze(&s, &by_issue).unwrap_err().to_string();
    assert!(err.contains("applies only under a condition"), "{err}");
}

#[test]
fn settling_moot_issues_follows_chains() {
    // c applies when b = yes, b when a = yes: with a = no, both fall back.
    let text = r#"format = 1
name = "Chain"
[[issues]]
id = "a"
options = ["no", "yes"]
[[issues]]
id = "b"
options = ["no", "yes"]
when = "a"
otherwise = "no"
[[issues]]
id = "c"
options = ["x", "y", "z"]
when = "b"
otherwise = "z"
[[actors]]
id = "p"
stances.a = { position = "yes", salience = 1 }
"#;
    let s = load(text);
    let mut o = vec![Value::Option(0), Value::Option(1), Value::Option(0)];
    assert_eq!(s.settle_moot(&mut o), vec![1, 2]);
    assert_eq!(o, vec![Value::Option(0), Value::Option(0), Value::Option(2)]);
    // 12 combinations: a = no keeps one, a = yes, b = no keeps one,
    // a = yes, b = yes keeps three.
    let space = OutcomeSpace::new(&s, Default::default());
    let kept = (0..space.count() as u64).filter(|&i| !s.is_moot(&space.outcome(i))).count();
    assert_eq!(kept, 5);
}

#[test]
fn hand_worked_interaction() {
    // japan: 0.5 on islands (two), 0.5 on recognition (no), and −0.2 when it
    // recognises with nothing returned.
    let text = r#"format = 1
name = "Term"
[[issues]]
id = "islands"
options = ["none", "two"]
[[issues]]
id = "recognition"
options = ["no", "yes"]
[[actors]]
id = "japan"
reservation = 0.3
stances.islands = { position = "two", salience = 0.5 }
stances.recognition = { position = "no", salience = 0.5 }
interactions = [{ label = "for-nothing", when = "recognition and islands == 'none'", value = -0.2 }]
[[actors]]
id = "russia"
reservation = 0.2
stances.islands = { position = "none", salience = 0.5 }
stances.recognition = { position = "yes", salience = 0.5 }
"#;
    let s = load(text);
    let u = |i, r| s.actors[0].utility(&s.issues, &[Value::Option(i), Value::Option(r)]);
    assert_eq!(u(0, 1), 0.0, "0 + 0 − 0.2, clamped at 0");
    assert_eq!(u(1, 1), 0.5);
    assert_eq!(u(0, 0), 0.5);
    assert!(!s.actors[0].is_linear_additive());
    // Without the term japan accepts (none, no) and (two, no) and (two,
    // yes); russia needs more than 0.2: (none, no) 0.5, (two, yes) 0.5,
    // (none, yes) 1. The term changes nothing there, but a term of +0.4
    // makes (none, yes) worth 0.4 > 0.3 to japan as well.
    let a = analyze(&s, &Config::new()).unwrap();
    assert_eq!(a.agreement_set_size, Some(2));
    let bonus = load(&text.replace("value = -0.2", "value = 0.4"));
    assert_eq!(analyze(&bonus, &Config::new()).unwrap().agreement_set_size, Some(3));
    // The term is a judgement like any other: --set and [[uncertain]] name it.
    let p = detente::scenario::param::parse_param(&s.issues, &s.actors, "japan.interaction.for-nothing").unwrap();
    assert_eq!(p.value(&s), -0.2);
    assert_eq!(p.domain(&s.issues), (-1.0, 1.0));
    let edit = detente::whatif::parse_set(&s, "japan.interaction.for-nothing=0.4").unwrap();
    let edited = detente::whatif::apply(&s, &[edit]);
    assert_eq!(analyze(&edited, &Config::new()).unwrap().agreement_set_size, Some(3));
    let err = detente::scenario::param::parse_param(&s.issues, &s.actors, "japan.interaction.for-nothin").unwrap_err();
    assert!(err.contains("did you mean `for-nothing`?"), "{err}");
}

#[test]
fn a_term_that_ties_the_reservation_is_decided_exactly() {
    // 0.7·1 + 0.3·0 − 0.4 = 0.3, exactly the reservation; in floating point
    // 0.7 − 0.4 is 0.29999999999999993. A party needs more than its
    // reservation, so the outcome is not acceptable, whatever the rounding.
    let text = r#"format = 1
name = "Tie"
[[issues]]
id = "x"
options = ["no", "yes"]
[[issues]]
id = "y"
options = ["no", "yes"]
[[actors]]
id = "a"
reservation = 0.3
stances.x = { position = "yes", salience = 0.7 }
stances.y = { position = "yes", salience = 0.3 }
interactions = [{ label = "t", when = "x and not y", value = -0.4 }]
[[actors]]
id = "b"
reservation = 0
stances.y = { position = "no", salience = 1 }
"#;
    let s = load(text);
    let a = analyze(&s, &Config::new()).unwrap();
    // (yes, no) ties for a; b gets 1 only with y = no, and 0 > 0 fails
    // otherwise: nothing is acceptable to both.
    assert_eq!(a.agreement_set_size, Some(0));
}

#[test]
fn writing_keeps_conditions_and_terms() {
    let text = format!(
        "{TREATY}\n[[actors.interactions]]\nlabel = \"t\"\nwhen = \"territory_in_treaty\"\nvalue = 0.25\nsource = \"why\"\n"
    );
    let s = load(&text);
    assert_eq!(s.actors[1].interactions.len(), 1);
    for format in [detente::TextFormat::Toml, detente::TextFormat::Json] {
        let written = detente::format::write::to_string(&s, format);
        let back = detente::load_str("w", &written, format);
        assert!(back.diagnostics.is_empty(), "{:?}\n{written}", back.diagnostics);
        assert_eq!(back.scenario.unwrap(), s);
    }
    let err = detente::format::genius::to_genius(&s).unwrap_err().to_string();
    assert!(err.contains("issue `territory_in_treaty` applies only under a condition"), "{err}");
    assert!(err.contains("actor `russia` has interaction terms"), "{err}");
}

#[test]
fn talks_never_offer_a_moot_combination() {
    let s = load(TREATY);
    let domain = Talks::new(&s, &DomainConfig::default()).unwrap();
    for p in domain.parties() {
        let prefs = domain.preferences(*p);
        assert!(prefs.order.iter().all(|&k| !s.is_moot(&domain.outcome(k as usize))));
    }
    assert!(domain.reference().frontier.iter().all(|f| !s.is_moot(&domain.outcome(f.index as usize))));
    for strategies in [["boulware", "conceder"], ["random", "random"]] {
        let specs: Vec<_> = strategies.iter().map(|t| negotiation::registry::parse(t).unwrap()).collect();
        let protocol = negotiation::alternating::AlternatingOffers { deadline: negotiation::Deadline::rounds(20) };
        let parties = domain.parties().to_vec();
        let session = negotiation::run(&protocol, &domain, &parties, &specs, 7, true).unwrap();
        for e in &session.trace {
            if let negotiation::Action::Offer(k) | negotiation::Action::Accept(k) = e.action {
                assert!(!s.is_moot(&domain.outcome(k)), "{strategies:?} offered a moot combination");
            }
        }
        assert!(session.agreement.is_none_or(|k| !s.is_moot(&domain.outcome(k))));
    }
}

/// A random scenario of `scenario_text()` with conditions (issue `i` applies
/// when an earlier issue takes a given option, and otherwise takes its
/// status-quo value) and an interaction term on the first actor.
fn with_rules() -> impl Strategy<Value = String> {
    (
        scenario_text(),
        prop::collection::vec((any::<bool>(), 0usize..4, 0usize..4), 4),
        (0usize..4, 0usize..4, 0usize..4, -10i32..11),
    )
        .prop_map(|(text, conds, (i, oi, j, t))| {
            let s = load(&text);
            let sq = s.status_quo.clone().unwrap();
            let n = s.issues.len();
            let label = |k: usize, v: usize| match &s.issues[k].domain {
                Domain::Discrete { options, .. } => options[v % options.len()].clone(),
                _ => unreachable!("the generator writes options"),
            };
            let mut out = text.clone();
            for (k, &(on, dep, opt)) in conds.iter().enumerate().take(n).skip(1) {
                if !on {
                    continue;
                }
                let dep = dep % k;
                let Value::Option(sq_k) = sq[k] else { unreachable!() };
                let rule = format!("i{dep} == '{}'", label(dep, opt));
                out = out.replacen(
                    &format!("id = \"i{k}\"\n"),
                    &format!("id = \"i{k}\"\nwhen = \"{rule}\"\notherwise = \"{}\"\n", label(k, sq_k)),
                    1,
                );
            }
            let (i, j) = (i % n, j % n);
            let term = format!(
                "interactions = [{{ label = \"t\", when = \"i{i} == '{}' and not i{j} == '{}'\", value = {} }}]\n",
                label(i, oi),
                label(j, oj_of(j, &s)),
                f64::from(t) / 10.0
            );
            out.replacen("id = \"a0\"\n", &format!("id = \"a0\"\n{term}"), 1)
        })
}

/// The status-quo option of issue `j` (so the term's rule reads "away from
/// the status quo on `j`").
fn oj_of(j: usize, s: &Scenario) -> usize {
    match s.status_quo.as_ref().unwrap()[j] {
        Value::Option(k) => k,
        _ => 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The agreement set is every kept outcome (no moot issue off its
    /// `otherwise`) that the definition accepts, counted by brute force with
    /// exact utilities; the verdict's fast path agrees; every combination
    /// settles onto exactly one kept outcome.
    #[test]
    fn matches_brute_force(text in with_rules()) {
        let s = load(&text);
        let a = analyze(&s, &Config::new()).unwrap();
        let space = OutcomeSpace::new(&s, Default::default());
        let all: Vec<Vec<Value>> = (0..space.count() as u64).map(|i| space.outcome(i)).collect();
        let kept: Vec<&Vec<Value>> = all.iter().filter(|o| !s.is_moot(o)).collect();
        prop_assert_eq!(a.outcome_count, kept.len() as u128);
        prop_assert_eq!(a.moot as usize, all.len() - kept.len());
        let count = kept.iter().filter(|o| acceptable(&s, o)).count() as u64;
        prop_assert_eq!(a.agreement_set_size, Some(count));
        prop_assert_eq!(deal_exists(&s, &Config::new()).unwrap(), count > 0);
        let model = detente::analysis::verdict::compile_for_verdict(&s, &Config::new()).unwrap();
        prop_assert_eq!(model.first_agreement_among(&Candidates::new(&model)), model.first_agreement());
        for o in &all {
            let mut settled = o.clone();
            let changed = s.settle_moot(&mut settled);
            prop_assert!(!s.is_moot(&settled));
            prop_assert_eq!(changed.is_empty(), !s.is_moot(o));
            prop_assert!(s.settle_moot(&mut settled).is_empty());
        }
        for p in a.pareto.iter().chain(&a.pareto_all).chain(&a.best) {
            prop_assert!(!s.is_moot(&p.outcome));
        }
    }
}
