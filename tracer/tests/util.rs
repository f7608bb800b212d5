//! Shared helpers: where Go's real traces live, and the wire API every module uses.

pub use tracer::common::wire::Frame;
pub use tracer::go121::wire::dec::{self, decode_lenient};
pub use tracer::go121::wire::ev::*;
pub use tracer::go121::wire::{check, decode, dump, enc, parse};

/// `shared/NAME` beside the repository (`../shared` for /work/main) or beside the worktree
/// directory (`../../shared` for /work/wt/X).
pub fn shared(rel: &str) -> std::path::PathBuf {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let found = [repo.join("../shared"), repo.join("../../shared")]
        .into_iter()
        .find(|p| p.join("go-traces").is_dir());
    found.unwrap_or_else(|| repo.join("../shared")).join(rel)
}
pub const TRACES_121: [&str; 3] = ["go1.21-tiny-p1", "go1.21-tiny-p2", "go1.21-gotest"];

pub fn read(name: &str) -> Vec<u8> {
    let path = shared("go-traces").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn read_text(name: &str) -> String {
    String::from_utf8(read(name)).expect("utf-8 dump")
}
