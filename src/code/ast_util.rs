//! Small read-only helpers over oxc AST nodes.

use oxc_ast::ast::{Expression, FormalParameters, ObjectPropertyKind};

/// Member chains longer than this render with a `?` (bounded recursion).
const MAX_PATH_DEPTH: usize = 32;

/// Render `a.b.c`, `a.b()`, `new X` … as a dotted path; `?` for anything else.
pub fn expr_path(expr: &Expression<'_>, depth: usize) -> String {
    if depth > MAX_PATH_DEPTH {
        return "?".to_string();
    }
    match expr.get_inner_expression() {
        Expression::Identifier(id) => id.name.to_string(),
        Expression::ThisExpression(_) => "this".to_string(),
        Expression::StaticMemberExpression(m) => {
            format!("{}.{}", expr_path(&m.object, depth + 1), m.property.name)
        }
        Expression::ComputedMemberExpression(m) => match m.static_property_name() {
            Some(name) => format!("{}.{}", expr_path(&m.object, depth + 1), name),
            None => format!("{}.?", expr_path(&m.object, depth + 1)),
        },
        Expression::CallExpression(c) => format!("{}()", expr_path(&c.callee, depth + 1)),
        Expression::NewExpression(n) => format!("new {}", expr_path(&n.callee, depth + 1)),
        Expression::AwaitExpression(a) => expr_path(&a.argument, depth + 1),
        Expression::ChainExpression(c) => match c.expression.as_member_expression() {
            Some(m) => format!(
                "{}.{}",
                expr_path(m.object(), depth + 1),
                m.static_property_name().unwrap_or("?")
            ),
            None => "?".to_string(),
        },
        _ => "?".to_string(),
    }
}

/// Strip parentheses, TS assertions and `await`.
pub fn strip<'b, 'a>(expr: &'b Expression<'a>) -> &'b Expression<'a> {
    let mut e = expr.get_inner_expression();
    while let Expression::AwaitExpression(a) = e {
        e = a.argument.get_inner_expression();
    }
    e
}

pub fn is_process_env(expr: &Expression<'_>) -> bool {
    expr.is_specific_member_access("process", "env")
}

pub fn first_param(params: &FormalParameters<'_>) -> Option<String> {
    params
        .items
        .first()
        .and_then(|p| p.pattern.get_binding_identifier())
        .map(|b| b.name.to_string())
}

pub fn function_first_param(expr: &Expression<'_>) -> Option<String> {
    match expr.get_inner_expression() {
        Expression::ArrowFunctionExpression(f) => first_param(&f.params),
        Expression::FunctionExpression(f) => first_param(&f.params),
        _ => None,
    }
}

/// `{ api: { bodyParser: false } }`
pub fn has_body_parser_false(expr: &Expression<'_>) -> bool {
    let Expression::ObjectExpression(obj) = expr.get_inner_expression() else {
        return false;
    };
    obj.properties.iter().any(|p| match p {
        ObjectPropertyKind::ObjectProperty(p) if p.key.static_name().as_deref() == Some("api") => {
            let Expression::ObjectExpression(api) = p.value.get_inner_expression() else {
                return false;
            };
            api.properties.iter().any(|q| match q {
                ObjectPropertyKind::ObjectProperty(q) => {
                    q.key.static_name().as_deref() == Some("bodyParser")
                        && matches!(q.value.get_inner_expression(),
                            Expression::BooleanLiteral(b) if !b.value)
                }
                ObjectPropertyKind::SpreadProperty(_) => false,
            })
        }
        _ => false,
    })
}
