//! `tessera export` and `tessera backup verify`.
//!
//! `tessera export --format tessera|aegis|uris|google-migration --output <file> [--plain]`:
//! the password of an encrypted export comes from `TESSERA_EXPORT_PASSWORD`, else a prompt
//! (asked twice). Formats that cannot be encrypted (`uris`, `google-migration`) and unencrypted
//! `tessera`/`aegis` files need `--plain`. Every export is written to a temporary file in the
//! same directory, with mode 0600, and renamed into place, so a crash never leaves half a backup.
//!
//! `tessera backup verify <file> [--json]`: opens a Tessera backup (its password from
//! `TESSERA_EXPORT_PASSWORD`, else `TESSERA_IMPORT_PASSWORD`, else a prompt) and compares it with
//! the vault; exits non-zero when they differ.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use tessera_core::export::{self, ExportFormat, backup, google, verify};
use zeroize::Zeroizing;

use super::Context;
use super::import::read_limited;
use super::progress::Progress;
use super::vault::{read_password, unlock};

/// The `--format` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    /// Tessera's own backup: lossless (metadata, groups, notes, favourites, HOTP counters).
    Tessera,
    /// An Aegis vault file (Aegis can import it).
    Aegis,
    /// One otpauth:// URI per line.
    Uris,
    /// Google Authenticator migration URIs, one per QR code (see --qr-png, --qr-terminal).
    GoogleMigration,
}

impl From<FormatArg> for ExportFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Tessera => ExportFormat::Tessera,
            FormatArg::Aegis => ExportFormat::Aegis,
            FormatArg::Uris => ExportFormat::Uris,
            FormatArg::GoogleMigration => ExportFormat::GoogleMigration,
        }
    }
}

/// Arguments of `tessera export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// What to write.
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// The file to write (replaced if it exists).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Write secrets unencrypted (required for uris and google-migration, and for tessera or
    /// aegis without a password).
    #[arg(long)]
    pub plain: bool,
    /// google-migration: also write each batch as a QR code, <output>-<n>-of-<total>.png.
    #[arg(long)]
    pub qr_png: bool,
    /// google-migration: also show the QR codes on the terminal (stdout).
    #[arg(long)]
    pub qr_terminal: bool,
}

/// Writes `bytes` to `path` atomically with mode 0600 (temporary file + rename).
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("{} is not a file name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| -> std::io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// `<output>-<n>-of-<total>.png` beside the output file.
fn png_path(output: &Path, n: usize, total: usize) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    output.with_file_name(format!("{stem}-{n}-of-{total}.png"))
}

impl ExportArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let format = ExportFormat::from(self.format);
        if (self.qr_png || self.qr_terminal) && format != ExportFormat::GoogleMigration {
            bail!("--qr-png and --qr-terminal only apply to --format google-migration");
        }
        if !format.supports_password() && !self.plain {
            bail!(
                "{} exports cannot be encrypted: add --plain to write the secrets in clear",
                format.id()
            );
        }
        let vault = unlock(ctx)?;
        let password: Option<Zeroizing<String>> = if self.plain {
            None
        } else {
            if std::env::var_os("TESSERA_EXPORT_PASSWORD").is_none()
                && !std::io::IsTerminal::is_terminal(&std::io::stdin())
            {
                bail!(
                    "no export password: set TESSERA_EXPORT_PASSWORD, or add --plain for an unencrypted {} file",
                    format.id()
                );
            }
            Some(read_password(
                "TESSERA_EXPORT_PASSWORD",
                "Password for the export: ",
                true,
            )?)
        };
        let accounts: Vec<_> = vault.accounts()?.into_iter().map(|(_, a)| a).collect();
        let progress = Progress::start();
        progress.stage(&format!("writing the {} export", format.id()));
        let exported = export::export(&accounts, format, password.as_deref().map(|s| s.as_str()))?;
        write_private(&self.output, &exported.bytes)?;
        let mut extra = Vec::new();
        if format == ExportFormat::GoogleMigration && (self.qr_png || self.qr_terminal) {
            let batches = google::batches(&accounts);
            let total = batches.uris.len();
            for i in 0..total {
                if self.qr_png {
                    let path = png_path(&self.output, i + 1, total);
                    write_private(&path, &batches.png(i)?)?;
                    extra.push(path);
                }
            }
            progress.finish();
            if self.qr_terminal {
                for i in 0..total {
                    println!("Google Authenticator: code {} of {total}", i + 1);
                    print!("{}", &*batches.terminal(i, false)?);
                }
            }
        }
        progress.finish();
        let n = accounts.len();
        let how = if password.is_some() {
            "encrypted"
        } else {
            "NOT encrypted"
        };
        eprintln!(
            "Exported {n} account{} to {} ({}, {how}).",
            if n == 1 { "" } else { "s" },
            self.output.display(),
            format.id()
        );
        for p in &extra {
            eprintln!("Wrote {}", p.display());
        }
        for w in &exported.warnings {
            eprintln!("warning: {w}");
        }
        Ok(())
    }
}

/// `tessera backup …`
#[derive(clap::Subcommand, Debug)]
pub enum BackupCommand {
    /// Decrypt a Tessera backup and compare it with the vault (exit status 1 if they differ).
    Verify {
        /// The backup file.
        file: PathBuf,
        /// Print the result as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
}

fn print_verification(v: &verify::Verification, file: &Path, vault_count: usize) {
    let c = &v.comparison;
    println!(
        "Backup {} ({}): {} account{}; vault: {vault_count}.",
        file.display(),
        if v.encrypted { "encrypted" } else { "plain" },
        v.backup_accounts,
        if v.backup_accounts == 1 { "" } else { "s" }
    );
    if v.is_identical() {
        println!(
            "OK: the backup restores exactly the vault's {} accounts.",
            c.matching
        );
        return;
    }
    println!("DIFFERS: {} account(s) match.", c.matching);
    if !c.missing.is_empty() {
        println!("Missing from the backup ({}):", c.missing.len());
        c.missing.iter().for_each(|l| println!("  {l}"));
    }
    if !c.extra.is_empty() {
        println!("Only in the backup ({}):", c.extra.len());
        c.extra.iter().for_each(|l| println!("  {l}"));
    }
    if !c.differing.is_empty() {
        println!("Different ({}):", c.differing.len());
        for d in &c.differing {
            println!("  {}: {}", d.label, d.fields.join(", "));
        }
    }
    if !v.unreadable.is_empty() {
        println!("Unreadable in the backup ({}):", v.unreadable.len());
        for s in &v.unreadable {
            println!("  {}: {}", s.label, s.reason);
        }
    }
}

impl BackupCommand {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let BackupCommand::Verify { file, json } = self;
        let bytes = read_limited(&file)?;
        let envelope = backup::parse(&bytes).map_err(|e| match e {
            backup::BackupError::NotABackup => anyhow::anyhow!(
                "{} is not a Tessera backup (make one with `tessera export --format tessera`)",
                file.display()
            ),
            e => anyhow::anyhow!("{}: {e}", file.display()),
        })?;
        let vault = unlock(ctx)?;
        let password = if envelope.is_encrypted() {
            let env = if std::env::var_os("TESSERA_EXPORT_PASSWORD").is_some() {
                "TESSERA_EXPORT_PASSWORD"
            } else {
                "TESSERA_IMPORT_PASSWORD"
            };
            Some(read_password(env, "Backup password: ", false)?)
        } else {
            None
        };
        let expected: Vec<_> = vault.accounts()?.into_iter().map(|(_, a)| a).collect();
        let progress = Progress::start();
        progress.stage("decrypting the backup");
        let contents = envelope
            .open(password.as_deref().map(|s| s.as_str()))
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        progress.finish();
        let v = verify::Verification {
            encrypted: contents.encrypted,
            backup_accounts: contents.accounts.len(),
            comparison: verify::compare(&contents.accounts, &expected),
            unreadable: contents.skipped.into_iter().map(Into::into).collect(),
        };
        if json {
            let mut value = serde_json::to_value(&v)?;
            value["identical"] = serde_json::Value::Bool(v.is_identical());
            value["vault_accounts"] = serde_json::Value::from(expected.len());
            println!("{}", serde_json::to_string_pretty(&value)?);
        } else {
            print_verification(&v, &file, expected.len());
        }
        if !v.is_identical() {
            bail!("the backup differs from the vault");
        }
        Ok(())
    }
}
