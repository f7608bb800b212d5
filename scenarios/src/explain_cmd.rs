//! What `tracesim replay` adds for a person: `--explain` (the interleaving in columns, of the
//! shrunk schedule when one was saved beside the file) and `--timeline PATH`.

use crate::args::usage;
use crate::shrinking::shrunk_path;
use sim::record;
use sim::ExecResult;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The views a replay asked for.
#[derive(Debug, Default)]
pub struct View {
    pub explain: bool,
    pub full: bool,
    pub timeline: Option<PathBuf>,
}

impl View {
    fn wanted(&self) -> bool {
        self.explain || self.timeline.is_some()
    }

    /// The file to replay: with `--explain`, `FILE.shrunk.json` if it exists beside `FILE.json`.
    pub fn target(&self, target: &str) -> String {
        if !self.explain || !target.ends_with(".json") || target.ends_with(".shrunk.json") {
            return target.to_string();
        }
        let shrunk = shrunk_path(Path::new(target));
        if shrunk.exists() {
            println!("explaining the shrunk schedule {}", shrunk.display());
            return shrunk.display().to_string();
        }
        target.to_string()
    }

    /// Turns the recorder on if a view needs it.
    pub fn begin(&self) {
        if self.wanted() {
            record::start();
        }
    }

    /// Prints the explanation and writes the timeline of the execution just replayed.
    pub fn end(&self, res: &ExecResult) -> Result<(), ExitCode> {
        if !self.wanted() {
            return Ok(());
        }
        let rec = record::finish();
        if self.explain {
            let view = crate::explain::render_with(&rec, res.failure.as_ref(), !self.full);
            print!("{view}");
            println!();
        }
        if let Some(path) = &self.timeline {
            let written =
                crate::timeline::write(path, &rec, res.failure.as_ref()).map_err(|e| {
                    usage(&format!(
                        "cannot write the timeline {}: {e}",
                        path.display()
                    ))
                })?;
            println!(
                "timeline written to {} and {}",
                written.0.display(),
                written.1.display()
            );
        }
        Ok(())
    }
}
