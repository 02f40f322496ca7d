//! PNG chunks: reading text chunks and inserting an `iTXt` chunk, leaving the image data as it
//! is. A PNG is an 8-byte signature then chunks of `length (4) ‖ type (4) ‖ data ‖ CRC-32 (4)`.

use musette_core::msg;

use crate::{FORMATS, Result, malformed};

/// The PNG file signature.
pub const SIGNATURE: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];

/// One chunk of a PNG file.
#[derive(Debug, Clone)]
pub struct Chunk<'a> {
    /// Its four-letter type.
    pub kind: [u8; 4],
    /// Its data.
    pub data: &'a [u8],
    /// Where the whole chunk (from its length) starts and ends in the file.
    pub span: (usize, usize),
}

/// Whether the bytes start like a PNG.
pub fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(&SIGNATURE)
}

/// The chunks of a PNG, each checked against its CRC.
pub fn chunks(bytes: &[u8]) -> Result<Vec<Chunk<'_>>> {
    if !is_png(bytes) {
        return Err(malformed(msg!(FORMATS, "png-not-png")));
    }
    let mut out = Vec::new();
    let mut at = SIGNATURE.len();
    while at < bytes.len() {
        let header = bytes
            .get(at..at + 8)
            .ok_or_else(|| malformed(msg!(FORMATS, "png-truncated-header")))?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = [header[4], header[5], header[6], header[7]];
        let end = at
            .checked_add(12)
            .and_then(|x| x.checked_add(len))
            .filter(|e| *e <= bytes.len());
        let end = end.ok_or_else(|| malformed(msg!(FORMATS, "png-truncated-chunk")))?;
        let data = &bytes[at + 8..at + 8 + len];
        let crc = u32::from_be_bytes([
            bytes[end - 4],
            bytes[end - 3],
            bytes[end - 2],
            bytes[end - 1],
        ]);
        if crc != crc_of(&kind, data) {
            return Err(malformed(msg!(
                FORMATS,
                "png-checksum",
                chunk = String::from_utf8_lossy(&kind).into_owned()
            )));
        }
        out.push(Chunk {
            kind,
            data,
            span: (at, end),
        });
        at = end;
        if &kind == b"IEND" {
            break;
        }
    }
    if out.first().map(|c| &c.kind) != Some(b"IHDR") {
        return Err(malformed(msg!(FORMATS, "png-no-ihdr")));
    }
    Ok(out)
}

fn crc_of(kind: &[u8; 4], data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(data);
    h.finalize()
}

/// A text chunk's keyword and text: `iTXt` (uncompressed) or `tEXt`.
pub fn text_chunk(chunk: &Chunk<'_>) -> Result<Option<(String, String)>> {
    let split = |d: &[u8]| d.iter().position(|b| *b == 0);
    match &chunk.kind {
        b"tEXt" => {
            let Some(nul) = split(chunk.data) else {
                return Ok(None);
            };
            let keyword = String::from_utf8_lossy(&chunk.data[..nul]).into_owned();
            let text = chunk.data[nul + 1..]
                .iter()
                .map(|b| char::from(*b))
                .collect();
            Ok(Some((keyword, text)))
        }
        b"iTXt" => {
            let d = chunk.data;
            let Some(k) = split(d) else { return Ok(None) };
            let keyword = String::from_utf8_lossy(&d[..k]).into_owned();
            let rest = d.get(k + 1..).unwrap_or(&[]);
            if rest.len() < 2 {
                return Err(malformed(msg!(FORMATS, "png-itxt-truncated")));
            }
            if rest[0] != 0 {
                return Err(malformed(msg!(
                    FORMATS,
                    "png-compressed",
                    keyword = keyword
                )));
            }
            let rest = &rest[2..];
            let lang = split(rest).ok_or_else(|| malformed(msg!(FORMATS, "png-itxt-truncated")))?;
            let rest = &rest[lang + 1..];
            let translated =
                split(rest).ok_or_else(|| malformed(msg!(FORMATS, "png-itxt-truncated")))?;
            let text = std::str::from_utf8(&rest[translated + 1..])
                .map_err(|_| malformed(msg!(FORMATS, "png-not-utf8", keyword = &keyword)))?;
            Ok(Some((keyword, text.to_string())))
        }
        _ => Ok(None),
    }
}

/// Finds the text of the first text chunk whose keyword is one of `keywords`.
pub fn find_text(bytes: &[u8], keywords: &[&str]) -> Result<Option<(String, String)>> {
    let mut found: Option<(String, String)> = None;
    for chunk in chunks(bytes)? {
        if let Some((k, t)) = text_chunk(&chunk)?
            && keywords.contains(&k.as_str())
        {
            // Two badges in one image: which one a tool reads depends on the tool.
            if let Some((first, _)) = &found {
                return Err(malformed(msg!(
                    FORMATS,
                    "png-two-badges",
                    first = first,
                    second = k
                )));
            }
            found = Some((k, t));
        }
    }
    Ok(found)
}

/// A copy of the PNG with an uncompressed `iTXt` chunk `keyword` holding `text` right after
/// `IHDR`, and without any other text chunk whose keyword is in `replace`.
pub fn with_itxt(bytes: &[u8], keyword: &str, text: &str, replace: &[&str]) -> Result<Vec<u8>> {
    let chunks = chunks(bytes)?;
    let mut out = Vec::with_capacity(bytes.len() + text.len() + 64);
    out.extend_from_slice(&SIGNATURE);
    for chunk in &chunks {
        if let Some((k, _)) = text_chunk(chunk).ok().flatten()
            && replace.contains(&k.as_str())
        {
            continue;
        }
        out.extend_from_slice(&bytes[chunk.span.0..chunk.span.1]);
        if &chunk.kind == b"IHDR" {
            let mut data = Vec::with_capacity(keyword.len() + text.len() + 5);
            data.extend_from_slice(keyword.as_bytes());
            data.extend_from_slice(&[0, 0, 0, 0, 0]);
            data.extend_from_slice(text.as_bytes());
            let len = u32::try_from(data.len())
                .map_err(|_| malformed(msg!(FORMATS, "png-text-too-large")))?;
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(b"iTXt");
            out.extend_from_slice(&data);
            out.extend_from_slice(&crc_of(b"iTXt", &data).to_be_bytes());
        }
    }
    Ok(out)
}

/// A minimal valid 1×1 PNG (grey), for tests and examples.
pub fn tiny_png() -> Vec<u8> {
    let mut out = SIGNATURE.to_vec();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc_of(kind, data).to_be_bytes());
    };
    chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    // zlib stream of one scanline: filter 0, pixel 0x80.
    chunk(
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff, 0x00, 0x80, 0x00, 0x82, 0x00, 0x81,
        ],
    );
    chunk(b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bake_and_find_text() {
        let png = tiny_png();
        assert!(chunks(&png).is_ok());
        let baked = with_itxt(
            &png,
            "openbadgecredential",
            "{\"a\":1}",
            &["openbadgecredential"],
        )
        .unwrap();
        assert_eq!(
            find_text(&baked, &["openbadgecredential"])
                .unwrap()
                .unwrap()
                .1,
            "{\"a\":1}"
        );
        let again = with_itxt(
            &baked,
            "openbadgecredential",
            "{\"b\":2}",
            &["openbadgecredential"],
        )
        .unwrap();
        assert_eq!(
            find_text(&again, &["openbadgecredential"])
                .unwrap()
                .unwrap()
                .1,
            "{\"b\":2}"
        );
        assert_eq!(again.len(), baked.len());
        assert!(find_text(&png, &["openbadgecredential"]).unwrap().is_none());
    }

    #[test]
    fn damaged_pngs_are_refused() {
        let png = with_itxt(&tiny_png(), "openbadges", "x", &[]).unwrap();
        assert!(chunks(&png[..png.len() - 3]).is_err());
        let mut bad = png.clone();
        bad[40] ^= 1;
        assert!(chunks(&bad).is_err());
        assert!(chunks(b"GIF89a").is_err());
    }
}
