//! The analysis against brute force on small random scenarios: the
//! agreement set, frontier properties, solution optimality, blocker
//! minimality, and thread-count independence.

use detente::analysis::{
    analyze, deal_exists, pareto::dominates, pareto::same, Candidates, Config, OutcomeSpace, Relaxation,
};
use detente::scenario::*;
use proptest::prelude::*;

mod common;
use common::{acceptable, load, scenario_text};

fn all_outcomes(s: &Scenario) -> Vec<Vec<Value>> {
    let space = OutcomeSpace::new(s, Default::default());
    (0..space.count() as u64).map(|i| space.outcome(i)).collect()
}

fn party_utils(s: &Scenario, o: &[Value]) -> Vec<f64> {
    s.parties().iter().map(|&p| s.actors[p].utility(&s.issues, o)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn matches_brute_force(text in scenario_text()) {
        let s = load(&text);
        let a = analyze(&s, &Config::new()).unwrap();
        let outcomes = all_outcomes(&s);
        let agree: Vec<&Vec<Value>> = outcomes.iter().filter(|o| acceptable(&s, o)).collect();
        prop_assert_eq!(a.agreement_set_size, Some(agree.len() as u64));
        let d: Vec<f64> = s.parties().iter().map(|&p| s.reservation_value(p)).collect();
        // Frontier: members acceptable, none dominates another, every
        // acceptable outcome on it (by value) or dominated by it.
        for p in &a.pareto {
            prop_assert!(acceptable(&s, &p.outcome));
            for q in &a.pareto {
                prop_assert!(!dominates(&p.utilities, &q.utilities));
            }
        }
        for o in &agree {
            let u = party_utils(&s, o);
            prop_assert!(a.pareto.iter().any(|p| same(&p.utilities, &u) || dominates(&p.utilities, &u)));
        }
        // Whole-space frontier likewise.
        for o in &outcomes {
            let u = party_utils(&s, o);
            prop_assert!(a.pareto_all.iter().any(|p| same(&p.utilities, &u) || dominates(&p.utilities, &u)));
        }
        // Solutions: exist iff the set is non-empty, and are optimal over it.
        prop_assert_eq!(a.solutions.nash.is_some(), !agree.is_empty());
        if let Some(n) = &a.solutions.nash {
            let prod = |u: &[f64]| u.iter().zip(&d).map(|(u, d)| u - d).product::<f64>();
            let best = agree.iter().map(|o| prod(&party_utils(&s, o))).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!((prod(&n.utilities) - best).abs() < 1e-12);
            let u = a.solutions.utilitarian.as_ref().unwrap();
            let best_sum = agree.iter().map(|o| party_utils(&s, o).iter().sum::<f64>()).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!((u.utilities.iter().sum::<f64>() - best_sum).abs() < 1e-12);
            let e = a.solutions.egalitarian.as_ref().unwrap();
            let minu = |u: &[f64]| u.iter().zip(&d).map(|(u, d)| u - d).fold(f64::INFINITY, f64::min);
            let best_min = agree.iter().map(|o| minu(&party_utils(&s, o))).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!((minu(&e.utilities) - best_min).abs() < 1e-12);
        }
        // Blockers only when there is no deal; each opens a deal, minimally.
        prop_assert!(a.blockers.is_empty() || agree.is_empty());
        for b in &a.blockers {
            prop_assert!(opens(&s, &b.relax));
            for k in 0..b.relax.len() {
                let mut smaller = b.relax.clone();
                smaller.remove(k);
                prop_assert!(!opens(&s, &smaller), "{:?} is not minimal", b.relax);
            }
        }
    }

    #[test]
    fn thread_count_does_not_change_results(text in scenario_text()) {
        let s = load(&text);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| analyze(&s, &Config::new()).unwrap());
        let two = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap().install(|| analyze(&s, &Config::new()).unwrap());
        prop_assert_eq!(one, two);
    }
}

/// Whether relaxing `set` (applied to a copy) makes some outcome acceptable.
fn opens(s: &Scenario, set: &[Relaxation]) -> bool {
    let mut t = s.clone();
    let mut drop = Vec::new();
    for r in set {
        match *r {
            Relaxation::DropConstraint(c) => drop.push(c),
            Relaxation::LowerReservation(a) => t.actors[a].reservation = Reservation::Value(-1.0),
            Relaxation::RemoveRatifier(a) => {
                for x in &mut t.actors {
                    x.ratifiers.retain(|&y| y != a);
                }
            }
            Relaxation::RemoveVeto(a) => t.actors[a].vetoes.clear(),
        }
    }
    drop.sort_unstable();
    for c in drop.into_iter().rev() {
        t.constraints.remove(c);
    }
    all_outcomes(&t).iter().any(|o| acceptable(&t, o))
}

/// Hand-worked: two parties split 10 units, each needing more than 0.25;
/// party a also refuses to give b more than 6.
#[test]
fn hand_worked_split() {
    let text = "format = 1\nname = \"split\"\n[[issues]]\nid = \"share\"\nkind = \"integer\"\nmin = 0\nmax = 10\n[[actors]]\nid = \"a\"\nreservation = 0.25\nstances.share = { position = 10, salience = 1 }\n[[actors]]\nid = \"b\"\nreservation = 0.25\nstances.share = { position = 0, salience = 1 }\n[[constraints]]\nlabel = \"a-keeps-four\"\nowner = \"a\"\nrule = \"share >= 4\"\n";
    let s = load(text);
    let a = analyze(&s, &Config::new()).unwrap();
    // Shares 3..=7 are acceptable to both; the constraint removes 3.
    assert_eq!(a.agreement_set_size, Some(4));
    // Every acceptable outcome is Pareto-optimal (pure split).
    assert_eq!(a.pareto.len(), 4);
    // Nash: gains (0.15, 0.45), (0.25, 0.35), (0.35, 0.25), (0.45, 0.15):
    // products 0.0675, 0.0875 (twice), 0.0675 → tie → equal sums → lower index (share 5).
    let n = a.solutions.nash.unwrap();
    assert_eq!(n.outcome, vec![Value::Int(5)]);
    assert_eq!(a.binding.len(), 1);
    assert_eq!(a.binding[0].excludes, 1);
    // Whole-space frontier: all 11 splits.
    assert_eq!(a.pareto_all.len(), 11);
    assert!((a.opposition.unwrap() - (0.5f64 * 0.5 * 2.0).sqrt() / 2f64.sqrt()).abs() < 1e-12);
}

/// Hand-worked blocker: a red line against the only acceptable outcome.
#[test]
fn hand_worked_blocker() {
    let text = "format = 1\nname = \"b\"\n[[issues]]\nid = \"deal\"\noptions = [\"no\", \"yes\"]\n[[actors]]\nid = \"a\"\nreservation = 0.5\nstances.deal = { position = \"yes\", salience = 1 }\n[[actors]]\nid = \"b\"\nreservation = 0.0\nstances.deal = { values = { no = 0.0, yes = 0.4 }, salience = 1 }\n[[constraints]]\nlabel = \"b-refuses\"\nowner = \"b\"\nrule = \"never deal\"\n";
    let s = load(text);
    let a = analyze(&s, &Config::new()).unwrap();
    assert_eq!(a.agreement_set_size, Some(0));
    // Either b drops its red line, or both accept "no deal" as a deal.
    assert_eq!(a.blockers.len(), 2);
    assert_eq!(a.blockers[0].relax, vec![Relaxation::DropConstraint(0)]);
    assert_eq!(a.blockers[1].relax, vec![Relaxation::LowerReservation(0), Relaxation::LowerReservation(1)]);
    assert_eq!(a.blockers[1].costs[0].best_feasible, Some(0.0));
    assert_eq!(a.blockers[0].opens.outcome, vec![Value::Option(1)]);
    assert_eq!(a.blockers[0].costs[0].actor, 1);
}

/// Two additive parties, no constraints: for the issue-by-issue frontier.
fn additive_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((2usize..6, 0u8..3), 1..6),
        prop::collection::vec(prop::collection::vec((0usize..6, 0u8..11, 0u8..3), 6), 2),
        0u8..5,
        0u8..5,
    )
        .prop_map(|(issues, actors, ra, rb)| {
            let mut t = String::from("format = 1\nname = \"add\"\n");
            for (i, (n, kind)) in issues.iter().enumerate() {
                match kind {
                    0 => t += &format!("[[issues]]\nid = \"i{i}\"\nkind = \"integer\"\nmin = 0\nmax = {}\n", n - 1),
                    _ => {
                        let opts: Vec<String> = (0..*n).map(|k| format!("\"o{k}\"")).collect();
                        t += &format!(
                            "[[issues]]\nid = \"i{i}\"\noptions = [{}]\nordered = {}\n",
                            opts.join(", "),
                            *kind == 1
                        );
                    }
                }
            }
            for (a, stances) in actors.iter().enumerate() {
                // Without normalisation the weights may sum past 1 and the
                // utility is capped, which the exact mode must respect.
                t += &format!(
                    "[[actors]]\nid = \"a{a}\"\nreservation = {}\nnormalize = {}\n",
                    [ra, rb][a] as f64 / 10.0,
                    ra % 2 == 0
                );
                for (i, (n, kind)) in issues.iter().enumerate() {
                    let (pos, sal, shape) = stances[i];
                    let position = if *kind == 0 { format!("{}", pos % n) } else { format!("\"o{}\"", pos % n) };
                    let shape = ["linear", "quadratic", "step"][shape as usize];
                    t += &format!(
                        "stances.i{i} = {{ position = {position}, salience = {}, shape = \"{shape}\" }}\n",
                        sal as f64 / 10.0
                    );
                }
            }
            t
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Enumeration and the issue-by-issue frontier agree on random
    /// linear-additive two-party scenarios.
    #[test]
    fn issue_by_issue_matches_enumeration(text in additive_text()) {
        let s = load(&text);
        let mut c = Config::new();
        c.method = detente::analysis::Method::Enumerate;
        let e = analyze(&s, &c).unwrap();
        c.method = detente::analysis::Method::IssueByIssue;
        let x = analyze(&s, &c).unwrap();
        // Compared on the snapping grid: the two methods may pick different
        // outcomes for one utility vector, whose sums can differ by an ulp.
        let vectors = |ps: &[detente::analysis::Point]| {
            let mut v: Vec<Vec<f64>> =
                ps.iter().map(|p| p.utilities.iter().map(|&u| detente::analysis::pareto::snap(u)).collect()).collect();
            v.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
            v
        };
        prop_assert_eq!(vectors(&e.pareto_all), vectors(&x.pareto_all));
        prop_assert_eq!(vectors(&e.pareto), vectors(&x.pareto));
        prop_assert_eq!(e.deal_exists, x.deal_exists);
        let u = |p: &Option<detente::analysis::Point>| {
            p.as_ref().map(|p| p.utilities.iter().map(|&u| detente::analysis::pareto::snap(u)).collect::<Vec<_>>())
        };
        prop_assert_eq!(u(&e.solutions.nash), u(&x.solutions.nash));
        prop_assert_eq!(u(&e.solutions.kalai_smorodinsky), u(&x.solutions.kalai_smorodinsky));
        prop_assert_eq!(u(&e.solutions.egalitarian), u(&x.solutions.egalitarian));
        prop_assert_eq!(u(&e.solutions.utilitarian), u(&x.solutions.utilitarian));
        // Every exact frontier point's outcome really has its utilities (up
        // to the last-place move of a utility settled on a tie with the
        // reservation: docs/analysis.md, "Ties").
        for p in &x.pareto_all {
            for (&a, &u) in s.parties().iter().zip(&p.utilities) {
                let real = s.actors[a].utility(&s.issues, &p.outcome);
                prop_assert!((real - u).abs() <= 4.0 * f64::EPSILON * real.abs().max(1.0), "{} vs {}", real, u);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The verdict's fast path agrees with a full analysis: a deal exists
    /// exactly when the agreement set counts at least one outcome, scanning
    /// every outcome or only the constraint-allowed candidates.
    #[test]
    fn verdict_agrees_with_analysis(text in scenario_text()) {
        let s = load(&text);
        let config = Config::new();
        let full = analyze(&s, &config).unwrap();
        let count = full.agreement_set_size.unwrap();
        prop_assert_eq!(deal_exists(&s, &config).unwrap(), count > 0);
        let model = detente::analysis::verdict::compile_for_verdict(&s, &config).unwrap();
        let candidates = Candidates::new(&model);
        prop_assert_eq!(model.first_agreement_among(&candidates), model.first_agreement());
        prop_assert_eq!(model.first_agreement().is_some(), count > 0);
    }
}
