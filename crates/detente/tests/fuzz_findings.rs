//! Regressions for what the structure-aware fuzzer (`fuzz/`, target
//! `scenarios`) found, one test per finding, each on the smallest scenario
//! that showed it (`docs/RELIABILITY.md` lists them with their figures).

use detente::format::genius::{load_genius, to_genius};
use detente::{load_str, SourceFile, TextFormat};

fn load(text: &str) -> detente::Scenario {
    load_str("f.toml", text, TextFormat::Toml).scenario.expect("valid")
}

/// Finding 1: GENIUS export wrote control characters into XML, which XML
/// 1.0 cannot hold even escaped, so the exported files did not load. Names
/// are written with U+FFFD (and a note); an option label is refused.
#[test]
fn genius_export_never_writes_characters_xml_cannot_hold() {
    let named = load(
        "format = 1\nname = \"\\u001B[2J\"\n[[issues]]\nid = \"x\"\nname = \"a\\u0007\"\noptions = [\"p\", \"q\"]\n\
         [[actors]]\nid = \"a\"\nstances.x = { position = \"p\", salience = 1 }\n",
    );
    let files = to_genius(&named).expect("names do not stop an export");
    assert!(!files.domain.contains('\u{1b}') && files.domain.contains('\u{FFFD}'), "{}", files.domain);
    assert!(files.notes.iter().any(|n| n.contains("U+FFFD")), "{:?}", files.notes);
    let source = |name: &str, text: String| SourceFile { name: name.into(), text };
    let profiles: Vec<_> = files.profiles.into_iter().map(|(id, p)| source(&format!("{id}.xml"), p)).collect();
    let back = load_genius("f", &source("domain.xml", files.domain), &profiles);
    assert!(!back.has_errors(), "{:?}", back.diagnostics);

    let labelled = load(
        "format = 1\nname = \"n\"\n[[issues]]\nid = \"x\"\noptions = [\"p\\u001B\", \"q\"]\n\
         [[actors]]\nid = \"a\"\nstances.x = { position = \"q\", salience = 1 }\n",
    );
    let err = to_genius(&labelled).expect_err("a label XML cannot hold");
    assert!(err.to_string().contains("option \"p\\u{1b}\" of issue `x` holds a control character"), "{err}");
}

/// Finding 2: the expected-utility models indexed past their position table
/// when two positions near `f64::MAX` summed to infinity (the midpoint of a
/// pair was taken as `(a + b) / 2`); found by the fixed-seed run of the
/// generator in the test suite.
#[test]
fn expected_utility_models_take_positions_near_the_largest_double() {
    use detente::forecast::issues::{forecast_scenario, Config};
    use detente::forecast::registry::MODELS;

    let s = load(
        "format = 1\nname = \"n\"\n[[issues]]\nid = \"x\"\nkind = \"continuous\"\n\
         min = 0\nmax = 1.7976931348623157e308\n\
         [[actors]]\nid = \"a\"\nstances.x = { position = 1.7976931348623157e308, salience = 1 }\n\
         [[actors]]\nid = \"b\"\nstances.x = { position = 1.7976931348623157e308, salience = 0.5 }\n\
         [[actors]]\nid = \"c\"\nstances.x = { position = 0, salience = 1 }\n",
    );
    let config = Config { models: MODELS.iter().collect(), max_rounds: Some(5), monte_carlo: None };
    let forecast = forecast_scenario(&s, None, &config);
    let runs = &forecast.issues[0].runs;
    assert!(runs.iter().any(|r| r.model.starts_with("eum") && r.result.is_ok()), "{runs:?}");
}
