//! The canned queries (`queries/*.sql`), built into the binary, with the
//! metadata of their header comments.

use super::exec::CliError;
use datafusion::common::ScalarValue;

/// The SQL files, by name.
const FILES: [(&str, &str); 7] = [
    (
        "company_leads",
        include_str!("../../queries/company_leads.sql"),
    ),
    (
        "stage_changes",
        include_str!("../../queries/stage_changes.sql"),
    ),
    ("churn_risk", include_str!("../../queries/churn_risk.sql")),
    (
        "weekly_funnel",
        include_str!("../../queries/weekly_funnel.sql"),
    ),
    (
        "version_adoption",
        include_str!("../../queries/version_adoption.sql"),
    ),
    (
        "traffic_quality",
        include_str!("../../queries/traffic_quality.sql"),
    ),
    ("crm_export", include_str!("../../queries/crm_export.sql")),
];

/// A typed query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Timestamp,
    Int,
    Float,
    Text,
}

impl ParamType {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "timestamp" => Self::Timestamp,
            "int" => Self::Int,
            "float" => Self::Float,
            "text" => Self::Text,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timestamp => "timestamp",
            Self::Int => "int",
            Self::Float => "float",
            Self::Text => "text",
        }
    }

    /// The value of `text` as this type, bound as a typed literal.
    pub fn value(self, name: &str, text: &str) -> Result<ScalarValue, CliError> {
        let bad = |what: &str| CliError::Param(format!("{name}={text}: expected {what}"));
        Ok(match self {
            Self::Timestamp => {
                let t = text.trim();
                let at = if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                    d.and_hms_opt(0, 0, 0).map(|d| d.and_utc())
                } else {
                    chrono::DateTime::parse_from_rfc3339(t)
                        .ok()
                        .map(|d| d.with_timezone(&chrono::Utc))
                };
                let at = at.ok_or_else(|| bad("a date (YYYY-MM-DD) or an RFC 3339 timestamp"))?;
                ScalarValue::TimestampMicrosecond(Some(at.timestamp_micros()), Some("UTC".into()))
            }
            Self::Int => {
                ScalarValue::Int64(Some(text.trim().parse().map_err(|_| bad("an integer"))?))
            }
            Self::Float => {
                ScalarValue::Float64(Some(text.trim().parse().map_err(|_| bad("a number"))?))
            }
            Self::Text => ScalarValue::Utf8(Some(text.to_string())),
        })
    }
}

/// A parameter from a `-- @param name type default|required description` line.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub kind: ParamType,
    pub default: Option<String>,
    pub description: String,
}

/// A query with its header.
#[derive(Debug, Clone)]
pub struct Query {
    pub name: String,
    pub description: String,
    pub params: Vec<Param>,
    pub columns: String,
    pub sql: String,
}

impl Query {
    /// Read the header comments of `sql`; `name` when it has none.
    pub fn parse(name: &str, sql: &str) -> Result<Self, CliError> {
        let mut q = Query {
            name: name.to_string(),
            description: String::new(),
            params: Vec::new(),
            columns: String::new(),
            sql: sql.to_string(),
        };
        for line in sql.lines() {
            let Some(rest) = line.trim().strip_prefix("-- @") else {
                continue;
            };
            let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
            match key {
                "name" => q.name = value.trim().to_string(),
                "description" => q.description = value.trim().to_string(),
                "columns" => q.columns = value.trim().to_string(),
                "param" => {
                    let mut parts = value.trim().splitn(4, ' ');
                    let (Some(pname), Some(kind), Some(default)) =
                        (parts.next(), parts.next(), parts.next())
                    else {
                        return Err(CliError::Query(format!(
                            "{name}: bad @param line '{line}' (expected: name type default|required description)"
                        )));
                    };
                    let kind = ParamType::parse(kind).ok_or_else(|| {
                        CliError::Query(format!(
                            "{name}: @param {pname} has unknown type '{kind}' (timestamp, int, float or text)"
                        ))
                    })?;
                    q.params.push(Param {
                        name: pname.to_string(),
                        kind,
                        default: (default != "required").then(|| default.to_string()),
                        description: parts.next().unwrap_or_default().trim().to_string(),
                    });
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

/// Every canned query.
pub fn canned() -> Result<Vec<Query>, CliError> {
    FILES.iter().map(|(n, sql)| Query::parse(n, sql)).collect()
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
        return Query::parse(stem, &sql);
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
