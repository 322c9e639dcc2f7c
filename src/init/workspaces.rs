//! Workspace declarations of a monorepo: which package directories are part of it.

use std::path::Path;

use super::repo::{Package, read_capped};

/// Workspace globs (`pnpm-workspace.yaml` `packages:`, `package.json` `workspaces`)
/// of each directory that declares them.
fn workspace_globs(root: &Path, dir: &str) -> Option<globset::GlobSet> {
    let base = root.join(dir);
    let mut patterns: Vec<String> = Vec::new();
    if let Some(text) = read_capped(&base.join("pnpm-workspace.yaml")) {
        let mut in_packages = false;
        for line in text.lines() {
            if !line.starts_with(' ') && !line.starts_with('-') {
                in_packages = line.trim_end() == "packages:";
                continue;
            }
            if in_packages && let Some(item) = line.trim().strip_prefix('-') {
                patterns.push(
                    item.trim()
                        .trim_matches(|c| c == '"' || c == '\'')
                        .to_owned(),
                );
            }
        }
    }
    if let Some(v) = read_capped(&base.join("package.json"))
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    {
        let ws = v.get("workspaces");
        let list = ws.and_then(|w| w.as_array()).or_else(|| {
            ws.and_then(|w| w.get("packages"))
                .and_then(|p| p.as_array())
        });
        for p in list.into_iter().flatten().filter_map(|p| p.as_str()) {
            patterns.push(p.to_owned());
        }
    }
    if patterns.is_empty() {
        return None;
    }
    let mut set = globset::GlobSetBuilder::new();
    for p in patterns.iter().filter(|p| !p.starts_with('!')) {
        let p = p.trim_end_matches('/').trim_start_matches("./");
        if let Ok(g) = globset::GlobBuilder::new(p).literal_separator(true).build() {
            set.add(g);
        }
    }
    set.build().ok()
}

/// Keep the packages a workspace declares: under a directory that declares
/// workspaces, a package directory its globs do not match (an example, a template, a
/// test fixture) is not part of the product.
pub fn in_workspaces(root: &Path, packages: Vec<Package>) -> Vec<Package> {
    let declaring: Vec<(String, globset::GlobSet)> = packages
        .iter()
        .filter_map(|p| workspace_globs(root, &p.dir).map(|g| (p.dir.clone(), g)))
        .collect();
    packages
        .into_iter()
        .filter(|p| {
            let Some((dir, globs)) = declaring
                .iter()
                .filter(|(d, _)| {
                    d != &p.dir && (d.is_empty() || p.dir.starts_with(&format!("{d}/")))
                })
                .max_by_key(|(d, _)| d.len())
            else {
                return true;
            };
            let inner = if dir.is_empty() {
                p.dir.as_str()
            } else {
                &p.dir[dir.len() + 1..]
            };
            globs.is_match(inner)
        })
        .collect()
}
