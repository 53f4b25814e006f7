//! kafka-failover: multi-datacenter Apache Kafka failovers and drills.
