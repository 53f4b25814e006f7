//! The steps of `mirror reverse` and `mirror pause|resume` as data, for the CLI and
//! the runbooks: what to stop, create, position and start, read from the clusters and
//! the Connect API but not yet run.

use std::time::Duration;

use super::observe::{reverse_facts, Reach};
use super::reverse::{plan_reverse, ReversePlan};
use super::steps::{FlowRef, MirrorStep};
use super::{
    driver_for, mm2_connector_configs, ConnectorNameSet, ConnectorOffsets, DriverOptions, FlowEdit,
    Mm2ConnectorOptions,
};
use crate::exit::Failure;
use crate::topology::{Mirror, MirrorDriverSpec, ReplicationPolicy, Topology};

/// How a reverse is built.
pub struct ReverseOptions<'a> {
    pub reach: Reach<'a>,
    pub driver: DriverOptions,
    /// How long each wait-for-state step may take.
    pub wait: Duration,
    /// Extra `KEY=VALUE` settings for the reverse connectors.
    pub connector_config: Vec<(String, String)>,
    /// Dedicated mode: copy from the log start where it cannot be positioned.
    pub force: bool,
}

/// Pause (or resume) a mirror and, for Connect, wait for the state.
pub fn change_steps(name: &str, m: &Mirror, resume: bool, wait: Duration) -> Vec<MirrorStep> {
    let flow = FlowRef {
        name: name.to_string(),
        mirror: m.clone(),
    };
    let mut steps = vec![if resume {
        MirrorStep::Resume { flow: flow.clone() }
    } else {
        MirrorStep::Pause { flow: flow.clone() }
    }];
    if matches!(m.driver, MirrorDriverSpec::Connect(_)) {
        steps.push(MirrorStep::WaitFor {
            flow,
            state: if resume { "RUNNING" } else { "PAUSED" }.into(),
            timeout_secs: wait.as_secs().max(1),
        });
    }
    steps
}

/// Stop a mirror (Connect's STOPPED, or its flow disabled in dedicated mode) and wait.
pub fn stop_steps(name: &str, m: &Mirror, wait: Duration) -> Vec<MirrorStep> {
    let flow = FlowRef {
        name: name.to_string(),
        mirror: m.clone(),
    };
    match &m.driver {
        MirrorDriverSpec::Connect(_) => vec![
            MirrorStep::Stop { flow: flow.clone() },
            MirrorStep::WaitFor {
                flow,
                state: "STOPPED".into(),
                timeout_secs: wait.as_secs().max(1),
            },
        ],
        MirrorDriverSpec::Mm2Properties(_) => vec![MirrorStep::Stop { flow }],
    }
}

/// The reverse of mirror `name`: its plan and the steps that carry it out.
pub fn reverse_steps(
    t: &Topology,
    name: &str,
    m: &Mirror,
    o: &ReverseOptions<'_>,
) -> anyhow::Result<(ReversePlan, Vec<MirrorStep>)> {
    let reach = &o.reach;
    let skeleton = plan_reverse(t, name, m, &Default::default());
    let mut facts = reverse_facts(t, m, &skeleton.reverse, reach)
        .map_err(|e| anyhow::anyhow!("cannot read the clusters: {e}"))?;
    let old = FlowRef {
        name: name.to_string(),
        mirror: m.clone(),
    };
    let opts = &o.driver;
    let mut steps = Vec::new();
    let identity = m.replication_policy == ReplicationPolicy::Identity;
    match &m.driver {
        MirrorDriverSpec::Connect(_) => {
            if identity {
                // Where the old flow stopped copying, per partition (it is read again
                // after the stop when executing would change it; the plan shows now).
                let d = driver_for(name, m, opts)?;
                let names = ConnectorNameSet::resolve(m, &connector_names(m));
                if let Ok(o) = d.get_offsets(&names.source) {
                    for pos in o.mirror_source_positions() {
                        if let Some(last) = pos.last_copied {
                            facts
                                .old_last_copied
                                .insert((pos.topic, pos.partition), last);
                        }
                    }
                }
            }
            let plan = plan_reverse(t, name, m, &facts);
            let rflow = FlowRef {
                name: plan.reverse_name.clone(),
                mirror: plan.reverse.clone(),
            };
            steps.push(MirrorStep::Stop { flow: old.clone() });
            steps.push(MirrorStep::WaitFor {
                flow: old.clone(),
                state: "STOPPED".into(),
                timeout_secs: o.wait.as_secs().max(1),
            });
            let rnames = ConnectorNameSet::resolve(&plan.reverse, &connector_names(&plan.reverse));
            let existing: Vec<String> = driver_for(&rflow.name, &rflow.mirror, opts)
                .and_then(|d| d.status())
                .map(|s| s.present().map(|c| c.name.clone()).collect())
                .unwrap_or_default();
            let mut copts = Mm2ConnectorOptions::default();
            copts.extra.extend(o.connector_config.iter().cloned());
            let configs = mm2_connector_configs(t, &plan.reverse, &rnames, &copts)?;
            for c in configs {
                if existing.contains(&c.name) {
                    continue;
                }
                steps.push(MirrorStep::CreateConnector {
                    flow: rflow.clone(),
                    connector: c.name,
                    config: c.config,
                });
            }
            if existing.iter().any(|n| n != &rnames.source) || existing.contains(&rnames.source) {
                steps.push(MirrorStep::Stop {
                    flow: rflow.clone(),
                });
                steps.push(MirrorStep::WaitFor {
                    flow: rflow.clone(),
                    state: "STOPPED".into(),
                    timeout_secs: o.wait.as_secs().max(1),
                });
            }
            // Partitions that start at 0 need no stored offset: MM2 starts them at the
            // log start by itself.
            let starts: Vec<(&str, i32, i64)> = plan
                .starts
                .iter()
                .filter(|s| s.next_offset > 0)
                .map(|s| (s.topic.as_str(), s.partition, s.next_offset))
                .collect();
            if !starts.is_empty() {
                steps.push(MirrorStep::SetOffsets {
                    flow: rflow.clone(),
                    connector: rnames.source.clone(),
                    offsets: ConnectorOffsets::mirror_source_start(
                        plan.reverse.source_alias(),
                        starts,
                    ),
                });
            }
            steps.push(MirrorStep::Resume {
                flow: rflow.clone(),
            });
            steps.push(MirrorStep::WaitFor {
                flow: rflow,
                state: "RUNNING".into(),
                timeout_secs: o.wait.as_secs().max(1),
            });
            Ok((plan, steps))
        }
        MirrorDriverSpec::Mm2Properties(_) => {
            let plan = plan_reverse(t, name, m, &facts);
            let needs_position = plan.starts.iter().any(|s| {
                let start = facts
                    .new_source_topics
                    .get(&s.topic)
                    .and_then(|ps| ps.iter().find(|x| x.partition == s.partition))
                    .map_or(0, |x| x.log_start);
                s.next_offset > start
            });
            if needs_position && !o.force {
                return Err(Failure::Refused(format!(
                    "dedicated-mode MirrorMaker 2 cannot be told where to start, and the reverse flow of `{}` would copy {} partition(s) from their log start although `{}` already holds part of them; use the connect driver, or --force to copy from the log start",
                    name,
                    plan.starts.iter().filter(|s| s.next_offset > 0).count(),
                    m.source
                ))
                .into());
            }
            let r = &plan.reverse;
            steps.push(MirrorStep::EditProperties {
                flow: old,
                edits: vec![
                    FlowEdit {
                        source_alias: m.source_alias().into(),
                        target_alias: m.target_alias().into(),
                        enabled: Some(false),
                        topics: None,
                        topics_exclude: None,
                        groups: None,
                    },
                    FlowEdit {
                        source_alias: r.source_alias().into(),
                        target_alias: r.target_alias().into(),
                        enabled: Some(true),
                        topics: Some(r.topics.include.clone()),
                        topics_exclude: Some(r.topics.exclude.clone()),
                        groups: Some(r.groups.include.clone()),
                    },
                ],
            });
            Ok((plan, steps))
        }
    }
}

pub fn connector_names(m: &Mirror) -> crate::topology::ConnectorNames {
    match &m.driver {
        MirrorDriverSpec::Connect(c) => c.connectors.clone(),
        MirrorDriverSpec::Mm2Properties(_) => Default::default(),
    }
}
