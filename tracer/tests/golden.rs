//! Go's real go1.21 traces against Go's own dumps, and the hand-built traces written for the oracle.

use crate::traces::*;
use crate::util::*;

/// Writes the hand-built traces to `$WIRE_TRACE_DIR` (when set), for checking them with
/// `shared/tools/go-trace-oracle/go-trace-oracle.sh`.
#[test]
pub fn hand_built_traces_are_written_for_the_oracle_on_request() {
    let Ok(dir) = std::env::var("WIRE_TRACE_DIR") else {
        return;
    };
    std::fs::write(format!("{dir}/minimal.trace"), minimal_trace()).unwrap();
    std::fs::write(format!("{dir}/two-p.trace"), two_p_trace()).unwrap();
    std::fs::write(format!("{dir}/features.trace"), features_trace()).unwrap();
    for (i, (data, msg)) in error_traces().into_iter().enumerate() {
        std::fs::write(format!("{dir}/error-{i:02}.trace"), data).unwrap();
        std::fs::write(format!("{dir}/error-{i:02}.want"), format!("FAIL: {msg}\n")).unwrap();
    }
}

#[test]
pub fn go_traces_render_exactly_like_gos_parser_dump_and_verdict() {
    for name in TRACES_121 {
        let data = read(&format!("{name}.trace"));
        let result = parse(&data);
        let trace = result.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            dump::events_text(trace, true),
            read_text(&format!("{name}.events.txt")),
            "{name}"
        );
        assert_eq!(
            dump::verdict_text(&result),
            read_text(&format!("{name}.verdict.txt")),
            "{name}"
        );
    }
}

#[test]
pub fn go_traces_have_no_structural_violations() {
    for name in TRACES_121 {
        let violations = check::check_bytes(&read(&format!("{name}.trace"))).unwrap();
        assert_eq!(violations, vec![], "{name}");
    }
}

#[test]
pub fn go_traces_reencode_byte_for_byte_from_their_raw_records() {
    for name in TRACES_121 {
        let data = read(&format!("{name}.trace"));
        assert_eq!(reencode(&decode(&data).unwrap()), data, "{name}");
    }
}

/// Writes decoded records back with `enc`, the way the runtime wrote them.
pub fn reencode(d: &tracer::go121::wire::Decoded) -> Vec<u8> {
    let mut out = Vec::new();
    enc::header(&mut out);
    for raw in &d.events {
        let data = raw.data.as_deref().unwrap_or_default();
        match raw.typ {
            EV_BATCH => enc::batch(&mut out, raw.args[0] as i64 as i32, raw.args[1]),
            EV_FREQUENCY => enc::frequency(&mut out, raw.args[0]),
            EV_STRING => enc::string(&mut out, raw.args[0], data),
            EV_STACK => {
                let frames = raw.args[2..].chunks(4).map(|f| Frame {
                    pc: f[0],
                    func_id: f[1],
                    file_id: f[2],
                    line: f[3],
                });
                enc::stack(&mut out, raw.args[0], &frames.collect::<Vec<_>>());
            }
            EV_USER_LOG => enc::user_log(
                &mut out,
                raw.args[0],
                raw.args[1],
                raw.args[2],
                raw.args[3],
                data,
            ),
            t => {
                let stack = desc(t).unwrap().stack.then(|| *raw.args.last().unwrap());
                let n = raw.args.len() - usize::from(stack.is_some());
                enc::event(&mut out, t, raw.args[0], &raw.args[1..n], stack);
            }
        }
    }
    out
}
