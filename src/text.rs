//! [`Str`]: the immutable string type of result records.

use smol_str::SmolStr;
use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::convert::Infallible;
use std::str::FromStr;

/// Gives a type with an `as_str` method the traits of a string value:
/// it derefs to `str`, prints and debug-prints as its string, compares
/// equal to `str` and `&str` both ways round, and serialises as a
/// string.
macro_rules! str_like {
    ($t:ty) => {
        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Debug for $t {
            fn fmt(
                &self,
                f: &mut std::fmt::Formatter<'_>,
            ) -> std::fmt::Result {
                std::fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(
                &self,
                f: &mut std::fmt::Formatter<'_>,
            ) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<$t> for str {
            fn eq(&self, other: &$t) -> bool {
                self == other.as_str()
            }
        }

        impl PartialEq<$t> for &str {
            fn eq(&self, other: &$t) -> bool {
                *self == other.as_str()
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use str_like;

/// An immutable string in a result record ([`Entity`](crate::Entity),
/// [`EntityRef`](crate::EntityRef), [`Relation`](crate::Relation)).
///
/// Strings of up to 23 bytes, which are nearly all names, ids, kinds and
/// mention texts in news, are held inside the 24-byte value itself, so
/// building a record allocates nothing for them and dropping it frees
/// nothing; longer ones are shared and cloned without copying. A `Str`
/// reads as a `&str` (it derefs to one), compares equal to the same
/// string, and serialises as one, so the JSON output is what a `String`
/// gives.
///
/// ```
/// use entente::{Extractor, Str};
///
/// let out = Extractor::default().extract("Russia protested.");
/// let name: &Str = &out.entities[0].name;
/// assert_eq!(name, "Russia");
/// assert!(name.starts_with("Rus"));
/// assert_eq!(name.as_str(), "Russia");
/// let owned: String = name.to_string();
/// assert_eq!(Str::from(owned), *name);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Str(SmolStr);

impl Str {
    /// A `Str` holding a copy of `s`.
    pub fn new(s: &str) -> Str {
        Str(SmolStr::new(s))
    }

    /// The string as a slice.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

str_like!(Str);

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        Str::new(s)
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str(SmolStr::from(s))
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Str {
        Str::new(s)
    }
}

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Str {
        Str(SmolStr::from(s))
    }
}

impl From<Cow<'_, str>> for Str {
    fn from(s: Cow<'_, str>) -> Str {
        match s {
            Cow::Borrowed(b) => Str::new(b),
            Cow::Owned(o) => Str::from(o),
        }
    }
}

impl FromStr for Str {
    type Err = Infallible;
    fn from_str(s: &str) -> Result<Str, Infallible> {
        Ok(Str::new(s))
    }
}

impl AsRef<[u8]> for Str {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialOrd<str> for Str {
    fn partial_cmp(&self, other: &str) -> Option<Ordering> {
        Some(self.as_str().cmp(other))
    }
}

impl PartialOrd<&str> for Str {
    fn partial_cmp(&self, other: &&str) -> Option<Ordering> {
        Some(self.as_str().cmp(*other))
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.as_str().to_string()
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&String> for Str {
    fn eq(&self, other: &&String) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::Str;
    use std::borrow::Cow;

    #[test]
    fn short_and_long_strings_read_back() {
        for s in ["", "RUS", "Russia", &"x".repeat(23), &"é".repeat(40)] {
            let t = Str::new(s);
            assert_eq!(t, s);
            assert_eq!(t.len(), s.len());
            assert_eq!(t.clone(), t);
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                serde_json::to_string(s).unwrap()
            );
            assert_eq!(format!("{t:?}"), format!("{s:?}"));
            assert_eq!(String::from(t), s);
        }
        assert_ne!(Str::new("Russia"), Str::new("Russian"));
        assert!(Str::new("a") < Str::new("b"));
        assert!(Str::new("a") < "b" && "a" == Str::new("a"));
        let owned = String::from("Kabul");
        assert_eq!(Str::from(&owned), owned);
        assert_eq!(Str::from(Cow::Borrowed("Kabul")), &owned);
        assert_eq!("Kabul".parse::<Str>(), Ok(Str::new("Kabul")));
        // hashes as its string, so a map keyed by Str answers a &str
        let map: std::collections::HashMap<Str, u8> =
            [(Str::new("Kabul"), 1)].into_iter().collect();
        assert_eq!(map.get("Kabul"), Some(&1));
    }
}
