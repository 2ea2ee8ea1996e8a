//! `detente export-game`: the staged game as Gambit `.efg`, detente's own
//! subgame-perfect payoffs, and its errors (docs/games.md), on the
//! hand-worked staged example.

use std::path::PathBuf;
use std::process::{Command, Output};

fn detente(args: &[&str]) -> Output {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo).output().expect("run detente")
}

const STAGED: &str = "crates/detente/tests/fixtures/staged-treaty-first.toml";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn writes_the_game_and_prints_the_equilibrium() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("game.efg");
    let out = detente(&["export-game", STAGED, "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let efg = std::fs::read_to_string(&file).unwrap();
    assert!(
        efg.starts_with(
            "EFG 2 R \"Treaty first: plan treaty-first, 2 round(s) per phase\" { \"japan\" \"russia\" \"duma\" }\n"
        ),
        "{efg}"
    );
    // 703 nodes, one line each, after the two header lines and a blank.
    assert_eq!(efg.lines().count(), 3 + 703);
    let text = stderr(&out);
    assert!(text.contains("plan `treaty-first`, 2 rounds per phase: 703 nodes"), "{text}");
    assert!(
        text.contains("  japan                0.8\n  russia               0.8\n  duma                 0\n"),
        "{text}"
    );
    assert!(text.contains("phase 1 round 2: russia proposes treaty=yes"), "{text}");
    assert!(text.contains("ends at: treaty → yes, islands → yes, aid → yes"), "{text}");
    // Standard output by default, the same text.
    let out = detente(&["export-game", STAGED]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), efg);
    // JSON beside a file; the other plan and one round.
    let out = detente(&[
        "export-game",
        STAGED,
        "--plan",
        "islands-first",
        "--rounds",
        "1",
        "--json",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "detente.game/1");
    assert_eq!(doc["plan"], "islands-first");
    assert_eq!(doc["rounds"], 1);
    assert_eq!(doc["players"], serde_json::json!(["japan", "russia", "duma"]));
    assert!(doc["payoffs"]["japan"].is_number() && doc["path"][0]["actor"] == "japan", "{doc}");
}

#[test]
fn clear_errors() {
    let out = detente(&["export-game", STAGED, "--plan", "treaty-frist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "no plan is named `treaty-frist`; did you mean `treaty-first`? the plans: treaty-first, islands-first"
        ),
        "{}",
        stderr(&out)
    );
    let out = detente(&["export-game", "crates/detente/tests/fixtures/election.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("declares no plans"), "{}", stderr(&out));
    let out = detente(&["export-game", STAGED, "--max-nodes", "100"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the game tree would have 703 nodes, more than the limit of 100"),
        "{}",
        stderr(&out)
    );
    let out = detente(&["export-game", STAGED, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("-o FILE"), "{}", stderr(&out));
    let out = detente(&["export-game", STAGED, "--rounds", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("0 rounds per phase: use 1 to 64"), "{}", stderr(&out));
    let out = detente(&["export-game", STAGED, "-o", "no/such/folder/game.efg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
}

#[test]
fn the_kuril_treaty_first_game_ends_at_the_status_quo() {
    // docs/case-studies/kuril.md, "Order and time".
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k.efg");
    let out =
        detente(&["export-game", "scenarios/kuril-2019.toml", "--plan", "treaty-first", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("plan `treaty-first`, 2 rounds per phase: 81919 nodes"), "{err}");
    assert!(err.contains("ends at: the status quo (nothing changes)"), "{err}");
}
