//! A Vercel REST API fake: one project and its environment variables, in the
//! shapes of `@vercel/sdk` (`getProject`, `filterProjectEnvs`, `getProjectEnv`),
//! with Vercel's error envelope (`{"error": {"code", "message"}}`), its pagination
//! (`pagination: {count, next, prev}`, `next` a timestamp sent back as `until`),
//! `teamId` scoping (a team project is not found without it), unknown query
//! parameters refused, and the kit's scripted faults.
//!
//! Values: `plain` are always clear; `encrypted` are clear in the listing when
//! `decrypt=true`, unless a variable is made with [`FakeEnv::lookup_only`] (then
//! only `GET /v1/projects/{id}/env/{envId}` decrypts it); `sensitive` are never
//! returned.

use std::sync::Arc;

use serde_json::{Value, json};

use super::api_fake::{ApiFake, RequestLog, Rule};
use super::web::{Req, Resp, Site};

/// The fake's host in the sandbox.
pub const HOST: &str = "api.vercel.sandbox";
/// Variables per listing page (Vercel pages large projects).
const DEFAULT_PAGE: usize = 20;
/// createdAt of the first variable, in milliseconds (2026-01-15).
const EPOCH_MS: i64 = 1_768_435_200_000;

/// One environment variable of the project.
#[derive(Clone)]
pub struct FakeEnv {
    pub key: String,
    pub value: String,
    /// `plain | encrypted | sensitive | secret | system`.
    pub kind: String,
    pub targets: Vec<String>,
    pub git_branch: Option<String>,
    lookup_only: bool,
}

impl FakeEnv {
    pub fn new(key: &str, value: &str, kind: &str, targets: &[&str]) -> Self {
        Self {
            key: key.to_owned(),
            value: value.to_owned(),
            kind: kind.to_owned(),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            git_branch: None,
            lookup_only: false,
        }
    }
    /// An `encrypted` variable, the way `vercel env add` stores a value by default.
    pub fn encrypted(key: &str, value: &str, targets: &[&str]) -> Self {
        Self::new(key, value, "encrypted", targets)
    }
    pub fn sensitive(key: &str, value: &str, targets: &[&str]) -> Self {
        Self::new(key, value, "sensitive", targets)
    }
    pub fn plain(key: &str, value: &str, targets: &[&str]) -> Self {
        Self::new(key, value, "plain", targets)
    }
    /// A preview variable for one git branch.
    pub fn branch(mut self, branch: &str) -> Self {
        self.git_branch = Some(branch.to_owned());
        self
    }
    /// Left encrypted by the listing: only the single-variable endpoint decrypts it.
    pub fn lookup_only(mut self) -> Self {
        self.lookup_only = true;
        self
    }
}

/// Vercel's error envelope.
pub fn vercel_error(status: u16, code: &str, message: &str) -> Value {
    let code = match status {
        403 => "forbidden",
        404 => "not_found",
        429 => "rate_limited",
        _ => code,
    };
    json!({ "error": { "code": code, "message": message } })
}

/// A Vercel account with one project.
pub struct VercelFake {
    host: String,
    token: String,
    project_id: String,
    project_name: String,
    team_id: Option<String>,
    envs: Vec<FakeEnv>,
    faults: Vec<Rule>,
    log: RequestLog,
    page: usize,
    /// 403 on the env endpoints (a role that cannot read environment variables).
    no_env_access: bool,
    /// Production variables this token's role may not see (`hiddenProductionEnvCount`).
    hidden_production: u64,
}

impl VercelFake {
    pub fn new(project_name: &str) -> Self {
        Self {
            host: HOST.to_owned(),
            token: String::new(),
            project_id: "prj_6hDqB0zXn2VrT8wKsL4mYc1a".to_owned(),
            project_name: project_name.to_owned(),
            team_id: None,
            envs: Vec::new(),
            faults: Vec::new(),
            log: RequestLog::new(),
            page: DEFAULT_PAGE,
            no_env_access: false,
            hidden_production: 0,
        }
    }
    pub fn with_token(mut self, token: &str) -> Self {
        self.token = token.to_owned();
        self
    }
    pub fn host(mut self, host: &str) -> Self {
        self.host = host.to_owned();
        self
    }
    /// The project belongs to this team: requests need `teamId`.
    pub fn team(mut self, team_id: &str) -> Self {
        self.team_id = Some(team_id.to_owned());
        self
    }
    pub fn env(mut self, env: FakeEnv) -> Self {
        self.envs.push(env);
        self
    }
    pub fn envs(mut self, envs: impl IntoIterator<Item = FakeEnv>) -> Self {
        self.envs.extend(envs);
        self
    }
    pub fn page_size(mut self, n: usize) -> Self {
        self.page = n.max(1);
        self
    }
    pub fn fault(mut self, rule: Rule) -> Self {
        self.faults.push(rule);
        self
    }
    pub fn without_env_access(mut self) -> Self {
        self.no_env_access = true;
        self
    }
    /// The listing says this many production variables are hidden from the token.
    pub fn hidden_production(mut self, n: u64) -> Self {
        self.hidden_production = n;
        self
    }
    pub fn log_to(mut self, log: &RequestLog) -> Self {
        self.log = log.clone();
        self
    }

    pub fn site(self) -> Site {
        let state = Arc::new(State {
            project_id: self.project_id,
            project_name: self.project_name,
            team_id: self.team_id,
            envs: self.envs,
            page: self.page,
            no_env_access: self.no_env_access,
            hidden_production: self.hidden_production,
        });
        let mut fake = ApiFake::new(&self.host)
            .bearer(&self.token)
            .errors(vercel_error)
            // Vercel refuses a wrong or expired token with 403, not 401.
            .unauthorized(|_| {
                let mut body = vercel_error(403, "forbidden", "Not authorized");
                body["error"]["invalidToken"] = json!(true);
                Resp::json(403, &body)
            })
            .log_to(&self.log);
        for rule in self.faults {
            fake = fake.fault(rule);
        }
        let (project, list, one) = (state.clone(), state.clone(), state);
        fake.route("/v9/projects/*", Some(&["teamId", "slug"]), move |req| {
            project.project(req)
        })
        .route(
            "/v10/projects/*",
            Some(&[
                "decrypt",
                "teamId",
                "slug",
                "target",
                "gitBranch",
                "source",
                "customEnvironmentId",
                "customEnvironmentSlug",
                "until",
            ]),
            move |req| list.list(req),
        )
        .route("/v1/projects/*", Some(&["teamId", "slug"]), move |req| {
            one.one(req)
        })
        .site()
    }
}

struct State {
    project_id: String,
    project_name: String,
    team_id: Option<String>,
    envs: Vec<FakeEnv>,
    page: usize,
    no_env_access: bool,
    hidden_production: u64,
}

fn not_found(what: &str) -> Resp {
    Resp::json(
        404,
        &vercel_error(404, "not_found", &format!("{what} not found")),
    )
}

fn forbidden() -> Resp {
    Resp::json(
        403,
        &vercel_error(
            403,
            "forbidden",
            "You don't have permission to list the environment variable.",
        ),
    )
}

impl State {
    /// The project named by a path segment, if the request's team can see it.
    fn find(&self, req: &Req, segment: &str) -> bool {
        let team_ok = self.team_id.is_none() || req.query_param("teamId") == self.team_id;
        team_ok && (segment == self.project_id || segment == self.project_name)
    }

    fn project(&self, req: &Req) -> Resp {
        let segment = req.path.trim_start_matches("/v9/projects/");
        if segment.contains('/') || !self.find(req, segment) {
            return not_found("Project");
        }
        Resp::json(
            200,
            &json!({
                "accountId": self.team_id.clone().unwrap_or_else(|| "uMc8Yb1KzQ3wX7pN2dRfTgHj".to_owned()),
                "autoExposeSystemEnvs": true,
                "buildCommand": null,
                "createdAt": EPOCH_MS - 86_400_000,
                "devCommand": null,
                "directoryListing": false,
                "framework": "nextjs",
                "gitForkProtection": true,
                "id": self.project_id,
                "installCommand": null,
                "link": { "type": "github", "org": "acme", "repo": "acme-web", "productionBranch": "main",
                          "repoId": 812_334_071, "deployHooks": [], "gitCredentialId": "" },
                "live": false,
                "name": self.project_name,
                "nodeVersion": "22.x",
                "outputDirectory": null,
                "publicSource": null,
                "rootDirectory": null,
                "serverlessFunctionRegion": "iad1",
                "skewProtectionMaxAge": 0,
                "updatedAt": EPOCH_MS + 3_600_000,
                "latestDeployments": [],
                "targets": {},
            }),
        )
    }

    /// The variable as the API shows it; `clear` says whether the value is decrypted.
    fn object(&self, index: usize, env: &FakeEnv, clear: bool) -> Value {
        let created = EPOCH_MS + index as i64 * 60_000;
        let (value, decrypted) = match env.kind.as_str() {
            "sensitive" => (String::new(), Some(false)),
            "plain" | "system" => (env.value.clone(), None),
            _ if clear => (env.value.clone(), Some(true)),
            // Ciphertext-looking, and derived from nothing secret.
            _ => (
                format!("AAAAB3NzaC1lbmMtdjE6{index:06}Qm9ndXNDaXBoZXJ0ZXh0"),
                Some(false),
            ),
        };
        let mut v = json!({
            "type": env.kind,
            "value": value,
            "target": env.targets,
            "configurationId": null,
            "comment": "",
            "createdAt": created,
            "updatedAt": created,
            "createdBy": "uMc8Yb1KzQ3wX7pN2dRfTgHj",
            "updatedBy": null,
            "id": env_id(index),
            "key": env.key,
            "securityIssues": [],
            "customEnvironmentIds": [],
        });
        if let Some(d) = decrypted {
            v["decrypted"] = json!(d);
        }
        if let Some(b) = &env.git_branch {
            v["gitBranch"] = json!(b);
        }
        v
    }

    fn list(&self, req: &Req) -> Resp {
        let Some(segment) = req
            .path
            .strip_prefix("/v10/projects/")
            .and_then(|r| r.strip_suffix("/env"))
        else {
            return not_found("Endpoint");
        };
        if !self.find(req, segment) {
            return not_found("Project");
        }
        if self.no_env_access {
            return forbidden();
        }
        let decrypt = req.query_param("decrypt").as_deref() == Some("true");
        let until: Option<i64> = match req.query_param("until") {
            None => None,
            Some(u) => match u.parse() {
                Ok(t) => Some(t),
                Err(_) => {
                    return Resp::json(
                        400,
                        &vercel_error(400, "bad_request", "Invalid query parameter `until`"),
                    );
                }
            },
        };
        // Newest first, as Vercel lists them.
        let mut rows: Vec<(usize, &FakeEnv)> = self.envs.iter().enumerate().collect();
        rows.reverse();
        let created = |i: usize| EPOCH_MS + i as i64 * 60_000;
        let rows: Vec<(usize, &FakeEnv)> = rows
            .into_iter()
            .filter(|(i, _)| until.is_none_or(|u| created(*i) < u))
            .collect();
        let page: Vec<Value> = rows
            .iter()
            .take(self.page)
            .map(|(i, e)| self.object(*i, e, decrypt && !e.lookup_only))
            .collect();
        // One page: `{envs, hiddenProductionEnvCount}`; several: `{envs, pagination}`.
        if rows.len() <= self.page && until.is_none() {
            return Resp::json(
                200,
                &json!({ "envs": page, "hiddenProductionEnvCount": self.hidden_production }),
            );
        }
        let next = (rows.len() > self.page)
            .then(|| rows.get(self.page - 1).map(|(i, _)| created(*i)))
            .flatten();
        Resp::json(
            200,
            &json!({
                "envs": page,
                "pagination": {
                    "count": page.len(),
                    "next": next,
                    "prev": rows.first().map(|(i, _)| created(*i)),
                },
            }),
        )
    }

    fn one(&self, req: &Req) -> Resp {
        let rest = req.path.trim_start_matches("/v1/projects/");
        let Some((segment, id)) = rest.split_once("/env/") else {
            return not_found("Endpoint");
        };
        if !self.find(req, segment) {
            return not_found("Project");
        }
        if self.no_env_access {
            return forbidden();
        }
        match self.envs.iter().enumerate().find(|(i, _)| env_id(*i) == id) {
            Some((i, env)) => Resp::json(200, &self.object(i, env, true)),
            None => not_found("Environment Variable"),
        }
    }
}

fn env_id(index: usize) -> String {
    format!("Qm{index:04}xVt8LrP2sWn")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(path: &str, query: &str) -> Req {
        Req {
            scheme: "https",
            host: HOST.to_owned(),
            method: "GET".to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers: Vec::new(),
            body: Default::default(),
        }
    }

    fn state(n: usize) -> State {
        State {
            project_id: "prj_1".to_owned(),
            project_name: "acme-web".to_owned(),
            team_id: Some("team_1".to_owned()),
            envs: (0..n)
                .map(|i| FakeEnv::encrypted(&format!("V{i}"), "value-value-1", &["production"]))
                .collect(),
            page: 20,
            no_env_access: false,
            hidden_production: 0,
        }
    }

    #[test]
    fn pages_follow_until_and_team_scoping_hides_the_project() {
        let s = state(45);
        let first: Value = serde_json::from_slice(
            &s.list(&req(
                "/v10/projects/prj_1/env",
                "decrypt=true&teamId=team_1",
            ))
            .body,
        )
        .unwrap();
        assert_eq!(first["envs"].as_array().unwrap().len(), 20);
        assert_eq!(first["envs"][0]["value"], "value-value-1");
        let next = first["pagination"]["next"].as_i64().unwrap();
        let second: Value = serde_json::from_slice(
            &s.list(&req(
                "/v10/projects/prj_1/env",
                &format!("teamId=team_1&until={next}"),
            ))
            .body,
        )
        .unwrap();
        assert_eq!(second["envs"].as_array().unwrap().len(), 20);
        assert_eq!(second["envs"][0]["decrypted"], false);
        assert_eq!(s.list(&req("/v10/projects/prj_1/env", "")).status, 404);
        let small: Value = serde_json::from_slice(
            &state(3)
                .list(&req("/v10/projects/prj_1/env", "teamId=team_1"))
                .body,
        )
        .unwrap();
        assert_eq!(small["hiddenProductionEnvCount"], 0);
        assert!(small.get("pagination").is_none());
        assert_eq!(
            s.project(&req("/v9/projects/acme-web", "teamId=team_1"))
                .status,
            200
        );
    }
}
