//! CSV text in chunks of whole records, so parsing runs on the workers, not on one
//! reader thread.
//!
//! The reader thread only finds record boundaries ([`record_end`]): it skips ordinary
//! bytes with `memchr` and follows the csv crate's quoting rules (a quote opens a quoted
//! field only at the start of a field; `""` inside one is a literal quote), which is
//! many times cheaper than parsing. Workers then parse each [`Chunk`] with the csv crate
//! itself ([`Chunk::for_each_record`]), so field splitting, quoting and line numbers are
//! the csv crate's, exactly as if the file had been read in one piece.
//!
//! A quoted field that runs past `max_quoted_lines` lines, or to the end of the file,
//! is a stray quote (a `5'11"` in a note, a broken export): the record it opened in is
//! re-read with that quote taken as text, flagged on the record, and the scan goes on
//! from there instead of swallowing the rest of the file into one field.

use std::sync::Arc;

use csv::ByteRecord;
use memchr::{memchr, memchr_iter, memchr2};

/// How a CSV input is split into fields and records.
#[derive(Debug, Clone, Copy)]
pub struct CsvFormat {
    pub delimiter: u8,
    /// The record terminator: `\n` (CRLF files keep the `\r` at the end of the last
    /// field, which trimming removes), or `\r` for old-Mac files without `\n`.
    pub terminator: u8,
}

impl CsvFormat {
    /// A delimiter as a user writes it (`;`, `tab`, `\t`): one ASCII character that is
    /// not a quote or a line break.
    pub fn parse_delimiter(s: &str) -> Option<u8> {
        match s {
            "tab" | "\\t" | "\t" => Some(b'\t'),
            _ if s.len() == 1 && !matches!(s.as_bytes()[0], b'"' | b'\n' | b'\r') => {
                s.as_bytes().first().copied().filter(u8::is_ascii)
            }
            _ => None,
        }
    }

    fn reader<'b>(&self, bytes: &'b [u8], quoting: bool) -> csv::Reader<&'b [u8]> {
        let terminator = if self.terminator == b'\n' {
            csv::Terminator::Any(b'\n')
        } else {
            csv::Terminator::CRLF
        };
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .terminator(terminator)
            .quoting(quoting)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes)
    }
}

/// Whole records of CSV text, with the line the first one starts on.
#[derive(Debug)]
pub struct Chunk {
    pub bytes: Vec<u8>,
    pub first_line: u64,
    pub format: Arc<CsvFormat>,
    /// For a single record with quotes that never close: their byte offsets (read as
    /// text) and the line the first one is on.
    pub stray_quotes: Option<(Vec<usize>, u64)>,
    /// Rows the reader found in `bytes` (records and whitespace-only lines, not empty
    /// lines): what parsing must yield, or records were lost or merged.
    pub rows: usize,
}

/// A record as [`Chunk::for_each_copy`] hands it over.
pub enum Copied<'a> {
    /// Its text (line ending included), one field per delimiter and no quotes.
    Text { raw: &'a [u8], fields: usize },
    /// Parsed: it has quotes, or came from a reader of parsed records.
    Record(&'a ByteRecord),
}

/// How a record was read, besides its fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordFlags {
    /// The line of a quote in the record that opened a field that never closed (it was
    /// read as text).
    pub stray_quote_line: Option<u64>,
}

impl Chunk {
    /// Parses each record into `record` and calls `f` with it, its 1-based line and its
    /// flags. Blank lines are not records. Returns the rows parsed, blank ones included,
    /// to compare with [`Chunk::rows`].
    pub fn for_each_record(
        &self,
        record: &mut ByteRecord,
        mut f: impl FnMut(&ByteRecord, u64, RecordFlags),
    ) -> usize {
        if let Some((quotes, line)) = &self.stray_quotes {
            split_with_literal_quotes(&self.bytes, self.format.delimiter, quotes, record);
            if !is_blank(record) {
                let flags = RecordFlags {
                    stray_quote_line: Some(*line),
                };
                f(record, self.first_line, flags);
            }
            return 1;
        }
        let mut rows = 0;
        let mut rdr = self.format.reader(&self.bytes, true);
        let mut last_line = self.first_line;
        // Reading bytes from a slice with `flexible` on cannot fail.
        let term = self.format.terminator;
        while rdr.read_byte_record(record).unwrap_or(false) {
            // The csv crate positions a record after blank lines at the first blank
            // line: count the blank lines it skipped.
            let line = record.position().map_or(last_line + 1, |p| {
                let start = usize::try_from(p.byte()).unwrap_or(usize::MAX);
                let skipped = self
                    .bytes
                    .get(start..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .filter(|b| **b == term)
                    .count() as u64;
                self.first_line + p.line() - 1 + skipped
            });
            last_line = line;
            rows += 1;
            if is_blank(record) {
                continue;
            }
            f(record, line, RecordFlags::default());
        }
        rows
    }

    /// The chunk's records as they stand in its text, for writers that copy records
    /// whole: a record on one line with no quote and no carriage return but its line
    /// ending's is handed over as text with its field count, without parsing; any other
    /// is parsed (as [`Chunk::for_each_record`] would). Blank lines are no records.
    /// Returns the rows seen, blank ones included, to compare with [`Chunk::rows`].
    pub fn for_each_copy(&self, record: &mut ByteRecord, mut f: impl FnMut(Copied<'_>)) -> usize {
        if self.stray_quotes.is_some() || self.format.terminator != b'\n' {
            return self.for_each_record(record, |r, _, _| f(Copied::Record(r)));
        }
        let bytes = &self.bytes[..];
        let delimiter = self.format.delimiter;
        let mut rows = 0;
        let mut pos = 0;
        while pos < bytes.len() {
            let end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i + 1);
            let line = &bytes[pos..end];
            let mut text = line.strip_suffix(b"\n").unwrap_or(line);
            text = text.strip_suffix(b"\r").unwrap_or(text);
            if text.is_empty() {
                // An empty line: the CSV reader yields nothing for it.
                pos = end;
                continue;
            }
            if memchr2(b'"', b'\r', text).is_none() {
                rows += 1;
                let fields = memchr_iter(delimiter, text).count() + 1;
                let blank = fields == 1 && text.iter().all(u8::is_ascii_whitespace);
                if !blank {
                    f(Copied::Text { raw: line, fields });
                }
                pos = end;
                continue;
            }
            // Quotes: parse this one record, wherever it ends.
            let mut rdr = self.format.reader(&bytes[pos..], true);
            if !rdr.read_byte_record(record).unwrap_or(false) {
                break;
            }
            let len = usize::try_from(rdr.position().byte()).unwrap_or(0).max(1);
            rows += 1;
            if !is_blank(record) {
                f(Copied::Record(record));
            }
            pos += len;
        }
        rows
    }

    /// Whether parsing yielded the rows the reader found; `None` when it did, else a
    /// description of the difference.
    pub fn unaccounted(&self, parsed: usize) -> Option<String> {
        (parsed != self.rows).then(|| {
            format!(
                "{} rows were delimited from line {} on but {parsed} were parsed: records would be lost",
                self.rows, self.first_line
            )
        })
    }
}

/// Whether a record found by [`record_end`] is a row the csv crate yields: every line
/// but an empty one (a lone terminator), which it skips.
pub fn is_row(record: &[u8], format: &CsvFormat) -> bool {
    record != [format.terminator]
}

/// A line of only whitespace (often a lone `\r`) is a blank line, not a record.
fn is_blank(record: &ByteRecord) -> bool {
    record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace)
}

/// Where the record at the start of `bytes` ends.
#[derive(Debug, PartialEq, Eq)]
pub enum RecordEnd {
    /// The record is `bytes[..len]` (terminator included) and spans `lines` lines.
    Complete { len: usize, lines: u64 },
    /// More bytes are needed to find the end.
    Incomplete,
    /// The quote at this offset opens a field that does not close within the limit
    /// (or before the end of the input); `line` is its line within the record (0 =
    /// the record's first line).
    StrayQuote { quote: usize, line: u64 },
}

/// Finds the end of the record starting at `bytes[0]`. `eof`: no bytes follow.
pub fn record_end(
    bytes: &[u8],
    format: &CsvFormat,
    max_quoted_lines: u64,
    eof: bool,
    literal_quotes: &[usize],
) -> RecordEnd {
    let term = format.terminator;
    let count_lines = |b: &[u8]| memchr_iter(term, b).count() as u64;
    let mut i = 0;
    let mut lines = 0u64;
    loop {
        let Some(off) = memchr2(b'"', term, &bytes[i..]) else {
            return if eof && !bytes.is_empty() {
                RecordEnd::Complete {
                    len: bytes.len(),
                    lines: lines + 1,
                }
            } else {
                RecordEnd::Incomplete
            };
        };
        let j = i + off;
        if bytes[j] == term {
            return RecordEnd::Complete {
                len: j + 1,
                lines: lines + 1,
            };
        }
        let at_field_start = j == 0 || bytes[j - 1] == format.delimiter;
        if !at_field_start || literal_quotes.contains(&j) {
            i = j + 1;
            continue;
        }
        // A quoted field: its end is the first quote not doubled. It must come before
        // the terminator that would make it longer than the limit.
        let limit = memchr_iter(term, &bytes[j..])
            .nth(usize::try_from(max_quoted_lines).unwrap_or(usize::MAX))
            .map(|p| j + p);
        let mut k = j + 1;
        let close = loop {
            let scan_end = limit.unwrap_or(bytes.len());
            match memchr(b'"', &bytes[k..scan_end]) {
                Some(off) => {
                    let c = k + off;
                    match bytes.get(c + 1) {
                        Some(b'"') => k = c + 2,
                        None if !eof => return RecordEnd::Incomplete,
                        _ => {
                            // A field that closes with text after its quote (`"note 5 …
                            // "note 15`) was not opened by this quote, when it spans
                            // lines: two stray quotes would otherwise swallow the records
                            // between them.
                            let rest = &bytes[c + 1..];
                            // Spaces after the quote are padding, unless space is the
                            // delimiter.
                            let pad = if format.delimiter == b' ' { 0 } else { b' ' };
                            let next = rest.iter().position(|b| *b != pad || pad == 0);
                            let closes = match next {
                                None => eof,
                                Some(n) => {
                                    matches!(rest[n], b'\r')
                                        || rest[n] == term
                                        || rest[n] == format.delimiter
                                }
                            };
                            if next.is_none() && !eof {
                                return RecordEnd::Incomplete;
                            }
                            if !closes && memchr(term, &bytes[j..c]).is_some() {
                                return RecordEnd::StrayQuote {
                                    quote: j,
                                    line: count_lines(&bytes[..j]),
                                };
                            }
                            break c;
                        }
                    }
                }
                None if limit.is_some() || eof => {
                    return RecordEnd::StrayQuote {
                        quote: j,
                        line: count_lines(&bytes[..j]),
                    };
                }
                None => return RecordEnd::Incomplete,
            }
        };
        lines += count_lines(&bytes[j..close]);
        i = close + 1;
    }
}

/// Splits one record by hand, honouring quotes except those at `literal` (stray quotes,
/// read as text).
pub fn split_with_literal_quotes(
    bytes: &[u8],
    delimiter: u8,
    literal: &[usize],
    record: &mut ByteRecord,
) {
    record.clear();
    let mut field: Vec<u8> = Vec::new();
    let mut i = 0;
    let end = bytes
        .iter()
        .rposition(|b| !matches!(b, b'\n' | b'\r'))
        .map_or(0, |p| p + 1);
    let mut at_start = true;
    while i < end {
        let b = bytes[i];
        if at_start && b == b'"' && !literal.contains(&i) {
            // A quoted field; the splitter found its end.
            i += 1;
            while i < end {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        field.push(b'"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                field.push(bytes[i]);
                i += 1;
            }
            at_start = false;
            continue;
        }
        if b == delimiter {
            record.push_field(&field);
            field.clear();
            at_start = true;
        } else {
            field.push(b);
            at_start = false;
        }
        i += 1;
    }
    record.push_field(&field);
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMAT: CsvFormat = CsvFormat {
        delimiter: b',',
        terminator: b'\n',
    };

    fn end(text: &str, eof: bool) -> RecordEnd {
        record_end(text.as_bytes(), &FORMAT, 3, eof, &[])
    }

    #[test]
    fn finds_record_ends_the_way_the_csv_crate_reads_them() {
        assert_eq!(
            end("a,b\nc", false),
            RecordEnd::Complete { len: 4, lines: 1 }
        );
        assert_eq!(
            end("1,\"two\nlines\",x\n2", false),
            RecordEnd::Complete { len: 16, lines: 2 }
        );
        // A quote inside an unquoted field is text.
        assert_eq!(
            end("5'11\",tall\n", false),
            RecordEnd::Complete { len: 11, lines: 1 }
        );
        // A doubled quote inside a quoted field does not close it.
        assert_eq!(
            end("\"a \"\"b\"\" c\",d\n", false),
            RecordEnd::Complete { len: 14, lines: 1 }
        );
        // Text after a closing quote on another line: the opening quote was stray.
        assert_eq!(
            end("1,\"x\n2,y\n3,\"z\n", true),
            RecordEnd::StrayQuote { quote: 2, line: 0 }
        );
        // On one line it is the csv crate's to read (`"a"b` is the field `ab`).
        assert_eq!(
            end("1,\"a\"b,c\n", true),
            RecordEnd::Complete { len: 9, lines: 1 }
        );
        // With space as the delimiter, the space after a quote is the delimiter.
        let spaced = CsvFormat {
            delimiter: b' ',
            terminator: b'\n',
        };
        assert_eq!(
            record_end(b"1 \"a\nb\" c\n", &spaced, 1000, true, &[]),
            RecordEnd::Complete { len: 10, lines: 2 }
        );
        // Spaces after a closing quote are fine.
        assert_eq!(
            end("1,\"a\nb\" ,c\n", true),
            RecordEnd::Complete { len: 11, lines: 2 }
        );
        assert_eq!(end("a,b", false), RecordEnd::Incomplete);
        assert_eq!(end("a,b", true), RecordEnd::Complete { len: 3, lines: 1 });
        assert_eq!(end("a,\"b\n", false), RecordEnd::Incomplete);
    }

    #[test]
    fn a_quote_open_too_long_is_stray() {
        // Limit 3 lines: the quote's field would span more.
        assert_eq!(
            end("1,\"x\n2,y\n3,z\n4,w\n5,v\n", false),
            RecordEnd::StrayQuote { quote: 2, line: 0 }
        );
        assert_eq!(
            end("1,\"x\n2,y\n", true),
            RecordEnd::StrayQuote { quote: 2, line: 0 }
        );
        let chunk = Chunk {
            bytes: b"1,\"x,\"a,b\",z\n".to_vec(),
            first_line: 7,
            format: Arc::new(FORMAT),
            stray_quotes: Some((vec![2], 7)),
            rows: 1,
        };
        let mut record = ByteRecord::new();
        let mut seen = Vec::new();
        chunk.for_each_record(&mut record, |r, line, flags| {
            let fields: Vec<String> = r
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            seen.push((fields, line, flags.stray_quote_line));
        });
        let fields = ["1", "\"x", "a,b", "z"].map(String::from).to_vec();
        assert_eq!(seen, [(fields, 7, Some(7))]);
    }

    #[test]
    fn chunks_number_lines_from_their_start() {
        let chunk = Chunk {
            bytes: b"1,a\n\n2,\"b\nc\"\n3,d\n".to_vec(),
            first_line: 10,
            format: Arc::new(FORMAT),
            stray_quotes: None,
            rows: 3,
        };
        let mut record = ByteRecord::new();
        let mut lines = Vec::new();
        let parsed = chunk.for_each_record(&mut record, |_, line, _| lines.push(line));
        assert_eq!(lines, [10, 12, 14]);
        // The empty line is no row; the reader's count and the parse agree.
        assert_eq!(chunk.unaccounted(parsed), None);
        assert!(chunk.unaccounted(parsed + 1).is_some());
    }
}
