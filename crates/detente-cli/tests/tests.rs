//! End-to-end tests of the `detente` binary: exit codes, output formats,
//! and robustness against broken files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo()).output().expect("run detente")
}

fn write(dir: &Path, name: &str, text: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const VALID: &str = "format = 1\nname = \"t\"\n[[issues]]\nid = \"treaty\"\noptions = [\"no\", \"yes\"]\n[[actors]]\nid = \"a\"\nstances.treaty = { position = \"yes\", salience = 1 }\n";

#[test]
fn check_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.toml", VALID.as_bytes());
    let bad = write(dir.path(), "bad.toml", VALID.replace("\"yes\", salience", "\"yse\", salience").as_bytes());
    let out = detente(&["check", &good]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("good.toml: ok"));
    let out = detente(&["check", &good, &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:8:31"), "{err}");
    assert!(err.contains("did you mean \"yes\"?"), "{err}");
    let out = detente(&["check", &dir.path().join("missing.toml").display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let out = detente(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    let out = detente(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_json_is_machine_readable() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.toml", VALID.replace("salience = 1", "salience = 2").as_bytes());
    let out = detente(&["check", "--format", "json", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["valid"], false);
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "scenario::salience-range");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["span"]["line"], 8);
    assert_eq!(d["span"]["column"], 49);
    assert!(d["help"].as_str().unwrap().contains("rescale"));
}

#[test]
fn check_short_format_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.toml", VALID.replace("id = \"a\"", "id = \"a b\"").as_bytes());
    let out = detente(&["check", "--format", "short", &bad]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("bad.toml:7:6: error[scenario::invalid-id]"), "{text}");
    let out = piped(&["check", "-"], VALID);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<stdin>: ok"));
}

/// Runs detente with `input` on standard input.
fn piped(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// Standard input is told apart by content like a file: a table is a
/// table; GENIUS XML, which needs the files beside it, is refused with a
/// located error.
#[test]
fn stdin_tables_and_genius() {
    let table = "actor,capability,position,salience\na,1,0,1\nb,3,100,1\n";
    let out = piped(&["forecast", "-", "--model", "compromise", "--json"], table);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["issues"][0]["forecasts"][0]["forecast"], 75.0);
    let out = piped(&["check", "--format", "short", "-"], "<negotiation_template>\n<utility_space/>\n");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("<stdin>:1:1: error[input::genius-alone]"), "{text}");
}

#[test]
fn deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let warn = write(dir.path(), "w.toml", format!("{VALID}[[actors]]\nid = \"b\"\n").as_bytes());
    assert_eq!(detente(&["check", &warn]).status.code(), Some(0));
    assert_eq!(detente(&["check", "--deny-warnings", &warn]).status.code(), Some(1));
}

#[test]
fn show_tables_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.toml", VALID.as_bytes());
    let out = detente(&["show", &good]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("treaty") && text.contains("no | yes"), "{text}");
    let out = detente(&["show", "--json", &good]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["scenario"]["actors"][0]["id"], "a");
    assert_eq!(doc["outcome_count"], "2");
    let bad = write(dir.path(), "bad.toml", b"format = 1\n");
    assert_eq!(detente(&["show", &bad]).status.code(), Some(1));
}

#[test]
fn schema_is_json_schema() {
    let out = detente(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(doc["$defs"]["actor"]["properties"]["stances"].is_object());
}

/// The bundled scenarios: valid, and `show` lists every actor, issue and
/// constraint.
#[test]
fn bundled_scenarios() {
    let dir = repo().join("scenarios");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(d) => {
            d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect()
        }
        Err(_) => Vec::new(),
    };
    files.sort();
    if std::env::var_os("CI").is_some() {
        assert!(files.iter().any(|f| f.ends_with("kuril-2019.toml")), "scenarios/kuril-2019.toml missing");
        assert!(files.iter().any(|f| f.ends_with("kuril-2019-untethered.toml")), "untethered variant missing");
    }
    for f in &files {
        let path = f.display().to_string();
        let out = detente(&["check", &path]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", String::from_utf8_lossy(&out.stderr));
        let loaded = detente::load_file(f).unwrap();
        let s = loaded.scenario.unwrap();
        let shown = String::from_utf8_lossy(&detente(&["show", &path]).stdout).to_string();
        for a in &s.actors {
            assert!(shown.contains(&a.id), "{path}: actor {} not shown", a.id);
        }
        for i in &s.issues {
            assert!(shown.contains(&i.id), "{path}: issue {} not shown", i.id);
        }
        for c in &s.constraints {
            assert!(shown.contains(&c.label), "{path}: constraint {} not shown", c.label);
        }
    }
}

/// Random byte mutations of bundled files never crash the binary: exit 0
/// or 1, never 101 (panic) or a signal.
#[test]
fn mutated_files_exit_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = vec![VALID.as_bytes().to_vec()];
    if let Ok(bytes) = std::fs::read(repo().join("scenarios/kuril-2019.toml")) {
        sources.push(bytes);
    }
    // xorshift: deterministic, no dependency needed for a byte shuffler.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut paths = Vec::new();
    for k in 0..60 {
        let mut bytes = sources[k % sources.len()].clone();
        for _ in 0..(1 + next() % 4) {
            let len = bytes.len().max(1);
            let at = (next() as usize) % len;
            match next() % 3 {
                0 => {
                    if !bytes.is_empty() {
                        bytes[at] = next() as u8;
                    }
                }
                1 => {
                    let end = (at + (next() % 30) as usize).min(bytes.len());
                    bytes.drain(at.min(end)..end);
                }
                _ => bytes.truncate(at),
            }
        }
        paths.push(write(dir.path(), &format!("m{k}.toml"), &bytes));
    }
    for p in &paths {
        for cmd in ["check", "show"] {
            let out = detente(&[cmd, p]);
            let code = out.status.code();
            assert!(
                matches!(code, Some(0) | Some(1)),
                "{cmd} {p}: exit {code:?}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// `analyze` opens with the verdict in plain words, shows outcomes as
/// changes from the status quo, caps long lists (`--all` shows them) and
/// explains its terms on request.
#[test]
fn analyze_speaks_to_an_analyst() {
    let text = |args: &[&str]| {
        let out = detente(args);
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let tethered = text(&["analyze", "scenarios/kuril-2019.toml"]);
    let verdict = tethered.lines().nth(2).unwrap();
    assert!(verdict.starts_with("No deal: no outcome is allowed by every constraint"), "{tethered}");
    assert!(verdict.contains("the constraints most often in the way: `no-capitulation` (russia_public, in 4 of the 7)"));
    assert!(
        verdict.contains("The smallest change that opens one: Government of Japan (Abe) accepts a deal worth 0.520")
    );
    // The file marks judgements uncertain: how firmly the verdict holds.
    assert!(verdict.contains("How firmly: over the ranges of the file's 60 uncertain judgements, a deal exists in "));
    assert!(verdict.contains("japan.reservation (falling to 0.52, from 0.542) alone flips it."), "{verdict}");
    assert!(
        tethered.contains(
            "     e.g. sanctions → eased; the rest as the status quo\n     utilities: japan 0.520, russia 0.472\n"
        ),
        "{tethered}"
    );
    assert!(!tethered.contains("habomai_shikotan=no"), "outcomes are changes, not every issue");
    assert!(tethered.contains("  … and 2 more ways to a deal (--all shows every one)"), "{tethered}");
    assert!(!tethered.contains("  6. "));
    assert!(!tethered.contains("What the words and numbers mean"));
    assert!(
        tethered.contains("Outcome space: 8910 outcomes (6642 more combinations differ from these only in issues that do not apply there)"),
        "{tethered}"
    );
    let all = text(&["analyze", "scenarios/kuril-2019.toml", "--all", "--explain"]);
    assert!(all.contains("  7. ") && !all.contains("  8. ") && !all.contains("more ways to a deal"), "{all}");
    assert!(all.contains("What the words and numbers mean:\n  outcome: one value for every issue"), "{all}");
    assert!(all.contains("  blocker: ") && !all.contains("  Nash: "), "only the terms the output uses");
    let untethered = text(&["analyze", "scenarios/kuril-2019-untethered.toml"]);
    let verdict = untethered.lines().nth(2).unwrap();
    assert!(verdict.starts_with("A deal exists: 18 outcomes are allowed by every constraint"), "{untethered}");
    assert!(verdict
        .contains("The Nash bargaining solution: peace_treaty → yes, sanctions → eased; the rest as the status quo."));
}
