//! The structure-aware fuzzer on stable Rust, in the ordinary test suite:
//! scenarios from the same generator as the cargo-fuzz target `scenarios`
//! (`fuzz/src/scenarios.rs`, included below), built from a fixed-seed byte
//! stream, run through every command's library entry point. Deterministic,
//! a few seconds in release; coverage-guided fuzzing goes much further
//! (`docs/RELIABILITY.md`).

#[path = "../../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod readers;
#[path = "../../../fuzz/src/scenarios.rs"]
#[allow(dead_code)]
mod scenarios;

use readers::{check_scenario, Rng};

/// How many generated scenarios the test runs.
const CASES: usize = 48;

#[test]
fn generated_scenarios_run_through_every_command() {
    let mut rng = Rng(0x6465_7465_6e74_6531);
    let (mut loaded, mut with_events, mut with_statements) = (0, 0, 0);
    for case in 0..CASES {
        // Lengths from empty (every choice its first) to a few kilobytes.
        let len = (rng.next() % 4096) as usize >> (case % 4);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let text = scenarios::scenario_text(&mut arbitrary::Unstructured::new(&bytes)).expect("text");
        if let Some(s) = detente::load_str("t.toml", &text, detente::TextFormat::Toml).scenario {
            loaded += 1;
            with_events += usize::from(!s.events.is_empty());
            with_statements += usize::from(!s.statements.is_empty());
        }
        // Texts of megabytes (10⁵ options, names of 70,000 characters) take
        // seconds each through every command: fuzzing runs them, and
        // hardening.rs runs 10⁵ options through the binary; here they load.
        if text.len() <= 100_000 {
            scenarios::exercise(&text, case % 8 == 0);
        }
    }
    // The generator aims at valid scenarios: half must load, or the
    // commands would hardly be reached.
    assert!(loaded * 2 >= CASES, "only {loaded} of {CASES} generated scenarios loaded");
    // Events reach the timeline and the talks.
    assert!(with_events >= 2, "only {with_events} loaded scenarios declare events");
    // Statements reach the analyses and the talks too.
    assert!(with_statements >= 1, "no loaded scenario declares statements");
}

/// Found by the fixed-seed run above: an option label of 70,000 characters
/// made the forecast table's column wider than `format!` allows (a panic).
#[test]
fn forecast_tables_take_very_long_labels() {
    use detente::forecast::issues::{forecast_scenario, Config};
    use detente::forecast::registry::MODELS;

    let long = "n".repeat(70_000);
    let text = format!(
        "format = 1\nname = \"l\"\n[[issues]]\nid = \"x\"\noptions = [\"{long}\", \"b\"]\nordered = true\n\
         [[actors]]\nid = \"a\"\nstances.x = {{ position = \"{long}\", salience = 1 }}\n\
         [[actors]]\nid = \"b\"\nstances.x = {{ position = \"b\", salience = 1 }}\n"
    );
    let s = detente::load_str("l.toml", &text, detente::TextFormat::Toml).scenario.expect("valid");
    let config = Config { models: MODELS.iter().collect(), max_rounds: Some(3), monte_carlo: None };
    let forecast = forecast_scenario(&s, None, &config);
    let out = detente_report::forecast::forecast_to_text(&s, &forecast, true);
    assert!(out.contains(&long), "the label is shown whole");
}

/// Found by the fixed-seed run above once the generator wrote interaction
/// terms: a party's name with an ANSI escape reached the utility plane's
/// axis title raw (plotters escapes its text for XML only).
#[test]
fn utility_plane_axes_take_control_characters() {
    let text = r#"format = 1
name = "escapes"
[[issues]]
id = "i"
options = ["a", "b"]
[[actors]]
id = "x"
name = "x\u001B[2J\u0007"
stances.i = { position = "a", salience = 1 }
[[actors]]
id = "y"
name = "y\u001B[31m"
stances.i = { position = "b", salience = 1 }
"#;
    let s = detente::load_str("t.toml", text, detente::TextFormat::Toml).scenario.expect("loads");
    let a = detente::analysis::analyze(&s, &detente::analysis::Config::new()).expect("analyses");
    let svg = detente_report::plot::utility_plane(&s, &a).expect("draws").svg;
    assert!(!svg.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')), "{svg}");
    assert!(svg.contains("utility of x\u{FFFD}[2J\u{FFFD}"), "{svg}");
}
