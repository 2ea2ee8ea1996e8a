//! Stakeholder tables and DEU: every file of the reference data loads with
//! the counts its source states; hand-checked cells; the DEU reference
//! baselines; malformed input reported with message, line and column for
//! each reader; byte mutations never panic.

use std::path::{Path, PathBuf};

use detente::format::deu::{self, baselines, council_capabilities, CouncilRegime, DeuLoaded};
use detente::format::tables::{
    detect_table, load_cases, load_cases_file, load_table, load_table_file, LoadedTable, StakeholderTable, TableFormat,
};
use detente::format::write::to_string;
use detente::scenario::{Domain, Role, Scenario, Value, ValueFunction};
use detente::{load_str, Diagnostic, LineIndex, SourceFile, TextFormat};

/// `../shared/data`, or `None` (with the reason printed) outside CI when it
/// is missing; in CI a missing data folder fails the test.
fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.join("stakeholders").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("reference data missing: {} (required in CI)", dir.display());
    }
    eprintln!("skipping: reference data not found at {}", dir.display());
    None
}

fn show(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| {
            let at = d.span.map(|s| index.line_col(text, s.start)).map(|p| (p.line, p.column));
            format!("{at:?}: {d} (help: {:?})", d.help)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads a data file, detecting its layout, and requires a clean load.
fn table(dir: &Path, file: &str) -> StakeholderTable {
    let loaded = load_table_file(&dir.join(file), None).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{file}:\n{}", show(&loaded.source.text, &loaded.diagnostics));
    loaded.table.unwrap_or_else(|| panic!("{file}: no table"))
}

/// The scenario, written as native TOML and read back, loads without errors
/// and is the same scenario: readers build only valid scenarios.
fn assert_valid(name: &str, scenario: &Scenario) {
    let text = to_string(scenario, TextFormat::Toml);
    let back = load_str(name, &text, TextFormat::Toml);
    let errors: Vec<&Diagnostic> = back.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{name}: the scenario does not validate:\n{}\n{text}", show(&text, &back.diagnostics));
    assert_eq!(back.scenario.as_ref(), Some(scenario), "{name}: the scenario changes in a write-read round trip");
}

fn position(s: &Scenario, actor: &str, issue: &str) -> Option<f64> {
    let a = &s.actors[s.actor_index(actor)?];
    let stance = a.stance(s.issue_index(issue)?)?;
    match stance.value {
        ValueFunction::Linear { position: Value::Real(x) } => Some(x),
        _ => None,
    }
}

fn salience(s: &Scenario, actor: &str, issue: &str) -> Option<f64> {
    let a = &s.actors[s.actor_index(actor)?];
    a.stance(s.issue_index(issue)?).map(|st| st.salience)
}

fn range(s: &Scenario, issue: &str) -> (f64, f64) {
    match s.issues[s.issue_index(issue).unwrap()].domain {
        Domain::Continuous { min, max, .. } => (min, max),
        ref d => panic!("{issue} is {}", d.kind_name()),
    }
}

/// (file, layout, actors, issues) for every stakeholder table of the data.
const TABLES: &[(&str, TableFormat, usize, usize)] = &[
    ("stakeholders/cop21.csv", TableFormat::Decide, 15, 13),
    ("stakeholders/copenhagen.csv", TableFormat::Decide, 11, 7),
    ("stakeholders/decide_sample_data.txt", TableFormat::Decide, 10, 6),
    ("ktab/dummyData_3Dim.csv", TableFormat::Ktab, 7, 3),
    ("ktab/dummyData_6Dim.csv", TableFormat::Ktab, 27, 6),
    ("ktab/dummyData-a040.csv", TableFormat::Ktab, 40, 1),
    ("ktab/dummyData-a080.csv", TableFormat::Ktab, 80, 1),
    ("ktab/dummyData-a160.csv", TableFormat::Ktab, 160, 1),
    ("ktab/SOE-Policy.csv", TableFormat::Ktab, 26, 1),
    ("ktab/SOE-Competitive.csv", TableFormat::Ktab, 34, 1),
    ("ktab/SOE-Pol-Comp.csv", TableFormat::Ktab, 13, 2),
    ("bdm/emission_standards_bdm1994.csv", TableFormat::Bdm, 10, 1),
    ("bdm/sultan.csv", TableFormat::Bdm, 17, 1),
    // The data README says 25 actors; the file has a header and 24 actor lines.
    ("bdm/china.csv", TableFormat::Bdm, 24, 1),
    ("bdm/honduras.csv", TableFormat::Bdm, 5, 1),
];

/// Files of the four folders that are not input tables, and why.
const NOT_TABLES: &[(&str, &str)] = &[
    ("ktab/20170530_ref-dummyData_3Dim.txt", "KTAB's reference run log"),
    ("ktab/20170530_ref-SOE-Pol-Comp.txt", "KTAB's reference run log"),
    ("stakeholders/ktab-china-2014.json", "a case collection, see load_cases"),
    ("deu/deu3_issues.csv", "DEU, see load_deu"),
    ("deu/deu3_actors.csv", "DEU, see load_deu"),
    ("deu/eucouncil_weights_sumtxt_coresize.csv", "DEU, see load_deu"),
];

#[test]
fn every_table_loads_with_its_counts() {
    let Some(dir) = data_dir() else { return };
    for &(file, format, n_actors, n_issues) in TABLES {
        let t = table(&dir, file);
        let s = &t.scenario;
        assert_eq!(t.format, format, "{file}");
        assert_eq!((s.actors.len(), s.issues.len()), (n_actors, n_issues), "{file}: actors × issues");
        assert!(s.actors.iter().all(|a| a.role == Role::Party), "{file}: every stakeholder is a party");
        assert_eq!(t.power.len(), n_actors, "{file}");
        for (a, row) in s.actors.iter().zip(&t.power) {
            assert_eq!(row.len(), n_issues, "{file}");
            for (i, p) in row.iter().enumerate() {
                assert_eq!(p.is_some(), a.stance(i).is_some(), "{file}: power where a stance is, and only there");
            }
        }
        assert_valid(file, s);
    }
    // Every file of the four folders is accounted for.
    for folder in ["stakeholders", "ktab", "bdm", "deu"] {
        for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
            let name = format!("{folder}/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(
                TABLES.iter().any(|t| t.0 == name) || NOT_TABLES.iter().any(|t| t.0 == name),
                "{name} is neither tested as a table nor listed as something else"
            );
        }
    }
}

#[test]
fn decide_tables_hand_checked() {
    let Some(dir) = data_dir() else { return };
    let cop = table(&dir, "stakeholders/cop21.csv").clone();
    let s = &cop.scenario;
    // '#D' 'African_grp' 'differentiation' 70.0 0.75 0.25 (first data line).
    assert_eq!(position(s, "African_grp", "differentiation"), Some(70.0));
    assert_eq!(salience(s, "African_grp", "differentiation"), Some(0.75));
    assert_eq!(cop.power(0, 0), Some(0.25));
    assert_eq!(s.actors[0].capability, 0.25);
    // ALBA has no data on amb2050 and amb2100 (181 of 195 cells are given).
    let alba = s.actor_index("ALBA").unwrap();
    assert_eq!(s.actors[alba].stances.len(), 11);
    assert_eq!(cop.power(alba, s.issue_index("amb2050").unwrap()), None);
    let cells: usize = cop.power.iter().map(|r| r.iter().flatten().count()).sum();
    assert_eq!(cells, 181);
    // '#D' 'USA' 'progress' 40.0 0.65 1.0
    assert_eq!(position(s, "USA", "progress"), Some(40.0));
    assert_eq!(salience(s, "USA", "progress"), Some(0.65));

    let cph = table(&dir, "stakeholders/copenhagen.csv");
    let s = &cph.scenario;
    // Names with spaces become ids; the name keeps the original.
    let eu = s.actor_index("EU_incl_Norway").unwrap();
    assert_eq!(s.actors[eu].name.as_deref(), Some("EU (incl Norway)"));
    assert_eq!(s.actors[eu].capability, 0.156);
    assert_eq!(position(s, "Alliance_of_Small_Island_States", "Extra"), Some(100.0));
    assert_eq!(salience(s, "Alliance_of_Small_Island_States", "Extra"), Some(0.95));

    let sample = table(&dir, "stakeholders/decide_sample_data.txt");
    let s = &sample.scenario;
    // '#M' tol-hoogte 0.5 and 7: the scale of that issue; others 0–100.
    assert_eq!(range(s, "tol_hoogte"), (0.5, 7.0));
    assert_eq!(s.issues[1].name.as_deref(), Some("tol-hoogte"));
    assert_eq!(range(s, "woonwerkverkeer"), (0.0, 100.0));
    assert_eq!(position(s, "Willems", "tol_hoogte"), Some(3.0));
    assert_eq!(s.actors[0].description.as_deref(), Some("Test"));
    // '#D' 'GL' … power 0.6 on every issue.
    let gl = s.actor_index("GL").unwrap();
    assert!((0..6).all(|i| sample.power(gl, i) == Some(0.6)));
    assert_eq!(s.issues[2].description.as_deref(), Some("Wat is dit voor onzin?"));
}

/// `load_path` reads a table once and keeps its per-issue power beside the
/// scenario (what `detente forecast` uses); other inputs have none.
#[test]
fn load_path_keeps_a_tables_power() {
    let Some(dir) = data_dir() else { return };
    let path = dir.join("stakeholders/cop21.csv");
    let loaded = detente::format::load_path(&path).unwrap();
    let direct = table(&dir, "stakeholders/cop21.csv");
    assert_eq!(loaded.scenario.as_ref(), Some(&direct.scenario));
    assert_eq!(loaded.table_power.as_ref(), Some(&direct.power));
    let native = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/kuril-2019.toml");
    let loaded = detente::format::load_path(&native).unwrap();
    assert!(loaded.scenario.is_some() && loaded.table_power.is_none());
}

#[test]
fn ktab_tables_hand_checked() {
    let Some(dir) = data_dir() else { return };
    let t = table(&dir, "ktab/dummyData_3Dim.csv");
    let s = &t.scenario;
    assert_eq!(s.name, "DummyData_3Dim");
    assert_eq!(s.description.as_deref(), Some("Dummy scenario to test reading format"));
    // SActor-00, Random Spatial Actor, 102.543, 75.79, 49.53,  6.37,  5.91, 70.45, 28.15,
    let a = &s.actors[0];
    assert_eq!((a.id.as_str(), a.name.as_deref()), ("SActor_00", Some("SActor-00")));
    assert_eq!(a.description.as_deref(), Some("Random Spatial Actor"));
    assert_eq!(a.capability, 102.543);
    let ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["Pstn1", "Pstn2", "Pstn3"]);
    assert_eq!(position(s, "SActor_00", "Pstn2"), Some(6.37));
    // Saliences 0–100 become fractions, rounded from the decimal text.
    assert_eq!(salience(s, "SActor_00", "Pstn1"), Some(0.4953));
    assert_eq!(salience(s, "SActor_01", "Pstn1"), Some(0.3033));
    assert!((0..3).all(|i| t.power(0, i) == Some(102.543)));

    let soe = table(&dir, "ktab/SOE-Pol-Comp.csv").scenario;
    let ids: Vec<&str> = soe.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["Policy", "Competitive"]);
    // XJ,Xi Jinping, 100.0,30,24.0,20,48.0,
    assert_eq!(soe.actors[0].description.as_deref(), Some("Xi Jinping"));
    assert_eq!(position(&soe, "XJ", "Competitive"), Some(20.0));
    assert_eq!(salience(&soe, "XJ", "Competitive"), Some(0.48));
    // LK,Li Keqiang, 60.2,45,44.7,65,41.3,
    assert_eq!(soe.actors[1].capability, 60.2);
    assert_eq!(salience(&soe, "LK", "Policy"), Some(0.447));

    let a160 = table(&dir, "ktab/dummyData-a160.csv").scenario;
    // Act-1160,  Desc-1160,  0.63,  48.46,  26
    let last = a160.actors.last().unwrap();
    assert_eq!((last.id.as_str(), last.capability), ("Act_1160", 0.63));
    assert_eq!(position(&a160, "Act_1160", "XYZ"), Some(48.46));
    assert_eq!(salience(&a160, "Act_1160", "XYZ"), Some(0.26));
}

#[test]
fn one_issue_tables_hand_checked() {
    let Some(dir) = data_dir() else { return };
    let t = table(&dir, "bdm/emission_standards_bdm1994.csv").scenario;
    // The scale is the range of the positions: years 4–10.
    assert_eq!(range(&t, "issue"), (4.0, 10.0));
    assert_eq!(t.issues[0].name.as_deref(), Some("emission_standards_bdm1994"));
    // Netherlands,0.08,4,0.8 … Greece,0.08,7,0.7
    let nl = &t.actors[0];
    assert_eq!((nl.id.as_str(), nl.capability), ("Netherlands", 0.08));
    assert_eq!(position(&t, "Netherlands", "issue"), Some(4.0));
    assert_eq!(salience(&t, "Netherlands", "issue"), Some(0.8));
    assert_eq!(salience(&t, "Greece", "issue"), Some(0.7));

    // Carriage returns only, `Stakeholder,Resources,…`, saliences on 0–100.
    let china = table(&dir, "bdm/china.csv").scenario;
    assert_eq!(china.actors[0].id, "Zeming");
    assert_eq!(china.actors[0].capability, 80.0);
    assert_eq!(position(&china, "Zeming", "issue"), Some(25.0));
    assert_eq!(salience(&china, "Zeming", "issue"), Some(0.5));
    let last = china.actors.last().unwrap();
    assert_eq!((last.id.as_str(), last.capability), ("Guandung", 30.0));
    assert_eq!(salience(&china, "Hong_Kong", "issue"), Some(0.85));
    assert_eq!(china.actors[china.actor_index("STU_INTEL").unwrap()].name.as_deref(), Some("STU/INTEL"));

    let honduras = table(&dir, "bdm/honduras.csv").scenario;
    assert_eq!(range(&honduras, "issue"), (0.0, 1.0));
    let cr = honduras.actor_index("Costa_Rica").unwrap();
    assert_eq!(honduras.actors[cr].capability, 0.0001189);
    assert_eq!(salience(&honduras, "Costa_Rica", "issue"), Some(0.3));

    let sultan = table(&dir, "bdm/sultan.csv").scenario;
    assert_eq!(range(&sultan, "issue"), (12.85, 14.25));
    assert_eq!(sultan.actors[sultan.actor_index("FAHD").unwrap()].capability, 1.05);
    assert!(sultan.actor_index("RELIGIOUS_LEADERS").is_some());
}

#[test]
fn case_collection_loads_with_outcomes() {
    let Some(dir) = data_dir() else { return };
    let loaded = load_cases_file(&dir.join("stakeholders/ktab-china-2014.json")).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{}", show(&loaded.source.text, &loaded.diagnostics));
    let c = loaded.collection.unwrap();
    assert_eq!(c.version.as_deref(), Some("draft-1"));
    let counts: Vec<(&str, usize)> = c.cases.iter().map(|k| (k.id.as_str(), k.scenario.actors.len())).collect();
    assert_eq!(counts, [("KTAB-CHINA-2014-POLICY", 26), ("KTAB-CHINA-2014-CNPC", 34)]);
    let policy = &c.cases[0];
    let s = &policy.scenario;
    assert_eq!(s.issues.len(), 1);
    assert_eq!(range(s, "position"), (0.0, 100.0));
    assert_eq!(s.issues[0].name.as_deref(), Some("Openness of upstream oil & gas to private participation"));
    // {"id": "xi_jinping", "name": "Xi Jinping (PBSC)", "position": 30, "capability": 100, "salience": 30}
    let xi = &s.actors[0];
    assert_eq!((xi.id.as_str(), xi.name.as_deref(), xi.capability), ("xi_jinping", Some("Xi Jinping (PBSC)"), 100.0));
    assert_eq!(position(s, "xi_jinping", "position"), Some(30.0));
    assert_eq!(salience(s, "li_keqiang", "position"), Some(0.65));
    type Reading<'a> = (&'a str, f64, Option<(f64, f64)>);
    let outcomes: Vec<Reading> = policy.outcomes.iter().map(|o| (o.label.as_str(), o.value, o.range)).collect();
    assert_eq!(
        outcomes,
        [("near_term_by_2017", 25.0, Some((15.0, 30.0))), ("long_run_by_2020", 55.0, Some((45.0, 70.0)))]
    );
    assert!(policy.outcomes.iter().all(|o| o.verified == Some(true) && o.basis.is_some()));
    assert!(policy.published_forecast.as_deref().unwrap().starts_with("KTAB SMP: "));
    let cnpc: Vec<f64> = c.cases[1].outcomes.iter().map(|o| o.value).collect();
    assert_eq!(cnpc, [25.0, 60.0]);
    for case in &c.cases {
        assert_valid(&case.id, &case.scenario);
    }
}

fn deu_data(dir: &Path) -> deu::DeuCollection {
    let loaded = deu::load_deu_dir(&dir.join("deu")).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.collection.unwrap()
}

/// The acceptance test of the forecasting work: the reference baselines of
/// `../shared/data/README.md`, on exactly the 351 issues it scores.
#[test]
fn deu_reference_baselines() {
    let Some(dir) = data_dir() else { return };
    let c = deu_data(&dir);
    let b = baselines(&c);
    println!(
        "DEU baselines on {} issues: salience mean {:.4}, capability x salience mean {:.4}, median {:.4}",
        b.issues.len(),
        b.salience_mean_mae,
        b.capability_mean_mae,
        b.median_mae
    );
    assert_eq!(b.issues.len(), 351);
    let two = |x: f64| format!("{x:.2}");
    assert_eq!(
        (two(b.salience_mean_mae), two(b.capability_mean_mae), two(b.median_mae)),
        ("23.64".to_string(), "22.99".to_string(), "28.37".to_string())
    );
}

#[test]
fn deu_collection_hand_checked() {
    let Some(dir) = data_dir() else { return };
    let c = deu_data(&dir);
    assert_eq!(c.cases.len(), 364);
    // 10,556 actor rows, of which 3,347 have no position and salience 0.
    assert_eq!(c.cases.iter().map(|k| k.actors.len()).sum::<usize>(), 10_556 - 3_347);
    assert_eq!(c.cases.iter().filter(|k| k.outcome.is_some()).count(), 353);
    // d00032i1,d00032,documents,1,4,Reg,General,COD,QMV,2000-01-26,2001-05-30,0,100,17
    let k = &c.cases[0];
    assert_eq!(k.issue_id, "d00032i1");
    assert_eq!((k.proposal_id.as_deref(), k.proposal_name.as_deref()), (Some("d00032"), Some("documents")));
    assert_eq!((k.procedure.as_deref(), k.council_vote.as_deref()), (Some("COD"), Some("QMV")));
    assert_eq!((k.intro_date.as_deref(), k.decision_date.as_deref()), (Some("2000-01-26"), Some("2001-05-30")));
    assert_eq!((k.reference_point, k.outcome), (Some(0.0), Some(100.0)));
    assert_eq!(k.regime, CouncilRegime::PreNice);
    assert_eq!(k.actors.len(), 17);
    // d00032i1,com,100,50 / de,0,80 / lu,40,20 — pre-Nice: de 10 → 100, lu 2 → 20,
    // com gets the largest member-state weight present (10) → 100.
    let actor = |id: &str| k.actors.iter().find(|a| a.id == id).unwrap();
    assert_eq!(
        (actor("com").position, actor("com").salience, actor("com").capability),
        (Some(100.0), Some(0.5), 100.0)
    );
    assert_eq!((actor("de").position, actor("de").capability), (Some(0.0), 100.0));
    assert_eq!(actor("lu").capability, 20.0);
    assert!(k.actors.iter().all(|a| a.id != "bu"), "bu,,0 took no part");
    // d00032i2 has no reference point.
    assert_eq!(c.cases[1].reference_point, None);
    let s = k.scenario();
    assert_eq!((s.issues.len(), s.actors.len()), (1, 17));
    assert_eq!(s.status_quo, Some(vec![Value::Real(0.0)]));
    assert_valid("d00032i1", &s);
    // Issues whose salience is blank but position given keep the position.
    let blank = c.cases.iter().flat_map(|k| &k.actors).filter(|a| a.position.is_some() && a.salience.is_none()).count();
    assert_eq!(blank, 54);
}

#[test]
fn council_capability_rule() {
    // Pre-Nice, d04240i1: lv, lt, pl are not in the table and get the
    // smallest weight present (at 4, not the table's lu 2).
    let caps = council_capabilities(CouncilRegime::PreNice, &["com", "de", "at", "pl", "ep"]);
    assert_eq!(caps, [100.0, 100.0, 40.0, 40.0, 100.0]);
    // Institutions take the largest member-state weight present, not the table's.
    let caps = council_capabilities(CouncilRegime::Nice, &["com", "nl", "mt"]);
    assert_eq!(caps, [100.0, 100.0, 300.0 / 13.0]);
    assert_eq!(CouncilRegime::for_year(2004), CouncilRegime::PreNice);
    assert_eq!(CouncilRegime::for_year(2005), CouncilRegime::Nice);
    assert_eq!(CouncilRegime::for_year(2014), CouncilRegime::Nice);
    assert_eq!(CouncilRegime::for_year(2015), CouncilRegime::Lisbon);
    assert_eq!(council_capabilities(CouncilRegime::Lisbon, &["com", "ep"]), [100.0, 100.0]);
}

#[test]
fn built_in_weights_match_the_weights_file() {
    let Some(dir) = data_dir() else { return };
    let c = deu_data(&dir);
    let w = c.council_weights.expect("weights file read");
    assert_eq!(w.rows.len(), 28);
    assert!(w.rows.iter().all(|r| r.code.is_some()), "every country name maps to a DEU code");
    let sorted = |mut v: Vec<(&'static str, f64)>| {
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    };
    assert_eq!(sorted(w.column("eu15").unwrap()), sorted(deu::PRE_NICE_WEIGHTS.to_vec()));
    assert_eq!(sorted(w.column("eu25_av").unwrap()), sorted(deu::NICE_WEIGHTS.to_vec()));
}

// ---------------------------------------------------------------------------
// Malformed input: message, line and column

/// The first error: code, message, (line, column), help.
fn first_error(text: &str, diagnostics: &[Diagnostic]) -> (String, String, (usize, usize), String) {
    let d = diagnostics.iter().find(|d| d.is_error()).unwrap_or_else(|| panic!("no error in {diagnostics:?}"));
    let at = LineIndex::new(text).line_col(text, d.span.expect("a span").start);
    (d.code.to_string(), d.message.clone(), (at.line, at.column), d.help.clone().unwrap_or_default())
}

fn error_of(text: &str, format: Option<TableFormat>) -> (String, String, (usize, usize), String) {
    let loaded: LoadedTable = load_table("t.csv", text, format);
    assert!(loaded.table.is_none(), "a table with errors loaded");
    first_error(text, &loaded.diagnostics)
}

fn check(text: &str, format: Option<TableFormat>, code: &str, message: &str, at: (usize, usize)) -> String {
    let (c, m, a, help) = error_of(text, format);
    assert_eq!((c.as_str(), m.as_str(), a), (code, message, at), "for input:\n{text}");
    assert!(!help.is_empty(), "{code} without help");
    help
}

const DECIDE_HEAD: &str =
    "'#A'\t'USA'\t'USA'\t''\n'#A'\t'EU'\t'EU'\t''\n'#P'\t'legal'\t'legal'\t''\n'#M'\t'legal'\t0\n'#M'\t'legal'\t100\n";

#[test]
fn decide_malformed() {
    let t = |d: &str| format!("{DECIDE_HEAD}{d}");
    let help = check(
        &t("'#D'\t'USB'\t'legal'\t50\t0.5\t0.2\n"),
        None,
        "scenario::unknown-actor",
        "no actor is named `USB`",
        (6, 6),
    );
    assert_eq!(help, "did you mean `USA`?");
    check(
        &t("'#D'\t'USA'\t'legl'\t50\t0.5\t0.2\n"),
        None,
        "scenario::unknown-issue",
        "no issue is named `legl`",
        (6, 12),
    );
    check(
        &t("'#D'\t'USA'\t'legal'\t50\thigh\t0.2\n"),
        None,
        "table::value",
        "salience must be a number, found `high`",
        (6, 23),
    );
    let help = check(
        &t("'#D'\t'USA'\t'legal'\t50\t0,5\t0.2\n"),
        None,
        "table::value",
        "salience must be a number, found `0,5`",
        (6, 23),
    );
    assert_eq!(help, "use a dot as the decimal separator");
    check(
        &t("'#D'\t'USA'\t'legal'\t50\t1.5\t0.2\n"),
        None,
        "scenario::salience-range",
        "salience 1.5 lies outside 0–1",
        (6, 23),
    );
    check(
        &t("'#D'\t'USA'\t'legal'\t150\t0.5\t0.2\n"),
        None,
        "scenario::out-of-range",
        "position 150 lies outside 0–100",
        (6, 20),
    );
    check(
        &t("'#D'\t'USA'\t'legal'\t50\n"),
        None,
        "table::columns",
        "a `#D` record has 4 columns where 6 are needed",
        (6, 1),
    );
    check(&t("'#X'\t'USA'\n"), None, "table::record", "unknown record type `#X`", (6, 1));
    check(
        &t("'#D'\t'USA'\t'legal'\t50\t0.5\t0.2\n'#D'\t'USA'\t'legal'\t60\t0.5\t0.2\n"),
        None,
        "scenario::duplicate",
        "actor `USA` has two `#D` records for issue `legal`",
        (7, 1),
    );
    check("'#A'\t'USA'\n'#A'\t'USA'\n", None, "scenario::duplicate", "actor `USA` is declared twice", (2, 6));
    check(
        "'#A'\t'x'\t'x'\n'#P'\t'p'\t'p'\n'#M'\t'q'\t0\n",
        None,
        "scenario::unknown-issue",
        "no issue is named `q`",
        (3, 6),
    );
    check(
        "'#A'\t'x'\n'#P'\t'p'\n'#M'\t'p'\t5\n",
        None,
        "scenario::invalid-range",
        "issue `p` has one scale point (5), so its scale has no width",
        (3, 10),
    );
    check("", Some(TableFormat::Decide), "table::empty", "the file is empty", (1, 1));
    check("'#A'\t'x'\n", None, "table::empty", "the file declares no issues", (2, 1));
    // Blank lines, comments and semicolons instead of tabs are fine.
    let ok = load_table("t", "\n'#/';'comment'\n'#A';'x';'X'\n\n'#P';'p';'P'\n'#D';'x';'p';40;0.5;0.3\n", None);
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
    let s = ok.table.unwrap().scenario;
    assert_eq!((s.actors[0].name.as_deref(), s.issues[0].name.as_deref()), (Some("X"), Some("P")));
    // An actor without data loads, with a warning.
    let warn = load_table("t", "'#A'\t'x'\n'#A'\t'y'\n'#P'\t'p'\n'#D'\t'x'\t'p'\t40\t0.5\t0.3\n", None);
    assert!(warn.table.is_some());
    assert_eq!(warn.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), ["scenario::no-stances"]);
}

const KTAB_HEAD: &str = "Toy,Toy scenario,2,2,\nActor,Description,Power,Pos1,Sal1,Pos2,Sal2,\n";

#[test]
fn ktab_malformed() {
    let t = |rows: &str| format!("{KTAB_HEAD}{rows}");
    let good = t("A,first,10,20,30,40,50,\nB,second,5,60,70,80,90,\n");
    let loaded = load_table("t", &good, None);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let s = loaded.table.unwrap().scenario;
    assert_eq!(position(&s, "B", "Pos2"), Some(80.0));
    check(
        &t("A,first,10,20,30,40,50,\nB,second,5,60,70,80\n"),
        None,
        "table::columns",
        "the row has 6 columns where 7 are needed",
        (4, 1),
    );
    check(
        &t("A,first,10,20,30,40,150,\nB,second,5,60,70,80,90\n"),
        None,
        "scenario::salience-range",
        "salience 150 lies outside 0–100",
        (3, 21),
    );
    check(&t("A,first,ten,20,30,40,50,\n"), None, "table::value", "capability must be a number, found `ten`", (3, 9));
    check(
        "Toy,Toy scenario,2,2,\nA,first,10,20,30,40,50,\n",
        None,
        "table::header",
        "the second line must name the columns",
        (2, 1),
    );
    check(
        "Toy,Toy scenario,2,two,\nActor,Description,Power,Pos1,Sal1\n",
        Some(TableFormat::Ktab),
        "table::value",
        "the number of dimensions must be a whole number above 0, found `two`",
        (1, 20),
    );
    check(
        "Toy,Toy scenario,1,2,\nActor,Description,Power,Pos1,Sal1\n",
        None,
        "table::header",
        "the header has 5 columns, but 2 dimensions need 7",
        (2, 1),
    );
    // A declared actor count that does not match is a warning.
    let w = load_table("t", &t("A,first,10,20,30,40,50,\n"), None);
    assert!(w.table.is_some());
    let (code, at) = (
        w.diagnostics[0].code,
        LineIndex::new(&w.source.text).line_col(&w.source.text, w.diagnostics[0].span.unwrap().start),
    );
    assert_eq!((code, at.line, at.column), ("table::count", 1, 18));
}

#[test]
fn one_issue_malformed() {
    // Old Mac line ends: the error is still on line 3.
    check(
        "Actor,Capability,Position,Salience\rA,1,4,0.5\rB,1,x,0.5\r",
        None,
        "table::value",
        "position must be a number, found `x`",
        (3, 5),
    );
    check(
        "Actor,Capability,Position,Salience\nA,1,4\n",
        None,
        "table::columns",
        "the row has 3 columns but the header has 4",
        (2, 1),
    );
    let help = check(
        "Actor,Capability,Position\nA,1,4\n",
        Some(TableFormat::Bdm),
        "table::header",
        "the header has no `salience` column",
        (1, 1),
    );
    assert!(help.contains("`salience` (or importance)"), "{help}");
    check(
        "Actor,Capability,Position,Salience\nA,1,4,150\n",
        None,
        "scenario::salience-range",
        "salience 150 lies outside 0–100",
        (2, 7),
    );
    check(
        "Actor,Capability,Position,Salience\nA,-1,4,0.5\n",
        None,
        "scenario::out-of-range",
        "capability -1 is below 0",
        (2, 3),
    );
    check("Actor,Capability,Position,Salience\n", None, "table::empty", "the table has no actors", (2, 1));
    check(
        "Actor,Capability,Position,Salience\nA,1,4,0.5\nA,1,5,0.5\n",
        None,
        "scenario::duplicate",
        "actor `A` appears twice",
        (3, 1),
    );
    // One position only: a scale of width 2 around it.
    let t = load_table("t", "Actor,Capability,Position,Salience\nA,1,4,0.5\nB,1,4,0.5\n", None).table.unwrap();
    assert_eq!(range(&t.scenario, "issue"), (3.0, 5.0));
}

const PLAIN: &str = "actor,issue,position,salience,capability,min,max
us,tariff,10,0.8,3,0,25
us,quota,50,0.2,2,,
cn,tariff,25,0.6,1,,
cn,quota,0,1,1,,
";

#[test]
fn plain_tables() {
    let loaded = load_table("plain.csv", PLAIN, None);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let t = loaded.table.unwrap();
    assert_eq!(t.format, TableFormat::Plain);
    let s = &t.scenario;
    assert_eq!(range(s, "tariff"), (0.0, 25.0));
    assert_eq!(range(s, "quota"), (0.0, 100.0));
    // Capability per row is kept per issue; the actor's is the mean.
    assert_eq!((t.power(0, 0), t.power(0, 1)), (Some(3.0), Some(2.0)));
    assert_eq!(s.actors[0].capability, 2.5);
    assert_eq!(salience(s, "cn", "quota"), Some(1.0));
    assert_valid("plain", s);
    // Columns in any order, case-insensitive.
    let swapped = load_table("t", "Issue,Actor,Salience,Position,Capability\nx,a,0.5,10,1\n", None);
    assert!(swapped.diagnostics.is_empty());
    assert_eq!(position(&swapped.table.unwrap().scenario, "a", "x"), Some(10.0));

    let help = check(
        "actor,issue,position,salence,capability\na,x,1,0.5,1\n",
        None,
        "table::header",
        "unknown column `salence`",
        (1, 22),
    );
    assert_eq!(help, "did you mean `salience`?");
    check(
        "actor,issue,position,salience,capability\na,x,30,0.5,1,9\n",
        None,
        "table::columns",
        "the row has 6 columns but the header has 5",
        (2, 1),
    );
    check(
        "actor,issue,position,salience,capability\na,x,130,0.5,1\n",
        None,
        "scenario::out-of-range",
        "position 130 lies outside 0–100",
        (2, 5),
    );
    check(
        "actor,issue,position,salience,capability\na,x,30,5,1\n",
        None,
        "scenario::salience-range",
        "salience 5 lies outside 0–1",
        (2, 8),
    );
    check(
        "actor,issue,position,salience,capability\na,x,30,0.5,1\na,x,40,0.5,1\n",
        None,
        "scenario::duplicate",
        "actor `a` has two rows for issue `x`",
        (3, 1),
    );
    check(
        "actor,issue,position,salience,capability,min,max\na,x,3,0.5,1,0,10\nb,x,4,0.5,1,0,20\n",
        None,
        "scenario::invalid-range",
        "issue `x` was given the maximum 10 before, and 20 here",
        (3, 15),
    );
    check(
        "actor,issue,position,salience,capability\n,x,30,0.5,1\n",
        None,
        "table::value",
        "the actor is missing",
        (2, 1),
    );
    check(
        "actor,issue,position,capability\na,x,1,1\n",
        Some(TableFormat::Plain),
        "table::header",
        "the header has no `salience` column",
        (1, 1),
    );
    check("hello\nworld\n", None, "table::header", "cannot tell which table layout this is", (1, 1));
}

#[test]
fn case_collection_malformed() {
    let case = |actors: &str| format!("{{\"cases\": [{{\"case_id\": \"c\", \"actors\": [{actors}]}}]}}");
    let good = load_cases("c.json", &case(r#"{"id": "a", "position": 10, "capability": 5, "salience": 50}"#));
    assert!(good.diagnostics.is_empty(), "{:?}", good.diagnostics);
    assert_eq!(good.collection.unwrap().cases[0].outcomes, []);
    let err = |text: &str| {
        let l = load_cases("c.json", text);
        assert!(l.collection.is_none());
        first_error(text, &l.diagnostics)
    };
    let (code, message, at, _) = err(&case(r#"{"id": "a", "position": 10, "capability": 5, "salience": "high"}"#));
    assert_eq!(
        (code.as_str(), message.as_str(), at),
        ("scenario::wrong-type", "`salience` must be a number, found a string", (1, 97))
    );
    let (code, message, at, _) = err(&case(r#"{"id": "a", "position": 10, "capability": 5}"#));
    assert_eq!(
        (code.as_str(), message.as_str(), at),
        ("scenario::missing-field", "an actor has no `salience`", (1, 40))
    );
    let (code, message, at, _) = err(&case(r#"{"id": "a", "position": 10, "capability": 5, "salience": 120}"#));
    assert_eq!(
        (code.as_str(), message.as_str(), at),
        ("scenario::salience-range", "`salience` 120 lies outside 0–100", (1, 97))
    );
    let (code, _, at, _) = err("{\"cases\": [\n  {\"case_id\": \"c\",,}\n]}");
    assert_eq!((code.as_str(), at.0), ("syntax::json", 2));
    let (code, message, ..) = err("{\"notes\": []}");
    assert_eq!((code.as_str(), message.as_str()), ("scenario::missing-field", "the document has no `cases`"));
}

fn deu_error(issues: &str, actors: &str) -> (String, String, (String, usize, usize)) {
    let loaded: DeuLoaded = deu::load_deu(
        SourceFile { name: "issues.csv".into(), text: issues.into() },
        SourceFile { name: "actors.csv".into(), text: actors.into() },
        None,
    );
    assert!(loaded.collection.is_none());
    let d = loaded.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    let src = loaded.source_of(d).expect("a named file");
    let at = LineIndex::new(&src.text).line_col(&src.text, d.span.unwrap().start);
    assert!(d.help.is_some());
    (d.code.to_string(), d.message.clone(), (src.name.clone(), at.line, at.column))
}

const DEU_ISSUES: &str = "issue_id,intro_date,decision_date,reference_point,outcome\nd1,2000-01-26,2001-05-30,0,100\n";
const DEU_ACTORS: &str = "issue_id,actor,position,salience\nd1,com,100,50\nd1,de,0,80\nd1,fr,40,\nd1,bu,,0\n";

#[test]
fn deu_malformed() {
    let ok = deu::load_deu(
        SourceFile { name: "i".into(), text: DEU_ISSUES.into() },
        SourceFile { name: "a".into(), text: DEU_ACTORS.into() },
        None,
    );
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
    let c = ok.collection.unwrap();
    assert_eq!(c.cases[0].actors.len(), 3);
    assert!(!c.cases[0].is_scored(), "two informed actors are too few");
    let e = deu_error(DEU_ISSUES, &DEU_ACTORS.replace("d1,de", "d2,de"));
    assert_eq!(e, ("scenario::unknown-issue".into(), "no issue is named `d2`".into(), ("actors.csv".into(), 3, 1)));
    let e = deu_error(&DEU_ISSUES.replace("2001-05-30", "30/05/2001"), DEU_ACTORS);
    assert_eq!(
        e,
        (
            "table::value".into(),
            "`decision_date` must be a date YYYY-MM-DD, found `30/05/2001`".into(),
            ("issues.csv".into(), 2, 15)
        )
    );
    let e = deu_error(&DEU_ISSUES.replace(",100\n", ",hundred\n"), DEU_ACTORS);
    assert_eq!(
        e,
        ("table::value".into(), "outcome must be a number, found `hundred`".into(), ("issues.csv".into(), 2, 28))
    );
    let e = deu_error(DEU_ISSUES, &DEU_ACTORS.replace("0,80", "0,180"));
    assert_eq!(
        e,
        ("scenario::salience-range".into(), "salience 180 lies outside 0–100".into(), ("actors.csv".into(), 3, 9))
    );
    let e = deu_error(DEU_ISSUES, &DEU_ACTORS.replace("issue_id,actor", "issue,actor"));
    assert_eq!(e, ("table::header".into(), "the header has no `issue_id` column".into(), ("actors.csv".into(), 1, 1)));
    let e = deu_error(DEU_ISSUES, &DEU_ACTORS.replace("d1,fr,40,", "d1,fr,40"));
    assert_eq!(
        e,
        ("table::columns".into(), "the row has 3 columns but the header has 4".into(), ("actors.csv".into(), 4, 1))
    );
    let e = deu_error(DEU_ISSUES, &format!("{DEU_ACTORS}d1,de,10,10\n"));
    assert_eq!(
        e,
        ("scenario::duplicate".into(), "actor `de` has two rows for issue `d1`".into(), ("actors.csv".into(), 6, 1))
    );
    let e = deu_error("", DEU_ACTORS);
    assert_eq!(e, ("table::empty".into(), "the file is empty".into(), ("issues.csv".into(), 1, 1)));
}

// ---------------------------------------------------------------------------
// Robustness

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Replaces, inserts or deletes a few bytes (from a set that matters to
/// CSV: delimiters, quotes, line ends, digits, signs).
fn mutate(text: &str, rng: &mut Rng) -> String {
    const BYTES: &[u8] = b",;\t'\"\r\n0123456789.-e#ADPMx ";
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        let b = BYTES[rng.below(BYTES.len())];
        match rng.below(3) {
            0 if at < bytes.len() => bytes[at] = b,
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, b),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn spans_inside(text: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        if let Some(s) = d.span {
            assert!(s.start <= s.end && s.end <= text.len(), "{d}: span {s:?} outside the text");
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "{d}: span splits a character");
        }
        assert!(d.help.is_some(), "{d} without help");
    }
}

#[test]
fn mutated_inputs_never_panic() {
    let mut inputs: Vec<(String, String)> =
        vec![("plain".into(), PLAIN.into()), ("ktab".into(), format!("{KTAB_HEAD}A,a,1,2,3,4,5,\n"))];
    if let Some(dir) = data_dir() {
        for file in ["stakeholders/copenhagen.csv", "ktab/dummyData_3Dim.csv", "bdm/china.csv", "bdm/sultan.csv"] {
            inputs.push((file.into(), std::fs::read_to_string(dir.join(file)).unwrap()));
        }
    }
    let mut rng = Rng(7);
    for (name, text) in &inputs {
        for _ in 0..300 {
            let m = mutate(text, &mut rng);
            for format in [
                None,
                Some(TableFormat::Decide),
                Some(TableFormat::Ktab),
                Some(TableFormat::Bdm),
                Some(TableFormat::Plain),
            ] {
                let loaded = load_table(name, &m, format);
                spans_inside(&loaded.source.text, &loaded.diagnostics);
                if let Some(t) = &loaded.table {
                    assert!(!loaded.has_errors());
                    assert_eq!(t.power.len(), t.scenario.actors.len());
                }
            }
            let _ = detect_table(&m);
        }
    }
    let json = format!(
        "{{\"cases\": [{{\"case_id\": \"c\", \"outcomes\": {{\"x\": {{\"proposed_value\": 5, \"range\": [1, 9]}}}}, \"actors\": [{}]}}]}}",
        r#"{"id": "a", "position": 10, "capability": 5, "salience": 50}"#
    );
    for _ in 0..500 {
        let m = mutate(&json, &mut rng);
        let loaded = load_cases("c.json", &m);
        spans_inside(&loaded.source.text, &loaded.diagnostics);
    }
    for _ in 0..300 {
        let (i, a) = (mutate(DEU_ISSUES, &mut rng), mutate(DEU_ACTORS, &mut rng));
        let loaded = deu::load_deu(
            SourceFile { name: "i".into(), text: i },
            SourceFile { name: "a".into(), text: a },
            Some(SourceFile { name: "w".into(), text: mutate("id,name,eu15\n1,Austria,4\n", &mut rng) }),
        );
        for d in &loaded.diagnostics {
            let src = loaded.source_of(d).expect("every DEU diagnostic names its file");
            spans_inside(&src.text, std::slice::from_ref(d));
        }
        if let Some(c) = &loaded.collection {
            let _ = baselines(c);
            for k in &c.cases {
                let _ = k.scenario();
            }
        }
    }
}
