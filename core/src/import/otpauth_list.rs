//! Plain text lists of `otpauth://` URIs, one per line (Aegis's and many apps' "plain text"
//! export, Authenticator Plus's `Accounts.txt`, hand-made lists). Blank lines and `#` comments are
//! ignored; `steam://` lines are accepted too. Every other line is an entry: a line that does not
//! parse is skipped with the parser's reason.

use super::common::{self, Collector};
use super::{ImportError, Input, Parsed};

const NAME: &str = "otpauth list";

/// True when the first content line is an `otpauth://` URI (Ente's exports, which carry a
/// `codeDisplay` parameter, are left to the Ente importer).
pub fn sniff(input: &Input<'_>) -> bool {
    if input.bytes.len() > common::MAX_INPUT_BYTES || !common::is_text(input) {
        return false;
    }
    let Some(t) = common::text(input) else {
        return false;
    };
    let mut lines = common::content_lines(t);
    lines.next().is_some_and(|l| {
        l.get(..10)
            .is_some_and(|p| p.eq_ignore_ascii_case("otpauth://"))
    }) && !t.contains("codeDisplay=")
}

/// Parses every content line as a URI.
pub fn parse(input: &Input<'_>, _password: Option<&str>) -> Result<Parsed, ImportError> {
    common::check_size(input, NAME)?;
    let t = common::text(input).ok_or_else(|| common::malformed(NAME, "not UTF-8 text"))?;
    parse_lines(t, NAME)
}

/// Parses URI lines (shared with the importers whose files are URI lists at heart).
pub fn parse_lines(t: &str, format: &'static str) -> Result<Parsed, ImportError> {
    let mut out = Collector::new(format);
    for (i, line) in common::content_lines(t).enumerate() {
        out.check_count(i + 1)?;
        let result = common::uri_account(line);
        let label = match &result {
            Ok(a) => common::label(&a.issuer, &a.name, i),
            Err(_) => format!("line {} (entry #{})", line_number(t, line), i + 1),
        };
        out.push(label, result);
    }
    if out.is_empty() {
        return Err(common::malformed(format, "no otpauth URIs"));
    }
    Ok(out.finish())
}

fn line_number(t: &str, line: &str) -> usize {
    t.lines()
        .position(|l| l.trim() == line)
        .map_or(0, |n| n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::OtpKind;
    use crate::import::test_support::input;

    #[test]
    fn lines_comments_and_bad_lines() {
        let t = "# exported\n\notpauth://totp/I:n?secret=JBSWY3DPEHPK3PXP&issuer=I\n\
                 otpauth://hotp/J:m?secret=JBSWY3DPEHPK3PXP&counter=3\n\
                 otpauth://totp/K:z?secret=JBSWY3DPEHPK3PXP&period=0\n\
                 otpauth://totp/K:b?secret=SECRET1SECRET\n\
                 steam://JBSWY3DPEHPK3PXP\n";
        let input = input(t.as_bytes());
        assert!(sniff(&input));
        let p = parse(&input, None).unwrap();
        assert_eq!(p.accounts.len(), 3);
        assert_eq!(p.accounts[1].params.kind, OtpKind::Hotp { counter: 3 });
        assert_eq!(p.skipped.len(), 2);
        assert!(p.skipped.iter().all(|s| !s.reason.contains("SECRET1")));
        assert!(p.skipped[0].label.starts_with("line 5"));
    }

    #[test]
    fn not_a_list() {
        for t in [
            "",
            "hello",
            "QR-Code:otpauth://totp/x?secret=AA",
            "\u{0}otpauth://",
        ] {
            let input = input(t.as_bytes());
            assert!(!sniff(&input), "{t}");
        }
        let input = input(b"# only a comment\n");
        assert!(parse(&input, None).is_err());
    }
}
