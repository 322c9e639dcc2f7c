//! Uptime monitoring: production is watched, and someone hears when it goes down.

pub mod coverage;
