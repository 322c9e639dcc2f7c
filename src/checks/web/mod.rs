//! Checks of what the canonical site serves to browsers.

pub mod bundle_secrets;
mod found;
pub mod scripts;
pub mod sri;
