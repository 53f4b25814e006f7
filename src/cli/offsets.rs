//! `offsets show|reset|rollback`: choose groups and strategies from flags and the
//! topology, gather a snapshot (executor), plan (pure), show the plan, and only with
//! `--execute` (and a confirmation) journal and apply it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use super::offsets_args::*;
use super::offsets_view as view;
use super::output::Printer;
use super::{load_topology, select_clusters};
use crate::exit::{ExitCode, Failure};
use crate::kafka::{AdminClient, ClientSettings};
use crate::offsets::executor::{self, GroupTarget, Scope};
use crate::offsets::journal::{GroupStatus, Journal};
use crate::offsets::{plan, plan_file, ResetPlan, ResetStrategy};
use crate::topology::Topology;

mod select;
use crate::offsets::topology_groups::{Reach, Selected};
use select::{select_groups, topology_target, translations_for_groups};

pub fn run(c: OffsetsCommand, p: &Printer) -> anyhow::Result<ExitCode> {
    match c {
        OffsetsCommand::Show(a) => show(&a, p),
        OffsetsCommand::Reset(a) => reset(&a, p),
        OffsetsCommand::Rollback(a) => rollback(&a, p),
    }
}

/// The cluster's client settings and an admin client.
fn connect(
    t: &Topology,
    cluster: &str,
    c: &super::args::ConnectArgs,
) -> anyhow::Result<(ClientSettings, AdminClient)> {
    select_clusters(t, &[cluster.to_string()])?;
    super::admin_for(t, cluster, c)
}

/// `--topic` flags as a scope, or `None` when none were given.
fn topic_scope(topics: &[TopicArg]) -> Option<Scope> {
    if topics.is_empty() {
        return None;
    }
    Some(Scope::Topics {
        topics: topics
            .iter()
            .filter(|t| t.partitions.is_empty())
            .map(|t| t.topic.clone())
            .collect(),
        partitions: topics
            .iter()
            .flat_map(|t| t.partitions.iter().map(move |p| (t.topic.clone(), *p)))
            .collect(),
    })
}

fn gather_err(e: executor::GatherError) -> anyhow::Error {
    match e {
        executor::GatherError::UnknownTopic(t) => Failure::Usage(format!(
            "--topic {t}: the topic does not exist on the cluster"
        ))
        .into(),
        e => anyhow::Error::new(e),
    }
}

fn show(a: &OffsetsShowArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    let (_, admin) = connect(t, &a.cluster, &a.connect)?;
    let selected = select_groups(&admin, t, &a.cluster, &a.select, p, a.connect.timeout)?;
    let scope = topic_scope(&a.topics);
    let targets: Vec<GroupTarget> = selected
        .iter()
        .map(|s| GroupTarget {
            group: s.group.clone(),
            strategy: ResetStrategy::Latest,
            scope: scope.clone().unwrap_or_else(|| s.default_scope.clone()),
        })
        .collect();
    let g = executor::gather(
        &admin,
        &a.cluster,
        &targets,
        BTreeMap::new(),
        a.connect.timeout,
    )
    .map_err(gather_err)?;
    for n in &g.notes {
        p.note(n);
    }
    let rows = view::show_rows(&g);
    if p.is_table() {
        p.data(&view::render_show(&rows, p))?;
    } else {
        p.structured(&rows)?;
    }
    Ok(ExitCode::Ok)
}

/// The strategy the flags ask for, if any.
fn flag_strategy(
    a: &OffsetsResetArgs,
    t: &Topology,
    now_ms: i64,
) -> anyhow::Result<Option<ResetStrategy>> {
    let ms = |d: Duration| now_ms - d.as_millis() as i64;
    Ok(Some(if a.to_earliest {
        ResetStrategy::Earliest
    } else if a.to_latest {
        ResetStrategy::Latest
    } else if let Some(at_ms) = a.to_datetime {
        ResetStrategy::Timestamp { at_ms }
    } else if let Some(d) = a.by_duration {
        ResetStrategy::Timestamp { at_ms: ms(d) }
    } else if let Some(by) = a.shift_by {
        ResetStrategy::ShiftBy { by }
    } else if let Some(offset) = a.to_offset {
        if offset < 0 {
            return Err(Failure::Usage(format!("--to-offset {offset}: offsets are >= 0")).into());
        }
        ResetStrategy::ToOffset { offset }
    } else if let Some(g) = &a.to_group {
        ResetStrategy::ToGroup { group: g.clone() }
    } else if let Some(source) = &a.translated_from {
        select::mirror_into(t, source, &a.cluster)?;
        ResetStrategy::Translated {
            source: source.clone(),
            fallback_ms: a.fallback_by_duration.map(ms),
        }
    } else {
        return Ok(None);
    }))
}

fn reset(a: &OffsetsResetArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let loaded = load_topology(&a.topology)?;
    let t = &loaded.topology;
    if let Some(j) = &a.resume {
        return resume(a, j, t, p);
    }
    if a.fallback_by_duration.is_some() && a.translated_from.is_none() {
        return Err(Failure::Usage("--fallback-by-duration needs --translated-from".into()).into());
    }
    let (settings, admin) = connect(t, &a.cluster, &a.connect)?;
    let now = executor::now_ms();
    let flag = flag_strategy(a, t, now)?;
    let file = match &a.from_file {
        Some(f) => Some(
            plan_file::read(
                f,
                (a.select.groups.len() == 1).then(|| a.select.groups[0].as_str()),
            )
            .map_err(|e| Failure::Usage(e.to_string()))?,
        ),
        None => None,
    };
    if flag.is_none() && file.is_none() && !a.select.groups_from_topology {
        return Err(Failure::Usage(
            "choose a strategy: --to-earliest, --to-latest, --to-datetime, --by-duration, --shift-by, --to-offset, --from-file, --to-group or --translated-from (or --groups-from-topology)".into(),
        )
        .into());
    }
    let selected: Vec<Selected> = match (&file, a.select.is_empty()) {
        (Some(entries), true) => entries.keys().map(|g| Selected::named(g)).collect(),
        _ => select_groups(&admin, t, &a.cluster, &a.select, p, a.connect.timeout)?,
    };
    let scope = topic_scope(&a.topics);
    let mut targets = Vec::new();
    for s in &selected {
        let (strategy, default_scope) = if let Some(entries) = &file {
            let Some(e) = entries.get(&s.group) else {
                p.note(&format!(
                    "group `{}` is not in the plan file: skipped",
                    s.group
                ));
                continue;
            };
            (
                ResetStrategy::FromFile {
                    entries: e.clone(),
                    force: a.force,
                },
                Scope::Partitions(e.keys().cloned().collect()),
            )
        } else if let Some(st) = &flag {
            (st.clone(), s.default_scope.clone())
        } else {
            match topology_target(t, &a.cluster, s, now, &p.sayer())? {
                Some(x) => x,
                None => continue,
            }
        };
        targets.push(GroupTarget {
            group: s.group.clone(),
            strategy,
            scope: scope.clone().unwrap_or(default_scope),
        });
    }
    let reach = Reach {
        overrides: &a.connect.client_properties,
        timeout: a.connect.timeout,
        gone: None,
    };
    let translations =
        translations_for_groups(t, &a.cluster, &settings, &mut targets, &reach, &p.sayer())?;
    let mut g = executor::gather(
        &admin,
        &a.cluster,
        &targets,
        translations,
        a.connect.timeout,
    )
    .map_err(gather_err)?;
    if let Some(wait) = a.wait_empty {
        let live: Vec<String> = g
            .snapshot
            .groups
            .values()
            .filter(|s| s.has_live_members())
            .map(|s| s.group.clone())
            .collect();
        if !live.is_empty() {
            p.note(&format!(
                "waiting up to {} for {} group(s) to empty",
                humantime::format_duration(wait),
                live.len()
            ));
            executor::wait_until_empty(&admin, &live, wait, a.connect.timeout)
                .map_err(anyhow::Error::new)?;
            g = executor::gather(
                &admin,
                &a.cluster,
                &targets,
                g.snapshot.translations,
                a.connect.timeout,
            )
            .map_err(gather_err)?;
        }
    }
    for n in &g.notes {
        p.note(n);
    }
    let plan = plan(&g.snapshot, &g.requests);
    if let Some(path) = &a.export {
        plan_file::export(&plan, path).with_context(|| "--export")?;
        p.note(&format!("plan written to {}", path.display()));
    }
    let journal = match &a.journal {
        Some(j) => j.clone(),
        None => crate::offsets::journal::default_path(&a.journal_dir, "reset", &a.cluster, now),
    };
    let journal = std::path::absolute(&journal).unwrap_or(journal);
    finish(
        p,
        &admin,
        &plan,
        Run {
            command: "offsets reset",
            execute: a.execute,
            yes: a.yes,
            journal: Existing::New {
                path: journal,
                topology: Some(a.topology.clone()),
                undoes: None,
            },
            timeout: a.connect.timeout,
        },
    )
}

/// Where results go: a new journal, or the one being resumed.
enum Existing {
    New {
        path: PathBuf,
        topology: Option<PathBuf>,
        undoes: Option<PathBuf>,
    },
    Resume(Journal),
}

struct Run {
    command: &'static str,
    execute: bool,
    yes: bool,
    journal: Existing,
    timeout: Duration,
}

/// Shows the plan; with `--execute`, confirms, journals and applies it.
fn finish(
    p: &Printer,
    admin: &AdminClient,
    plan: &ResetPlan,
    run: Run,
) -> anyhow::Result<ExitCode> {
    let totals = plan.totals();
    if !run.execute || p.is_table() {
        if p.is_table() {
            p.data(&view::render_plan(plan, p))?;
        } else {
            p.structured(plan)?;
        }
    }
    let refused: Vec<&crate::offsets::GroupPlan> =
        plan.groups.iter().filter(|g| g.refused.is_some()).collect();
    if !run.execute {
        if !refused.is_empty() {
            p.note(&format!(
                "{} group(s) would be refused; nothing can be applied until they are resolved",
                refused.len()
            ));
            return Ok(ExitCode::Problems);
        }
        if !plan.is_noop() {
            p.note("plan only: nothing was changed; add --execute to apply it");
        }
        return Ok(ExitCode::Ok);
    }
    if !refused.is_empty() {
        let names: Vec<String> = refused
            .iter()
            .map(|g| format!("{} ({})", g.group, g.refused.as_deref().unwrap_or_default()))
            .collect();
        return Err(Failure::Refused(format!(
            "refusing to apply: {}; nothing was changed",
            names.join("; ")
        ))
        .into());
    }
    if plan.is_noop() {
        p.note("every group is already at its target: nothing to write");
        if !p.is_table() {
            p.structured(&serde_json::json!({ "plan": plan, "result": view::noop_report(plan) }))?;
        }
        return Ok(ExitCode::Ok);
    }
    super::output::confirm(
        p,
        run.yes,
        &format!(
            "Apply: {} partition(s) of {} group(s) on cluster `{}`?",
            totals.to_set,
            plan.groups
                .iter()
                .filter(|g| !g.writes().is_empty())
                .count(),
            plan.cluster
        ),
    )?;
    // From here Ctrl-C stops between chunks (journaled), not mid-write.
    let stop = super::interrupt_flag();
    let mut journal = match run.journal {
        Existing::New {
            path,
            topology,
            undoes,
        } => Journal::create(
            &path,
            run.command,
            plan,
            undoes.as_deref(),
            topology.as_deref(),
        )
        .with_context(|| "cannot write the journal; nothing was changed")?,
        Existing::Resume(j) => j,
    };
    p.note(&format!("journal: {}", journal.path().display()));
    let bar = view::progress(p, "groups");
    let report = crate::offsets::apply::apply(
        admin,
        plan,
        &mut journal,
        &crate::offsets::apply::ApplyOptions {
            timeout: run.timeout,
            progress: &|done, total| view::tick(&bar, done, total),
            interrupted: stop,
        },
    )
    .with_context(|| format!("journal {}", journal.path().display()))?;
    bar.finish_and_clear();
    if p.is_table() {
        p.data(&view::render_report(&report, p))?;
    } else {
        p.structured(&serde_json::json!({ "plan": plan, "result": report }))?;
    }
    let journal_path = journal.path().display().to_string();
    if report.interrupted {
        p.note(&format!(
            "interrupted: resume with `offsets reset --resume {journal_path}` or undo with `offsets rollback {journal_path}`"
        ));
        return Err(Failure::Interrupted.into());
    }
    if !report.all_done()
        && report.count(GroupStatus::Applied) == 0
        && report.count(GroupStatus::Failed) == 0
    {
        let names: Vec<&str> = report.groups.iter().map(|g| g.group.as_str()).collect();
        return Err(Failure::Refused(format!(
            "the cluster refused every group ({}): live members; nothing was changed",
            names.join(", ")
        ))
        .into());
    }
    if !report.all_done() {
        return Err(Failure::Partial(format!(
            "{} group(s) applied, {} refused, {} failed; journal {journal_path} (resume with --resume, undo with `offsets rollback`)",
            report.count(GroupStatus::Applied),
            report.count(GroupStatus::Refused),
            report.count(GroupStatus::Failed),
        ))
        .into());
    }
    Ok(ExitCode::Ok)
}

fn load_journal(path: &Path) -> anyhow::Result<Journal> {
    Journal::load(path).map_err(|e| Failure::Usage(e.to_string()).into())
}

fn resume(
    a: &OffsetsResetArgs,
    path: &Path,
    t: &Topology,
    p: &Printer,
) -> anyhow::Result<ExitCode> {
    let j = load_journal(path)?;
    if j.cluster() != a.cluster {
        return Err(Failure::Usage(format!(
            "--resume {}: the journal is for cluster `{}`, not `{}`",
            path.display(),
            j.cluster(),
            a.cluster
        ))
        .into());
    }
    let (_, admin) = connect(t, &a.cluster, &a.connect)?;
    let plan = executor::plan_from_journal(&admin, &j, "resume", false, a.force, a.connect.timeout)
        .map_err(gather_err)?;
    finish(
        p,
        &admin,
        &plan,
        Run {
            command: "offsets reset",
            execute: a.execute,
            yes: a.yes,
            journal: Existing::Resume(j),
            timeout: a.connect.timeout,
        },
    )
}

fn rollback(a: &OffsetsRollbackArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let j = load_journal(&a.journal)?;
    let topo = match (&a.topology, j.topology()) {
        (Some(t), _) => t.clone(),
        (None, Some(t)) => PathBuf::from(t),
        (None, None) => {
            return Err(Failure::Usage(
                "the journal names no topology file: pass --topology".into(),
            )
            .into())
        }
    };
    let loaded = load_topology(&topo)?;
    let t = &loaded.topology;
    let (_, admin) = connect(t, j.cluster(), &a.connect)?;
    let plan =
        executor::plan_from_journal(&admin, &j, "rollback", true, a.force, a.connect.timeout)
            .map_err(gather_err)?;
    let path = crate::offsets::journal::default_path(
        &a.journal_dir,
        "rollback",
        j.cluster(),
        executor::now_ms(),
    );
    let path = std::path::absolute(&path).unwrap_or(path);
    finish(
        p,
        &admin,
        &plan,
        Run {
            command: "offsets rollback",
            execute: a.execute,
            yes: a.yes,
            journal: Existing::New {
                path,
                topology: Some(topo),
                undoes: Some(a.journal.clone()),
            },
            timeout: a.connect.timeout,
        },
    )
}
