//! Issue 16: extreme but valid inputs give exit codes 0, 1 or 2 within
//! seconds, with a message that says how to go on; output follows what the
//! user asked for (plot formats, counts, numbering).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether `CI` is set: then a missing data file is a failure, never a skip.
fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo()).output().expect("run detente")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A file under `../shared/data`, or `None` (with a note) outside CI when it
/// is missing; in CI a missing file fails the test.
fn shared(rel: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/data").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(!ci(), "{} is missing (CI is set)", p.display());
    eprintln!("skipping: {} is missing", p.display());
    None
}

/// Two parties on one integer issue from `min` to `max`.
fn integer_scenario(min: &str, max: &str) -> String {
    format!(
        "format = 1\nname = \"wide\"\n[[issues]]\nid = \"aid\"\nkind = \"integer\"\nmin = {min}\nmax = {max}\n\
         [[actors]]\nid = \"donor\"\nrole = \"party\"\nstances.aid = {{ position = 2, salience = 1.0 }}\n\
         [[actors]]\nid = \"recipient\"\nrole = \"party\"\nstances.aid = {{ position = 10, salience = 1.0 }}\n"
    )
}

/// Runs `args` and asserts it ended with a clean exit code (0, 1 or 2: no
/// panic, no abort) within `secs` seconds.
fn clean(args: &[&str], secs: u64) -> Output {
    let start = Instant::now();
    let out = detente(args);
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{args:?}: exit {:?}\n{}",
        out.status.code(),
        stderr(&out)
    );
    assert!(start.elapsed() < Duration::from_secs(secs), "{args:?} took {:?}", start.elapsed());
    assert!(!stderr(&out).contains("panicked"), "{args:?}: {}", stderr(&out));
    out
}

#[test]
fn issue_16_wide_integer_issues_are_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    for (name, min, max, values) in [
        ("big.toml", "0", "100000000000", "100000000001"),
        ("huge.toml", "-9223372036854775808", "9223372036854775807", "18446744073709551616"),
    ] {
        let path = write(dir.path(), name, &integer_scenario(min, max));
        assert_eq!(detente(&["check", &path]).status.code(), Some(0));
        let report = dir.path().join("r.html").display().to_string();
        for args in [
            vec!["analyze", &path],
            vec!["analyze", "--json", &path],
            vec!["report", &path, "-o", &report],
        ] {
            let out = clean(&args, 10);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let err = stderr(&out);
            assert!(err.contains(&format!("issue `aid` has {values} values")), "{args:?}: {err}");
            assert!(err.contains("narrow its range"), "{args:?}: {err}");
        }
        let out = clean(&["analyze", "--method", "enumerate", &path], 10);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(&format!("has {values} outcomes, more than the limit")), "{}", stderr(&out));
        let out = clean(&["negotiate", &path], 10);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.contains(&format!("has {values} outcomes")) && err.contains("--max-outcomes"), "{err}");
    }
    // Within the limit the same issue is analysed, quickly.
    let path = write(dir.path(), "wide.toml", &integer_scenario("0", "1000000"));
    let out = clean(&["analyze", "--json", &path], 20);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["outcomes"], 1_000_001);
}

#[test]
fn issue_16_max_outcomes_takes_scientific_notation() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "w.toml", &integer_scenario("0", "99"));
    let out = detente(&["analyze", "--max-outcomes", "1e2", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = detente(&["analyze", "--max-outcomes", "5e1", "--method", "enumerate", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("100 outcomes, more than the limit of 50"), "{}", stderr(&out));
    let out = detente(&["negotiate", "--max-outcomes", "1.5", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a whole number of outcomes"), "{}", stderr(&out));
}

#[test]
fn issue_16_counts_beyond_u128_are_exact() {
    let Some(dir) = shared("genius/anac/y2014/50issues") else { return };
    let path = dir.display().to_string();
    let out = clean(&["analyze", &path], 20);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("1.000e40 outcomes"), "{err}");
    assert!(!err.contains(&u128::MAX.to_string()), "{err}");
    let shown = stdout(&detente(&["show", &path]));
    assert!(shown.contains("1.000e40 outcomes"), "{shown}");
    let doc: serde_json::Value = serde_json::from_slice(&detente(&["show", "--json", &path]).stdout).unwrap();
    assert_eq!(doc["outcome_count"], format!("1{}", "0".repeat(40)));
}

#[test]
fn issue_16_plots_follow_their_extension() {
    let dir = tempfile::tempdir().unwrap();
    let kuril = repo().join("scenarios/kuril-2019.toml").display().to_string();
    let png = dir.path().join("x.png");
    let out = detente(&["negotiate", &kuril, "--plot", &png.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"), "negotiate --plot x.png is not PNG");
    let t = dir.path().join("t.png");
    let out = detente(&[
        "tournament",
        &kuril,
        "--strategies",
        "boulware,linear",
        "--out",
        &dir.path().join("t").display().to_string(),
        "--plot",
        &t.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&t).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"), "tournament --plot t.png is not PNG");
    for command in ["analyze", "negotiate", "forecast"] {
        let pdf = dir.path().join("a.pdf");
        let out = detente(&[command, &kuril, "--plot", &pdf.display().to_string()]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(stderr(&out).contains("cannot draw a .pdf file"), "{command}: {}", stderr(&out));
        assert!(!pdf.exists(), "{command} wrote a.pdf");
    }
}
