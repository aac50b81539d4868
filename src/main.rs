//! The `temis` binary: parse the command line, set up logging, run, and turn the outcome into
//! the process exit code. This is the only place that decides the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = temis::cli::Args::parse();
    temis::cli::init_logging(args.verbose);
    let out = temis::output::Output::new(args.color);
    match temis::cli::run(args, out) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(err) => {
            out.error(&err.to_string());
            ExitCode::from(err.exit_code())
        }
    }
}
