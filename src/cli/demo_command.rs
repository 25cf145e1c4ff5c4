//! `leadlake demo`: the demo lake's funnel as a terminal bar chart, then
//! the top leads of each stage; `--report FILE` writes its HTML report.

use super::print_format::PrintFormat;
use super::{DemoArgs, exec, report, run};
use crate::error::CliError;
use arrow::array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use std::io::Write;
use std::sync::Arc;

pub(super) async fn demo(args: DemoArgs) -> Result<(), CliError> {
    let dir = args.dir.unwrap_or_else(crate::demo::default_dir);
    if args.addresses {
        let config = crate::demo::ensure(&dir)?;
        eprintln!("demo data in {}", dir.display());
        let ctx = exec::session(&config, None).await?;
        return exec::run_sql(&ctx, &crate::demo::enrichment_sql(), args.format).await;
    }
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |p: leadlake_synth::Progress| {
        if tty {
            eprint!(
                "\rbuilding the demo lake (once): day {}/{}, {} events",
                p.day, p.days, p.events
            );
        }
    };
    let started = std::time::Instant::now();
    let (config, as_of) = crate::demo::ensure_lake(&dir, &mut progress)?;
    if tty {
        eprint!("\r\x1b[K");
    }
    eprintln!(
        "demo lake in {} ({:.1}s); scoring companies as of {as_of}",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    let as_of = as_of.to_string();
    let inputs = report::Inputs::new(&config, &as_of);
    let ctx = exec::session(&config, None).await?;
    run::compute_journeys(&ctx, &as_of, &[]).await?;
    let results = report::collect(&ctx, &as_of).await?;
    if let Some(target) = &args.report {
        report::write(target, &run::storage(&config), &results, &inputs).await?;
    }
    let answers = report::Answers::from_results(&results)?;
    let (schema, batch) = top_leads(&answers.leads, args.top)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |source| CliError::Io {
        context: "writing the output".into(),
        source,
    };
    // the chart is for people: csv and json stay one table
    if args.format == PrintFormat::Table {
        let chart = report::funnel_chart(&report::Flow::from_weeks(&answers.weeks));
        writeln!(out, "{chart}").map_err(io)?;
        let heading = match args.top {
            1 => "The best lead of each stage:".to_string(),
            n => format!("The best {n} leads of each stage:"),
        };
        writeln!(out, "{heading}").map_err(io)?;
    }
    args.format.print(&mut out, &schema, &[batch])?;
    out.flush().map_err(io)
}

/// The best `top` leads of each stage, in journey order, as one table:
/// company, domain, stage, score, why, action.
fn top_leads(leads: &[report::Lead], top: usize) -> Result<(Schema, RecordBatch), CliError> {
    let rows: Vec<&report::Lead> = report::top_by_stage(leads, top)
        .into_iter()
        .flat_map(|s| s.top)
        .collect();
    let text = |f: fn(&report::Lead) -> Option<&str>| -> ArrayRef {
        Arc::new(rows.iter().map(|l| f(l)).collect::<StringArray>())
    };
    let schema = Schema::new(vec![
        Field::new("company", DataType::Utf8, true),
        Field::new("domain", DataType::Utf8, true),
        Field::new("stage", DataType::Utf8, true),
        Field::new("score", DataType::Int64, true),
        Field::new("why", DataType::Utf8, true),
        Field::new("action", DataType::Utf8, true),
    ]);
    let batch = RecordBatch::try_new(
        Arc::new(schema.clone()),
        vec![
            text(|l| Some(&l.company)),
            text(|l| l.domain.as_deref()),
            text(|l| Some(&l.stage)),
            Arc::new(rows.iter().map(|l| l.score).collect::<Int64Array>()),
            text(|l| l.why.as_deref()),
            text(|l| l.action.as_deref()),
        ],
    )?;
    Ok((schema, batch))
}
