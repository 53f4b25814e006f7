//! The Connect REST driver against a stub HTTP server: every error path gives the right
//! `MirrorError` quickly, the requests are the ones Connect expects, and the REST password
//! never shows in an error, its Debug form, or anything the server echoes back.

#[path = "support/http_stub.rs"]
mod http_stub;

use std::sync::Once;
use std::time::{Duration, Instant};

use base64::Engine as _;
use http_stub::{Recorded, Reply, StubServer};
use kafka_failover::mirror::{
    ConnectOptions, ConnectRestDriver, ConnectorOffsets, ConnectorState, InitialState,
    MirrorDriver, MirrorError,
};
use kafka_failover::topology::{Mirror, MirrorDriverSpec};
use serde_json::json;

const CANARY: &str = "canary-Connect-pw-93f1";
const PW_VAR: &str = "KF_TEST_MIRROR_CONNECT_PW";

fn mirror(url: &str, password_var: &str) -> Mirror {
    static SET: Once = Once::new();
    SET.call_once(|| std::env::set_var(PW_VAR, CANARY));
    serde_yaml::from_str(&format!(
        r#"
source: east
target: west
runs-in: dc-west
driver:
  connect:
    url: "{url}"
    auth: {{username: ops, password: {{env: {password_var}}}}}
"#
    ))
    .unwrap()
}

fn fast() -> ConnectOptions {
    ConnectOptions {
        request_timeout: Duration::from_millis(500),
        retry_for: Duration::from_secs(2),
        retry_backoff: Duration::from_millis(20),
        poll_interval: Duration::from_millis(20),
    }
}

fn driver_with(server: &StubServer, opts: ConnectOptions) -> ConnectRestDriver {
    let m = mirror(&server.url(), PW_VAR);
    let MirrorDriverSpec::Connect(spec) = &m.driver else {
        unreachable!()
    };
    ConnectRestDriver::new("east-to-west", &m, spec, opts).unwrap()
}

fn driver(server: &StubServer) -> ConnectRestDriver {
    driver_with(server, fast())
}

fn basic() -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("ops:{CANARY}"));
    format!("Basic {b64}")
}

/// The error, its Debug form and an anyhow chain of it never hold the password.
fn assert_no_password(e: MirrorError) {
    let b64 = basic();
    let shown = [
        e.to_string(),
        format!("{e:?}"),
        format!("{:?}", anyhow::Error::new(e)),
    ];
    for s in shown {
        assert!(!s.contains(CANARY), "password in: {s}");
        assert!(!s.contains(&b64[6..]), "credentials in: {s}");
    }
}

fn assert_authorized(r: &Recorded) {
    assert_eq!(r.header("authorization"), Some(basic().as_str()), "{r:?}");
}

fn quick(started: Instant, bound_ms: u64) {
    let took = started.elapsed();
    assert!(took < Duration::from_millis(bound_ms), "took {took:?}");
}

#[test]
fn not_found_404_is_reported_once_without_retry() {
    let s = StubServer::start(|_, _| Reply::error(404, "Connector nope not found"));
    let t = Instant::now();
    let e = driver(&s).connector_status("nope").unwrap_err();
    quick(t, 1000);
    assert!(
        matches!(&e, MirrorError::NotFound { message, .. } if message == "Connector nope not found"),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "GET /connectors/nope/status: not found (HTTP 404): Connector nope not found"
    );
    let reqs = s.requests();
    assert_eq!(s.lines(), vec!["GET /connectors/nope/status"]);
    assert_authorized(&reqs[0]);
    assert_no_password(e);
}

#[test]
fn rebalance_409_is_retried_until_it_clears() {
    let s = StubServer::start(|_, i| match i {
        0 | 1 => Reply::error(
            409,
            "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
        ),
        _ => Reply::empty(202),
    });
    let t = Instant::now();
    driver(&s).pause_connector("east-west-source").unwrap();
    quick(t, 1500);
    assert_eq!(
        s.lines(),
        vec!["PUT /connectors/east-west-source/pause"; 3],
        "two 409s, then the 202"
    );
    s.requests().iter().for_each(assert_authorized);
}

#[test]
fn rebalance_409_gives_up_at_the_deadline() {
    let s = StubServer::start(|_, _| {
        Reply::error(409, "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)")
    });
    let opts = ConnectOptions {
        retry_for: Duration::from_millis(600),
        ..fast()
    };
    let t = Instant::now();
    let e = driver_with(&s, opts)
        .resume_connector("east-west-source")
        .unwrap_err();
    quick(t, 2000);
    match &e {
        MirrorError::RebalanceInProgress {
            attempts, message, ..
        } => {
            assert!(*attempts >= 3, "{attempts}");
            assert_eq!(*attempts as usize, s.requests().len());
            assert!(message.contains("stale configuration"));
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("still rebalancing"), "{e}");
}

#[test]
fn already_exists_409_is_a_conflict_and_not_retried() {
    let s =
        StubServer::start(|_, _| Reply::error(409, "Connector east-west-source already exists"));
    let d = driver(&s);
    let config = [("connector.class".to_string(), "X".to_string())]
        .into_iter()
        .collect();
    let e = d.create("east-west-source", &config, None).unwrap_err();
    assert!(matches!(e, MirrorError::Conflict { .. }), "{e:?}");
    assert_eq!(s.lines(), vec!["POST /connectors"]);
    assert_eq!(
        s.requests()[0].json(),
        json!({"name": "east-west-source", "config": {"connector.class": "X"}}),
        "no initial_state unless asked"
    );
}

#[test]
fn server_error_500_carries_connects_message() {
    let s = StubServer::start(|_, _| Reply::error(500, "Request timed out"));
    let t = Instant::now();
    let e = driver(&s).stop_connector("east-west-source").unwrap_err();
    quick(t, 1000);
    assert!(
        matches!(&e, MirrorError::Server { status: 500, message, .. } if message == "Request timed out"),
        "{e:?}"
    );
    assert_eq!(s.lines(), vec!["PUT /connectors/east-west-source/stop"]);
    let r = &s.requests()[0];
    assert_authorized(r);
    assert_eq!(r.header("content-length"), Some("0"));
}

#[test]
fn slow_answer_times_out_within_the_request_timeout() {
    let s = StubServer::start(|_, _| Reply::Slow(Duration::from_secs(5), 200, "{}".into()));
    let t = Instant::now();
    let e = driver(&s).status().unwrap_err();
    quick(t, 2000);
    assert!(
        matches!(&e, MirrorError::Timeout { after, .. } if *after == Duration::from_millis(500)),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "GET /connectors?expand=status&expand=info: timed out after 500ms"
    );
    assert_eq!(s.requests().len(), 1);
}

#[test]
fn wrong_credentials_401_never_show_the_password() {
    // A server that echoes the credentials back: the driver scrubs them.
    let s = StubServer::start(|r, _| {
        let echoed = format!(
            "bad credentials {} for ops:{CANARY}",
            r.header("authorization").unwrap_or("")
        );
        Reply::error(401, &echoed)
    });
    let t = Instant::now();
    let e = driver(&s).pause().unwrap_err();
    quick(t, 1000);
    assert!(
        matches!(&e, MirrorError::Unauthorized { status: 401, .. }),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains("refused the credentials (HTTP 401)"),
        "{text}"
    );
    assert!(text.contains("check the mirror's `auth`"), "{text}");
    assert_eq!(s.lines(), vec!["GET /connectors"]);
    assert_authorized(&s.requests()[0]);
    assert_no_password(e);
}

#[test]
fn garbage_json_is_an_invalid_response() {
    let s = StubServer::start(|_, _| Reply::Status(200, "{not json".into()));
    let d = driver(&s);
    let e = d.status().unwrap_err();
    assert!(matches!(e, MirrorError::InvalidResponse { .. }), "{e:?}");
    let e = d.connector_status("east-west-source").unwrap_err();
    assert!(e.to_string().contains("not the expected JSON"), "{e}");
    // Valid JSON of the wrong shape too.
    let s = StubServer::start(|_, _| Reply::json(200, json!({"connector": 3})));
    let e = driver(&s).connector_status("x").unwrap_err();
    assert!(matches!(e, MirrorError::InvalidResponse { .. }), "{e:?}");
}

#[test]
fn refused_connection_is_a_transport_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let m = mirror(&format!("http://127.0.0.1:{port}"), PW_VAR);
    let MirrorDriverSpec::Connect(spec) = &m.driver else {
        unreachable!()
    };
    let d = ConnectRestDriver::new("east-to-west", &m, spec, fast()).unwrap();
    let t = Instant::now();
    let e = d.status().unwrap_err();
    quick(t, 1000);
    assert!(matches!(e, MirrorError::Transport { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains(&format!("cannot reach http://127.0.0.1:{port}")),
        "{e}"
    );
    assert_no_password(e);
}

#[test]
fn missing_password_names_the_variable_not_a_value() {
    let m = mirror("http://127.0.0.1:9", "KF_TEST_MIRROR_UNSET_PW");
    let MirrorDriverSpec::Connect(spec) = &m.driver else {
        unreachable!()
    };
    let e = ConnectRestDriver::new("east-to-west", &m, spec, fast()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mirror `east-to-west`: the Connect password (`auth.password`) comes from $KF_TEST_MIRROR_UNSET_PW, which is not set"
    );
}

#[test]
fn offsets_on_a_running_connector_report_connects_refusal() {
    let s = StubServer::start(|_, _| {
        Reply::error(400, "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/east-west-source/stop' endpoint")
    });
    let d = driver(&s);
    let offsets = ConnectorOffsets::mirror_source_start("east", [("payments", 0, 100)]);
    let e = d.set_offsets("east-west-source", &offsets).unwrap_err();
    assert!(e.is_not_stopped(), "{e:?}");
    assert!(
        e.to_string().starts_with(
            "PATCH /connectors/east-west-source/offsets: Connect refused the request (HTTP 400): Connectors must be in the STOPPED state"
        ),
        "{e}"
    );
    let r = &s.requests()[0];
    assert_eq!(r.line(), "PATCH /connectors/east-west-source/offsets");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json(),
        json!({"offsets": [{"partition": {"cluster": "east", "topic": "payments", "partition": 0}, "offset": {"offset": 99}}]})
    );
    assert!(d
        .reset_offsets("east-west-source")
        .unwrap_err()
        .is_not_stopped());
    assert_eq!(
        s.requests()[1].line(),
        "DELETE /connectors/east-west-source/offsets"
    );
}

#[test]
fn status_reads_the_expanded_listing() {
    let s = StubServer::start(|_, _| {
        Reply::json(
            200,
            json!({
                "east-west-source": {
                    "status": {"name": "east-west-source", "type": "source",
                        "connector": {"state": "RUNNING", "worker_id": "w1:8083"},
                        "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w1:8083"},
                                  {"id": 1, "state": "FAILED", "worker_id": "w2:8083",
                                   "trace": "org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized\n\tat x.Y(Y.java:1)"}]},
                    "info": {"name": "east-west-source", "type": "source", "tasks": [],
                        "config": {"connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector",
                                   "source.cluster.sasl.jaas.config": "x password=\"hunter2\";",
                                   "topics": "payments.*"}}},
                "east-west-checkpoint": {
                    "status": {"name": "east-west-checkpoint", "type": "source",
                        "connector": {"state": "STOPPED", "worker_id": "w1:8083"}, "tasks": []},
                    "info": {"name": "east-west-checkpoint", "config": {}, "tasks": [], "type": "source"}},
                "unrelated-sink": {
                    "status": {"name": "unrelated-sink", "type": "sink",
                        "connector": {"state": "RUNNING", "worker_id": "w1:8083"}, "tasks": []},
                    "info": {"name": "unrelated-sink", "config": {}, "tasks": [], "type": "sink"}}
            }),
        )
    });
    let st = driver(&s).status().unwrap();
    assert_eq!(s.lines(), vec!["GET /connectors?expand=status&expand=info"]);
    assert_eq!(st.endpoint, s.url());
    let names: Vec<(&str, &str)> = st
        .connectors
        .iter()
        .map(|c| (c.name.as_str(), c.state.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("east-west-source", "RUNNING"),
            ("east-west-checkpoint", "STOPPED"),
            ("east-west-heartbeat", "ABSENT"),
        ]
    );
    let src = &st.connectors[0];
    assert_eq!(src.tasks[1].state, ConnectorState::Failed);
    assert_eq!(
        src.tasks[1].trace.as_deref(),
        Some("org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized")
    );
    let config = src.config.as_ref().unwrap();
    assert_eq!(config["topics"], "payments.*");
    assert_eq!(config["source.cluster.sasl.jaas.config"], "***");
    assert!(!st.is_running());
    let json = serde_json::to_string(&st).unwrap();
    assert!(!json.contains("hunter2"), "{json}");
}

#[test]
fn pause_resume_stop_act_on_the_connectors_that_exist() {
    let s = StubServer::start(|r, _| match r.path.as_str() {
        "/connectors" => Reply::json(
            200,
            json!(["east-west-checkpoint", "east-west-source", "other"]),
        ),
        _ => Reply::empty(if r.path.ends_with("/stop") { 204 } else { 202 }),
    });
    let d = driver(&s);
    d.pause().unwrap();
    d.resume().unwrap();
    d.stop().unwrap();
    assert_eq!(
        s.lines(),
        vec![
            "GET /connectors",
            "PUT /connectors/east-west-source/pause",
            "PUT /connectors/east-west-checkpoint/pause",
            "GET /connectors",
            "PUT /connectors/east-west-source/resume",
            "PUT /connectors/east-west-checkpoint/resume",
            "GET /connectors",
            "PUT /connectors/east-west-source/stop",
            "PUT /connectors/east-west-checkpoint/stop",
        ]
    );
    s.requests().iter().for_each(assert_authorized);

    let s = StubServer::start(|_, _| Reply::json(200, json!(["other"])));
    let e = driver(&s).pause().unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "mirror `east-to-west`: not found (HTTP 404): its source connector `east-west-source` does not exist on {}",
            s.url()
        )
    );
    assert_eq!(s.lines(), vec!["GET /connectors"], "nothing was paused");
}

fn listing(state: &str, task_state: Option<&str>) -> serde_json::Value {
    let tasks: Vec<serde_json::Value> = task_state
        .map(|t| vec![json!({"id": 0, "state": t, "worker_id": "w", "trace": "java.lang.IllegalStateException: broken\n\tat a"})])
        .unwrap_or_default();
    json!({"east-west-source": {
        "status": {"name": "east-west-source", "type": "source",
                   "connector": {"state": state, "worker_id": "w"}, "tasks": tasks},
        "info": {"name": "east-west-source", "config": {}, "tasks": [], "type": "source"}}})
}

#[test]
fn wait_for_state_polls_until_stopped() {
    let s = StubServer::start(|_, i| match i {
        0 => Reply::json(200, listing("RUNNING", Some("RUNNING"))),
        1 => Reply::json(200, listing("STOPPED", Some("RUNNING"))),
        _ => Reply::json(200, listing("STOPPED", None)),
    });
    let t = Instant::now();
    let st = driver(&s)
        .wait_for_state(&ConnectorState::Stopped, Duration::from_secs(3))
        .unwrap();
    quick(t, 1500);
    assert_eq!(st.connectors[0].state, ConnectorState::Stopped);
    assert_eq!(s.requests().len(), 3);
}

#[test]
fn wait_for_state_stops_at_a_failed_task_or_the_timeout() {
    let s = StubServer::start(|_, _| Reply::json(200, listing("RUNNING", Some("FAILED"))));
    let t = Instant::now();
    let e = driver(&s)
        .wait_for_state(&ConnectorState::Running, Duration::from_secs(5))
        .unwrap_err();
    quick(t, 1000);
    assert_eq!(
        e.to_string(),
        "connector `east-west-source` task 0 is FAILED: java.lang.IllegalStateException: broken"
    );

    let s = StubServer::start(|_, _| Reply::json(200, listing("PAUSED", Some("PAUSED"))));
    let t = Instant::now();
    let e = driver(&s)
        .wait_for_state(&ConnectorState::Running, Duration::from_millis(300))
        .unwrap_err();
    quick(t, 1500);
    assert_eq!(
        e.to_string(),
        "waiting for mirror `east-to-west` to be RUNNING: timed out after 300ms"
    );
}

#[test]
fn create_put_config_delete_and_offsets_send_connects_requests() {
    let s = StubServer::start(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("POST", _) => Reply::json(
            201,
            json!({"name": "west-east-source", "config": {}, "tasks": [], "type": "source"}),
        ),
        ("PUT", _) => Reply::json(
            201,
            json!({"name": "west-east-source", "config": {}, "tasks": [], "type": "source"}),
        ),
        ("DELETE", "/connectors/west-east-source") => Reply::empty(204),
        ("GET", _) => Reply::json(
            200,
            json!({"offsets": [
            {"partition": {"cluster": "west", "topic": "orders", "partition": 0}, "offset": {"offset": 41}}]}),
        ),
        ("PATCH", _) | ("DELETE", _) => Reply::json(
            200,
            json!({"message": "The offsets for this connector have been altered successfully"}),
        ),
        _ => Reply::empty(500),
    });
    let d = driver(&s);
    let config = [
        (
            "connector.class",
            "org.apache.kafka.connect.mirror.MirrorSourceConnector",
        ),
        ("source.cluster.alias", "west"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    d.create("west-east-source", &config, Some(InitialState::Stopped))
        .unwrap();
    assert!(
        d.put_config("west-east-source", &config).unwrap(),
        "201 = created"
    );
    let got = d.get_offsets("west-east-source").unwrap();
    let pos = got.mirror_source_positions();
    assert_eq!(
        (pos[0].topic.as_str(), pos[0].next_offset()),
        ("orders", Some(42))
    );
    let msg = d.set_offsets("west-east-source", &got).unwrap();
    assert!(msg.contains("altered successfully"), "{msg}");
    d.reset_offsets("west-east-source").unwrap();
    d.delete("west-east-source").unwrap();
    assert_eq!(
        s.lines(),
        vec![
            "POST /connectors",
            "PUT /connectors/west-east-source/config",
            "GET /connectors/west-east-source/offsets",
            "PATCH /connectors/west-east-source/offsets",
            "DELETE /connectors/west-east-source/offsets",
            "DELETE /connectors/west-east-source",
        ]
    );
    let reqs = s.requests();
    assert_eq!(
        reqs[0].json(),
        json!({"name": "west-east-source", "initial_state": "STOPPED", "config": {
            "connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector",
            "source.cluster.alias": "west"}})
    );
    assert_eq!(
        reqs[1].json(),
        json!({"connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector",
               "source.cluster.alias": "west"})
    );
    assert_eq!(
        reqs[3].json(),
        json!({"offsets": [{"partition": {"cluster": "west", "topic": "orders", "partition": 0}, "offset": {"offset": 41}}]})
    );
    reqs.iter().for_each(assert_authorized);
}
