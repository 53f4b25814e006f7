//! The subset of Kafka Connect's REST API the lab serves for its mirror, over HTTP on
//! 127.0.0.1 (a free port), with Connect's JSON shapes (`ServerInfo`,
//! `ConnectorInfo`, `ConnectorStateInfo`, `ConnectorOffsets`, `ErrorMessage`) and
//! status codes:
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /` | 200 `{version, commit, kafka_cluster_id}` |
//! | `GET /connectors[?expand=status&expand=info]` | 200 names, or `{name: {status, info}}` |
//! | `POST /connectors` `{name, config, initial_state?}` | 201 info; 409 if it exists |
//! | `GET /connectors/{n}` | 200 info |
//! | `GET /connectors/{n}/config` | 200 config |
//! | `PUT /connectors/{n}/config` | 201 info (created) or 200 (updated) |
//! | `GET /connectors/{n}/status` | 200 status |
//! | `PUT /connectors/{n}/pause`, `/resume` | 202 |
//! | `PUT /connectors/{n}/stop` | 204 |
//! | `POST /connectors/{n}/restart` | 204 (nothing to restart) |
//! | `DELETE /connectors/{n}` | 204 |
//! | `GET /connectors/{n}/offsets` | 200 `{offsets: [{partition, offset}]}` |
//! | `PATCH`, `DELETE /connectors/{n}/offsets` | 200 `{message}`; 400 unless STOPPED |
//!
//! Errors are `{"error_code": N, "message": "..."}`: 404 for an unknown connector or
//! path, 405 for a method a path does not take, 400 for bad requests and configs.

use std::io::Read;
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::anyhow;
use serde_json::{json, Map, Value};

use super::mirror::{
    ApiError, ConnectorConfig, ConnectorInfo, ConnectorStatus, LabMirrors, RunState,
};

/// The Kafka version the lab's Connect reports (the version the real-Kafka lab runs).
pub const REPORTED_VERSION: &str = "4.1.1";
const MAX_BODY: u64 = 10 << 20;

/// The running REST server. Dropping it stops it.
pub struct ConnectServer {
    url: String,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl ConnectServer {
    /// Serves `mirrors` on 127.0.0.1 on a free port.
    pub fn start(mirrors: Arc<LabMirrors>) -> anyhow::Result<ConnectServer> {
        let server = tiny_http::Server::http("127.0.0.1:0")
            .map_err(|e| anyhow!("cannot listen on 127.0.0.1: {e}"))?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| anyhow!("the Connect server has no IP address"))?;
        let url = format!("http://{addr}");
        let server = Arc::new(server);
        let (srv, base, worker) = (server.clone(), url.clone(), addr.to_string());
        let thread = std::thread::Builder::new()
            .name("lab-connect-api".into())
            .spawn(move || {
                for req in srv.incoming_requests() {
                    serve(&mirrors, &base, &worker, req);
                }
            })?;
        Ok(ConnectServer {
            url,
            server,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ConnectServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(m: &LabMirrors, base: &str, worker: &str, mut req: tiny_http::Request) {
    let mut body = Vec::new();
    let read = req.as_reader().take(MAX_BODY).read_to_end(&mut body);
    let answer = match read {
        Ok(_) => handle(m, base, worker, req.method().as_str(), req.url(), &body),
        Err(e) => Answer::error(400, format!("cannot read the request body: {e}")),
    };
    let mut resp = match &answer.body {
        Some(v) => tiny_http::Response::from_string(v.to_string())
            .with_header(header("Content-Type", "application/json")),
        None => tiny_http::Response::from_string(String::new()),
    }
    .with_status_code(answer.status);
    if let Some(l) = &answer.location {
        resp.add_header(header("Location", l));
    }
    let _ = req.respond(resp);
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// A response: status, JSON body (none for 202/204), `Location`.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Option<Value>,
    pub location: Option<String>,
}

impl Answer {
    fn json(status: u16, body: Value) -> Answer {
        Answer {
            status,
            body: Some(body),
            location: None,
        }
    }

    fn empty(status: u16) -> Answer {
        Answer {
            status,
            body: None,
            location: None,
        }
    }

    fn error(status: u16, message: impl Into<String>) -> Answer {
        Answer::json(
            status,
            json!({"error_code": status, "message": message.into()}),
        )
    }
}

impl From<ApiError> for Answer {
    fn from(e: ApiError) -> Answer {
        Answer::error(e.status(), e.to_string())
    }
}

/// Routes one request (`url`: path and query) to the connectors.
pub fn handle(
    m: &LabMirrors,
    base: &str,
    worker: &str,
    method: &str,
    url: &str,
    body: &[u8],
) -> Answer {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let segments: Vec<String> = path
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .map(percent_decode)
        .collect();
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let r = match (method, segs.as_slice()) {
        ("GET", [] | [""]) => Ok(Answer::json(
            200,
            json!({"version": REPORTED_VERSION, "commit": "kafka-failover-lab", "kafka_cluster_id": "kafka-failover-lab"}),
        )),
        ("GET", ["connectors"]) => Ok(list(m, worker, query)),
        ("POST", ["connectors"]) => create(m, base, body),
        ("GET", ["connectors", n]) => m.info(n).map(|i| Answer::json(200, info_json(&i))),
        ("DELETE", ["connectors", n]) => m.delete(n).map(|()| Answer::empty(204)),
        ("GET", ["connectors", n, "config"]) => m.config(n).map(|c| Answer::json(200, json!(c))),
        ("PUT", ["connectors", n, "config"]) => put_config(m, base, n, body),
        ("GET", ["connectors", n, "status"]) => m
            .status(n)
            .map(|s| Answer::json(200, status_json(&s, worker))),
        ("PUT", ["connectors", n, "pause"]) => m
            .set_state(n, RunState::Paused)
            .map(|()| Answer::empty(202)),
        ("PUT", ["connectors", n, "resume"]) => m
            .set_state(n, RunState::Running)
            .map(|()| Answer::empty(202)),
        ("PUT", ["connectors", n, "stop"]) => m
            .set_state(n, RunState::Stopped)
            .map(|()| Answer::empty(204)),
        ("POST", ["connectors", n, "restart"]) => m.status(n).map(|_| Answer::empty(204)),
        ("GET", ["connectors", n, "offsets"]) => m
            .offsets(n)
            .map(|o| Answer::json(200, json!({"offsets": o}))),
        ("PATCH", ["connectors", n, "offsets"]) => match parse_json(body) {
            Ok(v) => m
                .alter_offsets(n, &v)
                .map(|msg| Answer::json(200, json!({"message": msg}))),
            Err(a) => Ok(a),
        },
        ("DELETE", ["connectors", n, "offsets"]) => m
            .reset_offsets(n)
            .map(|msg| Answer::json(200, json!({"message": msg}))),
        (_, [] | [""] | ["connectors"])
        | (_, ["connectors", _])
        | (
            _,
            ["connectors", _, "config" | "status" | "pause" | "resume" | "stop" | "restart" | "offsets"],
        ) => Ok(Answer::error(405, "HTTP 405 Method Not Allowed")),
        _ => Ok(Answer::error(404, "HTTP 404 Not Found")),
    };
    r.unwrap_or_else(Answer::from)
}

fn list(m: &LabMirrors, worker: &str, query: &str) -> Answer {
    let expand: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.strip_prefix("expand="))
        .collect();
    if !query
        .split('&')
        .any(|kv| kv == "expand" || kv.starts_with("expand="))
    {
        return Answer::json(200, json!(m.names()));
    }
    let mut out = Map::new();
    for n in m.names() {
        let mut e = Map::new();
        for x in &expand {
            match *x {
                "status" => {
                    if let Ok(s) = m.status(&n) {
                        e.insert("status".into(), status_json(&s, worker));
                    }
                }
                "info" => {
                    if let Ok(i) = m.info(&n) {
                        e.insert("info".into(), info_json(&i));
                    }
                }
                _ => {}
            }
        }
        out.insert(n, Value::Object(e));
    }
    Answer::json(200, Value::Object(out))
}

fn parse_json(body: &[u8]) -> Result<Value, Answer> {
    serde_json::from_slice(body)
        .map_err(|e| Answer::error(400, format!("Cannot parse the request body as JSON: {e}")))
}

/// Connect reads configs as `Map<String, String>`: scalars become strings.
fn config_of(v: &Value) -> Result<ConnectorConfig, Answer> {
    let Some(o) = v.as_object() else {
        return Err(Answer::error(
            400,
            "a connector config is a JSON object of strings",
        ));
    };
    o.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            Value::Number(_) | Value::Bool(_) => Ok((k.clone(), v.to_string())),
            _ => Err(Answer::error(400, format!("config `{k}`: not a string"))),
        })
        .collect()
}

fn created(base: &str, name: &str, info: &ConnectorInfo, was_created: bool) -> Answer {
    let mut a = Answer::json(if was_created { 201 } else { 200 }, info_json(info));
    if was_created {
        a.location = Some(format!("{base}/connectors/{}", percent_encode(name)));
    }
    a
}

fn put_config(m: &LabMirrors, base: &str, name: &str, body: &[u8]) -> Result<Answer, ApiError> {
    let config = match parse_json(body).and_then(|v| config_of(&v)) {
        Ok(c) => c,
        Err(a) => return Ok(a),
    };
    let (info, was_created) = m.put_config(name, config, None, true)?;
    Ok(created(base, name, &info, was_created))
}

fn create(m: &LabMirrors, base: &str, body: &[u8]) -> Result<Answer, ApiError> {
    let v = match parse_json(body) {
        Ok(v) => v,
        Err(a) => return Ok(a),
    };
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    let config = match config_of(v.get("config").unwrap_or(&json!({}))) {
        Ok(c) => c,
        Err(a) => return Ok(a),
    };
    let initial = match v.get("initial_state").and_then(Value::as_str) {
        None => None,
        Some(s) => match s.to_ascii_uppercase().as_str() {
            "RUNNING" => Some(RunState::Running),
            "PAUSED" => Some(RunState::Paused),
            "STOPPED" => Some(RunState::Stopped),
            other => {
                return Ok(Answer::error(
                    400,
                    format!("initial_state: {other} is not RUNNING, PAUSED or STOPPED"),
                ))
            }
        },
    };
    let (info, was_created) = m.put_config(&name, config, initial, false)?;
    Ok(created(base, &name, &info, was_created))
}

/// Connect's `ConnectorInfo`.
pub fn info_json(i: &ConnectorInfo) -> Value {
    json!({
        "name": i.name,
        "config": i.config,
        "tasks": i.tasks.iter().map(|t| json!({"connector": i.name, "task": t})).collect::<Vec<_>>(),
        "type": "source",
    })
}

/// Connect's `ConnectorStateInfo`.
pub fn status_json(s: &ConnectorStatus, worker: &str) -> Value {
    let tasks: Vec<Value> = s
        .tasks
        .iter()
        .map(|t| {
            let mut v = json!({"id": t.id, "state": t.state, "worker_id": worker});
            if let Some(trace) = &t.trace {
                v["trace"] = json!(trace);
            }
            v
        })
        .collect();
    json!({
        "name": s.name,
        "connector": {"state": s.state.as_str(), "worker_id": worker},
        "tasks": tasks,
        "type": "source",
    })
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|c| match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (c as char).to_string()
            }
            _ => format!("%{c:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_coding() {
        assert_eq!(percent_decode("east%2Dwest%20x"), "east-west x");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("é%41"), "éA");
        assert_eq!(percent_encode("a b/c"), "a%20b%2Fc");
    }
}
