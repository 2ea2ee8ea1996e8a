//! Generated scenarios at the extremes through every command's library
//! entry point (`src/scenarios.rs`).
#![no_main]

use detente_fuzz::check_scenario;
use libfuzzer_sys::fuzz_target;

#[path = "../src/scenarios.rs"]
mod scenarios;

fuzz_target!(|data: &[u8]| scenarios::fuzz(data));
