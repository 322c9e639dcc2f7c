pub mod public_exposure;
pub mod required;
pub mod stripe_keys;
pub mod urls;
