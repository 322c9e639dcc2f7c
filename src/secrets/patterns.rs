//! Hand-written matchers: every pattern is a literal prefix, a character class and a
//! length range, so a table of small functions is clearer than a regex set and keeps
//! the crate free of a regex dependency.
//!
//! Linear time: a rule is tried only where its prefix starts and the byte before it
//! is not part of the rule's own character class (a token boundary), and every body
//! scan is capped. A body run therefore never contains another start of the same
//! rule, so the runs a rule examines are disjoint, and total work is O(n · rules).
//!
//! Everything here works on bytes; all prefixes and bodies are ASCII, so every
//! returned range begins and ends on a UTF-8 character boundary of the input.

use super::SecretKind;
use super::{dburl, jwt};

pub(crate) struct Rule {
    pub(crate) prefix: &'static [u8],
    pub(crate) kind: SecretKind,
    /// A byte in this class right before the prefix means we are mid-token.
    boundary: fn(u8) -> bool,
    /// Given the text, the rule's start and the index right after its prefix,
    /// returns the end of the secret when the body has the expected shape.
    body: fn(&[u8], usize, usize) -> Option<usize>,
}

fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
fn word_dash(b: u8) -> bool {
    word(b) || b == b'-'
}
fn jwt_char(b: u8) -> bool {
    word_dash(b) || b == b'.'
}
fn scheme_char(b: u8) -> bool {
    word_dash(b) || b == b'.' || b == b'+'
}
fn nothing(_: u8) -> bool {
    false
}
fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// End of the run of `class` bytes starting at `from`, looking at most `cap + 1`
/// bytes so that callers can tell "longer than cap" apart without unbounded work.
pub(crate) fn run(text: &[u8], from: usize, class: fn(u8) -> bool, cap: usize) -> usize {
    let limit = text.len().min(from.saturating_add(cap).saturating_add(1));
    let mut i = from;
    while i < limit && text.get(i).is_some_and(|&b| class(b)) {
        i += 1;
    }
    i
}

fn has_mix(s: &[u8]) -> bool {
    s.iter().any(u8::is_ascii_digit)
        && s.iter().any(u8::is_ascii_uppercase)
        && s.iter().any(u8::is_ascii_lowercase)
}

fn ranged(text: &[u8], at: usize, class: fn(u8) -> bool, min: usize, max: usize) -> Option<usize> {
    let end = run(text, at, class, max);
    (end - at >= min && end - at <= max).then_some(end)
}

fn stripe(t: &[u8], _: usize, at: usize) -> Option<usize> {
    ranged(t, at, alnum, 24, 247)
}
fn whsec(t: &[u8], _: usize, at: usize) -> Option<usize> {
    ranged(t, at, b64, 24, 250)
}
fn gh_classic(t: &[u8], _: usize, at: usize) -> Option<usize> {
    ranged(t, at, alnum, 30, 251)
}
fn gh_fine(t: &[u8], _: usize, at: usize) -> Option<usize> {
    ranged(t, at, word, 40, 244)
}
fn slack_token(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let end = ranged(t, at, word_dash, 20, 250)?;
    t.get(at..end)?
        .iter()
        .any(u8::is_ascii_digit)
        .then_some(end)
}
fn slack_hook(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let end = ranged(t, at, |b| alnum(b) || b == b'/', 20, 200)?;
    let mut parts = t.get(at..end)?.split(|&b| b == b'/');
    let (team, bot, key) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = team.first() == Some(&b'T')
        && bot.first() == Some(&b'B')
        && key.len() >= 16
        && parts.all(<[u8]>::is_empty);
    ok.then_some(end)
}
fn aws(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let end = ranged(t, at, alnum, 16, 16)?;
    let body = t.get(at..end)?;
    body.iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        .then_some(end)
}
fn openai_scoped(t: &[u8], _: usize, at: usize) -> Option<usize> {
    ranged(t, at, word_dash, 20, 300)
}
/// Legacy `sk-` keys are 48 alphanumerics. Demanding mixed case and digits keeps
/// CSS-ish identifiers such as `sk-skeleton-loader` out.
fn openai_legacy(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let end = ranged(t, at, alnum, 40, 64)?;
    if t.get(end).is_some_and(|&b| b == b'-' || b == b'_') {
        return None;
    }
    has_mix(t.get(at..end)?).then_some(end)
}
fn anthropic(t: &[u8], _: usize, at: usize) -> Option<usize> {
    ranged(t, at, word_dash, 32, 300)
}
/// `pat-<region>-` followed by a UUID, e.g. `pat-na1-…` or `pat-eu1-…`.
fn hubspot(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let &[a, b, digit, dash] = t.get(at..at + 4)? else {
        return None;
    };
    let region_ok =
        a.is_ascii_lowercase() && b.is_ascii_lowercase() && digit.is_ascii_digit() && dash == b'-';
    let uuid_at = at + 4;
    let uuid = t.get(uuid_at..uuid_at + 36)?;
    let uuid_ok = uuid.iter().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    });
    let end = uuid_at + 36;
    let clean_end = !t.get(end).copied().is_some_and(word_dash);
    (region_ok && uuid_ok && clean_end).then_some(end)
}
fn sendgrid(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let dot = ranged(t, at, word_dash, 16, 32)?;
    if t.get(dot) != Some(&b'.') {
        return None;
    }
    ranged(t, dot + 1, word_dash, 30, 64)
}
fn resend(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let end = ranged(t, at, word, 20, 100)?;
    has_mix(t.get(at..end)?).then_some(end)
}
fn twilio_sk(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let end = ranged(t, at, alnum, 32, 32)?;
    t.get(at..end)?
        .iter()
        .all(u8::is_ascii_hexdigit)
        .then_some(end)
}
fn google(t: &[u8], _: usize, at: usize) -> Option<usize> {
    ranged(t, at, word_dash, 35, 35)
}
fn supabase_secret(t: &[u8], _: usize, at: usize) -> Option<usize> {
    ranged(t, at, word_dash, 20, 200)
}
fn service_role_jwt(t: &[u8], start: usize, _: usize) -> Option<usize> {
    let end = ranged(t, start, jwt_char, 20, jwt::MAX_LEN)?;
    jwt::is_service_role(t.get(start..end)?).then_some(end)
}
fn db_url(t: &[u8], _: usize, at: usize) -> Option<usize> {
    dburl::authority_with_password(t, at)
}
/// Only the armour line is matched: it is unambiguous, and the key material that
/// follows may be split by escaped newlines that no single character class covers.
fn pem(t: &[u8], _: usize, at: usize) -> Option<usize> {
    let end = run(t, at, |b| b.is_ascii_uppercase() || b == b' ', 40);
    let label = t.get(at..end)?;
    let key_label = label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK");
    let dashes = t.get(end..end + 5)? == b"-----";
    (key_label && dashes).then_some(end + 5)
}

macro_rules! rule {
    ($p:literal, $k:ident, $bd:expr, $body:expr) => {
        Rule {
            prefix: $p,
            kind: SecretKind::$k,
            boundary: $bd,
            body: $body,
        }
    };
}

/// Longer prefixes first where two share a start (`sk-ant-` before `sk-`).
pub(crate) static RULES: &[Rule] = &[
    rule!(b"sk_live_", StripeSecretKey, word, stripe),
    rule!(b"sk_test_", StripeSecretKey, word, stripe),
    rule!(b"rk_live_", StripeRestrictedKey, word, stripe),
    rule!(b"rk_test_", StripeRestrictedKey, word, stripe),
    rule!(b"whsec_", StripeWebhookSecret, word, whsec),
    rule!(b"-----BEGIN ", PemPrivateKey, nothing, pem),
    rule!(b"github_pat_", GithubToken, word, gh_fine),
    rule!(b"ghp_", GithubToken, word, gh_classic),
    rule!(b"gho_", GithubToken, word, gh_classic),
    rule!(b"ghu_", GithubToken, word, gh_classic),
    rule!(b"ghs_", GithubToken, word, gh_classic),
    rule!(b"ghr_", GithubToken, word, gh_classic),
    rule!(b"xoxb-", SlackToken, word_dash, slack_token),
    rule!(b"xoxp-", SlackToken, word_dash, slack_token),
    rule!(b"xoxa-", SlackToken, word_dash, slack_token),
    rule!(b"xoxr-", SlackToken, word_dash, slack_token),
    rule!(b"xapp-", SlackToken, word_dash, slack_token),
    rule!(
        b"https://hooks.slack.com/services/",
        SlackWebhook,
        word,
        slack_hook
    ),
    rule!(
        b"hooks.slack.com/services/",
        SlackWebhook,
        scheme_char,
        slack_hook
    ),
    rule!(b"AKIA", AwsAccessKeyId, alnum, aws),
    rule!(b"ASIA", AwsAccessKeyId, alnum, aws),
    rule!(b"sk-ant-", AnthropicKey, word_dash, anthropic),
    rule!(b"sk-proj-", OpenAiKey, word_dash, openai_scoped),
    rule!(b"sk-svcacct-", OpenAiKey, word_dash, openai_scoped),
    rule!(b"sk-admin-", OpenAiKey, word_dash, openai_scoped),
    rule!(b"sk-", OpenAiKey, word_dash, openai_legacy),
    rule!(b"pat-", HubSpotToken, word_dash, hubspot),
    rule!(b"SG.", SendGridKey, word_dash, sendgrid),
    rule!(b"re_", ResendKey, word, resend),
    rule!(b"SK", TwilioAuth, alnum, twilio_sk),
    rule!(b"eyJ", SupabaseServiceRole, jwt_char, service_role_jwt),
    rule!(b"sb_secret_", SupabaseServiceRole, word, supabase_secret),
    rule!(b"AIza", GoogleApiKey, word_dash, google),
    rule!(b"postgres://", DatabaseUrlWithPassword, scheme_char, db_url),
    rule!(
        b"postgresql://",
        DatabaseUrlWithPassword,
        scheme_char,
        db_url
    ),
    rule!(b"mysql://", DatabaseUrlWithPassword, scheme_char, db_url),
    rule!(b"mariadb://", DatabaseUrlWithPassword, scheme_char, db_url),
    rule!(b"mongodb://", DatabaseUrlWithPassword, scheme_char, db_url),
    rule!(
        b"mongodb+srv://",
        DatabaseUrlWithPassword,
        scheme_char,
        db_url
    ),
    rule!(b"redis://", DatabaseUrlWithPassword, scheme_char, db_url),
    rule!(b"rediss://", DatabaseUrlWithPassword, scheme_char, db_url),
    rule!(b"amqp://", DatabaseUrlWithPassword, scheme_char, db_url),
    rule!(b"amqps://", DatabaseUrlWithPassword, scheme_char, db_url),
];

/// Bytes that can start a rule: lets the scanner skip most positions with one lookup.
pub(crate) static FIRST_BYTES: [bool; 256] = first_bytes();

const fn first_bytes() -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < RULES.len() {
        table[RULES[i].prefix[0] as usize] = true;
        i += 1;
    }
    table
}

/// A token boundary also exists after an escape such as `\n` or `\t` inside a
/// string literal, which is how secrets usually sit in minified JSON/JS.
fn at_boundary(text: &[u8], start: usize, class: fn(u8) -> bool) -> bool {
    let Some(prev) = start.checked_sub(1).and_then(|i| text.get(i)) else {
        return true;
    };
    if !class(*prev) {
        return true;
    }
    let escaped = start >= 2 && text.get(start - 2) == Some(&b'\\');
    escaped && matches!(prev, b'n' | b't' | b'r')
}

/// The secret starting exactly at `start`, if any: its kind and end offset.
pub(crate) fn match_at(text: &[u8], start: usize) -> Option<(SecretKind, usize)> {
    let rest = text.get(start..)?;
    RULES.iter().find_map(|rule| {
        if !rest.starts_with(rule.prefix) || !at_boundary(text, start, rule.boundary) {
            return None;
        }
        let end = (rule.body)(text, start, start + rule.prefix.len())?;
        Some((rule.kind, end))
    })
}
