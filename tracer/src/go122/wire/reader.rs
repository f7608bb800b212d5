//! The go1.22 trace reader: generations one at a time, per-M batch cursors merged by timestamp
//! through the ordering state machine, CPU samples interleaved, a `Sync` event after each
//! generation.
//!
//! Mirrors go1.22 `internal/trace/v2/reader.go` (`NewReader`, `ReadEvent`) and
//! `batchcursor.go` (`batchCursor.nextEvent`, `readTimedBaseEvent`, the heap helpers), with
//! Go's messages. Go keeps the batch cursors in a map, so its order among equal timestamps is
//! random; here cursors start in M-id order, so the result is deterministic.

use super::dec::{read_header, uvarint, Batch, Cursor};
use super::ev::{self, EV_CPU_SAMPLE, EV_SYNC};
use super::event::{BaseEvent, Ctx, Event, NONE};
use super::gen::{read_generation, CpuSample, Table, Time};
use super::order::Ordering;
use crate::common::wire::Error;
use std::rc::Rc;

/// A position in one M's batches (`batchCursor`) and the event read there.
#[derive(Debug, Clone)]
struct BatchCursor<'a> {
    m: i64,
    /// Index of this M's batches in `Reader::batches`.
    slot: usize,
    last_ts: Time,
    idx: usize,
    data_off: usize,
    ev: BaseEvent<'a>,
    /// File offset of `ev`'s type byte.
    off: usize,
}

/// Reads events from a go1.22 trace in Go's order (`Reader`).
pub struct Reader<'a> {
    c: Cursor<'a>,
    last_ts: Time,
    gen: u64,
    table: Rc<Table<'a>>,
    batches: Vec<Vec<Batch<'a>>>,
    spill: Option<Batch<'a>>,
    started: bool,
    frontier: Vec<BatchCursor<'a>>,
    cpu: std::vec::IntoIter<CpuSample>,
    cpu_next: Option<CpuSample>,
    order: Ordering<'a>,
    emitted_sync: bool,
    /// Every batch read so far, in file order.
    read: Vec<Batch<'a>>,
}

impl<'a> Reader<'a> {
    /// Checks the header (`NewReader`).
    pub fn new(data: &'a [u8]) -> Result<Reader<'a>, Error> {
        let start = read_header(data)?;
        Ok(Reader {
            c: Cursor::new(data, start),
            last_ts: 0,
            gen: 0,
            table: Rc::default(),
            batches: Vec::new(),
            spill: None,
            started: false,
            frontier: Vec::new(),
            cpu: Vec::new().into_iter(),
            cpu_next: None,
            order: Ordering::default(),
            emitted_sync: true,
            read: Vec::new(),
        })
    }

    /// The next event (`ReadEvent`); `Ok(None)` at the end of the trace.
    pub fn next_event(&mut self) -> Result<Option<Event<'a>>, Error> {
        let Some(e) = self.next_unchecked()? else {
            return Ok(None);
        };
        e.validate_table_ids().map_err(Error::whole)?;
        let mut e = e;
        if e.base.time <= self.last_ts {
            e.base.time = self.last_ts.wrapping_add(1);
        }
        self.last_ts = e.base.time;
        Ok(Some(e))
    }

    /// Every batch read so far, in file order: once [`Reader::next_event`] has returned
    /// `Ok(None)`, every batch of the file, as [`super::dec::batches`] lists them (the reader
    /// reads each batch once and stops only at the end of the input or at an error).
    pub fn batches_read(&self) -> &[Batch<'a>] {
        &self.read
    }

    fn event(&self, base: BaseEvent<'a>, ctx: Ctx) -> Event<'a> {
        Event {
            base,
            ctx,
            table: Rc::clone(&self.table),
        }
    }

    fn next_unchecked(&mut self) -> Result<Option<Event<'a>>, Error> {
        if let Some((base, ctx)) = self.order.extra.take() {
            return Ok(Some(self.event(base, ctx)));
        }
        if self.frontier.is_empty() && self.cpu_next.is_none() {
            if !self.emitted_sync {
                self.emitted_sync = true;
                let base = BaseEvent {
                    typ: EV_SYNC,
                    time: self.last_ts,
                    ..Default::default()
                };
                return Ok(Some(self.event(
                    base,
                    Ctx {
                        g: NONE,
                        p: NONE,
                        m: NONE,
                    },
                )));
            }
            if self.started && self.spill.is_none() {
                return Ok(None);
            }
            self.load_generation()?;
        }
        if let Some(s) = self.cpu_next {
            if self.frontier.is_empty() || s.time < self.frontier[0].ev.time {
                self.cpu_next = self.cpu.next();
                let mut base = BaseEvent {
                    typ: EV_CPU_SAMPLE,
                    time: s.time,
                    ..Default::default()
                };
                base.args[0] = s.stack;
                return Ok(Some(self.event(
                    base,
                    Ctx {
                        g: s.g,
                        p: s.p,
                        m: s.m,
                    },
                )));
            }
        }
        self.advance_frontier().map(Some)
    }

    fn load_generation(&mut self) -> Result<(), Error> {
        let (g, spill) = read_generation(&mut self.c, self.spill.take(), &mut self.read)?;
        self.started = true;
        self.spill = spill;
        self.gen = g.gen;
        self.table = Rc::new(g.table);
        let mut cpu = g.cpu_samples.into_iter();
        self.cpu_next = cpu.next();
        self.cpu = cpu;
        self.batches.clear();
        for (m, bs) in g.batches {
            let i = self.batches.len();
            self.batches.push(bs);
            let mut bc = BatchCursor {
                m,
                slot: i,
                last_ts: 0,
                idx: 0,
                data_off: 0,
                ev: BaseEvent::default(),
                off: 0,
            };
            if self.next_in(&mut bc)? {
                self.frontier.push(bc);
                let n = self.frontier.len() - 1;
                sift_up(&mut self.frontier, n);
            }
        }
        self.emitted_sync = false;
        Ok(())
    }

    /// `batchCursor.nextEvent` over the batches of slot `i`.
    fn next_in(&self, bc: &mut BatchCursor<'a>) -> Result<bool, Error> {
        let bs = &self.batches[bc.slot];
        while bc.idx < bs.len() && bs[bc.idx].data.len() == bc.data_off {
            bc.idx += 1;
            bc.data_off = 0;
            bc.last_ts = 0;
        }
        let Some(b) = bs.get(bc.idx) else {
            return Ok(false);
        };
        if bc.last_ts == 0 {
            bc.last_ts = self.table.time(b.time);
        }
        bc.off = b.data_off + bc.data_off;
        let (n, dt) =
            read_timed(&b.data[bc.data_off..], &mut bc.ev).map_err(|m| Error::at(bc.off, m))?;
        bc.ev.time = self.table.time(dt).wrapping_add(bc.last_ts);
        bc.last_ts = bc.ev.time;
        bc.data_off += n;
        Ok(true)
    }

    fn advance_frontier(&mut self) -> Result<Event<'a>, Error> {
        if let Some(e) = self.try_advance(0)? {
            return Ok(e);
        }
        self.frontier.sort_by_key(|bc| bc.ev.time);
        for i in 1..self.frontier.len() {
            if let Some(e) = self.try_advance(i)? {
                return Ok(e);
            }
        }
        Err(Error::whole(format!(
            "broken trace: failed to advance: frontier:\n[gen={}]\n\n{}\n{}\n",
            self.gen,
            super::diag::frontier(self.frontier.iter().map(|bc| (bc.m, &bc.ev))),
            super::diag::ordering(&self.order)
        )))
    }

    fn try_advance(&mut self, i: usize) -> Result<Option<Event<'a>>, Error> {
        let Some(bc) = self.frontier.get_mut(i) else {
            return Ok(None);
        };
        let (m, off) = (bc.m, bc.off);
        let mut ev = bc.ev;
        let ctx = self
            .order
            .advance(&mut ev, &self.table, m, self.gen)
            .map_err(|msg| Error::at(off, msg))?;
        self.frontier[i].ev = ev;
        let Some(ctx) = ctx else {
            return Ok(None);
        };
        let e = self.event(ev, ctx);
        self.refresh(i)?;
        Ok(Some(e))
    }

    fn refresh(&mut self, i: usize) -> Result<(), Error> {
        let mut bc = self.frontier[i].clone();
        if self.next_in(&mut bc)? {
            self.frontier[i] = bc;
            if sift_up(&mut self.frontier, i) == i {
                sift_down(&mut self.frontier, i);
            }
        } else {
            remove(&mut self.frontier, i);
        }
        Ok(())
    }
}

/// `readTimedBaseEvent`: type, timestamp delta and the spec's arguments.
pub(super) fn read_timed<'a>(b: &[u8], e: &mut BaseEvent<'a>) -> Result<(usize, u64), String> {
    let typ = b[0];
    let Some(spec) = ev::spec(typ) else {
        return Err(format!("found invalid event type: {typ}"));
    };
    e.typ = typ;
    e.extra_str = &[];
    if spec.args.is_empty() || !spec.timed {
        return Err(format!("found event without a timestamp: type={typ}"));
    }
    let (ts, mut n) = uvarint(&b[1..]).ok_or("found invalid uvarint for timestamp")?;
    n += 1;
    for i in 0..spec.args.len() - 1 {
        let (v, k) = uvarint(&b[n..]).ok_or("found invalid uvarint")?;
        e.args[i] = v;
        n += k;
    }
    Ok((n, ts))
}

fn sift_up(h: &mut [BatchCursor<'_>], mut i: usize) -> usize {
    while i > 0 && h[(i - 1) / 2].ev.time > h[i].ev.time {
        h.swap((i - 1) / 2, i);
        i = (i - 1) / 2;
    }
    i
}

fn sift_down(h: &mut [BatchCursor<'_>], mut i: usize) {
    loop {
        let mut m = i;
        for c in [2 * i + 1, 2 * i + 2] {
            if c < h.len() && h[c].ev.time < h[m].ev.time {
                m = c;
            }
        }
        if m == i {
            return;
        }
        h.swap(i, m);
        i = m;
    }
}

/// `heapRemove`: bubble `i` to the root, swap it with the last, sift the new root down.
fn remove(h: &mut Vec<BatchCursor<'_>>, mut i: usize) {
    while i > 0 {
        h.swap((i - 1) / 2, i);
        i = (i - 1) / 2;
    }
    let last = h.len() - 1;
    h.swap(0, last);
    h.pop();
    sift_down(h, 0);
}
