//! Every class of malformed input, with the exact error it gives; and the limits.

use towel::http::{
    BodyDecoder, Config, Framing, Header, HttpError, Leniency, Limits, Parsed, RequestHead,
    ResponseHead,
};

/// Strict but for bare-LF line ends.
const LF: Config = Config {
    leniency: Leniency {
        lf_line_ends: true,
        ..Leniency::STRICT
    },
    ..Config::DEFAULT
};

fn req_with(input: &[u8], config: &Config) -> Result<Parsed<(String, usize)>, HttpError> {
    let mut headers = [Header::default(); 100];
    Ok(match RequestHead::parse(input, &mut headers, config)? {
        Parsed::Complete(r) => Parsed::Complete((r.line.method_str().to_string(), r.headers.len())),
        Parsed::Partial => Parsed::Partial,
    })
}

fn req(input: &[u8]) -> Result<Parsed<(String, usize)>, HttpError> {
    req_with(input, &Config::DEFAULT)
}

fn req_err(input: &[u8]) -> HttpError {
    req(input).expect_err(&String::from_utf8_lossy(input))
}

fn res_with(input: &[u8], config: &Config) -> Result<Parsed<(u16, Framing, bool)>, HttpError> {
    let mut headers = [Header::default(); 100];
    Ok(match ResponseHead::parse(input, &mut headers, config)? {
        Parsed::Complete(r) => Parsed::Complete((r.line.code, r.end.framing, r.end.close)),
        Parsed::Partial => Parsed::Partial,
    })
}

fn res(input: &[u8]) -> Result<Parsed<(u16, Framing, bool)>, HttpError> {
    res_with(input, &Config::DEFAULT)
}

fn res_err(input: &[u8]) -> HttpError {
    res(input).expect_err(&String::from_utf8_lossy(input))
}

fn framing(input: &[u8]) -> Framing {
    match res(input) {
        Ok(Parsed::Complete((_, framing, _))) => framing,
        other => panic!("{other:?} for {:?}", String::from_utf8_lossy(input)),
    }
}

#[test]
fn good_heads_parse() {
    assert_eq!(
        req(b"GET / HTTP/1.0\r\nHost: a\r\n\r\n"),
        Ok(Parsed::Complete(("GET".into(), 1)))
    );
    assert_eq!(
        res(b"HTTP/1.0 200 OK\r\n\r\n"),
        Ok(Parsed::Complete((200, Framing::UntilClose, true)))
    );
}

#[test]
fn bare_cr() {
    assert_eq!(req_err(b"GET / HTTP/1.0\rX\n\r\n"), HttpError::BareCr);
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\nA: b\rc\r\n\r\n"),
        HttpError::BareCr
    );
    assert_eq!(res_err(b"HTTP/1.0 200 OK\r\n\r\r\n"), HttpError::BareCr);
}

#[test]
fn bare_lf_unless_lenient() {
    assert_eq!(req_err(b"GET / HTTP/1.0\nHost: a\n\n"), HttpError::BareLf);
    assert_eq!(res_err(b"HTTP/1.0 200 OK\r\nA: b\n\r\n"), HttpError::BareLf);
    assert_eq!(
        req_with(b"GET / HTTP/1.0\nHost: a\n\n", &LF),
        Ok(Parsed::Complete(("GET".into(), 1)))
    );
}

#[test]
fn control_bytes() {
    assert_eq!(req_err(b"G\0T / HTTP/1.0\r\n\r\n"), HttpError::ControlByte);
    assert_eq!(
        req_err(b"GET /\x7fa HTTP/1.0\r\n\r\n"),
        HttpError::ControlByte
    );
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\nab: c\0d\r\n\r\n"),
        HttpError::ControlByte
    );
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\na\x1bb: c\r\n\r\n"),
        HttpError::ControlByte
    );
    assert_eq!(res_err(b"HTTP/1.1 200 \0\r\n\r\n"), HttpError::ControlByte);
    // A control byte is an error even before the line is complete.
    assert_eq!(req_err(b"GET /\x01"), HttpError::ControlByte);
}

#[test]
fn space_before_colon() {
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\nfoo : ab\r\n\r\n"),
        HttpError::SpaceBeforeColon
    );
    assert_eq!(
        res_err(b"HTTP/1.0 200 OK\r\nfoo\t: ab\r\n\r\n"),
        HttpError::SpaceBeforeColon
    );
}

#[test]
fn header_names() {
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\n:a\r\n\r\n"),
        HttpError::InvalidHeaderName
    );
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\n{: 1\r\n\r\n"),
        HttpError::InvalidHeaderName
    );
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\n/: 1\r\n\r\n"),
        HttpError::InvalidHeaderName
    );
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\nfoo bar: 1\r\n\r\n"),
        HttpError::InvalidHeaderName
    );
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\nfo\xc3\xa9: 1\r\n\r\n"),
        HttpError::InvalidHeaderName
    );
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\nfoo\r\n\r\n"),
        HttpError::MissingColon
    );
    assert_eq!(
        req_err(b"GET / HTTP/1.0\r\n :a\r\n\r\n"),
        HttpError::ObsFold
    );
    assert_eq!(
        res_err(b"HTTP/1.0 200 OK\r\nfoo: b\r\n  c\r\n\r\n"),
        HttpError::ObsFold
    );
}

#[test]
fn request_line_errors() {
    assert_eq!(req_err(b" / HTTP/1.1\r\n\r\n"), HttpError::InvalidMethod);
    assert_eq!(
        req_err(b":GET / HTTP/1.1\r\n\r\n"),
        HttpError::InvalidMethod
    );
    assert_eq!(
        req_err(b"G\tT / HTTP/1.1\r\n\r\n"),
        HttpError::InvalidMethod
    );
    assert_eq!(req_err(b"GET\r\n\r\n"), HttpError::InvalidTarget);
    assert_eq!(req_err(b"GET  HTTP/1.1\r\n\r\n"), HttpError::InvalidTarget);
    assert_eq!(
        req_err(b"GET /a\tb HTTP/1.1\r\n\r\n"),
        HttpError::InvalidTarget
    );
    assert_eq!(req_err(b"GET /\r\n\r\n"), HttpError::BadVersion);
    assert_eq!(req_err(b"GET x x HTTP/1.1\r\n\r\n"), HttpError::BadVersion);
    assert_eq!(
        req_err(b"GET / HTTP/1.2\r\n\r\n"),
        HttpError::UnsupportedVersion
    );
    assert_eq!(
        req_err(b"GET / HTTP/2\r\n\r\n"),
        HttpError::UnsupportedVersion
    );
    assert_eq!(req_err(b"GET / HTTP/12\r\n\r\n"), HttpError::BadVersion);
    assert_eq!(req_err(b"GET / HTTP/1.\r\n\r\n"), HttpError::BadVersion);
    assert_eq!(req_err(b"GET / http/1.1\r\n\r\n"), HttpError::BadVersion);
    assert_eq!(req_err(b"GET / HTTP/1.1 \r\n\r\n"), HttpError::BadVersion);
    assert_eq!(
        req_err(b"\r\nGET / HTTP/1.1\r\n\r\n"),
        HttpError::LeadingEmptyLine
    );
}

#[test]
fn multiple_spaces_only_when_lenient() {
    let input = b"GET   /   HTTP/1.0\r\n\r\n";
    assert_eq!(req_err(input), HttpError::InvalidTarget);
    let lenient = Config {
        leniency: Leniency {
            multiple_spaces: true,
            ..Leniency::STRICT
        },
        ..Config::DEFAULT
    };
    assert_eq!(
        req_with(input, &lenient),
        Ok(Parsed::Complete(("GET".into(), 0)))
    );
    assert_eq!(
        res_err(b"HTTP/1.1   200   OK\r\n\r\n"),
        HttpError::BadStatus
    );
    assert!(matches!(
        res_with(b"HTTP/1.1   200   OK\r\n\r\n", &lenient),
        Ok(Parsed::Complete((200, _, _)))
    ));
}

#[test]
fn status_line_errors() {
    assert_eq!(res_err(b"HTTP/1. 200 OK\r\n\r\n"), HttpError::BadVersion);
    assert_eq!(res_err(b"HTTP/1.2z 200 OK\r\n\r\n"), HttpError::BadVersion);
    assert_eq!(res_err(b"HTTP/2 200 OK\r\n\r\n"), HttpError::BadVersion);
    assert_eq!(res_err(b"<!DOCTYPE HTML>\n"), HttpError::BareLf);
    assert_eq!(res_err(b"<html>\r\n"), HttpError::BadVersion);
    assert_eq!(res_err(b"HTTP/1.1  OK\r\n\r\n"), HttpError::BadStatus);
    assert_eq!(res_err(b"HTTP/1.1 200X\r\n\r\n"), HttpError::BadStatus);
    assert_eq!(res_err(b"HTTP/1.1 200X OK\r\n\r\n"), HttpError::BadStatus);
    assert_eq!(res_err(b"HTTP/1.1 20 OK\r\n\r\n"), HttpError::BadStatus);
    assert_eq!(res_err(b"HTTP/1.1 2000 OK\r\n\r\n"), HttpError::BadStatus);
    assert_eq!(res_err(b"HTTP/1.1 -20 OK\r\n\r\n"), HttpError::BadStatus);
}

#[test]
fn tolerated_status_lines() {
    // An HTTP/1.1 answer (to a 1.0 request), an empty reason with or without its space.
    assert!(matches!(
        res(b"HTTP/1.1 200 \r\n\r\n"),
        Ok(Parsed::Complete((200, Framing::UntilClose, true)))
    ));
    assert!(matches!(
        res(b"HTTP/1.1 404\r\n\r\n"),
        Ok(Parsed::Complete((404, _, _)))
    ));
    let mut headers = [Header::default(); 2];
    let Ok(Parsed::Complete(r)) = ResponseHead::parse(
        b"HTTP/1.1 101 Switching Protocols\t\r\nA:  \t x y \t\r\n\r\n",
        &mut headers,
        &Config::DEFAULT,
    ) else {
        panic!()
    };
    assert_eq!(r.line.reason, b"Switching Protocols\t");
    assert_eq!(r.headers[0].value, b"x y");
}

#[test]
fn content_length_errors() {
    let conflict = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 6\r\n\r\n";
    assert_eq!(res_err(conflict), HttpError::ConflictingContentLength);
    let same = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n";
    assert_eq!(framing(same), Framing::ContentLength(5));
    for bad in [&b"-1"[..], b"+5", b"5 5", b"5,5", b"0x10", b"", b"1e3"] {
        let mut head = b"HTTP/1.1 200 OK\r\nContent-Length: ".to_vec();
        head.extend_from_slice(bad);
        head.extend_from_slice(b"\r\n\r\n");
        assert_eq!(res_err(&head), HttpError::InvalidContentLength, "{bad:?}");
    }
    let max = b"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n";
    assert_eq!(framing(max), Framing::ContentLength(u64::MAX));
    let over = b"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n";
    assert_eq!(res_err(over), HttpError::ContentLengthOverflow);
    let huge = b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999999\r\n\r\n";
    assert_eq!(res_err(huge), HttpError::ContentLengthOverflow);
    let both = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n";
    assert_eq!(res_err(both), HttpError::ContentLengthWithTransferEncoding);
    let both = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n";
    assert_eq!(req_err(both), HttpError::ContentLengthWithTransferEncoding);
}

#[test]
fn framing_per_rfc_9112() {
    assert_eq!(
        framing(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n"),
        Framing::ContentLength(7)
    );
    assert_eq!(framing(b"HTTP/1.0 200 OK\r\n\r\n"), Framing::UntilClose);
    assert_eq!(
        framing(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"),
        Framing::Chunked
    );
    assert_eq!(
        framing(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
        Framing::UntilClose
    );
    for code in [100, 101, 199, 204, 304] {
        let head = format!("HTTP/1.1 {code} X\r\nContent-Length: 7\r\n\r\n");
        assert_eq!(framing(head.as_bytes()), Framing::NoBody, "{code}");
    }
    let mut headers = [Header::default(); 4];
    let Ok(Parsed::Complete(r)) = RequestHead::parse(
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        &mut headers,
        &Config::DEFAULT,
    ) else {
        panic!()
    };
    assert_eq!(r.end.framing, Framing::Chunked);
    assert_eq!(
        req_err(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
        HttpError::UnsupportedTransferEncoding
    );
    assert_eq!(HttpError::UnsupportedTransferEncoding.status(), 501);
}

#[test]
fn connection_close() {
    let closes = |head: &[u8]| match res(head) {
        Ok(Parsed::Complete((_, _, close))) => close,
        other => panic!("{other:?}"),
    };
    assert!(!closes(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert!(closes(
        b"HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n"
    ));
    assert!(closes(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert!(!closes(
        b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"
    ));
    assert!(closes(b"HTTP/1.1 200 OK\r\n\r\n"));
}

#[test]
fn limits_each_with_its_error() {
    let limits = Limits {
        max_line: 40,
        max_headers: 2,
        max_target: 10,
        ..Limits::DEFAULT
    };
    let config = Config {
        limits,
        ..Config::DEFAULT
    };
    // A line of exactly 40 bytes with its CRLF fits; 41 does not, complete or not.
    let fits = format!("GET / HTTP/1.0\r\nA: {}\r\n\r\n", "x".repeat(40 - 5));
    assert!(matches!(
        req_with(fits.as_bytes(), &config),
        Ok(Parsed::Complete(_))
    ));
    let long = format!("GET / HTTP/1.0\r\nA: {}\r\n\r\n", "x".repeat(40 - 4));
    assert_eq!(
        req_with(long.as_bytes(), &config),
        Err(HttpError::HeaderTooLong)
    );
    let unfinished = format!("GET / HTTP/1.0\r\nA: {}", "x".repeat(40));
    assert_eq!(
        req_with(unfinished.as_bytes(), &config),
        Err(HttpError::HeaderTooLong)
    );
    let unfinished = format!("GET / HTTP/1.0\r\nA: {}", "x".repeat(30));
    assert_eq!(
        req_with(unfinished.as_bytes(), &config),
        Ok(Parsed::Partial)
    );

    let three = b"GET / HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    assert_eq!(req_with(three, &config), Err(HttpError::TooManyHeaders));
    let two = b"GET / HTTP/1.0\r\nA: 1\r\nB: 2\r\n\r\n";
    assert!(matches!(req_with(two, &config), Ok(Parsed::Complete(_))));
    // The caller's array is a limit too.
    let mut one = [Header::default(); 1];
    assert_eq!(
        RequestHead::parse(two, &mut one, &Config::DEFAULT),
        Err(HttpError::TooManyHeaders)
    );

    let target = b"GET /123456789a HTTP/1.0\r\n\r\n";
    assert_eq!(req_with(target, &config), Err(HttpError::TargetTooLong));
    assert!(matches!(
        req_with(b"GET /123456789 HTTP/1.0\r\n\r\n", &config),
        Ok(Parsed::Complete(_))
    ));
    // A request line too long for the line limit, after a complete method: 414, not 431.
    let very_long = format!("GET /{} HTTP/1.0\r\n\r\n", "a".repeat(50));
    assert_eq!(
        req_with(very_long.as_bytes(), &config),
        Err(HttpError::TargetTooLong)
    );
    assert_eq!(
        req_with("A".repeat(60).as_bytes(), &config),
        Err(HttpError::HeaderTooLong)
    );
    assert_eq!(HttpError::TargetTooLong.status(), 414);
    assert_eq!(HttpError::HeaderTooLong.status(), 431);
    assert_eq!(HttpError::TooManyHeaders.status(), 431);
}

#[test]
fn leading_empty_lines_are_counted() {
    let config = Config {
        limits: Limits {
            max_headers: 3,
            ..Limits::DEFAULT
        },
        leniency: Leniency {
            leading_empty_lines: true,
            ..Leniency::STRICT
        },
    };
    assert!(matches!(
        req_with(b"\r\n\r\nGET / HTTP/1.1\r\nA: b\r\n\r\n", &config),
        Ok(Parsed::Complete(_))
    ));
    assert_eq!(
        req_with(b"\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n", &config),
        Err(HttpError::TooManyHeaders)
    );
}

fn decode_all(framing: Framing, config: &Config, input: &[u8]) -> Result<Vec<u8>, HttpError> {
    let mut decoder = BodyDecoder::new(framing, config);
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() && !decoder.is_done() {
        let d = decoder.decode(rest)?;
        assert!(d.consumed > 0, "no progress");
        out.extend_from_slice(d.data);
        rest = &rest[d.consumed..];
    }
    decoder.finish()?;
    Ok(out)
}

fn chunked(input: &[u8]) -> Result<Vec<u8>, HttpError> {
    decode_all(Framing::Chunked, &Config::DEFAULT, input)
}

#[test]
fn body_content_length_and_truncation() {
    let c = &Config::DEFAULT;
    assert_eq!(
        decode_all(Framing::ContentLength(3), c, b"abcdef"),
        Ok(b"abc".to_vec())
    );
    assert_eq!(
        decode_all(Framing::ContentLength(3), c, b"ab"),
        Err(HttpError::Truncated)
    );
    assert_eq!(decode_all(Framing::NoBody, c, b"ab"), Ok(vec![]));
    assert_eq!(
        decode_all(Framing::UntilClose, c, b"ab"),
        Ok(b"ab".to_vec())
    );
    assert_eq!(decode_all(Framing::UntilClose, c, b""), Ok(vec![]));
    assert_eq!(chunked(b"5\r\nhel"), Err(HttpError::Truncated));
    assert_eq!(chunked(b"5\r\nhello\r\n0\r\n"), Err(HttpError::Truncated));
    assert_eq!(chunked(b"5\r\nhello\r\n0\r\n\r\n"), Ok(b"hello".to_vec()));
}

/// RFC 9112 §7.1.1: `chunk-size [ chunk-ext ] CRLF`, where `chunk-ext` is
/// `*( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`. Whitespace after the size
/// with no `;`, and a `;` with no name, are refused (as llhttp does); what the grammar allows
/// still reads.
#[test]
fn body_chunk_lines_follow_the_grammar() {
    for bad in [
        &b"5 \r\nhello\r\n0\r\n\r\n"[..],
        b"5\t\r\nhello\r\n0\r\n\r\n",
        b"5  \t \r\nhello\r\n0\r\n\r\n",
        b"5;\r\nhello\r\n0\r\n\r\n",
        b"5; \r\nhello\r\n0\r\n\r\n",
        b"5 ;\r\nhello\r\n0\r\n\r\n",
        b"5;=x\r\nhello\r\n0\r\n\r\n",
        b"5;;a\r\nhello\r\n0\r\n\r\n",
        b"5;a;\r\nhello\r\n0\r\n\r\n",
        b"5;a=\"open\r\nhello\r\n0\r\n\r\n",
        b"5\r\nhello\r\n0 \r\n\r\n",
        b"5\r\nhello\r\n0;\r\n\r\n",
    ] {
        assert_eq!(
            chunked(bad),
            Err(HttpError::InvalidChunkExtension),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
    // Under LF line ends too.
    assert_eq!(
        decode_all(Framing::Chunked, &LF, b"5 \nhello\n0\n\n"),
        Err(HttpError::InvalidChunkExtension)
    );
    assert_eq!(
        decode_all(Framing::Chunked, &LF, b"5;\nhello\n0\n\n"),
        Err(HttpError::InvalidChunkExtension)
    );
    for good in [
        &b"5;a\r\nhello\r\n0\r\n\r\n"[..],
        b"5 ;a\r\nhello\r\n0\r\n\r\n",
        b"5\t; a=1\r\nhello\r\n0\r\n\r\n",
        b"5;a=1;b\r\nhello\r\n0;last\r\n\r\n",
        b"5;a=\"x;y \\\" z\"\r\nhello\r\n0\r\n\r\n",
    ] {
        assert_eq!(
            chunked(good),
            Ok(b"hello".to_vec()),
            "{}",
            String::from_utf8_lossy(good)
        );
    }
}

#[test]
fn body_chunked_errors() {
    assert_eq!(chunked(b"z\r\nabc"), Err(HttpError::InvalidChunkSize));
    assert_eq!(chunked(b"\r\nabc"), Err(HttpError::InvalidChunkSize));
    assert_eq!(
        chunked(b"1x\r\na\r\n0\r\n\r\n"),
        Err(HttpError::InvalidChunkSize)
    );
    assert_eq!(
        chunked(b"-1\r\na\r\n0\r\n\r\n"),
        Err(HttpError::InvalidChunkSize)
    );
    assert_eq!(
        chunked(b"1 2\r\na\r\n0\r\n\r\n"),
        Err(HttpError::InvalidChunkSize)
    );
    assert_eq!(
        chunked(b"fffffffffffffffff\r\n"),
        Err(HttpError::ChunkSizeTooLarge)
    );
    assert_eq!(
        chunked(b"00000000000000001\r\n"),
        Err(HttpError::ChunkSizeTooLarge)
    );
    assert_eq!(
        chunked(b"ffffffffffffffff\r\nab"),
        Err(HttpError::Truncated)
    );
    assert_eq!(chunked(b"6\nhello \r\n"), Err(HttpError::BareLf));
    assert_eq!(chunked(b"6\r\nhello \n5"), Err(HttpError::BareLf));
    assert_eq!(chunked(b"6\r\nhello X"), Err(HttpError::BadChunkEnd));
    assert_eq!(chunked(b"6\rX\nhello "), Err(HttpError::BareCr));
    assert_eq!(chunked(b"1\r\na\r\n0\r\n\rX"), Err(HttpError::BareCr));
    assert_eq!(
        chunked(b"1;a\0b\r\na\r\n0\r\n\r\n"),
        Err(HttpError::ControlByte)
    );
    assert_eq!(
        chunked(b"1\r\na\r\n0\r\nA: \x01\r\n\r\n"),
        Err(HttpError::ControlByte)
    );
    let few = Config {
        limits: Limits {
            max_headers: 1,
            max_line: 16,
            max_chunk_size_digits: 4,
            ..Limits::DEFAULT
        },
        ..Config::DEFAULT
    };
    let two_trailers = b"1\r\na\r\n0\r\nA: b\r\nC: d\r\n\r\n";
    assert_eq!(
        decode_all(Framing::Chunked, &few, two_trailers),
        Err(HttpError::TooManyHeaders)
    );
    // 16 bytes with the CRLF fit, 17 do not.
    let long_ext = b"1;aaaaaaaaaaaaa\r\na\r\n0\r\n\r\n";
    assert_eq!(
        decode_all(Framing::Chunked, &few, long_ext),
        Err(HttpError::HeaderTooLong)
    );
    let fits_ext = b"1;aaaaaaaaaaaa\r\na\r\n0\r\n\r\n";
    assert_eq!(
        decode_all(Framing::Chunked, &few, fits_ext),
        Ok(b"a".to_vec())
    );
    assert_eq!(
        decode_all(Framing::Chunked, &few, b"10000\r\n"),
        Err(HttpError::ChunkSizeTooLarge)
    );
}

#[test]
fn body_chunked_accepts() {
    assert_eq!(
        chunked(b"6 ; comment\r\nhello \r\n5;a=b;c=\"d\"\r\nworld\r\n0\r\na: b\r\nc: d\r\n\r\n"),
        Ok(b"hello world".to_vec())
    );
    assert_eq!(
        chunked(b"A\r\n0123456789\r\n0\r\n\r\n"),
        Ok(b"0123456789".to_vec())
    );
    assert_eq!(
        chunked(b"0000a\r\n0123456789\r\n0\r\n\r\n"),
        Ok(b"0123456789".to_vec())
    );
    assert_eq!(
        decode_all(
            Framing::Chunked,
            &LF,
            b"6\nhello \n5\r\nworld\n0\na: b\nc: d\n\n"
        ),
        Ok(b"hello world".to_vec())
    );
}

#[test]
fn every_error_has_words() {
    use HttpError::*;
    let all = [
        HeaderTooLong,
        TooManyHeaders,
        TargetTooLong,
        InvalidMethod,
        InvalidTarget,
        InvalidHeaderName,
        MissingColon,
        SpaceBeforeColon,
        ObsFold,
        LeadingEmptyLine,
        BareCr,
        BareLf,
        ControlByte,
        BadVersion,
        UnsupportedVersion,
        BadStatus,
        InvalidContentLength,
        ContentLengthOverflow,
        ConflictingContentLength,
        ContentLengthWithTransferEncoding,
        UnsupportedTransferEncoding,
        InvalidChunkSize,
        ChunkSizeTooLarge,
        InvalidChunkExtension,
        BadChunkEnd,
        Truncated,
    ];
    let texts: std::collections::HashSet<String> = all.iter().map(|e| e.to_string()).collect();
    assert_eq!(texts.len(), all.len(), "each error has its own words");
    assert!(texts.iter().all(|t| t.len() > 10 && t.contains(' ')));
}

#[test]
fn errors_and_the_end_are_sticky() {
    use towel::http::{Event, HeadParser, Step};
    let mut p = HeadParser::response(Config::DEFAULT);
    assert_eq!(
        p.parse(b"HTTP/1.1 200 OK\r\nA\r\n"),
        Ok(Step::Event(
            Event::Status(towel::http::StatusLine {
                version: towel::http::Version::Http11,
                code: 200,
                reason: b"OK"
            }),
            17
        ))
    );
    assert_eq!(p.parse(b"A\r\n"), Err(HttpError::MissingColon));
    assert_eq!(p.parse(b"A: b\r\n"), Err(HttpError::MissingColon));
    let mut p = HeadParser::request(Config::DEFAULT);
    let head = b"GET / HTTP/1.1\r\n\r\n";
    assert!(matches!(
        p.parse(head),
        Ok(Step::Event(Event::Request(_), 16))
    ));
    let end = p.parse(&head[16..]);
    assert!(matches!(end, Ok(Step::Event(Event::End(_), 2))));
    assert!(p.is_done());
    assert!(matches!(
        p.parse(b"more"),
        Ok(Step::Event(Event::End(_), 0))
    ));
    p.reset();
    assert!(!p.is_done());
    assert!(matches!(
        p.parse(head),
        Ok(Step::Event(Event::Request(_), 16))
    ));
}
