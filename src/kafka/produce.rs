//! Producing records: for the lab's traffic and for tests. Records carry explicit
//! timestamps so that timestamp-based resets can be checked exactly.

use std::time::Duration;

use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};

use super::error::{ErrorCode, KafkaError};
use super::settings::ClientSettings;

pub struct RecordProducer {
    inner: ThreadedProducer<DefaultProducerContext>,
    settings: ClientSettings,
}

impl RecordProducer {
    pub fn new(settings: &ClientSettings) -> Result<RecordProducer, KafkaError> {
        let mut cfg = settings.to_rdkafka_config();
        cfg.set("linger.ms", "5")
            .set("acks", "all")
            .set("enable.idempotence", "true");
        let inner = cfg.create().map_err(|e| KafkaError::Config {
            property: None,
            message: settings.redact(&e.to_string()),
        })?;
        Ok(RecordProducer {
            inner,
            settings: settings.clone(),
        })
    }

    /// Queues one record; `partition: None` lets the partitioner choose by key.
    pub fn send(
        &self,
        topic: &str,
        partition: Option<i32>,
        key: &str,
        value: &str,
        timestamp_ms: i64,
    ) -> Result<(), KafkaError> {
        let mut rec = BaseRecord::<str, str>::to(topic)
            .key(key)
            .payload(value)
            .timestamp(timestamp_ms);
        if let Some(p) = partition {
            rec = rec.partition(p);
        }
        // A full local queue is transient: wait for deliveries and try again.
        let mut rec = rec;
        for _ in 0..100 {
            match self.inner.send(rec) {
                Ok(()) => return Ok(()),
                Err((e, r)) => {
                    if e.rdkafka_error_code() != Some(rdkafka::types::RDKafkaErrorCode::QueueFull) {
                        return Err(self.err(e));
                    }
                    rec = r;
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
        Err(KafkaError::Timeout {
            call: "Produce",
            after_ms: 1000,
        })
    }

    /// Waits until every queued record is delivered.
    pub fn flush(&self, timeout: Duration) -> Result<(), KafkaError> {
        self.inner.flush(timeout).map_err(|e| self.err(e))
    }

    fn err(&self, e: rdkafka::error::KafkaError) -> KafkaError {
        KafkaError::Other {
            code: ErrorCode::LOCAL_FAIL,
            message: self.settings.redact(&e.to_string()),
        }
    }
}
