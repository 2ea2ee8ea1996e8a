//! A stable-Rust stand-in for the cargo-fuzz targets (`fuzz/`): every reader
//! runs on deterministic mutations of a small seed corpus, through the very
//! functions the fuzz targets call (`fuzz/src/lib.rs`, included below), so
//! the same checks hold: no panic, a failed load carries an error, spans lie
//! inside their text, a loaded scenario is written and read back unchanged.
//!
//! Coverage-guided fuzzing finds far more (README, "Development"); this test
//! keeps the checks running in the ordinary test suite, in a few seconds.

#[path = "../../../fuzz/src/lib.rs"]
mod readers;

use std::path::PathBuf;

use detente::format::write::to_string;
use detente::{load_bytes, TextFormat};
use readers::Rng;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Bytes that matter to some reader: delimiters, quotes, markup, numbers at
/// the edges of what parses.
const TOKENS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"=",
    b"\n",
    b"\r",
    b"\t",
    b",",
    b";",
    b":",
    b"<",
    b">",
    b"/>",
    b"</",
    b"<!--",
    b"&amp;",
    b"&#0;",
    b"-",
    b"1e999",
    b"-0",
    b"NaN",
    b"99999999999999999999",
    b"0.00001",
    b"\xff",
    b"\x00",
    b"\\u",
    b"#A",
    b"'#D'",
    b"never",
    b" -> ",
    b"null",
    b"[[",
    b"index=\"0\"",
    b"value=\"\"",
];

/// One to four mutations: overwrite, delete, insert a token, duplicate a
/// chunk, truncate, or splice in part of another seed.
fn mutate(seed: &[u8], other: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(6) {
            0 if len > 0 => bytes[at.min(len - 1)] = rng.next() as u8,
            1 => {
                let end = (at + 1 + rng.below(40)).min(len);
                bytes.drain(at.min(end)..end);
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + 1 + rng.below(200)).min(len);
                let chunk = bytes[at.min(end)..end].to_vec();
                let to = rng.below(len + 1);
                bytes.splice(to..to, chunk);
            }
            4 => bytes.truncate(at),
            _ => {
                let from = rng.below(other.len() + 1);
                let end = (from + 1 + rng.below(300)).min(other.len());
                bytes.splice(at..at, other[from.min(end)..end].iter().copied());
            }
        }
    }
    bytes
}

/// Runs `target` on every seed and on `rounds` mutations of the seeds.
fn run(name: &str, seeds: &[Vec<u8>], rounds: usize, target: fn(&[u8])) {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let mut rng = Rng(0x243F_6A88_85A3_08D3 ^ name.len() as u64);
    for seed in seeds {
        target(seed);
    }
    for round in 0..rounds {
        let seed = &seeds[round % seeds.len()];
        let other = &seeds[rng.below(seeds.len())];
        let input = mutate(seed, other, &mut rng);
        let outcome = std::panic::catch_unwind(|| target(&input));
        if outcome.is_err() {
            panic!("{name}: round {round} fails on input {:?}", String::from_utf8_lossy(&input));
        }
    }
}

fn native_seeds() -> Vec<Vec<u8>> {
    let mut files = vec![repo().join("crates/detente/tests/fixtures/rich.toml")];
    let mut bundled: Vec<PathBuf> = std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    bundled.sort();
    files.extend(bundled);
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn native_toml() {
    run("native_toml", &native_seeds(), 500, readers::native_toml);
}

#[test]
fn native_json() {
    let seeds: Vec<Vec<u8>> = native_seeds()
        .iter()
        .map(|bytes| to_string(load_bytes("seed", bytes).scenario.as_ref().unwrap(), TextFormat::Json).into_bytes())
        .collect();
    run("native_json", &seeds, 500, readers::native_json);
}

#[test]
fn genius_domain() {
    let pareto = b"0.5, 1.0\n1.0, 0.25\n".to_vec();
    run("genius_domain", &[readers::DOMAIN.as_bytes().to_vec(), pareto], 5000, readers::genius_domain);
}

#[test]
fn genius_profile() {
    let seeds = [readers::PROFILE_A.as_bytes().to_vec(), readers::PROFILE_B.as_bytes().to_vec()];
    run("genius_profile", &seeds, 5000, readers::genius_profile);
}

#[test]
fn geniusweb() {
    let dir = repo().join("crates/detente/tests/fixtures/geniusweb/jobs");
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    let (domain, employee, employer) = (read("jobs.json"), read("employee.json"), read("employer.json"));
    let pair = [employee.clone(), vec![0], employer.clone()].concat();
    run("geniusweb", &[domain, employee, employer, pair], 5000, readers::geniusweb);
}

/// One table of each layout, and a case collection.
const TABLES: [&[u8]; 5] = [
    b"'#A'\t'USA'\t'USA'\t''\n'#A'\t'EU (incl Norway)'\t'EU (incl Norway)'\t''\n'#P'\t'Newtreaty'\t'Newtreaty'\t''\n\
      '#M'\t'Newtreaty'\t0\n'#M'\t'Newtreaty'\t100\n'#D'\t'USA'\t'Newtreaty'\t10.0\t0.9\t0.26\n\
      '#D'\t'EU (incl Norway)'\t'Newtreaty'\t50.0\t0.4\t0.156\n",
    b"DummyData ,\"Dummy scenario\",2,2,\nActor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,\n\
      SActor-00, Random, 102.543, 75.79, 49.53,  6.37,  5.91,\nSActor-01, Random,  53.393, 82.72, 30.33, 73.50, 21.22,\n",
    b"Actor,Capability,Position,Salience\nNetherlands,0.08,4,0.8\nBelgium,0.08,7,0.4\nLuxembourg,0.03,4,0.2\n",
    b"actor,issue,position,salience,capability,min,max\nus,tariff,10,0.8,3,0,25\nus,quota,50,0.2,2,,\n\
      cn,tariff,25,0.6,1,,\ncn,quota,0,1,1,,\n",
    br#"{"library_version": "draft-1", "cases": [{"case_id": "C1", "title": "t", "source": "s",
        "continuum": {"label": "policy", "anchor_0": "a", "anchor_100": "b"},
        "actors": [{"id": "xi", "name": "Xi", "position": 30, "capability": 100, "salience": 30},
                   {"id": "li", "name": "Li", "position": 70, "capability": 50, "salience": 80}],
        "outcomes": {"near_term": {"proposed_value": 25, "range": [15, 30], "basis": "b", "verified": true}}}]}"#,
];

#[test]
fn tables() {
    // The first byte picks the layout (0: detect); each table is also tried
    // under every forced layout.
    let seeds: Vec<Vec<u8>> = TABLES.iter().flat_map(|t| (0u8..5).map(move |pick| [&[pick][..], t].concat())).collect();
    run("tables", &seeds, 2500, readers::tables);
}

/// The DEU files, as the fuzz target takes them (joined by NUL bytes): with
/// and without the Council weights.
fn deu_seeds() -> Vec<Vec<u8>> {
    let issues = b"issue_id,proposal_id,intro_date,decision_date,reference_point,outcome,procedure\n\
        d1,p1,2001-03-01,2003-06-12,0,50,COD\nd2,p1,2001-03-01,,100,,CNS\n";
    let actors = b"issue_id,actor,position,salience\nd1,com,100,80\nd1,de,0,50\nd1,fr,60,\nd1,lu,,0\n\
        d2,ep,30,90\nd2,uk,70,40\nd2,it,10,60\n";
    let weights = b"id,name,eu15,eu25_av\n1,Austria,4,10\n2,Belgium,5,12\n";
    vec![[&issues[..], b"\0", &actors[..], b"\0", &weights[..]].concat(), [&issues[..], b"\0", &actors[..]].concat()]
}

#[test]
fn deu() {
    run("deu", &deu_seeds(), 1500, readers::deu);
}

/// The seeds themselves are valid, so mutations start from inputs that reach
/// every stage of each reader.
#[test]
fn seeds_are_valid() {
    use detente::format::{deu, genius, geniusweb, tables};
    use detente::SourceFile;
    let src = |name: &str, text: &[u8]| SourceFile { name: name.into(), text: String::from_utf8_lossy(text).into() };
    for seed in native_seeds() {
        assert!(load_bytes("seed", &seed).scenario.is_some());
    }
    let profiles = [src("a.xml", readers::PROFILE_A.as_bytes()), src("b.xml", readers::PROFILE_B.as_bytes())];
    let loaded = genius::load_genius("seed", &src("d.xml", readers::DOMAIN.as_bytes()), &profiles);
    assert!(loaded.scenario.is_some() && loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let dir = repo().join("crates/detente/tests/fixtures/geniusweb/jobs");
    let web: Vec<SourceFile> =
        ["employee.json", "employer.json"].iter().map(|f| src(f, &std::fs::read(dir.join(f)).unwrap())).collect();
    assert!(geniusweb::load_geniusweb("seed", &web).scenario.is_some());
    for table in &TABLES[..4] {
        let loaded = tables::load_table("seed.csv", &String::from_utf8_lossy(table), None);
        assert!(loaded.table.is_some(), "{:?}", loaded.diagnostics);
    }
    let cases = tables::load_cases("seed.json", &String::from_utf8_lossy(TABLES[4]));
    assert!(cases.collection.is_some(), "{:?}", cases.diagnostics);
    for seed in deu_seeds() {
        let parts: Vec<&[u8]> = seed.split(|b| *b == 0).collect();
        let weights = parts.get(2).map(|w| src("w.csv", w));
        let loaded = deu::load_deu(src("i.csv", parts[0]), src("a.csv", parts[1]), weights);
        assert!(loaded.collection.is_some(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.collection.unwrap().cases.len(), 2);
    }
}
