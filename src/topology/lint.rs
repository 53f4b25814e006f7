//! Operational lint rules: a valid topology can still be a bad idea. Each rule has a
//! stable id and an explanation (`RULES`, printed by `topology lint --explain`); findings
//! are warnings (or notes) and only fail with `--deny warnings`.

use super::filter::Filter;
use super::finding::{Finding, Severity};
use super::load::LoadedTopology;
use super::model::*;
use super::position::NodePath;
use crate::node_path;

/// Every lint rule: id and why it matters.
pub const RULES: &[(&str, &str)] = &[
    ("mirror-far-from-target", "A mirror should run in its target cluster's DC: it then consumes across the WAN and produces locally, which tolerates WAN faults better than remote produce."),
    ("mirror-without-tls", "A mirror that crosses datacenters should encrypt both connections (security.protocol SSL or SASL_SSL)."),
    ("insecure-connect-tls", "TLS certificate verification of the Connect REST API is turned off."),
    ("insecure-kafka-tls", "TLS verification of a cluster's brokers is turned off (`enable.ssl.certificate.verification: false`, or `ssl.endpoint.identification.algorithm` `none` or empty): anyone on the path can impersonate the brokers and read the credentials."),
    ("mirror-from-aggregate", "Active/active mirrors copy local -> aggregate only. A mirror out of an aggregate cluster re-copies mirrored data and can loop."),
    ("identity-cycle", "Two mirrors in opposite directions under the identity replication policy copy each other's records back forever: nothing marks a record as already mirrored."),
    ("missing-mirror", "In active/active, every local cluster is mirrored into every aggregate cluster, or the aggregates do not hold the same data."),
    ("single-aggregate", "Active/active with a single aggregate cluster: groups reading it have nowhere to fail over to."),
    ("active-active-headroom", "With N datacenters each survivor must absorb 1/(N-1) of a lost DC's traffic (2 DCs: 100%, 3 DCs: 50%)."),
    ("stretched-too-few-dcs", "A stretched cluster needs three DCs: with two, losing one loses the controller quorum majority or half the replicas."),
    ("min-isr-after-dc-loss", "If, after losing the DCs the topology must survive, fewer replicas remain than min.insync.replicas, producers with acks=all stop."),
    ("strategy-contradicts-pattern", "The group's failover offset strategy cannot work in this topology (e.g. `translated` without a mirror that checkpoints the group, or a strategy on a group that never moves)."),
    ("timestamp-zero-margin", "A timestamp reset with no margin skips records produced just before the failure that the mirror had not copied yet."),
];

/// Runs every lint rule on a valid topology.
pub fn lint(loaded: &LoadedTopology) -> Vec<Finding> {
    let mut l = Linter {
        file: &loaded.file,
        t: &loaded.topology,
        index: &loaded.index,
        out: Vec::new(),
    };
    l.clusters();
    l.mirrors();
    l.active_active();
    l.stretched();
    l.groups();
    l.out
}

struct Linter<'a> {
    file: &'a str,
    t: &'a Topology,
    index: &'a super::position::PositionIndex,
    out: Vec<Finding>,
}

impl Linter<'_> {
    fn warn(&mut self, path: NodePath, rule: &str, msg: String) -> &mut Finding {
        self.push(path, Severity::Warning, rule, msg)
    }

    fn push(&mut self, path: NodePath, sev: Severity, rule: &str, msg: String) -> &mut Finding {
        debug_assert!(
            RULES.iter().any(|(id, _)| *id == rule),
            "undocumented rule {rule}"
        );
        let at = self.index.value(&path);
        self.out.push(Finding::new(self.file, at, sev, rule, msg));
        self.out.last_mut().unwrap()
    }

    fn clusters(&mut self) {
        let t = self.t;
        for (name, c) in &t.clusters {
            for (key, value) in &c.properties {
                if let Some(why) = crate::kafka::tls_verification_off(key, value) {
                    self.warn(
                        node_path!["clusters", name, "properties", key],
                        "insecure-kafka-tls",
                        format!("cluster `{name}`: `{key}: {value}`: {why}"),
                    )
                    .hint = Some(format!(
                        "remove `{key}` (librdkafka verifies by default); give the brokers' CA with `ssl.ca.location`"
                    ));
                }
            }
        }
    }

    fn mirrors(&mut self) {
        let t = self.t;
        for (name, m) in &t.mirrors {
            let base = node_path!["mirrors", name];
            let (src, dst) = (&t.clusters[&m.source], &t.clusters[&m.target]);
            if !dst.dcs().contains(&m.runs_in.as_str()) {
                self.warn(
                    base.join("runs-in"),
                    "mirror-far-from-target",
                    format!(
                        "mirror `{name}` runs in `{}`, not in its target's datacenter ({})",
                        m.runs_in,
                        dst.dcs().join(", ")
                    ),
                )
                .hint = Some(
                    "run the mirror next to its target: consume remotely, produce locally".into(),
                );
            }
            let crosses = src.dcs() != dst.dcs();
            if crosses && !(src.uses_tls() && dst.uses_tls()) {
                let plain = if src.uses_tls() { &m.target } else { &m.source };
                self.warn(
                    base.clone(),
                    "mirror-without-tls",
                    format!("mirror `{name}` crosses datacenters but cluster `{plain}` is not reached over TLS"),
                )
                .hint = Some(format!("set `security.protocol: SSL` (or SASL_SSL) in clusters.{plain}.properties"));
            }
            if let MirrorDriverSpec::Connect(c) = &m.driver {
                if c.insecure_skip_tls_verify {
                    self.warn(
                        base.join("driver")
                            .join("connect")
                            .join("insecure-skip-tls-verify"),
                        "insecure-connect-tls",
                        format!("mirror `{name}`: TLS verification of the Connect REST API is off"),
                    );
                }
            }
            if src.role == Some(ClusterRole::Aggregate) {
                self.warn(
                    base.join("source"),
                    "mirror-from-aggregate",
                    format!("mirror `{name}` copies out of aggregate cluster `{}`; mirrors go local -> aggregate only, or records loop", m.source),
                );
            }
            if m.replication_policy == ReplicationPolicy::Identity {
                let reverse = t.mirrors.iter().find(|(_, o)| {
                    o.source == m.target
                        && o.target == m.source
                        && o.replication_policy == ReplicationPolicy::Identity
                });
                if let Some((other, _)) = reverse {
                    self.warn(
                        base.join("replication-policy"),
                        "identity-cycle",
                        format!("mirrors `{name}` and `{other}` copy in both directions under the identity policy: records would cycle"),
                    )
                    .hint = Some("use the default policy (prefixed topics) or keep one direction stopped".into());
                }
            }
        }
    }

    fn active_active(&mut self) {
        let t = self.t;
        if t.pattern != Pattern::ActiveActive {
            return;
        }
        let of_role = |r: ClusterRole| -> Vec<&str> {
            t.clusters
                .iter()
                .filter(|(_, c)| c.role == Some(r))
                .map(|(n, _)| n.as_str())
                .collect()
        };
        let (locals, aggregates) = (of_role(ClusterRole::Local), of_role(ClusterRole::Aggregate));
        for l in &locals {
            for a in &aggregates {
                if !t.mirrors.values().any(|m| m.source == *l && m.target == *a) {
                    self.warn(
                        node_path!["mirrors"],
                        "missing-mirror",
                        format!("no mirror copies local cluster `{l}` into aggregate `{a}`"),
                    );
                }
            }
        }
        if aggregates.len() == 1 {
            self.warn(
                node_path!["clusters", aggregates[0], "role"],
                "single-aggregate",
                format!(
                    "`{}` is the only aggregate cluster: groups reading it cannot fail over",
                    aggregates[0]
                ),
            );
        }
        self.headroom();
    }

    fn headroom(&mut self) {
        let t = self.t;
        let n = t.datacenters.len();
        if n < 2 {
            return;
        }
        let share = 1.0 / (n as f64 - 1.0);
        let caps: Vec<(&String, &Capacity)> = t
            .datacenters
            .iter()
            .filter_map(|(d, s)| s.capacity.as_ref().map(|c| (d, c)))
            .collect();
        if caps.len() < n {
            self.push(
                node_path!["datacenters"],
                Severity::Note,
                "active-active-headroom",
                format!(
                    "with {n} datacenters each survivor must absorb {:.0}% of a lost DC's traffic; give every DC a `capacity` to have this checked",
                    share * 100.0
                ),
            );
            return;
        }
        for (lost, lc) in &caps {
            for (dc, c) in &caps {
                if dc == lost {
                    continue;
                }
                let need = c.normal + lc.normal * share;
                if need > c.max {
                    self.warn(
                        node_path!["datacenters", *dc, "capacity"],
                        "active-active-headroom",
                        format!(
                            "if `{lost}` is lost, `{dc}` must carry {need:.1} (its {:.1} plus {:.0}% of {:.1}) but its max is {:.1}",
                            c.normal,
                            share * 100.0,
                            lc.normal,
                            c.max
                        ),
                    );
                }
            }
        }
    }

    fn stretched(&mut self) {
        let t = self.t;
        if t.pattern != Pattern::Stretched {
            return;
        }
        let Some((name, c)) = t.clusters.first() else {
            return;
        };
        let d = c.datacenters.len();
        if d < 3 {
            self.warn(
                node_path!["clusters", name, "datacenters"],
                "stretched-too-few-dcs",
                format!("stretched cluster `{name}` spans {d} datacenters; use three so that losing one keeps a majority"),
            );
        }
        let Some(p) = &t.placement else { return };
        if d == 0 {
            return;
        }
        let left = replicas_left_after_loss(p.replication_factor, d as u32, p.survive_dc_loss);
        if left < p.min_insync_replicas {
            self.warn(
                node_path!["placement", "min-insync-replicas"],
                "min-isr-after-dc-loss",
                format!(
                    "with replication factor {} over {d} DCs, losing {} DC(s) can leave {left} replica(s), fewer than min.insync.replicas {}: acks=all producers would stop",
                    p.replication_factor, p.survive_dc_loss, p.min_insync_replicas
                ),
            );
        }
    }

    fn groups(&mut self) {
        let t = self.t;
        for (i, g) in t.consumer_groups.iter().enumerate() {
            let base = node_path!["consumer-groups", i];
            let label = g.label();
            let Some(fp) = &g.failover else { continue };
            let at = base.join("failover").join("strategy");
            if t.pattern == Pattern::Stretched {
                self.warn(
                    at.clone(),
                    "strategy-contradicts-pattern",
                    format!("group `{label}`: a stretched cluster keeps committed offsets on failover; the `{}` strategy is never used", fp.strategy.as_str()),
                );
                continue;
            }
            if g.mode == GroupMode::EveryDc {
                self.warn(
                    at.clone(),
                    "strategy-contradicts-pattern",
                    format!("group `{label}` runs in every DC and never moves; its failover strategy is never used"),
                );
                continue;
            }
            if fp.strategy == OffsetStrategy::Translated && !self.translatable(g) {
                self.warn(
                    at.clone(),
                    "strategy-contradicts-pattern",
                    format!("group `{label}` uses `translated` offsets but no mirror checkpoints it towards the cluster it fails over to"),
                )
                .hint = Some("add the group to a mirror's `groups` filter, or use `timestamp`".into());
            }
            let zero = fp
                .margin
                .as_deref()
                .and_then(|m| humantime::parse_duration(m).ok())
                .is_some_and(|d| d.is_zero());
            if matches!(
                fp.strategy,
                OffsetStrategy::Timestamp | OffsetStrategy::Translated
            ) && zero
            {
                self.warn(
                    base.join("failover").join("margin"),
                    "timestamp-zero-margin",
                    format!("group `{label}` resumes exactly at the failure time; records the mirror had not copied yet are skipped"),
                );
            }
        }
    }

    /// True when some mirror checkpoints this group from the cluster it reads into a
    /// cluster it can fail over to.
    fn translatable(&self, g: &ConsumerGroup) -> bool {
        let t = self.t;
        let admits = |m: &Mirror| {
            let f = Filter::new(&m.groups).unwrap_or_else(|_| Filter::all());
            match (&g.name, &g.pattern) {
                (Some(n), _) => f.admits(n),
                // A pattern group is covered when the mirror admits the pattern's own
                // examples: we can only check the pattern text against the filter.
                (None, Some(p)) => {
                    m.groups.include.is_empty()
                        || m.groups.include.iter().any(|i| i == p || i == ".*")
                }
                _ => false,
            }
        };
        match t.pattern {
            Pattern::ActivePassive => t.mirrors.values().any(|m| {
                t.clusters[&m.source].role == Some(ClusterRole::Primary)
                    && t.clusters[&m.target].role == Some(ClusterRole::Standby)
                    && admits(m)
            }),
            Pattern::ActiveActive => {
                // Moving between aggregates goes through the local clusters' mirrors into
                // another aggregate: one must exist from a DC the group does not run in.
                t.mirrors.values().any(|m| {
                    t.clusters[&m.target].role == Some(ClusterRole::Aggregate)
                        && !g
                            .active_in
                            .iter()
                            .any(|dc| t.clusters[&m.target].dcs().contains(&dc.as_str()))
                        && admits(m)
                })
            }
            Pattern::Stretched => false,
        }
    }
}

/// Replicas left in the worst case when `lost` DCs go, with `rf` replicas spread as evenly
/// as possible over `dcs` DCs (rack-aware assignment does this).
pub fn replicas_left_after_loss(rf: u32, dcs: u32, lost: u32) -> u32 {
    if dcs == 0 {
        return 0;
    }
    let mut shares: Vec<u32> = (0..dcs)
        .map(|i| rf / dcs + u32::from(i < rf % dcs))
        .collect();
    shares.sort_unstable_by(|a, b| b.cmp(a));
    shares.iter().skip(lost as usize).sum()
}

/// Explanation of a rule id, for `--explain`.
pub fn explain(rule: &str) -> Option<&'static str> {
    RULES
        .iter()
        .find(|(id, _)| *id == rule)
        .map(|(_, why)| *why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_left() {
        assert_eq!(replicas_left_after_loss(3, 3, 1), 2);
        assert_eq!(replicas_left_after_loss(4, 2, 1), 2);
        assert_eq!(replicas_left_after_loss(3, 2, 1), 1);
        assert_eq!(replicas_left_after_loss(6, 3, 2), 2);
        assert_eq!(replicas_left_after_loss(2, 3, 1), 1);
    }

    #[test]
    fn every_rule_is_explained_once() {
        let mut ids: Vec<_> = RULES.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }
}
