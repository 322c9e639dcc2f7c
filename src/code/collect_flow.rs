//! The control-flow-shaped parts of the visitor: responses and their status codes,
//! `try`/`catch` spans, dropped promises, equality comparisons and dedup keys — what
//! `code.webhook-errors`, `code.webhook-verification` (constant-time compare) and
//! `code.webhook-idempotency` read.

use oxc_ast::ast::{
    Argument, BinaryExpression, CallExpression, Expression, ExpressionStatement, NewExpression,
    ObjectExpression, ObjectProperty, ObjectPropertyKind, TryStatement,
};
use oxc_span::GetSpan;

use super::ast_util::expr_path;
use super::collect::Collector;
use super::facts::{CallFact, Comparison, TryCatch};

/// Names the Pages Router response object conventionally goes by.
const RES_NAMES: &[&str] = &["res", "response", "resp"];

/// `{ status: 400 }` → `Some(Some(400))`; `{ status: code }` → `Some(None)` (a status
/// is given, but not a literal one); no `status` key → `None`.
fn status_of_object(obj: &ObjectExpression<'_>) -> Option<Option<u16>> {
    obj.properties.iter().find_map(|p| match p {
        ObjectPropertyKind::ObjectProperty(p)
            if p.key.static_name().as_deref() == Some("status") =>
        {
            Some(numeric(&p.value))
        }
        _ => None,
    })
}

fn numeric(e: &Expression<'_>) -> Option<u16> {
    match e.get_inner_expression() {
        Expression::NumericLiteral(n) if (100.0..1000.0).contains(&n.value) => Some(n.value as u16),
        _ => None,
    }
}

/// The status given by an `{ status: … }` argument, if any (inner `None`: not a literal).
fn status_arg(args: &[Argument<'_>]) -> Option<Option<u16>> {
    args.iter()
        .find_map(|a| match a.as_expression()?.get_inner_expression() {
            Expression::ObjectExpression(o) => status_of_object(o),
            _ => None,
        })
}

impl Collector {
    /// Record the status of a response-building call, when it is one.
    pub(super) fn on_call_response(&mut self, it: &CallExpression<'_>, callee: &str) {
        let start = it.span.start;
        let receiver_is_res = match it.callee.get_inner_expression() {
            Expression::StaticMemberExpression(m) => matches!(
                m.object.get_inner_expression(),
                Expression::Identifier(id) if RES_NAMES.contains(&id.name.as_str())
            ),
            _ => false,
        };
        let method = callee.rsplit('.').next().unwrap_or("");
        let status = if receiver_is_res && method == "status" {
            it.arguments
                .first()
                .and_then(|a| a.as_expression())
                .and_then(numeric)
        } else if receiver_is_res && matches!(method, "end" | "send" | "json") {
            Some(200)
        } else if let Some(s) = status_arg(&it.arguments) {
            s
        } else if matches!(callee, "NextResponse.json" | "Response.json" | "json") {
            Some(200)
        } else {
            None
        };
        if let Some(s) = status {
            self.facts.responses.push((s, start));
        }
    }

    pub(super) fn on_new_expression(&mut self, it: &NewExpression<'_>) {
        let callee = expr_path(&it.callee, 0);
        if matches!(callee.as_str(), "Response" | "NextResponse")
            && let Some(status) = status_arg(&it.arguments).unwrap_or(Some(200))
        {
            self.facts.responses.push((status, it.span.start));
        }
    }

    pub(super) fn on_try_statement(&mut self, it: &TryStatement<'_>) {
        if let Some(handler) = &it.handler {
            self.facts.try_catches.push(TryCatch {
                try_start: it.block.span.start,
                try_end: it.block.span.end,
                catch_start: handler.body.span.start,
                catch_end: handler.body.span.end,
            });
        }
    }

    pub(super) fn on_binary_expression(&mut self, it: &BinaryExpression<'_>) {
        if it.operator.is_equality() {
            self.facts.comparisons.push(Comparison {
                left: expr_path(&it.left, 0),
                right: expr_path(&it.right, 0),
                start: it.span.start,
            });
        }
    }

    /// `doWork(event);` — a call whose promise (if any) nobody awaits.
    pub(super) fn on_expression_statement(&mut self, it: &ExpressionStatement<'_>) {
        let call = match it.expression.get_inner_expression() {
            Expression::CallExpression(c) => Some(c),
            Expression::UnaryExpression(u) if u.operator.is_void() => {
                match u.argument.get_inner_expression() {
                    Expression::CallExpression(c) => Some(c),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(c) = call {
            let callee = expr_path(&c.callee, 0);
            self.facts.unawaited.push(CallFact {
                method: callee.rsplit('.').next().unwrap_or("").to_string(),
                root: callee.split('.').next().unwrap_or("").to_string(),
                callee,
                receiver: None,
                start: c.span.start,
                end: c.span.end,
                args_start: c.callee.span().end,
            });
        }
    }

    pub(super) fn on_object_property(&mut self, it: &ObjectProperty<'_>) {
        if let Some(key) = it.key.static_name() {
            let key = key.to_lowercase();
            if key.contains("dedup") || key.contains("idempot") {
                let span = it.value.span();
                self.facts.dedup_values.push((span.start, span.end));
            }
        }
    }
}
