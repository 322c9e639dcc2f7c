//! Exit codes (SPEC §1) and the failure a command ends with. A leaf module: every
//! command, `init` included, can name a failure without importing the dispatcher.

/// Exit codes of SPEC §1.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INTERNAL: u8 = 3;
}

/// A command's failure with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: exit::USAGE,
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            code: exit::INTERNAL,
            message: message.into(),
        }
    }
}
