//! stripe.handled-events: the route code's event types against the endpoint's
//! `enabled_events`. The route fixtures are written for these tests, reduced to the
//! patterns real Next.js Stripe handlers use (switch with a logging default, a Set
//! of relevant events refusing the rest with 400, handler maps, a helper module
//! holding the switch, Pages Router handlers, basePath and rewrites).

use launch_ready::sandbox::stripe_fake::{Account, Behaviour, Endpoint, StripeFake};
use launch_ready::sandbox::{World, Zones};

use super::{ALLOW, WWW, key};
use crate::support::{Project, Run};

const CHECK: &str = "stripe.handled-events";

fn manifest(url: &str) -> String {
    format!(
        "version: 1\nproject: acme\nenv:\n  files: [.env]\ncode:\n  root: .\nwebhooks:\n  - {{ name: stripe-hook, url: '{url}', provider: stripe }}\nstripe:\n  api_base: https://api.stripe.sandbox\n"
    )
}

fn audit_code(url: &str, files: &[(&str, &str)], account: Account) -> Run {
    let k = key();
    let registered = k.clone();
    let project = files
        .iter()
        .fold(Project::new(&manifest(url)), |p, (name, text)| {
            p.file(name, text)
        })
        .file(".env", &format!("STRIPE_SECRET_KEY={k}\n"));
    project
        .world(move || World {
            zones: Zones::new(),
            sites: vec![StripeFake::new().account(&registered, account).site()],
        })
        .audit(&[&["--only", CHECK][..], &ALLOW].concat())
}

fn endpoint(events: &[&str]) -> Account {
    Account::new().endpoint(Endpoint::new(&format!("{WWW}/stripe"), events).id("we_app"))
}

/// A switch whose default only logs, as the subscription starters write it.
const SWITCH_ROUTE: &str = r#"import Stripe from 'stripe';
import { stripe } from '@/lib/stripe';

export async function POST(request: Request) {
  const payload = await request.text();
  const signature = request.headers.get('stripe-signature') as string;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(payload, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    return Response.json({ error: 'bad signature' }, { status: 400 });
  }
  switch (event.type) {
    case 'checkout.session.completed':
      await fulfil(event.data.object as Stripe.Checkout.Session);
      break;
    case 'invoice.paid':
    case 'customer.subscription.updated':
      await syncSubscription(event.data.object);
      break;
    case 'charge.refunded':
      const charge = event.data.object;
      console.log(`refund for ${charge.id}`);
      break;
    default:
      console.log(`Unhandled event type ${event.type}`);
  }
  return Response.json({ received: true });
}
"#;

#[test]
fn code_handling_an_event_the_endpoint_never_receives_fails() {
    let run = audit_code(
        &format!("{WWW}/stripe"),
        &[("app/api/webhooks/stripe/route.ts", SWITCH_ROUTE)],
        endpoint(&["checkout.session.completed", "charge.refunded"]),
    );
    let r = run.result(CHECK, "stripe-hook");
    assert_eq!(r["status"], "fail", "{r}");
    let text = r["summary"].as_str().unwrap();
    assert!(
        text.contains("customer.subscription.updated, invoice.paid")
            && text.contains("we_app")
            && text.contains("never runs"),
        "{text}"
    );
    assert_eq!(r["details"]["route"], "app/api/webhooks/stripe/route.ts");
    assert_eq!(r["details"]["handled"]["invoice.paid"], 17);
    assert!(
        r["details"]["logged_only"]["charge.refunded"].is_number(),
        "{r}"
    );
    assert_eq!(run.code, 1);
}

/// A Set of relevant events; everything else answered 400 (Pages Router).
const GATED_PAGES_ROUTE: &str = r#"import type { NextApiRequest, NextApiResponse } from 'next';
import { buffer } from 'micro';

export const config = { api: { bodyParser: false } };

const relevantEvents = new Set(['checkout.session.completed', 'invoice.paid']);

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers['stripe-signature'], secret);
  if (!relevantEvents.has(event.type)) {
    return res.status(400).send(`Unhandled event type: ${event.type}`);
  }
  try {
    switch (event.type) {
      case 'checkout.session.completed':
        await provision(event.data.object);
        break;
      case 'invoice.paid':
        await extend(event.data.object);
        break;
    }
  } catch (e) {
    return res.status(400).send('Webhook handler failed');
  }
  return res.status(200).json({ received: true });
}
"#;

const SUBSCRIPTION_CHECKOUT: &str = r#"export async function startCheckout(priceId: string) {
  return stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: priceId, quantity: 1 }] });
}
"#;

#[test]
fn refused_types_and_a_subscription_app_without_lifecycle_events_warn() {
    let run = audit_code(
        &format!("{WWW}/stripe"),
        &[
            ("src/pages/api/webhooks/stripe.ts", GATED_PAGES_ROUTE),
            ("src/lib/checkout.ts", SUBSCRIPTION_CHECKOUT),
        ],
        endpoint(&[
            "checkout.session.completed",
            "invoice.paid",
            "invoice.payment_failed",
        ]),
    );
    let r = run.result(CHECK, "stripe-hook");
    assert_eq!(r["status"], "warn", "{r}");
    let text = r["summary"].as_str().unwrap();
    assert!(
        text.contains("receives invoice.payment_failed which src/pages/api/webhooks/stripe.ts:10 (negated gate) refuses with 400"),
        "{text}"
    );
    assert!(
        text.contains("src/lib/checkout.ts") && text.contains("no customer.subscription.* event"),
        "{text}"
    );
    assert_eq!(
        r["details"]["refused"],
        serde_json::json!(["invoice.payment_failed"])
    );
}

/// A handler map keyed by type, in a helper the route calls; the app lives under
/// `basePath: '/shop'` and serves the webhook through a rewrite.
const THIN_ROUTE: &str = r#"import { handleEvent } from '@/lib/billing/webhook';
export async function POST(req: Request) {
  const event = await verify(req);
  await handleEvent(event);
  return new Response('ok');
}
"#;

const HANDLER_MAP: &str = r#"const handlers: Record<string, (e: any) => Promise<void>> = {
  'checkout.session.completed': async (e) => { await db.orders.create(e.data.object); },
  'customer.subscription.updated': onSubscription,
  'customer.subscription.deleted': onSubscription,
};
export async function handleEvent(event: { type: string }) {
  await handlers[event.type]?.(event);
}
"#;

const NEXT_CONFIG: &str = r#"module.exports = {
  basePath: '/shop',
  async rewrites() {
    return [{ source: '/hooks/stripe', destination: '/api/billing/webhook' }];
  },
};
"#;

const TSCONFIG: &str =
    r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }"#;

#[test]
fn a_handler_map_in_a_helper_behind_base_path_and_rewrite_passes() {
    let url = "https://www.acme.app/shop/hooks/stripe";
    let account = Account::new().endpoint(
        Endpoint::new(
            url,
            &[
                "checkout.session.completed",
                "customer.subscription.updated",
                "customer.subscription.deleted",
            ],
        )
        .id("we_shop"),
    );
    let run = audit_code(
        url,
        &[
            ("next.config.js", NEXT_CONFIG),
            ("tsconfig.json", TSCONFIG),
            ("src/app/(billing)/api/billing/webhook/route.ts", THIN_ROUTE),
            ("src/lib/billing/webhook.ts", HANDLER_MAP),
            ("src/lib/checkout.ts", SUBSCRIPTION_CHECKOUT),
        ],
        account,
    );
    let r = run.result(CHECK, "stripe-hook");
    assert_eq!(r["status"], "pass", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("handles 3 event types"),
        "{r}"
    );
    assert_eq!(
        r["details"]["routing"],
        serde_json::json!([
            "basePath /shop",
            "rewrite /hooks/stripe → /api/billing/webhook"
        ])
    );
    assert_eq!(
        r["details"]["read"],
        serde_json::json!([
            "src/app/(billing)/api/billing/webhook/route.ts",
            "src/lib/billing/webhook.ts"
        ])
    );
}

#[test]
fn no_route_for_the_path_or_an_api_failure_is_an_error() {
    let run = audit_code(
        &format!("{WWW}/stripe"),
        &[("app/api/stripe/route.ts", SWITCH_ROUTE)],
        endpoint(&["*"]),
    );
    let r = run.result(CHECK, "stripe-hook");
    assert_eq!(r["status"], "error", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("no route under code.root serves /api/webhooks/stripe"),
        "{r}"
    );

    let run = audit_code(
        &format!("{WWW}/stripe"),
        &[("app/api/webhooks/stripe/route.ts", SWITCH_ROUTE)],
        endpoint(&["*"]).behaviour(Behaviour::ServerError(500)),
    );
    assert_eq!(run.status(CHECK, "stripe-hook"), "error");

    // A route that names no type it handles: cannot tell, never a pass.
    let run = audit_code(
        &format!("{WWW}/stripe"),
        &[(
            "app/api/webhooks/stripe/route.ts",
            "export async function POST(req: Request) { await queue.push(await req.text()); return new Response('ok'); }\n",
        )],
        endpoint(&["*"]),
    );
    let r = run.result(CHECK, "stripe-hook");
    assert_eq!(r["status"], "error", "{r}");
    assert!(
        r["summary"].as_str().unwrap().contains("cannot tell"),
        "{r}"
    );
}

#[test]
fn a_star_endpoint_and_a_handler_refusing_the_rest_warns() {
    let route = SWITCH_ROUTE.replace(
        "console.log(`Unhandled event type ${event.type}`);",
        "return new Response(`Unsupported event type: ${event.type}`, { status: 400 });",
    );
    let run = audit_code(
        &format!("{WWW}/stripe"),
        &[("app/api/webhooks/stripe/route.ts", &route)],
        endpoint(&["*"]),
    );
    let r = run.result(CHECK, "stripe-hook");
    assert_eq!(r["status"], "warn", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("receives every event type (*) and app/api/webhooks/stripe/route.ts:25 (default branch) answers 400 to all but the 3 it handles"),
        "{r}"
    );
}
