//! `tessera`: the command-line authenticator over the Tessera core.
//!
//! Each command group lives in its own module under `cmd/`; this file only wires the tree and
//! turns errors into one line on stderr with a non-zero exit status.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A command-line authenticator: TOTP/HOTP/Steam codes, an encrypted vault, import/export and
/// push sign-in approvals.
#[derive(Parser, Debug)]
#[command(name = "tessera", version, about, propagate_version = true)]
struct Cli {
    /// The vault file (default: $XDG_DATA_HOME/tessera/vault.db).
    #[arg(long, global = true, env = "TESSERA_VAULT", value_name = "PATH")]
    vault: Option<PathBuf>,

    /// More log output on stderr (-v info, -vv debug, -vvv trace). Secrets are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the current code of an otpauth URI (nothing is stored).
    Code(cmd::code::CodeArgs),
    /// Inspect otpauth and otpauth-migration URIs.
    #[command(subcommand)]
    Uri(cmd::uri::UriCommand),
    /// Create a new encrypted vault.
    Init(cmd::vault::InitArgs),
    /// Add an account from an otpauth URI; prints the new id.
    Add(cmd::vault::AddArgs),
    /// List the accounts in the vault (never secrets).
    List(cmd::vault::ListArgs),
    /// Show the current codes of every account.
    Codes(cmd::vault::CodesArgs),
    /// Advance an HOTP account's counter and show its next code.
    Next(cmd::vault::NextArgs),
    /// Change an account's issuer or name.
    Rename(cmd::vault::RenameArgs),
    /// Remove an account from the vault.
    Remove(cmd::vault::RemoveArgs),
    /// Change the vault password.
    Passwd(cmd::vault::PasswdArgs),
    /// Import accounts from another authenticator's export file.
    Import(cmd::import::ImportArgs),
    /// Export accounts as a Tessera backup, Aegis JSON, otpauth URIs or Google migration batches.
    Export(cmd::export::ExportArgs),
    /// Check backups against the vault.
    #[command(subcommand)]
    Backup(cmd::export::BackupCommand),
    /// Push sign-in approvals (privacyIDEA PUSH tokens).
    #[command(subcommand)]
    Push(cmd::push::PushCommand),
}

/// Parses the command line. `--help` and `--version` print as usual; a usage error becomes one
/// line on stderr (what is wrong, and where to look) with exit status 2, like every other error.
fn parse_args() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(e) if !e.use_stderr() => {
            // --help / --version: clap's own output on stdout.
            let _ = e.print();
            Err(ExitCode::SUCCESS)
        }
        Err(e) => {
            let rendered = e.render().to_string();
            let first = rendered
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("tessera: error: {first} (see `tessera --help`)");
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    cmd::init_logging(cli.verbose);
    let ctx = cmd::Context::new(cli.vault);
    let result = match cli.command {
        None => cmd::vault::show_default(&ctx),
        Some(Command::Code(a)) => cmd::code::run(a),
        Some(Command::Uri(c)) => cmd::uri::run(c),
        Some(Command::Init(a)) => a.run(&ctx),
        Some(Command::Add(a)) => a.run(&ctx),
        Some(Command::List(a)) => a.run(&ctx),
        Some(Command::Codes(a)) => a.run(&ctx),
        Some(Command::Next(a)) => a.run(&ctx),
        Some(Command::Rename(a)) => a.run(&ctx),
        Some(Command::Remove(a)) => a.run(&ctx),
        Some(Command::Passwd(a)) => a.run(&ctx),
        Some(Command::Import(a)) => a.run(&ctx),
        Some(Command::Export(a)) => a.run(&ctx),
        Some(Command::Backup(c)) => c.run(&ctx),
        Some(Command::Push(c)) => c.run(&ctx),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the top-level message only. Messages are written never to carry secrets.
            eprintln!("tessera: error: {e}");
            ExitCode::FAILURE
        }
    }
}
