//! Resolving module specifiers the way Next.js and the TypeScript compiler do for the
//! cases that matter here:
//! - relative specifiers (`./x`, `../x`);
//! - `tsconfig.json` `compilerOptions.paths` of the *nearest* tsconfig above the
//!   importing file (each app of a monorepo has its own `@/*`), one `extends` level;
//! - without such paths, `@/` and `~/` as `<app>/src/…` then `<app>/…`, the two layouts
//!   `create-next-app` generates (`<app>`: the tsconfig's or `package.json`'s directory);
//! - workspace packages of a monorepo (`@acme/lib/stripe`), found by the `name` of each
//!   `package.json` under the root, through their `exports` map or source layout.
//!
//! Packages from `node_modules` (`stripe`, `react`) are never followed. Every resolved
//! file stays inside the root.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use super::tsconfig::{TsConfig, load_tsconfig};
use super::walk::SOURCE_EXTS;

/// Lexically normalise `a/b/../c` to `a/c` (no file-system access, no symlinks).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn try_file(base: &Path) -> Option<PathBuf> {
    if base.is_file() && super::walk::is_source_ext(base) {
        return Some(base.to_path_buf());
    }
    let name = base.file_name()?.to_string_lossy().to_string();
    // TypeScript ESM style: `./x.js` written for `./x.ts`.
    for (js, ts) in [
        (".js", ".ts"),
        (".js", ".tsx"),
        (".jsx", ".tsx"),
        (".mjs", ".mts"),
    ] {
        if let Some(stem) = name.strip_suffix(js) {
            let cand = base.with_file_name(format!("{stem}{ts}"));
            if cand.is_file() {
                return Some(cand);
            }
        }
    }
    for ext in SOURCE_EXTS {
        let cand = base.with_file_name(format!("{name}.{ext}"));
        if cand.is_file() {
            return Some(cand);
        }
    }
    if base.is_dir() {
        for ext in SOURCE_EXTS {
            let cand = base.join(format!("index.{ext}"));
            if cand.is_file() {
                return Some(cand);
            }
        }
    }
    None
}

/// The workspace packages under a root: package name → its directory and `exports`.
#[derive(Debug, Default)]
struct Workspace {
    packages: Vec<(String, PathBuf, Value)>,
}

/// Directories of `package.json` files looked at for workspace packages.
const MAX_PACKAGE_DEPTH: usize = 5;

fn scan_workspace(root: &Path) -> Workspace {
    let mut ws = Workspace::default();
    let walker = walkdir::WalkDir::new(root)
        .max_depth(MAX_PACKAGE_DEPTH)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| super::SKIP_DIRS.contains(&n) || n.starts_with('.')))
        });
    for entry in walker.flatten() {
        if entry.file_name() != "package.json" || !entry.file_type().is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if let (Some(name), Some(dir)) = (json["name"].as_str(), entry.path().parent()) {
            let exports = json.get("exports").cloned().unwrap_or(Value::Null);
            ws.packages
                .push((name.to_string(), dir.to_path_buf(), exports));
        }
    }
    // Longest names first, so `@acme/lib-extra` is not taken for `@acme/lib`.
    ws.packages.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    ws
}

fn workspace(root: &Path) -> Arc<Workspace> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Workspace>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let Ok(mut map) = cache.lock() else {
        return Arc::new(scan_workspace(root));
    };
    map.entry(root.to_path_buf())
        .or_insert_with(|| Arc::new(scan_workspace(root)))
        .clone()
}

/// The target string of an `exports` entry (`"./src/x.ts"` or `{ import, default, types }`).
fn export_target(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(m) => ["import", "default", "require", "node", "types"]
            .iter()
            .find_map(|k| m.get(*k).and_then(export_target)),
        _ => None,
    }
}

fn resolve_in_package(dir: &Path, exports: &Value, sub: &str) -> Option<PathBuf> {
    let key = if sub.is_empty() {
        ".".to_string()
    } else {
        format!("./{sub}")
    };
    if let Value::Object(map) = exports {
        if let Some(t) = map.get(&key).and_then(export_target) {
            return try_file(&normalize(&dir.join(t)));
        }
        // `"./*": "./src/*.ts"` style patterns.
        for (pattern, target) in map {
            let (Some((pre, post)), Some(t)) = (pattern.split_once('*'), export_target(target))
            else {
                continue;
            };
            if let Some(mid) = key
                .strip_prefix(pre)
                .and_then(|rest| rest.strip_suffix(post))
            {
                return try_file(&normalize(&dir.join(t.replacen('*', mid, 1))));
            }
        }
    } else if sub.is_empty()
        && let Some(t) = export_target(exports)
    {
        return try_file(&normalize(&dir.join(t)));
    }
    [dir.join(sub), dir.join("src").join(sub)]
        .iter()
        .find_map(|c| try_file(&normalize(c)))
}

fn resolve_workspace(root: &Path, spec: &str) -> Option<PathBuf> {
    let ws = workspace(root);
    let (_, dir, exports) = ws
        .packages
        .iter()
        .find(|(name, _, _)| spec == name || spec.starts_with(&format!("{name}/")))?;
    let sub = spec
        .strip_prefix(ws.packages.iter().find(|p| &p.1 == dir)?.0.as_str())?
        .trim_start_matches('/');
    resolve_in_package(dir, exports, sub)
}

fn resolve_paths(cfg: &TsConfig, spec: &str) -> Option<PathBuf> {
    for (pattern, targets) in &cfg.paths {
        let captured = match pattern.split_once('*') {
            Some((pre, post)) => spec
                .strip_prefix(pre)
                .and_then(|r| r.strip_suffix(post))
                .map(str::to_string),
            None => (pattern == spec).then(String::new),
        };
        let Some(mid) = captured else { continue };
        for t in targets {
            let cand = normalize(&cfg.base.join(t.replacen('*', &mid, 1)));
            if let Some(found) = try_file(&cand) {
                return Some(found);
            }
        }
    }
    None
}

/// The directory an app's `@/` alias starts from when no tsconfig `paths` says: the
/// nearest directory above `from_file` holding a tsconfig or `package.json`.
fn app_dir(root: &Path, from_file: &Path) -> PathBuf {
    let mut dir = from_file.parent();
    while let Some(d) = dir {
        if !d.starts_with(root) {
            break;
        }
        if d.join("tsconfig.json").is_file()
            || d.join("jsconfig.json").is_file()
            || d.join("package.json").is_file()
        {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    root.to_path_buf()
}

/// The file an import of `spec` from `from_file` refers to, if it exists inside `root`.
pub fn resolve_import(root: &Path, from_file: &Path, spec: &str) -> Option<PathBuf> {
    let root = normalize(root);
    let found = if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".."
    {
        try_file(&normalize(&from_file.parent()?.join(spec)))
    } else {
        let tsconfig = load_tsconfig(&root, from_file);
        let via_paths = tsconfig.as_ref().and_then(|c| resolve_paths(c, spec));
        via_paths
            .or_else(|| {
                let rest = spec
                    .strip_prefix("@/")
                    .or_else(|| spec.strip_prefix("~/"))?;
                let app = app_dir(&root, from_file);
                [app.join("src").join(rest), app.join(rest)]
                    .iter()
                    .find_map(|c| try_file(&normalize(c)))
            })
            .or_else(|| resolve_workspace(&root, spec))
    };
    found.filter(|f| f.starts_with(&root))
}
