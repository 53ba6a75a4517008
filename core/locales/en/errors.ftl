# The engine's refusals and errors in English: the engine's own sentence (`detail`,
# the error's Display), which names the record and field at fault.


## Daily activity
error-non-positive-quantity = { $detail }
error-end-not-after-start = { $detail }
error-future-date = { $detail }
error-month-closed = { $detail }
error-outside-entry-window = { $detail }
error-non-working-day = { $detail }
error-before-working-hours = { $detail }
error-after-working-hours = { $detail }
error-overlapping-entry = { $detail }
error-task-not-assigned = { $detail }
error-arithmetic-overflow = { $detail }

## Verification by the supervisor
error-invalid-transition = { $detail }
error-empty-reason = { $detail }
error-quantity-out-of-range = { $detail }
error-deadline-passed = { $detail }
error-not-owner = { $detail }
error-self-verification = { $detail }
error-decided-before-submission = { $detail }

## Attendance and absences
error-absence-inverted-range = { $detail }
error-absence-no-working-day = { $detail }
error-absence-evidence-required = { $detail }
error-absence-overlap = { $detail }
error-permit-cap-exceeded = { $detail }

## Ledger and journal
error-not-authorised = You are not authorised to do this.
error-arithmetic = { $detail }
error-unknown-employee = { $detail }
error-unknown-entry = { $detail }
error-wrong-month = { $detail }
error-not-closed = { $detail }
error-missing-reason = { $detail }
error-conflict = { $detail }
error-not-the-employee = { $detail }
error-out-of-order = { $detail }
error-claim-too-old = { $detail }
error-claim-in-future = { $detail }
error-duplicate-key = { $detail }
error-clock-outside-site = { $detail }
error-clock-without-position = { $detail }
error-clock-bad-position = { $detail }
error-forged = { $detail }
error-format = { $detail }
error-replay = { $detail }
error-io = { $detail }
error-not-a-journal = { $detail }
error-unsupported-version = { $detail }
error-chain = { $detail }

## Policy
error-invalid-policy = { $detail }
error-unknown-key = { $detail }
error-no-value = { $detail }
error-not-covered = { $detail }
error-unverified-policy = { $detail }
error-wrong-type = { $detail }
error-bad-value = { $detail }

## Input data
error-validation = { $detail }
error-invalid-dataset = { $detail }
error-invalid-input = { $detail }
error-invalid-params = { $detail }
error-invalid-result = { $detail }
error-not-found = { $detail }
error-invalid-nip = { $detail }
error-nip-wrong-length = { $detail }
error-nip-non-digit = { $detail }
error-nip-invalid-birth-date = { $detail }
error-nip-invalid-appointment-month = { $detail }
error-nip-appointment-before-birth = { $detail }
error-nip-invalid-gender = { $detail }
error-nip-zero-sequence = { $detail }

## Workload analysis (ABK) and targets
error-abk-effective-time = { $detail }
error-abk-conversion-factor = { $detail }
error-abk-grade-bands = { $detail }
error-calendar-range = { $detail }

## Payroll and allowance (TPP)
error-month-mismatch = { $detail }
error-month-not-closed = { $detail }
error-invalid-allowance-input = { $detail }
error-unknown-sanction-level = { $detail }
error-sanction-months-not-allowed = { $detail }
error-allowance-invariant = { $detail }
error-unsupported-slip-version = { $detail }
error-slip-mismatch = { $detail }

## Imports
error-unreadable = { $detail }
error-too-large = { $detail }
error-empty-file = { $detail }
error-missing-column = { $detail }
error-duplicate-column = { $detail }
error-too-many-cells = { $detail }
error-malformed-csv = { $detail }
error-invalid-mapping = { $detail }
error-no-device = { $detail }
error-unknown-device = { $detail }

## Devices (mobile app)
error-no-position = { $detail }
error-mismatch = { $detail }

## Refusals of authority (not-authorised-<reason>)
not-authorised-self-verification = { $detail }
not-authorised-no-supervisor = { $detail }
not-authorised-not-the-supervisor = { $detail }
not-authorised-unknown-employee = { $detail }
not-authorised-unknown-actor = { $detail }
not-authorised-not-an-employee = { $detail }
not-authorised-not-in-service = { $detail }
not-authorised-not-the-employee = { $detail }
not-authorised-not-an-officer = { $detail }
not-authorised-outside-unit = { $detail }
not-authorised-not-a-device = { $detail }
not-authorised-wrong-device = { $detail }
not-authorised-not-the-verifier = { $detail }
not-authorised-same-officer = { $detail }
not-authorised-not-self-reportable = { $detail }

## Reasons not to pay (not-paid-<code>)
not-paid-no-assignment = { $detail }
not-paid-left-service = { $detail }
not-paid-not-yet-assigned = { $detail }
not-paid-no-definitive-position = { $detail }
not-paid-acting-only = { $detail }
not-paid-not-in-recap = { $detail }
not-paid-unknown-employee = { $detail }
not-paid-unknown-position = { $detail }
not-paid-duplicate-recap-row = { $detail }

## Social space: ads and chat

error-social-not-found = { $record } { $id } not found.
error-not-the-owner = { $record } { $id } belongs to { $owner }, not { $actor }; only its owner may change it.
error-not-a-member = { $actor } is not a member of conversation { $conversation }; only its two members read it.
error-not-a-moderator = { $actor } is not a moderator named by the city.
error-not-an-administrator = { $actor } is not an HR officer (administrator).
error-social-left-service = { $actor } has left the service: their history is kept, but they can no longer post or send.
error-text-length = `{ $field }` has { $chars } characters; it must have 1 to { $max }.
error-invalid-choice = `{ $value }` is not a valid { $field }.
error-negative-price = The price { $price } is below zero.
error-too-many-photos = { $count } photos; at most { $max }.
error-too-many-active-ads = { $actor } already has { $active } active ads (at most { $max }).
error-rate-limited = Too often: { $count } times in the last { $window } minutes (at most { $max }). Try again shortly.
error-ad-transition = Ad { $ad } is { $status }; `{ $action }` is not possible.
error-ad-expired = Ad { $ad } expired at { $at }; the seller can renew it.
error-own-ad = { $actor } is the seller of ad { $ad }.
error-self-conversation = { $actor } cannot open a conversation with, or block, themself.
error-blocked = { $blocker } has blocked { $blocked }; no message can be sent.
error-conversation-exists = Conversation { $conversation } already exists.
error-message-deleted = Message { $message } is deleted.
error-edit-window-passed = Message { $message } could be edited only within { $minutes } minutes of sending.
error-duplicate-key = The key `{ $key }` was already used for message { $message }.
error-report-resolved = Report { $report } is already resolved.
error-social-chain-broken = The social record is damaged at event { $seq }: { $reason }.
not-paid-before-go-live = { $detail }

## Budget, unit readiness, reports, awards (insights)

error-budget-ceiling-exceeded = Sub-activity { $id }, field `{ $field }`: the realisation up to month { $month } adds up to { $realised }, beyond the ceiling (pagu) of { $ceiling }.
error-budget-plan-exceeds-ceiling = Sub-activity { $id }, field `{ $field }`: the monthly disbursement plan adds up to { $planned }, beyond the ceiling (pagu) of { $ceiling }.
error-budget-progress-out-of-range = Sub-activity { $id }, field `{ $field }`: physical progress of { $progress } % in month { $month } is outside 0 to 100 %.
error-negative-amount = Record { $record } { $id }, field `{ $field }`: the amount { $amount } is negative.
error-too-many-months = Record { $record } { $id }, field `{ $field }`: { $count } months are given, but a fiscal year has 12.
error-duplicate-code = Record { $record } { $id }, field `{ $field }`: the code is used twice.
error-unknown-unit = Record { $record } { $id }, field `{ $field }`: work unit { $unit } is not in the dataset.
error-score-out-of-range = Nomination { $id }, field `{ $field }`: the panel score { $score } is outside 0 to 100.
error-no-history = Report { $record }, field `{ $field }`: no month of history was given.
error-invalid-targets = The yearly targets cannot be computed: record { $record } { $id }, field `{ $field }` ({ $count } problem(s)): { $detail }
error-inverted-plan = Plan { $id }, field `{ $field }`: the last year { $until } is before the first year { $from }.
