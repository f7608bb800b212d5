//! Schedulers of our own, on `rand_chacha`: a random walk, PCT with depth d, and replay of a
//! recorded decision list. Each is built per execution from the execution seed alone, so the
//! same (scheduler, seed, code) gives the same decision list, and any execution replays alone.

pub mod guided;
mod pct;
mod random;
mod replay;

pub(crate) use pct::Pct;
pub(crate) use random::RandomWalk;
pub(crate) use replay::Replay;

use std::fmt;

/// Which scheduler explores a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchedulerSpec {
    /// A uniform random walk: every step picks a runnable thread uniformly.
    Random,
    /// Probabilistic concurrency testing (Burckhardt et al. 2010) with depth `d` (1–5): random
    /// thread priorities and d−1 random priority change points.
    Pct { depth: u32 },
    /// A portfolio: execution `i` uses random, pct:1, pct:2, pct:3 for `i % 4` = 0, 1, 2, 3.
    Mix,
}

impl SchedulerSpec {
    /// Parses `random`, `pct:D` (D in 1..=5) or `mix`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "random" => return Ok(Self::Random),
            "mix" => return Ok(Self::Mix),
            _ => {}
        }
        let depth = text
            .strip_prefix("pct:")
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|d| (1..=5).contains(d))
            .ok_or_else(|| {
                format!(
                    "invalid scheduler {text:?}: expected random, pct:D with D in 1..=5, or mix"
                )
            })?;
        Ok(Self::Pct { depth })
    }

    /// `mix`'s period: execution `index` runs the random walk if `index % 4 == 0`, else PCT of
    /// depth `index % 4`.
    pub const MIX_PERIOD: u64 = 4;

    /// The concrete scheduler of execution `index` (resolves [`SchedulerSpec::Mix`]).
    pub fn resolve(self, index: u64) -> Self {
        match (self, index % Self::MIX_PERIOD) {
            (Self::Mix, 0) => Self::Random,
            (Self::Mix, d) => Self::Pct { depth: d as u32 },
            (s, _) => s,
        }
    }
}

impl fmt::Display for SchedulerSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Random => f.write_str("random"),
            Self::Pct { depth } => write!(f, "pct:{depth}"),
            Self::Mix => f.write_str("mix"),
        }
    }
}

/// A per-execution scheduling strategy: picks the next thread among the runnable ones.
pub(crate) trait Strategy {
    /// The task id to run next, or an explanation of why the execution cannot go on.
    fn pick(
        &mut self,
        runnable: &[usize],
        current: Option<usize>,
        yielding: bool,
        step: u64,
    ) -> Result<usize, String>;
}

/// Builds the strategy of one execution.
pub(crate) fn strategy(spec: SchedulerSpec, exec_seed: u64, pct_steps: u64) -> Box<dyn Strategy> {
    match spec {
        SchedulerSpec::Random | SchedulerSpec::Mix => Box::new(RandomWalk::new(exec_seed)),
        SchedulerSpec::Pct { depth } => Box::new(Pct::new(exec_seed, depth, pct_steps)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_parses_and_prints_round_trip() {
        for s in ["random", "pct:1", "pct:5", "mix"] {
            assert_eq!(SchedulerSpec::parse(s).unwrap().to_string(), s);
        }
        assert!(SchedulerSpec::parse("pct:0").is_err());
        assert!(SchedulerSpec::parse("pct:6").is_err());
        assert!(SchedulerSpec::parse("dfs").is_err());
        assert_eq!(
            SchedulerSpec::Mix.resolve(5),
            SchedulerSpec::Pct { depth: 1 }
        );
    }
}
