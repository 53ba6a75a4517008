//! Who may read whose records and who may administer (`kinerja::grants`), on the
//! test city of `common/mod.rs`: Dinas (KADIS <- KASI <- STAF x2: STAFF, PEER),
//! BKD (BKD-KABAN <- BKD-STAF: HR1, HR2, ATT), HR officers HR1 and HR2, ATT the
//! attendance officer of DINAS, HR2 also of BKD, WALIKOTA verifying both top
//! positions, WAKIL verifying none.

use kinerja::UnitId;
use kinerja::grants::{Reader, may_administer, may_read_city, may_read_employee, may_read_queue, may_read_unit};
use kinerja::org::VerifierRole;

mod common;
use common::*;

fn read(who: &str, whose: &str) -> Result<&'static str, &'static str> {
    let city = city();
    let access = city.access();
    may_read_employee(&access, &actor(who), &nip(whose), d(2026, 10, 5)).map(Reader::as_str).map_err(|e| e.reason())
}

#[test]
fn an_employees_records_are_read_by_themselves_their_chain_and_hr() {
    // (reader, whose records, expected answer)
    let cases: &[(&str, &str, Result<&str, &str>)] = &[
        (STAFF, STAFF, Ok("own")),
        (KASI, STAFF, Ok("verifier")),  // the direct supervisor
        (HEAD, STAFF, Ok("above")),     // the supervisor's supervisor
        (HR1, STAFF, Ok("hr_officer")), // HR reads everyone
        (HR2, HEAD, Ok("hr_officer")),
        (WALIKOTA, HEAD, Ok("verifier")), // the official of the top position
        (PEER, STAFF, Err("not_the_supervisor")),
        (STAFF, KASI, Err("not_the_supervisor")),  // not upwards
        (ATT, STAFF, Err("not_the_supervisor")),   // an attendance officer reads a unit's roll, not a person's month
        (KABAN, STAFF, Err("not_the_supervisor")), // another unit's head
        (WAKIL, HEAD, Err("not_the_verifier")),
        (WALIKOTA, STAFF, Err("not_the_verifier")),
        (FP_DINAS, STAFF, Err("not_an_employee")),
        ("199912122020121009", STAFF, Err("unknown_actor")),
        (KASI, "199912122020121009", Err("unknown_employee")),
    ];
    for (who, whose, expected) in cases {
        assert_eq!(&read(who, whose), expected, "{who} reading {whose}");
    }
}

#[test]
fn the_verifier_role_is_reported() {
    let city = city();
    let access = city.access();
    let r = may_read_employee(&access, &actor(KASI), &nip(STAFF), d(2026, 10, 5)).expect("kasi");
    assert_eq!(r, Reader::Verifier(VerifierRole::Definitive));
}

#[test]
fn a_former_supervisor_reads_nothing_after_leaving() {
    // KASI's definitive assignment ends on 9 October: on the 12th he is out of
    // service and reads nobody's month, not even his old team's.
    let mut json = city_json();
    for a in json["assignments"].as_array_mut().unwrap() {
        if a["employee"] == KASI {
            a["until"] = "2026-10-09".into();
        }
    }
    let city = kinerja::dataset::Dataset::load_city(&json.to_string()).expect("city");
    let access = city.access();
    assert!(may_read_employee(&access, &actor(KASI), &nip(STAFF), d(2026, 10, 9)).is_ok());
    let after = may_read_employee(&access, &actor(KASI), &nip(STAFF), d(2026, 10, 12)).unwrap_err();
    assert_eq!(after.reason(), "not_in_service");
}

#[test]
fn a_units_roll_is_read_by_its_attendance_officer_and_hr() {
    let city = city();
    let access = city.access();
    let on = d(2026, 10, 5);
    let dinas = UnitId::from("DINAS");
    let bkd = UnitId::from("BKD");
    assert!(may_read_unit(&access, &actor(ATT), &dinas, on).is_ok());
    assert_eq!(may_read_unit(&access, &actor(ATT), &bkd, on).unwrap_err().reason(), "outside_unit");
    assert!(may_read_unit(&access, &actor(HR1), &dinas, on).is_ok());
    assert_eq!(may_read_unit(&access, &actor(KASI), &dinas, on).unwrap_err().reason(), "not_an_officer");
    assert_eq!(may_read_unit(&access, &actor(FP_DINAS), &dinas, on).unwrap_err().reason(), "not_an_employee");
}

#[test]
fn only_hr_officers_read_the_city_and_administer() {
    let city = city();
    let access = city.access();
    let on = d(2026, 10, 5);
    for who in [HR1, HR2] {
        assert!(may_read_city(&access, &actor(who), on).is_ok(), "{who}");
        assert!(may_administer(&access, &actor(who), on).is_ok(), "{who}");
    }
    for (who, code) in [
        (KABAN, "not_an_officer"),
        (HEAD, "not_an_officer"),
        (ATT, "not_an_officer"),
        (WALIKOTA, "not_an_employee"),
        (FP_DINAS, "not_an_employee"),
    ] {
        assert_eq!(may_read_city(&access, &actor(who), on).unwrap_err().reason(), code, "{who}");
        assert_eq!(may_administer(&access, &actor(who), on).unwrap_err().reason(), code, "{who}");
    }
}

#[test]
fn a_verification_queue_is_for_employees_and_officials_not_devices() {
    let city = city();
    let access = city.access();
    let on = d(2026, 10, 5);
    for who in [STAFF, KASI, HR1, ATT, WALIKOTA, WAKIL] {
        assert!(may_read_queue(&access, &actor(who), on).is_ok(), "{who}");
    }
    for (who, code) in [
        (FP_DINAS, "not_an_employee"),
        (FACE_BKD, "not_an_employee"),
        ("199912122020121009", "unknown_actor"),
        ("official:NOBODY", "unknown_actor"),
    ] {
        assert_eq!(may_read_queue(&access, &actor(who), on).unwrap_err().reason(), code, "{who}");
    }
    // Out of service: an employee whose assignments ended, an official out of office.
    let mut json = city_json();
    for a in json["assignments"].as_array_mut().unwrap() {
        if a["employee"] == KASI {
            a["until"] = "2026-10-09".into();
        }
    }
    for o in json["officials"].as_array_mut().unwrap() {
        if o["id"] == "WAKIL" {
            o["until"] = "2026-10-09".into();
        }
    }
    let city = kinerja::dataset::Dataset::load_city(&json.to_string()).expect("city");
    let access = city.access();
    let after = d(2026, 10, 12);
    assert_eq!(may_read_queue(&access, &actor(KASI), after).unwrap_err().reason(), "not_in_service");
    assert_eq!(may_read_queue(&access, &actor(WAKIL), after).unwrap_err().reason(), "not_in_service");
    assert!(may_read_queue(&access, &actor(WALIKOTA), after).is_ok());
}

/// The test city with KABAN appointed budget and planning officer (`finance`) and
/// PEER and KASI members of the awards panel, from 1 October 2026.
fn city_with_insight_roles() -> kinerja::dataset::City {
    let mut json = city_json();
    let officers = json["officers"].as_array_mut().unwrap();
    for (who, role) in [(KABAN, "finance"), (PEER, "award_panel"), (KASI, "award_panel")] {
        officers.push(serde_json::json!({"employee": who, "role": role, "from": "2026-10-01",
                                         "reference": "SK Wali Kota (uji)"}));
    }
    kinerja::dataset::Dataset::load_city(&json.to_string()).expect("city")
}

#[test]
fn budgets_roll_out_nominations_and_scores_have_their_officers() {
    use kinerja::access::{
        may_nominate, may_read_nominations, may_record_budget, may_record_rollout, may_score_nomination,
    };
    let city = city_with_insight_roles();
    let access = city.access();
    let on = d(2026, 10, 5);
    let reason = |r: Result<(), kinerja::org::NotAuthorised>| r.map_err(|e| e.reason());
    // Budgets and plans: the budget and planning officer only; before the decree, no.
    assert_eq!(reason(may_record_budget(&access, &actor(KABAN), on)), Ok(()));
    assert_eq!(reason(may_record_budget(&access, &actor(KABAN), d(2026, 9, 30))), Err("not_an_officer"));
    assert_eq!(reason(may_record_budget(&access, &actor(HR1), on)), Err("not_an_officer"));
    assert_eq!(reason(may_record_budget(&access, &actor(WALIKOTA), on)), Err("not_an_employee"));
    assert_eq!(reason(may_record_budget(&access, &actor(FP_DINAS), on)), Err("not_an_employee"));
    // Roll-out and nominations: HR.
    assert_eq!(reason(may_record_rollout(&access, &actor(HR2), on)), Ok(()));
    assert_eq!(reason(may_record_rollout(&access, &actor(KABAN), on)), Err("not_an_officer"));
    assert_eq!(reason(may_nominate(&access, &actor(HR1), on)), Ok(()));
    assert_eq!(reason(may_nominate(&access, &actor(PEER), on)), Err("not_an_officer"));
    // Reading nominations: HR or the panel.
    assert_eq!(reason(may_read_nominations(&access, &actor(HR1), on)), Ok(()));
    assert_eq!(reason(may_read_nominations(&access, &actor(PEER), on)), Ok(()));
    assert_eq!(reason(may_read_nominations(&access, &actor(STAFF), on)), Err("not_an_officer"));
    // Scoring: a panel member, never of their own nomination.
    assert_eq!(reason(may_score_nomination(&access, &actor(PEER), &nip(STAFF), on)), Ok(()));
    assert_eq!(reason(may_score_nomination(&access, &actor(KASI), &nip(KASI), on)), Err("self_verification"));
    assert_eq!(reason(may_score_nomination(&access, &actor(HR1), &nip(STAFF), on)), Err("not_an_officer"));
}

#[test]
fn a_budget_officer_or_panel_member_serves_the_whole_city() {
    let mut json = city_json();
    json["officers"].as_array_mut().unwrap().push(serde_json::json!({"employee": KABAN, "role": "finance",
        "unit": "DINAS", "from": "2026-10-01", "reference": "SK (uji)"}));
    let Err(e) = kinerja::dataset::Dataset::load_city(&json.to_string()) else { panic!("a unit was accepted") };
    assert!(format!("{e:?}").contains("whole city"), "{e:?}");
}
