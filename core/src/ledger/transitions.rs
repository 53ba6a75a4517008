//! The month's verification transitions, stored compactly.
//!
//! A month of a city holds about as many transitions as entries (732,423 at
//! Banda Aceh). Stored as [`Transition`]s they took 96 bytes each (70 MB, a
//! quarter of what `kinerja tpp` holds): the actor's id (32 bytes), the reason
//! (`Option<String>`, 24) and the quantity (`Option<i64>`, 16) in every one,
//! although a month has a few hundred verifiers and most decisions carry no
//! reason. [`Transitions`] keeps each as a 40-byte row: the actor as an index
//! into a table of the month's actors, the reason as an index into a list of
//! the reasons given, the statuses and role in four bytes. Every value is kept
//! exactly; [`Transitions::iter`] and [`Transitions::get`] give each back as the
//! public [`Transition`] it was pushed as, and a list serialises as the list of
//! those (a snapshot's JSON and seal are the same as before).

use chrono::NaiveDateTime;
use rustc_hash::FxHashMap;

use crate::access::ActorId;
use crate::activity::{ActivityId, Transition, VerificationStatus};
use crate::org::VerifierRole;

/// No reason (a row's `reason`).
const NO_REASON: u32 = u32::MAX;

/// One transition as stored (40 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Row {
    entry: u64,
    /// Meaningful when `flags` has [`HAS_QUANTITY`].
    quantity: i64,
    at: NaiveDateTime,
    /// Index into the actors.
    by: u32,
    /// Index into the reasons, or [`NO_REASON`].
    reason: u32,
    /// `from` in bits 0-1, `to` in bits 2-3, [`HAS_QUANTITY`].
    flags: u8,
    /// 0: none; otherwise 1 + the role's code.
    role: u8,
}

const HAS_QUANTITY: u8 = 1 << 4;

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
/// 40-byte row each, its actor and reason as indexes into tables of the month's
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
        self.rows.push(Row {
            entry: t.entry.0,
            quantity: t.quantity.unwrap_or(0),
            at: t.at,
            by,
            reason,
            flags,
            role: role_code(t.role),
        });
    }

    fn build(&self, r: &Row) -> Transition {
        Transition {
            entry: ActivityId(r.entry),
            // `by` is an index `Transitions::actor` gave: always in the table.
            by: self.actors[r.by as usize].clone(),
            role: role_of(r.role),
            at: r.at,
            from: VerificationStatus::from_code(r.flags),
            to: VerificationStatus::from_code(r.flags >> 2),
            reason: self.reasons.get(r.reason as usize).cloned(),
            quantity: (r.flags & HAS_QUANTITY != 0).then_some(r.quantity),
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
        self.rows.iter().map(|r| ActivityId(r.entry))
    }

    /// Renames the entry of every transition (e.g. a phone's local ids to the
    /// server's): `f` gives each entry's new id.
    pub fn rename_entries(&mut self, mut f: impl FnMut(ActivityId) -> ActivityId) {
        for r in &mut self.rows {
            r.entry = f(ActivityId(r.entry)).0;
        }
    }

    /// [`Transitions::rename_entries`] with a renaming that may fail: the first
    /// error is returned and the list is left unchanged.
    pub fn try_rename_entries<E>(&mut self, mut f: impl FnMut(ActivityId) -> Result<ActivityId, E>) -> Result<(), E> {
        let renamed = self.rows.iter().map(|r| f(ActivityId(r.entry)).map(|id| id.0)).collect::<Result<Vec<_>, E>>()?;
        for (r, id) in self.rows.iter_mut().zip(renamed) {
            r.entry = id;
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
    fn a_row_is_40_bytes_and_every_value_comes_back() {
        // 8 (entry) + 8 (quantity) + 12 (at) + 4 (by) + 4 (reason) + 1 + 1 = 38, aligned to 8: 40.
        assert_eq!(std::mem::size_of::<Row>(), 40);
        let at = NaiveDate::from_ymd_opt(2026, 10, 5).and_then(|d| d.and_hms_nano_opt(9, 30, 1, 7)).expect("time");
        let a = ActorId::Employee(nip("198001012005011001"));
        let b = ActorId::Official(crate::access::OfficialId::new("WALIKOTA").expect("official"));
        let all = vec![
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
        let list: Transitions = all.clone().into();
        assert_eq!(list.iter().collect::<Vec<_>>(), all);
        assert_eq!(list.get(1), Some(all[1].clone()));
        assert_eq!(list.last(), Some(all[2].clone()));
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
        assert_eq!(list.get(0), Some(Transition { entry: ActivityId(107), ..t }));
    }
}
