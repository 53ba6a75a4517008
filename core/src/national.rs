//! The national month: every regional government's civil servants (about 4.3
//! million in about 540 regions), generated and paid as a stream, region by region.
//!
//! A region's month is not simulated command by command ([`crate::simulate`] checks
//! every ledger command and takes seconds per city); it is generated directly as the
//! records the recap reads: the organisation (units, positions with their tasks,
//! employees with rank and employment type, definitive assignments, salaries) and
//! the month's [`LedgerState`] (activity entries with their verification status,
//! clock events, absences, roll-call lists, the closure). Those records then go
//! through the **ordinary engine**: [`crate::recap::monthly_recap`] and
//! [`crate::payroll::pay_amounts`] (the amounts of [`crate::payroll::pay_city`]); no
//! rule is restated here.
//!
//! A region is processed in chunks of at most [`CHUNK_EMPLOYEES`] employees (whole
//! work units), each chunk a city of its own, so memory is bounded by the chunk and
//! not by the region: only the totals of each region ([`RegionSummary`]) are kept and
//! added into [`NationalTotals`] (by employment type and by job class).
//!
//! Everything is deterministic from a seed and the region's index: the plan
//! ([`plan`]) draws the regions' sizes, and [`region`] generates and pays one region
//! from `(seed, index)` alone, so regions can be computed anywhere (threads, or the
//! workers of a cluster) and added up in any order with the same totals.
//!
//! What the generated month looks like (the same shape as the simulation's): most
//! employees clock in before the start of the day's schedule, about one in eight
//! late by 1-95 minutes, a few leave early or forget a scan; about 2 % take one to
//! three days of annual leave, 1 % are sick with a doctor's note, 1 % are absent one
//! day without excuse; present employees log four to seven entries a day against
//! their position's tasks, of which most are approved (some at a lower quantity), a
//! few returned, rejected or still pending at the deadline; each unit's roll calls
//! list the present employees (about 4 % miss one). The month is closed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::access::ActorId;
use crate::activity::{ActivityEntry, ActivityId, VerificationStatus};
use crate::anjab::{JobAnalysis, Task, Volume, VolumePeriod};
use crate::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
use crate::calendar::WorkCalendar;
use crate::dataset::{Dataset, Government, SCHEMA_VERSION, SalaryRecord};
use crate::generator::SplitMix64;
use crate::ids::{PositionId, TaskId, UnitId};
use crate::ledger::{Closure, Ledger, LedgerError, LedgerState, MonthContext, RollCallList};
use crate::minutes::Minutes;
use crate::money::Money;
use crate::month::{DateRange, YearMonth};
use crate::org::{
    Assignment, AssignmentKind, Employee, EmploymentType, JobClass, Nip, Position, PositionKind, Rank, RankGroup,
    WorkUnit,
};
use crate::policy::Policy;
use crate::rollcall::RollCallKind;

/// The most employees generated and paid at once: a region larger than this is
/// paid in chunks of whole work units (each chunk a city of its own).
///
/// 1,000 rather than a larger chunk: a chunk's largest buffers (0.15 million
/// activity entries reserved at seven a working day, about 22 MB, and the recap's
/// indexes over them) then stay below the C allocator's largest mmap threshold
/// (32 MiB in glibc), so each thread reuses the memory the previous chunk freed
/// instead of unmapping it and faulting in fresh zeroed pages for the next (at
/// 4,000 a third of the run's CPU time was the kernel's). Per-chunk costs (the
/// month context, the policy's parameters) stay about 3 % of a chunk's time.
pub const CHUNK_EMPLOYEES: usize = 1_000;

/// The number of regions by default: 38 provinces and 502 regencies and cities
/// (*kabupaten/kota*), Indonesia's regional governments in 2024-2026.
pub const DEFAULT_REGIONS: usize = 540;

/// Provinces among [`DEFAULT_REGIONS`].
const PROVINCES: usize = 38;

/// The month generated and paid: October 2026 (a month of the real 2026 calendar).
pub fn month() -> YearMonth {
    YearMonth::new(2026, 10).unwrap_or_else(|| YearMonth::of(NaiveDate::MIN))
}

/// What kind of regional government a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionKind {
    /// A province (*provinsi*): 10,000 to 60,000 employees.
    Province,
    /// A regency (*kabupaten*): 2,000 to 12,000 employees.
    Regency,
    /// A city (*kota*): 2,000 to 12,000 employees.
    City,
}

/// One region of the plan: its index, kind and size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSpec {
    /// Index in the plan, 0-based (the region's identity with the seed).
    pub index: usize,
    /// Province, regency or city.
    pub kind: RegionKind,
    /// Employees generated.
    pub employees: usize,
}

/// Why a national run cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum NationalError {
    /// A parameter is out of range.
    #[error("national.{field}: {message}")]
    Parameter {
        /// The parameter.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A generated region does not load as a city (a generator fault).
    #[error("region {region}: the generated organisation is refused: {message}")]
    Dataset {
        /// The region's index.
        region: usize,
        /// The dataset's problems.
        message: String,
    },
    /// The ledger, recap or payroll refused a generated region.
    #[error("region {region}: {source}")]
    Ledger {
        /// The region's index.
        region: usize,
        /// The engine's error.
        #[source]
        source: Box<LedgerError>,
    },
    /// The payroll refused a generated region.
    #[error("region {region}: payroll: {message}")]
    Payroll {
        /// The region's index.
        region: usize,
        /// The payroll's error.
        message: String,
    },
}

/// The regions of a national month: `regions` regions (the first 38 of 540, in the
/// same proportion for another count, are provinces), each size drawn from the seed
/// and the region's index and multiplied by `scale` (at least one employee). At
/// `regions` = 540 and `scale` = 1 the sizes add up to about 4.3 million.
pub fn plan(seed: u64, regions: usize, scale: f64) -> Result<Vec<RegionSpec>, NationalError> {
    if regions == 0 || regions > 100_000 {
        return Err(NationalError::Parameter { field: "regions", message: format!("{regions} is outside 1..=100000") });
    }
    if !(scale.is_finite() && scale > 0.0 && scale <= 10.0) {
        return Err(NationalError::Parameter { field: "scale", message: format!("{scale} is outside (0, 10]") });
    }
    let provinces = (regions * PROVINCES).div_ceil(DEFAULT_REGIONS).min(regions);
    Ok((0..regions)
        .map(|index| {
            let mut rng = SplitMix64::new(region_seed(seed, index, u64::MAX));
            // A uniform draw in [0, 1).
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let (kind, size) = if index < provinces {
                // Skewed towards the small end: a few large provinces (West Java, East Java).
                (RegionKind::Province, 10_000.0 + 50_000.0 * u * u)
            } else {
                let kind = if rng.chance(19) { RegionKind::City } else { RegionKind::Regency };
                (kind, 2_000.0 + 10_000.0 * u.powf(1.15))
            };
            let employees = ((size * scale).round() as usize).max(1);
            RegionSpec { index, kind, employees }
        })
        .collect())
}

/// The seed of one region's (or chunk's) random stream.
fn region_seed(seed: u64, index: usize, chunk: u64) -> u64 {
    let mut r = SplitMix64::new(seed ^ 0x6e61_7469_6f6e_616c);
    let a = r.next_u64() ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut r = SplitMix64::new(a);
    r.next_u64() ^ chunk.wrapping_mul(0xd1b5_4a32_d192_ed03)
}

/// Employees and net pay of one group (an employment type or a job class).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupTotals {
    /// Employees generated in the group.
    pub employees: u64,
    /// Slips paid.
    pub paid: u64,
    /// Sum of net amounts.
    pub net: Money,
}

impl GroupTotals {
    fn add(&mut self, o: &GroupTotals) -> Result<(), crate::ArithmeticError> {
        self.employees += o.employees;
        self.paid += o.paid;
        self.net = self.net.checked_add(o.net)?;
        Ok(())
    }
}

/// The counted records and paid amounts of one region, or of the nation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Employees generated.
    pub employees: u64,
    /// Activity entries.
    pub entries: u64,
    /// Clock events (scans).
    pub clock_events: u64,
    /// Absences.
    pub absences: u64,
    /// Names on roll-call lists.
    pub roll_call_marks: u64,
    /// Every record the recap read: entries, clock events, absences and roll-call marks.
    pub records: u64,
    /// Sum of the employees' monthly minute targets.
    pub target_minutes: i64,
    /// Sum of the employees' verified minutes.
    pub verified_minutes: i64,
    /// Slips paid.
    pub paid: u64,
    /// Employees not paid (with a reason, e.g. no position) or whose slip failed.
    pub not_paid: u64,
    /// Sum of the gross amounts.
    pub gross: Money,
    /// Sum of the tax withheld (negative or zero).
    pub tax: Money,
    /// Sum of the contributions withheld (negative or zero).
    pub contribution: Money,
    /// Sum of the net amounts.
    pub net: Money,
    /// By employment type: PNS, CPNS, PPPK (in that order).
    pub by_employment: [GroupTotals; 3],
    /// By job class 1..=17 (index = class - 1).
    pub by_class: Vec<GroupTotals>,
}

impl Counts {
    fn empty() -> Counts {
        Counts { by_class: vec![GroupTotals::default(); 17], ..Counts::default() }
    }

    /// Adds another region's counts (checked money sums).
    pub fn add(&mut self, o: &Counts) -> Result<(), crate::ArithmeticError> {
        self.employees += o.employees;
        self.entries += o.entries;
        self.clock_events += o.clock_events;
        self.absences += o.absences;
        self.roll_call_marks += o.roll_call_marks;
        self.records += o.records;
        self.target_minutes += o.target_minutes;
        self.verified_minutes += o.verified_minutes;
        self.paid += o.paid;
        self.not_paid += o.not_paid;
        self.gross = self.gross.checked_add(o.gross)?;
        self.tax = self.tax.checked_add(o.tax)?;
        self.contribution = self.contribution.checked_add(o.contribution)?;
        self.net = self.net.checked_add(o.net)?;
        for (a, b) in self.by_employment.iter_mut().zip(&o.by_employment) {
            a.add(b)?;
        }
        if self.by_class.len() < o.by_class.len() {
            self.by_class.resize(o.by_class.len(), GroupTotals::default());
        }
        for (a, b) in self.by_class.iter_mut().zip(&o.by_class) {
            a.add(b)?;
        }
        Ok(())
    }
}

/// One region's month: what it is and its totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSummary {
    /// The region.
    pub region: RegionSpec,
    /// Its chunks (cities of at most [`CHUNK_EMPLOYEES`]).
    pub chunks: u32,
    /// Its records and amounts.
    pub counts: Counts,
}

/// The nation's month: the totals and one summary per region (in index order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalTotals {
    /// The month.
    pub month: YearMonth,
    /// The seed.
    pub seed: u64,
    /// Regions added.
    pub regions: u64,
    /// The sums over every region.
    pub totals: Counts,
    /// Every region's summary, by index.
    pub per_region: Vec<RegionSummary>,
}

impl NationalTotals {
    /// The totals of the given region summaries (added in index order, whatever
    /// order they come in, so that any split of the work gives the same result).
    pub fn combine(seed: u64, mut summaries: Vec<RegionSummary>) -> Result<NationalTotals, crate::ArithmeticError> {
        summaries.sort_by_key(|s| s.region.index);
        let mut totals = Counts::empty();
        for s in &summaries {
            totals.add(&s.counts)?;
        }
        Ok(NationalTotals { month: month(), seed, regions: summaries.len() as u64, totals, per_region: summaries })
    }
}

/// Generates and pays the whole plan on `threads` threads (1 or more; each takes the
/// next region when it is done with one), calling `progress` after each region
/// (from the thread that computed it). Stops at the first error.
pub fn run(
    seed: u64,
    regions: &[RegionSpec],
    threads: usize,
    policy: &Policy,
    progress: &(dyn Fn(&RegionSummary) + Sync),
) -> Result<NationalTotals, NationalError> {
    let threads = threads.clamp(1, 64);
    // The largest regions first, so that the threads end together (the last region
    // taken is a small one); the totals are added in index order whatever the order.
    let mut order: Vec<&RegionSpec> = regions.iter().collect();
    order.sort_by_key(|r| (std::cmp::Reverse(r.employees), r.index));
    let next = AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let work = || -> Result<Vec<RegionSummary>, NationalError> {
        let mut out = Vec::new();
        loop {
            if failed.load(Ordering::Relaxed) {
                return Ok(out);
            }
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(spec) = order.get(i) else { return Ok(out) };
            match region_of(seed, **spec, policy) {
                Ok(s) => {
                    progress(&s);
                    out.push(s);
                }
                Err(e) => {
                    failed.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
    };
    let results: Vec<Result<Vec<RegionSummary>, NationalError>> = if threads == 1 {
        vec![work()]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(NationalError::Parameter { field: "threads", message: "a worker thread panicked".into() })
                    })
                })
                .collect()
        })
    };
    let mut all = Vec::with_capacity(regions.len());
    for r in results {
        all.extend(r?);
    }
    NationalTotals::combine(seed, all).map_err(|e| NationalError::Payroll { region: 0, message: e.to_string() })
}

/// Generates and pays region `index` of the plan `(seed, regions, scale)`: the unit
/// of work of a distributed run (each worker computes regions from these four
/// numbers alone).
pub fn region(
    seed: u64,
    index: usize,
    regions: usize,
    scale: f64,
    policy: &Policy,
) -> Result<RegionSummary, NationalError> {
    let specs = plan(seed, regions, scale)?;
    let spec = *specs.get(index).ok_or_else(|| NationalError::Parameter {
        field: "index",
        message: format!("region {index} is outside the plan's 0..{regions}"),
    })?;
    region_of(seed, spec, policy)
}

/// One generated chunk of a region: a city's dataset and its month's records.
#[derive(Clone, Debug)]
pub struct RegionChunk {
    /// The organisation, salaries and calendar (a city of its own).
    pub dataset: Dataset,
    /// The month's records, closed.
    pub state: LedgerState,
}

/// The chunks of a region, generated one at a time (an iterator: only the chunk
/// being paid is in memory).
pub fn chunks(seed: u64, spec: RegionSpec) -> impl Iterator<Item = RegionChunk> {
    chunks_of(seed, spec, CHUNK_EMPLOYEES)
}

/// [`chunks`] with chunks of at most `limit` employees.
fn chunks_of(seed: u64, spec: RegionSpec, limit: usize) -> impl Iterator<Item = RegionChunk> {
    let sizes = chunk_sizes(spec.employees, limit);
    sizes.into_iter().enumerate().map(move |(c, n)| generate_chunk(seed, spec, c, n))
}

fn chunk_sizes(employees: usize, limit: usize) -> Vec<usize> {
    let n = employees.div_ceil(limit.max(1)).max(1);
    (0..n).map(|i| employees / n + usize::from(i < employees % n)).collect()
}

fn region_of(seed: u64, spec: RegionSpec, policy: &Policy) -> Result<RegionSummary, NationalError> {
    region_in_chunks(seed, spec, policy, CHUNK_EMPLOYEES)
}

fn region_in_chunks(
    seed: u64,
    spec: RegionSpec,
    policy: &Policy,
    limit: usize,
) -> Result<RegionSummary, NationalError> {
    let mut counts = Counts::empty();
    let mut n = 0u32;
    for chunk in chunks_of(seed, spec, limit) {
        let c = pay_chunk(spec.index, chunk, policy)?;
        counts.add(&c).map_err(|e| NationalError::Payroll { region: spec.index, message: e.to_string() })?;
        n += 1;
    }
    Ok(RegionSummary { region: spec, chunks: n, counts })
}

/// Recaps and pays one chunk with the ordinary engine (the recap as of the day the
/// month is settled, [`MonthContext::settled_on`]; the amounts of
/// [`crate::payroll::pay_city`] through [`crate::payroll::pay_amounts`]) and
/// counts its records and amounts.
pub fn pay_chunk(region: usize, chunk: RegionChunk, policy: &Policy) -> Result<Counts, NationalError> {
    let ledger_err = |e: LedgerError| NationalError::Ledger { region, source: Box::new(e) };
    let city = chunk.dataset.into_city().map_err(|e| NationalError::Dataset { region, message: e.to_string() })?;
    let ctx = MonthContext::new(&city, policy, month()).map_err(ledger_err)?;
    let mut counts = Counts::empty();
    let st = &chunk.state;
    counts.employees = city.organisation.employees().len() as u64;
    counts.entries = st.entries.len() as u64;
    counts.clock_events = st.clocks.len() as u64;
    counts.absences = st.absences.len() as u64;
    counts.roll_call_marks = st.roll_calls.iter().map(|l| (l.attended.len() + l.absent.len()) as u64).sum();
    counts.records = counts.entries + counts.clock_events + counts.absences + counts.roll_call_marks;
    let ledger = Ledger::from_view(&ctx, chunk.state).map_err(ledger_err)?;
    let recap = crate::recap::monthly_recap(&ledger, &ctx, ctx.settled_on()).map_err(ledger_err)?;
    drop(ledger);
    // The amounts only (no explanation, quoted parameter or hash: nobody opens a
    // slip of the national run); the same numbers as `pay_city`, held equal by the
    // plumbing test `core/tests/plumbing_pay_amounts.rs`.
    let payroll = crate::payroll::pay_amounts(&city, &ctx, &recap, policy)
        .map_err(|e| NationalError::Payroll { region, message: e.to_string() })?;
    add_payroll(&mut counts, &city, &recap, &payroll)
        .map_err(|e| NationalError::Payroll { region, message: e.to_string() })?;
    Ok(counts)
}

/// Adds a chunk's recap and payroll into its counts (by employment type and class).
fn add_payroll(
    counts: &mut Counts,
    city: &crate::dataset::City,
    recap: &crate::recap::MonthlyRecap,
    payroll: &crate::payroll::PayrollAmounts,
) -> Result<(), crate::ArithmeticError> {
    let org = &city.organisation;
    let emp_index = |t: EmploymentType| match t {
        EmploymentType::Pns => 0,
        EmploymentType::Cpns => 1,
        EmploymentType::Pppk => 2,
    };
    // Each employee's class: their recap position's (their last definitive one).
    let class_of = |r: &crate::recap::EmployeeRecap| {
        r.position.as_ref().and_then(|p| org.position(p)).map(|p| usize::from(p.job_class.get()))
    };
    let mut class_by_nip: rustc_hash::FxHashMap<&Nip, usize> = rustc_hash::FxHashMap::default();
    for r in &recap.employees {
        counts.target_minutes += r.target.target_minutes.get();
        counts.verified_minutes += r.verified_minutes.get();
        if let Some(c) = class_of(r) {
            class_by_nip.insert(&r.employee, c);
        }
    }
    for e in org.employees() {
        counts.by_employment[emp_index(e.employment)].employees += 1;
        if let Some(&c) = class_by_nip.get(&e.nip)
            && let Some(g) = counts.by_class.get_mut(c - 1)
        {
            g.employees += 1;
        }
    }
    for (row, slip) in payroll.rows.iter().zip(&payroll.amounts.slips) {
        let Ok(s) = slip else { continue };
        let Some(r) = recap.employees.get(*row as usize) else { continue };
        let Some(e) = org.employee(&r.employee) else { continue };
        let g = &mut counts.by_employment[emp_index(e.employment)];
        g.paid += 1;
        g.net = g.net.checked_add(s.net)?;
        if let Some(&c) = class_by_nip.get(&r.employee)
            && let Some(g) = counts.by_class.get_mut(c - 1)
        {
            g.paid += 1;
            g.net = g.net.checked_add(s.net)?;
        }
    }
    let t = &payroll.city;
    counts.paid = t.count as u64;
    counts.not_paid = (payroll.not_paid + payroll.failed) as u64;
    counts.gross = t.gross;
    counts.tax = t.tax;
    counts.contribution = t.contribution;
    counts.net = t.net;
    Ok(())
}

// ---------------------------------------------------------------------------
// The generator of one chunk
// ---------------------------------------------------------------------------

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn time(minutes: i64) -> NaiveTime {
    let m = minutes.clamp(0, 23 * 60 + 59) as u32;
    NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN)
}

fn minutes_of(t: NaiveTime) -> i64 {
    i64::from(t.hour_minutes())
}

trait HourMinutes {
    fn hour_minutes(&self) -> u32;
}

impl HourMinutes for NaiveTime {
    fn hour_minutes(&self) -> u32 {
        use chrono::Timelike;
        self.hour() * 60 + self.minute()
    }
}

/// A generated employee: who, in which position, and the position's tasks.
struct Person {
    nip: Nip,
    position: usize,
}

/// The standard minutes a task may have.
const STANDARD_MINUTES: [i64; 7] = [15, 20, 30, 45, 60, 90, 120];

/// Generates chunk `c` (of `n` employees) of a region.
fn generate_chunk(seed: u64, spec: RegionSpec, c: usize, n: usize) -> RegionChunk {
    let mut rng = SplitMix64::new(region_seed(seed, spec.index, c as u64));
    let year = month().year();
    let prefix = format!("R{:03}C{}", spec.index, c);
    let mut units = Vec::new();
    let mut positions: Vec<Position> = Vec::new();
    let mut task_ids: Vec<Vec<(TaskId, Minutes)>> = Vec::new();
    let mut people: Vec<Person> = Vec::with_capacity(n);
    let mut employees = Vec::with_capacity(n);
    let mut assignments = Vec::with_capacity(n);
    let mut salaries = Vec::with_capacity(n);
    let mut left = n;
    let mut u = 0usize;
    while left > 0 {
        let size = (rng.range(40, 400) as usize).min(left);
        left -= size;
        let uid = UnitId::from(format!("{prefix}-U{u:03}"));
        units.push(WorkUnit { id: uid.clone(), name: format!("Unit Kerja {} ({})", u + 1, spec.index), parent: None });
        // The head, a few section heads, and staff positions (executors, functionals).
        let top = c == 0 && u == 0;
        let head_class = if top { 15 } else { 14 };
        let mut unit_positions: Vec<(PositionKind, u8, usize)> = vec![(PositionKind::Leadership, head_class, 1)];
        let mut rest = size - 1;
        let sections = (size / 40).clamp(1, 6).min(rest);
        for _ in 0..sections {
            unit_positions.push((PositionKind::Supervisor, 9, 1));
        }
        rest -= sections;
        if rest > 0 {
            let executors = rest * rng.range(45, 75) as usize / 100;
            let functionals = rest - executors;
            let e1 = executors / 2;
            for (kind, class, holders) in [
                (PositionKind::Executor, rng.range(5, 6) as u8, e1),
                (PositionKind::Executor, 7, executors - e1),
                (PositionKind::Functional, rng.range(8, 9) as u8, functionals),
            ] {
                if holders > 0 {
                    unit_positions.push((kind, class, holders));
                }
            }
        }
        let head_id = PositionId::from(format!("{prefix}-U{u:03}-P00"));
        for (p, (kind, class, holders)) in unit_positions.into_iter().enumerate() {
            // Every class drawn is within 1..=17.
            let Some(job_class) = JobClass::new(class) else { continue };
            let id = PositionId::from(format!("{prefix}-U{u:03}-P{p:02}"));
            let tasks: Vec<(TaskId, Minutes)> = (0..4)
                .map(|t| (TaskId::from(format!("{id}-T{}", t + 1)), Minutes(*rng.pick(&STANDARD_MINUTES))))
                .collect();
            let analysis = JobAnalysis {
                tasks: tasks
                    .iter()
                    .map(|(tid, std)| Task {
                        id: tid.clone(),
                        name: "Melaksanakan tugas jabatan".into(),
                        output: "laporan".into(),
                        output_unit: "dokumen".into(),
                        standard_minutes: *std,
                        volume: Volume { quantity: rust_decimal::Decimal::from(240), per: VolumePeriod::Year },
                        group: None,
                    })
                    .collect(),
                ..JobAnalysis::default()
            };
            positions.push(Position {
                id: id.clone(),
                name: format!("Jabatan {p} kelas {class}"),
                kind,
                job_class,
                unit: uid.clone(),
                supervisor: if p == 0 { None } else { Some(head_id.clone()) },
                analysis,
            });
            task_ids.push(tasks);
            let pi = positions.len() - 1;
            for _ in 0..holders {
                let i = people.len();
                // Never `None`: the ranks and NIPs drawn are valid by construction.
                let Some((employee, salary)) = person(&mut rng, i, kind, class, year) else { continue };
                assignments.push(Assignment {
                    employee: employee.nip.clone(),
                    position: positions[pi].id.clone(),
                    kind: AssignmentKind::Definitive,
                    from: date(year - rng.range(1, 5) as i32, rng.range(1, 12) as u32, 1).max(appointed(&employee.nip)),
                    until: None,
                });
                salaries.push(SalaryRecord { employee: employee.nip.clone(), salary, from: date(year, 1, 1) });
                people.push(Person { nip: employee.nip.clone(), position: pi });
                employees.push(employee);
            }
        }
        u += 1;
    }
    let calendar = WorkCalendar::indonesia_2026();
    let state = month_records(&mut rng, &calendar, &people, &positions, &task_ids);
    let dataset = Dataset {
        schema_version: SCHEMA_VERSION,
        government: Government {
            code: format!("{:04}", 1100 + spec.index),
            name: format!("Pemerintah Daerah {} (synthetic)", spec.index + 1),
        },
        calendar,
        units,
        positions,
        employees,
        assignments,
        delegations: Vec::new(),
        target_shares: Vec::new(),
        salaries,
        sanctions: Vec::new(),
        tax_statuses: Vec::new(),
        officials: Vec::new(),
        officers: Vec::new(),
        clock_devices: Vec::new(),
        work_sites: Vec::new(),
        shift_patterns: Vec::new(),
        rosters: Vec::new(),
        bank_accounts: Vec::new(),
    };
    RegionChunk { dataset, state }
}

/// The first day of an employee's appointment (from the NIP).
fn appointed(nip: &Nip) -> NaiveDate {
    match nip.appointment() {
        Some(m) => m.first_day(),
        None => date(nip.appointment_year(), 1, 1),
    }
}

/// Employee number `i` of a chunk: a unique NIP (sequence `i % 999 + 1`, and a birth
/// year block per thousand employees), rank by class, employment type, salary.
fn person(rng: &mut SplitMix64, i: usize, kind: PositionKind, class: u8, year: i32) -> Option<(Employee, Money)> {
    let staff = matches!(kind, PositionKind::Executor | PositionKind::Functional);
    let employment = if staff && rng.chance(17) {
        EmploymentType::Pppk
    } else if staff && rng.chance(3) {
        EmploymentType::Cpns
    } else {
        EmploymentType::Pns
    };
    let (group, grade) = match class {
        0..=6 => (RankGroup::II, (b'a' + rng.range(0, 3) as u8) as char),
        7..=9 => (RankGroup::III, (b'a' + rng.range(0, 3) as u8) as char),
        10..=13 => (RankGroup::IV, (b'a' + rng.range(0, 1) as u8) as char),
        _ => (RankGroup::IV, (b'c' + rng.range(0, 2) as u8) as char),
    };
    let g = match group {
        RankGroup::I => 0u8,
        RankGroup::II => 1,
        RankGroup::III => 2,
        RankGroup::IV => 3,
    };
    let rank = if employment == EmploymentType::Pppk {
        // The PPPK grade of the equivalent rank (II/a ~ V, III/a ~ IX, IV/a ~ XIII).
        Rank::pppk(g * 4 + 1 + (grade as u8 - b'a').min(3))
    } else {
        Rank::new(group, grade)
    }?;
    // Birth years by block of 999 (blocks never share a year, so NIPs are unique).
    let block = (i / 999) as i32;
    let birth_year = 1961 + block * 8 + rng.range(0, 7) as i32;
    let birth = date(birth_year, rng.range(1, 12) as u32, rng.range(1, 28) as u32);
    let seq = i % 999 + 1;
    let gender = rng.range(1, 2);
    let text = match employment {
        EmploymentType::Pppk => {
            let y = (birth_year + rng.range(21, 30) as i32).clamp(2019, year - 1);
            format!("{:04}{:02}{:02}{y:04}21{gender}{seq:03}", birth.year(), birth.month(), birth.day())
        }
        EmploymentType::Cpns => {
            format!("{:04}{:02}{:02}{:04}{:02}{gender}{seq:03}", birth.year(), birth.month(), birth.day(), year - 1, 3)
        }
        EmploymentType::Pns => {
            let y = (birth_year + rng.range(21, 30) as i32).min(year - 2);
            let m = rng.range(1, 12);
            format!("{:04}{:02}{:02}{y:04}{m:02}{gender}{seq:03}", birth.year(), birth.month(), birth.day())
        }
    };
    let nip = Nip::parse(&text).ok()?;
    let base: i64 = [1_685_700, 2_184_000, 2_785_700, 3_287_800][usize::from(g)];
    let years = i64::from(year - nip.appointment_year()).max(0);
    let amount =
        (base + i64::from(grade as u8 - b'a') * 95_000 + years * 45_000 + rng.range(0, 4) * 150_000) / 100 * 100;
    let employee = Employee { nip, name: format!("Pegawai {}", i + 1), rank, employment, rank_since: None };
    Some((employee, Money::from_rupiah(amount)))
}

/// The month's records of a chunk's people.
fn month_records(
    rng: &mut SplitMix64,
    calendar: &WorkCalendar,
    people: &[Person],
    positions: &[Position],
    tasks: &[Vec<(TaskId, Minutes)>],
) -> LedgerState {
    let m = month();
    let days: Vec<(NaiveDate, Option<crate::calendar::DaySchedule>)> =
        m.range().days().map(|d| (d, calendar.schedule(d).copied())).collect();
    let working: Vec<usize> = days.iter().enumerate().filter(|(_, d)| d.1.is_some()).map(|(i, _)| i).collect();
    let mut state = LedgerState::default();
    // Reserved at the most the loop below can push (seven entries and two scans per
    // person and working day; at most one absence per person), so no vector grows
    // (a grown vector copies itself and, past the allocator's mmap threshold, asks
    // the kernel for fresh zeroed pages).
    state.entries.reserve(7 * people.len() * working.len());
    state.clocks.reserve(2 * people.len() * working.len());
    state.absences.reserve(people.len() / 16 + 1);
    // Roll-call lists per (unit, day, kind): attended names.
    let mut lists: Vec<Vec<Nip>> = Vec::new();
    let unit_of: Vec<usize> = {
        let mut ids: Vec<&UnitId> = Vec::new();
        positions
            .iter()
            .map(|p| match ids.iter().position(|u| **u == p.unit) {
                Some(i) => i,
                None => {
                    ids.push(&p.unit);
                    ids.len() - 1
                }
            })
            .collect()
    };
    let n_units = unit_of.iter().max().map_or(0, |m| m + 1);
    // Each working day's lists reserved at the unit's head count (the most a list holds).
    let mut unit_people = vec![0usize; n_units];
    for p in people {
        if let Some(&u) = unit_of.get(p.position) {
            unit_people[u] += 1;
        }
    }
    lists.resize_with(n_units * 31 * 2, Vec::new);
    for (u, &count) in unit_people.iter().enumerate() {
        for &d in &working {
            for k in 0..2 {
                lists[(u * 31 + d) * 2 + k].reserve_exact(count);
            }
        }
    }
    let description: Arc<str> = Arc::from("Melaksanakan tugas sesuai rencana kerja");
    let mut away = [false; 31];
    for person in people {
        let pos = person.position;
        // Absences: annual leave, sickness with a note, or one unexcused day.
        away.iter_mut().for_each(|a| *a = false);
        let draw = rng.range(0, 99);
        if !working.is_empty() && draw < 4 {
            let start = working[rng.range(0, working.len() as i64 - 1) as usize];
            let len = if draw < 2 {
                rng.range(1, 3)
            } else if draw < 3 {
                rng.range(1, 2)
            } else {
                1
            } as usize;
            let span: Vec<usize> = working.iter().copied().filter(|&d| d >= start).take(len).collect();
            for &d in &span {
                away[d] = true;
            }
            if draw < 3
                && let (Some(&a), Some(&b)) = (span.first(), span.last())
            {
                let kind = if draw < 2 {
                    AbsenceKind::Leave(LeaveKind::Annual)
                } else {
                    AbsenceKind::Sick { doctor_note: true }
                };
                state.absences.push(Absence {
                    employee: person.nip.clone(),
                    range: DateRange { start: days[a].0, end: days[b].0 },
                    kind,
                    evidence: Some("SK/synthetic".into()),
                    note: None,
                });
            }
        }
        let own = tasks.get(pos).map(Vec::as_slice).unwrap_or(&[]);
        for &d in &working {
            if away[d] {
                continue;
            }
            let (day, Some(sched)) = days[d] else { continue };
            let start = minutes_of(sched.start);
            let end = minutes_of(sched.end);
            let late = rng.chance(12);
            let arrive = if late { start + rng.range(1, 95) } else { start - rng.range(3, 40) };
            let early = rng.chance(4);
            let leave = if early { end - rng.range(1, 95) } else { end + rng.range(0, 45) };
            let forgot = rng.range(0, 99);
            let scan = |at: i64, direction| ClockEvent {
                employee: person.nip.clone(),
                at: NaiveDateTime::new(day, time(at)),
                direction,
                source: ClockSource::Fingerprint,
                geofence: None,
            };
            if forgot != 0 {
                state.clocks.push(scan(arrive, ClockDirection::In));
            }
            if forgot != 1 {
                state.clocks.push(scan(leave, ClockDirection::Out));
            }
            // Roll calls: present people are listed, about 4 % miss one.
            let ui = unit_of.get(pos).copied().unwrap_or(0);
            for k in 0..2 {
                if !rng.chance(4) {
                    lists[(ui * 31 + d) * 2 + k].push(person.nip.clone());
                }
            }
            // The day's work.
            let mut t = arrive.max(start);
            for _ in 0..rng.range(4, 7) {
                let Some((task, std)) = own.get(rng.range(0, own.len().max(1) as i64 - 1) as usize) else { break };
                let quantity = rng.range(1, 3);
                let length = (std.get() * quantity).min(240);
                let from = t;
                t = (t + length).min(23 * 60);
                let status = match rng.range(0, 99) {
                    0..=2 => VerificationStatus::Rejected,
                    3..=5 => VerificationStatus::Returned,
                    6..=9 => VerificationStatus::Submitted,
                    _ => VerificationStatus::Approved,
                };
                let approved_quantity = match status {
                    VerificationStatus::Approved if quantity > 1 && rng.chance(6) => Some(quantity - 1),
                    VerificationStatus::Approved => Some(quantity),
                    _ => None,
                };
                let id = ActivityId(state.entries.len() as u64 + 1);
                state.entries.push(ActivityEntry {
                    id,
                    employee: person.nip.clone(),
                    date: day,
                    start: time(from),
                    end: time(t),
                    task: task.clone(),
                    quantity,
                    approved_quantity,
                    standard_minutes: *std,
                    description: description.clone(),
                    evidence: None,
                    status,
                    submitted_at: NaiveDateTime::new(day, time(end + 60)),
                    revision: u32::from(status == VerificationStatus::Returned),
                });
            }
        }
    }
    for (k, names) in lists.into_iter().enumerate() {
        if names.is_empty() {
            continue;
        }
        let d = (k / 2) % 31;
        let kind = if k % 2 == 0 { RollCallKind::Morning } else { RollCallKind::Afternoon };
        if let Some((date, _)) = days.get(d) {
            state.roll_calls.push(RollCallList { date: *date, kind, attended: names, absent: Vec::new() });
        }
    }
    let closed_at = m.last_day() + Duration::days(25);
    state.closed = people
        .first()
        .map(|p| Closure { at: NaiveDateTime::new(closed_at, time(9 * 60)), by: ActorId::Employee(p.nip.clone()) });
    state.recorded_until = state.closed.as_ref().map(|c| c.at);
    state
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{SNAPSHOT_VERSION, Snapshot};
    use crate::payroll::{PayOptions, pay_city_with};

    #[test]
    fn the_default_plan_is_the_nation() {
        let p = plan(1, DEFAULT_REGIONS, 1.0).expect("plan");
        assert_eq!(p.len(), 540);
        assert_eq!(p.iter().filter(|r| r.kind == RegionKind::Province).count(), 38);
        assert!(p.iter().filter(|r| r.kind == RegionKind::Province).all(|r| (10_000..=60_000).contains(&r.employees)));
        assert!(p.iter().filter(|r| r.kind != RegionKind::Province).all(|r| (2_000..=12_000).contains(&r.employees)));
        // About 4.3 million: 38 provinces of 10k + 50k u^2 (mean ~26.7k, ~1.0 M) and
        // 502 regencies and cities of 2k + 10k u^1.15 (mean ~6.65k, ~3.3 M).
        let total: usize = p.iter().map(|r| r.employees).sum();
        assert!((4_000_000..=4_600_000).contains(&total), "{total}");
        assert_eq!(p, plan(1, DEFAULT_REGIONS, 1.0).expect("plan"), "deterministic");
        assert_ne!(p, plan(2, DEFAULT_REGIONS, 1.0).expect("plan"), "the seed matters");
    }

    #[test]
    fn bad_plans_are_refused_naming_the_parameter() {
        for (regions, scale, field) in [(0, 1.0, "regions"), (10, 0.0, "scale"), (10, f64::NAN, "scale")] {
            match plan(1, regions, scale) {
                Err(NationalError::Parameter { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{regions} {scale}: {other:?}"),
            }
        }
    }

    #[test]
    fn chunks_are_bounded_and_cover_the_region() {
        for n in [1, 3_999, 4_000, 4_001, 59_999] {
            let sizes = chunk_sizes(n, CHUNK_EMPLOYEES);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes.iter().all(|&s| s > 0 && s <= CHUNK_EMPLOYEES), "{n}: {sizes:?}");
        }
        // 4,001 employees in chunks of at most 4,000: two chunks of 2,001 and 2,000.
        assert_eq!(chunk_sizes(4_001, 4_000), vec![2_001, 2_000]);
        // 2,999 employees in chunks of at most 1,000: ceil(2,999 / 1,000) = 3 chunks,
        // 2,999 = 3 x 999 + 2, so two of 1,000 and one of 999.
        assert_eq!(chunk_sizes(2_999, CHUNK_EMPLOYEES), vec![1_000, 1_000, 999]);
    }

    /// The plumbing test: a generated region, written out as a dataset file and a
    /// sealed snapshot of its month and read back by the ordinary loaders (every
    /// cross-reference and NIP checked), recapped and paid by the ordinary path with
    /// the provenance gate, gives the same amounts as the national stream.
    #[test]
    fn a_region_through_the_ordinary_path_gives_the_same_amounts() {
        let policy = Policy::national();
        // 210 employees in chunks of at most 120 (the national run's are 1,000): two
        // chunks of 105, so the chunked path is the one compared.
        let spec = RegionSpec { index: 3, kind: RegionKind::Regency, employees: 210 };
        let summary = region_in_chunks(9, spec, &policy, 120).expect("national path");
        assert_eq!(summary.chunks, 2);
        let (mut employees, mut records, mut net, mut gross, mut paid) = (0u64, 0u64, Money::ZERO, Money::ZERO, 0u64);
        for chunk in chunks_of(9, spec, 120) {
            let city = Dataset::load_city(&chunk.dataset.to_json()).expect("the generated dataset loads");
            let ctx = MonthContext::new(&city, &policy, month()).expect("context");
            let genesis = Ledger::new(month()).head();
            let state: LedgerState =
                serde_json::from_str(&serde_json::to_string(&chunk.state).expect("state")).expect("state reads");
            records += (state.entries.len() + state.clocks.len() + state.absences.len()) as u64
                + state.roll_calls.iter().map(|l| l.attended.len() as u64).sum::<u64>();
            let seal = Snapshot::seal_of(&genesis, &state);
            let snapshot = Snapshot { version: SNAPSHOT_VERSION, month: month(), head: genesis, state, seal };
            let ledger = Ledger::from_snapshot(&ctx, snapshot, &genesis).expect("snapshot loads");
            let recap = crate::recap::monthly_recap(&ledger, &ctx, ctx.settled_on()).expect("recap");
            assert!(recap.is_final(), "the generated month is closed");
            let payroll =
                pay_city_with(&city, &ctx, &recap, &policy, &PayOptions { allow_unverified: true }).expect("payroll");
            assert!(payroll.failures.is_empty(), "{:?}", payroll.failures.first());
            employees += city.organisation.employees().len() as u64;
            paid += payroll.slips.len() as u64;
            net = net.checked_add(payroll.city.net).expect("sum");
            gross = gross.checked_add(payroll.city.gross).expect("sum");
        }
        let c = &summary.counts;
        assert_eq!(employees, 210);
        assert_eq!(c.employees, 210);
        assert_eq!(c.records, records);
        assert_eq!(c.paid, paid);
        assert_eq!(c.net, net);
        assert_eq!(c.gross, gross);
        // Everyone holds a position and is paid; the groups add up to the whole.
        assert_eq!(c.paid, 210);
        assert_eq!(c.by_employment.iter().map(|g| g.employees).sum::<u64>(), 210);
        assert_eq!(c.by_class.iter().map(|g| g.paid).sum::<u64>(), 210);
        let by_type = c.by_employment.iter().try_fold(Money::ZERO, |a, g| a.checked_add(g.net)).expect("sum");
        assert_eq!(by_type, c.net);
        // Net = gross + tax + contribution (both withheld amounts are negative).
        assert_eq!(c.gross.checked_add(c.tax).and_then(|x| x.checked_add(c.contribution)).expect("sum"), c.net);
    }

    /// The month's shape, counted by hand from the generator's rules for one small
    /// region: every present working day has two scans at most and four to seven
    /// entries, all on working days of October 2026 (22 working days: 31 days less 9
    /// weekend days; no holiday falls on a weekday that month).
    #[test]
    fn the_generated_month_has_the_documented_shape() {
        let spec = RegionSpec { index: 0, kind: RegionKind::City, employees: 300 };
        let chunk = chunks(5, spec).next().expect("one chunk");
        let cal = &chunk.dataset.calendar;
        let working = month().range().days().filter(|d| cal.schedule(*d).is_some()).count();
        assert_eq!(working, 22);
        let st = &chunk.state;
        assert!(st.entries.iter().all(|e| cal.schedule(e.date).is_some() && e.start <= e.end));
        assert!(st.entries.iter().enumerate().all(|(i, e)| e.id.0 == i as u64 + 1), "ids follow their index");
        let n = 300usize;
        // At most 22 days x 7 entries, at least (22 - 3 days away) x 4, per employee.
        assert!(st.entries.len() <= n * 22 * 7 && st.entries.len() >= n * 19 * 4, "{}", st.entries.len());
        assert!(st.clocks.len() <= n * 22 * 2);
        assert!(st.closed.is_some());
    }

    /// What [`CHUNK_EMPLOYEES`] is chosen for: a chunk's entry buffer, reserved at
    /// its most (seven entries a working day; at most 23 working days in a month),
    /// stays below glibc's largest mmap threshold (32 MiB), so the allocator reuses it
    /// from chunk to chunk instead of mapping fresh pages.
    #[test]
    fn a_chunk_s_entry_buffer_stays_below_the_mmap_threshold() {
        let bytes = 7 * CHUNK_EMPLOYEES * 23 * std::mem::size_of::<ActivityEntry>();
        assert!(bytes < 32 << 20, "{bytes} bytes");
    }

    #[test]
    fn threads_do_not_change_the_totals() {
        let policy = Policy::national();
        let p = plan(11, 4, 0.02).expect("plan");
        let one = run(11, &p, 1, &policy, &|_| {}).expect("one thread");
        let two = run(11, &p, 2, &policy, &|_| {}).expect("two threads");
        assert_eq!(one, two);
        assert_eq!(one.per_region.iter().map(|r| r.region.index).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
        assert_eq!(region(11, 2, 4, 0.02, &policy).expect("region"), one.per_region[2]);
        let employees: u64 = p.iter().map(|r| r.employees as u64).sum();
        assert_eq!(one.totals.employees, employees);
        assert!(one.totals.net > Money::ZERO);
    }
}
