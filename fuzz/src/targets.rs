//! The fuzz targets and their seeds.
//!
//! | target | feeds | checks |
//! |---|---|---|
//! | `dataset` | bytes as a city dataset (`Dataset::load_city`) | no panic; a syntax error has a line; invalid data lists problems with a record and a snake_case code; a city that loads writes back (`to_dataset().to_json()`) to a dataset that loads to the same; its month context builds or refuses with a typed error |
//! | `policy` | bytes as a policy layer (`PolicyLayer::from_toml`) | no panic; refusals are `Invalid` with problems whose codes are the documented ones; a layer that loads passes `validate`, and over the national policy its month context, allowance parameters and a slip are computed or refused with a typed error, never an invariant error |
//! | `journal` | bytes as a journal, either form (`JournalReader`, `verify`, `Ledger::from_reader` on the test city) | no panic; the reader stops after its first error; `verify` agrees with the reader (events, problem, torn record); a journal read whole writes back in both forms to the same events; a ledger loaded from the stream equals the replay of the journal in memory |
//! | `journal_rehashed` | the event lines of a text journal, renumbered and chained again as a forger would (so content changes are not stopped by the hash) | replay accepts the journal exactly when executing each event's request live gives that very event, and refuses it at the first event live execution does not reproduce; what it accepts is the live state |
//! | `requests_json` | bytes as JSON lines of `Request`s executed on a ledger of the test city | no panic; a refused command changes neither state, head nor events and has a code; an accepted one is numbered on from the head; the journal replays (memory, text, binary) to the same state; a snapshot loads back |
//! | `requests_built` | bytes driving a request builder (`arbitrary::Unstructured`): any command, actor (known or not), time, id, quantity | as `requests_json`, on many more well-formed commands |

use arbitrary::Unstructured;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use kinerja::activity::{ActivityId, ActivityInput, Decision};
use kinerja::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
use kinerja::dataset::{Dataset, DatasetError};
use kinerja::ledger::{
    ChainFault, Command, Event, ExtraTask, Head, Journal, JournalFormat, JournalHeader, JournalReader, Ledger,
    LedgerError, MonthContext, Request, RollCallList, verify,
};
use kinerja::policy::{Policy, PolicyLayer};
use kinerja::rollcall::{Ceremony, RollCallKind, RollCallMark};
use kinerja::{DateRange, Minutes, YearMonth};
use rust_decimal::Decimal;

use crate::Target;

/// The test city of the core's integration tests, shared rather than copied.
#[path = "../../core/tests/common/mod.rs"]
mod common;
use common::*;

/// Every target.
pub fn all() -> Vec<Target> {
    vec![
        Target {
            name: "dataset",
            about: "city datasets: Dataset::load_city, round trip, month context",
            seeds: dataset_seeds,
            dictionary: DATASET_WORDS,
            run: dataset,
        },
        Target {
            name: "policy",
            about: "policy layers: PolicyLayer::from_toml, validate, binding and a slip",
            seeds: policy_seeds,
            dictionary: POLICY_WORDS,
            run: policy,
        },
        Target {
            name: "journal",
            about: "journals in either form: JournalReader, verify, Ledger::from_reader",
            seeds: journal_seeds,
            dictionary: JOURNAL_WORDS,
            run: journal,
        },
        Target {
            name: "journal_rehashed",
            about: "journal lines as a forger would write them (chain recomputed): replay against live execution",
            seeds: rehashed_seeds,
            dictionary: JOURNAL_WORDS,
            run: journal_rehashed,
        },
        Target {
            name: "requests_json",
            about: "JSON lines of requests executed on the test city's ledger",
            seeds: request_seeds,
            dictionary: JOURNAL_WORDS,
            run: requests_json,
        },
        Target {
            name: "requests_built",
            about: "requests built from bytes (arbitrary) executed on the test city's ledger",
            seeds: built_seeds,
            dictionary: &[],
            run: requests_built,
        },
    ]
}

/// The target called `name`.
pub fn by_name(name: &str) -> Option<Target> {
    all().into_iter().find(|t| t.name == name)
}

fn snake_case(code: &str) -> bool {
    !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
}

// ---------------------------------------------------------------------------
// The test city's month, built once per thread
// ---------------------------------------------------------------------------

struct Fixture {
    ctx: MonthContext<'static>,
    policy: &'static Policy,
    city: &'static kinerja::dataset::City,
}

thread_local! {
    static FIXTURE: &'static Fixture = {
        let city: &'static _ = Box::leak(Box::new(city()));
        let policy: &'static _ = Box::leak(Box::new(Policy::national()));
        let ctx = MonthContext::new(city, policy, october()).expect("the test city's month");
        Box::leak(Box::new(Fixture { ctx, policy, city }))
    };
}

fn fixture() -> &'static Fixture {
    FIXTURE.with(|f| *f)
}

fn october() -> YearMonth {
    YearMonth::new(2026, 10).expect("month")
}

// ---------------------------------------------------------------------------
// dataset
// ---------------------------------------------------------------------------

const DATASET_WORDS: &[&str] = &[
    "schema_version",
    "units",
    "positions",
    "employees",
    "assignments",
    "officials",
    "officers",
    "clock_devices",
    "delegations",
    "supervisor",
    "parent",
    "definitive",
    "plt",
    "plh",
    "leadership",
    "executor",
    "supervisor",
    "2026-02-29",
    "2026-13-01",
    "9999-12-31",
    "197001012000011001",
    "199003032015031003",
    "KADIS",
    "STAF",
    "DINAS",
    "BKD",
    "IV/e",
    "V/a",
    "PNS",
    "CPNS",
    "PPPK",
    "regional_head",
    "hr",
    "attendance",
    "fingerprint",
    "face",
    "standard_minutes",
    "volume",
    "day",
    "year",
    "",
];

fn dataset_seeds() -> Vec<Vec<u8>> {
    let json = city_json();
    let small = kinerja::generator::generate(&kinerja::generator::GeneratorConfig {
        seed: 7,
        units: 2,
        employees: 12,
        year: 2026,
    })
    .expect("a small generated city");
    vec![
        json.to_string().into_bytes(),
        serde_json::to_vec_pretty(&json).unwrap_or_default(),
        small.to_json().into_bytes(),
        b"{}".to_vec(),
        b"{\"schema_version\": 1}".to_vec(),
    ]
}

fn dataset(data: &[u8], features: &mut Vec<String>) {
    let text = String::from_utf8_lossy(data);
    match Dataset::load_city(&text) {
        Ok(city) => {
            features.push("ok".into());
            let written = city.to_dataset();
            let again = Dataset::load_city(&written.to_json())
                .unwrap_or_else(|e| panic!("a city that loaded does not load once written back: {e}"));
            assert_eq!(again.to_dataset(), written, "a city written back loads to another dataset");
            match MonthContext::new(&city, fixture().policy, october()) {
                Ok(_) => features.push("context".into()),
                Err(e) => {
                    assert!(snake_case(e.code()), "context error code `{}`", e.code());
                    features.push(format!("context:{}", e.code()));
                }
            }
        }
        Err(DatasetError::Syntax { line, message, .. }) => {
            assert!(line >= 1, "a syntax error on line 0: {message}");
            assert!(!message.is_empty());
            features.push("syntax".into());
        }
        Err(DatasetError::Invalid(v)) => {
            assert!(!v.problems.is_empty(), "an invalid dataset without a problem");
            for p in &v.problems {
                assert!(!p.record.is_empty() && snake_case(&p.code), "problem without record or code: {p:?}");
                assert!(!p.message.is_empty(), "{p:?}");
                features.push(format!("{}:{}", p.record, p.code));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// policy
// ---------------------------------------------------------------------------

const POLICY_WORDS: &[&str] = &[
    "[layer]\nname = \"x\"\n",
    "[[allowance.weight_performance]]\nfrom = 2020-01-01\nvalue = \"70\"\nref = \"r\"\n",
    "[[allowance.rounding_scale]]\nfrom = 2026-10-01\nvalue = 2\nref = \"r\"\n",
    "[[record.claim_window_working_days]]\nfrom = 2026-10-05\nvalue = 0\nref = \"r\"\n",
    "[[activity.entry_window_working_days]]\nfrom = 2026-10-15\nvalue = 366\nref = \"r\"\n",
    "[[abk.grade_bands]]\nfrom = 2026-01-01\nvalue = []\nref = \"r\"\n",
    "until = 2026-10-31\n",
    "from = 2026-10-15\n",
    "value = \"0\"\n",
    "value = 1.5\n",
    "value = -1\n",
    "value = {}\n",
    "value = []\n",
    "ref = \"\"\n",
    "note = \"n\"\n",
    "\"100\"",
    "\"-0.01\"",
    "9223372036854775807",
    "2026-02-29",
    "0001-01-01",
    "9999-12-31",
    "[[",
    "]]",
    "{ below = \"50\", pay = \"0\" }",
    "{ cut = \"100\", months = [0] }",
];

fn policy_seeds() -> Vec<Vec<u8>> {
    vec![
        include_bytes!("../../policy/national.toml").to_vec(),
        include_bytes!("../../policy/city-example.toml").to_vec(),
        include_bytes!("../../policy/proposed-70-30.toml").to_vec(),
        b"[layer]\nname = \"kota\"\n\n[[abk.days_per_year]]\nfrom = 2026-07-01\nvalue = 245\nref = \"Perwal 17/2026\"\n"
            .to_vec(),
    ]
}

/// The codes `PolicyLayer::from_toml` documents.
const POLICY_CODES: &[&str] = &[
    "syntax",
    "malformed_layer",
    "unknown_key",
    "not_a_timeline",
    "empty_timeline",
    "unknown_field",
    "missing_from",
    "missing_value",
    "missing_reference",
    "wrong_type",
    "float_refused",
    "out_of_range",
    "invalid_choice",
    "invalid_value",
    "until_before_from",
    "unordered",
    "overlap",
    "gap",
];

fn policy(data: &[u8], features: &mut Vec<String>) {
    let text = String::from_utf8_lossy(data);
    let layer = match PolicyLayer::from_toml("fuzz.toml", &text) {
        Ok(layer) => layer,
        Err(e) => {
            let problems = e.problems();
            assert!(!problems.is_empty(), "a refused layer without a problem: {e}");
            for p in problems {
                assert_eq!(p.record, "policy", "{p:?}");
                assert!(POLICY_CODES.contains(&p.code.as_str()), "undocumented policy code `{}`: {p:?}", p.code);
                // The key only when it is a real one (mutated keys are endless).
                if kinerja::policy::spec(&p.id).is_some() {
                    features.push(format!("refused:{}:{}", p.id, p.code));
                } else {
                    features.push(format!("refused:{}", p.code));
                }
            }
            return;
        }
    };
    if let Err(e) = layer.validate() {
        panic!("a layer from_toml accepted fails validate: {e}");
    }
    features.push("ok".into());
    let policy = Policy::national().with_layer(layer);
    let f = fixture();
    for month in [october(), YearMonth::new(2026, 3).expect("month")] {
        match MonthContext::new(f.city, &policy, month) {
            Ok(_) => features.push("context".into()),
            Err(e) => {
                assert!(snake_case(e.code()), "{e}");
                features.push(format!("context:{}", e.code()));
            }
        }
        match kinerja::allowance::AllowanceParams::from_policy(&policy, month) {
            Ok(params) => {
                let mut input = slip_input();
                input.month = month;
                match kinerja::allowance::compute_slip_with(&input, &params) {
                    Ok(slip) => {
                        assert!(!slip.net.is_negative() && slip.net <= slip.gross, "slip bounds: {slip:?}");
                        features.push("slip".into());
                    }
                    Err(kinerja::allowance::AllowanceError::Invariant { message, .. }) => {
                        panic!("bound parameters broke a slip invariant: {message}")
                    }
                    Err(e) => features.push(format!("slip:{}", e.code())),
                }
            }
            Err(e) => {
                assert!(snake_case(e.code()), "{e}");
                features.push(format!("allowance:{}", e.code()));
            }
        }
    }
}

fn slip_input() -> kinerja::allowance::AllowanceInput {
    serde_json::from_str(
        r#"{
          "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
          "employment": "CPNS", "salary": "11500000",
          "calendar_working_days": 22, "assigned_working_days": 20,
          "performance": { "target_minutes": 6600, "verified_minutes": 6000 },
          "discipline": { "days_present": 15, "late": [2, 1, 0, 1], "early": [0, 1, 0, 0],
                          "unexcused_days": 1, "absences": { "permit": 1, "sick": 2, "leave.unpaid": 1 },
                          "roll_calls_missed": { "morning": 3, "afternoon": 1, "ceremony": 1 } },
          "acting": [ { "position": "P-1", "job_class": 12, "working_days": 14 } ],
          "sanctions": [ { "level": "medium", "effective_from": "2026-08-01", "months": 6 } ]
        }"#,
    )
    .expect("slip input")
}

// ---------------------------------------------------------------------------
// A valid month of requests: the seeds of the journal and request targets
// ---------------------------------------------------------------------------

fn input(emp: &str, date: NaiveDate, from: (u32, u32), to: (u32, u32), quantity: i64, task: &str) -> ActivityInput {
    ActivityInput {
        employee: nip(emp),
        date,
        start: t(from.0, from.1),
        end: t(to.0, to.1),
        task: task.into(),
        quantity,
        description: "Agenda surat masuk".into(),
        evidence: None,
    }
}

/// About thirty requests over October 2026: every command, most accepted, a few
/// refused (a peer's approval, a repeated key, a late claim).
pub fn scenario() -> Vec<Request> {
    let (d5, d6, d7, d8) = (d(2026, 10, 5), d(2026, 10, 6), d(2026, 10, 7), d(2026, 10, 8));
    let approve = Decision::Approve { quantity: None };
    let fp = |who: &str, when: NaiveDateTime, dir| Command::RecordClock {
        event: ClockEvent {
            employee: nip(who),
            at: when,
            direction: dir,
            source: ClockSource::Fingerprint,
            geofence: None,
        },
    };
    let mut r = vec![
        req(FP_DINAS, at(d5, 7, 25), fp(STAFF, at(d5, 7, 25), ClockDirection::In)),
        req(FP_DINAS, at(d5, 7, 28), fp(PEER, at(d5, 7, 28), ClockDirection::In)),
        req(
            ATT,
            at(d5, 7, 40),
            Command::RecordRollCall {
                list: RollCallList {
                    date: d5,
                    kind: RollCallKind::Morning,
                    attended: vec![nip(STAFF), nip(KASI)],
                    absent: vec![nip(PEER)],
                },
            },
        ),
        req(STAFF, at(d5, 16, 0), Command::LogActivity { input: input(STAFF, d5, (8, 0), (9, 0), 3, "STAF-T1") }),
        req(STAFF, at(d5, 16, 1), Command::LogActivity { input: input(STAFF, d5, (9, 0), (10, 30), 5, "STAF-T1") }),
        req(PEER, at(d5, 16, 5), Command::LogActivity { input: input(PEER, d5, (8, 0), (9, 30), 4, "STAF-T1") }),
        req(FP_DINAS, at(d5, 16, 10), fp(STAFF, at(d5, 16, 10), ClockDirection::Out)),
        req(PEER, at(d5, 17, 0), Command::Verify { id: ActivityId(1), decision: approve.clone() }),
        req(
            KASI,
            at(d6, 9, 0),
            Command::Verify { id: ActivityId(1), decision: Decision::Approve { quantity: Some(2) } },
        ),
        req(
            KASI,
            at(d6, 9, 1),
            Command::Verify {
                id: ActivityId(2),
                decision: Decision::Return { reason: "Lampirkan daftar surat".into() },
            },
        ),
        req(
            KASI,
            at(d6, 9, 2),
            Command::Verify { id: ActivityId(3), decision: Decision::Reject { reason: "Bukan tugas hari ini".into() } },
        ),
        req(
            STAFF,
            at(d6, 10, 0),
            Command::EditActivity { id: ActivityId(2), input: input(STAFF, d5, (9, 0), (10, 0), 4, "STAF-T1") },
        ),
        req(STAFF, at(d6, 10, 5), Command::Resubmit { id: ActivityId(2) }),
        req(
            KASI,
            at(d6, 11, 0),
            Command::RegisterExtraTask {
                task: ExtraTask {
                    id: "EXTRA-1".into(),
                    employee: nip(STAFF),
                    name: "Menyusun laporan".into(),
                    output_unit: "laporan".into(),
                    standard_minutes: Minutes(60),
                    from: d6,
                    until: Some(d(2026, 10, 30)),
                },
            },
        ),
        req(STAFF, at(d6, 15, 0), Command::LogActivity { input: input(STAFF, d6, (13, 0), (14, 0), 1, "EXTRA-1") }),
        req(
            KASI,
            at(d7, 8, 30),
            Command::VerifyMany { decisions: vec![(ActivityId(2), approve.clone()), (ActivityId(4), approve.clone())] },
        ),
        req(
            HR1,
            at(d7, 9, 0),
            Command::RecordAbsence {
                absence: Absence {
                    employee: nip(PEER),
                    range: DateRange { start: d7, end: d8 },
                    kind: AbsenceKind::Leave(LeaveKind::Annual),
                    evidence: Some("SK Cuti 800/12".into()),
                    note: None,
                },
            },
        ),
        req(
            STAFF,
            at(d7, 9, 5),
            Command::RecordAbsence {
                absence: Absence {
                    employee: nip(STAFF),
                    range: DateRange { start: d8, end: d8 },
                    kind: AbsenceKind::Permit,
                    evidence: None,
                    note: Some("Urusan keluarga".into()),
                },
            },
        ),
        req(
            HR2,
            at(d7, 9, 10),
            Command::DeclareCeremony {
                ceremony: Ceremony { date: d(2026, 10, 17), name: "Hari Kesadaran Nasional".into() },
            },
        ),
        req(
            ATT,
            at(d7, 9, 15),
            Command::MarkRollCall {
                mark: RollCallMark { employee: nip(STAFF), date: d7, kind: RollCallKind::Afternoon, attended: false },
            },
        ),
        req(
            HR2,
            at(d7, 9, 20),
            Command::RecordRollCall {
                list: RollCallList { date: d7, kind: RollCallKind::Morning, attended: vec![nip(HR1)], absent: vec![] },
            },
        ),
        req(
            FACE_BKD,
            at(d7, 16, 0),
            Command::RecordClock {
                event: ClockEvent {
                    employee: nip(HR1),
                    at: at(d7, 16, 0),
                    direction: ClockDirection::Out,
                    source: ClockSource::Face,
                    geofence: None,
                },
            },
        ),
        req(
            KASI,
            at(d8, 7, 0),
            Command::RecordClock {
                event: ClockEvent {
                    employee: nip(KASI),
                    at: at(d8, 6, 58),
                    direction: ClockDirection::In,
                    source: ClockSource::Mobile {
                        latitude: Decimal::new(55_483, 4),
                        longitude: Decimal::new(953_238, 4),
                        accuracy_m: Some(12),
                    },
                    geofence: None,
                },
            },
        ),
        // The mayor gives the head of the agency a task and approves the work on it.
        req(
            WALIKOTA,
            at(d8, 15, 0),
            Command::RegisterExtraTask {
                task: ExtraTask {
                    id: "EXTRA-2".into(),
                    employee: nip(HEAD),
                    name: "Memimpin rapat koordinasi".into(),
                    output_unit: "rapat".into(),
                    standard_minutes: Minutes(60),
                    from: d8,
                    until: None,
                },
            },
        ),
        req(HEAD, at(d8, 16, 0), Command::LogActivity { input: input(HEAD, d8, (8, 0), (9, 0), 1, "EXTRA-2") }),
        req(WALIKOTA, at(d8, 16, 5), Command::Verify { id: ActivityId(5), decision: approve.clone() }),
        req(HR1, at(d(2026, 11, 9), 9, 0), Command::CloseMonth),
        req(
            STAFF,
            at(d(2026, 11, 9), 9, 5),
            Command::LogActivity { input: input(STAFF, d(2026, 10, 30), (8, 0), (9, 0), 1, "STAF-T1") },
        ),
        req(HR1, at(d(2026, 11, 9), 9, 10), Command::ReopenMonth { reason: "Koreksi".into() }),
        req(HR2, at(d(2026, 11, 9), 9, 15), Command::ReopenMonth { reason: "Koreksi absensi".into() }),
        req(HR2, at(d(2026, 11, 10), 9, 0), Command::CloseMonth),
    ];
    // An upload from a phone: made earlier, received later, with a key (twice).
    let offline = req(
        PEER,
        at(d(2026, 10, 9), 15, 0),
        Command::LogActivity { input: input(PEER, d(2026, 10, 9), (8, 0), (9, 0), 2, "STAF-T1") },
    )
    .received(at(d(2026, 10, 9), 18, 0))
    .with_key("phone-1:1");
    let close = r.iter().position(|r| r.command == Command::CloseMonth).unwrap_or(r.len());
    r.insert(close, offline.clone());
    r.insert(close + 1, offline);
    r
}

/// The scenario executed: the ledger.
fn scenario_ledger() -> Ledger {
    let f = fixture();
    let mut l = Ledger::new(october());
    for r in scenario() {
        let _ = l.execute(&f.ctx, r);
    }
    l
}

fn journal_seeds() -> Vec<Vec<u8>> {
    let l = scenario_ledger();
    let j = l.journal();
    let mut head_only = j.clone();
    head_only.events.clear();
    let mut half = j.clone();
    half.events.truncate(j.events.len() / 2);
    vec![
        j.to_json().into_bytes(),
        j.to_binary(),
        half.to_binary(),
        head_only.to_json().into_bytes(),
        kinerja::ledger::to_v1_json(&j).into_bytes(),
    ]
}

const JOURNAL_WORDS: &[&str] = &[
    "\"seq\":",
    "\"prev\":",
    "\"hash\":",
    "\"actor\":\"device:FP-DINAS\"",
    "\"actor\":\"official:WALIKOTA\"",
    "\"actor\":\"199104042016042004\"",
    "\"at\":\"2026-10-05T16:00:00\"",
    "\"received_at\":\"2026-10-31T23:59:59\"",
    "\"key\":\"k\"",
    "\"type\":\"transitions\"",
    "\"type\":\"month_closed\"",
    "\"type\":\"activity_logged\"",
    "\"command\":\"verify\"",
    "\"command\":\"verify_many\"",
    "\"command\":\"close_month\"",
    "\"command\":\"reopen_month\"",
    "\"decision\":\"approve\"",
    "\"decision\":\"reject\"",
    "\"to\":\"approved\"",
    "\"role\":\"delegate\"",
    "\"quantity\":-1",
    "\"date\":\"2026-10-03\"",
    "\"date\":\"2026-11-02\"",
    "\"start\":\"23:59:59.999999999\"",
    "\"version\":1",
    "\"migrated_from\":1",
    "KINERJA-JOURNAL\u{0}",
    "\"month\":\"2026-10\"",
    "\"month\":\"2026-09\"",
    "0000000000000000000000000000000000000000000000000000000000000000",
];

// ---------------------------------------------------------------------------
// journal
// ---------------------------------------------------------------------------

fn journal(data: &[u8], features: &mut Vec<String>) {
    let f = fixture();
    let reader = match JournalReader::new(data) {
        Ok(r) => r,
        Err(e) => {
            assert!(snake_case(e.code()), "{e}");
            assert!(verify(data, None).is_err(), "verify read a header the reader refused");
            features.push(format!("header:{}", e.code()));
            return;
        }
    };
    let format = reader.format();
    let header = reader.header().clone();
    features.push(format!("{format:?}:{}", header.is_verifiable()));
    let mut reader = reader;
    let mut events = Vec::new();
    let mut error = None;
    for e in &mut reader {
        match e {
            Ok(e) => {
                features.push(format!("event:{}", e.kind.name()));
                events.push(e)
            }
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    assert!(reader.next().is_none(), "the reader goes on after it stopped");
    let torn = reader.torn().cloned();
    let v = verify(data, None).unwrap_or_else(|e| panic!("verify refused a header the reader read: {e}"));
    assert_eq!(v.events, events.len() as u64, "verify and the reader read different numbers of events");
    assert_eq!(v.header, header);
    if error.is_none() || torn.is_some() {
        assert_eq!(v.torn, torn, "verify and the reader disagree on a torn record");
    } else if v.torn.is_some() {
        // Verify looked one record past a gap, and that record is cut off.
        assert!(matches!(&error, Some(kinerja::ledger::JournalError::Chain(p)) if p.fault == ChainFault::Removed));
    }
    match &error {
        Some(kinerja::ledger::JournalError::Chain(p)) => {
            let q =
                v.problem.as_ref().unwrap_or_else(|| panic!("verify found no chain problem where the reader did: {p}"));
            assert_eq!((q.seq, q.position), (p.seq, p.position), "verify names another event: {q} / {p}");
            // Verify looks one record further: a gap may turn out to be a reordering.
            let refined = p.fault == ChainFault::Removed && q.fault == ChainFault::Reordered;
            assert!(q.fault == p.fault || refined, "verify names another fault: {q} / {p}");
            features.push(format!("chain:{}", q.fault.as_str()));
        }
        Some(e) => {
            assert!(v.unreadable.is_some(), "verify read what the reader could not: {e}");
            features.push(format!("error:{}", e.code()));
        }
        None => assert!(v.problem.is_none() && v.unreadable.is_none()),
    }
    if torn.is_some() {
        features.push("torn".into());
    }

    // What was read writes back, in both forms, to the same events (a header month
    // the text form cannot hold is refused on reading: tests/found.rs).
    if error.is_none() && header.is_verifiable() {
        let journal = Journal { header: header.clone(), events: events.clone() };
        for form in [JournalFormat::Text, JournalFormat::Binary] {
            let bytes = journal.write(Vec::new(), form).expect("writes to memory");
            let (back, torn) = Journal::read(bytes.as_slice())
                .unwrap_or_else(|e| panic!("a journal read whole does not read back in {form:?}: {e}"));
            assert!(torn.is_none());
            assert_eq!(back, journal, "{form:?} round trip");
        }
    }

    // Against the test city: the stream and the journal in memory agree.
    let streamed =
        JournalReader::new(data).map_err(LedgerError::from).and_then(|r| Ledger::from_reader(&f.ctx, r, true));
    match streamed {
        Ok((l, _)) => {
            features.push("replayed".into());
            let journal = Journal { header, events };
            let again = Ledger::replay(&f.ctx, &journal)
                .unwrap_or_else(|e| panic!("the stream replayed, the same events in memory do not: {e}"));
            assert_eq!(again.state(), l.state());
            assert_eq!(again.head(), l.head());
        }
        Err(e) => {
            assert!(snake_case(e.code()), "{e}");
            features.push(format!("replay:{}", e.root().code()));
        }
    }
}

fn rehashed_seeds() -> Vec<Vec<u8>> {
    vec![scenario_ledger().journal().to_json().into_bytes()]
}

/// Reads every line that parses as an event, renumbers and chains them again from
/// the month's genesis (what a forger who rewrites the file does), and replays
/// them: replay must agree, event by event, with executing each event's request
/// on a live ledger.
fn journal_rehashed(data: &[u8], features: &mut Vec<String>) {
    let f = fixture();
    let text = String::from_utf8_lossy(data);
    let mut events: Vec<Event> = text.lines().filter_map(|l| serde_json::from_str::<Event>(l).ok()).take(300).collect();
    if events.is_empty() {
        features.push("no event".into());
        return;
    }
    let mut prev = Head::genesis(october());
    for (i, e) in events.iter_mut().enumerate() {
        e.seq = i as u64 + 1;
        e.prev = prev.hash;
        e.hash = e.compute_hash();
        prev = e.head();
    }
    let journal = Journal { header: JournalHeader::new(october()), events };
    assert!(verify(journal.to_json().as_bytes(), None).expect("header").holds(), "the rechained journal");

    let mut live = Ledger::new(october());
    let mut reproduced = 0;
    for e in &journal.events {
        match live.execute(&f.ctx, Request::of_event(e)) {
            Ok(got) if got == e => reproduced += 1,
            _ => break,
        }
    }
    match Ledger::replay(&f.ctx, &journal) {
        Ok(l) => {
            assert_eq!(reproduced, journal.events.len(), "replay accepted an event live execution does not give");
            assert_eq!(l.state(), live.state());
            assert_eq!(l.head(), live.head());
            features.push("replayed".into());
        }
        Err(LedgerError::Replay { seq, source, .. }) => {
            assert_eq!(
                seq,
                reproduced as u64 + 1,
                "replay refused event {seq} ({source}), live execution reproduced {reproduced} events"
            );
            let kind = journal.events[reproduced].kind.name();
            features.push(format!("refused:{kind}:{}", source.root().code()));
        }
        Err(e) => panic!("a replay refusal that is not a replay error: {e}"),
    }
}

// ---------------------------------------------------------------------------
// The command interface
// ---------------------------------------------------------------------------

fn request_seeds() -> Vec<Vec<u8>> {
    let lines: Vec<String> = scenario().iter().map(|r| serde_json::to_string(r).expect("request")).collect();
    vec![lines.join("\n").into_bytes(), lines[..8].join("\n").into_bytes()]
}

/// Executes one request; a refusal must leave everything as it was.
fn execute(l: &mut Ledger, ctx: &MonthContext<'_>, r: Request, features: &mut Vec<String>) {
    let state = l.state().clone();
    let head = l.head();
    let events = l.events().len();
    let name = r.command.name();
    match l.execute(ctx, r) {
        Ok(e) => {
            assert_eq!(e.seq, head.seq + 1, "an accepted command is not numbered on from the head");
            assert_eq!(e.prev, head.hash);
            assert_eq!(e.hash, e.compute_hash());
            features.push(format!("{name}:ok"));
        }
        Err(e) => {
            assert!(snake_case(e.code()), "{e}");
            assert!(!e.to_string().is_empty());
            assert_eq!(l.state(), &state, "refused {name} ({e}) changed the state");
            assert_eq!(l.head(), head, "refused {name} ({e}) moved the head");
            assert_eq!(l.events().len(), events, "refused {name} ({e}) changed the journal");
            features.push(format!("{name}:{}", e.code()));
        }
    }
}

/// The journal replays to the live state, in memory and from both forms, and a
/// snapshot loads back.
fn check_ledger(l: &Ledger, ctx: &MonthContext<'_>) {
    let journal = l.journal();
    let replayed = Ledger::replay(ctx, &journal).unwrap_or_else(|e| panic!("the live journal does not replay: {e}"));
    assert_eq!(replayed.state(), l.state(), "replay gives another state");
    assert_eq!(replayed.head(), l.head());
    for form in [JournalFormat::Text, JournalFormat::Binary] {
        let bytes = journal.write(Vec::new(), form).expect("writes to memory");
        let reader = JournalReader::new(bytes.as_slice()).expect("its own header");
        let (from, torn) = Ledger::from_reader(ctx, reader, false)
            .unwrap_or_else(|e| panic!("the live journal does not replay from {form:?}: {e}"));
        assert!(torn.is_none());
        assert_eq!(from.state(), l.state(), "{form:?} replay gives another state");
        let v = verify(bytes.as_slice(), Some(l.head())).expect("header");
        assert!(v.holds(), "{form:?}: {:?}", v.problem);
    }
    let snap = l.snapshot();
    let back = Ledger::from_snapshot(ctx, snap, &l.head()).unwrap_or_else(|e| panic!("snapshot refused: {e}"));
    assert_eq!(back.state(), l.state());
}

fn requests_json(data: &[u8], features: &mut Vec<String>) {
    let f = fixture();
    let text = String::from_utf8_lossy(data);
    let mut l = Ledger::new(october());
    for line in text.lines().take(200) {
        match serde_json::from_str::<Request>(line) {
            Ok(r) => execute(&mut l, &f.ctx, r, features),
            Err(_) => features.push("unparsed".into()),
        }
    }
    check_ledger(&l, &f.ctx);
}

fn built_seeds() -> Vec<Vec<u8>> {
    let mut rng = kinerja::generator::SplitMix64::new(2026);
    (0..8).map(|n| (0..64 * (n + 1)).map(|_| rng.next_u64() as u8).collect()).collect()
}

const ACTORS: &[&str] = &[
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
    "199912122020121009",
    "device:NOWHERE",
    "official:NOBODY",
];

const STAFF_OF_CITY: &[&str] = &[STAFF, PEER, KASI, HEAD, KABAN, HR1, HR2, ATT, "199912122020121009"];

/// Builds requests from bytes; times mostly go forward from 1 October.
struct Builder<'a> {
    u: Unstructured<'a>,
    now: NaiveDateTime,
}

impl Builder<'_> {
    fn nip(&mut self) -> arbitrary::Result<kinerja::org::Nip> {
        Ok(nip(self.u.choose(STAFF_OF_CITY)?))
    }

    fn date(&mut self) -> arbitrary::Result<NaiveDate> {
        let back = self.u.int_in_range(-2..=6)?;
        Ok(self.now.date() - Duration::days(back))
    }

    fn decision(&mut self) -> arbitrary::Result<Decision> {
        Ok(match self.u.int_in_range(0..=3)? {
            0 | 1 => Decision::Approve {
                quantity: if self.u.ratio(1, 4)? { Some(self.u.int_in_range(-1..=8)?) } else { None },
            },
            2 => Decision::Reject { reason: if self.u.ratio(1, 8)? { " ".into() } else { "Tidak sesuai".into() } },
            _ => Decision::Return { reason: if self.u.ratio(1, 8)? { String::new() } else { "Perbaiki".into() } },
        })
    }

    fn entry(&mut self, l: &Ledger) -> arbitrary::Result<ActivityId> {
        let n = l.state().entries.len() as u64;
        Ok(ActivityId(self.u.int_in_range(0..=n + 1)?))
    }

    fn activity(&mut self, employee: kinerja::org::Nip) -> arbitrary::Result<ActivityInput> {
        let slot: i64 = self.u.int_in_range(0..=44)?;
        let len: i64 = self.u.int_in_range(0..=10)?;
        let start = t(6, 0) + Duration::minutes(slot * 15);
        Ok(ActivityInput {
            employee,
            date: self.date()?,
            start,
            end: start + Duration::minutes(len * 15),
            task: (*self.u.choose(&["STAF-T1", "STAF-T1", "EXTRA-1", "NOPE"])?).into(),
            quantity: self.u.int_in_range(-1..=9)?,
            description: "Agenda".into(),
            evidence: None,
        })
    }

    fn request(&mut self, l: &Ledger) -> arbitrary::Result<Request> {
        let step: i64 = self.u.int_in_range(-120..=1800)?;
        self.now += Duration::minutes(step);
        let actor = *self.u.choose(ACTORS)?;
        let command = match self.u.int_in_range(0..=12)? {
            0 | 1 => {
                let e = self.nip()?;
                Command::LogActivity { input: self.activity(e)? }
            }
            2 => {
                let id = self.entry(l)?;
                let e = l.entry(id).map_or_else(|| self.nip(), |e| Ok(e.employee.clone()))?;
                Command::EditActivity { id, input: self.activity(e)? }
            }
            3 => Command::Resubmit { id: self.entry(l)? },
            4 | 5 => Command::Verify { id: self.entry(l)?, decision: self.decision()? },
            6 => {
                let n = self.u.int_in_range(0..=3)?;
                let mut decisions = Vec::new();
                for _ in 0..n {
                    decisions.push((self.entry(l)?, self.decision()?));
                }
                Command::VerifyMany { decisions }
            }
            7 => {
                let source = match self.u.int_in_range(0..=2)? {
                    0 => ClockSource::Fingerprint,
                    1 => ClockSource::Face,
                    _ => ClockSource::Mobile {
                        latitude: Decimal::new(self.u.int_in_range(-900_000..=900_000)?, 4),
                        longitude: Decimal::new(self.u.int_in_range(-1_800_000..=1_800_000)?, 4),
                        accuracy_m: self.u.arbitrary()?,
                    },
                };
                let back: i64 = self.u.int_in_range(-10..=600)?;
                Command::RecordClock {
                    event: ClockEvent {
                        employee: self.nip()?,
                        at: self.now - Duration::minutes(back),
                        direction: if self.u.arbitrary()? { ClockDirection::In } else { ClockDirection::Out },
                        source,
                        geofence: None,
                    },
                }
            }
            8 => {
                let start = self.date()?;
                let days = self.u.int_in_range(-1..=40)?;
                let code = *self.u.choose(AbsenceKind::ALL_CODES)?;
                let kind = AbsenceKind::from_code(code).unwrap_or(AbsenceKind::OffSiteHalfDay {
                    replaces: if self.u.arbitrary()? { ClockDirection::In } else { ClockDirection::Out },
                });
                Command::RecordAbsence {
                    absence: Absence {
                        employee: self.nip()?,
                        range: DateRange { start, end: start + Duration::days(days) },
                        kind,
                        evidence: if self.u.arbitrary()? { Some("SK".into()) } else { None },
                        note: None,
                    },
                }
            }
            9 => {
                let kind = *self.u.choose(&[RollCallKind::Morning, RollCallKind::Afternoon, RollCallKind::Ceremony])?;
                let date = self.date()?;
                if self.u.arbitrary()? {
                    Command::MarkRollCall {
                        mark: RollCallMark { employee: self.nip()?, date, kind, attended: self.u.arbitrary()? },
                    }
                } else {
                    let n = self.u.int_in_range(0..=3)?;
                    let mut attended = Vec::new();
                    for _ in 0..n {
                        attended.push(self.nip()?);
                    }
                    let absent = if self.u.arbitrary()? { vec![self.nip()?] } else { Vec::new() };
                    Command::RecordRollCall { list: RollCallList { date, kind, attended, absent } }
                }
            }
            10 => {
                let date = self.date()?;
                let name = if self.u.ratio(1, 8)? { String::new() } else { "Upacara".into() };
                Command::DeclareCeremony { ceremony: Ceremony { date, name } }
            }
            11 => {
                let from = self.date()?;
                let minutes: i64 = self.u.int_in_range(-5..=120)?;
                let until =
                    if self.u.arbitrary()? { Some(from + Duration::days(self.u.int_in_range(-2..=20)?)) } else { None };
                Command::RegisterExtraTask {
                    task: ExtraTask {
                        id: (*self.u.choose(&["EXTRA-1", "EXTRA-2", "STAF-T1"])?).into(),
                        employee: self.nip()?,
                        name: "Tugas".into(),
                        output_unit: "laporan".into(),
                        standard_minutes: Minutes(minutes),
                        from,
                        until,
                    },
                }
            }
            _ => {
                if self.u.arbitrary()? {
                    Command::CloseMonth
                } else {
                    Command::ReopenMonth { reason: if self.u.ratio(1, 6)? { String::new() } else { "Koreksi".into() } }
                }
            }
        };
        let mut r = req(actor, self.now, command);
        if self.u.ratio(1, 10)? {
            let late: i64 = self.u.int_in_range(1..=6000)?;
            r.received_at = Some(self.now);
            r.at = self.now - Duration::minutes(late);
        }
        if self.u.ratio(1, 10)? {
            r.key = Some(format!("k{}", self.u.int_in_range(0..=3)?));
        }
        Ok(r)
    }
}

fn requests_built(data: &[u8], features: &mut Vec<String>) {
    let f = fixture();
    let mut b = Builder { u: Unstructured::new(data), now: at(d(2026, 10, 1), 7, 0) };
    let mut l = Ledger::new(october());
    while !b.u.is_empty() {
        let Ok(r) = b.request(&l) else { break };
        execute(&mut l, &f.ctx, r, features);
    }
    check_ledger(&l, &f.ctx);
}
