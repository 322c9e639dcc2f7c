//! Which Stripe event types a webhook handler handles, read from its code
//! (`stripe.handled-events`). The patterns of real handlers: `switch (event.type)`
//! with `case` groups, `if (event.type === '…')` chains, handler maps keyed by type,
//! and Sets/arrays of "relevant events" gating the work with `.has`/`.includes`. A
//! type is *handled* when its branch does more than log, bind or return (SPEC §7);
//! the handler *refuses* unknown types when the `default`/`else` branch, or the
//! negated gate, answers 4xx (or throws into a `catch` that does).

use std::collections::BTreeMap;
use std::path::Path;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    ArrowFunctionBody, Expression, IfStatement, ObjectPropertyKind, Program, Statement,
    SwitchStatement, TryStatement, UnaryOperator, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::{ParseOptions, Parser};

use super::facts::{MAX_BRACKET_DEPTH, bracket_depth, line_starts, source_type};
use super::stripe_syntax::{Activity, event_list, event_type_tests, gate_list, string_value};
use super::walk::read_source;

/// First segments of Stripe event types (`invoice.paid` → `invoice`): a string is
/// an event type only when it starts with one of these, so `"created"` or
/// `"index.ts"` never count.
const OBJECTS: &[&str] = &[
    "account",
    "application_fee",
    "balance",
    "billing",
    "billing_portal",
    "capability",
    "cash_balance",
    "charge",
    "checkout",
    "climate",
    "coupon",
    "credit_note",
    "customer",
    "customer_cash_balance_transaction",
    "entitlements",
    "file",
    "financial_connections",
    "identity",
    "invoice",
    "invoiceitem",
    "issuing",
    "mandate",
    "payment_intent",
    "payment_link",
    "payment_method",
    "payout",
    "person",
    "plan",
    "price",
    "product",
    "promotion_code",
    "quote",
    "radar",
    "refund",
    "reporting",
    "review",
    "setup_intent",
    "sigma",
    "source",
    "subscription_schedule",
    "tax",
    "tax_rate",
    "terminal",
    "test_helpers",
    "topup",
    "transfer",
    "treasury",
];

/// Nesting deeper than this is not followed (the parser already refuses absurd files).
const MAX_DEPTH: usize = 400;

/// `invoice.paid`, `customer.subscription.updated`, `*`-free, lower case.
pub fn is_event_type(s: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    s.len() <= 80
        && OBJECTS.contains(&first)
        && s.contains('.')
        && s.split('.').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// How a handler answers types it does not handle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    pub status: u16,
    pub line: usize,
    /// `default branch`, `else branch`, `negated gate`.
    pub how: &'static str,
}

/// What one module says about the event types it handles.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct HandledEvents {
    /// Handled types with the line of their branch.
    pub handled: BTreeMap<String, usize>,
    /// Types whose branch only logs, binds or returns.
    pub logged_only: BTreeMap<String, usize>,
    /// Types whose own branch answers 4xx or throws.
    pub refused: BTreeMap<String, usize>,
    pub refusal: Option<Refusal>,
    /// How the types were found (`switch`, `if`, `map`, `gate list`).
    pub patterns: Vec<&'static str>,
    /// Lists spread from elsewhere (`...refundEvents`) that could not be read.
    pub unresolved: Vec<String>,
    /// Every list of event types the module declares, by name (what another
    /// module's `...name` spread reads).
    #[serde(skip)]
    pub lists: BTreeMap<String, Vec<String>>,
}

impl HandledEvents {
    pub fn is_empty(&self) -> bool {
        self.handled.is_empty() && self.refusal.is_none()
    }

    /// Add what a helper module found.
    pub fn merge(&mut self, other: HandledEvents) {
        self.handled.extend(other.handled);
        self.logged_only.extend(other.logged_only);
        self.refused.extend(other.refused);
        self.refusal = self.refusal.take().or(other.refusal);
        for p in other.patterns {
            if !self.patterns.contains(&p) {
                self.patterns.push(p);
            }
        }
        self.unresolved.extend(other.unresolved);
    }
}

/// Read and analyse one file.
pub fn handled_events(path: &Path) -> Result<HandledEvents, String> {
    let source = read_source(path)?;
    let depth = bracket_depth(&source);
    if depth > MAX_BRACKET_DEPTH {
        return Err(format!("brackets nested {depth} deep, not analysed"));
    }
    let source_type = source_type(path);
    // The parser and the visitor recurse: a big stack, as for the other analyses.
    let worker = std::thread::Builder::new()
        .name("code-events".into())
        .stack_size(256 * 1024 * 1024)
        .spawn(move || {
            let allocator = Allocator::default();
            let ret = Parser::new(&allocator, &source, source_type)
                .with_options(ParseOptions::default())
                .parse();
            if ret.panicked || ret.diagnostics.has_errors() {
                return Err("parse error".to_owned());
            }
            Ok(analyse(&ret.program, &line_starts(&source)))
        });
    match worker {
        Ok(handle) => handle
            .join()
            .unwrap_or_else(|_| Err("the parser crashed on this file".to_owned())),
        Err(e) => Err(format!("could not start the parser thread: {e}")),
    }
}

/// A branch of a switch or an if chain.
struct Branch {
    types: Vec<String>,
    line: usize,
    activity: Activity,
}

/// A `.has(x.type)` / `.includes(x.type)` test on a named list.
struct Gate {
    list: String,
    /// `if (!list.has(t)) return …;`: the work after it runs for every member.
    early_return: bool,
}

#[derive(Default)]
struct Finder<'s> {
    lines: &'s [u32],
    branches: Vec<Branch>,
    lists: BTreeMap<String, (Vec<String>, Vec<String>)>,
    gates: Vec<Gate>,
    /// Handler-map keys: (type, line, whether its handler does work).
    maps: Vec<(String, usize, bool)>,
    refusal: Option<Refusal>,
    /// A gate lets unlisted types through to a 2xx (no `else`, or a negated gate
    /// answering 2xx): a `default` behind it never sees them.
    gate_passes_unknown: bool,
    /// Inside the consequent of a positive gate.
    gated: usize,
    /// Status the innermost enclosing `catch` answers (a throw ends there).
    catch_status: Vec<Option<u16>>,
    depth: usize,
}

fn analyse(program: &Program<'_>, lines: &[u32]) -> HandledEvents {
    let mut f = Finder {
        lines,
        ..Finder::default()
    };
    f.visit_program(program);
    f.finish()
}

impl Finder<'_> {
    fn line(&self, offset: u32) -> usize {
        self.lines.partition_point(|&s| s <= offset).max(1)
    }

    fn refuse(&mut self, status: u16, offset: u32, how: &'static str) {
        if status >= 400 && self.refusal.is_none() {
            self.refusal = Some(Refusal {
                status,
                line: self.line(offset),
                how,
            });
        }
    }

    /// What a statement list does, with a thrown error answered by the enclosing catch.
    fn activity(&self, stmts: &[Statement<'_>]) -> Activity {
        let mut a = Activity::default();
        for s in stmts {
            a.visit_statement(s);
        }
        if a.throws && a.status.is_none() {
            a.status = Some(self.catch_status.last().copied().flatten().unwrap_or(500));
        }
        a
    }

    fn finish(self) -> HandledEvents {
        let refusal = self
            .refusal
            .filter(|r| !(self.gate_passes_unknown && r.how == "default branch"));
        let mut out = HandledEvents {
            refusal,
            ..HandledEvents::default()
        };
        for b in &self.branches {
            for t in &b.types {
                if b.activity.active {
                    out.handled.insert(t.clone(), b.line);
                } else if b.activity.status.is_some_and(|s| s >= 400) {
                    out.refused.insert(t.clone(), b.line);
                } else {
                    out.logged_only.insert(t.clone(), b.line);
                }
            }
        }
        if !self.branches.is_empty() {
            out.patterns.push("switch/if on the event type");
        }
        for (t, line, active) in &self.maps {
            if *active {
                out.handled.insert(t.clone(), *line);
            } else {
                out.logged_only.insert(t.clone(), *line);
            }
        }
        if !self.maps.is_empty() {
            out.patterns.push("handler map keyed by type");
        }
        // A gate list names the handled types only when no branch names them one by
        // one (with a switch behind the gate, a listed type without a case is not
        // handled: it falls to the default).
        let explicit = !out.handled.is_empty() || !out.logged_only.is_empty();
        for g in &self.gates {
            let Some((types, spreads)) = self.lists.get(&g.list) else {
                continue;
            };
            if !explicit || g.early_return {
                for t in types {
                    out.handled.entry(t.clone()).or_insert(0);
                }
                // A spread of a list of this module is read here; one imported
                // from elsewhere is left for the caller (`stripe_handler`).
                for s in spreads {
                    match self.lists.get(s) {
                        Some((more, _)) => {
                            for t in more {
                                out.handled.entry(t.clone()).or_insert(0);
                            }
                        }
                        None => out.unresolved.push(s.clone()),
                    }
                }
                out.patterns.push("list of relevant events gating the work");
            }
        }
        out.lists = self
            .lists
            .iter()
            .map(|(name, (types, _))| (name.clone(), types.clone()))
            .collect();
        out.logged_only.retain(|t, _| !out.handled.contains_key(t));
        out.refused.retain(|t, _| !out.handled.contains_key(t));
        out.patterns.dedup();
        out.unresolved.sort();
        out.unresolved.dedup();
        out
    }

    fn switch(&mut self, it: &SwitchStatement<'_>) {
        let mut pending: Vec<String> = Vec::new();
        // The line of a case group is its first case's.
        let mut group_start = None;
        let mut any = false;
        for case in &it.cases {
            match &case.test {
                Some(test) => {
                    let start = *group_start.get_or_insert(case.span.start);
                    if let Some(t) = string_value(test).filter(|t| is_event_type(t)) {
                        pending.push(t);
                        any = true;
                    }
                    if case.consequent.is_empty() {
                        continue;
                    }
                    group_start = None;
                    let activity = self.activity(&case.consequent);
                    let types = std::mem::take(&mut pending);
                    if !types.is_empty() {
                        self.branches.push(Branch {
                            types,
                            line: self.line(start),
                            activity,
                        });
                    }
                }
                None if any && self.gated == 0 => {
                    let a = self.activity(&case.consequent);
                    if let Some(status) = a.status {
                        self.refuse(status, case.span.start, "default branch");
                    }
                }
                None => {}
            }
        }
    }

    fn if_statement(&mut self, it: &IfStatement<'_>) {
        let mut types = Vec::new();
        event_type_tests(&it.test, &mut types, 0);
        if !types.is_empty() {
            let activity = self.activity(std::slice::from_ref(&it.consequent));
            self.branches.push(Branch {
                types,
                line: self.line(it.span.start),
                activity,
            });
            if let Some(alt) = &it.alternate
                && !matches!(alt, Statement::IfStatement(_))
            {
                let a = self.activity(std::slice::from_ref(alt));
                if let Some(status) = a.status {
                    self.refuse(status, it.span.start, "else branch");
                }
            }
            return;
        }
        // `if (!relevant.has(event.type)) return 400` / `if (relevant.has(…)) {…} else …`
        let (negated, test) = match it.test.get_inner_expression() {
            Expression::UnaryExpression(u) if u.operator == UnaryOperator::LogicalNot => {
                (true, u.argument.get_inner_expression())
            }
            other => (false, other),
        };
        if let Some(list) = gate_list(test) {
            let unknown = if negated {
                Some(&it.consequent)
            } else {
                it.alternate.as_ref()
            };
            let a = unknown.map(|branch| self.activity(std::slice::from_ref(branch)));
            let early_return = negated && a.as_ref().is_some_and(|a| a.returns && !a.active);
            self.gates.push(Gate { list, early_return });
            match a.as_ref().and_then(|a| a.status) {
                Some(status) if status >= 400 => {
                    let how = if negated {
                        "negated gate"
                    } else {
                        "else branch"
                    };
                    self.refuse(status, it.span.start, how);
                }
                _ => self.gate_passes_unknown = true,
            }
        }
    }

    fn declarator(&mut self, it: &VariableDeclarator<'_>) {
        let (Some(name), Some(init)) = (it.id.get_binding_identifier(), &it.init) else {
            return;
        };
        let init = init.get_inner_expression();
        if let Some((types, spreads)) = event_list(init)
            && !types.is_empty()
        {
            self.lists.insert(name.name.to_string(), (types, spreads));
            return;
        }
        if let Expression::ObjectExpression(obj) = init {
            let line = self.line(it.span.start);
            for p in &obj.properties {
                let ObjectPropertyKind::ObjectProperty(p) = p else {
                    continue;
                };
                let Some(key) = p.key.static_name().filter(|k| is_event_type(k)) else {
                    continue;
                };
                let active = match p.value.get_inner_expression() {
                    Expression::ArrowFunctionExpression(f) => match &f.body {
                        ArrowFunctionBody::FunctionBody(b) => self.activity(&b.statements).active,
                        other => other.as_expression().is_some_and(|e| {
                            let mut a = Activity::default();
                            a.visit_expression(e);
                            a.active
                        }),
                    },
                    Expression::FunctionExpression(f) => f
                        .body
                        .as_ref()
                        .is_some_and(|b| self.activity(&b.statements).active),
                    Expression::Identifier(_) | Expression::StaticMemberExpression(_) => true,
                    _ => false,
                };
                self.maps.push((key.to_string(), line, active));
            }
        }
    }
}

impl<'a> Visit<'a> for Finder<'_> {
    fn visit_statement(&mut self, it: &Statement<'a>) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        walk::walk_statement(self, it);
        self.depth -= 1;
    }
    fn visit_switch_statement(&mut self, it: &SwitchStatement<'a>) {
        self.switch(it);
        walk::walk_switch_statement(self, it);
    }
    fn visit_if_statement(&mut self, it: &IfStatement<'a>) {
        self.if_statement(it);
        let positive_gate = gate_list(it.test.get_inner_expression()).is_some();
        self.visit_expression(&it.test);
        self.gated += usize::from(positive_gate);
        self.visit_statement(&it.consequent);
        self.gated -= usize::from(positive_gate);
        if let Some(alt) = &it.alternate {
            self.visit_statement(alt);
        }
    }
    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        self.declarator(it);
        walk::walk_variable_declarator(self, it);
    }
    fn visit_try_statement(&mut self, it: &TryStatement<'a>) {
        let status = it.handler.as_ref().and_then(|h| {
            let mut a = Activity::default();
            for s in &h.body.body {
                a.visit_statement(s);
            }
            a.status
        });
        self.catch_status.push(status);
        self.visit_block_statement(&it.block);
        self.catch_status.pop();
        if let Some(h) = &it.handler {
            self.visit_catch_clause(h);
        }
        if let Some(f) = &it.finalizer {
            self.visit_block_statement(f);
        }
    }
}
