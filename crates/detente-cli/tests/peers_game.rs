//! Cross-check of `detente export-game` against pygambit (`docs/games.md`,
//! "Cross-check with Gambit").
//!
//! detente writes each staged game as `.efg` and prints its own
//! subgame-perfect payoffs and path (`--json`); `benches/gambit_game_peer.py`
//! reads the file with pygambit, solves it by backward induction over
//! pygambit's parsed tree and checks with pygambit 17's profile evaluation
//! (`history_values`) that the resulting pure profile leaves no mover a
//! gain from a one-shot deviation at any node, reached or not (subgame
//! perfect, hence a Nash equilibrium), and that pygambit's own
//! `agent_max_regret` (reached information sets) is 0. Payoffs must agree
//! within 1e-9.
//!
//! Runs when `DETENTE_PEER_PYTHON` names an interpreter with pygambit
//! (`bash scripts/peers.sh`); in CI a missing one is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{python, repo};

/// Runs `detente export-game FILE ARGS --json -o OUT`: the JSON document,
/// or the error text when detente refuses the game.
fn export(file: &Path, args: &[&str], out: &Path) -> Result<Value, String> {
    let output = Command::new(env!("CARGO_BIN_EXE_detente"))
        .arg("export-game")
        .arg(file)
        .args(args)
        .args(["--json", "-o"])
        .arg(out)
        .output()
        .expect("run detente");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&output.stdout).expect("detente prints JSON"))
}

/// Runs the peer on `files`: one JSON document per file, in order.
fn peer(py: &Path, files: &[PathBuf]) -> Vec<Value> {
    let script = repo().join("benches/gambit_game_peer.py");
    let out = Command::new(py).arg(&script).args(files).output().expect("run the pygambit peer");
    assert!(out.status.success(), "pygambit peer failed: {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), files.len());
    lines
}

/// Every disagreement between detente's document and the peer's, in words.
fn compare(name: &str, ours: &Value, theirs: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    if ours["nodes"] != theirs["nodes"] {
        bad.push(format!("{name}: {} nodes, pygambit read {}", ours["nodes"], theirs["nodes"]));
    }
    for (player, u) in ours["payoffs"].as_object().unwrap() {
        let u = u.as_f64().unwrap();
        for key in ["payoffs", "profile_payoffs"] {
            let v = theirs[key][player].as_f64().unwrap_or(f64::NAN);
            if (u - v).abs() > 1e-9 || v.is_nan() {
                bad.push(format!("{name}: {player} gets {u} by detente, {v} by the peer ({key})"));
            }
        }
    }
    for key in ["subgame_regret", "agent_max_regret"] {
        let r = theirs[key].as_f64().unwrap_or(f64::NAN);
        if r.abs() > 1e-9 || r.is_nan() {
            bad.push(format!("{name}: {key} {r}"));
        }
    }
    // The same equilibrium path: detente's moves against the peer's action
    // labels (a chance node's first action is "honoured").
    let ours_path: Vec<String> = ours["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| if m["move"] == "chance" { "honoured".into() } else { m["action"].as_str().unwrap().to_string() })
        .collect();
    let theirs_path: Vec<String> =
        theirs["path"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect();
    if ours_path != theirs_path {
        bad.push(format!("{name}: path {ours_path:?}, pygambit {theirs_path:?}"));
    }
    bad
}

/// A small random staged scenario: two or three parties (sometimes a
/// ratifier of the first, sometimes a veto holder), two to four issues of
/// two or three options valued by random three-digit tables (generic:
/// ties are rare), random reservations, and a two-phase plan with a random
/// split and commitment.
fn random_scenario(seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0x6A09_E667_F3BC_C909);
    let mut next = move |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let n_issues = 2 + next(3) as usize;
    let sizes: Vec<u64> = (0..n_issues).map(|_| 2 + next(2)).collect();
    let mut text = String::from("format = 1\nname = \"random\"\n[status_quo]\n");
    for (i, &n) in sizes.iter().enumerate() {
        text += &format!("x{i} = \"o{}\"\n", next(n));
    }
    for (i, &n) in sizes.iter().enumerate() {
        let options: Vec<String> = (0..n).map(|k| format!("\"o{k}\"")).collect();
        text += &format!("[[issues]]\nid = \"x{i}\"\noptions = [{}]\n", options.join(", "));
    }
    let n_parties = 2 + next(2) as usize;
    let ratifier = next(3) == 0;
    let veto = next(4) == 0;
    let mut actors: Vec<(String, &str)> = (0..n_parties).map(|k| (format!("p{k}"), "party")).collect();
    if ratifier {
        actors.push(("r".into(), "ratifier"));
    }
    if veto {
        actors.push(("v".into(), "third-party"));
    }
    for (k, (id, role)) in actors.iter().enumerate() {
        let reservation = if next(2) == 0 { "\"status-quo\"".to_string() } else { format!("0.{:03}", 50 + next(400)) };
        text += &format!("[[actors]]\nid = \"{id}\"\nrole = \"{role}\"\nreservation = {reservation}\n");
        if k == 0 && ratifier {
            text += "ratifiers = [\"r\"]\n";
        }
        if id == "v" {
            text += &format!("vetoes = [\"x{}\"]\n", next(n_issues as u64));
        }
        for (i, &n) in sizes.iter().enumerate() {
            let values: Vec<String> = (0..n).map(|o| format!("o{o} = 0.{:03}", next(1000))).collect();
            text += &format!(
                "stances.x{i} = {{ values = {{ {} }}, salience = 0.{:03} }}\n",
                values.join(", "),
                100 + next(900)
            );
        }
    }
    let cut = 1 + next(n_issues as u64 - 1) as usize;
    let mut order: Vec<usize> = (0..n_issues).collect();
    for i in (1..n_issues).rev() {
        order.swap(i, next(i as u64 + 1) as usize);
    }
    let phase = |is: &[usize]| is.iter().map(|i| format!("\"x{i}\"")).collect::<Vec<_>>().join(", ");
    text += &format!(
        "[[plans]]\nname = \"p\"\nphases = [[{}], [{}]]\ncommitment = 0.{:02}\n",
        phase(&order[..cut]),
        phase(&order[cut..]),
        1 + next(99)
    );
    text
}

#[test]
fn staged_games_agree_with_pygambit() {
    let Some(py) = python("the pygambit cross-check") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = repo().join("crates/detente/tests/fixtures");
    // (name, scenario file, export-game arguments)
    let mut cases: Vec<(String, PathBuf, Vec<String>)> = Vec::new();
    let staged = fixtures.join("staged-treaty-first.toml");
    let with_commitment = tmp.path().join("staged-0.7.toml");
    let text = std::fs::read_to_string(&staged).unwrap();
    std::fs::write(
        &with_commitment,
        text.replace(
            "phases = [[\"treaty\"], [\"islands\", \"aid\"]]",
            "phases = [[\"treaty\"], [\"islands\", \"aid\"]]\ncommitment = 0.7",
        ),
    )
    .unwrap();
    for rounds in ["1", "2", "3"] {
        for plan in ["treaty-first", "islands-first"] {
            let args = vec!["--plan".into(), plan.into(), "--rounds".into(), rounds.into()];
            cases.push((format!("staged {plan} R={rounds}"), staged.clone(), args.clone()));
            cases.push((format!("staged c=0.7 {plan} R={rounds}"), with_commitment.clone(), args));
        }
    }
    let kuril = fixtures.join("kuril-small.toml");
    for (plan, rounds) in [("treaty-first", "2"), ("islands-first", "2"), ("treaty-first", "1")] {
        let args = vec!["--plan".into(), plan.into(), "--rounds".into(), rounds.into()];
        cases.push((format!("kuril-small {plan} R={rounds}"), kuril.clone(), args));
    }
    let seeds = 60;
    for seed in 0..seeds {
        let file = tmp.path().join(format!("random-{seed}.toml"));
        std::fs::write(&file, random_scenario(seed)).unwrap();
        let rounds = (1 + seed % 2).to_string();
        cases.push((
            format!("random seed {seed}"),
            file,
            vec!["--rounds".into(), rounds, "--max-nodes".into(), "20000".into()],
        ));
    }

    let mut files = Vec::new();
    let mut ours = Vec::new();
    let mut names = Vec::new();
    let mut refused = 0;
    for (k, (name, file, args)) in cases.iter().enumerate() {
        let out = tmp.path().join(format!("{k}.efg"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        match export(file, &args, &out) {
            Ok(doc) => {
                files.push(out);
                ours.push(doc);
                names.push(name.clone());
            }
            // Random games above the node limit are left out (counted).
            Err(e) if name.starts_with("random") && e.contains("nodes, more than the limit") => refused += 1,
            Err(e) => panic!("{name}: detente export-game failed: {e}"),
        }
    }
    assert!(refused <= seeds / 4, "{refused} of {seeds} random games were over the node limit");
    let theirs = peer(&py, &files);
    let failures: Vec<String> = names.iter().zip(&ours).zip(&theirs).flat_map(|((n, o), t)| compare(n, o, t)).collect();
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    // The random cases are varied: some end in an agreement, some do not.
    let random: Vec<&Value> =
        names.iter().zip(&ours).filter(|(n, _)| n.starts_with("random")).map(|(_, o)| o).collect();
    let agreed = random.iter().filter(|o| o["agreed"] == true).count();
    assert!(agreed > 0 && agreed < random.len(), "{agreed} of {} random games end in an agreement", random.len());
    eprintln!(
        "{} games agree with pygambit ({} random, {agreed} of them ending in an agreement, {refused} random over the node limit); largest {} nodes",
        names.len(),
        random.len(),
        ours.iter().map(|o| o["nodes"].as_u64().unwrap()).max().unwrap()
    );
}
