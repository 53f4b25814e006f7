//! Files the tool writes (journals, plans, lab topologies, drill reports): owner-only,
//! written atomically so a crash leaves the old or the new file, never half.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `text` to `path` with mode 0600: a temp file in the same directory, synced,
/// then renamed over `path`.
/// `mkdir -p` with owner-only directories (journals, run state, reports: what they hold
/// names clusters, groups and offsets). Existing directories keep their mode.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    write_atomic(path, text, 0o600)
}

fn write_atomic(path: &Path, text: &str, mode: u32) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        // A journal directory named on the command line that does not exist yet (as
        // `mkdir -p`); private files get a private directory.
        use std::os::unix::fs::DirBuilderExt;
        let dir_mode = if mode & 0o077 == 0 { 0o700 } else { 0o755 };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(dir_mode)
            .create(dir)?;
    }
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

/// An append-only journal of JSON lines (mode 0600), rewritten atomically on every
/// record so a crash leaves the previous or the new version; never overwrites an
/// existing file when created.
#[derive(Debug)]
pub struct JsonLines<E> {
    path: std::path::PathBuf,
    entries: Vec<E>,
}

impl<E: serde::Serialize + serde::de::DeserializeOwned> JsonLines<E> {
    /// A new journal holding `first`; refuses an existing path.
    pub fn create(path: &Path, first: E) -> std::io::Result<JsonLines<E>> {
        if path.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} already exists; journals are never overwritten",
                    path.display()
                ),
            ));
        }
        let j = JsonLines {
            path: path.to_path_buf(),
            entries: vec![first],
        };
        j.save()?;
        Ok(j)
    }

    /// Reads a journal; `what` names the kind in errors (`path:line: not a {what} line`).
    pub fn load(path: &Path, what: &str) -> Result<JsonLines<E>, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut entries = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            entries
                .push(serde_json::from_str(line).map_err(|e| {
                    format!("{}:{}: not a {what} line: {e}", path.display(), i + 1)
                })?);
        }
        Ok(JsonLines {
            path: path.to_path_buf(),
            entries,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn entries(&self) -> &[E] {
        &self.entries
    }

    pub fn record(&mut self, e: E) -> std::io::Result<()> {
        self.entries.push(e);
        self.save()
    }

    fn save(&self) -> std::io::Result<()> {
        let mut text = String::new();
        for e in &self.entries {
            text.push_str(&serde_json::to_string(e).expect("journal entries serialize"));
            text.push('\n');
        }
        write_private(&self.path, &text)
    }
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
}
