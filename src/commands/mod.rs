//! The command layer: one function per subcommand, dispatched from the parsed CLI.
//! Commands turn flags into plain requests and call the library (the audit pipeline,
//! the catalogue, `init`); nothing below this layer knows about clap.

pub mod audit;
pub mod demo;
pub mod init;
pub mod output;
pub mod report;

use std::io::Write;

use crate::cli::{Cli, Command, ReportCommand};
pub use crate::failure::{Failure, exit};
use output::print_stdout;

pub fn run(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Audit(args) => audit::run(*args),
        Command::Checks { json, markdown } => {
            let text = if markdown {
                crate::catalogue::markdown_table()
            } else {
                crate::catalogue::render(json)
            };
            print_stdout(&text)?;
            Ok(exit::OK)
        }
        Command::Explain { check_id } => match crate::checks::find(&check_id) {
            Some(check) => {
                print_stdout(check.meta().doc)?;
                Ok(exit::OK)
            }
            None => Err(Failure::usage(crate::catalogue::unknown_check(&check_id))),
        },
        Command::Init { dir, force } => init::run(&dir, force),
        Command::Schema { report } => {
            let schema = if report {
                crate::render::json::json_schema()
            } else {
                crate::manifest::json_schema()
            };
            let text = serde_json::to_string_pretty(&schema)
                .map_err(|e| Failure::internal(e.to_string()))?;
            print_stdout(&format!("{text}\n"))?;
            Ok(exit::OK)
        }
        Command::Report(ReportCommand::Merge { reports, format }) => {
            report::merge(&reports, format)
        }
        Command::Demo(args) => demo::run(args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "launch-ready", &mut out);
            std::io::stdout()
                .write_all(&out)
                .map_err(|e| Failure::internal(e.to_string()))?;
            Ok(exit::OK)
        }
    }
}

/// The async runtime every networked command runs on.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::internal(format!("cannot start the async runtime: {e}")))
}
