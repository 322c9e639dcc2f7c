//! The SPF audit's result types: the include tree, its renderings, and the findings
//! derived from the whole tree (the `all` a receiver ends on, void lookups).

use serde::Serialize;

use super::{MAX_DNS_LOOKUPS, Qualifier};
pub use crate::email::Level;
use crate::email::Problem;

/// SPF findings use the module-wide finding type.
pub type SpfProblem = Problem;

/// One DNS-querying term (or the root record) with the lookups it costs a receiver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpfNode {
    /// The root's domain, or the term as written (`include:_spf.example.com`, `mx`).
    pub term: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// This term plus everything below it.
    pub lookups: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub void: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all: Option<Qualifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<SpfNode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpfAudit {
    pub domain: String,
    pub record: Option<String>,
    pub lookups: u32,
    pub void_lookups: u32,
    /// The `all` a receiver ends on, following `redirect=` when the record has none.
    pub all: Option<Qualifier>,
    pub tree: SpfNode,
    pub problems: Vec<SpfProblem>,
    pub dns_queries: u32,
}

impl SpfAudit {
    /// The worst problem level, `None` when the record is clean.
    pub fn level(&self) -> Option<Level> {
        self.problems.iter().map(|p| p.level).max()
    }

    /// "12 DNS lookups (limit 10): include:_spf.a (3) → [include:_spf.b (2)], mx (1)"
    pub fn summary_line(&self) -> String {
        let parts: Vec<String> = self.tree.children.iter().map(render_inline).collect();
        let head = format!("{} DNS lookups (limit {MAX_DNS_LOOKUPS})", self.lookups);
        if parts.is_empty() {
            head
        } else {
            format!("{head}: {}", parts.join(", "))
        }
    }

    /// An indented tree, one term a line, for terminal and Markdown reports.
    pub fn render_tree(&self) -> String {
        let mut out = String::new();
        render_lines(&self.tree, 0, &mut out);
        out
    }
}

fn render_inline(node: &SpfNode) -> String {
    let mut s = format!("{} ({})", node.term, node.lookups);
    let inner: Vec<String> = node.children.iter().map(render_inline).collect();
    if !inner.is_empty() {
        s.push_str(&format!(" → [{}]", inner.join(", ")));
    }
    s
}

fn render_lines(node: &SpfNode, depth: usize, out: &mut String) {
    out.push_str(&"  ".repeat(depth));
    let plural = if node.lookups == 1 { "" } else { "s" };
    out.push_str(&format!("{} ({} lookup{plural})", node.term, node.lookups));
    if node.void {
        out.push_str(" [void]");
    }
    if let Some(note) = &node.note {
        out.push_str(&format!(" — {note}"));
    }
    out.push('\n');
    for child in &node.children {
        render_lines(child, depth + 1, out);
    }
}

/// Bounds that make hostile records (include bombs, deep chains) end quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditLimits {
    pub max_queries: u32,
    pub max_depth: usize,
}

impl Default for AuditLimits {
    fn default() -> Self {
        AuditLimits {
            max_queries: 50,
            max_depth: 10,
        }
    }
}

pub(super) fn all_problem(all: Option<Qualifier>, root: &SpfNode) -> Option<SpfProblem> {
    let redirect = root
        .children
        .iter()
        .find(|c| c.term.starts_with("redirect="));
    // A missing redirect target is already its own finding.
    if all.is_none() && redirect.is_some_and(|r| r.record.is_none()) {
        return None;
    }
    let has_redirect = redirect.is_some();
    match all {
        Some(Qualifier::Pass) => Some(fail(
            "spf.all-pass",
            "+all authorizes every host on the internet to send as this domain",
        )),
        Some(Qualifier::Neutral) => Some(fail(
            "spf.all-neutral",
            "?all asserts nothing about other senders: spoofed mail is not rejected",
        )),
        None if !has_redirect => Some(fail(
            "spf.no-all",
            "no 'all' and no redirect: unlisted senders get neutral; end the record with -all or ~all",
        )),
        None => Some(fail(
            "spf.no-all",
            "redirect target has no 'all': unlisted senders get neutral",
        )),
        Some(Qualifier::SoftFail) => Some(problem(
            Level::Info,
            "spf.softfail-all",
            "~all: unlisted senders soft-fail; fine when DMARC enforces (p=quarantine/reject), otherwise prefer -all",
        )),
        Some(Qualifier::Fail) => None,
    }
}

pub(super) fn effective_all(node: &SpfNode) -> Option<Qualifier> {
    node.all.or_else(|| {
        node.children
            .iter()
            .find(|c| c.term.starts_with("redirect="))
            .and_then(effective_all)
    })
}

pub(super) fn count_void(node: &SpfNode) -> u32 {
    u32::from(node.void) + node.children.iter().map(count_void).sum::<u32>()
}

pub(super) fn fail(code: &'static str, message: impl Into<String>) -> SpfProblem {
    problem(Level::Fail, code, message)
}

pub(super) fn problem(level: Level, code: &'static str, message: impl Into<String>) -> SpfProblem {
    Problem::new(level, code, message)
}
