//! `tessera push …` (in progress).

use super::Context;

/// `tessera push …`
#[derive(clap::Subcommand, Debug)]
pub enum PushCommand {
    /// Enroll a privacyIDEA PUSH token from its otpauth://pipush/ link.
    Enroll {
        /// The otpauth://pipush/… link from the QR code.
        uri: String,
    },
}

impl PushCommand {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("push is not available yet")
    }
}
