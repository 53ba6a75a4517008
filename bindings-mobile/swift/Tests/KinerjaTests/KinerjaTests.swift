// XCTest tests of the Swift bindings: the same scenarios as the Kotlin tests
// (bindings-mobile/tests/kotlin/Main.kt). The fixtures come from
// `cargo run -p kinerja-mobile --example demo_city -- DIR`; set KINERJA_FIXTURES to
// DIR (default: target/mobile/fixtures of the repository).
//
// The server (DemoServer) issues a session with every bundle and records when each
// upload arrives (`receivedAt`, its own clock): uploads in a test arrive in time
// order, a few minutes after the phone's changes.

import Foundation
import XCTest

@testable import Kinerja

let HEAD = "197001012000011001"
let KASI = "198002022005021002"
let STAFF = "199003032015031003"
let PEER = "199104042016042004"
let MONTH = "2026-10"

func fixturesDir() -> URL {
    if let dir = ProcessInfo.processInfo.environment["KINERJA_FIXTURES"] {
        return URL(fileURLWithPath: dir)
    }
    // Tests/KinerjaTests/KinerjaTests.swift -> the repository's target/mobile/fixtures
    var url = URL(fileURLWithPath: #filePath)
    while url.pathComponents.count > 1 && url.lastPathComponent != "target" && url.lastPathComponent != "bindings-mobile" {
        url.deleteLastPathComponent()
    }
    return url.deletingLastPathComponent().appendingPathComponent("target/mobile/fixtures")
}

func cityJson() throws -> String {
    try String(contentsOf: fixturesDir().appendingPathComponent("city.json"), encoding: .utf8)
}

func draft(_ date: String, _ start: String, _ end: String, _ quantity: String, task: String = "STAF-T1") -> ActivityDraft {
    ActivityDraft(date: date, start: start, end: end, task: task, quantity: quantity,
                  description: "Agenda surat masuk", evidence: nil)
}

/// The number of activity entries in a state's JSON (`serverStateJson`, `stateJsonFor`).
func entryCount(_ stateJson: String) throws -> Int {
    let state = try JSONSerialization.jsonObject(with: Data(stateJson.utf8)) as? [String: Any]
    return (state?["entries"] as? [Any])?.count ?? -1
}

/// The error thrown by `body`, which must throw.
func caught(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> KinerjaError? {
    do {
        try body()
        XCTFail("nothing was thrown", file: file, line: line)
    } catch let e as KinerjaError {
        return e
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
    return nil
}

final class KinerjaTests: XCTestCase {
    var server: DemoServer!

    override func setUpWithError() throws {
        server = try DemoServer(datasetJson: cityJson(), policyLayers: [], month: MONTH)
    }

    /// STAFF logs three entries offline on Monday 5 October; they reach the server at 16:05.
    func staffDay() throws {
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        _ = try s.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: "2026-10-05T16:00")
        _ = try s.logActivity(draft: draft("2026-10-05", "09:00", "10:00", "2"), now: "2026-10-05T16:00")
        _ = try s.logActivity(draft: draft("2026-10-05", "10:00", "11:30", "8"), now: "2026-10-05T16:00")
        try s.applyServerAnswer(answerJson: server.applyUploads(
            changesJson: s.pendingChangesJson(), receivedAt: "2026-10-05T16:05", bundleFor: STAFF))
    }

    func testAnEmployeesOfflineDayEndToEnd() throws {
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        XCTAssertFalse(try s.isSupervisor())
        XCTAssertEqual(try s.owner(), Person(nip: STAFF, name: "Staf"))
        XCTAssertEqual(try s.tasks(date: "2026-10-05").map { $0.id }, ["STAF-T1"])
        let now = "2026-10-05T16:00"
        // 08:00-09:00, 3 letters x 15 = 45 min; 09:00-10:00, 2 x 15 = 30 min.
        XCTAssertEqual(try s.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: now), .pending(change: 1))
        XCTAssertEqual(try s.logActivity(draft: draft("2026-10-05", "09:00", "10:00", "2"), now: now), .pending(change: 2))
        // 09:30-10:30 overlaps: refused offline with the core's code and field.
        guard case let .ActivityRejected(code, _, problems) = caught({
            _ = try s.logActivity(draft: draft("2026-10-05", "09:30", "10:30", "1"), now: now)
        }) else { return XCTFail("not an activity error") }
        XCTAssertEqual(code, "overlapping_entry")
        XCTAssertEqual(problems.first?.field, "start")
        // 10:00-11:30, 8 x 15 = 120 min, capped by the 90-minute span.
        let c = try s.logActivity(draft: draft("2026-10-05", "10:00", "11:30", "8"), now: now)
        XCTAssertEqual(try s.entry(entry: c).creditedMinutes, 90)
        let entries = try s.entries()
        XCTAssertEqual(entries.count, 3)
        XCTAssertEqual(entries[0].date, "2026-10-05")
        XCTAssertEqual(entries[0].start, "08:00:00")
        XCTAssertEqual(entries[0].status, .submitted)
        // Target 22 working days x 300 = 6,600 min; claimed 45 + 30 + 90 = 165.
        let p = try s.progress(asOf: "2026-10-05")
        XCTAssertEqual(p.targetMinutes, 6600)
        XCTAssertEqual(p.claimedMinutes, 165)
        XCTAssertEqual(p.achievementPercent, Decimal(0))
        XCTAssertEqual(try s.pendingChangeCount(), 3)
        try s.applyServerAnswer(answerJson: server.applyUploads(
            changesJson: s.pendingChangesJson(), receivedAt: "2026-10-05T16:05", bundleFor: STAFF))
        XCTAssertEqual(try s.pendingChangeCount(), 0)
        XCTAssertEqual(try s.entries().map { $0.entry }, [.server(id: 1), .server(id: 2), .server(id: 3)])
        XCTAssertEqual(try s.serverStateJson(), try server.stateJsonFor(employee: STAFF))
        XCTAssertEqual(try s.progress(asOf: "2026-10-05"), try server.progressOf(employee: STAFF, asOf: "2026-10-05"))
    }

    func testAnAnswerWithoutABundle() throws {
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        _ = try s.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: "2026-10-05T16:00")
        let upload = try s.pendingChangesJson()
        _ = try s.logActivity(draft: draft("2026-10-05", "09:00", "10:00", "2"), now: "2026-10-05T16:05")
        let answer = try server.applyUploads(changesJson: upload, receivedAt: "2026-10-05T16:06", bundleFor: nil)
        try s.applyServerAnswer(answerJson: answer)
        try s.applyServerAnswer(answerJson: answer)
        XCTAssertEqual(try s.pendingChangeCount(), 1)
        XCTAssertEqual(try s.entries().map { $0.entry }, [.server(id: 1), .pending(change: 2)])
        XCTAssertNil(try s.serverStateJson())
    }

    func testASupervisorsQueueAndDecisions() throws {
        try staffDay()
        let k = try DeviceSession.open(bundleJson: server.bundleFor(employee: KASI))
        XCTAssertTrue(try k.isSupervisor())
        XCTAssertEqual(try k.subordinates(), [Person(nip: STAFF, name: "Staf"), Person(nip: PEER, name: "Rekan")])
        let queue = try k.verificationQueue()
        XCTAssertEqual(queue.count, 3)
        let now = "2026-10-06T08:00"
        try k.approve(entry: queue[0].entry, quantity: "2", now: now)
        try k.returnEntry(entry: queue[1].entry, reason: "Lampirkan bukti", now: now)
        try k.reject(entry: queue[2].entry, reason: "Bukan tugas hari itu", now: now)
        XCTAssertEqual(try k.verificationQueue().count, 0)
        // 2 x 15 = 30 verified minutes.
        XCTAssertEqual(try k.progressOf(employee: STAFF, asOf: "2026-10-06").verifiedMinutes, 30)
        try k.applyServerAnswer(answerJson: server.applyUploads(
            changesJson: k.pendingChangesJson(), receivedAt: "2026-10-06T08:05", bundleFor: KASI))
        XCTAssertEqual(try k.serverStateJson(), try server.stateJsonFor(employee: KASI))
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        let returned = try s.returnedEntries()
        XCTAssertEqual(returned.count, 1)
        XCTAssertEqual(returned[0].reason, "Lampirkan bukti")
        try s.editActivity(entry: returned[0].entry, draft: draft("2026-10-05", "09:00", "10:00", "2"), now: "2026-10-06T09:00")
        try s.resubmit(entry: returned[0].entry, now: "2026-10-06T09:01")
        try s.applyServerAnswer(answerJson: server.applyUploads(
            changesJson: s.pendingChangesJson(), receivedAt: "2026-10-06T09:05", bundleFor: STAFF))
        XCTAssertEqual(try s.rejectedChanges().count, 0)
        XCTAssertEqual(try s.entry(entry: returned[0].entry).status, .submitted)
    }

    func testAServerRejectionSurfaces() throws {
        // Two phones of the same employee, each with its own bundle and session.
        let phone1 = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        let phone2 = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        _ = try phone2.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "2"), now: "2026-10-05T15:00")
        try phone2.applyServerAnswer(answerJson: server.applyUploads(
            changesJson: phone2.pendingChangesJson(), receivedAt: "2026-10-05T15:05", bundleFor: STAFF))
        _ = try phone1.logActivity(draft: draft("2026-10-05", "08:30", "09:30", "2"), now: "2026-10-05T16:00")
        try phone1.applyServerAnswer(answerJson: server.applyUploads(
            changesJson: phone1.pendingChangesJson(), receivedAt: "2026-10-05T16:05", bundleFor: STAFF))
        let rejected = try phone1.rejectedChanges()
        XCTAssertEqual(rejected.count, 1)
        XCTAssertEqual(rejected[0].by, "server")
        guard case let .ActivityRejected(code, _, _) = rejected[0].error else { return XCTFail("area") }
        XCTAssertEqual(code, "overlapping_entry")
        XCTAssertEqual(try phone1.serverStateJson(), try server.stateJsonFor(employee: STAFF))
    }

    func testEveryErrorType() throws {
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        let now = "2026-10-05T16:00"
        let broken = try server.bundleFor(employee: STAFF)
            .replacingOccurrences(of: "\"employment\":\"PNS\"", with: "\"employment\":\"HONORER\"")
        guard case let .Validation(code, _, problems) = caught({ _ = try DeviceSession.open(bundleJson: broken) })
        else { return XCTFail("validation") }
        XCTAssertEqual(code, "invalid_dataset")
        XCTAssertGreaterThanOrEqual(problems.count, 2)
        guard case .Policy = caught({ _ = try DemoServer(datasetJson: cityJson(), policyLayers: ["[layer]\nname = 1"], month: MONTH) })
        else { return XCTFail("policy") }
        try staffDay()
        let k = try DeviceSession.open(bundleJson: server.bundleFor(employee: KASI))
        let own = try k.logActivity(draft: draft("2026-10-05", "08:00", "10:00", "2", task: "KASI-T1"), now: now)
        guard case .NotAuthorised = caught({ try k.approve(entry: own, quantity: nil, now: now) })
        else { return XCTFail("not authorised") }
        guard case .ActivityRejected = caught({ _ = try s.logActivity(draft: draft("2026-10-05", "06:00", "07:00", "1"), now: now) })
        else { return XCTFail("activity") }
        let q = try k.verificationQueue()
        guard case .Verification = caught({ try k.reject(entry: q[0].entry, reason: "  ", now: now) })
        else { return XCTFail("verification") }
        guard case .Attendance = caught({
            try s.reportAbsence(kind: "sick_with_note", start: "2026-10-06", end: "2026-10-06", evidence: nil, note: nil, now: now)
        }) else { return XCTFail("attendance") }
        guard case .Ledger = caught({ _ = try s.logActivity(draft: draft("2026-11-02", "08:00", "09:00", "1"), now: "2026-11-02T16:00") })
        else { return XCTFail("ledger") }
        guard case .NotFound = caught({ try k.approve(entry: .server(id: 999), quantity: nil, now: now) })
        else { return XCTFail("not found") }
        guard case let .Parse(_, _, fields) = caught({ _ = try s.logActivity(draft: draft("5 Okt", "8.00", "09:00", "tiga"), now: now) })
        else { return XCTFail("parse") }
        XCTAssertEqual(fields.map { $0.field }, ["date", "start", "quantity"])
        guard case .Parse = caught({ _ = try parseAmount(text: "1e6") }) else { return XCTFail("amount") }
        guard case let .Internal(code2, detail) = caught({ try debugTriggerPanic(message: "boom") })
        else { return XCTFail("internal") }
        XCTAssertEqual(code2, "panic")
        XCTAssertTrue(detail.contains("boom"))
        XCTAssertFalse(engineVersion().isEmpty)
    }

    func testMoneyIsExact() throws {
        XCTAssertEqual(try parseAmount(text: "1250000.50"), Decimal(string: "1250000.50"))
        XCTAssertEqual(try parseAmount(text: "0.1") + parseAmount(text: "0.2"), Decimal(string: "0.3"))
    }

    func testASessionSurvivesSaveAndRestore() throws {
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        _ = try s.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: "2026-10-05T16:00")
        let r = try DeviceSession.restore(savedJson: s.saveJson())
        XCTAssertEqual(try r.entries(), try s.entries())
        XCTAssertEqual(try r.logActivity(draft: draft("2026-10-05", "09:00", "10:00", "1"), now: "2026-10-05T16:10"), .pending(change: 2))
    }

    func testARetriedUploadGetsTheSameAnswer() throws {
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        _ = try s.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: "2026-10-05T16:00")
        let upload = try s.pendingChangesJson()
        let first = try server.applyUploads(changesJson: upload, receivedAt: "2026-10-05T16:05", bundleFor: nil)
        let state = try server.stateJsonFor(employee: STAFF)
        XCTAssertEqual(try entryCount(state), 1)
        // The answer was lost: the same upload again, later.
        let again = try server.applyUploads(changesJson: upload, receivedAt: "2026-10-05T16:20", bundleFor: nil)
        XCTAssertEqual(again, first)
        XCTAssertEqual(try server.stateJsonFor(employee: STAFF), state)
        try s.applyServerAnswer(answerJson: again)
        XCTAssertEqual(try s.entries().map { $0.entry }, [.server(id: 1)])
    }

    func testAChangeByAnotherThanTheSessionOwnerIsRefused() throws {
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        _ = try s.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: "2026-10-05T16:00")
        let upload = try s.pendingChangesJson()
        XCTAssertTrue(upload.contains("\"actor\":\"\(STAFF)\""))
        let forged = upload.replacingOccurrences(of: "\"actor\":\"\(STAFF)\"", with: "\"actor\":\"\(PEER)\"")
        try s.applyServerAnswer(answerJson: server.applyUploads(changesJson: forged, receivedAt: "2026-10-05T16:05", bundleFor: nil))
        let rejected = try s.rejectedChanges()
        XCTAssertEqual(rejected.count, 1)
        guard case let .NotAuthorised(code, _) = rejected.first?.error else { return XCTFail("area") }
        XCTAssertEqual(code, "not_session_owner")
        XCTAssertEqual(try entryCount(server.stateJsonFor(employee: PEER)), 0)
        XCTAssertEqual(try entryCount(server.stateJsonFor(employee: STAFF)), 0)
        let stranger = upload.replacingOccurrences(of: "\"key\":\"", with: "\"key\":\"elsewhere-")
        guard case let .NotAuthorised(unknown, _) = caught({
            _ = try server.applyUploads(changesJson: stranger, receivedAt: "2026-10-05T16:06", bundleFor: nil)
        }) else { return XCTFail("unknown session") }
        XCTAssertEqual(unknown, "unknown_session")
    }

    func testAClaimOlderThanTheWindowIsRefused() throws {
        // At most 3 working days before the receipt: logged Monday 5 October, received
        // Friday 9 October (earliest Tuesday 6): refused; received Thursday 8 (earliest
        // Monday 5): accepted.
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        _ = try s.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: "2026-10-05T16:00")
        try s.applyServerAnswer(answerJson: server.applyUploads(
            changesJson: s.pendingChangesJson(), receivedAt: "2026-10-09T08:00", bundleFor: STAFF))
        guard case let .Ledger(code, _) = try s.rejectedChanges().first?.error else { return XCTFail("area") }
        XCTAssertEqual(code, "claim_too_old")
        XCTAssertEqual(try s.entries().count, 0)
        let inTime = try DemoServer(datasetJson: cityJson(), policyLayers: [], month: MONTH)
        let t = try DeviceSession.open(bundleJson: inTime.bundleFor(employee: STAFF))
        _ = try t.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: "2026-10-05T16:00")
        try t.applyServerAnswer(answerJson: inTime.applyUploads(
            changesJson: t.pendingChangesJson(), receivedAt: "2026-10-08T08:00", bundleFor: STAFF))
        XCTAssertEqual(try t.rejectedChanges().count, 0)
        XCTAssertEqual(try t.entries().map { $0.entry }, [.server(id: 1)])
    }

    func testAnAlteredSavedSessionIsRefused() throws {
        let s = try DeviceSession.open(bundleJson: server.bundleFor(employee: STAFF))
        _ = try s.logActivity(draft: draft("2026-10-05", "08:00", "09:00", "3"), now: "2026-10-05T16:00")
        let saved = try s.saveJson()
        let altered = saved.replacingOccurrences(of: "Agenda surat masuk", with: "Agenda surat keluar")
        XCTAssertNotEqual(altered, saved)
        guard case let .Parse(code, _, _) = caught({ _ = try DeviceSession.restore(savedJson: altered) })
        else { return XCTFail("parse") }
        XCTAssertEqual(code, "format")
        XCTAssertEqual(try DeviceSession.restore(savedJson: saved).entries(), try s.entries())
    }

    func testTheQueueAsOfADecisionDate() throws {
        try staffDay()
        let k = try DeviceSession.open(bundleJson: server.bundleFor(employee: KASI))
        XCTAssertEqual(try k.verificationQueueOn(date: "2026-10-06"), try k.verificationQueue())
        XCTAssertEqual(try k.verificationQueueOn(date: "2026-10-06").count, 3)
        guard case let .Parse(_, _, fields) = caught({ _ = try k.verificationQueueOn(date: "6 Okt") })
        else { return XCTFail("parse") }
        XCTAssertEqual(fields.first?.field, "date")
    }
}
