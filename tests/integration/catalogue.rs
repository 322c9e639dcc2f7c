//! The catalogue, the docs and the README agree with the registry.

use std::collections::BTreeSet;

use launch_ready::checks::ALL;

use crate::support::launch_ready;

fn registered() -> BTreeSet<String> {
    ALL.iter().map(|c| c.meta().id.to_owned()).collect()
}

#[test]
fn registry_is_sorted_and_unique() {
    let ids: Vec<&str> = ALL.iter().map(|c| c.meta().id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "ALL must be sorted by id, without duplicates");
}

#[test]
fn every_check_has_a_doc_and_every_doc_a_check() {
    let docs: BTreeSet<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/checks"))
        .expect("checks/ exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".md"))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(docs, registered(), "checks/<id>.md and the registry differ");
}

#[test]
fn every_doc_has_the_fixed_headings() {
    for check in ALL {
        let meta = check.meta();
        assert!(
            meta.doc.starts_with(&format!("# {}\n", meta.id)),
            "{}: title line",
            meta.id
        );
        for heading in [
            "## What it checks",
            "## Why it matters",
            "## How to fix",
            "## References",
        ] {
            assert!(meta.doc.contains(heading), "{} lacks `{heading}`", meta.id);
        }
    }
}

#[test]
fn readme_check_table_equals_the_registry() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let begin = "<!-- checks:begin -->\n";
    let start = readme
        .find(begin)
        .expect("README has the checks:begin marker")
        + begin.len();
    let end = readme
        .find("<!-- checks:end -->")
        .expect("README has the checks:end marker");
    assert_eq!(
        &readme[start..end],
        launch_ready::catalogue::markdown_table(),
        "README check table is stale: paste the output of catalogue::markdown_table()"
    );
}

#[test]
fn checks_lists_every_registered_check() {
    let out = launch_ready().arg("checks").output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for id in registered() {
        assert!(
            text.contains(&id),
            "`launch-ready checks` does not list {id}"
        );
    }
    let json = launch_ready()
        .args(["checks", "--json"])
        .output()
        .expect("run");
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(ALL.len()));
}

#[test]
fn explain_prints_the_doc_of_every_check() {
    for check in ALL {
        let id = check.meta().id;
        let out = launch_ready().args(["explain", id]).output().expect("run");
        assert!(out.status.success(), "explain {id}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), check.meta().doc);
    }
}

#[test]
fn explain_unknown_check_suggests_the_closest() {
    let out = launch_ready()
        .args(["explain", "dns.resolve"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `dns.resolves`"), "{err}");
}
