//! Where a token may be sent (SPEC §6, §7 "API bases"): only to `https://` bases
//! (plain `http://` only on loopback), and a live credential to a host that is not
//! the provider's own only when the base came from the environment or
//! `--allow-api-base` names it — never on the manifest's word alone, since a pull
//! request can edit the manifest.

use url::{Host, Url};

use super::ApiSpec;

/// Where the base came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseSource {
    Default,
    Manifest,
    Environment,
}

/// The base a client will use, after the rule allowed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBase {
    /// Without a trailing slash.
    pub url: String,
    pub source: BaseSource,
}

/// `localhost` and loopback address literals: the machine itself, never looked up.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parse an `--allow-api-base` value (a usage error when it is not an absolute
/// http(s) URL with a host).
pub fn parse_allowed(text: &str) -> Result<Url, String> {
    match Url::parse(text.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(u),
        _ => Err(format!(
            "--allow-api-base `{text}`: expected an absolute https:// URL, e.g. https://api.stripe.example"
        )),
    }
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Choose the base (the environment's overrides the manifest's, SPEC §7) and apply
/// the rule. `live`: the credential is a live one (every provider credential except
/// Stripe test-mode keys). The error names the base and `--allow-api-base`.
pub fn choose(
    spec: &ApiSpec,
    manifest: Option<&str>,
    environment: Option<&str>,
    allowed: &[String],
    live: bool,
) -> Result<ApiBase, String> {
    let (text, source, origin) = match (environment, manifest) {
        (Some(e), _) => (e, BaseSource::Environment, spec.base_env.to_owned()),
        (None, Some(m)) => (m, BaseSource::Manifest, spec.base_field.to_owned()),
        (None, None) => (
            spec.default_base,
            BaseSource::Default,
            "the default".to_owned(),
        ),
    };
    let text = text.trim().trim_end_matches('/');
    let url = match Url::parse(text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
        _ => return Err(format!("{origin} `{text}` is not an absolute https:// URL")),
    };
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(format!(
            "refusing to send the {} credential to {text} ({origin}): API bases must be https:// (plain http:// only on loopback)",
            spec.name
        ));
    }
    let own = url
        .host_str()
        .is_some_and(|h| spec.own_hosts.iter().any(|o| h.eq_ignore_ascii_case(o)));
    let named = allowed
        .iter()
        .filter_map(|a| Url::parse(a.trim()).ok())
        .any(|a| same_origin(&a, &url));
    let trusted_source = source != BaseSource::Manifest;
    if live && !own && !is_loopback(&url) && !trusted_source && !named {
        return Err(format!(
            "refusing to send a live {} credential to {text}, which is not {}'s own host: {} comes from the manifest only; set {} in the environment or pass --allow-api-base {text}",
            spec.name, spec.name, spec.base_field, spec.base_env
        ));
    }
    Ok(ApiBase {
        url: text.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::stripe::SPEC;

    #[test]
    fn a_live_key_goes_to_a_foreign_manifest_base_only_when_allowed() {
        let foreign = "https://api.stripe.attacker.example";
        let e = choose(&SPEC, Some(foreign), None, &[], true).unwrap_err();
        assert!(e.contains(foreign) && e.contains("--allow-api-base"), "{e}");
        assert!(e.contains("STRIPE_API_BASE"), "{e}");
        let ok = choose(&SPEC, Some(foreign), None, &[format!("{foreign}/")], true).unwrap();
        assert_eq!(ok.url, foreign);
        // Test-mode keys and the provider's own host need no permission.
        assert!(choose(&SPEC, Some(foreign), None, &[], false).is_ok());
        assert!(choose(&SPEC, Some("https://api.stripe.com"), None, &[], true).is_ok());
        // The environment's base overrides the manifest's and is trusted.
        let env = choose(
            &SPEC,
            Some(foreign),
            Some("https://api.stripe.sandbox"),
            &[],
            true,
        );
        assert_eq!(env.unwrap().source, BaseSource::Environment);
        assert_eq!(
            choose(&SPEC, None, None, &[], true).unwrap().url,
            "https://api.stripe.com"
        );
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for base in ["http://api.stripe.com", "http://evil.example"] {
            let e = choose(&SPEC, Some(base), None, &[base.to_owned()], false).unwrap_err();
            assert!(e.contains("https://"), "{e}");
            assert!(choose(&SPEC, None, Some(base), &[], true).is_err());
        }
        for base in [
            "http://127.0.0.1:8080",
            "http://localhost:1234",
            "http://[::1]:9",
        ] {
            assert!(choose(&SPEC, Some(base), None, &[], true).is_ok(), "{base}");
        }
        assert!(choose(&SPEC, Some("ftp://x"), None, &[], true).is_err());
        // Same host, other port: not the base --allow-api-base named.
        let e = choose(
            &SPEC,
            Some("https://fake.example:8443"),
            None,
            &["https://fake.example".to_owned()],
            true,
        );
        assert!(e.is_err());
    }
}
