//! The key hierarchy's top: key slots that each open the vault master key.
//!
//! ```text
//! passphrase ──Argon2id(salt, m, t, p)──▶ KEK ─┐
//! recovery key ──HKDF-SHA256(salt)─────▶ KEK ─┼─ AES-256-GCM, AAD = vault id, slot id, params ─▶ master key
//! session token ──────────────────────▶ key ─┘   (sessions also bind their expiry)
//! master key ─ AES-256-GCM, AAD = vault id, record id ─▶ record data key ─▶ header and chunks
//! ```
//!
//! A failed tag is how a wrong passphrase shows. Changing the passphrase rewrites one slot row in
//! one transaction: the master key, and so every record, stays as it is.

use crate::i18n::CORE;
use crate::msg;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::{KEY_LEN, Key, aad, random_bytes};
use crate::error::{Error, Result};

/// Argon2id cost parameters for a passphrase slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended setting, on one lane): about a
    /// quarter of a second on a laptop.
    fn default() -> Self {
        KdfParams {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        }
    }
}

/// The least memory (KiB) a new passphrase slot may use: 19 MiB, with [`MIN_NEW_ITERATIONS`]
/// (OWASP's current minimum for Argon2id).
pub const MIN_NEW_MEMORY_KIB: u32 = 19 * 1024;
/// The fewest passes a new passphrase slot may use.
pub const MIN_NEW_ITERATIONS: u32 = 2;
/// The most memory (KiB) any slot may ask for: 1 GiB. A slot asking for more is damage.
pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
/// The most passes any slot may ask for.
pub const MAX_ITERATIONS: u32 = 64;
/// The most work any slot may ask for, as MiB × passes (1 GiB × 16, or 256 MiB × 64): a few
/// seconds to a minute, never a hang.
pub const MAX_WORK_MIB_PASSES: u64 = 16 * 1024;
/// Slots written by older versions may use as little as this; no new slot does.
const MIN_STORED_MEMORY_KIB: u32 = 8 * 1024;

impl KdfParams {
    /// The cheapest parameters a new slot may have (19 MiB, 2 passes): for tests and
    /// benchmarks, or very slow machines.
    pub fn minimum() -> KdfParams {
        KdfParams {
            memory_kib: MIN_NEW_MEMORY_KIB,
            iterations: MIN_NEW_ITERATIONS,
            parallelism: 1,
        }
    }

    /// Checks parameters chosen for a new slot (`init`, `passwd`): the floor is 19 MiB and 2
    /// passes, the ceiling 1 GiB and 64 passes.
    pub fn validate(&self) -> Result<()> {
        if !(MIN_NEW_MEMORY_KIB..=MAX_MEMORY_KIB).contains(&self.memory_kib) {
            return Err(Error::invalid(msg!(
                CORE,
                "kdf-memory-range",
                min = MIN_NEW_MEMORY_KIB / 1024,
                max = MAX_MEMORY_KIB / 1024
            )));
        }
        if !(MIN_NEW_ITERATIONS..=MAX_ITERATIONS).contains(&self.iterations) {
            return Err(Error::invalid(msg!(
                CORE,
                "kdf-iterations-range",
                min = MIN_NEW_ITERATIONS,
                max = MAX_ITERATIONS
            )));
        }
        if self.work() > MAX_WORK_MIB_PASSES {
            return Err(Error::invalid(msg!(
                CORE,
                "kdf-work",
                max = MAX_WORK_MIB_PASSES
            )));
        }
        if !(1..=16).contains(&self.parallelism) {
            return Err(Error::invalid(msg!(CORE, "kdf-parallelism")));
        }
        Ok(())
    }

    /// Whether parameters read from a stored slot are within what musette ever writes; checked
    /// before deriving, so a tampered slot can neither exhaust memory nor hang the process.
    pub fn is_sane_stored(&self) -> bool {
        (MIN_STORED_MEMORY_KIB..=MAX_MEMORY_KIB).contains(&self.memory_kib)
            && (1..=MAX_ITERATIONS).contains(&self.iterations)
            && (1..=16).contains(&self.parallelism)
            && self.work() <= MAX_WORK_MIB_PASSES
    }

    /// The stronger of two settings, part by part (never below the defaults' floor).
    pub fn stronger(self, other: KdfParams) -> KdfParams {
        KdfParams {
            memory_kib: self.memory_kib.max(other.memory_kib).min(MAX_MEMORY_KIB),
            iterations: self.iterations.max(other.iterations).min(MAX_ITERATIONS),
            parallelism: self.parallelism.max(other.parallelism).min(16),
        }
    }

    fn work(&self) -> u64 {
        u64::from(self.memory_kib / 1024) * u64::from(self.iterations)
    }
}

/// How a slot turns its secret into a key-encryption key; stored in clear beside the slot
/// and bound to it as associated data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kdf", rename_all = "kebab-case")]
pub enum SlotParams {
    /// A passphrase through Argon2id.
    Argon2id {
        /// Cost parameters.
        #[serde(flatten)]
        params: KdfParams,
        /// Random salt, base64.
        salt: String,
    },
    /// A 256-bit recovery key through HKDF-SHA256.
    HkdfSha256 {
        /// Random salt, base64.
        salt: String,
    },
}

impl SlotParams {
    /// Fresh parameters for a passphrase slot.
    pub fn new_passphrase(params: KdfParams) -> SlotParams {
        SlotParams::Argon2id {
            params,
            salt: b64(&random_bytes::<16>()),
        }
    }

    /// Fresh parameters for a recovery slot.
    pub fn new_recovery() -> SlotParams {
        SlotParams::HkdfSha256 {
            salt: b64(&random_bytes::<16>()),
        }
    }

    /// Derives the key-encryption key from the slot's secret. Parameters outside what musette
    /// writes are refused before any work is done.
    pub fn derive(&self, secret: &[u8]) -> Result<Key> {
        let bad = || Error::damaged("vault", msg!(CORE, "slot-params-altered"));
        match self {
            SlotParams::Argon2id { params, salt } => {
                if !params.is_sane_stored() {
                    return Err(bad());
                }
                let salt = unb64(salt)
                    .filter(|s| (16..=64).contains(&s.len()))
                    .ok_or_else(bad)?;
                let p = argon2::Params::new(
                    params.memory_kib,
                    params.iterations,
                    params.parallelism,
                    Some(KEY_LEN),
                )
                .map_err(|_| bad())?;
                let argon =
                    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
                let mut out = Zeroizing::new([0u8; KEY_LEN]);
                argon
                    .hash_password_into(secret, &salt, out.as_mut())
                    .map_err(|_| bad())?;
                Ok(Key::from_bytes(out))
            }
            SlotParams::HkdfSha256 { salt } => {
                let salt = unb64(salt)
                    .filter(|s| (16..=64).contains(&s.len()))
                    .ok_or_else(bad)?;
                Ok(crate::crypto::hkdf(&salt, secret, b"musette recovery slot"))
            }
        }
    }

    /// The parameters as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The associated data that binds a slot's wrapped master key to its vault, id and parameters.
pub fn slot_aad(vault_id: &[u8], slot_id: &str, params_json: &str) -> Vec<u8> {
    aad(
        "slot",
        &[vault_id, slot_id.as_bytes(), params_json.as_bytes()],
    )
}

/// A recovery key: 256 random bits, shown once as 13 groups of 4 base32 characters.
pub struct RecoveryKey(Zeroizing<Vec<u8>>);

impl RecoveryKey {
    /// A fresh random recovery key.
    pub fn generate() -> RecoveryKey {
        RecoveryKey(Zeroizing::new(random_bytes::<KEY_LEN>().to_vec()))
    }

    /// Parses a recovery key as typed: case, spaces and dashes do not matter.
    pub fn parse(text: &str) -> Result<RecoveryKey> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        match data_encoding::BASE32_NOPAD.decode(cleaned.as_bytes()) {
            Ok(bytes) if bytes.len() == KEY_LEN => Ok(RecoveryKey(Zeroizing::new(bytes))),
            _ => Err(Error::invalid(msg!(CORE, "not-a-recovery-key"))),
        }
    }

    /// The key's raw bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The key as shown to the user.
    pub fn display(&self) -> Zeroizing<String> {
        let plain = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0));
        let groups: Vec<&str> = plain
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        Zeroizing::new(groups.join("-"))
    }
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

pub(crate) fn unb64(text: &str) -> Option<Vec<u8>> {
    data_encoding::BASE64.decode(text.as_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_key_roundtrip() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.split('-').count(), 13);
        let again = RecoveryKey::parse(&shown.to_lowercase().replace('-', " ")).unwrap();
        assert_eq!(again.bytes(), key.bytes());
        assert!(RecoveryKey::parse("ABCD-EFGH").is_err());
    }

    #[test]
    fn argon2_is_deterministic_per_salt() {
        let params = KdfParams {
            memory_kib: 8 * 1024,
            iterations: 1,
            parallelism: 1,
        };
        assert!(params.validate().is_err(), "below the floor for new slots");
        assert!(params.is_sane_stored(), "but older slots still open");
        let slot = SlotParams::new_passphrase(params);
        let a = slot.derive(b"pass").unwrap();
        let b = slot.derive(b"pass").unwrap();
        let c = slot.derive(b"Pass").unwrap();
        assert_eq!(a.expose(), b.expose());
        assert_ne!(a.expose(), c.expose());
    }

    #[test]
    fn absurd_stored_parameters_are_refused_before_deriving() {
        for (m, t, p) in [
            (4 * 1024 * 1024, 3, 1),
            (64 * 1024, u32::MAX, 1),
            (1024 * 1024, 64, 1),
            (1024, 1, 1),
            (64 * 1024, 0, 1),
            (64 * 1024, 3, 0),
            (64 * 1024, 3, 1000),
        ] {
            let slot = SlotParams::Argon2id {
                params: KdfParams {
                    memory_kib: m,
                    iterations: t,
                    parallelism: p,
                },
                salt: b64(&[1; 16]),
            };
            let err = slot.derive(b"pass").err().expect("refused");
            assert_eq!(err.kind(), crate::ErrorKind::Damaged, "{m} {t} {p}");
        }
        let short_salt = SlotParams::HkdfSha256 { salt: b64(&[1; 4]) };
        assert!(short_salt.derive(b"k").is_err());
    }

    #[test]
    fn stronger_takes_the_larger_of_each_part() {
        let weak = KdfParams {
            memory_kib: 8 * 1024,
            iterations: 1,
            parallelism: 1,
        };
        let s = weak.stronger(KdfParams::default());
        assert_eq!(s, KdfParams::default());
        let big = KdfParams {
            memory_kib: 256 * 1024,
            iterations: 2,
            parallelism: 1,
        };
        assert_eq!(KdfParams::default().stronger(big).memory_kib, 256 * 1024);
        assert_eq!(KdfParams::default().stronger(big).iterations, 3);
    }
}
