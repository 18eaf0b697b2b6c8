//! What ccguard may fetch: http and https URLs whose host is a globally reachable unicast
//! address (unless private hosts are allowed).
//!
//! Two places enforce it. [`refuse`] judges the URL before every request and on every redirect
//! hop: its scheme, and its host when that is an IP literal. A host name is judged where it is
//! resolved: the HTTP client resolves names only through [`Resolver`], which looks the name up
//! once, refuses it when any address is not public, and hands the client exactly the addresses
//! it checked, so a name cannot change its address between the check and the connection (DNS
//! rebinding), and a name whose lookup fails is not fetched at all.
//!
//! Behind a proxy from the environment the proxy resolves names and connects, so ccguard
//! cannot see where a name leads; [`refuse_name`] then looks the name up locally first and
//! refuses it when that shows a private address. The proxy's own name is exempt.
//!
//! Refused besides loopback and private ranges: every address whose range is not globally
//! reachable (IANA special-purpose registries), and IPv6 forms that embed an IPv4 address
//! (IPv4-mapped, SIIT, NAT64, 6to4) are judged by that address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A refusal raised inside the HTTP client's resolver; `client` turns it back into
/// [`super::FetchError::Refused`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// Why a URL may not be fetched, judging its scheme and an IP-literal host (names are judged
/// by [`Resolver`]).
pub fn refuse(url: &Url, allow_private: bool) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Some(format!(
            "`{}:` URLs are not fetched; only http and https",
            url.scheme()
        ));
    }
    if allow_private {
        return None;
    }
    let Some(host) = url.host_str() else {
        return Some("the URL has no host".to_owned());
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let ip = host.parse::<IpAddr>().ok()?;
    refusal(host, ip)
}

/// Why the name in `url` may not be fetched through a proxy, looking it up locally (a name
/// that does not resolve here is left to the proxy).
pub fn refuse_name(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    if host.starts_with('[') || host.parse::<IpAddr>().is_ok() {
        return None;
    }
    let addrs = (host, url.port_or_known_default().unwrap_or(80))
        .to_socket_addrs()
        .ok()?;
    addrs.map(|a| a.ip()).find_map(|ip| refusal(host, ip))
}

fn refusal(host: &str, ip: IpAddr) -> Option<String> {
    let range = non_public(ip)?;
    Some(format!(
        "{host} resolves to the private or local address {ip} ({range}); pass --allow-private-hosts to fetch it"
    ))
}

/// True for every address that is not a globally reachable unicast address: loopback,
/// private, link-local, shared, multicast, documentation, reserved and the like, including
/// IPv4 addresses embedded in IPv6.
pub fn is_private(ip: IpAddr) -> bool {
    non_public(ip).is_some()
}

/// The name of the special-purpose range `ip` falls in, unless it is a public unicast address.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => non_public_v6(v6),
    }
}

/// IPv4 ranges refused, most specific first: (network, prefix length, name).
const V4_RANGES: &[([u8; 4], u8, &str)] = &[
    ([255, 255, 255, 255], 32, "broadcast"),
    ([0, 0, 0, 0], 8, "this network"),
    ([10, 0, 0, 0], 8, "private"),
    ([100, 64, 0, 0], 10, "shared address space"),
    ([127, 0, 0, 0], 8, "loopback"),
    ([169, 254, 0, 0], 16, "link-local"),
    ([172, 16, 0, 0], 12, "private"),
    ([192, 0, 0, 0], 24, "IETF protocol assignments"),
    ([192, 0, 2, 0], 24, "documentation"),
    ([192, 88, 99, 0], 24, "6to4 relay anycast"),
    ([192, 168, 0, 0], 16, "private"),
    ([198, 18, 0, 0], 15, "benchmarking"),
    ([198, 51, 100, 0], 24, "documentation"),
    ([203, 0, 113, 0], 24, "documentation"),
    ([224, 0, 0, 0], 4, "multicast"),
    ([240, 0, 0, 0], 4, "reserved"),
];

/// IPv6 ranges refused outright (after the forms embedding IPv4 are judged by that address).
const V6_RANGES: &[(u128, u8, &str)] = &[
    (0, 128, "unspecified"),
    (1, 128, "loopback"),
    (0, 96, "IPv4-compatible (deprecated)"),
    (0x0064_ff9b_0001 << 80, 48, "local-use NAT64"),
    (0x0100 << 112, 64, "discard-only"),
    (0x2001_0000 << 96, 32, "Teredo"),
    (0x2001_0002 << 96, 48, "benchmarking"),
    (0x2001_0db8 << 96, 32, "documentation"),
    (0x3fff << 112, 20, "documentation"),
    (0xfc00 << 112, 7, "unique local"),
    (0xfe80 << 112, 10, "link-local"),
    (0xfec0 << 112, 10, "site-local (deprecated)"),
    (0xff00 << 112, 8, "multicast"),
];

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let bits = u32::from(ip);
    V4_RANGES.iter().find_map(|&(network, len, name)| {
        let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
        (bits & mask == u32::from_be_bytes(network)).then_some(name)
    })
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = embedded_v4(ip) {
        return non_public_v4(v4);
    }
    let bits = u128::from(ip);
    V6_RANGES.iter().find_map(|&(network, len, name)| {
        let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
        (bits & mask == network).then_some(name)
    })
}

/// The IPv4 address an IPv6 address stands for, in the forms that reach an IPv4 host:
/// IPv4-mapped `::ffff:a.b.c.d`, SIIT `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d` and 6to4
/// `2002:aabb:ccdd::/48`.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let bits = u128::from(ip);
    let [.., c, d] = ip.segments();
    let low = Ipv4Addr::from((u32::from(c) << 16) | u32::from(d));
    let high96 = bits >> 32;
    if high96 == 0xffff || high96 == 0xffff_0000 || high96 == 0x0064_ff9b << 64 {
        return Some(low);
    }
    if bits >> 112 == 0x2002 {
        let [_, a, b, ..] = ip.segments();
        return Some(Ipv4Addr::from((u32::from(a) << 16) | u32::from(b)));
    }
    None
}

/// The resolver the HTTP client uses for every name: one lookup, the addresses vetted, only
/// those handed on (see the module docs).
#[derive(Debug, Clone)]
pub struct Resolver {
    allow_private: bool,
    /// Proxy hosts from the environment, connected to whatever their address.
    exempt: Vec<String>,
}

impl Resolver {
    /// A resolver refusing non-public addresses unless `allow_private`; the names in `exempt`
    /// (the proxies in use) are never refused.
    pub fn new(allow_private: bool, exempt: Vec<String>) -> Resolver {
        Resolver {
            allow_private,
            exempt,
        }
    }
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let vetted =
            !self.allow_private && !self.exempt.iter().any(|e| e.eq_ignore_ascii_case(&host));
        Box::pin(async move {
            let lookup = host.clone();
            // The system resolver blocks: run it beside the client's event loop, not on it.
            let addrs: Vec<SocketAddr> =
                tokio::task::spawn_blocking(move || (lookup.as_str(), 0).to_socket_addrs())
                    .await??
                    .collect();
            if vetted && let Some(reason) = addrs.iter().find_map(|a| refusal(&host, a.ip())) {
                return Err::<Addrs, BoxError>(Box::new(Refusal(reason)));
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The hosts of the proxies the environment names (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`,
/// either case), which reqwest uses unless proxies are off.
pub fn proxy_hosts() -> Vec<String> {
    let mut hosts: Vec<String> = [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ]
    .iter()
    .filter_map(|var| std::env::var(var).ok())
    .filter(|value| !value.trim().is_empty())
    .filter_map(|value| {
        let value = value.trim();
        // `host:port` without a scheme is read as http, as reqwest reads it.
        let url = Url::parse(value)
            .ok()
            .filter(|u| u.host_str().is_some())
            .or_else(|| Url::parse(&format!("http://{value}")).ok())?;
        Some(url.host_str()?.to_owned())
    })
    .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    /// Every address is only classified, never connected to.
    #[test]
    fn special_purpose_addresses_are_refused_by_range() {
        let refused: &[(&str, &str)] = &[
            ("0.0.0.0", "this network"),
            ("0.1.2.3", "this network"),
            ("10.1.2.3", "private"),
            ("100.64.0.1", "shared address space"),
            ("100.127.255.254", "shared address space"),
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("169.254.169.254", "link-local"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.0.0.8", "IETF protocol assignments"),
            ("192.0.2.1", "documentation"),
            ("192.88.99.1", "6to4 relay anycast"),
            ("192.168.0.1", "private"),
            ("198.18.0.1", "benchmarking"),
            ("198.19.255.1", "benchmarking"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("224.0.0.251", "multicast"),
            ("239.255.255.250", "multicast"),
            ("240.0.0.1", "reserved"),
            ("255.255.255.254", "reserved"),
            ("255.255.255.255", "broadcast"),
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("::7f00:1", "IPv4-compatible (deprecated)"),
            ("::8.8.8.8", "IPv4-compatible (deprecated)"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:0:127.0.0.1", "loopback"),
            ("::ffff:0:169.254.169.254", "link-local"),
            ("64:ff9b::127.0.0.1", "loopback"),
            ("64:ff9b::192.168.1.1", "private"),
            ("64:ff9b:1::1.2.3.4", "local-use NAT64"),
            ("100::1", "discard-only"),
            ("2001::1", "Teredo"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
            ("2001:2::1", "benchmarking"),
            ("2001:db8::1", "documentation"),
            ("2002:7f00:1::1", "loopback"),
            ("2002:a9fe:a9fe::", "link-local"),
            ("2002:c0a8:101::1", "private"),
            ("3fff::1", "documentation"),
            ("fc00::1", "unique local"),
            ("fd12:3456::1", "unique local"),
            ("fe80::1", "link-local"),
            ("febf::1", "link-local"),
            ("fec0::1", "site-local (deprecated)"),
            ("feff::1", "site-local (deprecated)"),
            ("ff02::1", "multicast"),
            ("ff0e::1", "multicast"),
        ];
        for &(address, range) in refused {
            let ip: IpAddr = address.parse().unwrap();
            assert_eq!(non_public(ip), Some(range), "{address}");
            assert!(is_private(ip), "{address}");
        }
    }

    #[test]
    fn public_addresses_pass_also_when_embedded() {
        for address in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.215.14",
            "100.63.255.255",
            "100.128.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.1",
            "192.169.0.1",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "::ffff:0:8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:808:808::1",
        ] {
            let ip: IpAddr = address.parse().unwrap();
            assert_eq!(non_public(ip), None, "{address}");
        }
    }

    #[test]
    fn literal_private_hosts_are_refused_unless_allowed() {
        for s in [
            "http://127.0.0.1/",
            "http://10.1.2.3/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[2002:7f00:1::]/",
            "http://100.64.0.1/",
        ] {
            assert!(refuse(&url(s), false).is_some(), "{s} was allowed");
            assert_eq!(refuse(&url(s), true), None, "{s} refused with the flag");
        }
        assert_eq!(
            refuse(&url("http://127.0.0.1:8080/"), false).as_deref(),
            Some(
                "127.0.0.1 resolves to the private or local address 127.0.0.1 (loopback); pass --allow-private-hosts to fetch it"
            )
        );
    }

    #[test]
    fn public_addresses_names_and_only_http_schemes_pass() {
        assert_eq!(refuse(&url("http://93.184.215.14/"), false), None);
        assert_eq!(refuse(&url("https://[2606:4700::1]/"), false), None);
        // Names are judged where they are resolved, by the client's resolver.
        assert_eq!(refuse(&url("https://localhost/"), false), None);
        assert_eq!(
            refuse(&url("file:///etc/passwd"), true).as_deref(),
            Some("`file:` URLs are not fetched; only http and https")
        );
        assert!(refuse(&url("ftp://example.org/"), false).is_some());
    }
}
