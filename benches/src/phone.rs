//! Phone-sized operations, each timed one by one: what one person's phone (or
//! the server for one request) does at a time. The target is under 5 us each.
//!
//! * check and log one activity entry: [`DeviceSession::log_activity`] on a staff
//!   member's phone (the draft read, every ledger check, the outbox), and the same
//!   command on an open server ledger of the city ([`Ledger::execute`]);
//! * verify one entry: [`DeviceSession::approve`] on the supervisor's phone, and
//!   the same decision on the server's ledger;
//! * recompute one employee's month: the recap, and the projected allowance
//!   (recap, allowance input and slip) on the phone, over the bundle of a whole
//!   simulated month (about 120 entries of the person's).
//!
//! Each timed call starts from the same state: the state it changes is rebuilt
//! (untimed) before each call.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use kinerja::activity::{ActivityInput, Decision};
use kinerja::dataset::City;
use kinerja::device::{ActivityDraft, DeviceBundle, DeviceSession, EntryRef};
use kinerja::ledger::{Command, Ledger, MonthContext, Request};
use kinerja::org::{AssignmentKind, Nip, PositionKind};
use kinerja::policy::Policy;
use kinerja::{TaskId, YearMonth};

/// The figures of one operation.
pub struct OpFigure {
    pub median: Duration,
    pub p90: Duration,
    pub fastest: Duration,
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
    times.sort();
    OpFigure {
        median: times[times.len() / 2],
        p90: times[(times.len() * 9 / 10).min(times.len() - 1)],
        fastest: times[0],
        runs: times.len(),
    }
}

const DAY: (i32, u32, u32) = (2026, 10, 5);

fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(DAY.0, DAY.1, DAY.2).and_then(|d| d.and_hms_opt(h, m, 0)).unwrap_or_default()
}

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

fn session(city: &City, ledger: &Ledger, nip: &Nip, month: YearMonth) -> Result<DeviceSession, String> {
    let bundle = DeviceBundle::for_employee(city, &[], ledger, nip, month).map_err(|e| e.to_string())?;
    DeviceSession::from_bundle(bundle.issued("bench")).map_err(|e| e.to_string())
}

/// Measures the phone-sized operations on `city`, whose simulated (closed)
/// month is `month_ledger`.
pub fn measure(
    city: &City,
    month_ledger: &Ledger,
    month: YearMonth,
    test: bool,
) -> Result<Vec<(&'static str, OpFigure)>, String> {
    let runs = if test { 3 } else { 2_000 };
    let policy = Policy::national();
    let ctx = MonthContext::new(city, &policy, month).map_err(|e| e.to_string())?;
    let (staff, task, boss) = pair(city)?;
    let mut out = Vec::new();

    // An open month with nothing in it yet: the staff member logs at 08:00.
    let empty = Ledger::new(month);
    let draft = ActivityDraft {
        date: "2026-10-05".into(),
        start: "08:00".into(),
        end: "08:45".into(),
        task: task.to_string(),
        quantity: "1".into(),
        description: "Menyusun laporan (bench)".into(),
        evidence: None,
    };
    // The phone session is rebuilt from its bundle before each timed call.
    let bundle = DeviceBundle::for_employee(city, &[], &empty, &staff, month).map_err(|e| e.to_string())?;
    let f = each(
        runs,
        || DeviceSession::from_bundle(bundle.clone().issued("bench")).ok(),
        |s| s.as_mut().map(|s| s.log_activity(&draft, "2026-10-05T16:00").is_ok()),
    );
    check_ok(city, &bundle, |s| s.log_activity(&draft, "2026-10-05T16:00").map(|_| ()))?;
    out.push(("phone: check and log one activity (DeviceSession::log_activity)", f));

    // The server: the same command executed on an open ledger.
    let log = || Request::new(staff.clone(), at(16, 0), Command::LogActivity { input: input(&staff, &task, 8) });
    if Ledger::new(month).execute(&ctx, log()).is_err() {
        return Err("the server refuses the staff member's entry".into());
    }
    let f = each(runs, || Ledger::new(month), |l| l.execute(&ctx, log()).is_ok());
    out.push(("server: check and log one activity (Ledger::execute)", f));

    // Verify: the supervisor approves the entry logged at 08:00.
    let mut logged = Ledger::new(month);
    let event = logged
        .execute(&ctx, Request::new(staff.clone(), at(16, 0), Command::LogActivity { input: input(&staff, &task, 8) }))
        .map_err(|e| e.to_string())?;
    let id = match &event.kind {
        kinerja::ledger::EventKind::ActivityLogged(e) => e.id,
        _ => return Err("logging did not log".into()),
    };
    let sup_bundle = DeviceBundle::for_employee(city, &[], &logged, &boss, month).map_err(|e| e.to_string())?;
    let decide_at = "2026-10-06T09:00";
    let f = each(
        runs,
        || DeviceSession::from_bundle(sup_bundle.clone().issued("bench")).ok(),
        |s| s.as_mut().map(|s| s.approve(EntryRef::Server(id), None, decide_at).is_ok()),
    );
    check_ok(city, &sup_bundle, |s| s.approve(EntryRef::Server(id), None, decide_at))?;
    out.push(("phone: verify one entry (DeviceSession::approve)", f));
    let decided = NaiveDate::from_ymd_opt(2026, 10, 6).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap_or_default();
    let approve =
        || Request::new(boss.clone(), decided, Command::Verify { id, decision: Decision::Approve { quantity: None } });
    let f = each(runs.min(200), || logged.clone(), |l| l.execute(&ctx, approve()).is_ok());
    if logged.clone().execute(&ctx, approve()).is_err() {
        return Err("the server refuses the supervisor's approval".into());
    }
    out.push(("server: verify one entry (Ledger::execute)", f));

    // Recompute one employee's month on the phone, over the whole simulated month.
    let s = session(city, month_ledger, &staff, month)?;
    let entries = s.entries(None).map_err(|e| e.to_string())?.len();
    if entries == 0 {
        return Err("the simulated month has no entry of the staff member".into());
    }
    let as_of = "2026-11-30";
    s.recap(None, as_of).map_err(|e| e.to_string())?;
    s.projected_allowance(as_of).map_err(|e| e.to_string())?;
    let f = each(runs, || (), |_| s.recap(None, as_of).is_ok());
    out.push(("phone: one employee's recap (DeviceSession::recap)", f));
    let f = each(runs, || (), |_| s.projected_allowance(as_of).is_ok());
    out.push(("phone: recap + pay one employee (DeviceSession::projected_allowance)", f));
    eprintln!("   (the staff member's month: {entries} entries)");
    Ok(out)
}

/// Checks that the operation succeeds on a fresh session of `bundle` (a refused
/// operation would time the refusal).
fn check_ok<T>(
    _city: &City,
    bundle: &DeviceBundle,
    op: impl FnOnce(&mut DeviceSession) -> Result<T, kinerja::device::DeviceError>,
) -> Result<(), String> {
    let mut s = DeviceSession::from_bundle(bundle.clone().issued("bench")).map_err(|e| e.to_string())?;
    op(&mut s).map(|_| ()).map_err(|e| e.to_string())
}
