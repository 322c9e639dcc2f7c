//! The Rules language subset launch-ready evaluates: the request fields
//! `http.host`, `http.request.uri.path`, `http.request.uri`, `http.request.full_uri`,
//! `http.request.uri.query`, `http.request.method` and `ssl`; the operators `eq`/`==`,
//! `ne`/`!=`, `contains`, `matches`/`~`, `wildcard`, `strict wildcard` and `in {…}`;
//! `starts_with()`, `ends_with()`, `lower()`, `upper()`; `and`/`&&`, `or`/`||`,
//! `xor`/`^^`, `not`/`!` and parentheses. Anything else evaluates to "cannot tell"
//! (three-valued logic, so a decided part still decides), and a rule whose outcome
//! cannot be told is named by the checks, never silently passed.

mod parse;
#[cfg(test)]
mod tests;

pub use parse::parse;

use super::Request;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Xor(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `lhs op rhs`; `in` keeps its whole set.
    Cmp(Operand, Op, Vec<Operand>),
    /// A boolean on its own: `ssl`, `starts_with(…)`, `cf.client.bot`.
    Bool(Operand),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Contains,
    Matches,
    Wildcard,
    StrictWildcard,
    In,
    /// `lt`, `le`, `gt`, `ge`: numeric fields only, none of them in the subset.
    Order,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Field(String),
    Str(String),
    /// A bare literal: a number, an IP or CIDR, a range, a `$list`.
    Other(String),
    Call(String, Vec<Operand>),
    /// Parsed but outside the subset (named in the reason).
    Unsupported(String),
}

/// Three-valued truth: `Unknown` carries what could not be evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown(String),
}

impl Truth {
    fn of(b: bool) -> Self {
        if b { Truth::True } else { Truth::False }
    }
    fn not(self) -> Self {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            u => u,
        }
    }
}

enum Val {
    Str(String),
    Bool(bool),
    Unknown(String),
}

/// Regexes larger than this are not compiled (Cloudflare caps them too).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl Expr {
    pub fn eval(&self, req: &Request) -> Truth {
        match self {
            Expr::Or(items) => {
                let mut unknown = None;
                for t in items.iter().map(|e| e.eval(req)) {
                    match t {
                        Truth::True => return Truth::True,
                        Truth::Unknown(why) => unknown = unknown.or(Some(why)),
                        Truth::False => {}
                    }
                }
                unknown.map_or(Truth::False, Truth::Unknown)
            }
            Expr::And(items) => {
                let mut unknown = None;
                for t in items.iter().map(|e| e.eval(req)) {
                    match t {
                        Truth::False => return Truth::False,
                        Truth::Unknown(why) => unknown = unknown.or(Some(why)),
                        Truth::True => {}
                    }
                }
                unknown.map_or(Truth::True, Truth::Unknown)
            }
            Expr::Xor(a, b) => match (a.eval(req), b.eval(req)) {
                (Truth::Unknown(why), _) | (_, Truth::Unknown(why)) => Truth::Unknown(why),
                (x, y) => Truth::of(x != y),
            },
            Expr::Not(e) => e.eval(req).not(),
            Expr::Bool(o) => match value(o, req) {
                Val::Bool(b) => Truth::of(b),
                Val::Str(_) => {
                    Truth::Unknown(format!("`{}` is not a boolean", parse::operand_name(o)))
                }
                Val::Unknown(why) => Truth::Unknown(why),
            },
            Expr::Cmp(lhs, op, rhs) => compare(lhs, *op, rhs, req),
        }
    }

    /// Every string literal, for finding example paths a rule is about.
    pub fn literals(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Vec<String>) {
        fn operand(o: &Operand, out: &mut Vec<String>) {
            match o {
                Operand::Str(s) => out.push(s.clone()),
                Operand::Call(_, args) => args.iter().for_each(|a| operand(a, out)),
                _ => {}
            }
        }
        match self {
            Expr::Or(items) | Expr::And(items) => items.iter().for_each(|e| e.collect(out)),
            Expr::Xor(a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Not(e) => e.collect(out),
            Expr::Bool(o) => operand(o, out),
            Expr::Cmp(l, _, r) => {
                operand(l, out);
                r.iter().for_each(|o| operand(o, out));
            }
        }
    }
}

fn value(o: &Operand, req: &Request) -> Val {
    match o {
        Operand::Str(s) => Val::Str(s.clone()),
        Operand::Field(f) => match f.as_str() {
            "http.host" => Val::Str(req.host.clone()),
            "http.request.uri.path" => Val::Str(path_only(&req.path).to_owned()),
            "http.request.uri" => Val::Str(req.path.clone()),
            "http.request.full_uri" => Val::Str(req.full_uri()),
            "http.request.uri.query" => {
                Val::Str(req.path.split_once('?').map_or("", |(_, q)| q).to_owned())
            }
            "http.request.method" => Val::Str(req.method.clone()),
            "ssl" | "true" => Val::Bool(true),
            "false" => Val::Bool(false),
            other => Val::Unknown(format!("field `{other}` is outside the evaluated subset")),
        },
        Operand::Call(name, args) => call(name, args, req),
        Operand::Other(w) => Val::Unknown(format!("literal `{w}` is outside the evaluated subset")),
        Operand::Unsupported(what) => {
            Val::Unknown(format!("`{what}` is outside the evaluated subset"))
        }
    }
}

fn path_only(uri: &str) -> &str {
    uri.split_once('?').map_or(uri, |(p, _)| p)
}

fn call(name: &str, args: &[Operand], req: &Request) -> Val {
    let vals: Vec<Val> = args.iter().map(|a| value(a, req)).collect();
    if let Some(Val::Unknown(why)) = vals.iter().find(|v| matches!(v, Val::Unknown(_))) {
        return Val::Unknown(why.clone());
    }
    let strs: Vec<&str> = vals
        .iter()
        .filter_map(|v| match v {
            Val::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    match (name, strs.as_slice()) {
        ("starts_with", [s, p]) => Val::Bool(s.starts_with(p)),
        ("ends_with", [s, p]) => Val::Bool(s.ends_with(p)),
        ("lower", [s]) => Val::Str(s.to_lowercase()),
        ("upper", [s]) => Val::Str(s.to_uppercase()),
        _ => Val::Unknown(format!(
            "`{name}()` with these arguments is outside the evaluated subset"
        )),
    }
}

fn compare(lhs: &Operand, op: Op, rhs: &[Operand], req: &Request) -> Truth {
    let left = match value(lhs, req) {
        Val::Str(s) => s,
        Val::Bool(_) => return Truth::Unknown("a boolean compared as a string".to_owned()),
        Val::Unknown(why) => return Truth::Unknown(why),
    };
    let mut right = Vec::new();
    for o in rhs {
        match value(o, req) {
            Val::Str(s) => right.push(s),
            Val::Bool(_) => return Truth::Unknown("a boolean in a comparison".to_owned()),
            Val::Unknown(why) => return Truth::Unknown(why),
        }
    }
    let Some(first) = right.first() else {
        return Truth::Unknown("an empty comparison".to_owned());
    };
    match op {
        Op::Eq => Truth::of(&left == first),
        Op::Ne => Truth::of(&left != first),
        Op::Contains => Truth::of(left.contains(first.as_str())),
        Op::In => Truth::of(right.contains(&left)),
        Op::Wildcard => Truth::of(wildcard(&left.to_lowercase(), &first.to_lowercase())),
        Op::StrictWildcard => Truth::of(wildcard(&left, first)),
        Op::Matches => match regex::RegexBuilder::new(first)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(re) => Truth::of(re.is_match(&left)),
            Err(_) => Truth::Unknown(format!("regular expression `{first}` does not compile")),
        },
        Op::Order => Truth::Unknown(
            "an ordering comparison (lt/le/gt/ge) is outside the evaluated subset".to_owned(),
        ),
    }
}

/// Cloudflare's `wildcard`: `*` matches any run of characters (also none), `\*` and
/// `\\` are literal; the pattern must match the whole value.
pub fn wildcard(value: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum P {
        Any,
        Ch(char),
    }
    let mut pat = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => pat.push(P::Ch(chars.next().unwrap_or('\\'))),
            '*' => pat.push(P::Any),
            c => pat.push(P::Ch(c)),
        }
    }
    let v: Vec<char> = value.chars().collect();
    // Greedy matching with backtracking to the last star: linear-ish, no recursion.
    let (mut vi, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while vi < v.len() {
        match pat.get(pi) {
            Some(P::Ch(c)) if *c == v[vi] => {
                vi += 1;
                pi += 1;
            }
            Some(P::Any) => {
                star = Some((pi, vi));
                pi += 1;
            }
            _ => match star {
                Some((sp, sv)) => {
                    pi = sp + 1;
                    vi = sv + 1;
                    star = Some((sp, sv + 1));
                }
                None => return false,
            },
        }
    }
    pat[pi..].iter().all(|p| *p == P::Any)
}
