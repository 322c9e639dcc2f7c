//! `code.client-secrets`: see `checks/code.client-secrets.md`. The analysis itself lives in `crate::code`.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;

pub struct ClientSecrets;

impl Check for ClientSecrets {
    const META: &'static Meta = meta! {
        id: "code.client-secrets",
        title: "Client components read no secret env vars",
        severity: Fail,
        needs: "manifest `code.root` (a Next.js repository); offline",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.client,
            "no 'use client' modules found under code.root",
        )
        .await
    }

    async fn run(&self, cx: &Context, file: &str) -> Checked {
        super::outcome(cx, |a| &a.client, file).await
    }
}
