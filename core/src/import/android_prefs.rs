//! Android `shared_prefs` XML files (`<map><string name="…">…</string>…</map>`), which several
//! apps use to keep their tokens: FreeOTP 1.x, FreeOTP+, Authy, Battle.net, TOTP Authenticator.
//!
//! Parsed with `roxmltree`, which refuses DTDs (so no entity expansion) and caps the node count.

use super::ImportError;
use super::common::malformed;

/// Most XML nodes read from one preferences file.
const MAX_NODES: u32 = 200_000;

/// The `<string name="…">` values of a preferences file, in file order (other value types skipped).
pub(crate) fn strings(
    text: &str,
    format: &'static str,
) -> Result<Vec<(String, String)>, ImportError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let doc = roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| malformed(format, format!("invalid XML: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "map" {
        return Err(malformed(
            format,
            "not an Android preferences file (no <map>)",
        ));
    }
    Ok(root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "string")
        .filter_map(|n| {
            let name = n.attribute("name")?;
            let value: String = n
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect();
            Some((name.to_string(), value))
        })
        .collect())
}

/// Cheap check for a preferences file: XML whose root is `<map>`.
pub(crate) fn looks_like(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(256)];
    let t = String::from_utf8_lossy(head);
    let t = t.trim_start_matches('\u{feff}').trim_start();
    (t.starts_with("<?xml") || t.starts_with("<map")) && t.contains("<map")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strings_in_order_and_unescapes() {
        let x = "<?xml version='1.0'?><map><int name=\"a\" value=\"1\"/>\
                 <string name=\"k1\">{&quot;x&quot;:1}</string><string name=\"k2\"></string></map>";
        let s = strings(x, "T").unwrap();
        assert_eq!(
            s,
            vec![
                ("k1".into(), "{\"x\":1}".into()),
                ("k2".into(), String::new())
            ]
        );
        assert!(looks_like(x.as_bytes()));
    }

    #[test]
    fn refuses_dtd_and_wrong_root() {
        let bomb = "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY a \"aaaa\">]><map>&a;</map>";
        assert!(strings(bomb, "T").is_err());
        assert!(strings("<list/>", "T").is_err());
        assert!(strings("<map><string name='a'>x", "T").is_err());
    }
}
