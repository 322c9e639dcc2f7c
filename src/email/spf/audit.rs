//! The `email.spf` audit: no sender IP, so instead of evaluating we walk every
//! DNS-querying term the way a receiver would count them (RFC 7208 §4.6.4).

use std::sync::atomic::{AtomicU32, Ordering};

use futures::future::join_all;

use super::report::{
    AuditLimits, Level, SpfAudit, SpfNode, SpfProblem, all_problem, count_void, effective_all,
    fail, problem,
};
use super::{
    Directive, MAX_DNS_LOOKUPS, MAX_NAMES_PER_TERM, MAX_VOID_LOOKUPS, Mechanism, Selected,
    parse_record, select_record,
};
use crate::email::{BoxFuture, Lookup, MailDns, is_valid_domain, normalize_name};

pub async fn audit(dns: &dyn MailDns, domain: &str) -> SpfAudit {
    audit_with_limits(dns, domain, AuditLimits::default()).await
}

pub async fn audit_with_limits(dns: &dyn MailDns, domain: &str, limits: AuditLimits) -> SpfAudit {
    let domain = normalize_name(domain);
    let walker = Walker {
        dns,
        limits,
        queries: AtomicU32::new(0),
    };
    let Walked {
        node,
        mut problems,
        parsed,
    } = walker
        .walk_record(domain.clone(), domain.clone(), Vec::new())
        .await;
    let lookups = node.lookups;
    let void_lookups = count_void(&node);
    if lookups > MAX_DNS_LOOKUPS {
        let p = fail(
            "spf.lookups",
            format!(
                "{lookups} DNS lookups: receivers return permerror past {MAX_DNS_LOOKUPS}; flatten or drop the heaviest include"
            ),
        );
        problems.push(p);
    }
    if void_lookups > MAX_VOID_LOOKUPS {
        problems.push(fail("spf.void-lookups", format!("{void_lookups} lookups return no data (limit {MAX_VOID_LOOKUPS}): receivers return permerror")));
    }
    let all = effective_all(&node);
    if parsed {
        problems.extend(all_problem(all, &node));
    }
    let mut seen = Vec::new();
    problems.retain(|p| {
        let key = if p.code == "spf.budget" {
            (p.code, String::new())
        } else {
            (p.code, p.message.clone())
        };
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    problems.sort_by_key(|p| std::cmp::Reverse(p.level));
    SpfAudit {
        domain,
        record: node.record.clone(),
        lookups,
        void_lookups,
        all,
        tree: node,
        problems,
        // Attempts past the budget were refused, not sent: report what was asked.
        dns_queries: walker
            .queries
            .load(Ordering::Relaxed)
            .min(walker.limits.max_queries),
    }
}

const SENDER_NOTE: &str = "target depends on the sender (macro): counted, not resolved";

struct Walker<'a> {
    dns: &'a dyn MailDns,
    limits: AuditLimits,
    queries: AtomicU32,
}

struct Walked {
    node: SpfNode,
    problems: Vec<SpfProblem>,
    /// The record was found and parsed: its `all` findings are meaningful.
    parsed: bool,
}

impl Walked {
    fn leaf(term: &str, domain: Option<String>, note: Option<&str>) -> Walked {
        Walked {
            node: SpfNode {
                term: term.to_string(),
                domain,
                lookups: 1,
                note: note.map(str::to_string),
                ..SpfNode::default()
            },
            problems: Vec::new(),
            parsed: false,
        }
    }
}

impl<'a> Walker<'a> {
    /// Spend one query of the budget; false once it is exhausted.
    fn take_query(&self) -> bool {
        self.queries.fetch_add(1, Ordering::Relaxed) < self.limits.max_queries
    }

    fn budget_problem(&self) -> SpfProblem {
        problem(
            Level::Error,
            "spf.budget",
            format!(
                "audit stopped after {} DNS queries: the lookup count is a lower bound",
                self.limits.max_queries
            ),
        )
    }

    /// Fetch, select and parse the record at `domain`, then walk its terms concurrently.
    /// `ancestors` is the include/redirect path above, for loop detection.
    fn walk_record<'s>(
        &'s self,
        term: String,
        domain: String,
        ancestors: Vec<String>,
    ) -> BoxFuture<'s, Walked> {
        Box::pin(async move {
            let root = ancestors.is_empty();
            let mut node = SpfNode {
                term: term.clone(),
                domain: Some(domain.clone()),
                lookups: u32::from(!root),
                ..SpfNode::default()
            };
            let mut problems = Vec::new();
            let missing = |what: &str| {
                if root {
                    fail("spf.missing", format!("no SPF record at {domain}{what}"))
                } else {
                    fail(
                        "spf.target-missing",
                        format!(
                            "{term}: {domain} has no SPF record{what}; receivers return permerror"
                        ),
                    )
                }
            };
            if !is_valid_domain(&domain, true) {
                problems.push(missing(" (not a valid domain name)"));
                return Walked {
                    node,
                    problems,
                    parsed: false,
                };
            }
            if !self.take_query() {
                node.note = Some("not resolved: query budget exhausted".to_string());
                problems.push(self.budget_problem());
                return Walked {
                    node,
                    problems,
                    parsed: false,
                };
            }
            let txt = match self.dns.txt(&domain).await {
                Lookup::Records(r) => r,
                Lookup::NxDomain => Vec::new(),
                Lookup::NoData => Vec::new(),
                Lookup::TempError(reason) => {
                    node.note = Some(format!("DNS error: {reason}"));
                    problems.push(problem(
                        Level::Error,
                        "spf.temperror",
                        format!(
                            "TXT lookup for {domain} failed: {reason}; receivers return temperror"
                        ),
                    ));
                    return Walked {
                        node,
                        problems,
                        parsed: false,
                    };
                }
            };
            let text = match select_record(&txt) {
                Selected::None => {
                    problems.push(missing(""));
                    return Walked {
                        node,
                        problems,
                        parsed: false,
                    };
                }
                Selected::Many(all) => {
                    let shown: Vec<String> = all
                        .iter()
                        .map(|r| String::from_utf8_lossy(r).into_owned())
                        .collect();
                    node.record = Some(shown.join(" | "));
                    problems.push(fail("spf.multiple", format!("{} SPF records at {domain}: receivers return permerror; merge them into one", all.len())));
                    return Walked {
                        node,
                        problems,
                        parsed: false,
                    };
                }
                Selected::One(text) => text,
            };
            node.record = Some(String::from_utf8_lossy(&text).into_owned());
            if text.len() > 512 {
                problems.push(problem(Level::Warn, "spf.too-long", format!("SPF record at {domain} is {} bytes: over 512 the answer may not fit a UDP response", text.len())));
            }
            let record = match parse_record(&text) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(fail(
                        "spf.syntax",
                        format!("{domain}: {e}; receivers return permerror"),
                    ));
                    return Walked {
                        node,
                        problems,
                        parsed: false,
                    };
                }
            };
            node.all = record.all();
            let mut path = ancestors;
            path.push(domain.clone());
            let mut children: Vec<BoxFuture<'s, Walked>> = Vec::new();
            let mut after_all = false;
            for directive in &record.directives {
                if after_all {
                    if directive.mechanism.queries_dns() {
                        problems.push(problem(
                            Level::Info,
                            "spf.after-all",
                            format!(
                                "{domain}: '{}' comes after 'all' and is never evaluated",
                                directive.text
                            ),
                        ));
                    }
                    continue;
                }
                if matches!(directive.mechanism, Mechanism::Ptr { .. }) {
                    problems.push(problem(Level::Warn, "spf.ptr", format!("{domain}: '{}' — RFC 7208 says ptr SHOULD NOT be used: slow, unreliable, and some receivers ignore it", directive.text)));
                }
                after_all = directive.mechanism == Mechanism::All;
                if directive.mechanism.queries_dns() {
                    children.push(self.walk_term(directive.clone(), domain.clone(), path.clone()));
                }
            }
            if let Some(redirect) = &record.redirect {
                if record.all().is_some() {
                    problems.push(problem(
                        Level::Info,
                        "spf.redirect-ignored",
                        format!(
                            "{domain}: redirect={} is ignored because the record has 'all'",
                            redirect.as_str()
                        ),
                    ));
                } else {
                    let term = format!("redirect={}", redirect.as_str());
                    children.push(self.follow(
                        term,
                        redirect.expand_domain_only(&domain),
                        path.clone(),
                    ));
                }
            }
            for walked in join_all(children).await {
                node.lookups = node.lookups.saturating_add(walked.node.lookups);
                node.children.push(walked.node);
                problems.extend(walked.problems);
            }
            Walked {
                node,
                problems,
                parsed: true,
            }
        })
    }

    /// An include or redirect: recurse unless the target loops or needs the sender.
    fn follow<'s>(
        &'s self,
        term: String,
        target: Option<String>,
        path: Vec<String>,
    ) -> BoxFuture<'s, Walked> {
        Box::pin(async move {
            let Some(target) = target.map(|t| normalize_name(&t)) else {
                return Walked::leaf(&term, None, Some(SENDER_NOTE));
            };
            if path.contains(&target) {
                let chain = format!("{} → {target}", path.join(" → "));
                let mut w = Walked::leaf(&term, Some(target), Some("loop"));
                w.problems.push(fail(
                    "spf.loop",
                    format!("include/redirect loop: {chain}; receivers return permerror"),
                ));
                return w;
            }
            if path.len() >= self.limits.max_depth {
                let mut w =
                    Walked::leaf(&term, Some(target), Some("not resolved: nesting too deep"));
                w.problems.push(fail(
                    "spf.depth",
                    format!(
                        "{term}: includes nested deeper than {} levels",
                        self.limits.max_depth
                    ),
                ));
                return w;
            }
            self.walk_record(term, target, path).await
        })
    }

    fn walk_term<'s>(
        &'s self,
        directive: Directive,
        domain: String,
        path: Vec<String>,
    ) -> BoxFuture<'s, Walked> {
        Box::pin(async move {
            let term = directive.text.as_str();
            let target = |spec: Option<&super::MacroString>| match spec {
                Some(spec) => spec.expand_domain_only(&domain).map(|t| normalize_name(&t)),
                None => Some(domain.clone()),
            };
            match &directive.mechanism {
                Mechanism::Include { domain: spec } => {
                    self.follow(term.to_string(), target(Some(spec)), path)
                        .await
                }
                Mechanism::Ptr { domain: spec } => Walked::leaf(
                    term,
                    target(spec.as_ref()),
                    Some("needs the connecting IP: counted, not resolved"),
                ),
                Mechanism::A { domain: spec, .. } => {
                    self.query_term(term, target(spec.as_ref()), Query::Address)
                        .await
                }
                Mechanism::Mx { domain: spec, .. } => {
                    self.query_term(term, target(spec.as_ref()), Query::Mx)
                        .await
                }
                Mechanism::Exists { domain: spec } => {
                    self.query_term(term, target(Some(spec)), Query::A).await
                }
                _ => Walked::leaf(term, None, None),
            }
        })
    }

    async fn query_term(&self, term: &str, target: Option<String>, query: Query) -> Walked {
        let Some(target) = target else {
            return Walked::leaf(term, None, Some(SENDER_NOTE));
        };
        let mut w = Walked::leaf(term, Some(target.clone()), None);
        let needed = if query == Query::Address { 2 } else { 1 };
        if !is_valid_domain(&target, false) {
            w.node.void = true;
            w.node.note = Some("not a valid domain name: no match".to_string());
            return w;
        }
        if !(0..needed).all(|_| self.take_query()) {
            w.node.note = Some("not resolved: query budget exhausted".to_string());
            w.problems.push(self.budget_problem());
            return w;
        }
        let (count, error) = match query {
            Query::Mx => summarize(self.dns.mx(&target).await),
            Query::A => summarize(self.dns.a(&target).await),
            Query::Address => {
                let (a, aaaa) = futures::join!(self.dns.a(&target), self.dns.aaaa(&target));
                let (n4, e4) = summarize(a);
                let (n6, e6) = summarize(aaaa);
                (n4 + n6, e4.or(e6))
            }
        };
        if let Some(reason) = error {
            w.node.note = Some(format!("DNS error: {reason}"));
            w.problems.push(problem(
                Level::Error,
                "spf.temperror",
                format!("{term}: lookup of {target} failed: {reason}; receivers return temperror"),
            ));
            return w;
        }
        w.node.void = count == 0;
        w.node.note = Some(match query {
            Query::Mx => format!("{count} MX hosts"),
            _ => format!("{count} addresses"),
        });
        if query == Query::Mx && count > MAX_NAMES_PER_TERM {
            w.problems.push(fail("spf.mx-limit", format!("{term}: {target} has {count} MX records; more than {MAX_NAMES_PER_TERM} is a permerror")));
        }
        w
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Query {
    A,
    /// A and AAAA: without a connection we do not know which family a receiver asks.
    Address,
    Mx,
}

fn summarize<T>(lookup: Lookup<T>) -> (usize, Option<String>) {
    match lookup {
        Lookup::Records(r) => (r.len(), None),
        Lookup::NxDomain | Lookup::NoData => (0, None),
        Lookup::TempError(reason) => (0, Some(reason)),
    }
}
