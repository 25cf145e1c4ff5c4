//! The canned queries, as the library reads them, for the Python side.

use crate::errors::LeadlakeError;
use pyo3::prelude::*;

/// A parameter: `(name, type, default or None, description)`.
type Param = (String, &'static str, Option<String>, String);

/// A query: `(name, description, params, columns, sql)`.
type Query = (String, String, Vec<Param>, String, String);

/// Every canned query.
#[pyfunction]
pub fn canned_queries() -> PyResult<Vec<Query>> {
    let queries = leadlake::queries::canned().map_err(|e| LeadlakeError::new_err(e.to_string()))?;
    Ok(queries
        .into_iter()
        .map(|q| {
            let params = q
                .params
                .into_iter()
                .map(|p| (p.name, p.kind.as_str(), p.default, p.description))
                .collect();
            (q.name, q.description, params, q.columns, q.sql)
        })
        .collect())
}
