//! `cargo xtask judge` runs this: see the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = stackql_judge::Args::parse();
    match stackql_judge::run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
