//! The in-process Rust side of `benches/python.sh`: the work of the Python
//! package's `Scenario.analyze()` (crates/detente-py), timed without it.
//!
//! ```text
//! analyze_bench FILE [--reps N]
//! ```
//!
//! The file is read once (as `detente.load` reads it, before any timing);
//! each repetition then does what `Scenario.analyze()` does with its
//! defaults: the analysis with the CLI's configuration, the declared plans,
//! the type and pressure sections, the `detente.analysis/1` document
//! serialised to JSON text and the summary text with its verdict. Prints one
//! JSON object with the fastest and the median repetition in seconds.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut file = None;
    let mut reps = 200usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reps" => {
                reps = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| fail("--reps needs a whole number"))
            }
            _ if file.is_none() => file = Some(PathBuf::from(arg)),
            _ => fail(&format!("unexpected argument {arg}")),
        }
    }
    let file = file.unwrap_or_else(|| fail("usage: analyze_bench FILE [--reps N]"));
    let loaded = detente::format::load_path(&file).unwrap_or_else(|e| fail(&e.to_string()));
    let scenario = loaded.scenario.as_ref().unwrap_or_else(|| fail("the file has errors: run detente check"));
    let mut times = Vec::with_capacity(reps);
    let mut written = 0;
    for _ in 0..reps.max(1) {
        let start = Instant::now();
        let mut config = detente::analysis::Config::new();
        config.max_outcomes = 2_000_000_000;
        let analysis = detente::analysis::analyze(scenario, &config).unwrap_or_else(|e| fail(&e.to_string()));
        let staging = (!scenario.plans.is_empty()).then(|| {
            detente::analysis::stages::stage(scenario, &config, None).unwrap_or_else(|e| fail(&e.to_string()))
        });
        let sections = detente_report::types::Sections::run(scenario, &config).unwrap_or_else(|e| fail(&e.to_string()));
        let mut doc = detente_report::analysis::to_json(scenario, &analysis);
        if let Some(staging) = &staging {
            detente_report::stages::add_to_json(&mut doc, scenario, staging);
        }
        sections.add_to_json(&mut doc, scenario);
        let options = detente_report::analysis::TextOptions { all: false, explain: false };
        let (mut text, _) = detente_report::analysis::to_text_and_terms(scenario, &analysis, options, None);
        if let Some(staging) = &staging {
            text.push_str(&detente_report::stages::to_text(scenario, staging, false));
        }
        text.push_str(&sections.to_text(scenario));
        let json = doc.to_string();
        written = std::hint::black_box(json).len() + std::hint::black_box(text).len();
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"file\": {:?}, \"reps\": {}, \"output_bytes\": {written}, \"min_seconds\": {:e}, \"median_seconds\": {:e}}}",
        file.display().to_string(),
        times.len(),
        times[0],
        times[times.len() / 2]
    );
}

fn fail(message: &str) -> ! {
    eprintln!("analyze_bench: {message}");
    std::process::exit(2);
}
