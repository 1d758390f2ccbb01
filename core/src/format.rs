//! Codes formatted for people: grouped for the eye, and spelled out for screen readers.
//!
//! Grouping rule (by length): up to 5 characters stay whole (4-digit codes and Steam's 5
//! characters are read at a glance); 6–8 split in two with the shorter group first
//! ("123 456", "123 4567", "1234 5678"); 9–10 split in three groups of 3 with the remainder last
//! ("123 456 789", "123 456 7890").

/// The code with spaces between groups, e.g. `"123 456"`.
pub fn grouped(code: &str) -> String {
    groups(code).join(" ")
}

/// The code as a screen reader should say it: each character separately, groups separated by a
/// comma pause, e.g. `"1 2 3, 4 5 6"` (so "123456" is not read as a hundred-thousands number).
pub fn spoken(code: &str) -> String {
    let groups = groups(code);
    let mut out = String::with_capacity(code.len() * 2 + groups.len() * 2);
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, c) in group.chars().enumerate() {
            if j > 0 {
                out.push(' ');
            }
            out.push(c);
        }
    }
    out
}

/// Splits a code into display groups (see the module docs for the rule).
fn groups(code: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let n = chars.len();
    let sizes: &[usize] = match n {
        0..=5 => return if n == 0 { Vec::new() } else { vec![code] },
        6 => &[3, 3],
        7 => &[3, 4],
        8 => &[4, 4],
        9 => &[3, 3, 3],
        10 => &[3, 3, 4],
        // Longer strings are not codes Tessera produces; groups of 3 keep them readable.
        _ => &[],
    };
    let mut out = Vec::new();
    let mut start = 0;
    if sizes.is_empty() {
        while start < n {
            let end = (start + 3).min(n);
            out.push(slice(code, &chars, start, end));
            start = end;
        }
    } else {
        for size in sizes {
            out.push(slice(code, &chars, start, start + size));
            start += size;
        }
    }
    out
}

/// `code` from character `from` to character `to` (exclusive), by char boundaries.
fn slice<'a>(code: &'a str, chars: &[(usize, char)], from: usize, to: usize) -> &'a str {
    let begin = chars.get(from).map_or(code.len(), |c| c.0);
    let end = chars.get(to).map_or(code.len(), |c| c.0);
    &code[begin..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_by_length() {
        for (code, want) in [
            ("", ""),
            ("1234", "1234"),
            ("FR8RV", "FR8RV"),
            ("123456", "123 456"),
            ("1234567", "123 4567"),
            ("12345678", "1234 5678"),
            ("123456789", "123 456 789"),
            ("1234567890", "123 456 7890"),
            ("12345678901", "123 456 789 01"),
        ] {
            assert_eq!(grouped(code), want, "{code}");
        }
    }

    #[test]
    fn spoken_reads_each_character() {
        assert_eq!(spoken("123456"), "1 2 3, 4 5 6");
        assert_eq!(spoken("12345678"), "1 2 3 4, 5 6 7 8");
        assert_eq!(spoken("FR8RV"), "F R 8 R V");
        assert_eq!(spoken(""), "");
        assert_eq!(spoken("ä1"), "ä 1", "non-ASCII input never panics");
    }
}
