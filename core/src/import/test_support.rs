//! Test helpers: read the shared corpus and compare parser output with `expected.json`.

use std::path::PathBuf;

use super::{Format, Input, Parsed};
use crate::account::{Account, OtpKind};

/// `../shared/corpus` relative to the workspace.
pub(crate) fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
}

/// A corpus file's bytes, or `None` (with a printed note) when the corpus is absent.
pub(crate) fn read(rel: &str) -> Option<Vec<u8>> {
    let path = corpus_dir().join(rel);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!(
                "NOTE: corpus file {} not available ({e}); check not run",
                path.display()
            );
            None
        }
    }
}

/// The `files.<rel>` object of expected.json.
pub(crate) fn expected(rel: &str) -> Option<serde_json::Value> {
    let bytes = read("expected.json")?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("expected.json parses");
    Some(v["files"][rel].clone())
}

/// One account as the comparable tuple expected.json uses.
fn shape(a: &Account) -> serde_json::Value {
    let mut m = serde_json::json!({
        "type": a.params.kind.type_name(),
        "issuer": a.issuer,
        "name": a.name,
        "secret": a.secret.to_base32(),
        "algorithm": a.params.algorithm.as_str(),
        "digits": a.params.digits,
    });
    match a.params.kind {
        OtpKind::Hotp { counter } => m["counter"] = counter.into(),
        OtpKind::Totp { period } | OtpKind::Steam { period } => m["period"] = period.into(),
    }
    m
}

/// The expected entry reduced to the fields [`shape`] produces.
fn expected_shape(e: &serde_json::Value) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for k in [
        "type",
        "issuer",
        "name",
        "secret",
        "algorithm",
        "digits",
        "period",
        "counter",
    ] {
        if let Some(v) = e.get(k) {
            m.insert(k.to_string(), v.clone());
        }
    }
    serde_json::Value::Object(m)
}

/// Asserts the accounts equal expected.json's entries for `rel`, in order.
pub(crate) fn assert_expected(rel: &str, accounts: &[Account]) {
    let Some(exp) = expected(rel) else { return };
    let want: Vec<_> = exp["expected_entries"]
        .as_array()
        .unwrap_or_else(|| panic!("no expected_entries for {rel}"))
        .iter()
        .map(expected_shape)
        .collect();
    let got: Vec<_> = accounts.iter().map(shape).collect();
    assert_eq!(
        got, want,
        "{rel}: imported entries differ from expected.json"
    );
}

/// Reads `rel`, checks `format` sniffs it, parses it with expected.json's password and compares.
/// Returns the parse result, or `None` when the corpus is absent.
pub(crate) fn check_file(format: &Format, rel: &str) -> Option<Parsed> {
    let bytes = read(rel)?;
    let exp = expected(rel)?;
    let password = exp["password"].as_str();
    let name = rel.rsplit('/').next();
    let input = Input {
        bytes: &bytes,
        file_name: name,
    };
    assert!(
        (format.sniff)(&input),
        "{}: sniffer does not recognise {rel}",
        format.id
    );
    let parsed = (format.parse)(&input, password)
        .unwrap_or_else(|e| panic!("{}: {rel} failed: {e}", format.id));
    assert!(
        parsed.skipped.is_empty(),
        "{rel}: skipped {:?}",
        parsed.skipped
    );
    assert_expected(rel, &parsed.accounts);
    Some(parsed)
}
