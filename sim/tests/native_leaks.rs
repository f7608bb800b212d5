//! Native runs stop before the threads that failed executions leave blocked exhaust the
//! process: each failing execution here leaves one thread waiting forever.

use crate::util::config;
use sim::native::{run_native, NativeOptions};
use sim::sync::Arc;
use sim::sync::Parker;
use sim::thread::spawn;
use sim::SchedulerSpec;
use std::time::Duration;

#[test]
fn a_native_run_stops_when_failed_executions_leave_too_many_threads_blocked() {
    let cfg = config(1, 50, SchedulerSpec::Random, "native_leaks");
    let opts = NativeOptions {
        timeout: Duration::from_secs(5),
        max_hung: 1,
        max_leaked: sim::thread::native_live() + 3,
    };
    let rep = run_native(
        &cfg,
        &opts,
        || {
            let never = Arc::new(Parker::new("a wake-up that never comes"));
            let _blocked = spawn("waiter", move || never.park());
            panic!("the execution fails, leaving its waiter blocked");
        },
        |_| {},
    );
    // Other tests of this binary may run native threads meanwhile, so the count is checked
    // against the bound, not to the thread: about four executions, far from fifty.
    assert_eq!(rep.hung, 0, "the body itself never hangs");
    assert!(rep.run.executions < 50, "{} executions", rep.run.executions);
    assert_eq!(rep.run.failure_count, rep.run.executions);
    assert!(
        rep.leaked > opts.max_leaked,
        "{} > {}",
        rep.leaked,
        opts.max_leaked
    );
}
