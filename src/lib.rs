#![recursion_limit = "256"]
//! launch-ready: a launch-readiness auditor. See README.md for what it does and
//! CONTRIBUTING.md for how the code is laid out.

pub mod catalogue;
pub mod checks;
pub mod cli;
pub mod cloudflare;
pub mod code;
pub mod commands;
pub mod context;
pub mod crm;
pub mod email;
pub mod enrich;
pub mod evidence;
pub mod failure;
#[cfg(test)]
mod fuzz;
pub mod headers;
pub mod init;
mod init_platform;
pub mod manifest;
pub mod monitoring;
pub mod net;
pub mod notices;
pub mod pipeline;
pub mod redact;
pub mod render;
pub mod report;
pub mod runner;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod secrets;
pub mod selection;
pub mod stripe;
