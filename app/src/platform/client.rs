use super::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The client's address as a rate-limit key: an IPv4 address, or the /64 of an IPv6 address
/// (one subscriber holds a whole /64, so per-address limits on IPv6 would limit nothing).
/// Behind `trusted_proxies` reverse proxies it is the address the outermost of them appended
/// to X-Forwarded-For; entries to its left were written by the client and are ignored.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientIp(client_key(&parts.headers, peer, state.settings.trusted_proxies)))
    }
}

pub fn client_key(headers: &HeaderMap, peer: Option<IpAddr>, trusted_proxies: usize) -> String {
    let forwarded = (trusted_proxies > 0).then(|| forwarded_by_proxy(headers, trusted_proxies)).flatten();
    match forwarded.or(peer) {
        Some(ip) => limit_key(ip),
        None => "unknown".into(),
    }
}

/// The entry the outermost trusted proxy wrote: the `trusted`-th from the right.
fn forwarded_by_proxy(headers: &HeaderMap, trusted: usize) -> Option<IpAddr> {
    let entries: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).collect();
    let index = entries.len().checked_sub(trusted)?;
    entries[index].parse().ok()
}

fn limit_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_static(v));
        }
        h
    }

    const PROXY: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2)));

    #[test]
    fn a_client_cannot_choose_its_address_by_writing_the_header() {
        // The client wrote 1.2.3.4; the proxy appended the address it saw.
        let h = forwarded(&["1.2.3.4, 203.0.113.7"]);
        assert_eq!(client_key(&h, PROXY, 1), "203.0.113.7");
        let h = forwarded(&["1.2.3.4", "203.0.113.7"]);
        assert_eq!(client_key(&h, PROXY, 1), "203.0.113.7");
    }

    #[test]
    fn two_proxies_mean_the_second_entry_from_the_right() {
        let h = forwarded(&["6.6.6.6, 203.0.113.7, 10.0.0.9"]);
        assert_eq!(client_key(&h, PROXY, 2), "203.0.113.7");
    }

    #[test]
    fn without_trust_or_with_too_few_entries_the_peer_counts() {
        let h = forwarded(&["1.2.3.4"]);
        assert_eq!(client_key(&h, PROXY, 0), "10.0.0.2");
        assert_eq!(client_key(&h, PROXY, 2), "10.0.0.2");
        assert_eq!(client_key(&forwarded(&["not an address"]), PROXY, 1), "10.0.0.2");
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let a = forwarded(&["2001:db8:aa:bb:1::1"]);
        let b = forwarded(&["2001:db8:aa:bb:ffff::2"]);
        assert_eq!(client_key(&a, PROXY, 1), "2001:db8:aa:bb::/64");
        assert_eq!(client_key(&a, PROXY, 1), client_key(&b, PROXY, 1));
        assert_eq!(client_key(&forwarded(&["::ffff:192.0.2.1"]), PROXY, 1), "192.0.2.1");
    }
}
