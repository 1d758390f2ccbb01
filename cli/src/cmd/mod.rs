//! Command implementations and what they share: the vault location, password input, logging.

pub mod code;
pub mod export;
pub mod import;
pub mod progress;
pub mod push;
pub mod uri;
pub mod vault;

use std::path::PathBuf;

/// What every command may need: where the vault is.
#[derive(Debug, Clone)]
pub struct Context {
    /// The vault file chosen with `--vault` / `TESSERA_VAULT`, else the default location.
    pub vault_path: PathBuf,
}

impl Context {
    /// Resolves the vault path: the explicit one, else `$XDG_DATA_HOME/tessera/vault.db`
    /// (falling back to `~/.local/share/tessera/vault.db`).
    pub fn new(explicit: Option<PathBuf>) -> Self {
        Context {
            vault_path: explicit.unwrap_or_else(default_vault_path),
        }
    }
}

/// `$XDG_DATA_HOME/tessera/vault.db`, or `$HOME/.local/share/tessera/vault.db`.
pub fn default_vault_path() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("tessera").join("vault.db")
}

/// A minimal stderr logger for `-v`; the core never logs secrets, so neither does this.
struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!("[{} {}] {}", record.level(), record.target(), record.args());
        }
    }
    fn flush(&self) {}
}

/// Installs the stderr logger at a level chosen by the number of `-v` flags
/// (`TESSERA_LOG=trace` also works, for tests).
pub fn init_logging(verbose: u8) {
    let from_env = std::env::var("TESSERA_LOG")
        .ok()
        .and_then(|s| s.parse::<log::LevelFilter>().ok());
    let level = from_env.unwrap_or(match verbose {
        0 => log::LevelFilter::Warn,
        1 => log::LevelFilter::Info,
        2 => log::LevelFilter::Debug,
        _ => log::LevelFilter::Trace,
    });
    if log::set_logger(&StderrLogger).is_ok() {
        log::set_max_level(level);
    }
}
