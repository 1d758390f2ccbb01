//! Google Authenticator migration batches (`otpauth-migration://offline?data=…`), as text (one
//! URI per line) and as QR codes (PNG images, terminal blocks) that Google Authenticator scans.
//!
//! The batching and what the protobuf cannot hold (Steam, digits other than 6 or 8, periods
//! other than 30 s) come from [`crate::migration::encode`]; this module adds the fields no
//! migration payload has: groups, notes, favourites and `meta`.

use zeroize::Zeroizing;

use super::{ExportError, Exported, Losses, qr, uris::uri_losses};
use crate::account::Account;
use crate::migration;

/// Pixels per QR module in PNG exports (a version-25 code is then about 500 px wide).
pub const PNG_SCALE: u32 = 4;

/// The migration URIs of an export, one per QR code, and its warnings.
pub struct Batches {
    /// `otpauth-migration://` URIs, in order.
    pub uris: Vec<Zeroizing<String>>,
    /// What could not be carried (never secrets).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for Batches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batches")
            .field("uris", &self.uris.len())
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// Encodes `accounts` as migration batches sized for QR codes.
pub fn batches(accounts: &[Account]) -> Batches {
    let encoded = migration::encode(accounts);
    let mut losses = Losses::new();
    for a in accounts {
        uri_losses(a, &mut losses);
        if !a.meta.is_empty() {
            losses.add("extra URI fields", &a.label());
        }
    }
    let mut warnings = encoded.warnings;
    warnings.extend(losses.into_warnings("A Google migration batch"));
    Batches {
        uris: encoded.uris.into_iter().map(Zeroizing::new).collect(),
        warnings,
    }
}

/// The batches as text, one URI per line.
pub fn write(accounts: &[Account]) -> Exported {
    let b = batches(accounts);
    let mut out = Zeroizing::new(Vec::with_capacity(b.uris.iter().map(|u| u.len() + 1).sum()));
    for u in &b.uris {
        out.extend_from_slice(u.as_bytes());
        out.push(b'\n');
    }
    Exported {
        bytes: out,
        warnings: b.warnings,
    }
}

impl Batches {
    /// Batch `index` (0-based) as a PNG QR code.
    pub fn png(&self, index: usize) -> Result<Zeroizing<Vec<u8>>, ExportError> {
        let uri = self
            .uris
            .get(index)
            .ok_or_else(|| ExportError::Encode("no such batch".into()))?;
        qr::png(uri.as_bytes(), PNG_SCALE)
    }

    /// Batch `index` (0-based) as a QR code of Unicode half blocks (see [`qr::terminal`]).
    pub fn terminal(
        &self,
        index: usize,
        dark_on_light: bool,
    ) -> Result<Zeroizing<String>, ExportError> {
        let uri = self
            .uris
            .get(index)
            .ok_or_else(|| ExportError::Encode("no such batch".into()))?;
        qr::terminal(uri.as_bytes(), dark_on_light)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures;

    #[test]
    fn text_batches_decode_back_to_the_accounts() {
        let accounts = fixtures::aegis_vectors();
        let e = write(&accounts);
        let text = std::str::from_utf8(&e.bytes).unwrap();
        let uris: Vec<&str> = text.lines().collect();
        let back = migration::decode_all(&uris).unwrap();
        // Google's format has no Steam, and 7 digits is not among its choices.
        let carried: Vec<Account> = accounts
            .iter()
            .filter(|a| a.params.kind.type_name() != "steam" && a.params.digits != 7)
            .cloned()
            .collect();
        let expect: Vec<_> = carried
            .iter()
            .map(|a| (a.secret.clone(), a.params.digits))
            .collect();
        let got: Vec<_> = back
            .accounts
            .iter()
            .map(|a| (a.secret.clone(), a.params.digits))
            .collect();
        assert_eq!(got, expect);
        assert!(
            e.warnings.iter().any(|w| w.contains("Boeing")),
            "{:?}",
            e.warnings
        );
    }

    #[test]
    fn many_accounts_make_several_scannable_codes() {
        let mut accounts = Vec::new();
        for i in 0..40 {
            let mut a = fixtures::aegis_vectors()[0].clone();
            a.name = format!("user{i}@example.org");
            a.groups = vec!["g".into()];
            accounts.push(a);
        }
        let b = batches(&accounts);
        assert!(b.uris.len() > 1, "{} batches", b.uris.len());
        assert!(
            b.warnings.iter().any(|w| w.contains("groups: 40 accounts")),
            "{:?}",
            b.warnings
        );
        let mut names = Vec::new();
        for i in 0..b.uris.len() {
            let png = b.png(i).unwrap();
            let decoder = png::Decoder::new(std::io::Cursor::new(&png[..]));
            let mut reader = decoder.read_info().unwrap();
            let mut buf = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut buf).unwrap();
            let (w, h) = (info.width as usize, info.height as usize);
            let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
            let grids = img.detect_grids();
            assert_eq!(grids.len(), 1);
            let text = grids[0].decode().unwrap().1;
            assert_eq!(text, *b.uris[i]);
            names.extend(
                migration::decode(&text)
                    .unwrap()
                    .accounts
                    .into_iter()
                    .map(|a| a.name),
            );
            assert!(b.terminal(i, false).unwrap().lines().count() > 10);
        }
        let expected: Vec<String> = accounts.iter().map(|a| a.name.clone()).collect();
        assert_eq!(names, expected);
        assert!(b.png(b.uris.len()).is_err());
    }
}
