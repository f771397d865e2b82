import Foundation
import GenesysMock
@testable import MockStore
import HTTPTypes
import Hummingbird
import Testing

/// The hot-path caches never serve what changed, and past capacity every request still gets an answer.
@Suite struct HotPathCacheTests {
    static let exports = "/api/v2/recordings/exports"

    @Test func everyCommittedWriteBumpsItsTablesGeneration() async throws {
        let db = try AppDatabase.inMemory()
        let jobs = db.changes.generation(.job)
        let tokens = db.changes.removals(.accessToken)
        try await db.write { db in
            try db.execute(sql: "INSERT INTO org (id, name) VALUES ('o', 'Org')")
            try db.execute(sql: """
                INSERT INTO access_token (token_sha256, client_id, org_id, user_id, permissions, expires_at)
                VALUES ('t', 'c', 'o', 'u', '[]', 0)
                """)
        }
        #expect(db.changes.generation(.job) == jobs, "a write that touched no job leaves the job generation alone")
        #expect(db.changes.removals(.accessToken) == tokens, "inserting a token removes nothing")
        try await db.write { db in try db.execute(sql: "DELETE FROM access_token") }
        #expect(db.changes.removals(.accessToken) == tokens + 1, "deleting a token is seen")
        let before = db.changes.generation(.accessToken)
        try? await db.write { db in
            try db.execute(sql: "DELETE FROM access_token")
            throw CancellationError()
        }
        #expect(db.changes.generation(.accessToken) == before, "a rolled-back transaction changes nothing")
    }

    @Test func cachesTellCanonicallyEqualSpellingsApart() {
        let cache = GenerationCache<ExactKey, String>(capacity: 4)
        cache.put(ExactKey("page/caf\u{E9}"), "nfc", generation: 1)
        #expect(cache.get(ExactKey("page/cafe\u{301}"), generation: 1) == nil, "NFD is another key")
        #expect(cache.get(ExactKey("page/caf\u{E9}"), generation: 1) == "nfc")
        #expect(cache.get(ExactKey("page/caf\u{E9}"), generation: 2) == nil, "a later generation misses")
    }

    @Test func aPolledExportShowsEachChangeAtOnce() async throws {
        try await withServer({ $0.config.exportRate = 1000 }) { client in
            let token = try await client.token()
            let created = try await client.acceptedExport(ExportBody.held(), token: token)
            let id = try #require(created["id"] as? String)
            var seen: Set<String> = []
            for _ in 0..<400 {
                let job = try await client.getExport(id, token: token).object()
                seen.insert(job["state"] as? String ?? "")
                if job["state"] as? String == "FULFILLED" { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(seen.contains("FULFILLED"), "the cached answer followed the job to the end: \(seen)")
            let cancel = try await client.call(.delete, "\(Self.exports)/\(id)", token: token)
            #expect(cancel.status == .conflict)
        }
    }

    @Test func pastCapacityTheAPIAnswers503InItsOwnShape() async throws {
        try await withServer({ $0.config.maxInFlight = 0 }) { client in
            let response = try await client.call(.get, Self.exports)
            let body = try assertErrorBody(response, .serviceUnavailable, "service.unavailable")
            #expect((body["message"] as? String)?.contains("busy") == true)
            #expect(response.header("Retry-After") == "1")
            #expect(response.header("ININ-Correlation-Id") == body["contextId"] as? String)
            let oauth = try await client.call(.post, "/oauth/token")
            #expect(oauth.status == .serviceUnavailable)
            #expect(try oauth.object()["error"] as? String == "temporarily_unavailable")
        }
    }
}
