//! The AST visitor that fills [`Facts`]. Only syntax is looked at: comments and the
//! contents of string literals never count as calls, which is the point of parsing.

use oxc_ast::ast::{
    AssignmentExpression, AwaitExpression, BinaryExpression, CallExpression,
    ComputedMemberExpression, ExportAllDeclaration, ExportDeclaration, ExportDefaultDeclaration,
    ExportFromDeclaration, ExportNamedDeclaration, Expression, ExpressionStatement, ForOfStatement,
    IdentifierReference, ImportDeclaration, ImportDeclarationSpecifier, ImportExpression,
    JSXElement, ModuleExportName, NewExpression, ObjectProperty, Program, ReturnStatement,
    Statement, StaticMemberExpression, StringLiteral, TaggedTemplateExpression, TemplateElement,
    ThrowStatement, TryStatement, VariableDeclarator,
};
use oxc_ast_visit::{Visit, walk};

use super::ast_util::{expr_path, first_param, is_process_env};
use super::facts::{CallFact, EnvRead, Facts, ImportFact, MemberFact};

/// Longest string literal kept (header names and table names are short).
const MAX_STRING: usize = 200;
/// The visitor is recursive: deeper expression/statement/JSX nesting than this is
/// refused rather than risking the stack (real code nests a few dozen levels).
pub const MAX_AST_DEPTH: usize = 1_500;

/// Collect the facts of a parsed program; `Err` when nesting exceeds [`MAX_AST_DEPTH`].
pub fn collect(program: &Program<'_>) -> Result<Facts, String> {
    let mut c = Collector::default();
    c.visit_program(program);
    if c.too_deep {
        return Err(format!(
            "nesting deeper than {MAX_AST_DEPTH} levels, not analysed"
        ));
    }
    c.resolve_default_export();
    Ok(c.facts)
}

#[derive(Default)]
pub(super) struct Collector {
    pub(super) facts: Facts,
    /// First parameter of each top-level-named function: (function name, param name).
    pub(super) fn_first_params: Vec<(String, String)>,
    pub(super) default_export_ident: Option<String>,
    pub(super) depth: usize,
    pub(super) too_deep: bool,
}

impl Collector {
    /// Enter one nesting level; `false` (and the `too_deep` flag) past the limit.
    fn descend(&mut self) -> bool {
        if self.depth >= MAX_AST_DEPTH {
            self.too_deep = true;
            return false;
        }
        self.depth += 1;
        true
    }
    fn resolve_default_export(&mut self) {
        if let Some(name) = &self.default_export_ident {
            for (f, p) in &self.fn_first_params {
                if f == name {
                    self.facts.handler_params.push(p.clone());
                }
            }
        }
    }

    fn push_import(
        &mut self,
        source: &str,
        type_only: bool,
        start: u32,
    ) -> Option<&mut ImportFact> {
        self.facts.imports.push(ImportFact {
            source: source.to_string(),
            type_only,
            start,
            names: Vec::new(),
            reexport: false,
        });
        self.facts.imports.last_mut()
    }
}

impl<'a> Visit<'a> for Collector {
    fn visit_expression(&mut self, it: &Expression<'a>) {
        if self.descend() {
            walk::walk_expression(self, it);
            self.depth -= 1;
        }
    }

    fn visit_statement(&mut self, it: &Statement<'a>) {
        if self.descend() {
            walk::walk_statement(self, it);
            self.depth -= 1;
        }
    }

    fn visit_jsx_element(&mut self, it: &JSXElement<'a>) {
        if self.descend() {
            walk::walk_jsx_element(self, it);
            self.depth -= 1;
        }
    }

    fn visit_program(&mut self, it: &Program<'a>) {
        for d in &it.directives {
            self.facts.directives.push(d.expression.value.to_string());
        }
        for stmt in &it.body {
            if let Statement::FunctionDeclaration(f) = stmt
                && let (Some(id), Some(p)) = (&f.id, first_param(&f.params))
            {
                self.fn_first_params.push((id.name.to_string(), p));
            }
        }
        walk::walk_program(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let callee = expr_path(&it.callee, 0);
        let method = callee.rsplit('.').next().unwrap_or("").to_string();
        let root = callee.split('.').next().unwrap_or("").to_string();
        let receiver = match it.callee.get_inner_expression() {
            Expression::StaticMemberExpression(m) => match m.object.get_inner_expression() {
                Expression::Identifier(id) => Some(id.name.to_string()),
                _ => None,
            },
            _ => None,
        };
        if it.callee.is_specific_id("require")
            && let Some(oxc_ast::ast::Argument::StringLiteral(s)) = it.arguments.first()
        {
            self.push_import(s.value.as_str(), false, it.span.start);
        }
        self.on_call_response(it, &callee);
        self.facts.calls.push(CallFact {
            callee,
            method,
            root,
            receiver,
            start: it.span.start,
            end: it.span.end,
            args_start: oxc_span::GetSpan::span(&it.callee).end,
        });
        walk::walk_call_expression(self, it);
    }

    /// A tagged template (`sql\`… ${event.id}\``) is a call too.
    fn visit_tagged_template_expression(&mut self, it: &TaggedTemplateExpression<'a>) {
        let callee = expr_path(&it.tag, 0);
        self.facts.calls.push(CallFact {
            method: callee.rsplit('.').next().unwrap_or("").to_string(),
            root: callee.split('.').next().unwrap_or("").to_string(),
            callee,
            receiver: None,
            start: it.span.start,
            end: it.span.end,
            args_start: it.quasi.span.start,
        });
        walk::walk_tagged_template_expression(self, it);
    }

    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        if let Expression::StringLiteral(s) = it.source.get_inner_expression() {
            self.push_import(s.value.as_str(), false, it.span.start);
        }
        walk::walk_import_expression(self, it);
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        // `import { type A, type B }` is erased like `import type { A, B }`.
        let is_type = |s: &ImportDeclarationSpecifier<'_>| matches!(s, ImportDeclarationSpecifier::ImportSpecifier(s) if s.import_kind.is_type());
        let specifiers: Vec<&ImportDeclarationSpecifier<'_>> =
            it.specifiers.iter().flatten().collect();
        let names: Vec<String> = specifiers
            .iter()
            .filter(|s| !is_type(s))
            .map(|s| s.local().name.to_string())
            .collect();
        let all_types = !specifiers.is_empty() && specifiers.iter().all(|s| is_type(s));
        let (source, type_only) = (
            it.source.value.as_str(),
            it.import_kind.is_type() || all_types,
        );
        if let Some(import) = self.push_import(source, type_only, it.span.start) {
            import.names = names;
        }
        walk::walk_import_declaration(self, it);
    }

    fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
        let names: Vec<String> = it
            .specifiers
            .iter()
            .map(|s| s.exported.name().to_string())
            .collect();
        if let Some(import) = self.push_import(
            it.source.value.as_str(),
            it.export_kind.is_type(),
            it.span.start,
        ) {
            import.reexport = true;
            import.names = names;
        }
        walk::walk_export_from_declaration(self, it);
    }

    fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
        if let Some(import) = self.push_import(
            it.source.value.as_str(),
            it.export_kind.is_type(),
            it.span.start,
        ) {
            import.reexport = true;
        }
        walk::walk_export_all_declaration(self, it);
    }

    fn visit_export_named_declaration(&mut self, it: &ExportNamedDeclaration<'a>) {
        for s in &it.specifiers {
            if let ModuleExportName::IdentifierReference(r) = &s.local {
                self.facts.exported_names.push(r.name.to_string());
            }
        }
        walk::walk_export_named_declaration(self, it);
    }

    fn visit_static_member_expression(&mut self, it: &StaticMemberExpression<'a>) {
        if is_process_env(&it.object) {
            let name = it.property.name.to_string();
            let start = it.span.start;
            self.facts.env_reads.push(EnvRead {
                name,
                start,
                form: "process.env.NAME",
            });
        } else if let Expression::Identifier(obj) = it.object.get_inner_expression() {
            self.facts.members.push(MemberFact {
                object: obj.name.to_string(),
                property: it.property.name.to_string(),
                start: it.span.start,
            });
        }
        walk::walk_static_member_expression(self, it);
    }

    fn visit_computed_member_expression(&mut self, it: &ComputedMemberExpression<'a>) {
        if let Some(name) = it.static_property_name() {
            if is_process_env(&it.object) {
                let (name, start) = (name.to_string(), it.span.start);
                self.facts.env_reads.push(EnvRead {
                    name,
                    start,
                    form: "process.env[\"NAME\"]",
                });
            } else if let Expression::Identifier(obj) = it.object.get_inner_expression() {
                self.facts.members.push(MemberFact {
                    object: obj.name.to_string(),
                    property: name.to_string(),
                    start: it.span.start,
                });
            }
        }
        walk::walk_computed_member_expression(self, it);
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        if it.r#await
            && let Expression::Identifier(id) = it.right.get_inner_expression()
        {
            self.facts.for_await_over.push(id.name.to_string());
        }
        walk::walk_for_of_statement(self, it);
    }

    fn visit_export_declaration(&mut self, it: &ExportDeclaration<'a>) {
        self.on_export_declaration(it);
        walk::walk_export_declaration(self, it);
    }

    fn visit_export_default_declaration(&mut self, it: &ExportDefaultDeclaration<'a>) {
        self.on_export_default_declaration(it);
        walk::walk_export_default_declaration(self, it);
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        self.on_variable_declarator(it);
        walk::walk_variable_declarator(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        self.on_assignment_expression(it);
        walk::walk_assignment_expression(self, it);
    }

    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        if it.value.len() <= MAX_STRING {
            self.facts.strings.push(it.value.to_lowercase());
        }
    }

    fn visit_template_element(&mut self, it: &TemplateElement<'a>) {
        if it.value.raw.len() <= MAX_STRING {
            self.facts.strings.push(it.value.raw.to_lowercase());
        }
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        self.on_new_expression(it);
        walk::walk_new_expression(self, it);
    }

    fn visit_try_statement(&mut self, it: &TryStatement<'a>) {
        self.on_try_statement(it);
        walk::walk_try_statement(self, it);
    }

    fn visit_binary_expression(&mut self, it: &BinaryExpression<'a>) {
        self.on_binary_expression(it);
        walk::walk_binary_expression(self, it);
    }

    fn visit_expression_statement(&mut self, it: &ExpressionStatement<'a>) {
        self.on_expression_statement(it);
        walk::walk_expression_statement(self, it);
    }

    fn visit_object_property(&mut self, it: &ObjectProperty<'a>) {
        self.on_object_property(it);
        walk::walk_object_property(self, it);
    }

    fn visit_await_expression(&mut self, it: &AwaitExpression<'a>) {
        self.facts.awaits.push(it.span.start);
        walk::walk_await_expression(self, it);
    }

    fn visit_return_statement(&mut self, it: &ReturnStatement<'a>) {
        self.facts.returns.push(it.span.start);
        walk::walk_return_statement(self, it);
    }

    fn visit_throw_statement(&mut self, it: &ThrowStatement<'a>) {
        self.facts.throws.push(it.span.start);
        walk::walk_throw_statement(self, it);
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        self.facts.idents.push((it.name.to_string(), it.span.start));
    }
}
