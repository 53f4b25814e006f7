//! librdkafka's in-process mock cluster, for the lab and for tests: brokers on 127.0.0.1
//! with racks, topics, and faults on cue (broker down, RTT, injected request errors).
//! A `MockKafka` is not `Send`: it lives on the thread that made it.

use std::time::Duration;

use rdkafka::mocking::MockCluster;
use rdkafka::producer::DefaultProducerContext;
use rdkafka::types::RDKafkaRespErr;

pub use rdkafka::types::RDKafkaApiKey as ApiKey;

use super::error::KafkaError;

pub struct MockKafka {
    cluster: MockCluster<'static, DefaultProducerContext>,
    brokers: i32,
}

fn mock_err(what: &str, e: rdkafka::error::KafkaError) -> KafkaError {
    KafkaError::Other {
        code: super::error::ErrorCode::LOCAL_FAIL,
        message: format!("mock cluster: {what}: {e}"),
    }
}

impl MockKafka {
    /// A cluster of `racks.len()` brokers (ids 1..=n); broker i+1 gets `racks[i]`.
    pub fn new(racks: &[Option<String>]) -> Result<MockKafka, KafkaError> {
        let n = racks.len().max(1) as i32;
        let cluster = MockCluster::new(n).map_err(|e| mock_err("create", e))?;
        for (i, rack) in racks.iter().enumerate() {
            if let Some(r) = rack {
                cluster
                    .broker_rack(i as i32 + 1, r)
                    .map_err(|e| mock_err("set rack", e))?;
            }
        }
        Ok(MockKafka {
            cluster,
            brokers: n,
        })
    }

    pub fn bootstrap(&self) -> String {
        self.cluster.bootstrap_servers()
    }

    pub fn broker_ids(&self) -> Vec<i32> {
        (1..=self.brokers).collect()
    }

    pub fn create_topic(&self, name: &str, partitions: i32, rf: i32) -> Result<(), KafkaError> {
        self.cluster
            .create_topic(name, partitions, rf)
            .map_err(|e| mock_err("create topic", e))
    }

    /// Creates the topic unless it exists: `true` if it was created. The mock has no
    /// CreateTopics API, so this is how a lab makes topics for clients that need them.
    pub fn ensure_topic(&self, name: &str, partitions: i32, rf: i32) -> Result<bool, KafkaError> {
        match self.cluster.create_topic(name, partitions, rf) {
            Ok(()) => Ok(true),
            Err(rdkafka::error::KafkaError::MockCluster(
                rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists,
            )) => Ok(false),
            Err(e) => Err(mock_err("create topic", e)),
        }
    }

    /// Makes `leader` lead the partition (`None`: leaderless).
    pub fn set_leader(
        &self,
        topic: &str,
        partition: i32,
        leader: Option<i32>,
    ) -> Result<(), KafkaError> {
        self.cluster
            .partition_leader(topic, partition, leader)
            .map_err(|e| mock_err("set leader", e))
    }

    /// Makes `broker` the coordinator of consumer group `group`.
    pub fn set_group_coordinator(&self, group: &str, broker: i32) -> Result<(), KafkaError> {
        self.cluster
            .coordinator(
                rdkafka::mocking::MockCoordinator::Group(group.to_string()),
                broker,
            )
            .map_err(|e| mock_err("set coordinator", e))
    }

    /// Takes a broker off the network (its partitions keep their leader: the mock does
    /// not elect).
    pub fn broker_down(&self, id: i32) -> Result<(), KafkaError> {
        self.cluster
            .broker_down(id)
            .map_err(|e| mock_err("broker down", e))
    }

    pub fn broker_up(&self, id: i32) -> Result<(), KafkaError> {
        self.cluster
            .broker_up(id)
            .map_err(|e| mock_err("broker up", e))
    }

    /// Simulated round-trip time of one broker (WAN latency).
    pub fn round_trip_time(&self, id: i32, rtt: Duration) -> Result<(), KafkaError> {
        self.cluster
            .broker_round_trip_time(id, rtt)
            .map_err(|e| mock_err("set RTT", e))
    }

    /// The next requests of `api` fail with these errors, in order.
    pub fn request_errors(&self, api: ApiKey, errors: &[RDKafkaRespErr]) {
        self.cluster.request_errors(api, errors);
    }

    pub fn clear_request_errors(&self, api: ApiKey) {
        self.cluster.clear_request_errors(api);
    }
}
