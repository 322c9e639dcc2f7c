//! Walking the repository and reading source files within the size caps.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::facts::{Facts, parse_source};
use super::{MAX_FILE_BYTES, MAX_FILES, SKIP_DIRS};

/// Extensions of the JavaScript/TypeScript modules Next.js compiles.
pub const SOURCE_EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];

/// A source file found under the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub abs: PathBuf,
    /// Relative to the root, `/` separators.
    pub rel: String,
}

/// The result of a walk: files in a stable (sorted) order, and whether the
/// [`MAX_FILES`] cap cut it short.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<SourceFile>,
    pub truncated: bool,
}

/// `path` relative to `root`, with `/` separators (the path itself when outside).
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn is_source_ext(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_EXTS.contains(&e))
}

/// All JS/TS source files under `root`, skipping [`SKIP_DIRS`] and symlinked dirs.
pub fn source_files(root: &Path) -> Walk {
    let mut walk = Walk::default();
    let entries = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIP_DIRS.contains(&n)))
        });
    for entry in entries.flatten() {
        if !entry.file_type().is_file() || !is_source_ext(entry.path()) {
            continue;
        }
        if walk.files.len() >= MAX_FILES {
            walk.truncated = true;
            break;
        }
        walk.files.push(SourceFile {
            abs: entry.path().to_path_buf(),
            rel: rel_path(root, entry.path()),
        });
    }
    walk
}

/// Read a file as UTF-8 text, refusing files over [`MAX_FILE_BYTES`].
pub fn read_source(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file skipped: {} bytes is over the {} byte limit",
            meta.len(),
            MAX_FILE_BYTES
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes), not JavaScript/TypeScript".to_string());
    }
    String::from_utf8(bytes).map_err(|_| "file is not valid UTF-8 text".to_string())
}

/// Read and parse a file. `Err` is a message fit for an `error` finding.
pub fn load(path: &Path) -> Result<Facts, String> {
    let source = read_source(path)?;
    parse_source(path, source).map_err(|e| format!("parse error: {e}"))
}
