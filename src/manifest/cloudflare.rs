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
