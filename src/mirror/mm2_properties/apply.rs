//! Writing `mm2.properties` safely, and running the reload command.
//!
//! A write goes to a temporary file in the same directory (same mode, same owner where
//! possible), is synced, and is renamed over the original, so MM2 or a reader never sees
//! half a file. The original is first copied to `FILE.bak-<UTC timestamp>`.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::mirror::MirrorError;
use crate::shell::{describe_status, run_shell, ShellCommand, ShellEnd, Stream, Tail};

/// Mode and owner of the file being replaced.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileMeta {
    mode: u32,
    uid: u32,
    gid: u32,
}

impl FileMeta {
    pub fn of(path: &Path) -> Result<FileMeta, MirrorError> {
        let m = fs::metadata(path).map_err(|e| MirrorError::io(path, "cannot stat", e))?;
        Ok(FileMeta {
            mode: m.permissions().mode() & 0o7777,
            uid: m.uid(),
            gid: m.gid(),
        })
    }
}

/// Copies `original` (the bytes the edit started from) to a new `FILE.bak-<timestamp>`
/// with the file's mode.
pub(crate) fn write_backup(
    path: &Path,
    original: &[u8],
    meta: FileMeta,
) -> Result<PathBuf, MirrorError> {
    let stamp = utc_stamp(SystemTime::now());
    for n in 0..1000 {
        let name = match n {
            0 => format!("{}.bak-{stamp}", path.display()),
            n => format!("{}.bak-{stamp}-{n}", path.display()),
        };
        let backup = PathBuf::from(name);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(meta.mode & 0o777)
            .open(&backup)
        {
            Ok(mut f) => {
                let written = f
                    .write_all(original)
                    .and_then(|()| f.set_permissions(fs::Permissions::from_mode(meta.mode)))
                    .and_then(|()| f.sync_all());
                if let Err(e) = written {
                    let _ = fs::remove_file(&backup);
                    return Err(MirrorError::io(&backup, "cannot write the backup", e));
                }
                return Ok(backup);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(MirrorError::io(&backup, "cannot create the backup", e)),
        }
    }
    Err(MirrorError::InvalidSpec(format!(
        "{}: too many backups named .bak-{stamp}",
        path.display()
    )))
}

/// Replaces `path` with `bytes` atomically, keeping `meta`'s mode and (when allowed) owner.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], meta: FileMeta) -> Result<(), MirrorError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = dir.join(format!(
        ".{file_name}.kf-{}-{nanos}.tmp",
        std::process::id()
    ));
    let result = (|| -> Result<(), MirrorError> {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| MirrorError::io(&tmp, "cannot create a temporary file", e))?;
        f.write_all(bytes)
            .map_err(|e| MirrorError::io(&tmp, "cannot write", e))?;
        let same_owner = fs::metadata(&tmp)
            .map(|m| m.uid() == meta.uid && m.gid() == meta.gid)
            .unwrap_or(false);
        if !same_owner {
            // MM2 may run as another user: the new file must keep the old owner. Failing to
            // is an error before anything is replaced.
            std::os::unix::fs::chown(&tmp, Some(meta.uid), Some(meta.gid)).map_err(|e| {
                MirrorError::io(
                    &tmp,
                    &format!(
                        "cannot give the new file the owner {}:{}",
                        meta.uid, meta.gid
                    ),
                    e,
                )
            })?;
        }
        f.set_permissions(fs::Permissions::from_mode(meta.mode))
            .map_err(|e| MirrorError::io(&tmp, "cannot set the mode", e))?;
        f.sync_all()
            .map_err(|e| MirrorError::io(&tmp, "cannot sync", e))?;
        fs::rename(&tmp, path).map_err(|e| MirrorError::io(path, "cannot replace", e))?;
        // Make the rename itself durable; not every filesystem allows syncing a directory.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// How the reload command ended, when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReloadFailure {
    pub status: String,
    pub stderr: String,
}

/// Runs `sh -c command` in its own process group, with no stdin, for at most `timeout`;
/// on timeout the whole group is killed. Returns the tail of stderr on failure.
pub(crate) fn run_reload(command: &str, timeout: Duration) -> Result<(), ReloadFailure> {
    let mut stderr = Tail::new(4096);
    let cmd = ShellCommand {
        command,
        timeout,
        ..ShellCommand::default()
    };
    let end = run_shell(&cmd, &mut |stream, line| {
        if stream == Stream::Stderr {
            stderr.push(line)
        }
    });
    let fail = |status: String| ReloadFailure {
        status,
        stderr: stderr.text(),
    };
    match end {
        Ok(ShellEnd::Exited(s)) if s.success() => Ok(()),
        Ok(ShellEnd::Exited(s)) => Err(fail(describe_status(s))),
        Ok(ShellEnd::TimedOut) => Err(fail(format!(
            "timed out after {} and was killed",
            humantime::format_duration(timeout)
        ))),
        Err(e) => Err(fail(format!("could not start: {e}"))),
    }
}

/// `20240131T235959Z` (UTC), for backup names.
pub(crate) fn utc_stamp(t: SystemTime) -> String {
    let rfc = humantime::format_rfc3339_seconds(t).to_string();
    rfc.chars().filter(|c| *c != '-' && *c != ':').collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn stamp_format() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(utc_stamp(t), "20231114T221320Z");
    }

    #[test]
    fn reload_outcomes() {
        assert_eq!(run_reload("true", Duration::from_secs(5)), Ok(()));
        let e = run_reload("echo out; echo bad >&2; exit 3", Duration::from_secs(5)).unwrap_err();
        assert_eq!(e.status, "exited with status 3");
        assert_eq!(e.stderr, "bad");
        let started = Instant::now();
        let e = run_reload("sleep 30", Duration::from_millis(200)).unwrap_err();
        assert!(e.status.starts_with("timed out after 200ms"), "{e:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn atomic_write_keeps_mode() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("mm2.properties");
        fs::write(&f, "a=1\n").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        let meta = FileMeta::of(&f).unwrap();
        let b = write_backup(&f, b"a=1\n", meta).unwrap();
        let b2 = write_backup(&f, b"a=1\n", meta).unwrap();
        assert_ne!(b, b2);
        write_atomic(&f, b"a=2\n", meta).unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"a=2\n");
        assert_eq!(fs::read(&b).unwrap(), b"a=1\n");
        assert_eq!(
            fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(
            fs::metadata(&b).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
