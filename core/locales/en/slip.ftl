# The explanation of each line of an allowance (TPP) slip: the arithmetic in words with
# the actual numbers. Arguments are typed (amounts, percentages, counts, dates) and
# formatted in English style (`Rp 6,500,000`, `0.5%`, `5 October 2026`).

slip-ceiling-table = Ceiling (pagu TPP) for job class (kelas jabatan) { $class } from the ceiling table: { $ceiling }
slip-ceiling-bpk = Ceiling (pagu TPP) for job class (kelas jabatan) { $class }: BPK table { $table } x IKFD { $ikfd } x IKK { $ikk } x IPPD { $ippd } = { $indexed }, rounded up to a multiple of { $unit }: { $ceiling }
slip-class-ceiling-table = job class (kelas jabatan) { $class } from the ceiling table: { $ceiling }
slip-class-ceiling-bpk = job class (kelas jabatan) { $class }: BPK table { $table } x IKFD { $ikfd } x IKK { $ikk } x IPPD { $ippd } = { $indexed }, rounded up to a multiple of { $unit }: { $ceiling }
slip-proration = Proration (prorata) by days in post: { $ceiling } x { $assigned } assigned / { $calendar } calendar working days = { $prorated }; adjustment { $amount }
slip-proration-no-days = Proration (prorata): the month has no working days, so nothing of the ceiling { $ceiling } is due; adjustment { $amount }
slip-cpns = Candidate civil servant (CPNS) paid { $paid_percent } of { $base }: -({ $base } x { $withheld_percent }) = { $amount }
slip-performance = Performance part (kinerja) { $part } ({ $weight } of { $base }) x { $counted } / { $target } minutes (verified { $verified }, capped at the target) = { $earned } earned; shortfall { $amount }
slip-performance-no-target = Performance part (kinerja) { $part } ({ $weight } of { $base }): no minute target this month, so nothing is earned; shortfall { $amount }
slip-deduction = { $what }: { $count } { $count ->
        [one] day
       *[other] days
    } x { $rate } of { $base_kind } { $base } = { $amount }
slip-deduction-ceremony = { $what }: { $count } { $count ->
        [one] miss
       *[other] misses
    } x { $rate } of { $base_kind } { $base } = { $amount }
slip-what-late = Late arrival TL{ $band } (terlambat)
slip-what-early = Early leave PSW{ $band } (pulang sebelum waktunya)
slip-what-unexcused = Unexcused absence (tanpa keterangan, TK)
slip-roll-call = Missed roll calls (apel pagi/sore): { $count } x { $rate } of { $base_kind } { $base } = { $amount }
slip-what-ceremony = Missed ceremonies (upacara)
slip-what-absence = Absence `{ $code }`
slip-floor = Floor: deductions of { $deducted } exceed the { $cap_kind } { $cap }; { $amount } given back so that it does not go below zero

# TPP criteria (allowance.components, allowance.parts) and count-based discipline rules
# (allowance.discipline_counts).
slip-component = Component { $component } ({ $criterion }): { $how } = { $amount }
slip-component-class = job class (kelas jabatan) { $class } from the component table ({ $value })
slip-component-position = position { $position } from the component table
slip-component-no-position = the input names no position, so the per-position component pays nothing
slip-part = Part { $part }: { $weight } of { $base } = { $part_amount }; { $measure }; deductions: { $deductions }
slip-part-last = Part { $part } ({ $weight }): { $base } less the parts before it = { $part_amount }; { $measure }; deductions: { $deductions }
slip-base-part = part { $part }
slip-deduction-free = { $what }: ({ $recorded } - { $free } free) = { $count } { $count ->
        [one] day
       *[other] days
    } x { $rate } of { $base_kind } { $base } = { $amount }
slip-deduction-ceremony-free = { $what }: ({ $recorded } - { $free } free) = { $count } { $count ->
        [one] miss
       *[other] misses
    } x { $rate } of { $base_kind } { $base } = { $amount }
slip-roll-call-free = Missed roll calls (apel pagi/sore): ({ $recorded } - { $free } free) = { $count } x { $rate } of { $base_kind } { $base } = { $amount }
slip-converted = { $what }: { $recorded } recorded, { $free } free; { $groups } x { $every } count as { $days } { $days ->
        [one] day
       *[other] days
    } x { $rate } (the unexcused rate per day) of { $base_kind } { $base } = { $amount }; { $left_over } left over deduct nothing
slip-forfeit = { $what }: { $count } reaches the limit of { $limit }: the { $part } part of { $part_amount } is forfeited = { $amount }
slip-what-late-all = Late arrivals (terlambat)
slip-what-early-all = Early leaves (pulang sebelum waktunya)
slip-what-roll-call-all = Missed roll calls (apel pagi/sore)
slip-what-ceremony-all = Missed ceremonies (upacara)

slip-gate = Attendance gate: { $present } of { $assigned } assigned days present = { $attendance }, below { $below } pays { $pay }: -({ $base } x { $withheld }) = { $amount }
slip-sanction = Disciplinary sanction (hukuman disiplin) `{ $level }` from { $from } for { $months } months: -({ $base } x { $cut }) = { $amount }
slip-sanction-with-reference = Disciplinary sanction (hukuman disiplin) `{ $level }` from { $from } for { $months } months, { $reference }: -({ $base } x { $cut }) = { $amount }
slip-acting = Acting (Plt) in { $position } for { $days } working days (at least { $min_days }): ceiling of { $ceiling } x { $percent } = { $amount }
slip-tax = Income tax (PPh 21) flat { $rate } for rank group (golongan) { $group }: -({ $gross } x { $rate }) = { $amount }
slip-tax-pppk = Income tax (PPh 21) flat { $rate } for PPPK grade (golongan) { $group }: -({ $gross } x { $rate }) = { $amount }
slip-bpjs = Health contribution (iuran BPJS Kesehatan) { $percent } of the allowance within the cap { $cap }: (min(salary { $salary } + gross { $gross }, cap) - min(salary, cap)) = { $base } x { $percent } = { $amount }

# A policy value quoted on a line, with its effective date, layer and legal reference.
slip-parameter = { $key } = { $value } (from { $from }, { $layer }; { $reference })
slip-parameter-no-reference = { $key } = { $value } (from { $from }, { $layer })

# Headings and totals of a printed slip.
slip-gross = Gross
slip-tax-total = Income tax
slip-contribution-total = Health contribution
slip-net = Net
slip-heading = Allowance slip (TPP) — { $employee } — { $month }
slip-hash-content = content hash { $hash } (the seal over the amounts, input and policy)
slip-hash-input-policy = input hash { $input }; policy hash { $policy }
slip-line-inputs = inputs: { $inputs }
slip-totals = gross { $gross }   tax { $tax }   BPJS { $contribution }   net { $net }
