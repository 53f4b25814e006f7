//! Command-line front end: parse, dispatch, map the outcome to an exit code.

pub mod args;
mod cluster;
mod completions;
mod drill;
mod lab;
mod lock;
mod mirror;
pub mod mirror_args;
mod offsets;
pub mod offsets_args;
mod offsets_view;
pub mod output;
mod placement;
mod ready;
mod runbook;
pub mod runbook_args;
mod topology;

use clap::Parser;

use crate::exit::{self, ExitCode, Failure};
use args::{Cli, Command};
use output::Printer;

/// Runs the program with the process arguments and returns the exit code.
pub fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap quotes the offending argument: a malformed `-X` can carry a secret.
            let rendered = e.render().to_string();
            let redacted = redact_client_properties(&rendered, std::env::args());
            if redacted == rendered {
                let _ = e.print();
            } else {
                eprint!("{redacted}");
            }
            // clap: 0 for --help/--version, 2 for usage errors.
            return if e.use_stderr() {
                ExitCode::Usage.code()
            } else {
                ExitCode::Ok.code()
            };
        }
    };
    let printer = Printer::new(&cli.global);
    output::init_log(&cli.global);
    warn_insecure_overrides(&printer);
    match dispatch(cli.command, &printer) {
        Ok(code) => code.code(),
        Err(e) if exit::is_broken_pipe(&e) => ExitCode::Ok.code(),
        Err(e) => {
            report(&printer, &e);
            exit::exit_code_for(&e).code()
        }
    }
}

/// A `-X` that turns TLS verification of the brokers off is said on stderr, every run
/// (a topology that does it is flagged by `topology lint`, rule `insecure-kafka-tls`).
fn warn_insecure_overrides(p: &Printer) {
    use clap::CommandFactory;
    let Ok(mut m) = Cli::command().try_get_matches() else {
        return;
    };
    loop {
        if let Ok(Some(vals)) =
            m.try_get_many::<crate::kafka::PropertyOverride>("client_properties")
        {
            for o in vals {
                if let Some(why) = crate::kafka::tls_verification_off(&o.key, &o.value) {
                    let scope = o
                        .cluster
                        .as_deref()
                        .map_or("every cluster".to_string(), |c| format!("cluster `{c}`"));
                    p.warn(&format!(
                        "-X {}={} for {scope}: {why} (TLS verification is off)",
                        o.key, o.value
                    ));
                }
            }
        }
        match m.remove_subcommand() {
            Some((_, sub)) => m = sub,
            None => return,
        }
    }
}

/// `text` with the value of every `-X` / `--client-property` argument in `args` replaced
/// by `***`: everything after the first `=`, or the whole argument when it has none (a
/// malformed flag may be a bare secret).
fn redact_client_properties(text: &str, args: impl IntoIterator<Item = String>) -> String {
    let mut values = Vec::new();
    let mut args = args.into_iter().skip(1);
    while let Some(a) = args.next() {
        let value = if a == "-X" || a == "--client-property" {
            args.next()
        } else if let Some(v) = a.strip_prefix("--client-property=") {
            Some(v.to_string())
        } else {
            a.strip_prefix("-X")
                .map(|v| v.strip_prefix('=').unwrap_or(v).to_string())
        };
        if let Some(v) = value {
            values.push(match v.split_once('=') {
                Some((_, secret)) => secret.to_string(),
                None => v,
            });
        }
    }
    values.retain(|v| !v.is_empty());
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    let mut out = text.to_string();
    for v in values {
        out = out.replace(&v, crate::kafka::REDACTED);
    }
    out
}

fn dispatch(command: Command, p: &Printer) -> anyhow::Result<ExitCode> {
    match command {
        Command::Topology(c) => topology::run(c, p),
        Command::Completions(a) => completions::run(a, p),
        Command::Cluster(c) => cluster::run(c, p),
        Command::Placement(c) => placement::run(c, p),
        Command::Offsets(c) => offsets::run(c, p),
        Command::Mirror(c) => mirror::run(c, p),
        Command::Failover(a) => runbook::failover(&a, p),
        Command::Failback(a) => runbook::failback(&a, p),
        Command::Ready(a) => ready::run(&a, p),
        Command::Drill(a) => drill::run(&a, p),
        Command::Rollback(a) => runbook::rollback(&a, p),
        Command::Lock(c) => lock::run(c, p),
        Command::Lab(c) => lab::run(c, p),
    }
}

/// Set by Ctrl-C (SIGINT) once a command installs the handler: long applies stop
/// between steps, journal, and exit 130.
pub(crate) fn interrupt_flag() -> &'static std::sync::atomic::AtomicBool {
    use std::sync::atomic::{AtomicBool, Ordering};
    static FLAG: AtomicBool = AtomicBool::new(false);
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| FLAG.store(true, Ordering::SeqCst));
    });
    &FLAG
}

/// Prints an error that reached the top: its findings (for a topology), its context chain,
/// one line each.
fn report(p: &Printer, e: &anyhow::Error) {
    if let Some(te) = e.chain().find_map(|c| {
        c.downcast_ref::<crate::topology::TopologyError>()
            .or_else(|| match c.downcast_ref::<Failure>() {
                Some(Failure::InvalidTopology(t)) => Some(t),
                _ => None,
            })
    }) {
        for f in &te.findings {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("{}\n", p.finding_line(f)).as_bytes(),
            );
        }
    }
    let mut chain = e.chain();
    if let Some(first) = chain.next() {
        p.error(&first.to_string());
    }
    for cause in chain {
        p.note(&format!("  caused by: {cause}"));
    }
}

/// Loads a topology for a command that acts on it: any error is an invalid topology
/// (exit 2), with every finding printed.
pub(crate) fn load_topology(
    path: &std::path::Path,
) -> anyhow::Result<crate::topology::LoadedTopology> {
    Ok(crate::topology::load_file(path).map_err(Failure::InvalidTopology)?)
}

/// The clusters a command should act on: those named (each must exist), else all.
pub(crate) fn select_clusters(
    t: &crate::topology::Topology,
    names: &[String],
) -> anyhow::Result<Vec<String>> {
    if names.is_empty() {
        return Ok(t.clusters.keys().cloned().collect());
    }
    let known: Vec<&str> = t.clusters.keys().map(String::as_str).collect();
    for n in names {
        if !t.clusters.contains_key(n) {
            let hint = crate::topology::load::closest(n, &known)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(Failure::Usage(format!(
                "--cluster {n}: no such cluster in the topology{hint}; clusters: {}",
                known.join(", ")
            ))
            .into());
        }
    }
    Ok(names.to_vec())
}

/// Client settings and an admin client for a topology cluster (which must exist).
pub(crate) fn admin_for(
    t: &crate::topology::Topology,
    name: &str,
    connect: &args::ConnectArgs,
) -> anyhow::Result<(crate::kafka::ClientSettings, crate::kafka::AdminClient)> {
    use anyhow::Context;
    let settings = crate::kafka::cluster_settings(
        name,
        &t.clusters[name],
        &connect.client_properties,
        connect.timeout,
    )?;
    let admin = crate::kafka::AdminClient::new(settings.clone())
        .with_context(|| format!("cluster `{name}`"))?;
    Ok((settings, admin))
}

#[cfg(test)]
mod tests {
    use super::redact_client_properties as redact;

    fn args(a: &[&str]) -> Vec<String> {
        std::iter::once("kafka-failover")
            .chain(a.iter().copied())
            .map(String::from)
            .collect()
    }

    #[test]
    fn usage_errors_never_echo_client_property_values() {
        let text = "invalid value 'east: sasl.password=hunter2' for '-X': no; also pw2 and bare-pw";
        let got = redact(
            text,
            args(&[
                "-X",
                "east: sasl.password=hunter2",
                "--client-property=k=pw2",
                "-Xbare-pw",
                "--timeout",
                "2s",
            ]),
        );
        assert_eq!(
            got,
            "invalid value 'east: sasl.password=***' for '-X': no; also *** and ***"
        );
        assert_eq!(redact("2s", args(&["--timeout", "2s"])), "2s");
    }
}
