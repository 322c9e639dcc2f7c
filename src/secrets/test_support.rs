//! Generated test material shared by the secrets tests. Every key is fake.

use super::SecretKind;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Deterministic fake key material (xorshift). Starts with `Aa0` so every value has
/// the mixed case and digits that real keys have.
pub(super) fn fake(len: usize, seed: u64) -> String {
    const CS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = String::from("Aa0");
    while out.len() < len {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        out.push(char::from(CS[(s % CS.len() as u64) as usize]));
    }
    out.truncate(len);
    out
}

pub(super) fn jwt(role: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = format!(
        r#"{{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"{role}","iat":1700000000,"exp":2000000000}}"#
    );
    let payload = URL_SAFE_NO_PAD.encode(claims.as_bytes());
    format!("{header}.{payload}.{}", fake(43, 99))
}

/// One generated example per kind.
pub(super) fn samples() -> Vec<(SecretKind, String)> {
    use SecretKind::*;
    vec![
        (StripeSecretKey, format!("sk_live_{}", fake(99, 1))),
        (StripeRestrictedKey, format!("rk_live_{}", fake(99, 2))),
        (StripeWebhookSecret, format!("whsec_{}", fake(32, 3))),
        (
            PemPrivateKey,
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE{}\n-----END RSA PRIVATE KEY-----",
                fake(64, 4)
            ),
        ),
        (GithubToken, format!("ghp_{}", fake(36, 5))),
        (
            SlackToken,
            format!("xoxb-123456789012-1234567890123-{}", fake(24, 6)),
        ),
        (
            SlackWebhook,
            format!(
                "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/{}",
                fake(24, 7)
            ),
        ),
        (AwsAccessKeyId, "AKIAIOSFODNN7EXAMPLE".to_string()),
        (
            OpenAiKey,
            format!("sk-proj-{}_{}-{}", fake(40, 8), fake(40, 9), fake(20, 10)),
        ),
        (
            AnthropicKey,
            format!("sk-ant-api03-{}-{}AA", fake(86, 11), fake(6, 12)),
        ),
        (
            HubSpotToken,
            "pat-na1-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d".to_string(),
        ),
        (SendGridKey, format!("SG.{}.{}", fake(22, 13), fake(43, 14))),
        (ResendKey, format!("re_{}_{}", fake(8, 15), fake(24, 16))),
        (TwilioAuth, "SK0123456789abcdef0123456789abcdef".to_string()),
        (SupabaseServiceRole, jwt("service_role")),
        (GoogleApiKey, format!("AIza{}", fake(35, 17))),
        (
            DatabaseUrlWithPassword,
            format!("postgres://app:{}@db.acme.internal:5432/app", fake(20, 18)),
        ),
    ]
}
