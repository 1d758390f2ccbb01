//! The export is read back by a small reader written here from Aegis `docs/vault.md` alone —
//! and that reader is first checked against a real Aegis vault from the corpus, so a passing
//! round trip means "Aegis's documented format", not "whatever the writer happens to do".

use super::*;
use crate::account::{Algorithm, OtpParams, Secret};
use crate::export::fixtures;
use serde_json::Value;

const FAST: ScryptParams = ScryptParams {
    log_n: 10,
    r: 8,
    p: 1,
};

fn corpus() -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"));
    if p.is_dir() {
        Some(p.to_path_buf())
    } else {
        eprintln!(
            "NOTE: ../shared/corpus is absent; the check against a real Aegis vault is not run"
        );
        None
    }
}

fn unhex<const N: usize>(v: &Value) -> [u8; N] {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(v.as_str().unwrap().as_bytes())
        .unwrap()
        .try_into()
        .unwrap()
}

/// Decrypts an Aegis vault per docs/vault.md and returns its `db` object.
fn read_db(bytes: &[u8], password: Option<&str>) -> Option<Value> {
    let file: Value = serde_json::from_slice(bytes).unwrap();
    assert_eq!(file["version"], 1);
    let Some(pw) = password else {
        assert!(file["header"]["slots"].is_null() && file["header"]["params"].is_null());
        return Some(file["db"].clone());
    };
    for slot in file["header"]["slots"].as_array().unwrap() {
        if slot["type"] != 1 {
            continue;
        }
        let n = slot["n"].as_u64().unwrap();
        let params = scrypt::Params::new(
            n.trailing_zeros() as u8,
            slot["r"].as_u64().unwrap() as u32,
            slot["p"].as_u64().unwrap() as u32,
            32,
        )
        .unwrap();
        let salt = data_encoding::HEXLOWER_PERMISSIVE
            .decode(slot["salt"].as_str().unwrap().as_bytes())
            .unwrap();
        let mut kek = [0u8; 32];
        scrypt::scrypt(pw.as_bytes(), &salt, &params, &mut kek).unwrap();
        let key_ct = data_encoding::HEXLOWER_PERMISSIVE
            .decode(slot["key"].as_str().unwrap().as_bytes())
            .unwrap();
        let Some(master) = aead::open(
            &kek,
            unhex(&slot["key_params"]["nonce"]),
            &[],
            &key_ct,
            unhex(&slot["key_params"]["tag"]),
        ) else {
            continue;
        };
        let master: [u8; 32] = master[..].try_into().unwrap();
        let ct = data_encoding::BASE64
            .decode(file["db"].as_str().unwrap().replace("\\/", "/").as_bytes())
            .unwrap();
        let params = &file["header"]["params"];
        let plain = aead::open(
            &master,
            unhex(&params["nonce"]),
            &[],
            &ct,
            unhex(&params["tag"]),
        )?;
        return Some(serde_json::from_slice(&plain).unwrap());
    }
    None
}

/// The accounts of a v3 db (groups resolved to names).
fn accounts_of(db: &Value) -> Vec<Account> {
    let names: BTreeMap<&str, &str> = db["groups"]
        .as_array()
        .map(|g| {
            g.iter()
                .map(|g| (g["uuid"].as_str().unwrap(), g["name"].as_str().unwrap()))
                .collect()
        })
        .unwrap_or_default();
    db["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let info = &e["info"];
            let period = || info["period"].as_u64().unwrap() as u32;
            let kind = match e["type"].as_str().unwrap() {
                "totp" => OtpKind::Totp { period: period() },
                "steam" => OtpKind::Steam { period: period() },
                "hotp" => OtpKind::Hotp {
                    counter: info["counter"].as_u64().unwrap(),
                },
                t => panic!("type {t}"),
            };
            let mut a = Account::totp(
                e["issuer"].as_str().unwrap(),
                e["name"].as_str().unwrap(),
                Secret::from_base32(info["secret"].as_str().unwrap()).unwrap(),
            );
            a.params = OtpParams {
                kind,
                algorithm: info["algo"].as_str().unwrap().parse::<Algorithm>().unwrap(),
                digits: info["digits"].as_u64().unwrap() as u8,
            };
            a.note = e["note"].as_str().unwrap_or("").to_string();
            a.favorite = e["favorite"].as_bool().unwrap_or(false);
            a.groups = e["groups"]
                .as_array()
                .map(|g| {
                    g.iter()
                        .map(|u| names[u.as_str().unwrap()].to_string())
                        .collect()
                })
                .unwrap_or_default();
            a
        })
        .collect()
}

#[test]
fn the_reader_opens_a_real_aegis_vault() {
    let Some(dir) = corpus() else { return };
    let bytes = std::fs::read(dir.join("aegis/aegis_encrypted.json")).unwrap();
    let db = read_db(&bytes, Some("test")).expect("corpus vault opens with 'test'");
    assert_eq!(accounts_of(&db), fixtures::aegis_vectors()[..7].to_vec());
    assert!(read_db(&bytes, Some("wrong")).is_none());
}

#[test]
fn encrypted_export_round_trips() {
    let mut accounts = fixtures::rich();
    for a in &mut accounts {
        a.meta.clear();
    }
    let e = write(&accounts, Some(("hunter2", FAST))).unwrap();
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    let db = read_db(&e.bytes, Some("hunter2")).expect("opens");
    assert_eq!(db["version"], 3);
    assert_eq!(accounts_of(&db), accounts);
    assert!(read_db(&e.bytes, Some("hunter3")).is_none());
    let text = String::from_utf8(e.bytes.to_vec()).unwrap();
    assert!(!text.contains("4SJHB4GSD43FZBAI7C2HLRJGPQ") && !text.contains("Deno"));
}

#[test]
fn plain_export_round_trips_and_matches_the_documented_shape() {
    let accounts = fixtures::rich();
    let e = write(&accounts, None).unwrap();
    let file: Value = serde_json::from_slice(&e.bytes).unwrap();
    let entry = &file["db"]["entries"][0];
    for key in [
        "type", "uuid", "name", "issuer", "note", "favorite", "icon", "info", "groups",
    ] {
        assert!(entry.get(key).is_some(), "entry lacks {key}");
    }
    assert_eq!(entry["uuid"].as_str().unwrap().len(), 36);
    assert_eq!(file["db"]["groups"].as_array().unwrap().len(), 2);
    assert_eq!(file["db"]["entries"][3]["info"]["counter"], 1);
    assert!(file["db"]["entries"][3]["info"].get("period").is_none());
    let mut expected = accounts.clone();
    for a in &mut expected {
        a.meta.clear();
    }
    assert_eq!(accounts_of(&read_db(&e.bytes, None).unwrap()), expected);
    // The lost metadata is announced, naming the account.
    assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
    assert!(e.warnings[0].contains("color, image") && e.warnings[0].contains("SPDX (James)"));
}

#[test]
fn default_parameters_are_aegis_s_own() {
    let e = crate::export::export(
        &fixtures::aegis_vectors(),
        crate::export::ExportFormat::Aegis,
        Some("pw"),
    )
    .unwrap();
    let file: Value = serde_json::from_slice(&e.bytes).unwrap();
    let slot = &file["header"]["slots"][0];
    assert_eq!(
        (slot["n"].as_u64(), slot["r"].as_u64(), slot["p"].as_u64()),
        (Some(32768), Some(8), Some(1))
    );
    assert_eq!(slot["salt"].as_str().unwrap().len(), 64);
    assert_eq!(slot["key"].as_str().unwrap().len(), 64);
    assert_eq!(
        file["header"]["params"]["nonce"].as_str().unwrap().len(),
        24
    );
    assert_eq!(file["header"]["params"]["tag"].as_str().unwrap().len(), 32);
    let db = read_db(&e.bytes, Some("pw")).unwrap();
    assert_eq!(accounts_of(&db), fixtures::aegis_vectors());
}

#[test]
fn refuses_what_aegis_cannot_hold() {
    let mut a = fixtures::aegis_vectors();
    a[3].params.kind = OtpKind::Hotp { counter: u64::MAX };
    let err = write(&a, None).unwrap_err().to_string();
    assert!(
        err.contains("Issuu (James)") && !err.contains("YOOMIXWS"),
        "{err}"
    );
    assert!(write(&[], Some(("", FAST))).is_err());
    assert!(write(&[], Some(("pw", ScryptParams { log_n: 40, ..FAST }))).is_err());
}
