//! Canary secrets from the environment, a 0600 file, `-X` flags and the Connect driver's
//! basic auth, through every command that can see them, on the embedded mock lab (in this
//! process; the CLI runs as a child) at the highest verbosity, as tables and JSON, on the
//! happy path and on error paths (a wrong bootstrap, a Connect that echoes the request).
//! Every stdout, stderr and every file the runs leave is searched for each canary, raw,
//! base64 (at every alignment, and inside the basic-auth header) and URL-encoded: zero
//! appearances; every journal and report is mode 0600.

mod common;

#[path = "support/http_stub.rs"]
mod http_stub;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use base64::Engine;
use common::{figure, kf, stdout_json as json};
use http_stub::{Reply, StubServer};
use kafka_failover::lab::{Lab, LabOptions, MockLab};
use kafka_failover::topology::secret::SecretRef;
use kafka_failover::topology::{load_str, BasicAuth, MirrorDriverSpec, Topology};

/// The canaries: values no output may ever contain. `+`, `/` and `=` make the
/// URL-encoded form differ from the raw one.
const ENV_PW: &str = "cAnary-env+9f2e/Qx=1";
const FILE_PW: &str = "cAnary-file+77ab/Zk=2";
const FLAG_PW: &str = "cAnary-flag+c3d1/Wm=3";
const FLAG_PW2: &str = "cAnary-flag2+0e4b/Rt=4";
const CONNECT_PW: &str = "cAnary-connect+a1b2/Pp=5";
const CANARIES: [&str; 5] = [ENV_PW, FILE_PW, FLAG_PW, FLAG_PW2, CONNECT_PW];

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every form of `canary` a leak could take: raw, URL-encoded (both cases), and the
/// part of its base64 that does not depend on what precedes it, at each of the three
/// alignments, in the standard and the URL-safe alphabet; and the basic-auth token.
fn forms(canary: &str) -> Vec<String> {
    let mut out = vec![
        canary.to_string(),
        url_encode(canary),
        url_encode(canary).to_lowercase(),
    ];
    for engine in [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::URL_SAFE,
    ] {
        for pad in 0..3 {
            let text = format!("{}{canary}", "x".repeat(pad));
            let enc = engine.encode(text.as_bytes());
            // Characters fully determined by the canary's bytes alone.
            let skip = if pad == 0 { 0 } else { 4 };
            let keep = (enc.len() - skip).saturating_sub(4);
            out.push(enc[skip..skip + keep].to_string());
        }
    }
    out.push(
        base64::engine::general_purpose::STANDARD.encode(format!("failover:{canary}").as_bytes()),
    );
    out
}

struct Scan {
    forms: Vec<(String, String)>,
    outputs: usize,
    bytes: usize,
    hits: Vec<String>,
}

impl Scan {
    fn new() -> Scan {
        Scan {
            forms: CANARIES
                .iter()
                .flat_map(|c| forms(c).into_iter().map(move |f| (c.to_string(), f)))
                .collect(),
            outputs: 0,
            bytes: 0,
            hits: Vec::new(),
        }
    }

    fn text(&mut self, label: &str, data: &[u8]) {
        self.outputs += 1;
        self.bytes += data.len();
        let text = String::from_utf8_lossy(data);
        for (canary, form) in &self.forms {
            if text.contains(form.as_str()) {
                let at = text.find(form.as_str()).unwrap();
                let lo = at.saturating_sub(120);
                let hi = (at + form.len() + 60).min(text.len());
                let around = String::from_utf8_lossy(&text.as_bytes()[lo..hi]).into_owned();
                self.hits
                    .push(format!("{label}: canary {canary} as `{form}`: …{around}…"));
            }
        }
    }

    fn output(&mut self, label: &str, out: &Output) {
        self.text(&format!("{label} (stdout)"), &out.stdout);
        self.text(&format!("{label} (stderr)"), &out.stderr);
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn example(name: &str) -> Topology {
    common::example_topology(name)
}

/// The lab's topology with the canaries' sources put back: `east` reads `sasl.password`
/// from the environment, `west` `ssl.key.password` from a 0600 file, the mirror's
/// Connect driver its basic-auth password from the environment. None of these stops a
/// PLAINTEXT client (librdkafka ignores them without SASL or SSL).
fn with_secrets(lab_yaml: &str, secret_file: &Path, connect_url: Option<&str>) -> String {
    let mut t = load_str("lab.yaml", lab_yaml).unwrap().topology;
    t.clusters.get_mut("east").unwrap().secrets.insert(
        "sasl.password".into(),
        SecretRef::Env("KF_CANARY_ENV".into()),
    );
    t.clusters.get_mut("west").unwrap().secrets.insert(
        "ssl.key.password".into(),
        SecretRef::File(secret_file.display().to_string()),
    );
    for m in t.mirrors.values_mut() {
        if let MirrorDriverSpec::Connect(c) = &mut m.driver {
            c.auth = Some(BasicAuth {
                username: "failover".into(),
                password: SecretRef::Env("KF_CANARY_CONNECT".into()),
            });
            if let Some(url) = connect_url {
                c.url = url.to_string();
            }
        }
    }
    serde_yaml::to_string(&t).unwrap()
}

/// `kafka-failover -vvv ARGS -X … ` with the canaries in the environment and on the
/// command line, in `cwd` (so default journal paths land where they are scanned).
fn run(scan: &mut Scan, cwd: &Path, label: &str, args: &[&str], kafka_flags: bool) -> Output {
    let mut c = kf();
    c.current_dir(cwd)
        .env("KF_CANARY_ENV", ENV_PW)
        .env("KF_CANARY_CONNECT", CONNECT_PW)
        .arg("-vvv")
        .args(args);
    if kafka_flags {
        c.args(["-X", &format!("east:ssl.key.password={FLAG_PW}")])
            .args(["-X", &format!("ssl.keystore.password={FLAG_PW2}")]);
    }
    let started = Instant::now();
    let out = c.timeout(Duration::from_secs(120)).output().unwrap();
    eprintln!(
        "{label}: exit {:?} in {:?}",
        out.status.code(),
        started.elapsed()
    );
    scan.output(label, &out);
    out
}

/// Every regular file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn canaries_never_appear_in_any_output_journal_or_report() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let secret_file = dir.path().join("key.pass");
    std::fs::write(&secret_file, format!("{FILE_PW}\n")).unwrap();
    std::fs::set_permissions(&secret_file, std::fs::Permissions::from_mode(0o600)).unwrap();

    let lab = MockLab::start(&example("active-passive"), &LabOptions::default()).unwrap();
    let topo = work.join("lab.yaml");
    std::fs::write(
        &topo,
        with_secrets(&lab.topology_yaml().unwrap(), &secret_file, None),
    )
    .unwrap();
    let t = topo.display().to_string();
    let state = work.join("state");
    let journals = work.join("journals");
    std::fs::create_dir(&journals).unwrap();
    let (s, j) = (state.display().to_string(), journals.display().to_string());
    let mut scan = Scan::new();

    // Offline commands never read a secret, but say which properties are secret.
    for (label, args) in [
        ("validate", vec!["topology", "validate", &t]),
        ("lint", vec!["topology", "lint", &t]),
        ("show", vec!["topology", "show", &t]),
    ] {
        for o in ["table", "json"] {
            let mut a = args.clone();
            a.extend(["-o", o]);
            let out = run(&mut scan, &work, &format!("{label} -o {o}"), &a, false);
            assert!(out.status.success(), "{label}: {}", stderr(&out));
        }
    }

    // Commands that build clients with every secret.
    let wait_deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = run(
            &mut scan,
            &work,
            "ready",
            &["ready", &t, "-o", "json"],
            true,
        );
        if out.status.success() {
            break;
        }
        assert!(
            Instant::now() < wait_deadline,
            "never ready: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    for o in ["table", "json"] {
        for (label, args) in [
            ("cluster status", vec!["cluster", "status", &t]),
            ("placement check", vec!["placement", "check", &t]),
            (
                "offsets show",
                vec![
                    "offsets",
                    "show",
                    &t,
                    "--cluster",
                    "west",
                    "--group",
                    "payments-ledger",
                ],
            ),
            ("mirror status", vec!["mirror", "status", &t]),
            ("ready", vec!["ready", &t]),
        ] {
            let mut a = args.clone();
            a.extend(["-o", o]);
            let out = run(&mut scan, &work, &format!("{label} -o {o}"), &a, true);
            assert!(
                out.status.code().is_some_and(|c| c <= 1),
                "{label}: {}",
                stderr(&out)
            );
        }
    }

    // offsets reset (journals: a first one gives the group offsets on `west`, so the
    // rollback of the second restores offsets rather than deleting them, which the
    // mock cannot) and its rollback (another journal).
    for to in ["--to-latest", "--to-earliest"] {
        let out = run(
            &mut scan,
            &work,
            &format!("offsets reset {to}"),
            &[
                "offsets",
                "reset",
                &t,
                "--cluster",
                "west",
                "--group",
                "payments-ledger",
                "--topic",
                "east.payments",
                to,
                "--execute",
                "--yes",
                "--journal-dir",
                &j,
                "-o",
                "json",
            ],
            true,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        std::thread::sleep(Duration::from_millis(5));
    }
    let reset_journal = files_under(&journals)
        .into_iter()
        .rfind(|p| p.to_string_lossy().contains("reset-west"))
        .expect("a reset journal");
    let out = run(
        &mut scan,
        &work,
        "offsets rollback",
        &[
            "offsets",
            "rollback",
            &reset_journal.display().to_string(),
            "--execute",
            "--yes",
            "--journal-dir",
            &j,
        ],
        true,
    );
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );

    // mirror pause (journal) and its rollback.
    let out = run(
        &mut scan,
        &work,
        "mirror pause",
        &[
            "mirror",
            "pause",
            &t,
            "--mirror",
            "east-to-west",
            "--execute",
            "--yes",
            "--journal-dir",
            &j,
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let pause_journal = files_under(&journals)
        .into_iter()
        .find(|p| p.to_string_lossy().contains("mirror-pause"))
        .expect("a mirror journal");
    let out = run(
        &mut scan,
        &work,
        "mirror rollback",
        &[
            "mirror",
            "rollback",
            &pause_journal.display().to_string(),
            "--execute",
            "--yes",
        ],
        false,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // The failover, with the lock, the run journal and the offsets and mirror journals.
    lab.dc_down("dc-east").unwrap();
    for o in ["table", "json"] {
        let out = run(
            &mut scan,
            &work,
            &format!("failover plan -o {o}"),
            &[
                "failover",
                &t,
                "--lost",
                "dc-east",
                "--timeout",
                "5s",
                "-o",
                o,
            ],
            true,
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = run(
        &mut scan,
        &work,
        "failover --execute",
        &[
            "failover",
            &t,
            "--lost",
            "dc-east",
            "--timeout",
            "2s",
            "--execute",
            "--yes",
            "--state-dir",
            &s,
            "--group",
            "payments-notify-lab-1",
            "-o",
            "json",
        ],
        true,
    );
    let report = json(&out);
    assert!(out.status.success(), "{}\n{report:#}", stderr(&out));
    let run_journal = report["journal"].as_str().unwrap().to_string();
    for o in ["table", "json"] {
        let out = run(
            &mut scan,
            &work,
            &format!("lock status -o {o}"),
            &["lock", "status", &t, "--cluster", "west", "-o", o],
            true,
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    lab.dc_up("dc-east").unwrap();
    let out = run(
        &mut scan,
        &work,
        "rollback",
        &["rollback", &run_journal, "--execute", "--yes", "-o", "json"],
        true,
    );
    // Groups without offsets before need OffsetDelete, which the mock lacks: exit 3.
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{}",
        stderr(&out)
    );

    // Error paths: a wrong bootstrap for every command that reaches a cluster, and a
    // Connect endpoint that echoes each request (headers included) in its error.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let echo = StubServer::start(|r, _| {
        Reply::error(
            500,
            &format!(
                "cannot serve {} {} with headers {:?}",
                r.method, r.path, r.headers
            ),
        )
    });
    let broken = work.join("broken.yaml");
    let broken_yaml = with_secrets(
        &lab.topology_yaml().unwrap(),
        &secret_file,
        Some(&echo.url()),
    )
    .replace(&lab.bootstrap()["east"], &format!("127.0.0.1:{closed}"));
    std::fs::write(&broken, broken_yaml).unwrap();
    let b = broken.display().to_string();
    for o in ["table", "json"] {
        for (label, args) in [
            (
                "broken cluster status",
                vec!["cluster", "status", &b, "--timeout", "1s"],
            ),
            (
                "broken offsets show",
                vec![
                    "offsets",
                    "show",
                    &b,
                    "--cluster",
                    "east",
                    "--group",
                    "g",
                    "--timeout",
                    "1s",
                ],
            ),
            (
                "broken mirror status",
                vec!["mirror", "status", &b, "--timeout", "1s"],
            ),
            (
                "broken mirror pause",
                vec![
                    "mirror",
                    "pause",
                    &b,
                    "--mirror",
                    "east-to-west",
                    "--execute",
                    "--yes",
                    "--journal-dir",
                    &j,
                    "--timeout",
                    "1s",
                ],
            ),
            ("broken ready", vec!["ready", &b, "--timeout", "1s"]),
        ] {
            let mut a = args.clone();
            a.extend(["-o", o]);
            let out = run(&mut scan, &work, &format!("{label} -o {o}"), &a, true);
            assert!(
                matches!(out.status.code(), Some(1..=3)),
                "{label} should fail: {}",
                stderr(&out)
            );
        }
    }
    assert!(
        echo.requests()
            .iter()
            .any(|r| r.header("authorization").is_some()),
        "the echo stub never saw the basic-auth header: {:?}",
        echo.lines()
    );
    // librdkafka's own debug output (`debug=all` dumps the configuration at -vvv).
    let out = run(
        &mut scan,
        &work,
        "cluster status debug=all",
        &[
            "cluster",
            "status",
            &t,
            "--cluster",
            "west",
            "-X",
            "debug=all",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("librdkafka: DEBUG:"),
        "no librdkafka debug lines at -vvv"
    );
    // Usage errors carrying a secret: a malformed and an unknown `-X`.
    for (label, flag) in [
        ("bad -X", format!("east: sasl.password={FLAG_PW}")),
        ("unknown -X", format!("east:no.such.password={FLAG_PW}")),
    ] {
        let out = run(
            &mut scan,
            &work,
            label,
            &["cluster", "status", &t, "--timeout", "2s", "-X", &flag],
            false,
        );
        assert!(!out.status.success(), "{label}: {}", stderr(&out));
    }

    // Every file the runs left: no canary, journals 0600.
    let files = files_under(&work);
    let mut private = 0;
    for f in &files {
        let name = f.display().to_string();
        scan.text(&name, &std::fs::read(f).unwrap());
        if name.contains("journal") || name.ends_with(".jsonl") {
            assert_eq!(mode(f), 0o600, "{name}");
            private += 1;
        }
    }
    drop(lab);

    // The drill builds its own lab from the topology (its secrets dropped: the lab is
    // plaintext) and hands it the `-X` canaries. The stretched one is the quickest.
    let reports = work.join("reports");
    let out = run(
        &mut scan,
        &work,
        "drill",
        &[
            "drill",
            &common::root("topologies/stretched.yaml")
                .display()
                .to_string(),
            "--lab",
            "--report-dir",
            &reports.display().to_string(),
            "--state-dir",
            &work.join("drill-state").display().to_string(),
        ],
        true,
    );
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    let mut report_files = 0;
    let mut private_dirs = std::collections::BTreeSet::new();
    for f in files_under(&reports)
        .into_iter()
        .chain(files_under(&work.join("drill-state")))
    {
        scan.text(&f.display().to_string(), &std::fs::read(&f).unwrap());
        assert_eq!(mode(&f), 0o600, "{}", f.display());
        // The directories the tool made for them are owner-only too.
        let dir = f.parent().unwrap();
        assert_eq!(mode(dir), 0o700, "{}", dir.display());
        private_dirs.insert(dir.to_path_buf());
        report_files += 1;
    }
    assert!(report_files >= 4, "{report_files} drill files");
    assert!(private >= 5, "{private} journals: {files:?}");

    assert!(
        scan.hits.is_empty(),
        "{} appearance(s):\n{}",
        scan.hits.len(),
        scan.hits.join("\n")
    );
    figure(
        "secrets",
        &format!(
            "{} canaries × {} forms in {} outputs and files ({} bytes): 0 appearances; {} journals + {} drill files, all 0600, in {} directories made 0700",
            CANARIES.len(),
            scan.forms.len() / CANARIES.len(),
            scan.outputs,
            scan.bytes,
            private,
            report_files,
            private_dirs.len()
        ),
    );
}
