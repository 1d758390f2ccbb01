use super::*;
use crate::export::fixtures;

/// Cheap parameters so the tests stay fast; real backups use `KdfParams::DEFAULT`.
const FAST: KdfParams = KdfParams {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

fn encrypted(password: &str) -> Vec<u8> {
    write(&fixtures::rich(), Some((password, FAST)))
        .unwrap()
        .bytes
        .to_vec()
}

fn doc(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn encrypted_round_trip_is_lossless() {
    let bytes = encrypted("correct horse");
    let c = open(&bytes, Some("correct horse")).unwrap();
    assert!(c.encrypted);
    assert!(c.skipped.is_empty(), "{:?}", c.skipped);
    assert_eq!(c.accounts, fixtures::rich());
}

#[test]
fn plain_round_trip_is_lossless() {
    let e = write(&fixtures::rich(), None).unwrap();
    let c = open(&e.bytes, None).unwrap();
    assert!(!c.encrypted);
    assert_eq!(c.accounts, fixtures::rich());
    // Human-readable: the secret is there in clear, Base32.
    assert!(String::from_utf8_lossy(&e.bytes).contains("4SJHB4GSD43FZBAI7C2HLRJGPQ"));
}

#[test]
fn empty_vault_round_trips() {
    let bytes = write(&[], Some(("pw", FAST))).unwrap().bytes.to_vec();
    let c = open(&bytes, Some("pw")).unwrap();
    assert!(c.accounts.is_empty() && c.skipped.is_empty());
}

#[test]
fn encrypted_file_holds_no_secret_and_states_its_parameters() {
    let bytes = encrypted("pw");
    let text = String::from_utf8(bytes.clone()).unwrap();
    for a in fixtures::rich() {
        assert!(!text.contains(&a.secret.to_base32()));
    }
    assert!(!text.contains("Deno"), "metadata is encrypted too");
    let d = doc(&bytes);
    assert_eq!(d["format"], FORMAT);
    assert_eq!(d["version"], 1);
    assert_eq!(d["encryption"]["kdf"], "argon2id");
    assert_eq!(d["encryption"]["m_cost_kib"], 64);
    let env = parse(&bytes).unwrap();
    assert!(env.is_encrypted());
    assert_eq!(env.kdf(), Some(FAST));
}

#[test]
fn default_parameters_are_written_and_read() {
    let accounts = fixtures::aegis_vectors();
    let e =
        crate::export::export(&accounts, crate::export::ExportFormat::Tessera, Some("pw")).unwrap();
    assert_eq!(parse(&e.bytes).unwrap().kdf(), Some(KdfParams::DEFAULT));
    assert_eq!(open(&e.bytes, Some("pw")).unwrap().accounts, accounts);
}

#[test]
fn fresh_salt_and_nonce_every_time() {
    let a = doc(&encrypted("pw"));
    let b = doc(&encrypted("pw"));
    assert_ne!(a["encryption"]["salt"], b["encryption"]["salt"]);
    assert_ne!(a["encryption"]["nonce"], b["encryption"]["nonce"]);
    assert_ne!(a["payload"], b["payload"]);
}

#[test]
fn wrong_or_missing_password() {
    let bytes = encrypted("right");
    assert!(matches!(
        open(&bytes, Some("wrong")),
        Err(BackupError::WrongPassword)
    ));
    assert!(matches!(
        open(&bytes, None),
        Err(BackupError::PasswordRequired)
    ));
    assert!(matches!(
        open(&bytes, Some("")),
        Err(BackupError::WrongPassword)
    ));
}

#[test]
fn empty_password_is_refused_when_writing() {
    assert!(write(&fixtures::rich(), Some(("", FAST))).is_err());
}

#[test]
fn truncated_backups_fail_cleanly() {
    for bytes in [
        encrypted("pw"),
        write(&fixtures::rich(), None).unwrap().bytes.to_vec(),
    ] {
        for cut in (0..bytes.len() - 2).step_by(7) {
            let r = open(&bytes[..cut], Some("pw"));
            assert!(r.is_err(), "a backup cut at {cut} bytes opened");
            let msg = r.unwrap_err().to_string();
            assert!(!msg.contains("4SJHB4GSD43FZBAI7C2HLRJGPQ"), "{msg}");
        }
    }
}

#[test]
fn truncated_ciphertext_fails_authentication() {
    let mut d = doc(&encrypted("pw"));
    let ct = data_encoding::BASE64
        .decode(d["payload"].as_str().unwrap().as_bytes())
        .unwrap();
    d["payload"] = Value::from(data_encoding::BASE64.encode(&ct[..ct.len() - 1]));
    let bytes = serde_json::to_vec(&d).unwrap();
    assert!(matches!(
        open(&bytes, Some("pw")),
        Err(BackupError::WrongPassword)
    ));
    d["payload"] = Value::from(data_encoding::BASE64.encode(&ct[..10]));
    let bytes = serde_json::to_vec(&d).unwrap();
    assert!(matches!(
        open(&bytes, Some("pw")),
        Err(BackupError::Malformed(_))
    ));
}

#[test]
fn tampered_ciphertext_is_detected() {
    let d = doc(&encrypted("pw"));
    let ct = data_encoding::BASE64
        .decode(d["payload"].as_str().unwrap().as_bytes())
        .unwrap();
    for pos in [0, ct.len() / 2, ct.len() - 1] {
        let mut bad = ct.clone();
        bad[pos] ^= 0x01;
        let mut d2 = d.clone();
        d2["payload"] = Value::from(data_encoding::BASE64.encode(&bad));
        let bytes = serde_json::to_vec(&d2).unwrap();
        assert!(
            matches!(open(&bytes, Some("pw")), Err(BackupError::WrongPassword)),
            "flipped byte {pos} not detected"
        );
    }
}

#[test]
fn tampered_header_is_detected() {
    let d = doc(&encrypted("pw"));
    let mut other_nonce = d.clone();
    other_nonce["encryption"]["nonce"] = Value::from(data_encoding::BASE64.encode(&[0u8; 12]));
    let mut other_t = d.clone();
    other_t["encryption"]["t_cost"] = Value::from(2);
    for bad in [other_nonce, other_t] {
        let bytes = serde_json::to_vec(&bad).unwrap();
        assert!(matches!(
            open(&bytes, Some("pw")),
            Err(BackupError::WrongPassword)
        ));
    }
}

#[test]
fn hostile_parameters_are_refused_before_deriving() {
    let mut d = doc(&encrypted("pw"));
    d["encryption"]["m_cost_kib"] = Value::from(u32::MAX);
    let bytes = serde_json::to_vec(&d).unwrap();
    assert!(matches!(
        open(&bytes, Some("pw")),
        Err(BackupError::KdfParams(_))
    ));
    d["encryption"]["m_cost_kib"] = Value::from(1);
    let bytes = serde_json::to_vec(&d).unwrap();
    assert!(matches!(
        open(&bytes, Some("pw")),
        Err(BackupError::KdfParams(_))
    ));
    assert!(
        write(
            &[],
            Some((
                "pw",
                KdfParams {
                    t_cost: 1000,
                    ..FAST
                }
            ))
        )
        .is_err()
    );
}

#[test]
fn versions_and_formats() {
    let mut d = doc(&encrypted("pw"));
    d["version"] = Value::from(2);
    let bytes = serde_json::to_vec(&d).unwrap();
    assert!(matches!(
        open(&bytes, Some("pw")),
        Err(BackupError::UnsupportedVersion(2))
    ));
    assert!(matches!(
        open(br#"{"db": {}}"#, None),
        Err(BackupError::NotABackup)
    ));
    assert!(matches!(
        open(b"otpauth://totp/x?secret=AAAA", None),
        Err(BackupError::NotABackup)
    ));
    let mut d = doc(&encrypted("pw"));
    d["encryption"]["cipher"] = Value::from("rot13");
    assert!(matches!(
        open(&serde_json::to_vec(&d).unwrap(), Some("pw")),
        Err(BackupError::Malformed(_))
    ));
}

#[test]
fn unreadable_entries_are_skipped_with_reasons() {
    let e = write(&fixtures::aegis_vectors(), None).unwrap();
    let mut d = doc(&e.bytes);
    let list = d["payload"]["accounts"].as_array_mut().unwrap();
    list[0]["secret"] = Value::from("NOT*BASE32");
    list[1]["digits"] = Value::from(3);
    list[2]["type"] = Value::from("motp");
    list[3].as_object_mut().unwrap().remove("counter");
    list[4]["groups"] = Value::from(7);
    list.push(Value::from(42));
    let bytes = serde_json::to_vec(&d).unwrap();
    let c = open(&bytes, None).unwrap();
    assert_eq!(c.accounts, fixtures::aegis_vectors()[5..].to_vec());
    let labels: Vec<_> = c.skipped.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Deno (Mason)",
            "SPDX (James)",
            "Airbnb (Elijah)",
            "Issuu (James)",
            "Air Canada (Benjamin)",
            "entry 9"
        ]
    );
    assert!(c.skipped[0].reason.contains("Base32"), "{:?}", c.skipped[0]);
    assert!(c.skipped[1].reason.contains("digits"), "{:?}", c.skipped[1]);
    assert!(
        c.skipped[3].reason.contains("counter"),
        "{:?}",
        c.skipped[3]
    );
    for s in &c.skipped {
        assert!(!s.reason.contains("NOT*BASE32") && !s.reason.contains("5OM4WOOG"));
    }
}

#[test]
fn sniffing() {
    assert!(looks_like_backup(&encrypted("pw")));
    assert!(looks_like_backup(&write(&[], None).unwrap().bytes));
    assert!(!looks_like_backup(
        br#"{"version": 1, "header": {}, "db": {}}"#
    ));
    assert!(!looks_like_backup(b""));
}

#[test]
fn debug_output_hides_everything_secret() {
    let env = parse(&write(&fixtures::rich(), None).unwrap().bytes).unwrap();
    let dbg = format!("{env:?}");
    // The plain envelope's Debug is a byte list; make sure it is not a readable secret.
    assert!(!dbg.contains("4SJHB4GSD43FZBAI7C2HLRJGPQ"));
    let c = env.open(None).unwrap();
    assert!(!format!("{c:?}").contains("4SJHB4GSD43FZBAI7C2HLRJGPQ"));
}
