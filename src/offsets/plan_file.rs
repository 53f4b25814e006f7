//! Plans written to and read from files (`--export`, `--from-file`).
//!
//! Written: JSON (the `ResetPlan` as `-o json` prints it) or CSV with a header,
//! `group,topic,partition,current,target` (`current` empty: no committed offset).
//! Read: those two, and Kafka's own `kafka-consumer-groups --export` CSV without a
//! header (`topic,partition,offset`, or `group,topic,partition,offset` for several
//! groups); Kafka's files record no previous offsets, so staleness cannot be
//! checked for them.

use std::collections::BTreeMap;
use std::path::Path;

use super::model::{Action, FileEntry, ResetPlan, Tp};

/// Targets per group and partition.
pub type PlanEntries = BTreeMap<String, BTreeMap<Tp, FileEntry>>;

#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: usize,
        message: String,
    },
}

/// CSV text of a plan: the partitions it gives a target (set or already there).
pub fn to_csv(plan: &ResetPlan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["group", "topic", "partition", "current", "target"])
        .expect("writing to memory");
    for g in plan.groups.iter().filter(|g| g.refused.is_none()) {
        for p in &g.partitions {
            let Some(target) = p.target else { continue };
            if p.action == Action::Skip {
                continue;
            }
            w.write_record([
                g.group.clone(),
                p.topic.clone(),
                p.partition.to_string(),
                p.current.map(|c| c.to_string()).unwrap_or_default(),
                target.to_string(),
            ])
            .expect("writing to memory");
        }
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("csv of utf-8 is utf-8")
}

/// Writes the plan as JSON (`.json`) or CSV (anything else), mode 0600.
pub fn export(plan: &ResetPlan, path: &Path) -> Result<(), PlanFileError> {
    let text = if is_json_path(path) {
        serde_json::to_string_pretty(plan).expect("plans serialize") + "\n"
    } else {
        to_csv(plan)
    };
    crate::fsutil::write_private(path, &text).map_err(|source| PlanFileError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn is_json_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads a plan file. `default_group`: the group of Kafka's 3-column CSV rows.
pub fn read(path: &Path, default_group: Option<&str>) -> Result<PlanEntries, PlanFileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| PlanFileError::Io {
        path: shown.clone(),
        source,
    })?;
    parse(&shown, &text, default_group)
}

pub fn parse(
    shown: &str,
    text: &str,
    default_group: Option<&str>,
) -> Result<PlanEntries, PlanFileError> {
    let bad = |line: usize, message: String| PlanFileError::Invalid {
        path: shown.to_string(),
        line,
        message,
    };
    if text.trim_start().starts_with('{') {
        let plan: ResetPlan = serde_json::from_str(text)
            .map_err(|e| bad(e.line(), format!("not a kafka-failover plan: {e}")))?;
        let mut out = PlanEntries::new();
        for g in plan.groups.iter().filter(|g| g.refused.is_none()) {
            let m = out.entry(g.group.clone()).or_default();
            for p in &g.partitions {
                if let (Some(target), false) = (p.target, p.action == Action::Skip) {
                    m.insert(
                        (p.topic.clone(), p.partition),
                        FileEntry {
                            target,
                            expected: Some(p.current),
                        },
                    );
                }
            }
        }
        return Ok(out);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = PlanEntries::new();
    let mut header: Option<Vec<String>> = None;
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 1;
        let rec = rec.map_err(|e| bad(line, e.to_string()))?;
        let fields: Vec<&str> = rec.iter().collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if i == 0
            && fields
                .first()
                .is_some_and(|f| f.eq_ignore_ascii_case("group"))
        {
            header = Some(fields.iter().map(|f| f.to_ascii_lowercase()).collect());
            continue;
        }
        let (group, topic, partition, target, expected) = match &header {
            Some(h) => {
                if fields.len() != h.len() {
                    return Err(bad(
                        line,
                        format!("{} fields, the header has {}", fields.len(), h.len()),
                    ));
                }
                let col = |name: &str| h.iter().position(|c| c == name).map(|i| fields[i]);
                let target = col("target")
                    .or_else(|| col("offset"))
                    .ok_or_else(|| bad(1, "the header has no `target` column".into()))?;
                let expected = match col("current") {
                    Some("") => Some(None),
                    Some(c) => Some(Some(number(c, "current").map_err(|m| bad(line, m))?)),
                    None => None,
                };
                (
                    col("group").unwrap_or_default().to_string(),
                    col("topic").ok_or_else(|| bad(1, "the header has no `topic` column".into()))?,
                    col("partition")
                        .ok_or_else(|| bad(1, "the header has no `partition` column".into()))?,
                    target,
                    expected,
                )
            }
            None => match fields.as_slice() {
                [t, p, o] => {
                    let g = default_group.ok_or_else(|| {
                        bad(
                            line,
                            "3 fields (topic,partition,offset) need exactly one --group".into(),
                        )
                    })?;
                    (g.to_string(), *t, *p, *o, None)
                }
                [g, t, p, o] => (g.to_string(), *t, *p, *o, None),
                _ => {
                    return Err(bad(
                        line,
                        format!(
                            "{} fields; expected topic,partition,offset or group,topic,partition,offset",
                            fields.len()
                        ),
                    ))
                }
            },
        };
        if group.is_empty() || topic.is_empty() {
            return Err(bad(line, "empty group or topic".into()));
        }
        let partition: i32 = partition
            .parse()
            .map_err(|_| bad(line, format!("partition `{partition}` is not a number")))?;
        let target = number(target, "offset").map_err(|m| bad(line, m))?;
        if target < 0 {
            return Err(bad(line, format!("offset {target} is negative")));
        }
        let prev = out.entry(group.clone()).or_default().insert(
            (topic.to_string(), partition),
            FileEntry { target, expected },
        );
        if prev.is_some() {
            return Err(bad(
                line,
                format!("{group} {topic}[{partition}] appears twice"),
            ));
        }
    }
    if out.is_empty() {
        return Err(bad(1, "no offsets in the file".into()));
    }
    Ok(out)
}

fn number(s: &str, what: &str) -> Result<i64, String> {
    s.parse()
        .map_err(|_| format!("{what} `{s}` is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::model::{GroupPlan, PartitionPlan};

    fn sample() -> ResetPlan {
        ResetPlan {
            cluster: "c".into(),
            planned_at_ms: 0,
            groups: vec![GroupPlan {
                group: "g,1".into(),
                strategy: "to-latest".into(),
                state: None,
                members: None,
                refused: None,
                partitions: vec![
                    PartitionPlan {
                        topic: "t".into(),
                        partition: 0,
                        current: None,
                        target: Some(9),
                        log_start: Some(0),
                        log_end: Some(9),
                        delta: None,
                        action: Action::Set,
                        reason: "log end".into(),
                        confidence: None,
                        checkpoint_age_ms: None,
                    },
                    PartitionPlan {
                        topic: "t".into(),
                        partition: 1,
                        current: Some(3),
                        target: None,
                        log_start: Some(0),
                        log_end: Some(9),
                        delta: None,
                        action: Action::Skip,
                        reason: "x".into(),
                        confidence: None,
                        checkpoint_age_ms: None,
                    },
                ],
            }],
        }
    }

    #[test]
    fn csv_and_json_round_trip_with_expected_offsets() {
        let csv = to_csv(&sample());
        assert_eq!(
            csv,
            "group,topic,partition,current,target\n\"g,1\",t,0,,9\n"
        );
        let e = parse("p.csv", &csv, None).unwrap();
        assert_eq!(
            e["g,1"][&("t".into(), 0)],
            FileEntry {
                target: 9,
                expected: Some(None)
            }
        );
        let json = serde_json::to_string(&sample()).unwrap();
        assert_eq!(parse("p.json", &json, None).unwrap(), e);
    }

    #[test]
    fn kafka_csv_formats() {
        let e = parse("k.csv", "orders,0,5\norders,1,7\n", Some("g")).unwrap();
        assert_eq!(e["g"].len(), 2);
        assert_eq!(e["g"][&("orders".into(), 1)].expected, None);
        let e = parse("k.csv", "g1,orders,0,5\ng2,orders,0,6\n", None).unwrap();
        assert_eq!(e.len(), 2);
        let err = parse("k.csv", "orders,0,5\n", None)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("k.csv:1: 3 fields"), "{err}");
        let err = parse("k.csv", "g,orders,0,5\ng,orders,x,5\n", None)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "k.csv:2: partition `x` is not a number");
        let err = parse("k.csv", "g,orders,0,5\ng,orders,0,6\n", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(":2: g orders[0] appears twice"), "{err}");
        assert!(parse("k.csv", "\n", None).is_err());
        assert!(parse("k.csv", "g,o,0,-4\n", None)
            .unwrap_err()
            .to_string()
            .contains("negative"));
    }
}
