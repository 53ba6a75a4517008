//! The month's verification transitions, stored compactly.
//!
//! A month of a city holds about as many transitions as entries (732,423 at
//! Banda Aceh). Stored as [`Transition`]s they took 96 bytes each (70 MB, a
//! quarter of what `kinerja tpp` holds): the actor's id (32 bytes), the reason
//! (`Option<String>`, 24) and the quantity (`Option<i64>`, 16) in every one,
//! although a month has a few hundred verifiers and most decisions carry no
//! reason. [`Transitions`] keeps each as a 24-byte row: the actor as an index
//! into a table of the month's actors, the reason as an index into a list of
//! the reasons given, the entry's number, the time (whole seconds since 1970)
//! and the quantity in 32 bits each, the statuses and role in two bytes. A
//! transition whose entry, time or quantity does not fit (none that the ledger
//! makes before 2106) keeps those three in a side list. Every value is kept
//! exactly; [`Transitions::iter`] and [`Transitions::get`] give each back as the
//! public [`Transition`] it was pushed as, and a list serialises as the list of
//! those (a snapshot's JSON and seal are the same as before).

use chrono::{DateTime, NaiveDateTime, Timelike};
use rustc_hash::FxHashMap;

use crate::access::ActorId;
use crate::activity::{ActivityId, Transition, VerificationStatus};
use crate::org::VerifierRole;

/// No reason (a row's `reason`).
const NO_REASON: u32 = u32::MAX;

/// One transition as stored (24 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Row {
    /// The entry's id; for a [`WIDE`] row, the index of its figures in the side list.
    entry: u32,
    /// Whole seconds since 1970-01-01 00:00.
    at: u32,
    /// Meaningful when `flags` has [`HAS_QUANTITY`].
    quantity: i32,
    /// Index into the actors.
    by: u32,
    /// Index into the reasons, or [`NO_REASON`].
    reason: u32,
    /// `from` in bits 0-1, `to` in bits 2-3, [`HAS_QUANTITY`], [`WIDE`].
    flags: u8,
    /// 0: none; otherwise 1 + the role's code.
    role: u8,
}

const HAS_QUANTITY: u8 = 1 << 4;
/// The entry, time and quantity are in the side list, at the row's `entry`.
const WIDE: u8 = 1 << 5;

/// The figures of a transition that do not fit its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Wide {
    entry: u64,
    quantity: i64,
    at: NaiveDateTime,
}

/// Whole seconds since 1970 of a time that has no fraction of a second and
/// falls between 1970 and 2106.
fn epoch_seconds(at: NaiveDateTime) -> Option<u32> {
    if at.nanosecond() != 0 {
        return None;
    }
    u32::try_from(at.and_utc().timestamp()).ok()
}

/// The time `secs` whole seconds after 1970-01-01 00:00.
fn at_epoch(secs: u32) -> NaiveDateTime {
    DateTime::from_timestamp(i64::from(secs), 0).map_or(NaiveDateTime::MIN, |d| d.naive_utc())
}

/// Writes `w` into `row`, or into the side list `wide` (the row then [`WIDE`])
/// when it does not fit.
fn place(wide: &mut Vec<Wide>, row: &mut Row, w: Wide) {
    if let (Ok(entry), Ok(quantity), Some(at)) =
        (u32::try_from(w.entry), i32::try_from(w.quantity), epoch_seconds(w.at))
    {
        (row.entry, row.quantity, row.at) = (entry, quantity, at);
        row.flags &= !WIDE;
    } else {
        row.entry = wide.len() as u32;
        row.flags |= WIDE;
        wide.push(w);
    }
}

fn role_code(r: Option<VerifierRole>) -> u8 {
    match r {
        None => 0,
        Some(VerifierRole::Definitive) => 1,
        Some(VerifierRole::Plt) => 2,
        Some(VerifierRole::Plh) => 3,
        Some(VerifierRole::Delegate) => 4,
        Some(VerifierRole::Official) => 5,
    }
}

fn role_of(code: u8) -> Option<VerifierRole> {
    match code {
        1 => Some(VerifierRole::Definitive),
        2 => Some(VerifierRole::Plt),
        3 => Some(VerifierRole::Plh),
        4 => Some(VerifierRole::Delegate),
        5 => Some(VerifierRole::Official),
        _ => None,
    }
}

/// Every verification transition of a month, in order, stored compactly (a
/// 24-byte row each, its actor and reason as indexes into tables of the month's
/// actors and reasons). Read with [`Transitions::iter`] (each item an owned
/// [`Transition`], built on demand), added to with [`Transitions::push`].
#[derive(Clone, Default)]
pub struct Transitions {
    rows: Vec<Row>,
    /// The actors named, each once.
    actors: Vec<ActorId>,
    /// Index of each actor in `actors`.
    actor_ix: FxHashMap<ActorId, u32>,
    /// The reasons given, in order (not shared: few transitions carry one).
    reasons: Vec<String>,
    /// The figures of the rows that do not hold them.
    wide: Vec<Wide>,
}

impl Transitions {
    /// An empty list.
    pub fn new() -> Self {
        Transitions::default()
    }

    /// How many transitions.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Reserves room for `n` more transitions.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
    }

    /// The index of `actor` in the actors' table, added if new. A batch's
    /// decisions share their actor: the last one is tried before the table.
    fn actor(&mut self, actor: &ActorId) -> u32 {
        if let Some(last) = self.rows.last()
            && self.actors.get(last.by as usize) == Some(actor)
        {
            return last.by;
        }
        if let Some(&i) = self.actor_ix.get(actor) {
            return i;
        }
        let i = self.actors.len() as u32;
        self.actors.push(actor.clone());
        self.actor_ix.insert(actor.clone(), i);
        i
    }

    /// Appends a transition.
    pub fn push(&mut self, t: Transition) {
        let by = self.actor(&t.by);
        let reason = match t.reason {
            None => NO_REASON,
            Some(r) => {
                self.reasons.push(r);
                (self.reasons.len() - 1) as u32
            }
        };
        let flags = t.from.code() | (t.to.code() << 2) | if t.quantity.is_some() { HAS_QUANTITY } else { 0 };
        let mut row = Row { entry: 0, at: 0, quantity: 0, by, reason, flags, role: role_code(t.role) };
        place(&mut self.wide, &mut row, Wide { entry: t.entry.0, quantity: t.quantity.unwrap_or(0), at: t.at });
        self.rows.push(row);
    }

    /// The entry, time and quantity of `r`.
    fn figures(&self, r: &Row) -> Wide {
        match self.wide.get(r.entry as usize) {
            Some(w) if r.flags & WIDE != 0 => *w,
            _ => Wide { entry: u64::from(r.entry), quantity: i64::from(r.quantity), at: at_epoch(r.at) },
        }
    }

    fn build(&self, r: &Row) -> Transition {
        let w = self.figures(r);
        Transition {
            entry: ActivityId(w.entry),
            // `by` is an index `Transitions::actor` gave: always in the table.
            by: self.actors[r.by as usize].clone(),
            role: role_of(r.role),
            at: w.at,
            from: VerificationStatus::from_code(r.flags),
            to: VerificationStatus::from_code(r.flags >> 2),
            reason: self.reasons.get(r.reason as usize).cloned(),
            quantity: (r.flags & HAS_QUANTITY != 0).then_some(w.quantity),
        }
    }

    /// The transition at index `i` (in the order pushed).
    pub fn get(&self, i: usize) -> Option<Transition> {
        self.rows.get(i).map(|r| self.build(r))
    }

    /// The last transition.
    pub fn last(&self) -> Option<Transition> {
        self.rows.last().map(|r| self.build(r))
    }

    /// The transitions in order, each built as the [`Transition`] pushed.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Transition> + ExactSizeIterator + '_ {
        self.rows.iter().map(|r| self.build(r))
    }

    /// The entry each transition concerns, in order (nothing built).
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = ActivityId> + ExactSizeIterator + '_ {
        self.rows.iter().map(|r| ActivityId(self.figures(r).entry))
    }

    /// Renames the entry of every transition (e.g. a phone's local ids to the
    /// server's): `f` gives each entry's new id.
    pub fn rename_entries(&mut self, mut f: impl FnMut(ActivityId) -> ActivityId) {
        let renamed = self.try_rename_entries(|id| Ok::<_, std::convert::Infallible>(f(id)));
        // Infallible: nothing to report.
        let Ok(()) = renamed;
    }

    /// [`Transitions::rename_entries`] with a renaming that may fail: the first
    /// error is returned and the list is left unchanged.
    pub fn try_rename_entries<E>(&mut self, mut f: impl FnMut(ActivityId) -> Result<ActivityId, E>) -> Result<(), E> {
        let renamed = self
            .rows
            .iter()
            .map(|r| {
                let w = self.figures(r);
                f(ActivityId(w.entry)).map(|id| Wide { entry: id.0, ..w })
            })
            .collect::<Result<Vec<_>, E>>()?;
        self.wide.clear();
        for (r, w) in self.rows.iter_mut().zip(renamed) {
            place(&mut self.wide, r, w);
        }
        Ok(())
    }
}

row_list_traits!(Transitions, Transition);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn nip(s: &str) -> crate::org::Nip {
        s.parse().expect("nip")
    }

    #[test]
    fn a_row_is_24_bytes_and_every_value_comes_back() {
        // 4 (entry) + 4 (at) + 4 (quantity) + 4 (by) + 4 (reason) + 1 + 1 = 22, aligned to 4: 24.
        assert_eq!(std::mem::size_of::<Row>(), 24);
        let at = NaiveDate::from_ymd_opt(2026, 10, 5).and_then(|d| d.and_hms_nano_opt(9, 30, 1, 7)).expect("time");
        let a = ActorId::Employee(nip("198001012005011001"));
        let b = ActorId::Official(crate::access::OfficialId::new("WALIKOTA").expect("official"));
        let mut all = vec![
            Transition {
                entry: ActivityId(u64::MAX),
                by: a.clone(),
                role: Some(VerifierRole::Plh),
                at,
                from: VerificationStatus::Submitted,
                to: VerificationStatus::Approved,
                reason: None,
                quantity: Some(i64::MIN),
            },
            Transition {
                entry: ActivityId(2),
                by: b.clone(),
                role: Some(VerifierRole::Official),
                at,
                from: VerificationStatus::Submitted,
                to: VerificationStatus::Returned,
                reason: Some("lampirkan bukti".into()),
                quantity: None,
            },
            Transition {
                entry: ActivityId(2),
                by: a.clone(),
                role: None,
                at,
                from: VerificationStatus::Returned,
                to: VerificationStatus::Submitted,
                reason: None,
                quantity: Some(0),
            },
        ];
        // Whole seconds between 1970 and 2106, an entry number and a quantity
        // in 32 bits fit a row; the three above (a fraction of a second) and
        // the last three below do not.
        let whole = |y, m, d, h| NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, 0, 0)).expect("time");
        let approve = |entry: u64, at, quantity| Transition {
            entry: ActivityId(entry),
            by: a.clone(),
            role: Some(VerifierRole::Definitive),
            at,
            from: VerificationStatus::Submitted,
            to: VerificationStatus::Approved,
            reason: None,
            quantity: Some(quantity),
        };
        all.push(approve(3, whole(2026, 10, 6, 9), 2));
        all.push(approve(u64::from(u32::MAX), whole(1970, 1, 1, 0), i64::from(i32::MAX)));
        all.push(approve(5, whole(2106, 2, 7, 6), i64::from(i32::MIN)));
        all.push(approve(u64::from(u32::MAX) + 1, whole(2026, 10, 6, 9), 1));
        all.push(approve(7, whole(1969, 12, 31, 23), 1));
        all.push(approve(8, whole(2106, 2, 7, 7), 1));
        let list: Transitions = all.clone().into();
        assert_eq!(list.wide.len(), 6);
        assert_eq!(list.iter().collect::<Vec<_>>(), all);
        assert_eq!(list.get(1), Some(all[1].clone()));
        assert_eq!(list.last(), all.last().cloned());
        // Two actors named, each once in the table.
        assert_eq!(list.actors.len(), 2);
        // The same JSON as the list of transitions.
        let json = serde_json::to_string(&list).expect("json");
        assert_eq!(json, serde_json::to_string(&all).expect("json"));
        let back: Transitions = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, list);
    }

    #[test]
    fn renaming_entries_keeps_the_rest() {
        let at = NaiveDate::from_ymd_opt(2026, 10, 5).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("time");
        let t = Transition {
            entry: ActivityId(7),
            by: ActorId::Employee(nip("198001012005011001")),
            role: Some(VerifierRole::Definitive),
            at,
            from: VerificationStatus::Submitted,
            to: VerificationStatus::Rejected,
            reason: Some("bukan tugasnya".into()),
            quantity: None,
        };
        let mut list: Transitions = vec![t.clone()].into();
        list.rename_entries(|id| ActivityId(id.0 + 100));
        assert_eq!(list.get(0), Some(Transition { entry: ActivityId(107), ..t.clone() }));
        // Beyond 32 bits the entry's figures move to the side list, and back.
        list.rename_entries(|id| ActivityId(id.0 + u64::from(u32::MAX)));
        assert_eq!((list.wide.len(), list.entries().next()), (1, Some(ActivityId(107 + u64::from(u32::MAX)))));
        assert_eq!(list.get(0).map(|t| (t.at, t.reason)), Some((at, Some("bukan tugasnya".into()))));
        list.rename_entries(|id| ActivityId(id.0 - u64::from(u32::MAX)));
        assert_eq!((list.wide.len(), list.get(0)), (0, Some(Transition { entry: ActivityId(107), ..t })));
    }
}
