//! Vault-backed `export` commands (in progress).

use super::Context;

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct ExportArgs {}

impl ExportArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// `tessera backup …`
#[derive(clap::Subcommand, Debug)]
pub enum BackupCommand {
    /// Decrypt a backup and compare it with the vault.
    Verify {
        /// The backup file.
        file: std::path::PathBuf,
    },
}

impl BackupCommand {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}
