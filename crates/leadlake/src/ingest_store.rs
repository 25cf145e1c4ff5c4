//! `leadlake ingest` into object storage: a [`Sink`] over any store the
//! lake can be read from (S3, GCS, Azure, HTTP/WebDAV), located and
//! authenticated exactly as a lake URL is ([`leadlake_lake::store::locate`]).
//!
//! A file is uploaded whole to a hidden temporary key in its day folder
//! (`date=2024-03-31/.ingest-<pid>-<n>.tmp`: not `.parquet`, so no lake
//! reader lists it), then copied to its final key and the temporary key
//! deleted: a reader sees a whole file or none. Memory stays what the
//! writer holds (one file at a time is uploaded), not the whole run.

use leadlake_ingest::{Sink, Staged};
use leadlake_lake::store::Location;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::runtime::Handle;

/// A lake in object storage.
pub struct ObjectStoreSink {
    store: Arc<dyn ObjectStore>,
    prefix: StorePath,
    display: String,
    runtime: Handle,
    next: u64,
}

impl std::fmt::Debug for ObjectStoreSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectStoreSink")
            .field("location", &self.display)
            .finish_non_exhaustive()
    }
}

fn io_err(e: object_store::Error) -> io::Error {
    match e {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, e),
        e => io::Error::other(e),
    }
}

impl ObjectStoreSink {
    /// A sink at `location`; its calls block on `runtime`, so call them
    /// from a thread that is not one of its workers (`spawn_blocking`).
    pub fn new(location: Location, runtime: Handle) -> Self {
        Self {
            store: location.store,
            prefix: location.prefix,
            display: location.display,
            runtime,
            next: 0,
        }
    }

    fn key(&self, rel: &str) -> StorePath {
        rel.split('/')
            .filter(|p| !p.is_empty())
            .fold(self.prefix.clone(), |k, part| k.join(part))
    }

    fn temp_name(&mut self) -> String {
        self.next += 1;
        format!(".ingest-{}-{}.tmp", std::process::id(), self.next)
    }
}

impl Sink for ObjectStoreSink {
    fn location(&self) -> PathBuf {
        PathBuf::from(&self.display)
    }

    fn check_writable(&mut self) -> io::Result<()> {
        let name = self.temp_name();
        let probe = self.key(&name);
        let store = Arc::clone(&self.store);
        self.runtime.block_on(async move {
            store
                .put(&probe, PutPayload::from_static(b"probe"))
                .await
                .map_err(io_err)?;
            store.delete(&probe).await.map_err(io_err)
        })
    }

    fn stage(&mut self, dir: &str, bytes: &[u8]) -> io::Result<Staged> {
        let token = self.temp_name();
        let key = self.key(&format!("{dir}/{token}"));
        let payload = PutPayload::from(bytes.to_vec());
        let store = Arc::clone(&self.store);
        self.runtime
            .block_on(async move { store.put(&key, payload).await.map_err(io_err) })?;
        Ok(Staged {
            dir: dir.to_string(),
            token,
        })
    }

    fn publish(&mut self, staged: &Staged, name: &str) -> io::Result<()> {
        let from = self.key(&format!("{}/{}", staged.dir, staged.token));
        let to = self.key(&format!("{}/{name}", staged.dir));
        let store = Arc::clone(&self.store);
        self.runtime.block_on(async move {
            store.copy(&from, &to).await.map_err(io_err)?;
            store.delete(&from).await.map_err(io_err)
        })
    }

    fn discard(&mut self, staged: &Staged) {
        let key = self.key(&format!("{}/{}", staged.dir, staged.token));
        let store = Arc::clone(&self.store);
        // best effort: a leftover temporary key is never read as data
        let _ = self
            .runtime
            .block_on(async move { store.delete(&key).await });
    }

    fn list(&mut self) -> io::Result<Vec<String>> {
        let store = Arc::clone(&self.store);
        let prefix = self.prefix.clone();
        let metas: Vec<object_store::ObjectMeta> = self.runtime.block_on(async move {
            use futures::TryStreamExt;
            store
                .list(Some(&prefix))
                .try_collect()
                .await
                .map_err(io_err)
        })?;
        let root: Vec<_> = self.prefix.parts().collect();
        let mut out: Vec<String> = metas
            .into_iter()
            .filter_map(|m| {
                let parts: Vec<_> = m.location.parts().collect();
                let rel = parts.get(root.len()..)?;
                let rel: Vec<&str> = rel.iter().map(|p| p.as_ref()).collect();
                let in_day = rel.len() == 2 && rel[0].starts_with("date=");
                (in_day && rel[1].ends_with(".parquet")).then(|| rel.join("/"))
            })
            .collect();
        out.sort();
        Ok(out)
    }

    fn remove(&mut self, rel: &str) -> io::Result<()> {
        let key = self.key(rel);
        let store = Arc::clone(&self.store);
        self.runtime
            .block_on(async move { store.delete(&key).await.map_err(io_err) })
    }
}

/// Where `leadlake ingest --out` writes: a local folder (a path or
/// `file://` URL; created if missing) or an object-store URL.
pub enum Output {
    Local(PathBuf),
    Store(Location),
}

impl Output {
    /// Read `out` as a lake location; object-store URLs take their
    /// credentials and endpoints from `storage` and the environment, as a
    /// lake URL does.
    ///
    /// # Errors
    /// [`crate::Error::Lake`] for a URL that names no usable store.
    pub fn parse(
        out: &str,
        storage: &std::collections::BTreeMap<String, String>,
    ) -> Result<Self, crate::Error> {
        match url::Url::parse(out) {
            Ok(u) if u.scheme() == "file" => u.to_file_path().map(Output::Local).map_err(|()| {
                crate::Error::Lake(leadlake_lake::LakeError::Url {
                    url: out.to_string(),
                    reason: "not a local path".into(),
                })
            }),
            // one letter is a Windows drive, not a scheme
            Ok(u) if u.scheme().len() > 1 => {
                Ok(Output::Store(leadlake_lake::store::locate(out, storage)?))
            }
            _ => Ok(Output::Local(PathBuf::from(out))),
        }
    }
}

/// Ingest `inputs` into `out` ([`leadlake_ingest::ingest`]) on a blocking
/// thread of the current Tokio runtime.
///
/// # Errors
/// [`crate::Error::Ingest`] naming the input or the output at fault.
pub async fn ingest_into(
    out: Output,
    inputs: Vec<leadlake_ingest::Input>,
    config: leadlake_ingest::IngestConfig,
    mut progress: impl FnMut(&leadlake_ingest::Progress<'_>) + Send + 'static,
) -> Result<leadlake_ingest::Report, crate::Error> {
    let runtime = Handle::current();
    let job = tokio::task::spawn_blocking(move || match out {
        Output::Local(path) => leadlake_ingest::ingest_dir(inputs, &path, &config, &mut progress),
        Output::Store(location) => {
            let mut sink = ObjectStoreSink::new(location, runtime);
            leadlake_ingest::ingest(inputs, &mut sink, &config, &mut progress)
        }
    });
    match job.await {
        Ok(result) => Ok(result?),
        Err(e) => Err(crate::Error::Io {
            context: "ingest".into(),
            source: io::Error::other(e),
        }),
    }
}
