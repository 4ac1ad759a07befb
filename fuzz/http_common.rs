//! What the HTTP fuzz targets share: the split-invariance checks (the drivers come from
//! towel-testkit).
#![allow(dead_code)]

use towel_testkit::http::{Owned, decode_pieces, drive};
use towel::http::{Config, Framing, HeadKind, HeadParser, Header, Leniency, MessageKind, Parsed, RequestHead, ResponseHead};

const LENIENT: Config = Config {
    leniency: Leniency::ALL,
    ..Config::DEFAULT
};

pub fn head<K: HeadKind>(data: &[u8]) {
    for config in [Config::DEFAULT, LENIENT] {
        let parser = HeadParser::<K>::new(config);
        let whole = drive(parser.clone(), data, 1 << 14, || usize::MAX);
        let bytes = drive(parser.clone(), data, 1 << 14, || 1);
        assert_eq!(whole, bytes, "one byte per read");
        let step = 2 + data.len() % 13;
        assert_eq!(whole, drive(parser.clone(), data, 1 << 14, || step), "reads of {step}");
        // The one-slice parse agrees with the push parser.
        let mut headers = [Header::default(); 64];
        let slice = match K::KIND {
            MessageKind::Request => RequestHead::parse(data, &mut headers, &config)
                .map(|p| matches!(p, Parsed::Complete(r) if Ok(Some(r.len)) == whole.result)),
            MessageKind::Response => ResponseHead::parse(data, &mut headers, &config)
                .map(|p| matches!(p, Parsed::Complete(r) if Ok(Some(r.len)) == whole.result)),
        };
        match (&whole.result, slice) {
            (Ok(Some(_)), Ok(true)) | (Ok(None), Ok(false)) => {}
            // More fields than the array holds.
            (Ok(Some(_)), Err(towel::http::HttpError::TooManyHeaders)) => {}
            (Err(e), Err(f)) => assert_eq!(*e, f),
            (w, s) => panic!("push parser {w:?}, one slice {s:?}"),
        }
        if let (Ok(Some(len)), Some(Owned::End(end))) = (whole.result, whole.events.last()) {
            let rest = &data[len..];
            let a = decode_pieces(end.framing, &config, [rest]);
            let b = decode_pieces(end.framing, &config, rest.chunks(1));
            assert_eq!(a, b);
        }
    }
}

pub fn body(data: &[u8]) {
    let length = data.first().map_or(0, |b| u64::from(*b));
    for framing in [Framing::Chunked, Framing::ContentLength(length), Framing::UntilClose] {
        for config in [Config::DEFAULT, LENIENT] {
            let whole = decode_pieces(framing, &config, [data]);
            let bytes = decode_pieces(framing, &config, data.chunks(1));
            assert_eq!(whole, bytes, "{framing:?}");
            let step = 2 + data.len() % 13;
            assert_eq!(whole, decode_pieces(framing, &config, data.chunks(step)), "{framing:?}");
        }
    }
}
