//! Finding the webhook route handlers of a Next.js app.
//!
//! Route files: App Router `…/app/**/route.{ts,tsx,js,jsx,mjs,cjs}` (so `app/` and
//! `src/app/`, also inside monorepo packages) and Pages Router `…/pages/api/**`.
//! A route is a webhook route when its path contains `webhook`, or when the file
//! mentions Stripe together with webhook-ish names (`stripe-signature`, `event.type`,
//! `constructEvent`).

use std::path::PathBuf;

use super::CodeConfig;
use super::facts::Facts;
use super::walk::{SourceFile, load, source_files};

const ROUTE_EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs"];

/// Which Next.js router a route file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RouterKind {
    App,
    Pages,
}

/// Which verifier a webhook route is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Stripe,
    Generic,
}

/// A webhook route with its parse result.
#[derive(Debug)]
pub struct WebhookRoute {
    pub file: SourceFile,
    pub kind: RouterKind,
    pub provider: Provider,
    /// `"path"` or `"content"`: why the file counts as a webhook route.
    pub detected_by: &'static str,
    pub facts: Result<Facts, String>,
}

/// The router kind of a path relative to the root, if it is a route file.
pub fn route_kind(rel: &str) -> Option<RouterKind> {
    let segs: Vec<&str> = rel.split('/').collect();
    let (name, dirs) = segs.split_last()?;
    let (stem, ext) = name.rsplit_once('.')?;
    if !ROUTE_EXTS.contains(&ext) {
        return None;
    }
    if stem == "route" && dirs.contains(&"app") {
        return Some(RouterKind::App);
    }
    if dirs.windows(2).any(|w| w[0] == "pages" && w[1] == "api") {
        return Some(RouterKind::Pages);
    }
    None
}

pub fn mentions_stripe(f: &Facts) -> bool {
    f.imports
        .iter()
        .any(|i| i.source == "stripe" || i.source.starts_with("@stripe/"))
        || f.idents
            .iter()
            .any(|(n, _)| n.to_lowercase().contains("stripe"))
        || f.calls
            .iter()
            .any(|c| c.callee.to_lowercase().contains("stripe"))
        || f.strings.iter().any(|s| s.contains("stripe"))
}

fn webhookish(f: &Facts) -> bool {
    f.strings.iter().any(|s| s == "stripe-signature")
        || f.members
            .iter()
            .any(|m| matches!(m.object.as_str(), "event" | "evt") && m.property == "type")
        || f.calls
            .iter()
            .any(|c| matches!(c.method.as_str(), "constructEvent" | "constructEventAsync"))
}

fn classify(file: SourceFile, kind: RouterKind) -> Option<WebhookRoute> {
    let lower = file.rel.to_lowercase();
    let by_path = lower.contains("webhook");
    let facts = load(&file.abs);
    let (is_webhook, stripe) = match &facts {
        Ok(f) => {
            let stripe = mentions_stripe(f);
            (by_path || (stripe && webhookish(f)), stripe)
        }
        Err(_) => {
            // Unparsable: fall back to the raw text so a broken webhook route still
            // shows up (as `error`) instead of silently disappearing.
            let raw = std::fs::read(&file.abs).unwrap_or_default();
            let text = String::from_utf8_lossy(&raw).to_lowercase();
            let stripe = text.contains("stripe");
            (by_path || (stripe && text.contains("signature")), stripe)
        }
    };
    let stripe = stripe || lower.contains("stripe");
    is_webhook.then_some(WebhookRoute {
        file,
        kind,
        provider: if stripe {
            Provider::Stripe
        } else {
            Provider::Generic
        },
        detected_by: if by_path { "path" } else { "content" },
        facts,
    })
}

/// All webhook routes under the root, parsed, in path order.
pub fn webhook_routes(cfg: &CodeConfig) -> Vec<WebhookRoute> {
    source_files(&cfg.root)
        .files
        .into_iter()
        .filter_map(|f| {
            let kind = route_kind(&f.rel)?;
            classify(f, kind)
        })
        .collect()
}

/// Absolute paths of the webhook route files under `cfg.root`.
pub fn find_webhook_routes(cfg: &CodeConfig) -> Vec<PathBuf> {
    webhook_routes(cfg)
        .into_iter()
        .map(|r| r.file.abs)
        .collect()
}
