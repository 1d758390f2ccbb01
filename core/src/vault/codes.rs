//! Codes for every entry: prepared generators cached per entry while the vault is unlocked
//! (filled in once `otp::Generator` lands).

use std::collections::HashMap;

/// Prepared code generators by entry id.
#[derive(Default)]
pub(crate) struct Cache {
    #[allow(dead_code)]
    by_id: HashMap<String, ()>,
}

impl Cache {
    /// Drops the generator of a removed entry.
    pub(crate) fn forget(&mut self, id: &str) {
        self.by_id.remove(id);
    }
}
