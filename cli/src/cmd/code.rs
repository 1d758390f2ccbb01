//! `tessera code <URI> [--at <unix-seconds>]` (in progress).

/// Arguments of `tessera code`.
#[derive(clap::Args, Debug)]
pub struct CodeArgs {
    /// An otpauth:// or steam:// URI.
    pub uri: String,
    /// Compute the code at this Unix time (seconds) instead of now.
    #[arg(long, value_name = "UNIX-SECONDS")]
    pub at: Option<u64>,
}

/// Runs `tessera code`.
pub fn run(_args: CodeArgs) -> anyhow::Result<()> {
    anyhow::bail!("`code` is not available yet")
}
