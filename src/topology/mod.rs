//! The topology file: its model, how it is loaded (with a position for every node), the
//! semantic checks that make it valid, and the operational lint rules.

pub mod backtrack;
pub mod filter;
pub mod finding;
pub mod lint;
pub mod load;
pub mod model;
pub mod position;
pub mod secret;
pub mod validate;

pub use finding::{Finding, Severity};
pub use load::{load_file, load_str, LoadedTopology, TopologyError};
pub use model::*;
