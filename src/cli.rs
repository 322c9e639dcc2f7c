//! The command line (SPEC §1), as clap derive types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::render::Format;
use crate::report::FailOn;

/// `--timeout`: finite seconds in (0, 3600] (SPEC §7).
pub const MAX_TIMEOUT_S: f64 = 3600.0;
/// `--deadline`: finite seconds in (0, 86400] (SPEC §7).
pub const MAX_DEADLINE_S: f64 = 86400.0;

#[derive(Parser, Debug)]
#[command(name = "launch-ready", version, about = "Audit a product's production setup before launch: DNS, TLS, HTTP, email authentication, secrets, webhooks and Stripe delivery.", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the checks of a manifest and report.
    #[command(args_override_self = true)]
    Audit(Box<AuditArgs>),
    /// List every check: id, severity, what it needs.
    Checks {
        /// Print the catalogue as JSON.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print the catalogue as a Markdown table (the one in README.md).
        #[arg(long)]
        markdown: bool,
    },
    /// Why a check matters and how to fix it.
    Explain { check_id: String },
    /// Draft a manifest by reading a Next.js repository.
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing launch-ready.yaml.
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of the manifest (for editors), or of the JSON report.
    Schema {
        /// The JSON Schema of the report `--format json` writes.
        #[arg(long)]
        report: bool,
    },
    /// Work with JSON reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Start the built-in sandbox (a deliberately broken production on loopback) and audit it.
    #[command(args_override_self = true)]
    Demo(DemoArgs),
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Merge shard reports into one.
    Merge {
        #[arg(required = true, num_args = 1..)]
        reports: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
}

#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// What goes to stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Also write a report file, e.g. json=report.json; repeatable.
    #[arg(long = "output", value_name = "FORMAT=PATH")]
    pub outputs: Vec<String>,
    /// Hide the progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Only the report on stdout; nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Per-check timing and evidence on stderr (secret values masked); every pass
    /// listed.
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
    /// List passes in the table (by default they are counted per area).
    #[arg(long)]
    pub all: bool,
}

#[derive(Args, Debug, Clone)]
pub struct AuditArgs {
    #[arg(default_value = "launch-ready.yaml")]
    pub manifest: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    /// What makes the exit code 1.
    #[arg(long, value_enum, default_value = "fail")]
    pub fail_on: FailOn,
    /// Extra dotenv file; repeatable; overrides the manifest's env.files.
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_files: Vec<PathBuf>,
    /// Run only checks whose id matches, e.g. 'email.*'; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub only: Vec<String>,
    /// Skip checks whose id matches; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub skip: Vec<String>,
    /// Resolver for every lookup, HTTP/TLS connections included; repeatable.
    #[arg(long, value_name = "IP[:PORT]")]
    pub nameserver: Vec<String>,
    /// Connect HOST to ADDR (like curl --resolve); repeatable.
    #[arg(long = "connect-to", value_name = "HOST:ADDR")]
    pub connect_to: Vec<String>,
    /// Extra trust anchors (PEM), added to the built-in roots.
    #[arg(long = "ca-file", value_name = "PEM")]
    pub ca_files: Vec<PathBuf>,
    /// Seconds per network operation, in (0, 3600].
    #[arg(long, default_value_t = 10.0, value_parser = timeout_seconds)]
    pub timeout: f64,
    /// Seconds for the whole audit, in (0, 86400]; unfinished checks end as `error`.
    #[arg(long, default_value_t = 120.0, value_parser = deadline_seconds)]
    pub deadline: f64,
    /// In-flight network operations, 1 to 4096.
    #[arg(long, default_value_t = 32, value_parser = concurrency)]
    pub concurrency: usize,
    /// Allow probes that send signed test events to webhooks.
    #[arg(long)]
    pub active: bool,
    /// Let live API credentials go to this base although only the manifest names
    /// it (it is not the provider's own host); repeatable.
    #[arg(long = "allow-api-base", value_name = "URL")]
    pub allow_api_base: Vec<String>,
    /// Run only checks that need no network (env, code, manifest).
    #[arg(long)]
    pub offline: bool,
    /// Mark results as new / fixed / unchanged against an earlier JSON report.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// Run the I-th of N slices of the audit (CI matrix), e.g. 2/4.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// Also run the active webhook probes against the sandbox.
    #[arg(long)]
    pub active: bool,
    /// Keep the sandbox running after the audit and print how to audit it by hand.
    #[arg(long)]
    pub keep: bool,
}

fn concurrency(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=4096).contains(&n) => Ok(n),
        _ => Err("must be a whole number from 1 to 4096".to_owned()),
    }
}

fn timeout_seconds(text: &str) -> Result<f64, String> {
    seconds(text, MAX_TIMEOUT_S)
}

fn deadline_seconds(text: &str) -> Result<f64, String> {
    seconds(text, MAX_DEADLINE_S)
}

/// Finite seconds in (0, max]: beyond that a duration overflows the clock.
fn seconds(text: &str, max: f64) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if value.is_finite() && value > 0.0 && value <= max {
        Ok(value)
    } else {
        Err(format!("must be a number of seconds in (0, {max}]"))
    }
}

/// clap's view of `--fail-on`, kept here so the report model does not depend on clap.
impl clap::ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        &[FailOn::Fail, FailOn::Warn]
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            FailOn::Fail => "fail",
            FailOn::Warn => "warn",
        }))
    }
}
