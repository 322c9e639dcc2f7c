//! acme's mail setup: a CRM and a support tool each added an SPF include, pushing the
//! record over the 10-lookup limit; DMARC is still at `p=none` with half its reports
//! going to an agency that never authorized them; one DKIM key is 1024-bit and the
//! support tool's selector was never published.

use crate::sandbox::Zones;

/// A real RSA-1024 public key (dkimpy's test key): weak by today's standard.
const KEY_1024: &str = include_str!("../../../fixtures/dkim/1024_testkey_wo_markers.pub.txt");

pub fn zones(zones: Zones) -> Zones {
    let mut z = zones
        .zone("mail-provider.net")
        .zone("crm-cloud.net")
        .zone("helpdesk.net")
        .zone("agency-reports.net")
        .mx("acme.app", 10, "mx1.mail-provider.net")
        .mx("acme.app", 20, "mx2.mail-provider.net")
        .a("mx1.mail-provider.net", "127.0.0.1")
        .a("mx2.mail-provider.net", "127.0.0.1")
        .txt(
            "acme.app",
            &["v=spf1 include:_spf.mail-provider.net include:_spf.crm-cloud.net include:_spf.helpdesk.net ~all"],
        )
        .txt("_spf.mail-provider.net", &["v=spf1 ip4:198.51.100.0/24 a:mx1.mail-provider.net mx -all"])
        .txt("mail-provider.net", &["v=spf1 -all"])
        .mx("mail-provider.net", 10, "mx1.mail-provider.net")
        .txt("_spf.crm-cloud.net", &["v=spf1 include:us1._spf.crm-cloud.net include:us2._spf.crm-cloud.net include:eu1._spf.crm-cloud.net include:ap1._spf.crm-cloud.net ~all"])
        .txt("_spf.helpdesk.net", &["v=spf1 include:a._spf.helpdesk.net include:b._spf.helpdesk.net ~all"]);
    for region in ["us1", "us2", "eu1", "ap1"] {
        z = z.txt(
            &format!("{region}._spf.crm-cloud.net"),
            &["v=spf1 ip4:203.0.113.0/25 -all"],
        );
    }
    for part in ["a", "b"] {
        z = z.txt(
            &format!("{part}._spf.helpdesk.net"),
            &["v=spf1 ip4:192.0.2.128/25 -all"],
        );
    }
    z.txt(
        "_dmarc.acme.app",
        &["v=DMARC1; p=none; rua=mailto:dmarc@acme.app,mailto:reports@agency-reports.net"],
    )
    .txt("resend._domainkey.acme.app", &[KEY_1024.trim()])
    .caa("acme.app", false, "issue", "digicert.com")
}
