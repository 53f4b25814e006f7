//! The one place that decides where output goes: data to stdout (table, JSON or YAML),
//! diagnostics and progress to stderr, colors and progress bars only on a terminal.
//! Nobody else writes user output.

use std::io::{self, IsTerminal, Write};

use comfy_table::Table;
use serde::Serialize;

use super::args::{GlobalArgs, OutputFormat};
use crate::exit::Failure;
use crate::topology::{Finding, Severity};

/// Routes `log` records to stderr the way `Printer` prints. This crate's own records:
/// warnings unless `-q`, info at `-v`, debug at `-vv`. librdkafka's log lines (target
/// `librdkafka`, e.g. the failed TLS handshake behind "Broker transport failure"): errors
/// and warnings at `-v`, notices at `-vv`, debug at `-vvv`. Neither carries secrets
/// (client settings are scrubbed where they are built; librdkafka masks its config dump).
struct StderrLog {
    own: log::LevelFilter,
    librdkafka: log::LevelFilter,
}

impl log::Log for StderrLog {
    fn enabled(&self, m: &log::Metadata) -> bool {
        if m.target() == "librdkafka" {
            m.level() <= self.librdkafka
        } else {
            m.level() <= self.own && m.target().starts_with("kafka_failover")
        }
    }

    fn log(&self, r: &log::Record) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let line = if r.target() == "librdkafka" {
            format!("librdkafka: {}: {}", r.level(), r.args())
        } else {
            let tag = match r.level() {
                log::Level::Error => "error",
                log::Level::Warn => "warning",
                _ => "debug",
            };
            format!("{tag}: {}", r.args())
        };
        let _ = writeln!(io::stderr(), "{line}");
    }

    fn flush(&self) {}
}

/// Installs the stderr logger for one command line (once per process).
pub fn init_log(g: &GlobalArgs) {
    use log::LevelFilter as L;
    let own = match (g.quiet, g.verbose) {
        (true, _) => L::Error,
        (false, 0) => L::Warn,
        (false, 1) => L::Info,
        _ => L::Debug,
    };
    let librdkafka = match g.verbose {
        0 => L::Off,
        1 => L::Warn,
        2 => L::Info,
        _ => L::Debug,
    };
    if log::set_logger(Box::leak(Box::new(StderrLog { own, librdkafka }))).is_ok() {
        log::set_max_level(own.max(librdkafka));
    }
}

#[derive(Debug, Clone)]
pub struct Printer {
    pub format: OutputFormat,
    pub quiet: bool,
    pub verbose: u8,
    color: bool,
    stdout_tty: bool,
    stderr_tty: bool,
}

impl Printer {
    pub fn new(g: &GlobalArgs) -> Printer {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            format: g.output,
            quiet: g.quiet,
            verbose: g.verbose,
            color: !g.no_color && !no_color_env && stdout_tty,
            stdout_tty,
            stderr_tty,
        }
    }

    /// Writes data to stdout. A closed pipe surfaces as an `io::Error` that `main` ends on
    /// quietly.
    pub fn data(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        out.flush()
    }

    /// Writes a value as JSON or YAML, per `-o`. Callers use it when the format is not
    /// `table`.
    pub fn structured<T: Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        let text = match self.format {
            OutputFormat::Yaml => serde_yaml::to_string(value)?,
            _ => serde_json::to_string_pretty(value)? + "\n",
        };
        self.data(&text)?;
        Ok(())
    }

    pub fn is_table(&self) -> bool {
        self.format == OutputFormat::Table
    }

    /// A diagnostic line on stderr (hidden by `-q`).
    pub fn note(&self, msg: &str) {
        if !self.quiet {
            let _ = writeln!(io::stderr(), "{msg}");
        }
    }

    /// A debug line on stderr, shown at `-v` >= `level`.
    /// Library messages (`say(level, text)`): level 0 is a note, higher is debug.
    pub fn sayer(&self) -> impl Fn(u8, &str) + '_ {
        move |level, msg| {
            if level == 0 {
                self.note(msg)
            } else {
                self.debug(level, msg)
            }
        }
    }

    pub fn debug(&self, level: u8, msg: &str) {
        if self.verbose >= level {
            let _ = writeln!(io::stderr(), "debug: {msg}");
        }
    }

    /// A warning on stderr (never hidden: it says something is unsafe).
    pub fn warn(&self, msg: &str) {
        let _ = writeln!(
            io::stderr(),
            "{}",
            self.paint("warning", Paint::Yellow, true) + ": " + msg
        );
    }

    /// An error on stderr (never hidden).
    pub fn error(&self, msg: &str) {
        let _ = writeln!(
            io::stderr(),
            "{}",
            self.paint("error", Paint::Red, true) + ": " + msg
        );
    }

    /// True when progress bars and prompts may be shown.
    pub fn interactive(&self) -> bool {
        self.stderr_tty && !self.quiet
    }

    pub fn stdout_is_terminal(&self) -> bool {
        self.stdout_tty
    }

    /// A table styled for the terminal, or plain ASCII when piped.
    pub fn table(&self, header: &[&str]) -> Table {
        crate::table::styled(header, self.stdout_tty)
    }

    /// A finding as one line (plus its hint), colored on a terminal.
    pub fn finding_line(&self, f: &Finding) -> String {
        let (sev, paint) = match f.severity {
            Severity::Error => ("error", Paint::Red),
            Severity::Warning => ("warning", Paint::Yellow),
            Severity::Note => ("note", Paint::Cyan),
        };
        let mut s = format!(
            "{}:{}:{}: {}[{}]: {}",
            f.file,
            f.line,
            f.column,
            self.paint(sev, paint, true),
            f.rule,
            f.message
        );
        if let Some(h) = &f.hint {
            s.push_str(&format!(
                "\n  {}: {h}",
                self.paint("hint", Paint::Cyan, false)
            ));
        }
        s
    }

    fn paint(&self, text: &str, p: Paint, bold: bool) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match p {
            Paint::Red => "31",
            Paint::Yellow => "33",
            Paint::Cyan => "36",
        };
        let b = if bold { "1;" } else { "" };
        format!("\x1b[{b}{code}m{text}\x1b[0m")
    }
}

#[derive(Clone, Copy)]
enum Paint {
    Red,
    Yellow,
    Cyan,
}

/// Asks on a terminal; `--yes` skips; no terminal and no `--yes` refuses (exit 4).
pub fn confirm(p: &Printer, yes: bool, question: &str) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !p.interactive() || !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Err(Failure::NotConfirmed(
            "not confirmed: no terminal to ask on; re-run with --yes to apply without a prompt. Nothing was changed".into(),
        )
        .into());
    }
    let ok = dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(Failure::NotConfirmed("not confirmed; nothing was changed".into()).into())
    }
}
