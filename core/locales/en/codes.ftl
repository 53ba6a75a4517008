# Names of the engine's codes in English: `code-<code>` with `.` and `_` written `-`.

## Kinds of record

code-record-employee = employee
code-record-position = position
code-record-unit = unit
code-record-activity = activity
code-record-extra-task = extra_task
code-record-absence = absence
code-record-roll-call = roll_call
code-record-ceremony = ceremony
code-record-month = month
code-record-recap = recap
code-record-request = request
code-record-dataset = dataset
code-record-policy = policy
code-record-calendar = calendar
code-record-officer = officer
code-record-official = official
code-record-delegation = delegation
code-record-clock-device = clock_device
code-record-input = input
code-record-generator = generator
code-record-abk-params = abk_params
code-record-assignment = assignment
code-record-task = task
code-record-clock = clock
code-record-sanction = sanction
code-record-salary = salary
code-record-work-site = work site
code-record-shift-pattern = shift pattern
code-record-roster = roster

## Kinds of absence

code-absence-unexcused = unexcused absence
code-absence-permit = permit
code-absence-sick = sick
code-absence-sick-with-note = sick with a doctor's note
code-absence-leave-annual = annual leave
code-absence-leave-long = long leave
code-absence-leave-sick = sick leave
code-absence-leave-maternity = maternity leave
code-absence-leave-important-reason = leave for an important reason
code-absence-leave-collective = collective leave
code-absence-leave-unpaid = unpaid leave
code-absence-official-travel = official travel
code-absence-off-site-half-day = half a day off site

## Verification statuses and actions

code-status-submitted = submitted
code-status-approved = approved
code-status-rejected = rejected
code-status-returned = returned
code-action-approve = approve
code-action-reject = reject
code-action-return = return
code-action-resubmit = resubmit
code-action-edit = edit

## Officer roles

code-role-hr = HR
code-role-attendance = attendance
code-role-finance = budget and planning (BPKD/Bappeda)
code-role-award-panel = awards panel

## Journal chain faults

code-chain-edited = edited
code-chain-removed = removed
code-chain-inserted = inserted
code-chain-duplicated = duplicated
code-chain-reordered = reordered
code-chain-broken = broken
code-chain-head-mismatch = head mismatch

## Deduction base and floor on a slip

code-base-discipline-part = discipline part
code-base-whole = whole allowance
code-base-earned = earned allowance

## TPP criteria and parts

code-rule-part = TPP part
code-rule-deduction-converted = Events converted into days
code-rule-deduction-forfeit = Part forfeited
code-criterion-beban-kerja = workload (beban kerja)
code-criterion-tempat-bertugas = workplace (tempat bertugas)
code-criterion-kondisi-kerja = working conditions (kondisi kerja)
code-criterion-kelangkaan-profesi = scarce profession (kelangkaan profesi)
code-criterion-prestasi-kerja = achievement (prestasi kerja)
code-criterion-pertimbangan-objektif = other objective considerations (pertimbangan objektif lainnya)
code-measure-activity = earned by verified activity minutes
code-measure-full = paid in full less its deductions

## Slip lines (rules)

code-rule-ceiling = Ceiling
code-rule-proration = Proration
code-rule-cpns = CPNS
code-rule-performance-shortfall = Performance shortfall
code-rule-deduction-late-1 = Late arrival TL1
code-rule-deduction-late-2 = Late arrival TL2
code-rule-deduction-late-3 = Late arrival TL3
code-rule-deduction-late-4 = Late arrival TL4
code-rule-deduction-early-1 = Early leave PSW1
code-rule-deduction-early-2 = Early leave PSW2
code-rule-deduction-early-3 = Early leave PSW3
code-rule-deduction-early-4 = Early leave PSW4
code-rule-deduction-unexcused = Unexcused absence (TK)
code-rule-deduction-roll-call = Missed roll calls
code-rule-deduction-ceremony = Missed ceremonies
code-rule-deduction-absence-unexcused = Absence: unexcused
code-rule-deduction-absence-permit = Absence: permit
code-rule-deduction-absence-sick = Absence: sick
code-rule-deduction-absence-sick-with-note = Absence: sick with a doctor's note
code-rule-deduction-absence-leave-annual = Absence: annual leave
code-rule-deduction-absence-leave-long = Absence: long leave
code-rule-deduction-absence-leave-sick = Absence: sick leave
code-rule-deduction-absence-leave-maternity = Absence: maternity leave
code-rule-deduction-absence-leave-important-reason = Absence: leave for an important reason
code-rule-deduction-absence-leave-collective = Absence: collective leave
code-rule-deduction-absence-leave-unpaid = Absence: unpaid leave
code-rule-deduction-absence-official-travel = Absence: official travel
code-rule-deduction-absence-off-site-half-day = Absence: half a day off site
code-rule-deduction-floor = Deduction floor
code-rule-gate = Attendance gate
code-rule-sanction = Disciplinary sanction
code-rule-acting = Acting (Plt)
code-acting-plt = Plt
code-acting-plh = Plh
code-acting-higher = higher
code-acting-equal = equal
code-acting-lower = lower
code-rule-tax-pph21 = Income tax (PPh 21)
code-rule-contribution-bpjs = Health contribution (BPJS)

## Social space

code-record-ad = ad
code-record-conversation = conversation
code-record-message = message
code-record-report = report
code-ad-active = active
code-ad-reserved = reserved
code-ad-sold = sold
code-ad-withdrawn = withdrawn
code-ad-removed = removed by a moderator
code-ad-expired = expired
