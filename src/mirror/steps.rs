//! Mirror changes as data: each step of `mirror pause|resume|reverse` is printed in the
//! plan, journaled before and after it runs (with what undoes it), and undone in reverse
//! order by `mirror rollback JOURNAL`. The journal holds mirror specs (secret
//! references, never values), so a rollback needs nothing but the journal.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::mm2_config::ConnectorConfig;
use super::mm2_properties::{FlowEdit, Mm2PropertiesFileDriver};
use super::offsets::ConnectorOffsets;
use super::status::ConnectorState;
use super::{driver_for, DriverOptions, InitialState, MirrorDriver, MirrorError};
use crate::topology::{Mirror, MirrorDriverSpec};

/// A mirror (flow) a step acts on: its name and spec, as the plan saw them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlowRef {
    pub name: String,
    pub mirror: Mirror,
}

impl FlowRef {
    pub fn driver(&self, opts: &DriverOptions) -> Result<Box<dyn MirrorDriver>, MirrorError> {
        driver_for(&self.name, &self.mirror, opts)
    }
    fn label(&self) -> String {
        format!(
            "`{}` ({} -> {})",
            self.name, self.mirror.source, self.mirror.target
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum MirrorStep {
    Pause {
        flow: FlowRef,
    },
    Resume {
        flow: FlowRef,
    },
    /// Connect's STOPPED (KIP-875), or a disabled flow in dedicated mode.
    Stop {
        flow: FlowRef,
    },
    WaitFor {
        flow: FlowRef,
        state: String,
        timeout_secs: u64,
    },
    /// `POST /connectors` in the STOPPED state (offsets can be set before it runs).
    CreateConnector {
        flow: FlowRef,
        connector: String,
        config: ConnectorConfig,
    },
    /// KIP-875 `PATCH …/offsets` of a STOPPED connector.
    SetOffsets {
        flow: FlowRef,
        connector: String,
        offsets: ConnectorOffsets,
    },
    /// Edit flows of the mirror's mm2.properties, then run its reload command.
    EditProperties {
        flow: FlowRef,
        edits: Vec<FlowEdit>,
    },
}

impl MirrorStep {
    /// One line for the plan.
    pub fn describe(&self) -> String {
        match self {
            MirrorStep::Pause { flow } => format!("pause mirror {}", flow.label()),
            MirrorStep::Resume { flow } => format!("resume mirror {}", flow.label()),
            MirrorStep::Stop { flow } => match flow.mirror.driver {
                MirrorDriverSpec::Connect(_) => format!(
                    "stop mirror {} (PUT /connectors/…/stop: STOPPED)",
                    flow.label()
                ),
                MirrorDriverSpec::Mm2Properties(_) => format!(
                    "disable flow {}->{} and reload",
                    flow.mirror.source_alias(),
                    flow.mirror.target_alias()
                ),
            },
            MirrorStep::WaitFor {
                flow,
                state,
                timeout_secs,
            } => format!(
                "wait until {} is {state} (up to {timeout_secs} s)",
                flow.label()
            ),
            MirrorStep::CreateConnector {
                connector, config, ..
            } => format!(
                "POST /connectors `{connector}` ({}, initial state STOPPED)",
                config
                    .get("connector.class")
                    .map(String::as_str)
                    .unwrap_or("?")
            ),
            MirrorStep::SetOffsets {
                connector, offsets, ..
            } => format!(
                "PATCH /connectors/{connector}/offsets: {} partition position(s)",
                offsets.offsets.len()
            ),
            MirrorStep::EditProperties { flow, edits } => {
                let what: Vec<String> = edits
                    .iter()
                    .map(|e| {
                        format!(
                            "{}->{}.enabled={}",
                            e.source_alias,
                            e.target_alias,
                            e.enabled.map_or("unchanged".into(), |b| b.to_string())
                        )
                    })
                    .collect();
                let file = match &flow.mirror.driver {
                    MirrorDriverSpec::Mm2Properties(m) => m.file.clone(),
                    MirrorDriverSpec::Connect(_) => "?".into(),
                };
                format!(
                    "edit {file}: {}, then run the reload command",
                    what.join(", ")
                )
            }
        }
    }
}

/// What undoes a step that ran.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "undo", rename_all = "kebab-case")]
pub enum Undo {
    Nothing,
    Resume {
        flow: FlowRef,
    },
    Pause {
        flow: FlowRef,
    },
    Stop {
        flow: FlowRef,
    },
    DeleteConnector {
        flow: FlowRef,
        connector: String,
    },
    SetOffsets {
        flow: FlowRef,
        connector: String,
        offsets: ConnectorOffsets,
    },
    RestoreProperties {
        flow: FlowRef,
        backup: PathBuf,
    },
}

fn parse_state(s: &str) -> ConnectorState {
    ConnectorState::parse(&s.to_ascii_uppercase())
}

/// The state a flow's mirror is in, as far as undo needs to know.
fn state_of(d: &dyn MirrorDriver) -> Option<ConnectorState> {
    let st = d.status().ok()?;
    if st.is_running() {
        return Some(ConnectorState::Running);
    }
    st.connectors.first().map(|c| c.state.clone())
}

/// Runs one step; returns what undoes it.
pub fn run_step(step: &MirrorStep, opts: &DriverOptions) -> Result<Undo, MirrorError> {
    match step {
        MirrorStep::Pause { flow } | MirrorStep::Stop { flow } => {
            let d = flow.driver(opts)?;
            let before = state_of(d.as_ref());
            if matches!(step, MirrorStep::Pause { .. }) {
                d.pause()?;
            } else {
                d.stop()?;
            }
            Ok(match before {
                Some(ConnectorState::Running) => Undo::Resume { flow: flow.clone() },
                Some(ConnectorState::Paused) => Undo::Pause { flow: flow.clone() },
                _ => Undo::Nothing,
            })
        }
        MirrorStep::Resume { flow } => {
            let d = flow.driver(opts)?;
            let before = state_of(d.as_ref());
            d.resume()?;
            Ok(match before {
                Some(ConnectorState::Paused) => Undo::Pause { flow: flow.clone() },
                Some(ConnectorState::Stopped) => Undo::Stop { flow: flow.clone() },
                _ => Undo::Nothing,
            })
        }
        MirrorStep::WaitFor {
            flow,
            state,
            timeout_secs,
        } => {
            flow.driver(opts)?
                .wait_for_state(&parse_state(state), Duration::from_secs(*timeout_secs))?;
            Ok(Undo::Nothing)
        }
        MirrorStep::CreateConnector {
            flow,
            connector,
            config,
        } => {
            flow.driver(opts)?
                .create(connector, config, Some(InitialState::Stopped))?;
            Ok(Undo::DeleteConnector {
                flow: flow.clone(),
                connector: connector.clone(),
            })
        }
        MirrorStep::SetOffsets {
            flow,
            connector,
            offsets,
        } => {
            let d = flow.driver(opts)?;
            let before = d.get_offsets(connector)?;
            d.set_offsets(connector, offsets)?;
            Ok(Undo::SetOffsets {
                flow: flow.clone(),
                connector: connector.clone(),
                offsets: before,
            })
        }
        MirrorStep::EditProperties { flow, edits } => {
            let MirrorDriverSpec::Mm2Properties(spec) = &flow.mirror.driver else {
                return Err(MirrorError::Unsupported {
                    driver: "connect",
                    operation: "editing mm2.properties",
                });
            };
            let d = Mm2PropertiesFileDriver::new(&flow.name, &flow.mirror, spec, opts.mm2.clone());
            let change = d.apply(edits)?;
            Ok(match change.backup {
                Some(backup) => Undo::RestoreProperties {
                    flow: flow.clone(),
                    backup,
                },
                None => Undo::Nothing,
            })
        }
    }
}

impl Undo {
    pub fn describe(&self) -> Option<String> {
        Some(match self {
            Undo::Nothing => return None,
            Undo::Resume { flow } => format!("resume mirror {}", flow.label()),
            Undo::Pause { flow } => format!("pause mirror {}", flow.label()),
            Undo::Stop { flow } => format!("stop mirror {}", flow.label()),
            Undo::DeleteConnector { connector, .. } => format!("DELETE /connectors/{connector}"),
            Undo::SetOffsets { connector, .. } => {
                format!("PATCH /connectors/{connector}/offsets back to the previous positions")
            }
            Undo::RestoreProperties { backup, .. } => {
                format!("put {} back and reload", backup.display())
            }
        })
    }

    pub fn run(&self, opts: &DriverOptions) -> Result<(), MirrorError> {
        match self {
            Undo::Nothing => Ok(()),
            Undo::Resume { flow } => flow.driver(opts)?.resume(),
            Undo::Pause { flow } => flow.driver(opts)?.pause(),
            Undo::Stop { flow } => {
                let d = flow.driver(opts)?;
                d.stop()?;
                // Offsets can only be set back on a stopped connector.
                d.wait_for_state(&ConnectorState::Stopped, Duration::from_secs(60))
                    .map(|_| ())
            }
            Undo::DeleteConnector { flow, connector } => flow.driver(opts)?.delete(connector),
            Undo::SetOffsets {
                flow,
                connector,
                offsets,
            } => {
                let d = flow.driver(opts)?;
                if offsets.offsets.is_empty() {
                    d.reset_offsets(connector).map(|_| ())
                } else {
                    d.set_offsets(connector, offsets).map(|_| ())
                }
            }
            Undo::RestoreProperties { flow, backup } => {
                let MirrorDriverSpec::Mm2Properties(spec) = &flow.mirror.driver else {
                    return Ok(());
                };
                Mm2PropertiesFileDriver::new(&flow.name, &flow.mirror, spec, Default::default())
                    .restore(backup)
                    .map(|_| ())
            }
        }
    }
}

/// One journal line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MirrorJournalEntry {
    Header {
        version: u32,
        command: String,
        created_at_ms: i64,
    },
    /// Written before the step runs (`done: false`) and again after (`done: true`).
    Step {
        index: usize,
        step: Box<MirrorStep>,
        done: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        undo: Option<Box<Undo>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

/// A mirror run's journal (JSON lines, mode 0600, rewritten atomically per step).
#[derive(Debug)]
pub struct MirrorJournal {
    file: crate::fsutil::JsonLines<MirrorJournalEntry>,
}

impl MirrorJournal {
    pub fn create(path: &Path, command: &str, at_ms: i64) -> std::io::Result<MirrorJournal> {
        let first = MirrorJournalEntry::Header {
            version: 1,
            command: command.into(),
            created_at_ms: at_ms,
        };
        Ok(MirrorJournal {
            file: crate::fsutil::JsonLines::create(path, first)?,
        })
    }

    pub fn load(path: &Path) -> Result<MirrorJournal, String> {
        let file = crate::fsutil::JsonLines::load(path, "mirror journal")?;
        if !matches!(
            file.entries().first(),
            Some(MirrorJournalEntry::Header { .. })
        ) {
            return Err(format!(
                "{}: not a kafka-failover mirror journal",
                path.display()
            ));
        }
        Ok(MirrorJournal { file })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    pub fn record(&mut self, e: MirrorJournalEntry) -> std::io::Result<()> {
        self.file.record(e)
    }

    /// Undo actions of the steps that completed, last first.
    pub fn undos(&self) -> Vec<Undo> {
        let mut out: Vec<Undo> = self
            .file
            .entries()
            .iter()
            .filter_map(|e| match e {
                MirrorJournalEntry::Step {
                    done: true,
                    undo: Some(u),
                    ..
                } => Some((**u).clone()),
                _ => None,
            })
            .collect();
        out.reverse();
        out
    }
}

/// Runs `steps` in order, journaling each; stops at the first failure (its error is
/// journaled too). `progress` hears each step as it starts.
pub fn run_steps(
    steps: &[MirrorStep],
    journal: &mut MirrorJournal,
    opts: &DriverOptions,
    progress: &dyn Fn(usize, &MirrorStep),
) -> Result<(), (usize, MirrorError)> {
    for (index, step) in steps.iter().enumerate() {
        progress(index, step);
        let path = journal.path().to_path_buf();
        let io = |e: std::io::Error| (index, MirrorError::io(&path, "cannot write the journal", e));
        journal
            .record(MirrorJournalEntry::Step {
                index,
                step: Box::new(step.clone()),
                done: false,
                undo: None,
                error: None,
            })
            .map_err(io)?;
        match run_step(step, opts) {
            Ok(undo) => journal
                .record(MirrorJournalEntry::Step {
                    index,
                    step: Box::new(step.clone()),
                    done: true,
                    undo: Some(Box::new(undo)),
                    error: None,
                })
                .map_err(io)?,
            Err(e) => {
                let _ = journal.record(MirrorJournalEntry::Step {
                    index,
                    step: Box::new(step.clone()),
                    done: false,
                    undo: None,
                    error: Some(e.to_string()),
                });
                return Err((index, e));
            }
        }
    }
    Ok(())
}
