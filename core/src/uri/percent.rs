//! Percent-decoding and -encoding for otpauth URIs (RFC 3986 §2.1), small and allocation-light.
//!
//! Query values are decoded as `application/x-www-form-urlencoded` (`+` is a space) because real
//! exporters write `issuer=Air+Canada`; the label (the path) keeps `+` literal.

use std::borrow::Cow;

/// Why a component could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// `%` not followed by two hex digits.
    BadEscape,
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`). Borrows when there is nothing
/// to decode, which is the common case for secrets and numbers.
pub fn decode(text: &str, plus_is_space: bool) -> Result<Cow<'_, str>, DecodeError> {
    let bytes = text.as_bytes();
    if !bytes
        .iter()
        .any(|&b| b == b'%' || (plus_is_space && b == b'+'))
    {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|&b| hex_value(b));
                let lo = bytes.get(i + 2).and_then(|&b| hex_value(b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => return Err(DecodeError::BadEscape),
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| DecodeError::NotUtf8)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Appends `text` to `out`, escaping everything except RFC 3986 unreserved characters and `@`
/// (kept for readable labels such as `alice@example.com`). Spaces become `%20`, which every
/// reader decodes (a `+` would be a literal plus in a path).
pub fn encode_into(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(decode("Air+Canada", true).unwrap(), "Air Canada");
        assert_eq!(decode("Air+Canada", false).unwrap(), "Air+Canada");
        assert_eq!(decode("a%3Ab%20c%C2%BF", false).unwrap(), "a:b c\u{bf}");
        assert!(matches!(decode("plain", true).unwrap(), Cow::Borrowed(_)));
        assert_eq!(decode("%4", false), Err(DecodeError::BadEscape));
        assert_eq!(decode("%zz", false), Err(DecodeError::BadEscape));
        assert_eq!(decode("%FF", false), Err(DecodeError::NotUtf8));
    }

    #[test]
    fn encode_round_trips() {
        let text = "ACME Co: ¿ä? a+b&c=d/e#f alice@x.org";
        let mut enc = String::new();
        encode_into(text, &mut enc);
        assert!(
            !enc.contains([' ', ':', '&', '=', '#', '?', '+', '/']),
            "{enc}"
        );
        assert_eq!(decode(&enc, true).unwrap(), text);
        assert_eq!(decode(&enc, false).unwrap(), text);
    }
}
