//! Structure-aware fuzzing of the commands: [`scenario_text`] turns fuzz
//! bytes into a scenario that is valid TOML and mostly a valid scenario, at
//! the extremes issue 16 lists (huge and degenerate ranges, 10⁵ options,
//! more than 64 actors or constraints, deep and long rules, subnormal and
//! NaN-adjacent numbers, control characters, very long names), and
//! [`exercise`] runs every command's library entry point on it with small
//! budgets. Scenarios also use conditional issues (`when`/`otherwise`),
//! interaction terms, `[[plans]]` (the staged analysis runs on them),
//! `[[uncertain]]` judgements (the quick robustness study on slow inputs),
//! `[[types]]` with beliefs' probabilities and `[[pressures]]` (the type
//! and pressure analyses run on them).
//!
//! Shared by the cargo-fuzz target `fuzz_targets/scenarios.rs` and the
//! fixed-seed test `crates/detente-report/tests/fuzz_scenarios.rs`, which
//! include this file by path: neither nightly nor libFuzzer is needed to
//! run it. The includer provides `check_scenario` (`fuzz/src/lib.rs`) as
//! `super::check_scenario`, so the round-trip check is the readers' one.
//!
//! Bytes are read through `arbitrary::Unstructured`; when they run out every
//! choice takes its first (smallest) value, so short inputs give small
//! scenarios and libFuzzer grows them toward the extremes.

use arbitrary::{Result, Unstructured};
use detente::analysis::{self, Method, Resolution};
use detente::budget::Budget;
use detente::forecast::issues::{forecast_scenario_with, Config as ForecastConfig, MonteCarloSettings};
use detente::forecast::montecarlo::default_perturbations;
use detente::forecast::registry::MODELS;
use detente::negotiation::alternating::AlternatingOffers;
use detente::negotiation::domain::{Domain, DomainConfig, Reference};
use detente::negotiation::evaluate::evaluate;
use detente::negotiation::mediated::SingleText;
use detente::negotiation::{registry, Deadline, Protocol};
use detente::{Scenario, TextFormat};

/// The most outcomes any command may enumerate on a fuzz input: large
/// enough to reach every code path, small enough for many inputs a second.
pub const MAX_OUTCOMES: u64 = 20_000;

/// Rounds of every iterating model and negotiation.
pub const ROUNDS: usize = 12;

/// Numbers at the edges of what a double holds: subnormals, the smallest
/// normal, one ulp around 0 and 1, the largest finite values, and the
/// like (the non-finite values are [`NON_FINITE`]).
const FLOATS: &[f64] = &[
    0.0,
    1.0,
    0.5,
    -0.0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    2.225073858507201e-308,
    1e-300,
    0.9999999999999999,
    1.0000000000000002,
    0.30000000000000004,
    1e15,
    9007199254740993.0,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    1e308,
    -1e308,
    -1.0,
    100.0,
];

/// What TOML can write and no number field may hold: one pick in 32.
const NON_FINITE: &[f64] = &[f64::INFINITY, f64::NEG_INFINITY, f64::NAN];

/// Integers at the edges: the ends of i64, the table limit of one issue
/// (2²¹) and either side of it, and sizes past every budget.
const INTEGERS: &[i64] = &[
    0,
    1,
    -1,
    2,
    10,
    2_097_151,
    2_097_152,
    100_000_000_000,
    i64::MAX,
    i64::MIN,
    i64::MAX - 1,
    -4_611_686_018_427_387_904,
];

/// Text that must reach the user escaped or not at all: control characters,
/// ANSI escapes, a byte-order mark, right-to-left marks, quotes, and
/// characters that are several bytes long.
const WEIRD: &[&str] = &[
    "\u{1b}[2J",
    "\u{7}",
    "\u{0}",
    "\r",
    "\u{7f}",
    "\u{feff}",
    "\u{202e}",
    "'",
    "\"",
    "\\",
    "<script>",
    "&amp;",
    "名前",
    "🙂",
    " ",
    "\t",
    "$",
    "{}",
];

/// A scenario as TOML text, built from fuzz bytes.
pub fn scenario_text(u: &mut Unstructured<'_>) -> Result<String> {
    let wild = u.ratio(1u8, 4u8)?;
    let mut g = Gen {
        u,
        out: String::new(),
        issues: Vec::new(),
        actors: Vec::new(),
        interactions: Vec::new(),
        events: 0,
        statements: 0,
        wild,
    };
    g.scenario()?;
    Ok(g.out)
}

/// Builds a scenario from `data` and runs every command on it (the fuzz
/// target's body).
pub fn fuzz(data: &[u8]) {
    let mut u = Unstructured::new(data);
    // One input in eight also runs the slow steps (the report's 500 Monte
    // Carlo runs, the quick robustness study), so the rest run many a second.
    let slow = u.ratio(1u8, 8u8).unwrap_or(false);
    if let Ok(text) = scenario_text(&mut u) {
        exercise(&text, slow);
    }
}

/// Loads `text` and runs what every command runs, each within
/// [`MAX_OUTCOMES`] and [`ROUNDS`]: show's counts, analyze (with the
/// verdict, robustness and every rendering), forecast (with a small Monte
/// Carlo study), negotiate (both protocols) and a tournament job, report
/// (HTML and Markdown) and convert (TOML, JSON and GENIUS, read back); the
/// report and the robustness study only when `slow`. Panics on a crash or
/// an incoherent result, which is what fuzzing finds.
pub fn exercise(text: &str, slow: bool) {
    let loaded = detente::load_str("fuzz.toml", text, TextFormat::Toml);
    if loaded.scenario.is_none() {
        assert!(loaded.has_errors(), "no scenario and no error: {:?}", loaded.diagnostics);
    }
    let Some(s) = &loaded.scenario else { return };
    let budget = Budget::new(MAX_OUTCOMES as u128);
    show(s);
    convert(s);
    let analysis = analyze(s, &budget, slow);
    forecast(s, &budget);
    negotiate(s, &budget, analysis.as_ref());
    export_game(s, &budget);
    if let Some(a) = analysis.as_ref().filter(|_| slow) {
        let Ok(doc) = detente_report::report::build_with_budget(s, a, None, &budget) else {
            panic!("a report whose flag nobody set was cancelled")
        };
        let html = detente_report::report::html::render(&doc);
        assert!(!html.contains('\u{1b}'), "a raw escape character reached the HTML report");
        let md = detente_report::report::markdown::render(&doc, &|f| f.name.clone());
        // Tabs and line ends are text; every other control is escaped.
        let raw = md.chars().find(|&c| c.is_control() && !matches!(c, '\n' | '\t'));
        assert!(raw.is_none(), "a raw control character reached the Markdown report: {raw:?}");
    }
}

/// `show`: the exact outcome count, written for people.
fn show(s: &Scenario) {
    let sizes = analysis::space::issue_sizes(s, Resolution::default());
    let _ = analysis::space::count_text(&analysis::space::exact_count(&sizes));
}

/// `convert`: native TOML and JSON read back unchanged; GENIUS export, when
/// it applies, reads back without errors.
fn convert(s: &Scenario) {
    super::check_scenario(s);
    if let Ok(files) = detente::format::genius::to_genius(s) {
        let source = |name: &str, text: String| detente::SourceFile { name: name.to_string(), text };
        let domain = source("domain.xml", files.domain);
        let profiles: Vec<_> =
            files.profiles.into_iter().map(|(id, text)| source(&format!("{id}.xml"), text)).collect();
        let back = detente::format::load_genius("fuzz", &domain, &profiles);
        assert!(!back.has_errors(), "exported GENIUS files do not load: {:?}", back.diagnostics);
    }
}

/// `analyze`: both methods, the verdict, the quick robustness study, text,
/// JSON and the utility plane. Returns the analysis for the report.
fn analyze(s: &Scenario, budget: &Budget, slow: bool) -> Option<analysis::Analysis> {
    let mut config = analysis::Config::new();
    config.max_outcomes = budget.max_outcomes;
    config.max_blocker_size = 2;
    config.top = 3;
    config.density = Some(detente_report::plot::plane::density_config(s.parties().len()));
    config.cancel = budget.cancel.clone();
    let _ = analysis::deal_exists(s, &config);
    let mut found = None;
    for method in [Method::Auto, Method::IssueByIssue] {
        config.method = method;
        let Ok(a) = analysis::analyze(s, &config) else { continue };
        // The issue-by-issue method counts no agreement set (`None`).
        if let Some(n) = a.agreement_set_size {
            assert_eq!(a.deal_exists, n > 0, "verdict and count disagree");
        }
        let _ = detente_report::analysis::to_json(s, &a);
        let firmness = if slow { detente::robustness::quick(s, &config) } else { None };
        let options = detente_report::analysis::TextOptions { all: true, explain: true };
        let _ = detente_report::analysis::to_text_with(s, &a, options, firmness.as_ref());
        if let Ok(figure) = detente_report::plot::utility_plane(s, &a) {
            assert!(!figure.svg.contains('\u{1b}'), "a raw escape character reached an SVG figure");
        }
        found.get_or_insert(a);
    }
    if let Some(a) = &found {
        stages(s, &config, a, slow);
        timeline(s, &config, a);
        types(s, &config, a);
    }
    found
}

/// `analyze`'s types and pressure sections, in text and JSON: profile
/// probabilities sum to 1, the robust set is within every positive
/// profile's, and pressures remove only what was agreed without them.
fn types(s: &Scenario, config: &analysis::Config, a: &analysis::Analysis) {
    let config = analysis::Config { method: Method::Auto, density: None, ..config.clone() };
    let Ok(sections) = detente_report::types::Sections::run(s, &config) else {
        panic!("type and pressure analyses whose flag nobody set were cancelled")
    };
    if let Some(t) = &sections.types {
        let total: f64 = t.profiles.iter().map(|p| p.probability).sum();
        assert!((total - 1.0).abs() < 1e-6, "type profiles' probabilities sum to {total}");
        for p in t.profiles.iter().filter(|p| p.probability > 0.0) {
            assert!(t.acceptance.robust <= p.agreements, "a robust outcome outside a profile's agreement set");
        }
    }
    for r in &sections.pressures {
        assert!(r.count <= r.agreements_without, "a pressure removed more than there was");
    }
    let mut doc = detente_report::analysis::to_json(s, a);
    sections.add_to_json(&mut doc, s);
    let _ = sections.to_text(s);
}

/// `export-game`: the first plan's game (or every issue in one phase) with
/// one and two rounds, small trees only; the `.efg` and both summaries.
fn export_game(s: &Scenario, budget: &Budget) {
    let all = detente::scenario::Plan {
        name: "all".into(),
        phases: vec![(0..s.issues.len()).collect()],
        commitments: Vec::new(),
        description: None,
        source: None,
    };
    let plan = s.plans.first().unwrap_or(&all);
    let mut config = analysis::Config::new();
    config.max_outcomes = budget.max_outcomes;
    config.cancel = budget.cancel.clone();
    for rounds in [1, 2] {
        let Ok(game) = analysis::game::build(s, plan, rounds, 5_000, &config) else { continue };
        let Ok(eq) = analysis::game::solve(&game, &config.cancel) else {
            panic!("a game whose flag nobody set was cancelled")
        };
        assert_eq!(eq.payoffs.len(), s.actors.len(), "one payoff per actor");
        let efg = detente::format::efg::to_efg(s, &game);
        assert_eq!(efg.lines().count(), 3 + game.nodes.len(), "one .efg line per node");
        let _ = detente_report::game::to_text(s, &game, &eq);
        let _ = detente_report::game::to_json(s, &game, &eq);
    }
}

/// `analyze --timeline`: one analysis per period, in text and JSON; the
/// first period is the plain analysis.
fn timeline(s: &Scenario, config: &analysis::Config, a: &analysis::Analysis) {
    if s.events.is_empty() {
        return;
    }
    let config = analysis::Config { method: Method::Auto, density: None, ..config.clone() };
    let Ok(periods) = analysis::timeline::timeline(s, &config) else { return };
    assert!(periods[0].event.is_none(), "the timeline starts with the file as written");
    if let (Some(first), Some(n)) = (&periods[0].analysis, a.agreement_set_size) {
        assert_eq!(first.agreement_set_size, Some(n), "the first period is not the plain analysis");
    }
    let mut doc = detente_report::analysis::to_json(s, a);
    detente_report::timeline::add_to_json(&mut doc, s, &periods);
    let _ = detente_report::timeline::to_text(s, &periods);
}

/// `analyze`'s staged sections: the declared plans, and with `slow` the
/// sequencing search over up to two phases, in text and JSON.
fn stages(s: &Scenario, config: &analysis::Config, a: &analysis::Analysis, slow: bool) {
    if s.plans.is_empty() && !slow {
        return;
    }
    let config = analysis::Config { method: Method::Auto, ..config.clone() };
    let Ok(staging) = analysis::stages::stage(s, &config, slow.then_some(2)) else { return };
    let mut doc = detente_report::analysis::to_json(s, a);
    detente_report::stages::add_to_json(&mut doc, s, &staging);
    let _ = detente_report::stages::to_text(s, &staging, true);
    // A plan of one phase is the plain analysis.
    if let Ok(plain) = analysis::deal_exists(s, &config) {
        for report in staging.plans.iter().filter(|r| r.plan.phases.len() == 1) {
            assert_eq!(report.analysis.deal, plain, "a one-phase plan disagrees with the verdict");
        }
    }
}

/// `forecast`: every model, a few Monte Carlo runs, text, JSON and plots.
fn forecast(s: &Scenario, budget: &Budget) {
    let config = ForecastConfig {
        models: MODELS.iter().collect(),
        max_rounds: Some(ROUNDS),
        // The study's tornado runs every model twice per actor, dimension
        // and input whatever the runs (70 actors on 6 issues: 40 s, now
        // counted and cancellable, docs/RELIABILITY.md finding 8), so it
        // runs on small casts to keep many inputs a second.
        monte_carlo: (s.actors.len() <= 16).then(|| MonteCarloSettings {
            runs: 3,
            seed: 7,
            perturbations: default_perturbations(),
        }),
    };
    let Ok(forecasts) = forecast_scenario_with(s, None, &config, &|_, _| {}, budget) else {
        panic!("a forecast whose flag nobody set was cancelled")
    };
    let _ = detente_report::forecast::forecast_to_json(s, &forecasts, config.monte_carlo.as_ref());
    let _ = detente_report::forecast::forecast_to_text(s, &forecasts, true);
    for info in MODELS {
        let _ = detente_report::plot::trajectories(s, &forecasts.issues, info.name);
        let _ = detente_report::plot::distribution(s, &forecasts.issues, info.name);
        let _ = detente_report::plot::tornado(s, &forecasts.issues, info.name);
    }
}

/// `negotiate` (both protocols, five strategies in turn) and one
/// tournament job.
fn negotiate(s: &Scenario, budget: &Budget, analysis: Option<&analysis::Analysis>) {
    let config = DomainConfig { resolution: Resolution::default(), max_outcomes: MAX_OUTCOMES, search: false };
    let Ok(domain) = Domain::new_with(s, &config, &budget.cancel, &|_, _| {}) else { return };
    let parties = domain.parties().to_vec();
    let reference = Reference::new(&domain, &parties);
    let deadline = Deadline::rounds(ROUNDS);
    let protocols: [&dyn Protocol; 2] = [&AlternatingOffers { deadline }, &SingleText { deadline }];
    // Strategies that speak make the scenario's statements before the
    // first offer, through the table the shells set.
    let names = ["boulware:speak=honest", "tit-for-tat:speak=all", "random", "frequency", "bayesian"];
    for (k, name) in names.iter().enumerate() {
        let spec = registry::parse(name).expect("a registered strategy");
        let Ok(table) =
            detente::negotiation::setup::seat(s.clone(), domain.clone(), None, &[], &spec, &config, &budget.cancel)
        else {
            continue;
        };
        let protocol = protocols[k % 2];
        let Ok(session) = detente::negotiation::run_with(
            protocol,
            &table.domain,
            &table.parties,
            &table.specs,
            k as u64,
            true,
            &budget.cancel,
        ) else {
            continue;
        };
        let (domain, specs) = (&table.domain, &table.specs);
        // The parties' order is the domain's; after statements the
        // yardsticks are the changed domain's.
        let reference = if table.scenario.events.len() == s.events.len() {
            reference.clone()
        } else {
            Reference::new(domain, &table.parties)
        };
        let evaluation = evaluate(domain, &reference, &session);
        let labels: Vec<String> = specs.iter().map(ToString::to_string).collect();
        let talks = detente_report::negotiation::Talks {
            scenario: &table.scenario,
            domain,
            protocol: protocol.name(),
            deadline: protocol.deadline(),
            seed: k as u64,
            strategies: &labels,
            defaulted: &table.defaulted,
            session: &session,
            evaluation: &evaluation,
        };
        let _ = detente_report::negotiation::to_json(&talks);
        let _ = detente_report::negotiation::to_text(&talks, 8);
        let _ = detente_report::negotiation::plot_posterior(&talks);
        if let Some(a) = analysis {
            let _ = detente_report::negotiation::plot(&talks, a);
        }
    }
    let tournament = detente::negotiation::tournament::Tournament {
        entries: vec![detente::negotiation::tournament::Entry::new("fuzz", domain)],
        strategies: registry::parse_list("linear,conceder")
            .expect("registered strategies")
            .into_iter()
            .map(Into::into)
            .collect(),
        reps: 1,
        seed: 3,
    };
    if let Some(job) = tournament.jobs().first() {
        let _ = tournament.run_job(protocols[0], job);
    }
}

/// The generator's state: the text so far and what later parts refer to.
struct Gen<'a, 'b> {
    u: &'b mut Unstructured<'a>,
    out: String,
    issues: Vec<IssueGen>,
    actors: Vec<String>,
    /// Every interaction term written: (actor, label).
    interactions: Vec<(String, String)>,
    /// How many `[[events]]` the scenario will declare (`e0`, `e1`, …),
    /// decided before the actors so that their deadlines can name them.
    events: usize,
    /// How many `[[statements]]` were declared (`s0`, `s1`), for events
    /// to make.
    statements: usize,
    /// One scenario in four may hold numbers no field accepts (non-finite,
    /// out of range, reversed bounds); the rest keep every number valid, so
    /// that most scenarios load and reach the commands.
    wild: bool,
}

/// What rules, stances and the status quo need to know of an issue.
struct IssueGen {
    id: String,
    kind: KindGen,
    ordered: bool,
    /// The `otherwise` value (TOML) of a conditional issue.
    otherwise: Option<String>,
}

#[derive(Clone)]
enum KindGen {
    Options(Vec<String>),
    Integer(i64, i64),
    Continuous(f64, f64),
}

impl KindGen {
    /// Itself when a value table can list it (at most 16 options).
    fn filter_small(self) -> KindGen {
        match self {
            KindGen::Options(o) if o.len() > 16 => KindGen::Integer(0, 0),
            other => other,
        }
    }
}

impl Gen<'_, '_> {
    fn scenario(&mut self) -> Result<()> {
        self.out.push_str("format = 1\n");
        let name = self.text()?;
        self.line("name", &name);
        if self.odds(4)? {
            let description = self.text()?;
            self.line("description", &description);
        }
        let n_issues = self.count(&[1, 2, 3, 4, 1, 2, 6, 12, 1, 2, 3, 4, 1, 2, 3, 0])?;
        for k in 0..n_issues {
            self.issue(k)?;
        }
        // More than 64 actors now and then: the analysis and negotiation
        // refuse them by name, the forecasts take them.
        let n_actors = self.count(&[2, 3, 1, 4, 5, 65, 70])?;
        self.actors = (0..n_actors).map(|k| format!("a{k}")).collect();
        let with_status_quo = self.odds(2)?;
        self.events = if self.odds(4)? { self.count(&[1, 2, 3])? } else { 0 };
        for k in 0..n_actors {
            self.actor(k, with_status_quo)?;
        }
        if with_status_quo {
            self.out.push_str("[status_quo]\n");
            for k in 0..self.issues.len() {
                // A moot issue must sit at its `otherwise` value, which is
                // right whether or not its condition holds here.
                let v = match self.issues[k].otherwise.clone() {
                    Some(o) if !self.wild || !self.odds(4)? => o,
                    _ => self.value(k)?,
                };
                let id = self.issues[k].id.clone();
                self.out.push_str(&format!("{id} = {v}\n"));
            }
        }
        // Staged agreements need a status quo; wild scenarios try without.
        if (with_status_quo || self.wild) && !self.issues.is_empty() && self.odds(3)? {
            for k in 0..self.count(&[1, 2, 3])? {
                self.plan(k)?;
            }
        }
        let n_constraints = self.count(&[0, 1, 2, 3, 65])?;
        for k in 0..n_constraints {
            self.constraint(k)?;
        }
        if self.odds(4)? && n_actors >= 2 {
            let (holder, about) = (self.pick_actor()?, self.pick_actor()?);
            let reservation = self.unit()?;
            self.out.push_str(&format!(
                "[[beliefs]]\nholder = \"{holder}\"\nabout = \"{about}\"\nreservation = {}\n",
                float(reservation)
            ));
        }
        if self.odds(4)? {
            for _ in 0..self.count(&[1, 2, 3])? {
                self.uncertain()?;
            }
        }
        if self.odds(4)? && n_actors >= 1 {
            self.types(n_constraints)?;
        }
        if self.odds(4)? && n_actors >= 2 {
            self.pressure()?;
        }
        if self.odds(4)? && n_actors >= 2 {
            self.statements(n_constraints)?;
        }
        self.calendar(n_constraints)?;
        Ok(())
    }

    /// `[[types]]` of one actor: priors that sum to 1 (or, when wild, do
    /// not), reservations, a salience, a dropped constraint; and now and
    /// then a belief's probabilities of them.
    fn types(&mut self, n_constraints: usize) -> Result<()> {
        let actor = self.pick_actor()?;
        let priors: &[&str] = match self.u.choose_index(4)? {
            0 => &["1"],
            1 => &["0.5", "0.5"],
            2 => &["0.2", "0.3", "0.5"],
            _ if self.wild => &["0.7", "0.7"],
            _ => &["0.25", "0.75"],
        };
        for (k, prior) in priors.iter().enumerate() {
            self.out.push_str(&format!("[[types]]\nactor = \"{actor}\"\nname = \"t{k}\"\nprior = {prior}\n"));
            if self.odds(2)? {
                let r = self.unit()?;
                self.out.push_str(&format!("reservation = {}\n", float(r)));
            }
            if !self.issues.is_empty() && self.odds(2)? {
                let i = self.u.choose_index(self.issues.len())?;
                let salience = self.unit()?;
                let id = self.issues[i].id.clone();
                self.out.push_str(&format!("stances.{id} = {{ salience = {} }}\n", float(salience)));
            }
            if n_constraints > 0 && self.odds(3)? {
                let c = self.u.choose_index(n_constraints)?;
                self.out.push_str(&format!("dropped_constraints = [\"c{c}\"]\n"));
            }
        }
        if self.actors.len() >= 2 && self.odds(2)? {
            let holder = self.pick_actor()?;
            self.out
                .push_str(&format!("[[beliefs]]\nholder = \"{holder}\"\nabout = \"{actor}\"\ntypes = {{ t0 = 1 }}\n"));
        }
        Ok(())
    }

    /// One `[[pressures]]` entry: a third party's cost on another actor
    /// where a rule holds, scaled or not.
    fn pressure(&mut self) -> Result<()> {
        let (by, on) = (self.pick_actor()?, self.pick_actor()?);
        let rule = self.rule(0)?;
        let cost = self.unit()?;
        let scaled = self.odds(2)?;
        self.out.push_str(&format!(
            "[[pressures]]\nlabel = \"p\"\nby = \"{by}\"\non = \"{on}\"\nwhen = {}\ncost = {}\nscaled = {scaled}\n",
            quote(&rule),
            float(cost)
        ));
        Ok(())
    }

    /// `[[statements]]`: a commitment with an audience cost, an assurance
    /// and a signal now and then; listeners react with a reservation (when
    /// wild: a kind no one knows, a signal with a pledge, a reaction from
    /// someone who does not hear it, a dropped constraint).
    fn statements(&mut self, n_constraints: usize) -> Result<()> {
        let n = self.count(&[1, 2, 3])?;
        for k in 0..n {
            let (by, listener) = (self.pick_actor()?, self.pick_actor()?);
            let kind = match self.u.choose_index(if self.wild { 4 } else { 3 })? {
                0 => "commitment",
                1 => "assurance",
                2 => "signal",
                _ => "threat",
            };
            self.out.push_str(&format!("[[statements]]\nid = \"s{k}\"\nby = \"{by}\"\nkind = \"{kind}\"\n"));
            if kind != "signal" || (self.wild && self.odds(2)?) {
                let rule = self.rule(0)?;
                self.out.push_str(&format!("pledge = {}\n", quote(&rule)));
                if self.odds(2)? {
                    let cost = if self.wild && self.odds(4)? { self.float()? } else { self.unit()? };
                    self.out.push_str(&format!("audience_cost = {}\n", float(cost)));
                }
            }
            let heard = if self.wild && self.odds(3)? { by.clone() } else { listener.clone() };
            self.out.push_str(&format!("heard_by = [\"{heard}\"]\n"));
            if self.odds(2)? {
                let value = self.unit()?;
                self.out.push_str(&format!("reactions = {{ \"{listener}.reservation\" = {} }}\n", float(value)));
            }
            // A dropped constraint whose owner may not hear: only when wild.
            if self.wild && n_constraints > 0 && self.odds(4)? {
                let c = self.u.choose_index(n_constraints)?;
                self.out.push_str(&format!("drop = [\"c{c}\"]\n"));
            }
        }
        self.statements = n;
        Ok(())
    }

    /// `[calendar]` now and then, and the `[[events]]` decided up front:
    /// dated, numbered or both (out of order or contradicting the calendar
    /// when wild), each changing a reservation or dropping a constraint.
    fn calendar(&mut self, n_constraints: usize) -> Result<()> {
        if self.events == 0 {
            return Ok(());
        }
        let calendar = self.odds(2)?;
        if calendar {
            let days = if self.wild { self.count(&[0, 1, 14, 36_501])? } else { self.count(&[1, 7, 14, 365])? };
            let start = if self.wild { 1 + self.u.choose_index(28)? } else { 1 };
            self.out.push_str(&format!("[calendar]\nstart = 2019-01-{start:02}\ndays_per_round = {days}\n"));
        }
        let mut day = 0;
        for e in 0..self.events {
            self.out.push_str(&format!("[[events]]\nid = \"e{e}\"\n"));
            let dated = self.odds(2)?;
            if dated {
                day += self.u.choose_index(60)?;
                let month = if self.wild && self.odds(8)? { 13 } else { 1 + day / 28 % 12 };
                self.out.push_str(&format!("date = 2019-{month:02}-{:02}\n", 1 + day % 28));
            }
            // Valid scenarios give every event a time, and a dated one no
            // round a calendar could contradict.
            let numbered = if self.wild { self.odds(2)? } else { !dated || (!calendar && self.odds(2)?) };
            if numbered {
                let round = if self.wild {
                    self.count(&[0, 3, 1, 1_000_000_000_000])?
                } else {
                    e * 5 + self.u.choose_index(5)?
                };
                self.out.push_str(&format!("round = {round}\n"));
            }
            if self.odds(2)? {
                let actor = self.pick_actor()?;
                let value = if self.wild && self.odds(4)? { self.float()? } else { self.unit()? };
                self.out.push_str(&format!("set = {{ \"{actor}.reservation\" = {} }}\n", float(value)));
            }
            if n_constraints > 0 && self.odds(3)? {
                let c = self.u.choose_index(n_constraints + usize::from(self.wild))?;
                self.out.push_str(&format!("drop = [\"c{c}\"]\n"));
            }
            // Each statement once, by the event with its number (when
            // wild, any statement, perhaps one already made or none).
            if self.statements > 0 && self.odds(2)? {
                let k = if self.wild { self.u.choose_index(self.statements + 1)? } else { e };
                if self.wild || k < self.statements {
                    self.out.push_str(&format!("statements = [\"s{k}\"]\n"));
                }
            }
        }
        Ok(())
    }

    fn issue(&mut self, k: usize) -> Result<()> {
        let id = self.id("i", k)?;
        self.out.push_str(&format!("[[issues]]\nid = \"{id}\"\n"));
        if self.odds(3)? {
            let name = self.text()?;
            self.line("name", &name);
        }
        let mut ordered = false;
        let kind = match self.u.choose_index(3)? {
            0 => {
                // Mostly a few options; now and then very many, and now
                // and then labels full of control characters.
                let n = self.count(&[2, 3, 1, 5, 64, 1000, 100_000])?;
                let weird = self.odds(3)?;
                let mut options = Vec::with_capacity(n);
                for k in 0..n {
                    options.push(if weird && k < 8 { format!("{}{k}", self.text()?) } else { format!("o{k}") });
                }
                let list: Vec<String> = options.iter().map(|o| quote(o)).collect();
                self.out.push_str(&format!("options = [{}]\n", list.join(", ")));
                ordered = self.odds(2)?;
                if ordered {
                    self.out.push_str("ordered = true\n");
                }
                KindGen::Options(options)
            }
            1 => {
                let (a, b) = (self.integer()?, self.integer()?);
                let (min, max) = if self.wild && self.odds(16)? { (a, b) } else { (a.min(b), a.max(b)) };
                self.out.push_str(&format!("kind = \"integer\"\nmin = {min}\nmax = {max}\n"));
                KindGen::Integer(min, max)
            }
            _ => {
                let (a, b) = (self.float()?, self.float()?);
                let (mut min, mut max) = if a <= b { (a, b) } else { (b, a) };
                if !self.wild && (min >= max || !(max - min).is_finite()) {
                    let lo = if min.is_finite() { min.clamp(-1e300, 1e300) } else { 0.0 };
                    (min, max) = (lo, lo + lo.abs().max(1.0) * 1e-6);
                }
                self.out.push_str(&format!("kind = \"continuous\"\nmin = {}\nmax = {}\n", float(min), float(max)));
                KindGen::Continuous(min, max)
            }
        };
        self.issues.push(IssueGen { id, kind, ordered, otherwise: None });
        // Conditional now and then: `when` over the issues before it (so no
        // cycle), or, in wild scenarios, over any issue including itself.
        if k > 0 && self.odds(3)? {
            let rule = if self.wild && self.odds(4)? {
                let me = self.issues.len() - 1;
                let i = self.u.choose_index(me + 1)?;
                let value = self.value(i)?;
                format!("{} == {value}", self.issues[i].id)
            } else {
                let own = self.issues.pop().expect("just pushed");
                let rule = self.rule(2)?;
                self.issues.push(own);
                rule
            };
            let otherwise = self.value(self.issues.len() - 1)?;
            self.out.push_str(&format!(
                "when = {}
otherwise = {otherwise}
",
                quote(&rule)
            ));
            self.issues.last_mut().expect("just pushed").otherwise = Some(otherwise);
        }
        Ok(())
    }

    fn actor(&mut self, k: usize, with_status_quo: bool) -> Result<()> {
        let id = self.actors[k].clone();
        self.out.push_str(&format!("[[actors]]\nid = \"{id}\"\n"));
        let role = ["party", "party", "ratifier", "third-party", "other"][self.u.choose_index(5)?];
        self.out.push_str(&format!("role = \"{role}\"\n"));
        if self.odds(3)? {
            let name = self.text()?;
            self.line("name", &name);
        }
        if self.odds(2)? {
            let reservation =
                if with_status_quo && self.odds(3)? { "\"status-quo\"".to_string() } else { float(self.unit()?) };
            self.out.push_str(&format!("reservation = {reservation}\n"));
        }
        if self.odds(3)? {
            let capability = if self.wild { self.float()?.abs() } else { self.unit()? };
            self.out.push_str(&format!("capability = {}\n", float(capability)));
        }
        if self.odds(4)? {
            let discount = if self.wild && self.odds(32)? { 0.0 } else { self.unit()?.max(5e-324) };
            self.out.push_str(&format!("discount = {}\n", float(discount)));
        }
        if self.events > 0 && (role == "party" || self.wild) && self.odds(3)? {
            // Wild: any role, and a deadline on a non-party is an error to report.
            let e = self.u.choose_index(self.events + usize::from(self.wild))?;
            self.out.push_str(&format!("deadline = \"e{e}\"\n"));
        }
        if self.odds(4)? {
            self.out.push_str("normalize = false\n");
        }
        if self.odds(6)? && self.actors.len() > 1 {
            let other = self.pick_actor()?;
            self.out.push_str(&format!("ratifiers = [\"{other}\"]\n"));
        }
        if self.odds(6)? && !self.issues.is_empty() {
            let issue = self.u.choose_index(self.issues.len())?;
            self.out.push_str(&format!("vetoes = [\"{}\"]\n", self.issues[issue].id));
        }
        if self.odds(8)? {
            return self.rectangles();
        }
        for i in 0..self.issues.len() {
            if self.odds(5)? {
                continue; // no stance on this issue
            }
            self.stance(i)?;
        }
        if self.odds(3)? {
            for j in 0..self.count(&[1, 2, 3])? {
                let rule = self.rule(2)?;
                const TERMS: &[f64] = &[-0.2, 0.5, -1.0, 1.0, 0.0, 5e-324];
                let value =
                    if self.wild && self.odds(4)? { self.float()? } else { TERMS[self.u.choose_index(TERMS.len())?] };
                self.out.push_str(&format!(
                    "[[actors.interactions]]\nlabel = \"t{j}\"\nwhen = {}\nvalue = {}\n",
                    quote(&rule),
                    float(value)
                ));
                self.interactions.push((id.clone(), format!("t{j}")));
            }
        }
        Ok(())
    }

    /// A staged agreement: some of the issues in one to three phases, with
    /// a commitment now and then (one number, or one per later phase).
    fn plan(&mut self, k: usize) -> Result<()> {
        let n_phases = self.count(&[2, 1, 3])?;
        let mut phases: Vec<Vec<String>> = vec![Vec::new(); n_phases];
        for i in 0..self.issues.len() {
            match self.u.choose_index(n_phases + 1)? {
                p if p < n_phases => phases[p].push(quote(&self.issues[i].id)),
                _ => {} // left to the last phase
            }
        }
        if !self.wild {
            phases.retain(|p| !p.is_empty());
            if phases.is_empty() {
                phases.push(vec![quote(&self.issues[0].id)]);
            }
        }
        let list: Vec<String> = phases.iter().map(|p| format!("[{}]", p.join(", "))).collect();
        self.out.push_str(&format!("[[plans]]\nname = \"p{k}\"\nphases = [{}]\n", list.join(", ")));
        if self.odds(2)? {
            let commitment = if self.odds(2)? {
                float(self.unit()?)
            } else {
                let mut each = Vec::new();
                for _ in 1..phases.len() {
                    each.push(float(self.unit()?));
                }
                format!("[{}]", each.join(", "))
            };
            self.out.push_str(&format!("commitment = {commitment}\n"));
        }
        Ok(())
    }

    /// An `[[uncertain]]` judgement: a reservation, a capability, a
    /// salience or an interaction term's value, over a range.
    fn uncertain(&mut self) -> Result<()> {
        let actor = self.pick_actor()?;
        let param = match self.u.choose_index(4)? {
            1 => format!("{actor}.capability"),
            2 if !self.issues.is_empty() => {
                let i = self.u.choose_index(self.issues.len())?;
                format!("{actor}.salience.{}", self.issues[i].id)
            }
            3 if !self.interactions.is_empty() => {
                let (owner, label) = self.interactions[self.u.choose_index(self.interactions.len())?].clone();
                format!("{owner}.interaction.{label}")
            }
            _ => format!("{actor}.reservation"),
        };
        let (lo, hi) = (self.unit()?, self.unit()?);
        self.out.push_str(&format!(
            "[[uncertain]]\nparam = {}\nrange = [{}, {}]\n",
            quote(&param),
            float(lo.min(hi)),
            float(lo.max(hi))
        ));
        Ok(())
    }

    fn stance(&mut self, i: usize) -> Result<()> {
        let issue = self.issues[i].id.clone();
        let salience = format!("salience = {}", float(self.unit()?));
        let mut fields = vec![format!("position = {}", self.value(i)?), salience.clone()];
        match self.u.choose_index(5)? {
            0 => {}
            1 => fields.push("shape = \"quadratic\"".into()),
            2 => fields.extend(["shape = \"step\"".into(), format!("tolerance = {}", float(self.float()?.abs()))]),
            3 => {
                if let KindGen::Options(options) = self.issues[i].kind.clone().filter_small() {
                    // A table names every option, so small issues only.
                    let mut values = Vec::with_capacity(options.len());
                    for o in &options {
                        values.push(format!("{} = {}", quote(o), float(self.unit()?)));
                    }
                    fields = vec![salience, format!("values = {{ {} }}", values.join(", "))];
                }
            }
            _ => {
                if !matches!(self.issues[i].kind, KindGen::Options(_)) {
                    fields = vec![
                        salience,
                        "shape = \"affine\"".into(),
                        format!("slope = {}", float(self.float()?)),
                        format!("offset = {}", float(self.unit()?)),
                    ];
                }
            }
        }
        self.out.push_str(&format!("[actors.stances.{issue}]\n{}\n", fields.join("\n")));
        Ok(())
    }

    /// A non-linear utility: a few hyper-rectangles over numeric issues.
    fn rectangles(&mut self) -> Result<()> {
        let max_utility = self.float()?.abs().max(if self.wild { 0.0 } else { 1.0 });
        self.out.push_str(&format!("max_utility = {}\n", float(max_utility)));
        for _ in 0..self.count(&[1, 2, 3])? {
            let utility = self.float()?;
            self.out.push_str(&format!("[[actors.rectangles]]\nutility = {}\n", float(utility)));
            if self.odds(3)? {
                self.out.push_str("exclude = true\n");
            }
            let numeric: Vec<usize> =
                (0..self.issues.len()).filter(|&i| !matches!(self.issues[i].kind, KindGen::Options(_))).collect();
            if let Some(&i) = numeric.first() {
                let (mut a, mut b) = (self.value(i)?, self.value(i)?);
                let number = |t: &str| t.parse::<f64>().unwrap_or(0.0);
                if !self.wild && number(&a) > number(&b) {
                    std::mem::swap(&mut a, &mut b);
                }
                self.out.push_str(&format!("bounds.{} = [{a}, {b}]\n", self.issues[i].id));
            }
        }
        Ok(())
    }

    fn constraint(&mut self, k: usize) -> Result<()> {
        let owner = self.pick_actor()?;
        // Deep (past the parser's nesting limit) or long (thousands of
        // terms) now and then.
        let rule = match self.u.choose_index(8)? {
            0 if k == 0 => {
                let depth = self.count(&[10, 63, 64, 65, 200])?;
                let inner = self.rule(2)?;
                format!("{}{inner}{}", "(".repeat(depth), ")".repeat(depth))
            }
            1 => {
                let n = self.count(&[10, 1000, 5000])?;
                let mut terms = Vec::with_capacity(n);
                for _ in 0..n.min(8) {
                    terms.push(self.rule(1)?);
                }
                let terms: Vec<&str> = (0..n).map(|j| terms[j % terms.len()].as_str()).collect();
                terms.join(" or ")
            }
            2 => format!("never {}", self.rule(3)?),
            3 => format!("{} -> {}", self.rule(2)?, self.rule(2)?),
            4 => format!("{} <-> {}", self.rule(2)?, self.rule(2)?),
            _ => self.rule(4)?,
        };
        self.out
            .push_str(&format!("[[constraints]]\nlabel = \"c{k}\"\nowner = \"{owner}\"\nrule = {}\n", quote(&rule)));
        Ok(())
    }

    /// A rule of at most `depth` levels over the issues.
    fn rule(&mut self, depth: usize) -> Result<String> {
        if self.issues.is_empty() {
            return Ok(["true", "false"][self.u.choose_index(2)?].to_string());
        }
        if depth == 0 || self.odds(2)? {
            return self.comparison();
        }
        Ok(match self.u.choose_index(4)? {
            0 => format!("{} and {}", self.rule(depth - 1)?, self.rule(depth - 1)?),
            1 => format!("{} or {}", self.rule(depth - 1)?, self.rule(depth - 1)?),
            2 => format!("not {}", self.rule(depth - 1)?),
            _ => format!("({})", self.rule(depth - 1)?),
        })
    }

    fn comparison(&mut self) -> Result<String> {
        let i = self.u.choose_index(self.issues.len())?;
        let id = self.issues[i].id.clone();
        // Order comparisons apply to numbers and ordered options only.
        let n_ops = if matches!(self.issues[i].kind, KindGen::Options(_)) && !self.issues[i].ordered { 2 } else { 6 };
        let op = ["==", "!=", "<", "<=", ">", ">="][self.u.choose_index(n_ops)?];
        Ok(match self.issues[i].kind.clone() {
            KindGen::Options(options) => {
                let o = options[self.u.choose_index(options.len())?].clone();
                if self.odds(3)? {
                    let other = options[self.u.choose_index(options.len())?].clone();
                    format!("{id} in ['{o}', '{other}']")
                } else {
                    format!("{id} {op} '{o}'")
                }
            }
            KindGen::Integer(..) | KindGen::Continuous(..) => format!("{id} {op} {}", self.value(i)?),
        })
    }

    /// A value of issue `i` as TOML: an option, or a number mostly inside
    /// its range (an end, the middle), now and then an edge number.
    fn value(&mut self, i: usize) -> Result<String> {
        Ok(match &self.issues[i].kind {
            KindGen::Options(options) => quote(&options[self.u.choose_index(options.len())?]),
            &KindGen::Integer(min, max) => match self.u.choose_index(4)? {
                0 => min.to_string(),
                1 => max.to_string(),
                3 if self.wild => self.integer()?.to_string(),
                _ => (min / 2 + max / 2).to_string(),
            },
            &KindGen::Continuous(min, max) => float(match self.u.choose_index(4)? {
                0 => min,
                1 => max,
                3 if self.wild => self.float()?,
                _ => min / 2.0 + max / 2.0,
            }),
        })
    }

    /// An id: short, or very long now and then (ids cannot hold control
    /// characters; names and labels can).
    fn id(&mut self, prefix: &str, k: usize) -> Result<String> {
        Ok(if self.odds(16)? { format!("{prefix}{k}_{}", "x".repeat(10_000)) } else { format!("{prefix}{k}") })
    }

    /// Free text: plain, weird characters, or very long.
    fn text(&mut self) -> Result<String> {
        Ok(match self.u.choose_index(4)? {
            0 => "fuzz".to_string(),
            1 => {
                let n = self.count(&[1, 3, 8])?;
                let mut s = String::new();
                for _ in 0..n {
                    s.push_str(WEIRD[self.u.choose_index(WEIRD.len())?]);
                }
                s
            }
            2 => "n".repeat(self.count(&[100, 70_000])?),
            _ => {
                let n = self.u.arbitrary_len::<u8>()?.min(40);
                String::from_utf8_lossy(self.u.bytes(n)?).into_owned()
            }
        })
    }

    fn integer(&mut self) -> Result<i64> {
        Ok(if self.odds(4)? { self.u.arbitrary()? } else { INTEGERS[self.u.choose_index(INTEGERS.len())?] })
    }

    fn float(&mut self) -> Result<f64> {
        Ok(match self.u.choose_index(32)? {
            0 if self.wild => NON_FINITE[self.u.choose_index(NON_FINITE.len())?],
            1..=4 => {
                let x: f64 = self.u.arbitrary()?;
                if x.is_finite() || self.wild {
                    x
                } else {
                    0.0
                }
            }
            _ => FLOATS[self.u.choose_index(FLOATS.len())?],
        })
    }

    /// A number meant for 0..=1 (salience, reservation, discount): mostly
    /// inside, at the ends or one ulp away, now and then any edge number.
    fn unit(&mut self) -> Result<f64> {
        const UNIT: &[f64] = &[0.5, 1.0, 0.0, 5e-324, 0.9999999999999999, 2.2250738585072014e-308, 0.25, 1e-300];
        Ok(if self.wild && self.odds(32)? { self.float()? } else { UNIT[self.u.choose_index(UNIT.len())?] })
    }

    fn pick_actor(&mut self) -> Result<String> {
        Ok(self.actors[self.u.choose_index(self.actors.len())?].clone())
    }

    /// One of `choices`, the first when the bytes run out.
    fn count(&mut self, choices: &[usize]) -> Result<usize> {
        Ok(choices[self.u.choose_index(choices.len())?])
    }

    /// True with probability 1/n (false when the bytes run out).
    fn odds(&mut self, n: u8) -> Result<bool> {
        Ok(self.u.int_in_range(1..=n)? == n && n > 0)
    }

    fn line(&mut self, key: &str, text: &str) {
        self.out.push_str(&format!("{key} = {}\n", quote(text)));
    }
}

/// A TOML basic string: quotes and backslashes escaped, control characters
/// as `\uXXXX` (TOML allows no raw control character but tab).
fn quote(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// A double as a TOML float (`nan`, `inf` and `-inf` included).
fn float(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        let s = format!("{x:?}");
        if s.contains(['.', 'e']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}
