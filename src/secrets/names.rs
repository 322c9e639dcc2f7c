//! Judging a variable by its name, and deciding which variables must never be
//! found in a client bundle.

/// Words that mark a credential. Compared against whole words of the name, so
/// `MONKEY`, `BYPASS_CACHE` or `AUTHOR` do not count.
const MARKERS: &[&str] = &[
    "KEY",
    "KEYS",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "TOKENS",
    "PASSWORD",
    "PASSWORDS",
    "PASSWD",
    "PWD",
    "PASS",
    "PASSPHRASE",
    "PRIVATE",
    "CREDENTIAL",
    "CREDENTIALS",
    "CREDS",
    "DSN",
    "AUTH",
    "APIKEY",
    "SECRETKEY",
    "PRIVATEKEY",
    "ACCESSKEY",
    "AUTHTOKEN",
    "ACCESSTOKEN",
];

/// A marker right after one of these names something public by convention:
/// `STRIPE_PUBLISHABLE_KEY`, `VAPID_PUBLIC_KEY`, `SUPABASE_ANON_KEY`,
/// `TURNSTILE_SITE_KEY`, `MAPBOX_PUBLIC_TOKEN`.
const PUBLIC_QUALIFIERS: &[&str] = &["PUBLISHABLE", "PUBLIC", "ANON", "SITE"];

/// A last word that describes a credential rather than holding one:
/// `AWS_ACCESS_KEY_ID`, `JWT_SECRET_FILE`, `AUTH_URL`, `PASSWORD_MIN_LENGTH`.
const DESCRIPTORS: &[&str] = &[
    "ID",
    "IDS",
    "NAME",
    "URL",
    "URI",
    "PATH",
    "FILE",
    "DIR",
    "HOST",
    "PORT",
    "REGION",
    "ENDPOINT",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "ALGORITHM",
    "ALG",
    "TYPE",
    "LENGTH",
    "LEN",
    "FORMAT",
    "ENABLED",
    "HEADER",
    "VERSION",
    "MODE",
    "COUNT",
    "AGE",
    "DOMAIN",
];

/// Splits `STRIPE_SECRET_KEY`, `stripe-secret-key` and `stripeSecretKey` alike
/// into upper-case words.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The name says "this holds a credential", and it is not a public-by-convention
/// name (`…_PUBLISHABLE_KEY`, `…_PUBLIC_KEY`, `…_ANON_KEY`, `…_SITE_KEY`).
pub fn is_secret_name(name: &str) -> bool {
    let w = words(name);
    if w.last()
        .is_some_and(|last| DESCRIPTORS.contains(&last.as_str()))
    {
        return false;
    }
    w.iter().enumerate().any(|(i, word)| {
        let public = i
            .checked_sub(1)
            .and_then(|p| w.get(p))
            .is_some_and(|prev| PUBLIC_QUALIFIERS.contains(&prev.as_str()));
        MARKERS.contains(&word.as_str()) && !public
    })
}

/// Below this a named "secret" is more likely a flag, a region or a mode than a
/// credential, and searching for it would produce noise.
const MIN_SECRET_LEN: usize = 12;

fn is_obvious_non_secret(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let flag = [
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "null",
        "none",
        "undefined",
    ]
    .contains(&lower.as_str());
    let number = value.parse::<f64>().is_ok();
    let plain_url = value.contains("://") && !super::dburl::any_url_has_password(value);
    flag || number || plain_url
}

/// Should this variable's value never appear in a client bundle?
///
/// Yes when the value itself classifies as a secret (whatever its name; except a
/// Google API key in a public-prefixed variable, which is how Firebase and Maps are
/// meant to be configured), or when the name says secret and the variable is not
/// public-prefixed, not a URL variable, not a Stripe publishable key, at least 12
/// characters long and not an obvious non-secret (a boolean, a number, a URL
/// without credentials).
pub fn is_secret_var(
    name: &str,
    value: &str,
    public_prefixes: &[String],
    url_vars: &[String],
) -> bool {
    let value = value.trim();
    let public = public_prefixes.iter().any(|p| name.starts_with(p.as_str()));
    if let Some(kind) = super::classify_value(value) {
        return !(public && kind.client_exposure_expected());
    }
    if !is_secret_name(name) || public || url_vars.iter().any(|u| u == name) {
        return false;
    }
    let publishable = crate::stripe::keys::parse_key(value)
        .is_some_and(|k| k.kind == crate::stripe::keys::StripeKeyKind::Publishable);
    !publishable && value.chars().count() >= MIN_SECRET_LEN && !is_obvious_non_secret(value)
}
