//! Text for people, in Indonesian (the default) or English.
//!
//! Everything a person reads (a slip's explanation lines, a refusal of the ledger, a
//! problem in a dataset, a reason not to pay) is produced by the engine as
//! **structured data**, a [`Message`]: a message id (`slip-deduction-late`,
//! `error-outside-entry-window`, `problem-unknown-reference`) and typed arguments
//! ([`Arg`]: amounts, counts, percentages, dates, codes). One [`Renderer`] turns a
//! message into text with the message catalogues of [Project Fluent](https://projectfluent.org)
//! compiled into the crate (`core/locales/id/*.ftl`, `core/locales/en/*.ftl`), and
//! formats each argument in the language's style with the formatters of this module:
//!
//! | | Indonesian ([`Lang::Id`], default) | English ([`Lang::En`]) |
//! |---|---|---|
//! | [`rupiah`] | `Rp 6.500.000`, `Rp 1.234,50`, `-Rp 150.000` | `Rp 6,500,000`, `Rp 1,234.50`, `-Rp 150,000` |
//! | [`number`] | `6.600`, `0,85` | `6,600`, `0.85` |
//! | [`percent`] | `0,5%` | `0.5%` |
//! | [`date`] | `5 Oktober 2026` | `5 October 2026` |
//! | [`month`] | `Oktober 2026` | `October 2026` |
//! | [`weekday`] | `Senin` | `Monday` |
//! | [`time`] | `07.30` | `07:30` |
//!
//! The module is pure: no I/O. A [`Renderer`] is `Send + Sync`, so a service builds one
//! at start (with its own page strings: [`Renderer::with_resources`]) and shares it
//! between requests; [`Renderer::builtin`] is one shared renderer of the engine's own
//! catalogues.
//!
//! # In a service
//!
//! - the language of a request: [`Lang::negotiate`] (`?lang=`, then `Accept-Language`,
//!   then Indonesian);
//! - page strings next to the engine's messages: [`Renderer::with_resources`] (Fluent
//!   text per language; an id the engine already has is refused), a city's corrections:
//!   [`Renderer::overriding`];
//! - any message: [`Renderer::text`] / [`Renderer::message`]; an engine error:
//!   [`Renderer::error`] (anything [`Localized`]); a problem in data: [`Renderer::problem`];
//! - a slip: [`Renderer::rendered_slip`] (its text line by line, as data for a template
//!   or JSON) or [`Renderer::slip`] (printed); the slip itself keeps its lines as data
//!   ([`crate::allowance::Explanation`]);
//! - amounts, numbers and dates in a template: [`rupiah`], [`number`], [`date`],
//!   [`month`], [`time`].
//!
//! ```
//! use kinerja::i18n::{Args, Lang, Renderer};
//! let pages = Renderer::with_resources(
//!     "page-net = Tunjangan bersih { $net }",
//!     "page-net = Net allowance { $net }",
//! ).unwrap();
//! let lang = Lang::negotiate(None, Some("en-GB,en;q=0.9"));
//! let net = kinerja::Money::from_rupiah(2_212_418);
//! assert_eq!(pages.text(lang, "page-net", &Args::new().money("net", net)), "Net allowance Rp 2,212,418");
//! assert_eq!(pages.text(Lang::Id, "page-net", &Args::new().money("net", net)), "Tunjangan bersih Rp 2.212.418");
//! ```
//!
//! ```
//! use kinerja::i18n::{Lang, Message, Renderer, rupiah};
//! use kinerja::Money;
//!
//! assert_eq!(rupiah(Money::from_rupiah(6_500_000), Lang::Id), "Rp 6.500.000");
//! assert_eq!(rupiah(Money::from_rupiah(6_500_000), Lang::En), "Rp 6,500,000");
//!
//! let r = Renderer::new();
//! let m = Message::new("error-month-closed").month("month", "2026-10".parse().unwrap());
//! assert_eq!(r.message(Lang::Id, &m), "Bulan Oktober 2026 sudah ditutup; tidak ada perubahan yang diterima.");
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::Money;
use crate::month::YearMonth;

mod errors;
mod render;

pub use errors::Localized;
pub use render::{CatalogueError, RenderedLine, RenderedSlip, Renderer};

// ---------------------------------------------------------------------------
// Languages
// ---------------------------------------------------------------------------

/// A language text is rendered in. Indonesian is the default.
///
/// Parsed from `id`, `en` or a language tag whose language is one of them (`id-ID`,
/// `en-US`, `en_GB`, any case); written as `id` or `en`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// Bahasa Indonesia (the default).
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Indonesian first.
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    /// `id` or `en`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

impl Lang {
    /// The language a caller asks for: `query` (a `?lang=` value) when it names one,
    /// else the most preferred of `accept` (an HTTP `Accept-Language` header, with its
    /// `q` weights) that is Indonesian or English, else Indonesian.
    ///
    /// ```
    /// use kinerja::i18n::Lang;
    /// assert_eq!(Lang::negotiate(None, Some("en-US,en;q=0.9,id;q=0.8")), Lang::En);
    /// assert_eq!(Lang::negotiate(None, Some("fr-FR, id;q=0.5, en;q=0.4")), Lang::Id);
    /// assert_eq!(Lang::negotiate(Some("en"), Some("id")), Lang::En);
    /// assert_eq!(Lang::negotiate(Some("xx"), None), Lang::Id);
    /// ```
    pub fn negotiate(query: Option<&str>, accept: Option<&str>) -> Lang {
        if let Some(l) = query.and_then(|q| q.parse().ok()) {
            return l;
        }
        let mut best: Option<(u32, usize, Lang)> = None;
        for (i, part) in accept.unwrap_or("").split(',').enumerate() {
            let mut bits = part.split(';');
            let Some(Ok(lang)) = bits.next().map(|t| t.trim().parse::<Lang>()) else { continue };
            // q in thousandths (0 refuses the language); 1 when absent.
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .next()
                .map_or(1000, |q| q.trim().parse::<f32>().map_or(0, |v| (v.clamp(0.0, 1.0) * 1000.0) as u32));
            if q > 0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, lang));
            }
        }
        best.map_or(Lang::Id, |(_, _, l)| l)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A language that is neither Indonesian nor English.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a language this engine speaks (id, en)")]
pub struct LangParseError {
    /// The text refused.
    pub text: String,
}

impl FromStr for Lang {
    type Err = LangParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let primary = t.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            // `in` is the old ISO 639 code of Indonesian, still sent by some Java platforms.
            "id" | "in" => Ok(Lang::Id),
            "en" => Ok(Lang::En),
            _ => Err(LangParseError { text: s.to_string() }),
        }
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// Formatters
// ---------------------------------------------------------------------------

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// `digits` (ASCII, no sign) grouped by three with `sep`.
fn group(digits: &str, sep: char) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// The integer and fraction digits of `|d|` (fraction with its trailing zeros removed).
fn digits_of(d: Decimal) -> (String, String) {
    let text = d.abs().normalize().to_string();
    match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (text, String::new()),
    }
}

/// An amount of rupiah in the language's style: `Rp 6.500.000` (Indonesian) or
/// `Rp 6,500,000` (English). Cents only when there are any, at least two digits:
/// `Rp 1.234,50` / `Rp 1,234.50`; a negative amount `-Rp 150.000`. The one money
/// formatter of the workspace (the machine form of an amount is its plain decimal
/// text, [`Money::amount`]).
pub fn rupiah(amount: Money, lang: Lang) -> String {
    let d = amount.amount();
    let (sep, point) = separators(lang);
    let (int, mut frac) = digits_of(d);
    let sign = if d.is_sign_negative() && !d.is_zero() { "-" } else { "" };
    if frac.is_empty() {
        return format!("{sign}Rp {}", group(&int, sep));
    }
    while frac.len() < 2 {
        frac.push('0');
    }
    format!("{sign}Rp {}{point}{frac}", group(&int, sep))
}

/// A number in the language's style: `6.600` / `6,600`, `0,85` / `0.85`, `-12`. Integers
/// and decimals alike (any `Into<Decimal>`: `i64`, `u32`, `usize`, [`Decimal`]);
/// decimals are written without trailing zeros.
pub fn number(n: impl Into<Decimal>, lang: Lang) -> String {
    let d: Decimal = n.into();
    let (sep, point) = separators(lang);
    let (int, frac) = digits_of(d);
    let sign = if d.is_sign_negative() && !d.is_zero() { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{}", group(&int, sep))
    } else {
        format!("{sign}{}{point}{frac}", group(&int, sep))
    }
}

/// A percentage: `0,5%` / `0.5%`, `60%`.
pub fn percent(p: Decimal, lang: Lang) -> String {
    format!("{}%", number(p, lang))
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of month `m` (1-12): `Oktober` / `October`; `?` outside 1-12.
pub fn month_name(m: u32, lang: Lang) -> &'static str {
    let names = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS_EN,
    };
    m.checked_sub(1).and_then(|i| names.get(i as usize)).copied().unwrap_or("?")
}

/// A date: `5 Oktober 2026` / `5 October 2026`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    format!("{} {} {}", d.day(), month_name(d.month(), lang), d.year())
}

/// A month: `Oktober 2026` / `October 2026`.
pub fn month(m: YearMonth, lang: Lang) -> String {
    format!("{} {}", month_name(m.month(), lang), m.year())
}

/// The name of a weekday: `Senin` / `Monday`.
pub fn weekday(w: Weekday, lang: Lang) -> &'static str {
    match (lang, w) {
        (Lang::Id, Weekday::Mon) => "Senin",
        (Lang::Id, Weekday::Tue) => "Selasa",
        (Lang::Id, Weekday::Wed) => "Rabu",
        (Lang::Id, Weekday::Thu) => "Kamis",
        (Lang::Id, Weekday::Fri) => "Jumat",
        (Lang::Id, Weekday::Sat) => "Sabtu",
        (Lang::Id, Weekday::Sun) => "Minggu",
        (Lang::En, Weekday::Mon) => "Monday",
        (Lang::En, Weekday::Tue) => "Tuesday",
        (Lang::En, Weekday::Wed) => "Wednesday",
        (Lang::En, Weekday::Thu) => "Thursday",
        (Lang::En, Weekday::Fri) => "Friday",
        (Lang::En, Weekday::Sat) => "Saturday",
        (Lang::En, Weekday::Sun) => "Sunday",
    }
}

/// A time of day: `07.30` (Indonesian, as PUEBI writes it) / `07:30`; seconds only
/// when there are any (`07.30.15`).
pub fn time(t: NaiveTime, lang: Lang) -> String {
    let sep = match lang {
        Lang::Id => '.',
        Lang::En => ':',
    };
    if t.second() == 0 {
        format!("{:02}{sep}{:02}", t.hour(), t.minute())
    } else {
        format!("{:02}{sep}{:02}{sep}{:02}", t.hour(), t.minute(), t.second())
    }
}

/// A date and time: `5 Oktober 2026 07.30` / `5 October 2026 07:30`.
pub fn datetime(t: NaiveDateTime, lang: Lang) -> String {
    format!("{} {}", date(t.date(), lang), time(t.time(), lang))
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/// One typed argument of a [`Message`]; the renderer formats it in the language.
///
/// JSON: an object with one key naming the type: `{"money": "1000000"}`, `{"int": 2}`,
/// `{"number": "0.85"}`, `{"percent": "0.5"}`, `{"text": "DINKES-P002"}`,
/// `{"code": "absence.permit"}`, `{"date": "2026-05-01"}`,
/// `{"datetime": "2026-10-05T07:30:00"}`, `{"time": "07:30:00"}`, `{"month": "2026-05"}`,
/// `{"message": {"id": ..., "args": {...}}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// An amount of rupiah ([`rupiah`]).
    Money(Money),
    /// A whole number: a count, days, minutes, a job class ([`number`]; it also
    /// chooses plural forms, `1 day` / `2 days`).
    Int(i64),
    /// A decimal number ([`number`]).
    Number(Decimal),
    /// A percentage ([`percent`]).
    Percent(Decimal),
    /// Text shown as it is: an id, a position, a legal reference.
    Text(String),
    /// A code of the engine (`absence.permit`, `record.employee`,
    /// `sanction.medium`), shown as its name in the language: the message
    /// `code-absence-permit` of the catalogue, or the code itself when there is none.
    Code(String),
    /// A date ([`date`]).
    Date(NaiveDate),
    /// A date and time ([`datetime`]).
    Datetime(NaiveDateTime),
    /// A time of day ([`time`]).
    Time(NaiveTime),
    /// A month ([`month`]).
    Month(YearMonth),
    /// Another message, rendered in the same language (the reason inside a
    /// refusal, e.g. why a journal event cannot be replayed).
    Message(Box<Message>),
}

impl Arg {
    /// The argument in `lang`'s style, without a renderer: a [`Arg::Code`] is its
    /// code. The [`Renderer`] names codes.
    pub fn format(&self, lang: Lang) -> String {
        match self {
            Arg::Money(m) => rupiah(*m, lang),
            Arg::Int(n) => number(*n, lang),
            Arg::Number(d) => number(*d, lang),
            Arg::Percent(p) => percent(*p, lang),
            Arg::Text(t) | Arg::Code(t) => t.clone(),
            Arg::Date(d) => date(*d, lang),
            Arg::Datetime(t) => datetime(*t, lang),
            Arg::Time(t) => time(*t, lang),
            Arg::Month(m) => month(*m, lang),
            Arg::Message(m) => m.id.clone(),
        }
    }
}

/// Named arguments of a message, in name order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Args(BTreeMap<String, Arg>);

macro_rules! builders {
    ($($(#[$doc:meta])* $name:ident($t:ty) => $variant:ident;)*) => {
        impl Args {
            $(
                $(#[$doc])*
                pub fn $name(mut self, name: &str, value: $t) -> Self {
                    self.0.insert(name.to_string(), Arg::$variant(value.into()));
                    self
                }
            )*
        }
        impl Message {
            $(
                $(#[$doc])*
                pub fn $name(mut self, name: &str, value: $t) -> Self {
                    self.args.0.insert(name.to_string(), Arg::$variant(value.into()));
                    self
                }
            )*
        }
    };
}

builders! {
    /// Adds an amount of rupiah.
    money(impl Into<Money>) => Money;
    /// Adds a whole number (a count, days, minutes).
    int(i64) => Int;
    /// Adds a decimal number.
    number(Decimal) => Number;
    /// Adds a percentage.
    percent(Decimal) => Percent;
    /// Adds text shown as it is.
    text(impl Into<String>) => Text;
    /// Adds a code shown as its name in the language (`absence.permit`).
    code(impl Into<String>) => Code;
    /// Adds a date.
    date(NaiveDate) => Date;
    /// Adds a date and time.
    datetime(NaiveDateTime) => Datetime;
    /// Adds a time of day.
    time(NaiveTime) => Time;
    /// Adds a month.
    month(YearMonth) => Month;
    /// Adds another message, rendered in the same language.
    message(Message) => Message;
}

impl Args {
    /// No arguments.
    pub fn new() -> Self {
        Args::default()
    }

    /// Sets (or replaces) an argument.
    pub fn set(&mut self, name: impl Into<String>, value: Arg) {
        self.0.insert(name.into(), value);
    }

    /// The argument named `name`.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.0.get(name)
    }

    /// The arguments, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Arg)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of arguments.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>> FromIterator<(K, Arg)> for Args {
    fn from_iter<I: IntoIterator<Item = (K, Arg)>>(iter: I) -> Self {
        Args(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// What a text is made of: a message id of the catalogues and its arguments.
///
/// JSON: `{"id": "slip-deduction-late", "args": {"band": {"int": 1}, ...}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// The message id, e.g. `slip-deduction-late`.
    pub id: String,
    /// Its arguments.
    #[serde(default)]
    pub args: Args,
}

impl Message {
    /// A message without arguments (add them with the builder methods).
    pub fn new(id: impl Into<String>) -> Self {
        Message { id: id.into(), args: Args::new() }
    }

    /// The message in `lang` (a shortcut for [`Renderer::message`] with
    /// [`Renderer::builtin`], the shared renderer of the engine's catalogues).
    pub fn render(&self, lang: Lang) -> String {
        Renderer::builtin().message(lang, self)
    }
}

/// The message id for a stable code of the engine: `prefix-` then the code with `_`
/// and `.` written as `-` (`error`, `outside_entry_window` ->
/// `error-outside-entry-window`).
pub fn message_id(prefix: &str, code: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 1 + code.len());
    id.push_str(prefix);
    id.push('-');
    id.extend(code.chars().map(|c| if c == '_' || c == '.' { '-' } else { c }));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).expect("test literal")
    }

    #[test]
    fn rupiah_in_both_styles() {
        for (amount, id, en) in [
            ("0", "Rp 0", "Rp 0"),
            ("-0", "Rp 0", "Rp 0"),
            ("6500000", "Rp 6.500.000", "Rp 6,500,000"),
            ("6500000.00", "Rp 6.500.000", "Rp 6,500,000"),
            ("1234.5", "Rp 1.234,50", "Rp 1,234.50"),
            ("1234.50", "Rp 1.234,50", "Rp 1,234.50"),
            ("0.05", "Rp 0,05", "Rp 0.05"),
            ("1234.125", "Rp 1.234,125", "Rp 1,234.125"),
            ("-150000", "-Rp 150.000", "-Rp 150,000"),
            ("-1234.5", "-Rp 1.234,50", "-Rp 1,234.50"),
            ("999", "Rp 999", "Rp 999"),
            ("1000", "Rp 1.000", "Rp 1,000"),
            ("1000000000", "Rp 1.000.000.000", "Rp 1,000,000,000"),
        ] {
            assert_eq!(rupiah(m(amount), Lang::Id), id, "{amount}");
            assert_eq!(rupiah(m(amount), Lang::En), en, "{amount}");
        }
    }

    #[test]
    fn numbers_percentages_dates() {
        assert_eq!(number(6600i64, Lang::Id), "6.600");
        assert_eq!(number(6600i64, Lang::En), "6,600");
        assert_eq!(number(-1_234_567i64, Lang::Id), "-1.234.567");
        assert_eq!(number(Decimal::new(850, 3), Lang::Id), "0,85");
        assert_eq!(number(Decimal::new(850, 3), Lang::En), "0.85");
        assert_eq!(number(0u32, Lang::En), "0");
        assert_eq!(percent(Decimal::new(5, 1), Lang::Id), "0,5%");
        assert_eq!(percent(Decimal::new(6000, 2), Lang::En), "60%");
        let d = |y, mo, da| NaiveDate::from_ymd_opt(y, mo, da).expect("date");
        assert_eq!(date(d(2026, 10, 5), Lang::Id), "5 Oktober 2026");
        assert_eq!(date(d(2026, 10, 5), Lang::En), "5 October 2026");
        assert_eq!(date(d(2026, 12, 31), Lang::Id), "31 Desember 2026");
        assert_eq!(date(d(2026, 12, 31), Lang::En), "31 December 2026");
        assert_eq!(date(d(2026, 2, 1), Lang::Id), "1 Februari 2026");
        let ym: YearMonth = "2026-08".parse().expect("month");
        assert_eq!(month(ym, Lang::Id), "Agustus 2026");
        assert_eq!(month(ym, Lang::En), "August 2026");
        assert_eq!(weekday(d(2026, 10, 5).weekday(), Lang::Id), "Senin");
        assert_eq!(weekday(d(2026, 10, 9).weekday(), Lang::Id), "Jumat");
        assert_eq!(weekday(d(2026, 10, 11).weekday(), Lang::En), "Sunday");
        let t = NaiveTime::from_hms_opt(7, 30, 0).expect("time");
        assert_eq!(time(t, Lang::Id), "07.30");
        assert_eq!(time(t, Lang::En), "07:30");
        assert_eq!(datetime(d(2026, 10, 5).and_time(t), Lang::Id), "5 Oktober 2026 07.30");
        assert_eq!(month_name(13, Lang::Id), "?");
    }

    #[test]
    fn languages_parse_and_print() {
        for (text, lang) in [("id", Lang::Id), ("id-ID", Lang::Id), ("ID_id", Lang::Id), ("in", Lang::Id)] {
            assert_eq!(text.parse::<Lang>(), Ok(lang), "{text}");
        }
        for text in ["en", "en-US", "en_GB", "EN"] {
            assert_eq!(text.parse::<Lang>(), Ok(Lang::En), "{text}");
        }
        assert!("fr".parse::<Lang>().is_err());
        assert!("".parse::<Lang>().is_err());
        assert_eq!(Lang::default(), Lang::Id);
        assert_eq!(Lang::En.to_string(), "en");
        assert_eq!(serde_json::to_string(&Lang::Id).expect("json"), "\"id\"");
    }

    #[test]
    fn the_language_of_a_request() {
        // ?lang= wins; then the highest q among id/en; q=0 refuses; ties go to the first.
        assert_eq!(Lang::negotiate(Some("en-US"), Some("id")), Lang::En);
        assert_eq!(Lang::negotiate(Some("de"), Some("en")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("en;q=0, id;q=0.1")), Lang::Id);
        assert_eq!(Lang::negotiate(None, Some("id;q=0, en;q=0.1")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("id;q=0.5, en;q=0.8")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("en, id")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("*")), Lang::Id);
        assert_eq!(Lang::negotiate(None, Some("en;q=bogus")), Lang::Id);
        assert_eq!(Lang::negotiate(None, None), Lang::Id);
    }

    #[test]
    fn messages_round_trip_as_json() {
        let msg = Message::new("slip-deduction-late")
            .int("band", 1)
            .money("base", m("1000000"))
            .percent("rate", Decimal::new(5, 1))
            .code("base_kind", "discipline");
        let json = serde_json::to_string(&msg).expect("json");
        assert_eq!(
            json,
            r#"{"id":"slip-deduction-late","args":{"band":{"int":1},"base":{"money":"1000000"},"base_kind":{"code":"discipline"},"rate":{"percent":"0.5"}}}"#
        );
        assert_eq!(serde_json::from_str::<Message>(&json).expect("reads"), msg);
        assert_eq!(message_id("error", "outside_entry_window"), "error-outside-entry-window");
        assert_eq!(message_id("code-absence", "leave.important_reason"), "code-absence-leave-important-reason");
    }
}
