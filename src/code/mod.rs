//! Static, offline analysis of a Next.js repository (`code.*` checks).
//!
//! Three checks, all pure and synchronous:
//! - [`webhook_verification`] (`code.webhook-verification`): Stripe/generic webhook
//!   routes must verify the signature over the *raw* body.
//! - [`webhook_idempotency`] (`code.webhook-idempotency`, warn level): webhook routes
//!   should store or check the processed `event.id`.
//! - [`client_secrets`] (`code.client-secrets`): `'use client'` modules, and the local
//!   modules they import, must not read non-public `process.env` variables.
//!
//! Source files are parsed with `oxc_parser` (see `PARSER_CHOICE.md`); a file that does
//! not parse ends as [`Verdict::Error`], never as a pass.

mod ast_util;
mod client;
mod collect;
mod collect_decl;
mod collect_flow;
mod errors;
mod facts;
mod idempotency;
mod logging;
mod modules;
mod resolve;
pub mod route_map;
mod routes;
mod routing;
pub mod stripe_events;
pub mod stripe_handler;
mod stripe_syntax;
mod tsconfig;
mod verifiers;
mod verify;
mod walk;

use std::path::PathBuf;

pub use client::client_secrets;
pub use errors::webhook_errors;
pub use idempotency::webhook_idempotency;
pub use logging::logging;
pub use routes::find_webhook_routes;
pub use routing::{InboundWebhook, RoutePath, inbound_webhooks, url_path};
pub use verify::webhook_verification;
pub use walk::{read_source, rel_path, source_files};

/// Check ids, as named in the spec's catalogue.
pub const CHECK_WEBHOOK_VERIFICATION: &str = "code.webhook-verification";
pub const CHECK_WEBHOOK_IDEMPOTENCY: &str = "code.webhook-idempotency";
pub const CHECK_CLIENT_SECRETS: &str = "code.client-secrets";
pub const CHECK_WEBHOOK_ERRORS: &str = "code.webhook-errors";
pub const CHECK_LOGGING: &str = "code.logging";

/// Directories never descended into.
pub const SKIP_DIRS: &[&str] = &["node_modules", ".next", ".git", "dist", "build", "out"];
/// At most this many source files are looked at per walk.
pub const MAX_FILES: usize = 5_000;
/// Files larger than this are not parsed (reported with a note instead).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// How many import hops are followed from a `'use client'` module.
pub const MAX_IMPORT_DEPTH: usize = 8;

/// The default public prefixes (`env.public_prefixes` in the manifest).
pub const DEFAULT_PUBLIC_PREFIXES: &[&str] = &crate::manifest::DEFAULT_PUBLIC_PREFIXES;

/// Environment variables that are never secret, whatever their prefix.
pub const ALWAYS_PUBLIC_VARS: &[&str] = &["NODE_ENV"];

/// Inputs of the static checks (`code.root` and `env.public_prefixes` in the manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeConfig {
    /// Repository root (the manifest's `code.root`, already resolved).
    pub root: PathBuf,
    /// Prefixes of environment variables that are meant to reach the browser.
    pub public_prefixes: Vec<String>,
}

impl CodeConfig {
    /// A config with the default public prefixes.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            public_prefixes: DEFAULT_PUBLIC_PREFIXES
                .iter()
                .map(|p| (*p).to_string())
                .collect(),
        }
    }

    /// Whether `name` may be read by browser code.
    pub fn is_public_var(&self, name: &str) -> bool {
        ALWAYS_PUBLIC_VARS.contains(&name)
            || self
                .public_prefixes
                .iter()
                .any(|p| !p.is_empty() && name.starts_with(p.as_str()))
    }
}

/// Outcome of one check on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
    /// The file could not be analysed (unreadable, too large, not UTF-8, syntax error).
    Error,
}

/// One result of a `code.*` check; `file` is the target.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FileFinding {
    /// Path relative to the root, with `/` separators.
    pub file: String,
    pub verdict: Verdict,
    /// One line a person understands.
    pub summary: String,
    /// Structured evidence (lines, calls found, import chains). Never secret values.
    pub details: serde_json::Value,
    pub remediation: Option<String>,
}

impl FileFinding {
    fn new(file: &str, verdict: Verdict, summary: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            verdict,
            summary: summary.into(),
            details: serde_json::Value::Object(serde_json::Map::new()),
            remediation: None,
        }
    }

    fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }

    fn with_remediation(mut self, remediation: impl Into<String>) -> Self {
        self.remediation = Some(remediation.into());
        self
    }
}

/// Notes about the scan itself that no single finding carries (today: the
/// [`MAX_FILES`] cap was reached, so some files were not looked at).
pub fn scan_notes(cfg: &CodeConfig) -> Vec<String> {
    let walk = walk::source_files(&cfg.root);
    let mut notes = Vec::new();
    if walk.truncated {
        notes.push(format!(
            "stopped after {MAX_FILES} source files under {}; later files were not checked",
            cfg.root.display()
        ));
    }
    notes
}

#[cfg(test)]
mod stripe_events_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_classes;
#[cfg(test)]
mod tests_limits;
#[cfg(test)]
mod tests_robust;
