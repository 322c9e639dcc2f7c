//! The `crm:` section of a draft, when the repository uses HubSpot: its SDK in any
//! package.json of the repository, or `HUBSPOT_` variables in its env files, examples or
//! server code. Every paying Stripe customer should then be a contact.

use super::Ctx;

/// The drafted section, or nothing when HubSpot is not seen.
pub fn draft(cx: &Ctx) -> String {
    let names = cx.env_names();
    let hubspot_vars: Vec<&String> = names.iter().filter(|v| v.starts_with("HUBSPOT_")).collect();
    let package = cx
        .repo
        .packages
        .iter()
        .find(|p| p.deps.iter().any(|d| d.contains("hubspot")));
    let seen = match (package, hubspot_vars.first()) {
        (Some(p), _) => {
            let file = if p.dir.is_empty() {
                "package.json".to_owned()
            } else {
                format!("{}/package.json", p.dir)
            };
            format!("a HubSpot SDK in {file}")
        }
        (None, Some(var)) => format!("{var} in the env files or code"),
        (None, None) => return String::new(),
    };
    // The repository's own token variable when it names one; else the usual name.
    let token_env = hubspot_vars
        .iter()
        .find(|v| v.contains("TOKEN"))
        .map_or("HUBSPOT_TOKEN", |v| v.as_str());
    format!(
        "\n# HubSpot seen ({seen}): every paying Stripe customer should be a contact.\ncrm:\n  provider: hubspot\n  token_env: {token_env}  # a private app token with only crm.objects.contacts.read\n  match: email\n  lookback_hours: 168\n"
    )
}
