//! `detente robustness`: load, add the `--vary` judgements, run the study
//! with a progress bar on a terminal, render.

use std::io::IsTerminal;
use std::process::ExitCode;

use detente::analysis::{Config as AnalysisConfig, Resolution};
use detente::robustness::{judgements, study, Config, PrimConfig};
use detente::whatif;

use crate::args::RobustnessArgs;
use crate::{diagnostics, output};

pub fn robustness(args: &RobustnessArgs) -> anyhow::Result<ExitCode> {
    let loaded = output::load(&args.file)?;
    let Some(scenario) = &loaded.scenario else {
        eprint!("{}", diagnostics::render_human(&loaded, std::io::stderr().is_terminal()));
        return Ok(ExitCode::from(1));
    };
    let mut extra = Vec::new();
    for arg in &args.vary {
        extra.push(whatif::parse_vary(scenario, arg).map_err(|e| anyhow::anyhow!("--vary {arg}: {e}"))?);
    }
    let judgements = judgements(scenario, &extra);
    let mut analysis = AnalysisConfig::new();
    analysis.resolution = Resolution { points: args.resolution as usize };
    analysis.max_outcomes = args.max_outcomes as u128;
    analysis.cancel = crate::interrupt::flag();
    let config = Config { samples: args.samples as usize, seed: args.seed, analysis, prim: PrimConfig::ema() };

    let bar = output::progress_bar("verdicts");
    let result = study(scenario, &judgements, &config, &|done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let result = result?;
    if let Some(path) = &args.dump_samples {
        crate::report::write_atomically(path, detente_report::robustness::samples_csv(&result).as_bytes())?;
    }
    if let Some(path) = &args.plot {
        let figure = detente_report::plot::robustness::robustness(&result)?;
        crate::report::write_figure(path, &figure)?;
    }
    if args.json {
        output::print(&serde_json::to_string_pretty(&detente_report::robustness::to_json(scenario, &result))?)?;
    } else {
        output::print(&detente_report::robustness::to_text(scenario, &result))?;
    }
    Ok(ExitCode::SUCCESS)
}
