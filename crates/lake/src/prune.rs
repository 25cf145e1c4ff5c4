//! The `ts` range a query's filters allow, for skipping files.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Between, BinaryExpr, Expr, Operator};

/// Inclusive bounds on `ts`, in microseconds since the epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TsRange {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

impl TsRange {
    pub const ALL: TsRange = TsRange { lo: None, hi: None };

    /// Does `[min, max]` (microseconds) overlap this range?
    pub fn overlaps(&self, min: i64, max: i64) -> bool {
        self.lo.is_none_or(|lo| max >= lo) && self.hi.is_none_or(|hi| min <= hi)
    }

    /// The range both allow.
    pub fn intersect(mut self, other: TsRange) -> TsRange {
        self.tighten(other.lo, other.hi);
        self
    }

    /// Does this range hold all of `[min, max]`?
    pub fn contains(&self, min: i64, max: i64) -> bool {
        self.lo.is_none_or(|lo| min >= lo) && self.hi.is_none_or(|hi| max <= hi)
    }

    fn tighten(&mut self, lo: Option<i64>, hi: Option<i64>) {
        if let Some(lo) = lo {
            self.lo = Some(self.lo.map_or(lo, |x| x.max(lo)));
        }
        if let Some(hi) = hi {
            self.hi = Some(self.hi.map_or(hi, |x| x.min(hi)));
        }
    }
}

/// Microseconds of a timestamp literal of any unit; `None` otherwise.
fn micros(e: &Expr) -> Option<i64> {
    let Expr::Literal(v, _) = e else { return None };
    match v {
        ScalarValue::TimestampSecond(Some(s), _) => s.checked_mul(1_000_000),
        ScalarValue::TimestampMillisecond(Some(s), _) => s.checked_mul(1_000),
        ScalarValue::TimestampMicrosecond(Some(s), _) => Some(*s),
        ScalarValue::TimestampNanosecond(Some(s), _) => Some(s.div_euclid(1_000)),
        _ => None,
    }
}

fn is_ts(e: &Expr, ts: &str) -> bool {
    match e {
        Expr::Column(c) => c.name == ts,
        Expr::Cast(c) => is_ts(&c.expr, ts),
        _ => false,
    }
}

/// The range of `ts` (the canonical column name) allowed by the conjunction
/// of `filters`. Filters it does not understand allow everything.
pub fn ts_range(filters: &[Expr], ts: &str) -> TsRange {
    let mut range = TsRange::ALL;
    for f in filters {
        visit(f, ts, &mut range);
    }
    range
}

fn visit(e: &Expr, ts: &str, range: &mut TsRange) {
    match e {
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::And,
            right,
        }) => {
            visit(left, ts, range);
            visit(right, ts, range);
        }
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
            let (v, op) = if is_ts(left, ts) {
                (micros(right), *op)
            } else if is_ts(right, ts) {
                (micros(left), op.swap().unwrap_or(*op))
            } else {
                return;
            };
            let Some(v) = v else { return };
            match op {
                Operator::Gt | Operator::GtEq => range.tighten(Some(v), None),
                Operator::Lt | Operator::LtEq => range.tighten(None, Some(v)),
                Operator::Eq => range.tighten(Some(v), Some(v)),
                _ => {}
            }
        }
        Expr::Between(Between {
            expr,
            negated: false,
            low,
            high,
        }) if is_ts(expr, ts) => {
            range.tighten(micros(low), micros(high));
        }
        _ => {}
    }
}

/// The microseconds of a timestamp literal, only when exact (a
/// nanosecond literal between two microseconds has none).
fn exact_micros(e: &Expr) -> Option<i64> {
    match e {
        Expr::Literal(ScalarValue::TimestampNanosecond(Some(ns), _), _) => {
            (ns % 1_000 == 0).then_some(ns / 1_000)
        }
        e => micros(e),
    }
}

/// The bounds a filter puts on the `ts` column, when the filter is exactly
/// such a bound: the bare column compared with a timestamp literal (`<`,
/// `<=`, `=`, `>=`, `>`), `BETWEEN` two literals, or an `AND` of those. A
/// table may then answer the filter itself, and need not read `ts` from a
/// file whose footer puts every row inside the bounds. `None` for any other
/// filter.
pub fn exact_ts_bounds(e: &Expr, ts: &str) -> Option<TsRange> {
    let bare = |e: &Expr| matches!(e, Expr::Column(c) if c.name == ts);
    let mut range = TsRange::ALL;
    match e {
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::And,
            right,
        }) => {
            let (l, r) = (exact_ts_bounds(left, ts)?, exact_ts_bounds(right, ts)?);
            range.tighten(l.lo, l.hi);
            range.tighten(r.lo, r.hi);
        }
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
            let (v, op) = if bare(left) {
                (exact_micros(right)?, *op)
            } else if bare(right) {
                (exact_micros(left)?, op.swap()?)
            } else {
                return None;
            };
            match op {
                Operator::Gt => range.tighten(Some(v.checked_add(1)?), None),
                Operator::GtEq => range.tighten(Some(v), None),
                Operator::Lt => range.tighten(None, Some(v.checked_sub(1)?)),
                Operator::LtEq => range.tighten(None, Some(v)),
                Operator::Eq => range.tighten(Some(v), Some(v)),
                _ => return None,
            }
        }
        Expr::Between(Between {
            expr,
            negated: false,
            low,
            high,
        }) if bare(expr) => range.tighten(Some(exact_micros(low)?), Some(exact_micros(high)?)),
        _ => return None,
    }
    Some(range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::prelude::{col, lit};

    fn t(us: i64) -> Expr {
        lit(ScalarValue::TimestampMicrosecond(
            Some(us),
            Some("UTC".into()),
        ))
    }

    #[test]
    fn bounds_from_comparisons() {
        let f = [
            col("ts").gt_eq(t(100)).and(col("ts").lt(t(200))),
            col("kind").eq(lit("download")),
        ];
        assert_eq!(
            ts_range(&f, "ts"),
            TsRange {
                lo: Some(100),
                hi: Some(200)
            }
        );
        assert_eq!(
            ts_range(&[t(50).lt(col("ts"))], "ts"),
            TsRange {
                lo: Some(50),
                hi: None
            }
        );
        assert_eq!(
            ts_range(&[col("ts").between(t(1), t(9))], "ts"),
            TsRange {
                lo: Some(1),
                hi: Some(9)
            }
        );
        assert_eq!(
            ts_range(&[col("ts").gt(t(1)).or(col("ts").lt(t(0)))], "ts"),
            TsRange::ALL
        );
        let s = lit(ScalarValue::TimestampSecond(Some(2), None));
        assert_eq!(
            ts_range(&[col("ts").eq(s)], "ts"),
            TsRange {
                lo: Some(2_000_000),
                hi: Some(2_000_000)
            }
        );
    }

    #[test]
    fn exact_bounds_only_for_filters_that_are_exactly_bounds() {
        let exact = |e: Expr| exact_ts_bounds(&e, "ts");
        let range = |lo, hi| Some(TsRange { lo, hi });
        assert_eq!(exact(col("ts").gt_eq(t(100))), range(Some(100), None));
        assert_eq!(exact(col("ts").gt(t(100))), range(Some(101), None));
        assert_eq!(exact(col("ts").lt(t(100))), range(None, Some(99)));
        assert_eq!(exact(t(100).lt(col("ts"))), range(Some(101), None));
        assert_eq!(
            exact(col("ts").gt_eq(t(1)).and(col("ts").lt_eq(t(9)))),
            range(Some(1), Some(9))
        );
        assert_eq!(
            exact(col("ts").between(t(1), t(9))),
            range(Some(1), Some(9))
        );
        let ns = |v| lit(ScalarValue::TimestampNanosecond(Some(v), None));
        assert_eq!(exact(col("ts").gt_eq(ns(5_000))), range(Some(5), None));
        // not exactly a bound: left to DataFusion
        assert_eq!(
            exact(col("ts").gt_eq(ns(5_500))),
            None,
            "between two microseconds"
        );
        assert_eq!(exact(col("ts").not_eq(t(1))), None);
        assert_eq!(exact(col("ts").gt(t(1)).or(col("ts").lt(t(0)))), None);
        assert_eq!(
            exact(col("ts").gt(t(1)).and(col("kind").eq(lit("x")))),
            None
        );
        let cast = Expr::Cast(datafusion::logical_expr::Cast::new(
            Box::new(col("ts")),
            arrow::datatypes::DataType::Date32,
        ));
        assert_eq!(exact(cast.gt_eq(t(1))), None, "a cast may round");
        assert_eq!(exact(col("ts").not_between(t(1), t(9))), None);
        let null = lit(ScalarValue::TimestampMicrosecond(None, None));
        assert_eq!(exact(col("ts").gt_eq(null)), None);
    }

    #[test]
    fn overlap() {
        let r = TsRange {
            lo: Some(10),
            hi: Some(20),
        };
        assert!(r.overlaps(0, 10) && r.overlaps(20, 30) && r.overlaps(12, 13));
        assert!(!r.overlaps(0, 9) && !r.overlaps(21, 30));
    }
}
