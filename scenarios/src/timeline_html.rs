//! The timeline as a self-contained HTML page: inline SVG, no script from the network, no
//! external style. One row per simulated thread, with lanes for the tracer's functions, lock
//! holds (stop-the-world in its own colour), parks, and ticks for instant events; the failing
//! check is a red line. Hovering any shape shows its text (SVG `<title>`). A small inline script
//! marks on `<body>` how many thread rows the browser laid out (`data-drawn-threads`), which the
//! headless-browser test reads.

use crate::timeline::Timeline;
use sim::Failure;
use std::fmt::Write;

const LABEL_W: f64 = 150.0;
const PLOT_W: f64 = 1050.0;
const LANE_H: f64 = 9.0;
const ROW_H: f64 = 5.0 * LANE_H + 8.0;
const TOP: f64 = 24.0;

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn lane(cat: &str) -> (f64, &'static str) {
    match cat {
        "func" => (0.0, "#9ecae1"),
        "lock" => (1.0, "#fdae6b"),
        "stw" => (1.0, "#9467bd"),
        "shared" => (2.0, "#c7e9c0"),
        "park" => (3.0, "#bdbdbd"),
        "failure" => (4.0, "#d62728"),
        "trace event" => (4.0, "#31a354"),
        _ => (4.0, "#636363"),
    }
}

fn row_svg(tl: &Timeline, row: usize, task: usize, name: &str, x: &dyn Fn(f64) -> f64) -> String {
    let y0 = TOP + row as f64 * ROW_H;
    let mut s = format!(
        "<g class=\"thread\" data-task=\"{task}\"><text x=\"4\" y=\"{:.1}\" font-size=\"12\">{}</text>",
        y0 + 2.0 * LANE_H,
        esc(name)
    );
    for sl in tl.slices.iter().filter(|s| s.task == task) {
        let (l, color) = lane(sl.cat);
        let w = (x(sl.end) - x(sl.start)).max(1.0);
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{color}\"><title>{} [{:.0}, {:.0})</title></rect>",
            x(sl.start), y0 + l * LANE_H, LANE_H - 1.0, esc(&sl.name), sl.start, sl.end
        );
    }
    for m in tl.marks.iter().filter(|m| m.task == task) {
        let (l, color) = lane(m.cat);
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"1.5\" height=\"{:.1}\" fill=\"{color}\"><title>{} @{:.0}</title></rect>",
            x(m.ts), y0 + l * LANE_H, LANE_H - 1.0, esc(&m.name), m.ts
        );
    }
    s + "</g>"
}

fn failure_line(tl: &Timeline, x: &dyn Fn(f64) -> f64, height: f64) -> String {
    tl.marks
        .iter()
        .filter(|m| m.cat == "failure")
        .map(|m| {
            format!(
                "<line class=\"failure\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{TOP}\" y2=\"{height:.1}\" stroke=\"#d62728\" stroke-width=\"2\"><title>{1}</title></line>",
                x(m.ts),
                esc(&m.name)
            )
        })
        .collect()
}

const SCRIPT: &str = "<script>window.addEventListener('load',function(){var n=0;document.querySelectorAll('g.thread').forEach(function(g){var b=g.getBBox();if(b.width>0&&b.height>0){n++;}});document.body.setAttribute('data-drawn-threads',String(n));});</script>";

/// The page.
pub fn page(tl: &Timeline, failure: Option<&Failure>) -> String {
    let scale = PLOT_W / tl.end.max(1.0);
    let x = move |t: f64| LABEL_W + t * scale;
    let height = TOP + tl.threads.len() as f64 * ROW_H + 10.0;
    let rows: String = tl
        .threads
        .iter()
        .enumerate()
        .map(|(i, (t, n))| row_svg(tl, i, *t, n, &x))
        .collect();
    let title = failure.map_or("passed".to_string(), |f| {
        format!("FAILED ({}) at step {}", f.kind, f.step)
    });
    let text = failure.map_or(String::new(), |f| esc(&f.to_string()));
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>tracesim timeline: {t}</title></head>\n<body style=\"font-family:sans-serif\">\n<h3>tracesim timeline: {t}</h3>\n<p>one row per simulated thread; x: scheduling steps 0..{end:.0}. Lanes, top to bottom: functions (blue), runtime locks (orange; stop-the-world purple), holding a P (light green), parks (grey), events (green ticks; wake-ups and others grey; the failing check red). Hover for names.</p>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{height:.0}\">{rows}{fail}</svg>\n<pre>{text}</pre>\n{SCRIPT}\n</body></html>\n",
        t = esc(&title),
        end = tl.end,
        w = LABEL_W + PLOT_W + 10.0,
        fail = failure_line(tl, &x, height),
    )
}
