//! Company naming: one key for the many spellings of one organisation.
//!
//! `company_key("ACME, Inc.") == company_key("Acme Corp") == company_key("Acme GmbH") == "acme"`.
//!
//! The key is the name lower-cased, with punctuation turned into spaces, `&`
//! read as `and`, a leading `the` dropped and trailing legal-form words
//! removed (repeatedly: "Acme Holdings Co., Ltd." is "acme holdings"). A name
//! made only of such words keeps them, so no name ever has an empty key.

/// Legal forms removed from the end of a name (compared after lower-casing
/// and removing dots, so "S.A." is "sa").
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "kgaa",
    "ug",
    "se",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "ab",
    "oy",
    "oyj",
    "as",
    "asa",
    "aps",
    "kk",
    "pty",
    "pte",
    "pvt",
    "private",
    "sl",
    "sro",
    "zoo",
    "sp",
    "bhd",
    "sdn",
    "tbk",
    "cv",
    "de",
    "ltda",
    "eirl",
    "group",
];

/// Web suffixes dropped from the end of a name ("Amazon.com" is "amazon").
const WEB_SUFFIXES: &[&str] = &["com", "net", "org", "io"];

/// The grouping key of a company name; `None` for a blank name.
pub fn company_key(name: &str) -> Option<String> {
    let mut cleaned = String::with_capacity(name.len());
    for token in name.split_whitespace() {
        // "S.A." and "N.V." are acronyms: join their letters; other dots
        // ("Amazon.com") separate words.
        let acronym = token.contains('.') && token.split('.').all(|p| p.chars().count() <= 1);
        for c in token.chars() {
            if c.is_ascii_alphanumeric() {
                // the common case first, without Unicode case tables
                cleaned.push(c.to_ascii_lowercase());
            } else if c == '&' {
                cleaned.push_str(" and ");
            } else if c == '\'' || c == '’' || (c == '.' && acronym) {
                // "McDonald's" -> "mcdonalds"
            } else if c.is_alphanumeric() {
                cleaned.extend(c.to_lowercase());
            } else {
                cleaned.push(' ');
            }
        }
        cleaned.push(' ');
    }
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| LEGAL_FORMS.contains(w) || WEB_SUFFIXES.contains(w) || *w == "and")
    {
        words.pop();
    }
    Some(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::company_key;

    #[test]
    fn spellings_of_one_company_share_a_key() {
        for name in [
            "Acme Corp",
            "ACME, Inc.",
            "Acme GmbH",
            "acme",
            "The Acme Company",
            "Acme Co., Ltd.",
            "ACME S.A.",
            " Acme  LLC ",
        ] {
            assert_eq!(company_key(name).as_deref(), Some("acme"), "{name}");
        }
    }

    #[test]
    fn keeps_meaningful_words() {
        assert_eq!(
            company_key("Fairpoint Communications").as_deref(),
            Some("fairpoint communications")
        );
        assert_eq!(
            company_key("AT&T Services").as_deref(),
            Some("at and t services")
        );
        assert_eq!(
            company_key("Johnson & Johnson").as_deref(),
            Some("johnson and johnson")
        );
        assert_eq!(
            company_key("Procter & Gamble Co").as_deref(),
            Some("procter and gamble")
        );
        assert_eq!(
            company_key("Société Générale S.A.").as_deref(),
            Some("société générale")
        );
    }

    #[test]
    fn degenerate_names() {
        assert_eq!(company_key(""), None);
        assert_eq!(company_key(" ,. "), None);
        assert_eq!(company_key("Limited").as_deref(), Some("limited"));
        assert_eq!(company_key("The").as_deref(), Some("the"));
    }
}
