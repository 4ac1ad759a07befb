//! The telnet parser and negotiator (through the stream's sans-io core) on any input, cut into
//! reads of sizes the input chooses: no panic, no growth, and the same clean data, events and
//! replies as when the whole input arrives at once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use towel::telnet::{Action, Negotiator, Op, Outcome, StreamCore};

#[derive(Debug, PartialEq, Eq, Default)]
struct Seen {
    data: Vec<u8>,
    events: usize,
    replies: Vec<u8>,
}

fn run(wire: &[u8], read_sizes: &[u8], out_len: usize) -> Seen {
    let mut neg = Negotiator::new();
    let _ = neg.set_terminal_type("XTERM");
    let _ = neg.set_window_size(0xff, 0x18ff);
    let mut core = StreamCore::<8, 16>::with_sizes(neg);
    let mut out = vec![0u8; out_len];
    let mut seen = Seen::default();
    let mut rest = wire;
    let mut sizes = read_sizes.iter().cycle();
    loop {
        match core.poll(&mut Op::ReadEvent(&mut out)) {
            // The core sends what is queued first; the connection takes it all.
            Action::Send(bytes) => {
                seen.replies.extend_from_slice(bytes);
                let n = bytes.len();
                core.sent(n);
            }
            Action::Done(Outcome::Bytes(n)) => {
                assert!(n <= out.len());
                seen.data.extend_from_slice(&out[..n]);
            }
            Action::Done(Outcome::Event) => {
                assert!(core.event().is_some());
                seen.events += 1;
            }
            Action::Done(Outcome::Closed) => break,
            Action::Flush => core.flushed(),
            Action::Receive(space) => {
                assert!(!space.is_empty());
                let want = usize::from(*sizes.next().unwrap_or(&255)).max(1);
                let n = want.min(space.len()).min(rest.len());
                space[..n].copy_from_slice(&rest[..n]);
                core.received(n);
                rest = &rest[n..];
            }
        }
    }
    seen
}

fuzz_target!(|input: &[u8]| {
    // First byte: the output buffer size; then up to 8 read sizes; then the wire bytes.
    let Some((&out_len, rest)) = input.split_first() else { return };
    let (sizes, wire) = rest.split_at(rest.len().min(8));
    let whole = run(wire, &[255], 4096);
    assert!(whole.data.len() <= wire.len());
    let split = run(wire, if sizes.is_empty() { &[1] } else { sizes }, usize::from(out_len).max(1));
    assert_eq!(split.data, whole.data);
    assert_eq!(split.replies, whole.replies);
    assert_eq!(split.events, whole.events);
});
