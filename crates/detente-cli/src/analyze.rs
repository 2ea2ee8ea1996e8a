//! `detente analyze`: load, apply what-if edits, analyse, render.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use detente::analysis::{analyze_with_progress, Config, Method, Resolution};
use detente::whatif;
use detente::Scenario;

use crate::args::{AnalysisOptions, AnalyzeArgs, MethodArg};
use crate::{diagnostics, output};

pub fn analyze(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let Prepared { scenario, mut config, .. } = match prepare(&args.file, &args.options)? {
        Ok(prepared) => prepared,
        Err(code) => return Ok(code),
    };
    config.top = args.top;
    if args.plot.is_some() {
        config.density = Some(detente_report::plot::plane::density_config(scenario.parties().len()));
    }

    let analysis = with_progress(&scenario, &config)?;
    // Declared plans, and the sequencing search when asked for; before the
    // plot is written, so an interrupted search leaves no file behind.
    let staging = if !scenario.plans.is_empty() || args.sequences {
        Some(detente::analysis::stages::stage(&scenario, &config, args.sequences.then_some(args.max_phases as usize))?)
    } else {
        None
    };
    let timeline = if args.timeline { Some(detente::analysis::timeline::timeline(&scenario, &config)?) } else { None };
    // Type profiles and pressures, when the file declares them.
    let sections = detente_report::types::Sections::run(&scenario, &config)?;
    // How firmly the verdict holds, when the file marks judgements uncertain
    // (text only); a cancelled study is an error here, not a missing line.
    let firmness = if args.json { None } else { detente::robustness::quick(&scenario, &config) };
    crate::interrupt::check(&config.cancel)?;
    if let Some(path) = &args.plot {
        let figure = detente_report::plot::utility_plane(&scenario, &analysis)?;
        crate::report::write_figure(path, &figure)?;
    }
    if args.json {
        let mut doc = detente_report::analysis::to_json(&scenario, &analysis);
        if let Some(staging) = &staging {
            detente_report::stages::add_to_json(&mut doc, &scenario, staging);
        }
        if let Some(periods) = &timeline {
            detente_report::timeline::add_to_json(&mut doc, &scenario, periods);
        }
        sections.add_to_json(&mut doc, &scenario);
        output::print(&serde_json::to_string_pretty(&doc)?)?;
    } else {
        let options = detente_report::analysis::TextOptions { all: args.all, explain: args.explain };
        let (mut text, mut terms) =
            detente_report::analysis::to_text_and_terms(&scenario, &analysis, options, firmness.as_ref());
        if let Some(staging) = &staging {
            text.push_str(&detente_report::stages::to_text(&scenario, staging, args.all));
            terms.extend(["staged plan", "commitment"]);
        }
        if let Some(periods) = &timeline {
            text.push_str(&detente_report::timeline::to_text(&scenario, periods));
            terms.extend(["event", "deadline"]);
            if scenario.events.iter().any(|e| !e.statements.is_empty()) {
                terms.extend(["statement", "audience cost"]);
            }
            if !scenario.beliefs.is_empty() {
                terms.push("as X sees it");
            }
        }
        text.push_str(&sections.to_text(&scenario));
        terms.extend(sections.terms());
        if args.explain {
            text.push('\n');
            text.push_str(&detente_report::glossary::explain(&terms));
        }
        output::print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The analysis with a progress bar on a terminal (standard error): shared
/// by `analyze`, `report` and `negotiate --plot`, so no long enumeration
/// runs silently.
pub fn with_progress(scenario: &Scenario, config: &Config) -> anyhow::Result<detente::analysis::Analysis> {
    let bar = output::progress_bar("outcomes");
    let result = analyze_with_progress(scenario, config, &|done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(result?)
}

/// The `--set` and `--drop` edits, parsed against `scenario` (checked like
/// file input); the error names the flag.
fn edits(scenario: &Scenario, set: &[String], drop: &[String]) -> anyhow::Result<Vec<whatif::Edit>> {
    whatif::parse_edits(scenario, set, drop).map_err(|e| anyhow::anyhow!("--{e}"))
}

/// `scenario` with the `--set` and `--drop` edits applied; shared by
/// `analyze`, `report` and `negotiate`.
pub fn what_if(scenario: &Scenario, set: &[String], drop: &[String]) -> anyhow::Result<Scenario> {
    Ok(whatif::apply(scenario, &edits(scenario, set, drop)?))
}

/// `scenario` with the statements of `--say ID@ROUND` made at their rounds.
pub fn said(scenario: &Scenario, say: &[String]) -> anyhow::Result<Scenario> {
    scenario.with_said_args(say).map_err(|e| anyhow::anyhow!("--say {e}"))
}

/// What `analyze` and `report` work on: the edited scenario, the analysis
/// configuration, and a stakeholder table's per-issue power after the
/// edits (for the report's forecasts).
pub struct Prepared {
    pub scenario: Scenario,
    pub config: Config,
    pub table_power: Option<Vec<Vec<Option<f64>>>>,
}

/// Loads `file`, applies the what-if edits and builds the analysis
/// configuration: the steps `analyze` and `report` share. `Err(code)` when
/// the scenario is invalid (its diagnostics are printed).
pub fn prepare(file: &Path, options: &AnalysisOptions) -> anyhow::Result<Result<Prepared, ExitCode>> {
    let loaded = output::load_case(file, options.case.as_deref())?;
    let Some(scenario) = &loaded.scenario else {
        eprint!("{}", diagnostics::render_human(&loaded, std::io::stderr().is_terminal()));
        return Ok(Err(ExitCode::from(1)));
    };
    diagnostics::print_load_warnings(&loaded, file);
    let edits = edits(scenario, &options.set, &options.drop)?;
    let table_power = loaded.table_power.as_deref().map(|p| whatif::apply_to_power(p, &edits));
    let scenario = said(&whatif::apply(scenario, &edits), &options.say)?;
    let mut config = Config::new();
    config.resolution = Resolution { points: options.resolution as usize };
    config.max_outcomes = options.max_outcomes as u128;
    config.weighted_nash = options.weighted_nash;
    config.max_blocker_size = options.max_blocker_size;
    config.cancel = crate::interrupt::flag();
    config.method = match options.method {
        MethodArg::Auto => Method::Auto,
        MethodArg::Enumerate => Method::Enumerate,
        MethodArg::IssueByIssue => Method::IssueByIssue,
    };
    Ok(Ok(Prepared { scenario, config, table_power }))
}
