//! Parsed modules of one analysis, cached, and what a module contributes when a route
//! calls into it: a verifier or a constant-time compare, found up to
//! [`MAX_HELPER_DEPTH`] imports away (a `lib/` helper, a workspace package).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::CodeConfig;
use super::facts::Facts;
use super::resolve::resolve_import;
use super::verifiers::{Found, VerifierKind, is_timing_safe, local_verifier};
use super::walk::{load, rel_path};

/// How many imports deep a helper is looked for.
pub const MAX_HELPER_DEPTH: usize = 3;

/// What a module (with the helpers it calls) offers.
#[derive(Debug, Clone, Default)]
pub struct Caps {
    /// A verifier and the file it is in.
    pub verifier: Option<(Found, String, usize)>,
    pub timing_safe: bool,
}

pub struct Modules<'c> {
    pub cfg: &'c CodeConfig,
    facts: HashMap<PathBuf, Rc<Result<Facts, String>>>,
    caps: HashMap<PathBuf, Caps>,
}

impl<'c> Modules<'c> {
    pub fn new(cfg: &'c CodeConfig) -> Self {
        Self {
            cfg,
            facts: HashMap::new(),
            caps: HashMap::new(),
        }
    }

    pub fn facts(&mut self, path: &Path) -> Rc<Result<Facts, String>> {
        self.facts
            .entry(path.to_path_buf())
            .or_insert_with(|| Rc::new(load(path)))
            .clone()
    }

    pub fn rel(&self, path: &Path) -> String {
        rel_path(&self.cfg.root, path)
    }

    pub fn resolve(&self, from: &Path, spec: &str) -> Option<PathBuf> {
        resolve_import(&self.cfg.root, from, spec)
    }

    /// The modules `from` imports *and calls into* (or re-exports), resolved.
    pub fn called_imports(&self, from: &Path, f: &Facts) -> Vec<(Vec<String>, PathBuf)> {
        let used = |name: &String| {
            f.calls.iter().any(|c| &c.root == name)
                || f.route_handlers.iter().any(|(_, w)| {
                    w.as_ref()
                        .is_some_and(|w| w.split('.').next() == Some(name))
                })
                || f.exported_names.contains(name)
        };
        f.imports
            .iter()
            .filter(|i| !i.type_only && (i.reexport || i.names.iter().any(used)))
            .filter_map(|i| Some((i.names.clone(), self.resolve(from, &i.source)?)))
            .collect()
    }

    /// What `path` offers, following the helpers it calls.
    pub fn caps(&mut self, path: &Path, depth: usize) -> Caps {
        if let Some(c) = self.caps.get(path) {
            return c.clone();
        }
        // Cycles end here: a module being examined offers nothing more.
        self.caps.insert(path.to_path_buf(), Caps::default());
        let facts = self.facts(path);
        let mut caps = Caps::default();
        if let Ok(f) = facts.as_ref() {
            caps.timing_safe = f.calls.iter().any(is_timing_safe);
            if let Some(v) = local_verifier(f) {
                let line = f.line(v.start);
                caps.verifier = Some((v, self.rel(path), line));
            }
            if depth < MAX_HELPER_DEPTH && (caps.verifier.is_none() || !caps.timing_safe) {
                for (_, child) in self.called_imports(path, f) {
                    let c = self.caps(&child, depth + 1);
                    caps.timing_safe |= c.timing_safe;
                    if caps.verifier.is_none() {
                        caps.verifier = c.verifier;
                    }
                }
            }
            // An HMAC here compared by a constant-time helper elsewhere.
            if caps.timing_safe
                && caps
                    .verifier
                    .as_ref()
                    .is_none_or(|v| v.0.kind == VerifierKind::PlainCompare)
                && let Some(h) = f.calls.iter().find(|c| c.method == "createHmac")
            {
                let found = Found {
                    callee: h.callee.clone(),
                    start: h.start,
                    end: h.end,
                    kind: VerifierKind::Hmac,
                };
                caps.verifier = Some((found, self.rel(path), f.line(h.start)));
            }
        }
        self.caps.insert(path.to_path_buf(), caps.clone());
        caps
    }
}
