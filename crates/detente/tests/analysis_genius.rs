//! The analysis on real GENIUS domains against published reference values
//! (Baarslag, Hindriks & Jonker 2014, Table 3, as listed in
//! ../shared/data/README.md): Nash and Kalai–Smorodinsky utilities to two
//! decimals. A missing data folder fails in CI and skips (with a reason)
//! elsewhere.

use detente::analysis::{analyze, Config, Point};

mod common;
use common::genius_data as data;

/// Utilities of `p` in the order of the named profiles (actor ids).
fn by_profile(s: &detente::Scenario, a: &detente::analysis::Analysis, p: &Point, ids: &[&str]) -> Vec<f64> {
    ids.iter()
        .map(|id| {
            let actor = s.actor_index(id).unwrap_or_else(|| panic!("no actor {id}"));
            let k = a.parties.iter().position(|&x| x == actor).unwrap();
            p.utilities[k]
        })
        .collect()
}

fn round2(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| (x * 100.0).round() / 100.0).collect()
}

#[test]
fn published_nash_and_kalai_smorodinsky_points() {
    // (folder, outcomes, profiles in the published order, Nash, Kalai–Smorodinsky)
    type Case = (&'static str, usize, [&'static str; 2], [f64; 2], [f64; 2]);
    let cases: [Case; 4] = [
        ("anac/y2011/Laptop", 27, ["laptop_buyer_utility", "laptop_seller_utility"], [1.00, 0.82], [0.87, 0.87]),
        ("anac/y2010/ItexvsCypress", 180, ["itexvscypress_itex", "itexvscypress_cypress"], [0.72, 0.67], [0.72, 0.67]),
        ("anac/y2010/EnglandZimbabwe", 576, ["england", "zimbabwe"], [0.91, 0.73], [0.82, 0.79]),
        ("anac/y2011/Grocery", 1600, ["grocery_domain_mary", "grocery_domain_sam"], [0.84, 0.90], [0.84, 0.90]),
    ];
    for (dir, outcomes, ids, nash, ks) in cases {
        let Some(path) = data(dir) else { return };
        let loaded = detente::format::load_path(&path).unwrap();
        let s = loaded.scenario.unwrap_or_else(|| panic!("{dir}: {:?}", loaded.diagnostics));
        let a = analyze(&s, &Config::new()).unwrap();
        assert_eq!(a.outcome_count, outcomes as u128, "{dir}");
        let n = by_profile(&s, &a, a.solutions.nash.as_ref().unwrap(), &ids);
        let k = by_profile(&s, &a, a.solutions.kalai_smorodinsky.as_ref().unwrap(), &ids);
        assert_eq!(round2(&n), nash.to_vec(), "{dir}: Nash {n:?}");
        assert_eq!(round2(&k), ks.to_vec(), "{dir}: Kalai–Smorodinsky {k:?}");
    }
}

/// AMPOvsCity (1,944,000 outcomes, a benchmark domain) gives the same
/// frontier and Nash point by enumeration and by the issue-by-issue method.
#[test]
fn large_domains_enumerate() {
    let Some(path) = data("other/AMPOvsCity") else { return };
    let s = detente::format::load_path(&path).unwrap().scenario.unwrap();
    let mut c = Config::new();
    let e = analyze(&s, &c).unwrap();
    assert_eq!(e.outcome_count, 1_944_000);
    c.method = detente::analysis::Method::IssueByIssue;
    let x = analyze(&s, &c).unwrap();
    let sorted = |ps: &[Point]| {
        let mut v: Vec<Vec<f64>> = ps.iter().map(|p| p.utilities.clone()).collect();
        v.sort_by(|a, b| a[0].total_cmp(&b[0]));
        v
    };
    assert_eq!(sorted(&e.pareto_all), sorted(&x.pareto_all));
    assert_eq!(e.solutions.nash.map(|p| p.utilities), x.solutions.nash.map(|p| p.utilities));
}

/// group9-killer_robot (five parties, 240,000 outcomes): the frontier the
/// analysis finds (chunks, elite pre-filter, k-d tree, merges) is the plain
/// scan's over every outcome, point for point and outcome for outcome.
#[test]
fn five_party_frontier_equals_the_plain_scan() {
    use detente::analysis::pareto::{frontier_flat, frontier_scan};
    use detente::negotiation::{Domain, DomainConfig};
    let Some(path) = data("anac/y2015/group9-killer_robot") else { return };
    let s = detente::format::load_path(&path).unwrap().scenario.unwrap();
    let a = analyze(&s, &Config::new()).unwrap();
    let domain = Domain::new(&s, &DomainConfig::default()).unwrap();
    let parties = domain.parties().to_vec();
    assert_eq!(parties.len(), 5);
    let mut flat = Vec::with_capacity(domain.len() * parties.len());
    for k in 0..domain.len() {
        flat.extend(parties.iter().map(|&p| domain.preferences(p).utility(k)));
    }
    let index: Vec<u64> = (0..domain.len() as u64).collect();
    let scan = frontier_scan(parties.len(), &flat, &index);
    assert_eq!(frontier_flat(parties.len(), &flat, &index), scan);
    let got: Vec<(u64, Vec<f64>)> = a.pareto.iter().map(|p| (p.index as u64, p.utilities.clone())).collect();
    let want: Vec<(u64, Vec<f64>)> = scan.into_iter().map(|p| (p.index, p.utilities)).collect();
    assert_eq!(got.len(), 7444);
    assert_eq!(got, want);
}
