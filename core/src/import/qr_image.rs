//! QR codes in PNG and JPEG images (screenshots of Google Authenticator's export, of a site's
//! enrolment page, …). Every QR code `rqrr` finds is decoded and its text routed to the parser
//! that fits: `otpauth-migration://` to [`crate::migration::decode`], `otpauth://` and `steam://`
//! to [`crate::uri::parse`]. Other codes are reported as skipped.
//!
//! Bounds: images above 8000×8000 pixels or 256 MiB of decoding memory are refused (the `image`
//! crate's limits), at most 64 codes are read, and a panic inside the third-party decoders is
//! caught and reported as an unreadable image.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::common::{self, push_entry};
use super::{Format, ImportError, Input, Parsed, Skipped};
use crate::migration;

const NAME: &str = "QR code image";
const MAX_DIMENSION: u32 = 8000;
const MAX_DECODE_BYTES: u64 = 256 << 20;
const MAX_CODES: usize = 64;

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "qr-image",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    is_png(input.bytes) || is_jpeg(input.bytes)
}

fn is_png(b: &[u8]) -> bool {
    b.starts_with(b"\x89PNG\r\n\x1a\n")
}

fn is_jpeg(b: &[u8]) -> bool {
    b.starts_with(&[0xff, 0xd8, 0xff])
}

/// Decodes the image (PNG or JPEG only) to greyscale within the size limits.
fn load(bytes: &[u8]) -> Result<image::GrayImage, ImportError> {
    let format = if is_png(bytes) {
        image::ImageFormat::Png
    } else if is_jpeg(bytes) {
        image::ImageFormat::Jpeg
    } else {
        return Err(common::malformed(NAME, "not a PNG or JPEG image"));
    };
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| common::malformed(NAME, format!("the image cannot be decoded: {e}")))?;
    Ok(img.to_luma8())
}

/// The texts of the QR codes rqrr finds in `img` (`Err` for a code found but not readable).
fn scan(img: &image::GrayImage) -> Vec<Result<String, String>> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        img.get_pixel(x as u32, y as u32)[0]
    });
    prepared
        .detect_grids()
        .into_iter()
        .take(MAX_CODES)
        .map(|g| match g.decode() {
            Ok((_, text)) => Ok(text),
            Err(e) => Err(format!("a QR code could not be read ({e})")),
        })
        .collect()
}

/// Every QR code's text in a PNG or JPEG image, in detection order; repeated codes once.
pub fn decode_texts(bytes: &[u8]) -> Result<Vec<Result<String, String>>, ImportError> {
    if bytes.len() > common::MAX_INPUT_BYTES {
        return Err(common::malformed(NAME, "the image file is too large"));
    }
    let img = load(bytes)?;
    let found = catch_unwind(AssertUnwindSafe(|| search(&img)))
        .map_err(|_| common::malformed(NAME, "the QR decoder failed on this image"))?;
    Ok(found)
}

/// rqrr misses some codes at one size or contrast and finds them at another (measured on the
/// corpus screenshots: each of them fails at some of these passes). Passes run in order until
/// one reads every code it finds; texts from all passes are combined.
const PASSES: [(u32, Option<u8>); 7] = [
    (100, None),
    (100, Some(128)),
    (50, None),
    (50, Some(128)),
    (80, None),
    (60, Some(128)),
    (30, None),
];

fn search(img: &image::GrayImage) -> Vec<Result<String, String>> {
    let mut texts: Vec<String> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for (percent, threshold) in PASSES {
        let mut pass = if percent == 100 {
            img.clone()
        } else {
            let w = (img.width() * percent / 100).max(1);
            let h = (img.height() * percent / 100).max(1);
            image::imageops::resize(img, w, h, image::imageops::FilterType::Triangle)
        };
        if let Some(t) = threshold {
            for p in pass.pixels_mut() {
                p[0] = if p[0] < t { 0 } else { 255 };
            }
        }
        let found = scan(&pass);
        let complete = !found.is_empty() && found.iter().all(Result::is_ok);
        for f in found {
            match f {
                Ok(t) if !texts.contains(&t) => texts.push(t),
                Err(e) if texts.is_empty() && !errors.contains(&e) => errors.push(e),
                _ => {}
            }
        }
        if complete || texts.len() >= MAX_CODES {
            break;
        }
    }
    if texts.is_empty() {
        errors.into_iter().map(Err).collect()
    } else {
        texts.into_iter().map(Ok).collect()
    }
}

fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    let texts = decode_texts(input.bytes)?;
    if texts.is_empty() {
        return Err(common::malformed(NAME, "no QR code found in the image"));
    }
    let mut parsed = Parsed::default();
    for (i, text) in texts.into_iter().enumerate() {
        let label = format!("QR code {}", i + 1);
        let text = match text {
            Ok(t) => t,
            Err(reason) => {
                parsed.skipped.push(Skipped { label, reason });
                continue;
            }
        };
        let lower = text
            .trim_start()
            .get(..22)
            .unwrap_or("")
            .to_ascii_lowercase();
        if lower.starts_with("otpauth-migration://") {
            match migration::decode(text.trim()) {
                Ok(batch) => {
                    if batch.batch_size > 1 {
                        parsed.warnings.push(format!(
                            "{label} is part {} of {} of a Google Authenticator export: import the \
                             images of the other parts too",
                            batch.batch_index.saturating_add(1),
                            batch.batch_size
                        ));
                    }
                    for account in batch.accounts {
                        let l = account.label();
                        push_entry(&mut parsed, &l, Ok(account));
                    }
                    for (l, reason) in batch.skipped {
                        parsed.skipped.push(Skipped { label: l, reason });
                    }
                }
                Err(e) => parsed.skipped.push(Skipped {
                    label,
                    reason: e.to_string(),
                }),
            }
        } else if lower.starts_with("otpauth://") || lower.starts_with("steam://") {
            common::push_uri_entry(&mut parsed, label, text.trim());
        } else {
            parsed.skipped.push(Skipped {
                label,
                reason: "the QR code holds no otpauth or Google Authenticator migration link"
                    .into(),
            });
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{input, read};

    const DIR: &str = "google-authenticator-migration";

    fn texts(rel: &str) -> Option<Vec<Result<String, String>>> {
        let bytes = read(&format!("{DIR}/{rel}"))?;
        assert!(sniff(&input(&bytes)), "{rel} not sniffed");
        Some(decode_texts(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}")))
    }

    #[test]
    fn plain_text_code() {
        let Some(t) = texts("proton-pass-common-qr/example.png") else {
            return;
        };
        assert_eq!(t, vec![Ok("This is an example".to_string())]);
        let bytes = read(&format!("{DIR}/proton-pass-common-qr/example.png")).unwrap();
        let p = parse(&input(&bytes), None).unwrap();
        assert!(p.accounts.is_empty());
        assert_eq!(p.skipped.len(), 1);
    }

    #[test]
    fn google_export_screenshots_hold_migration_links() {
        for f in [
            "GoogleAuthenticatorExport_1.png",
            "GoogleAuthenticatorExport_2.png",
            "GoogleAuthenticatorExport_3.png",
            "GoogleAuthImportScreenshotCropped.jpg",
            "GoogleAuthenticator_ScreenshotBigQR.jpeg",
        ] {
            let Some(t) = texts(&format!("proton-pass-common-qr/{f}")) else {
                return;
            };
            assert!(!t.is_empty(), "{f}: no QR code found");
            for text in &t {
                let text = text.as_ref().unwrap_or_else(|e| panic!("{f}: {e}"));
                assert!(text.starts_with("otpauth-migration://"), "{f}");
            }
            let bytes = read(&format!("{DIR}/proton-pass-common-qr/{f}")).unwrap();
            let p = parse(
                &Input {
                    bytes: &bytes,
                    file_name: Some(f),
                },
                None,
            )
            .unwrap();
            assert!(!p.accounts.is_empty(), "{f}: no accounts ({:?})", p.skipped);
        }
    }

    #[test]
    fn extract_otp_secrets_screenshot() {
        let rel = format!("{DIR}/extract_otp_secrets/test_googleauth_export.png");
        let Some(bytes) = read(&rel) else { return };
        let p = parse(&input(&bytes), None).unwrap();
        // expected.json's notes: three TOTP accounts Test1..3 (issuer TestN, name TestN:testN@exampleN.com).
        let got: Vec<_> = p
            .accounts
            .iter()
            .map(|a| {
                (
                    a.issuer.clone(),
                    a.secret.to_base32(),
                    a.params.kind.type_name(),
                )
            })
            .collect();
        let want: Vec<_> = (1..=3)
            .map(|n| {
                let s = ["JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXQ", "JBSWY3DPEHPK3PXR"][n - 1];
                (format!("Test{n}"), s.to_string(), "totp")
            })
            .collect();
        assert_eq!(got, want);
        for (n, a) in p.accounts.iter().enumerate() {
            assert!(
                a.name
                    .contains(&format!("test{}@example{}.com", n + 1, n + 1)),
                "{}",
                a.name
            );
        }
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
    }

    #[test]
    fn qr_without_otp_is_reported() {
        let rel = format!("{DIR}/extract_otp_secrets/qr_but_without_otp.png");
        let Some(bytes) = read(&rel) else { return };
        let p = parse(&input(&bytes), None).unwrap();
        assert!(p.accounts.is_empty());
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
    }

    #[test]
    fn hostile_images() {
        let run = |b: &[u8]| parse(&input(b), None);
        assert!(run(b"\x89PNG\r\n\x1a\n").is_err());
        assert!(run(&[0xff, 0xd8, 0xff, 0xe0, 0, 0]).is_err());
        // A PNG header claiming 100000×100000 pixels is refused before any allocation.
        let mut huge = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        huge.extend(100_000u32.to_be_bytes());
        huge.extend(100_000u32.to_be_bytes());
        huge.extend([8, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(run(&huge).is_err());
        // A blank image: no QR code.
        let mut png = Vec::new();
        image::GrayImage::from_pixel(64, 64, image::Luma([255]))
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(matches!(run(&png), Err(ImportError::Malformed { .. })));
    }
}
