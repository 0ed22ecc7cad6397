//! Which client a request comes from, when a reverse proxy stands in front. Behind a proxy
//! every connection comes from the proxy, so throttling by address would hold back everyone
//! at once; the proxy names the client in `X-Forwarded-For`. That header is believed only
//! from proxies the operator named (`--trusted-proxies`): from anyone else it is a client's
//! say-so, and believing it would let one client pick a fresh address for every attempt.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// Addresses or networks (`10.0.0.0/8`, `::1/128`) of reverse proxies whose
/// `X-Forwarded-For` is believed. Empty by default: no header is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// A comma-separated list of addresses and networks.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (addr, bits) = match item.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (item, None),
            };
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("`{item}` is not an IP address or network"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                None => max,
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("`{item}`: the prefix length must be 0 to {max}"))?,
            };
            nets.push((addr, bits));
        }
        Ok(TrustedProxies(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0
            .iter()
            .any(|(net, bits)| match (canonical(*net), ip) {
                (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(&n.octets(), &a.octets(), *bits),
                (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(&n.octets(), &a.octets(), *bits),
                _ => false,
            })
    }

    /// The client behind `peer`: the nearest address in `X-Forwarded-For` that is not a
    /// trusted proxy, walking back from the peer; the peer itself when it is no trusted
    /// proxy, or names nobody (or garbage) in the header.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = canonical(ip);
                    if !self.contains(client) {
                        break;
                    }
                }
                // Past an entry the proxy did not write sensibly, nothing is believed.
                Err(_) => break,
            }
        }
        client
    }
}

/// IPv4 addresses seen through an IPv6 socket (`::ffff:a.b.c.d`) are the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

fn prefix_eq(net: &[u8], addr: &[u8], bits: u8) -> bool {
    let full = usize::from(bits / 8);
    let rest = bits % 8;
    if net[..full] != addr[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (net[full] & mask) == (addr[full] & mask)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn networks_match_by_prefix() {
        let t = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7, fd00::/8").unwrap();
        assert!(t.contains(ip("10.200.3.4")));
        assert!(!t.contains(ip("11.0.0.1")));
        assert!(t.contains(ip("192.168.1.7")));
        assert!(!t.contains(ip("192.168.1.8")));
        assert!(t.contains(ip("fd12::1")));
        assert!(t.contains(ip("::ffff:10.1.1.1")));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.example").is_err());
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_proxy() {
        let t = TrustedProxies::parse("10.0.0.1").unwrap();
        let h = forwarded(&["203.0.113.9"]);
        assert_eq!(t.client(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        // Anyone else sending the header is the client themself.
        assert_eq!(t.client(ip("198.51.100.4"), &h), ip("198.51.100.4"));
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.1"), &h),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn a_client_cannot_hide_behind_an_address_it_writes_itself() {
        // The client wrote `1.2.3.4` before the proxies appended what they saw.
        let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let h = forwarded(&["1.2.3.4, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(t.client(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        // Garbage stops the walk at the last believable hop.
        let h = forwarded(&["203.0.113.9, not-an-ip"]);
        assert_eq!(t.client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
        // No header: the proxy is the client.
        assert_eq!(t.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
    }
}
