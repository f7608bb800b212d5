//! `tracesim`: see [`scenarios::cli`].

use clap::Parser;
use std::process::ExitCode;

/// See the dependency's note in Cargo.toml (measured in STRESS.md §6.12).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match scenarios::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    scenarios::cli::main(cli)
}
