//! RFC 4226 (HOTP), RFC 6238 (TOTP) and Steam Guard vectors from `shared/corpus/rfc-vectors.json`,
//! plus a cross-check against the independent `totp-rs` crate on random inputs.

mod common;

use serde_json::Value;
use tessera_core::account::{Algorithm, OtpKind, OtpParams, Secret};
use tessera_core::otp::{self, Generator};

const FILE: &str = "rfc-vectors.json";

fn secret(b32: &str) -> Secret {
    Secret::from_base32(b32).expect("corpus secret is valid Base32")
}

fn params(kind: OtpKind, algorithm: Algorithm, digits: u8) -> OtpParams {
    OtpParams {
        kind,
        algorithm,
        digits,
    }
}

fn s(v: &Value) -> &str {
    v.as_str().expect("string")
}

#[test]
fn rfc4226_hotp_vectors() {
    let Some(doc) = common::corpus_json("rfc4226_hotp_vectors", FILE) else {
        return;
    };
    let h = &doc["rfc4226_hotp"];
    let secret = secret(s(&h["secret_base32"]));
    assert_eq!(secret.as_bytes(), s(&h["secret_ascii"]).as_bytes());
    let vectors = h["vectors"].as_array().expect("vectors");
    assert_eq!(vectors.len(), 10);
    for v in vectors {
        let counter = v["counter"].as_u64().expect("counter");
        // code_at on an HOTP account uses the account's counter; hotp() takes any counter.
        let g = Generator::new(
            &secret,
            params(OtpKind::Hotp { counter }, Algorithm::Sha1, 6),
        )
        .unwrap();
        assert_eq!(g.code_at(0), s(&v["hotp"]), "counter {counter}");
        assert_eq!(g.hotp(counter), s(&v["hotp"]), "counter {counter}");
        // The 31-bit truncated value, visible whole with 10 digits.
        let g10 = Generator::new(
            &secret,
            params(OtpKind::Hotp { counter }, Algorithm::Sha1, 10),
        )
        .unwrap();
        let want = format!("{:010}", v["truncated_dec"].as_u64().expect("truncated"));
        assert_eq!(g10.hotp(counter), want, "counter {counter}");
    }
    println!("rfc4226: {} vectors checked", vectors.len());
}

#[test]
fn rfc6238_totp_vectors() {
    let Some(doc) = common::corpus_json("rfc6238_totp_vectors", FILE) else {
        return;
    };
    let t = &doc["rfc6238_totp"];
    let period = u32::try_from(t["period"].as_u64().unwrap()).unwrap();
    let digits = u8::try_from(t["digits"].as_u64().unwrap()).unwrap();
    let vectors = t["vectors"].as_array().expect("vectors");
    assert_eq!(vectors.len(), 18);
    for v in vectors {
        let alg_name = s(&v["algorithm"]);
        let alg: Algorithm = alg_name.parse().unwrap();
        let secret = secret(s(&t["seeds"][alg_name]["base32"]));
        let time = v["unix_time"].as_u64().unwrap();
        let g = Generator::new(&secret, params(OtpKind::Totp { period }, alg, digits)).unwrap();
        assert_eq!(g.code_at(time), s(&v["totp"]), "{alg_name} at {time}");
        // The time step is what the RFC table lists as T.
        let step = u64::from_str_radix(s(&v["T_hex"]), 16).unwrap();
        assert_eq!(g.hotp(step), s(&v["totp"]));
    }
    println!(
        "rfc6238: {} vectors checked (incl. 2033 and 2603)",
        vectors.len()
    );
}

#[test]
fn steam_vectors() {
    let Some(doc) = common::corpus_json("steam_vectors", FILE) else {
        return;
    };
    let vectors = doc["steam"]["vectors"].as_array().expect("vectors");
    assert_eq!(
        s(&doc["steam"]["alphabet"]).as_bytes(),
        otp::STEAM_ALPHABET.as_slice()
    );
    for v in vectors {
        let secret = secret(s(&v["secret_base32"]));
        let time = v["unix_time"].as_u64().unwrap();
        let g = Generator::new(
            &secret,
            params(OtpKind::Steam { period: 30 }, Algorithm::Sha1, 5),
        )
        .unwrap();
        assert_eq!(g.code_at(time), s(&v["code"]), "steam at {time}");
    }
    println!("steam: {} vectors checked", vectors.len());
}

/// Random secrets, algorithms, digits (6–9: totp-rs panics at 10), periods and times, including
/// times far past 2038, against totp-rs.
#[test]
fn agrees_with_totp_rs_on_random_inputs() {
    let mut rng = common::Rng(0x7e55_e7a0);
    for i in 0..2000 {
        let len = rng.range(1, 64) as usize;
        let key = rng.bytes(len);
        let (alg, theirs) = match rng.range(0, 2) {
            0 => (Algorithm::Sha1, totp_rs::Algorithm::SHA1),
            1 => (Algorithm::Sha256, totp_rs::Algorithm::SHA256),
            _ => (Algorithm::Sha512, totp_rs::Algorithm::SHA512),
        };
        let digits = rng.range(6, 9) as u8;
        let period = match rng.range(0, 3) {
            0 => 30,
            1 => 60,
            2 => rng.range(1, 600) as u32,
            _ => rng.range(1, u64::from(u32::MAX)) as u32,
        };
        let time = match rng.range(0, 3) {
            0 => rng.range(0, 1 << 31),
            1 => rng.range(1 << 31, 1 << 40),
            2 => rng.range(0, 1 << 63),
            _ => rng.next_u64(),
        };
        let ours = Generator::new(
            &Secret::new(key.clone()),
            params(OtpKind::Totp { period }, alg, digits),
        )
        .unwrap()
        .code_at(time);
        let reference = totp_rs::Builder::new()
            .with_algorithm(theirs)
            .with_digits(digits)
            .with_step_duration(u64::from(period))
            .with_secret(key)
            .build_noncompliant()
            .generate(time)
            .to_string();
        assert_eq!(
            ours, reference,
            "case {i}: {alg} {digits} digits, period {period}, t {time}"
        );
    }
}

/// Steam codes against totp-rs's Steam algorithm on random secrets and times.
#[test]
fn steam_agrees_with_totp_rs() {
    let mut rng = common::Rng(0x57ea_3000);
    for i in 0..500 {
        let len = rng.range(10, 40) as usize;
        let key = rng.bytes(len);
        let shift = rng.range(0, 32);
        let time = rng.next_u64() >> shift;
        let ours = Generator::new(
            &Secret::new(key.clone()),
            params(OtpKind::Steam { period: 30 }, Algorithm::Sha1, 5),
        )
        .unwrap()
        .code_at(time);
        let reference = totp_rs::Builder::new()
            .with_algorithm(totp_rs::Algorithm::Steam)
            .with_digits(5)
            .with_step_duration(30)
            .with_secret(key)
            .build_noncompliant()
            .generate(time)
            .to_string();
        assert_eq!(ours, reference, "case {i}: t {time}");
    }
}
