//! Cross-checks against peer implementations installed from PyPI.
//!
//! Runs when `DETENTE_PEER_PYTHON` names a Python interpreter that has the
//! peers (`bash scripts/peers.sh` makes one and prints its path; the test
//! script sets the variable). In CI (`CI` set) a missing interpreter or
//! missing data is a failure, never a silent skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use detente::scenario::{Domain, Value as OutcomeValue};
use serde_json::Value;

mod common;
use common::{ci, python, repo};

fn data(rel: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/data").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(!ci(), "{} is missing", p.display());
    eprintln!("skipping: {} is missing", p.display());
    None
}

fn detente(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_detente")).args(args).output().expect("run detente");
    assert!(out.status.success(), "detente {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("detente prints JSON")
}

/// The linear ANAC domains (every year but the non-linear 2014), largest last.
fn linear_anac_domains(root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for year in std::fs::read_dir(root).unwrap().filter_map(|e| e.ok().map(|e| e.path())) {
        if year.ends_with("y2014") {
            continue;
        }
        for d in std::fs::read_dir(&year).unwrap().filter_map(|e| e.ok().map(|e| e.path())) {
            if d.is_dir() {
                dirs.push(d);
            }
        }
    }
    dirs.sort();
    dirs
}

fn vectors(points: &Value) -> Vec<Vec<f64>> {
    points
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let u = p.get("utilities").unwrap_or(p);
            match u {
                Value::Object(m) => m.values().map(|v| v.as_f64().unwrap()).collect(),
                Value::Array(a) => a.iter().map(|v| v.as_f64().unwrap()).collect(),
                _ => panic!("not a point: {p}"),
            }
        })
        .collect()
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9)
}

/// `q` dominates `p` by more than rounding: at least as good within 1e-9
/// everywhere and better by more than 1e-9 somewhere.
fn clearly_dominates(q: &[f64], p: &[f64]) -> bool {
    q.iter().zip(p).all(|(a, b)| *a >= b - 1e-9) && q.iter().zip(p).any(|(a, b)| *a > b + 1e-9)
}

/// Same set of utility vectors, within 1e-9. Both sides sum the same terms
/// in different orders, so two outcomes that tie mathematically on some
/// party can differ by ~1e-16; NegMAS then keeps a point that is
/// mathematically dominated (by more than 1e-9 on another party). Such
/// points are accepted on the NegMAS side and counted in `rounding`.
/// Whether a point's utility for some party equals that party's
/// reservation but for rounding: NegMAS filters its agreement set by a
/// floating-point `>`, so it counts such a point as a gain when the sum
/// lands one unit in the last place above; detente decides the tie exactly
/// and leaves the point out (docs/analysis.md, "Ties").
fn ties_a_reservation(point: &[f64], reservations: &[f64]) -> bool {
    point.iter().zip(reservations).any(|(u, r)| (u - r).abs() <= 1e-9)
}

fn same_set(ours: &[Vec<f64>], theirs: &[Vec<f64>], rounding: &mut usize) -> Result<(), String> {
    for o in ours {
        if !theirs.iter().any(|t| close(o, t)) {
            return Err(format!(
                "point {o:?} is not in NegMAS's frontier ({} here, {} there)",
                ours.len(),
                theirs.len()
            ));
        }
    }
    for t in theirs {
        if ours.iter().any(|o| close(o, t)) {
            continue;
        }
        if ours.iter().any(|o| clearly_dominates(o, t)) {
            *rounding += 1;
            continue;
        }
        return Err(format!("NegMAS point {t:?} is missing ({} here, {} there)", ours.len(), theirs.len()));
    }
    Ok(())
}

/// Deal-space analysis against NegMAS on every linear ANAC domain (in CI,
/// all but the one of more than a million outcomes): the
/// Pareto frontier of the whole space and of the agreement set, and the
/// Nash, Kalai–Smorodinsky, egalitarian and utilitarian points, within 1e-9,
/// when both use the same utilities (see benches/negmas_peer.py for how the
/// definitions are aligned).
#[test]
fn analysis_matches_negmas() {
    let (Some(py), Some(root)) = (python("peer cross-checks"), data("genius/anac")) else { return };
    let tmp = tempfile::tempdir().unwrap();
    let domains = linear_anac_domains(&root);
    assert!(domains.len() >= 90, "expected the ANAC domains, found {}", domains.len());
    // NegMAS needs about seven minutes for the one domain of more than a
    // million outcomes (y2016/AgentHp2, 5,764,801), more than all the
    // others together: it is checked when DETENTE_PEERS_FULL is set, and
    // the CI run checks the other 130.
    let full = std::env::var_os("DETENTE_PEERS_FULL").is_some();
    let mut jsons = Vec::new();
    let mut ours = Vec::new();
    let mut kept = Vec::new();
    for (k, d) in domains.iter().enumerate() {
        let dir = d.to_str().unwrap();
        let analysis = detente(&["analyze", "--json", "--method", "enumerate", dir]);
        if !full && analysis["outcomes"].as_u64().unwrap() > 1_000_000 {
            eprintln!("{}: left to the full run (DETENTE_PEERS_FULL=1)", d.display());
            continue;
        }
        let shown = detente(&["show", "--json", dir]);
        let path = tmp.path().join(format!("{k}.json"));
        std::fs::write(&path, serde_json::to_string(&shown["scenario"]).unwrap()).unwrap();
        jsons.push(path.display().to_string());
        ours.push(analysis);
        kept.push(d.clone());
    }
    assert!(kept.len() + 1 >= domains.len(), "at most one domain left to the full run");
    let domains = kept;
    // NegMAS takes minutes over the 131 domains in one process; two
    // processes (the machine's two cores), each on every other domain, take
    // half the wall time. Lines are put back in domain order.
    let script = repo().join("benches/negmas_peer.py");
    let halves: Vec<std::process::Child> = (0..2)
        .map(|h| {
            Command::new(&py)
                .arg(&script)
                .args(jsons.iter().skip(h).step_by(2))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run the NegMAS peer")
        })
        .collect();
    let parts: Vec<Vec<Value>> = halves
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().expect("wait for the NegMAS peer");
            assert!(out.status.success(), "NegMAS peer failed: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
        })
        .collect();
    assert_eq!(parts[0].len() + parts[1].len(), jsons.len(), "one line per domain from the NegMAS peer");
    let lines: Vec<Value> = (0..jsons.len()).map(|k| parts[k % 2][k / 2].clone()).collect();
    assert_eq!(lines.len(), domains.len());
    let mut failures = Vec::new();
    let mut points = 0;
    let mut rounding = 0;
    let mut ties = 0;
    for ((d, ours), theirs) in domains.iter().zip(&ours).zip(&lines) {
        let name = d.strip_prefix(&root).unwrap().display().to_string();
        let mut check = |what: &str, r: Result<(), String>| {
            if let Err(e) = r {
                failures.push(format!("{name}: {what}: {e}"));
            }
        };
        let ours_all = vectors(&ours["pareto_all"]);
        points += ours_all.len();
        check("whole-space frontier", same_set(&ours_all, &vectors(&theirs["frontier"]), &mut rounding));
        // NegMAS's agreement-set points that only tie a reservation are
        // rounding gains detente does not count (ties_a_reservation).
        let reservations: Vec<f64> = ours["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let actor = ours["actors"].as_array().unwrap().iter().find(|a| a["id"] == *p).unwrap();
                actor["reservation"].as_f64().unwrap()
            })
            .collect();
        let their_rational: Vec<Vec<f64>> = vectors(&theirs["rational_frontier"])
            .into_iter()
            .filter(|t| {
                let tie = ties_a_reservation(t, &reservations);
                ties += usize::from(tie);
                !tie
            })
            .collect();
        check("agreement-set frontier", same_set(&vectors(&ours["pareto"]), &their_rational, &mut rounding));
        for (ours_key, their_key) in [
            ("nash", "nash"),
            ("kalai_smorodinsky", "kalai_smorodinsky"),
            ("egalitarian", "egalitarian"),
            ("utilitarian", "utilitarian"),
        ] {
            let mine = &ours["solutions"][ours_key];
            let theirs = vectors(&theirs[their_key]);
            let r = if mine.is_null() {
                if theirs.is_empty() {
                    Ok(())
                } else {
                    Err(format!("none here, NegMAS has {theirs:?}"))
                }
            } else {
                let m = vectors(&Value::Array(vec![mine.clone()])).remove(0);
                if theirs.iter().any(|t| close(&m, t)) {
                    Ok(())
                } else {
                    Err(format!("{m:?} here, NegMAS {theirs:?}"))
                }
            };
            check(ours_key, r);
        }
    }
    eprintln!(
        "checked {} domains, {points} frontier points; {rounding} NegMAS points dominated but for rounding; {ties} NegMAS agreement points that tie a reservation",
        domains.len()
    );
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

/// xorshift64* (Vigna 2016): a fixed-seed generator, so the outcomes sent to
/// NegMAS are the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One NegMAS value of issue `issue` at `value`: its index in NegMAS's list of
/// the issue's values (labels or integers).
fn negmas_index(issue: &Value, value: &Value) -> usize {
    issue["values"]
        .as_array()
        .unwrap()
        .iter()
        .position(|v| v == value)
        .unwrap_or_else(|| panic!("{value} not in {issue}"))
}

/// GENIUS utilities against NegMAS's own GENIUS reader on every linear ANAC
/// domain: 10,000 fixed random outcomes per domain, evaluated by detente
/// (`load_path` + `Actor::utility`) and by NegMAS
/// (`load_genius_domain_from_folder`, benches/negmas_utilities.py).
///
/// NegMAS's numbers are first checked to be NegMAS's documented semantics
/// (docs/formats/genius.md, "Differences from NegMAS"): its utility is the
/// weighted sum of the raw per-issue values it holds, discrete evaluations
/// are used raw (not divided by the issue's largest), integer evaluators are
/// `offset + slope · v` without the lower bound and unclamped, no cap at 1,
/// the `DUMMY_ISSUE` NegMAS inserts where a domain numbers its issues from 2
/// counts, and discounting is `d^step` per round. Then GENIUS's semantics are
/// applied to NegMAS's parsed numbers (weights, evaluations, slopes, offsets,
/// issue bounds) and the result must equal detente's utility within 1e-12,
/// as must the reservation values. Each difference must actually occur on
/// the data (so the check would notice if one were wrong).
#[test]
fn utilities_match_negmas() {
    let (Some(py), Some(root)) = (python("peer cross-checks"), data("genius/anac")) else { return };
    const PER_DOMAIN: usize = 10_000;
    let domains = linear_anac_domains(&root);
    assert!(domains.len() >= 130, "expected the linear ANAC domains, found {}", domains.len());
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut scenarios = Vec::new();
    let mut request = Vec::new();
    for d in &domains {
        let loaded = detente::load_path(d).unwrap();
        let scenario = loaded.scenario.unwrap_or_else(|| panic!("{}: {:?}", d.display(), loaded.diagnostics));
        let mut outcomes = Vec::with_capacity(PER_DOMAIN);
        let mut labels = Vec::with_capacity(PER_DOMAIN);
        for _ in 0..PER_DOMAIN {
            let mut outcome = Vec::new();
            let mut label = Vec::new();
            for issue in &scenario.issues {
                match &issue.domain {
                    Domain::Discrete { options, .. } => {
                        let k = rng.below(options.len());
                        outcome.push(OutcomeValue::Option(k));
                        label.push(Value::from(options[k].clone()));
                    }
                    Domain::Integer { min, max, .. } => {
                        let v = min + rng.below((max - min + 1) as usize) as i64;
                        outcome.push(OutcomeValue::Int(v));
                        label.push(Value::from(v));
                    }
                    Domain::Continuous { .. } => panic!("{}: continuous issue {}", d.display(), issue.id),
                }
            }
            outcomes.push(outcome);
            labels.push(Value::Array(label));
        }
        let names: Vec<&str> = scenario.issues.iter().map(|i| i.name.as_deref().unwrap_or(&i.id)).collect();
        request.push(serde_json::json!({ "folder": d.display().to_string(), "issues": names, "outcomes": labels }));
        scenarios.push((scenario, outcomes));
    }
    let tmp = tempfile::tempdir().unwrap();
    let request_path = tmp.path().join("request.json");
    std::fs::write(&request_path, serde_json::to_vec(&serde_json::json!({ "domains": request })).unwrap()).unwrap();
    let script = repo().join("benches/negmas_utilities.py");
    let out = Command::new(&py).arg(&script).arg(&request_path).output().expect("run the NegMAS peer");
    assert!(out.status.success(), "NegMAS peer failed: {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), domains.len());

    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12;
    let mut failures = Vec::new();
    let mut compared = 0usize;
    let mut profiles = 0usize;
    // How often each documented difference shows on the data.
    let (mut raw_discrete, mut lowerbound, mut unclamped, mut above_one, mut discounted) = (0, 0, 0, 0, 0);
    let mut dummy_domains = 0;
    let mut dummy_offsets: Vec<f64> = Vec::new();
    let mut negmas_seconds = 0.0;
    for ((d, (scenario, outcomes)), theirs) in domains.iter().zip(&scenarios).zip(&lines) {
        let name = d.strip_prefix(&root).unwrap().display().to_string();
        negmas_seconds += theirs["seconds"].as_f64().unwrap();
        let issues = theirs["issues"].as_array().unwrap();
        // detente's issue i is NegMAS's issue pos[i] (matched by name); NegMAS's
        // other issues are the single-value DUMMY_ISSUEs its reader inserts.
        let pos: Vec<usize> = scenario
            .issues
            .iter()
            .map(|mine| {
                let wanted = mine.name.as_deref().unwrap_or(&mine.id);
                let found: Vec<usize> = (0..issues.len()).filter(|&p| issues[p]["name"] == wanted).collect();
                assert_eq!(found.len(), 1, "{name}: issue {wanted} in NegMAS: {found:?}");
                found[0]
            })
            .collect();
        let dummies: Vec<usize> = (0..issues.len()).filter(|p| !pos.contains(p)).collect();
        for &p in &dummies {
            assert_eq!(issues[p]["values"].as_array().unwrap().len(), 1, "{name}: NegMAS-only issue {}", issues[p]);
        }
        dummy_domains += usize::from(!dummies.is_empty());
        // Each outcome as indices into NegMAS's lists of issue values, in
        // NegMAS's issue order (a dummy issue's one value is index 0).
        let indices: Vec<Vec<usize>> = outcomes
            .iter()
            .map(|outcome| {
                let mut index = vec![0; issues.len()];
                for ((v, issue), &p) in outcome.iter().zip(&scenario.issues).zip(&pos) {
                    index[p] = match (v, &issue.domain) {
                        (OutcomeValue::Option(k), Domain::Discrete { options, .. }) => {
                            negmas_index(&issues[p], &Value::from(options[*k].clone()))
                        }
                        (OutcomeValue::Int(v), _) => negmas_index(&issues[p], &Value::from(*v)),
                        _ => unreachable!(),
                    };
                }
                index
            })
            .collect();
        let ufuns = theirs["ufuns"].as_array().unwrap();
        assert_eq!(ufuns.len(), scenario.actors.len(), "{name}: profile count");
        for ufun in ufuns {
            profiles += 1;
            let stem = ufun["name"].as_str().unwrap();
            let actor = scenario.actors.iter().find(|a| a.name.as_deref() == Some(stem)).unwrap();
            let weights: Vec<f64> = ufun["weights"].as_array().unwrap().iter().map(|w| w.as_f64().unwrap()).collect();
            let raw: Vec<Vec<f64>> = ufun["raw"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect())
                .collect();
            let funs = ufun["value_funs"].as_array().unwrap();
            // GENIUS's value of NegMAS issue p's k-th value, from NegMAS's numbers.
            let genius_value = |i: usize, k: usize| -> f64 {
                let p = pos[i];
                match &scenario.issues[i].domain {
                    Domain::Discrete { .. } => {
                        let max = raw[p].iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        if max < 0.00001 {
                            0.0
                        } else {
                            raw[p][k] / max
                        }
                    }
                    _ => {
                        let lower = issues[p]["min"].as_i64().unwrap();
                        let v = issues[p]["values"][k].as_i64().unwrap();
                        let slope = funs[p]["slope"].as_f64().unwrap_or(0.0);
                        let offset = funs[p]["bias"].as_f64().unwrap_or(0.0);
                        (offset + slope * (v - lower) as f64).clamp(0.0, 1.0)
                    }
                }
            };
            // The differences in this profile's numbers.
            for (i, issue) in scenario.issues.iter().enumerate() {
                let p = pos[i];
                match &issue.domain {
                    Domain::Discrete { .. } => {
                        let max = raw[p].iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        raw_discrete += usize::from(weights[p] != 0.0 && max != 1.0);
                    }
                    Domain::Integer { min, .. } => {
                        let slope = funs[p]["slope"].as_f64().unwrap_or(0.0);
                        let offset = funs[p]["bias"].as_f64().unwrap_or(0.0);
                        for (k, r) in raw[p].iter().enumerate() {
                            let v = issues[p]["values"][k].as_i64().unwrap();
                            if !close(*r, offset + slope * v as f64) {
                                failures.push(format!(
                                    "{name}/{stem}: NegMAS values {} at {v} as {r}, not offset + slope·v",
                                    issue.id
                                ));
                            }
                            unclamped += usize::from(!(0.0..=1.0).contains(r));
                        }
                        lowerbound += usize::from(*min != 0 && slope != 0.0);
                    }
                    Domain::Continuous { .. } => unreachable!(),
                }
            }
            let constant: f64 = dummies.iter().map(|&p| weights[p] * raw[p][0]).sum();
            dummy_offsets.push(constant);
            let utilities = ufun["utilities"].as_array().unwrap();
            if ufun["n_errors"].as_u64() != Some(0) {
                failures
                    .push(format!("{name}/{stem}: NegMAS fails on {} outcomes: {}", ufun["n_errors"], ufun["errors"]));
            }
            let mut bad = 0;
            for ((outcome, index), u) in outcomes.iter().zip(&indices).zip(utilities) {
                let Some(u) = u.as_f64() else { continue };
                // NegMAS's utility is the plain weighted sum of its raw values.
                let negmas_sum: f64 = index.iter().enumerate().map(|(i, &k)| weights[i] * raw[i][k]).sum();
                if !close(u, negmas_sum) {
                    failures.push(format!("{name}/{stem}: NegMAS gives {u}, its weighted raw sum is {negmas_sum}"));
                }
                let uncapped: f64 = pos.iter().enumerate().map(|(i, &p)| weights[p] * genius_value(i, index[p])).sum();
                above_one += usize::from(uncapped > 1.0);
                let expected = uncapped.min(1.0);
                let ours = actor.utility(&scenario.issues, outcome);
                compared += 1;
                if !close(ours, expected) {
                    bad += 1;
                    if bad <= 3 {
                        failures.push(format!("{name}/{stem} at {outcome:?}: detente {ours}, NegMAS with GENIUS semantics {expected} (raw {u})"));
                    }
                }
            }
            let reserved = ufun["reserved_value"].as_f64().unwrap();
            let ours = scenario.reservation_value(scenario.actor_index(&actor.id).unwrap());
            if !close(reserved, ours) {
                failures.push(format!("{name}/{stem}: reservation {ours} here, {reserved} in NegMAS"));
            }
            // Difference 3: NegMAS discounts per round, d^step.
            let disc = &ufun["discount"];
            if actor.discount < 1.0 {
                discounted += 1;
                let d = disc["discount"].as_f64().unwrap_or(f64::NAN);
                let (u0, u10) =
                    (disc["step0"].as_f64().unwrap_or(f64::NAN), disc["step10"].as_f64().unwrap_or(f64::NAN));
                if d != actor.discount
                    || disc["factor"] != "step"
                    || (u10 - u0 * d.powi(10)).abs() > 1e-12 * u0.abs().max(1.0)
                {
                    failures.push(format!("{name}/{stem}: discount {} here; NegMAS {disc}", actor.discount));
                }
            } else if !disc.is_null() && disc["discount"].as_f64() != Some(1.0) {
                failures.push(format!("{name}/{stem}: no discount here; NegMAS {disc}"));
            }
        }
    }
    eprintln!(
        "{compared} utilities compared ({profiles} profiles, {} domains; NegMAS evaluation {negmas_seconds:.1} s); \
         differences seen: {raw_discrete} discrete issues with raw evaluations, {lowerbound} integer evaluators \
         shifted by a non-zero lower bound, {unclamped} unclamped integer values, {above_one} sums above 1, \
         {discounted} discounted profiles, {dummy_domains} domains with a DUMMY_ISSUE (constant offsets {:?})",
        domains.len(),
        {
            let mut offsets: Vec<f64> = dummy_offsets.iter().copied().filter(|c| *c != 0.0).collect();
            offsets.sort_by(f64::total_cmp);
            offsets.dedup();
            offsets
        }
    );
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(compared, PER_DOMAIN * profiles);
    // Every documented difference occurs in the data, so each is exercised.
    assert!(raw_discrete > 0 && lowerbound > 0 && unclamped > 0 && above_one > 0 && discounted > 0);
}

/// The exchange model against `decide-exchange-model` (driven by
/// `benches/decide_peer.py`, with its two documented exact-arithmetic
/// readings, docs/models/exchange.md): every round's forecast, every actor's
/// voting position and next preference, and the number of exchanges, within
/// 1e-6 on each issue's scale. Ten rounds on each of the sample, Copenhagen
/// and COP21 tables (COP21's ten take the package about half a minute).
#[test]
fn exchange_matches_decide_exchange_model() {
    let Some(py) = python("peer cross-checks") else { return };
    let mut cases = Vec::new();
    for (rel, rounds) in [
        ("stakeholders/decide_sample_data.txt", 10),
        ("stakeholders/copenhagen.csv", 10),
        ("stakeholders/cop21.csv", 10),
    ] {
        let Some(path) = data(rel) else { return };
        cases.push((path, rounds));
    }
    let specs: Vec<String> = cases.iter().map(|(p, n)| format!("{}:{n}", p.display())).collect();
    let out = Command::new(&py).arg(repo().join("benches/decide_peer.py")).args(&specs).output().expect("run the peer");
    assert!(out.status.success(), "decide-exchange-model peer failed: {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), cases.len());
    let mut failures = Vec::new();
    for ((path, rounds), theirs) in cases.iter().zip(&lines) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let ours = detente(&[
            "forecast",
            "--json",
            "--model",
            "exchange",
            "--rounds",
            &rounds.to_string(),
            path.to_str().unwrap(),
        ]);
        let issues = ours["issues"].as_array().unwrap();
        let peer_rounds = theirs["rounds"].as_array().unwrap();
        assert_eq!(issues.len(), theirs["issues"].as_array().unwrap().len(), "{name}: issues");
        assert_eq!(peer_rounds.len(), rounds + 1, "{name}: the peer's rounds");
        let peer_actors = theirs["actors"].as_array().unwrap();
        let mut worst = 0.0f64;
        let mut compare = |what: String, a: f64, b: f64| {
            worst = worst.max((a - b).abs());
            if (a - b).abs() > 1e-6 {
                failures.push(format!("{name}: {what}: {a} here, {b} in the package"));
            }
        };
        for (d, issue) in issues.iter().enumerate() {
            let run = &issue["forecasts"][0];
            assert_eq!(run["model"], "exchange");
            let trace = run["trace"].as_array().unwrap();
            assert_eq!(trace.len(), rounds + 1, "{name}: {} played {}", issue["issue"], run["termination"]);
            // The issue's actors are the table's actors with data on it, in order.
            let ids: Vec<&str> = issue["actors"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
            let with_data: Vec<&str> = peer_actors
                .iter()
                .map(|a| a.as_str().unwrap())
                .filter(|a| !peer_rounds[0]["positions"][*a][d].is_null())
                .collect();
            assert_eq!(ids.len(), with_data.len(), "{name}: actors on {}", issue["issue"]);
            for (r, (mine, peer)) in trace.iter().zip(peer_rounds).enumerate() {
                let at = format!("{} round {r}", issue["issue"]);
                compare(
                    format!("{at} forecast"),
                    mine["forecast"].as_f64().unwrap(),
                    peer["forecast"][d].as_f64().unwrap(),
                );
                if r > 0 {
                    compare(
                        format!("{at} exchanges"),
                        mine["exchanges"].as_f64().unwrap(),
                        peer["exchanges"].as_f64().unwrap(),
                    );
                }
                for (id, peer_id) in ids.iter().zip(&with_data) {
                    let here = run["rounds"][r][*id].as_f64().unwrap();
                    compare(
                        format!("{at} {id} voting position"),
                        here,
                        peer["positions"][*peer_id][d].as_f64().unwrap(),
                    );
                    if r > 0 {
                        let here = mine["preferences"][*id].as_f64().unwrap();
                        let there = peer["preferences"][*peer_id][d].as_f64().unwrap();
                        compare(format!("{at} {id} preference"), here, there);
                    }
                }
            }
        }
        let noise: Vec<i64> = peer_rounds.iter().skip(1).map(|r| r["boundary_noise"].as_i64().unwrap()).collect();
        eprintln!(
            "{name}: {rounds} rounds, largest difference {worst:.1e}; the package took {:.2} s; \
             boundary noise read as exact per round: {noise:?}",
            theirs["seconds"].as_f64().unwrap()
        );
    }
    assert!(
        failures.is_empty(),
        "{} mismatches, first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

/// The robustness study against SALib and the EMA Workbench on the same
/// samples and verdicts (`--dump-samples`, benches/robustness_peer.py):
/// SALib's `sobol.analyze` gives the same first-order and total indices,
/// and the EMA Workbench's PRIM peels the base points along the same
/// trajectory (limits, coverage, density, mass at every step). The box
/// detente reports is chosen and pasted differently by design
/// (docs/robustness.md), so only the peeling is compared.
#[test]
fn robustness_matches_salib_and_ema_workbench() {
    let Some(python) = python("the robustness cross-checks") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("samples.csv");
    let scenario = repo().join("scenarios/kuril-2019.toml");
    let doc = detente(&[
        "robustness",
        scenario.to_str().unwrap(),
        "--samples",
        "256",
        "--seed",
        "3",
        "--json",
        "--dump-samples",
        csv.to_str().unwrap(),
    ]);
    let out = Command::new(&python)
        .arg(repo().join("benches/robustness_peer.py"))
        .arg(&csv)
        .output()
        .expect("run the peer script");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let peer: Value = serde_json::from_slice(&out.stdout).expect("peer JSON");
    let params = doc["parameters"].as_array().unwrap();
    for (k, p) in params.iter().enumerate() {
        for (ours, theirs) in [("s1", "s1"), ("st", "st")] {
            let (a, b) = (p[ours].as_f64().unwrap(), peer[theirs][k].as_f64().unwrap());
            assert!((a - b).abs() <= 1e-9, "{} {ours}: detente {a}, SALib {b}", p["param"]);
        }
    }

    // The base points as detente takes them: A rows, then B rows.
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<f64>> =
        text.lines().skip(1).map(|l| l.split(',').skip(1).map(|v| v.parse().unwrap()).collect()).collect();
    let d = params.len();
    let per = 2 * d + 2;
    let n = rows.len() / per;
    let base: Vec<usize> = (0..n).map(|i| i * per).chain((0..n).map(|i| i * per + per - 1)).collect();
    let x: Vec<Vec<f64>> = base.iter().map(|&r| rows[r][..d].to_vec()).collect();
    let y: Vec<bool> = base.iter().map(|&r| rows[r][d] == 1.0).collect();
    let ours = detente::robustness::prim::peeling_trajectory(&x, &y, &detente::robustness::PrimConfig::ema());
    let theirs = peer["trajectory"].as_array().unwrap();
    assert!(ours.len() > 1 && theirs.len() >= ours.len(), "{} steps against {}", ours.len(), theirs.len());
    for (k, ((limits, coverage, density, mass), t)) in ours.iter().zip(theirs).enumerate() {
        let near = |a: f64, b: &Value| (a - b.as_f64().unwrap()).abs() <= 1e-12;
        assert!(
            near(*coverage, &t["coverage"]) && near(*density, &t["density"]) && near(*mass, &t["mass"]),
            "step {k}: {t}"
        );
        for (u, (lo, hi)) in limits.iter().enumerate() {
            let l = &t["limits"][u];
            assert!(near(*lo, &l[0]) && near(*hi, &l[1]), "step {k}, {}: ({lo}, {hi}) against {l}", params[u]["param"]);
        }
    }
}

/// The tournament tables (`--format parquet` and `csv`) recomputed by pandas
/// and SciPy from the scores file alone (`benches/tournament_tables_peer.py`):
/// counts, means, sample standard deviations, Student-t and Wilson
/// intervals and ranks agree to 1e-12 (relative), in both formats, on a
/// tournament of two scenarios with repetitions and a random strategy (so
/// repetitions differ and every spread is real).
#[test]
fn tournament_tables_match_pandas_and_scipy() {
    let Some(python) = python("the tournament table cross-check") else { return };
    let tmp = tempfile::tempdir().unwrap();
    for format in ["parquet", "csv"] {
        let out_dir = tmp.path().join(format);
        let out = Command::new(env!("CARGO_BIN_EXE_detente"))
            .args(["tournament", "scenarios/anac/Laptop", "scenarios/kuril-2019-untethered.toml"])
            .args(["--strategies", "boulware,linear,conceder,random", "--reps", "3", "--seed", "5", "--format", format])
            .arg("--out")
            .arg(&out_dir)
            .current_dir(repo())
            .output()
            .expect("run detente");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let peer = Command::new(&python)
            .arg(repo().join("benches/tournament_tables_peer.py"))
            .arg(&out_dir)
            .arg(format)
            .output()
            .expect("run the peer script");
        assert!(peer.status.success(), "{}", String::from_utf8_lossy(&peer.stderr));
        let v: Value = serde_json::from_slice(&peer.stdout).expect("peer JSON");
        // 2 scenarios × 16 pairings × 3 reps × 2 seats.
        assert_eq!(v["scores"], 192, "{v}");
        for (name, t) in v["tables"].as_object().unwrap() {
            assert_eq!(t["unmatched"], 0, "{format} {name}: {v}");
            assert!(t["max_difference"].as_f64().unwrap() <= 1e-12, "{format} {name}: {v}");
        }
        assert!(v.get("nan_mismatch").is_none(), "{v}");
    }
}
