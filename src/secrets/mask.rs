//! The only way a secret-derived string may leave this module.

use sha2::{Digest, Sha256};

/// Prefixes that are safe to show: they name the kind of credential, never any of
/// its entropy. Publishable prefixes are here so that messages about a misplaced
/// `pk_live_` key read naturally.
const EXTRA_PREFIXES: &[&str] = &["pk_live_", "pk_test_", "sb_publishable_"];

/// Below this many characters after the prefix, even four trailing characters are
/// a noticeable share of the secret, so none are shown.
const MIN_REST_FOR_TAIL: usize = 16;

fn known_prefix(value: &str) -> &str {
    let rule_prefixes = super::patterns::RULES
        .iter()
        .filter_map(|r| std::str::from_utf8(r.prefix).ok());
    rule_prefixes
        .chain(EXTRA_PREFIXES.iter().copied())
        .filter(|p| value.starts_with(p))
        .max_by_key(|p| p.len())
        .unwrap_or("")
}

/// `sk_live_…a1b2`: the known prefix and at most the last four characters.
///
/// Values without a known prefix show only `…a1b2`, and only when at least 16
/// characters long. PEM blocks show their armour line and nothing of the body.
pub fn mask(value: &str) -> String {
    let value = value.trim();
    if let Some(header) = pem_header(value) {
        return format!("{header}…");
    }
    // The DB URL prefixes are full schemes, but the generic "scheme://" of another
    // URL is equally harmless and makes the output far more readable.
    let prefix = match known_prefix(value) {
        "" => value
            .find("://")
            .map_or("", |i| value.get(..i + 3).unwrap_or("")),
        p => p,
    };
    let rest = value.get(prefix.len()..).unwrap_or("");
    let rest_chars = rest.chars().count();
    let tail: String = if rest_chars >= MIN_REST_FOR_TAIL {
        let skip = rest_chars - 4;
        rest.chars().skip(skip).collect()
    } else {
        String::new()
    };
    // Control or invisible characters in the tail would garble terminals and tell
    // the reader nothing.
    let tail = if tail
        .chars()
        .all(|c| c.is_alphanumeric() || c.is_ascii_punctuation())
    {
        tail
    } else {
        String::new()
    };
    let out = format!("{prefix}…{tail}");
    // Guard against degenerate inputs such as a value that is itself "sk_live_…".
    if !prefix.is_empty() && !value.is_empty() && out.contains(value) {
        return "…".to_string();
    }
    out
}

fn pem_header(value: &str) -> Option<&str> {
    if !value.starts_with("-----BEGIN ") {
        return None;
    }
    let end = super::patterns::match_at(value.as_bytes(), 0)?.1;
    value.get(..end)
}

/// First 8 hex digits of SHA-256: enough to see that two reports (or two env files)
/// hold the same credential, far too little to recover a high-entropy key.
/// Low-entropy values (short passwords) could be brute-forced from it, which is
/// why reports show it next to masked values only, never instead of masking.
pub fn fingerprint(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    hex::encode(digest.get(..4).unwrap_or_default())
}
