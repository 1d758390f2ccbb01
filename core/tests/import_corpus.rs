//! Data-driven import test over the shared corpus (`../shared/corpus/expected.json`).
//!
//! For every sample file: auto-detect and parse with `import::parse` (password from
//! `expected.json`), then compare with the expected entries. Entries the corpus marks as not
//! valid Base32 (`secret_is_strict_base32: false`), with an algorithm Tessera cannot compute
//! (e.g. SHA384), zero digits or a zero period must come back in `skipped` with a reason — never
//! dropped, never imported. Encrypted files are also tried without a password
//! (`PasswordRequired`) and with a wrong one (`WrongPassword`).
//!
//! Prints one line per file (`ok`, `MISMATCH`, `not yet supported`) and fails on any mismatch.
//! Files whose format is not implemented yet are listed in [`NOT_YET_SUPPORTED`]; only those may
//! fail to be recognised.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tessera_core::account::{Account, Algorithm, OtpKind};
use tessera_core::import::{self, ImportError, Input, Parsed};

/// Sample files whose import format is not implemented yet. The test tolerates these being
/// unrecognised (it still checks them, and fails on a mismatch, once a parser claims them).
/// The list must shrink to empty: every entry is a gap in issue 5.
const NOT_YET_SUPPORTED: &[&str] = &[];

/// Files in the corpus that are not export files: they must not be taken by any importer.
const NOT_AN_EXPORT: &[(&str, &str)] = &[(
    "google-authenticator-migration/extract_otp_secrets/example_output.json",
    "extract_otp_secrets' own output format",
)];

/// Files whose expected result is an error or no accounts at all (negative cases).
const NEGATIVE: &[&str] = &[
    "google-authenticator-migration/proton-pass-common/invalid_migration_uris.txt",
    "google-authenticator-migration/extract_otp_secrets/test_export_wrong_content.txt",
    "google-authenticator-migration/extract_otp_secrets/test_export_wrong_data.txt",
    "google-authenticator-migration/extract_otp_secrets/test_export_wrong_prefix.txt",
    // QR images whose code is not an OTP link (impb's qr-image importer reports it as skipped).
    "google-authenticator-migration/extract_otp_secrets/qr_but_without_otp.png",
    "google-authenticator-migration/proton-pass-common-qr/example.png",
];

/// QR screenshots whose accounts nobody recorded: upstream only asserts that each holds a
/// Google Authenticator migration link. They must import at least one account and skip none
/// (the qr-image unit tests check that every code they hold is such a link).
const UNASSERTED_QR: &[&str] = &[
    "google-authenticator-migration/proton-pass-common-qr/GoogleAuthImportScreenshotCropped.jpg",
    "google-authenticator-migration/proton-pass-common-qr/GoogleAuthenticatorExport_1.png",
    "google-authenticator-migration/proton-pass-common-qr/GoogleAuthenticatorExport_2.png",
    "google-authenticator-migration/proton-pass-common-qr/GoogleAuthenticatorExport_3.png",
    "google-authenticator-migration/proton-pass-common-qr/GoogleAuthenticator_ScreenshotBigQR.jpeg",
];

/// Files checked against another file's expectations (same accounts, different container).
const SAME_AS: &[(&str, &str)] = &[(
    "google-authenticator-migration/extract_otp_secrets/url_list_output.txt",
    "google-authenticator-migration/extract_otp_secrets/example_export.txt",
)];

/// Encrypted files whose wrong-password check is left to a sibling with the same scheme at a lower
/// cost (here Argon2id with 256 MiB and 16 passes; the low-complexity file takes the same path).
const WRONG_PASSWORD_COVERED_BY_SIBLING: &[&str] =
    &["ente-auth/proton-pass-common/encrypted.nominalcomplexity.txt"];

fn corpus_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")).to_path_buf()
}

/// One expected account, in the corpus's terms.
#[derive(Debug, Clone)]
struct Want {
    kind: String,
    issuer: String,
    /// Accepted names (a migration entry may keep or strip its "Issuer:" prefix).
    names: Vec<String>,
    secret: Vec<u8>,
    algorithm: Algorithm,
    digits: u8,
    period_or_counter: u64,
    note: Option<String>,
    groups: Option<Vec<String>>,
    favorite: Option<bool>,
    /// The label may be split at its ':' into issuer and name (the Key URI format does this for
    /// a name that Google's migration export keeps whole).
    colon_split: bool,
    /// Only type and secret are compared (corpus notes: "only checked for its secret").
    secret_only: bool,
}

/// Lenient RFC 4648 Base32 as the corpus means it (case-insensitive, padding ignored, unused
/// trailing bits ignored), written here independently of the code under test.
fn b32(s: &str) -> Option<Vec<u8>> {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.check_trailing_bits = false;
    let enc = spec.encoding().ok()?;
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, '=' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    enc.decode(clean.as_bytes()).ok()
}

/// Proton Pass's expectations are the TOTP URIs found in the export (`{item, where, value}`):
/// each must import as that URI does on its own, with the item name as issuer when the URI has
/// none; a URI that does not parse must be skipped.
fn want_from_uri(e: &Value) -> Result<Want, String> {
    let value = e.get("value").and_then(Value::as_str).unwrap_or_default();
    let a = tessera_core::uri::parse(value).map_err(|err| err.to_string())?;
    let issuer = if a.issuer.is_empty() {
        e.get("item")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    } else {
        a.issuer.clone()
    };
    let period_or_counter = match a.params.kind {
        OtpKind::Totp { period } | OtpKind::Steam { period } => u64::from(period),
        OtpKind::Hotp { counter } => counter,
    };
    Ok(Want {
        kind: a.params.kind.type_name().into(),
        issuer,
        names: vec![a.name.clone()],
        secret: a.secret.as_bytes().to_vec(),
        algorithm: a.params.algorithm,
        digits: a.params.digits,
        period_or_counter,
        note: None,
        groups: None,
        favorite: None,
        secret_only: false,
        colon_split: false,
    })
}

/// `Ok(want)` for an entry that must import, `Err(label)` for one that must be skipped.
fn want(file: &str, e: &Value) -> Result<Want, String> {
    let s = |k: &str| {
        e.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let n = |k: &str| e.get(k).and_then(Value::as_i64);
    let label = format!("{}/{}", s("issuer"), s("name"));
    if e.get("secret_is_strict_base32") == Some(&Value::Bool(false)) {
        return Err(label);
    }
    let Some(secret) = b32(&s("secret")) else {
        return Err(label);
    };
    let Ok(algorithm) = s("algorithm").parse::<Algorithm>() else {
        return Err(label);
    };
    let digits = n("digits").unwrap_or(6);
    let kind = s("type");
    let period_or_counter = if kind == "hotp" {
        n("counter").unwrap_or(0)
    } else {
        n("period").unwrap_or(30)
    };
    if !(4..=10).contains(&digits) || (kind != "hotp" && period_or_counter <= 0) {
        return Err(label);
    }
    let mut names = vec![s("name")];
    if let Some(short) = e.get("name_without_issuer_prefix").and_then(Value::as_str) {
        names.push(short.to_owned());
    }
    let mut w = Want {
        kind: kind.clone(),
        issuer: s("issuer"),
        names,
        secret,
        algorithm,
        digits: digits as u8,
        period_or_counter: period_or_counter as u64,
        note: e.get("note").and_then(Value::as_str).map(str::to_owned),
        groups: None,
        favorite: None,
        secret_only: false,
        colon_split: false,
    };
    // Ente keeps note, tags and pinned in a `codeDisplay` JSON parameter.
    if let Some(cd) = e
        .pointer("/extra_params/codeDisplay")
        .and_then(Value::as_str)
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
    {
        let note = cd.get("note").and_then(Value::as_str).unwrap_or_default();
        w.note = Some(note.to_owned());
        w.favorite = cd.get("pinned").and_then(Value::as_bool);
        w.groups = cd.get("tags").and_then(Value::as_array).map(|t| {
            t.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        });
    }
    // Fix-ups written in the corpus notes.
    if file.starts_with("bitwarden/bitwarden.") && kind == "steam" {
        w.secret_only = true; // "Steam entry is only checked for its secret"
    }
    if file == "aegis/aegis_plain_grouped_v2.json" {
        // "Deno+Airbnb in group1, Issuu in group2, others none"
        w.groups = Some(match w.issuer.as_str() {
            "Deno" | "Airbnb" => vec!["group1".into()],
            "Issuu" => vec!["group2".into()],
            _ => vec![],
        });
    }
    Ok(w)
}

/// Expectations the corpus gives only as upstream test prose (bitwarden/authenticator-ios
/// fixtures), written out here. Their placeholder secrets "Secret1One" (a `1`), "SecretTwo"
/// and "STEAMSECRET" (impossible Base32 lengths) are not valid Base32, so those entries must be
/// skipped with a reason.
fn prose_expectations(file: &str) -> Option<(Vec<Want>, usize)> {
    let totp = |issuer: &str, name: &str, secret: &str| Want {
        kind: "totp".into(),
        issuer: issuer.into(),
        names: vec![name.into()],
        secret: b32(secret).unwrap_or_default(),
        algorithm: Algorithm::Sha1,
        digits: 6,
        period_or_counter: 30,
        note: None,
        groups: None,
        favorite: None,
        secret_only: false,
        colon_split: false,
    };
    Some(match file {
        "bitwarden-authenticator/bitwarden-authenticator-ios/BitwardenExport.json" => {
            let mut steam = totp("Steam", "Steam", "EXAMPLE");
            steam.kind = "steam".into();
            steam.digits = 5;
            steam.secret_only = true;
            steam.favorite = Some(true);
            (
                vec![totp("Bitwarden", "person@example.com", "EXAMPLE"), steam],
                0,
            )
        }
        // expected.json's notes (from extract_otp_secrets' tests): three TOTP accounts.
        "google-authenticator-migration/extract_otp_secrets/test_googleauth_export.png" => {
            let qr = |n: u8, secret: &str| {
                let mut w = totp(
                    &format!("Test{n}"),
                    &format!("Test{n}:test{n}@example{n}.com"),
                    secret,
                );
                w.names.push(format!("test{n}@example{n}.com"));
                w
            };
            (
                vec![
                    qr(1, "JBSWY3DPEHPK3PXP"),
                    qr(2, "JBSWY3DPEHPK3PXQ"),
                    qr(3, "JBSWY3DPEHPK3PXR"),
                ],
                0,
            )
        }
        "2fas/bitwarden-authenticator-ios/TwoFasExport.2fas" => (vec![], 3),
        "lastpass-authenticator/bitwarden-authenticator-ios/LastpassExport.json" => (vec![], 2),
        "raivo/bitwarden-authenticator-ios/RaivoExport.json" => (vec![], 2),
        _ => return None,
    })
}

fn describe(a: &Account) -> String {
    let pc = match a.params.kind {
        OtpKind::Totp { period } | OtpKind::Steam { period } => format!("period {period}"),
        OtpKind::Hotp { counter } => format!("counter {counter}"),
    };
    format!(
        "{} {:?}/{:?} {} {} digits, {pc}, {} secret bytes",
        a.params.kind.type_name(),
        a.issuer,
        a.name,
        a.params.algorithm,
        a.params.digits,
        a.secret.len()
    )
}

fn matches(w: &Want, a: &Account) -> bool {
    if a.params.kind.type_name() != w.kind || a.secret.as_bytes() != w.secret.as_slice() {
        return false;
    }
    if w.secret_only {
        return w.favorite.is_none_or(|f| f == a.favorite);
    }
    let pc = match a.params.kind {
        OtpKind::Totp { period } | OtpKind::Steam { period } => u64::from(period),
        OtpKind::Hotp { counter } => counter,
    };
    // Leading/trailing spaces are not significant ("Code 2 " in a Bitwarden sample).
    let split_ok = w.colon_split
        && w.issuer.is_empty()
        && w.names[0]
            .split_once(':')
            .is_some_and(|(i, n)| i == a.issuer && n.trim() == a.name);
    (split_ok
        || (a.issuer.trim() == w.issuer.trim()
            && w.names.iter().any(|n| n.trim() == a.name.trim())))
        && a.params.algorithm == w.algorithm
        && a.params.digits == w.digits
        && pc == w.period_or_counter
        && w.note.as_ref().is_none_or(|n| *n == a.note)
        && w.groups.as_ref().is_none_or(|g| *g == a.groups)
        && w.favorite.is_none_or(|f| f == a.favorite)
}

/// Compares a parse result with the expectations; `Err` describes every difference.
fn compare(parsed: &Parsed, wants: &[Want], skips: usize) -> Result<(), String> {
    let mut problems = Vec::new();
    let mut used = vec![false; parsed.accounts.len()];
    for w in wants {
        match (0..parsed.accounts.len()).find(|&i| !used[i] && matches(w, &parsed.accounts[i])) {
            Some(i) => used[i] = true,
            None => problems.push(format!(
                "missing {} {:?}/{:?} {} {} digits {}",
                w.kind, w.issuer, w.names[0], w.algorithm, w.digits, w.period_or_counter
            )),
        }
    }
    for (i, a) in parsed.accounts.iter().enumerate() {
        if !used[i] {
            problems.push(format!("unexpected {}", describe(a)));
        }
    }
    if parsed.skipped.len() != skips {
        problems.push(format!(
            "{} skipped, expected {skips}: {:?}",
            parsed.skipped.len(),
            parsed.skipped
        ));
    }
    if parsed.skipped.iter().any(|s| s.reason.trim().is_empty()) {
        problems.push("a skipped entry has no reason".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

enum Outcome {
    Ok(String),
    Mismatch(String),
    NotYetSupported(String),
}

fn run(
    dir: &Path,
    file: &str,
    spec: &Value,
    all: &serde_json::Map<String, Value>,
) -> Result<Outcome, String> {
    let bytes = std::fs::read(dir.join(file)).map_err(|e| format!("cannot read: {e}"))?;
    let input = Input {
        bytes: &bytes,
        file_name: Path::new(file).file_name().and_then(|n| n.to_str()),
    };
    let password = spec.get("password").and_then(Value::as_str);

    if let Some((_, why)) = NOT_AN_EXPORT.iter().find(|(f, _)| *f == file) {
        return Ok(match import::detect(&input) {
            None => Outcome::Ok(format!("rejected, not an export ({why})")),
            Some(f) => Outcome::Mismatch(format!("taken by the {} importer ({why})", f.id)),
        });
    }
    let result = import::parse(&input, None, password);
    if NEGATIVE.contains(&file) {
        return Ok(match result {
            Err(e) => Outcome::Ok(format!("refused: {e}")),
            Ok((f, p)) if p.accounts.is_empty() => Outcome::Ok(format!(
                "{}: 0 accounts, {} skipped with reasons",
                f.id,
                p.skipped.len()
            )),
            Ok((f, p)) => Outcome::Mismatch(format!(
                "{} imported {} accounts from a negative case",
                f.id,
                p.accounts.len()
            )),
        });
    }
    let (format, parsed) = match result {
        Ok(r) => r,
        Err(ImportError::UnknownFormat) if NOT_YET_SUPPORTED.contains(&file) => {
            return Ok(Outcome::NotYetSupported("format not recognised".into()));
        }
        Err(e) => return Ok(Outcome::Mismatch(format!("import failed: {e}"))),
    };

    if UNASSERTED_QR.contains(&file) {
        return Ok(
            if !parsed.accounts.is_empty() && parsed.skipped.is_empty() {
                Outcome::Ok(format!(
                    "{}: {} accounts (content not recorded upstream)",
                    format.id,
                    parsed.accounts.len()
                ))
            } else {
                Outcome::Mismatch(format!(
                    "{}: {} accounts, {} skipped",
                    format.id,
                    parsed.accounts.len(),
                    parsed.skipped.len()
                ))
            },
        );
    }

    // The expectations: from this file, another file, or the upstream prose.
    let source = SAME_AS
        .iter()
        .find(|(f, _)| *f == file)
        .and_then(|(_, other)| all.get(*other))
        .unwrap_or(spec);
    let (wants, skips) = if let Some(p) = prose_expectations(file) {
        p
    } else if let Some(entries) = source.get("expected_entries").and_then(Value::as_array) {
        let mut wants = Vec::new();
        let mut skips = 0;
        for e in entries {
            let w = if e.get("value").is_some() {
                want_from_uri(e)
            } else {
                want(file, e)
            };
            match w {
                Ok(mut w) => {
                    w.colon_split = source != spec;
                    wants.push(w)
                }
                Err(_) => skips += 1,
            }
        }
        (wants, skips)
    } else {
        return Ok(Outcome::Mismatch("no expectations in expected.json".into()));
    };
    if let Err(d) = compare(&parsed, &wants, skips) {
        return Ok(Outcome::Mismatch(format!("{}: {d}", format.id)));
    }

    // Encrypted files: no password and a wrong password must both be refused.
    if password.is_some() {
        match import::parse(&input, Some(format), None) {
            Err(ImportError::PasswordRequired) => {}
            other => {
                return Ok(Outcome::Mismatch(format!(
                    "without a password: expected PasswordRequired, got {:?}",
                    other.map(|(_, p)| p.accounts.len())
                )));
            }
        }
        if !WRONG_PASSWORD_COVERED_BY_SIBLING.contains(&file) {
            match import::parse(&input, Some(format), Some("not-the-password")) {
                Err(ImportError::WrongPassword) => {}
                other => {
                    return Ok(Outcome::Mismatch(format!(
                        "with a wrong password: expected WrongPassword, got {:?}",
                        other.map(|(_, p)| p.accounts.len())
                    )));
                }
            }
        }
    }
    Ok(Outcome::Ok(format!(
        "{}: {} accounts, {} skipped with reasons{}",
        format.id,
        parsed.accounts.len(),
        parsed.skipped.len(),
        if WRONG_PASSWORD_COVERED_BY_SIBLING.contains(&file) {
            ", password required ok (wrong password: see its low-cost sibling)"
        } else if password.is_some() {
            ", password checks ok"
        } else {
            ""
        }
    )))
}

#[test]
fn every_corpus_file_imports_to_its_expected_entries() {
    let dir = corpus_dir();
    let Ok(text) = std::fs::read_to_string(dir.join("expected.json")) else {
        println!(
            "import corpus NOT FOUND at {} — NOTHING CHECKED (the corpus is not in the repository)",
            dir.display()
        );
        return;
    };
    let doc: Value = serde_json::from_str(&text).expect("expected.json is JSON");
    let files = doc["files"].as_object().expect("files object");

    let (mut ok, mut pending, mut bad) = (0, 0, Vec::new());
    for (file, spec) in files {
        let started = std::time::Instant::now();
        let outcome = run(&dir, file, spec, files);
        let secs = started.elapsed().as_secs_f64();
        if secs > 2.0 {
            // Information only (key derivation at the file's real cost), never asserted.
            println!("(slow)             {file} took {secs:.1} s");
        }
        match outcome {
            Ok(Outcome::Ok(d)) => {
                ok += 1;
                if NOT_YET_SUPPORTED.contains(&file.as_str()) {
                    println!("ok                 {file} — {d} (remove it from NOT_YET_SUPPORTED)");
                } else {
                    println!("ok                 {file} — {d}");
                }
            }
            Ok(Outcome::NotYetSupported(d)) => {
                pending += 1;
                println!("not yet supported  {file} — {d}");
            }
            Ok(Outcome::Mismatch(d)) | Err(d) => {
                println!("MISMATCH           {file} — {d}");
                bad.push(file.clone());
            }
        }
    }

    // Every data file on disk must have expectations (a new sample must not go unchecked).
    let mut on_disk = BTreeSet::new();
    collect(&dir, &dir, &mut on_disk);
    for f in on_disk {
        let top_level_doc = !f.contains('/');
        if !top_level_doc && !f.ends_with("/password") && !files.contains_key(&f) {
            println!("MISMATCH           {f} — on disk but not in expected.json");
            bad.push(f);
        }
    }
    for f in NOT_YET_SUPPORTED {
        assert!(
            files.contains_key(*f),
            "NOT_YET_SUPPORTED names unknown file {f}"
        );
    }

    println!(
        "import corpus: {ok} ok, {pending} not yet supported (NOT_YET_SUPPORTED), {} mismatched",
        bad.len()
    );
    assert!(bad.is_empty(), "corpus mismatches: {bad:?}");
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Every parser and sniffer, fed truncated and bit-flipped copies of every corpus file, returns
/// a result and never panics. No password is given (so no key derivation runs at a file's cost);
/// the plain formats and every parser's header handling are exercised.
#[test]
fn parsers_survive_truncated_and_corrupted_corpus_files() {
    let dir = corpus_dir();
    let Ok(text) = std::fs::read_to_string(dir.join("expected.json")) else {
        println!(
            "import corpus NOT FOUND at {} — NOTHING CHECKED",
            dir.display()
        );
        return;
    };
    let doc: Value = serde_json::from_str(&text).expect("expected.json is JSON");
    let files = doc["files"].as_object().expect("files object");
    let mut runs = 0usize;
    for file in files.keys() {
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        let n = bytes.len();
        let mut variants: Vec<Vec<u8>> = [0, 1, n / 3, n / 2, n.saturating_sub(1)]
            .iter()
            .map(|&cut| bytes[..cut.min(n)].to_vec())
            .collect();
        for pos in [n / 5, n / 2, n * 4 / 5] {
            if pos < n {
                let mut v = bytes.clone();
                v[pos] ^= 0x5A;
                variants.push(v);
            }
        }
        for v in &variants {
            let input = Input {
                bytes: v,
                file_name: None,
            };
            for f in import::FORMATS {
                let _ = (f.sniff)(&input);
                let _ = (f.parse)(&input, None);
                runs += 1;
            }
        }
    }
    println!("{runs} parser runs on damaged corpus files, no panic");
    assert!(runs > 0);
}
