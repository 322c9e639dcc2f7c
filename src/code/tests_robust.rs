//! Hostile input and heuristic edge cases, on throw-away repos in the temp dir.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// A throw-away repo, removed on drop.
pub(super) struct TempRepo(pub(super) PathBuf);

impl TempRepo {
    pub(super) fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "launch-ready-code-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    pub(super) fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }
    pub(super) fn cfg(&self) -> CodeConfig {
        CodeConfig::new(&self.0)
    }
}

impl Drop for TempRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn only(findings: Vec<FileFinding>) -> FileFinding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    findings.into_iter().next().unwrap()
}

#[test]
fn garbage_route_files_are_errors_not_panics() {
    let repo = TempRepo::new();
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    repo.write("app/api/webhooks/a/route.ts", &binary)
        .write(
            "app/api/webhooks/b/route.ts",
            [0xff, 0xfe, b'{', 0xc3, 0x28],
        )
        .write(
            "app/api/webhooks/c/route.ts",
            "export async function POST(req { ))) constructEvent(",
        )
        .write("app/api/webhooks/d/route.ts", "(".repeat(200_000))
        .write("app/api/webhooks/e/route.ts", "[{".repeat(100_000))
        .write(
            "app/api/webhooks/f/route.ts",
            format!("// {}\n", "x".repeat(1_100_000)),
        )
        .write("pages/api/webhook.js", "}}}}")
        .write(
            "app/broken-client.tsx",
            "'use client';\nexport default function X( {",
        );
    let cfg = repo.cfg();
    assert_eq!(find_webhook_routes(&cfg).len(), 7);
    for findings in [webhook_verification(&cfg), webhook_idempotency(&cfg)] {
        assert_eq!(findings.len(), 7, "{findings:#?}");
        for f in &findings {
            assert_eq!(f.verdict, Verdict::Error, "{f:#?}");
            assert!(f.details["error"].is_string(), "{f:#?}");
        }
    }
    let v = webhook_verification(&cfg);
    assert!(v[2].summary.contains("parse error"), "{}", v[2].summary);
    assert!(v[5].summary.contains("byte limit"), "{}", v[5].summary);
    let c = only(client_secrets(&cfg));
    assert_eq!(
        (c.file.as_str(), c.verdict),
        ("app/broken-client.tsx", Verdict::Error)
    );
}

#[test]
fn empty_and_missing_roots() {
    let repo = TempRepo::new();
    assert!(webhook_verification(&repo.cfg()).is_empty());
    let missing = CodeConfig::new(repo.0.join("nope"));
    assert!(webhook_verification(&missing).is_empty());
    assert!(client_secrets(&missing).is_empty());
}

#[test]
fn skips_node_modules_and_build_dirs() {
    let repo = TempRepo::new();
    let bad = "export async function POST(req: Request) { return Response.json(await req.json()) }";
    for dir in SKIP_DIRS {
        repo.write(&format!("{dir}/app/api/webhook/route.ts"), bad);
    }
    assert!(webhook_verification(&repo.cfg()).is_empty());
}

#[test]
fn route_detection() {
    use super::routes::{RouterKind, route_kind};
    assert_eq!(route_kind("app/api/x/route.ts"), Some(RouterKind::App));
    assert_eq!(route_kind("src/app/api/x/route.mjs"), Some(RouterKind::App));
    assert_eq!(route_kind("apps/web/app/route.js"), Some(RouterKind::App));
    assert_eq!(route_kind("pages/api/stripe.ts"), Some(RouterKind::Pages));
    assert_eq!(route_kind("src/pages/api/a/b.js"), Some(RouterKind::Pages));
    assert_eq!(route_kind("app/api/x/page.tsx"), None);
    assert_eq!(route_kind("pages/index.tsx"), None);
    assert_eq!(route_kind("lib/route.ts"), None);
    // content-based: no `webhook` in the path, but Stripe + stripe-signature
    let repo = TempRepo::new();
    repo.write(
        "app/api/billing/route.ts",
        "import Stripe from 'stripe';\nexport async function POST(req: Request) {\n\
         const sig = req.headers.get('stripe-signature');\n return new Response(sig) }",
    )
    .write(
        "app/api/health/route.ts",
        "export function GET() { return new Response('ok') }",
    );
    let f = only(webhook_verification(&repo.cfg()));
    assert_eq!(
        (f.file.as_str(), f.verdict),
        ("app/api/billing/route.ts", Verdict::Fail)
    );
    assert_eq!(f.details["detected_by"], "content");
}

#[test]
fn verifier_in_imported_helper_and_json_after_verification() {
    let repo = TempRepo::new();
    repo.write(
        "src/lib/stripe.ts",
        "import Stripe from 'stripe';\nconst stripe = new Stripe('x');\n\
         export async function verifyStripeEvent(req: Request) {\n\
           const body = await req.text();\n\
           return stripe.webhooks.constructEventAsync(body, req.headers.get('stripe-signature')!, 's');\n}",
    )
    .write(
        "src/app/api/webhooks/stripe/route.ts",
        "import { verifyStripeEvent } from '@/lib/stripe';\nimport { kv } from '@vercel/kv';\n\
         export const POST = async (request: Request) => {\n\
           const event = await verifyStripeEvent(request);\n\
           const { id: eventId } = event;\n\
           if (!(await kv.set(`evt:${eventId}`, 1, { nx: true }))) return new Response('dup');\n\
           return Response.json({ ok: true });\n};",
    );
    let cfg = repo.cfg();
    let v = only(webhook_verification(&cfg));
    assert_eq!(v.verdict, Verdict::Pass, "{v:#?}");
    assert_eq!(v.details["verification"]["via_module"], "src/lib/stripe.ts");
    assert_eq!(v.details["verification"]["line"], 4);
    let i = only(webhook_idempotency(&cfg));
    assert_eq!(i.verdict, Verdict::Pass, "{i:#?}");
    assert_eq!(i.details["stored_by"]["call"], "kv.set");
}

#[test]
fn sql_tagged_template_and_svix_generic() {
    let repo = TempRepo::new();
    repo.write(
        "app/api/webhooks/clerk/route.ts",
        "import { Webhook } from 'svix';\nimport { sql } from '@vercel/postgres';\n\
         export async function POST(req: Request) {\n const payload = await req.text();\n\
         const evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(payload, {}) as any;\n\
         await sql`insert into processed_events (id) values (${evt.id}) on conflict do nothing`;\n\
         return new Response('ok') }",
    );
    let cfg = repo.cfg();
    let v = only(webhook_verification(&cfg));
    assert_eq!(v.verdict, Verdict::Pass, "{v:#?}");
    assert_eq!(v.details["provider"], "generic");
    assert_eq!(only(webhook_idempotency(&cfg)).verdict, Verdict::Pass);
}

#[test]
fn client_graph_cycles_prefixes_and_type_imports() {
    let repo = TempRepo::new();
    repo.write(
        "components/A.tsx",
        "'use client';\nimport { b } from './b';\nexport const A = () => b;",
    )
    .write(
        "components/b.ts",
        "import { c } from './c';\nexport const b = c + process.env.NEXT_PUBLIC_X;",
    )
    .write(
        "components/c.ts",
        "import { b } from './b';\nexport const c = process.env.MY_APP_TOKEN ?? String(b);",
    )
    .write(
        "components/T.tsx",
        "'use client';\nimport type { S } from './secret';\nexport const t: S | null = null;",
    )
    .write(
        "components/secret.ts",
        "export type S = string; export const s = process.env.SECRET;",
    )
    .write(
        "components/Server.tsx",
        "// 'use client' only mentioned in a comment\nexport const x = process.env.SECRET;",
    );
    let mut cfg = repo.cfg();
    let c = client_secrets(&cfg);
    assert_eq!(
        c.iter()
            .map(|f| (f.file.as_str(), f.verdict))
            .collect::<Vec<_>>(),
        [
            ("components/A.tsx", Verdict::Fail),
            ("components/T.tsx", Verdict::Pass)
        ]
    );
    assert_eq!(
        c[0].details["violations"][0]["import_chain"],
        serde_json::json!(["components/A.tsx", "components/b.ts", "components/c.ts"])
    );
    cfg.public_prefixes.push("MY_APP_".into());
    assert_eq!(client_secrets(&cfg)[0].verdict, Verdict::Pass);
}

#[test]
fn resolver_stays_inside_root() {
    use super::resolve::resolve_import;
    let repo = TempRepo::new();
    repo.write("a/b.ts", "")
        .write("a/index.tsx", "")
        .write("src/lib/x.ts", "");
    let from = repo.0.join("a/b.ts");
    let root: &Path = &repo.0;
    assert_eq!(
        resolve_import(root, &from, "./b.js"),
        Some(repo.0.join("a/b.ts"))
    );
    assert_eq!(
        resolve_import(root, &from, "."),
        Some(repo.0.join("a/index.tsx"))
    );
    assert_eq!(
        resolve_import(root, &from, "@/lib/x"),
        Some(repo.0.join("src/lib/x.ts"))
    );
    assert_eq!(resolve_import(root, &from, "../../../etc/passwd"), None);
    assert_eq!(resolve_import(root, &from, "react"), None);
}

#[test]
fn deep_nesting_of_every_kind_is_an_error_or_ok_never_a_crash() {
    let repo = TempRepo::new();
    let n = 300_000;
    let cases = [
        ("paren", "(".repeat(n)),
        (
            "balanced",
            format!("x = {}1{};", "(".repeat(n), ")".repeat(n)),
        ),
        ("not", format!("x = {}1;", "!".repeat(n))),
        ("neg", format!("x = {}1;", "- ".repeat(n))),
        ("binary", format!("x = {}1;", "1+".repeat(n))),
        ("assign", format!("{}1;", "a=".repeat(n))),
        (
            "jsx",
            format!("x = {}{};", "<a>".repeat(n / 4), "</a>".repeat(n / 4)),
        ),
        ("arrow", format!("x = {}1;", "a=>".repeat(n / 2))),
        ("ternary", format!("x = {}1;", "a?b:".repeat(n / 2))),
        ("member", format!("x = a{};", ".b".repeat(n))),
        ("call", format!("x = a{};", "()".repeat(n))),
    ];
    for (name, src) in &cases {
        repo.write(&format!("app/api/webhooks/{name}/route.tsx"), src);
    }
    let v = webhook_verification(&repo.cfg());
    assert_eq!(v.len(), cases.len());
    for f in &v {
        assert_ne!(f.verdict, Verdict::Pass, "{f:#?}");
    }
}
