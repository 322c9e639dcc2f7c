//! A parser for Cloudflare's Rules language (the wirefilter syntax): every
//! expression a rule can hold parses, whether or not its fields and functions are in
//! the subset `eval` understands — what it does not understand stays in the tree as
//! `Unsupported` and evaluates to "cannot tell", so the rest of the expression can
//! still decide (`path eq "/x" and ip.src in {…}` is false on any other path).

use super::{Expr, Op, Operand};

/// Expressions longer than this are not read (a rule's limit is 4 KB).
const MAX_LEN: usize = 16 * 1024;
/// Nesting deeper than this is refused: no input may exhaust the stack.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Str(String),
    Word(String),
    Sym(&'static str),
}

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        if let Some(sym) = ["==", "!=", "<=", ">=", "&&", "||", "^^"]
            .into_iter()
            .find(|s| *s == two)
        {
            out.push(Tok::Sym(sym));
            i += 2;
            continue;
        }
        if let Some(sym) = ["(", ")", "{", "}", "[", "]", ",", "!", "<", ">", "~", "*"]
            .into_iter()
            .find(|s| s.starts_with(c))
        {
            out.push(Tok::Sym(sym));
            i += 1;
            continue;
        }
        if c == '"' {
            let (s, next) = quoted(&chars, i + 1)?;
            out.push(Tok::Str(s));
            i = next;
            continue;
        }
        // Raw strings: r"…" and r#"…"#.
        if c == 'r' && matches!(chars.get(i + 1), Some('"' | '#')) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) == Some(&'"') {
                let start = i + 2 + hashes;
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let rest: String = chars[start..].iter().collect();
                let end = rest.find(&close).ok_or("unterminated raw string")?;
                out.push(Tok::Str(rest[..end].to_owned()));
                i = start + rest[..end].chars().count() + close.chars().count();
                continue;
            }
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | ':' | '/' | '-' | '$'))
        {
            i += 1;
        }
        if i == start {
            return Err(format!("unexpected character `{c}`"));
        }
        out.push(Tok::Word(chars[start..i].iter().collect()));
    }
    Ok(out)
}

fn quoted(chars: &[char], mut i: usize) -> Result<(String, usize), String> {
    let mut s = String::new();
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((s, i + 1)),
            '\\' if i + 1 < chars.len() => {
                s.push(chars[i + 1]);
                i += 2;
            }
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err("unterminated string".to_owned())
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

/// Parse a rule expression.
pub fn parse(text: &str) -> Result<Expr, String> {
    if text.len() > MAX_LEN {
        return Err(format!("expression longer than {MAX_LEN} bytes"));
    }
    let mut p = Parser {
        toks: lex(text)?,
        pos: 0,
        depth: 0,
    };
    if p.toks.is_empty() {
        return Err("empty expression".to_owned());
    }
    let e = p.or()?;
    match p.peek() {
        None => Ok(e),
        Some(t) => Err(format!("unexpected `{}`", show(t))),
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Word(w) => w.clone(),
        Tok::Sym(s) => (*s).to_owned(),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn eat_word(&mut self, words: &[&str]) -> bool {
        match self.peek() {
            Some(Tok::Word(w)) if words.contains(&w.as_str()) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }
    fn eat_sym(&mut self, syms: &[&str]) -> bool {
        match self.peek() {
            Some(Tok::Sym(s)) if syms.contains(s) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }
    fn expect(&mut self, sym: &str) -> Result<(), String> {
        if self.eat_sym(&[sym]) {
            Ok(())
        } else {
            Err(format!(
                "expected `{sym}`, found {}",
                self.peek().map_or("the end".to_owned(), show)
            ))
        }
    }

    fn nest<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nested too deeply".to_owned());
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    // Precedence, loosest first: or, xor, and, not.
    fn or(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.xor()?];
        while self.eat_word(&["or"]) || self.eat_sym(&["||"]) {
            items.push(self.xor()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }
    fn xor(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while self.eat_word(&["xor"]) || self.eat_sym(&["^^"]) {
            e = Expr::Xor(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.not()?];
        while self.eat_word(&["and"]) || self.eat_sym(&["&&"]) {
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }
    fn not(&mut self) -> Result<Expr, String> {
        if self.eat_word(&["not"]) || self.eat_sym(&["!"]) {
            return self.nest(|p| Ok(Expr::Not(Box::new(p.not()?))));
        }
        if self.eat_sym(&["("]) {
            let e = self.nest(|p| p.or())?;
            self.expect(")")?;
            return Ok(e);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let lhs = self.operand()?;
        let op = match self.peek() {
            Some(Tok::Word(w)) => match w.as_str() {
                "eq" => Some(Op::Eq),
                "ne" => Some(Op::Ne),
                "contains" => Some(Op::Contains),
                "matches" => Some(Op::Matches),
                "wildcard" => Some(Op::Wildcard),
                "strict" => Some(Op::StrictWildcard),
                "in" => Some(Op::In),
                "lt" | "le" | "gt" | "ge" => Some(Op::Order),
                _ => None,
            },
            Some(Tok::Sym(s)) => match *s {
                "==" => Some(Op::Eq),
                "!=" => Some(Op::Ne),
                "~" => Some(Op::Matches),
                "<" | "<=" | ">" | ">=" => Some(Op::Order),
                _ => None,
            },
            _ => None,
        };
        let Some(op) = op else {
            return Ok(Expr::Bool(lhs));
        };
        self.pos += 1;
        if op == Op::StrictWildcard && !self.eat_word(&["wildcard"]) {
            return Err("`strict` without `wildcard`".to_owned());
        }
        if op == Op::In {
            if self.eat_sym(&["{"]) {
                let mut set = Vec::new();
                while !self.eat_sym(&["}"]) {
                    match self.next() {
                        Some(Tok::Str(s)) => set.push(Operand::Str(s)),
                        Some(Tok::Word(w)) => set.push(Operand::Other(w)),
                        _ => return Err("unterminated `in { … }` set".to_owned()),
                    }
                }
                return Ok(Expr::Cmp(lhs, op, set));
            }
            // `in $list`: a managed or custom list, not readable here.
            let list = self.operand()?;
            return Ok(Expr::Cmp(lhs, op, vec![list]));
        }
        let rhs = self.operand()?;
        Ok(Expr::Cmp(lhs, op, vec![rhs]))
    }

    fn operand(&mut self) -> Result<Operand, String> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Operand::Str(s)),
            Some(Tok::Word(w)) => {
                if self.eat_sym(&["("]) {
                    return self.nest(|p| p.call(w));
                }
                let mut field = Operand::Field(w);
                // `http.request.headers["x"][0]`: an indexed map or array field.
                while self.eat_sym(&["["]) {
                    let inner = match self.next() {
                        Some(t) => show(&t),
                        None => return Err("unterminated `[`".to_owned()),
                    };
                    self.expect("]")?;
                    field = Operand::Unsupported(format!("{}[{inner}]", operand_name(&field)));
                }
                Ok(field)
            }
            Some(t) => Err(format!("unexpected `{}`", show(&t))),
            None => Err("expression ends too early".to_owned()),
        }
    }

    /// A function call: known functions keep their arguments; any other (`any`,
    /// `len`, `concat`…) is skipped to its closing parenthesis and stays unsupported.
    fn call(&mut self, name: String) -> Result<Operand, String> {
        if matches!(
            name.as_str(),
            "starts_with" | "ends_with" | "lower" | "upper"
        ) {
            let mut args = Vec::new();
            if !self.eat_sym(&[")"]) {
                loop {
                    args.push(self.operand()?);
                    if self.eat_sym(&[")"]) {
                        break;
                    }
                    self.expect(",")?;
                }
            }
            return Ok(Operand::Call(name, args));
        }
        let mut open = 1usize;
        while open > 0 {
            match self.next() {
                Some(Tok::Sym("(")) => open += 1,
                Some(Tok::Sym(")")) => open -= 1,
                Some(_) => {}
                None => return Err(format!("unterminated call of `{name}`")),
            }
        }
        Ok(Operand::Unsupported(format!("{name}()")))
    }
}

pub(super) fn operand_name(o: &Operand) -> String {
    match o {
        Operand::Field(f) | Operand::Other(f) | Operand::Unsupported(f) => f.clone(),
        Operand::Str(s) => format!("\"{s}\""),
        Operand::Call(n, _) => format!("{n}()"),
    }
}
