import Foundation
@testable import GenesysMock
@testable import MockStore
import GRDB
import RecordingsDomain
import Testing

/// The sweep that carries out retention dates on the mock clock: it archives and deletes what is due, never deletes a
/// protected recording (it audits the skip and clears the date), leaves the audit chain intact, and does nothing twice.
@Suite struct RetentionSweepTests {
    static func insert(_ db: Database, id: String, org: String = "o1") throws {
        try db.execute(sql: """
            INSERT INTO conversation (id, org_id, messenger_type, start_time, recording_id, document) VALUES (?, ?, 'whatsapp', 0, ?, '{}')
            """, arguments: [id, org, "r-" + id])
    }

    @Test func dueDatesArchiveAndDeleteAndAProtectedDeletionIsSkippedAndAudited() async throws {
        let db = try AppDatabase.inMemory()
        try await db.write { db in
            for id in ["archive-me", "delete-me", "protected", "later"] { try Self.insert(db, id: id) }
            try db.execute(sql: "UPDATE conversation SET archive_date = 1000 WHERE id = 'archive-me'")
            try db.execute(sql: "UPDATE conversation SET delete_date = 1000 WHERE id IN ('delete-me', 'protected')")
            try db.execute(sql: "UPDATE conversation SET delete_date = 9000 WHERE id = 'later'")
            try db.execute(sql: "INSERT INTO deletion_protection (org_id, conversation_id, created) VALUES ('o1', 'protected', 0)")
        }
        #expect(try await db.applyRetention(now: 999) == AppDatabase.RetentionSweep(), "nothing is due yet")
        #expect(try await db.applyRetention(now: 1000) == AppDatabase.RetentionSweep(archived: 1, deleted: 1, skipped: 1))
        #expect(try await db.applyRetention(now: 5000) == AppDatabase.RetentionSweep(), "nothing happens twice")
        let (rows, events, broken) = try await db.read { db in
            (try Row.fetchAll(db, sql: "SELECT id, deleted, archived_date, delete_date FROM conversation ORDER BY id").map {
                ($0["id"] as String, $0["deleted"] as Int, $0["archived_date"] as Int64?, $0["delete_date"] as Int64?)
            },
             try String.fetchAll(db, sql: "SELECT event FROM audit_log ORDER BY seq"),
             try AuditLog.firstBrokenLink(db))
        }
        #expect(rows.map(\.0) == ["archive-me", "delete-me", "later", "protected"])
        #expect(rows[0].2 == 1000 && rows[0].1 == 0, "archived at its archive date")
        #expect(rows[1].1 == 1, "deleted")
        #expect(rows[2].1 == 0 && rows[2].3 == 9000, "not yet due")
        #expect(rows[3].1 == 0 && rows[3].3 == nil, "protected: kept, its delete date cleared")
        #expect(events == ["recording.archived", "recording.deleted", "recording.delete.skipped"])
        #expect(broken == nil, "the audit chain is intact")
    }

    @Test func aRestoreIsReadableOnlyBetweenItsReadyTimeAndItsEnd() {
        let restored = RecordingRetention(archiveDate: 5000, archivedAt: 1000, restoreReady: 2000, restoreUntil: 5000)
        #expect(restored.fileState(now: 1500) == "RESTORING" && !restored.readable(now: 1500))
        #expect(restored.fileState(now: 2000) == "RESTORED" && restored.readable(now: 4999))
        #expect(restored.fileState(now: 5000) == "ARCHIVED" && !restored.readable(now: 5000))
        #expect(RecordingRetention().fileState(now: 0) == "AVAILABLE")
        let update = RetentionUpdate(archiveDate: .set(9000))
        let (next, restoring) = try! update.applied(to: RecordingRetention(archivedAt: 1000), now: 3000, restoreDelay: 600).get()
        #expect(restoring && next.restoreReady == 3600 && next.restoreUntil == 9000)
        #expect(throws: ValidationFailure.self) {
            try RetentionUpdate(archiveDate: .set(2000)).applied(to: RecordingRetention(archivedAt: 1000), now: 3000, restoreDelay: 600).get()
        }
    }
}
