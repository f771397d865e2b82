import Foundation
import Testing

/// `GET /api/v2/recordings/exports`: the Genesys paging envelope, the `state` and `caseId` filters, bad parameters.
@Suite struct ExportListTests {
    static let base = "/api/v2/recordings/exports"

    @Test func listPagesWithTheGenesysEnvelope() async throws {
        try await withServer({ $0.config.exportRate = 0.001; $0.clock.set(nowMillis: nil, frozen: true) }) { client in
            let token = try await client.token()
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try #require(try await client.acceptedExport(ExportBody.make(), token: token)["id"] as? String)) }

            let first = try await client.call(.get, Self.base + "?pageSize=2", token: token)
            #expect(first.status == .ok)
            let page1 = try first.object()
            #expect((page1["entities"] as? [[String: Any]])?.count == 2)
            #expect(page1["pageSize"] as? Int == 2 && page1["pageNumber"] as? Int == 1)
            #expect(page1["total"] as? Int == 3 && page1["pageCount"] as? Int == 2)
            #expect(page1["firstUri"] as? String == Self.base + "?pageSize=2&pageNumber=1")
            #expect(page1["selfUri"] as? String == Self.base + "?pageSize=2&pageNumber=1")
            #expect(page1["lastUri"] as? String == Self.base + "?pageSize=2&pageNumber=2")
            #expect(page1["nextUri"] as? String == Self.base + "?pageSize=2&pageNumber=2")
            #expect(page1["previousUri"] == nil || page1["previousUri"] is NSNull)

            let page2 = try await client.call(.get, Self.base + "?pageSize=2&pageNumber=2", token: token).object()
            #expect((page2["entities"] as? [[String: Any]])?.count == 1)
            #expect(page2["pageNumber"] as? Int == 2)
            #expect(page2["selfUri"] as? String == Self.base + "?pageSize=2&pageNumber=2")
            #expect(page2["nextUri"] == nil || page2["nextUri"] is NSNull, "no next page after the last")
            #expect(page2["previousUri"] as? String == Self.base + "?pageSize=2&pageNumber=1")

            let listed = ((page1["entities"] as? [[String: Any]] ?? []) + (page2["entities"] as? [[String: Any]] ?? []))
                .compactMap { $0["id"] as? String }
            #expect(Set(listed) == Set(ids) && listed.count == 3, "every export exactly once across the pages")

            let all = try await client.call(.get, Self.base, token: token).object()
            #expect(all["pageSize"] as? Int == 25 && all["pageCount"] as? Int == 1)
            #expect(all["nextUri"] == nil || all["nextUri"] is NSNull)
        }
    }

    @Test func listFiltersByStateAndCaseId() async throws {
        try await withServer({ $0.config.exportRate = 0.001; $0.clock.set(nowMillis: nil, frozen: true) }) { client in
            let token = try await client.token()
            let held = try #require(try await client.acceptedExport(ExportBody.held(), token: token)["id"] as? String)
            let plain = try #require(try await client.acceptedExport(ExportBody.make(), token: token)["id"] as? String)
            let cancelled = try #require(try await client.acceptedExport(ExportBody.make(), token: token)["id"] as? String)
            #expect(try await client.call(.delete, "\(Self.base)/\(cancelled)", token: token).status == .accepted)

            func ids(_ query: String) async throws -> (ids: Set<String>, page: [String: Any]) {
                let response = try await client.call(.get, Self.base + query, token: token)
                #expect(response.status == .ok, "\(query): \(response.text)")
                let page = try response.object()
                return (Set((page["entities"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }), page)
            }
            let cancelledOnly = try await ids("?state=CANCELLED")
            #expect(cancelledOnly.ids == [cancelled] && cancelledOnly.page["total"] as? Int == 1)
            #expect((cancelledOnly.page["selfUri"] as? String)?.contains("state=CANCELLED") == true, "the filter stays in the links")
            #expect(try await ids("?state=PENDING").ids == [held, plain])
            #expect(try await ids("?state=FULFILLED").ids.isEmpty)
            let byCase = try await ids("?caseId=\(Seed.activeCase)")
            #expect(byCase.ids == [held] && byCase.page["total"] as? Int == 1)
            #expect(try await ids("?caseId=LH-0000-000").ids.isEmpty)
            #expect(try await ids("?state=PENDING&caseId=\(Seed.activeCase)").ids == [held])
        }
    }

    @Test(arguments: ["0", "101", "x", "-1"])
    func pageSizeOutOfRangeIs400(_ size: String) async throws {
        try await withServer { client in
            let token = try await client.token()
            let body = try assertErrorBody(try await client.call(.get, Self.base + "?pageSize=\(size)", token: token),
                                           .badRequest, "invalid.value")
            #expect(detailFields(body) == ["pageSize"])
            #expect((body["message"] as? String)?.contains("pageSize") == true)
        }
    }

    @Test func pageNumberBelowOneIs400() async throws {
        try await withServer { client in
            let token = try await client.token()
            let body = try assertErrorBody(try await client.call(.get, Self.base + "?pageNumber=0", token: token),
                                           .badRequest, "invalid.value")
            #expect(detailFields(body) == ["pageNumber"])
        }
    }

    @Test func unknownStateFilterIs400() async throws {
        try await withServer { client in
            let token = try await client.token()
            let body = try assertErrorBody(try await client.call(.get, Self.base + "?state=DONE", token: token),
                                           .badRequest, "invalid.value")
            #expect(detailFields(body) == ["state"])
            #expect((body["message"] as? String)?.contains("DONE") == true)
        }
    }
}
