//! Creating topics (the lab's, and the run lock's own `kafka-failover.locks.internal`). Uses
//! rust-rdkafka's CreateTopics, which works against Apache Kafka; librdkafka's mock
//! cluster has its own `MockKafka::create_topic`.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient as RdAdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;

use super::admin::AdminClient;
use super::error::{ErrorCode, KafkaError};

/// A topic to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTopicSpec {
    pub name: String,
    pub partitions: i32,
    pub replication_factor: i32,
    /// Topic configs (e.g. `cleanup.policy=compact`); empty: the broker's defaults.
    pub configs: Vec<(String, String)>,
}

impl AdminClient {
    /// Creates `topics` (one CreateTopics request) and waits until every partition of
    /// each has a leader. Answers per topic; a topic that already exists is an error
    /// like any other. Fails as a whole only when the request itself fails.
    pub fn create_topics(
        &self,
        topics: &[NewTopicSpec],
        timeout: Duration,
    ) -> Result<BTreeMap<String, Result<(), KafkaError>>, KafkaError> {
        const CALL: &str = "CreateTopics";
        if topics.is_empty() {
            return Ok(BTreeMap::new());
        }
        let deadline = Instant::now() + timeout;
        let settings = self.settings();
        let admin: RdAdminClient<DefaultClientContext> = settings
            .to_rdkafka_config()
            .create()
            .map_err(|e| KafkaError::Config {
                property: None,
                message: settings.redact(&e.to_string()),
            })?;
        let new: Vec<NewTopic<'_>> = topics
            .iter()
            .map(|t| {
                t.configs.iter().fold(
                    NewTopic::new(
                        &t.name,
                        t.partitions,
                        TopicReplication::Fixed(t.replication_factor),
                    ),
                    |n, (k, v)| n.set(k, v),
                )
            })
            .collect();
        let opts = AdminOptions::new()
            .request_timeout(Some(timeout))
            .operation_timeout(Some(timeout));
        let answers = block_on(admin.create_topics(&new, &opts)).map_err(|e| {
            let code = match &e {
                // E.g. __DESTROY_BROKER while librdkafka swaps its bootstrap brokers
                // for the ones the metadata names: retriable.
                rdkafka::error::KafkaError::AdminOp(c) => ErrorCode(*c as i32),
                _ => e
                    .rdkafka_error_code()
                    .map_or(ErrorCode::LOCAL_FAIL, |c| ErrorCode(c as i32)),
            };
            KafkaError::from_code(CALL, code, settings.redact(&e.to_string()), None)
        })?;
        let mut out: BTreeMap<String, Result<(), KafkaError>> = topics
            .iter()
            .map(|t| {
                let answer = answers.iter().find(|a| match a {
                    Ok(name) | Err((name, _)) => name == &t.name,
                });
                let result = match answer {
                    Some(Ok(_)) => Ok(()),
                    Some(Err((_, code))) => Err(KafkaError::from_code(
                        CALL,
                        ErrorCode(*code as i32),
                        format!("{}: {code}", t.name),
                        None,
                    )),
                    None => Err(KafkaError::Other {
                        code: ErrorCode::LOCAL_FAIL,
                        message: format!("no CreateTopics result for {}", t.name),
                    }),
                };
                (t.name.clone(), result)
            })
            .collect();
        for (name, result) in out.iter_mut().filter(|(_, r)| r.is_ok()) {
            let left = deadline.saturating_duration_since(Instant::now());
            *result = self.wait_for_topic_leaders(std::slice::from_ref(name), left);
        }
        Ok(out)
    }

    /// Polls DescribeTopics until every partition of `topics` has a leader.
    pub fn wait_for_topic_leaders(
        &self,
        topics: &[String],
        timeout: Duration,
    ) -> Result<(), KafkaError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let last = match self.describe_topics(topics, left.min(Duration::from_secs(5))) {
                Ok(d)
                    if d.iter()
                        .all(|t| t.partitions.iter().all(|p| p.leader.is_some())) =>
                {
                    return Ok(())
                }
                Ok(_) => None,
                Err(e) => Some(e),
            };
            if Instant::now() + Duration::from_millis(200) >= deadline {
                return Err(last.unwrap_or(KafkaError::Timeout {
                    call: "DescribeTopics (waiting for partition leaders)",
                    after_ms: timeout.as_millis() as u64,
                }));
            }
            thread::sleep(Duration::from_millis(200));
        }
    }
}

struct ThreadWaker(thread::Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Minimal executor for rust-rdkafka's runtime-agnostic futures (admin calls, delivery
/// futures): parks the calling thread until the future is ready.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        thread::park();
    }
}
