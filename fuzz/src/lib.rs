//! Shared body of the import fuzz targets.

use tessera_core::import::{self, Input};

/// Runs one registered importer's sniffer and parser on `data`, with and without a password.
/// Any panic, hang or unbounded allocation is a bug the fuzzer reports.
pub fn import(format_id: &str, data: &[u8]) {
    let Some(format) = import::format_by_id(format_id) else {
        panic!("no import format {format_id}");
    };
    let input = Input { bytes: data, file_name: None };
    let _ = (format.sniff)(&input);
    let _ = (format.parse)(&input, None);
    let _ = (format.parse)(&input, Some("test"));
}

/// Auto-detection over every format, then the detected parser.
pub fn detect(data: &[u8]) {
    let input = Input { bytes: data, file_name: None };
    let _ = import::parse(&input, None, Some("test"));
}
