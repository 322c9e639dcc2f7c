//! What a fresh clone shows before anything is installed: its packages (the root and
//! each workspace package of a monorepo), which of them are Next.js apps, each app's
//! `basePath`, and the dotenv example files. Names are read; values only to find URLs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::code::SKIP_DIRS;

/// How deep packages and env examples are looked for (`web/apps/dashboard` is 3).
const MAX_DEPTH: usize = 5;
/// Files read here are configuration: anything bigger is not one.
const MAX_CONFIG_BYTES: u64 = 256 * 1024;

/// A `package.json` of the repository.
#[derive(Debug, Clone)]
pub struct Package {
    /// Directory relative to the root (`""` for the root).
    pub dir: String,
    pub name: Option<String>,
    /// `dependencies` and `devDependencies` names.
    pub deps: BTreeSet<String>,
    /// A Next.js app: depends on `next` or has a `next.config.*`.
    pub next_app: bool,
    /// Has a `next.config.*`, or lives under `apps/`: an app, not a library package.
    pub app_like: bool,
    /// `basePath` from `next.config.*`: `Ok(Some)` a literal, `Err(file)` computed.
    pub base_path: Result<Option<String>, String>,
}

/// A dotenv example (`.env.example`, `.env.sample`, `.env.*.example`) or a committed
/// dotenv file: variable names, and the values that are URLs.
#[derive(Debug, Clone)]
pub struct EnvFile {
    pub rel: String,
    pub names: Vec<String>,
    pub urls: Vec<(String, url::Url)>,
}

#[derive(Debug)]
pub struct Repo {
    pub root: PathBuf,
    pub packages: Vec<Package>,
    pub env_files: Vec<EnvFile>,
}

pub fn read_capped(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_CONFIG_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

fn rel(root: &Path, p: &Path) -> String {
    crate::code::rel_path(root, p)
}

pub fn is_env_example(name: &str) -> bool {
    name.starts_with(".env")
        && (name.ends_with(".example")
            || name.ends_with(".sample")
            || name.ends_with(".template")
            || name.contains(".example."))
}

/// Committed dotenv files that are read too (names; URL values).
fn is_plain_env(name: &str) -> bool {
    matches!(name, ".env" | ".env.production" | ".env.development")
}

impl Repo {
    pub fn scan(root: &Path) -> Repo {
        let mut packages = Vec::new();
        let mut env_files = Vec::new();
        let walk = WalkDir::new(root)
            .max_depth(MAX_DEPTH)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_type().is_dir()
                    || e.file_name().to_str().is_some_and(|n| {
                        !(SKIP_DIRS.contains(&n) || (n.starts_with('.') && n != ".well-known"))
                    })
            });
        for entry in walk.flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if name == "package.json" {
                if let Some(p) = package(root, entry.path()) {
                    packages.push(p);
                }
            } else if (is_env_example(&name) || is_plain_env(&name))
                && let Some(f) = env_file(root, entry.path())
            {
                env_files.push(f);
            }
        }
        packages = super::workspaces::in_workspaces(root, packages);
        Repo {
            root: root.to_path_buf(),
            packages,
            env_files,
        }
    }

    pub fn has_dep(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.deps.contains(name))
    }

    /// A workspace library (`packages/utils`): code the apps import, not an app.
    pub fn is_library(&self, dir: &str) -> bool {
        !dir.is_empty() && self.package(dir).is_some_and(|p| !p.app_like)
    }

    pub fn next_apps(&self) -> impl Iterator<Item = &Package> {
        self.packages.iter().filter(|p| p.next_app)
    }

    pub fn package(&self, dir: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.dir == dir)
    }

    /// The package that owns a file: the deepest package directory containing it.
    pub fn owner(&self, rel_file: &str) -> Option<&Package> {
        self.packages
            .iter()
            .filter(|p| p.dir.is_empty() || rel_file.starts_with(&format!("{}/", p.dir)))
            .max_by_key(|p| p.dir.len())
    }

    /// Every variable name the env files declare.
    pub fn env_names(&self) -> BTreeSet<String> {
        self.env_files
            .iter()
            .flat_map(|f| f.names.iter().cloned())
            .collect()
    }
}

fn package(root: &Path, path: &Path) -> Option<Package> {
    let text = read_capped(path)?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let dir_abs = path.parent()?;
    let mut deps = BTreeSet::new();
    for key in ["dependencies", "devDependencies"] {
        if let Some(obj) = v.get(key).and_then(|d| d.as_object()) {
            deps.extend(obj.keys().cloned());
        }
    }
    let config = ["js", "mjs", "cjs", "ts", "mts"]
        .iter()
        .map(|e| dir_abs.join(format!("next.config.{e}")))
        .find(|p| p.is_file());
    let base_path = match &config {
        Some(c) => base_path(&read_capped(c).unwrap_or_default()).map_err(|()| rel(root, c)),
        None => Ok(None),
    };
    Some(Package {
        dir: rel(root, dir_abs),
        name: v.get("name").and_then(|n| n.as_str()).map(str::to_owned),
        next_app: deps.contains("next") || config.is_some(),
        app_like: config.is_some() || rel(root, dir_abs).starts_with("apps/"),
        deps,
        base_path,
    })
}

/// `basePath: "/docs"` in a next.config: the literal, `Err` when it is computed.
fn base_path(config: &str) -> Result<Option<String>, ()> {
    let Some(at) = config.find("basePath") else {
        return Ok(None);
    };
    let rest = config[at + "basePath".len()..].trim_start();
    let Some(rest) = rest.strip_prefix(':') else {
        return Ok(None); // a mention, not the option (`basePath,` shorthand is computed)
    };
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''));
    match quote {
        Some(q) => {
            let value: String = rest[1..].chars().take_while(|c| *c != q).collect();
            let ok = value.starts_with('/')
                && value[1..]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.'));
            if ok {
                Ok(Some(value.trim_end_matches('/').to_owned()).filter(|v| !v.is_empty()))
            } else {
                Err(())
            }
        }
        None => Err(()),
    }
}

fn env_file(root: &Path, path: &Path) -> Option<EnvFile> {
    let text = read_capped(path)?;
    let mut names = Vec::new();
    let mut urls = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        let ok = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit();
        if !ok || line.starts_with('#') {
            continue;
        }
        names.push(name.to_owned());
        // Only a URL is ever looked at, and only its origin is used later.
        let value = value.split(" #").next().unwrap_or("").trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        if value.starts_with("https://")
            && let Ok(u) = url::Url::parse(value)
        {
            urls.push((name.to_owned(), u));
        }
    }
    names.sort();
    names.dedup();
    Some(EnvFile {
        rel: rel(root, path),
        names,
        urls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_literal_or_computed() {
        assert_eq!(
            base_path("module.exports = { basePath: '/docs' }"),
            Ok(Some("/docs".into()))
        );
        assert_eq!(base_path("const c = { reactStrictMode: true }"), Ok(None));
        assert_eq!(
            base_path("basePath: process.env.BASE_PATH || undefined"),
            Err(())
        );
    }

    #[test]
    fn env_files_give_names_and_only_url_values() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env.example"),
            "# c\nSTRIPE_SECRET_KEY=sk_test_123\nNEXT_PUBLIC_APP_URL=\"https://www.acme.app\" # site\nexport AUTH_URL=http://localhost:3000\n",
        )
        .unwrap();
        let f = env_file(dir.path(), &dir.path().join(".env.example")).unwrap();
        assert_eq!(
            f.names,
            ["AUTH_URL", "NEXT_PUBLIC_APP_URL", "STRIPE_SECRET_KEY"]
        );
        assert_eq!(f.urls.len(), 1);
        assert_eq!(f.urls[0].1.host_str(), Some("www.acme.app"));
    }
}
