//! What a report was made from: the lake, the databases, the date, the
//! leadlake version and when it ran. A URL is shown without user name,
//! password or query (an Azure SAS token lives there), since the report
//! is published.

use super::html::Esc;
use chrono::{DateTime, SecondsFormat, Utc};
use leadlake::Config;
use std::fmt::{self, Write};
use std::time::Instant;

/// The inputs of one report.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub lake: String,
    pub databases: Vec<String>,
    pub overrides: Option<String>,
    pub as_of: String,
    pub started_at: DateTime<Utc>,
    started: Instant,
}

impl Inputs {
    /// The inputs of a run over `config` as of `as_of`, starting now.
    pub fn new(config: &Config, as_of: &str) -> Self {
        Self {
            lake: config
                .lake
                .as_ref()
                .map(|l| shown_url(&l.url))
                .unwrap_or_default(),
            databases: config
                .ipdb
                .databases
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            overrides: config
                .ipdb
                .overrides
                .as_ref()
                .map(|p| p.display().to_string()),
            as_of: as_of.to_string(),
            started_at: Utc::now(),
            started: Instant::now(),
        }
    }

    /// Seconds since the run started.
    pub fn elapsed_secs(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }
}

/// `url` without credentials or query; a path as given.
fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.scheme().len() > 1 => {
            // only fails for URLs that cannot have them (mailto:, data:)
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        _ => url.to_string(),
    }
}

pub fn write(out: &mut String, inputs: &Inputs) -> fmt::Result {
    let databases = if inputs.databases.is_empty() {
        "none".to_string()
    } else {
        inputs
            .databases
            .iter()
            .map(|d| Esc(d).to_string())
            .collect::<Vec<_>>()
            .join("<br>")
    };
    writeln!(
        out,
        "<section id=\"inputs\"><h2>Inputs</h2><dl>\
         <dt>Lake</dt><dd>{}</dd>\
         <dt>Databases</dt><dd>{databases}</dd>\
         <dt>Overrides</dt><dd>{}</dd>\
         <dt>As of</dt><dd>{}</dd>\
         <dt>leadlake</dt><dd>{}</dd>\
         <dt>Run</dt><dd>{}, {:.1} s</dd>\
         </dl></section>",
        Esc(&inputs.lake),
        Esc(inputs.overrides.as_deref().unwrap_or("none")),
        Esc(&inputs.as_of),
        env!("CARGO_PKG_VERSION"),
        inputs.started_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        inputs.elapsed_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials_and_paths_stay() {
        assert_eq!(
            shown_url("https://user:secret@lake.example/events/?sig=abc&sv=1"),
            "https://lake.example/events/"
        );
        assert_eq!(
            shown_url("az://container/events?sv=2024&sig=x"),
            "az://container/events"
        );
        assert_eq!(shown_url("s3://bucket/events/"), "s3://bucket/events/");
        assert_eq!(shown_url("/data/lake"), "/data/lake");
        assert_eq!(shown_url("C:\\lake"), "C:\\lake");
    }
}
