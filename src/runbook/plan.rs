//! What a failover or failback does, step by step, for each pattern: pure, from the
//! topology and the request alone. Facts (who answers, lags, offsets) are read when a
//! step runs (`execute`), so the same plan can be shown, journaled and resumed.

use serde::{Deserialize, Serialize};

use crate::topology::{ClusterRole, GroupMode, HookEvent, Pattern, Reads, Topology};

/// Which runbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runbook {
    Failover,
    Failback,
}

impl Runbook {
    pub fn as_str(self) -> &'static str {
        match self {
            Runbook::Failover => "failover",
            Runbook::Failback => "failback",
        }
    }
}

/// What the operator asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRequest {
    pub runbook: Runbook,
    /// The lost DC (failover) or the returning DC (failback).
    pub dc: String,
    /// Failover: a controlled switchover (the source is healthy: drain, then move
    /// exactly) rather than a disaster.
    #[serde(default)]
    pub planned: bool,
    /// Failback (active/passive): also switch back now, not only reverse the mirror.
    #[serde(default)]
    pub switch: bool,
    /// Group ids to cover besides the topology's named groups (ids matching its
    /// patterns where the clusters cannot list groups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_groups: Vec<String>,
}

/// How a moved group's new offsets are chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MoveHow {
    /// Its topology strategy (translated, timestamp − margin, earliest, latest).
    Topology,
    /// The group read everything on the source and the mirror copied everything: it
    /// resumes at the target's log end, which is exactly where it stopped.
    Drained,
}

/// One group (or pattern) moving from one cluster to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMove {
    /// A group id or, for pattern entries, the pattern (expanded when the step runs).
    pub group: String,
    pub pattern: bool,
    pub from: String,
    pub to: String,
    /// The topology's strategy name (for reports).
    pub strategy: String,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StepKind {
    /// The survivors must answer; report whether the lost DC's clusters do.
    Preflight {
        survivors: Vec<String>,
        lost: Vec<String>,
    },
    /// Stretched: which partitions go offline / under min ISR without the DC.
    PlacementWhatIf { cluster: String, dc: String },
    /// Stretched: the groups' committed offsets are intact on the surviving brokers.
    KeepGroups {
        cluster: String,
        groups: Vec<String>,
    },
    /// Mirror lag and checkpoint age, recorded as the RPO estimate.
    MirrorState { mirrors: Vec<String> },
    /// A topology hook (skipped when the topology declares none for the event).
    Hook { event: HookEvent },
    /// Stop a mirror (when its driver answers).
    StopMirror { mirror: String },
    /// Wait until the mirror has copied everything its source holds.
    WaitMirrorDrained { mirror: String, reversed: bool },
    /// Wait until each group has read everything on `cluster`.
    WaitGroupsCaughtUp {
        cluster: String,
        groups: Vec<GroupMove>,
    },
    /// Move groups (offsets engine, journaled).
    MoveGroups { moves: Vec<GroupMove>, how: MoveHow },
    /// Survivors' headroom (active/active, from the topology's capacities).
    Headroom { lost: String },
    /// Producers and consumers now belong on `to` (the hooks repoint them).
    SwitchRoles { from: String, to: String },
    /// Stretched failback: wait until partitions with replicas in the DC are in sync.
    WaitInSync { cluster: String, dc: String },
    /// Active/passive failback: start mirroring new active -> returning cluster.
    ReverseMirror { mirror: String },
    /// Undo the reverse mirror and restart the original direction.
    RestoreMirror { mirror: String },
}

/// A step with its stable id and a sentence for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedStep {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub kind: StepKind,
}

/// A whole run's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPlan {
    pub request: RunRequest,
    pub topology: String,
    pub pattern: Pattern,
    /// Where the run's lock lives: a cluster that survives.
    pub lock_cluster: String,
    /// When the plan was made: the failure time timestamp strategies count back from,
    /// fixed so that a resumed run computes the same targets.
    pub at_ms: i64,
    pub steps: Vec<PlannedStep>,
    /// Facts about the plan worth reading before applying it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Why a request cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no datacenter `{dc}` in the topology; datacenters: {known}")]
    UnknownDc { dc: String, known: String },
    #[error("{0}")]
    Unsupported(String),
}

struct Builder {
    steps: Vec<PlannedStep>,
}

impl Builder {
    fn push(&mut self, id: &str, title: String, kind: StepKind) {
        // Ids stay unique when a kind repeats (two hooks, two mirrors).
        let n = self
            .steps
            .iter()
            .filter(|s| s.id == id || s.id.starts_with(&format!("{id}#")))
            .count();
        let id = if n == 0 {
            id.to_string()
        } else {
            format!("{id}#{}", n + 1)
        };
        self.steps.push(PlannedStep { id, title, kind });
    }
    fn hook(&mut self, t: &Topology, event: HookEvent) {
        let title = match t.hooks.get(&event) {
            Some(h) => format!("hook {}: {}", event.as_str(), h.command),
            None => format!("hook {} (none declared: skipped)", event.as_str()),
        };
        self.push(
            &format!("hook-{}", event.as_str()),
            title,
            StepKind::Hook { event },
        );
    }
}

/// Clusters with brokers in `dc`.
fn clusters_in<'t>(t: &'t Topology, dc: &str) -> Vec<&'t str> {
    t.clusters
        .iter()
        .filter(|(_, c)| c.dcs().contains(&dc))
        .map(|(n, _)| n.as_str())
        .collect()
}

/// Plans `req` for `t`.
pub fn plan(t: &Topology, req: &RunRequest, at_ms: i64) -> Result<RunPlan, PlanError> {
    if !t.datacenters.contains_key(&req.dc) {
        return Err(PlanError::UnknownDc {
            dc: req.dc.clone(),
            known: t.datacenters.keys().cloned().collect::<Vec<_>>().join(", "),
        });
    }
    let mut b = Builder { steps: Vec::new() };
    let mut notes = Vec::new();
    let lock_cluster = match (t.pattern, req.runbook) {
        (Pattern::Stretched, _) => stretched(t, req, &mut b, &mut notes)?,
        (Pattern::ActivePassive, Runbook::Failover) => ap_failover(t, req, &mut b, &mut notes)?,
        (Pattern::ActivePassive, Runbook::Failback) => ap_failback(t, req, &mut b, &mut notes)?,
        (Pattern::ActiveActive, _) => active_active(t, req, &mut b, &mut notes)?,
    };
    Ok(RunPlan {
        request: req.clone(),
        topology: t.name.clone(),
        pattern: t.pattern,
        lock_cluster,
        at_ms,
        steps: b.steps,
        notes,
    })
}

fn stretched(
    t: &Topology,
    req: &RunRequest,
    b: &mut Builder,
    notes: &mut Vec<String>,
) -> Result<String, PlanError> {
    let cluster = t
        .clusters
        .keys()
        .next()
        .cloned()
        .ok_or_else(|| PlanError::Unsupported("the topology has no cluster".into()))?;
    let groups = named_groups(t, req, |_| true);
    match req.runbook {
        Runbook::Failover => {
            b.hook(t, HookEvent::BeforeFailover);
            b.push(
                "preflight",
                format!("confirm `{cluster}` answers without {}", req.dc),
                StepKind::Preflight {
                    survivors: vec![cluster.clone()],
                    lost: Vec::new(),
                },
            );
            b.push(
                "placement-what-if",
                format!("partitions offline or under min ISR without {}", req.dc),
                StepKind::PlacementWhatIf {
                    cluster: cluster.clone(),
                    dc: req.dc.clone(),
                },
            );
            b.push(
                "keep-groups",
                format!(
                    "{} group(s) keep their committed offsets (one cluster: no reset)",
                    groups.len()
                ),
                StepKind::KeepGroups {
                    cluster: cluster.clone(),
                    groups,
                },
            );
            b.hook(t, HookEvent::AfterFailover);
            notes.push(format!(
                "stretched cluster: clients reconnect to the brokers outside {}; nothing is mirrored or reset",
                req.dc
            ));
        }
        Runbook::Failback => {
            b.hook(t, HookEvent::BeforeFailback);
            b.push(
                "wait-in-sync",
                format!(
                    "wait until every partition with replicas in {} is fully in sync",
                    req.dc
                ),
                StepKind::WaitInSync {
                    cluster: cluster.clone(),
                    dc: req.dc.clone(),
                },
            );
            b.push(
                "keep-groups",
                format!("{} group(s) still at their committed offsets", groups.len()),
                StepKind::KeepGroups {
                    cluster: cluster.clone(),
                    groups,
                },
            );
            b.hook(t, HookEvent::AfterFailback);
        }
    }
    Ok(cluster)
}

/// The primary and standby of an active/passive topology and the mirror between them.
fn ap_parts(t: &Topology) -> Result<(String, String, String), PlanError> {
    let role = |r: ClusterRole| {
        t.clusters
            .iter()
            .find(|(_, c)| c.role == Some(r))
            .map(|(n, _)| n.clone())
    };
    let (Some(primary), Some(standby)) = (role(ClusterRole::Primary), role(ClusterRole::Standby))
    else {
        return Err(PlanError::Unsupported(
            "active/passive needs a `primary` and a `standby` cluster".into(),
        ));
    };
    let mirror = t
        .mirrors
        .iter()
        .find(|(_, m)| m.source == primary && m.target == standby)
        .map(|(n, _)| n.clone())
        .ok_or_else(|| {
            PlanError::Unsupported(format!("no mirror from `{primary}` to `{standby}`"))
        })?;
    Ok((primary, standby, mirror))
}

fn moves(
    t: &Topology,
    req: &RunRequest,
    from: &str,
    to: &str,
    keep: impl Fn(&crate::topology::ConsumerGroup) -> bool,
) -> Vec<GroupMove> {
    let mut out = Vec::new();
    for g in t.consumer_groups.iter().filter(|g| keep(g)) {
        let strategy = g
            .failover
            .as_ref()
            .map(|f| f.strategy.as_str())
            .unwrap_or("none")
            .to_string();
        match (&g.name, &g.pattern) {
            (Some(n), _) => out.push(GroupMove {
                group: n.clone(),
                pattern: false,
                from: from.into(),
                to: to.into(),
                strategy,
            }),
            (None, Some(p)) => out.push(GroupMove {
                group: p.clone(),
                pattern: true,
                from: from.into(),
                to: to.into(),
                strategy,
            }),
            _ => {}
        }
    }
    with_extra_ids(out, &req.extra_groups)
}

/// Adds each extra id under the pattern entry it matches (so it moves like the rest of
/// its pattern where the clusters cannot list groups); ids matching no entry are not
/// the topology's to move.
fn with_extra_ids(mut out: Vec<GroupMove>, extra: &[String]) -> Vec<GroupMove> {
    for id in extra {
        if out.iter().any(|m| !m.pattern && &m.group == id) {
            continue;
        }
        let entry = out.iter().find(|m| {
            m.pattern && crate::topology::filter::compile(&m.group).is_ok_and(|re| re.is_match(id))
        });
        if let Some(e) = entry.cloned() {
            out.push(GroupMove {
                group: id.clone(),
                pattern: false,
                ..e
            });
        }
    }
    out
}

fn named_groups(
    t: &Topology,
    req: &RunRequest,
    keep: impl Fn(&crate::topology::ConsumerGroup) -> bool,
) -> Vec<String> {
    let mut out: Vec<String> = t
        .consumer_groups
        .iter()
        .filter(|g| keep(g))
        .filter_map(|g| g.name.clone())
        .collect();
    for e in &req.extra_groups {
        if !out.contains(e) {
            out.push(e.clone());
        }
    }
    out
}

fn ap_failover(
    t: &Topology,
    req: &RunRequest,
    b: &mut Builder,
    notes: &mut Vec<String>,
) -> Result<String, PlanError> {
    let (primary, standby, mirror) = ap_parts(t)?;
    let primary_dcs: Vec<&str> = t.clusters[&primary].dcs();
    if !primary_dcs.contains(&req.dc.as_str()) {
        return Err(PlanError::Unsupported(format!(
            "--lost {}: the primary `{primary}` is in {}; losing the standby's DC needs no failover (the mirror waits)",
            req.dc,
            primary_dcs.join(", ")
        )));
    }
    let gm = moves(t, req, &primary, &standby, |g| {
        g.mode == GroupMode::SingleActive && g.failover.is_some()
    });
    b.hook(t, HookEvent::BeforeFailover);
    b.push(
        "preflight",
        format!("`{standby}` answers; is `{primary}` gone?"),
        StepKind::Preflight {
            survivors: vec![standby.clone()],
            lost: vec![primary.clone()],
        },
    );
    b.push(
        "mirror-state",
        format!("record `{mirror}` lag and checkpoint age (the RPO estimate)"),
        StepKind::MirrorState {
            mirrors: vec![mirror.clone()],
        },
    );
    if req.planned {
        b.hook(t, HookEvent::StopProducers);
        b.push(
            "wait-mirror-drained",
            format!("wait until `{mirror}` has copied everything (lag 0)"),
            StepKind::WaitMirrorDrained {
                mirror: mirror.clone(),
                reversed: false,
            },
        );
        b.push(
            "wait-groups-caught-up",
            format!("wait until the groups have read everything on `{primary}`"),
            StepKind::WaitGroupsCaughtUp {
                cluster: primary.clone(),
                groups: gm.clone(),
            },
        );
        b.hook(t, HookEvent::StopConsumers);
    } else {
        b.hook(t, HookEvent::StopConsumers);
    }
    b.push(
        "stop-mirror",
        format!("stop `{mirror}` so nothing more lands on `{standby}` from `{primary}`"),
        StepKind::StopMirror {
            mirror: mirror.clone(),
        },
    );
    b.push(
        "move-groups",
        format!(
            "move {} group entr{} to `{standby}`{}",
            gm.len(),
            if gm.len() == 1 { "y" } else { "ies" },
            if req.planned {
                " at the drained log end (exact)"
            } else {
                " with their strategies"
            }
        ),
        StepKind::MoveGroups {
            moves: gm,
            how: if req.planned {
                MoveHow::Drained
            } else {
                MoveHow::Topology
            },
        },
    );
    b.push(
        "switch-roles",
        format!("`{standby}` is now the active cluster"),
        StepKind::SwitchRoles {
            from: primary.clone(),
            to: standby.clone(),
        },
    );
    b.hook(t, HookEvent::StartConsumers);
    b.hook(t, HookEvent::StartProducers);
    b.hook(t, HookEvent::AfterFailover);
    if t.consumer_groups
        .iter()
        .any(|g| g.mode == GroupMode::EveryDc)
    {
        notes.push("groups with mode every-dc keep running where they are".into());
    }
    Ok(standby)
}

fn ap_failback(
    t: &Topology,
    req: &RunRequest,
    b: &mut Builder,
    notes: &mut Vec<String>,
) -> Result<String, PlanError> {
    let (primary, standby, mirror) = ap_parts(t)?;
    if !t.clusters[&primary].dcs().contains(&req.dc.as_str()) {
        return Err(PlanError::Unsupported(format!(
            "--returning {}: the primary `{primary}` is not in that DC",
            req.dc
        )));
    }
    b.hook(t, HookEvent::BeforeFailback);
    b.push(
        "preflight",
        format!("`{standby}` (active) and `{primary}` (returning) answer"),
        StepKind::Preflight {
            survivors: vec![standby.clone(), primary.clone()],
            lost: Vec::new(),
        },
    );
    b.push(
        "reverse-mirror",
        format!("mirror `{standby}` -> `{primary}` (reverse of `{mirror}`)"),
        StepKind::ReverseMirror {
            mirror: mirror.clone(),
        },
    );
    if !req.switch {
        notes.push(format!(
            "this run reverses the mirror only; once its lag is low, run again with --switch to move the groups back to `{primary}`"
        ));
        return Ok(standby);
    }
    let gm = moves(t, req, &standby, &primary, |g| {
        g.mode == GroupMode::SingleActive && g.failover.is_some()
    });
    b.hook(t, HookEvent::StopProducers);
    b.push(
        "wait-mirror-drained",
        format!("wait until `{standby}` -> `{primary}` has copied everything (lag 0)"),
        StepKind::WaitMirrorDrained {
            mirror: mirror.clone(),
            reversed: true,
        },
    );
    b.push(
        "wait-groups-caught-up",
        format!("wait until the groups have read everything on `{standby}`"),
        StepKind::WaitGroupsCaughtUp {
            cluster: standby.clone(),
            groups: gm.clone(),
        },
    );
    b.hook(t, HookEvent::StopConsumers);
    b.push(
        "move-groups",
        format!(
            "move {} group entr{} back to `{primary}` at the drained log ends (exact)",
            gm.len(),
            if gm.len() == 1 { "y" } else { "ies" }
        ),
        StepKind::MoveGroups {
            moves: gm,
            how: MoveHow::Drained,
        },
    );
    b.push(
        "restore-mirror",
        format!("remove the reverse mirror and restart `{mirror}`"),
        StepKind::RestoreMirror {
            mirror: mirror.clone(),
        },
    );
    b.push(
        "switch-roles",
        format!("`{primary}` is the active cluster again"),
        StepKind::SwitchRoles {
            from: standby.clone(),
            to: primary.clone(),
        },
    );
    b.hook(t, HookEvent::StartConsumers);
    b.hook(t, HookEvent::StartProducers);
    b.hook(t, HookEvent::AfterFailback);
    Ok(primary)
}

/// The DC of a one-DC cluster.
fn dc_of(t: &Topology, cluster: &str) -> Option<String> {
    t.clusters[cluster].dcs().first().map(|d| d.to_string())
}

/// The cluster with `role` in `dc`.
fn role_in(t: &Topology, role: ClusterRole, dc: &str) -> Option<String> {
    t.clusters
        .iter()
        .find(|(_, c)| c.role == Some(role) && c.dcs().contains(&dc))
        .map(|(n, _)| n.clone())
}

fn active_active(
    t: &Topology,
    req: &RunRequest,
    b: &mut Builder,
    notes: &mut Vec<String>,
) -> Result<String, PlanError> {
    let lost = &req.dc;
    // The surviving aggregate that takes over (the first one outside the lost DC).
    let survivor_agg = t
        .clusters
        .iter()
        .find(|(_, c)| c.role == Some(ClusterRole::Aggregate) && !c.dcs().contains(&lost.as_str()))
        .map(|(n, _)| n.clone())
        .ok_or_else(|| {
            PlanError::Unsupported(format!("no aggregate cluster outside {lost} to move to"))
        })?;
    let survivor_dc = dc_of(t, &survivor_agg).unwrap_or_default();
    let lost_clusters: Vec<String> = clusters_in(t, lost).into_iter().map(String::from).collect();
    let survivors: Vec<String> = t
        .clusters
        .keys()
        .filter(|n| !lost_clusters.contains(n))
        .cloned()
        .collect();
    // Which (from, to) each moving group takes.
    let mut all_moves: Vec<GroupMove> = Vec::new();
    for g in &t.consumer_groups {
        if g.mode != GroupMode::SingleActive || g.failover.is_none() {
            continue;
        }
        let role = match g.reads {
            Some(Reads::Aggregate) => ClusterRole::Aggregate,
            _ => ClusterRole::Local,
        };
        let (home_dc, away_dc) = match req.runbook {
            Runbook::Failover => (lost.clone(), survivor_dc.clone()),
            Runbook::Failback => (survivor_dc.clone(), lost.clone()),
        };
        if !g.active_in.contains(lost) {
            continue;
        }
        let (Some(from), Some(to)) = (role_in(t, role, &home_dc), role_in(t, role, &away_dc))
        else {
            notes.push(format!(
                "group `{}`: no {} cluster in both {home_dc} and {away_dc}: not moved",
                g.label(),
                role.as_str()
            ));
            continue;
        };
        let one = Topology {
            consumer_groups: vec![g.clone()],
            ..t.clone()
        };
        all_moves.extend(moves(
            &one,
            &RunRequest {
                extra_groups: Vec::new(),
                ..req.clone()
            },
            &from,
            &to,
            |_| true,
        ));
    }
    let all_moves = with_extra_ids(all_moves, &req.extra_groups);
    let every_dc = t
        .consumer_groups
        .iter()
        .filter(|g| g.mode == GroupMode::EveryDc)
        .count();
    if every_dc > 0 {
        notes.push(format!(
            "{every_dc} every-dc group entr{} run in each DC on its own data: nothing to move",
            if every_dc == 1 { "y" } else { "ies" }
        ));
    }
    match req.runbook {
        Runbook::Failover => {
            b.hook(t, HookEvent::BeforeFailover);
            b.push(
                "preflight",
                format!("survivors answer; are {lost}'s clusters gone?"),
                StepKind::Preflight {
                    survivors: survivors.clone(),
                    lost: lost_clusters.clone(),
                },
            );
            let into_survivor: Vec<String> = t
                .mirrors
                .iter()
                .filter(|(_, m)| m.target == survivor_agg)
                .map(|(n, _)| n.clone())
                .collect();
            b.push(
                "mirror-state",
                format!("record the lag of the mirrors into `{survivor_agg}` (the RPO estimate)"),
                StepKind::MirrorState {
                    mirrors: into_survivor,
                },
            );
            b.push(
                "headroom",
                format!("can the DCs left absorb {lost}'s traffic (1/(N-1) each)?"),
                StepKind::Headroom { lost: lost.clone() },
            );
            b.hook(t, HookEvent::StopConsumers);
        }
        Runbook::Failback => {
            b.hook(t, HookEvent::BeforeFailback);
            let mut all = survivors.clone();
            all.extend(lost_clusters.iter().cloned());
            b.push(
                "preflight",
                format!("every cluster answers again, {lost}'s included"),
                StepKind::Preflight {
                    survivors: all,
                    lost: Vec::new(),
                },
            );
            b.hook(t, HookEvent::StopConsumers);
        }
    }
    b.push(
        "move-groups",
        format!(
            "move {} group entr{} {} (offsets differ between aggregates: strategies)",
            all_moves.len(),
            if all_moves.len() == 1 { "y" } else { "ies" },
            match req.runbook {
                Runbook::Failover => format!("off {lost}"),
                Runbook::Failback => format!("home to {lost}"),
            }
        ),
        StepKind::MoveGroups {
            moves: all_moves,
            how: MoveHow::Topology,
        },
    );
    b.hook(t, HookEvent::StartConsumers);
    b.hook(
        t,
        match req.runbook {
            Runbook::Failover => HookEvent::AfterFailover,
            Runbook::Failback => HookEvent::AfterFailback,
        },
    );
    notes.push("active/active: mirrors run local -> aggregate only; nothing to reverse".into());
    Ok(match req.runbook {
        Runbook::Failover => survivor_agg,
        Runbook::Failback => role_in(t, ClusterRole::Aggregate, lost).unwrap_or(survivor_agg),
    })
}

#[cfg(test)]
mod tests;
