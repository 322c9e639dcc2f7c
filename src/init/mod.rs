//! `launch-ready init`: draft a manifest from what a fresh clone shows (no
//! `.env.local`, no `node_modules`) — env examples, package.json files of the root and
//! each workspace app, next.config, the code itself. A draft, to be read and completed
//! by a person: every guess carries a comment saying where it came from, and every
//! unknown is a `TODO` (or an `example.com` host) that `audit` reports as a placeholder
//! instead of running against it.
//!
//! One file per section: `env`, `web`, `email`, `webhooks`, `stripe`, `mobile`,
//! `handover`. A section drafter reads the shared [`Ctx`] and returns its text; adding
//! a section is a new file and one line in [`draft`].

mod crm;
mod email;
mod env;
mod handover;
mod mobile;
mod monitoring;
mod repo;
mod scan;
mod stripe;
mod text;
mod web;
mod webhooks;
mod workspaces;
mod yaml;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::code::{CodeConfig, InboundWebhook};

pub use web::real_host;

/// What every section drafter may read.
pub struct Ctx {
    pub root: PathBuf,
    pub project: String,
    pub repo: repo::Repo,
    pub code: scan::CodeScan,
    pub webhooks: Vec<InboundWebhook>,
    /// The app that serves the webhooks (monorepo package dir, `""` for the root).
    pub primary_app: String,
    pub canonical: Option<web::Canonical>,
    /// (URL path, route file) of a health endpoint in the primary app.
    pub health: Option<(String, String)>,
}

impl Ctx {
    pub fn build(root: &Path) -> Ctx {
        let repo = repo::Repo::scan(root);
        let project = project_name(root, &repo);
        let mut webhooks = crate::code::inbound_webhooks(&CodeConfig::new(root));
        // Routes of examples, templates and tests, or of a directory no workspace
        // declares, are not the product's.
        webhooks.retain(|w| {
            !scan::not_product_route(&w.file)
                && w.route
                    .as_ref()
                    .is_some_and(|r| r.app.is_empty() || repo.package(&r.app).is_some())
        });
        let primary_app = primary_app(&repo, &webhooks);
        // Server code of the app being audited: its own files and the library packages
        // it can import, not the other apps of a monorepo.
        let in_scope = |rel: &str| {
            let owner = repo.owner(rel).map(|p| p.dir.as_str()).unwrap_or("");
            owner == primary_app || repo.is_library(owner)
        };
        let code = scan::scan(&repo, &in_scope);
        let mut cx = Ctx {
            root: root.to_path_buf(),
            project,
            repo,
            code,
            webhooks,
            primary_app,
            canonical: None,
            health: None,
        };
        cx.canonical = web::choose_for(&cx, &cx.primary_app).map(|(c, _)| c);
        cx.health = health_route(&cx);
        cx
    }

    /// Names from env examples and from server code reads.
    pub fn env_names(&self) -> BTreeSet<String> {
        let mut names = self.repo.env_names();
        names.extend(self.code.env_reads.keys().cloned());
        names
    }

    /// Where a variable name was seen, for a comment.
    pub fn where_named(&self, name: &str) -> String {
        if let Some(seen) = self.code.env_reads.get(name) {
            return format!("read in {}", seen.first);
        }
        match self
            .repo
            .env_files
            .iter()
            .find(|f| f.names.iter().any(|n| n == name))
        {
            Some(f) => format!("named in {}", f.rel),
            None => String::new(),
        }
    }

    pub fn base_path(&self) -> Option<String> {
        match self.repo.package(&self.primary_app).map(|p| &p.base_path) {
            Some(Ok(Some(bp))) => Some(bp.clone()),
            _ => None,
        }
    }

    /// The origin (`https://host`, no trailing slash) URLs of an app's routes start
    /// with, and a comment on it.
    pub fn origin_for_app(&self, app: &str) -> (String, String) {
        let canonical = self
            .canonical
            .as_ref()
            .map(|c| c.origin.as_str().trim_end_matches('/').to_owned());
        if app != self.primary_app
            && let Some((c, true)) = web::choose_for(self, app)
        {
            return (
                c.origin.as_str().trim_end_matches('/').to_owned(),
                format!("host from {}", c.why),
            );
        }
        match canonical {
            Some(o) if app == self.primary_app => (o, String::new()),
            Some(o) => (
                o,
                format!("TODO: served by {app}; its host may differ from canonical"),
            ),
            None => (
                "https://www.example.com".to_owned(),
                "TODO: the URL registered with the provider".to_owned(),
            ),
        }
    }
}

/// The app with the most inbound webhooks (Stripe first); else the root or the first
/// Next.js app.
fn primary_app(repo: &repo::Repo, webhooks: &[InboundWebhook]) -> String {
    let mut counts: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for w in webhooks {
        if let Some(r) = &w.route {
            let e = counts.entry(r.app.as_str()).or_default();
            e.0 += usize::from(w.stripe);
            e.1 += 1;
        }
    }
    if let Some((app, _)) = counts.iter().max_by_key(|(_, c)| **c) {
        return (*app).to_owned();
    }
    if repo.package("").is_some_and(|p| p.next_app) {
        return String::new();
    }
    repo.next_apps()
        .next()
        .map(|p| p.dir.clone())
        .unwrap_or_default()
}

/// `/api/health` and its usual spellings, in the primary app.
fn health_route(cx: &Ctx) -> Option<(String, String)> {
    const PATHS: &[&str] = &[
        "/api/health",
        "/api/healthz",
        "/api/healthcheck",
        "/health",
        "/healthz",
    ];
    crate::code::source_files(&cx.root)
        .files
        .iter()
        .filter_map(|f| crate::code::url_path(&cx.root, &f.rel).map(|r| (r, f.rel.clone())))
        .find(|(r, _)| r.app == cx.primary_app && PATHS.contains(&r.path.as_str()))
        .map(|(r, f)| (r.path, f))
}

/// Build the draft manifest text for a repository.
pub fn draft(dir: &Path) -> String {
    let cx = Ctx::build(dir);
    let mut out = format!(
        "# Drafted by `launch-ready init` from the repository; check every line.\n# Values marked TODO (and example.com hosts) are placeholders: `audit` reports them and\n# does not run the checks that read them until you replace them.\nversion: 1\nproject: {}\nenvironment: production\n",
        yaml::scalar(&cx.project)
    );
    for section in [
        env::draft(&cx),
        web::draft(&cx),
        email::draft(&cx),
        webhooks::draft(&cx),
        stripe::draft(&cx),
        mobile::draft(&cx),
    ] {
        out += &section.render();
    }
    // Provider sections drafted when their provider is detected (other helpers' work,
    // ported from the former src/init.rs).
    let apex = cx
        .canonical
        .as_ref()
        .and_then(|c| c.origin.host_str().map(crate::context::apex_of))
        .unwrap_or_else(|| "example.com".to_owned());
    let names: Vec<String> = cx.env_names().into_iter().collect();
    out += &monitoring::draft(dir, &names);
    out += &crate::init_platform::draft(dir);
    out += &crate::cloudflare::init::draft(dir, &apex);
    out += &crm::draft(&cx);
    out +=
        "\ncode:\n  root: .  # the repository; each Next.js app of a monorepo is found under it\n";
    out += &handover::draft();
    out
}

fn project_name(dir: &Path, repo: &repo::Repo) -> String {
    let name = repo
        .package("")
        .and_then(|p| p.name.clone())
        .or_else(|| {
            dir.canonicalize()
                .ok()?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "my-app".to_owned());
    let clean: String = name
        .trim_start_matches('@')
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if clean.is_empty() {
        "my-app".to_owned()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests;
