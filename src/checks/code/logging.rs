//! `code.logging`: see `checks/code.logging.md`. The analysis itself lives in `crate::code`.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;

pub struct Logging;

impl Check for Logging {
    const META: &'static Meta = meta! {
        id: "code.logging",
        title: "Server code logs no whole events, bodies, headers or secrets",
        severity: Warn,
        needs: "manifest `code.root` (a Next.js repository); offline",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(
            cx,
            |a| &a.logging,
            "no inbound webhook routes and no server file logging request data found under code.root",
        )
        .await
    }

    async fn run(&self, cx: &Context, file: &str) -> Checked {
        super::outcome(cx, |a| &a.logging, file).await
    }
}
