//! An execution's artifact: the trace bytes a body records (every session, or every go1.22
//! session's generations, joined with a separator), split back into sessions and written to
//! files.

use crate::args::usage;
use sim::swarm;
use sim::ExecResult;
use std::borrow::Borrow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Concatenates a session list into one artifact: the first session's trace, as a Go trace
/// file; later sessions follow it in the artifact after a `\n--session--\n` separator.
pub const SESSION_SEPARATOR: &[u8] = b"\n--session--\n";

/// Records an execution's sessions as its artifact (joined with [`SESSION_SEPARATOR`]) and
/// their hash as its output (what determinism checks compare).
pub fn record<S: Borrow<[u8]>>(sessions: &[S]) {
    let artifact = sessions.join(SESSION_SEPARATOR);
    swarm::record_output(sim::runner::fnv1a(artifact.iter().copied()));
    swarm::record_artifact(artifact);
}

/// The sessions of an artifact (the inverse of [`record`]).
pub fn sessions(artifact: &[u8]) -> Vec<&[u8]> {
    let sep = SESSION_SEPARATOR;
    let mut parts = Vec::new();
    let mut rest = artifact;
    while let Some(i) = rest.windows(sep.len()).position(|w| w == sep) {
        parts.push(&rest[..i]);
        rest = &rest[i + sep.len()..];
    }
    parts.push(rest);
    parts
}

/// Writes an execution's trace: session 1 to `path`, session k to `path.k`.
pub fn write_trace(path: &Path, artifact: &[u8]) -> std::io::Result<usize> {
    let sessions = sessions(artifact);
    for (k, bytes) in sessions.iter().enumerate() {
        let p = if k == 0 {
            path.to_path_buf()
        } else {
            PathBuf::from(format!("{}.{}", path.display(), k + 1))
        };
        std::fs::write(p, bytes)?;
    }
    Ok(sessions.len())
}

/// Writes the kept execution's trace to `path` if one was asked for (a usage error if it
/// cannot be written).
pub(crate) fn save_trace(path: Option<&Path>, res: Option<&ExecResult>) -> Result<(), ExitCode> {
    let Some(path) = path else { return Ok(()) };
    match res.and_then(|r| r.artifact.as_deref()) {
        Some(bytes) => match write_trace(path, bytes) {
            Ok(n) => {
                println!("trace written to {} ({n} session(s))", path.display());
                Ok(())
            }
            Err(e) => Err(usage(&format!("cannot write {}: {e}", path.display()))),
        },
        None => {
            println!("no trace written: the execution kept none");
            Ok(())
        }
    }
}
