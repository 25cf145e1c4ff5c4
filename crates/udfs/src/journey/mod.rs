//! Journey functions: the SQL face of `leadlake-funnel`.

/// Defines an aggregate over a company's events answered from a
/// [`leadlake_funnel::Profile`]: the struct (with its `#[user_doc]`, whose
/// section and arguments every such function shares), `new`, and the
/// `AggregateUDFImpl` with a `GroupsAccumulator`. Only the SQL name, the
/// description, the example and the output differ between such functions.
macro_rules! profile_aggregate {
    (
        $ty:ident,
        $sql:literal,
        $output:expr,
        description = $description:literal,
        syntax_example = $syntax:literal,
        sql_example = $example:literal
        $(, step = $step:literal)? $(,)?
    ) => {
        #[datafusion_macros::user_doc(
            doc_section(label = "leadlake journey functions"),
            description = $description,
            syntax_example = $syntax,
            sql_example = $example,
            argument(name = "ts", description = "Event time (timestamp or date)."),
            argument(
                name = "kind",
                description = "Event kind: download, docs_view, page_view or call_home; other kinds are ignored."
            ),
            argument(
                name = "path",
                description = "Page path or URL (classified by the page rules)."
            ),
            argument(
                name = "version",
                description = "Version downloaded (downloads only; any string, compared under the package's scheme (see `package`), else the `[funnel]` configuration's `version_scheme`, `auto` by default: see `version_newer`)."
            ),
            argument(
                name = "source",
                description = "One machine inside the company: usually `source_key(ip, user_agent)` (an IPv4 address or IPv6 /64, split by client family), as the canned queries pass it; any text, compared by its bytes."
            ),
            argument(
                name = "as_of",
                description = "Evaluation instant (timestamp, date or 'YYYY-MM-DD'); events at or after it are ignored."
            ),
            argument(
                name = "package",
                description = "Optional: the download's package. Its versions are compared under the scheme `[funnel] version_schemes` gives the package (by name or glob), `version_scheme` otherwise."
            )
            $(, argument(name = "step", description = $step))?
        )]
        #[derive(Debug, PartialEq, Eq, Hash)]
        pub struct $ty {
            signature: datafusion::logical_expr::Signature,
            funnel: std::sync::Arc<leadlake_funnel::Funnel>,
        }

        impl $ty {
            /// What the function returns.
            pub(crate) const OUTPUT: $crate::journey::output::Output = $output;

            /// The function under the rules of `funnel`.
            pub fn new(funnel: std::sync::Arc<leadlake_funnel::Funnel>) -> Self {
                Self {
                    signature: datafusion::logical_expr::Signature::user_defined(
                        datafusion::logical_expr::Volatility::Immutable,
                    ),
                    funnel,
                }
            }
        }

        impl datafusion::logical_expr::AggregateUDFImpl for $ty {
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
                $crate::journey::coerce_profile_and_package($sql, arg_types, $output)
            }

            fn return_type(
                &self,
                arg_types: &[arrow::datatypes::DataType],
            ) -> datafusion::common::Result<arrow::datatypes::DataType> {
                Ok($output.for_args(arg_types.len()).return_type())
            }

            fn accumulator(
                &self,
                args: datafusion::logical_expr::function::AccumulatorArgs,
            ) -> datafusion::common::Result<Box<dyn datafusion::logical_expr::Accumulator>> {
                Ok(Box::new($crate::journey::packed_event_groups::PackedEventAccumulator(
                    $crate::journey::packed_event_groups::PackedEventGroups::for_call(
                        $sql,
                        std::sync::Arc::clone(&self.funnel),
                        $output,
                        &args,
                    )?,
                )))
            }

            fn state_fields(
                &self,
                args: datafusion::logical_expr::function::StateFieldsArgs,
            ) -> datafusion::common::Result<Vec<arrow::datatypes::FieldRef>> {
                Ok(vec![std::sync::Arc::new(arrow::datatypes::Field::new(
                    format!("{}_profile", args.name),
                    arrow::datatypes::DataType::LargeBinary,
                    true,
                ))])
            }

            fn groups_accumulator_supported(
                &self,
                _args: datafusion::logical_expr::function::AccumulatorArgs,
            ) -> bool {
                true
            }

            fn create_groups_accumulator(
                &self,
                args: datafusion::logical_expr::function::AccumulatorArgs,
            ) -> datafusion::common::Result<Box<dyn datafusion::logical_expr::GroupsAccumulator>>
            {
                Ok(Box::new($crate::journey::packed_event_groups::PackedEventGroups::for_call(
                    $sql,
                    std::sync::Arc::clone(&self.funnel),
                    $output,
                    &args,
                )?))
            }

            fn documentation(&self) -> Option<&datafusion::logical_expr::Documentation> {
                self.doc()
            }
        }
    };
}

pub(crate) mod agents;
pub(crate) mod columns;
pub(crate) mod events;
pub(crate) mod output;
pub(crate) mod packed_event_groups;
#[macro_use]
pub mod session_id;

pub mod active_installs;
pub mod activity_tiers;
pub mod company_journey;
pub mod fuse;
pub mod journey_activity;
pub mod journey_stage;
pub mod lead_score;
pub mod page_class;
pub mod session_end;
pub mod session_start;
pub mod source_key;
pub mod stage_timeline;
pub mod ua_info;
pub mod version_max;
pub mod version_newer;
pub mod version_parse;
pub mod version_upgrades;

use crate::args;
use arrow::datatypes::DataType;
use datafusion::common::Result;

/// The arguments of every profile aggregate, in order.
pub const PROFILE_ARGS: [&str; 6] = ["ts", "kind", "path", "version", "source", "as_of"];

/// Planning check for `f(ts, kind, path, version, source, as_of [, package])`,
/// and for `company_journey` (`output` `Journey`) a last optional `step`.
pub(crate) fn coerce_profile_and_package(
    f: &str,
    types: &[DataType],
    output: output::Output,
) -> Result<Vec<DataType>> {
    let [ts, kind, path, version, source, as_of] = PROFILE_ARGS;
    let names = [ts, kind, path, version, source, as_of, "package", "step"];
    let params = match output {
        output::Output::Journey => args::Params::with_optional(&names, 2),
        _ => args::Params::with_optional(&names[..7], 1),
    };
    args::arity(f, params, types.len())?;
    let (profile, rest) = types.split_at(types.len().min(6));
    let mut out = coerce_profile_args(f, profile)?;
    if let Some(t) = rest.first() {
        out.push(args::string_arg(f, 7, "package", t)?);
    }
    if let Some(t) = rest.get(1) {
        out.push(args::duration_arg(f, 8, "step", "days", t)?);
    }
    Ok(out)
}

/// Planning check for `f(ts, kind, path, version, source, as_of)`.
pub(crate) fn coerce_profile_args(f: &str, types: &[DataType]) -> Result<Vec<DataType>> {
    args::arity(f, args::Params::all(&PROFILE_ARGS), types.len())?;
    let mut out = Vec::with_capacity(7);
    for (i, (t, name)) in types.iter().zip(PROFILE_ARGS).enumerate() {
        out.push(match name {
            "ts" => args::ts_arg(f, i + 1, name, t, false)?,
            "as_of" => args::ts_arg(f, i + 1, name, t, true)?,
            _ => args::string_arg(f, i + 1, name, t)?,
        });
    }
    Ok(out)
}
