//! Runbooks: `failover`, `failback`, `ready` and `drill`, composed from the steps the
//! other modules provide (placement what-if, offsets plans and apply, mirror steps).
//! Planning is pure (`plan`), only `execute` touches a cluster; a run is journaled
//! (`journal`), guarded by a lock on the surviving cluster (`lock`), and may call the
//! topology's hooks (`hooks`). `drill` runs failover then failback on the embedded lab
//! and measures it (`report`).

pub mod hooks;
pub mod lock;
pub mod report;
