//! The report's look: one inline style sheet and the colours of stages
//! and traffic sources (nothing loaded from anywhere).

/// Colours of the seven stages in journey order; other labels get
/// [`OTHER`].
const STAGE_COLOURS: [&str; 7] = [
    "#a3acb9", // passive
    "#8cc4ec", // intrigued
    "#4f9be3", // trial
    "#2d62c4", // evaluation
    "#23a26f", // production
    "#136245", // maintenance
    "#e0873a", // waning
];

/// The colour of anything without one of its own.
pub const OTHER: &str = "#777777";

/// The colour of the stage at `index` of [`super::funnel::stage_order`].
pub fn stage_colour(index: usize) -> &'static str {
    STAGE_COLOURS.get(index).copied().unwrap_or(OTHER)
}

/// The colour of a `traffic_quality` source.
pub fn source_colour(source: &str) -> &'static str {
    match source {
        "company" => "#23a26f",
        "isp" => "#4f9be3",
        "cloud" => "#8a63d2",
        "ci" => "#e0873a",
        "bot" => "#d64545",
        "anonymous" => "#5b6472",
        _ => "#c3c8cf",
    }
}

/// The style sheet, inlined in the page's head.
pub const CSS: &str = "\
:root{color-scheme:light;--ink:#1d2430;--muted:#5f6b7a;--line:#dde2e8;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{max-width:1280px;margin:0 auto;padding:24px}
header h1{margin:0 0 4px;font-size:24px}
h2{font-size:18px;margin:0 0 12px}
h3{font-size:15px;margin:18px 0 6px}
.stage h3::first-letter{text-transform:uppercase}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
.muted,.note{color:var(--muted)}
.note{font-size:13px;margin:8px 0 0}
h3 .muted{font-weight:normal}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.why{font-size:12px;color:var(--muted);max-width:420px}
td.day{white-space:nowrap;font-variant-numeric:tabular-nums}
.bar{width:45%}
.bar span{display:block;height:14px;border-radius:3px;min-width:1px}
.up{color:#1c7c54}.down{color:#b23b3b}
.grid{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,2fr);gap:20px}
.pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:20px}
@media (max-width:900px){.grid,.pair{grid-template-columns:1fr}}
aside h3{margin-top:0}
aside{min-width:0;overflow-x:auto}
aside table{font-size:13px}
svg{max-width:100%;height:auto;display:block}
svg text{font:11px system-ui,sans-serif;fill:#5f6b7a}
.legend{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:12px;font-size:12px}
.legend i,.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:baseline}
.stack{display:flex;height:22px;border-radius:4px;overflow:hidden;margin:4px 0 12px}
.stack span{display:block;height:100%}
#transitions{width:auto;min-width:40%}
details{margin-top:10px}summary{cursor:pointer;color:var(--muted)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
";
