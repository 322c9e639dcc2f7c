//! The manifest's typed shape (SPEC §2). `launch-ready schema` is generated from these
//! same types, so the schema and the parser cannot drift apart.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::fields::{DateField, HostField, UrlField};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Manifest format version; only `1` exists.
    pub version: u32,
    /// Project name, shown in reports.
    pub project: String,
    #[serde(default)]
    pub environment: Environment,
    pub env: Option<EnvSection>,
    pub web: Option<WebSection>,
    pub tls: Option<TlsSection>,
    pub dns: Option<DnsSection>,
    pub email: Option<EmailSection>,
    #[serde(default)]
    pub webhooks: Vec<Webhook>,
    pub stripe: Option<StripeSection>,
    pub mobile: Option<MobileSection>,
    pub code: Option<CodeSection>,
    pub crm: Option<CrmSection>,
    pub monitoring: Option<MonitoringSection>,
    pub platform: Option<super::platform::PlatformSection>,
    pub cloudflare: Option<super::CloudflareSection>,
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    #[serde(default)]
    pub handover: Vec<HandoverItem>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Production,
    Staging,
    Development,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development => "development",
        }
    }
}

pub const DEFAULT_PUBLIC_PREFIXES: [&str; 5] = [
    "NEXT_PUBLIC_",
    "EXPO_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "PUBLIC_",
];

fn default_public_prefixes() -> Vec<String> {
    DEFAULT_PUBLIC_PREFIXES
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvSection {
    /// What the `env.*` checks audit: dotenv files and the process environment
    /// (default), or the production environment of `platform`.
    #[serde(default)]
    pub source: super::platform::EnvSourceKind,
    /// dotenv files, relative to the manifest.
    #[serde(default)]
    pub files: Vec<String>,
    /// Variables that must be present and non-empty.
    #[serde(default)]
    pub required: Vec<String>,
    /// Prefixes that make a variable public (shipped to browsers or apps).
    #[serde(default = "default_public_prefixes")]
    pub public_prefixes: Vec<String>,
    /// Variables holding URLs that must be https on the canonical host.
    #[serde(default)]
    pub url_vars: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebSection {
    /// The one origin users should land on, e.g. `https://www.acme.app`.
    pub canonical: UrlField,
    /// Hosts that must redirect to canonical.
    #[serde(default)]
    pub aliases: Vec<HostField>,
    /// Further hosts that must serve valid HTTPS.
    #[serde(default)]
    pub hosts: Vec<HostField>,
    /// Path prefixes that must never be served from a cache.
    #[serde(default)]
    pub private_paths: Vec<String>,
    /// Health endpoint path on canonical.
    pub health: Option<String>,
    #[serde(default)]
    pub redirects: Vec<RedirectRule>,
    #[serde(default)]
    pub bundle_scan: bool,
    #[serde(default)]
    pub cors_paths: Vec<String>,
    /// Further pages on canonical whose `Set-Cookie` headers `http.cookies` reads
    /// (e.g. `/login`); the canonical page itself is always read.
    #[serde(default)]
    pub cookie_paths: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RedirectRule {
    pub from: UrlField,
    pub to: UrlField,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TlsSection {
    #[serde(default = "default_warn_days")]
    pub warn_days: u32,
    #[serde(default = "default_fail_days")]
    pub fail_days: u32,
}

fn default_warn_days() -> u32 {
    21
}
fn default_fail_days() -> u32 {
    7
}

impl Default for TlsSection {
    fn default() -> Self {
        Self {
            warn_days: default_warn_days(),
            fail_days: default_fail_days(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaaPolicy {
    Required,
    #[default]
    Recommended,
    Off,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsSection {
    #[serde(default)]
    pub caa: CaaPolicy,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DmarcPolicy {
    None,
    #[default]
    Quarantine,
    Reject,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailSection {
    pub domain: HostField,
    #[serde(default = "yes")]
    pub sends_mail: bool,
    #[serde(default)]
    pub dkim_selectors: Vec<String>,
    #[serde(default)]
    pub dmarc_min_policy: DmarcPolicy,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WebhookProvider {
    #[default]
    Stripe,
    Generic,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    pub name: String,
    pub url: UrlField,
    #[serde(default)]
    pub provider: WebhookProvider,
    /// Environment variable holding the signing secret (`whsec_…`).
    pub secret_env: Option<String>,
    #[serde(default = "default_p95")]
    pub max_p95_ms: u64,
    /// Probes sent to measure latency.
    #[serde(default = "default_latency_probes")]
    pub latency_probes: u32,
}

fn default_p95() -> u64 {
    500
}
fn default_latency_probes() -> u32 {
    10
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StripeSection {
    #[serde(default = "default_secret_key_env")]
    pub secret_key_env: String,
    pub publishable_key_env: Option<String>,
    /// Defaults to `STRIPE_API_BASE` from the environment, then `https://api.stripe.com`.
    pub api_base: Option<UrlField>,
    #[serde(default)]
    pub required_events: Vec<String>,
    #[serde(default = "default_lookback")]
    pub lookback_hours: u32,
    /// `stripe.checkout-errors`: the largest acceptable share (0–1) of payment
    /// attempts that failed for integration reasons.
    #[serde(default = "default_max_error_rate")]
    pub max_error_rate: f64,
}

fn default_max_error_rate() -> f64 {
    0.02
}

fn default_secret_key_env() -> String {
    "STRIPE_SECRET_KEY".to_owned()
}
fn default_lookback() -> u32 {
    72
}

/// The CRM that must hold every paying Stripe customer (`crm.stripe-sync`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrmSection {
    pub provider: CrmProvider,
    /// Variable holding a read-only token (HubSpot: a private app token with
    /// `crm.objects.contacts.read`).
    pub token_env: String,
    /// `email`, or `property:<contact property holding the Stripe customer id>`.
    #[serde(default = "default_crm_match", rename = "match")]
    pub match_on: String,
    /// Lifecycle stage a paying customer's contact must have reached (e.g. `customer`).
    pub paid_stage: Option<String>,
    /// 2–720: payments in this window are reconciled.
    #[serde(default = "default_crm_lookback")]
    pub lookback_hours: u32,
    /// Defaults to `HUBSPOT_API_BASE` from the environment, then `https://api.hubapi.com`.
    pub api_base: Option<UrlField>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CrmProvider {
    Hubspot,
}

impl CrmProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            CrmProvider::Hubspot => "hubspot",
        }
    }
}

/// The uptime monitors that must watch production (`monitoring.coverage`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringSection {
    pub provider: MonitoringProvider,
    /// Variable holding a read-only token; default `BETTERSTACK_API_TOKEN` (Better
    /// Stack) or `UPTIMEROBOT_API_KEY` (UptimeRobot).
    pub token_env: Option<String>,
    /// A target must be checked at least this often (seconds, 10–86400).
    #[serde(default = "default_max_interval")]
    pub max_interval_s: u32,
    /// What must be watched; default all three.
    #[serde(default = "default_cover")]
    pub cover: Vec<MonitoringCover>,
    /// Defaults to `MONITORING_API_BASE` from the environment, then the provider's API.
    pub api_base: Option<UrlField>,
}

impl MonitoringSection {
    /// The variable holding the token.
    pub fn token_var(&self) -> &str {
        match &self.token_env {
            Some(v) => v,
            None => self.provider.default_token_env(),
        }
    }
    pub fn covers(&self, what: MonitoringCover) -> bool {
        self.cover.contains(&what)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MonitoringProvider {
    Betterstack,
    Uptimerobot,
}

impl MonitoringProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            MonitoringProvider::Betterstack => "betterstack",
            MonitoringProvider::Uptimerobot => "uptimerobot",
        }
    }
    pub fn default_token_env(self) -> &'static str {
        match self {
            MonitoringProvider::Betterstack => "BETTERSTACK_API_TOKEN",
            MonitoringProvider::Uptimerobot => "UPTIMEROBOT_API_KEY",
        }
    }
}

/// A kind of target `monitoring.coverage` requires a monitor for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MonitoringCover {
    /// `web.canonical`.
    Canonical,
    /// `web.health` on canonical.
    Health,
    /// Every `webhooks[].url`.
    Webhooks,
}

fn default_max_interval() -> u32 {
    300
}
fn default_cover() -> Vec<MonitoringCover> {
    vec![
        MonitoringCover::Canonical,
        MonitoringCover::Health,
        MonitoringCover::Webhooks,
    ]
}

fn default_crm_match() -> String {
    "email".to_owned()
}
fn default_crm_lookback() -> u32 {
    168
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MobileSection {
    #[serde(default)]
    pub ios_app_ids: Vec<String>,
    pub android: Option<AndroidApp>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AndroidApp {
    pub package: String,
    #[serde(default)]
    pub sha256_fingerprints: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSection {
    /// Repository root, relative to the manifest.
    #[serde(default = "dot")]
    pub root: String,
}

fn dot() -> String {
    ".".to_owned()
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Check id (or glob such as `email.*`).
    pub check: String,
    /// Target the waiver applies to; all targets when absent.
    pub target: Option<String>,
    pub reason: String,
    /// Last day the waiver holds (YYYY-MM-DD).
    pub expires: DateField,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverItem {
    pub item: String,
    #[serde(default)]
    pub done: bool,
    /// Who owns the item (an email or a name).
    pub by: Option<String>,
    /// Where the item belongs in the handover checklist; guessed from its words when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<HandoverArea>,
    /// When it was done or attested (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<DateField>,
}

/// The sections of the handover checklist. Items only document the handover: they never
/// change the verdict.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum HandoverArea {
    /// Domain & DNS: registrar, name servers, records.
    Domain,
    /// Hosting & deploy: the platform, certificates, environment.
    Hosting,
    Cloudflare,
    Stripe,
    Email,
    Monitoring,
    /// Secrets & access: keys, tokens, accounts, tools.
    Secrets,
    Rollback,
}

impl HandoverArea {
    pub const ALL: [HandoverArea; 8] = [
        HandoverArea::Domain,
        HandoverArea::Hosting,
        HandoverArea::Cloudflare,
        HandoverArea::Stripe,
        HandoverArea::Email,
        HandoverArea::Monitoring,
        HandoverArea::Secrets,
        HandoverArea::Rollback,
    ];

    pub fn title(self) -> &'static str {
        match self {
            HandoverArea::Domain => "Domain & DNS",
            HandoverArea::Hosting => "Hosting & deploy",
            HandoverArea::Cloudflare => "Cloudflare",
            HandoverArea::Stripe => "Stripe",
            HandoverArea::Email => "Email",
            HandoverArea::Monitoring => "Monitoring",
            HandoverArea::Secrets => "Secrets & access",
            HandoverArea::Rollback => "Rollback",
        }
    }
}
