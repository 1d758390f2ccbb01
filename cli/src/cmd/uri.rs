//! `tessera uri inspect <URI> --json` (in progress).

/// `tessera uri …`
#[derive(clap::Subcommand, Debug)]
pub enum UriCommand {
    /// Show what an otpauth:// or otpauth-migration:// URI contains.
    Inspect {
        /// The URI.
        uri: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `tessera uri …`.
pub fn run(_cmd: UriCommand) -> anyhow::Result<()> {
    anyhow::bail!("`uri` is not available yet")
}
