//! User tasks and regions of a merged trace.
//!
//! Mirrors the `EvUserTaskCreate`, `EvUserTaskEnd`, `EvUserRegion` and `EvGoEnd` region cases
//! of go1.21 `postProcessTrace` in `internal/trace/parser.go`, with its error messages.

use super::dump::event_line;
use super::ev::*;
use super::parse::Event;
use crate::common::wire::quote::go_quote;
use crate::common::wire::Error;
use std::collections::BTreeMap;

/// Open tasks and, per goroutine, the stack of open regions (event indices).
#[derive(Default)]
pub(super) struct User {
    tasks: BTreeMap<u64, usize>,
    regions: BTreeMap<u64, Vec<usize>>,
}

impl User {
    /// A goroutine ended: its open regions are closed.
    pub(super) fn goroutine_end(&mut self, g: u64) {
        self.regions.remove(&g);
    }

    /// Processes the task or region event `events[i]`.
    pub(super) fn step(&mut self, events: &[Event], i: usize) -> Result<(), Error> {
        let ev = &events[i];
        match ev.typ {
            EV_USER_TASK_CREATE => {
                if let Some(&prev) = self.tasks.get(&ev.args[0]) {
                    let (a, b) = (
                        go_quote(&event_line(ev)),
                        go_quote(&event_line(&events[prev])),
                    );
                    return Err(Error::at(
                        ev.off,
                        format!("task id conflicts (id:{}), {a} vs {b}", ev.args[0]),
                    ));
                }
                self.tasks.insert(ev.args[0], i);
            }
            EV_USER_TASK_END => {
                self.tasks.remove(&ev.args[0]);
            }
            _ => self.region(events, i)?,
        }
        Ok(())
    }

    fn region(&mut self, events: &[Event], i: usize) -> Result<(), Error> {
        let ev = &events[i];
        let regions = self.regions.entry(ev.g).or_default();
        match ev.args[1] {
            0 => regions.push(i),
            1 => {
                if let Some(&s) = regions.last() {
                    let start = &events[s];
                    if start.args[0] != ev.args[0] || start.sargs.first() != ev.sargs.first() {
                        let (a, b) = (go_quote(&event_line(ev)), go_quote(&event_line(start)));
                        let msg = format!("misuse of region in goroutine {}: span end {a} when the inner-most active span start event is {b}", ev.g);
                        return Err(Error::at(ev.off, msg));
                    }
                    regions.pop();
                }
            }
            _ => {
                let msg = format!("invalid user region mode: {}", go_quote(&event_line(ev)));
                return Err(Error::at(ev.off, msg));
            }
        }
        if regions.is_empty() {
            self.regions.remove(&ev.g);
        }
        Ok(())
    }
}
