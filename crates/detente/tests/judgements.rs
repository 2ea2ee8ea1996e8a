//! Robustness studies over uncertain judgements against closed forms:
//! the deal share, irrelevant judgements, breakpoints, thread independence.

use detente::analysis::Config as AnalysisConfig;
use detente::robustness::{judgements, study, Config, PrimConfig, Robustness};
use detente::{load_str, Scenario, TextFormat};

/// Two parties, one integer issue 0–10: a gets n/10, b gets 1 − n/10.
const TWO: &str = r#"format = 1
name = "split"
[[issues]]
id = "n"
kind = "integer"
min = 0
max = 10
[[actors]]
id = "a"
reservation = 0.35
stances.n = { position = 10, salience = 1 }
[[actors]]
id = "b"
reservation = 0.35
stances.n = { position = 0, salience = 1 }
[[uncertain]]
param = "a.reservation"
range = [0.0, 1.0]
[[uncertain]]
param = "b.reservation"
range = [0.0, 1.0]
[[uncertain]]
param = "a.capability"
range = [0.5, 2.0]
"#;

fn load(text: &str) -> Scenario {
    load_str("t.toml", text, TextFormat::Toml).scenario.expect("valid")
}

fn run(s: &Scenario, samples: usize, seed: u64) -> Robustness {
    let config = Config { samples, seed, analysis: AnalysisConfig::new(), prim: PrimConfig::ema() };
    study(s, &judgements(s, &[]), &config, &|_, _| {}).unwrap()
}

#[test]
fn deal_share_matches_the_closed_form() {
    // With A = 10·r_a and B = 10·r_b uniform on 0–10, a deal needs an
    // integer n with A < n < 10 − B: the least is ⌊A⌋ + 1, so B < 9 − ⌊A⌋,
    // and the share is Σₖ (9 − k)/100 over k = 0…9 = 0.45.
    let s = load(TWO);
    let r = run(&s, 1024, 1);
    let (lo, hi) = r.deal_share_interval;
    assert!(lo <= 0.45 && 0.45 <= hi, "{} in {lo}..{hi}", r.deal_share);
    assert!(hi - lo < 0.05, "{lo}..{hi}");
    assert_eq!(r.evaluations(), 1024 * 8);
    assert!(r.file_verdict);
}

#[test]
fn an_irrelevant_judgement_has_zero_indices() {
    // Capabilities do not enter the agreement set: A and AB rows for it
    // always agree, so both estimators are exactly 0. The reservations
    // share the rest, with interactions (ST above S1).
    let r = run(&load(TWO), 512, 3);
    let ix = r.indices.expect("the verdict varies");
    assert_eq!((ix[2].first, ix[2].total), (0.0, 0.0));
    for k in 0..2 {
        assert!(ix[k].first > 0.2 && ix[k].total > ix[k].first - 0.05, "{ix:?}");
    }
    assert!(r.breakpoints[2].is_none());
}

#[test]
fn breakpoints_match_hand_worked_values() {
    // b at 0.35 needs n ≤ 6; a needs n > 10·r_a: a deal until r_a reaches 0.6
    // (no utility ties 0.35 on the grid, so rounding cannot decide).
    let r = run(&load(TWO), 16, 0);
    let b = r.breakpoints[0].expect("flips");
    assert!(b.above && (b.value - 0.6).abs() < 1e-5, "{b:?}");
}

#[test]
fn prim_box_describes_the_deal_region() {
    // Deals need low reservations: the box must bound both from above.
    let r = run(&load(TWO), 1024, 5);
    let b = &r.boxes[0];
    assert_eq!(b.restricted, vec![true, true, false], "{b:?}");
    assert!(b.density >= 0.8, "{b:?}");
}

#[test]
fn same_seed_same_result_on_any_thread_count() {
    let s = load(TWO);
    let pool = |n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
    let one = pool(1).install(|| run(&s, 256, 9));
    let two = pool(2).install(|| run(&s, 256, 9));
    assert_eq!(one.verdicts, two.verdicts);
    assert_eq!(one.indices, two.indices);
    assert_eq!(one.breakpoints, two.breakpoints);
    assert_eq!(one.boxes, two.boxes);
    let other = run(&s, 256, 10);
    assert_ne!(one.verdicts, other.verdicts, "the seed matters");
}

#[test]
fn vary_adds_and_replaces_ranges() {
    let s = load(TWO);
    let extra = vec![detente::scenario::Uncertain {
        param: detente::scenario::Param::Reservation(0),
        low: 0.1,
        high: 0.2,
        distribution: detente::scenario::Distribution::Uniform,
        source: None,
    }];
    let j = judgements(&s, &extra);
    assert_eq!(j.len(), 3);
    assert_eq!((j[0].path.as_str(), j[0].low, j[0].high), ("a.reservation", 0.1, 0.2));
    assert_eq!(j[0].file_value, 0.35);
}

/// A study run in shards of rows (as a Dask run deals them), joined in row
/// order and finished, is the single run: the same verdicts, share,
/// indices, breakpoints and boxes. Rows outside the study are refused.
#[test]
fn shards_of_rows_finish_as_one_study() {
    use detente::robustness::{finish, rows, verdicts, RobustnessError};
    let s = load(TWO);
    let js = judgements(&s, &[]);
    let config = Config { samples: 64, seed: 5, analysis: AnalysisConfig::new(), prim: PrimConfig::ema() };
    let whole = study(&s, &js, &config, &|_, _| {}).unwrap();
    let total = rows(&js, &config).unwrap();
    assert_eq!(total, 64 * (2 * 3 + 2));
    // Uneven shards, one of them empty.
    let cuts = [0, 7, 7, 200, 333, total];
    let mut joined = Vec::new();
    for w in cuts.windows(2) {
        joined.extend(verdicts(&s, &js, &config, w[0]..w[1], &|_, _| {}).unwrap());
    }
    let sharded = finish(&s, &js, &config, joined).unwrap();
    assert_eq!(sharded.verdicts, whole.verdicts);
    assert_eq!((sharded.deal_share, sharded.deal_share_interval), (whole.deal_share, whole.deal_share_interval));
    assert_eq!(format!("{:?}", sharded.indices), format!("{:?}", whole.indices));
    assert_eq!(format!("{:?}", sharded.breakpoints), format!("{:?}", whole.breakpoints));
    assert_eq!(format!("{:?}", sharded.boxes), format!("{:?}", whole.boxes));
    let bad = verdicts(&s, &js, &config, 10..total + 1, &|_, _| {}).unwrap_err();
    assert!(matches!(bad, RobustnessError::Rows { end, .. } if end == total + 1), "{bad}");
    let short = finish(&s, &js, &config, vec![true; total - 1]).unwrap_err();
    assert!(short.to_string().contains(&format!("all {total} verdicts")), "{short}");
}
