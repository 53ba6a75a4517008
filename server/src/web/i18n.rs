//! Everything a person reads on a page, in Indonesian (the default) or English:
//! the page strings from the Fluent catalogues `locales/{id,en}/web.ftl`, and
//! money, dates, months and numbers written the way each language writes them.
//!
//! This module is the **one place** the pages go through. It stands in for the
//! core's renderer (`kinerja::i18n::{Lang, Renderer, rupiah, date, month,
//! number}`, being built on another branch): [`Lang`] mirrors its `Lang`,
//! [`Catalog::with_resources`] its `Renderer::with_resources(extra_id_ftl,
//! extra_en_ftl)`, and the free functions [`rupiah`], [`date`], [`month`] and
//! [`number`] its formatters. When the core's renderer lands, this file becomes a
//! re-export of it plus [`Tr`]; the templates and handlers, which only see
//! [`Tr`], do not change. Slip explanation lines and error messages also go
//! through [`Tr`] (by message id when the core gives one, otherwise the core's
//! own text), so that switching them to the core's Indonesian is one change here.

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use kinerja::YearMonth;
use kinerja::money::Money;
use rust_decimal::Decimal;

use crate::error::ApiError;

/// The page strings, Indonesian.
const WEB_ID: &str = include_str!("../../locales/id/web.ftl");
/// The page strings, English.
const WEB_EN: &str = include_str!("../../locales/en/web.ftl");

/// A language a page is shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Bahasa Indonesia, the default.
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag (`id`, `en`), as in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Reads a tag; `None` for any other language.
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "id" | "id-id" | "in" => Some(Lang::Id),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language (for the switch link).
    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

/// The Fluent catalogues of both languages.
pub struct Catalog {
    id: Bundle,
    en: Bundle,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalog")
    }
}

fn bundle(lang: Lang, text: &str) -> Result<Bundle, String> {
    let tag: unic_langid::LanguageIdentifier = lang.tag().parse().map_err(|e| format!("{e}"))?;
    let mut b = FluentBundle::new_concurrent(vec![tag]);
    // No Unicode isolation marks: the values are plain text in HTML.
    b.set_use_isolating(false);
    let resource = FluentResource::try_new(text.to_string())
        .map_err(|(_, errors)| format!("{} web.ftl: {errors:?}", lang.tag()))?;
    b.add_resource(resource).map_err(|e| format!("{} web.ftl: {e:?}", lang.tag()))?;
    Ok(b)
}

impl Catalog {
    /// The catalogues with extra resources added (the server's page strings).
    /// The same signature as the core's `Renderer::with_resources`.
    pub fn with_resources(extra_id: &str, extra_en: &str) -> Result<Catalog, String> {
        Ok(Catalog { id: bundle(Lang::Id, extra_id)?, en: bundle(Lang::En, extra_en)? })
    }

    /// A message, or `None` when the catalogue of `lang` has no such id.
    pub fn message(&self, lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        let b = match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        };
        let pattern = b.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = b.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!("message `{id}` ({}): {errors:?}", lang.tag());
        }
        Some(text.into_owned())
    }

    /// Every message id of a language (for the catalogue test).
    pub fn ids(lang: Lang) -> Vec<String> {
        let text = match lang {
            Lang::Id => WEB_ID,
            Lang::En => WEB_EN,
        };
        text.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_string()))
            .collect()
    }
}

/// The catalogues, loaded once.
pub static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::with_resources(WEB_ID, WEB_EN).unwrap_or_else(|e| panic!("the page catalogues do not load: {e}"))
});

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

fn month_name(m: u32, lang: Lang) -> &'static str {
    let names = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS_EN,
    };
    names.get(m.saturating_sub(1) as usize).copied().unwrap_or("")
}

/// Groups the digits of a whole number: `6.500.000` (Indonesian), `6,500,000` (English).
fn group(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// A decimal with grouped thousands and at most `dp` decimals (trailing zeros
/// dropped): `1.234,5` / `1,234.5`.
pub fn decimal(d: Decimal, dp: u32, lang: Lang) -> String {
    let (thousands, point) = separators(lang);
    let r = d.round_dp(dp).normalize();
    let negative = r.is_sign_negative() && !r.is_zero();
    let text = r.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group(int, thousands));
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A whole number: `5.925` / `5,925`.
pub fn number(n: i64, lang: Lang) -> String {
    decimal(Decimal::from(n), 0, lang)
}

/// Rupiah: `Rp 6.500.000`, `-Rp 150.000`, `Rp 0,50` (Indonesian); `Rp 6,500,000` (English).
pub fn rupiah(m: Money, lang: Lang) -> String {
    let (thousands, point) = separators(lang);
    let d = m.amount();
    let negative = d.is_sign_negative() && !d.is_zero();
    let r = d.abs().round_dp(2);
    let text = if r.fract().is_zero() { r.trunc().to_string() } else { format!("{r:.2}") };
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::from(if negative { "-Rp " } else { "Rp " });
    out.push_str(&group(int, thousands));
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A date: `5 Oktober 2026` / `5 October 2026`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    format!("{} {} {}", d.day(), month_name(d.month(), lang), d.year())
}

/// A month: `Oktober 2026` / `October 2026`.
pub fn month(m: YearMonth, lang: Lang) -> String {
    let first = m.first_day();
    format!("{} {}", month_name(first.month(), lang), first.year())
}

/// A weekday's name: `Senin` / `Monday`.
pub fn weekday(d: NaiveDate, lang: Lang) -> &'static str {
    let i = d.weekday().num_days_from_monday() as usize;
    let names: [&str; 7] = match lang {
        Lang::Id => ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
        Lang::En => ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    };
    names.get(i).copied().unwrap_or("")
}

/// The page-side adapter: a language and the catalogues. Templates call its
/// methods; nothing else in the server formats text for people.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
    catalog: &'static Catalog,
}

impl Tr {
    /// The adapter for a language.
    pub fn new(lang: Lang) -> Tr {
        Tr { lang, catalog: &CATALOG }
    }

    /// The `<html lang>` tag.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// A page string. A missing id shows as itself (and is caught by the
    /// catalogue test), never as an empty space.
    pub fn t(&self, id: &str) -> String {
        self.catalog.message(self.lang, id, None).unwrap_or_else(|| id.to_string())
    }

    /// A page string with named values (already formatted text).
    pub fn f(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, FluentValue::from(v.to_string()));
        }
        self.catalog.message(self.lang, id, Some(&a)).unwrap_or_else(|| id.to_string())
    }

    /// A page string with one named value.
    pub fn f1(&self, id: &str, name: &str, value: &str) -> String {
        self.f(id, &[(name, value)])
    }

    /// A page string chosen by a count (`one`/`other` in English; Indonesian has
    /// one form); `$n` is the count written in the language.
    pub fn count(&self, id: &str, n: i64) -> String {
        let mut a = FluentArgs::new();
        a.set("count", FluentValue::from(n));
        a.set("n", FluentValue::from(number(n, self.lang)));
        self.catalog.message(self.lang, id, Some(&a)).unwrap_or_else(|| id.to_string())
    }

    /// Rupiah.
    pub fn rp(&self, m: &Money) -> String {
        rupiah(*m, self.lang)
    }

    /// A date.
    pub fn date(&self, d: &NaiveDate) -> String {
        date(*d, self.lang)
    }

    /// A date with its weekday: `Senin, 5 Oktober 2026`.
    pub fn day(&self, d: &NaiveDate) -> String {
        format!("{}, {}", weekday(*d, self.lang), date(*d, self.lang))
    }

    /// A month.
    pub fn month(&self, m: &YearMonth) -> String {
        month(*m, self.lang)
    }

    /// A whole number.
    pub fn num(&self, n: &i64) -> String {
        number(*n, self.lang)
    }

    /// A whole number (unsigned counts).
    pub fn count_of(&self, n: &usize) -> String {
        number(i64::try_from(*n).unwrap_or(i64::MAX), self.lang)
    }

    /// A decimal with at most `dp` places.
    pub fn dec(&self, d: &Decimal, dp: u32) -> String {
        decimal(*d, dp, self.lang)
    }

    /// A percentage: `87,5 %`.
    pub fn pct(&self, d: &Decimal) -> String {
        format!("{} %", decimal(*d, 1, self.lang))
    }

    /// Minutes: `1.234 menit` / `1,234 min`.
    pub fn minutes(&self, m: &kinerja::minutes::Minutes) -> String {
        self.f1("unit-minutes", "n", &number(m.get(), self.lang))
    }

    /// A time of day, `07:30`.
    pub fn time(&self, t: &NaiveTime) -> String {
        t.format("%H:%M").to_string()
    }

    /// The name of a stable code (status, absence kind, grade, ...): the
    /// message `{prefix}-{code}`, or the code itself when the catalogue lacks it.
    pub fn code(&self, prefix: &str, code: &str) -> String {
        let id = format!("{prefix}-{}", fluent_id(code));
        self.catalog.message(self.lang, &id, None).unwrap_or_else(|| code.to_string())
    }

    /// A refusal, for people: the catalogue's sentence for the core's reason or
    /// code, filled with the values the core gave; otherwise the core's own text.
    pub fn error(&self, e: &ApiError) -> String {
        let mut args = FluentArgs::new();
        for (k, v) in &e.args {
            args.set(k.as_str(), FluentValue::from(self.value(v).into_owned()));
        }
        let ids = e.reason.iter().map(|r| format!("err-{}", fluent_id(r))).chain([format!("err-{}", fluent_id(&e.code))]);
        for id in ids {
            if let Some(text) = self.catalog.message(self.lang, &id, Some(&args)) {
                return text;
            }
        }
        e.message.clone()
    }

    /// An error given by a message id and the core's English text (imports,
    /// for instance, give both): the catalogue's sentence when it has the id.
    pub fn message_or(&self, id: &str, core_text: &str) -> String {
        self.catalog.message(self.lang, id, None).unwrap_or_else(|| core_text.to_string())
    }

    /// The name of a slip line's rule (`ceiling`, `deduction.late.1`, ...).
    pub fn rule(&self, rule: &str) -> String {
        self.code("rule", rule)
    }

    /// A slip line's arithmetic in words. The core writes it in English today and
    /// gives no message id; the core's renderer will give the Indonesian.
    pub fn explanation(&self, line: &kinerja::allowance::SlipLine) -> String {
        line.explanation.clone()
    }

    /// A value handed to a message: dates written in the language, the rest as is.
    fn value<'v>(&self, v: &'v str) -> Cow<'v, str> {
        match kinerja::device::parse_date(v) {
            Some(d) if v.len() == 10 => Cow::Owned(date(d, self.lang)),
            _ => Cow::Borrowed(v),
        }
    }
}

/// A code as a Fluent identifier: dots and underscores become dashes.
pub fn fluent_id(code: &str) -> String {
    code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

/// True when `weekday` is Saturday or Sunday (for shading a calendar row only;
/// whether a day is worked is the core's calendar).
pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_and_dates_in_both_languages() {
        let m = Money::from_rupiah(6_500_000);
        assert_eq!(rupiah(m, Lang::Id), "Rp 6.500.000");
        assert_eq!(rupiah(m, Lang::En), "Rp 6,500,000");
        assert_eq!(rupiah(Money::from_rupiah(-150_000), Lang::Id), "-Rp 150.000");
        assert_eq!(rupiah(Money::ZERO, Lang::Id), "Rp 0");
        assert_eq!(rupiah(Money::parse("1234.5").unwrap(), Lang::Id), "Rp 1.234,50");
        assert_eq!(rupiah(Money::from_rupiah(999), Lang::Id), "Rp 999");
        let d = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        assert_eq!(date(d, Lang::Id), "5 Oktober 2026");
        assert_eq!(date(d, Lang::En), "5 October 2026");
        assert_eq!(weekday(d, Lang::Id), "Senin");
        assert_eq!(month(YearMonth::of(d), Lang::Id), "Oktober 2026");
        assert_eq!(number(5925, Lang::Id), "5.925");
        assert_eq!(number(-1234567, Lang::En), "-1,234,567");
        assert_eq!(decimal(Decimal::new(8756, 2), 1, Lang::Id), "87,6");
        assert_eq!(decimal(Decimal::new(100, 0), 1, Lang::Id), "100");
    }

    #[test]
    fn both_catalogues_load_and_hold_the_same_ids() {
        let mut id = Catalog::ids(Lang::Id);
        let mut en = Catalog::ids(Lang::En);
        id.sort();
        en.sort();
        let only_id: Vec<_> = id.iter().filter(|i| !en.contains(i)).collect();
        let only_en: Vec<_> = en.iter().filter(|i| !id.contains(i)).collect();
        assert!(only_id.is_empty() && only_en.is_empty(), "only in id: {only_id:?}; only in en: {only_en:?}");
        for lang in [Lang::Id, Lang::En] {
            let tr = Tr::new(lang);
            for i in Catalog::ids(lang) {
                assert!(CATALOG.message(lang, &i, None).is_some(), "{i} ({})", lang.tag());
            }
            assert_ne!(tr.t("app-name"), "app-name");
        }
    }

    #[test]
    fn errors_through_the_catalogue_with_the_core_values() {
        let mut e = ApiError::bad_request("outside_entry_window", "activity field `date`: ...");
        e.args = vec![("date".into(), "2026-10-05".into()), ("earliest".into(), "2026-10-14".into()), ("window".into(), "3".into())];
        let id = Tr::new(Lang::Id).error(&e);
        assert!(id.contains("14 Oktober 2026"), "{id}");
        let en = Tr::new(Lang::En).error(&e);
        assert!(en.contains("14 October 2026"), "{en}");
        // An unknown code falls back to the core's text.
        let other = ApiError::bad_request("no_such_code_anywhere", "the core's words");
        assert_eq!(Tr::new(Lang::Id).error(&other), "the core's words");
    }
}
