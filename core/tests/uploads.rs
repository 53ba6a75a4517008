//! Phone uploads under the server's authority: idempotency keys, the session's
//! owner, the server's receive time, sealed saved sessions. Each test is a defect
//! of issue #9 that must not come back.
//!
//! The month: the shared test city (see `common/mod.rs`) in October 2026. Monday 5
//! October is a working day (07:30-16:00); the entry window and the claim window
//! are 3 working days (national policy).

use chrono::NaiveDateTime;
use kinerja::YearMonth;
use kinerja::activity::ActivityId;
use kinerja::device::{
    ActivityDraft, Change, ChangeOutcome, DeviceBundle, DeviceSession, PendingChange, Receipts, ServerAnswer,
    UploadSource, apply_uploads, changes_from_json,
};
use kinerja::ledger::{Ledger, MonthContext};
use kinerja::policy::Policy;

mod common;
use common::*;

fn oct() -> YearMonth {
    YearMonth::new(2026, 10).unwrap()
}

fn draft(day: u32, start: &str, end: &str, quantity: &str) -> ActivityDraft {
    ActivityDraft {
        date: format!("2026-10-{day:02}"),
        start: start.into(),
        end: end.into(),
        task: "STAF-T1".into(),
        quantity: quantity.into(),
        description: "Agenda surat".into(),
        evidence: None,
    }
}

/// The server's view of one phone: the session it issued, to whom.
struct Phone {
    session: &'static str,
    owner: &'static str,
}

impl Phone {
    fn open(&self, city: &kinerja::dataset::City, ledger: &Ledger) -> DeviceSession {
        let bundle = DeviceBundle::for_employee(city, &[], ledger, &nip(self.owner), oct()).unwrap();
        DeviceSession::open(&bundle.issued(self.session).to_json()).unwrap()
    }

    fn upload(
        &self,
        server: &mut Ledger,
        ctx: &MonthContext<'_>,
        receipts: &mut Receipts,
        changes: &[PendingChange],
        received_at: NaiveDateTime,
    ) -> ServerAnswer {
        let owner = nip(self.owner);
        let source = UploadSource { session: self.session, owner: &owner, received_at };
        apply_uploads(server, ctx, &source, receipts, changes)
    }
}

const STAFF_PHONE: Phone = Phone { session: "s-staff-1", owner: STAFF };

fn codes(a: &ServerAnswer) -> Vec<String> {
    a.results
        .iter()
        .map(|r| match &r.outcome {
            ChangeOutcome::Accepted { entry, .. } => format!("ok #{}", entry.0),
            ChangeOutcome::Rejected { code, .. } => code.clone(),
        })
        .collect()
}

#[test]
fn a_retried_upload_gets_the_stored_answer_and_counts_nothing_twice() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    let mut receipts = Receipts::default();
    let mut s = STAFF_PHONE.open(&city, &server);
    s.log_activity(&draft(5, "08:00", "09:00", "3"), "2026-10-05T16:00").unwrap();
    s.log_activity(&draft(5, "08:30", "10:00", "2"), "2026-10-05T16:01").unwrap_err(); // overlap, refused offline
    s.log_activity(&draft(5, "09:00", "10:00", "2"), "2026-10-05T16:02").unwrap();
    let upload = changes_from_json(&s.pending_changes_json()).unwrap();
    assert_eq!(upload.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["s-staff-1:1", "s-staff-1:2"]);
    let first = STAFF_PHONE.upload(&mut server, &ctx, &mut receipts, &upload, at(d(2026, 10, 5), 16, 30));
    assert_eq!(codes(&first), ["ok #1", "ok #2"]);
    let head = server.head();
    // The answer was lost; the phone sends the same upload again: the same answers,
    // nothing executed.
    let again = STAFF_PHONE.upload(&mut server, &ctx, &mut receipts, &upload, at(d(2026, 10, 5), 16, 45));
    assert_eq!(again, first);
    assert_eq!(server.head(), head);
    assert_eq!(server.state().entries.len(), 2);
    // Even if the server lost its receipts, the ledger remembers the keys it applied.
    let again = STAFF_PHONE.upload(&mut server, &ctx, &mut Receipts::default(), &upload, at(d(2026, 10, 5), 17, 0));
    assert_eq!(codes(&again), ["ok #1", "ok #2"]);
    assert_eq!(server.state().entries.len(), 2);
    // The journal keeps each key and both times.
    let e = &server.events()[0];
    assert_eq!(e.key.as_deref(), Some("s-staff-1:1"));
    assert_eq!((e.at, e.received_at), (at(d(2026, 10, 5), 16, 0), Some(at(d(2026, 10, 5), 16, 30))));
}

#[test]
fn only_the_sessions_owner_acts_through_it() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    let mut receipts = Receipts::default();
    let mut s = STAFF_PHONE.open(&city, &server);
    s.log_activity(&draft(5, "08:00", "09:00", "3"), "2026-10-05T16:00").unwrap();
    let mut upload = changes_from_json(&s.pending_changes_json()).unwrap();
    let answer = STAFF_PHONE.upload(&mut server, &ctx, &mut receipts, &upload, at(d(2026, 10, 5), 16, 30));
    assert_eq!(codes(&answer), ["ok #1"]);
    // The supervisor's approval, sent from the employee's phone: refused, whoever it names.
    let approval = PendingChange {
        id: 2,
        key: "s-staff-1:2".into(),
        actor: nip(KASI),
        at: at(d(2026, 10, 6), 8, 0),
        change: Change::Verify {
            entry: kinerja::device::EntryRef::Server(ActivityId(1)),
            decision: kinerja::activity::Decision::Approve { quantity: None },
        },
    };
    upload.push(approval.clone());
    let answer = STAFF_PHONE.upload(&mut server, &ctx, &mut receipts, &upload[1..], at(d(2026, 10, 6), 8, 5));
    assert_eq!(codes(&answer), ["not_session_owner"]);
    // A change carrying another session's key is refused too, and not remembered
    // under that key (so it cannot spoil the other phone's answer).
    let foreign = PendingChange { key: "s-kasi-1:2".into(), actor: nip(STAFF), ..approval };
    let answer = STAFF_PHONE.upload(&mut server, &ctx, &mut receipts, &[foreign], at(d(2026, 10, 6), 8, 6));
    assert_eq!(codes(&answer), ["foreign_session"]);
    assert!(!receipts.answers.contains_key("s-kasi-1:2"));
    assert_eq!(server.state().transitions.len(), 0);
}

#[test]
fn an_offline_claim_is_judged_against_the_servers_receive_time() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    let mut s = STAFF_PHONE.open(&city, &server);
    // On the phone's clock the entry is logged the same evening: inside the window.
    s.log_activity(&draft(5, "08:00", "09:00", "3"), "2026-10-05T16:00").unwrap();
    let upload = changes_from_json(&s.pending_changes_json()).unwrap();
    // It reaches the server on Wednesday 14 October: 3 working days back from the
    // 14th is Friday 9 October (13, 12, 9), so a claim of the 5th is too old.
    let late = STAFF_PHONE.upload(&mut server, &ctx, &mut Receipts::default(), &upload, at(d(2026, 10, 14), 9, 0));
    assert_eq!(codes(&late), ["claim_too_old"]);
    assert!(server.state().entries.is_empty());
    // Received on Thursday 8 October (3 working days: 7, 6, 5): accepted, both times kept.
    let mut server = Ledger::new(oct());
    let ok = STAFF_PHONE.upload(&mut server, &ctx, &mut Receipts::default(), &upload, at(d(2026, 10, 8), 9, 0));
    assert_eq!(codes(&ok), ["ok #1"]);
    assert_eq!(server.events()[0].received_at, Some(at(d(2026, 10, 8), 9, 0)));
    // A phone whose clock runs an hour ahead of the server: the claim is in the future.
    let mut s = STAFF_PHONE.open(&city, &Ledger::new(oct()));
    s.log_activity(&draft(5, "08:00", "09:00", "3"), "2026-10-05T17:00").unwrap();
    let ahead = changes_from_json(&s.pending_changes_json()).unwrap();
    let mut server = Ledger::new(oct());
    let a = STAFF_PHONE.upload(&mut server, &ctx, &mut Receipts::default(), &ahead, at(d(2026, 10, 5), 16, 0));
    assert_eq!(codes(&a), ["claim_in_future"]);
}

#[test]
fn an_altered_saved_session_is_refused() {
    let city = city();
    let server = Ledger::new(oct());
    let mut s = STAFF_PHONE.open(&city, &server);
    s.log_activity(&draft(5, "08:00", "09:00", "3"), "2026-10-05T16:00").unwrap();
    let saved = s.to_json();
    let restored = DeviceSession::restore(&saved).unwrap();
    assert_eq!(restored.pending_changes(), s.pending_changes());
    // 3 letters become 30 in the saved file.
    assert!(saved.contains("\"quantity\":3"));
    let altered = saved.replacen("\"quantity\":3", "\"quantity\":30", 1);
    let e = DeviceSession::restore(&altered).unwrap_err();
    assert!(e.to_string().contains("altered"), "{e}");
    // So is one whose seal was removed.
    let mut v: serde_json::Value = serde_json::from_str(&saved).unwrap();
    v.as_object_mut().unwrap().remove("seal");
    assert!(DeviceSession::restore(&v.to_string()).is_err());
    // A bundle without a session id cannot start a session.
    let bundle = DeviceBundle::for_employee(&city, &[], &server, &nip(STAFF), oct()).unwrap();
    assert_eq!(DeviceSession::open(&bundle.to_json()).unwrap_err().code(), "format");
}

#[test]
fn a_phone_restored_from_an_old_copy_cannot_reuse_a_key_for_another_change() {
    // The phone saves its session, logs and uploads change 1, then is restored from
    // the saved copy and logs another activity, also numbered 1.
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut server = Ledger::new(oct());
    let mut receipts = Receipts::default();
    let s = STAFF_PHONE.open(&city, &server);
    let backup = s.to_json();
    let mut s = s;
    s.log_activity(&draft(5, "08:00", "09:00", "3"), "2026-10-05T16:00").unwrap();
    let first = changes_from_json(&s.pending_changes_json()).unwrap();
    let a = STAFF_PHONE.upload(&mut server, &ctx, &mut receipts, &first, at(d(2026, 10, 5), 16, 10));
    assert_eq!(codes(&a), ["ok #1"]);
    let mut restored = DeviceSession::restore(&backup).unwrap();
    restored.log_activity(&draft(5, "10:00", "11:00", "2"), "2026-10-05T16:20").unwrap();
    let second = changes_from_json(&restored.pending_changes_json()).unwrap();
    assert_eq!(second[0].key, first[0].key, "the same number again");
    let b = STAFF_PHONE.upload(&mut server, &ctx, &mut receipts, &second, at(d(2026, 10, 5), 16, 30));
    // Refused loudly, not answered with the first change's outcome.
    assert_eq!(codes(&b), ["key_reused"]);
    assert_eq!(server.state().entries.len(), 1);
    // The phone shows the refusal instead of dropping the activity silently.
    restored.apply_server_answer(&b.to_json()).unwrap();
    assert_eq!(restored.rejected_changes().len(), 1);
    assert_eq!(restored.rejected_changes()[0].code, "key_reused");
}
