//! The `detente` command line: parse arguments, make one library call,
//! render the result, return an exit code.
//!
//! Exit codes: 0 success (a checked file is valid), 1 invalid input (a
//! scenario has errors), 2 usage or I/O errors. A closed output pipe ends the
//! program quietly with 0; a long command stopped by Ctrl-C exits with 130.

mod analyze;
mod args;
mod convert;
mod diagnostics;
mod forecast;
mod game;
mod interrupt;
mod negotiate;
mod output;
mod report;
mod robustness;
mod scenarios;
mod serve;
mod show;
mod tournament;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if interrupt::interrupted() {
                eprintln!("{}", interrupt::message(&err));
                return ExitCode::from(interrupt::EXIT_CODE);
            }
            if output::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {}", diagnostics::escape_controls(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => diagnostics::check(&args),
        Command::Show(args) => show::show(&args),
        Command::Analyze(args) => analyze::analyze(&args),
        Command::Robustness(args) => robustness::robustness(&args),
        Command::Schema => {
            output::print(detente::schema::SCENARIO_SCHEMA)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Convert(args) => convert::convert(&args),
        Command::ExportGame(args) => game::export_game(&args),
        Command::Forecast(args) => forecast::forecast(&args),
        Command::Backtest(command) => forecast::backtest(&command),
        Command::Report(args) => report::report(&args),
        Command::Negotiate(args) => negotiate::negotiate(&args),
        Command::Tournament(args) => tournament::tournament(&args),
        Command::Scenarios => scenarios::scenarios(),
        Command::Serve(args) => serve::serve(&args),
    }
}
