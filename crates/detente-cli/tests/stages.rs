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
const STAGED: &str = "crates/detente/tests/fixtures/staged-treaty-first.toml";

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn declared_plans_in_words() {
    let text = ok(&detente(&["analyze", STAGED]));
    assert!(text.contains("treaty-first: treaty, then islands, aid\n    phase 1: treaty = yes (1 acceptable settlement)\n    phase 2: islands = yes, aid = yes (1 acceptable settlement)"), "{text}");
    assert!(text.contains("expected utility: japan 0.800, russia 0.800"), "{text}");
    assert!(text.contains("opens a deal from a commitment of 0.166667"), "{text}");
    assert!(
        text.contains("islands-first: islands, aid, then treaty\n    No staged deal: phase 1 (islands, aid)"),
        "{text}"
    );
    // Japan needing 0.68: the treaty-first plan needs a commitment above 0.6.
    let text = ok(&detente(&["analyze", STAGED, "--set", "japan.reservation=0.68"]));
    assert!(text.contains("opens a deal from a commitment of 0.6 "), "{text}");
}

#[test]
fn sequences_as_json() {
    let out = ok(&detente(&["analyze", STAGED, "--sequences", "--json"]));
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
fn kuril_order_and_time() {
    // docs/case-studies/kuril.md, "Order and time": every line quoted there.
    let out = ok(&detente(&["analyze", "scenarios/kuril-2019.toml", "--sequences", "--timeline"]));
    for plan in ["treaty-first", "recognition-first", "islands-first"] {
        let at = out.find(&format!("  {plan}: ")).unwrap_or_else(|| panic!("{plan}: {out}"));
        let block = &out[at..];
        assert!(block.contains("No staged deal: phase 1"), "{plan}: {block}");
        assert!(block.contains("It opens no deal at any commitment, even with every promise kept."), "{plan}: {block}");
    }
    assert!(out.contains("Sequencing: 50 orderings of 4 linked units"), "{out}");
    assert!(out.contains("No plan opens a deal: no actor holds a veto"), "{out}");
    assert!(out.contains("Over time: no deal at any time."), "{out}");
    assert!(out.contains("From the July upper-house election (2019-07-21, round 12) on [constraint `no-empty-settlement` dropped]: no deal; the smallest change that opens one: Government of Japan (Abe) accepts a deal worth 0.520 to it (its reservation is 0.542) (20 outcomes); as japan sees it, 244 outcomes; as russia sees it, none (as before)."), "{out}");
    let err = detente(&["analyze", "scenarios/kuril-2019.toml", "--max-phases", "2"]);
    assert_eq!(err.status.code(), Some(2));
}

#[test]
fn the_untethering_is_a_blocker_of_the_main_file() {
    // The main file's third smallest change (Japan drops its linkage, Russia
    // its demand on US facilities for a treaty) opens the untethered file's
    // deal space: the same outcomes, frontier and solutions.
    let json = |args: &[&str]| -> serde_json::Value { serde_json::from_str(&ok(&detente(args))).unwrap() };
    let main = json(&["analyze", "scenarios/kuril-2019.toml", "--json"]);
    let blocker = main["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["summary"].as_str().unwrap().contains("drops `treaty-settles-territory`"))
        .expect("the untethering among the blockers");
    assert_eq!(blocker["opens_count"], 18);
    let relaxed = json(&[
        "analyze",
        "scenarios/kuril-2019.toml",
        "--json",
        "--drop",
        "bases-clarity",
        "--drop",
        "treaty-settles-territory",
    ]);
    let untethered = json(&["analyze", "scenarios/kuril-2019-untethered.toml", "--json"]);
    for key in ["agreement_set_size", "solutions", "pareto", "best"] {
        assert_eq!(relaxed[key], untethered[key], "{key}");
    }
}
