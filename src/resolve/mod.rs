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
    pub(crate) fn finish(self) -> Result<Addrs, ResolveError<E>> {
        if self.addrs.is_empty() {
            let host = HostName::new(self.name);
            return Err(match self.last_failure {
                Some(Stop::Timeout(after_ms)) => ResolveError::Timeout { host, after_ms },
                Some(Stop::Failed(error)) => ResolveError::Resolver { host, error },
                None => ResolveError::NoAddress { host },
            });
        }
        // Preferred family first, each family in the order found (at most two addresses).
        let mut addrs = self.addrs;
        if let [first, second] = addrs.as_mut_slice()
            && !self.hint.prefers(&first.ip())
            && self.hint.prefers(&second.ip())
        {
            core::mem::swap(first, second);
        }
        Ok(addrs)
    }
}

fn plan_error<E>(host: &str) -> impl FnOnce(HostError) -> ResolveError<E> + '_ {
    move |error| ResolveError::Host {
        host: HostName::new(host),
        error,
    }
}

fn done_or_empty<E>(host: &str, addrs: Addrs) -> Result<Addrs, ResolveError<E>> {
    if addrs.is_empty() {
        Err(ResolveError::NoAddress {
            host: HostName::new(host),
        })
    } else {
        Ok(addrs)
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
    let mut lookup = match Lookup::start(host, port, hint).map_err(plan_error(host))? {
        Plan::Done(addrs) => return done_or_empty(host, addrs),
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
    let mut lookup = match Lookup::start(host, port, hint).map_err(plan_error(host))? {
        Plan::Done(addrs) => return done_or_empty(host, addrs),
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
mod tests;
