import Foundation
import GRDB
import RecordingsDomain

/// `genesys-mock seed`: adds N generated WhatsApp conversations to a data folder, deterministically.
package enum GeneratedSeeder {
    package struct Outcome: Sendable {
        package var added: Int
        package var alreadyThere: Int
        package var orgId: String
    }

    package static func run(dataDir: String, fixturesDir: String, count: Int, seed: UInt64, orgId: String?,
                            progress: @Sendable (Int, Int) -> Void) async throws -> Outcome {
        let fixtures = try await BlockingIO.run {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            return try FixtureSet.load(from: fixturesDir)
        }
        let db = try await AppDatabase.open(path: dataDir + "/genesys-mock.sqlite")
        try await Seeder.seedIfNeeded(db, fixtures: fixtures, now: Timestamp.millis(Date()))
        let org = try await db.read { db in
            try orgId.map { id in try String.fetchOne(db, sql: "SELECT id FROM org WHERE id = ?", arguments: [id]) }
                ?? String.fetchOne(db, sql: "SELECT id FROM org ORDER BY rowid LIMIT 1")
        }
        guard let org else { throw FixtureError(file: dataDir, problem: "unknown org \(orgId ?? "")") }
        let generator = ConversationGenerator(seed: seed, orgId: org)
        var added = 0
        var index = 0
        let batch = 1000
        while index < count {
            let upper = min(count, index + batch)
            let conversations = (index..<upper).map(generator.conversation)
            added += try await db.write { db in
                let stmt = try db.makeStatement(sql: """
                    INSERT OR IGNORE INTO conversation (id, org_id, messenger_type, start_time, recording_id, document)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
                var n = 0
                for c in conversations {
                    try stmt.execute(arguments: [c.id, c.orgId, c.messengerType, c.startDate.map(Timestamp.millis) ?? 0,
                                                 c.recordingId, try CanonicalJSON.string(c)])
                    n += db.changesCount
                }
                return n
            }
            index = upper
            progress(index, count)
        }
        return Outcome(added: added, alreadyThere: count - added, orgId: org)
    }
}
