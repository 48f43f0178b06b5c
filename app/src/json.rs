//! Reads JSON that the browser has parsed (`Response.json()`, `JSON.parse`) into the shared
//! types, with serde. serde-wasm-bindgen did this too, but its errors spell out serde's
//! messages ("invalid type: floating point `1.5`, expected …"): that formatting put float
//! and string formatting, and their tables, into the wasm: 8–9 KB brotli of each bundle
//! (issue 6). The app never shows those messages: a malformed answer is "the service does
//! not answer". Writing JSON for requests stays with serde-wasm-bindgen's serializer.

use js_sys::{Array, Object};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// A value that is not what the type expects. How it is wrong helps nobody on the page.
#[derive(Debug)]
pub struct Malformed;

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("malformed JSON")
    }
}

impl std::error::Error for Malformed {}

impl de::Error for Malformed {
    fn custom<T: std::fmt::Display>(_message: T) -> Self {
        Malformed
    }
}

/// `T` from a parsed JSON value.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, Malformed> {
    T::deserialize(Value(value))
}

/// Above this, a JSON number is not an exact integer in JavaScript (2^53).
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

struct Value(JsValue);

impl<'de> de::Deserializer<'de> for Value {
    type Error = Malformed;

    /// JSON's six kinds of value; serde's derived visitors take it from there.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        let value = self.0;
        if value.is_null() || value.is_undefined() {
            visitor.visit_unit()
        } else if let Some(boolean) = value.as_bool() {
            visitor.visit_bool(boolean)
        } else if let Some(number) = value.as_f64() {
            if number.fract() == 0.0 && number.abs() < EXACT_INTEGERS {
                visitor.visit_i64(number as i64)
            } else {
                visitor.visit_f64(number)
            }
        } else if let Some(text) = value.as_string() {
            visitor.visit_string(text)
        } else if Array::is_array(&value) {
            visitor.visit_seq(Items {
                items: value.unchecked_into(),
                next: 0,
            })
        } else if value.is_object() {
            visitor.visit_map(Members {
                members: Object::entries(value.unchecked_ref()),
                next: 0,
                value: None,
            })
        } else {
            Err(Malformed)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Malformed> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        visitor.visit_newtype_struct(self)
    }

    /// The API's enums are unit variants, which serde writes as their name.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Malformed> {
        let name = self.0.as_string().ok_or(Malformed)?;
        visitor.visit_enum(IntoDeserializer::<Malformed>::into_deserializer(name))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An array's items, in order.
struct Items {
    items: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Malformed;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Malformed> {
        if self.next >= self.items.length() {
            return Ok(None);
        }
        let item = self.items.get(self.next);
        self.next += 1;
        seed.deserialize(Value(item)).map(Some)
    }
}

/// An object's members, as `Object.entries` lists them: `[name, value]` pairs.
struct Members {
    members: Array,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Members {
    type Error = Malformed;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Malformed> {
        if self.next >= self.members.length() {
            return Ok(None);
        }
        let member: Array = self.members.get(self.next).unchecked_into();
        self.next += 1;
        self.value = Some(member.get(1));
        let name = member.get(0).as_string().ok_or(Malformed)?;
        seed.deserialize(IntoDeserializer::<Malformed>::into_deserializer(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Malformed> {
        let value = self.value.take().ok_or(Malformed)?;
        seed.deserialize(Value(value))
    }
}
