//! Bearer tokens for internal and admin access (issue #20): `paragraf token create | list |
//! revoke` write them, the server checks them.
//!
//! A token is `paragraf_<id>_<secret>`: 8 random bytes of id and 32 of secret, in hex. The
//! file (`tokens.json` in the index directory, [`TOKENS_FILE`]) keeps per token its name,
//! scope, id and an argon2id hash of the secret, never the secret. The id is a lookup key,
//! not a secret: it finds the one entry to verify, so a request costs one hash, not one per
//! token. argon2 takes tens of milliseconds by design; a token verified once is remembered as
//! the SHA-256 of its secret, compared in constant time, so the next request costs
//! microseconds. A wrong secret is compared in full either way, so the time a wrong token
//! takes does not depend on how much of it was right.
//!
//! The server looks at the file's modification time and size on every request and reads it
//! again when they changed: a token revoked by `paragraf token revoke` is refused by a
//! running server from the next request on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use paragraf_query::Access;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The file beside the index that holds the tokens' hashes.
pub const TOKENS_FILE: &str = "tokens.json";

const PREFIX: &str = "paragraf_";
const ID_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;

/// What went wrong with the token file or a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The token file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a token file.
    #[error("{path}: not a Paragraf token file: {message}")]
    Corrupt {
        /// The token file.
        path: PathBuf,
        /// What the JSON parser said.
        message: String,
    },
    /// A token of this name exists already.
    #[error("a token named {0:?} exists already; revoke it first or choose another name")]
    NameTaken(String),
    /// No live token has this name.
    #[error("no token named {0:?}")]
    UnknownName(String),
    /// A name must be 1 to 64 letters, digits, `-`, `_` or `.`.
    #[error("token name {0:?}: use 1 to 64 letters, digits, '-', '_' or '.'")]
    BadName(String),
    /// Tokens give internal or admin access; the public needs none.
    #[error("a token's scope is internal or admin, not {0}")]
    BadScope(String),
    /// The system's random source failed.
    #[error("no random bytes from the system: {0}")]
    Random(String),
    /// Hashing failed (it does not, for the parameters used).
    #[error("hashing the token failed: {0}")]
    Hash(String),
}

/// Why a presented token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not of the form `paragraf_<id>_<secret>`.
    Malformed,
    /// Unknown, or the secret is wrong.
    Invalid,
    /// Revoked.
    Revoked,
}

/// One token as the file keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    /// The name it was created with (`intranet`).
    pub name: String,
    /// What it gives: `internal` or `admin`.
    pub scope: Access,
    /// The lookup id (hex), the token's first part.
    pub id: String,
    /// argon2id hash of the secret, in the PHC string format.
    pub hash: String,
    /// When it was created, seconds since 1970.
    pub created: u64,
    /// When it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<u64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TokenFile {
    tokens: Vec<StoredToken>,
}

/// The token file of an index directory.
pub fn tokens_path(index_dir: &Path) -> PathBuf {
    index_dir.join(TOKENS_FILE)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn read_file(path: &Path) -> Result<TokenFile, TokenError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| TokenError::Corrupt {
            path: path.to_path_buf(),
            message: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TokenFile::default()),
        Err(source) => Err(TokenError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes the file whole and renames it into place, readable by its owner only.
fn write_file(path: &Path, file: &TokenFile) -> Result<(), TokenError> {
    let io = |source| TokenError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_string_pretty(file).map_err(|e| TokenError::Hash(e.to_string()))?;
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut out = options.open(&tmp).map_err(io)?;
        out.write_all(text.as_bytes()).map_err(io)?;
        out.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)
}

fn random_hex(bytes: usize) -> Result<String, TokenError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| TokenError::Random(e.to_string()))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Creates a token and returns it: the only time it is seen whole.
pub fn create(path: &Path, name: &str, scope: Access) -> Result<String, TokenError> {
    if !valid_name(name) {
        return Err(TokenError::BadName(name.to_string()));
    }
    if !scope.sees_internal() {
        return Err(TokenError::BadScope(scope.as_str().to_string()));
    }
    let mut file = read_file(path)?;
    if file
        .tokens
        .iter()
        .any(|t| t.name == name && t.revoked.is_none())
    {
        return Err(TokenError::NameTaken(name.to_string()));
    }
    let id = random_hex(ID_BYTES)?;
    let secret = random_hex(SECRET_BYTES)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| TokenError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| TokenError::Hash(e.to_string()))?;
    let hash = Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|e| TokenError::Hash(e.to_string()))?
        .to_string();
    file.tokens.push(StoredToken {
        name: name.to_string(),
        scope,
        id: id.clone(),
        hash,
        created: now(),
        revoked: None,
    });
    write_file(path, &file)?;
    Ok(format!("{PREFIX}{id}_{secret}"))
}

/// The tokens of the file, revoked ones too, in order of creation.
pub fn list(path: &Path) -> Result<Vec<StoredToken>, TokenError> {
    Ok(read_file(path)?.tokens)
}

/// Revokes the live token of this name. It stays in the file, marked, so that a client
/// still sending it is told `token_revoked`.
pub fn revoke(path: &Path, name: &str) -> Result<(), TokenError> {
    let mut file = read_file(path)?;
    let token = file
        .tokens
        .iter_mut()
        .find(|t| t.name == name && t.revoked.is_none())
        .ok_or_else(|| TokenError::UnknownName(name.to_string()))?;
    token.revoked = Some(now());
    write_file(path, &file)
}

/// Whether a presented token has the form of one (`paragraf_<16 hex>_<64 hex>`).
pub fn is_well_formed(token: &str) -> bool {
    split(token).is_some()
}

/// Splits a presented token into id and secret; `None` when it is not of the form.
fn split(token: &str) -> Option<(&str, &str)> {
    let (id, secret) = token.strip_prefix(PREFIX)?.split_once('_')?;
    let hex = |s: &str, n: usize| s.len() == 2 * n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(id, ID_BYTES) && hex(secret, SECRET_BYTES)).then_some((id, secret))
}

/// The tokens a server checks requests against, read again when the file changes.
#[derive(Debug)]
pub struct TokenStore {
    path: PathBuf,
    state: Mutex<Loaded>,
}

#[derive(Debug, Default)]
struct Loaded {
    /// Modification time and size of the file as read; `None` before the first read or
    /// when there is no file.
    stamp: Option<(SystemTime, u64)>,
    read: bool,
    tokens: HashMap<String, StoredToken>,
    /// SHA-256 of the secrets verified since the file was read, by id.
    verified: HashMap<String, [u8; 32]>,
}

impl TokenStore {
    /// The store of the token file at `path` (which need not exist: then no token is good).
    pub fn new(path: PathBuf) -> TokenStore {
        TokenStore {
            path,
            state: Mutex::new(Loaded::default()),
        }
    }

    /// The access a token gives, or why it is refused. A token file that cannot be read
    /// refuses every token (and says why in the log) rather than failing the request.
    pub fn check(&self, token: &str) -> Result<Access, Refusal> {
        let (id, secret) = split(token).ok_or(Refusal::Malformed)?;
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        self.refresh(&mut state);
        let Some(stored) = state.tokens.get(id).cloned() else {
            return Err(Refusal::Invalid);
        };
        let digest: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let good = match state.verified.get(id) {
            Some(known) => bool::from(known.ct_eq(&digest)),
            None => {
                let good = PasswordHash::new(&stored.hash).is_ok_and(|hash| {
                    Argon2::default()
                        .verify_password(secret.as_bytes(), &hash)
                        .is_ok()
                });
                if good {
                    state.verified.insert(id.to_string(), digest);
                }
                good
            }
        };
        match (good, stored.revoked) {
            (false, _) => Err(Refusal::Invalid),
            (true, Some(_)) => Err(Refusal::Revoked),
            (true, None) => Ok(stored.scope),
        }
    }

    /// Reads the file again when its modification time or size changed since the last read.
    fn refresh(&self, state: &mut Loaded) {
        let stamp = std::fs::metadata(&self.path)
            .ok()
            .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
        if state.read && stamp == state.stamp {
            return;
        }
        state.read = true;
        state.stamp = stamp;
        state.verified.clear();
        state.tokens = match read_file(&self.path) {
            Ok(file) => file.tokens.into_iter().map(|t| (t.id.clone(), t)).collect(),
            Err(e) => {
                tracing::error!(error = %e, "token file unreadable; every token is refused");
                HashMap::new()
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_check_revoke() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = tokens_path(dir.path());
        let token = create(&path, "intranet", Access::Internal).expect("created");
        let admin = create(&path, "drift", Access::Admin).expect("created");
        assert!(token.starts_with("paragraf_") && token.len() == 9 + 16 + 1 + 64);
        let text = std::fs::read_to_string(&path).expect("file");
        let secret = token.rsplit('_').next().expect("secret");
        assert!(!text.contains(secret), "the secret is not stored");
        let store = TokenStore::new(path.clone());
        assert_eq!(store.check(&token), Ok(Access::Internal));
        // Twice: the second from the remembered digest.
        assert_eq!(store.check(&token), Ok(Access::Internal));
        assert_eq!(store.check(&admin), Ok(Access::Admin));
        let mut wrong = token.clone();
        wrong.pop();
        wrong.push(if token.ends_with('0') { '1' } else { '0' });
        assert_eq!(store.check(&wrong), Err(Refusal::Invalid));
        assert_eq!(store.check("paragraf_xyz"), Err(Refusal::Malformed));
        assert_eq!(store.check(""), Err(Refusal::Malformed));
        assert_eq!(
            create(&path, "intranet", Access::Internal)
                .expect_err("taken")
                .to_string(),
            "a token named \"intranet\" exists already; revoke it first or choose another name"
        );
        assert!(matches!(
            create(&path, "x", Access::Public),
            Err(TokenError::BadScope(_))
        ));
        assert!(matches!(
            create(&path, "två ord", Access::Internal),
            Err(TokenError::BadName(_))
        ));
        revoke(&path, "intranet").expect("revoked");
        assert_eq!(store.check(&token), Err(Refusal::Revoked));
        assert_eq!(store.check(&wrong), Err(Refusal::Invalid));
        assert_eq!(store.check(&admin), Ok(Access::Admin));
        assert!(matches!(
            revoke(&path, "intranet"),
            Err(TokenError::UnknownName(_))
        ));
        let names: Vec<(String, bool)> = list(&path)
            .expect("list")
            .into_iter()
            .map(|t| (t.name, t.revoked.is_some()))
            .collect();
        assert_eq!(
            names,
            [("intranet".to_string(), true), ("drift".to_string(), false)]
        );
    }

    #[test]
    fn no_file_refuses_every_token() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = TokenStore::new(tokens_path(dir.path()));
        let token = format!("paragraf_{}_{}", "a".repeat(16), "b".repeat(64));
        assert_eq!(store.check(&token), Err(Refusal::Invalid));
    }
}
