//! `platform:` (where production runs) and `env.source` (SPEC §2): the env checks
//! may audit the production environment as the hosting platform stores it instead
//! of local dotenv files.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::fields::UrlField;

/// Where the `env.*` checks read values from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EnvSourceKind {
    /// `env.files`, `--env-file` and the process environment.
    #[default]
    Dotenv,
    /// The production target of the `platform` project's environment variables.
    Platform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlatformProvider {
    Vercel,
}

impl PlatformProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            PlatformProvider::Vercel => "vercel",
        }
    }
}

/// The hosting platform's project (read-only API access).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlatformSection {
    pub provider: PlatformProvider,
    /// Project id (`prj_…`) or name.
    pub project: String,
    /// The team that owns the project (`team_…`), when it is not a personal project.
    pub team_id: Option<String>,
    /// Variable holding the API token.
    #[serde(default = "default_token_env")]
    pub token_env: String,
    /// Defaults to `VERCEL_API_BASE` from the environment, then `https://api.vercel.com`.
    pub api_base: Option<UrlField>,
}

fn default_token_env() -> String {
    "VERCEL_TOKEN".to_owned()
}

/// The manifest problems of `platform` and `env.source`.
pub(super) fn problems(m: &super::Manifest) -> Vec<String> {
    let mut out = Vec::new();
    let source = m.env.as_ref().map(|e| e.source).unwrap_or_default();
    if source == EnvSourceKind::Platform && m.platform.is_none() {
        out.push(
            "env.source is `platform` but the manifest has no `platform` section naming the project"
                .to_owned(),
        );
    }
    if let Some(p) = &m.platform {
        if p.project.trim().is_empty() {
            out.push("platform.project is empty: name the project (id or name)".to_owned());
        }
        if p.team_id.as_deref().is_some_and(|t| t.trim().is_empty()) {
            out.push("platform.team_id is empty: remove it or name the team".to_owned());
        }
    }
    out
}
