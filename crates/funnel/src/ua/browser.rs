//! Web browsers: `Mozilla/…` agents that no crawler pattern matched.

use super::UaInfo;
use super::kinds::ClientKind;

/// Operating-system markers (lower case) in the order they are tried:
/// Android before Linux, iOS devices before Mac OS X.
const OS: &[(&str, &str)] = &[
    ("android", "android"),
    ("iphone", "ios"),
    ("ipad", "ios"),
    ("windows", "windows"),
    ("mac os x", "macos"),
    ("macintosh", "macos"),
    ("cros ", "chromeos"),
    ("linux", "linux"),
];

/// The engine token that names the browser's own version, most specific
/// first.
const VERSION_MARKERS: &[&str] = &["Edg/", "Firefox/", "Chrome/", "Version/"];

pub(super) fn parse(ua: &str) -> UaInfo {
    let lower = ua.to_ascii_lowercase();
    let os = OS
        .iter()
        .find(|(m, _)| lower.contains(m))
        .map(|(_, os)| (*os).to_string());
    let client_version = VERSION_MARKERS.iter().find_map(|marker| {
        let i = ua.find(marker)?;
        let v = &ua[i + marker.len()..];
        let end = v.find([' ', ';', ')']).unwrap_or(v.len());
        Some(v[..end].to_string())
    });
    UaInfo {
        client: Some("browser".into()),
        client_version,
        os,
        is_bot: Some(false),
        client_kind: Some(ClientKind::Browser),
        ..UaInfo::default()
    }
}
