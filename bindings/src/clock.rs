//! Time: a foreign [`TimeSource`] (the phone's clock, or a test's) and a [`Clock`] object with
//! the drift offset, over core's [`tessera_core::clock::Clock`].

use std::sync::Arc;

use tessera_core::clock::{self as core_clock, Clock as CoreClock};

/// Where "now" comes from, implemented in Kotlin/Swift (or by Tessera's system clock).
#[uniffi::export(with_foreign)]
pub trait TimeSource: Send + Sync {
    /// Seconds since the Unix epoch (UTC).
    fn now_unix_seconds(&self) -> u64;
}

/// Adapts a foreign time source to core's trait.
struct ForeignSource(Arc<dyn TimeSource>);

impl core_clock::TimeSource for ForeignSource {
    fn now_unix_seconds(&self) -> u64 {
        self.0.now_unix_seconds()
    }
}

/// A time source plus a signed offset in seconds (measured drift). Thread-safe; the offset is
/// shared with every vault or code book that uses this clock.
#[derive(Debug, uniffi::Object)]
pub struct Clock {
    pub(crate) inner: CoreClock,
}

#[uniffi::export]
impl Clock {
    /// The system clock, no offset.
    #[uniffi::constructor]
    pub fn system() -> Arc<Self> {
        Arc::new(Clock {
            inner: CoreClock::system(),
        })
    }

    /// A clock frozen at `unix_seconds` (tests, previews).
    #[uniffi::constructor]
    pub fn fixed(unix_seconds: u64) -> Arc<Self> {
        Arc::new(Clock {
            inner: CoreClock::fixed(unix_seconds),
        })
    }

    /// A clock over a foreign time source. The source is called without any Tessera lock held.
    #[uniffi::constructor]
    pub fn with_source(source: Arc<dyn TimeSource>) -> Arc<Self> {
        Arc::new(Clock {
            inner: CoreClock::new(Arc::new(ForeignSource(source))),
        })
    }

    /// The corrected time in Unix seconds: source time plus offset.
    pub fn now_unix_seconds(&self) -> u64 {
        self.inner.now()
    }

    /// The correction in seconds (positive: the source is behind).
    pub fn offset_seconds(&self) -> i64 {
        self.inner.offset_seconds()
    }

    /// Sets the correction in seconds.
    pub fn set_offset_seconds(&self, offset_seconds: i64) {
        self.inner.set_offset_seconds(offset_seconds);
    }
}
