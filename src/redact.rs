//! Last line of defence: whatever a check or error message might carry, no secret
//! value from the environment leaves the process unmasked.

pub use crate::secrets::mask;

/// Tokens read while the audit runs (API credentials), scrubbed from every output
/// like the environment's secret values.
static REGISTERED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Scrub `secret` from every output from now on; call it the moment a token is read.
pub fn register(secret: &str) {
    let mut registered = match REGISTERED.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if secret.len() >= 8 && !registered.iter().any(|s| s == secret) {
        registered.push(secret.to_owned());
    }
}

/// Replace every occurrence of any secret value in `text`, and of every registered
/// token, with its mask.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_owned();
    let registered = match REGISTERED.lock() {
        Ok(g) => g.clone(),
        Err(p) => p.into_inner().clone(),
    };
    // Longest first, so a secret containing another is masked whole.
    let mut sorted: Vec<&String> = secrets
        .iter()
        .chain(registered.iter())
        .filter(|s| s.len() >= 8)
        .collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in sorted {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), &mask(secret));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_prefix_and_last_four() {
        assert_eq!(mask("sk_live_51Habcdefghijklmnopa1b2"), "sk_live_…a1b2");
        assert_eq!(mask("plainsecretvalue1234"), "…1234");
    }

    #[test]
    fn scrub_removes_every_occurrence() {
        let secret = "sk_test_aaaaaaaaaaaaaaaaaaaa1234".to_owned();
        let text = format!("a {secret} b \"{secret}\"");
        let out = scrub(&text, std::slice::from_ref(&secret));
        assert!(!out.contains(&secret));
        assert_eq!(out.matches("sk_test_…1234").count(), 2);
    }

    #[test]
    fn registered_tokens_are_scrubbed_too() {
        let token = "vercel-token-registered-at-run-time-9f2a";
        register(token);
        let out = scrub(&format!("Bearer {token}"), &[]);
        assert!(!out.contains(token) && out.ends_with("9f2a"), "{out}");
    }
}
