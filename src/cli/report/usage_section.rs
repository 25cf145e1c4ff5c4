//! Version adoption (`version_adoption`) and traffic quality
//! (`traffic_quality`), side by side.

use super::answers::{Adoption, Traffic};
use super::html::{Esc, count};
use super::style::source_colour;
use std::fmt::{self, Write};

/// Versions listed, most adopted first; the rest are summed in a line.
pub const VERSIONS_SHOWN: usize = 20;

pub fn write(out: &mut String, versions: &[Adoption], traffic: &[Traffic]) -> fmt::Result {
    writeln!(out, "<div class=\"pair\">")?;
    adoption(out, versions)?;
    quality(out, traffic)?;
    writeln!(out, "</div>")
}

fn adoption(out: &mut String, versions: &[Adoption]) -> fmt::Result {
    let newest = versions
        .iter()
        .find(|v| v.outdated == Some(false))
        .map(|v| format!(", the newest is {}", Esc(&v.version)))
        .unwrap_or_default();
    writeln!(
        out,
        "<section id=\"versions\"><h2>Version adoption</h2><p class=\"muted\">Companies by the latest version they downloaded{newest}.</p>"
    )?;
    if versions.is_empty() {
        return writeln!(
            out,
            "<p class=\"muted\">No company downloaded a version.</p></section>"
        );
    }
    let max = versions.iter().map(|v| v.share_pct).fold(0.0, f64::max);
    writeln!(
        out,
        "<table id=\"versions-table\"><thead><tr><th>Version</th><th class=\"n\">Companies</th><th class=\"n\">Share</th><th></th><th></th></tr></thead><tbody>"
    )?;
    for v in versions.iter().take(VERSIONS_SHOWN) {
        let width = if max > 0.0 {
            100.0 * v.share_pct / max
        } else {
            0.0
        };
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td><td class=\"bar\"><span style=\"width:{width:.1}%;background:{}\"></span></td><td class=\"muted\">{}</td></tr>",
            Esc(&v.version),
            count(v.companies),
            v.share_pct,
            if v.outdated == Some(true) {
                "#a3acb9"
            } else {
                "#23a26f"
            },
            if v.outdated == Some(true) {
                "behind"
            } else {
                ""
            }
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    if versions.len() > VERSIONS_SHOWN {
        let rest = &versions[VERSIONS_SHOWN..];
        writeln!(
            out,
            "<p class=\"note\">{} more versions with {} companies; <code>leadlake run version_adoption</code> lists them all.</p>",
            count(rest.len() as i64),
            count(rest.iter().map(|v| v.companies).sum())
        )?;
    }
    writeln!(out, "</section>")
}

fn quality(out: &mut String, traffic: &[Traffic]) -> fmt::Result {
    let total: i64 = traffic.iter().map(|t| t.events).sum();
    writeln!(
        out,
        "<section id=\"traffic\"><h2>Traffic quality</h2><p class=\"muted\">Where the {} events of the last 30 days came from.</p>",
        count(total)
    )?;
    if traffic.is_empty() {
        return writeln!(
            out,
            "<p class=\"muted\">No events in the last 30 days.</p></section>"
        );
    }
    write!(out, "<div class=\"stack\">")?;
    for t in traffic {
        write!(
            out,
            "<span style=\"width:{:.2}%;background:{}\" title=\"{}: {:.1}%\"></span>",
            t.share_pct,
            source_colour(&t.source),
            Esc(&t.source),
            t.share_pct
        )?;
    }
    writeln!(out, "</div>")?;
    writeln!(
        out,
        "<table id=\"traffic-table\"><thead><tr><th>Source</th><th class=\"n\">Events</th><th class=\"n\">Share</th></tr></thead><tbody>"
    )?;
    for t in traffic {
        writeln!(
            out,
            "<tr data-source=\"{0}\"><td><i class=\"swatch\" style=\"background:{1}\"></i>{0}</td><td class=\"n\">{2}</td><td class=\"n\">{3:.1}%</td></tr>",
            Esc(&t.source),
            source_colour(&t.source),
            count(t.events),
            t.share_pct
        )?;
    }
    writeln!(out, "</tbody></table></section>")
}
