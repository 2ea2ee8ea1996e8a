//! `detente analyze`, `show` and `report` on uncertain types and pressure,
//! as a user runs them (the arithmetic is worked in
//! crates/detente/tests/types.rs).

use std::path::PathBuf;
use std::process::Command;

fn fixture() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../detente/tests/fixtures/types.toml").display().to_string()
}

fn detente(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_detente")).args(args).output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into(), out.status.code())
}

#[test]
fn analyze_reports_profiles_the_robust_set_and_each_holders_view() {
    let (text, err, code) = detente(&["analyze", &fixture()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("Uncertain types: japan (bound 60%, free 40%)."), "{text}");
    assert!(text.contains("If japan:bound (probability 60%): no deal."), "{text}");
    assert!(text.contains("If japan:free (probability 40%): 1 outcome in the agreement set."), "{text}");
    assert!(text.contains("none is accepted whatever the types are"), "{text}");
    assert!(text.contains("40% — islands = two, bases = barred"), "{text}");
    assert!(text.contains("As russia sees it (japan:bound 25%, japan:free 75%):"), "{text}");
    assert!(text.contains("75% — islands = two, bases = barred"), "{text}");
    assert!(
        text.contains("`secondary-sanctions`: usa makes japan lose 0.3 where bases == 'barred': removes no agreement"),
        "{text}"
    );
}

#[test]
fn analyze_json_carries_types_and_pressures() {
    let (json, err, code) = detente(&["analyze", "--json", &fixture()]);
    assert_eq!(code, Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let t = &doc["types"];
    assert_eq!(t["actors"], serde_json::json!(["japan"]));
    assert_eq!(t["profiles"][0]["types"]["japan"], "bound");
    assert_eq!(t["profiles"][0]["agreements"], 0);
    assert_eq!(t["profiles"][1]["agreements"], 1);
    assert_eq!(t["acceptance"]["robust"], 0);
    assert_eq!(t["acceptance"]["likeliest"][0]["outcome"]["bases"], "barred");
    assert_eq!(t["acceptance"]["likeliest"][0]["probability"], 0.4);
    assert_eq!(t["views"][0]["holder"], "russia");
    assert_eq!(t["views"][0]["probabilities"]["japan:free"], 0.75);
    let p = &doc["pressures"][0];
    assert_eq!(
        (p["pressure"].as_str(), p["cost"].as_f64(), p["removes"].as_u64()),
        (Some("secondary-sanctions"), Some(0.3), Some(0))
    );
    // Raising Washington's capability doubles the scaled cost and removes
    // the deal; the pressure is then what stands in the way.
    let (json, _, _) = detente(&["analyze", "--json", "--set", "usa.capability=2", &fixture()]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["pressures"][0]["removes"], 1);
    assert_eq!(doc["pressures"][0]["examples"][0]["islands"], "two");
}

#[test]
fn show_and_report_name_types_and_pressures() {
    let (text, err, code) = detente(&["show", &fixture()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("Types (each actor is exactly one of its types"), "{text}");
    assert!(text.contains("types: bound 0.25, free 0.75"), "{text}");
    assert!(text.contains("0.6 × relative capability = 0.3"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.md");
    let (_, err, code) = detente(&["report", &fixture(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(out).unwrap();
    assert!(md.contains("## Uncertain types and pressure"), "{md}");
    assert!(md.contains("- As russia sees it (japan:bound 25%, japan:free 75%): 1 outcome is accepted"), "{md}");
}

fn kuril(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).display().to_string()
}

/// docs/case-studies/kuril.md, "Who is Tokyo?": under either reading of
/// Tokyo there is no deal in the main file, and the untethered file's 18
/// outcomes are accepted whatever Tokyo is.
#[test]
fn kuril_types() {
    let (text, err, code) = detente(&["analyze", &kuril("kuril-2019.toml")]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("Uncertain types: japan (bound 50%, leading 50%)."), "{text}");
    assert!(text.contains("If japan:bound (probability 50%): no deal."), "{text}");
    assert!(text.contains("If japan:leading (probability 50%): no deal."), "{text}");
    assert!(text.contains("As russia sees it (japan:bound 30%, japan:leading 70%):"), "{text}");
    let (json, _, _) = detente(&["analyze", "--json", &kuril("kuril-2019-untethered.toml")]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let t = &doc["types"];
    assert_eq!(t["profiles"][0]["agreements"], 18);
    assert_eq!(t["profiles"][1]["agreements"], 18);
    assert_eq!(t["acceptance"]["robust"], 18);
    assert_eq!(t["acceptance"]["possible"], 18);
    assert_eq!(doc["agreement_set_size"], 18);
}

/// docs/case-studies/kuril.md, "Washington's pressure": the fear of
/// secondary sanctions is what keeps Tokyo from the one deal of more of the
/// same cooperation. Japan's own gain from it is 0.2 (table 0.8 → 1.0) ×
/// 0.3 (salience) / 4.5 (its saliences' sum) = 0.0133 of its utility; the
/// pressure takes 0.05 × 0.9 / 1.0 (US capability over Russia's) = 0.045.
/// Below 0.0133 / 0.9 = 0.0148 before scaling the deal is back.
#[test]
fn kuril_us_pressure() {
    let (json, err, code) = detente(&["analyze", "--json", &kuril("kuril-2019.toml")]);
    assert_eq!(code, Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["deal_exists"], false);
    let p = &doc["pressures"];
    assert_eq!(p[0]["pressure"], "secondary-sanctions");
    assert!((p[0]["cost"].as_f64().unwrap() - 0.045).abs() < 1e-12, "{}", p[0]);
    assert_eq!((p[0]["removes"].as_u64(), p[0]["agreements_without"].as_u64()), (Some(1), Some(1)));
    assert_eq!(p[0]["examples"][0]["economic_cooperation"], "expanded");
    assert_eq!(p[0]["examples"][0]["sanctions"], "in-place");
    assert_eq!((p[1]["pressure"].as_str(), p[1]["removes"].as_u64()), (Some("washington-displeasure"), Some(0)));
    let deal = |cost: &str| {
        let set = format!("united_states.pressure.secondary-sanctions={cost}");
        let (json, err, code) = detente(&["analyze", "--json", "--set", &set, &kuril("kuril-2019.toml")]);
        assert_eq!(code, Some(0), "{err}");
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        doc["agreement_set_size"].as_u64().unwrap()
    };
    assert_eq!((deal("0.014"), deal("0.015")), (1, 0));
    // A weaker Washington makes the same cost smaller: 0.05 × 0.25 = 0.0125.
    let (json, _, _) =
        detente(&["analyze", "--json", "--set", "united_states.capability=0.25", &kuril("kuril-2019.toml")]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["agreement_set_size"], 1);
}

/// Types judged under a too-small `--max-outcomes` leave the rest of the
/// analysis standing and say why, in text and JSON.
#[test]
fn a_type_analysis_over_the_limit_is_skipped_with_the_reason() {
    let (text, err, code) = detente(&["analyze", &fixture(), "--max-outcomes", "5"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("A deal exists"), "{text}");
    assert!(
        text.contains("Uncertain types were not analysed: judging 4 outcomes under each of 2 type profiles means 8 judgements, more than --max-outcomes (5)"),
        "{text}"
    );
    let (json, _, _) = detente(&["analyze", "--json", &fixture(), "--max-outcomes", "5"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(doc["types"]["not_analysed"].as_str().unwrap().contains("8 judgements"));
    assert_eq!(doc["pressures"][0]["removes"], 0);
}

/// The case study's talks: a Bayesian Moscow, learning which of the two
/// types Tokyo is from its Boulware offers, ends on `leading`.
#[test]
fn kuril_a_bayesian_moscow_reads_tokyo_as_leading() {
    let (json, err, code) =
        detente(&["negotiate", &kuril("kuril-2019.toml"), "--strategy", "russia=bayesian", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &doc["posterior"][0];
    assert_eq!((first["holder"].as_str(), first["about"].as_str()), (Some("russia"), Some("japan")));
    let last = doc["posterior"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["hypotheses"][0]["name"], "leading", "{last}");
    assert!(last["hypotheses"][0]["probability"].as_f64().unwrap() > 0.95, "{last}");
}
