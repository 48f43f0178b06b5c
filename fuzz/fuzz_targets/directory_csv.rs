//! Any bytes as a directory file: no panic; every accepted line's client number is valid
//! and every line is either imported or reported: the records and the rejected lines
//! together are as many as the file's non-blank data rows, counted here by reading the
//! file again as plain CSV, with no rule of the reader.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../../server/src/domain/directory.rs"]
#[allow(dead_code)]
mod directory;

/// The file's data rows that hold something (a row the CSV reader cannot read counts).
fn data_rows(file: &[u8]) -> usize {
    let text = String::from_utf8_lossy(file);
    let text = text.trim_start_matches('\u{feff}');
    let header = text.lines().next().unwrap_or_default();
    let delimiter = if header.contains(';') { b';' } else { b',' };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .filter(|row| match row {
            Ok(row) => !row.iter().all(|f| f.trim().is_empty()),
            Err(_) => true,
        })
        .count()
}

fuzz_target!(|file: &[u8]| {
    if let Ok(read) = directory::read(file) {
        for record in &read.records {
            assert!(inscription_shared::ClientNumber::parse(record.client_number.as_str()).is_ok());
        }
        for rejected in &read.rejected {
            assert!(rejected.line >= 2 && !rejected.reason.is_empty());
        }
        assert_eq!(read.records.len() + read.rejected.len(), data_rows(file));
    }
});
