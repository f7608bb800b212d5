//! Encoder-written go1.22 traces at volume: a seeded random schedule of goroutines on Ms and Ps
//! over several generations, written the way the runtime writes (status events at a resource's
//! first mention in a generation, per-generation sequence numbers, per-M batches cut at 64 KiB,
//! per-generation CPU samples, stack and string tables and frequency). Every seed must read and
//! validate; `scripts/go-conformance.sh` has Go's reader judge a few.

use crate::go122_traces::{batch, tables};
use std::collections::BTreeMap;
use tracer::fuzz::Rng;
use tracer::go122::wire::{self, enc, ev::*};

#[derive(Clone, Copy, PartialEq)]
enum G {
    Runnable,
    Running(usize),
    Waiting,
}

struct Synth {
    rng: Rng,
    out: Vec<u8>,
    gen: u64,
    ts: u64,
    gs: BTreeMap<u64, G>,
    gseq: BTreeMap<u64, u64>,
    next_g: u64,
    ms: Vec<MBuf>,
    cpu: Vec<enc::CpuSample>,
}

#[derive(Default)]
struct MBuf {
    g: Option<u64>,
    p_traced: bool,
    p_seq: u64,
    buf: Vec<u8>,
    base: u64,
    last: u64,
}

const M0: u64 = 100;

impl Synth {
    fn m_id(i: usize) -> u64 {
        M0 + i as u64
    }

    fn flush(&mut self, i: usize) {
        let m = &mut self.ms[i];
        if !m.buf.is_empty() {
            let (gen, body) = (self.gen, std::mem::take(&mut m.buf));
            batch(&mut self.out, gen, Self::m_id(i), m.base, |o| {
                o.extend_from_slice(&body)
            });
        }
    }

    /// Writes one event on M `i`, with the P's and goroutines' status first if untraced.
    fn ev(&mut self, i: usize, typ: u8, args: &[u64]) {
        self.ts += 1 + self.rng.below(20) as u64;
        if self.ms[i].buf.len() > 60_000 {
            self.flush(i);
        }
        let m = &mut self.ms[i];
        if m.buf.is_empty() {
            m.base = self.ts - 1;
            m.last = m.base;
        }
        let dt = self.ts - m.last;
        m.last = self.ts;
        enc::event(&mut m.buf, typ, dt, args);
    }

    /// The P of M `i` (P `i`): a `ProcStatus` at its first event in the generation.
    fn proc(&mut self, i: usize) {
        if !self.ms[i].p_traced {
            self.ms[i].p_traced = true;
            self.ms[i].p_seq = 0;
            self.ev(i, EV_PROC_STATUS, &[i as u64, PROC_RUNNING]);
        }
    }

    /// Goroutine `g`'s status at its first mention in the generation; its next sequence number.
    fn mention(&mut self, i: usize, g: u64) -> u64 {
        self.status(i, g);
        let s = self.gseq.get_mut(&g).unwrap();
        *s += 1;
        *s
    }

    /// A `GoStatus` for `g` if it has none yet in this generation.
    fn status(&mut self, i: usize, g: u64) {
        if !self.gseq.contains_key(&g) {
            let (m, st) = match self.gs[&g] {
                G::Running(_) => (Self::m_id(i), GO_RUNNING),
                G::Runnable => (enc::NO_M, GO_RUNNABLE),
                G::Waiting => (enc::NO_M, GO_WAITING),
            };
            self.ev(i, EV_GO_STATUS, &[g, m, st]);
            self.gseq.insert(g, 0);
        }
    }

    fn step(&mut self) {
        let i = self.rng.below(self.ms.len());
        self.proc(i);
        match self.ms[i].g {
            None => self.start_one(i),
            Some(g) => self.run_one(i, g),
        }
    }

    fn pick(&mut self, want: G) -> Option<u64> {
        let c: Vec<u64> = self
            .gs
            .iter()
            .filter(|(_, s)| **s == want)
            .map(|(g, _)| *g)
            .collect();
        (!c.is_empty()).then(|| c[self.rng.below(c.len())])
    }

    fn start_one(&mut self, i: usize) {
        let Some(g) = self.pick(G::Runnable) else {
            // An idle P readies a waiting goroutine (a timer or the netpoller would).
            return self.unblock_one(i);
        };
        let seq = self.mention(i, g);
        self.ev(i, EV_GO_START, &[g, seq]);
        self.gs.insert(g, G::Running(i));
        self.ms[i].g = Some(g);
    }

    fn run_one(&mut self, i: usize, g: u64) {
        self.status(i, g);
        match self.rng.below(10) {
            0 | 1 => self.stop(i, g, EV_GO_BLOCK, G::Waiting),
            2 => self.stop(i, g, EV_GO_STOP, G::Runnable),
            3 if self.gs.len() < 200 => {
                self.next_g += 1;
                let ng = self.next_g;
                self.ev(i, EV_GO_CREATE, &[ng, 2, 1]);
                self.gs.insert(ng, G::Runnable);
            }
            4 => {
                self.ms[i].p_seq += 1;
                let s = self.ms[i].p_seq;
                self.ev(i, EV_GO_SYSCALL_BEGIN, &[s, 1]);
                self.ev(i, EV_GO_SYSCALL_END, &[]);
            }
            5 | 6 => self.unblock_one(i),
            7 if self.gs.len() > 4 => {
                self.ev(i, EV_GO_DESTROY, &[]);
                self.gs.remove(&g);
                self.ms[i].g = None;
            }
            8 => {
                let (m, p, ts) = (Self::m_id(i), i as u64, self.ts);
                self.cpu.push(enc::CpuSample {
                    ts,
                    m,
                    p,
                    g,
                    stack: 1,
                });
                let v = self.rng.next_u64() >> 40;
                self.ev(i, EV_HEAP_ALLOC, &[v]);
            }
            _ => self.ev(i, EV_USER_LOG, &[0, 9, 10, 1]),
        }
    }

    fn unblock_one(&mut self, i: usize) {
        if let Some(w) = self.pick(G::Waiting) {
            let seq = self.mention(i, w);
            self.ev(i, EV_GO_UNBLOCK, &[w, seq, 1]);
            self.gs.insert(w, G::Runnable);
        }
    }

    fn stop(&mut self, i: usize, g: u64, typ: u8, to: G) {
        self.ev(i, typ, &[5, 1]);
        self.gs.insert(g, to);
        self.ms[i].g = None;
    }

    fn end_generation(&mut self) {
        for i in 0..self.ms.len() {
            self.flush(i);
            self.ms[i].p_traced = false;
        }
        let cpu = std::mem::take(&mut self.cpu);
        if !cpu.is_empty() {
            batch(&mut self.out, self.gen, enc::NO_M, 0, |o| {
                enc::cpu_samples_begin(o);
                cpu.iter().for_each(|s| enc::cpu_sample(o, s));
            });
        }
        tables(&mut self.out, self.gen);
        self.gseq.clear();
        self.gen += 1;
    }
}

/// A valid encoder-written trace: `ms` Ms (each with its own P), `gens` generations of
/// `steps` scheduling steps each.
pub fn synth_trace(seed: u64, ms: usize, gens: u64, steps: usize) -> Vec<u8> {
    let mut s = Synth {
        rng: Rng::new(seed),
        out: enc::HEADER.to_vec(),
        gen: 1,
        ts: 1000,
        gs: (1..=8).map(|g| (g, G::Runnable)).collect(),
        gseq: BTreeMap::new(),
        next_g: 8,
        ms: (0..ms).map(|_| MBuf::default()).collect(),
        cpu: Vec::new(),
    };
    for _ in 0..gens {
        for _ in 0..steps {
            s.step();
        }
        s.end_generation();
    }
    s.out
}

#[test]
pub fn go122_encoder_written_schedules_read_and_validate() {
    for seed in 1..=20 {
        let data = synth_trace(seed, 1 + seed as usize % 4, 1 + seed % 3, 300);
        let v = wire::read_and_validate(&data, false);
        assert_eq!(
            v.error, None,
            "seed {seed}: replay with synth_trace({seed}, ..)"
        );
        assert_eq!(wire::check::check(&data), vec![], "seed {seed}");
    }
    let big = synth_trace(99, 4, 3, 40_000);
    assert!(
        big.len() > 3 * (64 << 10),
        "big enough to cut batches: {}",
        big.len()
    );
    let v = wire::read_and_validate(&big, false);
    assert_eq!(v.error, None);
    assert!(v.events > 100_000, "{} events", v.events);
}

/// Writes encoder-written traces to `$WIRE_TRACE_DIR_122` for the oracle (with the other
/// hand-built traces; see `go122_golden`).
#[test]
pub fn go122_encoder_written_traces_are_written_for_the_oracle_on_request() {
    let Ok(dir) = std::env::var("WIRE_TRACE_DIR_122") else {
        return;
    };
    for (seed, ms, gens, steps) in [(1, 1, 1, 200), (2, 2, 3, 2_000), (3, 4, 2, 30_000)] {
        let data = synth_trace(seed, ms, gens, steps);
        std::fs::write(format!("{dir}/synth-{seed}.trace"), data).unwrap();
        std::fs::write(format!("{dir}/synth-{seed}.want"), "PASS\n").unwrap();
    }
}
