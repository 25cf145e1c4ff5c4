//! `ua_info(user_agent)`: client, version, CI, system and bot flags.

use super::agents::{Agents, parse_bytes};
use crate::args::{Params, arity, string_or_binary_arg};
use crate::ip::{finish, to_array};
use arrow::array::{Array, ArrayRef, BooleanBuilder, StringBuilder, StructArray};
use arrow::buffer::NullBuffer;
use arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use foldhash::HashMap;
use leadlake_funnel::ua::UaInfo;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "What a user agent tells: a struct {client, client_version, is_ci, ci_provider, os, arch, is_bot, bot_kind, client_kind}. `client` names the installer (pip, uv, poetry, pdm, pipenv, pex, hatch, conda, mamba, micromamba, npm, yarn, pnpm, bun, cargo, maven, gradle, go, docker, helm, …), mirror (bandersnatch, z3c.pypimirror, pep381client), proxy (artifactory, nexus, devpi, pulp), dependency bot (renovate, dependabot), tool (curl, wget, python-requests, twine, maturin, http-library), `browser` or `bot`. `client_kind` is installer, mirror, proxy, bot, browser or tool. Crawlers come from the public monperrus/crawler-user-agents list plus our additions; `bot_kind` is search, ai_crawler, preview, monitor, scanner or other (NULL when not a bot). pip and uv JSON agents give `is_ci`, system and cpu; npm/yarn/pnpm give os, arch and `ci/<provider>`; Docker gives os/arch and a CI builder from `UpstreamClient(...)`. Fields the agent does not tell are NULL; an agent nobody knows gives a struct of NULLs; a NULL, empty or all-space agent gives NULL. Binary input is read as UTF-8 with invalid bytes replaced by U+FFFD. Only the first 4096 bytes are searched for crawler patterns.",
    syntax_example = "ua_info(user_agent)",
    sql_example = r#"```sql
> SELECT ua_info('Nexus/3.6.0-02 (OSS; Linux; 4.4.0-62-generic; amd64; 1.8.0_144)') AS info;
+------------------------------------------------------------------------------------------------------------------------------------------+
| info                                                                                                                                     |
+------------------------------------------------------------------------------------------------------------------------------------------+
| {client: nexus, client_version: 3.6.0-02, is_ci: , ci_provider: , os: linux, arch: amd64, is_bot: false, bot_kind: , client_kind: proxy} |
+------------------------------------------------------------------------------------------------------------------------------------------+
```"#,
    argument(
        name = "user_agent",
        description = "The User-Agent header: a string, or binary (raw header bytes)."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct UaInfoFunc {
    signature: Signature,
}

impl Default for UaInfoFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl UaInfoFunc {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

fn fields() -> Fields {
    let t = |n: &str| Field::new(n, DataType::Utf8, true);
    let b = |n: &str| Field::new(n, DataType::Boolean, true);
    Fields::from(vec![
        t("client"),
        t("client_version"),
        b("is_ci"),
        t("ci_provider"),
        t("os"),
        t("arch"),
        b("is_bot"),
        t("bot_kind"),
        t("client_kind"),
    ])
}

impl ScalarUDFImpl for UaInfoFunc {
    fn name(&self) -> &str {
        "ua_info"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arity(self.name(), Params::all(&["user_agent"]), arg_types.len())?;
        Ok(vec![string_or_binary_arg(
            self.name(),
            1,
            "user_agent",
            &arg_types[0],
        )?])
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(fields()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [ua] = datafusion::common::utils::take_function_args(self.name(), &args.args)?;
        let (array, scalar) = to_array(ua)?;
        let agents = Agents::new(self.name(), &array)?;
        let n = array.len();
        // agents repeat heavily: parse each distinct one once per batch
        let mut seen: HashMap<&[u8], Option<UaInfo>> = HashMap::default();
        let mut text: Vec<StringBuilder> = (0..7)
            .map(|_| StringBuilder::with_capacity(n, n * 6))
            .collect();
        let (mut is_ci, mut is_bot) = (
            BooleanBuilder::with_capacity(n),
            BooleanBuilder::with_capacity(n),
        );
        let mut valid = Vec::with_capacity(n);
        for i in 0..n {
            let info = agents
                .get(i)
                .and_then(|a| seen.entry(a).or_insert_with(|| parse_bytes(a)).as_ref());
            valid.push(info.is_some());
            let values = info.map(|u| {
                [
                    u.client.as_deref(),
                    u.client_version.as_deref(),
                    u.ci_provider.as_deref(),
                    u.os.as_deref(),
                    u.arch.as_deref(),
                    u.bot_kind.map(|k| k.as_str()),
                    u.client_kind.map(|k| k.as_str()),
                ]
            });
            for (k, b) in text.iter_mut().enumerate() {
                b.append_option(values.and_then(|v| v[k]));
            }
            is_ci.append_option(info.and_then(|u| u.is_ci));
            is_bot.append_option(info.and_then(|u| u.is_bot));
        }
        let mut t = text
            .into_iter()
            .map(|mut b| Arc::new(b.finish()) as ArrayRef);
        let mut next = || {
            t.next()
                .unwrap_or_else(|| arrow::array::new_null_array(&DataType::Utf8, n))
        };
        let (client, version, provider, os, arch, bot_kind, client_kind) =
            (next(), next(), next(), next(), next(), next(), next());
        let columns: Vec<ArrayRef> = vec![
            client,
            version,
            Arc::new(is_ci.finish()),
            provider,
            os,
            arch,
            Arc::new(is_bot.finish()),
            bot_kind,
            client_kind,
        ];
        let result = StructArray::try_new(fields(), columns, Some(NullBuffer::from(valid)))?;
        finish(Arc::new(result), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
