//! Property tests: the parser and the stream give the same result however the input is split;
//! the RFC 1143 negotiator never loops and sends at most one reply per change.

use std::collections::VecDeque;

use proptest::prelude::*;
use towel::telnet::options::{OptionSet, OptionState};
use towel::telnet::{Event, Negotiator, Parser, Policy, Received, TelnetStream, Verb};
use towel_testkit::telnet::{Ev, ScriptConn, parse_pieces, parse_split};

/// Bytes with many telnet-significant ones in them (half of them from this list).
const SIGNIFICANT: [u8; 16] = [
    0xff, 0xff, 0xff, 0xfb, 0xfc, 0xfd, 0xfe, 0xfa, 0xf0, 0xf1, b'\r', b'\r', 0, b'\n', 0x18, b'a',
];

fn telnet_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u16>(), 0..max).prop_map(|v| {
        v.into_iter()
            .map(|x| {
                let [hi, lo] = x.to_be_bytes();
                if hi < 128 {
                    SIGNIFICANT[usize::from(lo % 16)]
                } else {
                    lo
                }
            })
            .collect()
    })
}

fn cuts(len: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0..=len, 0..12).prop_map(|mut v| {
        v.sort_unstable();
        v
    })
}

fn with_cuts(max: usize) -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    telnet_bytes(max).prop_flat_map(|b| {
        let len = b.len();
        (Just(b), cuts(len))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parser_events_do_not_depend_on_the_split((bytes, cuts) in with_cuts(300)) {
        let whole = parse_pieces::<8>(&[&bytes]);
        prop_assert_eq!(&parse_split::<8>(&bytes, &cuts), &whole);
        let single: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(&parse_pieces::<8>(&single), &whole);
        // A smaller buffer changes only which subnegotiations fit.
        prop_assert_eq!(parse_split::<0>(&bytes, &cuts), parse_pieces::<0>(&[&bytes]));
    }

    #[test]
    fn parser_uses_every_byte_and_never_grows_data((bytes, cuts) in with_cuts(300)) {
        let events = parse_split::<8>(&bytes, &cuts);
        let data: usize = events.iter().map(|e| match e { Ev::Data(d) => d.len(), _ => 0 }).sum();
        prop_assert!(data <= bytes.len());
        // Plain bytes (no IAC, no CR) come out as they went in.
        if !bytes.contains(&0xff) && !bytes.contains(&b'\r') {
            if bytes.is_empty() {
                prop_assert!(events.is_empty());
            } else {
                prop_assert_eq!(events, vec![Ev::Data(bytes.clone())]);
            }
        }
    }

    #[test]
    fn stream_output_does_not_depend_on_read_sizes(
        bytes in telnet_bytes(400),
        chunk in 1usize..40,
        buf_len in 1usize..40,
    ) {
        let run = |chunk: usize, buf_len: usize| {
            let mut neg = Negotiator::new();
            neg.set_terminal_type("VT100").unwrap();
            neg.set_window_size(80, 24).unwrap();
            let mut telnet = TelnetStream::<_, 8, 16>::with_sizes(ScriptConn::new(&bytes, chunk), neg);
            let mut buf = vec![0u8; buf_len];
            let (mut text, mut events) = (Vec::new(), Vec::new());
            loop {
                match telnet.read_event(&mut buf).unwrap() {
                    Received::Data(n) => text.extend_from_slice(&buf[..n]),
                    Received::Event(e) => events.push(Ev::from_event(&e)),
                    Received::Closed => break,
                }
            }
            (text, events, telnet.into_inner().tx)
        };
        let reference = run(1000, 1000);
        // The stream's data is the parser's data.
        let parsed = parse_pieces::<8>(&[&bytes]);
        let parsed_data: Vec<u8> = parsed.iter().filter_map(|e| match e { Ev::Data(d) => Some(d.clone()), _ => None }).flatten().collect();
        let parsed_events: Vec<Ev> = parsed.into_iter().filter(|e| !matches!(e, Ev::Data(_))).collect();
        prop_assert_eq!(&reference.0, &parsed_data);
        prop_assert_eq!(&reference.1, &parsed_events);
        prop_assert_eq!(run(chunk, buf_len), reference);
    }
}

/// A command sent between the two negotiators (or a subnegotiation, kept whole).
fn commands_of(bytes: &[u8]) -> Vec<Ev> {
    let mut parser = Parser::new();
    let mut input = bytes;
    let mut out = Vec::new();
    while let Some(e) = parser.next(&mut input) {
        out.push(Ev::from_event(&e));
    }
    out
}

/// Delivers one message to `neg`; returns what it sent back. Asserts at most one negotiation
/// reply per message.
fn deliver(neg: &mut Negotiator, msg: &Ev) -> Vec<Ev> {
    match msg {
        Ev::Neg(verb, opt) => neg.receive(*verb, *opt).unwrap(),
        Ev::Sb(opt, data) => {
            neg.subnegotiation(*opt, data).unwrap();
        }
        other => panic!("unexpected message {other:?}"),
    }
    let out = neg.pending().to_vec();
    neg.consume(out.len());
    let replies = commands_of(&out);
    let negotiations = replies.iter().filter(|e| matches!(e, Ev::Neg(..))).count();
    assert!(
        negotiations <= 1,
        "more than one reply to {msg:?}: {replies:?}"
    );
    replies
}

#[derive(Debug, Clone)]
enum Step {
    /// A user request at side 0 or 1: enable/disable local, request/refuse remote.
    Ask { side: usize, kind: u8, opt: u8 },
    /// Deliver up to `n` messages in flight towards side `to`.
    Deliver { to: usize, n: usize },
}

fn step() -> impl Strategy<Value = Step> {
    let opt = prop_oneof![Just(0u8), Just(1), Just(3), Just(5), Just(200)];
    prop_oneof![
        (0..2usize, 0..4u8, opt).prop_map(|(side, kind, opt)| Step::Ask { side, kind, opt }),
        (0..2usize, 1..4usize).prop_map(|(to, n)| Step::Deliver { to, n }),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    let set = proptest::collection::vec(
        prop_oneof![Just(0u8), Just(1), Just(3), Just(5), Just(200)],
        0..4,
    )
    .prop_map(|opts| opts.into_iter().fold(OptionSet::EMPTY, OptionSet::with));
    (set.clone(), set).prop_map(|(local, remote)| Policy { local, remote })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Two negotiators with random policies and random requests, messages crossing in flight:
    /// they always fall quiet, and agree on every option when they do.
    #[test]
    fn two_negotiators_never_loop_and_agree(
        policies in (policy(), policy()),
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let mut sides = [Negotiator::with_policy(policies.0), Negotiator::with_policy(policies.1)];
        // Messages in flight towards side 0 and side 1.
        let mut wire: [VecDeque<Ev>; 2] = [VecDeque::new(), VecDeque::new()];
        let asks = steps.iter().filter(|s| matches!(s, Step::Ask { .. })).count();
        let mut delivered = 0usize;
        let mut run = |to: usize, n: usize, sides: &mut [Negotiator; 2], wire: &mut [VecDeque<Ev>; 2]| {
            for _ in 0..n {
                let Some(msg) = wire[to].pop_front() else { break };
                delivered += 1;
                let replies = deliver(&mut sides[to], &msg);
                wire[1 - to].extend(replies);
            }
        };
        for s in &steps {
            match *s {
                Step::Ask { side, kind, opt } => {
                    let neg = &mut sides[side];
                    match kind {
                        0 => neg.enable_local(opt).unwrap(),
                        1 => neg.disable_local(opt).unwrap(),
                        2 => neg.request_remote(opt).unwrap(),
                        _ => neg.refuse_remote(opt).unwrap(),
                    }
                    let out = neg.pending().to_vec();
                    neg.consume(out.len());
                    let msgs = commands_of(&out);
                    prop_assert!(msgs.len() <= 1, "one request, more than one command: {:?}", msgs);
                    wire[1 - side].extend(msgs);
                }
                Step::Deliver { to, n } => run(to, n, &mut sides, &mut wire),
            }
        }
        // Let everything in flight arrive.
        let mut rounds = 0;
        while !wire[0].is_empty() || !wire[1].is_empty() {
            run(0, usize::MAX, &mut sides, &mut wire);
            run(1, usize::MAX, &mut sides, &mut wire);
            rounds += 1;
            prop_assert!(rounds < 100, "negotiation loops");
        }
        // Each request can cause a short bounded exchange, never an endless one.
        prop_assert!(delivered <= 4 * asks, "{} messages for {} requests", delivered, asks);
        for opt in [0u8, 1, 3, 5, 200, 2, 255] {
            for (a, b) in [(0, 1), (1, 0)] {
                let local = sides[a].local_state(opt);
                let remote = sides[b].remote_state(opt);
                prop_assert!(matches!(local, OptionState::Yes | OptionState::No), "opt {} side {} local {:?}", opt, a, local);
                prop_assert_eq!(local, remote, "opt {} side {} disagrees", opt, a);
            }
        }
    }

    /// A peer that says anything at all gets at most one reply per command, and none to a
    /// command that changes nothing.
    #[test]
    fn at_most_one_reply_per_change(
        cmds in proptest::collection::vec((0..4u8, any::<u16>()), 0..200),
    ) {
        let cmds = cmds.into_iter().map(|(v, x)| {
            let [hi, lo] = x.to_be_bytes();
            (v, if hi < 160 { [1u8, 3, 24, 31, 34][usize::from(lo % 5)] } else { lo })
        });
        let mut neg = Negotiator::new();
        neg.set_window_size(80, 24).unwrap();
        neg.set_terminal_type("VT100").unwrap();
        for (v, opt) in cmds {
            let verb = [Verb::Will, Verb::Wont, Verb::Do, Verb::Dont][usize::from(v)];
            let before = (neg.local_state(opt), neg.remote_state(opt));
            let replies = deliver(&mut neg, &Ev::Neg(verb, opt));
            let after = (neg.local_state(opt), neg.remote_state(opt));
            if before == after {
                // Nothing changed: only a refusal of something we do not want may go out.
                for r in &replies {
                    prop_assert!(matches!(r, Ev::Neg(Verb::Wont | Verb::Dont, o) if *o == opt), "{:?}", r);
                }
                prop_assert!(matches!(before, (OptionState::No, _) | (_, OptionState::No)) || replies.is_empty());
            }
        }
    }
}

#[test]
fn parser_event_borrows_are_independent_of_the_input_borrow() {
    // Compile-time check that a loop over `next` works with a shrinking input.
    let mut parser = Parser::<4>::with_size();
    let bytes = b"a\xff\xfa\x18\x01\xff\xf0b".to_vec();
    let mut input: &[u8] = &bytes;
    let mut n = 0;
    while let Some(e) = parser.next(&mut input) {
        if let Event::Subnegotiation { data, .. } = e {
            assert_eq!(data, [1]);
        }
        n += 1;
    }
    assert_eq!(n, 3);
}
