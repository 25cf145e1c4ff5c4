//! The whole page: one self-contained HTML file (inline CSS and SVG, no
//! script, nothing fetched), readable offline and as a CI artifact. Its
//! Content-Security-Policy forbids scripts and any request, so even text
//! that escaped escaping could not run.

use super::answers::Answers;
use super::funnel::Flow;
use super::html::{Esc, count, day};
use super::inputs::Inputs;
use super::style::CSS;
use super::{flow_section, funnel_section, inputs, leads_section, usage_section};
use crate::error::CliError;
use std::fmt::{self, Write};

/// The policy: nothing but the page's own inline style and data: images.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// The report as HTML.
pub fn render(answers: &Answers, inputs: &Inputs) -> Result<String, CliError> {
    let mut out = String::with_capacity(64 * 1024);
    page(&mut out, answers, inputs)
        .map_err(|_| CliError::Output("report: formatting the page failed".into()))?;
    Ok(out)
}

fn page(out: &mut String, answers: &Answers, inputs: &Inputs) -> fmt::Result {
    let flow = Flow::from_weeks(&answers.weeks);
    let date = flow
        .last_week()
        .map_or_else(|| inputs.as_of.clone(), |w| day(Some(w)));
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"leadlake {}\">\n\
         <title>Leads as of {}</title>\n<style>\n{CSS}</style></head>\n<body><main>",
        env!("CARGO_PKG_VERSION"),
        Esc(&date)
    )?;
    writeln!(
        out,
        "<header><h1>Leads as of {}</h1><p class=\"muted\">{} leads, {} waning, {} changed stage. Made by leadlake from its canned queries.</p></header>",
        Esc(&date),
        count(answers.leads.len() as i64),
        count(answers.waning.len() as i64),
        count(answers.moves.len() as i64)
    )?;
    let names = answers.names();
    funnel_section::write(out, &date, &flow, &answers.moves, &names)?;
    flow_section::write(out, &flow)?;
    leads_section::write(out, &answers.leads, &answers.waning, &names)?;
    usage_section::write(out, &answers.versions, &answers.traffic)?;
    inputs::write(out, inputs)?;
    writeln!(out, "</main></body></html>")
}
