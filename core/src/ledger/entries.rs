//! The month's activity entries, stored compactly.
//!
//! A month of a city holds about three quarters of a million entries (712,963 at
//! Banda Aceh). Stored as [`ActivityEntry`]s they took 144 bytes each (103 MB,
//! half of what `kinerja tpp` holds): a 64-bit id that is always the entry's
//! place in the list, 64-bit quantities and minutes, 12-byte times with room for
//! nanoseconds, and three shared texts. [`Entries`] keeps each as a 52-byte row
//! of the figures the rules read (the id implied by the place, times as seconds,
//! quantities and minutes in 32 bits, the evidence as an index into a side list)
//! beside the task and description (32 bytes, the texts shared as before). An
//! entry whose figures do not fit (an id that is not its place, a time with a
//! fraction of a second, a figure beyond 32 bits: none that the ledger's checks
//! let through, but a list may hold anything) is kept whole in a side list
//! instead. Every value is kept exactly; [`Entries::iter`] and [`Entries::get`]
//! give each back as the public [`ActivityEntry`] it was pushed as (or as its
//! decisions and edits left it), and a list serialises as the list of those (a
//! snapshot's JSON and seal are the same as before).

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::activity::{ActivityEntry, ActivityId, EntryFigures, VerificationStatus};
use crate::ids::TaskId;
use crate::minutes::Minutes;
use crate::org::Nip;

/// No evidence (a row's `evidence`).
const NO_EVIDENCE: u32 = u32::MAX;

/// A row's `flags`: the status in bits 0-1, then these.
const APPROVED_QUANTITY: u8 = 1 << 2;
/// The entry is kept whole in the side list, at the row's `evidence`.
const WIDE: u8 = 1 << 3;

/// One entry as stored (52 bytes): its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    /// Whose work (kept for every row, wide or not).
    employee: Nip,
    /// The work date (kept for every row).
    date: NaiveDate,
    /// Seconds from midnight.
    start: u32,
    end: u32,
    /// Seconds from the work date's midnight.
    submitted: u32,
    quantity: i32,
    /// Meaningful when `flags` has [`APPROVED_QUANTITY`].
    approved: i32,
    standard_minutes: i32,
    /// Index into the evidence, or [`NO_EVIDENCE`]; for a [`WIDE`] row, the
    /// index of the whole entry.
    evidence: u32,
    revision: u8,
    /// The status (kept for every row), [`APPROVED_QUANTITY`], [`WIDE`].
    flags: u8,
}

/// What a row does not hold: the task and the description.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Texts {
    task: TaskId,
    description: Arc<str>,
}

/// Seconds from midnight of a time without a fraction of a second.
fn whole_seconds(t: NaiveTime) -> Option<u32> {
    (t.nanosecond() == 0).then(|| t.num_seconds_from_midnight())
}

/// The time of a row's seconds from midnight (below 86,400: `whole_seconds` gave them).
fn time_of(secs: u32) -> NaiveTime {
    NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or(NaiveTime::MIN)
}

/// `at` as whole seconds from `date`'s midnight, when it is that and they fit.
fn seconds_since(date: NaiveDate, at: NaiveDateTime) -> Option<u32> {
    if at.date() == date {
        // The usual case: submitted on the work date.
        return whole_seconds(at.time());
    }
    let secs = u32::try_from(at.signed_duration_since(date.and_time(NaiveTime::MIN)).num_seconds()).ok()?;
    (at_seconds(date, secs) == Some(at)).then_some(secs)
}

/// The time `secs` seconds after `date`'s midnight.
fn at_seconds(date: NaiveDate, secs: u32) -> Option<NaiveDateTime> {
    let (days, time) = (secs / 86_400, time_of(secs % 86_400));
    // Most entries are submitted on their work date: no date arithmetic then.
    let date = if days == 0 { date } else { date.checked_add_days(chrono::Days::new(u64::from(days)))? };
    Some(date.and_time(time))
}

/// Every activity entry of a month, in the order logged, stored compactly (a
/// 52-byte row of figures and 32 bytes of texts each; see the module's docs).
/// Read with [`Entries::iter`] and [`Entries::get`] (each item an owned
/// [`ActivityEntry`], built on demand) or, for one field, with the accessors
/// that build nothing ([`Entries::status`], [`Entries::employee`], ...); added to
/// with [`Entries::push`], changed with [`Entries::update`].
#[derive(Clone, Default)]
pub struct Entries {
    rows: Vec<Row>,
    /// Parallel to the rows.
    texts: Vec<Texts>,
    /// The evidence given, in order (few entries carry one).
    evidence: Vec<Arc<str>>,
    /// Entries whose figures do not fit a row, whole.
    wide: Vec<ActivityEntry>,
}

impl Entries {
    /// An empty list.
    pub fn new() -> Self {
        Entries::default()
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        *self = Entries::default();
    }

    /// Reserves room for `n` more entries.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        self.texts.reserve(n);
    }

    /// The row of `e` at index `i`, if its figures fit one (the evidence is the
    /// caller's to place).
    fn narrow(i: usize, e: &ActivityEntry) -> Option<Row> {
        if e.id.0 != i as u64 + 1 {
            return None;
        }
        let (approved, approved_flag) = match e.approved_quantity {
            None => (0, 0),
            Some(q) => (i32::try_from(q).ok()?, APPROVED_QUANTITY),
        };
        Some(Row {
            employee: e.employee.clone(),
            date: e.date,
            start: whole_seconds(e.start)?,
            end: whole_seconds(e.end)?,
            submitted: seconds_since(e.date, e.submitted_at)?,
            quantity: i32::try_from(e.quantity).ok()?,
            approved,
            standard_minutes: i32::try_from(e.standard_minutes.get()).ok()?,
            evidence: NO_EVIDENCE,
            revision: u8::try_from(e.revision).ok()?,
            flags: e.status.code() | approved_flag,
        })
    }

    /// The row and texts for `e` at index `i`: its figures, or a [`WIDE`] row
    /// pointing at `e` kept whole. Its evidence (or `e`) goes to a side list.
    fn place(&mut self, i: usize, e: ActivityEntry) -> (Row, Texts) {
        match Self::narrow(i, &e) {
            Some(mut row) => {
                if let Some(ev) = e.evidence {
                    row.evidence = self.evidence.len() as u32;
                    self.evidence.push(ev);
                }
                (row, Texts { task: e.task, description: e.description })
            }
            None => {
                let row = Row {
                    employee: e.employee.clone(),
                    date: e.date,
                    start: 0,
                    end: 0,
                    submitted: 0,
                    quantity: 0,
                    approved: 0,
                    standard_minutes: 0,
                    evidence: self.wide.len() as u32,
                    revision: 0,
                    flags: e.status.code() | WIDE,
                };
                let texts = Texts { task: e.task.clone(), description: e.description.clone() };
                self.wide.push(e);
                (row, texts)
            }
        }
    }

    /// Appends an entry.
    pub fn push(&mut self, e: ActivityEntry) {
        let (row, texts) = self.place(self.rows.len(), e);
        self.rows.push(row);
        self.texts.push(texts);
    }

    /// The entry that row `r` points at, when it is kept whole.
    fn whole(&self, r: &Row) -> Option<&ActivityEntry> {
        if r.flags & WIDE != 0 { self.wide.get(r.evidence as usize) } else { None }
    }

    /// The entry of row `r` at index `i`.
    fn build(&self, i: usize, r: &Row) -> ActivityEntry {
        if let Some(e) = self.whole(r) {
            return e.clone();
        }
        let f = self.figures_of(i, r);
        // The texts are pushed with every row (`push`, `set`): always there.
        let (task, description) = match self.texts.get(i) {
            Some(t) => (t.task.clone(), t.description.clone()),
            None => (TaskId(Arc::from("")), Arc::from("")),
        };
        ActivityEntry {
            id: f.id,
            employee: r.employee.clone(),
            date: f.date,
            start: f.start,
            end: f.end,
            task,
            quantity: f.quantity,
            approved_quantity: f.approved_quantity,
            standard_minutes: f.standard_minutes,
            description,
            evidence: self.evidence.get(r.evidence as usize).cloned(),
            status: f.status,
            submitted_at: f.submitted_at,
            revision: u32::from(r.revision),
        }
    }

    /// The figures of row `r` at index `i`.
    fn figures_of<'a>(&'a self, i: usize, r: &'a Row) -> EntryFigures<'a> {
        if let Some(e) = self.whole(r) {
            return EntryFigures::from(e);
        }
        EntryFigures {
            id: ActivityId(i as u64 + 1),
            employee: &r.employee,
            date: r.date,
            start: time_of(r.start),
            end: time_of(r.end),
            quantity: i64::from(r.quantity),
            approved_quantity: (r.flags & APPROVED_QUANTITY != 0).then_some(i64::from(r.approved)),
            standard_minutes: Minutes(i64::from(r.standard_minutes)),
            status: VerificationStatus::from_code(r.flags),
            // In range: `seconds_since` gave the seconds.
            submitted_at: at_seconds(r.date, r.submitted).unwrap_or(NaiveDateTime::MIN),
        }
    }

    /// The entry at index `i` (in the order pushed).
    pub fn get(&self, i: usize) -> Option<ActivityEntry> {
        self.rows.get(i).map(|r| self.build(i, r))
    }

    /// The last entry.
    pub fn last(&self) -> Option<ActivityEntry> {
        self.get(self.rows.len().checked_sub(1)?)
    }

    /// The entries in order, each built as the [`ActivityEntry`] pushed (or as
    /// its decisions and edits left it).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = ActivityEntry> + ExactSizeIterator + '_ {
        self.rows.iter().enumerate().map(|(i, r)| self.build(i, r))
    }

    /// The figures of the entry at index `i`: all but its task, description and
    /// evidence, built without copying any text.
    pub fn figures(&self, i: usize) -> Option<EntryFigures<'_>> {
        self.rows.get(i).map(|r| self.figures_of(i, r))
    }

    /// The id of the entry at index `i`.
    pub fn id(&self, i: usize) -> Option<ActivityId> {
        let r = self.rows.get(i)?;
        Some(self.whole(r).map_or(ActivityId(i as u64 + 1), |e| e.id))
    }

    /// Whose work the entry at index `i` is.
    pub fn employee(&self, i: usize) -> Option<&Nip> {
        self.rows.get(i).map(|r| &r.employee)
    }

    /// The work date of the entry at index `i`.
    pub fn date(&self, i: usize) -> Option<NaiveDate> {
        self.rows.get(i).map(|r| r.date)
    }

    /// The task of the entry at index `i`.
    pub fn task(&self, i: usize) -> Option<&TaskId> {
        self.texts.get(i).map(|t| &t.task)
    }

    /// The id, start, end and status of the entry at index `i` (what the
    /// overlap check reads of a day's other entries).
    pub(crate) fn span(&self, i: usize) -> Option<(ActivityId, NaiveTime, NaiveTime, VerificationStatus)> {
        let r = self.rows.get(i)?;
        Some(match self.whole(r) {
            Some(e) => (e.id, e.start, e.end, e.status),
            None => {
                (ActivityId(i as u64 + 1), time_of(r.start), time_of(r.end), VerificationStatus::from_code(r.flags))
            }
        })
    }

    /// Where the entry at index `i` stands in verification.
    pub fn status(&self, i: usize) -> Option<VerificationStatus> {
        self.rows.get(i).map(|r| VerificationStatus::from_code(r.flags))
    }

    /// How many times the entry at index `i` has been edited.
    pub fn revision(&self, i: usize) -> Option<u32> {
        let r = self.rows.get(i)?;
        Some(self.whole(r).map_or(u32::from(r.revision), |e| e.revision))
    }

    /// Stores `e` at index `i` in place of what was there.
    /// (What the side lists held for the old entry stays there unused until the
    /// list is built again, e.g. loaded: edits are few.)
    fn set(&mut self, i: usize, e: ActivityEntry) {
        let (row, texts) = self.place(i, e);
        if let (Some(r), Some(t)) = (self.rows.get_mut(i), self.texts.get_mut(i)) {
            *r = row;
            *t = texts;
        }
    }

    /// Changes the entry at index `i` with `f` (on an owned copy, stored back).
    /// Gives `None`, and changes nothing, when there is no such entry.
    pub fn update<T>(&mut self, i: usize, f: impl FnOnce(&mut ActivityEntry) -> T) -> Option<T> {
        let mut e = self.get(i)?;
        let out = f(&mut e);
        self.set(i, e);
        Some(out)
    }

    /// Sets the status and approved quantity of the entry at index `i` (a
    /// decision's outcome, [`crate::activity::outcome`]) and, on a resubmission,
    /// its submission time; in place when the row holds them.
    pub(crate) fn decided(
        &mut self,
        i: usize,
        status: VerificationStatus,
        approved_quantity: Option<i64>,
        submitted_at: Option<NaiveDateTime>,
    ) {
        if let Some(r) = self.rows.get_mut(i)
            && r.flags & WIDE == 0
        {
            let approved = match approved_quantity {
                None => Some((0, 0)),
                Some(q) => i32::try_from(q).ok().map(|q| (q, APPROVED_QUANTITY)),
            };
            let submitted = match submitted_at {
                None => Some(r.submitted),
                Some(at) => seconds_since(r.date, at),
            };
            if let (Some((approved, flag)), Some(submitted)) = (approved, submitted) {
                r.approved = approved;
                r.submitted = submitted;
                r.flags = (r.flags & !(3 | APPROVED_QUANTITY)) | status.code() | flag;
                return;
            }
        }
        self.update(i, |e| {
            e.status = status;
            e.approved_quantity = approved_quantity;
            if let Some(at) = submitted_at {
                e.submitted_at = at;
            }
        });
    }

    /// Renames every entry (e.g. a phone's local ids to the server's): `f` gives
    /// each entry's new id. The list is built again, so that entries whose new id
    /// is their place are stored as rows and the others whole.
    pub fn rename_ids(&mut self, mut f: impl FnMut(ActivityId) -> ActivityId) {
        let renamed: Entries = self
            .iter()
            .map(|mut e| {
                e.id = f(e.id);
                e
            })
            .collect();
        *self = renamed;
    }

    /// Keeps only the entries `keep` accepts, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&ActivityEntry) -> bool) {
        let kept: Entries = self.iter().filter(|e| keep(e)).collect();
        *self = kept;
    }
}

row_list_traits!(Entries, ActivityEntry);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn entry(id: u64, day: u32) -> ActivityEntry {
        let date = NaiveDate::from_ymd_opt(2026, 10, day).expect("date");
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("time");
        ActivityEntry {
            id: ActivityId(id),
            employee: "198001012005011001".parse().expect("nip"),
            date,
            start: at(8, 0),
            end: at(9, 30),
            task: TaskId(Arc::from("SURAT")),
            quantity: 3,
            approved_quantity: None,
            standard_minutes: Minutes(30),
            description: Arc::from("Menyusun surat undangan rapat"),
            evidence: None,
            status: VerificationStatus::Submitted,
            submitted_at: date.and_time(at(16, 5)),
            revision: 0,
        }
    }

    /// Entries that fit a row and entries that do not, each at its place.
    fn sample() -> Vec<ActivityEntry> {
        let mut all = Vec::new();
        // 1: the usual entry (fits).
        all.push(entry(1, 5));
        // 2: approved at 2 of 3, with evidence, revised twice, submitted the
        // next day (fits: 24 h + 7 h 15 min after the work date's midnight).
        let mut e = entry(2, 5);
        e.status = VerificationStatus::Approved;
        e.approved_quantity = Some(2);
        e.evidence = Some(Arc::from("https://arsip.example/surat-2.pdf"));
        e.revision = 2;
        e.submitted_at = NaiveDate::from_ymd_opt(2026, 10, 6).and_then(|d| d.and_hms_opt(7, 15, 0)).expect("time");
        all.push(e);
        // 3: an id that is not its place (kept whole).
        all.push(entry(30, 6));
        // 4: a start with a fraction of a second (kept whole).
        let mut e = entry(4, 6);
        e.start = NaiveTime::from_hms_nano_opt(8, 0, 0, 500).expect("time");
        all.push(e);
        // 5: a leap second as the end (kept whole).
        let mut e = entry(5, 6);
        e.end = NaiveTime::from_hms_nano_opt(23, 59, 59, 1_500_000_000).expect("time");
        all.push(e);
        // 6: figures beyond 32 bits (kept whole), rejected.
        let mut e = entry(6, 7);
        e.quantity = i64::MAX;
        e.standard_minutes = Minutes(i64::from(i32::MAX) + 1);
        e.status = VerificationStatus::Rejected;
        all.push(e);
        // 7: approved beyond 32 bits, returned... (kept whole).
        let mut e = entry(7, 7);
        e.approved_quantity = Some(i64::MIN);
        e.status = VerificationStatus::Returned;
        all.push(e);
        // 8: submitted before the work date's midnight, 256 revisions (kept whole).
        let mut e = entry(8, 8);
        e.submitted_at = NaiveDate::from_ymd_opt(2026, 10, 7).and_then(|d| d.and_hms_opt(23, 0, 0)).expect("time");
        e.revision = 256;
        all.push(e);
        // 9: the usual entry again, after the whole ones (fits).
        let mut e = entry(9, 9);
        e.evidence = Some(Arc::from("foto-9.jpg"));
        all.push(e);
        all
    }

    #[test]
    fn a_row_is_52_bytes_and_every_value_comes_back() {
        // 8 x 4 (date, start, end, submitted, quantity, approved, minutes,
        // evidence) + 18 (NIP) + 1 (revision) + 1 (flags) = 52, aligned to 4.
        assert_eq!(std::mem::size_of::<Row>(), 52);
        let all = sample();
        let list: Entries = all.clone().into();
        // Six of the nine are kept whole; two carry evidence in the side list.
        assert_eq!(list.wide.len(), 6);
        assert_eq!(list.evidence.len(), 2);
        assert_eq!(list.len(), all.len());
        assert_eq!(list.iter().collect::<Vec<_>>(), all);
        assert_eq!(list.iter().next_back(), all.last().cloned());
        for (i, e) in all.iter().enumerate() {
            assert_eq!(list.get(i).as_ref(), Some(e), "entry {i}");
            assert_eq!(list.figures(i), Some(EntryFigures::from(e)), "entry {i}");
            assert_eq!(list.id(i), Some(e.id));
            assert_eq!(list.employee(i), Some(&e.employee));
            assert_eq!(list.date(i), Some(e.date));
            assert_eq!(list.task(i), Some(&e.task));
            assert_eq!(list.status(i), Some(e.status));
        }
        assert_eq!(list.get(all.len()), None);
        assert_eq!(list.figures(all.len()), None);
        assert_eq!(list.last(), all.last().cloned());
        // The same JSON as the list of entries, and back.
        let json = serde_json::to_string(&list).expect("json");
        assert_eq!(json, serde_json::to_string(&all).expect("json"));
        let back: Entries = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, list);
    }

    #[test]
    fn decisions_change_status_quantity_and_submission_in_place() {
        let all = sample();
        let mut list: Entries = all.clone().into();
        let wide = list.wide.len();
        // Entry 1 approved at 2 of its 3 letters: in its row.
        list.decided(0, VerificationStatus::Approved, Some(2), None);
        let e = list.get(0).expect("entry");
        assert_eq!(
            (e.status, e.approved_quantity, e.submitted_at),
            (VerificationStatus::Approved, Some(2), all[0].submitted_at)
        );
        // Entry 9 returned, then resubmitted on 12 October at 10:00.
        list.decided(8, VerificationStatus::Returned, None, None);
        let at = NaiveDate::from_ymd_opt(2026, 10, 12).and_then(|d| d.and_hms_opt(10, 0, 0)).expect("time");
        list.decided(8, VerificationStatus::Submitted, None, Some(at));
        let e = list.get(8).expect("entry");
        assert_eq!((e.status, e.approved_quantity, e.submitted_at), (VerificationStatus::Submitted, None, at));
        assert_eq!(e.evidence, all[8].evidence);
        assert_eq!(list.wide.len(), wide, "both stayed in their rows");
        // An approved quantity beyond 32 bits moves entry 1 to the side list, kept.
        list.decided(0, VerificationStatus::Approved, Some(i64::from(u32::MAX)), None);
        assert_eq!(list.get(0).and_then(|e| e.approved_quantity), Some(i64::from(u32::MAX)));
        assert_eq!(list.wide.len(), wide + 1);
        // A decision on an entry kept whole changes it there.
        list.decided(2, VerificationStatus::Approved, Some(1), None);
        let e = list.get(2).expect("entry");
        assert_eq!((e.id, e.status, e.approved_quantity), (ActivityId(30), VerificationStatus::Approved, Some(1)));
        // No such entry: nothing changes.
        let before = list.clone();
        list.decided(99, VerificationStatus::Approved, Some(1), None);
        assert_eq!(list, before);
    }

    #[test]
    fn an_update_replaces_texts_and_figures_and_retain_keeps_the_order() {
        let all = sample();
        let mut list: Entries = all.clone().into();
        let revised = list.update(0, |e| {
            e.task = TaskId(Arc::from("RAPAT"));
            e.description = Arc::from("Rapat koordinasi");
            e.evidence = Some(Arc::from("notulen.pdf"));
            e.end = NaiveTime::from_hms_opt(10, 0, 0).expect("time");
            e.revision += 1;
            e.revision
        });
        assert_eq!(revised, Some(1));
        let e = list.get(0).expect("entry");
        assert_eq!(
            (&*e.task.0, &*e.description, e.evidence.as_deref()),
            ("RAPAT", "Rapat koordinasi", Some("notulen.pdf"))
        );
        assert_eq!(e.end, NaiveTime::from_hms_opt(10, 0, 0).expect("time"));
        assert_eq!(list.iter().skip(1).collect::<Vec<_>>(), all[1..]);
        assert_eq!(list.update(all.len(), |_| ()), None);
        // Renamed to its place (as a phone does), entry 30 is a row again: 6 kept
        // whole before, 5 after (the five with figures beyond a row).
        let mut renamed = list.clone();
        renamed.rename_ids(|id| ActivityId(if id.0 == 30 { 3 } else { id.0 }));
        assert_eq!((list.wide.len(), renamed.wide.len()), (6, 5));
        assert_eq!(renamed.id(2), Some(ActivityId(3)));
        assert_eq!(renamed.get(2).map(|e| e.description), list.get(2).map(|e| e.description));
        // Keep the entries of 6 October: ids 30, 4, 5, no longer at their places.
        list.retain(|e| e.date.day() == 6);
        assert_eq!(list.iter().map(|e| e.id.0).collect::<Vec<_>>(), vec![30, 4, 5]);
        assert_eq!(list.iter().collect::<Vec<_>>(), all[2..5]);
    }
}
