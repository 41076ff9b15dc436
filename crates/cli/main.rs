//! The `paragraf` binary: parses arguments, sets up logging and calls the libraries.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

mod args;
mod commands;
mod token;
mod watch;

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("paragraf=info,tower_http=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match commands::run(args::Args::parse()) {
        Ok(code) => code,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "paragraf: {err:#}");
            ExitCode::from(2)
        }
    }
}
