//! Declarative macros for Smithy `enum` and `intEnum` shapes that keep values this client does not
//! know (services add values over time).

/// Defines a string enum with an `Unknown(String)` variant for values the model did not list.
///
/// ```
/// aws_codegen_runtime::string_enum! {
///     #[doc = "How a route is authorized."]
///     pub enum AuthorizationType {
///         #[doc = "Signature Version 4."]
///         AwsIam => "AWS_IAM",
///         Custom => "CUSTOM",
///     }
/// }
/// assert_eq!(AuthorizationType::from("AWS_IAM"), AuthorizationType::AwsIam);
/// assert_eq!(AuthorizationType::from("NEW").as_str(), "NEW");
/// assert_eq!(AuthorizationType::values(), &["AWS_IAM", "CUSTOM"]);
/// ```
///
/// The enum is `#[non_exhaustive]` and derives `Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord`.
/// It gets `as_str()`, `values()`, `From<&str>`, `From<String>`, `FromStr` (never fails), `Display`,
/// [`json`](crate::json) and [`Text`](crate::text::Text) impls as the plain string. Build values with `From`: `Unknown("AWS_IAM")` is not equal
/// to `AwsIam`. A model value whose variant name would be `Unknown` must be given another name.
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $value:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value not in the model this client was generated from.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value of the model, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[ $( $value ),* ]
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::json::ToJson for $name {
            fn to_json(&self) -> $crate::json::Value {
                $crate::json::Value::String(::std::borrow::ToOwned::to_owned(self.as_str()))
            }
        }

        impl $crate::json::FromJson for $name {
            fn read(r: &mut $crate::json::Reader<'_>) -> ::std::result::Result<Self, $crate::json::JsonError> {
                r.string().map(|s| Self::from(&*s))
            }
        }

        impl $crate::text::Text for $name {
            fn to_text(&self) -> ::std::string::String {
                ::std::borrow::ToOwned::to_owned(self.as_str())
            }
            fn from_text(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                ::std::result::Result::Ok(Self::from(text))
            }
        }

        impl $crate::json::MapKey for $name {
            fn to_key(&self) -> ::std::string::String {
                ::std::borrow::ToOwned::to_owned(self.as_str())
            }
            fn from_key(key: ::std::borrow::Cow<'_, str>) -> Self {
                Self::from(&*key)
            }
        }
    };
}

/// Defines an integer enum (Smithy `intEnum`) with an `Unknown(i32)` variant.
///
/// ```
/// aws_codegen_runtime::int_enum! {
///     #[doc = "A priority."]
///     pub enum Priority {
///         #[doc = "Soon."]
///         High => 1,
///         Low => 2,
///     }
/// }
/// assert_eq!(Priority::from(2), Priority::Low);
/// assert_eq!(Priority::from(7).as_i32(), 7);
/// ```
///
/// The enum is `#[non_exhaustive]` and derives `Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd,
/// Ord`. It gets `as_i32()`, `values()`, `From<i32>`, `FromStr` (integer text), `Display` (the number)
/// [`json`](crate::json) and [`Text`](crate::text::Text) impls as the number.
#[macro_export]
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $value:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value not in the model this client was generated from.
            Unknown(i32),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => *value,
                }
            }

            /// Every value of the model, in model order.
            pub const fn values() -> &'static [i32] {
                &[ $( $value ),* ]
            }
        }

        impl ::std::convert::From<i32> for $name {
            fn from(value: i32) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                value.trim().parse::<i32>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i32(), f)
            }
        }

        impl $crate::json::ToJson for $name {
            fn to_json(&self) -> $crate::json::Value {
                $crate::json::Value::from(self.as_i32())
            }
        }

        impl $crate::json::FromJson for $name {
            fn read(r: &mut $crate::json::Reader<'_>) -> ::std::result::Result<Self, $crate::json::JsonError> {
                <i32 as $crate::json::FromJson>::read(r).map(Self::from)
            }
        }

        impl $crate::text::Text for $name {
            fn to_text(&self) -> ::std::string::String {
                ::std::string::ToString::to_string(&self.as_i32())
            }
            fn from_text(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                <i32 as $crate::text::Text>::from_text(text).map(Self::from)
            }
        }
    };
}
