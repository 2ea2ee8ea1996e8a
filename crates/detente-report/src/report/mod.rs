//! The report `detente report` writes: the scenario in tables, the
//! deal-space analysis in plain language with its figure, the perceived
//! deal spaces, and the scenario's `source` notes as numbered footnotes.
//!
//! [`build`] assembles a small document model ([`Report`]: headings,
//! paragraphs, lists, tables, figures, footnotes); [`html::render`] and
//! [`markdown::render`] write the same model, so the HTML and Markdown
//! reports cannot drift apart. The HTML file is self-contained (inline SVG
//! and CSS; no script, font, stylesheet or image is fetched); the Markdown
//! file refers to its figures as SVG files written beside it.
//!
//! The forecasts section runs every registered forecast model on every
//! issue, and the trajectories and a small seeded Monte Carlo study of
//! [`FORECAST_MODEL`], so the report stays deterministic. The simulated
//! talks section runs the stacked alternating offers protocol with every
//! party playing each of [`TALKS_STRATEGIES`] in turn (deterministic
//! strategies, so no seed matters) and draws the Linear session on the
//! utility plane.

pub mod html;
pub mod markdown;

use detente::analysis::space::count_text;
use detente::analysis::{Analysis, Point};
use detente::budget::{Budget, Cancelled};
use detente::negotiation::domain::DomainConfig;
use detente::scenario::Scenario;

use crate::analysis::blocker_sentence;
use crate::plot::{self, Figure};
pub use crate::text::fmt_num;
use crate::text::{domain_text, plural, reservation_text, stance_text};

/// A report, ready to render.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The scenario's name.
    pub title: String,
    /// Body blocks in reading order.
    pub blocks: Vec<Block>,
    /// Footnote texts; `Inline::Footnote(n)` refers to `footnotes[n - 1]`.
    pub footnotes: Vec<String>,
    /// Figures; `Block::Figure(k)` refers to `figures[k]`.
    pub figures: Vec<Figure>,
}

/// A block of the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading of level 2 or 3, with an anchor id.
    Heading(u8, String, String),
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A numbered (`true`) or bulleted list.
    List(bool, Vec<Vec<Inline>>),
    /// A table.
    Table(Table),
    /// A figure, by index into `Report::figures`.
    Figure(usize),
}

/// A table: header and rows of cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows of cells; every row has one cell per column.
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// Columns holding numbers (aligned right).
    pub numeric: Vec<bool>,
}

/// Inline content.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// An identifier or rule, in code type.
    Code(String),
    /// Emphasised text.
    Strong(String),
    /// A reference to footnote `n` (1-based).
    Footnote(usize),
}

fn text(t: impl Into<String>) -> Inline {
    Inline::Text(t.into())
}

fn code(t: impl Into<String>) -> Inline {
    Inline::Code(t.into())
}

/// Splits text with `backticked` spans into text and code.
fn with_code(t: &str) -> Vec<Inline> {
    t.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(k, part)| if k % 2 == 1 { code(part) } else { text(part) })
        .collect()
}

/// Numbers the `source` notes in order of first citation; a note cited
/// twice keeps its number.
#[derive(Default)]
struct Notes {
    list: Vec<String>,
}

impl Notes {
    fn cite(&mut self, note: &Option<String>) -> Option<Inline> {
        let note = note.as_ref()?.trim();
        if note.is_empty() {
            return None;
        }
        let n = match self.list.iter().position(|x| x == note) {
            Some(k) => k + 1,
            None => {
                self.list.push(note.to_string());
                self.list.len()
            }
        };
        Some(Inline::Footnote(n))
    }
}

/// An outcome in words: the issues it changes from the status quo (all
/// issues when there is none).
fn outcome_inlines(s: &Scenario, p: &Point) -> Vec<Inline> {
    let value = |i: usize| s.issues[i].domain.display(&p.outcome[i]);
    let Some(sq) = &s.status_quo else {
        let all: Vec<String> = (0..s.issues.len()).map(|i| format!("{} = {}", s.issues[i].id, value(i))).collect();
        return vec![code(all.join(", "))];
    };
    let changed: Vec<String> = (0..s.issues.len())
        .filter(|&i| p.outcome[i] != sq[i])
        .map(|i| format!("{} = {}", s.issues[i].id, value(i)))
        .collect();
    if changed.is_empty() {
        vec![text("the status quo")]
    } else {
        vec![code(changed.join(", ")), text(" (the rest as the status quo)")]
    }
}

fn utilities_text(s: &Scenario, a: &Analysis, p: &Point) -> String {
    a.parties
        .iter()
        .enumerate()
        .map(|(k, &party)| format!("{} {:.3}", s.actors[party].id, p.utilities[k]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Most rows shown for a frontier; the rest are counted.
const MAX_FRONTIER_ROWS: usize = 20;

/// Builds the report of `s` and its analysis `a`. Give the analysis a
/// density ([`plot::plane::density_config`]) for a figure with every
/// outcome.
pub fn build(s: &Scenario, a: &Analysis) -> Report {
    build_with_power(s, a, None)
}

/// [`build`] for a scenario read from a stakeholder table: its per-issue
/// power (`power[actor][issue]`, [`detente::Loaded::table_power`]) weighs
/// the forecasts, as in `detente forecast`, where the table gives it.
pub fn build_with_power(s: &Scenario, a: &Analysis, power: Option<&[Vec<Option<f64>>]>) -> Report {
    let budget = Budget::new(DomainConfig::default().max_outcomes as u128);
    build_with_budget(s, a, power, &budget)
        .unwrap_or_else(|Cancelled| unreachable!("a flag nobody else holds is never set"))
}

/// [`build_with_power`] within `budget`: the simulated talks and the
/// constrained forecasts enumerate at most `budget.max_outcomes` outcomes
/// (`report --max-outcomes`), and a set flag stops the forecasts, the
/// Monte Carlo study and the talks, ending with [`Cancelled`].
pub fn build_with_budget(
    s: &Scenario,
    a: &Analysis,
    power: Option<&[Vec<Option<f64>>]>,
    budget: &Budget,
) -> Result<Report, Cancelled> {
    let mut notes = Notes::default();
    let mut blocks = Vec::new();
    let mut figures = Vec::new();
    let h2 = |t: &str, id: &str| Block::Heading(2, t.into(), id.into());
    let h3 = |t: &str, id: &str| Block::Heading(3, t.into(), id.into());

    // Opening: what the scenario is, and the verdict.
    if let Some(d) = &s.description {
        let mut p = vec![text(d.split_whitespace().collect::<Vec<_>>().join(" "))];
        p.extend(notes.cite(&s.source));
        blocks.push(Block::Paragraph(p));
    } else if let Some(f) = notes.cite(&s.source) {
        blocks.push(Block::Paragraph(vec![text("Sources of the scenario."), f]));
    }
    blocks.push(Block::Paragraph(verdict(s, a)));

    // The deal space.
    blocks.push(h2("The deal space", "deal-space"));
    blocks.push(Block::Paragraph(vec![text(
        "A party accepts an outcome it prefers to no agreement; a ratifier or veto holder accepts one that leaves it no worse off. The agreement set holds the outcomes that satisfy every constraint and that every required actor accepts.",
    )]));
    if let Ok(fig) = plot::utility_plane(s, a) {
        figures.push(fig);
        blocks.push(Block::Figure(figures.len() - 1));
    }
    deal_space(s, a, &mut blocks);
    firmness(s, &mut blocks);

    if !a.perceptions.is_empty() {
        blocks.push(h2("Perceived deal spaces", "perceptions"));
        blocks.push(Block::Paragraph(vec![text(
            "Each actor that holds beliefs sees the deal space through them: the outcomes it believes acceptable to all, against those that really are.",
        )]));
        perceptions(s, a, &mut blocks);
    }

    if !s.types.is_empty() || !s.pressures.is_empty() {
        blocks.push(h2("Uncertain types and pressure", "types"));
        types_and_pressure(s, budget, &mut blocks)?;
    }

    // The scenario.
    blocks.push(h2("The scenario", "scenario"));
    let count = match s.outcome_count_decimal() {
        Some(_) if a.moot > 0 => format!(
            "{} outcomes (and {} combinations that differ from them only in issues that do not apply there)",
            count_text(&a.outcome_count_decimal),
            a.moot
        ),
        Some(n) => format!("{} outcomes", count_text(&n)),
        None => format!("{} outcomes once continuous issues are discretised", count_text(&a.outcome_count_decimal)),
    };
    blocks.push(Block::Paragraph(vec![text(format!(
        "{}, {}, {}, {}; {count}.",
        plural(s.issues.len() as u64, "issue", "issues"),
        plural(s.actors.len() as u64, "actor", "actors"),
        plural(s.constraints.len() as u64, "constraint", "constraints"),
        plural(s.beliefs.len() as u64, "belief", "beliefs"),
    ))]));
    blocks.push(h3("Issues", "issues"));
    let mut rows = Vec::new();
    for (i, issue) in s.issues.iter().enumerate() {
        let mut id = vec![code(&issue.id)];
        id.extend(notes.cite(&issue.source));
        let sq = s.status_quo.as_ref().map(|sq| issue.domain.display(&sq[i])).unwrap_or_default();
        let mut about = issue.name.clone().unwrap_or_default();
        if let Some(d) = &issue.description {
            if !about.is_empty() {
                about.push_str(". ");
            }
            about.push_str(&d.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        rows.push(vec![id, vec![text(about)], vec![text(domain_text(&issue.domain))], vec![text(sq)]]);
    }
    blocks.push(table(&["issue", "what it is", "values", "status quo"], &[false; 4], rows));

    blocks.push(h3("Actors", "actors"));
    let mut rows = Vec::new();
    for (k, actor) in s.actors.iter().enumerate() {
        let mut id = vec![code(&actor.id)];
        id.extend(notes.cite(&actor.source));
        let list =
            |v: &[usize], name: &dyn Fn(usize) -> String| v.iter().map(|&x| name(x)).collect::<Vec<_>>().join(", ");
        rows.push(vec![
            id,
            vec![text(actor.name.clone().unwrap_or_default())],
            vec![text(actor.role.as_str())],
            vec![text(fmt_num(actor.capability))],
            vec![text(reservation_text(s, k))],
            vec![text(list(&actor.ratifiers, &|r| s.actors[r].id.clone()))],
            vec![text(list(&actor.vetoes, &|i| s.issues[i].id.clone()))],
        ]);
    }
    blocks.push(table(
        &["actor", "name", "role", "capability", "reservation", "ratifiers", "vetoes"],
        &[false, false, false, true, false, false, false],
        rows,
    ));

    blocks.push(h3("Stances", "stances"));
    blocks.push(Block::Paragraph(vec![text(
        "What each actor wants on each issue: its ideal position (or its value for each option) and how much the issue matters to it; the weight is the salience scaled so that an actor's weights sum to 1.",
    )]));
    let mut rows = Vec::new();
    for actor in &s.actors {
        for (st, w) in actor.stances.iter().zip(actor.weights()) {
            let mut wants = vec![text(stance_text(s, st.issue, &st.value))];
            wants.extend(notes.cite(&st.source));
            rows.push(vec![
                vec![code(&actor.id)],
                vec![code(&s.issues[st.issue].id)],
                wants,
                vec![text(fmt_num(st.salience))],
                vec![text(fmt_num(w))],
            ]);
        }
    }
    blocks.push(table(
        &["actor", "issue", "position or values", "salience", "weight"],
        &[false, false, false, true, true],
        rows,
    ));

    if !s.constraints.is_empty() {
        blocks.push(h3("Constraints", "constraints"));
        let mut rows = Vec::new();
        for c in &s.constraints {
            let mut label = vec![code(&c.label)];
            label.extend(notes.cite(&c.source));
            let about = c
                .description
                .as_deref()
                .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            rows.push(vec![
                label,
                vec![code(&s.actors[c.owner].id)],
                vec![text(c.kind().as_str())],
                vec![code(&c.rule_text)],
                vec![text(about)],
            ]);
        }
        blocks.push(table(&["constraint", "owner", "kind", "rule", "what it means"], &[false; 5], rows));
    }

    if !s.beliefs.is_empty() {
        blocks.push(h3("Beliefs", "beliefs"));
        let mut rows = Vec::new();
        for b in &s.beliefs {
            let mut holder = vec![code(&s.actors[b.holder].id)];
            holder.extend(notes.cite(&b.source));
            let (res, stances, dropped) = crate::text::belief_texts(s, b, "; ");
            rows.push(vec![
                holder,
                vec![code(&s.actors[b.about].id)],
                vec![text(res)],
                vec![text(stances)],
                vec![text(dropped)],
            ]);
        }
        blocks.push(table(
            &["holder", "about", "believed reservation", "believed stances", "believes dropped"],
            &[false; 5],
            rows,
        ));
    }
    if !s.types.is_empty() {
        blocks.push(h3("Types", "types-table"));
        let rows = s
            .types
            .iter()
            .map(|t| {
                let mut name = vec![code(&t.name)];
                name.extend(notes.cite(&t.source));
                let stances: Vec<String> = t.stances.iter().map(|st| crate::text::stance_line(s, st)).collect();
                let dropped: Vec<&str> =
                    t.dropped_constraints.iter().map(|&c| s.constraints[c].label.as_str()).collect();
                let reservation = match t.reservation {
                    Some(detente::scenario::Reservation::Value(v)) => crate::text::fmt_num(v),
                    Some(detente::scenario::Reservation::StatusQuo) => "status quo".into(),
                    None => String::new(),
                };
                vec![
                    vec![code(&s.actors[t.actor].id)],
                    name,
                    vec![text(crate::text::fmt_num(t.prior))],
                    vec![text(reservation)],
                    vec![text(stances.join("; "))],
                    vec![text(dropped.join(", "))],
                ]
            })
            .collect();
        blocks.push(table(
            &["actor", "type", "prior", "reservation", "stances", "does not insist on"],
            &[false, false, true, true, false, false],
            rows,
        ));
    }
    if !s.pressures.is_empty() {
        blocks.push(h3("Pressures", "pressures-table"));
        let rows = s
            .pressures
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let mut label = vec![code(&p.label)];
                label.extend(notes.cite(&p.source));
                vec![
                    label,
                    vec![code(&s.actors[p.by].id)],
                    vec![code(&s.actors[p.on].id)],
                    vec![code(&p.rule_text)],
                    vec![text(crate::text::fmt_num(s.pressure_cost(k)))],
                ]
            })
            .collect();
        blocks.push(table(&["pressure", "by", "on", "where", "cost"], &[false, false, false, false, true], rows));
    }
    if !s.statements.is_empty() {
        blocks.push(h3("Statements", "statements-table"));
        let rows = s
            .statements
            .iter()
            .map(|st| {
                let mut id = vec![code(&st.id)];
                id.extend(notes.cite(&st.source));
                let heard: Vec<&str> = st.heard_by.iter().map(|&a| s.actors[a].id.as_str()).collect();
                let reactions: Vec<String> = st.reactions.iter().map(|c| c.describe(s)).collect();
                let made: Vec<&str> = s
                    .events
                    .iter()
                    .filter(|e| e.statements.iter().any(|&k| s.statements[k].id == st.id))
                    .map(|e| e.title())
                    .collect();
                vec![
                    id,
                    vec![code(&s.actors[st.by].id)],
                    vec![text(st.kind.as_str())],
                    vec![text(st.says.clone().unwrap_or_default())],
                    vec![code(st.pledge_text.as_deref().unwrap_or(""))],
                    vec![text(if st.audience_cost > 0.0 {
                        crate::text::fmt_num(st.audience_cost)
                    } else {
                        String::new()
                    })],
                    vec![text(heard.join(", "))],
                    vec![text(reactions.join("; "))],
                    vec![text(if made.is_empty() { "not in the file's events".to_string() } else { made.join(", ") })],
                ]
            })
            .collect();
        blocks.push(table(
            &["statement", "by", "kind", "says", "pledge", "audience cost", "heard by", "reactions", "made at"],
            &[false, false, false, false, false, true, false, false, false],
            rows,
        ));
    }

    blocks.push(h2("Forecasts", "forecasts"));
    forecasts(s, power, budget, &mut blocks, &mut figures);
    blocks.push(h2("Simulated talks", "talks"));
    talks(s, a, budget, &mut blocks, &mut figures);
    if !a.notes.is_empty() {
        blocks.push(h2("Notes on the analysis", "notes"));
        blocks.push(Block::List(false, a.notes.iter().map(|n| vec![text(n.clone())]).collect()));
    }
    // A step the flag stopped left its section out: the report is not whole.
    budget.cancel.check()?;
    Ok(Report { title: s.name.clone(), blocks, footnotes: notes.list, figures })
}

/// The strategies the report's simulated talks give every party, in turn.
pub const TALKS_STRATEGIES: [&str; 3] = ["boulware", "linear", "conceder"];
/// The deadline of the report's simulated talks, in rounds.
pub const TALKS_ROUNDS: usize = 100;

/// The simulated talks section: a table of sessions (every party playing the
/// same strategy) and the Linear session on the utility plane.
fn talks(s: &Scenario, a: &Analysis, budget: &Budget, blocks: &mut Vec<Block>, figures: &mut Vec<Figure>) {
    use detente::negotiation::alternating::AlternatingOffers;
    use detente::negotiation::domain::{Domain, Reference, RejectionRole};
    use detente::negotiation::evaluate::evaluate;
    use detente::negotiation::{registry, run_with, Deadline};

    let mut config = DomainConfig::default();
    config.max_outcomes = config.max_outcomes.min(budget.max_outcomes.min(u64::MAX as u128) as u64);
    let domain = match Domain::new_with(s, &config, &budget.cancel, &|_, _| {}) {
        Ok(d) => d,
        Err(e) => {
            blocks.push(Block::Paragraph(vec![text(format!("No talks can be simulated: {e}."))]));
            return;
        }
    };
    let parties = domain.parties().to_vec();
    let reference = Reference::new(&domain, &parties);
    let deadline = Deadline::rounds(TALKS_ROUNDS);
    let protocol = AlternatingOffers { deadline };
    blocks.push(Block::Paragraph(vec![
        text(format!(
            "Talks under the stacked alternating offers protocol, {TALKS_ROUNDS} rounds, every party playing the same time-dependent strategy (Boulware holds out, Linear concedes steadily, Conceder concedes early), in the scenario's party order; a party never offers or accepts what breaks a constraint it believes holds. Other strategies and pairings: "
        )),
        code("detente negotiate"),
        text(" and "),
        code("detente tournament"),
        text("."),
    ]));
    let mut header = vec!["strategy".to_string(), "result".to_string(), "round".to_string()];
    header.extend(parties.iter().map(|&p| s.actors[p].id.clone()));
    let mut rows = Vec::new();
    let mut linear_figure = None;
    for name in TALKS_STRATEGIES {
        let specs: Vec<_> = parties.iter().map(|_| registry::parse(name).expect("registered")).collect();
        let Ok(session) = run_with(&protocol, &domain, &parties, &specs, 1, true, &budget.cancel) else { continue };
        let evaluation = evaluate(&domain, &reference, &session);
        let result = match (session.agreement, evaluation.stands) {
            (Some(_), true) => "agreement".to_string(),
            (Some(_), false) => {
                let who: Vec<String> = evaluation
                    .rejections
                    .iter()
                    .map(|r| match r.role {
                        RejectionRole::Constraint(c) => format!("breaks {}", s.constraints[c].label),
                        _ => format!("rejected by {}", s.actors[r.actor].id),
                    })
                    .collect();
                format!("agreement that does not stand ({})", who.join(", "))
            }
            (None, _) => "no agreement".to_string(),
        };
        let mut row = vec![vec![code(name)], vec![text(result)], vec![text(session.rounds.to_string())]];
        row.extend(evaluation.utilities.iter().map(|&u| vec![text(fmt_num(u))]));
        rows.push(row);
        if name == "linear" {
            let defaulted = vec![false; parties.len()];
            let labels: Vec<String> = specs.iter().map(ToString::to_string).collect();
            let t = crate::negotiation::Talks {
                scenario: s,
                domain: &domain,
                protocol: "alternating",
                deadline,
                seed: 1,
                strategies: &labels,
                defaulted: &defaulted,
                session: &session,
                evaluation: &evaluation,
            };
            linear_figure = crate::negotiation::plot(&t, a).ok();
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut numeric = vec![false, false, true];
    numeric.extend(parties.iter().map(|_| true));
    blocks.push(table(&header, &numeric, rows));
    blocks.push(Block::Paragraph(vec![text(
        "Utilities are each party's result: the agreement when it stands, otherwise its reservation value.",
    )]));
    if let Some(fig) = linear_figure {
        figures.push(fig);
        blocks.push(Block::Figure(figures.len() - 1));
    }
}

/// The iterating model whose trajectories and sensitivity the report shows:
/// the replication of the expected-utility model, the literature's
/// reference.
pub const FORECAST_MODEL: &str = "eum-replication";
/// Monte Carlo runs of the report's sensitivity study: enough for a steady
/// central 80% interval, few enough that the report stays quick.
pub const MONTE_CARLO_RUNS: usize = 500;
/// Its seed, fixed so that the report is the same every time.
pub const MONTE_CARLO_SEED: u64 = 1;

/// The forecasts section: every registered model on every issue (a table),
/// the trajectories of [`FORECAST_MODEL`] and its Monte Carlo sensitivity
/// (distribution and tornado) with the default perturbations.
fn forecasts(
    s: &Scenario,
    power: Option<&[Vec<Option<f64>>]>,
    budget: &Budget,
    blocks: &mut Vec<Block>,
    figures: &mut Vec<Figure>,
) {
    use detente::forecast::issues::{forecast_issues, forecast_scenario_with, Config, MonteCarloSettings};
    use detente::forecast::montecarlo::default_perturbations;
    use detente::forecast::registry::{self, MODELS};

    use crate::plot::trajectory::{decimals, value_text};

    // Models that forecast issue by issue; the spatial model forecasts all
    // issues jointly (`spatial_forecasts`).
    let models: Vec<&'static registry::ModelInfo> = MODELS.iter().filter(|m| !m.spatial).collect();
    let all = forecast_issues(s, power, &Config { models: models.clone(), max_rounds: None, monte_carlo: None });
    if all.iter().all(|f| f.input.is_none()) {
        blocks.push(Block::Paragraph(vec![text(
            "No issue can be forecast: the forecast models need issues with a scale or ordered options and actors with positions on them.",
        )]));
        return;
    }
    blocks.push(Block::Paragraph(vec![
        text("Each issue is forecast on its own from the actors' positions, saliences and capabilities, by every forecast model ("),
        code("detente forecast"),
        text("). A forecast is a position on the issue's scale; on issues with options, 0 is the first option, and a forecast between two options is shown with the nearest."),
    ]));
    let mut header = vec!["issue"];
    header.extend(models.iter().map(|m| m.name));
    let mut rows = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let mut not_forecast = Vec::new();
    for f in &all {
        let issue = &s.issues[f.issue];
        let Some(input) = &f.input else {
            // The diagnostics name the issue themselves.
            let why: Vec<String> = f.diagnostics.iter().map(|d| d.message.clone()).collect();
            not_forecast.push(if why.is_empty() { format!("`{}`", issue.id) } else { why.join("; ") });
            continue;
        };
        let span = input.dimensions()[0].max - input.dimensions()[0].min;
        let mut row = vec![vec![code(&issue.id)]];
        for run in &f.runs {
            row.push(vec![text(match &run.result {
                Ok(r) => match r.cycle() {
                    // An oscillation has no single forecast: its range.
                    Some(c) => format!(
                        "oscillates between {} and {} (period {})",
                        value_text(s, f.issue, c.range[0].0, decimals(span)),
                        value_text(s, f.issue, c.range[0].1, decimals(span)),
                        c.period
                    ),
                    None => value_text(s, f.issue, r.last().forecast1(), decimals(span)),
                },
                Err(e) => {
                    let why = format!("{}: {e}", run.model);
                    if !failures.contains(&why) {
                        failures.push(why);
                    }
                    "—".into()
                }
            })]);
        }
        rows.push(row);
    }
    let mut numeric = vec![false];
    numeric.extend(models.iter().map(|_| true));
    blocks.push(table(&header, &numeric, rows));
    if !failures.is_empty() {
        blocks.push(Block::Paragraph(vec![text("A dash means that the model could not forecast the issue:")]));
        blocks.push(Block::List(false, failures.iter().map(|w| vec![text(format!("{w}."))]).collect()));
    }
    if !not_forecast.is_empty() {
        blocks.push(Block::Paragraph(with_code(&format!("Not forecast: {}.", not_forecast.join("; ")))));
    }
    spatial_forecasts(s, power, budget, blocks);
    whole_outcome_forecasts(s, power, budget, blocks);

    let Some(info) = registry::model(FORECAST_MODEL) else { return };
    let settings =
        MonteCarloSettings { runs: MONTE_CARLO_RUNS, seed: MONTE_CARLO_SEED, perturbations: default_perturbations() };
    let config = Config { models: vec![info], max_rounds: None, monte_carlo: Some(settings) };
    let Ok(studied) = forecast_scenario_with(s, power, &config, &|_, _| {}, budget).map(|f| f.issues) else { return };
    if let Ok(fig) = plot::trajectories(s, &studied, FORECAST_MODEL) {
        blocks.push(Block::Heading(3, "Round by round".into(), "forecast-trajectories".into()));
        blocks.push(Block::Paragraph(with_code(&format!(
            "The expected-utility model (`{FORECAST_MODEL}`) lets actors challenge, compromise and give way round by round; the forecast each round is the weighted median of the positions. Each panel follows every actor's position and the forecast over the model's ten rounds."
        ))));
        figures.push(fig);
        blocks.push(Block::Figure(figures.len() - 1));
    }
    let distribution = plot::distribution(s, &studied, FORECAST_MODEL);
    let tornado = plot::tornado(s, &studied, FORECAST_MODEL);
    if distribution.is_ok() || tornado.is_ok() {
        blocks.push(Block::Heading(3, "How sure".into(), "forecast-sensitivity".into()));
        blocks.push(Block::Paragraph(with_code(&format!(
            "The data are estimates, so the model ran {MONTE_CARLO_RUNS} more times on each issue with every position, salience and capability perturbed (normal noise: 5% of the scale on positions, 0.05 on saliences, 10% on capabilities; seed {MONTE_CARLO_SEED}). The histograms show where the forecast lands; the tornado shows which single input moves it most when set alone to the 10% or 90% quantile of its noise. The same study: `detente forecast SCENARIO --model {FORECAST_MODEL} --monte-carlo {MONTE_CARLO_RUNS} --seed {MONTE_CARLO_SEED} --plot forecast.svg`."
        ))));
        for fig in [distribution, tornado].into_iter().flatten() {
            figures.push(fig);
            blocks.push(Block::Figure(figures.len() - 1));
        }
    }
}

/// How firmly the verdict holds over the file's `[[uncertain]]` judgements
/// (the quick study `detente analyze` quotes): the share, what flips it,
/// where the deals are, and the Sobol indices.
fn firmness(s: &Scenario, blocks: &mut Vec<Block>) {
    use crate::robustness::{boxes_text, firmness_sentence};

    let Some(result) = detente::robustness::quick(s, &detente::analysis::Config::new()) else { return };
    blocks.push(Block::Heading(2, "How firm the verdict is".into(), "robustness".into()));
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            blocks.push(Block::Paragraph(vec![text(format!("The robustness study could not run: {e}."))]));
            return;
        }
    };
    blocks.push(Block::Paragraph(with_code(&format!(
        "Every number marked uncertain in the file was varied over its range ({} base samples of Saltelli's scheme, seed {}; `detente robustness` runs the full study). {}",
        r.samples,
        r.seed,
        firmness_sentence(&r)
    ))));
    let boxes = boxes_text(&r);
    if !boxes.is_empty() {
        blocks.push(Block::Paragraph(vec![text("Where the deals are (PRIM boxes):")]));
        blocks.push(Block::List(false, boxes.iter().map(|b| vec![text(b.clone())]).collect()));
    }
    let rows = r
        .judgements
        .iter()
        .enumerate()
        .map(|(k, j)| {
            let ix = r.indices.as_ref().map(|ix| &ix[k]);
            let cell = |v: Option<f64>| vec![text(v.map_or("—".to_string(), |v| format!("{v:.3}")))];
            vec![
                vec![code(&j.path)],
                vec![text(format!(
                    "{} ({} to {})",
                    crate::text::fmt_num(j.file_value),
                    crate::text::fmt_num(j.low),
                    crate::text::fmt_num(j.high)
                ))],
                cell(ix.map(|i| i.first)),
                cell(ix.map(|i| i.total)),
                vec![text(
                    r.breakpoints[k].as_ref().map_or("never alone".to_string(), |b| crate::text::fmt_num(b.value)),
                )],
            ]
        })
        .collect();
    blocks.push(table(
        &["judgement", "file value (range)", "first-order index", "total index", "flips the verdict at"],
        &[false, false, true, true, true],
        rows,
    ));
}

/// Every model's forecasts taken together as one outcome, checked against
/// the constraints (`detente::forecast::outcome`).
fn whole_outcome_forecasts(s: &Scenario, power: Option<&[Vec<Option<f64>>]>, budget: &Budget, blocks: &mut Vec<Block>) {
    use detente::forecast::issues::{forecast_scenario_with, Config};
    use detente::forecast::registry::MODELS;

    if s.constraints.is_empty() {
        return;
    }
    let config = Config { models: MODELS.iter().collect(), max_rounds: None, monte_carlo: None };
    let Ok(outcomes) = forecast_scenario_with(s, power, &config, &|_, _| {}, budget).map(|f| f.outcomes) else {
        return;
    };
    if outcomes.is_empty() {
        return;
    }
    let broken = outcomes.iter().filter(|o| !o.breaks.is_empty()).count();
    blocks.push(Block::Heading(3, "The forecasts against the constraints".into(), "forecast-constraints".into()));
    blocks.push(Block::Paragraph(vec![text(format!(
        "The forecast models read positions, saliences and capabilities, not red lines, preconditions or linkages. Taken together as one outcome (an issue without a single forecast at the status quo), {broken} of the {} models' forecasts break a constraint. Beside each, the nearest outcome that no constraint forbids, weighing each issue by the capability × salience the actors bring to it (distance 0 is the forecast itself, 1 every issue at the far end).",
        outcomes.len()
    ))]));
    let items = outcomes
        .iter()
        .map(|o| {
            let mut line = format!("`{}`: {}", o.model, crate::text::changes_text(s, &o.outcome));
            if o.breaks.is_empty() {
                line.push_str(" — breaks no constraint.");
            } else {
                let names: Vec<String> = o
                    .breaks
                    .iter()
                    .map(|&c| format!("`{}` ({})", s.constraints[c].label, s.actors[s.constraints[c].owner].id))
                    .collect();
                line.push_str(&format!(" — breaks {}", names.join(", ")));
                match &o.constrained {
                    Some(Ok(c)) => line.push_str(&format!(
                        "; nearest allowed (distance {:.3}): {}.",
                        c.distance,
                        crate::text::changes_text(s, &c.outcome)
                    )),
                    Some(Err(why)) => line.push_str(&format!("; no constrained forecast: {why}.")),
                    None => line.push('.'),
                }
            }
            with_code(&line)
        })
        .collect();
    blocks.push(Block::List(false, items));
}

/// The spatial models' forecast of all issues at once (a scenario with
/// several issues): one column per model, a row per issue it placed.
fn spatial_forecasts(s: &Scenario, power: Option<&[Vec<Option<f64>>]>, budget: &Budget, blocks: &mut Vec<Block>) {
    use detente::forecast::issues::{forecast_scenario_with, Config};
    use detente::forecast::registry::MODELS;
    use detente::forecast::runner::Termination;

    use crate::plot::trajectory::{decimals, value_text};

    let models: Vec<_> = MODELS.iter().filter(|m| m.spatial).collect();
    if s.issues.len() < 2 || models.is_empty() {
        return;
    }
    let config = Config { models, max_rounds: None, monte_carlo: None };
    let Ok(Some(joint)) = forecast_scenario_with(s, power, &config, &|_, _| {}, budget).map(|f| f.spatial) else {
        return;
    };
    let Some(input) = &joint.input else { return };
    let runs: Vec<_> = joint.runs.iter().filter_map(|r| r.result.as_ref().ok().map(|run| (r.model, run))).collect();
    if runs.is_empty() {
        return;
    }
    blocks.push(Block::Heading(3, "All issues at once".into(), "forecast-spatial".into()));
    let partial = joint.diagnostics.iter().any(|d| d.code == "forecast::no-position");
    let mut sentence = format!(
        "KAPSARC's spatial model of politics (`ktab-smp`) lets the {} challenge and bargain on the {} that lie on a line together, so a concession on one issue can buy support on another.",
        plural(input.actors().len() as u64, "actor", "actors"),
        plural(joint.issues.len() as u64, "issue", "issues")
    );
    if partial {
        sentence.push_str(" An actor without a position on some of them takes part as indifferent there.");
    }
    for (model, run) in &runs {
        let turns = run.last().round;
        sentence.push_str(&match run.termination {
            Termination::Converged => format!(" `{model}` settled after {}.", plural(turns as u64, "turn", "turns")),
            Termination::Cycle { period } => format!(
                " `{model}` never settles: after {} its positions repeat every {period} turns, so the table shows one point of an oscillation.",
                plural(turns as u64, "turn", "turns")
            ),
            _ => format!(" `{model}` stopped after {} without settling.", plural(turns as u64, "turn", "turns")),
        });
    }
    blocks.push(Block::Paragraph(with_code(&sentence)));
    let mut header = vec!["issue"];
    header.extend(runs.iter().map(|(m, _)| *m));
    let rows = joint
        .issues
        .iter()
        .zip(input.dimensions())
        .enumerate()
        .map(|(d, (&issue, dim))| {
            let mut row = vec![vec![code(&s.issues[issue].id)]];
            for (_, run) in &runs {
                row.push(vec![text(value_text(s, issue, run.forecast()[d], decimals(dim.max - dim.min)))]);
            }
            row
        })
        .collect();
    let mut numeric = vec![false];
    numeric.extend(runs.iter().map(|_| true));
    blocks.push(table(&header, &numeric, rows));
}

fn table(header: &[&str], numeric: &[bool], rows: Vec<Vec<Vec<Inline>>>) -> Block {
    Block::Table(Table { header: header.iter().map(|h| h.to_string()).collect(), rows, numeric: numeric.to_vec() })
}

/// The one-paragraph verdict at the top: the same words as `detente
/// analyze` opens with, the verdict itself in bold.
fn verdict(s: &Scenario, a: &Analysis) -> Vec<Inline> {
    let t = crate::analysis::verdict_text(s, a);
    let (head, rest) = t.split_once(": ").unwrap_or((&t, ""));
    let mut v = vec![Inline::Strong(format!("{head}:"))];
    v.extend(with_code(&format!(" {rest}")));
    let n = a.blockers.len();
    if !a.deal_exists && n > 0 {
        v.push(text(format!(
            " {} that open one {} listed below.",
            plural(n as u64, "minimal change", "minimal changes"),
            if n == 1 { "is" } else { "are" }
        )));
    }
    v
}

fn deal_space(s: &Scenario, a: &Analysis, blocks: &mut Vec<Block>) {
    let required: Vec<String> =
        a.required.iter().filter(|k| !a.parties.contains(k)).map(|&k| s.actors[k].id.clone()).collect();
    let mut facts = vec![vec![text(format!("Outcome space: {} outcomes", count_text(&a.outcome_count_decimal)))]];
    if !a.discretised.is_empty() {
        let grids: Vec<String> =
            a.discretised.iter().map(|(i, n)| format!("{} on {n} points", s.issues[*i].id)).collect();
        facts[0].push(text(format!(" (continuous issues discretised: {})", grids.join(", "))));
    }
    if !required.is_empty() {
        facts.push(vec![text(format!("Ratifiers whose acceptance is required: {}", required.join(", ")))]);
    }
    if !a.veto_holders.is_empty() {
        let v: Vec<String> = a.veto_holders.iter().map(|&k| s.actors[k].id.clone()).collect();
        facts.push(vec![text(format!("Veto holders: {}", v.join(", ")))]);
    }
    if let Some(o) = a.opposition {
        facts.push(vec![text(format!("Opposition between the parties: {o:.3} (0 = no conflict)"))]);
    }
    facts.push(vec![text(format!(
        "Pareto frontier of all outcomes: {}",
        plural(a.pareto_all.len() as u64, "point", "points")
    ))]);
    blocks.push(Block::List(false, facts));

    if !a.deal_exists {
        blocks.push(Block::Paragraph(vec![
            Inline::Strong("No agreement exists:".into()),
            text(" no outcome satisfies every constraint and is preferred to no agreement by every required actor."),
        ]));
        if a.blockers.is_empty() {
            blocks
                .push(Block::Paragraph(vec![text("No set of up to the searched number of relaxations opens a deal.")]));
            return;
        }
        blocks.push(Block::Paragraph(vec![text(
            "The smallest changes that open one (each is minimal: no part of it alone is enough; numbers match the figure):",
        )]));
        let items = a
            .blockers
            .iter()
            .map(|b| {
                let mut item = with_code(&blocker_sentence(s, b));
                item.push(text(format!(
                    " — opens {}. The best of them for the parties together: ",
                    plural(b.opens_count, "outcome", "outcomes")
                )));
                item.extend(outcome_inlines(s, &b.opens));
                item.push(text(format!("; utilities {}.", utilities_text(s, a, &b.opens))));
                item
            })
            .collect();
        blocks.push(Block::List(true, items));
        return;
    }
    let size = match a.agreement_set_size {
        Some(n) => plural(n, "outcome", "outcomes"),
        None => "not counted (issue-by-issue mode)".into(),
    };
    blocks.push(Block::Paragraph(vec![
        Inline::Strong("Agreement set:".into()),
        text(format!(" {size}; its Pareto frontier has {}.", plural(a.pareto.len() as u64, "point", "points"))),
    ]));
    let party_ids: Vec<String> = a.parties.iter().map(|&p| s.actors[p].id.clone()).collect();
    let mut header = vec!["solution".to_string()];
    header.extend(party_ids.iter().cloned());
    header.push("outcome".into());
    let mut numeric = vec![false];
    numeric.extend(party_ids.iter().map(|_| true));
    numeric.push(false);
    let row = |label: &str, p: &Point| {
        let mut r = vec![vec![text(label)]];
        r.extend(p.utilities.iter().map(|u| vec![text(format!("{u:.3}"))]));
        r.push(outcome_inlines(s, p));
        r
    };
    let mut rows = Vec::new();
    for (label, p) in [
        ("Nash", &a.solutions.nash),
        ("Kalai–Smorodinsky", &a.solutions.kalai_smorodinsky),
        ("egalitarian", &a.solutions.egalitarian),
        ("utilitarian", &a.solutions.utilitarian),
    ] {
        if let Some(p) = p {
            rows.push(row(label, p));
        }
    }
    blocks.push(Block::Heading(3, "Bargaining solutions".into(), "solutions".into()));
    blocks.push(Block::Table(Table { header: header.clone(), rows, numeric: numeric.clone() }));
    blocks.push(Block::Heading(3, "Pareto frontier of the agreement set".into(), "frontier".into()));
    let mut rows: Vec<Vec<Vec<Inline>>> =
        a.pareto.iter().take(MAX_FRONTIER_ROWS).enumerate().map(|(k, p)| row(&(k + 1).to_string(), p)).collect();
    if a.pareto.len() > MAX_FRONTIER_ROWS {
        let mut more = vec![vec![text("…")]];
        more.extend(party_ids.iter().map(|_| vec![text("")]));
        more.push(vec![text(format!("and {} more points", a.pareto.len() - MAX_FRONTIER_ROWS))]);
        rows.push(more);
    }
    header[0] = "point".into();
    blocks.push(Block::Table(Table { header, rows, numeric }));
    if !a.binding.is_empty() {
        blocks.push(Block::Heading(3, "Binding constraints".into(), "binding".into()));
        blocks.push(Block::Paragraph(vec![text(
            "Each of these alone excludes outcomes that every required actor accepts:",
        )]));
        let items = a
            .binding
            .iter()
            .map(|b| {
                let c = &s.constraints[b.constraint];
                let mut item = vec![
                    code(&c.label),
                    text(format!(" ({}, held by ", c.kind().as_str())),
                    code(&s.actors[c.owner].id),
                ];
                item.push(text(format!(") excludes {}", plural(b.excludes, "outcome", "outcomes"))));
                if let Some(p) = &b.nash_if_dropped {
                    item.push(text(format!("; without it the Nash point would move to {} (", utilities_text(s, a, p))));
                    item.extend(outcome_inlines(s, p));
                    item.push(text(")"));
                }
                item.push(text("."));
                item
            })
            .collect();
        blocks.push(Block::List(false, items));
    }
}

/// The type profiles and what each pressure removes, as `analyze` words
/// them: a sentence per heading line, a list for the lines under it.
fn types_and_pressure(s: &Scenario, budget: &Budget, blocks: &mut Vec<Block>) -> Result<(), Cancelled> {
    let config = detente::analysis::Config {
        max_outcomes: budget.max_outcomes,
        cancel: budget.cancel.clone(),
        ..Default::default()
    };
    let lines = match crate::types::Sections::run(s, &config) {
        Ok(sections) => sections.lines(s),
        Err(_) => return Err(Cancelled),
    };
    // A heading line is a paragraph; each line under it starts a list
    // item, and deeper lines run on in that item.
    let mut items: Vec<String> = Vec::new();
    let flush = |items: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !items.is_empty() {
            blocks.push(Block::List(false, items.drain(..).map(|i| with_code(&i)).collect()));
        }
    };
    for (depth, line) in lines {
        match (depth, items.last_mut()) {
            (0, _) => {
                flush(&mut items, blocks);
                blocks.push(Block::Paragraph(with_code(&line)));
            }
            (1, _) | (_, None) => items.push(line),
            (_, Some(last)) => {
                last.push_str(if last.ends_with([':', '.']) { " " } else { "; " });
                last.push_str(&line);
            }
        }
    }
    flush(&mut items, blocks);
    Ok(())
}

fn perceptions(s: &Scenario, a: &Analysis, blocks: &mut Vec<Block>) {
    for p in &a.perceptions {
        let holder = &s.actors[p.holder];
        blocks.push(Block::Heading(
            3,
            format!("As {} sees it", holder.display_name()),
            format!("perception-{}", holder.id),
        ));
        blocks.push(Block::Paragraph(vec![text(format!(
            "{} believes {} acceptable to every required actor; {} really {}, and it misses {} that really {}.",
            holder.id,
            plural(p.perceived_size, "outcome is", "outcomes are"),
            p.real_and_perceived,
            if p.real_and_perceived == 1 { "is" } else { "are" },
            plural(p.missed, "outcome", "outcomes"),
            if p.missed == 1 { "is" } else { "are" },
        ))]));
        if p.false_hopes.is_empty() {
            continue;
        }
        let rows = p
            .false_hopes
            .iter()
            .map(|h| {
                let mut why = Vec::new();
                if !h.violates.is_empty() {
                    why.push(text("violates "));
                    for (k, &c) in h.violates.iter().enumerate() {
                        if k > 0 {
                            why.push(text(", "));
                        }
                        why.push(code(&s.constraints[c].label));
                    }
                }
                if !h.rejected_by.is_empty() {
                    why.push(text(if h.violates.is_empty() { "rejected by " } else { "; rejected by " }));
                    for (k, &x) in h.rejected_by.iter().enumerate() {
                        if k > 0 {
                            why.push(text(", "));
                        }
                        why.push(code(&s.actors[x].id));
                    }
                }
                vec![
                    vec![text(h.count.to_string())],
                    vec![text(format!("{:.3}", h.holder_utility))],
                    outcome_inlines(s, &h.example),
                    why,
                ]
            })
            .collect();
        blocks.push(Block::Paragraph(vec![text(
            "False hopes: outcomes it believes acceptable that are not, grouped by what really blocks them, each with the one it likes best.",
        )]));
        blocks.push(table(
            &["outcomes", &format!("best for {}", holder.id), "its best false hope", "really"],
            &[true, true, false, false],
            rows,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_become_code() {
        assert_eq!(with_code("drops `a-b` (red line)"), vec![text("drops "), code("a-b"), text(" (red line)")]);
    }

    #[test]
    fn notes_keep_their_number() {
        let mut n = Notes::default();
        assert_eq!(n.cite(&Some("x".into())), Some(Inline::Footnote(1)));
        assert_eq!(n.cite(&Some("y".into())), Some(Inline::Footnote(2)));
        assert_eq!(n.cite(&Some(" x ".into())), Some(Inline::Footnote(1)));
        assert_eq!(n.cite(&None), None);
    }
}
