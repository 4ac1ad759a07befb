//! Property tests: the HTTP core gives the same result however its input is cut into reads.

use proptest::prelude::*;
use towel::http::{
    Config, Event, Framing, HeadKind, HeadParser, Header, HttpError, Leniency, Parsed, RequestHead,
    ResponseHead,
};
use towel_testkit::http::{Outcome, Owned, decode_pieces, drive};

/// Read sizes, cycled.
fn reads() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..40, 1..20)
}

fn cycled(sizes: &[usize]) -> impl FnMut() -> usize + '_ {
    let mut i = 0;
    move || {
        i += 1;
        sizes[(i - 1) % sizes.len()]
    }
}

fn token() -> impl Strategy<Value = String> {
    "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}"
}

/// A field value: visible bytes, spaces and tabs inside, obs-text too.
fn value() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![0x21u8..0x7f, Just(b' '), Just(b'\t'), 0x80u8..=0xff],
        0..60,
    )
}

/// Header fields: arbitrary ones, plus at most one framing field (a Content-Length or a
/// chunked Transfer-Encoding) and maybe `Connection: close`, anywhere among them.
fn fields() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let plain = (token(), value()).prop_filter("not a framing field", |(name, _)| {
        !["content-length", "transfer-encoding", "connection"]
            .iter()
            .any(|f| name.eq_ignore_ascii_case(f))
    });
    let framing = prop_oneof![
        Just(None),
        (0u64..100_000)
            .prop_map(|n| Some(("Content-Length".to_string(), n.to_string().into_bytes()))),
        Just(Some((
            "Transfer-Encoding".to_string(),
            b"gzip, chunked".to_vec()
        ))),
    ];
    let close = prop_oneof![
        Just(None),
        Just(Some(("Connection".to_string(), b"close".to_vec())))
    ];
    (
        prop::collection::vec(plain, 0..20),
        framing,
        close,
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut fields, framing, close, at1, at2)| {
            for (field, at) in [(framing, at1), (close, at2)] {
                if let Some(field) = field {
                    let i = at.index(fields.len() + 1);
                    fields.insert(i, field);
                }
            }
            fields
        })
}

fn head(start: Vec<u8>, fields: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut head = start;
    for (name, value) in fields {
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

fn response_head() -> impl Strategy<Value = Vec<u8>> {
    (prop::bool::ANY, 100u16..600, "[ -~]{0,30}", fields()).prop_map(
        |(v11, code, reason, fields)| {
            let start = format!("HTTP/1.{} {code} {reason}\r\n", u8::from(v11));
            head(start.into_bytes(), &fields)
        },
    )
}

fn request_head() -> impl Strategy<Value = Vec<u8>> {
    (token(), "/[!-~]{0,80}", prop::bool::ANY, fields()).prop_map(
        |(method, target, v11, fields)| {
            let start = format!("{method} {target} HTTP/1.{}\r\n", u8::from(v11));
            head(start.into_bytes(), &fields)
        },
    )
}

/// A valid head, or one with a few bytes overwritten (to reach the error paths).
fn mutated(head: impl Strategy<Value = Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (
        head,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    )
        .prop_map(|(mut head, edits)| {
            for (at, byte) in edits {
                let i = at.index(head.len());
                head[i] = byte;
            }
            head
        })
}

fn both<K: HeadKind>(parser: HeadParser<K>, input: &[u8], sizes: &[usize]) -> (Outcome, Outcome) {
    let whole = drive(parser.clone(), input, 8192, || usize::MAX);
    let split = drive(parser, input, 8192, cycled(sizes));
    (whole, split)
}

/// What [`RequestHead::parse`] or [`ResponseHead::parse`] gives for `input` in one slice, as the
/// events the push parser would give (the start line, the fields, the end).
fn one_slice(request: bool, input: &[u8], config: &Config) -> Result<Outcome, HttpError> {
    let mut headers = [Header::default(); 100];
    let (start, fields, end, len) = if request {
        match RequestHead::parse(input, &mut headers, config)? {
            Parsed::Complete(r) => (Event::Request(r.line), r.headers, r.end, r.len),
            Parsed::Partial => {
                return Ok(Outcome {
                    events: Vec::new(),
                    result: Ok(None),
                });
            }
        }
    } else {
        match ResponseHead::parse(input, &mut headers, config)? {
            Parsed::Complete(r) => (Event::Status(r.line), r.headers, r.end, r.len),
            Parsed::Partial => {
                return Ok(Outcome {
                    events: Vec::new(),
                    result: Ok(None),
                });
            }
        }
    };
    let mut events = vec![Owned::from(start)];
    events.extend(fields.iter().map(|h| Owned::from(Event::Header(*h))));
    events.push(Owned::End(end));
    Ok(Outcome {
        events,
        result: Ok(Some(len)),
    })
}

/// The one-slice parse agrees with the push parser: the same events and length for a complete
/// head, the same error, or partial where the push parser runs out of input.
fn slice_agrees(request: bool, input: &[u8], config: Config) -> Result<(), TestCaseError> {
    let pushed = if request {
        drive(HeadParser::request(config), input, 8192, || usize::MAX)
    } else {
        drive(HeadParser::response(config), input, 8192, || usize::MAX)
    };
    match one_slice(request, input, &config) {
        Ok(sliced) if pushed.result.is_ok() => {
            prop_assert_eq!(sliced.result, pushed.result);
            if sliced.result != Ok(None) {
                prop_assert_eq!(sliced.events, pushed.events);
            }
        }
        Ok(sliced) => prop_assert_eq!(sliced.result, pushed.result),
        Err(e) => prop_assert_eq!(Err(e), pushed.result),
    }
    Ok(())
}

const LENIENT: Config = Config {
    leniency: Leniency::ALL,
    ..Config::DEFAULT
};

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn valid_responses_parse_the_same_in_any_split(input in response_head(), sizes in reads()) {
        let (whole, split) = both(HeadParser::response(Config::DEFAULT), &input, &sizes);
        prop_assert!(whole.result.is_ok(), "{:?}", whole);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn valid_requests_parse_the_same_in_any_split(input in request_head(), sizes in reads()) {
        let (whole, split) = both(HeadParser::request(Config::DEFAULT), &input, &sizes);
        prop_assert!(whole.result.is_ok(), "{:?}", whole);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn damaged_heads_give_the_same_result_in_any_split(
        response in mutated(response_head()),
        request in mutated(request_head()),
        sizes in reads(),
    ) {
        for config in [Config::DEFAULT, LENIENT] {
            let (whole, split) = both(HeadParser::response(config), &response, &sizes);
            prop_assert_eq!(whole, split);
            let (whole, split) = both(HeadParser::request(config), &request, &sizes);
            prop_assert_eq!(whole, split);
        }
    }

    #[test]
    fn any_bytes_give_the_same_result_in_any_split(
        input in prop::collection::vec(any::<u8>(), 0..300),
        sizes in reads(),
    ) {
        for config in [Config::DEFAULT, LENIENT] {
            let (whole, split) = both(HeadParser::response(config), &input, &sizes);
            prop_assert_eq!(whole, split);
            let (whole, split) = both(HeadParser::request(config), &input, &sizes);
            prop_assert_eq!(whole, split);
        }
    }

    /// `RequestHead::parse` and `ResponseHead::parse` (their one-pass path for the common head, the
    /// general path for the rest) give what the push parser gives.
    #[test]
    fn the_one_slice_parse_agrees_with_the_push_parser(
        response in mutated(response_head()),
        request in mutated(request_head()),
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        for config in [Config::DEFAULT, LENIENT] {
            slice_agrees(false, &response, config)?;
            slice_agrees(true, &request, config)?;
            slice_agrees(false, &bytes, config)?;
            slice_agrees(true, &bytes, config)?;
            // Cut short: partial, or the error the push parser finds first.
            slice_agrees(false, &response[..response.len() / 2], config)?;
            slice_agrees(true, &request[..request.len() / 2], config)?;
        }
    }

    /// Through a buffer just big enough for the longest line, a head gives what it gives in
    /// one piece.
    #[test]
    fn a_buffer_the_size_of_the_longest_line_is_enough(input in response_head(), sizes in reads()) {
        let longest = input.split_inclusive(|b| *b == b'\n').map(<[u8]>::len).max().unwrap();
        let whole = drive(HeadParser::response(Config::DEFAULT), &input, 8192, || usize::MAX);
        let small = drive(HeadParser::response(Config::DEFAULT), &input, longest, cycled(&sizes));
        prop_assert_eq!(whole, small);
        if longest > 1 {
            let too_small = drive(HeadParser::response(Config::DEFAULT), &input, longest - 1, cycled(&sizes));
            prop_assert_eq!(too_small.result, Err(towel::http::HttpError::HeaderTooLong));
        }
    }

    #[test]
    fn chunked_bodies_decode_the_same_in_any_split(
        chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..300), 0..8),
        extensions in prop::collection::vec("(;[a-z]{1,5}(=[a-z0-9]{1,5})?){0,2}", 8),
        trailers in prop::collection::vec((token(), "[ -~]{0,20}"), 0..3),
        upper in prop::bool::ANY,
        sizes in reads(),
    ) {
        let mut wire = Vec::new();
        for (chunk, ext) in chunks.iter().zip(&extensions) {
            let size = if upper { format!("{:X}", chunk.len()) } else { format!("{:x}", chunk.len()) };
            wire.extend_from_slice(format!("{size}{ext}\r\n").as_bytes());
            wire.extend_from_slice(chunk);
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b"0\r\n");
        for (name, value) in &trailers {
            wire.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        wire.extend_from_slice(b"\r\n");
        wire.extend_from_slice(b"NEXT");
        let payload: Vec<u8> = chunks.concat();
        let whole = decode_pieces(Framing::Chunked, &Config::DEFAULT, [&wire[..]]);
        prop_assert_eq!(&whole, &Ok((payload, 4)));
        let mut pieces = Vec::new();
        let mut rest = &wire[..];
        let mut next = cycled(&sizes);
        while !rest.is_empty() {
            let (a, b) = rest.split_at(next().min(rest.len()));
            pieces.push(a);
            rest = b;
        }
        let split = decode_pieces(Framing::Chunked, &Config::DEFAULT, pieces);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn any_body_bytes_decode_the_same_in_any_split(
        input in prop::collection::vec(prop_oneof![any::<u8>(), Just(b'\r'), Just(b'\n'), Just(b'0'), Just(b'a')], 0..200),
        length in 0u64..300,
        sizes in reads(),
    ) {
        for framing in [Framing::Chunked, Framing::ContentLength(length), Framing::UntilClose, Framing::NoBody] {
            for config in [Config::DEFAULT, LENIENT] {
                let whole = decode_pieces(framing, &config, [&input[..]]);
                let mut pieces = Vec::new();
                let mut rest = &input[..];
                let mut next = cycled(&sizes);
                while !rest.is_empty() {
                    let (a, b) = rest.split_at(next().min(rest.len()));
                    pieces.push(a);
                    rest = b;
                }
                prop_assert_eq!(&whole, &decode_pieces(framing, &config, pieces), "{:?}", framing);
            }
        }
    }
}
