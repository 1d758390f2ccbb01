//! The vault's storage, slots and sealing, through the public API.
#![cfg(feature = "vault")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tessera_core::vault::{
    EntryId, EntryUpdate, FileKeyProtector, KdfParams, SlotKind, Vault, VaultError,
};
use tessera_core::{Account, Algorithm, OtpKind, OtpParams, Secret};

const FAST: KdfParams = KdfParams::INSECURE_FOR_TESTS;
const SECRET_B32: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ";

fn secret(n: u32) -> Secret {
    let mut b = b"tessera-test-secret-0000".to_vec();
    b.extend_from_slice(&n.to_be_bytes());
    Secret::new(b)
}

fn account(n: u32) -> Account {
    let mut a = Account::totp(
        format!("Issuer{n}"),
        format!("user{n}@example.org"),
        secret(n),
    );
    a.note = format!("backup codes {n}: 1234-5678");
    a.groups = vec!["work".into()];
    a.meta = BTreeMap::from([("image".into(), "https://example.org/i.png".into())]);
    a
}

fn new_vault(dir: &Path) -> (PathBuf, Vault, String) {
    let p = dir.join("vault.db");
    let (v, rk) = Vault::create(&p, Some("correct horse"), FAST).unwrap();
    (p, v, rk.as_str().to_owned())
}

/// Every byte of the vault and its sidecar files.
fn all_bytes(p: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut f = p.as_os_str().to_owned();
        f.push(suffix);
        if let Ok(b) = std::fs::read(PathBuf::from(f)) {
            out.extend(b);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn create_unlock_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (p, v, _) = new_vault(dir.path());
    let mut hotp = Account::totp("Bank", "me", Secret::from_base32(SECRET_B32).unwrap());
    hotp.params = OtpParams {
        kind: OtpKind::Hotp { counter: 7 },
        algorithm: Algorithm::Sha256,
        digits: 8,
    };
    let id1 = v.add(&account(1)).unwrap();
    let id2 = v.add(&hotp).unwrap();
    drop(v);

    let mut v = Vault::open(&p).unwrap();
    assert!(matches!(v.list(), Err(VaultError::Locked)));
    v.unlock_with_password("correct horse").unwrap();
    let list = v.list().unwrap();
    assert_eq!(
        list.iter().map(|e| &e.id).collect::<Vec<_>>(),
        vec![&id1, &id2]
    );
    assert_eq!(list[1].params.kind, OtpKind::Hotp { counter: 7 });
    assert!(list[0].has_note && !list[1].has_note);
    let accounts = v.accounts().unwrap();
    assert_eq!(accounts[0].1, account(1));
    assert_eq!(accounts[1].1, hotp);
    assert_eq!(v.account(&id2).unwrap(), hotp);
    v.lock();
    assert!(matches!(v.accounts(), Err(VaultError::Locked)));
    assert!(matches!(v.add(&account(3)), Err(VaultError::Locked)));
}

#[test]
fn wrong_password_leaves_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (p, v, _) = new_vault(dir.path());
    v.add(&account(1)).unwrap();
    drop(v);
    let before = all_bytes(&p);
    let mut v = Vault::open(&p).unwrap();
    let e = v.unlock_with_password("wrong").unwrap_err();
    assert!(matches!(e, VaultError::WrongPassword));
    assert_eq!(e.to_string(), "wrong password");
    assert!(!v.is_unlocked());
    drop(v);
    assert_eq!(all_bytes(&p).len(), before.len());
    let mut v = Vault::open(&p).unwrap();
    v.unlock_with_password("correct horse").unwrap();
    assert_eq!(v.list().unwrap().len(), 1);
}

#[test]
fn recovery_protector_and_password_change() {
    let dir = tempfile::tempdir().unwrap();
    let (p, v, recovery) = new_vault(dir.path());
    let fkp = FileKeyProtector::open_or_create(&dir.path().join("device.key")).unwrap();
    v.add_protector_slot(&fkp, "this laptop").unwrap();
    v.add(&account(1)).unwrap();
    v.change_password("new pass", FAST).unwrap();
    let kinds: Vec<SlotKind> = v.slots().unwrap().iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == SlotKind::Password).count(),
        1
    );
    assert!(kinds.contains(&SlotKind::Recovery) && kinds.contains(&SlotKind::Protector));
    drop(v);

    let mut v = Vault::open(&p).unwrap();
    assert!(matches!(
        v.unlock_with_password("correct horse"),
        Err(VaultError::WrongPassword)
    ));
    v.unlock_with_password("new pass").unwrap();
    v.lock();
    v.unlock_with_protector(&FileKeyProtector::open(&dir.path().join("device.key")).unwrap())
        .unwrap();
    assert_eq!(v.list().unwrap().len(), 1);
    v.lock();
    let other = FileKeyProtector::open_or_create(&dir.path().join("other.key")).unwrap();
    assert!(matches!(
        v.unlock_with_protector(&other),
        Err(VaultError::ProtectorRejected)
    ));
    assert!(matches!(
        v.unlock_with_recovery_key(
            "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH-IIII-JJJJ-KKKK-LLLL-MMMM"
        ),
        Err(VaultError::WrongRecoveryKey)
    ));
    v.unlock_with_recovery_key(&recovery.to_lowercase())
        .unwrap();
    assert_eq!(v.accounts().unwrap()[0].1, account(1));

    // The recovery key is replaced, the old one stops working.
    let new_rk = v.replace_recovery_key().unwrap();
    v.lock();
    assert!(v.unlock_with_recovery_key(&recovery).is_err());
    v.unlock_with_recovery_key(new_rk.as_str()).unwrap();

    // Slots can be removed, but not the last one.
    let slots = v.slots().unwrap();
    for s in &slots[..slots.len() - 1] {
        v.remove_slot(&s.id).unwrap();
    }
    let last = &v.slots().unwrap()[0];
    assert!(matches!(v.remove_slot(&last.id), Err(VaultError::LastSlot)));
    assert!(matches!(
        v.remove_slot("nope"),
        Err(VaultError::NotFound(_))
    ));
}

#[test]
fn password_slot_stores_params_and_default_is_owasp() {
    let dir = tempfile::tempdir().unwrap();
    let (_, v, _) = new_vault(dir.path());
    let pw = v
        .slots()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == SlotKind::Password)
        .unwrap();
    assert_eq!(pw.kdf, Some(FAST));
    assert!(KdfParams::default().meets_owasp_minimum());
    assert!(KdfParams::default().memory_kib >= 19 * 1024);
}

#[test]
fn nothing_secret_in_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let (p, v, recovery) = new_vault(dir.path());
    let mut accounts = Vec::new();
    for n in 0..50 {
        accounts.push(account(n));
    }
    v.add_accounts(&accounts).unwrap();
    v.put_blob("push", "token-1", b"PUSH-PRIVATE-KEY-MATERIAL")
        .unwrap();
    v.update(
        &v.list().unwrap()[0].id,
        &EntryUpdate {
            note: Some("NEW-NOTE-SECRET".into()),
            ..Default::default()
        },
    )
    .unwrap();
    // Keep the connection open so the WAL still holds the writes.
    let bytes = all_bytes(&p);
    assert!(
        contains(&bytes, b"Issuer7"),
        "sanity: clear metadata is visible"
    );
    for n in 0..50 {
        let s = secret(n);
        assert!(!contains(&bytes, s.as_bytes()), "raw secret {n} found");
        assert!(
            !contains(&bytes, s.to_base32().as_bytes()),
            "base32 secret {n} found"
        );
        assert!(
            !contains(&bytes, format!("backup codes {n}:").as_bytes()),
            "note {n} found"
        );
    }
    for needle in [
        &b"PUSH-PRIVATE-KEY"[..],
        b"NEW-NOTE-SECRET",
        b"correct horse",
        recovery.as_bytes(),
    ] {
        assert!(!contains(&bytes, needle));
    }
    drop(v);
    let bytes = all_bytes(&p);
    assert!(!contains(&bytes, secret(3).as_bytes()));
}

#[test]
fn ciphertext_moved_to_another_row_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (p, v, _) = new_vault(dir.path());
    let a = v.add(&account(1)).unwrap();
    let b = v.add(&account(2)).unwrap();
    drop(v);
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute(
        "UPDATE entries SET secret = (SELECT secret FROM entries WHERE id = ?1) WHERE id = ?2",
        [a.as_str(), b.as_str()],
    )
    .unwrap();
    drop(c);
    let mut v = Vault::open(&p).unwrap();
    v.unlock_with_password("correct horse").unwrap();
    assert!(v.account(&a).is_ok());
    let e = v.account(&b).unwrap_err();
    assert!(matches!(e, VaultError::Corrupted(_)), "{e}");
}

#[test]
fn duplicates_and_batches() {
    let dir = tempfile::tempdir().unwrap();
    let (_, v, _) = new_vault(dir.path());
    let first = v.add(&account(1)).unwrap();
    let mut renamed = account(1);
    renamed.issuer = "Other label".into();
    assert!(matches!(v.add(&renamed), Err(VaultError::Duplicate(id)) if id == first.0));
    // Same secret, other digits: not a duplicate.
    let mut eight = account(1);
    eight.params.digits = 8;
    v.add(&eight).unwrap();

    let batch = vec![account(2), account(1), account(3), account(2)];
    let r = v.add_accounts(&batch).unwrap();
    assert_eq!(r.added.len(), 2);
    assert_eq!(
        r.duplicates,
        vec![(1, first.clone()), (3, r.added[0].clone())]
    );
    assert_eq!(v.list().unwrap().len(), 4);

    // All or nothing: an invalid account anywhere fails the batch and adds nothing.
    let mut bad = account(9);
    bad.params.digits = 42;
    assert!(matches!(
        v.add_accounts(&[account(8), bad]),
        Err(VaultError::InvalidAccount(_))
    ));
    assert_eq!(v.list().unwrap().len(), 4);
}

#[test]
fn updates_usage_and_prefixes() {
    let dir = tempfile::tempdir().unwrap();
    let (_, v, _) = new_vault(dir.path());
    let a = v.add(&account(1)).unwrap();
    let b = v.add(&account(2)).unwrap();
    v.rename(&a, "NHS", "jane@nhs.net").unwrap();
    v.update(
        &b,
        &EntryUpdate {
            groups: Some(vec!["home".into(), "bank".into()]),
            note: Some(String::new()),
            favorite: Some(true),
            sort_order: Some(10),
            ..Default::default()
        },
    )
    .unwrap();
    v.record_use(&a).unwrap();
    v.record_use(&a).unwrap();
    let list = v.list().unwrap();
    assert_eq!(list[0].id, b, "favourite first");
    assert_eq!(list[0].groups, vec!["home", "bank"]);
    assert!(!list[0].has_note);
    assert_eq!(
        (list[1].issuer.as_str(), list[1].name.as_str()),
        ("NHS", "jane@nhs.net")
    );
    assert_eq!(list[1].usage_count, 2);
    assert!(list[1].last_used_at.is_some());
    assert_eq!(v.account(&b).unwrap().note, "");

    assert_eq!(v.resolve_id(&a.0[..8]).unwrap(), a);
    assert_eq!(v.resolve_id(&a.0.to_uppercase()).unwrap(), a);
    assert!(matches!(v.resolve_id("zz"), Err(VaultError::NotFound(_))));
    v.remove(&a).unwrap();
    assert!(matches!(v.remove(&a), Err(VaultError::NotFound(_))));
    assert!(matches!(
        v.rename(&EntryId("x".into()), "a", "b"),
        Err(VaultError::NotFound(_))
    ));
    assert_eq!(v.list().unwrap().len(), 1);
}

#[test]
fn blob_store() {
    let dir = tempfile::tempdir().unwrap();
    let (p, v, _) = new_vault(dir.path());
    v.put_blob("push", "b", b"two").unwrap();
    v.put_blob("push", "a", b"one").unwrap();
    v.put_blob("history", "a", b"other ns").unwrap();
    v.put_blob("push", "a", b"one v2").unwrap();
    assert_eq!(v.list_blobs("push").unwrap(), vec!["a", "b"]);
    assert_eq!(&v.get_blob("push", "a").unwrap().unwrap()[..], b"one v2");
    assert_eq!(
        &v.get_blob("history", "a").unwrap().unwrap()[..],
        b"other ns"
    );
    assert!(v.get_blob("push", "zzz").unwrap().is_none());
    assert!(v.delete_blob("push", "b").unwrap());
    assert!(!v.delete_blob("push", "b").unwrap());
    assert!(matches!(
        v.put_blob("", "k", b""),
        Err(VaultError::Invalid(_))
    ));
    assert!(matches!(
        v.put_blob("n", "k", &vec![0u8; tessera_core::vault::MAX_VALUE_LEN + 1]),
        Err(VaultError::Invalid(_))
    ));
    drop(v);
    // A blob moved under another key does not open.
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute(
        "UPDATE blobs SET key = 'moved' WHERE namespace = 'push' AND key = 'a'",
        [],
    )
    .unwrap();
    drop(c);
    let mut v = Vault::open(&p).unwrap();
    v.unlock_with_password("correct horse").unwrap();
    assert!(matches!(
        v.get_blob("push", "moved"),
        Err(VaultError::Corrupted(_))
    ));
    v.lock();
    assert!(matches!(
        v.get_blob("history", "a"),
        Err(VaultError::Locked)
    ));
}

#[test]
fn bad_files_are_named_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (p, v, _) = new_vault(dir.path());
    for n in 0..200 {
        v.add(&account(n)).unwrap();
    }
    drop(v);
    let good = std::fs::read(&p).unwrap();
    assert!(good.len() > 8192, "the vault spans several pages");

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", good[..good.len() / 2].to_vec(), "truncated"),
        ("header-only", good[..60].to_vec(), "truncated"),
        (
            "text",
            b"otpauth://totp/not-a-vault".to_vec(),
            "not an SQLite database",
        ),
        ("empty", Vec::new(), "empty"),
    ];
    for (name, bytes, expect) in cases {
        let f = dir.path().join(name);
        std::fs::write(&f, &bytes).unwrap();
        let e = Vault::open(&f).unwrap_err();
        assert!(e.to_string().contains(expect), "{name}: {e}");
        assert_eq!(std::fs::read(&f).unwrap(), bytes, "{name} left untouched");
        assert!(matches!(
            Vault::create(&f, Some("x"), FAST),
            Err(VaultError::AlreadyExists(_))
        ));
        assert_eq!(
            std::fs::read(&f).unwrap(),
            bytes,
            "{name} not overwritten by create"
        );
    }

    // Damaged pages in the middle: reported as corruption when read, not as a wrong password.
    let mut garbled = good.clone();
    for b in &mut garbled[4096..good.len()] {
        *b = 0xA5;
    }
    let f = dir.path().join("garbled");
    std::fs::write(&f, &garbled).unwrap();
    let r = Vault::open(&f).and_then(|mut v| {
        v.unlock_with_password("correct horse")?;
        v.list()
    });
    let e = r.unwrap_err();
    assert!(matches!(e, VaultError::Corrupted(_)), "{e}");
    assert_eq!(std::fs::read(&f).unwrap(), garbled);

    // Another application's SQLite file.
    let f = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&f)
        .unwrap()
        .execute_batch("CREATE TABLE notes(x)")
        .unwrap();
    let e = Vault::open(&f).unwrap_err();
    assert!(e.to_string().contains("another application"), "{e}");
    assert!(matches!(
        Vault::open(&dir.path().join("missing.db")),
        Err(VaultError::Missing(_))
    ));
}

#[test]
fn errors_and_debug_never_show_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (_, v, recovery) = new_vault(dir.path());
    let id = v.add(&account(5)).unwrap();
    let dbg = format!("{v:?} {:?} {:?}", v.accounts().unwrap(), v.list().unwrap());
    assert!(!dbg.contains(&secret(5).to_base32()));
    let e = v.add(&account(5)).unwrap_err().to_string();
    assert!(e.contains(&id.0) && !e.contains(&secret(5).to_base32()));
    assert!(
        !format!(
            "{:?}",
            tessera_core::vault::RecoveryKey::parse(&recovery).unwrap()
        )
        .contains(&recovery[..9])
    );
}
