//! Group steps: wait until groups have read everything, and move groups to another
//! cluster through the offsets engine (plan, refuse live groups, journal, apply).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use anyhow::Context;
use serde_json::json;

use super::admin;
use crate::kafka::{AdminClient, KafkaError};
use crate::offsets::apply::{apply, ApplyOptions};
use crate::offsets::executor::{self, GroupTarget, Scope};
use crate::offsets::journal::{GroupStatus, Journal};
use crate::offsets::topology_groups::{
    selected, topology_target, translations_for_groups, Selected,
};
use crate::offsets::{plan as plan_offsets, ResetPlan, ResetStrategy, Tp};
use crate::runbook::execute::{Outcome, RunEnv, StepFailure};
use crate::runbook::journal::{Artifact, RunEntry, RunJournal};
use crate::runbook::plan::{GroupMove, MoveHow, RunPlan};
use crate::topology::filter;

/// The group ids `moves` cover: named ones, and those matching a pattern among the
/// groups `from` or `to` list (where they can list groups).
/// The target cluster's groups, or `None` when it cannot list groups at all (librdkafka's
/// mock). A listing that fails otherwise (a broker just went away) is asked again until
/// the run's wait runs out: moving "the groups matching a pattern" from a partial or
/// failed listing would silently leave groups behind.
fn list_target(env: &RunEnv<'_>, to_admin: &AdminClient) -> anyhow::Result<Option<Vec<String>>> {
    super::wait_for(
        env,
        "the target cluster to list its groups",
        Duration::from_secs(1),
        || match to_admin.list_consumer_groups(env.reach.timeout) {
            Ok(gs) => Ok(Some(gs.into_iter().map(|g| g.group_id).collect())),
            Err(KafkaError::Unsupported { .. }) => Ok(None),
            Err(e) => Err(e.to_string()),
        },
    )
}

fn expand(
    env: &RunEnv<'_>,
    moves: &[GroupMove],
    to_admin: &AdminClient,
) -> anyhow::Result<Vec<String>> {
    let mut names: Vec<String> = moves
        .iter()
        .filter(|m| !m.pattern)
        .map(|m| m.group.clone())
        .collect();
    let patterns: Vec<&GroupMove> = moves.iter().filter(|m| m.pattern).collect();
    if !patterns.is_empty() {
        let quick = Duration::from_secs(3).min(env.reach.timeout);
        let mut listed: BTreeSet<String> = BTreeSet::new();
        let mut answered = false;
        if let Some(gs) = list_target(env, to_admin)? {
            answered = true;
            listed.extend(gs);
        }
        // The lost side, once found gone in this run, is not waited on again.
        let from = patterns
            .first()
            .map(|m| m.from.clone())
            .filter(|f| !env.reach.is_gone(f));
        if let Some(from) = from {
            if let Ok((_, a)) = admin(env, &from, Some(quick)) {
                if let Ok(gs) = a.list_consumer_groups(quick) {
                    answered = true;
                    listed.extend(gs.into_iter().map(|g| g.group_id));
                }
            }
        }
        for m in patterns {
            let Ok(re) = filter::compile(&m.group) else {
                continue;
            };
            let found: Vec<String> = listed.iter().filter(|g| re.is_match(g)).cloned().collect();
            // Ids named with --group ride as plain names.
            let named = names.iter().any(|g| re.is_match(g));
            if found.is_empty() && !named {
                env.note(&format!(
                    "groups matching `{}`: {}",
                    m.group,
                    if answered {
                        "none found on either cluster"
                    } else {
                        "neither cluster can list groups; name the ids with --group"
                    }
                ));
            }
            names.extend(found);
        }
    }
    let mut seen = BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    Ok(names)
}

/// Adds to each group's scope its topics as the reverse of a mirror `to -> from` names
/// them on `to` (failback: `west.payments` on the returning `east`).
fn add_reverse_topics(
    env: &RunEnv<'_>,
    sel: &mut [Selected],
    from: &str,
    to: &str,
    existing: &BTreeSet<String>,
) {
    let t = env.topology;
    for m in t
        .mirrors
        .values()
        .filter(|m| m.source == to && m.target == from)
    {
        let r = crate::mirror::reverse::reversed(t, m);
        for s in sel.iter_mut() {
            let Some(spec) = &s.spec else { continue };
            let extra: Vec<String> = spec
                .topics
                .iter()
                .map(|tp| r.remote_topic(tp))
                .filter(|n| existing.contains(n))
                .collect();
            if let Scope::Topics { topics, .. } = &mut s.default_scope {
                for e in extra {
                    if !topics.contains(&e) {
                        topics.push(e);
                    }
                }
            }
        }
    }
}

/// Targets for the groups moving into `to`.
fn targets_for(
    env: &RunEnv<'_>,
    plan: &RunPlan,
    sel: &[Selected],
    to: &str,
    how: &MoveHow,
) -> anyhow::Result<Vec<GroupTarget>> {
    let mut out = Vec::new();
    for s in sel {
        let (strategy, scope) = match how {
            MoveHow::Drained => (ResetStrategy::Latest, s.default_scope.clone()),
            MoveHow::Topology => match topology_target(env.topology, to, s, plan.at_ms, env.say)? {
                Some(x) => x,
                None => continue,
            },
        };
        out.push(GroupTarget {
            group: s.group.clone(),
            strategy,
            scope,
        });
    }
    Ok(out)
}

pub fn move_groups(
    env: &RunEnv<'_>,
    plan: &RunPlan,
    step_id: &str,
    moves: &[GroupMove],
    how: &MoveHow,
    journal: &mut RunJournal,
) -> Result<Outcome, StepFailure> {
    if moves.is_empty() {
        return Ok(Outcome::skipped("no group moves"));
    }
    let mut by_to: BTreeMap<(String, String), Vec<GroupMove>> = BTreeMap::new();
    for m in moves {
        by_to
            .entry((m.from.clone(), m.to.clone()))
            .or_default()
            .push(m.clone());
    }
    let mut artifacts = Vec::new();
    let mut parts = Vec::new();
    let mut data = Vec::new();
    let earlier = journal.artifacts_of(step_id);
    for ((from, to), ms) in by_to {
        let (settings, a) = admin(env, &to, None)?;
        // A resumed step continues its own offsets journal: exactly the targets it
        // planned, whatever the logs did since.
        let named = earlier.iter().find_map(|x| match x {
            Artifact::Offsets { path, cluster } if *cluster == to => Some(path.clone()),
            _ => None,
        });
        // Named in the run journal but never created: the run died in between, before
        // writing anything; plan afresh under the same name.
        let resumed = named.clone().filter(|p| p.exists());
        let (rplan, mut oj) = match resumed {
            Some(path) => {
                let j = Journal::load(&path).map_err(|e| anyhow::anyhow!("{e}"))?;
                let p =
                    executor::plan_from_journal(&a, &j, "resume", false, false, env.reach.timeout)
                        .map_err(anyhow::Error::new)?;
                artifacts.push(Artifact::Offsets {
                    path,
                    cluster: to.clone(),
                });
                (p, j)
            }
            None => {
                let rplan = plan_move(env, plan, &a, &settings, &ms, &from, &to, how)?;
                if let Some(refused) = refusals(&rplan) {
                    return Err(anyhow::anyhow!(
                        "refusing to move groups to `{to}`: {refused}; nothing was changed there"
                    )
                    .into());
                }
                let path = env.run_dir.join(format!(
                    "offsets-{}-{}.jsonl",
                    crate::fsutil::safe_name(&to),
                    crate::fsutil::safe_name(step_id)
                ));
                let artifact = Artifact::Offsets {
                    path: path.clone(),
                    cluster: to.clone(),
                };
                if named.is_none() {
                    journal
                        .record(RunEntry::Wrote {
                            id: step_id.into(),
                            artifact: artifact.clone(),
                        })
                        .map_err(|e| anyhow::anyhow!("cannot write the run journal: {e}"))?;
                }
                let j = Journal::create(
                    &path,
                    &format!("{} {step_id}", plan.request.runbook.as_str()),
                    &rplan,
                    None,
                    Some(&env.topology_path),
                )
                .map_err(|e| anyhow::anyhow!("{e}"))?;
                artifacts.push(artifact);
                (rplan, j)
            }
        };
        let report = apply(
            &a,
            &rplan,
            &mut oj,
            &ApplyOptions {
                timeout: env.reach.timeout,
                progress: &|_, _| {},
                interrupted: env.interrupted,
            },
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        if report.interrupted {
            return Err(StepFailure {
                error: anyhow::anyhow!(
                    "interrupted: {} group(s) applied so far",
                    report.count(GroupStatus::Applied)
                ),
                artifacts,
                interrupted: true,
            });
        }
        if !report.all_done() {
            return Err(StepFailure {
                error: anyhow::anyhow!(
                    "on `{to}`: {} applied, {} refused (live members), {} failed",
                    report.count(GroupStatus::Applied),
                    report.count(GroupStatus::Refused),
                    report.count(GroupStatus::Failed)
                ),
                artifacts,
                interrupted: false,
            });
        }
        let totals = rplan.totals();
        parts.push(format!(
            "{} group(s) to `{to}`: {} partition(s) set, {} already there",
            rplan.groups.len(),
            totals.to_set,
            totals.already_at_target
        ));
        for g in &rplan.groups {
            data.push(json!({
                "group": g.group,
                "from": from,
                "to": to,
                "strategy": g.strategy,
                "partitions": g.partitions.iter().map(|p| json!({
                    "topic": p.topic, "partition": p.partition,
                    "before": p.current, "after": p.target,
                    "reason": p.reason,
                })).collect::<Vec<_>>(),
            }));
        }
    }
    Ok(Outcome::done(parts.join("; "))
        .with_data(json!(data))
        .with_artifacts(artifacts))
}

/// Refused groups, named with why.
fn refusals(p: &ResetPlan) -> Option<String> {
    let r: Vec<String> = p
        .groups
        .iter()
        .filter_map(|g| g.refused.as_ref().map(|why| format!("{} ({why})", g.group)))
        .collect();
    (!r.is_empty()).then(|| r.join("; "))
}

#[allow(clippy::too_many_arguments)]
fn plan_move(
    env: &RunEnv<'_>,
    plan: &RunPlan,
    a: &AdminClient,
    settings: &crate::kafka::ClientSettings,
    moves: &[GroupMove],
    from: &str,
    to: &str,
    how: &MoveHow,
) -> anyhow::Result<ResetPlan> {
    let names = expand(env, moves, a)?;
    let mut sel = selected(a, env.topology, to, names, env.reach.timeout)?;
    if matches!(how, MoveHow::Drained) {
        let existing: BTreeSet<String> = a
            .list_topics(env.reach.timeout)
            .context("cannot list topics")?
            .into_iter()
            .collect();
        add_reverse_topics(env, &mut sel, from, to, &existing);
    }
    let mut targets = targets_for(env, plan, &sel, to, how)?;
    let translations = translations_for_groups(
        env.topology,
        to,
        settings,
        &mut targets,
        &env.reach,
        env.say,
    )?;
    let g = executor::gather(a, to, &targets, translations, env.reach.timeout)
        .map_err(anyhow::Error::new)?;
    for n in &g.notes {
        (env.say)(1, n);
    }
    Ok(plan_offsets(&g.snapshot, &g.requests))
}

/// Waits until every group has committed the log end of each partition it reads on
/// `cluster` (or the partition is empty).
pub fn wait_caught_up(
    env: &RunEnv<'_>,
    cluster: &str,
    moves: &[GroupMove],
) -> anyhow::Result<Outcome> {
    let (_, a) = admin(env, cluster, None)?;
    let names = expand(env, moves, &a)?;
    if names.is_empty() {
        return Ok(Outcome::skipped("no groups to wait for"));
    }
    let sel = selected(&a, env.topology, cluster, names, env.reach.timeout)?;
    let targets = super::position_targets(&sel);
    let n = super::wait_for(
        env,
        &format!("the groups to read everything on `{cluster}`"),
        Duration::from_millis(300),
        || {
            let g = executor::gather(&a, cluster, &targets, BTreeMap::new(), env.reach.timeout)
                .map_err(|e| e.to_string())?;
            let mut behind: Vec<String> = Vec::new();
            let mut partitions = 0;
            for (group, gs) in &g.snapshot.groups {
                let mut lag = 0i64;
                for (tp, committed) in &gs.committed {
                    partitions += 1;
                    let Some(b) = g.snapshot.bounds.get::<Tp>(tp) else {
                        continue;
                    };
                    let at = committed.unwrap_or(b.log_start);
                    lag += (b.log_end - at).max(0);
                }
                if lag > 0 {
                    behind.push(format!("{group} lag {lag}"));
                }
            }
            if behind.is_empty() {
                Ok(partitions)
            } else {
                Err(behind.join(", "))
            }
        },
    )?;
    Ok(Outcome::done(format!(
        "{} group(s) have read everything on `{cluster}` ({n} partition(s))",
        sel.len()
    )))
}
