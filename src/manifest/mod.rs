//! The manifest: typed model, loading with located errors, and environment resolution.

mod cloudflare;
mod env;
mod fields;
mod load;
mod model;
mod platform;

pub mod handover;
pub mod placeholders;

pub use cloudflare::CloudflareSection;
pub use env::{Env, EnvSource, EnvVar};
pub use fields::{DateField, HostField, UrlField, valid_host};
pub use load::{Loaded, ManifestError, ManifestProblem, load, parse_str};
pub use model::*;
pub use platform::{EnvSourceKind, PlatformProvider, PlatformSection};

/// JSON Schema of the manifest, generated from the same types the parser uses.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Manifest);
    serde_json::to_value(schema).unwrap_or_default()
}
