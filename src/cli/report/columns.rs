//! A query's answer read by column name, in the types the report shows.

use crate::error::CliError;
use arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Float64Type, Int64Type, TimeUnit, TimestampMicrosecondType};
use chrono::{DateTime, Utc};

/// One canned query's answer: its name (for errors) and its batches.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    name: &'a str,
    batches: &'a [RecordBatch],
}

impl<'a> Answer<'a> {
    pub fn new(name: &'a str, batches: &'a [RecordBatch]) -> Self {
        Self { name, batches }
    }

    /// The column `column` of every batch, cast to `to`.
    fn column(&self, column: &str, to: &DataType) -> Result<Vec<ArrayRef>, CliError> {
        self.batches
            .iter()
            .map(|b| {
                let c = b.column_by_name(column).ok_or_else(|| {
                    CliError::Output(format!(
                        "report: the answer of {} has no column '{column}'",
                        self.name
                    ))
                })?;
                Ok(arrow::compute::cast(c, to)?)
            })
            .collect()
    }

    /// Text values (any type, as Arrow displays it).
    pub fn text(&self, column: &str) -> Result<Vec<Option<String>>, CliError> {
        let arrays = self.column(column, &DataType::Utf8)?;
        Ok(arrays
            .iter()
            .flat_map(|a| {
                let a = a.as_string::<i32>();
                (0..a.len()).map(|i| a.is_valid(i).then(|| a.value(i).to_string()))
            })
            .collect())
    }

    /// Whole numbers.
    pub fn int(&self, column: &str) -> Result<Vec<Option<i64>>, CliError> {
        let arrays = self.column(column, &DataType::Int64)?;
        Ok(arrays
            .iter()
            .flat_map(|a| a.as_primitive::<Int64Type>().iter())
            .collect())
    }

    /// Numbers.
    pub fn float(&self, column: &str) -> Result<Vec<Option<f64>>, CliError> {
        let arrays = self.column(column, &DataType::Float64)?;
        Ok(arrays
            .iter()
            .flat_map(|a| a.as_primitive::<Float64Type>().iter())
            .collect())
    }

    /// Yes or no.
    pub fn flag(&self, column: &str) -> Result<Vec<Option<bool>>, CliError> {
        let arrays = self.column(column, &DataType::Boolean)?;
        Ok(arrays.iter().flat_map(|a| a.as_boolean().iter()).collect())
    }

    /// Instants, in UTC.
    pub fn time(&self, column: &str) -> Result<Vec<Option<DateTime<Utc>>>, CliError> {
        let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        let arrays = self.column(column, &utc)?;
        Ok(arrays
            .iter()
            .flat_map(|a| a.as_primitive::<TimestampMicrosecondType>().iter())
            .map(|v| v.and_then(DateTime::from_timestamp_micros))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int32Array, StringViewArray, TimestampMicrosecondArray};
    use arrow::datatypes::{Field, Schema};
    use std::sync::Arc;

    fn batch() -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("name", DataType::Utf8View, true),
            Field::new("n", DataType::Int32, true),
            Field::new(
                "ts",
                DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
                true,
            ),
        ]);
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(StringViewArray::from(vec![Some("a <b>"), None])),
                Arc::new(Int32Array::from(vec![Some(3), None])),
                Arc::new(
                    TimestampMicrosecondArray::from(vec![Some(1_777_593_600_000_000), None])
                        .with_timezone("UTC"),
                ),
            ],
        )
        .unwrap()
    }

    #[test]
    fn columns_read_in_the_asked_type_with_nulls_kept() -> Result<(), CliError> {
        let batches = [batch(), batch()];
        let answer = Answer::new("q", &batches);
        assert_eq!(
            answer.text("name")?,
            [Some("a <b>".into()), None, Some("a <b>".into()), None]
        );
        assert_eq!(answer.int("n")?, [Some(3), None, Some(3), None]);
        assert_eq!(answer.float("n")?[0], Some(3.0));
        let t = answer.time("ts")?;
        assert_eq!(
            t[0].map(|d| d.to_rfc3339()),
            Some("2026-05-01T00:00:00+00:00".into())
        );
        Ok(())
    }

    #[test]
    fn a_missing_column_is_an_error_naming_the_query() {
        let batches = [batch()];
        let err = Answer::new("weekly_funnel", &batches).int("nope");
        assert_eq!(
            err.unwrap_err().to_string(),
            "output: report: the answer of weekly_funnel has no column 'nope'"
        );
    }
}
