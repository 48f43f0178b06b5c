//! Argon2id hashing (OWASP parameters: 19 MiB, 2 passes, 1 lane) on a bounded pool of
//! blocking threads, so that hashing never stalls the async runtime and a burst of
//! sign-ins queues instead of exhausting memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    concurrency: usize,
    /// Hashes waiting for a thread (exposed as a metric).
    waiting: Arc<AtomicUsize>,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

impl Hasher {
    /// At most `concurrency` hashes at once (one per core is the natural choice).
    pub fn new(concurrency: usize) -> Self {
        let concurrency = concurrency.max(1);
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            waiting: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Hashes waiting for a thread of the pool.
    pub fn queued(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Hashes running now.
    pub fn busy(&self) -> usize {
        self.concurrency - self.permits.available_permits()
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        let _permit = permit.map_err(|e| HashError(e.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| HashError(e.to_string()))?
    }

    /// The PHC string of `secret` with a fresh salt.
    pub async fn hash(&self, secret: &str) -> Result<String, HashError> {
        let secret = secret.to_owned();
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()?
                .hash_password(secret.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| HashError(e.to_string()))
        })
        .await
    }

    /// Whether `secret` matches the PHC string `hash`.
    pub async fn verify(&self, secret: &str, hash: &str) -> Result<bool, HashError> {
        let (secret, hash) = (secret.to_owned(), hash.to_owned());
        self.run(move || {
            let parsed = PasswordHash::new(&hash).map_err(|e| HashError(e.to_string()))?;
            Ok(argon2()?
                .verify_password(secret.as_bytes(), &parsed)
                .is_ok())
        })
        .await
    }
}
