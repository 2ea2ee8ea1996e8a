//! `detente forecast` and `detente backtest`: load, run the forecast models,
//! render through `detente-report`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use detente::budget::Budget;
use detente::forecast::backtest::backtest_deu;
use detente::forecast::issues::{forecast_scenario_with, Config, MonteCarloSettings};
use detente::forecast::montecarlo::default_perturbations;
use detente::forecast::registry::{self, ModelInfo, MODELS};
use detente::format::deu::load_deu_dir;
use detente::{Loaded, Scenario};

use crate::args::{BacktestCommand, ForecastArgs};
use crate::{diagnostics, output};

pub fn forecast(args: &ForecastArgs) -> anyhow::Result<ExitCode> {
    let loaded = output::load_case(&args.input, args.case.as_deref())?;
    let Some(scenario) = &loaded.scenario else {
        eprint!("{}", diagnostics::render_human(&loaded, std::io::stderr().is_terminal()));
        return Ok(ExitCode::from(1));
    };
    diagnostics::print_load_warnings(&loaded, &args.input);
    let actors: Vec<&str> = scenario.actors.iter().map(|a| a.id.as_str()).collect();
    for p in &args.perturb {
        if let Err(e) = p.check_actor(&actors) {
            eprintln!("error: --perturb {p}: {e}");
            return Ok(ExitCode::from(2));
        }
    }
    let monte_carlo = args.monte_carlo.map(|runs| MonteCarloSettings {
        runs,
        seed: args.seed,
        perturbations: if args.perturb.is_empty() { default_perturbations() } else { args.perturb.clone() },
    });
    let models = selected(&args.models);
    if monte_carlo.is_some() {
        for m in models.iter().filter(|m| m.multi_issue) {
            eprintln!("note: {} forecasts every issue at once and has no Monte Carlo study", m.name);
        }
    }
    // Counts the perturbed runs and the tornado's, which grow with the cast.
    let bar = monte_carlo.as_ref().and_then(|_| output::progress_bar("model runs"));
    let config = Config { models, max_rounds: args.rounds, monte_carlo };
    let budget = Budget {
        max_outcomes: args.max_outcomes as u128,
        max_perturbed: args.max_perturbed as u128,
        cancel: crate::interrupt::flag(),
    };
    let progress = |done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let forecasts = forecast_scenario_with(scenario, loaded.table_power.as_deref(), &config, &progress, &budget)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(path) = &args.plot {
        write_plots(scenario, &forecasts.issues, &config.models, path)?;
    }
    if args.json {
        let doc = detente_report::forecast::forecast_to_json(scenario, &forecasts, config.monte_carlo.as_ref());
        output::print(&serde_json::to_string_pretty(&doc)?)?;
    } else {
        output::print(&detente_report::forecast::forecast_to_text(scenario, &forecasts, args.trace))?;
    }
    let none = forecasts.issues.iter().all(|f| f.input.is_none())
        && forecasts.spatial.as_ref().is_none_or(|f| f.input.is_none());
    Ok(if none { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The figures of `forecast --plot`, in the order written: per model its
/// trajectories, then (with Monte Carlo) its distribution and tornado. One
/// model: `FILE`, `STEM-distribution.EXT`, `STEM-tornado.EXT`; several:
/// `STEM-MODEL.EXT`, `STEM-MODEL-distribution.EXT`, … A model with nothing
/// to draw (it forecast no issue) is skipped with a note on standard error.
fn write_plots(
    scenario: &Scenario,
    forecasts: &[detente::forecast::issues::IssueForecast],
    models: &[&'static ModelInfo],
    path: &Path,
) -> anyhow::Result<()> {
    use detente_report::plot::{self, PlotError};
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "forecast".into());
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_else(|| "svg".into());
    let name = |parts: &[&str]| path.with_file_name(format!("{}.{ext}", parts.join("-")));
    let mut figures = Vec::new();
    for info in models {
        let base = if models.len() == 1 { stem.clone() } else { format!("{stem}-{}", info.name) };
        let file = if models.len() == 1 { path.to_path_buf() } else { name(&[&base]) };
        match plot::trajectories(scenario, forecasts, info.name) {
            Ok(figure) => figures.push((file, figure)),
            Err(PlotError::Nothing(why)) => {
                eprintln!("note: no plot for {}: {why}", info.name);
                continue;
            }
            Err(e) => return Err(e.into()),
        }
        for (suffix, draw) in [
            ("distribution", plot::distribution as fn(&Scenario, &[_], &str) -> Result<_, PlotError>),
            ("tornado", plot::tornado),
        ] {
            match draw(scenario, forecasts, info.name) {
                Ok(figure) => figures.push((name(&[&base, suffix]), figure)),
                Err(PlotError::Nothing(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    if figures.is_empty() {
        anyhow::bail!("nothing to plot: no model forecast any issue");
    }
    for (file, figure) in &figures {
        crate::report::write_figure(file, figure)?;
    }
    Ok(())
}

pub fn backtest(command: &BacktestCommand) -> anyhow::Result<ExitCode> {
    match command {
        BacktestCommand::Deu(args) => {
            // DEU cases have one issue each: multi-issue models cannot run on
            // them, so `all` leaves them out and naming one is an error.
            let (multi, models): (Vec<&ModelInfo>, Vec<&ModelInfo>) =
                selected(&args.models).into_iter().partition(|m| m.multi_issue);
            if let Some(m) = multi.first().filter(|_| !args.models.iter().any(|n| n == "all")) {
                eprintln!(
                    "error: {} forecasts every issue of a scenario at once, and DEU cases have one issue each; \
                     it cannot be backtested on them",
                    m.name
                );
                return Ok(ExitCode::from(2));
            }
            let loaded = load_deu_dir(&args.dir)?;
            let Some(collection) = &loaded.collection else {
                let mut sources = loaded.sources.clone();
                let source = sources.remove(0);
                let as_loaded = Loaded::multi(source, sources, None, loaded.diagnostics.clone());
                eprint!("{}", diagnostics::render_human(&as_loaded, std::io::stderr().is_terminal()));
                return Ok(ExitCode::from(1));
            };
            let result = backtest_deu(collection, &models);
            if args.json {
                let doc = detente_report::forecast::backtest_to_json(&result);
                output::print(&serde_json::to_string_pretty(&doc)?)?;
            } else {
                output::print(&detente_report::forecast::backtest_to_text(&result))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The registered models named on the command line (`all`: every model),
/// in the order given, each once.
fn selected(names: &[String]) -> Vec<&'static ModelInfo> {
    if names.iter().any(|n| n == "all") {
        return MODELS.iter().collect();
    }
    let mut out: Vec<&'static ModelInfo> = Vec::new();
    for name in names {
        if let Some(info) = registry::model(name) {
            if !out.iter().any(|m| m.name == info.name) {
                out.push(info);
            }
        }
    }
    out
}
