//! One generation of a go1.22 trace: its batches by M, its string and stack tables, its CPU
//! samples and its frequency.
//!
//! Mirrors go1.22 `internal/trace/v2/generation.go` (`readGeneration`, `processBatch`,
//! `addStrings`, `addStacks`, `addCPUSamples`, `parseFreq`, `validateStackStrings`) and the
//! `evTable`/`dataTable` of `base.go`, with Go's messages. Batches of one M keep file order; Ms
//! are kept in id order (Go uses a map, so its order among equal timestamps is random).

use super::dec::{read_batch, Batch, Cursor};
use super::ev::*;
use crate::common::wire::{Error, Frame};
use std::collections::BTreeMap;

/// Go's `Time`: nanoseconds as a signed 64-bit count.
pub type Time = i64;

/// Go's float64 → int64 conversion on amd64: out of range and NaN give `i64::MIN`.
pub fn go_f64_to_i64(x: f64) -> i64 {
    if x.is_nan() || !(-9.223372036854776e18..9.223372036854776e18).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

/// An id-keyed table (`dataTable`): id 0 always reads as the empty value.
#[derive(Debug, Clone, Default)]
pub struct DataTable<T> {
    dense: Vec<Option<T>>,
    sparse: BTreeMap<u64, T>,
    empty: T,
}

impl<T: Default> DataTable<T> {
    /// The value of `id`, if defined (`get`).
    pub fn get(&self, id: u64) -> Option<&T> {
        if id == 0 {
            return Some(&self.empty);
        }
        match self.dense.get(id as usize) {
            Some(v) => v.as_ref(),
            None => self.sparse.get(&id),
        }
    }

    /// Defines `id` (`insert`); an id already defined (0 included) gives back the old value.
    pub fn insert(&mut self, id: u64, data: T) -> Result<(), (T, &T)> {
        if self.get(id).is_some() {
            return Err((data, self.get(id).unwrap_or(&self.empty)));
        }
        let dense_limit = 2 * (self.dense.len() + self.sparse.len()) as u64 + 4096;
        if id < dense_limit {
            if self.dense.len() <= id as usize {
                self.dense.resize_with(id as usize + 1, || None);
            }
            self.dense[id as usize] = Some(data);
        } else {
            self.sparse.insert(id, data);
        }
        Ok(())
    }

    /// Every defined id and value, dense ids ascending then sparse ones ascending.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        let dense = self.dense.iter().enumerate();
        let dense = dense.filter_map(|(i, v)| v.as_ref().map(|v| (i as u64, v)));
        dense.chain(self.sparse.iter().map(|(&i, v)| (i, v)))
    }

    /// Number of defined ids.
    pub fn len(&self) -> usize {
        self.dense.iter().filter(|v| v.is_some()).count() + self.sparse.len()
    }

    /// Whether no id is defined.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A generation's tables (`evTable`).
#[derive(Debug, Clone, Default)]
pub struct Table<'a> {
    /// Nanoseconds per trace-clock tick (`frequency`); 0 until the frequency batch is read.
    pub freq: f64,
    /// The string table.
    pub strings: DataTable<&'a [u8]>,
    /// The stack table.
    pub stacks: DataTable<Vec<Frame>>,
}

impl Table<'_> {
    /// A trace-clock timestamp in nanoseconds (`frequency.mul`).
    pub fn time(&self, ts: u64) -> Time {
        go_f64_to_i64(ts as f64 * self.freq)
    }
}

/// A CPU sample (`cpuSample`): its context, time (raw until the generation is complete) and stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuSample {
    /// M, P and G ids (G is −1 when the sample had none).
    pub m: i64,
    pub p: i64,
    pub g: i64,
    /// Time in nanoseconds.
    pub time: Time,
    /// Stack id.
    pub stack: u64,
}

/// One generation (`generation`).
#[derive(Debug, Clone, Default)]
pub struct Generation<'a> {
    /// Generation number.
    pub gen: u64,
    /// Event batches by M, each M's in file order.
    pub batches: BTreeMap<i64, Vec<Batch<'a>>>,
    /// CPU samples sorted by time.
    pub cpu_samples: Vec<CpuSample>,
    /// String and stack tables and the frequency.
    pub table: Table<'a>,
}

/// Reads the next generation at `c` (`readGeneration`), starting with `spill`, the first batch
/// of this generation read while finishing the previous one. Returns the generation and the
/// first batch of the next, if any. Every batch read is also appended to `log`.
pub fn read_generation<'a>(
    c: &mut Cursor<'a>,
    spill: Option<Batch<'a>>,
    log: &mut Vec<Batch<'a>>,
) -> Result<(Generation<'a>, Option<Batch<'a>>), Error> {
    let mut g = Generation::default();
    let mut next = None;
    if let Some(b) = spill {
        g.gen = b.gen;
        process_batch(&mut g, b)?;
    }
    while let Some(b) = read_batch(c)? {
        log.push(b);
        if b.gen == 0 {
            return Err(Error::at(
                b.off,
                format!("invalid generation number {}", b.gen),
            ));
        }
        if g.gen == 0 {
            g.gen = b.gen;
        }
        if b.gen == g.gen.wrapping_add(1) {
            next = Some(b);
            break;
        }
        if b.gen != g.gen {
            return Err(Error::at(b.off, "generations out of order"));
        }
        process_batch(&mut g, b)?;
    }
    finish(&mut g)?;
    Ok((g, next))
}

fn finish(g: &mut Generation<'_>) -> Result<(), Error> {
    if g.table.freq == 0.0 {
        return Err(Error::whole("no frequency event found"));
    }
    validate_stack_strings(&g.table)?;
    for s in &mut g.cpu_samples {
        s.time = g.table.time(s.time as u64);
    }
    g.cpu_samples.sort_by_key(|s| s.time);
    Ok(())
}

fn process_batch<'a>(g: &mut Generation<'a>, b: Batch<'a>) -> Result<(), Error> {
    let at = |e: String| Error::at(b.off, e);
    match b.kind() {
        Some(EV_STRINGS) => add_strings(&mut g.table.strings, &b).map_err(at),
        Some(EV_STACKS) => add_stacks(&mut g.table.stacks, &b).map_err(at),
        Some(EV_CPU_SAMPLES) => add_cpu_samples(&mut g.cpu_samples, &b).map_err(at),
        Some(EV_FREQUENCY) => {
            let freq = parse_freq(&b).map_err(at)?;
            if g.table.freq != 0.0 {
                return Err(at("found multiple frequency events".into()));
            }
            g.table.freq = freq;
            Ok(())
        }
        _ => {
            g.batches.entry(b.m).or_default().push(b);
            Ok(())
        }
    }
}

fn validate_stack_strings(t: &Table<'_>) -> Result<(), Error> {
    for (id, frames) in t.stacks.iter() {
        for f in frames {
            if t.strings.get(f.func_id).is_none() {
                let msg = format!("found invalid func string ID {} for stack {id}", f.func_id);
                return Err(Error::whole(msg));
            }
            if t.strings.get(f.file_id).is_none() {
                let msg = format!("found invalid file string ID {} for stack {id}", f.file_id);
                return Err(Error::whole(msg));
            }
        }
    }
    Ok(())
}

fn record_start(c: &mut Cursor<'_>, want: u8, what: &str) -> Result<(), String> {
    let ev = c.byte().unwrap_or(0);
    if ev != want {
        return Err(format!("expected {what} event, got {ev}"));
    }
    Ok(())
}

fn add_strings<'a>(tab: &mut DataTable<&'a [u8]>, b: &Batch<'a>) -> Result<(), String> {
    let mut c = Cursor::new(b.data, 1);
    while c.remaining() != 0 {
        record_start(&mut c, EV_STRING, "string")?;
        let id = c.uvarint()?;
        let len = c.uvarint()?;
        if len > MAX_STRING_SIZE {
            return Err(format!(
                "invalid string size {len}, maximum is {MAX_STRING_SIZE}"
            ));
        }
        let s = c.take(len);
        if s.len() as u64 != len {
            return Err(format!(
                "failed to read full string: read {} but wanted {len}",
                s.len()
            ));
        }
        tab.insert(id, s).map_err(|(new, old)| {
            let (new, old) = (String::from_utf8_lossy(new), String::from_utf8_lossy(old));
            format!("multiple strings with the same ID: id={id}, new={new}, existing={old}")
        })?;
    }
    Ok(())
}

fn add_stacks(tab: &mut DataTable<Vec<Frame>>, b: &Batch<'_>) -> Result<(), String> {
    let mut c = Cursor::new(b.data, 1);
    while c.remaining() != 0 {
        record_start(&mut c, EV_STACK, "stack")?;
        let id = c.uvarint()?;
        let n = c.uvarint()?;
        if n > MAX_FRAMES_PER_STACK {
            return Err(format!(
                "invalid stack size {n}, maximum is {MAX_FRAMES_PER_STACK}"
            ));
        }
        let mut frames = Vec::with_capacity(n as usize);
        for i in 1..=n {
            frames.push(read_frame(&mut c, i, id)?);
        }
        tab.insert(id, frames).map_err(|(new, old)| {
            let (new, old) = (stack_v(&new), stack_v(old));
            format!("multiple trace.stacks with the same ID: id={id}, new={new}, existing={old}")
        })?;
    }
    Ok(())
}

fn read_frame(c: &mut Cursor<'_>, i: u64, id: u64) -> Result<Frame, String> {
    let mut v = [0u64; 4];
    for (k, what) in ["PC", "funcID", "fileID", "line"].iter().enumerate() {
        v[k] = c
            .uvarint()
            .map_err(|e| format!("reading frame {i}'s {what} for stack {id}: {e}"))?;
    }
    let [pc, func_id, file_id, line] = v;
    Ok(Frame {
        pc,
        func_id,
        file_id,
        line,
    })
}

/// Go's `%v` of a `stack`: `{[{pc func file line} …]}`.
fn stack_v(frames: &[Frame]) -> String {
    let fs: Vec<String> = frames
        .iter()
        .map(|f| format!("{{{} {} {} {}}}", f.pc, f.func_id, f.file_id, f.line))
        .collect();
    format!("{{[{}]}}", fs.join(" "))
}

fn add_cpu_samples(out: &mut Vec<CpuSample>, b: &Batch<'_>) -> Result<(), String> {
    let mut c = Cursor::new(b.data, 1);
    while c.remaining() != 0 {
        record_start(&mut c, EV_CPU_SAMPLE, "CPU sample")?;
        let ts = c.uvarint()?;
        let m = c.uvarint()? as i64;
        let p = c.uvarint()? as i64;
        let g = c.uvarint()?;
        let g = if g == 0 { -1 } else { g as i64 };
        let stack = c.uvarint()?;
        out.push(CpuSample {
            m,
            p,
            g,
            time: ts as i64,
            stack,
        });
    }
    Ok(())
}

fn parse_freq(b: &Batch<'_>) -> Result<f64, String> {
    let mut c = Cursor::new(b.data, 1);
    let f = c.uvarint()?;
    Ok(1.0 / (f as f64 / 1e9))
}
