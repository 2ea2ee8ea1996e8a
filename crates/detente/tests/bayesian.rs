//! The Bayesian opponent model (`docs/negotiation.md`, "Bayesian opponent
//! model"): a posterior worked by hand, posteriors are distributions, the
//! posterior concentrates on the hypothesis that drew the offers, and the
//! strategy plays and records its posterior deterministically.

use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig};
use detente::negotiation::strategy::bayesian::{Hypothesis, Posterior, FLOOR};
use detente::negotiation::{registry, Deadline, Ending, POSTERIOR_TOP};
use proptest::prelude::*;

/// Two issues of two values each; outcomes numbered with the last issue
/// fastest: k0 = (0,0), k1 = (0,1), k2 = (1,0), k3 = (1,1).
fn digits(k: usize) -> [u32; 2] {
    [(k / 2) as u32, (k % 2) as u32]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn the_posterior_after_two_offers_and_a_rejection_is_worked_by_hand() {
    // Three hypotheses about the opponent, reservation 0 each:
    //   A: weights (0.5, 0.5), e1 = [1, 0], e2 = [1, 0] → u(k0..k3) = 1, 0.5, 0.5, 0
    //   B: weights (0.8, 0.2), e1 = [0, 1], e2 = [1, 0] → u = 0.2, 0, 1, 0.8
    //   C: weights (0.5, 0.5), e1 = [0, 1], e2 = [0, 1] → u = 0, 0.5, 0.5, 1
    // Priors 1 : 1 : 2, so 0.25, 0.25, 0.5.
    let a = Hypothesis::additive("A", 1.0, vec![0.5, 0.5], vec![vec![1.0, 0.0], vec![1.0, 0.0]], 0.0);
    let b = Hypothesis::additive("B", 1.0, vec![0.8, 0.2], vec![vec![0.0, 1.0], vec![1.0, 0.0]], 0.0);
    let c = Hypothesis::additive("C", 2.0, vec![0.5, 0.5], vec![vec![0.0, 1.0], vec![0.0, 1.0]], 0.0);
    let utilities = |h: &Hypothesis| (0..4).map(|k| h.utility(k, &digits(k))).collect::<Vec<_>>();
    assert_eq!(utilities(&a), [1.0, 0.5, 0.5, 0.0]);
    assert_eq!(utilities(&b), [0.2, 0.0, 1.0, 0.8]);
    assert_eq!(utilities(&c), [0.0, 0.5, 0.5, 1.0]);
    // σ = 0.5, so 2σ² = 0.5; linear concession (c = 1). Every hypothesis has
    // best 1 and worst 0, so its target is τ(t) = 1 − t.
    let mut p = Posterior::new(vec![a, b, c], 0.5, 1.0);
    assert_eq!(p.probabilities(), [0.25, 0.25, 0.5]);
    for h in 0..3 {
        assert!(close(p.hypotheses()[h].target(0.2, 1.0), 0.8));
    }

    // Offer 1: k2 at t = 0.2, τ = 0.8. u = 0.5, 1, 0.5; u − τ = −0.3, 0.2, −0.3;
    // likelihoods exp(−d²/0.5) = e^−0.18, e^−0.08, e^−0.18.
    // Posterior ∝ 0.25·e^−0.18 : 0.25·e^−0.08 : 0.5·e^−0.18
    //          = 0.24359521685122992, 0.26921434944631023, 0.48719043370245985.
    p.observe_offer(2, &digits(2), 0.2);
    let e = f64::exp;
    let z = 0.25 * e(-0.18) + 0.25 * e(-0.08) + 0.5 * e(-0.18);
    let want = [0.25 * e(-0.18) / z, 0.25 * e(-0.08) / z, 0.5 * e(-0.18) / z];
    for h in 0..3 {
        assert!(close(p.probabilities()[h], want[h]), "{:?} vs {want:?}", p.probabilities());
    }
    for (got, printed) in p.probabilities().iter().zip([0.24359521685122992, 0.26921434944631023, 0.48719043370245985])
    {
        assert!(close(*got, printed));
    }

    // Offer 2: k3 at t = 0.4, τ = 0.6. u = 0, 0.8, 1; u − τ = −0.6, 0.2, 0.4;
    // d²/0.5 = 0.72, 0.08, 0.32. Exponents so far: A −0.18 − 0.72 = −0.90,
    // B −0.08 − 0.08 = −0.16, C −0.18 − 0.32 = −0.50.
    // Posterior ∝ 0.25·e^−0.9 : 0.25·e^−0.16 : 0.5·e^−0.5
    //          = 0.16448491382887778, 0.34474977249249017, 0.490765313678632.
    p.observe_offer(3, &digits(3), 0.4);
    for (got, printed) in p.probabilities().iter().zip([0.16448491382887778, 0.34474977249249017, 0.490765313678632]) {
        assert!(close(*got, printed), "{:?}", p.probabilities());
    }

    // Then it rejects our offer k0 at t = 0.4 (τ = 0.6): u = 1, 0.2, 0;
    // likelihood λ((τ − u)/σ) = λ(−0.8), λ(0.8), λ(1.2)
    //   = 0.31002551887238755, 0.6899744811276125, 0.7685247834990175,
    // λ(z) = 1/(1 + e^−z). A, which likes k0 best, is the one a rejection hurts.
    // Posterior ∝ 0.25·e^−0.9·λ(−0.8) : 0.25·e^−0.16·λ(0.8) : 0.5·e^−0.5·λ(1.2)
    //          = 0.0765650876971296, 0.35714476316938343, 0.566290149133487.
    p.observe_reply(0, &digits(0), 0.4, false);
    let lam = |z: f64| 1.0 / (1.0 + e(-z));
    let q = [0.25 * e(-0.9) * lam(-0.8), 0.25 * e(-0.16) * lam(0.8), 0.5 * e(-0.5) * lam(1.2)];
    let z: f64 = q.iter().sum();
    for (got, q) in p.probabilities().iter().zip(q) {
        assert!(close(*got, q / z));
    }
    for (got, printed) in p.probabilities().iter().zip([0.0765650876971296, 0.35714476316938343, 0.566290149133487]) {
        assert!(close(*got, printed), "{:?}", p.probabilities());
    }

    // An acceptance of k1 at t = 0.6: λ((u − r)/σ) = λ(1), λ(0), λ(1) with
    // u = 0.5, 0, 0.5: B, for which k1 is worth nothing, loses.
    let before = p.probabilities()[1];
    p.observe_reply(1, &digits(1), 0.6, true);
    assert!(p.probabilities()[1] < before);
}

#[test]
fn a_hypothesis_ruled_out_keeps_the_floor() {
    let h = |name: &str, u: Vec<f64>| Hypothesis::table(name, 1.0, u, 0.0);
    let mut p = Posterior::new(vec![h("a", vec![1.0, 0.0]), h("b", vec![0.0, 1.0])], 0.15, 1.0);
    // A likelihood of exactly 0 for `b`: its probability is the floor
    // relative to `a`, never 0, and the two still sum to 1.
    p.update(&[1.0, 0.0]);
    let probs = p.probabilities();
    assert!(close(probs[1], FLOOR / (1.0 + FLOOR)), "{probs:?}");
    assert!(probs[1] > 0.0);
    assert!(close(probs[0] + probs[1], 1.0));
    // Likelihoods that are all 0 teach nothing.
    let kept = probs.to_vec();
    p.update(&[0.0, 0.0]);
    assert_eq!(p.probabilities(), kept.as_slice());
}

/// The lowest-numbered outcome of lowest utility at or above `target`
/// (the best when none reaches it): what a time-dependent opponent offers.
fn time_dependent_offer(u: &[f64], target: f64) -> usize {
    let mut best: Option<usize> = None;
    for (k, &x) in u.iter().enumerate() {
        if x >= target && best.is_none_or(|b| x < u[b]) {
            best = Some(k);
        }
    }
    best.unwrap_or_else(|| (0..u.len()).fold(0, |b, k| if u[k] > u[b] { k } else { b }))
}

fn tables(n_hyp: usize, n_out: usize) -> impl Strategy<Value = Vec<Vec<f64>>> {
    prop::collection::vec(prop::collection::vec(0.0f64..=1.0, n_out), n_hyp)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever is observed, the posterior is a distribution: finite,
    /// positive (the floor), summing to 1.
    #[test]
    fn posteriors_are_distributions(
        hyps in (1usize..7, 1usize..12).prop_flat_map(|(h, n)| tables(h, n)),
        priors in prop::collection::vec(0.0f64..5.0, 7),
        sigma in 0.01f64..2.0,
        concession in 0.1f64..5.0,
        steps in prop::collection::vec((0usize..1000, 0.0f64..=1.0, 0u8..3), 0..40),
    ) {
        let n_out = hyps[0].len();
        let hypotheses: Vec<Hypothesis> = hyps
            .iter()
            .enumerate()
            .map(|(i, u)| Hypothesis::table(format!("h{i}"), priors[i], u.clone(), 0.1 * i as f64))
            .collect();
        let mut p = Posterior::new(hypotheses, sigma, concession);
        let check = |p: &Posterior| {
            let probs = p.probabilities();
            prop_assert!(probs.iter().all(|x| x.is_finite() && *x >= 0.0), "{probs:?}");
            prop_assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{probs:?}");
            Ok(())
        };
        check(&p)?;
        for (k, t, kind) in steps {
            let k = k % n_out;
            match kind {
                0 => p.observe_offer(k, &[], t),
                1 => p.observe_reply(k, &[], t, true),
                _ => p.observe_reply(k, &[], t, false),
            }
            check(&p)?;
            prop_assert!(p.probabilities().iter().all(|x| *x > 0.0));
        }
    }

    /// Offers drawn by a time-dependent opponent (linear, as the model
    /// assumes) whose utility is one of the hypotheses: after 40 of them
    /// that hypothesis holds at least 0.9 of the posterior.
    #[test]
    fn the_posterior_concentrates_on_the_type_that_made_the_offers(
        hyps in (2usize..8).prop_flat_map(|h| tables(h, 40)),
        truth in 0usize..8,
    ) {
        let truth = truth % hyps.len();
        let hypotheses: Vec<Hypothesis> =
            hyps.iter().enumerate().map(|(i, u)| Hypothesis::table(format!("h{i}"), 1.0, u.clone(), 0.0)).collect();
        let mut p = Posterior::new(hypotheses, 0.15, 1.0);
        let rounds = 40;
        for r in 0..rounds {
            let t = (r + 1) as f64 / (rounds + 1) as f64;
            let target = p.hypotheses()[truth].target(t, 1.0);
            let k = time_dependent_offer(&hyps[truth], target);
            p.observe_offer(k, &[], t);
        }
        prop_assert!(p.probabilities()[truth] >= 0.9, "truth {truth}: {:?}", p.probabilities());
    }
}

fn laptop() -> detente::Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/anac/Laptop");
    detente::format::load_path(&path).unwrap().scenario.unwrap()
}

#[test]
fn bayesian_against_boulware_agrees_on_laptop_and_is_deterministic() {
    let scenario = laptop();
    let domain = Domain::new(&scenario, &DomainConfig::default()).unwrap();
    let parties = domain.parties().to_vec();
    let specs = registry::parse_list("bayesian,boulware").unwrap();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(100) };
    let run = |seed| detente::negotiation::run(&protocol, &domain, &parties, &specs, seed, true).unwrap();
    let session = run(7);
    assert_eq!(session.ending, Ending::Agreement, "{session:?}");
    assert_eq!(session, run(7), "the same seed, the same session");
    // One record per round, from the Bayesian party about the other, each a
    // distribution over at most POSTERIOR_TOP hypotheses and `other`.
    assert_eq!(session.posteriors.len(), session.rounds);
    for (r, rec) in session.posteriors.iter().enumerate() {
        assert_eq!((rec.round, rec.holder, rec.about), (r, parties[0], parties[1]));
        assert!(rec.hypotheses.len() <= POSTERIOR_TOP + 1);
        let total: f64 = rec.hypotheses.iter().map(|(_, p)| p).sum();
        assert!((total - 1.0).abs() < 1e-9, "{rec:?}");
        assert!(rec.hypotheses.windows(2).take(POSTERIOR_TOP - 1).all(|w| w[0].1 >= w[1].1));
    }
    // Without the trace, nothing is recorded; without a Bayesian party
    // neither.
    let quiet = detente::negotiation::run(&protocol, &domain, &parties, &specs, 7, false).unwrap();
    assert!(quiet.posteriors.is_empty());
    assert_eq!(quiet.agreement, session.agreement);
    let plain = registry::parse_list("boulware,boulware").unwrap();
    let other = detente::negotiation::run(&protocol, &domain, &parties, &plain, 7, true).unwrap();
    assert!(other.posteriors.is_empty());
}

/// The seller's real utility is one of the generated hypotheses: price
/// weighs 2/3 (salience 1 : 0.5), its value rises linearly to 4 (the peak at
/// 4), and red is its favourite colour (1, the others 0). Against a linear
/// seller, as the model assumes, the buyer's posterior ends on it.
#[test]
fn against_a_linear_opponent_of_a_generated_type_the_posterior_finds_it() {
    let text = r#"
format = 1
name = "paint"
[[issues]]
id = "price"
kind = "integer"
min = 0
max = 4
[[issues]]
id = "colour"
options = ["red", "green", "blue"]
[[actors]]
id = "buyer"
stances.price = { position = 0, salience = 1 }
stances.colour = { values = { red = 0.0, green = 1.0, blue = 0.5 }, salience = 1 }
[[actors]]
id = "seller"
stances.price = { position = 4, salience = 1 }
stances.colour = { values = { red = 1.0, green = 0.0, blue = 0.0 }, salience = 0.5 }
"#;
    let loaded = detente::load_str("paint.toml", text, detente::TextFormat::Toml);
    let scenario = loaded.scenario.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let domain = Domain::new(&scenario, &DomainConfig::default()).unwrap();
    // The seller's utility is the hypothesis's, outcome by outcome.
    let truth = Hypothesis::additive(
        "price>colour | price@4, colour=red",
        1.0,
        vec![2.0 / 3.0, 1.0 / 3.0],
        vec![vec![0.0, 0.25, 0.5, 0.75, 1.0], vec![1.0, 0.0, 0.0]],
        0.0,
    );
    for k in 0..domain.len() {
        let u = domain.preferences(1).utility(k);
        assert!((truth.utility(k, domain.digits(k)) - u).abs() < 1e-12, "outcome {k}: {u}");
    }
    let specs = registry::parse_list("bayesian,linear").unwrap();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(40) };
    let session = detente::negotiation::run(&protocol, &domain, &[0, 1], &specs, 1, true).unwrap();
    let last = session.posteriors.last().expect("recorded");
    assert_eq!(last.hypotheses[0].0, truth.name, "{last:?}");
    assert!(last.hypotheses[0].1 >= 0.9, "{last:?}");
}

/// With `[[types]]` declared for the seller, the buyer's hypotheses are
/// those types, with the buyer's own probabilities (its belief), and
/// against a linear seller of type `price-first` (the file's seller) the
/// posterior moves from the buyer's 0.3 onto it.
#[test]
fn declared_types_are_the_hypotheses_and_the_posterior_finds_the_true_one() {
    let text = r#"
format = 1
name = "paint, two sellers"
[[issues]]
id = "price"
kind = "integer"
min = 0
max = 4
[[issues]]
id = "colour"
options = ["red", "green", "blue"]
[[actors]]
id = "buyer"
stances.price = { position = 0, salience = 1 }
stances.colour = { values = { red = 0.0, green = 1.0, blue = 0.5 }, salience = 1 }
[[actors]]
id = "seller"
stances.price = { position = 4, salience = 1 }
stances.colour = { values = { red = 1.0, green = 0.0, blue = 0.0 }, salience = 0.5 }
[[types]]
actor = "seller"
name = "price-first"
prior = 0.5
[[types]]
actor = "seller"
name = "colour-first"
prior = 0.5
stances.price = { salience = 0.1 }
stances.colour = { values = { red = 0.0, green = 1.0, blue = 0.0 }, salience = 1 }
[[beliefs]]
holder = "buyer"
about = "seller"
types = { price-first = 0.3, colour-first = 0.7 }
"#;
    let loaded = detente::load_str("paint.toml", text, detente::TextFormat::Toml);
    let scenario = loaded.scenario.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let domain = Domain::new(&scenario, &DomainConfig::default()).unwrap();
    let views = domain.type_views(0, 1).expect("the seller has types");
    assert_eq!(
        views.iter().map(|v| (v.name.as_str(), v.probability)).collect::<Vec<_>>(),
        [("price-first", 0.3), ("colour-first", 0.7)]
    );
    // The first type is the file's seller: the same utility everywhere.
    for k in 0..domain.len() {
        assert!((views[0].utilities[k] - domain.preferences(1).utility(k)).abs() < 1e-12);
    }
    assert!(domain.type_views(1, 0).is_none(), "the buyer has no types");
    let specs = registry::parse_list("bayesian,linear").unwrap();
    let protocol = AlternatingOffers { deadline: Deadline::rounds(40) };
    let session = detente::negotiation::run(&protocol, &domain, &[0, 1], &specs, 1, true).unwrap();
    let first = &session.posteriors[0];
    assert_eq!(first.hypotheses.len(), 2, "{first:?}");
    let last = session.posteriors.last().expect("recorded");
    assert_eq!(last.hypotheses[0].0, "price-first", "{last:?}");
    assert!(last.hypotheses[0].1 >= 0.9, "{last:?}");
}
