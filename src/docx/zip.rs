//! The zip container of a Word document: a writer that gives the same
//! bytes for the same parts, and a reader that refuses what is not a
//! plausible document before it inflates anything.
//!
//! Our own, over flate2 and crc32fast (which Typst already builds), rather
//! than the `zip` crate: a document needs deflate, stored entries and the
//! central directory, nothing else, and the writer must fix every
//! timestamp and the order of the parts. The reader trusts the central
//! directory (Word and LibreOffice write sizes there even when they stream
//! the entries), refuses encryption, ZIP64 and multi-disk archives, and
//! inflates a part only up to the size the directory declares and the caps
//! below allow, so a zip bomb is an error after a bounded amount of work.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

/// The time every entry is stamped with: 1980-01-01 00:00, the earliest a
/// zip can say (MS-DOS date 1980-01-01 is `0x0021`, time 00:00 is `0`).
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = 0x0021;

/// No returned draft comes near these; a file past them is not one.
/// The file itself.
pub(crate) const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// How many parts it may hold (Word writes about twenty).
const MAX_ENTRIES: usize = 4096;
/// What one part may inflate to.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// What a part may inflate to, times its compressed size, once it is past
/// [`RATIO_FLOOR`]: XML compresses about ten times, a bomb a thousand.
const MAX_RATIO: u64 = 200;
/// Parts smaller than this are never called bombs.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// Writes parts, in the order given, into a zip with fixed timestamps:
/// the same parts give the same bytes.
pub(crate) fn write(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in parts {
        let crc = crc32fast::hash(data);
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
        // Writing to a Vec cannot fail.
        let compressed =
            encoder.write_all(data).and_then(|()| encoder.finish()).unwrap_or_default();
        let offset = out.len() as u32;
        let name = name.as_bytes();
        // Local file header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0x0800u16.to_le_bytes()); // flags: UTF-8 names
        out.extend_from_slice(&8u16.to_le_bytes()); // deflate
        out.extend_from_slice(&DOS_TIME.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(compressed.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field
        out.extend_from_slice(name);
        out.extend_from_slice(&compressed);
        // Its entry in the central directory.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        central.extend_from_slice(&20u16.to_le_bytes()); // version needed
        central.extend_from_slice(&0x0800u16.to_le_bytes());
        central.extend_from_slice(&8u16.to_le_bytes());
        central.extend_from_slice(&DOS_TIME.to_le_bytes());
        central.extend_from_slice(&DOS_DATE.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&(compressed.len() as u32).to_le_bytes());
        central.extend_from_slice(&(data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out
}

/// Why a file could not be read as a zip; the message says it to a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ZipError(pub(crate) String);

fn refuse<T>(message: impl Into<String>) -> Result<T, ZipError> {
    Err(ZipError(message.into()))
}

/// One part of a zip, as its directory describes it.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    /// Where its local header is.
    offset: usize,
}

/// A zip read into its directory; parts are inflated when asked for.
#[derive(Debug)]
pub(crate) struct Archive<'a> {
    bytes: &'a [u8],
    entries: Vec<Entry>,
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The first bytes of an OLE compound file: an encrypted Word document,
/// or a Word 97-2003 `.doc`.
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl<'a> Archive<'a> {
    /// Reads the directory of a zip.
    pub(crate) fn read(bytes: &'a [u8]) -> Result<Self, ZipError> {
        if bytes.starts_with(OLE) {
            return refuse(
                "it is an encrypted (password-protected) Word document, or an old .doc: \
                 save it again as a Word document (.docx) without a password",
            );
        }
        if bytes.len() > MAX_FILE_BYTES {
            return refuse(format!(
                "it is larger than {} MiB, far more than any letter",
                MAX_FILE_BYTES >> 20
            ));
        }
        if !bytes.starts_with(b"PK\x03\x04") {
            return refuse("it is not a Word document (.docx): it is not a zip file");
        }
        // The end of central directory record is in the last 64 KiB + 22.
        let search_from = bytes.len().saturating_sub(22 + 0xFFFF);
        let Some(end) = (search_from..bytes.len().saturating_sub(21))
            .rev()
            .find(|&at| u32_at(bytes, at) == Some(0x0605_4b50))
        else {
            return refuse(
                "it is not a complete zip file (no central directory): is it cut short?",
            );
        };
        let broken = || ZipError("its zip directory is damaged".into());
        let disk = u16_at(bytes, end + 4).ok_or_else(broken)?;
        let directory_disk = u16_at(bytes, end + 6).ok_or_else(broken)?;
        let count = u16_at(bytes, end + 10).ok_or_else(broken)? as usize;
        let directory_size = u32_at(bytes, end + 12).ok_or_else(broken)? as usize;
        let directory_offset = u32_at(bytes, end + 16).ok_or_else(broken)?;
        if disk != 0 || directory_disk != 0 {
            return refuse("it is a zip split over several files");
        }
        if count == 0xFFFF || directory_offset == 0xFFFF_FFFF {
            return refuse("it is a ZIP64 archive, which no Word document needs");
        }
        if count > MAX_ENTRIES {
            return refuse(format!("it holds {count} files; a Word document holds a few dozen"));
        }
        let directory_offset = directory_offset as usize;
        if directory_offset.checked_add(directory_size).is_none_or(|e| e > end) {
            return Err(broken());
        }
        let mut entries = Vec::with_capacity(count);
        let mut at = directory_offset;
        for _ in 0..count {
            if u32_at(bytes, at) != Some(0x0201_4b50) {
                return Err(broken());
            }
            let flags = u16_at(bytes, at + 8).ok_or_else(broken)?;
            let method = u16_at(bytes, at + 10).ok_or_else(broken)?;
            let crc = u32_at(bytes, at + 16).ok_or_else(broken)?;
            let compressed = u32_at(bytes, at + 20).ok_or_else(broken)?;
            let size = u32_at(bytes, at + 24).ok_or_else(broken)?;
            let name_len = u16_at(bytes, at + 28).ok_or_else(broken)? as usize;
            let extra_len = u16_at(bytes, at + 30).ok_or_else(broken)? as usize;
            let comment_len = u16_at(bytes, at + 32).ok_or_else(broken)? as usize;
            let offset = u32_at(bytes, at + 42).ok_or_else(broken)?;
            let name = bytes.get(at + 46..at + 46 + name_len).ok_or_else(broken)?;
            if flags & 1 != 0 {
                return refuse("it is encrypted: save it again without a password");
            }
            if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                return refuse("it is a ZIP64 archive, which no Word document needs");
            }
            entries.push(Entry {
                name: String::from_utf8_lossy(name).into_owned(),
                method,
                crc,
                compressed: u64::from(compressed),
                size: u64::from(size),
                offset: offset as usize,
            });
            at += 46 + name_len + extra_len + comment_len;
        }
        Ok(Self { bytes, entries })
    }

    /// A part's bytes, inflated; `None` if there is no such part.
    pub(crate) fn part(&self, name: &str) -> Result<Option<Vec<u8>>, ZipError> {
        let Some(entry) = self.entries.iter().find(|e| e.name == name) else { return Ok(None) };
        if entry.size > MAX_PART_BYTES {
            return refuse(format!(
                "its part {name} is {} MiB uncompressed; no letter comes near {} MiB",
                entry.size >> 20,
                MAX_PART_BYTES >> 20
            ));
        }
        if entry.size > RATIO_FLOOR && entry.size / entry.compressed.max(1) > MAX_RATIO {
            return refuse(format!(
                "its part {name} would inflate {} times: a zip bomb, not a document",
                entry.size / entry.compressed.max(1)
            ));
        }
        let broken = || ZipError(format!("its part {name} is damaged"));
        let local = entry.offset;
        if u32_at(self.bytes, local) != Some(0x0403_4b50) {
            return Err(broken());
        }
        let name_len = u16_at(self.bytes, local + 26).ok_or_else(broken)? as usize;
        let extra_len = u16_at(self.bytes, local + 28).ok_or_else(broken)? as usize;
        let start = local + 30 + name_len + extra_len;
        let end = start.checked_add(entry.compressed as usize).ok_or_else(broken)?;
        let data = self.bytes.get(start..end).ok_or_else(broken)?;
        let mut out = Vec::with_capacity(entry.size as usize);
        match entry.method {
            0 => out.extend_from_slice(data),
            8 => {
                // Never more than the directory declares, whatever the stream says.
                let mut reader = DeflateDecoder::new(data).take(entry.size + 1);
                reader.read_to_end(&mut out).map_err(|_| broken())?;
            }
            other => return refuse(format!("its part {name} is compressed with method {other}")),
        }
        if out.len() as u64 != entry.size || crc32fast::hash(&out) != entry.crc {
            return Err(broken());
        }
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_as_written_and_the_bytes_are_fixed() {
        let parts: &[(&str, &[u8])] =
            &[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", &[b'x'; 5000])];
        let zip = write(parts);
        assert_eq!(zip, write(parts));
        let archive = Archive::read(&zip).unwrap();
        assert_eq!(archive.part("[Content_Types].xml").unwrap().unwrap(), b"<Types/>");
        assert_eq!(archive.part("word/document.xml").unwrap().unwrap(), vec![b'x'; 5000]);
        assert_eq!(archive.part("nothing").unwrap(), None);
    }

    #[test]
    fn what_is_not_a_document_is_refused() {
        let message = |bytes: &[u8]| Archive::read(bytes).unwrap_err().0;
        assert!(message(b"hello").contains("not a zip"));
        assert!(message(&[OLE, &[0; 504]].concat()).contains("encrypted"));
        let zip = write(&[("a", b"abc")]);
        assert!(message(&zip[..zip.len() - 30]).contains("cut short"));
    }

    #[test]
    fn a_bomb_is_refused_before_it_is_inflated() {
        let zip = write(&[("word/document.xml", &vec![b'a'; 8 * 1024 * 1024])]);
        let archive = Archive::read(&zip).unwrap();
        assert!(archive.part("word/document.xml").unwrap_err().0.contains("zip bomb"));
    }

    #[test]
    fn a_part_that_lies_about_its_size_is_damaged() {
        let mut zip = write(&[("a", &[b'z'; 100])]);
        // Declare 10 bytes in the central directory.
        let at = zip.windows(4).rposition(|w| w == [0x50, 0x4b, 0x01, 0x02]).unwrap();
        zip[at + 24..at + 28].copy_from_slice(&10u32.to_le_bytes());
        let archive = Archive::read(&zip).unwrap();
        assert!(archive.part("a").unwrap_err().0.contains("damaged"));
    }
}
