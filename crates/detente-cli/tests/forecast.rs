//! End-to-end tests of `detente forecast` and `detente backtest`: exit
//! codes, the text tables and the JSON documents.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo()).output().expect("run detente")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `../shared/data`, or `None` (with the reason printed) outside CI when it
/// is missing; in CI a missing data folder fails the test.
fn data_dir() -> Option<PathBuf> {
    let dir = repo().join("../shared/data");
    if dir.join("deu").is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "reference data missing: {} (required in CI)", dir.display());
    eprintln!("skipping: reference data not found at {}", dir.display());
    None
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const TABLE: &str = "Actor,Capability,Position,Salience\nNetherlands,0.08,4,0.8\nBelgium,0.08,7,0.4\nLuxembourg,0.03,4,0.2\n\
Germany,0.16,4,0.8\nFrance,0.16,10,0.6\nItaly,0.16,10,0.6\nUK,0.16,10,0.9\nIreland,0.05,7,0.1\nDenmark,0.05,4,1.0\nGreece,0.08,7,0.7\n";

#[test]
fn forecast_json_has_rounds_and_trace() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "emission.csv", TABLE);
    let out = detente(&["forecast", &table, "--json", "--model", "eum-replication,nash", "--model", "compromise"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["schema"], "detente.forecast/1");
    let issue = &doc["issues"][0];
    assert_eq!(issue["actors"][0], "Netherlands");
    let forecasts = issue["forecasts"].as_array().unwrap();
    let models: Vec<&str> = forecasts.iter().map(|f| f["model"].as_str().unwrap()).collect();
    assert_eq!(models, ["eum-replication", "nash", "compromise"]);
    let eum = &forecasts[0];
    assert_eq!(eum["termination"], "max-rounds");
    assert_eq!(eum["rounds"].as_array().unwrap().len(), 11);
    assert_eq!(eum["rounds"][0]["Belgium"], 7.0);
    assert_eq!(format!("{:.6}", eum["rounds"][1]["Belgium"].as_f64().unwrap()), "8.415932");
    assert_eq!(format!("{:.4}", eum["trace"][10]["mean"].as_f64().unwrap()), "7.2421");
    assert_eq!(format!("{:.4}", eum["trace"][1]["risk"]["UK"].as_f64().unwrap()), "1.9649");
    assert_eq!(eum["trace"][1]["moves"][0]["kind"], "compromise");
    assert_eq!(eum["trace"][1]["moves"][0]["counterpart"], "France");
    assert!(forecasts[1]["error"].as_str().unwrap().contains("status quo"));
    assert_eq!(forecasts[2]["rounds"].as_array().unwrap().len(), 1);
    assert_eq!(format!("{:.6}", forecasts[2]["forecast"].as_f64().unwrap()), "7.389956");
    // --rounds caps the iterating models.
    let out = detente(&["forecast", &table, "--json", "--model", "eum-paper", "--rounds", "2"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["issues"][0]["forecasts"][0]["rounds"].as_array().unwrap().len(), 3);
}

#[test]
fn forecast_text_and_exit_codes() {
    let out = detente(&["forecast", "scenarios/kuril-2019.toml", "--model", "compromise,median"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(text.contains("sanctions (options 0 `in-place`"), "{text}");
    assert!(text.contains("compromise"), "{text}");
    assert!(!text.contains("eum-"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let unordered = write(
        dir.path(),
        "venue.toml",
        "format = 1\nname = \"v\"\n[[issues]]\nid = \"venue\"\noptions = [\"a\", \"b\", \"c\"]\n[[actors]]\nid = \"x\"\nstances.venue = { position = \"a\", salience = 1 }\n",
    );
    let out = detente(&["forecast", &unordered]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("forecast::unordered"));
    let out = detente(&["forecast", &unordered, "--model", "oracle"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("eum-replication"));
    let out = detente(&["forecast", &dir.path().join("missing.toml").display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn backtest_deu_prints_the_reference_baselines() {
    let Some(data) = data_dir() else { return };
    let deu = data.join("deu").display().to_string();
    let out = detente(&["backtest", "deu", &deu]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    println!("{text}");
    assert!(text.contains("351 issues"), "{text}");
    for (row, mae) in [
        ("baseline: salience-weighted mean", "23.64"),
        ("baseline: capability x salience mean", "22.99"),
        ("baseline: median actor", "28.37"),
        ("compromise", "22.99"),
    ] {
        let line = text.lines().find(|l| l.starts_with(row)).unwrap_or_else(|| panic!("no row {row}:\n{text}"));
        assert_eq!(line.split_whitespace().nth(row.split_whitespace().count()), Some(mae), "{line}");
    }
    for model in ["median", "nash", "eum-replication", "eum-paper", "ktab-smp"] {
        assert!(text.lines().any(|l| l.starts_with(model)), "{model} missing:\n{text}");
    }
    let out = detente(&["backtest", "deu", &deu, "--json", "--model", "compromise"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["schema"], "detente.backtest/1");
    assert_eq!(doc["issues"], 351);
    assert_eq!(format!("{:.2}", doc["baselines"][1]["mae"].as_f64().unwrap()), "22.99");
    assert_eq!(doc["models"].as_array().unwrap().len(), 1);
    assert_eq!(doc["per_issue"].as_array().unwrap().len(), 351);
    let out = detente(&["backtest", "deu", &data.join("bdm").display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "a folder without DEU files is an I/O error");
}

#[test]
fn monte_carlo_is_reproducible_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "emission.csv", TABLE);
    let run = |threads: &str, seed: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_detente"))
            .args(["forecast", &table, "--json", "--model", "eum-replication,compromise", "--monte-carlo", "300"])
            .args(["--seed", seed, "--perturb", "position=normal:0.05", "--perturb", "UK.capability=uniform:0.3"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let one = run("1", "5");
    assert_eq!(one, run("2", "5"), "the same seed gives the same bytes on one and on two threads");
    assert_ne!(one, run("2", "6"));
    let doc: serde_json::Value = serde_json::from_slice(&one).unwrap();
    let mc = &doc["issues"][0]["forecasts"][1]["monte_carlo"];
    assert_eq!((mc["runs"].as_u64(), mc["seed"].as_u64()), (Some(300), Some(5)));
    assert_eq!(mc["perturbations"][1]["actor"], "UK");
    let d = &mc["distribution"];
    let (lo, hi) = (d["interval80"][0].as_f64().unwrap(), d["interval80"][1].as_f64().unwrap());
    assert!(lo <= d["quantiles"]["0.50"].as_f64().unwrap() && d["quantiles"]["0.50"].as_f64().unwrap() <= hi);
    // Every actor's position is perturbed, and only the UK's capability.
    let tornado = mc["tornado"].as_array().unwrap();
    assert_eq!(tornado.len(), 11);
    assert_eq!(tornado.iter().filter(|b| b["target"] == "capability").count(), 1);
    let out = detente(&["forecast", &table, "--monte-carlo", "10", "--perturb", "power=normal:1"]);
    assert_eq!(out.status.code(), Some(2));
    // A misspelt actor would perturb nothing: an error with a suggestion.
    let out = detente(&["forecast", &table, "--monte-carlo", "10", "--perturb", "Germny.capability=uniform:0.3"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no actor is named `Germny`; did you mean `Germany`?"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn monte_carlo_studies_are_sized_before_they_run() {
    let dir = tempfile::tempdir().unwrap();
    // 70 actors on 6 issues, KTAB's layout: 100,000 runs would perturb
    // 42 million values, over the default limit of 10 million.
    let mut csv = String::from("Big,Seventy actors,70,6,\nActor,Description,Influence");
    for d in 0..6 {
        csv.push_str(&format!(",D{d} Position,D{d} Salience"));
    }
    csv.push('\n');
    for a in 0..70 {
        csv.push_str(&format!("A{a},Actor {a},{}", 1 + a % 3));
        for d in 0..6 {
            csv.push_str(&format!(",{},{}", (a * 7 + d * 13) % 101, 10 + (a + d) % 80));
        }
        csv.push('\n');
    }
    let table = write(dir.path(), "big.csv", &csv);
    let out = detente(&["forecast", &table, "--model", "ktab-smp", "--monte-carlo", "100000"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a Monte Carlo study of 100000 runs on 70 actors and 6 issues perturbs 42000000 values, more than the limit of 10000000; ask for fewer runs (--monte-carlo) or raise the limit (--max-perturbed)"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // Issue by issue, the largest input counts: 10 actors, one issue.
    let small = write(dir.path(), "emission.csv", TABLE);
    let out = detente(&["forecast", &small, "--model", "compromise", "--monte-carlo", "101", "--max-perturbed", "1e3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("perturbs 1010 values, more than the limit of 1000"));
    let out = detente(&["forecast", &small, "--model", "compromise", "--monte-carlo", "100", "--max-perturbed", "1e3"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// `--plot` writes the trajectories as SVG (the text still printed), and
/// with several models and Monte Carlo one file per model and figure, named
/// as documented, each a well-formed SVG with its title.
#[test]
fn forecast_plot_writes_svg_files_named_per_model() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "emission.csv", TABLE);
    let plot = dir.path().join("f.svg").display().to_string();
    let out = detente(&["forecast", &table, "--model", "eum-replication", "--plot", &plot]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("eum-replication by round"));
    assert_eq!(files(dir.path()), ["emission.csv", "f.svg"]);
    let svg = std::fs::read_to_string(dir.path().join("f.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(svg.contains("<title>Forecast by round: eum-replication</title>"));
    // One line per actor, each through round 0 and ten rounds.
    let lines = doc.descendants().filter(|n| n.has_tag_name("polyline")).filter(|n| {
        n.attribute("stroke-width") == Some("2")
            && n.attribute("points").is_some_and(|p| p.split_whitespace().count() == 11)
    });
    assert!(lines.count() >= 10);

    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "emission.csv", TABLE);
    let plot = dir.path().join("g.svg").display().to_string();
    let args = ["forecast", &table, "--model", "compromise,eum-replication", "--monte-carlo", "50", "--plot", &plot];
    let out = detente(&args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        files(dir.path()),
        [
            "emission.csv",
            "g-compromise-distribution.svg",
            "g-compromise-tornado.svg",
            "g-compromise.svg",
            "g-eum-replication-distribution.svg",
            "g-eum-replication-tornado.svg",
            "g-eum-replication.svg",
        ]
    );
    for (file, title) in [
        ("g-compromise.svg", "Forecast and stated positions: compromise"),
        ("g-eum-replication-distribution.svg", "Monte Carlo distribution of the forecast: eum-replication"),
        ("g-eum-replication-tornado.svg", "What moves the forecast most (one input at a time): eum-replication"),
    ] {
        let svg = std::fs::read_to_string(dir.path().join(file)).unwrap();
        roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(svg.contains(&format!("<title>{title}</title>")), "{file}");
    }
}

/// A `.png` name gives a PNG: the signature, and a decodable image twice
/// the SVG's size that is not blank.
#[test]
fn forecast_plot_writes_png_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "emission.csv", TABLE);
    let plot = dir.path().join("f.png").display().to_string();
    let out = detente(&["forecast", &table, "--model", "eum-replication", "--plot", &plot]);
    if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("needs a font") {
        assert!(std::env::var_os("CI").is_none(), "no font for PNG output in CI");
        eprintln!("skipping: no system font for PNG output");
        return;
    }
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(files(dir.path()), ["emission.csv", "f.png"]);
    let bytes = std::fs::read(dir.path().join("f.png")).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    // The single-panel figure: 640 + 250 wide (legend), at twice the size.
    assert_eq!(info.width, 2 * (640 + 250));
    let pixels = &buf[..info.buffer_size()];
    let dark = pixels.chunks(info.color_type.samples()).filter(|p| p[0] < 80 && p[1] < 80 && p[2] < 80).count();
    assert!(dark > 5_000, "the forecast line and the text are drawn ({dark} dark pixels)");
    // Same for the utility plane of `analyze --plot`.
    let plane = dir.path().join("plane.png").display().to_string();
    let kuril = repo().join("scenarios/kuril-2019-untethered.toml").display().to_string();
    let out = detente(&["analyze", &kuril, "--plot", &plane]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(dir.path().join("plane.png")).unwrap().starts_with(b"\x89PNG"));
}

/// Nothing to draw (no model could forecast) is an error, not an empty file.
#[test]
fn forecast_plot_without_anything_to_draw() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "emission.csv", TABLE);
    let plot = dir.path().join("n.svg").display().to_string();
    let out = detente(&["forecast", &table, "--model", "nash", "--plot", &plot]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no plot for nash") && err.contains("nothing to plot"), "{err}");
    assert_eq!(files(dir.path()), ["emission.csv"]);
}

/// Multi-issue scenarios are forecast issue by issue, multi-dimensional ones
/// by the spatial model: one forecast on all issues, beside the one-issue
/// models' tables.
#[test]
fn forecast_multi_issue_scenarios_with_the_spatial_model() {
    // Shared with the engine's unit test of the spatial forecast.
    let scenario = "crates/detente/tests/fixtures/trade.toml";
    let out = detente(&["forecast", scenario, "--model", "compromise,ktab-smp", "--trace"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(text.contains("trade: forecasts issue by issue"), "{text}");
    assert!(text.contains("trade: all issues at once (spatial model): tariff, quota, treaty"), "{text}");
    assert!(text.contains("ktab-smp by round, quota:"), "{text}");
    assert!(text.contains("position probabilities"), "{text}");
    // Only the spatial model: no issue-by-issue tables.
    let out = detente(&["forecast", scenario, "--model", "ktab-smp", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["issues"].as_array().unwrap().len(), 0);
    let spatial = &doc["spatial"];
    assert_eq!(spatial["issues"], serde_json::json!(["tariff", "quota", "treaty"]));
    assert_eq!(spatial["scales"][2]["options"], serde_json::json!(["no", "maybe", "yes"]));
    let run = &spatial["forecasts"][0];
    assert_eq!(run["model"], "ktab-smp");
    assert_eq!(run["forecast"].as_array().unwrap().len(), 3);
    assert_eq!(run["rounds"][0]["us"], serde_json::json!([10.0, 20.0, 2.0]));
    assert!(run["trace"][0]["probability"]["us"].as_f64().is_some());
    // A one-issue model alone: no spatial forecast.
    let out = detente(&["forecast", scenario, "--model", "compromise", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(doc["spatial"].is_null());
    assert_eq!(doc["issues"].as_array().unwrap().len(), 3);
}

/// KTAB's own table, one multi-dimensional forecast: the reference run's
/// final positions (`../shared/data/README.md`).
#[test]
fn forecast_ktab_table_with_the_spatial_model() {
    let Some(data) = data_dir() else { return };
    let table = data.join("ktab/dummyData_3Dim.csv").display().to_string();
    let out = detente(&["forecast", &table, "--model", "ktab-smp", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let run = &doc["spatial"]["forecasts"][0];
    assert_eq!((run["termination"].as_str(), run["rounds_played"].as_u64()), (Some("converged"), Some(10)));
    let last: Vec<String> = run["rounds"][10]["SActor_00"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| format!("{:.1}", x.as_f64().unwrap()))
        .collect();
    assert_eq!(last, ["78.6", "31.8", "74.1"]);
}

/// A `decide-exchange-model` table small enough to follow by hand: A and B
/// each care most about one issue and sit on opposite sides of both
/// outcomes; C has data on `p` only.
const EXCHANGE_TABLE: &str = "'#A'\t'A'\t'A'\t''\n'#A'\t'B'\t'B'\t''\n'#A'\t'C'\t'C'\t''\n\
'#P'\t'p'\t'p'\t''\n'#M'\t'p'\t0\n'#M'\t'p'\t100\n'#P'\t'q'\t'q'\t''\n'#M'\t'q'\t0\n'#M'\t'q'\t100\n\
'#D'\t'A'\t'p'\t100\t0.8\t1\n'#D'\t'A'\t'q'\t100\t0.2\t1\n'#D'\t'B'\t'p'\t0\t0.2\t1\n'#D'\t'B'\t'q'\t0\t0.8\t1\n\
'#D'\t'C'\t'p'\t50\t0.5\t1\n";

/// `detente forecast --model exchange` runs the exchange model once on the
/// whole table and shows it issue by issue. By hand: the outcomes are
/// (80 + 0 + 25)/1.5 = 70 on `p` and 20 on `q`; B moves all the way to
/// A's 100 on `p` (outcome shift 0.2·100/1.5 = 13.33), and for equal gain
/// (saliences 0.8 + 0.2 on both issues) A shifts the outcome on `q` by as
/// much, moving 13.33/0.2 = 66.67 to 33.33; both gain 13.33·(0.8 − 0.2) = 8.
/// Round 1's outcomes are 125/1.5 = 83.33 and 6.67; A's next preference on
/// `q` is 100 + (0.1 + 0.4·0.8)(33.33 − 100) = 72.
#[test]
fn forecast_runs_the_exchange_model_on_the_whole_table() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "trade.txt", EXCHANGE_TABLE);
    let out = detente(&["forecast", &table, "--json", "--model", "exchange", "--rounds", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let close = |v: &serde_json::Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
    let (p, q) = (&doc["issues"][0], &doc["issues"][1]);
    assert_eq!(p["actors"], serde_json::json!(["A", "B", "C"]));
    assert_eq!(q["actors"], serde_json::json!(["A", "B"]), "C has no data on q");
    let (rp, rq) = (&p["forecasts"][0], &q["forecasts"][0]);
    assert_eq!((rp["model"].as_str(), rp["termination"].as_str()), (Some("exchange"), Some("max-rounds")));
    assert!(close(&rp["trace"][0]["forecast"], 70.0) && close(&rq["trace"][0]["forecast"], 20.0));
    assert!(close(&rp["forecast"], 125.0 / 1.5) && close(&rq["forecast"], 0.2 * 100.0 / 3.0));
    assert!(close(&rp["rounds"][1]["B"], 100.0) && close(&rp["rounds"][1]["C"], 50.0));
    assert!(close(&rq["rounds"][1]["A"], 100.0 / 3.0) && close(&rq["rounds"][1]["B"], 0.0));
    assert!(close(&rq["trace"][1]["preferences"]["A"], 72.0));
    assert_eq!(rq["trace"][1]["exchanges"], 1.0);
    let moves = rq["trace"][1]["moves"].as_array().unwrap();
    assert_eq!(moves.len(), 1, "only A moved on q: {moves:?}");
    assert_eq!((moves[0]["actor"].as_str(), moves[0]["kind"].as_str()), (Some("A"), Some("exchange")));
    assert_eq!(moves[0]["counterpart"], "B");
    // The text shows the rounds and, with --trace, who exchanged with whom.
    let out = detente(&["forecast", &table, "--model", "exchange", "--rounds", "1", "--trace"]);
    let text = stdout(&out);
    assert!(text.contains("exchange by round: 70.00 83.33"), "{text}");
    assert!(text.contains("round 1: A exchanges with B: 100.00 -> 33.33"), "{text}");
    // No Monte Carlo study for it (a note says so); other models still get theirs.
    let out = detente(&["forecast", &table, "--json", "--model", "exchange,compromise", "--monte-carlo", "20"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exchange forecasts every issue at once"));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(doc["issues"][0]["forecasts"][0].get("monte_carlo").is_none());
    assert!(doc["issues"][0]["forecasts"][1].get("monte_carlo").is_some());
}

#[test]
fn the_exchange_model_needs_two_issues_and_no_backtest() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "emission.csv", TABLE);
    let out = detente(&["forecast", &table, "--model", "exchange"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("needs at least two; the input has 1"), "{}", stdout(&out));
    let out = detente(&["backtest", "deu", dir.path().to_str().unwrap(), "--model", "exchange"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be backtested"));
}

/// The statements of docs/case-studies/kuril.md, "Forecasts".
#[test]
fn kuril_forecasts_as_the_case_study_reads_them() {
    let out = detente(&[
        "forecast",
        "scenarios/kuril-2019.toml",
        "--json",
        "--model",
        "compromise,median,eum-replication,exchange,ktab-smp",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let issue = |id: &str| -> Vec<(String, f64)> {
        let i = doc["issues"].as_array().unwrap().iter().find(|i| i["issue"] == id).unwrap();
        let runs = i["forecasts"].as_array().unwrap();
        runs.iter().map(|r| (r["model"].as_str().unwrap().to_string(), r["forecast"].as_f64().unwrap())).collect()
    };
    let near = |x: f64, y: f64| (x - y).abs() < 0.005;
    for (model, x) in issue("peace_treaty") {
        assert_eq!(x, 1.0, "{model}");
    }
    for (model, x) in issue("territory_in_treaty") {
        assert_eq!(x, 0.0, "{model}");
    }
    let facilities = issue("us_facilities");
    assert!(facilities[..3].iter().all(|(_, x)| *x < 0.5) && near(facilities[3].1, 0.53), "{facilities:?}");
    for (model, x) in issue("kunashiri_etorofu") {
        assert!(if model == "compromise" { near(x, 0.23) } else { x == 0.0 }, "{model}: {x}");
    }
    let hs: Vec<f64> = issue("habomai_shikotan").iter().map(|(_, x)| *x).collect();
    assert!(near(hs[0], 0.5) && near(hs[1], 0.5) && near(hs[2], 0.65) && near(hs[3], 0.63), "{hs:?}");
    let spatial = &doc["spatial"];
    assert_eq!(spatial["actors"].as_array().unwrap().len(), 6);
    let run = &spatial["forecasts"][0];
    assert_eq!((run["model"].as_str(), run["rounds_played"].as_u64()), (Some("ktab-smp"), Some(17)));
    let f: Vec<f64> = run["forecast"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    let ids: Vec<&str> = spatial["issues"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    let at = |id: &str| f[ids.iter().position(|i| *i == id).unwrap()];
    assert!(near(at("habomai_shikotan"), 0.93) && near(at("recognition"), 0.095), "{f:?}");
    assert!(
        near(at("peace_treaty"), 1.0) && at("territory_in_treaty") == 0.0 && near(at("us_facilities"), 0.21),
        "{f:?}"
    );
    assert!(near(at("kunashiri_etorofu"), 0.56), "{f:?}");
    // The spatial forecast at its nearest options (the status quo on the two
    // issues it cannot place) breaks exactly these constraints.
    let scenario = detente::load_path(&repo().join("scenarios/kuril-2019.toml")).unwrap().scenario.unwrap();
    let mut outcome = scenario.status_quo.clone().unwrap();
    for (id, x) in ids.iter().zip(&f) {
        outcome[scenario.issue_index(id).unwrap()] = detente::scenario::Value::Option(x.round() as usize);
    }
    let broken: Vec<&str> =
        scenario.constraints.iter().filter(|c| !c.allows(&outcome)).map(|c| c.label.as_str()).collect();
    assert_eq!(
        broken,
        [
            "recognition-first",
            "bases-clarity",
            "declaration-1956-ceiling",
            "treaty-settles-territory",
            "no-capitulation"
        ]
    );
}

/// A model that oscillates is reported as an oscillation, whatever the
/// number of rounds: four actors on a tariff where `eum-replication`
/// alternates between 40 and 80 (issue: honest forecasts).
#[test]
fn oscillating_models_are_reported_as_cycles() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(
        dir.path(),
        "tariff.csv",
        "Actor,Capability,Position,Salience\nA,0.1,80,0.6\nB,0.2,80,0.4\nC,0.3,40,0.6\nD,0.8,40,0.4\n",
    );
    for rounds in ["9", "10", "11"] {
        let out = detente(&["forecast", &table, "--model", "eum-replication", "--rounds", rounds]);
        assert!(out.status.success(), "{out:?}");
        let text = stdout(&out);
        assert!(text.contains("oscillates between 40.00 and 80.00 (period 2)"), "{text}");
        let out = detente(&["forecast", &table, "--model", "eum-replication", "--rounds", rounds, "--json"]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let run = &doc["issues"][0]["forecasts"][0];
        assert_eq!(run["termination"], "cycle", "{run}");
        assert_eq!(run["cycle"], serde_json::json!({ "period": 2, "range": [40.0, 80.0] }));
    }
    // A converging model has no cycle.
    let out = detente(&["forecast", &table, "--model", "compromise", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["issues"][0]["forecasts"][0]["cycle"], serde_json::Value::Null);
}

/// Forecasts taken as whole outcomes are checked against the constraints:
/// on the tethered Kuril scenario every model's treaty breaks Tokyo's
/// linkage, and the constrained forecast differs from the untethered one.
#[test]
fn forecasts_that_break_constraints_say_so() {
    let json = |file: &str| -> serde_json::Value {
        let out = detente(&["forecast", file, "--json"]);
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let tethered = json("scenarios/kuril-2019.toml");
    let outcomes = tethered["outcomes"].as_array().unwrap();
    assert!(!outcomes.is_empty());
    let compromise = outcomes.iter().find(|o| o["model"] == "compromise").unwrap();
    assert_eq!(compromise["outcome"]["peace_treaty"], "yes");
    let breaks: Vec<&str> =
        compromise["breaks"].as_array().unwrap().iter().map(|b| b["label"].as_str().unwrap()).collect();
    assert!(breaks.contains(&"treaty-settles-territory"), "{breaks:?}");
    assert_eq!(compromise["breaks"][0]["owner"], "russia");
    // The nearest allowed outcome drops the treaty Tokyo's linkage forbids.
    assert_eq!(compromise["constrained"]["outcome"]["peace_treaty"], "no");
    let untethered = json("scenarios/kuril-2019-untethered.toml");
    let compromise = untethered["outcomes"].as_array().unwrap().iter().find(|o| o["model"] == "compromise").unwrap();
    assert_eq!(compromise["breaks"], serde_json::json!([]));
    assert_eq!(compromise["constrained"], serde_json::Value::Null);
    let text = stdout(&detente(&["forecast", "scenarios/kuril-2019.toml"]));
    assert!(text.contains("breaks `bases-clarity` (russia), `treaty-settles-territory` (japan)"), "{text}");
    assert!(text.contains("nearest outcome no constraint forbids"), "{text}");
}
