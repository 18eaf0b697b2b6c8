//! What ccguard may fetch: http and https URLs whose host does not resolve to a loopback,
//! private, link-local or unspecified address (unless private hosts are allowed).
//!
//! Checked before every request and on every redirect hop. The check resolves the host itself,
//! so a name that changes its address between this check and the connection (DNS rebinding) is
//! not caught; hosts given as IP literals always are.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

use reqwest::Url;

/// Why a URL may not be fetched.
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
    let addresses: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => match (host, url.port_or_known_default().unwrap_or(80)).to_socket_addrs() {
            Ok(addrs) => addrs.map(|a| a.ip()).collect(),
            // Let the request itself report the DNS failure.
            Err(_) => return None,
        },
    };
    addresses.iter().find(|ip| is_private(**ip)).map(|ip| {
        format!("{host} resolves to the private or local address {ip}; pass --allow-private-hosts to fetch it")
    })
}

/// True for loopback, private, link-local, unique-local, shared (CGNAT) and unspecified
/// addresses, including IPv4 addresses mapped into IPv6.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private_v4(v4),
            None => is_private_v6(v6),
        },
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || (a == 100 && (64..128).contains(&b))
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn private_and_local_addresses_are_refused() {
        for s in [
            "http://127.0.0.1/",
            "http://10.1.2.3/x",
            "http://192.168.0.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://0.0.0.0/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://100.64.0.1/",
        ] {
            assert!(refuse(&url(s), false).is_some(), "{s} was allowed");
            assert_eq!(refuse(&url(s), true), None, "{s} refused with the flag");
        }
    }

    #[test]
    fn public_addresses_and_only_http_schemes_pass() {
        assert_eq!(refuse(&url("http://93.184.215.14/"), false), None);
        assert_eq!(refuse(&url("https://[2606:4700::1]/"), false), None);
        assert_eq!(
            refuse(&url("file:///etc/passwd"), true).as_deref(),
            Some("`file:` URLs are not fetched; only http and https")
        );
        assert!(refuse(&url("ftp://example.org/"), false).is_some());
    }
}
