//! The table `journeys`: one row per company on a business network, as of
//! one instant, with everything the reports need (stage, score, the weekly
//! timeline, the stage a period earlier, activity counts). The reports
//! (`queries/*.sql`) read it instead of replaying companies themselves, so
//! the rules run in one place and a run of every report can compute it
//! once (`queries/journeys.sql`, `docs/queries.md`).
//!
//! It takes parameters (the instant, the period `stage_changes`
//! compares), so it cannot be a plain view: it is registered for one
//! instant, either as a view over its plan (a report computes only the
//! columns it reads) or computed once and kept in memory (one row per
//! company: a few MB for thousands of companies).

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::ScalarValue;
use datafusion::datasource::MemTable;
use datafusion::error::DataFusionError;
use datafusion::prelude::{DataFrame, SessionContext};
use std::sync::Arc;

/// The table's name.
pub const JOURNEYS: &str = "journeys";

/// The query behind it, with its `-- @` header (parameters `as_of` and
/// `period_days`).
pub const JOURNEYS_SQL: &str = include_str!("../../../queries/journeys.sql");

/// The period `stage_changes` compares when none is given: a week.
pub const DEFAULT_PERIOD_DAYS: i64 = 7;

/// The longest period: a century of days (the interval arithmetic stays
/// far from overflow, and no lake is older).
pub const MAX_PERIOD_DAYS: i64 = 36_600;

/// The instant and period `journeys` is computed for.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneysAt {
    /// The evaluation instant: a timestamp (µs, UTC) or a date literal.
    pub as_of: ScalarValue,
    /// Days between `as_of` and the instant of `previous_stage`; at least 1.
    pub period_days: i64,
}

impl JourneysAt {
    /// `as_of` with the default period.
    pub fn new(as_of: ScalarValue) -> Self {
        Self {
            as_of,
            period_days: DEFAULT_PERIOD_DAYS,
        }
    }

    /// Why `journeys` cannot be computed for this instant and period:
    /// a period outside 1..=[`MAX_PERIOD_DAYS`] days or a NULL instant.
    ///
    /// # Errors
    /// The reason, as a sentence naming the value.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=MAX_PERIOD_DAYS).contains(&self.period_days) {
            return Err(format!(
                "period_days={}: expected a number of days from 1 to {MAX_PERIOD_DAYS}",
                self.period_days
            ));
        }
        if self.as_of.is_null() {
            return Err("journeys: as_of must not be NULL".into());
        }
        Ok(())
    }

    /// `as_of` as a UTC timestamp in microseconds, and the instant
    /// `period_days` before it. The SQL cannot subtract the period itself:
    /// DataFusion infers a placeholder's type from the other operand, and
    /// `$as_of - <interval>` would make `$as_of` an interval.
    fn instants(&self) -> Result<(ScalarValue, ScalarValue), DataFusionError> {
        let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        let as_of = self.as_of.cast_to(&utc)?;
        let ScalarValue::TimestampMicrosecond(Some(micros), zone) = &as_of else {
            return Err(DataFusionError::Plan(format!(
                "journeys: as_of {} is not an instant",
                self.as_of
            )));
        };
        let previous = micros
            .checked_sub(self.period_days * DAY_MICROS)
            .ok_or_else(|| {
                DataFusionError::Plan(format!(
                    "journeys: {} days before as_of {as_of} is out of range",
                    self.period_days
                ))
            })?;
        let previous = ScalarValue::TimestampMicrosecond(Some(previous), zone.clone());
        Ok((as_of, previous))
    }
}

const DAY_MICROS: i64 = 86_400_000_000;

/// The plan of `journeys` for `at` over `company_events` (which must be
/// registered: [`crate::register_company_events`]).
///
/// # Errors
/// A period outside 1..=36600 days, a NULL instant, or DataFusion's
/// planning errors.
pub async fn journeys_frame(
    ctx: &SessionContext,
    at: &JourneysAt,
) -> Result<DataFrame, DataFusionError> {
    at.check().map_err(DataFusionError::Plan)?;
    let (as_of, previous) = at.instants()?;
    ctx.sql(JOURNEYS_SQL).await?.with_param_values(vec![
        ("as_of", as_of),
        ("period_days", ScalarValue::Int64(Some(at.period_days))),
        ("previous_as_of", previous),
        (
            "previous_weeks",
            ScalarValue::Int64((at.period_days % 7 == 0).then_some(at.period_days / 7)),
        ),
    ])
}

/// Register `journeys` for `at` as a view over its plan: every query
/// reading it computes it again, only the columns it reads.
///
/// # Errors
/// As [`journeys_frame`].
pub async fn register_journeys(
    ctx: &SessionContext,
    at: &JourneysAt,
) -> Result<(), DataFusionError> {
    let view = journeys_frame(ctx, at).await?.into_view();
    ctx.register_table(JOURNEYS, view)?;
    Ok(())
}

/// Register `journeys` for `at` as a table computed once from `batches`
/// (the collected [`journeys_frame`]), so that every query reading it
/// afterwards shares one scan of the lake and one replay per company.
/// Returns the number of companies.
///
/// # Errors
/// DataFusion's, when the batches do not match the frame's schema.
pub fn register_computed_journeys(
    ctx: &SessionContext,
    schema: datafusion::arrow::datatypes::SchemaRef,
    batches: Vec<RecordBatch>,
) -> Result<usize, DataFusionError> {
    let rows = batches.iter().map(RecordBatch::num_rows).sum();
    let table = MemTable::try_new(schema, vec![batches])?;
    ctx.register_table(JOURNEYS, Arc::new(table))?;
    Ok(rows)
}
