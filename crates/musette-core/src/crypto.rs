//! Sealing and key handling: the only place that touches ring's AEAD.
//!
//! Everything musette stores is sealed with AES-256-GCM under a 256-bit key, with a fresh random
//! 96-bit nonce for every seal. A sealed box is `nonce || ciphertext || tag`. The associated data
//! (AAD) names what the box is and where it belongs (vault, record, chunk number, chunk kind), so a
//! box copied to another place fails to open instead of being read as something else.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// Length in bytes of every symmetric key.
pub const KEY_LEN: usize = 32;
/// Bytes a sealed box adds to its plaintext (nonce and tag).
pub const SEAL_OVERHEAD: usize = NONCE_LEN + 16;

/// A 256-bit symmetric key, wiped from memory on drop.
pub struct Key {
    bytes: Zeroizing<[u8; KEY_LEN]>,
    aead: LessSafeKey,
}

impl Key {
    /// A fresh random key.
    pub fn random() -> Key {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(bytes.as_mut());
        Key::from_bytes(bytes)
    }

    /// A key from raw bytes.
    pub fn from_bytes(bytes: Zeroizing<[u8; KEY_LEN]>) -> Key {
        // A 32-byte slice is always a valid AES-256 key, so this cannot fail.
        let unbound = UnboundKey::new(&AES_256_GCM, bytes.as_ref()).expect("32-byte AES-256 key");
        Key {
            bytes,
            aead: LessSafeKey::new(unbound),
        }
    }

    /// A key from a slice, which must be exactly [`KEY_LEN`] bytes.
    pub fn from_slice(slice: &[u8]) -> Option<Key> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        if slice.len() != KEY_LEN {
            return None;
        }
        bytes.copy_from_slice(slice);
        Some(Key::from_bytes(bytes))
    }

    /// The raw key bytes (for wrapping under another key).
    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// Seals `plaintext` bound to `aad`: `nonce || ciphertext || tag`.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);
        let mut out = Vec::with_capacity(plaintext.len() + SEAL_OVERHEAD);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = self
            .aead
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut out[NONCE_LEN..],
            )
            .unwrap_or_else(|_| unreachable_seal());
        out.extend_from_slice(tag.as_ref());
        out
    }

    /// Opens a box made by [`Key::seal`] with the same `aad`; `None` if anything was altered,
    /// the key is wrong or the box belongs elsewhere.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < SEAL_OVERHEAD {
            return None;
        }
        let nonce = Nonce::try_assume_unique_for_key(&sealed[..NONCE_LEN]).ok()?;
        let mut buf = Zeroizing::new(sealed[NONCE_LEN..].to_vec());
        let len = self
            .aead
            .open_in_place(nonce, Aad::from(aad), buf.as_mut_slice())
            .ok()?
            .len();
        buf.truncate(len);
        Some(buf)
    }

    /// Seals another key under this one.
    pub fn wrap(&self, aad: &[u8], key: &Key) -> Vec<u8> {
        self.seal(aad, key.expose())
    }

    /// Opens a key sealed by [`Key::wrap`].
    pub fn unwrap_key(&self, aad: &[u8], wrapped: &[u8]) -> Option<Key> {
        let plain = self.open(aad, wrapped)?;
        Key::from_slice(&plain)
    }

    /// Derives a key for one purpose from this one (HKDF-SHA256).
    pub fn derive(&self, salt: &[u8], info: &[u8]) -> Key {
        hkdf(salt, self.expose(), info)
    }
}

fn unreachable_seal() -> ring::aead::Tag {
    // ring only fails to seal inputs larger than 2^36 bytes; callers seal at most a few MiB.
    panic!("AEAD seal failed: input too large")
}

/// HKDF-SHA256 from input keying material to a [`Key`].
pub fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8]) -> Key {
    struct Len;
    impl ring::hkdf::KeyType for Len {
        fn len(&self) -> usize {
            KEY_LEN
        }
    }
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    let prk = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, salt).extract(ikm);
    let infos = [info];
    // The output length is fixed at 32 bytes, far under HKDF's limit, so neither step can fail.
    prk.expand(&infos, Len)
        .and_then(|okm| okm.fill(out.as_mut()))
        .expect("HKDF output of 32 bytes");
    Key::from_bytes(out)
}

/// Fills `buf` from the operating system's secure random generator.
pub fn fill_random(buf: &mut [u8]) {
    // The system generator only fails when the OS has no entropy source at all; nothing can be
    // done safely then.
    SystemRandom::new()
        .fill(buf)
        .expect("the operating system's random generator failed");
}

/// `N` random bytes.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    fill_random(&mut out);
    out
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// Streaming SHA-256.
pub struct Sha256(ring::digest::Context);

impl Default for Sha256 {
    fn default() -> Self {
        Sha256(ring::digest::Context::new(&ring::digest::SHA256))
    }
}

impl Sha256 {
    /// Adds bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
    /// The digest, as lowercase hex.
    pub fn finish_hex(self) -> String {
        hex(self.0.finish().as_ref())
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// Associated data: a purpose and its parts, each length-prefixed so no two lists collide.
pub fn aad(purpose: &str, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + parts.iter().map(|p| p.len() + 4).sum::<usize>());
    out.extend_from_slice(b"musette/1/");
    out.extend_from_slice(purpose.as_bytes());
    for part in parts {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// The Padmé padded length of a `len`-byte plaintext: rounds up so that only the top
/// O(log log len) bits of the length show (at most 12% overhead). Used with a floor of a few
/// hundred bytes, so that small boxes all look alike.
pub fn padme(len: usize) -> usize {
    if len < 2 {
        return len;
    }
    let e = usize::BITS - 1 - len.leading_zeros();
    let s = u32::BITS - e.leading_zeros();
    let zero_bits = e - s;
    let mask = (1usize << zero_bits) - 1;
    (len + mask) & !mask
}

/// The size `len` bytes of plaintext are padded to: Padmé, but never below `floor`.
pub fn padded_len(len: usize, floor: usize) -> usize {
    padme(len).max(floor)
}

/// `data` behind its 4-byte length and padded with zeros to [`padded_len`], so the sealed box
/// shows only a bucket of its size. [`unpad`] takes it back.
pub fn pad(data: &[u8], floor: usize) -> Zeroizing<Vec<u8>> {
    let total = padded_len(data.len() + 4, floor);
    let mut out = Zeroizing::new(Vec::with_capacity(total));
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
    out.resize(total, 0);
    out
}

/// The data [`pad`] padded; `None` when the length prefix does not fit.
pub fn unpad(padded: &[u8]) -> Option<&[u8]> {
    let len = u32::from_be_bytes(padded.get(..4)?.try_into().ok()?) as usize;
    padded.get(4..4usize.checked_add(len)?)
}

/// Constant-time equality of two byte strings.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_roundtrip_and_aad_binding() {
        let key = Key::random();
        let boxed = key.seal(b"a", b"hello");
        assert_eq!(boxed.len(), 5 + SEAL_OVERHEAD);
        assert_eq!(
            key.open(b"a", &boxed).as_deref().map(Vec::as_slice),
            Some(&b"hello"[..])
        );
        assert!(key.open(b"b", &boxed).is_none());
        assert!(Key::random().open(b"a", &boxed).is_none());
        for i in 0..boxed.len() {
            let mut bad = boxed.clone();
            bad[i] ^= 1;
            assert!(key.open(b"a", &bad).is_none(), "flip at {i} went unnoticed");
        }
    }

    #[test]
    fn aad_parts_are_unambiguous() {
        assert_ne!(aad("x", &[b"ab", b"c"]), aad("x", &[b"a", b"bc"]));
    }

    #[test]
    fn padding_hides_all_but_a_bucket() {
        assert_eq!(padme(0), 0);
        assert_eq!(padme(1000), 1024);
        assert_eq!(padme(9), 10);
        for len in [0usize, 1, 7, 100, 1000, 4097, 70_000, 1 << 20] {
            let p = padded_len(len, 256);
            assert!(p >= len && p >= 256);
            assert!(p <= (len + len / 8).max(256), "{len} -> {p}");
            let data = vec![7u8; len];
            let padded = pad(&data, 256);
            assert_eq!(unpad(&padded), Some(&data[..]));
        }
        assert!(unpad(&[0, 0, 1, 0, 1]).is_none());
        assert!(unpad(&[0, 0]).is_none());
    }

    #[test]
    fn nonces_differ() {
        let key = Key::random();
        assert_ne!(key.seal(b"", b"same"), key.seal(b"", b"same"));
    }
}
