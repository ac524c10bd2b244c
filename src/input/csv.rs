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

use std::sync::Arc;

use csv::ByteRecord;
use encoding_rs::{Encoding, UTF_8};

use super::chunk::{Chunk, CsvFormat, RecordEnd, is_row, record_end};
use super::encoding::{self, Detected};
use super::{BATCH_SIZE, Batch, BatchSender, Error, Header, InputSpec, ReadOptions, Source};

/// Bytes looked at for encoding and delimiter detection.
const HEAD_BYTES: usize = 256 * 1024;

/// Delimiters tried when sniffing, in order of preference on a tie.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Delimiters some tools write, taken only when every sampled line agrees on them.
const RARE_DELIMITERS: [u8; 4] = [b'`', b'^', b'~', b'#'];

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
        Source::Sqlite { .. } | Source::Json { .. } | Source::Sheet { .. } => {
            unreachable!("SQLite, JSON and spreadsheet inputs have their own readers")
        }
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
    let format = Arc::new(CsvFormat {
        delimiter,
        terminator: if text.contains('\n') { b'\n' } else { b'\r' },
    });
    let mut body = Body {
        reader,
        buf: Vec::with_capacity(2 * CHUNK_BYTES),
        eof: false,
        name: &spec.name,
        terminator: format.terminator,
        terminators: 0,
        last_byte: None,
    };

    // The header: the first record, after Excel's `sep=;` hint line if there is one.
    let mut record = ByteRecord::new();
    let mut scan = 0usize;
    let mut line = 1u64;
    let header_line = loop {
        let Some((len, lines, strays)) =
            body.next_record(scan, &format, options.max_quoted_lines)?
        else {
            return Err(Error::Empty {
                path: spec.name.clone(),
            });
        };
        let bytes = &body.buf[scan..scan + len];
        parse_one(
            bytes,
            &format,
            strays.as_ref().map(|(q, _)| q.as_slice()),
            &mut record,
        );
        let this_line = line;
        scan += len;
        line += lines;
        if this_line == 1
            && sep_line.is_some()
            && record.get(0).is_some_and(|f| f.starts_with(b"sep="))
        {
            continue;
        }
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            // Blank lines before the header.
            continue;
        }
        break this_line;
    };
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
        record_type: None,
    };
    if !sender.header(header) {
        return Ok(());
    }

    // The body, in chunks of whole records; the first is parsed here (it is the sample
    // the engine profiles the input with), the others by the workers.
    let mut chunk_start = scan;
    let mut chunk_line = line;
    let mut records_in_chunk = 0usize;
    let mut rows_in_chunk = 0usize;
    let mut first = true;
    // Sends the records of `from..to` (`rows` of them, as the boundaries were found):
    // false when the engine hung up.
    let mut emit = |body: &mut Body<'_>,
                    from: usize,
                    to: usize,
                    first_line: u64,
                    stray_quotes: Option<(Vec<usize>, u64)>,
                    rows: usize,
                    first: &mut bool,
                    last: bool|
     -> Result<bool, Error> {
        if from == to {
            return Ok(true);
        }
        let chunk = Chunk {
            bytes: sender.bytes(&body.buf[from..to]),
            first_line,
            format: Arc::clone(&format),
            stray_quotes,
            rows,
        };
        if std::mem::take(first) {
            let mut batch = Batch::default();
            let mut record = sender.record();
            let parsed = chunk.for_each_record(&mut record, |r, line, flags| {
                batch.records.push(r.clone());
                batch.lines.push(line);
                batch.flags.push(flags);
            });
            if let Some(message) = chunk.unaccounted(parsed) {
                return Err(Error::Unaccounted {
                    path: spec.name.clone(),
                    message,
                });
            }
            batch.complete = last;
            Ok(sender.batch(batch))
        } else {
            Ok(sender.chunk(chunk))
        }
    };
    loop {
        let target_reached = if first {
            records_in_chunk >= BATCH_SIZE || scan - chunk_start >= 4 * CHUNK_BYTES
        } else {
            scan - chunk_start >= CHUNK_BYTES
        };
        if target_reached {
            if !emit(
                &mut body,
                chunk_start,
                scan,
                chunk_line,
                None,
                rows_in_chunk,
                &mut first,
                false,
            )? {
                return Ok(());
            }
            chunk_start = scan;
            chunk_line = line;
            records_in_chunk = 0;
            rows_in_chunk = 0;
        }
        // Keep the buffer from growing: drop what was emitted before reading more.
        if chunk_start > 0 && body.buf.len() - scan < CHUNK_BYTES / 4 && !body.eof {
            body.buf.drain(..chunk_start);
            scan -= chunk_start;
            chunk_start = 0;
        }
        let Some((len, lines, strays)) =
            body.next_record(scan, &format, options.max_quoted_lines)?
        else {
            break;
        };
        if let Some((quotes, quote_line)) = strays {
            // The record with a stray quote is a chunk of its own, read with the quote
            // as text.
            if !emit(
                &mut body,
                chunk_start,
                scan,
                chunk_line,
                None,
                rows_in_chunk,
                &mut first,
                false,
            )? {
                return Ok(());
            }
            let flagged = Some((quotes, line + quote_line));
            if !emit(
                &mut body,
                scan,
                scan + len,
                line,
                flagged,
                1,
                &mut first,
                false,
            )? {
                return Ok(());
            }
            scan += len;
            line += lines;
            chunk_start = scan;
            chunk_line = line;
            records_in_chunk = 0;
            rows_in_chunk = 0;
            continue;
        }
        rows_in_chunk += usize::from(is_row(&body.buf[scan..scan + len], &format));
        scan += len;
        line += lines;
        records_in_chunk += 1;
    }
    if !emit(
        &mut body,
        chunk_start,
        scan,
        chunk_line,
        None,
        rows_in_chunk,
        &mut first,
        true,
    )? {
        return Ok(());
    }
    // Every physical line is the header's, a record's or a blank one: the lines the
    // records were found on add up to the lines of the text.
    let physical = body.physical_lines();
    if physical != line - 1 {
        return Err(Error::Unaccounted {
            path: spec.name.clone(),
            message: format!(
                "the text has {physical} lines but the records found span {}: records would be lost",
                line - 1
            ),
        });
    }
    sender.set_physical_lines(physical);
    sender.flush();
    Ok(())
}

/// Bytes of chunk the reader hands to a worker.
const CHUNK_BYTES: usize = 1 << 20;

/// The decoded text of a CSV input, read as records are needed.
struct Body<'n> {
    reader: Box<dyn Read + Send>,
    buf: Vec<u8>,
    eof: bool,
    name: &'n str,
    /// Terminators in all text read so far, and its last byte: the physical lines.
    terminator: u8,
    terminators: u64,
    last_byte: Option<u8>,
}

impl Body<'_> {
    /// Reads up to another chunk of bytes; false at the end of the input.
    fn fill(&mut self) -> Result<bool, Error> {
        if self.eof {
            return Ok(false);
        }
        let start = self.buf.len();
        self.buf.resize(start + CHUNK_BYTES, 0);
        let mut filled = start;
        while filled < self.buf.len() {
            match self.reader.read(&mut self.buf[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    self.buf.truncate(filled);
                    return Err(Error::Open {
                        path: self.name.to_owned(),
                        source,
                    });
                }
            }
        }
        self.buf.truncate(filled);
        let new = &self.buf[start..];
        self.terminators += memchr::memchr_iter(self.terminator, new).count() as u64;
        if let Some(&b) = new.last() {
            self.last_byte = Some(b);
        }
        Ok(filled > start)
    }

    /// Lines of the text read: its terminators, and a last line without one.
    fn physical_lines(&self) -> u64 {
        self.terminators + u64::from(self.last_byte.is_some_and(|b| b != self.terminator))
    }

    /// The length and line count of the record at `scan`, with its stray quotes (their
    /// offsets within the record and the line of the first, relative to the record's
    /// first line), reading more as needed; `None` at the end of the input.
    #[allow(clippy::type_complexity)]
    fn next_record(
        &mut self,
        scan: usize,
        format: &CsvFormat,
        max_quoted_lines: u64,
    ) -> Result<Option<(usize, u64, Option<(Vec<usize>, u64)>)>, Error> {
        let mut strays: Vec<usize> = Vec::new();
        let mut first_stray_line = 0;
        loop {
            if scan >= self.buf.len() && !self.fill()? {
                return Ok(None);
            }
            match record_end(
                &self.buf[scan..],
                format,
                max_quoted_lines,
                self.eof,
                &strays,
            ) {
                RecordEnd::Complete { len, lines } => {
                    let strays = (!strays.is_empty()).then_some((strays, first_stray_line));
                    return Ok(Some((len, lines, strays)));
                }
                RecordEnd::Incomplete => {
                    self.fill()?;
                }
                RecordEnd::StrayQuote { quote, line } => {
                    if strays.is_empty() {
                        first_stray_line = line;
                    }
                    strays.push(quote);
                }
            }
        }
    }
}

/// Parses one record's bytes (the header), with any stray quotes read as text.
fn parse_one(
    bytes: &[u8],
    format: &Arc<CsvFormat>,
    strays: Option<&[usize]>,
    record: &mut ByteRecord,
) {
    let chunk = Chunk {
        bytes: bytes.to_vec(),
        first_line: 1,
        format: Arc::clone(format),
        stray_quotes: strays.map(|q| (q.to_vec(), 1)),
        rows: 1,
    };
    record.clear();
    let mut parsed = None;
    chunk.for_each_record(&mut ByteRecord::new(), |r, _, _| {
        if parsed.is_none() {
            parsed = Some(r.clone());
        }
    });
    *record = parsed.unwrap_or_else(|| ByteRecord::from(vec![""]));
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
    if best.0 == 0 && lines.len() >= 2 {
        // None of the usual delimiters: a rarer one (Data Loader's backquote, `^`, `~`)
        // counts only when every line has the same number of it.
        let body_lines: Vec<&str> = body.lines().take(lines.len()).collect();
        for delimiter in RARE_DELIMITERS {
            let count = |l: &str| l.bytes().filter(|b| *b == delimiter).count();
            let first = count(body_lines[0]);
            if first > 0 && body_lines.iter().all(|l| count(l) == first) {
                return (sep_line, delimiter);
            }
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
        assert_eq!(sniff_delimiter("a`b`c\n1`2`3\n", true).1, b'`');
        // A rare delimiter must agree on every line.
        assert_eq!(sniff_delimiter("a#b\nc\n", true).1, b',');
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
