//! Which trace format a file is in, from its 16-byte header (`go 1.NN trace` + NUL padding).
//!
//! Format-agnostic: go1.21 `internal/trace/parser.go` `parseHeader` and go1.22
//! `internal/trace/v2/version/version.go` `ReadHeader` both start from this header; each
//! format's decoder then applies its own rules to the rest.

use super::Error;

/// Length of the header every Go trace starts with.
pub const HEADER_LEN: usize = 16;

/// The Go minor versions whose traces tracesim decodes.
pub const SUPPORTED: [u32; 2] = [21, 22];

/// The minor Go version named by the header (`21` for `go 1.21 trace\0\0\0`), or the error Go's
/// parser gives for a file that is not a trace.
pub fn sniff(data: &[u8]) -> Result<u32, Error> {
    let bad = || Error::at(0, "bad file format: not a Go execution trace?");
    let head = data.get(..HEADER_LEN).ok_or_else(bad)?;
    let text = head.strip_prefix(b"go 1.").ok_or_else(bad)?;
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    let rest = &text[digits..];
    let pad = rest.strip_prefix(b" trace").ok_or_else(bad)?;
    if digits == 0 || digits > 3 || pad.iter().any(|&b| b != 0) {
        return Err(bad());
    }
    let minor = std::str::from_utf8(&text[..digits]).map_err(|_| bad())?;
    minor.parse().map_err(|_| bad())
}

/// A one-line message for a version tracesim does not read, naming the ones it does.
pub fn unsupported(minor: u32) -> String {
    let list: Vec<String> = SUPPORTED.iter().map(|v| format!("go 1.{v}")).collect();
    format!(
        "unsupported trace version go 1.{minor} (supported: {})",
        list.join(", ")
    )
}
