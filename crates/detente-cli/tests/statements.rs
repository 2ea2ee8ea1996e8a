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

fn kuril() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/kuril-2019.toml").display().to_string()
}

/// The January 2019 sequence of the case study (docs/case-studies/kuril.md,
/// "What was said in January"): Tokyo's perceived deal space closes with
/// the first assurance, the real gap widens with Moscow's re-analysis, and
/// after Lavrov's condition the cheapest opening is Moscow's own.
#[test]
fn kuril_january_replay() {
    let (text, err, code) = detente(&[
        "analyze",
        &kuril(),
        "--timeline",
        "--say",
        "no-compensation@0",
        "--say",
        "no-resettlement@0",
        "--say",
        "sovereignty-first@0",
        "--json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let t = doc["timeline"].as_array().unwrap();
    let said: Vec<&serde_json::Value> = t.iter().map(|p| &p["statements"]).collect();
    assert_eq!(
        said[..4],
        [
            &serde_json::json!([]),
            &serde_json::json!(["no-compensation"]),
            &serde_json::json!(["no-resettlement"]),
            &serde_json::json!(["sovereignty-first"])
        ]
    );
    let japan: Vec<u64> = t[..4].iter().map(|p| p["perceived"]["japan"].as_u64().unwrap()).collect();
    assert_eq!(japan, [244, 0, 0, 0]);
    assert!(t.iter().all(|p| p["deal_exists"] == false && p["perceived"]["russia"] == 0));
    let smallest: Vec<&str> = t[..4].iter().map(|p| p["smallest_change"]["summary"].as_str().unwrap()).collect();
    assert!(smallest[0].contains("Government of Japan (Abe) accepts a deal worth 0.520"), "{}", smallest[0]);
    assert!(smallest[2].contains("Government of Japan (Abe) accepts a deal worth 0.488"), "{}", smallest[2]);
    assert!(smallest[3].contains("Government of Russia (Putin) accepts a deal worth 0.150"), "{}", smallest[3]);
    // The signal is on record but already in the file: making it changes nothing.
    let (plain, _, _) = detente(&["analyze", &kuril(), "--json"]);
    let (signal, _, _) = detente(&["analyze", &kuril(), "--json", "--timeline", "--say", "cardinal-solutions@0"]);
    let (plain, signal): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(&plain).unwrap(), serde_json::from_str(&signal).unwrap());
    assert_eq!(signal["timeline"][1]["perceived"], serde_json::json!({ "japan": 244, "russia": 0 }));
    assert_eq!(plain["agreement_set_size"], signal["timeline"][1]["agreement_set_size"]);
}

/// A strategy that speaks (`speak=all`) ties its own hands in a
/// tournament: the line that says "low or nothing" in public never
/// concedes to mid, so its pairings as the line fail. Deterministic: a
/// second run gives the same records.
#[test]
fn strategies_that_speak_play_tournaments() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture()).unwrap();
    let file = dir.path().join("harbour.toml");
    std::fs::write(&file, text.split("[[events]]").next().unwrap()).unwrap();
    let run = |out: &str| {
        let out = dir.path().join(out);
        let (_, err, code) = detente(&[
            "tournament",
            file.to_str().unwrap(),
            "--strategies",
            "linear,linear:speak=all",
            "--rounds",
            "10",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, Some(0), "{err}");
        std::fs::read_to_string(out.join("negotiations.jsonl")).unwrap()
    };
    let records = run("a");
    assert_eq!(records, run("b"));
    let rows: Vec<serde_json::Value> = records.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let speaks = |r: &serde_json::Value, slot: usize| r["strategies"][slot].as_str().unwrap().ends_with("speak=all");
    for r in &rows {
        // The line (slot 0) that committed never agrees; otherwise mid,
        // labelled, with the utilities keyed by actor.
        assert_eq!(r["agreement"], !speaks(r, 0), "{r}");
        if !speaks(r, 0) {
            assert_eq!(r["outcome_values"], serde_json::json!({ "price": "mid" }), "{r}");
            assert_eq!(r["utilities_by_actor"], serde_json::json!({ "line": 0.6, "port": 0.6 }), "{r}");
        }
    }
    // Tables name strategies by alias.
    let summary = std::fs::read_to_string(dir.path().join("a").join("summary.txt")).unwrap();
    assert!(summary.contains("linear:speak=all "), "{summary}");
    assert!(!summary.contains("accept…"), "{summary}");
}

/// `--trace offers` keeps offers, statements and reactions but no answers;
/// `--trace none` keeps nothing; `--compact` prints one line. The result
/// is the same whatever the trace.
#[test]
fn the_trace_can_be_trimmed_and_compacted() {
    let run = |extra: &[&str]| {
        let mut args =
            vec!["negotiate", "--json", "--strategy", "linear", "--rounds", "10", "--say", "low-or-nothing@0"];
        args.extend(extra);
        let f = fixture();
        args.push(&f);
        let (out, err, code) = detente(&args);
        assert_eq!(code, Some(0), "{err}");
        out
    };
    let full: serde_json::Value = serde_json::from_str(&run(&[])).unwrap();
    let offers_text = run(&["--trace", "offers", "--compact"]);
    assert_eq!(offers_text.trim_end().lines().count(), 1);
    let offers: serde_json::Value = serde_json::from_str(&offers_text).unwrap();
    let none: serde_json::Value = serde_json::from_str(&run(&["--trace", "none"])).unwrap();
    let actions = |d: &serde_json::Value| -> Vec<String> {
        d["trace"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
    };
    assert!(actions(&full).iter().any(|a| a == "reject"));
    let kept: Vec<String> = actions(&full).into_iter().filter(|a| a != "reject" && a != "accept").collect();
    assert_eq!(actions(&offers), kept);
    assert!(actions(&offers).contains(&"statement".to_string()));
    assert!(actions(&none).is_empty());
    assert_eq!(full["result"], none["result"]);
    assert_eq!(full["result"], offers["result"]);
    let (_, err, code) = detente(&["negotiate", "--trace", "none", &fixture()]);
    assert_eq!(code, Some(2), "--trace needs --json: {err}");
}
