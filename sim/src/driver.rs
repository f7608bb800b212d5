//! The driver: our shuttle `Scheduler`. It plays three roles at once, all on the OS thread that
//! runs the executions: it starts each execution (derives its seed, installs its context, builds
//! its strategy), picks every step through that strategy while recording the decision, and ends
//! the execution early when a failure was recorded (letting the failing thread finish unwinding)
//! or when the step bound is exceeded (a livelock). A stopped execution is quiet: shuttle tears it
//! down without reporting, and the runner reports it once.

use crate::ctx::{self, ExecCtx, Pending};
use crate::failure::FailureKind;
use crate::rank::{RankAction, RankMode};
use crate::sched::{self, Replay, SchedulerSpec, Strategy};
use crate::wait;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};
use std::cell::RefCell;
use std::rc::Rc;

/// What one execution is: its index, seed, scheduler, and optional recording to follow.
#[derive(Clone, Debug)]
pub(crate) struct ExecPlan {
    pub index: u64,
    pub exec_seed: u64,
    pub spec: SchedulerSpec,
    pub replay: Option<Vec<u32>>,
}

/// Settings shared by every execution of a run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub pct_steps: u64,
    pub max_steps: u64,
    pub rank_mode: RankMode,
    pub rank_action: RankAction,
}

/// An execution that ended, with everything its context recorded.
pub(crate) struct Finished {
    pub plan: ExecPlan,
    pub decisions: Vec<u32>,
    pub steps: u64,
    pub ctx: ExecCtx,
}

struct Running {
    plan: ExecPlan,
    strategy: Box<dyn Strategy>,
    decisions: Vec<u32>,
    steps: u64,
    data: ChaCha8Rng,
    scratch: Vec<usize>,
}

type NextPlan = Box<dyn FnMut() -> Option<ExecPlan>>;
type OnFinish = Box<dyn FnMut(Finished) -> bool>;

/// The state behind the driver, shared with the runner.
pub(crate) struct Core {
    settings: Settings,
    next_plan: NextPlan,
    on_finish: OnFinish,
    running: Option<Running>,
    halted: bool,
    /// The previous execution's decision count and scratch buffer: the next execution starts
    /// with room for as many decisions and reuses the buffer (no reallocation on the hot path).
    decisions_hint: usize,
    spare_scratch: Vec<usize>,
}

impl Core {
    pub(crate) fn new(settings: Settings, next_plan: NextPlan, on_finish: OnFinish) -> Self {
        Self {
            settings,
            next_plan,
            on_finish,
            running: None,
            halted: false,
            decisions_hint: 0,
            spare_scratch: Vec::new(),
        }
    }

    /// Whether the run is over (no plan left, or the observer asked to stop).
    pub(crate) fn halted(&self) -> bool {
        self.halted
    }

    fn start_next(&mut self) -> Option<Schedule> {
        self.finish_current(None);
        if self.halted {
            return None;
        }
        let Some(plan) = (self.next_plan)() else {
            self.halted = true;
            return None;
        };
        let seed = plan.exec_seed;
        ctx::begin(seed, self.settings.rank_mode, self.settings.rank_action);
        let strategy: Box<dyn Strategy> = match (sched::guided::take_next(), &plan.replay) {
            (Some(g), _) => g,
            (None, Some(d)) => Box::new(Replay::new(d.clone())),
            (None, None) => sched::strategy(plan.spec, seed, self.settings.pct_steps),
        };
        let data = ChaCha8Rng::seed_from_u64(seed ^ 0xDA7A_DA7A_DA7A_DA7A);
        self.running = Some(Running {
            plan,
            strategy,
            decisions: Vec::with_capacity(self.decisions_hint),
            steps: 0,
            data,
            scratch: std::mem::take(&mut self.spare_scratch),
        });
        Some(Schedule::new(seed))
    }

    /// Ends the running execution, if any; `shuttle_panic` is the message of a failure that
    /// shuttle itself raised (its own deadlock detection, a fallback to ours).
    pub(crate) fn finish_current(&mut self, shuttle_panic: Option<String>) {
        let Some(run) = self.running.take() else {
            return;
        };
        self.decisions_hint = run.decisions.len().min(4096);
        self.spare_scratch = run.scratch;
        let mut ctx = ctx::end().unwrap_or_default();
        if let (Some(msg), None) = (shuttle_panic, &ctx.failure) {
            let kind = if msg.starts_with("deadlock") {
                FailureKind::Deadlock
            } else {
                FailureKind::Panic
            };
            let mut lines = vec![format!("shuttle: {msg}")];
            lines.extend(wait::threads(&ctx));
            ctx.failure = Some(Pending {
                kind,
                message: lines.join("\n"),
                location: None,
                step: run.steps,
            });
        }
        if let (Some(rec), None) = (&run.plan.replay, &ctx.failure) {
            if rec.len() > run.decisions.len() {
                let message = format!(
                    "replay diverged at step {}: the execution finished but the recording has {} decisions \
                     (the code changed since the recording, or the scheduler differs)",
                    run.steps + 1,
                    rec.len()
                );
                let step = run.steps + 1;
                ctx.failure = Some(Pending {
                    kind: FailureKind::Divergence,
                    message,
                    location: None,
                    step,
                });
            }
        }
        let finished = Finished {
            plan: run.plan,
            decisions: run.decisions,
            steps: run.steps,
            ctx,
        };
        if !(self.on_finish)(finished) {
            self.halted = true;
        }
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        yielding: bool,
    ) -> Option<TaskId> {
        let max_steps = self.settings.max_steps;
        let run = self.running.as_mut()?;
        run.steps += 1;
        let step = run.steps;
        let (stopping, failing) = ctx::with(|c| {
            c.step = step;
            (c.stopping, c.failing_task.filter(|_| !c.failing_done))
        })
        .unwrap_or((false, None));
        if stopping {
            let t = runnable
                .iter()
                .find(|t| Some(usize::from(t.id())) == failing)?;
            run.decisions.push(usize::from(t.id()) as u32);
            ctx::set_scheduled(usize::from(t.id()));
            return Some(t.id());
        }
        if step > max_steps {
            ctx::with(|c| livelock(c, max_steps));
            return None;
        }
        run.scratch.clear();
        run.scratch.extend(
            runnable
                .iter()
                .filter(|t| t.runnable())
                .map(|t| usize::from(t.id())),
        );
        if run.scratch.is_empty() {
            run.scratch
                .extend(runnable.iter().map(|t| usize::from(t.id())));
        }
        match run
            .strategy
            .pick(&run.scratch, current.map(usize::from), yielding, step)
        {
            Ok(id) => {
                run.decisions.push(id as u32);
                ctx::set_scheduled(id);
                Some(TaskId::from(id))
            }
            Err(msg) => {
                ctx::with(|c| c.fail(FailureKind::Divergence, msg, None));
                None
            }
        }
    }
}

fn livelock(c: &mut ExecCtx, max_steps: u64) {
    let mut lines = vec![format!(
        "livelock: the execution exceeded its bound of {max_steps} scheduling steps \
         (a thread spins without making progress, or waits for a wake-up that never comes while others spin)"
    )];
    lines.extend(wait::threads(c));
    c.fail(FailureKind::Livelock, lines.join("\n"), None);
}

/// The shuttle scheduler handed to `shuttle::Runner`.
pub(crate) struct Driver(pub Rc<RefCell<Core>>);

impl Scheduler for Driver {
    fn new_execution(&mut self) -> Option<Schedule> {
        self.0.borrow_mut().start_next()
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        self.0
            .borrow_mut()
            .next_task(runnable, current, is_yielding)
    }

    fn next_u64(&mut self) -> u64 {
        let mut core = self.0.borrow_mut();
        core.running.as_mut().map_or(0, |r| r.data.next_u64())
    }
}
