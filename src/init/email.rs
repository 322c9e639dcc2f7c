//! The `email` section: the sending domain from `from:` addresses in code, with the
//! DKIM selectors of the mail provider the packages show.

use super::Ctx;
use super::yaml::{Section, flow_list, line};

/// (package, provider, selectors; empty = unknown in advance).
const PROVIDERS: &[(&str, &str, &[&str])] = &[
    ("resend", "Resend", &["resend"]),
    ("@sendgrid/mail", "SendGrid", &["s1", "s2"]),
    ("postmark", "Postmark", &[]),
    ("mailgun.js", "Mailgun", &[]),
    ("@aws-sdk/client-ses", "Amazon SES", &[]),
    ("@aws-sdk/client-sesv2", "Amazon SES", &[]),
    ("nodemailer", "SMTP (nodemailer)", &[]),
    ("loops", "Loops", &[]),
];

/// Why a provider's selectors cannot be guessed.
fn unknown_selector_hint(provider: &str) -> &'static str {
    match provider {
        "Postmark" => "Postmark selectors look like 20240101123456pm",
        "Amazon SES" => "SES Easy DKIM selectors are random tokens",
        "Mailgun" => "Mailgun shows the selector (often k1 or mx) in its DNS settings",
        _ => "its selectors are in the provider's DNS settings",
    }
}

pub fn draft(cx: &Ctx) -> Section {
    let mut s = Section::new("email");
    let mut domains: Vec<(&String, usize)> = cx
        .code
        .from_domains
        .iter()
        .map(|(d, seen)| (d, seen.count))
        .collect();
    domains.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    match domains.first() {
        Some((d, n)) => {
            let first = &cx.code.from_domains[*d].first;
            let others: Vec<&str> = domains[1..].iter().map(|(d, _)| d.as_str()).collect();
            let mut why = format!("from: addresses in code ({n}, first in {first})");
            if !others.is_empty() {
                why += &format!("; also sends from {}", others.join(", "));
            }
            s.push(line(1, &format!("domain: {d}"), &why));
        }
        None => match cx.canonical.as_ref().and_then(|c| c.origin.host_str()) {
            Some(host) => {
                let apex = crate::context::apex_of(host);
                s.push(line(
                    1,
                    &format!("domain: {apex}"),
                    "guess: no from: address in code; the canonical host's domain",
                ));
            }
            None => s.push(line(
                1,
                "domain: example.com",
                "TODO: the domain your mail is sent from",
            )),
        },
    }
    let found: Vec<&(&str, &str, &[&str])> = PROVIDERS
        .iter()
        .filter(|(pkg, ..)| cx.repo.has_dep(pkg).is_some())
        .collect();
    let mut selectors: Vec<&str> = found
        .iter()
        .flat_map(|(_, _, sel)| sel.iter().copied())
        .collect();
    let mut why: Vec<String> = found
        .iter()
        .map(|(pkg, name, _)| format!("{name} (package {pkg})"))
        .collect();
    if cx.code.google_smtp {
        selectors.push("google");
        why.push("Google (Gmail SMTP in code)".into());
    }
    selectors.sort();
    selectors.dedup();
    s.push(line(
        1,
        "sends_mail: true",
        if found.is_empty() && cx.code.from_domains.is_empty() {
            "TODO: false if this domain sends no mail (then SPF -all and DMARC reject are expected)"
        } else {
            ""
        },
    ));
    let unknown: Vec<String> = found
        .iter()
        .filter(|(_, _, sel)| sel.is_empty())
        .map(|(_, name, _)| format!("{name}: {}", unknown_selector_hint(name)))
        .collect();
    if selectors.is_empty() {
        let hint = if unknown.is_empty() {
            "TODO: your mail provider's DKIM selectors (resend, s1/s2 for SendGrid, google for Google Workspace)".to_owned()
        } else {
            format!("TODO: {}", unknown.join("; "))
        };
        s.push(line(1, "dkim_selectors: [TODO]", &hint));
    } else {
        let mut note = format!("mail provider: {}", why.join(", "));
        if !unknown.is_empty() {
            note += &format!("; TODO: add {}", unknown.join("; "));
        }
        s.push(line(
            1,
            &format!("dkim_selectors: {}", flow_list(&selectors)),
            &note,
        ));
    }
    s.push(line(1, "dmarc_min_policy: quarantine", ""));
    s
}
