//! Which address a request comes from, behind load balancers (`TRUSTED_PROXIES`).
//!
//! `X-Forwarded-For` is a list each proxy appends to: its leftmost entries are whatever the
//! client wrote. Only the entries added by proxies we trust are believed, read from the
//! right: the client is the first address that is not one of ours.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` entries are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustedProxies {
    /// No proxy: the peer is the client (the default).
    #[default]
    None,
    /// This many proxies stand in front of the server, each adding one entry.
    Hops(usize),
    /// Proxies are the peers within these networks.
    Networks(Vec<IpNet>),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("TRUSTED_PROXIES: '{0}' is neither a number of proxies nor a list of networks (10.0.0.0/8,fd00::/8)")]
pub struct TrustedProxiesError(String);

impl FromStr for TrustedProxies {
    type Err = TrustedProxiesError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() || text == "0" {
            return Ok(Self::None);
        }
        if let Ok(hops) = text.parse::<usize>() {
            return Ok(Self::Hops(hops));
        }
        text.split(',')
            .map(|item| {
                let item = item.trim();
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| TrustedProxiesError(item.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self::Networks)
    }
}

impl TrustedProxies {
    /// The client's address, from the peer's and the `X-Forwarded-For` headers' values (in
    /// the order received). An unreadable entry where a trusted proxy should have written
    /// one ends the walk at the last address we could trust.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let chain = || {
            forwarded_for
                .iter()
                .flat_map(|header| header.split(','))
                .map(|entry| entry.trim().parse::<IpAddr>().ok())
                .rev()
        };
        match self {
            Self::None => peer,
            Self::Hops(hops) => {
                // The peer is the nearest proxy; each of the others added the entry to its right.
                let mut client = peer;
                for entry in chain().take(*hops) {
                    match entry {
                        Some(ip) => client = ip,
                        None => break,
                    }
                }
                client
            }
            Self::Networks(networks) => {
                let trusted = |ip: &IpAddr| networks.iter().any(|n| n.contains(ip));
                let mut client = peer;
                for entry in chain() {
                    if !trusted(&client) {
                        break;
                    }
                    match entry {
                        Some(ip) => client = ip,
                        None => break,
                    }
                }
                client
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let client = TrustedProxies::None.client(ip("203.0.113.9"), &["198.51.100.1"]);
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn hops_are_read_from_the_right_so_a_forged_entry_on_the_left_is_ignored() {
        let one = TrustedProxies::Hops(1);
        // The client wrote "1.2.3.4"; the load balancer (peer 10.0.0.2) appended the real address.
        let client = one.client(ip("10.0.0.2"), &["1.2.3.4, 203.0.113.9"]);
        assert_eq!(client, ip("203.0.113.9"));
        let two = TrustedProxies::Hops(2);
        let client = two.client(ip("10.0.0.3"), &["1.2.3.4, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(client, ip("203.0.113.9"));
        // Fewer entries than proxies: the leftmost one a trusted proxy wrote.
        assert_eq!(
            two.client(ip("10.0.0.3"), &["203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert_eq!(one.client(ip("10.0.0.2"), &[]), ip("10.0.0.2"));
        assert_eq!(
            one.client(ip("10.0.0.2"), &["1.2.3.4, n'importe quoi"]),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn networks_skip_our_own_proxies_from_the_right() {
        let ours: TrustedProxies = "10.0.0.0/8, fd00::/8".parse().unwrap();
        let client = ours.client(ip("10.0.0.3"), &["1.2.3.4, 203.0.113.9, 10.0.0.2"]);
        assert_eq!(client, ip("203.0.113.9"));
        // A peer outside our networks is the client, whatever it claims.
        let client = ours.client(ip("198.51.100.7"), &["10.0.0.1"]);
        assert_eq!(client, ip("198.51.100.7"));
    }

    #[test]
    fn the_setting_reads_a_count_or_networks() {
        assert_eq!("".parse(), Ok(TrustedProxies::None));
        assert_eq!("2".parse(), Ok(TrustedProxies::Hops(2)));
        assert!(matches!(
            "10.0.0.1".parse::<TrustedProxies>(),
            Ok(TrustedProxies::Networks(n)) if n.len() == 1
        ));
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("oui".parse::<TrustedProxies>().is_err());
    }
}
