//! Reading a body as a JSON value that refuses duplicate keys. serde_json keeps the last of
//! two equal keys, so `{"amount_minor": 1, "amount_minor": 100000}` would be read one way by
//! Outlay and maybe another by a proxy or a log in front of it: a body says one thing or is
//! refused, naming the key.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A JSON value whose objects, at every depth, have distinct keys.
pub struct Strict(pub Value);

/// The message of a duplicate key; `Body` turns it into a 400 naming the key.
pub const DUPLICATE: &str = "appears more than once in the body";

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json never hands over a non-finite float; `Null` would be its own answer too.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(value) = map.next_value()?;
            if fields.contains_key(&key) {
                return Err(de::Error::custom(format!("`{key}` {DUPLICATE}")));
            }
            fields.insert(key, value);
        }
        Ok(Value::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, String> {
        serde_json::from_str::<Strict>(text)
            .map(|s| s.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn distinct_keys_read_as_serde_json_reads_them() {
        let text =
            r#"{"a": 1, "b": [true, null, -2, 2.5, "x", {"c": {}}], "d": 18446744073709551615}"#;
        assert_eq!(
            read(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn a_duplicate_key_at_any_depth_is_refused_naming_it() {
        let e = read(r#"{"amount_minor": 1, "amount_minor": 100000}"#).unwrap_err();
        assert!(
            e.starts_with("`amount_minor` appears more than once"),
            "{e}"
        );
        let e = read(r#"{"rules": [{"above": 1, "steps": [], "above": 2}]}"#).unwrap_err();
        assert!(e.starts_with("`above` appears more than once"), "{e}");
        // The same key in two different objects is fine.
        assert!(read(r#"{"a": {"k": 1}, "b": {"k": 2}}"#).is_ok());
    }
}
