//! The month's clock events, stored compactly.
//!
//! A month of a city holds about a quarter of a million scans (251,085 at Banda
//! Aceh). Stored as [`ClockEvent`]s they took 112 bytes each (28 MB), because
//! every one had room for a phone's position (two decimals) and a geofence
//! verdict with its site's name, which a fingerprint or face scan never has.
//! [`Clocks`] keeps each as a 36-byte row: the employee's NIP, the time, the
//! direction and the kind of source in one byte, and an index into a side list
//! holding the source and verdict of the scans that carry them (phones). Every
//! value is kept exactly; [`Clocks::iter`] and [`Clocks::get`] give each back as
//! the public [`ClockEvent`] it was pushed as, and a list serialises as the list
//! of those (a snapshot's JSON and seal are the same as before).

use chrono::NaiveDateTime;

use crate::attendance::{ClockDirection, ClockEvent, ClockSource, Picked};
use crate::geo::GeoCheck;
use crate::org::Nip;

/// No side record (a row's `extra`).
const NO_EXTRA: u32 = u32::MAX;

/// The direction's bit in a row's `kind`.
const OUT: u8 = 1;
/// The source's code in a row's `kind` (bits 1-2): fingerprint 0, face 1, a phone
/// without position 2, a phone with one 3 (its position in the side record).
const SOURCE_SHIFT: u8 = 1;

/// One scan as stored (36 bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    employee: Nip,
    /// Direction ([`OUT`]) and source (see [`SOURCE_SHIFT`]).
    kind: u8,
    at: NaiveDateTime,
    /// Index into the side records, or [`NO_EXTRA`].
    extra: u32,
}

/// What a scan carries besides its row: a phone's position, a geofence verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Extra {
    /// The source when it is [`ClockSource::Mobile`] (its position); `None`
    /// otherwise (the row's kind says which).
    source: Option<ClockSource>,
    geofence: Option<GeoCheck>,
}

fn source_code(s: &ClockSource) -> u8 {
    match s {
        ClockSource::Fingerprint => 0,
        ClockSource::Face => 1,
        ClockSource::MobileWithoutPosition => 2,
        ClockSource::Mobile { .. } => 3,
    }
}

/// Every clock event of a month, in recorded order, stored compactly (a 36-byte
/// row each; a phone's position and a geofence verdict in a side list). Read with
/// [`Clocks::iter`] (each item an owned [`ClockEvent`], built on demand) or, for
/// the few fields most readers need, [`Clocks::scans`]; added to with
/// [`Clocks::push`].
#[derive(Clone, Default)]
pub struct Clocks {
    rows: Vec<Row>,
    extras: Vec<Extra>,
}

impl Clocks {
    /// An empty list.
    pub fn new() -> Self {
        Clocks::default()
    }

    /// How many clock events.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Reserves room for `n` more clock events.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        // A phone's scans carry a geofence verdict, kept beside the row: a city
        // whose staff scan by phone has one for most rows.
        self.extras.reserve(n);
    }

    /// Removes every clock event.
    pub fn clear(&mut self) {
        self.rows.clear();
        self.extras.clear();
    }

    /// Appends a clock event.
    pub fn push(&mut self, c: ClockEvent) {
        let code = source_code(&c.source);
        let kind = u8::from(c.direction == ClockDirection::Out) | (code << SOURCE_SHIFT);
        let extra = if code == 3 || c.geofence.is_some() {
            let source = (code == 3).then_some(c.source);
            self.extras.push(Extra { source, geofence: c.geofence });
            // In 32 bits: a month holds far fewer than 4 billion scans.
            u32::try_from(self.extras.len() - 1).unwrap_or(NO_EXTRA)
        } else {
            NO_EXTRA
        };
        self.rows.push(Row { employee: c.employee, kind, at: c.at, extra });
    }

    fn extra(&self, r: &Row) -> Option<&Extra> {
        self.extras.get(r.extra as usize)
    }

    fn build(&self, r: &Row) -> ClockEvent {
        let extra = self.extra(r);
        let source = match (r.kind >> SOURCE_SHIFT) & 3 {
            0 => ClockSource::Fingerprint,
            1 => ClockSource::Face,
            2 => ClockSource::MobileWithoutPosition,
            // A phone with a position always has its side record (`push`).
            _ => extra.and_then(|x| x.source.clone()).unwrap_or(ClockSource::MobileWithoutPosition),
        };
        ClockEvent {
            employee: r.employee.clone(),
            at: r.at,
            direction: direction_of(r.kind),
            source,
            geofence: extra.and_then(|x| x.geofence.clone()),
        }
    }

    /// The clock event at index `i` (in the order pushed).
    pub fn get(&self, i: usize) -> Option<ClockEvent> {
        self.rows.get(i).map(|r| self.build(r))
    }

    /// The last clock event.
    pub fn last(&self) -> Option<ClockEvent> {
        self.rows.last().map(|r| self.build(r))
    }

    /// The clock events in order, each built as the [`ClockEvent`] pushed.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = ClockEvent> + ExactSizeIterator + '_ {
        self.rows.iter().map(|r| self.build(r))
    }

    /// The clock events of `employee`, in order (only theirs are built).
    pub fn iter_of<'a>(&'a self, employee: &'a Nip) -> impl DoubleEndedIterator<Item = ClockEvent> + 'a {
        self.rows.iter().filter(move |r| &r.employee == employee).map(|r| self.build(r))
    }

    /// Who scanned, when and which way, for every clock event in order (nothing built).
    pub fn scans(&self) -> impl DoubleEndedIterator<Item = (&Nip, NaiveDateTime, ClockDirection)> + ExactSizeIterator {
        self.rows.iter().map(|r| (&r.employee, r.at, direction_of(r.kind)))
    }

    /// The time of the clock event at index `i`.
    pub fn at(&self, i: usize) -> Option<NaiveDateTime> {
        self.rows.get(i).map(|r| r.at)
    }

    /// Who scanned, for the clock event at index `i`.
    pub fn employee(&self, i: usize) -> Option<&Nip> {
        self.rows.get(i).map(|r| &r.employee)
    }

    /// What a day's judgement reads of the clock event at index `i` (its time and
    /// geofence verdict), without building it.
    pub(crate) fn picked(&self, i: usize) -> Option<Picked> {
        let r = self.rows.get(i)?;
        let g = self.extra(r).and_then(|x| x.geofence.as_ref());
        Some(Picked { at: r.at, verdict: g.map(|g| g.verdict), flagged: g.is_some_and(|g| g.flagged) })
    }

    /// Keeps only the clock events for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&ClockEvent) -> bool) {
        let kept: Clocks = self.iter().filter(|c| keep(c)).collect();
        *self = kept;
    }
}

fn direction_of(kind: u8) -> ClockDirection {
    if kind & OUT != 0 { ClockDirection::Out } else { ClockDirection::In }
}

row_list_traits!(Clocks, ClockEvent);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::GeoVerdict;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    fn nip(s: &str) -> Nip {
        s.parse().expect("nip")
    }

    #[test]
    fn a_row_is_36_bytes_and_every_value_comes_back() {
        // 18 (NIP) + 1 (kind), aligned to 4: 20; + 12 (at) + 4 (extra) = 36.
        assert_eq!(std::mem::size_of::<Row>(), 36);
        let at = NaiveDate::from_ymd_opt(2026, 10, 5).and_then(|d| d.and_hms_nano_opt(7, 31, 2, 5)).expect("time");
        let a = nip("198001012005011001");
        let b = nip("199002022015022002");
        let geo = GeoCheck {
            site: Some("SITE-RSUD".into()),
            verdict: GeoVerdict::Outside { distance_m: 412, beyond_m: 262 },
            flagged: true,
        };
        let all = vec![
            ClockEvent {
                employee: a.clone(),
                at,
                direction: ClockDirection::In,
                source: ClockSource::Fingerprint,
                geofence: None,
            },
            ClockEvent {
                employee: b.clone(),
                at,
                direction: ClockDirection::Out,
                source: ClockSource::Face,
                geofence: None,
            },
            ClockEvent {
                employee: a.clone(),
                at,
                direction: ClockDirection::In,
                source: ClockSource::Mobile {
                    latitude: Decimal::new(55_480, 4),
                    longitude: Decimal::new(953_238, 4),
                    accuracy_m: Some(12),
                },
                geofence: Some(geo.clone()),
            },
            ClockEvent {
                employee: b.clone(),
                at,
                direction: ClockDirection::Out,
                source: ClockSource::MobileWithoutPosition,
                geofence: Some(GeoCheck { site: None, verdict: GeoVerdict::NoPosition, flagged: false }),
            },
            ClockEvent {
                employee: b.clone(),
                at,
                direction: ClockDirection::In,
                source: ClockSource::MobileWithoutPosition,
                geofence: None,
            },
        ];
        let list: Clocks = all.clone().into();
        assert_eq!(list.iter().collect::<Vec<_>>(), all);
        assert_eq!(list.get(2), Some(all[2].clone()));
        assert_eq!(list.last(), Some(all[4].clone()));
        assert_eq!(list.iter_of(&a).collect::<Vec<_>>(), vec![all[0].clone(), all[2].clone()]);
        // Two side records: the phone with a position, the verdict without one.
        assert_eq!(list.extras.len(), 2);
        assert_eq!(list.picked(2), Some(Picked::of(&all[2])));
        assert_eq!(list.picked(0), Some(Picked::of(&all[0])));
        // The same JSON as the list of clock events.
        let json = serde_json::to_string(&list).expect("json");
        assert_eq!(json, serde_json::to_string(&all).expect("json"));
        let back: Clocks = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, list);
        // Retain keeps the order and the side records of what it keeps.
        let mut kept = list.clone();
        kept.retain(|c| c.employee == b);
        assert_eq!(kept.iter().collect::<Vec<_>>(), vec![all[1].clone(), all[3].clone(), all[4].clone()]);
    }
}
