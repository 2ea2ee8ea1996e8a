//! End-to-end tests of `detente negotiate` and `detente tournament`: the
//! text and JSON outputs, errors, plots, thread independence, and a
//! tournament killed mid-run that resumes to the uninterrupted result.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo()).output().expect("run detente")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn kuril_talks_fail_and_the_untethered_ones_succeed() {
    let out = detente(&["negotiate", "scenarios/kuril-2019.toml", "--strategy", "conceder"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("No agreement: the deadline passed after 100 rounds"), "{t}");
    assert!(t.contains("japan: conceder:e=2,k=0,floor=reservation,accept=next"), "{t}");
    // Without an agreement, its quality means nothing and is not printed;
    // offers are changes from the status quo.
    assert!(!t.contains("Distance to the") && !t.contains("Welfare"), "{t}");
    assert!(!t.contains("kunashiri_etorofu=no"), "{t}");
    assert!(t.contains("; the rest as the status quo\n"), "{t}");

    let out = detente(&["negotiate", "scenarios/kuril-2019-untethered.toml", "--strategy", "linear", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "detente.negotiation/1");
    assert_eq!(v["result"]["ending"], "agreement");
    assert_eq!(v["result"]["stands"], true);
    assert_eq!(v["result"]["agreement"]["peace_treaty"], "yes");
    assert_eq!(v["strategies"]["russia"]["strategy"], "linear:e=1,k=0,floor=reservation,accept=next");
    let trace = v["trace"].as_array().unwrap();
    assert_eq!(trace[0]["action"], "offer");
    assert_eq!(trace.last().unwrap()["action"], "accept");
    let uj = v["result"]["utilities"]["japan"].as_f64().unwrap();
    assert!(uj > 0.574, "japan gains over its reservation: {uj}");

    // Tokyo's frequency model, seeded with its mistaken beliefs, offers a
    // treaty on 1956 terms that breaks Moscow's precondition.
    let out = detente(&["negotiate", "scenarios/kuril-2019.toml", "--strategy", "japan=frequency", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v["trace"][0];
    assert_eq!(first["actor"], "japan");
    assert_eq!(first["outcome"]["habomai_shikotan"], "yes");
    assert!(first["breaks"].as_array().unwrap().iter().any(|b| b == "recognition-first"), "{first}");
    assert_eq!(v["result"]["ending"], "deadline");
    // The text marks the offers that break a constraint, as the case study
    // says.
    let out = detente(&["negotiate", "scenarios/kuril-2019.toml", "--strategy", "japan=frequency"]);
    let t = text(&out.stdout);
    assert!(
        t.contains(
            "[breaks `recognition-first` (russia), `bases-clarity` (russia), `no-capitulation` (russia_public)]"
        ),
        "{t}"
    );
}

/// The case study's table of simulated talks (docs/case-studies/kuril.md):
/// 0 of 25 pairings agree tethered; untethered 18 agree and every one
/// stands, the best for Tokyo at 0.704 / 0.455.
#[test]
fn the_case_study_tournaments_hold() {
    let dir = tempfile::tempdir().unwrap();
    let count = |file: &str| -> (usize, usize, f64) {
        let out_dir = dir.path().join(file);
        let out = detente(&[
            "tournament",
            &format!("scenarios/{file}.toml"),
            "--strategies",
            "boulware,linear,conceder,tit-for-tat,frequency",
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let lines = std::fs::read_to_string(out_dir.join("negotiations.jsonl")).unwrap();
        let records: Vec<serde_json::Value> = lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(records.len(), 25);
        let reached = records.iter().filter(|r| r["reached"] == true).count();
        let stands: Vec<&serde_json::Value> = records.iter().filter(|r| r["agreement"] == true).collect();
        let best = stands.iter().map(|r| r["utilities"][0].as_f64().unwrap()).fold(0.0, f64::max);
        (reached, stands.len(), best)
    };
    assert_eq!(count("kuril-2019"), (0, 0, 0.0));
    let (reached, stands, best) = count("kuril-2019-untethered");
    assert_eq!((reached, stands), (18, 18));
    assert!((best - 0.676).abs() < 5e-4, "{best}");
    let case = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/case-studies/kuril.md"),
    )
    .unwrap();
    assert!(case.contains("| the governments agree at the table | 0 of 25 | 18 of 25 |"));
    assert!(case.contains("| … and the agreement stands | 0 | 18 |"));
}

#[test]
fn a_rejected_agreement_names_the_ratifier() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ratify.toml");
    std::fs::write(
        &path,
        r#"format = 1
name = "Ratification"
[[issues]]
id = "price"
options = ["low", "mid", "high"]
[[actors]]
id = "buyer"
ratifiers = ["board"]
stances.price = { values = { low = 1.0, mid = 0.6, high = 0.0 }, salience = 1.0 }
[[actors]]
id = "seller"
stances.price = { values = { low = 0.0, mid = 0.6, high = 1.0 }, salience = 1.0 }
[[actors]]
id = "board"
role = "ratifier"
reservation = 0.8
stances.price = { values = { low = 1.0, mid = 0.6, high = 0.0 }, salience = 1.0 }
"#,
    )
    .unwrap();
    let out = detente(&["negotiate", path.to_str().unwrap(), "--strategy", "linear", "--rounds", "10"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("Agreement in round 4 of 0–9"), "{t}");
    assert!(t.contains("It does not stand:"), "{t}");
    assert!(t.contains("board must ratify it and rejects it: worth 0.600 to it, below its reservation 0.800"), "{t}");
}

#[test]
fn bad_arguments_are_clear_errors() {
    let cases: [(&[&str], &str); 5] = [
        (&["--strategy", "boulwar"], "did you mean `boulware`"),
        (&["--strategy", "jpan=linear"], "did you mean `japan`"),
        (&["--strategy", "linear:e=-2"], "outside"),
        (&["--first", "china"], "not a party"),
        (&["--strategy", "linear:accept=soon"], "unknown acceptance condition"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["negotiate", "scenarios/kuril-2019.toml"];
        args.extend_from_slice(extra);
        let out = detente(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = text(&out.stderr);
        assert!(e.contains(expected), "{args:?}: {e}");
        assert!(!e.contains("panicked"));
    }
}

#[test]
fn the_plot_shows_the_offers_on_the_utility_plane() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("talks.svg");
    let out = detente(&[
        "negotiate",
        "scenarios/kuril-2019-untethered.toml",
        "--strategy",
        "linear",
        "--plot",
        svg.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = std::fs::read_to_string(&svg).unwrap();
    assert!(s.starts_with("<svg"), "{}", &s[..80]);
    assert!(s.contains("<title>Simulated talks: "), "title");
    assert!(s.contains("offers of Government of Japan"), "legend names the paths");
    assert!(s.contains("agreement reached"), "legend has the agreement");
}

/// Asserts two files are equal, showing the first differing line.
fn same_file(a: &Path, b: &Path) {
    let (x, y) = (std::fs::read_to_string(a).unwrap(), std::fs::read_to_string(b).unwrap());
    if x != y {
        let diff = x.lines().zip(y.lines()).enumerate().find(|(_, (p, q))| p != q);
        panic!(
            "{} ({} lines) and {} ({} lines) differ; first at {:?}",
            a.display(),
            x.lines().count(),
            b.display(),
            y.lines().count(),
            diff
        );
    }
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|s| s.lines().count()).unwrap_or(0)
}

const TOURNAMENT: &[&str] = &[
    "tournament",
    "scenarios/kuril-2019.toml",
    "scenarios/kuril-2019-untethered.toml",
    "--strategies",
    "random,boulware,frequency,tit-for-tat:mode=absolute",
    "--reps",
    "40",
    "--rounds",
    "400",
    "--seed",
    "11",
];

fn tournament(out: &Path, extra: &[&str], threads: &str) -> Output {
    let mut args: Vec<&str> = TOURNAMENT.to_vec();
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(&args)
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(repo())
        .output()
        .expect("run detente")
}

#[test]
fn a_killed_tournament_resumes_to_the_uninterrupted_result() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let out = tournament(&whole, &[], "2");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let total = 2 * 16 * 40;
    assert_eq!(lines(&whole.join("negotiations.jsonl")), total);

    // The same tournament on one thread leaves the same bytes.
    let single = dir.path().join("single");
    assert!(tournament(&single, &[], "1").status.success());
    for f in ["negotiations.jsonl", "summary.json", "summary.txt"] {
        same_file(&whole.join(f), &single.join(f));
    }

    // Kill a run once some negotiations are written, then resume it.
    let cut = dir.path().join("cut");
    let mut args: Vec<&str> = TOURNAMENT.to_vec();
    args.extend(["--out", cut.to_str().unwrap()]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(&args)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let results = cut.join("negotiations.jsonl");
    let start = Instant::now();
    while lines(&results) < 40 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let written = lines(&results);
    assert!(written >= 40 && written < total, "killed mid-run: {written} of {total} written");
    // Simulate a line cut short by the kill.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().append(true).open(&results).unwrap();
        f.write_all(br#"{"id":3,"scenario":"kur"#).unwrap();
    }
    // Without --resume the folder is refused.
    let refused = tournament(&cut, &[], "2");
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("add --resume"), "{}", text(&refused.stderr));
    // With different arguments too.
    let mut other: Vec<&str> = TOURNAMENT.to_vec();
    let last = other.len() - 1;
    other[last] = "12";
    other.extend(["--out", cut.to_str().unwrap(), "--resume"]);
    let refused = Command::new(env!("CARGO_BIN_EXE_detente")).args(&other).current_dir(repo()).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("differs in seed"), "{}", text(&refused.stderr));

    let resumed = tournament(&cut, &["--resume"], "2");
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    for f in ["negotiations.jsonl", "summary.json", "summary.txt"] {
        same_file(&whole.join(f), &cut.join(f));
    }
    assert_eq!(text(&resumed.stdout), text(&out.stdout));
}

#[test]
fn tournament_plot_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("t");
    let svg = dir.path().join("t.svg");
    let out = detente(&[
        "tournament",
        "scenarios/kuril-2019-untethered.toml",
        "--strategies",
        "boulware,conceder",
        "--out",
        out_dir.to_str().unwrap(),
        "--json",
        "--plot",
        svg.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "detente.tournament/1");
    assert_eq!(v["negotiations"], 4);
    assert_eq!(v["strategies"].as_array().unwrap().len(), 2);
    let s = std::fs::read_to_string(&svg).unwrap();
    // Row i (best first) starts at y = 44 + 44·i: the strategy's own bar
    // (4 px down, 18 high) then its opponents' bar, both from x = 260 and
    // round(u·420) long.
    for (i, row) in v["strategies"].as_array().unwrap().iter().enumerate() {
        let top = 44 + 44 * i as i64;
        let width = |k: &str| (row[k].as_f64().unwrap() * 420.0).round() as i64;
        let own = format!(r##"<rect x="260" y="{}" width="{}" height="18" fill="#332288""##, top + 4, width("utility"));
        let opp = format!(
            r##"<rect x="260" y="{}" width="{}" height="18" fill="#BBBBBB""##,
            top + 22,
            width("opponent_utility")
        );
        assert!(s.contains(&own), "{own} in {s}");
        assert!(s.contains(&opp), "{opp} in {s}");
    }
    assert!(s.contains("mean discounted utility of its opponents"));
}

#[test]
fn a_bayesian_party_records_its_posterior_and_plots_it() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("talks.svg");
    let args = |extra: &[&str]| {
        let mut a = vec!["negotiate", "scenarios/anac/Laptop", "--strategy", "laptop_buyer_utility=bayesian"];
        a.extend_from_slice(extra);
        detente(&a)
    };
    let out = args(&["--json", "--plot", svg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let posterior = doc["posterior"].as_array().expect("a posterior field");
    let rounds = doc["result"]["rounds_used"].as_u64().unwrap() as usize;
    assert_eq!(posterior.len(), rounds, "one record per round");
    for (r, rec) in posterior.iter().enumerate() {
        assert_eq!(rec["round"], r);
        assert_eq!(rec["holder"], "laptop_buyer_utility");
        assert_eq!(rec["about"], "laptop_seller_utility");
        let hyps = rec["hypotheses"].as_array().unwrap();
        assert!(hyps.len() <= 9, "top 8 and other");
        let total: f64 = hyps.iter().map(|h| h["probability"].as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-9, "{rec}");
    }
    // The plane as asked, and the posterior beside it.
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let figure = std::fs::read_to_string(dir.path().join("talks-posterior.svg")).unwrap();
    assert!(figure.contains("<title>Posterior by round: Laptop</title>"), "{}", &figure[..300]);
    assert!(figure.contains("what laptop_buyer_utility believes about laptop_seller_utility"));
    // The same seed, the same document.
    let again = args(&["--json"]);
    assert_eq!(out.stdout, again.stdout);
    // The text names the posterior; talks without a bayesian party have no
    // posterior field and no posterior figure.
    let t = text(&args(&[]).stdout);
    assert!(t.contains("Posterior (what a Bayesian party believes"), "{t}");
    let plain_svg = dir.path().join("plain.svg");
    let plain = detente(&["negotiate", "scenarios/anac/Laptop", "--json", "--plot", plain_svg.to_str().unwrap()]);
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(doc.get("posterior").is_none());
    assert!(!dir.path().join("plain-posterior.svg").exists());
}

/// `--format csv|parquet` writes the scores (one row per party in each
/// negotiation, with the agreed values) and the four tables; `summary.json`
/// carries the same tables.
#[test]
fn tournament_tables_for_data_tools() {
    let dir = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        let out_dir = dir.path().join(format);
        let out = detente(&[
            "tournament",
            "scenarios/anac/Laptop",
            "--strategies",
            "boulware,conceder",
            "--reps",
            "2",
            "--format",
            format,
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        out_dir
    };
    let csv = run("csv");
    let scores = std::fs::read_to_string(csv.join("scores.csv")).unwrap();
    let mut lines = scores.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,scenario,rep,seat,party,strategy,alias,opponents,reached,agreement,outcome,outcome.laptop,\
         outcome.harddisk,outcome.external_monitor,utility,advantage,opponent_utility,welfare,pareto_distance,\
         nash_distance,kalai_distance,ks_distance,rounds"
    );
    // 4 pairings × 2 reps × 2 seats.
    assert_eq!(lines.count(), 16);
    let role = std::fs::read_to_string(csv.join("table-role.csv")).unwrap();
    assert!(role.starts_with("scenario,seat,party,strategy,alias,rank,seats,agreements,agreement_rate,"), "{role}");
    // Two seats × two strategies.
    assert_eq!(role.lines().count(), 1 + 4);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(csv.join("summary.json")).unwrap()).unwrap();
    for (table, rows) in [("strategy", 2), ("scenario", 2), ("pairing", 4), ("role", 4)] {
        assert_eq!(summary["tables"][table].as_array().unwrap().len(), rows, "{table}");
    }
    let row = &summary["tables"]["strategy"][0];
    // Each strategy sits 8 times: mean, spread and interval of its utility.
    assert_eq!(row["seats"], 8);
    let u = &row["utility"];
    assert!(u["low"].as_f64().unwrap() <= u["mean"].as_f64().unwrap());
    assert!(u["mean"].as_f64().unwrap() <= u["high"].as_f64().unwrap());

    let parquet = run("parquet");
    for name in ["scores", "table-strategy", "table-scenario", "table-pairing", "table-role"] {
        let bytes = std::fs::read(parquet.join(format!("{name}.parquet"))).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "{name}");
    }
    // The JSON lines and the summary do not depend on --format.
    for f in ["negotiations.jsonl", "summary.json", "summary.txt"] {
        assert_eq!(std::fs::read(csv.join(f)).unwrap(), std::fs::read(parquet.join(f)).unwrap(), "{f}");
    }

    let bad = detente(&[
        "tournament",
        "scenarios/anac/Laptop",
        "--format",
        "xlsx",
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("[possible values: csv, parquet]"), "{}", text(&bad.stderr));
}

/// `--shard K/N` runs every N-th negotiation; `--merge` gathers the shard
/// folders into the folder a single run leaves, byte for byte; a shard cut
/// short resumes on its own, and a merge refuses missing, repeated,
/// unfinished and foreign shards, saying how to fix each.
#[test]
fn sharded_tournaments_merge_to_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let base = [
        "tournament",
        "scenarios/anac/Laptop",
        "scenarios/kuril-2019-untethered.toml",
        "--strategies",
        "boulware,linear,random",
        "--reps",
        "2",
        "--format",
        "csv",
    ];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        detente(&args)
    };
    assert!(run(&["--out", &p("single")]).status.success());
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = run(&["--shard", &shard, "--out", &p(&format!("s{k}"))]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).starts_with(&format!("Shard {k}/3: 12 negotiations of 36 written")));
        assert!(!dir.path().join(format!("s{k}/summary.json")).exists(), "a shard has no summary");
    }
    let merged = run(&["--merge", &p("s1"), &p("s2"), &p("s3"), "--out", &p("merged")]);
    assert!(merged.status.success(), "{}", text(&merged.stderr));
    for f in ["tournament.json", "negotiations.jsonl", "summary.json", "summary.txt", "scores.csv", "table-pairing.csv"]
    {
        assert_eq!(
            std::fs::read(dir.path().join("merged").join(f)).unwrap(),
            std::fs::read(dir.path().join("single").join(f)).unwrap(),
            "{f}"
        );
    }

    // A shard cut short: the merge says how to finish it, and --resume does.
    let s2 = std::fs::read_to_string(dir.path().join("s2/negotiations.jsonl")).unwrap();
    let cut: String = s2.lines().take(5).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.path().join("s2/negotiations.jsonl"), format!("{cut}{{\"id\": 4")).unwrap();
    let refused = run(&["--merge", &p("s1"), &p("s2"), &p("s3"), "--out", &p("m2")]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("(shard 2/3) has 5 of its 12 negotiations; finish it with --shard 2/3 --resume"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!dir.path().join("m2").exists(), "a refused merge writes nothing");
    assert!(run(&["--shard", "2/3", "--resume", "--out", &p("s2")]).status.success());
    assert!(run(&["--merge", &p("s1"), &p("s2"), &p("s3"), "--out", &p("m3")]).status.success());
    assert_eq!(
        std::fs::read(dir.path().join("m3/negotiations.jsonl")).unwrap(),
        std::fs::read(dir.path().join("single/negotiations.jsonl")).unwrap()
    );

    let (s1, s2, s3, single) = (p("s1"), p("s2"), p("s3"), p("single"));
    let refusals: [(Vec<&str>, &str); 5] = [
        (vec!["--merge", &s1, &s3], "--merge: shard 2/3 missing; give every shard folder"),
        (vec!["--merge", &s1, &s1, &s2, &s3], "are both shard 1/3"),
        (vec!["--merge", &single], "was not written by a shard (run with --shard K/N)"),
        (vec!["--seed", "9", "--merge", &s1, &s2, &s3], "holds a shard of another tournament (it differs in seed)"),
        (vec!["--shard", "4/3"], "`4/3` is not a shard: write K/N with 1 ≤ K ≤ N"),
    ];
    for (k, (extra, message)) in refusals.into_iter().enumerate() {
        let out_dir = p(&format!("bad{k}"));
        let mut args = extra.clone();
        args.extend(["--out", &out_dir]);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(text(&out.stderr).contains(message), "{extra:?}: {}", text(&out.stderr));
    }
}
