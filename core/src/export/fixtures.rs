//! Accounts the export tests round-trip: the eight Aegis reference vectors (every kind,
//! algorithm and digit count, HOTP counters) plus accounts that use every other field.
//!
//! Test data only (hidden from the docs): public so that the integration tests in `core/tests/`
//! share these definitions with the unit tests instead of copying them.

use crate::account::{Account, Algorithm, OtpKind, OtpParams, Secret};

/// An account from constant test data. Panics on a `secret` that is not Base32 (a bug in the
/// fixture, never input).
pub fn account(
    issuer: &str,
    name: &str,
    secret: &str,
    kind: OtpKind,
    algo: Algorithm,
    digits: u8,
) -> Account {
    let mut a = Account::totp(
        issuer,
        name,
        Secret::from_base32(secret).expect("fixture secrets are Base32"),
    );
    a.params = OtpParams {
        kind,
        algorithm: algo,
        digits,
    };
    a
}

/// The eight accounts of Aegis's `VaultEntries` test vectors.
pub fn aegis_vectors() -> Vec<Account> {
    use Algorithm::*;
    vec![
        account(
            "Deno",
            "Mason",
            "4SJHB4GSD43FZBAI7C2HLRJGPQ",
            OtpKind::Totp { period: 30 },
            Sha1,
            6,
        ),
        account(
            "SPDX",
            "James",
            "5OM4WOOGPLQEF6UGN3CPEOOLWU",
            OtpKind::Totp { period: 20 },
            Sha256,
            7,
        ),
        account(
            "Airbnb",
            "Elijah",
            "7ELGJSGXNCCTV3O6LKJWYFV2RA",
            OtpKind::Totp { period: 50 },
            Sha512,
            8,
        ),
        account(
            "Issuu",
            "James",
            "YOOMIXWS5GN6RTBPUFFWKTW5M4",
            OtpKind::Hotp { counter: 1 },
            Sha1,
            6,
        ),
        account(
            "Air Canada",
            "Benjamin",
            "KUVJJOM753IHTNDSZVCNKL7GII",
            OtpKind::Hotp { counter: 50 },
            Sha256,
            7,
        ),
        account(
            "WWE",
            "Mason",
            "5VAML3X35THCEBVRLV24CGBKOY",
            OtpKind::Hotp { counter: 10300 },
            Sha512,
            8,
        ),
        account(
            "Boeing",
            "Sophia",
            "JRZCL47CMXVOQMNPZR2F7J4RGI",
            OtpKind::Steam { period: 30 },
            Sha1,
            5,
        ),
        account(
            "Battle.net",
            "US-2211-2050-3346",
            "BMGRXPGFARQQF4GMT25JATL2VYLAHDBI",
            OtpKind::Totp { period: 30 },
            Sha1,
            8,
        ),
    ]
}

/// The vectors plus accounts with metadata, groups, notes, favourites, odd characters, an
/// empty issuer and a huge HOTP counter: everything a lossless format must give back.
pub fn rich() -> Vec<Account> {
    let mut v = aegis_vectors();
    v[0].groups = vec!["Work".into(), "NHS".into()];
    v[0].note = "Recovery codes in the safe.\nSecond line: ünïcödé ✓".into();
    v[0].favorite = true;
    v[1].meta
        .insert("image".into(), "https://example.org/icon.png".into());
    v[1].meta.insert("color".into(), "#ff0000".into());
    v[3].groups = vec!["Work".into()];
    let mut odd = account(
        "",
        "jane:doe@example.org?a=b&c=%20",
        "JBSWY3DPEHPK3PXP",
        OtpKind::Hotp {
            counter: u64::MAX / 2,
        },
        Algorithm::Sha1,
        6,
    );
    odd.favorite = true;
    odd.note = "\"quotes\" and \\backslashes\\".into();
    v.push(odd);
    v.push(account(
        "Only Issuer",
        "",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        OtpKind::Totp { period: 60 },
        Algorithm::Sha256,
        10,
    ));
    v
}
