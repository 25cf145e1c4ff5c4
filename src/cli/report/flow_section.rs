//! The stage flow: companies per stage at the end of each of the last 12
//! weeks (`weekly_funnel`), as stacked bars in inline SVG, with the
//! numbers in a table below.

use super::funnel::Flow;
use super::html::{Esc, count};
use super::style::stage_colour;
use std::fmt::{self, Write};

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 8.0;

pub fn write(out: &mut String, flow: &Flow) -> fmt::Result {
    if flow.weeks.is_empty() {
        return writeln!(
            out,
            "<section id=\"flow\"><h2>Stage flow</h2><p class=\"muted\">No company has a journey yet.</p></section>"
        );
    }
    writeln!(
        out,
        "<section id=\"flow\"><h2>Stage flow, last {} weeks</h2>",
        flow.weeks.len()
    )?;
    chart(out, flow)?;
    legend(out, flow)?;
    table(out, flow)?;
    writeln!(out, "</section>")
}

fn chart(out: &mut String, flow: &Flow) -> fmt::Result {
    let max = flow
        .weeks
        .iter()
        .map(|w| flow.total(*w))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let plot = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / flow.weeks.len() as f64;
    writeln!(
        out,
        "<svg id=\"flow-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-label=\"Companies per stage per week\" xmlns=\"http://www.w3.org/2000/svg\">"
    )?;
    for tick in [0.0, 0.5, 1.0] {
        let y = TOP + plot * (1.0 - tick);
        writeln!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#dde2e8\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 6.0,
            y + 4.0,
            count((max * tick).round() as i64)
        )?;
    }
    for (i, week) in flow.weeks.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let mut y = TOP + plot;
        for (s, stage) in flow.stages.iter().enumerate() {
            let n = flow.count(*week, stage);
            if n == 0 {
                continue;
            }
            let h = plot * n as f64 / max;
            y -= h;
            writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {} {}</title></rect>",
                slot * 0.7,
                stage_colour(s),
                week.format("%Y-%m-%d"),
                count(n),
                Esc(stage)
            )?;
        }
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + slot * 0.35,
            HEIGHT - 6.0,
            week.format("%b %d")
        )?;
    }
    writeln!(out, "</svg>")
}

fn legend(out: &mut String, flow: &Flow) -> fmt::Result {
    write!(out, "<ul class=\"legend\">")?;
    for (i, stage) in flow.stages.iter().enumerate() {
        write!(
            out,
            "<li><i style=\"background:{}\"></i>{}</li>",
            stage_colour(i),
            Esc(stage)
        )?;
    }
    writeln!(out, "</ul>")
}

fn table(out: &mut String, flow: &Flow) -> fmt::Result {
    write!(
        out,
        "<details><summary>The numbers</summary><table id=\"flow-table\"><thead><tr><th>Stage</th>"
    )?;
    for week in &flow.weeks {
        write!(out, "<th class=\"n\">{}</th>", week.format("%Y-%m-%d"))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for stage in &flow.stages {
        write!(
            out,
            "<tr data-stage=\"{0}\"><th scope=\"row\">{0}</th>",
            Esc(stage)
        )?;
        for week in &flow.weeks {
            write!(out, "<td class=\"n\">{}</td>", flow.count(*week, stage))?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></details>")
}
