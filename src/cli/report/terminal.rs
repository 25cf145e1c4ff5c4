//! The funnel as a bar chart for a terminal: companies per stage as of
//! the date, with the change since a week before.

use super::funnel::Flow;
/// Characters of the longest bar.
const WIDTH: usize = 40;

/// The chart, one line per stage, or a line saying there is none.
pub fn funnel_chart(flow: &Flow) -> String {
    let Some(now) = flow.last_week() else {
        return "No company has a journey yet.\n".into();
    };
    let funnel = flow.funnel();
    let max = funnel.iter().map(|s| s.now).max().unwrap_or(0).max(1);
    let label = funnel.iter().map(|s| s.stage.len()).max().unwrap_or(0);
    let digits = max.to_string().len();
    let mut out = format!(
        "Companies per stage as of {} (change since a week before)\n",
        now.format("%Y-%m-%d")
    );
    for s in &funnel {
        // a stage with any company gets at least one block
        let blocks = if s.now > 0 {
            usize::try_from(s.now * WIDTH as i64 / max)
                .unwrap_or(0)
                .max(1)
        } else {
            0
        };
        let change = match s.change() {
            0 => String::new(),
            c => format!("{c:+}"),
        };
        let line = format!(
            "  {:<label$}  {:<WIDTH$}  {:>digits$}  {change}",
            s.stage,
            "\u{2588}".repeat(blocks),
            s.now
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report::answers::WeekCount;

    #[test]
    fn bars_scale_to_the_largest_stage() {
        let at = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 4, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
        };
        let row = |d, stage: &str, companies| WeekCount {
            week: at(d),
            stage: stage.into(),
            companies,
        };
        let flow = Flow::from_weeks(&[
            row(24, "passive", 40),
            row(24, "trial", 10),
            row(17, "trial", 12),
            row(24, "production", 1),
        ]);
        let chart = funnel_chart(&flow);
        let lines: Vec<&str> = chart.lines().collect();
        assert_eq!(
            lines[0],
            "Companies per stage as of 2026-04-24 (change since a week before)"
        );
        assert_eq!(lines.len(), 8);
        let blocks = |l: &str| l.matches('\u{2588}').count();
        assert_eq!(blocks(lines[1]), 40, "{}", lines[1]);
        assert!(lines[1].ends_with(" 40  +40"), "{}", lines[1]);
        assert_eq!(blocks(lines[3]), 10);
        assert!(lines[3].ends_with(" 10  -2"), "{}", lines[3]);
        assert_eq!(blocks(lines[5]), 1, "one company still shows");
        assert_eq!(blocks(lines[2]), 0);
        assert_eq!(
            funnel_chart(&Flow::default()),
            "No company has a journey yet.\n"
        );
    }
}
