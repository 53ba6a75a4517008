//! Properties of the month ledger, checked with proptest over random command
//! sequences on the test city (`common/mod.rs`), October 2026.
//!
//! A sequence mixes every command (logs, edits, resubmits, single and batch
//! verifications, clocks from devices and phones, absences, roll calls and marks,
//! ceremonies, extra tasks, close and reopen) issued by the right actor most of the
//! time and otherwise by anyone of the city, the officials, the devices or ids the
//! city does not know, at times that mostly go forward and sometimes back, some
//! received late, some with idempotency keys that repeat. The properties:
//!
//! * a refused command changes nothing (state, head, events), checked after every
//!   command of every sequence; an accepted command sent again with its
//!   idempotency key is refused as a duplicate naming the event that applied it;
//! * replaying the journal gives the live state, from memory, from the text form
//!   and from the binary form, and a streaming ledger fed the same requests ends
//!   at the same head and state;
//! * a snapshot loads back to the same state, and commands after it give the same
//!   events, numbered on from the snapshot's head, as on the ledger never saved;
//! * any single event changed, removed, swapped, duplicated or copied elsewhere is
//!   named by `ledger::verify` (text and binary) and refused by replay;
//! * a change that breaks a rule, with the chain recomputed after it, passes
//!   `verify` without an anchor but is caught with the anchor head and refused by
//!   replay at the changed event.
//!
//! Case counts are small by default so that the file runs in seconds in debug, and
//! the seed is fixed so that CI is reproducible. A longer run with other seeds:
//!
//! ```sh
//! PROPTEST_CASES=2000 PROPTEST_RNG_SEED=$RANDOM cargo test --release -p kinerja --test props_ledger
//! ```
//!
//! A failure prints the shrunk sequence of operations: paste it into a test.

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use kinerja::activity::{ActivityId, ActivityInput, Decision, VerificationStatus};
use kinerja::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
use kinerja::dataset::City;
use kinerja::ledger::{
    ChainFault, Command, Event, EventKind, ExtraTask, Head, Journal, JournalFormat, JournalReader, Ledger, LedgerError,
    MonthContext, Position, Request, RollCallList, Verification, verify,
};
use kinerja::policy::Policy;
use kinerja::rollcall::{Ceremony, RollCallKind, RollCallMark};
use kinerja::{DateRange, Minutes, YearMonth};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use rust_decimal::Decimal;

mod common;
use common::*;

/// A NIP the test city does not have.
const STRANGER: &str = "199912122020121009";

/// Everyone who may try a command: the city's people, officials and devices, and
/// ids the city does not know.
const ACTORS: [&str; 15] = [
    HEAD,
    KASI,
    STAFF,
    PEER,
    KABAN,
    HR1,
    HR2,
    ATT,
    FP_DINAS,
    FACE_BKD,
    WALIKOTA,
    WAKIL,
    STRANGER,
    "device:NOWHERE",
    "official:NOBODY",
];

/// Whose records commands name (the last is not in the city).
const EMPLOYEES: [&str; 9] = [STAFF, PEER, KASI, HEAD, KABAN, HR1, HR2, ATT, STRANGER];

fn month() -> YearMonth {
    YearMonth::new(2026, 10).expect("month")
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A runner with `default` cases (or `PROPTEST_CASES`), a fixed seed unless
/// `PROPTEST_RNG_SEED` is set, and no regression files.
fn runner(default: u32) -> TestRunner {
    let mut config = Config { cases: cases(default), failure_persistence: None, ..Config::default() };
    if std::env::var("PROPTEST_RNG_SEED").is_err() {
        config.rng_seed = RngSeed::Fixed(0x4b49_4e45_524a_4131);
    }
    TestRunner::new(config)
}

// ---------------------------------------------------------------------------
// Operations: recipes that become requests against the ledger as it stands
// ---------------------------------------------------------------------------

/// Who issues a command: the actor entitled to it, or anyone from [`ACTORS`].
#[derive(Clone, Debug)]
enum Who {
    Right,
    Any(usize),
}

#[derive(Clone, Debug)]
enum Dec {
    Approve,
    ApproveAt(i64),
    Reject { blank: bool },
    Return { blank: bool },
}

#[derive(Clone, Debug)]
enum Op {
    Log { who: Who, emp: usize, back: u32, slot: u32, len: u32, qty: i64, other_task: bool },
    Edit { who: Who, entry: usize, back: u32, slot: u32, len: u32, qty: i64 },
    Resubmit { who: Who, entry: usize },
    Verify { who: Who, entry: usize, dec: Dec },
    VerifyMany { who: Who, items: Vec<(usize, Dec)> },
    Clock { who: Who, emp: usize, out: bool, before: i64, phone: bool },
    Absence { who: Who, emp: usize, back: u32, days: u32, kind: usize, evidence: bool },
    RollCall { who: Who, kind: u8, attended: Vec<usize>, absent: Vec<usize>, back: u32 },
    Mark { who: Who, emp: usize, kind: u8, attended: bool, back: u32 },
    Ceremony { who: Who, day: u32, blank: bool },
    ExtraTask { who: Who, emp: usize, id: u8, minutes: i64, days: Option<u32> },
    Close { who: Who },
    Reopen { who: Who, blank: bool },
}

/// When: minutes the clock moves on; sometimes a request dated back (which the
/// ledger must refuse when it goes behind the last record time), sometimes made
/// earlier and received now, sometimes with an idempotency key from a small pool.
#[derive(Clone, Debug)]
struct Timing {
    advance: i64,
    back: Option<i64>,
    late: Option<i64>,
    key: Option<u8>,
}

#[derive(Clone, Debug)]
struct Step {
    op: Op,
    when: Timing,
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![4 => Just(Who::Right), 1 => (0..ACTORS.len()).prop_map(Who::Any)]
}

/// A quantity: mostly a plausible one, sometimes zero or negative.
fn qty() -> impl Strategy<Value = i64> {
    prop_oneof![9 => 1..7i64, 1 => -1..=0i64]
}

fn emp() -> impl Strategy<Value = usize> {
    // Mostly the two staff, who have a task to log.
    prop_oneof![6 => 0..2usize, 3 => 0..EMPLOYEES.len()]
}

fn dec() -> impl Strategy<Value = Dec> {
    prop_oneof![
        5 => Just(Dec::Approve),
        1 => (0..6i64).prop_map(Dec::ApproveAt),
        2 => prop::bool::weighted(0.1).prop_map(|blank| Dec::Reject { blank }),
        2 => prop::bool::weighted(0.1).prop_map(|blank| Dec::Return { blank }),
    ]
}

const ABSENCES: [AbsenceKind; 8] = [
    AbsenceKind::Permit,
    AbsenceKind::Sick { doctor_note: false },
    AbsenceKind::Sick { doctor_note: true },
    AbsenceKind::Unexcused,
    AbsenceKind::Leave(LeaveKind::Annual),
    AbsenceKind::Leave(LeaveKind::Unpaid),
    AbsenceKind::OfficialTravel,
    AbsenceKind::OffSiteHalfDay { replaces: ClockDirection::In },
];

fn op() -> impl Strategy<Value = Op> {
    let entry = 0..64usize;
    prop_oneof![
        8 => (who(), emp(), 0..4u32, 0..24u32, 1..9u32, qty(), prop::bool::weighted(0.05)).prop_map(
            |(who, emp, back, slot, len, qty, other_task)| Op::Log { who, emp, back, slot, len, qty, other_task }
        ),
        2 => (who(), entry.clone(), 0..4u32, 0..24u32, 1..9u32, qty())
            .prop_map(|(who, entry, back, slot, len, qty)| Op::Edit { who, entry, back, slot, len, qty }),
        2 => (who(), entry.clone()).prop_map(|(who, entry)| Op::Resubmit { who, entry }),
        6 => (who(), entry.clone(), dec()).prop_map(|(who, entry, dec)| Op::Verify { who, entry, dec }),
        2 => (who(), prop::collection::vec((entry.clone(), dec()), 0..4))
            .prop_map(|(who, items)| Op::VerifyMany { who, items }),
        5 => (who(), emp(), any::<bool>(), -10..600i64, prop::bool::weighted(0.3))
            .prop_map(|(who, emp, out, before, phone)| Op::Clock { who, emp, out, before, phone }),
        2 => (who(), emp(), 0..5u32, 0..4u32, 0..ABSENCES.len(), prop::bool::weighted(0.9))
            .prop_map(|(who, emp, back, days, kind, evidence)| Op::Absence { who, emp, back, days, kind, evidence }),
        2 => (
            who(),
            0..3u8,
            prop::collection::vec(0..EMPLOYEES.len(), 0..4),
            prop::collection::vec(0..EMPLOYEES.len(), 0..2),
            0..3u32
        )
            .prop_map(|(who, kind, attended, absent, back)| Op::RollCall { who, kind, attended, absent, back }),
        2 => (who(), emp(), 0..3u8, any::<bool>(), 0..3u32)
            .prop_map(|(who, emp, kind, attended, back)| Op::Mark { who, emp, kind, attended, back }),
        1 => (who(), 1..33u32, prop::bool::weighted(0.1))
            .prop_map(|(who, day, blank)| Op::Ceremony { who, day, blank }),
        1 => (who(), emp(), 0..4u8, -5..60i64, prop::option::of(0..10u32))
            .prop_map(|(who, emp, id, minutes, days)| Op::ExtraTask { who, emp, id, minutes, days }),
        1 => who().prop_map(|who| Op::Close { who }),
        3 => (who(), prop::bool::weighted(0.1)).prop_map(|(who, blank)| Op::Reopen { who, blank }),
    ]
}

fn timing() -> impl Strategy<Value = Timing> {
    (
        0..1500i64,
        prop::option::weighted(0.08, 1..3000i64),
        prop::option::weighted(0.08, 1..9000i64),
        prop::option::weighted(0.1, 0..4u8),
    )
        .prop_map(|(advance, back, late, key)| Timing { advance, back, late, key })
}

/// A sequence: a prefix of [`script`] (so that there is something to verify,
/// resubmit or edit), then random steps.
fn steps(max: usize) -> impl Strategy<Value = Vec<Step>> {
    let script = script();
    let len = script.len();
    (0..=len, prop::collection::vec((op(), timing()).prop_map(|(op, when)| Step { op, when }), 1..max)).prop_map(
        move |(n, tail)| {
            let mut all = script[..n].to_vec();
            all.extend(tail);
            all
        },
    )
}

/// A short script of valid commands, so that every kind of event the mutation
/// properties need is usually in the journal: two logs, an approval, a rejection, a
/// return and resubmission, a clock, an absence, a ceremony and a roll call.
fn script() -> Vec<Step> {
    let at = |advance: i64| Timing { advance, back: None, late: None, key: None };
    let dec = |entry, dec| Op::Verify { who: Who::Right, entry, dec };
    let log = |emp, slot| Op::Log { who: Who::Right, emp, back: 0, slot, len: 4, qty: 3, other_task: false };
    vec![
        Step { op: Op::Clock { who: Who::Right, emp: 0, out: false, before: 30, phone: false }, when: at(30) },
        Step { op: log(0, 0), when: at(540) },
        Step { op: log(1, 4), when: at(5) },
        Step { op: log(0, 8), when: at(5) },
        Step { op: dec(0, Dec::Approve), when: at(60) },
        Step { op: dec(1, Dec::Reject { blank: false }), when: at(5) },
        Step { op: dec(2, Dec::Return { blank: false }), when: at(5) },
        Step { op: Op::Resubmit { who: Who::Right, entry: 2 }, when: at(5) },
        Step { op: Op::Absence { who: Who::Right, emp: 1, back: 0, days: 0, kind: 4, evidence: true }, when: at(5) },
        Step { op: Op::Ceremony { who: Who::Right, day: 17, blank: false }, when: at(5) },
        Step {
            op: Op::RollCall { who: Who::Right, kind: 0, attended: vec![0, 1], absent: vec![], back: 0 },
            when: at(5),
        },
    ]
}

/// The supervisor who verifies `nip`'s work in the test city.
fn verifier_of(nip: &str) -> &'static str {
    match nip {
        STAFF | PEER => KASI,
        KASI => HEAD,
        HR1 | HR2 | ATT => KABAN,
        _ => WALIKOTA,
    }
}

fn in_dinas(nip: &str) -> bool {
    [HEAD, KASI, STAFF, PEER].contains(&nip)
}

/// Turns recipes into requests against the ledger as it stands.
struct Driver {
    now: NaiveDateTime,
}

impl Driver {
    fn new() -> Driver {
        Driver { now: at(d(2026, 10, 1), 7, 0) }
    }

    fn actor(&self, who: &Who, right: &str) -> String {
        match who {
            Who::Right => right.to_string(),
            Who::Any(i) => ACTORS[*i].to_string(),
        }
    }

    /// An entry of the ledger, mostly one in `wanted` status, now and then any
    /// other or one that does not exist.
    fn entry(l: &Ledger, pick: usize, wanted: &[VerificationStatus]) -> (ActivityId, Option<String>) {
        let entries = &l.state().entries;
        let n = entries.len();
        let fitting: Vec<ActivityId> = entries.iter().filter(|e| wanted.contains(&e.status)).map(|e| e.id).collect();
        let id = match pick % 16 {
            15 => ActivityId(n as u64 + 1),
            12..=14 if n > 0 => ActivityId((pick % n) as u64 + 1),
            _ if !fitting.is_empty() => fitting[pick % fitting.len()],
            _ => ActivityId((pick % (n + 1)) as u64 + 1),
        };
        (id, l.entry(id).map(|e| e.employee.to_string()))
    }

    fn request(&mut self, l: &Ledger, step: &Step) -> Request {
        let t = &step.when;
        self.now += Duration::minutes(t.advance);
        let mut made = self.now;
        if let Some(b) = t.back {
            made -= Duration::minutes(b);
        }
        let mut received = None;
        if let Some(late) = t.late {
            received = Some(made);
            made -= Duration::minutes(late);
        }
        let today = made.date();
        let before = |days: u32| today - Duration::days(i64::from(days));
        let activity = |emp: &str, back: u32, slot: u32, len: u32, qty: i64, task: &str| ActivityInput {
            employee: nip(emp),
            date: before(back),
            start: t_(7, 30) + Duration::minutes(i64::from(slot) * 15),
            end: t_(7, 30) + Duration::minutes(i64::from(slot + len) * 15),
            task: task.into(),
            quantity: qty,
            description: "Agenda surat masuk".into(),
            evidence: None,
        };
        let (actor, command) = match &step.op {
            Op::Log { who, emp, back, slot, len, qty, other_task } => {
                let e = EMPLOYEES[*emp];
                let task = if *other_task { "EXTRA-1" } else { "STAF-T1" };
                (self.actor(who, e), Command::LogActivity { input: activity(e, *back, *slot, *len, *qty, task) })
            }
            Op::Edit { who, entry, back, slot, len, qty } => {
                let (id, owner) =
                    Driver::entry(l, *entry, &[VerificationStatus::Submitted, VerificationStatus::Returned]);
                let e = owner.unwrap_or_else(|| STAFF.to_string());
                let input = activity(&e, *back, *slot, *len, *qty, "STAF-T1");
                (self.actor(who, &e), Command::EditActivity { id, input })
            }
            Op::Resubmit { who, entry } => {
                let (id, owner) = Driver::entry(l, *entry, &[VerificationStatus::Returned]);
                (self.actor(who, owner.as_deref().unwrap_or(STAFF)), Command::Resubmit { id })
            }
            Op::Verify { who, entry, dec } => {
                let (id, owner) = Driver::entry(l, *entry, &[VerificationStatus::Submitted]);
                let actor = self.actor(who, verifier_of(owner.as_deref().unwrap_or(STAFF)));
                (actor, Command::Verify { id, decision: decision(l, id, dec) })
            }
            Op::VerifyMany { who, items } => {
                let mut owner = None;
                let decisions = items
                    .iter()
                    .map(|(pick, dec)| {
                        let (id, o) = Driver::entry(l, *pick, &[VerificationStatus::Submitted]);
                        owner = owner.take().or(o);
                        (id, decision(l, id, dec))
                    })
                    .collect();
                let actor = self.actor(who, verifier_of(owner.as_deref().unwrap_or(STAFF)));
                (actor, Command::VerifyMany { decisions })
            }
            Op::Clock { who, emp, out, before, phone } => {
                let e = EMPLOYEES[*emp];
                let (right, source) = if *phone {
                    let source = ClockSource::Mobile {
                        latitude: Decimal::new(55_483, 4),
                        longitude: Decimal::new(953_238, 4),
                        accuracy_m: Some(12),
                    };
                    (e, source)
                } else if in_dinas(e) {
                    (FP_DINAS, ClockSource::Fingerprint)
                } else {
                    (FACE_BKD, ClockSource::Face)
                };
                let event = ClockEvent {
                    employee: nip(e),
                    at: made - Duration::minutes(*before),
                    direction: if *out { ClockDirection::Out } else { ClockDirection::In },
                    source,
                    geofence: None,
                };
                (self.actor(who, right), Command::RecordClock { event })
            }
            Op::Absence { who, emp, back, days, kind, evidence } => {
                let e = EMPLOYEES[*emp];
                let start = before(*back);
                let absence = Absence {
                    employee: nip(e),
                    range: DateRange { start, end: start + Duration::days(i64::from(*days)) },
                    kind: ABSENCES[*kind],
                    evidence: evidence.then(|| "SK 800/1".to_string()),
                    note: None,
                };
                let right = if *emp % 2 == 0 { HR1 } else { HR2 };
                (self.actor(who, right), Command::RecordAbsence { absence })
            }
            Op::RollCall { who, kind, attended, absent, back } => {
                let first = attended.first().or(absent.first()).map_or(STAFF, |&i| EMPLOYEES[i]);
                let list = RollCallList {
                    date: before(*back),
                    kind: roll_call_kind(*kind),
                    attended: attended.iter().map(|&i| nip(EMPLOYEES[i])).collect(),
                    absent: absent.iter().map(|&i| nip(EMPLOYEES[i])).collect(),
                };
                let right = if in_dinas(first) { ATT } else { HR2 };
                (self.actor(who, right), Command::RecordRollCall { list })
            }
            Op::Mark { who, emp, kind, attended, back } => {
                let e = EMPLOYEES[*emp];
                let mark = RollCallMark {
                    employee: nip(e),
                    date: before(*back),
                    kind: roll_call_kind(*kind),
                    attended: *attended,
                };
                let right = if in_dinas(e) { ATT } else { HR2 };
                (self.actor(who, right), Command::MarkRollCall { mark })
            }
            Op::Ceremony { who, day, blank } => {
                let date = d(2026, 10, 1) + Duration::days(i64::from(*day) - 1);
                let name = if *blank { " ".to_string() } else { "Hari Kesadaran Nasional".to_string() };
                (self.actor(who, HR1), Command::DeclareCeremony { ceremony: Ceremony { date, name } })
            }
            Op::ExtraTask { who, emp, id, minutes, days } => {
                let e = EMPLOYEES[*emp];
                let from = if YearMonth::of(today) == month() { today } else { d(2026, 10, 1) };
                let task = ExtraTask {
                    id: format!("EXTRA-{id}").as_str().into(),
                    employee: nip(e),
                    name: "Menyusun laporan".into(),
                    output_unit: "laporan".into(),
                    standard_minutes: Minutes(*minutes),
                    from,
                    until: days.map(|n| from + Duration::days(i64::from(n))),
                };
                (self.actor(who, verifier_of(e)), Command::RegisterExtraTask { task })
            }
            Op::Close { who } => (self.actor(who, HR1), Command::CloseMonth),
            Op::Reopen { who, blank } => {
                let closer = l.state().closed.as_ref().map(|c| c.by.to_string());
                let right = if closer.as_deref() == Some(HR1) { HR2 } else { HR1 };
                let reason = if *blank { String::new() } else { "Koreksi absensi".to_string() };
                (self.actor(who, right), Command::ReopenMonth { reason })
            }
        };
        let mut r = req(&actor, made, command);
        r.received_at = received;
        r.key = t.key.map(|k| format!("key-{k}"));
        r
    }
}

fn t_(h: u32, m: u32) -> chrono::NaiveTime {
    t(h, m)
}

fn roll_call_kind(k: u8) -> RollCallKind {
    match k {
        0 => RollCallKind::Morning,
        1 => RollCallKind::Afternoon,
        _ => RollCallKind::Ceremony,
    }
}

fn decision(l: &Ledger, id: ActivityId, dec: &Dec) -> Decision {
    let reason = |blank: bool| if blank { "  ".to_string() } else { "Lampirkan bukti".to_string() };
    match dec {
        Dec::Approve => Decision::Approve { quantity: None },
        // A lower quantity than claimed (or an impossible one).
        Dec::ApproveAt(q) => Decision::Approve { quantity: Some(l.entry(id).map_or(*q, |e| e.quantity.min(*q))) },
        Dec::Reject { blank } => Decision::Reject { reason: reason(*blank) },
        Dec::Return { blank } => Decision::Return { reason: reason(*blank) },
    }
}

// ---------------------------------------------------------------------------
// Running a sequence
// ---------------------------------------------------------------------------

struct Fixture {
    city: City,
    policy: Policy,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture { city: city(), policy: Policy::national() }
    }

    fn ctx(&self) -> MonthContext<'_> {
        MonthContext::new(&self.city, &self.policy, month()).expect("context")
    }
}

/// What one command did: its event, or the code of its refusal.
type Outcome = Result<Event, &'static str>;

/// Tally of outcomes per command and refusal code, over a whole run.
#[derive(Default)]
struct Tally {
    accepted: BTreeMap<&'static str, usize>,
    refused: BTreeMap<&'static str, usize>,
    codes: BTreeMap<(&'static str, &'static str), usize>,
}

/// Executes one request; when it is refused, checks that nothing changed; when it
/// is accepted with a key, checks that a retry is refused.
fn execute(ctx: &MonthContext<'_>, l: &mut Ledger, r: Request) -> Result<Outcome, TestCaseError> {
    let state = l.state().clone();
    let head = l.head();
    let events = l.events().len();
    let last = l.events().last().cloned();
    let what = format!("{} by {} at {}", r.command.name(), r.actor, r.at);
    let retry = r.key.is_some().then(|| r.clone());
    match l.execute(ctx, r) {
        Ok(e) => {
            let e = e.clone();
            // The same keyed request again (an upload retried) is refused, names
            // the event that applied it, and changes nothing.
            if let Some(retry) = retry {
                let state = l.state().clone();
                match l.execute(ctx, retry) {
                    Err(LedgerError::DuplicateKey { seq, .. }) => prop_assert_eq!(seq, e.seq),
                    other => prop_assert!(false, "{} retried with its key: {:?}", what, other.map(|e| e.seq)),
                }
                prop_assert_eq!(l.state(), &state);
                prop_assert_eq!(l.head(), e.head());
            }
            Ok(Ok(e))
        }
        Err(err) => {
            prop_assert_eq!(l.state(), &state, "refused {} ({}) changed the state", what, err);
            prop_assert_eq!(l.head(), head, "refused {} ({}) moved the head", what, err);
            prop_assert_eq!(l.events().len(), events, "refused {} ({}) changed the journal", what, err);
            prop_assert_eq!(l.events().last(), last.as_ref(), "refused {} changed the last event", what);
            Ok(Err(err.code()))
        }
    }
}

/// Runs `steps` on a new ledger; gives the ledger, the requests and their outcomes.
fn run(
    ctx: &MonthContext<'_>,
    steps: &[Step],
    tally: Option<&RefCell<Tally>>,
) -> Result<(Ledger, Vec<Request>, Vec<Outcome>), TestCaseError> {
    let mut l = Ledger::new(month());
    let mut driver = Driver::new();
    let mut requests = Vec::with_capacity(steps.len());
    let mut outcomes = Vec::with_capacity(steps.len());
    for step in steps {
        let r = driver.request(&l, step);
        let name = r.command.name();
        let outcome = execute(ctx, &mut l, r.clone())?;
        if let Some(t) = tally {
            let mut t = t.borrow_mut();
            match &outcome {
                Ok(_) => *t.accepted.entry(name).or_default() += 1,
                Err(code) => {
                    *t.refused.entry(name).or_default() += 1;
                    *t.codes.entry((name, code)).or_default() += 1;
                }
            }
        }
        requests.push(r);
        outcomes.push(outcome);
    }
    Ok((l, requests, outcomes))
}

fn same_ledger(a: &Ledger, b: &Ledger, what: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.state(), b.state(), "{}: state differs", what);
    prop_assert_eq!(a.head(), b.head(), "{}: head differs", what);
    Ok(())
}

// ---------------------------------------------------------------------------
// Replay equals the live state; refused commands change nothing
// ---------------------------------------------------------------------------

#[test]
fn replay_from_memory_text_and_binary_equals_the_live_ledger() {
    let f = Fixture::new();
    let ctx = f.ctx();
    let tally = RefCell::new(Tally::default());
    const CASES: u32 = 96;
    runner(CASES)
        .run(&steps(48), |steps| {
            let (live, requests, _) = run(&ctx, &steps, Some(&tally))?;
            let journal = live.journal();
            prop_assert_eq!(journal.events.len() as u64, live.head().seq);

            let replayed = Ledger::replay(&ctx, &journal).map_err(|e| TestCaseError::fail(format!("replay: {e}")))?;
            same_ledger(&replayed, &live, "replay")?;
            prop_assert_eq!(replayed.events(), live.events());

            for format in [JournalFormat::Text, JournalFormat::Binary] {
                let bytes = journal.write(Vec::new(), format).expect("written");
                let reader = JournalReader::new(bytes.as_slice()).expect("header");
                prop_assert_eq!(reader.format(), format);
                let (l, torn) = Ledger::from_reader(&ctx, reader, true)
                    .map_err(|e| TestCaseError::fail(format!("{format:?}: {e}")))?;
                prop_assert!(torn.is_none());
                same_ledger(&l, &live, &format!("{format:?}"))?;
                prop_assert_eq!(l.events(), live.events());
                let (read, torn) = Journal::read(bytes.as_slice()).expect("read");
                prop_assert!(torn.is_none());
                prop_assert_eq!(&read, &journal);
                let v = verify(bytes.as_slice(), Some(live.head())).expect("verify");
                prop_assert!(v.holds(), "{:?}: {:?}", format, v.problem);
                prop_assert_eq!(v.events, live.head().seq);
            }

            // The same month as a version 2 journal (each event hashed in version 2's
            // canonical form): both forms read back the same, verify by their own
            // chain and replay to the same state, at the version 2 head.
            let mut v2 = journal.clone();
            v2.header.version = 2;
            let mut buf = Vec::new();
            let mut prev = v2.header.start.hash;
            for e in &mut v2.events {
                e.prev = prev;
                e.hash = e.compute_hash_in(2, &mut buf);
                prev = e.hash;
            }
            for format in [JournalFormat::Text, JournalFormat::Binary] {
                let bytes = v2.write(Vec::new(), format).expect("written");
                let (read, torn) = Journal::read(bytes.as_slice()).expect("read");
                prop_assert!(torn.is_none());
                prop_assert_eq!(&read, &v2);
                let v = verify(bytes.as_slice(), Some(v2.head())).expect("verify");
                prop_assert!(v.holds(), "v2 {:?}: {:?}", format, v.problem);
                let (l, _) = Ledger::from_reader(&ctx, JournalReader::new(bytes.as_slice()).expect("header"), false)
                    .map_err(|e| TestCaseError::fail(format!("v2 {format:?}: {e}")))?;
                prop_assert_eq!(l.state(), live.state(), "v2 {:?}: state differs", format);
                prop_assert_eq!(l.head(), v2.head());
            }

            // A streaming ledger fed the same requests ends at the same head and state.
            let mut streaming = Ledger::streaming(month());
            for r in requests {
                let _ = streaming.execute(&ctx, r);
            }
            same_ledger(&streaming, &live, "streaming")?;
            prop_assert!(streaming.events().is_empty());
            Ok(())
        })
        .unwrap();
    // The draw reached every command, accepted and refused, and the main refusals
    // (with at least the default number of cases).
    let t = tally.into_inner();
    if cases(CASES) < CASES {
        return;
    }
    for name in [
        "log_activity",
        "edit_activity",
        "resubmit",
        "verify",
        "verify_many",
        "register_extra_task",
        "record_clock",
        "record_absence",
        "mark_roll_call",
        "record_roll_call",
        "declare_ceremony",
        "close_month",
        "reopen_month",
    ] {
        assert!(t.accepted.get(name).copied().unwrap_or(0) > 0, "`{name}` never accepted: {:?}", t.accepted);
        assert!(t.refused.get(name).copied().unwrap_or(0) > 0, "`{name}` never refused: {:?}", t.refused);
    }
    for code in [
        "not_authorised",
        "unknown_employee",
        "unknown_entry",
        "out_of_order",
        "month_closed",
        "duplicate_key",
        "invalid_transition",
        "non_working_day",
        "overlapping_entry",
        "claim_too_old",
    ] {
        assert!(t.codes.keys().any(|(_, c)| *c == code), "no `{code}` refusal: {:?}", t.codes);
    }
}

// ---------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------

#[test]
fn snapshot_round_trip_and_numbering_after_it() {
    let f = Fixture::new();
    let ctx = f.ctx();
    runner(64)
        .run(&(steps(40), any::<prop::sample::Index>()), |(steps, cut)| {
            let cut = cut.index(steps.len() + 1);
            let (before, after) = steps.split_at(cut);
            let (mut live, _, _) = run(&ctx, before, None)?;
            let snap = live.snapshot();
            // The snapshot as JSON and back is the same snapshot.
            let text = serde_json::to_string(&snap).expect("serialises");
            let snap2: kinerja::ledger::Snapshot = serde_json::from_str(&text).expect("parses");
            prop_assert_eq!(&snap2, &snap);
            let mut restored = Ledger::from_snapshot(&ctx, snap2, &live.head())
                .map_err(|e| TestCaseError::fail(format!("from_snapshot: {e}")))?;
            same_ledger(&restored, &live, "restored")?;

            // The same requests after the snapshot give the same outcomes on both.
            let mut driver = Driver::new();
            // Bring the driver's clock to where the first part left it.
            for s in before {
                driver.now += Duration::minutes(s.when.advance);
            }
            let mut segment = Vec::new();
            for step in after {
                let r = driver.request(&live, step);
                let a = execute(&ctx, &mut live, r.clone())?;
                let b = execute(&ctx, &mut restored, r)?;
                prop_assert_eq!(&a, &b);
                if let Ok(e) = b {
                    segment.push(e);
                }
            }
            same_ledger(&restored, &live, "after the snapshot")?;
            // Numbering goes on from the snapshot's head.
            for (i, e) in restored.events().iter().enumerate() {
                prop_assert_eq!(e.seq, snap.head.seq + 1 + i as u64);
            }
            prop_assert_eq!(restored.events(), &segment[..]);
            prop_assert_eq!(restored.header().start, snap.head);

            // The segment journal continues a ledger loaded from the snapshot.
            let third = Ledger::from_snapshot(&ctx, snap.clone(), &snap.head).expect("loads again");
            for format in [JournalFormat::Text, JournalFormat::Binary] {
                let bytes = restored.journal().write(Vec::new(), format).expect("written");
                let mut l = third.clone();
                let torn = l
                    .continue_from(&ctx, JournalReader::new(bytes.as_slice()).expect("header"))
                    .map_err(|e| TestCaseError::fail(format!("continue_from {format:?}: {e}")))?;
                prop_assert!(torn.is_none());
                same_ledger(&l, &live, "continued")?;
            }

            // A snapshot whose state was altered, or shown against another head, is refused.
            if live.head().seq > 0 && snap.head.seq > 0 {
                let mut other = snap.clone();
                other.state.clocks.clear();
                other.state.entries.clear();
                if other.state != snap.state {
                    prop_assert!(Ledger::from_snapshot(&ctx, other, &snap.head).is_err());
                }
                let wrong = Head { seq: snap.head.seq + 1, hash: snap.head.hash };
                prop_assert!(Ledger::from_snapshot(&ctx, snap.clone(), &wrong).is_err());
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------

/// A journal of the script and random steps, with at least `min` events.
fn journal_of(ctx: &MonthContext<'_>, tail: &[Step]) -> Result<(Ledger, Journal), TestCaseError> {
    let mut all = script();
    all.extend(tail.iter().cloned());
    let (l, _, _) = run(ctx, &all, None)?;
    let j = l.journal();
    Ok((l, j))
}

fn bytes(j: &Journal, format: JournalFormat) -> Vec<u8> {
    j.write(Vec::new(), format).expect("written")
}

fn check(j: &Journal, format: JournalFormat, anchor: Option<Head>) -> Verification {
    verify(bytes(j, format).as_slice(), anchor).expect("the header reads")
}

/// Changes one thing the event says, keeping its stored hash.
fn tweak(e: &mut Event, choice: u8) {
    let before = e.canonical_bytes();
    match (choice % 4, &mut e.kind) {
        (0, EventKind::ActivityLogged(c) | EventKind::ActivityEdited(c)) => c.input.quantity += 1,
        (0, EventKind::Transitions(b)) => {
            let item = &mut b.items[0];
            item.to = if item.to == VerificationStatus::Approved {
                VerificationStatus::Rejected
            } else {
                VerificationStatus::Approved
            };
        }
        (0, EventKind::ClockRecorded(c)) => c.at += Duration::minutes(1),
        (0, EventKind::AbsenceRecorded(a)) => a.range.end = a.range.end.succ_opt().expect("date"),
        (0, EventKind::RollCallRecorded(l)) => l.attended.reverse(),
        (0, EventKind::CeremonyDeclared(c)) => c.name.push('!'),
        (0, EventKind::MonthReopened(r)) => r.reason.push('!'),
        (1, _) => e.actor = actor(if e.actor == actor(PEER) { STAFF } else { PEER }),
        (2, _) => e.key = Some(format!("{}x", e.key.clone().unwrap_or_default())),
        _ => e.at -= Duration::minutes(1),
    }
    if e.canonical_bytes() == before {
        // A reversed list of one, say: change the time instead.
        e.at += Duration::seconds(1);
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    Edit {
        at: prop::sample::Index,
        choice: u8,
    },
    Remove {
        at: prop::sample::Index,
    },
    Swap {
        a: prop::sample::Index,
        b: prop::sample::Index,
    },
    /// A copy of one event inserted at another place.
    Copy {
        from: prop::sample::Index,
        to: prop::sample::Index,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, choice)| Mutation::Edit { at, choice }),
        any::<prop::sample::Index>().prop_map(|at| Mutation::Remove { at }),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(a, b)| Mutation::Swap { a, b }),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(from, to)| Mutation::Copy { from, to }),
    ]
}

/// What `verify` must say about a mutated journal: the first event that differs
/// from the original (its position and the number it carries), and the fault
/// where only one kind fits.
#[derive(Debug)]
struct Expected {
    /// Index of the first event that differs; `None` when the mutated journal is a
    /// prefix of the original (the last event removed).
    position: Option<usize>,
    /// The fault when it is unambiguous.
    fault: Option<ChainFault>,
}

fn mutate(events: &mut Vec<Event>, m: &Mutation) -> Option<Expected> {
    let n = events.len();
    match m {
        Mutation::Edit { at, choice } => {
            let i = at.index(n);
            tweak(&mut events[i], *choice);
            Some(Expected { position: Some(i), fault: Some(ChainFault::Edited) })
        }
        Mutation::Remove { at } => {
            let i = at.index(n);
            events.remove(i);
            let position = (i < n - 1).then_some(i);
            Some(Expected { position, fault: position.map(|_| ChainFault::Removed) })
        }
        Mutation::Swap { a, b } => {
            let (a, b) = (a.index(n), b.index(n));
            if a == b {
                return None;
            }
            events.swap(a, b);
            Some(Expected { position: Some(a.min(b)), fault: None })
        }
        Mutation::Copy { from, to } => {
            let from = from.index(n);
            let to = to.index(n + 1);
            if to == from || to == from + 1 {
                // Right after itself: a duplicate of the event just accepted.
                let copy = events[from].clone();
                events.insert(from + 1, copy);
                return Some(Expected { position: Some(from + 1), fault: Some(ChainFault::Duplicated) });
            }
            let copy = events[from].clone();
            events.insert(to, copy);
            // Copied forward it repeats an accepted event; copied back it comes
            // before its turn (reordered, or events skipped: either reading holds).
            let fault = (to > from).then_some(ChainFault::Duplicated);
            Some(Expected { position: Some(to), fault })
        }
    }
}

fn check_detected(
    original: &Journal,
    mutated: &Journal,
    expected: &Expected,
    format: JournalFormat,
) -> Result<(), TestCaseError> {
    let head = original.head();
    let v = check(mutated, format, Some(head));
    match expected.position {
        None => {
            // The last event removed: the rest is a valid chain, caught by the anchor only.
            prop_assert!(check(mutated, format, None).holds());
            let p = v.problem.as_ref().expect("the anchor catches a removed last event");
            prop_assert_eq!(p.fault, ChainFault::HeadMismatch);
        }
        Some(i) => {
            let p = v.problem.as_ref().ok_or_else(|| TestCaseError::fail(format!("{format:?}: not detected")))?;
            prop_assert_eq!(v.events, i as u64, "{:?}: events passed before the fault ({:?})", format, p);
            prop_assert_eq!(p.seq, mutated.events[i].seq, "{:?}: the fault's event ({:?})", format, p);
            match (format, p.position) {
                (JournalFormat::Text, Some(Position::Line(line))) => prop_assert_eq!(line, i as u64 + 2),
                (JournalFormat::Binary, Some(Position::Record { number, .. })) => {
                    prop_assert_eq!(number, i as u64 + 1)
                }
                (_, other) => prop_assert!(false, "{:?}: position {:?}", format, other),
            }
            if let Some(fault) = expected.fault {
                prop_assert_eq!(p.fault, fault, "{:?}: {}", format, p);
            }
        }
    }
    Ok(())
}

/// Any single change, removal, swap, duplicate or copy of an event is named by
/// `verify` at the first event that differs, in both forms, and refused by replay.
#[test]
fn any_single_tampering_is_detected() {
    let f = Fixture::new();
    let ctx = f.ctx();
    runner(128)
        .run(&(steps(16), mutation()), |(tail, m)| {
            let (_, original) = journal_of(&ctx, &tail)?;
            prop_assume!(original.events.len() >= 2);
            let mut mutated = original.clone();
            let Some(expected) = mutate(&mut mutated.events, &m) else { return Ok(()) };
            prop_assert_ne!(&mutated, &original);
            check_detected(&original, &mutated, &expected, JournalFormat::Text)?;
            check_detected(&original, &mutated, &expected, JournalFormat::Binary)?;

            // Replay refuses it at the same event, or (last event removed) ends
            // before the original head.
            match (Ledger::replay(&ctx, &mutated), expected.position) {
                (Err(e), Some(i)) => {
                    let LedgerError::Replay { seq, .. } = &e else {
                        return Err(TestCaseError::fail(format!("not a replay error: {e}")));
                    };
                    prop_assert_eq!(*seq, mutated.events[i].seq, "{}", e);
                    prop_assert_eq!(e.root().code(), "chain", "{}", e);
                }
                (Ok(l), None) => prop_assert_ne!(l.head(), original.head()),
                (other, _) => prop_assert!(false, "replay: {:?}", other.map(|l| l.head())),
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------
// Forgeries with the chain recomputed
// ---------------------------------------------------------------------------

/// Recomputes every hash from event `from` on, as a forger would.
fn rechain(j: &mut Journal, from: usize) {
    for i in from..j.events.len() {
        let prev = if i == 0 { j.header.start.hash } else { j.events[i - 1].hash };
        let e = &mut j.events[i];
        e.prev = prev;
        e.hash = e.compute_hash();
    }
}

/// A peer of `nip`: someone of the city who does not verify their work.
fn peer_of(nip: &str) -> &'static str {
    match nip {
        STAFF => PEER,
        PEER | KASI => STAFF,
        HEAD => KABAN,
        KABAN => HEAD,
        HR1 => HR2,
        _ => HR1,
    }
}

#[derive(Clone, Copy, Debug)]
enum Forgery {
    /// An approval re-attributed to a peer of the employee.
    ApprovalByPeer,
    /// A rejection turned into an approval (only the status changed).
    RejectionApproved,
    /// An approval of more than was claimed.
    ApprovedAboveClaim,
    /// A negative quantity logged.
    NegativeQuantity,
    /// Work dated on a Saturday.
    Saturday,
    /// A decision dated before the entry was submitted (record time kept).
    DecidedBeforeSubmission,
    /// A log by someone else for the employee.
    LoggedByAnother,
    /// A clock event from the other unit's reader.
    ClockFromWrongDevice,
    /// An absence recorded by someone who is not an HR officer.
    AbsenceBySomeoneElse,
}

const FORGERIES: [Forgery; 9] = [
    Forgery::ApprovalByPeer,
    Forgery::RejectionApproved,
    Forgery::ApprovedAboveClaim,
    Forgery::NegativeQuantity,
    Forgery::Saturday,
    Forgery::DecidedBeforeSubmission,
    Forgery::LoggedByAnother,
    Forgery::ClockFromWrongDevice,
    Forgery::AbsenceBySomeoneElse,
];

/// The latest Saturday of October on or before `date` (the 3rd if none).
fn saturday_before(date: NaiveDate) -> NaiveDate {
    let mut s = date.min(d(2026, 10, 31));
    while s.weekday() != Weekday::Sat && s > d(2026, 10, 3) {
        s = s.pred_opt().expect("date");
    }
    if s.weekday() == Weekday::Sat { s } else { d(2026, 10, 3) }
}

/// When entry `id` was last submitted before event index `upto`.
fn submitted_at(events: &[Event], id: ActivityId, upto: usize) -> Option<NaiveDateTime> {
    let mut at = None;
    for e in &events[..upto] {
        match &e.kind {
            EventKind::ActivityLogged(c) if c.id == id => at = Some(e.at),
            EventKind::ActivityEdited(c) if c.id == id => at = Some(e.at),
            EventKind::Transitions(b)
                if b.items.iter().any(|t| t.entry == id && t.to == VerificationStatus::Submitted) =>
            {
                at = Some(e.at)
            }
            _ => {}
        }
    }
    at
}

/// Applies a forgery to one event that it fits (picked by `pick`); gives its index.
fn forge(j: &mut Journal, f: Forgery, pick: prop::sample::Index, ledger: &Ledger) -> Option<usize> {
    let fits = |e: &Event| match (&e.kind, f) {
        (EventKind::Transitions(b), Forgery::ApprovalByPeer | Forgery::ApprovedAboveClaim) => {
            b.items.len() == 1 && b.items[0].to == VerificationStatus::Approved
        }
        (EventKind::Transitions(b), Forgery::RejectionApproved) => {
            b.items.len() == 1 && b.items[0].to == VerificationStatus::Rejected
        }
        (EventKind::Transitions(b), Forgery::DecidedBeforeSubmission) => b.items.iter().all(|t| t.role.is_some()),
        (EventKind::ActivityLogged(_), Forgery::NegativeQuantity | Forgery::Saturday | Forgery::LoggedByAnother) => {
            true
        }
        (EventKind::ClockRecorded(c), Forgery::ClockFromWrongDevice) => !matches!(c.source, ClockSource::Mobile { .. }),
        (EventKind::AbsenceRecorded(_), Forgery::AbsenceBySomeoneElse) => true,
        _ => false,
    };
    let candidates: Vec<usize> = (0..j.events.len()).filter(|&i| fits(&j.events[i])).collect();
    if candidates.is_empty() {
        return None;
    }
    let i = *pick.get(&candidates);
    let events = j.events.clone();
    let e = &mut j.events[i];
    match (&mut e.kind, f) {
        (EventKind::Transitions(b), Forgery::ApprovalByPeer) => {
            let owner = ledger.entry(b.items[0].entry)?.employee.to_string();
            e.actor = actor(peer_of(&owner));
        }
        (EventKind::Transitions(b), Forgery::RejectionApproved) => b.items[0].to = VerificationStatus::Approved,
        (EventKind::Transitions(b), Forgery::ApprovedAboveClaim) => {
            let claimed = ledger.entry(b.items[0].entry)?.quantity;
            b.items[0].quantity = Some(claimed + 1);
        }
        (EventKind::Transitions(b), Forgery::DecidedBeforeSubmission) => {
            let submitted = submitted_at(&events, b.items[0].entry, i)?;
            e.received_at = Some(e.record_time());
            e.at = submitted - Duration::minutes(1);
        }
        (EventKind::ActivityLogged(c), Forgery::NegativeQuantity) => c.input.quantity = -c.input.quantity.abs() - 1,
        (EventKind::ActivityLogged(c), Forgery::Saturday) => c.input.date = saturday_before(e.at.date()),
        (EventKind::ActivityLogged(c), Forgery::LoggedByAnother) => e.actor = actor(peer_of(c.input.employee.as_str())),
        (EventKind::ClockRecorded(c), Forgery::ClockFromWrongDevice) => {
            let dinas = in_dinas(c.employee.as_str());
            e.actor = actor(if dinas { FACE_BKD } else { FP_DINAS });
            c.source = if dinas { ClockSource::Face } else { ClockSource::Fingerprint };
        }
        (EventKind::AbsenceRecorded(a), Forgery::AbsenceBySomeoneElse) => {
            // Someone who is neither an HR officer nor the employee.
            e.actor = actor(if a.employee == nip(PEER) { STAFF } else { PEER })
        }
        _ => return None,
    }
    rechain(j, i);
    Some(i)
}

/// A forged event with the chain recomputed after it passes `verify` without an
/// anchor, is caught with the anchor, and is refused by replay at that event (from
/// memory, text and binary).
#[test]
fn rehashed_forgeries_are_refused_by_replay_and_caught_by_the_anchor() {
    let f = Fixture::new();
    let ctx = f.ctx();
    let seen = RefCell::new(BTreeMap::<String, usize>::new());
    const CASES: u32 = 160;
    runner(CASES)
        .run(&(steps(12), 0..FORGERIES.len(), any::<prop::sample::Index>()), |(tail, which, pick)| {
            let (live, original) = journal_of(&ctx, &tail)?;
            let forgery = FORGERIES[which];
            let mut forged = original.clone();
            let Some(i) = forge(&mut forged, forgery, pick, &live) else { return Ok(()) };
            *seen.borrow_mut().entry(format!("{forgery:?}")).or_default() += 1;
            let seq = forged.events[i].seq;
            prop_assert_ne!(&forged.events[i], &original.events[i], "{:?} changed nothing", forgery);
            for format in [JournalFormat::Text, JournalFormat::Binary] {
                let v = check(&forged, format, None);
                prop_assert!(v.holds(), "{:?}: the rechained forgery should pass verify: {:?}", format, v.problem);
                let v = check(&forged, format, Some(original.head()));
                prop_assert_eq!(v.problem.map(|p| p.fault), Some(ChainFault::HeadMismatch), "{:?}", format);
            }
            let refused_at = |r: Result<Ledger, LedgerError>, how: &str| -> Result<(), TestCaseError> {
                match r {
                    Ok(_) => Err(TestCaseError::fail(format!("{how}: {forgery:?} at event {seq} replayed"))),
                    Err(e) => {
                        let LedgerError::Replay { seq: at, .. } = &e else {
                            return Err(TestCaseError::fail(format!("{how}: not a replay error: {e}")));
                        };
                        prop_assert_eq!(*at, seq, "{}: {:?} refused at another event: {}", how, forgery, e);
                        prop_assert_ne!(e.root().code(), "chain", "{}: {}", how, e);
                        Ok(())
                    }
                }
            };
            refused_at(Ledger::replay(&ctx, &forged), "memory")?;
            for format in [JournalFormat::Text, JournalFormat::Binary] {
                let b = bytes(&forged, format);
                let r = Ledger::from_reader(&ctx, JournalReader::new(b.as_slice()).expect("header"), false);
                refused_at(r.map(|(l, _)| l), &format!("{format:?}"))?;
            }
            Ok(())
        })
        .unwrap();
    let seen = seen.into_inner();
    if cases(CASES) < CASES {
        return;
    }
    for f in FORGERIES {
        assert!(seen.get(&format!("{f:?}")).copied().unwrap_or(0) > 0, "{f:?} never tried: {seen:?}");
    }
}

/// A careful forger who turns a rejection into a well-formed approval by the same
/// verifier makes a journal every rule accepts: only the anchor head tells, and the
/// state it gives is not the original one.
#[test]
fn a_well_formed_rewrite_is_caught_by_the_anchor_only() {
    let f = Fixture::new();
    let ctx = f.ctx();
    runner(48)
        .run(&(steps(12), any::<prop::sample::Index>()), |(tail, pick)| {
            let (live, original) = journal_of(&ctx, &tail)?;
            let rejections: Vec<usize> = (0..original.events.len())
                .filter(|&i| {
                    matches!(&original.events[i].kind, EventKind::Transitions(b)
                        if b.items.len() == 1 && b.items[0].to == VerificationStatus::Rejected)
                })
                .collect();
            prop_assume!(!rejections.is_empty());
            let i = *pick.get(&rejections);
            let mut forged = original.clone();
            if let EventKind::Transitions(b) = &mut forged.events[i].kind {
                let item = &mut b.items[0];
                let claimed = live.entry(item.entry).map(|e| e.quantity);
                item.to = VerificationStatus::Approved;
                item.reason = None;
                item.quantity = claimed;
            }
            rechain(&mut forged, i);
            for format in [JournalFormat::Text, JournalFormat::Binary] {
                prop_assert!(check(&forged, format, None).holds());
                let v = check(&forged, format, Some(original.head()));
                prop_assert_eq!(v.problem.map(|p| p.fault), Some(ChainFault::HeadMismatch));
            }
            match Ledger::replay(&ctx, &forged) {
                // A later event may depend on the rejection (an overlapping log).
                Err(e) => {
                    let LedgerError::Replay { seq, .. } = e else {
                        return Err(TestCaseError::fail("not a replay error"));
                    };
                    prop_assert!(seq > forged.events[i].seq);
                }
                Ok(l) => {
                    prop_assert_ne!(l.head(), original.head());
                    prop_assert_ne!(l.state(), live.state());
                }
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------
// Fields the hash does not cover
// ---------------------------------------------------------------------------

/// Every object inside a JSON value, by path of keys and indexes.
fn objects(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(o) => {
            out.push(path.clone());
            for (k, c) in o {
                path.push(k.clone());
                objects(c, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                path.push(i.to_string());
                objects(c, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_path<'a>(v: &'a mut serde_json::Value, path: &[String]) -> &'a mut serde_json::Value {
    path.iter().fold(v, |v, k| match v {
        serde_json::Value::Array(a) => &mut a[k.parse::<usize>().expect("index")],
        other => &mut other[k.as_str()],
    })
}

/// A field added to any object of an event's text form (which the hash does not
/// cover) is refused when the journal is read, at that line: nothing can ride
/// along unhashed.
#[test]
fn an_unknown_field_anywhere_in_an_event_is_refused() {
    let f = Fixture::new();
    let ctx = f.ctx();
    runner(96)
        .run(&(steps(12), any::<prop::sample::Index>(), any::<prop::sample::Index>()), |(tail, line, node)| {
            let (_, journal) = journal_of(&ctx, &tail)?;
            let text = journal.to_json();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            // Line 0 is the header; events follow.
            let i = 1 + line.index(lines.len() - 1);
            let mut v: serde_json::Value = serde_json::from_str(&lines[i]).expect("an event line");
            let mut paths = Vec::new();
            objects(&v, &mut Vec::new(), &mut paths);
            let path = node.get(&paths).clone();
            let target = at_path(&mut v, &path);
            target.as_object_mut().expect("an object").insert("note_x".into(), serde_json::Value::from("unhashed"));
            lines[i] = serde_json::to_string(&v).expect("serialises");
            let tampered = lines.join("\n") + "\n";
            let mut reader = JournalReader::new(tampered.as_bytes()).expect("the header is untouched");
            let read = reader.by_ref().take_while(Result::is_ok).count();
            prop_assert_eq!(read, i - 1, "the event with an extra field at {:?} was read", path);
            let v = verify(tampered.as_bytes(), None).expect("header");
            prop_assert!(!v.holds(), "verify passed a field at {:?}", path);
            Ok(())
        })
        .unwrap();
}

/// The minimal case the property above found: `ClockSource` was an internally
/// tagged enum with `deny_unknown_fields`, which serde does not enforce for unit
/// variants, so `{"kind":"fingerprint","note_x":"unhashed"}` read as a fingerprint
/// and the extra field was silently dropped. It now reads through a wire struct
/// that names every field.
#[test]
fn an_unknown_field_in_a_device_clock_source_is_refused() {
    let source: Result<ClockSource, _> = serde_json::from_str(r#"{"kind":"fingerprint","note_x":"unhashed"}"#);
    assert!(source.is_err(), "accepted: {source:?}");
    let mobile: Result<ClockSource, _> =
        serde_json::from_str(r#"{"kind":"mobile","latitude":"1","longitude":"2","note_x":"unhashed"}"#);
    assert!(mobile.is_err());
    // A position on a fixed reader, or a phone without one, is refused too; the
    // well-formed ones read.
    assert!(serde_json::from_str::<ClockSource>(r#"{"kind":"face","latitude":"1"}"#).is_err());
    assert!(serde_json::from_str::<ClockSource>(r#"{"kind":"mobile","latitude":"1"}"#).is_err());
    assert_eq!(serde_json::from_str::<ClockSource>(r#"{"kind":"face"}"#).expect("face"), ClockSource::Face);
    let phone: ClockSource =
        serde_json::from_str(r#"{"kind":"mobile","latitude":"-5.5483","longitude":"95.3238"}"#).expect("mobile");
    assert_eq!(
        phone,
        ClockSource::Mobile {
            latitude: "-5.5483".parse().unwrap(),
            longitude: "95.3238".parse().unwrap(),
            accuracy_m: None
        }
    );

    // In a journal: the clock event line with the extra field is read, and verify passes.
    let f = Fixture::new();
    let ctx = f.ctx();
    let mut l = Ledger::new(month());
    let when = at(d(2026, 10, 5), 7, 25);
    let event = ClockEvent {
        employee: nip(STAFF),
        at: when,
        direction: ClockDirection::In,
        source: ClockSource::Fingerprint,
        geofence: None,
    };
    l.execute(&ctx, req(FP_DINAS, when, Command::RecordClock { event })).expect("clock");
    let text =
        l.journal().to_json().replace(r#"{"kind":"fingerprint"}"#, r#"{"kind":"fingerprint","note_x":"unhashed"}"#);
    assert!(text.contains("note_x"));
    let v = verify(text.as_bytes(), None).expect("header");
    assert!(!v.holds(), "a journal line with an unhashed field passes verify");
}

/// A keyed request retried after later requests were recorded (a phone's upload
/// that timed out and is sent again an hour later) is answered as the duplicate
/// it is, naming the event that applied it, not refused as out of order: the
/// sender must learn that its change is in, not that it failed.
#[test]
fn a_late_retry_of_a_recorded_request_is_a_duplicate_not_out_of_order() {
    let f = Fixture::new();
    let ctx = f.ctx();
    let mut l = Ledger::new(month());
    let first = at(d(2026, 10, 5), 7, 25);
    let scan = |when| ClockEvent {
        employee: nip(STAFF),
        at: when,
        direction: ClockDirection::In,
        source: ClockSource::Fingerprint,
        geofence: None,
    };
    let keyed = req(FP_DINAS, first, Command::RecordClock { event: scan(first) }).with_key("fp-1");
    let seq = l.execute(&ctx, keyed.clone()).expect("first scan").seq;
    let later = at(d(2026, 10, 5), 8, 40);
    l.execute(&ctx, req(FP_DINAS, later, Command::RecordClock { event: scan(later) })).expect("later scan");
    let head = l.head();
    match l.execute(&ctx, keyed) {
        Err(LedgerError::DuplicateKey { key, seq: applied }) => {
            assert_eq!(key, "fp-1");
            assert_eq!(applied, seq);
        }
        other => panic!("a late retry: {:?}", other.map(|e| e.seq)),
    }
    assert_eq!(l.head(), head, "the retry changed the ledger");
}
