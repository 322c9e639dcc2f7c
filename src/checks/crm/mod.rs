//! Payments → CRM reconciliation.

pub mod stripe_sync;
