//! Semantic validation: what makes a well-formed YAML file a usable topology.
//!
//! Everything here is an error (the file cannot be used). Operational advice that still
//! leaves a working file belongs in `lint.rs`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use super::finding::Finding;
use super::load::closest;
use super::model::*;
use super::position::{NodePath, PositionIndex};
use super::secret::is_secret_property;
use crate::node_path;

mod hooks;
mod names;
mod patterns;
mod regexes;
mod secrets;

pub(crate) use names::invisible;

/// Checks `t` and returns every error, each at the position of the node it is about.
pub fn validate(file: &str, t: &Topology, index: &PositionIndex) -> Vec<Finding> {
    let mut v = Validator {
        file,
        t,
        index,
        out: Vec::new(),
    };
    v.run();
    v.out
}

struct Validator<'a> {
    file: &'a str,
    t: &'a Topology,
    index: &'a PositionIndex,
    out: Vec<Finding>,
}

fn name_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$").unwrap())
}

fn host_port_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:[A-Za-z_]+://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$",
        )
        .unwrap()
    })
}

fn url_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^https?://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::\d{1,5})?(?:/[^\s]*)?$",
        )
        .unwrap()
    })
}

impl<'a> Validator<'a> {
    fn err_at_value(&mut self, path: NodePath, rule: &str, msg: String) -> &mut Finding {
        let at = self.index.value(&path);
        self.out.push(Finding::error(self.file, at, rule, msg));
        self.out.last_mut().unwrap()
    }

    fn err_at_key(&mut self, path: NodePath, rule: &str, msg: String) -> &mut Finding {
        let at = self.index.key(&path);
        self.out.push(Finding::error(self.file, at, rule, msg));
        self.out.last_mut().unwrap()
    }

    fn run(&mut self) {
        let t = self.t;
        if t.version != SUPPORTED_VERSION {
            let f = super::load::unsupported_version(
                self.file,
                self.index,
                &serde_yaml::Value::from(t.version),
            );
            self.out.push(f);
            return;
        }
        self.check_name(node_path!["name"], &t.name, "the topology name");
        self.datacenters();
        self.clusters();
        self.mirrors();
        self.groups();
        self.placement();
        self.targets();
        self.hooks();
        self.pattern_requirements();
    }

    fn check_name(&mut self, path: NodePath, name: &str, what: &str) {
        self.name_at(path, name, what, false);
    }

    fn check_key_name(&mut self, path: NodePath, name: &str, what: &str) {
        self.name_at(path, name, what, true);
    }

    /// Reports a name that is not `[A-Za-z0-9._-]`, at its key (map keys) or value.
    fn name_at(&mut self, path: NodePath, name: &str, what: &str, at_key: bool) {
        if name_re().is_match(name) || self.invisible_in(path.clone(), what, name, &[], at_key) {
            return;
        }
        let msg = format!(
            "{what} {name:?} is not a valid name: use letters, digits, `.`, `_` and `-` (at most 100)"
        );
        if at_key {
            self.err_at_key(path, "bad-name", msg);
        } else {
            self.err_at_value(path, "bad-name", msg);
        }
    }

    /// Reports `name` at `path` when it is not one of `known` (a DC or cluster reference).
    fn check_ref(&mut self, path: NodePath, name: &str, kind: &str, known: &[&str]) -> bool {
        if known.contains(&name) {
            return true;
        }
        if self.invisible_in(
            path.clone(),
            &format!("the {kind} reference"),
            name,
            &[],
            false,
        ) {
            return false;
        }
        let hint = closest(name, known);
        let section = if kind == "datacenter" {
            "datacenters"
        } else {
            "clusters"
        };
        let f = self.err_at_value(
            path,
            &format!("unknown-{kind}"),
            format!("`{name}` is not a {kind} defined under `{section}`"),
        );
        *f = f.clone().with_hint(match hint {
            Some(h) => format!("did you mean `{h}`?"),
            None => format!("defined {section}: {}", list(known)),
        });
        false
    }

    fn dc_names(&self) -> Vec<&'a str> {
        self.t.datacenters.keys().map(String::as_str).collect()
    }

    fn cluster_names(&self) -> Vec<&'a str> {
        self.t.clusters.keys().map(String::as_str).collect()
    }

    fn datacenters(&mut self) {
        let t = self.t;
        if t.datacenters.is_empty() {
            self.err_at_value(
                node_path!["datacenters"],
                "pattern-requirements",
                "`datacenters` is empty; name at least two datacenters".into(),
            );
        }
        let mut rack_owner: HashMap<&str, &str> = HashMap::new();
        for (dc, spec) in &t.datacenters {
            self.check_key_name(node_path!["datacenters", dc], dc, "datacenter");
            for (i, rack) in spec.racks.iter().enumerate() {
                let p = node_path!["datacenters", dc, "racks", i];
                if self.invisible_in(p.clone(), "rack", rack, &[], false) {
                    continue;
                }
                if rack.is_empty() {
                    self.err_at_value(p, "bad-name", "a rack name is empty".into());
                } else if let Some(owner) = rack_owner.insert(rack, dc) {
                    self.err_at_value(
                        p,
                        "duplicate-rack",
                        format!("rack `{rack}` is listed in both `{owner}` and `{dc}`; a rack belongs to one datacenter"),
                    );
                }
            }
            if let Some(c) = &spec.capacity {
                if !(c.normal >= 0.0 && c.max > 0.0 && c.normal.is_finite() && c.max.is_finite()) {
                    self.err_at_value(
                        node_path!["datacenters", dc, "capacity"],
                        "bad-capacity",
                        "capacity needs `normal` >= 0 and `max` > 0".into(),
                    );
                }
            }
        }
    }

    fn clusters(&mut self) {
        let t = self.t;
        let dcs = self.dc_names();
        if t.clusters.is_empty() {
            self.err_at_value(
                node_path!["clusters"],
                "pattern-requirements",
                "`clusters` is empty".into(),
            );
        }
        for (name, c) in &t.clusters {
            let base = node_path!["clusters", name];
            self.check_key_name(base.clone(), name, "cluster");
            match (&c.datacenter, c.datacenters.is_empty()) {
                (Some(_), false) => {
                    self.err_at_key(
                        base.join("datacenters"),
                        "cluster-datacenter",
                        format!("cluster `{name}` sets both `datacenter` and `datacenters`; use `datacenter` for a cluster in one DC, `datacenters` for a stretched one"),
                    );
                }
                (None, true) => {
                    self.err_at_key(
                        base.clone(),
                        "missing-field",
                        format!("cluster `{name}` needs `datacenter` (or `datacenters` for a stretched cluster)"),
                    );
                }
                _ => {}
            }
            if let Some(dc) = &c.datacenter {
                self.check_ref(base.join("datacenter"), dc, "datacenter", &dcs);
            }
            let mut seen = HashSet::new();
            for (i, dc) in c.datacenters.iter().enumerate() {
                let p = base.join("datacenters").join(i);
                if self.check_ref(p.clone(), dc, "datacenter", &dcs) && !seen.insert(dc) {
                    self.err_at_value(
                        p,
                        "duplicate-name",
                        format!("datacenter `{dc}` is listed twice"),
                    );
                }
            }
            self.bootstrap(base.join("bootstrap"), &c.bootstrap);
            for key in c.properties.keys() {
                let p = base.join("properties").join(key);
                if is_secret_property(key) {
                    self.err_at_key(
                        p,
                        "inline-secret",
                        format!("`{key}` holds a secret and is written in the clear"),
                    )
                    .hint = Some(format!(
                        "move it under `secrets:` as `{key}: {{env: VARIABLE}}` or `{key}: {{file: PATH}}`"
                    ));
                } else if key == "bootstrap.servers" {
                    self.err_at_key(
                        p,
                        "duplicate-property",
                        "`bootstrap.servers` is set by the cluster's `bootstrap`; remove it from `properties`".into(),
                    );
                } else if c.secrets.contains_key(key) {
                    self.err_at_key(
                        p,
                        "duplicate-property",
                        format!("`{key}` is set under both `properties` and `secrets`"),
                    );
                }
            }
            for (key, s) in &c.secrets {
                self.secret(base.join("secrets").join(key), key, s);
            }
        }
    }

    fn bootstrap(&mut self, path: NodePath, value: &str) {
        let bad: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|hp| {
                host_port_re()
                    .captures(hp)
                    .and_then(|c| c[1].parse::<u32>().ok())
                    .is_none_or(|port| port == 0 || port > 65535)
            })
            .collect();
        if value.trim().is_empty() || !bad.is_empty() {
            self.err_at_value(
                path,
                "bad-bootstrap",
                format!("bootstrap {:?} is not a list of `host:port`", value),
            )
            .hint = Some("e.g. `kafka-1.dc-a:9092,kafka-2.dc-a:9092`".into());
        }
    }

    fn filter(&mut self, path: NodePath, f: &NameFilter) {
        for (list, pats) in [("include", &f.include), ("exclude", &f.exclude)] {
            for (i, p) in pats.iter().enumerate() {
                self.pattern(path.join(list).join(i), p);
            }
        }
    }

    fn duration(&mut self, path: NodePath, value: &str) {
        if humantime::parse_duration(value).is_err() {
            self.err_at_value(path, "bad-duration", format!("{value:?} is not a duration"))
                .hint = Some("use a number and a unit, e.g. `30s`, `5m`, `1h 30m`".into());
        }
    }

    fn mirrors(&mut self) {
        let t = self.t;
        let clusters = self.cluster_names();
        let dcs = self.dc_names();
        for (name, m) in &t.mirrors {
            let base = node_path!["mirrors", name];
            self.check_key_name(base.clone(), name, "mirror");
            let s_ok = self.check_ref(base.join("source"), &m.source, "cluster", &clusters);
            let t_ok = self.check_ref(base.join("target"), &m.target, "cluster", &clusters);
            if s_ok && t_ok && m.source == m.target {
                self.err_at_value(
                    base.join("target"),
                    "mirror-self",
                    format!("mirror `{name}` copies cluster `{}` onto itself", m.source),
                );
            }
            self.check_ref(base.join("runs-in"), &m.runs_in, "datacenter", &dcs);
            if let Some(a) = &m.source_alias {
                self.check_name(base.join("source-alias"), a, "the source alias");
            }
            if let Some(a) = &m.target_alias {
                self.check_name(base.join("target-alias"), a, "the target alias");
            }
            self.filter(base.join("topics"), &m.topics);
            self.filter(base.join("groups"), &m.groups);
            match &m.driver {
                MirrorDriverSpec::Connect(c) => {
                    let d = base.join("driver").join("connect");
                    if !url_re().is_match(&c.url) {
                        self.err_at_value(
                            d.join("url"),
                            "bad-url",
                            format!("{:?} is not an http(s) URL", c.url),
                        );
                    }
                    let names = [
                        ("source", &c.connectors.source),
                        ("checkpoint", &c.connectors.checkpoint),
                        ("heartbeat", &c.connectors.heartbeat),
                    ];
                    for (kind, n) in names {
                        if let Some(n) = n {
                            let p = d.join("connectors").join(kind);
                            let what = format!("the {kind} connector name");
                            self.invisible_in(p, &what, n, &[], false);
                        }
                    }
                    if let Some(a) = &c.auth {
                        self.secret(d.join("auth").join("password"), "password", &a.password);
                    }
                }
                MirrorDriverSpec::Mm2Properties(p) => {
                    let d = base.join("driver").join("mm2-properties");
                    if p.file.trim().is_empty() {
                        self.err_at_value(
                            d.join("file"),
                            "missing-field",
                            "`file` is empty".into(),
                        );
                    }
                    if p.reload.trim().is_empty() {
                        self.err_at_value(
                            d.join("reload"),
                            "missing-field",
                            "`reload` is empty".into(),
                        );
                    }
                }
            }
        }
    }

    fn groups(&mut self) {
        let t = self.t;
        let dcs = self.dc_names();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, g) in t.consumer_groups.iter().enumerate() {
            let base = node_path!["consumer-groups", i];
            match (&g.name, &g.pattern) {
                (Some(_), Some(_)) => {
                    self.err_at_key(
                        base.join("pattern"),
                        "group-name",
                        "a consumer group has either `name` or `pattern`, not both".into(),
                    );
                }
                (None, None) => {
                    self.err_at_value(
                        base.clone(),
                        "group-name",
                        "a consumer group needs `name` (an exact group id) or `pattern` (a regex)"
                            .into(),
                    );
                }
                (Some(n), None) => {
                    let p = base.join("name");
                    if self.invisible_in(p.clone(), "group id", n, &[], false) {
                    } else if n.is_empty() {
                        self.err_at_value(p, "bad-name", "the group id is empty".into());
                    } else if n.chars().count() > 249 {
                        self.err_at_value(
                            p,
                            "bad-name",
                            format!(
                                "group id `{}…` is {} characters long; Kafka allows at most 249",
                                n.chars().take(20).collect::<String>(),
                                n.chars().count()
                            ),
                        );
                    }
                }
                (None, Some(p)) => self.pattern(base.join("pattern"), p),
            }
            let label = g.label();
            if let Some(first) = seen.insert(label, i) {
                let key = if g.name.is_some() { "name" } else { "pattern" };
                self.err_at_value(
                    base.join(key),
                    "duplicate-name",
                    format!(
                        "consumer group `{label}` is already listed as consumer-groups[{first}]"
                    ),
                );
            }
            if g.active_in.is_empty() {
                self.err_at_value(
                    base.join("active-in"),
                    "pattern-requirements",
                    format!("consumer group `{label}` runs nowhere: `active-in` is empty"),
                );
            }
            for (j, dc) in g.active_in.iter().enumerate() {
                self.check_ref(base.join("active-in").join(j), dc, "datacenter", &dcs);
            }
            for (j, topic) in g.topics.iter().enumerate() {
                self.topic_name(base.join("topics").join(j), topic);
            }
            if g.mode == GroupMode::SingleActive && g.active_in.len() > 1 {
                self.err_at_value(
                    base.join("active-in"),
                    "group-mode",
                    format!(
                        "consumer group `{label}` is single-active but listed as active in {} DCs",
                        g.active_in.len()
                    ),
                );
            }
            match (t.pattern, g.reads) {
                (Pattern::ActiveActive, None) => {
                    self.err_at_key(
                        base.clone(),
                        "pattern-requirements",
                        format!("in an active-active topology, consumer group `{label}` must say which cluster it reads: `reads: local` or `reads: aggregate`"),
                    );
                }
                (Pattern::ActiveActive, Some(_)) | (_, None) => {}
                (p, Some(_)) => {
                    self.err_at_key(
                        base.join("reads"),
                        "pattern-requirements",
                        format!(
                            "`reads` applies to active-active topologies only; this one is {}",
                            p.as_str()
                        ),
                    );
                }
            }
            if let Some(fp) = &g.failover {
                if let Some(m) = &fp.margin {
                    self.duration(base.join("failover").join("margin"), m);
                }
            }
        }
    }

    fn placement(&mut self) {
        let Some(p) = &self.t.placement else { return };
        let base = node_path!["placement"];
        if p.replication_factor == 0 {
            self.err_at_value(
                base.join("replication-factor"),
                "bad-placement",
                "`replication-factor` must be at least 1".into(),
            );
        }
        if p.min_insync_replicas == 0 || p.min_insync_replicas > p.replication_factor {
            self.err_at_value(
                base.join("min-insync-replicas"),
                "bad-placement",
                format!(
                    "`min-insync-replicas` {} must be between 1 and the replication factor {}",
                    p.min_insync_replicas, p.replication_factor
                ),
            );
        }
        let dcs = self.t.datacenters.len() as u32;
        if p.survive_dc_loss >= dcs.max(1) {
            self.err_at_value(
                base.join("survive-dc-loss"),
                "bad-placement",
                format!(
                    "cannot survive losing {} of {} datacenters",
                    p.survive_dc_loss, dcs
                ),
            );
        }
        if let Some(s) = p.max_leader_share {
            if !(s > 0.0 && s <= 1.0) {
                self.err_at_value(
                    base.join("max-leader-share"),
                    "bad-placement",
                    "`max-leader-share` must be in (0, 1]".into(),
                );
            }
        }
        let topics = p.topics.clone();
        self.filter(base.join("topics"), &topics);
    }

    fn targets(&mut self) {
        let Some(tg) = &self.t.targets else { return };
        if let Some(d) = &tg.max_rto {
            self.duration(node_path!["targets", "max-rto"], d);
        }
        if let Some(d) = &tg.max_checkpoint_age {
            self.duration(node_path!["targets", "max-checkpoint-age"], d);
        }
    }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
