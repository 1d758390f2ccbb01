//! A criterion measurement of the benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`) rather
//! than wall time. On a shared machine (CI runners, the 2-core box this project is built on) wall
//! time mostly measures how long other processes held the CPU; CPU time measures the work, so the
//! ratios between benchmarks of one run stay meaningful under load.

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Thread CPU time, formatted like wall time (ns, µs, ms).
pub struct ThreadCpuTime;

fn now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        now()
    }
    fn end(&self, started: Duration) -> Duration {
        now().saturating_sub(started)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WallTime.formatter()
    }
}

/// The criterion settings the CPU-time benches share: thread CPU time, 20 samples, 1 s warm-up,
/// 4 s of measurement.
pub fn config() -> criterion::Criterion<ThreadCpuTime> {
    criterion::Criterion::default()
        .with_measurement(ThreadCpuTime)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}
