//! Ctrl-C on the long commands: the run stops at the engine's next check,
//! says so in one line, exits with 130 and leaves no partial output; an
//! interrupted tournament keeps its finished negotiations and `--resume`
//! completes it. Unix only: the tests send SIGINT with `kill -INT`.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .env("RAYON_NUM_THREADS", "1")
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run detente")
}

/// Waits until `child` catches SIGINT (its Ctrl-C handler is installed), so
/// the signal is not the default one that kills it. Reads the caught-signal
/// mask on Linux; elsewhere gives it a second.
fn wait_for_handler(child: &Child) {
    let status = PathBuf::from(format!("/proc/{}/status", child.id()));
    if !status.exists() {
        std::thread::sleep(Duration::from_secs(1));
        return;
    }
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        let caught = std::fs::read_to_string(&status)
            .ok()
            .and_then(|s| s.lines().find_map(|l| l.strip_prefix("SigCgt:").map(|m| m.trim().to_string())))
            .and_then(|m| u64::from_str_radix(&m, 16).ok())
            .unwrap_or(0);
        if caught & (1 << (2 - 1)) != 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("detente never installed its Ctrl-C handler");
}

fn interrupt(child: Child) -> Output {
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    child.wait_with_output().expect("wait for detente")
}

fn lines(path: &Path) -> usize {
    std::fs::read(path).map(|b| b.iter().filter(|&&c| c == b'\n').count()).unwrap_or(0)
}

#[test]
fn ctrl_c_stops_a_robustness_study_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join("r.svg");
    let samples = dir.path().join("r.csv");
    // The largest study there is: it runs for many minutes unless stopped.
    let child = spawn(&[
        "robustness",
        "scenarios/kuril-2019.toml",
        "--samples",
        "65536",
        "--plot",
        plot.to_str().unwrap(),
        "--dump-samples",
        samples.to_str().unwrap(),
    ]);
    wait_for_handler(&child);
    let out = interrupt(child);
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "interrupted: nothing was written\n");
    assert!(out.stdout.is_empty());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "no file, not even a temporary one: {left:?}");
}

#[test]
fn ctrl_c_keeps_a_tournaments_records_and_resume_finishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("t");
    let args = [
        "tournament",
        "scenarios/kuril-2019.toml",
        "scenarios/kuril-2019-untethered.toml",
        "--strategies",
        "random,boulware,frequency,tit-for-tat:mode=absolute",
        "--reps",
        "40",
        "--rounds",
        "400",
        "--seed",
        "11",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    // 1,280 negotiations: a second or more on one thread even in release,
    // so the signal lands mid-run.
    let total = 2 * 16 * 40;
    let child = spawn(&args);
    // Interrupt once the first negotiation is on disk, with hundreds to go.
    let results = out_dir.join("negotiations.jsonl");
    let start = Instant::now();
    while lines(&results) < 1 && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(2));
    }
    let out = interrupt(child);
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    let kept = lines(&results);
    assert!(kept >= 1 && kept < total, "stopped mid-run: {kept} of {total}");
    assert_eq!(
        text(&out.stderr),
        format!("interrupted: {kept} records kept in {}; run again with --resume to finish\n", out_dir.display())
    );
    assert!(!out_dir.join("summary.txt").exists(), "an interrupted tournament has no summary");

    let mut resume: Vec<&str> = args.to_vec();
    resume.push("--resume");
    let resumed = Command::new(env!("CARGO_BIN_EXE_detente")).args(&resume).current_dir(repo()).output().unwrap();
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    assert_eq!(lines(&results), total);
    assert!(text(&resumed.stdout).contains("seats"), "{}", text(&resumed.stdout));
}
