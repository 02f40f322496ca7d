//! Attachments: files kept with a record (evidence, scanned diplomas, contracts), sealed in
//! 1 MiB chunks and streamed in and out, never read whole into memory.
//!
//! Each chunk is sealed with the record's data key and bound to the record, the attachment and
//! the chunk's position. The attachment's name, size, SHA-256 and chunk count live in the record's
//! (sealed) document, so a chunk removed, reordered or replaced is caught on reading.
//!
//! The last chunk is padded with zeros to a Padmé size bucket (at least 4 KiB), so the file
//! shows an attachment's size only roughly: the true size is in the sealed document.

use std::io::{Read, Write};

use rusqlite::params;

use crate::crypto::{Sha256, aad};
use crate::error::{Error, Result};
use crate::i18n::{CORE, Msg};
use crate::ids;
use crate::msg;
use crate::record::{self, AttachmentInfo};
use crate::records::internal;
use crate::vault::Vault;

/// The plaintext size of one sealed attachment chunk.
pub const CHUNK_SIZE: usize = 1024 * 1024;
/// The longest attachment name accepted.
const MAX_NAME: usize = 255;
/// The smallest sealed last chunk.
const PAD_FLOOR: usize = 4096;

pub(crate) fn blob_aad(record: &str, attachment: &str, idx: u64) -> Vec<u8> {
    aad(
        "blob",
        &[record.as_bytes(), attachment.as_bytes(), &idx.to_be_bytes()],
    )
}

/// Checks an attachment name: a plain file name.
pub fn validate_name(name: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > MAX_NAME
        || name.contains(['/', '\\'])
        || name.chars().any(|c| c.is_control() || is_invisible(c))
        || name.trim() != name
        || name == "."
        || name == ".."
    {
        return Err(Error::InvalidAttachmentName {
            name: name.to_string(),
            max: MAX_NAME,
        });
    }
    Ok(())
}

/// A character that changes how a name shows without showing itself: every Unicode format
/// character (the bidirectional controls that make `txt.exe` read `exe.txt`, zero-width ones,
/// a byte-order mark, tags, musical and hieroglyph format controls), the line and paragraph
/// separators, and the characters that draw nothing (fillers, variation selectors, the
/// combining grapheme joiner, the blank Braille pattern).
pub fn is_invisible(c: char) -> bool {
    use unicode_general_category::{GeneralCategory, get_general_category};
    matches!(
        get_general_category(c),
        GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    ) || matches!(c,
        '\u{34f}'
        | '\u{115f}'
        | '\u{1160}'
        | '\u{17b4}'
        | '\u{17b5}'
        | '\u{180b}'..='\u{180f}'
        | '\u{2800}'
        | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{ffa0}'
        | '\u{e0100}'..='\u{e01ef}')
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full(input: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl Vault {
    /// Attaches the content of `input` to a record under `name`, in one transaction.
    /// `progress` is called with the number of bytes stored so far.
    pub fn attach(
        &mut self,
        id: &str,
        name: &str,
        input: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<AttachmentInfo> {
        validate_name(name)?;
        let id = self.resolve(id)?;
        let (info, _) = self.write_record(&id, "attach", |conn, key, doc, state| {
            if state.attachments.iter().any(|a| a.name == name) {
                return Err(Error::AttachmentExists {
                    record: id.clone(),
                    name: name.to_string(),
                });
            }
            let att = ids::new_id();
            let mut hasher = Sha256::default();
            let mut size = 0u64;
            let mut idx = 0u64;
            let mut buf = zeroize::Zeroizing::new(vec![0u8; CHUNK_SIZE]);
            let mut stmt = conn.prepare_cached("INSERT INTO blobs (rowid, record, attachment, idx, data) VALUES (?5, ?1, ?2, ?3, ?4)")?;
            // Read one chunk ahead, so the last one is known when it is sealed (and padded).
            let mut next = zeroize::Zeroizing::new(vec![0u8; CHUNK_SIZE]);
            let mut read = |into: &mut [u8]| read_full(input, into).map_err(Error::io(msg!(CORE, "io-read-attachment", name = format!("{name:?}"))));
            let mut n = read(&mut buf)?;
            while n > 0 {
                let m = if n == CHUNK_SIZE { read(&mut next)? } else { 0 };
                hasher.update(&buf[..n]);
                let plain: &[u8] = if m == 0 {
                    let len = crate::crypto::padded_len(n, PAD_FLOOR).min(CHUNK_SIZE).max(n);
                    buf[n..len].fill(0);
                    &buf[..len]
                } else {
                    &buf[..n]
                };
                stmt.execute(params![id, att, idx as i64, key.seal(&blob_aad(&id, &att, idx), plain), crate::store::random_rowid()])?;
                size += n as u64;
                idx += 1;
                progress(size);
                std::mem::swap(&mut buf, &mut next);
                n = m;
            }
            let info = AttachmentInfo { id: att, name: name.to_string(), size, sha256: hasher.finish_hex(), chunks: idx, padded: true };
            record::put_attachment(doc, &info).map_err(internal)?;
            Ok((info, vec![name.to_string()]))
        })?;
        Ok(info)
    }

    /// Removes an attachment and its content.
    pub fn detach(&mut self, id: &str, name: &str) -> Result<AttachmentInfo> {
        let id = self.resolve(id)?;
        let (info, _) = self.write_record(&id, "detach", |conn, _, doc, state| {
            let info = find(&id, state, name)?;
            record::remove_attachment(doc, &info.id).map_err(internal)?;
            conn.execute(
                "DELETE FROM blobs WHERE record = ?1 AND attachment = ?2",
                params![id, info.id],
            )?;
            Ok((info, vec![name.to_string()]))
        })?;
        crate::store::reclaim(&self.conn);
        Ok(info)
    }

    /// Writes an attachment's content to `out`, checking every chunk, the size and the SHA-256.
    pub fn read_attachment(
        &self,
        id: &str,
        name: &str,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<AttachmentInfo> {
        let record = self.show(id)?;
        let info = find(&record.id, &record.state, name)?;
        self.stream_attachment(&record.id, &info, out, progress)?;
        Ok(info)
    }

    pub(crate) fn stream_attachment(
        &self,
        id: &str,
        info: &AttachmentInfo,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        let (key, _) = self.load_header(&self.conn, id)?;
        let damaged = |what: Msg| {
            Error::damaged(
                id,
                msg!(
                    CORE,
                    "attachment-damaged",
                    name = format!("{:?}", info.name),
                    what = what
                ),
            )
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT data FROM blobs WHERE record = ?1 AND attachment = ?2 AND idx = ?3",
        )?;
        let mut hasher = Sha256::default();
        let mut size = 0u64;
        for idx in 0..info.chunks {
            let sealed: Vec<u8> = stmt
                .query_row(params![id, info.id, idx as i64], |r| r.get(0))
                .map_err(|_| damaged(msg!(CORE, "chunk-missing", n = idx)))?;
            let opened = key
                .open(&blob_aad(id, &info.id, idx), &sealed)
                .ok_or_else(|| damaged(msg!(CORE, "chunk-integrity", n = idx)))?;
            // The padded last chunk holds the rest of the content, then zeros.
            let plain = if info.padded && idx + 1 == info.chunks {
                let rest = info.size.saturating_sub(size);
                opened
                    .get(..usize::try_from(rest).unwrap_or(usize::MAX))
                    .ok_or_else(|| damaged(msg!(CORE, "chunk-short", n = idx)))?
            } else {
                &opened[..]
            };
            hasher.update(plain);
            size += plain.len() as u64;
            out.write_all(plain)
                .map_err(Error::io(msg!(CORE, "io-write-attachment")))?;
            progress(size);
        }
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM blobs WHERE record = ?1 AND attachment = ?2",
            params![id, info.id],
            |r| r.get(0),
        )?;
        if count as u64 != info.chunks {
            return Err(damaged(msg!(
                CORE,
                "attachment-chunk-count",
                count = count,
                expected = info.chunks
            )));
        }
        if size != info.size || hasher.finish_hex() != info.sha256 {
            return Err(damaged(msg!(CORE, "attachment-content")));
        }
        out.flush()
            .map_err(Error::io(msg!(CORE, "io-write-attachment")))?;
        Ok(())
    }
}

fn find(id: &str, state: &record::RecordState, name: &str) -> Result<AttachmentInfo> {
    state
        .attachments
        .iter()
        .find(|a| a.name == name)
        .cloned()
        .ok_or_else(|| Error::NoSuchAttachment {
            record: id.to_string(),
            name: name.to_string(),
        })
}

#[cfg(test)]
mod name_tests {
    use super::validate_name;

    #[test]
    fn names_that_hide_what_they_are_are_refused() {
        for bad in [
            "\u{202e}txt.exe",
            "a\u{2028}b",
            "\u{feff}",
            " ",
            "report.pdf ",
            " report.pdf",
            "in\u{200b}voice.pdf",
            "report\u{1d173}fdp.exe",
            "a\u{3164}b",
            "a\u{fe0f}b",
            "a\u{2800}b",
            "a\u{e0100}b",
            "a\\b",
            "../x",
            "",
        ] {
            assert!(validate_name(bad).is_err(), "{bad:?}");
        }
        for good in [
            "Payslip March.pdf",
            "Bulletin de paie – mars.pdf",
            "证书.png",
            "a.b.c",
        ] {
            assert!(validate_name(good).is_ok(), "{good:?}");
        }
    }
}
