//! Password-based key derivation: Argon2id (RustCrypto `argon2`), with the parameters stored in
//! each password slot so they can be raised later without breaking old vaults.

use serde::{Deserialize, Serialize};

use super::error::{Result, VaultError};
use super::seal::SymmetricKey;

/// Upper bound accepted for the memory cost read from a file (1 GiB): a crafted vault must not make
/// Tessera allocate without limit.
pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
/// Upper bound accepted for the time cost read from a file.
pub const MAX_ITERATIONS: u32 = 64;
/// Upper bound accepted for the parallelism read from a file.
pub const MAX_PARALLELISM: u32 = 16;

/// Argon2id cost parameters. The default is OWASP's minimum recommendation (m = 19 MiB, t = 2,
/// p = 1); phones may raise them so an unlock takes about half a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub memory_kib: u32,
    /// Number of passes (time cost).
    pub iterations: u32,
    /// Degree of parallelism (lanes).
    pub parallelism: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams::OWASP_MINIMUM
    }
}

impl KdfParams {
    /// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. The default.
    pub const OWASP_MINIMUM: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// Tiny parameters that make tests fast. **Never use for a real vault**: a password slot
    /// created with them offers almost no protection against guessing.
    pub const INSECURE_FOR_TESTS: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    /// Whether these parameters are at least OWASP's minimum.
    pub fn meets_owasp_minimum(&self) -> bool {
        self.memory_kib >= Self::OWASP_MINIMUM.memory_kib
            && self.iterations >= Self::OWASP_MINIMUM.iterations
    }

    /// Checks the bounds Argon2 and this crate accept.
    pub fn validate(&self) -> Result<()> {
        if self.parallelism == 0 || self.parallelism > MAX_PARALLELISM {
            return Err(VaultError::Kdf(format!(
                "parallelism {} out of 1..={MAX_PARALLELISM}",
                self.parallelism
            )));
        }
        if self.iterations == 0 || self.iterations > MAX_ITERATIONS {
            return Err(VaultError::Kdf(format!(
                "iterations {} out of 1..={MAX_ITERATIONS}",
                self.iterations
            )));
        }
        if self.memory_kib < 8 * self.parallelism || self.memory_kib > MAX_MEMORY_KIB {
            return Err(VaultError::Kdf(format!(
                "memory {} KiB out of bounds",
                self.memory_kib
            )));
        }
        Ok(())
    }

    /// Parameters that make one derivation take about `target` on this device (the goal:
    /// ≈ 0.5 s on a phone): OWASP's memory cost, with the number of passes scaled from one timed
    /// run at the minimum. Never below [`KdfParams::OWASP_MINIMUM`], never above the bounds.
    pub fn calibrate(target: std::time::Duration) -> Result<KdfParams> {
        let base = KdfParams::OWASP_MINIMUM;
        let start = std::time::Instant::now();
        base.derive(b"calibration", b"tessera-calibrate")?;
        let per_pass = start.elapsed().as_secs_f64() / f64::from(base.iterations);
        let passes = if per_pass > 0.0 {
            (target.as_secs_f64() / per_pass).round()
        } else {
            0.0
        };
        let iterations = (passes as u32).clamp(base.iterations, MAX_ITERATIONS);
        log::debug!(
            "vault: calibrated Argon2id to {iterations} passes of {} KiB",
            base.memory_kib
        );
        Ok(KdfParams { iterations, ..base })
    }

    /// Derives a key-encryption key from `password` and `salt`.
    pub fn derive(&self, password: &[u8], salt: &[u8]) -> Result<SymmetricKey> {
        self.validate()?;
        let out = crate::import::crypto::argon2id(
            password,
            salt,
            self.memory_kib,
            self.iterations,
            self.parallelism,
        )
        .map_err(|e| VaultError::Kdf(format!("{e:?}")))?;
        SymmetricKey::from_slice(&out[..]).ok_or_else(|| VaultError::Kdf("output length".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_meets_owasp() {
        let d = KdfParams::default();
        assert!(d.meets_owasp_minimum());
        assert!(d.memory_kib >= 19 * 1024 && d.iterations >= 2 && d.parallelism >= 1);
        assert!(!KdfParams::INSECURE_FOR_TESTS.meets_owasp_minimum());
    }

    #[test]
    fn derive_is_deterministic_and_salted() {
        let p = KdfParams::INSECURE_FOR_TESTS;
        let a = p.derive(b"pw", b"0123456789abcdef").unwrap();
        let b = p.derive(b"pw", b"0123456789abcdef").unwrap();
        let c = p.derive(b"pw", b"0123456789abcdeX").unwrap();
        let d = p.derive(b"pX", b"0123456789abcdef").unwrap();
        assert_eq!(a.as_bytes(), b.as_bytes());
        assert_ne!(a.as_bytes(), c.as_bytes());
        assert_ne!(a.as_bytes(), d.as_bytes());
    }

    #[test]
    fn calibration_never_goes_below_owasp() {
        let p = KdfParams::calibrate(std::time::Duration::ZERO).unwrap();
        assert_eq!(p, KdfParams::OWASP_MINIMUM);
        let p = KdfParams::calibrate(std::time::Duration::from_secs(3600)).unwrap();
        assert_eq!(p.iterations, MAX_ITERATIONS);
        assert!(p.meets_owasp_minimum() && p.validate().is_ok());
    }

    #[test]
    fn bounds_rejected() {
        for p in [
            KdfParams {
                memory_kib: MAX_MEMORY_KIB + 1,
                ..KdfParams::default()
            },
            KdfParams {
                iterations: 0,
                ..KdfParams::default()
            },
            KdfParams {
                parallelism: 0,
                ..KdfParams::default()
            },
            KdfParams {
                memory_kib: 4,
                ..KdfParams::INSECURE_FOR_TESTS
            },
        ] {
            assert!(
                matches!(
                    p.derive(b"pw", b"0123456789abcdef"),
                    Err(VaultError::Kdf(_))
                ),
                "{p:?}"
            );
        }
    }
}
