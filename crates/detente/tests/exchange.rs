//! The exchange model against the golden values of `../shared/data/README.md`
//! ("stakeholders/"): round-0 and round-1 outcomes of the unmodified
//! `decide-exchange-model` with deterministic ties, on its sample table and
//! the Copenhagen table. Needs no Python.

use std::path::PathBuf;

use detente::forecast::exchange::Exchange;
use detente::forecast::input::ForecastInput;
use detente::forecast::runner::{run, Run, RunConfig, Termination};
use detente::forecast::{ForecastModel, ModelError, MoveKind};
use detente::format::tables::load_table_file;

/// `../shared/data/stakeholders/NAME`, or `None` (with the reason printed)
/// outside CI when it is missing; in CI a missing file fails the test.
fn table(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/stakeholders").join(name);
    if path.is_file() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "reference data missing: {} (required in CI)", path.display());
    eprintln!("skipping: reference data not found at {}", path.display());
    None
}

/// The table as one multi-issue input, and one run of `rounds` rounds.
fn exchange_run(name: &str, rounds: usize) -> Option<(ForecastInput, Run)> {
    let loaded = load_table_file(&table(name)?, None).unwrap();
    let table = loaded.table.unwrap_or_else(|| panic!("{name}: {:?}", loaded.diagnostics));
    let issues: Vec<usize> = (0..table.scenario.issues.len()).collect();
    let built = ForecastInput::from_scenario_sparse(&table.scenario, &issues, Some(&table.power));
    assert!(built.diagnostics.is_empty(), "{name}: {:?}", built.diagnostics);
    let input = built.input.unwrap();
    let config = RunConfig::for_model(&Exchange).with_max_rounds(rounds);
    let run = run(&Exchange, &input, &config).unwrap();
    Some((input, run))
}

fn three(xs: &[f64]) -> Vec<String> {
    xs.iter().map(|x| format!("{x:.3}")).collect()
}

#[test]
fn sample_table_golden_rounds() {
    let Some((input, run)) = exchange_run("decide_sample_data.txt", 1) else { return };
    assert_eq!((input.actors().len(), input.dimensions().len()), (10, 6));
    assert_eq!(three(&run.rounds[0].forecast), ["49.353", "2.271", "50.579", "52.486", "49.488", "56.601"]);
    assert_eq!(three(&run.rounds[1].forecast), ["67.178", "3.659", "50.683", "16.235", "75.146", "46.773"]);
    assert_eq!(run.rounds[1].metric("exchanges"), Some(39.0));
}

#[test]
fn copenhagen_golden_rounds() {
    let Some((input, run)) = exchange_run("copenhagen.csv", 1) else { return };
    // Russia has no data on two of the seven issues and still takes part.
    assert_eq!((input.actors().len(), input.dimensions().len()), (11, 7));
    assert_eq!(three(&run.rounds[0].forecast), ["61.576", "58.145", "30.707", "52.236", "51.950", "57.621", "64.621"]);
    assert_eq!(three(&run.rounds[1].forecast), ["54.262", "67.016", "36.919", "47.428", "19.063", "68.541", "95.478"]);
}

/// What a round holds: voting positions whose weighted mean is the
/// forecast, preferences between the start and the voting positions, and
/// one move per shifted actor and issue; ten rounds by default.
#[test]
fn rounds_are_consistent() {
    let Some((input, run)) = exchange_run("copenhagen.csv", 10) else { return };
    assert_eq!((run.rounds.len(), run.termination), (11, Termination::MaxRounds));
    let m = input.dimensions().len();
    for pair in run.rounds.windows(2) {
        let (before, round) = (&pair[0], &pair[1]);
        let start = before.positions_metric("preferences").unwrap();
        let next = round.positions_metric("preferences").unwrap();
        for d in 0..m {
            let w = input.weights(d);
            let mean = (0..w.len()).map(|a| w[a] * round.positions[a * m + d]).sum::<f64>() / w.iter().sum::<f64>();
            assert!((mean - round.forecast[d]).abs() < 1e-9);
        }
        for k in 0..start.len() {
            let (x, y, p) = (start[k], round.positions[k], next[k]);
            assert!(
                (p - x) * (y - x) >= 0.0 && (p - x).abs() <= (y - x).abs() + 1e-12,
                "preference {p} from {x} toward {y}"
            );
        }
        let moves = round.moves();
        assert_eq!(moves.len() as f64, 2.0 * round.metric("exchanges").unwrap());
        assert!(moves.iter().all(|mv| mv.kind == MoveKind::Exchange && mv.counterpart.is_some_and(|c| c != mv.actor)));
        // Each move changes one issue.
        assert!(moves.iter().all(|mv| mv.from.iter().zip(&mv.to).filter(|(a, b)| a != b).count() == 1));
    }
    // Russia has no data on `Commitments`: weight 0 there, and it never moves on it.
    let russia = input.actors().iter().position(|a| a.id == "Russia").unwrap();
    let commitments = input.dimensions().iter().position(|d| d.id == "Commitments").unwrap();
    assert_eq!(input.actors()[russia].salience[commitments], 0.0);
    assert!(run.rounds.iter().all(|r| r.position(russia)[commitments] == run.rounds[0].position(russia)[commitments]));
}

#[test]
fn one_issue_is_an_error_and_runs_are_deterministic() {
    let input =
        ForecastInput::one_issue("i", 0.0, 100.0, None, [("a", 1.0, 10.0, 0.5), ("b", 1.0, 90.0, 0.5)]).unwrap();
    assert_eq!(Exchange.init(&input), Err(ModelError::NeedsSeveralIssues { model: "exchange", dimensions: 1 }));
    let Some((_, first)) = exchange_run("decide_sample_data.txt", 10) else { return };
    let Some((_, again)) = exchange_run("decide_sample_data.txt", 10) else { return };
    assert_eq!(first, again);
}
