//! `completions SHELL`: generated from the clap definition, so they never drift from it
//! (a test compares them with the committed copies under `completions/`).

use clap::CommandFactory;
use clap_complete::Shell;

use super::args::{Cli, CompletionsArgs};
use super::output::Printer;
use crate::exit::ExitCode;

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kafka-failover", &mut buf);
    String::from_utf8(buf).expect("clap_complete writes UTF-8")
}

pub fn run(a: CompletionsArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    p.data(&script(a.shell))?;
    Ok(ExitCode::Ok)
}
