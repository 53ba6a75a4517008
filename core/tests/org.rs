//! The organisation index: supervisor resolution with Plt and Plh over date ranges,
//! headcount, and validation.

use chrono::NaiveDate;
use kinerja::anjab::{JobAnalysis, Task, Volume, VolumePeriod};
use kinerja::org::*;
use kinerja::{Minutes, PositionId};
use rust_decimal::Decimal;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn nip(s: &str) -> Nip {
    Nip::parse(s).unwrap()
}

fn unit(id: &str, parent: Option<&str>) -> WorkUnit {
    WorkUnit { id: id.into(), name: id.into(), parent: parent.map(Into::into) }
}

fn pos(id: &str, unit: &str, supervisor: Option<&str>) -> Position {
    Position {
        id: id.into(),
        name: id.into(),
        kind: PositionKind::Executor,
        job_class: JobClass::new(7).unwrap(),
        unit: unit.into(),
        supervisor: supervisor.map(Into::into),
        analysis: JobAnalysis::default(),
    }
}

fn emp(n: &str) -> Employee {
    Employee {
        nip: nip(n),
        name: n.into(),
        rank: "III/a".parse().unwrap(),
        employment: EmploymentType::Pns,
        rank_since: None,
    }
}

fn asg(n: &str, p: &str, kind: AssignmentKind, from: NaiveDate, until: Option<NaiveDate>) -> Assignment {
    Assignment { employee: nip(n), position: p.into(), kind, from, until }
}

fn task(id: &str, minutes: i64, quantity: i64) -> Task {
    Task {
        id: id.into(),
        name: id.into(),
        output: "dokumen".into(),
        output_unit: "dokumen".into(),
        standard_minutes: Minutes(minutes),
        volume: Volume { quantity: Decimal::from(quantity), per: VolumePeriod::Year },
        group: None,
    }
}

use AssignmentKind::{Definitive, Plh, Plt};

// People of the fixture.
const KADIS: &str = "197001012000011001"; // Kepala Dinas
const SEK: &str = "197502022001121002"; // Sekretaris until 2026-01-31
const KABID: &str = "197606062002031003"; // Kepala Bidang; Plt Sekretaris 2026-02-16..=2026-05-31
const KSU: &str = "198003032005011004"; // Kasubag Umum; Plt Sekretaris from 2026-07-01
const KSK: &str = "198104042006042005"; // Kasubag Keuangan; Plh Kasubag Umum 2026-03-09..=2026-03-13
const STAFF_A: &str = "198503152010011001"; // staff of Subag Umum
const STAFF_B: &str = "199001012015022001"; // staff of Subag Umum until 2026-04-30 (peer of A)

/// Dinas Pendidikan:
///
/// ```text
/// KADIS (Kepala Dinas)
/// +-- SEKDIS (Sekretaris)
/// |   +-- KASUBAG_UMUM
/// |   |   +-- STAFF_UMUM (2 holders)
/// |   +-- KASUBAG_KEU
/// +-- KABID (Kepala Bidang)
/// ```
///
/// SEKDIS timeline: SEK definitive to 2026-01-31; vacant 02-01..=02-15; KABID Plt
/// 02-16..=05-31; vacant 06-01..=06-30; KSU Plt from 07-01.
fn dinas() -> Organisation {
    let units =
        vec![unit("DISDIK", None), unit("SEKRETARIAT", Some("DISDIK")), unit("SUBAG_UMUM", Some("SEKRETARIAT"))];
    let positions = vec![
        pos("KADIS", "DISDIK", None),
        pos("SEKDIS", "SEKRETARIAT", Some("KADIS")),
        pos("KASUBAG_UMUM", "SUBAG_UMUM", Some("SEKDIS")),
        pos("STAFF_UMUM", "SUBAG_UMUM", Some("KASUBAG_UMUM")),
        pos("KASUBAG_KEU", "SEKRETARIAT", Some("SEKDIS")),
        pos("KABID", "DISDIK", Some("KADIS")),
    ];
    let employees = [KADIS, SEK, KABID, KSU, KSK, STAFF_A, STAFF_B].map(emp).to_vec();
    let assignments = vec![
        asg(KADIS, "KADIS", Definitive, d(2015, 1, 1), None),
        asg(SEK, "SEKDIS", Definitive, d(2018, 1, 1), Some(d(2026, 1, 31))),
        asg(KABID, "KABID", Definitive, d(2019, 1, 1), None),
        asg(KABID, "SEKDIS", Plt, d(2026, 2, 16), Some(d(2026, 5, 31))),
        asg(KSU, "KASUBAG_UMUM", Definitive, d(2020, 1, 1), None),
        asg(KSU, "SEKDIS", Plt, d(2026, 7, 1), None),
        asg(KSK, "KASUBAG_KEU", Definitive, d(2020, 1, 1), None),
        asg(KSK, "KASUBAG_UMUM", Plh, d(2026, 3, 9), Some(d(2026, 3, 13))),
        asg(STAFF_A, "STAFF_UMUM", Definitive, d(2021, 1, 1), None),
        asg(STAFF_B, "STAFF_UMUM", Definitive, d(2021, 1, 1), Some(d(2026, 4, 30))),
    ];
    Organisation::new(units, positions, employees, assignments).unwrap()
}

fn role(org: &Organisation, verifier: &str, employee: &str, date: NaiveDate) -> Result<VerifierRole, NotAuthorised> {
    org.verifier_role(&nip(verifier), &nip(employee), date)
}

fn not_the_supervisor(verifier: &str, employee: &str, date: NaiveDate, expected: &str) -> NotAuthorised {
    NotAuthorised::NotTheSupervisor {
        verifier: nip(verifier),
        employee: nip(employee),
        date,
        expected_position: expected.into(),
    }
}

#[test]
fn lookups_and_indexes() {
    let org = dinas();
    assert_eq!(org.position_index(&"STAFF_UMUM".into()), Some(3));
    assert_eq!(org.employee_index(&nip(STAFF_A)), Some(5));
    assert_eq!(org.unit_index(&"SUBAG_UMUM".into()), Some(2));
    assert_eq!(org.position(&"KADIS".into()).unwrap().name, "KADIS");
    assert!(org.position(&"NOPE".into()).is_none());
    assert_eq!(org.employee(&nip(KSK)).unwrap().nip, nip(KSK));
    assert_eq!(org.definitive_position(&nip(STAFF_A), d(2026, 3, 2)).unwrap().id, "STAFF_UMUM".into());
    // Before the first assignment there is no own position.
    assert!(org.definitive_position(&nip(STAFF_A), d(2020, 12, 31)).is_none());
    // KABID's own position stays KABID while acting as Plt Sekretaris.
    assert_eq!(org.definitive_position(&nip(KABID), d(2026, 3, 2)).unwrap().id, "KABID".into());
    // Assignments of KABID sorted by first day: KABID (2019), then Plt SEKDIS (2026).
    let kabid: Vec<_> = org.assignments_of(&nip(KABID)).map(|a| a.position.as_str()).collect();
    assert_eq!(kabid, ["KABID", "SEKDIS"]);
    let descendants: Vec<_> = org.unit_descendants(&"DISDIK".into()).iter().map(|u| u.id.as_str()).collect();
    assert_eq!(descendants, ["SEKRETARIAT", "SUBAG_UMUM"]);
    let subs: Vec<_> = org.subordinate_positions(&"SEKDIS".into()).map(|p| p.id.as_str()).collect();
    assert_eq!(subs, ["KASUBAG_UMUM", "KASUBAG_KEU"]);
    assert_eq!(org.unit_positions(&"SUBAG_UMUM".into()).count(), 2);
}

/// Ids handed on from the organisation share its text (one `Arc` per id): an
/// assignment's position is the position's own id, a position's unit the unit's own id,
/// so that a recap row's ids are found by pointer; an id with the same text that shares
/// nothing (read from elsewhere) is found by its text, at the same index.
#[test]
fn ids_handed_on_share_the_organisations_text() {
    let org = dinas();
    let staff = org.position(&"STAFF_UMUM".into()).unwrap();
    let held = org.assignments_of(&nip(STAFF_A)).next().unwrap();
    assert!(std::sync::Arc::ptr_eq(&held.position.0, &staff.id.0));
    let subag = &org.units()[2];
    assert!(std::sync::Arc::ptr_eq(&staff.unit.0, &subag.id.0));
    // Shared and fresh ids of the same text give the same index.
    let fresh = PositionId::from("STAFF_UMUM");
    assert!(!std::sync::Arc::ptr_eq(&fresh.0, &staff.id.0));
    assert_eq!(org.position_index(&held.position), Some(3));
    assert_eq!(org.position_index(&fresh), Some(3));
    assert_eq!(org.unit_index(&staff.unit), Some(2));
    assert_eq!(org.unit_index(&"SUBAG_UMUM".into()), Some(2));
    // A clone keeps the texts, and finds them as the original does.
    let copy = org.clone();
    assert_eq!(copy.position_index(&held.position), Some(3));
    assert_eq!(copy.unit_index(&staff.unit), Some(2));
}

/// The lookups by address do not leak into `Debug`: two organisations built from the
/// same records (their texts at different addresses) print the same.
#[test]
fn debug_form_does_not_show_addresses() {
    let (a, b) = (dinas(), dinas());
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

#[test]
fn definitive_supervisor_verifies_and_others_are_refused() {
    let org = dinas();
    let day = d(2026, 3, 2);
    assert_eq!(role(&org, KSU, STAFF_A, day), Ok(VerifierRole::Definitive));
    // Self-verification.
    assert_eq!(role(&org, STAFF_A, STAFF_A, day), Err(NotAuthorised::SelfVerification));
    // A peer (same position) may not verify.
    assert_eq!(role(&org, STAFF_B, STAFF_A, day), Err(not_the_supervisor(STAFF_B, STAFF_A, day, "KASUBAG_UMUM")));
    // The supervisor's supervisor (Plt Sekretaris on that day) may not, KASUBAG_UMUM is occupied.
    assert_eq!(role(&org, KABID, STAFF_A, day), Err(not_the_supervisor(KABID, STAFF_A, day, "KASUBAG_UMUM")));
    // Nor the head of the agency.
    assert_eq!(role(&org, KADIS, STAFF_A, day), Err(not_the_supervisor(KADIS, STAFF_A, day, "KASUBAG_UMUM")));
    // A subordinate may not verify their supervisor.
    assert_eq!(role(&org, STAFF_A, KSU, day), Err(not_the_supervisor(STAFF_A, KSU, day, "SEKDIS")));

    let r = org.direct_supervisor(&nip(STAFF_A), day).unwrap();
    assert_eq!(
        r,
        SupervisorResolution {
            position: "KASUBAG_UMUM".into(),
            skipped_vacant: vec![],
            definitive: vec![nip(KSU)],
            acting: vec![]
        }
    );
}

#[test]
fn plt_in_a_vacancy_is_authorised_only_inside_its_range() {
    let org = dinas();
    // KSU's work is verified for SEKDIS. KABID is Plt SEKDIS 2026-02-16..=2026-05-31.
    assert_eq!(role(&org, KABID, KSU, d(2026, 2, 15)), Err(not_the_supervisor(KABID, KSU, d(2026, 2, 15), "KADIS")));
    assert_eq!(role(&org, KABID, KSU, d(2026, 2, 16)), Ok(VerifierRole::Plt)); // first day, inclusive
    assert_eq!(role(&org, KABID, KSU, d(2026, 4, 1)), Ok(VerifierRole::Plt));
    assert_eq!(role(&org, KABID, KSU, d(2026, 5, 31)), Ok(VerifierRole::Plt)); // last day, inclusive
    assert_eq!(role(&org, KABID, KSU, d(2026, 6, 1)), Err(not_the_supervisor(KABID, KSU, d(2026, 6, 1), "KADIS")));
    // While the Plt is in office, the Kepala Dinas is not the verifier of KSU.
    assert_eq!(role(&org, KADIS, KSU, d(2026, 4, 1)), Err(not_the_supervisor(KADIS, KSU, d(2026, 4, 1), "SEKDIS")));
    // The former Sekretaris: authorised on their last day, not after.
    assert_eq!(role(&org, SEK, KSU, d(2026, 1, 31)), Ok(VerifierRole::Definitive));
    assert_eq!(role(&org, SEK, KSU, d(2026, 2, 16)), Err(not_the_supervisor(SEK, KSU, d(2026, 2, 16), "SEKDIS")));

    let r = org.direct_supervisor(&nip(KSK), d(2026, 2, 16)).unwrap();
    assert_eq!(r.position, "SEKDIS".into());
    assert!(r.definitive.is_empty());
    assert_eq!(r.acting, vec![(nip(KABID), Plt)]);
    assert!(r.skipped_vacant.is_empty());
}

#[test]
fn escalation_over_a_vacant_position() {
    let org = dinas();
    // SEKDIS is vacant 2026-02-01..=2026-02-15 (Sekretaris left 01-31, Plt from 02-16):
    // KSU's supervising position SEKDIS is skipped and KADIS verifies.
    for day in [d(2026, 2, 1), d(2026, 2, 15), d(2026, 6, 1), d(2026, 6, 30)] {
        let r = org.direct_supervisor(&nip(KSU), day).unwrap();
        assert_eq!(
            r,
            SupervisorResolution {
                position: "KADIS".into(),
                skipped_vacant: vec!["SEKDIS".into()],
                definitive: vec![nip(KADIS)],
                acting: vec![]
            },
            "{day}"
        );
        assert_eq!(role(&org, KADIS, KSU, day), Ok(VerifierRole::Definitive), "{day}");
        assert_eq!(role(&org, KADIS, KSK, day), Ok(VerifierRole::Definitive), "{day}");
    }
    // Staff are not affected: their supervising position KASUBAG_UMUM is occupied.
    assert_eq!(org.direct_supervisor(&nip(STAFF_A), d(2026, 2, 1)).unwrap().position, "KASUBAG_UMUM".into());
    // The day before the vacancy the Sekretaris verifies, and KADIS is refused.
    assert_eq!(role(&org, KADIS, KSU, d(2026, 1, 31)), Err(not_the_supervisor(KADIS, KSU, d(2026, 1, 31), "SEKDIS")));
    // The top of the chain has no supervisor.
    assert!(org.direct_supervisor(&nip(KADIS), d(2026, 3, 2)).is_none());
    assert_eq!(role(&org, SEK, KADIS, d(2026, 1, 5)), Err(NotAuthorised::NoSupervisor { employee: nip(KADIS) }));
    // No own position on the date -> no supervisor.
    assert!(org.direct_supervisor(&nip(STAFF_B), d(2026, 5, 1)).is_none());
}

#[test]
fn plh_during_absence_both_may_verify() {
    let org = dinas();
    // KSK is Plh Kasubag Umum 2026-03-09..=2026-03-13 while KSU is away; KSU keeps the position.
    for day in [d(2026, 3, 9), d(2026, 3, 11), d(2026, 3, 13)] {
        assert_eq!(role(&org, KSK, STAFF_A, day), Ok(VerifierRole::Plh), "{day}");
        assert_eq!(role(&org, KSU, STAFF_A, day), Ok(VerifierRole::Definitive), "{day}");
        let r = org.direct_supervisor(&nip(STAFF_A), day).unwrap();
        assert_eq!(r.definitive, vec![nip(KSU)]);
        assert_eq!(r.acting, vec![(nip(KSK), Plh)]);
    }
    for day in [d(2026, 3, 8), d(2026, 3, 14)] {
        assert_eq!(role(&org, KSK, STAFF_A, day), Err(not_the_supervisor(KSK, STAFF_A, day, "KASUBAG_UMUM")));
    }
    // The Plh does not change KSK's own supervisor: still SEKDIS (KABID as Plt on 03-10).
    assert_eq!(role(&org, KABID, KSK, d(2026, 3, 10)), Ok(VerifierRole::Plt));
}

#[test]
fn acting_in_own_supervisors_position_is_not_self_verification() {
    let org = dinas();
    // From 2026-07-01 KSU is Plt of SEKDIS, the position supervising their own.
    let day = d(2026, 7, 1);
    assert_eq!(role(&org, KSU, KSU, day), Err(NotAuthorised::SelfVerification));
    // KSU's own work goes one level up (SEKDIS has nobody but KSU).
    let r = org.direct_supervisor(&nip(KSU), day).unwrap();
    assert_eq!(r.position, "KADIS".into());
    assert_eq!(r.skipped_vacant, vec![PositionId::from("SEKDIS")]);
    assert_eq!(role(&org, KADIS, KSU, day), Ok(VerifierRole::Definitive));
    // As Plt Sekretaris, KSU verifies the other Kasubag, and still their own staff definitively.
    assert_eq!(role(&org, KSU, KSK, day), Ok(VerifierRole::Plt));
    assert_eq!(role(&org, KSU, STAFF_A, day), Ok(VerifierRole::Definitive));
    // KADIS is not KSK's verifier: SEKDIS has a Plt.
    assert_eq!(role(&org, KADIS, KSK, day), Err(not_the_supervisor(KADIS, KSK, day, "SEKDIS")));
}

#[test]
fn unknown_people() {
    let org = dinas();
    let stranger = "199912312022121001";
    assert_eq!(role(&org, KSU, stranger, d(2026, 3, 2)), Err(NotAuthorised::UnknownEmployee { nip: nip(stranger) }));
    assert_eq!(
        role(&org, stranger, STAFF_A, d(2026, 3, 2)),
        Err(NotAuthorised::UnknownEmployee { nip: nip(stranger) })
    );
    assert!(org.direct_supervisor(&nip(stranger), d(2026, 3, 2)).is_none());
    assert_eq!(org.assignments_of(&nip(stranger)).count(), 0);
}

#[test]
fn headcount_and_holders_on_a_date() {
    let org = dinas();
    let staff = PositionId::from("STAFF_UMUM");
    // STAFF_A open from 2021; STAFF_B until 2026-04-30 inclusive: 1 + 1 = 2, then 1 + 0 = 1.
    assert_eq!(org.headcount(&staff, d(2026, 4, 30)), 2);
    assert_eq!(org.headcount(&staff, d(2026, 5, 1)), 1);
    // Before both started: 0.
    assert_eq!(org.headcount(&staff, d(2020, 12, 31)), 0);
    // SEKDIS: SEK definitive on 2026-01-31 -> 1; on 2026-03-02 only a Plt -> headcount 0, one holder.
    let sek = PositionId::from("SEKDIS");
    assert_eq!(org.headcount(&sek, d(2026, 1, 31)), 1);
    assert_eq!(org.headcount(&sek, d(2026, 3, 2)), 0);
    let h: Vec<_> = org.holders(&sek, d(2026, 3, 2)).into_iter().map(|(e, k)| (e.nip.clone(), k)).collect();
    assert_eq!(h, vec![(nip(KABID), Plt)]);
    // KASUBAG_UMUM during the Plh: headcount 1 (Plh not counted), 2 holders.
    let ksu = PositionId::from("KASUBAG_UMUM");
    assert_eq!(org.headcount(&ksu, d(2026, 3, 10)), 1);
    let h: Vec<_> = org.holders(&ksu, d(2026, 3, 10)).into_iter().map(|(e, k)| (e.nip.clone(), k)).collect();
    assert_eq!(h, vec![(nip(KSU), Definitive), (nip(KSK), Plh)]);
    assert_eq!(org.headcount(&"NOPE".into(), d(2026, 3, 10)), 0);
}

fn codes(err: &kinerja::ValidationErrors) -> Vec<(String, String, String, String)> {
    let mut v: Vec<_> =
        err.problems.iter().map(|p| (p.record.clone(), p.id.clone(), p.field.clone(), p.code.clone())).collect();
    v.sort();
    v
}

fn tuple(r: &str, id: &str, f: &str, c: &str) -> (String, String, String, String) {
    (r.into(), id.into(), f.into(), c.into())
}

#[test]
fn supervision_cycle_is_rejected_and_named_once() {
    // D -> A -> B -> C -> A: one cycle A, B, C; D merely leads into it.
    let positions = vec![
        pos("D", "U", Some("A")),
        pos("B", "U", Some("C")),
        pos("C", "U", Some("A")),
        pos("A", "U", Some("B")),
        pos("SELF", "U", Some("SELF")),
    ];
    let err = Organisation::new(vec![unit("U", None)], positions, vec![], vec![]).unwrap_err();
    assert_eq!(
        codes(&err),
        vec![
            tuple("position", "A", "supervisor", "supervision_cycle"),
            tuple("position", "SELF", "supervisor", "self_supervision")
        ]
    );
    let cycle = err.problems.iter().find(|p| p.code == "supervision_cycle").unwrap();
    assert!(cycle.message.contains("A -> B -> C -> A"), "{}", cycle.message);
}

#[test]
fn unit_cycle_is_rejected() {
    let units = vec![unit("X", Some("Y")), unit("Y", Some("X")), unit("Z", Some("Z"))];
    let err = Organisation::new(units, vec![], vec![], vec![]).unwrap_err();
    assert_eq!(
        codes(&err),
        vec![tuple("unit", "X", "parent", "unit_cycle"), tuple("unit", "Z", "parent", "unit_cycle")]
    );
    assert!(err.problems.iter().any(|p| p.message.contains("X -> Y -> X")));
}

#[test]
fn several_problems_reported_at_once() {
    let mut p1 = pos("P1", "U", None);
    p1.analysis.tasks = vec![task("T1", 30, 10), task("T2", 0, 10)];
    let mut p2 = pos("P2", "NOWHERE", Some("GHOST"));
    p2.analysis.tasks = vec![task("T1", 15, -1)];
    let positions = vec![p1, p2, pos("P1", "U", None)];
    let units = vec![unit("U", None), unit("U", None), unit("V", Some("MISSING"))];
    let employees = vec![emp(STAFF_A), emp(STAFF_A)];
    let assignments = vec![
        asg(STAFF_B, "P1", Definitive, d(2026, 1, 1), None),
        asg(STAFF_A, "NOPE", Definitive, d(2026, 1, 1), None),
        asg(STAFF_A, "P1", Plt, d(2026, 2, 1), Some(d(2026, 1, 31))),
    ];
    let err = Organisation::new(units, positions, employees, assignments).unwrap_err();
    let b = format!("{STAFF_B}/P1/2026-01-01");
    let a_nope = format!("{STAFF_A}/NOPE/2026-01-01");
    let a_inv = format!("{STAFF_A}/P1/2026-02-01");
    let mut expected = vec![
        tuple("unit", "U", "id", "duplicate_id"),
        tuple("unit", "V", "parent", "unknown_reference"),
        tuple("position", "P1", "id", "duplicate_id"),
        tuple("position", "P2", "unit", "unknown_reference"),
        tuple("position", "P2", "supervisor", "unknown_reference"),
        tuple("task", "T1", "id", "duplicate_id"),
        tuple("task", "T2", "standard_minutes", "not_positive"),
        tuple("task", "T1", "volume.quantity", "negative"),
        tuple("employee", STAFF_A, "nip", "duplicate_id"),
        tuple("assignment", &b, "employee", "unknown_reference"),
        tuple("assignment", &a_nope, "position", "unknown_reference"),
        tuple("assignment", &a_inv, "until", "inverted_range"),
    ];
    expected.sort();
    assert_eq!(codes(&err), expected);
    // The summary message counts them all.
    assert!(err.to_string().starts_with("12 problem(s) found"), "{err}");
}

#[test]
fn overlapping_definitive_assignments() {
    let positions = vec![pos("P1", "U", None), pos("P2", "U", Some("P1")), pos("P3", "U", Some("P1"))];
    let build =
        |assignments| Organisation::new(vec![unit("U", None)], positions.clone(), vec![emp(STAFF_A)], assignments);
    // Back to back: P1 to 2024-12-31, P2 from 2025-01-01 -> valid. A Plt overlapping is fine.
    build(vec![
        asg(STAFF_A, "P1", Definitive, d(2020, 1, 1), Some(d(2024, 12, 31))),
        asg(STAFF_A, "P2", Definitive, d(2025, 1, 1), None),
        asg(STAFF_A, "P3", Plt, d(2025, 3, 1), None),
    ])
    .unwrap();
    // Sharing one day (2024-12-31, ends inclusive) -> overlap.
    let err = build(vec![
        asg(STAFF_A, "P2", Definitive, d(2024, 12, 31), None),
        asg(STAFF_A, "P1", Definitive, d(2020, 1, 1), Some(d(2024, 12, 31))),
    ])
    .unwrap_err();
    let id = format!("{STAFF_A}/P2/2024-12-31");
    assert_eq!(codes(&err), vec![tuple("assignment", &id, "from", "overlapping_definitive")]);
    assert!(err.problems[0].message.contains("`P1` (2020-01-01 to 2024-12-31)"), "{}", err.problems[0].message);
    // An open-ended assignment overlaps everything after it, even past a shorter one.
    let err = build(vec![
        asg(STAFF_A, "P1", Definitive, d(2020, 1, 1), None),
        asg(STAFF_A, "P2", Definitive, d(2021, 1, 1), Some(d(2021, 6, 30))),
        asg(STAFF_A, "P3", Definitive, d(2023, 1, 1), None),
    ])
    .unwrap_err();
    assert_eq!(err.problems.len(), 2);
    assert!(err.problems.iter().all(|p| p.code == "overlapping_definitive" && p.message.contains("`P1`")));
}

#[test]
fn long_chains_do_not_overflow() {
    // 10,000 positions, C0 at the top, each Ck supervised by Ck-1.
    const N: usize = 10_000;
    let positions: Vec<Position> = (0..N)
        .map(|k| {
            let sup = (k > 0).then(|| format!("C{}", k - 1));
            pos(&format!("C{k}"), "U", sup.as_deref())
        })
        .collect();
    // Only the top and the bottom are occupied: escalation passes N - 2 = 9,998 vacant positions.
    let assignments = vec![
        asg(KADIS, "C0", Definitive, d(2020, 1, 1), None),
        asg(STAFF_A, &format!("C{}", N - 1), Definitive, d(2020, 1, 1), None),
    ];
    let org = Organisation::new(vec![unit("U", None)], positions.clone(), vec![emp(KADIS), emp(STAFF_A)], assignments)
        .unwrap();
    let r = org.direct_supervisor(&nip(STAFF_A), d(2026, 1, 1)).unwrap();
    assert_eq!(r.position, "C0".into());
    assert_eq!(r.skipped_vacant.len(), N - 2);
    assert_eq!(r.skipped_vacant.first(), Some(&PositionId::from(format!("C{}", N - 2).as_str())));

    // Close the chain into one 10,000-long loop: reported once.
    let mut looped = positions;
    looped[0].supervisor = Some(format!("C{}", N - 1).as_str().into());
    let err = Organisation::new(vec![unit("U", None)], looped, vec![], vec![]).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].code, "supervision_cycle");
    // Unit tree 10,000 deep.
    let units: Vec<WorkUnit> = (0..N)
        .map(|k| {
            let parent = (k > 0).then(|| format!("U{}", k - 1));
            unit(&format!("U{k}"), parent.as_deref())
        })
        .collect();
    let org = Organisation::new(units, vec![], vec![], vec![]).unwrap();
    assert_eq!(org.unit_descendants(&"U0".into()).len(), N - 1);
}
