//! Any contact form: no panic, and a form that passes names no faulty field.
#![no_main]
use inscription_shared::contact::ContactRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|fields: (String, String, String, String, String)| {
    let (name, email, client_number, subject, message) = fields;
    let form = ContactRequest {
        name,
        email,
        client_number,
        subject,
        message,
        captcha: String::new(),
    };
    match form.validate() {
        Ok(checked) => assert!(!checked.message.is_empty()),
        Err(errors) => assert!(!errors.is_empty()),
    }
});
