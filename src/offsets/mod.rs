//! Consumer-group offsets. So far: MirrorMaker 2's checkpoint and offset-sync records
//! (`mm2_records`), which translated resets read.

pub mod mm2_records;
