//! embassy-net's resolver as towel's async lookups want it (feature `embassy-net`).

use core::fmt;
use core::net::IpAddr;

use embassy_net::Stack;
use embassy_net::dns::{DnsSocket, Error as DnsError};
use embedded_nal_async::{AddrType, Dns};

/// embassy-net's `DnsSocket` (it asks the DNS servers the stack has, e.g. DHCP's), with an
/// error that says in words what failed, so a [`towel::Error`](crate::Error) over embassy-net
/// has `Display`, and with no `todo!()` behind reverse lookups (embassy-net's panics there;
/// this one answers [`DnsError::Failed`]).
///
/// ```no_run
/// # async fn run(stack: embassy_net::Stack<'_>) -> Result<(), towel::ResolveError<towel::resolve::EmbassyDnsError>> {
/// use towel::{Hint, getaddrinfo_async, resolve::EmbassyDns};
///
/// let dns = EmbassyDns::new(stack);
/// let addrs = getaddrinfo_async(&dns, "example.com", 80, Hint::Ipv4Only).await?;
/// # let _ = addrs; Ok(()) }
/// ```
pub struct EmbassyDns<'a>(DnsSocket<'a>);

impl<'a> EmbassyDns<'a> {
    /// A resolver over `stack`'s DNS servers.
    pub fn new(stack: Stack<'a>) -> Self {
        Self(DnsSocket::new(stack))
    }
}

/// embassy-net's DNS error, with `Display` in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbassyDnsError(pub DnsError);

impl fmt::Display for EmbassyDnsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            DnsError::InvalidName => "the name cannot be put in a DNS query",
            DnsError::NameTooLong => "the name is too long for a DNS query",
            DnsError::Failed => {
                "the DNS query failed (no answer, no address of that family, or no free query slot)"
            }
        })
    }
}

impl core::error::Error for EmbassyDnsError {}

#[cfg(feature = "defmt")]
impl defmt::Format for EmbassyDnsError {
    fn format(&self, f: defmt::Formatter<'_>) {
        let text = match self.0 {
            DnsError::InvalidName => "invalid name",
            DnsError::NameTooLong => "name too long",
            DnsError::Failed => "query failed",
        };
        defmt::write!(f, "DNS: {=str}", text);
    }
}

impl Dns for EmbassyDns<'_> {
    type Error = EmbassyDnsError;

    async fn get_host_by_name(
        &self,
        host: &str,
        addr_type: AddrType,
    ) -> Result<IpAddr, Self::Error> {
        self.0
            .get_host_by_name(host, addr_type)
            .await
            .map_err(EmbassyDnsError)
    }

    /// embassy-net has no reverse lookup: always [`DnsError::Failed`].
    async fn get_host_by_address(
        &self,
        _addr: IpAddr,
        _result: &mut [u8],
    ) -> Result<usize, Self::Error> {
        Err(EmbassyDnsError(DnsError::Failed))
    }
}

#[cfg(test)]
mod tests {
    use std::string::ToString;

    use embassy_net::dns::Error as DnsError;
    use embassy_net::tcp::Error as TcpError;

    use super::EmbassyDnsError;
    use crate::resolve::{HostName, ResolveError};

    /// towel's error over embassy-net's TCP and DNS errors prints in words.
    #[test]
    fn errors_over_embassy_net_print_in_words() {
        let lookup: crate::Error<TcpError, EmbassyDnsError> = ResolveError::Resolver {
            host: HostName::new("towel.blinkenlights.nl"),
            error: EmbassyDnsError(DnsError::Failed),
        }
        .into();
        assert_eq!(
            lookup.to_string(),
            "looking up towel.blinkenlights.nl failed: the DNS query failed (no answer, no \
             address of that family, or no free query slot)"
        );
        let reset: crate::Error<TcpError, EmbassyDnsError> = TcpError::ConnectionReset.into();
        assert!(
            reset.to_string().contains("the network stack failed"),
            "{reset}"
        );
    }
}
