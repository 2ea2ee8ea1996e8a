//! `detente export-game`: a plan as a staged bargaining game in Gambit's
//! `.efg` format, with detente's own subgame-perfect payoffs to compare
//! (`docs/games.md`).

use std::process::ExitCode;

use anyhow::bail;
use detente::analysis::game;

use crate::args::ExportGameArgs;
use crate::output;

pub fn export_game(args: &ExportGameArgs) -> anyhow::Result<ExitCode> {
    let to_stdout = args.output.as_os_str() == "-";
    if args.json && to_stdout {
        bail!("--json prints the equilibrium on standard output; write the game to a file with -o FILE");
    }
    let crate::analyze::Prepared { scenario, config, .. } = match crate::analyze::prepare(&args.file, &args.options)? {
        Ok(prepared) => prepared,
        Err(code) => return Ok(code),
    };
    let plan = game::find_plan(&scenario, args.plan.as_deref())
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let game = game::build(&scenario, plan, args.rounds, args.max_nodes, &config)?;
    let eq = game::solve(&game, &config.cancel)?;
    let efg = detente::format::efg::to_efg(&scenario, &game);
    if to_stdout {
        output::print(&efg)?;
    } else {
        crate::report::write_atomically(&args.output, efg.as_bytes())?;
    }
    if args.json {
        output::print(&serde_json::to_string_pretty(&detente_report::game::to_json(&scenario, &game, &eq))?)?;
    } else {
        eprint!("{}", detente_report::game::to_text(&scenario, &game, &eq));
    }
    Ok(ExitCode::SUCCESS)
}
