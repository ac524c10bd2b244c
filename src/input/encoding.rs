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
    if let Some(offset) = head.iter().position(|b| *b == 0) {
        return Err(offset);
    }
    let valid_utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        // A character cut by the end of the sample is fine.
        Err(e) => !complete && e.error_len().is_none(),
    };
    if valid_utf8 {
        return Ok(Detected {
            encoding: UTF_8,
            bom: false,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, complete);
    Ok(Detected {
        encoding: detector.guess(None, chardetng::Utf8Detection::Allow),
        bom: false,
    })
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
    }

    #[test]
    fn labels_include_windows_spellings() {
        assert_eq!(encoding_for_label("cp1251"), Some(encoding_rs::WINDOWS_1251));
        assert_eq!(encoding_for_label("latin1"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(encoding_for_label("klingon"), None);
    }
}
