//! env.required: present, missing and empty variables.

use crate::support::Project;

const MANIFEST: &str = "version: 1\nproject: acme\nenv:\n  files: [.env.production]\n  required: [PRESENT, MISSING, EMPTY, BLANK]\n";

#[test]
fn required_variables_pass_when_set_and_fail_when_missing_or_empty() {
    let run = Project::new(MANIFEST)
        .file(
            ".env.production",
            "PRESENT=value-here\nEMPTY=\nBLANK='   '\n",
        )
        .audit(&[]);
    assert_eq!(run.status("env.required", "PRESENT"), "pass");
    let missing = run.result("env.required", "MISSING");
    assert_eq!(missing["status"], "fail");
    assert!(missing["summary"].as_str().unwrap().contains("is not set"));
    assert_eq!(run.status("env.required", "EMPTY"), "fail");
    assert_eq!(run.status("env.required", "BLANK"), "fail");
    assert!(
        !run.stdout.contains("value-here"),
        "a value reached the report"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn waivers_hide_a_finding_until_they_expire() {
    let manifest = format!(
        "{MANIFEST}waivers:\n  - {{ check: env.required, target: MISSING, reason: later, expires: 2999-01-01 }}\n  - {{ check: 'env.*', target: EMPTY, reason: old, expires: 2001-01-01 }}\n"
    );
    let run = Project::new(&manifest)
        .file(".env.production", "PRESENT=x\nBLANK=y\nEMPTY=\n")
        .audit(&[]);
    let waived = run.result("env.required", "MISSING");
    assert_eq!(waived["status"], "waived");
    assert_eq!(waived["details"]["waived_status"], "fail");
    assert_eq!(
        run.status("env.required", "EMPTY"),
        "fail",
        "an expired waiver no longer applies"
    );
    assert_eq!(run.status("manifest.waiver-expired", "env.*@EMPTY"), "fail");
    assert_eq!(
        run.status("manifest.waiver-expired", "env.required@MISSING"),
        "pass"
    );
}
