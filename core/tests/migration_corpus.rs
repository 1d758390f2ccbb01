//! Google Authenticator migration URIs from `shared/corpus/google-authenticator-migration/`:
//! every file with expected entries (see `expected.json`) decodes to exactly those accounts, the
//! negative samples are refused, a multi-code export reports a missing code, and `encode` output
//! decodes back.

mod common;

use tessera_core::account::OtpKind;
use tessera_core::migration::{self, MigrationError};

const DIR: &str = "google-authenticator-migration";

fn uri_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn corpus_files_decode_to_the_expected_accounts() {
    let Some(corpus) = common::corpus_dir("migration_corpus") else {
        return;
    };
    let expected = common::corpus_json("migration_corpus", "expected.json").unwrap();
    let files = expected["files"].as_object().expect("files");
    let mut checked_files = 0;
    let mut checked_accounts = 0;
    for (path, spec) in files.iter().filter(|(p, _)| p.starts_with(DIR)) {
        let Some(entries) = spec["expected_entries"].as_array() else {
            continue;
        };
        let text = std::fs::read_to_string(corpus.join(path)).unwrap();
        let lines = uri_lines(&text);
        // One URI at a time, in file order.
        let mut accounts = Vec::new();
        for line in &lines {
            let batch = migration::decode(line).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(
                batch.skipped.is_empty(),
                "{path}: skipped {:?}",
                batch.skipped
            );
            accounts.extend(batch.accounts);
        }
        assert_eq!(accounts.len(), entries.len(), "{path}");
        assert_eq!(
            Some(accounts.len() as u64),
            spec["expected_count"].as_u64(),
            "{path}"
        );
        for (a, want) in accounts.iter().zip(entries) {
            let ctx = format!("{path}: {}", a.label());
            assert_eq!(a.params.kind.type_name(), want["type"], "{ctx}");
            assert_eq!(a.issuer, want["issuer"], "{ctx}");
            // Google's "Issuer:name" names lose the prefix that repeats the issuer.
            let name = want
                .get("name_without_issuer_prefix")
                .unwrap_or(&want["name"]);
            assert_eq!(a.name, *name, "{ctx}");
            assert_eq!(a.secret.to_base32(), want["secret"], "{ctx}");
            assert_eq!(a.params.algorithm.as_str(), want["algorithm"], "{ctx}");
            assert_eq!(u64::from(a.params.digits), want["digits"], "{ctx}");
            match a.params.kind {
                OtpKind::Hotp { counter } => assert_eq!(counter, want["counter"], "{ctx}"),
                kind => assert_eq!(
                    kind.period().map(u64::from),
                    want["period"].as_u64(),
                    "{ctx}"
                ),
            }
            assert_eq!(
                a.meta.get("unique_id").map(String::as_str),
                want["unique_id"].as_str(),
                "{ctx}"
            );
        }
        // The payload headers (version, batch fields) are as listed.
        if let Some(payloads) = spec["payloads"].as_array() {
            assert_eq!(payloads.len(), lines.len(), "{path}");
            for (line, p) in lines.iter().zip(payloads) {
                let b = migration::decode(line).unwrap();
                for (field, got) in [
                    ("version", b.version),
                    ("batch_size", b.batch_size),
                    ("batch_index", b.batch_index),
                    ("batch_id", b.batch_id),
                ] {
                    let want = p[field].as_i64().unwrap_or(0);
                    assert_eq!(i64::from(got), want, "{path}: {field}");
                }
                assert_eq!(
                    Some(b.accounts.len() as u64),
                    p["n_params"].as_u64(),
                    "{path}"
                );
            }
        }
        // All codes of the file together give the same accounts.
        let all = migration::decode_all(&lines).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(all.accounts.len(), accounts.len(), "{path}");
        checked_files += 1;
        checked_accounts += accounts.len();
    }
    assert!(
        checked_files >= 6,
        "only {checked_files} files had expected entries"
    );
    println!("migration corpus: {checked_files} files, {checked_accounts} accounts as expected");
}

#[test]
fn negative_samples_are_refused() {
    let Some(corpus) = common::corpus_dir("migration_corpus") else {
        return;
    };
    let expected = common::corpus_json("migration_corpus", "expected.json").unwrap();
    let invalid = &expected["files"]
        [format!("{DIR}/proton-pass-common/invalid_migration_uris.txt")]["expected_errors"];
    let invalid = invalid.as_object().expect("expected_errors");
    assert_eq!(invalid.len(), 4);
    for (uri, reason) in invalid {
        let err = migration::decode(uri).expect_err(uri);
        let reason = reason.as_str().unwrap();
        let fits = match err {
            MigrationError::Scheme => reason.contains("wrong scheme"),
            MigrationError::MissingData => reason.contains("no data"),
            MigrationError::Base64 | MigrationError::Protobuf | MigrationError::NoAccounts => {
                reason.starts_with("BadContent")
            }
            _ => false,
        };
        assert!(fits, "{uri}: {err:?} vs {reason}");
    }
    for file in [
        "test_export_wrong_content.txt",
        "test_export_wrong_data.txt",
        "test_export_wrong_prefix.txt",
    ] {
        let text = std::fs::read_to_string(corpus.join(DIR).join("extract_otp_secrets").join(file))
            .unwrap();
        let err = migration::decode(text.trim()).expect_err(file);
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn a_missing_code_of_a_multi_code_export_is_reported() {
    let Some(corpus) = common::corpus_dir("migration_corpus") else {
        return;
    };
    let text = std::fs::read_to_string(
        corpus
            .join(DIR)
            .join("synthetic/aegis_vectors_batch_2of2.txt"),
    )
    .unwrap();
    let lines = uri_lines(&text);
    assert_eq!(lines.len(), 2);
    let err = migration::decode_all(&lines[..1]).unwrap_err();
    assert_eq!(
        err,
        MigrationError::MissingBatches {
            missing: vec![2],
            size: 2,
            batch_id: 123456789
        }
    );
    assert_eq!(
        err.to_string(),
        "QR codes 2 of 2 are missing from export 123456789; scan them too"
    );
    // Scanning a code twice, and in any order, is fine.
    let twice = [lines[1], lines[0], lines[1]];
    assert_eq!(migration::decode_all(&twice).unwrap().accounts.len(), 5);
}

#[test]
fn encoded_corpus_accounts_decode_back() {
    let Some(corpus) = common::corpus_dir("migration_corpus") else {
        return;
    };
    let text = std::fs::read_to_string(
        corpus
            .join(DIR)
            .join("proton-pass-common/migration_uris.txt"),
    )
    .unwrap();
    let lines = uri_lines(&text);
    let original = migration::decode_all(&lines).unwrap().accounts;
    let encoded = migration::encode(&original);
    assert!(encoded.warnings.is_empty(), "{:?}", encoded.warnings);
    let refs: Vec<&str> = encoded.uris.iter().map(String::as_str).collect();
    let back = migration::decode_all(&refs).unwrap();
    assert_eq!(back.accounts, original);
}
