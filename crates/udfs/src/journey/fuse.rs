//! An optimizer rule: two or more of `journey_stage`, `lead_score`,
//! `activity_tiers`, `active_installs`, `journey_activity` and
//! `stage_timeline` over the same arguments in one aggregation become one
//! `company_journey`, whose fields are projected back under the original
//! names. Each of those aggregates collects the same events per company
//! and replays them, so a query asking for stage, score and timeline
//! otherwise does the work three times. A `stage_timeline` joins when its
//! step is a constant: the fused call takes it as its eighth argument
//! (after the package, NULL when there is none) and adds the `timeline`
//! field; a second timeline with another step is left alone.

use super::output::Output;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, Result, ScalarValue};
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
    /// (function, the field of `company_journey` that answers it,
    /// whether it is `stage_timeline`)
    parts: Vec<(Arc<AggregateUDF>, &'static str, bool)>,
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
            .filter_map(|(f, output)| {
                let field = fused_output.field_for(output)?;
                Some((f, field, output == Output::Timeline))
            })
            .collect();
        Self { parts, fused }
    }

    /// The `company_journey` field answering `e`, when `e` is a plain call
    /// (no DISTINCT, FILTER or ORDER BY) of one of the fusable functions,
    /// with its [`Call`].
    fn part_of(&self, e: &Expr) -> Option<(&'static str, Call)> {
        let Expr::AggregateFunction(AggregateFunction { func, params }) = e else {
            return None;
        };
        if params.distinct || params.filter.is_some() || !params.order_by.is_empty() {
            return None;
        }
        let (_, field, timeline) = self.parts.iter().find(|(f, ..)| f == func)?;
        let args = params.args.as_slice();
        if !timeline {
            return Some((field, Call::of(args, None)));
        }
        // stage_timeline(six [, step [, package]]): fused when its step is
        // a constant, the fused call's own eighth argument
        let step = match args.get(6) {
            None => Expr::Literal(ScalarValue::Int64(None), None),
            Some(step @ Expr::Literal(..)) => step.clone(),
            Some(_) => return None,
        };
        let mut own = args[..args.len().min(6)].to_vec();
        own.extend_from_slice(args.get(7..).unwrap_or_default());
        Some((field, Call::of(&own, Some(step))))
    }

    fn fuse(&self, agg: &Aggregate) -> Result<Option<LogicalPlan>> {
        if agg
            .group_expr
            .iter()
            .any(|g| matches!(g, Expr::GroupingSet(_)))
        {
            return Ok(None);
        }
        let calls: Vec<Option<(&'static str, Call)>> = agg
            .aggr_expr
            .iter()
            .map(|e| self.part_of(unalias(e)))
            .collect();
        // argument lists (without a timeline's step) used by at least two
        // fusable calls, each with the step of its first timeline
        let mut shared: Vec<(Vec<Expr>, Option<Expr>)> = Vec::new();
        for (i, (_, call)) in calls
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
        {
            let again = calls[i + 1..]
                .iter()
                .flatten()
                .any(|(_, other)| other.args == call.args);
            match shared.iter_mut().find(|(args, _)| *args == call.args) {
                Some((_, step)) if step.is_none() => step.clone_from(&call.step),
                Some(_) => {}
                None if again => shared.push((call.args.clone(), call.step.clone())),
                None => {}
            }
        }
        if shared.is_empty() {
            return Ok(None);
        }
        // per call, the fused call that answers it (by index into
        // `shared`); a second timeline with another step is left alone
        let slots: Vec<Option<usize>> = calls
            .iter()
            .map(|c| {
                let (_, call) = c.as_ref()?;
                let k = shared.iter().position(|(args, _)| *args == call.args)?;
                match &call.step {
                    Some(step) if shared[k].1.as_ref() != Some(step) => None,
                    _ => Some(k),
                }
            })
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
            .map(|(args, step)| {
                let mut args = args.clone();
                if let Some(step) = step {
                    if args.len() == 6 {
                        // no package: NULL, as for a call without one
                        args.push(Expr::Literal(ScalarValue::Utf8(None), None));
                    }
                    args.push(step.clone());
                }
                self.fused.call(args)
            })
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

/// A fusable call: its arguments as the fused call takes them (the six
/// profile arguments and the package, if any) and, for a timeline, its
/// step.
struct Call {
    args: Vec<Expr>,
    step: Option<Expr>,
}

impl Call {
    fn of(args: &[Expr], step: Option<Expr>) -> Self {
        Self {
            args: args.to_vec(),
            step,
        }
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
