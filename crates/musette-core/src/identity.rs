//! The owner's identity: an Ed25519 signing key sealed in the vault, and its public form as a
//! `did:key`.
//!
//! A `did:key` for Ed25519 is `did:key:z` + base58btc(0xed 0x01 ‖ the 32-byte public key); its
//! verification method is the same string twice, `did:key:z6Mk…#z6Mk…`.
//!
//! ```
//! use musette_core::identity::{did_from_public_key, public_key_from_did};
//! let did = did_from_public_key(&[7u8; 32]);
//! assert!(did.starts_with("did:key:z6Mk"));
//! assert_eq!(public_key_from_did(&did).unwrap(), [7u8; 32]);
//! ```

use crate::i18n::CORE;
use crate::msg;
use ring::signature::{Ed25519KeyPair, KeyPair};
use zeroize::Zeroizing;

use crate::crypto::{aad, random_bytes};
use crate::error::{Error, Result};
use crate::store;
use crate::vault::Vault;

const ED25519_PUB_MULTICODEC: [u8; 2] = [0xed, 0x01];

/// A signing identity: an Ed25519 key and its did:key.
pub struct Signer {
    pair: Ed25519KeyPair,
    did: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("did", &self.did)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer from a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8]) -> Result<Signer> {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed)
            .map_err(|_| Error::invalid(msg!(CORE, "seed-length")))?;
        let mut public = [0u8; 32];
        public.copy_from_slice(pair.public_key().as_ref());
        Ok(Signer {
            pair,
            did: did_from_public_key(&public),
        })
    }

    /// The signer's `did:key`.
    pub fn did(&self) -> &str {
        &self.did
    }

    /// The verification method to put in proofs: `did:key:z…#z…`.
    pub fn verification_method(&self) -> String {
        verification_method(&self.did)
    }

    /// Signs `message` (Ed25519, deterministic).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let mut out = [0u8; 64];
        out.copy_from_slice(self.pair.sign(message).as_ref());
        out
    }
}

/// `did:key:z…` for an Ed25519 public key.
pub fn did_from_public_key(public: &[u8; 32]) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(&ED25519_PUB_MULTICODEC);
    bytes.extend_from_slice(public);
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// The verification method of a did:key: the did, `#`, and its multibase key.
pub fn verification_method(did: &str) -> String {
    let key = did.strip_prefix("did:key:").unwrap_or(did);
    format!("{did}#{key}")
}

/// The Ed25519 public key of a `did:key`, or of a did:key verification method
/// (`did:key:z…#z…`, whose fragment must repeat the key).
pub fn public_key_from_did(did_or_vm: &str) -> Result<[u8; 32]> {
    let bad = |why: crate::i18n::Msg| {
        Error::invalid(msg!(
            CORE,
            "not-a-did-key",
            input = format!("{did_or_vm:?}"),
            why = why
        ))
    };
    let (did, fragment) = match did_or_vm.split_once('#') {
        Some((d, f)) => (d, Some(f)),
        None => (did_or_vm, None),
    };
    let multibase = did
        .strip_prefix("did:key:")
        .ok_or_else(|| bad(msg!(CORE, "did-no-prefix")))?;
    if let Some(f) = fragment
        && f != multibase
    {
        return Err(bad(msg!(CORE, "did-fragment")));
    }
    let b58 = multibase
        .strip_prefix('z')
        .ok_or_else(|| bad(msg!(CORE, "did-not-z")))?;
    let bytes = bs58::decode(b58)
        .into_vec()
        .map_err(|_| bad(msg!(CORE, "did-not-base58")))?;
    if bytes.len() != 34 || bytes[..2] != ED25519_PUB_MULTICODEC {
        return Err(bad(msg!(CORE, "did-not-ed25519")));
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(&bytes[2..]);
    Ok(out)
}

/// The owner key's associated data. Vaults made before the manifest used `owner-key`; the
/// upgrade reseals it as `owner-key-v2`, which also tells that the vault has had a manifest.
pub(crate) fn owner_aad(vault_id: &[u8]) -> Vec<u8> {
    aad("owner-key-v2", &[vault_id])
}

pub(crate) fn legacy_owner_aad(vault_id: &[u8]) -> Vec<u8> {
    aad("owner-key", &[vault_id])
}

/// Seals a fresh owner seed; returns the sealed bytes to store under `owner_key`, and the did.
pub(crate) fn new_owner_key(
    master: &crate::crypto::Key,
    vault_id: &[u8],
) -> Result<(Vec<u8>, String)> {
    let seed = Zeroizing::new(random_bytes::<32>());
    let did = Signer::from_seed(seed.as_ref())?.did().to_string();
    Ok((master.seal(&owner_aad(vault_id), seed.as_ref()), did))
}

impl Vault {
    /// The owner's signing identity, sealed under the master key. It is made once, by `init`
    /// (or by the upgrade of a vault made before identities); a missing or replaced key is
    /// damage, never a reason to make a new identity.
    pub fn owner(&self) -> Result<Signer> {
        let sealed = store::meta_get(&self.conn, "owner_key")?
            .ok_or_else(|| Error::damaged("vault", msg!(CORE, "owner-key-deleted")))?;
        let root = crate::manifest::read_root(&self.conn, &self.master, &self.vault_id)?;
        if root.owner != crate::manifest::owner_digest(&sealed) {
            return Err(Error::damaged("vault", msg!(CORE, "owner-key-replaced")));
        }
        let seed = self
            .master
            .open(&owner_aad(&self.vault_id), &sealed)
            .ok_or_else(|| Error::damaged("vault", msg!(CORE, "owner-key-not-open")))?;
        Signer::from_seed(&seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3c_key_pair_gives_its_did() {
        // keyPair.json of the W3C vc-di-eddsa test vectors: the private key is multibase
        // (0x80 0x26 ‖ seed), the public key multibase (0xed 0x01 ‖ key).
        let private = bs58::decode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
            .into_vec()
            .unwrap();
        assert_eq!(&private[..2], &[0x80, 0x26]);
        let signer = Signer::from_seed(&private[2..]).unwrap();
        assert_eq!(
            signer.did(),
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
        assert_eq!(
            signer.verification_method(),
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
    }

    #[test]
    fn malformed_dids_are_refused() {
        let good = did_from_public_key(&[1u8; 32]);
        assert!(public_key_from_did(&good).is_ok());
        assert!(public_key_from_did(&verification_method(&good)).is_ok());
        for bad in [
            "did:web:example.com".to_string(),
            "did:key:6Mk".to_string(),
            "did:key:z0OIl".to_string(),
            format!("{good}#z6MkOther"),
            format!(
                "did:key:z{}",
                bs58::encode([0x12u8, 0x00, 1, 2, 3]).into_string()
            ),
        ] {
            assert!(public_key_from_did(&bad).is_err(), "{bad}");
        }
    }
}
