//! Time for code generation, injected rather than read from the system inside the logic.
//!
//! A [`Clock`] combines a [`TimeSource`] (the system clock, a phone's clock through the bindings,
//! or a fixed time in tests) with a signed offset in seconds — the place where measured drift
//! against a server (push) is applied to every TOTP code.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where "now" comes from. Implemented by the platform (or a test) and injected.
pub trait TimeSource: Send + Sync {
    /// Seconds since the Unix epoch (UTC). Times before 1970 are reported as 0.
    fn now_unix_seconds(&self) -> u64;
}

/// The operating system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemTimeSource;

impl TimeSource for SystemTimeSource {
    fn now_unix_seconds(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// A time that only changes when told to; for tests and for `--at`.
#[derive(Debug, Default)]
pub struct FixedTimeSource(std::sync::atomic::AtomicU64);

impl FixedTimeSource {
    /// A source that always reports `unix_seconds`.
    pub fn new(unix_seconds: u64) -> Self {
        FixedTimeSource(std::sync::atomic::AtomicU64::new(unix_seconds))
    }

    /// Moves the fixed time.
    pub fn set(&self, unix_seconds: u64) {
        self.0.store(unix_seconds, Ordering::Relaxed);
    }
}

impl TimeSource for FixedTimeSource {
    fn now_unix_seconds(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A time source plus a signed correction in seconds. Cheap to clone (shared source and offset).
#[derive(Clone)]
pub struct Clock {
    source: Arc<dyn TimeSource>,
    offset_seconds: Arc<AtomicI64>,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock")
            .field("offset_seconds", &self.offset_seconds())
            .finish_non_exhaustive()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The system clock with no offset.
    pub fn system() -> Self {
        Clock::new(Arc::new(SystemTimeSource))
    }

    /// A clock frozen at `unix_seconds` (tests, `--at`).
    pub fn fixed(unix_seconds: u64) -> Self {
        Clock::new(Arc::new(FixedTimeSource::new(unix_seconds)))
    }

    /// A clock over any time source, with no offset.
    pub fn new(source: Arc<dyn TimeSource>) -> Self {
        Clock {
            source,
            offset_seconds: Arc::new(AtomicI64::new(0)),
        }
    }

    /// The corrected time: source time plus offset, saturating at 0 and `u64::MAX`.
    pub fn now(&self) -> u64 {
        let raw = self.source.now_unix_seconds();
        let off = self.offset_seconds();
        if off >= 0 {
            raw.saturating_add(off as u64)
        } else {
            raw.saturating_sub(off.unsigned_abs())
        }
    }

    /// The correction currently applied, in seconds (positive: the source is behind).
    pub fn offset_seconds(&self) -> i64 {
        self.offset_seconds.load(Ordering::Relaxed)
    }

    /// Sets the correction in seconds; every clone of this clock sees it.
    pub fn set_offset_seconds(&self, offset: i64) {
        self.offset_seconds.store(offset, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_applies_and_saturates() {
        let c = Clock::fixed(100);
        assert_eq!(c.now(), 100);
        c.set_offset_seconds(-30);
        assert_eq!(c.now(), 70);
        let clone = c.clone();
        clone.set_offset_seconds(-1000);
        assert_eq!(c.now(), 0, "offset is shared and saturates at 0");
        let far = Clock::fixed(u64::MAX - 1);
        far.set_offset_seconds(10);
        assert_eq!(far.now(), u64::MAX);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(Clock::system().now() > 1_577_836_800);
    }
}
