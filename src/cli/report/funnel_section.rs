//! The funnel section: companies per stage as of the date, the change
//! since a week before (`weekly_funnel`), and who moved (`stage_changes`).

use super::answers::{Move, Names, name_of};
use super::funnel::{Flow, StageCount};
use super::html::{Esc, change, count, day, opt};
use super::style::stage_colour;
use std::collections::BTreeMap;
use std::fmt::{self, Write};

/// At most this many moves are listed; the section says how many more.
pub const MOVES_SHOWN: usize = 50;

/// `date` is the evaluation date as the page heads it.
pub fn write(
    out: &mut String,
    date: &str,
    flow: &Flow,
    moves: &[Move],
    names: &Names<'_>,
) -> fmt::Result {
    let funnel = flow.funnel();
    let max = funnel.iter().map(|s| s.now).max().unwrap_or(0).max(1);
    let total: i64 = funnel.iter().map(|s| s.now).sum();
    let before: i64 = funnel.iter().map(|s| s.week_before).sum();
    writeln!(out, "<section id=\"funnel\"><h2>Funnel</h2>")?;
    writeln!(
        out,
        "<p>{} companies on business networks as of {} ({} a week before).</p>",
        count(total),
        Esc(date),
        count(before)
    )?;
    writeln!(
        out,
        "<table id=\"funnel-table\"><thead><tr><th>Stage</th><th class=\"n\">Companies</th><th class=\"n\">Change since a week before</th><th></th></tr></thead><tbody>"
    )?;
    for (i, s) in funnel.iter().enumerate() {
        row(out, i, s, max)?;
    }
    writeln!(out, "</tbody></table>")?;
    writeln!(
        out,
        "<p class=\"note\">From <code>weekly_funnel</code>: every company on a business network, access populations included; the lead lists below are <code>company_leads</code>, which leaves those out.</p>"
    )?;
    moved(out, moves, names)?;
    writeln!(out, "</section>")
}

fn row(out: &mut String, index: usize, s: &StageCount, max: i64) -> fmt::Result {
    let width = 100.0 * s.now as f64 / max as f64;
    let class = match s.change() {
        0 => "n",
        c if c > 0 => "n up",
        _ => "n down",
    };
    writeln!(
        out,
        "<tr data-stage=\"{stage}\"><th scope=\"row\">{stage}</th><td class=\"n\">{now}</td><td class=\"{class}\">{change}</td><td class=\"bar\"><span style=\"width:{width:.1}%;background:{colour}\"></span></td></tr>",
        stage = Esc(&s.stage),
        now = count(s.now),
        change = change(s.change()),
        colour = stage_colour(index),
    )
}

fn moved(out: &mut String, moves: &[Move], names: &Names<'_>) -> fmt::Result {
    let since = moves
        .iter()
        .find_map(|m| m.previous_as_of)
        .map_or_else(|| "the previous period".to_string(), |d| day(Some(d)));
    let new = moves.iter().filter(|m| m.previous.is_none()).count();
    writeln!(
        out,
        "<h3 id=\"moves\">Moved since {since} <span class=\"muted\">{} companies changed stage, {} of them new (<code>stage_changes</code>)</span></h3>",
        count(moves.len() as i64),
        count(new as i64)
    )?;
    if moves.is_empty() {
        return writeln!(out, "<p class=\"muted\">No company changed stage.</p>");
    }
    transitions(out, moves)?;
    writeln!(
        out,
        "<details><summary>The companies{}</summary><table id=\"moves-table\"><thead><tr><th>Company</th><th>Domain</th><th>From</th><th>To</th></tr></thead><tbody>",
        if moves.len() > MOVES_SHOWN {
            format!(
                " (the first {MOVES_SHOWN} of {})",
                count(moves.len() as i64)
            )
        } else {
            String::new()
        }
    )?;
    for m in moves.iter().take(MOVES_SHOWN) {
        writeln!(
            out,
            "<tr><td class=\"company\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            Esc(name_of(names, &m.company_key)),
            opt(m.domain.as_deref()),
            Esc(m.previous.as_deref().unwrap_or(NEW)),
            Esc(&m.stage)
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    if moves.len() > MOVES_SHOWN {
        writeln!(
            out,
            "<p class=\"note\"><code>leadlake run stage_changes</code> lists them all.</p>"
        )?;
    }
    writeln!(out, "</details>")
}

/// What a company new in the period moved from.
const NEW: &str = "(new)";

/// Companies per move (from, to), most first.
fn transitions(out: &mut String, moves: &[Move]) -> fmt::Result {
    let mut counts: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for m in moves {
        *counts
            .entry((m.previous.as_deref().unwrap_or(NEW), m.stage.as_str()))
            .or_default() += 1;
    }
    let mut counts: Vec<((&str, &str), i64)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    writeln!(
        out,
        "<table id=\"transitions\"><thead><tr><th>From</th><th>To</th><th class=\"n\">Companies</th></tr></thead><tbody>"
    )?;
    for ((from, to), n) in counts {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            Esc(from),
            Esc(to),
            count(n)
        )?;
    }
    writeln!(out, "</tbody></table>")
}
