//! The opt-in utility-plane density (`Config::density`): bin counts sum to
//! the number of outcomes and of agreements, every recorded point is binned
//! where its utilities say, the thread count changes nothing, and asking
//! for the density changes no other result.

use detente::analysis::{analyze, density::bin, Analysis, AnalysisError, Config, DensityConfig, Method, Window};
use detente::scenario::Scenario;
use detente::{load_str, TextFormat};
use proptest::prelude::*;

/// A small random scenario: 2–4 parties over 1–4 issues, maybe a constraint.
fn scenario_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(2usize..5, 1..5),
        prop::collection::vec((prop::collection::vec((0usize..5, 0u8..11), 4), 0u8..8), 2..5),
        prop::option::of((0usize..4, 0usize..5)),
    )
        .prop_map(|(issues, actors, constraint)| {
            let mut t = String::from("format = 1\nname = \"gen\"\n");
            for (i, n) in issues.iter().enumerate() {
                let opts: Vec<String> = (0..*n).map(|k| format!("\"o{k}\"")).collect();
                t += &format!("[[issues]]\nid = \"i{i}\"\noptions = [{}]\nordered = true\n", opts.join(", "));
            }
            for (a, (stances, res)) in actors.iter().enumerate() {
                t += &format!("[[actors]]\nid = \"a{a}\"\nreservation = {}\n", *res as f64 / 10.0);
                for (i, n) in issues.iter().enumerate() {
                    let (pos, sal) = stances[i];
                    t += &format!(
                        "stances.i{i} = {{ position = \"o{}\", salience = {} }}\n",
                        pos % n,
                        sal as f64 / 10.0
                    );
                }
            }
            if let Some((i, o)) = constraint {
                let i = i % issues.len();
                t += &format!(
                    "[[constraints]]\nlabel = \"c\"\nowner = \"a0\"\nrule = \"never i{i} == 'o{}'\"\n",
                    o % issues[i]
                );
            }
            t
        })
}

fn load(text: &str) -> Scenario {
    let l = load_str("gen.toml", text, TextFormat::Toml);
    l.scenario.unwrap_or_else(|| panic!("{:?}\n{text}", l.diagnostics))
}

fn with_density(bins: usize, max_points: u64) -> Config {
    let mut c = Config::new();
    c.density = Some(DensityConfig { bins, max_points, window: None });
    c
}

fn without_density(a: &Analysis) -> Analysis {
    Analysis { density: None, ..a.clone() }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn counts_sum_to_outcomes_and_agreements(text in scenario_text(), bins in 1usize..12) {
        let s = load(&text);
        let a = analyze(&s, &with_density(bins, 1_000_000)).unwrap();
        let d = a.density.as_ref().expect("density asked for");
        let n = a.parties.len();
        prop_assert_eq!(d.bins, bins);
        prop_assert_eq!(d.planes.len(), n * (n - 1) / 2);
        for plane in &d.planes {
            prop_assert!(plane.x < plane.y && plane.y < n);
            prop_assert_eq!(plane.all.len(), bins * bins);
            prop_assert_eq!(plane.all.iter().sum::<u64>() as u128, a.outcome_count);
            prop_assert_eq!(Some(plane.agreement.iter().sum::<u64>()), a.agreement_set_size);
            prop_assert!(plane.agreement.iter().zip(&plane.all).all(|(g, t)| g <= t));
        }
        // Every outcome recorded once, in order, and binned where it lies.
        let points = d.points.as_ref().expect("small space");
        prop_assert_eq!(points.len() as u128, a.outcome_count);
        prop_assert!(points.iter().enumerate().all(|(k, p)| p.index == k as u64));
        prop_assert_eq!(points.iter().filter(|p| p.agreement).count() as u64, a.agreement_set_size.unwrap());
        for plane in &d.planes {
            let mut rebuilt = vec![0u64; bins * bins];
            for p in points {
                rebuilt[bin(p.utilities[plane.y], bins).0 * bins + bin(p.utilities[plane.x], bins).0] += 1;
            }
            prop_assert_eq!(&rebuilt, &plane.all);
        }
        // Asking for the density changes nothing else.
        let plain = analyze(&s, &Config::new()).unwrap();
        prop_assert_eq!(&without_density(&a), &plain);
    }

    /// A window is the same outcomes binned finer: every recorded point
    /// inside it lands in the bin its utilities say, the rest are counted
    /// outside, and nothing else about the analysis changes.
    #[test]
    fn a_window_bins_the_points_inside_it(
        text in scenario_text(),
        bins in 1usize..12,
        corner in (0.0f64..0.9, 0.0f64..0.9),
        size in (0.05f64..0.6, 0.05f64..0.6),
    ) {
        let s = load(&text);
        let (x0, y0) = corner;
        let window = Window { x: 0, y: 1, x_range: (x0, (x0 + size.0).min(1.0)), y_range: (y0, (y0 + size.1).min(1.0)) };
        let mut config = with_density(bins, 1_000_000);
        config.density = Some(DensityConfig { window: Some(window), ..config.density.unwrap() });
        let a = analyze(&s, &config).unwrap();
        let d = a.density.as_ref().unwrap();
        prop_assert_eq!(d.planes.len(), 1);
        let plane = &d.planes[0];
        let points = d.points.as_ref().unwrap();
        let mut rebuilt = vec![0u64; bins * bins];
        let mut outside = 0;
        let cell = |u: f64, (low, high): (f64, f64)| {
            (low..=high).contains(&u).then(|| (((u - low) / (high - low) * bins as f64).floor() as usize).min(bins - 1))
        };
        for p in points {
            match (cell(p.utilities[0], window.x_range), cell(p.utilities[1], window.y_range)) {
                (Some(c), Some(r)) => rebuilt[r * bins + c] += 1,
                _ => outside += 1,
            }
        }
        prop_assert_eq!(&rebuilt, &plane.all);
        prop_assert_eq!(d.outside_window, outside);
        prop_assert_eq!(plane.all.iter().sum::<u64>() as u128 + outside as u128, a.outcome_count);
        let plain = analyze(&s, &Config::new()).unwrap();
        prop_assert_eq!(&without_density(&a), &plain);
    }

    #[test]
    fn thread_count_does_not_change_the_density(text in scenario_text()) {
        let s = load(&text);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| analyze(&s, &with_density(7, 1_000_000)).unwrap())
        };
        prop_assert_eq!(run(1), run(3));
    }
}

/// Three chunks (2^15 outcomes each) merged: counts still add up, and a
/// space over `max_points` records no points.
#[test]
fn many_chunks_no_points_above_the_limit() {
    let mut t = String::from("format = 1\nname = \"big\"\n");
    for i in 0..5 {
        t += &format!("[[issues]]\nid = \"i{i}\"\nkind = \"integer\"\nmin = 0\nmax = 9\n");
    }
    for (a, pos) in [(0, 0), (1, 9)] {
        t += &format!("[[actors]]\nid = \"a{a}\"\nreservation = 0.3\n");
        for i in 0..5 {
            t += &format!("stances.i{i} = {{ position = {pos}, salience = 0.{} }}\n", i + 1);
        }
    }
    let s = load(&t);
    let a = analyze(&s, &with_density(20, 1000)).unwrap();
    assert_eq!(a.outcome_count, 100_000);
    let d = a.density.unwrap();
    assert!(d.points.is_none());
    assert_eq!(d.out_of_range, 0);
    assert_eq!(d.planes[0].all.iter().sum::<u64>(), 100_000);
    assert_eq!(d.planes[0].agreement.iter().sum::<u64>(), a.agreement_set_size.unwrap());
    // Opposed linear parties: utilities sum to 1, so only the anti-diagonal
    // band of bins is filled.
    for row in 0..20 {
        for col in 0..20 {
            if d.planes[0].count(20, col, row) > 0 {
                assert!((row + col).abs_diff(19) <= 1, "bin ({col}, {row})");
            }
        }
    }
}

/// The issue-by-issue mode does not enumerate, so it has no density and says so.
#[test]
fn issue_by_issue_has_no_density() {
    let t = "format = 1\nname = \"x\"\n[[issues]]\nid = \"i\"\nkind = \"integer\"\nmin = 0\nmax = 3\n\
[[actors]]\nid = \"a\"\nstances.i = { position = 0, salience = 1 }\n\
[[actors]]\nid = \"b\"\nstances.i = { position = 3, salience = 1 }\n";
    let mut c = with_density(4, 10);
    c.method = Method::IssueByIssue;
    let a = analyze(&load(t), &c).unwrap();
    assert!(a.density.is_none());
    assert!(a.notes.iter().any(|n| n.contains("density")));
}

#[test]
fn a_bad_window_is_refused_not_a_panic() {
    let s = load("format = 1\nname = \"w\"\n[[issues]]\nid = \"i\"\noptions = [\"a\", \"b\"]\n[[actors]]\nid = \"p\"\nstances.i = { position = \"a\", salience = 1.0 }\n[[actors]]\nid = \"q\"\nstances.i = { position = \"b\", salience = 1.0 }\n");
    for window in [
        Window { x: 0, y: 0, x_range: (0.0, 1.0), y_range: (0.0, 1.0) },
        Window { x: 0, y: 2, x_range: (0.0, 1.0), y_range: (0.0, 1.0) },
        Window { x: 0, y: 1, x_range: (0.5, 0.5), y_range: (0.0, 1.0) },
        Window { x: 0, y: 1, x_range: (0.0, 1.0), y_range: (0.0, f64::NAN) },
    ] {
        let mut c = Config::new();
        c.density = Some(DensityConfig { bins: 4, max_points: 0, window: Some(window) });
        match analyze(&s, &c) {
            Err(AnalysisError::Refused(m)) => assert!(m.contains("density window"), "{m}"),
            other => panic!("{window:?}: {other:?}"),
        }
    }
}
