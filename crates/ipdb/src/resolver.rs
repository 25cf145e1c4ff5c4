//! Layered resolution: overrides, then company databases, then ASN data.

use crate::cache::TwoGenCache;
use crate::config::IpdbConfig;
use crate::database::Database;
use crate::error::Result;
use crate::evidence::Evidence;
use crate::network_type::{NetworkType, is_cloud_asn};
use crate::overrides::{OverrideEntry, Overrides};
use crate::record::{DatabaseRecord, Ownership};
use crate::resolution::{Resolution, ResolutionRef};
use crate::tree::Landing;
use ipnet::IpNet;
use std::net::IpAddr;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

/// Fast, well-mixed hashing for cache keys (addresses, offsets, text).
pub type FastHash = foldhash::fast::RandomState;

static OVERRIDE: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("override"));
static BUILTIN: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("builtin"));

/// Resolves addresses against overrides and any number of databases.
///
/// Precedence, highest first: override ranges; GeoIP2-Enterprise; IPinfo
/// company; GeoIP2-ISP; GeoIP2-Domain; GeoLite2-ASN; IPinfo ASN. Each field
/// of the answer comes from the first source that has it, and
/// [`Resolution::sources`] says which. The network type is decided by the
/// first decisive signal in this order: override; Anonymous-IP flags;
/// declared user type (Enterprise `user_type`, IPinfo `type`); the built-in
/// cloud/CI ASN list (plus `extra_hosting_asns`); an education/government
/// domain or name; `connection_type`; then whose network it is: an ISP
/// record whose organisation differs from the ISP is a customer
/// (`business`); a network its organisation runs itself is `business` on
/// an `extra_business_asns` AS, `isp` on a built-in access AS (or
/// `extra_isp_asns`) or when its names or domain are an access provider's
/// (see [`crate::access`]), and `business` otherwise; an ISP record with
/// no organisation is `isp`. Without any signal it is `unknown`. The
/// deciding signal is [`Sources::why`](crate::Sources::why).
pub struct Resolver {
    config: IpdbConfig,
    overrides: Option<Overrides>,
    databases: Vec<Database>,
    caches: Mutex<Caches>,
}

/// Decoded records, per database, by data offset (many networks share
/// one). Answers are not cached here: callers keep their own.
struct Caches {
    records: Vec<TwoGenCache<usize, Arc<DatabaseRecord>, FastHash>>,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("config", &self.config)
            .field("databases", &self.databases)
            .finish_non_exhaustive()
    }
}

impl Resolver {
    /// Open every database and the override file named by the configuration.
    ///
    /// # Errors
    /// The first database or override file that cannot be used, named.
    pub fn open(config: IpdbConfig) -> Result<Self> {
        let overrides = config
            .overrides
            .as_ref()
            .map(Overrides::from_csv)
            .transpose()?;
        Self::open_with_overrides(config, overrides)
    }

    /// Like [`Resolver::open`], with override ranges loaded by the caller
    /// (for example from Parquet); `config.overrides` is not read.
    ///
    /// # Errors
    /// The first database that cannot be used, named.
    pub fn open_with_overrides(config: IpdbConfig, overrides: Option<Overrides>) -> Result<Self> {
        let mut databases = config
            .databases
            .iter()
            .map(Database::open)
            .collect::<Result<Vec<_>>>()?;
        databases.sort_by_key(|db| db.kind().precedence());
        let cap = config.cache_capacity.max(2);
        let caches = Caches {
            records: databases.iter().map(|_| TwoGenCache::new(cap)).collect(),
        };
        Ok(Self {
            config,
            overrides,
            databases,
            caches: Mutex::new(caches),
        })
    }

    /// The configuration this resolver was built from.
    pub fn config(&self) -> &IpdbConfig {
        &self.config
    }

    /// The opened databases, in precedence order.
    pub fn databases(&self) -> &[Database] {
        &self.databases
    }

    /// Resolve one address without touching any cache.
    pub fn resolve(&self, ip: IpAddr) -> Resolution {
        let ip = crate::addr::canonical(ip);
        let found: Vec<(&Arc<str>, DatabaseRecord, Option<IpNet>)> = self
            .databases
            .iter()
            .filter_map(|db| db.record(ip).map(|(f, n)| (db.label(), f, n)))
            .collect();
        let entry = self.overrides.as_ref().and_then(|t| t.lookup(ip));
        self.combine(entry, found.iter().map(|(l, f, n)| (*l, f, n.as_ref())))
            .to_owned()
    }

    /// A handle that resolves many addresses under one lock of the caches:
    /// use one per batch.
    pub fn batch(&self) -> BatchResolver<'_> {
        BatchResolver {
            resolver: self,
            caches: self.caches.lock().unwrap_or_else(|e| e.into_inner()),
            found: Vec::with_capacity(self.databases.len()),
            origin: Vec::with_capacity(self.databases.len() + 1),
            canon: Vec::new(),
            landings: Vec::new(),
        }
    }

    fn is_hosting_asn(&self, asn: u32) -> bool {
        is_cloud_asn(asn) || self.config.extra_hosting_asns.contains(&asn)
    }

    /// Whose network this is, from the first record's [`Ownership`] and
    /// the AS lists; `None` when nothing says.
    fn owner(
        &self,
        ownership: Option<Ownership>,
        asn: Option<u32>,
        domain_access: bool,
    ) -> Option<(NetworkType, Evidence)> {
        let business = asn.is_some_and(|a| self.config.extra_business_asns.contains(&a));
        let access = asn.is_some_and(|a| {
            crate::access::is_access_asn(a) || self.config.extra_isp_asns.contains(&a)
        });
        Some(match ownership {
            Some(Ownership::Customer) => (NetworkType::Business, Evidence::IspCustomer),
            _ if business => (NetworkType::Business, Evidence::BusinessAsn),
            _ if access => (NetworkType::Isp, Evidence::AccessAsn),
            Some(Ownership::Own { access: Some(e) }) => (NetworkType::Isp, e),
            Some(Ownership::Own { access: None }) if domain_access => {
                (NetworkType::Isp, Evidence::AccessDomain)
            }
            Some(Ownership::Own { access: None }) => (NetworkType::Business, Evidence::OwnNetwork),
            Some(Ownership::IspOnly) => (NetworkType::Isp, Evidence::IspRecord),
            None => return None,
        })
    }

    fn combine<'a>(
        &'a self,
        entry: Option<&'a OverrideEntry>,
        layers: impl Iterator<Item = (&'a Arc<str>, &'a DatabaseRecord, Option<&'a IpNet>)>,
    ) -> ResolutionRef<'a> {
        let mut r = ResolutionRef::default();
        // networks by reference until the end: moving the 18-byte values
        // through these options stalled on partial stores
        let mut decided: Option<(NetworkType, Evidence, &Arc<str>, Option<&IpNet>)> = None;
        let mut company_net = None;
        // education/government judged from the chosen domain and name
        let mut domain_institution = None;
        let mut domain_access = false;
        let mut name_institution = None;
        let mut domain_net = None;
        let mut asn_net = None;

        if let Some(o) = entry {
            let src = Some(&*OVERRIDE);
            r.company = o.company.as_ref();
            r.company_key = o.company_key.as_ref();
            r.domain = o.domain.as_ref();
            r.network = Some(o.network);
            r.sources.company = r.company.and(src);
            r.sources.domain = r.domain.and(src);
            decided = Some((
                o.network_type,
                Evidence::Override,
                &*OVERRIDE,
                Some(&o.network),
            ));
        }

        // Signals in decreasing strength: anonymity, declared, connection, ownership.
        let mut anonymity = None;
        let mut declared = None;
        let mut connection = None;
        let mut ownership = None;

        // an override speaks for its organisation alone: what the
        // databases name for its range is someone else (its ISP)
        let named = entry.is_some();
        for (label, record, net) in layers {
            if !named
                && r.company.is_none()
                && let Some(c) = &record.company
            {
                r.company = Some(c);
                r.company_key = record.company_key.as_ref();
                r.sources.company = Some(label);
                company_net = net;
                name_institution = record.name_institution;
            }
            // a lower layer's domain only when it names no other company
            if !named
                && r.domain.is_none()
                && let Some(d) = &record.domain
                && (record.company_key.is_none() || record.company_key.as_ref() == r.company_key)
            {
                r.domain = Some(d);
                r.sources.domain = Some(label);
                domain_net = net;
                domain_institution = record.domain_institution;
                domain_access = record.domain_access;
            }
            if r.asn.is_none()
                && let Some(a) = record.asn
            {
                r.asn = Some(a);
                r.sources.asn = Some(label);
                asn_net = net;
            }
            if r.asn_org.is_none() {
                r.asn_org = record.asn_org.as_ref();
            }
            let sig = |t: Option<NetworkType>, why| t.map(|t| (t, why, label, net));
            anonymity = anonymity.or_else(|| sig(record.anonymity, Evidence::AnonymousIp));
            declared = declared.or_else(|| sig(record.declared_type, Evidence::DeclaredType));
            connection = connection.or_else(|| sig(record.connection, Evidence::ConnectionType));
            ownership = ownership.or_else(|| record.ownership.map(|o| (o, label, net)));
        }
        // a company known by its domain alone groups under the domain
        r.company_key = r.company_key.or(r.domain);
        let located = company_net.or(domain_net).or(asn_net);

        let decided = decided
            .or(anonymity)
            .or(declared)
            .or_else(|| {
                r.asn.filter(|&a| self.is_hosting_asn(a)).map(|_| {
                    (
                        NetworkType::Hosting,
                        Evidence::HostingAsn,
                        &*BUILTIN,
                        asn_net,
                    )
                })
            })
            .or_else(|| {
                let src = || r.sources.domain.or(r.sources.company);
                match (domain_institution, name_institution) {
                    (Some(t), _) => Some((t, Evidence::InstitutionDomain, src()?, located)),
                    (None, Some(t)) => Some((t, Evidence::InstitutionName, src()?, located)),
                    (None, None) => None,
                }
            })
            .or(connection)
            .or_else(|| {
                let (t, why) = self.owner(ownership.map(|o| o.0), r.asn, domain_access)?;
                match ownership {
                    // the AS lists decide: they are built in (or configured)
                    _ if matches!(why, Evidence::AccessAsn | Evidence::BusinessAsn) => {
                        Some((t, why, &*BUILTIN, asn_net))
                    }
                    Some((_, label, net)) => Some((t, why, label, net)),
                    None => None,
                }
            });
        if let Some((t, why, src, net)) = decided {
            r.network_type = t;
            r.sources.network_type = Some(src);
            r.sources.why = Some(why);
            r.network = r.network.or(located.or(net).copied());
        } else {
            r.network = r.network.or(located.copied());
        }
        r
    }
}

/// What an answer was made of: per database with a record for the
/// address, its index and the record's offset, and the override entry if
/// one matched (as `usize::MAX` and the entry's identity). Answers of the
/// same origin agree in every field but the network, so callers may keep
/// the work done for one origin.
pub type Origin = [(usize, usize)];

/// Resolves many addresses with the caches locked once. Obtained from
/// [`Resolver::batch`]; drop it to let other threads use the caches.
pub struct BatchResolver<'a> {
    resolver: &'a Resolver,
    caches: MutexGuard<'a, Caches>,
    /// Per database with a record for the address being resolved: its
    /// index, the record's offset and the network (kept between calls).
    found: Vec<(usize, usize, Option<IpNet>)>,
    /// The [`Origin`] of the answer being made.
    origin: Vec<(usize, usize)>,
    /// Buffers of [`BatchResolver::resolve_many_fresh`], kept between calls.
    canon: Vec<IpAddr>,
    landings: Vec<Vec<Option<Landing>>>,
}

impl BatchResolver<'_> {
    /// Resolve one address for a caller that keeps answers itself, with the
    /// answer's texts borrowed from the decoded records (valid until the
    /// next call): no reference counting per text. Decoded records are
    /// cached, since many networks share one.
    pub fn resolve_fresh_ref(&mut self, ip: IpAddr) -> ResolutionRef<'_> {
        let ip = crate::addr::canonical(ip);
        self.answer(ip, |_, db| db.locate(ip)).1
    }

    /// Resolve many addresses, as [`BatchResolver::resolve_fresh_ref`] does
    /// one: `each` is
    /// called with every address's position in `ips`, the [`Origin`] of
    /// its answer and the answer, in order. The database walks of the addresses are interleaved, which
    /// overlaps their memory reads: for addresses not seen before this is
    /// several times faster than resolving them one by one.
    pub fn resolve_many_fresh(
        &mut self,
        ips: &[IpAddr],
        mut each: impl FnMut(usize, &Origin, ResolutionRef<'_>),
    ) {
        let mut canon = std::mem::take(&mut self.canon);
        let mut landings = std::mem::take(&mut self.landings);
        canon.clear();
        canon.extend(ips.iter().map(|&ip| crate::addr::canonical(ip)));
        landings.resize_with(self.resolver.databases.len(), Vec::new);
        for (db, out) in self.resolver.databases.iter().zip(landings.iter_mut()) {
            db.locate_many(&canon, out);
        }
        for (k, &ip) in canon.iter().enumerate() {
            let (origin, answer) = self.answer(ip, |i, _| landings[i][k]);
            each(k, origin, answer);
        }
        self.canon = canon;
        self.landings = landings;
    }

    /// Combine the records an address landed on in each database (`landing`
    /// says where, per database index), decoding and caching records not
    /// seen before.
    fn answer(
        &mut self,
        ip: IpAddr,
        landing: impl Fn(usize, &Database) -> Option<Landing>,
    ) -> (&Origin, ResolutionRef<'_>) {
        let resolver = self.resolver;
        let caches = &mut *self.caches;
        let origin = &mut self.origin;
        origin.clear();
        // First make sure every database's record for `ip` is decoded and
        // cached, noting where it is; then borrow them all.
        let found = &mut self.found;
        found.clear();
        for (i, (db, records)) in resolver
            .databases
            .iter()
            .zip(caches.records.iter_mut())
            .enumerate()
        {
            let Some(landing) = landing(i, db) else {
                continue;
            };
            if !records.touch(&landing.offset) {
                let Some(f) = db.decode(ip, landing) else {
                    continue;
                };
                records.insert(landing.offset, Arc::new(f));
            }
            found.push((i, landing.offset, db.network(ip, landing)));
            origin.push((i, landing.offset));
        }
        let entry = resolver.overrides.as_ref().and_then(|t| t.lookup(ip));
        if let Some(e) = entry {
            // entries never move while the resolver lives
            origin.push((usize::MAX, std::ptr::from_ref(e) as usize));
        }
        let caches = &*self.caches;
        let layers = self.found.iter().filter_map(move |(i, offset, net)| {
            let record = caches.records[*i].peek(offset)?;
            Some((resolver.databases[*i].label(), &**record, net.as_ref()))
        });
        (&self.origin, resolver.combine(entry, layers))
    }
}
