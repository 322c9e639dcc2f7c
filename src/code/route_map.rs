//! Which route file serves a URL path, by Next.js routing: App Router
//! `app/**/route.ts` and Pages Router `pages/api/**` (each also under `src/`), route
//! groups `(x)` and parallel slots `@x` left out of the URL, private `_folders` never
//! routed, dynamic `[x]`, catch-all `[...x]` and optional `[[...x]]` segments, static
//! beating dynamic; `basePath` and static `rewrites()` from `next.config.*` of the
//! app the route belongs to (monorepos hold several apps).

use std::path::{Path, PathBuf};

use oxc_allocator::Allocator;
use oxc_ast::ast::{Expression, ObjectExpression, ObjectPropertyKind};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::{ParseOptions, Parser};

use super::facts::source_type;
use super::routes::{RouterKind, route_kind};
use super::walk::{SourceFile, read_source, source_files};

const CONFIG_NAMES: &[&str] = &[
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "next.config.cjs",
    "next.config.mts",
];

/// The route serving a path, and how it was found.
#[derive(Debug, Clone)]
pub struct RouteMatch {
    pub file: SourceFile,
    pub kind: RouterKind,
    /// The path after basePath and rewrites, as the router saw it.
    pub routed_path: String,
    /// `basePath …`, `rewrite … → …`, in order.
    pub steps: Vec<String>,
    /// Other apps' routes for the same path (a monorepo).
    pub others: Vec<String>,
}

/// `basePath` and static rewrites of one `next.config.*`.
#[derive(Debug, Default, Clone)]
pub struct NextConfig {
    pub base_path: Option<String>,
    pub rewrites: Vec<(String, String)>,
}

/// Read `dir/next.config.*`, if there is one.
pub fn next_config(dir: &Path) -> NextConfig {
    for name in CONFIG_NAMES {
        let path = dir.join(name);
        if let Ok(source) = read_source(&path) {
            return parse_config(&path, &source);
        }
    }
    NextConfig::default()
}

fn parse_config(path: &Path, source: &str) -> NextConfig {
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, source, source_type(path))
        .with_options(ParseOptions::default())
        .parse();
    let mut v = ConfigVisitor::default();
    if !ret.panicked {
        v.visit_program(&ret.program);
    }
    v.config
}

#[derive(Default)]
struct ConfigVisitor {
    config: NextConfig,
    in_rewrites: usize,
}

fn str_prop(obj: &ObjectExpression<'_>, name: &str) -> Option<String> {
    obj.properties.iter().find_map(|p| match p {
        ObjectPropertyKind::ObjectProperty(p) if p.key.static_name().as_deref() == Some(name) => {
            match p.value.get_inner_expression() {
                Expression::StringLiteral(s) => Some(s.value.to_string()),
                _ => None,
            }
        }
        _ => None,
    })
}

impl<'a> Visit<'a> for ConfigVisitor {
    fn visit_object_property(&mut self, it: &oxc_ast::ast::ObjectProperty<'a>) {
        let key = it.key.static_name();
        if key.as_deref() == Some("basePath")
            && let Expression::StringLiteral(s) = it.value.get_inner_expression()
        {
            self.config.base_path = Some(s.value.to_string());
        }
        let rewrites = key.as_deref() == Some("rewrites");
        self.in_rewrites += usize::from(rewrites);
        walk::walk_object_property(self, it);
        self.in_rewrites -= usize::from(rewrites);
    }
    fn visit_object_expression(&mut self, it: &ObjectExpression<'a>) {
        // Redirects have the same shape but answer 3xx, which Stripe does not follow.
        if self.in_rewrites > 0
            && let (Some(source), Some(dest)) =
                (str_prop(it, "source"), str_prop(it, "destination"))
        {
            self.config.rewrites.push((source, dest));
        }
        walk::walk_object_expression(self, it);
    }
}

/// The app directory and URL segments a route file serves (`None` for a private
/// folder), as the router sees them: one mapping, shared with `init`.
fn route_segments(root: &Path, rel: &str) -> Option<(String, Vec<String>)> {
    let route = super::routing::url_path(root, rel)?;
    let segments = route
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    Some((route.app, segments))
}

/// How well a route's segments match a path: `None` for no match, else a score
/// where static segments weigh more than dynamic, dynamic more than catch-all.
fn score(route: &[String], path: &[&str]) -> Option<usize> {
    let mut total = 0;
    for (i, seg) in route.iter().enumerate() {
        if seg.starts_with("[[...") {
            return Some(total);
        }
        if seg.starts_with("[...") {
            return (path.len() > i).then_some(total);
        }
        let got = path.get(i)?;
        if seg.starts_with('[') && seg.ends_with(']') {
            total += 1;
        } else if seg == got {
            total += 3;
        } else {
            return None;
        }
    }
    (route.len() == path.len()).then_some(total)
}

/// Apply basePath and rewrites: the path the router matches, or why none.
fn routed(path: &str, config: &NextConfig, steps: &mut Vec<String>) -> Option<String> {
    let mut p = path.to_owned();
    if let Some(base) = config.base_path.as_deref().filter(|b| !b.is_empty()) {
        let rest = p.strip_prefix(base)?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        steps.push(format!("basePath {base}"));
        p = if rest.is_empty() {
            "/".to_owned()
        } else {
            rest.to_owned()
        };
    }
    if let Some((from, to)) = config
        .rewrites
        .iter()
        .find(|(from, to)| *from == p && to.starts_with('/'))
    {
        steps.push(format!("rewrite {from} → {to}"));
        p.clone_from(to);
    }
    Some(p)
}

/// The route file under `root` that serves `path` (a URL path), if any.
pub fn route_for_path(root: &Path, path: &str) -> Option<RouteMatch> {
    let mut best: Option<(usize, RouteMatch)> = None;
    let mut others = Vec::new();
    let mut configs: Vec<(String, NextConfig)> = Vec::new();
    for file in source_files(root).files {
        let Some(kind) = route_kind(&file.rel) else {
            continue;
        };
        let Some((base, segments)) = route_segments(root, &file.rel) else {
            continue;
        };
        let config = match configs.iter().find(|(b, _)| *b == base) {
            Some((_, c)) => c.clone(),
            None => {
                let dir: PathBuf = if base.is_empty() {
                    root.to_path_buf()
                } else {
                    root.join(&base)
                };
                let c = next_config(&dir);
                configs.push((base.clone(), c.clone()));
                c
            }
        };
        let mut steps = Vec::new();
        let Some(routed_path) = routed(path, &config, &mut steps) else {
            continue;
        };
        let parts: Vec<&str> = routed_path.split('/').filter(|s| !s.is_empty()).collect();
        let Some(s) = score(&segments, &parts) else {
            continue;
        };
        let candidate = RouteMatch {
            file,
            kind,
            routed_path,
            steps,
            others: Vec::new(),
        };
        match &best {
            Some((b, _)) if *b >= s => others.push(candidate.file.rel),
            _ => {
                if let Some((_, old)) = best.take() {
                    others.push(old.file.rel);
                }
                best = Some((s, candidate));
            }
        }
    }
    best.map(|(_, mut m)| {
        m.others = others;
        m
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    const ROUTE: &str = "export async function POST() {}";

    #[test]
    fn maps_paths_as_next_routes_them() {
        let dir = tree(&[
            ("src/app/(billing)/api/webhooks/stripe/route.ts", ROUTE),
            ("src/app/api/webhooks/[provider]/route.ts", ROUTE),
            ("src/app/_lib/api/hooks/route.ts", ROUTE),
            ("pages/api/legacy/index.ts", ROUTE),
            ("pages/api/pay/[...all].ts", ROUTE),
        ]);
        let at = |p: &str| route_for_path(dir.path(), p).map(|m| m.file.rel);
        assert_eq!(
            at("/api/webhooks/stripe").as_deref(),
            Some("src/app/(billing)/api/webhooks/stripe/route.ts")
        );
        assert_eq!(
            at("/api/webhooks/paddle").as_deref(),
            Some("src/app/api/webhooks/[provider]/route.ts")
        );
        assert_eq!(
            at("/api/legacy").as_deref(),
            Some("pages/api/legacy/index.ts")
        );
        assert_eq!(
            at("/api/pay/a/b").as_deref(),
            Some("pages/api/pay/[...all].ts")
        );
        assert_eq!(at("/_lib/api/hooks"), None);
        assert_eq!(at("/api/nothing/here"), None);
    }

    #[test]
    fn base_path_and_static_rewrites_come_from_next_config() {
        let dir = tree(&[
            ("apps/web/app/api/stripe/route.ts", ROUTE),
            (
                "apps/web/next.config.mjs",
                "export default { basePath: '/shop', async rewrites() { return [{ source: '/hooks/stripe', destination: '/api/stripe' }]; }, async redirects() { return [{ source: '/old', destination: '/api/stripe', permanent: true }]; } };",
            ),
        ]);
        let m = route_for_path(dir.path(), "/shop/hooks/stripe").unwrap();
        assert_eq!(m.file.rel, "apps/web/app/api/stripe/route.ts");
        assert_eq!(
            m.steps,
            ["basePath /shop", "rewrite /hooks/stripe → /api/stripe"]
        );
        assert!(
            route_for_path(dir.path(), "/api/stripe").is_none(),
            "outside basePath"
        );
        assert!(
            route_for_path(dir.path(), "/shop/old").is_none(),
            "a redirect is not served"
        );
    }
}
