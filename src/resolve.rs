//! `getaddrinfo`: a host name and a port to a short list of socket addresses.
//!
//! The rules live once, in a sans-io core (`Lookup`, crate-private): IP literals and
//! `localhost` answer without DNS, names are validated before any query, the hint decides
//! which families are asked and in which order, and the answers are merged so that one
//! family's failure does not lose the other's address. [`getaddrinfo`] (blocking, over
//! [`embedded_nal::Dns`], bounded by a [`Wait`]) and [`getaddrinfo_async`] (over
//! [`embedded_nal_async::Dns`], cancel-safe) only carry the queries to the resolver.
//!
//! # Capacity
//!
//! embedded-nal's `Dns::get_host_by_name` answers one address per query, and towel asks at most
//! one query per family, so a result never holds more than two addresses: [`Addrs`] has room
//! for exactly [`MAX_ADDRS`] = 2 and nothing is ever dropped for lack of room.

use core::convert::Infallible;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use embedded_nal::AddrType;

use crate::Error;
use crate::io::{Clock, Idle, Stop, Wait};

/// The most addresses a lookup returns: one per family (see the module docs).
pub const MAX_ADDRS: usize = 2;

/// The addresses a lookup found, best first (in the [`Hint`]'s order of preference).
pub type Addrs = heapless::Vec<SocketAddr, MAX_ADDRS>;

/// The longest host name accepted, in bytes, without a trailing dot (RFC 1035 section 2.3.4,
/// as a dotted string).
pub const MAX_HOST_LEN: usize = 253;

/// The longest label (the part between dots), in bytes (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// Which address families to look up, and which comes first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Hint {
    /// IPv4 addresses only.
    Ipv4Only,
    /// IPv6 addresses only.
    Ipv6Only,
    /// Either family, IPv4 first. The default: most small networks route IPv4.
    #[default]
    Ipv4First,
    /// Either family, IPv6 first.
    Ipv6First,
}

impl Hint {
    /// The queries to ask, in order.
    fn queries(self) -> &'static [AddrType] {
        match self {
            Hint::Ipv4Only => &[AddrType::IPv4],
            Hint::Ipv6Only => &[AddrType::IPv6],
            Hint::Ipv4First => &[AddrType::IPv4, AddrType::IPv6],
            Hint::Ipv6First => &[AddrType::IPv6, AddrType::IPv4],
        }
    }

    /// Whether an address of this family may be returned.
    fn allows(self, ip: &IpAddr) -> bool {
        match self {
            Hint::Ipv4Only => ip.is_ipv4(),
            Hint::Ipv6Only => ip.is_ipv6(),
            Hint::Ipv4First | Hint::Ipv6First => true,
        }
    }

    /// Whether this family goes first.
    fn prefers(self, ip: &IpAddr) -> bool {
        match self {
            Hint::Ipv4Only | Hint::Ipv4First => ip.is_ipv4(),
            Hint::Ipv6Only | Hint::Ipv6First => ip.is_ipv6(),
        }
    }
}

/// Why a host string was refused before any query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum HostError {
    /// The host is empty.
    Empty,
    /// The name is longer than [`MAX_HOST_LEN`] bytes.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// A label is empty (`a..b`, `.a`, or a lone `.`).
    EmptyLabel {
        /// Byte offset of the empty label.
        at: usize,
    },
    /// A label is longer than [`MAX_LABEL_LEN`] bytes.
    LabelTooLong {
        /// Byte offset of the label.
        at: usize,
    },
    /// A byte other than a letter, digit, `-` or `.` (including every byte over 0x7F: use
    /// the punycode `xn--` form for international names).
    BadByte {
        /// The byte.
        byte: u8,
        /// Its offset.
        at: usize,
    },
    /// A label starts or ends with `-`.
    HyphenAtEdge {
        /// Byte offset of the label.
        at: usize,
    },
    /// It looks like an IP address (colons, brackets, or an all-digit last label such as
    /// `127.1`) but is not a valid one.
    BadAddress,
    /// An IPv6 literal with a zone (`fe80::1%eth0`): zones are not supported.
    Zone,
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::Empty => f.write_str("the host is empty"),
            HostError::TooLong { len } => write!(
                f,
                "the host name is {len} bytes long, more than the {MAX_HOST_LEN} allowed"
            ),
            HostError::EmptyLabel { at } => write!(f, "empty label at byte {at}"),
            HostError::LabelTooLong { at } => write!(
                f,
                "the label at byte {at} is longer than {MAX_LABEL_LEN} bytes"
            ),
            HostError::BadByte { byte, at } => write!(
                f,
                "byte 0x{byte:02x} at {at} is not allowed in a host name (letters, digits, '-' and '.' only)"
            ),
            HostError::HyphenAtEdge { at } => {
                write!(f, "the label at byte {at} starts or ends with '-'")
            }
            HostError::BadAddress => f.write_str("looks like an IP address but is not a valid one"),
            HostError::Zone => f.write_str("IPv6 zones ('%...') are not supported"),
        }
    }
}

impl core::error::Error for HostError {}

/// What a host string is, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host<'h> {
    Ip(IpAddr),
    Localhost,
    Name(&'h str),
}

/// Classifies and validates `host`: an IP literal (`10.0.0.1`, `::1`, `[::1]`), `localhost`,
/// or a host name that passes the length, label and character rules.
fn classify(host: &str) -> Result<Host<'_>, HostError> {
    if host.is_empty() {
        return Err(HostError::Empty);
    }
    // Bytes no host form may hold (controls, space, anything over 0x7F, ...) are named first,
    // whatever else the string looks like.
    let allowed =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'[' | b']' | b'%');
    if let Some((at, byte)) = host.bytes().enumerate().find(|&(_, b)| !allowed(b)) {
        return Err(HostError::BadByte { byte, at });
    }
    if let Some(rest) = host.strip_prefix('[') {
        let inner = rest.strip_suffix(']').ok_or(HostError::BadAddress)?;
        return parse_v6(inner).map(|ip| Host::Ip(IpAddr::V6(ip)));
    }
    if host.contains(':') {
        return parse_v6(host).map(|ip| Host::Ip(IpAddr::V6(ip)));
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok(Host::Ip(IpAddr::V4(ip)));
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.len() > MAX_HOST_LEN {
        return Err(HostError::TooLong { len: name.len() });
    }
    let mut at = 0usize;
    let mut last_label = "";
    for label in name.split('.') {
        check_label(label, at)?;
        last_label = label;
        // `at` never exceeds `name.len()` <= 253, but stay checked anyway.
        at = at.saturating_add(label.len()).saturating_add(1);
    }
    // An all-digit last label is an address a C resolver would read (`127.1`, `1.2.3.256`),
    // never a real top-level domain: refuse it rather than let the stack guess.
    if last_label.bytes().all(|b| b.is_ascii_digit()) {
        return Err(HostError::BadAddress);
    }
    if name.eq_ignore_ascii_case("localhost") {
        return Ok(Host::Localhost);
    }
    Ok(Host::Name(name))
}

fn parse_v6(s: &str) -> Result<Ipv6Addr, HostError> {
    if s.contains('%') {
        return Err(HostError::Zone);
    }
    s.parse::<Ipv6Addr>().map_err(|_| HostError::BadAddress)
}

fn check_label(label: &str, at: usize) -> Result<(), HostError> {
    if label.is_empty() {
        return Err(HostError::EmptyLabel { at });
    }
    if label.len() > MAX_LABEL_LEN {
        return Err(HostError::LabelTooLong { at });
    }
    for (i, byte) in label.bytes().enumerate() {
        if !(byte.is_ascii_alphanumeric() || byte == b'-') {
            return Err(HostError::BadByte {
                byte,
                at: at.saturating_add(i),
            });
        }
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err(HostError::HyphenAtEdge { at });
    }
    Ok(())
}

/// The first step of a lookup: either the answer, or the queries to make.
pub(crate) enum Plan<'h, E> {
    /// Answered without DNS (a literal or `localhost`).
    Done(Addrs),
    /// Ask the resolver.
    Ask(Lookup<'h, E>),
}

/// The sans-io core of `getaddrinfo`: which queries to ask, and how their answers merge.
pub(crate) struct Lookup<'h, E> {
    name: &'h str,
    port: u16,
    hint: Hint,
    addrs: Addrs,
    last_failure: Option<Stop<E>>,
}

impl<'h, E> Lookup<'h, E> {
    /// Checks `host` and decides: an answer now, or queries.
    pub(crate) fn start(host: &'h str, port: u16, hint: Hint) -> Result<Plan<'h, E>, HostError> {
        let mut addrs = Addrs::new();
        let mut add = |ip: IpAddr| {
            if hint.allows(&ip) {
                // Capacity is MAX_ADDRS and at most two addresses are ever pushed.
                let _ = addrs.push(SocketAddr::new(ip, port));
            }
        };
        match classify(host)? {
            Host::Ip(ip) => add(ip),
            Host::Localhost => {
                for query in hint.queries() {
                    add(match query {
                        AddrType::IPv6 => IpAddr::V6(Ipv6Addr::LOCALHOST),
                        _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
                    });
                }
            }
            Host::Name(name) => {
                return Ok(Plan::Ask(Lookup {
                    name,
                    port,
                    hint,
                    addrs,
                    last_failure: None,
                }));
            }
        }
        Ok(Plan::Done(addrs))
    }

    /// The validated name to ask for (without a trailing dot).
    pub(crate) fn name(&self) -> &'h str {
        self.name
    }

    /// The queries to ask, in order of preference.
    pub(crate) fn queries(&self) -> &'static [AddrType] {
        self.hint.queries()
    }

    /// Takes one query's outcome.
    pub(crate) fn answer(&mut self, outcome: Result<IpAddr, Stop<E>>) {
        match outcome {
            Ok(ip) => {
                let addr = SocketAddr::new(ip, self.port);
                if !self.hint.allows(&ip) {
                    debug!("towel: resolver answered the wrong family; dropped");
                } else if !self.addrs.contains(&addr) {
                    // At most one address per query and at most two queries: always fits.
                    let _ = self.addrs.push(addr);
                }
            }
            Err(failure) => self.last_failure = Some(failure),
        }
    }

    /// Every address any query found, preferred family first; or, if none, why.
    pub(crate) fn finish(self) -> Result<Addrs, Error<Infallible, E>> {
        if self.addrs.is_empty() {
            return Err(match self.last_failure {
                Some(Stop::Timeout) => Error::Timeout,
                Some(Stop::Failed(e)) => Error::Dns(e),
                None => Error::NoAddress,
            });
        }
        let hint = self.hint;
        let mut sorted = Addrs::new();
        let preferred = self.addrs.iter().filter(|a| hint.prefers(&a.ip()));
        let others = self.addrs.iter().filter(|a| !hint.prefers(&a.ip()));
        for addr in preferred.chain(others) {
            let _ = sorted.push(*addr);
        }
        Ok(sorted)
    }
}

fn plan_error<E>(e: HostError) -> Error<Infallible, E> {
    Error::Host(e)
}

fn done_or_empty<E>(addrs: Addrs) -> Result<Addrs, Error<Infallible, E>> {
    if addrs.is_empty() {
        Err(Error::NoAddress)
    } else {
        Ok(addrs)
    }
}

/// Resolves `host` to socket addresses with `port`, like C's `getaddrinfo`, on a blocking
/// [`embedded_nal::Dns`].
///
/// - IP literals (`10.0.0.1`, `::1`, `[::1]`, no zones) and `localhost` answer at once,
///   without DNS.
/// - Other names are validated first; a bad one is [`Error::Host`], never a query.
/// - With [`Hint::Ipv4First`] / [`Hint::Ipv6First`] both families are asked, in that order;
///   every address found comes back, and one family failing does not lose the other.
/// - The whole call shares one deadline, `wait.timeout_ms` from its start; the idle hook gets
///   `&mut dns` while a query says `WouldBlock`.
///
/// Errors: [`Error::Host`], [`Error::NoAddress`] (nothing in the requested family),
/// [`Error::Dns`] (the resolver's own error, the last one if both families failed),
/// [`Error::Timeout`]. There is no TCP stack here, hence `Infallible`; use
/// [`Error::with_io`] to combine with a TCP error type.
///
/// ```
/// use towel::{Hint, getaddrinfo, io::Wait, std_stack::Blocking};
/// use std::time::Duration;
///
/// let mut stack = Blocking;
/// let mut wait = Wait::std(Duration::from_secs(5));
/// let addrs = getaddrinfo(&mut stack, "localhost", 80, Hint::Ipv4First, &mut wait)?;
/// assert_eq!(addrs[0], "127.0.0.1:80".parse().unwrap());
/// assert_eq!(addrs[1], "[::1]:80".parse().unwrap());
///
/// let bad = getaddrinfo(&mut stack, "a..b", 80, Hint::Ipv4First, &mut wait);
/// assert!(matches!(bad, Err(towel::Error::Host(_))));
/// # Ok::<(), towel::Error<core::convert::Infallible, std::io::Error>>(())
/// ```
pub fn getaddrinfo<D, C, I>(
    dns: &mut D,
    host: &str,
    port: u16,
    hint: Hint,
    wait: &mut Wait<C, I>,
) -> Result<Addrs, Error<Infallible, D::Error>>
where
    D: embedded_nal::Dns + ?Sized,
    C: Clock,
    I: Idle<D>,
{
    let mut lookup = match Lookup::start(host, port, hint).map_err(plan_error)? {
        Plan::Done(addrs) => return done_or_empty(addrs),
        Plan::Ask(lookup) => lookup,
    };
    let deadline = wait.deadline();
    let name = lookup.name();
    for query in lookup.queries() {
        let outcome = wait.run(dns, Some(deadline), |dns| {
            dns.get_host_by_name(name, query.clone())
        });
        lookup.answer(outcome);
    }
    lookup.finish()
}

/// The async twin of [`getaddrinfo`], over [`embedded_nal_async::Dns`]: the same rules, the
/// same results for the same answers.
///
/// It has no deadline of its own and is cancel-safe (dropping it loses nothing but the
/// lookup), so wrap it in your runtime's timeout.
///
/// ```
/// use towel::{Hint, getaddrinfo_async, std_stack::Async};
///
/// futures_lite::future::block_on(async {
///     let stack = Async::default();
///     let addrs = getaddrinfo_async(&stack, "::1", 8080, Hint::Ipv6Only).await?;
///     assert_eq!(addrs.as_slice(), &["[::1]:8080".parse().unwrap()]);
///     Ok::<(), towel::Error<core::convert::Infallible, std::io::Error>>(())
/// })?;
/// # Ok::<(), towel::Error<core::convert::Infallible, std::io::Error>>(())
/// ```
pub async fn getaddrinfo_async<D>(
    dns: &D,
    host: &str,
    port: u16,
    hint: Hint,
) -> Result<Addrs, Error<Infallible, D::Error>>
where
    D: embedded_nal_async::Dns + ?Sized,
{
    let mut lookup = match Lookup::start(host, port, hint).map_err(plan_error)? {
        Plan::Done(addrs) => return done_or_empty(addrs),
        Plan::Ask(lookup) => lookup,
    };
    let name = lookup.name();
    for query in lookup.queries() {
        let outcome = dns
            .get_host_by_name(name, query.clone())
            .await
            .map_err(Stop::Failed);
        lookup.answer(outcome);
    }
    lookup.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::format;
    use std::prelude::v1::*;

    fn v4(a: u8, b: u8, c: u8, d: u8) -> Host<'static> {
        Host::Ip(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
    }

    fn v6(s: &str) -> Host<'static> {
        Host::Ip(IpAddr::V6(s.parse().unwrap()))
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
        let table: &[(&str, Host<'_>)] = &[
            ("10.0.0.1", v4(10, 0, 0, 1)),
            ("0.0.0.0", v4(0, 0, 0, 0)),
            ("255.255.255.255", v4(255, 255, 255, 255)),
            ("::1", v6("::1")),
            ("[::1]", v6("::1")),
            ("::", v6("::")),
            ("2001:db8::17", v6("2001:db8::17")),
            ("[2001:DB8::17]", v6("2001:db8::17")),
            ("::ffff:10.0.0.1", v6("::ffff:10.0.0.1")),
            ("localhost", Host::Localhost),
            ("LocalHost", Host::Localhost),
            ("localhost.", Host::Localhost),
            ("example.com", Host::Name("example.com")),
            ("example.com.", Host::Name("example.com")),
            ("a", Host::Name("a")),
            ("xn--bcher-kva.example", Host::Name("xn--bcher-kva.example")),
            ("a-b.c-d.e", Host::Name("a-b.c-d.e")),
            ("1.2.3.com", Host::Name("1.2.3.com")),
            ("123abc", Host::Name("123abc")),
            ("localhost.example", Host::Name("localhost.example")),
            (long_label.as_str(), Host::Name(long_label.as_str())),
            (ok_253.as_str(), Host::Name(ok_253.as_str())),
        ];
        for (host, want) in table {
            assert_eq!(classify(host), Ok(*want), "{host:?}");
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
            assert_eq!(classify(host), Err(*want), "{host:?}");
        }
    }

    #[test]
    fn localhost_and_literals_follow_the_hint() {
        let plan = |host, hint| match Lookup::<()>::start(host, 7, hint) {
            Ok(Plan::Done(addrs)) => addrs,
            _ => std::panic!("expected an answer without DNS for {host}"),
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
        assert_eq!(Hint::Ipv4First.queries(), &[AddrType::IPv4, AddrType::IPv6]);
        assert_eq!(Hint::Ipv6First.queries(), &[AddrType::IPv6, AddrType::IPv4]);
        assert_eq!(Hint::Ipv4Only.queries(), &[AddrType::IPv4]);
        assert_eq!(Hint::Ipv6Only.queries(), &[AddrType::IPv6]);
    }

    #[test]
    fn errors_read_as_words() {
        let e = HostError::BadByte { byte: b'\r', at: 4 };
        assert_eq!(
            e.to_string(),
            "byte 0x0d at 4 is not allowed in a host name (letters, digits, '-' and '.' only)"
        );
        let e: Error<(), ()> = Error::Host(HostError::Empty);
        assert_eq!(e.to_string(), "bad host name: the host is empty");
    }

    proptest! {
        /// Whatever the string, classification answers (no panic), and every name it lets
        /// through obeys the rules a query relies on.
        #[test]
        fn any_string_is_classified(host in "\\PC{0,300}|[a-z0-9.\\-:\\[\\]%]{0,80}") {
            if let Ok(Host::Name(name)) = classify(&host) {
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
            prop_assert_eq!(classify(&plain), Ok(Host::Ip(ip)));
            if let IpAddr::V6(v6) = ip {
                let bracketed = format!("[{v6}]");
                prop_assert_eq!(classify(&bracketed), Ok(Host::Ip(ip)));
            }
        }
    }
}
