//! Conformance against outside cases: httparse's and picohttpparser's own test cases (vendored
//! in tests/data with their attribution). Every case passes as the other parser expects, or is
//! in `DEVIATIONS` below (and in tests/data/README.md) with what towel does instead and why.

use base64::Engine as _;
use serde_json::Value;
use towel::http::{
    Config, Framing, HeadKind, HeadParser, Header, HttpError, Leniency, Parsed, RequestHead,
    ResponseHead, Version,
};
use towel_testkit::http::{Owned, decode_pieces, drive};

/// What towel does instead of what the outside case expects.
#[derive(Debug, Clone, Copy)]
enum Deviation {
    /// Strict towel rejects the case with this error; with this leniency switched on it gives
    /// exactly the expected result.
    Lenient(HttpError, Leniency),
    /// towel rejects the case with this error where the other parser accepts it.
    Rejects(HttpError),
    /// towel asks for more input where the other parser already rejects the unfinished line:
    /// towel judges a line once it is complete.
    WaitsForLineEnd,
    /// A chunked body: towel always reads the trailer section and its final CRLF, so where
    /// picohttpparser stops after `0\r\n` towel still asks for more (with the same payload).
    ReadsTrailerSection,
}

const LF: Leniency = Leniency {
    lf_line_ends: true,
    ..Leniency::STRICT
};
const EMPTY_LINES: Leniency = Leniency {
    leading_empty_lines: true,
    ..Leniency::STRICT
};
const EMPTY_LINES_LF: Leniency = Leniency {
    leading_empty_lines: true,
    lf_line_ends: true,
    ..Leniency::STRICT
};
const SPACES: Leniency = Leniency {
    multiple_spaces: true,
    ..Leniency::STRICT
};

/// (source file, case name, raw input or "" for every case of that name, deviation)
const DEVIATIONS: &[(&str, &str, &str, Deviation)] = &[
    // LF-only line ends: an opt-in leniency.
    (
        H,
        "test_request_newlines",
        "",
        Deviation::Lenient(HttpError::BareLf, LF),
    ),
    (
        H,
        "test_response_newlines",
        "",
        Deviation::Lenient(HttpError::BareLf, LF),
    ),
    (
        H,
        "test_response_no_cr",
        "",
        Deviation::Lenient(HttpError::BareLf, LF),
    ),
    (
        P,
        "incomplete 11",
        "HTTP/1.1 200 OK\n",
        Deviation::Lenient(HttpError::BareLf, LF),
    ),
    // Empty lines before the start line: an opt-in leniency.
    (
        H,
        "test_request_empty_lines_prefix",
        "",
        Deviation::Lenient(HttpError::LeadingEmptyLine, EMPTY_LINES),
    ),
    (
        H,
        "test_request_empty_lines_prefix_lf_only",
        "",
        Deviation::Lenient(HttpError::BareLf, EMPTY_LINES_LF),
    ),
    (
        H,
        "test_request_path_backslash",
        "",
        Deviation::Lenient(HttpError::BareLf, EMPTY_LINES_LF),
    ),
    (
        H,
        "test_response_empty_lines_prefix_lf_only",
        "",
        Deviation::Lenient(HttpError::BareLf, EMPTY_LINES_LF),
    ),
    // Runs of spaces between the parts of the start line: an opt-in leniency.
    (
        P,
        "accept multiple spaces between tokens",
        "GET   /   HTTP/1.0\r\n\r\n",
        Deviation::Lenient(HttpError::InvalidTarget, SPACES),
    ),
    (
        P,
        "accept multiple spaces between tokens",
        "HTTP/1.1   200   OK\r\n\r\n",
        Deviation::Lenient(HttpError::BadStatus, SPACES),
    ),
    // Obsolete line folding: rejected (RFC 9112 §5.2 lets a server reject it; a push parser
    // has already handed out the field a continuation line would extend).
    (
        P,
        "parse multiline",
        "",
        Deviation::Rejects(HttpError::ObsFold),
    ),
    // A line is judged when it is complete.
    (
        H,
        "test_request_with_invalid_but_short_version",
        "",
        Deviation::WaitsForLineEnd,
    ),
    // picohttpparser without consume_trailer stops after the last chunk's size line.
    (
        P,
        "test_chunked",
        "b\r\nhello world\r\n0\r\n",
        Deviation::ReadsTrailerSection,
    ),
    (
        P,
        "test_chunked",
        "6\r\nhello \r\n5\r\nworld\r\n0\r\n",
        Deviation::ReadsTrailerSection,
    ),
    (
        P,
        "test_chunked",
        "6;comment=hi\r\nhello \r\n5\r\nworld\r\n0\r\n",
        Deviation::ReadsTrailerSection,
    ),
    (
        P,
        "test_chunked",
        "6 ; comment\r\nhello \r\n5\r\nworld\r\n0\r\n",
        Deviation::ReadsTrailerSection,
    ),
    // LF-only line ends in the trailer section: the same opt-in leniency.
    (
        P,
        "test_chunked_consume_trailer",
        "b\r\nhello world\r\n0\r\n\n",
        Deviation::Lenient(HttpError::BareLf, LF),
    ),
    (
        P,
        "test_chunked_consume_trailer",
        "6\r\nhello \r\n5\r\nworld\r\n0\r\na: b\nc: d\n\n",
        Deviation::Lenient(HttpError::BareLf, LF),
    ),
];

const H: &str = "httparse-cases.json";
const P: &str = "picohttpparser-cases.json";

fn deviation(file: &str, name: &str, raw: &[u8]) -> Option<Deviation> {
    DEVIATIONS
        .iter()
        .find(|(f, n, r, _)| *f == file && *n == name && (r.is_empty() || r.as_bytes() == raw))
        .map(|(.., d)| *d)
}

fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
        .collect()
}

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("vendored cases");
    serde_json::from_str(&text).expect("json")
}

fn raw(case: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(case["raw"].as_str().expect("raw"))
        .expect("base64")
}

/// The parse of a whole head in one piece: the start line and fields, and the result.
fn one_piece(
    kind: &str,
    input: &[u8],
    config: &Config,
) -> (Vec<Owned>, Result<Option<usize>, HttpError>) {
    let mut headers = [Header::default(); 64];
    let mut events = Vec::new();
    let result = match kind {
        "request" => RequestHead::parse(input, &mut headers, config).map(|p| match p {
            Parsed::Complete(r) => {
                events.push(r.line.into());
                events.extend(
                    r.headers
                        .iter()
                        .map(|h| Owned::Header(h.name_str().into(), h.value.into())),
                );
                events.push(Owned::End(r.end));
                Some(r.len)
            }
            Parsed::Partial => None,
        }),
        _ => ResponseHead::parse(input, &mut headers, config).map(|p| match p {
            Parsed::Complete(r) => {
                events.push(towel::http::Event::Status(r.line).into());
                events.extend(
                    r.headers
                        .iter()
                        .map(|h| Owned::Header(h.name_str().into(), h.value.into())),
                );
                events.push(Owned::End(r.end));
                Some(r.len)
            }
            Parsed::Partial => None,
        }),
    };
    (events, result)
}

/// The push parser, one byte per read and (for picohttpparser's "slowloris" cases) a prefix
/// then the whole, gives what the one-piece parse gave.
fn push_agrees<K: HeadKind>(
    case: &Value,
    parser: HeadParser<K>,
    input: &[u8],
    events: &[Owned],
    result: &Result<Option<usize>, HttpError>,
) -> Result<(), String> {
    let result = *result;
    let slow = drive(parser.clone(), input, 1 << 16, || 1);
    if slow.result != result || (result.is_ok_and(|r| r.is_some()) && slow.events != events) {
        return Err(format!(
            "byte by byte {slow:?} differs from one piece {events:?} {result:?}"
        ));
    }
    // picohttpparser's "slowloris" cases: a prefix first, then the whole.
    if let Some(last) = case["last_len"]
        .as_str()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|l| *l > 0)
    {
        let mut first = true;
        let split = drive(parser, input, 1 << 16, || {
            if std::mem::take(&mut first) {
                last
            } else {
                usize::MAX
            }
        });
        if split.result != result {
            return Err(format!("prefix of {last} then the rest gives {split:?}"));
        }
    }
    Ok(())
}

/// Checks a head case against its expectation under `config`; `Err` describes a mismatch.
fn check_head(
    file: &str,
    case: &Value,
    kind: &str,
    input: &[u8],
    config: &Config,
) -> Result<(), String> {
    let (events, result) = one_piece(kind, input, config);
    // The same input, one byte per read through the push parser, gives the same.
    if kind == "request" {
        push_agrees(case, HeadParser::request(*config), input, &events, &result)?;
    } else {
        push_agrees(case, HeadParser::response(*config), input, &events, &result)?;
    }
    let expect = case["expect"].as_str().unwrap_or_default();
    match (expect, &result) {
        ("ok", Ok(Some(len))) => {
            if let Some(consumed) = case["consumed"].as_u64()
                && consumed as usize != *len
            {
                return Err(format!("consumed {len}, expected {consumed}"));
            }
        }
        ("partial" | "incomplete", Ok(None)) => return Ok(()),
        ("error", Err(_)) => return Ok(()),
        _ => return Err(format!("expected {expect}, got {result:?}")),
    }
    let mut events = events.iter();
    match (kind, events.next()) {
        ("request", Some(Owned::Request(method, target, version))) => {
            if let Some(m) = case["method"].as_str()
                && m != method
            {
                return Err(format!("method {method:?}"));
            }
            if let Some(p) = case["path"].as_str()
                && latin1(p) != *target
            {
                return Err(format!("target {:?}", String::from_utf8_lossy(target)));
            }
            check_version(case, *version)?;
        }
        ("response", Some(Owned::Status(version, code, reason))) => {
            if let Some(c) = case["status_code"].as_u64()
                && c != u64::from(*code)
            {
                return Err(format!("code {code}"));
            }
            if let Some(r) = case["reason"].as_str().or(case["msg"].as_str())
                && latin1(r) != *reason
            {
                return Err(format!("reason {:?}", String::from_utf8_lossy(reason)));
            }
            check_version(case, *version)?;
        }
        ("headers", Some(Owned::Status(..))) => {}
        (_, other) => return Err(format!("start line {other:?}")),
    }
    let fields: Vec<_> = events.filter(|e| matches!(e, Owned::Header(..))).collect();
    if let Some(n) = case["num_headers"].as_u64()
        && n as usize != fields.len()
    {
        return Err(format!("{} fields: {fields:?}", fields.len()));
    }
    if let Some(expected) = case["headers"].as_array() {
        for (i, pair) in expected.iter().enumerate() {
            let Some(Owned::Header(name, value)) = fields.get(i) else {
                return Err(format!("field {i} missing"));
            };
            if let Some(n) = pair[0].as_str()
                && n != name
            {
                return Err(format!("field {i} name {name:?}"));
            }
            if latin1(pair[1].as_str().unwrap_or_default()) != *value {
                return Err(format!(
                    "field {i} value {:?}",
                    String::from_utf8_lossy(value)
                ));
            }
        }
    }
    let _ = file;
    Ok(())
}

fn check_version(case: &Value, version: Version) -> Result<(), String> {
    let minor = case["version"].as_u64().or(case["minor_version"].as_u64());
    let ours = match version {
        Version::Http10 => 0,
        Version::Http11 => 1,
    };
    match minor {
        Some(m) if m != ours => Err(format!("version {version:?}")),
        _ => Ok(()),
    }
}

fn check_chunked(case: &Value, input: &[u8], config: &Config) -> Result<(), String> {
    let expected = base64::engine::general_purpose::STANDARD
        .decode(case["decoded"].as_str().unwrap_or_default())
        .expect("base64");
    let expect = case["expect"].as_str().unwrap_or_default();
    // Whole, and one byte at a time: the same.
    let whole = decode_pieces(Framing::Chunked, config, [input]);
    let bytes = decode_pieces(Framing::Chunked, config, input.chunks(1));
    if whole != bytes {
        return Err(format!("split changes the result: {whole:?} vs {bytes:?}"));
    }
    match (expect, &whole) {
        ("ok", Ok((data, 0))) if *data == expected => Ok(()),
        ("incomplete", Err(HttpError::Truncated)) => Ok(()),
        ("error", Err(e)) if *e != HttpError::Truncated => Ok(()),
        _ => Err(format!("expected {expect}, got {whole:?}")),
    }
}

fn run(file: &str) -> usize {
    let mut failures = Vec::new();
    let cases = load(file);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or_default();
        let kind = case["kind"].as_str().unwrap_or_default();
        let mut input = raw(case);
        let (kind, input) = match kind {
            // picohttpparser's header-only cases, behind a status line.
            "headers" => {
                let mut head = b"HTTP/1.1 200 OK\r\n".to_vec();
                head.append(&mut input);
                ("headers", head)
            }
            k => (k, input),
        };
        let check = |config: &Config| match kind {
            "chunked" => check_chunked(case, &input, config),
            "headers" => check_head(file, case, "headers", &input, config),
            k => check_head(file, case, k, &input, config),
        };
        let outcome = match deviation(file, name, &raw(case)) {
            None => check(&Config::DEFAULT),
            Some(Deviation::Lenient(error, leniency)) => {
                let strict = one_strict(kind, &input);
                if strict != Some(error) {
                    Err(format!("strict: expected {error:?}, got {strict:?}"))
                } else {
                    check(&Config {
                        leniency,
                        ..Config::DEFAULT
                    })
                }
            }
            Some(Deviation::Rejects(error)) => {
                let strict = one_strict(kind, &input);
                if strict != Some(error) {
                    Err(format!("expected {error:?}, got {strict:?}"))
                } else {
                    Ok(())
                }
            }
            Some(Deviation::WaitsForLineEnd) => match one_piece(kind, &input, &Config::DEFAULT).1 {
                Ok(None) => Ok(()),
                other => Err(format!("expected a wait for more, got {other:?}")),
            },
            Some(Deviation::ReadsTrailerSection) => {
                let expected = base64::engine::general_purpose::STANDARD
                    .decode(case["decoded"].as_str().unwrap_or_default())
                    .expect("base64");
                let mut decoder = towel::http::BodyDecoder::new(Framing::Chunked, &Config::DEFAULT);
                let mut data = Vec::new();
                let mut rest = &input[..];
                let mut result = Ok(());
                while !rest.is_empty() && !decoder.is_done() {
                    match decoder.decode(rest) {
                        Ok(d) => {
                            data.extend_from_slice(d.data);
                            rest = &rest[d.consumed..];
                        }
                        Err(e) => {
                            result = Err(format!("{e:?}"));
                            break;
                        }
                    }
                }
                result.and_then(|()| {
                    if data == expected && !decoder.is_done() && rest.is_empty() {
                        Ok(())
                    } else {
                        Err(format!("payload {data:?}, done {}", decoder.is_done()))
                    }
                })
            }
        };
        if let Err(why) = outcome {
            failures.push(format!(
                "{file} {kind} {name:?} {:?}: {why}",
                String::from_utf8_lossy(&input)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    cases.len()
}

/// The strict error for a case, if any.
fn one_strict(kind: &str, input: &[u8]) -> Option<HttpError> {
    match kind {
        "chunked" => decode_pieces(Framing::Chunked, &Config::DEFAULT, [input]).err(),
        "headers" => one_piece("response", input, &Config::DEFAULT).1.err(),
        k => one_piece(k, input, &Config::DEFAULT).1.err(),
    }
}

#[test]
fn httparse_cases() {
    assert_eq!(run("httparse-cases.json"), 304);
}

#[test]
fn picohttpparser_cases() {
    assert_eq!(run("picohttpparser-cases.json"), 90);
}

#[test]
fn every_deviation_names_a_real_case() {
    for (file, name, input, _) in DEVIATIONS {
        let cases = load(file);
        assert!(
            cases.iter().any(|c| c["name"].as_str() == Some(name)
                && (input.is_empty() || raw(c) == input.as_bytes())),
            "{file} has no case {name:?} {input:?}"
        );
    }
}
