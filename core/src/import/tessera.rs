//! Tessera's own backup (see [`crate::export::backup`]): plain or Argon2id + AES-256-GCM.

use super::{Format, ImportError, Input, Parsed};
use crate::export::backup::{self, BackupError};

/// The registry entry.
pub const FORMAT: Format = Format {
    id: "tessera",
    name: "Tessera backup",
    sniff,
    parse,
};

const NAME: &str = "Tessera backup";

/// A JSON file whose first bytes say `"format": "tessera-backup"`.
pub fn sniff(input: &Input<'_>) -> bool {
    backup::looks_like_backup(input.bytes)
}

/// Opens the backup (decrypting it with `password` when it is encrypted).
pub fn parse(input: &Input<'_>, password: Option<&str>) -> Result<Parsed, ImportError> {
    let contents = backup::open(input.bytes, password).map_err(|e| match e {
        BackupError::PasswordRequired => ImportError::PasswordRequired,
        BackupError::WrongPassword => ImportError::WrongPassword,
        BackupError::NotABackup => ImportError::Malformed {
            format: NAME,
            detail: "not a Tessera backup".into(),
        },
        BackupError::UnsupportedVersion(_) => ImportError::Unsupported {
            format: NAME,
            detail: e.to_string(),
        },
        BackupError::Malformed(detail) | BackupError::KdfParams(detail) => ImportError::Malformed {
            format: NAME,
            detail,
        },
    })?;
    Ok(Parsed {
        accounts: contents.accounts,
        skipped: contents.skipped,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::backup::KdfParams;
    use crate::export::fixtures;
    use crate::import;

    #[test]
    fn detected_and_imported_through_the_registry() {
        let kdf = KdfParams {
            m_cost_kib: 64,
            t_cost: 1,
            p_cost: 1,
        };
        let bytes = backup::write(&fixtures::rich(), Some(("pw", kdf)))
            .unwrap()
            .bytes;
        let input = Input {
            bytes: &bytes,
            file_name: Some("backup.json"),
        };
        assert_eq!(import::detect(&input).map(|f| f.id), Some("tessera"));
        assert!(matches!(
            import::parse(&input, None, None),
            Err(ImportError::PasswordRequired)
        ));
        assert!(matches!(
            import::parse(&input, None, Some("no")),
            Err(ImportError::WrongPassword)
        ));
        let (f, parsed) = import::parse(&input, None, Some("pw")).unwrap();
        assert_eq!(f.id, "tessera");
        assert_eq!(parsed.accounts, fixtures::rich());
        assert!(parsed.skipped.is_empty());
    }
}
