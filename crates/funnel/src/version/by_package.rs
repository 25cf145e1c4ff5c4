//! Which version scheme a package's versions are compared under: the
//! `[funnel] version_schemes` table (package name or glob → scheme), else
//! `[funnel] version_scheme`.
//!
//! Names match without regard to ASCII case (`Django` is `django`), and
//! `-`, `_` and `.` are the same character, as PyPI normalises names
//! (`zope.interface` is `zope-interface`). An exact name wins over any
//! glob; among globs (`*`, `?`, `[...]`, read by the `glob` crate, which
//! DataFusion already builds) the longest pattern wins, then the first in
//! name order, so the answer never depends on the order of the table.

use super::Scheme;
use std::collections::BTreeMap;

/// The compiled `version_schemes` table.
#[derive(Debug, Clone, Default)]
pub struct PackageSchemes {
    default: Scheme,
    /// Normalised exact names.
    exact: BTreeMap<String, Scheme>,
    /// Normalised patterns, longest first.
    globs: Vec<(glob::Pattern, Scheme)>,
}

/// A package name as compared: ASCII lower case, `_` and `.` as `-`.
fn normalise(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            '_' | '.' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn is_glob(name: &str) -> bool {
    name.contains(['*', '?', '['])
}

impl PackageSchemes {
    /// Compile `table` over `default`; the error names the bad pattern.
    pub fn new(default: Scheme, table: &BTreeMap<String, Scheme>) -> Result<Self, String> {
        let mut out = Self {
            default,
            ..Self::default()
        };
        for (name, scheme) in table {
            let key = normalise(name);
            if key.is_empty() {
                return Err("a package name is empty".into());
            }
            if is_glob(&key) {
                let p = glob::Pattern::new(&key)
                    .map_err(|e| format!("{name:?} is not a valid glob: {e}"))?;
                out.globs.push((p, *scheme));
            } else {
                out.exact.insert(key, *scheme);
            }
        }
        // stable: equal lengths keep the table's (name) order
        out.globs
            .sort_by_key(|(p, _)| std::cmp::Reverse(p.as_str().len()));
        Ok(out)
    }

    /// True when every package has the default scheme (no table).
    #[inline]
    pub fn is_uniform(&self) -> bool {
        self.exact.is_empty() && self.globs.is_empty()
    }

    /// The scheme when no package is known.
    #[inline]
    pub fn default_scheme(&self) -> Scheme {
        self.default
    }

    /// The scheme of `package`'s versions (the default for NULL or an
    /// unlisted package).
    pub fn scheme_for(&self, package: Option<&str>) -> Scheme {
        let Some(package) = package.filter(|_| !self.is_uniform()) else {
            return self.default;
        };
        let key = normalise(package);
        if let Some(s) = self.exact.get(&key) {
            return *s;
        }
        self.globs
            .iter()
            .find(|(p, _)| p.matches(&key))
            .map_or(self.default, |(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(&str, Scheme)]) -> PackageSchemes {
        let t = rows.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        PackageSchemes::new(Scheme::Auto, &t).unwrap()
    }

    #[test]
    fn exact_names_beat_globs_and_longer_globs_beat_shorter() {
        let t = table(&[
            ("*", Scheme::Semver),
            ("django*", Scheme::Pep440),
            ("django-rest-*", Scheme::Calver),
            ("django-rest-framework", Scheme::Maven),
        ]);
        assert_eq!(t.scheme_for(Some("Django")), Scheme::Pep440);
        assert_eq!(t.scheme_for(Some("django_rest.auth")), Scheme::Calver);
        assert_eq!(t.scheme_for(Some("Django_REST_framework")), Scheme::Maven);
        assert_eq!(t.scheme_for(Some("left-pad")), Scheme::Semver);
        assert_eq!(t.scheme_for(None), Scheme::Auto);
    }

    #[test]
    fn without_a_table_every_package_has_the_default() {
        let t = PackageSchemes::new(Scheme::Debian, &BTreeMap::new()).unwrap();
        assert!(t.is_uniform());
        assert_eq!(t.scheme_for(Some("anything")), Scheme::Debian);
    }

    #[test]
    fn npm_scopes_match_by_glob() {
        let t = table(&[("@acme/*", Scheme::Npm)]);
        assert_eq!(t.scheme_for(Some("@acme/widgets")), Scheme::Npm);
        assert_eq!(t.scheme_for(Some("@other/widgets")), Scheme::Auto);
    }

    #[test]
    fn bad_patterns_and_empty_names_are_errors() {
        let bad = [("[abc".to_string(), Scheme::Npm)].into_iter().collect();
        let e = PackageSchemes::new(Scheme::Auto, &bad).unwrap_err();
        assert!(e.contains("\"[abc\" is not a valid glob"), "{e}");
        let empty = [(" ".to_string(), Scheme::Npm)].into_iter().collect();
        assert!(PackageSchemes::new(Scheme::Auto, &empty).is_err());
    }
}
