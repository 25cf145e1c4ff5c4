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
    fn overlap() {
        let r = TsRange {
            lo: Some(10),
            hi: Some(20),
        };
        assert!(r.overlaps(0, 10) && r.overlaps(20, 30) && r.overlaps(12, 13));
        assert!(!r.overlaps(0, 9) && !r.overlaps(21, 30));
    }
}
