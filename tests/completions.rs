//! The completion scripts under completions/ are generated from the clap definition; this
//! fails when they are stale. Regenerate with `scripts/gen-completions`.

mod common;

use common::{kf, root};

#[test]
fn committed_completions_match_the_cli() {
    let files = [
        ("bash", "kafka-failover.bash"),
        ("zsh", "_kafka-failover"),
        ("fish", "kafka-failover.fish"),
        ("powershell", "_kafka-failover.ps1"),
        ("elvish", "kafka-failover.elv"),
    ];
    let mut stale = Vec::new();
    for (shell, file) in files {
        let out = kf().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let committed = std::fs::read(root(&format!("completions/{file}"))).unwrap_or_default();
        if committed != out.stdout {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions {stale:?}: run scripts/gen-completions and commit the result"
    );
}
