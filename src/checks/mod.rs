//! The check registry. `ALL` is the catalogue: a plain list, sorted by id, one line a
//! check. Adding a check: see CONTRIBUTING.md.

pub mod cloudflare;
pub mod code;
pub mod crm;
pub mod dns;
pub mod email;
pub mod env;
pub mod http;
pub mod manifest;
pub mod mobile;
pub mod monitoring;
pub mod reads;
pub mod stripe;
pub mod tls;
pub mod vercel;
pub mod web;
pub mod webhook;

use std::future::Future;
use std::pin::Pin;

use crate::context::Context;
use crate::report::Outcome;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The worst status a check reports when it finds a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Fail,
    Warn,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Fail => "fail",
            Severity::Warn => "warn",
        }
    }
}

/// What a check is, for the catalogue, `explain` and the reports.
#[derive(Debug)]
pub struct Meta {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// What it needs, in words: the manifest section and network access.
    pub needs: &'static str,
    /// Needs the network (skipped under `--offline`).
    pub network: bool,
    /// Needs `--active` (sends signed test events).
    pub active: bool,
    /// `checks/<id>.md`.
    pub doc: &'static str,
}

/// The targets a check will examine, or why it will not run.
pub enum Plan {
    Targets(Vec<String>),
    Skip { target: String, reason: String },
}

impl Plan {
    pub fn skip(target: impl Into<String>, reason: impl Into<String>) -> Self {
        Plan::Skip {
            target: target.into(),
            reason: reason.into(),
        }
    }
}

/// What a check's `run` returns: `Err` is an early result (`?` on evidence that is
/// not there, or any other outcome returned before the verdict).
pub type Checked = Result<Outcome, Outcome>;

/// A check: metadata, its targets, and the judgement of one target. Implement this;
/// the registry holds it as a [`DynCheck`] (a blanket impl below).
pub trait Check: Send + Sync + 'static {
    const META: &'static Meta;
    /// Decide the targets (from the manifest, or from offline evidence such as the
    /// code scan), or `Plan::skip` with the reason.
    fn plan(&self, cx: &Context) -> impl Future<Output = Plan> + Send;
    /// Examine one target: get the evidence, judge it. Infrastructure failures are
    /// `error` outcomes, never `pass`.
    fn run(&self, cx: &Context, target: &str) -> impl Future<Output = Checked> + Send;
}

/// The object-safe face of [`Check`] that the runner and the catalogue use.
pub trait DynCheck: Send + Sync {
    fn meta(&self) -> &'static Meta;
    fn plan<'a>(&'a self, cx: &'a Context) -> BoxFuture<'a, Plan>;
    fn run<'a>(&'a self, cx: &'a Context, target: &'a str) -> BoxFuture<'a, Outcome>;
}

impl<C: Check> DynCheck for C {
    fn meta(&self) -> &'static Meta {
        C::META
    }

    fn plan<'a>(&'a self, cx: &'a Context) -> BoxFuture<'a, Plan> {
        Box::pin(Check::plan(self, cx))
    }

    fn run<'a>(&'a self, cx: &'a Context, target: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move { Check::run(self, cx, target).await.unwrap_or_else(|o| o) })
    }
}

/// A check's [`Meta`], with its doc read from `checks/<id>.md`:
/// `meta! { id: "dns.ns", title: "…", severity: Fail, needs: "…", network: true, active: false }`.
#[macro_export]
macro_rules! meta {
    (id: $id:literal, title: $title:expr, severity: $sev:ident, needs: $needs:expr,
     network: $net:expr, active: $active:expr $(,)?) => {
        &$crate::checks::Meta {
            id: $id,
            title: $title,
            severity: $crate::checks::Severity::$sev,
            needs: $needs,
            network: $net,
            active: $active,
            doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/checks/", $id, ".md")),
        }
    };
}

pub static ALL: &[&dyn DynCheck] = &[
    &cloudflare::cache_rules::CacheRules,
    &cloudflare::https::Https,
    &cloudflare::proxied::Proxied,
    &cloudflare::ssl_mode::SslMode,
    &cloudflare::webhook_access::WebhookAccess,
    &code::client_secrets::ClientSecrets,
    &code::logging::Logging,
    &code::webhook_errors::WebhookErrors,
    &code::webhook_idempotency::WebhookIdempotency,
    &code::webhook_verification::WebhookVerification,
    &crm::stripe_sync::StripeSync,
    &dns::caa::CaaCheck,
    &dns::dangling_cname::DanglingCname,
    &dns::ns::Ns,
    &dns::resolves::Resolves,
    &email::dkim::Dkim,
    &email::dmarc::Dmarc,
    &email::mx::Mx,
    &email::spf::Spf,
    &env::public_exposure::PublicExposure,
    &env::required::Required,
    &env::stripe_keys::StripeKeys,
    &env::urls::Urls,
    &http::cache::Cache,
    &http::canonical::Canonical,
    &http::cookies::Cookies,
    &http::cors::Cors,
    &http::csp::Csp,
    &http::health::Health,
    &http::hsts::Hsts,
    &http::https_redirect::HttpsRedirect,
    &http::redirects::Redirects,
    &http::security_headers::SecurityHeaders,
    &manifest::valid::Valid,
    &manifest::waiver_expired::WaiverExpired,
    &mobile::aasa::Aasa,
    &mobile::assetlinks::AssetLinks,
    &monitoring::coverage::Coverage,
    &stripe::checkout_errors::CheckoutErrors,
    &stripe::deliveries::Deliveries,
    &stripe::endpoint::Endpoint,
    &stripe::endpoint_events::EndpointEvents,
    &stripe::handled_events::HandledEvents,
    &stripe::pending::Pending,
    &tls::certificate::Certificate,
    &tls::expiry::Expiry,
    &tls::key::Key,
    &tls::protocol::Protocol,
    &vercel::env_targets::EnvTargets,
    &web::bundle_secrets::BundleSecrets,
    &web::sri::Sri,
    &webhook::latency::Latency,
    &webhook::no_redirect::NoRedirect,
    &webhook::reachable::Reachable,
    &webhook::replay_rejected::ReplayRejected,
    &webhook::signature_enforced::SignatureEnforced,
    &webhook::signed_accepted::SignedAccepted,
];

pub fn find(id: &str) -> Option<&'static dyn DynCheck> {
    ALL.iter().copied().find(|c| c.meta().id == id)
}
