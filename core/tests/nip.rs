//! NIP parsing: the valid form and one test per kind of violation.

use chrono::NaiveDate;
use kinerja::YearMonth;
use kinerja::nip::{Gender, IdForm, Nip, NipError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ym(y: i32, m: u32) -> YearMonth {
    YearMonth::new(y, m).unwrap()
}

#[test]
fn valid_nip_and_its_parts() {
    // 19850315 | 201001 | 1 | 001: born 1985-03-15, appointed 2010-01, male, sequence 1.
    let nip = Nip::parse("198503152010011001").unwrap();
    assert_eq!(nip.as_str(), "198503152010011001");
    assert_eq!(nip.birth_date(), d(1985, 3, 15));
    assert_eq!(nip.appointment().unwrap(), ym(2010, 1));
    assert_eq!(nip.gender(), Gender::Male);
    assert_eq!(nip.sequence(), 1);
    assert_eq!(nip.grouped(), "19850315 201001 1 001");

    // 19900101 | 201502 | 2 | 999: female, the highest sequence.
    let nip: Nip = "199001012015022999".parse().unwrap();
    assert_eq!(nip.gender(), Gender::Female);
    assert_eq!(nip.sequence(), 999);
    assert_eq!(nip.appointment().unwrap(), ym(2015, 2));

    // 29 February exists in 1984 (leap year).
    assert_eq!(Nip::parse("198402292010011001").unwrap().birth_date(), d(1984, 2, 29));
}

#[test]
fn spaces_are_stripped_and_canonical_form_stored() {
    let spaced = Nip::parse("19850315 201001 1 001").unwrap();
    let plain = Nip::parse("198503152010011001").unwrap();
    assert_eq!(spaced, plain);
    assert_eq!(spaced.to_string(), "198503152010011001");
    assert_eq!(Nip::parse(" 198503152010011001  ").unwrap(), plain);
}

#[test]
fn serde_round_trip_and_refusal() {
    let nip: Nip = serde_json::from_str("\"19850315 201001 1 001\"").unwrap();
    assert_eq!(serde_json::to_string(&nip).unwrap(), "\"198503152010011001\"");
    let err = serde_json::from_str::<Nip>("\"198503152010011000\"").unwrap_err();
    assert!(err.to_string().contains("sequence"), "{err}");
}

#[test]
fn wrong_length() {
    // 17 digits.
    assert_eq!(
        Nip::parse("19850315201001100"),
        Err(NipError::WrongLength { text: "19850315201001100".into(), length: 17 })
    );
    // 19 digits.
    assert_eq!(
        Nip::parse("1985031520100110011"),
        Err(NipError::WrongLength { text: "1985031520100110011".into(), length: 19 })
    );
    assert_eq!(Nip::parse(""), Err(NipError::WrongLength { text: "".into(), length: 0 }));
    assert_eq!(Nip::parse("   "), Err(NipError::WrongLength { text: "   ".into(), length: 0 }));
}

#[test]
fn non_digit_character_with_position() {
    // Dots and dashes are not accepted separators; position is 1-based in the text as given.
    assert_eq!(
        Nip::parse("19850315.201001.1.001"),
        Err(NipError::NonDigit { text: "19850315.201001.1.001".into(), position: 9, character: '.' })
    );
    // Letter O instead of zero at character 17.
    assert_eq!(
        Nip::parse("1985031520100110O1"),
        Err(NipError::NonDigit { text: "1985031520100110O1".into(), position: 17, character: 'O' })
    );
    // Spaces count as characters for the position: "1985 0315x" -> the x is character 10.
    assert!(matches!(
        Nip::parse("1985 0315x201001 1 001"),
        Err(NipError::NonDigit { position: 10, character: 'x', .. })
    ));
    // A tab is not a space.
    assert!(matches!(Nip::parse("19850315\t2010011001"), Err(NipError::NonDigit { position: 9, .. })));
}

#[test]
fn invalid_birth_date() {
    for (text, digits) in [
        ("198502302010011001", "19850230"), // 30 February
        ("198502292010011001", "19850229"), // 1985 is not a leap year
        ("198513012010011001", "19851301"), // month 13
        ("198500152010011001", "19850015"), // month 00
        ("198503002010011001", "19850300"), // day 00
    ] {
        assert_eq!(
            Nip::parse(text),
            Err(NipError::InvalidBirthDate { text: text.into(), digits: digits.into() }),
            "{text}"
        );
    }
}

#[test]
fn invalid_appointment_month() {
    assert_eq!(
        Nip::parse("198503152010001001"),
        Err(NipError::InvalidAppointmentMonth { text: "198503152010001001".into(), digits: "201000".into(), month: 0 })
    );
    assert_eq!(
        Nip::parse("198503152010131001"),
        Err(NipError::InvalidAppointmentMonth {
            text: "198503152010131001".into(),
            digits: "201013".into(),
            month: 13
        })
    );
    // Month 12 is the last valid one.
    assert_eq!(Nip::parse("198503152010121001").unwrap().appointment().unwrap(), ym(2010, 12));
}

#[test]
fn appointment_before_birth() {
    // Born 1985-03-15, appointed 1985-02: one month before the birth month.
    assert_eq!(
        Nip::parse("198503151985021001"),
        Err(NipError::AppointmentBeforeBirth {
            text: "198503151985021001".into(),
            birth_date: d(1985, 3, 15),
            appointment: ym(1985, 2),
        })
    );
    // Appointed 1984-12: previous year.
    assert!(matches!(Nip::parse("198503151984121001"), Err(NipError::AppointmentBeforeBirth { .. })));
    // Boundary: the birth month itself is not refused (no age rule in the id).
    assert_eq!(Nip::parse("198503151985031001").unwrap().appointment().unwrap(), ym(1985, 3));
}

#[test]
fn invalid_gender_digit() {
    for digit in ['0', '3', '9'] {
        let text = format!("19850315201001{digit}001");
        assert_eq!(Nip::parse(&text), Err(NipError::InvalidGender { text: text.clone(), digit }), "{text}");
    }
}

#[test]
fn zero_sequence() {
    assert_eq!(Nip::parse("198503152010011000"), Err(NipError::ZeroSequence { text: "198503152010011000".into() }));
    // Spaced text is carried as given.
    assert_eq!(Nip::parse("19850315 201001 1 000").unwrap_err().text(), "19850315 201001 1 000");
}

#[test]
fn each_violation_has_its_own_code() {
    let codes: Vec<&str> = [
        "1985031520100110",
        "19850315-201001100",
        "198502302010011001",
        "198503152010001001",
        "198503151985021001",
        "198503152010013001",
        "198503152010011000",
    ]
    .iter()
    .map(|t| Nip::parse(t).unwrap_err().code())
    .collect();
    let mut unique = codes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 7, "{codes:?}");
}

// --- NI PPPK ------------------------------------------------------------------

#[test]
fn ni_pppk_in_the_published_format_is_accepted_with_its_parts() {
    // 19931228 | 2025 | 21 | 2 | 001: born 1993-12-28, first agreement 2025, code 21
    // (full-time PPPK), female, sequence 1. Digits 13-14 = 21 are not a month.
    let ni = Nip::parse("199312282025212001").unwrap();
    assert_eq!(ni.form(), IdForm::NiPppk);
    assert_eq!(ni.birth_date(), d(1993, 12, 28));
    assert_eq!(ni.appointment_year(), 2025);
    assert_eq!(ni.pppk_code(), Some(21));
    assert_eq!(ni.appointment(), None);
    assert_eq!(ni.gender(), Gender::Female);
    assert_eq!(ni.sequence(), 1);
    assert_eq!(ni.grouped(), "19931228 2025 21 2 001");
    // 19900913 | 2025 | 24 | 2 | 014: a part-time PPPK (paruh waktu) id, code 24.
    let pw = Nip::parse("19900913 2025 24 2 014").unwrap();
    assert_eq!((pw.pppk_code(), pw.sequence()), (Some(24), 14));
    // The first PPPK year, 2019, with code 13 (the lowest non-month): accepted.
    assert_eq!(Nip::parse("199001012019131001").unwrap().form(), IdForm::NiPppk);
}

#[test]
fn a_nip_is_still_validated_as_a_nip() {
    // Digits 13-14 = 12: a month, so a NIP with TMT CPNS 2010-12; no PPPK code.
    let nip = Nip::parse("198503152010121001").unwrap();
    assert_eq!((nip.form(), nip.pppk_code()), (IdForm::Nip, None));
    assert_eq!(nip.appointment(), Some(ym(2010, 12)));
    assert_eq!(nip.appointment_year(), 2010);
    // Month 13 in 2018 (before the first PPPK year 2019): neither a NIP nor a NI PPPK.
    assert!(matches!(Nip::parse("198503152018131001"), Err(NipError::InvalidAppointmentMonth { month: 13, .. })));
    // Month 00 in 2025: a NIP month is 01-12 and a PPPK code is above 12.
    assert!(matches!(Nip::parse("198503152025001001"), Err(NipError::InvalidAppointmentMonth { month: 0, .. })));
}

#[test]
fn ni_pppk_refusals() {
    // Born 2021-05-01, first agreement 2020: before the birth year.
    assert_eq!(
        Nip::parse("202105012020211001"),
        Err(NipError::PppkAppointmentBeforeBirth {
            text: "202105012020211001".into(),
            birth_date: d(2021, 5, 1),
            year: 2020
        })
    );
    // The gender digit and the sequence are checked as for a NIP.
    assert!(matches!(Nip::parse("199312282025213001"), Err(NipError::InvalidGender { digit: '3', .. })));
    assert!(matches!(Nip::parse("199312282025212000"), Err(NipError::ZeroSequence { .. })));
    // A bad birth date is refused first.
    assert!(matches!(Nip::parse("199302302025212001"), Err(NipError::InvalidBirthDate { .. })));
}
