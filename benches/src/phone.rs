//! Phone-sized operations, each timed one by one: what one person's phone (or
//! the server for one request) does at a time. The target is under 5 us each.
//!
//! Every operation runs on a state that already holds the month, as a phone has
//! it: the simulated month of the 1,000-employee city up to the afternoon of
//! 28 October (the journal cut there, so the month is still open; about 120
//! entries of the staff member's, several hundred of the supervisor's team):
//!
//! * check and log one activity entry: [`DeviceSession::log_activity`] on a staff
//!   member's phone (the draft read, every ledger check, the outbox), and the same
//!   command on the server's ledger of the city ([`Ledger::execute`]);
//! * verify one entry: [`DeviceSession::approve`] on the supervisor's phone, and
//!   the same decision on the server's ledger;
//! * recompute one employee's month: the recap, and the projected allowance
//!   (recap, allowance input and slip) on the phone, over the bundle of the whole
//!   closed month.
//!
//! Each phone call starts from the same state: the session is opened again from
//! its bundle before each call, untimed, and the call is the first command of
//! that session (opening churns the allocator and the caches, so this is the
//! cold case); the "session in use" rows do one other command of the same kind
//! first (refused, so the state is the same), untimed. The server's commands run on its ledger in service, one staff
//! member after another (each logs at their first free hour, then each
//! supervisor approves), each call timed alone. The figures are the median, the
//! 90th percentile and the fastest of 2,000 phone calls and 200 server calls.
//!
//! The file uses only the public API the phone and the server use, so that
//! `benches/compare-phone.sh` can build the same measurement against an older
//! revision of the engine and print both side by side.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use kinerja::activity::{ActivityInput, Decision};
use kinerja::dataset::City;
use kinerja::device::{ActivityDraft, DeviceBundle, DeviceSession, EntryRef};
use kinerja::ledger::{Command, EventKind, JournalFormat, JournalReader, JournalWriter, Ledger, MonthContext, Request};
use kinerja::org::{AssignmentKind, Nip, PositionKind};
use kinerja::policy::Policy;
use kinerja::{TaskId, YearMonth};

/// The figures of one operation.
pub struct OpFigure {
    /// The median call.
    pub median: Duration,
    /// The 90th percentile.
    pub p90: Duration,
    /// The fastest call.
    pub fastest: Duration,
    /// How many calls were timed.
    pub runs: usize,
}

/// Times `op` `runs` times, each on a fresh input from `setup` (not timed).
fn each<S, T>(runs: usize, mut setup: impl FnMut() -> S, mut op: impl FnMut(&mut S) -> T) -> OpFigure {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let mut s = setup();
        let t0 = Instant::now();
        black_box(op(&mut s));
        times.push(t0.elapsed());
        drop(s);
    }
    figure(times)
}

/// "Today" on the phones: a Wednesday late in the month.
const DAY: (i32, u32, u32) = (2026, 10, 28);

fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(DAY.0, DAY.1, DAY.2).and_then(|d| d.and_hms_opt(h, m, 0)).unwrap_or_default()
}

/// When the staff member logs (and the journal is cut: everything recorded
/// before this moment is in the state).
const LOG_AT: &str = "2026-10-28T17:30";
/// When the supervisor approves.
const DECIDE_AT: &str = "2026-10-28T17:45";

/// A staff member with a task and their supervisor in post on the day, both in
/// post all month (the first such pair in the city's order).
fn pair(city: &City) -> Result<(Nip, TaskId, Nip), String> {
    let org = &city.organisation;
    let day = at(0, 0).date();
    for a in org.assignments() {
        if a.kind != AssignmentKind::Definitive || a.until.is_some() || a.from > day {
            continue;
        }
        let Some(pos) = org.position(&a.position) else { continue };
        if pos.kind != PositionKind::Executor {
            continue;
        }
        let Some(task) = pos.analysis.tasks.first() else { continue };
        let Some(sup) = org.direct_supervisor(&a.employee, day) else { continue };
        if !sup.acting.is_empty() || !sup.skipped_vacant.is_empty() {
            continue;
        }
        if let [s] = sup.definitive.as_slice() {
            return Ok((a.employee.clone(), task.id.clone(), s.clone()));
        }
    }
    Err("no staff member with a supervisor in post".into())
}

fn input(nip: &Nip, task: &TaskId, hour: u32) -> ActivityInput {
    ActivityInput {
        employee: nip.clone(),
        date: at(0, 0).date(),
        start: at(hour, 0).time(),
        end: at(hour, 45).time(),
        task: task.clone(),
        quantity: 1,
        description: "Menyusun laporan (bench)".into(),
        evidence: None,
    }
}

fn draft(task: &TaskId, hour: u32) -> ActivityDraft {
    ActivityDraft {
        date: "2026-10-28".into(),
        start: format!("{hour:02}:00"),
        end: format!("{hour:02}:45"),
        task: task.to_string(),
        quantity: "1".into(),
        description: "Menyusun laporan (bench)".into(),
        evidence: None,
    }
}

fn time_of(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap_or_default()
}

fn bundle(city: &City, ledger: &Ledger, nip: &Nip, month: YearMonth) -> Result<DeviceBundle, String> {
    DeviceBundle::for_employee(city, &[], ledger, nip, month).map(|b| b.issued("bench")).map_err(|e| e.to_string())
}

/// The month as the server holds it at `cut`: the events of the journal recorded
/// before it, replayed with every check (the month is still open).
pub fn month_until(ctx: &MonthContext<'_>, journal: &[u8], cut: NaiveDateTime) -> Result<Ledger, String> {
    let reader = JournalReader::new(journal).map_err(|e| e.to_string())?;
    let mut writer =
        JournalWriter::new(Vec::new(), JournalFormat::Binary, &reader.header().clone()).map_err(|e| e.to_string())?;
    for e in reader {
        let e = e.map_err(|e| e.to_string())?;
        if e.record_time() >= cut {
            break;
        }
        writer.write(&e).map_err(|e| e.to_string())?;
    }
    let bytes = writer.finish().map_err(|e| e.to_string())?;
    let reader = JournalReader::new(bytes.as_slice()).map_err(|e| e.to_string())?;
    Ledger::from_reader(ctx, reader, false).map(|(l, _)| l).map_err(|e| e.to_string())
}

/// Measures the phone-sized operations on `city`, whose simulated month is the
/// journal `journal` and, replayed and closed, `month_ledger`.
pub fn measure(
    city: &City,
    journal: &[u8],
    month_ledger: &Ledger,
    month: YearMonth,
    test: bool,
) -> Result<Vec<(&'static str, OpFigure)>, String> {
    let runs = if test { 3 } else { 2_000 };
    let server_runs = if test { 3 } else { 200 };
    let policy = Policy::national();
    let ctx = MonthContext::new(city, &policy, month).map_err(|e| e.to_string())?;
    let (staff, task, boss) = pair(city)?;
    let mut out = Vec::new();

    // The server's month up to the moment the staff member logs.
    let open = month_until(&ctx, journal, time_of(LOG_AT))?;
    let log_request = |hour: u32| {
        Request::new(staff.clone(), time_of(LOG_AT), Command::LogActivity { input: input(&staff, &task, hour) })
    };
    // A free hour of the day: the first the server accepts.
    let hour = (7..17)
        .find(|&h| open.clone().execute(&ctx, log_request(h)).is_ok())
        .ok_or("the staff member has no free hour on the day")?;

    // The phone: the staff member's session, opened again before each call.
    let staff_bundle = bundle(city, &open, &staff, month)?;
    let entries = staff_bundle.state.entries.iter().filter(|e| e.employee == staff).count();
    let d = draft(&task, hour);
    check_ok(&staff_bundle, |s| s.log_activity(&d, LOG_AT).map(|_| ()))?;
    let f = each(
        runs,
        || DeviceSession::from_bundle(staff_bundle.clone()).ok(),
        |s| s.as_mut().map(|s| s.log_activity(&d, LOG_AT).is_ok()),
    );
    out.push(("phone: check and log one activity (DeviceSession::log_activity)", f));
    // The same on a session in use: a command just done (an entry at an hour
    // already taken, refused) has brought the month's tables back to the cache.
    let taken = draft(&task, if hour > 7 { 7 } else { hour + 1 });
    let f = each(
        runs,
        || {
            let mut s = DeviceSession::from_bundle(staff_bundle.clone()).ok();
            if let Some(s) = s.as_mut() {
                black_box(s.log_activity(&taken, LOG_AT).is_ok());
            }
            s
        },
        |s| s.as_mut().map(|s| s.log_activity(&d, LOG_AT).is_ok()),
    );
    out.push(("  the same on a session in use (after another log)", f));

    // The server: the same commands on the city's ledger in service, from many
    // staff members (below).

    // Verify: the entry logged, the supervisor approves it.
    let mut logged = open.clone();
    let id = match &logged.execute(&ctx, log_request(hour)).map_err(|e| e.to_string())?.kind {
        EventKind::ActivityLogged(e) => e.id,
        _ => return Err("logging did not log".into()),
    };
    let boss_bundle = bundle(city, &logged, &boss, month)?;
    let team_entries = boss_bundle.state.entries.len();
    check_ok(&boss_bundle, |s| s.approve(EntryRef::Server(id), None, DECIDE_AT))?;
    let f = each(
        runs,
        || DeviceSession::from_bundle(boss_bundle.clone()).ok(),
        |s| s.as_mut().map(|s| s.approve(EntryRef::Server(id), None, DECIDE_AT).is_ok()),
    );
    out.push(("phone: verify one entry (DeviceSession::approve)", f));
    // On a session in use: just before, the approval of an entry already decided
    // (refused).
    let decided = boss_bundle
        .state
        .entries
        .iter()
        .find(|e| e.employee == staff && e.status != kinerja::activity::VerificationStatus::Submitted)
        .map(|e| e.id)
        .ok_or("the staff member has no decided entry")?;
    let f = each(
        runs,
        || {
            let mut s = DeviceSession::from_bundle(boss_bundle.clone()).ok();
            if let Some(s) = s.as_mut() {
                black_box(s.approve(EntryRef::Server(decided), None, DECIDE_AT).is_ok());
            }
            s
        },
        |s| s.as_mut().map(|s| s.approve(EntryRef::Server(id), None, DECIDE_AT).is_ok()),
    );
    out.push(("  the same on a session in use (after another approval)", f));
    let approve = || {
        Request::new(
            boss.clone(),
            time_of(DECIDE_AT),
            Command::Verify { id, decision: Decision::Approve { quantity: None } },
        )
    };
    if logged.clone().execute(&ctx, approve()).is_err() {
        return Err("the server refuses the supervisor's approval".into());
    }
    drop(logged);
    let (log, verify) = server(city, &ctx, open, server_runs)?;
    out.push(("server: check and log one activity (Ledger::execute)", log));
    out.push(("server: verify one entry (Ledger::execute)", verify));

    // Recompute one employee's month on the phone, over the whole closed month.
    let s = DeviceSession::from_bundle(bundle(city, month_ledger, &staff, month)?).map_err(|e| e.to_string())?;
    let month_entries = s.entries(None).map_err(|e| e.to_string())?.len();
    if month_entries == 0 {
        return Err("the simulated month has no entry of the staff member".into());
    }
    let as_of = "2026-11-30";
    s.recap(None, as_of).map_err(|e| e.to_string())?;
    s.projected_allowance(as_of).map_err(|e| e.to_string())?;
    let f = each(runs, || (), |_| s.recap(None, as_of).is_ok());
    out.push(("phone: one employee's recap (DeviceSession::recap)", f));
    // The core's part of it: the recap of the session's ledger alone.
    let session_ctx = s.context().map_err(|e| e.to_string())?;
    let day = NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?;
    let f = each(runs, || (), |_| kinerja::recap::employee_recap(s.ledger(), &session_ctx, &staff, day).is_ok());
    out.push(("  of which the core's recap::employee_recap", f));
    let f = each(runs, || (), |_| s.projected_allowance(as_of).is_ok());
    out.push(("phone: recap + pay one employee (DeviceSession::projected_allowance)", f));
    eprintln!(
        "   (on 28 October: the staff member's {entries} entries so far, their supervisor's bundle {team_entries}; \
         the whole month: {month_entries} entries of the staff member's)"
    );
    Ok(out)
}

/// The server's commands, on its ledger in service (not a copy: a copy of the
/// city's month, fresh in memory, would time page faults and cache misses, and a
/// bare clone's first command the copy of every entry to a larger vector): up to
/// `runs` staff members each log an entry at their first free hour of the day,
/// then their supervisors approve them. Each accepted call is timed alone.
fn server(
    city: &City,
    ctx: &MonthContext<'_>,
    mut ledger: Ledger,
    runs: usize,
) -> Result<(OpFigure, OpFigure), String> {
    let org = &city.organisation;
    let day = at(0, 0).date();
    let mut logs = Vec::with_capacity(runs);
    let mut logged = Vec::with_capacity(runs);
    for a in org.assignments() {
        if logged.len() == runs {
            break;
        }
        if a.kind != AssignmentKind::Definitive || a.until.is_some_and(|u| u < day) || a.from > day {
            continue;
        }
        let Some(task) = org.position(&a.position).and_then(|p| p.analysis.tasks.first()) else { continue };
        let Some(sup) = org.direct_supervisor(&a.employee, day) else { continue };
        let [boss] = sup.definitive.as_slice() else { continue };
        for hour in 7..17 {
            let request = Request::new(
                a.employee.clone(),
                time_of(LOG_AT),
                Command::LogActivity { input: input(&a.employee, &task.id, hour) },
            );
            let t0 = Instant::now();
            let id = match ledger.execute(ctx, request).map(|e| &e.kind) {
                Ok(EventKind::ActivityLogged(e)) => Some(e.id),
                _ => None,
            };
            let t = t0.elapsed();
            if let Some(id) = id {
                logs.push(t);
                logged.push((boss.clone(), id));
                break;
            }
        }
    }
    let mut verifies = Vec::with_capacity(logged.len());
    for (boss, id) in logged {
        let request = Request::new(
            boss,
            time_of(DECIDE_AT),
            Command::Verify { id, decision: Decision::Approve { quantity: None } },
        );
        let t0 = Instant::now();
        let ok = ledger.execute(ctx, request).is_ok();
        let t = t0.elapsed();
        if ok {
            verifies.push(t);
        }
    }
    if logs.is_empty() || verifies.is_empty() {
        return Err("the server accepted no entry, or no approval".into());
    }
    Ok((figure(logs), figure(verifies)))
}

fn figure(mut times: Vec<Duration>) -> OpFigure {
    times.sort();
    OpFigure {
        median: times[times.len() / 2],
        p90: times[(times.len() * 9 / 10).min(times.len() - 1)],
        fastest: times[0],
        runs: times.len(),
    }
}

/// Checks that the operation succeeds on a fresh session of `bundle` (a refused
/// operation would time the refusal).
fn check_ok<T>(
    bundle: &DeviceBundle,
    op: impl FnOnce(&mut DeviceSession) -> Result<T, kinerja::device::DeviceError>,
) -> Result<(), String> {
    let mut s = DeviceSession::from_bundle(bundle.clone()).map_err(|e| e.to_string())?;
    op(&mut s).map(|_| ()).map_err(|e| e.to_string())
}
