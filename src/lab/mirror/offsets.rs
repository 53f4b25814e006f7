//! KIP-875 offsets of the lab's connectors: GET, PATCH and DELETE
//! `/connectors/{name}/offsets`, with Connect's rules (only on a STOPPED connector) and
//! the validation MM2's connectors apply (`MirrorUtils` in Kafka).

use std::sync::Arc;

use serde_json::{json, Value};

use super::config::ConnectorKind;
use super::flow::Flow;
use super::herder::{not_found, ApiError, LabMirrors};
use super::RunState;

impl LabMirrors {
    /// GET offsets: Connect's `ConnectorOffsets` entries, `{partition, offset}`.
    pub fn offsets(&self, name: &str) -> Result<Vec<Value>, ApiError> {
        let r = self.lock();
        let c = r.connectors.get(name).ok_or_else(|| not_found(name))?;
        let Some(f) = r.flows.get(&c.flow_key()) else {
            return Ok(vec![]);
        };
        let ctl = f.flow.lock();
        Ok(match c.kind {
            ConnectorKind::Source => ctl
                .positions
                .iter()
                .map(|((t, p), next)| {
                    json!({
                        "partition": {"cluster": c.parsed.source_alias, "partition": p, "topic": t},
                        "offset": {"offset": next - 1}
                    })
                })
                .collect(),
            kind => ctl
                .framework_offsets
                .get(&kind)
                .into_iter()
                .flat_map(|m| m.values())
                .map(|(p, o)| json!({"partition": p, "offset": o}))
                .collect(),
        })
    }

    /// PATCH offsets (KIP-875): only on a STOPPED connector. `body` is Connect's
    /// `{"offsets": [{"partition": {...}, "offset": {...} | null}]}`.
    pub fn alter_offsets(&self, name: &str, body: &Value) -> Result<String, ApiError> {
        let entries = match body.get("offsets").and_then(Value::as_array) {
            Some(a) if !a.is_empty() => a.clone(),
            _ => {
                return Err(ApiError::BadRequest(
                    "Partitions / offsets need to be provided for an alter offsets request".into(),
                ))
            }
        };
        let (kind, flow, alias) = self.stopped(name)?;
        let mut parsed = Vec::new();
        for e in &entries {
            let partition = e.get("partition").cloned().unwrap_or(Value::Null);
            let offset = e.get("offset").cloned().unwrap_or(Value::Null);
            validate(kind, &partition, &offset).map_err(ApiError::Internal)?;
            parsed.push((partition, offset));
        }
        let mut ctl = flow.lock();
        for (partition, offset) in parsed {
            match kind {
                ConnectorKind::Source => {
                    // MM2's task looks its offsets up under its own source alias only.
                    if partition["cluster"].as_str() != Some(alias.as_str()) {
                        continue;
                    }
                    let tp = (
                        partition["topic"].as_str().unwrap_or_default().to_string(),
                        partition["partition"].as_i64().unwrap_or_default() as i32,
                    );
                    match offset.get("offset").and_then(Value::as_i64) {
                        Some(n) => ctl.positions.insert(tp, n + 1),
                        None => ctl.positions.remove(&tp),
                    };
                }
                kind => {
                    let m = ctl.framework_offsets.entry(kind).or_default();
                    if offset.is_null() {
                        m.remove(&partition.to_string());
                    } else {
                        m.insert(partition.to_string(), (partition, offset));
                    }
                }
            }
        }
        Ok("The offsets for this connector have been altered successfully".into())
    }

    /// DELETE offsets (KIP-875): only on a STOPPED connector. A source connector then
    /// copies every partition from its log start again.
    pub fn reset_offsets(&self, name: &str) -> Result<String, ApiError> {
        let (kind, flow, _) = self.stopped(name)?;
        let mut ctl = flow.lock();
        match kind {
            ConnectorKind::Source => ctl.positions.clear(),
            kind => {
                ctl.framework_offsets.remove(&kind);
            }
        }
        Ok("The offsets for this connector have been reset successfully".into())
    }

    /// The connector's kind, flow and source alias, if it is STOPPED (and, for a source
    /// connector, its engine too); Connect's 400 otherwise.
    fn stopped(&self, name: &str) -> Result<(ConnectorKind, Arc<Flow>, String), ApiError> {
        let r = self.lock();
        let c = r.connectors.get(name).ok_or_else(|| not_found(name))?;
        let flow = r.flows.get(&c.flow_key()).map(|f| f.flow.clone());
        let engine_stopped = match (&flow, c.kind) {
            (Some(f), ConnectorKind::Source) => f.lock().copy_applied == RunState::Stopped,
            _ => true,
        };
        match flow {
            Some(flow) if c.state == RunState::Stopped && engine_stopped => {
                Ok((c.kind, flow, c.parsed.source_alias.clone()))
            }
            _ => Err(ApiError::BadRequest(format!(
                "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/{name}/stop' endpoint"
            ))),
        }
    }
}

/// A JSON value as Java prints a map, list or scalar (`{cluster=east, partition=0}`).
fn java(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", java(v))).collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(java).collect::<Vec<_>>().join(", ")),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `MirrorUtils.validateSourcePartition*` / `validateSourceOffset` as each MM2
/// connector's `alterOffsets` applies them; `Err`: MM2's message.
fn validate(kind: ConnectorKind, partition: &Value, offset: &Value) -> Result<(), String> {
    if offset.is_null() {
        // Tombstones are allowed for anything.
        return Ok(());
    }
    if partition.is_null() {
        return Err("Source partitions may not be null".into());
    }
    let string_key = |key: &str| -> Result<(), String> {
        match partition.get(key) {
            None => Err(format!(
                "Source partition {} is missing the '{key}' key, which is required",
                java(partition)
            )),
            Some(Value::String(_)) => Ok(()),
            Some(v) => Err(format!(
                "Source partition {} has an invalid value {} for the '{key}' key, which must be a string",
                java(partition),
                java(v)
            )),
        }
    };
    let partition_key = || -> Result<(), String> {
        match partition.get("partition") {
            None => Err(format!(
                "Source partition {} is missing the 'partition' key, which is required",
                java(partition)
            )),
            Some(v) => match v.as_i64() {
                Some(n) if n > i32::MAX as i64 || !v.is_i64() => Err(format!(
                    "Source partition {} has an invalid value {} for the 'partition' key, which must be an integer",
                    java(partition), java(v)
                )),
                Some(n) if n < 0 => Err(format!(
                    "Source partition {} has an invalid value {} for the 'partition' key, which cannot be negative",
                    java(partition), java(v)
                )),
                Some(_) => Ok(()),
                None => Err(format!(
                    "Source partition {} has an invalid value {} for the 'partition' key, which must be an integer",
                    java(partition), java(v)
                )),
            },
        }
    };
    match kind {
        ConnectorKind::Source => {
            string_key("cluster")?;
            string_key("topic")?;
            partition_key()?;
        }
        ConnectorKind::Checkpoint => {
            string_key("group")?;
            string_key("topic")?;
            partition_key()?;
        }
        ConnectorKind::Heartbeat => {
            string_key("sourceClusterAlias")?;
            string_key("targetClusterAlias")?;
        }
    }
    let only_zero = kind != ConnectorKind::Source;
    let Some(value) = offset.get("offset") else {
        return Err(format!(
            "Source offset {} for source partition {} is missing the 'offset' key, which is required",
            java(offset),
            java(partition)
        ));
    };
    let Some(n) = value.as_i64() else {
        return Err(format!(
            "Source offset {} for source partition {} has an invalid value {} for the 'offset' key, which must be an integer",
            java(offset), java(partition), java(value)
        ));
    };
    if only_zero && n != 0 {
        return Err(format!(
            "Source offset {} for source partition {} has an invalid value {} for the 'offset' key; the only accepted value is 0",
            java(offset), java(partition), java(value)
        ));
    }
    if !only_zero && n < 0 {
        return Err(format!(
            "Source offset {} for source partition {} has an invalid value {} for the 'offset' key, which cannot be negative",
            java(offset), java(partition), java(value)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_validated_as_mm2_does() {
        let p = json!({"cluster": "east", "topic": "t", "partition": 0});
        assert_eq!(
            validate(ConnectorKind::Source, &p, &json!({"offset": 5})),
            Ok(())
        );
        assert_eq!(validate(ConnectorKind::Source, &p, &Value::Null), Ok(()));
        assert_eq!(
            validate(ConnectorKind::Source, &json!({"topic": "t", "partition": 0}), &json!({"offset": 1})),
            Err("Source partition {partition=0, topic=t} is missing the 'cluster' key, which is required".into())
        );
        assert_eq!(
            validate(ConnectorKind::Source, &json!({"cluster": "e", "topic": "t", "partition": -1}), &json!({"offset": 1})),
            Err("Source partition {cluster=e, partition=-1, topic=t} has an invalid value -1 for the 'partition' key, which cannot be negative".into())
        );
        assert_eq!(
            validate(ConnectorKind::Source, &p, &json!({"offset": -2})),
            Err("Source offset {offset=-2} for source partition {cluster=east, partition=0, topic=t} has an invalid value -2 for the 'offset' key, which cannot be negative".into())
        );
        assert!(validate(ConnectorKind::Source, &p, &json!({"offset": "5"}))
            .unwrap_err()
            .ends_with("which must be an integer"));
        assert!(validate(ConnectorKind::Source, &p, &json!({}))
            .unwrap_err()
            .contains("is missing the 'offset' key"));
        let cp = json!({"group": "g", "topic": "east.t", "partition": 1});
        assert_eq!(
            validate(ConnectorKind::Checkpoint, &cp, &json!({"offset": 0})),
            Ok(())
        );
        assert!(
            validate(ConnectorKind::Checkpoint, &cp, &json!({"offset": 3}))
                .unwrap_err()
                .ends_with("the only accepted value is 0")
        );
        let hb = json!({"sourceClusterAlias": "east", "targetClusterAlias": "west"});
        assert_eq!(
            validate(ConnectorKind::Heartbeat, &hb, &json!({"offset": 0})),
            Ok(())
        );
        assert_eq!(
            validate(
                ConnectorKind::Heartbeat,
                &Value::Null,
                &json!({"offset": 0})
            ),
            Err("Source partitions may not be null".into())
        );
    }
}
