//! Issue 16: extreme but valid inputs give exit codes 0, 1 or 2 within
//! seconds, with a message that says how to go on; output follows what the
//! user asked for (plot formats, counts, numbering).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether `CI` is set: then a missing data file is a failure, never a skip.
fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo()).output().expect("run detente")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A file under `../shared/data`, or `None` (with a note) outside CI when it
/// is missing; in CI a missing file fails the test.
fn shared(rel: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/data").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(!ci(), "{} is missing (CI is set)", p.display());
    eprintln!("skipping: {} is missing", p.display());
    None
}

/// Two parties on one integer issue from `min` to `max`, at 2 and 10.
fn integer_scenario(min: &str, max: &str) -> String {
    opposed(min, max, "2", "10")
}

/// Two parties on one integer issue from `min` to `max`, at `a` and `b`.
fn opposed(min: &str, max: &str, a: &str, b: &str) -> String {
    format!(
        "format = 1\nname = \"wide\"\n[[issues]]\nid = \"aid\"\nkind = \"integer\"\nmin = {min}\nmax = {max}\n\
         [[actors]]\nid = \"donor\"\nrole = \"party\"\nstances.aid = {{ position = {a}, salience = 1.0 }}\n\
         [[actors]]\nid = \"recipient\"\nrole = \"party\"\nstances.aid = {{ position = {b}, salience = 1.0 }}\n"
    )
}

/// Runs `args` and asserts it ended with a clean exit code (0, 1 or 2: no
/// panic, no abort) within `secs` seconds.
fn clean(args: &[&str], secs: u64) -> Output {
    let start = Instant::now();
    let out = detente(args);
    assert!(matches!(out.status.code(), Some(0..=2)), "{args:?}: exit {:?}\n{}", out.status.code(), stderr(&out));
    assert!(start.elapsed() < Duration::from_secs(secs), "{args:?} took {:?}", start.elapsed());
    assert!(!stderr(&out).contains("panicked"), "{args:?}: {}", stderr(&out));
    out
}

#[test]
fn issue_16_wide_integer_issues_are_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    for (name, min, max, values) in [
        ("big.toml", "0", "100000000000", "100000000001"),
        ("huge.toml", "-9223372036854775808", "9223372036854775807", "18446744073709551616"),
    ] {
        let path = write(dir.path(), name, &integer_scenario(min, max));
        assert_eq!(detente(&["check", &path]).status.code(), Some(0));
        let report = dir.path().join("r.html").display().to_string();
        for args in [vec!["analyze", &path], vec!["analyze", "--json", &path], vec!["report", &path, "-o", &report]] {
            let out = clean(&args, 10);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let err = stderr(&out);
            assert!(err.contains(&format!("issue `aid` has {values} values")), "{args:?}: {err}");
            assert!(err.contains("narrow its range"), "{args:?}: {err}");
        }
        let out = clean(&["analyze", "--method", "enumerate", &path], 10);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(&format!("has {values} outcomes, more than the limit")), "{}", stderr(&out));
        let out = clean(&["negotiate", &path], 10);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.contains(&format!("has {values} outcomes")) && err.contains("--max-outcomes"), "{err}");
    }
    // At the limit the same issue is analysed, within seconds, and the JSON
    // document lists an evenly spaced part of its 2 million point frontier.
    let path = write(dir.path(), "wide.toml", &opposed("0", "2097151", "0", "2097151"));
    let out = clean(&["analyze", "--json", &path], 30);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.len() < 20_000_000, "{} bytes of JSON", out.stdout.len());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["outcomes"], 2_097_152);
    assert_eq!(doc["pareto_all"].as_array().unwrap().len(), 10_000);
    assert!(doc["pareto_all_size"].as_u64().unwrap() > 2_000_000);
    let ends = [&doc["pareto_all"][0]["outcome"]["aid"], &doc["pareto_all"][9999]["outcome"]["aid"]];
    assert!(ends.contains(&&serde_json::json!(0)) && ends.contains(&&serde_json::json!(2097151)), "{ends:?}");
    let path = write(dir.path(), "wider.toml", &integer_scenario("0", "2097152"));
    let out = clean(&["analyze", "--json", &path], 10);
    assert!(stderr(&out).contains("has 2097153 values, more than the 2097152"), "{}", stderr(&out));
}

/// Discrete issues with 10⁵ options: every check on them is linear (they
/// were quadratic: 8 s to check 50,000 options, over a minute to convert
/// them to GENIUS and read them back).
#[test]
fn issue_16_many_options_load_and_convert_in_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let options: Vec<String> = (0..100_000).map(|k| format!("\"o{k}\"")).collect();
    let table: Vec<String> = (0..100_000).map(|k| format!("o{k} = {}", (k % 7) as f64 / 6.0)).collect();
    let text = format!(
        "format = 1\nname = \"many\"\n[[issues]]\nid = \"x\"\noptions = [{}]\n\
         [[actors]]\nid = \"a\"\nrole = \"party\"\nstances.x = {{ position = \"o5\", salience = 1 }}\n\
         [[actors]]\nid = \"b\"\nrole = \"party\"\n[actors.stances.x]\nsalience = 1\nvalues = {{ {} }}\n",
        options.join(", "),
        table.join(", ")
    );
    let path = write(dir.path(), "many.toml", &text);
    let out = clean(&["check", &path], 10);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = dir.path().join("m.json").display().to_string();
    let out = clean(&["convert", &path, "-o", &json], 10);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let genius = dir.path().join("g").display().to_string();
    let out = clean(&["convert", &path, "--to", "genius", "-o", &genius], 20);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = clean(&["analyze", "--json", &genius], 20);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A duplicate among them is still found, pointing at the first.
    let text = text.replacen("\"o99999\"", "\"o3\"", 1);
    let path = write(dir.path(), "dup.toml", &text);
    let out = clean(&["check", &path], 10);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("option `o3` is listed twice"), "{err}");
    // The 900 kB line is shown cut around both spans, with the true place.
    assert!(err.len() < 5_000, "{} bytes of snippet", err.len());
    assert!(err.contains("\"o99998\", \"o3\"]") && err.contains("\"o2\", \"o3\", \"o4\""), "{err}");
    assert!(err.contains("long lines are shortened (…); this is at") && err.contains("dup.toml:5:"), "{err}");
}

/// Control characters and ANSI escapes from the input never reach the
/// terminal raw: snippets, messages and short diagnostics escape them.
#[test]
fn issue_16_control_characters_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "format = 1\nname = \"x\"\n# \u{1b}[2J\u{7} bell\n[[issues]]\nid = \"a\u{1b}[31m\"\noptions = [\"no\"]\n\
                [[actors]]\nid = \"b\"\nstances.a = { position = \"no\", salience = 1 }\n";
    let path = write(dir.path(), "ctl.toml", text);
    for format in ["human", "short", "json"] {
        let out = detente(&["check", "--format", format, &path]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let all = [out.stdout, out.stderr].concat();
        assert!(!all.contains(&0x1b) && !all.contains(&0x07), "{format}: {}", String::from_utf8_lossy(&all));
    }
    let out = detente(&["check", &path]);
    assert!(stderr(&out).contains("# \\u{1b}[2J\\u{7} bell"), "{}", stderr(&out));
    let out = detente(&["analyze", &path]);
    assert!(!out.stderr.contains(&0x1b), "{}", stderr(&out));
}

#[test]
fn issue_16_max_outcomes_takes_scientific_notation() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "w.toml", &integer_scenario("0", "99"));
    let out = detente(&["analyze", "--max-outcomes", "1e2", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = detente(&["analyze", "--max-outcomes", "5e1", "--method", "enumerate", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("100 outcomes, more than the limit of 50"), "{}", stderr(&out));
    let out = detente(&["negotiate", "--max-outcomes", "1.5", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a whole number of outcomes"), "{}", stderr(&out));
}

#[test]
fn issue_16_counts_beyond_u128_are_exact() {
    let Some(dir) = shared("genius/anac/y2014/50issues") else { return };
    let path = dir.display().to_string();
    let out = clean(&["analyze", &path], 20);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("1.000e40 outcomes"), "{err}");
    assert!(!err.contains(&u128::MAX.to_string()), "{err}");
    let shown = stdout(&detente(&["show", &path]));
    assert!(shown.contains("1.000e40 outcomes"), "{shown}");
    let doc: serde_json::Value = serde_json::from_slice(&detente(&["show", "--json", &path]).stdout).unwrap();
    assert_eq!(doc["outcome_count"], format!("1{}", "0".repeat(40)));
}

#[test]
fn issue_16_plots_follow_their_extension() {
    let dir = tempfile::tempdir().unwrap();
    let kuril = repo().join("scenarios/kuril-2019.toml").display().to_string();
    let png = dir.path().join("x.png");
    let out = detente(&["negotiate", &kuril, "--plot", &png.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"), "negotiate --plot x.png is not PNG");
    let t = dir.path().join("t.png");
    let out = detente(&[
        "tournament",
        &kuril,
        "--strategies",
        "boulware,linear",
        "--out",
        &dir.path().join("t").display().to_string(),
        "--plot",
        &t.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&t).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"), "tournament --plot t.png is not PNG");
    for command in ["analyze", "negotiate", "forecast"] {
        let pdf = dir.path().join("a.pdf");
        let out = detente(&[command, &kuril, "--plot", &pdf.display().to_string()]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(stderr(&out).contains("cannot draw a .pdf file"), "{command}: {}", stderr(&out));
        assert!(!pdf.exists(), "{command} wrote a.pdf");
    }
}

/// Warnings found while loading reach standard error on every command that
/// loads, in short form, and leave standard output (JSON) untouched.
#[test]
fn issue_16_load_warnings_are_shown_by_every_command() {
    let Some(dir) = shared("genius/other/AMPOvsCity") else { return };
    let path = dir.display().to_string();
    for args in
        [vec!["analyze", "--json", &path], vec!["negotiate", "--json", &path], vec!["forecast", "--json", &path]]
    {
        let out = clean(&args, 60);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("warning[genius::structure]: value `0` is evaluated twice"), "{args:?}: {err}");
        assert!(err.contains(&format!("`detente check {path}` shows them in context")), "{args:?}: {err}");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("stdout stays one JSON document");
    }
}

/// What `convert` writes checks clean, warnings denied (GENIUS's Laptop
/// weights sum to 1.0000518: rounding, not a modelling slip).
#[test]
fn issue_16_converted_laptop_checks_clean() {
    let Some(laptop) = shared("genius/anac/y2011/Laptop") else { return };
    let dir = tempfile::tempdir().unwrap();
    for name in ["l.toml", "l.json"] {
        let out_path = dir.path().join(name).display().to_string();
        let out = detente(&["convert", &laptop.display().to_string(), "-o", &out_path]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let out = detente(&["check", "--deny-warnings", &out_path]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
    }
    // A real excess still warns.
    let text = "format = 1\nname = \"w\"\n[[issues]]\nid = \"a\"\noptions = [\"x\", \"y\"]\n[[issues]]\nid = \"b\"\noptions = [\"x\", \"y\"]\n\
                [[actors]]\nid = \"p\"\nnormalize = false\nstances.a = { position = \"x\", salience = 0.6 }\nstances.b = { position = \"x\", salience = 0.6 }\n";
    let path = write(dir.path(), "w.toml", text);
    let out = detente(&["check", "--deny-warnings", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("sum to 1.2"), "{}", stderr(&out));
}

/// Counts in text output agree with their nouns.
#[test]
fn issue_16_plurals() {
    let dir = tempfile::tempdir().unwrap();
    let text = "format = 1\nname = \"one\"\n[[issues]]\nid = \"a\"\noptions = [\"x\", \"y\"]\n\
                [[actors]]\nid = \"p\"\nrole = \"party\"\nstances.a = { position = \"x\", salience = 1 }\n\
                [[actors]]\nid = \"q\"\nrole = \"party\"\nstances.a = { position = \"y\", salience = 1 }\n\
                [[constraints]]\nowner = \"p\"\nlabel = \"c\"\nrule = \"a == 'x' or a == 'y'\"\n";
    let path = write(dir.path(), "one.toml", text);
    let shown = stdout(&detente(&["show", &path]));
    assert!(shown.contains("1 issue, 2 actors, 1 constraint, 0 beliefs; 2 outcomes"), "{shown}");
    let out = detente(&["negotiate", &path, "--rounds", "1"]);
    assert!(stdout(&out).contains("deadline 1 round,"), "{}", stdout(&out));
    let t = dir.path().join("t").display().to_string();
    let out = detente(&["tournament", &path, "--strategies", "boulware,linear", "--reps", "1", "--out", &t]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 strategies, 1 repetition, seed"), "{}", stdout(&out));
}

/// The agreement's round in the text is the round of the accepting event in
/// the offer list and the JSON trace (numbered from 0).
#[test]
fn issue_16_one_round_numbering() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "split.toml", &opposed("0", "100", "0", "100"));
    let args = ["negotiate", &path, "--strategy", "boulware"];
    let text = stdout(&detente(&args));
    let doc: serde_json::Value = serde_json::from_slice(&detente(&[&args[..], &["--json"]].concat()).stdout).unwrap();
    assert_eq!(doc["result"]["ending"], "agreement", "{text}");
    let accepted = doc["trace"].as_array().unwrap().iter().rev().find(|e| e["action"] == "accept").unwrap();
    let round = accepted["round"].as_u64().unwrap();
    assert_eq!(doc["result"]["rounds_used"].as_u64().unwrap(), round + 1);
    assert!(text.contains(&format!("Agreement in round {round} of 0–99 ")), "{text}");
    let offers = stdout(&detente(&["negotiate", &path, "--strategy", "boulware", "--offers", "400"]));
    assert!(offers.lines().any(|l| l.trim_start().starts_with(&format!("round {round:>9}"))), "{offers}");
}

/// Messages that say what is wrong and how to go on.
#[test]
fn issue_16_misleading_messages() {
    let dir = tempfile::tempdir().unwrap();
    let short = |path: &str| {
        let out = detente(&["check", "--format", "short", path]);
        assert_eq!(out.status.code(), Some(1), "{path}");
        stdout(&out) + &stderr(&out)
    };
    // An integer beyond 64 bits.
    let path = write(dir.path(), "i.toml", &integer_scenario("0", "99999999999999999999999999"));
    let msg = short(&path);
    assert!(
        msg.contains("i.toml:7:7: error[scenario::out-of-range]: `max` is 99999999999999999999999999, outside the 64-bit integer range (-9223372036854775808 to 9223372036854775807)"),
        "{msg}"
    );
    // A continuous span that overflows.
    let text = "format = 1\nname = \"x\"\n[[issues]]\nid = \"a\"\nkind = \"continuous\"\nmin = -1e308\nmax = 1e308\n\
                [[actors]]\nid = \"p\"\nstances.a = { position = 0, salience = 1 }\n";
    let path = write(dir.path(), "c.toml", text);
    let msg = short(&path);
    assert!(msg.contains("c.toml:7:7: error[scenario::invalid-range]: the range -1e308 to 1e308 is wider"), "{msg}");
    // An empty file: one error.
    for (name, text) in [("e.toml", ""), ("comments.toml", "# nothing yet\n\n")] {
        let path = write(dir.path(), name, text);
        let msg = short(&path);
        assert_eq!(msg.lines().count(), 1, "{msg}");
        assert!(msg.contains("the file is empty"), "{msg}");
    }
    // A misspelt column.
    let path = write(dir.path(), "t.csv", "actor,position,Salince,capability\nA,10,50,100\nB,90,40,80\n");
    let msg = short(&path);
    assert!(msg.contains("t.csv:1:16: error[table::header]") && msg.contains("did you mean `salience`?"), "{msg}");
    // A folder of scenario files.
    let folder = dir.path().join("many");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(repo().join("scenarios/kuril-2019.toml"), folder.join("kuril-2019.toml")).unwrap();
    let msg = short(&folder.display().to_string());
    assert!(msg.contains("holds scenario files (kuril-2019.toml) but no GENIUS domain file"), "{msg}");
    assert!(msg.contains("pass one file instead"), "{msg}");
}

/// Outputs never create missing parent folders, the same way everywhere;
/// `tournament --out` creates only its own folder.
#[test]
fn issue_16_missing_output_folders_are_refused_alike() {
    let dir = tempfile::tempdir().unwrap();
    let kuril = repo().join("scenarios/kuril-2019.toml").display().to_string();
    let missing = dir.path().join("a/b");
    let at = |name: &str| missing.join(name).display().to_string();
    let cases: [Vec<String>; 5] = [
        vec!["report".into(), kuril.clone(), "-o".into(), at("r.html")],
        vec!["convert".into(), kuril.clone(), "-o".into(), at("k.json")],
        vec!["analyze".into(), kuril.clone(), "--plot".into(), at("p.svg")],
        vec!["negotiate".into(), kuril.clone(), "--plot".into(), at("n.png")],
        vec![
            "tournament".into(),
            kuril.clone(),
            "--strategies".into(),
            "boulware,linear".into(),
            "--out".into(),
            at("c"),
        ],
    ];
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = detente(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(&format!("the folder {} does not exist; create it first", missing.display())), "{err}");
        assert!(!err.contains(".detente-"), "{err}");
    }
    assert!(!dir.path().join("a").exists(), "a folder was created");
    let t = dir.path().join("t").display().to_string();
    let out = detente(&["tournament", &kuril, "--strategies", "boulware,linear", "--out", &t]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("t/summary.json").exists());
}

/// A case collection is detected; `--case ID` picks a case on convert,
/// analyze and forecast, and the error lists the cases.
#[test]
fn issue_16_case_collections_take_case() {
    let Some(file) = shared("stakeholders/ktab-china-2014.json") else { return };
    let file = file.display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("c.toml").display().to_string();
    let out = detente(&["convert", &file, "-o", &out_path]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("this is a case collection, not one scenario: it holds 2 cases: KTAB-CHINA-2014-POLICY ("),
        "{err}"
    );
    assert!(err.contains("--case KTAB-CHINA-2014-POLICY") && !err.contains("unknown field"), "{err}");
    assert!(!err.contains("long lines are shortened"), "{err}");
    let out = detente(&["analyze", &file, "--case", "KTAB-CHINA-2014-CNPX"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("did you mean --case KTAB-CHINA-2014-CNPC?"), "{}", stderr(&out));
    let out = detente(&["convert", &file, "--case", "KTAB-CHINA-2014-CNPC", "-o", &out_path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(detente(&["check", "--deny-warnings", &out_path]).status.code(), Some(0));
    let out = detente(&["forecast", &file, "--case", "KTAB-CHINA-2014-POLICY", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = detente(&["analyze", &file, "--case", "KTAB-CHINA-2014-POLICY"]);
    assert!(matches!(out.status.code(), Some(0 | 2)), "{}", stderr(&out));
    let kuril = repo().join("scenarios/kuril-2019.toml").display().to_string();
    let out = detente(&["analyze", &kuril, "--case", "X"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not a case collection"), "{}", stderr(&out));
}

/// The spatial model's forecast does not depend on the order of the rows:
/// two equal actors at 0 and 100 tie, and either order gives the same.
#[test]
fn issue_16_spatial_tie_is_order_independent() {
    let dir = tempfile::tempdir().unwrap();
    let mut forecasts = Vec::new();
    for (a, b) in [("0", "100"), ("100", "0")] {
        let text = format!(
            "format = 1\nname = \"tie\"\n[[issues]]\nid = \"x\"\nkind = \"continuous\"\nmin = 0\nmax = 100\n\
             [[actors]]\nid = \"a\"\nstances.x = {{ position = {a}, salience = 1 }}\n\
             [[actors]]\nid = \"b\"\nstances.x = {{ position = {b}, salience = 1 }}\n"
        );
        let path = write(dir.path(), &format!("tie{a}.toml"), &text);
        let out = detente(&["forecast", &path, "--model", "ktab-smp", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let forecast = doc["issues"][0]["forecasts"][0]["forecast"].clone();
        assert!(forecast.is_number(), "{doc}");
        forecasts.push(forecast);
    }
    assert_eq!(forecasts[0], forecasts[1]);
    assert_eq!(forecasts[0], 0.0);
}

/// `detente scenarios` lists exactly what `scenarios/` holds, each entry
/// loads clean, and every `scenarios/…` path in the README exists.
#[test]
fn issue_16_bundled_scenarios_are_listed_and_run() {
    let out = detente(&["scenarios"]);
    assert_eq!(out.status.code(), Some(0));
    let listed: Vec<String> =
        stdout(&out).lines().skip(1).filter_map(|l| l.split_whitespace().next().map(str::to_string)).collect();
    let mut on_disk: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(repo().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "toml") {
            on_disk.push(format!("scenarios/{name}"));
        }
    }
    for entry in std::fs::read_dir(repo().join("scenarios/anac")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            on_disk.push(format!("scenarios/anac/{}", path.file_name().unwrap().to_string_lossy()));
        }
    }
    let (mut a, mut b) = (listed.clone(), on_disk);
    a.sort();
    b.sort();
    assert_eq!(a, b, "detente scenarios and the scenarios/ folder differ");
    for path in &listed {
        let out = detente(&["check", "--deny-warnings", path]);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", stderr(&out));
    }
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(!readme.contains("../shared/data/genius"), "README examples need data a clone does not have");
    for word in readme.split(|c: char| c.is_whitespace() || c == '`' || c == '(' || c == ')') {
        if let Some(rest) = word.strip_prefix("scenarios/") {
            let path = format!("scenarios/{}", rest.trim_end_matches(['.', ',', ':', ';']));
            assert!(repo().join(&path).exists(), "README names {path}, which is not bundled");
        }
    }
}

/// Long analyses show progress on a terminal in every command that
/// enumerates (`report` was silent). Needs `script` (util-linux) for a
/// pseudo-terminal; skipped with a note where it is missing outside CI.
#[test]
fn issue_16_progress_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(!ci(), "`script` (util-linux) is needed for this test in CI");
        eprintln!("skipping: no `script` for a pseudo-terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "w.toml", &opposed("0", "2000000", "0", "2000000"));
    let html = dir.path().join("r.html").display().to_string();
    for args in [format!("analyze {path}"), format!("report {path} -o {html}")] {
        let log = dir.path().join("typescript");
        let command = format!("{} {args} >/dev/null", env!("CARGO_BIN_EXE_detente"));
        let out = Command::new("script")
            .args(["-qec", &command, &log.display().to_string()])
            .current_dir(repo())
            .output()
            .expect("run script");
        assert!(out.status.success(), "{args}: {}", stderr(&out));
        let seen = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned();
        assert!(seen.contains("/2000001 outcomes"), "{args}: no progress bar in {seen:?}");
    }
}

/// Forecasts on a huge (finite) scale print numbers people can read.
#[test]
fn issue_16_huge_scales_print_in_scientific_notation() {
    let dir = tempfile::tempdir().unwrap();
    let text = "format = 1\nname = \"x\"\n[[issues]]\nid = \"a\"\nkind = \"continuous\"\nmin = -1e200\nmax = 1e200\n\
                [[actors]]\nid = \"p\"\nstances.a = { position = 0, salience = 1 }\n\
                [[actors]]\nid = \"q\"\nstances.a = { position = 1e200, salience = 1 }\n";
    let path = write(dir.path(), "e.toml", text);
    let out = clean(&["forecast", &path, "--model", "compromise"], 10);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("scale -1.000e200 to 1.000e200") && text.contains("5.000e199"), "{text}");
    assert!(text.lines().all(|l| l.len() < 200), "{text}");
}

/// The ANAC 2014 10- and 50-issue domains (10¹⁰ and 10⁴⁰ outcomes, beyond
/// --max-outcomes) play in a tournament of time-dependent strategies: every
/// negotiation ends in an agreement or at the deadline, and the frontier is
/// reported unknown rather than as a number.
#[test]
fn issue_16_anac_2014_domains_play_in_tournaments() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["10issues", "50issues"] {
        let Some(path) = shared(&format!("genius/anac/y2014/{name}")) else { return };
        let out_dir = dir.path().join(name).display().to_string();
        let path = path.display().to_string();
        let out = clean(&["tournament", &path, "--strategies", "boulware,conceder,linear", "--out", &out_dir], 120);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let lines = std::fs::read_to_string(dir.path().join(name).join("negotiations.jsonl")).unwrap();
        assert_eq!(lines.lines().count(), 9, "{lines}");
        for line in lines.lines() {
            let r: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(r["reached"].as_bool().unwrap() || r["rounds"] == 100, "{line}");
            assert!(r["pareto_distance"].is_null(), "{line}");
        }
        let summary = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(summary.contains("boulware") && summary.contains("—"), "{summary}");
        let out = clean(&["tournament", &path, "--strategies", "frequency", "--out", &format!("{out_dir}-f")], 60);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("too large to list"), "{}", stderr(&out));
    }
}

/// One budget model: `forecast` takes `--max-outcomes` for its search of the
/// nearest allowed outcome, which checked the size only after building the
/// grid (an integer issue of 10¹¹ values with a status quo and a broken
/// constraint aborted); `report` keeps its talks within `--max-outcomes`.
#[test]
fn issue_16_budgets_are_checked_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}[status_quo]\naid = 0\n[[constraints]]\nowner = \"donor\"\nlabel = \"cap\"\nrule = \"aid <= 1\"\n",
        integer_scenario("0", "100000000000")
    );
    let path = write(dir.path(), "big.toml", &text);
    let out = clean(&["forecast", &path, "--model", "compromise"], 10);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("more than the 2000000 searched"), "{}", stdout(&out));
    let out = clean(&["forecast", &path, "--model", "compromise", "--max-outcomes", "1e3"], 10);
    assert!(stdout(&out).contains("more than the 1000 searched"), "{}", stdout(&out));
    // Two issues of ten values: each within the limit (the issue-by-issue
    // frontier applies), their 100 outcomes not.
    let two = "format = 1\nname = \"two\"\n\
               [[issues]]\nid = \"a\"\nkind = \"integer\"\nmin = 0\nmax = 9\n\
               [[issues]]\nid = \"b\"\nkind = \"integer\"\nmin = 0\nmax = 9\n\
               [[actors]]\nid = \"p\"\nstances.a = { position = 9, salience = 1 }\n\
               [[actors]]\nid = \"q\"\nstances.a = { position = 0, salience = 1 }\n";
    let small = write(dir.path(), "small.toml", two);
    let md = dir.path().join("r.md").display().to_string();
    let out = clean(&["report", &small, "-o", &md, "--max-outcomes", "50"], 30);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(report.contains("No talks can be simulated") && report.contains("limit of 50"), "{report}");
}
