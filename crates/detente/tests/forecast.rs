//! Forecast models on the reference data: the expected-utility model's
//! published trajectories (Bueno de Mesquita's emission-standards example),
//! the DEU III backtest with its reference baselines, and every model on
//! every bundled scenario and reference table without a panic.

use std::path::PathBuf;

use detente::forecast::backtest::{backtest_deu, PERIODS};
use detente::forecast::eum::Eum;
use detente::forecast::input::ForecastInput;
use detente::forecast::registry::{self, MODELS};
use detente::forecast::runner::{run, RunConfig, Termination};
use detente::forecast::MoveKind;
use detente::format::deu::load_deu_dir;
use detente::format::tables::load_table_file;

/// `../shared/data`, or `None` (with the reason printed) outside CI when it
/// is missing; in CI a missing data folder fails the test.
fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.join("bdm").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("reference data missing: {} (required in CI)", dir.display());
    }
    eprintln!("skipping: reference data not found at {}", dir.display());
    None
}

fn emission_standards() -> Option<ForecastInput> {
    let dir = data_dir()?;
    let loaded = load_table_file(&dir.join("bdm/emission_standards_bdm1994.csv"), None).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let table = loaded.table.unwrap();
    let built = ForecastInput::table_issue(&table, 0);
    assert!(built.diagnostics.is_empty(), "{:?}", built.diagnostics);
    Some(built.input.unwrap())
}

fn four(xs: &[f64]) -> Vec<String> {
    xs.iter().map(|x| format!("{x:.4}")).collect()
}

/// `../shared/data/README.md`, bdm/: the "Scholz code" replication.
#[test]
fn eum_replication_golden_values() {
    let Some(input) = emission_standards() else { return };
    let names: Vec<&str> = input.actors().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(names[0], "Netherlands");
    let model = Eum::replication();
    let run = run(&model, &input, &RunConfig::for_model(&model)).unwrap();
    assert_eq!((run.termination, run.rounds.len()), (Termination::MaxRounds, 11));
    let means: Vec<f64> = run.rounds.iter().map(|r| r.metric("mean").unwrap()).collect();
    let risk = run.rounds[1].per_actor("risk").unwrap();
    println!("eum-replication, emission standards:");
    println!("  round 0: weighted median {}, mean {:.6}", run.rounds[0].metric("median").unwrap(), means[0]);
    println!("  round-1 risk exponents: {}", four(risk).join(" "));
    for m in run.rounds[1].moves() {
        println!(
            "  round 1: {} {} {} -> {:.6}",
            names[m.actor],
            m.kind.as_str(),
            names[m.counterpart.unwrap()],
            m.to[0]
        );
    }
    println!("  means, rounds 0-10: {}", four(&means).join(" "));
    let medians: Vec<f64> = run.rounds.iter().map(|r| r.metric("median").unwrap()).collect();
    println!("  medians, rounds 0-10: {}", four(&medians).join(" "));
    assert_eq!(run.rounds[0].metric("median"), Some(7.0));
    assert_eq!(format!("{:.6}", means[0]), "7.389956");
    assert_eq!(
        four(risk),
        ["1.4057", "0.7542", "0.5089", "1.4057", "1.0465", "1.0465", "1.9649", "0.5000", "2.0000", "1.1121"]
    );
    let moves: Vec<(&str, MoveKind, &str, String)> = run.rounds[1]
        .moves()
        .iter()
        .map(|m| (names[m.actor], m.kind, names[m.counterpart.unwrap()], format!("{:.6}", m.to[0])))
        .collect();
    assert_eq!(
        moves,
        [
            ("Belgium", MoveKind::Compromise, "France", "8.415932".to_string()),
            ("Luxembourg", MoveKind::Confrontation, "Belgium", "7.000000".to_string()),
            ("Ireland", MoveKind::Confrontation, "Luxembourg", "4.000000".to_string()),
        ]
    );
    assert_eq!(
        four(&means),
        ["7.3900", "7.4613", "7.5525", "7.5901", "7.3581", "7.3492", "7.4149", "7.5105", "7.5724", "7.3250", "7.2421"]
    );
}

/// `../shared/data/README.md`, bdm/: the paper's form of P.
#[test]
fn eum_paper_golden_values() {
    let Some(input) = emission_standards() else { return };
    let model = Eum::paper();
    let run = run(&model, &input, &RunConfig::for_model(&model)).unwrap();
    let risk = run.rounds[1].per_actor("risk").unwrap();
    let means: Vec<f64> = run.rounds.iter().map(|r| r.metric("mean").unwrap()).collect();
    let medians: Vec<f64> = run.rounds.iter().map(|r| r.metric("median").unwrap()).collect();
    println!("eum-paper, emission standards ({}):", run.termination.as_str());
    println!("  round-1 risk exponents: {}", four(risk).join(" "));
    println!("  medians: {}", four(&medians).join(" "));
    println!("  means: {}", four(&means).join(" "));
    assert_eq!(
        four(risk),
        ["1.1272", "0.7809", "0.5000", "1.1272", "1.0779", "1.0779", "2.0000", "0.5248", "1.4717", "1.1405"]
    );
}

#[test]
fn deu_backtest() {
    let Some(dir) = data_dir() else { return };
    let loaded = load_deu_dir(&dir.join("deu")).unwrap();
    let collection = loaded.collection.expect("DEU loads");
    // DEU cases have one issue each: multi-issue models do not apply.
    let models: Vec<_> = MODELS.iter().filter(|m| !m.multi_issue).collect();
    let start = std::time::Instant::now();
    let bt = backtest_deu(&collection, &models);
    let took = start.elapsed();
    let b = &bt.baselines;
    println!("DEU III backtest on {} issues ({took:.2?}):", bt.issues.len());
    println!(
        "  baselines: salience mean {:.2}, capability x salience mean {:.2}, median actor {:.2}",
        b.salience_mean_mae, b.capability_mean_mae, b.median_mae
    );
    for m in &bt.models {
        let periods: Vec<String> = m.periods.iter().map(|s| format!("{:.2} ({})", s.mae, s.issues)).collect();
        println!(
            "  {:16} {:.2} on {} issues (reference {:.2}); by period {}",
            m.model,
            m.overall.mae,
            m.overall.issues,
            m.reference_on_same_issues.mae,
            periods.join(", ")
        );
    }
    assert_eq!(bt.issues.len(), 351);
    let two = |x: f64| format!("{x:.2}");
    assert_eq!(
        (two(b.salience_mean_mae), two(b.capability_mean_mae), two(b.median_mae)),
        ("23.64".to_string(), "22.99".to_string(), "28.37".to_string())
    );
    assert_eq!(bt.baseline_periods.len(), PERIODS.len());
    let per_period: usize = bt.baseline_periods.iter().map(|p| p[0].issues).sum();
    assert_eq!(per_period, 351);
    // The compromise model is the capability × salience weighted mean.
    let compromise = bt.models.iter().find(|m| m.model == "compromise").unwrap();
    assert_eq!(compromise.overall.issues, 351);
    assert!((compromise.overall.mae - b.capability_mean_mae).abs() < 1e-9);
    // Only the Nash model needs what DEU lacks (a reference point).
    for m in &bt.models {
        let expected = if m.model == "nash" { 252 } else { 351 };
        assert_eq!(m.overall.issues, expected, "{}", m.model);
        assert!(m.overall.mae.is_finite() && m.overall.mae > 0.0, "{}", m.model);
    }
    // The same result on one thread.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let again = pool.install(|| backtest_deu(&collection, &models));
    assert_eq!(again, bt);
}

/// Every model on every issue of the bundled scenarios and the reference
/// tables: a forecast or a model error, never a panic, and forecasts stay
/// inside the actors' positions.
#[test]
fn every_model_on_every_input() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs = Vec::new();
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let scenario = detente::load_path(&path).unwrap().scenario.unwrap();
        for issue in 0..scenario.issues.len() {
            inputs.extend(ForecastInput::issue(&scenario, issue).input);
        }
    }
    if let Some(dir) = data_dir() {
        for file in
            ["bdm/sultan.csv", "bdm/china.csv", "bdm/honduras.csv", "stakeholders/cop21.csv", "ktab/dummyData-a040.csv"]
        {
            let table = load_table_file(&dir.join(file), None).unwrap().table.unwrap();
            for issue in 0..table.scenario.issues.len() {
                inputs.extend(ForecastInput::table_issue(&table, issue).input);
            }
        }
    }
    assert!(inputs.len() > 20);
    for input in &inputs {
        let lo = input.actors().iter().map(|a| a.position[0]).fold(f64::INFINITY, f64::min);
        let hi = input.actors().iter().map(|a| a.position[0]).fold(f64::NEG_INFINITY, f64::max);
        for info in MODELS {
            let model = info.build();
            let Ok(run) = run(model.as_ref(), input, &RunConfig::for_model(model.as_ref())) else { continue };
            let x = run.forecast()[0];
            assert!(x >= lo - 1e-9 && x <= hi + 1e-9, "{} on {}: {x} outside [{lo}, {hi}]", info.name, input.name());
            let n = input.actors().len();
            assert!(run.rounds.iter().all(|r| r.actor_count() == n));
        }
    }
    assert!(registry::model("eum-replication").is_some());
}

/// A Monte Carlo forecast made in shards of runs (as a Dask run deals
/// them) and finished from their forecasts is the single run's: the same
/// forecasts, summaries and tornados, issue by issue and all at once.
#[test]
fn monte_carlo_shards_finish_as_one_forecast() {
    use detente::budget::Budget;
    use detente::forecast::issues::{
        forecast_scenario_part, study_forecasts, Config, ForecastError, MonteCarloSettings, StudyPart,
    };
    use detente::forecast::montecarlo::default_perturbations;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/kuril-2019.toml");
    let scenario = detente::load_path(&path).unwrap().scenario.unwrap();
    let models = ["compromise", "eum-replication", "ktab-smp"].iter().map(|m| registry::model(m).unwrap()).collect();
    let settings = MonteCarloSettings { runs: 40, seed: 9, perturbations: default_perturbations() };
    let config = Config { models, max_rounds: None, monte_carlo: Some(settings) };
    let budget = Budget::new(2_000_000);
    let at = |part: &StudyPart| forecast_scenario_part(&scenario, None, &config, &|_, _| {}, &budget, part);
    let whole = at(&StudyPart::Whole).unwrap();
    let cuts = [0, 13, 13, 40];
    let shards: Vec<_> = cuts.windows(2).map(|w| study_forecasts(&at(&StudyPart::Runs(w[0]..w[1])).unwrap())).collect();
    let joined: Vec<Option<Vec<f64>>> =
        (0..shards[0].len()).map(|k| Some(shards.iter().flat_map(|s| s[k].clone().unwrap()).collect())).collect();
    assert_eq!(joined, study_forecasts(&whole));
    let finished = at(&StudyPart::Given(joined.clone())).unwrap();
    let studies = |f: &detente::forecast::issues::ScenarioForecast| {
        f.issues
            .iter()
            .flat_map(|i| i.runs.iter())
            .chain(f.spatial.iter().flat_map(|s| s.runs.iter()))
            .map(|r| r.monte_carlo.clone())
            .collect::<Vec<_>>()
    };
    assert!(studies(&whole).iter().filter(|m| m.is_some()).count() >= 10);
    assert_eq!(studies(&finished), studies(&whole));
    // One study too few is refused with the reason.
    let short = at(&StudyPart::Given(joined[1..].to_vec())).unwrap_err();
    assert!(matches!(short, ForecastError::Given { .. }), "{short}");
}
