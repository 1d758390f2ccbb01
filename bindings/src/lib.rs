//! uniffi bindings over `tessera-core` (in progress).

uniffi::setup_scaffolding!();
