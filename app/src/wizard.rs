//! The wizard's progress between pages, kept in the tab's session storage so that a
//! refresh or the back button finds it again, and nothing outlives the tab.

use inscription_shared::bundles::STEP2_DIR;
use inscription_shared::registration::{Step1Response, Step2Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

const STEP1: &str = "inscription.etape1";
const DONE: &str = "inscription.confirmation";
/// The client number of the last step 1, kept when step 2 is cancelled.
const NUMBER: &str = "inscription.numero";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn save<T: Serialize>(key: &str, value: &T) {
    let json = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|s| s.as_string());
    if let (Some(storage), Some(json)) = (storage(), json) {
        let _ = storage.set_item(key, &json);
    }
}

fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok()??;
    let value = js_sys::JSON::parse(&text).ok()?;
    crate::json::from_value(value).ok()
}

/// Step 1 passed: its ticket, the establishment and the case.
pub fn save_step1(answer: &Step1Response) {
    save(STEP1, answer);
    save(NUMBER, &answer.client_number);
}

/// The number to show again on step 1 (after Annuler on step 2), if any.
pub fn number() -> Option<String> {
    load(NUMBER)
}

/// Annuler on step 2: back to step 1, the number kept, the ticket forgotten.
pub fn back_to_step1() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STEP1);
    }
}

/// Step 1's answer, unless the ticket has expired.
pub fn step1() -> Option<Step1Response> {
    let answer: Step1Response = load(STEP1)?;
    let now = (js_sys::Date::now() / 1000.0) as i64;
    (answer.expires_at > now).then_some(answer)
}

pub fn save_done(answer: &Step2Response) {
    save(DONE, answer);
}

pub fn done() -> Option<Step2Response> {
    load(DONE)
}

/// Annuler: forget everything of this registration.
pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STEP1);
        let _ = storage.remove_item(DONE);
        let _ = storage.remove_item(NUMBER);
    }
}

/// Fetches the second step's bundle ahead (its wasm and glue, which the server lets the
/// browser keep for good), once per page: the person who starts step 1 then goes on to
/// step 2 without waiting for it, and one who only looks never loads it. The public page
/// names its files (`scripts/build-app.sh`); a development build does not, and loads
/// step 2 when it is asked for.
pub fn fetch_step2_ahead() {
    let document = leptos::prelude::document();
    let Some(name) = crate::lender::meta("meta[name=inscription-step2]") else {
        return;
    };
    let fetched = document.query_selector("link[rel=prefetch]").ok().flatten();
    let (None, Some(body)) = (fetched, document.body()) else {
        return;
    };
    for file in [format!("{name}_bg.wasm"), format!("{name}.js")] {
        if let Ok(link) = document.create_element("link") {
            let _ = link.set_attribute("rel", "prefetch");
            let _ = link.set_attribute("href", &format!("/{STEP2_DIR}/{file}"));
            let _ = body.append_child(&link);
        }
    }
}
