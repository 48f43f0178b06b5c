//! Any text in each identity field: no panic; a phone number's display form parses back.
#![no_main]
use inscription_shared::identity::{Civility, Email, JobTitle, NameField, PersonName, Phone};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|typed: &str| {
    let _ = Civility::parse(typed);
    let _ = PersonName::parse(typed, NameField::LastName);
    let _ = PersonName::parse(typed, NameField::FirstName);
    let _ = JobTitle::parse(typed);
    if let Ok(email) = Email::parse(typed) {
        let _ = email.local_part();
    }
    if let Ok(phone) = Phone::parse(typed) {
        assert_eq!(
            Phone::parse(&phone.display()).map(|p| p.display()),
            Ok(phone.display())
        );
    }
});
