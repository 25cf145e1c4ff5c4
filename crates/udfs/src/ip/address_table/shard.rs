//! A cache shard: the answers it knows, by text key and by address, each
//! an id per field into that field's table; and how it answers the keys it
//! does not know (resolving new addresses together).

use super::columns::FieldColumn;
use super::key::{key_ip, split};
use super::network::write_network;
use super::texts::Texts;
use super::{FIELDS, Field, Fx, NO_ANSWER, NONE};
use ipnet::IpNet;
use leadlake_ipdb::{Origin, ResolutionRef, Resolver};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// A borrowed answer text as `&str`.
fn text(s: Option<&Arc<str>>) -> Option<&str> {
    s.map(|s| &**s)
}

/// What every answer of one origin shares: the id of each text field's
/// value (the network's is the answer's own) and the AS number.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Record {
    pub(super) ids: [u32; FIELDS],
    pub(super) asn: Option<u32>,
}

/// One answer: its origin's [`Record`] and its network's id (8 bytes
/// rather than a whole record per address).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Answer {
    pub(super) origin: u32,
    pub(super) network: u32,
}

impl Answer {
    /// The id of `field`'s value in this answer.
    #[inline]
    pub(super) fn id(&self, origins: &[Record], field: Field) -> u32 {
        match field {
            Field::Network => self.network,
            _ => origins[self.origin as usize].ids[field as usize],
        }
    }
}

/// The answers of one shard, field by field (answer 0 is "no answer").
pub(super) struct Shard {
    /// Answer ids by short text (the key split in two halves, which keeps
    /// entries small).
    pub(super) known: HashMap<(u64, u64), u32, Fx>,
    /// Answer ids by address.
    v4: HashMap<u32, u32, Fx>,
    v6: HashMap<u128, u32, Fx>,
    pub(super) fields: [FieldColumn; FIELDS],
    /// Per answer, its origin and network.
    pub(super) of_answer: Vec<Answer>,
    /// Per origin, its record (origin 0, of answer 0: every field NULL).
    pub(super) origins: Vec<Record>,
    pub(super) texts: Texts,
    /// The origin of answers by what they were made of: every field but
    /// the network is the same for all addresses of one origin.
    by_origin: HashMap<Box<Origin>, u32, Fx>,
    /// The network field's id of each network (networks are many, so they
    /// are found by value rather than as text).
    networks: HashMap<IpNet, u32, Fx>,
    /// The network being added, as text.
    network: String,
}

impl Default for Shard {
    fn default() -> Self {
        Self {
            known: HashMap::default(),
            v4: HashMap::default(),
            v6: HashMap::default(),
            fields: std::array::from_fn(|_| FieldColumn::default()),
            of_answer: vec![Answer::default()],
            origins: vec![Record::default()],
            texts: Texts::new(),
            by_origin: HashMap::default(),
            networks: HashMap::default(),
            network: String::new(),
        }
    }
}

impl Shard {
    /// Answer the keys the table does not know (`missing`: their positions
    /// in `keys`, whose `ids` are filled in). A key for an address known
    /// under another spelling reuses its answer; the new addresses are
    /// resolved together, their database walks interleaved.
    #[cold]
    pub(super) fn resolve_misses(
        &mut self,
        keys: &[u128],
        v6: &[u128],
        missing: &[usize],
        ids: &mut [u32],
        resolver: &Resolver,
    ) {
        let mut unseen: Vec<IpAddr> = Vec::new();
        let mut position: HashMap<IpAddr, usize, Fx> = HashMap::default();
        // (row key position, index into `unseen`)
        let mut waiting: Vec<(usize, usize)> = Vec::new();
        for &j in missing {
            let key = keys[j];
            let id = match key_ip(key, v6) {
                None => NO_ANSWER,
                Some(ip) => match self.by_address(ip) {
                    Some(id) => id,
                    None => {
                        let next = unseen.len();
                        let u = *position.entry(ip).or_insert_with(|| {
                            unseen.push(ip);
                            next
                        });
                        waiting.push((j, u));
                        continue;
                    }
                },
            };
            ids[j] = id;
            self.remember(key, id);
        }
        if unseen.is_empty() {
            return;
        }
        let mut answers = vec![NO_ANSWER; unseen.len()];
        resolver
            .batch()
            .resolve_many_fresh(&unseen, |u, origin, r| answers[u] = self.add(origin, &r));
        for (ip, &id) in unseen.iter().zip(&answers) {
            match *ip {
                IpAddr::V4(a) => self.v4.insert(u32::from(a), id),
                IpAddr::V6(a) => self.v6.insert(u128::from(a), id),
            };
        }
        for (j, u) in waiting {
            ids[j] = answers[u];
            self.remember(keys[j], answers[u]);
        }
    }

    /// The answer id of an address already resolved.
    fn by_address(&self, ip: IpAddr) -> Option<u32> {
        match ip {
            IpAddr::V4(a) => self.v4.get(&u32::from(a)),
            IpAddr::V6(a) => self.v6.get(&u128::from(a)),
        }
        .copied()
    }

    /// Keep a text key's answer (addresses given as numbers are found
    /// through the address tables instead).
    fn remember(&mut self, key: u128, id: u32) {
        if key >> 120 <= 15 {
            self.known.insert(split(key), id);
        }
    }

    /// Store a new address's answer; returns the answer id.
    fn add(&mut self, origin: &Origin, r: &ResolutionRef<'_>) -> u32 {
        let origin = match self.by_origin.get(origin) {
            Some(&o) => o,
            None => {
                let ids = self.field_ids(r);
                let o = self.origins.len() as u32;
                self.origins.push(Record { ids, asn: r.asn });
                self.by_origin.insert(Box::from(origin), o);
                o
            }
        };
        debug_assert_eq!(
            self.origins[origin as usize].asn, r.asn,
            "one AS per origin"
        );
        let network = match r.network {
            None => NONE,
            Some(net) => match self.networks.get(&net) {
                Some(&id) => id,
                None => {
                    self.network.clear();
                    write_network(&mut self.network, net);
                    let string = self.texts.push(&self.network);
                    let column = &mut self.fields[Field::Network as usize];
                    let id = column.views.len() as u32;
                    column.views.push(self.texts.views[string as usize]);
                    self.networks.insert(net, id);
                    id
                }
            },
        };
        let id = self.of_answer.len() as u32;
        self.of_answer.push(Answer { origin, network });
        id
    }

    /// The field ids of an answer's texts, all but the network.
    fn field_ids(&mut self, r: &ResolutionRef<'_>) -> [u32; FIELDS] {
        let t = &mut self.texts;
        let values = [
            (Field::Company, text(r.company)),
            (Field::CompanyKey, text(r.company_key)),
            (Field::Domain, text(r.domain)),
            (Field::AsnOrg, text(r.asn_org)),
            (Field::Network, None),
            (Field::NetworkType, Some(r.network_type.as_str())),
            (Field::SourceCompany, text(r.sources.company)),
            (Field::SourceDomain, text(r.sources.domain)),
            (Field::SourceAsn, text(r.sources.asn)),
            (Field::SourceNetworkType, text(r.sources.network_type)),
            (Field::SourceWhy, r.sources.why.map(|w| w.as_str())),
        ];
        let mut ids = [0; FIELDS];
        for (field, value) in values {
            let id = t.intern_opt(value);
            ids[field as usize] = self.fields[field as usize].id(id, t);
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::isp_table;
    use super::*;
    use arrow::array::{Array, ArrayRef, AsArray, StringArray};
    use leadlake_ipdb::addr::parse_ip;

    /// One batch of new addresses, each several times and in several
    /// spellings (resolved together): every row gets the resolver's answer,
    /// and each address is resolved and stored once.
    #[test]
    fn a_batch_of_new_addresses_in_many_spellings_resolves_each_once() {
        let (resolver, table, addresses) = isp_table(40);
        let mut column: Vec<Option<String>> = Vec::new();
        for (i, a) in addresses.iter().enumerate() {
            column.push(Some(a.clone()));
            column.push(Some(format!(" {a} ")));
            column.push(None);
            column.push(Some(a.clone()));
            if i % 7 == 0 {
                column.push(Some(format!("{a}/x")));
            }
        }
        let array: ArrayRef = Arc::new(StringArray::from(column.clone()));
        let mut answers = table.answer(&array).expect("answer");
        let fields = [
            Field::Network,
            Field::Company,
            Field::NetworkType,
            Field::SourceNetworkType,
        ];
        let columns: Vec<ArrayRef> = answers
            .texts(&fields)
            .iter()
            .map(|c| arrow::compute::cast(c, &arrow::datatypes::DataType::Utf8).expect("cast"))
            .collect();
        for (row, text) in column.iter().enumerate() {
            let want = text
                .as_deref()
                .and_then(parse_ip)
                .map(|ip| resolver.resolve(ip));
            let want = [
                want.as_ref().and_then(|w| w.network.map(|n| n.to_string())),
                want.as_ref()
                    .and_then(|w| w.company.as_deref().map(str::to_string)),
                want.as_ref().map(|w| w.network_type.to_string()),
                want.as_ref()
                    .and_then(|w| w.sources.network_type.as_deref().map(str::to_string)),
            ];
            for ((field, got), want) in fields.iter().zip(&columns).zip(want) {
                let got = got.as_string::<i32>();
                let got = got.is_valid(row).then(|| got.value(row).to_string());
                assert_eq!(got, want, "{field:?} of row {row}: {text:?}");
            }
        }
        // answer 0 is "no answer"; then one per distinct address
        assert_eq!(answers.shard.of_answer.len(), addresses.len() + 1);
        assert_eq!(
            answers.shard.v4.len() + answers.shard.v6.len(),
            addresses.len()
        );
    }
}
