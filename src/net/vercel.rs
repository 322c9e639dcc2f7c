//! The Vercel REST API on the shared client (`net::api`): a bearer token, Vercel's
//! base rule, caps and retries, and the three read-only calls the platform evidence
//! needs — the project, its environment variables, and one variable's decrypted
//! value. Shapes follow `@vercel/sdk` (`getProject`, `filterProjectEnvs`,
//! `getProjectEnv`).

use serde::Deserialize;

use super::Net;
use super::api::{ApiClient, ApiError, ApiSpec, Auth, Credential, Problem, Stop};

pub const DEFAULT_API_BASE: &str = "https://api.vercel.com";

pub static SPEC: ApiSpec = ApiSpec {
    name: "Vercel",
    default_base: DEFAULT_API_BASE,
    base_env: "VERCEL_API_BASE",
    base_field: "platform.api_base",
    own_hosts: &["api.vercel.com"],
    auth: Auth::Bearer,
    // A project object with its build and git settings is ~20 KB; an env page of a
    // large project (hundreds of variables with comments) well under 1 MiB.
    body_cap: 4 * 1024 * 1024,
    max_pages: 20,
    max_listing_bytes: 32 * 1024 * 1024,
    max_retries: 2,
    should_retry_header: None,
    permission_for,
    key_help: "an access token scoped to the team that owns the project (Vercel → Account Settings → Tokens), from a member whose role can read the project's environment variables",
    key_settings: "Vercel → Account Settings → Tokens (scope) and Team Settings → Members (role)",
    status_page: "https://www.vercel-status.com",
    narrow_hint: "The project has more environment variables than the audit reads; remove stale ones, or audit with env.source: dotenv.",
};

/// Vercel tokens carry no per-endpoint scopes: what a token may read follows its
/// team scope and its owner's role. Vercel also answers 403 to an invalid token.
pub fn permission_for(path: &str) -> String {
    if path.contains("/env") {
        "read access to the project's environment variables (a token scoped to the project's team, from a member whose role can read them — Member or above; an invalid or expired token is also refused with 403)".to_owned()
    } else {
        "read access to the project (a token scoped to the team that owns it; an invalid or expired token is also refused with 403)".to_owned()
    }
}

/// The fields of a project the evidence reads.
#[derive(Clone, Debug, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
}

/// One environment variable as Vercel stores it. `Debug` never prints the value.
#[derive(Clone, Deserialize)]
pub struct ProjectEnv {
    #[serde(default)]
    pub id: Option<String>,
    pub key: String,
    #[serde(default)]
    pub value: Option<String>,
    /// `system | secret | encrypted | plain | sensitive`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `production | preview | development`: a list, or one name.
    #[serde(default, deserialize_with = "targets")]
    pub target: Vec<String>,
    #[serde(rename = "gitBranch", default)]
    pub git_branch: Option<String>,
    /// Whether `value` is the clear text.
    #[serde(default)]
    pub decrypted: Option<bool>,
}

impl std::fmt::Debug for ProjectEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ProjectEnv({} {} {:?}, <{} chars>)",
            self.key,
            self.kind,
            self.target,
            self.value.as_deref().map_or(0, str::len)
        )
    }
}

fn targets<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
        Null(()),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(t) => vec![t],
        OneOrMany::Many(ts) => ts,
        OneOrMany::Null(()) => Vec::new(),
    })
}

/// One page of `filterProjectEnvs`: `{envs, pagination}` when paged, `{envs,
/// hiddenProductionEnvCount}` otherwise.
#[derive(Deserialize)]
struct EnvPage {
    envs: Vec<ProjectEnv>,
    #[serde(rename = "hiddenProductionEnvCount", default)]
    hidden_production: Option<u64>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

#[derive(Deserialize)]
struct Pagination {
    #[serde(default)]
    next: Option<serde_json::Value>,
}

/// Every variable read, and where the listing stopped if it did not reach the end.
#[derive(Debug, Default)]
pub struct EnvListing {
    pub envs: Vec<ProjectEnv>,
    pub pages: usize,
    /// Production variables Vercel hides from this token (its owner's role).
    pub hidden_production: u64,
    pub stopped: Option<Stop>,
}

/// Project ids, names and env ids are URL path segments: only their own alphabet.
fn segment(spec_path: &str, text: &str) -> Result<String, ApiError> {
    let ok = !text.is_empty()
        && text.len() <= 100
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && text != "."
        && text != "..";
    if ok {
        Ok(text.to_owned())
    } else {
        Err(ApiError::new(
            &SPEC,
            spec_path,
            Problem::Malformed(format!("`{text}` is not a Vercel project or variable id")),
        ))
    }
}

pub struct VercelApi<'a> {
    client: ApiClient<'a>,
    team_id: Option<String>,
}

impl<'a> VercelApi<'a> {
    /// A client for the token in `credential`, if the base rule lets it go to the
    /// base (`VERCEL_API_BASE` from the environment wins over `platform.api_base`).
    pub fn connect(
        net: &'a Net,
        manifest_base: Option<&str>,
        env_base: Option<&str>,
        credential: Credential,
        team_id: Option<&str>,
    ) -> Result<Self, String> {
        let client = ApiClient::new(&SPEC, net, manifest_base, env_base, credential)?;
        Ok(Self {
            client,
            team_id: team_id.map(str::to_owned),
        })
    }

    fn query(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        if let Some(team) = &self.team_id {
            q.push(("teamId".to_owned(), team.clone()));
        }
        q
    }

    /// `GET /v9/projects/{idOrName}`.
    pub async fn project(&self, id_or_name: &str) -> Result<Project, ApiError> {
        let path = format!("/v9/projects/{}", segment("/v9/projects", id_or_name)?);
        let value = self.client.get_json(&path, &self.query(&[])).await?;
        serde_json::from_value(value).map_err(|e| {
            ApiError::new(
                &SPEC,
                &path,
                Problem::Malformed(format!("not a project object: {e}")),
            )
        })
    }

    /// `GET /v10/projects/{id}/env?decrypt=true`, every page (`pagination.next`, a
    /// timestamp, sent back as `until`) within the API's page and size caps. Read
    /// here rather than through `ApiClient::list` because the first page also says
    /// how many production variables the token may not see.
    pub async fn envs(&self, project_id: &str) -> Result<EnvListing, ApiError> {
        let path = format!(
            "/v10/projects/{}/env",
            segment("/v10/projects", project_id)?
        );
        let mut out = EnvListing::default();
        let mut until: Option<String> = None;
        let mut bytes = 0usize;
        loop {
            if out.pages >= SPEC.max_pages {
                out.stopped = Some(Stop::Pages(SPEC.max_pages));
                return Ok(out);
            }
            if bytes >= SPEC.max_listing_bytes {
                out.stopped = Some(Stop::Size(SPEC.max_listing_bytes));
                return Ok(out);
            }
            let mut query = self.query(&[("decrypt", "true")]);
            query.extend(until.take().map(|u| ("until".to_owned(), u)));
            let resp = self.client.get(&path, &query).await?;
            bytes += resp.body.len();
            let page: EnvPage = serde_json::from_slice(&resp.body).map_err(|e| {
                ApiError::new(
                    &SPEC,
                    &path,
                    Problem::Malformed(format!("not an environment variable list: {e}")),
                )
            })?;
            out.pages += 1;
            out.hidden_production = out
                .hidden_production
                .max(page.hidden_production.unwrap_or(0));
            out.envs.extend(page.envs);
            until = match page.pagination.and_then(|p| p.next) {
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s),
                _ => return Ok(out),
            };
        }
    }

    /// `GET /v1/projects/{id}/env/{envId}`: one variable with its decrypted value.
    pub async fn env(&self, project_id: &str, env_id: &str) -> Result<ProjectEnv, ApiError> {
        let path = format!(
            "/v1/projects/{}/env/{}",
            segment("/v1/projects", project_id)?,
            segment("/v1/projects", env_id)?
        );
        let value = self.client.get_json(&path, &self.query(&[])).await?;
        serde_json::from_value(value).map_err(|e| {
            ApiError::new(
                &SPEC,
                &path,
                Problem::Malformed(format!("not an environment variable object: {e}")),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_shapes_read_one_or_many_targets_and_hide_values() {
        let one: ProjectEnv = serde_json::from_str(
            r#"{"type": "encrypted", "key": "STRIPE_SECRET_KEY", "value": "sk_live_hidden_value_1234",
                "target": "production", "id": "env_1", "gitBranch": null, "decrypted": true,
                "securityIssues": [], "createdAt": 1700000000000, "configurationId": null}"#,
        )
        .unwrap();
        assert_eq!(one.target, vec!["production"]);
        assert!(!format!("{one:?}").contains("hidden_value"));
        let many: ProjectEnv = serde_json::from_str(
            r#"{"type": "sensitive", "key": "K", "value": "", "target": ["production", "preview"]}"#,
        )
        .unwrap();
        assert_eq!(many.target.len(), 2);
        assert!(serde_json::from_str::<ProjectEnv>(r#"{"key": "K"}"#).is_err());
    }

    #[test]
    fn path_segments_are_only_ids_or_names() {
        assert!(segment("/p", "acme-web").is_ok());
        assert!(segment("/p", "prj_AbC.1").is_ok());
        for bad in ["", "..", "a/b", "a?x=1", "a b", "%2e"] {
            assert!(segment("/p", bad).is_err(), "{bad}");
        }
    }
}
