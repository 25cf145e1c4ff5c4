//! An optimizer rule: two or more of `journey_stage`, `lead_score`,
//! `activity_tiers`, `active_installs` and `journey_activity` over the same arguments in one
//! aggregation become one `company_journey`, whose fields are projected
//! back under the original names. Each of those aggregates builds the
//! same per-company profile, so a query asking for stage, score and tiers
//! otherwise does the work three times.

use super::output::Output;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, Result};
use datafusion::functions::core::expr_fn::get_field;
use datafusion::logical_expr::expr::AggregateFunction;
use datafusion::logical_expr::{Aggregate, AggregateUDF, Expr, LogicalPlan, Projection};
use datafusion::optimizer::{ApplyOrder, OptimizerConfig, OptimizerRule};
use std::sync::Arc;

/// The rule's name, as `EXPLAIN VERBOSE` shows it.
pub const NAME: &str = "leadlake_fuse_journey_aggregates";

/// The rule, knowing the five fusable functions and their fused form.
#[derive(Debug)]
pub struct FuseJourneyAggregates {
    /// (function, the field of `company_journey` that answers it)
    parts: Vec<(Arc<AggregateUDF>, &'static str)>,
    fused: Arc<AggregateUDF>,
}

impl FuseJourneyAggregates {
    /// The rule over these aggregates and the one that answers them all,
    /// each with what it outputs; the fused output's field names come
    /// from that output (a part it does not hold is left alone).
    pub(crate) fn new(
        parts: Vec<(Arc<AggregateUDF>, Output)>,
        (fused, fused_output): (Arc<AggregateUDF>, Output),
    ) -> Self {
        let parts = parts
            .into_iter()
            .filter_map(|(f, output)| Some((f, fused_output.field_for(output)?)))
            .collect();
        Self { parts, fused }
    }

    /// The `company_journey` field answering `e`, when `e` is a plain call
    /// (no DISTINCT, FILTER or ORDER BY) of one of the five functions.
    fn part_of<'e>(&self, e: &'e Expr) -> Option<(&'static str, &'e [Expr])> {
        let Expr::AggregateFunction(AggregateFunction { func, params }) = e else {
            return None;
        };
        if params.distinct || params.filter.is_some() || !params.order_by.is_empty() {
            return None;
        }
        let (_, field) = self.parts.iter().find(|(f, _)| f == func)?;
        Some((field, &params.args))
    }

    fn fuse(&self, agg: &Aggregate) -> Result<Option<LogicalPlan>> {
        if agg
            .group_expr
            .iter()
            .any(|g| matches!(g, Expr::GroupingSet(_)))
        {
            return Ok(None);
        }
        // argument lists used by at least two fusable calls
        let calls: Vec<Option<(&'static str, &[Expr])>> = agg
            .aggr_expr
            .iter()
            .map(|e| self.part_of(unalias(e)))
            .collect();
        let mut shared: Vec<&[Expr]> = Vec::new();
        for (i, (_, args)) in calls
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (i, c)))
        {
            let again = calls[i + 1..]
                .iter()
                .flatten()
                .any(|(_, other)| *other == args);
            if again && !shared.contains(&args) {
                shared.push(args);
            }
        }
        if shared.is_empty() {
            return Ok(None);
        }
        // per call, the fused call that answers it (by index into `shared`)
        let slots: Vec<Option<usize>> = calls
            .iter()
            .map(|c| c.and_then(|(_, a)| shared.iter().position(|s| *s == a)))
            .collect();
        // the new aggregation: calls left alone, then one fused call per list
        let kept: Vec<Expr> = agg
            .aggr_expr
            .iter()
            .zip(&slots)
            .filter(|(_, slot)| slot.is_none())
            .map(|(e, _)| e.clone())
            .collect();
        let fused: Vec<Expr> = shared
            .iter()
            .map(|args| self.fused.call(args.to_vec()))
            .collect();
        let new = Aggregate::try_new(
            Arc::clone(&agg.input),
            agg.group_expr.clone(),
            kept.iter().chain(&fused).cloned().collect(),
        )?;
        let column = |i: usize| Expr::Column(Column::from(new.schema.qualified_field(i)));
        let groups = agg.group_expr.len();
        let mut exprs: Vec<Expr> = (0..groups).map(column).collect();
        let mut next_kept = groups;
        for (j, (call, slot)) in calls.iter().zip(&slots).enumerate() {
            let (qualifier, field) = agg.schema.qualified_field(groups + j);
            exprs.push(match (call, slot) {
                (Some((part, _)), Some(k)) => get_field(column(groups + kept.len() + k), *part)
                    .alias_qualified(qualifier.cloned(), field.name()),
                // the same column, passed through
                _ => {
                    next_kept += 1;
                    column(next_kept - 1)
                }
            });
        }
        let projection = Projection::try_new(exprs, Arc::new(LogicalPlan::Aggregate(new)))?;
        // never change what the plan above sees
        let same = projection.schema.fields().len() == agg.schema.fields().len()
            && projection
                .schema
                .iter()
                .zip(agg.schema.iter())
                .all(|((q1, f1), (q2, f2))| {
                    q1 == q2 && f1.name() == f2.name() && f1.data_type() == f2.data_type()
                });
        Ok(same.then_some(LogicalPlan::Projection(projection)))
    }
}

/// `e` without its aliases.
fn unalias(e: &Expr) -> &Expr {
    match e {
        Expr::Alias(a) => unalias(&a.expr),
        e => e,
    }
}

impl OptimizerRule for FuseJourneyAggregates {
    fn name(&self) -> &str {
        NAME
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn rewrite(
        &self,
        plan: LogicalPlan,
        _config: &dyn OptimizerConfig,
    ) -> Result<Transformed<LogicalPlan>> {
        let LogicalPlan::Aggregate(agg) = &plan else {
            return Ok(Transformed::no(plan));
        };
        match self.fuse(agg)? {
            Some(new) => Ok(Transformed::yes(new)),
            None => Ok(Transformed::no(plan)),
        }
    }
}
