"""Export a generated lake's address data to one table of ranges for the peers.

    prepare_ranges.py IPDB_DIR OUT.csv

Reads IPDB_DIR/synthetic-isp.mmdb (every network, by iterating the reader),
IPDB_DIR/synthetic-domain.mmdb (the domain of each of those networks) and
IPDB_DIR/overrides.csv, and writes one CSV row per network:

    fam,start,end,network,company,isp,asn,domain,network_type,source

- fam is 4 or 6. For IPv4, start and end are the first and last address as
  integers. For IPv6 they are the first and last /64 (the upper 64 bits):
  every IPv6 network of the synthetic data is a /64 or wider, and a network
  narrower than /64 stops the export rather than being rounded.
- network_type is the peers' simple rule: "business" for a network that has
  a company domain (in the Domain database, or an override row without a
  network_type of its own) and "other" for everything else (clouds, ISPs).
  leadlake decides it from AS numbers, the Anonymous-IP flags and the
  overrides; this rule is only good enough for the synthetic data.
- An override row wins over an ISP network it overlaps (as in leadlake,
  where the override is the more specific source); any other overlap stops
  the export, since the peers' range lookups assume disjoint ranges.

This is preparation, outside the timed runs.
"""

import csv
import ipaddress
import sys

import maxminddb


def span(net):
    """(fam, start, end) of a network as the peers look it up."""
    if net.version == 4:
        return 4, int(net.network_address), int(net.broadcast_address)
    if net.prefixlen > 64:
        sys.exit(f"prepare_ranges: {net} is narrower than /64; the peers key IPv6 by /64")
    return 6, int(net.network_address) >> 64, int(net.broadcast_address) >> 64


def isp_rows(ipdb):
    domains = maxminddb.open_database(f"{ipdb}/synthetic-domain.mmdb")
    with maxminddb.open_database(f"{ipdb}/synthetic-isp.mmdb") as isp:
        for net, rec in isp:
            # the reader yields the IPv4 tree as IPv4 networks and skips its
            # IPv6 aliases (::ffff:0:0/96, 2002::/16)
            dom = (domains.get(net.network_address) or {}).get("domain")
            yield {
                "net": net,
                "company": rec.get("organization"),
                "isp": rec.get("isp"),
                "asn": rec.get("autonomous_system_number"),
                "domain": dom,
                "network_type": "business" if dom else "other",
                "source": "isp",
            }
    domains.close()


def override_rows(ipdb):
    with open(f"{ipdb}/overrides.csv", newline="") as f:
        for row in csv.DictReader(f):
            net = row["network"].strip()
            if "-" in net:
                sys.exit(f"prepare_ranges: override range {net} is not a network; add it by hand")
            yield {
                "net": ipaddress.ip_network(net, strict=False),
                "company": row.get("company") or None,
                "isp": None,
                "asn": None,
                "domain": row.get("domain") or None,
                "network_type": row.get("network_type") or "business",
                "source": "override",
            }


def main(ipdb, out):
    rows = {}
    for r in isp_rows(ipdb):
        rows[span(r["net"])] = r
    overrides = list(override_rows(ipdb))
    ordered = sorted(rows.items(), key=lambda kv: kv[0])
    kept = []
    for o in overrides:
        fam, lo, hi = span(o["net"])
        # drop ISP networks the override covers or sits inside
        ordered = [kv for kv in ordered if not (kv[0][0] == fam and kv[0][1] <= hi and lo <= kv[0][2])]
        kept.append(((fam, lo, hi), o))
    ordered = sorted(ordered + kept, key=lambda kv: kv[0])
    for (a, _), (b, _) in zip(ordered, ordered[1:]):
        if a[0] == b[0] and b[1] <= a[2]:
            sys.exit(f"prepare_ranges: ranges overlap: {a} and {b}")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["fam", "start", "end", "network", "company", "isp", "asn", "domain",
                    "network_type", "source"])
        for (fam, lo, hi), r in ordered:
            w.writerow([fam, lo, hi, str(r["net"]), r["company"], r["isp"], r["asn"],
                        r["domain"], r["network_type"], r["source"]])
    v4 = sum(1 for k, _ in ordered if k[0] == 4)
    print(f"prepare_ranges: {len(ordered)} ranges ({v4} IPv4, {len(ordered) - v4} IPv6; "
          f"{len(kept)} from overrides)", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
