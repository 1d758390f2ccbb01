//! The vault commands: `init`, `add`, `list`, `codes`, `next`, `rename`, `remove`, `passwd`, and
//! plain `tessera` (live codes, or how to get started when there is no vault yet).
//!
//! The password comes from `TESSERA_PASSWORD` when set, else from a prompt without echo.
//! `tessera passwd` reads the new password from `TESSERA_NEW_PASSWORD` the same way.
//! `TESSERA_TEST_FAST_KDF=1` makes *new* password slots use tiny Argon2 parameters: for tests only.

use std::io::{IsTerminal, Read, Write};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use tessera_core::otp;
use tessera_core::vault::{EntryId, EntryInfo, KdfParams, Vault, VaultError};
use tessera_core::{Account, Clock, OtpKind, uri};
use zeroize::Zeroizing;

use super::Context;

/// A demo account shown by plain `tessera` before any vault exists (RFC 6238's test secret).
const DEMO_URI: &str =
    "otpauth://totp/Demo:alice@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Demo";

/// The Argon2id parameters for new password slots: OWASP's memory cost with as many passes as
/// take about half a second here (never fewer than OWASP's minimum).
fn kdf_params() -> KdfParams {
    if std::env::var("TESSERA_TEST_FAST_KDF").is_ok_and(|v| v == "1") {
        log::warn!("TESSERA_TEST_FAST_KDF=1: new password slots use insecure test parameters");
        return KdfParams::INSECURE_FOR_TESTS;
    }
    KdfParams::calibrate(std::time::Duration::from_millis(500)).unwrap_or_default()
}

/// Reads a password from `env`, else prompts (twice when `confirm`).
pub(crate) fn read_password(
    env: &str,
    prompt: &str,
    confirm: bool,
) -> anyhow::Result<Zeroizing<String>> {
    if let Ok(p) = std::env::var(env) {
        return Ok(Zeroizing::new(p));
    }
    if !std::io::stdin().is_terminal() {
        bail!("no password: set {env} or run in a terminal");
    }
    let first = Zeroizing::new(rpassword::prompt_password(prompt).context("reading the password")?);
    if confirm {
        let again = Zeroizing::new(
            rpassword::prompt_password("Repeat it: ").context("reading the password")?,
        );
        if *first != *again {
            bail!("the two passwords differ");
        }
    }
    if first.is_empty() {
        bail!("the password is empty");
    }
    Ok(first)
}

/// Adds advice to the errors a user can act on.
fn explain(e: VaultError, ctx: &Context) -> anyhow::Error {
    match e {
        VaultError::Missing(_) => anyhow::anyhow!(
            "no vault at {}; create one with `tessera init` (or choose another with --vault)",
            ctx.vault_path.display()
        ),
        VaultError::WrongPassword => anyhow::anyhow!(
            "wrong password for the vault at {} (nothing was changed)",
            ctx.vault_path.display()
        ),
        e => anyhow::Error::new(e),
    }
}

/// Opens the vault and unlocks it with the password.
pub(crate) fn unlock(ctx: &Context) -> anyhow::Result<Vault> {
    let mut v = Vault::open(&ctx.vault_path).map_err(|e| explain(e, ctx))?;
    let pw = read_password("TESSERA_PASSWORD", "Vault password: ", false)?;
    v.unlock_with_password(&pw).map_err(|e| explain(e, ctx))?;
    Ok(v)
}

fn resolve(v: &Vault, id: &str) -> anyhow::Result<EntryId> {
    v.resolve_id(id).map_err(|e| match e {
        VaultError::NotFound(_) => {
            anyhow::anyhow!("no account with id {id:?} (see `tessera list`)")
        }
        e => e.into(),
    })
}

/// `tessera init`: creates the vault and shows the recovery key once.
#[derive(clap::Args, Debug)]
pub struct InitArgs {}

impl InitArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        if ctx.vault_path.exists() {
            bail!(
                "a vault (or another file) already exists at {}; it was left untouched",
                ctx.vault_path.display()
            );
        }
        let pw = read_password("TESSERA_PASSWORD", "New vault password: ", true)?;
        let (_vault, recovery) = Vault::create(&ctx.vault_path, Some(&pw), kdf_params())?;
        println!("Created the vault at {}", ctx.vault_path.display());
        println!();
        println!(
            "Recovery key (shown only this once; write it down and keep it apart from the device):"
        );
        println!();
        println!("    {}", recovery.as_str());
        println!();
        println!(
            "It unlocks the vault if the password is forgotten. Next: tessera add 'otpauth://…'"
        );
        Ok(())
    }
}

/// `tessera add <URI>`: stores an account; prints its id.
#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// An otpauth:// or steam:// URI; `-` reads it from standard input (keeps the secret out of
    /// the process list and shell history).
    pub uri: String,
}

impl AddArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let text = if self.uri == "-" {
            let mut s = Zeroizing::new(String::new());
            std::io::stdin()
                .read_to_string(&mut s)
                .context("reading the URI from stdin")?;
            s
        } else {
            Zeroizing::new(self.uri)
        };
        let account = uri::parse(text.trim())?;
        let v = unlock(ctx)?;
        let id = v.add(&account).map_err(|e| match e {
            VaultError::Duplicate(id) => {
                anyhow::anyhow!("this account is already in the vault (id {id}); nothing added")
            }
            e => e.into(),
        })?;
        println!("{id}");
        Ok(())
    }
}

fn info_json(e: &EntryInfo) -> Value {
    let mut o = json!({
        "id": e.id.as_str(),
        "type": e.params.kind.type_name(),
        "issuer": e.issuer,
        "name": e.name,
        "algorithm": e.params.algorithm.as_str(),
        "digits": e.params.digits,
    });
    match e.params.kind {
        OtpKind::Hotp { counter } => o["counter"] = json!(counter),
        OtpKind::Totp { period } | OtpKind::Steam { period } => o["period"] = json!(period),
    }
    o["groups"] = json!(e.groups);
    o["favorite"] = json!(e.favorite);
    o["sort_order"] = json!(e.sort_order);
    o["usage_count"] = json!(e.usage_count);
    o["created_at"] = json!(e.created_at);
    o["updated_at"] = json!(e.updated_at);
    o["last_used_at"] = json!(e.last_used_at);
    o["has_note"] = json!(e.has_note);
    o
}

/// `tessera list [--json]`: the accounts, never their secrets.
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl ListArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let v = unlock(ctx)?;
        let list = v.list()?;
        let mut out = std::io::stdout().lock();
        if self.json {
            let arr: Vec<Value> = list.iter().map(info_json).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&arr)?)?;
            return Ok(());
        }
        if list.is_empty() {
            writeln!(
                out,
                "The vault is empty. Add an account: tessera add 'otpauth://…'"
            )?;
        }
        for e in &list {
            let detail = match e.params.kind {
                OtpKind::Hotp { counter } => format!("counter {counter}"),
                OtpKind::Totp { period } | OtpKind::Steam { period } => format!("{period}s"),
            };
            writeln!(
                out,
                "{}  {:<5} {:<6} {:>2}  {:<9}  {}{}",
                short_id(e.id.as_str()),
                e.params.kind.type_name(),
                e.params.algorithm.as_str(),
                e.params.digits,
                detail,
                label(&e.issuer, &e.name),
                if e.favorite { "  ★" } else { "" }
            )?;
        }
        Ok(())
    }
}

/// The first 8 characters of an id (enough to type; the CLI accepts unique prefixes).
fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (false, true) => issuer.to_owned(),
        _ => name.to_owned(),
    }
}

/// `tessera codes [--json] [--at <unix-seconds>]`: the current code of every account.
#[derive(clap::Args, Debug)]
pub struct CodesArgs {
    /// Print a JSON array of {"id","issuer","name","code","seconds_remaining"} (HOTP accounts
    /// have `null` code and seconds: use `tessera next`).
    #[arg(long)]
    pub json: bool,
    /// Compute the codes at this Unix time (seconds) instead of now.
    #[arg(long, value_name = "UNIX-SECONDS")]
    pub at: Option<u64>,
}

impl CodesArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let v = unlock(ctx)?;
        let t = self.at.unwrap_or_else(|| corrected_clock(&v).now());
        print_codes(&v, t, self.json)
    }
}

/// The system clock corrected by the offset measured against a push server (0 until one is
/// measured), so codes follow the server's time when the device clock drifts.
fn corrected_clock(v: &Vault) -> Clock {
    let clock = Clock::system();
    match tessera_core::push::stored_clock_offset(v) {
        Ok(offset) => clock.set_offset_seconds(offset),
        Err(e) => log::warn!("clock offset unavailable, using the device clock: {e}"),
    }
    clock
}

fn print_codes(v: &Vault, t: u64, as_json: bool) -> anyhow::Result<()> {
    let labels: std::collections::HashMap<EntryId, (String, String)> = v
        .list()?
        .into_iter()
        .map(|e| (e.id, (e.issuer, e.name)))
        .collect();
    let rows = v.codes_at(t)?;
    let none = (String::new(), String::new());
    let names = |id: &EntryId| labels.get(id).unwrap_or(&none);
    let mut out = std::io::stdout().lock();
    if as_json {
        let arr: Vec<Value> = rows
            .iter()
            .map(|r| {
                let (issuer, name) = names(&r.id);
                json!({
                    "id": r.id.as_str(),
                    "issuer": issuer,
                    "name": name,
                    "code": r.code,
                    "seconds_remaining": r.seconds_remaining,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&arr)?)?;
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(
            out,
            "The vault is empty. Add an account: tessera add 'otpauth://…'"
        )?;
    }
    for r in &rows {
        let short = short_id(r.id.as_str());
        let (issuer, name) = names(&r.id);
        match (&r.code, r.seconds_remaining) {
            (Some(code), Some(s)) => writeln!(
                out,
                "{:<12} {:>3}s  {}  {}",
                tessera_core::format::grouped(code),
                s,
                label(issuer, name),
                short
            )?,
            _ => writeln!(
                out,
                "{:<12} {:>4}  {}  {}  (HOTP: tessera next {short})",
                "------",
                "",
                label(issuer, name),
                short
            )?,
        }
    }
    Ok(())
}

/// `tessera next <id>`: advances an HOTP counter (committed first) and prints the code.
#[derive(clap::Args, Debug)]
pub struct NextArgs {
    /// The account's id (or a unique prefix of it).
    pub id: String,
}

impl NextArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let v = unlock(ctx)?;
        let id = resolve(&v, &self.id)?;
        println!("{}", v.next_hotp(&id)?);
        Ok(())
    }
}

/// `tessera rename <id> [NEW-LABEL] [--issuer I] [--name N]`.
#[derive(clap::Args, Debug)]
pub struct RenameArgs {
    /// The account's id (or a unique prefix of it).
    pub id: String,
    /// The new label: `Issuer:name` sets both, a plain text sets the name.
    pub label: Option<String>,
    /// The new issuer.
    #[arg(long)]
    pub issuer: Option<String>,
    /// The new account name.
    #[arg(long)]
    pub name: Option<String>,
}

impl RenameArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let (mut issuer, mut name) = (self.issuer, self.name);
        if let Some(l) = self.label {
            match l.split_once(':') {
                Some((i, n)) => {
                    issuer.get_or_insert_with(|| i.trim().to_owned());
                    name.get_or_insert_with(|| n.trim().to_owned());
                }
                None => {
                    name.get_or_insert(l);
                }
            }
        }
        if issuer.is_none() && name.is_none() {
            bail!("nothing to rename: give a new label, --issuer or --name");
        }
        let v = unlock(ctx)?;
        let id = resolve(&v, &self.id)?;
        let update = tessera_core::vault::EntryUpdate {
            issuer,
            name,
            ..Default::default()
        };
        v.update(&id, &update)?;
        let e = v.info(&id)?;
        println!("Renamed {id} to {}", label(&e.issuer, &e.name));
        Ok(())
    }
}

/// `tessera remove <id> [--yes]`.
#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The account's id (or a unique prefix of it).
    pub id: String,
    /// Do not ask for confirmation (it is only asked in a terminal).
    #[arg(long, short)]
    pub yes: bool,
}

impl RemoveArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let v = unlock(ctx)?;
        let id = resolve(&v, &self.id)?;
        let e = v.info(&id)?;
        if !self.yes && std::io::stdin().is_terminal() {
            eprint!(
                "Remove {} ({id})? Its codes cannot be recovered. [y/N] ",
                label(&e.issuer, &e.name)
            );
            std::io::stderr().flush()?;
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer)?;
            if !matches!(answer.trim(), "y" | "Y" | "yes") {
                bail!("not removed");
            }
        }
        v.remove(&id)?;
        println!("Removed {id} ({})", label(&e.issuer, &e.name));
        Ok(())
    }
}

/// `tessera passwd`: replaces the password (the current one from `TESSERA_PASSWORD` or a prompt,
/// the new one from `TESSERA_NEW_PASSWORD` or a prompt).
#[derive(clap::Args, Debug)]
pub struct PasswdArgs {}

impl PasswdArgs {
    /// Runs the command.
    pub fn run(self, ctx: &Context) -> anyhow::Result<()> {
        let v = unlock(ctx)?;
        let new = read_password("TESSERA_NEW_PASSWORD", "New vault password: ", true)?;
        v.change_password(&new, kdf_params())?;
        println!("Password changed for {}", ctx.vault_path.display());
        Ok(())
    }
}

/// Plain `tessera`: the live codes of the default vault, or — with no vault yet — where it would
/// be, how to create it and add an account, and a demo code.
pub fn show_default(ctx: &Context) -> anyhow::Result<()> {
    if ctx.vault_path.exists() {
        let v = unlock(ctx)?;
        return print_codes(&v, corrected_clock(&v).now(), false);
    }
    let now = Clock::system().now();
    let demo: Account = uri::parse(DEMO_URI)?;
    let snap = otp::Generator::for_account(&demo)?.snapshot(now);
    println!("tessera — a command-line authenticator");
    println!();
    println!("No vault yet. It would be created at:");
    println!("    {}", ctx.vault_path.display());
    println!("(choose another place with --vault PATH or TESSERA_VAULT)");
    println!();
    println!("Get started:");
    println!(
        "    tessera init                      create the encrypted vault (asks for a password)"
    );
    println!("    tessera add 'otpauth://totp/…'    add an account from its otpauth URI");
    println!("    tessera                           show the current codes");
    println!();
    println!("Demo (nothing stored): tessera code '{DEMO_URI}'");
    println!(
        "    {}  valid for {}s  Demo (alice@example.org)",
        tessera_core::format::grouped(&snap.code),
        snap.seconds_remaining.unwrap_or(0)
    );
    println!();
    println!("More: tessera --help");
    Ok(())
}
