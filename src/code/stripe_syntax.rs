//! The syntax `stripe_events` reads: event-type tests, gate lists, and what a
//! branch does (work beyond logging, the HTTP status it answers, a throw).

use oxc_ast::ast::{
    Argument, ArrayExpressionElement, BinaryOperator, CallExpression, Expression, NewExpression,
    ReturnStatement, Statement, ThrowStatement,
};
use oxc_ast_visit::{Visit, walk};

use super::ast_util::expr_path;
use super::stripe_events::is_event_type;

/// Nesting deeper than this is not followed (the parser already refuses absurd files).
const MAX_DEPTH: usize = 400;

/// The string a literal (or a template without expressions) holds.
pub(super) fn string_value(e: &Expression<'_>) -> Option<String> {
    match e.get_inner_expression() {
        Expression::StringLiteral(s) => Some(s.value.to_string()),
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => t
            .quasis
            .first()
            .and_then(|q| q.value.cooked.as_ref())
            .map(|c| c.to_string()),
        _ => None,
    }
}

/// `x.type`, `type`, `eventType`: what holds the event's type.
pub(super) fn is_type_expr(e: &Expression<'_>) -> bool {
    let path = expr_path(e, 0);
    path == "type" || path.ends_with(".type") || path.to_lowercase().ends_with("eventtype")
}

/// Event types an `if` test compares the type with (`===`, `==`, joined by `||`).
pub(super) fn event_type_tests(e: &Expression<'_>, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    match e.get_inner_expression() {
        Expression::LogicalExpression(l) => {
            event_type_tests(&l.left, out, depth + 1);
            event_type_tests(&l.right, out, depth + 1);
        }
        Expression::BinaryExpression(b)
            if matches!(
                b.operator,
                BinaryOperator::StrictEquality | BinaryOperator::Equality
            ) =>
        {
            let (lit, other) = match (string_value(&b.left), string_value(&b.right)) {
                (Some(s), None) => (s, &b.right),
                (None, Some(s)) => (s, &b.left),
                _ => return,
            };
            if is_event_type(&lit) && is_type_expr(other) {
                out.push(lit);
            }
        }
        _ => {}
    }
}

/// `relevant.has(event.type)` / `allowed.includes(event.type)` → `relevant`.
pub(super) fn gate_list(e: &Expression<'_>) -> Option<String> {
    let Expression::CallExpression(c) = e else {
        return None;
    };
    let path = expr_path(&c.callee, 0);
    let (list, method) = path.rsplit_once('.')?;
    let arg = c.arguments.first()?.as_expression()?;
    (matches!(method, "has" | "includes") && !list.contains('.') && is_type_expr(arg))
        .then(|| list.to_owned())
}

/// `new Set([...])` or `[...]` of event types: (types, spreads it cannot read).
pub(super) fn event_list(e: &Expression<'_>) -> Option<(Vec<String>, Vec<String>)> {
    let array = match e {
        Expression::NewExpression(n) if expr_path(&n.callee, 0) == "Set" => {
            match n.arguments.first()?.as_expression()?.get_inner_expression() {
                Expression::ArrayExpression(a) => a,
                _ => return None,
            }
        }
        Expression::ArrayExpression(a) => a,
        _ => return None,
    };
    let mut types = Vec::new();
    let mut spreads = Vec::new();
    for el in &array.elements {
        match el {
            ArrayExpressionElement::SpreadElement(s) => spreads.push(expr_path(&s.argument, 0)),
            other => {
                if let Some(t) = other
                    .as_expression()
                    .and_then(string_value)
                    .filter(|t| is_event_type(t))
                {
                    types.push(t);
                }
            }
        }
    }
    Some((types, spreads))
}

/// What a branch does: work beyond logging, the status it answers, whether it throws.
#[derive(Default)]
pub(super) struct Activity {
    pub(super) active: bool,
    pub(super) status: Option<u16>,
    pub(super) throws: bool,
    pub(super) returns: bool,
    depth: usize,
}

/// Calls that only log or report.
fn is_log(path: &str) -> bool {
    let method = path.rsplit('.').next().unwrap_or(path);
    let root = path.split('.').next().unwrap_or(path);
    matches!(root, "console" | "logger" | "Sentry" | "log")
        || matches!(
            method,
            "log"
                | "info"
                | "warn"
                | "error"
                | "debug"
                | "trace"
                | "captureException"
                | "captureMessage"
        )
        || method.starts_with("log")
}

/// Calls that build or send the HTTP answer, or compute a value without effect.
fn is_answer_or_pure(path: &str) -> bool {
    let method = path.rsplit('.').next().unwrap_or(path);
    path.contains("Response")
        || matches!(
            method,
            "json"
                | "send"
                | "end"
                | "status"
                | "sendStatus"
                | "setHeader"
                | "toString"
                | "toISOString"
                | "stringify"
                | "trim"
                | "toLowerCase"
                | "toUpperCase"
                | "String"
                | "Number"
                | "Boolean"
                | "Date"
                | "parseInt"
                | "parseFloat"
        )
}

/// `{ status: 400 }` or `res.status(400)` inside an expression.
pub(super) fn status_in(e: &Expression<'_>) -> Option<u16> {
    let mut s = StatusFinder::default();
    s.visit_expression(e);
    if s.dynamic && s.status.is_none() {
        return None;
    }
    s.status.or(s.answer.then_some(200))
}

#[derive(Default)]
struct StatusFinder {
    status: Option<u16>,
    answer: bool,
    /// `{ status: code }`: a status only known at run time.
    dynamic: bool,
}

fn numeric(e: &Expression<'_>) -> Option<u16> {
    match e.get_inner_expression() {
        Expression::NumericLiteral(n) if (100.0..600.0).contains(&n.value) => Some(n.value as u16),
        _ => None,
    }
}

impl<'a> Visit<'a> for StatusFinder {
    fn visit_object_property(&mut self, it: &oxc_ast::ast::ObjectProperty<'a>) {
        if it.key.static_name().as_deref() == Some("status") {
            match numeric(&it.value) {
                Some(n) => {
                    self.status.get_or_insert(n);
                }
                None => self.dynamic = true,
            }
        }
        walk::walk_object_property(self, it);
    }
    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let path = expr_path(&it.callee, 0);
        if (path.ends_with(".status") || path.ends_with(".sendStatus"))
            && let Some(n) = it
                .arguments
                .first()
                .and_then(Argument::as_expression)
                .and_then(numeric)
        {
            self.status.get_or_insert(n);
        }
        self.answer |=
            path.contains("Response") || path.ends_with(".json") || path.ends_with(".send");
        walk::walk_call_expression(self, it);
    }
    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        self.answer |= expr_path(&it.callee, 0).contains("Response");
        walk::walk_new_expression(self, it);
    }
}

impl<'a> Visit<'a> for Activity {
    fn visit_statement(&mut self, it: &Statement<'a>) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        walk::walk_statement(self, it);
        self.depth -= 1;
    }
    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let path = expr_path(&it.callee, 0);
        if is_log(&path) {
            return;
        }
        if is_answer_or_pure(&path) {
            walk::walk_call_expression(self, it);
            return;
        }
        self.active = true;
    }
    fn visit_return_statement(&mut self, it: &ReturnStatement<'a>) {
        self.returns = true;
        if let Some(arg) = &it.argument
            && let Some(status) = status_in(arg)
        {
            // Any path answering 4xx makes the branch a refusal.
            self.status = self.status.max(Some(status));
        }
        walk::walk_return_statement(self, it);
    }
    fn visit_throw_statement(&mut self, it: &ThrowStatement<'a>) {
        self.throws = true;
        walk::walk_throw_statement(self, it);
    }
    fn visit_expression(&mut self, it: &Expression<'a>) {
        // `res.status(400).json(…)` sent without `return` answers all the same.
        if let Expression::CallExpression(c) = it.get_inner_expression()
            && expr_path(&c.callee, 0).starts_with("res.status")
            && let Some(status) = status_in(it)
        {
            self.status = self.status.max(Some(status));
        }
        walk::walk_expression(self, it);
    }
}
