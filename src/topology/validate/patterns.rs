//! What each deployment pattern needs from a topology (rule `pattern-requirements`).

use super::Validator;
use crate::node_path;
use crate::topology::model::*;
use crate::topology::position::NodePath;

impl<'a> Validator<'a> {
    pub(super) fn pattern_requirements(&mut self) {
        match self.t.pattern {
            Pattern::Stretched => self.stretched(),
            Pattern::ActivePassive => self.active_passive(),
            Pattern::ActiveActive => self.active_active(),
        }
    }

    fn need(&mut self, path: NodePath, msg: String) {
        self.err_at_value(path, "pattern-requirements", msg);
    }

    fn stretched(&mut self) {
        let t = self.t;
        if t.clusters.len() != 1 {
            self.need(
                node_path!["clusters"],
                format!(
                    "a stretched topology has exactly one cluster; found {}",
                    t.clusters.len()
                ),
            );
            return;
        }
        let (name, c) = t.clusters.first().unwrap();
        if c.datacenters.len() < 2 {
            self.need(
                node_path!["clusters", name],
                format!("stretched cluster `{name}` must span datacenters: list them under `datacenters`"),
            );
        }
        for (i, dc) in c.datacenters.iter().enumerate() {
            if t.datacenters.get(dc).is_some_and(|d| d.racks.is_empty()) {
                self.need(
                    node_path!["clusters", name, "datacenters", i],
                    format!("datacenter `{dc}` of the stretched cluster lists no `racks`; placement checks map `broker.rack` to DCs through them"),
                );
            }
        }
        if t.placement.is_none() {
            self.need(
                node_path!["pattern"],
                "a stretched topology needs `placement` (replication factor, min.insync.replicas, DCs to survive)".into(),
            );
        }
    }

    fn roles(&self, role: ClusterRole) -> Vec<&'a str> {
        self.t
            .clusters
            .iter()
            .filter(|(_, c)| c.role == Some(role))
            .map(|(n, _)| n.as_str())
            .collect()
    }

    fn active_passive(&mut self) {
        let t = self.t;
        for (name, c) in &t.clusters {
            if !matches!(c.role, Some(ClusterRole::Primary | ClusterRole::Standby)) {
                self.need(
                    node_path!["clusters", name],
                    format!("cluster `{name}` needs `role: primary` or `role: standby` in an active-passive topology"),
                );
            }
        }
        let primary = self.roles(ClusterRole::Primary);
        let standby = self.roles(ClusterRole::Standby);
        if primary.len() != 1 || standby.len() != 1 {
            self.need(
                node_path!["clusters"],
                format!(
                    "an active-passive topology has one primary and one standby cluster; found {} primary and {} standby",
                    primary.len(),
                    standby.len()
                ),
            );
            return;
        }
        let (p, s) = (primary[0], standby[0]);
        if t.clusters[p].dcs() == t.clusters[s].dcs() {
            self.need(
                node_path!["clusters", s, "datacenter"],
                format!("primary `{p}` and standby `{s}` are in the same datacenter; a standby must survive the primary's DC"),
            );
        }
        if !t.mirrors.values().any(|m| m.source == p && m.target == s) {
            self.need(
                node_path!["mirrors"],
                format!("no mirror copies the primary `{p}` to the standby `{s}`"),
            );
        }
    }

    fn active_active(&mut self) {
        let t = self.t;
        for (name, c) in &t.clusters {
            if !matches!(c.role, Some(ClusterRole::Local | ClusterRole::Aggregate)) {
                self.need(
                    node_path!["clusters", name],
                    format!("cluster `{name}` needs `role: local` or `role: aggregate` in an active-active topology"),
                );
            }
        }
        for dc in t.datacenters.keys() {
            let locals = t
                .clusters
                .values()
                .filter(|c| c.role == Some(ClusterRole::Local) && c.dcs().contains(&dc.as_str()))
                .count();
            if locals != 1 {
                self.need(
                    node_path!["datacenters", dc],
                    format!("datacenter `{dc}` has {locals} local clusters; active-active needs exactly one per DC"),
                );
            }
        }
        let aggregates = self.roles(ClusterRole::Aggregate);
        if aggregates.is_empty() {
            self.need(
                node_path!["clusters"],
                "an active-active topology needs at least one `role: aggregate` cluster".into(),
            );
        } else if !t
            .mirrors
            .values()
            .any(|m| aggregates.contains(&m.target.as_str()))
        {
            self.need(
                node_path!["mirrors"],
                "no mirror feeds an aggregate cluster; active-active mirrors every local cluster into the aggregates".into(),
            );
        }
    }
}
