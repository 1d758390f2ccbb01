//! `tessera uri inspect <URI> [--json]`: what an otpauth://, steam:// or otpauth-migration://
//! URI contains.

use std::fmt::Write as _;

use anyhow::anyhow;
use serde::Serialize;
use tessera_core::account::{Account, OtpKind};
use tessera_core::{migration, uri};

/// `tessera uri …`
#[derive(clap::Subcommand, Debug)]
pub enum UriCommand {
    /// Show what an otpauth://, steam:// or otpauth-migration:// URI contains.
    #[command(
        after_help = "With --json: one object {\"type\",\"issuer\",\"name\",\"secret\",\"algorithm\",\"digits\",\"period\"|\"counter\"}\nfor an otpauth:// or steam:// URI, an array of them for an otpauth-migration:// URI.\nWithout --json: a readable summary that does not show the secret."
    )]
    Inspect {
        /// The URI (quote it in the shell: it contains `&` and `?`).
        uri: String,
        /// Print JSON (includes the secret, as Base32).
        #[arg(long)]
        json: bool,
    },
}

/// The JSON shape of one account (a contract: keep the names).
#[derive(Serialize)]
struct AccountJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    issuer: &'a str,
    name: &'a str,
    secret: String,
    algorithm: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

impl<'a> AccountJson<'a> {
    fn new(account: &'a Account, secret: String) -> Self {
        AccountJson {
            kind: account.params.kind.type_name(),
            issuer: &account.issuer,
            name: &account.name,
            secret,
            algorithm: account.params.algorithm.as_str(),
            digits: account.params.digits,
            period: account.params.kind.period(),
            counter: account.params.kind.counter(),
        }
    }
}

/// Runs `tessera uri …`.
pub fn run(cmd: UriCommand) -> anyhow::Result<()> {
    match cmd {
        UriCommand::Inspect { uri, json } => inspect(&uri, json),
    }
}

fn is_migration(text: &str) -> bool {
    text.trim()
        .split_once("://")
        .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("otpauth-migration"))
}

fn inspect(text: &str, json: bool) -> anyhow::Result<()> {
    if is_migration(text) {
        let batch = migration::decode(text).map_err(|e| anyhow!("bad migration URI: {e}"))?;
        for (label, reason) in &batch.skipped {
            eprintln!("tessera: warning: skipped {label}: {reason}");
        }
        if json {
            let items: Vec<AccountJson<'_>> = batch
                .accounts
                .iter()
                .map(|a| AccountJson::new(a, a.secret.to_base32()))
                .collect();
            println!("{}", serde_json::to_string(&items)?);
        } else {
            let mut out = format!(
                "Google Authenticator export, QR code {} of {} (format version {}): {} account(s)\n",
                batch.batch_index + 1,
                batch.batch_size.max(1),
                batch.version,
                batch.accounts.len()
            );
            for a in &batch.accounts {
                out.push('\n');
                out.push_str(&summary(a, &[]));
            }
            print!("{out}");
        }
        return Ok(());
    }
    let (account, warnings) =
        uri::parse_with_warnings(text).map_err(|e| anyhow!("bad URI: {e}"))?;
    if json {
        // The secret as written (normalized), which names the same key as the canonical form.
        let secret = uri::secret_text(text)
            .map(|s| s.to_string())
            .unwrap_or_else(|| account.secret.to_base32());
        // Warnings (weak secret, issuer mismatch) are in the readable summary; the JSON form is
        // for programs, which get exactly one object and a quiet stderr.
        println!(
            "{}",
            serde_json::to_string(&AccountJson::new(&account, secret))?
        );
    } else {
        let notes: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        print!("{}", summary(&account, &notes));
    }
    Ok(())
}

/// A readable description of an account, without the secret.
fn summary(a: &Account, warnings: &[String]) -> String {
    let mut s = String::new();
    let dash = |v: &str| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.to_string()
        }
    };
    let _ = writeln!(s, "Type:      {}", a.params.kind.type_name());
    let _ = writeln!(s, "Issuer:    {}", dash(&a.issuer));
    let _ = writeln!(s, "Name:      {}", dash(&a.name));
    let _ = writeln!(s, "Algorithm: {}", a.params.algorithm);
    let _ = writeln!(s, "Digits:    {}", a.params.digits);
    match a.params.kind {
        OtpKind::Totp { period } | OtpKind::Steam { period } => {
            let _ = writeln!(s, "Period:    {period} s");
        }
        OtpKind::Hotp { counter } => {
            let _ = writeln!(s, "Counter:   {counter}");
        }
    }
    let _ = writeln!(
        s,
        "Secret:    {} bytes ({} bits; shown only with --json)",
        a.secret.len(),
        a.secret.len() * 8
    );
    for (k, v) in &a.meta {
        let v: String = v.chars().take(60).collect();
        let _ = writeln!(s, "Extra:     {k} = {v}");
    }
    for w in warnings {
        let _ = writeln!(s, "Warning:   {w}");
    }
    s
}
