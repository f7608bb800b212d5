//! The text trace format of Go's go1.22 test cases, assembled into trace bytes, and the `.test`
//! files that pair such a trace with the expected outcome.
//!
//! Mirrors go1.22 `internal/trace/v2/raw/textreader.go` (`TextReader`: `Trace Go1.22` header,
//! one `Name arg=value…` line per record, frame lines under `Stack`, a `data="…"` line under
//! `String`), `raw/writer.go` (`Writer.WriteEvent`: type byte, uvarint arguments, length and
//! bytes for data) and `internal/trace/v2/testtrace/format.go` + `expectation.go` (a txtar
//! archive with `expect` and `trace`; `SUCCESS` or `FAILURE "<regexp>"`).

use super::ev::{self, Spec};
use crate::common::wire::varint::uvarint;

/// What a test case expects of Go's reader and validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// The trace reads and validates.
    Success,
    /// Reading fails with an error matching this (Go regexp) pattern.
    Failure(String),
}

impl Expect {
    /// Whether `err` (the reader's or validator's error, if any) meets the expectation. Only
    /// patterns that are a literal between optional `.*` are understood; others are an error.
    pub fn check(&self, err: Option<&str>) -> Result<(), String> {
        match (self, err) {
            (Expect::Success, None) => Ok(()),
            (Expect::Success, Some(e)) => {
                Err(format!("unexpected error while reading the trace: {e}"))
            }
            (Expect::Failure(p), None) => Err(format!("expected error matching {p:?}, got none")),
            (Expect::Failure(p), Some(e)) => {
                let lit = p.strip_prefix(".*").unwrap_or(p);
                let lit = lit.strip_suffix(".*").unwrap_or(lit);
                if lit.contains([
                    '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\',
                ]) {
                    return Err(format!(
                        "pattern {p:?} is not a literal between .* (unsupported)"
                    ));
                }
                if e.contains(lit) {
                    Ok(())
                } else {
                    Err(format!("want something matching {p:?}, got {e}"))
                }
            }
        }
    }
}

/// Splits a `.test` file (txtar) into its expectation and its assembled trace bytes.
pub fn parse_test(file: &str) -> Result<(Expect, Vec<u8>), String> {
    let mut parts: Vec<(&str, String)> = Vec::new();
    for line in file.lines() {
        let marker = line.strip_prefix("-- ").and_then(|l| l.strip_suffix(" --"));
        match (marker, parts.last_mut()) {
            (Some(name), _) => parts.push((name.trim(), String::new())),
            (None, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    let [(e, expect), (t, trace)] = parts.as_slice() else {
        return Err("malformed test: wrong number of files".into());
    };
    if *e != "expect" || *t != "trace" {
        return Err(format!("malformed test: bad filenames {e}, {t}"));
    }
    Ok((parse_expect(expect)?, assemble(trace)?))
}

fn parse_expect(s: &str) -> Result<Expect, String> {
    let line = s.lines().next().unwrap_or("");
    match line.split_once(' ') {
        None if line == "SUCCESS" => Ok(Expect::Success),
        Some(("FAILURE", q)) => Ok(Expect::Failure(unquote(q.trim())?)),
        _ => Err(format!("bad header line: {line:?}")),
    }
}

/// Assembles a text trace into trace bytes (`TextReader` into `raw.Writer`).
pub fn assemble(text: &str) -> Result<Vec<u8>, String> {
    let mut lines = text.lines().filter(|l| !token(l).0.is_empty());
    let head = lines.next().ok_or("failed to parse header")?;
    let (t, rest) = token(head);
    let (v, rest) = token(rest);
    if t != "Trace" || v != "Go1.22" || !token(rest).0.is_empty() {
        return Err(format!(
            "failed to parse header {head:?} (only Trace Go1.22 is known)"
        ));
    }
    let mut out = b"go 1.22 trace\0\0\0".to_vec();
    while let Some(line) = lines.next() {
        let (name, rest) = token(line);
        let (typ, spec) = find(name).ok_or_else(|| format!("unidentified event: {name}"))?;
        let args =
            read_args(rest, spec.args).map_err(|e| format!("reading args for {name}: {e}"))?;
        out.push(typ);
        args.iter().for_each(|&a| uvarint(&mut out, a));
        if spec.is_stack {
            for _ in 0..args[1] {
                let l = lines.next().ok_or("unexpected EOF while reading stack")?;
                read_args(l, &["pc", "func", "file", "line"])?
                    .iter()
                    .for_each(|&a| uvarint(&mut out, a));
            }
        }
        if spec.has_data {
            let l = lines.next().ok_or("unexpected EOF while reading data")?;
            let (k, v) = l
                .split_once('=')
                .ok_or_else(|| format!("malformed data: {l:?}"))?;
            if k.trim() != "data" {
                return Err(format!("malformed data: {l:?}"));
            }
            let data = unquote(v.trim())?;
            uvarint(&mut out, data.len() as u64);
            out.extend_from_slice(data.as_bytes());
        }
    }
    Ok(out)
}

fn find(name: &str) -> Option<(u8, &'static Spec)> {
    let i = ev::SPECS
        .iter()
        .position(|s| s.name == name && !name.is_empty())?;
    Some((i as u8, &ev::SPECS[i]))
}

/// `readToken`: the first whitespace-delimited token, stopping at `#` (a comment).
fn token(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    if s.starts_with('#') {
        return ("", "");
    }
    let end = s
        .find(|c: char| c.is_whitespace() || c == '#')
        .unwrap_or(s.len());
    (&s[..end], &s[end..])
}

fn read_args(mut s: &str, names: &[&str]) -> Result<Vec<u64>, String> {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let (tok, rest) = token(s);
        let (k, v) = tok
            .split_once('=')
            .ok_or_else(|| format!("malformed argument: {tok:?}"))?;
        if k != *name {
            return Err(format!("expected argument {name:?}, but got {k:?}"));
        }
        let v = v
            .parse()
            .map_err(|_| format!("failed to parse argument value {v:?} for arg {k:?}"))?;
        out.push(v);
        s = rest;
    }
    if !token(s).0.is_empty() {
        return Err(format!(
            "encountered unexpected non-space at the end of an event: {s:?}"
        ));
    }
    Ok(out)
}

/// Go's `strconv.Unquote` for double-quoted strings with the common escapes.
fn unquote(q: &str) -> Result<String, String> {
    let body = q
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("not a quoted string: {q}"))?;
    let mut out = String::new();
    let mut it = body.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(c @ ('"' | '\\' | '\'')) => out.push(c),
            other => return Err(format!("unsupported escape \\{other:?} in {q}")),
        }
    }
    Ok(out)
}
