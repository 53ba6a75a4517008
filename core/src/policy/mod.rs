//! Policy data: every rule a city may set, as dated values with their legal reference.
//!
//! # Why policy is data
//!
//! Indonesian performance-allowance rules change often and mid-year: Tangerang Selatan
//! changed its TPP split three times in four months; the effective working time of
//! workload analysis moved from 1,200 to 1,250 hours a year when PermenPAN-RB 1/2020
//! replaced the older guidance. Public systems that wrote such numbers as constants
//! ended up mixing 72,000 and 75,000 minutes, or grading the same efficiency
//! differently for a position and a unit. So in Kinerja no rule a city may set is a
//! constant in code. Each is a **parameter** with a **timeline** of dated values, and
//! every value carries the **legal reference** (regulation and article) that sets it.
//!
//! # Layers
//!
//! A [`Policy`] is a stack of [`PolicyLayer`]s. The first is the national baseline
//! ([`Policy::national`], shipped as `policy/national.toml`); a city adds its own file
//! (its *Peraturan Wali Kota*, Perwal, or *Peraturan Bupati*, Perbup), and possibly more
//! layers after that. To find a parameter's value on a day D, Kinerja asks the layers
//! from the last to the first and takes the first that has an entry **in force on D**.
//! A city value effective 2026-07-01 thus overrides the national one from that day on,
//! while the national value still applies to 2026-06-30 and before. A city entry with an
//! `until` date hands back to the national value after that day.
//!
//! Every answer is a [`Resolved`] value with its [`Provenance`]: the layer, the source
//! file, the dated entry and the legal reference it came from, so an allowance slip can
//! say *why* a number is what it is.
//!
//! # The file format
//!
//! ```toml
//! [layer]
//! name = "national"                    # required
//! description = "Baseline values"      # optional
//!
//! [[abk.effective_minutes_per_year]]
//! from = 2008-01-01                    # a TOML date, required
//! until = 2019-12-31                   # optional, inclusive
//! value = 72000
//! ref = "Permendagri No. 12 Tahun 2008" # required, non-empty
//! note = "recalled"                    # optional
//!
//! [[abk.effective_minutes_per_year]]
//! from = 2020-01-01                    # no `until`: runs until a later entry starts
//! value = 75000
//! ref = "PermenPAN-RB No. 1 Tahun 2020"
//! ```
//!
//! Keys are dotted paths (nested tables) ending in an array of tables, one table per
//! dated entry, oldest first. An entry without `until` runs until the day before the
//! next entry's `from`, or indefinitely if it is the last. Entries must not overlap and
//! must leave no gap. Decimals are written as quoted strings (`"0.90"`) or integers: a
//! TOML float such as `0.9` is refused, because floats are binary approximations and
//! money and rates must be exact. Times are written `"07:30"` or as TOML local times.
//! Structured values (lists and tables) follow the conversion described at [`Value`].
//!
//! Loading ([`PolicyLayer::from_toml`]) checks the whole file against the
//! [`catalogue`] of known parameters and reports **every** problem at once, each naming
//! the file, the key and the entry field (`entries[1].until`).
//!
//! ```
//! use chrono::NaiveDate;
//! use kinerja::policy::{Policy, PolicyLayer};
//!
//! let city = PolicyLayer::from_toml("kota-contoh.toml", r#"
//!     [layer]
//!     name = "Kota Contoh"
//!     [[abk.effective_minutes_per_year]]
//!     from = 2026-07-01
//!     value = 73500
//!     ref = "Perwal Kota Contoh No. 17 Tahun 2026, Pasal 5"
//! "#).unwrap();
//! let policy = Policy::national().with_layer(city);
//!
//! let june = policy.int("abk.effective_minutes_per_year", NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()).unwrap();
//! assert_eq!(june.value, 75000);
//! assert_eq!(june.provenance.layer, "national");
//!
//! let july = policy.int("abk.effective_minutes_per_year", NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()).unwrap();
//! assert_eq!(july.value, 73500);
//! assert_eq!(july.provenance.reference, "Perwal Kota Contoh No. 17 Tahun 2026, Pasal 5");
//! ```

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Problem;

mod catalogue;
mod load;
mod value;

pub use catalogue::{CATALOGUE, ParamSpec, ValueKind, catalogue, spec};
pub use load::{DatedValue, MAX_POLICY_BYTES, PolicyLayer, ValueStatus};
pub(crate) use value::variant_name;
pub use value::{Value, parse_decimal_text};

/// The national baseline file, embedded at build time.
pub const NATIONAL_TOML: &str = include_str!("../../../policy/national.toml");

/// The source name the embedded national baseline reports in messages and provenance.
pub const NATIONAL_SOURCE: &str = "policy/national.toml";

/// What went wrong loading or reading policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// A policy file has problems; every one is listed.
    #[error(
        "policy file `{file}`: {} problem(s); first: {}",
        .problems.len(),
        .problems.first().map(|p| p.to_string()).unwrap_or_default()
    )]
    Invalid {
        /// The file (source name) at fault.
        file: String,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
    /// The key is not in the [`catalogue`].
    #[error("unknown policy key `{key}`")]
    UnknownKey {
        /// The key asked for.
        key: String,
    },
    /// No layer has an entry for the key in force on the date.
    #[error("no value of policy key `{key}` is in force on {date}")]
    NoValue {
        /// The key asked for.
        key: String,
        /// The date asked for.
        date: NaiveDate,
    },
    /// The value in force is not of the type asked for.
    #[error("policy key `{key}` does not hold {expected}")]
    WrongType {
        /// The key asked for.
        key: String,
        /// The type asked for, e.g. `"an integer"`.
        expected: &'static str,
    },
    /// A month (or date range) asked for lies outside the range the policy covers
    /// completely ([`Policy::coverage`]): `key` is the first catalogued key with no value
    /// on `date`, the first day of the range without one.
    #[error(
        "no value of policy key `{key}` is in force on {date}: {}",
        match coverage { Some(c) => format!("the policy covers {c} completely; choose a date in that range or add the key to a layer"), None => "the policy covers no date completely".to_string() }
    )]
    NotCovered {
        /// The first catalogued key without a value.
        key: String,
        /// The first day without one.
        date: NaiveDate,
        /// The range the policy covers, if any.
        coverage: Option<Coverage>,
    },
    /// The value in force has the right type but cannot be used as the
    /// engine needs it (e.g. a malformed band table).
    #[error("policy key `{key}`: {message}")]
    BadValue {
        /// The key asked for.
        key: String,
        /// What is wrong.
        message: String,
    },
}

impl PolicyError {
    /// The problems of an [`Invalid`](PolicyError::Invalid) file; empty otherwise.
    pub fn problems(&self) -> &[Problem] {
        match self {
            PolicyError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }

    /// A stable machine-readable code: `"invalid_policy"`, `"unknown_key"`,
    /// `"no_value"`, `"wrong_type"`, `"bad_value"` or `"not_covered"`.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::Invalid { .. } => "invalid_policy",
            PolicyError::UnknownKey { .. } => "unknown_key",
            PolicyError::NoValue { .. } => "no_value",
            PolicyError::WrongType { .. } => "wrong_type",
            PolicyError::BadValue { .. } => "bad_value",
            PolicyError::NotCovered { .. } => "not_covered",
        }
    }
}

/// The dates on which **every** catalogued key has a value ([`Policy::coverage`]): from
/// `from` to `until` inclusive (`None`: open-ended).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Coverage {
    /// First day covered.
    pub from: NaiveDate,
    /// Last day covered; `None` when every key runs on indefinitely.
    pub until: Option<NaiveDate>,
}

impl Coverage {
    /// Whether `date` is covered.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.until {
            Some(u) => write!(f, "{} to {}", self.from, u),
            None => write!(f, "{} onwards", self.from),
        }
    }
}

/// Where a resolved value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Provenance {
    /// The parameter key.
    pub key: String,
    /// The name of the layer that supplied the value.
    pub layer: String,
    /// The source file of that layer.
    pub source: String,
    /// The `from` date of the dated entry used.
    pub from: NaiveDate,
    /// The last day that entry is in force within its layer: its `until`, or the day
    /// before the next entry's `from`; `None` when open-ended.
    pub until: Option<NaiveDate>,
    /// The legal reference of the entry.
    pub reference: String,
    /// The entry's provenance status (`verified`, `recalled`, `illustrative`, `unstated`).
    #[serde(default)]
    pub status: ValueStatus,
}

/// A value together with its [`Provenance`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resolved<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub provenance: Provenance,
}

/// Parameters of one part of the engine, resolved from a policy for a date, with
/// the provenance (layer, dated entry, legal reference) of every value used.
///
/// Engines read `params` on their hot paths; reports and slips quote `provenance`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bound<T> {
    /// The typed parameters.
    pub params: T,
    /// Where each value came from, one entry per policy key read.
    pub provenance: Vec<Provenance>,
}

/// Collects resolved values and their provenance while a [`Bound`] is built.
#[derive(Debug)]
pub struct Binder<'a> {
    policy: &'a Policy,
    date: NaiveDate,
    provenance: Vec<Provenance>,
}

impl<'a> Binder<'a> {
    /// Starts reading `policy` as in force on `date`.
    pub fn new(policy: &'a Policy, date: NaiveDate) -> Self {
        Binder { policy, date, provenance: Vec::new() }
    }

    fn keep<T>(&mut self, r: Resolved<T>) -> T {
        self.provenance.push(r.provenance);
        r.value
    }

    /// An integer parameter.
    pub fn int(&mut self, key: &str) -> Result<i64, PolicyError> {
        let r = self.policy.int(key, self.date)?;
        Ok(self.keep(r))
    }

    /// A decimal parameter.
    pub fn decimal(&mut self, key: &str) -> Result<rust_decimal::Decimal, PolicyError> {
        let r = self.policy.decimal(key, self.date)?;
        Ok(self.keep(r))
    }

    /// A boolean parameter.
    pub fn bool(&mut self, key: &str) -> Result<bool, PolicyError> {
        let r = self.policy.bool(key, self.date)?;
        Ok(self.keep(r))
    }

    /// A text parameter.
    pub fn text(&mut self, key: &str) -> Result<String, PolicyError> {
        let r = self.policy.text(key, self.date)?;
        Ok(self.keep(r))
    }

    /// A time-of-day parameter.
    pub fn time(&mut self, key: &str) -> Result<NaiveTime, PolicyError> {
        let r = self.policy.time(key, self.date)?;
        Ok(self.keep(r))
    }

    /// A structured parameter converted by `convert` (whose error message is
    /// reported as a [`PolicyError::WrongType`]-like invalid value for the key).
    pub fn custom<T>(
        &mut self,
        key: &str,
        convert: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Result<T, PolicyError> {
        let r = self.policy.resolve(key, self.date)?;
        let v = convert(r.value).map_err(|message| PolicyError::BadValue { key: key.to_string(), message })?;
        self.provenance.push(r.provenance);
        Ok(v)
    }

    /// Finishes with the typed parameters.
    pub fn finish<T>(self, params: T) -> Bound<T> {
        Bound { params, provenance: self.provenance }
    }
}

impl<T> Resolved<T> {
    /// Transforms the value, keeping the provenance.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Resolved<U> {
        Resolved { value: f(self.value), provenance: self.provenance }
    }
}

impl Resolved<&Value> {
    /// An owned copy of the value.
    pub fn cloned(&self) -> Resolved<Value> {
        Resolved { value: self.value.clone(), provenance: self.provenance.clone() }
    }
}

/// A stack of policy layers, national first; later layers win.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Policy {
    layers: Vec<PolicyLayer>,
}

impl Policy {
    /// The built-in national baseline (`policy/national.toml`).
    pub fn national() -> Policy {
        // The embedded file is a constant of the crate, and the test
        // `national_baseline_loads` proves it parses and validates.
        Self::try_national().expect("the embedded policy/national.toml is valid (checked by tests)")
    }

    /// The built-in national baseline, or the problems of the embedded file.
    pub fn try_national() -> Result<Policy, PolicyError> {
        // Parsed on each call (well under a millisecond): the crate keeps no global state.
        PolicyLayer::from_toml(NATIONAL_SOURCE, NATIONAL_TOML).map(|layer| Policy { layers: vec![layer] })
    }

    /// A policy from layers, first = lowest priority.
    pub fn from_layers(layers: Vec<PolicyLayer>) -> Policy {
        Policy { layers }
    }

    /// Adds a layer on top (it wins over every earlier layer).
    pub fn with_layer(mut self, layer: PolicyLayer) -> Policy {
        self.layers.push(layer);
        self
    }

    /// Parses a TOML layer and adds it on top.
    pub fn with_toml(self, source: &str, text: &str) -> Result<Policy, PolicyError> {
        Ok(self.with_layer(PolicyLayer::from_toml(source, text)?))
    }

    /// The layers, lowest priority first.
    pub fn layers(&self) -> &[PolicyLayer] {
        &self.layers
    }

    /// The value of `key` in force on `date`, from the last layer that has one.
    pub fn resolve(&self, key: &str, date: NaiveDate) -> Result<Resolved<&Value>, PolicyError> {
        if spec(key).is_none() {
            return Err(PolicyError::UnknownKey { key: key.to_string() });
        }
        self.layers
            .iter()
            .rev()
            .find_map(|layer| {
                layer.entry_on(key, date).map(|(entry, next)| Resolved {
                    value: &entry.value,
                    provenance: Provenance {
                        key: key.to_string(),
                        layer: layer.name.clone(),
                        source: layer.source.clone(),
                        from: entry.from,
                        until: entry.effective_until(next),
                        reference: entry.reference.clone(),
                        status: entry.status,
                    },
                })
            })
            .ok_or_else(|| PolicyError::NoValue { key: key.to_string(), date })
    }

    fn typed<T>(
        &self,
        key: &str,
        date: NaiveDate,
        expected: &'static str,
        f: impl FnOnce(&Value) -> Option<T>,
    ) -> Result<Resolved<T>, PolicyError> {
        let r = self.resolve(key, date)?;
        match f(r.value) {
            Some(value) => Ok(Resolved { value, provenance: r.provenance }),
            None => Err(PolicyError::WrongType { key: key.to_string(), expected }),
        }
    }

    /// The whole number of `key` in force on `date`.
    pub fn int(&self, key: &str, date: NaiveDate) -> Result<Resolved<i64>, PolicyError> {
        self.typed(key, date, "an integer", Value::as_int)
    }

    /// The exact decimal of `key` in force on `date` (an integer value is accepted).
    pub fn decimal(&self, key: &str, date: NaiveDate) -> Result<Resolved<Decimal>, PolicyError> {
        self.typed(key, date, "a decimal", |v| match v {
            Value::Decimal(d) => Some(*d),
            Value::Int(i) => Some(Decimal::from(*i)),
            _ => None,
        })
    }

    /// The switch of `key` in force on `date`.
    pub fn bool(&self, key: &str, date: NaiveDate) -> Result<Resolved<bool>, PolicyError> {
        self.typed(key, date, "a boolean", Value::as_bool)
    }

    /// The text of `key` in force on `date`.
    pub fn text(&self, key: &str, date: NaiveDate) -> Result<Resolved<String>, PolicyError> {
        self.typed(key, date, "text", |v| v.as_text().map(str::to_string))
    }

    /// The time of day of `key` in force on `date`.
    pub fn time(&self, key: &str, date: NaiveDate) -> Result<Resolved<NaiveTime>, PolicyError> {
        self.typed(key, date, "a time of day", Value::as_time)
    }

    /// The values in force on `date` for `keys` whose status is not
    /// [`ValueStatus::Verified`], as `(key, status)` in the order of `keys` (keys with no
    /// value are left out). `kinerja check` and `kinerja tpp` count them; paying with
    /// any needs an explicit permission ([`crate::payroll::PayOptions`]).
    pub fn unverified(&self, keys: &[&str], date: NaiveDate) -> Vec<(String, ValueStatus)> {
        keys.iter()
            .filter_map(|k| self.resolve(k, date).ok())
            .filter(|r| !r.provenance.status.is_verified())
            .map(|r| (r.provenance.key.clone(), r.provenance.status))
            .collect()
    }

    /// The days on which a key has a value in some layer, as merged ranges in date order
    /// (`None` end = open).
    fn key_ranges(&self, key: &str) -> Vec<(NaiveDate, Option<NaiveDate>)> {
        let mut ranges: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        for layer in &self.layers {
            if let Some(entries) = layer.params.get(key) {
                for (i, e) in entries.iter().enumerate() {
                    ranges.push((e.from, e.effective_until(entries.get(i + 1))));
                }
            }
        }
        ranges.sort_by_key(|r| r.0);
        let mut merged: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        for (from, until) in ranges {
            match merged.last_mut() {
                // Overlapping or adjacent (the day after the last end): extend.
                Some(last) if last.1.is_none_or(|end| end.succ_opt().is_none_or(|next| from <= next)) => {
                    last.1 = match (last.1, until) {
                        (None, _) | (_, None) => None,
                        (Some(a), Some(b)) => Some(a.max(b)),
                    };
                }
                _ => merged.push((from, until)),
            }
        }
        merged
    }

    /// The range of days on which **every** catalogued key has a value, so that every
    /// part of the engine can run on any day in it: it starts on the latest first day
    /// among the keys and ends on the first day a key has no value after that (`None`
    /// when every key runs on). `None` when no day has every key.
    ///
    /// The national baseline covers 2020-01-01 onwards (`policy/national.toml`); a city
    /// layer can only widen a key's range.
    ///
    /// ```
    /// use kinerja::policy::Policy;
    /// let c = Policy::national().coverage().unwrap();
    /// assert_eq!((c.from.to_string(), c.until), ("2020-01-01".to_string(), None));
    /// ```
    pub fn coverage(&self) -> Option<Coverage> {
        let all: Vec<Vec<(NaiveDate, Option<NaiveDate>)>> =
            catalogue().iter().map(|s| self.key_ranges(s.key)).collect();
        let from = all.iter().map(|r| r.first().map(|f| f.0)).collect::<Option<Vec<_>>>()?.into_iter().max()?;
        let mut until: Option<NaiveDate> = None;
        let mut open = true;
        for ranges in &all {
            let r = ranges.iter().find(|(a, b)| *a <= from && b.is_none_or(|b| from <= b))?;
            if let Some(end) = r.1 {
                until = Some(until.map_or(end, |u: NaiveDate| u.min(end)));
                open = false;
            }
        }
        Some(Coverage { from, until: if open { None } else { until } })
    }

    /// Checks that every catalogued key has a value on every day from `first` to `last`
    /// (a month, typically), before any work is done for it: the error names the first
    /// day without a value and, on that day, the first key in catalogue order
    /// ([`PolicyError::NotCovered`], with the range [`Policy::coverage`] covers).
    pub fn check_covered(&self, first: NaiveDate, last: NaiveDate) -> Result<(), PolicyError> {
        let mut missing: Option<(NaiveDate, &'static str)> = None;
        for s in catalogue() {
            if let Some(&(from, _)) = uncovered(&self.key_ranges(s.key), first, last).first()
                && missing.is_none_or(|(d, _)| from < d)
            {
                missing = Some((from, s.key));
            }
        }
        match missing {
            None => Ok(()),
            Some((date, key)) => Err(PolicyError::NotCovered { key: key.to_string(), date, coverage: self.coverage() }),
        }
    }

    /// Every catalogued key with a value in force on `date`, in catalogue order
    /// (keys with no value on that date are left out). For a `policy show` listing.
    pub fn resolve_all(&self, date: NaiveDate) -> Vec<(String, Resolved<&Value>)> {
        catalogue().iter().filter_map(|s| self.resolve(s.key, date).ok().map(|r| (s.key.to_string(), r))).collect()
    }
}

/// The sub-ranges of `first..=last` that no range of `ranges` (sorted, merged) covers.
fn uncovered(
    ranges: &[(NaiveDate, Option<NaiveDate>)],
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut cursor = first;
    for (from, until) in ranges {
        if cursor > last {
            break;
        }
        if *from > cursor {
            let end = from.pred_opt().unwrap_or(*from).min(last);
            out.push((cursor, end));
        }
        match until {
            None => return out,
            Some(u) if *u >= cursor => match u.succ_opt() {
                Some(next) => cursor = next,
                None => return out,
            },
            Some(_) => {}
        }
    }
    if cursor <= last {
        out.push((cursor, last));
    }
    out
}
