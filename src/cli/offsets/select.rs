//! Which groups a command covers (flags), resolved against the topology by
//! `offsets::topology_groups`.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::cli::offsets_args::GroupSelection;
use crate::cli::output::Printer;
use crate::exit::Failure;
use crate::kafka::{AdminClient, KafkaError};
use crate::offsets::topology_groups::{selected, Selected};
use crate::topology::{filter, Topology};

pub use crate::offsets::topology_groups::{mirror_into, topology_target, translations_for_groups};

pub fn select_groups(
    admin: &AdminClient,
    t: &Topology,
    cluster: &str,
    sel: &GroupSelection,
    p: &Printer,
    timeout: Duration,
) -> anyhow::Result<Vec<Selected>> {
    if sel.is_empty() {
        return Err(Failure::Usage(
            "choose groups: --group, --group-regex, --all-groups or --groups-from-topology".into(),
        )
        .into());
    }
    let mut listing: Option<Result<Vec<String>, KafkaError>> = None;
    let list = |listing: &mut Option<Result<Vec<String>, KafkaError>>| {
        listing
            .get_or_insert_with(|| {
                admin
                    .list_consumer_groups(timeout)
                    .map(|gs| gs.into_iter().map(|g| g.group_id).collect())
            })
            .clone()
    };
    let mut names: Vec<String> = sel.groups.clone();
    if sel.all_groups || sel.group_regex.is_some() {
        let re = match &sel.group_regex {
            Some(pat) => Some(filter::compile(pat).map_err(|e| {
                Failure::Usage(format!(
                    "--group-regex {pat:?} is not a valid regular expression: {e}"
                ))
            })?),
            None => None,
        };
        let all = list(&mut listing).map_err(|e| match e {
            KafkaError::Unsupported { .. } => anyhow::Error::new(Failure::Refused(format!(
                "{e}; name the groups with --group instead"
            ))),
            e => anyhow::Error::new(e).context("cannot list the cluster's consumer groups"),
        })?;
        names.extend(
            all.into_iter()
                .filter(|g| re.as_ref().is_none_or(|r| r.is_match(g))),
        );
    }
    if sel.groups_from_topology {
        for cg in &t.consumer_groups {
            if let Some(n) = &cg.name {
                names.push(n.clone());
            } else if let Some(pat) = &cg.pattern {
                match list(&mut listing) {
                    Ok(all) => {
                        let re = filter::compile(pat)?;
                        names.extend(all.into_iter().filter(|g| re.is_match(g)));
                    }
                    Err(e) => p.note(&format!(
                        "groups matching `{pat}` skipped: cannot list the cluster's groups ({e})"
                    )),
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    if names.is_empty() {
        p.note("no consumer group matched");
    }
    selected(admin, t, cluster, names, timeout)
}
