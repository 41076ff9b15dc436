//! `paragraf token create | list | revoke` (issue #20): the tokens live as hashes in
//! `tokens.json` in the index directory ([`paragraf_server::tokens`]).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use paragraf_server::tokens;

use crate::args::TokenAction;

/// Runs a token command.
pub fn run(action: TokenAction) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match action {
        TokenAction::Create { name, scope, index } => {
            let path = tokens::tokens_path(&index);
            let scope: paragraf_query::Access = scope.into();
            let token = tokens::create(&path, &name, scope)
                .with_context(|| format!("creating token {name:?}"))?;
            // The token itself on stdout (for a pipe), what it is on stderr.
            writeln!(out, "{token}")?;
            eprintln!(
                "token {name:?} ({}) created; it is shown only now. Send it as \"Authorization: Bearer <token>\". Kept as a hash in {}",
                scope.as_str(),
                path.display()
            );
        }
        TokenAction::List { index } => {
            let path = tokens::tokens_path(&index);
            let list = tokens::list(&path)?;
            if list.is_empty() {
                eprintln!("no tokens in {}", path.display());
            }
            writeln!(
                out,
                "{:<24} {:<9} {:<12} revoked",
                "name", "scope", "created"
            )?;
            for t in list {
                writeln!(
                    out,
                    "{:<24} {:<9} {:<12} {}",
                    t.name,
                    t.scope.as_str(),
                    day(t.created),
                    t.revoked.map_or_else(|| "-".to_string(), day)
                )?;
            }
        }
        TokenAction::Revoke { name, index } => {
            let path = tokens::tokens_path(&index);
            tokens::revoke(&path, &name).with_context(|| format!("revoking token {name:?}"))?;
            eprintln!("token {name:?} revoked; a running server refuses it from its next request");
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A time in seconds since 1970 as its UTC day, `YYYY-MM-DD`.
fn day(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    paragraf_indexer::Date::from_days_since_epoch(days).to_string()
}
