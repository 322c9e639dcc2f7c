//! The fuzz targets: one entry each. Adding a parser is one line in `TARGETS` (its
//! seeds may reuse `lines_with` or `files_under` on a fixture).

use super::Target;

/// Name, seeds, dictionary, what must never panic.
pub static TARGETS: &[Target] = &[
    t("manifest", manifest_seeds, MANIFEST_WORDS, |b| {
        ignore(crate::manifest::parse_str(&text(b), "fuzz.yaml"))
    }),
    t("spf-record", spf_seeds, SPF_WORDS, |b| {
        ignore(crate::email::spf::parse_record(b))
    }),
    t("spf-macro", spf_seeds, SPF_WORDS, |b| {
        ignore(crate::email::spf::MacroString::parse(&text(b), true))
    }),
    t("dmarc", dmarc_seeds, DMARC_WORDS, |b| {
        ignore(crate::email::dmarc::parse_record(&text(b)))
    }),
    t("dkim", dkim_seeds, DKIM_WORDS, |b| {
        ignore(crate::email::dkim::check_key_record(&text(b)))
    }),
    t("caa", caa_seeds, CAA_WORDS, caa),
    t(
        "stripe-signature",
        signature_seeds,
        SIGNATURE_WORDS,
        stripe_signature,
    ),
    t(
        "stripe-key",
        key_seeds,
        &["sk_live_", "rk_test_", "pk_", "_"],
        |b| ignore(crate::stripe::keys::parse_key(&text(b))),
    ),
    t("hsts", hsts_seeds, HSTS_WORDS, hsts),
    t("csp", csp_seeds, CSP_WORDS, csp),
    t("cookies", cookie_seeds, COOKIE_WORDS, cookies),
    t("referrer-policy", referrer_seeds, REFERRER_WORDS, referrer),
    t("html-head", html_seeds, HTML_WORDS, html),
    t(
        "cors-xfo-nosniff",
        cors_seeds,
        &["*", "null", "true", "DENY", "nosniff", ","],
        cors_xfo_nosniff,
    ),
    t("secrets-scan", secrets_seeds, SECRET_WORDS, |b| {
        ignore(crate::secrets::scan_text(&text(b), &[]))
    }),
    t("dotenv", dotenv_seeds, DOTENV_WORDS, dotenv),
    t("code-scanner", code_seeds, CODE_WORDS, code_scanner),
    t(
        "report-json",
        report_seeds,
        &["\"results\"", "null", "[]", "{}", "\"status\"", "1e999"],
        |b| ignore(crate::render::json::parse(&text(b))),
    ),
    t(
        "legacy-tls-answer",
        tls_seeds,
        &["\u{16}\u{3}\u{1}", "\u{15}\u{3}\u{3}\u{0}\u{2}"],
        |b| ignore(crate::net::legacy_tls::parse_answer(b)),
    ),
    t(
        "cloudflare-expression",
        cloudflare_seeds,
        CLOUDFLARE_WORDS,
        cloudflare_expression,
    ),
    t(
        "connect-to",
        connect_seeds,
        &[":", "[::1]", "127.0.0.1", ":65536"],
        |b| ignore(crate::net::parse_connect_to(&text(b))),
    ),
    t(
        "monitor-listings",
        monitor_seeds,
        &[
            "\"stat\"",
            "\"fail\"",
            "\"data\"",
            "\"attributes\"",
            "null",
            "-1",
            "1e999",
        ],
        monitor_listings,
    ),
];

fn monitor_seeds() -> Vec<Vec<u8>> {
    strings(&[
        r#"{"data":[{"id":"1","type":"monitor","attributes":{"url":"https://www.acme.app","monitor_type":"status","status":"up","check_frequency":60,"policy_id":4,"expected_status_codes":[405]}}],"pagination":{"next":null}}"#,
        r#"{"stat":"ok","pagination":{"offset":0,"limit":50,"total":1},"monitors":[{"id":7,"friendly_name":"a","url":"www.acme.app","type":3,"status":9,"interval":"60","alert_contacts":[{}]}]}"#,
        r#"{"stat":"fail","error":{"type":"invalid_parameter","parameter_name":"api_key"}}"#,
    ])
}

/// Hostile provider answers read into monitors, and their URLs compared.
fn monitor_listings(bytes: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        ignore(crate::monitoring::normalise_url(&text(bytes)));
        return;
    };
    let mut out = Vec::new();
    ignore(crate::net::uptimerobot::read_page(&value, &mut out));
    for item in value
        .get("data")
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
    {
        if let Ok(m) = crate::net::betterstack::read_monitor(item) {
            out.push(m);
        }
    }
    for m in &out {
        ignore(m.host());
        ignore(crate::monitoring::same_url(
            m.url.as_deref().unwrap_or(""),
            "https://www.acme.app/",
        ));
    }
}

const fn t(
    name: &'static str,
    seeds: fn() -> Vec<Vec<u8>>,
    dictionary: &'static [&'static str],
    run: fn(&[u8]),
) -> Target {
    Target {
        name,
        seeds,
        dictionary,
        run,
    }
}

/// What a target returns does not matter; only that it returns.
fn ignore<T>(_result: T) {}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixture(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    std::fs::read_to_string(full).unwrap_or_default()
}

/// Lines of a fixture containing `needle`, from the needle on, unquoted.
fn lines_with(path: &str, needle: &str) -> Vec<Vec<u8>> {
    fixture(path)
        .lines()
        .filter_map(|l| l.find(needle).map(|i| &l[i..]))
        .map(|l| {
            l.trim_end_matches([',', '"', '\''])
                .replace("\\\"", "\"")
                .into_bytes()
        })
        .collect()
}

/// Every file under a fixture folder with one of `exts`.
fn files_under(dir: &str, exts: &[&str]) -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir);
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| exts.iter().any(|w| x == *w))
        })
        .filter_map(|e| std::fs::read(e.path()).ok())
        .collect()
}

fn strings(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|s| s.as_bytes().to_vec()).collect()
}

const MANIFEST_WORDS: &[&str] = &[
    "version: 1\n",
    "project: ",
    "web:\n  canonical: ",
    "https://",
    "email:\n  domain: ",
    "webhooks:\n  - ",
    "name: ",
    "url: ",
    "secret_env: ",
    "waivers:\n  - check: ",
    "expires: 2026-13-40",
    "env:\n  required: [",
    "stripe:\n  secret_key_env: ",
    "&a ",
    "*a",
    "!!binary ",
    "? ",
    "- ",
    "TODO",
    "example.com",
    "code:\n  root: ../..",
];

fn manifest_seeds() -> Vec<Vec<u8>> {
    let mut seeds = strings(&[
        include_str!("../sandbox/acme/launch-ready.yaml"),
        "version: 1\nproject: acme\n",
        "version: 1\nproject: acme\nenv:\n  required: [APP_SECRET]\n",
        "version: 1\nproject: a\nwaivers:\n  - { check: 'tls.*', reason: r, expires: 2027-01-01 }\n",
    ]);
    seeds.extend(files_under("nextjs", &["yaml"]));
    seeds
}

const SPF_WORDS: &[&str] = &[
    "v=spf1 ",
    "include:",
    "a:",
    "mx:",
    "ptr",
    "exists:",
    "redirect=",
    "exp=",
    "ip4:",
    "ip6:",
    "/24",
    "//64",
    "-all",
    "~all",
    "?all",
    "+all",
    "%{s}",
    "%{l1r-}",
    "%{d2}",
    "%{ir}.",
    "%%",
    "%_",
    "%-",
    "%{h}",
    "%{c}",
    "%{p}",
    "%{v}",
];

fn spf_seeds() -> Vec<Vec<u8>> {
    let mut seeds = lines_with("spf/rfc7208-tests.yml", "v=spf1");
    seeds.extend(strings(&["v=spf1 -all", "%{ir}.%{v}._spf.%{d2}"]));
    seeds
}

const DMARC_WORDS: &[&str] = &[
    "v=DMARC1; ",
    "p=reject",
    "sp=none",
    "pct=",
    "rua=mailto:",
    "ruf=",
    "!10m",
    "adkim=s",
    "aspf=r",
    "fo=0:1:d:s",
    "ri=",
    "rf=afrf",
    "np=",
    "psd=y",
    "t=y",
    ";;",
];

fn dmarc_seeds() -> Vec<Vec<u8>> {
    let cases = fixture("dmarc/cases.json");
    let value: serde_json::Value = serde_json::from_str(&cases).unwrap_or_default();
    let mut seeds: Vec<Vec<u8>> = value["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["record"].as_str())
        .map(|r| r.as_bytes().to_vec())
        .collect();
    seeds.push(b"v=DMARC1; p=none".to_vec());
    seeds
}

const DKIM_WORDS: &[&str] = &[
    "v=DKIM1; ",
    "k=rsa; ",
    "k=ed25519; ",
    "p=",
    "h=sha256",
    "t=y:s",
    "s=email",
    "g=*",
    "n=",
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    "==",
    ";",
];

fn dkim_seeds() -> Vec<Vec<u8>> {
    files_under("dkim", &["txt", "dns"])
}

const CAA_WORDS: &[&str] = &[
    "0 ",
    "128 ",
    "issue ",
    "issuewild ",
    "iodef ",
    "\"",
    "letsencrypt.org",
    "; ",
    "validationmethods=",
    "accounturi=",
    "mailto:",
    "https://",
    ";",
];

fn caa_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "0 issue \"letsencrypt.org\"",
        "0 issuewild \"digicert.com; cansignhttpexchanges=yes\"",
        "128 tbs \"Unknown\"",
        "0 iodef \"mailto:security@acme.app\"",
        "0 issue \";\"",
    ])
}

fn caa(bytes: &[u8]) {
    let s = text(bytes);
    let _ = crate::email::caa::CaaRecord::from_presentation(&s);
    let _ = crate::email::caa::parse_issue_value(&s);
    let _ = crate::email::caa::parse_iodef(&s);
}

const SIGNATURE_WORDS: &[&str] = &["t=", "v1=", "v0=", ",", "=", "-", "9223372036854775807"];

fn signature_seeds() -> Vec<Vec<u8>> {
    let signed = crate::stripe::signature::header("whsec_fuzz", 1_700_000_000, b"{}");
    let mut seeds = strings(&["t=1,v1=00", "t=,v1=", "v1=abc,t=-5", ""]);
    seeds.push(signed.into_bytes());
    seeds
}

fn stripe_signature(bytes: &[u8]) {
    let header = text(bytes);
    let _ = crate::stripe::signature::verify(&header, b"{}", "whsec_fuzz", 1_700_000_000, 300);
    let _ = crate::stripe::signature::verify(&header, bytes, "", i64::MAX, i64::MAX);
    let _ = crate::stripe::signature::verify(&header, bytes, "whsec_fuzz", i64::MIN, 300);
}

fn key_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "sk_live_51Habcdefghijklmnop",
        "rk_test_x",
        "pk_live_",
        "whsec_abc",
    ])
}

const HSTS_WORDS: &[&str] = &[
    "max-age=",
    "includeSubDomains",
    "preload",
    "; ",
    "\"",
    "31536000",
];

fn hsts_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "max-age=31536000; includeSubDomains; preload",
        "max-age=\"0\"",
        "max-age=1; max-age=2",
        "includesubdomains;;max-age=99999999999999999999",
    ])
}

const SECRET_WORDS: &[&str] = &[
    "sk_live_",
    "whsec_",
    "ghp_",
    "AKIA",
    "eyJhbGciOiJIUzI1NiJ9.",
    "postgres://u:p@h/db",
    "-----BEGIN PRIVATE KEY-----",
    "xoxb-",
    "SG.",
];

fn secrets_seeds() -> Vec<Vec<u8>> {
    let mut seeds = files_under("nextjs", &["ts", "tsx", "js"]);
    seeds.push(b"const k = 'sk_live_51Habcdefghijklmnopqrstuv';".to_vec());
    seeds
}

const DOTENV_WORDS: &[&str] = &["=", "export ", "#", "\"", "'", "\\n", "${A}", "$A", "\n"];

fn dotenv_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "A=1\nB=\"two words\"\nexport C='x'\n# comment\n",
        "STRIPE_SECRET_KEY=sk_live_abc\nNEXT_PUBLIC_URL=https://x\n",
        "A=${B}\nB=\"multi\nline\"\n",
    ])
}

fn dotenv(bytes: &[u8]) {
    thread_local! {
        static DIR: Option<tempfile::TempDir> = tempfile::tempdir().ok();
    }
    DIR.with(|dir| {
        let Some(dir) = dir else { return };
        let manifest = "version: 1\nproject: fuzz\nenv:\n  files: [.env]\n  required: [A]\n";
        let Ok(parsed) = crate::manifest::parse_str(manifest, "fuzz.yaml") else {
            return;
        };
        if std::fs::write(dir.path().join(".env"), bytes).is_ok() {
            let env = crate::manifest::Env::resolve(&parsed, dir.path(), &[], Vec::new());
            if let Ok(env) = env {
                let _ = env.values_to_scrub();
            }
        }
    });
}

const CODE_WORDS: &[&str] = &[
    "'use client';\n",
    "export async function POST(req) {",
    "}",
    "await req.text()",
    "await req.json()",
    "stripe.webhooks.constructEvent(",
    "process.env.",
    "import x from './x'",
    "export const config = { api: { bodyParser: false } };",
    "event.id",
    "=>",
    "`${",
    "</div>",
    "<A {...p} />",
    "/*",
    "//",
    "#!",
    "@decorator ",
];

fn code_seeds() -> Vec<Vec<u8>> {
    files_under("nextjs", &["ts", "tsx", "js", "jsx"])
}

/// The input as a webhook route and as a client component of a throwaway repository;
/// the three code checks read both.
fn code_scanner(bytes: &[u8]) {
    thread_local! {
        static DIR: Option<tempfile::TempDir> = tempfile::tempdir().ok();
    }
    DIR.with(|dir| {
        let Some(dir) = dir else { return };
        let route = dir.path().join("app/api/webhooks/stripe/route.ts");
        let client = dir.path().join("app/components/Widget.tsx");
        for file in [&route, &client] {
            if let Some(parent) = file.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(file, bytes);
        }
        let cfg = crate::code::CodeConfig::new(dir.path());
        let _ = crate::code::webhook_verification(&cfg);
        let _ = crate::code::webhook_idempotency(&cfg);
        let _ = crate::code::client_secrets(&cfg);
    });
}

fn report_seeds() -> Vec<Vec<u8>> {
    vec![fixture("reports/v1.json").into_bytes()]
}

fn tls_seeds() -> Vec<Vec<u8>> {
    vec![
        vec![0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00],
        vec![0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46],
        vec![
            0x16, 0x03, 0x03, 0x00, 0x2a, 0x02, 0x00, 0x00, 0x26, 0x03, 0x03,
        ],
    ]
}

fn connect_seeds() -> Vec<Vec<u8>> {
    strings(&["www.acme.app:127.0.0.1", "a.b:[::1]:443", "x:1.2.3.4:0"])
}

/// Header inputs: one field line per input line.
fn lines(bytes: &[u8]) -> Vec<String> {
    text(bytes).split('\n').map(str::to_owned).collect()
}

fn hsts(bytes: &[u8]) {
    let all = lines(bytes);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    ignore(crate::headers::hsts::parse(&text(bytes)));
    ignore(crate::headers::hsts::effective(&refs));
}

const CSP_WORDS: &[&str] = &[
    "default-src ",
    "script-src ",
    "'self'",
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'nonce-",
    "'sha256-",
    "'strict-dynamic'",
    "https:",
    "data:",
    "*",
    "frame-ancestors ",
    "'none'",
    "report-uri /r",
    "; ",
    ",",
    "object-src 'none'",
    "base-uri ",
];

fn csp_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "default-src 'self'; script-src 'self' 'nonce-abc' 'strict-dynamic'; object-src 'none'",
        "script-src * 'unsafe-inline'\nframe-ancestors 'none'",
        "default-src https:, script-src 'sha256-AAAA'",
    ])
}

fn csp(bytes: &[u8]) {
    let all = lines(bytes);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let (head, rest) = refs.split_at(refs.len() / 2);
    let policies = crate::headers::csp::policies(head, rest, &all);
    ignore(crate::headers::csp_grade::grade(&policies));
    ignore(crate::headers::csp_grade::script_holes(&policies));
    ignore(crate::headers::csp::frame_ancestors_protects(&policies));
    ignore(crate::headers::csp::frame_ancestors_open(&all));
}

const COOKIE_WORDS: &[&str] = &[
    "__Host-",
    "__Secure-",
    "; Secure",
    "; HttpOnly",
    "; SameSite=None",
    "; SameSite=Lax",
    "; Path=/",
    "; Domain=.acme.app",
    "; Max-Age=-1",
    "; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    "=",
    ";",
];

fn cookie_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
        "sid=1; SameSite=None",
        "__Secure-x=1; Domain=acme.app",
    ])
}

fn cookies(bytes: &[u8]) {
    for line in lines(bytes) {
        let cookie = crate::headers::cookies::parse(&line);
        ignore(crate::headers::cookies::findings(&cookie, true));
        ignore(crate::headers::cookies::rejected(&cookie));
        ignore(crate::headers::cookies::same_site(&cookie));
    }
}

const REFERRER_WORDS: &[&str] = &[
    "no-referrer",
    "strict-origin-when-cross-origin",
    "unsafe-url",
    "origin",
    ",",
    " ",
    "no-referrer-when-downgrade",
];

fn referrer_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "strict-origin-when-cross-origin",
        "no-referrer, unsafe-url",
        "bogus,origin",
    ])
}

fn referrer(bytes: &[u8]) {
    let all = lines(bytes);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    ignore(crate::headers::referrer::from_header(&refs));
    ignore(crate::headers::referrer::from_meta(&text(bytes)));
    ignore(crate::headers::referrer::effective(&refs, &all));
}

const HTML_WORDS: &[&str] = &[
    "<meta http-equiv=\"Content-Security-Policy\" content=\"",
    "<meta name=\"referrer\" content=\"",
    "<script src=\"https://cdn.example/x.js\" integrity=\"sha384-",
    "<link rel=stylesheet href=",
    "<!--",
    "-->",
    "<head>",
    "</head>",
    "\"",
    "'",
    ">",
    "<",
];

fn html_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\"><meta name=referrer content=no-referrer><script src=\"https://cdn.example/a.js\" integrity=\"sha384-x\" crossorigin></script></head></html>",
    ])
}

fn html(bytes: &[u8]) {
    let page = text(bytes);
    ignore(crate::headers::html::tags(
        &page,
        &["script", "link", "meta"],
    ));
    ignore(crate::headers::html::meta_csp(&page));
    ignore(crate::headers::html::meta_referrer(&page));
    ignore(crate::headers::html::subresources(&page));
}

fn cors_seeds() -> Vec<Vec<u8>> {
    strings(&[
        "https://evil.example\n*\ntrue",
        "null\nnull\ntrue, true",
        "x\nDENY\nnosniff",
    ])
}

fn cors_xfo_nosniff(bytes: &[u8]) {
    let all = lines(bytes);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let origin = refs.first().copied().unwrap_or("");
    let (acao, acac) = refs.split_at(refs.len() / 2);
    ignore(crate::headers::cors::judge(origin, acao, acac));
    ignore(crate::headers::xfo::framing(&refs));
    ignore(crate::headers::xfo::ignored_values(&refs));
    ignore(crate::headers::nosniff::enforced(&refs));
}

const CLOUDFLARE_WORDS: &[&str] = &[
    "http.request.uri.path",
    " eq ",
    " in {",
    "}",
    "starts_with(",
    " wildcard \"",
    " matches \"",
    "(",
    ")",
    " and ",
    " or not ",
    "r#\"",
    "[*]",
    "\\",
    "*",
];

fn cloudflare_seeds() -> Vec<Vec<u8>> {
    let fixture: serde_json::Value =
        serde_json::from_str(&fixture("cloudflare/expressions.json")).unwrap_or_default();
    fixture["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["expr"].as_str().map(|e| e.as_bytes().to_vec()))
        .collect()
}

/// Rule expressions and page-rule patterns come from the Cloudflare API: parse and
/// evaluate them, and use the input as a wildcard pattern and a path.
fn cloudflare_expression(b: &[u8]) {
    let text = text(b);
    let req = crate::cloudflare::Request::new("www.acme.app", &text, "POST");
    if let Ok(e) = crate::cloudflare::expr::parse(&text) {
        ignore(e.eval(&req));
        ignore(e.literals());
    }
    ignore(crate::cloudflare::expr::wildcard(&text, &text));
    ignore(crate::cloudflare::expr::wildcard(
        "/api/webhooks/stripe",
        &text,
    ));
}
