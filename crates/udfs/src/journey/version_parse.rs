//! `version_parse(version [, scheme])`: what a version scheme understood
//! in a text, to debug an ordering.

use super::columns::Strings;
use crate::args::{Params, arity, scheme_arg, string_arg};
use crate::ip::{finish, to_array};
use arrow::array::{Array, ArrayRef, BooleanBuilder, ListBuilder, StringBuilder, StructArray};
use arrow::buffer::NullBuffer;
use arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_funnel::version::{Parsed, Scheme};
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "What a version scheme understood in a text, to debug an ordering: a struct {scheme, normalized, epoch, release, pre, post, dev, local, build, revision, is_prerelease}. `scheme` is the scheme that read it (under `auto`, the one `auto` gave it: see `version_newer`); `normalized` its canonical spelling (`1.0rc1` for `1.0-RC-1`); `release` the release parts as text (numbers without leading zeros; Debian: the upstream version; Maven: the leading numbers); `pre`, `post`, `dev`, `local` (PEP 440), `build` (semver, npm, Go: ignored in order) and `revision` (Debian) are NULL when absent. NULL when the text is NULL or not a version under the scheme. An unknown scheme is an error listing the valid ones.",
    syntax_example = "version_parse(version [, scheme])",
    sql_example = r#"```sql
> SELECT version_parse('1.0-RC-1')['normalized'] AS n, version_parse('1.0-RC-1')['pre'] AS pre, version_parse('1:2.3~rc1-1')['scheme'] AS s, version_parse('1.0-SNAPSHOT', 'maven')['is_prerelease'] AS p;
+--------+-----+--------+------+
| n      | pre | s      | p    |
+--------+-----+--------+------+
| 1.0rc1 | rc1 | debian | true |
+--------+-----+--------+------+
```"#,
    argument(name = "version", description = "A version string."),
    argument(
        name = "scheme",
        description = "Optional constant: `auto` (default), `pep440`, `semver`, `npm`, `go`, `calver`, `debian` or `maven`."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VersionParseFunc {
    signature: Signature,
    /// The scheme when the call gives none (the `[funnel]` config's).
    default_scheme: Scheme,
}

impl Default for VersionParseFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl VersionParseFunc {
    pub fn new() -> Self {
        Self::with_default_scheme(Scheme::Auto)
    }

    /// Reading under `scheme` when the call names none.
    pub fn with_default_scheme(scheme: Scheme) -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
            default_scheme: scheme,
        }
    }
}

/// The text fields of the struct, in order, after `scheme` and
/// `normalized` and `epoch`; `release` and `is_prerelease` are apart.
const TEXT: [&str; 6] = ["pre", "post", "dev", "local", "build", "revision"];

fn fields() -> Fields {
    let t = |n: &str| Field::new(n, DataType::Utf8, true);
    let mut f = vec![
        t("scheme"),
        t("normalized"),
        t("epoch"),
        Field::new(
            "release",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ),
    ];
    f.extend(TEXT.iter().map(|n| t(n)));
    f.push(Field::new("is_prerelease", DataType::Boolean, true));
    Fields::from(f)
}

fn texts(p: &Parsed) -> [Option<&str>; 6] {
    [
        p.pre.as_deref(),
        p.post.as_deref(),
        p.dev.as_deref(),
        p.local.as_deref(),
        p.build.as_deref(),
        p.revision.as_deref(),
    ]
}

impl ScalarUDFImpl for VersionParseFunc {
    fn name(&self) -> &str {
        "version_parse"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let f = self.name();
        arity(
            f,
            Params::with_optional(&["version", "scheme"], 1),
            arg_types.len(),
        )?;
        let mut out = vec![string_arg(f, 1, "version", &arg_types[0])?];
        if let Some(t) = arg_types.get(1) {
            out.push(string_arg(f, 2, "scheme", t)?);
        }
        Ok(out)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(fields()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scheme = scheme_arg(self.name(), args.args.get(1), self.default_scheme)?;
        let Some(v) = args.args.first() else {
            return exec_err!("'{}' takes 1 or 2 arguments", self.name());
        };
        let (array, scalar) = to_array(v)?;
        let versions = Strings::new(self.name(), &array)?;
        let n = array.len();
        let mut head: Vec<StringBuilder> = (0..3)
            .map(|_| StringBuilder::with_capacity(n, n * 8))
            .collect();
        let mut release = ListBuilder::new(StringBuilder::new());
        let mut text: Vec<StringBuilder> = TEXT.iter().map(|_| StringBuilder::new()).collect();
        let mut pre = BooleanBuilder::with_capacity(n);
        let mut valid = Vec::with_capacity(n);
        for i in 0..n {
            let p = versions.get(i).and_then(|t| scheme.describe(t));
            valid.push(p.is_some());
            match &p {
                Some(p) => {
                    head[0].append_value(p.scheme);
                    head[1].append_value(&p.normalized);
                    head[2].append_option(p.epoch.as_deref());
                    for r in &p.release {
                        release.values().append_value(r);
                    }
                    release.append(true);
                    for (b, v) in text.iter_mut().zip(texts(p)) {
                        b.append_option(v);
                    }
                    pre.append_value(p.is_prerelease);
                }
                None => {
                    head.iter_mut().for_each(|b| b.append_null());
                    release.append(false);
                    text.iter_mut().for_each(|b| b.append_null());
                    pre.append_null();
                }
            }
        }
        let mut columns: Vec<ArrayRef> = head
            .into_iter()
            .map(|mut b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        columns.push(Arc::new(release.finish()));
        columns.extend(
            text.into_iter()
                .map(|mut b| Arc::new(b.finish()) as ArrayRef),
        );
        columns.push(Arc::new(pre.finish()));
        let result = StructArray::try_new(fields(), columns, Some(NullBuffer::from(valid)))?;
        finish(Arc::new(result), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
