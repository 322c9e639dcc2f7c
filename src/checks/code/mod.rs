//! Static checks of the Next.js code at `code.root` (offline). The repository is
//! walked and parsed once per audit; each check reads its part of that analysis.

pub mod client_secrets;
pub mod logging;
pub mod webhook_errors;
pub mod webhook_idempotency;
pub mod webhook_verification;

use crate::checks::{Checked, Plan};
use crate::code::{FileFinding, Verdict};
use crate::context::Context;
use crate::evidence::code::{Analysis, CodeScan};
use crate::report::Outcome;

/// Targets are the files a check has findings for; none is a skip that says why.
pub(crate) async fn plan(
    cx: &Context,
    pick: fn(&Analysis) -> &Vec<FileFinding>,
    none: &str,
) -> Plan {
    let Some(code) = &cx.manifest.code else {
        return Plan::skip("code", "no `code` section in the manifest");
    };
    let root = cx.resolve_path(&code.root);
    if !root.is_dir() {
        return Plan::skip(
            code.root.clone(),
            format!("code.root `{}` is not a directory", root.display()),
        );
    }
    let analysis = match cx.get(CodeScan).await {
        Ok(analysis) => analysis,
        // The scan failed: its one target reports why (`error`).
        Err(_) => return Plan::Targets(vec![code.root.clone()]),
    };
    let files = pick(&analysis);
    let mut targets: Vec<String> = files.iter().map(|f| f.file.clone()).collect();
    // The walk stopped at its file cap: files past it were never looked at, which is
    // a result of its own (`error`), not a silent gap.
    if !analysis.notes.is_empty() {
        targets.push(code.root.clone());
    }
    if targets.is_empty() {
        return Plan::skip(code.root.clone(), none.to_owned());
    }
    Plan::Targets(targets)
}

pub(crate) async fn outcome(
    cx: &Context,
    pick: fn(&Analysis) -> &Vec<FileFinding>,
    file: &str,
) -> Checked {
    let analysis = cx.get(CodeScan).await?;
    Ok(judge(&analysis, pick, file))
}

/// The verdict on one file of the scan.
pub(crate) fn judge(
    analysis: &Analysis,
    pick: fn(&Analysis) -> &Vec<FileFinding>,
    file: &str,
) -> Outcome {
    let Some(finding) = pick(analysis).iter().find(|f| f.file == file) else {
        if !analysis.notes.is_empty() {
            return Outcome::error(format!("repository not fully scanned: {}", analysis.notes.join("; ")))
                .remediation("Point code.root at the Next.js app itself (not a whole monorepo), so the scan covers every route and client file.");
        }
        return Outcome::error(format!("{file}: no analysis result"));
    };
    let mut details = finding.details.clone();
    if !analysis.notes.is_empty()
        && let serde_json::Value::Object(map) = &mut details
    {
        map.insert("scan_notes".into(), serde_json::json!(analysis.notes));
    }
    let out = match finding.verdict {
        Verdict::Pass => Outcome::pass(&finding.summary),
        Verdict::Warn => Outcome::warn(&finding.summary),
        Verdict::Fail => Outcome::fail(&finding.summary),
        Verdict::Error => Outcome::error(&finding.summary),
    }
    .details(details);
    match &finding.remediation {
        Some(fix) => out.remediation(fix),
        None => out,
    }
}
