//! `detente report` and `detente analyze --plot` as a user runs them: the
//! files they write (and nothing else), formats chosen by name or flag,
//! exit codes, and the Kuril pictures committed under
//! docs/case-studies/kuril/ matching what `scripts/kuril-report.sh` makes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn detente(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(dir).output().unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn kuril(name: &str) -> String {
    repo().join("scenarios").join(name).display().to_string()
}

#[test]
fn html_report_is_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = detente(&["report", &kuril("kuril-2019.toml"), "-o", "k.html"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(files(dir.path()), vec!["k.html"]);
    let html = std::fs::read_to_string(dir.path().join("k.html")).unwrap();
    assert!(html.contains("<svg ") && html.contains("No agreement exists"));
    assert!(
        html.contains(">How firm the verdict is</h2>") && html.contains("flips the verdict at"),
        "robustness section"
    );
    // Rewriting replaces the file in place.
    let again = detente(&["report", &kuril("kuril-2019-untethered.toml"), "-o", "k.html"], dir.path());
    assert!(again.status.success());
    assert_eq!(files(dir.path()), vec!["k.html"]);
    assert!(std::fs::read_to_string(dir.path().join("k.html"))
        .unwrap()
        .contains("<strong>A deal exists:</strong> 18 outcomes are allowed by every constraint"));
}

#[test]
fn markdown_report_has_its_figures_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = detente(&["report", &kuril("kuril-2019.toml"), "-o", "k.md"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let figures = [
        "k-forecast-distribution.svg",
        "k-forecast-tornado.svg",
        "k-forecast-trajectories.svg",
        "k-talks.svg",
        "k-utility-plane.svg",
    ];
    let mut expected: Vec<&str> = figures.to_vec();
    expected.push("k.md");
    assert_eq!(files(dir.path()), expected);
    let md = std::fs::read_to_string(dir.path().join("k.md")).unwrap();
    for figure in figures {
        assert!(md.contains(&format!("]({figure})")), "{figure}");
    }
    // --format wins over the name.
    let out = detente(&["report", &kuril("kuril-2019.toml"), "-o", "report.txt", "--format", "md"], dir.path());
    assert!(out.status.success());
    assert!(dir.path().join("report-utility-plane.svg").is_file());
    assert!(std::fs::read_to_string(dir.path().join("report.txt")).unwrap().starts_with("# Kuril"));
}

#[test]
fn what_if_edits_reach_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "report",
        &kuril("kuril-2019.toml"),
        "-o",
        "w.html",
        "--drop",
        "treaty-settles-territory",
        "--drop",
        "bases-clarity",
    ];
    let out = detente(&args, dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(dir.path().join("w.html")).unwrap();
    assert!(
        html.contains("<strong>A deal exists:</strong> 18 outcomes are allowed by every constraint"),
        "dropping both constraints of change 3 opens 18 outcomes"
    );
}

/// A table's per-issue power weighs the report's forecasts as it weighs
/// `detente forecast`'s (a: power 3 on `t`, 1 on `q`; b the other way
/// round: the compromise is 25 and 75, not the 50 of equal mean powers);
/// `--set a.capability=1` replaces a's per-issue power, not b's.
#[test]
fn a_tables_per_issue_power_reaches_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let table = "actor,issue,position,salience,capability\na,t,0,1,3\na,q,0,1,1\nb,t,100,1,1\nb,q,100,1,3\n";
    std::fs::write(dir.path().join("power.csv"), table).unwrap();
    let compromise = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["report", "power.csv", "-o", "r.md"];
        args.extend(extra);
        let out = detente(&args, dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
        let header = md.lines().position(|l| l.starts_with("| issue | compromise |")).expect("forecasts table");
        md.lines().skip(header + 2).take(2).map(|l| l.split('|').nth(2).unwrap().trim().to_string()).collect()
    };
    assert_eq!(compromise(&[]), ["25", "75"]);
    let forecast = detente(&["forecast", "power.csv", "--model", "compromise", "--json"], dir.path());
    let doc: serde_json::Value = serde_json::from_slice(&forecast.stdout).unwrap();
    let values: Vec<f64> = (0..2).map(|i| doc["issues"][i]["forecasts"][0]["forecast"].as_f64().unwrap()).collect();
    assert_eq!(values, [25.0, 75.0]);
    assert_eq!(compromise(&["--set", "a.capability=1"]), ["50", "75"]);
}

#[test]
fn plot_writes_an_svg_beside_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = detente(&["analyze", &kuril("kuril-2019-untethered.toml"), "--plot", "plane.svg"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Agreement set: 18 outcomes"));
    assert_eq!(files(dir.path()), vec!["plane.svg"]);
    let svg = std::fs::read_to_string(dir.path().join("plane.svg")).unwrap();
    assert!(svg.starts_with("<svg ") && svg.contains(r#"xmlns="http://www.w3.org/2000/svg""#));
    assert!(svg.contains(">\nNash\n</text>"));
}

#[test]
fn invalid_input_and_unwritable_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "format = 1\nname = \"x\"\n[[issues]]\nid = \"i\"\n").unwrap();
    let out = detente(&["report", "bad.toml", "-o", "r.html"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(files(dir.path()), vec!["bad.toml"]);
    let out = detente(&["report", &kuril("kuril-2019.toml"), "-o", "missing/r.html"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the folder missing does not exist; create it first"));
}

/// An output that names a named pipe (as `/dev/null` or `/dev/stdout` name
/// devices) is written into, not replaced by a regular file: renaming over
/// `/dev/null` as root once left every later program reading junk from it.
#[cfg(unix)]
#[test]
fn an_output_that_is_a_pipe_or_a_link_stays_what_it_is() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = detente(&["report", &kuril("kuril-2019.toml"), "--format", "md", "-o", "pipe"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Checked before joining: had the pipe been replaced, the reader would
    // wait for a writer forever.
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    let read = reader.join().unwrap();
    assert!(read.starts_with("# "), "the report went through the pipe: {read:.80}");

    // A link to a file: the file gets the output, the link stays a link.
    std::fs::write(dir.path().join("target.efg"), "old").unwrap();
    std::os::unix::fs::symlink("target.efg", dir.path().join("link.efg")).unwrap();
    let out = detente(&["export-game", &kuril("kuril-2019.toml"), "--rounds", "1", "-o", "link.efg"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::symlink_metadata(dir.path().join("link.efg")).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(dir.path().join("target.efg")).unwrap().starts_with("EFG 2 R"));
}

/// The committed case-study files are what the script makes today.
#[test]
fn kuril_pictures_are_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let committed = repo().join("docs/case-studies/kuril");
    for name in ["kuril-2019", "kuril-2019-untethered"] {
        for ext in ["html", "md"] {
            let out = detente(&["report", &kuril(&format!("{name}.toml")), "-o", &format!("{name}.{ext}")], dir.path());
            assert!(out.status.success());
        }
    }
    for file in files(dir.path()) {
        let fresh = std::fs::read_to_string(dir.path().join(&file)).unwrap();
        let old = std::fs::read_to_string(committed.join(&file)).unwrap_or_default();
        assert!(fresh == old, "docs/case-studies/kuril/{file} is out of date: run `bash scripts/kuril-report.sh`");
    }
    assert_eq!(files(dir.path()), files(&committed), "docs/case-studies/kuril/ holds other files");
}
