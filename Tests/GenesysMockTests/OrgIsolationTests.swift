import Foundation
import Testing

/// A resource of another org is invisible: 404 `not.found`, exactly as for an id that never existed.
@Suite struct OrgIsolationTests {
    @Test func anotherOrgCannotSeeOrCancelTheFirstOrgsExport() async throws {
        try await withServer({ $0.config.exportRate = 0.001; $0.clock.set(nowMillis: nil, frozen: true) }) { client in
            let admin = try await client.token()
            let other = try await client.token("mock-other-org")
            let id = try #require(try await client.acceptedExport(ExportBody.held(), token: admin)["id"] as? String)

            let get = try await client.getExport(id, token: other)
            let body = try assertErrorBody(get, .notFound, "not.found")
            let never = try assertErrorBody(try await client.getExport("never-existed", token: other), .notFound, "not.found")
            #expect((body["message"] as? String)?.replacingOccurrences(of: id, with: "X")
                == (never["message"] as? String)?.replacingOccurrences(of: "never-existed", with: "X"),
                "the same answer as for an id that never existed")
            try assertErrorBody(try await client.call(.delete, "/api/v2/recordings/exports/\(id)", token: other), .notFound, "not.found")
            try assertErrorBody(try await client.call(.get, "/api/v2/recordings/exports/\(id)/failedrecordings", token: other),
                                .notFound, "not.found")

            let list = try await client.call(.get, "/api/v2/recordings/exports", token: other).object()
            #expect(list["total"] as? Int == 0 && (list["entities"] as? [Any])?.isEmpty == true)
            let byCase = try await client.call(.get, "/api/v2/recordings/exports?caseId=\(Seed.activeCase)", token: other).object()
            #expect(byCase["total"] as? Int == 0)

            // The refused cancel changed nothing for the owner.
            #expect(try await client.getExport(id, token: admin).object()["state"] as? String == "PENDING")
            #expect(try await client.exportTotal(token: admin) == 1)
        }
    }

    @Test func anotherOrgCannotReadTheFirstOrgsConversationRecordings() async throws {
        let all = try FixtureConversation.all()
        let mine = try #require(all.first { $0.orgId == Seed.orgId && $0.messengerType == "whatsapp" })
        let theirs = try #require(all.first { $0.orgId == Seed.otherOrgId })
        try await withServer { client in
            let admin = try await client.token()
            let other = try await client.token("mock-other-org")
            for path in ["recordings", "recordings/\(mine.recordingId)", "recordingmetadata", "recordingmetadata/\(mine.recordingId)"] {
                let uri = "/api/v2/conversations/\(mine.id)/\(path)"
                try assertErrorBody(try await client.call(.get, uri, token: other), .notFound, "not.found")
                #expect(try await client.call(.get, uri, token: admin).status == .ok, "the owner reads \(uri)")
            }
            // And the other way round.
            let uri = "/api/v2/conversations/\(theirs.id)/recordings"
            #expect(try await client.call(.get, uri, token: other).status == .ok)
            try assertErrorBody(try await client.call(.get, uri, token: admin), .notFound, "not.found")
        }
    }

    @Test func anotherOrgCannotExportUnderTheFirstOrgsHold() async throws {
        try await withServer { client in
            let other = try await client.token("mock-other-org")
            let response = try await client.createExport(ExportBody.held(), token: other)
            try assertErrorBody(response, .badRequest, "legal.hold.not.found")
        }
    }
}
