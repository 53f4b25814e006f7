use super::output::Printer;
use super::runbook_args::DrillArgs;
use crate::exit::ExitCode;
pub fn run(_a: &DrillArgs, _p: &Printer) -> anyhow::Result<ExitCode> {
    unimplemented!()
}
