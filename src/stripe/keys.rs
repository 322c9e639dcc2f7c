//! Stripe key formats and their well-formedness.
//!
//! A [`StripeKey`] describes a key without holding it, so it can be logged and
//! serialised freely.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StripeKeyKind {
    Secret,
    Restricted,
    Publishable,
    WebhookSecret,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StripeMode {
    Live,
    Test,
}

/// Why a value that starts like a Stripe key cannot be used as one. Messages name
/// positions and character classes, never the characters of the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum KeyProblem {
    #[error("value is wrapped in quotes; remove them")]
    Quoted,
    #[error("value has leading or trailing whitespace (often a pasted newline)")]
    SurroundingWhitespace,
    #[error("value contains whitespace at character {position}")]
    InnerWhitespace { position: usize },
    #[error("unexpected {class} at character {position}")]
    InvalidCharacter {
        position: usize,
        class: &'static str,
    },
    #[error("too short: {have} characters after the prefix, at least {need} expected (truncated?)")]
    Truncated { have: usize, need: usize },
    #[error("too long: {have} characters, Stripe keys have at most {max}")]
    TooLong { have: usize, max: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StripeKey {
    pub kind: StripeKeyKind,
    /// `None` for webhook secrets, which carry no mode.
    pub mode: Option<StripeMode>,
    /// `None` when the value is a well-formed key.
    pub problem: Option<KeyProblem>,
}

impl StripeKey {
    pub fn is_well_formed(&self) -> bool {
        self.problem.is_none()
    }

    pub fn is_live(&self) -> bool {
        self.mode == Some(StripeMode::Live)
    }

    /// The display prefix, e.g. `sk_live_`, safe to print.
    pub fn prefix(&self) -> &'static str {
        PREFIXES
            .iter()
            .find(|(_, k, m)| *k == self.kind && *m == self.mode)
            .map_or("", |(p, _, _)| p)
    }
}

const PREFIXES: &[(&str, StripeKeyKind, Option<StripeMode>)] = &[
    ("sk_live_", StripeKeyKind::Secret, Some(StripeMode::Live)),
    ("sk_test_", StripeKeyKind::Secret, Some(StripeMode::Test)),
    (
        "rk_live_",
        StripeKeyKind::Restricted,
        Some(StripeMode::Live),
    ),
    (
        "rk_test_",
        StripeKeyKind::Restricted,
        Some(StripeMode::Test),
    ),
    (
        "pk_live_",
        StripeKeyKind::Publishable,
        Some(StripeMode::Live),
    ),
    (
        "pk_test_",
        StripeKeyKind::Publishable,
        Some(StripeMode::Test),
    ),
    ("whsec_", StripeKeyKind::WebhookSecret, None),
];

/// Minimum body length after the prefix; real keys are far longer (99+ for API
/// keys, 32+ for signing secrets), so anything shorter was cut off.
const MIN_BODY: usize = 24;
/// Stripe documents keys as up to 255 characters.
const MAX_TOTAL: usize = 255;

/// Recognises a Stripe key by its prefix, tolerating the mistakes that break keys in
/// practice (quotes, whitespace, truncation) and reporting them in `problem`.
/// Returns `None` when the value is not a Stripe key at all.
pub fn parse_key(value: &str) -> Option<StripeKey> {
    let unquoted = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    let (prefix, kind, mode) = PREFIXES
        .iter()
        .find(|(p, _, _)| unquoted.starts_with(p))
        .copied()?;
    let problem = if unquoted.len() != value.trim().len() {
        Some(KeyProblem::Quoted)
    } else if value.trim().len() != value.len() {
        Some(KeyProblem::SurroundingWhitespace)
    } else {
        body_problem(unquoted, prefix, kind)
    };
    Some(StripeKey {
        kind,
        mode,
        problem,
    })
}

fn body_problem(value: &str, prefix: &str, kind: StripeKeyKind) -> Option<KeyProblem> {
    let body = value.get(prefix.len()..).unwrap_or("");
    let allowed = |c: char| match kind {
        StripeKeyKind::WebhookSecret => c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='),
        _ => c.is_ascii_alphanumeric(),
    };
    let prefix_chars = prefix.chars().count();
    for (i, c) in body.chars().enumerate() {
        let position = prefix_chars + i;
        if c.is_whitespace() {
            return Some(KeyProblem::InnerWhitespace { position });
        }
        if !allowed(c) {
            return Some(KeyProblem::InvalidCharacter {
                position,
                class: char_class(c),
            });
        }
    }
    let have = body.len();
    if have < MIN_BODY {
        return Some(KeyProblem::Truncated {
            have,
            need: MIN_BODY,
        });
    }
    (value.len() > MAX_TOTAL).then_some(KeyProblem::TooLong {
        have: value.len(),
        max: MAX_TOTAL,
    })
}

/// Names the kind of stray character without echoing a character of the key.
fn char_class(c: char) -> &'static str {
    match c {
        '…' => "ellipsis (a masked or abbreviated key was pasted)",
        '"' | '\'' | '`' => "quote",
        '_' | '-' => "separator ('_' or '-')",
        c if c.is_control() => "control character",
        c if !c.is_ascii() => "non-ASCII character",
        _ => "punctuation",
    }
}
