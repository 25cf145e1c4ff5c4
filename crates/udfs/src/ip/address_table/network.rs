//! Networks as text (`1.2.3.0/24`), IPv4 without the formatting
//! machinery: a shard writes one per new network it stores.

use ipnet::IpNet;

/// Write a network as text (`1.2.3.0/24`), IPv4 without the formatting
/// machinery.
pub(super) fn write_network(out: &mut String, net: IpNet) {
    match net {
        IpNet::V4(n) => {
            for (i, octet) in n.addr().octets().into_iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                push_decimal(out, octet);
            }
            out.push('/');
            push_decimal(out, n.prefix_len());
        }
        IpNet::V6(n) => {
            use std::fmt::Write;
            let _ = write!(out, "{n}");
        }
    }
}

fn push_decimal(out: &mut String, v: u8) {
    if v >= 100 {
        out.push(char::from(b'0' + v / 100));
    }
    if v >= 10 {
        out.push(char::from(b'0' + v / 10 % 10));
    }
    out.push(char::from(b'0' + v % 10));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_written_as_their_display_says() {
        let mut out = String::new();
        for net in [
            "0.0.0.0/0",
            "1.2.3.0/24",
            "10.0.0.0/8",
            "100.64.10.9/32",
            "255.255.255.255/32",
            "99.199.9.0/27",
            "2001:db8::/32",
            "::ffff:1.2.3.4/128",
        ] {
            let net: IpNet = net.parse().expect("network");
            out.clear();
            write_network(&mut out, net);
            assert_eq!(out, net.to_string());
        }
    }
}
