#![allow(clippy::unwrap_used, clippy::expect_used)]

//! One integration test binary (fast to link) driving the real CLI against in-process
//! loopback servers. One module per area.

mod support;

mod bundle;
mod catalogue;
mod cli;
mod dns;
mod env;
mod env_secrets;
mod leaks;
mod manifest;
mod reports;
