//! `detente analyze` on staged agreements: declared plans and
//! `--sequences`, on the hand-worked example of docs/analysis.md
//! ("Staged agreements") and, read-only, on the Kuril scenario.

use std::path::PathBuf;
use std::process::{Command, Output};

fn detente(args: &[&str]) -> Output {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo).output().expect("run detente")
}

/// Treaty, islands, aid; a duma that vetoes the islands and hates the
/// treaty. All at once there is no deal; treaty first opens one.
const STAGED: &str = r#"format = 1
name = "Treaty first"

[status_quo]
treaty = "no"
islands = "no"
aid = "no"

[[issues]]
id = "treaty"
options = ["no", "yes"]

[[issues]]
id = "islands"
options = ["no", "yes"]

[[issues]]
id = "aid"
options = ["no", "yes"]

[[actors]]
id = "japan"
reservation = 0.55
stances.treaty = { position = "yes", salience = 0.3 }
stances.islands = { position = "yes", salience = 0.5 }
stances.aid = { position = "no", salience = 0.2 }

[[actors]]
id = "russia"
reservation = "status-quo"
stances.treaty = { position = "yes", salience = 0.4 }
stances.islands = { position = "no", salience = 0.2 }
stances.aid = { position = "yes", salience = 0.4 }

[[actors]]
id = "duma"
role = "other"
reservation = "status-quo"
vetoes = ["islands"]
stances.treaty = { position = "no", salience = 1.0 }

[[plans]]
name = "treaty-first"
phases = [["treaty"], ["islands", "aid"]]

[[plans]]
name = "islands-first"
phases = [["islands", "aid"], ["treaty"]]
"#;

fn staged_file() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("staged.toml");
    std::fs::write(&path, STAGED).unwrap();
    let name = path.display().to_string();
    (dir, name)
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn declared_plans_in_words() {
    let (_dir, file) = staged_file();
    let text = ok(&detente(&["analyze", &file]));
    assert!(text.contains("treaty-first: treaty, then islands, aid\n    phase 1: treaty = yes (1 acceptable settlement)\n    phase 2: islands = yes, aid = yes (1 acceptable settlement)"), "{text}");
    assert!(text.contains("expected utility: japan 0.800, russia 0.800"), "{text}");
    assert!(text.contains("opens a deal from a commitment of 0.166667"), "{text}");
    assert!(
        text.contains("islands-first: islands, aid, then treaty\n    No staged deal: phase 1 (islands, aid)"),
        "{text}"
    );
    // Japan needing 0.68: the treaty-first plan needs a commitment above 0.6.
    let text = ok(&detente(&["analyze", &file, "--set", "japan.reservation=0.68"]));
    assert!(text.contains("opens a deal from a commitment of 0.6 "), "{text}");
}

#[test]
fn sequences_as_json() {
    let (_dir, file) = staged_file();
    let out = ok(&detente(&["analyze", &file, "--sequences", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["deal_exists"], false);
    assert_eq!(doc["plans"][0]["deal"], true);
    assert_eq!(doc["plans"][0]["path"][1]["agreed"]["islands"], "yes");
    assert_eq!(doc["plans"][1]["deal"], false);
    assert!(doc["plans"][1]["path"][0]["agreed"].is_null());
    let q = &doc["sequences"];
    assert_eq!((q["tried"].as_u64(), q["all_at_once"].as_bool()), (Some(12), Some(false)));
    assert_eq!(q["opening"][0]["name"], "treaty | islands, aid");
    assert_eq!(q["opening"][0]["phases"], serde_json::json!([["treaty"], ["islands", "aid"]]));
    assert!((q["opening"][0]["min_commitment"].as_f64().unwrap() - 1.0 / 6.0).abs() < 1e-6);
    assert!(q["reason"].is_null());
}

#[test]
fn kuril_sequences_state_why_none_opens_a_deal() {
    let out = ok(&detente(&["analyze", "scenarios/kuril-2019.toml", "--sequences"]));
    // The file is being revised elsewhere: when it has no veto holder (as
    // on 2026-12-06: 602 orderings of 6 units), the reason is stated.
    assert!(out.contains("Sequencing: "), "{out}");
    assert!(out.contains("No plan opens a deal: ") || out.contains("best first"), "{out}");
    let err = detente(&["analyze", "scenarios/kuril-2019.toml", "--max-phases", "2"]);
    assert_eq!(err.status.code(), Some(2));
}
