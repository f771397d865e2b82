import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/__admin/legal-holds` (CONTRACT §4, §6) and how the export API follows the registry.
@Suite struct AdminLegalHoldTests {
    static let holds = "/__admin/legal-holds"

    static func caseIds(_ response: TestResponse) throws -> [String] {
        (try response.object()["legalHolds"] as? [[String: Any]] ?? []).compactMap { $0["caseId"] as? String }
    }

    @Test func listShowsTheSeededHoldsAndFiltersByStatus() async throws {
        try await withServer { client in
            let all = try await client.call(.get, Self.holds)
            #expect(all.status == .ok)
            #expect(Set(try Self.caseIds(all)) == [Seed.activeCase, Seed.releasedCase])
            #expect(try Self.caseIds(try await client.call(.get, Self.holds + "?status=ACTIVE")) == [Seed.activeCase])
            #expect(try Self.caseIds(try await client.call(.get, Self.holds + "?status=RELEASED")) == [Seed.releasedCase])
            let bad = try await client.call(.get, Self.holds + "?status=OPEN")
            #expect(bad.status == .badRequest)
            #expect(try bad.object()["error"] as? String == "bad.request")
        }
    }

    @Test func getOneAndUnknown() async throws {
        try await withServer { client in
            let response = try await client.call(.get, "\(Self.holds)/\(Seed.releasedCase)")
            #expect(response.status == .ok)
            let hold = try response.object()
            #expect(hold["caseId"] as? String == Seed.releasedCase && hold["status"] as? String == "RELEASED")
            #expect(hold["releasedDate"] as? String == "2023-02-28T17:45:00.000Z")
            #expect(hold["selfUri"] as? String == "\(Self.holds)/\(Seed.releasedCase)")
            for key in ["name", "description", "createdDate", "conversationIds"] { #expect(hold[key] != nil, "lacks \(key)") }

            let unknown = try await client.call(.get, "\(Self.holds)/LH-NOPE")
            #expect(unknown.status == .notFound)
            #expect(try unknown.object()["error"] as? String == "not.found")
        }
    }

    @Test func createDuplicateAndUnknownKey() async throws {
        try await withServer { client in
            let body = #"{"caseId": "LH-2024-100", "name": "New matter", "description": "A test hold", "conversationIds": ["a"]}"#
            let created = try await client.call(.post, Self.holds, json: body)
            #expect(created.status == .created, "\(created.text)")
            let hold = try created.object()
            #expect(hold["caseId"] as? String == "LH-2024-100" && hold["status"] as? String == "ACTIVE")
            #expect(hold["selfUri"] as? String == "\(Self.holds)/LH-2024-100")
            #expect(hold["releasedDate"] is NSNull && (hold["createdDate"] as? String)?.hasSuffix("Z") == true)
            #expect(hold["conversationIds"] as? [String] == ["a"])
            #expect(try await client.call(.get, "\(Self.holds)/LH-2024-100").status == .ok)

            let duplicate = try await client.call(.post, Self.holds, json: body)
            #expect(duplicate.status == .conflict)
            #expect(try duplicate.object()["error"] as? String == "hold.exists")

            let unknownKey = try await client.call(.post, Self.holds, json: #"{"caseId": "LH-2024-101", "name": "x", "caseID": "y"}"#)
            #expect(unknownKey.status == .badRequest)
            #expect((try unknownKey.object()["message"] as? String)?.contains("caseID") == true, "\(unknownKey.text)")
            #expect(try await client.call(.get, "\(Self.holds)/LH-2024-101").status == .notFound, "nothing created")

            let noName = try await client.call(.post, Self.holds, json: #"{"caseId": "LH-2024-102"}"#)
            #expect(noName.status == .badRequest)
        }
    }

    @Test func releaseIsRecordedOnceAndAReleasedCaseIdIsNeverReused() async throws {
        try await withServer { client in
            #expect(try await client.call(.post, Self.holds, json: #"{"caseId": "LH-2024-200", "name": "Short"}"#).status == .created)
            let released = try await client.call(.post, "\(Self.holds)/LH-2024-200/release")
            #expect(released.status == .ok)
            let hold = try released.object()
            #expect(hold["status"] as? String == "RELEASED")
            #expect((hold["releasedDate"] as? String)?.hasSuffix("Z") == true)

            let again = try await client.call(.post, "\(Self.holds)/LH-2024-200/release")
            #expect(again.status == .conflict)
            #expect(try again.object()["error"] as? String == "hold.already.released")

            for caseId in ["LH-2024-200", Seed.releasedCase] {
                let recreate = try await client.call(.post, Self.holds, json: #"{"caseId": "\#(caseId)", "name": "Again"}"#)
                #expect(recreate.status == .conflict, "\(caseId) can never be re-created")
                #expect(try recreate.object()["error"] as? String == "hold.exists")
            }
            let unknown = try await client.call(.post, "\(Self.holds)/LH-NOPE/release")
            #expect(unknown.status == .notFound)
            #expect(try unknown.object()["error"] as? String == "not.found")
            #expect(try await client.call(.get, "\(Self.holds)/LH-2024-200").object()["status"] as? String == "RELEASED")
        }
    }

    @Test func theExportAPIFollowsHoldsCreatedAndReleasedOverTheAdminAPI() async throws {
        try await withServer { client in
            let token = try await client.token()
            let body = ExportBody.make(caseId: "LH-2024-300")
            try assertErrorBody(try await client.createExport(body, token: token), .badRequest, "legal.hold.not.found")
            #expect(try await client.call(.post, Self.holds, json: #"{"caseId": "LH-2024-300", "name": "Live"}"#).status == .created)
            let accepted = try await client.createExport(body, token: token)
            #expect(accepted.status == .accepted, "\(accepted.text)")
            #expect((try accepted.object()["legal_hold"] as? [String: Any])?["case_id"] as? String == "LH-2024-300")

            #expect(try await client.call(.post, "\(Self.holds)/LH-2024-300/release").status == .ok)
            let refused = try await client.createExport(body, token: token)
            let error = try assertErrorBody(refused, .badRequest, "legal.hold.not.active")
            #expect((error["message"] as? String)?.contains("LH-2024-300") == true)
            #expect(try await client.exportTotal(token: token) == 1, "only the export made while the hold was active")
        }
    }

    @Test func aHoldBodyOverTheLimitIs413InTheAdminShape() async throws {
        try await withServer({ $0.config.bodyLimit = 1024 }) { client in
            let big = #"{"caseId": "LH-2024-400", "name": "Big", "description": "\#(String(repeating: "d", count: 2048))"}"#
            let response = try await client.call(.post, Self.holds, json: big)
            #expect(response.status == .contentTooLarge)
            #expect(try response.object()["error"] as? String == "too.large", "\(response.text)")
            #expect(try await client.call(.get, "\(Self.holds)/LH-2024-400").status == .notFound, "nothing created")
        }
    }
}
