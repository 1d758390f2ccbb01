//! Clock drift against the server. privacyIDEA refuses polls whose timestamp is more than 60 s
//! off, and TOTP codes need the same correction, so the offset is measured from every reply
//! (the JSON `time` field, else the HTTP `Date` header) and applied to a [`Clock`].

use std::time::{Duration, UNIX_EPOCH};

use crate::clock::Clock;

/// Offsets smaller than this are network jitter, not drift (seconds).
pub const DRIFT_THRESHOLD_SECONDS: i64 = 2;

/// Server time from a reply: privacyIDEA's JSON `time` (float seconds), else an HTTP `Date`.
pub fn server_time(json_time: Option<f64>, date_header: Option<&str>) -> Option<f64> {
    if let Some(t) = json_time
        && t.is_finite()
        && t > 0.0
        && t < 1.0e11
    {
        return Some(t);
    }
    let d = httpdate::parse_http_date(date_header?).ok()?;
    Some(d.duration_since(UNIX_EPOCH).ok()?.as_secs() as f64 + 0.5)
}

/// The offset the clock should carry so that `clock.now()` reads the server's time: the current
/// offset plus the measured difference, rounded to whole seconds.
pub fn measured_offset(clock: &Clock, server_unix: f64) -> i64 {
    let diff = server_unix - clock.now() as f64;
    let diff = diff.clamp(-1.0e10, 1.0e10).round() as i64;
    clock.offset_seconds().saturating_add(diff)
}

/// Applies a measured offset if it differs from the current one by at least
/// [`DRIFT_THRESHOLD_SECONDS`]; returns whether it changed.
pub fn apply(clock: &Clock, offset: i64) -> bool {
    if (offset - clock.offset_seconds()).abs() >= DRIFT_THRESHOLD_SECONDS {
        clock.set_offset_seconds(offset);
        true
    } else {
        false
    }
}

/// The poll timestamp: ISO 8601 UTC with microseconds, as the app sends it
/// (`2026-11-28T08:50:15.000000Z`).
pub fn iso_timestamp(unix_seconds: u64) -> String {
    let t = UNIX_EPOCH + Duration::from_secs(unix_seconds.min(253_402_300_799));
    let s = humantime::format_rfc3339_seconds(t).to_string();
    match s.strip_suffix('Z') {
        Some(base) => format!("{base}.000000Z"),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_from_json_time_and_date_header() {
        let clock = Clock::fixed(1_000_000);
        assert_eq!(measured_offset(&clock, 1_000_300.4), 300);
        assert!(apply(&clock, 300));
        assert_eq!(clock.now(), 1_000_300);
        assert_eq!(measured_offset(&clock, 1_000_301.0), 301);
        assert!(!apply(&clock, 301), "1 s is jitter");
        let t = server_time(None, Some("Sun, 06 Nov 1994 08:49:37 GMT")).unwrap();
        assert_eq!(t.floor() as u64, 784_111_777);
        assert_eq!(server_time(Some(5.5), None), Some(5.5));
        assert_eq!(server_time(Some(f64::NAN), None), None);
        assert_eq!(server_time(None, Some("yesterday")), None);
    }

    #[test]
    fn timestamp_is_iso_utc() {
        assert_eq!(iso_timestamp(784_111_777), "1994-11-06T08:49:37.000000Z");
        assert_eq!(iso_timestamp(u64::MAX), "9999-12-31T23:59:59.000000Z");
    }
}
