//! Authenticator Plus: its export is a password-protected ZIP (traditional PKWARE "ZipCrypto",
//! deflate) holding `Accounts.txt`, one `otpauth://` URI per line, each read by
//! [`crate::uri::parse`].
//!
//! The app's other backup, an encrypted database (`authplus.db`, SQLCipher), is not readable
//! here (SQLCipher is not in Tessera's SQLite build): such files get a clear `Unsupported` error.
//! ZipCrypto only checks one byte of the password, so about one wrong password in 256 passes the
//! check; the garbage it then produces fails decompression and is reported as a wrong password.

use std::io::{Cursor, Read};

use zip::result::ZipError;

use super::common;
use super::{Format, ImportError, Input, Parsed};

const NAME: &str = "Authenticator Plus";
const ACCOUNTS: &str = "accounts.txt";
/// Most files listed in the archive, and most bytes read from `Accounts.txt`.
const MAX_FILES: usize = 1000;
const MAX_TEXT_BYTES: u64 = 4 << 20;

/// The registry entry.
pub(crate) const FORMAT: Format = Format {
    id: "authenticator-plus",
    name: NAME,
    sniff,
    parse,
};

fn sniff(input: &Input<'_>) -> bool {
    input.bytes.starts_with(b"PK\x03\x04")
        && (common::contains(input.bytes, b"Accounts.txt")
            || common::contains(input.bytes, b"authplus.db"))
}

fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    let bytes = common::bounded(input, NAME)?;
    let bad = |e: ZipError| common::malformed(NAME, format!("unreadable ZIP archive: {e}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    if zip.len() > MAX_FILES {
        return Err(common::malformed(NAME, "too many files in the archive"));
    }
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_ascii_lowercase();
    let Some(index) = names
        .iter()
        .position(|n| base(n) == ACCOUNTS)
        .and_then(|i| zip.index_for_name(&names[i]))
    else {
        if names.iter().any(|n| base(n).ends_with(".db")) {
            return Err(ImportError::Unsupported {
                format: NAME,
                detail: "encrypted database backups (SQLCipher) cannot be read; use the app's \
                         export to a password-protected Accounts.txt"
                    .into(),
            });
        }
        return Err(common::malformed(NAME, "no Accounts.txt in the archive"));
    };
    let mut text = Vec::new();
    let encrypted = match zip.by_index(index) {
        Ok(f) => {
            f.take(MAX_TEXT_BYTES + 1)
                .read_to_end(&mut text)
                .map_err(|_| common::malformed(NAME, "Accounts.txt cannot be decompressed"))?;
            false
        }
        Err(ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED)) => true,
        Err(e) => return Err(bad(e)),
    };
    if encrypted {
        let password = password.ok_or(ImportError::PasswordRequired)?;
        let f = match zip.by_index_decrypt(index, password.as_bytes()) {
            Ok(f) => f,
            Err(ZipError::InvalidPassword) => return Err(ImportError::WrongPassword),
            Err(e) => return Err(bad(e)),
        };
        f.take(MAX_TEXT_BYTES + 1)
            .read_to_end(&mut text)
            .map_err(|_| ImportError::WrongPassword)?;
    }
    let text = zeroize::Zeroizing::new(text);
    if text.len() as u64 > MAX_TEXT_BYTES {
        return Err(common::malformed(NAME, "Accounts.txt is too large"));
    }
    let text = std::str::from_utf8(&text).map_err(|_| {
        if encrypted {
            ImportError::WrongPassword
        } else {
            common::malformed(NAME, "Accounts.txt is not UTF-8 text")
        }
    })?;
    let mut parsed = Parsed::default();
    for (i, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let label = format!("line {}", i + 1);
        common::push_uri_entry(&mut parsed, label, line);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{assert_password_errors, check_file, input, read};

    const FILE: &str = "authenticator-plus/authenticator_plus.zip";

    #[test]
    fn corpus_file() {
        check_file(&FORMAT, FILE);
    }

    #[test]
    fn password_errors_and_truncation() {
        let Some(bytes) = read(FILE) else { return };
        assert_password_errors(parse, &input(&bytes), &["test", "testtesttesu", "", "x"]);
        for cut in [10, bytes.len() / 2, bytes.len() - 1] {
            let r = parse(&input(&bytes[..cut]), Some("testtesttest"));
            assert!(matches!(r, Err(ImportError::Malformed { .. })), "cut {cut}");
        }
    }

    #[test]
    fn plain_zip_and_database_backup() {
        use std::io::Write;
        let make = |name: &str, body: &[u8]| {
            let mut buf = Cursor::new(Vec::new());
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body).unwrap();
            w.finish().unwrap();
            buf.into_inner()
        };
        let ok = make(
            "Accounts.txt",
            b"otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n\nnot a uri\notpauth://totp/x?secret=1\n",
        );
        let p = parse(&input(&ok), None).unwrap();
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.skipped.len(), 2);
        let db = make("authplus.db", b"SQLite format 3\0");
        assert!(matches!(
            parse(&input(&db), None),
            Err(ImportError::Unsupported { .. })
        ));
    }
}
