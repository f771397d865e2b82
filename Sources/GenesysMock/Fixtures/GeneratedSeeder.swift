import Foundation
import MockStore
import DocumentCodecs
import RecordingsDomain

/// `genesys-mock seed`: adds N generated WhatsApp conversations to a data folder, deterministically.
/// Conversations are generated and serialised on every core while the previous chunk is being inserted, so
/// a million take about as long as SQLite needs to insert them. Each chunk is one transaction: an interrupted
/// seed leaves whole conversations only, and running it again adds just what is missing.
package enum GeneratedSeeder {
    package struct Outcome: Sendable {
        package var added: Int
        package var alreadyThere: Int
        package var orgId: String
    }

    typealias Row = WorldSeed.Conversation

    /// Conversations per transaction.
    static let chunk = 10_000

    package static func run(dataDir: String, fixturesDir: String, count: Int, seed: UInt64, orgId: String?,
                            progress: @Sendable (Int, Int) -> Void) async throws -> Outcome {
        let fixtures = try await BlockingIO.run {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            return try FixtureSet.load(from: fixturesDir)
        }
        let db = try await AppDatabase.open(path: dataDir + "/genesys-mock.sqlite")
        try await Seeder.seedIfNeeded(db, fixtures: fixtures, now: Timestamp.millis(Date()))
        let org = try await db.org(named: orgId)
        guard let org else { throw FixtureError(file: dataDir, problem: "unknown org \(orgId ?? "")") }
        let generator = ConversationGenerator(seed: seed, orgId: org)
        var added = 0
        var pending: Task<[Row], Never>? = Task { await rows(generator, 0..<min(count, chunk)) }
        var start = 0
        while let current = pending {
            let batch = await current.value
            let next = start + batch.count
            // Generate the next chunk while this one is inserted.
            pending = next < count ? Task { await rows(generator, next..<min(count, next + chunk)) } : nil
            added += try await insert(batch, into: db)
            start = next
            progress(start, count)
        }
        return Outcome(added: added, alreadyThere: count - added, orgId: org)
    }

    /// A chunk's rows, generated in two halves at once.
    static func rows(_ generator: ConversationGenerator, _ range: Range<Int>) async -> [Row] {
        let middle = range.lowerBound + range.count / 2
        async let first = half(generator, range.lowerBound..<middle)
        let second = half(generator, middle..<range.upperBound)
        return await first + second
    }

    static func half(_ generator: ConversationGenerator, _ range: Range<Int>) -> [Row] {
        range.map { index in
            let c = generator.conversation(index)
            return Row(id: c.id, orgId: c.orgId, messengerType: c.messengerType, start: c.startDate.map(Timestamp.millis) ?? 0,
                       recordingId: c.recordingId, document: ConversationJSON.string(c))
        }
    }

    static func insert(_ rows: [Row], into db: AppDatabase) async throws -> Int {
        try await db.insert(conversations: rows)
    }
}
