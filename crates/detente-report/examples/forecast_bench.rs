//! detente's in-process side of `benches/forecast.sh`: one forecast timed
//! the way KTAB times its own runs (the "Elapsed time" of its log: from
//! reading the input to the last line of output, inside the process, so
//! without the operating system's start-up of the executable).
//!
//! ```text
//! forecast_bench FILE --model NAME [--reps N]
//! ```
//!
//! Each repetition does what `detente forecast FILE --model NAME --trace`
//! does after parsing its arguments: reads and checks the file, runs the
//! model, renders the text with every round (as KTAB logs every turn) and
//! writes it (to a buffer, not a terminal). Prints one JSON object with the
//! fastest and the median repetition in seconds.

use std::path::PathBuf;
use std::time::Instant;

use detente::forecast::issues::{forecast_scenario, Config};
use detente::forecast::registry;

fn main() {
    let mut file = None;
    let mut model = "compromise".to_string();
    let mut reps = 1000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| fail(&format!("{arg} needs a value")));
        match arg.as_str() {
            "--model" => model = value(),
            "--reps" => reps = value().parse().unwrap_or_else(|_| fail("--reps needs a whole number")),
            _ if file.is_none() => file = Some(PathBuf::from(arg)),
            _ => fail(&format!("unexpected argument {arg}")),
        }
    }
    let file = file.unwrap_or_else(|| fail("usage: forecast_bench FILE --model NAME [--reps N]"));
    let info = registry::model(&model).unwrap_or_else(|| fail(&format!("no model named {model}")));
    let config = Config { models: vec![info], max_rounds: None, monte_carlo: None };
    let mut times = Vec::with_capacity(reps);
    let mut written = 0;
    for _ in 0..reps.max(1) {
        let start = Instant::now();
        let loaded = detente::format::load_path(&file).unwrap_or_else(|e| fail(&e.to_string()));
        let scenario = loaded.scenario.as_ref().unwrap_or_else(|| fail("the file has errors: run detente check"));
        let forecasts = forecast_scenario(scenario, loaded.table_power.as_deref(), &config);
        let text = detente_report::forecast::forecast_to_text(scenario, &forecasts, true);
        let mut out = Vec::with_capacity(text.len());
        std::io::Write::write_all(&mut out, text.as_bytes()).expect("writing to memory");
        written = std::hint::black_box(out).len();
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"file\": {:?}, \"model\": {:?}, \"reps\": {}, \"output_bytes\": {written}, \"min_seconds\": {:e}, \"median_seconds\": {:e}}}",
        file.display().to_string(),
        model,
        times.len(),
        times[0],
        times[times.len() / 2]
    );
}

fn fail(message: &str) -> ! {
    eprintln!("forecast_bench: {message}");
    std::process::exit(2)
}
