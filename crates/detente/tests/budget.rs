//! The budget model (`detente::budget`): a cancellation flag set before or
//! during a run ends every long computation promptly with its `Cancelled`
//! error, never a panic or a result that looks complete; sizes are checked
//! before anything is allocated.

use std::time::{Duration, Instant};

use detente::analysis::{self, AnalysisError};
use detente::budget::{Budget, Cancel};
use detente::forecast::issues::{forecast_scenario_with, Config as ForecastConfig, MonteCarloSettings};
use detente::forecast::montecarlo::default_perturbations;
use detente::forecast::registry::MODELS;
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig};
use detente::negotiation::tournament::{Entry, Tournament};
use detente::negotiation::{registry, run_with, Deadline, NegotiationError};
use detente::{load_str, Scenario, TextFormat};

/// Two opposed parties on one integer issue of `max + 1` values, with a
/// status quo, an uncertain reservation and a red line.
fn scenario(max: u64) -> Scenario {
    let text = format!(
        "format = 1\nname = \"b\"\n[[issues]]\nid = \"n\"\nkind = \"integer\"\nmin = 0\nmax = {max}\n\
         [[actors]]\nid = \"a\"\nreservation = 0.3\nstances.n = {{ position = {max}, salience = 1 }}\n\
         [[actors]]\nid = \"b\"\nreservation = 0.3\nstances.n = {{ position = 0, salience = 1 }}\n\
         [status_quo]\nn = 0\n\
         [[constraints]]\nowner = \"b\"\nlabel = \"cap\"\nrule = \"n <= 1\"\n\
         [[uncertain]]\nparam = \"a.reservation\"\nrange = [0.1, 0.5]\n"
    );
    load_str("b.toml", &text, TextFormat::Toml).scenario.expect("valid")
}

fn cancelled() -> Cancel {
    let cancel = Cancel::new();
    cancel.cancel();
    cancel
}

#[test]
fn analysis_stops_when_cancelled_before_or_during() {
    let s = scenario(300_000);
    let mut config = analysis::Config::new();
    config.method = analysis::Method::Enumerate;
    config.cancel = cancelled();
    assert_eq!(analysis::analyze(&s, &config), Err(AnalysisError::Cancelled));
    // Cancelled from the progress callback after the first of ten chunks:
    // the rest are skipped and the run is an error, not a smaller result.
    config.cancel = Cancel::new();
    let flag = config.cancel.clone();
    let result = analysis::analyze_with_progress(&s, &config, &|_, _| flag.cancel());
    assert_eq!(result, Err(AnalysisError::Cancelled));
    // The verdicts of a robustness study check it per sample.
    let study = detente::robustness::quick(&s, &config).expect("uncertain judgements");
    assert!(matches!(study, Err(detente::robustness::RobustnessError::Analysis(AnalysisError::Cancelled))));
}

#[test]
fn forecasts_stop_when_cancelled() {
    let s = scenario(10);
    let config = ForecastConfig {
        models: MODELS.iter().collect(),
        max_rounds: None,
        monte_carlo: Some(MonteCarloSettings { runs: 10_000, seed: 1, perturbations: default_perturbations() }),
    };
    let budget = Budget { max_outcomes: 1_000, cancel: cancelled(), ..Budget::new(1_000) };
    assert!(forecast_scenario_with(&s, None, &config, &|_, _| {}, &budget).is_err());
    // Cancelled while the Monte Carlo runs go (progress comes every 64 runs).
    let budget = Budget::new(1_000);
    let flag = budget.cancel.clone();
    let start = Instant::now();
    assert!(forecast_scenario_with(&s, None, &config, &|_, _| flag.cancel(), &budget).is_err());
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
}

#[test]
fn constrained_forecasts_keep_within_the_budget() {
    // 10¹¹ values: the nearest allowed outcome is not searched, and nothing
    // the size of the space is allocated (this aborted before).
    let s = scenario(100_000_000_000);
    let config = ForecastConfig { models: vec![&MODELS[0]], max_rounds: None, monte_carlo: None };
    let forecast = forecast_scenario_with(&s, None, &config, &|_, _| {}, &Budget::new(2_000_000)).expect("runs");
    let constrained = forecast.outcomes.iter().filter_map(|o| o.constrained.as_ref()).collect::<Vec<_>>();
    assert!(!constrained.is_empty(), "{:?}", forecast.outcomes);
    for c in constrained {
        let why = c.as_ref().expect_err("over the budget");
        assert!(why.contains("more than the 2000000 searched"), "{why}");
    }
}

#[test]
fn negotiations_stop_when_cancelled() {
    let s = scenario(200_000);
    let config = DomainConfig { max_outcomes: 1_000_000, ..DomainConfig::default() };
    let stopped = Domain::new_with(&s, &config, &cancelled(), &|_, _| {});
    assert!(matches!(stopped, Err(NegotiationError::Cancelled)));
    let flag = Cancel::new();
    let stopped = Domain::new_with(&s, &config, &flag, &|done, _| {
        if done > 0 {
            flag.cancel()
        }
    });
    assert!(matches!(stopped, Err(NegotiationError::Cancelled)));
    // Over the limit: refused by size, before tabulating.
    let small = DomainConfig { max_outcomes: 1_000, ..DomainConfig::default() };
    assert!(matches!(Domain::new(&s, &small), Err(NegotiationError::TooLarge { .. })));

    // Without the red line, so neither hardliner walks away.
    let text = "format = 1\nname = \"h\"\n[[issues]]\nid = \"n\"\nkind = \"integer\"\nmin = 0\nmax = 10\n\
                [[actors]]\nid = \"a\"\nreservation = 0.3\nstances.n = { position = 10, salience = 1 }\n\
                [[actors]]\nid = \"b\"\nreservation = 0.3\nstances.n = { position = 0, salience = 1 }\n";
    let s = load_str("h.toml", text, TextFormat::Toml).scenario.expect("valid");
    let domain = Domain::new(&s, &DomainConfig::default()).expect("domain");
    let parties = domain.parties().to_vec();
    let hard = vec![registry::parse("hardliner").unwrap(); 2];
    // A deadline of a billion rounds between two hardliners never ends by
    // itself; the flag, set from another thread, ends it within a round.
    let protocol = AlternatingOffers { deadline: Deadline::rounds(1_000_000_000) };
    let flag = Cancel::new();
    let start = Instant::now();
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(50));
            flag.cancel();
        });
        run_with(&protocol, &domain, &parties, &hard, 1, false, &flag)
    });
    assert!(matches!(result, Err(NegotiationError::Cancelled)), "{result:?}");
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());

    let tournament = Tournament {
        entries: vec![Entry::new("b", domain)],
        strategies: registry::parse_list("boulware,linear").unwrap().into_iter().map(Into::into).collect(),
        reps: 2,
        seed: 1,
    };
    let jobs = tournament.jobs();
    let result = tournament.run_with(&protocol, &jobs, &|_| panic!("no job may finish"), &cancelled());
    assert!(matches!(result, Err(NegotiationError::Cancelled)), "{result:?}");
}
