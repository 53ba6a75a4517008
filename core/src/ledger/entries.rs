//! The month's activity entries, stored compactly (STUB: the public API; the
//! compact layout replaces the plain list below).

use chrono::NaiveDate;

use crate::activity::{ActivityEntry, ActivityId, VerificationStatus};
use crate::ids::TaskId;
use crate::org::Nip;

/// Every activity entry of a month, in the order logged. Read with
/// [`Entries::iter`] and [`Entries::get`] (each item an owned
/// [`ActivityEntry`], built on demand) or, for one field, with the accessors
/// that build nothing ([`Entries::status`], [`Entries::employee`], ...).
#[derive(Clone, Default)]
pub struct Entries {
    rows: Vec<ActivityEntry>,
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

    /// Reserves room for `n` more entries.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
    }

    /// Appends an entry.
    pub fn push(&mut self, e: ActivityEntry) {
        self.rows.push(e);
    }

    /// The entry at index `i` (in the order pushed).
    pub fn get(&self, i: usize) -> Option<ActivityEntry> {
        self.rows.get(i).cloned()
    }

    /// The last entry.
    pub fn last(&self) -> Option<ActivityEntry> {
        self.rows.last().cloned()
    }

    /// The entries in order, each built as the [`ActivityEntry`] pushed (or as
    /// it stands after its decisions and edits).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = ActivityEntry> + ExactSizeIterator + '_ {
        self.rows.iter().cloned()
    }

    /// The id of the entry at index `i`.
    pub fn id(&self, i: usize) -> Option<ActivityId> {
        self.rows.get(i).map(|e| e.id)
    }

    /// Whose work the entry at index `i` is.
    pub fn employee(&self, i: usize) -> Option<&Nip> {
        self.rows.get(i).map(|e| &e.employee)
    }

    /// The work date of the entry at index `i`.
    pub fn date(&self, i: usize) -> Option<NaiveDate> {
        self.rows.get(i).map(|e| e.date)
    }

    /// The task of the entry at index `i`.
    pub fn task(&self, i: usize) -> Option<&TaskId> {
        self.rows.get(i).map(|e| &e.task)
    }

    /// Where the entry at index `i` stands in verification.
    pub fn status(&self, i: usize) -> Option<VerificationStatus> {
        self.rows.get(i).map(|e| e.status)
    }

    /// Changes the entry at index `i` with `f` (on an owned copy, stored back).
    /// Gives `None`, and changes nothing, when there is no such entry.
    pub fn update<T>(&mut self, i: usize, f: impl FnOnce(&mut ActivityEntry) -> T) -> Option<T> {
        self.rows.get_mut(i).map(f)
    }

    /// Keeps only the entries `keep` accepts, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&ActivityEntry) -> bool) {
        self.rows.retain(|e| keep(e));
    }

    /// STUB: the plain list, while the ledger's internals move to the rows.
    pub(crate) fn as_slice(&self) -> &[ActivityEntry] {
        &self.rows
    }

    /// STUB: the plain list, while the ledger's internals move to the rows.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [ActivityEntry] {
        &mut self.rows
    }
}

row_list_traits!(Entries, ActivityEntry);
