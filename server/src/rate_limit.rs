//! Limits on attempts (per client address, per account and address, per client number…),
//! counted in the database so that every instance shares them.
//!
//! Each attempt takes its slot atomically *before* the work it guards (an Argon2
//! verification, a CAPTCHA check…), so that a burst of parallel requests can never be
//! evaluated past the limit; a success that must not count gives its slot back. Windows
//! slide: the previous window's count weighs by how much of it still overlaps, so that no
//! wall-clock boundary doubles the allowance.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::db::{self, Db, Tx};

/// At most `max` attempts per `window_seconds` for each key of one kind.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub kind: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

/// Over the limit: retry in this many seconds.
#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    #[error("Trop de tentatives. Réessayez dans {}.", in_minutes(*.0))]
    Exceeded(i64),
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

impl RateLimitError {
    /// Seconds to wait, for the `Retry-After` header.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            Self::Exceeded(seconds) => Some(*seconds),
            Self::Database(_) => None,
        }
    }
}

/// "1 minute", "15 minutes": a wait said as a person would say it.
pub fn in_minutes(seconds: i64) -> String {
    let minutes = ((seconds + 59) / 60).max(1);
    if minutes == 1 {
        "1 minute".into()
    } else if minutes < 120 {
        format!("{minutes}\u{a0}minutes")
    } else {
        format!("{}\u{a0}heures", (minutes + 59) / 60)
    }
}

/// The key of a client address: an IPv4 address, or an IPv6 address's /64 (one household
/// or office gets a whole /64, so counting single IPv6 addresses would count nothing).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// A counted attempt, which a success may give back.
#[derive(Debug, Clone)]
pub struct Slot {
    bucket: String,
    window_start: i64,
}

impl Slot {
    /// Uncounts the attempt (it succeeded, or nothing was evaluated).
    pub async fn give_back(&self, db: &Db) -> Result<(), sqlx::Error> {
        db::rate_limits::give_back(db, &self.bucket, self.window_start).await
    }
}

/// One attempt counted: its slot, the sliding count with it, and how long to wait if the
/// window is now over the limit.
#[derive(Debug)]
pub struct Hit {
    pub slot: Slot,
    pub count: i64,
    pub over: Option<i64>,
}

/// The sliding estimate: this window's hits, plus the previous window's weighted by the
/// part of it that still lies within `window` seconds of `at`.
fn estimate(current: i64, previous: i64, elapsed: i64, window: i64) -> i64 {
    current + previous * (window - elapsed) / window
}

/// Seconds until the estimate is back within `max` (if no other attempt comes).
fn wait(current: i64, previous: i64, elapsed: i64, window: i64, max: i64) -> i64 {
    if current > max {
        // This window alone is over: wait until it is the previous one and weighs enough less.
        return (window - elapsed) + wait(0, current, 0, window, max);
    }
    if previous == 0 {
        return 0;
    }
    // previous × (window − e) / window ≤ max − current  ⇔  e ≥ window − (max − current) × window / previous
    let needed = window - (max - current) * window / previous;
    (needed - elapsed).max(1)
}

impl Limit {
    fn bucket(&self, key: &str) -> String {
        format!("{}:{key}", self.kind)
    }

    fn window_start(&self, at: i64) -> i64 {
        at - at.rem_euclid(self.window_seconds)
    }

    /// The window's sliding count for `key` at `at`, without counting anything.
    pub async fn estimate(&self, db: &Db, key: &str, at: i64) -> Result<i64, sqlx::Error> {
        let window_start = self.window_start(at);
        let (current, previous) =
            db::rate_limits::two_windows(db, &self.bucket(key), window_start, self.window_seconds)
                .await?;
        Ok(estimate(
            current,
            previous,
            at - window_start,
            self.window_seconds,
        ))
    }

    /// Counts one attempt for `key` at time `at`, and says whether the window is over.
    pub async fn hit(&self, db: &Db, key: &str, at: i64) -> Result<Hit, sqlx::Error> {
        let (bucket, window_start) = (self.bucket(key), self.window_start(at));
        let counts = db::rate_limits::hit(db, &bucket, window_start, self.window_seconds).await?;
        Ok(self.judge(bucket, window_start, counts, at))
    }

    /// Counts one attempt for each of `keys` at time `at`, as if one after the other in
    /// that order, in one statement within a transaction (which commits them with the rest).
    pub async fn hit_each_in(
        &self,
        tx: &mut Tx<'_>,
        keys: &[&str],
        at: i64,
    ) -> Result<Vec<Hit>, sqlx::Error> {
        let window_start = self.window_start(at);
        let buckets: Vec<String> = keys.iter().map(|key| self.bucket(key)).collect();
        let mut taken: BTreeMap<String, i64> = BTreeMap::new();
        for bucket in &buckets {
            *taken.entry(bucket.clone()).or_default() += 1;
        }
        let counts =
            db::rate_limits::hit_each_in(tx, &taken, window_start, self.window_seconds).await?;
        // A bucket hit n times now holds `current`: its k-th hit brought it to current − n + k.
        let mut seen: HashMap<&str, i64> = HashMap::new();
        let mut hits = Vec::with_capacity(buckets.len());
        for bucket in &buckets {
            let (Some(n), Some((current, previous))) = (taken.get(bucket), counts.get(bucket))
            else {
                return Err(sqlx::Error::RowNotFound);
            };
            let k = seen.entry(bucket).or_default();
            *k += 1;
            let counts = (current - n + *k, *previous);
            hits.push(self.judge(bucket.clone(), window_start, counts, at));
        }
        Ok(hits)
    }

    /// The hit that brought the window's count to `current`, the previous window's being
    /// `previous`.
    fn judge(
        &self,
        bucket: String,
        window_start: i64,
        (current, previous): (i64, i64),
        at: i64,
    ) -> Hit {
        let elapsed = at - window_start;
        let count = estimate(current, previous, elapsed, self.window_seconds);
        let over = (count > self.max)
            .then(|| wait(current, previous, elapsed, self.window_seconds, self.max));
        Hit {
            slot: Slot {
                bucket,
                window_start,
            },
            count,
            over,
        }
    }
}

/// Keys this process has seen over their limit, and until when: further attempts are
/// refused here without a database write, and answered only after [`TARPIT`], so that a
/// client retrying at once retries once a second and a flood of refusals costs next to no
/// CPU (waiting costs none). The database stays the authority (each instance learns on its
/// own).
#[derive(Clone)]
pub struct Penalties {
    until: Arc<Mutex<HashMap<String, i64>>>,
    /// Refusals held back at once; past that, answered at once (a waiting request still
    /// holds a connection).
    held: Arc<tokio::sync::Semaphore>,
}

/// How long a refusal of a key already known to be over waits before it is answered.
pub const TARPIT: std::time::Duration = std::time::Duration::from_secs(1);
const HELD_AT_ONCE: usize = 1024;

impl Default for Penalties {
    fn default() -> Self {
        Self {
            until: Arc::default(),
            held: Arc::new(tokio::sync::Semaphore::new(HELD_AT_ONCE)),
        }
    }
}

/// Past this many keys, expired ones are dropped (and all, if none had expired).
const PENALTIES_KEPT: usize = 100_000;

impl Penalties {
    /// Seconds left of `bucket`'s penalty at `at`, if any.
    fn left(&self, bucket: &str, at: i64) -> Option<i64> {
        let penalties = self.until.lock().ok()?;
        penalties
            .get(bucket)
            .map(|until| until - at)
            .filter(|left| *left > 0)
    }

    /// Waits [`TARPIT`] before a refusal is answered, unless too many refusals wait already.
    pub async fn tarpit(&self) {
        if let Ok(_held) = self.held.try_acquire() {
            tokio::time::sleep(TARPIT).await;
        }
    }

    fn punish(&self, bucket: String, until: i64, at: i64) {
        if let Ok(mut penalties) = self.until.lock() {
            if penalties.len() >= PENALTIES_KEPT {
                penalties.retain(|_, until| *until > at);
                if penalties.len() >= PENALTIES_KEPT {
                    penalties.clear();
                }
            }
            penalties.insert(bucket, until);
        }
    }
}

/// The limits as one request meets them: the database, this process's penalties, and the
/// time of the request.
pub struct Limits<'a> {
    pub db: &'a Db,
    pub penalties: &'a Penalties,
    pub at: i64,
}

impl Limits<'_> {
    /// Takes a slot of `limit` for `key`, refusing it once the window holds more than
    /// `max` (the refused attempt still counts: whoever keeps knocking keeps waiting); a key
    /// already known to be over is refused at once.
    pub async fn take(&self, limit: &Limit, key: &str) -> Result<Slot, RateLimitError> {
        self.refuse_known(limit, key).await?;
        let hit = limit.hit(self.db, key, self.at).await?;
        self.settle(hit).map(|hit| hit.slot)
    }

    /// [`Self::take`] for each of `keys`, as if one after the other in that order, within a
    /// transaction that commits the counts with the rest; each hit tells the sliding count
    /// with it. A key already known to be over is refused without counting, and without
    /// [`TARPIT`]: the caller holds the database's writer and waits it after
    /// ([`Penalties::tarpit`]).
    pub async fn take_each_in(
        &self,
        tx: &mut Tx<'_>,
        limit: &Limit,
        keys: &[&str],
    ) -> Result<Vec<Result<Hit, RateLimitError>>, sqlx::Error> {
        let known: Vec<Option<i64>> = keys
            .iter()
            .map(|key| self.penalties.left(&limit.bucket(key), self.at))
            .collect();
        let counted: Vec<&str> = keys
            .iter()
            .zip(&known)
            .filter(|(_, known)| known.is_none())
            .map(|(key, _)| *key)
            .collect();
        let mut hits = limit.hit_each_in(tx, &counted, self.at).await?.into_iter();
        Ok(known
            .into_iter()
            .map(|known| match known {
                Some(left) => Err(RateLimitError::Exceeded(left)),
                None => hits
                    .next()
                    .ok_or(RateLimitError::Database(sqlx::Error::RowNotFound))
                    .and_then(|hit| self.settle(hit)),
            })
            .collect())
    }

    /// Refuses, after [`TARPIT`], a key this process already knows to be over `limit`.
    pub async fn refuse_known(&self, limit: &Limit, key: &str) -> Result<(), RateLimitError> {
        let Some(left) = self.penalties.left(&limit.bucket(key), self.at) else {
            return Ok(());
        };
        self.penalties.tarpit().await;
        Err(RateLimitError::Exceeded(left))
    }

    /// A hit within the limit; one over it is refused and remembered.
    fn settle(&self, hit: Hit) -> Result<Hit, RateLimitError> {
        match hit.over {
            Some(seconds) => {
                self.penalties
                    .punish(hit.slot.bucket, self.at + seconds, self.at);
                Err(RateLimitError::Exceeded(seconds))
            }
            None => Ok(hit),
        }
    }

    /// Takes a slot in every limit of `limits` for `key`; refused by the first that is over.
    pub async fn take_all(&self, limits: &[Limit], key: &str) -> Result<Vec<Slot>, RateLimitError> {
        let mut slots = Vec::with_capacity(limits.len());
        for limit in limits {
            slots.push(self.take(limit, key).await?);
        }
        Ok(slots)
    }
}

/// Gives back every slot of `slots`.
pub async fn give_back_all(slots: &[Slot], db: &Db) -> Result<(), sqlx::Error> {
    for slot in slots {
        slot.give_back(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_window_weighs_by_its_overlap() {
        assert_eq!(estimate(0, 10, 0, 100), 10);
        assert_eq!(estimate(0, 10, 50, 100), 5);
        assert_eq!(estimate(3, 10, 90, 100), 4);
    }

    #[test]
    fn the_wait_brings_the_estimate_back_within_the_limit() {
        for (current, previous, elapsed) in [(11, 0, 10), (5, 10, 20), (10, 10, 0), (30, 30, 99)] {
            let (window, max) = (100, 10);
            let w = wait(current, previous, elapsed, window, max);
            assert!(w > 0);
            // Moved on by w seconds (possibly into the next window), the estimate fits.
            let at = elapsed + w;
            let fits = if at < window {
                estimate(current, previous, at, window) <= max
            } else {
                estimate(0, current, at - window, window) <= max
            };
            assert!(fits, "{current} {previous} {elapsed} → {w}");
        }
    }

    #[test]
    fn ipv6_addresses_count_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7");
    }

    #[test]
    fn waits_are_said_in_words() {
        assert_eq!(in_minutes(30), "1 minute");
        assert_eq!(in_minutes(61), "2\u{a0}minutes");
        assert_eq!(in_minutes(5 * 3600), "5\u{a0}heures");
    }
}
