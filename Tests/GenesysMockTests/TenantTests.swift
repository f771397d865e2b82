import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RecordingsDomain
import Testing

/// `/__admin/tenants` (CONTRACT §16): a tenant is an org with its own world, made, reset and deleted on its own,
/// whose credentials reach nothing of anyone else's.
@Suite struct TenantTests {
    static let path = "/__admin/tenants"
    static let week = #"{"interval": "2023-01-01T00:00:00Z/2023-01-08T00:00:00Z", "paging": {"pageSize": 100}}"#

    struct Made {
        var id: String
        var orgId: String
        var adminId: String
        var adminSecret: String
        var viewerId: String
        var buckets: [String]
    }

    static func create(_ client: Client, _ name: String, conversations: Int = 0) async throws -> Made {
        let response = try await client.call(.post, path, json: #"{"name": "\#(name)", "conversations": \#(conversations)}"#)
        try #require(response.status == .created, "\(response.status) \(response.text)")
        #expect(response.headers[.cacheControl] == "no-store", "secrets are never cached")
        let o = try response.object()
        let clients = try #require(o["clients"] as? [String: [String: String]])
        let s3 = try #require(o["s3"] as? [String: String])
        #expect(s3["accessKeyId"]?.hasPrefix("AKIA") == true && s3["secretAccessKey"]?.count == 40)
        #expect(response.headers[.location] == o["selfUri"] as? String)
        return Made(id: try #require(o["id"] as? String), orgId: try #require(o["orgId"] as? String),
                    adminId: try #require(clients["admin"]?["clientId"]), adminSecret: try #require(clients["admin"]?["clientSecret"]),
                    viewerId: try #require(clients["viewer"]?["clientId"]), buckets: o["buckets"] as? [String] ?? [])
    }

    static func token(_ client: Client, _ t: Made) async throws -> String {
        let response = try await client.tokenResponse(t.adminId, secret: t.adminSecret)
        try #require(response.status == .ok, "\(response.status) \(response.text)")
        return try #require(try response.object()["access_token"] as? String)
    }

    static func conversationIds(_ client: Client, token: String) async throws -> [String] {
        let response = try await client.call(.post, "/api/v2/analytics/conversations/details/query", token: token, json: week)
        #expect(response.status == .ok, "\(response.text)")
        return ((try response.object()["conversations"] as? [[String: Any]]) ?? []).compactMap { $0["conversationId"] as? String }
    }

    @Test func aTenantHasItsOwnWorldAndShowsItsSecretsOnce() async throws {
        try await withServer { client in
            let t = try await Self.create(client, "ci-job-1", conversations: 20)
            let shown = try await client.call(.get, "\(Self.path)/\(t.id)")
            #expect(shown.status == .ok)
            #expect(!shown.text.contains(t.adminSecret) && !shown.text.contains("clientSecret") && !shown.text.contains("secretAccessKey"))
            let listed = try await client.call(.get, Self.path)
            #expect(((try listed.object()["tenants"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [t.id])
            #expect(try shown.object()["conversations"] as? Int == 20)
            #expect(t.buckets == ["ci-job-1-legal-discovery", "ci-job-1-recordings"])

            let plain = try await Self.create(client, "ci-job-2")
            let mine = try await Self.conversationIds(client, token: try await Self.token(client, plain))
            let shared = try await Self.conversationIds(client, token: try await client.token())
            #expect(mine.count == shared.count, "the fixtures' first week, under new ids")
            #expect(Set(mine).isDisjoint(with: shared))
            // The 20 generated ones fall in the first half of 2023, as `genesys-mock seed`'s do.
            var all: [String: Set<String>] = [:]
            for (tenant, token) in [(t.id, try await Self.token(client, t)), (plain.id, try await Self.token(client, plain))] {
                for week in 0..<27 {
                    let start = Date(timeIntervalSince1970: 1_672_531_200 + Double(week) * 7 * 86_400)  // 2023-01-01
                    let f = ISO8601DateFormatter()
                    let body = #"{"interval": "\#(f.string(from: start))/\#(f.string(from: start.addingTimeInterval(7 * 86_400)))", "paging": {"pageSize": 100}}"#
                    let page = try await client.call(.post, "/api/v2/analytics/conversations/details/query", token: token, json: body)
                    let ids = ((try page.object()["conversations"] as? [[String: Any]]) ?? []).compactMap { $0["conversationId"] as? String }
                    all[tenant, default: []].formUnion(ids)
                }
            }
            #expect((all[t.id]?.count ?? 0) == (all[plain.id]?.count ?? 0) + 20)
            // Same text and times: the first conversation of each starts at the same instant.
            let tenantToken = try await Self.token(client, t)
            let other = try await client.call(.get, "/api/v2/conversations/\(shared[0])", token: tenantToken)
            #expect(other.status == .notFound, "a tenant never reads the shared world's conversations")
            let back = try await client.call(.get, "/api/v2/conversations/\(mine[0])", token: try await client.token())
            #expect(back.status == .notFound, "nor the shared world a tenant's")
            let holds = try await client.call(.get, "/api/v2/recording/jobs", token: tenantToken)
            #expect(holds.status == .ok)
        }
    }

    @Test(arguments: [
        (#"{}"#, "name is required"),
        (#"{"name": "Has Capitals"}"#, "name must be 1 to 32"),
        (#"{"name": "-edge"}"#, "name must be 1 to 32"),
        (#"{"name": "a\u0000b"}"#, "control character"),
        (#"{"name": "ok", "conversations": -1}"#, "conversations must be"),
        (#"{"name": "ok", "conversations": 10001}"#, "conversations must be"),
        (#"{"name": "ok", "conversation": 5}"#, "did you mean 'conversations'"),
    ])
    func badCreationsAre400InTheAdminShape(body: String, message: String) async throws {
        try await withServer { client in
            let response = try await client.call(.post, Self.path, json: body)
            #expect(response.status == .badRequest)
            #expect(try response.object()["error"] as? String == "bad.request")
            #expect(response.text.contains(message), "\(response.text)")
            #expect(((try await client.call(.get, Self.path).object()["tenants"] as? [Any]) ?? [1]).isEmpty, "nothing was made")
        }
    }

    @Test func aTakenNameIs409AndUnknownTenantsAre404() async throws {
        try await withServer { client in
            _ = try await Self.create(client, "class-a")
            let again = try await client.call(.post, Self.path, json: #"{"name": "class-a"}"#)
            #expect(try again.status == .conflict && again.object()["error"] as? String == "tenant.exists")
            for (method, suffix) in [(HTTPRequest.Method.get, ""), (.delete, ""), (.post, "/reset")] {
                let response = try await client.call(method, "\(Self.path)/no-such-tenant\(suffix)")
                #expect(try response.status == .notFound && response.object()["error"] as? String == "not.found", "\(method) \(suffix)")
            }
        }
    }

    @Test func deleteRemovesTheTenantAndItsTokensAtOnceAndNothingElse() async throws {
        try await withServer { client in
            let a = try await Self.create(client, "trainee-a"), b = try await Self.create(client, "trainee-b")
            let tokenA = try await Self.token(client, a), tokenB = try await Self.token(client, b)
            let sharedBefore = try await Self.conversationIds(client, token: try await client.token())
            #expect(try await client.call(.delete, "\(Self.path)/\(a.id)").status == .noContent)
            let refused = try await client.call(.get, "/api/v2/recording/jobs", token: tokenA)
            #expect(refused.status == .unauthorized, "a deleted tenant's token answers 401 at once")
            #expect(try await client.call(.get, "\(Self.path)/\(a.id)").status == .notFound)
            #expect(try await client.tokenResponse(a.adminId, secret: a.adminSecret).status != .ok)
            #expect(try await Self.conversationIds(client, token: tokenB).count == sharedBefore.count, "the other tenant keeps its world")
            #expect(try await Self.conversationIds(client, token: try await client.token()) == sharedBefore)
        }
    }

    @Test func resetPutsTheTenantBackAndLeavesOthersAndTheSharedWorldAlone() async throws {
        try await withServer { client in
            let a = try await Self.create(client, "team-a"), b = try await Self.create(client, "team-b")
            let tokenA = try await Self.token(client, a), tokenB = try await Self.token(client, b)
            func held(_ bucket: String) -> String {
                ExportBody.make(bucket: bucket, region: "eu-west-2", prefix: "cases/", interval: "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z",
                                caseId: Seed.activeCase)
            }
            let idA = try #require(try await client.acceptedExport(held(a.buckets[0]), token: tokenA)["id"] as? String)
            let idB = try #require(try await client.acceptedExport(held(b.buckets[0]), token: tokenB)["id"] as? String)
            #expect(try await client.waitForExport(idA, token: tokenA)["state"] as? String == "FULFILLED")
            #expect(try await client.waitForExport(idB, token: tokenB)["state"] as? String == "FULFILLED")
            #expect(try await client.getExport(idB, token: tokenA).status == .notFound, "a tenant never reads another tenant's job")
            let filesA = client.server.sinkFiles().filter { $0.hasPrefix(a.buckets[0] + "/") }
            let filesB = client.server.sinkFiles().filter { $0.hasPrefix(b.buckets[0] + "/") }
            #expect(!filesA.isEmpty && !filesB.isEmpty)
            // Into someone else's bucket, or the shared world's: refused as S3 refuses another account's bucket.
            for bucket in [b.buckets[0], "legal-discovery-eu"] {
                let id = try #require(try await client.acceptedExport(held(bucket), token: tokenA)["id"] as? String)
                let job = try await client.waitForExport(id, token: tokenA)
                #expect(job["state"] as? String == "FAILED" && (job["errorMessage"] as? String ?? "").contains("AccessDenied"), "\(job)")
            }

            let reset = try await client.call(.post, "\(Self.path)/\(a.id)/reset")
            #expect(try reset.status == .ok && reset.object()["status"] as? String == "reset", "\(reset.text)")
            #expect(try await client.getExport(idA, token: tokenA).status == .notFound, "its job is gone")
            #expect(client.server.sinkFiles().filter { $0.hasPrefix(a.buckets[0] + "/") }.isEmpty, "and its objects")
            #expect(try await client.getExport(idB, token: tokenB).status == .ok, "the other tenant's job is not")
            #expect(client.server.sinkFiles().filter { $0.hasPrefix(b.buckets[0] + "/") } == filesB, "nor its objects")
            #expect(try await Self.conversationIds(client, token: tokenA).count > 0, "its token stays valid and its world is back")
            let again = try #require(try await client.acceptedExport(held(a.buckets[0]), token: tokenA)["id"] as? String)
            #expect(try await client.waitForExport(again, token: tokenA)["state"] as? String == "FULFILLED", "it exports again")
        }
    }

    @Test func theSharedResetKeepsTenantsAndTenantsSurviveARestart() async throws {
        let first = TestServer()
        defer { first.removeData() }
        let made = try await first.run { client in
            let t = try await Self.create(client, "keeps", conversations: 5)
            #expect(try await client.call(.post, "/__admin/reset").status == .ok)
            #expect(try await Self.conversationIds(client, token: try await Self.token(client, t)).count > 0)
            return t
        }
        try await TestServer(dataDir: first.dataDir).run { (client: Client) async throws in
            #expect(try await client.call(.get, "\(Self.path)/\(made.id)").status == .ok)
            #expect(try await Self.conversationIds(client, token: try await Self.token(client, made)).count > 0)
        }
    }

    @Test func aTenantsClockMovesItsTokensAndNothingElse() async throws {
        let first = TestServer()
        defer { first.removeData() }
        let (a, frozenAt) = try await first.run { client in
            let a = try await Self.create(client, "clock-a"), b = try await Self.create(client, "clock-b")
            let tokenA = try await Self.token(client, a), tokenB = try await Self.token(client, b), shared = try await client.token()
            let sharedBefore = try await client.call(.get, "/__admin/clock").object()["now"] as? String
            let moved = try await client.call(.post, "\(Self.path)/\(a.id)/clock/advance", json: #"{"seconds": 172800}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            let aNow = try #require(try moved.object()["now"] as? String)
            #expect(aNow > (sharedBefore ?? ""), "A's clock is two days ahead")
            #expect(try await client.call(.get, "/api/v2/recording/jobs", token: tokenA).status == .unauthorized, "A's day-long token expired")
            #expect(try await client.call(.get, "/api/v2/recording/jobs", token: tokenB).status == .ok, "B's did not")
            #expect(try await client.call(.get, "/api/v2/recording/jobs", token: shared).status == .ok, "nor the shared world's")
            let sharedAfter = try #require(try await client.call(.get, "/__admin/clock").object()["now"] as? String)
            #expect(sharedAfter < aNow, "the shared clock did not move")
            let frozen = try await client.call(.put, "\(Self.path)/\(a.id)/clock", json: #"{"now": "2031-05-01T12:00:00Z", "frozen": true}"#)
            #expect(try frozen.object()["now"] as? String == "2031-05-01T12:00:00.000Z" && frozen.object()["frozen"] as? Bool == true)
            let bClock = try await client.call(.get, "\(Self.path)/\(b.id)/clock").object()
            #expect(bClock["frozen"] as? Bool == false && (bClock["now"] as? String ?? "") < "2031")
            let bad = try await client.call(.put, "\(Self.path)/\(a.id)/clock", json: #"{"now": "soon"}"#)
            #expect(try bad.status == .badRequest && bad.object()["error"] as? String == "bad.request")
            return (a, "2031-05-01T12:00:00.000Z")
        }
        try await TestServer(dataDir: first.dataDir).run { (client: Client) async throws in
            let clock = try await client.call(.get, "\(Self.path)/\(a.id)/clock").object()
            #expect(clock["now"] as? String == frozenAt && clock["frozen"] as? Bool == true, "a tenant's clock survives a restart")
            #expect(try await client.call(.post, "\(Self.path)/\(a.id)/reset").status == .ok)
            let reset = try await client.call(.get, "\(Self.path)/\(a.id)/clock").object()
            #expect(reset["frozen"] as? Bool == false && (reset["now"] as? String ?? "9") < "2031", "a reset sets it running on today again")
        }
    }

    @Test func theJournalShowsOneTenantsTraffic() async throws {
        try await withServer { client in
            let a = try await Self.create(client, "journal-a"), b = try await Self.create(client, "journal-b")
            _ = try await Self.conversationIds(client, token: try await Self.token(client, a))
            _ = try await Self.conversationIds(client, token: try await Self.token(client, b))
            _ = try await Self.conversationIds(client, token: try await client.token())
            let entries = try await client.call(.get, "/__admin/requests?tenant=\(a.id)").object()["requests"] as? [[String: Any]] ?? []
            #expect(entries.count >= 2, "its token request and its query")
            #expect(entries.allSatisfy { $0["client"] as? String == a.adminId }, "\(entries.map { $0["client"] ?? "-" })")
            let unknown = try await client.call(.get, "/__admin/requests?tenant=nobody")
            #expect(try unknown.status == .notFound && unknown.object()["error"] as? String == "not.found")
        }
    }

    @Test func resetBringsBackWhatRetentionDidToItsConversations() async throws {
        try await withServer { client in
            let t = try await Self.create(client, "retention-a")
            let token = try await Self.token(client, t)
            // A June conversation: after the ACTIVE hold's Q1 2023, so a delete date deletes it.
            let june = #"{"interval": "2023-06-07T00:00:00Z/2023-06-14T00:00:00Z"}"#
            let found = try await client.call(.post, "/api/v2/analytics/conversations/details/query", token: token, json: june).object()
            let cid = try #require((found["conversations"] as? [[String: Any]])?.first?["conversationId"] as? String)
            let meta = try await client.call(.get, "/api/v2/conversations/\(cid)/recordingmetadata", token: token)
            let rid = try #require((try meta.array().first)?["id"] as? String, "\(meta.text)")
            let now = try #require(try await client.call(.get, "\(Self.path)/\(t.id)/clock").object()["now"] as? String)
            let soon = ISO8601DateFormatter().string(from: try #require(Timestamp.parse(now)).addingTimeInterval(60))
            let put = try await client.call(.put, "/api/v2/conversations/\(cid)/recordings/\(rid)", token: token, json: #"{"deleteDate": "\#(soon)"}"#)
            #expect(put.status == .ok, "\(put.text)")
            #expect(try await client.call(.post, "\(Self.path)/\(t.id)/clock/advance", json: #"{"seconds": 120}"#).status == .ok)
            #expect(try await client.call(.get, "/api/v2/conversations/\(cid)", token: token).status == .notFound, "deleted on its clock")
            #expect(try await client.call(.post, "\(Self.path)/\(t.id)/reset").status == .ok)
            let back = try await client.call(.get, "/api/v2/conversations/\(cid)", token: try await Self.token(client, t))
            #expect(back.status == .ok, "the reset brings it back: \(back.text)")
        }
    }
}
