//! Cutting an export into blocks of whole rows, so that the rows of one file can be parsed on
//! every core at once and put back in file order.
//!
//! A row may hold a line break inside a quoted cell, so a block may only end at a line break that
//! is outside quotes. `RecordScanner` follows quotes exactly as the csv crate reads them; the
//! bytes it looks for (quote, delimiter, line feed) never occur inside a multi-byte character of
//! UTF-8 or GB18030, so it works on the raw bytes of either encoding.

/// Where a scan of CSV bytes stands, as the csv crate would read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteState {
    /// At the start of a cell (a quote here opens a quoted cell).
    CellStart,
    /// Inside an unquoted cell (a quote here is an ordinary character).
    Unquoted,
    /// Inside a quoted cell.
    Quoted,
    /// Just after a quote inside a quoted cell: `""` is an escaped quote, anything else closes it.
    QuoteInQuoted,
}

/// Follows the quoting of a CSV byte stream to find where rows end.
#[derive(Debug, Clone)]
pub struct RecordScanner {
    delimiter: u8,
    state: QuoteState,
}

impl RecordScanner {
    /// A scanner at the start of a row.
    pub fn new(delimiter: u8) -> Self {
        RecordScanner {
            delimiter,
            state: QuoteState::CellStart,
        }
    }

    /// Where the scan stands after every byte given so far.
    pub fn state(&self) -> QuoteState {
        self.state
    }

    /// Scan `bytes`, which follow everything scanned before. Returns the offset just past the last
    /// line feed in `bytes` that ends a row (is outside quotes), if there is one.
    pub fn scan(&mut self, bytes: &[u8]) -> Option<usize> {
        // Most exports quote nothing: with no quote byte, every line feed ends a row.
        let unquoted_start = matches!(self.state, QuoteState::CellStart | QuoteState::Unquoted);
        if unquoted_start && memchr::memchr(b'"', bytes).is_none() {
            let last_end = memchr::memrchr(b'\n', bytes).map(|at| at + 1);
            let tail = &bytes[last_end.unwrap_or(0)..];
            self.state = match tail.last() {
                None if last_end.is_some() => QuoteState::CellStart,
                None => self.state,
                Some(&byte) if byte == self.delimiter => QuoteState::CellStart,
                Some(_) => QuoteState::Unquoted,
            };
            return last_end;
        }
        let mut last_end = None;
        for (at, &byte) in bytes.iter().enumerate() {
            self.state = match self.state {
                QuoteState::CellStart | QuoteState::Unquoted | QuoteState::QuoteInQuoted
                    if byte == b'\n' =>
                {
                    last_end = Some(at + 1);
                    QuoteState::CellStart
                }
                QuoteState::CellStart if byte == b'"' => QuoteState::Quoted,
                QuoteState::QuoteInQuoted if byte == b'"' => QuoteState::Quoted,
                QuoteState::Quoted if byte == b'"' => QuoteState::QuoteInQuoted,
                QuoteState::Quoted => QuoteState::Quoted,
                _ if byte == self.delimiter => QuoteState::CellStart,
                _ => QuoteState::Unquoted,
            };
        }
        last_end
    }
}

/// The rows of text that holds no quote, read exactly as the csv crate reads them (records end at
/// a line feed, empty lines are skipped, cells are cut at every delimiter) but without its
/// byte-by-byte state machine: with no quote there is nothing to unescape.
pub struct UnquotedRows<'t> {
    text: &'t [u8],
    delimiter: u8,
    /// Offset of the next line.
    at: usize,
    /// Lines passed so far.
    lines: u64,
}

impl<'t> UnquotedRows<'t> {
    /// The rows of `text`, which must hold no `"`.
    pub fn new(text: &'t [u8], delimiter: u8) -> Self {
        debug_assert!(memchr::memchr(b'"', text).is_none());
        UnquotedRows {
            text,
            delimiter,
            at: 0,
            lines: 0,
        }
    }

    /// The next row: the lines before it in the text (0 for a row on the text's first line) and
    /// its bytes, its cells' places put in `bounds`; `None` after the last row.
    pub fn next_row(&mut self, bounds: &mut Vec<(usize, usize)>) -> Option<(u64, &'t [u8])> {
        loop {
            let rest = self.text.get(self.at..).filter(|rest| !rest.is_empty())?;
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let row = &rest[..end];
            let lines_before = self.lines;
            self.at += end + 1;
            self.lines += 1;
            if row.is_empty() {
                continue;
            }
            bounds.clear();
            let mut start = 0;
            // A plain loop: cells are short, and a vector search per cell costs more to start
            // than it saves.
            for (at, &byte) in row.iter().enumerate() {
                if byte == self.delimiter {
                    bounds.push((start, at));
                    start = at + 1;
                }
            }
            bounds.push((start, row.len()));
            return Some((lines_before, row));
        }
    }
}

/// One row's cells, however the row was read: each cell a slice of the row's bytes.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    bytes: &'a [u8],
    bounds: &'a [(usize, usize)],
}

impl<'a> Row<'a> {
    /// A row of `bytes` whose cells lie at `bounds` (start, end).
    pub fn new(bytes: &'a [u8], bounds: &'a [(usize, usize)]) -> Self {
        Row { bytes, bounds }
    }

    /// The row the csv crate read into `record`; `bounds` is filled with its cells' places.
    pub fn of_record(record: &'a csv::ByteRecord, bounds: &'a mut Vec<(usize, usize)>) -> Self {
        bounds.clear();
        let mut at = 0;
        for cell in record {
            bounds.push((at, at + cell.len()));
            at += cell.len();
        }
        // The record keeps its cells one after another in `as_slice`, in order.
        Row {
            bytes: record.as_slice(),
            bounds,
        }
    }

    /// How many cells it has.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// Cell `index`, if the row has one.
    pub fn get(&self, index: usize) -> Option<&'a [u8]> {
        let &(start, end) = self.bounds.get(index)?;
        self.bytes.get(start..end)
    }

    /// Its cells, in order.
    pub fn cells(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let bytes = self.bytes;
        self.bounds
            .iter()
            .map(move |&(start, end)| &bytes[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Offsets of every row end, scanning `bytes` in pieces of `piece` bytes.
    fn row_ends(bytes: &[u8], piece: usize) -> (Vec<usize>, QuoteState) {
        let mut scanner = RecordScanner::new(b',');
        let mut ends = Vec::new();
        for (index, chunk) in bytes.chunks(piece).enumerate() {
            let base = index * piece;
            // Every line feed outside quotes is a row end: find them all by scanning line by line.
            let mut start = 0;
            while start < chunk.len() {
                let stop =
                    memchr::memchr(b'\n', &chunk[start..]).map_or(chunk.len(), |at| start + at + 1);
                if let Some(end) = scanner.scan(&chunk[start..stop]) {
                    ends.push(base + start + end);
                }
                start = stop;
            }
        }
        (ends, scanner.state())
    }

    #[test]
    fn line_feeds_inside_quotes_do_not_end_rows() {
        let text = b"a,b\n1,\"x\ny\"\n2,\"say \"\"hi\"\"\n!\"\n3,4\n";
        for piece in 1..text.len() {
            let (ends, state) = row_ends(text, piece);
            assert_eq!(ends, vec![4, 12, 29, 33], "piece {piece}");
            assert_eq!(state, QuoteState::CellStart);
        }
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_an_ordinary_character() {
        // 5" is five inches, not the start of a quoted cell (the csv crate reads it the same way).
        let text = b"a,b\n1,5\"\n2,3\n";
        let (ends, state) = row_ends(text, text.len());
        assert_eq!(ends, vec![4, 9, 13]);
        assert_eq!(state, QuoteState::CellStart);
    }

    #[test]
    fn an_unclosed_quote_is_still_open_at_the_end() {
        let text = b"a,b\n1,\"open\n2,3\n";
        let (ends, state) = row_ends(text, text.len());
        assert_eq!(ends, vec![4]);
        assert_eq!(state, QuoteState::Quoted);
    }

    #[test]
    fn text_after_a_closing_quote_continues_the_cell_unquoted() {
        let text = b"1,\"a\"b\"\n2\n";
        let (ends, _) = row_ends(text, text.len());
        assert_eq!(ends, vec![8, 10]);
    }

    #[test]
    fn fast_path_keeps_the_state_of_a_partial_row() {
        let mut scanner = RecordScanner::new(b',');
        assert_eq!(scanner.scan(b"1,2\n3,"), Some(4));
        assert_eq!(scanner.state(), QuoteState::CellStart);
        assert_eq!(scanner.scan(b"\"x\ny\",5\n"), Some(8));
        assert_eq!(scanner.scan(b"abc"), None);
        assert_eq!(scanner.state(), QuoteState::Unquoted);
        assert_eq!(scanner.scan(b"\"\n"), Some(2));
    }

    /// The records the csv crate reads (as `read::rows` configures it) from `text`.
    fn csv_records(text: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        reader
            .byte_records()
            .map(|r| {
                r.map(|r| r.iter().map(<[u8]>::to_vec).collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    fn unquoted_records(text: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut rows = UnquotedRows::new(text, delimiter);
        let mut bounds = Vec::new();
        let mut out = Vec::new();
        while let Some((line, bytes)) = rows.next_row(&mut bounds) {
            let row = Row::new(bytes, &bounds);
            out.push((line, row.cells().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    #[test]
    fn a_csv_record_is_a_row_of_the_same_cells() {
        let record = csv::ByteRecord::from(vec!["(2021)豫0302民初1号", "", "2021-01-05"]);
        let mut bounds = Vec::new();
        let row = Row::of_record(&record, &mut bounds);
        assert_eq!(row.len(), 3);
        assert_eq!(row.get(0), Some("(2021)豫0302民初1号".as_bytes()));
        assert_eq!(row.get(1), Some(b"".as_slice()));
        assert_eq!(row.get(2), Some(b"2021-01-05".as_slice()));
        assert_eq!(row.get(3), None);
    }

    #[test]
    fn unquoted_rows_keep_their_lines_and_empty_cells() {
        let text = "a,b\n\n中,,\r\n\r\nx".as_bytes();
        let rows = unquoted_records(text, b',');
        let cells = |v: &[&str]| v.iter().map(|c| c.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            rows,
            vec![
                (0, cells(&["a", "b"])),
                (2, cells(&["中", "", "\r"])),
                (3, cells(&["\r"])),
                (4, cells(&["x"])),
            ]
        );
    }

    proptest::proptest! {
        /// Without quotes, the direct split reads the records the csv crate reads.
        #[test]
        fn unquoted_rows_are_the_csv_crates_records(
            text in "[a中;,\t \r\n]{0,60}",
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
        ) {
            let ours: Vec<_> = unquoted_records(text.as_bytes(), delimiter)
                .into_iter()
                .map(|(_, cells)| cells)
                .collect();
            proptest::prop_assert_eq!(ours, csv_records(text.as_bytes(), delimiter));
        }
    }
}
