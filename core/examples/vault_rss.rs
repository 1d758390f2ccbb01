//! Peak memory (and wall time) of opening a 10,000-entry vault, unlocking it through the
//! key-protector slot (no KDF), listing it and computing every code — next to a baseline process
//! that only loads the library. Linux: reads `VmHWM` from `/proc/self/status`.
//!
//! `cargo run --release -p tessera-core --example vault_rss` runs all three steps:
//! `prepare DIR` (build the vault), `baseline`, `measure DIR`, each in its own process.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use tessera_core::vault::{FileKeyProtector, KdfParams, Vault};
use tessera_core::{Account, Clock, Secret};

const ENTRIES: u32 = 10_000;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Nanoseconds this process has spent on a CPU (`/proc/self/schedstat`): unlike wall time, not
/// inflated when the machine is shared.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn prepare(dir: &Path) {
    let path = dir.join("vault.db");
    let (v, _) = Vault::create(&path, Some("bench"), KdfParams::INSECURE_FOR_TESTS).unwrap();
    let fkp = FileKeyProtector::open_or_create(&dir.join("device.key")).unwrap();
    v.add_protector_slot(&fkp, "bench").unwrap();
    let accounts: Vec<Account> = (0..ENTRIES)
        .map(|i| {
            let mut s = format!("bench-{i:08}").into_bytes();
            s.resize(20, b'x');
            let mut a = Account::totp(
                format!("Issuer {i}"),
                format!("user{i}@example.org"),
                Secret::new(s),
            );
            if i % 10 == 0 {
                a.note = format!("note {i}");
                a.groups = vec!["work".into()];
            }
            a
        })
        .collect();
    let r = v.add_accounts(&accounts).unwrap();
    assert_eq!(r.added.len(), ENTRIES as usize);
}

fn phase(name: &str) {
    if std::env::var_os("VAULT_RSS_PHASES").is_some() {
        let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let rss = s.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("");
        eprintln!(
            "{name}: {rss} peak {} KiB, cpu {} us",
            peak_rss_kib(),
            cpu_ns() / 1000
        );
    }
}

/// Open + unlock (protector) + list + codes; returns (wall µs, CPU µs, listed, codes).
fn measure(dir: &Path) -> (u64, u64, usize, usize) {
    let cpu0 = cpu_ns();
    let start = Instant::now();
    let mut v = Vault::open(&dir.join("vault.db")).unwrap();
    v.unlock_with_protector(&FileKeyProtector::open(&dir.join("device.key")).unwrap())
        .unwrap();
    phase("unlocked");
    let list = v.list().unwrap();
    phase("listed");
    let codes = v.codes_at(Clock::system().now()).unwrap();
    phase("codes");
    let wall = start.elapsed().as_micros() as u64;
    let cpu = (cpu_ns() - cpu0) / 1000;
    (wall, cpu, list.len(), codes.len())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("prepare") => prepare(Path::new(&args[2])),
        Some("baseline") => {
            // Loads the library and touches it, nothing more.
            let t = Clock::system().now();
            println!("baseline {} {}", peak_rss_kib(), t % 2);
        }
        Some("otp-baseline") => {
            // Pure OTP work for comparison: 10,000 codes from generators prepared beforehand.
            let gens: Vec<tessera_core::otp::Generator> = (0..ENTRIES)
                .map(|i| {
                    let mut s = format!("bench-{i:08}").into_bytes();
                    s.resize(20, b'x');
                    tessera_core::otp::Generator::new(&Secret::new(s), Default::default()).unwrap()
                })
                .collect();
            let cpu0 = cpu_ns();
            let start = Instant::now();
            let n: usize = gens.iter().map(|g| g.code_at(1_700_000_000).len()).sum();
            let wall = start.elapsed().as_micros() as u64;
            println!("otp {wall} {} {n}", (cpu_ns() - cpu0) / 1000);
        }
        Some("measure") => {
            let (wall, cpu, l, c) = measure(Path::new(&args[2]));
            println!("measure {} {wall} {cpu} {l} {c}", peak_rss_kib());
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let me = std::env::current_exe().unwrap();
            let run = |a: &[&str]| {
                let o = Command::new(&me).args(a).output().unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                String::from_utf8(o.stdout).unwrap()
            };
            let d = dir.path().to_str().unwrap();
            run(&["prepare", d]);
            let size = std::fs::metadata(dir.path().join("vault.db"))
                .unwrap()
                .len();
            let base = run(&["baseline"]);
            let base_kib: u64 = base.split_whitespace().nth(1).unwrap().parse().unwrap();
            println!("vault: {ENTRIES} entries, file {} KiB", size / 1024);
            println!("baseline process (library loaded, nothing done): peak RSS {base_kib} KiB");
            let o = run(&["otp-baseline"]);
            let f: Vec<u64> = o
                .split_whitespace()
                .skip(1)
                .map(|x| x.parse().unwrap())
                .collect();
            let (otp_wall, otp_cpu) = (f[0].max(1), f[1].max(1));
            println!(
                "baseline: {ENTRIES} codes from prepared generators: wall {:.1} ms, CPU {:.1} ms",
                otp_wall as f64 / 1000.0,
                otp_cpu as f64 / 1000.0
            );
            for _ in 0..5 {
                let m = run(&["measure", d]);
                let f: Vec<u64> = m
                    .split_whitespace()
                    .skip(1)
                    .map(|x| x.parse().unwrap())
                    .collect();
                let (kib, wall, cpu) = (f[0], f[1], f[2]);
                assert_eq!((f[3], f[4]), (u64::from(ENTRIES), u64::from(ENTRIES)));
                println!(
                    "open+unlock(protector)+list+codes: wall {:.1} ms, CPU {:.1} ms ({:.1}x the OTP baseline); peak RSS {kib} KiB (baseline +{} KiB, {:.2}x)",
                    wall as f64 / 1000.0,
                    cpu as f64 / 1000.0,
                    cpu as f64 / otp_cpu as f64,
                    kib.saturating_sub(base_kib),
                    kib as f64 / base_kib as f64,
                );
            }
        }
    }
}
