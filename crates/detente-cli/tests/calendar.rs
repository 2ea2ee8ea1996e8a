//! `detente analyze --timeline` and `detente negotiate` on the hand-worked
//! election example of docs/analysis.md ("Events and deadlines"), and the
//! format's errors for events, as a user meets them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn detente(args: &[&str]) -> Output {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo).output().expect("run detente")
}

const ELECTION: &str = "crates/detente/tests/fixtures/election.toml";

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_timeline_in_words() {
    let text = ok(&detente(&["analyze", ELECTION, "--timeline"]));
    assert!(
        text.contains("Over time: no agreement before the upper-house election; after it, 1 outcome is acceptable to all; the talks end at the autumn summit, when russia walks away."),
        "{text}"
    );
    assert!(text.contains("  Until the upper-house election (2019-07-21, round 12): no deal;"), "{text}");
    assert!(
        text.contains("  From the upper-house election (2019-07-21, round 12) on [japan_public.reservation = 0.4]: a deal exists: 1 outcome acceptable to all; Nash bargaining solution: treaty → yes, islands → two."),
        "{text}"
    );
    assert!(
        text.contains("  At the autumn summit (round 20): russia walks away (deadline); the talks are over."),
        "{text}"
    );
    // Without --timeline the analysis is of the file as written.
    assert!(!ok(&detente(&["analyze", ELECTION])).contains("Over time"));
}

#[test]
fn the_timeline_as_json() {
    let out = ok(&detente(&["analyze", ELECTION, "--timeline", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let t = doc["timeline"].as_array().unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!((t[0]["event"].is_null(), t[0]["deal_exists"].as_bool()), (true, Some(false)));
    assert_eq!(t[1]["event"], "election");
    assert_eq!((t[1]["date"].as_str(), t[1]["round"].as_u64()), (Some("2019-07-21"), Some(12)));
    assert_eq!(t[1]["changes"][0], "japan_public.reservation = 0.4");
    assert_eq!((t[1]["deal_exists"].as_bool(), t[1]["agreement_set_size"].as_u64()), (Some(true), Some(1)));
    assert_eq!(t[1]["nash"]["outcome"]["islands"], "two");
    assert_eq!(t[2]["walk_away"][0], "russia");
    assert!(t[2]["deal_exists"].is_null());
}

#[test]
fn talks_show_the_calendar_and_the_deadline() {
    let text = ok(&detente(&["negotiate", ELECTION, "--strategy", "hardliner", "--rounds", "30"]));
    assert!(text.contains("Calendar:\n  round 12: the upper-house election — japan_public.reservation = 0.4\n  round 20: the autumn summit — russia's deadline: it walks away then\n"), "{text}");
    assert!(
        text.contains("No agreement: russia walked away in round 20 at its deadline, the autumn summit."),
        "{text}"
    );
    // Conceders agree before the election, and the public rejects it.
    let text = ok(&detente(&["negotiate", ELECTION, "--strategy", "conceder", "--rounds", "30"]));
    assert!(text.contains("It does not stand:\n  japan_public must ratify it and rejects it"), "{text}");
    let out = ok(&detente(&["negotiate", ELECTION, "--strategy", "hardliner", "--rounds", "30", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["calendar"][1]["deadline_of"][0], "russia");
    assert_eq!(doc["result"]["walked_out"], "russia");
}

#[test]
fn a_misplaced_event_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(ELECTION)).unwrap();
    let bad = text.replace("round = 20", "round = 3");
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, bad).unwrap();
    let out = detente(&["check", "--format", "short", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:50:1: error[scenario::event]: event `summit` happens at round 3, before `election` (round 12), but is listed after it"), "{err}");
}

#[test]
fn a_genius_export_says_the_calendar_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("g");
    let out = detente(&["convert", ELECTION, "--to", "genius", "-o", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "note: 2 events and the parties' deadlines not written (GENIUS has one deadline for the whole session)"
        ),
        "{err}"
    );
}

#[test]
fn show_lists_the_events() {
    let text = ok(&detente(&["show", ELECTION]));
    assert!(text.contains("Events (round 0 begins 2019-01-22, 14 days a round)"), "{text}");
    assert!(text.contains("the autumn summit"), "{text}");
}
