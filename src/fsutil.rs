//! Files the tool writes, atomically so a crash leaves the old or the new file, never
//! half: owner-only when they may hold cluster state (journals, plans, lab topologies),
//! world-readable for reports meant to be shared (drill reports).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `text` to `path` with mode 0600: a temp file in the same directory, synced,
/// then renamed over `path`.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    write_atomic(path, text, 0o600)
}

/// [`write_private`] with mode 0644 (before the umask), for files meant to be shared.
pub fn write_public(path: &Path, text: &str) -> std::io::Result<()> {
    write_atomic(path, text, 0o644)
}

fn write_atomic(path: &Path, text: &str, mode: u32) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{}",
        path.file_name()
            .map_or("out".into(), |n| n.to_string_lossy().into_owned()),
        std::process::id(),
        TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `name` with every character but ASCII letters, digits, `-` and `_` replaced by `_`:
/// usable in file names and Kafka resource names.
pub fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn writes_owner_only_and_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("j.jsonl");
        super::write_private(&p, "one").unwrap();
        super::write_private(&p, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn public_files_are_0644_less_the_umask() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.md");
        super::write_public(&p, "report").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "report");
        // 0644 less the process umask: owner read/write, nobody else writes.
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o600, 0o600, "{mode:o}");
        assert_eq!(mode & !0o644, 0, "{mode:o}");
    }
}
