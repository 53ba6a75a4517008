//! Loading and checking one policy layer ([`PolicyLayer`]) from TOML text.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, NaiveTime};
use serde::Serialize;

use super::PolicyError;
use super::catalogue::{ValueKind, is_key_prefix, spec};
use super::value::{Value, parse_decimal_str};
use crate::error::{Problem, TextPosition};

/// One dated entry of a parameter's timeline: a value, the day it takes effect, and
/// the legal text that sets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DatedValue {
    /// First day the value applies.
    pub from: NaiveDate,
    /// Last day the value applies (inclusive). When `None`, the entry runs until the
    /// day before the next entry's `from`, or indefinitely for the last entry.
    pub until: Option<NaiveDate>,
    /// The value.
    pub value: Value,
    /// The legal reference (regulation, article), never empty.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Free text, e.g. why a value is only "recalled".
    pub note: Option<String>,
    /// How far the value can be trusted (`status`): checked against its source, recalled,
    /// or illustrative; [`ValueStatus::Unstated`] when the entry does not say.
    pub status: ValueStatus,
    /// Where the value was checked (`source`: the document, its page or URL); required
    /// when `status = "verified"`.
    pub source: Option<String>,
}

/// The provenance status of a policy value (entry field `status`). Only a
/// [`ValueStatus::Verified`] value may be paid with without an explicit permission
/// (see [`crate::payroll::PayOptions`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueStatus {
    /// Checked against the text that sets it, named in the entry's `source`.
    Verified,
    /// Entered from the regulation as generally cited, without the text at hand.
    Recalled,
    /// An example value, not law (e.g. a ceiling table for a typical region).
    Illustrative,
    /// The entry says nothing about its status: treated as not verified.
    #[default]
    Unstated,
}

impl ValueStatus {
    /// The policy text: `verified`, `recalled`, `illustrative` or `unstated`.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueStatus::Verified => "verified",
            ValueStatus::Recalled => "recalled",
            ValueStatus::Illustrative => "illustrative",
            ValueStatus::Unstated => "unstated",
        }
    }

    /// True for [`ValueStatus::Verified`].
    pub fn is_verified(self) -> bool {
        self == ValueStatus::Verified
    }
}

impl DatedValue {
    /// Whether this entry is in force on `date`, given the entry that follows it in
    /// the same timeline (if any).
    pub fn in_force(&self, date: NaiveDate, next: Option<&DatedValue>) -> bool {
        self.from <= date
            && match self.until {
                Some(until) => date <= until,
                None => next.is_none_or(|n| date < n.from),
            }
    }

    /// The last day this entry is in force: its `until`, or the day before the next
    /// entry's `from`, or `None` when open-ended.
    pub fn effective_until(&self, next: Option<&DatedValue>) -> Option<NaiveDate> {
        self.until.or_else(|| next.and_then(|n| n.from.pred_opt()))
    }
}

/// One layer of policy: the national baseline, a city's file, or any later override.
///
/// Each catalogued key maps to a timeline of [`DatedValue`]s in ascending `from`
/// order, with neither overlaps nor gaps. Build one with [`PolicyLayer::from_toml`],
/// which checks everything; a layer built by hand can be checked with
/// [`PolicyLayer::validate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyLayer {
    /// The layer's name (`[layer] name`), e.g. `"national"` or `"Kota Contoh"`.
    pub name: String,
    /// Free description (`[layer] description`), empty when absent.
    pub description: String,
    /// Where the layer came from (a file name), used in messages and provenance.
    pub source: String,
    /// Each key's timeline.
    pub params: BTreeMap<String, Vec<DatedValue>>,
}

/// Problems of one load, each naming the file, key and field.
struct Collector<'a> {
    source: &'a str,
    /// The TOML text, when the layer was read from text (empty otherwise).
    text: &'a str,
    problems: Vec<Problem>,
}

impl Collector<'_> {
    fn push(&mut self, key: &str, field: impl Into<String>, code: &str, message: impl AsRef<str>) {
        let field = field.into();
        let message = format!("in `{}`: {}", self.source, message.as_ref());
        let at = locate(self.text, key, &field);
        self.problems.push(Problem::new("policy", key, field, code, message).at(at));
    }
}

/// Where a key's entry (and its field) is written in the TOML text: the `n`-th
/// `[[key]]` header for a field `entries[n]...` (the first header, or `[key]`,
/// otherwise), then the line `name = ...` of a field `entries[n].name` within that
/// entry. `None` when the text does not write the key as a header (inline tables).
fn locate(text: &str, key: &str, field: &str) -> Option<TextPosition> {
    if text.is_empty() || key.is_empty() {
        return None;
    }
    let (index, name) = match field.strip_prefix("entries[").and_then(|r| r.split_once(']')) {
        Some((n, rest)) => (n.parse::<usize>().ok()?, rest.strip_prefix('.').unwrap_or("")),
        None => (0, if key == "layer" { field } else { "" }),
    };
    let headers = [format!("[[{key}]]"), format!("[{key}]")];
    let mut offset = 0;
    let mut seen = 0;
    let mut lines = text.split_inclusive('\n');
    let header_at = loop {
        let line = lines.next()?;
        let here = offset;
        offset += line.len();
        let trimmed = line.trim();
        if headers.iter().any(|h| trimmed.starts_with(h.as_str())) {
            if seen == index {
                break here + (line.len() - line.trim_start().len());
            }
            seen += 1;
        }
    };
    let name = name.split(['.', '[']).next().unwrap_or("");
    if !name.is_empty() {
        for line in lines {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                break;
            }
            if let Some(rest) = trimmed.strip_prefix(name)
                && rest.trim_start().starts_with('=')
            {
                return Some(TextPosition::of_offset(text, offset + (line.len() - trimmed.len())));
            }
            offset += line.len();
        }
    }
    Some(TextPosition::of_offset(text, header_at))
}

/// The fields an entry may have.
const ENTRY_FIELDS: [&str; 7] = ["from", "until", "value", "ref", "note", "status", "source"];

/// The longest policy file read, in bytes (4 MiB; the national baseline is about 22 KiB).
/// Longer text is refused with a problem of code `too_large` before it is parsed.
/// Nesting is bounded by the TOML parser, whose recursion limit makes a too deeply
/// nested value a `syntax` problem.
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;

impl PolicyLayer {
    /// Parses and checks a policy file. `source` names the file in every message.
    ///
    /// Every problem in the file is reported at once in
    /// [`PolicyError::Invalid`], each as a [`Problem`] with `record = "policy"`,
    /// `id` = the key, `field` such as `"entries[1].until"`, and a stable `code`:
    ///
    /// | code                | meaning                                                  |
    /// |---------------------|----------------------------------------------------------|
    /// | `too_large`         | the text is longer than [`MAX_POLICY_BYTES`]             |
    /// | `syntax`            | the text is not TOML (also: nested too deeply)           |
    /// | `malformed_layer`   | `[layer]` missing, its `name` missing/empty, or odd field |
    /// | `unknown_key`       | the key is not in the [catalogue](super::catalogue())    |
    /// | `not_a_timeline`    | the key is not an array of tables `[[key]]`              |
    /// | `empty_timeline`    | the key has no entry                                     |
    /// | `unknown_field`     | an entry has a field other than from/until/value/ref/note |
    /// | `missing_from`      | an entry has no `from`                                    |
    /// | `missing_value`     | an entry has no `value`                                   |
    /// | `missing_reference` | an entry's `ref` is missing or blank                      |
    /// | `wrong_type`        | a field or value has the wrong TOML type                  |
    /// | `float_refused`     | a value is a TOML float (quote it: `"0.90"`)              |
    /// | `out_of_range`      | a number is outside the catalogued range                  |
    /// | `invalid_choice`    | a text is not one of the catalogued choices               |
    /// | `invalid_value`     | a structured value fails its checker                      |
    /// | `until_before_from` | an entry ends before it starts                            |
    /// | `unordered`         | an entry's `from` is not after the previous entry's       |
    /// | `overlap`           | an entry's `until` reaches the next entry's `from`        |
    /// | `gap`               | days between an entry's `until` and the next `from`      |
    ///
    /// ```
    /// use kinerja::policy::PolicyLayer;
    /// let layer = PolicyLayer::from_toml("kota.toml", r#"
    ///     [layer]
    ///     name = "Kota Contoh"
    ///     [[abk.days_per_year]]
    ///     from = 2026-07-01
    ///     value = 245
    ///     ref = "Perwal Kota Contoh No. 17 Tahun 2026, Pasal 5"
    /// "#).unwrap();
    /// assert_eq!(layer.params["abk.days_per_year"][0].value.as_int(), Some(245));
    ///
    /// let err = PolicyLayer::from_toml("kota.toml", r#"
    ///     [layer]
    ///     name = "Kota Contoh"
    ///     [[abk.days_per_year]]
    ///     from = 2026-07-01
    ///     value = 245.0
    ///     ref = ""
    /// "#).unwrap_err();
    /// let codes: Vec<_> = err.problems().iter().map(|p| p.code.as_str()).collect();
    /// assert_eq!(codes, ["missing_reference", "float_refused"]);
    /// ```
    pub fn from_toml(source: &str, text: &str) -> Result<PolicyLayer, PolicyError> {
        let mut c = Collector { source, text, problems: Vec::new() };
        if text.len() > MAX_POLICY_BYTES {
            c.push(
                "",
                "",
                "too_large",
                format!("the policy file is {} bytes long; at most {MAX_POLICY_BYTES} bytes are read", text.len()),
            );
            return Err(PolicyError::Invalid { file: source.to_string(), problems: c.problems });
        }
        let root: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let at = e.span().map(|span| TextPosition::of_offset(text, span.start));
                c.push("", "", "syntax", format!("not valid TOML: {}", e.message()));
                if let Some(p) = c.problems.last_mut() {
                    p.at = at;
                }
                return Err(PolicyError::Invalid { file: source.to_string(), problems: c.problems });
            }
        };
        let (name, description) = read_layer_header(&mut c, root.get("layer"));
        let mut params = BTreeMap::new();
        for (k, v) in &root {
            if k != "layer" {
                walk(&mut c, k.clone(), v, &mut params);
            }
        }
        if c.problems.is_empty() {
            Ok(PolicyLayer { name, description, source: source.to_string(), params })
        } else {
            Err(PolicyError::Invalid { file: source.to_string(), problems: c.problems })
        }
    }

    /// Checks a layer built by hand with the same rules as [`from_toml`](Self::from_toml):
    /// known keys, non-empty name and references, values of the catalogued kind and
    /// range, timelines ordered without overlap or gap. Reports every problem.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let mut c = Collector { source: &self.source, text: "", problems: Vec::new() };
        if self.name.trim().is_empty() {
            c.push("layer", "name", "malformed_layer", "the layer name is empty");
        }
        for (key, entries) in &self.params {
            let Some(spec) = spec(key) else {
                c.push(key, "", "unknown_key", format!("`{key}` is not a known policy key"));
                continue;
            };
            if entries.is_empty() {
                c.push(key, "", "empty_timeline", "the key has no dated entry");
            }
            for (i, e) in entries.iter().enumerate() {
                if e.reference.trim().is_empty() {
                    c.push(key, format!("entries[{i}].ref"), "missing_reference", "the legal reference is empty");
                }
                if let Err((code, msg)) = spec.kind.check(&e.value) {
                    c.push(key, format!("entries[{i}].value"), code, msg);
                }
                if let Some(until) = e.until {
                    check_span(&mut c, key, i, e.from, until);
                }
            }
            let spans: Vec<Span> = entries.iter().map(|e| (e.from, e.until)).collect();
            check_timeline(&mut c, key, &spans);
        }
        if c.problems.is_empty() {
            Ok(())
        } else {
            Err(PolicyError::Invalid { file: self.source.clone(), problems: c.problems })
        }
    }

    /// The timeline of `key` in this layer (empty when the layer does not set it).
    pub fn timeline(&self, key: &str) -> &[DatedValue] {
        self.params.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The entry in force on `date` for `key` in this layer, with the entry after it.
    pub(crate) fn entry_on(&self, key: &str, date: NaiveDate) -> Option<(&DatedValue, Option<&DatedValue>)> {
        let timeline = self.timeline(key);
        // Entries are ordered by `from` without overlap: only the last one starting
        // on or before `date` can be in force.
        let idx = timeline.partition_point(|e| e.from <= date).checked_sub(1)?;
        let entry = timeline.get(idx)?;
        let next = idx.checked_add(1).and_then(|n| timeline.get(n));
        entry.in_force(date, next).then_some((entry, next))
    }
}

/// Reads `[layer]`: returns (name, description).
fn read_layer_header(c: &mut Collector<'_>, layer: Option<&toml::Value>) -> (String, String) {
    let Some(layer) = layer else {
        c.push("layer", "", "malformed_layer", "missing `[layer]` table with a `name`");
        return (String::new(), String::new());
    };
    let Some(table) = layer.as_table() else {
        c.push("layer", "", "malformed_layer", "`layer` must be a table `[layer]` with a `name`");
        return (String::new(), String::new());
    };
    let mut name = String::new();
    let mut description = String::new();
    for (field, v) in table {
        match (field.as_str(), v) {
            ("name", toml::Value::String(s)) => name = s.trim().to_string(),
            ("description", toml::Value::String(s)) => description = s.clone(),
            ("name" | "description", _) => {
                c.push("layer", field.as_str(), "malformed_layer", format!("`layer.{field}` must be a string"))
            }
            _ => c.push(
                "layer",
                field.as_str(),
                "malformed_layer",
                format!("unknown field `layer.{field}` (allowed: name, description)"),
            ),
        }
    }
    if name.is_empty() && !matches!(table.get("name"), Some(v) if !v.is_str()) {
        c.push("layer", "name", "malformed_layer", "`layer.name` is missing or empty");
    }
    (name, description)
}

/// Walks nested tables down to catalogued keys.
fn walk(c: &mut Collector<'_>, path: String, v: &toml::Value, params: &mut BTreeMap<String, Vec<DatedValue>>) {
    if let Some(spec) = spec(&path) {
        let Some(items) = v.as_array() else {
            c.push(
                &path,
                "",
                "not_a_timeline",
                format!("`{path}` must be an array of dated entries: write `[[{path}]]` with from, value and ref"),
            );
            return;
        };
        if items.is_empty() {
            c.push(&path, "", "empty_timeline", format!("`{path}` has no dated entry"));
            return;
        }
        let mut entries = Vec::with_capacity(items.len());
        let mut spans = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let (span, entry) = read_entry(c, &path, i, item, &spec.kind);
            spans.extend(span);
            entries.extend(entry);
        }
        // Order, overlap and gap are checked whenever every entry has readable dates,
        // even if a value is wrong, so one pass reports everything.
        if spans.len() == items.len() {
            check_timeline(c, &path, &spans);
        }
        if entries.len() == items.len() {
            params.insert(path, entries);
        }
        return;
    }
    match v.as_table() {
        Some(table) if is_key_prefix(&path) => {
            for (k, child) in table {
                walk(c, format!("{path}.{k}"), child, params);
            }
        }
        _ => c.push(&path, "", "unknown_key", format!("`{path}` is not a known policy key")),
    }
}

/// An entry's `from` and `until`.
type Span = (NaiveDate, Option<NaiveDate>);

/// Reads one `[[key]]` entry: its dates when they are readable, and the entry when
/// nothing is wrong with it.
fn read_entry(
    c: &mut Collector<'_>,
    key: &str,
    i: usize,
    item: &toml::Value,
    kind: &ValueKind,
) -> (Option<Span>, Option<DatedValue>) {
    let Some(t) = item.as_table() else {
        c.push(key, format!("entries[{i}]"), "not_a_timeline", "each entry must be a table with from, value and ref");
        return (None, None);
    };
    let before = c.problems.len();
    for field in t.keys() {
        if !ENTRY_FIELDS.contains(&field.as_str()) {
            c.push(
                key,
                format!("entries[{i}].{field}"),
                "unknown_field",
                format!("unknown field `{field}` (allowed: from, until, value, ref, note, status, source)"),
            );
        }
    }
    let from = match t.get("from") {
        None => {
            c.push(key, format!("entries[{i}].from"), "missing_from", "the entry has no `from` date");
            None
        }
        Some(v) => read_date(c, key, i, "from", v),
    };
    let until_field = t.get("until");
    let until = until_field.and_then(|v| read_date(c, key, i, "until", v));
    let span = match (from, until_field, until) {
        (Some(from), None, _) => Some((from, None)),
        (Some(from), Some(_), Some(until)) => Some((from, Some(until))),
        _ => None,
    };
    let reference = match t.get("ref") {
        Some(toml::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(toml::Value::String(_)) | None => {
            c.push(
                key,
                format!("entries[{i}].ref"),
                "missing_reference",
                "every value needs its legal reference in `ref` (regulation and article)",
            );
            None
        }
        Some(_) => {
            c.push(key, format!("entries[{i}].ref"), "wrong_type", "`ref` must be a string");
            None
        }
    };
    let note = match t.get("note") {
        None => None,
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            c.push(key, format!("entries[{i}].note"), "wrong_type", "`note` must be a string");
            None
        }
    };
    let status = match t.get("status") {
        None => ValueStatus::Unstated,
        Some(toml::Value::String(s)) => match s.as_str() {
            "verified" => ValueStatus::Verified,
            "recalled" => ValueStatus::Recalled,
            "illustrative" => ValueStatus::Illustrative,
            other => {
                c.push(
                    key,
                    format!("entries[{i}].status"),
                    "invalid_choice",
                    format!("`{other}` is not one of verified, recalled, illustrative"),
                );
                ValueStatus::Unstated
            }
        },
        Some(_) => {
            c.push(key, format!("entries[{i}].status"), "wrong_type", "`status` must be a string");
            ValueStatus::Unstated
        }
    };
    let source = match t.get("source") {
        None => None,
        Some(toml::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(_) => {
            c.push(key, format!("entries[{i}].source"), "wrong_type", "`source` must be a non-empty string");
            None
        }
    };
    if status == ValueStatus::Verified && source.is_none() {
        c.push(
            key,
            format!("entries[{i}].source"),
            "missing_source",
            "a verified value names where it was checked in `source` (document, page or URL)",
        );
    }
    let value = match t.get("value") {
        None => {
            c.push(key, format!("entries[{i}].value"), "missing_value", "the entry has no `value`");
            None
        }
        Some(v) => {
            let field = format!("entries[{i}].value");
            match convert(v, kind, &field) {
                Err((field, code, msg)) => {
                    c.push(key, field, code, msg);
                    None
                }
                Ok(value) => match kind.check(&value) {
                    Ok(()) => Some(value),
                    Err((code, msg)) => {
                        c.push(key, field, code, msg);
                        None
                    }
                },
            }
        }
    };
    if let Some((from, Some(until))) = span {
        check_span(c, key, i, from, until);
    }
    if c.problems.len() != before {
        return (span, None);
    }
    let entry = match (from, value, reference) {
        (Some(from), Some(value), Some(reference)) => {
            Some(DatedValue { from, until, value, reference, note, status, source })
        }
        _ => None,
    };
    (span, entry)
}

fn check_span(c: &mut Collector<'_>, key: &str, i: usize, from: NaiveDate, until: NaiveDate) {
    if until < from {
        c.push(
            key,
            format!("entries[{i}].until"),
            "until_before_from",
            format!("`until` {until} is before `from` {from}"),
        );
    }
}

fn read_date(c: &mut Collector<'_>, key: &str, i: usize, field: &str, v: &toml::Value) -> Option<NaiveDate> {
    let date = match v {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            dt.date.and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)))
        }
        _ => None,
    };
    if date.is_none() {
        let hint = if v.is_str() { " (write the date without quotes: 2026-07-01)" } else { "" };
        c.push(
            key,
            format!("entries[{i}].{field}"),
            "wrong_type",
            format!("`{field}` must be a TOML date like 2026-07-01{hint}"),
        );
    }
    date
}

type ConvertError = (String, &'static str, String);

fn float_refused(field: &str, f: f64) -> ConvertError {
    (
        field.to_string(),
        "float_refused",
        format!("{f} is a TOML float, which is not exact; write it as a quoted decimal, e.g. \"{f}\""),
    )
}

fn wrong_type(field: &str, kind: &ValueKind, v: &toml::Value) -> ConvertError {
    (field.to_string(), "wrong_type", format!("expected {}, found TOML {}", kind.describe(), v.type_str()))
}

/// Converts a TOML value to the catalogued kind (type only; ranges are checked after).
fn convert(v: &toml::Value, kind: &ValueKind, field: &str) -> Result<Value, ConvertError> {
    if let toml::Value::Float(f) = v {
        return Err(float_refused(field, *f));
    }
    match (kind, v) {
        (ValueKind::Int { .. }, toml::Value::Integer(i)) => Ok(Value::Int(*i)),
        (ValueKind::Decimal { .. }, toml::Value::Integer(i)) => Ok(Value::Decimal((*i).into())),
        (ValueKind::Decimal { .. }, toml::Value::String(s)) => {
            parse_decimal_str(s).map(Value::Decimal).ok_or_else(|| {
                (field.to_string(), "wrong_type", format!("`{s}` is not a plain decimal number like \"0.90\""))
            })
        }
        (ValueKind::Bool, toml::Value::Boolean(b)) => Ok(Value::Bool(*b)),
        (ValueKind::Text { .. }, toml::Value::String(s)) => Ok(Value::Text(s.clone())),
        (ValueKind::Time, toml::Value::String(s)) => parse_time(s)
            .map(Value::Time)
            .ok_or_else(|| (field.to_string(), "wrong_type", format!("`{s}` is not a time of day like \"07:30\""))),
        (ValueKind::Time, toml::Value::Datetime(dt)) => {
            local_time(dt).map(Value::Time).ok_or_else(|| wrong_type(field, kind, v))
        }
        (ValueKind::Custom { .. }, v) => convert_any(v, field),
        _ => Err(wrong_type(field, kind, v)),
    }
}

/// Syntactic conversion for structured values (see [`Value`]).
fn convert_any(v: &toml::Value, field: &str) -> Result<Value, ConvertError> {
    Ok(match v {
        toml::Value::String(s) => Value::Text(s.clone()),
        toml::Value::Integer(i) => Value::Int(*i),
        toml::Value::Float(f) => return Err(float_refused(field, *f)),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(dt) => match local_time(dt) {
            Some(t) => Value::Time(t),
            None => Value::Text(dt.to_string()),
        },
        toml::Value::Array(items) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| convert_any(x, &format!("{field}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => Value::Table(
            t.iter()
                .map(|(k, x)| convert_any(x, &format!("{field}.{k}")).map(|x| (k.clone(), x)))
                .collect::<Result<_, _>>()?,
        ),
    })
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S")).ok()
}

fn local_time(dt: &toml::value::Datetime) -> Option<NaiveTime> {
    match (dt.date, dt.time, dt.offset) {
        (None, Some(t), None) => {
            NaiveTime::from_hms_nano_opt(u32::from(t.hour), u32::from(t.minute), u32::from(t.second), t.nanosecond)
        }
        _ => None,
    }
}

/// Order, overlap and gap between consecutive entries of one timeline.
fn check_timeline(c: &mut Collector<'_>, key: &str, spans: &[Span]) {
    for (i, pair) in spans.windows(2).enumerate() {
        let [(prev_from, prev_until), (next_from, _)] = pair else { continue };
        let j = i + 1;
        if next_from <= prev_from {
            c.push(
                key,
                format!("entries[{j}].from"),
                "unordered",
                format!(
                    "`from` {next_from} is not after the previous entry's `from` {prev_from}; list entries oldest first"
                ),
            );
            continue;
        }
        let Some(until) = *prev_until else { continue };
        if until >= *next_from {
            c.push(
                key,
                format!("entries[{i}].until"),
                "overlap",
                format!("`until` {until} overlaps the next entry, which starts {next_from}"),
            );
        } else if until.checked_add_days(Days::new(1)).is_some_and(|d| d < *next_from) {
            c.push(
                key,
                format!("entries[{i}].until"),
                "gap",
                format!(
                    "no value between `until` {until} and the next entry's `from` {next_from}; end the entry the day before or drop `until`"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn toml_value(text: &str) -> toml::Value {
        let t: toml::Table = toml::from_str(&format!("v = {text}")).expect("test TOML");
        t.get("v").cloned().expect("v")
    }

    fn conv(text: &str, kind: &ValueKind) -> Result<Value, &'static str> {
        convert(&toml_value(text), kind, "f").map_err(|e| e.1)
    }

    #[test]
    fn decimals_come_from_strings_or_integers_never_floats() {
        let k = ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE };
        assert_eq!(conv("\"0.90\"", &k), Ok(Value::Decimal(Decimal::new(90, 2))));
        assert_eq!(conv("1", &k), Ok(Value::Decimal(Decimal::ONE)));
        assert_eq!(conv("0.9", &k), Err("float_refused"));
        assert_eq!(conv("\"9e-1\"", &k), Err("wrong_type"));
        assert_eq!(conv("\"0,9\"", &k), Err("wrong_type"));
        assert_eq!(conv("true", &k), Err("wrong_type"));
    }

    #[test]
    fn times_from_strings_or_local_times() {
        let t = |h, m, s| Ok(Value::Time(NaiveTime::from_hms_opt(h, m, s).expect("time")));
        assert_eq!(conv("\"07:30\"", &ValueKind::Time), t(7, 30, 0));
        assert_eq!(conv("\"16:00:30\"", &ValueKind::Time), t(16, 0, 30));
        assert_eq!(conv("07:30:00", &ValueKind::Time), t(7, 30, 0));
        assert_eq!(conv("\"25:00\"", &ValueKind::Time), Err("wrong_type"));
        assert_eq!(conv("2026-01-01", &ValueKind::Time), Err("wrong_type"));
        assert_eq!(conv("2026-01-01T07:30:00", &ValueKind::Time), Err("wrong_type"));
    }

    #[test]
    fn text_and_bool_kinds() {
        let k = ValueKind::Text { choices: &["a"] };
        assert_eq!(conv("\"a\"", &k), Ok(Value::Text("a".into())));
        assert_eq!(conv("1", &k), Err("wrong_type"));
        assert_eq!(conv("true", &ValueKind::Bool), Ok(Value::Bool(true)));
        assert_eq!(conv("\"true\"", &ValueKind::Bool), Err("wrong_type"));
    }

    #[test]
    fn custom_values_convert_syntactically() {
        let k = ValueKind::Custom { describe: "anything", check: |_| Ok(()) };
        let v = conv(r#"[{ a = "0.5", b = 2, c = 07:30:00, d = 2026-01-01 }, true]"#, &k).expect("converts");
        let list = v.as_list().expect("list");
        let t = list[0].as_table().expect("table");
        assert_eq!(t["a"], Value::Text("0.5".into()));
        assert_eq!(t["b"], Value::Int(2));
        assert_eq!(t["c"].as_time(), NaiveTime::from_hms_opt(7, 30, 0));
        assert_eq!(t["d"], Value::Text("2026-01-01".into()));
        assert_eq!(list[1], Value::Bool(true));
        let err = convert(&toml_value("[1, { x = [0.5] }]"), &k, "f").expect_err("float");
        assert_eq!((err.0.as_str(), err.1), ("f[1].x[0]", "float_refused"));
    }

    #[test]
    fn in_force_and_effective_until() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let e = |from, until| DatedValue {
            from,
            until,
            value: Value::Int(1),
            reference: "r".into(),
            note: None,
            status: ValueStatus::Unstated,
            source: None,
        };
        let a = e(d(2020, 1, 1), None);
        let b = e(d(2021, 1, 1), None);
        assert!(!a.in_force(d(2019, 12, 31), Some(&b)));
        assert!(a.in_force(d(2020, 1, 1), Some(&b)));
        assert!(a.in_force(d(2020, 12, 31), Some(&b)));
        assert!(!a.in_force(d(2021, 1, 1), Some(&b)));
        assert!(a.in_force(d(2099, 1, 1), None));
        assert_eq!(a.effective_until(Some(&b)), Some(d(2020, 12, 31)));
        assert_eq!(a.effective_until(None), None);
        let closed = e(d(2020, 1, 1), Some(d(2020, 6, 30)));
        assert!(closed.in_force(d(2020, 6, 30), None));
        assert!(!closed.in_force(d(2020, 7, 1), None));
    }
}
