//! Argon2id hashing (OWASP parameters: 19 MiB, 2 passes, 1 lane) on bounded pools of
//! blocking threads, so that hashing never stalls the async runtime.
//!
//! Two lanes, each with its own threads and its own bounded queue: sign-in (people
//! getting in) and everything else (registration, activation, new passwords). A flood of
//! one can fill only its own lane, and a full lane answers "busy" at once instead of
//! queueing without end: sign-in keeps its share whatever registration suffers.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The lane's queue is full: the caller answers 503 with Retry-After.
    #[error("password hashing is busy")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

fn failed(e: impl ToString) -> HashError {
    HashError::Failed(e.to_string())
}

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(failed)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes allowed to wait per thread of a lane by default: about a second of work.
pub const DEFAULT_QUEUE_PER_THREAD: usize = 32;

/// Who the work is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    SignIn,
    Other,
}

/// One lane: its threads, and how many may wait for them.
struct Pool {
    permits: Semaphore,
    concurrency: usize,
    waiting: AtomicUsize,
    max_waiting: usize,
    /// Argon2 computations done (a metric: what a flood really cost).
    done: AtomicU64,
}

impl Pool {
    fn new(concurrency: usize, max_waiting: usize) -> Self {
        Self {
            permits: Semaphore::new(concurrency),
            concurrency,
            waiting: AtomicUsize::new(0),
            max_waiting,
            done: AtomicU64::new(0),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = match self.permits.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                // Count ourselves in the queue only if there is room.
                let queued = self.waiting.fetch_add(1, Ordering::AcqRel);
                if queued >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(HashError::Busy);
                }
                let permit = self.permits.acquire().await;
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                permit.map_err(failed)?
            }
        };
        self.done.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(work).await.map_err(failed)?
    }
}

#[derive(Clone)]
pub struct Hasher {
    sign_in: Arc<Pool>,
    other: Arc<Pool>,
}

impl Hasher {
    /// Sized for `cores`: sign-in may use every core, the rest half of them (at least one).
    /// Each lane queues up to about a second of work (32 hashes of some 30 ms per thread)
    /// before it answers busy.
    pub fn new(cores: usize) -> Self {
        Self::with_queue(cores, DEFAULT_QUEUE_PER_THREAD)
    }

    /// As [`Hasher::new`], with `per_thread` hashes allowed to wait per thread of a lane
    /// (`HASH_QUEUE_PER_THREAD`).
    pub fn with_queue(cores: usize, per_thread: usize) -> Self {
        let cores = cores.max(1);
        let other = (cores / 2).max(1);
        Self::with_lanes((cores, per_thread * cores), (other, per_thread * other))
    }

    /// Lanes of (threads, most waiting): sign-in's, then the other work's.
    pub fn with_lanes(sign_in: (usize, usize), other: (usize, usize)) -> Self {
        Self {
            sign_in: Arc::new(Pool::new(sign_in.0.max(1), sign_in.1)),
            other: Arc::new(Pool::new(other.0.max(1), other.1)),
        }
    }

    fn pool(&self, lane: Lane) -> &Pool {
        match lane {
            Lane::SignIn => &self.sign_in,
            Lane::Other => &self.other,
        }
    }

    /// Hashes waiting for a thread (both lanes).
    pub fn queued(&self) -> usize {
        [&self.sign_in, &self.other]
            .iter()
            .map(|p| p.waiting.load(Ordering::Relaxed))
            .sum()
    }

    /// Argon2 computations started on `lane` since the start.
    pub fn computed(&self, lane: Lane) -> u64 {
        self.pool(lane).done.load(Ordering::Relaxed)
    }

    /// Hashes running now (both lanes).
    pub fn busy(&self) -> usize {
        [&self.sign_in, &self.other]
            .iter()
            .map(|p| p.concurrency - p.permits.available_permits())
            .sum()
    }

    /// The PHC string of `secret` with a fresh salt (registration, new passwords).
    pub async fn hash(&self, secret: &str) -> Result<String, HashError> {
        let secret = secret.to_owned();
        self.other
            .run(move || {
                let salt = SaltString::generate(&mut OsRng);
                argon2()?
                    .hash_password(secret.as_bytes(), &salt)
                    .map(|h| h.to_string())
                    .map_err(failed)
            })
            .await
    }

    /// Whether `secret` matches the PHC string `hash`, on `lane`.
    pub async fn verify(&self, lane: Lane, secret: &str, hash: &str) -> Result<bool, HashError> {
        let (secret, hash) = (secret.to_owned(), hash.to_owned());
        self.pool(lane)
            .run(move || {
                let parsed = PasswordHash::new(&hash).map_err(failed)?;
                Ok(argon2()?
                    .verify_password(secret.as_bytes(), &parsed)
                    .is_ok())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_lane_answers_busy_and_leaves_the_other_lane_free() {
        // One thread and one place in the queue for the other work.
        let hasher = Hasher::with_lanes((1, 1), (1, 1));
        let hash = hasher.hash("secret").await.unwrap();
        let flood: Vec<_> = (0..8)
            .map(|_| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash("x").await })
            })
            .collect();
        // Meanwhile sign-in is served from its own lane.
        assert!(hasher.verify(Lane::SignIn, "secret", &hash).await.unwrap());
        let mut busy = 0;
        for task in flood {
            if matches!(task.await.unwrap(), Err(HashError::Busy)) {
                busy += 1;
            }
        }
        assert!(
            busy >= 6,
            "{busy} of 8 refused: at most one ran and one waited"
        );
    }
}
