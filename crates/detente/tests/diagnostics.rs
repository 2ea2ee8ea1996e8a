//! One test per diagnostic kind: the code, the message and the reported line
//! and column (1-based, as a user sees them).

use detente::{load_bytes, load_str, LineIndex, Loaded, Severity, TextFormat};

/// A valid base; tests append to it or replace parts.
const BASE: &str = r#"format = 1
name = "Base"

[[issues]]
id = "treaty"
options = ["no", "yes"]

[[issues]]
id = "islands"
kind = "discrete"
options = ["none", "two", "four"]
ordered = true

[[issues]]
id = "aid"
kind = "continuous"
min = 0
max = 10

[[actors]]
id = "japan"
stances.treaty = { position = "yes", salience = 0.5 }
stances.islands = { position = "four", salience = 0.5 }

[[actors]]
id = "russia"
stances.treaty = { position = "yes", salience = 0.5 }
stances.islands = { position = "none", salience = 0.5 }
"#;

struct Found {
    severity: Severity,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
}

/// Loads `text` and returns the diagnostic with `code`, failing with the
/// whole list if there is none.
fn find(loaded: &Loaded, code: &str) -> Found {
    let index = LineIndex::new(&loaded.source.text);
    let d = loaded.diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| {
        panic!("no {code} among {:#?}", loaded.diagnostics.iter().map(|d| format!("{d}")).collect::<Vec<_>>())
    });
    let pos = index.line_col(&loaded.source.text, d.span.expect("diagnostic has a span").start);
    Found { severity: d.severity, line: pos.line, column: pos.column, message: d.message.clone(), help: d.help.clone() }
}

#[track_caller]
fn check(text: &str, code: &str, line: usize, column: usize, message: &str) -> Found {
    let loaded = load_str("test.toml", text, TextFormat::Toml);
    let f = find(&loaded, code);
    assert_eq!((f.line, f.column), (line, column), "position of {code}: {}", f.message);
    assert!(f.message.contains(message), "message of {code}: {:?} lacks {message:?}", f.message);
    if f.severity == Severity::Error {
        assert!(loaded.scenario.is_none(), "an error must make the scenario invalid");
    }
    f
}

fn with(extra: &str) -> String {
    format!("{BASE}{extra}")
}

#[test]
fn base_is_valid() {
    let loaded = load_str("base.toml", BASE, TextFormat::Toml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert!(loaded.scenario.is_some());
}

#[test]
fn not_utf8() {
    let mut bytes = b"format = 1\nname = \"x".to_vec();
    bytes.push(0xff);
    let loaded = load_bytes("bin.toml", &bytes);
    let f = find(&loaded, "input::not-utf8");
    assert_eq!((f.line, f.column), (2, 10));
}

#[test]
fn too_deep() {
    let text = format!("format = 1\nx = {}", "[".repeat(200));
    check(&text, "input::too-deep", 2, 69, "nested more than 64");
}

#[test]
fn toml_syntax() {
    check("format = 1\nname = \"unterminated\n", "syntax::toml", 2, 21, "invalid TOML");
}

#[test]
fn json_syntax() {
    let loaded = load_str("x.json", "{\n  \"format\": 1,\n  \"name\": \"x\" \"y\"\n}", TextFormat::Json);
    let f = find(&loaded, "syntax::json");
    assert_eq!(f.line, 3);
}

#[test]
fn json_reports_positions_too() {
    let text = "{\n  \"format\": 1,\n  \"name\": \"x\",\n  \"issues\": [{\"id\": \"a\", \"options\": [\"x\"], \"orderd\": true}],\n  \"actors\": []\n}";
    let loaded = load_str("x.json", text, TextFormat::Json);
    let f = find(&loaded, "scenario::unknown-field");
    assert_eq!((f.line, f.column), (4, 44));
    assert_eq!(f.help.as_deref(), Some("did you mean `ordered`?"));
}

#[test]
fn unsupported_format() {
    check(&BASE.replace("format = 1", "format = 2"), "scenario::unsupported-format", 1, 10, "format version 1");
    check(&BASE.replace("format = 1\n", ""), "scenario::unsupported-format", 1, 1, "format version");
}

#[test]
fn missing_field() {
    let f = check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\n"),
        "scenario::missing-field",
        30,
        1,
        "no `rule`",
    );
    assert!(f.help.unwrap().contains("rule ="));
    check(&BASE.replace("id = \"russia\"\n", ""), "scenario::missing-field", 25, 1, "has no `id`");
}

#[test]
fn unknown_field() {
    let f = check(
        &BASE.replace(
            "stances.treaty = { position = \"yes\", salience = 0.5 }\nstances.islands = { position = \"four\"",
            "stances.treaty = { position = \"yes\", salince = 0.5 }\nstances.islands = { position = \"four\"",
        ),
        "scenario::unknown-field",
        22,
        38,
        "`salince`",
    );
    assert_eq!(f.help.as_deref(), Some("did you mean `salience`?"));
}

#[test]
fn wrong_type() {
    let f = check(&BASE.replace("min = 0", "min = \"zero\""), "scenario::wrong-type", 17, 7, "must be a number");
    assert!(f.help.unwrap().contains("number"));
    check(&BASE.replace("ordered = true", "ordered = \"yes\""), "scenario::wrong-type", 12, 11, "true or false");
    check(
        &BASE.replace("kind = \"continuous\"", "kind = \"continous\""),
        "scenario::wrong-type",
        16,
        8,
        "not an issue kind",
    );
}

#[test]
fn invalid_id() {
    let f = check(
        &BASE.replace("id = \"aid\"", "id = \"economic aid\""),
        "scenario::invalid-id",
        15,
        6,
        "may contain only",
    );
    assert!(f.help.unwrap().contains("economic_aid"));
}

#[test]
fn duplicate() {
    check(
        &BASE.replace("id = \"aid\"", "id = \"treaty\""),
        "scenario::duplicate",
        15,
        6,
        "two issues have the id `treaty`",
    );
    check(
        &BASE.replace("options = [\"no\", \"yes\"]", "options = [\"no\", \"no\"]"),
        "scenario::duplicate",
        6,
        18,
        "listed twice",
    );
}

#[test]
fn unknown_issue() {
    let f = check(
        &BASE.replace("stances.islands = { position = \"none\"", "stances.iSlands = { position = \"none\""),
        "scenario::unknown-issue",
        28,
        9,
        "no issue is named `iSlands`",
    );
    assert_eq!(f.help.as_deref(), Some("did you mean `islands`?"));
    let f = check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"treaty and islnds == 'two'\"\n"),
        "scenario::unknown-issue",
        33,
        20,
        "islnds",
    );
    assert_eq!(f.help.as_deref(), Some("did you mean `islands`?"));
}

#[test]
fn unknown_actor() {
    let f = check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"rusia\"\nrule = \"treaty\"\n"),
        "scenario::unknown-actor",
        32,
        9,
        "no actor is named `rusia`",
    );
    assert_eq!(f.help.as_deref(), Some("did you mean `russia`?"));
}

#[test]
fn unknown_option() {
    let f = check(
        &BASE.replace("position = \"four\"", "position = \"fuor\""),
        "scenario::unknown-option",
        23,
        32,
        "`fuor` is not an option",
    );
    assert_eq!(f.help.as_deref(), Some("did you mean \"four\"?"));
    check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"islands == 'three'\"\n"),
        "scenario::unknown-option",
        33,
        20,
        "`three`",
    );
}

#[test]
fn unknown_constraint() {
    let text = with("\n[[constraints]]\nlabel = \"no-treaty\"\nowner = \"russia\"\nrule = \"never treaty\"\n\n[[beliefs]]\nholder = \"japan\"\nabout = \"russia\"\ndropped_constraints = [\"no-treaty2\"]\n");
    check(&text, "scenario::unknown-constraint", 38, 24, "no constraint is named `no-treaty2`");
}

#[test]
fn out_of_range() {
    check(
        &with("stances.aid = { position = 11, salience = 0.1 }\n"),
        "scenario::out-of-range",
        29,
        28,
        "outside issue `aid`'s range",
    );
    check(
        &BASE.replace("id = \"russia\"", "id = \"russia\"\ncapability = -1"),
        "scenario::out-of-range",
        27,
        14,
        "must not be negative",
    );
    check(
        &BASE.replace("id = \"russia\"", "id = \"russia\"\nreservation = 1.5"),
        "scenario::out-of-range",
        27,
        15,
        "between 0 and 1",
    );
    check(&BASE.replace("max = 10", "max = 1e999"), "scenario::out-of-range", 18, 7, "finite");
}

#[test]
fn salience_range() {
    let f = check(
        &BASE.replace(
            "salience = 0.5 }\nstances.islands = { position = \"four\"",
            "salience = 50 }\nstances.islands = { position = \"four\"",
        ),
        "scenario::salience-range",
        22,
        49,
        "between 0 and 1",
    );
    assert!(f.help.unwrap().contains("rescale"));
}

#[test]
fn invalid_range() {
    check(&BASE.replace("max = 10", "max = -1"), "scenario::invalid-range", 18, 7, "must be above `min`");
}

#[test]
fn value_table() {
    check(
        &with("stances.aid = { values = { low = 1.0 }, salience = 0.1 }\n"),
        "scenario::value-table",
        29,
        26,
        "value tables apply only to discrete issues",
    );
    check(
        &with("stances.aid = { position = 1, values = { a = 1.0 }, salience = 0.1 }\n"),
        "scenario::value-table",
        29,
        28,
        "takes no `position`",
    );
    check(
        &with("stances.aid = { position = 1, shape = \"linear\", values = { a = 1.0 }, salience = 0.1 }\n"),
        "scenario::value-table",
        29,
        58,
        "`values` goes with shape",
    );
    check(
        &BASE.replace(
            "stances.treaty = { position = \"yes\", salience = 0.5 }\nstances.islands = { position = \"none\"",
            "stances.treaty = { values = { yes = 1.0 }, salience = 0.5 }\nstances.islands = { position = \"none\"",
        ),
        "scenario::value-table",
        27,
        29,
        "leaves out `no`",
    );
}

#[test]
fn status_quo() {
    check(&with("\n[status_quo]\ntreaty = \"no\"\n"), "scenario::status-quo", 30, 1, "leaves out `islands`, `aid`");
    check(
        &BASE.replace("id = \"russia\"", "id = \"russia\"\nreservation = \"status-quo\""),
        "scenario::status-quo",
        25,
        1,
        "none is declared",
    );
}

#[test]
fn no_stances_is_a_warning() {
    let f = check(
        &with("\n[[actors]]\nid = \"china\"\nrole = \"third-party\"\n"),
        "scenario::no-stances",
        30,
        1,
        "has no stances",
    );
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn role() {
    let f = check(
        &BASE.replace("id = \"japan\"", "id = \"japan\"\nratifiers = [\"russia\"]"),
        "scenario::role",
        20,
        1,
        "whose role is \"party\"",
    );
    assert_eq!(f.severity, Severity::Warning);
    check(
        &with("\n[[beliefs]]\nholder = \"japan\"\nabout = \"japan\"\n"),
        "scenario::role",
        32,
        9,
        "about another actor",
    );
}

#[test]
fn no_parties() {
    let text = BASE
        .replace("id = \"japan\"", "id = \"japan\"\nrole = \"other\"")
        .replace("id = \"russia\"", "id = \"russia\"\nrole = \"other\"");
    let f = check(&text, "scenario::no-parties", 20, 1, "no actor has role \"party\"");
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn expr_syntax() {
    let f = check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"treaty && aid > 1\"\n"),
        "expr::syntax",
        33,
        16,
        "unexpected character `&`",
    );
    assert_eq!(f.help.as_deref(), Some("write `and` instead of `&&`"));
    check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"(treaty\"\n"),
        "expr::syntax",
        33,
        16,
        "expected `)`",
    );
    check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"aid = 3\"\n"),
        "expr::syntax",
        33,
        13,
        "`=` is not a comparison",
    );
}

#[test]
fn expr_type() {
    check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"aid == 'lots'\"\n"),
        "expr::type",
        33,
        16,
        "compare it with a number",
    );
    check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"treaty < 'yes'\"\n"),
        "expr::type",
        33,
        9,
        "unordered options",
    );
    check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"islands -> treaty\"\n"),
        "expr::type",
        33,
        9,
        "not a yes/no issue",
    );
}

#[test]
fn unsatisfiable_is_a_warning() {
    let f = check(
        &with("\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"aid > 5 and aid < 4\"\n"),
        "constraint::unsatisfiable",
        33,
        8,
        "no outcome satisfies constraint `x`",
    );
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn contradiction_is_a_warning() {
    let text = with("\n[[constraints]]\nlabel = \"must-sign\"\nowner = \"japan\"\nrule = \"treaty\"\n\n[[constraints]]\nlabel = \"never-sign\"\nowner = \"russia\"\nrule = \"never treaty\"\n");
    let f = check(
        &text,
        "constraint::contradiction",
        38,
        8,
        "`must-sign` (japan) and `never-sign` (russia) can never hold together",
    );
    assert_eq!(f.severity, Severity::Warning);
    // Constraints that can hold together raise nothing.
    let ok = with("\n[[constraints]]\nlabel = \"a\"\nowner = \"japan\"\nrule = \"treaty -> islands >= 'two'\"\n\n[[constraints]]\nlabel = \"b\"\nowner = \"russia\"\nrule = \"never islands == 'four'\"\n");
    let loaded = load_str("ok.toml", &ok, TextFormat::Toml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let text = BASE.replace("position = \"four\"", "position = \"fuor\"").replace("max = 10", "max = -1").replace(
        "salience = 0.5 }\nstances.islands = { position = \"none\"",
        "salience = 2 }\nstances.islands = { position = \"none\"",
    );
    let loaded = load_str("many.toml", &text, TextFormat::Toml);
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    for code in ["scenario::unknown-option", "scenario::invalid-range", "scenario::salience-range"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn value_clamped() {
    let f = check(
        &with("stances.aid = { shape = \"affine\", slope = 0.2, offset = 0.5, salience = 0.1 }\n"),
        "scenario::value-clamped",
        29,
        43,
        "runs from 0.5 to 2.5",
    );
    assert_eq!(f.severity, Severity::Warning);
    check(
        &with("\n[[actors]]\nid = \"nl\"\nstances.treaty = { slope = 0.2, offset = 0.5, salience = 0.1 }\n"),
        "scenario::value-table",
        32,
        18,
        "is discrete",
    );
    check(
        &with("stances.aid = { position = 1, slope = 0.1, salience = 0.1 }\n"),
        "scenario::wrong-type",
        29,
        17,
        "not `position`",
    );
    check(
        &with("stances.aid = { position = 1, offset = 0.1, shape = \"linear\", salience = 0.1 }\n"),
        "scenario::wrong-type",
        29,
        31,
        "`offset` applies only",
    );
}

#[test]
fn rectangles() {
    let actor = "\n[[actors]]\nid = \"nl\"\n";
    check(
        &with(&format!("{actor}max_utility = 10\nrectangles = [{{ utility = 1, bounds = {{ aid = [5, 2] }} }}]\n")),
        "scenario::rectangles",
        33,
        47,
        "runs from 5 down to 2",
    );
    check(
        &with(&format!("{actor}max_utility = 10\nrectangles = [{{ utility = 1, bounds = {{ treaty = [0, 1] }} }}]\n")),
        "scenario::rectangles",
        33,
        41,
        "is discrete",
    );
    check(&with(&format!("{actor}max_utility = 10\n")), "scenario::rectangles", 32, 1, "goes with `rectangles`");
    check(
        &with(&format!("{actor}stances.aid = {{ position = 1, salience = 1.0 }}\nmax_utility = 1\nrectangles = []\n")),
        "scenario::rectangles",
        32,
        1,
        "either `stances` or `rectangles`",
    );
    check(&with(&format!("{actor}rectangles = []\n")), "scenario::missing-field", 30, 1, "has no `max_utility`");
    let ok = load_str(
        "r.toml",
        &with(&format!("{actor}max_utility = 4\nrectangles = [{{ utility = 1 }}]\n")),
        TextFormat::Toml,
    );
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
}

#[test]
fn discount_range() {
    check(
        &BASE.replace("id = \"russia\"\n", "id = \"russia\"\ndiscount = 0\n"),
        "scenario::out-of-range",
        27,
        12,
        "discount must lie above 0",
    );
}

#[test]
fn keyword_ids_are_refused() {
    check(&BASE.replace("id = \"aid\"", "id = \"not\""), "scenario::invalid-id", 15, 6, "word of the rule language");
}

#[test]
fn empty_lists_are_missing() {
    let text = "format = 1\nname = \"x\"\nissues = []\nactors = []\n";
    let f = check(text, "scenario::missing-field", 3, 10, "declares no issues");
    assert!(f.help.unwrap().contains("[[issues]]"));
    let text = "format = 1\nname = \"x\"\nactors = []\n[[issues]]\nid = \"a\"\noptions = [\"x\"]\n";
    check(text, "scenario::missing-field", 3, 10, "declares no actors");
}

#[test]
fn empty_stances_warn() {
    let f =
        check(&with("\n[[actors]]\nid = \"china\"\nstances = {}\n"), "scenario::no-stances", 32, 11, "has no stances");
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn vetoes_without_status_quo_warn() {
    let f = check(
        &BASE.replace("id = \"russia\"", "id = \"russia\"\nvetoes = [\"aid\"]"),
        "scenario::status-quo",
        25,
        1,
        "holds vetoes",
    );
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn unnormalised_weights_above_one_warn() {
    let f = check(
        &BASE.replace(
            "id = \"russia\"",
            "id = \"russia\"\nnormalize = false\nstances.aid = { position = 1, salience = 0.5 }",
        ),
        "scenario::out-of-range",
        25,
        1,
        "sum to 1.5",
    );
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn misspelt_field_is_not_also_missing() {
    let text = BASE.replace(
        "stances.treaty = { position = \"yes\", salience = 0.5 }\nstances.islands = { position = \"four\"",
        "stances.treaty = { position = \"yes\", salince = 0.5 }\nstances.islands = { position = \"four\"",
    );
    let loaded = load_str("t.toml", &text, TextFormat::Toml);
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["scenario::unknown-field"]);
}

#[test]
fn failed_issues_are_not_reported_again() {
    // The issue's range is broken; rules and stances naming it add nothing.
    let text = with("stances.aid = { position = 1, salience = 0.1 }\n\n[[constraints]]\nlabel = \"x\"\nowner = \"japan\"\nrule = \"aid > 1\"\n").replace("max = 10", "max = -1");
    let loaded = load_str("t.toml", &text, TextFormat::Toml);
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["scenario::invalid-range"]);
}

#[test]
fn unknown_param() {
    let f = check(
        &with("[[uncertain]]\nparam = \"rusia.reservation\"\nrange = [0.1, 0.2]\n"),
        "scenario::unknown-param",
        30,
        9,
        "no actor is named `rusia`; did you mean `russia`?",
    );
    assert!(f.help.unwrap().contains("ACTOR.values.ISSUE.OPTION"));
    check(
        &with("[[uncertain]]\nparam = \"russia.salince.treaty\"\nrange = [0.1, 0.2]\n"),
        "scenario::unknown-param",
        30,
        9,
        "did you mean `salience`?",
    );
    check(
        &with("[[uncertain]]\nparam = \"russia.position.islands\"\nrange = [0.1, 0.2]\n"),
        "scenario::unknown-param",
        30,
        9,
        "has options, not numbers",
    );
}

#[test]
fn uncertain_range() {
    check(
        &with("[[uncertain]]\nparam = \"russia.reservation\"\nrange = [0.4, 0.2]\n"),
        "scenario::uncertain-range",
        31,
        9,
        "low end 0.4 lies above its high end 0.2",
    );
    check(
        &with("[[uncertain]]\nparam = \"russia.reservation\"\nrange = [0.4]\n"),
        "scenario::uncertain-range",
        31,
        9,
        "two ends",
    );
    check(
        &with("[[uncertain]]\nparam = \"russia.salience.treaty\"\nrange = [0.6, 0.9]\ndistribution = \"triangular\"\n"),
        "scenario::uncertain-range",
        31,
        9,
        "is 0.5, outside [0.6, 0.9]",
    );
    check(
        &with("[[uncertain]]\nparam = \"russia.reservation\"\nrange = [0.1, 0.2]\ndistribution = \"triangle\"\n"),
        "scenario::wrong-type",
        32,
        16,
        "not a distribution",
    );
}

#[test]
fn uncertain_domain() {
    check(
        &with("[[uncertain]]\nparam = \"russia.reservation\"\nrange = [0.5, 1.2]\n"),
        "scenario::uncertain-domain",
        31,
        9,
        "takes values from 0 to 1",
    );
    check(
        &with("[[uncertain]]\nparam = \"japan.capability\"\nrange = [-1, 2]\n"),
        "scenario::uncertain-domain",
        31,
        9,
        "0 or more",
    );
}

#[test]
fn uncertain_judgements_load() {
    let loaded = load_str(
        "test.toml",
        &with("[[uncertain]]\nparam = \"russia.reservation\"\nrange = [0.1, 0.2]\n\n[[uncertain]]\nparam = \"japan.salience.islands\"\nrange = [0.2, 0.8]\ndistribution = \"triangular\"\nsource = \"judgement\"\n"),
        TextFormat::Toml,
    );
    let s = loaded.scenario.expect("loads");
    assert_eq!(s.uncertain.len(), 2);
    assert_eq!(s.uncertain[1].param.path(&s), "japan.salience.islands");
    assert_eq!(s.uncertain[1].distribution, detente::scenario::Distribution::Triangular);
}

const CASES: &str = r#"{
  "library_version": "t",
  "cases": [
    { "case_id": "ONE", "title": "First",
      "actors": [ { "id": "a", "position": 10, "capability": 50, "salience": 80 },
                  { "id": "b", "position": 90, "capability": 40, "salience": 60 } ] },
    { "case_id": "TWO", "title": "Second",
      "actors": [ { "id": "a", "position": 20, "capability": 50, "salience": 80 } ] }
  ]
}
"#;

#[test]
fn case_collection() {
    let path = std::env::temp_dir().join(format!("detente-cases-{}.json", std::process::id()));
    std::fs::write(&path, CASES).unwrap();
    // Without --case: one error at the `cases` key, listing the cases.
    let loaded = detente::load_path(&path).unwrap();
    let f = find(&loaded, "input::case-collection");
    assert_eq!((f.line, f.column), (3, 3));
    assert!(f.message.contains("it holds 2 cases: ONE ("), "{}", f.message);
    assert!(f.message.contains("TWO ("), "{}", f.message);
    assert!(f.help.unwrap().contains("--case ONE"));
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    // A misspelt id: the same place, with a did-you-mean.
    let loaded = detente::format::load_case(&path, "TW0").unwrap();
    let f = find(&loaded, "input::case-collection");
    assert_eq!((f.line, f.column), (3, 3));
    assert_eq!(f.help.as_deref(), Some("did you mean --case TWO?"));
    // The right id: that case's scenario.
    let loaded = detente::format::load_case(&path, "ONE").unwrap();
    std::fs::remove_file(&path).unwrap();
    let s = loaded.scenario.expect("case ONE loads");
    assert_eq!(s.actors.len(), 2);
}

/// An issue that applies only with a treaty, appended to the base.
fn conditional(lines: &str) -> String {
    with(&format!("[[issues]]\nid = \"territory\"\noptions = [\"no\", \"yes\"]\n{lines}"))
}

#[test]
fn condition() {
    // `when` without `otherwise`: at the `when` key (line 32).
    let f = check(&conditional("when = \"treaty\"\n"), "scenario::condition", 32, 1, "not what it is otherwise");
    assert!(f.help.unwrap().contains("otherwise = "));
    check(&conditional("otherwise = \"no\"\n"), "scenario::condition", 32, 1, "has `otherwise` but no `when`");
    // A rule about the issue itself: at the rule's string.
    check(
        &conditional("when = \"territory\"\notherwise = \"no\"\n"),
        "scenario::condition",
        32,
        8,
        "mentions `territory` itself",
    );
    // Two conditions that wait for each other.
    let cycle = with(
        "[[issues]]\nid = \"a\"\noptions = [\"no\", \"yes\"]\nwhen = \"b\"\notherwise = \"no\"\n\n[[issues]]\nid = \"b\"\noptions = [\"no\", \"yes\"]\nwhen = \"a\"\notherwise = \"no\"\n",
    );
    check(&cycle, "scenario::condition", 32, 8, "issues `a`, `b` depend on each other in a cycle");
    // A status quo that sets a moot issue: at the [status_quo] header.
    let sq = conditional(
        "when = \"treaty\"\notherwise = \"no\"\n\n[status_quo]\ntreaty = \"no\"\nislands = \"none\"\naid = 0\nterritory = \"yes\"\n",
    );
    let f = check(&sq, "scenario::condition", 35, 1, "sets `territory` to yes although its condition `treaty`");
    assert!(f.help.unwrap().contains("`territory` takes no"));
    // `otherwise` must be a value of the issue.
    check(&conditional("when = \"treaty\"\notherwise = \"maybe\"\n"), "scenario::unknown-option", 33, 13, "`maybe`");
}

#[test]
fn conditional_issues_load() {
    let loaded = load_str("t.toml", &conditional("when = \"treaty\"\notherwise = \"no\"\n"), TextFormat::Toml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let s = loaded.scenario.expect("loads");
    let c = s.issues[3].condition.as_ref().expect("a condition");
    assert_eq!((c.rule_text.as_str(), c.otherwise), ("treaty", detente::scenario::Value::Option(0)));
}

#[test]
fn interaction() {
    let term = |value: &str| {
        with(&format!(
            "\n[[actors.interactions]]\nlabel = \"both\"\nwhen = \"treaty and islands == \\\"four\\\"\"\nvalue = {value}\n"
        ))
    };
    // The base's last actor is russia: the term is russia's.
    let loaded = load_str("t.toml", &term("-0.25"), TextFormat::Toml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let s = loaded.scenario.expect("loads");
    assert_eq!(s.actors[1].interactions.len(), 1);
    assert_eq!(s.actors[1].interactions[0].value, -0.25);
    let f = check(&term("1.5"), "scenario::interaction", 33, 9, "an interaction term of 1.5 leaves -1 to 1");
    assert!(f.help.unwrap().contains("utility units"));
    // Terms adjust additive utilities only.
    let rect = "format = 1\nname = \"r\"\n[[issues]]\nid = \"x\"\nkind = \"integer\"\nmin = 0\nmax = 3\n[[actors]]\nid = \"a\"\nmax_utility = 1\nrectangles = [{ utility = 1, bounds = { x = [0, 1] } }]\ninteractions = [{ label = \"t\", when = \"x > 2\", value = 0.5 }]\n";
    check(rect, "scenario::interaction", 12, 16, "utility comes from rectangles");
    // Labels are unique within the actor.
    let twice = format!("{}\n[[actors.interactions]]\nlabel = \"both\"\nwhen = \"treaty\"\nvalue = 0.1\n", term("0.1"));
    check(&twice, "scenario::duplicate", 36, 9, "two interaction terms have the label `both`");
}

/// The base with a status quo and one plan whose remaining lines are `plan`
/// (the plan's `name` is on line 36).
fn planned(plan: &str) -> String {
    with(&format!("\n[status_quo]\ntreaty = \"no\"\nislands = \"none\"\naid = 0\n\n[[plans]]\nname = \"p\"\n{plan}"))
}

#[test]
fn plan() {
    let loaded = load_str("t.toml", &planned("phases = [[\"treaty\"], [\"islands\"]]\n"), TextFormat::Toml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let s = loaded.scenario.expect("loads");
    // `aid`, named nowhere, joins the last phase; one promise, honoured.
    assert_eq!((s.plans[0].phases.clone(), s.plans[0].commitments.clone()), (vec![vec![0], vec![1, 2]], vec![1.0]));
    // An issue in two phases: at its second mention.
    let f = check(
        &planned("phases = [[\"treaty\"], [\"treaty\"]]\n"),
        "scenario::plan",
        37,
        24,
        "issue `treaty` is in phase 1 and again in phase 2",
    );
    assert!(f.help.unwrap().contains("name it once"));
    check(&planned("phases = [[\"treaty\"], []]\n"), "scenario::plan", 37, 23, "phase 2 names no issue");
    check(&planned("phases = []\n"), "scenario::plan", 37, 10, "at least one phase");
    check(&planned("phases = [[\"treety\"]]\n"), "scenario::unknown-issue", 37, 12, "`treety`");
    // Plans without a status quo: at the first plan's header.
    check(
        &with("\n[[plans]]\nname = \"p\"\nphases = [[\"treaty\"]]\n"),
        "scenario::plan",
        30,
        1,
        "plans but no status quo",
    );
    // A conditional issue settled before the issue its condition reads.
    let conditional = with(
        "[[issues]]\nid = \"territory\"\noptions = [\"no\", \"yes\"]\nwhen = \"treaty\"\notherwise = \"no\"\n\n[status_quo]\ntreaty = \"no\"\nislands = \"none\"\naid = 0\nterritory = \"no\"\n\n[[plans]]\nname = \"p\"\nphases = [[\"territory\"], [\"treaty\"]]\n",
    );
    check(&conditional, "scenario::plan", 43, 12, "issue `territory` is settled in phase 1, before `treaty` (phase 2)");
}

#[test]
fn commitment() {
    let two = "phases = [[\"treaty\"], [\"islands\"]]\n";
    check(&planned(&format!("{two}commitment = 1.5\n")), "scenario::commitment", 38, 14, "1.5 is not a probability");
    check(
        &planned(&format!("{two}commitment = [0.5, 0.5]\n")),
        "scenario::commitment",
        38,
        14,
        "1 later phase but 2 commitments",
    );
    let loaded = load_str("t.toml", &planned(&format!("{two}commitment = [0.6]\n")), TextFormat::Toml);
    assert_eq!(loaded.scenario.expect("loads").plans[0].commitments, vec![0.6]);
}

#[test]
fn event() {
    let ok = load_str(
        "t.toml",
        &with("\n[calendar]\nstart = 2019-01-22\ndays_per_round = 14\n\n[[events]]\nid = \"election\"\ndate = 2019-07-21\nset = { \"japan.reservation\" = 0.7, \"russia.position.islands\" = \"two\" }\n"),
        TextFormat::Toml,
    );
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
    let s = ok.scenario.expect("loads");
    assert_eq!(s.event_round(0), Some(12));
    assert_eq!(s.events[0].changes.len(), 2);
    // No time: at the event's header.
    check(&with("\n[[events]]\nid = \"e\"\n"), "scenario::event", 30, 1, "the event has no time");
    // Out of order, by date and by round: at the later-listed event.
    check(
        &with("\n[[events]]\nid = \"a\"\ndate = 2019-07-21\n\n[[events]]\nid = \"b\"\ndate = 2019-03-01\n"),
        "scenario::event",
        34,
        1,
        "event `b` happens at 2019-03-01, before `a` (2019-07-21), but is listed after it",
    );
    check(
        &with("\n[[events]]\nid = \"a\"\nround = 9\n\n[[events]]\nid = \"b\"\nround = 3\n"),
        "scenario::event",
        34,
        1,
        "happens at round 3, before `a` (round 9)",
    );
    // Not a calendar day: at the value.
    check(&with("\n[[events]]\nid = \"a\"\ndate = \"2019-02-30\"\n"), "scenario::event", 32, 8, "not a calendar day");
    // A round the calendar contradicts; a date before its start.
    let cal = "\n[calendar]\nstart = 2019-01-22\ndays_per_round = 14\n\n[[events]]\nid = \"a\"\n";
    check(
        &with(&format!("{cal}date = 2019-07-21\nround = 3\n")),
        "scenario::event",
        37,
        9,
        "puts 2019-07-21 in round 12",
    );
    check(&with(&format!("{cal}date = 2018-07-21\n")), "scenario::event", 36, 8, "before the calendar's start");
    check(
        &with("\n[calendar]\nstart = 2019-01-22\ndays_per_round = 0\n"),
        "scenario::out-of-range",
        32,
        18,
        "1 to 36500",
    );
    // A deadline on an actor who does not sit at the table.
    check(
        &with("\n[[actors]]\nid = \"duma\"\nrole = \"other\"\ndeadline = \"e\"\nstances.treaty = { position = \"no\", salience = 1 }\n\n[[events]]\nid = \"e\"\nround = 3\n"),
        "scenario::event",
        33,
        12,
        "a deadline applies to parties",
    );
    // A change the --set language cannot make, and an unknown constraint.
    check(
        &with("\n[[events]]\nid = \"a\"\nround = 2\nset = { \"japan.reservaton\" = 0.7 }\n"),
        "scenario::unknown-param",
        33,
        9,
        "did you mean `reservation`",
    );
    check(
        &with("\n[[events]]\nid = \"a\"\nround = 2\ndrop = [\"red-line\"]\n"),
        "scenario::unknown-constraint",
        33,
        9,
        "no constraint is named `red-line`",
    );
}

#[test]
fn unknown_event() {
    let f = check(
        &with("\n[[actors]]\nid = \"us\"\ndeadline = \"elction\"\nstances.treaty = { position = \"no\", salience = 1 }\n\n[[events]]\nid = \"election\"\nround = 3\n"),
        "scenario::unknown-event",
        32,
        12,
        "no event is named `elction`",
    );
    assert!(f.help.unwrap().contains("did you mean `election`"));
}

#[test]
fn types() {
    let ty = |name: &str, prior: &str| format!("\n[[types]]\nactor = \"japan\"\nname = \"{name}\"\nprior = {prior}\n");
    let ok = with(&format!("{}{}", ty("bound", "0.6"), ty("free", "0.4")));
    let loaded = load_str("t.toml", &ok, TextFormat::Toml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.scenario.unwrap().types.len(), 2);
    // Line 30 is `[[types]]`, 32 the first name, 33 the first prior.
    let f =
        check(&with(&format!("{}{}", ty("bound", "0.6"), ty("free", "0.6"))), "scenario::types", 32, 8, "sum to 1.2");
    assert!(f.help.unwrap().contains("exactly one of its types"));
    check(&with(&ty("bound", "1.5")), "scenario::types", 33, 9, "between 0 and 1");
    check(
        &with(&format!("{}{}", ty("bound", "0.5"), ty("bound", "0.5"))),
        "scenario::duplicate",
        37,
        8,
        "two types named `bound`",
    );
    // A belief's probabilities name the types and sum to 1.
    let belief = |types: &str| format!("{ok}\n[[beliefs]]\nholder = \"russia\"\nabout = \"japan\"\ntypes = {types}\n");
    let loaded = load_str("t.toml", &belief("{ bound = 0.25, free = 0.75 }"), TextFormat::Toml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    check(&belief("{ bound = 0.5, free = 0.6 }"), "scenario::types", 43, 9, "sum to 1.1");
    let f = check(&belief("{ bund = 1 }"), "scenario::types", 43, 11, "no type is named `bund`");
    assert!(f.help.unwrap().contains("did you mean `bound`"));
    let about_russia = format!("{ok}\n[[beliefs]]\nholder = \"japan\"\nabout = \"russia\"\ntypes = {{ x = 1 }}\n");
    check(&about_russia, "scenario::types", 43, 9, "`russia` has no types");
}

#[test]
fn pressure() {
    let p = |by: &str, cost: &str| {
        with(&format!(
            "\n[[pressures]]\nlabel = \"sanctions\"\nby = \"{by}\"\non = \"japan\"\nwhen = \"treaty\"\ncost = {cost}\n"
        ))
    };
    let loaded = load_str("t.toml", &p("russia", "0.2"), TextFormat::Toml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let s = loaded.scenario.unwrap();
    // The pressure reaches japan as a term of -0.2.
    assert_eq!(s.actors[0].interactions.len(), 1);
    assert_eq!(s.actors[0].interactions[0].value, -0.2);
    // Line 30 is `[[pressures]]`; `on` is line 33, `cost` line 35.
    check(&p("japan", "0.2"), "scenario::pressure", 33, 6, "cannot put pressure on itself");
    check(&p("russia", "1.2"), "scenario::pressure", 35, 8, "between 0 and 1");
    check(&p("rusia", "0.2"), "scenario::unknown-actor", 32, 6, "no actor is named `rusia`");
}
