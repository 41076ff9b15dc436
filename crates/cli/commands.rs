//! One function per subcommand.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use paragraf_indexer::archive::{parse_paths, Archive};

use crate::args::{Args, Command};

/// Runs a command; the exit code is 0 on success and 1 when some input file was skipped.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Parse { paths } => parse(&paths),
        Command::Index {
            paths,
            index,
            threads,
        } => index_archive(&paths, &index, threads),
        Command::Serve { .. } | Command::Search { .. } => {
            anyhow::bail!("not available in this build")
        }
    }
}

/// Reports warnings and skipped files on stderr; returns the exit code they call for.
fn report(archive: &Archive) -> ExitCode {
    for error in &archive.errors {
        tracing::error!("{error}");
    }
    for file in &archive.files {
        for warning in &file.warnings {
            tracing::warn!(file = %file.path.display(), "{warning}");
        }
        if let Some(reason) = &file.skipped {
            tracing::error!(file = %file.path.display(), "skipped: {reason}");
        }
    }
    if archive.skipped() > 0 {
        tracing::error!(skipped = archive.skipped(), "some input was skipped");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let archive = parse_paths(paths)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for item in &archive.items {
        serde_json::to_writer(&mut out, item)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(report(&archive))
}

fn index_archive(
    paths: &[PathBuf],
    index: &Path,
    threads: Option<usize>,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let archive = parse_paths(paths)?;
    let code = report(&archive);
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let info = paragraf_indexer::build(&archive.items, index, threads)
        .with_context(|| format!("building the index in {}", index.display()))?;
    tracing::info!(
        items = info.items,
        meetings = info.meetings,
        files = archive.files.len(),
        skipped = archive.skipped(),
        index = %index.display(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "index built"
    );
    Ok(code)
}
