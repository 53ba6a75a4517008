// Tests of the Kotlin bindings, run on the JVM against the built library (no JUnit:
// a main() that counts). Usage: MainKt FIXTURES_DIR [ALLOWANCE_CASES_DIR]
//
// The fixtures come from `cargo run -p kinerja-mobile --example demo_city -- DIR`:
// a city with a head (KADIS), a section head (KASI) and two staff (STAF) whose task
// STAF-T1 takes 15 standard minutes per letter; October 2026, national policy.
//
// The server (DemoServer) issues a session with every bundle and records when each
// upload arrives (`receivedAt`, its own clock): uploads in a test arrive in time
// order, a few minutes after the phone's changes.

import id.kinerja.*
import java.io.File
import java.math.BigDecimal
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.LocalTime
import kotlin.system.exitProcess

const val HEAD = "197001012000011001"
const val KASI = "198002022005021002"
const val STAFF = "199003032015031003"
const val PEER = "199104042016042004"
const val MONTH = "2026-10"

var passed = 0
var failed = 0

fun test(name: String, block: () -> Unit) {
    try {
        block()
        passed++
        println("ok    $name")
    } catch (e: Throwable) {
        failed++
        println("FAIL  $name: $e")
        e.printStackTrace(System.out)
    }
}

fun <T> eq(expected: T, actual: T, what: String = "") {
    if (expected != actual) throw AssertionError("$what: expected <$expected>, got <$actual>")
}

fun yes(condition: Boolean, what: String) {
    if (!condition) throw AssertionError(what)
}

inline fun <reified E : Throwable> throws(block: () -> Unit): E {
    try {
        block()
    } catch (e: Throwable) {
        if (e is E) return e
        throw AssertionError("expected ${E::class.simpleName}, got $e")
    }
    throw AssertionError("expected ${E::class.simpleName}, nothing was thrown")
}

fun draft(date: String, start: String, end: String, quantity: String, task: String = "STAF-T1") =
    ActivityDraft(date, start, end, task, quantity, "Agenda surat masuk", null)

lateinit var cityJson: String

fun server() = DemoServer(cityJson, listOf(), MONTH)

/** STAFF logs three entries offline on Monday 5 October; they reach the server at 16:05. */
fun staffDay(srv: DemoServer): DeviceSession {
    val s = DeviceSession.open(srv.bundleFor(STAFF))
    s.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), "2026-10-05T16:00")
    s.logActivity(draft("2026-10-05", "09:00", "10:00", "2"), "2026-10-05T16:00")
    s.logActivity(draft("2026-10-05", "10:00", "11:30", "8"), "2026-10-05T16:00")
    s.applyServerAnswer(srv.applyUploads(s.pendingChangesJson(), "2026-10-05T16:05", STAFF))
    return s
}

/** The number of activity entries in a state's JSON (`serverStateJson`, `stateJsonFor`). */
@Suppress("UNCHECKED_CAST")
fun entryCount(stateJson: String): Int = ((Json.parse(stateJson) as Map<String, Any?>)["entries"] as List<*>).size

fun main(args: Array<String>) {
    val fixtures = File(args.getOrElse(0) { "target/mobile/fixtures" })
    cityJson = File(fixtures, "city.json").readText()

    test("an employee's offline day, end to end") {
        val srv = server()
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        eq(false, s.isSupervisor(), "supervisor")
        eq(Person(STAFF, "Staf"), s.owner(), "owner")
        val tasks = s.tasks("2026-10-05")
        eq(listOf("STAF-T1"), tasks.map { it.id }, "tasks")
        eq(15L, tasks[0].standardMinutes, "standard minutes")
        val now = "2026-10-05T16:00"
        // 08:00-09:00, 3 letters x 15 = 45 min; 09:00-10:00, 2 x 15 = 30 min.
        val a = s.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), now)
        val b = s.logActivity(draft("2026-10-05", "09:00", "10:00", "2"), now)
        eq(EntryRef.Pending(1uL), a, "first ref")
        eq(EntryRef.Pending(2uL), b, "second ref")
        // 09:30-10:30 overlaps b: refused offline with the core's code and field.
        val e = throws<KinerjaException.ActivityRejected> {
            s.logActivity(draft("2026-10-05", "09:30", "10:30", "1"), now)
        }
        eq("overlapping_entry", e.code, "code")
        eq("start", e.problems[0].field, "field")
        // 10:00-11:30, 8 x 15 = 120 min, capped by the 90-minute span.
        val c = s.logActivity(draft("2026-10-05", "10:00", "11:30", "8"), now)
        eq(90L, s.entry(c).creditedMinutes, "span cap")
        val entries = s.entries()
        eq(3, entries.size, "entries")
        eq(LocalDate.of(2026, 10, 5), entries[0].date, "date")
        eq(LocalTime.of(8, 0), entries[0].start, "start")
        eq(LocalDateTime.of(2026, 10, 5, 16, 0), entries[0].submittedAt, "submitted at")
        eq(EntryStatus.SUBMITTED, entries[0].status, "status")
        eq("Mengagendakan surat", entries[0].taskName, "task name")
        yes(entries.all { it.pendingSync }, "all pending sync")
        // Offline progress: target 22 working days x 300 = 6,600 min; claimed
        // 45 + 30 + 90 = 165; nothing verified yet: 0 %.
        val p = s.progress("2026-10-05")
        eq(6600L, p.targetMinutes, "target")
        eq(165L, p.claimedMinutes, "claimed")
        eq(0L, p.verifiedMinutes, "verified")
        eq(0, BigDecimal.ZERO.compareTo(p.achievementPercent!!), "achievement")
        eq(LocalDate.of(2026, 11, 6), p.deadline, "deadline")
        eq(3u, s.pendingChangeCount(), "outbox")
        // Upload; the server answers with a fresh bundle.
        s.applyServerAnswer(srv.applyUploads(s.pendingChangesJson(), "2026-10-05T16:05", STAFF))
        eq(0u, s.pendingChangeCount(), "outbox after sync")
        eq(listOf(1uL, 2uL, 3uL), s.entries().map { (it.entry as EntryRef.Server).id }, "server ids")
        eq(srv.stateJsonFor(STAFF), s.serverStateJson(), "phone state = server state")
        // The phone's numbers are the server's, to the minute.
        eq(srv.progressOf(STAFF, "2026-10-05"), s.progress("2026-10-05"), "progress")
    }

    test("an answer without a bundle, and changes made while uploading") {
        val srv = server()
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        s.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), "2026-10-05T16:00")
        val upload = s.pendingChangesJson()
        s.logActivity(draft("2026-10-05", "09:00", "10:00", "2"), "2026-10-05T16:05")
        val answer = srv.applyUploads(upload, "2026-10-05T16:06", null)
        s.applyServerAnswer(answer)
        s.applyServerAnswer(answer) // twice: harmless
        eq(1u, s.pendingChangeCount(), "the later change still waits")
        eq(listOf(EntryRef.Server(1uL), EntryRef.Pending(2uL)), s.entries().map { it.entry }, "refs")
        eq(null, s.serverStateJson(), "no full server view while an entry waits")
        s.applyServerAnswer(srv.applyUploads(s.pendingChangesJson(), "2026-10-05T16:10", STAFF))
        eq(srv.stateJsonFor(STAFF), s.serverStateJson(), "state after second sync")
    }

    test("a supervisor's queue and decisions") {
        val srv = server()
        staffDay(srv)
        val k = DeviceSession.open(srv.bundleFor(KASI))
        eq(true, k.isSupervisor(), "supervisor")
        eq(listOf(Person(STAFF, "Staf"), Person(PEER, "Rekan")), k.subordinates(), "subordinates")
        val queue = k.verificationQueue()
        eq(3, queue.size, "queue")
        eq("Staf", queue[0].employeeName, "name")
        val now = "2026-10-06T08:00"
        // Approve 2 of the 3 letters (2 x 15 = 30 min), return one, reject one.
        k.approve(queue[0].entry, "2", now)
        k.returnEntry(queue[1].entry, "Lampirkan bukti", now)
        k.reject(queue[2].entry, "Bukan tugas hari itu", now)
        eq(0, k.verificationQueue().size, "queue after decisions")
        val p = k.progressOf(STAFF, "2026-10-06")
        eq(30L, p.verifiedMinutes, "verified")
        eq(1u, p.returned, "returned")
        // 30 / 6,600 x 100 = 0.4545...%
        eq("0.4545", p.achievementPercent!!.setScale(4, java.math.RoundingMode.HALF_UP).toPlainString(), "achievement")
        k.applyServerAnswer(srv.applyUploads(k.pendingChangesJson(), "2026-10-06T08:05", KASI))
        eq(srv.stateJsonFor(KASI), k.serverStateJson(), "supervisor state = server state")
        // The employee sees the returned entry with its reason, fixes it and resubmits.
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        val returned = s.returnedEntries()
        eq(1, returned.size, "returned entries")
        eq("Lampirkan bukti", returned[0].reason, "reason")
        val fix = ActivityDraft("2026-10-05", "09:00", "10:00", "STAF-T1", "2", "Agenda surat masuk", "scan.pdf")
        s.editActivity(returned[0].entry, fix, "2026-10-06T09:00")
        s.resubmit(returned[0].entry, "2026-10-06T09:01")
        s.applyServerAnswer(srv.applyUploads(s.pendingChangesJson(), "2026-10-06T09:05", STAFF))
        eq(0, s.rejectedChanges().size, "nothing rejected")
        eq(EntryStatus.SUBMITTED, s.entry(returned[0].entry).status, "resubmitted")
        eq(1u, s.entry(returned[0].entry).revision, "revision")
    }

    test("a server rejection surfaces with its code") {
        val srv = server()
        // Two phones of the same employee, each with its own bundle and session.
        val phone1 = DeviceSession.open(srv.bundleFor(STAFF))
        val phone2 = DeviceSession.open(srv.bundleFor(STAFF))
        phone2.logActivity(draft("2026-10-05", "08:00", "09:00", "2"), "2026-10-05T15:00")
        phone2.applyServerAnswer(srv.applyUploads(phone2.pendingChangesJson(), "2026-10-05T15:05", STAFF))
        // phone1 did not know: 08:30-09:30 passes offline, the server refuses it.
        phone1.logActivity(draft("2026-10-05", "08:30", "09:30", "2"), "2026-10-05T16:00")
        phone1.applyServerAnswer(srv.applyUploads(phone1.pendingChangesJson(), "2026-10-05T16:05", STAFF))
        val rejected = phone1.rejectedChanges()
        eq(1, rejected.size, "rejected")
        eq("server", rejected[0].by, "by")
        eq("log_activity", rejected[0].kind, "kind")
        val err = rejected[0].error
        yes(err is KinerjaException.ActivityRejected, "area: $err")
        eq("overlapping_entry", (err as KinerjaException.ActivityRejected).code, "code")
        eq(0u, phone1.pendingChangeCount(), "outbox")
        eq(srv.stateJsonFor(STAFF), phone1.serverStateJson(), "rebased on the server")
        eq(1, phone1.entries().size, "phone2's entry is there")
        phone1.clearRejectedChanges()
        eq(0, phone1.rejectedChanges().size, "cleared")
    }

    test("every error type") {
        val srv = server()
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        val now = "2026-10-05T16:00"
        // Validation: the bundle's dataset is checked like any dataset, every problem listed.
        val broken = srv.bundleFor(STAFF).replace("\"employment\":\"PNS\"", "\"employment\":\"HONORER\"")
        val v = throws<KinerjaException.Validation> { DeviceSession.open(broken) }
        eq("invalid_dataset", v.code, "validation code")
        yes(v.problems.size >= 2, "every problem: ${v.problems}")
        // Policy: a layer that does not load.
        val pol = throws<KinerjaException.Policy> { DemoServer(cityJson, listOf("[layer]\nname = 1"), MONTH) }
        eq("invalid_policy", pol.code, "policy code")
        // NotAuthorised: the section head approving their own entry.
        staffDay(srv)
        val k = DeviceSession.open(srv.bundleFor(KASI))
        val own = k.logActivity(draft("2026-10-05", "08:00", "10:00", "2", "KASI-T1"), now)
        eq("not_authorised", throws<KinerjaException.NotAuthorised> { k.approve(own, null, now) }.code, "self")
        // ActivityRejected: before working hours (07:30, no early overtime).
        val early = throws<KinerjaException.ActivityRejected> {
            s.logActivity(draft("2026-10-05", "06:00", "07:00", "1"), now)
        }
        eq("before_working_hours", early.code, "hours")
        // Verification: a rejection needs a reason; approving above the claim.
        val q = k.verificationQueue()
        eq("empty_reason", throws<KinerjaException.Verification> { k.reject(q[0].entry, "  ", now) }.code, "reason")
        eq("quantity_out_of_range", throws<KinerjaException.Verification> { k.approve(q[0].entry, "9", now) }.code, "qty")
        // Attendance: a sickness with a doctor's note needs the note.
        val att = throws<KinerjaException.Attendance> {
            s.reportAbsence("sick_with_note", "2026-10-06", "2026-10-06", null, null, now)
        }
        eq("absence_evidence_required", att.code, "attendance")
        s.reportAbsence("sick_with_note", "2026-10-06", "2026-10-06", "SKD 1/2026", null, now)
        // Ledger: a date outside the session's month.
        eq("wrong_month", throws<KinerjaException.Ledger> {
            s.logActivity(draft("2026-11-02", "08:00", "09:00", "1"), "2026-11-02T16:00")
        }.code, "ledger")
        // NotFound: an entry the phone does not have.
        eq("unknown_entry", throws<KinerjaException.NotFound> { k.approve(EntryRef.Server(999uL), null, now) }.code, "nf")
        eq("unknown_employee", throws<KinerjaException.NotFound> { k.entriesOf(HEAD) }.code, "nf employee")
        // Parse: typed values are read by the core, every bad field listed.
        val parse = throws<KinerjaException.Parse> { s.logActivity(draft("5 Okt", "8.00", "09:00", "tiga"), now) }
        eq(listOf("date", "start", "quantity"), parse.problems.map { it.field }, "parse fields")
        eq("invalid_amount", throws<KinerjaException.Parse> { parseAmount("1e6") }.code, "amount")
        eq("invalid_amount", throws<KinerjaException.Parse> { parseAmount("1,000") }.code, "separator")
        eq("format", throws<KinerjaException.Parse> { DeviceSession.open("not json") }.code, "json")
        eq("invalid_nip", throws<KinerjaException.Parse> { k.entriesOf("123") }.problems[0].code, "nip")
        // Internal: a panic inside the library comes back as an error, not a crash.
        val internal = throws<KinerjaException.Internal> { debugTriggerPanic("boom") }
        eq("panic", internal.code, "panic code")
        yes(internal.detail.contains("boom"), "panic detail")
        eq(engineVersion(), engineVersion(), "still alive")
    }

    test("money and dates are exact types") {
        eq(BigDecimal("1250000.50"), parseAmount("1250000.50"), "amount")
        eq(BigDecimal("0.3"), parseAmount("0.1") + parseAmount("0.2"), "no float")
        eq(BigDecimal("79228162514264337593543950335"), parseAmount("79228162514264337593543950335"), "28 digits")
        yes(engineVersion().isNotEmpty(), "version")
    }

    test("attendance summary from the recap") {
        val srv = server()
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        s.reportAbsence("permit", "2026-10-06", "2026-10-07", null, "Urusan keluarga", "2026-10-05T16:00")
        val a = s.attendance("2026-10-07")
        // 1-7 October 2026: Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 = 5 working days; the
        // permit covers 2; the other 3 have no scan: unexcused (TK).
        eq(5u, a.workingDays, "working days")
        eq(listOf(AbsenceDays("permit", 2u)), a.absences, "absences")
        eq(3u, a.unexcusedDays, "TK")
        eq(listOf(1, 2, 3, 4), a.late.map { it.band.toInt() }, "bands")
        eq(listOf("morning", "afternoon", "ceremony"), a.rollCalls.map { it.kind }, "roll calls")
    }

    test("a session survives save and restore") {
        val srv = server()
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        s.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), "2026-10-05T16:00")
        val saved = s.saveJson()
        val r = DeviceSession.restore(saved)
        eq(s.entries(), r.entries(), "entries")
        eq(s.pendingChangesJson(), r.pendingChangesJson(), "outbox")
        eq(EntryRef.Pending(2uL), r.logActivity(draft("2026-10-05", "09:00", "10:00", "1"), "2026-10-05T16:10"), "numbering")
        r.close()
        s.close()
    }

    test("the projected allowance is the server's slip") {
        val srv = server()
        staffDay(srv)
        val k = DeviceSession.open(srv.bundleFor(KASI))
        val now = "2026-10-06T08:00"
        // Approve 08:00-09:00 (3 x 15 = 45 min) and 09:00-10:00 (2 x 15 = 30 min).
        val q = k.verificationQueue()
        k.approve(q[0].entry, null, now)
        k.approve(q[1].entry, null, now)
        k.applyServerAnswer(srv.applyUploads(k.pendingChangesJson(), "2026-10-06T08:05", KASI))
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        val p = s.projectedAllowance("2026-10-06")
        eq(srv.allowanceOf(STAFF, "2026-10-06"), p.slip, "phone slip = server slip")
        // Class 5 ceiling 1,700,000; P = 60 % = 1,020,000; verified 75 of 6,600 min:
        // E = R(1,020,000 x 75 / 6,600) = 11,591; shortfall 11,591 - 1,020,000 = -1,008,409.
        eq(BigDecimal("1700000"), p.slip.lines.first { it.rule == "ceiling" }.amount, "ceiling")
        eq(BigDecimal("-1008409"), p.slip.lines.first { it.rule == "performance.shortfall" }.amount, "shortfall")
        yes(p.slip.lines.all { it.explanation.isNotBlank() }, "every line explained")
        val sum = p.slip.lines.fold(BigDecimal.ZERO) { a, l -> a + l.amount }
        eq(0, sum.compareTo(p.slip.net), "lines add up to net")
        yes(p.inputJson.contains("\"verified_minutes\":75"), "input: ${p.inputJson}")
    }

    test("a retried upload gets the same answer and creates no second entry") {
        val srv = server()
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        s.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), "2026-10-05T16:00")
        val upload = s.pendingChangesJson()
        val first = srv.applyUploads(upload, "2026-10-05T16:05", null)
        val state = srv.stateJsonFor(STAFF)
        eq(1, entryCount(state), "one entry on the server")
        // The answer was lost: the phone sends the same upload again, later.
        val again = srv.applyUploads(upload, "2026-10-05T16:20", null)
        eq(first, again, "the stored answer")
        eq(state, srv.stateJsonFor(STAFF), "nothing executed twice")
        s.applyServerAnswer(again)
        eq(listOf(EntryRef.Server(1uL)), s.entries().map { it.entry }, "one entry on the phone")
        eq(0u, s.pendingChangeCount(), "outbox")
    }

    test("a change whose actor is not the session's owner is refused") {
        val srv = server()
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        s.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), "2026-10-05T16:00")
        // The upload rewritten to act as PEER on STAFF's session (a tampered app).
        val upload = s.pendingChangesJson()
        yes(upload.contains("\"actor\":\"$STAFF\""), "the change names its actor: $upload")
        val forged = upload.replace("\"actor\":\"$STAFF\"", "\"actor\":\"$PEER\"")
        s.applyServerAnswer(srv.applyUploads(forged, "2026-10-05T16:05", null))
        val rejected = s.rejectedChanges()
        eq(1, rejected.size, "rejected")
        eq("server", rejected[0].by, "by")
        val err = rejected[0].error
        yes(err is KinerjaException.NotAuthorised, "area: $err")
        eq("not_session_owner", (err as KinerjaException.NotAuthorised).code, "code")
        eq(0, entryCount(srv.stateJsonFor(PEER)), "nothing recorded for PEER")
        eq(0, entryCount(srv.stateJsonFor(STAFF)), "nor for STAFF")
        // A session this server never issued is refused as a whole.
        val stranger = upload.replace("\"key\":\"", "\"key\":\"elsewhere-")
        eq("unknown_session", throws<KinerjaException.NotAuthorised> {
            srv.applyUploads(stranger, "2026-10-05T16:06", null)
        }.code, "unknown session")
    }

    test("a claim older than the window before its receipt is refused") {
        // The national policy lets a change claim at most 3 working days before its
        // receipt. Logged offline on Monday 5 October at 16:00:
        // received Thursday 8 October, the earliest day is Monday 5 (8 -> 7, 6, 5): accepted;
        // received Friday 9 October, the earliest day is Tuesday 6: refused.
        val late = server()
        val s = DeviceSession.open(late.bundleFor(STAFF))
        s.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), "2026-10-05T16:00")
        s.applyServerAnswer(late.applyUploads(s.pendingChangesJson(), "2026-10-09T08:00", STAFF))
        val rejected = s.rejectedChanges()
        eq(1, rejected.size, "rejected")
        val err = rejected[0].error
        yes(err is KinerjaException.Ledger, "area: $err")
        eq("claim_too_old", (err as KinerjaException.Ledger).code, "code")
        eq(0, s.entries().size, "the entry is gone from the phone")
        val inTime = server()
        val t = DeviceSession.open(inTime.bundleFor(STAFF))
        t.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), "2026-10-05T16:00")
        t.applyServerAnswer(inTime.applyUploads(t.pendingChangesJson(), "2026-10-08T08:00", STAFF))
        eq(0, t.rejectedChanges().size, "accepted")
        eq(listOf(EntryRef.Server(1uL)), t.entries().map { it.entry }, "on the server")
    }

    test("an altered saved session is refused on restore") {
        val srv = server()
        val s = DeviceSession.open(srv.bundleFor(STAFF))
        s.logActivity(draft("2026-10-05", "08:00", "09:00", "3"), "2026-10-05T16:00")
        val saved = s.saveJson()
        yes(saved.contains("Agenda surat masuk"), "the outbox is saved")
        val altered = saved.replace("Agenda surat masuk", "Agenda surat keluar")
        val e = throws<KinerjaException.Parse> { DeviceSession.restore(altered) }
        eq("format", e.code, "code")
        yes(e.detail.contains("altered"), "detail: ${e.detail}")
        eq(s.entries(), DeviceSession.restore(saved).entries(), "the saved session itself restores")
    }

    test("the queue as of a decision date") {
        val srv = server()
        staffDay(srv)
        val k = DeviceSession.open(srv.bundleFor(KASI))
        // KASI holds the supervising position all month: the same three entries.
        eq(k.verificationQueue(), k.verificationQueueOn("2026-10-06"), "queue on Tuesday")
        eq(3, k.verificationQueueOn("2026-10-06").size, "three entries")
        val e = throws<KinerjaException.Parse> { k.verificationQueueOn("6 Okt") }
        eq("date", e.problems[0].field, "field")
    }

    social()
    languages()
    if (args.size > 1) allowanceCases(File(args[1])) else println("skip  allowance golden cases: no directory given")

    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}

/**
 * Indonesian first, English on request: slip explanations, rupiah and dates through the
 * engine's one renderer (hand-computed: 2 x 0.5 % x Rp 1,000,000 = Rp 10,000 late deduction).
 */
fun languages() {
    val input = """{"employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
        "employment": "PNS", "salary": "4500000", "calendar_working_days": 22, "assigned_working_days": 22,
        "performance": {"target_minutes": 6600, "verified_minutes": 6000},
        "discipline": {"days_present": 22, "late": [2, 0, 0, 0], "early": [0, 0, 0, 0], "unexcused_days": 0,
                       "roll_calls_missed": {"morning": 0, "afternoon": 0, "ceremony": 0}}}"""
    test("slip explanations in Indonesian by default, English with lang = \"en\"") {
        val id = computeAllowance(input, listOf()).lines.first { it.rule == "deduction.late.1" }
        eq("Terlambat TL1: 2 hari x 0,5% dari bagian disiplin Rp 1.000.000 = -Rp 10.000", id.explanation, "id")
        val en = computeAllowance(input, listOf(), lang = "en").lines.first { it.rule == "deduction.late.1" }
        eq("Late arrival TL1 (terlambat): 2 days x 0.5% of discipline part Rp 1,000,000 = -Rp 10,000", en.explanation, "en")
        yes(id.explanationJson.startsWith("{\"id\":\"slip-deduction\""), id.explanationJson)
        eq(en.explanation, renderMessage(id.explanationJson, "en"), "the structured form renders the same")
    }
    test("one rupiah and date formatter") {
        eq("Rp 6.500.000", formatRupiah(BigDecimal("6500000")), "id")
        eq("-Rp 150,000", formatRupiah(BigDecimal("-150000"), "en"), "en")
        eq("Rp 0", formatRupiah(BigDecimal.ZERO), "zero")
        eq("5 Oktober 2026", formatDate(LocalDate.of(2026, 10, 5)), "id")
        eq("5 October 2026", formatDate(LocalDate.of(2026, 10, 5), "en"), "en")
        val refused = runCatching { formatDate(LocalDate.of(2026, 10, 5), "fr") }
        yes(refused.exceptionOrNull() is KinerjaException.Parse, "an unknown language is refused")
    }
}

/**
 * The allowance golden cases (the hand-computed JSON files of cases/allowance): each case's input
 * and policy layers go through the bindings' `computeAllowance`, and every slip line
 * and total must equal the case's expected values exactly (as decimals).
 */
fun allowanceCases(dir: File) {
    val files = dir.listFiles { f -> f.name.endsWith(".json") }!!.sortedBy { it.name }
    test("allowance golden cases: at least 30 in $dir") { yes(files.size >= 30, "only ${files.size} cases") }
    for (file in files) {
        test("allowance golden case ${file.name}") {
            @Suppress("UNCHECKED_CAST")
            val case = Json.parse(file.readText()) as Map<String, Any?>
            val policy = (case["policy"] as List<*>).map { it as String }
            val slip = computeAllowance(Json.write(case["input"]), policy)
            @Suppress("UNCHECKED_CAST")
            val expected = case["expected"] as Map<String, Any?>
            val lines = (expected["lines"] as List<*>).map { it as Map<*, *> }
            eq(lines.map { it["rule"] }, slip.lines.map { it.rule }, "rules")
            for ((line, want) in slip.lines.zip(lines)) {
                exact(want["amount"] as String, line.amount, line.rule)
                yes(line.explanation.isNotBlank(), "${line.rule} is explained")
            }
            exact(expected["gross"] as String, slip.gross, "gross")
            exact(expected["tax"] as String, slip.tax, "tax")
            exact(expected["contribution"] as String, slip.contribution, "contribution")
            exact(expected["net"] as String, slip.net, "net")
            eq(64, slip.contentHash.length, "content hash")
        }
    }
}

fun exact(expected: String, actual: BigDecimal, what: String) {
    if (BigDecimal(expected).compareTo(actual) != 0) throw AssertionError("$what: expected <$expected>, got <${actual.toPlainString()}>")
}

/** A small JSON reader and writer for the test files (the JDK has none); numbers stay exact. */
object Json {
    fun parse(text: String): Any? {
        val p = Parser(text)
        val v = p.value()
        p.space()
        if (p.i != text.length) throw IllegalArgumentException("trailing text at ${p.i}")
        return v
    }

    fun write(v: Any?): String = when (v) {
        null -> "null"
        is String -> quote(v)
        is Boolean -> v.toString()
        is BigDecimal -> v.toPlainString()
        is Map<*, *> -> v.entries.joinToString(",", "{", "}") { quote(it.key as String) + ":" + write(it.value) }
        is List<*> -> v.joinToString(",", "[", "]") { write(it) }
        else -> throw IllegalArgumentException("cannot write $v")
    }

    private fun quote(s: String): String {
        val b = StringBuilder("\"")
        for (c in s) {
            when {
                c == '"' -> b.append("\\\"")
                c == '\\' -> b.append("\\\\")
                c < ' ' -> b.append(String.format("\\u%04x", c.code))
                else -> b.append(c)
            }
        }
        return b.append('"').toString()
    }

    private class Parser(val s: String) {
        var i = 0
        fun space() { while (i < s.length && s[i].isWhitespace()) i++ }
        fun value(): Any? {
            space()
            return when (val c = s[i]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> word("true", true)
                'f' -> word("false", false)
                'n' -> word("null", null)
                else -> if (c == '-' || c.isDigit()) num() else throw IllegalArgumentException("unexpected $c at $i")
            }
        }
        fun word(w: String, v: Any?): Any? {
            if (!s.startsWith(w, i)) throw IllegalArgumentException("bad literal at $i")
            i += w.length
            return v
        }
        fun num(): BigDecimal {
            val start = i
            while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
            return BigDecimal(s.substring(start, i))
        }
        fun str(): String {
            val b = StringBuilder()
            i++
            while (s[i] != '"') {
                if (s[i] == '\\') {
                    i++
                    when (val e = s[i]) {
                        'n' -> b.append('\n')
                        't' -> b.append('\t')
                        'r' -> b.append('\r')
                        'b' -> b.append('\b')
                        'f' -> b.append('\u000c')
                        'u' -> { b.append(s.substring(i + 1, i + 5).toInt(16).toChar()); i += 4 }
                        else -> b.append(e)
                    }
                } else {
                    b.append(s[i])
                }
                i++
            }
            i++
            return b.toString()
        }
        fun arr(): List<Any?> {
            val out = mutableListOf<Any?>()
            i++
            space()
            if (s[i] == ']') { i++; return out }
            while (true) {
                out.add(value())
                space()
                if (s[i++] == ']') return out
            }
        }
        fun obj(): Map<String, Any?> {
            val out = LinkedHashMap<String, Any?>()
            i++
            space()
            if (s[i] == '}') { i++; return out }
            while (true) {
                space()
                val k = str()
                space()
                i++ // ':'
                out[k] = value()
                space()
                if (s[i++] == '}') return out
            }
        }
    }
}

/**
 * The social space on the phone (issue 14): ads and a conversation read offline from a
 * bundle, two messages queued offline, delivered on sync exactly once even when the
 * first sync's answer is lost, and the queue kept across an app restart.
 */
fun social() {
    test("social: read offline, queue, deliver exactly once") {
        val srv = SocialDemoServer("2026-10-05T09:00")
        val ad = srv.postAd(STAFF, "Sepeda lipat", "1500000")
        val c = srv.openAboutAd(PEER, ad)
        srv.send(STAFF, c, "Masih ada, silakan")
        val phone = SocialSession.open(srv.bundleFor(PEER))
        val ads = phone.ads()
        eq(1, ads.size, "ads")
        eq("Sepeda lipat", ads[0].title, "title")
        eq(BigDecimal("1500000"), BigDecimal(ads[0].price), "price exact")
        eq(1uL, phone.conversation(c).unread, "unread")
        eq("Masih ada, silakan", phone.conversation(c).messages[0].body, "the seller's message")
        // Only one's own conversations; not over the length limit.
        val e = throws<KinerjaException.NotAuthorised> { phone.queueMessage(99uL, "halo", "2026-10-05T09:10") }
        eq("not_a_member", e.code, "code")
        throws<KinerjaException.Parse> { phone.queueMessage(c, "x".repeat(2001), "2026-10-05T09:10") }
        // Offline: two messages queued, shown as queued.
        val k1 = phone.queueMessage(c, "Saya ambil", "2026-10-05T09:10")
        val k2 = phone.queueMessage(c, "Besok jam 10?", "2026-10-05T09:11")
        yes(k1 != k2, "distinct keys")
        val shown = phone.conversation(c).messages
        eq(3, shown.size, "two queued after the seller's")
        yes(shown[1].queued && shown[2].queued, "queued")
        // The app is killed: the queue survives.
        val again = SocialSession.restore(phone.save())
        // First sync: delivered, but the answer is lost (nothing marked delivered).
        eq(listOf(k1, k2), srv.deliver(PEER, again.pendingJson()), "answered keys")
        eq(3uL, srv.messageCount(c), "delivered")
        // Second sync with the same queue: nothing is sent twice.
        val answered = srv.deliver(PEER, again.pendingJson())
        eq(3uL, srv.messageCount(c), "exactly once")
        for (k in answered) yes(again.delivered(k), "delivered $k")
        eq("[]", again.pendingJson(), "queue empty")
        again.rebase(srv.bundleFor(PEER))
        val bodies = again.conversation(c).messages.map { it.body }
        eq(listOf("Masih ada, silakan", "Saya ambil", "Besok jam 10?"), bodies, "after sync")
        yes(again.conversation(c).messages.none { it.queued }, "nothing queued")
    }
}
