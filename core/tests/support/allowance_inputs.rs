//! Helpers shared by the allowance property suites (`allowance_props`, `props_allowance`).

use kinerja::allowance::AllowanceInput;

/// The PPPK grade paid like a PNS rank: I/a..I/d ~ I..IV, II/a ~ V, III/a ~ IX, IV/a ~ XIII.
pub fn pppk_equivalent(rank: kinerja::org::Rank) -> kinerja::org::Rank {
    use kinerja::org::{Rank, RankGroup};
    let base = match rank.group().expect("a PNS rank") {
        RankGroup::I => 1,
        RankGroup::II => 5,
        RankGroup::III => 9,
        RankGroup::IV => 13,
    };
    Rank::pppk(base + (rank.grade().expect("a PNS rank") as u8 - b'a')).expect("grade 1..=17")
}

/// Clamps the drawn counts so that they fit the month (what `validate` requires): the
/// whole days (present, unexcused, whole-day absences) within the assigned working days,
/// the late and early bands and off-site half days within the days present, each roll
/// call kind within the assigned days.
pub fn fit_month(mut i: AllowanceInput) -> AllowanceInput {
    let assigned = i.assigned_working_days.max(0);
    let d = &mut i.discipline;
    d.days_present = d.days_present.clamp(0, assigned);
    let mut room = assigned - d.days_present;
    d.unexcused_days = d.unexcused_days.clamp(0, room);
    room -= d.unexcused_days;
    let present = d.days_present;
    for (code, v) in d.absences.iter_mut() {
        if code == "off_site_half_day" {
            *v = (*v).clamp(0, present);
        } else {
            *v = (*v).clamp(0, room);
            room -= *v;
        }
    }
    for bands in [&mut d.late, &mut d.early] {
        let mut left = present;
        for b in bands.iter_mut() {
            *b = (*b).clamp(0, left);
            left -= *b;
        }
    }
    let r = &mut d.roll_calls_missed;
    r.morning = r.morning.clamp(0, assigned);
    r.afternoon = r.afternoon.clamp(0, assigned);
    r.ceremony = r.ceremony.clamp(0, assigned);
    i
}
