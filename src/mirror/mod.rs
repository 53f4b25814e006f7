//! MirrorMaker 2 control: one [`MirrorDriver`] trait, two drivers.
//!
//! - [`connect`]: MM2 as Kafka Connect connectors, over Connect's REST API
//!   ([`ConnectRestDriver`]).
//! - [`mm2_properties`]: MM2 in dedicated mode, by editing its `mm2.properties` and running
//!   the topology's reload command ([`Mm2PropertiesFileDriver`]).
//!
//! [`mm2_connector_configs`] is pure: the connector configs of a flow, which `mirror
//! reverse` uses for the reverse direction. Nothing here prints; callers get plain data
//! ([`MirrorRuntimeStatus`]) and one error type ([`MirrorError`]) whose messages never
//! contain a password.

pub mod connect;
mod error;
pub mod mm2_config;
pub mod mm2_properties;
pub mod observe;
pub mod offsets;
pub mod reverse;
pub mod reverse_steps;
pub mod status;
pub mod steps;

use std::time::Duration;

pub use connect::{ConnectOptions, ConnectRestDriver};
pub use error::MirrorError;
pub use mm2_config::{
    mm2_connector_configs, replication_policy_class, ConnectorConfig, ConnectorNameSet,
    Mm2Connector, Mm2ConnectorOptions,
};
pub use mm2_properties::{FlowEdit, KeyChange, Mm2Change, Mm2Options, Mm2PropertiesFileDriver};
pub use offsets::{ConnectorOffset, ConnectorOffsets, MirrorSourcePosition};
pub use status::{
    ConnectorKind, ConnectorState, ConnectorStatus, DriverKind, FlowStatus, MirrorRuntimeStatus,
    TaskStatus,
};

use crate::topology::{Mirror, MirrorDriverSpec};

/// The state a connector is created in (`POST /connectors` `initial_state`, KIP-980,
/// Kafka 3.7+). `Stopped` lets offsets be set before the connector ever runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitialState {
    Running,
    Paused,
    Stopped,
}

impl InitialState {
    pub fn as_str(self) -> &'static str {
        match self {
            InitialState::Running => "RUNNING",
            InitialState::Paused => "PAUSED",
            InitialState::Stopped => "STOPPED",
        }
    }
}

/// What the `mirror` commands need from a mirror, whatever runs it.
///
/// `pause`, `resume`, `stop` and `wait_for_state` act on the mirror itself (Connect: its
/// connectors that exist, the source connector at least; dedicated mode: its `A->B`
/// flow). The connector-level calls take any connector name on the same Connect cluster,
/// so the reverse direction can be created and positioned; the mm2-properties driver
/// answers them with [`MirrorError::Unsupported`].
pub trait MirrorDriver: Send + Sync {
    fn kind(&self) -> DriverKind;
    /// The topology's name of the mirror.
    fn mirror_name(&self) -> &str;
    /// Connect URL (without credentials) or properties file path.
    fn endpoint(&self) -> String;

    fn status(&self) -> Result<MirrorRuntimeStatus, MirrorError>;
    /// Connect: `PUT …/pause` (tasks keep their assignment). Dedicated mode: disables the
    /// flow (MM2 cannot pause) and reloads.
    fn pause(&self) -> Result<(), MirrorError>;
    fn resume(&self) -> Result<(), MirrorError>;
    /// Connect: `PUT …/stop` (KIP-875 STOPPED: no tasks, offsets editable). Dedicated
    /// mode: disables the flow and reloads.
    fn stop(&self) -> Result<(), MirrorError>;
    /// Polls until the mirror is in `state` (every present connector and all its tasks),
    /// a connector or task FAILS ([`MirrorError::ConnectorFailed`]), or `timeout` passes.
    /// A connector with no tasks counts as settled: MM2's source connector has none while
    /// no topic matches, but Connect also shows none for a moment after resuming a STOPPED
    /// connector, so a caller that needs tasks checks `tasks` in the returned status.
    fn wait_for_state(
        &self,
        state: &ConnectorState,
        timeout: Duration,
    ) -> Result<MirrorRuntimeStatus, MirrorError>;

    /// `PUT /connectors/{name}/config`: creates or reconfigures. True when created.
    fn put_config(&self, name: &str, config: &ConnectorConfig) -> Result<bool, MirrorError>;
    /// `POST /connectors`; [`MirrorError::Conflict`] when it exists.
    fn create(
        &self,
        name: &str,
        config: &ConnectorConfig,
        initial: Option<InitialState>,
    ) -> Result<(), MirrorError>;
    fn delete(&self, name: &str) -> Result<(), MirrorError>;
    fn get_offsets(&self, name: &str) -> Result<ConnectorOffsets, MirrorError>;
    /// `PATCH …/offsets`; only on a STOPPED connector. Returns Connect's message.
    fn set_offsets(&self, name: &str, offsets: &ConnectorOffsets) -> Result<String, MirrorError>;
    /// `DELETE …/offsets`; only on a STOPPED connector. Returns Connect's message.
    fn reset_offsets(&self, name: &str) -> Result<String, MirrorError>;
}

/// Timeouts and retry budgets of both drivers.
#[derive(Debug, Clone, Default)]
pub struct DriverOptions {
    pub connect: ConnectOptions,
    pub mm2: Mm2Options,
}

/// The driver the topology names for `mirror`. Secrets (the Connect password) are read
/// now; nothing is contacted yet.
pub fn driver_for(
    mirror_name: &str,
    mirror: &Mirror,
    opts: &DriverOptions,
) -> Result<Box<dyn MirrorDriver>, MirrorError> {
    Ok(match &mirror.driver {
        MirrorDriverSpec::Connect(spec) => Box::new(ConnectRestDriver::new(
            mirror_name,
            mirror,
            spec,
            opts.connect.clone(),
        )?),
        MirrorDriverSpec::Mm2Properties(spec) => Box::new(Mm2PropertiesFileDriver::new(
            mirror_name,
            mirror,
            spec,
            opts.mm2.clone(),
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mirror(driver: &str) -> Mirror {
        serde_yaml::from_str(&format!(
            "{{source: east, target: west, runs-in: b, driver: {driver}}}"
        ))
        .unwrap()
    }

    #[test]
    fn driver_for_picks_the_topologys_driver() {
        let m = mirror("{mm2-properties: {file: /etc/mm2/mm2.properties, reload: 'true'}}");
        let d = driver_for("e2w", &m, &DriverOptions::default()).unwrap();
        assert_eq!(d.kind(), DriverKind::Mm2Properties);
        assert_eq!(d.endpoint(), "/etc/mm2/mm2.properties");

        let m = mirror("{connect: {url: 'http://127.0.0.1:8083/'}}");
        let d = driver_for("e2w", &m, &DriverOptions::default()).unwrap();
        assert_eq!((d.kind(), d.mirror_name()), (DriverKind::Connect, "e2w"));
        assert_eq!(d.endpoint(), "http://127.0.0.1:8083");

        let m = mirror(
            "{connect: {url: 'http://127.0.0.1:8083', auth: {username: u, password: {file: /nonexistent/pw}}}}",
        );
        let e = driver_for("e2w", &m, &DriverOptions::default())
            .err()
            .unwrap();
        assert!(
            e.to_string().starts_with(
                "mirror `e2w`: the Connect password (`auth.password`) cannot read /nonexistent/pw"
            ),
            "{e}"
        );
    }
}
