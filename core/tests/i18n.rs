//! The one renderer: a reference slip's explanation lines in Indonesian and English,
//! computed by hand; amounts (negative, zero), dates and refusals in both languages;
//! slips stored with English prose explanations still read, seal and verify.

use chrono::NaiveDate;
use kinerja::Money;
use kinerja::activity::ActivityError;
use kinerja::allowance::{AllowanceInput, Explanation, Slip, compute_slip, verify};
use kinerja::i18n::{Args, Lang, Message, Renderer, date, rupiah};
use kinerja::policy::Policy;

/// Class 9 (ceiling Rp 2.500.000), PNS, rank III/c, 6,000 of 6,600 minutes verified,
/// late twice in band TL1, salary Rp 4.500.000.
fn reference_input() -> AllowanceInput {
    serde_json::from_str(
        r#"{
          "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
          "employment": "PNS", "salary": "4500000",
          "calendar_working_days": 22, "assigned_working_days": 22,
          "performance": { "target_minutes": 6600, "verified_minutes": 6000 },
          "discipline": { "days_present": 22, "late": [2, 0, 0, 0], "early": [0, 0, 0, 0],
                          "unexcused_days": 0,
                          "roll_calls_missed": { "morning": 0, "afternoon": 0, "ceremony": 0 } }
        }"#,
    )
    .expect("reference input")
}

fn reference_slip() -> Slip {
    compute_slip(&reference_input(), &Policy::national()).expect("computes")
}

/// Every line of the reference slip, rendered. The arithmetic:
/// C = Rp 2.500.000 (class 9); P = 60 % x C = Rp 1.500.000; D = C - P = Rp 1.000.000;
/// E = R(1.500.000 x 6.000 / 6.600) = R(1.363.636,36) = Rp 1.363.636, shortfall
/// E - P = -Rp 136.364; TL1: 2 x 0,5 % x 1.000.000 = Rp 10.000;
/// G = 2.500.000 - 136.364 - 10.000 = Rp 2.353.636; PPh 21 (group III, 5 %):
/// R(117.681,8) = Rp 117.682; BPJS 1 % of min(4.500.000 + 2.353.636, 12.000.000) -
/// min(4.500.000, 12.000.000) = 2.353.636 -> R(23.536,36) = Rp 23.536.
#[test]
fn reference_slip_lines_in_indonesian_and_english() {
    let slip = reference_slip();
    let r = Renderer::new();
    let id: Vec<String> = slip.lines.iter().map(|l| r.slip_line(Lang::Id, l)).collect();
    assert_eq!(
        id,
        [
            "Pagu TPP untuk kelas jabatan 9 menurut tabel pagu: Rp 2.500.000",
            "Bagian kinerja Rp 1.500.000 (60% dari Rp 2.500.000) x 6.000 / 6.600 menit (terverifikasi 6.000, paling banyak sebesar target) = Rp 1.363.636 diperoleh; kekurangan -Rp 136.364",
            "Terlambat TL1: 2 hari x 0,5% dari bagian disiplin Rp 1.000.000 = -Rp 10.000",
            "PPh 21 tarif tetap 5% untuk golongan III: -(Rp 2.353.636 x 5%) = -Rp 117.682",
            "Iuran BPJS Kesehatan 1% dari tunjangan dalam batas Rp 12.000.000: (min(gaji Rp 4.500.000 + bruto Rp 2.353.636, batas) - min(gaji, batas)) = Rp 2.353.636 x 1% = -Rp 23.536",
        ]
    );
    let en: Vec<String> = slip.lines.iter().map(|l| r.slip_line(Lang::En, l)).collect();
    assert_eq!(
        en,
        [
            "Ceiling (pagu TPP) for job class (kelas jabatan) 9 from the ceiling table: Rp 2,500,000",
            "Performance part (kinerja) Rp 1,500,000 (60% of Rp 2,500,000) x 6,000 / 6,600 minutes (verified 6,000, capped at the target) = Rp 1,363,636 earned; shortfall -Rp 136,364",
            "Late arrival TL1 (terlambat): 2 days x 0.5% of discipline part Rp 1,000,000 = -Rp 10,000",
            "Income tax (PPh 21) flat 5% for rank group (golongan) III: -(Rp 2,353,636 x 5%) = -Rp 117,682",
            "Health contribution (iuran BPJS Kesehatan) 1% of the allowance within the cap Rp 12,000,000: (min(salary Rp 4,500,000 + gross Rp 2,353,636, cap) - min(salary, cap)) = Rp 2,353,636 x 1% = -Rp 23,536",
        ]
    );
    // The quoted ceiling value with its effective date (1 January 2020) and legal reference.
    let ceiling = &slip.lines[0].parameters[1];
    assert_eq!(
        r.parameter(Lang::Id, ceiling),
        "allowance.ceilings = 9 = 2500000 (sejak 1 Januari 2020, national; Example ceiling table for a mid-capacity region (illustrative; each Perkada sets its own))"
    );
    assert!(
        r.parameter(Lang::En, ceiling).starts_with("allowance.ceilings = 9 = 2500000 (from 1 January 2020, national; ")
    );
    // The printed slip: heading with the month's name, rule names, totals
    // (N = 2.353.636 - 117.682 - 23.536 = Rp 2.212.418).
    let text = r.slip(Lang::Id, &slip, Some("Siti"));
    assert!(text.starts_with("Slip TPP — 198503152010011001 Siti — Oktober 2026\n"), "{text}");
    assert!(text.contains("Terlambat TL1 [deduction.late.1]"), "{text}");
    assert!(
        text.ends_with("bruto Rp 2.353.636   PPh 21 -Rp 117.682   BPJS -Rp 23.536   neto Rp 2.212.418\n"),
        "{text}"
    );
    let text = r.slip(Lang::En, &slip, None);
    assert!(text.starts_with("Allowance slip (TPP) — 198503152010011001 — October 2026\n"), "{text}");
    assert!(text.ends_with("gross Rp 2,353,636   tax -Rp 117,682   BPJS -Rp 23,536   net Rp 2,212,418\n"), "{text}");
}

/// The explanation is data: message id and typed arguments, stable in JSON.
#[test]
fn explanations_are_structured_data() {
    let slip = reference_slip();
    let late = slip.line("deduction.late.1").expect("TL1");
    let m = late.explanation.message().expect("structured");
    assert_eq!(m.id, "slip-deduction");
    let json = serde_json::to_value(&late.explanation).expect("json");
    assert_eq!(json["id"], "slip-deduction");
    assert_eq!(json["args"]["count"], serde_json::json!({"int": 2}));
    assert_eq!(json["args"]["rate"], serde_json::json!({"percent": "0.5"}));
    assert_eq!(json["args"]["base"], serde_json::json!({"money": "1000000"}));
    assert_eq!(json["args"]["amount"], serde_json::json!({"money": "-10000"}));
    assert_eq!(json["args"]["base_kind"], serde_json::json!({"code": "base.discipline_part"}));
    assert_eq!(json["args"]["what"]["message"]["id"], "slip-what-late");
    // The rule, the amount and the legal references stay on the line itself.
    assert_eq!(late.rule, "deduction.late.1");
    assert_eq!(late.amount, Money::from_rupiah(-10_000));
    assert!(late.parameters.iter().any(|p| p.key == "allowance.deduction.late" && !p.reference.is_empty()));
}

/// Zero and negative amounts, dates: the one formatter, in messages and alone.
#[test]
fn zero_negative_and_dates() {
    assert_eq!(rupiah(Money::from_rupiah(6_500_000), Lang::Id), "Rp 6.500.000");
    assert_eq!(rupiah(Money::ZERO, Lang::Id), "Rp 0");
    assert_eq!(rupiah(Money::from_rupiah(-65_000), Lang::En), "-Rp 65,000");
    let d = NaiveDate::from_ymd_opt(2026, 10, 5).expect("date");
    assert_eq!(date(d, Lang::Id), "5 Oktober 2026");
    assert_eq!(date(d, Lang::En), "5 October 2026");
    // A totals line with no tax: 6.500.000 + 0 - 65.000 = 6.435.000.
    let totals = Args::new()
        .money("gross", Money::from_rupiah(6_500_000))
        .money("tax", Money::ZERO)
        .money("contribution", Money::from_rupiah(-65_000))
        .money("net", Money::from_rupiah(6_435_000));
    let r = Renderer::builtin();
    assert_eq!(
        r.text(Lang::Id, "slip-totals", &totals),
        "bruto Rp 6.500.000   PPh 21 Rp 0   BPJS -Rp 65.000   neto Rp 6.435.000"
    );
    assert_eq!(
        r.text(Lang::En, "slip-totals", &totals),
        "gross Rp 6,500,000   tax Rp 0   BPJS -Rp 65,000   net Rp 6,435,000"
    );
    // A refusal with dates: Indonesian from the catalogue, English the engine's sentence.
    let e = ActivityError::FutureDate { date: d, today: NaiveDate::from_ymd_opt(2026, 10, 4).expect("date") };
    assert_eq!(
        r.error(Lang::Id, &e),
        "Tanggal 5 Oktober 2026 belum tiba (hari ini 4 Oktober 2026); kegiatan hanya dapat dicatat untuk hari yang sudah berjalan."
    );
    assert_eq!(r.error(Lang::En, &e), e.to_string());
    let msg = Message::new("slip-deduction-ceremony")
        .message("what", Message::new("slip-what-ceremony"))
        .int("count", 1)
        .percent("rate", rust_decimal::Decimal::new(25, 2))
        .code("base_kind", "base.whole")
        .money("base", Money::from_rupiah(2_000_000))
        .money("amount", Money::from_rupiah(-5_000));
    // One ceremony missed, 0,25 % of Rp 2.000.000 = Rp 5.000; English chooses the singular.
    assert_eq!(
        msg.render(Lang::Id),
        "Tidak ikut upacara: 1 kali x 0,25% dari seluruh tunjangan Rp 2.000.000 = -Rp 5.000"
    );
    assert_eq!(
        msg.render(Lang::En),
        "Missed ceremonies (upacara): 1 miss x 0.25% of whole allowance Rp 2,000,000 = -Rp 5,000"
    );
}

/// A slip stored before explanations were structured (each explanation an English
/// string) still reads, keeps its seal and verifies; its text is shown as stored.
#[test]
fn slips_stored_with_prose_explanations_still_verify() {
    let slip = reference_slip();
    let mut json = serde_json::to_value(&slip).expect("json");
    let lines = json["lines"].as_array_mut().expect("lines");
    for (l, line) in lines.iter_mut().zip(&slip.lines) {
        l["explanation"] = serde_json::Value::String(line.explanation.render(Lang::En));
    }
    let stored: Slip = serde_json::from_value(json).expect("reads the older form");
    assert!(matches!(stored.lines[2].explanation, Explanation::Text(_)));
    assert_eq!(stored.schema_version, 2);
    assert_eq!(stored.content_hash, slip.content_hash, "explanations are not sealed");
    assert!(stored.is_sealed());
    let v = verify(&stored, &reference_input(), &Policy::national()).expect("verifies");
    assert!(v.holds, "{:?}", v.describe());
    assert!(v.wording.is_empty(), "the English rendering is the stored text: {:?}", v.wording);
    assert_eq!(
        stored.lines[2].explanation.render(Lang::Id),
        "Late arrival TL1 (terlambat): 2 days x 0.5% of discipline part Rp 1,000,000 = -Rp 10,000",
        "stored prose is shown as stored"
    );
    // Edited prose is reported as a wording difference, the slip still holds.
    let mut edited = stored.clone();
    edited.lines[0].explanation = Explanation::Text("Ceiling agreed with the head of unit".into());
    let v = verify(&edited, &reference_input(), &Policy::national()).expect("verifies");
    assert!(v.holds);
    assert_eq!(v.wording.len(), 1);
}
