//! Searching large text (minified JavaScript bundles of several MB) for secrets.

use super::{KnownSecret, MatchKind, SecretMatch, mask, patterns};

/// Values shorter than this are not searched for literally. Short env values are
/// typically words, ports, ids or flags (`admin`, `5432`, `eu-west-1`) that occur in
/// any bundle by coincidence; a hit would say nothing, and a list of such hits
/// would teach users to ignore the check. Long credentials are caught either way.
pub const MIN_LITERAL_LEN: usize = 8;

/// Upper bound on reported matches, so a bundle that repeats a key thousands of
/// times yields a readable report and bounded memory.
pub const MAX_MATCHES: usize = 1000;

/// Searches `text` for secret patterns and for the literal values of `known`
/// secret variables. Offsets are byte offsets into `text`; the result is sorted by
/// offset. A stretch found both as a known value and as a pattern is reported once,
/// as the known variable (the more actionable finding).
///
/// Work is linear in `text.len()` for the patterns and O(len · known) for the
/// literal search (the standard library's substring search is linear).
pub fn scan_text(text: &str, known: &[KnownSecret]) -> Vec<SecretMatch> {
    let mut env_hits: Vec<(usize, usize, SecretMatch)> = Vec::new();
    for secret in known {
        for needle in literal_forms(&secret.value) {
            for (offset, _) in text.match_indices(needle.as_str()) {
                if env_hits.len() >= MAX_MATCHES {
                    break;
                }
                let hit = SecretMatch {
                    kind: MatchKind::EnvValue {
                        var: secret.name.clone(),
                    },
                    offset,
                    masked: mask(&secret.value),
                };
                env_hits.push((offset, offset + needle.len(), hit));
            }
        }
    }
    env_hits.sort_by_key(|(start, end, _)| (*start, *end));
    env_hits.dedup_by(|a, b| a.0 == b.0 && a.2.kind == b.2.kind);

    let mut out: Vec<SecretMatch> = Vec::new();
    for (start, end, kind) in pattern_hits(text) {
        if out.len() + env_hits.len() >= MAX_MATCHES {
            break;
        }
        if env_hits.iter().any(|(s, e, _)| start < *e && *s < end) {
            continue;
        }
        let raw = text.get(start..end).unwrap_or("");
        out.push(SecretMatch {
            kind: MatchKind::Pattern(kind),
            offset: start,
            masked: mask(raw),
        });
    }
    out.extend(env_hits.into_iter().map(|(_, _, m)| m));
    out.sort_by_key(|m| m.offset);
    out
}

/// The value as written, plus its JSON/JS string-escaped form when that differs:
/// a multi-line PEM key inlined by a bundler appears with `\n` escapes.
fn literal_forms(value: &str) -> Vec<String> {
    let value = value.trim();
    if value.chars().count() < MIN_LITERAL_LEN {
        return Vec::new();
    }
    let mut forms = vec![value.to_string()];
    if let Ok(quoted) = serde_json::to_string(value) {
        let escaped = quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or(&quoted);
        if escaped != value {
            forms.push(escaped.to_string());
        }
    }
    forms
}

fn pattern_hits(text: &str) -> Vec<(usize, usize, super::SecretKind)> {
    let bytes = text.as_bytes();
    let mut hits = Vec::new();
    let mut i = 0;
    while i < bytes.len() && hits.len() < MAX_MATCHES {
        let starts_rule = bytes
            .get(i)
            .is_some_and(|&b| patterns::FIRST_BYTES[usize::from(b)]);
        if starts_rule && let Some((kind, end)) = patterns::match_at(bytes, i) {
            hits.push((i, end, kind));
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    hits
}
