//! The canned queries' answers the report is drawn from, as typed rows.
//! The report applies no rule of its own: stages, scores, reasons and
//! shares are the queries' (`queries/*.sql`).

use super::columns::Answer;
use crate::error::CliError;
use arrow::array::RecordBatch;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The queries the report reads, in the order it runs them.
pub const QUERIES: [&str; 6] = [
    "company_leads",
    "stage_changes",
    "churn_risk",
    "weekly_funnel",
    "version_adoption",
    "traffic_quality",
];

/// Each query's batches, by query name.
pub type Results = BTreeMap<String, Vec<RecordBatch>>;

/// A row of `company_leads`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub company: String,
    pub company_key: String,
    pub domain: Option<String>,
    pub stage: String,
    pub score: Option<i64>,
    pub why: Option<String>,
    pub action: Option<String>,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
}

/// A row of `stage_changes`: `previous` is `None` for a company new in
/// the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub company_key: String,
    pub domain: Option<String>,
    pub previous: Option<String>,
    pub stage: String,
    pub previous_as_of: Option<DateTime<Utc>>,
}

/// A row of `churn_risk`.
#[derive(Debug, Clone, PartialEq)]
pub struct Waning {
    pub company_key: String,
    pub domain: Option<String>,
    pub score: Option<i64>,
    pub events_prev30: Option<i64>,
    pub events_last30: Option<i64>,
    pub drop_pct: Option<f64>,
    pub last_seen: Option<DateTime<Utc>>,
}

/// A row of `weekly_funnel`.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekCount {
    pub week: DateTime<Utc>,
    pub stage: String,
    pub companies: i64,
}

/// A row of `version_adoption`.
#[derive(Debug, Clone, PartialEq)]
pub struct Adoption {
    pub version: String,
    pub companies: i64,
    pub share_pct: f64,
    pub outdated: Option<bool>,
}

/// A row of `traffic_quality`.
#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    pub source: String,
    pub events: i64,
    pub share_pct: f64,
}

/// Everything the report shows, each part from its query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    pub leads: Vec<Lead>,
    pub moves: Vec<Move>,
    pub waning: Vec<Waning>,
    pub weeks: Vec<WeekCount>,
    pub versions: Vec<Adoption>,
    pub traffic: Vec<Traffic>,
}

/// Company names by company key, from `company_leads`: `churn_risk` and
/// `stage_changes` give only the key.
pub type Names<'a> = BTreeMap<&'a str, &'a str>;

impl Answers {
    pub fn names(&self) -> Names<'_> {
        self.leads
            .iter()
            .map(|l| (l.company_key.as_str(), l.company.as_str()))
            .collect()
    }
}

/// A company's name, else its key (an access population is no lead).
pub fn name_of<'a>(names: &Names<'a>, key: &'a str) -> &'a str {
    names.get(key).copied().unwrap_or(key)
}

/// The label of a company without a stage (no event the rules count).
pub const NO_STAGE: &str = "none";

impl Answers {
    /// Read the answers of [`QUERIES`] from `results`.
    pub fn from_results(results: &Results) -> Result<Self, CliError> {
        let answer = |name: &'static str| {
            results
                .get(name)
                .map(|b| Answer::new(name, b))
                .ok_or_else(|| CliError::Output(format!("report: no answer of {name}")))
        };
        Ok(Self {
            leads: leads(answer("company_leads")?)?,
            moves: moves(answer("stage_changes")?)?,
            waning: waning(answer("churn_risk")?)?,
            weeks: weeks(answer("weekly_funnel")?)?,
            versions: versions(answer("version_adoption")?)?,
            traffic: traffic(answer("traffic_quality")?)?,
        })
    }
}

fn stage(s: Option<String>) -> String {
    s.unwrap_or_else(|| NO_STAGE.into())
}

fn leads(a: Answer<'_>) -> Result<Vec<Lead>, CliError> {
    let (company, key) = (a.text("company")?, a.text("company_key")?);
    let (domain, stages) = (a.text("domain")?, a.text("stage")?);
    let (score, why, action) = (a.int("score")?, a.text("stage_reason")?, a.text("action")?);
    let (first, last) = (a.time("first_seen")?, a.time("last_seen")?);
    let mut out = Vec::with_capacity(company.len());
    for (i, name) in company.into_iter().enumerate() {
        out.push(Lead {
            // a Scarf row may carry a domain and no name: the key names it
            company: name.or_else(|| key[i].clone()).unwrap_or_default(),
            company_key: key[i].clone().unwrap_or_default(),
            domain: domain[i].clone(),
            stage: stage(stages[i].clone()),
            score: score[i],
            why: why[i].clone(),
            action: action[i].clone(),
            first_seen: first[i],
            last_seen: last[i],
        });
    }
    Ok(out)
}

fn moves(a: Answer<'_>) -> Result<Vec<Move>, CliError> {
    let (key, domain) = (a.text("company_key")?, a.text("domain")?);
    let (previous, stages) = (a.text("previous_stage")?, a.text("stage")?);
    let previous_as_of = a.time("previous_as_of")?;
    Ok(key
        .into_iter()
        .enumerate()
        .map(|(i, k)| Move {
            company_key: k.unwrap_or_default(),
            domain: domain[i].clone(),
            previous: previous[i].clone(),
            stage: stage(stages[i].clone()),
            previous_as_of: previous_as_of[i],
        })
        .collect())
}

fn waning(a: Answer<'_>) -> Result<Vec<Waning>, CliError> {
    let (key, domain, score) = (a.text("company_key")?, a.text("domain")?, a.int("score")?);
    let (prev, last30) = (a.int("events_prev30")?, a.int("events_last30")?);
    let (drop, last_seen) = (a.float("drop_pct")?, a.time("last_seen")?);
    Ok(key
        .into_iter()
        .enumerate()
        .map(|(i, k)| Waning {
            company_key: k.unwrap_or_default(),
            domain: domain[i].clone(),
            score: score[i],
            events_prev30: prev[i],
            events_last30: last30[i],
            drop_pct: drop[i],
            last_seen: last_seen[i],
        })
        .collect())
}

fn weeks(a: Answer<'_>) -> Result<Vec<WeekCount>, CliError> {
    let (week, stages, companies) = (a.time("week")?, a.text("stage")?, a.int("companies")?);
    Ok(week
        .into_iter()
        .enumerate()
        .filter_map(|(i, w)| {
            Some(WeekCount {
                week: w?,
                stage: stage(stages[i].clone()),
                companies: companies[i].unwrap_or(0),
            })
        })
        .collect())
}

fn versions(a: Answer<'_>) -> Result<Vec<Adoption>, CliError> {
    let (version, companies) = (a.text("version")?, a.int("companies")?);
    let (share, outdated) = (a.float("share_pct")?, a.flag("outdated")?);
    Ok(version
        .into_iter()
        .enumerate()
        .map(|(i, v)| Adoption {
            version: v.unwrap_or_default(),
            companies: companies[i].unwrap_or(0),
            share_pct: share[i].unwrap_or(0.0),
            outdated: outdated[i],
        })
        .collect())
}

fn traffic(a: Answer<'_>) -> Result<Vec<Traffic>, CliError> {
    let (source, events, share) = (a.text("source")?, a.int("events")?, a.float("share_pct")?);
    Ok(source
        .into_iter()
        .enumerate()
        .map(|(i, s)| Traffic {
            source: s.unwrap_or_else(|| "unknown".into()),
            events: events[i].unwrap_or(0),
            share_pct: share[i].unwrap_or(0.0),
        })
        .collect())
}

/// The leads of one stage: how many, and the best `top` of them.
#[derive(Debug, Clone, PartialEq)]
pub struct StageLeads<'a> {
    pub stage: String,
    pub total: usize,
    pub top: Vec<&'a Lead>,
}

/// The leads of each stage that has any, best first (the order of
/// `company_leads`), at most `top` of each; the stages in the order of
/// their best lead, so the list opens with the best.
pub fn top_by_stage(leads: &[Lead], top: usize) -> Vec<StageLeads<'_>> {
    let mut stages: Vec<&str> = Vec::new();
    for l in leads {
        if !stages.contains(&l.stage.as_str()) {
            stages.push(&l.stage);
        }
    }
    stages
        .into_iter()
        .map(|stage| {
            let mine: Vec<&Lead> = leads.iter().filter(|l| l.stage == stage).collect();
            StageLeads {
                total: mine.len(),
                top: mine.into_iter().take(top).collect(),
                stage: stage.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(company: &str, stage: &str, score: i64) -> Lead {
        Lead {
            company: company.into(),
            company_key: company.into(),
            domain: None,
            stage: stage.into(),
            score: Some(score),
            why: None,
            action: None,
            first_seen: None,
            last_seen: None,
        }
    }

    #[test]
    fn each_stage_keeps_its_best_leads_and_the_best_stage_comes_first() {
        // company_leads' order: best first over all stages
        let leads = [
            lead("a", "maintenance", 60),
            lead("b", "trial", 40),
            lead("c", "maintenance", 55),
            lead("d", "trial", 30),
            lead("e", "trial", 20),
        ];
        let by = top_by_stage(&leads, 2);
        let names: Vec<(&str, usize, Vec<&str>)> = by
            .iter()
            .map(|s| {
                let top = s.top.iter().map(|l| l.company.as_str()).collect();
                (s.stage.as_str(), s.total, top)
            })
            .collect();
        assert_eq!(
            names,
            [
                ("maintenance", 2, vec!["a", "c"]),
                ("trial", 3, vec!["b", "d"])
            ]
        );
    }
}
