//! The NIP (*Nomor Induk Pegawai*), the 18-digit civil-servant id, and the NI PPPK
//! (*Nomor Induk PPPK*), the 18-digit id of a government employee on contract.
//!
//! A NIP is not an opaque number: it encodes four facts about the employee.
//!
//! ```text
//! 19850315 201001 1 001
//! |        |      | |
//! |        |      | +-- sequence (nomor urut) 001-999 among employees sharing the rest
//! |        |      +---- gender: 1 = male, 2 = female
//! |        +----------- appointment as candidate civil servant (TMT CPNS), yyyymm
//! +-------------------- birth date, yyyymmdd
//! ```
//!
//! [`Nip::parse`] checks every part and says exactly what is wrong, so a data officer
//! importing a city's personnel file can fix a typo without guessing:
//!
//! ```
//! use kinerja::nip::{Gender, Nip, NipError};
//!
//! let nip = Nip::parse("19850315 201001 1 001").unwrap(); // spaces as people type them
//! assert_eq!(nip.as_str(), "198503152010011001"); // stored canonically
//! assert_eq!(nip.birth_date().to_string(), "1985-03-15");
//! assert_eq!(nip.appointment().unwrap().to_string(), "2010-01");
//! assert_eq!(nip.gender(), Gender::Male);
//! assert_eq!(nip.sequence(), 1);
//!
//! assert!(matches!(Nip::parse("198503152010013001"), Err(NipError::InvalidGender { digit: '3', .. })));
//! ```
//!
//! ## The NI PPPK
//!
//! A PPPK employee's id (*Nomor Induk PPPK*, Perpres 98/2020 employees under PP 49/2018) has
//! the same 18 digits and the same birth date, gender and sequence fields, but digits 9-12
//! are the **year** of the first appointment as PPPK and digits 13-14 are a **code**, not a
//! month: `19931228 2025 21 2 001` (born 1993-12-28, appointed 2025, code 21, female,
//! sequence 1). BKN's description as quoted by regional offices calls the two digits the
//! number of work agreements; published ids carry `21` (full-time PPPK) and `24` (part-time
//! PPPK, *paruh waktu*); the regulation that defines them was not at hand
//! (docs/RULES.md 8.1), so any code is accepted and kept ([`Nip::pppk_code`]).
//!
//! ```
//! use kinerja::nip::{IdForm, Nip};
//!
//! let ni = Nip::parse("199312282025212001").unwrap();
//! assert_eq!(ni.form(), IdForm::NiPppk);
//! assert_eq!(ni.appointment_year(), 2025);
//! assert_eq!(ni.pppk_code(), Some(21));
//! assert_eq!(ni.appointment(), None); // no month in an NI PPPK
//! assert_eq!(ni.grouped(), "19931228 2025 21 2 001");
//! ```
//!
//! Which form an id has is read from digits 13-14: `01`-`12` is a NIP (its month), `13`-`99`
//! an NI PPPK. An id whose code is `01`-`12` therefore reads as a NIP; the employee record
//! (employment `PPPK`) says what the person is, and the organisation checks that a PNS or CPNS
//! has a NIP ([`crate::org::Organisation::new`]).
//!
//! ## What is accepted
//!
//! * ASCII spaces anywhere are ignored, so the grouped form `19850315 201001 1 001`
//!   printed on decrees (SK) is accepted. No other separator is: a dot, dash or
//!   tab is reported as a non-digit character.
//! * After removing spaces there must be exactly 18 ASCII digits.
//! * The birth date must be a real calendar date (`19850230` is refused).
//! * NIP: the appointment month must be `01`-`12` and not earlier than the birth month.
//!   No minimum age is enforced: that is a personnel rule, not a property of the id.
//! * NI PPPK (digits 13-14 `13`-`99`): the appointment year must be 2019 or later (the
//!   first PPPK were appointed in 2019 under PP 49/2018; an earlier year with such digits
//!   is a NIP with a bad month) and not earlier than the birth year.
//! * The gender digit must be `1` or `2`.
//! * The sequence must not be `000`.
//!
//! Checks run in that order and the first failure is reported.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::month::YearMonth;

/// Number of digits in a NIP.
pub const NIP_LEN: usize = 18;

/// Gender digit of a NIP (1 = male, 2 = female).
#[doc(alias = "jenis kelamin")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Digit 1 (laki-laki).
    Male,
    /// Digit 2 (perempuan).
    Female,
}

/// Why a NIP is malformed. Every variant carries the text as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    /// After removing spaces the text does not have 18 digits.
    #[error("NIP `{text}` has {length} digits; a NIP has 18")]
    WrongLength {
        /// The text as given.
        text: String,
        /// Number of characters after removing spaces.
        length: usize,
    },
    /// A character other than a digit or a space.
    #[error("NIP `{text}` has `{character}` at position {position}; only digits (and spaces) are allowed")]
    NonDigit {
        /// The text as given.
        text: String,
        /// 1-based position of the character in the text as given (counting characters).
        position: usize,
        /// The character refused.
        character: char,
    },
    /// Digits 1-8 are not a real date `yyyymmdd`.
    #[error("NIP `{text}`: birth date `{digits}` (digits 1-8, yyyymmdd) is not a calendar date")]
    InvalidBirthDate {
        /// The text as given.
        text: String,
        /// The eight digits refused.
        digits: String,
    },
    /// Digits 13-14 (the month of the appointment `yyyymm`) are `00`, or above `12` with
    /// a year before 2019 (so the id is no NI PPPK either).
    #[error(
        "NIP `{text}`: appointment `{digits}` (digits 9-14, yyyymm) has month {month:02}, outside 01-12 (and an NI PPPK, whose digits 13-14 are 13-99, has a year of 2019 or later)"
    )]
    InvalidAppointmentMonth {
        /// The text as given.
        text: String,
        /// The six appointment digits.
        digits: String,
        /// The month number found.
        month: u32,
    },
    /// The appointment month is earlier than the birth month.
    #[error("NIP `{text}`: appointment {appointment} is before the birth date {birth_date}")]
    AppointmentBeforeBirth {
        /// The text as given.
        text: String,
        /// The birth date encoded.
        birth_date: NaiveDate,
        /// The appointment month encoded.
        appointment: YearMonth,
    },
    /// An NI PPPK whose appointment year (digits 9-12) is before the birth year.
    #[error("NI PPPK `{text}`: appointment year {year} (digits 9-12) is before the birth date {birth_date}")]
    PppkAppointmentBeforeBirth {
        /// The text as given.
        text: String,
        /// The birth date encoded.
        birth_date: NaiveDate,
        /// The appointment year encoded.
        year: i32,
    },
    /// Digit 15 is neither 1 (male) nor 2 (female).
    #[error("NIP `{text}`: gender digit (digit 15) is `{digit}`; it must be 1 (male) or 2 (female)")]
    InvalidGender {
        /// The text as given.
        text: String,
        /// The digit found.
        digit: char,
    },
    /// Digits 16-18 are `000`; sequences start at 001.
    #[error("NIP `{text}`: sequence (digits 16-18) is 000; it must be 001-999")]
    ZeroSequence {
        /// The text as given.
        text: String,
    },
}

impl NipError {
    /// A stable machine-readable code for each kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            NipError::WrongLength { .. } => "nip_wrong_length",
            NipError::NonDigit { .. } => "nip_non_digit",
            NipError::InvalidBirthDate { .. } => "nip_invalid_birth_date",
            NipError::InvalidAppointmentMonth { .. } => "nip_invalid_appointment_month",
            NipError::AppointmentBeforeBirth { .. } | NipError::PppkAppointmentBeforeBirth { .. } => {
                "nip_appointment_before_birth"
            }
            NipError::InvalidGender { .. } => "nip_invalid_gender",
            NipError::ZeroSequence { .. } => "nip_zero_sequence",
        }
    }

    /// The text that was refused.
    pub fn text(&self) -> &str {
        match self {
            NipError::WrongLength { text, .. }
            | NipError::NonDigit { text, .. }
            | NipError::InvalidBirthDate { text, .. }
            | NipError::InvalidAppointmentMonth { text, .. }
            | NipError::AppointmentBeforeBirth { text, .. }
            | NipError::PppkAppointmentBeforeBirth { text, .. }
            | NipError::InvalidGender { text, .. }
            | NipError::ZeroSequence { text } => text,
        }
    }
}

/// The form of an 18-digit employee id, read from digits 13-14 (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdForm {
    /// A civil servant's NIP: digits 9-14 are the appointment month `yyyymm`.
    Nip,
    /// A PPPK employee's NI PPPK: digits 9-12 the appointment year, 13-14 a code (13-99).
    #[doc(alias = "NI PPPK")]
    NiPppk,
}

/// The first year a PPPK employee was appointed (PP 49/2018; first appointments 2019).
pub const FIRST_PPPK_YEAR: i32 = 2019;

/// A validated NIP (Nomor Induk Pegawai) or NI PPPK, stored as its 18 canonical digits.
///
/// Build one with [`Nip::parse`] (or `"...".parse()`, or serde from a string); see the
/// [module docs](self) for what is accepted. Ordering is the ordering of the digit
/// strings. The digits are kept inline, so cloning a NIP does not allocate.
#[doc(alias = "NIP")]
#[doc(alias = "Nomor Induk Pegawai")]
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nip([u8; NIP_LEN]);

/// The value of a run of ASCII digits (already checked to be digits).
fn digits_value(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d.wrapping_sub(b'0')))
}

impl Nip {
    /// Parses and validates a NIP; ASCII spaces are ignored (see the [module docs](self)).
    pub fn parse(text: &str) -> Result<Nip, NipError> {
        let owned = || text.to_string();
        let mut digits = [0u8; NIP_LEN];
        let mut length = 0usize;
        for (i, c) in text.chars().enumerate() {
            if c == ' ' {
                continue;
            }
            if !c.is_ascii_digit() {
                return Err(NipError::NonDigit { text: owned(), position: i + 1, character: c });
            }
            if let Some(slot) = digits.get_mut(length) {
                // `c` is an ASCII digit, so it fits in one byte.
                *slot = c as u8;
            }
            length += 1;
        }
        if length != NIP_LEN {
            return Err(NipError::WrongLength { text: owned(), length });
        }
        let nip = Nip(digits);

        let birth_date = nip.try_birth_date().ok_or_else(|| NipError::InvalidBirthDate {
            text: owned(),
            digits: nip.as_str().get(0..8).unwrap_or_default().to_string(),
        })?;
        let code = digits_value(&digits[12..14]);
        let year = i32::try_from(digits_value(&digits[8..12])).unwrap_or(0);
        if code > 12 && year >= FIRST_PPPK_YEAR {
            // An NI PPPK: a year and a code.
            if year < birth_date.year() {
                return Err(NipError::PppkAppointmentBeforeBirth { text: owned(), birth_date, year });
            }
        } else {
            let appointment = nip.try_appointment().ok_or_else(|| NipError::InvalidAppointmentMonth {
                text: owned(),
                digits: nip.as_str().get(8..14).unwrap_or_default().to_string(),
                month: code,
            })?;
            if appointment < YearMonth::of(birth_date) {
                return Err(NipError::AppointmentBeforeBirth { text: owned(), birth_date, appointment });
            }
        }
        let gender_digit = digits[14];
        if gender_digit != b'1' && gender_digit != b'2' {
            return Err(NipError::InvalidGender { text: owned(), digit: char::from(gender_digit) });
        }
        if nip.sequence() == 0 {
            return Err(NipError::ZeroSequence { text: owned() });
        }
        Ok(nip)
    }

    /// The 18 ASCII digits as bytes, without the UTF-8 check [`Nip::as_str`]
    /// makes (for the hot paths of a replay: the journal's canonical bytes, the
    /// month's NIP index).
    pub(crate) fn digits(&self) -> &[u8; NIP_LEN] {
        &self.0
    }

    /// The 18 digits.
    pub fn as_str(&self) -> &str {
        // The bytes are ASCII digits by construction, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The id grouped as printed on decrees: `19850315 201001 1 001` for a NIP,
    /// `19931228 2025 21 2 001` for an NI PPPK.
    pub fn grouped(&self) -> String {
        let s = self.as_str();
        let part = |r: std::ops::Range<usize>| s.get(r).unwrap_or_default();
        match self.form() {
            IdForm::Nip => format!("{} {} {} {}", part(0..8), part(8..14), part(14..15), part(15..18)),
            IdForm::NiPppk => {
                format!("{} {} {} {} {}", part(0..8), part(8..12), part(12..14), part(14..15), part(15..18))
            }
        }
    }

    /// Whether this is a NIP or an NI PPPK, by digits 13-14.
    pub fn form(&self) -> IdForm {
        if digits_value(&self.0[12..14]) > 12 { IdForm::NiPppk } else { IdForm::Nip }
    }

    /// The year of the first appointment (digits 9-12): TMT CPNS for a NIP, the first
    /// PPPK agreement for an NI PPPK.
    pub fn appointment_year(&self) -> i32 {
        // Four digits: at most 9999.
        i32::try_from(digits_value(&self.0[8..12])).unwrap_or_default()
    }

    /// The code of an NI PPPK (digits 13-14); `None` for a NIP.
    pub fn pppk_code(&self) -> Option<u8> {
        match self.form() {
            IdForm::NiPppk => u8::try_from(digits_value(&self.0[12..14])).ok(),
            IdForm::Nip => None,
        }
    }

    fn try_birth_date(&self) -> Option<NaiveDate> {
        let year = i32::try_from(digits_value(&self.0[0..4])).ok()?;
        NaiveDate::from_ymd_opt(year, digits_value(&self.0[4..6]), digits_value(&self.0[6..8]))
    }

    fn try_appointment(&self) -> Option<YearMonth> {
        let year = i32::try_from(digits_value(&self.0[8..12])).ok()?;
        YearMonth::new(year, digits_value(&self.0[12..14]))
    }

    /// Birth date (digits 1-8).
    #[doc(alias = "tanggal lahir")]
    pub fn birth_date(&self) -> NaiveDate {
        // Checked by `parse`, the only constructor.
        self.try_birth_date().expect("birth date validated when the NIP was parsed")
    }

    /// Appointment month as candidate civil servant, TMT CPNS (digits 9-14) of a NIP;
    /// `None` for an NI PPPK, which encodes only a year ([`Nip::appointment_year`]).
    #[doc(alias = "TMT CPNS")]
    pub fn appointment(&self) -> Option<YearMonth> {
        match self.form() {
            IdForm::Nip => self.try_appointment(),
            IdForm::NiPppk => None,
        }
    }

    /// Gender (digit 15).
    pub fn gender(&self) -> Gender {
        if self.0[14] == b'2' { Gender::Female } else { Gender::Male }
    }

    /// Sequence number (digits 16-18), 1-999.
    #[doc(alias = "nomor urut")]
    pub fn sequence(&self) -> u16 {
        // At most 999, so the conversion cannot fail.
        u16::try_from(digits_value(&self.0[15..18])).unwrap_or(u16::MAX)
    }
}

impl FromStr for Nip {
    type Err = NipError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Nip::parse(s)
    }
}

impl TryFrom<String> for Nip {
    type Error = NipError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Nip::parse(&s)
    }
}

impl TryFrom<&str> for Nip {
    type Error = NipError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Nip::parse(s)
    }
}

impl From<Nip> for String {
    fn from(n: Nip) -> String {
        n.as_str().to_string()
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
