//! Package and version from an artifact's file name, by each ecosystem's
//! naming rule:
//!
//! | ecosystem | form |
//! |---|---|
//! | Python wheel | `name-ver(-build)?-py-abi-plat.whl` |
//! | Debian | `name_ver_arch.deb` |
//! | RPM | `name-ver-rel.arch.rpm` (version is `ver`) |
//! | NuGet | `Name.ver.nupkg` |
//! | RubyGems | `name-ver(-platform)?.gem` |
//! | sdist, npm, jar, crate, others | `name-ver.ext` (`.tar.gz`, `.tgz`, `.zip`, `.jar`, `.crate`, ...) |
//!
//! In the `name-ver` forms the version starts at the first `-` followed by
//! a digit (names like `foo-bar` keep their dashes; a name with a dash
//! before a digit, `foo-2fa-1.0`, splits early: no rule can tell).

/// What a file name says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Artifact<'a> {
    pub package: &'a str,
    pub version: &'a str,
}

const COMPOUND: [&str; 5] = [".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tar.lz"];

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

/// Split `name-ver` at the first separator followed by a digit.
fn split_at_version(stem: &str, sep: u8) -> Option<(&str, &str)> {
    let b = stem.as_bytes();
    let i = (1..b.len()).find(|&i| b[i - 1] == sep && b[i].is_ascii_digit())?;
    Some((&stem[..i - 1], &stem[i..]))
}

fn nonempty<'a>(package: &'a str, version: &'a str) -> Option<Artifact<'a>> {
    (!package.is_empty() && !version.is_empty()).then_some(Artifact { package, version })
}

/// Package and version of a file name (the last path segment), or `None`
/// when the name follows no rule.
pub fn parse(file_name: &str) -> Option<Artifact<'_>> {
    if let Some(stem) = strip_suffix_ci(file_name, ".whl") {
        let mut parts = stem.split('-');
        let (name, ver) = (parts.next()?, parts.next()?);
        return (parts.count() >= 3).then(|| nonempty(name, ver)).flatten();
    }
    if let Some(stem) = strip_suffix_ci(file_name, ".deb") {
        let mut parts = stem.split('_');
        return nonempty(parts.next()?, parts.next()?);
    }
    if let Some(stem) = strip_suffix_ci(file_name, ".rpm") {
        let (nvr, _arch) = stem.rsplit_once('.')?;
        let (nv, _release) = nvr.rsplit_once('-')?;
        let (name, ver) = nv.rsplit_once('-')?;
        return nonempty(name, ver);
    }
    if let Some(stem) = strip_suffix_ci(file_name, ".nupkg") {
        let (name, ver) = split_at_version(stem, b'.')?;
        return nonempty(name, ver);
    }
    if let Some(stem) = strip_suffix_ci(file_name, ".gem") {
        let (name, rest) = split_at_version(stem, b'-')?;
        return nonempty(name, rest.split('-').next().unwrap_or(rest));
    }
    let stem = COMPOUND
        .iter()
        .find_map(|ext| strip_suffix_ci(file_name, ext))
        .or_else(|| file_name.rsplit_once('.').map(|(stem, _)| stem))?;
    let (name, ver) = split_at_version(stem, b'-')?;
    nonempty(name, ver)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pv(f: &str) -> Option<(&str, &str)> {
        parse(f).map(|a| (a.package, a.version))
    }

    #[test]
    fn rules() {
        assert_eq!(
            pv("leadlake_py-1.2.0-py3-none-any.whl"),
            Some(("leadlake_py", "1.2.0"))
        );
        assert_eq!(
            pv("numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.whl"),
            Some(("numpy", "1.26.4"))
        );
        assert_eq!(pv("pkg-1.0.whl"), None);
        assert_eq!(pv("my-pkg-1.2.3.tar.gz"), Some(("my-pkg", "1.2.3")));
        assert_eq!(
            pv("leadlake_1.2.0-1_amd64.deb"),
            Some(("leadlake", "1.2.0-1"))
        );
        assert_eq!(
            pv("leadlake-1.2.0-1.el9.x86_64.rpm"),
            Some(("leadlake", "1.2.0"))
        );
        assert_eq!(pv("left-pad-1.3.0.tgz"), Some(("left-pad", "1.3.0")));
        assert_eq!(
            pv("commons-lang3-3.14.0.jar"),
            Some(("commons-lang3", "3.14.0"))
        );
        assert_eq!(pv("serde-1.0.200.crate"), Some(("serde", "1.0.200")));
        assert_eq!(
            pv("nokogiri-1.16.0-x86_64-linux.gem"),
            Some(("nokogiri", "1.16.0"))
        );
        assert_eq!(
            pv("Newtonsoft.Json.13.0.3.nupkg"),
            Some(("Newtonsoft.Json", "13.0.3"))
        );
        assert_eq!(pv("tool-2.0.0.ZIP"), Some(("tool", "2.0.0")));
        assert_eq!(pv("README"), None);
        assert_eq!(pv("-1.0.tar.gz"), None);
        assert_eq!(pv(".rpm"), None);
    }
}
