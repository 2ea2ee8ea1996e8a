//! `detente convert`: read anything `load_path` reads, write it as native
//! TOML or JSON, or as a GENIUS folder.
//!
//! Outputs are written atomically: a file goes to a temporary file in the
//! target's directory and is renamed over the target; a GENIUS folder is
//! written into a temporary directory beside the target and renamed. A
//! failure at any point leaves the target as it was (absent, or the old file)
//! and no temporary behind. An existing target is replaced only with
//! `--force`.
//!
//! Exit codes: 0 written; 1 invalid input (diagnostics as `check` prints
//! them) or a scenario the target format cannot hold; 2 usage and I/O errors,
//! including an existing target without `--force`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use detente::format::{genius, write, TextFormat};
use detente::scenario::{Reservation, Role};
use detente::{Scenario, Severity, SourceFile};

use crate::args::{ConvertArgs, ConvertTo};
use crate::{diagnostics, output};

pub fn convert(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    let to = target_format(args)?;
    let to_stdout = args.output.as_os_str() == "-";
    if to_stdout && to == ConvertTo::Genius {
        bail!("--to genius writes a folder; give its path with -o, not `-`");
    }
    if !to_stdout && !args.force && std::fs::symlink_metadata(&args.output).is_ok() {
        bail!("{} exists; use --force to replace it", args.output.display());
    }

    let loaded = output::load_case(&args.input, args.case.as_deref())?;
    if !loaded.diagnostics.is_empty() {
        eprint!("{}", diagnostics::render_human(&loaded, std::io::stderr().is_terminal()));
    }
    let Some(scenario) = &loaded.scenario else {
        let errors = loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        eprintln!("{}: {errors} error{}; nothing written", loaded.source.name, if errors == 1 { "" } else { "s" });
        return Ok(ExitCode::from(1));
    };

    match to {
        ConvertTo::Toml | ConvertTo::Json => {
            let format = if to == ConvertTo::Toml { TextFormat::Toml } else { TextFormat::Json };
            let text = write::to_string(scenario, format);
            // Never write a file detente itself would refuse: some inputs
            // load as scenarios the native format does not allow (a GeniusWeb
            // domain without profiles has no actors).
            let back = detente::load_str(&args.output.display().to_string(), &text, format);
            if back.has_errors() {
                for d in back.diagnostics.iter().filter(|d| d.is_error()) {
                    eprintln!("error: the converted scenario would not be valid: {}", d.message);
                }
                eprintln!("{}: nothing written", loaded.source.name);
                return Ok(ExitCode::from(1));
            }
            if to_stdout {
                output::print(&text)?;
            } else {
                write_file_atomically(&args.output, text.as_bytes(), args.force)?;
            }
        }
        ConvertTo::Genius => {
            let files = match genius::to_genius(scenario) {
                Ok(files) => files,
                Err(err) => {
                    for reason in &err.reasons {
                        eprintln!("error: cannot write GENIUS files: {reason}");
                    }
                    eprintln!("{}: nothing written", loaded.source.name);
                    return Ok(ExitCode::from(1));
                }
            };
            for note in files.notes.iter().chain(&genius_losses(scenario)) {
                eprintln!("note: {note}");
            }
            // The folder must read back (to_genius's promise; checked here
            // so that a failure never reaches the disk).
            let domain = SourceFile { name: "domain.xml".to_string(), text: files.domain.clone() };
            let profiles: Vec<SourceFile> = files
                .profiles
                .iter()
                .map(|(id, text)| SourceFile { name: format!("{id}.xml"), text: text.clone() })
                .collect();
            let back = genius::load_genius("check", &domain, &profiles);
            if back.has_errors() {
                for d in back.diagnostics.iter().filter(|d| d.is_error()) {
                    eprintln!("error: the GENIUS files would not be valid: {}", d.message);
                }
                eprintln!("{}: nothing written", loaded.source.name);
                return Ok(ExitCode::from(1));
            }
            let mut contents = vec![(domain_file_name(&files), files.domain.clone())];
            contents.extend(files.profiles.iter().map(|(id, text)| (format!("{id}.xml"), text.clone())));
            write_dir_atomically(&args.output, &contents, args.force)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--to`, or the format the output's extension names.
fn target_format(args: &ConvertArgs) -> anyhow::Result<ConvertTo> {
    if let Some(to) = args.to {
        return Ok(to);
    }
    let ext = args.output.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("toml") => Ok(ConvertTo::Toml),
        Some("json") => Ok(ConvertTo::Json),
        _ if args.output.as_os_str() == "-" => bail!("add --to toml or --to json to write to standard output"),
        _ => bail!("cannot tell the output format from `{}`; add --to toml, json or genius", args.output.display()),
    }
}

/// What a GENIUS folder cannot hold, one sentence each: GENIUS has no
/// constraints, beliefs, status quo, roles, capabilities, ratifiers, vetoes,
/// plans or events.
fn genius_losses(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if !s.constraints.is_empty() {
        out.push(format!("{} not written (GENIUS has no constraints)", count(s.constraints.len(), "constraint")));
    }
    if !s.beliefs.is_empty() {
        out.push(format!("{} not written (GENIUS has no beliefs)", count(s.beliefs.len(), "belief")));
    }
    if s.status_quo.is_some() && !s.actors.iter().any(|a| a.reservation == Reservation::StatusQuo) {
        out.push("the status quo is not written (GENIUS has none)".to_string());
    }
    let not_parties: Vec<&str> = s.actors.iter().filter(|a| a.role != Role::Party).map(|a| a.id.as_str()).collect();
    if !not_parties.is_empty() {
        out.push(format!(
            "every actor becomes a profile, and profiles are read back as parties: {} (not parties here)",
            not_parties.join(", ")
        ));
    }
    if s.actors.iter().any(|a| a.capability != 1.0) {
        out.push("capabilities are not written (GENIUS has none)".to_string());
    }
    if s.actors.iter().any(|a| !a.ratifiers.is_empty() || !a.vetoes.is_empty()) {
        out.push("ratifiers and vetoes are not written (GENIUS has none)".to_string());
    }
    if !s.plans.is_empty() {
        out.push(format!("{} not written (GENIUS negotiates every issue at once)", count(s.plans.len(), "plan")));
    }
    if !s.events.is_empty() {
        out.push(format!(
            "{} and the parties' deadlines not written (GENIUS has one deadline for the whole session)",
            count(s.events.len(), "event")
        ));
    }
    out
}

/// `domain.xml`, or a name no profile takes (profiles are named after their
/// actors' ids).
fn domain_file_name(files: &genius::GeniusFiles) -> String {
    let mut stem = "domain".to_string();
    while files.profiles.iter().any(|(id, _)| id.eq_ignore_ascii_case(&stem)) {
        stem.insert(0, '_');
    }
    format!("{stem}.xml")
}

/// The directory `path` lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// A temporary-file builder for `convert`'s outputs.
fn builder(mode: u32) -> tempfile::Builder<'static, 'static> {
    crate::output::temp_builder(".detente-convert-", mode)
}

/// Writes `bytes` to `path` atomically (replacing an existing file only
/// when `force`).
fn write_file_atomically(path: &Path, bytes: &[u8], force: bool) -> anyhow::Result<()> {
    crate::output::write_atomically(path, bytes, force, ".detente-convert-")
}

/// Writes `files` (name, text) into a temporary directory beside `path`,
/// then renames it to `path`. With `force` an existing `path` is first moved
/// aside (and put back if the rename fails), then removed.
fn write_dir_atomically(path: &Path, files: &[(String, String)], force: bool) -> anyhow::Result<()> {
    crate::output::parent_must_exist(path)?;
    let dir = parent_dir(path);
    let tmp = builder(0o777).tempdir_in(dir).with_context(|| format!("cannot create a folder in {}", dir.display()))?;
    for (name, text) in files {
        let file = tmp.path().join(name);
        std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
    }
    let old = if force && std::fs::symlink_metadata(path).is_ok() {
        let aside =
            builder(0o700).tempdir_in(dir).with_context(|| format!("cannot create a folder in {}", dir.display()))?;
        let old = aside.path().join("old");
        std::fs::rename(path, &old).with_context(|| format!("cannot replace {}", path.display()))?;
        Some((aside, old))
    } else {
        None
    };
    let staged: PathBuf = tmp.path().to_path_buf();
    if let Err(err) = rename_no_replace(&staged, path) {
        let mut context = format!("cannot write {}", path.display());
        if let Some((aside, old)) = old {
            if let Err(restore) = std::fs::rename(&old, path) {
                // Never delete the user's data: leave it where it is and say so.
                let kept = aside.keep();
                context.push_str(&format!(
                    "; the previous {} could not be put back ({restore}) and is kept at {}",
                    path.display(),
                    kept.join("old").display()
                ));
            }
        }
        return Err(err).with_context(|| context);
    }
    // The staged folder is now `path`: keep it from being deleted.
    let _ = tmp.keep();
    // Dropping `aside` removes the replaced folder or file.
    drop(old);
    Ok(())
}

/// Renames `from` to `to`, failing when `to` exists (a plain rename would
/// replace an empty directory).
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "it already exists"));
    }
    std::fs::rename(from, to)
}
