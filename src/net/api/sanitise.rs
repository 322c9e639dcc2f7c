//! Provider messages are shown (they are often the most precise hint), but never
//! with a token in them — not even one the provider starred itself.

use crate::secrets::mask;

/// Prefixes of tokens providers echo back (Stripe keys, HubSpot private app tokens).
const KEY_PREFIXES: [&str; 6] = ["sk_", "rk_", "pk_", "whsec_", "ek_", "pat-"];
const MAX_MESSAGE: usize = 300;

/// Mask the token and every token-looking word (Stripe echoes keys, partly
/// starred); cut to a sane length.
pub fn sanitise(text: &str, token: &str) -> String {
    let text = if token.len() >= 8 {
        text.replace(token, &mask(token))
    } else {
        text.to_owned()
    };
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let looks_like_key = KEY_PREFIXES.iter().any(|p| word.starts_with(p));
        if looks_like_key && word.len() > 12 {
            out.push_str(&mask(&word.replace('*', "")));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '*' || c == '-' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    if out.chars().count() > MAX_MESSAGE {
        out = out.chars().take(MAX_MESSAGE).collect::<String>() + "…";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sanitise;

    #[test]
    fn sanitise_masks_keys_and_stripe_starred_keys() {
        let key = "sk_live_abcdefghijklmnopqrstuvwxyz1234";
        let text = format!("Invalid API Key provided: {key} or sk_live_***********wxyz");
        let out = sanitise(&text, key);
        assert!(!out.contains(key), "{out}");
        assert!(out.contains("sk_live_…1234"), "{out}");
        assert!(!out.contains("***"), "{out}");
        assert_eq!(
            sanitise("Having the 'rak_webhook_read' permission", key),
            "Having the 'rak_webhook_read' permission"
        );
        let pat = "pat-na1-0123abcd-4567-89ef-aaaa-bbbbccccdddd";
        assert!(
            !sanitise(&format!("token {pat} expired"), "other-token-1234").contains("0123abcd")
        );
    }
}
