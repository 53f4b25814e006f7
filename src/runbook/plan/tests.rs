use super::*;
use crate::topology::load_str;

fn example(name: &str) -> Topology {
    let path = format!("{}/topologies/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    load_str(&path, &text).unwrap().topology
}

fn req(runbook: Runbook, dc: &str) -> RunRequest {
    RunRequest {
        runbook,
        dc: dc.into(),
        planned: false,
        switch: false,
        extra_groups: Vec::new(),
    }
}

fn ids(p: &RunPlan) -> Vec<&str> {
    p.steps.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn active_passive_disaster_moves_single_active_groups_to_the_standby() {
    let t = example("active-passive");
    let p = plan(&t, &req(Runbook::Failover, "dc-east"), 0).unwrap();
    assert_eq!(p.lock_cluster, "west");
    assert_eq!(
        ids(&p),
        [
            "hook-before-failover",
            "preflight",
            "mirror-state",
            "hook-stop-consumers",
            "stop-mirror",
            "move-groups",
            "switch-roles",
            "hook-start-consumers",
            "hook-start-producers",
            "hook-after-failover"
        ]
    );
    let StepKind::MoveGroups { moves, how } = &p.steps[5].kind else {
        panic!("{:?}", p.steps[5]);
    };
    assert_eq!(*how, MoveHow::Topology);
    let names: Vec<(&str, bool, &str)> = moves
        .iter()
        .map(|m| (m.group.as_str(), m.pattern, m.strategy.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("payments-ledger", false, "translated"),
            ("payments-notify-.*", true, "timestamp"),
            ("refund-worker", false, "translated"),
            ("payments-dashboard", false, "latest")
        ]
    );
    assert!(moves.iter().all(|m| m.from == "east" && m.to == "west"));
}

#[test]
fn planned_switchover_drains_before_moving_exactly() {
    let t = example("active-passive");
    let mut r = req(Runbook::Failover, "dc-east");
    r.planned = true;
    let p = plan(&t, &r, 0).unwrap();
    let i = |id: &str| ids(&p).iter().position(|x| *x == id).unwrap();
    assert!(i("hook-stop-producers") < i("wait-mirror-drained"));
    assert!(i("wait-mirror-drained") < i("wait-groups-caught-up"));
    assert!(i("wait-groups-caught-up") < i("hook-stop-consumers"));
    assert!(i("hook-stop-consumers") < i("move-groups"));
    assert!(matches!(
        p.steps[i("move-groups")].kind,
        StepKind::MoveGroups {
            how: MoveHow::Drained,
            ..
        }
    ));
}

#[test]
fn losing_the_standby_dc_is_not_a_failover() {
    let t = example("active-passive");
    let e = plan(&t, &req(Runbook::Failover, "dc-west"), 0).unwrap_err();
    assert!(e.to_string().contains("losing the standby"), "{e}");
    let e = plan(&t, &req(Runbook::Failover, "dc-moon"), 0).unwrap_err();
    assert!(e.to_string().contains("dc-east, dc-west"), "{e}");
}

#[test]
fn failback_reverses_first_and_switches_only_when_asked() {
    let t = example("active-passive");
    let p = plan(&t, &req(Runbook::Failback, "dc-east"), 0).unwrap();
    assert_eq!(
        ids(&p),
        ["hook-before-failback", "preflight", "reverse-mirror"]
    );
    assert!(p.notes.iter().any(|n| n.contains("--switch")));
    let mut r = req(Runbook::Failback, "dc-east");
    r.switch = true;
    let p = plan(&t, &r, 0).unwrap();
    assert_eq!(p.lock_cluster, "east");
    let tail: Vec<&str> = ids(&p)[3..].to_vec();
    assert_eq!(
        tail,
        [
            "hook-stop-producers",
            "wait-mirror-drained",
            "wait-groups-caught-up",
            "hook-stop-consumers",
            "move-groups",
            "restore-mirror",
            "switch-roles",
            "hook-start-consumers",
            "hook-start-producers",
            "hook-after-failback"
        ]
    );
    let StepKind::MoveGroups { moves, .. } = &p.steps[7].kind else {
        panic!()
    };
    assert!(moves.iter().all(|m| m.from == "west" && m.to == "east"));
}

#[test]
fn stretched_keeps_offsets_and_failback_waits_for_isr() {
    let t = example("stretched");
    let p = plan(&t, &req(Runbook::Failover, "zone-a"), 0).unwrap();
    assert!(ids(&p).contains(&"placement-what-if"));
    assert!(!ids(&p).iter().any(|s| s.starts_with("move")));
    let p = plan(&t, &req(Runbook::Failback, "zone-a"), 0).unwrap();
    assert!(ids(&p).contains(&"wait-in-sync"));
}

#[test]
fn active_active_moves_aggregate_readers_of_the_lost_dc_only() {
    let t = example("active-active");
    let p = plan(&t, &req(Runbook::Failover, "dc-1"), 0).unwrap();
    assert_eq!(p.lock_cluster, "aggregate-2");
    let mv = p
        .steps
        .iter()
        .find_map(|s| match &s.kind {
            StepKind::MoveGroups { moves, .. } => Some(moves.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(mv.len(), 1, "{mv:?}");
    assert_eq!(mv[0].group, "analytics-sessionizer");
    assert_eq!(
        (mv[0].from.as_str(), mv[0].to.as_str()),
        ("aggregate-1", "aggregate-2")
    );
    assert!(ids(&p).contains(&"headroom"));
    // Failback brings it home.
    let p = plan(&t, &req(Runbook::Failback, "dc-1"), 0).unwrap();
    let mv = p
        .steps
        .iter()
        .find_map(|s| match &s.kind {
            StepKind::MoveGroups { moves, .. } => Some(moves.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (mv[0].from.as_str(), mv[0].to.as_str()),
        ("aggregate-2", "aggregate-1")
    );
}

#[test]
fn extra_group_ids_ride_along_and_step_ids_stay_unique() {
    let t = example("active-passive");
    let mut r = req(Runbook::Failover, "dc-east");
    r.extra_groups = vec!["payments-notify-lab-1".into()];
    let p = plan(&t, &r, 0).unwrap();
    let all = ids(&p);
    let mut dedup = all.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(all.len(), dedup.len());
    let StepKind::MoveGroups { moves, .. } = &p.steps[5].kind else {
        panic!()
    };
    assert!(moves
        .iter()
        .any(|m| m.group == "payments-notify-lab-1" && !m.pattern));
}
