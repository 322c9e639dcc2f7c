//! `code.client-secrets`: `'use client'` modules, and the local modules they import,
//! must not read non-public `process.env` variables.
//!
//! Next.js inlines only public-prefixed variables into browser bundles; a server-only
//! variable read in client code is either a leak (rendered into HTML during SSR, or
//! inlined by a custom `env`/`DefinePlugin` config) or a bug (undefined in the browser).
//! Imports are followed through relative paths and the `@/`/`~/` aliases, up to
//! [`MAX_IMPORT_DEPTH`] hops, each module once. Modules marked `'use server'` (server
//! actions, called over RPC) and modules importing `server-only` (a build error when
//! imported from the client) are not followed.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::facts::Facts;
use super::resolve::resolve_import;
use super::walk::{load, read_source, rel_path, source_files};
use super::{CodeConfig, FileFinding, MAX_IMPORT_DEPTH, Verdict};

/// Modules examined per client file at most (a bound on pathological graphs).
const MAX_MODULES_PER_CLIENT: usize = 500;

type Cache = HashMap<PathBuf, Result<Facts, String>>;

fn cached<'c>(cache: &'c mut Cache, path: &Path) -> &'c Result<Facts, String> {
    cache
        .entry(path.to_path_buf())
        .or_insert_with(|| load(path))
}

fn looks_like_client(text: &str) -> bool {
    text.contains("'use client'") || text.contains("\"use client\"")
}

/// Whether the first bytes of a file (one we will not parse) carry `'use client'`.
fn head_is_client(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 512];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    looks_like_client(&String::from_utf8_lossy(&head[..n]))
}

/// One secret read found in the client module graph.
struct Violation {
    file: String,
    line: usize,
    variable: String,
    form: &'static str,
    chain: Vec<String>,
}

fn analyse(
    cfg: &CodeConfig,
    start: &Path,
    cache: &mut Cache,
) -> (Vec<Violation>, usize, Vec<String>) {
    let mut violations = Vec::new();
    let mut notes = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::from([start.to_path_buf()]);
    let mut queue = VecDeque::from([(start.to_path_buf(), vec![rel_path(&cfg.root, start)])]);
    let mut checked = 0usize;
    while let Some((path, chain)) = queue.pop_front() {
        if checked >= MAX_MODULES_PER_CLIENT {
            notes.push(format!("stopped after {MAX_MODULES_PER_CLIENT} modules"));
            break;
        }
        checked += 1;
        let rel = rel_path(&cfg.root, &path);
        let facts = match cached(cache, &path) {
            Ok(f) => f,
            Err(e) => {
                notes.push(format!("{rel}: not analysed ({e})"));
                continue;
            }
        };
        if chain.len() > 1 && facts.has_directive("use server") {
            notes.push(format!(
                "{rel}: 'use server' module (server actions), not followed"
            ));
            continue;
        }
        if chain.len() > 1 && facts.imports.iter().any(|i| i.source == "server-only") {
            notes.push(format!("{rel}: imports 'server-only', not followed"));
            continue;
        }
        // `createEnv({ runtimeEnv: { X: process.env.X } })` (@t3-oss/env-*) only maps
        // names; what the client may read is decided by the `env.X` accesses below.
        let create_env: Vec<(u32, u32)> = facts
            .calls
            .iter()
            .filter(|c| c.method == "createEnv")
            .map(|c| (c.start, c.end))
            .collect();
        for r in facts.env_reads.iter().filter(|r| {
            !cfg.is_public_var(&r.name)
                && !create_env
                    .iter()
                    .any(|(s, e)| r.start >= *s && r.start < *e)
        }) {
            violations.push(Violation {
                file: rel.clone(),
                line: facts.line(r.start),
                variable: r.name.clone(),
                form: r.form,
                chain: chain.clone(),
            });
        }
        if chain.len() > MAX_IMPORT_DEPTH {
            continue;
        }
        let imports: Vec<(String, Vec<String>)> = facts
            .imports
            .iter()
            .filter(|i| !i.type_only)
            .map(|i| (i.source.clone(), i.names.clone()))
            .collect();
        let members = facts.members.clone();
        for (spec, names) in imports {
            let Some(next) = resolve_import(&cfg.root, &path, &spec) else {
                continue;
            };
            let (type_names, env_module) = match cached(cache, &next) {
                Ok(t) => (
                    !names.is_empty() && names.iter().all(|n| t.type_exports.contains(n)),
                    t.calls.iter().any(|c| c.method == "createEnv"),
                ),
                Err(_) => (false, false),
            };
            // Names that are all `export type` are erased: nothing reaches the browser.
            if type_names {
                continue;
            }
            if env_module {
                for m in members
                    .iter()
                    .filter(|m| names.contains(&m.object) && !cfg.is_public_var(&m.property))
                {
                    let line = match cached(cache, &path) {
                        Ok(f) => f.line(m.start),
                        Err(_) => 0,
                    };
                    violations.push(Violation {
                        file: rel.clone(),
                        line,
                        variable: m.property.clone(),
                        form: "env.NAME (createEnv)",
                        chain: chain.clone(),
                    });
                }
                continue;
            }
            if seen.insert(next.clone()) {
                let mut next_chain = chain.clone();
                next_chain.push(rel_path(&cfg.root, &next));
                queue.push_back((next, next_chain));
            }
        }
    }
    (violations, checked, notes)
}

fn finding(cfg: &CodeConfig, rel: &str, abs: &Path, cache: &mut Cache) -> FileFinding {
    let (violations, checked, notes) = analyse(cfg, abs, cache);
    let list: Vec<Value> = violations
        .iter()
        .map(|v| {
            json!({ "file": v.file, "line": v.line, "variable": v.variable,
                    "form": v.form, "import_chain": v.chain })
        })
        .collect();
    let d = json!({ "modules_checked": checked, "violations": list, "notes": notes });
    let Some(first) = violations.first() else {
        // A module that could not be read or parsed, or a graph cut at the cap, may
        // hold exactly the read we look for: no verdict is not a pass.
        let unread: Vec<&String> = notes
            .iter()
            .filter(|n| n.contains("not analysed") || n.starts_with("stopped after"))
            .collect();
        if let Some(note) = unread.first() {
            return FileFinding::new(
                rel,
                Verdict::Error,
                format!("client module graph not fully analysed: {note}"),
            )
            .with_details(d);
        }
        return FileFinding::new(
            rel,
            Verdict::Pass,
            "client module graph reads no server-only env vars",
        )
        .with_details(d);
    };
    let mut vars: Vec<&str> = Vec::new();
    for v in &violations {
        if !vars.contains(&v.variable.as_str()) {
            vars.push(v.variable.as_str());
        }
    }
    let via = if first.chain.len() > 1 {
        format!(" via {}", first.chain.join(" -> "))
    } else {
        String::new()
    };
    FileFinding::new(
        rel,
        Verdict::Fail,
        format!(
            "'use client' code reads {} ({}:{}){via}",
            vars.join(", "),
            first.file,
            first.line
        ),
    )
    .with_details(d)
    .with_remediation(
        "Move the secret read into server code (a Route Handler, Server Component or \
         'use server' action, ideally in a module that imports 'server-only') and pass \
         only non-secret results to the client; browser code may only use public-prefixed \
         variables such as NEXT_PUBLIC_*.",
    )
}

/// `code.client-secrets`: one finding per `'use client'` module (pass or fail), plus an
/// `error` finding for a file that says `'use client'` but cannot be parsed.
pub fn client_secrets(cfg: &CodeConfig) -> Vec<FileFinding> {
    let mut cache = Cache::new();
    let mut out = Vec::new();
    for file in source_files(&cfg.root).files {
        let text = match read_source(&file.abs) {
            Ok(text) => text,
            Err(e) => {
                // Too large / binary: report only when the head says 'use client'.
                if head_is_client(&file.abs) {
                    out.push(
                        FileFinding::new(&file.rel, Verdict::Error, format!("not analysed: {e}"))
                            .with_details(json!({ "error": e })),
                    );
                }
                continue;
            }
        };
        if !looks_like_client(&text) {
            continue;
        }
        match cached(&mut cache, &file.abs) {
            Ok(f) if f.has_directive("use client") => {}
            Ok(_) => continue,
            Err(e) => {
                let e = e.clone();
                out.push(
                    FileFinding::new(&file.rel, Verdict::Error, format!("could not analyse: {e}"))
                        .with_details(json!({ "error": e })),
                );
                continue;
            }
        }
        out.push(finding(cfg, &file.rel, &file.abs, &mut cache));
    }
    out
}
