//! The front-matter schema, defined once: the `Meta` struct. Everything that must
//! know the fields follows from it: the keys a post-mortem may write (`Meta::keys`,
//! from its serialization), how a front matter is read into it (`Meta::read`, one
//! `FromField` per field, made by the `schema!` macro from the struct itself), what
//! `serve` compares to decide that only one page changed (`Incident::same_outline`)
//! and what the search index compares to decide that a document changed (both read
//! the whole struct). Adding a field is a line in the struct below (with a
//! `FromField` for a type no field has yet), a template that shows it and its
//! documentation (docs/front-matter.md).

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{ActionItem, FactorRef, Timestamps, Zone};

/// The reader of one front matter, for [`Meta::read`]: each method takes the value of
/// `key` out of the front matter, reports what is wrong with it (at the key's line),
/// and returns what could be read. `parse::fields` implements it.
pub trait ReadFields {
    fn string(&mut self, key: &str) -> Option<String>;
    fn list(&mut self, key: &str) -> Vec<String>;
    fn date(&mut self, key: &str) -> Option<NaiveDate>;
    fn timestamp(&mut self, key: &str) -> Option<DateTime<FixedOffset>>;
    fn zone(&mut self, key: &str) -> Option<Zone>;
    fn factors(&mut self, key: &str) -> Vec<FactorRef>;
    fn action_items(&mut self, key: &str) -> Vec<ActionItem>;
}

/// A field's type, read from the front matter by its key.
pub trait FromField: Sized {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self;
}

impl FromField for String {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self {
        fields.string(key).unwrap_or_default()
    }
}

impl FromField for Option<String> {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self {
        fields.string(key)
    }
}

impl FromField for Vec<String> {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self {
        fields.list(key)
    }
}

impl FromField for Option<NaiveDate> {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self {
        fields.date(key)
    }
}

impl FromField for Option<DateTime<FixedOffset>> {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self {
        fields.timestamp(key)
    }
}

impl FromField for Option<Zone> {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self {
        fields.zone(key)
    }
}

impl FromField for Vec<FactorRef> {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self {
        fields.factors(key)
    }
}

impl FromField for Vec<ActionItem> {
    fn from_field(fields: &mut dyn ReadFields, key: &str) -> Self {
        fields.action_items(key)
    }
}

/// The schema struct and its reader from one list of fields: `field: Type` reads
/// the key `field`; `field: Type as "key"` reads another key (and the field's serde
/// attributes must name the same, which `tests::every_key_is_read` holds). A field
/// whose type is a struct of several keys (`Timestamps`) reads them in its
/// `FromField`.
macro_rules! schema {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_attr:meta])*
                pub $field:ident : $ty:ty $(as $key:literal)?
            ;)*
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $( $(#[$field_attr])* pub $field: $ty, )*
        }

        impl $name {
            /// The schema's fields read from a front matter, each by its key.
            pub fn read(fields: &mut dyn ReadFields) -> $name {
                $name {
                    $( $field: <$ty as FromField>::from_field(
                        fields,
                        schema!(@key $field $($key)?),
                    ), )*
                }
            }
        }
    };
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
}

schema! {
    /// A post-mortem's front matter: the schema (see the module's documentation).
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    pub struct Meta {
        /// The `title` field, else the leading `# Title`, else the file name.
        pub title: String;
        /// Stable identifier: the `slug` field, else the file name without `.md`.
        pub slug: String;
        pub date: Option<NaiveDate>;
        pub severity: Option<String>;
        pub status: Option<String>;
        pub summary: Option<String>;
        pub services: Vec<String>;
        pub teams: Vec<String>;
        pub authors: Vec<String>;
        pub tags: Vec<String>;
        /// `internal` or `public`; unset, `[edition] default-visibility` decides.
        pub visibility: Option<String>;
        /// `started`, `detected`, `mitigated`, `resolved`: each its own key.
        pub timestamps: Timestamps;
        #[serde(rename = "contributing_factors")]
        pub factors: Vec<FactorRef> as "contributing_factors";
        pub action_items: Vec<ActionItem>;
        /// Zone of timeline times written without one (`timezone` field), if set.
        pub timezone: Option<Zone>;
        /// When `incidentbook import` brought this post-mortem over from an archive
        /// written before incidentbook: what its original never recorded is then
        /// noted, not an error (`Code::NotRecorded`).
        pub imported: Option<NaiveDate>;
    }
}

impl FromField for Timestamps {
    fn from_field(fields: &mut dyn ReadFields, _: &str) -> Self {
        Timestamps {
            started: fields.timestamp("started"),
            detected: fields.timestamp("detected"),
            mitigated: fields.timestamp("mitigated"),
            resolved: fields.timestamp("resolved"),
        }
    }
}

impl Meta {
    /// The front-matter keys of the schema: each field's name, and the names of the
    /// fields of a field that is a struct (`timestamps`), as they are written.
    pub fn keys() -> &'static [String] {
        static KEYS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(Meta::default())
            else {
                unreachable!("a struct serializes as a map")
            };
            let mut keys = Vec::new();
            for (key, value) in fields {
                match value {
                    serde_json::Value::Object(inner) => keys.extend(inner.keys().cloned()),
                    _ => keys.push(key),
                }
            }
            keys
        });
        &KEYS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the keys asked for.
    #[derive(Default)]
    struct Asked(Vec<String>);

    impl ReadFields for Asked {
        fn string(&mut self, key: &str) -> Option<String> {
            self.0.push(key.to_owned());
            None
        }
        fn list(&mut self, key: &str) -> Vec<String> {
            self.0.push(key.to_owned());
            Vec::new()
        }
        fn date(&mut self, key: &str) -> Option<NaiveDate> {
            self.0.push(key.to_owned());
            None
        }
        fn timestamp(&mut self, key: &str) -> Option<DateTime<FixedOffset>> {
            self.0.push(key.to_owned());
            None
        }
        fn zone(&mut self, key: &str) -> Option<Zone> {
            self.0.push(key.to_owned());
            None
        }
        fn factors(&mut self, key: &str) -> Vec<FactorRef> {
            self.0.push(key.to_owned());
            Vec::new()
        }
        fn action_items(&mut self, key: &str) -> Vec<ActionItem> {
            self.0.push(key.to_owned());
            Vec::new()
        }
    }

    /// The keys the reader asks for are the keys the schema declares (by its
    /// serialization): a field whose `as "key"` and serde name disagree fails here.
    #[test]
    fn every_key_is_read() {
        let mut asked = Asked::default();
        Meta::read(&mut asked);
        let mut asked = asked.0;
        asked.sort();
        let mut keys = Meta::keys().to_vec();
        keys.sort();
        assert_eq!(asked, keys);
    }
}
