//! `detente tournament`: the output folder (definition check, append-only
//! results flushed per line, partial-line repair on `--resume`, the sorted
//! final rewrite, the summary and `--format` files), shards (`--shard K/N`
//! runs the negotiations whose id is `K − 1` modulo `N`) and their merge
//! (`--merge`: the shards' records checked and gathered into the folder a
//! single run leaves).

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::{bail, Context as _};
use detente::negotiation::registry::{self, Spec};
use detente::negotiation::tournament::{tables, Entry, Grouping, Job, Player, Record, Tournament};
use detente::{Scenario, TextFormat};

use crate::args::{Shard, TournamentArgs};
use crate::negotiate::{compile_domain, domain_config, load, protocol};
use crate::output;
use crate::report::write_atomically;

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
    let jobs = t.jobs();

    if !args.merge.is_empty() {
        let records = merge_shards(&args.merge, &definition, &t, &jobs)?;
        prepare_out(&args.out, &definition, false, &t)?;
        return finish(args, &t, records);
    }

    let definition = match args.shard {
        Some(shard) => with_shard(&definition, shard),
        None => definition,
    };
    let mine: Vec<Job> = jobs.into_iter().filter(|j| args.shard.is_none_or(|s| s.owns(j.id))).collect();
    let done = prepare_out(&args.out, &definition, args.resume, &t)?;
    let pending: Vec<_> = mine.iter().filter(|j| !done.contains_key(&j.id)).cloned().collect();
    let results_path = args.out.join(RESULTS);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&results_path)
        .with_context(|| format!("cannot open {}", results_path.display()))?;
    let sink = Mutex::new((file, None::<std::io::Error>));
    let bar = output::progress_bar("negotiations");
    if let Some(bar) = &bar {
        bar.set_length(mine.len() as u64);
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
    match args.shard {
        Some(shard) => {
            // A shard's means would mislead: its records are sorted and
            // kept for the merge, and the summary waits for it.
            write_atomically(&results_path, &sorted_lines(&t, &records))?;
            output::print(&format!(
                "Shard {shard}: {} of {} written to {}. When every shard is done, merge them: the same command with --merge and the shard folders instead of --shard.\n",
                detente_report::text::plural(records.len() as u64, "negotiation", "negotiations"),
                t.jobs().len(),
                results_path.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        None => finish(args, &t, records),
    }
}

/// The records in id order as JSON lines: every run of the same tournament —
/// on any number of threads, interrupted or not, sharded and merged or not —
/// leaves the same bytes.
fn sorted_lines(t: &Tournament, records: &[Record]) -> Vec<u8> {
    let mut sorted = String::new();
    for r in records {
        sorted.push_str(&detente_report::tournament::record_line(t, r));
        sorted.push('\n');
    }
    sorted.into_bytes()
}

/// Writes the finished folder: every record in id order, the summary, the
/// `--format` files and the plot; prints the summary.
fn finish(args: &TournamentArgs, t: &Tournament, records: Vec<Record>) -> anyhow::Result<ExitCode> {
    write_atomically(&args.out.join(RESULTS), &sorted_lines(t, &records))?;
    let tables = tables(t.strategies.len(), &records);
    let summary_json = detente_report::tournament::summary_json(t, &tables, records.len());
    let summary_text = detente_report::tournament::summary_text(t, &tables, records.len());
    write_atomically(&args.out.join("summary.json"), serde_json::to_string_pretty(&summary_json)?.as_bytes())?;
    write_atomically(&args.out.join("summary.txt"), summary_text.as_bytes())?;
    if let Some(format) = args.format {
        let format = format.into();
        write_frame(&args.out, "scores", &detente_report::tournament::scores_frame(t, &records), format)?;
        for g in Grouping::ALL {
            let frame = detente_report::tournament::table_frame(t, &tables, g);
            write_frame(&args.out, &format!("table-{}", g.name()), &frame, format)?;
        }
    }
    if let Some(path) = &args.plot {
        let figure = detente_report::plot::tournament::summary_chart(t, &tables)?;
        crate::report::write_figure(path, &figure)?;
    }
    if args.json {
        output::print(&serde_json::to_string_pretty(&summary_json)?)?;
    } else {
        output::print(&summary_text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The definition of one shard: the tournament's, and which part it runs.
fn with_shard(definition: &serde_json::Value, shard: Shard) -> serde_json::Value {
    let mut d = definition.clone();
    d["shard"] = serde_json::Value::String(shard.to_string());
    d
}

/// The records of the shard folders `dirs`, checked: each folder holds a
/// shard of this very tournament (its definition is this one with its
/// `shard`), the shards are `1/N` to `N/N` once each, and each has every
/// negotiation it owns.
fn merge_shards(
    dirs: &[PathBuf],
    definition: &serde_json::Value,
    t: &Tournament,
    jobs: &[Job],
) -> anyhow::Result<Vec<Record>> {
    let mut shards: BTreeMap<usize, (&PathBuf, BTreeMap<u64, Record>)> = BTreeMap::new();
    let mut count = None;
    for dir in dirs {
        let def_path = dir.join(DEFINITION);
        let text = fs::read_to_string(&def_path)
            .with_context(|| format!("cannot read {}: is {} a shard folder?", def_path.display(), dir.display()))?;
        let theirs: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", def_path.display()))?;
        let Some(shard) = theirs.get("shard").and_then(|s| s.as_str()).and_then(|s| s.parse::<Shard>().ok()) else {
            bail!("{} was not written by a shard (run with --shard K/N)", dir.display());
        };
        if theirs != with_shard(definition, shard) {
            bail!(
                "{} holds a shard of another tournament (it differs in {}); merge with the arguments the shards ran with",
                dir.display(),
                differing(&theirs, definition).join(", ")
            );
        }
        match count {
            None => count = Some(shard.count),
            Some(n) if n != shard.count => {
                bail!("{} is shard {shard}, but another folder is a shard of {n}", dir.display())
            }
            Some(_) => {}
        }
        if let Some((other, _)) = shards.get(&shard.index) {
            bail!("{} and {} are both shard {shard}", other.display(), dir.display());
        }
        let records = read_records(&dir.join(RESULTS), t, false)?;
        if let Some(r) = records.values().find(|r| !shard.owns(r.id)) {
            bail!("{}: negotiation {} does not belong to shard {shard}", dir.display(), r.id);
        }
        let owned = jobs.iter().filter(|j| shard.owns(j.id)).count();
        if records.len() < owned {
            bail!(
                "{} (shard {shard}) has {} of its {owned} negotiations; finish it with --shard {shard} --resume --out {}",
                dir.display(),
                records.len(),
                dir.display()
            );
        }
        shards.insert(shard.index, (dir, records));
    }
    let n = count.unwrap_or(0);
    let missing: Vec<String> = (1..=n).filter(|k| !shards.contains_key(k)).map(|k| format!("{k}/{n}")).collect();
    if !missing.is_empty() {
        bail!("--merge: shard {} missing; give every shard folder", missing.join(", "));
    }
    let mut all: Vec<Record> = shards.into_values().flat_map(|(_, r)| r.into_values()).collect();
    all.sort_by_key(|r| r.id);
    Ok(all)
}

/// The top-level fields in which two definitions differ.
fn differing<'a>(a: &serde_json::Value, b: &'a serde_json::Value) -> Vec<&'a str> {
    ["scenarios", "strategies", "reps", "seed", "protocol", "rounds"]
        .into_iter()
        .filter(|k| a.get(k) != b.get(k))
        .collect()
}

/// Writes `frame` to `DIR/STEM.EXT` in `format`, atomically.
fn write_frame(
    dir: &Path,
    stem: &str,
    frame: &detente_report::frame::Frame,
    format: detente_report::frame::TableFormat,
) -> anyhow::Result<()> {
    let path = dir.join(format!("{stem}.{}", format.extension()));
    let bytes = frame.to_bytes(format).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    write_atomically(&path, &bytes)
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
    if !resume {
        if results_path.exists() || def_path.exists() {
            bail!("{} already holds a tournament; add --resume to continue it, or choose another --out", out.display());
        }
        write_atomically(&def_path, serde_json::to_string_pretty(definition)?.as_bytes())?;
        return Ok(BTreeMap::new());
    }
    match fs::read_to_string(&def_path) {
        Ok(text) => {
            let old: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", def_path.display()))?;
            if &old != definition {
                let mut differs = differing(&old, definition);
                if old.get("shard") != definition.get("shard") {
                    differs.push("shard");
                }
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
    read_records(&results_path, t, true)
}

/// The finished negotiations in `path` (none if it does not exist). A
/// partial last line (a kill mid-write) is dropped, and with `repair` the
/// file is truncated to the last whole line; any other bad line is an error.
fn read_records(path: &Path, t: &Tournament, repair: bool) -> anyhow::Result<BTreeMap<u64, Record>> {
    let mut done = BTreeMap::new();
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
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
                path.display(),
                bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1
            ),
        }
        start += nl + 1;
    }
    if repair && good_end < bytes.len() {
        // The partial line of an interrupted write.
        let f = File::options().write(true).open(path)?;
        f.set_len(good_end as u64)?;
        f.sync_all()?;
    }
    Ok(done)
}
