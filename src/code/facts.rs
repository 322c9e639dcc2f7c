//! What the analyses need to know about one source file, extracted from the AST once.
//!
//! Everything here is owned (no arena lifetimes), so the AST and its allocator are
//! dropped as soon as a file has been read.

use std::path::Path;

use oxc_allocator::Allocator;
use oxc_parser::{ParseOptions, Parser};
use oxc_span::SourceType;

/// A call expression, e.g. `stripe.webhooks.constructEvent(body, sig, secret)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFact {
    /// The callee rendered as a dotted path (`stripe.webhooks.constructEvent`);
    /// parts that are not names render as `?`, calls as `name()`.
    pub callee: String,
    /// Last segment of the callee (`constructEvent`).
    pub method: String,
    /// First segment of the callee (`stripe`), the receiver's root.
    pub root: String,
    /// Receiver of a method call when it is a plain identifier (`req` in `req.json()`).
    pub receiver: Option<String>,
    pub start: u32,
    pub end: u32,
    /// Where the arguments begin (end of the callee).
    pub args_start: u32,
}

/// `obj.prop` where `obj` is a plain identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFact {
    pub object: String,
    pub property: String,
    pub start: u32,
}

/// A read of `process.env.NAME`, `process.env["NAME"]` or `const { NAME } = process.env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRead {
    pub name: String,
    pub start: u32,
    pub form: &'static str,
}

/// A module reference: `import`, `export … from`, `import()` or `require()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFact {
    pub source: String,
    /// `import type …` / `export type … from` (erased at compile time).
    pub type_only: bool,
    pub start: u32,
    /// Local names bound by an `import` declaration (`a`, `b` in `import a, { b } from`).
    pub names: Vec<String>,
    /// `export … from` / `export * from`: the module re-exports what it imports.
    pub reexport: bool,
}

/// An equality comparison `a === b` (or `!==`, `==`, `!=`): operands rendered as paths
/// (`?` for anything that is not a name or member chain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub left: String,
    pub right: String,
    pub start: u32,
}

/// A `try { … } catch { … }` statement, as spans; what happens inside is read from the
/// offset lists of [`Facts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryCatch {
    pub try_start: u32,
    pub try_end: u32,
    pub catch_start: u32,
    pub catch_end: u32,
}

/// Facts about one parsed file.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Top-level directive prologue (`use client`, `use server`, `use strict`).
    pub directives: Vec<String>,
    pub calls: Vec<CallFact>,
    pub members: Vec<MemberFact>,
    pub env_reads: Vec<EnvRead>,
    pub imports: Vec<ImportFact>,
    /// String literal and template text values (short ones only), lower-cased.
    pub strings: Vec<String>,
    /// Names of identifier references, with their offsets.
    pub idents: Vec<(String, u32)>,
    /// First parameter names of exported functions (`POST(req)`, `handler(req, res)`).
    pub handler_params: Vec<String>,
    /// Offset of a `config` object literal with `api.bodyParser: false`.
    pub body_parser_false: Option<u32>,
    /// Whether that `config` is exported inline (`export const config = …`).
    pub body_parser_exported_inline: bool,
    /// Names exported with `export { a, b }`.
    pub exported_names: Vec<String>,
    /// Bindings assigned the result of a call: (binding, callee method, offset).
    pub call_bindings: Vec<(String, String, u32)>,
    /// `const alias = obj.id` / `const { id: alias } = obj`: (alias, obj).
    pub id_aliases: Vec<(String, String)>,
    /// Identifiers iterated with `for await (… of x)` (raw body streaming).
    pub for_await_over: Vec<String>,
    /// Equality comparisons (a signature compared with `===` is not constant-time).
    pub comparisons: Vec<Comparison>,
    /// `const x = a.b.c`: (binding, rendered member path), e.g. env aliases.
    pub value_bindings: Vec<(String, String)>,
    /// `try`/`catch` statements.
    pub try_catches: Vec<TryCatch>,
    /// Offsets of `await`, `return` and `throw`.
    pub awaits: Vec<u32>,
    pub returns: Vec<u32>,
    pub throws: Vec<u32>,
    /// HTTP responses built or sent: (status, offset). `new Response(…)`,
    /// `NextResponse.json(…)`, any call given `{ status: N }`, `res.status(N)`, `res.end()`.
    pub responses: Vec<(u16, u32)>,
    /// Calls whose promise is dropped: a bare expression statement `f(x);`.
    pub unawaited: Vec<CallFact>,
    /// Spans of values given to properties named like a dedup/idempotency key.
    pub dedup_values: Vec<(u32, u32)>,
    /// Exported route handlers: (export name, wrapper callee when `withX(handler)`).
    pub route_handlers: Vec<(String, Option<String>)>,
    /// Names exported as types only (`export type X`, `export interface X`).
    pub type_exports: Vec<String>,
    line_starts: Vec<u32>,
}

impl Facts {
    /// 1-based line number of a byte offset.
    pub fn line(&self, offset: u32) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }

    pub fn has_directive(&self, name: &str) -> bool {
        self.directives.iter().any(|d| d == name)
    }
}

pub(super) fn line_starts(source: &str) -> Vec<u32> {
    let mut starts = vec![0u32];
    for (i, b) in source.bytes().enumerate() {
        if b == b'\n' {
            starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    starts
}

/// Parser source type from the file name; unknown extensions parse as TSX (the most
/// permissive dialect Next.js accepts).
pub(super) fn source_type(path: &Path) -> SourceType {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "ts" | "mts" | "cts" => SourceType::ts(),
        "js" | "mjs" | "cjs" | "jsx" => SourceType::jsx().with_module(true),
        _ => SourceType::tsx(),
    }
}

/// The parser recurses once per bracket level (several KiB of stack each in a debug
/// build); deeper nesting than this is refused before parsing.
pub const MAX_BRACKET_DEPTH: usize = 1_000;

/// Maximum nesting of `(`, `[`, `{` — a lexical over-estimate (brackets inside strings
/// and comments count too), which only ever refuses more, never less.
pub(super) fn bracket_depth(source: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in source.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Parse `source` and collect [`Facts`]. `Err` carries the parse error message(s).
///
/// Parsing runs on its own thread with a large stack: the parser and the visitor are
/// recursive, and a hostile file of deeply nested brackets must not overflow the
/// caller's stack; a panic inside the parser is also caught there and reported.
pub fn parse_source(path: &Path, source: String) -> Result<Facts, String> {
    let depth = bracket_depth(&source);
    if depth > MAX_BRACKET_DEPTH {
        return Err(format!(
            "brackets nested {depth} deep (limit {MAX_BRACKET_DEPTH}), not analysed"
        ));
    }
    let source_type = source_type(path);
    let worker = std::thread::Builder::new()
        .name("code-parse".into())
        .stack_size(256 * 1024 * 1024)
        .spawn(move || parse_on_this_thread(&source, source_type));
    match worker {
        Ok(handle) => match handle.join() {
            Ok(result) => result,
            Err(_) => Err("the parser crashed on this file".to_string()),
        },
        Err(e) => Err(format!("could not start the parser thread: {e}")),
    }
}

fn parse_on_this_thread(source: &str, source_type: SourceType) -> Result<Facts, String> {
    let allocator = Allocator::default();
    let ret = Parser::new(&allocator, source, source_type)
        .with_options(ParseOptions::default())
        .parse();
    if ret.panicked || ret.diagnostics.has_errors() {
        let starts = line_starts(source);
        let messages: Vec<String> = ret
            .diagnostics
            .errors()
            .take(3)
            .map(|d| {
                let at = d
                    .labels
                    .first()
                    .map(|l| {
                        let off = l.offset();
                        format!(" (line {})", starts.partition_point(|&s| s <= off).max(1))
                    })
                    .unwrap_or_default();
                format!("{}{at}", d.message)
            })
            .collect();
        let msg = if messages.is_empty() {
            "syntax error".to_string()
        } else {
            messages.join("; ")
        };
        return Err(msg);
    }
    let mut facts = super::collect::collect(&ret.program)?;
    facts.line_starts = line_starts(source);
    Ok(facts)
}
