//! `code.webhook-verification`: see `checks/code.webhook-verification.md`. The analysis itself lives in `crate::code`.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;

pub struct WebhookVerification;

impl Check for WebhookVerification {
    const META: &'static Meta = meta! {
        id: "code.webhook-verification",
        title: "Stripe webhook routes verify signatures over the raw body",
        severity: Fail,
        needs: "manifest `code.root` (a Next.js repository); offline",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.verification,
            "no webhook route files found under code.root (App Router app/**/route.ts, Pages Router pages/api/**)",
        )
        .await
    }

    async fn run(&self, cx: &Context, file: &str) -> Checked {
        super::outcome(cx, |a| &a.verification, file).await
    }
}
