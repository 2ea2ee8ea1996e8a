//! `detente convert`: round trips through the real binary, atomic writes,
//! `--force`, and exit codes on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use detente::scenario::{Domain, Value};
use detente::Scenario;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// A folder of `../shared/data`, or `None` (with a printed reason) outside CI.
fn data(rel: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/data").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(!ci(), "{} is missing", p.display());
    eprintln!("skipping: {} is missing", p.display());
    None
}

fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente")).args(args).current_dir(repo()).output().expect("run detente")
}

fn ok(args: &[&str]) -> Output {
    let out = detente(args);
    assert_eq!(out.status.code(), Some(0), "detente {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn load(path: &Path) -> Scenario {
    let loaded = detente::load_path(path).unwrap();
    loaded.scenario.unwrap_or_else(|| panic!("{}: {:?}", path.display(), loaded.diagnostics))
}

/// Every outcome of a finite scenario, in mixed-radix order.
fn outcomes(scenario: &Scenario) -> Vec<Vec<Value>> {
    let axes: Vec<Vec<Value>> = scenario
        .issues
        .iter()
        .map(|i| match &i.domain {
            Domain::Discrete { options, .. } => (0..options.len()).map(Value::Option).collect(),
            Domain::Integer { min, max, .. } => (*min..=*max).map(Value::Int).collect(),
            Domain::Continuous { .. } => panic!("continuous issue {}", i.id),
        })
        .collect();
    let mut all = vec![Vec::new()];
    for axis in &axes {
        all = all.iter().flat_map(|o| axis.iter().map(move |v| [o.clone(), vec![*v]].concat())).collect();
    }
    all
}

/// Names (`.` and temporary names) left in a folder.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with(".detente-convert-"))
        .collect()
}

const VALID: &str = "format = 1\nname = \"t\"\n[[issues]]\nid = \"treaty\"\noptions = [\"no\", \"yes\"]\n\
[[actors]]\nid = \"a\"\nstances.treaty = { position = \"yes\", salience = 1 }\n\
[[actors]]\nid = \"b\"\nstances.treaty = { position = \"no\", salience = 0.5 }\n";

/// GENIUS folder → TOML → GENIUS folder keeps every utility of every outcome
/// bit for bit, and the reservation values and discount factors.
#[test]
fn genius_to_toml_to_genius_keeps_every_utility() {
    let domains = ["y2011/Laptop", "y2010/ItexvsCypress", "y2010/EnglandZimbabwe", "y2011/Camera"];
    let tmp = tempfile::tempdir().unwrap();
    let mut checked = 0usize;
    for rel in domains {
        let Some(dir) = data(&format!("genius/anac/{rel}")) else { return };
        let name = rel.replace('/', "-");
        let toml = tmp.path().join(format!("{name}.toml"));
        let back = tmp.path().join(format!("{name}-genius"));
        ok(&["convert", s(&dir), "--to", "toml", "-o", s(&toml)]);
        ok(&["check", s(&toml)]);
        ok(&["convert", s(&toml), "--to", "genius", "-o", s(&back)]);
        let original = load(&dir);
        let via_toml = load(&toml);
        let round = load(&back);
        assert_eq!(original.actors.len(), round.actors.len(), "{rel}");
        for (a, b) in original.actors.iter().zip(&via_toml.actors) {
            assert_eq!(a, b, "{rel}: TOML changed actor {}", a.id);
        }
        for a in &original.actors {
            let r = round.actors.iter().find(|r| r.id == a.id).unwrap_or_else(|| panic!("{rel}: actor {} lost", a.id));
            assert_eq!(r.discount.to_bits(), a.discount.to_bits(), "{rel}: {}", a.id);
            assert_eq!(
                round.reservation_value(round.actor_index(&r.id).unwrap()).to_bits(),
                original.reservation_value(original.actor_index(&a.id).unwrap()).to_bits(),
                "{rel}: {}",
                a.id
            );
            for o in outcomes(&original) {
                let (u, v) = (a.utility(&original.issues, &o), r.utility(&round.issues, &o));
                assert_eq!(u.to_bits(), v.to_bits(), "{rel}: {} at {o:?}: {u} then {v}", a.id);
                checked += 1;
            }
        }
    }
    eprintln!("{checked} utilities compared");
}

/// Native → JSON → native gives the same scenario (Kuril: constraints,
/// ratifiers, beliefs, status quo and all).
#[test]
fn native_to_json_to_native_is_lossless() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["kuril-2019", "kuril-2019-untethered"] {
        let input = repo().join(format!("scenarios/{name}.toml"));
        let json = tmp.path().join(format!("{name}.json"));
        let toml = tmp.path().join(format!("{name}.toml"));
        ok(&["convert", s(&input), "--to", "json", "-o", s(&json)]);
        // The output's extension chooses the format when --to is left out.
        ok(&["convert", s(&json), "-o", s(&toml)]);
        let original = load(&input);
        assert_eq!(original, load(&json), "{name}: JSON");
        assert_eq!(original, load(&toml), "{name}: JSON then TOML");
        let text = std::fs::read_to_string(&json).unwrap();
        assert!(text.trim_start().starts_with('{'), "{name}: not JSON");
    }
}

/// A stakeholder table becomes a native scenario that `check` accepts and
/// that loads to the same scenario.
#[test]
fn table_to_toml_validates() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("trade.csv");
    std::fs::write(&plain, "actor,issue,position,salience,capability,min,max\nus,tariff,10,0.8,3,0,25\nus,quota,50,0.2,2,,\ncn,tariff,25,0.6,1,,\ncn,quota,0,1,1,,\n").unwrap();
    let mut inputs = vec![plain];
    for rel in
        ["stakeholders/cop21.csv", "stakeholders/decide_sample_data.txt", "ktab/dummyData_3Dim.csv", "bdm/china.csv"]
    {
        if let Some(p) = data(rel) {
            inputs.push(p);
        }
    }
    for (k, input) in inputs.iter().enumerate() {
        let out = tmp.path().join(format!("table-{k}.toml"));
        ok(&["convert", s(input), "--to", "toml", "-o", s(&out)]);
        ok(&["check", "--deny-warnings", s(&out)]);
        assert_eq!(load(input), load(&out), "{}", input.display());
    }
}

#[test]
fn refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.toml");
    std::fs::write(&input, VALID).unwrap();
    let out = tmp.path().join("out.json");
    std::fs::write(&out, "keep me").unwrap();
    let res = detente(&["convert", s(&input), "--to", "json", "-o", s(&out)]);
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("--force"), "{}", String::from_utf8_lossy(&res.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    ok(&["convert", s(&input), "--to", "json", "-o", s(&out), "--force"]);
    assert!(std::fs::read_to_string(&out).unwrap().contains("\"treaty\""));

    // A GENIUS folder: refused, then replaced as a whole.
    let folder = tmp.path().join("g");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("stale.xml"), "old").unwrap();
    let res = detente(&["convert", s(&input), "--to", "genius", "-o", s(&folder)]);
    assert_eq!(res.status.code(), Some(2));
    assert!(folder.join("stale.xml").exists());
    ok(&["convert", s(&input), "--to", "genius", "-o", s(&folder), "--force"]);
    let mut names: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["a.xml", "b.xml", "domain.xml"]);
    assert_eq!(load(&folder).actors.len(), 2);
    assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
}

#[test]
fn invalid_input_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, VALID.replace("\"yes\", salience", "\"yse\", salience")).unwrap();
    for to in ["toml", "json", "genius"] {
        let out = tmp.path().join(format!("out-{to}"));
        let res = detente(&["convert", s(&bad), "--to", to, "-o", s(&out)]);
        assert_eq!(res.status.code(), Some(1), "{to}");
        let err = String::from_utf8_lossy(&res.stderr);
        // Rendered like `check`: file, line and column, and the suggestion.
        assert!(err.contains("bad.toml:8:31") && err.contains("did you mean \"yes\"?"), "{err}");
        assert!(!out.exists(), "{to}");
    }
    // Malformed TOML, a malformed table and a broken GENIUS profile are
    // invalid input too.
    let syntax = tmp.path().join("syntax.toml");
    std::fs::write(&syntax, "format = 1\nname = \"t\n").unwrap();
    let table = tmp.path().join("t.csv");
    std::fs::write(&table, "actor,issue,position,salience,capability\nus,tariff,10,1.8,3\n").unwrap();
    let genius = tmp.path().join("genius");
    std::fs::create_dir(&genius).unwrap();
    std::fs::write(genius.join("d.xml"), "<negotiation_template><utility_space><objective index=\"0\" name=\"x\"><issue index=\"1\" etype=\"discrete\" name=\"i\"><item index=\"1\" value=\"a\"/></issue></objective></utility_space></negotiation_template>").unwrap();
    std::fs::write(genius.join("p.xml"), "<utility_space><objective><weight index=\"1\" value=\"x\"/>").unwrap();
    for input in [&syntax, &table, &genius] {
        let out = tmp.path().join("never.toml");
        let res = detente(&["convert", s(input), "-o", s(&out)]);
        assert_eq!(res.status.code(), Some(1), "{}: {}", input.display(), String::from_utf8_lossy(&res.stderr));
        assert!(String::from_utf8_lossy(&res.stderr).contains("error"));
        assert!(!out.exists());
    }
    assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
}

#[test]
fn genius_refuses_what_it_cannot_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("c.toml");
    let continuous = "format = 1\nname = \"t\"\n[[issues]]\nid = \"price\"\nkind = \"continuous\"\nmin = 0\nmax = 10\n\
        [[actors]]\nid = \"a\"\nstances.price = { position = 3, salience = 1 }\n\
        [[issues]]\nid = \"days\"\nkind = \"integer\"\nmin = 1\nmax = 5\n";
    std::fs::write(&input, continuous).unwrap();
    let out = tmp.path().join("g");
    let res = detente(&["convert", s(&input), "--to", "genius", "-o", s(&out)]);
    assert_eq!(res.status.code(), Some(1), "{}", String::from_utf8_lossy(&res.stderr));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("`price` is continuous"), "{err}");
    assert!(!out.exists());
    // A quadratic stance on an integer issue has no GENIUS form.
    let integer = "format = 1\nname = \"t\"\n[[issues]]\nid = \"days\"\nkind = \"integer\"\nmin = 1\nmax = 5\n\
        [[actors]]\nid = \"a\"\nstances.days = { position = 3, salience = 1, shape = \"quadratic\" }\n";
    std::fs::write(&input, integer).unwrap();
    let res = detente(&["convert", s(&input), "--to", "genius", "-o", s(&out)]);
    assert_eq!(res.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&res.stderr).contains("quadratic"), "{}", String::from_utf8_lossy(&res.stderr));
    assert!(!out.exists());
    assert!(leftovers(tmp.path()).is_empty());
    // Conditional issues and interaction terms have no GENIUS form: the
    // Kuril files use both.
    let res = detente(&["convert", "scenarios/kuril-2019.toml", "--to", "genius", "-o", s(&out)]);
    assert_eq!(res.status.code(), Some(1));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("issue `territory_in_treaty` applies only under a condition"), "{err}");
    assert!(err.contains("actor `japan` has interaction terms"), "{err}");
    assert!(!out.exists());
    // What GENIUS cannot hold but can do without is noted.
    let constrained = "format = 1\nname = \"t\"\n[[issues]]\nid = \"treaty\"\noptions = [\"no\", \"yes\"]\n\
        [[actors]]\nid = \"a\"\nstances.treaty = { position = \"yes\", salience = 1 }\n\
        [[actors]]\nid = \"b\"\nstances.treaty = { position = \"no\", salience = 1 }\n\
        [[constraints]]\nlabel = \"c\"\nowner = \"b\"\nrule = \"never treaty\"\n";
    std::fs::write(&input, constrained).unwrap();
    let res = ok(&["convert", s(&input), "--to", "genius", "-o", s(&out)]);
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("note:") && err.contains("constraint"), "{err}");
}

#[test]
fn stdout_usage_and_io_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.toml");
    std::fs::write(&input, VALID).unwrap();
    let res = ok(&["convert", s(&input), "--to", "json", "-o", "-"]);
    let doc: serde_json::Value = serde_json::from_slice(&res.stdout).expect("JSON on stdout");
    assert_eq!(doc["issues"][0]["id"], "treaty");
    let res = ok(&["convert", s(&input), "--to", "toml", "-o", "-"]);
    assert!(String::from_utf8_lossy(&res.stdout).contains("[[issues]]"));
    // Standard input in, standard output out.
    let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(["convert", "-", "--to", "json", "-o", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), VALID.as_bytes()).unwrap();
    let res = child.wait_with_output().unwrap();
    assert_eq!(res.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&res.stdout).contains("\"treaty\""));
    // Usage: a folder cannot go to stdout; the format must be known.
    assert_eq!(detente(&["convert", s(&input), "--to", "genius", "-o", "-"]).status.code(), Some(2));
    assert_eq!(detente(&["convert", s(&input), "-o", s(&tmp.path().join("x.yaml"))]).status.code(), Some(2));
    assert_eq!(detente(&["convert", s(&input), "--to", "xml", "-o", "-"]).status.code(), Some(2));
    // I/O: a missing input, a missing output folder.
    let missing = tmp.path().join("missing.toml");
    assert_eq!(detente(&["convert", s(&missing), "--to", "json", "-o", "-"]).status.code(), Some(2));
    let nowhere = tmp.path().join("no/such/dir/out.json");
    let res = detente(&["convert", s(&input), "--to", "json", "-o", s(&nowhere)]);
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("cannot"), "{}", String::from_utf8_lossy(&res.stderr));
    let res = detente(&["convert", s(&input), "--to", "genius", "-o", s(&nowhere)]);
    assert_eq!(res.status.code(), Some(2));
}

/// Converted files get ordinary permissions, not a temporary file's 0600.
#[cfg(unix)]
#[test]
fn outputs_are_readable_by_others_as_usual() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.toml");
    std::fs::write(&input, VALID).unwrap();
    let out = tmp.path().join("out.toml");
    ok(&["convert", s(&input), "-o", s(&out)]);
    let reference = tmp.path().join("plain");
    std::fs::write(&reference, "x").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out), mode(&reference));
}

/// A GeniusWeb domain without profiles loads with no actors, which a native
/// scenario may not have: convert says so instead of writing a file `check`
/// would refuse.
#[test]
fn never_writes_a_scenario_detente_would_refuse() {
    let tmp = tempfile::tempdir().unwrap();
    let domain = repo().join("crates/detente/tests/fixtures/geniusweb/jobs/jobs.json");
    let out = tmp.path().join("jobs.toml");
    let res = detente(&["convert", s(&domain), "-o", s(&out)]);
    assert_eq!(res.status.code(), Some(1), "{}", String::from_utf8_lossy(&res.stderr));
    assert!(String::from_utf8_lossy(&res.stderr).contains("no actors"), "{}", String::from_utf8_lossy(&res.stderr));
    assert!(!out.exists());
    assert!(leftovers(tmp.path()).is_empty());
    // With its profiles (the folder) it converts.
    ok(&["convert", s(domain.parent().unwrap()), "-o", s(&out)]);
    ok(&["check", s(&out)]);
}
