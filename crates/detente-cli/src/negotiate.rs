//! `detente negotiate` and `detente tournament`: load, compile the domain,
//! run the engine, render through `detente-report`; the tournament's files
//! (append-only results, resume, final sorted rewrite).

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::{bail, Context as _};
use detente::analysis::Resolution;
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig, Reference};
use detente::negotiation::evaluate::evaluate;
use detente::negotiation::mediated::SingleText;
use detente::negotiation::registry::{self, Spec};
use detente::negotiation::setup;
use detente::negotiation::tournament::{summarize, Entry, Player, Record, Tournament};
use detente::negotiation::{Deadline, Protocol};
use detente::{Scenario, TextFormat};

use crate::args::{NegotiateArgs, ProtocolArg, SessionOptions, TournamentArgs, TraceArg};
use crate::report::write_atomically;
use crate::{diagnostics, output};

fn protocol(options: &SessionOptions) -> Box<dyn Protocol> {
    let deadline = Deadline::rounds(options.rounds as usize);
    match options.protocol {
        ProtocolArg::Alternating => Box::new(AlternatingOffers { deadline }),
        ProtocolArg::Mediated => Box::new(SingleText { deadline }),
    }
}

fn domain_config(options: &SessionOptions) -> DomainConfig {
    DomainConfig {
        resolution: Resolution { points: options.resolution as usize },
        max_outcomes: options.max_outcomes,
        search: true,
    }
}

/// Tabulates the domain, within `--max-outcomes` (checked before anything
/// is allocated), with a progress bar on a terminal: a few million outcomes
/// take seconds. Ctrl-C stops it.
fn compile_domain(
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
fn load(path: &Path) -> anyhow::Result<Result<Scenario, ExitCode>> {
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

/// FNV-1a over the scenario in native TOML: what a resumed tournament
/// checks so that an edited scenario is not mixed with old results.
fn fingerprint(s: &Scenario) -> String {
    let text = detente::format::write::to_string(s, TextFormat::Toml);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

const RESULTS: &str = "negotiations.jsonl";
const DEFINITION: &str = "tournament.json";

pub fn tournament(args: &TournamentArgs) -> anyhow::Result<ExitCode> {
    let mut strategies: Vec<Spec> = Vec::new();
    for list in &args.strategies {
        strategies.extend(registry::parse_list(list).with_context(|| format!("--strategies {list}"))?);
    }
    let labels: Vec<String> = strategies.iter().map(|s| s.to_string()).collect();
    for (i, l) in labels.iter().enumerate() {
        if labels[..i].contains(l) {
            bail!("--strategies lists {l} twice");
        }
    }
    let mut entries = Vec::new();
    let mut fingerprints = Vec::new();
    for path in &args.scenarios {
        let scenario = match load(path)? {
            Ok(s) => s,
            Err(code) => return Ok(code),
        };
        let domain = compile_domain(&scenario, &args.session).with_context(|| path.display().to_string())?;
        let taken: Vec<&str> = entries.iter().map(|e: &Entry| e.name.as_str()).collect();
        let name = detente_report::tournament::entry_name(path, &taken);
        fingerprints.push((path.display().to_string(), fingerprint(&scenario)));
        entries.push(Entry::with_scenario(name, scenario, domain, domain_config(&args.session)));
    }
    let strategies = strategies.into_iter().map(Player::from).collect();
    let t = Tournament { entries, strategies, reps: args.reps, seed: args.session.seed };
    t.validate()?;
    let protocol = protocol(&args.session);
    let definition =
        detente_report::tournament::definition_json(&t, &fingerprints, protocol.name(), args.session.rounds as usize);
    let done = prepare_out(&args.out, &definition, args.resume, &t)?;

    let jobs = t.jobs();
    let pending: Vec<_> = jobs.iter().filter(|j| !done.contains_key(&j.id)).cloned().collect();
    let results_path = args.out.join(RESULTS);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&results_path)
        .with_context(|| format!("cannot open {}", results_path.display()))?;
    let sink = Mutex::new((file, None::<std::io::Error>));
    let bar = output::progress_bar("negotiations");
    if let Some(bar) = &bar {
        bar.set_length(jobs.len() as u64);
        bar.set_position(done.len() as u64);
    }
    let new_records = Mutex::new(Vec::with_capacity(pending.len()));
    let cancel = crate::interrupt::flag();
    let result = t.run_with(
        protocol.as_ref(),
        &pending,
        &|record: Record| {
            let mut line = detente_report::tournament::record_line(&t, &record);
            line.push('\n');
            {
                let mut guard = sink.lock().unwrap_or_else(|e| e.into_inner());
                // One write per line, flushed: a kill leaves at most one partial
                // last line, which a resumed run drops.
                if guard.1.is_none() {
                    if let Err(e) = guard.0.write_all(line.as_bytes()).and_then(|()| guard.0.flush()) {
                        guard.1 = Some(e);
                    }
                }
            }
            new_records.lock().unwrap_or_else(|e| e.into_inner()).push(record);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        },
        &cancel,
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Err(detente::negotiation::NegotiationError::Cancelled) = result {
        // The records written so far are whole lines, flushed: the folder
        // resumes where the run stopped.
        let kept = done.len() + new_records.lock().unwrap_or_else(|e| e.into_inner()).len();
        return Err(crate::interrupt::Interrupted(format!(
            "{} kept in {}; run again with --resume to finish",
            detente_report::text::plural(kept as u64, "record", "records"),
            args.out.display()
        ))
        .into());
    }
    result?;
    let (file, error) = sink.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = error {
        return Err(e).with_context(|| format!("cannot write {}", results_path.display()));
    }
    file.sync_all().ok();
    let mut all: BTreeMap<u64, Record> = done;
    for r in new_records.into_inner().unwrap_or_else(|e| e.into_inner()) {
        all.entry(r.id).or_insert(r);
    }
    let records: Vec<Record> = all.into_values().collect();
    // The finished file in id order, so every run of the same tournament —
    // on any number of threads, interrupted or not — leaves the same bytes.
    let mut sorted = String::new();
    for r in &records {
        sorted.push_str(&detente_report::tournament::record_line(&t, r));
        sorted.push('\n');
    }
    write_atomically(&results_path, sorted.as_bytes())?;
    let rows = summarize(t.strategies.len(), &records);
    let summary_json = detente_report::tournament::summary_json(&t, &rows, records.len());
    let summary_text = detente_report::tournament::summary_text(&t, &rows, records.len());
    write_atomically(&args.out.join("summary.json"), serde_json::to_string_pretty(&summary_json)?.as_bytes())?;
    write_atomically(&args.out.join("summary.txt"), summary_text.as_bytes())?;
    if let Some(path) = &args.plot {
        let figure = detente_report::plot::tournament::summary_chart(&t, &rows)?;
        crate::report::write_figure(path, &figure)?;
    }
    if args.json {
        output::print(&serde_json::to_string_pretty(&summary_json)?)?;
    } else {
        output::print(&summary_text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes the output folder ready: a fresh one gets the definition; a
/// resumed one must hold the same definition, and its finished
/// negotiations are read back (a line cut short by a kill is dropped and
/// the file truncated to the last whole line).
fn prepare_out(
    out: &PathBuf,
    definition: &serde_json::Value,
    resume: bool,
    t: &Tournament,
) -> anyhow::Result<BTreeMap<u64, Record>> {
    // Only the --out folder itself is created, as every other output
    // creates no parent folders.
    crate::output::parent_must_exist(out)?;
    if !out.is_dir() {
        fs::create_dir(out).with_context(|| format!("cannot create {}", out.display()))?;
    }
    let def_path = out.join(DEFINITION);
    let results_path = out.join(RESULTS);
    let mut done = BTreeMap::new();
    if !resume {
        if results_path.exists() || def_path.exists() {
            bail!("{} already holds a tournament; add --resume to continue it, or choose another --out", out.display());
        }
        write_atomically(&def_path, serde_json::to_string_pretty(definition)?.as_bytes())?;
        return Ok(done);
    }
    match fs::read_to_string(&def_path) {
        Ok(text) => {
            let old: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", def_path.display()))?;
            if &old != definition {
                let differs: Vec<&str> = ["scenarios", "strategies", "reps", "seed", "protocol", "rounds"]
                    .into_iter()
                    .filter(|k| old.get(k) != definition.get(k))
                    .collect();
                bail!(
                    "--resume: the tournament in {} differs in {}; run it with the same arguments, or choose another --out",
                    out.display(),
                    differs.join(", ")
                );
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_atomically(&def_path, serde_json::to_string_pretty(definition)?.as_bytes())?;
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", def_path.display())),
    }
    let bytes = match fs::read(&results_path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", results_path.display())),
    };
    let mut good_end = 0usize;
    let mut start = 0usize;
    while let Some(nl) = bytes[start..].iter().position(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(&bytes[start..start + nl]);
        match detente_report::tournament::parse_record(t, &line) {
            Ok(r) => {
                done.entry(r.id).or_insert(r);
                good_end = start + nl + 1;
            }
            Err(e) => bail!(
                "{} line {}: {e}; it was not written by this tournament (move it away to start afresh)",
                results_path.display(),
                bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1
            ),
        }
        start += nl + 1;
    }
    if good_end < bytes.len() {
        // The partial line of an interrupted write.
        let f = File::options().write(true).open(&results_path)?;
        f.set_len(good_end as u64)?;
        f.sync_all()?;
    }
    Ok(done)
}
