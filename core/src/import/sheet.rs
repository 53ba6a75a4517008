//! A CSV file as rows of trimmed cells: encoding, delimiter and header row found.

use super::values::normalise;
use super::{ColumnRef, FieldColumn, HEADER_SEARCH_ROWS, ImportError, Layout};

/// The delimiters tried, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// One row of the file.
pub(crate) struct Row {
    /// The line of the file where the row starts.
    pub row: usize,
    /// The cells, trimmed; as many as the header has (missing ones empty).
    pub cells: Vec<String>,
}

impl Row {
    /// The cell of a column (empty when there is none).
    pub fn cell(&self, column: Option<&ColumnRef>) -> &str {
        column.and_then(|c| self.cells.get(c.index - 1)).map_or("", String::as_str)
    }
}

/// The file read: its layout, its header and its rows after the header.
pub(crate) struct Sheet<T> {
    pub layout: Layout,
    pub rows: Vec<Row>,
    /// What the caller's resolver made of the header.
    pub columns: T,
}

/// The columns an import found in a header row.
pub(crate) trait Resolved {
    /// The fields read and their columns, for [`Layout::columns`].
    fn used(&self) -> Vec<FieldColumn>;
}

/// Decodes the bytes: UTF-8 (a BOM is dropped), UTF-16 with its BOM, else Windows-1252.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), "utf-8-bom");
    }
    let utf16 = |rest: &[u8], le: bool| -> String {
        let units = rest.chunks(2).map(|c| match (c, le) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, true), "utf-16le");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, false), "utf-16be");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "utf-8"),
        Err(_) => (bytes.iter().map(|&b| windows_1252(b)).collect(), "windows-1252"),
    }
}

/// The character of a Windows-1252 byte (its undefined bytes as Latin-1).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Splits `text` into records with `delimiter`: (line where the record starts, cells).
/// At most `limit` records when given.
fn records(text: &str, delimiter: u8, limit: Option<usize>) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let line = lines.line_at(reader.position().byte());
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let at = record.position().map_or(line, |p| lines.line_at(p.byte()));
                let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                // A line of nothing but delimiters or spaces is an empty row.
                if cells.iter().all(String::is_empty) {
                    continue;
                }
                out.push((at, cells));
            }
            Err(e) => {
                let row = e.position().map_or(line, |p| lines.line_at(p.byte()));
                return Err(ImportError::Csv { row, message: e.to_string() });
            }
        }
    }
    Ok(out)
}

/// Line numbers of byte offsets, for offsets given in increasing order. The CSV
/// reader's own line count starts a record at the blank lines before it; here a record
/// starts at its first character (line breaks before it are skipped).
struct LineCounter<'t> {
    bytes: &'t [u8],
    at: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter { bytes: text.as_bytes(), at: 0, line: 1 }
    }

    fn line_at(&mut self, offset: u64) -> usize {
        let mut target = usize::try_from(offset).unwrap_or(usize::MAX).min(self.bytes.len());
        while self.bytes.get(target).is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            target += 1;
        }
        while self.at < target {
            match (self.bytes.get(self.at), self.bytes.get(self.at + 1)) {
                (Some(b'\n'), _) => self.line += 1,
                (Some(b'\r'), Some(b'\n')) => {}
                (Some(b'\r'), _) => self.line += 1,
                _ => {}
            }
            self.at += 1;
        }
        self.line
    }
}

/// Reads a CSV file. `resolve` is given a candidate header row (its cells and row
/// number) and says which columns it names, or why it is not the header. The first
/// of the top [`HEADER_SEARCH_ROWS`] rows it accepts, under the delimiter that lets it
/// accept the earliest row (then: the one giving the most columns), is the header.
pub(crate) fn read<T: Resolved>(
    bytes: &[u8],
    mut resolve: impl FnMut(&[String], usize) -> Result<T, ImportError>,
) -> Result<Sheet<T>, ImportError> {
    let (text, encoding) = decode(bytes);
    // (delimiter, position of the header among the records, its width, the columns).
    let mut best: Option<(u8, usize, usize, T)> = None;
    let mut first_error: Option<(usize, ImportError)> = None;
    for d in DELIMITERS {
        let Ok(top) = records(&text, d, Some(HEADER_SEARCH_ROWS)) else {
            continue;
        };
        for (k, (row, cells)) in top.iter().enumerate() {
            if best.as_ref().is_some_and(|b| (b.1, usize::MAX - b.2) <= (k, usize::MAX - cells.len())) {
                break;
            }
            match resolve(cells, *row) {
                Ok(columns) => {
                    best = Some((d, k, cells.len(), columns));
                    break;
                }
                // The most telling refusal: the one of the widest row.
                Err(e) if first_error.as_ref().is_none_or(|(w, _)| cells.len() > *w) => {
                    first_error = Some((cells.len(), e));
                }
                Err(_) => {}
            }
        }
    }
    let Some((delimiter, header_at, _, columns)) = best else {
        return Err(first_error.map(|(_, e)| e).unwrap_or(ImportError::Empty));
    };
    let all = records(&text, delimiter, None)?;
    let mut skipped_rows = Vec::new();
    let mut header: Vec<String> = Vec::new();
    let mut header_row = 0;
    let mut rows = Vec::new();
    for (k, (row, mut cells)) in all.into_iter().enumerate() {
        if k < header_at {
            skipped_rows.push(row);
            continue;
        }
        if k == header_at {
            header_row = row;
            header = cells;
            continue;
        }
        if cells.len() > header.len() {
            // Cells beyond the header are allowed when empty (a trailing delimiter).
            if let Some(extra) = cells.iter().skip(header.len()).position(|c| !c.is_empty()) {
                return Err(ImportError::TooManyCells {
                    row,
                    column: header.len() + extra + 1,
                    expected: header.len(),
                    found: cells.len(),
                });
            }
            cells.truncate(header.len());
        }
        cells.resize(header.len(), String::new());
        rows.push(Row { row, cells });
    }
    let used = columns.used();
    let ignored = header
        .iter()
        .enumerate()
        .filter(|(i, h)| !h.is_empty() && !used.iter().any(|u| u.column.index == i + 1))
        .map(|(i, h)| ColumnRef { index: i + 1, header: h.clone() })
        .collect();
    let layout =
        Layout { encoding, delimiter: char::from(delimiter), header_row, skipped_rows, columns: used, ignored };
    Ok(Sheet { layout, rows, columns })
}

/// The columns of `header` named by one of `names`, in the order of `names` (the
/// preferred name first). Two columns with the same name for the field are an error.
pub(crate) fn find(
    header: &[String],
    row: usize,
    field: &'static str,
    names: &[String],
) -> Result<Vec<ColumnRef>, ImportError> {
    let keys: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let mut found = Vec::new();
    for name in names {
        let n = normalise(name);
        if n.is_empty() {
            continue;
        }
        let mut hits = keys.iter().enumerate().filter(|(_, k)| **k == n).map(|(i, _)| i);
        if let Some(i) = hits.next() {
            let col = |i: usize| ColumnRef { index: i + 1, header: header.get(i).cloned().unwrap_or_default() };
            if let Some(j) = hits.next() {
                return Err(ImportError::DuplicateColumn { row, field, first: col(i), second: col(j) });
            }
            if !found.iter().any(|c: &ColumnRef| c.index == i + 1) {
                found.push(col(i));
            }
        }
    }
    Ok(found)
}

/// The error for a required field with no column.
pub(crate) fn missing(header: &[String], row: usize, field: &'static str, names: &[String]) -> ImportError {
    ImportError::MissingColumn {
        row,
        field,
        expected: names.to_vec(),
        found: header.iter().filter(|h| !h.is_empty()).cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_encoding_an_export_may_have() {
        assert_eq!(decode(b"\xEF\xBB\xBFPIN"), ("PIN".to_string(), "utf-8-bom"));
        assert_eq!(decode("Tanggal".as_bytes()), ("Tanggal".to_string(), "utf-8"));
        assert_eq!(decode(b"\xFF\xFEP\x00I\x00N\x00"), ("PIN".to_string(), "utf-16le"));
        assert_eq!(decode(b"\xFE\xFF\x00P\x00I\x00N"), ("PIN".to_string(), "utf-16be"));
        // Windows-1252: 0xE9 is `é`, 0x93/0x94 are curly quotes.
        assert_eq!(decode(b"Jos\xE9 \x93A\x94"), ("José “A”".to_string(), "windows-1252"));
        // An odd byte at the end of UTF-16 is a replacement character, not a panic.
        assert_eq!(decode(b"\xFF\xFEA\x00B").0, "A\u{FFFD}");
    }

    #[test]
    fn records_skip_blank_lines_and_keep_their_line_numbers() {
        let r = records("a,b\n\n1,2\n,\n\"x\ny\",3\n4,5\n", b',', None).expect("reads");
        let lines: Vec<usize> = r.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![1, 3, 5, 7]);
        assert_eq!(r[2].1, vec!["x\ny".to_string(), "3".to_string()]);
    }
}
