//! One thread's line of a deadlock or livelock report (`  advancer waits for lock mheap (rank 44)
//! at stack.rs:89:33, held by allocator since harness.rs:97:26`), as data.
//!
//! [`super::threads`] renders these lines from the wait-for registry; [`parse`] reads them back,
//! because a saved failure keeps only its message and a failure's signature
//! ([`crate::signature`]) rebuilds the wait-for graph from it. Renderer and parser live here
//! together, and a test round-trips them.

use std::fmt;

/// One live thread in a report: runnable, or blocked on something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub thread: String,
    pub wait: Option<Blocked>,
}

/// What a blocked thread waits on, where, and who holds it (for a lock with a holder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Blocked {
    /// As [`super::What::render`] says it: `lock mheap (rank 44)`, `thread reader-0 to finish
    /// (join)`.
    pub what: String,
    pub site: String,
    /// The holding thread and the site where it took the lock (empty if unknown).
    pub holder: Option<(String, String)>,
}

const WAITS: &str = " waits for ";
const RUNNABLE: &str = " is runnable";
const HELD_BY: &str = ", held by ";
const SINCE: &str = " since ";
const JOIN_HEAD: &str = "thread ";
const JOIN_TAIL: &str = " to finish (join)";

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(b) = &self.wait else {
            return write!(f, "  {}{RUNNABLE}", self.thread);
        };
        write!(f, "  {}{WAITS}{} at {}", self.thread, b.what, b.site)?;
        match &b.holder {
            Some((h, since)) => write!(f, "{HELD_BY}{h}{SINCE}{since}"),
            None => Ok(()),
        }
    }
}

impl Blocked {
    /// The thread a join waits for, by name.
    pub fn joined(&self) -> Option<&str> {
        self.what.strip_prefix(JOIN_HEAD)?.strip_suffix(JOIN_TAIL)
    }
}

/// Whether `s` is a source location as `std::panic::Location` prints it: `file:line:column`.
fn is_site(s: &str) -> bool {
    let mut parts = s.rsplitn(3, ':');
    let number =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    number(parts.next()) && number(parts.next()) && parts.next().is_some_and(|p| !p.is_empty())
}

/// `what at site` → (what, site), if it ends with a site.
fn what_and_site(s: &str) -> Option<(String, String)> {
    let (what, site) = s.rsplit_once(" at ")?;
    (!what.is_empty() && is_site(site)).then(|| (what.to_string(), site.to_string()))
}

/// The blocked part after ` waits for `.
fn blocked(rest: &str) -> Option<Blocked> {
    let (head, holder) = match rest.rsplit_once(HELD_BY) {
        Some((head, tail)) => {
            let (h, since) = tail.split_once(SINCE)?;
            (head, Some((h.to_string(), since.to_string())))
        }
        None => (rest, None),
    };
    let (what, site) = what_and_site(head)?;
    Some(Blocked { what, site, holder })
}

/// Reads one report line back; `None` for any other line (the report's head, a rank report's
/// held locks, a note).
pub(crate) fn parse(line: &str) -> Option<Line> {
    let body = line.strip_prefix("  ")?;
    if body.starts_with(' ') {
        return None;
    }
    if let Some(thread) = body.strip_suffix(RUNNABLE) {
        return (!thread.is_empty() && !thread.contains(WAITS)).then(|| Line {
            thread: thread.to_string(),
            wait: None,
        });
    }
    let (thread, rest) = body.split_once(WAITS)?;
    let wait = Some(blocked(rest)?);
    (!thread.is_empty()).then(|| Line {
        thread: thread.to_string(),
        wait,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocked_on(what: &str, holder: Option<(&str, &str)>) -> Line {
        Line {
            thread: "reader-0b".to_string(),
            wait: Some(Blocked {
                what: what.to_string(),
                site: "tracer/src/go122/reader.rs:130:43".to_string(),
                holder: holder.map(|(h, s)| (h.to_string(), s.to_string())),
            }),
        }
    }

    #[test]
    fn every_rendered_line_parses_back_to_itself() {
        let lines = [
            blocked_on("lock mheap (rank 44)", Some(("allocator", "h.rs:97:26"))),
            blocked_on("lock trace (rank 42)", Some(("m0", ""))),
            blocked_on("an unranked lock", None),
            blocked_on("a goready of an idle M (stopm, until wakep) (gopark)", None),
            blocked_on("thread reader-1 to finish (join)", None),
            blocked_on(
                "a condition variable (holding lock a (rank 1) while not waiting)",
                None,
            ),
            blocked_on("traceLock (shared)", Some(("writer at work", "w.rs:1:2"))),
            Line {
                thread: "cpu-reader".to_string(),
                wait: None,
            },
        ];
        for l in lines {
            let text = l.to_string();
            assert_eq!(parse(&text).as_ref(), Some(&l), "{text}");
        }
    }

    #[test]
    fn other_report_lines_are_not_wait_lines() {
        for text in [
            "deadlock: every simulated thread is blocked",
            " 0 : trace 42 (at x.rs:1:1)",
            "  main waits for something without a site",
            "  main waits for x at not-a-site, held by y since z.rs:1:1",
            "  allocator waits for lock a (rank 1) at a.rs:1:2, held by b",
            "    nested waits for x at a.rs:1:2",
            "   is runnable",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn a_join_names_the_thread_it_waits_for() {
        let l = parse("  main waits for thread locker-AB to finish (join) at m.rs:9:5").unwrap();
        assert_eq!(l.wait.unwrap().joined(), Some("locker-AB"));
        let l = parse("  main waits for semaphore gate (semacquire) at m.rs:9:5").unwrap();
        assert_eq!(l.wait.unwrap().joined(), None);
    }
}
