//! Every export re-imports, through the import registry's own detection, to the accounts it was
//! made from (less exactly what the export warned it cannot carry).

use std::collections::BTreeMap;

use tessera_core::account::{Account, Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::export::{self, ExportFormat, aegis, backup, fixtures};
use tessera_core::import::{self, Input};

/// A vault using every field: all kinds, algorithms, digit counts, a large HOTP counter, groups,
/// notes, favourites, metadata and characters that need escaping. The first seven accounts are
/// Aegis's reference vectors (less Battle.net), shared with the unit tests.
fn vault() -> Vec<Account> {
    let mut v = fixtures::aegis_vectors();
    v.truncate(7);
    v.push(fixtures::account(
        "NHS mail & Co",
        "jane.doe@nhs.net",
        "JBSWY3DPEHPK3PXP",
        OtpKind::Hotp { counter: 1 << 40 },
        Algorithm::Sha1,
        6,
    ));
    v[0].groups = vec!["Work".into(), "Pharmacy".into()];
    v[0].note = "Recovery codes in the safe — ünïcödé \"quoted\"".into();
    v[0].favorite = true;
    v[3].groups = vec!["Work".into()];
    v[7].favorite = true;
    v[7].meta = BTreeMap::from([("image".to_string(), "https://example.org/i.png".to_string())]);
    v
}

fn reimport(bytes: &[u8], password: Option<&str>, expect_format: &str) -> Vec<Account> {
    let input = Input {
        bytes,
        file_name: None,
    };
    let (format, parsed) = import::parse(&input, None, password).expect("the export imports");
    assert_eq!(format.id, expect_format, "detected as {}", format.id);
    assert!(parsed.skipped.is_empty(), "skipped: {:?}", parsed.skipped);
    parsed.accounts
}

fn without(mut v: Vec<Account>, strip: impl Fn(&mut Account)) -> Vec<Account> {
    v.iter_mut().for_each(strip);
    v
}

#[test]
fn tessera_backup_is_lossless() {
    let kdf = backup::KdfParams {
        m_cost_kib: 256,
        t_cost: 1,
        p_cost: 1,
    };
    let e = backup::write(&vault(), Some(("pw", kdf))).unwrap();
    assert!(e.warnings.is_empty());
    assert_eq!(reimport(&e.bytes, Some("pw"), "tessera"), vault());
    let e = export::export(&vault(), ExportFormat::Tessera, None).unwrap();
    assert_eq!(reimport(&e.bytes, None, "tessera"), vault());
}

#[test]
fn aegis_export_reimports_through_the_aegis_importer() {
    let fast = aegis::ScryptParams {
        log_n: 12,
        r: 8,
        p: 1,
    };
    let expected = without(vault(), |a| a.meta.clear());
    let e = aegis::write(&vault(), Some(("pw", fast))).unwrap();
    assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
    assert_eq!(reimport(&e.bytes, Some("pw"), "aegis"), expected);
    let input = Input {
        bytes: &e.bytes,
        file_name: None,
    };
    assert!(matches!(
        import::parse(&input, None, Some("wrong")),
        Err(import::ImportError::WrongPassword)
    ));
    let e = export::export(&vault(), ExportFormat::Aegis, None).unwrap();
    assert_eq!(reimport(&e.bytes, None, "aegis"), expected);
}

/// The otpauth list and Google migration round trips need their importers; until a format is
/// registered the test says so instead of passing quietly.
fn importer(ids: &[&str]) -> Option<&'static str> {
    let found = ids
        .iter()
        .find_map(|id| import::format_by_id(id))
        .map(|f| f.id);
    if found.is_none() {
        eprintln!("NOTE: no importer registered as {ids:?}; this round trip is NOT checked yet");
    }
    found
}

#[test]
fn otpauth_list_reimports() {
    let Some(id) = importer(&["otpauth", "uris", "otpauth-list"]) else {
        return;
    };
    let e = export::export(&vault(), ExportFormat::Uris, None).unwrap();
    let expected = without(vault(), |a| {
        a.groups.clear();
        a.note.clear();
        a.favorite = false;
    });
    let input = Input {
        bytes: &e.bytes,
        file_name: None,
    };
    let f = import::format_by_id(id).unwrap();
    let parsed = (f.parse)(&input, None).unwrap();
    assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
    assert_eq!(parsed.accounts, expected);
}

#[test]
fn google_migration_reimports() {
    let Some(id) = importer(&["google-migration", "google-authenticator-migration"]) else {
        return;
    };
    let e = export::export(&vault(), ExportFormat::GoogleMigration, None).unwrap();
    // Google's payload has no Steam, no 7 digits, no period, groups, notes, favourites or meta.
    let expected: Vec<Account> = without(vault(), |a| {
        a.groups.clear();
        a.note.clear();
        a.favorite = false;
        a.meta.clear();
        // Written with a warning; the reader assumes 30 s.
        if let OtpKind::Totp { period } = &mut a.params.kind {
            *period = 30;
        }
    })
    .into_iter()
    .filter(|a| a.params.digits != 7 && !matches!(a.params.kind, OtpKind::Steam { .. }))
    .collect();
    let input = Input {
        bytes: &e.bytes,
        file_name: None,
    };
    let f = import::format_by_id(id).unwrap();
    let parsed = (f.parse)(&input, None).unwrap();
    let got: Vec<(String, String, Secret, OtpParams)> = parsed
        .accounts
        .into_iter()
        .map(|a| (a.issuer, a.name, a.secret, a.params))
        .collect();
    let want: Vec<(String, String, Secret, OtpParams)> = expected
        .into_iter()
        .map(|a| (a.issuer, a.name, a.secret, a.params))
        .collect();
    assert_eq!(got, want);
}
