pub mod env_targets;
