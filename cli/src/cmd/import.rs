//! Vault-backed `import` commands (in progress).

use super::Context;

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct ImportArgs {}

impl ImportArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}
