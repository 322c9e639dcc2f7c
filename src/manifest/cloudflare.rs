//! The `cloudflare:` section (SPEC §2): the zone in front of production, read
//! through a read-only API token named by `token_env`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::fields::UrlField;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudflareSection {
    /// The zone's name, e.g. `acme.app`.
    pub zone: String,
    /// Variable holding a read-only API token (Zone Read, Zone Settings Read, DNS Read,
    /// Page Rules Read, Cache Rules Read, Zone WAF Read, Bot Management Read).
    #[serde(default = "default_token_env")]
    pub token_env: String,
    /// Defaults to `CLOUDFLARE_API_BASE` from the environment, then
    /// `https://api.cloudflare.com/client/v4`.
    pub api_base: Option<UrlField>,
}

fn default_token_env() -> String {
    "CLOUDFLARE_API_TOKEN".to_owned()
}

#[cfg(test)]
mod tests {
    use crate::manifest::parse_str;

    #[test]
    fn the_token_variable_defaults_and_unknown_fields_are_rejected() {
        let m = parse_str(
            "version: 1\nproject: a\ncloudflare:\n  zone: acme.app\n",
            "x.yaml",
        );
        let cf = m.ok().and_then(|m| m.cloudflare);
        assert_eq!(
            cf.map(|c| c.token_env).as_deref(),
            Some("CLOUDFLARE_API_TOKEN")
        );
        let bad = parse_str(
            "version: 1\nproject: a\ncloudflare:\n  zone: acme.app\n  zone_id: 023e105f\n",
            "x.yaml",
        );
        let err = format!("{:?}", bad.err());
        assert!(err.contains("zone_id"), "{err}");
        let no_zone = parse_str(
            "version: 1\nproject: a\ncloudflare:\n  token_env: CF\n",
            "x.yaml",
        );
        assert!(no_zone.is_err());
    }
}
