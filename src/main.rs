use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = launch_ready::cli::Cli::parse();
    match launch_ready::commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("launch-ready: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
