//! Device certificates: the owner's did vouches for each of its devices' network keys.
//!
//! A device's iroh endpoint id is its own Ed25519 key, made on that device. The owner's signing
//! key (the did:key every replica holds) signs `musette device certificate v1`, the vault's
//! hash, the endpoint id, the device id, its name and when it was issued. A device accepts a
//! connection from another device only if the certificate it presents is signed by its own
//! owner's did and names the endpoint the connection was authenticated with (iroh's TLS proves
//! the remote endpoint id).

use ring::signature::{ED25519, UnparsedPublicKey};

use musette_core::Vault;
use musette_core::identity::public_key_from_did;

use crate::wire::{DeviceCert, PeerCert};

/// The longest device id and name a certificate may carry, in bytes.
const MAX_FIELD: usize = 255;

fn signed_bytes(vault: &[u8; 32], epoch: &[u8; 32], cert: &DeviceCert) -> Vec<u8> {
    let mut out = Vec::with_capacity(192);
    out.extend_from_slice(b"musette device certificate v1");
    out.extend_from_slice(vault);
    out.extend_from_slice(epoch);
    out.extend_from_slice(&cert.endpoint);
    out.push(cert.device.len().min(255) as u8);
    out.extend_from_slice(&cert.device[..cert.device.len().min(255)]);
    let name = &cert.name.as_bytes()[..cert.name.len().min(255)];
    out.push(name.len() as u8);
    out.extend_from_slice(name);
    out.extend_from_slice(&cert.issued.to_be_bytes());
    out
}

/// This device's certificate, signed with the owner's key, for the vault's current keys.
pub fn issue(vault: &Vault, endpoint: [u8; 32], name: &str) -> musette_core::Result<DeviceCert> {
    issue_under(vault, endpoint, name, &vault.key_epoch())
}

/// This device's certificate under the key epoch `epoch` (an older one, to hand the new keys to
/// a device that still checks against it).
pub fn issue_under(
    vault: &Vault,
    endpoint: [u8; 32],
    name: &str,
    epoch: &[u8; 32],
) -> musette_core::Result<DeviceCert> {
    let issued = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut cert = DeviceCert {
        endpoint,
        device: vault.device_bytes().to_vec(),
        name: name
            .chars()
            .filter(|c| !c.is_control())
            .take(64)
            .collect::<String>()
            .char_indices()
            .take_while(|(i, c)| i + c.len_utf8() <= MAX_FIELD)
            .map(|(_, c)| c)
            .collect(),
        issued,
        signature: [0; 64],
    };
    let signer = vault.owner()?;
    cert.signature = signer.sign(&signed_bytes(&vault.vault_hash(), epoch, &cert));
    Ok(cert)
}

fn peer_signed_bytes(cert: &PeerCert) -> Vec<u8> {
    let mut out = b"musette peer certificate v1".to_vec();
    out.extend_from_slice(&cert.endpoint);
    let name = &cert.name.as_bytes()[..cert.name.len().min(255)];
    out.push(name.len() as u8);
    out.extend_from_slice(name);
    out.extend_from_slice(&cert.issued.to_be_bytes());
    out
}

/// This device's certificate for peers: the owner's did vouches for its endpoint.
pub fn issue_peer(vault: &Vault, endpoint: [u8; 32], name: &str) -> musette_core::Result<PeerCert> {
    let device = issue(vault, endpoint, name)?;
    let mut cert = PeerCert {
        endpoint,
        name: device.name,
        issued: device.issued,
        signature: [0; 64],
    };
    cert.signature = vault.owner()?.sign(&peer_signed_bytes(&cert));
    Ok(cert)
}

/// Checks that a peer certificate is signed by `did` and names `endpoint`.
pub fn verify_peer(cert: &PeerCert, did: &str, endpoint: &[u8; 32]) -> Result<(), CertError> {
    if &cert.endpoint != endpoint {
        return Err(CertError::WrongEndpoint);
    }
    if cert.name.len() > MAX_FIELD {
        return Err(CertError::BadSignature);
    }
    let public = public_key_from_did(did).map_err(|_| CertError::BadDid)?;
    UnparsedPublicKey::new(&ED25519, public)
        .verify(&peer_signed_bytes(cert), &cert.signature)
        .map_err(|_| CertError::BadSignature)
}

/// Why a certificate is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertError {
    /// Not signed by the expected did.
    #[error("its certificate is not signed by this vault's owner")]
    BadSignature,
    /// Names another endpoint than the connection's.
    #[error("its certificate names another device than the one connected")]
    WrongEndpoint,
    /// The did is not an Ed25519 did:key.
    #[error("the owner's identity is not a did:key")]
    BadDid,
}

/// Checks that `cert` is signed by `owner_did` for vault `vault_hash` under the key epoch
/// `epoch` (see [`musette_core::Vault::key_epoch`]), and names `endpoint`.
pub fn verify(
    cert: &DeviceCert,
    owner_did: &str,
    vault_hash: &[u8; 32],
    epoch: &[u8; 32],
    endpoint: &[u8; 32],
) -> Result<(), CertError> {
    if &cert.endpoint != endpoint {
        return Err(CertError::WrongEndpoint);
    }
    if cert.device.len() > MAX_FIELD || cert.name.len() > MAX_FIELD {
        return Err(CertError::BadSignature);
    }
    let public = public_key_from_did(owner_did).map_err(|_| CertError::BadDid)?;
    UnparsedPublicKey::new(&ED25519, public)
        .verify(&signed_bytes(vault_hash, epoch, cert), &cert.signature)
        .map_err(|_| CertError::BadSignature)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use musette_core::KdfParams;

    #[test]
    fn a_certificate_holds_for_its_endpoint_and_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let v = Vault::create(
            &tmp.path().join("v"),
            b"cert passphrase",
            KdfParams::minimum(),
        )
        .unwrap()
        .0;
        let other = Vault::create(
            &tmp.path().join("o"),
            b"cert passphrase",
            KdfParams::minimum(),
        )
        .unwrap()
        .0;
        let did = v.owner().unwrap().did().to_string();
        let cert = issue(&v, [5; 32], "laptop").unwrap();
        let hash = v.vault_hash();
        let epoch = v.key_epoch();
        let check = |c: &DeviceCert, did: &str, hash: &[u8; 32], epoch: &[u8; 32], e: u8| {
            verify(c, did, hash, epoch, &[e; 32])
        };
        assert_eq!(check(&cert, &did, &hash, &epoch, 5), Ok(()));
        assert_eq!(
            check(&cert, &did, &hash, &epoch, 6),
            Err(CertError::WrongEndpoint)
        );
        let other_did = other.owner().unwrap().did().to_string();
        assert_eq!(
            check(&cert, &other_did, &hash, &epoch, 5),
            Err(CertError::BadSignature)
        );
        assert_eq!(
            check(&cert, &did, &other.vault_hash(), &epoch, 5),
            Err(CertError::BadSignature)
        );
        // Made under other keys (before a rekey): no longer holds.
        assert_eq!(
            check(&cert, &did, &hash, &other.key_epoch(), 5),
            Err(CertError::BadSignature)
        );
        for alter in 0..4 {
            let mut bad = cert.clone();
            match alter {
                0 => bad.name.push('x'),
                1 => bad.issued += 1,
                2 => bad.device[0] ^= 1,
                _ => bad.signature[3] ^= 1,
            }
            assert_eq!(
                check(&bad, &did, &hash, &epoch, 5),
                Err(CertError::BadSignature)
            );
        }
    }
}
