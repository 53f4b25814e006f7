//! The connectors' state machine and config checks, with engines that reach no
//! cluster.

use super::*;
use serde_json::json;

fn lab() -> LabMirrors {
    // Nothing listens there: the engines run, copy nothing, and follow the states.
    let clusters = [("east", "127.0.0.1:1"), ("west", "127.0.0.1:2")]
        .into_iter()
        .map(|(n, b)| (n.to_string(), b.to_string()))
        .collect();
    LabMirrors::new(MirrorEnv {
        topic_maker: Box::new(|_, _, _| Ok(())),
        candidate_groups: vec![],
        client_timeout: Duration::from_secs(1),
        clusters,
        down: Default::default(),
    })
}

fn config(kind: ConnectorKind, source: &str, target: &str) -> ConnectorConfig {
    let port = |a: &str| {
        if a == "east" {
            "127.0.0.1:1"
        } else {
            "127.0.0.1:2"
        }
    };
    [
        ("connector.class", kind.class_name()),
        ("source.cluster.alias", source),
        ("target.cluster.alias", target),
        ("source.cluster.bootstrap.servers", port(source)),
        ("target.cluster.bootstrap.servers", port(target)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[test]
fn connectors_follow_connects_state_machine() {
    let m = lab();
    let src = config(ConnectorKind::Source, "east", "west");
    let (info, created) = m.put_config("s", src.clone(), None, false).unwrap();
    assert!(created);
    assert_eq!(
        (info.tasks.clone(), info.config["name"].as_str()),
        (vec![0], "s")
    );
    assert_eq!(
        m.put_config("s", src.clone(), None, false).unwrap_err(),
        ApiError::Conflict("Connector s already exists".into())
    );
    // PUT on an existing connector updates it.
    let (_, created) = m.put_config("s", src.clone(), None, true).unwrap();
    assert!(!created);
    m.put_config(
        "c",
        config(ConnectorKind::Checkpoint, "east", "west"),
        Some(RunState::Paused),
        false,
    )
    .unwrap();
    assert_eq!(m.status("c").unwrap().tasks[0].state, "PAUSED");
    // A second source connector for one direction is refused; another direction is not.
    assert_eq!(
        m.put_config("s2", src, None, false).unwrap_err().status(),
        400
    );
    m.put_config(
        "r",
        config(ConnectorKind::Source, "west", "east"),
        None,
        false,
    )
    .unwrap();
    assert_eq!(m.flows().len(), 2);

    let stop_first = m.alter_offsets("s", &json!({"offsets": [{"partition": {"cluster": "east", "topic": "t", "partition": 0}, "offset": {"offset": 9}}]}));
    assert_eq!(stop_first.unwrap_err().status(), 400);
    m.set_state("s", RunState::Paused).unwrap();
    let s = m.status("s").unwrap();
    assert_eq!(
        (s.state, s.tasks[0].state.as_str()),
        (RunState::Paused, "PAUSED"),
        "{s:?}"
    );
    assert_eq!(
        m.reset_offsets("s").unwrap_err().status(),
        400,
        "paused is not stopped"
    );
    m.set_state("s", RunState::Stopped).unwrap();
    let s = m.status("s").unwrap();
    assert_eq!((s.state, s.tasks.len()), (RunState::Stopped, 0));
    assert!(m.info("s").unwrap().tasks.is_empty());
    let body = json!({"offsets": [
        {"partition": {"cluster": "east", "topic": "t", "partition": 0}, "offset": {"offset": 9}},
        {"partition": {"cluster": "elsewhere", "topic": "t", "partition": 1}, "offset": {"offset": 5}}
    ]});
    assert_eq!(
        m.alter_offsets("s", &body).unwrap(),
        "The offsets for this connector have been altered successfully"
    );
    assert_eq!(
        m.flows()[0].positions,
        BTreeMap::from([(("t".to_string(), 0), 10)])
    );
    assert_eq!(
        m.offsets("s").unwrap(),
        vec![
            json!({"partition": {"cluster": "east", "topic": "t", "partition": 0}, "offset": {"offset": 9}})
        ]
    );
    assert_eq!(
        m.alter_offsets("s", &json!({"offsets": []})).unwrap_err(),
        ApiError::BadRequest(
            "Partitions / offsets need to be provided for an alter offsets request".into()
        )
    );
    let bad = json!({"offsets": [{"partition": {"cluster": "east", "topic": "t", "partition": 0}, "offset": {"offset": -1}}]});
    assert_eq!(m.alter_offsets("s", &bad).unwrap_err().status(), 500);
    // Deleted and created again under its name, a source connector keeps its offsets.
    m.delete("s").unwrap();
    assert_eq!(
        m.status("s").unwrap_err(),
        ApiError::NotFound("Connector s not found".into())
    );
    m.put_config(
        "s",
        config(ConnectorKind::Source, "east", "west"),
        Some(RunState::Stopped),
        false,
    )
    .unwrap();
    assert_eq!(m.offsets("s").unwrap().len(), 1);
    assert_eq!(
        m.reset_offsets("s").unwrap(),
        "The offsets for this connector have been reset successfully"
    );
    assert!(m.offsets("s").unwrap().is_empty());
    m.set_state("s", RunState::Running).unwrap();
    assert_eq!(m.flows()[0].copy, RunState::Running);
    // A connector cannot change direction.
    assert_eq!(
        m.put_config(
            "s",
            config(ConnectorKind::Source, "west", "east"),
            None,
            true
        )
        .unwrap_err()
        .status(),
        400
    );
    // Configs must point at the lab's clusters.
    let mut elsewhere = config(ConnectorKind::Source, "a", "b");
    elsewhere.insert(
        "target.cluster.bootstrap.servers".into(),
        "10.0.0.1:9092".into(),
    );
    let e = m.put_config("x", elsewhere, None, false).unwrap_err();
    assert!(e.to_string().contains("10.0.0.1:9092 for configuration target.cluster.bootstrap.servers: not a cluster of this lab"), "{e}");
    for n in ["c", "r", "s"] {
        m.delete(n).unwrap();
    }
    assert!(m.flows().is_empty(), "no connector, no engine");
}

#[test]
fn config_errors_read_as_connects() {
    let e = invalid_config(vec!["a".into(), "b".into()]);
    assert_eq!(e.status(), 400);
    assert!(e.to_string().starts_with(
        "Connector configuration is invalid and contains the following 2 error(s):\na\nb\n"
    ));
}
