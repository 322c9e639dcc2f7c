//! Unit tests of `stripe_events` on reduced handler sources.

use std::collections::BTreeMap;

use super::stripe_events::*;

fn run(src: &str) -> HandledEvents {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("route.ts");
    std::fs::write(&path, src).unwrap();
    handled_events(&path).unwrap()
}

fn keys(m: &BTreeMap<String, usize>) -> Vec<&str> {
    m.keys().map(String::as_str).collect()
}

#[test]
fn switch_cases_that_only_log_are_not_handled_and_a_throwing_default_refuses() {
    let h = run(r#"
        export async function POST(req: Request) {
          const event = verify(await req.text());
          try {
            switch (event.type) {
              case 'invoice.paid':
              case 'invoice.payment_failed':
                await sync(event.data.object);
                break;
              case 'charge.succeeded':
                const c = event.data.object;
                console.log(`charge ${c.id}`);
                break;
              case "created": await other(); break;
              default:
                throw new Error(`Unhandled event type ${event.type}`);
            }
          } catch (e) {
            return new Response('Webhook Error', { status: 400 });
          }
          return new Response(null, { status: 200 });
        }"#);
    assert_eq!(keys(&h.handled), ["invoice.paid", "invoice.payment_failed"]);
    assert_eq!(keys(&h.logged_only), ["charge.succeeded"]);
    let r = h.refusal.unwrap();
    assert_eq!((r.status, r.how), (400, "default branch"));
}

#[test]
fn if_chains_maps_and_gate_lists() {
    let h = run(r#"
        export async function POST(req) {
          if (event.type === "checkout.session.completed" || "invoice.paid" === event.type) {
            await prisma.user.update({});
          }
          if (event.type === 'customer.created') { return new Response('ok'); }
        }"#);
    assert_eq!(
        keys(&h.handled),
        ["checkout.session.completed", "invoice.paid"]
    );
    assert_eq!(keys(&h.logged_only), ["customer.created"]);
    assert!(h.refusal.is_none());

    let h = run(r#"
        const handlers: Record<string, (e: any) => Promise<void>> = {
          'customer.subscription.updated': onUpdate,
          'customer.subscription.deleted': async (e) => { await db.delete(e); },
          'price.created': async (e) => { console.log(e.id); },
        };
        export async function POST(req) { await handlers[event.type]?.(event); }"#);
    assert_eq!(
        keys(&h.handled),
        [
            "customer.subscription.deleted",
            "customer.subscription.updated"
        ]
    );

    let h = run(r#"
        const relevant = new Set(['product.created', 'price.updated']);
        const allowed: string[] = ['invoice.paid', ...refundEvents];
        export default async function handler(req, res) {
          if (!relevant.has(event.type)) {
            return res.status(400).send(`Unhandled event type: ${event.type}`);
          }
          await upsert(event.data.object);
        }"#);
    assert_eq!(keys(&h.handled), ["price.updated", "product.created"]);
    assert_eq!(h.refusal.unwrap().how, "negated gate");
    assert!(h.unresolved.is_empty(), "the unused list is not read");
    assert!(
        !is_event_type("index.ts") && !is_event_type("created") && is_event_type("invoice.paid")
    );
}

#[test]
fn a_gate_list_spreading_a_local_list_reads_it_and_names_an_imported_one() {
    let h = run(r#"
        import { refundEvents } from './refunds';
        const subscriptionEvents = ['customer.subscription.updated', 'customer.subscription.deleted'];
        const allowed = ['invoice.paid', ...subscriptionEvents, ...refundEvents];
        export async function processEvent(event) {
          if (!allowed.includes(event.type)) return;
          await syncCustomer(event.data.object.customer);
        }"#);
    assert_eq!(
        keys(&h.handled),
        [
            "customer.subscription.deleted",
            "customer.subscription.updated",
            "invoice.paid"
        ]
    );
    assert_eq!(h.unresolved, ["refundEvents"]);
    assert!(h.lists.contains_key("subscriptionEvents"));
}
