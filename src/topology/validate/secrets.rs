//! Secret references (rules `inline-secret`, `bad-secret-ref`, `secret-file`).
//!
//! A `{file: PATH}` secret is checked where it exists: a directory, or a file that group
//! or others may read or write, is refused here and again when the secret is read
//! (`kafka::access`), with the same wording. A missing file is fine at validate time: CI
//! validates topologies on machines that do not hold the secrets. Relative paths resolve
//! against the current directory, as when the tool reads them.

use std::path::Path;

use super::Validator;
use crate::topology::position::NodePath;
use crate::topology::secret::SecretRef;

/// Why an existing secret file cannot be used: `None` when it can (or does not exist).
pub(crate) fn secret_file_problem(path: &Path) -> Option<(String, String)> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    let shown = path.display();
    if meta.is_dir() {
        return Some((
            format!("the secret file {shown} is a directory"),
            "give the path of the file that holds the secret".into(),
        ));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return None;
    }
    let how = match (mode & 0o044 != 0, mode & 0o022 != 0) {
        (true, true) => "readable and writable",
        (true, false) => "readable",
        _ => "writable",
    };
    Some((
        format!("the secret file {shown} is {how} by group or others (mode {mode:o}); run `chmod 600 {shown}`"),
        "a secret file is for its owner only: mode 600 (or 400)".into(),
    ))
}

impl Validator<'_> {
    pub(super) fn secret(&mut self, path: NodePath, what: &str, s: &SecretRef) {
        match s {
            SecretRef::Inline => {
                self.err_at_value(
                    path,
                    "inline-secret",
                    format!("the secret `{what}` is written inline; its value must come from the environment or a file"),
                )
                .hint = Some(format!("write `{what}: {{env: VARIABLE}}` or `{what}: {{file: PATH}}`"));
            }
            SecretRef::Env(v) if v.contains('=') => {
                // `NAME=value`: the part after `=` may be the secret itself; never echo it.
                let name = v.split('=').next().unwrap_or("");
                self.err_at_value(
                    path.join("env"),
                    "bad-secret-ref",
                    format!("`{name}=…` is an assignment, not an environment variable name (the value is not shown)"),
                )
                .hint = Some(format!("write `{{env: {name}}}` and set the variable where the tool runs"));
            }
            SecretRef::Env(v) if v.is_empty() || v.contains('\0') => {
                self.err_at_value(
                    path.join("env"),
                    "bad-secret-ref",
                    format!("{v:?} is not an environment variable name"),
                );
            }
            SecretRef::File(p) if p.is_empty() => {
                self.err_at_value(
                    path.join("file"),
                    "bad-secret-ref",
                    "the secret file path is empty".into(),
                );
            }
            SecretRef::File(p) => {
                if let Some((msg, hint)) = secret_file_problem(Path::new(p)) {
                    self.err_at_value(path.join("file"), "secret-file", msg)
                        .hint = Some(hint);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn directories_and_open_modes_are_refused_missing_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let (msg, _) = secret_file_problem(dir.path()).unwrap();
        assert!(msg.ends_with("is a directory"), "{msg}");
        let f = dir.path().join("pw");
        std::fs::write(&f, "x").unwrap();
        for (mode, word) in [
            (0o644, "readable by"),
            (0o620, "writable by"),
            (0o666, "readable and writable by"),
            (0o604, "readable by"),
        ] {
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(mode)).unwrap();
            let (msg, _) = secret_file_problem(&f).unwrap();
            assert!(msg.contains(word), "{mode:o}: {msg}");
            assert!(
                msg.contains(&format!("(mode {mode:o}); run `chmod 600")),
                "{msg}"
            );
        }
        for mode in [0o600, 0o400] {
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(secret_file_problem(&f), None);
        }
        assert_eq!(secret_file_problem(&dir.path().join("missing")), None);
    }
}
