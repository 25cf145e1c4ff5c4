//! The canned queries (`queries/*.sql`) with the metadata of their header
//! comments (`-- @name`, `-- @description`, `-- @param`, `-- @columns`),
//! and the typed values of their parameters. The command and the Python
//! package both read them from here.

use datafusion::common::ScalarValue;

/// The SQL files of the canned queries, by name (the reports;
/// [`crate::JOURNEYS_SQL`], the table they read, is not one of them).
pub const CANNED: [(&str, &str); 7] = [
    (
        "company_leads",
        include_str!("../../../queries/company_leads.sql"),
    ),
    (
        "stage_changes",
        include_str!("../../../queries/stage_changes.sql"),
    ),
    (
        "churn_risk",
        include_str!("../../../queries/churn_risk.sql"),
    ),
    (
        "weekly_funnel",
        include_str!("../../../queries/weekly_funnel.sql"),
    ),
    (
        "version_adoption",
        include_str!("../../../queries/version_adoption.sql"),
    ),
    (
        "traffic_quality",
        include_str!("../../../queries/traffic_quality.sql"),
    ),
    (
        "crm_export",
        include_str!("../../../queries/crm_export.sql"),
    ),
];

/// A parameter value that does not parse as its declared type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);

/// A query header that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

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

    /// The type's name in a `-- @param` line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timestamp => "timestamp",
            Self::Int => "int",
            Self::Float => "float",
            Self::Text => "text",
        }
    }

    /// The value of `text` as this type, bound as a typed literal: a
    /// timestamp is a date (`YYYY-MM-DD`, midnight UTC) or an RFC 3339
    /// instant, as microseconds in UTC.
    ///
    /// # Errors
    /// [`ParamError`] naming the parameter and what was expected.
    pub fn value(self, name: &str, text: &str) -> Result<ScalarValue, ParamError> {
        let bad = |what: &str| ParamError(format!("{name}={text}: expected {what}"));
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
    ///
    /// # Errors
    /// [`QueryError`] for a `-- @param` line that cannot be read.
    pub fn parse(name: &str, sql: &str) -> Result<Self, QueryError> {
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
                        return Err(QueryError(format!(
                            "{name}: bad @param line '{line}' (expected: name type default|required description)"
                        )));
                    };
                    let kind = ParamType::parse(kind).ok_or_else(|| {
                        QueryError(format!(
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

/// Every canned query, in the order of [`CANNED`].
///
/// # Errors
/// [`QueryError`] when a header cannot be read (a bug in `queries/`).
pub fn canned() -> Result<Vec<Query>, QueryError> {
    CANNED.iter().map(|(n, sql)| Query::parse(n, sql)).collect()
}
