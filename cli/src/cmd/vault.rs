//! Vault-backed `vault` commands (in progress).

use super::Context;

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct InitArgs {}

impl InitArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct AddArgs {}

impl AddArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct ListArgs {}

impl ListArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct CodesArgs {}

impl CodesArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct NextArgs {}

impl NextArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct RenameArgs {}

impl RenameArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct RemoveArgs {}

impl RemoveArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// Arguments (in progress).
#[derive(clap::Args, Debug)]
pub struct PasswdArgs {}

impl PasswdArgs {
    /// Runs the command.
    pub fn run(self, _ctx: &Context) -> anyhow::Result<()> {
        anyhow::bail!("this command is not available yet")
    }
}

/// Plain `tessera`: the live codes of the default vault.
pub fn show_default(_ctx: &Context) -> anyhow::Result<()> {
    anyhow::bail!("the vault is not available yet")
}
