//! What `web.bundle-secrets` saw: files scanned, findings, scripts skipped or failed,
//! and the verdict drawn from them. Findings hold a variable name or a pattern kind,
//! a file path, an offset and a mask — never the matched text.

use std::collections::{HashSet, VecDeque};

use serde_json::{Value, json};

use crate::context::Context;
use crate::report::Outcome;
use crate::secrets::{KnownSecret, MatchKind, is_secret_var, scan_text};

/// Findings listed in details; the count covers all of them.
const MAX_FINDINGS_SHOWN: usize = 50;
/// Cross-origin scripts listed in details.
const MAX_SKIPPED_SHOWN: usize = 20;

/// The value of every variable that must never reach a browser.
pub fn known_secrets(cx: &Context) -> Vec<KnownSecret> {
    let url_vars: Vec<String> = cx
        .manifest
        .env
        .as_ref()
        .map(|e| e.url_vars.clone())
        .unwrap_or_default();
    cx.env
        .iter()
        .filter(|(name, var)| is_secret_var(name, &var.value, &cx.env.public_prefixes, &url_vars))
        .map(|(name, var)| KnownSecret {
            name: name.to_owned(),
            value: var.value.trim().to_owned(),
        })
        .collect()
}

pub struct Found {
    origin: url::Origin,
    base: url::Url,
    known: Vec<KnownSecret>,
    seen: HashSet<String>,
    files: Vec<Value>,
    findings: Vec<Value>,
    finding_count: usize,
    /// Matches of kinds that are public by design (Google browser keys).
    expected_public: usize,
    skipped: Vec<String>,
    failures: Vec<Value>,
    any_truncated: bool,
    /// Scripts that exist but could not be read (timeout, 5xx, redirect): their
    /// contents are unknown, so a clean scan of the rest is not a pass.
    unreadable: usize,
    pub scripts_scanned: usize,
    pub not_fetched: usize,
}

impl Found {
    pub fn new(base: url::Url, known: Vec<KnownSecret>) -> Self {
        Self {
            origin: base.origin(),
            seen: HashSet::from([strip(&base)]),
            base,
            known,
            files: Vec::new(),
            findings: Vec::new(),
            finding_count: 0,
            expected_public: 0,
            skipped: Vec::new(),
            failures: Vec::new(),
            unreadable: 0,
            any_truncated: false,
            scripts_scanned: 0,
            not_fetched: 0,
        }
    }

    /// Queue same-origin references not seen before; list cross-origin ones.
    pub fn enqueue(&mut self, queue: &mut VecDeque<url::Url>, refs: Vec<String>) {
        for reference in refs {
            let Ok(url) = self.base.join(&reference) else {
                continue;
            };
            if !matches!(url.scheme(), "http" | "https") || !self.seen.insert(strip(&url)) {
                continue;
            }
            if url.origin() == self.origin {
                queue.push_back(url);
            } else {
                self.skipped.push(strip(&url));
            }
        }
    }

    pub fn scan(&mut self, path: &str, text: &str, truncated: bool) {
        self.any_truncated |= truncated;
        self.files
            .push(json!({ "path": path, "bytes": text.len(), "truncated": truncated }));
        for m in scan_text(text, &self.known) {
            let (kind, variable) = match &m.kind {
                MatchKind::Pattern(kind) if kind.client_exposure_expected() => {
                    self.expected_public += 1;
                    continue;
                }
                MatchKind::Pattern(kind) => (json!(kind), Value::Null),
                MatchKind::EnvValue { var } => (json!("env-value"), json!(var)),
            };
            self.finding_count += 1;
            if self.findings.len() < MAX_FINDINGS_SHOWN {
                self.findings.push(json!({
                    "file": path, "kind": kind, "variable": variable,
                    "offset": m.offset, "masked": m.masked,
                }));
            }
        }
    }

    pub fn failed(&mut self, path: &str, reason: String) {
        self.failures
            .push(json!({ "path": path, "reason": reason }));
    }

    /// A referenced script that could not be read although it may exist.
    pub fn unreadable(&mut self, path: &str, reason: String) {
        self.unreadable += 1;
        self.failed(path, reason);
    }

    pub fn outcome(self, page: &str) -> Outcome {
        let same_origin = self.scripts_scanned + self.failures.len();
        let truncated = self.any_truncated || self.not_fetched > 0;
        let bytes: u64 = self.files.iter().filter_map(|f| f["bytes"].as_u64()).sum();
        let details = json!({
            "page": page,
            "files": self.files,
            "findings": self.findings,
            "finding_count": self.finding_count,
            "secret_variables_searched": self.known.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(),
            "skipped_cross_origin": self.skipped.iter().take(MAX_SKIPPED_SHOWN).collect::<Vec<_>>(),
            "skipped_cross_origin_count": self.skipped.len(),
            "failed": self.failures,
            "expected_public_keys": self.expected_public,
            "truncated": truncated,
            "not_fetched": self.not_fetched,
        });
        if let Some(first) = self.findings.first() {
            let what = first["variable"]
                .as_str()
                .map(|v| format!("the value of {v}"))
                .unwrap_or_else(|| format!("a {}", first["kind"].as_str().unwrap_or("secret")));
            let more = match self.finding_count {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            return Outcome::fail(format!(
                "served JavaScript contains {what} in {}{more}",
                first["file"].as_str().unwrap_or("?")
            ))
            .details(details)
            .remediation(
                "Roll every exposed credential now: it has been public since the deploy. Then stop reading it in client code — only public-prefixed variables belong there; call a server route or server action instead — and redeploy.",
            );
        }
        if same_origin > 0 && self.scripts_scanned == 0 {
            return Outcome::error(format!(
                "none of the {same_origin} same-origin scripts could be fetched; the bundle was not scanned"
            ))
            .details(details);
        }
        // No finding in part of the bundle is not a clean bundle: a check that could
        // not read everything says so instead of passing.
        let mut unscanned = Vec::new();
        if self.any_truncated {
            unscanned.push("files cut at the size cap".to_owned());
        }
        if self.not_fetched > 0 {
            unscanned.push(format!("{} scripts past the file cap", self.not_fetched));
        }
        if self.unreadable > 0 {
            unscanned.push(format!(
                "{} scripts that could not be read",
                self.unreadable
            ));
        }
        if !unscanned.is_empty() {
            return Outcome::error(format!(
                "no secret in the {} files scanned, but the scan is incomplete: {}",
                self.files.len(),
                unscanned.join(", ")
            ))
            .details(details)
            .remediation("See the details for what was not read; fix the failing scripts (or raise --timeout) and run again.");
        }
        Outcome::pass(format!(
            "no secret in {} files ({} KiB)",
            self.files.len(),
            bytes.div_ceil(1024)
        ))
        .details(details)
    }
}

/// A URL as shown and compared: without userinfo, query or fragment.
fn strip(url: &url::Url) -> String {
    crate::checks::env::urls::shown(url)
}
