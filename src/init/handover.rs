//! The manual handover items, open, for a person to own and tick (`by`, `done`, `date`).

pub fn draft() -> String {
    let mut out = String::from(
        "\n# What only a person can attest; the handover checklist (--format html) lists them.\nhandover:\n",
    );
    for m in crate::manifest::handover::MANUAL_ITEMS {
        let area = serde_json::to_value(m.area)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out += &format!(
            "  - {{ item: \"{}\", area: {area}, done: false }}  # by: owner, date: YYYY-MM-DD\n",
            m.text
        );
    }
    out
}
