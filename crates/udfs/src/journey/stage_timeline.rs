//! `stage_timeline(ts, kind, path, version, source, as_of [, step [, package]])`:
//! a company's stage as of each week (or step) up to `as_of`. Its events
//! are collected as every journey aggregate collects them
//! (`packed_event_groups`), so it is a groups accumulator that spills, and
//! beside the other journey aggregates it is fused into their
//! `company_journey` (`fuse`).

use super::PROFILE_ARGS;
use super::output::Output;
use super::packed_event_groups::{PackedEventAccumulator, PackedEventGroups};
use crate::args::{Params, arity, duration_arg, string_arg};
use arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{DataFusionError, Result, exec_datafusion_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, GroupsAccumulator, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_funnel::Funnel;
use leadlake_funnel::days::DAY_US;
use leadlake_funnel::timeline::{MAX_STEPS, TooManySteps};
use std::sync::Arc;

const NAME: &str = "stage_timeline";

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "Aggregate: a company's journey stage as of each step back from `as_of` (default every 7 days), oldest first, from the first step after its earliest event through `as_of` itself: a list of {as_of, stage}. Each entry uses only the events before its own date, exactly as `journey_stage` would with that `as_of`, so `unnest` gives a stage per company per week and the first week of a run of equal stages is when the company entered that stage. `step` is a constant interval or number of days. Same arguments and NULL handling as `journey_stage`: a group without counted events gives NULL. Each company's events are walked once for all the steps (cost grows with events plus steps); a timeline of more than 100,000 steps is an error.",
    syntax_example = "stage_timeline(ts, kind, path, version, source, as_of [, step [, package]])",
    sql_example = r#"```sql
> SELECT unnest(stage_timeline(ts, kind, path, version, source, DATE '2026-03-01', INTERVAL '14 days')) AS week FROM (VALUES (TIMESTAMP '2026-02-01 10:00:00', 'docs_view', '/docs/install', NULL, 'a'), (TIMESTAMP '2026-02-03 10:00:00', 'docs_view', '/docs/faq', NULL, 'a'), (TIMESTAMP '2026-02-20 10:00:00', 'download', '/w', '1.0', 'a')) AS e(ts, kind, path, version, source);
+-------------------------------------------------+
| week                                            |
+-------------------------------------------------+
| {as_of: 2026-02-15T00:00:00Z, stage: intrigued} |
| {as_of: 2026-03-01T00:00:00Z, stage: trial}     |
+-------------------------------------------------+
```"#,
    argument(name = "ts", description = "Event time (timestamp or date)."),
    argument(
        name = "kind",
        description = "Event kind: download, docs_view, page_view or call_home."
    ),
    argument(name = "path", description = "Page path or URL."),
    argument(name = "version", description = "Version downloaded (downloads only)."),
    argument(
        name = "source",
        description = "The origin inside the company (address or its hash)."
    ),
    argument(
        name = "as_of",
        description = "The last date of the timeline; events at or after it are ignored."
    ),
    argument(
        name = "step",
        description = "Distance between dates (interval or days; default 7 days, also when NULL)."
    ),
    argument(
        name = "package",
        description = "Optional: the download's package; its versions are compared under the scheme `[funnel] version_schemes` gives it (see `journey_stage`)."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct StageTimelineFunc {
    signature: Signature,
    funnel: Arc<Funnel>,
}

impl StageTimelineFunc {
    /// What the function returns (a part of `company_journey` given a
    /// step, which the fuse rule turns it into).
    pub(crate) const OUTPUT: Output = Output::Timeline;

    /// The events of every group, collected as the journey aggregates
    /// collect them, and the step from the call's seventh argument.
    fn groups(&self, args: &AccumulatorArgs) -> Result<PackedEventGroups> {
        PackedEventGroups::for_call(NAME, Arc::clone(&self.funnel), Output::Timeline, args)
    }

    pub fn new(funnel: Arc<Funnel>) -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
            funnel,
        }
    }
}

fn list_type() -> DataType {
    Output::Timeline.return_type()
}

impl AggregateUDFImpl for StageTimelineFunc {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [ts, kind, path, version, source, as_of] = PROFILE_ARGS;
        let names = [ts, kind, path, version, source, as_of, "step", "package"];
        arity(NAME, Params::with_optional(&names, 2), arg_types.len())?;
        let (profile, rest) = arg_types.split_at(arg_types.len().min(6));
        let mut out = super::coerce_profile_args(NAME, profile)?;
        if let Some(step) = rest.first() {
            out.push(duration_arg(NAME, 7, "step", "days", step)?);
        }
        if let Some(package) = rest.get(1) {
            out.push(string_arg(NAME, 8, "package", package)?);
        }
        Ok(out)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(list_type())
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(PackedEventAccumulator(self.groups(&args)?)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}_events", args.name),
            DataType::LargeBinary,
            true,
        ))])
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(self.groups(&args)?))
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}

/// The error for a timeline of more than [`MAX_STEPS`] steps, from `f`
/// with `as_of`.
pub(crate) fn too_many_steps(f: &str, e: TooManySteps, as_of: i64) -> DataFusionError {
    exec_datafusion_err!(
        "'{f}': more than {MAX_STEPS} steps of {} from the earliest event ({}) to as_of ({}); use a longer step, an earlier as_of, or filter out old events",
        step_text(e.step),
        super::events::instant(e.first),
        super::events::instant(as_of)
    )
}

/// A step as messages print it: whole days, else seconds.
fn step_text(us: i64) -> String {
    match us {
        us if us % DAY_US == 0 && us / DAY_US == 1 => "1 day".into(),
        us if us % DAY_US == 0 => format!("{} days", us / DAY_US),
        1_000_000 => "1 second".into(),
        us => format!("{} seconds", us / 1_000_000),
    }
}
