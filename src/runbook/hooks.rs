//! Running a topology's hooks: the operator's own commands (stop the producers, start the
//! consumers...) at fixed points of a runbook.
//!
//! A hook gets the run's facts as `KF_*` environment variables and nothing secret: the
//! variables a topology names as secret sources (`{env: VAR}`) are removed from its
//! environment, so a hook that logs `env` cannot leak them. Its output is handed over line
//! by line (the CLI prints it on stderr, prefixed); a hook that fails or outlives its
//! timeout stops the run, and on timeout everything it started is killed with it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::shell::{run_shell, ShellCommand, ShellEnd, Tail};
use crate::topology::secret::SecretRef;
use crate::topology::{Hook, HookEvent, MirrorDriverSpec, Topology};

/// How much of a hook's output an error or outcome keeps.
const TAIL_BYTES: usize = 4096;

/// What a hook is told about the run, as `KF_*` environment variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookContext {
    pub event: HookEvent,
    pub run_id: String,
    /// `failover`, `failback` or `drill`.
    pub runbook: String,
    pub topology_path: PathBuf,
    pub topology_name: String,
    /// The topology's pattern, e.g. `active-passive`.
    pub pattern: String,
    pub lost_dc: Option<String>,
    pub returning_dc: Option<String>,
    pub from_cluster: Option<String>,
    pub to_cluster: Option<String>,
    pub to_bootstrap: Option<String>,
    pub groups: Vec<String>,
    pub journal: Option<PathBuf>,
    /// Environment variables the hook must not inherit (see [`secret_env_vars`]).
    pub withheld_env: Vec<String>,
}

impl HookContext {
    /// The `KF_*` variables, in a fixed order; unset facts are absent, not empty.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("KF_EVENT", self.event.as_str().to_string()),
            ("KF_RUN_ID", self.run_id.clone()),
            ("KF_RUNBOOK", self.runbook.clone()),
            ("KF_TOPOLOGY", self.topology_path.display().to_string()),
            ("KF_TOPOLOGY_NAME", self.topology_name.clone()),
            ("KF_PATTERN", self.pattern.clone()),
        ];
        let optional = [
            ("KF_LOST_DC", self.lost_dc.clone()),
            ("KF_RETURNING_DC", self.returning_dc.clone()),
            ("KF_FROM_CLUSTER", self.from_cluster.clone()),
            ("KF_TO_CLUSTER", self.to_cluster.clone()),
            ("KF_TO_BOOTSTRAP", self.to_bootstrap.clone()),
            (
                "KF_GROUPS",
                (!self.groups.is_empty()).then(|| self.groups.join(",")),
            ),
            (
                "KF_JOURNAL",
                self.journal.as_ref().map(|j| j.display().to_string()),
            ),
        ];
        env.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        env.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }
}

/// Every environment variable `t` reads a secret from (cluster secrets, Connect
/// passwords): what a hook must not see.
pub fn secret_env_vars(t: &Topology) -> Vec<String> {
    let clusters = t.clusters.values().flat_map(|c| c.secrets.values());
    let connect = t.mirrors.values().filter_map(|m| match &m.driver {
        MirrorDriverSpec::Connect(c) => c.auth.as_ref().map(|a| &a.password),
        MirrorDriverSpec::Mm2Properties(_) => None,
    });
    let mut vars: Vec<String> = clusters
        .chain(connect)
        .filter_map(|s| match s {
            SecretRef::Env(v) => Some(v.clone()),
            _ => None,
        })
        .collect();
    vars.sort();
    vars.dedup();
    vars
}

/// A hook that succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookOutcome {
    pub exit_code: i32,
    pub ms: u64,
    /// The last lines of its stdout and stderr together (at most 4 KiB).
    pub output_tail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HookError {
    /// The command ran and did not succeed (`code`: its exit status, `None` when a
    /// signal ended it).
    #[error("the `{event}` hook {}{}", describe_code(*.code), fmt_tail(.tail))]
    Failed {
        event: HookEvent,
        code: Option<i32>,
        tail: String,
    },
    /// Still running after its timeout: it and every process it started were killed.
    #[error("the `{event}` hook was still running after {} and was killed{}", humantime::format_duration(*.after), fmt_tail(.tail))]
    TimedOut {
        event: HookEvent,
        after: Duration,
        tail: String,
    },
    #[error("the `{event}` hook could not be started: {message}")]
    Spawn { event: HookEvent, message: String },
}

fn describe_code(code: Option<i32>) -> String {
    match code {
        Some(c) => format!("exited with status {c}"),
        None => "was killed by a signal".into(),
    }
}

fn fmt_tail(tail: &str) -> String {
    if tail.is_empty() {
        String::new()
    } else {
        format!("; its last output:\n{tail}")
    }
}

/// Runs `hook` for `ctx.event` (`sh -c`, no stdin, its own process group, the `KF_*`
/// variables set and secret variables removed), passing each output line to `output` as
/// it comes. Success is exit status 0.
pub fn run_hook(
    hook: &Hook,
    ctx: &HookContext,
    output: &mut dyn FnMut(&str),
) -> Result<HookOutcome, HookError> {
    let event = ctx.event;
    let timeout = hook.timeout();
    let cmd = ShellCommand {
        command: &hook.command,
        env: ctx.env(),
        env_remove: ctx.withheld_env.clone(),
        timeout,
    };
    let started = Instant::now();
    let mut tail = Tail::new(TAIL_BYTES);
    let end = run_shell(&cmd, &mut |_, line| {
        tail.push(line);
        output(line);
    })
    .map_err(|e| HookError::Spawn {
        event,
        message: e.to_string(),
    })?;
    let ms = started.elapsed().as_millis() as u64;
    let tail = tail.text();
    match end {
        ShellEnd::Exited(s) if s.success() => Ok(HookOutcome {
            exit_code: 0,
            ms,
            output_tail: tail,
        }),
        ShellEnd::Exited(s) => Err(HookError::Failed {
            event,
            code: s.code(),
            tail,
        }),
        ShellEnd::TimedOut => Err(HookError::TimedOut {
            event,
            after: timeout,
            tail,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> HookContext {
        HookContext {
            event: HookEvent::StopConsumers,
            run_id: "r-1".into(),
            runbook: "failover".into(),
            topology_path: "topologies/active-passive.yaml".into(),
            topology_name: "payments".into(),
            pattern: "active-passive".into(),
            lost_dc: Some("dc-east".into()),
            returning_dc: None,
            from_cluster: Some("east".into()),
            to_cluster: Some("west".into()),
            to_bootstrap: None,
            groups: vec!["a".into(), "b".into()],
            journal: None,
            withheld_env: vec![],
        }
    }

    #[test]
    fn env_has_set_facts_only() {
        let env = ctx().env();
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("KF_EVENT"), Some("stop-consumers"));
        assert_eq!(get("KF_LOST_DC"), Some("dc-east"));
        assert_eq!(get("KF_GROUPS"), Some("a,b"));
        assert_eq!(get("KF_RETURNING_DC"), None);
        assert_eq!(get("KF_TO_BOOTSTRAP"), None);
        assert_eq!(get("KF_JOURNAL"), None);
        let mut no_groups = ctx();
        no_groups.groups.clear();
        assert!(!no_groups.env().iter().any(|(k, _)| k == "KF_GROUPS"));
    }

    #[test]
    fn failure_message_names_event_status_and_output() {
        let e = HookError::Failed {
            event: HookEvent::StopProducers,
            code: Some(3),
            tail: "no such unit".into(),
        };
        assert_eq!(
            e.to_string(),
            "the `stop-producers` hook exited with status 3; its last output:\nno such unit"
        );
        let e = HookError::TimedOut {
            event: HookEvent::StartConsumers,
            after: Duration::from_secs(120),
            tail: String::new(),
        };
        assert_eq!(
            e.to_string(),
            "the `start-consumers` hook was still running after 2m and was killed"
        );
    }

    #[test]
    fn secret_variables_are_collected_from_the_topology() {
        let yaml = r#"
version: 1
name: p
pattern: active-passive
datacenters: {a: {}, b: {}}
clusters:
  east: {datacenter: a, role: primary, bootstrap: "h:1", secrets: {sasl.password: {env: EAST_PW}, ssl.key.password: {file: /k}}}
  west: {datacenter: b, role: standby, bootstrap: "h:2", secrets: {sasl.password: {env: WEST_PW}}}
mirrors:
  m:
    source: east
    target: west
    runs-in: b
    driver: {connect: {url: "http://c:8083", auth: {username: u, password: {env: CONNECT_PW}}}}
"#;
        let t: Topology = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(secret_env_vars(&t), ["CONNECT_PW", "EAST_PW", "WEST_PW"]);
    }
}
