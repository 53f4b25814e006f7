//! TLS verification is on unless a topology says otherwise in plain sight. A real TLS
//! endpoint (`openssl s_server` on 127.0.0.1 with a certificate from a CA made here) is
//! refused by the Connect driver and by librdkafka until the CA is given; with the CA the
//! handshake succeeds and the failure moves on to what the endpoint answers; turning
//! verification off connects, and is flagged by `topology lint` (or, through `-X`, by a
//! warning on stderr).

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{figure, kf, stdout_json as json};
use predicates::prelude::PredicateBooleanExt;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the openssl CLI is installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA and a server certificate for IP 127.0.0.1 signed by it (a self-signed CA
/// certificate cannot be a server's: rustls refuses a CA used as an end entity).
fn make_certs(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut a = vec!["req", "-x509"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=kf-test-ca",
    ]);
    openssl(dir, &a);
    let mut a = vec!["req"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(dir, &a);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
}

/// `openssl s_server` on a free 127.0.0.1 port; killed when dropped.
struct TlsServer {
    child: Child,
    port: u16,
}

impl TlsServer {
    fn start(dir: &Path) -> TlsServer {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let child = Command::new("openssl")
            .current_dir(dir)
            .args(["s_server", "-accept", &format!("127.0.0.1:{port}")])
            .args(["-cert", "leaf.pem", "-key", "leaf.key", "-www", "-quiet"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = TlsServer { child, port };
        let until = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "s_server did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn all(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Active/passive, both clusters at `bootstrap` with `props`, the mirror's Connect driver
/// at `https://127.0.0.1:PORT` with `connect_extra`.
fn topology(
    dir: &Path,
    name: &str,
    bootstrap: &str,
    props: &str,
    url: &str,
    connect_extra: &str,
) -> String {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!(
            "version: 1\nname: tls\npattern: active-passive\n\
             datacenters:\n  dc-a: {{}}\n  dc-b: {{}}\n\
             clusters:\n\
             \x20 east: {{datacenter: dc-a, role: primary, bootstrap: \"{bootstrap}\"{props}}}\n\
             \x20 west: {{datacenter: dc-b, role: standby, bootstrap: \"{bootstrap}\"{props}}}\n\
             mirrors:\n  east-to-west:\n    source: east\n    target: west\n    runs-in: dc-b\n\
             \x20   driver:\n      connect: {{url: \"{url}\"{connect_extra}}}\n"
        ),
    )
    .unwrap();
    p.display().to_string()
}

fn driver_reason(out: &Output) -> String {
    let v = json(out);
    v[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .find(|r| r.starts_with("driver:"))
        .unwrap_or_else(|| panic!("no driver reason: {v:#}"))
}

#[test]
fn connect_driver_verifies_the_rest_endpoint_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    make_certs(dir.path());
    let server = TlsServer::start(dir.path());
    let url = format!("https://127.0.0.1:{}", server.port);
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let ca = dir.path().join("ca.pem").display().to_string();
    let status = |t: &str| {
        kf().args(["-o", "json", "mirror", "status", t, "--timeout", "2s"])
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let mut checked = 0;

    // Default: verified, and the self-signed chain is refused, naming the certificate.
    let t = topology(dir.path(), "default.yaml", &closed, "", &url, "");
    let out = status(&t);
    assert_eq!(out.status.code(), Some(1), "{}", all(&out));
    let why = driver_reason(&out);
    assert!(
        why.contains("invalid peer certificate") && why.contains("UnknownIssuer"),
        "{why}"
    );
    checked += 1;

    // With the CA: the handshake succeeds; s_server's HTML page is not Connect's JSON.
    let extra = format!(", ca-file: \"{ca}\"");
    let t = topology(dir.path(), "ca.yaml", &closed, "", &url, &extra);
    let out = status(&t);
    assert_eq!(out.status.code(), Some(1), "{}", all(&out));
    let why = driver_reason(&out);
    assert!(
        why.contains("HTTP 200 with a body that is not the expected JSON")
            && !why.contains("certificate"),
        "{why}"
    );
    checked += 1;
    kf().args(["topology", "lint", "--deny", "warnings", &t])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("insecure-connect-tls").not());
    checked += 1;

    // Verification off: it connects too, and lint says so.
    let t = topology(
        dir.path(),
        "insecure.yaml",
        &closed,
        "",
        &url,
        ", insecure-skip-tls-verify: true",
    );
    let out = status(&t);
    let why = driver_reason(&out);
    assert!(why.contains("HTTP 200 with a body"), "{why}");
    let out = kf().args(["topology", "lint", &t]).output().unwrap();
    assert!(
        all(&out).contains("warning[insecure-connect-tls]"),
        "{}",
        all(&out)
    );
    checked += 2;
    drop(server);
    figure(
        "tls",
        &format!("Connect REST over TLS (s_server): refused without CA (UnknownIssuer), handshake with ca-file, insecure-skip-tls-verify linted: {checked} checks"),
    );
}

#[test]
fn kafka_clients_verify_the_brokers_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    make_certs(dir.path());
    let ca = dir.path().join("ca.pem").display().to_string();
    let connect = "http://127.0.0.1:9";
    // A fresh s_server for each run: it serves one connection at a time, and a
    // previous run's retries can keep it busy past the next run's timeout.
    let status_as = |verbosity: &str, extra: &[&str]| {
        let server = TlsServer::start(dir.path());
        let t = topology(
            dir.path(),
            "ssl.yaml",
            &format!("127.0.0.1:{}", server.port),
            ", properties: {security.protocol: SSL}",
            connect,
            "",
        );
        kf().args([verbosity, "cluster", "status", &t, "--cluster", "east"])
            .args(["--timeout", "2s"])
            .args(extra)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let status = |extra: &[&str]| status_as("-vvv", extra);
    let mut checked = 0;

    // Default: librdkafka verifies, and says why the handshake failed.
    let out = status(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", all(&out));
    let text = all(&out);
    assert!(
        text.contains("SSL handshake failed") && text.contains("certificate verify failed"),
        "{text}"
    );
    assert!(text.contains("east: unreachable"), "{text}");
    checked += 1;
    // Without -v too: the unreachable cluster's reason carries librdkafka's failure.
    let out = status_as("-q", &["-o", "json"]);
    let v = json(&out);
    let problem = v[0]["problems"][0].as_str().unwrap_or_default().to_string();
    assert!(
        problem.starts_with("unreachable: ") && problem.contains("certificate verify failed"),
        "{v:#}"
    );
    checked += 1;

    // With the CA: verified; s_server speaks no Kafka, so the cluster stays unreachable
    // for another reason (no ApiVersions answer before the timeout).
    let ca_flag = format!("ssl.ca.location={ca}");
    let out = status(&["-X", &ca_flag, "-X", "debug=security"]);
    assert_eq!(out.status.code(), Some(1), "{}", all(&out));
    let text = all(&out);
    assert!(text.contains("Broker SSL certificate verified"), "{text}");
    assert!(!text.contains("certificate verify failed"), "{text}");
    assert!(!text.contains("warning: -X"), "{text}");
    checked += 1;

    // Verification off through -X: the handshake passes, and a warning says so.
    let out = status(&[
        "-X",
        "enable.ssl.certificate.verification=false",
        "-X",
        "debug=security",
    ]);
    let text = all(&out);
    assert!(!text.contains("certificate verify failed"), "{text}");
    assert!(
        text.contains("warning: -X enable.ssl.certificate.verification=false for every cluster: the brokers' certificates are not verified"),
        "{text}"
    );
    checked += 1;

    // The same in the topology: lint flags each cluster.
    let t = topology(
        dir.path(),
        "insecure.yaml",
        "127.0.0.1:9093",
        ", properties: {security.protocol: SSL, ssl.endpoint.identification.algorithm: none}",
        connect,
        "",
    );
    let out = kf()
        .args(["-o", "json", "topology", "lint", &t])
        .output()
        .unwrap();
    let v = json(&out);
    let flagged = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "insecure-kafka-tls")
        .count();
    assert_eq!(flagged, 2, "{v:#}");
    checked += 1;
    figure(
        "tls",
        &format!("librdkafka over TLS (s_server): 'certificate verify failed' without CA, verified with ssl.ca.location, -X off warned, topology off linted on 2 clusters: {checked} checks"),
    );
}
