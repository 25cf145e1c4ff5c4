//! The client's configuration in the session options, so that each task an
//! executor runs knows the lake's object store.
//!
//! Ballista sends a query's session options with every task. leadlake adds
//! one, `leadlake.config` (the [`Config`] as JSON); an executor reads it when
//! it builds the task's runtime and registers the store the lake lives in
//! (with the `[lake] storage` options the client was given, over the
//! executor's own environment). The functions travel with the plan instead
//! ([`super::codec`]).
//!
//! The options cross the cluster's gRPC connections as they are, secrets of
//! `[lake] storage` included: give executors their credentials through
//! their environment (`AWS_*`, ...) rather than the client's file when the
//! network between them is not trusted.

use crate::Config;
use ballista_core::{ConfigProducer, RuntimeProducer};
use datafusion::common::config::{ConfigEntry, ConfigExtension, ExtensionOptions};
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::prelude::SessionConfig;
use std::sync::Arc;

/// leadlake's session options on a cluster: `leadlake.config`.
///
/// Written by hand: the options `extensions_options!` declares list their
/// keys without the prefix, so Ballista, which copies options by key, would
/// drop them on the way to the executors.
#[derive(Debug, Clone, Default)]
pub struct LeadlakeOptions {
    /// The client's configuration as JSON (empty: none).
    pub config: String,
}

const KEY: &str = "config";

impl ConfigExtension for LeadlakeOptions {
    const PREFIX: &'static str = "leadlake";
}

impl ExtensionOptions for LeadlakeOptions {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }

    fn cloned(&self) -> Box<dyn ExtensionOptions> {
        Box::new(self.clone())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        match key {
            KEY => {
                self.config = value.to_string();
                Ok(())
            }
            other => Err(DataFusionError::Configuration(format!(
                "no option leadlake.{other} (leadlake.{KEY} is the only one)"
            ))),
        }
    }

    fn entries(&self) -> Vec<ConfigEntry> {
        vec![ConfigEntry {
            key: format!("{}.{KEY}", Self::PREFIX),
            value: Some(self.config.clone()),
            description: "the leadlake configuration of the client, as JSON",
        }]
    }
}

/// `session` with the client's `config` in its options.
///
/// # Errors
/// When the configuration cannot be written as JSON.
pub fn with_config(session: SessionConfig, config: &Config) -> Result<SessionConfig> {
    let json = serde_json::to_string(config).map_err(|e| {
        DataFusionError::Configuration(format!("leadlake configuration to JSON: {e}"))
    })?;
    Ok(session.with_option_extension(LeadlakeOptions { config: json }))
}

/// The client configuration a task carries, if any.
fn carried(session: &SessionConfig) -> Result<Option<Config>> {
    match session.options().extensions.get::<LeadlakeOptions>() {
        Some(o) if !o.config.is_empty() => serde_json::from_str(&o.config).map(Some).map_err(|e| {
            DataFusionError::Configuration(format!(
                "leadlake.config: not a leadlake configuration ({e}); are the client and \
                     the cluster the same leadlake version?"
            ))
        }),
        _ => Ok(None),
    }
}

/// Session options of a scheduler or an executor: Ballista's, and room for
/// `leadlake.config`.
pub fn config_producer() -> ConfigProducer {
    Arc::new(|| {
        use ballista_core::extension::SessionConfigExt;
        SessionConfig::new_with_ballista().with_option_extension(LeadlakeOptions::default())
    })
}

/// A task's runtime, with the lake's store registered from the
/// configuration the task carries (Ballista adds the executor's memory
/// pool). `who` names the node in errors.
pub fn runtime_producer(who: String) -> RuntimeProducer {
    Arc::new(move |session: &SessionConfig| -> Result<Arc<RuntimeEnv>> {
        let runtime = RuntimeEnvBuilder::new().build_arc()?;
        register_lake_store(&runtime, session, &who)?;
        Ok(runtime)
    })
}

/// A scheduler's session: Ballista's, with the lake's store registered
/// (reading a plan's scan of `s3://...` looks the store up).
pub fn session_builder() -> ballista_scheduler::scheduler_server::SessionBuilder {
    Arc::new(|session: SessionConfig| {
        let state = ballista_core::utils::default_session_builder(session.clone())?;
        register_lake_store(state.runtime_env(), &session, "scheduler")?;
        Ok(state)
    })
}

/// Register the store of the lake the session's configuration names.
fn register_lake_store(runtime: &RuntimeEnv, session: &SessionConfig, who: &str) -> Result<()> {
    if let Some(lake) = carried(session)?.and_then(|c| c.lake) {
        let location = leadlake_lake::store::locate(&lake.url, &lake.storage)
            .map_err(|e| DataFusionError::Execution(format!("{who}: {e}")))?;
        runtime.register_object_store(location.store_url.as_ref(), location.store);
    }
    Ok(())
}
