//! Field types that validate while parsing, so that the YAML parser attaches the
//! line and column of the offending value to the error.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};

/// An absolute http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlField(pub url::Url);

impl UrlField {
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl<'de> Deserialize<'de> for UrlField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let url = url::Url::parse(&text)
            .map_err(|e| D::Error::custom(format!("invalid URL `{text}`: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(D::Error::custom(format!(
                "invalid URL `{text}`: expected an absolute http:// or https:// URL"
            )));
        }
        Ok(Self(url))
    }
}

impl Serialize for UrlField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

impl JsonSchema for UrlField {
    fn schema_name() -> Cow<'static, str> {
        "Url".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "uri", "pattern": "^https?://" })
    }
}

/// A bare DNS host name (`acme.app`), no scheme, path or port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostField(pub String);

impl HostField {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn valid_host(text: &str) -> Result<String, String> {
    let host = text.trim_end_matches('.').to_ascii_lowercase();
    let ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if ok {
        Ok(host)
    } else {
        Err(format!(
            "invalid host name `{text}`: expected a DNS name such as `acme.app` (no scheme, path or port)"
        ))
    }
}

impl<'de> Deserialize<'de> for HostField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        valid_host(&text).map(Self).map_err(D::Error::custom)
    }
}

impl Serialize for HostField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl JsonSchema for HostField {
    fn schema_name() -> Cow<'static, str> {
        "Host".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "hostname" })
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateField(pub time::Date);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        time::Date::parse(text.trim(), DATE_FORMAT)
            .map(Self)
            .map_err(|_| D::Error::custom(format!("invalid date `{text}`: expected YYYY-MM-DD")))
    }
}

impl Serialize for DateField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl std::fmt::Display for DateField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0.format(DATE_FORMAT).map_err(|_| std::fmt::Error)?;
        f.write_str(&text)
    }
}

impl JsonSchema for DateField {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date" })
    }
}
