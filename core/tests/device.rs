//! The engine on a phone: bundles, offline work, uploads and rebasing.
//!
//! The test city: one unit with a head (KADIS), a section head (KASI) under the
//! head, and two staff (STAF: STAFF and PEER) under the section head. Staff task
//! STAF-T1 takes 15 standard minutes per letter; the section head's task KASI-T1
//! 60 minutes per review. October 2026 starts on a Thursday; Monday 5 October is
//! a normal working day, 07:30-16:00, and early overtime is not allowed
//! (national policy: overtime_before 0, after 120 minutes, entry window 3
//! working days, verification deadline 5 working days after the month).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use kinerja::activity::{ActivityId, ActivityInput, Decision, VerificationStatus};
use kinerja::dataset::{City, Dataset};
use kinerja::device::{
    ActivityDraft, ChangeOutcome, DeviceBundle, DeviceError, DeviceSession, EntryRef, ErrorArea, PendingChange,
    Receipts, RejectedBy, ServerAnswer, UploadSource, apply_uploads, changes_from_json, parse_date, parse_time,
};
use kinerja::ledger::{Command, Ledger, LedgerError, MonthContext, Request};
use kinerja::org::Nip;
use kinerja::policy::Policy;
use kinerja::{Minutes, YearMonth};

const HEAD: &str = "197001012000011001";
const KASI: &str = "198002022005021002";
const STAFF: &str = "199003032015031003";
const PEER: &str = "199104042016042004";

fn nip(s: &str) -> Nip {
    Nip::parse(s).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
    d(2026, 10, day).and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

fn oct() -> YearMonth {
    YearMonth::new(2026, 10).unwrap()
}

/// The test city's JSON; `kasi_assigned = false` leaves the section head's
/// position vacant, `delegate_to_peer` delegates it to PEER.
fn city_json(kasi_assigned: bool, delegate_to_peer: bool) -> serde_json::Value {
    let mut assignments = vec![
        serde_json::json!({ "employee": HEAD, "position": "KADIS", "kind": "definitive", "from": "2020-01-01" }),
        serde_json::json!({ "employee": STAFF, "position": "STAF", "kind": "definitive", "from": "2020-01-01" }),
        serde_json::json!({ "employee": PEER, "position": "STAF", "kind": "definitive", "from": "2020-01-01" }),
    ];
    if kasi_assigned {
        assignments.push(
            serde_json::json!({ "employee": KASI, "position": "KASI", "kind": "definitive", "from": "2020-01-01" }),
        );
    }
    let mut city = serde_json::json!({
        "schema_version": 1,
        "government": { "code": "9999", "name": "Kota Uji" },
        "calendar": serde_json::to_value(kinerja::calendar::WorkCalendar::indonesia_2026()).unwrap(),
        "units": [ { "id": "DINAS", "name": "Dinas Uji" }, { "id": "LAIN", "name": "Dinas Lain" } ],
        "positions": [
            { "id": "KADIS", "name": "Kepala Dinas", "kind": "leadership", "job_class": 14, "unit": "DINAS",
              "analysis": { "tasks": [
                  { "id": "KADIS-T1", "name": "Memimpin rapat", "output": "rapat", "output_unit": "rapat",
                    "standard_minutes": 90, "volume": { "quantity": "4", "per": "month" } } ] } },
            { "id": "KASI", "name": "Kepala Seksi", "kind": "supervisor", "job_class": 9, "unit": "DINAS",
              "supervisor": "KADIS",
              "analysis": { "tasks": [
                  { "id": "KASI-T1", "name": "Memeriksa konsep", "output": "konsep diperiksa",
                    "output_unit": "konsep", "standard_minutes": 60, "volume": { "quantity": "5", "per": "day" } } ] } },
            { "id": "STAF", "name": "Pengadministrasi Umum", "kind": "executor", "job_class": 5, "unit": "DINAS",
              "supervisor": "KASI",
              "analysis": { "tasks": [
                  { "id": "STAF-T1", "name": "Mengagendakan surat", "output": "surat teragenda",
                    "output_unit": "surat", "standard_minutes": 15, "volume": { "quantity": "20", "per": "day" } } ] } },
            { "id": "LAIN-1", "name": "Staf Lain", "kind": "executor", "job_class": 5, "unit": "LAIN" }
        ],
        "employees": [
            { "nip": HEAD, "name": "Kepala", "rank": "IV/c", "employment": "PNS" },
            { "nip": KASI, "name": "Kasi", "rank": "III/d", "employment": "PNS" },
            { "nip": STAFF, "name": "Staf", "rank": "II/c", "employment": "PNS" },
            { "nip": PEER, "name": "Rekan", "rank": "II/c", "employment": "PNS" }
        ],
        "assignments": assignments,
        "salaries": [
            { "employee": STAFF, "salary": "3500000", "from": "2026-01-01" },
            { "employee": PEER, "salary": "3400000", "from": "2026-01-01" }
        ]
    });
    if delegate_to_peer {
        city["delegations"] = serde_json::json!([
            { "position": "KASI", "delegate": PEER, "from": "2026-10-01", "until": "2026-10-31",
              "reference": "ND 800/1/2026" }
        ]);
    }
    city
}

fn city() -> City {
    Dataset::load_city(&city_json(true, false).to_string()).expect("test city")
}

fn input(who: &str, day: u32, start: (u32, u32), end: (u32, u32), task: &str, quantity: i64) -> ActivityInput {
    ActivityInput {
        employee: nip(who),
        date: d(2026, 10, day),
        start: NaiveTime::from_hms_opt(start.0, start.1, 0).unwrap(),
        end: NaiveTime::from_hms_opt(end.0, end.1, 0).unwrap(),
        task: task.into(),
        quantity,
        description: "Pekerjaan".into(),
        evidence: None,
    }
}

fn server_log(ledger: &mut Ledger, ctx: &MonthContext<'_>, i: ActivityInput, when: NaiveDateTime) -> ActivityId {
    let actor = i.employee.clone();
    ledger.execute(ctx, Request::new(actor, when, Command::LogActivity { input: i })).expect("logged");
    ActivityId(ledger.state().entries.len() as u64)
}

/// Opens a session on a bundle the test server issued to its owner (session
/// `s-<NIP>`), as the app does with the bundle's JSON.
fn open(bundle: &DeviceBundle) -> DeviceSession {
    let b = bundle.clone().issued(format!("s-{}", bundle.owner));
    DeviceSession::open(&b.to_json()).expect("session")
}

/// The test server receives an upload: the session is the one the changes' keys
/// name and its owner the NIP the test server issued it to (`s-<NIP>`); it is
/// received a minute after the last change was made. Answers are not kept
/// between calls (the ledger still remembers the keys it applied).
fn receive(server: &mut Ledger, ctx: &MonthContext<'_>, changes: &[PendingChange]) -> ServerAnswer {
    let session = changes.first().and_then(|c| c.key.split_once(':')).map(|(s, _)| s.to_string()).unwrap_or_default();
    let owner = nip(session.trim_start_matches("s-"));
    let received_at = changes.iter().map(|c| c.at).max().unwrap_or(at(1, 0, 0)) + chrono::Duration::minutes(1);
    let source = UploadSource { session: &session, owner: &owner, received_at };
    apply_uploads(server, ctx, &source, &mut Receipts::default(), changes)
}

fn draft(day: u32, start: &str, end: &str, quantity: &str) -> ActivityDraft {
    ActivityDraft {
        date: format!("2026-10-{day:02}"),
        start: start.into(),
        end: end.into(),
        task: "STAF-T1".into(),
        quantity: quantity.into(),
        description: "Agenda surat masuk".into(),
        evidence: None,
    }
}

/// A phone's session opened from the bundle's JSON, as the app does.
fn phone(city: &City, ledger: &Ledger, who: &str) -> DeviceSession {
    let bundle = DeviceBundle::for_employee(city, &[], ledger, &nip(who), oct()).expect("bundle");
    open(&bundle)
}

#[test]
fn an_employees_offline_day_end_to_end() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    // Before the phone goes offline: PEER logs twice and STAFF once on Thursday 1
    // October, so the server ids of STAFF's entries are not 1, 2, 3.
    server_log(&mut server, &ctx, input(PEER, 1, (8, 0), (9, 0), "STAF-T1", 2), at(1, 15, 0));
    server_log(&mut server, &ctx, input(PEER, 1, (9, 0), (10, 0), "STAF-T1", 2), at(1, 15, 1));
    let first = server_log(&mut server, &ctx, input(STAFF, 1, (8, 0), (9, 0), "STAF-T1", 2), at(1, 15, 2));
    assert_eq!(first, ActivityId(3));
    server
        .execute(
            &ctx,
            Request::new(
                nip(KASI),
                at(2, 9, 0),
                Command::Verify { id: first, decision: Decision::Approve { quantity: None } },
            ),
        )
        .unwrap();

    // The bundle holds STAFF, the supervision chain (KASI, KADIS) and their holders;
    // not PEER, not the other unit; only STAFF's entry.
    let bundle = DeviceBundle::for_employee(&city, &[], &server, &nip(STAFF), oct()).unwrap();
    assert!(bundle.subordinates.is_empty());
    let ids: Vec<&str> = bundle.dataset.positions.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["KADIS", "KASI", "STAF"]);
    let staf = bundle.dataset.positions.iter().find(|p| p.id.as_str() == "STAF").unwrap();
    assert_eq!(staf.analysis.tasks.len(), 1, "own position keeps its tasks");
    let kasi = bundle.dataset.positions.iter().find(|p| p.id.as_str() == "KASI").unwrap();
    assert!(kasi.analysis.tasks.is_empty(), "positions up the chain carry no tasks");
    let people: Vec<&str> = bundle.dataset.employees.iter().map(|e| e.nip.as_str()).collect();
    assert_eq!(people, [HEAD, KASI, STAFF]);
    assert_eq!(bundle.dataset.units.len(), 1);
    assert_eq!(bundle.dataset.salaries.len(), 1);
    assert_eq!(bundle.state.entries.len(), 1);
    assert_eq!(bundle.state.entries.id(0), Some(ActivityId(3)));
    assert_eq!(bundle.state.transitions.len(), 1);
    assert_eq!(bundle.server_events, 4);

    // On the phone, offline, Monday 5 October at 16:00.
    let mut s = open(&bundle);
    assert!(!s.is_supervisor());
    let now = "2026-10-05T16:00";
    // 08:00-09:00, 3 letters x 15 = 45 min (inside the 60-minute span).
    let a = s.log_activity(&draft(5, "08:00", "09:00", "3"), now).unwrap();
    // 09:00-10:00, 2 letters x 15 = 30 min.
    let b = s.log_activity(&draft(5, "09:00", "10:00", "2"), now).unwrap();
    // 09:30-10:30 overlaps b: refused offline with the core's typed error.
    let err = s.log_activity(&draft(5, "09:30", "10:30", "1"), now).unwrap_err();
    assert_eq!(err.code(), "overlapping_entry");
    assert_eq!(err.area(), ErrorArea::ActivityRejected);
    assert!(matches!(err, DeviceError::Ledger(LedgerError::Activity(_))));
    assert_eq!(err.problems()[0].field, "start");
    // A value that is not a number is a typed input error naming the field.
    let err = s.log_activity(&draft(5, "10:00", "11:00", "tiga"), now).unwrap_err();
    assert_eq!((err.code(), err.area()), ("invalid_input", ErrorArea::Parse));
    assert_eq!(err.problems()[0].field, "quantity");
    // 10:00-11:30, 8 letters x 15 = 120 min, capped by the 90-minute span -> 90.
    let c = s.log_activity(&draft(5, "10:00", "11:30", "8"), now).unwrap();
    assert_eq!((a, b, c), (EntryRef::Pending(1), EntryRef::Pending(2), EntryRef::Pending(3)));
    assert_eq!(s.pending_changes().len(), 3);
    assert_eq!(s.entry(c).unwrap().credited_minutes, Minutes(90));
    assert!(s.entry(c).unwrap().pending_sync);

    // Progress offline: the approved 1 October entry counts 2 x 15 = 30 min; the
    // three new ones are claimed (45 + 30 + 90 = 165) but not verified.
    let p = s.recap(None, "2026-10-05").unwrap();
    assert_eq!(p.recap.verified_minutes, Minutes(30));
    assert_eq!(p.recap.claimed_minutes, Minutes(30 + 165));
    // Target: 22 working days in October 2026 x 300 min = 6,600; 30 / 6,600 = 0.4545...%
    assert_eq!(p.recap.target.target_minutes, Minutes(6_600));
    assert_eq!(p.recap.achievement_percent.unwrap().round_dp(4).to_string(), "0.4545");
    assert_eq!((p.recap.entries.pending, p.recap.entries.approved), (3, 1));

    // Upload. While it is in flight, STAFF logs one more (13:00-14:00, 4 x 15 = 60).
    let upload = changes_from_json(&s.pending_changes_json()).unwrap();
    let d4 = s.log_activity(&draft(5, "13:00", "14:00", "4"), "2026-10-05T16:05").unwrap();
    assert_eq!(d4, EntryRef::Pending(4));
    let answer = receive(&mut server, &ctx, &upload);
    let server_ids: Vec<ActivityId> = answer
        .results
        .iter()
        .map(|r| match r.outcome {
            ChangeOutcome::Accepted { entry, .. } => entry,
            ChangeOutcome::Rejected { ref code, .. } => panic!("rejected: {code}"),
        })
        .collect();
    assert_eq!(server_ids, [ActivityId(4), ActivityId(5), ActivityId(6)]);

    // The phone rebases on the answer (results only): the three are acknowledged,
    // the fourth is replayed on top and still waits.
    s.apply_server_answer(&answer.to_json()).unwrap();
    assert_eq!(s.pending_changes().len(), 1);
    assert_eq!(s.pending_changes()[0].id, 4);
    assert!(s.rejected_changes().is_empty());
    assert!(!s.needs_fresh_bundle());
    let refs: Vec<EntryRef> = s.entries(None).unwrap().iter().map(|v| v.entry).collect();
    assert_eq!(
        refs,
        [
            EntryRef::Server(ActivityId(3)),
            EntryRef::Server(ActivityId(4)),
            EntryRef::Server(ActivityId(5)),
            EntryRef::Server(ActivityId(6)),
            EntryRef::Pending(4)
        ]
    );
    // The authoritative state on the phone is what the server would send now.
    let fresh = DeviceBundle::for_employee(&city, &[], &server, &nip(STAFF), oct()).unwrap();
    assert_eq!(s.authoritative_state(), fresh.state);
    // Applying the same answer again changes nothing.
    s.apply_server_answer(&answer.to_json()).unwrap();
    assert_eq!(s.pending_changes().len(), 1);
    assert_eq!(s.authoritative_state(), fresh.state);

    // Second upload; this time the server answers with a fresh bundle.
    let upload = changes_from_json(&s.pending_changes_json()).unwrap();
    let mut answer = receive(&mut server, &ctx, &upload);
    answer.bundle = Some(DeviceBundle::for_employee(&city, &[], &server, &nip(STAFF), oct()).unwrap());
    s.apply_server_answer(&answer.to_json()).unwrap();
    assert!(s.pending_changes().is_empty());
    let fresh = DeviceBundle::for_employee(&city, &[], &server, &nip(STAFF), oct()).unwrap();
    assert_eq!(s.state_in_server_ids().unwrap(), fresh.state);
    // The server counts the same minutes as the phone: claimed 30 + 165 + 60 = 255.
    let server_recap = kinerja::recap::monthly_recap(&server, &ctx, d(2026, 10, 5)).unwrap();
    let on_server = server_recap.employees.iter().find(|e| e.employee == nip(STAFF)).unwrap();
    let on_phone = s.recap(None, "2026-10-05").unwrap().recap;
    assert_eq!(on_phone.claimed_minutes, Minutes(255));
    assert_eq!(&on_phone, on_server);
}

#[test]
fn a_supervisors_queue_and_decisions() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    let a = server_log(&mut server, &ctx, input(STAFF, 5, (8, 0), (9, 0), "STAF-T1", 4), at(5, 15, 0));
    let b = server_log(&mut server, &ctx, input(STAFF, 5, (9, 0), (10, 0), "STAF-T1", 2), at(5, 15, 1));
    let c = server_log(&mut server, &ctx, input(PEER, 5, (8, 0), (9, 0), "STAF-T1", 3), at(5, 15, 2));
    let own = server_log(&mut server, &ctx, input(KASI, 5, (8, 0), (10, 0), "KASI-T1", 2), at(5, 15, 3));

    // KASI verifies STAFF and PEER; KADIS only KASI (KASI's position is occupied).
    let head = DeviceBundle::for_employee(&city, &[], &server, &nip(HEAD), oct()).unwrap();
    assert_eq!(head.subordinates, [nip(KASI)]);
    let mut s = phone(&city, &server, KASI);
    assert!(s.is_supervisor());
    assert_eq!(s.subordinates(), [nip(STAFF), nip(PEER)]);
    let queue: Vec<EntryRef> = s.verification_queue().unwrap().iter().map(|v| v.entry).collect();
    assert_eq!(queue, [EntryRef::Server(a), EntryRef::Server(b), EntryRef::Server(c)]);
    let first = &s.verification_queue().unwrap()[0];
    assert_eq!(first.employee_name, "Staf");
    assert_eq!(first.task_name.as_deref(), Some("Mengagendakan surat"));

    let now = "2026-10-06T08:00";
    // Errors first: none changes anything.
    let e = s.approve(EntryRef::Server(a), Some("empat"), now).unwrap_err();
    assert_eq!((e.code(), e.area()), ("invalid_input", ErrorArea::Parse));
    let e = s.approve(EntryRef::Server(a), Some("5"), now).unwrap_err();
    assert_eq!((e.code(), e.area()), ("quantity_out_of_range", ErrorArea::Verification));
    let e = s.reject(EntryRef::Server(c), "  ", now).unwrap_err();
    assert_eq!((e.code(), e.area()), ("empty_reason", ErrorArea::Verification));
    let e = s.approve(EntryRef::Server(own), None, now).unwrap_err();
    assert_eq!((e.code(), e.area()), ("not_authorised", ErrorArea::NotAuthorised));
    let e = s.approve(EntryRef::Server(ActivityId(99)), None, now).unwrap_err();
    assert_eq!((e.code(), e.area()), ("unknown_entry", ErrorArea::NotFound));
    let e = s.approve(EntryRef::Server(a), None, "kemarin").unwrap_err();
    assert_eq!(e.problems()[0].field, "at");
    assert!(s.pending_changes().is_empty());

    // Approve a at 3 of the 4 letters claimed (3 x 15 = 45 min), return b, reject c.
    s.approve(EntryRef::Server(a), Some("3"), now).unwrap();
    s.return_entry(EntryRef::Server(b), "Lampirkan bukti", now).unwrap();
    s.reject(EntryRef::Server(c), "Bukan tugas hari itu", now).unwrap();
    assert!(s.verification_queue().unwrap().is_empty());
    // Deciding twice is refused offline: the entry is no longer submitted.
    let e = s.approve(EntryRef::Server(a), None, now).unwrap_err();
    assert_eq!(e.code(), "invalid_transition");
    let p = s.recap(Some(&nip(STAFF)), "2026-10-06").unwrap();
    assert_eq!(p.recap.verified_minutes, Minutes(45));
    assert_eq!((p.recap.entries.approved, p.recap.entries.returned), (1, 1));

    // Sync: all three accepted; the fresh bundle equals the phone's state.
    let answer = receive(&mut server, &ctx, &changes_from_json(&s.pending_changes_json()).unwrap());
    assert!(answer.results.iter().all(|r| matches!(r.outcome, ChangeOutcome::Accepted { .. })));
    s.apply_server_answer(&answer.to_json()).unwrap();
    let fresh = DeviceBundle::for_employee(&city, &[], &server, &nip(KASI), oct()).unwrap();
    assert_eq!(s.state_in_server_ids().unwrap(), fresh.state);
    assert_eq!(server.entry(a).unwrap().approved_quantity, Some(3));

    // STAFF sees b returned with its reason, edits it (3 letters, 09:00-10:00) and resubmits.
    let mut staff = phone(&city, &server, STAFF);
    let returned = staff.returned_entries().unwrap();
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].entry, EntryRef::Server(b));
    assert_eq!(returned[0].reason.as_deref(), Some("Lampirkan bukti"));
    let mut fix = draft(5, "09:00", "10:00", "3");
    fix.evidence = Some("scan-agenda.pdf".into());
    staff.edit_activity(EntryRef::Server(b), &fix, "2026-10-06T09:00").unwrap();
    staff.resubmit(EntryRef::Server(b), "2026-10-06T09:01").unwrap();
    // Editing an approved entry is refused.
    let e = staff.edit_activity(EntryRef::Server(a), &fix, "2026-10-06T09:02").unwrap_err();
    assert_eq!(e.code(), "invalid_transition");
    let answer = receive(&mut server, &ctx, staff.pending_changes());
    assert!(answer.results.iter().all(|r| matches!(r.outcome, ChangeOutcome::Accepted { .. })));
    assert_eq!(server.entry(b).unwrap().status, VerificationStatus::Submitted);
    assert_eq!(server.entry(b).unwrap().revision, 1);
}

#[test]
fn server_rejections_surface_with_their_codes() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    let x = server_log(&mut server, &ctx, input(STAFF, 5, (13, 0), (14, 0), "STAF-T1", 2), at(5, 14, 0));
    let mut s = phone(&city, &server, STAFF);

    // Meanwhile, on the web, STAFF logs 08:00-09:00 and the section head approves x.
    server_log(&mut server, &ctx, input(STAFF, 5, (8, 0), (9, 0), "STAF-T1", 2), at(5, 15, 0));
    server
        .execute(
            &ctx,
            Request::new(
                nip(KASI),
                at(5, 15, 30),
                Command::Verify { id: x, decision: Decision::Approve { quantity: None } },
            ),
        )
        .unwrap();

    // Offline, the phone does not know: it accepts 08:30-09:30, an edit of that
    // new entry, and an edit of x (still submitted on the phone).
    let n = s.log_activity(&draft(5, "08:30", "09:30", "2"), "2026-10-05T16:00").unwrap();
    s.edit_activity(n, &draft(5, "08:30", "09:30", "1"), "2026-10-05T16:01").unwrap();
    let upload = changes_from_json(&s.pending_changes_json()).unwrap();
    s.edit_activity(EntryRef::Server(x), &draft(5, "13:00", "14:00", "3"), "2026-10-05T16:02").unwrap();

    // The server refuses the first (overlap) and so the second (its entry does not
    // exist there); it answers with a fresh bundle.
    let mut answer = receive(&mut server, &ctx, &upload);
    let codes: Vec<&str> = answer
        .results
        .iter()
        .map(|r| match &r.outcome {
            ChangeOutcome::Rejected { code, .. } => code.as_str(),
            ChangeOutcome::Accepted { .. } => "accepted",
        })
        .collect();
    assert_eq!(codes, ["overlapping_entry", "unknown_entry"]);
    answer.bundle = Some(DeviceBundle::for_employee(&city, &[], &server, &nip(STAFF), oct()).unwrap());
    s.apply_server_answer(&answer.to_json()).unwrap();

    // Both surface with their codes; the edit of x, made after the upload, no
    // longer passes on the server's state (x is approved) and is dropped on rebase.
    let rejected: Vec<(u64, RejectedBy, &str, ErrorArea)> =
        s.rejected_changes().iter().map(|r| (r.change.id, r.by, r.code.as_str(), r.area)).collect();
    assert_eq!(
        rejected,
        [
            (1, RejectedBy::Server, "overlapping_entry", ErrorArea::ActivityRejected),
            (2, RejectedBy::Server, "unknown_entry", ErrorArea::NotFound),
            (3, RejectedBy::Rebase, "invalid_transition", ErrorArea::Verification),
        ]
    );
    assert!(s.pending_changes().is_empty());
    let fresh = DeviceBundle::for_employee(&city, &[], &server, &nip(STAFF), oct()).unwrap();
    assert_eq!(s.state_in_server_ids().unwrap(), fresh.state);
    assert_eq!(s.entries(None).unwrap().len(), 2);
    s.clear_rejected_changes();
    assert!(s.rejected_changes().is_empty());
}

#[test]
fn a_session_survives_save_and_restore() {
    let city = city();
    let server = Ledger::new(oct());
    let mut s = phone(&city, &server, STAFF);
    s.log_activity(&draft(5, "08:00", "09:00", "3"), "2026-10-05T16:00").unwrap();
    let n = s.log_activity(&draft(5, "09:00", "10:00", "3"), "2026-10-05T16:00").unwrap();
    s.edit_activity(n, &draft(5, "09:00", "10:00", "2"), "2026-10-05T16:10").unwrap();
    let saved = s.to_json();
    let r = DeviceSession::restore(&saved).unwrap();
    assert_eq!(r.pending_changes(), s.pending_changes());
    assert_eq!(r.ledger().state(), s.ledger().state());
    // Numbering goes on where it stopped.
    let mut r = r;
    let next = r.log_activity(&draft(5, "10:00", "11:00", "1"), "2026-10-05T16:20").unwrap();
    assert_eq!(next, EntryRef::Pending(4));
    assert!(DeviceSession::restore("{}").is_err());
}

#[test]
fn subordinates_follow_escalation_and_delegation() {
    // KASI's position vacant: the head verifies the staff directly (escalation).
    let vacant = Dataset::load_city(&city_json(false, false).to_string()).unwrap();
    let ledger = Ledger::new(oct());
    let head = DeviceBundle::for_employee(&vacant, &[], &ledger, &nip(HEAD), oct()).unwrap();
    assert_eq!(head.subordinates, [nip(STAFF), nip(PEER)]);
    // The staff's bundle still carries the vacant KASI position (to escalate over it).
    let staff = DeviceBundle::for_employee(&vacant, &[], &ledger, &nip(STAFF), oct()).unwrap();
    assert!(staff.dataset.positions.iter().any(|p| p.id.as_str() == "KASI"));
    let s = DeviceSession::from_bundle(head.issued("s-head")).unwrap();
    assert!(s.is_supervisor());

    // KASI delegates verification to PEER for October: PEER verifies STAFF, not themself.
    let delegated = Dataset::load_city(&city_json(true, true).to_string()).unwrap();
    let peer = DeviceBundle::for_employee(&delegated, &[], &ledger, &nip(PEER), oct()).unwrap();
    assert_eq!(peer.subordinates, [nip(STAFF)]);
    assert_eq!(peer.dataset.delegations.len(), 1);
    // An employee not in the city has no bundle.
    let e = DeviceBundle::for_employee(&delegated, &[], &ledger, &nip("199912312022121001"), oct()).unwrap_err();
    assert_eq!(e.code(), "unknown_employee");
}

#[test]
fn a_bad_bundle_is_refused_with_every_problem() {
    let city = city();
    let ledger = Ledger::new(oct());
    let bundle = DeviceBundle::for_employee(&city, &[], &ledger, &nip(STAFF), oct()).unwrap().issued("s-1");
    let mut v: serde_json::Value = serde_json::from_str(&bundle.to_json()).unwrap();
    // Two problems in the dataset part: a malformed NIP and an unknown field.
    v["dataset"]["employees"][0]["nip"] = "123".into();
    v["dataset"]["positions"][0]["colour"] = "red".into();
    let e = DeviceSession::open(&v.to_string()).unwrap_err();
    assert_eq!((e.code(), e.area()), ("invalid_dataset", ErrorArea::Validation));
    assert!(e.problems().len() >= 2, "{:?}", e.problems());

    let mut v: serde_json::Value = serde_json::from_str(&bundle.to_json()).unwrap();
    v["bundle_version"] = 99.into();
    let e = DeviceSession::open(&v.to_string()).unwrap_err();
    assert_eq!((e.code(), e.area()), ("format", ErrorArea::Parse));
    assert!(DeviceSession::open("not json").is_err());

    // A policy layer that does not load is refused on the server already.
    let e =
        DeviceBundle::for_employee(&city, &["[layer]\nname = 1".to_string()], &ledger, &nip(STAFF), oct()).unwrap_err();
    assert_eq!(e.area(), ErrorArea::Policy);

    // An answer for another month or person changes nothing.
    let mut s = DeviceSession::from_bundle(bundle).unwrap();
    let other = ServerAnswer { month: YearMonth::new(2026, 11).unwrap(), results: vec![], bundle: None };
    assert_eq!(s.apply_answer(other).unwrap_err().code(), "mismatch");
    let peer = DeviceBundle::for_employee(&city, &[], &ledger, &nip(PEER), oct()).unwrap();
    let other = ServerAnswer { month: oct(), results: vec![], bundle: Some(peer) };
    assert_eq!(s.apply_answer(other).unwrap_err().code(), "mismatch");
}

#[test]
fn a_city_policy_layer_travels_in_the_bundle() {
    // The city lets staff log 60 minutes before the schedule (07:30 - 60 = 06:30).
    let layer = r#"
        [layer]
        name = "Kota Uji"
        [[activity.overtime_before_minutes]]
        from = 2026-01-01
        value = 60
        ref = "Perwal Kota Uji No. 1 Tahun 2026"
    "#
    .to_string();
    let city = city();
    let ledger = Ledger::new(oct());
    let bundle = DeviceBundle::for_employee(&city, std::slice::from_ref(&layer), &ledger, &nip(STAFF), oct()).unwrap();
    let mut s = open(&bundle);
    s.log_activity(&draft(5, "06:30", "07:30", "2"), "2026-10-05T16:00").unwrap();
    // 06:29 is one minute too early even so.
    let e = s.log_activity(&draft(5, "06:29", "06:30", "1"), "2026-10-05T16:00").unwrap_err();
    assert_eq!(e.code(), "before_working_hours");
    // Without the layer, 06:30 is refused.
    let mut plain = phone(&city, &ledger, STAFF);
    let e = plain.log_activity(&draft(5, "06:30", "07:30", "2"), "2026-10-05T16:00").unwrap_err();
    assert_eq!(e.code(), "before_working_hours");
}

#[test]
fn the_task_picker_lists_the_owners_tasks() {
    let city = city();
    let s = phone(&city, &Ledger::new(oct()), STAFF);
    let tasks = s.tasks_on("2026-10-05").unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!((tasks[0].id.as_str(), tasks[0].standard_minutes), ("STAF-T1", Minutes(15)));
    assert!(!tasks[0].extra);
    assert_eq!(s.tasks_on("5 Oktober").unwrap_err().code(), "invalid_input");
    assert_eq!(s.employee_name(&nip(KASI)), Some("Kasi"));
}

#[test]
fn absences_reported_on_the_phone_follow_the_attendance_rules() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    let mut s = phone(&city, &server, STAFF);
    let now = "2026-10-06T07:00";
    // A doctor's note is required for `sick_with_note` (attendance.evidence_required).
    let e = s.report_absence("sick_with_note", "2026-10-06", "2026-10-07", None, None, now).unwrap_err();
    assert_eq!((e.code(), e.area()), ("absence_evidence_required", ErrorArea::Attendance));
    assert_eq!(e.problems()[0].field, "evidence");
    s.report_absence("sick_with_note", "2026-10-06", "2026-10-07", Some("SKD 12/2026"), None, now).unwrap();
    // Overlapping the sickness on 7 October.
    let e = s.report_absence("permit", "2026-10-07", "2026-10-07", None, None, now).unwrap_err();
    assert_eq!(e.code(), "absence_overlap");
    // Unknown kinds and bad dates are input errors, all fields at once.
    let e = s.report_absence("liburan", "2026-10-32", "2026-10-08", None, None, now).unwrap_err();
    let fields: Vec<String> = e.problems().into_iter().map(|p| p.field).collect();
    assert_eq!(fields, ["kind", "start"]);
    // The attendance summary counts its working days: Tuesday 6 and Wednesday 7
    // October = 2 days.
    let recap = s.recap(None, "2026-10-07").unwrap();
    assert_eq!(recap.attendance().absences.get("sick_with_note"), Some(&2));

    // The server accepts the phone's report, and refuses a change that names
    // anybody else than the session's owner as its actor.
    let mut upload = changes_from_json(&s.pending_changes_json()).unwrap();
    let mut forged = upload[0].clone();
    forged.id = 2;
    forged.actor = nip(PEER);
    upload.push(forged);
    let answer = receive(&mut server, &ctx, &upload);
    assert!(matches!(answer.results[0].outcome, ChangeOutcome::Accepted { entry: ActivityId(0), .. }));
    match &answer.results[1].outcome {
        ChangeOutcome::Rejected { code, area, .. } => {
            assert_eq!((code.as_str(), *area), ("not_session_owner", ErrorArea::NotAuthorised))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.state().absences.len(), 1);
}

#[test]
fn the_projected_allowance_is_the_servers_slip() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    // Mon 5 Oct: 08:00-09:00, 3 x 15 = 45 min and 09:00-10:00, 2 x 15 = 30 min, both approved.
    let a = server_log(&mut server, &ctx, input(STAFF, 5, (8, 0), (9, 0), "STAF-T1", 3), at(5, 15, 0));
    let b = server_log(&mut server, &ctx, input(STAFF, 5, (9, 0), (10, 0), "STAF-T1", 2), at(5, 15, 1));
    for id in [a, b] {
        let command = Command::Verify { id, decision: Decision::Approve { quantity: None } };
        server.execute(&ctx, Request::new(nip(KASI), at(6, 8, 0), command)).unwrap();
    }
    let s = phone(&city, &server, STAFF);
    let projected = s.projected_allowance("2026-10-06").unwrap();
    // The server pays the same slip from the whole city's recap.
    let recap = kinerja::recap::monthly_recap(&server, &ctx, d(2026, 10, 6)).unwrap();
    let mine = recap.employees.iter().find(|e| e.employee == nip(STAFF)).unwrap();
    let input = kinerja::payroll::allowance_input(&city, &ctx, mine).unwrap();
    let slip = kinerja::allowance::compute_slip(&input, &policy).unwrap();
    assert_eq!(projected.input, input);
    // The figures are the server's slip's; the explained slip, opened on demand, is
    // the server's slip itself.
    let lines: Vec<(&str, kinerja::Money)> = projected.lines.iter().map(|l| (l.rule.name(), l.amount)).collect();
    let want: Vec<(&str, kinerja::Money)> = slip.lines.iter().map(|l| (l.rule.as_str(), l.amount)).collect();
    assert_eq!(lines, want);
    let a = projected.amounts;
    assert_eq!(
        (a.ceiling, a.gross, a.tax, a.contribution, a.net),
        (slip.ceiling(), slip.gross, slip.tax, slip.contribution, slip.net)
    );
    assert_eq!(s.explain_projection(&projected).unwrap(), slip);
    // By hand: class 5 ceiling C = 1,700,000; P = 60 % = 1,020,000; verified 75 of
    // 6,600 minutes: E = R(1,020,000 x 75 / 6,600) = R(11,590.9) = 11,591, so the
    // shortfall is 11,591 - 1,020,000 = -1,008,409.
    assert_eq!(projected.amounts.ceiling, kinerja::Money::from_rupiah(1_700_000));
    assert_eq!(lines[1], ("performance.shortfall", kinerja::Money::from_rupiah(-1_008_409)));
    assert!(!projected.deadline_passed);
    // An allowance input that cannot be read is a parse error.
    let e = kinerja::device::slip_from_json("{}", &[]).unwrap_err();
    assert_eq!((e.code(), e.area()), ("format", ErrorArea::Parse));
}

/// The phone reads dates and times digit by digit for the usual forms and hands
/// everything else to chrono: the values accepted, and those refused, must be
/// exactly chrono's `%Y-%m-%d`, `%H:%M` and `%H:%M:%S` (after trimming, with the
/// length the form has).
#[test]
fn typed_dates_and_times_read_as_chrono_reads_them() {
    let chrono_date = |t: &str| {
        let t = t.trim();
        if t.len() == 10 { NaiveDate::parse_from_str(t, "%Y-%m-%d").ok() } else { None }
    };
    let chrono_time = |t: &str| {
        let t = t.trim();
        match t.len() {
            5 => NaiveTime::parse_from_str(t, "%H:%M").ok(),
            8 => NaiveTime::parse_from_str(t, "%H:%M:%S").ok(),
            _ => None,
        }
    };
    let mut dates = vec![
        "2026-10-05",
        " 2026-10-05 ",
        "2026-02-29",
        "2028-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-10-00",
        "2026-10-32",
        "2026-1-005",
        "2026/10/05",
        "+2026-10-5",
        "0000-01-01",
        "9999-12-31",
        "20261005xx",
        "2026-10-5 ",
        "2026-10-05T08:00",
        "",
        "abcd-ef-gh",
        "2026-09-31",
        "2026-04-30",
    ];
    // Every month and day number 0..=32 of a leap and a common year.
    let grid: Vec<String> = [2026, 2028]
        .iter()
        .flat_map(|y| (0..=13).flat_map(move |m| (0..=32).map(move |d| format!("{y}-{m:02}-{d:02}"))))
        .collect();
    for t in &dates {
        assert_eq!(parse_date(t), chrono_date(t), "date `{t}`");
    }
    // The grid's real days: 365 + 366, and each is the day written.
    let read: Vec<NaiveDate> = grid.iter().filter_map(|t| parse_date(t)).collect();
    assert_eq!(read.len(), 365 + 366);
    assert!(
        read.iter()
            .zip(read.iter().skip(1))
            .all(|(a, b)| b.pred_opt() == Some(*a) || (a.year(), b.year()) == (2026, 2028))
    );
    dates.extend(grid.iter().map(String::as_str));
    for t in &dates {
        assert_eq!(parse_date(t), chrono_date(t), "date `{t}`");
    }
    let mut times = vec![
        "08:00",
        " 08:00 ",
        "23:59",
        "24:00",
        "12:60",
        "7:30",
        "07:3",
        "08:00:00",
        "23:59:59",
        "23:59:60",
        "08:00:61",
        "08-00",
        "0800",
        "08:00:0",
        "08.00.00",
        "",
        "aa:bb",
        "08:00:00.5",
    ];
    let grid: Vec<String> = (0..=25).flat_map(|h| (0..=61).map(move |m| format!("{h:02}:{m:02}"))).collect();
    let seconds: Vec<String> = (0..=61).map(|s| format!("13:45:{s:02}")).collect();
    // 24 x 60 minutes of the day, in order; 60 seconds (the leap second 60 is
    // chrono's to read, 61 is refused).
    let read: Vec<NaiveTime> = grid.iter().filter_map(|t| parse_time(t)).collect();
    assert_eq!(read.len(), 24 * 60);
    assert!(read.iter().enumerate().all(|(i, t)| t.num_seconds_from_midnight() as usize == i * 60));
    assert_eq!(seconds.iter().take(60).filter_map(|t| parse_time(t)).count(), 60);
    times.extend(grid.iter().map(String::as_str));
    times.extend(seconds.iter().map(String::as_str));
    for t in &times {
        assert_eq!(parse_time(t), chrono_time(t), "time `{t}`");
    }
}
