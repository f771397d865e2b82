import Foundation
import GenesysMock
@testable import MockStore
import Testing

/// A recording's `exportedDate` comes from the job item its last export stamped; a date left on the conversation by
/// an export made before schema version 5 still answers until a newer export stamps it.
@Suite struct ExportedDateTests {
    @Test func theJobItemsStampWinsAndAnOlderExportsDateStillAnswers() async throws {
        let file = Repo.fixtures + "/conversations/001-new-year-broadband-outage.json"
        let document = try String(contentsOfFile: file, encoding: .utf8)
        let c = try #require(try FixtureConversation.all().first)
        let db = try AppDatabase.inMemory()
        try await db.write { db in
            try db.execute(sql: "INSERT INTO org (id, name) VALUES (?, 'Org')", arguments: [c.orgId])
            try db.execute(sql: """
                INSERT INTO conversation (id, org_id, messenger_type, start_time, recording_id, document, exported_date)
                VALUES (?, ?, ?, 0, ?, ?, 1000)
                """, arguments: [c.id, c.orgId, c.messengerType, c.recordingId, document])
        }
        #expect(try await db.conversation(id: c.id, orgId: c.orgId)?.exportedDate == 1000, "the date an older export left")
        try await db.write { db in
            try db.execute(sql: """
                INSERT INTO job (id, org_id, kind, state, request, bucket, region, user_id, client_id, date_created)
                VALUES ('j', ?, 'export', 'PROCESSING', '{}', 'b', 'us-east-1', 'u', 'c', 0)
                """, arguments: [c.orgId])
            for (seq, stamp) in [(1, 5000 as Int64?), (2, 3000), (3, nil)] {
                try db.execute(sql: """
                    INSERT INTO job_item (job_id, seq, conversation_id, recording_id, status, written_at) VALUES ('j', ?, ?, ?, ?, ?)
                    """, arguments: [seq, c.id, c.recordingId, stamp == nil ? "pending" : "written", stamp])
            }
        }
        #expect(try await db.conversation(id: c.id, orgId: c.orgId)?.exportedDate == 5000, "the latest stamp of its job items")
        #expect(try await db.consoleConversation(id: c.id)?.exportedDate == 5000, "the console shows the same date")
    }
}
