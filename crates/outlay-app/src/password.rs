//! Passwords: argon2id with a fresh salt each; verification is constant-time in argon2.
//! Requests hash through a `HashGate`: a bounded number at once, each in a reused block of
//! memory, so a flood of logins costs neither unbounded CPU nor unbounded resident memory.

use argon2::password_hash::{
    rand_core::OsRng, Output, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use outlay_core::validate::ValidationError;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

pub const MIN_LEN: usize = 10;

pub fn check_strength(password: &str) -> Result<(), ValidationError> {
    if password.chars().count() < MIN_LEN {
        return Err(ValidationError::new(
            "password",
            format!("must be at least {MIN_LEN} characters"),
        ));
    }
    if password.len() > 1024 {
        return Err(ValidationError::new(
            "password",
            "must be at most 1024 bytes",
        ));
    }
    Ok(())
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A real hash of a random password, verified against when an email is unknown so that
/// unknown and known emails take the same time.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&crate::tokens::issue().0).unwrap_or_default())
}

/// Why a gated hash did not run.
#[derive(Debug)]
pub enum GateError {
    /// Every permit stayed taken for the whole wait.
    Busy,
    Failed(String),
}

/// At most `permits` argon2 computations at once. Each runs on a blocking thread in a memory
/// block taken from a small free list and returned afterwards: argon2 needs its whole memory
/// cost (19 MiB by default) per computation, and allocating it afresh each time lets the
/// allocator keep a copy per thread that ever hashed, so resident memory would grow with the
/// peak number of logins instead of staying at `permits` blocks.
pub struct HashGate {
    permits: Arc<Semaphore>,
    wait: Duration,
    blocks: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl HashGate {
    pub fn new(permits: usize, wait: Duration) -> HashGate {
        HashGate {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            wait,
            blocks: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Whether `password` matches the stored PHC `hash`.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, GateError> {
        self.run(move |blocks| verify_in(&password, &hash, blocks))
            .await
    }

    /// A new PHC hash of `password` with the default parameters and a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, GateError> {
        self.run(move |blocks| hash_in(&password, blocks))
            .await?
            .map_err(|e| GateError::Failed(e.to_string()))
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, GateError> {
        let permit = tokio::time::timeout(self.wait, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| GateError::Busy)?
            .map_err(|_| GateError::Busy)?;
        let blocks = Arc::clone(&self.blocks);
        tokio::task::spawn_blocking(move || {
            let mut mine = lock(&blocks).pop().unwrap_or_default();
            let out = work(&mut mine);
            lock(&blocks).push(mine);
            drop(permit);
            out
        })
        .await
        .map_err(|e| GateError::Failed(e.to_string()))
    }
}

fn lock(blocks: &Mutex<Vec<Vec<Block>>>) -> std::sync::MutexGuard<'_, Vec<Vec<Block>>> {
    // A panic while holding the list leaves it intact (it only pushes and pops).
    blocks.lock().unwrap_or_else(|e| e.into_inner())
}

/// Grows `blocks` to what `params` needs and hands back exactly that much.
fn memory<'a>(blocks: &'a mut Vec<Block>, params: &Params) -> &'a mut [Block] {
    let need = params.block_count();
    if blocks.len() < need {
        blocks.resize(need, Block::default());
    }
    &mut blocks[..need]
}

/// `verify`, computing in `blocks` instead of fresh memory; compares in constant time.
fn verify_in(password: &str, hash: &str, blocks: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params.clone());
    argon
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            memory(blocks, &params),
        )
        .is_ok()
        && bool::from(out.as_slice().ct_eq(expected.as_bytes()))
}

/// `hash`, computing in `blocks` instead of fresh memory.
fn hash_in(
    password: &str,
    blocks: &mut Vec<Block>,
) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::default();
    let argon = Argon2::new(Algorithm::default(), Version::default(), params.clone());
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_buf)?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt_bytes,
                out,
                memory(blocks, &params),
            )
            .map_err(|_| argon2::password_hash::Error::Crypto)
    })?;
    Ok(PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: argon2::password_hash::ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn gated_hashes_verify_both_ways_and_reuse_their_memory() {
        let gate = HashGate::new(1, Duration::from_secs(5));
        let hash = gate.hash("correct horse battery".into()).await.unwrap();
        // Gated and plain hashing agree in both directions.
        assert!(verify("correct horse battery", &hash));
        let plain = super::hash("correct horse battery").unwrap();
        assert!(gate
            .verify("correct horse battery".into(), plain)
            .await
            .unwrap());
        assert!(!gate.verify("wrong".into(), hash.clone()).await.unwrap());
        assert!(!gate.verify("x".into(), "not a hash".into()).await.unwrap());
        // One permit, one block of memory, whatever the number of calls.
        assert_eq!(lock(&gate.blocks).len(), 1);
    }

    #[tokio::test]
    async fn a_busy_gate_answers_busy_after_its_wait() {
        let gate = HashGate::new(1, Duration::from_millis(50));
        let held = Arc::clone(&gate.permits).acquire_owned().await.unwrap();
        let started = std::time::Instant::now();
        assert!(matches!(
            gate.verify("x".into(), decoy().to_string()).await,
            Err(GateError::Busy)
        ));
        assert!(started.elapsed() < Duration::from_secs(2));
        drop(held);
    }
}
