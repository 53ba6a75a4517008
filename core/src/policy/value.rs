//! The value a policy parameter holds on a given day ([`Value`]).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveTime, Timelike};
use rust_decimal::Decimal;
use serde::Serialize;

/// The value of one policy parameter in one dated entry.
///
/// The catalogue ([`crate::policy::catalogue()`]) fixes which variant a key holds:
/// an [`Int`](crate::policy::ValueKind::Int) key always holds [`Value::Int`], a
/// [`Decimal`](crate::policy::ValueKind::Decimal) key always holds [`Value::Decimal`], and so on.
///
/// Structured ([`Custom`](crate::policy::ValueKind::Custom)) parameters are written in TOML as arrays
/// and tables and arrive as [`Value::List`] and [`Value::Table`]. Inside those, the
/// conversion is purely syntactic: a TOML string becomes [`Value::Text`] (even when it
/// holds a number such as `"0.90"`), an integer becomes [`Value::Int`], a boolean
/// [`Value::Bool`], a local time [`Value::Time`], any other date-time its RFC 3339
/// [`Value::Text`]; floats are refused everywhere. The parameter's checker decides what
/// the text means, and typed consumers read decimals with [`parse_decimal_text`].
///
/// Serialises "untagged": integers and booleans as JSON numbers and booleans, decimals
/// as exact strings (`"0.90"`), times as `"07:30:00"`, lists as arrays, tables as objects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A whole number (minutes, days, counts).
    Int(i64),
    /// An exact decimal (rates, fractions, money).
    Decimal(Decimal),
    /// A yes/no switch.
    Bool(bool),
    /// Free text or one of a fixed set of choices.
    Text(String),
    /// A time of day, e.g. the start of office hours.
    Time(NaiveTime),
    /// An ordered list (structured parameters).
    List(Vec<Value>),
    /// A table of named values (structured parameters).
    Table(BTreeMap<String, Value>),
}

/// Which kind of TOML value a [`Value`] variant is written as, for messages.
pub(crate) fn variant_name(v: &Value) -> &'static str {
    match v {
        Value::Int(_) => "integer",
        Value::Decimal(_) => "decimal",
        Value::Bool(_) => "boolean",
        Value::Text(_) => "text",
        Value::Time(_) => "time",
        Value::List(_) => "list",
        Value::Table(_) => "table",
    }
}

impl Value {
    /// The whole number, if this is [`Value::Int`].
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The exact decimal, if this is [`Value::Decimal`]. See [`parse_decimal_text`]
    /// to also accept integers and decimal text.
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            Value::Decimal(d) => Some(*d),
            _ => None,
        }
    }

    /// The switch, if this is [`Value::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The text, if this is [`Value::Text`].
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The time of day, if this is [`Value::Time`].
    pub fn as_time(&self) -> Option<NaiveTime> {
        match self {
            Value::Time(t) => Some(*t),
            _ => None,
        }
    }

    /// The items, if this is [`Value::List`].
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The named values, if this is [`Value::Table`].
    pub fn as_table(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }
}

/// Reads an exact decimal from a value: a [`Value::Decimal`], a [`Value::Int`], or a
/// [`Value::Text`] holding plain decimal notation (`"0.90"`, `"1"`, `"-2.5"`).
///
/// Text with an exponent, digit separators (`_`, `,`) or anything else is refused,
/// so `"9e-1"` and `"1,5"` give `None`. This is how typed consumers read decimals
/// inside structured ([`Value::List`] / [`Value::Table`]) parameters.
///
/// ```
/// use kinerja::policy::{parse_decimal_text, Value};
/// use rust_decimal::Decimal;
/// assert_eq!(parse_decimal_text(&Value::Text("0.90".into())), Some(Decimal::new(90, 2)));
/// assert_eq!(parse_decimal_text(&Value::Int(1)), Some(Decimal::ONE));
/// assert_eq!(parse_decimal_text(&Value::Text("9e-1".into())), None);
/// assert_eq!(parse_decimal_text(&Value::Bool(true)), None);
/// ```
pub fn parse_decimal_text(v: &Value) -> Option<Decimal> {
    match v {
        Value::Decimal(d) => Some(*d),
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Text(s) => parse_decimal_str(s),
        _ => None,
    }
}

/// Strict decimal parsing shared by the loader and [`parse_decimal_text`].
pub(crate) fn parse_decimal_str(s: &str) -> Option<Decimal> {
    crate::Money::parse(s).ok().map(crate::Money::amount)
}

impl fmt::Display for Value {
    /// Writes the value the way a policy file would (`75000`, `0.90`, `07:30`,
    /// `[{grade = "A", ...}, ...]`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(s) => write!(f, "{s:?}"),
            Value::Time(t) => {
                if t.second() == 0 && t.nanosecond() == 0 {
                    write!(f, "{}", t.format("%H:%M"))
                } else {
                    write!(f, "{}", t.format("%H:%M:%S"))
                }
            }
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Table(t) => {
                f.write_str("{")?;
                for (i, (k, v)) in t.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_round_trips_the_file_notation() {
        let mut t = BTreeMap::new();
        t.insert("grade".to_string(), Value::Text("A".into()));
        t.insert("lower".to_string(), Value::Decimal(Decimal::new(100, 2)));
        let v = Value::List(vec![Value::Table(t), Value::Int(3)]);
        assert_eq!(v.to_string(), r#"[{grade = "A", lower = 1.00}, 3]"#);
        let time = NaiveTime::from_hms_opt(7, 30, 0).map(Value::Time);
        assert_eq!(time.map(|t| t.to_string()).as_deref(), Some("07:30"));
    }

    #[test]
    fn serialises_untagged_with_exact_decimals() {
        let v = Value::List(vec![Value::Decimal(Decimal::new(90, 2)), Value::Int(5), Value::Bool(false)]);
        assert_eq!(serde_json::to_string(&v).ok().as_deref(), Some(r#"["0.90",5,false]"#));
    }

    #[test]
    fn decimal_text_is_strict() {
        assert_eq!(parse_decimal_text(&Value::Text(" 0.5 ".into())), Some(Decimal::new(5, 1)));
        assert_eq!(parse_decimal_text(&Value::Text("1_000".into())), None);
        assert_eq!(parse_decimal_text(&Value::Text("".into())), None);
        assert_eq!(parse_decimal_text(&Value::Decimal(Decimal::new(-25, 1))), Some(Decimal::new(-25, 1)));
    }
}
