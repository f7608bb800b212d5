//! Splitting the seed space of a campaign: over N machines (`--shard I/N`) and over the J jobs
//! of one machine (`--jobs J`). Execution index k runs on shard k mod N; within a shard, job j
//! takes every J-th of the shard's indices. So job j of shard I runs indices
//! `I + N*j + N*J*m` for m = 0, 1, …: shards and jobs never run the same index, and together
//! they run every index.

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

/// The first index and the stride of job `job` of `jobs` on `shard` (the runner's
/// `start_index` and `stride`).
pub fn job_slice(shard: Shard, jobs: u64, job: u64) -> (u64, u64) {
    segment_slice(shard, jobs, job, 0)
}

/// As [`job_slice`], for a segment of the shard that starts at its `offset`-th index (a
/// campaign without a bound runs its scenarios in turns, one segment each).
pub fn segment_slice(shard: Shard, jobs: u64, job: u64, offset: u64) -> (u64, u64) {
    assert!(job < jobs, "job {job} of {jobs}");
    (
        shard.index + shard.count * (offset + job),
        shard.count * jobs,
    )
}

/// How many of a shard's `total` executions job `job` of `jobs` runs: the shard's first `total`
/// indices, whatever J is (the first `total % jobs` jobs run one more).
pub fn job_budget(total: u64, jobs: u64, job: u64) -> u64 {
    total / jobs + u64::from(job < total % jobs)
}

/// The indices job `job` of `jobs` on `shard` runs with a budget of `total` executions for the
/// shard (for tests and docs; the runner computes the same from [`job_slice`]).
pub fn job_indices(shard: Shard, jobs: u64, job: u64, total: u64) -> impl Iterator<Item = u64> {
    let (start, stride) = job_slice(shard, jobs, job);
    (0..job_budget(total, jobs, job)).map(move |m| start + m * stride)
}
