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

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use embedded_nal::AddrType;

use crate::io::{Clock, Idle, Stop, Wait};

#[cfg(feature = "embassy-net")]
mod embassy;
mod error;
mod host;
pub(crate) mod literal;

#[cfg(feature = "embassy-net")]
pub use embassy::{EmbassyDns, EmbassyDnsError};
pub use error::{HOST_NAME_CAP, HostName, ResolveError};
use host::{Host, classify};
pub use host::{HostError, MAX_HOST_LEN, MAX_LABEL_LEN};

/// The most addresses a lookup returns: one per family (see the module docs).
pub const MAX_ADDRS: usize = 2;

/// The addresses a lookup found, best first (in the [`Hint`]'s order of preference).
pub type Addrs = heapless::Vec<SocketAddr, MAX_ADDRS>;

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
    /// The `i`th query to ask (0 first), in order of preference; `None` past the last.
    fn query(self, i: u8) -> Option<AddrType> {
        let both = self.both();
        let v6_first = self.v6_first();
        match i {
            0 => {}
            1 if both => {}
            _ => return None,
        }
        // The second query asks the other family.
        Some(if v6_first == (i == 0) {
            AddrType::IPv6
        } else {
            AddrType::IPv4
        })
    }

    /// Whether an address of this family may be returned.
    fn allows(self, ip: &IpAddr) -> bool {
        self.both() || self.prefers(ip)
    }

    /// Whether both families are asked.
    fn both(self) -> bool {
        matches!(self, Hint::Ipv4First | Hint::Ipv6First)
    }

    /// Whether this family goes first.
    fn prefers(self, ip: &IpAddr) -> bool {
        // One compare, not a match over the four hints (26 B less on riscv32imc).
        ip.is_ipv6() == self.v6_first()
    }

    /// Whether IPv6 is the preferred (or only) family.
    fn v6_first(self) -> bool {
        matches!(self, Hint::Ipv6Only | Hint::Ipv6First)
    }
}

/// The sans-io core of `getaddrinfo`: the host checked once, which queries to ask, how their
/// answers merge, and the one place the result (or the error) is made. The drivers only ask
/// the queries and hand the answers in; the resolver's last failure stays with them (it is
/// the only part that depends on the resolver's error type).
pub(crate) struct Lookup<'h> {
    /// The host as given (for the error's [`HostName`]).
    host: &'h str,
    /// The validated name to ask for (without a trailing dot); empty when nothing is asked.
    name: &'h str,
    port: u16,
    hint: Hint,
    /// The next query, as an index into the hint's order; past the last when nothing is asked.
    next: u8,
    /// Why the host was refused before any query.
    refused: Option<HostError>,
    addrs: Addrs,
}

/// No query is left: `Hint::query` answers `None` from here.
const NO_QUERY: u8 = 2;

impl<'h> Lookup<'h> {
    /// A lookup of `host`, checked by [`Lookup::start`] before anything else.
    pub(crate) fn new(host: &'h str, port: u16, hint: Hint) -> Self {
        Lookup {
            host,
            name: "",
            port,
            hint,
            next: NO_QUERY,
            refused: None,
            addrs: Addrs::new(),
        }
    }

    /// Checks the host and decides: an answer now (a literal, `localhost`, or a refused
    /// host), or queries. In place: a lookup holds its addresses, so a move is a copy.
    pub(crate) fn start(&mut self) {
        match classify(self.host) {
            Ok(Host::V4(ip)) => self.answer(&IpAddr::V4(ip)),
            Ok(Host::V6(text)) => {
                if let Some(ip) = literal::parse_v6(text) {
                    self.answer(&IpAddr::V6(ip));
                }
            }
            Ok(Host::Localhost) => {
                // Both loopbacks; `answer` drops the family the hint does not allow and
                // puts the preferred one first.
                self.answer(&IpAddr::V4(Ipv4Addr::LOCALHOST));
                self.answer(&IpAddr::V6(Ipv6Addr::LOCALHOST));
            }
            Ok(Host::Name(name)) => {
                self.name = name;
                self.next = 0;
            }
            Err(error) => self.refused = Some(error),
        }
    }

    /// The validated name to ask for (without a trailing dot).
    pub(crate) fn name(&self) -> &'h str {
        self.name
    }

    /// The next query to ask, in order of preference; `None` once all were asked (or when
    /// none is needed).
    pub(crate) fn query(&mut self) -> Option<AddrType> {
        let query = self.hint.query(self.next)?;
        self.next = self.next.saturating_add(1);
        Some(query)
    }

    /// Takes an address a query found (or a literal's).
    pub(crate) fn answer(&mut self, ip: &IpAddr) {
        if !self.hint.allows(ip) {
            debug!("towel: resolver answered the wrong family; dropped");
            return;
        }
        // At most one address is kept before this one (one per query, at most two queries),
        // so a duplicate can only be the first, and the push always fits.
        let addr = SocketAddr::new(*ip, self.port);
        if self.addrs.first() != Some(&addr) {
            let _ = self.addrs.push(addr);
        }
        // Preferred family first, each family in the order found. Here, in the one
        // out-of-line step every lookup shares, not in `result`, which is inlined into each
        // driver (one copy of the swap each, about 100 B on riscv32imc).
        if let [first, second] = self.addrs.as_mut_slice()
            && !self.hint.prefers(&first.ip())
            && self.hint.prefers(&second.ip())
        {
            core::mem::swap(first, second);
        }
    }

    /// Every address found, preferred family first (taken out of the lookup); or, if none,
    /// why (`failure`: the resolver's last failure, if a query failed). By reference: taking
    /// the lookup by value moved all of it (96 B on riscv32imc) before the addresses were
    /// moved out (connect -28 B, its peak stack -80 B).
    pub(crate) fn finish<E>(&mut self, failure: Option<Stop<E>>) -> Result<Addrs, ResolveError<E>> {
        self.result(failure)?;
        Ok(core::mem::take(&mut self.addrs))
    }

    /// [`Lookup::finish`] in place: the addresses stay in the lookup ([`Lookup::addrs`]), so
    /// the async GET moves none of them out of its future (96 B of copying on riscv32imc).
    pub(crate) fn finish_in_place<E>(
        &mut self,
        failure: Option<Stop<E>>,
    ) -> Result<(), ResolveError<E>> {
        self.result(failure)
    }

    /// The addresses found: preferred family first once [`Lookup::finish_in_place`] said `Ok`.
    pub(crate) fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// The one place the result is made: the error if nothing was found (the addresses are
    /// already in order: see [`Lookup::answer`]). Inlined into both callers (forced: as a
    /// call of its own, or inlined into the async GET's state machine, it cost 30 to 250 B
    /// more).
    #[inline(always)]
    fn result<E>(&mut self, failure: Option<Stop<E>>) -> Result<(), ResolveError<E>> {
        if self.addrs.is_empty() {
            let host = HostName::new(self.host);
            return Err(if let Some(error) = self.refused {
                ResolveError::Host { host, error }
            } else {
                match failure {
                    Some(Stop::Timeout(after_ms)) => ResolveError::Timeout { host, after_ms },
                    Some(Stop::Failed(error)) => ResolveError::Resolver { host, error },
                    None => ResolveError::NoAddress { host },
                }
            });
        }
        Ok(())
    }
}

/// Resolves `host` to socket addresses with `port`, like C's `getaddrinfo`, on a blocking
/// [`embedded_nal::Dns`].
///
/// - IP literals (`10.0.0.1`, `::1`, `[::1]`, no zones) and `localhost` answer at once,
///   without DNS.
/// - Other names are validated first; a bad one is [`ResolveError::Host`], never a query.
/// - With [`Hint::Ipv4First`] / [`Hint::Ipv6First`] both families are asked, in that order;
///   every address found comes back, and one family failing does not lose the other.
/// - The whole call shares one deadline, `wait.timeout_ms` from its start; the idle hook gets
///   `&mut dns` while a query says `WouldBlock`.
///
/// Errors ([`ResolveError`], each naming the host): [`ResolveError::Host`],
/// [`ResolveError::NoAddress`] (nothing in the requested family), [`ResolveError::Resolver`]
/// (the resolver's own error, the last one if both families failed),
/// [`ResolveError::Timeout`]. `?` turns it into [`crate::Error`].
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
/// assert!(matches!(bad, Err(towel::resolve::ResolveError::Host { .. })));
/// # Ok::<(), towel::std_stack::Error>(())
/// ```
pub fn getaddrinfo<D, C, I>(
    dns: &mut D,
    host: &str,
    port: u16,
    hint: Hint,
    wait: &mut Wait<C, I>,
) -> Result<Addrs, ResolveError<D::Error>>
where
    D: embedded_nal::Dns + ?Sized,
    C: Clock,
    I: Idle<D>,
{
    let mut lookup = Lookup::new(host, port, hint);
    lookup.start();
    let name = lookup.name();
    // The clock is read only when a query is asked (a literal reads none).
    let mut deadline = None;
    let mut failure = None;
    while let Some(query) = lookup.query() {
        let at = *deadline.get_or_insert_with(|| wait.deadline());
        match wait.run(dns, Some(at), |dns| {
            dns.get_host_by_name(name, query.clone())
        }) {
            Ok(ip) => lookup.answer(&ip),
            Err(stop) => failure = Some(stop),
        }
    }
    lookup.finish(failure)
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
///     Ok::<(), towel::std_stack::AsyncError>(())
/// })?;
/// # Ok::<(), towel::std_stack::AsyncError>(())
/// ```
pub async fn getaddrinfo_async<D>(
    dns: &D,
    host: &str,
    port: u16,
    hint: Hint,
) -> Result<Addrs, ResolveError<D::Error>>
where
    D: embedded_nal_async::Dns + ?Sized,
{
    let mut lookup = Lookup::new(host, port, hint);
    let failure = ask_async(dns, &mut lookup).await;
    lookup.finish(failure)
}

/// The queries of a lookup over [`embedded_nal_async::Dns`]: starts `lookup`, asks what it
/// says to, hands it the answers and returns the resolver's last failure, for
/// [`Lookup::finish`]. Shared by [`getaddrinfo_async`] and the async GET, which keeps the
/// lookup (and its addresses) in its own future.
pub(crate) async fn ask_async<D>(dns: &D, lookup: &mut Lookup<'_>) -> Option<Stop<D::Error>>
where
    D: embedded_nal_async::Dns + ?Sized,
{
    lookup.start();
    let mut failure = None;
    while let Some(query) = lookup.query() {
        match dns.get_host_by_name(lookup.name(), query).await {
            Ok(ip) => lookup.answer(&ip),
            Err(error) => failure = Some(error),
        }
    }
    failure.map(Stop::Failed)
}

#[cfg(test)]
mod tests;
