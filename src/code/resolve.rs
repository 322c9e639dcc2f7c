//! Resolving local module specifiers the way Next.js does for the common cases:
//! relative specifiers (`./x`, `../x`) and the `@/` / `~/` aliases (tried as
//! `<root>/src/…` then `<root>/…`, the two layouts `create-next-app` generates).
//! Custom `tsconfig.json` `paths` beyond these are not read; package imports
//! (`stripe`, `react`) are never followed.

use std::path::{Component, Path, PathBuf};

use super::walk::SOURCE_EXTS;

/// Lexically normalise `a/b/../c` to `a/c` (no file-system access, no symlinks).
fn normalize(path: &Path) -> PathBuf {
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

/// Whether `spec` names a local module (as opposed to a package).
pub fn is_local(spec: &str) -> bool {
    spec.starts_with("./")
        || spec.starts_with("../")
        || spec == "."
        || spec == ".."
        || spec.starts_with("@/")
        || spec.starts_with("~/")
}

/// The file a local import of `spec` from `from_file` refers to, if it exists inside
/// `root`.
pub fn resolve_import(root: &Path, from_file: &Path, spec: &str) -> Option<PathBuf> {
    let root = normalize(root);
    let candidates: Vec<PathBuf> =
        if let Some(rest) = spec.strip_prefix("@/").or_else(|| spec.strip_prefix("~/")) {
            vec![root.join("src").join(rest), root.join(rest)]
        } else if is_local(spec) {
            vec![from_file.parent()?.join(spec)]
        } else {
            return None;
        };
    candidates
        .iter()
        .map(|c| normalize(c))
        .filter(|c| c.starts_with(&root))
        .find_map(|c| try_file(&c))
}
