//! Text encoding detection for CSV exports.
//!
//! Order of evidence: a byte-order mark (UTF-8, UTF-16LE/BE); UTF-16 without a BOM
//! (NUL bytes in every other position); valid UTF-8; otherwise `chardetng`, which tells
//! Windows-1251 (amoCRM, Bitrix24) from Windows-1252 (Excel on western Windows) and
//! friends. A NUL byte in a single-byte text means the file is not text at all.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// The result of looking at the head of a file.
#[derive(Debug, Clone, Copy)]
pub struct Detected {
    pub encoding: &'static Encoding,
    pub bom: bool,
}

/// Looks up an encoding by any WHATWG label (`cp1251`, `windows-1252`, `utf-16le`, `latin1`).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    Encoding::for_label(label.as_bytes()).or_else(|| {
        // Common spellings outside the WHATWG list.
        match label.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "cp1251" | "win1251" | "windows1251" => Some(encoding_rs::WINDOWS_1251),
            "cp1252" | "win1252" | "windows1252" => Some(encoding_rs::WINDOWS_1252),
            "utf16" => Some(UTF_16LE),
            _ => None,
        }
    })
}

/// Detects the encoding of `head`, the first bytes of a file. `complete` says whether
/// `head` is the whole file (so a cut multi-byte character at the end is an error).
pub fn detect(head: &[u8], complete: bool) -> Result<Detected, usize> {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return Ok(Detected {
            encoding,
            bom: true,
        });
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return Ok(Detected {
            encoding,
            bom: false,
        });
    }
    // NUL bytes: a binary file has many; a text export may carry a rare one in a
    // note (pasted from elsewhere), which is no reason to refuse the whole file.
    let nuls = memchr::memchr_iter(0, head).count();
    if nuls > 0 && nuls * 1000 >= head.len() {
        return Err(memchr::memchr(0, head).unwrap_or(0));
    }
    let (multibyte, invalid) = utf8_stats(head, complete);
    // Valid UTF-8, or UTF-8 with a few stray legacy bytes (a pasted `é` in an otherwise
    // UTF-8 export): read as UTF-8 and let the checks report the bad values. A text
    // with no multi-byte characters at all is a legacy single-byte encoding.
    if invalid == 0 || multibyte > invalid {
        return Ok(Detected {
            encoding: UTF_8,
            bom: false,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, complete);
    let mut encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    // A multi-byte guess on little text (Big5, Shift_JIS: their second bytes include
    // `|`, `@` and letters) can swallow a delimiter or a quote into a character and
    // shift every field after it. A CSV's structure bytes must survive decoding;
    // where they do not, the text is a single-byte one.
    if !encoding.is_single_byte() && !keeps_structure(encoding, head) {
        encoding = encoding_rs::WINDOWS_1252;
    }
    Ok(Detected {
        encoding,
        bom: false,
    })
}

/// Whether decoding `head` keeps every quote, delimiter and line break it holds.
fn keeps_structure(encoding: &'static Encoding, head: &[u8]) -> bool {
    const STRUCTURE: [u8; 10] = [
        b'"', b',', b';', b'\t', b'|', b'`', b'^', b'~', b'\n', b'\r',
    ];
    let (text, _) = encoding.decode_without_bom_handling(head);
    STRUCTURE
        .iter()
        .all(|b| memchr::memchr_iter(*b, head).count() == text.bytes().filter(|c| c == b).count())
}

/// Counts valid multi-byte UTF-8 characters and invalid byte sequences in `bytes`.
fn utf8_stats(mut bytes: &[u8], complete: bool) -> (usize, usize) {
    let (mut multibyte, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                return (multibyte, invalid);
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                multibyte += std::str::from_utf8(valid)
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        bytes = &rest[n..];
                    }
                    // A character cut by the end of the sample is fine.
                    None => {
                        invalid += usize::from(complete);
                        return (multibyte, invalid);
                    }
                }
            }
        }
    }
}

/// UTF-16 text without a BOM has NUL in the high byte of nearly every ASCII character.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    if odd * 10 >= pairs * 6 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 6 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multi_byte_guess_that_swallows_a_delimiter_is_refused() {
        // One windows-1251 `Я` before a `|`: chardetng reads the pair as one Big5
        // character.
        let head = b"Col0|Col1|Col2|Col3\n\xdf|\"|\"||\n|||";
        let detected = detect(head, true).unwrap();
        assert!(
            detected.encoding.is_single_byte(),
            "{}",
            detected.encoding.name()
        );
    }

    #[test]
    fn detects_boms_and_legacy_encodings() {
        assert_eq!(
            detect(b"\xEF\xBB\xBFId,Name\n", true).unwrap().encoding,
            UTF_8
        );
        let utf16: Vec<u8> = "Id,Name\n1,Ann\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&utf16, true).unwrap().encoding, UTF_16LE);
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251
            .encode("Имя;Фамилия;Компания\nИван;Петров;ООО Ромашка\nМария;Иванова;АО Звезда\n");
        assert_eq!(
            detect(&cp1251, true).unwrap().encoding,
            encoding_rs::WINDOWS_1251
        );
        assert_eq!(detect(b"Id,Name\n1,\x00\x01\x02", true).unwrap_err(), 10);
        // Pure ASCII plus one legacy byte: a single-byte Windows code page that reads it as `é`.
        let legacy = detect(b"Id,Name\n1,Ren\xe9\n", true).unwrap().encoding;
        assert_eq!(legacy.decode(b"Ren\xe9").0, "René");
        // Real UTF-8 with one stray legacy byte: still UTF-8.
        let mixed = "Id,Name\n1,José\n2,Zoë\n3,Ren\u{1}\n".replace('\u{1}', "");
        let mut bytes = mixed.into_bytes();
        bytes.extend_from_slice(b"\xe9\n");
        assert_eq!(detect(&bytes, true).unwrap().encoding, UTF_8);
    }

    #[test]
    fn labels_include_windows_spellings() {
        assert_eq!(
            encoding_for_label("cp1251"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(
            encoding_for_label("latin1"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(encoding_for_label("klingon"), None);
    }
}
