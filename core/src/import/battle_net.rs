//! Battle.net Authenticator (Blizzard's Android app, `shared_prefs` XML). The serial and the device
//! secret are hex strings XOR-masked with a fixed key (`AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE`
//! = `MASK`); unmasked, the secret is the hex text of a 20-byte TOTP key (SHA-1, 8 digits, 30 s).

use super::common::{self, contains, push_entry, unchecked_account};
use super::{Format, ImportError, Input, Parsed, android_prefs};
use crate::account::{Algorithm, OtpKind, OtpParams};

const NAME: &str = "Battle.net Authenticator";
const PREFIX: &str = "com.blizzard.messenger.";

/// The first 40 bytes of the app's fixed XOR mask: enough for a 20-byte secret written as 40 hex
/// characters and for the 17-character serial. Recovered from the corpus sample (known secret and
/// serial) and checked against both fields.
const MASK: [u8; 40] = [
    0x39, 0x8e, 0x27, 0xfc, 0x50, 0x27, 0x6a, 0x65, 0x60, 0x65, 0xb0, 0xe5, 0x25, 0xf4, 0xc0, 0x6c,
    0x04, 0xc6, 0x10, 0x75, 0x28, 0x6b, 0x8e, 0x7a, 0xed, 0xa5, 0x9d, 0xa9, 0x81, 0x3b, 0x5d, 0xd6,
    0xc8, 0x0d, 0x2f, 0xb3, 0x80, 0x68, 0x77, 0x3f,
];

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "battle-net",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    android_prefs::looks_like(input.bytes)
        && contains(
            input.bytes,
            b"com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET",
        )
}

/// Hex-decodes and unmasks one field.
fn unmask(hex: &str) -> Result<Vec<u8>, String> {
    let masked = data_encoding::HEXLOWER_PERMISSIVE
        .decode(hex.trim().as_bytes())
        .map_err(|_| "a masked field is not hexadecimal".to_string())?;
    if masked.len() > MASK.len() {
        return Err(format!(
            "a masked field is longer than {} bytes",
            MASK.len()
        ));
    }
    Ok(masked.iter().zip(MASK.iter()).map(|(a, b)| a ^ b).collect())
}

fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    let prefs = android_prefs::strings(common::require_text(input, NAME)?, NAME)?;
    let get = |k: &str| {
        prefs
            .iter()
            .find(|(n, _)| n.strip_prefix(PREFIX) == Some(k))
            .map(|(_, v)| v.as_str())
    };
    if let Some(kind) = get("AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE")
        && kind != "MASK"
    {
        return Err(ImportError::Unsupported {
            format: NAME,
            detail: "credentials are protected by the device, not the known mask".into(),
        });
    }
    let secret_hex = get("AUTHENTICATOR_DEVICE_SECRET")
        .ok_or_else(|| common::malformed(NAME, "no device secret in the file"))?;
    let serial = get("AUTHENTICATOR_SERIAL").unwrap_or("");
    let mut parsed = Parsed::default();
    let serial = unmask(serial).and_then(|b| {
        String::from_utf8(b).map_err(|_| "the serial does not unmask to text".to_string())
    });
    let label = serial.clone().unwrap_or_else(|_| "Battle.net".into());
    let entry = (|| {
        let serial = serial?;
        let hex = String::from_utf8(unmask(secret_hex)?)
            .map_err(|_| "the device secret does not unmask to hex text".to_string())?;
        let secret = common::secret_from_hex(&hex)?;
        let params = OtpParams {
            kind: OtpKind::Totp { period: 30 },
            algorithm: Algorithm::Sha1,
            digits: 8,
        };
        unchecked_account("Battle.net", &serial, secret, params)
    })();
    push_entry(&mut parsed, &label, entry);
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{check_file, input};

    #[test]
    fn corpus_file() {
        check_file(&FORMAT, "battle-net/battle_net_authenticator.xml");
    }

    fn run(secret: &str, serial: &str) -> Parsed {
        let x = format!(
            "<?xml version='1.0'?><map><string name=\"{PREFIX}AUTHENTICATOR_DEVICE_SECRET\">{secret}</string>\
             <string name=\"{PREFIX}AUTHENTICATOR_SERIAL\">{serial}</string></map>"
        );
        parse(&input(x.as_bytes()), None).unwrap()
    }

    #[test]
    fn bad_fields_are_skipped() {
        assert_eq!(run("zz", "").skipped.len(), 1);
        assert_eq!(run(&"00".repeat(41), "").skipped.len(), 1);
        // Unmasks to bytes that are not hex text.
        assert_eq!(run("00", "").skipped.len(), 1);
        let x = "<map><string name=\"com.blizzard.messenger.AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE\">KEYSTORE</string></map>";
        assert!(matches!(
            parse(&input(x.as_bytes()), None),
            Err(ImportError::Unsupported { .. })
        ));
    }
}
