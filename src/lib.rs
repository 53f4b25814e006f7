//! kafka-failover: multi-datacenter Apache Kafka failovers and drills.
#![deny(unsafe_code)]

pub mod kafka;
