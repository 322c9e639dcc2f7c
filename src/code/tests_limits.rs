//! The walk's caps: file count, file size, skipped directories.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_robust::TempRepo;
use super::*;

#[test]
fn file_cap_is_reported_in_scan_notes() {
    let repo = TempRepo::new();
    assert!(scan_notes(&repo.cfg()).is_empty());
    for i in 0..=MAX_FILES {
        repo.write(&format!("lib/m{i}.ts"), "export {};");
    }
    let notes = scan_notes(&repo.cfg());
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("5000"), "{notes:?}");
}

#[test]
fn oversized_client_file_is_an_error_with_a_note() {
    let repo = TempRepo::new();
    let big = format!(
        "'use client';\n// {}\n",
        "x".repeat(MAX_FILE_BYTES as usize)
    );
    repo.write("components/Big.tsx", big)
        .write("components/Small.tsx", "'use client';\nexport const a = 1;");
    let c = client_secrets(&repo.cfg());
    let got: Vec<(&str, Verdict)> = c.iter().map(|f| (f.file.as_str(), f.verdict)).collect();
    assert_eq!(
        got,
        [
            ("components/Big.tsx", Verdict::Error),
            ("components/Small.tsx", Verdict::Pass)
        ]
    );
    assert!(c[0].summary.contains("byte limit"), "{}", c[0].summary);
}

#[test]
fn public_var_rules() {
    let cfg = CodeConfig::new("/nonexistent");
    assert!(cfg.is_public_var("NEXT_PUBLIC_APP_URL"));
    assert!(cfg.is_public_var("EXPO_PUBLIC_X"));
    assert!(cfg.is_public_var("NODE_ENV"));
    assert!(!cfg.is_public_var("STRIPE_SECRET_KEY"));
    assert!(!cfg.is_public_var("NEXT_PUBLICX"));
    let none = CodeConfig {
        root: "/x".into(),
        public_prefixes: vec![String::new()],
    };
    assert!(
        !none.is_public_var("ANYTHING"),
        "an empty prefix must not make everything public"
    );
}
