//! `session_id(ts [, gap [, max_length]]) OVER (PARTITION BY source ORDER BY ts)`:
//! sessions by inactivity gap, in one pass over the sorted partition; and
//! the machinery `session_start` / `session_end` share.

use super::columns::timestamps;
use crate::args::{Params, arity, duration_arg, duration_us, ts_arg, ts_type};
use arrow::array::{Array, ArrayRef, Int64Array, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::PartitionEvaluator;
use datafusion::logical_expr::function::WindowUDFFieldArgs;
use datafusion_macros::user_doc;
use leadlake_funnel::Sessions;
use leadlake_funnel::session::MINUTE_US;
use std::sync::Arc;

/// What a session window function returns per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Mode {
    Id,
    Start,
    End,
}

/// Planning check shared by the three session functions.
pub(crate) fn coerce(f: &str, types: &[DataType]) -> Result<Vec<DataType>> {
    let params = Params::with_optional(&["ts", "gap", "max_length"], 2);
    arity(f, params, types.len())?;
    let mut out = Vec::with_capacity(types.len());
    for (i, t) in types.iter().enumerate() {
        out.push(match i {
            0 => ts_arg(f, 1, "ts", t, false)?,
            _ => duration_arg(f, i + 1, params.name(i + 1), "minutes", t)?,
        });
    }
    Ok(out)
}

#[derive(Debug)]
struct Evaluator {
    name: &'static str,
    mode: Mode,
}

impl PartitionEvaluator for Evaluator {
    fn evaluate_all(&mut self, values: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
        let f = self.name;
        let Some(ts) = values.first() else {
            return exec_err!("'{f}' needs a timestamp");
        };
        let ts = timestamps(f, ts)?;
        let gap = match values.get(1) {
            Some(a) => duration_us(f, "gap", a, MINUTE_US)?,
            None => None,
        }
        .unwrap_or(30 * MINUTE_US);
        let max = match values.get(2) {
            Some(a) => duration_us(f, "max_length", a, MINUTE_US)?,
            None => None,
        };
        let unordered = || {
            exec_err!(
                "'{f}' needs its window ordered by the timestamp: OVER (PARTITION BY ... ORDER BY ts)"
            )
        };
        let raw = ts.values();
        let nulls = ts.nulls().cloned();
        let mut ids: Vec<i64> = Vec::with_capacity(num_rows);
        if nulls.is_none() && max.is_none() {
            // the hot path: one branch-free step per row
            let mut id = 0i64;
            let mut last = raw.first().map_or(0, |t| t.saturating_sub(gap));
            for &t in raw.iter() {
                let d = t.wrapping_sub(last);
                if d < 0 {
                    return unordered();
                }
                id += i64::from(d >= gap);
                last = t;
                ids.push(id);
            }
        } else {
            let s = Sessions::new(gap, max);
            let (mut id, mut start, mut last) = (0i64, 0i64, i64::MIN);
            for (i, &t) in raw.iter().enumerate() {
                if ts.is_null(i) {
                    ids.push(0);
                    continue;
                }
                if t < last {
                    return unordered();
                }
                if id == 0 || s.breaks(start, last, t) {
                    id += 1;
                    start = t;
                }
                last = t;
                ids.push(id);
            }
        }
        Ok(match self.mode {
            Mode::Id => Arc::new(Int64Array::new(ids.into(), nulls)),
            Mode::Start | Mode::End => {
                // sessions are runs of equal ids (NULL rows, id 0, skipped)
                let mut out = vec![0i64; num_rows];
                let rows: Box<dyn Iterator<Item = usize>> = if self.mode == Mode::Start {
                    Box::new(0..num_rows)
                } else {
                    Box::new((0..num_rows).rev())
                };
                let (mut current, mut bound) = (0i64, 0i64);
                for i in rows {
                    if ids[i] == 0 {
                        continue;
                    }
                    if ids[i] != current {
                        current = ids[i];
                        bound = raw[i];
                    }
                    out[i] = bound;
                }
                Arc::new(TimestampMicrosecondArray::new(out.into(), nulls).with_timezone("UTC"))
            }
        })
    }
}

/// A planning check: the window must have an ORDER BY (sessions are
/// runs of time). Without one, a partition whose rows happen to arrive
/// sorted would work and any other fail at run time; now it never plans.
pub(crate) fn require_order(
    f: &'static str,
) -> datafusion::logical_expr::function::WindowFunctionSimplification {
    Box::new(move |w, _| {
        if w.params.order_by.is_empty() {
            return datafusion::common::plan_err!(
                "'{f}' needs its window ordered by the timestamp: OVER (PARTITION BY ... ORDER BY ts)"
            );
        }
        Ok(datafusion::logical_expr::Expr::from(w))
    })
}

pub(crate) fn evaluator(name: &'static str, mode: Mode) -> Box<dyn PartitionEvaluator> {
    Box::new(Evaluator { name, mode })
}

pub(crate) fn field(args: &WindowUDFFieldArgs, mode: Mode) -> FieldRef {
    let t = match mode {
        Mode::Id => DataType::Int64,
        Mode::Start | Mode::End => ts_type(),
    };
    Arc::new(Field::new(args.name(), t, true))
}

/// Defines a session window function: the struct, `new` and the
/// `WindowUDFImpl`; only the SQL name and mode differ.
macro_rules! session_window {
    ($(#[$attr:meta])* $ty:ident, $sql:literal, $mode:expr) => {
        $(#[$attr])*
        #[derive(Debug, PartialEq, Eq, Hash)]
        pub struct $ty {
            signature: datafusion::logical_expr::Signature,
        }

        impl Default for $ty {
            fn default() -> Self {
                Self::new()
            }
        }

        impl $ty {
            pub fn new() -> Self {
                Self {
                    signature: datafusion::logical_expr::Signature::user_defined(
                        datafusion::logical_expr::Volatility::Immutable,
                    ),
                }
            }
        }

        impl datafusion::logical_expr::WindowUDFImpl for $ty {
            fn name(&self) -> &str {
                $sql
            }

            fn signature(&self) -> &datafusion::logical_expr::Signature {
                &self.signature
            }

            fn coerce_types(
                &self,
                arg_types: &[arrow::datatypes::DataType],
            ) -> datafusion::common::Result<Vec<arrow::datatypes::DataType>> {
                $crate::journey::session_id::coerce($sql, arg_types)
            }

            fn simplify(&self) -> Option<datafusion::logical_expr::function::WindowFunctionSimplification> {
                Some($crate::journey::session_id::require_order($sql))
            }

            fn partition_evaluator(
                &self,
                _args: datafusion::logical_expr::function::PartitionEvaluatorArgs,
            ) -> datafusion::common::Result<Box<dyn datafusion::logical_expr::PartitionEvaluator>>
            {
                Ok($crate::journey::session_id::evaluator($sql, $mode))
            }

            fn field(
                &self,
                field_args: datafusion::logical_expr::function::WindowUDFFieldArgs,
            ) -> datafusion::common::Result<arrow::datatypes::FieldRef> {
                Ok($crate::journey::session_id::field(&field_args, $mode))
            }

            fn documentation(&self) -> Option<&datafusion::logical_expr::Documentation> {
                self.doc()
            }
        }
    };
}

session_window!(
    #[user_doc(
        doc_section(label = "leadlake journey functions"),
        description = "Window function numbering sessions (1, 2, ...) within a window ordered by time: a row starts a new session when the gap since the previous row is at least `gap` (default 30 minutes), or when the session has lasted `max_length` (optional). One pass over the sorted partition. `gap` and `max_length` are intervals or numbers of minutes, constant and positive. A NULL `ts` gives NULL and does not break a session; a window not ordered by `ts` is an error. `session_start` and `session_end` give each row's session bounds.",
        syntax_example = "session_id(ts [, gap [, max_length]]) OVER (PARTITION BY source ORDER BY ts)",
        sql_example = r#"```sql
> SELECT source, ts, session_id(ts, INTERVAL '30 minutes') OVER (PARTITION BY source ORDER BY ts) AS session FROM (VALUES ('a', TIMESTAMP '2026-03-01 10:00:00'), ('a', TIMESTAMP '2026-03-01 10:29:00'), ('a', TIMESTAMP '2026-03-01 10:59:00'), ('a', TIMESTAMP '2026-03-01 13:20:00'), ('b', TIMESTAMP '2026-03-01 10:05:00')) AS e(source, ts) ORDER BY source, ts;
+--------+---------------------+---------+
| source | ts                  | session |
+--------+---------------------+---------+
| a      | 2026-03-01T10:00:00 | 1       |
| a      | 2026-03-01T10:29:00 | 1       |
| a      | 2026-03-01T10:59:00 | 2       |
| a      | 2026-03-01T13:20:00 | 3       |
| b      | 2026-03-01T10:05:00 | 1       |
+--------+---------------------+---------+
```"#,
        argument(
            name = "ts",
            description = "Event time; the window must be ordered by it."
        ),
        argument(
            name = "gap",
            description = "Inactivity that closes a session (interval or minutes; default 30 minutes)."
        ),
        argument(
            name = "max_length",
            description = "Longest session (interval or minutes; default none)."
        )
    )]
    SessionIdFunc,
    "session_id",
    Mode::Id
);
