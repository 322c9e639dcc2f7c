//! One text pass over the repository's source files for what `init` drafts from code:
//! the environment variables server code reads, `from:` addresses of sent mail, and the
//! site's declared origin (`metadataBase`, sitemap/robots, a site config). A text scan,
//! not a parse: it reads every file of a large monorepo in well under a second, and a
//! miss only leaves a TODO in a draft a person reads anyway.

use std::collections::BTreeMap;

use super::repo::{Repo, read_capped};
use super::text::{
    env_reads, first_https, from_domains, is_client, literal_origins_after, sends_mail,
};

/// Where a value was seen: the first file (relative), and how many times.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub first: String,
    pub count: usize,
}

impl Seen {
    fn add(&mut self, file: &str) {
        if self.count == 0 {
            self.first = file.to_owned();
        }
        self.count += 1;
    }
}

/// An origin the code declares, with where.
#[derive(Debug, Clone)]
pub struct DeclaredOrigin {
    pub origin: url::Url,
    pub file: String,
    /// `metadataBase`, `sitemap/robots`, `site config`.
    pub how: &'static str,
}

#[derive(Debug, Default)]
pub struct CodeScan {
    /// Server-side env reads: name → where (per file, so `count` is files).
    pub env_reads: BTreeMap<String, Seen>,
    /// Sender domains of `from:` addresses.
    pub from_domains: BTreeMap<String, Seen>,
    pub origins: Vec<DeclaredOrigin>,
    /// Code mentions Gmail / Google SMTP.
    pub google_smtp: bool,
}

/// Variables the platform or the toolchain sets: never the project's to provide.
const PLATFORM_VARS: &[&str] = &[
    "NODE_ENV",
    "CI",
    "PORT",
    "HOSTNAME",
    "TZ",
    "NEXT_RUNTIME",
    "NEXT_PHASE",
    "ANALYZE",
    "SKIP_ENV_VALIDATION",
    "HOME",
    "PWD",
];
const PLATFORM_PREFIXES: &[&str] = &[
    "VERCEL_",
    "NEXT_PUBLIC_VERCEL_",
    "npm_",
    "GITHUB_",
    "TURBO_",
];

pub fn platform_var(name: &str) -> bool {
    name == "VERCEL"
        || PLATFORM_VARS.contains(&name)
        || PLATFORM_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// A route file of tests, examples or fixtures (a URL segment named `test` is a route).
pub fn not_product_route(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    const DIRS: &[&str] = &[
        "tests",
        "__tests__",
        "e2e",
        "cypress",
        "playwright",
        "fixtures",
        "examples",
        "example",
    ];
    lower.split('/').any(|s| DIRS.contains(&s))
        || [".test.", ".spec."].iter().any(|m| lower.contains(m))
}

/// Tests, scripts, stories and examples are not the deployed server.
pub fn not_product_code(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    let segs: Vec<&str> = lower.split('/').collect();
    const DIRS: &[&str] = &[
        "test",
        "tests",
        "__tests__",
        "__mocks__",
        "e2e",
        "cypress",
        "playwright",
        "scripts",
        "fixtures",
        "examples",
        "example",
        "stories",
        ".storybook",
        "mocks",
        "seed",
    ];
    segs.iter().any(|s| DIRS.contains(s))
        || [".test.", ".spec.", ".stories.", ".e2e."]
            .iter()
            .any(|m| lower.contains(m))
}

fn is_metadata_route(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    matches!(stem, "robots" | "sitemap") && !rel.contains("node_modules")
}

fn is_site_config(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    name.starts_with("site.") && rel.contains("config/")
        || name.starts_with("site-config.")
        || name.starts_with("siteconfig.")
}

pub fn scan(repo: &Repo, server_scope: &dyn Fn(&str) -> bool) -> CodeScan {
    let mut out = CodeScan::default();
    let walk = crate::code::source_files(&repo.root);
    for file in &walk.files {
        let Ok(text) = crate::code::read_source(&file.abs) else {
            continue;
        };
        let rel = file.rel.as_str();
        if not_product_code(rel) {
            continue;
        }
        if !is_client(&text) && server_scope(rel) {
            for name in env_reads(&text) {
                if !platform_var(&name) {
                    out.env_reads.entry(name).or_default().add(rel);
                }
            }
        }
        // Sender addresses of mail the server sends, not sample data in a page.
        if !is_client(&text) && sends_mail(&text) {
            for d in from_domains(&text) {
                out.from_domains.entry(d).or_default().add(rel);
            }
        }
        if text.contains("smtp.gmail.com") || text.contains("service: \"gmail\"") {
            out.google_smtp = true;
        }
        for origin in literal_origins_after(&text, "metadataBase", 120) {
            out.origins.push(DeclaredOrigin {
                origin,
                file: rel.to_owned(),
                how: "metadataBase",
            });
        }
        if is_metadata_route(rel)
            && let Some(origin) = first_https(&text)
        {
            out.origins.push(DeclaredOrigin {
                origin,
                file: rel.to_owned(),
                how: "sitemap/robots",
            });
        }
        if is_site_config(rel) {
            for origin in literal_origins_after(&text, "url:", 80) {
                out.origins.push(DeclaredOrigin {
                    origin,
                    file: rel.to_owned(),
                    how: "site config",
                });
            }
        }
    }
    // public/robots.txt: `Sitemap: https://…`
    for p in &repo.packages {
        let path = repo.root.join(&p.dir).join("public/robots.txt");
        if let Some(text) = read_capped(&path) {
            for line in text.lines() {
                if let Some(rest) = line.trim().strip_prefix("Sitemap:")
                    && let Some(origin) = first_https(rest)
                {
                    out.origins.push(DeclaredOrigin {
                        origin,
                        file: crate::code::rel_path(&repo.root, &path),
                        how: "sitemap/robots",
                    });
                }
            }
        }
    }
    out
}
