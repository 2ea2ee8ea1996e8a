//! Command-line arguments as the user typed them (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Negotiation and collective-decision analysis.
#[derive(Parser, Debug)]
#[command(name = "detente", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate scenario files; exit 0 if all are valid, 1 if any has errors.
    Check(CheckArgs),
    /// Summarise a scenario: issues, actors, stances, constraints, beliefs.
    Show(ShowArgs),
    /// Find the agreement set, Pareto frontier, bargaining solutions and blockers.
    Analyze(AnalyzeArgs),
    /// How firmly the verdict stands: sample the uncertain judgements (Saltelli on a Sobol sequence), report the deal share, Sobol indices, breakpoints and PRIM boxes.
    Robustness(RobustnessArgs),
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Convert a scenario, GENIUS folder, GeniusWeb file or stakeholder table to TOML, JSON or GENIUS.
    Convert(ConvertArgs),
    /// Write a plan as a staged bargaining game in Gambit's .efg format, and print detente's subgame-perfect payoffs.
    ExportGame(ExportGameArgs),
    /// Forecast with the forecast models: issue by issue (compromise, median, Nash, expected utility), all issues at once (KTAB's spatial model).
    Forecast(ForecastArgs),
    /// Score the forecast models against observed outcomes.
    #[command(subcommand)]
    Backtest(BacktestCommand),
    /// Write a report: the scenario in tables, the deal space with its plot, blockers and beliefs, sources as footnotes.
    Report(ReportArgs),
    /// Simulate talks between the parties with negotiation strategies; ratifiers and vetoes decide whether a deal stands.
    Negotiate(NegotiateArgs),
    /// Run every pairing of strategies on scenarios, repeated with derived seeds; resumable.
    Tournament(TournamentArgs),
    /// List the scenarios bundled with the repository (native and ANAC domains).
    Scenarios,
    /// Serve the browser workbench (and its JSON API) on this machine.
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback prints a warning.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on (0 picks a free one and prints it).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Open the page in a browser, if one is found.
    #[arg(long)]
    pub open: bool,
    /// Scenario files or folders the page may open (besides the bundled
    /// ones); the server reads nothing else.
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Scenario files (TOML or JSON; `-` reads standard input).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagnosticFormat {
    /// Annotated snippets with line and column.
    Human,
    /// One line per diagnostic: `file:line:col: severity[code]: message`.
    Short,
    /// One JSON document describing every file.
    Json,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Scenario file (TOML or JSON; `-` reads standard input).
    pub file: PathBuf,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Scenario file (TOML or JSON; `-` reads standard input).
    pub file: PathBuf,
    /// Print the `detente.analysis/1` JSON document instead of a summary.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub options: AnalysisOptions,
    /// How many best agreements to list.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Also draw the utility plane (outcomes, frontiers, solutions) to FILE:
    /// SVG, or PNG when FILE ends in `.png`.
    #[arg(long, value_name = "FILE", value_parser = plot_path)]
    pub plot: Option<PathBuf>,
    /// Show every blocker, binding constraint and false hope, not the first few.
    #[arg(long)]
    pub all: bool,
    /// Append what each term and number in the output means.
    #[arg(long)]
    pub explain: bool,
    /// Also try every ordering of the issues (linked issues together) into
    /// two or more phases, and list the staged plans that open a deal where
    /// all at once has none (docs/analysis.md, "Staged agreements").
    #[arg(long)]
    pub sequences: bool,
    /// The deal space between the scenario's events: before the first, and
    /// after each one (their changes applied), until a party's deadline.
    #[arg(long)]
    pub timeline: bool,
    /// With --sequences: the most phases a plan may have.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(2..=12), requires = "sequences")]
    pub max_phases: u32,
}

#[derive(Args, Debug)]
pub struct RobustnessArgs {
    /// Scenario file (TOML or JSON; `-` reads standard input) with `[[uncertain]]` tables.
    pub file: PathBuf,
    /// Base samples N; N·(2D + 2) verdicts for D judgements (a power of two suits the Sobol sequence).
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub samples: u32,
    /// Chooses the Sobol sequence's scramble; the same seed gives the same bytes.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also vary this judgement over LOW..HIGH (uniform), e.g. `japan.reservation=0.2..0.5`; replaces the file's range for the same path.
    #[arg(long = "vary", value_name = "PATH=LO..HI")]
    pub vary: Vec<String>,
    /// Print the `detente.robustness/1` JSON document instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Also draw the Sobol indices and breakpoints to FILE: SVG, or PNG when FILE ends in `.png`.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Grid points per continuous issue (at least 2).
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub resolution: u32,
    /// Refuse outcome spaces larger than this (an integer, or scientific
    /// notation such as `2e9`).
    #[arg(long, default_value_t = 2_000_000_000, value_parser = outcome_count)]
    pub max_outcomes: u64,
    /// Write every sample (judgement values and verdict, Saltelli's layout) to FILE as CSV, for cross-checks.
    #[arg(long, value_name = "FILE", hide = true)]
    pub dump_samples: Option<PathBuf>,
}

/// The analysis options `analyze` and `report` share.
#[derive(Args, Debug)]
pub struct AnalysisOptions {
    /// For a case collection (JSON with `cases`, e.g. KTAB's
    /// ktab-china-2014.json): the id of the case to read.
    #[arg(long, value_name = "ID")]
    pub case: Option<String>,
    /// Grid points per continuous issue (at least 2).
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub resolution: u32,
    /// Refuse to enumerate more outcomes than this (an integer, or
    /// scientific notation such as `2e10`).
    #[arg(long, default_value_t = 2_000_000_000, value_parser = outcome_count)]
    pub max_outcomes: u64,
    /// Weight the Nash product by the parties' capabilities.
    #[arg(long)]
    pub weighted_nash: bool,
    /// What-if: change one value, e.g. `japan.reservation=0.3`,
    /// `russia.position.recognition=no`, `japan.salience.sanctions=0.2`,
    /// `japan.values.sanctions.eased=0.5`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// What-if: drop the constraint with this label.
    #[arg(long = "drop", value_name = "LABEL")]
    pub drop: Vec<String>,
    /// A scripted statement: the scenario's statement ID made at 0-based
    /// round ROUND, as an event (repeat for a sequence). `--timeline` shows
    /// the deal space, and each side's perceived one, before and after.
    #[arg(long = "say", value_name = "ID@ROUND")]
    pub say: Vec<String>,
    /// Largest set of relaxations searched for blockers.
    #[arg(long, default_value_t = 4)]
    pub max_blocker_size: usize,
    /// How to explore the deal space.
    #[arg(long, value_enum, default_value_t = MethodArg::Auto)]
    pub method: MethodArg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodArg {
    /// Enumerate when within --max-outcomes, else issue by issue when it applies.
    Auto,
    /// Enumerate every outcome.
    Enumerate,
    /// Exact two-party frontier built issue by issue (no enumeration).
    IssueByIssue,
}

#[derive(Args, Debug)]
pub struct ExportGameArgs {
    /// Scenario file with [[plans]] (TOML or JSON; `-` reads standard input).
    pub file: PathBuf,
    /// The plan to play (its `name`); the scenario's first plan by default.
    #[arg(long, value_name = "NAME")]
    pub plan: Option<String>,
    /// Proposal rounds per phase (1 to 64); parties propose in turn.
    #[arg(long, default_value_t = detente::analysis::game::DEFAULT_ROUNDS)]
    pub rounds: usize,
    /// Refuse game trees with more nodes than this (counted before building).
    #[arg(long, default_value_t = detente::analysis::game::MAX_GAME_NODES)]
    pub max_nodes: u64,
    /// Where to write the .efg; `-` (the default) writes to standard output.
    #[arg(short, long, value_name = "OUT", default_value = "-")]
    pub output: PathBuf,
    /// Print detente's equilibrium as the `detente.game/1` JSON document on
    /// standard output (the game then needs `-o FILE`); without it a
    /// summary goes to standard error.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub options: AnalysisOptions,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// What to convert: a scenario (TOML or JSON), a GENIUS or GeniusWeb folder
    /// or file, or a stakeholder table; the format is told from the content
    /// (`-` reads standard input, told apart the same way; GENIUS XML needs its files).
    pub input: PathBuf,
    /// Output format; by default the extension of OUT (`.toml`, `.json`).
    #[arg(long, value_enum)]
    pub to: Option<ConvertTo>,
    /// Output file, or folder for `--to genius`; `-` writes TOML or JSON to
    /// standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
    /// For a case collection (JSON with `cases`, e.g. KTAB's
    /// ktab-china-2014.json): the id of the case to read.
    #[arg(long, value_name = "ID")]
    pub case: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertTo {
    /// A native scenario in TOML.
    Toml,
    /// A native scenario in JSON.
    Json,
    /// A GENIUS folder: a domain and one profile per actor.
    Genius,
}

#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// A scenario (TOML or JSON) or a stakeholder table (decide, KTAB,
    /// one-issue or plain CSV; a table's per-issue power is used as
    /// capability); `-` reads either from standard input.
    pub input: PathBuf,
    /// For a case collection (JSON with `cases`, e.g. KTAB's
    /// ktab-china-2014.json): the id of the case to read.
    #[arg(long, value_name = "ID")]
    pub case: Option<String>,
    /// Models to run, comma-separated or repeated; `all` runs every model.
    #[arg(
        long = "model",
        value_name = "NAME",
        value_delimiter = ',',
        default_value = "all",
        value_parser = model_names()
    )]
    pub models: Vec<String>,
    /// The most rounds an iterating model plays (default: the model's own).
    #[arg(long, value_name = "N")]
    pub rounds: Option<usize>,
    /// Also print every actor's position by round, risk exponents, position probabilities and moves.
    #[arg(long)]
    pub trace: bool,
    /// Monte Carlo sensitivity: run every model N times on perturbed inputs
    /// and report the forecast's distribution and a tornado of the inputs.
    #[arg(long, value_name = "N")]
    pub monte_carlo: Option<usize>,
    /// The Monte Carlo seed; the same seed gives the same result bit for bit.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// What the Monte Carlo runs perturb: `[ACTOR.]TARGET=DISTRIBUTION:SPREAD`
    /// with TARGET `position` (spread as a fraction of the scale),
    /// `salience` (on 0–1) or `capability` (as a fraction of it) and
    /// DISTRIBUTION `uniform`, `triangular` or `normal`; repeat for several.
    /// Default: position=normal:0.05, salience=normal:0.05,
    /// capability=normal:0.1.
    #[arg(long = "perturb", value_name = "SPEC", value_parser = perturbation)]
    pub perturb: Vec<detente::forecast::montecarlo::Perturbation>,
    /// The largest Monte Carlo study, as runs × actors × issues (each run
    /// perturbs every actor's values on every issue); a larger one is
    /// refused before it starts. An integer, or scientific notation such as
    /// `1e8`.
    #[arg(long, default_value_t = detente::budget::MAX_PERTURBED as u64, value_parser = outcome_count)]
    pub max_perturbed: u64,
    /// Search at most this many outcomes for the nearest outcome no
    /// constraint forbids (beside a forecast that breaks one); an integer,
    /// or scientific notation such as `2e6`.
    #[arg(long, default_value_t = 2_000_000, value_parser = outcome_count)]
    pub max_outcomes: u64,
    /// Print the `detente.forecast/1` JSON document instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also draw every issue's trajectories by round (static models: the
    /// forecast against the stated positions) to FILE, SVG or PNG by its
    /// extension; with several models one file per model (FILE's stem plus
    /// `-MODEL`), with --monte-carlo also `…-distribution` and `…-tornado`
    /// beside it.
    #[arg(long, value_name = "FILE", value_parser = plot_path)]
    pub plot: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum BacktestCommand {
    /// DEU III: EU legislative decisions with observed outcomes (Arregui & Perarnaud 2022).
    Deu(BacktestDeuArgs),
}

#[derive(Args, Debug)]
pub struct BacktestDeuArgs {
    /// The folder holding `deu3_issues.csv`, `deu3_actors.csv` and,
    /// optionally, `eucouncil_weights_sumtxt_coresize.csv`.
    pub dir: PathBuf,
    /// Models to score, comma-separated or repeated; `all` scores every model.
    #[arg(
        long = "model",
        value_name = "NAME",
        value_delimiter = ',',
        default_value = "all",
        value_parser = model_names()
    )]
    pub models: Vec<String>,
    /// Print the `detente.backtest/1` JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// A `--perturb` specification.
fn perturbation(spec: &str) -> Result<detente::forecast::montecarlo::Perturbation, String> {
    detente::forecast::montecarlo::Perturbation::parse(spec)
}

/// `--model` values: the registry's names (with their summaries as help) and `all`.
fn model_names() -> clap::builder::PossibleValuesParser {
    let mut values: Vec<clap::builder::PossibleValue> = detente::forecast::registry::MODELS
        .iter()
        .map(|m| clap::builder::PossibleValue::new(m.name).help(m.summary))
        .collect();
    values.push(clap::builder::PossibleValue::new("all").help("every model"));
    clap::builder::PossibleValuesParser::new(values)
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Scenario file or folder (as for `analyze`; `-` reads standard input).
    pub file: PathBuf,
    /// Output file: one self-contained HTML file, or Markdown with the
    /// figures as SVG files beside it (named after it).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Output format; by default `md` when OUT ends in `.md`, else `html`.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    #[command(flatten)]
    pub options: AnalysisOptions,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// One self-contained HTML file (inline SVG and CSS).
    Html,
    /// Markdown, with the figures as SVG files beside it.
    Md,
}

/// Options of a simulated negotiation that `negotiate` and `tournament` share.
#[derive(Args, Debug)]
pub struct SessionOptions {
    /// The protocol.
    #[arg(long, value_enum, default_value_t = ProtocolArg::Alternating)]
    pub protocol: ProtocolArg,
    /// Deadline in rounds (every party acts once per round).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000_000))]
    pub rounds: u32,
    /// Seed of every random choice (random strategies, the mediator); the
    /// same seed gives the same talks.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Grid points per continuous issue (at least 2).
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub resolution: u32,
    /// Tabulate at most this many outcomes (every outcome's utilities are
    /// kept in memory; an integer, or scientific notation such as `5e6`);
    /// larger spaces are searched instead: time-dependent, tit-for-tat and
    /// random strategies play, without constraints or beliefs.
    #[arg(long, default_value_t = 5_000_000, value_parser = outcome_count)]
    pub max_outcomes: u64,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolArg {
    /// Stacked alternating offers: each party in turn accepts, walks away or counter-offers.
    Alternating,
    /// Single text: a mediator proposes changes to one text, the parties vote.
    Mediated,
}

/// How much of the talks `negotiate --json` lists.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceArg {
    /// Every step: offers, answers, votes, statements and reactions.
    Full,
    /// Offers, mediator texts, statements and reactions; no answers or votes.
    Offers,
    /// No steps: the result alone.
    None,
}

#[derive(Args, Debug)]
pub struct NegotiateArgs {
    /// Scenario file or GENIUS/GeniusWeb folder (`-` reads standard input).
    pub file: PathBuf,
    /// `PARTY=STRATEGY[:key=value,…]`, or `STRATEGY…` for every party not
    /// named; repeat for several parties. Strategies: time-dependent,
    /// boulware, linear, conceder, hardliner, aspiration, tit-for-tat,
    /// random, frequency, bayesian (docs/negotiation.md).
    #[arg(long = "strategy", value_name = "[PARTY=]SPEC")]
    pub strategies: Vec<String>,
    /// The strategy of parties no --strategy names.
    #[arg(long, value_name = "SPEC", default_value = "boulware")]
    pub default_strategy: String,
    /// The party that opens (the others follow in scenario order).
    #[arg(long, value_name = "PARTY")]
    pub first: Option<String>,
    #[command(flatten)]
    pub session: SessionOptions,
    /// What-if: change one value before the talks (as for `analyze`).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// What-if: drop the constraint with this label.
    #[arg(long = "drop", value_name = "LABEL")]
    pub drop: Vec<String>,
    /// A scripted statement: the scenario's statement ID made by its speaker
    /// at 0-based round ROUND (repeat for a sequence); the listeners react
    /// and the speaker's audience cost applies from then on.
    #[arg(long = "say", value_name = "ID@ROUND")]
    pub say: Vec<String>,
    /// How many offers the text output lists (first and last halves beyond it).
    #[arg(long, value_name = "N", default_value_t = 24)]
    pub offers: usize,
    /// Print the `detente.negotiation/1` JSON document (with every step).
    #[arg(long)]
    pub json: bool,
    /// How much of the talks `--json` lists in `trace`: every step
    /// (`full`), the offers, statements and reactions without the answers
    /// (`offers`), or nothing (`none`).
    #[arg(long, value_enum, default_value_t = TraceArg::Full, requires = "json")]
    pub trace: TraceArg,
    /// Print `--json` on one line instead of indented (a long trace is
    /// about a third of the size).
    #[arg(long, requires = "json")]
    pub compact: bool,
    /// Also draw the talks on the utility plane (two parties; pairwise
    /// panels for more) to FILE: SVG, or PNG when FILE ends in `.png`. With a
    /// bayesian party, its posterior by round goes to STEM-posterior.EXT
    /// beside FILE.
    #[arg(long, value_name = "FILE", value_parser = plot_path)]
    pub plot: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct TournamentArgs {
    /// Scenario files or GENIUS/GeniusWeb folders.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Strategies, comma-separated (a spec's own `key=value` parameters may
    /// follow it: `boulware,linear:e=0.5,k=0.1`) or repeated.
    #[arg(long = "strategies", value_name = "LIST", default_value = "boulware,linear,conceder,tit-for-tat")]
    pub strategies: Vec<String>,
    /// Repetitions of every pairing.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub reps: usize,
    /// Folder for the results: `negotiations.jsonl` (written as
    /// negotiations finish), `summary.json`, `summary.txt`. Created if
    /// missing; its parent folder must exist.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Continue the tournament in --out: finished negotiations are kept,
    /// the rest run.
    #[arg(long)]
    pub resume: bool,
    /// Run only shard K of N (1 ≤ K ≤ N): the negotiations whose id is
    /// K − 1 modulo N, for a scheduler's array job (Slurm, Kubernetes).
    /// The folder keeps the records for --merge, with --resume per shard.
    #[arg(long, value_name = "K/N", conflicts_with = "merge")]
    pub shard: Option<Shard>,
    /// Gather the folders of shards 1/N … N/N of this same tournament (run
    /// with the same arguments and --shard) into --out: the folder a single
    /// run leaves, byte for byte.
    #[arg(long, value_name = "DIR", num_args = 1.., conflicts_with = "resume")]
    pub merge: Vec<PathBuf>,
    #[command(flatten)]
    pub session: SessionOptions,
    /// Print the `detente.tournament/1` summary document instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also write the results for data tools into --out: `scores.EXT` (one
    /// row per party in each negotiation, with the outcome's values) and
    /// `table-strategy`, `table-scenario`, `table-pairing` and `table-role`
    /// (means, standard deviations, 95% confidence intervals and ranks).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FrameFormat>,
    /// Also draw the per-strategy summary to FILE: SVG, or PNG when FILE
    /// ends in `.png`.
    #[arg(long, value_name = "FILE", value_parser = plot_path)]
    pub plot: Option<PathBuf>,
}

/// A part of a tournament: shard `index` of `count`, numbered from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// K, from 1.
    pub index: usize,
    /// N.
    pub count: usize,
}

impl Shard {
    /// Whether negotiation `id` is this shard's: ids are dealt out in turn,
    /// so every shard gets a share of every scenario and pairing.
    pub fn owns(&self, id: u64) -> bool {
        id % self.count as u64 == (self.index - 1) as u64
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 3/8");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count) =
            (k.trim().parse::<usize>().map_err(|_| bad())?, n.trim().parse::<usize>().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// The file format of `tournament --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FrameFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// Apache Parquet (Snappy-compressed).
    Parquet,
}

impl From<FrameFormat> for detente_report::frame::TableFormat {
    fn from(f: FrameFormat) -> Self {
        match f {
            FrameFormat::Csv => detente_report::frame::TableFormat::Csv,
            FrameFormat::Parquet => detente_report::frame::TableFormat::Parquet,
        }
    }
}

/// A `--plot` file: `.svg` or `.png` (any case), or no extension (SVG);
/// any other extension is refused before the work starts, rather than
/// writing SVG under a name that promises another format.
fn plot_path(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()) {
        None => Ok(path),
        Some(e) if e == "svg" || e == "png" => Ok(path),
        Some(e) => Err(format!("cannot draw a .{e} file: plots are SVG (name the file .svg) or PNG (.png)")),
    }
}

/// A whole number of outcomes: digits (`2000000000`) or scientific notation
/// with an integer value (`2e9`, `1.5e6`).
fn outcome_count(text: &str) -> Result<u64, String> {
    if let Ok(n) = text.parse::<u64>() {
        return Ok(n);
    }
    let bad = || format!("`{text}` is not a whole number of outcomes (write digits, or e.g. 2e9)");
    let (mantissa, exponent) = text.split_once(['e', 'E']).ok_or_else(bad)?;
    let exponent: u32 = exponent.trim_start_matches('+').parse().map_err(|_| bad())?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let shift = exponent.checked_sub(fraction.len() as u32).ok_or_else(bad)?;
    let digits: u64 = format!("{whole}{fraction}").parse().map_err(|_| bad())?;
    10u64
        .checked_pow(shift)
        .and_then(|p| digits.checked_mul(p))
        .ok_or_else(|| format!("`{text}` is larger than the largest count, {}", u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::{outcome_count, plot_path};

    #[test]
    fn plot_paths_are_svg_or_png() {
        assert!(plot_path("a.svg").is_ok());
        assert!(plot_path("a.PNG").is_ok());
        assert!(plot_path("plane").is_ok());
        assert!(plot_path("a.pdf").unwrap_err().contains(".pdf"));
        assert!(plot_path("a.jpg").is_err());
    }

    #[test]
    fn outcome_counts_take_digits_and_scientific_notation() {
        assert_eq!(outcome_count("2000000000"), Ok(2_000_000_000));
        assert_eq!(outcome_count("2e10"), Ok(20_000_000_000));
        assert_eq!(outcome_count("1.5e6"), Ok(1_500_000));
        assert_eq!(outcome_count("5E+3"), Ok(5_000));
        assert!(outcome_count("1.25e1").is_err());
        assert!(outcome_count("1e30").is_err());
        assert!(outcome_count("e5").is_err());
        assert!(outcome_count("-1").is_err());
    }
}
