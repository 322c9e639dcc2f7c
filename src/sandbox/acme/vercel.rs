//! acme's Vercel project, as the fake serves it: production mostly right (the
//! Stripe secrets stored as sensitive), but the publishable key in production is
//! still the test one, a release branch's preview was given the live secret key
//! "to try checkout for real", and the support tool's token is stored as `plain`.

use crate::sandbox::Site;
use crate::sandbox::random_token;
use crate::sandbox::vercel_fake::{FakeEnv, VercelFake};

pub const PROJECT: &str = "acme-web";
pub const TEAM: &str = "team_Acme7hQ2kLm9vXw";

/// The demo's Vercel token, made fresh each run (the demo's `.env.production` holds it).
pub fn token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| random_token(24))
}

pub fn site() -> Site {
    let prod = &["production"];
    let elsewhere = &["preview", "development"];
    let app_url = "https://www.acme.app";
    VercelFake::new(PROJECT)
        .team(TEAM)
        .with_token(token())
        .envs([
            FakeEnv::sensitive(
                "STRIPE_SECRET_KEY",
                &format!("rk_live_{}", random_token(40)),
                prod,
            ),
            FakeEnv::encrypted(
                "STRIPE_SECRET_KEY",
                &format!("sk_test_{}", random_token(40)),
                elsewhere,
            ),
            FakeEnv::encrypted(
                "STRIPE_SECRET_KEY",
                &format!("sk_live_{}", random_token(40)),
                &["preview"],
            )
            .branch("release-candidate"),
            FakeEnv::sensitive(
                "STRIPE_WEBHOOK_SECRET",
                &format!("whsec_{}", random_token(32)),
                prod,
            ),
            FakeEnv::plain(
                "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
                &format!("pk_test_{}", random_token(40)),
                &["production", "preview", "development"],
            ),
            FakeEnv::plain("NEXT_PUBLIC_APP_URL", app_url, prod),
            FakeEnv::plain("NEXTAUTH_URL", app_url, prod),
            FakeEnv::plain("SUPPORT_API_TOKEN", &random_token(40), prod),
            FakeEnv::encrypted(
                "DATABASE_URL",
                &format!(
                    "postgres://acme:{}@db.acme.internal:5432/acme",
                    random_token(24)
                ),
                prod,
            )
            .lookup_only(),
        ])
        .site()
}
