#![allow(clippy::unwrap_used, clippy::expect_used)]

//! One integration test binary (fast to link) driving the real CLI against in-process
//! loopback servers. One module per area.

mod support;

mod catalogue;
mod cli;
mod dns;
mod env;
mod leaks;
mod manifest;
mod reports;
mod stripe;
