//! A temporary file holding the attachment chunks of a large record while it arrives, so a
//! record of any size is received without holding it in memory. The chunks are sealed (AES-GCM
//! under the record's key) as they travel and as they are stored: the file holds nothing
//! readable, and it is deleted when dropped (an unnamed temporary file where the system has
//! them).

use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use musette_core::replica::BlobChunk;

/// Chunks spooled to a temporary file.
pub struct Spool {
    file: BufWriter<std::fs::File>,
}

/// The longest attachment id accepted in a spooled chunk.
const MAX_ID: usize = 255;

impl Spool {
    /// A new, empty spool.
    pub fn new() -> std::io::Result<Spool> {
        Ok(Spool {
            file: BufWriter::new(tempfile::tempfile()?),
        })
    }

    /// Appends chunks: (attachment id, index, sealed data).
    pub fn push(&mut self, blobs: &[BlobChunk]) -> std::io::Result<()> {
        for BlobChunk(att, idx, data) in blobs {
            if att.len() > MAX_ID {
                return Err(std::io::Error::other("an attachment id is too long"));
            }
            self.file.write_all(&[att.len() as u8])?;
            self.file.write_all(att.as_bytes())?;
            self.file.write_all(&idx.to_be_bytes())?;
            self.file.write_all(&(data.len() as u64).to_be_bytes())?;
            self.file.write_all(data)?;
        }
        Ok(())
    }

    /// The chunks, in the order pushed.
    pub fn chunks(self) -> musette_core::Result<Chunks> {
        let io = |e: std::io::Error| musette_core::Error::Io {
            context: musette_core::msg!(crate::SYNC, "spool-read-back"),
            source: e,
        };
        let mut file = self.file.into_inner().map_err(|e| io(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        Ok(Chunks {
            file: BufReader::new(file),
        })
    }
}

/// The chunks of a [`Spool`], read back one at a time.
pub struct Chunks {
    file: BufReader<std::fs::File>,
}

impl Chunks {
    fn next_chunk(&mut self) -> std::io::Result<Option<BlobChunk>> {
        let mut len = [0u8; 1];
        match self.file.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut att = vec![0u8; usize::from(len[0])];
        self.file.read_exact(&mut att)?;
        let mut idx = [0u8; 8];
        self.file.read_exact(&mut idx)?;
        let mut size = [0u8; 8];
        self.file.read_exact(&mut size)?;
        let size = usize::try_from(u64::from_be_bytes(size))
            .ok()
            .filter(|s| *s <= crate::wire::MAX_FRAME)
            .ok_or_else(|| std::io::Error::other("a spooled chunk is too large"))?;
        let mut data = vec![0u8; size];
        self.file.read_exact(&mut data)?;
        let att = String::from_utf8(att).map_err(std::io::Error::other)?;
        Ok(Some(BlobChunk(att, u64::from_be_bytes(idx), data)))
    }
}

impl Iterator for Chunks {
    type Item = musette_core::Result<BlobChunk>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_chunk()
            .map_err(|e| musette_core::Error::Io {
                context: musette_core::msg!(crate::SYNC, "spool-read-back"),
                source: e,
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn chunks_come_back_in_order_and_a_cut_file_is_an_error() {
        let mut s = Spool::new().unwrap();
        let chunks: Vec<BlobChunk> = (0..5)
            .map(|i| BlobChunk(format!("att{}", i % 2), i, vec![i as u8; 1000 + i as usize]))
            .collect();
        s.push(&chunks[..2]).unwrap();
        s.push(&chunks[2..]).unwrap();
        let back: Vec<_> = s.chunks().unwrap().map(Result::unwrap).collect();
        assert_eq!(back, chunks);
        assert!(Spool::new().unwrap().chunks().unwrap().next().is_none());
        assert!(
            Spool::new()
                .unwrap()
                .push(&[BlobChunk("x".repeat(300), 0, vec![])])
                .is_err()
        );
    }
}
