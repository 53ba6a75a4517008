//! A realistic synthetic month of daily work, deterministic by seed.
//!
//! Every simulated action goes through the [`Ledger`] as a command, so every
//! rule runs: entries logged too late, overlapping or on a holiday are
//! refused and counted, and only what the rules accept reaches the journal.
//!
//! The month's shape: each working day most employees clock in before 07:30
//! (the Ramadan schedule when it applies); some arrive late by a few minutes
//! to over an hour and a half, a few forget a scan; some are on annual leave,
//! sick, travelling on duty, on a permit, or absent without excuse. Present
//! employees attend the morning and afternoon roll calls (some miss one) and
//! log their day's work against their position's tasks, usually on the day
//! itself, sometimes days later (some too late), a few overlapping an earlier
//! entry. Supervisors verify weekly: most entries approved, some at a lower
//! quantity, some returned for revision (and resubmitted), a few rejected, a
//! few left pending. A ceremony is held on the 17th when it is a working day.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::activity::{ActivityId, ActivityInput, Decision};
use crate::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
use crate::generator::SplitMix64;
use crate::ledger::{Command, Ledger, LedgerError, MonthContext, Request, RollCallList};
use crate::month::DateRange;
use crate::org::Nip;
use crate::rollcall::{Ceremony, RollCallKind};

/// What the simulation did: accepted commands and refusals by reason code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SimulationReport {
    /// Commands accepted (events in the journal).
    pub accepted: u64,
    /// Commands refused, by error code.
    pub refused: std::collections::BTreeMap<String, u64>,
}

impl SimulationReport {
    fn run(
        &mut self,
        ledger: &mut Ledger,
        ctx: &MonthContext<'_>,
        actor: &Nip,
        at: NaiveDateTime,
        command: Command,
    ) -> Option<u64> {
        match ledger.execute(ctx, Request { actor: actor.clone(), at, command }) {
            Ok(e) => {
                self.accepted += 1;
                Some(e.seq)
            }
            Err(err) => {
                *self.refused.entry(err.code().to_string()).or_default() += 1;
                None
            }
        }
    }
}

fn at(date: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h.min(23), m.min(59), s.min(59)).unwrap_or(NaiveTime::MIN))
}

/// Simulates the ledger's month for the context's city. The month is closed
/// at the end when `close` is true (after the verification deadline).
pub fn simulate_month(
    ctx: &MonthContext<'_>,
    seed: u64,
    close: bool,
) -> Result<(Ledger, SimulationReport), LedgerError> {
    let mut rng = SplitMix64::new(seed ^ 0x006b_696e_6572_6a61);
    let mut ledger = Ledger::new(ctx.month);
    let mut report = SimulationReport::default();
    let org = &ctx.city.organisation;
    let month = ctx.month;
    let cal = &ctx.city.calendar;
    let working: Vec<NaiveDate> = cal.working_dates(month.range()).collect();
    let system = org.employees().first().map(|e| e.nip.clone());
    let Some(system) = system else { return Ok((ledger, report)) };

    // A ceremony on the 17th (e.g. the monthly flag ceremony) if it is a working day.
    if let Some(d17) = NaiveDate::from_ymd_opt(month.year(), month.month(), 17)
        && cal.is_working_day(d17)
    {
        report.run(
            &mut ledger,
            ctx,
            &system,
            at(month.first_day(), 8, 0, 0),
            Command::DeclareCeremony {
                ceremony: Ceremony { date: d17, name: "Upacara Hari Kesadaran Nasional".into() },
            },
        );
    }

    // Absences first (they are usually known or entered early).
    let mut absent: Vec<Vec<(NaiveDate, bool)>> = vec![Vec::new(); org.employees().len()]; // (date, unexcused)
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
        if let Some(kind) = kind
            && !working.is_empty()
        {
            let start = working[rng.range(0, working.len() as i64 - 1) as usize];
            let end = cal.nth_working_day_after(start, (len - 1).max(0) as u32).unwrap_or(start);
            let range = DateRange { start, end: end.max(start) };
            let evidence = Some(format!("surat/{}/{}", emp.nip, start));
            let ok = report
                .run(
                    &mut ledger,
                    ctx,
                    &system,
                    at(start, 7, 0, 0),
                    Command::RecordAbsence {
                        absence: Absence { employee: emp.nip.clone(), range, kind, evidence, note: None },
                    },
                )
                .is_some();
            if ok {
                for d in range.days() {
                    absent[ei].push((d, false));
                }
            }
        }
        // About 1 employee in 100 has one unexcused day (no scan, no record).
        if rng.chance(1) && !working.is_empty() {
            absent[ei].push((working[rng.range(0, working.len() as i64 - 1) as usize], true));
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

    // Each working day: clocks, roll calls, activities.
    let mut logged: Vec<(ActivityId, usize)> = Vec::new(); // (entry, employee index)

    for &date in &working {
        let Some(schedule) = cal.schedule(date).cloned() else { continue };
        let ceremony_today = ledger.state().ceremonies.iter().any(|c| c.date == date);
        let mut lists: [Vec<Nip>; 3] = Default::default();
        for (ei, emp) in org.employees().iter().enumerate() {
            if org.definitive_assignment(&emp.nip, date).is_none() {
                continue;
            }
            if absent[ei].iter().any(|(d, _)| *d == date) {
                continue;
            }
            let start = schedule.start;
            let end = schedule.end;
            // Arrival: mostly 5-40 minutes early, sometimes late.
            let late_roll = rng.range(0, 99);
            let arrive = match late_roll {
                0..=5 => start + Duration::minutes(rng.range(1, 30)),
                6..=7 => start + Duration::minutes(rng.range(31, 95)),
                _ => start - Duration::minutes(rng.range(5, 40)),
            };
            let leave = if rng.chance(4) {
                end - Duration::minutes(rng.range(5, 100))
            } else {
                end + Duration::minutes(rng.range(0, 45))
            };
            let source = match rng.range(0, 9) {
                0..=5 => ClockSource::Fingerprint,
                6..=7 => ClockSource::Face,
                _ => ClockSource::Mobile {
                    latitude: rust_decimal::Decimal::new(55_483 + rng.range(0, 300), 4),
                    longitude: rust_decimal::Decimal::new(953_238 + rng.range(0, 300), 4),
                    accuracy_m: Some(rng.range(5, 40) as u32),
                },
            };
            let miss = rng.range(0, 199);
            if miss != 0 {
                report.run(
                    &mut ledger,
                    ctx,
                    &emp.nip,
                    date.and_time(arrive),
                    Command::RecordClock {
                        event: ClockEvent {
                            employee: emp.nip.clone(),
                            at: date.and_time(arrive),
                            direction: ClockDirection::In,
                            source: source.clone(),
                        },
                    },
                );
            }
            if miss != 1 && miss != 2 {
                report.run(
                    &mut ledger,
                    ctx,
                    &emp.nip,
                    date.and_time(leave),
                    Command::RecordClock {
                        event: ClockEvent {
                            employee: emp.nip.clone(),
                            at: date.and_time(leave),
                            direction: ClockDirection::Out,
                            source,
                        },
                    },
                );
            }
            for (k, list) in lists.iter_mut().enumerate() {
                if k == 2 && !ceremony_today {
                    continue;
                }
                if !rng.chance(4) {
                    list.push(emp.nip.clone());
                }
            }
            // Activities: consecutive blocks from just after arrival.
            let Some(position) = org.definitive_position(&emp.nip, date) else { continue };
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
                    description: task.name.clone(),
                    evidence: None,
                };
                if let Some(seq) = report.run(&mut ledger, ctx, &emp.nip, logged_at, Command::LogActivity { input }) {
                    let _ = seq;
                    logged.push((ActivityId(ledger.state().entries.len() as u64), ei));
                }
                cursor = e;
            }
        }
        for (k, attended) in lists.into_iter().enumerate() {
            if attended.is_empty() {
                continue;
            }
            let kind = [RollCallKind::Morning, RollCallKind::Afternoon, RollCallKind::Ceremony][k];
            report.run(
                &mut ledger,
                ctx,
                &system,
                at(date, 16, 30, 0),
                Command::RecordRollCall { list: RollCallList { date, kind, attended, absent: Vec::new() } },
            );
        }
    }

    // Weekly verification: each Friday (or the deadline), supervisors decide on
    // what was submitted up to then; returned entries are resubmitted.
    let mut checkpoints: Vec<NaiveDate> = working.iter().copied().filter(|d| d.weekday() == Weekday::Fri).collect();
    if let Some(d) = cal.nth_working_day_after(month.last_day(), 3) {
        checkpoints.push(d);
    }
    let mut waiting: Vec<ActivityId> = logged.iter().map(|(id, _)| *id).collect();
    let mut returned: Vec<ActivityId> = Vec::new();
    for cp in checkpoints {
        let when = at(cp, 15, 0, 0);
        let mut later = Vec::new();
        // Each verifier's decisions at this checkpoint, submitted as one batch.
        let mut batches: std::collections::BTreeMap<Nip, Vec<(ActivityId, Decision)>> = Default::default();
        for id in waiting.drain(..) {
            let Some(entry) = ledger.entry(id) else { continue };
            if entry.submitted_at > when {
                later.push(id);
                continue;
            }
            let resolution = org.direct_supervisor(&entry.employee, entry.date);
            let verifier = resolution
                .and_then(|r| r.definitive.first().cloned().or_else(|| r.acting.first().map(|a| a.0.clone())));
            let Some(verifier) = verifier else { continue };
            let decision = match rng.range(0, 99) {
                0..=79 => Decision::Approve { quantity: None },
                80..=84 => Decision::Approve { quantity: Some((entry.quantity - 1).max(1)) },
                85..=89 => Decision::Return { reason: "Lengkapi uraian dan bukti kegiatan".into() },
                90..=92 => Decision::Reject { reason: "Kegiatan tidak sesuai tugas jabatan".into() },
                _ => continue, // left pending
            };
            batches.entry(verifier).or_default().push((id, decision));
        }
        for (verifier, decisions) in batches {
            let returns: Vec<ActivityId> =
                decisions.iter().filter(|(_, d)| matches!(d, Decision::Return { .. })).map(|(id, _)| *id).collect();
            let batch = Command::VerifyMany { decisions: decisions.clone() };
            if report.run(&mut ledger, ctx, &verifier, when, batch).is_some() {
                returned.extend(returns);
            } else {
                // One refused decision refuses the batch: decide one by one instead.
                for (id, decision) in decisions {
                    let is_return = matches!(decision, Decision::Return { .. });
                    if report.run(&mut ledger, ctx, &verifier, when, Command::Verify { id, decision }).is_some()
                        && is_return
                    {
                        returned.push(id);
                    }
                }
            }
        }
        waiting = later;
        // Employees resubmit returned entries the next morning; the supervisor approves them at the next checkpoint.
        for id in returned.drain(..) {
            let Some(entry) = ledger.entry(id) else { continue };
            let employee = entry.employee.clone();
            let employee_time = at(cp + Duration::days(1), 8, 0, 0);
            if report.run(&mut ledger, ctx, &employee, employee_time, Command::Resubmit { id }).is_some()
                && let Some(r) = org.direct_supervisor(&employee, entry_date(&ledger, id))
                && let Some(v) = r.definitive.first().cloned().or_else(|| r.acting.first().map(|a| a.0.clone()))
            {
                report.run(
                    &mut ledger,
                    ctx,
                    &v,
                    at(cp + Duration::days(1), 10, 0, 0),
                    Command::Verify { id, decision: Decision::Approve { quantity: None } },
                );
            }
        }
    }
    if close {
        let close_at = at(ctx.deadline + Duration::days(1), 9, 0, 0);
        report.run(&mut ledger, ctx, &system, close_at, Command::CloseMonth);
    }
    Ok((ledger, report))
}

fn entry_date(ledger: &Ledger, id: ActivityId) -> NaiveDate {
    ledger.entry(id).map(|e| e.date).unwrap_or(NaiveDate::MIN)
}
