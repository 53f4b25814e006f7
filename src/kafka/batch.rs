//! Many one-group admin requests on one result queue, without threads:
//! up to `max_in_flight` requests are outstanding at a time, each finished
//! item frees a slot, retriable failures are re-submitted (that item only)
//! after a per-item backoff (at least the stale-coordinator wait after
//! NOT_COORDINATOR, see [`super::STALE_COORDINATOR_WAIT`]), and everything
//! stops at one overall deadline.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::error::KafkaError;
use super::ffi::{self, Event, Queue, Submit};
use super::retry::RetryPolicy;

/// How long librdkafka may take to deliver a result past its own request
/// timeout before the call gives up waiting for it.
pub(crate) const RESULT_GRACE: Duration = Duration::from_millis(1000);

/// Limits of a batch call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BatchOptions {
    /// Deadline of the whole batch, retries included.
    pub timeout: Duration,
    /// Librdkafka request timeout of one attempt (capped by the time left).
    pub attempt_timeout: Duration,
    /// Per item.
    pub retry: RetryPolicy,
    /// Requests outstanding at once.
    pub max_in_flight: usize,
}

impl BatchOptions {
    pub fn new(timeout: Duration) -> BatchOptions {
        BatchOptions {
            timeout,
            attempt_timeout: timeout.min(super::settings::DEFAULT_TIMEOUT),
            retry: RetryPolicy::default(),
            max_in_flight: 64,
        }
    }

    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn attempt_timeout(mut self, attempt_timeout: Duration) -> Self {
        self.attempt_timeout = attempt_timeout;
        self
    }

    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.max(1);
        self
    }
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions::new(Duration::from_secs(30))
    }
}

enum State<T> {
    /// Waiting to be (re-)submitted at this time.
    Pending(Instant),
    InFlight,
    Done(Result<T, KafkaError>),
}

struct Item<R, T> {
    key: String,
    request: R,
    failures: u32,
    last_error: Option<KafkaError>,
    state: State<T>,
}

/// Runs one request per item (keys must be unique). `submit` sends the
/// request of an item;
/// `parse` turns its result event into the item's outcome.
pub(crate) fn run<R, T>(
    client: &ffi::Client,
    call: &'static str,
    items: Vec<(String, R)>,
    opts: &BatchOptions,
    stale_coordinator_wait: Duration,
    submit: impl Fn(&Queue<'_>, &str, &R, &Submit) -> Result<(), KafkaError>,
    parse: impl Fn(&Event<'_>, &str, &R) -> Result<T, KafkaError>,
) -> BTreeMap<String, Result<T, KafkaError>> {
    let start = Instant::now();
    let deadline = start + opts.timeout;
    let queue = client.queue();
    let mut items: Vec<Item<R, T>> = items
        .into_iter()
        .map(|(key, request)| Item {
            key,
            request,
            failures: 0,
            last_error: None,
            state: State::Pending(start),
        })
        .collect();
    let mut in_flight = 0usize;

    loop {
        // Submit what is due, within the in-flight limit. A submission may
        // block (looking up a coordinator), so the clock is read per item.
        for (idx, item) in items.iter_mut().enumerate() {
            if in_flight >= opts.max_in_flight {
                break;
            }
            let State::Pending(at) = item.state else {
                continue;
            };
            let now = Instant::now();
            if at > now {
                continue;
            }
            let left = deadline.saturating_duration_since(now);
            if left.is_zero() {
                item.state =
                    State::Done(Err(item.last_error.take().unwrap_or(KafkaError::Timeout {
                        call,
                        after_ms: start.elapsed().as_millis() as u64,
                    })));
                continue;
            }
            let req = Submit {
                timeout: left.min(opts.attempt_timeout),
                broker_id: None,
                opaque: idx + 1,
            };
            match submit(&queue, &item.key, &item.request, &req) {
                Ok(()) => {
                    item.state = State::InFlight;
                    in_flight += 1;
                }
                // Not sent (e.g. its coordinator is not known right now).
                Err(e) => {
                    item.state =
                        after_failure(call, item, e, opts, deadline, stale_coordinator_wait);
                }
            }
        }

        let next_due = items
            .iter()
            .filter_map(|i| match i.state {
                State::Pending(at) => Some(at),
                _ => None,
            })
            .min();
        if in_flight == 0 && next_due.is_none() {
            break;
        }
        let now = Instant::now();
        let give_up_at = deadline + RESULT_GRACE;
        if now >= give_up_at {
            break;
        }
        let wait_until = match next_due {
            Some(at) if in_flight < opts.max_in_flight => at.min(give_up_at),
            _ => give_up_at,
        };
        let Some(event) = queue.poll(wait_until.saturating_duration_since(now)) else {
            continue;
        };
        let Some(item) = event.opaque().checked_sub(1).and_then(|i| items.get_mut(i)) else {
            continue;
        };
        if !matches!(item.state, State::InFlight) {
            continue;
        }
        in_flight -= 1;
        let outcome = parse(&event, &item.key, &item.request);
        drop(event);
        item.state = match outcome {
            Err(e) => after_failure(call, item, e, opts, deadline, stale_coordinator_wait),
            ok => State::Done(ok),
        };
    }

    let elapsed_ms = start.elapsed().as_millis() as u64;
    items
        .into_iter()
        .map(|item| {
            let outcome = match item.state {
                State::Done(r) => r,
                State::Pending(_) => Err(item.last_error.unwrap_or(KafkaError::Timeout {
                    call,
                    after_ms: elapsed_ms,
                })),
                State::InFlight => Err(KafkaError::Timeout {
                    call,
                    after_ms: elapsed_ms,
                }),
            };
            (item.key, outcome)
        })
        .collect()
}

/// The next state of an item whose attempt failed with `e`: pending again
/// (retriable, attempts and time left) or done.
fn after_failure<R, T>(
    call: &str,
    item: &mut Item<R, T>,
    e: KafkaError,
    opts: &BatchOptions,
    deadline: Instant,
    stale_coordinator_wait: Duration,
) -> State<T> {
    if !e.is_retriable() {
        return State::Done(Err(e));
    }
    item.failures += 1;
    let now = Instant::now();
    match opts
        .retry
        .next_attempt_after(&e, item.failures, now, deadline, stale_coordinator_wait)
    {
        Some(at) => {
            // One line per retried fault: what `-vv` shows an operator (and what the
            // fault-injection tests count).
            log::debug!(
                "{call} `{}`: retrying after {e} (failure {})",
                item.key,
                item.failures
            );
            item.last_error = Some(e);
            State::Pending(at)
        }
        None => State::Done(Err(e)),
    }
}
