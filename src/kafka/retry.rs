//! Bounded exponential backoff for [`KafkaError::Retriable`] failures.

use std::thread;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::error::KafkaError;

/// How long to wait before re-sending a group request that a broker
/// answered NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE, with this crate's
/// `metadata.max.age.ms` of 1000 ms.
///
/// librdkafka caches each group's coordinator and does not drop the entry on
/// those answers; its once-a-second timer drops an entry only after it went
/// unused for `metadata.max.age.ms`. A retry sooner than that idle time plus
/// one timer period (plus a margin) may go to the same stale broker again,
/// and a client that retries faster than `metadata.max.age.ms` never leaves
/// it (seen against Kafka 4.1.1 after a coordinator moved back: NOT_COORDINATOR
/// for as long as a group was polled every 100 ms).
pub const STALE_COORDINATOR_WAIT: Duration = Duration::from_millis(2_250);

/// How often and how patiently to retry retriable failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetryPolicy {
    /// Total attempts, the first one included (1 = no retry).
    pub max_attempts: u32,
    /// Wait after the first failure; doubled after each further one.
    pub initial_backoff: Duration,
    /// Upper bound of one wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait after the `failures`-th failure (1-based).
    pub fn backoff(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(30);
        self.initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff)
    }

    /// After `failures` failures, when may the next attempt start? `None`
    /// when the attempts are used up or the wait would end past `deadline`.
    pub fn next_attempt_at(
        &self,
        failures: u32,
        now: Instant,
        deadline: Instant,
    ) -> Option<Instant> {
        if failures >= self.max_attempts {
            return None;
        }
        let at = now + self.backoff(failures);
        (at < deadline).then_some(at)
    }

    /// [`Self::next_attempt_at`] after `error`: when it says the group's
    /// coordinator moved, the wait is at least `stale_coordinator_wait` (see
    /// [`STALE_COORDINATOR_WAIT`]), so that the retry looks the coordinator up
    /// again instead of asking the stale one.
    pub fn next_attempt_after(
        &self,
        error: &KafkaError,
        failures: u32,
        now: Instant,
        deadline: Instant,
        stale_coordinator_wait: Duration,
    ) -> Option<Instant> {
        if failures >= self.max_attempts {
            return None;
        }
        let mut wait = self.backoff(failures);
        if error.code().is_some_and(|c| c.is_coordinator_moved()) {
            wait = wait.max(stale_coordinator_wait);
        }
        let at = now + wait;
        (at < deadline).then_some(at)
    }
}

/// Runs `op` until it succeeds, fails with a non-retriable error, the
/// attempts are used up, or `timeout` has passed. `op` gets the time left.
/// The last error is returned. After a NOT_COORDINATOR-like error the next
/// attempt waits at least [`STALE_COORDINATOR_WAIT`].
///
/// ```no_run
/// # use std::time::Duration;
/// # use kafka_failover::kafka::{retry, AdminClient, ClientSettings, RetryPolicy};
/// # let admin = AdminClient::new(ClientSettings::new("127.0.0.1:9092")).unwrap();
/// let cluster = retry(&RetryPolicy::default(), Duration::from_secs(30), |left| {
///     admin.describe_cluster(left)
/// });
/// ```
pub fn retry<T>(
    policy: &RetryPolicy,
    timeout: Duration,
    mut op: impl FnMut(Duration) -> Result<T, KafkaError>,
) -> Result<T, KafkaError> {
    let start = Instant::now();
    let deadline = start + timeout;
    let mut failures = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match op(left) {
            Ok(v) => return Ok(v),
            Err(e) if e.is_retriable() => {
                failures += 1;
                let now = Instant::now();
                match policy.next_attempt_after(&e, failures, now, deadline, STALE_COORDINATOR_WAIT)
                {
                    Some(at) => thread::sleep(at - now),
                    None => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kafka::error::ErrorCode;

    fn retriable() -> KafkaError {
        KafkaError::Retriable {
            code: ErrorCode::REQUEST_TIMED_OUT,
            message: "slow".into(),
        }
    }

    fn moved() -> KafkaError {
        KafkaError::Retriable {
            code: ErrorCode::NOT_COORDINATOR,
            message: "moved".into(),
        }
    }

    fn fast(max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(4),
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
        };
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(200));
        assert_eq!(p.backoff(3), Duration::from_millis(350));
        assert_eq!(p.backoff(60), Duration::from_millis(350));
    }

    #[test]
    fn next_attempt_respects_attempts_and_deadline() {
        let p = fast(3);
        let now = Instant::now();
        let far = now + Duration::from_secs(10);
        assert!(p.next_attempt_at(1, now, far).is_some());
        assert!(p.next_attempt_at(2, now, far).is_some());
        assert!(p.next_attempt_at(3, now, far).is_none());
        assert!(p.next_attempt_at(1, now, now).is_none());
    }

    #[test]
    fn retries_retriable_until_success() {
        let mut calls = 0;
        let r = retry(&fast(5), Duration::from_secs(5), |_| {
            calls += 1;
            if calls < 3 {
                Err(retriable())
            } else {
                Ok(calls)
            }
        });
        assert_eq!(r, Ok(3));
    }

    #[test]
    fn gives_up_after_max_attempts_with_last_error() {
        let mut calls = 0;
        let r: Result<(), _> = retry(&fast(4), Duration::from_secs(5), |_| {
            calls += 1;
            Err(retriable())
        });
        assert_eq!(calls, 4);
        assert!(r.unwrap_err().is_retriable());
    }

    #[test]
    fn coordinator_moved_waits_for_the_stale_cache_entry_to_expire() {
        let p = RetryPolicy::default();
        let now = Instant::now();
        let far = now + Duration::from_secs(60);
        let floor = Duration::from_millis(2_250);
        let at = p.next_attempt_after(&moved(), 1, now, far, floor);
        assert_eq!(at, Some(now + floor));
        // Other retriable errors keep the plain backoff.
        let loading = KafkaError::Retriable {
            code: ErrorCode::COORDINATOR_LOAD_IN_PROGRESS,
            message: "loading".into(),
        };
        let at = p.next_attempt_after(&loading, 1, now, far, floor);
        assert_eq!(at, Some(now + p.initial_backoff));
        // A wait past the deadline, or no attempts left: give up.
        let near = now + Duration::from_secs(1);
        assert_eq!(p.next_attempt_after(&moved(), 1, now, near, floor), None);
        assert_eq!(
            p.next_attempt_after(&moved(), p.max_attempts, now, far, floor),
            None
        );
    }

    #[test]
    fn does_not_retry_other_errors() {
        let mut calls = 0;
        let r: Result<(), _> = retry(&fast(5), Duration::from_secs(5), |_| {
            calls += 1;
            Err(KafkaError::Unsupported {
                call: "X",
                message: String::new(),
            })
        });
        assert_eq!(calls, 1);
        assert!(matches!(r, Err(KafkaError::Unsupported { .. })));
    }

    #[test]
    fn stops_at_the_deadline() {
        let p = RetryPolicy {
            max_attempts: 1000,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(20),
        };
        let start = Instant::now();
        let r: Result<(), _> = retry(&p, Duration::from_millis(200), |left| {
            assert!(left <= Duration::from_millis(200));
            Err(retriable())
        });
        assert!(r.is_err());
        assert!(start.elapsed() < Duration::from_millis(400));
    }
}
