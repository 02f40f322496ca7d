//! The backup file: the vault's file copied whole (SQLite's `VACUUM INTO`, sessions dropped),
//! between a header and a tag, so only the vault's passphrase or recovery key opens it and any
//! change is seen:
//!
//! ```text
//! "MUSETTE-BACKUP\0\x01"  (16 bytes)
//! length of the image     (8 bytes, big-endian)
//! the image               (length bytes)
//! tag                     (32 bytes: HMAC-SHA-256 under a key derived from the master key,
//!                          over the first 24 bytes and the SHA-256 of the image)
//! ```

use std::io::{Read, Write};
use std::path::Path;

use ring::{digest, hmac};

use crate::error::Result;
use crate::i18n::CORE;
use crate::msg;
use crate::vault::Vault;

/// The first bytes of a backup.
pub const MAGIC: &[u8; 16] = b"MUSETTE-BACKUP\0\x01";
/// The header's length (magic and image length).
pub const HEADER: u64 = 24;
/// The tag's length.
pub const TAG: u64 = 32;
const CHUNK: usize = 1 << 20;

/// The tag of an image of `len` bytes whose SHA-256 is `image_hash`, under `key`.
pub fn tag(key: &[u8; 32], len: u64, image_hash: &[u8]) -> hmac::Tag {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(MAGIC);
    ctx.update(&len.to_be_bytes());
    ctx.update(image_hash);
    ctx.sign()
}

/// Whether `stored` is the tag of that image under `key` (in constant time).
pub fn tag_holds(key: &[u8; 32], len: u64, image_hash: &[u8], stored: &[u8]) -> bool {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut signed = MAGIC.to_vec();
    signed.extend_from_slice(&len.to_be_bytes());
    signed.extend_from_slice(image_hash);
    hmac::verify(&key, &signed, stored).is_ok()
}

/// Copies `len` bytes from `from` to `to` in 1 MiB pieces, calling `progress` with each piece's
/// size; returns their SHA-256.
pub fn copy_hashed(
    from: &mut dyn Read,
    to: &mut dyn Write,
    len: u64,
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<digest::Digest> {
    let mut hash = digest::Context::new(&digest::SHA256);
    let mut buf = vec![0u8; CHUNK];
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
        from.read_exact(&mut buf[..want])?;
        hash.update(&buf[..want]);
        to.write_all(&buf[..want])?;
        left -= want as u64;
        progress(want as u64);
    }
    Ok(hash.finish())
}

impl Vault {
    /// Writes a backup of this vault to `out`, through an image of the vault made at `image`
    /// (which must not exist; the caller removes it): header, image, tag. Returns the length of
    /// the image and its SHA-256.
    pub fn write_backup(
        &self,
        image: &Path,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(u64, [u8; 32])> {
        self.snapshot_to(image)?;
        let len = std::fs::metadata(image)
            .map_err(crate::error::Error::io(msg!(CORE, "io-backup-image")))?
            .len();
        let io = |e: std::io::Error| crate::error::Error::io(msg!(CORE, "io-backup-write"))(e);
        out.write_all(MAGIC).map_err(io)?;
        out.write_all(&len.to_be_bytes()).map_err(io)?;
        let mut file = std::fs::File::open(image).map_err(io)?;
        let hash = copy_hashed(&mut file, out, len, progress).map_err(io)?;
        out.write_all(tag(&self.backup_key(), len, hash.as_ref()).as_ref())
            .map_err(io)?;
        out.flush().map_err(io)?;
        let mut h = [0u8; 32];
        h.copy_from_slice(hash.as_ref());
        Ok((len, h))
    }
}
