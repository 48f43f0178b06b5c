//! The frame the page painted from its HTML before the app came (`index.html`; the server
//! paints some pages ahead with their first view: `e2e/frames.mjs`). A person may already
//! be typing in it: the app takes what they typed and where they were with the frame.

use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};

/// What a person typed in the painted frame: each text field's id and value, and the
/// field they were in. Boxes ticked there are not carried: ticking one may start
/// something (the CAPTCHA) that the app starts itself when it is ticked again.
pub struct Typed {
    fields: Vec<(String, JsValue)>,
    focused: Option<String>,
}

/// Removes the painted frame, if there is one, and says what was typed in it.
pub fn take_over() -> Option<Typed> {
    let shell = document().get_element_by_id("coquille")?;
    let mut fields = Vec::new();
    if let Ok(all) =
        shell.query_selector_all("input:not([type=checkbox]):not([type=radio]), textarea")
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
        .map(|active| active.id())
        .filter(|id| !id.is_empty());
    // Gone in the same task as the app draws its own, so that no frame shows neither.
    shell.remove();
    Some(Typed { fields, focused })
}

impl Typed {
    /// Gives the app's fields, drawn under the same ids, what was typed, as if typed there
    /// (an `input` event: the app's state and its live hints follow), and the focus.
    pub fn give_back(self) {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        for (id, value) in self.fields {
            let Some(field) = document().get_element_by_id(&id) else {
                continue;
            };
            let _ = js_sys::Reflect::set(&field, &"value".into(), &value);
            if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) {
                let _ = field.dispatch_event(&event);
            }
        }
        let focused = self
            .focused
            .and_then(|id| document().get_element_by_id(&id));
        if let Some(field) = focused.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = field.focus();
        }
    }
}
