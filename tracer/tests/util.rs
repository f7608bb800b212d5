//! Shared helpers: where Go's real traces live, and the wire API every module uses.

pub use tracer::wire::dec::{self, decode_lenient};
pub use tracer::wire::ev::*;
pub use tracer::wire::{check, decode, dump, enc, parse, Frame};

pub const GO_TRACES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/go-traces/");
pub const TRACES_121: [&str; 3] = ["go1.21-tiny-p1", "go1.21-tiny-p2", "go1.21-gotest"];

pub fn read(name: &str) -> Vec<u8> {
    let path = format!("{GO_TRACES}{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

pub fn read_text(name: &str) -> String {
    String::from_utf8(read(name)).expect("utf-8 dump")
}
