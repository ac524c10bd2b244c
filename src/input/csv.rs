//! CSV/TSV reading: encoding, delimiter sniffing, BOM, Excel's `sep=` line, and the
//! record loop with one reader per input.
//!
//! The `csv` crate does the parsing (quoted multi-line cells, CRLF, doubled quotes);
//! `flexible` is on so a ragged row reaches the checks as a finding instead of stopping
//! the scan. Legacy encodings are decoded to UTF-8 on the fly with `encoding_rs_io`, so
//! the parser and the checks only ever see UTF-8 (or invalid bytes, in a file that
//! claimed to be UTF-8, which the checks report).

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};

use csv::ByteRecord;
use encoding_rs::{Encoding, UTF_8};

use super::encoding::{self, Detected};
use super::{BatchSender, Error, Header, InputSpec, ReadOptions, Source};

/// Bytes looked at for encoding and delimiter detection.
const HEAD_BYTES: usize = 256 * 1024;

/// Delimiters tried when sniffing, in order of preference on a tie.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

pub(super) fn read(
    spec: &InputSpec,
    options: &ReadOptions,
    sender: &mut BatchSender<'_>,
) -> Result<(), Error> {
    let open_err = |source| Error::Open {
        path: spec.name.clone(),
        source,
    };
    let mut source: Box<dyn ReadSeek> = match &spec.source {
        Source::Csv(path) => Box::new(File::open(path).map_err(open_err)?),
        Source::Stdin => {
            let mut all = Vec::new();
            io::stdin().read_to_end(&mut all).map_err(open_err)?;
            Box::new(Cursor::new(all))
        }
        Source::Sqlite { .. } => unreachable!("SQLite inputs have their own reader"),
    };

    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut source)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(open_err)?;
    if head.is_empty() {
        return Err(Error::Empty {
            path: spec.name.clone(),
        });
    }
    let complete = head.len() < HEAD_BYTES;
    let detected = match options.encoding {
        Some(encoding) => Detected {
            encoding,
            bom: Encoding::for_bom(&head).is_some(),
        },
        None => encoding::detect(&head, complete).map_err(|offset| Error::Binary {
            path: spec.name.clone(),
            offset,
        })?,
    };
    let (text, _, _) = detected.encoding.decode(&head);
    let (sep_line, sniffed) = sniff_delimiter(&text, complete);
    let delimiter = options.delimiter.or(sep_line).unwrap_or(sniffed);

    source.seek(SeekFrom::Start(0)).map_err(open_err)?;
    let reader: Box<dyn Read + Send> = if detected.encoding == UTF_8 {
        if detected.bom {
            source.seek(SeekFrom::Start(3)).map_err(open_err)?;
        }
        Box::new(source)
    } else {
        Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(detected.encoding))
                .build(source),
        )
    };
    // Records end at `\n`: with the default CRLF terminator, csv-core reports each
    // record of a CRLF file one line early (it takes the position before consuming the
    // `\n` of the previous `\r\n`). The `\r` left at the end of the last field is
    // whitespace, and values are trimmed. Only old-Mac files with bare `\r` need CR.
    let terminator = if text.contains('\n') {
        csv::Terminator::Any(b'\n')
    } else {
        csv::Terminator::CRLF
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        .from_reader(reader);

    let read_err = |line: u64, source| Error::Read {
        path: spec.name.clone(),
        line,
        source,
    };
    let mut record = ByteRecord::new();
    let mut header_line;
    loop {
        if !rdr
            .read_byte_record(&mut record)
            .map_err(|e| read_err(1, e))?
        {
            return Err(Error::Empty {
                path: spec.name.clone(),
            });
        }
        header_line = record.position().map_or(1, csv::Position::line);
        // Excel's `sep=;` hint line comes before the header.
        if sep_line.is_some()
            && header_line == 1
            && record.get(0).is_some_and(|f| f.starts_with(b"sep="))
        {
            continue;
        }
        break;
    }
    let columns = record
        .iter()
        .map(|f| {
            String::from_utf8_lossy(f)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_owned()
        })
        .collect();
    let header = Header {
        columns,
        format: "csv",
        encoding: Some(detected.encoding.name().to_owned()),
        bom: detected.bom,
        delimiter: Some(char::from(delimiter).to_string()),
        line: header_line,
    };
    if !sender.header(header) {
        return Ok(());
    }

    let mut last_line = header_line;
    loop {
        let mut record = sender.record();
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(read_err(last_line + 1, e)),
        }
        let line = record.position().map_or(last_line + 1, csv::Position::line);
        last_line = line;
        // A line of only whitespace (often a lone `\r`) is a blank line, not a record.
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if !sender.push(record, line) {
            return Ok(());
        }
    }
    sender.flush();
    Ok(())
}

/// Returns the delimiter named by an Excel `sep=X` first line, and the sniffed one.
///
/// Sniffing counts each candidate outside quotes on the first lines and picks the one
/// that splits the most lines into the same number of fields (more than one).
fn sniff_delimiter(text: &str, complete: bool) -> (Option<u8>, u8) {
    let text = text.trim_start_matches('\u{feff}');
    let sep_line = text
        .strip_prefix("sep=")
        .and_then(|r| r.bytes().next())
        .filter(|b| b.is_ascii() && *b != b'\n' && *b != b'\r');

    let mut lines: Vec<[usize; CANDIDATES.len()]> = Vec::new();
    let mut counts = [0usize; CANDIDATES.len()];
    let mut in_quotes = false;
    let mut ended_cleanly = true;
    let body = if sep_line.is_some() {
        text.split_once('\n').map_or("", |(_, rest)| rest)
    } else {
        text
    };
    for c in body.chars() {
        ended_cleanly = false;
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes => {
                lines.push(counts);
                counts = [0; CANDIDATES.len()];
                ended_cleanly = true;
                if lines.len() >= 100 {
                    break;
                }
            }
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|d| u32::from(*d) == c as u32) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    // The last line of a cut sample may be partial; of a whole file it counts.
    if !ended_cleanly && (complete || lines.is_empty()) {
        lines.push(counts);
    }

    let mut best = (0usize, 0usize, b',');
    for (i, delimiter) in CANDIDATES.iter().enumerate() {
        let mut freq: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for line in &lines {
            *freq.entry(line[i]).or_default() += 1;
        }
        // The most common non-zero count, and how many lines have it.
        let Some((&count, &agree)) = freq
            .iter()
            .filter(|(c, _)| **c > 0)
            .max_by_key(|(c, n)| (**n, **c))
        else {
            continue;
        };
        if (agree, count) > (best.0, best.1) {
            best = (agree, count, *delimiter);
        }
    }
    (sep_line, best.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n", true).1, b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;\"2,5\";3\n", true).1, b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2,5\t3\n", true).1, b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n", true).1, b'|');
        assert_eq!(
            sniff_delimiter("Name;Amount\nAcme;1,5\nBeta;2,5\n", true).1,
            b';'
        );
        assert_eq!(sniff_delimiter("only\none\n", true).1, b',');
        assert_eq!(
            sniff_delimiter("sep=;\na;b\n1;2\n", true),
            (Some(b';'), b';')
        );
    }

    #[test]
    fn quoted_newlines_do_not_split_lines() {
        let text = "Id;Note;Amount\n1;\"line one\nline, two, three\";5\n2;x;6\n";
        assert_eq!(sniff_delimiter(text, true).1, b';');
    }
}
