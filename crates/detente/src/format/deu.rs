//! DEU III: decision-making in the European Union, as one-issue cases with
//! observed outcomes.
//!
//! Arregui & Perarnaud (2022), "A new dataset on legislative decision-making
//! in the European Union: the DEU III dataset", *Journal of European Public
//! Policy* (data doi:10.34810/data53, CC BY 4.0), building on Thomson,
//! Stokman, Achen & König (eds.) 2006, *The European Union Decides*.
//!
//! Three files: `deu3_issues.csv` (one row per controversial issue: dates,
//! reference point and outcome on 0–100), `deu3_actors.csv` (long format
//! `issue_id, actor, position, salience`, both 0–100) and, optionally,
//! `eucouncil_weights_sumtxt_coresize.csv` (Council vote weights by
//! enlargement period). An actor row with no position and salience 0 (or
//! none) means the actor took no part and is skipped.
//!
//! DEU has no capabilities. [`council_capabilities`] derives them from the
//! Council's voting regime in force when the issue was decided, and
//! [`baselines`] scores the three reference forecasts (salience-weighted
//! mean, capability × salience weighted mean, median position) that
//! forecasting models are measured against.

use std::path::Path;

use super::tables::{make_id, percent_of, read_records, read_text, Column, Ctx, Field, Record};
use super::{ReadError, SourceFile};
use crate::diagnostic::{Diagnostic, Span};
use crate::scenario::{Actor, Domain, Issue, Reservation, Role, Scenario, Stance, UtilityModel, Value, ValueFunction};
use crate::suggest::did_you_mean;

/// The usual file names inside a DEU folder.
pub const ISSUES_FILE: &str = "deu3_issues.csv";
/// See [`ISSUES_FILE`].
pub const ACTORS_FILE: &str = "deu3_actors.csv";
/// See [`ISSUES_FILE`].
pub const WEIGHTS_FILE: &str = "eucouncil_weights_sumtxt_coresize.csv";

/// The DEU issues with their actors.
#[derive(Clone, Debug, PartialEq)]
pub struct DeuCollection {
    /// One case per issue, in the order of the issues file.
    pub cases: Vec<DeuCase>,
    /// The Council vote-weight table, when its file was read.
    pub council_weights: Option<CouncilWeights>,
}

/// One controversial issue of a legislative proposal.
#[derive(Clone, Debug, PartialEq)]
pub struct DeuCase {
    /// `issue_id`, e.g. `d00032i1`.
    pub issue_id: String,
    /// `proposal_id`, when the file has the column.
    pub proposal_id: Option<String>,
    /// `proposal_name`, when given.
    pub proposal_name: Option<String>,
    /// Legislative procedure (`COD`, `CNS`), when given.
    pub procedure: Option<String>,
    /// Council voting rule (`QMV`, `Unan`), when given.
    pub council_vote: Option<String>,
    /// Date the Commission introduced the proposal (`YYYY-MM-DD`).
    pub intro_date: Option<String>,
    /// Date of the decision (`YYYY-MM-DD`).
    pub decision_date: Option<String>,
    /// The status quo on the issue's 0–100 scale, when known.
    pub reference_point: Option<f64>,
    /// The observed outcome on 0–100, when known.
    pub outcome: Option<f64>,
    /// The Council regime whose weights give the capabilities.
    pub regime: CouncilRegime,
    /// The actors that took part, in file order.
    pub actors: Vec<DeuActor>,
}

/// One actor's data on one issue.
#[derive(Clone, Debug, PartialEq)]
pub struct DeuActor {
    /// `com` (Commission), `ep` (Parliament) or a member-state code (`de`, `fr`, …).
    pub id: String,
    /// Position on 0–100, when given.
    pub position: Option<f64>,
    /// Salience as a fraction (the file's 0–100 divided by 100), when given.
    pub salience: Option<f64>,
    /// Capability from [`council_capabilities`]: 0–100, the largest on the issue 100.
    pub capability: f64,
}

/// The Council voting regime in force, chosen by the year of the decision
/// (else of the introduction, else 2007).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CouncilRegime {
    /// Up to 2004: the vote weights of the fifteen before Nice.
    PreNice,
    /// 2005–2014: the Nice vote weights.
    Nice,
    /// From 2015: Lisbon's double majority, weighted by population share.
    Lisbon,
}

/// Pre-Nice Council vote weights (EU15).
pub const PRE_NICE_WEIGHTS: &[(&str, f64)] = &[
    ("de", 10.0),
    ("fr", 10.0),
    ("it", 10.0),
    ("uk", 10.0),
    ("es", 8.0),
    ("be", 5.0),
    ("el", 5.0),
    ("nl", 5.0),
    ("pt", 5.0),
    ("at", 4.0),
    ("se", 4.0),
    ("dk", 3.0),
    ("ie", 3.0),
    ("fi", 3.0),
    ("lu", 2.0),
];

/// Nice Council vote weights (EU25 after November 2004, with Bulgaria,
/// Romania and Croatia).
pub const NICE_WEIGHTS: &[(&str, f64)] = &[
    ("de", 29.0),
    ("fr", 29.0),
    ("it", 29.0),
    ("uk", 29.0),
    ("es", 27.0),
    ("pl", 27.0),
    ("ro", 14.0),
    ("nl", 13.0),
    ("be", 12.0),
    ("cz", 12.0),
    ("el", 12.0),
    ("hu", 12.0),
    ("pt", 12.0),
    ("at", 10.0),
    ("bu", 10.0),
    ("se", 10.0),
    ("dk", 7.0),
    ("ie", 7.0),
    ("lt", 7.0),
    ("sk", 7.0),
    ("fi", 7.0),
    ("cr", 7.0),
    ("ee", 4.0),
    ("lv", 4.0),
    ("si", 4.0),
    ("cy", 4.0),
    ("lu", 4.0),
    ("mt", 3.0),
];

/// Lisbon population shares in percent, as used by the reference
/// computation of the DEU baselines (`../shared/data/README.md`).
pub const LISBON_WEIGHTS: &[(&str, f64)] = &[
    ("de", 83.12),
    ("fr", 67.44),
    ("uk", 67.79),
    ("it", 58.97),
    ("es", 48.95),
    ("pl", 37.84),
    ("ro", 19.19),
    ("nl", 17.61),
    ("be", 11.57),
    ("el", 10.38),
    ("cz", 10.57),
    ("pt", 10.75),
    ("se", 10.37),
    ("hu", 9.73),
    ("at", 8.93),
    ("bu", 6.92),
    ("dk", 5.83),
    ("fi", 5.53),
    ("sk", 5.42),
    ("ie", 5.01),
    ("cr", 4.04),
    ("lt", 2.80),
    ("si", 2.11),
    ("lv", 1.86),
    ("ee", 1.33),
    ("cy", 0.90),
    ("lu", 0.63),
    ("mt", 0.52),
];

/// DEU member-state codes and the country names of the weights file.
pub const MEMBER_STATES: &[(&str, &str)] = &[
    ("at", "Austria"),
    ("be", "Belgium"),
    ("bu", "Bulgaria"),
    ("cy", "Cyprus"),
    ("cz", "Czech Republic"),
    ("dk", "Denmark"),
    ("ee", "Estonia"),
    ("fi", "Finland"),
    ("fr", "France"),
    ("de", "Germany"),
    ("el", "Greece"),
    ("hu", "Hungary"),
    ("ie", "Ireland"),
    ("it", "Italy"),
    ("lv", "Latvia"),
    ("lt", "Lithuania"),
    ("lu", "Luxembourg"),
    ("mt", "Malta"),
    ("nl", "Netherlands"),
    ("pl", "Poland"),
    ("pt", "Portugal"),
    ("ro", "Romania"),
    ("sk", "Slovakia"),
    ("si", "Slovenia"),
    ("es", "Spain"),
    ("se", "Sweden"),
    ("uk", "United Kingdom"),
    ("cr", "Croatia"),
];

/// Actors that are not member states.
const INSTITUTIONS: &[&str] = &["com", "ep"];

impl CouncilRegime {
    /// The regime for a decision in `year`: pre-Nice up to 2004, Nice
    /// 2005–2014, Lisbon from 2015.
    pub fn for_year(year: i32) -> CouncilRegime {
        match year {
            ..=2004 => CouncilRegime::PreNice,
            2005..=2014 => CouncilRegime::Nice,
            _ => CouncilRegime::Lisbon,
        }
    }

    /// The member-state weights of the regime.
    pub fn weights(self) -> &'static [(&'static str, f64)] {
        match self {
            CouncilRegime::PreNice => PRE_NICE_WEIGHTS,
            CouncilRegime::Nice => NICE_WEIGHTS,
            CouncilRegime::Lisbon => LISBON_WEIGHTS,
        }
    }

    /// The weight of member state `code`, when the regime lists it.
    pub fn weight(self, code: &str) -> Option<f64> {
        self.weights().iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
    }

    /// `pre-nice`, `nice` or `lisbon`.
    pub fn name(self) -> &'static str {
        match self {
            CouncilRegime::PreNice => "pre-nice",
            CouncilRegime::Nice => "nice",
            CouncilRegime::Lisbon => "lisbon",
        }
    }
}

/// Capabilities of the actors `ids` of one issue under `regime`:
///
/// - a member state gets its weight in the regime; a state the regime does
///   not list gets the smallest weight among the listed states present (the
///   regime's smallest when none is);
/// - `com` and `ep` get the largest member-state weight present (the
///   regime's largest when no state is present);
/// - all are then scaled so that the largest is 100.
///
/// This is the rule behind the 22.99 baseline of the data README.
pub fn council_capabilities(regime: CouncilRegime, ids: &[&str]) -> Vec<f64> {
    let states: Vec<&str> = ids.iter().copied().filter(|id| !INSTITUTIONS.contains(id)).collect();
    let listed: Vec<f64> = states.iter().filter_map(|s| regime.weight(s)).collect();
    let table_min = regime.weights().iter().map(|w| w.1).fold(f64::INFINITY, f64::min);
    let table_max = regime.weights().iter().map(|w| w.1).fold(0.0, f64::max);
    let smallest = if listed.is_empty() { table_min } else { listed.iter().copied().fold(f64::INFINITY, f64::min) };
    let state_weight = |s: &str| regime.weight(s).unwrap_or(smallest);
    let largest =
        if states.is_empty() { table_max } else { states.iter().map(|s| state_weight(s)).fold(0.0, f64::max) };
    let raw: Vec<f64> =
        ids.iter().map(|id| if INSTITUTIONS.contains(id) { largest } else { state_weight(id) }).collect();
    let top = raw.iter().copied().fold(0.0, f64::max);
    raw.iter().map(|w| if top > 0.0 { w / top * 100.0 } else { 0.0 }).collect()
}

impl DeuCase {
    /// The year that chooses the Council regime: of the decision, else of
    /// the introduction, else 2007.
    pub fn regime_year(&self) -> i32 {
        self.decision_date.as_deref().or(self.intro_date.as_deref()).and_then(year_of).unwrap_or(2007)
    }

    /// The actors with both a position and a salience (a salience of 0
    /// included): `(actor, position, salience)`.
    pub fn informed(&self) -> impl Iterator<Item = (&DeuActor, f64, f64)> {
        self.actors.iter().filter_map(|a| Some((a, a.position?, a.salience?)))
    }

    /// Whether the baselines score this issue: it has an outcome and at
    /// least three actors with position and salience.
    pub fn is_scored(&self) -> bool {
        self.outcome.is_some() && self.informed().count() >= 3
    }

    /// Σ salience·position / Σ salience over the informed actors; the plain
    /// mean when every salience is 0; `None` without informed actors.
    pub fn salience_weighted_mean(&self) -> Option<f64> {
        weighted_mean(self.informed().map(|(_, p, s)| (p, s)))
    }

    /// Σ capability·salience·position / Σ capability·salience over the
    /// informed actors (the compromise model's starting point).
    pub fn capability_weighted_mean(&self) -> Option<f64> {
        weighted_mean(self.informed().map(|(a, p, s)| (p, a.capability * s)))
    }

    /// The median position of the informed actors; for an even number, the
    /// mean of the middle two.
    pub fn median_position(&self) -> Option<f64> {
        let mut xs: Vec<f64> = self.informed().map(|(_, p, _)| p).collect();
        if xs.is_empty() {
            return None;
        }
        xs.sort_by(f64::total_cmp);
        let n = xs.len();
        Some(if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 })
    }

    /// The issue as a scenario: one continuous issue on 0–100 (status quo the
    /// reference point, when known) and a party per informed actor, with its
    /// capability, position and salience.
    pub fn scenario(&self) -> Scenario {
        let issue_id = make_id(&self.issue_id, "issue", &[]);
        let mut ids: Vec<String> = Vec::new();
        let actors = self
            .informed()
            .map(|(a, position, salience)| {
                let id = make_id(&a.id, "actor", &ids);
                ids.push(id.clone());
                Actor {
                    id,
                    name: MEMBER_STATES.iter().find(|(c, _)| *c == a.id).map(|(_, n)| n.to_string()).or_else(
                        || match a.id.as_str() {
                            "com" => Some("European Commission".to_string()),
                            "ep" => Some("European Parliament".to_string()),
                            _ => None,
                        },
                    ),
                    description: None,
                    source: None,
                    role: Role::Party,
                    capability: a.capability,
                    reservation: Reservation::Value(0.0),
                    ratifiers: Vec::new(),
                    vetoes: Vec::new(),
                    normalize: true,
                    stances: vec![Stance {
                        issue: 0,
                        salience,
                        value: ValueFunction::Linear { position: Value::Real(position) },
                        source: None,
                    }],
                    discount: 1.0,
                    utility_model: UtilityModel::Additive,
                    interactions: Vec::new(),
                    deadline: None,
                }
            })
            .collect();
        let name = match &self.proposal_name {
            Some(p) => format!("{} ({p})", self.issue_id),
            None => self.issue_id.clone(),
        };
        Scenario {
            name,
            description: None,
            source: Some("DEU III (Arregui & Perarnaud 2022), doi:10.34810/data53".to_string()),
            issues: vec![Issue {
                id: issue_id,
                name: self.proposal_name.clone(),
                description: None,
                source: None,
                domain: Domain::Continuous { min: 0.0, max: 100.0, unit: None },
                condition: None,
            }],
            actors,
            constraints: Vec::new(),
            beliefs: Vec::new(),
            status_quo: self.reference_point.map(|r| vec![Value::Real(r)]),
            uncertain: Vec::new(),
            plans: Vec::new(),
            events: Vec::new(),
            calendar: None,
            types: Vec::new(),
            pressures: Vec::new(),
            statements: Vec::new(),
        }
    }
}

fn weighted_mean(items: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let items: Vec<(f64, f64)> = items.collect();
    if items.is_empty() {
        return None;
    }
    let total: f64 = items.iter().map(|i| i.1).sum();
    if total > 0.0 {
        Some(items.iter().map(|(x, w)| x * w).sum::<f64>() / total)
    } else {
        Some(items.iter().map(|i| i.0).sum::<f64>() / items.len() as f64)
    }
}

/// The year of a `YYYY-MM-DD` date.
fn year_of(date: &str) -> Option<i32> {
    date.get(..4)?.parse().ok()
}

/// The three reference forecasts on one scored issue.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueBaselines {
    /// Index into [`DeuCollection::cases`].
    pub case: usize,
    /// The observed outcome.
    pub outcome: f64,
    /// [`DeuCase::salience_weighted_mean`].
    pub salience_mean: f64,
    /// [`DeuCase::capability_weighted_mean`].
    pub capability_mean: f64,
    /// [`DeuCase::median_position`].
    pub median: f64,
}

/// The reference forecasts over every scored issue, with their mean
/// absolute errors (0–100 scale).
#[derive(Clone, Debug, PartialEq)]
pub struct Baselines {
    /// One entry per scored issue, in case order.
    pub issues: Vec<IssueBaselines>,
    /// Mean |salience-weighted mean − outcome|.
    pub salience_mean_mae: f64,
    /// Mean |capability × salience weighted mean − outcome|.
    pub capability_mean_mae: f64,
    /// Mean |median position − outcome|.
    pub median_mae: f64,
}

/// Scores the three reference forecasts on every issue that has an outcome
/// and at least three actors with position and salience.
pub fn baselines(collection: &DeuCollection) -> Baselines {
    let mut issues = Vec::new();
    for (k, case) in collection.cases.iter().enumerate() {
        let (Some(outcome), true) = (case.outcome, case.is_scored()) else { continue };
        let (Some(salience_mean), Some(capability_mean), Some(median)) =
            (case.salience_weighted_mean(), case.capability_weighted_mean(), case.median_position())
        else {
            continue;
        };
        issues.push(IssueBaselines { case: k, outcome, salience_mean, capability_mean, median });
    }
    let mae = |f: &dyn Fn(&IssueBaselines) -> f64| {
        if issues.is_empty() {
            0.0
        } else {
            issues.iter().map(|i| (f(i) - i.outcome).abs()).sum::<f64>() / issues.len() as f64
        }
    };
    Baselines {
        salience_mean_mae: mae(&|i| i.salience_mean),
        capability_mean_mae: mae(&|i| i.capability_mean),
        median_mae: mae(&|i| i.median),
        issues,
    }
}

/// The Council vote-weight file: one row per country, one column per
/// enlargement period (`eu9`, …, `eu25_ap`).
#[derive(Clone, Debug, PartialEq)]
pub struct CouncilWeights {
    /// Period column names, in file order.
    pub periods: Vec<String>,
    /// One row per country.
    pub rows: Vec<CouncilWeightRow>,
}

/// One country of [`CouncilWeights`].
#[derive(Clone, Debug, PartialEq)]
pub struct CouncilWeightRow {
    /// The country's name as written.
    pub name: String,
    /// Its DEU code, when the name is a known member state.
    pub code: Option<&'static str>,
    /// One value per period; `None` for `NA` (not a member then).
    pub weights: Vec<Option<f64>>,
}

impl CouncilWeights {
    /// The weight column `period` as `(code, weight)` for known members.
    pub fn column(&self, period: &str) -> Option<Vec<(&'static str, f64)>> {
        let k = self.periods.iter().position(|p| p == period)?;
        Some(self.rows.iter().filter_map(|r| Some((r.code?, r.weights.get(k).copied().flatten()?))).collect())
    }
}

/// The result of reading DEU: the collection when there were no errors, and
/// every diagnostic, each naming its file in [`Diagnostic::file`].
#[derive(Clone, Debug)]
pub struct DeuLoaded {
    /// The files read: issues, actors and (when given) weights.
    pub sources: Vec<SourceFile>,
    /// The collection, when there were no errors.
    pub collection: Option<DeuCollection>,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl DeuLoaded {
    /// True when some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
    /// The file whose text `diagnostic`'s span points into.
    pub fn source_of(&self, diagnostic: &Diagnostic) -> Option<&SourceFile> {
        let name = diagnostic.file.as_deref()?;
        self.sources.iter().find(|s| s.name == name)
    }
}

/// Reads DEU from the texts of its issues file, actors file and (optional)
/// Council weights file.
pub fn load_deu(issues: SourceFile, actors: SourceFile, weights: Option<SourceFile>) -> DeuLoaded {
    let mut diagnostics = Vec::new();
    let collection = build(&issues, &actors, weights.as_ref(), &mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut sources = vec![issues, actors];
    sources.extend(weights);
    DeuLoaded { sources, collection: if failed { None } else { collection }, diagnostics }
}

/// Reads [`ISSUES_FILE`], [`ACTORS_FILE`] and, when present, [`WEIGHTS_FILE`]
/// from `dir`.
pub fn load_deu_dir(dir: &Path) -> Result<DeuLoaded, ReadError> {
    let read = |name: &str| -> Result<SourceFile, ReadError> {
        let path = dir.join(name);
        let text = read_text(&path)?;
        Ok(SourceFile { name: path.display().to_string(), text: text.trim_start_matches('\u{feff}').to_string() })
    };
    let issues = read(ISSUES_FILE)?;
    let actors = read(ACTORS_FILE)?;
    let weights = if dir.join(WEIGHTS_FILE).is_file() { Some(read(WEIGHTS_FILE)?) } else { None };
    Ok(load_deu(issues, actors, weights))
}

/// Runs `f` with a reader context on `source`, tagging its diagnostics with
/// the file's name.
fn in_file<T>(source: &SourceFile, diags: &mut Vec<Diagnostic>, f: impl FnOnce(&mut Ctx) -> T) -> T {
    let mut local = Vec::new();
    let out = f(&mut Ctx::new(&source.text, &mut local));
    diags.extend(local.into_iter().map(|d| d.in_file(source.name.clone())));
    out
}

fn build(
    issues: &SourceFile,
    actors: &SourceFile,
    weights: Option<&SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<DeuCollection> {
    let cases = in_file(issues, diags, read_issues);
    let council_weights = weights.map(|w| in_file(w, diags, read_weights));
    let mut cases = cases?;
    let keys: Vec<String> = cases.iter().map(|c| c.issue_id.clone()).collect();
    let rows = in_file(actors, diags, |ctx| read_actors(ctx, &keys))?;
    for (case, actor) in rows {
        cases[case].actors.push(actor);
    }
    for case in &mut cases {
        let ids: Vec<&str> = case.actors.iter().map(|a| a.id.as_str()).collect();
        let caps = council_capabilities(case.regime, &ids);
        for (a, c) in case.actors.iter_mut().zip(caps) {
            a.capability = c;
        }
    }
    let council_weights = match council_weights {
        Some(None) => return None,
        Some(Some(w)) => Some(w),
        None => None,
    };
    Some(DeuCollection { cases, council_weights })
}

/// A `YYYY-MM-DD` date, or an error.
fn date(ctx: &mut Ctx, field: &Field, what: &str) -> Option<Option<String>> {
    let t = field.text.as_str();
    if t.is_empty() {
        return Some(None);
    }
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let month = t.get(5..7).and_then(|m| m.parse::<u32>().ok()).unwrap_or(0);
    let day = t.get(8..10).and_then(|d| d.parse::<u32>().ok()).unwrap_or(0);
    if b.len() == 10
        && digits(0..4)
        && b[4] == b'-'
        && b[7] == b'-'
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
    {
        return Some(Some(t.to_string()));
    }
    ctx.push(
        Diagnostic::error("table::value", field.span, format!("{what} must be a date YYYY-MM-DD, found `{t}`"))
            .with_label("not a date")
            .with_help("write dates as 2001-05-30, or leave the cell empty when unknown"),
    );
    None
}

/// An optional number on 0–100: `Some(None)` for an empty cell, `None` after
/// an error.
fn percent(ctx: &mut Ctx, field: &Field, what: &str, code: &'static str) -> Option<Option<f64>> {
    if field.text.is_empty() {
        return Some(None);
    }
    let v = ctx.number(field, what)?;
    ctx.in_range(v, field, (0.0, 100.0), what, code, "DEU scales run from 0 to 100").then_some(Some(v))
}

/// A header, the rows after it and the header's column indices.
type Headed<'r> = (&'r Record, &'r [Record], Vec<Option<usize>>);

fn records_with_header<'r>(
    ctx: &mut Ctx,
    records: &'r [Record],
    columns: &[Column],
    layout: &str,
    help: &str,
) -> Option<Headed<'r>> {
    let Some((header, rows)) = records.split_first() else {
        ctx.empty("the file is empty", help);
        return None;
    };
    let cols = ctx.header_with(header, columns, layout, true)?;
    if rows.is_empty() {
        ctx.empty("the file has a header but no rows", help);
        return None;
    }
    Some((header, rows, cols))
}

fn read_issues(ctx: &mut Ctx) -> Option<Vec<DeuCase>> {
    const COLUMNS: &[Column] = &[
        Column { names: &["issue_id"], required: true },
        Column { names: &["intro_date"], required: true },
        Column { names: &["decision_date"], required: true },
        Column { names: &["reference_point"], required: true },
        Column { names: &["outcome"], required: true },
        Column { names: &["proposal_id"], required: false },
        Column { names: &["proposal_name"], required: false },
        Column { names: &["procedure"], required: false },
        Column { names: &["council_vote"], required: false },
    ];
    let records = read_records(ctx.text, b',', b'"');
    let (header, rows, cols) = records_with_header(
        ctx,
        &records,
        COLUMNS,
        "the DEU issues file",
        "the issues file starts with the header `issue_id,…,intro_date,decision_date,reference_point,outcome`",
    )?;
    let col = |k: usize| cols[k].unwrap_or(0);
    let opt = |row: &Record, k: usize| cols[k].map(|c| row.text(c).to_string()).filter(|t| !t.is_empty());
    let width = header.fields.len();
    let mut ok = true;
    let mut cases: Vec<DeuCase> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    for row in rows {
        if row.fields.len() != width {
            ok = false;
            ctx.wrong_width(row, width, "the header");
            continue;
        }
        let f = |k: usize| &row.fields[col(k)];
        let id = f(0);
        if id.text.is_empty() {
            ok = false;
            ctx.push(
                Diagnostic::error("table::value", id.span, "the issue has no `issue_id`")
                    .with_label("empty cell")
                    .with_help("give every issue an id"),
            );
            continue;
        }
        if let Some(k) = cases.iter().position(|c| c.issue_id == id.text) {
            ok = false;
            ctx.push(
                Diagnostic::error("scenario::duplicate", id.span, format!("issue `{}` appears twice", id.text))
                    .with_label("second row")
                    .with_secondary(spans[k], "first row")
                    .with_help("give every issue one row"),
            );
            continue;
        }
        let intro = date(ctx, f(1), "`intro_date`");
        let decision = date(ctx, f(2), "`decision_date`");
        let reference = percent(ctx, f(3), "reference point", "scenario::out-of-range");
        let outcome = percent(ctx, f(4), "outcome", "scenario::out-of-range");
        let (Some(intro_date), Some(decision_date), Some(reference_point), Some(outcome)) =
            (intro, decision, reference, outcome)
        else {
            ok = false;
            continue;
        };
        let mut case = DeuCase {
            issue_id: id.text.clone(),
            proposal_id: opt(row, 5),
            proposal_name: opt(row, 6),
            procedure: opt(row, 7),
            council_vote: opt(row, 8),
            intro_date,
            decision_date,
            reference_point,
            outcome,
            regime: CouncilRegime::Nice,
            actors: Vec::new(),
        };
        case.regime = CouncilRegime::for_year(case.regime_year());
        cases.push(case);
        spans.push(id.span);
    }
    ok.then_some(cases)
}

fn read_actors(ctx: &mut Ctx, keys: &[String]) -> Option<Vec<(usize, DeuActor)>> {
    const COLUMNS: &[Column] = &[
        Column { names: &["issue_id"], required: true },
        Column { names: &["actor"], required: true },
        Column { names: &["position"], required: true },
        Column { names: &["salience"], required: true },
    ];
    let records = read_records(ctx.text, b',', b'"');
    let (header, rows, cols) = records_with_header(
        ctx,
        &records,
        COLUMNS,
        "the DEU actors file",
        "the actors file starts with the header `issue_id,actor,position,salience`",
    )?;
    let [Some(c_issue), Some(c_actor), Some(c_pos), Some(c_sal)] = cols[..] else {
        return None;
    };
    let width = header.fields.len();
    let names: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut ok = true;
    let mut out: Vec<(usize, DeuActor)> = Vec::new();
    let mut seen: Vec<(usize, String, Span)> = Vec::new();
    for row in rows {
        if row.fields.len() != width {
            ok = false;
            ctx.wrong_width(row, width, "the header");
            continue;
        }
        let (issue_f, actor_f) = (&row.fields[c_issue], &row.fields[c_actor]);
        let issue = keys.iter().position(|k| *k == issue_f.text);
        if issue.is_none() {
            ok = false;
            let help = match did_you_mean(&issue_f.text, &names) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "every issue_id here must have a row in the issues file".to_string(),
            };
            ctx.push(
                Diagnostic::error(
                    "scenario::unknown-issue",
                    issue_f.span,
                    format!("no issue is named `{}`", issue_f.text),
                )
                .with_label("unknown issue")
                .with_help(help),
            );
        }
        if actor_f.text.is_empty() {
            ok = false;
            ctx.push(
                Diagnostic::error("table::value", actor_f.span, "the actor is missing")
                    .with_label("empty cell")
                    .with_help("name the actor (`com`, `ep` or a member-state code)"),
            );
        }
        let position = percent(ctx, &row.fields[c_pos], "position", "scenario::out-of-range");
        let salience = percent(ctx, &row.fields[c_sal], "salience", "scenario::salience-range");
        let (Some(issue), Some(position), Some(salience), false) = (issue, position, salience, actor_f.text.is_empty())
        else {
            ok = false;
            continue;
        };
        if let Some((.., first)) = seen.iter().find(|(i, a, _)| *i == issue && *a == actor_f.text) {
            ok = false;
            ctx.push(
                Diagnostic::error(
                    "scenario::duplicate",
                    row.span,
                    format!("actor `{}` has two rows for issue `{}`", actor_f.text, issue_f.text),
                )
                .with_label("second row")
                .with_secondary(*first, "first row")
                .with_help("keep one row per issue and actor"),
            );
            continue;
        }
        seen.push((issue, actor_f.text.clone(), row.span));
        // No position and no salience (or salience 0): the actor took no part.
        if position.is_none() && salience.is_none_or(|s| s == 0.0) {
            continue;
        }
        let salience = salience.map(|s| percent_of(&row.fields[c_sal].text, s));
        out.push((issue, DeuActor { id: actor_f.text.clone(), position, salience, capability: 0.0 }));
    }
    ok.then_some(out)
}

fn read_weights(ctx: &mut Ctx) -> Option<CouncilWeights> {
    let records = read_records(ctx.text, b',', b'"');
    let Some((header, rows)) = records.split_first() else {
        ctx.empty("the file is empty", "the weights file starts with the header `id,name,eu9,…`");
        return None;
    };
    let c_name = header.fields.iter().position(|f| f.text.eq_ignore_ascii_case("name"));
    let Some(c_name) = c_name else {
        ctx.push(
            Diagnostic::error("table::header", header.span, "the header has no `name` column")
                .with_label("header")
                .with_help("the weights file starts with the header `id,name,eu9,…`"),
        );
        return None;
    };
    let period_cols: Vec<usize> = (0..header.fields.len()).filter(|&c| c != c_name && c != 0).collect();
    let periods = period_cols.iter().map(|&c| header.fields[c].text.clone()).collect();
    let width = header.fields.len();
    let mut ok = true;
    let mut out = Vec::new();
    for row in rows {
        if row.fields.len() != width {
            ok = false;
            ctx.wrong_width(row, width, "the header");
            continue;
        }
        let name = row.fields[c_name].text.clone();
        let mut weights = Vec::new();
        for &c in &period_cols {
            let f = &row.fields[c];
            if f.text.is_empty() || f.text.eq_ignore_ascii_case("NA") {
                weights.push(None);
                continue;
            }
            match ctx.number(f, "vote weight") {
                Some(v) => weights.push(Some(v)),
                None => ok = false,
            }
        }
        let code = MEMBER_STATES.iter().find(|(_, n)| n.eq_ignore_ascii_case(&name)).map(|(c, _)| *c);
        out.push(CouncilWeightRow { name, code, weights });
    }
    ok.then_some(CouncilWeights { periods, rows: out })
}
