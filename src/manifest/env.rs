//! Environment resolution: `env.files` (relative to the manifest), then `--env-file`,
//! then the process environment; a later source overrides an earlier one.
//! Values are held here and nowhere else; `Debug` never prints them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::model::{DEFAULT_PUBLIC_PREFIXES, Manifest};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvSource {
    File(String),
    Process,
}

impl fmt::Display for EnvSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvSource::File(p) => f.write_str(p),
            EnvSource::Process => f.write_str("process environment"),
        }
    }
}

#[derive(Clone)]
pub struct EnvVar {
    pub value: String,
    pub source: EnvSource,
}

impl fmt::Debug for EnvVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "EnvVar(<{} chars> from {})",
            self.value.len(),
            self.source
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct Env {
    vars: BTreeMap<String, EnvVar>,
    /// Files named by `env.files` that do not exist (reported, not fatal: CI often
    /// provides the values through the process environment instead).
    pub missing_files: Vec<String>,
    pub public_prefixes: Vec<String>,
    pub url_vars: Vec<String>,
}

impl Env {
    /// Resolve the environment. `extra_files` are `--env-file` paths (relative to the
    /// working directory); a missing or unreadable one is an error (exit 2).
    pub fn resolve(
        manifest: &Manifest,
        base_dir: &Path,
        extra_files: &[PathBuf],
        process: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, String> {
        let mut env = Env {
            public_prefixes: manifest
                .env
                .as_ref()
                .map(|e| e.public_prefixes.clone())
                .unwrap_or_else(|| {
                    DEFAULT_PUBLIC_PREFIXES
                        .iter()
                        .map(|s| s.to_string())
                        .collect()
                }),
            url_vars: manifest
                .env
                .as_ref()
                .map(|e| e.url_vars.clone())
                .unwrap_or_default(),
            ..Env::default()
        };
        for file in manifest.env.iter().flat_map(|e| &e.files) {
            let path = base_dir.join(file);
            if !path.exists() {
                env.missing_files.push(file.clone());
                continue;
            }
            env.read_file(&path, file)?;
        }
        for path in extra_files {
            env.read_file(path, &path.display().to_string())?;
        }
        let referenced = referenced_names(manifest);
        for (name, value) in process {
            let public = env.is_public(&name);
            if referenced.contains(&name) || public || env.vars.contains_key(&name) {
                env.vars.insert(
                    name,
                    EnvVar {
                        value,
                        source: EnvSource::Process,
                    },
                );
            }
        }
        Ok(env)
    }

    fn read_file(&mut self, path: &Path, shown: &str) -> Result<(), String> {
        let iter = dotenvy::from_path_iter(path)
            .map_err(|e| format!("cannot read env file {shown}: {e}"))?;
        for item in iter {
            // dotenvy's error names the line but never echoes a value.
            let (name, value) = item.map_err(|e| format!("env file {shown}: {e}"))?;
            self.vars.insert(
                name,
                EnvVar {
                    value,
                    source: EnvSource::File(shown.to_owned()),
                },
            );
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    pub fn var(&self, name: &str) -> Option<&EnvVar> {
        self.vars.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &EnvVar)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn is_public(&self, name: &str) -> bool {
        self.public_prefixes
            .iter()
            .any(|p| name.starts_with(p.as_str()))
    }

    /// Values renderers scrub from every output as a last line of defence: anything
    /// of 8 characters or more that is not public by design — public-prefixed
    /// variables, `url_vars` and plain URLs are shown (a URL with a password in it is
    /// not plain, and is scrubbed).
    pub fn values_to_scrub(&self) -> Vec<String> {
        self.vars
            .iter()
            .filter(|(name, v)| {
                let secret_by_value = crate::secrets::classify_value(&v.value).is_some();
                secret_by_value
                    || !(self.is_public(name)
                        || self.url_vars.iter().any(|u| u == *name)
                        || is_plain_url(&v.value))
            })
            .map(|(_, v)| v.value.clone())
            .filter(|v| v.len() >= 8)
            .collect()
    }

    #[cfg(test)]
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let mut env = Env::default();
        for (k, v) in pairs {
            env.vars.insert(
                k.to_string(),
                EnvVar {
                    value: v.to_string(),
                    source: EnvSource::Process,
                },
            );
        }
        env
    }
}

/// An http(s) URL without credentials: configuration, not a secret.
fn is_plain_url(value: &str) -> bool {
    url::Url::parse(value.trim())
        .map(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.password().is_none()
                && u.username().is_empty()
        })
        .unwrap_or(false)
}

fn referenced_names(m: &Manifest) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    if let Some(e) = &m.env {
        names.extend(e.required.iter().cloned());
        names.extend(e.url_vars.iter().cloned());
    }
    names.extend(m.webhooks.iter().filter_map(|w| w.secret_env.clone()));
    if let Some(s) = &m.stripe {
        names.push(s.secret_key_env.clone());
        names.extend(s.publishable_key_env.clone());
        names.push("STRIPE_API_BASE".to_owned());
    }
    if let Some(mon) = &m.monitoring {
        names.push(mon.token_var().to_owned());
        names.push("MONITORING_API_BASE".to_owned());
    }
    if let Some(p) = &m.platform {
        names.push(p.token_env.clone());
        names.push(crate::net::vercel::SPEC.base_env.to_owned());
    }
    names
}
