//! The canned queries (`queries/*.sql`, read by the library:
//! `leadlake::queries`), by name, and `leadlake queries`.

use super::exec::CliError;

pub use leadlake::queries::{ParamType, Query};

/// Every canned query.
pub fn canned() -> Result<Vec<Query>, CliError> {
    Ok(leadlake::queries::canned()?)
}

/// A canned query by name, or a `.sql` file.
pub fn find(name_or_file: &str) -> Result<Query, CliError> {
    if name_or_file.ends_with(".sql") || name_or_file.contains('/') {
        let sql = std::fs::read_to_string(name_or_file).map_err(|source| CliError::Io {
            context: format!("reading {name_or_file}"),
            source,
        })?;
        let stem = std::path::Path::new(name_or_file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("query");
        return Ok(Query::parse(stem, &sql)?);
    }
    let all = canned()?;
    all.iter()
        .find(|q| q.name == name_or_file)
        .cloned()
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|q| q.name.as_str()).collect();
            CliError::Query(format!(
                "unknown query '{name_or_file}' (canned queries: {}; or give a .sql file)",
                names.join(", ")
            ))
        })
}

/// `leadlake queries`: names, descriptions, parameters, columns.
pub fn list() -> Result<String, CliError> {
    let mut out = String::new();
    for q in canned()? {
        out.push_str(&format!("{}\n    {}\n", q.name, q.description));
        for p in &q.params {
            out.push_str(&format!(
                "    --param {}=<{}>  {} ({})\n",
                p.name,
                p.kind.as_str(),
                p.description,
                p.default
                    .as_deref()
                    .map_or("required".to_string(), |d| format!("default {d}"))
            ));
        }
        out.push_str(&format!("    columns: {}\n\n", q.columns));
    }
    Ok(out)
}
