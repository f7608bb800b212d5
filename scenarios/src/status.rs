//! The status line of Go's `stress` (`golang.org/x/tools/cmd/stress`, 2023 form), and the
//! terminal that shows it:
//!
//! ```text
//! 42m0s: 24520 runs so far, 0 failures
//! 1m5s: 1200 runs so far, 3 failures (0.25%)
//! ```
//!
//! Elapsed time is truncated to whole seconds and printed as Go prints a `time.Duration`; the
//! percentage (of runs) has two decimals and appears only when something failed.

use std::io::{IsTerminal, Write};
use std::time::Duration;

/// `d` truncated to whole seconds, as Go's `Duration.String` prints it: `0s`, `5s`, `1m5s`,
/// `42m0s`, `1h0m0s`.
pub fn go_duration(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

/// Parses a duration as Go's `time.ParseDuration` writes them, for the units a campaign needs:
/// `500ms`, `90s`, `10m`, `1h30m`, `1.5h`.
pub fn parse_go_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("invalid duration {text:?}: expected e.g. 90s, 10m, 1h30m");
    let mut rest = text.trim();
    let mut total = 0.0;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let value: f64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit_len = rest[digits..]
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len() - digits);
        let scale = match &rest[digits..digits + unit_len] {
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        total += value * scale;
        rest = &rest[digits + unit_len..];
    }
    Ok(Duration::from_secs_f64(total))
}

/// Go `stress`'s status line: `<elapsed>: <runs> runs so far, <failures> failures[ (<pct>%)]`.
pub fn stress_line(elapsed: Duration, runs: u64, failures: u64) -> String {
    let mut line = format!(
        "{}: {runs} runs so far, {failures} failures",
        go_duration(elapsed)
    );
    if failures > 0 {
        line += &format!(" ({:.2}%)", 100.0 * failures as f64 / runs.max(1) as f64);
    }
    line
}

/// Executions per second of wall time, rounded for a status line.
pub fn rate(runs: u64, elapsed: Duration) -> f64 {
    runs as f64 / elapsed.as_secs_f64().max(1e-9)
}

/// Our status line: stress's line, the rate, and the first failures (their replay seeds).
pub fn status_line(elapsed: Duration, runs: u64, failures: u64, first: &[String]) -> String {
    let mut line = format!(
        "{}, {:.0} executions/s",
        stress_line(elapsed, runs, failures),
        rate(runs, elapsed)
    );
    if !first.is_empty() {
        let more = if failures as usize > first.len() {
            ", …"
        } else {
            ""
        };
        line += &format!("; first: {}{more}", first.join(", "));
    }
    line
}

/// Standard output, with a live progress line redrawn in place when it is a terminal.
pub struct Term {
    tty: bool,
    live: bool,
}

impl Term {
    /// A terminal on stdout (live line only if stdout is a terminal).
    pub fn stdout() -> Self {
        Self {
            tty: std::io::stdout().is_terminal(),
            live: false,
        }
    }

    /// Whether live lines are drawn.
    pub fn is_tty(&self) -> bool {
        self.tty
    }

    /// Prints a permanent line (erasing the live line first).
    pub fn line(&mut self, text: &str) {
        let mut out = std::io::stdout().lock();
        if self.live {
            let _ = write!(out, "\r\x1b[2K");
            self.live = false;
        }
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }

    /// Redraws the live line (terminals only).
    pub fn live(&mut self, text: &str) {
        if self.tty {
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "\r\x1b[2K{text}");
            let _ = out.flush();
            self.live = true;
        }
    }
}
