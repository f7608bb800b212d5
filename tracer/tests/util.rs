//! Shared helpers: where Go's real traces live, and the wire API every module uses.

pub use tracer::wire::dec::{self, decode_lenient};
pub use tracer::wire::ev::*;
pub use tracer::wire::{check, decode, dump, enc, parse, Frame};

/// `shared/go-traces/` beside the repository: `../shared` for /work/main, `../../shared` for a
/// worktree under /work/wt (the same lookup as `go122_traces::shared`).
pub fn go_traces() -> std::path::PathBuf {
    crate::go122_traces::shared("go-traces")
}
pub const TRACES_121: [&str; 3] = ["go1.21-tiny-p1", "go1.21-tiny-p2", "go1.21-gotest"];

pub fn read(name: &str) -> Vec<u8> {
    let path = go_traces().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn read_text(name: &str) -> String {
    String::from_utf8(read(name)).expect("utf-8 dump")
}
