//! Every function's documented SQL example runs and prints what the
//! documentation says, against the MaxMind test databases.

use crate::support;
use datafusion::logical_expr::{Documentation, ScalarUDF};

/// A function's name, for messages.
struct Named(String);

impl Named {
    fn name(&self) -> &str {
        &self.0
    }
}
use std::sync::Arc;

/// (SQL, expected table) pairs from a documentation example block.
fn examples(doc: &str) -> Vec<(String, String)> {
    let body = doc
        .trim()
        .trim_start_matches("```sql")
        .trim_end_matches("```");
    let mut out: Vec<(String, String)> = Vec::new();
    for line in body.lines() {
        if let Some(sql) = line.strip_prefix("> ") {
            out.push((sql.trim().to_string(), String::new()));
        } else if let Some((_, table)) = out.last_mut()
            && !line.trim().is_empty()
        {
            table.push_str(line.trim_end());
            table.push('\n');
        }
    }
    out
}

#[tokio::test]
async fn every_sql_example_prints_what_it_documents() {
    let ctx = support::context();
    let table = Arc::new(leadlake::udfs::AddressTable::new(Arc::new(
        leadlake::ipdb::Resolver::open(support::config().ipdb).unwrap(),
    )));
    let funnel = Arc::new(leadlake::funnel::Funnel::default());
    let mut functions: Vec<(String, Option<&Documentation>)> = Vec::new();
    let scalars: Vec<Arc<ScalarUDF>> = leadlake::udfs::scalar_functions(&table, &funnel);
    let aggregates = leadlake::udfs::aggregate_functions(&funnel);
    let windows = leadlake::udfs::window_functions();
    functions.extend(
        scalars
            .iter()
            .map(|f| (f.name().to_string(), f.documentation())),
    );
    functions.extend(
        aggregates
            .iter()
            .map(|f| (f.name().to_string(), f.documentation())),
    );
    functions.extend(
        windows
            .iter()
            .map(|f| (f.name().to_string(), f.documentation())),
    );
    assert_eq!(functions.len(), 25);
    for (name, doc) in functions {
        let f = Named(name);
        let doc = doc.unwrap_or_else(|| panic!("{} has no documentation", f.name()));
        let example = doc
            .sql_example
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no example", f.name()));
        let cases = examples(example);
        assert!(
            !cases.is_empty(),
            "{}: no '> SQL' line in its example",
            f.name()
        );
        for (sql, expected) in cases {
            assert!(
                sql.contains(f.name()),
                "{}'s example does not call it: {sql}",
                f.name()
            );
            let batches = ctx.sql(&sql).await.unwrap().collect().await.unwrap();
            let actual = arrow::util::pretty::pretty_format_batches(&batches)
                .unwrap()
                .to_string();
            assert_eq!(
                actual.trim(),
                expected.trim(),
                "{}: example output differs for {sql}",
                f.name()
            );
        }
    }
}
