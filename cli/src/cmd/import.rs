//! `tessera import <file> [--from <format>] [--json]`: another app's export into the vault.
//!
//! The file's password comes from `TESSERA_IMPORT_PASSWORD`, else a prompt without echo — and
//! only when the file turns out to be encrypted. The vault's password comes from
//! `TESSERA_PASSWORD` (or a prompt). All accounts go in one transaction: a failure leaves the
//! vault as it was. The report lists what was imported, the duplicates skipped and every entry
//! that was not taken, with the reason.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde_json::json;
use tessera_core::import::{self, ImportError, Input, Parsed, Skipped};

use super::Context;
use super::progress::Progress;
use super::vault::{read_password, unlock};

/// Largest file `import` reads (no export of any authenticator comes near it).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Arguments of `tessera import`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The export file of another authenticator, a Tessera backup, an otpauth list or a QR image.
    pub file: PathBuf,
    /// The file's format (default: detected). `tessera import --from list` lists them.
    #[arg(long, value_name = "FORMAT")]
    pub from: Option<String>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Reads a file of at most [`MAX_FILE_BYTES`], naming it in errors.
pub fn read_limited(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        bail!(
            "{} is larger than {} MiB; no authenticator export is that large",
            path.display(),
            MAX_FILE_BYTES >> 20
        );
    }
    Ok(bytes)
}

fn format_list() -> String {
    import::FORMATS
        .iter()
        .map(|f| f.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses the file, asking for its password only when it is encrypted.
fn parse_file(
    input: &Input<'_>,
    format: &'static import::Format,
    progress: &Progress,
) -> anyhow::Result<Parsed> {
    progress.stage(&format!("reading the {} file", format.name));
    let first = (format.parse)(input, None);
    let result = match first {
        Err(ImportError::PasswordRequired) => {
            let pw = progress.suspend(|| {
                read_password(
                    "TESSERA_IMPORT_PASSWORD",
                    &format!("Password of the {} file: ", format.name),
                    false,
                )
            })?;
            progress.stage(&format!("decrypting the {} file", format.name));
            (format.parse)(input, Some(&pw))
        }
        other => other,
    };
    result.map_err(|e| match e {
        ImportError::WrongPassword => {
            anyhow::anyhow!(
                "wrong password for this {} file (nothing was imported)",
                format.name
            )
        }
        e => anyhow::anyhow!("{e} (nothing was imported)"),
    })
}

impl ImportArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        if self.from.as_deref() == Some("list") {
            for f in import::FORMATS {
                println!("{:<28} {}", f.id, f.name);
            }
            return Ok(());
        }
        let format = match &self.from {
            Some(id) => Some(import::format_by_id(id).ok_or_else(|| {
                anyhow::anyhow!("unknown format {id:?}; known formats: {}", format_list())
            })?),
            None => None,
        };
        let bytes = read_limited(&self.file)?;
        let file_name = self.file.file_name().and_then(|n| n.to_str());
        let input = Input {
            bytes: &bytes,
            file_name,
        };
        let format = match format {
            Some(f) => f,
            None => import::detect(&input).ok_or_else(|| {
                anyhow::anyhow!(
                    "cannot tell what kind of file {} is; name its format with --from ({})",
                    self.file.display(),
                    format_list()
                )
            })?,
        };
        let vault = unlock(ctx)?;

        let progress = Progress::start();
        let mut parsed = parse_file(&input, format, &progress)?;
        // The vault takes only valid accounts (one invalid one would fail the whole batch):
        // anything a parser let through that cannot produce codes is reported, not imported.
        let mut skipped: Vec<Skipped> = Vec::new();
        let mut accounts = Vec::with_capacity(parsed.accounts.len());
        for a in parsed.accounts.drain(..) {
            match a.validate() {
                Ok(()) => accounts.push(a),
                Err(e) => skipped.push(Skipped {
                    label: a.label(),
                    reason: e.to_string(),
                }),
            }
        }
        skipped.splice(0..0, parsed.skipped.drain(..));
        progress.stage(&format!("adding {} accounts to the vault", accounts.len()));
        let report = vault
            .add_accounts(&accounts)
            .context("nothing was imported")?;
        progress.finish();

        let duplicates: Vec<(String, String)> = report
            .duplicates
            .iter()
            .map(|(i, existing)| {
                let label = accounts.get(*i).map(|a| a.label()).unwrap_or_default();
                (label, existing.as_str().to_string())
            })
            .collect();
        if self.json {
            let out = json!({
                "file": self.file.display().to_string(),
                "format": format.id,
                "imported": report.added.len(),
                "ids": report.added.iter().map(|id| id.as_str()).collect::<Vec<_>>(),
                "duplicates": duplicates.iter().map(|(label, id)| json!({"label": label, "existing_id": id})).collect::<Vec<_>>(),
                "skipped": skipped.iter().map(|s| json!({"label": s.label, "reason": s.reason})).collect::<Vec<_>>(),
                "warnings": parsed.warnings,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
            return Ok(());
        }
        let n = report.added.len();
        println!(
            "Imported {n} account{} from {} ({}).",
            if n == 1 { "" } else { "s" },
            format.name,
            self.file.display()
        );
        if !duplicates.is_empty() {
            println!("Skipped {} already in the vault:", duplicates.len());
            for (label, id) in &duplicates {
                println!("  {label}  (same secret and settings as {id})");
            }
        }
        if !skipped.is_empty() {
            println!("Not imported ({}):", skipped.len());
            for s in &skipped {
                println!("  {}: {}", s.label, s.reason);
            }
        }
        for w in &parsed.warnings {
            println!("Note: {w}");
        }
        Ok(())
    }
}
