use serde::Serialize;

/// A family of credential recognisable from its value alone.
///
/// Deliberately absent:
/// - Stripe publishable keys (`pk_live_`/`pk_test_`) and Supabase `sb_publishable_`
///   keys: they are meant to ship to browsers.
/// - Generic JWTs: most JWTs found in bundles are Supabase anon keys or other
///   public, row-level-security-guarded tokens; flagging them would bury real findings.
///   Only a JWT whose payload says `"role":"service_role"` is reported.
/// - Twilio account SIDs (`AC` + 32 hex): an identifier printed in URLs and dashboards,
///   useless without the auth token. The auth token itself is 32 bare hex digits,
///   indistinguishable from any MD5 digest, so it is only caught through its env
///   var name (see `is_secret_var`). What *is* reported as [`SecretKind::TwilioAuth`]
///   is an API key SID (`SK` + 32 hex): it only exists to be paired with its API key
///   secret, so finding one in client code almost always means the pair shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    StripeSecretKey,
    StripeRestrictedKey,
    StripeWebhookSecret,
    PemPrivateKey,
    GithubToken,
    SlackToken,
    SlackWebhook,
    AwsAccessKeyId,
    #[serde(rename = "openai-key")]
    OpenAiKey,
    AnthropicKey,
    #[serde(rename = "hubspot-token")]
    HubSpotToken,
    #[serde(rename = "sendgrid-key")]
    SendGridKey,
    ResendKey,
    TwilioAuth,
    SupabaseServiceRole,
    GoogleApiKey,
    DatabaseUrlWithPassword,
}

impl SecretKind {
    pub const ALL: [SecretKind; 17] = [
        SecretKind::StripeSecretKey,
        SecretKind::StripeRestrictedKey,
        SecretKind::StripeWebhookSecret,
        SecretKind::PemPrivateKey,
        SecretKind::GithubToken,
        SecretKind::SlackToken,
        SecretKind::SlackWebhook,
        SecretKind::AwsAccessKeyId,
        SecretKind::OpenAiKey,
        SecretKind::AnthropicKey,
        SecretKind::HubSpotToken,
        SecretKind::SendGridKey,
        SecretKind::ResendKey,
        SecretKind::TwilioAuth,
        SecretKind::SupabaseServiceRole,
        SecretKind::GoogleApiKey,
        SecretKind::DatabaseUrlWithPassword,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            SecretKind::StripeSecretKey => "Stripe secret key",
            SecretKind::StripeRestrictedKey => "Stripe restricted key",
            SecretKind::StripeWebhookSecret => "Stripe webhook signing secret",
            SecretKind::PemPrivateKey => "PEM private key",
            SecretKind::GithubToken => "GitHub token",
            SecretKind::SlackToken => "Slack token",
            SecretKind::SlackWebhook => "Slack incoming webhook URL",
            SecretKind::AwsAccessKeyId => "AWS access key id",
            SecretKind::OpenAiKey => "OpenAI API key",
            SecretKind::AnthropicKey => "Anthropic API key",
            SecretKind::HubSpotToken => "HubSpot private app token",
            SecretKind::SendGridKey => "SendGrid API key",
            SecretKind::ResendKey => "Resend API key",
            SecretKind::TwilioAuth => "Twilio API key SID",
            SecretKind::SupabaseServiceRole => "Supabase service-role key",
            SecretKind::GoogleApiKey => "Google API key",
            SecretKind::DatabaseUrlWithPassword => "database URL with password",
        }
    }

    /// Kinds that legitimately appear in browser code in many setups.
    ///
    /// Firebase and Maps web keys (`AIza…`) are public by design and protected by
    /// HTTP-referrer and API restrictions, so callers should report them at a lower
    /// severity (or ask the user to confirm restrictions) rather than fail the gate.
    pub fn client_exposure_expected(&self) -> bool {
        matches!(self, SecretKind::GoogleApiKey)
    }
}

impl std::fmt::Display for SecretKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
