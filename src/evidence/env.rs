//! The environment the `env.*` checks audit, wherever it lives (`env.source`):
//! dotenv files and the process environment, or the production target of the
//! platform project. Checks read [`EnvValues`] and never care which.

use std::collections::BTreeMap;

use super::platform::{PlatformEnvVars, StoredAs};
use super::{Source, Unavailable};
use crate::context::Context;
use crate::manifest::EnvSourceKind;

/// What the result's details say of a value that cannot be read back.
pub const SENSITIVE_NOTE: &str = "stored as sensitive: good practice";

/// What is known of one variable's value.
#[derive(Clone, PartialEq, Eq)]
pub enum Reading {
    Value(String),
    /// Stored write-only on the platform: present, value unknowable by design.
    Sensitive,
    /// Present, but the platform did not return the clear value to this token.
    Unreadable,
}

#[derive(Clone)]
pub struct EnvValue {
    pub reading: Reading,
    /// Where it came from, for `details.source`: a file, `process environment`, or
    /// `Vercel project acme-web (production)`.
    pub source: String,
}

impl std::fmt::Debug for EnvValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match &self.reading {
            Reading::Value(v) => format!("<{} chars>", v.len()),
            Reading::Sensitive => "sensitive".to_owned(),
            Reading::Unreadable => "unreadable".to_owned(),
        };
        write!(f, "EnvValue({what} from {})", self.source)
    }
}

impl EnvValue {
    /// The clear value, when there is one.
    pub fn value(&self) -> Option<&str> {
        match &self.reading {
            Reading::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_sensitive(&self) -> bool {
        self.reading == Reading::Sensitive
    }
}

/// The audited variables.
#[derive(Debug, Default)]
pub struct EnvValues {
    vars: BTreeMap<String, EnvValue>,
    pub public_prefixes: Vec<String>,
    /// What was searched, for a missing variable's details.
    pub searched: Vec<String>,
    /// `Some(project)` when the values are the platform's production environment.
    pub platform_project: Option<String>,
}

impl EnvValues {
    pub fn var(&self, name: &str) -> Option<&EnvValue> {
        self.vars.get(name)
    }

    /// The clear value of `name`, if set and readable.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(EnvValue::value)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &EnvValue)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn is_public(&self, name: &str) -> bool {
        self.public_prefixes
            .iter()
            .any(|p| name.starts_with(p.as_str()))
    }

    /// Where a missing variable should be set, in a remediation's words.
    pub fn where_to_set(&self, name: &str) -> String {
        match &self.platform_project {
            Some(p) => format!(
                "Add {name} to the Production environment of the Vercel project {p} (Settings → Environment Variables), then redeploy."
            ),
            None => format!(
                "Set {name} in the deployment's environment (and in the dotenv file the manifest names, for local audits)."
            ),
        }
    }

    pub fn from_dotenv(env: &crate::manifest::Env, files: &[String]) -> Self {
        Self {
            vars: env
                .iter()
                .map(|(k, v)| {
                    let value = EnvValue {
                        reading: Reading::Value(v.value.clone()),
                        source: v.source.to_string(),
                    };
                    (k.to_owned(), value)
                })
                .collect(),
            public_prefixes: env.public_prefixes.clone(),
            searched: files
                .iter()
                .cloned()
                .chain(std::iter::once("process environment".to_owned()))
                .collect(),
            platform_project: None,
        }
    }

    /// The production target: variables with `production` among their targets
    /// and no git branch (branch-scoped variables are preview-only).
    pub fn from_platform(env: &super::platform::PlatformEnv, public_prefixes: &[String]) -> Self {
        let label = env.production_label();
        let mut vars = BTreeMap::new();
        for var in env
            .vars
            .iter()
            .filter(|v| v.in_target("production") && v.git_branch.is_none())
        {
            let reading = match (&var.stored_as, &var.value) {
                (StoredAs::Sensitive, _) => Reading::Sensitive,
                (_, Some(v)) => Reading::Value(v.clone()),
                (_, None) => Reading::Unreadable,
            };
            vars.entry(var.key.clone()).or_insert(EnvValue {
                reading,
                source: label.clone(),
            });
        }
        Self {
            vars,
            public_prefixes: public_prefixes.to_vec(),
            searched: vec![label],
            platform_project: Some(env.project.clone()),
        }
    }
}

/// The environment `env.source` names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AuditedEnv;

impl Source for AuditedEnv {
    type Value = EnvValues;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let section = cx.manifest.env.as_ref();
        match section.map(|e| e.source).unwrap_or_default() {
            EnvSourceKind::Dotenv => {
                let files = section.map(|e| e.files.clone()).unwrap_or_default();
                Ok(EnvValues::from_dotenv(&cx.env, &files))
            }
            EnvSourceKind::Platform => {
                if cx.net.is_none() {
                    return Err(Unavailable::skip(
                        "--offline: env.source is `platform`, read from the Vercel API",
                    ));
                }
                let platform = cx.get(PlatformEnvVars).await?;
                Ok(EnvValues::from_platform(&platform, &cx.env.public_prefixes))
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::evidence::platform::{PlatformEnv, PlatformVar};

    fn var(key: &str, stored_as: StoredAs, targets: &[&str], value: Option<&str>) -> PlatformVar {
        PlatformVar {
            key: key.to_owned(),
            stored_as,
            targets: targets.iter().map(|t| t.to_string()).collect(),
            git_branch: None,
            value: value.map(str::to_owned),
        }
    }

    #[test]
    fn the_production_target_is_audited_and_sensitive_values_stay_unknown() {
        let mut branch = var(
            "DATABASE_URL",
            StoredAs::Encrypted,
            &["production", "preview"],
            Some("b"),
        );
        branch.git_branch = Some("main".to_owned());
        let env = PlatformEnv {
            provider: "vercel",
            project: "acme-web".to_owned(),
            project_id: "prj_1".to_owned(),
            vars: vec![
                var(
                    "STRIPE_SECRET_KEY",
                    StoredAs::Sensitive,
                    &["production"],
                    Some(""),
                ),
                var(
                    "STRIPE_SECRET_KEY",
                    StoredAs::Encrypted,
                    &["preview"],
                    Some("sk_test_x"),
                ),
                var("API_TOKEN", StoredAs::Encrypted, &["production"], None),
                var(
                    "NEXT_PUBLIC_APP_URL",
                    StoredAs::Plain,
                    &["production"],
                    Some("https://a.app"),
                ),
                branch,
            ],
        };
        let values = EnvValues::from_platform(&env, &["NEXT_PUBLIC_".to_owned()]);
        let names: Vec<&str> = values.iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            ["API_TOKEN", "NEXT_PUBLIC_APP_URL", "STRIPE_SECRET_KEY"]
        );
        assert!(values.var("STRIPE_SECRET_KEY").unwrap().is_sensitive());
        assert_eq!(values.get("STRIPE_SECRET_KEY"), None);
        assert!(values.var("API_TOKEN").unwrap().reading == Reading::Unreadable);
        assert_eq!(values.get("NEXT_PUBLIC_APP_URL"), Some("https://a.app"));
        assert!(values.is_public("NEXT_PUBLIC_APP_URL"));
        assert!(values.where_to_set("X").contains("Vercel project acme-web"));
        assert!(!format!("{:?}", values.var("NEXT_PUBLIC_APP_URL")).contains("a.app"));
    }
}
