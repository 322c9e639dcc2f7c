//! `launch-ready demo`: start the sandbox's "acme" production on loopback and audit it
//! with the real pipeline. Works offline, in seconds, on a fresh machine.

use crate::cli::DemoArgs;
use crate::failure::Failure;

#[cfg(not(feature = "sandbox"))]
pub fn run(_args: DemoArgs) -> Result<u8, Failure> {
    Err(Failure::usage(
        "this build has no sandbox (built without the `sandbox` feature)",
    ))
}

#[cfg(feature = "sandbox")]
pub fn run(args: DemoArgs) -> Result<u8, Failure> {
    let outputs = super::output::parse_outputs(&args.output.outputs)?;
    let dir = demo_dir()?;
    let rt = super::runtime()?;
    let outcome = rt.block_on(audit_sandbox(&args, &outputs, &dir));
    let _ = std::fs::remove_dir_all(&dir);
    outcome?;
    // The demo succeeded when it showed its findings; its exit code is not a gate.
    Ok(crate::failure::exit::OK)
}

#[cfg(feature = "sandbox")]
async fn audit_sandbox(
    args: &DemoArgs,
    outputs: &[(crate::render::Format, std::path::PathBuf)],
    dir: &std::path::Path,
) -> Result<(), Failure> {
    use std::time::Duration;

    use crate::pipeline::{self, AuditRequest};
    use crate::sandbox::{Sandbox, acme};

    let sandbox = Sandbox::start(acme::world())
        .await
        .map_err(Failure::internal)?;
    let manifest = dir.join("launch-ready.yaml");
    let io = |e: std::io::Error| Failure::internal(format!("cannot write the demo files: {e}"));
    std::fs::write(&manifest, acme::MANIFEST).map_err(io)?;
    std::fs::write(dir.join(".env.production"), acme::env_file()).map_err(io)?;
    for (path, contents) in acme::code::FILES {
        let file = dir.join("app").join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(file, contents).map_err(io)?;
    }
    let ca = sandbox.write_ca(dir).map_err(io)?;
    let mut req = AuditRequest::new(&manifest);
    // The report names `launch-ready.yaml`, as a user's own audit would.
    req.manifest_label = Some("launch-ready.yaml".into());
    req.net.nameservers = vec![sandbox.dns.addr];
    req.net.connect_to = sandbox.connect_to().into_iter().collect();
    req.net.ca_files = vec![ca.clone()];
    req.net.timeout = Duration::from_secs(3);
    req.net.listing_deadline = crate::net::api::listing_deadline(
        req.run.deadline.as_secs_f64(),
        req.net.timeout.as_secs_f64(),
    );
    req.active = args.active;
    req.run.progress = !(args.output.no_progress || args.output.quiet);
    if !args.output.quiet {
        eprintln!(
            "launch-ready demo: sandbox DNS on {}, web (HTTP+HTTPS) on {}, CA {}",
            sandbox.dns.addr,
            sandbox.web.addr,
            ca.display()
        );
        eprintln!("auditing \"acme\", a deliberately imperfect production — expect failures.\n");
    }
    // The demo audits only its own files: the caller's environment stays out.
    let prepared = pipeline::prepare(&req, Vec::new())?;
    let (report, _) = pipeline::execute(prepared.cx, &prepared.run).await?;
    super::output::emit(&report, &args.output, outputs, &prepared.scrub)?;
    if args.keep {
        let flags = sandbox.audit_flags(&ca);
        eprintln!(
            "\nThe sandbox keeps running; audit it yourself with:\n  launch-ready audit {} {}\nPress Ctrl-C to stop.",
            manifest.display(),
            flags.join(" ")
        );
        let _ = tokio::signal::ctrl_c().await;
    } else if !args.output.quiet {
        eprintln!(
            "\nThat was the sandbox. Audit your own production with: launch-ready init && launch-ready audit launch-ready.yaml"
        );
    }
    Ok(())
}

#[cfg(feature = "sandbox")]
fn demo_dir() -> Result<std::path::PathBuf, Failure> {
    let dir = std::env::temp_dir().join(format!(
        "launch-ready-demo-{}",
        crate::sandbox::random_token(8)
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::internal(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}
