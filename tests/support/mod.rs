//! Fixtures shared by the integration tests (`mod support;` in a test file).
//! Each test binary uses a different subset, hence the dead_code allowance.
#![allow(dead_code)]

pub mod connect;
pub mod kafka;
pub mod kafka_client;
