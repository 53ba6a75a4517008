//! Tables compiled once per month from the city, for the checks a replay makes
//! for every event: who is in service on each day of the month, each employee's
//! own position when it is the same all month, each position's tasks, the unit
//! of each position and clock device. Every answer is the organisation's own
//! ([`Organisation::in_service_at`], [`Organisation::definitive_position_at`], a
//! position's task list, the unit tree); the tables only spare the searching, and
//! a date outside the month is asked of the organisation. Employees are found
//! by NIP in a table of their own, and a position's tasks are compared with
//! the task's id kept in the table (no reaching into the organisation).

use std::hash::Hasher;

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHasher;

use crate::dataset::City;
use crate::ids::TaskId;
use crate::minutes::Minutes;
use crate::month::YearMonth;
use crate::org::Organisation;

/// No position on any day of the month.
const NO_POSITION: u32 = u32::MAX;
/// Not the same position every day of the month.
const VARIES: u32 = u32::MAX - 1;
/// An index the tables do not know.
const UNKNOWN: u32 = u32::MAX;

#[derive(Debug, Default)]
pub(crate) struct MonthTables {
    first: NaiveDate,
    last: NaiveDate,
    /// Per employee: bit `day0` set when in service on that day of the month.
    service: Vec<u32>,
    /// Per employee: the own position on every day of the month when it is the
    /// same; [`NO_POSITION`] when there is none on any day; [`VARIES`] otherwise.
    own: Vec<u32>,
    /// Per position: where its tasks are in `tasks`.
    task_spans: Vec<(u32, u32)>,
    /// Each position's tasks, in order.
    tasks: Vec<TaskKey>,
    /// Per position: its unit's index.
    position_unit: Vec<u32>,
    /// Per clock device (in [`crate::access::Authorities::devices`] order): its unit's index.
    device_unit: Vec<u32>,
    /// Employees by NIP.
    employees: NipIndex,
    /// For each employee, where their row of `roster_days` starts ([`UNKNOWN`]:
    /// the roster names them on no day; [`VARIES`]: asked of the roster).
    roster_row: Vec<u32>,
    /// [`crate::roster::Rosters::day_span`] of a rostered employee on each day of
    /// the month, one row of 31 days per such employee.
    roster_days: Vec<Option<Option<(chrono::NaiveTime, chrono::NaiveTime)>>>,
    /// For each position, where its work sites are in `site_list`, and how many.
    position_sites: Vec<(u32, u32)>,
    /// The indexes of the work sites serving each position's unit, in the city's order.
    site_list: Vec<u32>,
}

/// The longest task id kept whole in a [`TaskKey`].
const KEY_LEN: usize = 40;

/// A position's task as the table keeps it.
#[derive(Clone, Debug)]
struct TaskKey {
    hash: u64,
    /// The task's place in the position's list.
    place: u32,
    /// The id's length; the id itself in `text` when it is at most [`KEY_LEN`].
    len: u32,
    text: [u8; KEY_LEN],
    minutes: Minutes,
}

/// Employees' dense indexes by NIP: open addressing on the NIP's value. A NIP is
/// 18 ASCII digits by construction ([`crate::nip::Nip::parse`] is its only maker),
/// so its value (below 10^18 < 2^60) is a key as exact as its text, in 8 bytes
/// instead of 18: the keys of a city of 6,000 employees take 64 KiB, which stays
/// in the core's cache while a replay reads the month, and a look-up reads one
/// key (or a few neighbours, in the same cache line).
#[derive(Debug, Default)]
struct NipIndex {
    /// Power of two; each slot's NIP value, [`NO_KEY`] when empty.
    keys: Vec<u64>,
    /// The employee index in each slot (parallel to `keys`).
    indexes: Vec<u32>,
    shift: u32,
}

/// An empty [`NipIndex`] slot (no NIP has this value: they are below 10^18).
const NO_KEY: u64 = u64::MAX;

impl NipIndex {
    fn new(org: &Organisation) -> NipIndex {
        let n = org.employees().len();
        // A load of at most 0.8: a look-up reads about two keys.
        let cap = (n + n / 4 + 1).next_power_of_two().max(16);
        let mut index =
            NipIndex { keys: vec![NO_KEY; cap], indexes: vec![UNKNOWN; cap], shift: 64 - cap.trailing_zeros() };
        for (e, emp) in org.employees().iter().enumerate() {
            // Only what the organisation itself answers (the first of a duplicate).
            if org.employee_index(&emp.nip) != Some(e) {
                continue;
            }
            let Ok(ix) = u32::try_from(e) else { continue };
            if ix == UNKNOWN {
                continue;
            }
            let key = nip_value(&emp.nip);
            let mask = cap - 1;
            let mut at = index.slot(key);
            while index.keys[at] != NO_KEY {
                at = (at + 1) & mask;
            }
            index.keys[at] = key;
            index.indexes[at] = ix;
        }
        index
    }

    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn get(&self, nip: &crate::nip::Nip) -> Option<usize> {
        if self.keys.is_empty() {
            return None;
        }
        let key = nip_value(nip);
        let mask = self.keys.len() - 1;
        let mut at = self.slot(key);
        loop {
            match self.keys.get(at) {
                Some(&k) if k == key => return self.indexes.get(at).map(|&ix| ix as usize),
                Some(&NO_KEY) | None => return None,
                Some(_) => at = (at + 1) & mask,
            }
        }
    }
}

/// The value of a NIP's 18 digits (below 10^18): two runs of eight digits
/// converted eight at a time (SWAR), then the last two.
fn nip_value(nip: &crate::nip::Nip) -> u64 {
    let b = nip.digits();
    let eight = |at: usize| {
        let mut w = [b'0'; 8];
        if let Some(src) = b.get(at..at + 8) {
            w.copy_from_slice(src);
        }
        // Each byte a digit 0..=9; pairs, then fours, then the eight combined.
        let mut v = u64::from_le_bytes(w).wrapping_sub(0x3030_3030_3030_3030);
        v = (v.wrapping_mul(10) + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
        v = (v.wrapping_mul(100) + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
        (v.wrapping_mul(10_000) + (v >> 32)) & 0xFFFF_FFFF
    };
    let last = |i: usize| u64::from(b.get(i).map_or(0, |d| d.wrapping_sub(b'0')));
    (eight(0) * 100_000_000 + eight(8)) * 100 + last(16) * 10 + last(17)
}

fn text_hash(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

impl MonthTables {
    pub(crate) fn new(city: &City, month: YearMonth) -> MonthTables {
        let org = &city.organisation;
        let (first, last) = (month.first_day(), month.last_day());
        let n = org.employees().len();
        let mut service = Vec::with_capacity(n);
        let mut own = Vec::with_capacity(n);
        for e in 0..n {
            let mut mask = 0u32;
            let mut same: Option<Option<usize>> = None;
            let mut varies = false;
            for (d, date) in month.range().days().enumerate() {
                if org.in_service_at(e, date) {
                    mask |= 1 << d;
                }
                let p = org.definitive_position_index_at(e, date);
                match same {
                    None => same = Some(p),
                    Some(q) if q != p => varies = true,
                    Some(_) => {}
                }
            }
            service.push(mask);
            own.push(match (varies, same.flatten()) {
                (true, _) => VARIES,
                (false, None) => NO_POSITION,
                (false, Some(p)) => u32::try_from(p).ok().filter(|&p| p < VARIES).unwrap_or(VARIES),
            });
        }
        let mut task_spans = Vec::with_capacity(org.positions().len());
        let mut tasks = Vec::new();
        let mut position_unit = Vec::with_capacity(org.positions().len());
        for p in org.positions() {
            let start = tasks.len() as u32;
            for (j, t) in p.analysis.tasks.iter().enumerate() {
                let id = t.id.as_str().as_bytes();
                let mut text = [0; KEY_LEN];
                if id.len() <= KEY_LEN {
                    text[..id.len()].copy_from_slice(id);
                }
                tasks.push(TaskKey {
                    hash: text_hash(t.id.as_str()),
                    place: j as u32,
                    len: u32::try_from(id.len()).unwrap_or(u32::MAX),
                    text,
                    minutes: t.standard_minutes,
                });
            }
            task_spans.push((start, tasks.len() as u32 - start));
            position_unit.push(unit_index(org, &p.unit));
        }
        let device_unit = city.authorities.devices().iter().map(|d| unit_index(org, &d.unit)).collect();
        let employees = NipIndex::new(org);
        let mut roster_row = vec![UNKNOWN; n];
        let mut roster_days = Vec::new();
        if !city.rosters.is_empty() {
            for (e, emp) in org.employees().iter().enumerate() {
                if !city.rosters.has(&emp.nip) {
                    continue;
                }
                let Some(row) = u32::try_from(roster_days.len()).ok().filter(|&r| r < VARIES) else {
                    // Beyond the table: asked of the roster.
                    roster_row[e] = VARIES;
                    continue;
                };
                roster_row[e] = row;
                let range = month.range();
                let days = range.days().map(|d| city.rosters.day_span(&emp.nip, d));
                roster_days.extend(days.chain(std::iter::repeat(None)).take(31));
            }
        }
        let mut position_sites = Vec::with_capacity(org.positions().len());
        let mut site_list = Vec::new();
        if !city.work_sites.is_empty() {
            for p in org.positions() {
                let start = site_list.len() as u32;
                for (i, site) in city.work_sites.iter().enumerate() {
                    if site.units.contains(&p.unit) {
                        site_list.push(i as u32);
                    }
                }
                position_sites.push((start, site_list.len() as u32 - start));
            }
        }
        MonthTables {
            first,
            last,
            service,
            own,
            task_spans,
            tasks,
            position_unit,
            device_unit,
            employees,
            roster_row,
            roster_days,
            position_sites,
            site_list,
        }
    }

    fn day0(&self, date: NaiveDate) -> Option<u32> {
        (self.first <= date && date <= self.last).then(|| date.day0())
    }

    /// [`Organisation::in_service_at`].
    pub(crate) fn in_service_at(&self, org: &Organisation, employee: usize, date: NaiveDate) -> bool {
        match (self.day0(date), self.service.get(employee)) {
            (Some(d), Some(mask)) => mask & (1 << d) != 0,
            _ => org.in_service_at(employee, date),
        }
    }

    /// The index of [`Organisation::definitive_position_at`].
    pub(crate) fn own_position_at(&self, org: &Organisation, employee: usize, date: NaiveDate) -> Option<usize> {
        match (self.day0(date), self.own.get(employee)) {
            (Some(_), Some(&NO_POSITION)) => None,
            (Some(_), Some(&p)) if p != VARIES => Some(p as usize),
            _ => org.definitive_position_index_at(employee, date),
        }
    }

    /// The standard minutes of the first task of position `p` whose id is `task`.
    pub(crate) fn task_minutes(&self, org: &Organisation, p: usize, task: &TaskId) -> Option<Minutes> {
        let list = &org.positions().get(p)?.analysis.tasks;
        let Some(&(start, len)) = self.task_spans.get(p) else {
            return list.iter().find(|t| &t.id == task).map(|t| t.standard_minutes);
        };
        let id = task.as_str().as_bytes();
        let h = text_hash(task.as_str());
        let span = self.tasks.get(start as usize..(start + len) as usize).unwrap_or_default();
        span.iter().filter(|k| k.hash == h && k.len as usize == id.len()).find_map(|k| {
            let same = match k.text.get(..id.len()) {
                Some(text) => text == id,
                None => list.get(k.place as usize).is_some_and(|t| &t.id == task),
            };
            same.then_some(k.minutes)
        })
    }

    /// [`crate::roster::Rosters::day_span`] of the employee with index `employee`
    /// (whose NIP is `nip`) on `date`.
    pub(crate) fn roster_day_span(
        &self,
        rosters: &crate::roster::Rosters,
        employee: usize,
        nip: &crate::nip::Nip,
        date: NaiveDate,
    ) -> Option<Option<(chrono::NaiveTime, chrono::NaiveTime)>> {
        match (self.day0(date), self.roster_row.get(employee)) {
            // Named on no day of the roster: it says nothing of any day.
            (_, Some(&UNKNOWN)) => None,
            (Some(d), Some(&row)) if row != VARIES => match self.roster_days.get(row as usize + d as usize) {
                Some(&span) => span,
                None => rosters.day_span(nip, date),
            },
            _ => rosters.day_span(nip, date),
        }
    }

    /// The indexes of the work sites [`City::sites_for`] gives the employee with
    /// index `employee` on `date` (those serving the unit of their own position),
    /// when they have one.
    pub(crate) fn sites_of(&self, org: &Organisation, employee: usize, date: NaiveDate) -> Option<&[u32]> {
        let p = self.own_position_at(org, employee, date)?;
        let &(start, len) = self.position_sites.get(p)?;
        self.site_list.get(start as usize..(start + len) as usize)
    }

    /// [`Organisation::employee_index`].
    pub(crate) fn employee_index(&self, org: &Organisation, nip: &crate::nip::Nip) -> Option<usize> {
        if self.employees.keys.is_empty() {
            return org.employee_index(nip);
        }
        self.employees.get(nip)
    }

    /// The unit index of position `p`.
    pub(crate) fn position_unit(&self, p: usize) -> Option<usize> {
        self.position_unit.get(p).filter(|&&u| u != UNKNOWN).map(|&u| u as usize)
    }

    /// The unit index of clock device `d`.
    pub(crate) fn device_unit(&self, d: usize) -> Option<usize> {
        self.device_unit.get(d).filter(|&&u| u != UNKNOWN).map(|&u| u as usize)
    }
}

fn unit_index(org: &Organisation, id: &crate::ids::UnitId) -> u32 {
    org.unit_index(id).and_then(|u| u32::try_from(u).ok()).filter(|&u| u != UNKNOWN).unwrap_or(UNKNOWN)
}

#[cfg(test)]
mod tests {
    use super::{MonthTables, nip_value};
    use crate::ids::TaskId;
    use crate::minutes::Minutes;
    use crate::nip::Nip;

    /// A position's task is found by its id, one longer than a key holds (40
    /// bytes) through the position's own list; an id the position lacks (one of
    /// its ids cut short, an unknown id, another position's task) is none of its
    /// tasks.
    #[test]
    fn a_positions_task_minutes_are_found_by_id() {
        let config = crate::generator::GeneratorConfig { seed: 1, units: 2, employees: 20, year: 2026 };
        let mut data: serde_json::Value =
            serde_json::from_str(&crate::generator::generate(&config).expect("generated").to_json()).expect("json");
        let long = "T-".repeat(30); // 60 bytes: longer than a key holds (40).
        let task = |id: &str, minutes: i64| {
            serde_json::json!({"id": id, "name": "n", "output": "o", "output_unit": "o",
                "standard_minutes": minutes, "volume": {"quantity": "1", "per": "year"}})
        };
        let tasks = vec![task("A", 30), task(&long, 45), task("B", 60)];
        data["positions"][0]["analysis"]["tasks"] = serde_json::Value::Array(tasks);
        let city = crate::dataset::Dataset::load_city(&data.to_string()).expect("loads");
        let month = crate::YearMonth::new(2026, 10).expect("month");
        let tables = MonthTables::new(&city, month);
        let org = &city.organisation;
        let other = org.positions().get(1).and_then(|p| p.analysis.tasks.first()).cloned();
        let minutes = |id: &str| tables.task_minutes(org, 0, &TaskId::from(id.to_string()));
        assert_eq!(minutes("A"), Some(Minutes(30)));
        assert_eq!(minutes(&long), Some(Minutes(45)));
        assert_eq!(minutes("B"), Some(Minutes(60)));
        // The long id cut to a key's 40 bytes, and an id no position has.
        assert_eq!(minutes(&long[..40]), None);
        assert_eq!(minutes("C"), None);
        // Position 1's first task is its own, at its listed minutes, not position 0's.
        let other = other.expect("position 1 has a task");
        assert_eq!(tables.task_minutes(org, 0, &other.id), None);
        assert_eq!(tables.task_minutes(org, 1, &other.id), Some(other.standard_minutes));
    }

    /// The NIP's value is its 18 digits read as one number.
    #[test]
    fn nip_value_is_the_digits_as_a_number() {
        for (text, value) in [
            ("198503152010011001", 198_503_152_010_011_001_u64),
            ("199312282025212001", 199_312_282_025_212_001),
            ("197001012000122999", 197_001_012_000_122_999),
        ] {
            let nip = Nip::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(nip_value(&nip), value, "{text}");
        }
    }
}
