//! The drill's verdict: its checks against the topology's targets.

use crate::runbook::execute::RunReport;
use crate::runbook::report::{Check, GroupResult};
use crate::topology::Topology;

#[allow(clippy::too_many_arguments)]
pub(super) fn judge(
    t: &Topology,
    planned: bool,
    fo: &RunReport,
    fb: Option<&RunReport>,
    groups: &[GroupResult],
    rto_ms: u64,
    dup: u64,
    records_lost: u64,
    group_lost: u64,
) -> Vec<Check> {
    let mut checks = vec![
        Check {
            name: "failover".into(),
            passed: fo.ok,
            detail: fo
                .failed
                .clone()
                .unwrap_or_else(|| format!("{} steps in {} ms", fo.steps.len(), fo.ms)),
        },
        Check {
            name: "groups-resumed".into(),
            passed: !groups.is_empty() && groups.iter().all(|g| g.ended_as_expected),
            detail: format!(
                "{} of {} group(s) resumed where the runbook set them",
                groups.iter().filter(|g| g.ended_as_expected).count(),
                groups.len()
            ),
        },
        Check {
            name: "failback".into(),
            passed: fb.is_some_and(|fb| fb.ok),
            detail: match fb {
                Some(fb) => fb
                    .failed
                    .clone()
                    .unwrap_or_else(|| format!("{} steps in {} ms", fb.steps.len(), fb.ms)),
                None => "not run: the failover failed".into(),
            },
        },
    ];
    let targets = t.targets.as_ref();
    if let Some(max) = targets
        .and_then(|x| x.max_rto.as_deref())
        .and_then(|s| humantime::parse_duration(s).ok())
    {
        checks.push(Check {
            name: "max-rto".into(),
            passed: u128::from(rto_ms) <= max.as_millis(),
            detail: format!(
                "failover took {:.1}s (max {})",
                rto_ms as f64 / 1000.0,
                humantime::format_duration(max)
            ),
        });
    }
    if let Some(max) = targets.and_then(|x| x.max_duplicates) {
        checks.push(Check {
            name: "max-duplicates".into(),
            passed: dup <= max,
            detail: format!("{dup} record(s) read twice (max {max})"),
        });
    }
    if planned || targets.and_then(|x| x.zero_loss) == Some(true) {
        checks.push(Check {
            name: "zero-loss".into(),
            passed: records_lost == 0 && group_lost == 0,
            detail: format!(
                "{records_lost} record(s) never mirrored, {group_lost} never read by their group"
            ),
        });
    }
    if planned {
        checks.push(Check {
            name: "zero-duplicates".into(),
            passed: dup == 0,
            detail: format!("a planned switchover reads nothing twice: {dup} read twice"),
        });
    }
    checks
}
