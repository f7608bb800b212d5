//! Folding for the explain view: a thread that runs alone for many rows (no other thread does
//! anything that matters in between) is shown by its first and last rows, with one row that
//! counts what was folded (`… 14 rows: 8 lock ops, 6 ev, 0 other`); `--full` shows every row. The interleaving, the
//! point of the view, is kept whole; the last run, which ends at the failing check, keeps its
//! last rows.

/// Rows kept at each end of a folded run.
const KEEP_ENDS: usize = 1;
/// Rows kept at the end of the last run (the failing thread's approach to the check).
const KEEP_LAST: usize = 6;

type Row = (u64, usize, String);

/// The fold row for `rows`: how many, and how many of their items are lock operations, trace
/// events, and anything else.
fn summary(rows: &[Row]) -> String {
    let (mut locks, mut events, mut other) = (0, 0, 0);
    for item in rows.iter().flat_map(|(_, _, text)| text.split("; ")) {
        let word = item.split(' ').next().unwrap_or(item);
        match word {
            "lock" | "unlock" | "lock/unlock" | "rlock" | "runlock" | "rlock/unlock" => locks += 1,
            "ev" => events += 1,
            _ => other += 1,
        }
    }
    format!(
        "… {} rows: {locks} lock ops, {events} ev, {other} other",
        rows.len()
    )
}

/// Folds long single-thread runs of `rows`.
pub fn fold(rows: Vec<Row>) -> Vec<Row> {
    let mut runs: Vec<Vec<Row>> = Vec::new();
    for r in rows {
        match runs.last_mut() {
            Some(run) if run[0].1 == r.1 => run.push(r),
            _ => runs.push(vec![r]),
        }
    }
    let last = runs.len().saturating_sub(1);
    let mut out = Vec::new();
    for (i, run) in runs.into_iter().enumerate() {
        let (head, tail) = if i == last {
            (0, KEEP_LAST)
        } else {
            (KEEP_ENDS, KEEP_ENDS)
        };
        if run.len() <= head + tail + 1 {
            out.extend(run);
            continue;
        }
        let mid = &run[head..run.len() - tail];
        let fold_row = (mid[0].0, mid[0].1, summary(mid));
        out.extend_from_slice(&run[..head]);
        out.push(fold_row);
        out.extend_from_slice(&run[run.len() - tail..]);
    }
    out
}
