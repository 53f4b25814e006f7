//! KIP-875 connector offsets (`GET|PATCH|DELETE /connectors/{name}/offsets`) and what they
//! mean for MirrorMaker 2's source connector.
//!
//! MirrorSourceConnector stores, per source partition
//! `{"cluster": <source alias>, "topic": t, "partition": p}`, the offset
//! `{"offset": n}` of the last record it copied, and its task resumes at `n + 1`
//! (apache/kafka `MirrorUtils.wrapPartition`/`wrapOffset`, `MirrorSourceTask.initializeConsumer`).
//! A partition without a stored offset starts where the task's consumer resets to
//! (`auto.offset.reset`, `earliest` in MM2).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of KIP-875's offsets endpoints: `{"offsets": [{"partition": …, "offset": …}]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectorOffsets {
    pub offsets: Vec<ConnectorOffset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectorOffset {
    pub partition: Map<String, Value>,
    /// `None` is JSON `null`: in a PATCH it erases the partition's stored offset.
    pub offset: Option<Map<String, Value>>,
}

/// One MirrorSourceConnector position: the offset of the last record copied from
/// `topic`/`partition`, or None when nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MirrorSourcePosition {
    pub cluster: String,
    pub topic: String,
    pub partition: i32,
    pub last_copied: Option<i64>,
}

impl MirrorSourcePosition {
    /// The source offset the task reads next.
    pub fn next_offset(&self) -> Option<i64> {
        self.last_copied.map(|o| o + 1)
    }
}

impl ConnectorOffset {
    /// A MirrorSourceConnector offset: the last record copied was `last_copied`.
    pub fn mirror_source(
        source_alias: &str,
        topic: &str,
        partition: i32,
        last_copied: Option<i64>,
    ) -> ConnectorOffset {
        let mut p = Map::new();
        p.insert("cluster".into(), Value::from(source_alias));
        p.insert("topic".into(), Value::from(topic));
        p.insert("partition".into(), Value::from(partition));
        ConnectorOffset {
            partition: p,
            offset: last_copied.map(|o| {
                let mut m = Map::new();
                m.insert("offset".into(), Value::from(o));
                m
            }),
        }
    }
}

impl ConnectorOffsets {
    /// The PATCH body that makes a (STOPPED) MirrorSourceConnector start each listed
    /// partition at `next_offset`: MM2 stores "last copied", so `next_offset - 1` is
    /// written; a partition starting at 0 gets `null` (no stored offset: the task starts
    /// at the log start, MM2's `auto.offset.reset=earliest`).
    pub fn mirror_source_start<'a>(
        source_alias: &str,
        starts: impl IntoIterator<Item = (&'a str, i32, i64)>,
    ) -> ConnectorOffsets {
        ConnectorOffsets {
            offsets: starts
                .into_iter()
                .map(|(topic, partition, next)| {
                    let last = (next > 0).then(|| next - 1);
                    ConnectorOffset::mirror_source(source_alias, topic, partition, last)
                })
                .collect(),
        }
    }

    /// The entries that look like MirrorSourceConnector positions, sorted by topic and
    /// partition. Other entries (e.g. a checkpoint connector's) are skipped.
    pub fn mirror_source_positions(&self) -> Vec<MirrorSourcePosition> {
        let mut out: Vec<MirrorSourcePosition> = self
            .offsets
            .iter()
            .filter_map(|o| {
                let cluster = o.partition.get("cluster")?.as_str()?;
                let topic = o.partition.get("topic")?.as_str()?;
                let partition = i32::try_from(o.partition.get("partition")?.as_i64()?).ok()?;
                let last_copied = match &o.offset {
                    None => None,
                    Some(m) => Some(m.get("offset")?.as_i64()?),
                };
                Some(MirrorSourcePosition {
                    cluster: cluster.to_string(),
                    topic: topic.to_string(),
                    partition,
                    last_copied,
                })
            })
            .collect();
        out.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_offsets_are_last_copied() {
        let o =
            ConnectorOffsets::mirror_source_start("west", [("orders", 0, 42), ("orders", 1, 0)]);
        assert_eq!(
            serde_json::to_value(&o).unwrap(),
            serde_json::json!({"offsets": [
                {"partition": {"cluster": "west", "topic": "orders", "partition": 0}, "offset": {"offset": 41}},
                {"partition": {"cluster": "west", "topic": "orders", "partition": 1}, "offset": null}
            ]})
        );
    }

    #[test]
    fn positions_from_a_get() {
        let body = r#"{"offsets":[
            {"partition":{"cluster":"east","partition":1,"topic":"b"},"offset":{"offset":7}},
            {"partition":{"cluster":"east","partition":0,"topic":"b"},"offset":{"offset":9}},
            {"partition":{"group":"g","topic":"b","partition":0},"offset":{"offset":0}}
        ]}"#;
        let o: ConnectorOffsets = serde_json::from_str(body).unwrap();
        let p = o.mirror_source_positions();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].partition, p[0].next_offset()), (0, Some(10)));
        assert_eq!((p[1].partition, p[1].last_copied), (1, Some(7)));
    }
}
