//! The manifest: typed model, loading with located errors, and environment resolution.

mod env;
mod fields;
mod load;
mod model;

pub mod handover;
pub mod placeholders;

pub use env::{Env, EnvSource, EnvVar};
pub use fields::{DateField, HostField, UrlField, valid_host};
pub use load::{Loaded, ManifestError, ManifestProblem, load, parse_str};
pub use model::*;

/// JSON Schema of the manifest, generated from the same types the parser uses.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Manifest);
    serde_json::to_value(schema).unwrap_or_default()
}
