//! Shared test plumbing: write a manifest (and dotenv) into a temp dir, start a sandbox
//! world on loopback, run the real binary against it and read its JSON report.

use std::path::Path;

use assert_cmd::Command;
use launch_ready::sandbox::{Running, World};
use serde_json::Value;
use tempfile::TempDir;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The JSON report, when the run produced one.
    pub report: Value,
    pub dir: TempDir,
}

impl Run {
    /// The result of `check` for `target`; panics with the report when absent.
    pub fn result(&self, check: &str, target: &str) -> &Value {
        self.report["results"]
            .as_array()
            .and_then(|rs| {
                rs.iter()
                    .find(|r| r["check"] == check && r["target"] == target)
            })
            .unwrap_or_else(|| {
                panic!(
                    "no result {check} {target} in\n{}\nstderr: {}",
                    self.stdout, self.stderr
                )
            })
    }

    /// The audit's own wall time (`duration_ms` of the report): unlike a stopwatch
    /// around the test, it leaves out process start-up and the sandbox, so time
    /// limits in tests need no margin for a loaded machine's overhead.
    pub fn audit_time(&self) -> std::time::Duration {
        let ms = self.report["duration_ms"].as_u64().unwrap_or_else(|| {
            panic!(
                "no duration_ms in\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        });
        std::time::Duration::from_millis(ms)
    }

    pub fn status(&self, check: &str, target: &str) -> String {
        self.result(check, target)["status"]
            .as_str()
            .unwrap_or("?")
            .to_owned()
    }
}

/// A test project: its folder, manifest, optional dotenv and optional sandbox.
pub struct Project {
    pub dir: TempDir,
    pub sandbox: Option<Running>,
    env_clear: bool,
}

impl Project {
    pub fn new(manifest: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("launch-ready.yaml"), manifest).expect("write manifest");
        Self {
            dir,
            sandbox: None,
            env_clear: true,
        }
    }

    pub fn file(self, name: &str, contents: &str) -> Self {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, contents).expect("write file");
        self
    }

    pub fn world(mut self, world: impl FnOnce() -> World + Send + 'static) -> Self {
        self.sandbox = Some(Running::start(self.dir.path(), world).expect("sandbox starts"));
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("launch-ready").expect("binary");
        cmd.current_dir(self.dir.path()).env("NO_COLOR", "1");
        if self.env_clear {
            // Tests must not depend on the developer's environment.
            cmd.env_clear().env("NO_COLOR", "1");
        }
        cmd
    }

    /// `launch-ready audit launch-ready.yaml --format json <sandbox flags> <args>`.
    pub fn audit(self, args: &[&str]) -> Run {
        let mut cmd = self.command();
        cmd.args([
            "audit",
            "launch-ready.yaml",
            "--format",
            "json",
            "--timeout",
            "3",
        ]);
        if let Some(sb) = &self.sandbox {
            cmd.args(&sb.flags);
        }
        cmd.args(args);
        let out = cmd.output().expect("run binary");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        drop(self.sandbox);
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            report,
            dir: self.dir,
        }
    }
}

pub fn launch_ready() -> Command {
    let mut cmd = Command::cargo_bin("launch-ready").expect("binary");
    cmd.env("NO_COLOR", "1");
    cmd
}
