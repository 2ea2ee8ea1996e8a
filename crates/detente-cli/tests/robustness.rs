//! End-to-end tests of `detente robustness` on the bundled Kuril scenarios:
//! the JSON document, determinism across thread counts and seeds, `--vary`,
//! the plot and the errors.

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn detente_env(args: &[&str], threads: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(repo())
        .output()
        .expect("run detente")
}

fn detente(args: &[&str]) -> Output {
    detente_env(args, "2")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn kuril_json_has_the_promised_fields() {
    let out = detente(&["robustness", "scenarios/kuril-2019.toml", "--json", "--samples", "256"]);
    let doc = json(&out);
    assert_eq!(doc["schema"], "detente.robustness/1");
    assert_eq!(doc["samples"], 256);
    let params = doc["parameters"].as_array().unwrap();
    assert!(params.len() >= 12, "{} judgements", params.len());
    assert_eq!(doc["evaluations"], 256 * (2 * params.len() as u64 + 2));
    for p in params {
        for key in ["param", "low", "high", "s1", "st", "breakpoint"] {
            assert!(p.get(key).is_some(), "{key} missing in {p}");
        }
    }
    let share = doc["deal_share"].as_f64().unwrap();
    let interval = doc["deal_share_interval"].as_array().unwrap();
    assert!(interval[0].as_f64().unwrap() <= share && share <= interval[1].as_f64().unwrap());
    // The file's verdict: no deal. Capabilities enter the agreement set only
    // through the pressures' scaling (Washington's over the largest, which
    // Russia's usually is), and none flips the verdict alone.
    assert_eq!(doc["file_deal"], false);
    for p in params.iter().filter(|p| p["param"].as_str().unwrap().ends_with(".capability")) {
        assert_eq!(p["breakpoint"], serde_json::Value::Null, "{p}");
        if ["japan_public.capability", "russia_public.capability", "china.capability"]
            .contains(&p["param"].as_str().unwrap())
        {
            assert_eq!((p["s1"].as_f64(), p["st"].as_f64()), (Some(0.0), Some(0.0)), "{p}");
        }
    }
    // Tokyo's walk-away alone opens a deal below the status quo's utility.
    let japan = params.iter().find(|p| p["param"] == "japan.reservation").unwrap();
    let b = japan["breakpoint"].as_f64().expect("japan.reservation flips the verdict");
    assert!(b < japan["file_value"].as_f64().unwrap() && japan["breakpoint_side"] == "below");
    // A box concentrates deals (its density is above the share of deals
    // overall; simplified boxes may end below PRIM's 0.8) and names only
    // judgements that can change the verdict.
    for b in doc["boxes"].as_array().unwrap() {
        let density = b["density"].as_f64().unwrap();
        assert!(density > share && density <= 1.0, "{b}");
        for c in b["conditions"].as_array().unwrap() {
            assert!(c["low"].as_f64().unwrap() < c["high"].as_f64().unwrap());
            let p = params.iter().find(|p| p["param"] == c["param"]).unwrap();
            assert!(p["st"].as_f64().unwrap() != 0.0, "{c}");
        }
    }
}

#[test]
fn same_seed_same_bytes_on_one_or_two_threads() {
    let args = ["robustness", "scenarios/kuril-2019-untethered.toml", "--json", "--samples", "128", "--seed", "7"];
    let one = detente_env(&args, "1");
    let two = detente_env(&args, "2");
    assert!(one.status.success());
    assert_eq!(one.stdout, two.stdout);
    let other =
        detente(&["robustness", "scenarios/kuril-2019-untethered.toml", "--json", "--samples", "128", "--seed", "8"]);
    assert_ne!(one.stdout, other.stdout, "the seed matters");
}

#[test]
fn text_reads_as_words_and_vary_adds_a_judgement() {
    let out =
        detente(&["robustness", "scenarios/kuril-2019.toml", "--samples", "64", "--vary", "china.capability=0.1..0.9"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Robustness of \"Kuril"), "{text}");
    assert!(text.contains("With the file's values, no deal exists."), "{text}");
    assert!(text.contains("china.capability"), "{text}");
    assert!(text.contains("95% Wilson interval"), "{text}");
}

#[test]
fn plot_is_svg_or_png() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("r.svg");
    let out = detente(&["robustness", "scenarios/kuril-2019.toml", "--samples", "32", "--plot", svg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("russia.reservation"));
}

#[test]
fn bad_input_is_a_clear_error() {
    let out = detente(&["robustness", "scenarios/kuril-2019.toml", "--vary", "rusia.reservation=0.1..0.2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `russia`"), "{err}");
    let out = detente(&["robustness", "scenarios/kuril-2019.toml", "--vary", "russia.reservation=0.5..0.1"]);
    assert_eq!(out.status.code(), Some(2));
    let out = detente(&["robustness", "scenarios/kuril-2019.toml", "--samples", "0"]);
    assert_eq!(out.status.code(), Some(2));
    // A file without [[uncertain]] tables and no --vary has nothing to vary.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.toml");
    std::fs::write(&path, "format = 1\nname = \"p\"\n[[issues]]\nid = \"t\"\noptions = [\"no\", \"yes\"]\n[[actors]]\nid = \"a\"\nstances.t = { position = \"yes\", salience = 1 }\n").unwrap();
    let out = detente(&["robustness", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no judgement to vary"));
}

/// The figures docs/case-studies/kuril.md, "How firm the verdict is",
/// quotes: keep the case study true.
#[test]
fn the_case_study_figures_hold() {
    let tethered = json(&detente(&["robustness", "scenarios/kuril-2019.toml", "--json"]));
    assert_eq!(tethered["parameters"].as_array().unwrap().len(), 60, "every judgement of the file is uncertain");
    let share = tethered["deal_share"].as_f64().unwrap();
    assert!((0.055..0.07).contains(&share), "a deal in about 6% of the space: {share}");
    let interval = tethered["deal_share_interval"].as_array().unwrap();
    assert!(interval[0].as_f64().unwrap() > 0.045 && interval[1].as_f64().unwrap() < 0.08, "{interval:?}");
    let params = tethered["parameters"].as_array().unwrap();
    let flips: Vec<(&str, f64)> = params
        .iter()
        .filter(|p| !p["breakpoint"].is_null())
        .map(|p| (p["param"].as_str().unwrap(), p["breakpoint"].as_f64().unwrap()))
        .collect();
    assert_eq!(flips.len(), 1, "{flips:?}");
    assert_eq!(flips[0].0, "japan.reservation");
    assert!((flips[0].1 - 0.52).abs() < 0.001, "{flips:?}");
    // Third parties' own preferences never enter the verdict; Washington's
    // reaches it only through its pressure on Tokyo.
    for p in params.iter().filter(|p| {
        let name = p["param"].as_str().unwrap();
        name.starts_with("united_states.salience.") || name.starts_with("china.")
    }) {
        assert_eq!(p["st"].as_f64(), Some(0.0), "{p}");
    }
    let pressure = params.iter().find(|p| p["param"] == "united_states.pressure.secondary-sanctions").unwrap();
    assert!(pressure["st"].as_f64().unwrap() > 0.0 && pressure["breakpoint"].is_null(), "{pressure}");
    let top = params.iter().max_by(|a, b| a["st"].as_f64().unwrap().total_cmp(&b["st"].as_f64().unwrap())).unwrap();
    assert_eq!(top["param"], "japan_public.reservation");
    assert!(tethered["boxes"].as_array().unwrap().is_empty(), "PRIM finds no region: {}", tethered["boxes"]);
    let untethered = json(&detente(&["robustness", "scenarios/kuril-2019-untethered.toml", "--json"]));
    let share = untethered["deal_share"].as_f64().unwrap();
    assert!((0.73..0.76).contains(&share), "a basic treaty in 74% of the space: {share}");
    let boxes = untethered["boxes"].as_array().unwrap();
    let (density, coverage) = (boxes[0]["density"].as_f64().unwrap(), boxes[0]["coverage"].as_f64().unwrap());
    assert!((0.79..0.81).contains(&density) && (0.915..0.935).contains(&coverage), "{}", boxes[0]);
    assert_eq!(boxes[0]["conditions"][0]["param"], "japan_public.reservation");
    let case = std::fs::read_to_string(repo().join("docs/case-studies/kuril.md")).unwrap();
    assert!(case.contains("**\"No room for a breakthrough\" holds in 94% of the judgement space**"));
    assert!(case.contains("a basic treaty exists in 74% of its judgement space"));
    assert!(case.contains("a deal exists in 80% of draws with the Japanese public's reservation at most 0.446"));
}
