//! One opened `.mmdb` file.

use crate::DbKind;
use crate::error::{IpdbError, Result};
use crate::record::{DatabaseRecord, RawRecord};
use crate::tree::{Landing, SearchTree};
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
    reader: Reader<SharedMap>,
    /// The same bytes, for walking the search tree directly.
    map: Arc<Mmap>,
    tree: SearchTree,
}

/// A memory map shared by the reader and the tree walks.
struct SharedMap(Arc<Mmap>);

impl AsRef<[u8]> for SharedMap {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
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
        let invalid = |reason: String| IpdbError::InvalidDatabase {
            path: path.clone(),
            reason,
        };
        let map = Arc::new(map(&file).map_err(|e| invalid(e.to_string()))?);
        let reader =
            Reader::from_source(SharedMap(Arc::clone(&map))).map_err(|e| invalid(e.to_string()))?;
        let meta = reader.metadata();
        let tree = SearchTree::new(&map, meta.node_count, meta.record_size, meta.ip_version)
            .ok_or_else(|| {
                invalid(format!(
                    "a search tree of {} nodes of {} bits does not fit the file's {} bytes",
                    meta.node_count,
                    meta.record_size,
                    map.len()
                ))
            })?;
        // what a full walk (`ip_networks`) would trip over, checked here
        // once: a tree whose size the metadata misstates ends elsewhere
        // than at the 16 zero bytes before the data section
        check_layout(&map, meta.node_count, meta.record_size, meta.ip_version).map_err(invalid)?;
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
            map,
            tree,
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
    #[inline]
    pub(crate) fn locate(&self, ip: IpAddr) -> Option<Landing> {
        self.tree.locate(&self.map, ip)
    }

    /// [`Database::locate`] for many addresses at once, their walks
    /// interleaved; `out` gets one entry per address.
    pub(crate) fn locate_many(&self, ips: &[IpAddr], out: &mut Vec<Option<Landing>>) {
        self.tree.locate_many(&self.map, ips, out);
    }

    /// The network of an address's landing.
    pub(crate) fn network(&self, ip: IpAddr, landing: Landing) -> Option<IpNet> {
        self.tree.network(ip, landing)
    }

    /// Decode the record an address landed on. A record that does not
    /// decode (a corrupt data section) contributes nothing and is reported
    /// as `None`.
    pub(crate) fn decode(&self, ip: IpAddr, landing: Landing) -> Option<DatabaseRecord> {
        let result = self.reader.lookup(ip).ok()?;
        // the reader walks the same tree; a disagreement would mean a bug
        // in our walk, and the reader's answer is the one to trust
        debug_assert_eq!(result.offset(), Some(landing.offset));
        let raw: RawRecord<'_> = result.decode().ok()??;
        Some(raw.into_record(self.kind))
    }

    /// Look up and decode in one step (no caching).
    pub fn record(&self, ip: IpAddr) -> Option<(DatabaseRecord, Option<IpNet>)> {
        let landing = self.locate(ip)?;
        let record = self.decode(ip, landing)?;
        Some((record, self.network(ip, landing)))
    }

    /// Every network with data, with its record as JSON, in tree order.
    /// IPv4 networks are reported once, as IPv4 (aliases are skipped).
    ///
    /// # Errors
    /// [`IpdbError::InvalidDatabase`] when the tree cannot be walked.
    pub fn networks(&self) -> Result<Vec<(IpNet, DatabaseRecord, String)>> {
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
            out.push((net, raw.into_record(self.kind), json.to_string()));
        }
        Ok(out)
    }
}

/// The metadata agrees with the file: an IP version of 4 or 6, and the
/// data-section separator (16 zero bytes) right after the search tree.
/// [`SearchTree::new`] has already checked that both fit the file.
fn check_layout(
    buf: &[u8],
    node_count: u32,
    record_size: u16,
    ip_version: u16,
) -> std::result::Result<(), String> {
    if !matches!(ip_version, 4 | 6) {
        return Err(format!(
            "the metadata's ip_version is {ip_version}, not 4 or 6"
        ));
    }
    let start = node_count as usize * usize::from(record_size) / 4;
    let separator = buf.get(start..start + 16).unwrap_or_default();
    if separator.len() != 16 || separator.iter().any(|&b| b != 0) {
        return Err(format!(
            "the metadata's node_count ({node_count}) and record_size ({record_size}) \
             do not describe this file: no data-section separator after the search tree"
        ));
    }
    Ok(())
}

#[expect(
    unsafe_code,
    reason = "memory-mapping a file is unsafe in Rust; see SAFETY"
)]
fn map(file: &std::fs::File) -> std::result::Result<Mmap, maxminddb::MaxMindDbError> {
    // SAFETY: the map is read-only. Replacing a database file by rename (as
    // MaxMind's geoipupdate does) leaves this mapping intact; truncating it
    // in place while leadlake runs is unsupported, as documented in `docs/functions.md`.
    unsafe { Mmap::map(file) }.map_err(maxminddb::MaxMindDbError::Mmap)
}
