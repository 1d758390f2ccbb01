//! Rust `log` records delivered to a logger implemented on the foreign side (Logcat, os_log).
//!
//! The installed logger is kept behind a lock, but it is cloned out before being called, so a
//! logger that calls back into Tessera (and so logs again) cannot deadlock; a thread-local guard
//! drops records logged from inside the foreign logger itself instead of recursing.

use std::cell::{Cell, RefCell};
use std::sync::{Arc, Once, RwLock};

use crate::error::TesseraError;

/// Severity of a log record, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something unexpected that Tessera handled.
    Warn,
    /// Milestones (vault opened, import finished).
    Info,
    /// Detail for developers (never secrets).
    Debug,
    /// Very verbose detail.
    Trace,
}

/// One log record from Tessera. Messages never contain secrets.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    /// The severity.
    pub level: LogLevel,
    /// Where it comes from, e.g. `tessera::bindings` or `tessera_core::vault`.
    pub target: String,
    /// The text.
    pub message: String,
}

/// Receives Tessera's log records. Implement it in Kotlin/Swift and pass it to [`install_logger`].
/// Called on whatever thread logs; must not block for long.
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    /// Handles one record. An error (or an exception thrown by the implementation) drops the
    /// record; it never reaches the Tessera call that logged.
    fn log(&self, record: LogRecord) -> Result<(), TesseraError>;
}

static INSTALLED: RwLock<Option<Arc<dyn Logger>>> = RwLock::new(None);
static REGISTER: Once = Once::new();

thread_local! {
    static IN_LOGGER: Cell<bool> = const { Cell::new(false) };
    /// Records logged while this thread holds a bindings lock, delivered after it is released.
    static DEFERRED: RefCell<Option<Vec<LogRecord>>> = const { RefCell::new(None) };
}

/// Runs `f` (which holds a lock a foreign logger could re-enter) with log delivery deferred: the
/// records are kept and handed to the foreign logger after `f` returns.
pub(crate) fn deferred<R>(f: impl FnOnce() -> R) -> R {
    let outer = DEFERRED.with(|d| d.borrow().is_some());
    if outer {
        return f();
    }
    DEFERRED.with(|d| *d.borrow_mut() = Some(Vec::new()));
    struct Flush;
    impl Drop for Flush {
        fn drop(&mut self) {
            let records = DEFERRED.with(|d| d.borrow_mut().take()).unwrap_or_default();
            for r in records {
                deliver(r);
            }
        }
    }
    let _flush = Flush;
    f()
}

struct Bridge;

impl log::Log for Bridge {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let rec = LogRecord {
            level: record.level().into(),
            target: record.target().to_string(),
            message: record.args().to_string(),
        };
        let rec = DEFERRED.with(|d| match d.borrow_mut().as_mut() {
            Some(buffer) => {
                buffer.push(rec);
                None
            }
            None => Some(rec),
        });
        if let Some(rec) = rec {
            deliver(rec);
        }
    }

    fn flush(&self) {}
}

/// Hands one record to the installed foreign logger (no lock held during the call).
fn deliver(rec: LogRecord) {
    {
        let logger = match INSTALLED.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let Some(logger) = logger else { return };
        if IN_LOGGER.with(|f| f.replace(true)) {
            return;
        }
        // Resets the flag however the call ends (including a panic unwinding through here).
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                IN_LOGGER.with(|f| f.set(false));
            }
        }
        let _reset = Reset;
        // A failing logger cannot be reported through itself; the record is dropped.
        let _ = logger.log(rec);
    }
}

impl From<log::Level> for LogLevel {
    fn from(l: log::Level) -> Self {
        match l {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        }
    }
}

fn filter(level: LogLevel) -> log::LevelFilter {
    match level {
        LogLevel::Error => log::LevelFilter::Error,
        LogLevel::Warn => log::LevelFilter::Warn,
        LogLevel::Info => log::LevelFilter::Info,
        LogLevel::Debug => log::LevelFilter::Debug,
        LogLevel::Trace => log::LevelFilter::Trace,
    }
}

/// Sends Tessera's log records at `max_level` and more severe to `logger`, replacing any logger
/// installed before. Returns false if the process already has another (non-Tessera) Rust logger,
/// in which case nothing is delivered.
#[uniffi::export]
pub fn install_logger(logger: Arc<dyn Logger>, max_level: LogLevel) -> bool {
    let mut ours = false;
    REGISTER.call_once(|| ours = log::set_logger(&Bridge).is_ok());
    let registered = ours
        || log::logger() as *const dyn log::Log as *const ()
            == &Bridge as *const Bridge as *const ();
    match INSTALLED.write() {
        Ok(mut guard) => *guard = Some(logger),
        Err(poisoned) => *poisoned.into_inner() = Some(logger),
    }
    log::set_max_level(filter(max_level));
    registered
}

/// Stops delivering log records (the installed logger is released).
#[uniffi::export]
pub fn remove_logger() {
    log::set_max_level(log::LevelFilter::Off);
    match INSTALLED.write() {
        Ok(mut guard) => *guard = None,
        Err(poisoned) => *poisoned.into_inner() = None,
    }
}

/// Logs `message` at `level` through Tessera's logging (target `tessera::foreign`): lets the apps
/// and the tests check the logger path end to end.
#[uniffi::export]
pub fn log_message(level: LogLevel, message: String) {
    let level = match level {
        LogLevel::Error => log::Level::Error,
        LogLevel::Warn => log::Level::Warn,
        LogLevel::Info => log::Level::Info,
        LogLevel::Debug => log::Level::Debug,
        LogLevel::Trace => log::Level::Trace,
    };
    log::log!(target: "tessera::foreign", level, "{message}");
}
