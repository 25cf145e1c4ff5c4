//! Top leads per stage (`company_leads`, best first) with the waning
//! companies beside them (`churn_risk`). Each list is capped, and says so.

use super::answers::{Lead, Names, StageLeads, Waning, name_of, top_by_stage};
use super::html::{Esc, count, day, opt};
use std::fmt::{self, Write};

/// Leads listed per stage.
pub const LEADS_PER_STAGE: usize = 25;
/// Waning companies listed.
pub const WANING_SHOWN: usize = 25;

/// The stage the waning list stands for: its leads are listed beside the
/// others, from `churn_risk`, instead of among them.
const WANING: &str = "waning";

pub fn write(
    out: &mut String,
    leads: &[Lead],
    waning: &[Waning],
    names: &Names<'_>,
) -> fmt::Result {
    writeln!(
        out,
        "<section id=\"leads\"><h2>Top leads per stage</h2><div class=\"grid\"><div>"
    )?;
    writeln!(
        out,
        "<p class=\"note\">Best first, at most {LEADS_PER_STAGE} per stage; <code>leadlake run company_leads</code> lists them all.</p>"
    )?;
    for stage in top_by_stage(leads, LEADS_PER_STAGE) {
        if stage.stage != WANING {
            stage_list(out, &stage)?;
        }
    }
    writeln!(out, "</div>")?;
    waning_list(out, waning, names)?;
    writeln!(out, "</div></section>")
}

fn stage_list(out: &mut String, stage: &StageLeads<'_>) -> fmt::Result {
    writeln!(
        out,
        "<div class=\"stage\" data-stage=\"{0}\" data-leads=\"{1}\"><h3>{0} <span class=\"muted\">{2} leads{3}</span></h3>",
        Esc(&stage.stage),
        stage.total,
        count(stage.total as i64),
        if stage.top.len() < stage.total {
            format!(", top {} shown", stage.top.len())
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "<table><thead><tr><th>Company</th><th>Domain</th><th class=\"n\">Score</th><th>Why</th><th>Action</th><th>First seen</th><th>Last seen</th></tr></thead><tbody>"
    )?;
    for l in &stage.top {
        writeln!(
            out,
            "<tr><td class=\"company\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"why\">{}</td><td>{}</td><td class=\"day\">{}</td><td class=\"day\">{}</td></tr>",
            Esc(&l.company),
            opt(l.domain.as_deref()),
            l.score.map(|s| s.to_string()).unwrap_or_default(),
            opt(l.why.as_deref()),
            opt(l.action.as_deref()),
            day(l.first_seen),
            day(l.last_seen)
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

fn waning_list(out: &mut String, waning: &[Waning], names: &Names<'_>) -> fmt::Result {
    writeln!(
        out,
        "<aside id=\"waning\" data-companies=\"{}\"><h3>Waning <span class=\"muted\">{} companies{}</span></h3>",
        waning.len(),
        count(waning.len() as i64),
        if waning.len() > WANING_SHOWN {
            format!(", the {WANING_SHOWN} that dropped most shown")
        } else {
            String::new()
        }
    )?;
    if waning.is_empty() {
        return writeln!(out, "<p class=\"muted\">None.</p></aside>");
    }
    writeln!(
        out,
        "<table><thead><tr><th>Company</th><th class=\"n\">Events</th><th class=\"n\">Drop</th><th>Last seen</th></tr></thead><tbody>"
    )?;
    for w in waning.iter().take(WANING_SHOWN) {
        writeln!(
            out,
            "<tr><td class=\"company\">{}<br><span class=\"muted\">{}</span></td><td class=\"n\">{} \u{2192} {}</td><td class=\"n\">{}</td><td class=\"day\">{}</td></tr>",
            Esc(name_of(names, &w.company_key)),
            opt(w.domain.as_deref()),
            w.events_prev30.map(count).unwrap_or_default(),
            w.events_last30.map(count).unwrap_or_default(),
            w.drop_pct.map(|p| format!("{p:.0}%")).unwrap_or_default(),
            day(w.last_seen)
        )?;
    }
    writeln!(
        out,
        "</tbody></table><p class=\"note\">From <code>churn_risk</code>: events in the 30 days before the 30 days before the date \u{2192} in the last 30 days.</p></aside>"
    )
}
