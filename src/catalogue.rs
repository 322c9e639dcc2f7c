//! `launch-ready checks`: the registry as people read it, and the README's table.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::checks::ALL;

pub fn render(json: bool) -> String {
    if json {
        let rows: Vec<_> = ALL
            .iter()
            .map(|c| {
                let m = c.meta();
                serde_json::json!({
                    "id": m.id, "title": m.title, "severity": m.severity,
                    "needs": m.needs, "network": m.network, "active": m.active,
                })
            })
            .collect();
        return serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n";
    }
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120)
        .force_no_tty()
        .set_header(vec!["id", "severity", "needs", "what it checks"]);
    for c in ALL {
        let m = c.meta();
        let needs = if m.active {
            format!("{} (--active)", m.needs)
        } else {
            m.needs.to_owned()
        };
        table.add_row(vec![m.id, m.severity.as_str(), &needs, m.title]);
    }
    format!(
        "{table}\n{} checks. `launch-ready explain <id>` tells why each matters and how to fix it.\n",
        ALL.len()
    )
}

/// The check table in README.md, between the `checks:begin`/`checks:end` markers.
pub fn markdown_table() -> String {
    let mut out = String::from("| id | severity | needs | what it checks |\n|---|---|---|---|\n");
    for c in ALL {
        let m = c.meta();
        let needs = if m.active {
            format!("{} (`--active`)", m.needs)
        } else {
            m.needs.to_owned()
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            m.id,
            m.severity.as_str(),
            needs.replace('|', "\\|"),
            m.title
        ));
    }
    out
}

pub fn unknown_check(id: &str) -> String {
    let ids: Vec<&str> = ALL.iter().map(|c| c.meta().id).collect();
    format!(
        "unknown check `{id}`{}",
        crate::selection::suggestion(id, &ids)
    )
}
