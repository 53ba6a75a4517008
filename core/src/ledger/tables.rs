//! Tables compiled once per month from the city, for the checks a replay makes
//! for every event: who is in service on each day of the month, each employee's
//! own position when it is the same all month, each position's tasks, the unit
//! of each position and clock device. Every answer is the organisation's own
//! ([`Organisation::in_service_at`], [`Organisation::definitive_position_at`], a
//! position's task list, the unit tree); the tables only spare the searching, and
//! a date outside the month is asked of the organisation.

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
    /// Each position's tasks, in order: a hash of the id, and the task's place in
    /// the position's list.
    tasks: Vec<(u64, u32)>,
    /// Per position: its unit's index.
    position_unit: Vec<u32>,
    /// Per clock device (in [`crate::access::Authorities::devices`] order): its unit's index.
    device_unit: Vec<u32>,
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
                tasks.push((text_hash(t.id.as_str()), j as u32));
            }
            task_spans.push((start, tasks.len() as u32 - start));
            position_unit.push(unit_index(org, &p.unit));
        }
        let device_unit = city.authorities.devices().iter().map(|d| unit_index(org, &d.unit)).collect();
        MonthTables { first, last, service, own, task_spans, tasks, position_unit, device_unit }
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
        let h = text_hash(task.as_str());
        let span = self.tasks.get(start as usize..(start + len) as usize).unwrap_or_default();
        span.iter()
            .filter(|(th, _)| *th == h)
            .filter_map(|&(_, j)| list.get(j as usize))
            .find(|t| &t.id == task)
            .map(|t| t.standard_minutes)
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
