//! `shequ` (社区): draw and check urban community boundaries. One binary: the CLI's commands
//! here, the desktop app when run without one.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    match cli::run(arguments) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
    }
}
