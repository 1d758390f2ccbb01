//! Writing accounts as Google Authenticator migration URIs, batched to fit QR codes.

use prost::Message;
use zeroize::Zeroizing;

use super::proto::{self, MigrationPayload, OtpParameters};
use crate::account::{Account, Algorithm, DEFAULT_PERIOD, OtpKind};
use crate::uri::percent;

/// Most bytes of one migration URI [`encode`] produces when it has a choice. A QR code of the
/// largest version (40) holds 2,953 bytes at error correction L and 1,273 at H; 1,000 bytes fits
/// even at H, and at the usual levels L/M it means a noticeably less dense code that phone
/// cameras read from a screen without trouble. Google Authenticator itself puts about ten
/// accounts in a code; with typical names this budget holds 8–12.
pub const URI_BYTE_BUDGET: usize = 1000;

const PREFIX: &str = "otpauth-migration://offline?data=";

/// The result of [`encode`]: the URIs (one per QR code, in order) and what could not be carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedMigration {
    /// `otpauth-migration://offline?data=…`, one per QR code.
    pub uris: Vec<String>,
    /// One line per account that was skipped or changed, naming the account (never the secret).
    pub warnings: Vec<String>,
}

/// Encodes accounts as migration URIs of at most [`URI_BYTE_BUDGET`] bytes each (an account too
/// big for the budget alone gets a URI of its own, with a warning). The export's batch id is
/// random.
///
/// What the format cannot carry: Steam accounts (no such type) and digits other than 6 or 8 are
/// skipped with a warning; a period other than 30 s is written anyway with a warning, since the
/// format has no period field and the receiving app will assume 30 s.
pub fn encode(accounts: &[Account]) -> EncodedMigration {
    let mut id = [0u8; 4];
    let batch_id = match ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut id) {
        // Positive ids, like most of Google's.
        Ok(()) => i32::from_be_bytes(id) & i32::MAX,
        Err(_) => 1,
    };
    encode_with_batch_id(accounts, batch_id)
}

/// [`encode`] with a chosen batch id (for reproducible output).
pub fn encode_with_batch_id(accounts: &[Account], batch_id: i32) -> EncodedMigration {
    let mut warnings = Vec::new();
    let mut params = Vec::with_capacity(accounts.len());
    for account in accounts {
        match to_parameters(account, &mut warnings) {
            Some(p) => params.push(p),
            None => continue,
        }
    }
    // Upper bound for batch_size/batch_index while packing, so the final varints are no longer.
    let bound = i32::try_from(params.len()).unwrap_or(i32::MAX);
    let mut batches: Vec<Vec<OtpParameters>> = Vec::new();
    let mut current: Vec<OtpParameters> = Vec::new();
    for p in params {
        current.push(p);
        let len = uri_len(&current, bound, bound, batch_id);
        if len > URI_BYTE_BUDGET {
            if current.len() > 1 {
                // Close the batch without the newcomer and start a new one with it.
                let newcomer = current.pop();
                batches.push(std::mem::take(&mut current));
                current.extend(newcomer);
            }
            if current.len() == 1 && uri_len(&current, bound, bound, batch_id) > URI_BYTE_BUDGET {
                warnings.push(format!(
                    "{}: too large for the {URI_BYTE_BUDGET}-byte QR budget; it gets a dense QR code of its own",
                    display_name(&current[0])
                ));
            }
        }
    }
    if !current.is_empty() {
        batches.push(current);
    }
    let size = i32::try_from(batches.len()).unwrap_or(i32::MAX);
    let uris = batches
        .into_iter()
        .enumerate()
        .map(|(index, otp_parameters)| {
            to_uri(&MigrationPayload {
                otp_parameters,
                version: 1,
                batch_size: size,
                batch_index: i32::try_from(index).unwrap_or(i32::MAX),
                batch_id,
            })
        })
        .collect();
    EncodedMigration { uris, warnings }
}

fn uri_len(params: &[OtpParameters], size: i32, index: i32, batch_id: i32) -> usize {
    to_uri(&MigrationPayload {
        otp_parameters: params.to_vec(),
        version: 1,
        batch_size: size,
        batch_index: index,
        batch_id,
    })
    .len()
}

fn to_uri(payload: &MigrationPayload) -> String {
    let bytes = Zeroizing::new(payload.encode_to_vec());
    let b64 = Zeroizing::new(data_encoding::BASE64.encode(&bytes));
    let mut out = String::with_capacity(PREFIX.len() + b64.len() * 3 / 2);
    out.push_str(PREFIX);
    percent::encode_into(&b64, &mut out);
    out
}

fn display_name(p: &OtpParameters) -> String {
    match (p.issuer.is_empty(), p.name.is_empty()) {
        (false, false) => format!("{} ({})", p.issuer, p.name),
        (false, true) => p.issuer.clone(),
        _ => p.name.clone(),
    }
}

fn to_parameters(account: &Account, warnings: &mut Vec<String>) -> Option<OtpParameters> {
    let label = account.label();
    let (otp_type, counter) = match account.params.kind {
        OtpKind::Steam { .. } => {
            warnings.push(format!(
                "{label}: Steam Guard accounts cannot be carried (Google Authenticator has no Steam type); skipped"
            ));
            return None;
        }
        OtpKind::Totp { period } => {
            if period != DEFAULT_PERIOD {
                warnings.push(format!(
                    "{label}: the {period}-second period cannot be carried (the format has no period; apps assume 30 s), so its codes will be wrong there until you set the period by hand"
                ));
            }
            (proto::otp_type::TOTP, 0)
        }
        OtpKind::Hotp { counter } => match i64::try_from(counter) {
            Ok(c) => (proto::otp_type::HOTP, c),
            Err(_) => {
                warnings.push(format!(
                    "{label}: the HOTP counter is too large for the format; skipped"
                ));
                return None;
            }
        },
    };
    let digits = match account.params.digits {
        6 => proto::digits::SIX,
        8 => proto::digits::EIGHT,
        d => {
            warnings.push(format!(
                "{label}: {d}-digit codes cannot be carried (only 6 or 8); skipped"
            ));
            return None;
        }
    };
    let algorithm = match account.params.algorithm {
        Algorithm::Sha1 => proto::algorithm::SHA1,
        Algorithm::Sha256 => proto::algorithm::SHA256,
        Algorithm::Sha512 => proto::algorithm::SHA512,
    };
    Some(OtpParameters {
        secret: account.secret.as_bytes().to_vec(),
        name: account.name.clone(),
        issuer: account.issuer.clone(),
        algorithm,
        digits,
        otp_type,
        counter,
        unique_id: account.meta.get("unique_id").cloned().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{decode, decode_all};
    use super::*;
    use crate::account::{OtpParams, Secret};

    fn account(i: usize) -> Account {
        Account::totp(
            format!("Issuer number {i}"),
            format!("someone.with.a.long.name{i}@example.com"),
            Secret::new(vec![i as u8; 20]),
        )
    }

    #[test]
    fn batches_fit_the_budget_and_decode_back() {
        let accounts: Vec<Account> = (0..40).map(account).collect();
        let out = encode_with_batch_id(&accounts, 42);
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        assert!(out.uris.len() > 1);
        for uri in &out.uris {
            assert!(uri.len() <= URI_BYTE_BUDGET, "{}", uri.len());
        }
        let refs: Vec<&str> = out.uris.iter().map(String::as_str).collect();
        let back = decode_all(&refs).unwrap();
        assert_eq!(back.accounts, accounts);
        assert_eq!(decode(refs[0]).unwrap().batch_id, 42);
    }

    #[test]
    fn warns_about_what_cannot_be_carried() {
        let mut steam = account(1);
        steam.params = OtpParams {
            kind: OtpKind::Steam { period: 30 },
            algorithm: Algorithm::Sha1,
            digits: 5,
        };
        let mut seven = account(2);
        seven.params.digits = 7;
        let mut sixty = account(3);
        sixty.params.kind = OtpKind::Totp { period: 60 };
        let mut huge = account(4);
        huge.name = "x".repeat(2000);
        let out = encode(&[steam, seven, sixty, huge]);
        assert_eq!(out.warnings.len(), 4, "{:#?}", out.warnings);
        assert!(out.warnings[0].contains("Steam"));
        assert!(out.warnings[1].contains("7-digit"));
        assert!(out.warnings[2].contains("60-second"));
        assert!(out.warnings[3].contains("too large"));
        assert_eq!(out.uris.len(), 2, "the period-60 account and the huge one");
        for w in &out.warnings {
            assert!(!w.contains("AEBAGBAF"), "no secret in warnings");
        }
    }
}
