//! One opened `.mmdb` file.

use crate::DbKind;
use crate::error::{IpdbError, Result};
use crate::record::{Facts, RawRecord};
use ipnet::IpNet;
use maxminddb::{Mmap, Reader};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An opened, memory-mapped MaxMind-format database whose kind is known.
pub struct Database {
    path: PathBuf,
    kind: DbKind,
    label: Arc<str>,
    reader: Reader<Mmap>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("database_type", &self.label)
            .finish_non_exhaustive()
    }
}

/// Where an address landed in a database: the record's offset (a cache key
/// shared by every address of the network) and the network itself.
pub(crate) struct Hit<'a> {
    pub offset: usize,
    pub network: Option<IpNet>,
    pub result: maxminddb::LookupResult<'a, Mmap>,
}

impl Database {
    /// Open and memory-map a database, checking its format and kind.
    ///
    /// # Errors
    /// [`IpdbError::Io`] when the file cannot be read, [`IpdbError::InvalidDatabase`]
    /// when it is not a MaxMind DB (or is truncated), and
    /// [`IpdbError::UnsupportedDatabase`] for kinds without company data
    /// (City, Country, ...).
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file = std::fs::File::open(&path).map_err(|source| IpdbError::Io {
            path: path.clone(),
            source,
        })?;
        let meta = file.metadata().map_err(|source| IpdbError::Io {
            path: path.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Err(IpdbError::InvalidDatabase {
                path,
                reason: "not a regular file".into(),
            });
        }
        if meta.len() == 0 {
            return Err(IpdbError::InvalidDatabase {
                path,
                reason: "the file is empty".into(),
            });
        }
        let reader =
            map(&file)
                .and_then(Reader::from_source)
                .map_err(|e| IpdbError::InvalidDatabase {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
        let database_type = reader.metadata().database_type.clone();
        let Some(kind) = DbKind::detect(&database_type) else {
            return Err(IpdbError::UnsupportedDatabase {
                path,
                database_type,
            });
        };
        Ok(Self {
            path,
            kind,
            label: Arc::from(database_type),
            reader,
        })
    }

    /// The file this database was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The detected kind.
    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// The metadata's `database_type`, used as the source label of answers.
    pub fn label(&self) -> &Arc<str> {
        &self.label
    }

    /// The build time recorded in the file (seconds since the epoch).
    pub fn build_epoch(&self) -> u64 {
        self.reader.metadata().build_epoch
    }

    /// Find the record for an address; `None` when the database has no data
    /// for it (or cannot hold it, like IPv6 in an IPv4-only file).
    pub(crate) fn locate(&self, ip: IpAddr) -> Option<Hit<'_>> {
        let result = self.reader.lookup(ip).ok()?;
        let offset = result.offset()?;
        let network = result
            .network()
            .ok()
            .and_then(|n| IpNet::new(n.network(), n.prefix()).ok());
        Some(Hit {
            offset,
            network,
            result,
        })
    }

    /// Decode a located record. A record that does not decode (a corrupt
    /// data section) contributes nothing and is reported as `None`.
    pub(crate) fn decode(&self, hit: &Hit<'_>) -> Option<Facts> {
        let raw: RawRecord<'_> = hit.result.decode().ok()??;
        Some(raw.into_facts(self.kind))
    }

    /// Look up and decode in one step (no caching).
    pub fn facts(&self, ip: IpAddr) -> Option<(Facts, Option<IpNet>)> {
        let hit = self.locate(ip)?;
        let facts = self.decode(&hit)?;
        Some((facts, hit.network))
    }

    /// Every network with data, with its record as JSON, in tree order.
    /// IPv4 networks are reported once, as IPv4 (aliases are skipped).
    ///
    /// # Errors
    /// [`IpdbError::InvalidDatabase`] when the tree cannot be walked.
    pub fn networks(&self) -> Result<Vec<(IpNet, Facts, String)>> {
        let invalid = |e: maxminddb::MaxMindDbError| IpdbError::InvalidDatabase {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        let mut out = Vec::new();
        for item in self.reader.networks(Default::default()).map_err(invalid)? {
            let item = item.map_err(invalid)?;
            let network = item.network().map_err(invalid)?;
            let Ok(net) = IpNet::new(network.network(), network.prefix()) else {
                continue;
            };
            let net = crate::addr::canonical_net(net);
            let json: serde_json::Value = item.decode().map_err(invalid)?.unwrap_or_default();
            let raw: RawRecord<'_> = item.decode().map_err(invalid)?.unwrap_or_default();
            out.push((net, raw.into_facts(self.kind), json.to_string()));
        }
        Ok(out)
    }
}

#[allow(unsafe_code)]
fn map(file: &std::fs::File) -> std::result::Result<Mmap, maxminddb::MaxMindDbError> {
    // SAFETY: the map is read-only. Replacing a database file by rename (as
    // MaxMind's geoipupdate does) leaves this mapping intact; truncating it
    // in place while leadlake runs is unsupported, as documented in the README.
    unsafe { Mmap::map(file) }.map_err(maxminddb::MaxMindDbError::Mmap)
}
