//! The literal parsers against `core::net`'s: the same answer for every input.

use super::*;

use proptest::prelude::*;
use std::format;
use std::prelude::v1::*;

fn same(s: &str) {
    assert_eq!(
        parse_v4(s.as_bytes()),
        s.parse::<Ipv4Addr>().ok(),
        "v4 {s:?}"
    );
    assert_eq!(
        parse_v6(s.as_bytes()),
        s.parse::<Ipv6Addr>().ok(),
        "v6 {s:?}"
    );
}

#[test]
fn rfc_4291_forms() {
    let valid = [
        "::",
        "::1",
        "1::",
        "1::1",
        "2001:db8::17",
        "2001:DB8:0:0:8:800:200C:417A",
        "2001:db8:0:0:8:800:200c:417a",
        "2001:db8::8:800:200c:417a",
        "ff01::101",
        "0:0:0:0:0:0:0:1",
        "0000:0000:0000:0000:0000:0000:0000:0001",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1::3:4:5:6:7:8",
        "1:2:3:4:5:6::8",
        "::ffff:1.2.3.4",
        "::FFFF:129.144.52.38",
        "::13.1.68.3",
        "0:0:0:0:0:0:13.1.68.3",
        "1:2:3:4:5:6:1.2.3.4",
        "1::5:6:1.2.3.4",
        "::0:1.2.3.4",
        "::255.255.255.255",
        "::0.0.0.0",
        "1::1.2.3.4",
        "1:2:3:4:5::1.2.3.4",
    ];
    for s in valid {
        assert!(parse_v6(s.as_bytes()).is_some(), "{s:?}");
        same(s);
    }
    let invalid = [
        "",
        ":",
        ":::",
        "1:::2",
        ":1::",
        "::1:",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8",
        "1::2::3",
        "12345::",
        "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4",
        "1.2.3.4::",
        "1.2.3.4::1",
        "::1.2.3",
        "::1.2.3.4.5",
        "::1.2.3.256",
        "::01.2.3.4",
        "::1.2.3.04",
        "::1.2.3.4:1",
        "fe80::1%eth0",
        "fe80::1%1",
        "[::1]",
        "::g",
        " ::1",
        "::1 ",
        "1:2:3:4:5:6:7:8:",
        ":1:2:3:4:5:6:7:8",
    ];
    for s in invalid {
        assert!(parse_v6(s.as_bytes()).is_none(), "{s:?}");
        same(s);
    }
}

#[test]
fn dotted_quads() {
    for s in [
        "0.0.0.0",
        "1.2.3.4",
        "255.255.255.255",
        "10.0.0.1",
        "192.168.001.1",
    ] {
        same(s);
    }
    for s in [
        "",
        "1",
        "1.2.3",
        "1.2.3.4.",
        ".1.2.3.4",
        "1..2.3",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3.00",
        "1.2.3.0x1",
        "1234.1.1.1",
        "0000.1.1.1",
        "1.2.3.4 ",
        "+1.2.3.4",
        "1.2.3.-4",
        "1.2.3.a",
    ] {
        assert!(parse_v4(s.as_bytes()).is_none(), "{s:?}");
        same(s);
    }
    assert_eq!(parse_v4(b"0.0.0.0"), Some(Ipv4Addr::UNSPECIFIED));
    assert_eq!(
        parse_v4(b"10.20.30.255"),
        Some(Ipv4Addr::new(10, 20, 30, 255))
    );
}

#[test]
fn every_address_in_every_spelling() {
    // Each address of a few shapes, printed by std (compressed) and in full (with and without
    // leading zeros, upper case).
    for ip in [
        Ipv6Addr::UNSPECIFIED,
        Ipv6Addr::LOCALHOST,
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
        Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304),
        Ipv6Addr::new(1, 0, 0, 0, 0, 0, 0, 0),
        Ipv6Addr::new(
            0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
        ),
    ] {
        let g = ip.segments();
        let full = g.map(|x| format!("{x:x}")).join(":");
        let padded = g.map(|x| format!("{x:04X}")).join(":");
        for s in [ip.to_string(), full, padded] {
            assert_eq!(parse_v6(s.as_bytes()), Some(ip), "{s:?}");
        }
    }
}

/// Strings made of the pieces a literal is made of, so that most are near-misses.
fn near_literal() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(":".to_string()),
        Just("::".to_string()),
        Just(".".to_string()),
        Just("%".to_string()),
        "[0-9]{1,4}",
        "[0-9a-fA-F]{1,5}",
        "0[0-9]{0,3}",
        "(25[0-9]|2[0-4][0-9]|1?[0-9]?[0-9])",
        "[g-z \\[\\]]",
    ];
    proptest::collection::vec(piece, 0..20).prop_map(|v| v.concat())
}

/// Dotted quads with octets of every shape (leading zeros, too many digits, over 255).
fn dotted() -> impl Strategy<Value = String> {
    let octet = "(0|[1-9][0-9]{0,2}|0[0-9]{1,3}|[0-9]{4}|25[0-9]|2[0-9]{2})";
    proptest::collection::vec(octet, 3..6).prop_map(|v| v.join("."))
}

/// IPv6-shaped text: groups of one to five hex digits or a dotted tail, joined by `:` or
/// `::` in any place and number.
fn colons() -> impl Strategy<Value = String> {
    let group = prop_oneof![
        4 => "[0-9a-fA-F]{1,4}",
        1 => "[0-9a-fA-F]{5}",
        1 => dotted(),
    ];
    let sep = prop_oneof![6 => Just(":"), 1 => Just("::"), 1 => Just(":::")];
    (
        any::<bool>(),
        proptest::collection::vec((group, sep), 0..10),
        any::<bool>(),
    )
        .prop_map(|(lead, parts, trail)| {
            let mut text = String::from(if lead { "::" } else { "" });
            let n = parts.len();
            for (i, (group, sep)) in parts.into_iter().enumerate() {
                text.push_str(&group);
                if i + 1 < n || trail {
                    text.push_str(sep);
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn agrees_with_core_net_on_dotted_quads(s in dotted()) {
        same(&s);
    }

    #[test]
    fn agrees_with_core_net_on_colons(s in colons()) {
        same(&s);
    }

    #[test]
    fn agrees_with_core_net_on_near_literals(s in near_literal()) {
        same(&s);
    }

    #[test]
    fn agrees_with_core_net_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
        let v4 = core::str::from_utf8(&bytes).ok().and_then(|s| s.parse::<Ipv4Addr>().ok());
        let v6 = core::str::from_utf8(&bytes).ok().and_then(|s| s.parse::<Ipv6Addr>().ok());
        prop_assert_eq!(parse_v4(&bytes), v4);
        prop_assert_eq!(parse_v6(&bytes), v6);
    }

    #[test]
    fn reads_every_address(segments in any::<[u16; 8]>(), zeros in 0usize..8, at in 0usize..8,
                           v4 in any::<bool>(), upper in any::<bool>()) {
        // Runs of zero groups (so `::` appears in std's form), an IPv4 tail sometimes.
        let mut g = segments;
        for slot in g.iter_mut().skip(at).take(zeros) {
            *slot = 0;
        }
        let ip = Ipv6Addr::from(g);
        let mut text = ip.to_string();
        if v4 {
            let [a, b, c, d, e, f, ..] = g;
            let [w, x, y, z] = ip.octets()[12..] else { unreachable!() };
            text = format!("{a:x}:{b:x}:{c:x}:{d:x}:{e:x}:{f:x}:{w}.{x}.{y}.{z}");
        }
        if upper {
            text = text.to_uppercase();
        }
        prop_assert_eq!(parse_v6(text.as_bytes()), Some(ip));
        same(&text);
    }
}
