//! `--format github`: workflow commands with file and line relative to the repository
//! root, the job summary, and annotated manifest errors.

use crate::support::Project;

const ROUTE: &str = "import Stripe from \"stripe\";\n\nexport async function POST(req: Request) {\n  const event = await req.json();\n  if (event.type === \"checkout.session.completed\") {\n    await fulfil(event.data.object);\n  }\n  return new Response(\"ok\");\n}\n";
const CLIENT: &str = "'use client';\n\nexport function Pricing() {\n  const key = process.env.STRIPE_SECRET_KEY;\n  return <div>{key ? \"ready\" : \"not ready\"}</div>;\n}\n";

/// A repository whose Next.js app lives in `web/`, its manifest at the root.
fn repository() -> Project {
    Project::new("version: 1\nproject: acme\ncode:\n  root: web\nenv:\n  required: [MISSING]\n")
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("web/app/api/webhooks/stripe/route.ts", ROUTE)
        .file("web/app/components/Pricing.tsx", CLIENT)
}

#[test]
fn findings_become_annotations_with_repository_paths() {
    let p = repository();
    let summary = p.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = p
        .command()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["audit", "--offline", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "::error file=web/app/components/Pricing.tsx,line=4,title=code.client-secrets::"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "::error file=web/app/api/webhooks/stripe/route.ts,title=code.webhook-verification::"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "::warning file=web/app/api/webhooks/stripe/route.ts,title=code.webhook-idempotency::"
        ),
        "{text}"
    );
    // Results without a file are annotations without one.
    assert!(
        text.contains("::error title=env.required::MISSING: MISSING is not set"),
        "{text}"
    );
    // Messages are one line each: the runner decodes %0A.
    assert!(
        text.lines()
            .filter(|l| l.starts_with("::"))
            .all(|l| l.contains("::"))
    );
    assert!(
        !text.contains("::notice") && !text.contains("title=dns."),
        "{text}"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("earlier step\n# Launch readiness: acme"),
        "appended: {summary}"
    );
    assert!(summary.contains("## Fix first"), "{summary}");
}

#[test]
fn a_manifest_error_is_annotated_on_the_manifest() {
    let p = Project::new("version: 1\nproject: acme\nhandover:\n  - { item: x, are: domain }\n")
        .file(".git/HEAD", "ref: refs/heads/main\n");
    let out = p
        .command()
        .args(["audit", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "::error file=launch-ready.yaml,line=4,col=16,title=manifest.valid::unknown field `are`"
        ),
        "{text}"
    );
}

#[test]
fn no_manifest_points_at_init() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::launch_ready()
        .current_dir(dir.path())
        .args(["audit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("launch-ready init"));
}
