//! The code scan: the Next.js repository at `code.root`, walked and parsed once per
//! audit (off the async workers: it is CPU work), read by the `code.*` checks.

use super::{Source, Unavailable};
use crate::code::{CodeConfig, FileFinding};
use crate::context::Context;

/// Everything the code checks report.
#[derive(Debug)]
pub struct Analysis {
    pub verification: Vec<FileFinding>,
    pub idempotency: Vec<FileFinding>,
    pub client: Vec<FileFinding>,
    pub errors: Vec<FileFinding>,
    pub logging: Vec<FileFinding>,
    /// Why the scan is incomplete (the walk stopped at its file cap), if it is.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CodeScan;

impl Source for CodeScan {
    type Value = Analysis;
    async fn fetch(&self, cx: &Context) -> Result<Analysis, Unavailable> {
        let Some(code) = cx.manifest.code.as_ref() else {
            return Err(Unavailable::skip("no `code` section in the manifest"));
        };
        let mut cfg = CodeConfig::new(cx.resolve_path(&code.root));
        cfg.public_prefixes = cx.env.public_prefixes.clone();
        tokio::task::spawn_blocking(move || Analysis {
            verification: crate::code::webhook_verification(&cfg),
            idempotency: crate::code::webhook_idempotency(&cfg),
            client: crate::code::client_secrets(&cfg),
            errors: crate::code::webhook_errors(&cfg),
            logging: crate::code::logging(&cfg),
            notes: crate::code::scan_notes(&cfg),
        })
        .await
        .map_err(|e| Unavailable::error(format!("the code scan stopped: {e}")))
    }
}

/// The Stripe webhook handler serving a URL path (`stripe.handled-events`): its
/// route file by Next.js routing and the event types it handles.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StripeHandlerCode(pub String);

impl Source for StripeHandlerCode {
    type Value = crate::code::stripe_handler::StripeHandler;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let Some(code) = cx.manifest.code.as_ref() else {
            return Err(Unavailable::skip("no `code` section in the manifest"));
        };
        let cfg = CodeConfig::new(cx.resolve_path(&code.root));
        let path = self.0.clone();
        tokio::task::spawn_blocking(move || {
            crate::code::stripe_handler::stripe_handler(&cfg, &path)
        })
        .await
        .map_err(|e| Unavailable::error(format!("the code scan stopped: {e}")))?
        .map_err(Unavailable::error)
    }
}
