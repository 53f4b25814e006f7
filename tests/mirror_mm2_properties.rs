//! The dedicated-mode driver on sample `mm2.properties` files: edits change only their own
//! lines (comments, blank lines, unrelated keys and odd spacing stay byte for byte), the
//! old file is backed up, the reload command runs after the write, and a failing or
//! hanging reload puts the previous file back and returns `ReloadFailed`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kafka_failover::mirror::{
    ConnectorState, FlowEdit, MirrorDriver, MirrorError, Mm2Options, Mm2PropertiesFileDriver,
};
use kafka_failover::topology::{Mirror, MirrorDriverSpec};

const SAMPLE: &str = "\
# MirrorMaker 2, dedicated mode: payments
! an old-style comment

clusters = east, west
east.bootstrap.servers = e1:9092,e2:9092
west.bootstrap.servers: w1:9092

# The normal direction.
east->west.enabled = true
east->west.topics = payments.*, \\
                    refunds
west->east.enabled=false

replication.factor 3
   # an indented comment, and a key with odd spacing below
tasks.max\t=\t2
emit.checkpoints.interval.seconds=10";

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    file: PathBuf,
}

fn fixture(text: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let file = path.join("mm2.properties");
    fs::write(&file, text).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    Fixture {
        _dir: dir,
        dir: path,
        file,
    }
}

fn driver_for(file: &Path, reload: &str, timeout: Duration) -> Mm2PropertiesFileDriver {
    let m: Mirror = serde_yaml::from_str(&format!(
        "{{source: east, target: west, runs-in: dc-west, driver: {{mm2-properties: {{file: '{}', reload: '{}'}}}}}}",
        file.display(),
        reload.replace('\'', "''")
    ))
    .unwrap();
    let MirrorDriverSpec::Mm2Properties(spec) = &m.driver else {
        unreachable!()
    };
    let opts = Mm2Options {
        reload_timeout: timeout,
        poll_interval: Duration::from_millis(20),
    };
    Mm2PropertiesFileDriver::new("east-to-west", &m, spec, opts)
}

fn driver(f: &Fixture, reload: &str) -> Mm2PropertiesFileDriver {
    driver_for(&f.file, reload, Duration::from_secs(10))
}

fn backups(f: &Fixture) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(&f.dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("mm2.properties.bak-"))
        .collect();
    v.sort();
    v
}

fn text(p: &Path) -> String {
    String::from_utf8(fs::read(p).unwrap()).unwrap()
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn pause_rewrites_only_the_enabled_line_and_keeps_a_backup() {
    let f = fixture(SAMPLE);
    driver(&f, "true").pause().unwrap();
    assert_eq!(
        text(&f.file),
        SAMPLE.replace("east->west.enabled = true", "east->west.enabled = false")
    );
    assert_eq!(mode(&f.file), 0o640);
    let b = backups(&f);
    assert_eq!(b.len(), 1);
    assert_eq!(text(&b[0]), SAMPLE);
    assert_eq!(mode(&b[0]), 0o640);
    let name = b[0].file_name().unwrap().to_string_lossy().into_owned();
    // mm2.properties.bak-20240131T235959Z
    let stamp = name.trim_start_matches("mm2.properties.bak-");
    assert_eq!(stamp.len(), 16, "{name}");
    assert!(
        stamp.ends_with('Z') && stamp.as_bytes()[8] == b'T',
        "{name}"
    );
}

#[test]
fn reverse_edits_change_and_add_keys_next_to_their_flow() {
    let f = fixture(SAMPLE);
    let d = driver(&f, "true");
    let change = d
        .apply(&[
            FlowEdit::new("east", "west").enabled(false),
            FlowEdit::new("west", "east")
                .enabled(true)
                .topics(vec!["payments.*".into()], vec!["east\\..*".into()])
                .groups(vec![]),
        ])
        .unwrap();
    let keys: Vec<(&str, Option<&str>, &str)> = change
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.old.as_deref(), c.new.as_str()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("east->west.enabled", Some("true"), "false"),
            ("west->east.enabled", Some("false"), "true"),
            ("west->east.topics", None, "payments.*"),
            (
                "west->east.topics.exclude",
                None,
                ".*[\\-\\.]internal, .*\\.replica, __.*, east\\..*"
            ),
            ("west->east.groups", None, ".*"),
        ]
    );
    let expected = SAMPLE
        .replace("east->west.enabled = true", "east->west.enabled = false")
        .replace(
            "west->east.enabled=false\n",
            "west->east.enabled=true\n\
             west->east.topics=payments.*\n\
             west->east.topics.exclude=.*[\\\\-\\\\.]internal, .*\\\\.replica, __.*, east\\\\..*\n\
             west->east.groups=.*\n",
        );
    assert_eq!(text(&f.file), expected);
    assert_eq!(change.backup.as_deref(), Some(backups(&f)[0].as_path()));

    let st = d.status().unwrap();
    let flows: Vec<(String, bool)> = st.flows.iter().map(|f| (f.label(), f.enabled)).collect();
    assert_eq!(
        flows,
        vec![("east->west".into(), false), ("west->east".into(), true)]
    );
    assert_eq!(
        st.flows[1].topics_exclude.as_deref(),
        Some(".*[\\-\\.]internal, .*\\.replica, __.*, east\\..*")
    );
    assert_eq!(st.flows[0].topics.as_deref(), Some("payments.*, refunds"));
}

#[test]
fn failing_reload_restores_the_file_and_reports_its_stderr() {
    let f = fixture(SAMPLE);
    let d = driver(&f, "echo 'mm2: restart failed: bad config' >&2; exit 4");
    let e = d.pause().unwrap_err();
    match &e {
        MirrorError::ReloadFailed {
            status,
            stderr,
            restored,
            ..
        } => {
            assert_eq!(status, "exited with status 4");
            assert_eq!(stderr, "mm2: restart failed: bad config");
            assert!(*restored);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string().starts_with("reload command `echo 'mm2: restart failed: bad config' >&2; exit 4` exited with status 4: mm2: restart failed: bad config; the previous file was restored"),
        "{e}"
    );
    assert_eq!(fs::read(&f.file).unwrap(), SAMPLE.as_bytes());
    assert_eq!(mode(&f.file), 0o640);
    assert_eq!(backups(&f).len(), 1, "the backup stays as a record");
}

#[test]
fn reload_runs_after_the_new_file_is_in_place() {
    let f = fixture(SAMPLE);
    // Succeeds only if it sees the edited file.
    let reload = format!("grep -q 'east->west.enabled = false' {}", f.file.display());
    driver(&f, &reload).pause().unwrap();
    assert!(text(&f.file).contains("east->west.enabled = false"));
    // The same check against the unedited file fails, and the file is put back.
    let g = fixture(SAMPLE);
    let reload = format!("grep -q 'east->west.enabled = nope' {}", g.file.display());
    let e = driver(&g, &reload).pause().unwrap_err();
    assert!(matches!(e, MirrorError::ReloadFailed { .. }), "{e:?}");
    assert_eq!(text(&g.file), SAMPLE);
}

#[test]
fn hanging_reload_is_killed_at_its_timeout_and_the_file_restored() {
    let f = fixture(SAMPLE);
    let d = driver_for(&f.file, "sleep 30", Duration::from_millis(300));
    let t = Instant::now();
    let e = d.pause();
    let took = t.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    match e {
        Err(MirrorError::ReloadFailed {
            status, restored, ..
        }) => {
            assert!(status.starts_with("timed out after 300ms"), "{status}");
            assert!(restored);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(text(&f.file), SAMPLE);
}

#[test]
fn nothing_to_change_writes_nothing_and_skips_the_reload() {
    let f = fixture(SAMPLE);
    // Already enabled: a reload that would fail is never run.
    let d = driver(&f, "exit 1");
    d.resume().unwrap();
    let change = d
        .apply(&[FlowEdit::new("east", "west").enabled(true)])
        .unwrap();
    assert!(change.changes.is_empty() && change.backup.is_none());
    assert!(backups(&f).is_empty());
    assert_eq!(text(&f.file), SAMPLE);
}

#[test]
fn enabling_a_flow_with_an_unknown_cluster_is_refused_before_writing() {
    let f = fixture(SAMPLE);
    let d = driver(&f, "true");
    let e = d
        .apply(&[FlowEdit::new("north", "west").enabled(true)])
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("`north` is not listed in `clusters`"),
        "{e}"
    );
    let e = d
        .apply(&[FlowEdit::new("east", "west").topics(vec!["a{1,2}".into()], vec![])])
        .unwrap_err();
    assert!(e.to_string().contains("contains a comma"), "{e}");
    assert!(backups(&f).is_empty());
    assert_eq!(text(&f.file), SAMPLE);
}

#[test]
fn status_comes_from_the_file_and_says_tasks_are_unknown() {
    let f = fixture(SAMPLE);
    let d = driver(&f, "true");
    let st = d.status().unwrap();
    assert_eq!(st.endpoint, f.file.display().to_string());
    assert!(st.connectors.is_empty());
    assert!(st.is_running());
    assert!(
        st.notes[0].contains("connector and task states are unknown"),
        "{:?}",
        st.notes
    );
    let running = d
        .wait_for_state(&ConnectorState::Running, Duration::from_millis(100))
        .unwrap();
    assert!(running.flows[0].in_clusters);
    let e = d
        .wait_for_state(&ConnectorState::Stopped, Duration::from_millis(100))
        .unwrap_err();
    assert!(matches!(e, MirrorError::Timeout { .. }), "{e:?}");
    let e = d.get_offsets("x").unwrap_err();
    assert_eq!(
        e.to_string(),
        "the mm2-properties driver cannot read connector offsets (no REST API in dedicated mode)"
    );
}

#[test]
fn a_symlinked_file_is_edited_behind_the_link() {
    let f = fixture(SAMPLE);
    let link = f.dir.join("current.properties");
    std::os::unix::fs::symlink(&f.file, &link).unwrap();
    let d = driver_for(&link, "true", Duration::from_secs(10));
    d.pause().unwrap();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(text(&f.file).contains("east->west.enabled = false"));
    assert_eq!(backups(&f).len(), 1);
}

#[test]
fn restore_puts_a_backup_back_and_reloads() {
    let f = fixture(SAMPLE);
    let d = driver(&f, "true");
    let change = d
        .apply(&[FlowEdit::new("east", "west").enabled(false)])
        .unwrap();
    let undo = d.restore(change.backup.as_deref().unwrap()).unwrap();
    assert_eq!(text(&f.file), SAMPLE);
    let saved = undo.backup.unwrap();
    assert!(text(&saved).contains("east->west.enabled = false"));
}
