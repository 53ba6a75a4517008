//! The [`Renderer`]: message catalogues (Fluent) in both languages.

use std::borrow::Cow;
use std::collections::BTreeSet;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

use super::{Arg, Args, Lang, Localized, Message, message_id, number};
use crate::allowance::{Explanation, ParamUse, SlipLine};
use crate::error::Problem;

/// The catalogues compiled into the engine, per language, in load order.
const BUILT_IN: [(Lang, &str, &str); 8] = [
    (Lang::Id, "id/slip.ftl", include_str!("../../locales/id/slip.ftl")),
    (Lang::Id, "id/errors.ftl", include_str!("../../locales/id/errors.ftl")),
    (Lang::Id, "id/problems.ftl", include_str!("../../locales/id/problems.ftl")),
    (Lang::Id, "id/codes.ftl", include_str!("../../locales/id/codes.ftl")),
    (Lang::En, "en/slip.ftl", include_str!("../../locales/en/slip.ftl")),
    (Lang::En, "en/errors.ftl", include_str!("../../locales/en/errors.ftl")),
    (Lang::En, "en/problems.ftl", include_str!("../../locales/en/problems.ftl")),
    (Lang::En, "en/codes.ftl", include_str!("../../locales/en/codes.ftl")),
];

/// Why catalogue text given to [`Renderer::with_resources`] or
/// [`Renderer::overriding`] was refused. Nothing is added when it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// The text is not valid Fluent; every error is listed with its line.
    #[error("{lang} catalogue: not valid Fluent: {}", .errors.join("; "))]
    Syntax {
        /// The catalogue's language.
        lang: Lang,
        /// The parser's errors.
        errors: Vec<String>,
    },
    /// The text defines messages the catalogues already have (added resources may not
    /// replace a message: use [`Renderer::overriding`] to correct one).
    #[error("{lang} catalogue: already defined: {}", .ids.join(", "))]
    Duplicate {
        /// The catalogue's language.
        lang: Lang,
        /// The ids defined twice.
        ids: Vec<String>,
    },
    /// An override names messages the catalogues do not have (a typo would otherwise
    /// go unnoticed).
    #[error("{lang} catalogue: no such message to override: {}", .ids.join(", "))]
    UnknownOverride {
        /// The catalogue's language.
        lang: Lang,
        /// The ids not found.
        ids: Vec<String>,
    },
}

/// One language's bundle and the ids it defines.
struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    ids: BTreeSet<String>,
}

/// Counts, minutes and other whole numbers in Fluent placeables, in the language's
/// style (Fluent's own number formatting has no thousands separators).
fn format_in(value: &FluentValue<'_>, lang: Lang) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 9.0e15 => {
            Some(number(n.value as i64, lang))
        }
        _ => None,
    }
}

fn format_id<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    format_in(value, Lang::Id)
}

fn format_en<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    format_in(value, Lang::En)
}

/// The message ids a resource defines (messages, not Fluent's private terms).
fn ids_of(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

fn parse(lang: Lang, text: &str) -> Result<FluentResource, CatalogueError> {
    FluentResource::try_new(text.to_string()).map_err(|(_, errors)| CatalogueError::Syntax {
        lang,
        errors: errors.iter().map(|e| format!("{:?} at bytes {:?}", e.kind, e.pos)).collect(),
    })
}

impl Catalogue {
    fn new(lang: Lang) -> Self {
        let tag: LanguageIdentifier = lang.as_str().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![tag]);
        // No Unicode isolation marks around placeables: the text goes to terminals,
        // CSV files and logs as well as to browsers.
        bundle.set_use_isolating(false);
        match lang {
            Lang::Id => bundle.set_formatter(Some(format_id)),
            Lang::En => bundle.set_formatter(Some(format_en)),
        }
        let mut c = Catalogue { bundle, ids: BTreeSet::new() };
        for (l, _, text) in BUILT_IN {
            if l == lang {
                // The built-in catalogues are parsed by the tests; were one ever broken,
                // the messages that parse are still used (never a panic).
                let resource = match FluentResource::try_new(text.to_string()) {
                    Ok(r) | Err((r, _)) => r,
                };
                c.ids.extend(ids_of(&resource));
                let _ = c.bundle.add_resource(resource);
            }
        }
        c
    }

    fn add(&mut self, lang: Lang, text: &str) -> Result<(), CatalogueError> {
        let resource = parse(lang, text)?;
        let new = ids_of(&resource);
        let taken: Vec<String> = new.iter().filter(|id| self.ids.contains(*id)).cloned().collect();
        if !taken.is_empty() {
            return Err(CatalogueError::Duplicate { lang, ids: taken });
        }
        self.ids.extend(new);
        self.bundle
            .add_resource(resource)
            .map_err(|errors| CatalogueError::Duplicate { lang, ids: errors.iter().map(|e| e.to_string()).collect() })
    }

    fn replace(&mut self, lang: Lang, text: &str) -> Result<(), CatalogueError> {
        let resource = parse(lang, text)?;
        let unknown: Vec<String> = ids_of(&resource).into_iter().filter(|id| !self.ids.contains(id)).collect();
        if !unknown.is_empty() {
            return Err(CatalogueError::UnknownOverride { lang, ids: unknown });
        }
        self.bundle.add_resource_overriding(resource);
        Ok(())
    }
}

/// Renders [`Message`]s, slip lines, problems and errors in Indonesian or English with
/// the engine's message catalogues (and, for a service, its own page strings).
///
/// `Send + Sync`: build one and share it (e.g. in an `Arc`). Rendering never panics: a
/// message id the catalogues do not have renders as the id itself, a missing argument
/// as `{$name}`.
///
/// ```
/// use kinerja::i18n::{Args, Lang, Renderer};
/// let r = Renderer::with_resources(
///     "page-welcome = Selamat datang, { $name }!",
///     "page-welcome = Welcome, { $name }!",
/// ).unwrap();
/// let args = Args::new().text("name", "Siti");
/// assert_eq!(r.text(Lang::Id, "page-welcome", &args), "Selamat datang, Siti!");
/// assert_eq!(r.text(Lang::En, "page-welcome", &args), "Welcome, Siti!");
/// assert_eq!(r.text(Lang::En, "no-such-message", &args), "no-such-message");
/// ```
pub struct Renderer {
    id: Catalogue,
    en: Catalogue,
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer::new()
    }
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer").field("id", &self.id.ids.len()).field("en", &self.en.ids.len()).finish()
    }
}

impl Renderer {
    /// The engine's catalogues (`core/locales/{id,en}/*.ftl`).
    pub fn new() -> Self {
        Renderer { id: Catalogue::new(Lang::Id), en: Catalogue::new(Lang::En) }
    }

    /// One shared renderer of the engine's catalogues, built on first use (the
    /// catalogues are parsed once per process). Use it where no city overrides or page
    /// strings are needed.
    ///
    /// ```
    /// use kinerja::i18n::{Lang, Message, Renderer};
    /// let m = Message::new("slip-gross");
    /// assert_eq!(Renderer::builtin().message(Lang::Id, &m), "Bruto");
    /// assert_eq!(Renderer::builtin().message(Lang::En, &m), "Gross");
    /// ```
    pub fn builtin() -> &'static Renderer {
        static BUILT_IN_RENDERER: std::sync::OnceLock<Renderer> = std::sync::OnceLock::new();
        BUILT_IN_RENDERER.get_or_init(Renderer::new)
    }

    /// The engine's catalogues plus a service's own messages (Fluent text, one per
    /// language), in the same bundles, so that a page can render engine messages and
    /// its own alike. Refused when the text is not valid Fluent or defines an id the
    /// catalogues already have.
    pub fn with_resources(extra_id: &str, extra_en: &str) -> Result<Renderer, CatalogueError> {
        let mut r = Renderer::new();
        r.id.add(Lang::Id, extra_id)?;
        r.en.add(Lang::En, extra_en)?;
        Ok(r)
    }

    /// This renderer with some messages replaced (a city's corrections to a
    /// translation, Fluent text per language; either may be empty). Every id must
    /// already exist.
    pub fn overriding(mut self, id: &str, en: &str) -> Result<Renderer, CatalogueError> {
        self.id.replace(Lang::Id, id)?;
        self.en.replace(Lang::En, en)?;
        Ok(self)
    }

    fn catalogue(&self, lang: Lang) -> &Catalogue {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }

    /// True when the catalogue of `lang` has the message `id`.
    pub fn has_message(&self, lang: Lang, id: &str) -> bool {
        self.catalogue(lang).ids.contains(id)
    }

    /// Every message id of `lang`'s catalogue, sorted.
    pub fn message_ids(&self, lang: Lang) -> Vec<&str> {
        self.catalogue(lang).ids.iter().map(String::as_str).collect()
    }

    /// The name of a code (`absence.permit` -> `izin` / `permit`): the message
    /// `code-absence-permit`, or the code without its first segment (`permit`) when
    /// the catalogue has none.
    pub fn code_name(&self, lang: Lang, code: &str) -> String {
        let id = message_id("code", code);
        if self.has_message(lang, &id) {
            self.text(lang, &id, &Args::new())
        } else {
            code.split_once('.').map_or(code, |(_, rest)| rest).to_string()
        }
    }

    fn value<'a>(&self, lang: Lang, arg: &'a Arg) -> FluentValue<'a> {
        match arg {
            // Whole numbers stay numbers, for plural selection (`1 day`, `2 days`);
            // the bundle's formatter writes them in the language's style.
            Arg::Int(n) if n.unsigned_abs() < (1u64 << 53) => FluentValue::from(*n),
            Arg::Code(c) => FluentValue::from(self.code_name(lang, c)),
            Arg::Message(m) => FluentValue::from(self.message(lang, m)),
            other => FluentValue::from(other.format(lang)),
        }
    }

    /// The message `id` in `lang` with `args`; the id itself when the catalogue has no
    /// such message.
    pub fn text(&self, lang: Lang, id: &str, args: &Args) -> String {
        let bundle = &self.catalogue(lang).bundle;
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut fluent = FluentArgs::with_capacity(args.len());
        for (name, arg) in args.iter() {
            fluent.set(Cow::Owned(name.to_string()), self.value(lang, arg));
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&fluent), &mut errors).into_owned()
    }

    /// A message in `lang`.
    pub fn message(&self, lang: Lang, m: &Message) -> String {
        self.text(lang, &m.id, &m.args)
    }

    /// A slip line's explanation in `lang` (a version-2 slip's stored English prose
    /// as it is).
    pub fn explanation(&self, lang: Lang, e: &Explanation) -> String {
        match e {
            Explanation::Message(m) => self.message(lang, m),
            Explanation::Text(t) => t.clone(),
        }
    }

    /// The explanation of a slip line in `lang`: the arithmetic in words with the
    /// actual numbers.
    pub fn slip_line(&self, lang: Lang, line: &SlipLine) -> String {
        self.explanation(lang, &line.explanation)
    }

    /// The name of a slip rule (`deduction.late.1` -> `Terlambat TL1` / `Late arrival
    /// TL1`); the rule id itself when the catalogue has no name for it.
    pub fn rule_name(&self, lang: Lang, rule: &str) -> String {
        let id = message_id("code-rule", rule);
        if self.has_message(lang, &id) { self.text(lang, &id, &Args::new()) } else { rule.to_string() }
    }

    /// A whole slip for people, as the CLI prints it and the bindings return it: a
    /// heading (NIP, the employee's `name` when given, the month), the hashes, then
    /// each line with its name, rule id and amount, its explanation, the policy values
    /// it used (effective date, layer, legal reference) and the inputs read, then the
    /// totals.
    ///
    /// ```
    /// use kinerja::allowance::compute_slip;
    /// use kinerja::i18n::{Lang, Renderer};
    /// # let input: kinerja::allowance::AllowanceInput = serde_json::from_str(r#"{
    /// #   "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
    /// #   "employment": "PNS", "salary": "4500000", "calendar_working_days": 22, "assigned_working_days": 22,
    /// #   "performance": { "target_minutes": 6600, "verified_minutes": 6600 },
    /// #   "discipline": { "days_present": 22, "late": [0,0,0,0], "early": [0,0,0,0], "unexcused_days": 0,
    /// #                   "roll_calls_missed": { "morning": 0, "afternoon": 0, "ceremony": 0 } } }"#).unwrap();
    /// let slip = compute_slip(&input, &kinerja::policy::Policy::national()).unwrap();
    /// let text = Renderer::builtin().slip(Lang::Id, &slip, Some("Siti"));
    /// assert!(text.starts_with("Slip TPP — 198503152010011001 Siti — Oktober 2026\n"));
    /// assert!(text.contains(" 1. Pagu TPP [ceiling]"));
    /// ```
    pub fn slip(&self, lang: Lang, slip: &crate::allowance::Slip, name: Option<&str>) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let who = match name {
            Some(n) if !n.is_empty() => format!("{} {n}", slip.employee),
            _ => slip.employee.to_string(),
        };
        let line = |id: &str, args: Args| self.text(lang, id, &args);
        let _ = writeln!(out, "{}", line("slip-heading", Args::new().text("employee", who).month("month", slip.month)));
        let _ = writeln!(out, "{}", line("slip-hash-content", Args::new().text("hash", slip.content_hash.clone())));
        let _ = writeln!(
            out,
            "{}",
            line(
                "slip-hash-input-policy",
                Args::new().text("input", slip.input_hash.clone()).text("policy", slip.policy_hash.clone())
            )
        );
        let _ = writeln!(out);
        for (i, l) in slip.lines.iter().enumerate() {
            let label = format!("{} [{}]", self.rule_name(lang, &l.rule), l.rule);
            let _ = writeln!(out, "{:>2}. {label:<48} {:>18}", i + 1, super::rupiah(l.amount, lang));
            let _ = writeln!(out, "    {}", self.slip_line(lang, l));
            for p in &l.parameters {
                let _ = writeln!(out, "    - {}", self.parameter(lang, p));
            }
            if !l.inputs.is_empty() {
                let inputs: Vec<String> = l.inputs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                let _ =
                    writeln!(out, "    {}", line("slip-line-inputs", Args::new().text("inputs", inputs.join(", "))));
            }
        }
        let _ = writeln!(out);
        let totals = Args::new()
            .money("gross", slip.gross)
            .money("tax", slip.tax)
            .money("contribution", slip.contribution)
            .money("net", slip.net);
        let _ = writeln!(out, "{}", line("slip-totals", totals));
        out
    }

    /// A policy value quoted on a slip line, with its effective date, layer and legal
    /// reference.
    pub fn parameter(&self, lang: Lang, p: &ParamUse) -> String {
        let id = if p.reference.is_empty() { "slip-parameter-no-reference" } else { "slip-parameter" };
        let args = Args::new()
            .text("key", p.key.clone())
            .text("value", p.value.clone())
            .date("from", p.from)
            .text("layer", p.layer.clone())
            .text("reference", p.reference.clone());
        self.text(lang, id, &args)
    }

    /// A problem in input data: where (the record, its id, the field), what is wrong
    /// and its code, e.g. `pegawai `1985...`, kolom `rank`: ... [unknown_rank]`.
    /// In English this is the problem's own sentence (its `Display`).
    pub fn problem(&self, lang: Lang, p: &Problem) -> String {
        let m = p.message();
        let place = match (p.id.is_empty(), p.field.is_empty()) {
            (true, true) => "problem-at-record",
            (true, false) => "problem-at-record-field",
            (false, true) => "problem-at-record-id",
            (false, false) => "problem-at-record-id-field",
        };
        let place = self.text(lang, place, &m.args);
        // A problem code without a sentence of its own in the catalogue: the engine's
        // sentence, in the language's frame (where, code).
        let what = if self.has_message(lang, &m.id) { self.message(lang, &m) } else { p.message.clone() };
        self.text(
            lang,
            "problem-line",
            &Args::new().text("place", place).text("what", what).text("code", p.code.clone()),
        )
    }

    /// An error or refusal of the engine in `lang` (without its code). An error whose
    /// message the catalogue lacks reads as the engine's own English sentence.
    pub fn error<E: Localized + ?Sized>(&self, lang: Lang, e: &E) -> String {
        let m = e.message();
        if self.has_message(lang, &m.id) {
            return self.message(lang, &m);
        }
        match m.args.get("detail") {
            Some(Arg::Text(detail)) => detail.clone(),
            _ => m.id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_renderer_is_send_and_sync() {
        fn shared<T: Send + Sync>() {}
        shared::<Renderer>();
    }

    #[test]
    fn built_in_catalogues_parse_without_errors() {
        for (lang, file, text) in BUILT_IN {
            if let Err((_, errors)) = FluentResource::try_new(text.to_string()) {
                panic!("{lang} {file}: {errors:?}");
            }
        }
    }

    /// Each catalogue file defines the same message ids in both languages: a message
    /// added in one language only fails here.
    #[test]
    fn every_message_id_is_in_both_languages() {
        let mut files = 0;
        for (lang, file, text) in BUILT_IN.iter().filter(|(l, _, _)| *l == Lang::Id) {
            let name = file.trim_start_matches("id/");
            let other = BUILT_IN.iter().find(|(l, f, _)| *l == Lang::En && f.ends_with(name));
            let Some((_, _, en_text)) = other else { panic!("{lang} {file} has no English counterpart") };
            let parse = |t: &str| match FluentResource::try_new(t.to_string()) {
                Ok(r) => ids_of(&r).into_iter().collect::<BTreeSet<_>>(),
                Err((_, e)) => panic!("{file}: {e:?}"),
            };
            let (id, en) = (parse(text), parse(en_text));
            assert!(id.len() >= 5, "{file} defines only {} messages", id.len());
            let only_id: Vec<_> = id.difference(&en).collect();
            let only_en: Vec<_> = en.difference(&id).collect();
            assert!(only_id.is_empty() && only_en.is_empty(), "{name}: only in id {only_id:?}, only in en {only_en:?}");
            files += 1;
        }
        assert_eq!(files, 4);
        let r = Renderer::new();
        assert_eq!(r.message_ids(Lang::Id), r.message_ids(Lang::En));
    }

    /// Every message renders in both languages without a Fluent error (an unknown
    /// variable reference, a bad selector) when given every argument it names.
    #[test]
    fn every_message_formats_cleanly() {
        let r = Renderer::new();
        for lang in Lang::ALL {
            let bundle = &r.catalogue(lang).bundle;
            for id in r.message_ids(lang) {
                let pattern = bundle.get_message(id).and_then(|m| m.value()).expect("a message with a value");
                let mut args = FluentArgs::new();
                for name in ["count", "band", "months", "days", "class", "n"] {
                    args.set(name, 2);
                }
                let text = format!("{:?}", pattern);
                for part in text.split("VariableReference { id: Identifier { name: \"").skip(1) {
                    let name = part.split('"').next().unwrap_or("");
                    if args.get(name).is_none() {
                        args.set(name.to_string(), "x");
                    }
                }
                let mut errors = Vec::new();
                let out = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{lang} {id}: {errors:?} -> {out}");
                assert!(!out.trim().is_empty(), "{lang} {id} is empty");
            }
        }
    }

    #[test]
    fn resources_are_added_refused_or_overridden() {
        let r = Renderer::with_resources("page-a = Halaman { $n }", "page-a = Page { $n }").expect("adds");
        assert_eq!(r.text(Lang::Id, "page-a", &Args::new().int("n", 12_000)), "Halaman 12.000");
        assert_eq!(r.text(Lang::En, "page-a", &Args::new().int("n", 12_000)), "Page 12,000");
        let dup = Renderer::with_resources("error-month-closed = x", "").expect_err("duplicate");
        assert!(matches!(dup, CatalogueError::Duplicate { lang: Lang::Id, .. }), "{dup}");
        let bad = Renderer::with_resources("", "page-b = { $").expect_err("syntax");
        assert!(matches!(bad, CatalogueError::Syntax { lang: Lang::En, .. }), "{bad}");
        let fixed = Renderer::new().overriding("code-absence-permit = izin resmi", "").expect("overrides");
        assert_eq!(fixed.code_name(Lang::Id, "absence.permit"), "izin resmi");
        let typo = Renderer::new().overriding("code-absence-permitt = x", "").expect_err("unknown");
        assert!(matches!(typo, CatalogueError::UnknownOverride { .. }), "{typo}");
    }

    #[test]
    fn unknown_ids_and_missing_arguments_never_panic() {
        let r = Renderer::new();
        assert_eq!(r.text(Lang::Id, "no-such-id", &Args::new()), "no-such-id");
        assert_eq!(r.code_name(Lang::Id, "absence.not_a_kind"), "not_a_kind");
        let text = r.text(Lang::Id, "error-month-closed", &Args::new());
        assert!(text.contains("{$month}"), "{text}");
    }
}
