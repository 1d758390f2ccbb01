//! Test helpers: read the shared corpus and compare parser output with `expected.json`.

use std::path::PathBuf;

use super::{Format, ImportError, Input, Parsed};
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

/// An input of these bytes (or this text) with no file name.
pub(crate) fn input<T: AsRef<[u8]> + ?Sized>(bytes: &T) -> Input<'_> {
    Input {
        bytes: bytes.as_ref(),
        file_name: None,
    }
}

/// Asserts that `parse` asks for a password when given none and refuses every `wrong` one.
pub(crate) fn assert_password_errors(
    parse: fn(&Input<'_>, Option<&str>) -> Result<Parsed, ImportError>,
    input: &Input<'_>,
    wrong: &[&str],
) {
    assert!(matches!(
        parse(input, None),
        Err(ImportError::PasswordRequired)
    ));
    for w in wrong {
        assert!(
            matches!(parse(input, Some(w)), Err(ImportError::WrongPassword)),
            "{w:?} was not refused"
        );
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

/// Auto-detection picks the right part-B parser for every corpus file it covers.
#[test]
fn detection_of_part_b_corpus_files() {
    let mut cases = vec![
        ("steam/steam.json", "steam"),
        ("steam/steam_old.json", "steam"),
        ("duo/duo.json", "duo"),
        ("battle-net/battle_net_authenticator.xml", "battle-net"),
        ("freeotp/freeotp.xml", "freeotp"),
        ("freeotp/freeotp_v2_api23.xml", "freeotp2"),
        ("freeotp/freeotp_v2_null_algo.xml", "freeotp2"),
        ("freeotp-plus/freeotp_plus.json", "freeotp-plus"),
        ("freeotp-plus/freeotp_plus_internal.xml", "freeotp"),
        ("authy/authy_plain.xml", "authy"),
        ("authy/authy_encrypted.xml", "authy"),
        (
            "totp-authenticator/totp_authenticator.bin",
            "totp-authenticator",
        ),
        (
            "totp-authenticator/totp_authenticator_internal.xml",
            "totp-authenticator",
        ),
        (
            "authenticator-plus/authenticator_plus.zip",
            "authenticator-plus",
        ),
        (
            "google-authenticator-migration/extract_otp_secrets/test_googleauth_export.png",
            "qr-image",
        ),
        (
            "google-authenticator-migration/proton-pass-common-qr/GoogleAuthImportScreenshotCropped.jpg",
            "qr-image",
        ),
    ];
    if cfg!(feature = "vault") {
        cases.push((
            "google-authenticator/google_authenticator.sqlite",
            "google-authenticator-db",
        ));
        cases.push((
            "microsoft-authenticator/microsoft_authenticator.sqlite",
            "microsoft-authenticator-db",
        ));
    }
    for (rel, id) in cases {
        let Some(bytes) = read(rel) else { return };
        let input = Input {
            bytes: &bytes,
            file_name: rel.rsplit('/').next(),
        };
        let got = super::detect(&input).map(|f| f.id);
        assert_eq!(got, Some(id), "{rel}");
    }
}

/// No part-B sniffer claims another app's corpus file.
#[test]
fn part_b_sniffers_leave_other_formats_alone() {
    const MINE: [&str; 12] = [
        "steam",
        "duo",
        "battle-net",
        "freeotp",
        "freeotp2",
        "freeotp-plus",
        "authy",
        "totp-authenticator",
        "authenticator-plus",
        "google-authenticator-db",
        "microsoft-authenticator-db",
        "qr-image",
    ];
    const MY_DIRS: [&str; 10] = [
        "steam/",
        "duo/",
        "battle-net/",
        "freeotp/",
        "freeotp-plus/",
        "authy/",
        "totp-authenticator/",
        "authenticator-plus/",
        "google-authenticator/",
        "microsoft-authenticator/",
    ];
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out)
            } else {
                out.push(p)
            }
        }
    }
    let root = corpus_dir();
    if !root.is_dir() {
        eprintln!(
            "NOTE: corpus not available at {}; check not run",
            root.display()
        );
        return;
    }
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut checked = 0;
    for path in files {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let image = [".png", ".jpg", ".jpeg"].iter().any(|e| rel.ends_with(e));
        if image || MY_DIRS.iter().any(|d| rel.starts_with(d)) {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        let input = Input {
            bytes: &bytes,
            file_name: path.file_name().and_then(|n| n.to_str()),
        };
        for f in super::FORMATS.iter().filter(|f| MINE.contains(&f.id)) {
            assert!(!(f.sniff)(&input), "{} claims {rel}", f.id);
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} files checked");
}

/// A cheap deterministic mutation run (not a replacement for cargo-fuzz): every part-B parser
/// gets its corpus files with flipped bytes, truncations, duplicated chunks and inserted bytes,
/// and must return (never panic); errors and skip reasons must not quote the file's secrets.
#[test]
fn part_b_parsers_survive_mutated_corpus_files() {
    let mut files = vec![
        ("steam/steam.json", "steam", 300),
        ("duo/duo.json", "duo", 300),
        ("battle-net/battle_net_authenticator.xml", "battle-net", 300),
        ("freeotp/freeotp.xml", "freeotp", 300),
        ("freeotp/freeotp_v2_api34.xml", "freeotp2", 60),
        ("freeotp-plus/freeotp_plus.json", "freeotp-plus", 300),
        ("authy/authy_encrypted.xml", "authy", 150),
        (
            "totp-authenticator/totp_authenticator.bin",
            "totp-authenticator",
            300,
        ),
        (
            "totp-authenticator/totp_authenticator_internal.xml",
            "totp-authenticator",
            300,
        ),
        (
            "authenticator-plus/authenticator_plus.zip",
            "authenticator-plus",
            300,
        ),
        (
            "google-authenticator-migration/proton-pass-common-qr/example.png",
            "qr-image",
            20,
        ),
    ];
    if cfg!(feature = "vault") {
        files.push((
            "google-authenticator/google_authenticator.sqlite",
            "google-authenticator-db",
            150,
        ));
        files.push((
            "microsoft-authenticator/microsoft_authenticator.sqlite",
            "microsoft-authenticator-db",
            150,
        ));
    }
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    for (rel, id, rounds) in files {
        let Some(original) = read(rel) else { return };
        let exp = expected(rel);
        let password = exp
            .as_ref()
            .and_then(|e| e["password"].as_str().map(str::to_string));
        let secrets: Vec<String> = exp
            .as_ref()
            .and_then(|e| e["expected_entries"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e["secret"].as_str().map(str::to_string))
            .collect();
        let format = super::format_by_id(id).expect("registered");
        for _ in 0..rounds {
            let mut b = original.clone();
            for _ in 0..1 + next(3) {
                let len = b.len();
                match next(4) {
                    0 if len > 0 => {
                        let i = next(len);
                        b[i] ^= 1 << next(8);
                    }
                    1 => b.truncate(next(len + 1)),
                    2 if len > 0 => {
                        let (s, n) = (next(len), 1 + next(64));
                        let chunk: Vec<u8> = b[s..(s + n).min(len)].to_vec();
                        let at = next(len + 1);
                        b.splice(at..at, chunk);
                    }
                    _ => {
                        let at = next(len + 1);
                        b.insert(at, [0u8, 0xff, b'"', b'<', b'9'][next(5)]);
                    }
                }
            }
            let input = Input {
                bytes: &b,
                file_name: rel.rsplit('/').next(),
            };
            let text = match (format.parse)(&input, password.as_deref()) {
                Ok(p) => format!("{:?} {:?} {:?}", p.skipped, p.warnings, p.accounts),
                Err(e) => e.to_string(),
            };
            for s in &secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "{id}: a secret appears in output"
                );
            }
        }
    }
}
