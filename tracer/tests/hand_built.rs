//! Hand-built traces through the parser (all PASS Go's oracle; see main.rs).

use crate::traces::*;
use crate::util::*;

#[test]
pub fn minimal_trace_parses_and_renders_as_go_would() {
    let data = minimal_trace();
    let result = parse(&data);
    let trace = result.as_ref().unwrap();
    insta::assert_snapshot!(dump::events_text(trace, true), @r"
    0 GoCreate p=0 g=0 off=21 g=1 stack=1
    	main.main @ 0x402000 main.go:20
    64 ProcStart p=0 g=0 off=27 thread=0
    128 GoStart p=0 g=1 off=30 g=1 seq=1
    	main.main @ 0x401000 main.go:10
    448 GoSysCall p=0 g=1 off=34
    	syscall.write @ 0x403000 syscall.go:30
    	main.main @ 0x402010 main.go:21
    768 GoSysCall p=0 g=1 off=37
    	syscall.write @ 0x403000 syscall.go:30
    	main.main @ 0x402010 main.go:21
    1088 UserLog p=0 g=1 off=51 id=0 keyid=1 category=category message=hello
    	runtime/trace.Log @ 0x404000 trace.go:40
    	main.main @ 0x402020 main.go:22
    1408 GoSysCall p=0 g=1 off=63
    	syscall.write @ 0x403000 syscall.go:30
    	main.main @ 0x402010 main.go:21
    ");
    insta::assert_snapshot!(dump::verdict_text(&result), @r"
    count GoCreate             1
    count GoStart              1
    count GoSysCall            3
    count ProcStart            1
    count UserLog              1
    PASS: 7 events, 4 stacks
    ");
    assert_eq!(check::check_bytes(&data).unwrap(), vec![]);
}

#[test]
pub fn minimal_trace_raw_rendering_shows_batches_and_records() {
    insta::assert_snapshot!(dump::raw_text(&decode(&minimal_trace()).unwrap()), @r#"
    header go 1.21 trace
    batch p=0 ts=1000000 off=16
      GoCreate +1 g=1 stack=1 stk=2
      ProcStart +1 thread=0
      GoStart +1 g=1 seq=1
      GoSysCall +5 stk=3
      GoSysCall +5 stk=3
      String id=1 "category"
      UserLog +5 id=0 keyid=1 stk=4 msg="hello"
      GoSysCall +5 stk=3
    batch p=0 ts=1000100 off=66
      Frequency freq=15625000
      String id=10 "main.main"
      String id=11 "main.go"
      String id=12 "syscall.write"
      String id=13 "syscall.go"
      String id=14 "runtime/trace.Log"
      String id=15 "trace.go"
      Stack id=1 frames=1 [0x401000 10 11 10]
      Stack id=2 frames=1 [0x402000 10 11 20]
      Stack id=3 frames=2 [0x403000 12 13 30] [0x402010 10 11 21]
      Stack id=4 frames=2 [0x404000 14 15 40] [0x402020 10 11 22]
    "#);
}

#[test]
pub fn two_p_trace_merges_batches_by_seq_and_time() {
    let data = two_p_trace();
    let result = parse(&data);
    let trace = result.as_ref().unwrap();
    insta::assert_snapshot!(dump::events_text(trace, false), @r"
    0 GoCreate p=0 g=0 off=21 g=1 stack=1
    64 ProcStart p=0 g=0 off=27 thread=0
    128 GoStart p=0 g=1 off=30 g=1 seq=0
    256 GoCreate p=0 g=1 off=33 g=2 stack=1
    640 ProcStart p=1 g=0 off=47 thread=7
    768 GoStart p=1 g=2 off=50 g=2 seq=1
    896 GoSysCall p=1 g=2 off=54
    1024 GoEnd p=1 g=2 off=57
    1152 ProcStop p=1 g=0 off=59
    1280 HeapAlloc p=-1 g=0 off=75 mem=4194304
    1856 CPUSample p=1 g=2 off=86 ts=0 p=1 g=2
    2816 GoSysCall p=0 g=1 off=39
    ");
    insta::assert_snapshot!(dump::raw_text(&decode(&data).unwrap()), @r#"
    header go 1.21 trace
    batch p=0 ts=1000000 off=16
      GoCreate +1 g=1 stack=1 stk=2
      ProcStart +1 thread=0
      GoStartLocal +1 g=1
      GoCreate +2 g=2 stack=1 stk=2
      GoSysCall +40 stk=3
    batch p=1 ts=1000010 off=42
      ProcStart +1 thread=7
      GoStart +2 g=2 seq=1
      GoSysCall +2 stk=3
      GoEnd +2
      ProcStop +2
    batch p=-1 ts=1000020 off=61
      HeapAlloc +1 mem=4194304
    batch p=0 ts=1000090 off=81
      CPUSample +1 ts=1000030 p=1 g=2 stk=4
    batch p=0 ts=1000100 off=95
      Frequency freq=15625000
      String id=10 "main.main"
      String id=11 "main.go"
      String id=12 "syscall.write"
      String id=13 "syscall.go"
      String id=14 "runtime/trace.Log"
      String id=15 "trace.go"
      Stack id=1 frames=1 [0x401000 10 11 10]
      Stack id=2 frames=1 [0x402000 10 11 20]
      Stack id=3 frames=2 [0x403000 12 13 30] [0x402010 10 11 21]
      Stack id=4 frames=2 [0x404000 14 15 40] [0x402020 10 11 22]
    "#);
    assert_eq!(check::check_bytes(&data).unwrap(), vec![]);
}

#[test]
pub fn features_trace_parses_exactly_as_go_does() {
    let result = parse(&features_trace());
    let text = dump::events_text(result.as_ref().unwrap(), false) + &dump::verdict_text(&result);
    insta::assert_snapshot!(text, @r#"
    0 GoCreate p=0 g=0 off=20 g=1 stack=1
    64 GoCreate p=0 g=0 off=26 g=2 stack=1
    128 GoWaiting p=0 g=2 off=32 g=2
    192 GoCreate p=0 g=0 off=35 g=3 stack=1
    256 GoInSyscall p=0 g=3 off=41 g=3
    256 GoSysExit p=1000003 g=3 off=158 g=3 seq=2 ts=1005
    320 ProcStart p=0 g=0 off=46 thread=0
    384 GoStart p=0 g=1 off=49 g=1 seq=1
    448 UserTaskCreate p=0 g=1 off=92 taskid=5 pid=0 typeid=1 name=task"name

    512 UserRegion p=0 g=1 off=99 taskid=5 mode=0 typeid=2 name=region
    576 UserLog p=0 g=1 off=106 id=5 keyid=2 category=region message=m€
    640 UserRegion p=0 g=1 off=117 taskid=5 mode=1 typeid=2 name=region
    704 UserTaskEnd p=0 g=1 off=124 taskid=5
    768 GCStart p=1000004 g=0 off=128 seq=0
    832 STWStart p=0 g=0 off=132 kindid=1 kind=GC mark termination
    896 STWDone p=0 g=0 off=135
    960 STWStart p=0 g=0 off=137 kindid=99 kind=unknown
    1024 STWDone p=0 g=0 off=140
    1088 GCMarkAssistStart p=0 g=1 off=142
    1152 GCMarkAssistDone p=0 g=1 off=145
    1216 GCMarkAssistDone p=0 g=1 off=147
    1280 GCDone p=0 g=0 off=149
    1344 GCSweepStart p=0 g=1 off=151
    1408 GCSweepDone p=0 g=1 off=154 swept=10 reclaimed=20
    1536 GoUnblock p=0 g=1 off=165 g=2 seq=2
    1600 HeapGoal p=0 g=1 off=171 mem=4194304
    1664 GoBlockNet p=0 g=1 off=177
    1728 GoStartLabel p=0 g=2 off=180 g=2 seq=3 labelid=3 label=GC (dedicated)
    1792 GoUnblock p=1000001 g=2 off=186 g=1 seq=2
    1856 GoSched p=0 g=2 off=192
    6400 ProcStart p=1 g=0 off=199 thread=4
    6464 GoStart p=1 g=3 off=202 g=3 seq=3
    6528 GoSysCall p=1 g=3 off=206
    6592 GoSysBlock p=1 g=3 off=209
    6656 ProcStop p=1 g=0 off=211
    12800 GoStart p=0 g=1 off=217 g=1 seq=3
    12864 GoBlock p=0 g=1 off=221
    15936 GoSysExit p=1000003 g=3 off=231 g=3 seq=4 ts=1250
    19200 ProcStart p=1 g=0 off=228 thread=4
    19328 GoStart p=1 g=3 off=238 g=3 seq=0
    19456 FutileWakeup p=1 g=3 off=245
    19520 GoEnd p=1 g=3 off=247
    20416 CPUSample p=-1 g=0 off=257 ts=0 p=18446744073709551615 g=0
    count CPUSample            1
    count FutileWakeup         1
    count GCDone               1
    count GCMarkAssistDone     2
    count GCMarkAssistStart    1
    count GCStart              1
    count GCSweepDone          1
    count GCSweepStart         1
    count GoBlock              1
    count GoBlockNet           1
    count GoCreate             3
    count GoEnd                1
    count GoInSyscall          1
    count GoSched              1
    count GoStart              4
    count GoStartLabel         1
    count GoSysBlock           1
    count GoSysCall            1
    count GoSysExit            2
    count GoUnblock            2
    count GoWaiting            1
    count HeapGoal             1
    count ProcStart            3
    count ProcStop             1
    count STWDone              2
    count STWStart             2
    count UserLog              1
    count UserRegion           2
    count UserTaskCreate       1
    count UserTaskEnd          1
    PASS: 43 events, 2 stacks
    "#);
}

#[test]
pub fn state_machine_errors_use_gos_messages() {
    for (data, want) in error_traces() {
        assert_eq!(parse(&data).unwrap_err().message, want);
    }
}
