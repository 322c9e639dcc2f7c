//! Reading `launch-ready.yaml`: every error names file, line and column, and an unknown
//! field comes with the closest valid name.

use std::fmt;
use std::path::{Path, PathBuf};

use super::model::Manifest;

/// One problem found in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestProblem {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

/// The manifest cannot be used; nothing is run (exit code 2).
#[derive(Debug, Clone)]
pub struct ManifestError {
    pub file: String,
    pub problems: Vec<ManifestProblem>,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match (p.line, p.column) {
                (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, p.message)?,
                (Some(l), None) => write!(f, "{}:{l}: {}", self.file, p.message)?,
                _ => write!(f, "{}: {}", self.file, p.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ManifestError {}

/// A parsed manifest and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub manifest: Manifest,
    pub path: PathBuf,
    /// The folder relative paths in the manifest are resolved against.
    pub base_dir: PathBuf,
}

pub fn load(path: &Path) -> Result<Loaded, ManifestError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ManifestError {
        file: display.clone(),
        problems: vec![ManifestProblem {
            line: None,
            column: None,
            message: format!("cannot read manifest: {e}"),
        }],
    })?;
    let manifest = parse_str(&text, &display)?;
    let base_dir = path
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    Ok(Loaded {
        manifest,
        path: path.to_path_buf(),
        base_dir,
    })
}

/// Parse and validate manifest text; `file` is only used in messages.
pub fn parse_str(text: &str, file: &str) -> Result<Manifest, ManifestError> {
    let err = |problems| ManifestError {
        file: file.to_owned(),
        problems,
    };
    // Literal secrets are reported before anything else: they must leave the file
    // even when it also has other mistakes.
    let secrets = literal_secrets(text);
    if !secrets.is_empty() {
        return Err(err(secrets));
    }
    let manifest: Manifest = serde_saphyr::from_str(text).map_err(|e| {
        let loc = e.location();
        err(vec![ManifestProblem {
            line: loc.map(|l| l.line()),
            column: loc.map(|l| l.column()),
            message: with_suggestion(&first_line(&e.to_string())),
        }])
    })?;
    let problems = semantic_problems(&manifest);
    if problems.is_empty() {
        Ok(manifest)
    } else {
        Err(err(problems))
    }
}

fn first_line(message: &str) -> String {
    // The parser appends a source excerpt after the first line and starts it with
    // "error: line X column Y: "; we print our own file:line:column.
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let without_location = line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .map(|(_, msg)| msg)
        .unwrap_or(line);
    without_location.to_owned()
}

/// Turn serde's "unknown field `x`, expected one of `a`, `b`" into a "did you mean".
fn with_suggestion(message: &str) -> String {
    let Some(rest) = message.split("unknown field `").nth(1) else {
        return message.to_owned();
    };
    let Some((field, tail)) = rest.split_once('`') else {
        return message.to_owned();
    };
    // "…, expected one of a, b, c" (or "expected a"), with or without backticks.
    let list = tail
        .split_once("expected one of ")
        .or_else(|| tail.split_once("expected "))
        .map(|(_, list)| list)
        .unwrap_or("");
    let candidates: Vec<&str> = list
        .split(',')
        .map(|c| c.trim().trim_matches('`'))
        .filter(|c| !c.is_empty())
        .collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(field, c), *c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, name)) => format!("unknown field `{field}`, did you mean `{name}`?"),
        None if !candidates.is_empty() => format!(
            "unknown field `{field}`, expected one of: {}",
            candidates.join(", ")
        ),
        None => format!("unknown field `{field}`"),
    }
}

/// Secret-looking literals: a manifest names variables, it never holds their values.
fn literal_secrets(text: &str) -> Vec<ManifestProblem> {
    const PREFIXES: [(&str, &str); 5] = [
        ("sk_live_", "a Stripe live secret key"),
        ("sk_test_", "a Stripe test secret key"),
        ("rk_live_", "a Stripe live restricted key"),
        ("rk_test_", "a Stripe test restricted key"),
        ("whsec_", "a Stripe webhook signing secret"),
    ];
    let mut problems = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        for (prefix, what) in PREFIXES {
            let mut from = 0;
            while let Some(pos) = line[from..].find(prefix) {
                let start = from + pos;
                let tail = &line[start + prefix.len()..];
                let body = tail
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                let boundary = start == 0
                    || !line.as_bytes()[start - 1].is_ascii_alphanumeric()
                        && line.as_bytes()[start - 1] != b'_';
                if boundary && body >= 8 {
                    problems.push(ManifestProblem {
                        line: Some(line_no as u64 + 1),
                        column: Some(line[..start].chars().count() as u64 + 1),
                        message: format!(
                            "literal secret: this looks like {what} ({prefix}…); the manifest must name an environment variable (a `*_env` field) instead of holding the value — and rotate the key if this file was ever committed"
                        ),
                    });
                }
                from = start + prefix.len();
            }
        }
    }
    problems
}

fn semantic_problems(m: &Manifest) -> Vec<ManifestProblem> {
    let mut out = Vec::new();
    let mut push = |message: String| {
        out.push(ManifestProblem {
            line: None,
            column: None,
            message,
        })
    };
    if m.version != 1 {
        push(format!(
            "unsupported `version: {}` (only 1 exists)",
            m.version
        ));
    }
    if let Some(tls) = &m.tls
        && tls.fail_days > tls.warn_days
    {
        push(format!(
            "tls.fail_days ({}) must not exceed tls.warn_days ({})",
            tls.fail_days, tls.warn_days
        ));
    }
    if let Some(web) = &m.web {
        if web.canonical.0.scheme() != "https" {
            push(format!(
                "web.canonical `{}` must be an https:// origin",
                web.canonical.as_str()
            ));
        }
        for p in web
            .private_paths
            .iter()
            .chain(&web.cors_paths)
            .chain(&web.cookie_paths)
            .chain(&web.health)
        {
            if !p.starts_with('/') {
                push(format!("path `{p}` must start with `/`"));
            }
        }
    }
    if let Some(stripe) = &m.stripe
        && !(2..=720).contains(&stripe.lookback_hours)
    {
        // stripe.pending looks for events over an hour old inside the lookback, and
        // Stripe keeps events for 30 days.
        push(format!(
            "stripe.lookback_hours ({}) must be between 2 and 720",
            stripe.lookback_hours
        ));
    }
    if let Some(stripe) = &m.stripe
        && !(0.0..=1.0).contains(&stripe.max_error_rate)
    {
        push(format!(
            "stripe.max_error_rate ({}) must be a fraction between 0 and 1 (0.02 is 2 %)",
            stripe.max_error_rate
        ));
    }
    if let Some(crm) = &m.crm {
        if !(2..=720).contains(&crm.lookback_hours) {
            push(format!(
                "crm.lookback_hours ({}) must be between 2 and 720",
                crm.lookback_hours
            ));
        }
        if let Err(e) = crate::crm::MatchKey::parse(&crm.match_on) {
            push(format!("crm.match {e}"));
        }
    }
    if let Some(mon) = &m.monitoring
        && !(10..=86_400).contains(&mon.max_interval_s)
    {
        push(format!(
            "monitoring.max_interval_s ({}) must be between 10 and 86400",
            mon.max_interval_s
        ));
    }
    if let Some(android) = m.mobile.as_ref().and_then(|mo| mo.android.as_ref())
        && android.sha256_fingerprints.is_empty()
    {
        push(format!(
            "mobile.android.sha256_fingerprints is empty: list the app's signing certificate fingerprints (Play Console → App integrity) so `{}` can be verified",
            android.package
        ));
    }
    let mut names = std::collections::BTreeSet::new();
    for w in &m.webhooks {
        if !names.insert(w.name.as_str()) {
            push(format!("webhook name `{}` is used twice", w.name));
        }
        if w.latency_probes == 0 || w.latency_probes > 100 {
            push(format!(
                "webhooks[{}].latency_probes must be between 1 and 100",
                w.name
            ));
        }
    }
    let env_names = m
        .env
        .iter()
        .flat_map(|e| e.required.iter().chain(&e.url_vars))
        .chain(m.webhooks.iter().filter_map(|w| w.secret_env.as_ref()))
        .chain(m.stripe.iter().map(|s| &s.secret_key_env))
        .chain(m.platform.iter().map(|p| &p.token_env))
        .chain(
            m.stripe
                .iter()
                .filter_map(|s| s.publishable_key_env.as_ref()),
        );
    for name in env_names {
        let ok = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit();
        if !ok {
            push(format!(
                "`{name}` is not an environment variable name (letters, digits and `_`)"
            ));
        }
    }
    for problem in super::platform::problems(m) {
        push(problem);
    }
    for w in &m.waivers {
        if globset::Glob::new(&w.check).is_err() {
            push(format!(
                "waiver check `{}` is not a valid id or glob",
                w.check
            ));
        }
    }
    out
}
