//! A scripted resolver run through `getaddrinfo` and `getaddrinfo_async`: for every script
//! both return the same result, and that result is the one written here.

use std::net::{IpAddr, SocketAddr};

use embedded_nal::AddrType;
use towel::io::{Spin, Wait};
use towel::resolve::HostName;
use towel::{Hint, HostError, ResolveError, getaddrinfo, getaddrinfo_async};
use towel_testkit::clock::TickClock;
use towel_testkit::dns::{AsyncDns, BlockingDns, DnsFail, DnsScript, DnsStep};

type Outcome = Result<Vec<SocketAddr>, ResolveError<DnsFail>>;

/// The resolver's error `code` for example.com.
fn dns_fail(code: u8) -> Outcome {
    Err(ResolveError::Resolver {
        host: HostName::new("example.com"),
        error: DnsFail(code),
    })
}

fn no_address(host: &str) -> Outcome {
    Err(ResolveError::NoAddress {
        host: HostName::new(host),
    })
}

fn bad_host(host: &str, error: HostError) -> Outcome {
    Err(ResolveError::Host {
        host: HostName::new(host),
        error,
    })
}

const V4: &str = "192.0.2.7";
const V6: &str = "2001:db8::7";

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn answer(s: &str) -> Option<DnsStep> {
    Some(DnsStep::Answer {
        pending: 0,
        ip: ip(s),
    })
}

fn slow(pending: u32, s: &str) -> Option<DnsStep> {
    Some(DnsStep::Answer { pending, ip: ip(s) })
}

fn fail(code: u8) -> Option<DnsStep> {
    Some(DnsStep::Fail { pending: 0, code })
}

/// Runs one script both ways; checks they agree; returns the result and the queries asked.
fn run(host: &str, hint: Hint, script: DnsScript) -> (Outcome, Vec<(String, AddrType)>) {
    let mut dns = BlockingDns::new(script);
    let mut wait = Wait::new(TickClock::new(1), Spin, 10_000);
    let blocking = getaddrinfo(&mut dns, host, 80, hint, &mut wait).map(|a| a.to_vec());

    let adns = AsyncDns::new(script);
    let asynced = futures_lite::future::block_on(getaddrinfo_async(&adns, host, 80, hint))
        .map(|a| a.to_vec());

    assert_eq!(
        blocking, asynced,
        "blocking and async differ for {host} {hint:?} {script:?}"
    );
    assert_eq!(dns.0.asked, adns.0.borrow().asked, "queries differ");
    (blocking, dns.0.asked)
}

#[test]
fn both_families_answer_in_hint_order() {
    let script = DnsScript {
        v4: answer(V4),
        v6: answer(V6),
    };
    let (got, asked) = run("example.com", Hint::Ipv4First, script);
    assert_eq!(got, Ok(vec![sa("192.0.2.7:80"), sa("[2001:db8::7]:80")]));
    assert_eq!(
        asked,
        [
            ("example.com".into(), AddrType::IPv4),
            ("example.com".into(), AddrType::IPv6)
        ]
    );

    let (got, asked) = run("example.com.", Hint::Ipv6First, script);
    assert_eq!(got, Ok(vec![sa("[2001:db8::7]:80"), sa("192.0.2.7:80")]));
    assert_eq!(
        asked,
        [
            ("example.com".into(), AddrType::IPv6),
            ("example.com".into(), AddrType::IPv4)
        ]
    );
}

#[test]
fn one_family_failing_keeps_the_other() {
    let (got, _) = run(
        "example.com",
        Hint::Ipv4First,
        DnsScript {
            v4: answer(V4),
            v6: fail(6),
        },
    );
    assert_eq!(got, Ok(vec![sa("192.0.2.7:80")]));
    let (got, _) = run(
        "example.com",
        Hint::Ipv4First,
        DnsScript {
            v4: fail(4),
            v6: answer(V6),
        },
    );
    assert_eq!(got, Ok(vec![sa("[2001:db8::7]:80")]));
    let (got, _) = run(
        "example.com",
        Hint::Ipv6First,
        DnsScript {
            v4: answer(V4),
            v6: fail(6),
        },
    );
    assert_eq!(got, Ok(vec![sa("192.0.2.7:80")]));
}

#[test]
fn both_failing_reports_the_last_error() {
    let script = DnsScript {
        v4: fail(4),
        v6: fail(6),
    };
    assert_eq!(run("example.com", Hint::Ipv4First, script).0, dns_fail(6));
    assert_eq!(run("example.com", Hint::Ipv6First, script).0, dns_fail(4));
}

#[test]
fn only_hints_ask_one_family() {
    let (got, asked) = run(
        "example.com",
        Hint::Ipv4Only,
        DnsScript {
            v4: answer(V4),
            v6: None,
        },
    );
    assert_eq!(got, Ok(vec![sa("192.0.2.7:80")]));
    assert_eq!(asked.len(), 1);
    let (got, _) = run(
        "example.com",
        Hint::Ipv6Only,
        DnsScript {
            v4: None,
            v6: fail(9),
        },
    );
    assert_eq!(got, dns_fail(9));
}

#[test]
fn would_block_then_answer() {
    let script = DnsScript {
        v4: slow(3, V4),
        v6: slow(5, V6),
    };
    let (got, asked) = run("example.com", Hint::Ipv4First, script);
    assert_eq!(got, Ok(vec![sa("192.0.2.7:80"), sa("[2001:db8::7]:80")]));
    assert_eq!(asked.len(), 2, "a pending query is one query, not many");
    let script = DnsScript {
        v4: Some(DnsStep::Fail {
            pending: 2,
            code: 1,
        }),
        v6: slow(2, V6),
    };
    assert_eq!(
        run("example.com", Hint::Ipv4First, script).0,
        Ok(vec![sa("[2001:db8::7]:80")])
    );
}

#[test]
fn wrong_family_answers_are_dropped_and_duplicates_merged() {
    // Asked for IPv4 only, the resolver answers IPv6: nothing usable.
    let (got, _) = run(
        "example.com",
        Hint::Ipv4Only,
        DnsScript {
            v4: answer(V6),
            v6: None,
        },
    );
    assert_eq!(got, no_address("example.com"));
    // A resolver that ignores the family and answers the same address twice.
    let (got, _) = run(
        "example.com",
        Hint::Ipv4First,
        DnsScript {
            v4: answer(V4),
            v6: answer(V4),
        },
    );
    assert_eq!(got, Ok(vec![sa("192.0.2.7:80")]));
    // Answers in the wrong order still come back in the hint's order.
    let (got, _) = run(
        "example.com",
        Hint::Ipv4First,
        DnsScript {
            v4: answer(V6),
            v6: answer(V4),
        },
    );
    assert_eq!(got, Ok(vec![sa("192.0.2.7:80"), sa("[2001:db8::7]:80")]));
}

#[test]
fn literals_localhost_and_bad_names_never_ask() {
    let none = DnsScript { v4: None, v6: None };
    let cases: &[(&str, Hint, Outcome)] = &[
        ("10.0.0.1", Hint::Ipv4First, Ok(vec![sa("10.0.0.1:80")])),
        ("[::1]", Hint::Ipv4First, Ok(vec![sa("[::1]:80")])),
        ("::1", Hint::Ipv6Only, Ok(vec![sa("[::1]:80")])),
        ("10.0.0.1", Hint::Ipv6Only, no_address("10.0.0.1")),
        (
            "localhost",
            Hint::Ipv6First,
            Ok(vec![sa("[::1]:80"), sa("127.0.0.1:80")]),
        ),
        ("LOCALHOST.", Hint::Ipv4Only, Ok(vec![sa("127.0.0.1:80")])),
        ("", Hint::Ipv4First, bad_host("", HostError::Empty)),
        (
            "a..b",
            Hint::Ipv4First,
            bad_host("a..b", HostError::EmptyLabel { at: 2 }),
        ),
        (
            "-a",
            Hint::Ipv4First,
            bad_host("-a", HostError::HyphenAtEdge { at: 0 }),
        ),
        (
            "a\nb",
            Hint::Ipv4First,
            bad_host("a\nb", HostError::BadByte { byte: b'\n', at: 1 }),
        ),
        (
            "fe80::1%eth0",
            Hint::Ipv4First,
            bad_host("fe80::1%eth0", HostError::Zone),
        ),
        (
            "127.1",
            Hint::Ipv4First,
            bad_host("127.1", HostError::BadAddress),
        ),
    ];
    for (host, hint, want) in cases {
        let (got, asked) = run(host, *hint, none);
        assert_eq!(&got, want, "{host:?}");
        assert!(asked.is_empty(), "{host:?} asked the resolver");
    }
}

#[test]
fn a_never_answering_resolver_times_out_within_the_bound() {
    // Blocking only: async has no deadline of its own (the caller's runtime times it out).
    let never = DnsScript {
        v4: Some(DnsStep::Never),
        v6: Some(DnsStep::Never),
    };
    let mut dns = BlockingDns::new(never);
    let mut wait = Wait::new(TickClock::new(7), Spin, 1_000);
    let got = getaddrinfo(&mut dns, "example.com", 80, Hint::Ipv4First, &mut wait);
    assert!(
        matches!(&got, Err(ResolveError::Timeout { host, after_ms }) if host.as_bytes() == b"example.com" && (1_000..1_014).contains(after_ms)),
        "{got:?}"
    );
    // One deadline for the whole call: it was set at the first reading (7 + 1000); the clock
    // stops within one tick past it, and the second family is still asked once.
    assert!(
        wait.clock.now >= 1_007 && wait.clock.now < 1_007 + 2 * 7,
        "{}",
        wait.clock.now
    );
    assert_eq!(dns.0.asked.len(), 2);
}

#[test]
fn a_family_that_never_answers_does_not_lose_the_other() {
    let script = DnsScript {
        v4: Some(DnsStep::Never),
        v6: answer(V6),
    };
    let mut dns = BlockingDns::new(script);
    let mut wait = Wait::new(TickClock::new(10), Spin, 500);
    let got = getaddrinfo(&mut dns, "example.com", 80, Hint::Ipv4First, &mut wait);
    assert_eq!(got.map(|a| a.to_vec()), Ok(vec![sa("[2001:db8::7]:80")]));

    let script = DnsScript {
        v4: answer(V4),
        v6: Some(DnsStep::Never),
    };
    let mut dns = BlockingDns::new(script);
    let got = getaddrinfo(&mut dns, "example.com", 80, Hint::Ipv4First, &mut wait);
    assert_eq!(got.map(|a| a.to_vec()), Ok(vec![sa("192.0.2.7:80")]));
}

#[test]
fn the_idle_hook_gets_the_resolver() {
    // A smoltcp user polls the stack in the hook: the hook must receive it, once per WouldBlock.
    let mut dns = BlockingDns::new(DnsScript {
        v4: slow(4, V4),
        v6: None,
    });
    let mut polls = 0u32;
    let mut wait = Wait::new(
        TickClock::new(1),
        |d: &mut BlockingDns| {
            polls += 1;
            assert_eq!(d.0.asked.len(), 1);
        },
        1_000,
    );
    let got = getaddrinfo(&mut dns, "example.com", 80, Hint::Ipv4Only, &mut wait);
    assert_eq!(got.map(|a| a.to_vec()), Ok(vec![sa("192.0.2.7:80")]));
    assert_eq!(polls, 4);
}

mod random_scripts {
    use super::*;
    use proptest::prelude::*;

    fn step() -> impl Strategy<Value = Option<DnsStep>> {
        prop_oneof![
            (
                0u32..4,
                prop_oneof![Just(V4), Just(V6), Just("192.0.2.8"), Just("2001:db8::8")]
            )
                .prop_map(|(pending, s)| Some(DnsStep::Answer { pending, ip: ip(s) })),
            (0u32..4, any::<u8>())
                .prop_map(|(pending, code)| Some(DnsStep::Fail { pending, code })),
        ]
    }

    fn hint() -> impl Strategy<Value = Hint> {
        prop_oneof![
            Just(Hint::Ipv4Only),
            Just(Hint::Ipv6Only),
            Just(Hint::Ipv4First),
            Just(Hint::Ipv6First)
        ]
    }

    proptest! {
        /// For any answers: blocking and async agree (checked in `run`), and the result keeps
        /// the contract: only allowed families, preferred first, no duplicates, and an error
        /// only when no query gave a usable address.
        #[test]
        fn blocking_and_async_agree(v4 in step(), v6 in step(), hint in hint()) {
            let (got, asked) = run("example.com", hint, DnsScript { v4, v6 });
            prop_assert_eq!(asked.len(), if matches!(hint, Hint::Ipv4Only | Hint::Ipv6Only) { 1 } else { 2 });
            match got {
                Ok(addrs) => {
                    prop_assert!(!addrs.is_empty() && addrs.len() <= 2);
                    for a in &addrs {
                        let allowed = match hint {
                            Hint::Ipv4Only => a.is_ipv4(),
                            Hint::Ipv6Only => a.is_ipv6(),
                            _ => true,
                        };
                        prop_assert!(allowed, "{} not allowed by {:?}", a, hint);
                    }
                    if let [a, b] = addrs.as_slice() {
                        prop_assert_ne!(a, b);
                        let v4_first = matches!(hint, Hint::Ipv4First);
                        prop_assert!(!(a.is_ipv4() != v4_first && b.is_ipv4() == v4_first));
                    }
                }
                Err(ResolveError::Resolver { .. }) | Err(ResolveError::NoAddress { .. }) => {}
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }
    }
}
