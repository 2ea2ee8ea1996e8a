//! Public statements as a user meets them: `show`, `analyze --timeline`,
//! `negotiate --say` and its JSON trace, and the errors (the arithmetic is
//! worked in crates/detente/tests/statements.rs).

use std::path::PathBuf;
use std::process::Command;

fn fixture() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../detente/tests/fixtures/statements.toml").display().to_string()
}

fn detente(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_detente")).args(args).output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into(), out.status.code())
}

#[test]
fn the_timeline_shows_the_statement_and_the_deal_it_removes() {
    let (text, err, code) = detente(&["analyze", "--timeline", &fixture()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("Over time: a deal exists until press-conference, and not after it."), "{text}");
    assert!(
        text.contains("[line says \"We are not asking for a giveaway.\" (assurance: price != 'low'); in reaction, port.reservation = 0.7]: no deal"),
        "{text}"
    );
    let (json, _, _) = detente(&["analyze", "--timeline", "--json", &fixture()]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["timeline"][1]["statements"], serde_json::json!(["no-low-price"]));
    assert_eq!(doc["timeline"][1]["deal_exists"], serde_json::json!(false));
}

#[test]
fn show_lists_the_statements() {
    let (text, err, code) = detente(&["show", &fixture()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("Statements (made by the events that list them, or in simulated talks)"), "{text}");
    assert!(text.contains("low-or-nothing"), "{text}");
}

#[test]
fn a_scripted_commitment_costs_the_deal_and_is_in_the_trace() {
    let base = ["negotiate", "--strategy", "linear", "--rounds", "10"];
    let (text, err, code) = detente(&[&base[..], &[&fixture()]].concat());
    assert_eq!(code, Some(0), "{err}");
    // The press conference at round 3 has already removed the deal; the
    // line's reservation is still 0.5, the port's now 0.7.
    assert!(text.contains("port: 0.700 (0.700); reservation 0.700"), "{text}");
    let (json, err, code) = detente(&[&base[..], &["--say", "low-or-nothing@0", "--json", &fixture()]].concat());
    assert_eq!(code, Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let trace = doc["trace"].as_array().unwrap();
    assert_eq!(trace[0]["action"], "statement");
    assert_eq!(trace[0]["statement"], "low-or-nothing");
    assert_eq!(trace[0]["actor"], "line");
    assert_eq!(trace[0]["audience_cost"], 0.2);
    let reaction = trace.iter().find(|e| e["action"] == "reaction").unwrap();
    assert_eq!(reaction["actor"], "port");
    assert_eq!(reaction["round"], 3);
    assert_eq!(reaction["change"], "port.reservation = 0.7");
    // Committed, the line never offers mid.
    assert!(trace.iter().all(|e| !(e["action"] == "offer" && e["actor"] == "line" && e["outcome"]["price"] == "mid")));
    assert_eq!(doc["result"]["ending"], "deadline");
}

#[test]
fn bad_scripts_are_explained() {
    let (_, err, code) = detente(&["negotiate", "--say", "lo-or-nothing@0", &fixture()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("did you mean `low-or-nothing`?"), "{err}");
    let (_, err, _) = detente(&["negotiate", "--say", "no-low-price@1", &fixture()]);
    assert!(err.contains("already made by event `press-conference`"), "{err}");
    let (_, err, _) = detente(&["negotiate", "--say", "low-or-nothing", &fixture()]);
    assert!(err.contains("ID@ROUND"), "{err}");
}
