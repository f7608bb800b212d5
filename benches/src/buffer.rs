//! The bounded-buffer workload of shuttle-notes §3 on the facade, shared by the `sim_overhead`
//! bench and the `sim_race_cost` example: capacity 1, two `Condvar`s, two producers pushing `k`
//! items each and the main thread consuming `2k`; [`cells`] keeps the queue in a checked cell.

use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::Arc;

/// Capacity of the buffer.
pub const CAP: usize = 1;

/// The workload on the facade's primitives.
pub fn facade(k: u64) {
    use sim::sync::{Condvar, Mutex};
    let state = Arc::new((
        Mutex::new(VecDeque::with_capacity(CAP)),
        Condvar::new(),
        Condvar::new(),
    ));
    let producers: Vec<_> = (0..2)
        .map(|p| {
            let state = state.clone();
            sim::thread::spawn(["producer-0", "producer-1"][p as usize], move || {
                let (m, not_full, not_empty) = &*state;
                for i in 0..k {
                    let mut q = m.lock();
                    while q.len() == CAP {
                        q = not_full.wait(q);
                    }
                    q.push_back(p * 1000 + i);
                    not_empty.notify_one();
                }
            })
        })
        .collect();
    let (m, not_full, not_empty) = &*state;
    let mut sum = 0;
    for _ in 0..2 * k {
        let mut q = m.lock();
        while q.is_empty() {
            q = not_empty.wait(q);
        }
        sum += q.pop_front().unwrap();
        not_full.notify_one();
    }
    for p in producers {
        p.join();
    }
    black_box(sum);
}

/// The facade workload with the queue in a `Locked` cell beside its lock (the tracer's shape:
/// every push and pop is a checked access, race-checked under simulation).
pub fn cells(k: u64) {
    use sim::cell::Locked;
    use sim::sync::{Condvar, Mutex};
    let state = Arc::new((
        Mutex::new(()),
        Locked::new("queue", VecDeque::with_capacity(CAP)),
        Condvar::new(),
        Condvar::new(),
    ));
    let producers: Vec<_> = (0..2)
        .map(|p| {
            let state = state.clone();
            sim::thread::spawn(["producer-0", "producer-1"][p as usize], move || {
                let (m, q, not_full, not_empty) = &*state;
                for i in 0..k {
                    let mut g = m.lock();
                    while q.with(m, VecDeque::len) == CAP {
                        g = not_full.wait(g);
                    }
                    q.with_mut(m, |q| q.push_back(p * 1000 + i));
                    not_empty.notify_one();
                    drop(g);
                }
            })
        })
        .collect();
    let (m, q, not_full, not_empty) = &*state;
    let mut sum = 0;
    for _ in 0..2 * k {
        let mut g = m.lock();
        while q.with(m, VecDeque::is_empty) {
            g = not_empty.wait(g);
        }
        sum += q.with_mut(m, |q| q.pop_front().unwrap());
        not_full.notify_one();
        drop(g);
    }
    for p in producers {
        p.join();
    }
    black_box(sum);
}
