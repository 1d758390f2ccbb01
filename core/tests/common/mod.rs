//! Helpers shared by the integration tests: the corpus location and a small deterministic PRNG.
#![allow(dead_code)]

use std::path::PathBuf;

/// `/work/shared/corpus` seen from the crate (`../../shared/corpus`), if it exists. When it does not,
/// prints a note saying which test could not check the corpus, so nothing passes silently.
pub fn corpus_dir(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "NOTE: {test}: corpus {} is absent; its corpus checks were NOT run",
            dir.display()
        );
        None
    }
}

/// Reads a JSON file of the corpus.
pub fn corpus_json(test: &str, relative: &str) -> Option<serde_json::Value> {
    let path = corpus_dir(test)?.join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// SplitMix64: a tiny deterministic generator for random-but-reproducible test inputs
/// (not for secrets).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}
