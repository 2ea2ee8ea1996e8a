//! KTAB's spatial model of politics against KTAB's own reference runs
//! (`../shared/data/ktab/20170530_ref-*.txt`, made by `smpc` with its
//! default parameters): every turn's positions (printed with one decimal,
//! on 0–100), position probabilities (four decimals) and inferred risk
//! attitudes (three decimals), and the number of turns.

use std::path::{Path, PathBuf};

use detente::forecast::input::ForecastInput;
use detente::forecast::ktab::{KtabConfig, KtabSmp};
use detente::forecast::registry;
use detente::forecast::runner::{run, Run, RunConfig, Termination};
use detente::format::tables::load_table_file;

/// `../shared/data/ktab`, or `None` (with the reason printed) outside CI
/// when it is missing; in CI missing data fail the test.
fn ktab_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ktab");
    if dir.join("dummyData_3Dim.csv").is_file() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("reference data missing: {} (required in CI)", dir.display());
    }
    eprintln!("skipping: reference data not found at {}", dir.display());
    None
}

/// What a KTAB reference log prints at its end.
struct Reference {
    /// `positions[turn][actor][dim]`, as printed (one decimal).
    positions: Vec<Vec<Vec<f64>>>,
    /// `probability[turn][actor]`, as printed (four decimals).
    probability: Vec<Vec<f64>>,
    /// `risk[turn][actor]`: the inferred risk attitudes of each state, as
    /// printed (three decimals).
    risk: Vec<Vec<f64>>,
    /// "There were N states".
    states: usize,
}

/// The numbers after the last `:` of a line.
fn values(line: &str) -> Vec<f64> {
    let tail = &line[line.rfind(':').map_or(0, |k| k + 1)..];
    tail.split_whitespace().map(|x| x.parse::<f64>().unwrap_or_else(|_| panic!("not a number in {line:?}"))).collect()
}

/// Parses the "History of actor positions over time" (one line per actor
/// and dimension) and "History of actors' winning probabilities" (one line
/// per actor) tables of a log.
fn parse_log(path: &Path, actors: usize, dims: usize) -> Reference {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = |title: &str| lines.iter().position(|l| l.starts_with(title)).unwrap_or_else(|| panic!("no {title:?}"));
    let states: usize = lines
        .iter()
        .find_map(|l| l.strip_prefix("There were "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("number of states");
    let p0 = at("History of actor positions over time") + 1;
    let rows: Vec<Vec<f64>> = lines[p0..p0 + actors * dims].iter().map(|l| values(l)).collect();
    let q0 = at("History of actors' winning probabilities") + 1;
    let probs: Vec<Vec<f64>> = lines[q0..q0 + actors].iter().map(|l| values(l)).collect();
    assert!(lines[q0..q0 + actors].iter().all(|l| l.contains("prob")));
    let positions = (0..states)
        .map(|t| (0..actors).map(|a| (0..dims).map(|k| rows[a * dims + k][t]).collect()).collect())
        .collect();
    let probability = (0..states).map(|t| (0..actors).map(|a| probs[a][t]).collect()).collect();
    let risk = (0..lines.len())
        .filter(|&k| lines[k].starts_with("Inferred risk attitudes"))
        .map(|k| lines[k + 1..k + 1 + actors].iter().map(|l| l.trim().parse::<f64>().unwrap()).collect())
        .collect();
    Reference { positions, probability, risk, states }
}

/// The input of a KTAB table, all dimensions at once, read by the table
/// reader.
fn input(path: &Path) -> ForecastInput {
    let loaded = load_table_file(path, None).unwrap();
    assert!(loaded.diagnostics.iter().all(|d| !d.is_error()), "{:?}", loaded.diagnostics);
    let table = loaded.table.unwrap();
    let issues: Vec<usize> = (0..table.scenario.issues.len()).collect();
    let built = ForecastInput::from_scenario(&table.scenario, &issues, Some(&table.power));
    assert!(built.diagnostics.is_empty(), "{:?}", built.diagnostics);
    built.input.unwrap()
}

/// Runs the registered `ktab-smp` on a KTAB table and compares it with the
/// log, turn by turn: positions within half a unit of the printed first
/// decimal, probabilities within half a unit of the printed fourth, risk
/// attitudes within half a unit of the printed third, the same number of
/// turns. Returns the run.
fn reproduce(csv: &str, log: &str) -> Option<Run> {
    let dir = ktab_dir()?;
    let input = input(&dir.join(csv));
    let (n, d) = (input.actors().len(), input.dimensions().len());
    let reference = parse_log(&dir.join(log), n, d);
    let model = registry::model("ktab-smp").unwrap().build();
    let run = run(model.as_ref(), &input, &RunConfig::for_model(model.as_ref())).unwrap();
    let mut misprinted = 0;
    assert_eq!(reference.risk.len(), reference.states, "{log}: one risk block per state");
    for (t, round) in run.rounds.iter().enumerate().take(reference.states) {
        let probability = round.per_actor("probability").unwrap();
        for (a, r) in round.per_actor("risk_attitude").unwrap().iter().enumerate() {
            let theirs = reference.risk[t][a];
            assert!(
                (r - theirs).abs() <= 0.0005 + 1e-12,
                "{csv}: turn {t}, actor {a}: risk {r} where KTAB prints {theirs:+.3}"
            );
            misprinted += usize::from(format!("{r:+.3}") != format!("{theirs:+.3}"));
        }
        for (a, &ours_p) in probability.iter().enumerate() {
            for k in 0..d {
                let (ours, theirs) = (round.position(a)[k], reference.positions[t][a][k]);
                assert!(
                    (ours - theirs).abs() <= 0.05 + 1e-9,
                    "{csv}: turn {t}, actor {a}, dimension {k}: {ours} where KTAB prints {theirs:.1}"
                );
                misprinted += usize::from(format!("{ours:.1}") != format!("{theirs:.1}"));
            }
            let (ours, theirs) = (ours_p, reference.probability[t][a]);
            assert!(
                (ours - theirs).abs() <= 0.00005 + 1e-12,
                "{csv}: turn {t}, actor {a}: probability {ours} where KTAB prints {theirs:.4}"
            );
            misprinted += usize::from(format!("{ours:.4}") != format!("{theirs:.4}"));
        }
    }
    assert_eq!(run.rounds.len(), reference.states, "{csv}: turns played");
    assert_eq!(run.termination, Termination::Converged);
    println!(
        "{csv}: {} turns, every position, probability and risk attitude within half a printed unit; {misprinted} printed differently",
        run.last().round
    );
    Some(run)
}

#[test]
fn reproduces_ktab_dummy_data_3dim() {
    let Some(run) = reproduce("dummyData_3Dim.csv", "20170530_ref-dummyData_3Dim.txt") else { return };
    assert_eq!(run.last().round, 10);
    // ../shared/data/README.md: the final positions.
    let expected = [
        [78.6, 31.8, 74.1],
        [78.6, 31.8, 74.1],
        [82.5, 90.9, 0.1],
        [67.1, 50.1, 63.7],
        [78.6, 31.6, 74.1],
        [79.9, 34.4, 75.2],
        [78.6, 31.6, 74.1],
    ];
    for (a, row) in expected.iter().enumerate() {
        let ours: Vec<String> = run.last().position(a).iter().map(|x| format!("{x:.1}")).collect();
        let theirs: Vec<String> = row.iter().map(|x| format!("{x:.1}")).collect();
        assert_eq!(ours, theirs, "actor {a}");
    }
}

#[test]
fn reproduces_ktab_soe_pol_comp() {
    let Some(run) = reproduce("SOE-Pol-Comp.csv", "20170530_ref-SOE-Pol-Comp.txt") else { return };
    assert_eq!(run.last().round, 27);
}

/// The forecast is the likeliest position, the probabilities of the
/// distinct positions add up to 1, and the same input gives the same run.
#[test]
fn forecast_probabilities_and_determinism() {
    let Some(dir) = ktab_dir() else { return };
    let input = input(&dir.join("dummyData_3Dim.csv"));
    let model = KtabSmp::new(KtabConfig::default());
    let config = RunConfig::for_model(&model);
    let first = run(&model, &input, &config).unwrap();
    let again = run(&model, &input, &config).unwrap();
    assert_eq!(first, again);
    for round in &first.rounds {
        let p = round.per_actor("probability").unwrap();
        let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a))).unwrap();
        assert_eq!(round.forecast, round.position(best), "round {}", round.round);
        // Distinct positions (KTAB: within 0.1 on 0–100) share a probability.
        let mut seen: Vec<&[f64]> = Vec::new();
        let mut total = 0.0;
        for (a, pa) in p.iter().enumerate() {
            let x = round.position(a);
            let same = |y: &[f64]| x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt() < 0.1;
            if !seen.iter().any(|y| same(y)) {
                seen.push(x);
                total += pa;
            }
        }
        assert!((total - 1.0).abs() < 1e-9, "round {}: {total}", round.round);
    }
}

/// One-dimensional inputs work: every KTAB one-dimensional table converges
/// inside the range of the stated positions.
#[test]
fn one_dimensional_tables() {
    let Some(dir) = ktab_dir() else { return };
    for csv in ["dummyData-a040.csv", "SOE-Policy.csv", "SOE-Competitive.csv"] {
        let input = input(&dir.join(csv));
        assert_eq!(input.dimensions().len(), 1);
        let model = KtabSmp::default();
        let run = run(&model, &input, &RunConfig::for_model(&model)).unwrap();
        let lo = input.actors().iter().map(|a| a.position[0]).fold(f64::INFINITY, f64::min);
        let hi = input.actors().iter().map(|a| a.position[0]).fold(f64::NEG_INFINITY, f64::max);
        for r in &run.rounds {
            assert!(r.positions.iter().all(|x| *x >= lo - 0.005 && *x <= hi + 0.005), "{csv}");
        }
        println!("{csv}: {} turns, forecast {:.2}", run.last().round, run.forecast()[0]);
    }
}
