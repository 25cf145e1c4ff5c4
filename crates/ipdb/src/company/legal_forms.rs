//! Legal forms of companies, per country: the data [`super::company_key`]
//! strips from names.
//!
//! Written for leadlake from general knowledge of company law; the ISO 20275
//! "Entity Legal Forms" code list (kept by GLEIF, <https://www.gleif.org/en/about-lei/code-lists/iso-20275-entity-legal-forms-code-list>)
//! is the reference for what forms a country has and their abbreviations.
//! Covered: the G20 and EU countries, and a few neighbours (Norway,
//! Switzerland, Ukraine, Singapore, Malaysia, the Gulf states).
//!
//! Each row is a form as commonly written. Rows are read with the same
//! rules as names (lower case, dots and spaces inside acronyms ignored), so
//! `S.A.`, `SA` and `S/A` are one form, and `Sp. z o.o.` also matches
//! `Sp.z.o.o.` and `sp. z o. o.`. A form written the same in several
//! countries is one row listing them.
//!
//! Where a form counts ([`At`]):
//! - `L`: at the start of a name (`Oy Acme`, `ООО Ромашка`, `PT Acme`);
//! - `T`: at the end (`Acme GmbH`), repeatedly (`Acme Co., Ltd.`);
//! - `M`: anywhere after the first word, cutting the rest of the name
//!   (`Smith Ltd. Attorneys at Law`): only forms that are never ordinary
//!   words. A `T` form written as a dotted acronym (`S.A.`, `N.V.`, `P.C.`)
//!   counts in the middle too; written plain (`SA`, `Co.`) it does not.
//!
//! What a form needs to count ([`Need`]): dots (`P.C.`, not `PC`, a
//! computer), capitals (`AS Tallink`, not `As Seen On TV`), parentheses
//! (`(주)`, not the syllable `주`).

/// Where in a name a form is stripped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub lead: bool,
    pub trail: bool,
    pub mid: bool,
}

/// How a form must be written to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any spelling.
    Nothing,
    /// Every letter followed by a dot or joined by dots: `P.C.`, `p. c.`.
    Dots,
    /// All capitals.
    Caps,
    /// In parentheses.
    Parens,
}

/// One legal form.
#[derive(Debug, Clone, Copy)]
pub struct LegalForm {
    /// As commonly written.
    pub form: &'static str,
    /// ISO 3166-1 alpha-2 codes of the countries using it (`EU`: every EU
    /// country), separated by spaces.
    pub countries: &'static str,
    /// What it stands for.
    pub meaning: &'static str,
    pub at: At,
    pub need: Need,
}

const L: At = At {
    lead: true,
    trail: false,
    mid: false,
};
const T: At = At {
    lead: false,
    trail: true,
    mid: false,
};
const LT: At = At {
    lead: true,
    trail: true,
    mid: false,
};
const TM: At = At {
    lead: false,
    trail: true,
    mid: true,
};

const fn f(
    at: At,
    form: &'static str,
    countries: &'static str,
    meaning: &'static str,
) -> LegalForm {
    LegalForm {
        form,
        countries,
        meaning,
        at,
        need: Need::Nothing,
    }
}

impl LegalForm {
    const fn dots(self) -> Self {
        Self {
            need: Need::Dots,
            ..self
        }
    }
    const fn caps(self) -> Self {
        Self {
            need: Need::Caps,
            ..self
        }
    }
    const fn parens(self) -> Self {
        Self {
            need: Need::Parens,
            ..self
        }
    }
}

/// Every legal form, by country (rows shared by several countries appear
/// once, under the first).
pub const LEGAL_FORMS: &[LegalForm] = &[
    // United States (and the English-speaking world)
    f(TM, "Inc.", "US CA ZA AU PH", "incorporated"),
    f(TM, "Incorporated", "US CA", "incorporated"),
    f(TM, "Corp.", "US CA PH", "corporation"),
    f(T, "Corporation", "US CA JP KR", "corporation"),
    f(T, "Co.", "US GB CN JP KR TW HK", "company"),
    f(T, "Company", "US GB", "company"),
    f(
        TM,
        "LLC",
        "US AE SA QA OM RU UA",
        "limited liability company",
    ),
    f(TM, "Limited Liability Company", "US", "LLC"),
    f(TM, "LLP", "US GB IN", "limited liability partnership"),
    f(TM, "Limited Liability Partnership", "US GB IN", "LLP"),
    f(TM, "LLLP", "US", "limited liability limited partnership"),
    f(T, "L.P.", "US CA GB", "limited partnership"),
    f(T, "Limited Partnership", "US CA GB", "LP"),
    f(T, "P.C.", "US", "professional corporation").dots(),
    f(T, "Professional Corporation", "US CA", "PC"),
    f(T, "P.A.", "US", "professional association").dots(),
    f(T, "Professional Association", "US", "PA"),
    f(TM, "PLLC", "US", "professional limited liability company"),
    f(T, "FSB", "US", "federal savings bank"),
    f(T, "N.A.", "US", "national association (a national bank)"),
    f(T, "National Association", "US", "NA"),
    // United Kingdom, Ireland, Cyprus, Malta and the Commonwealth
    f(
        TM,
        "Ltd.",
        "GB IE CY MT IN HK SG AU NZ ZA CA IL NG KE",
        "limited",
    ),
    f(T, "Limited", "GB IE CY MT IN HK SG AU NZ ZA CA", "limited"),
    f(T, "Company Limited", "GB IE HK", "limited company"),
    f(
        TM,
        "Co., Ltd.",
        "CN JP KR TW TH VN",
        "company limited, in English",
    ),
    f(TM, "PLC", "GB IE CY MT NG", "public limited company"),
    f(TM, "Public Limited Company", "GB IE", "PLC"),
    f(T, "CIC", "GB", "community interest company"),
    f(T, "Community Interest Company", "GB", "CIC"),
    f(T, "CLG", "IE GB", "company limited by guarantee"),
    f(T, "DAC", "IE", "designated activity company"),
    f(T, "Designated Activity Company", "IE", "DAC"),
    f(T, "Teoranta", "IE", "limited, in Irish"),
    f(T, "Teo.", "IE", "teoranta"),
    f(T, "CPT", "IE", "cuideachta phoiblí theoranta (PLC)"),
    f(T, "CGA", "IE", "cuideachta ghníomhaíochta ainmnithe (DAC)"),
    // Canada
    f(T, "Ltée", "CA", "limitée"),
    f(T, "Ltee", "CA", "limitée, without the accent"),
    f(T, "Limitée", "CA", "limited, in French"),
    f(T, "Limitee", "CA", "limitée, without the accent"),
    f(T, "ULC", "CA", "unlimited liability corporation"),
    f(T, "S.E.N.C.", "CA", "société en nom collectif"),
    f(
        T,
        "S.E.N.C.R.L.",
        "CA",
        "société en nom collectif à responsabilité limitée",
    ),
    // Australia, South Africa
    f(
        TM,
        "Pty Ltd",
        "AU ZA",
        "proprietary limited; `(Pty) Ltd` in South Africa",
    ),
    f(TM, "Pty Limited", "AU ZA", "proprietary limited"),
    f(T, "Proprietary Limited", "AU ZA", "Pty Ltd"),
    f(T, "Pty", "AU ZA", "proprietary"),
    f(T, "CC", "ZA", "close corporation").caps(),
    f(T, "NPC", "ZA", "non-profit company"),
    f(T, "SOC Ltd", "ZA", "state-owned company"),
    // India, Singapore, Malaysia
    f(TM, "Pvt. Ltd.", "IN", "private limited"),
    f(TM, "Private Limited", "IN", "Pvt. Ltd."),
    f(T, "Pvt.", "IN", "private"),
    f(T, "OPC", "IN", "one person company"),
    f(TM, "Pte. Ltd.", "SG", "private limited"),
    f(T, "Pte.", "SG", "private"),
    f(TM, "Sdn. Bhd.", "MY", "sendirian berhad (private limited)"),
    f(TM, "Sendirian Berhad", "MY", "Sdn. Bhd."),
    f(T, "Bhd.", "MY", "berhad (limited)"),
    f(T, "Berhad", "MY", "limited"),
    // China, Taiwan, Hong Kong
    f(T, "有限公司", "CN HK TW", "limited company"),
    f(T, "股份有限公司", "CN TW", "company limited by shares"),
    f(T, "有限责任公司", "CN", "limited liability company"),
    f(
        T,
        "有限責任公司",
        "TW HK",
        "limited liability company (traditional script)",
    ),
    f(T, "股份公司", "CN", "joint-stock company"),
    // Japan
    f(LT, "株式会社", "JP", "kabushiki kaisha (stock company)"),
    f(
        LT,
        "有限会社",
        "JP",
        "yūgen kaisha (limited company, before 2006)",
    ),
    f(LT, "合同会社", "JP", "gōdō kaisha (LLC)"),
    f(LT, "合資会社", "JP", "gōshi kaisha (limited partnership)"),
    f(LT, "合名会社", "JP", "gōmei kaisha (general partnership)"),
    f(LT, "(株)", "JP", "株式会社, abbreviated (also ㈱)").parens(),
    f(LT, "(有)", "JP", "有限会社, abbreviated (also ㈲)").parens(),
    f(LT, "(同)", "JP", "合同会社, abbreviated").parens(),
    f(T, "K.K.", "JP", "kabushiki kaisha"),
    f(LT, "Kabushiki Kaisha", "JP", "stock company"),
    f(LT, "Kabushiki Gaisha", "JP", "stock company"),
    f(T, "G.K.", "JP", "gōdō kaisha").dots(),
    f(LT, "Godo Kaisha", "JP", "LLC"),
    f(T, "Y.K.", "JP", "yūgen kaisha").dots(),
    f(LT, "Yugen Kaisha", "JP", "limited company"),
    // Korea
    f(LT, "주식회사", "KR", "jusik hoesa (stock company)"),
    f(LT, "(주)", "KR", "주식회사, abbreviated (also ㈜)").parens(),
    f(LT, "유한회사", "KR", "yuhan hoesa (limited company)"),
    f(LT, "(유)", "KR", "유한회사, abbreviated").parens(),
    f(LT, "유한책임회사", "KR", "limited liability company"),
    f(LT, "합자회사", "KR", "limited partnership company"),
    f(LT, "합명회사", "KR", "general partnership company"),
    // Russia (and its neighbours' English renderings)
    f(
        LT,
        "ООО",
        "RU BY KZ",
        "общество с ограниченной ответственностью (LLC)",
    ),
    f(
        LT,
        "ОАО",
        "RU BY",
        "открытое акционерное общество (open joint-stock company)",
    ),
    f(
        LT,
        "ЗАО",
        "RU BY",
        "закрытое акционерное общество (closed joint-stock company)",
    ),
    f(
        LT,
        "ПАО",
        "RU",
        "публичное акционерное общество (public joint-stock company)",
    ),
    f(
        LT,
        "АО",
        "RU KZ",
        "акционерное общество (joint-stock company)",
    ),
    f(LT, "НАО", "RU", "непубличное акционерное общество"),
    f(
        L,
        "ИП",
        "RU KZ BY",
        "индивидуальный предприниматель (sole trader)",
    ),
    f(LT, "Общество с ограниченной ответственностью", "RU", "ООО"),
    f(LT, "Открытое акционерное общество", "RU", "ОАО"),
    f(LT, "Закрытое акционерное общество", "RU", "ЗАО"),
    f(LT, "Публичное акционерное общество", "RU", "ПАО"),
    f(LT, "Акционерное общество", "RU", "АО"),
    f(L, "Индивидуальный предприниматель", "RU", "ИП"),
    f(LT, "OOO", "RU", "ООО, in Latin letters"),
    f(LT, "OAO", "RU", "ОАО, in Latin letters"),
    f(LT, "ZAO", "RU", "ЗАО, in Latin letters"),
    f(LT, "PAO", "RU", "ПАО, in Latin letters"),
    f(L, "AO", "RU KZ", "АО, in Latin letters").caps(),
    f(LT, "JSC", "RU UA KZ AZ GE UZ SA", "joint-stock company"),
    f(LT, "PJSC", "RU UA AE", "public joint-stock company"),
    f(LT, "OJSC", "RU UA BY", "open joint-stock company"),
    f(LT, "CJSC", "RU UA AM SA", "closed joint-stock company"),
    // Ukraine
    f(
        LT,
        "ТОВ",
        "UA",
        "товариство з обмеженою відповідальністю (LLC)",
    ),
    f(
        LT,
        "ПАТ",
        "UA",
        "публічне акціонерне товариство (public JSC)",
    ),
    f(
        LT,
        "ПрАТ",
        "UA",
        "приватне акціонерне товариство (private JSC)",
    ),
    f(LT, "АТ", "UA", "акціонерне товариство (JSC)"),
    f(LT, "ПП", "UA", "приватне підприємство (private enterprise)"),
    f(L, "ФОП", "UA", "фізична особа-підприємець (sole trader)"),
    f(LT, "Товариство з обмеженою відповідальністю", "UA", "ТОВ"),
    f(LT, "Публічне акціонерне товариство", "UA", "ПАТ"),
    f(LT, "Приватне акціонерне товариство", "UA", "ПрАТ"),
    f(LT, "Акціонерне товариство", "UA", "АТ"),
    f(LT, "TOV", "UA", "ТОВ, in Latin letters"),
    f(LT, "PrAT", "UA", "ПрАТ, in Latin letters"),
    // Poland
    f(
        TM,
        "Sp. z o.o.",
        "PL",
        "spółka z ograniczoną odpowiedzialnością (LLC)",
    ),
    f(
        TM,
        "spółka z ograniczoną odpowiedzialnością",
        "PL",
        "Sp. z o.o.",
    ),
    f(T, "Sp. j.", "PL", "spółka jawna (general partnership)"),
    f(
        T,
        "Sp. k.",
        "PL",
        "spółka komandytowa (limited partnership)",
    ),
    f(
        T,
        "Sp. p.",
        "PL",
        "spółka partnerska (professional partnership)",
    ),
    f(T, "S.K.A.", "PL", "spółka komandytowo-akcyjna"),
    f(
        T,
        "P.S.A.",
        "PL",
        "prosta spółka akcyjna (simple joint-stock company)",
    ),
    f(T, "spółka akcyjna", "PL", "S.A."),
    f(T, "spółka jawna", "PL", "Sp. j."),
    f(T, "spółka komandytowa", "PL", "Sp. k."),
    // Germany, Austria, Switzerland, Liechtenstein
    f(
        TM,
        "GmbH",
        "DE AT CH LI",
        "Gesellschaft mit beschränkter Haftung (LLC)",
    ),
    f(TM, "gGmbH", "DE", "gemeinnützige GmbH (non-profit)"),
    f(T, "mbH", "DE AT", "mit beschränkter Haftung"),
    f(
        TM,
        "Gesellschaft mit beschränkter Haftung",
        "DE AT CH",
        "GmbH",
    ),
    f(T, "Gesellschaft mbH", "DE AT", "GmbH"),
    f(
        TM,
        "GmbH & Co. KG",
        "DE AT",
        "limited partnership with a GmbH as general partner",
    ),
    f(
        TM,
        "GmbH & Co. KGaA",
        "DE",
        "KGaA with a GmbH as general partner",
    ),
    f(
        T,
        "AG & Co. KG",
        "DE",
        "limited partnership with an AG as general partner",
    ),
    f(
        T,
        "SE & Co. KGaA",
        "DE",
        "KGaA with an SE as general partner",
    ),
    f(
        T,
        "AG",
        "DE AT CH LI",
        "Aktiengesellschaft (stock corporation)",
    ),
    f(T, "Aktiengesellschaft", "DE AT CH LI", "AG"),
    f(
        T,
        "KG",
        "DE AT",
        "Kommanditgesellschaft (limited partnership)",
    ),
    f(T, "Kommanditgesellschaft", "DE AT", "KG"),
    f(T, "KGaA", "DE", "Kommanditgesellschaft auf Aktien"),
    f(
        T,
        "OHG",
        "DE",
        "offene Handelsgesellschaft (general partnership)",
    ),
    f(
        T,
        "GbR",
        "DE",
        "Gesellschaft bürgerlichen Rechts (civil partnership)",
    ),
    f(
        T,
        "e.V.",
        "DE",
        "eingetragener Verein (registered association)",
    )
    .dots(),
    f(
        T,
        "e.K.",
        "DE",
        "eingetragener Kaufmann (registered merchant)",
    )
    .dots(),
    f(
        T,
        "eG",
        "DE AT",
        "eingetragene Genossenschaft (cooperative)",
    ),
    f(T, "UG", "DE", "Unternehmergesellschaft (mini-GmbH)"),
    f(
        TM,
        "UG (haftungsbeschränkt)",
        "DE",
        "Unternehmergesellschaft",
    ),
    f(
        TM,
        "UG (haftungsbeschraenkt)",
        "DE",
        "the same, spelt without the umlaut",
    ),
    f(T, "PartG", "DE", "Partnerschaftsgesellschaft"),
    f(
        T,
        "PartG mbB",
        "DE",
        "Partnerschaftsgesellschaft mit beschränkter Berufshaftung",
    ),
    f(TM, "GesmbH", "AT", "GmbH, Austrian spelling"),
    f(TM, "Ges.m.b.H.", "AT", "GmbH, Austrian spelling"),
    f(T, "OG", "AT", "offene Gesellschaft (general partnership)").caps(),
    f(
        T,
        "e.U.",
        "AT",
        "eingetragenes Unternehmen (registered sole trader)",
    )
    .dots(),
    f(
        T,
        "Sàrl",
        "CH",
        "société à responsabilité limitée (Swiss spelling)",
    ),
    f(T, "Sagl", "CH", "società a garanzia limitata"),
    // European Union
    f(T, "SE", "EU", "Societas Europaea"),
    // France, Belgium, Luxembourg (and French-speaking Switzerland)
    f(
        T,
        "S.A.",
        "FR BE LU CH ES PL PT BR AR GR RO MX CL CO PE",
        "société anonyme / sociedad anónima / spółka akcyjna / sociedade anónima (public company); `S/A` in Brazil",
    ),
    f(
        T,
        "SAS",
        "FR LU IT AR CO",
        "société par actions simplifiée / società in accomandita semplice / sociedad por acciones simplificada",
    ),
    f(T, "SASU", "FR", "SAS unipersonnelle"),
    f(
        TM,
        "SARL",
        "FR LU MA TN",
        "société à responsabilité limitée",
    ),
    f(TM, "S.à r.l.", "LU", "société à responsabilité limitée"),
    f(
        T,
        "EURL",
        "FR",
        "entreprise unipersonnelle à responsabilité limitée",
    ),
    f(
        T,
        "SNC",
        "FR LU IT",
        "société en nom collectif / società in nome collettivo",
    ),
    f(T, "SCA", "FR LU BE", "société en commandite par actions"),
    f(T, "SCS", "LU BE", "société en commandite simple"),
    f(T, "SCSp", "LU", "société en commandite spéciale"),
    f(T, "SCI", "FR", "société civile immobilière"),
    f(T, "Société anonyme", "FR BE LU CH", "SA"),
    f(T, "Société par actions simplifiée", "FR", "SAS"),
    f(T, "Société à responsabilité limitée", "FR BE LU CH", "SARL"),
    f(T, "Cie", "FR BE CH LU", "compagnie (`& Cie`)"),
    f(
        T,
        "SRL",
        "BE RO IT AR MD",
        "société à responsabilité limitée (Belgium since 2019) / societate cu răspundere limitată / società a responsabilità limitata / sociedad de responsabilidad limitada",
    ),
    f(
        TM,
        "S.R.L.",
        "RO IT AR",
        "the same, dotted: never an ordinary word",
    ),
    f(
        T,
        "BVBA",
        "BE",
        "besloten vennootschap met beperkte aansprakelijkheid (before 2019)",
    ),
    f(
        T,
        "SPRL",
        "BE",
        "société privée à responsabilité limitée (before 2019)",
    ),
    f(
        T,
        "SCRL",
        "BE",
        "société coopérative à responsabilité limitée",
    ),
    f(
        T,
        "CVBA",
        "BE",
        "coöperatieve vennootschap met beperkte aansprakelijkheid",
    ),
    f(T, "Comm.V.", "BE", "commanditaire vennootschap"),
    f(T, "ASBL", "BE LU", "association sans but lucratif"),
    f(T, "VZW", "BE", "vereniging zonder winstoogmerk"),
    // Netherlands (and Belgium's Dutch forms)
    f(
        T,
        "B.V.",
        "NL BE",
        "besloten vennootschap (private limited company)",
    ),
    f(
        T,
        "N.V.",
        "NL BE SR CW",
        "naamloze vennootschap (public limited company)",
    ),
    f(
        T,
        "V.O.F.",
        "NL BE",
        "vennootschap onder firma (general partnership)",
    ),
    f(
        T,
        "C.V.",
        "NL BE",
        "commanditaire vennootschap / coöperatieve vennootschap",
    ),
    f(
        T,
        "U.A.",
        "NL",
        "uitgesloten aansprakelijkheid (cooperative)",
    )
    .dots(),
    f(L, "Stichting", "NL", "foundation"),
    // Italy
    f(
        T,
        "S.p.A.",
        "IT SM",
        "società per azioni (joint-stock company)",
    ),
    f(
        T,
        "S.r.l.s.",
        "IT",
        "società a responsabilità limitata semplificata",
    ),
    f(T, "S.a.p.a.", "IT", "società in accomandita per azioni"),
    f(
        T,
        "S.c.a.r.l.",
        "IT",
        "società consortile a responsabilità limitata",
    ),
    f(T, "Soc. Coop.", "IT", "società cooperativa"),
    f(T, "società per azioni", "IT", "S.p.A."),
    f(T, "società a responsabilità limitata", "IT", "S.r.l."),
    // Spain
    f(T, "S.L.", "ES", "sociedad limitada"),
    f(T, "S.L.U.", "ES", "sociedad limitada unipersonal"),
    f(T, "S.A.U.", "ES AR", "sociedad anónima unipersonal"),
    f(T, "S.L.L.", "ES", "sociedad limitada laboral"),
    f(T, "S.Coop.", "ES", "sociedad cooperativa"),
    f(T, "Sociedad Limitada", "ES", "S.L."),
    f(T, "Sociedad Anónima", "ES MX AR CL CO PE", "S.A."),
    f(
        T,
        "Sociedad de Responsabilidad Limitada",
        "ES MX AR",
        "S.R.L.",
    ),
    f(T, "Cía.", "ES MX AR", "compañía (`y Cía.`)"),
    f(T, "Cia.", "BR PT ES", "companhia / compañía"),
    // Portugal
    f(T, "Lda.", "PT", "sociedade por quotas (limitada)"),
    f(T, "Limitada", "PT BR CL", "limited"),
    f(T, "Unipessoal", "PT", "single-member (`Unipessoal Lda.`)"),
    f(
        T,
        "SGPS",
        "PT",
        "sociedade gestora de participações sociais (holding)",
    ),
    f(T, "Sociedade Anónima", "PT", "S.A."),
    // Brazil
    f(TM, "Ltda.", "BR CL CO", "limitada (limited company)"),
    f(
        TM,
        "EIRELI",
        "BR",
        "empresa individual de responsabilidade limitada",
    ),
    f(T, "M.E.", "BR", "microempresa").dots(),
    f(T, "Ltda. ME", "BR", "limitada microempresa"),
    f(T, "Ltda. EPP", "BR", "limitada empresa de pequeno porte"),
    f(T, "EPP", "BR", "empresa de pequeno porte (small business)"),
    f(T, "MEI", "BR", "microempreendedor individual").caps(),
    f(T, "Sociedade Anônima", "BR", "S.A."),
    // Mexico, Argentina, Chile, Peru
    f(
        TM,
        "S.A. de C.V.",
        "MX",
        "sociedad anónima de capital variable",
    ),
    f(
        TM,
        "S. de R.L. de C.V.",
        "MX",
        "sociedad de responsabilidad limitada de capital variable",
    ),
    f(
        TM,
        "S.A.B. de C.V.",
        "MX",
        "sociedad anónima bursátil de capital variable",
    ),
    f(
        TM,
        "S.A.P.I. de C.V.",
        "MX",
        "sociedad anónima promotora de inversión de capital variable",
    ),
    f(
        T,
        "S. de R.L.",
        "MX",
        "sociedad de responsabilidad limitada",
    ),
    f(
        T,
        "EIRL",
        "CL PE",
        "empresa individual de responsabilidad limitada",
    ),
    // Turkey
    f(
        T,
        "A.Ş.",
        "TR",
        "anonim şirket (joint-stock company); `A.S.` without the cedilla is the Norwegian row",
    ),
    f(T, "Anonim Şirketi", "TR", "A.Ş."),
    f(TM, "Ltd. Şti.", "TR", "limited şirketi (limited company)"),
    f(TM, "Ltd. Sti.", "TR", "the same, without the cedilla"),
    f(T, "Şti.", "TR", "şirketi (company)"),
    f(T, "Sti.", "TR", "şirketi, without the cedilla"),
    f(T, "Limited Şirketi", "TR", "Ltd. Şti."),
    // Indonesia
    f(L, "PT", "ID", "perseroan terbatas (limited company)").caps(),
    f(L, "Perseroan Terbatas", "ID", "PT"),
    f(T, "Tbk.", "ID", "terbuka (listed)"),
    f(T, "Persero", "ID", "state-owned (`(Persero)`)"),
    f(
        L,
        "CV",
        "ID",
        "commanditaire vennootschap (limited partnership)",
    )
    .caps(),
    // Saudi Arabia and the Gulf
    f(TM, "W.L.L.", "BH KW QA SA", "with limited liability"),
    f(T, "FZE", "AE", "free zone establishment"),
    f(T, "FZCO", "AE", "free zone company"),
    f(T, "FZ-LLC", "AE", "free zone limited liability company"),
    f(
        T,
        "ذ.م.م",
        "AE SA",
        "ذات مسؤولية محدودة (with limited liability)",
    ),
    f(
        T,
        "ش.م.ع",
        "AE",
        "شركة مساهمة عامة (public joint-stock company)",
    ),
    f(L, "شركة", "SA AE EG", "company (written first)"),
    // Nordic countries
    f(
        T,
        "AS",
        "NO DK TR CZ SK EE LV",
        "aksjeselskap / aktieselskab (A/S) / anonim şirket (A.S.) / akciová společnost (a.s.) / aktsiaselts / akciju sabiedrība",
    ),
    f(L, "AS", "EE LV", "the same, written first").caps(),
    f(
        T,
        "ASA",
        "NO",
        "allmennaksjeselskap (public limited company)",
    ),
    f(T, "ANS", "NO", "ansvarlig selskap (general partnership)"),
    f(
        T,
        "NUF",
        "NO",
        "norskregistrert utenlandsk foretak (branch)",
    ),
    f(T, "A/S", "DK", "aktieselskab"),
    f(T, "ApS", "DK", "anpartsselskab (private limited company)"),
    f(T, "I/S", "DK", "interessentskab (general partnership)").dots(),
    f(T, "P/S", "DK", "partnerselskab").dots(),
    f(T, "K/S", "DK", "kommanditselskab").dots(),
    f(T, "IVS", "DK", "iværksætterselskab"),
    f(T, "A.m.b.a.", "DK", "andelsselskab med begrænset ansvar"),
    f(
        LT,
        "AB",
        "SE FI LT",
        "aktiebolag / akcinė bendrovė (joint-stock company)",
    ),
    f(T, "Aktiebolag", "SE", "AB"),
    f(T, "HB", "SE", "handelsbolag (trading partnership)").caps(),
    f(T, "KB", "SE", "kommanditbolag (limited partnership)").caps(),
    f(T, "(publ)", "SE", "public AB"),
    f(T, "Ek. för.", "SE", "ekonomisk förening (cooperative)"),
    f(LT, "Oy", "FI", "osakeyhtiö (limited company)"),
    f(
        LT,
        "Oyj",
        "FI",
        "julkinen osakeyhtiö (public limited company)",
    ),
    f(T, "Osakeyhtiö", "FI", "Oy"),
    f(T, "Tmi", "FI", "toiminimi (sole trader)"),
    // Baltic states
    f(LT, "OÜ", "EE", "osaühing (private limited company)"),
    f(T, "OU", "EE", "OÜ, without the umlaut"),
    f(
        LT,
        "MTÜ",
        "EE",
        "mittetulundusühing (non-profit association)",
    ),
    f(
        T,
        "SIA",
        "LV",
        "sabiedrība ar ierobežotu atbildību (limited company)",
    ),
    f(L, "SIA", "LV", "the same, written first").caps(),
    f(
        LT,
        "UAB",
        "LT",
        "uždaroji akcinė bendrovė (private limited company)",
    ),
    f(LT, "VšĮ", "LT", "viešoji įstaiga (public institution)"),
    // Czechia, Slovakia
    f(
        TM,
        "s.r.o.",
        "CZ SK",
        "společnost s ručením omezeným / spoločnosť s ručením obmedzeným",
    ),
    f(TM, "spol. s r.o.", "CZ SK", "s.r.o."),
    f(
        T,
        "a.s.",
        "CZ SK",
        "akciová společnost / akciová spoločnosť",
    ),
    f(
        T,
        "v.o.s.",
        "CZ SK",
        "veřejná obchodní společnost (general partnership)",
    ),
    f(
        T,
        "k.s.",
        "CZ SK",
        "komanditní společnost (limited partnership)",
    )
    .dots(),
    f(T, "z.s.", "CZ", "zapsaný spolek (association)").dots(),
    f(
        T,
        "o.p.s.",
        "CZ",
        "obecně prospěšná společnost (public benefit company)",
    ),
    f(T, "j.s.a.", "SK", "jednoduchá spoločnosť na akcie"),
    // Hungary
    f(TM, "Kft.", "HU", "korlátolt felelősségű társaság (LLC)"),
    f(
        TM,
        "Zrt.",
        "HU",
        "zártkörűen működő részvénytársaság (private company limited by shares)",
    ),
    f(
        TM,
        "Nyrt.",
        "HU",
        "nyilvánosan működő részvénytársaság (public company limited by shares)",
    ),
    f(T, "Bt.", "HU", "betéti társaság (limited partnership)").dots(),
    f(
        T,
        "Kkt.",
        "HU",
        "közkereseti társaság (general partnership)",
    ),
    f(T, "Rt.", "HU", "részvénytársaság (before 2006)").dots(),
    // Romania (S.R.L. and S.A. above)
    f(T, "PFA", "RO", "persoană fizică autorizată (sole trader)"),
    // Bulgaria
    f(
        LT,
        "ЕООД",
        "BG",
        "еднолично дружество с ограничена отговорност (single-member LLC)",
    ),
    f(LT, "ООД", "BG", "дружество с ограничена отговорност (LLC)"),
    f(LT, "АД", "BG", "акционерно дружество (joint-stock company)"),
    f(LT, "ЕАД", "BG", "еднолично акционерно дружество"),
    f(LT, "ЕТ", "BG", "едноличен търговец (sole trader)"),
    f(T, "КД", "BG", "командитно дружество (limited partnership)"),
    f(T, "EOOD", "BG", "ЕООД, in Latin letters"),
    f(T, "OOD", "BG", "ООД, in Latin letters"),
    f(T, "EAD", "BG", "ЕАД, in Latin letters"),
    f(T, "AD", "BG", "АД, in Latin letters").caps(),
    // Greece, Cyprus
    f(LT, "Α.Ε.", "GR CY", "ανώνυμη εταιρεία (société anonyme)"),
    f(LT, "Ε.Π.Ε.", "GR", "εταιρεία περιορισμένης ευθύνης (LLC)"),
    f(T, "Ο.Ε.", "GR", "ομόρρυθμη εταιρεία (general partnership)"),
    f(
        T,
        "Ε.Ε.",
        "GR",
        "ετερόρρυθμη εταιρεία (limited partnership)",
    ),
    f(
        T,
        "Ι.Κ.Ε.",
        "GR",
        "ιδιωτική κεφαλαιουχική εταιρεία (private company)",
    ),
    f(
        T,
        "Μ.Ι.Κ.Ε.",
        "GR",
        "μονοπρόσωπη ΙΚΕ (single-member private company)",
    ),
    f(T, "Α.Β.Ε.Ε.", "GR", "ανώνυμη βιομηχανική εμπορική εταιρεία"),
    f(T, "Ανώνυμη Εταιρεία", "GR CY", "Α.Ε."),
    // Slovenia, Croatia and their neighbours
    f(
        TM,
        "d.o.o.",
        "SI HR BA RS ME MK",
        "družba / društvo s ograničenom odgovornošću (LLC)",
    ),
    f(
        T,
        "d.d.",
        "SI HR BA",
        "delniška družba / dioničko društvo (joint-stock company)",
    ),
    f(T, "j.d.o.o.", "HR", "jednostavno d.o.o. (simple LLC)"),
    f(T, "k.d.", "SI HR", "komanditna družba / komanditno društvo").dots(),
    f(
        T,
        "d.n.o.",
        "SI",
        "družba z neomejeno odgovornostjo (general partnership)",
    ),
    f(T, "s.p.", "SI CZ", "samostojni podjetnik / státní podnik").dots(),
];
