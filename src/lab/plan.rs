//! What a lab looks like for a topology: brokers per DC with racks, topics, groups. Pure:
//! the engines (mock, real Kafka) only carry it out.

use serde::Serialize;

use crate::topology::filter::{self, Filter};
use crate::topology::{ClusterRole, GroupMode, Pattern, Reads, Topology};

/// Topic created when no consumer group names one, so there is always traffic.
pub const DEFAULT_TOPIC: &str = "lab-events";

#[derive(Debug, Clone, Serialize)]
pub struct LabOptions {
    pub partitions: i32,
    /// Records produced per partition before groups commit (half of them).
    pub records_per_partition: u32,
    /// Brokers per cluster: spread evenly over the cluster's DCs (rounded up to a
    /// multiple of their count, at least one per DC); the brokers of a DC take its racks
    /// in turn. The default (3) gives the example topologies one broker per rack. Lower it
    /// for a lighter real-Kafka lab (each broker is a JVM of ~300 MB): `1` gives one
    /// broker per DC per cluster.
    pub min_brokers: usize,
}

impl Default for LabOptions {
    fn default() -> Self {
        LabOptions {
            partitions: 6,
            records_per_partition: 100,
            min_brokers: 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabBroker {
    pub id: i32,
    pub rack: Option<String>,
    pub datacenter: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabTopic {
    pub name: String,
    pub partitions: i32,
    pub replication_factor: i32,
    /// Whether the lab writes records into it (mirror targets are filled by mirrors).
    pub produced: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabGroup {
    pub id: String,
    pub topics: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabClusterPlan {
    pub name: String,
    pub brokers: Vec<LabBroker>,
    pub topics: Vec<LabTopic>,
    pub groups: Vec<LabGroup>,
}

/// A topology mirror as the lab sees it: which source topics land where on the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabMirror {
    pub name: String,
    pub source: String,
    pub target: String,
    /// (source topic, target topic) pairs, by the mirror's topic filter and policy.
    pub topics: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabPlan {
    pub clusters: Vec<LabClusterPlan>,
    /// The topology's mirrors. Their target topics exist in the lab; the mock engine
    /// runs them on its in-process mirror, the real-Kafka engine on real MirrorMaker 2
    /// (a Kafka Connect worker per mirror).
    pub mirrors: Vec<LabMirror>,
    /// Things the lab could not reproduce (e.g. a group pattern with no example id).
    pub notes: Vec<String>,
}

impl LabPlan {
    pub fn cluster(&self, name: &str) -> Option<&LabClusterPlan> {
        self.clusters.iter().find(|c| c.name == name)
    }
}

/// Plans a lab for `t`.
pub fn plan(t: &Topology, opts: &LabOptions) -> LabPlan {
    let mut notes = Vec::new();
    let mut clusters = Vec::new();
    let fed = topics_feeding_mirrors(t);
    for (name, c) in &t.clusters {
        let dcs = c.dcs();
        let per_dc = opts.min_brokers.div_ceil(dcs.len().max(1)).max(1);
        let mut brokers = Vec::new();
        for dc in &dcs {
            let racks = &t.datacenters[*dc].racks;
            for i in 0..per_dc {
                brokers.push(LabBroker {
                    id: brokers.len() as i32 + 1,
                    rack: if racks.is_empty() {
                        None
                    } else {
                        Some(racks[i % racks.len()].clone())
                    },
                    datacenter: dc.to_string(),
                });
            }
        }
        let rf = brokers.len().min(3) as i32;
        let produced = matches!(
            c.role,
            None | Some(ClusterRole::Primary) | Some(ClusterRole::Local)
        );
        let mut groups = Vec::new();
        let mut topic_names: Vec<String> = Vec::new();
        for g in &t.consumer_groups {
            if !reads_cluster(t, g, name) {
                continue;
            }
            let id = match (&g.name, &g.pattern) {
                (Some(n), _) => Some(n.clone()),
                (None, Some(p)) => {
                    let example = example_id(p);
                    if example.is_none() {
                        notes.push(format!("group pattern /{p}/: no example id could be made; the lab has no such group"));
                    }
                    example
                }
                _ => None,
            };
            let source_topics: Vec<String> = if g.topics.is_empty() {
                vec![DEFAULT_TOPIC.to_string()]
            } else {
                g.topics.clone()
            };
            // On a mirror target (aggregate, standby) the group reads the mirrored names.
            let topics: Vec<String> = if produced {
                source_topics
            } else {
                t.mirrors
                    .values()
                    .filter(|m| &m.target == name)
                    .flat_map(|m| {
                        let f = Filter::new(&m.topics).unwrap_or_else(|_| Filter::all());
                        source_topics
                            .iter()
                            .filter(move |tp| f.admits(tp))
                            .map(move |tp| m.remote_topic(tp))
                    })
                    .collect()
            };
            for tp in &topics {
                if !topic_names.contains(tp) {
                    topic_names.push(tp.clone());
                }
            }
            if let Some(id) = id {
                groups.push(LabGroup { id, topics });
            }
        }
        if produced {
            for tp in fed.get(name.as_str()).into_iter().flatten() {
                if !topic_names.contains(tp) {
                    topic_names.push(tp.clone());
                }
            }
        }
        if topic_names.is_empty() && produced {
            topic_names.push(DEFAULT_TOPIC.to_string());
        }
        let topics = topic_names
            .into_iter()
            .map(|n| LabTopic {
                name: n,
                partitions: opts.partitions,
                replication_factor: rf,
                produced,
            })
            .collect();
        clusters.push(LabClusterPlan {
            name: name.clone(),
            brokers,
            topics,
            groups,
        });
    }
    let mirrors = plan_mirrors(t, &mut clusters, opts);
    LabPlan {
        clusters,
        mirrors,
        notes,
    }
}

/// Every mirror's (source topic -> target topic) pairs; target topics are added to the
/// target cluster's plan (empty, not produced).
fn plan_mirrors(
    t: &Topology,
    clusters: &mut [LabClusterPlan],
    opts: &LabOptions,
) -> Vec<LabMirror> {
    let mut out = Vec::new();
    for (name, m) in &t.mirrors {
        let filter = Filter::new(&m.topics).unwrap_or_else(|_| Filter::all());
        let sources: Vec<String> = clusters
            .iter()
            .find(|c| c.name == m.source)
            .map(|c| {
                c.topics
                    .iter()
                    .filter(|tp| tp.produced && filter.admits(&tp.name))
                    .map(|tp| tp.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        let pairs: Vec<(String, String)> = sources
            .iter()
            .map(|s| (s.clone(), m.remote_topic(s)))
            .collect();
        if let Some(target) = clusters.iter_mut().find(|c| c.name == m.target) {
            let rf = target.brokers.len().min(3) as i32;
            for (_, remote) in &pairs {
                if !target.topics.iter().any(|tp| &tp.name == remote) {
                    target.topics.push(LabTopic {
                        name: remote.clone(),
                        partitions: opts.partitions,
                        replication_factor: rf,
                        produced: false,
                    });
                }
            }
        }
        out.push(LabMirror {
            name: name.clone(),
            source: m.source.clone(),
            target: m.target.clone(),
            topics: pairs,
        });
    }
    out
}

/// Source topics that groups on mirror targets need: the mirror's source cluster must
/// produce them for the target to hold them.
fn topics_feeding_mirrors(t: &Topology) -> std::collections::BTreeMap<&str, Vec<String>> {
    let mut out: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for m in t.mirrors.values() {
        let filter = Filter::new(&m.topics).unwrap_or_else(|_| Filter::all());
        for g in &t.consumer_groups {
            if !reads_cluster(t, g, &m.target) {
                continue;
            }
            for tp in g.topics.iter().filter(|tp| filter.admits(tp)) {
                let list = out.entry(m.source.as_str()).or_default();
                if !list.contains(tp) {
                    list.push(tp.clone());
                }
            }
        }
    }
    out
}

/// Whether group `g` reads cluster `name` on a normal day.
fn reads_cluster(t: &Topology, g: &crate::topology::ConsumerGroup, name: &str) -> bool {
    let c = &t.clusters[name];
    let in_dc = g.active_in.iter().any(|dc| c.dcs().contains(&dc.as_str()));
    match t.pattern {
        Pattern::Stretched => true,
        Pattern::ActivePassive => c.role == Some(ClusterRole::Primary),
        Pattern::ActiveActive => {
            let want = match g.reads {
                Some(Reads::Aggregate) => ClusterRole::Aggregate,
                _ => ClusterRole::Local,
            };
            in_dc && c.role == Some(want)
        }
    }
}

/// `t` with `n` more consumer groups, for benchmarks: copies of its single-active groups
/// (taken in turn), named `<name>-bench-{i}` (a pattern group lends its example id), with
/// the same topics, DCs, mode, reads and failover policy. Every-DC groups are not
/// copied: nothing moves for them. No single-active group: `t` unchanged.
///
/// A copy of a pattern group still matches that pattern; as the copy carries the same
/// policy, which entry a tool resolves it to does not change what happens to it.
pub fn with_extra_groups(t: &Topology, n: usize) -> Topology {
    let templates: Vec<(String, &crate::topology::ConsumerGroup)> = t
        .consumer_groups
        .iter()
        .filter(|g| g.mode == GroupMode::SingleActive)
        .filter_map(|g| {
            let base = match (&g.name, &g.pattern) {
                (Some(name), _) => Some(name.clone()),
                (None, Some(p)) => example_id(p),
                _ => None,
            };
            base.map(|b| (b, g))
        })
        .collect();
    let mut out = t.clone();
    if templates.is_empty() {
        return out;
    }
    for i in 0..n {
        let (base, g) = &templates[i % templates.len()];
        let mut copy = (*g).clone();
        copy.name = Some(format!("{base}-bench-{i}"));
        copy.pattern = None;
        out.consumer_groups.push(copy);
    }
    out
}

/// An id matching a group pattern: `.*`/`.+` become `lab-1`, simple escapes are undone,
/// and the result must match the pattern.
pub fn example_id(pattern: &str) -> Option<String> {
    let p = pattern.trim_start_matches('^').trim_end_matches('$');
    let candidate = p
        .replace(".*", "lab-1")
        .replace(".+", "lab-1")
        .replace("\\.", ".")
        .replace("\\-", "-");
    let re = filter::compile(pattern).ok()?;
    re.is_match(&candidate).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str) -> Topology {
        let path = format!("{}/topologies/{name}", env!("CARGO_MANIFEST_DIR"));
        crate::topology::load_file(std::path::Path::new(&path))
            .unwrap()
            .topology
    }

    #[test]
    fn stretched_brokers_follow_racks() {
        let p = plan(&load("stretched.yaml"), &LabOptions::default());
        let c = p.cluster("orders").unwrap();
        let racks: Vec<_> = c.brokers.iter().map(|b| b.rack.clone().unwrap()).collect();
        assert_eq!(racks, vec!["zone-a", "zone-b", "zone-c"]);
        assert_eq!(c.groups.len(), 2);
        assert!(c
            .topics
            .iter()
            .all(|t| t.replication_factor == 3 && t.produced));
    }

    #[test]
    fn active_passive_groups_start_on_the_primary() {
        let p = plan(&load("active-passive.yaml"), &LabOptions::default());
        let east = p.cluster("east").unwrap();
        let ids: Vec<_> = east.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "payments-ledger",
                "payments-notify-lab-1",
                "refund-worker",
                "payments-dashboard"
            ]
        );
        assert_eq!(east.brokers.len(), 3);
        assert!(p.cluster("west").unwrap().groups.is_empty());
        assert!(p.notes.is_empty(), "{:?}", p.notes);
    }

    #[test]
    fn active_active_groups_by_what_they_read() {
        let p = plan(&load("active-active.yaml"), &LabOptions::default());
        assert_eq!(
            p.cluster("aggregate-1").unwrap().groups[0].id,
            "analytics-sessionizer"
        );
        assert_eq!(
            p.cluster("aggregate-2").unwrap().groups[0].id,
            "analytics-report-lab-1"
        );
        for l in ["local-1", "local-2", "local-3"] {
            assert_eq!(p.cluster(l).unwrap().groups[0].id, "click-enricher");
        }
        assert!(!p.cluster("aggregate-1").unwrap().topics[0].produced);
    }

    #[test]
    fn min_brokers_sizes_each_cluster() {
        let one = LabOptions {
            min_brokers: 1,
            ..LabOptions::default()
        };
        let p = plan(&load("active-passive.yaml"), &one);
        let east = p.cluster("east").unwrap();
        assert_eq!(east.brokers.len(), 1);
        assert_eq!(east.brokers[0].rack.as_deref(), Some("east-1"));
        assert_eq!(east.topics[0].replication_factor, 1);
        // A stretched cluster keeps one broker per DC.
        let p = plan(&load("stretched.yaml"), &one);
        assert_eq!(p.cluster("orders").unwrap().brokers.len(), 3);
        let p = plan(&load("active-active.yaml"), &one);
        assert!(p.clusters.iter().all(|c| c.brokers.len() == 1));
    }

    #[test]
    fn mirror_targets_get_the_remote_topics() {
        let p = plan(&load("active-passive.yaml"), &LabOptions::default());
        let west: Vec<_> = p
            .cluster("west")
            .unwrap()
            .topics
            .iter()
            .map(|t| (t.name.as_str(), t.produced))
            .collect();
        assert_eq!(
            west,
            vec![("east.payments", false), ("east.refunds", false)]
        );
        assert_eq!(
            p.mirrors[0].topics,
            vec![
                ("payments".into(), "east.payments".into()),
                ("refunds".into(), "east.refunds".into())
            ]
        );

        let p = plan(&load("active-active.yaml"), &LabOptions::default());
        // Groups on an aggregate read every local's mirrored copy of their topics...
        let g = &p.cluster("aggregate-1").unwrap().groups[0];
        assert_eq!(g.topics.len(), 6, "{:?}", g.topics);
        assert!(g.topics.contains(&"local-3.sessions".to_string()));
        // ...so every local produces them.
        let local3: Vec<_> = p
            .cluster("local-3")
            .unwrap()
            .topics
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(local3, vec!["clicks", "sessions"]);
        assert_eq!(p.mirrors.len(), 6);
    }

    #[test]
    fn extra_groups_copy_the_single_active_ones() {
        let t = load("active-active.yaml");
        let more = with_extra_groups(&t, 200);
        assert_eq!(more.consumer_groups.len(), t.consumer_groups.len() + 200);
        let extra = &more.consumer_groups[t.consumer_groups.len()..];
        // The two single-active groups in turn; click-enricher (every-dc) never.
        assert_eq!(
            extra[0].name.as_deref(),
            Some("analytics-sessionizer-bench-0")
        );
        assert_eq!(
            extra[1].name.as_deref(),
            Some("analytics-report-lab-1-bench-1")
        );
        assert_eq!(
            extra[199].name.as_deref(),
            Some("analytics-report-lab-1-bench-199")
        );
        let report = &t.consumer_groups[1];
        assert_eq!(extra[1].topics, report.topics);
        assert_eq!(extra[1].active_in, report.active_in);
        assert_eq!(extra[1].reads, report.reads);
        assert_eq!(
            format!("{:?}", extra[1].failover),
            format!("{:?}", report.failover)
        );
        assert!(extra.iter().all(|g| g.pattern.is_none()
            && g.mode == GroupMode::SingleActive
            && !g.name.as_deref().unwrap().starts_with("click-enricher")));
        // Still a valid topology, and the lab plans every copy.
        let yaml = serde_yaml::to_string(&more).unwrap();
        let reloaded = crate::topology::load_str("bench.yaml", &yaml).unwrap();
        assert_eq!(reloaded.topology.consumer_groups.len(), 203);
        let p = plan(&more, &LabOptions::default());
        let a1 = p.cluster("aggregate-1").unwrap().groups.len();
        let a2 = p.cluster("aggregate-2").unwrap().groups.len();
        assert_eq!((a1, a2), (1 + 100, 1 + 100));
        // Nothing to copy: unchanged.
        assert_eq!(
            with_extra_groups(&load("stretched.yaml"), 0)
                .consumer_groups
                .len(),
            load("stretched.yaml").consumer_groups.len()
        );
    }

    #[test]
    fn example_ids() {
        assert_eq!(
            example_id("payments-notify-.*").as_deref(),
            Some("payments-notify-lab-1")
        );
        assert_eq!(example_id("^a\\.b$").as_deref(), Some("a.b"));
        assert_eq!(example_id("[0-9]{4}"), None);
    }
}
