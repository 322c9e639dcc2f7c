#![allow(clippy::unwrap_used, clippy::expect_used)]

//! One integration test binary (fast to link) driving the real CLI against in-process
//! loopback servers. One module per area.

mod support;

mod browser;
mod bundle;
mod catalogue;
mod cli;
mod cloudflare;
mod code;
mod crm;
mod crm_caps;
mod crm_leaks;
mod dns;
mod email;
mod email_dkim;
mod email_dmarc;
mod email_hostile;
mod email_spf_audit;
mod email_spf_suite;
mod env;
mod env_secrets;
mod gate;
mod github;
mod handover;
mod http;
mod init;
mod leaks;
mod manifest;
mod mobile;
mod monitoring;
mod reports;
mod stripe;
mod tls;
mod vercel;
mod webhook;
