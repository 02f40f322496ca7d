//! Compact JWS (RFC 7515), as VC-JWT credentials and Open Badges 2.0 signed assertions use it:
//! checked offline when the key travels with the token (a `jwk` in its header, or a did:key
//! `kid`); any other key needs the network, and is reported as such.

use data_encoding::BASE64URL_NOPAD;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ED25519, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents,
    UnparsedPublicKey,
};
use serde::Serialize;
use serde_json::Value;

use crate::i18n::{CORE, Msg};
use crate::identity::public_key_from_did;
use crate::msg;

/// Where the key that checked a token came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    /// A `jwk` in the token's own header: the signature proves the token was not altered since
    /// it was signed, not who signed it.
    Embedded,
    /// A did:key named by `kid`.
    DidKey(String),
}

/// What checking a compact JWS found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwsCheck {
    /// The signature holds, with the key from there.
    Verified(KeySource),
    /// The token is malformed or its signature does not hold: why.
    Invalid(Msg),
    /// It cannot be checked offline: why.
    Unsupported(Msg),
}

fn b64(part: &str) -> Option<Vec<u8>> {
    BASE64URL_NOPAD
        .decode(part.trim_end_matches('=').as_bytes())
        .ok()
}

/// The decoded bytes of a compact JWS's `index`th part (0 the header, 1 the payload).
pub(crate) fn part(token: &str, index: usize) -> Option<Vec<u8>> {
    b64(token.trim().split('.').nth(index)?)
}

/// The payload of a compact JWS, as JSON, without checking anything.
pub fn payload(token: &str) -> Option<Value> {
    let part = token.trim().split('.').nth(1)?;
    serde_json::from_slice(&b64(part)?).ok()
}

/// Checks the signature of a compact JWS.
pub fn verify_compact(token: &str) -> JwsCheck {
    let invalid = JwsCheck::Invalid;
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [head, body, sig] = parts[..] else {
        return invalid(msg!(CORE, "jws-not-compact"));
    };
    let Some(header) = b64(head).and_then(|h| serde_json::from_slice::<Value>(&h).ok()) else {
        return invalid(msg!(CORE, "jws-header"));
    };
    let Some(signature) = b64(sig) else {
        return invalid(msg!(CORE, "jws-signature-encoding"));
    };
    let message = format!("{head}.{body}");
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).and_then(b64);
    if alg.is_empty() || alg.eq_ignore_ascii_case("none") {
        return invalid(msg!(CORE, "jws-unsigned"));
    }
    let outcome = if let Some(jwk) = header.get("jwk") {
        let kty = jwk.get("kty").and_then(Value::as_str).unwrap_or("");
        let ok = match (alg, kty) {
            ("RS256", "RSA") => match (text(jwk, "n"), text(jwk, "e")) {
                (Some(n), Some(e)) => RsaPublicKeyComponents { n, e }
                    .verify(&RSA_PKCS1_2048_8192_SHA256, message.as_bytes(), &signature)
                    .is_ok(),
                _ => return invalid(msg!(CORE, "jws-rsa-key")),
            },
            ("ES256", "EC") => match (text(jwk, "x"), text(jwk, "y")) {
                (Some(x), Some(y)) if x.len() == 32 && y.len() == 32 => {
                    let point = [&[4u8][..], &x, &y].concat();
                    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                        .verify(message.as_bytes(), &signature)
                        .is_ok()
                }
                _ => return invalid(msg!(CORE, "jws-p256-key")),
            },
            ("EdDSA", "OKP") => match text(jwk, "x") {
                Some(x) if x.len() == 32 => UnparsedPublicKey::new(&ED25519, x)
                    .verify(message.as_bytes(), &signature)
                    .is_ok(),
                _ => return invalid(msg!(CORE, "jws-ed25519-key")),
            },
            _ => {
                return JwsCheck::Unsupported(msg!(CORE, "jws-algorithm", alg = alg, kty = kty));
            }
        };
        ok.then_some(KeySource::Embedded)
    } else {
        let kid = header.get("kid").and_then(Value::as_str).unwrap_or("");
        match public_key_from_did(kid) {
            Ok(key) if alg == "EdDSA" => UnparsedPublicKey::new(&ED25519, key)
                .verify(message.as_bytes(), &signature)
                .is_ok()
                .then(|| KeySource::DidKey(kid.split('#').next().unwrap_or(kid).to_string())),
            Ok(_) => {
                return JwsCheck::Invalid(msg!(CORE, "jws-did-key-alg", alg = alg));
            }
            _ if kid.is_empty() => {
                return JwsCheck::Unsupported(msg!(CORE, "jws-no-key"));
            }
            _ => {
                return JwsCheck::Unsupported(msg!(CORE, "jws-key-online", kid = kid));
            }
        }
    };
    match outcome {
        Some(source) => JwsCheck::Verified(source),
        None => invalid(msg!(CORE, "jws-mismatch")),
    }
}
