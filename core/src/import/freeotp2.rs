//! FreeOTP 2.x backups (`externalBackup.xml`, despite the name a Java-serialized
//! `HashMap<String, String>`, read by [`super::java_ser`]).
//!
//! Keys: `masterKey` → JSON `{mAlgorithm: PBKDF2withHmacSHA1|SHA256|SHA512, mIterations, mSalt,
//! mEncryptedKey}`; `<uuid>` → `{"key": "<EncryptedKey JSON>"}` (the token secret);
//! `<uuid>-token` → FreeOTP token metadata without the secret. An EncryptedKey is
//! `{mCipher: "AES/GCM/NoPadding", mCipherText: [signed bytes, tag appended], mParameters: DER
//! GCMParameters or a bare OCTET STRING nonce, mToken: the AAD}`. The password-derived key
//! (PBKDF2, 32 bytes) unwraps the master key (AAD "AES"); the master key unwraps each secret
//! (AAD e.g. "HmacSHA1"). Counters are stored exactly (no FreeOTP 1.x quirk).

use std::num::NonZeroU32;

use zeroize::Zeroizing;

use super::common::{self, push_entry};
use super::crypto::{self, Pbkdf2Hash};
use super::{Format, ImportError, Input, Parsed, freeotp, java_ser};
use crate::account::Secret;

const NAME: &str = "FreeOTP 2";
/// More PBKDF2 iterations than this is refused (FreeOTP uses 100 000): a hostile file must not
/// keep the importer busy for minutes.
const MAX_ITERATIONS: u32 = crypto::MAX_PBKDF2_ITERATIONS;

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "freeotp2",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    java_ser::looks_like(input.bytes) && common::contains(input.bytes, b"masterKey")
}

/// A JSON array of Java signed bytes, bounded.
fn signed_bytes(v: Option<&serde_json::Value>, max: usize) -> Option<Vec<u8>> {
    let arr = v?.as_array()?;
    if arr.len() > max {
        return None;
    }
    arr.iter()
        .map(|b| {
            b.as_i64()
                .filter(|n| (-128..=255).contains(n))
                .map(|n| n as u8)
        })
        .collect()
}

/// The 12-byte GCM nonce from `mParameters` (DER `SEQUENCE { OCTET STRING, INTEGER tagBits }`
/// or a bare `OCTET STRING`), requiring a 128-bit tag.
fn gcm_nonce(der: &[u8]) -> Option<[u8; 12]> {
    let octets = |d: &[u8]| -> Option<(Vec<u8>, usize)> {
        if d.first() != Some(&0x04) {
            return None;
        }
        let n = *d.get(1)? as usize;
        if n >= 0x80 {
            return None;
        }
        Some((d.get(2..2 + n)?.to_vec(), 2 + n))
    };
    let nonce = match der.first()? {
        0x04 => octets(der)?.0,
        0x30 => {
            let body = der.get(2..2 + usize::from(*der.get(1)?))?;
            let (nonce, used) = octets(body)?;
            let rest = &body[used..];
            if !rest.is_empty() && rest != [0x02, 0x01, 0x10] && rest != [0x02, 0x01, 0x80] {
                return None; // a tag length other than 128 bits (16 bytes)
            }
            nonce
        }
        _ => return None,
    };
    nonce.try_into().ok()
}

/// Decrypts an EncryptedKey JSON object with `key`; `None` when authentication fails or the
/// object is not one ring can open.
fn unwrap_key(enc: &serde_json::Value, key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if !common::str_of(enc, "mCipher")
        .unwrap_or_default()
        .eq_ignore_ascii_case("AES/GCM/NoPadding")
    {
        return None;
    }
    let ct = signed_bytes(enc.get("mCipherText"), 4096)?;
    let nonce = gcm_nonce(&signed_bytes(enc.get("mParameters"), 64)?)?;
    let aad = common::str_of(enc, "mToken").unwrap_or_default();
    crypto::aes_gcm_open(key, &nonce, &ct, aad.as_bytes()).ok()
}

/// The master key from the `masterKey` entry and the password.
fn master_key(json: &str, password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let bad = |d: &str| common::malformed(NAME, d.to_string());
    let mk: serde_json::Value =
        serde_json::from_str(json).map_err(|_| bad("the master key entry is not JSON"))?;
    let hash = match common::str_of(&mk, "mAlgorithm")
        .unwrap_or_default()
        .to_ascii_uppercase()
        .as_str()
    {
        "PBKDF2WITHHMACSHA1" => Pbkdf2Hash::Sha1,
        "PBKDF2WITHHMACSHA256" => Pbkdf2Hash::Sha256,
        "PBKDF2WITHHMACSHA512" => Pbkdf2Hash::Sha512,
        _ => {
            return Err(ImportError::Unsupported {
                format: NAME,
                detail: "unknown key derivation algorithm".into(),
            });
        }
    };
    let iterations = common::lenient_int_of(&mk, "mIterations")
        .and_then(|n| u32::try_from(n).ok())
        .and_then(NonZeroU32::new)
        .ok_or_else(|| bad("bad iteration count"))?;
    if iterations.get() > MAX_ITERATIONS {
        return Err(ImportError::Unsupported {
            format: NAME,
            detail: format!("more than {MAX_ITERATIONS} key derivation iterations"),
        });
    }
    let salt = signed_bytes(mk.get("mSalt"), 1024).ok_or_else(|| bad("bad salt"))?;
    let enc = mk
        .get("mEncryptedKey")
        .ok_or_else(|| bad("no encrypted master key"))?;
    // The count was checked above, so this cannot fail on it.
    let kek = crypto::pbkdf2(hash, password.as_bytes(), &salt, iterations.get())
        .map_err(|_| bad("bad iteration count"))?;
    unwrap_key(enc, &kek[..]).ok_or(ImportError::WrongPassword)
}

fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    let bytes = common::bounded(input, NAME)?;
    let map =
        java_ser::read_string_map(bytes).map_err(|e| common::malformed(NAME, e.to_string()))?;
    let get = |k: &str| {
        map.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let mk_json = get("masterKey").ok_or_else(|| common::malformed(NAME, "no master key"))?;
    let password = password.ok_or(ImportError::PasswordRequired)?;
    let master = master_key(mk_json, password)?;
    let mut parsed = Parsed::default();
    // Tokens in the order of their secret entries; a metadata entry without a secret is reported.
    let mut order: Vec<&str> = Vec::new();
    for (key, _) in &map {
        if key.ends_with("-token") {
            let uuid = &key[..key.len() - "-token".len()];
            if get(uuid).is_none() {
                order.push(uuid); // reported below as having no secret
            }
        } else if key != "masterKey" && get(&format!("{key}-token")).is_some() {
            order.push(key);
        }
    }
    for uuid in order {
        let Some(meta_json) = get(&format!("{uuid}-token")) else {
            continue;
        };
        let meta: Option<serde_json::Value> = serde_json::from_str(meta_json).ok();
        let label = meta
            .as_ref()
            .map(|m| {
                match (
                    common::str_of(m, "issuerExt").unwrap_or_default(),
                    common::str_of(m, "label").unwrap_or_default(),
                ) {
                    ("", l) => l.to_string(),
                    (i, "") => i.to_string(),
                    (i, l) => format!("{i}:{l}"),
                }
            })
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "token".to_string());
        let entry = (|| {
            let meta = meta
                .as_ref()
                .ok_or_else(|| "the token metadata is not JSON".to_string())?;
            let wrapped =
                get(uuid).ok_or_else(|| "the backup holds no secret for it".to_string())?;
            let enc = serde_json::from_str::<serde_json::Value>(wrapped)
                .ok()
                .and_then(|v| v.get("key").and_then(|k| k.as_str()).map(str::to_string))
                .and_then(|k| serde_json::from_str::<serde_json::Value>(&k).ok())
                .ok_or_else(|| "the secret entry is malformed".to_string())?;
            let raw = unwrap_key(&enc, &master)
                .ok_or_else(|| "the secret could not be decrypted".to_string())?;
            let secret: Secret = common::secret_from_bytes(raw.to_vec())?;
            freeotp::token_account(meta, secret)
        })();
        push_entry(&mut parsed, &label, entry);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{assert_password_errors, check_file, input, read};

    #[test]
    fn corpus_files() {
        for f in ["api23", "api25", "api27", "api34", "null_algo"] {
            check_file(&FORMAT, &format!("freeotp/freeotp_v2_{f}.xml"));
        }
    }

    #[test]
    fn password_errors_and_truncation() {
        let Some(bytes) = read("freeotp/freeotp_v2_api23.xml") else {
            return;
        };
        assert_password_errors(parse, &input(&bytes), &["nope"]);
        assert!(matches!(
            parse(&input(&bytes[..bytes.len() - 10]), Some("test")),
            Err(ImportError::Malformed { .. })
        ));
    }

    #[test]
    fn nonce_forms() {
        let n = [1u8; 12];
        let mut bare = vec![0x04, 12];
        bare.extend(n);
        assert!(gcm_nonce(&bare).is_some());
        let mut seq = vec![0x30, 17, 0x04, 12];
        seq.extend(n);
        seq.extend([0x02, 0x01, 0x10]);
        assert!(gcm_nonce(&seq).is_some());
        let l = seq.len();
        seq[l - 1] = 0x0c; // 96-bit tag: refused
        assert!(gcm_nonce(&seq).is_none());
        assert!(gcm_nonce(&[0x04, 8, 1, 2, 3, 4, 5, 6, 7, 8]).is_none());
        assert!(gcm_nonce(&[0x30, 0x7f]).is_none());
    }

    #[test]
    fn hostile_master_key() {
        let mk = r#"{"mAlgorithm":"PBKDF2withHmacSHA1","mIterations":4000000000,"mSalt":[1],"mEncryptedKey":{}}"#;
        assert!(matches!(
            master_key(mk, "x"),
            Err(ImportError::Unsupported { .. })
        ));
        let mk = r#"{"mAlgorithm":"MD5","mIterations":1,"mSalt":[1],"mEncryptedKey":{}}"#;
        assert!(matches!(
            master_key(mk, "x"),
            Err(ImportError::Unsupported { .. })
        ));
        let mk = r#"{"mAlgorithm":"PBKDF2withHmacSHA1","mIterations":1,"mSalt":[1],"mEncryptedKey":{"mCipher":"AES/GCM/NoPadding","mCipherText":[1,2],"mParameters":[4,12,1,1,1,1,1,1,1,1,1,1,1,1],"mToken":"AES"}}"#;
        assert!(matches!(
            master_key(mk, "x"),
            Err(ImportError::WrongPassword)
        ));
    }
}
