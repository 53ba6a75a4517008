//! A realistic synthetic month of daily work, deterministic by seed.
//!
//! Every simulated action goes through the [`Ledger`] as a command by the actor
//! the authorisation matrix names, in the order of time, so every rule runs:
//! entries logged too late, overlapping or on a holiday are refused and counted,
//! and only what the rules accept reaches the journal.
//!
//! The month's shape: each working day most employees clock in before 07:30
//! (the Ramadan schedule when it applies) at their unit's fingerprint or face
//! reader, or on their phone; some arrive late by a few minutes to over an hour
//! and a half, a few forget a scan. An HR officer records annual leave, sickness,
//! official travel, permits and maternity leave on their first day; about one
//! employee in a hundred is absent one day without excuse. Each unit's attendance
//! officer records the morning and afternoon roll calls (some people miss one).
//! Present employees log their day's work against their position's tasks, usually
//! the same evening, sometimes days later (some too late), a few overlapping an
//! earlier entry. Supervisors verify on Fridays: most entries approved, some at a
//! lower quantity, some returned for revision (resubmitted the next morning and
//! approved), a few rejected, a few left pending; the mayor verifies the regional
//! secretary. An HR officer declares a ceremony on the 17th when it is a working
//! day, and closes the month after the verification deadline.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::access::{ActorId, DeviceKind, OfficerRole};
use crate::activity::{ActivityId, ActivityInput, Decision, VerificationStatus};
use crate::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
use crate::generator::SplitMix64;
use crate::ids::UnitId;
use crate::ledger::{Command, Event, EventKind, Ledger, LedgerError, MonthContext, Request, RollCallList};
use crate::month::DateRange;
use crate::org::Nip;
use crate::rollcall::{Ceremony, RollCallKind};
use crate::roster::Rostered;

/// What the simulation did: accepted commands and refusals by reason code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SimulationReport {
    /// Commands accepted (events in the journal).
    pub accepted: u64,
    /// Commands refused, by error code.
    pub refused: BTreeMap<String, u64>,
    /// The first few refusals of each code, as the engine words them (at most three a code).
    #[serde(default)]
    pub examples: BTreeMap<String, Vec<String>>,
}

impl SimulationReport {
    fn refuse(&mut self, err: &LedgerError) {
        let code = match err.root() {
            LedgerError::NotAuthorised(n) => format!("not_authorised.{}", n.reason()),
            e => e.code().to_string(),
        };
        let examples = self.examples.entry(code).or_default();
        if examples.len() < 3 {
            examples.push(err.to_string());
        }
        *self.refused.entry(err.code().to_string()).or_default() += 1;
    }
}

fn at(date: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h.min(23), m.min(59), s.min(59)).unwrap_or(NaiveTime::MIN))
}

/// Something to do at a time.
enum Action {
    /// A command ready to run.
    Run { actor: ActorId, command: Command, remember: Remember },
    /// Friday verification: each supervisor decides on what was submitted by now.
    Checkpoint,
}

/// What to note when a command is accepted.
#[derive(Clone, Copy)]
enum Remember {
    Nothing,
    /// A logged entry waits for verification.
    Logged,
    /// A returned entry, resubmitted: its supervisor approves it two hours later.
    Resubmitted(ActivityId),
}

/// The phase of the month's plan: each day's clocks, roll calls and entries, and the
/// absences and the ceremony before them.
const PLAN: u8 = 0;
/// The verification checkpoints and the closure.
const CALENDAR: u8 = 1;
/// What running a command queues (a resubmission, its approval).
const FOLLOW_UP: u8 = 2;

/// The month's queue of actions, in time order (ties by phase, then in the order
/// queued). The plan is queued day by day and the queue run up to the day being
/// planned, so it holds a few days of actions, not the month's (at 100,000
/// employees the month is 18 million commands).
struct Queue {
    /// What comes next: (time, phase, order queued, slot in `actions`). The keys are
    /// small so that the heap moves 32 bytes, not an action, at each step.
    heap: BinaryHeap<Reverse<(NaiveDateTime, u8, u64, usize)>>,
    /// The actions queued, by slot; a slot run is free for the next push.
    actions: Vec<Option<Action>>,
    free: Vec<usize>,
    /// The phase of what [`Queue::push`] queues now.
    phase: u8,
    next: u64,
}

impl Queue {
    fn new() -> Self {
        Queue { heap: BinaryHeap::new(), actions: Vec::new(), free: Vec::new(), phase: PLAN, next: 0 }
    }

    fn push(&mut self, when: NaiveDateTime, action: Action) {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.actions[slot] = Some(action);
                slot
            }
            None => {
                self.actions.push(Some(action));
                self.actions.len() - 1
            }
        };
        self.heap.push(Reverse((when, self.phase, self.next, slot)));
        self.next += 1;
    }

    fn run(&mut self, when: NaiveDateTime, actor: ActorId, command: Command) {
        self.push(when, Action::Run { actor, command, remember: Remember::Nothing });
    }

    /// The first action in time order, if it comes before `before` (any, when `None`).
    fn pop_before(&mut self, before: Option<NaiveDateTime>) -> Option<(NaiveDateTime, Action)> {
        if let (Some(b), Some(Reverse(top))) = (before, self.heap.peek())
            && top.0 >= b
        {
            return None;
        }
        let Reverse((when, _, _, slot)) = self.heap.pop()?;
        let action = self.actions.get_mut(slot)?.take()?;
        self.free.push(slot);
        Some((when, action))
    }
}

/// Who does the city's clerical acts in the simulation.
struct Cast {
    hr: ActorId,
    attendance: HashMap<UnitId, ActorId>,
    devices: HashMap<(UnitId, DeviceKind), ActorId>,
}

impl Cast {
    fn of(ctx: &MonthContext<'_>) -> Option<Cast> {
        let month = ctx.month;
        let a = &ctx.city.authorities;
        let covers = |from: NaiveDate, until: Option<NaiveDate>| {
            from <= month.first_day() && until.is_none_or(|u| u >= month.last_day())
        };
        let hr = a.officers().iter().find(|o| o.role == OfficerRole::Hr && covers(o.from, o.until))?;
        let attendance = a
            .officers()
            .iter()
            .filter(|o| o.role == OfficerRole::Attendance && covers(o.from, o.until))
            .filter_map(|o| o.unit.clone().map(|u| (u, ActorId::Employee(o.employee.clone()))))
            .collect();
        let devices = a
            .devices()
            .iter()
            .filter(|d| covers(d.from, d.until))
            .map(|d| ((d.unit.clone(), d.kind), ActorId::Device(d.id.clone())))
            .collect();
        Some(Cast { hr: ActorId::Employee(hr.employee.clone()), attendance, devices })
    }

    /// The device of `kind` serving `unit` (or one of its parents).
    fn device(&self, ctx: &MonthContext<'_>, unit: &UnitId, kind: DeviceKind) -> Option<&ActorId> {
        let mut cur = Some(unit);
        while let Some(u) = cur {
            if let Some(d) = self.devices.get(&(u.clone(), kind)) {
                return Some(d);
            }
            cur = ctx.city.organisation.unit(u).and_then(|x| x.parent.as_ref());
        }
        None
    }
}

/// Simulates the ledger's month for the context's city. The month is closed
/// at the end when `close` is true (after the verification deadline). The
/// ledger keeps its journal in memory.
pub fn simulate_month(
    ctx: &MonthContext<'_>,
    seed: u64,
    close: bool,
) -> Result<(Ledger, SimulationReport), LedgerError> {
    let mut ledger = Ledger::new(ctx.month);
    let report = simulate_into(ctx, seed, close, &mut ledger, &mut |_| Ok(()))?;
    Ok((ledger, report))
}

/// [`simulate_month`] on a [streaming](Ledger::streaming) ledger: each accepted
/// event is handed to `sink` (e.g. a [`crate::ledger::JournalWriter`]) and not
/// kept. An error from `sink` stops the simulation.
pub fn simulate_month_streaming<E>(
    ctx: &MonthContext<'_>,
    seed: u64,
    close: bool,
    mut sink: impl FnMut(&Event) -> Result<(), E>,
) -> Result<Result<(Ledger, SimulationReport), E>, LedgerError> {
    let mut ledger = Ledger::streaming(ctx.month);
    let mut failure = None;
    let report = simulate_into(ctx, seed, close, &mut ledger, &mut |e| match sink(e) {
        Ok(()) => Ok(()),
        Err(x) => {
            failure = Some(x);
            Err(())
        }
    })?;
    Ok(match failure {
        Some(e) => Err(e),
        None => Ok((ledger, report)),
    })
}

fn simulate_into(
    ctx: &MonthContext<'_>,
    seed: u64,
    close: bool,
    ledger: &mut Ledger,
    sink: &mut dyn FnMut(&Event) -> Result<(), ()>,
) -> Result<SimulationReport, LedgerError> {
    let mut rng = SplitMix64::new(seed ^ 0x006b_696e_6572_6a61);
    let report = SimulationReport::default();
    let org = &ctx.city.organisation;
    let month = ctx.month;
    let cal = &ctx.city.calendar;
    let working: Vec<NaiveDate> = cal.working_dates(month.range()).collect();
    let Some(cast) = Cast::of(ctx) else { return Ok(report) };
    if org.employees().is_empty() || working.is_empty() {
        return Ok(report);
    }
    let mut q = Queue::new();
    let mut run = Running { decide: SplitMix64::new(seed ^ 0x7665_7269_6679), waiting: Vec::new(), report };

    // A ceremony on the 17th (the monthly flag ceremony) if it is a working day.
    let ceremony_day = NaiveDate::from_ymd_opt(month.year(), month.month(), 17).filter(|d| cal.is_working_day(*d));
    if let Some(d17) = ceremony_day {
        let ceremony = Ceremony { date: d17, name: "Upacara Hari Kesadaran Nasional".into() };
        q.run(at(month.first_day(), 7, 0, 0), cast.hr.clone(), Command::DeclareCeremony { ceremony });
    }

    // Absences, recorded by HR on their first day (usually known or entered early).
    let mut absent: Vec<Vec<NaiveDate>> = vec![Vec::new(); org.employees().len()];
    for (ei, emp) in org.employees().iter().enumerate() {
        let roll = rng.range(0, 999);
        let (kind, len): (Option<AbsenceKind>, i64) = match roll {
            0..=39 => (Some(AbsenceKind::Leave(LeaveKind::Annual)), rng.range(1, 5)),
            40..=59 => (Some(AbsenceKind::Sick { doctor_note: rng.chance(60) }), rng.range(1, 3)),
            60..=99 => (Some(AbsenceKind::OfficialTravel), rng.range(1, 4)),
            100..=139 => (Some(AbsenceKind::Permit), 1),
            140..=149 => (Some(AbsenceKind::Leave(LeaveKind::Maternity)), 40),
            _ => (None, 0),
        };
        if let Some(kind) = kind {
            let start = working[rng.range(0, working.len() as i64 - 1) as usize];
            let end = cal.nth_working_day_after(start, (len - 1).max(0) as u32).unwrap_or(start);
            let range = DateRange { start, end: end.max(start) };
            let evidence = Some(format!("surat/{}/{}", emp.nip, start));
            let absence = Absence { employee: emp.nip.clone(), range, kind, evidence, note: None };
            q.run(at(start, 6, 30, 0), cast.hr.clone(), Command::RecordAbsence { absence });
            for d in range.days() {
                absent[ei].push(d);
            }
        }
        // About 1 employee in 100 has one unexcused day (no scan, no record).
        if rng.chance(1) {
            absent[ei].push(working[rng.range(0, working.len() as i64 - 1) as usize]);
        }
    }

    // How much each employee logs: most log a full day, some far less.
    let diligence: Vec<i64> = org
        .employees()
        .iter()
        .map(|_| match rng.range(0, 99) {
            0..=9 => 2,
            10..=29 => 5,
            _ => 8,
        })
        .collect();

    // Each task's name, shared by every entry that uses it as its description.
    let mut names: HashMap<crate::ids::TaskId, std::sync::Arc<str>> = HashMap::new();

    // Verification on Fridays and on the deadline's eve, and the closure: queued
    // first, run after the plan's actions of the same minute.
    q.phase = CALENDAR;
    let mut checkpoints: Vec<NaiveDate> = working.iter().copied().filter(|d| d.weekday() == Weekday::Fri).collect();
    if let Some(d) = cal.nth_working_day_after(month.last_day(), 3) {
        checkpoints.push(d);
    }
    for cp in checkpoints {
        q.push(at(cp, 15, 0, 0), Action::Checkpoint);
    }
    if close {
        q.run(at(ctx.deadline + Duration::days(1), 9, 0, 0), cast.hr.clone(), Command::CloseMonth);
    }
    q.phase = PLAN;

    // Each working day: clocks, roll calls, activities; and each day any rostered
    // shift starts (weekends and holidays included): clocks against the shift.
    let rosters = &ctx.city.rosters;
    let days: Vec<NaiveDate> = if rosters.is_empty() { working.clone() } else { month.range().days().collect() };
    for &date in &days {
        // Everything before the day before is settled: what is planned from this day
        // on starts at the earliest 40 minutes before a shift that starts at midnight.
        if let Some(before) = date.pred_opt().map(|d| d.and_time(NaiveTime::MIN))
            && run.drain(ctx, ledger, &mut q, Some(before), sink)
        {
            return Ok(run.report);
        }
        let schedule = cal.schedule(date).cloned();
        let ceremony_today = ceremony_day == Some(date);
        // Roll-call lists per unit: [morning, afternoon, ceremony].
        let mut lists: BTreeMap<UnitId, [Vec<Nip>; 3]> = BTreeMap::new();
        for (ei, emp) in org.employees().iter().enumerate() {
            let Some(position) = org.definitive_position(&emp.nip, date) else { continue };
            if absent[ei].contains(&date) {
                continue;
            }
            let me = ActorId::Employee(emp.nip.clone());
            let (start, end, on_shift) = match (rosters.on(&emp.nip, date), &schedule) {
                (Some(Rostered::Shift(p)), _) => {
                    let t = p.on(date);
                    (t.start, t.end, true)
                }
                (Some(Rostered::Off), _) | (None, None) => continue,
                (None, Some(s)) => (date.and_time(s.start), date.and_time(s.end), false),
            };
            // Arrival: mostly 5-40 minutes early, sometimes late.
            let arrive = match rng.range(0, 99) {
                0..=5 => start + Duration::minutes(rng.range(1, 30)),
                6..=7 => start + Duration::minutes(rng.range(31, 95)),
                _ => start - Duration::minutes(rng.range(5, 40)),
            };
            let leave = if rng.chance(4) {
                end - Duration::minutes(rng.range(5, 100))
            } else {
                end + Duration::minutes(rng.range(0, 45))
            };
            let (source, device) = match rng.range(0, 9) {
                0..=5 => (ClockSource::Fingerprint, cast.device(ctx, &position.unit, DeviceKind::Fingerprint)),
                6..=7 => match cast.device(ctx, &position.unit, DeviceKind::Face) {
                    Some(d) => (ClockSource::Face, Some(d)),
                    None => (ClockSource::Fingerprint, cast.device(ctx, &position.unit, DeviceKind::Fingerprint)),
                },
                _ => (
                    match ctx.city.work_sites.iter().find(|s| s.units.contains(&position.unit)) {
                        // Near the unit's site: within 0.0015 degrees (about 165 m)
                        // each way, so most phone clock-ins are inside a 150 m radius.
                        Some(site) => ClockSource::Mobile {
                            latitude: (site.latitude + rust_decimal::Decimal::new(rng.range(0, 300) - 150, 5))
                                .normalize(),
                            longitude: (site.longitude + rust_decimal::Decimal::new(rng.range(0, 300) - 150, 5))
                                .normalize(),
                            accuracy_m: Some(rng.range(5, 40) as u32),
                        },
                        None => ClockSource::Mobile {
                            latitude: rust_decimal::Decimal::new(55_483 + rng.range(0, 300), 4),
                            longitude: rust_decimal::Decimal::new(953_238 + rng.range(0, 300), 4),
                            accuracy_m: Some(rng.range(5, 40) as u32),
                        },
                    },
                    Some(&me),
                ),
            };
            let sender = device.cloned().unwrap_or_else(|| me.clone());
            let miss = rng.range(0, 199);
            for (direction, time, skip) in
                [(ClockDirection::In, arrive, miss == 0), (ClockDirection::Out, leave, miss == 1 || miss == 2)]
            {
                if !skip {
                    // A night shift's check-out on the next month's first day is this
                    // month's (the ledger accepts it: `ledger::clock_month`).
                    let event = ClockEvent {
                        employee: emp.nip.clone(),
                        at: time,
                        direction,
                        source: source.clone(),
                        geofence: None,
                    };
                    q.run(time, sender.clone(), Command::RecordClock { event });
                }
            }
            // A rostered shift is judged by its scans; roll calls and the activity
            // log keep office days.
            if on_shift {
                continue;
            }
            let (start, end) = (start.time(), end.time());
            let arrive = arrive.time();
            let unit_lists = lists.entry(position.unit.clone()).or_default();
            for (k, list) in unit_lists.iter_mut().enumerate() {
                if k == 2 && !ceremony_today {
                    continue;
                }
                if !rng.chance(4) {
                    list.push(emp.nip.clone());
                }
            }
            // Activities: consecutive blocks from just after arrival.
            let tasks = &position.analysis.tasks;
            if tasks.is_empty() {
                continue;
            }
            // When the entry is logged: the same evening mostly, sometimes days later.
            let delay = match rng.range(0, 99) {
                0..=79 => 0,
                80..=94 => rng.range(1, 3),
                _ => rng.range(4, 7),
            } as u32;
            let logged_on = cal.nth_working_day_after(date, delay).unwrap_or(date);
            let logged_at = at(logged_on, 16, 15, rng.range(0, 59) as u32);
            let mut cursor = start.max(arrive);
            let n_entries = rng.range(3, 4) + rng.range(0, diligence[ei]);
            for k in 0..n_entries {
                let task = &tasks[rng.range(0, tasks.len() as i64 - 1) as usize];
                let std = task.standard_minutes.get().max(1);
                let minutes_budget = rng.range(15, 60);
                let quantity = (minutes_budget / std).max(1);
                let span = (quantity * std).clamp(10, 120);
                // Now and then someone types an entry over an earlier one.
                let overlap = k > 0 && rng.chance(2);
                let s = if overlap { cursor - Duration::minutes(15) } else { cursor };
                let e = s + Duration::minutes(span);
                if e > end + Duration::minutes(110) {
                    break;
                }
                let input = ActivityInput {
                    employee: emp.nip.clone(),
                    date,
                    start: s,
                    end: e,
                    task: task.id.clone(),
                    quantity,
                    description: names.entry(task.id.clone()).or_insert_with(|| task.name.as_str().into()).clone(),
                    evidence: None,
                };
                let command = Command::LogActivity { input };
                q.push(logged_at, Action::Run { actor: me.clone(), command, remember: Remember::Logged });
                cursor = e;
            }
        }
        for (unit, unit_lists) in lists {
            let Some(officer) = cast.attendance.get(&unit) else { continue };
            for (k, attended) in unit_lists.into_iter().enumerate() {
                if attended.is_empty() {
                    continue;
                }
                let kind = [RollCallKind::Morning, RollCallKind::Afternoon, RollCallKind::Ceremony][k];
                let list = RollCallList { date, kind, attended, absent: Vec::new() };
                q.run(at(date, 16, 30, 0), officer.clone(), Command::RecordRollCall { list });
            }
        }
    }

    run.drain(ctx, ledger, &mut q, None, sink);
    Ok(run.report)
}

/// What running the queue keeps between its stretches.
struct Running {
    /// The verifiers' decisions at the checkpoints (a stream of its own, so that the
    /// plan's draws do not depend on when the queue runs).
    decide: SplitMix64,
    /// Logged entries waiting for a checkpoint.
    waiting: Vec<ActivityId>,
    report: SimulationReport,
}

impl Running {
    /// Runs the queued actions before `before` (all of them when `None`), in time
    /// order, each command through the ledger. Returns true when `sink` refused an
    /// event (the simulation stops).
    fn drain(
        &mut self,
        ctx: &MonthContext<'_>,
        ledger: &mut Ledger,
        q: &mut Queue,
        before: Option<NaiveDateTime>,
        sink: &mut dyn FnMut(&Event) -> Result<(), ()>,
    ) -> bool {
        let plan_phase = q.phase;
        q.phase = FOLLOW_UP;
        let stopped = self.drain_inner(ctx, ledger, q, before, sink);
        q.phase = plan_phase;
        stopped
    }

    fn drain_inner(
        &mut self,
        ctx: &MonthContext<'_>,
        ledger: &mut Ledger,
        q: &mut Queue,
        before: Option<NaiveDateTime>,
        sink: &mut dyn FnMut(&Event) -> Result<(), ()>,
    ) -> bool {
        let report = &mut self.report;
        let rng = &mut self.decide;
        let waiting = &mut self.waiting;
        while let Some((when, action)) = q.pop_before(before) {
            match action {
                Action::Run { actor, command, remember } => {
                    let request = Request::new(actor, when, command);
                    let accepted = match ledger.execute(ctx, request) {
                        Ok(e) => {
                            report.accepted += 1;
                            if let (Remember::Logged, EventKind::ActivityLogged(c)) = (remember, &e.kind) {
                                waiting.push(c.id);
                            }
                            if sink(e).is_err() {
                                return true;
                            }
                            true
                        }
                        Err(err) => {
                            report.refuse(&err);
                            false
                        }
                    };
                    if let (true, Remember::Resubmitted(id)) = (accepted, remember)
                        && let Some(v) = verifier_of(ctx, ledger, id)
                    {
                        let decision = Decision::Approve { quantity: None };
                        q.run(when + Duration::hours(2), v, Command::Verify { id, decision });
                    }
                }
                Action::Checkpoint => {
                    // Each verifier's decisions, submitted as one batch.
                    let mut batches: BTreeMap<ActorId, Vec<(ActivityId, Decision)>> = BTreeMap::new();
                    let mut later = Vec::new();
                    for id in waiting.drain(..) {
                        let Some(entry) = ledger.entry(id) else { continue };
                        if entry.status != VerificationStatus::Submitted {
                            continue;
                        }
                        if entry.submitted_at > when {
                            later.push(id);
                            continue;
                        }
                        let Some(verifier) = verifier_of(ctx, ledger, id) else { continue };
                        let decision = match rng.range(0, 99) {
                            0..=79 => Decision::Approve { quantity: None },
                            80..=84 => Decision::Approve { quantity: Some((entry.quantity - 1).max(1)) },
                            85..=89 => Decision::Return { reason: "Lengkapi uraian dan bukti kegiatan".into() },
                            90..=92 => Decision::Reject { reason: "Kegiatan tidak sesuai tugas jabatan".into() },
                            _ => continue, // left pending
                        };
                        batches.entry(verifier).or_default().push((id, decision));
                    }
                    *waiting = later;
                    for (verifier, decisions) in batches {
                        let returns: Vec<ActivityId> = decisions
                            .iter()
                            .filter(|(_, d)| matches!(d, Decision::Return { .. }))
                            .map(|(id, _)| *id)
                            .collect();
                        let batch = Command::VerifyMany { decisions: decisions.clone() };
                        let mut done = false;
                        match ledger.execute(ctx, Request::new(verifier.clone(), when, batch)) {
                            Ok(e) => {
                                report.accepted += 1;
                                done = true;
                                if sink(e).is_err() {
                                    return true;
                                }
                            }
                            Err(err) => report.refuse(&err),
                        }
                        let mut returned = Vec::new();
                        if done {
                            returned = returns;
                        } else {
                            // One refused decision refuses the batch: decide one by one instead.
                            for (id, decision) in decisions {
                                let is_return = matches!(decision, Decision::Return { .. });
                                match ledger.execute(
                                    ctx,
                                    Request::new(verifier.clone(), when, Command::Verify { id, decision }),
                                ) {
                                    Ok(e) => {
                                        report.accepted += 1;
                                        if is_return {
                                            returned.push(id);
                                        }
                                        if sink(e).is_err() {
                                            return true;
                                        }
                                    }
                                    Err(err) => report.refuse(&err),
                                }
                            }
                        }
                        // Employees resubmit returned entries the next morning.
                        for id in returned {
                            let Some(entry) = ledger.entry(id) else { continue };
                            let employee = ActorId::Employee(entry.employee.clone());
                            let next_morning = at(when.date() + Duration::days(1), 8, 0, 0);
                            q.push(
                                next_morning,
                                Action::Run {
                                    actor: employee,
                                    command: Command::Resubmit { id },
                                    remember: Remember::Resubmitted(id),
                                },
                            );
                        }
                    }
                }
            }
        }
        false
    }
}

/// Who verifies an entry: the first holder (else acting official) of the
/// supervising position on the entry's date, or the official named for a top
/// position.
fn verifier_of(ctx: &MonthContext<'_>, ledger: &Ledger, id: ActivityId) -> Option<ActorId> {
    let entry = ledger.entry(id)?;
    let org = &ctx.city.organisation;
    if let Some(r) = org.direct_supervisor(&entry.employee, entry.date) {
        return r.definitive.first().cloned().or_else(|| r.acting.first().map(|a| a.0.clone())).map(ActorId::Employee);
    }
    match org.supervising_position(&entry.employee, entry.date) {
        Some(Err(top)) => ctx.city.authorities.verifiers_of(&top.id).next().map(|o| ActorId::Official(o.id.clone())),
        _ => None,
    }
}
