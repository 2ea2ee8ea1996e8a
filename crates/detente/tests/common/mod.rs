//! Shared by the tests: random small scenarios, an independent statement
//! of the agreement-set definition (docs/analysis.md), and the GENIUS
//! reference data.
#![allow(dead_code)]

use detente::scenario::*;
use detente::{load_str, TextFormat};
use proptest::prelude::*;

/// A random small scenario as TOML text: 2–3 parties, maybe a ratifier and
/// a veto holder, a few constraints, a status quo.
pub fn scenario_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((2usize..4, any::<bool>()), 2..4),
        prop::collection::vec((prop::collection::vec((0usize..4, 0u8..11), 4), 0u8..6), 2..5),
        prop::collection::vec((0usize..4, 0usize..4, 0usize..4, 0usize..4, 0u8..3, 0usize..5), 0..3),
        any::<bool>(),
        prop::collection::vec(0usize..4, 4),
    )
        .prop_map(|(issues, actors, constraints, ratify, sq)| {
            let mut t = String::from("format = 1\nname = \"gen\"\n");
            for (i, (n, ordered)) in issues.iter().enumerate() {
                let opts: Vec<String> = (0..*n).map(|k| format!("\"o{k}\"")).collect();
                t += &format!("[[issues]]\nid = \"i{i}\"\noptions = [{}]\nordered = {ordered}\n", opts.join(", "));
            }
            t += "[status_quo]\n";
            for (i, (n, _)) in issues.iter().enumerate() {
                t += &format!("i{i} = \"o{}\"\n", sq[i] % n);
            }
            let n_actors = actors.len();
            for (a, (stances, res)) in actors.iter().enumerate() {
                let role = if a < 2 {
                    "party"
                } else if ratify && a == 2 {
                    "ratifier"
                } else {
                    "other"
                };
                t += &format!("[[actors]]\nid = \"a{a}\"\nrole = \"{role}\"\nreservation = {}\n", *res as f64 / 10.0);
                if a == 0 && ratify && n_actors > 2 {
                    t += "ratifiers = [\"a2\"]\n";
                }
                if a == 3 {
                    t += "vetoes = [\"i0\"]\n";
                }
                for (i, (n, _)) in issues.iter().enumerate() {
                    let (pos, sal) = stances[i];
                    t += &format!(
                        "stances.i{i} = {{ position = \"o{}\", salience = {} }}\n",
                        pos % n,
                        sal as f64 / 10.0
                    );
                }
            }
            for (k, &(i, oi, j, oj, form, owner)) in constraints.iter().enumerate() {
                let (i, j) = (i % issues.len(), j % issues.len());
                let a = format!("i{i} == 'o{}'", oi % issues[i].0);
                let b = format!("i{j} == 'o{}'", oj % issues[j].0);
                let rule = match form {
                    0 => format!("never {a}"),
                    1 => format!("{a} -> {b}"),
                    _ => format!("{a} <-> {b}"),
                };
                t += &format!(
                    "[[constraints]]\nlabel = \"c{k}\"\nowner = \"a{}\"\nrule = \"{rule}\"\n",
                    owner % n_actors
                );
            }
            t
        })
}

pub fn load(text: &str) -> Scenario {
    let l = load_str("gen.toml", text, TextFormat::Toml);
    l.scenario.unwrap_or_else(|| panic!("{:?}\n{text}", l.diagnostics))
}

/// Independent statement of the definitions in docs/analysis.md.
pub fn acceptable(s: &Scenario, o: &[Value]) -> bool {
    if !s.constraints.iter().all(|c| c.allows(o)) {
        return false;
    }
    let sq = s.status_quo.as_ref().unwrap();
    let mut required: Vec<usize> = s.parties();
    let mut k = 0;
    while k < required.len() {
        for &r in &s.actors[required[k]].ratifiers {
            if !required.contains(&r) {
                required.push(r);
            }
        }
        k += 1;
    }
    for (a, actor) in s.actors.iter().enumerate() {
        if actor.vetoes.iter().any(|&i| o[i] != sq[i]) && !required.contains(&a) {
            required.push(a);
        }
    }
    let parties = s.parties();
    // Compared exactly, in rational arithmetic (docs/analysis.md, "Ties").
    required.iter().all(|&a| {
        let u = s.actors[a].utility_exact(&s.issues, o).unwrap();
        let d = s.actors[a].reservation_exact(s).unwrap();
        if parties.contains(&a) {
            u > d
        } else {
            u >= d
        }
    })
}

/// A folder of `../shared/data/genius`, or `None` (with the reason printed)
/// outside CI when it is missing; in CI a missing folder fails the test.
pub fn genius_data(rel: &str) -> Option<std::path::PathBuf> {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/genius").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(std::env::var_os("CI").is_none(), "{} is missing", p.display());
    eprintln!("skipping: {} is missing", p.display());
    None
}
