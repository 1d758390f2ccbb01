//! Vault benchmarks for 10,000 entries: a cold open + unlock through the key-protector slot (no
//! KDF) + list + codes, against two baselines measured in the same run — computing the 10,000
//! codes from already-prepared generators (pure OTP work), and a warm `codes_at` refresh on an
//! unlocked vault. The Argon2id unlock is measured separately (default parameters).
//!
//! Peak memory is measured by `cargo run --release -p tessera-core --example vault_rss`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::otp::Generator;
use tessera_core::vault::{FileKeyProtector, KdfParams, Vault};
use tessera_core::{Account, Secret};

const ENTRIES: u32 = 10_000;
const T: u64 = 1_700_000_000;

fn accounts() -> Vec<Account> {
    (0..ENTRIES)
        .map(|i| {
            let mut s = format!("bench-{i:08}").into_bytes();
            s.resize(20, b'x');
            Account::totp(
                format!("Issuer {i}"),
                format!("user{i}@example.org"),
                Secret::new(s),
            )
        })
        .collect()
}

fn prepare(dir: &Path, kdf: KdfParams) {
    let (v, _) = Vault::create(&dir.join("vault.db"), Some("bench"), kdf).unwrap();
    let fkp = FileKeyProtector::open_or_create(&dir.join("device.key")).unwrap();
    v.add_protector_slot(&fkp, "bench").unwrap();
    v.add_accounts(&accounts()).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    prepare(dir.path(), KdfParams::INSECURE_FOR_TESTS);
    let db = dir.path().join("vault.db");
    let fkp = FileKeyProtector::open(&dir.path().join("device.key")).unwrap();

    let mut g = c.benchmark_group("vault_10k");
    g.sample_size(10);
    g.bench_function("open_unlock_list_codes", |b| {
        b.iter(|| {
            let mut v = Vault::open(&db).unwrap();
            v.unlock_with_protector(&fkp).unwrap();
            let list = v.list().unwrap();
            let codes = v.codes_at(T).unwrap();
            black_box((list.len(), codes.len()))
        })
    });

    let mut warm = Vault::open(&db).unwrap();
    warm.unlock_with_protector(&fkp).unwrap();
    warm.codes_at(T).unwrap();
    g.bench_function("warm_codes_refresh", |b| {
        b.iter(|| black_box(warm.codes_at(black_box(T)).unwrap().len()))
    });

    let generators: Vec<Generator> = accounts()
        .iter()
        .map(|a| Generator::for_account(a).unwrap())
        .collect();
    g.bench_function("baseline_codes_from_prepared_generators", |b| {
        b.iter(|| {
            let codes: Vec<String> = generators.iter().map(|g| g.code_at(black_box(T))).collect();
            black_box(codes.len())
        })
    });
    g.finish();

    // The password unlock with the default (OWASP) Argon2id parameters, measured on its own.
    let pw_dir = tempfile::tempdir().unwrap();
    let (v, _) = Vault::create(
        &pw_dir.path().join("v.db"),
        Some("bench"),
        KdfParams::default(),
    )
    .unwrap();
    drop(v);
    let mut g = c.benchmark_group("vault_unlock");
    g.sample_size(10);
    g.bench_function("argon2id_default_password_unlock", |b| {
        b.iter(|| {
            let mut v = Vault::open(&pw_dir.path().join("v.db")).unwrap();
            v.unlock_with_password("bench").unwrap();
            black_box(v.is_unlocked())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
