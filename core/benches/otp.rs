//! Code generation speed, against a raw HMAC loop over the same keys in the same run.
//!
//! - `one_code`: one TOTP code from a prepared [`Generator`] vs one raw HMAC-SHA1 over the counter
//!   (RustCrypto's prepared `Hmac`, the primitive the generator uses; ring's for reference).
//! - `all_codes_10k`: the codes of 10,000 accounts (SHA1/SHA256/SHA512 mixed 8:1:1, 20/32/64-byte
//!   keys) — Tessera with prepared generators (returning `String`s, and writing into a reused
//!   buffer), the raw HMAC loop (HMAC only, no truncation: the baseline), the same with ring's
//!   HMAC (which Tessera used before: portable SHA-1, no SHA instructions), `otp::code_at`
//!   building the key on every call (what a per-call API costs), and totp-rs for reference.
//!
//! Times are the benchmark thread's CPU time (see `support/cpu_time.rs`), so a busy machine
//! does not distort the ratios.
//!
//! Run: `cargo bench -p tessera-core --bench otp` (release profile). Criterion reports time per
//! iteration; `all_codes_10k` sets a throughput of 10,000 elements so it also shows codes/s.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::{ThreadCpuTime, config};
use hmac::{Hmac, KeyInit, Mac};
use ring::hmac as ring_hmac;
use tessera_core::account::{Account, Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::otp::{self, Generator};

const ACCOUNTS: usize = 10_000;
const NOW: u64 = 1_764_320_000; // 2025-11-28, a fixed time so runs compare

/// Deterministic key bytes (SplitMix64), so every run benchmarks the same accounts.
fn key_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

fn accounts() -> Vec<Account> {
    (0..ACCOUNTS)
        .map(|i| {
            let (algorithm, len) = match i % 10 {
                8 => (Algorithm::Sha256, 32),
                9 => (Algorithm::Sha512, 64),
                _ => (Algorithm::Sha1, 20),
            };
            let mut a = Account::totp(
                format!("Issuer {i}"),
                format!("user{i}@example.com"),
                Secret::new(key_bytes(i as u64, len)),
            );
            a.params = OtpParams {
                kind: OtpKind::Totp { period: 30 },
                algorithm,
                digits: if i % 7 == 0 { 8 } else { 6 },
            };
            a
        })
        .collect()
}

fn ring_key(account: &Account) -> ring_hmac::Key {
    let alg = match account.params.algorithm {
        Algorithm::Sha1 => ring_hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        Algorithm::Sha256 => ring_hmac::HMAC_SHA256,
        Algorithm::Sha512 => ring_hmac::HMAC_SHA512,
    };
    ring_hmac::Key::new(alg, account.secret.as_bytes())
}

/// A prepared RustCrypto HMAC key per hash function: the raw primitive, no truncation.
enum RawKey {
    Sha1(Hmac<sha1::Sha1>),
    Sha256(Hmac<sha2::Sha256>),
    Sha512(Hmac<sha2::Sha512>),
}

impl RawKey {
    fn new(account: &Account) -> RawKey {
        let k = account.secret.as_bytes();
        match account.params.algorithm {
            Algorithm::Sha1 => RawKey::Sha1(Hmac::new_from_slice(k).expect("any key length")),
            Algorithm::Sha256 => RawKey::Sha256(Hmac::new_from_slice(k).expect("any key length")),
            Algorithm::Sha512 => RawKey::Sha512(Hmac::new_from_slice(k).expect("any key length")),
        }
    }

    /// The last byte of the tag (enough to keep the optimiser from skipping the HMAC).
    fn sign(&self, msg: [u8; 8]) -> u8 {
        match self {
            RawKey::Sha1(k) => k.clone().chain_update(msg).finalize().into_bytes()[19],
            RawKey::Sha256(k) => k.clone().chain_update(msg).finalize().into_bytes()[31],
            RawKey::Sha512(k) => k.clone().chain_update(msg).finalize().into_bytes()[63],
        }
    }
}

fn one_code(c: &mut Criterion<ThreadCpuTime>) {
    let account = &accounts()[0];
    let generator = Generator::for_account(account).expect("valid account");
    let key = ring_key(account);
    let raw = RawKey::new(account);
    let mut group = c.benchmark_group("one_code");
    group.bench_function("tessera_generator", |b| {
        b.iter(|| black_box(generator.code_at(black_box(NOW))))
    });
    group.bench_function("raw_hmac", |b| {
        b.iter(|| black_box(raw.sign((black_box(NOW) / 30).to_be_bytes())))
    });
    group.bench_function("raw_ring_hmac", |b| {
        b.iter(|| black_box(ring_hmac::sign(&key, &(black_box(NOW) / 30).to_be_bytes())))
    });
    group.finish();
}

fn all_codes(c: &mut Criterion<ThreadCpuTime>) {
    let accounts = accounts();
    let generators: Vec<Generator> = accounts
        .iter()
        .map(|a| Generator::for_account(a).expect("valid account"))
        .collect();
    let keys: Vec<ring_hmac::Key> = accounts.iter().map(ring_key).collect();
    let raw: Vec<RawKey> = accounts.iter().map(RawKey::new).collect();
    let reference: Vec<totp_rs::Totp> = accounts
        .iter()
        .map(|a| {
            totp_rs::Builder::new()
                .with_algorithm(match a.params.algorithm {
                    Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
                    Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
                    Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
                })
                .with_digits(a.params.digits)
                .with_secret(a.secret.as_bytes().to_vec())
                .build_noncompliant()
        })
        .collect();

    let mut group = c.benchmark_group("all_codes_10k");
    group.throughput(Throughput::Elements(ACCOUNTS as u64));
    group.bench_function("tessera_generators", |b| {
        b.iter(|| {
            let t = black_box(NOW);
            let codes: Vec<String> = generators.iter().map(|g| g.code_at(t)).collect();
            black_box(codes)
        })
    });
    group.bench_function("tessera_generators_reused_buffer", |b| {
        let mut buf = String::with_capacity(otp::MAX_CODE_LEN);
        b.iter(|| {
            let t = black_box(NOW);
            for g in &generators {
                g.write_code_at(t, &mut buf);
                black_box(&buf);
            }
        })
    });
    group.bench_function("raw_hmac", |b| {
        b.iter(|| {
            let t = black_box(NOW);
            for key in &raw {
                black_box(key.sign((t / 30).to_be_bytes()));
            }
        })
    });
    group.bench_function("raw_ring_hmac", |b| {
        b.iter(|| {
            let t = black_box(NOW);
            for key in &keys {
                black_box(ring_hmac::sign(key, &(t / 30).to_be_bytes()));
            }
        })
    });
    group.bench_function("tessera_key_per_call", |b| {
        b.iter(|| {
            let t = black_box(NOW);
            for a in &accounts {
                let _ = black_box(otp::code_at(a, t));
            }
        })
    });
    group.bench_function("totp_rs", |b| {
        b.iter(|| {
            let t = black_box(NOW);
            for r in &reference {
                black_box(r.generate(t));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = one_code, all_codes
}
criterion_main!(benches);
