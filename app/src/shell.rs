//! The frame the page painted from its HTML before the app came (`index.html`; the server
//! paints some pages ahead with their first view: `e2e/frames.mjs`). A person may already
//! be typing and clicking in it: the app takes what they typed and where they were, and
//! does their clicks again, which the page's script only remembered.

use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};

/// What can hold the focus (a link reached with Tab, a field), to give it back by rank.
const FOCUSABLE: &str = "a[href], button, input, textarea, select, [tabindex]";

/// What a person did in the painted frame: each field's id and value (a text, or a choice
/// in a list), the field they were in, and the controls they clicked (by their rank among
/// the controls the page's script watches: the app draws the same page, so the same rank
/// is the same control).
pub struct Actions {
    fields: Vec<(String, JsValue)>,
    /// The rank among [`FOCUSABLE`] of what had the focus (the skip link has no id).
    focused: Option<u32>,
    clicks: Vec<u32>,
    /// The selector of the controls whose clicks `app/painted.js` remembers, which it
    /// publishes with them: the rule written once, there.
    controls: Option<String>,
}

/// Removes the painted frame, if there is one, and says what was typed in it.
pub fn take_over() -> Option<Actions> {
    let shell = document().get_element_by_id("coquille")?;
    let mut fields = Vec::new();
    if let Ok(all) =
        shell.query_selector_all("input:not([type=checkbox]):not([type=radio]), textarea, select")
    {
        for field in (0..all.length()).filter_map(|i| all.item(i)) {
            let Some(element) = field.dyn_ref::<web_sys::Element>() else {
                continue;
            };
            let value = js_sys::Reflect::get(&field, &"value".into()).unwrap_or_default();
            if !element.id().is_empty() && value.as_string().is_some_and(|v| !v.is_empty()) {
                fields.push((element.id(), value));
            }
        }
    }
    let focused = document()
        .active_element()
        .filter(|active| shell.contains(Some(active)))
        .and_then(|active| {
            let all = shell.query_selector_all(FOCUSABLE).ok()?;
            (0..all.length()).find(|&i| all.item(i).is_some_and(|node| node == *active))
        });
    let painted = |name: &str| js_sys::Reflect::get(&leptos::prelude::window(), &name.into());
    let controls = painted("controlesAvantApp")
        .ok()
        .and_then(|c| c.as_string());
    let remembered = painted("clicsAvantApp");
    let clicks = remembered
        .ok()
        .and_then(|list| list.dyn_into::<js_sys::Array>().ok())
        .map(|list| {
            list.iter()
                .filter_map(|rank| rank.as_f64())
                .map(|rank| rank as u32)
                .collect()
        })
        .unwrap_or_default();
    // Gone in the same task as the app draws its own, so that no frame shows neither.
    shell.remove();
    Some(Actions {
        fields,
        focused,
        clicks,
        controls,
    })
}

impl Actions {
    /// Gives the app's fields, drawn under the same ids, what was typed, as if typed there
    /// (an `input` event: the app's state and its live hints follow), and the focus; then
    /// clicks what was clicked (a box ticked, "Valider" or Enter: the app sends the form).
    pub fn give_back(self) {
        // The app's controls as it drew them, the same as the painted page's: what was typed
        // may add some (a hint's one-click fix) before the control clicked.
        let drawn = |selector: &str| document().body()?.query_selector_all(selector).ok();
        let controls = self.controls.as_deref().and_then(drawn);
        let focusable = drawn(FOCUSABLE);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        for (id, value) in self.fields {
            let Some(field) = document().get_element_by_id(&id) else {
                continue;
            };
            let _ = js_sys::Reflect::set(&field, &"value".into(), &value);
            // A list's choice is heard on `change`, a text on `input`.
            let heard = if field.tag_name() == "SELECT" {
                "change"
            } else {
                "input"
            };
            if let Ok(event) = web_sys::Event::new_with_event_init_dict(heard, &init) {
                let _ = field.dispatch_event(&event);
            }
        }
        let focused = self
            .focused
            .zip(focusable)
            .and_then(|(rank, all)| all.item(rank));
        if let Some(field) = focused.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = field.focus();
        }
        let Some(controls) = controls else {
            return;
        };
        for rank in self.clicks {
            if let Some(control) = controls
                .item(rank)
                .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok())
            {
                control.click();
            }
        }
    }
}
