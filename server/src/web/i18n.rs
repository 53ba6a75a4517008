//! Everything a person reads on a page, in Indonesian (the default) or English,
//! through the core's one renderer ([`kinerja::i18n::Renderer`]): the page
//! strings (the Fluent catalogues `server/locales/{id,en}/web.ftl`, added to the
//! engine's own), the engine's refusals, code names and slip explanations, and
//! money, dates and numbers by the core's formatters. Templates and handlers see
//! only [`Tr`]; nothing else in the server writes text for people.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use kinerja::YearMonth;
use kinerja::i18n::{self as core_i18n, Args, Renderer};
use kinerja::money::Money;
use rust_decimal::Decimal;

use crate::error::ApiError;

pub use kinerja::i18n::Lang;

/// The page strings, Indonesian.
const WEB_ID: &str = include_str!("../../locales/id/web.ftl");
/// The page strings, English.
const WEB_EN: &str = include_str!("../../locales/en/web.ftl");

/// The engine's catalogues with the page strings, loaded once.
pub static RENDERER: LazyLock<Renderer> = LazyLock::new(|| {
    Renderer::with_resources(WEB_ID, WEB_EN).unwrap_or_else(|e| panic!("the page catalogues do not load: {e}"))
});

/// A language tag from a query or cookie (`id`, `en`, `id-ID`, ...); `None` for others.
pub fn parse_lang(text: &str) -> Option<Lang> {
    text.trim().parse::<Lang>().ok()
}

/// The other language (for the switch link).
pub fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Id => Lang::En,
        Lang::En => Lang::Id,
    }
}

/// The page-side adapter: a language and the renderer. Templates call its methods.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
    r: &'static Renderer,
}

impl Tr {
    /// The adapter for a language.
    pub fn new(lang: Lang) -> Tr {
        Tr { lang, r: &RENDERER }
    }

    /// The `<html lang>` tag.
    pub fn tag(&self) -> &'static str {
        self.lang.as_str()
    }

    /// The tag of the other language.
    pub fn other_tag(&self) -> &'static str {
        other(self.lang).as_str()
    }

    /// True when the catalogue has the message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.r.has_message(self.lang, id)
    }

    /// A page string. A missing id shows as itself (and is caught by the
    /// catalogue test), never as an empty space.
    pub fn t(&self, id: &str) -> String {
        self.r.text(self.lang, id, &Args::new())
    }

    /// A page string with named values (already formatted text).
    pub fn f(&self, id: &str, args: &[(&str, &str)]) -> String {
        let a = args.iter().fold(Args::new(), |a, (k, v)| a.text(k, *v));
        self.r.text(self.lang, id, &a)
    }

    /// A page string with one named value.
    pub fn f1(&self, id: &str, name: &str, value: &str) -> String {
        self.f(id, &[(name, value)])
    }

    /// A page string chosen by a count (`one`/`other` in English; Indonesian has
    /// one form); `$n` is the count written in the language.
    pub fn count(&self, id: &str, n: i64) -> String {
        let a = Args::new().int("count", n).text("n", core_i18n::number(n, self.lang));
        self.r.text(self.lang, id, &a)
    }

    /// Rupiah: `Rp 6.500.000`.
    pub fn rp(&self, m: &Money) -> String {
        core_i18n::rupiah(*m, self.lang)
    }

    /// A date: `5 Oktober 2026`.
    pub fn date(&self, d: &NaiveDate) -> String {
        core_i18n::date(*d, self.lang)
    }

    /// A date with its weekday: `Senin, 5 Oktober 2026`.
    pub fn day(&self, d: &NaiveDate) -> String {
        format!("{}, {}", core_i18n::weekday(d.weekday(), self.lang), self.date(d))
    }

    /// A month: `Oktober 2026`.
    pub fn month(&self, m: &YearMonth) -> String {
        core_i18n::month(*m, self.lang)
    }

    /// A whole number: `5.925`.
    pub fn num(&self, n: &i64) -> String {
        core_i18n::number(*n, self.lang)
    }

    /// A count: `5.925`.
    pub fn count_of(&self, n: &usize) -> String {
        core_i18n::number(*n, self.lang)
    }

    /// A decimal rounded to at most `dp` places: `87,6`.
    pub fn dec(&self, d: &Decimal, dp: u32) -> String {
        core_i18n::number(d.round_dp(dp).normalize(), self.lang)
    }

    /// A percentage to one decimal: `87,5%`.
    pub fn pct(&self, d: &Decimal) -> String {
        core_i18n::percent(d.round_dp(1).normalize(), self.lang)
    }

    /// Minutes: `1.234 menit` / `1,234 min`.
    pub fn minutes(&self, m: &kinerja::minutes::Minutes) -> String {
        self.f1("unit-minutes", "n", &core_i18n::number(m.get(), self.lang))
    }

    /// A time of day as a form field holds it, `07:30` (the same in both languages).
    pub fn time(&self, t: &NaiveTime) -> String {
        t.format("%H:%M").to_string()
    }

    /// The page's own name of a stable code: the message `{prefix}-{code}`, or
    /// the engine's name of the code, or the code itself.
    pub fn code(&self, prefix: &str, code: &str) -> String {
        let id = format!("{prefix}-{}", fluent_id(code));
        if self.has(&id) { self.t(&id) } else { self.r.code_name(self.lang, &format!("{prefix}.{code}")) }
    }

    /// A refusal, for people: the engine's message for the core's refusal
    /// (with its values), else the page catalogue's sentence for the code or
    /// reason, else the service's own text.
    pub fn error(&self, e: &ApiError) -> String {
        if let Some(m) = &e.localized
            && self.has(&m.id)
        {
            return self.r.message(self.lang, m);
        }
        let ids =
            e.reason.iter().map(|r| format!("err-{}", fluent_id(r))).chain([format!("err-{}", fluent_id(&e.code))]);
        for id in ids {
            if self.has(&id) {
                return self.t(&id);
            }
        }
        e.message.clone()
    }

    /// The name of a slip line's rule (`ceiling` -> `Pagu TPP`), from the engine's catalogue.
    pub fn rule(&self, rule: &str) -> String {
        self.r.code_name(self.lang, &format!("rule.{rule}"))
    }

    /// A slip line's arithmetic in words, with the actual numbers.
    pub fn explanation(&self, line: &kinerja::allowance::SlipLine) -> String {
        self.r.slip_line(self.lang, line)
    }
}

/// A code as a Fluent identifier: dots and underscores become dashes.
pub fn fluent_id(code: &str) -> String {
    code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

/// True on Saturday and Sunday (for shading a calendar row only; whether a day
/// is worked is the core's calendar).
pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Every message id a catalogue text defines (for the catalogue test).
#[cfg(test)]
fn ids_of(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_dates_and_numbers_by_the_core_formatters() {
        let id = Tr::new(Lang::Id);
        let en = Tr::new(Lang::En);
        assert_eq!(id.rp(&Money::from_rupiah(6_500_000)), "Rp 6.500.000");
        assert_eq!(en.rp(&Money::from_rupiah(6_500_000)), "Rp 6,500,000");
        let d = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        assert_eq!(id.day(&d), "Senin, 5 Oktober 2026");
        assert_eq!(en.day(&d), "Monday, 5 October 2026");
        assert_eq!(id.num(&5925), "5.925");
        // 87.56 to one decimal is 87.6; Indonesian writes the point as a comma.
        assert_eq!(id.pct(&Decimal::new(8756, 2)), "87,6%");
        assert_eq!(id.minutes(&kinerja::minutes::Minutes(6600)), "6.600 menit");
        assert_eq!(en.count("queue-total", 1), "1 entry awaiting");
        assert_eq!(en.count("queue-total", 2), "2 entries awaiting");
    }

    #[test]
    fn both_catalogues_load_and_hold_the_same_ids() {
        let mut id = ids_of(WEB_ID);
        let mut en = ids_of(WEB_EN);
        assert!(id.len() > 100, "the page catalogue was read: {} ids", id.len());
        id.sort();
        en.sort();
        let only_id: Vec<_> = id.iter().filter(|i| !en.contains(i)).collect();
        let only_en: Vec<_> = en.iter().filter(|i| !id.contains(i)).collect();
        assert!(only_id.is_empty() && only_en.is_empty(), "only in id: {only_id:?}; only in en: {only_en:?}");
        for lang in [Lang::Id, Lang::En] {
            let tr = Tr::new(lang);
            for i in &id {
                assert!(tr.has(i), "{i} ({})", lang.as_str());
            }
        }
        assert_eq!(Tr::new(Lang::Id).t("nav-home"), "Beranda");
        assert_eq!(Tr::new(Lang::En).t("nav-home"), "Home");
    }

    #[test]
    fn refusals_in_the_readers_language_with_the_core_values() {
        let refusal = kinerja::activity::ActivityError::OutsideEntryWindow {
            date: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
            earliest: NaiveDate::from_ymd_opt(2026, 10, 14),
            window: 3,
        };
        let e: ApiError = kinerja::ledger::LedgerError::Activity(refusal).into();
        let id = Tr::new(Lang::Id).error(&e);
        assert!(id.contains("5 Oktober 2026") && id.contains("3 hari kerja"), "{id}");
        // In English the engine's own sentence is the message.
        let en = Tr::new(Lang::En).error(&e);
        assert!(en.contains("outside the entry window"), "{en}");
        // A service refusal without an engine message: the page catalogue's sentence.
        let csrf = ApiError::forbidden("csrf", "needs the token");
        assert!(Tr::new(Lang::Id).error(&csrf).contains("token keamanan"));
        // An unknown code falls back to the service's text.
        let other = ApiError::bad_request("no_such_code_anywhere", "the service's words");
        assert_eq!(Tr::new(Lang::Id).error(&other), "the service's words");
    }

    #[test]
    fn rule_names_and_explanations_come_from_the_engine() {
        let id = Tr::new(Lang::Id);
        assert_eq!(id.rule("ceiling"), "Pagu TPP");
        assert_eq!(id.code("absence", "permit"), "izin");
        assert_eq!(id.code("status", "returned"), "Dikembalikan");
    }
}
