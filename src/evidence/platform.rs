//! The hosting platform's project and its environment variables (Vercel), read once
//! per audit through the read-only client (`crate::net::vercel`). No `platform`
//! section is a `skip`; a missing token a `skip` naming the variable; a wrong
//! token, a missing permission or an API failure an `error`.
//!
//! Every value read is registered with the output scrubber unless it is public by
//! design (a public-prefixed variable, a `url_vars` entry, a plain URL) — the same
//! rule as for dotenv values — so no secret read here can reach a report.

use futures::StreamExt;

use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::manifest::PlatformSection;
use crate::net::api::{ApiError, Credential, Problem};
use crate::net::vercel::{ProjectEnv, SPEC, VercelApi};

/// Variables whose value the listing did not decrypt are fetched one by one: at
/// most this many, this many at a time.
const MAX_VALUE_LOOKUPS: usize = 200;
const LOOKUP_CONCURRENCY: usize = 4;

/// How Vercel stores a variable (`type`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StoredAs {
    Plain,
    Encrypted,
    /// Write-only: the value can never be read back.
    Sensitive,
    /// A legacy `@secret` reference.
    Secret,
    System,
    Other(String),
}

impl StoredAs {
    fn parse(kind: &str) -> Self {
        match kind {
            "plain" => StoredAs::Plain,
            "encrypted" => StoredAs::Encrypted,
            "sensitive" => StoredAs::Sensitive,
            "secret" => StoredAs::Secret,
            "system" => StoredAs::System,
            other => StoredAs::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            StoredAs::Plain => "plain",
            StoredAs::Encrypted => "encrypted",
            StoredAs::Sensitive => "sensitive",
            StoredAs::Secret => "secret",
            StoredAs::System => "system",
            StoredAs::Other(s) => s,
        }
    }
}

/// One variable of the project. `Debug` never prints the value.
#[derive(Clone)]
pub struct PlatformVar {
    pub key: String,
    pub stored_as: StoredAs,
    /// `production`, `preview`, `development`.
    pub targets: Vec<String>,
    pub git_branch: Option<String>,
    /// The clear value; `None` when it cannot be read back (sensitive, or not
    /// decrypted for this token).
    pub value: Option<String>,
}

impl std::fmt::Debug for PlatformVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PlatformVar({} {} {:?})",
            self.key,
            self.stored_as.as_str(),
            self.targets
        )
    }
}

impl PlatformVar {
    pub fn in_target(&self, target: &str) -> bool {
        self.targets.iter().any(|t| t == target)
    }
}

/// The project and every variable of every target.
#[derive(Debug)]
pub struct PlatformEnv {
    pub provider: &'static str,
    /// As the manifest names it (`platform.project`).
    pub project: String,
    pub project_id: String,
    pub vars: Vec<PlatformVar>,
}

impl PlatformEnv {
    /// Where a production value came from, for `details.source`.
    pub fn production_label(&self) -> String {
        format!("Vercel project {} (production)", self.project)
    }
}

/// The `platform` project's environment variables.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlatformEnvVars;

pub(crate) fn section(cx: &Context) -> Result<&PlatformSection, Unavailable> {
    cx.manifest
        .platform
        .as_ref()
        .ok_or_else(|| Unavailable::skip("no `platform` section in the manifest"))
}

fn api_error(e: ApiError) -> Unavailable {
    Unavailable::error(e.to_string())
        .details(e.details())
        .remediation(e.remediation())
}

impl Source for PlatformEnvVars {
    type Value = PlatformEnv;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let platform = section(cx)?;
        for (field, value) in [
            ("platform.project", Some(platform.project.as_str())),
            ("platform.team_id", platform.team_id.as_deref()),
        ] {
            if value.is_some_and(|v| v.contains("TODO")) {
                return Err(Unavailable::error(format!("placeholder in {field}"))
                    .remediation(format!("Put the real value in {field}.")));
            }
        }
        let credential = Credential::read(
            &platform.token_env,
            cx.env.get(&platform.token_env),
            "the Vercel checks need an access token scoped to the project's team",
        )
        .map_err(Unavailable::skip)?;
        let net = net(cx)?;
        let env_base = cx.env.get(SPEC.base_env).filter(|b| !b.trim().is_empty());
        let manifest_base = platform.api_base.as_ref().map(|b| b.as_str());
        let api = VercelApi::connect(
            net,
            manifest_base,
            env_base,
            credential,
            platform.team_id.as_deref(),
        )
        .map_err(Unavailable::error)?;
        let project = api.project(&platform.project).await.map_err(|e| {
            if e.status() == Some(404) {
                Unavailable::error(format!(
                    "Vercel project `{}` not found for this token{}",
                    platform.project,
                    if platform.team_id.is_some() { "" } else { " (no platform.team_id: a team project needs it)" }
                ))
                .details(e.details())
                .remediation("Check platform.project (the project's name or prj_ id) and platform.team_id (Team Settings → General → Team ID).")
            } else {
                api_error(e)
            }
        })?;
        let listing = api.envs(&project.id).await.map_err(api_error)?;
        if let Some(stop) = &listing.stopped {
            return Err(Unavailable::error(format!(
                "the environment variables of Vercel project {} could not all be read ({stop}, {} read)",
                platform.project,
                listing.envs.len()
            ))
            .remediation(SPEC.narrow_hint));
        }
        if listing.hidden_production > 0 {
            // Judging a partial production environment would call hidden variables
            // missing and leave their values unjudged.
            return Err(Unavailable::error(format!(
                "Vercel hides {} production variable(s) of {} from this token",
                listing.hidden_production, platform.project
            ))
            .remediation(format!(
                "Use a token ({}) of a team member whose role can read production environment variables (Member or above).",
                platform.token_env
            )));
        }
        let vars = decrypt(&api, &project.id, listing.envs).await?;
        let scrub_rule = ScrubRule::new(cx);
        for var in &vars {
            if let Some(value) = &var.value
                && scrub_rule.is_secret(&var.key, value)
            {
                crate::redact::register(value);
            }
        }
        Ok(PlatformEnv {
            provider: platform.provider.as_str(),
            project: platform.project.clone(),
            project_id: project.id,
            vars,
        })
    }
}

/// Needs a second request: stored encrypted, not returned decrypted by the listing.
fn needs_lookup(env: &ProjectEnv) -> bool {
    matches!(env.kind.as_str(), "encrypted" | "secret") && env.decrypted != Some(true)
}

fn readable(env: &ProjectEnv) -> Option<String> {
    match env.kind.as_str() {
        "sensitive" => None,
        _ if needs_lookup(env) => None,
        _ => Some(env.value.clone().unwrap_or_default()),
    }
}

/// The variables with their clear values, asking `GET /v1/projects/{id}/env/{envId}`
/// for those the listing left encrypted.
async fn decrypt(
    api: &VercelApi<'_>,
    project_id: &str,
    envs: Vec<ProjectEnv>,
) -> Result<Vec<PlatformVar>, Unavailable> {
    let wanted: Vec<(usize, String)> = envs
        .iter()
        .enumerate()
        .filter(|(_, e)| needs_lookup(e))
        .filter_map(|(i, e)| Some((i, e.id.clone()?)))
        .take(MAX_VALUE_LOOKUPS)
        .collect();
    let looked_up: Vec<(usize, Result<ProjectEnv, ApiError>)> = futures::stream::iter(wanted)
        .map(|(i, id)| async move { (i, api.env(project_id, &id).await) })
        .buffer_unordered(LOOKUP_CONCURRENCY)
        .collect()
        .await;
    let mut values: Vec<Option<String>> = envs.iter().map(readable).collect();
    for (i, got) in looked_up {
        match got {
            Ok(env) if env.decrypted == Some(true) || env.kind == "plain" => {
                values[i] = Some(env.value.unwrap_or_default());
            }
            Ok(_) => {}
            // A variable deleted between the two requests.
            Err(e) if matches!(e.problem, Problem::Rejected { status: 404 }) => {}
            Err(e) => return Err(api_error(e)),
        }
    }
    Ok(envs
        .into_iter()
        .zip(values)
        .map(|(env, value)| PlatformVar {
            stored_as: StoredAs::parse(&env.kind),
            key: env.key,
            targets: env.target,
            git_branch: env.git_branch.filter(|b| !b.is_empty()),
            value,
        })
        .collect())
}

/// Which values are secret for the scrubber: the dotenv rule (`Env::values_to_scrub`).
struct ScrubRule {
    public_prefixes: Vec<String>,
    url_vars: Vec<String>,
}

impl ScrubRule {
    fn new(cx: &Context) -> Self {
        Self {
            public_prefixes: cx.env.public_prefixes.clone(),
            url_vars: cx.env.url_vars.clone(),
        }
    }

    fn is_secret(&self, name: &str, value: &str) -> bool {
        if crate::secrets::classify_value(value).is_some() {
            return true;
        }
        let public = self
            .public_prefixes
            .iter()
            .any(|p| name.starts_with(p.as_str()));
        let plain_url = url::Url::parse(value.trim()).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.password().is_none()
                && u.username().is_empty()
        });
        !(public || self.url_vars.iter().any(|u| u == name) || plain_url)
    }
}
