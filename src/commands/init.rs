//! `launch-ready init [DIR]`: write `DIR/launch-ready.yaml` from the draft
//! (`crate::init`), never over an existing manifest without `--force`.

use std::path::Path;

use crate::failure::{Failure, exit};

pub fn run(dir: &Path, force: bool) -> Result<u8, Failure> {
    if !dir.is_dir() {
        return Err(Failure::usage(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    let target = dir.join("launch-ready.yaml");
    if target.exists() && !force {
        return Err(Failure::usage(format!(
            "{} exists (use --force to overwrite)",
            target.display()
        )));
    }
    let draft = crate::init::draft(dir);
    std::fs::write(&target, &draft)
        .map_err(|e| Failure::internal(format!("cannot write {}: {e}", target.display())))?;
    let todos = draft
        .lines()
        .filter(|l| l.contains("TODO") || l.contains("example.com"))
        .count();
    eprintln!(
        "wrote {} — {todos} line(s) marked TODO: complete them, then run: launch-ready audit {}",
        target.display(),
        target.display()
    );
    Ok(exit::OK)
}
