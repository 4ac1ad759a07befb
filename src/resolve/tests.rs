use super::*;

use proptest::prelude::*;
use std::format;
use std::prelude::v1::*;

/// What a classified host stands for, the IPv6 text read to its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen<'h> {
    Ip(IpAddr),
    Localhost,
    Name(&'h str),
}

fn seen(host: Result<Host<'_>, HostError>) -> Result<Seen<'_>, HostError> {
    host.map(|host| match host {
        Host::V4(ip) => Seen::Ip(IpAddr::V4(ip)),
        Host::V6(text) => Seen::Ip(IpAddr::V6(literal::parse_v6(text).unwrap())),
        Host::Localhost => Seen::Localhost,
        Host::Name(name) => Seen::Name(name),
    })
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> Seen<'static> {
    Seen::Ip(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
}

fn v6(s: &str) -> Seen<'static> {
    Seen::Ip(IpAddr::V6(s.parse().unwrap()))
}

#[test]
fn literals_and_names() {
    let long_label = "a".repeat(63);
    let ok_253 = [
        long_label.as_str(),
        &long_label,
        &long_label,
        &"b".repeat(61),
    ]
    .join(".");
    assert_eq!(ok_253.len(), 253);
    let table: &[(&str, Seen<'_>)] = &[
        ("10.0.0.1", v4(10, 0, 0, 1)),
        ("0.0.0.0", v4(0, 0, 0, 0)),
        ("255.255.255.255", v4(255, 255, 255, 255)),
        ("::1", v6("::1")),
        ("[::1]", v6("::1")),
        ("::", v6("::")),
        ("2001:db8::17", v6("2001:db8::17")),
        ("[2001:DB8::17]", v6("2001:db8::17")),
        ("::ffff:10.0.0.1", v6("::ffff:10.0.0.1")),
        ("localhost", Seen::Localhost),
        ("LocalHost", Seen::Localhost),
        ("localhost.", Seen::Localhost),
        ("example.com", Seen::Name("example.com")),
        ("example.com.", Seen::Name("example.com")),
        ("a", Seen::Name("a")),
        ("xn--bcher-kva.example", Seen::Name("xn--bcher-kva.example")),
        ("a-b.c-d.e", Seen::Name("a-b.c-d.e")),
        ("1.2.3.com", Seen::Name("1.2.3.com")),
        ("123abc", Seen::Name("123abc")),
        ("localhost.example", Seen::Name("localhost.example")),
        (long_label.as_str(), Seen::Name(long_label.as_str())),
        (ok_253.as_str(), Seen::Name(ok_253.as_str())),
    ];
    for (host, want) in table {
        assert_eq!(seen(classify(host)), Ok(*want), "{host:?}");
    }
}

#[test]
fn hostile_hosts() {
    let s300 = "a".repeat(300);
    let dotted_300 = ["abcdefghi"; 30].join(".");
    let label_64 = "a".repeat(64) + ".com";
    let table: &[(&str, HostError)] = &[
        ("", HostError::Empty),
        (&s300, HostError::TooLong { len: 300 }),
        (&dotted_300, HostError::TooLong { len: 299 }),
        (&label_64, HostError::LabelTooLong { at: 0 }),
        ("a..b", HostError::EmptyLabel { at: 2 }),
        (".a", HostError::EmptyLabel { at: 0 }),
        (".", HostError::EmptyLabel { at: 0 }),
        ("a.b..", HostError::EmptyLabel { at: 4 }),
        ("-a", HostError::HyphenAtEdge { at: 0 }),
        ("a-", HostError::HyphenAtEdge { at: 0 }),
        ("ok.-a.com", HostError::HyphenAtEdge { at: 3 }),
        ("b\u{fc}cher.de", HostError::BadByte { byte: 0xc3, at: 1 }),
        ("\u{7f}", HostError::BadByte { byte: 0x7f, at: 0 }),
        ("a\0b", HostError::BadByte { byte: 0, at: 1 }),
        (
            "host\r\nX-Evil: 1",
            HostError::BadByte { byte: b'\r', at: 4 },
        ),
        ("a\nb", HostError::BadByte { byte: b'\n', at: 1 }),
        ("a b", HostError::BadByte { byte: b' ', at: 1 }),
        ("a_b.com", HostError::BadByte { byte: b'_', at: 1 }),
        ("a/b", HostError::BadByte { byte: b'/', at: 1 }),
        ("user@host", HostError::BadByte { byte: b'@', at: 4 }),
        ("10.0.0.256", HostError::BadAddress),
        ("127.1", HostError::BadAddress),
        ("1.2.3", HostError::BadAddress),
        ("12345", HostError::BadAddress),
        ("example.123", HostError::BadAddress),
        ("10.0.0.1.", HostError::BadAddress),
        ("[::1", HostError::BadAddress),
        ("[10.0.0.1]", HostError::BadAddress),
        ("[]", HostError::BadAddress),
        ("::1]", HostError::BadAddress),
        (":::", HostError::BadAddress),
        ("[::1]:80", HostError::BadAddress),
        ("example.com:80", HostError::BadAddress),
        ("fe80::1%eth0", HostError::Zone),
        ("[fe80::1%25eth0]", HostError::Zone),
    ];
    for (host, want) in table {
        assert_eq!(seen(classify(host)), Err(*want), "{host:?}");
    }
}

#[test]
fn localhost_and_literals_follow_the_hint() {
    let plan = |host, hint| {
        let mut lookup = Lookup::new(host, 7, hint);
        lookup.start();
        assert_eq!(lookup.query(), None, "{host} needs no query");
        match lookup.finish::<()>(None) {
            Ok(addrs) => addrs,
            Err(ResolveError::NoAddress { .. }) => Addrs::new(),
            Err(e) => std::panic!("expected an answer without DNS for {host}: {e:?}"),
        }
    };
    let l4: SocketAddr = "127.0.0.1:7".parse().unwrap();
    let l6: SocketAddr = "[::1]:7".parse().unwrap();
    assert_eq!(plan("localhost", Hint::Ipv4First), [l4, l6]);
    assert_eq!(plan("localhost", Hint::Ipv6First), [l6, l4]);
    assert_eq!(plan("localhost", Hint::Ipv4Only), [l4]);
    assert_eq!(plan("localhost", Hint::Ipv6Only), [l6]);
    assert_eq!(plan("127.0.0.1", Hint::Ipv6First), [l4]);
    assert_eq!(plan("127.0.0.1", Hint::Ipv6Only), []);
    assert_eq!(plan("[::1]", Hint::Ipv4Only), []);
}

#[test]
fn hint_queries_in_order() {
    let queries = |hint| {
        let mut lookup = Lookup::new("example.com", 7, hint);
        lookup.start();
        let asked: Vec<AddrType> = core::iter::from_fn(|| lookup.query()).collect();
        assert_eq!(lookup.query(), None);
        asked
    };
    assert_eq!(queries(Hint::Ipv4First), [AddrType::IPv4, AddrType::IPv6]);
    assert_eq!(queries(Hint::Ipv6First), [AddrType::IPv6, AddrType::IPv4]);
    assert_eq!(queries(Hint::Ipv4Only), [AddrType::IPv4]);
    assert_eq!(queries(Hint::Ipv6Only), [AddrType::IPv6]);
    for i in 2..=u8::MAX {
        for hint in [
            Hint::Ipv4First,
            Hint::Ipv6First,
            Hint::Ipv4Only,
            Hint::Ipv6Only,
        ] {
            assert_eq!(hint.query(i), None);
        }
    }
}

#[test]
fn errors_read_as_words() {
    let e = HostError::BadByte { byte: b'\r', at: 4 };
    assert_eq!(
        e.to_string(),
        "byte 0x0d at 4 is not allowed in a host name (letters, digits, '-' and '.' only)"
    );
    let e: ResolveError<&str> = ResolveError::Host {
        host: HostName::new(""),
        error: HostError::Empty,
    };
    assert_eq!(e.to_string(), "bad host name \"\": the host is empty");
    let long = "a".repeat(60) + ".example";
    let e: ResolveError<&str> = ResolveError::Resolver {
        host: HostName::new(&long),
        error: "failed to lookup address information: Name or service not known",
    };
    assert_eq!(
        e.to_string(),
        "looking up aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa... failed: \
         failed to lookup address information: Name or service not known"
    );
    let e: ResolveError<&str> = ResolveError::Timeout {
        host: HostName::new("a\r\nb"),
        after_ms: 1500,
    };
    assert_eq!(
        e.to_string(),
        "looking up a\\x0d\\x0ab timed out after 1500 ms"
    );
    let e: ResolveError<&str> = ResolveError::NoAddress {
        host: HostName::new("example.com"),
    };
    assert_eq!(
        e.to_string(),
        "no address found for example.com in the requested family"
    );
}

proptest! {
    /// Whatever the string, classification answers (no panic), and every name it lets
    /// through obeys the rules a query relies on.
    #[test]
    fn any_string_is_classified(host in "\\PC{0,300}|[a-z0-9.\\-:\\[\\]%]{0,80}") {
        if let Ok(Seen::Name(name)) = seen(classify(&host)) {
            prop_assert!(!name.is_empty() && name.len() <= MAX_HOST_LEN);
            prop_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
            for label in name.split('.') {
                prop_assert!(!label.is_empty() && label.len() <= MAX_LABEL_LEN);
                prop_assert!(!label.starts_with('-') && !label.ends_with('-'));
            }
        }
    }

    /// Every IP address, written the usual ways, is read back as itself.
    #[test]
    fn every_address_round_trips(ip in any::<IpAddr>()) {
        let plain = ip.to_string();
        prop_assert_eq!(seen(classify(&plain)), Ok(Seen::Ip(ip)));
        if let IpAddr::V6(v6) = ip {
            let bracketed = format!("[{v6}]");
            prop_assert_eq!(seen(classify(&bracketed)), Ok(Seen::Ip(ip)));
        }
    }
}
