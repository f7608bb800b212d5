//! Go's `strconv.Quote` for the texts the dumps and parse errors print.
//!
//! Mirrors go1.21/go1.22 `strconv/quote.go` (`appendQuotedWith` with `ASCIIonly` false), as
//! both parsers' `%q` verbs use it: go1.21 `internal/trace/parser.go` and go1.22
//! `internal/trace/v2` (`Event.String`, `testtrace.Validator`).

use std::fmt::Write;

/// Quotes `s` the way Go's `%q` does for printable text (`strconv.Quote`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() && (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
