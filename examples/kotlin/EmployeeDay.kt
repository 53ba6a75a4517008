// An employee's day on the phone, offline: open the month's bundle (issued by the
// server with a session id), pick a task, log the day's activities (the engine
// checks each one as the server would), see the month's progress, and keep the
// outbox for the next upload (the saved session is sealed: an altered copy is
// refused on restore).
//
// Run it with examples/kotlin/run.sh, or by hand:
//   kotlinc -cp jna.jar kinerja.kt EmployeeDay.kt -d day.jar
//   java -Djna.library.path=target/debug -cp day.jar:jna.jar:kotlin-stdlib.jar EmployeeDayKt bundle-staff.json

import id.kinerja.ActivityDraft
import id.kinerja.DeviceSession
import id.kinerja.KinerjaException
import java.io.File

fun main(args: Array<String>) {
    val bundle = File(args.getOrElse(0) { "bundle-staff.json" }).readText()
    val today = "2026-10-05"
    val now = "${today}T16:30"

    val session = DeviceSession.open(bundle)
    val me = session.owner()
    println("${me.name} (${me.nip}), ${session.month()}")

    val task = session.tasks(today).first()
    println("task: ${task.id} ${task.name}, ${task.standardMinutes} min per ${task.outputUnit}\n")

    val day = listOf(
        Triple("07:30", "09:00", "5"),
        Triple("09:00", "11:00", "8"),
        Triple("10:30", "12:00", "4"), // overlaps the entry before: refused offline
        Triple("13:00", "15:30", "9"),
    )
    for ((start, end, quantity) in day) {
        val draft = ActivityDraft(today, start, end, task.id, quantity, "Mengagendakan surat masuk", null)
        try {
            session.logActivity(draft, now)
        } catch (e: KinerjaException.ActivityRejected) {
            println("refused $start-$end: ${e.code} (${e.detail})")
        }
    }

    println("\nentries of the month:")
    for (e in session.entries()) {
        println("  ${e.date} ${e.start}-${e.end}  ${e.quantity} ${e.outputUnit}  ${e.creditedMinutes} min  ${e.status}")
    }

    val p = session.progress(today)
    println("\nprogress as of ${p.asOf}:")
    println("  target    ${p.targetMinutes} min (${p.targetDays} days x ${p.dailyMinutes} min)")
    println("  claimed   ${p.claimedMinutes} min, awaiting verification: ${p.pending} entries")
    println("  verified  ${p.verifiedMinutes} min, achievement ${p.achievementPercent?.toPlainString() ?: "-"} %")
    println("  deadline for verification: ${p.deadline}")

    val tpp = session.projectedAllowance(today).slip
    println("\nprojected allowance (TPP) if the month ended today, nothing verified yet:")
    for (line in tpp.lines) println("  %-24s %14s  %s".format(line.rule, line.amount.toPlainString(), line.explanation))
    println("  %-24s %14s".format("net", tpp.net.toPlainString()))

    // Each change carries the key <session>:<number>, the session being the one the
    // server issued with the bundle: the server applies a key once, so an upload
    // retried after a lost answer is safe.
    println("\n${session.pendingChangeCount()} change(s) waiting for upload, each with its key <session>:<number>:")
    println(session.pendingChangesJson().take(200) + "...")
    File("session.json").writeText(session.saveJson())
    println("session saved to session.json (the outbox survives a restart)")
}
