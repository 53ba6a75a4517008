//! Geofenced clock-ins: the haversine distance by hand, the verdict at the radius,
//! the policy's refuse / flag / accept, and the same judgement live, in replay, in
//! the journal's codec and on a phone's upload.
//!
//! Two real places in Banda Aceh (coordinates as listed on Wikipedia, recalled):
//! Masjid Raya Baiturrahman, 5°33'13"N 95°19'02"E = 5.553611, 95.317222, and the Aceh
//! Tsunami Museum, 5°32'52"N 95°18'54"E = 5.547778, 95.315000. The test city's unit
//! DINAS has its work site at the mosque.

use chrono::NaiveDateTime;
use kinerja::YearMonth;
use kinerja::attendance::{ClockDirection, ClockEvent, ClockSource, DayStatus};
use kinerja::dataset::{City, Dataset};
use kinerja::device::{DeviceBundle, DeviceSession, Receipts, UploadSource, apply_uploads};
use kinerja::geo::{GeoCheck, GeoVerdict, GeofenceParams, GeofenceRule, WorkSite, distance_m, judge};
use kinerja::ledger::{Command, Journal, Ledger, LedgerError, MonthContext};
use kinerja::policy::Policy;
use kinerja::recap::employee_days;
use rust_decimal::Decimal;

mod common;
use common::*;

const MOSQUE: (Decimal, Decimal) =
    (Decimal::from_parts(5553611, 0, 0, false, 6), Decimal::from_parts(95317222, 0, 0, false, 6));
const MUSEUM: (Decimal, Decimal) =
    (Decimal::from_parts(5547778, 0, 0, false, 6), Decimal::from_parts(95315000, 0, 0, false, 6));

#[test]
fn haversine_by_hand_between_two_banda_aceh_landmarks() {
    // φ1 = 5.553611° = 0.0969288 rad, φ2 = 5.547778° = 0.0968270 rad
    // Δφ = -0.005833° = -1.018051e-4 rad, Δλ = 95.315000 - 95.317222 = -0.002222° = -3.878122e-5 rad
    // sin²(Δφ/2) = (-5.090253e-5)² = 2.591067e-9
    // cos φ1 · cos φ2 = 0.9953061 x 0.9953159 = 0.9906440
    // sin²(Δλ/2) = (-1.939061e-5)² = 3.759957e-10; x 0.9906440 = 3.724779e-10
    // a = 2.591067e-9 + 3.724779e-10 = 2.963545e-9; √a = 5.443845e-5 = asin(√a) to 7 digits
    // d = 2 x 6,371,000 m x 5.443845e-5 = 693.65 m -> 694 m (whole metres, half away from zero)
    assert_eq!(distance_m(MOSQUE.0, MOSQUE.1, MUSEUM.0, MUSEUM.1), 694);
    // The distance is symmetric and zero to itself.
    assert_eq!(distance_m(MUSEUM.0, MUSEUM.1, MOSQUE.0, MOSQUE.1), 694);
    assert_eq!(distance_m(MOSQUE.0, MOSQUE.1, MOSQUE.0, MOSQUE.1), 0);
    // Due north by 0.001349° (= 150 m / 6,371,000 m in degrees: 150 / 6,371,000 rad =
    // 2.3544e-5 rad = 0.0013490°): 5.554960 is 150.002 m -> 150 m.
    assert_eq!(distance_m(MOSQUE.0, MOSQUE.1, Decimal::new(5554960, 6), MOSQUE.1), 150);
}

fn site(radius_m: u32) -> WorkSite {
    WorkSite {
        id: "SITE-DINAS".into(),
        name: "Kantor Dinas Uji".into(),
        latitude: MOSQUE.0,
        longitude: MOSQUE.1,
        radius_m,
        units: vec!["DINAS".into()],
    }
}

fn phone_at(p: (Decimal, Decimal)) -> ClockSource {
    ClockSource::Mobile { latitude: p.0, longitude: p.1, accuracy_m: Some(12) }
}

fn rules(outside: GeofenceRule, no_position: GeofenceRule) -> GeofenceParams {
    GeofenceParams { outside, no_position }
}

#[test]
fn the_verdict_at_the_radius_and_under_each_rule() {
    let who = nip(STAFF);
    let when = at(d(2026, 10, 5), 7, 20);
    let flag = rules(GeofenceRule::Flag, GeofenceRule::Flag);
    let museum = phone_at(MUSEUM);
    // Radius 694 m: 694 <= 694, inside (the boundary is inside), never flagged.
    let s = [site(694)];
    assert_eq!(
        judge(&who, when, &museum, &s, &flag).unwrap(),
        Some(GeoCheck {
            site: Some("SITE-DINAS".into()),
            verdict: GeoVerdict::Inside { distance_m: 694 },
            flagged: false
        })
    );
    // Radius 693 m: outside by 694 - 693 = 1 m; flagged under `flag`, not under `accept`.
    let s = [site(693)];
    let outside = GeoVerdict::Outside { distance_m: 694, beyond_m: 1 };
    assert_eq!(judge(&who, when, &museum, &s, &flag).unwrap().map(|g| (g.verdict, g.flagged)), Some((outside, true)));
    let accept = rules(GeofenceRule::Accept, GeofenceRule::Accept);
    assert_eq!(
        judge(&who, when, &museum, &s, &accept).unwrap().map(|g| (g.verdict, g.flagged)),
        Some((outside, false))
    );
    // Under `refuse`: a typed error naming the record, the field, the site and the metres.
    let refuse = rules(GeofenceRule::Refuse, GeofenceRule::Flag);
    let e = judge(&who, when, &museum, &s, &refuse).unwrap_err();
    assert_eq!((e.code(), e.record(), e.field()), ("clock_outside_site", "clock", "source"));
    assert!(e.to_string().contains("694 m from site `SITE-DINAS`, 1 m beyond"), "{e}");
    // Without a position: flagged, accepted or refused by its own rule.
    let none = ClockSource::MobileWithoutPosition;
    assert_eq!(
        judge(&who, when, &none, &s, &refuse).unwrap(),
        Some(GeoCheck { site: None, verdict: GeoVerdict::NoPosition, flagged: true })
    );
    let e = judge(&who, when, &none, &s, &rules(GeofenceRule::Flag, GeofenceRule::Refuse)).unwrap_err();
    assert_eq!(e.code(), "clock_without_position");
    // The nearest of two sites decides: a second site at the museum, radius 50 m.
    let museum_site =
        WorkSite { id: "SITE-MUSEUM".into(), latitude: MUSEUM.0, longitude: MUSEUM.1, radius_m: 50, ..site(50) };
    let g = judge(&who, when, &museum, &[site(100), museum_site], &refuse).unwrap().unwrap();
    assert_eq!((g.site.as_deref(), g.verdict), (Some("SITE-MUSEUM"), GeoVerdict::Inside { distance_m: 0 }));
    // Machine scans and employees without a site are not judged.
    assert_eq!(judge(&who, when, &ClockSource::Fingerprint, &[site(1)], &refuse).unwrap(), None);
    assert_eq!(judge(&who, when, &museum, &[], &refuse).unwrap(), None);
    // A position off the Earth is refused whatever the rule.
    let bad = phone_at((Decimal::new(91, 0), Decimal::new(95, 0)));
    assert_eq!(judge(&who, when, &bad, &[site(100)], &accept).unwrap_err().code(), "clock_bad_position");
}

/// The test city with a work site for DINAS at the mosque, radius 100 m.
fn sited_city() -> City {
    let mut json = city_json();
    json["work_sites"] = serde_json::json!([{
        "id": "SITE-DINAS", "name": "Kantor Dinas Uji", "latitude": "5.553611", "longitude": "95.317222",
        "radius_m": 100, "units": ["DINAS"]
    }]);
    Dataset::load_city(&json.to_string()).expect("sited city")
}

const REFUSE: &str = r#"
[layer]
name = "Kota Uji"

[[attendance.geofence_outside]]
from = 2020-01-01
value = "refuse"
ref = "Perwal Kota Uji No. 1 Tahun 2026 (uji)"

[[attendance.geofence_no_position]]
from = 2020-01-01
value = "refuse"
ref = "Perwal Kota Uji No. 1 Tahun 2026 (uji)"
"#;

fn mobile(
    who: &str,
    when: NaiveDateTime,
    dir: ClockDirection,
    source: ClockSource,
    claimed: Option<GeoCheck>,
) -> Command {
    Command::RecordClock {
        event: ClockEvent { employee: nip(who), at: when, direction: dir, source, geofence: claimed },
    }
}

#[test]
fn the_ledger_computes_the_verdict_and_the_day_shows_it() {
    let city = sited_city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let mon = d(2026, 10, 5);
    // The phone claims it was inside; it was at the museum: 694 m from the mosque,
    // 694 - 100 = 594 m beyond the radius. The national rule flags it.
    let lie = Some(GeoCheck { site: None, verdict: GeoVerdict::Inside { distance_m: 0 }, flagged: false });
    let e = l
        .execute(
            &ctx,
            req(STAFF, at(mon, 7, 20), mobile(STAFF, at(mon, 7, 20), ClockDirection::In, phone_at(MUSEUM), lie)),
        )
        .unwrap();
    let stored = match &e.kind {
        kinerja::ledger::EventKind::ClockRecorded(c) => c.geofence.clone(),
        other => panic!("{other:?}"),
    };
    let outside = GeoVerdict::Outside { distance_m: 694, beyond_m: 594 };
    assert_eq!(stored, Some(GeoCheck { site: Some("SITE-DINAS".into()), verdict: outside, flagged: true }));
    // Leaving from the mosque itself: inside, 0 m.
    l.execute(
        &ctx,
        req(STAFF, at(mon, 16, 5), mobile(STAFF, at(mon, 16, 5), ClockDirection::Out, phone_at(MOSQUE), None)),
    )
    .unwrap();
    // A fingerprint scan of the peer carries no verdict.
    let fp = ClockEvent {
        employee: nip(PEER),
        at: at(mon, 7, 25),
        direction: ClockDirection::In,
        source: ClockSource::Fingerprint,
        geofence: None,
    };
    let e = l.execute(&ctx, req(FP_DINAS, at(mon, 16, 6), Command::RecordClock { event: fp })).unwrap();
    assert!(matches!(&e.kind, kinerja::ledger::EventKind::ClockRecorded(c) if c.geofence.is_none()));
    // Where the day is explained: the verdicts of the chosen scans and the flag.
    let days = employee_days(&l, &ctx, &nip(STAFF), mon).unwrap();
    let day = days.iter().find(|x| x.date == mon).unwrap();
    assert_eq!(day.status, DayStatus::Present);
    assert_eq!(day.check_in_geofence, Some(outside));
    assert_eq!(day.check_out_geofence, Some(GeoVerdict::Inside { distance_m: 0 }));
    assert!(day.geofence_flagged);
    // HR2 works at BKD, which no site serves: their phone scan is not judged.
    let e = l
        .execute(
            &ctx,
            req(HR2, at(mon, 16, 10), mobile(HR2, at(mon, 16, 10), ClockDirection::Out, phone_at(MUSEUM), None)),
        )
        .unwrap();
    assert!(matches!(&e.kind, kinerja::ledger::EventKind::ClockRecorded(c) if c.geofence.is_none()));

    // The journal, text and binary, keeps the verdicts and replays to the same events.
    let journal = l.journal();
    let text = Journal::from_json(&journal.to_json()).unwrap();
    assert_eq!(Ledger::replay(&ctx, &text).unwrap().events(), l.events());
    let (binary, torn) = Journal::read(std::io::Cursor::new(journal.to_binary())).unwrap();
    assert!(torn.is_none());
    assert_eq!(Ledger::replay(&ctx, &binary).unwrap().events(), l.events());

    // A journal whose stored verdict was altered (and its chain hashed again, so that
    // only the content can tell) is refused as forged on replay.
    let mut forged = journal.clone();
    if let kinerja::ledger::EventKind::ClockRecorded(c) = &mut forged.events[0].kind {
        c.geofence = Some(GeoCheck {
            site: Some("SITE-DINAS".into()),
            verdict: GeoVerdict::Inside { distance_m: 0 },
            flagged: false,
        });
    }
    let mut prev = forged.events[0].prev;
    for e in &mut forged.events {
        e.prev = prev;
        e.hash = e.compute_hash();
        prev = e.hash;
    }
    match Ledger::replay(&ctx, &forged) {
        Err(e @ LedgerError::Replay { seq: 1, .. }) => assert_eq!(e.root().code(), "forged"),
        other => panic!("{other:?}"),
    }
    // The same journal replayed under a city policy that refuses outside clock-ins:
    // the same check refuses its first event.
    let strict = Policy::national().with_toml("city.toml", REFUSE).unwrap();
    let strict_ctx = MonthContext::new(&city, &strict, oct).unwrap();
    match Ledger::replay(&strict_ctx, &journal) {
        Err(e @ LedgerError::Replay { seq: 1, .. }) => assert_eq!(e.root().code(), "clock_outside_site"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_old_event_without_a_verdict_keeps_its_bytes_and_loads() {
    let city = sited_city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mon = d(2026, 10, 5);
    let mut l = Ledger::new(oct);
    l.execute(
        &ctx,
        req(STAFF, at(mon, 7, 20), mobile(STAFF, at(mon, 7, 20), ClockDirection::In, phone_at(MUSEUM), None)),
    )
    .unwrap();
    let with = l.events()[0].clone();
    let mut without = with.clone();
    if let kinerja::ledger::EventKind::ClockRecorded(c) = &mut without.kind {
        c.geofence = None;
    }
    // The verdict is the tail of the canonical bytes: 01 (present), 01 (a site)
    // 0A "SITE-DINAS" (10 bytes), 01 (outside), 694 = B6 05 and 594 = D2 04 (LEB128:
    // 694 = 5 x 128 + 54, 54 + 128 = 0xB6; 594 = 4 x 128 + 82, 82 + 128 = 0xD2), 01 (flagged).
    let mut tail = vec![0x01, 0x01, 0x0A];
    tail.extend_from_slice(b"SITE-DINAS");
    tail.extend_from_slice(&[0x01, 0xB6, 0x05, 0xD2, 0x04, 0x01]);
    let (a, b) = (without.canonical_bytes(), with.canonical_bytes());
    assert_eq!(b.len(), a.len() + tail.len());
    assert_eq!(&b[..a.len()], &a[..]);
    assert_eq!(&b[a.len()..], &tail[..]);
    // A journal written before geofencing (the event without its verdict, hashed as
    // such) loads: the verdict is recomputed for the check and not demanded.
    let mut old = Ledger::new(oct).journal();
    without.prev = old.head().hash;
    without.hash = without.compute_hash();
    old.events.push(without);
    let replayed = Ledger::replay(&ctx, &old).expect("an old journal loads");
    assert!(matches!(&replayed.events()[0].kind, kinerja::ledger::EventKind::ClockRecorded(c) if c.geofence.is_none()));
}

#[test]
fn a_phone_clock_in_is_judged_on_the_phone_and_again_on_the_server() {
    let city = sited_city();
    let oct = YearMonth::new(2026, 10).unwrap();
    let strict = Policy::national().with_toml("city.toml", REFUSE).unwrap();
    let ctx = MonthContext::new(&city, &strict, oct).unwrap();
    let mut server = Ledger::new(oct);
    let bundle = DeviceBundle::for_employee(&city, &[REFUSE.to_string()], &server, &nip(STAFF), oct).unwrap();
    // The bundle carries the unit's site, so the phone judges offline as the server does.
    assert_eq!(bundle.dataset.work_sites.len(), 1);
    let mut phone = DeviceSession::open(&bundle.issued(format!("s-{STAFF}")).to_json()).unwrap();
    // From the museum: refused offline with the server's code; nothing queued.
    let e = phone.clock(ClockDirection::In, Some(("5.547778", "95.315000", Some(10))), "2026-10-05T07:20").unwrap_err();
    assert_eq!(e.code(), "clock_outside_site");
    assert!(phone.pending_changes().is_empty());
    // Without a position: refused too.
    let e = phone.clock(ClockDirection::In, None, "2026-10-05T07:21").unwrap_err();
    assert_eq!(e.code(), "clock_without_position");
    // From 50 m north of the mosque (0.000450° = 50.04 m): inside, queued.
    phone.clock(ClockDirection::In, Some(("5.554061", "95.317222", Some(10))), "2026-10-05T07:22").unwrap();
    let mut changes = phone.pending_changes().to_vec();
    assert_eq!(changes.len(), 1);
    // A tampered upload (position moved to the museum, a verdict of "inside" attached)
    // is judged by the server, which refuses it.
    if let kinerja::device::Change::Clock { event } = &mut changes[0].change {
        event.source = phone_at(MUSEUM);
        event.geofence = Some(GeoCheck { site: None, verdict: GeoVerdict::Inside { distance_m: 0 }, flagged: false });
    }
    let owner = nip(STAFF);
    let session = format!("s-{STAFF}");
    let source = UploadSource { session: &session, owner: &owner, received_at: at(d(2026, 10, 5), 7, 30) };
    let answer = apply_uploads(&mut server, &ctx, &source, &mut Receipts::default(), &changes);
    match &answer.results[0].outcome {
        kinerja::device::ChangeOutcome::Rejected { code, .. } => assert_eq!(code, "clock_outside_site"),
        other => panic!("{other:?}"),
    }
    // The honest upload is accepted, with the server's own verdict: 5.554061 - 5.553611
    // = 0.000450° = 7.854e-6 rad x 6,371,000 m = 50.04 m -> 50 m, inside.
    let honest = phone.pending_changes().to_vec();
    let answer = apply_uploads(&mut server, &ctx, &source, &mut Receipts::default(), &honest);
    assert!(matches!(answer.results[0].outcome, kinerja::device::ChangeOutcome::Accepted { .. }), "{answer:?}");
    let stored = server.state().clocks.get(0).and_then(|c| c.geofence).unwrap();
    assert_eq!((stored.verdict, stored.flagged), (GeoVerdict::Inside { distance_m: 50 }, false));
}

#[test]
fn the_dataset_checks_work_sites() {
    let mut json = city_json();
    json["work_sites"] = serde_json::json!([
        { "id": "A", "name": "A", "latitude": "95.1", "longitude": "95.3", "radius_m": 0, "units": ["NOPE"] }
    ]);
    let err = Dataset::load_city(&json.to_string()).unwrap_err();
    let problems = match err {
        kinerja::dataset::DatasetError::Invalid(v) => v.problems,
        other => panic!("{other:?}"),
    };
    let fields: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
    for want in [("latitude", "out_of_range"), ("radius_m", "out_of_range"), ("units[0]", "unknown_reference")] {
        assert!(fields.contains(&want), "{want:?} not in {fields:?}");
    }
}
