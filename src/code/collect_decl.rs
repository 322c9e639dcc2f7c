//! The declaration-shaped parts of the visitor: exports (handler parameters, Pages
//! Router `config`), variable bindings (event ids, env destructuring) and assignments.

use oxc_ast::ast::{
    AssignmentExpression, AssignmentTarget, BindingPattern, Declaration, ExportDeclaration,
    ExportDefaultDeclaration, ExportDefaultDeclarationKind, Expression, VariableDeclarator,
};

use super::ast_util::{
    expr_path, first_param, function_first_param, has_body_parser_false, is_process_env, strip,
};
use super::collect::Collector;
use super::facts::EnvRead;

impl Collector {
    pub(super) fn on_export_declaration(&mut self, it: &ExportDeclaration<'_>) {
        match &it.declaration {
            Declaration::FunctionDeclaration(f) => {
                self.facts.handler_params.extend(first_param(&f.params));
                if let Some(id) = &f.id {
                    self.facts.route_handlers.push((id.name.to_string(), None));
                }
            }
            Declaration::TSTypeAliasDeclaration(t) => {
                self.facts.type_exports.push(t.id.name.to_string());
            }
            Declaration::TSInterfaceDeclaration(t) => {
                self.facts.type_exports.push(t.id.name.to_string());
            }
            Declaration::VariableDeclaration(v) => {
                for d in &v.declarations {
                    if let (Some(b), Some(init)) = (d.id.get_binding_identifier(), &d.init) {
                        let wrapper = match strip(init) {
                            Expression::CallExpression(c) => Some(expr_path(&c.callee, 0)),
                            _ => None,
                        };
                        self.facts
                            .route_handlers
                            .push((b.name.to_string(), wrapper));
                    }
                    if let Some(init) = &d.init {
                        self.facts.handler_params.extend(function_first_param(init));
                        if d.id
                            .get_binding_identifier()
                            .is_some_and(|b| b.name == "config")
                            && has_body_parser_false(init)
                        {
                            self.facts.body_parser_exported_inline = true;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    pub(super) fn on_export_default_declaration(&mut self, it: &ExportDefaultDeclaration<'_>) {
        match &it.declaration {
            ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                self.facts.handler_params.extend(first_param(&f.params));
                self.facts
                    .route_handlers
                    .push(("default".to_string(), None));
            }
            ExportDefaultDeclarationKind::Identifier(id) => {
                self.default_export_ident = Some(id.name.to_string());
            }
            other => {
                if let Some(e) = other.as_expression() {
                    self.facts.handler_params.extend(function_first_param(e));
                    let wrapper = match strip(e) {
                        Expression::CallExpression(c) => Some(expr_path(&c.callee, 0)),
                        _ => None,
                    };
                    self.facts
                        .route_handlers
                        .push(("default".to_string(), wrapper));
                }
            }
        }
    }
    pub(super) fn on_variable_declarator(&mut self, it: &VariableDeclarator<'_>) {
        if let Some(init) = &it.init {
            let init_s = strip(init);
            match &it.id {
                BindingPattern::ObjectPattern(pat) => {
                    for p in &pat.properties {
                        let Some(key) = p.key.static_name() else {
                            continue;
                        };
                        if is_process_env(init_s) {
                            self.facts.env_reads.push(EnvRead {
                                name: key.to_string(),
                                start: p.span.start,
                                form: "const { NAME } = process.env",
                            });
                        } else if key == "id"
                            && let (Expression::Identifier(obj), Some(alias)) =
                                (init_s, p.value.get_binding_identifier())
                        {
                            let pair = (alias.name.to_string(), obj.name.to_string());
                            self.facts.id_aliases.push(pair);
                        }
                    }
                }
                BindingPattern::BindingIdentifier(b) => {
                    let name = b.name.to_string();
                    if init_s.is_member_expression() {
                        let path = expr_path(init_s, 0);
                        self.facts.value_bindings.push((name.clone(), path));
                    }
                    match init_s {
                        Expression::StaticMemberExpression(m) if m.property.name == "id" => {
                            if let Expression::Identifier(obj) = m.object.get_inner_expression() {
                                self.facts
                                    .id_aliases
                                    .push((name.clone(), obj.name.to_string()));
                            }
                        }
                        Expression::CallExpression(c) => {
                            let callee = expr_path(&c.callee, 0);
                            let method = callee.rsplit('.').next().unwrap_or("").to_string();
                            self.facts
                                .call_bindings
                                .push((name.clone(), method, c.span.start));
                        }
                        _ => {}
                    }
                    if name == "config" && has_body_parser_false(init) {
                        self.facts.body_parser_false = Some(it.span.start);
                    }
                }
                _ => {}
            }
        }
    }
    pub(super) fn on_assignment_expression(&mut self, it: &AssignmentExpression<'_>) {
        if let (AssignmentTarget::AssignmentTargetIdentifier(id), Expression::CallExpression(c)) =
            (&it.left, strip(&it.right))
        {
            let callee = expr_path(&c.callee, 0);
            let method = callee.rsplit('.').next().unwrap_or("").to_string();
            self.facts
                .call_bindings
                .push((id.name.to_string(), method, c.span.start));
        }
    }
}
