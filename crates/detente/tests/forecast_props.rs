//! Every forecast model on random inputs: one to three dimensions, one to
//! ten actors, tied positions, zero saliences and capabilities, with and
//! without a status quo. Whatever the data, a model gives a forecast or a
//! model error, never a panic; round 0 is the stated positions; every
//! round's positions and forecast are finite and stay inside the span of
//! the stated positions (and the status quo) on each dimension (up to
//! KTAB's rounding of bargained positions to 1e-4 of the scale); and the
//! same input gives the same run, bit for bit.

use detente::forecast::input::{Dimension, ForecastInput, InputActor};
use detente::forecast::registry::MODELS;
use detente::forecast::runner::{run, RunConfig};
use proptest::prelude::*;

/// A scale: `(min, width)`.
fn scale() -> impl Strategy<Value = (f64, f64)> {
    prop_oneof![Just((0.0, 100.0)), Just((0.0, 1.0)), Just((4.0, 6.0)), Just((-50.0, 10.0))]
}

/// A point of a scale as a fraction of it: a few levels often (ties),
/// anything otherwise.
fn fraction() -> impl Strategy<Value = f64> {
    prop_oneof![3 => prop::sample::select(vec![0.0, 0.25, 0.5, 1.0]), 2 => 0.0..=1.0f64]
}

fn salience() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => Just(1.0), 4 => 0.0..=1.0f64]
}

fn capability() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 4 => 0.01..100.0f64]
}

fn input() -> impl Strategy<Value = ForecastInput> {
    (1usize..=3, 1usize..=10).prop_flat_map(|(dims, actors)| {
        let dimensions = prop::collection::vec((scale(), prop::option::of(fraction())), dims);
        let actor = (
            prop::collection::vec(fraction(), dims),
            prop::collection::vec(salience(), dims),
            prop::collection::vec(capability(), dims),
        );
        (dimensions, prop::collection::vec(actor, actors)).prop_map(|(dimensions, actors)| {
            let dims: Vec<Dimension> = dimensions
                .iter()
                .enumerate()
                .map(|(d, &((min, width), q))| Dimension {
                    id: format!("d{d}"),
                    name: None,
                    min,
                    max: min + width,
                    status_quo: q.map(|q| min + q * width),
                })
                .collect();
            let actors = actors
                .into_iter()
                .enumerate()
                .map(|(k, (pos, salience, capability))| InputActor {
                    id: format!("a{k}"),
                    name: None,
                    position: pos.iter().zip(&dims).map(|(f, d)| d.min + f * (d.max - d.min)).collect(),
                    salience,
                    capability,
                })
                .collect();
            ForecastInput::new("random", dims, actors).expect("valid by construction")
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn every_model_stays_inside_the_positions(input in input()) {
        let dims = input.dimensions();
        let span: Vec<(f64, f64)> = (0..dims.len())
            .map(|d| {
                let xs = input.actors().iter().map(|a| a.position[d]).chain(dims[d].status_quo);
                xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)))
            })
            .collect();
        for info in MODELS {
            let model = info.build();
            let config = RunConfig::for_model(model.as_ref()).with_max_rounds(12);
            let Ok(first) = run(model.as_ref(), &input, &config) else {
                // Only models that cannot take this input may refuse it.
                prop_assert!(
                    !(dims.len() == 1 && matches!(info.name, "compromise" | "median")),
                    "{} refused a one-dimensional input", info.name
                );
                continue;
            };
            let again = run(model.as_ref(), &input, &config).unwrap();
            prop_assert!(first == again, "{}: the same input gave another run", info.name);
            prop_assert!(!first.rounds.is_empty());
            for (k, actor) in input.actors().iter().enumerate() {
                prop_assert_eq!(first.rounds[0].position(k), actor.position.as_slice(), "{} round 0", info.name);
            }
            for round in &first.rounds {
                prop_assert_eq!(round.actor_count(), input.actors().len());
                let d = round.forecast.len();
                prop_assert!(d == dims.len() || (d == 1 && dims.len() == 1));
                for (dim, &(lo, hi)) in span.iter().enumerate() {
                    // KTAB rounds bargained positions to 1e-4 of the scale (half up).
                    let grid = if info.name == "ktab-smp" { 0.5e-4 } else { 0.0 };
                    let slack = (grid + 1e-9) * (dims[dim].max - dims[dim].min).max(1.0);
                    let inside = |x: f64| x.is_finite() && x >= lo - slack && x <= hi + slack;
                    prop_assert!(inside(round.forecast[dim]),
                        "{} round {}: forecast {} outside [{lo}, {hi}]", info.name, round.round, round.forecast[dim]);
                    for k in 0..round.actor_count() {
                        let x = round.position(k)[dim];
                        prop_assert!(inside(x), "{} round {}: a{k} at {x} outside [{lo}, {hi}]", info.name, round.round);
                    }
                }
            }
        }
    }
}
