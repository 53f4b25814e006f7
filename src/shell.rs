//! Running an operator's shell command (an MM2 reload, a runbook hook) the same careful
//! way everywhere: `sh -c`, stdin closed, its own process group so that a timeout kills
//! the command *and* whatever it started, output handed over line by line as it comes.

use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What to run and how.
#[derive(Debug, Clone, Default)]
pub struct ShellCommand<'a> {
    pub command: &'a str,
    /// Added to (or replacing) the inherited environment.
    pub env: Vec<(String, String)>,
    /// Removed from the inherited environment (e.g. variables holding secrets).
    pub env_remove: Vec<String>,
    pub timeout: Duration,
}

/// How the command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellEnd {
    Exited(ExitStatus),
    /// Still running at the timeout: its whole process group was killed.
    TimedOut,
}

/// Once the shell has exited, how long to keep reading what is left in its pipes. A
/// command may leave a background process holding them open (`nohup daemon &`); that
/// process is not waited for.
const DRAIN_GRACE: Duration = Duration::from_millis(500);

/// Runs the command; every line of stdout and stderr (without its newline, invalid UTF-8
/// replaced) goes to `on_line` on the calling thread, in the order each stream wrote
/// them. Only failing to start is an error.
pub fn run_shell(
    cmd: &ShellCommand<'_>,
    on_line: &mut dyn FnMut(Stream, &str),
) -> io::Result<ShellEnd> {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(cmd.command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for k in &cmd.env_remove {
        command.env_remove(k);
    }
    for (k, v) in &cmd.env {
        command.env(k, v);
    }
    let mut child = command.spawn()?;
    let (tx, rx) = mpsc::channel::<(Stream, String)>();
    if let Some(out) = child.stdout.take() {
        forward(out, Stream::Stdout, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        forward(err, Stream::Stderr, tx.clone());
    }
    drop(tx);

    let deadline = Instant::now() + cmd.timeout;
    let mut open = true;
    let end = loop {
        if let Some(status) = child.try_wait()? {
            break ShellEnd::Exited(status);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            kill_group(&mut child);
            break ShellEnd::TimedOut;
        }
        if !open {
            thread::sleep(left.min(Duration::from_millis(20)));
            continue;
        }
        match rx.recv_timeout(left.min(Duration::from_millis(20))) {
            Ok((stream, line)) => on_line(stream, &line),
            Err(RecvTimeoutError::Timeout) => {}
            // Both pipes closed; the shell is about to exit.
            Err(RecvTimeoutError::Disconnected) => open = false,
        }
    };
    let grace = Instant::now() + DRAIN_GRACE;
    while open {
        match rx.recv_timeout(grace.saturating_duration_since(Instant::now())) {
            Ok((stream, line)) => on_line(stream, &line),
            Err(_) => open = false,
        }
    }
    Ok(end)
}

fn forward(pipe: impl Read + Send + 'static, stream: Stream, tx: mpsc::Sender<(Stream, String)>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf);
                    let line = line.trim_end_matches(['\n', '\r']).to_string();
                    if tx.send((stream, line)).is_err() {
                        return;
                    }
                }
            }
        }
    });
}

/// Kills the command's process group (its children and grandchildren go with it), then
/// reaps the shell.
fn kill_group(child: &mut Child) {
    // std has no killpg; kill(1) takes a negative pid as a process group.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// "exited with status 3", "was killed by signal 9".
pub fn describe_status(s: ExitStatus) -> String {
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (None, Some(sig)) => format!("was killed by signal {sig}"),
        _ => format!("failed ({s})"),
    }
}

/// The last lines of some output, at most `max_bytes` long, cut at a line boundary where
/// possible: what an error shows of a failed command.
#[derive(Debug, Clone, Default)]
pub struct Tail {
    lines: std::collections::VecDeque<String>,
    bytes: usize,
    max_bytes: usize,
}

impl Tail {
    pub fn new(max_bytes: usize) -> Tail {
        Tail {
            max_bytes,
            ..Tail::default()
        }
    }

    pub fn push(&mut self, line: &str) {
        let mut line = line.to_string();
        if line.len() > self.max_bytes {
            let mut from = line.len() - self.max_bytes;
            while !line.is_char_boundary(from) {
                from += 1;
            }
            line = line[from..].to_string();
        }
        self.bytes += line.len() + 1;
        self.lines.push_back(line);
        while self.bytes > self.max_bytes + 1 {
            match self.lines.pop_front() {
                Some(l) => self.bytes -= l.len() + 1,
                None => break,
            }
        }
    }

    /// The kept lines joined by newlines, trimmed.
    pub fn text(&self) -> String {
        let v: Vec<&str> = self.lines.iter().map(String::as_str).collect();
        v.join("\n").trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(command: &str, timeout: Duration) -> (ShellEnd, Vec<(Stream, String)>) {
        let mut lines = Vec::new();
        let cmd = ShellCommand {
            command,
            timeout,
            ..ShellCommand::default()
        };
        let end = run_shell(&cmd, &mut |s, l| lines.push((s, l.to_string()))).unwrap();
        (end, lines)
    }

    #[test]
    fn lines_of_each_stream_arrive_in_order() {
        let (end, lines) = run(
            "for i in 1 2 3; do echo out$i; echo err$i >&2; done; printf 'no newline'",
            Duration::from_secs(5),
        );
        assert!(matches!(end, ShellEnd::Exited(s) if s.success()));
        let of = |want: Stream| -> Vec<String> {
            lines
                .iter()
                .filter(|(s, _)| *s == want)
                .map(|(_, l)| l.clone())
                .collect()
        };
        assert_eq!(of(Stream::Stdout), ["out1", "out2", "out3", "no newline"]);
        assert_eq!(of(Stream::Stderr), ["err1", "err2", "err3"]);
    }

    #[test]
    fn exit_status_and_timeout() {
        let (end, _) = run("exit 3", Duration::from_secs(5));
        let ShellEnd::Exited(s) = end else {
            panic!("{end:?}")
        };
        assert_eq!(describe_status(s), "exited with status 3");
        let started = Instant::now();
        let (end, lines) = run("echo before; sleep 30", Duration::from_millis(300));
        assert_eq!(end, ShellEnd::TimedOut);
        assert_eq!(lines, [(Stream::Stdout, "before".to_string())]);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_background_process_holding_the_pipe_is_not_waited_for() {
        let started = Instant::now();
        let (end, lines) = run("sleep 5 & echo started", Duration::from_secs(10));
        assert!(matches!(end, ShellEnd::Exited(s) if s.success()));
        assert_eq!(lines, [(Stream::Stdout, "started".to_string())]);
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn tail_keeps_the_last_lines_within_its_size() {
        let mut t = Tail::new(10);
        for l in ["first", "second", "third"] {
            t.push(l);
        }
        assert_eq!(t.text(), "third");
        t.push("a-very-long-line");
        assert_eq!(t.text(), "-long-line");
        let mut t = Tail::new(100);
        t.push("x");
        t.push("y");
        assert_eq!(t.text(), "x\ny");
    }
}
