//! detente's side of `benches/negotiation.sh`: negotiations timed in
//! process, printed as one JSON object per command.
//!
//! ```text
//! negotiate_bench session FOLDER --rounds N --reps R --order A,B --strategy S0 --strategy S1
//!     compiles the domain (timed) and runs one session R times (each timed);
//!     parties in the order of the actor names A, B (default: the scenario's)
//! negotiate_bench tournament --rounds N --reps R [--repeat K] --strategy S... FOLDER...
//!     a round robin (every ordered pairing, self-play included) of the
//!     strategies on every folder, R repetitions, on all threads; the whole
//!     round robin K times (each timed), so that the process's CPU time
//!     divided by K is measured well above the clock tick
//! ```
//!
//! CPU time is the caller's to measure (`/usr/bin/time`), as is the thread
//! count (`RAYON_NUM_THREADS`).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig};
use detente::negotiation::tournament::{Entry, Tournament};
use detente::negotiation::{registry, run, Deadline};

struct Args {
    rounds: usize,
    reps: usize,
    repeat: usize,
    order: Option<Vec<String>>,
    strategies: Vec<String>,
    paths: Vec<String>,
}

fn parse(mut it: impl Iterator<Item = String>) -> Args {
    let mut a = Args { rounds: 1000, reps: 1, repeat: 1, order: None, strategies: Vec::new(), paths: Vec::new() };
    while let Some(x) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{x} needs a value"));
        match x.as_str() {
            "--rounds" => a.rounds = value().parse().expect("--rounds N"),
            "--reps" => a.reps = value().parse().expect("--reps N"),
            "--repeat" => a.repeat = value().parse().expect("--repeat K"),
            "--order" => a.order = Some(value().split(',').map(str::to_string).collect()),
            "--strategy" => a.strategies.push(value()),
            _ if x.starts_with("--") => panic!("unknown option {x}"),
            _ => a.paths.push(x),
        }
    }
    a
}

fn domain(path: &str) -> (detente::Scenario, Domain, f64) {
    let loaded = detente::load_path(Path::new(path)).expect("read the scenario");
    let scenario = loaded.scenario.unwrap_or_else(|| panic!("{path}: {:?}", loaded.diagnostics));
    let start = Instant::now();
    let domain = Domain::new(&scenario, &DomainConfig::default()).expect("a negotiable domain");
    (scenario, domain, start.elapsed().as_secs_f64())
}

fn session(a: &Args) {
    let [path] = &a.paths[..] else { panic!("session takes one scenario") };
    let (scenario, domain, compile) = domain(path);
    let parties: Vec<usize> = match &a.order {
        Some(names) => names
            .iter()
            .map(|n| {
                scenario
                    .actors
                    .iter()
                    .position(|x| x.name.as_deref().unwrap_or(&x.id) == n || &x.id == n)
                    .unwrap_or_else(|| panic!("no actor {n}"))
            })
            .collect(),
        None => domain.parties().to_vec(),
    };
    let specs: Vec<_> = a.strategies.iter().map(|s| registry::parse(s).expect("a strategy")).collect();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(a.rounds) };
    let mut times = Vec::with_capacity(a.reps);
    let mut last = None;
    for rep in 0..a.reps.max(1) {
        let start = Instant::now();
        let s = run(&protocol, &domain, &parties, &specs, rep as u64, false).expect("runs");
        times.push(start.elapsed().as_secs_f64());
        last = Some(s);
    }
    let s = last.expect("one session");
    let agreement = s.agreement.map(|k| {
        let labels: Vec<String> = scenario
            .issues
            .iter()
            .zip(domain.outcome(k))
            .map(|(i, v)| serde_json::to_string(&i.domain.display(&v)).expect("a string"))
            .collect();
        format!("[{}]", labels.join(", "))
    });
    let utilities: Vec<String> = s
        .agreement
        .map_or_else(Vec::new, |k| parties.iter().map(|&p| domain.preferences(p).utility(k).to_string()).collect());
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{{\"outcomes\": {}, \"compile_seconds\": {compile}, \"first_seconds\": {}, \"mean_seconds\": {mean}, \"min_seconds\": {min}, \"reps\": {}, \"rounds\": {}, \"agreement\": {}, \"utilities\": [{}]}}",
        domain.len(),
        times[0],
        times.len(),
        s.rounds,
        agreement.unwrap_or_else(|| "null".into()),
        utilities.join(", ")
    );
}

fn tournament(a: &Args) {
    let start = Instant::now();
    let entries: Vec<Entry> = a
        .paths
        .iter()
        .map(|p| {
            let (_, d, _) = domain(p);
            Entry::new(p.clone(), d)
        })
        .collect();
    let prepare = start.elapsed().as_secs_f64();
    let strategies = a.strategies.iter().map(|s| registry::parse(s).expect("a strategy").into()).collect();
    let t = Tournament { entries, strategies, reps: a.reps, seed: 1 };
    let jobs = t.jobs();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(a.rounds) };
    let mut times = Vec::new();
    let mut counts = (0, 0);
    for _ in 0..a.repeat.max(1) {
        let (agreements, rounds) = (AtomicU64::new(0), AtomicU64::new(0));
        let start = Instant::now();
        t.run(&protocol, &jobs, &|r| {
            agreements.fetch_add(r.reached as u64, Ordering::Relaxed);
            rounds.fetch_add(r.rounds as u64, Ordering::Relaxed);
        })
        .expect("the tournament runs");
        times.push(start.elapsed().as_secs_f64());
        counts = (agreements.into_inner(), rounds.into_inner());
    }
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{{\"negotiations\": {}, \"prepare_seconds\": {prepare}, \"first_seconds\": {}, \"mean_seconds\": {mean}, \"min_seconds\": {min}, \"repeat\": {}, \"agreements\": {}, \"rounds\": {}, \"threads\": {}}}",
        jobs.len(),
        times[0],
        times.len(),
        counts.0,
        counts.1,
        rayon::current_num_threads()
    );
}

fn main() {
    let mut it = std::env::args().skip(1);
    let command = it.next().unwrap_or_default();
    let args = parse(it);
    match command.as_str() {
        "session" => session(&args),
        "tournament" => tournament(&args),
        _ => panic!("usage: negotiate_bench session|tournament …"),
    }
}
