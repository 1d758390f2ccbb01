//! `tessera code <URI> [--at <unix-seconds>]`: the code of one otpauth URI, nothing stored.

use anyhow::{Context as _, anyhow};
use tessera_core::clock::Clock;
use tessera_core::{otp, uri};

/// Arguments of `tessera code`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Prints only the code. HOTP URIs give the code at their counter (nothing is stored).\n\nExample:\n  tessera code 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example' --at 1700000000"
)]
pub struct CodeArgs {
    /// An otpauth:// (totp, hotp, steam) or steam:// URI.
    pub uri: String,
    /// Compute the code at this Unix time (seconds since 1970, UTC) instead of now; any value up
    /// to 18446744073709551615.
    // Parsed here rather than by clap so a bad value gives one line on stderr like other errors.
    #[arg(long, value_name = "UNIX-SECONDS", allow_hyphen_values = true)]
    pub at: Option<String>,
}

/// Runs `tessera code`: prints the code on stdout.
pub fn run(args: CodeArgs) -> anyhow::Result<()> {
    let now = match args.at.as_deref() {
        Some(text) => parse_unix_seconds(text)?,
        None => Clock::system().now(),
    };
    let account = uri::parse(&args.uri).map_err(|e| match e {
        uri::UriError::MigrationUri => anyhow!(
            "a Google Authenticator migration link holds several accounts; list them with `tessera uri inspect`"
        ),
        e => anyhow!("bad URI: {e}"),
    })?;
    let code = otp::code_at(&account, now).context("cannot compute a code")?;
    println!("{code}");
    Ok(())
}

/// A Unix time in whole seconds, with a one-line error for anything else.
pub fn parse_unix_seconds(text: &str) -> anyhow::Result<u64> {
    text.trim().parse::<u64>().map_err(|_| {
        let shown: String = text.chars().take(24).collect();
        anyhow!("--at needs a whole number of seconds since 1970 (0 to 18446744073709551615), got {shown:?}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_values() {
        assert_eq!(parse_unix_seconds(" 59 ").unwrap(), 59);
        assert_eq!(
            parse_unix_seconds("18446744073709551615").unwrap(),
            u64::MAX
        );
        for bad in ["-1", "1.5", "", "18446744073709551616", "soon"] {
            let e = parse_unix_seconds(bad).unwrap_err().to_string();
            assert!(e.starts_with("--at needs") && !e.contains('\n'), "{e}");
        }
    }
}
