//! Text extractors over one source file: env reads, mail senders, declared origins.
//! Text, not a parse (see `scan`): each one is small and tested on its own.

pub fn is_client(text: &str) -> bool {
    let head: String = text.chars().take(200).collect();
    head.contains("\"use client\"") || head.contains("'use client'")
}

/// The file sends mail (a provider SDK or a send call), so its `from:` is a sender.
pub fn sends_mail(text: &str) -> bool {
    [
        "sendMail(",
        "emails.send(",
        "sendEmail(",
        "resend",
        "nodemailer",
        "postmark",
        "@sendgrid",
        "mailgun",
        "client-ses",
        ".send(",
    ]
    .iter()
    .any(|k| text.contains(k))
}

fn is_var_name(s: &str) -> bool {
    s.len() >= 2
        && s.as_bytes()[0].is_ascii_uppercase()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

fn ident_at(text: &str, at: usize) -> &str {
    let end = text[at..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(text.len(), |e| at + e);
    &text[at..end]
}

/// `process.env.NAME`, `process.env["NAME"]`, `env.NAME` (t3 env objects) and
/// `const { A, B } = process.env`.
pub fn env_reads(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("env.") {
        let before = text[..at].chars().next_back();
        let ok_before = text[..at].ends_with("process.")
            || before
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$'));
        let name = ident_at(text, at + 4);
        if ok_before && is_var_name(name) {
            out.push(name.to_owned());
        }
    }
    for (at, _) in text.match_indices("process.env[") {
        let rest = &text[at + 12..];
        let q = rest.chars().next();
        if let Some(q @ ('"' | '\'' | '`')) = q {
            let name: String = rest[1..].chars().take_while(|c| *c != q).collect();
            if is_var_name(&name) {
                out.push(name);
            }
        }
    }
    for (at, _) in text.match_indices("} = process.env") {
        if let Some(open) = text[..at].rfind('{') {
            for part in text[open + 1..at].split(',') {
                let name = part.split(':').next().unwrap_or("").trim();
                let name = name.split('=').next().unwrap_or("").trim();
                if is_var_name(name) {
                    out.push(name.to_owned());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Domains of `from: "Name <user@domain>"` (any quote style).
pub fn from_domains(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("from:") {
        let rest = text[at + 5..].trim_start();
        let Some(q @ ('"' | '\'' | '`')) = rest.chars().next() else {
            continue;
        };
        let value: String = rest[1..]
            .chars()
            .take_while(|c| *c != q)
            .take(200)
            .collect();
        let Some((_, domain)) = value.rsplit_once('@') else {
            continue;
        };
        let domain: String = domain
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
            .collect::<String>()
            .to_ascii_lowercase();
        let domain = domain.trim_end_matches('.').to_owned();
        if domain.contains('.') && super::web::real_host(&domain) {
            out.push(domain);
        }
    }
    out
}

/// The `https://…` literal given to each `key`: the text up to the end of that value
/// (`,`, `)`, `;` or a line end after the literal), at most `window` bytes — never a
/// URL in the comment on the next line.
pub fn literal_origins_after(text: &str, key: &str, window: usize) -> Vec<url::Url> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(key) {
        let start = at + key.len();
        let end = (start + window).min(text.len());
        let Some(region) = text.get(start..end) else {
            continue;
        };
        let stop = region.find([',', ')', ';', '\n']).unwrap_or(region.len());
        if let Some(u) = region.get(..stop).and_then(first_https) {
            out.push(u);
        }
    }
    out
}

/// The first `https://host` in a text, as an origin, when its host is a real one.
pub fn first_https(text: &str) -> Option<url::Url> {
    for (at, _) in text.match_indices("https://") {
        let s: String = text[at..]
            .chars()
            .take_while(|c| {
                !matches!(
                    c,
                    '"' | '\'' | '`' | ' ' | ')' | '\n' | '$' | '{' | '}' | ','
                )
            })
            .collect();
        // A docs site is a site of its own, not the app's origin.
        if let Ok(u) = url::Url::parse(&s)
            && u.host_str()
                .is_some_and(|h| super::web::real_host(h) && !h.starts_with("docs."))
        {
            return url::Url::parse(&u.origin().ascii_serialization()).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::scan::not_product_code;

    #[test]
    fn env_read_forms() {
        let text = r#"
            const a = process.env.STRIPE_SECRET_KEY;
            const b = process.env["RESEND_API_KEY"];
            const { DATABASE_URL, REDIS_URL: r } = process.env;
            new URL(env.NEXT_PUBLIC_APP_URL);
            foo.env.NOT_THIS; x.prenv.NOPE; process.env.lower;
        "#;
        assert_eq!(
            env_reads(text),
            [
                "DATABASE_URL",
                "NEXT_PUBLIC_APP_URL",
                "REDIS_URL",
                "RESEND_API_KEY",
                "STRIPE_SECRET_KEY"
            ]
        );
    }

    #[test]
    fn from_addresses_and_origins() {
        let text = "send({ from: \"Acme <hello@mail.acme.app>\", to })\nsend({ from: `${n} <x@acme.app>` })\nfrom: 'a@example.com'";
        assert_eq!(from_domains(text), ["mail.acme.app", "acme.app"]);
        let t = "export const metadata = { metadataBase: new URL(\"https://www.acme.app/\"), }";
        let o = literal_origins_after(t, "metadataBase", 120);
        assert_eq!(o[0].as_str(), "https://www.acme.app/");
        assert!(first_https("\"https://localhost:3000\"").is_none());
    }

    #[test]
    fn tests_and_scripts_are_not_product_code() {
        assert!(not_product_code("apps/web/tests/a.ts"));
        assert!(not_product_code("lib/a.test.ts"));
        assert!(!not_product_code("apps/web/lib/stripe.ts"));
    }
}
