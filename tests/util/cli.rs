//! Running the `paragraf` binary built for this test run and reading what it prints.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::repo_root;

/// The `paragraf` binary built for this test run, run from the repository root with plain
/// (uncoloured) logs at the default level.
pub fn paragraf() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paragraf"));
    cmd.current_dir(repo_root())
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG");
    cmd
}

/// Runs `paragraf parse ARGS…` and returns its items (one JSON value per stdout line), its
/// stderr and its exit code. Panics when a stdout line is not JSON.
pub fn parse_items<I, S>(args: I) -> (Vec<Value>, String, i32)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = paragraf()
        .arg("parse")
        .args(args)
        .output()
        .expect("run paragraf parse");
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let items = stdout
        .lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "stdout line {} is not JSON ({e}): {line}\nstderr:\n{stderr}",
                    i + 1
                )
            })
        })
        .collect();
    let code = output.status.code().expect("paragraf exited by a signal");
    (items, stderr, code)
}

/// Runs `paragraf index ARCHIVE --index INDEX` and returns its stdout, stderr and exit code.
pub fn index(archive: &Path, index: &Path) -> (String, String, i32) {
    let output = paragraf()
        .arg("index")
        .arg(archive)
        .arg("--index")
        .arg(index)
        .output()
        .expect("run paragraf index");
    (
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output
            .status
            .code()
            .expect("paragraf index exited by a signal"),
    )
}
