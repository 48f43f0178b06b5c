//! Any bytes as a directory file: no panic; every accepted line's client number is valid
//! and every line is either imported or reported.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../../server/src/domain/directory.rs"]
#[allow(dead_code)]
mod directory;

fuzz_target!(|file: &[u8]| {
    if let Ok(read) = directory::read(file) {
        for record in &read.records {
            assert!(inscription_shared::ClientNumber::parse(record.client_number.as_str()).is_ok());
        }
        for rejected in &read.rejected {
            assert!(rejected.line >= 2 && !rejected.reason.is_empty());
        }
    }
});
