//! acme's Next.js code, written next to the demo manifest: the webhook route parses
//! JSON without verifying the signature, and a client component reads a server secret
//! through a shared config module (the `bad-app-router` fixture).

/// (path relative to the repository root, contents)
pub const FILES: &[(&str, &str)] = &[
    (
        "app/api/webhooks/stripe/route.ts",
        include_str!("../../../fixtures/nextjs/bad-app-router/app/api/webhooks/stripe/route.ts"),
    ),
    (
        "app/components/Banner.tsx",
        include_str!("../../../fixtures/nextjs/bad-app-router/app/components/Banner.tsx"),
    ),
    (
        "app/components/Pricing.tsx",
        include_str!("../../../fixtures/nextjs/bad-app-router/app/components/Pricing.tsx"),
    ),
    (
        "app/page.tsx",
        include_str!("../../../fixtures/nextjs/bad-app-router/app/page.tsx"),
    ),
    (
        "lib/config.ts",
        include_str!("../../../fixtures/nextjs/bad-app-router/lib/config.ts"),
    ),
    (
        "lib/flags.ts",
        include_str!("../../../fixtures/nextjs/bad-app-router/lib/flags.ts"),
    ),
    (
        "package.json",
        include_str!("../../../fixtures/nextjs/bad-app-router/package.json"),
    ),
    (
        "tsconfig.json",
        include_str!("../../../fixtures/nextjs/bad-app-router/tsconfig.json"),
    ),
];
