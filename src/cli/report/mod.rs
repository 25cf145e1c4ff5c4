//! `leadlake report`: one self-contained HTML page a person opens each
//! morning (the funnel, who moved, the best leads of each stage, the
//! waning, versions and traffic), drawn from the canned queries' answers
//! and nothing else. `run --all` writes it beside the query files, and
//! `leadlake demo` prints its funnel as a terminal chart (docs/report.md).

mod answers;
mod columns;
mod flow_section;
mod funnel;
mod funnel_section;
mod html;
mod inputs;
mod leads_section;
mod page;
mod style;
mod terminal;
mod usage_section;

pub use answers::{Answers, Lead, QUERIES, Results, top_by_stage};
pub use funnel::Flow;
pub use inputs::Inputs;
pub use page::render;
pub use terminal::funnel_chart;

use super::{exec, queries, run};
use crate::error::CliError;
use datafusion::prelude::SessionContext;
use leadlake::Config;
use std::collections::BTreeMap;

/// The report's name in `run --all`'s folder.
pub const FILE_NAME: &str = "report.html";

/// Run the report's queries ([`QUERIES`]) as of `as_of` over `ctx`,
/// where `journeys` is registered.
pub async fn collect(ctx: &SessionContext, as_of: &str) -> Result<Results, CliError> {
    let mut results = Results::new();
    for name in QUERIES {
        let query = queries::find(name)?;
        let params = run::bind(&query, as_of, &[])?;
        let (_, batches) = run::execute(ctx, &query, params, false).await?;
        results.insert(name.to_string(), batches);
    }
    Ok(results)
}

/// Render the report of `results` and write it to `target` (a file,
/// atomically, or an object-store URL, as one PUT); say where on stderr.
pub async fn write(
    target: &str,
    options: &BTreeMap<String, String>,
    results: &Results,
    inputs: &Inputs,
) -> Result<(), CliError> {
    let html = render(&Answers::from_results(results)?, inputs)?;
    let size = html.len();
    run::write_bytes_to(target, options, html.into_bytes()).await?;
    eprintln!(
        "report: {} KB -> {target} ({:.1}s)",
        size.div_ceil(1024),
        inputs.elapsed_secs()
    );
    Ok(())
}

/// `leadlake report`: compute `journeys` once, run the report's queries,
/// write the page to `output`.
pub async fn command(
    config: &Config,
    cluster: Option<&str>,
    as_of: Option<&str>,
    output: &str,
) -> Result<(), CliError> {
    if output.trim().is_empty() {
        return Err(CliError::Output(
            "--output is empty: give a file name or an object-store URL".into(),
        ));
    }
    run::check_inputs(config)?;
    let as_of = run::as_of_text(as_of);
    queries::ParamType::Timestamp.value("as_of", &as_of)?;
    let inputs = Inputs::new(config, &as_of);
    let ctx = exec::session(config, cluster).await?;
    run::compute_journeys(&ctx, &as_of, &[]).await?;
    let results = collect(&ctx, &as_of).await?;
    write(output, &run::storage(config), &results, &inputs).await
}
