//! Codes from the vault: RFC vectors through stored entries, HOTP counters committed first.
#![cfg(feature = "vault")]

use tessera_core::vault::{KdfParams, Vault, VaultError};
use tessera_core::{Account, Algorithm, OtpKind, OtpParams, Secret};

const RFC_SECRET: &[u8] = b"12345678901234567890";

fn rfc_totp(digits: u8) -> Account {
    let mut a = Account::totp("RFC", "6238", Secret::new(RFC_SECRET.to_vec()));
    a.params.digits = digits;
    a
}

fn rfc_hotp(counter: u64) -> Account {
    let mut a = Account::totp("RFC", "4226", Secret::new(RFC_SECRET.to_vec()));
    a.params = OtpParams {
        kind: OtpKind::Hotp { counter },
        algorithm: Algorithm::Sha1,
        digits: 6,
    };
    a
}

#[test]
fn codes_match_rfc_and_follow_changes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v.db");
    let (v, _) = Vault::create(&p, Some("pw"), KdfParams::INSECURE_FOR_TESTS).unwrap();
    let totp = v.add(&rfc_totp(8)).unwrap();
    let hotp = v.add(&rfc_hotp(0)).unwrap();

    // RFC 6238 appendix B, SHA1, T = 59 and 1111111109.
    let rows = v.codes_at(59).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].id, totp);
    assert_eq!(rows[0].code.as_deref(), Some("94287082"));
    assert_eq!(rows[0].seconds_remaining, Some(1));
    assert_eq!(rows[0].period, Some(30));
    assert_eq!(rows[1].id, hotp);
    assert_eq!((rows[1].kind, rows[1].code.as_deref()), ("hotp", None));
    assert_eq!(
        v.codes_at(1_111_111_109).unwrap()[0].code.as_deref(),
        Some("07081804")
    );

    // A second process (another Vault on the same file) adds and removes: the first sees it.
    let mut other = Vault::open(&p).unwrap();
    other.unlock_with_password("pw").unwrap();
    let mut six = rfc_totp(6);
    six.issuer = "six".into();
    six.params.algorithm = Algorithm::Sha256;
    six.secret = Secret::new(b"12345678901234567890123456789012".to_vec());
    let six_id = other.add(&six).unwrap();
    other.remove(&totp).unwrap();
    let rows = v.codes_at(59).unwrap();
    assert_eq!(
        rows.iter().map(|r| &r.id).collect::<Vec<_>>(),
        vec![&hotp, &six_id]
    );
    // RFC 6238 SHA256 vector at 59 is 46119246 (8 digits); with 6 digits the last six.
    assert_eq!(rows[1].code.as_deref(), Some("119246"));
}

#[test]
fn next_hotp_commits_counter_before_returning() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v.db");
    let (v, _) = Vault::create(&p, Some("pw"), KdfParams::INSECURE_FOR_TESTS).unwrap();
    let id = v.add(&rfc_hotp(0)).unwrap();
    let totp = v.add(&rfc_totp(6)).unwrap();
    // RFC 4226 appendix D.
    let expected = ["755224", "287082", "359152", "969429", "338314"];
    for (i, want) in expected.iter().enumerate() {
        assert_eq!(&v.next_hotp(&id).unwrap(), want);
        // Another connection already sees the advanced counter: it was committed.
        let mut reader = Vault::open(&p).unwrap();
        reader.unlock_with_password("pw").unwrap();
        let info = reader.info(&id).unwrap();
        assert_eq!(
            info.params.kind,
            OtpKind::Hotp {
                counter: i as u64 + 1
            }
        );
        assert_eq!(info.usage_count, i as u64 + 1);
    }
    assert!(matches!(v.next_hotp(&totp), Err(VaultError::Invalid(_))));
    assert!(matches!(
        v.next_hotp(&"nope".into()),
        Err(VaultError::NotFound(_))
    ));
    // Exported accounts carry the advanced counter.
    let acc = v.account(&id).unwrap();
    assert_eq!(acc.params.kind, OtpKind::Hotp { counter: 5 });
}
