//! `ip_company(ip)`: everything known about the organisation behind an address.

use super::address_table::{BatchAnswers, Field};
use super::text_type;
use arrow::array::{ArrayRef, StructArray};
use arrow::datatypes::{DataType, Field as ArrowField, Fields};
use datafusion::common::{Result, internal_datafusion_err};
use datafusion_macros::user_doc;
use std::sync::{Arc, LazyLock};

address_function! {
    #[user_doc(
    doc_section(label = "leadlake IP functions"),
    description = r#"The organisation behind an address, from the configured override ranges and MaxMind-format databases.
Returns a struct: `company` (as the source spells it), `company_key` (normalised for grouping: "ACME, Inc." and "Acme GmbH" are both `acme`), `domain` (lower-case), `asn`, `asn_org`, `network` (the matching network, CIDR), `network_type` (`business`, `hosting`, `isp`, `anonymous`, `education`, `government` or `unknown`) and `source`, a struct naming the source of `company`, `domain`, `asn` and `network_type` (a database's type such as `GeoIP2-ISP`, `override` or `builtin`) and `why`, the signal that decided the network type (`override`, `anonymous_ip`, `declared_type`, `hosting_asn`, `institution_domain`, `institution_name`, `connection_type`, `isp_customer`, `business_asn`, `access_asn`, `access_name`, `access_domain`, `own_network` or `isp_record`).
A company that runs its own network (the ISP and organisation both name it) is `business` unless its AS is on the built-in access-provider list (or `extra_isp_asns`) or its names or domain are an access provider's.
Only `business` answers make company leads. A NULL or malformed address gives NULL; an address no source knows gives a struct whose `network_type` is `unknown` and whose other fields are NULL."#,
    syntax_example = "ip_company(ip)",
    sql_example = r#"```sql
> SELECT ip_company('1.128.0.1')['company'] AS company, ip_company('1.128.0.1')['asn'] AS asn, ip_company('1.128.0.1')['network_type'] AS type, ip_company('1.128.0.1')['source']['why'] AS why;
+------------------+------+------+------------+
| company          | asn  | type | why        |
+------------------+------+------+------------+
| Telstra Internet | 1221 | isp  | access_asn |
+------------------+------+------+------------+
```"#,
    argument(
        name = "ip",
        description = "IPv4 or IPv6 address: a string (Utf8, LargeUtf8, Utf8View, dictionary) or 4/16 network-order bytes."
    )
)]
    IpCompanyFunc,
    "ip_company",
    return_type: DataType::Struct(RETURN_FIELDS.clone()),
    invoke: company_struct,
}

const STRUCT_FIELDS: [(&str, Field); 6] = [
    ("company", Field::Company),
    ("company_key", Field::CompanyKey),
    ("domain", Field::Domain),
    ("asn_org", Field::AsnOrg),
    ("network", Field::Network),
    ("network_type", Field::NetworkType),
];
const SOURCE_FIELDS: [(&str, Field); 5] = [
    ("company", Field::SourceCompany),
    ("domain", Field::SourceDomain),
    ("asn", Field::SourceAsn),
    ("network_type", Field::SourceNetworkType),
    ("why", Field::SourceWhy),
];

fn source_fields() -> Fields {
    SOURCE_FIELDS
        .iter()
        .map(|(n, _)| ArrowField::new(*n, text_type(), true))
        .collect()
}

static RETURN_FIELDS: LazyLock<Fields> = LazyLock::new(|| {
    vec![
        ArrowField::new("company", text_type(), true),
        ArrowField::new("company_key", text_type(), true),
        ArrowField::new("domain", text_type(), true),
        ArrowField::new("asn", DataType::UInt32, true),
        ArrowField::new("asn_org", text_type(), true),
        ArrowField::new("network", text_type(), true),
        ArrowField::new("network_type", text_type(), true),
        ArrowField::new("source", DataType::Struct(source_fields()), true),
    ]
    .into()
});

/// The answer struct of each row.
fn company_struct(mut answers: BatchAnswers<'_>) -> Result<ArrayRef> {
    let wanted: Vec<Field> = STRUCT_FIELDS
        .iter()
        .chain(SOURCE_FIELDS.iter())
        .map(|(_, f)| *f)
        .collect();
    let mut texts = answers.texts(&wanted);
    let sources = texts.split_off(STRUCT_FIELDS.len());
    let [company, company_key, domain, asn_org, network, network_type]: [ArrayRef; 6] = texts
        .try_into()
        .map_err(|_| internal_datafusion_err!("ip_company: one text column per field"))?;
    let source = StructArray::try_new(source_fields(), sources, None)?;
    let children: Vec<ArrayRef> = vec![
        company,
        company_key,
        domain,
        Arc::new(answers.asns()),
        asn_org,
        network,
        network_type,
        Arc::new(source),
    ];
    Ok(Arc::new(StructArray::try_new(
        RETURN_FIELDS.clone(),
        children,
        answers.nulls(),
    )?))
}
