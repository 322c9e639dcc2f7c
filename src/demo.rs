//! `launch-ready demo`: start the sandbox's "acme" production on loopback and audit it
//! with the real engine. Works offline, in seconds, on a fresh machine.

use crate::app::Failure;
use crate::cli::DemoArgs;

#[cfg(not(feature = "sandbox"))]
pub fn run(_args: DemoArgs) -> Result<u8, Failure> {
    Err(Failure::usage(
        "this build has no sandbox (built without the `sandbox` feature)",
    ))
}

#[cfg(feature = "sandbox")]
pub fn run(args: DemoArgs) -> Result<u8, Failure> {
    use crate::sandbox::{Sandbox, acme};
    let outputs = crate::app::parse_outputs(&args.output.outputs)?;
    let dir = tempfile_dir()?;
    let rt = crate::app::runtime()?;
    rt.block_on(async {
        let sandbox = Sandbox::start(acme::world()).await.map_err(Failure::internal)?;
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
        let ca = sandbox.write_ca(&dir).map_err(io)?;
        let flags = sandbox.audit_flags(&ca);
        // Audit from inside the demo folder, so the report names `launch-ready.yaml` and
        // the code paths relative to it, as a user's own audit would.
        let previous_dir = std::env::current_dir().ok();
        std::env::set_current_dir(&dir).map_err(io)?;
        let mut argv = vec!["launch-ready".to_owned(), "audit".to_owned(), "launch-ready.yaml".to_owned()];
        argv.extend(flags.iter().cloned());
        argv.extend(["--timeout".to_owned(), "3".to_owned()]);
        if args.active {
            argv.push("--active".to_owned());
        }
        let cli = <crate::cli::Cli as clap::Parser>::try_parse_from(&argv)
            .map_err(|e| Failure::internal(format!("demo arguments: {e}")))?;
        let crate::cli::Command::Audit(audit) = cli.command else {
            return Err(Failure::internal("demo arguments did not parse as an audit"));
        };
        let mut audit = *audit;
        audit.output = args.output.clone();
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
        let prepared = crate::app::prepare(&audit, Vec::new())?;
        let (report, _) = crate::app::execute(prepared.cx, &prepared.run, &prepared.scrub).await?;
        if let Some(previous) = previous_dir {
            let _ = std::env::set_current_dir(previous);
        }
        crate::app::emit(&report, &args.output, &outputs, &prepared.scrub)?;
        if args.keep {
            eprintln!("\nThe sandbox keeps running; audit it yourself with:\n  launch-ready audit {} {}\nPress Ctrl-C to stop.", manifest.display(), flags.join(" "));
            let _ = tokio::signal::ctrl_c().await;
        } else if !args.output.quiet {
            eprintln!(
                "\nThat was the sandbox. Audit your own production with: launch-ready init && launch-ready audit launch-ready.yaml"
            );
        }
        Ok(())
    })?;
    let _ = std::fs::remove_dir_all(&dir);
    // The demo succeeded when it showed its findings; its exit code is not a gate.
    Ok(crate::app::exit::OK)
}

#[cfg(feature = "sandbox")]
fn tempfile_dir() -> Result<std::path::PathBuf, Failure> {
    let dir = std::env::temp_dir().join(format!(
        "launch-ready-demo-{}",
        crate::sandbox::random_token(8)
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::internal(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}
