//! Exit codes, and the one place that maps an outcome or error to one.
//!
//! | code | meaning |
//! |------|---------|
//! | 0    | ok |
//! | 1    | a check found problems, or a precondition refused the action |
//! | 2    | usage error or invalid topology |
//! | 3    | an action was partially applied |
//! | 4    | not confirmed |
//! | 130  | interrupted |

use crate::topology::TopologyError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    Ok = 0,
    Problems = 1,
    Usage = 2,
    Partial = 3,
    NotConfirmed = 4,
    Interrupted = 130,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Errors whose exit code callers and scripts rely on. Anything else that reaches the top
/// is an operational failure (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad flags or arguments that clap could not catch.
    #[error("{0}")]
    Usage(String),
    /// The topology file cannot be used.
    #[error(transparent)]
    InvalidTopology(#[from] TopologyError),
    /// A precondition refused the action; nothing was changed.
    #[error("{0}")]
    Refused(String),
    /// Some changes were applied, some not.
    #[error("{0}")]
    Partial(String),
    /// The operator did not confirm, or could not be asked.
    #[error("{0}")]
    NotConfirmed(String),
    /// Ctrl-C or SIGTERM.
    #[error("interrupted")]
    Interrupted,
    /// A command whose issue has not landed yet.
    #[error("`{command}` is not available yet in this build ({what}); nothing was done")]
    NotYet {
        command: &'static str,
        what: &'static str,
    },
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) | Failure::InvalidTopology(_) | Failure::NotYet { .. } => {
                ExitCode::Usage
            }
            Failure::Refused(_) => ExitCode::Problems,
            Failure::Partial(_) => ExitCode::Partial,
            Failure::NotConfirmed(_) => ExitCode::NotConfirmed,
            Failure::Interrupted => ExitCode::Interrupted,
        }
    }
}

/// The exit code for an error that reached `main`.
pub fn exit_code_for(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            return f.exit_code();
        }
        if cause.downcast_ref::<TopologyError>().is_some() {
            return ExitCode::Usage;
        }
        // A secret file that is a directory or open to others is bad input, like the
        // topology that names it (validation refuses it too, rule `secret-file`).
        if cause
            .downcast_ref::<crate::kafka::SecretError>()
            .is_some_and(|e| e.is_bad_input())
        {
            return ExitCode::Usage;
        }
    }
    ExitCode::Problems
}

/// True when the error is only a closed stdout (`| head`): the program ends quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        assert_eq!(ExitCode::Problems.code(), 1);
        assert_eq!(ExitCode::Interrupted.code(), 130);
        let e = anyhow::Error::new(Failure::NotConfirmed("x".into())).context("outer");
        assert_eq!(exit_code_for(&e), ExitCode::NotConfirmed);
        let e = anyhow::Error::new(crate::kafka::SecretError::FileTooOpen {
            cluster: "east".into(),
            key: "k".into(),
            path: "/etc/passwd".into(),
            mode: 0o644,
        })
        .context("cluster `east`");
        assert_eq!(exit_code_for(&e), ExitCode::Usage);
        let e = anyhow::anyhow!("plain");
        assert_eq!(exit_code_for(&e), ExitCode::Problems);
        let e = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&e));
    }
}
