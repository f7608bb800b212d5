//! Splitting the seed space of a campaign: over N machines (`--shard I/N`) and over the J jobs
//! of one machine (`--jobs J`). Execution index k runs on shard k mod N; within a shard, the
//! indices are dealt to the jobs in blocks of [`BLOCK`] consecutive ones, round robin. So job j
//! of shard I runs indices `I + N*(B*j + B*J*m + r)` for m = 0, 1, … and r < B: shards and
//! jobs never run the same index, and together they run every index.

/// One slice of the seed space: indices ≡ `index` (mod `count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The whole seed space (`0/1`).
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` with 0 ≤ I < N.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("invalid shard {text:?}: expected I/N with 0 <= I < N (e.g. 0/4)");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse::<u64>().map_err(|_| bad())?,
            n.trim().parse::<u64>().map_err(|_| bad())?,
        );
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Consecutive indices of a shard a job takes at a time: `mix`'s period, so that every job
/// runs each of `mix`'s schedulers equally often (their costs per execution differ by up to a
/// third; jobs with a fixed stride of 2 would split them random + pct:2 against pct:1 + pct:3).
pub const BLOCK: u64 = sim::SchedulerSpec::MIX_PERIOD;

/// The indices job `job` of `jobs` on `shard` runs, as the runner's `start_index`, `stride`,
/// `block` and `every`: blocks of [`BLOCK`] consecutive indices of the shard, dealt
/// round robin to the jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobSlice {
    pub start_index: u64,
    pub stride: u64,
    pub block: u64,
    pub every: u64,
}

impl JobSlice {
    /// Makes `cfg` run this slice's indices.
    pub fn apply(&self, cfg: &mut sim::RunConfig) {
        cfg.start_index = self.start_index;
        cfg.stride = self.stride;
        cfg.block = self.block;
        cfg.every = self.every;
    }

    /// The index of the job's execution `k`, as the runner computes it.
    pub fn index(&self, k: u64) -> u64 {
        let mut cfg = sim::RunConfig::default();
        self.apply(&mut cfg);
        cfg.index_of(k)
    }
}

/// The slice of job `job` of `jobs` on `shard`.
pub fn job_slice(shard: Shard, jobs: u64, job: u64) -> JobSlice {
    segment_slice(shard, jobs, job, 0)
}

/// As [`job_slice`], for a segment of the shard that starts at its `offset`-th index (a
/// campaign without a bound runs its scenarios in turns, one segment each).
pub fn segment_slice(shard: Shard, jobs: u64, job: u64, offset: u64) -> JobSlice {
    assert!(job < jobs, "job {job} of {jobs}");
    JobSlice {
        start_index: shard.index + shard.count * (offset + BLOCK * job),
        stride: shard.count,
        block: BLOCK,
        every: jobs,
    }
}

/// How many of a segment's `total` indices job `job` of `jobs` runs: whole rounds of blocks,
/// then its share of the last, partial round (the segment's first `total` indices, whatever J
/// is).
pub fn job_budget(total: u64, jobs: u64, job: u64) -> u64 {
    let round = BLOCK * jobs;
    let rest = (total % round).saturating_sub(BLOCK * job).min(BLOCK);
    total / round * BLOCK + rest
}

/// The indices job `job` of `jobs` on `shard` runs with a budget of `total` executions for the
/// shard (for tests and docs; the runner computes the same from [`job_slice`]).
pub fn job_indices(shard: Shard, jobs: u64, job: u64, total: u64) -> impl Iterator<Item = u64> {
    let slice = job_slice(shard, jobs, job);
    (0..job_budget(total, jobs, job)).map(move |m| slice.index(m))
}
