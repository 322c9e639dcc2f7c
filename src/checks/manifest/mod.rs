pub mod valid;
pub mod waiver_expired;
