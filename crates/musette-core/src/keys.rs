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

impl KdfParams {
    /// Checks the parameters are within the range musette accepts.
    pub fn validate(&self) -> Result<()> {
        if !(8 * 1024..=4 * 1024 * 1024).contains(&self.memory_kib) {
            return Err(Error::invalid(
                "--kdf-memory-mib must be between 8 and 4096",
            ));
        }
        if !(1..=64).contains(&self.iterations) {
            return Err(Error::invalid("--kdf-iterations must be between 1 and 64"));
        }
        if !(1..=16).contains(&self.parallelism) {
            return Err(Error::invalid("KDF parallelism must be between 1 and 16"));
        }
        Ok(())
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

    /// Derives the key-encryption key from the slot's secret.
    pub fn derive(&self, secret: &[u8]) -> Result<Key> {
        let bad = || Error::damaged("vault", "a key slot has malformed parameters");
        match self {
            SlotParams::Argon2id { params, salt } => {
                let salt = unb64(salt).ok_or_else(bad)?;
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
                let salt = unb64(salt).ok_or_else(bad)?;
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
            _ => Err(Error::invalid(
                "that is not a recovery key: it is 52 letters and digits, in groups of 4 as `musette init` printed it",
            )),
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
        let slot = SlotParams::new_passphrase(params);
        let a = slot.derive(b"pass").unwrap();
        let b = slot.derive(b"pass").unwrap();
        let c = slot.derive(b"Pass").unwrap();
        assert_eq!(a.expose(), b.expose());
        assert_ne!(a.expose(), c.expose());
    }
}
