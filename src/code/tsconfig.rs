//! Reading the `compilerOptions.paths` of the nearest `tsconfig.json`/`jsconfig.json`
//! (JSON with comments and trailing commas, as TypeScript accepts it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

/// The path mappings of one tsconfig, with the directory they are relative to.
#[derive(Debug, Clone, Default)]
pub struct TsConfig {
    pub base: PathBuf,
    pub paths: Vec<(String, Vec<String>)>,
}

/// Strip `//` and `/* */` comments outside strings, and trailing commas.
pub fn strip_jsonc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            _ => out.push(c),
        }
    }
    // Trailing commas: `,` followed only by whitespace before `}` or `]`.
    let mut cleaned = String::with_capacity(out.len());
    let bytes: Vec<char> = out.chars().collect();
    let mut in_str = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_str {
            if c == '\\' && i + 1 < bytes.len() {
                cleaned.push(c);
                cleaned.push(bytes[i + 1]);
                i += 2;
                continue;
            }
            if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
        } else if c == ',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                i += 1;
                continue;
            }
        }
        cleaned.push(c);
        i += 1;
    }
    cleaned
}

fn read_json(path: &Path) -> Option<Value> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > 1024 * 1024 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&strip_jsonc(&text)).ok()
}

fn parse(path: &Path, depth: usize) -> Option<TsConfig> {
    let json = read_json(path)?;
    let dir = path.parent()?.to_path_buf();
    let opts = &json["compilerOptions"];
    let base = opts["baseUrl"]
        .as_str()
        .map(|b| dir.join(b))
        .unwrap_or_else(|| dir.clone());
    let paths: Vec<(String, Vec<String>)> = opts["paths"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let targets = v
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|t| t.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    (k.clone(), targets)
                })
                .collect()
        })
        .unwrap_or_default();
    if paths.is_empty()
        && depth == 0
        && let Some(parent) = json["extends"].as_str().filter(|e| e.starts_with('.'))
    {
        let parent_path = dir.join(parent);
        let parent_path = if parent_path.extension().is_none() {
            parent_path.with_extension("json")
        } else {
            parent_path
        };
        return parse(&parent_path, depth + 1);
    }
    Some(TsConfig { base, paths })
}

/// The nearest tsconfig (or jsconfig) above `from_file`, inside `root`, parsed and cached.
pub fn load_tsconfig(root: &Path, from_file: &Path) -> Option<Arc<TsConfig>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Option<Arc<TsConfig>>>>> = OnceLock::new();
    let mut dir = from_file.parent();
    while let Some(d) = dir {
        if !d.starts_with(root) {
            return None;
        }
        for name in ["tsconfig.json", "jsconfig.json"] {
            let path = d.join(name);
            if path.is_file() {
                let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
                let mut map = cache.lock().ok()?;
                return map
                    .entry(path.clone())
                    .or_insert_with(|| parse(&path, 0).map(Arc::new))
                    .clone();
            }
        }
        dir = d.parent();
    }
    None
}
