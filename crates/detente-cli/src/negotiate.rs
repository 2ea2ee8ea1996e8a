//! `detente negotiate`: load, compile the domain, run the engine, render
//! through `detente-report`. The session options' meaning (protocol,
//! domain compilation, loading) is shared with `detente tournament`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use detente::analysis::Resolution;
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig, Reference};
use detente::negotiation::evaluate::evaluate;
use detente::negotiation::mediated::SingleText;
use detente::negotiation::registry;
use detente::negotiation::setup;
use detente::negotiation::{Deadline, Protocol};
use detente::Scenario;

use crate::args::{NegotiateArgs, ProtocolArg, SessionOptions, TraceArg};
use crate::{diagnostics, output};

pub(crate) fn protocol(options: &SessionOptions) -> Box<dyn Protocol> {
    let deadline = Deadline::rounds(options.rounds as usize);
    match options.protocol {
        ProtocolArg::Alternating => Box::new(AlternatingOffers { deadline }),
        ProtocolArg::Mediated => Box::new(SingleText { deadline }),
    }
}

pub(crate) fn domain_config(options: &SessionOptions) -> DomainConfig {
    DomainConfig {
        resolution: Resolution { points: options.resolution as usize },
        max_outcomes: options.max_outcomes,
        search: true,
    }
}

/// Tabulates the domain, within `--max-outcomes` (checked before anything
/// is allocated), with a progress bar on a terminal: a few million outcomes
/// take seconds. Ctrl-C stops it.
pub(crate) fn compile_domain(
    scenario: &Scenario,
    options: &SessionOptions,
) -> Result<Domain, detente::negotiation::NegotiationError> {
    let bar = output::progress_bar("outcomes");
    let domain = Domain::new_with(scenario, &domain_config(options), &crate::interrupt::flag(), &|done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    domain
}

/// Loads a scenario; `Err(code)` when it is invalid (diagnostics printed).
pub(crate) fn load(path: &Path) -> anyhow::Result<Result<Scenario, ExitCode>> {
    let loaded = output::load(path)?;
    diagnostics::print_load_warnings(&loaded, path);
    match loaded.scenario {
        Some(s) => Ok(Ok(s)),
        None => {
            eprint!("{}", diagnostics::render_human(&loaded, std::io::stderr().is_terminal()));
            Ok(Err(ExitCode::from(1)))
        }
    }
}

pub fn negotiate(args: &NegotiateArgs) -> anyhow::Result<ExitCode> {
    let scenario = match load(&args.file)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let scenario = crate::analyze::what_if(&scenario, &args.set, &args.drop)?;
    let scenario = crate::analyze::said(&scenario, &args.say)?;
    let domain = compile_domain(&scenario, &args.session)?;
    let default = registry::parse(&args.default_strategy).context("--default-strategy")?;
    let protocol = protocol(&args.session);
    let cancel = crate::interrupt::flag();
    let config = domain_config(&args.session);
    let table = setup::seat(scenario, domain, args.first.as_deref(), &args.strategies, &default, &config, &cancel)
        .map_err(|e| match e {
            setup::SetupError::First(m) => anyhow::anyhow!("--first {m}"),
            other => anyhow::anyhow!(other),
        })?;
    let setup::Table { scenario, domain, parties, specs, defaulted } = table;
    // Without a trace to print or plot, the steps are not recorded.
    let record = !(args.json && args.trace == TraceArg::None && args.plot.is_none());
    let session = detente::negotiation::run_with(
        protocol.as_ref(),
        &domain,
        &parties,
        &specs,
        args.session.seed,
        record,
        &cancel,
    )?;
    let reference = Reference::new(&domain, &parties);
    let evaluation = evaluate(&domain, &reference, &session);
    let labels: Vec<String> = specs.iter().map(ToString::to_string).collect();
    let talks = detente_report::negotiation::Talks {
        scenario: &scenario,
        domain: &domain,
        protocol: protocol.name(),
        deadline: protocol.deadline(),
        seed: args.session.seed,
        strategies: &labels,
        defaulted: &defaulted,
        session: &session,
        evaluation: &evaluation,
    };
    if let Some(path) = &args.plot {
        let mut config = detente::analysis::Config::new();
        config.resolution = Resolution { points: args.session.resolution as usize };
        config.density = Some(detente_report::plot::plane::density_config(scenario.parties().len()));
        config.cancel = cancel.clone();
        let analysis = crate::analyze::with_progress(&scenario, &config)?;
        let figure = detente_report::negotiation::plot(&talks, &analysis)?;
        crate::report::write_figure(path, &figure)?;
        // A negotiator that kept a posterior: its figure beside the plane,
        // `STEM-posterior.EXT`.
        if !session.posteriors.is_empty() {
            let figure = detente_report::negotiation::plot_posterior(&talks)?;
            crate::report::write_figure(&posterior_path(path), &figure)?;
        }
    }
    if args.json {
        use detente_report::negotiation::TraceDetail;
        let detail = match args.trace {
            TraceArg::Full => TraceDetail::Full,
            TraceArg::Offers => TraceDetail::Offers,
            TraceArg::None => TraceDetail::None,
        };
        let doc = detente_report::negotiation::to_json_with(&talks, detail);
        output::print(&if args.compact { serde_json::to_string(&doc)? } else { serde_json::to_string_pretty(&doc)? })?;
    } else {
        output::print(&detente_report::negotiation::to_text(&talks, args.offers))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `negotiate --plot FILE` writes the posterior figure:
/// `STEM-posterior.EXT` beside `FILE` (SVG when `FILE` has no extension).
fn posterior_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "talks".into());
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_else(|| "svg".into());
    path.with_file_name(format!("{stem}-posterior.{ext}"))
}
