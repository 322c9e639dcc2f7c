//! Customer data never leaves crm.stripe-sync unmasked (SPEC §6 "Privacy"): distinctive
//! emails and names are planted in the Stripe and HubSpot fakes, an audit is written in
//! every format, and none of them appears — only masked forms, at most 10 per list.

use launch_ready::sandbox::hubspot_fake::{FakeContact, HubSpotFake};
use launch_ready::sandbox::stripe_fake::{Account, Event, StripeFake};
use launch_ready::sandbox::{World, Zones};
use serde_json::json;

use crate::crm::{ALLOW, CHECK, HOUR, hubspot_token, manifest, stripe_key, subscription};
use crate::support::Project;

const FORMATS: [&str; 7] = [
    "table", "json", "junit", "sarif", "markdown", "html", "github",
];
const NAME: &str = "Quillon Vexbridge";

fn planted_email(i: usize) -> String {
    format!("quillon.vexbridge{i}@zephyrleak.example")
}

fn customer_id(i: usize) -> String {
    format!("cus_Qvx{i:012}Leak")
}

/// 40 payers: 0–13 missing from HubSpot, 14–17 duplicated, 18–21 still leads,
/// 22–23 known only by id (their email from the customer object).
fn world(key: String, token: String) -> World {
    let mut account = Account::new();
    for i in 0..40 {
        account = if (22..24).contains(&i) {
            account
                .event(subscription(&customer_id(i), 3))
                .customer(&customer_id(i), Some(&planted_email(i)))
        } else {
            account.event(Event::delivered("invoice.paid", 3 * HOUR).object(json!({
                "customer": customer_id(i), "amount_paid": 4900,
                "customer_email": planted_email(i), "customer_name": NAME })))
        };
    }
    let mut hub = HubSpotFake::new().with_token(&token);
    for i in 14..40usize {
        let stage = if (18..22).contains(&i) {
            "lead"
        } else {
            "customer"
        };
        let contact = FakeContact::new(i as u64, &planted_email(i), stage)
            .with("firstname", "Quillon")
            .with("lastname", "Vexbridge");
        hub = hub.contact(contact);
        if i < 18 {
            hub = hub.contact(FakeContact::new(1000 + i as u64, &planted_email(i), "lead"));
        }
    }
    World {
        zones: Zones::new(),
        sites: vec![StripeFake::new().account(&key, account).site(), hub.site()],
    }
}

#[test]
fn planted_customer_emails_and_names_appear_in_no_format_only_masked() {
    let key = stripe_key();
    let token = hubspot_token();
    let project = Project::new(&manifest("  paid_stage: customer\n"))
        .file(
            ".env",
            &format!("STRIPE_SECRET_KEY={key}\nHUBSPOT_TOKEN={token}\n"),
        )
        .world(move || world(key, token));
    let flags = project.sandbox.as_ref().expect("sandbox").flags.clone();
    let dir = project.path().to_path_buf();
    for format in FORMATS {
        let out = project
            .command()
            .args([
                "audit",
                "launch-ready.yaml",
                "--only",
                CHECK,
                "--format",
                format,
            ])
            .args(&flags)
            .args(ALLOW)
            .args(
                FORMATS
                    .iter()
                    .map(|f| format!("--output={f}=out/{format}/report.{f}")),
            )
            .env("GITHUB_STEP_SUMMARY", dir.join("out/summary.md"))
            .output()
            .expect("run");
        let mut texts = vec![
            (
                "stdout".to_owned(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            ),
            (
                "stderr".to_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ),
        ];
        for f in FORMATS {
            let path = dir.join(format!("out/{format}/report.{f}"));
            let text = std::fs::read_to_string(&path).expect("report written");
            texts.push((f.to_owned(), text));
        }
        texts.push((
            "step summary".to_owned(),
            std::fs::read_to_string(dir.join("out/summary.md")).unwrap_or_default(),
        ));
        assert!(
            texts[0].1.contains(CHECK),
            "{format} printed no crm result:\n{}\n{}",
            texts[0].1,
            texts[1].1
        );
        for (what, text) in &texts {
            for needle in ["quillon", "vexbridge", "Quillon", "Vexbridge", "Qvx0000"] {
                assert!(
                    !text.contains(needle),
                    "{format}/{what}: customer data `{needle}` leaked:\n{text}"
                );
            }
        }
        let json_text = &texts.iter().find(|(w, _)| w == "json").expect("json").1;
        let report: serde_json::Value = serde_json::from_str(json_text).expect("json report");
        let result = report["results"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["check"] == CHECK))
            .expect("crm result");
        assert_eq!(result["status"], "fail", "{result}");
        assert_eq!(result["details"]["missing"], 14);
        for list in [
            "missing_examples",
            "duplicated_examples",
            "below_paid_stage_examples",
        ] {
            let examples = result["details"][list]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(
                !examples.is_empty() && examples.len() <= 10,
                "{list}: {result}"
            );
            for e in &examples {
                assert_eq!(e["email"], "q***@zephyrleak.example", "{e}");
                assert!(
                    e["customer"].as_str().unwrap_or("").starts_with("cus_…"),
                    "{e}"
                );
            }
        }
        assert_eq!(
            result["details"]["missing_examples"]
                .as_array()
                .map(Vec::len),
            Some(10)
        );
    }
}
