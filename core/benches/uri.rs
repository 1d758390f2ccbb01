//! otpauth URI speed: parse 10,000 realistic URIs (the target is under 1 µs each; Proton
//! Authenticator's Rust core measured 3.4 µs), and write them back.
//!
//! Times are the benchmark thread's CPU time (see `support/cpu_time.rs`), so a busy machine
//! does not distort the ratios.
//!
//! Run: `cargo bench -p tessera-core --bench uri` (release profile). The groups set a throughput
//! of 10,000 elements, so criterion shows URIs/s next to the time per 10,000.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::{ThreadCpuTime, config};
use tessera_core::uri;

const URIS: usize = 10_000;

/// Realistic URIs: issuer in label and parameter, 32-character secrets, a mix of explicit and
/// default parameters, some percent-encoding, a few HOTP and Steam entries and extra parameters.
fn uris() -> Vec<String> {
    const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..URIS)
        .map(|i| {
            let secret: String = (0..32)
                .map(|j| char::from(B32[(i * 7 + j * 13 + j * j) % 32]))
                .collect();
            match i % 10 {
                0 => format!(
                    "otpauth://hotp/Example%20Corp:user{i}%40example.com?secret={secret}&issuer=Example%20Corp&counter={i}"
                ),
                1 => format!(
                    "otpauth://steam/Steam:gamer{i}?secret={secret}&issuer=Steam&digits=5&period=30"
                ),
                2 => format!(
                    "otpauth://totp/ACME:jane.doe{i}@acme.org?secret={secret}&issuer=ACME&algorithm=SHA256&digits=8&period=30&image=https%3A%2F%2Facme.org%2Flogo.png"
                ),
                3..=6 => format!(
                    "otpauth://totp/Microsoft:pharmacist{i}%40nhs.net?secret={secret}&issuer=Microsoft"
                ),
                _ => format!(
                    "otpauth://totp/GitHub:dev{i}?secret={secret}&issuer=GitHub&algorithm=SHA1&digits=6&period=30"
                ),
            }
        })
        .collect()
}

fn parse(c: &mut Criterion<ThreadCpuTime>) {
    let uris = uris();
    let accounts: Vec<_> = uris
        .iter()
        .map(|u| uri::parse(u).expect("benchmark URIs are valid"))
        .collect();
    let mut group = c.benchmark_group("uri_10k");
    group.throughput(Throughput::Elements(URIS as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            for u in &uris {
                let _ = black_box(uri::parse(black_box(u)));
            }
        })
    });
    group.bench_function("to_uri", |b| {
        b.iter(|| {
            for a in &accounts {
                black_box(uri::to_uri(black_box(a)));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = parse
}
criterion_main!(benches);
