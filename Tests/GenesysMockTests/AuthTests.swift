import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// `/api/v2` authentication and permissions (CONTRACT §7).
@Suite struct AuthTests {
    static let exports = "/api/v2/recordings/exports"

    @Test func noAuthorizationHeaderIs401AuthenticationRequired() async throws {
        try await withServer { client in
            let response = try await client.call(.get, Self.exports)
            let body = try assertErrorBody(response, .unauthorized, "authentication.required")
            #expect((body["message"] as? String)?.isEmpty == false)
            try assertErrorBody(try await client.call(.post, Self.exports, json: ExportBody.make()), .unauthorized, "authentication.required")
        }
    }

    @Test(arguments: ["Bearer ", "Bearer", "Bearer    ", "Basic bW9jay1hZG1pbjptb2NrLWFkbWluLXNlY3JldA==", "Token abc"])
    func anEmptyBearerOrAnotherSchemeIs401AuthenticationRequired(_ header: String) async throws {
        try await withServer { client in
            let response = try await client.call(.get, Self.exports, headers: [.authorization: header])
            try assertErrorBody(response, .unauthorized, "authentication.required")
        }
    }

    @Test func anUnknownTokenIs401BadCredentials() async throws {
        try await withServer { client in
            let response = try await client.call(.get, Self.exports, token: "not-a-token-the-server-issued")
            try assertErrorBody(response, .unauthorized, "bad.credentials")
        }
    }

    @Test func anExpiredTokenIs401CredentialsExpired() async throws {
        try await withServer { client in
            // Frozen, so that the second either side of expiry is the mock's, however slowly the test runs (TSan).
            client.clock.set(nowMillis: nil, frozen: true)
            let token = try await client.token()
            #expect(try await client.call(.get, Self.exports, token: token).status == .ok)
            client.clock.advance(millis: 86_399_000)
            #expect(try await client.call(.get, Self.exports, token: token).status == .ok, "still valid a second before expiry")
            client.clock.advance(millis: 2_000)
            try assertErrorBody(try await client.call(.get, Self.exports, token: token), .unauthorized, "credentials.expired")
            // A new token works again.
            #expect(try await client.call(.get, Self.exports, token: try await client.token()).status == .ok)
        }
    }

    @Test func theViewerCannotCreateAnExport() async throws {
        try await withServer { client in
            let viewer = try await client.token("mock-viewer")
            let response = try await client.createExport(ExportBody.make(), token: viewer)
            let body = try assertErrorBody(response, .forbidden, "missing.permissions")
            #expect((body["message"] as? String)?.contains("recording:job:add") == true, "names the permission: \(response.text)")
            #expect((body["messageParams"] as? [String: Any])?["permissions"] as? String == "recording:job:add")
            assertRateLimitHeaders(response)
            #expect(try await client.exportTotal(token: viewer) == 0, "no job was created")
        }
    }

    @Test func theViewerCannotCancelButCanRead() async throws {
        try await withServer({ $0.config.exportRate = 0.001; $0.clock.set(nowMillis: nil, frozen: true) }) { client in
            let admin = try await client.token()
            let viewer = try await client.token("mock-viewer")
            let id = try #require(try await client.acceptedExport(ExportBody.make(), token: admin)["id"] as? String)
            let response = try await client.call(.delete, "\(Self.exports)/\(id)", token: viewer)
            let body = try assertErrorBody(response, .forbidden, "missing.permissions")
            #expect((body["message"] as? String)?.contains("recording:job:delete") == true, "\(response.text)")
            let job = try await client.getExport(id, token: viewer)
            #expect(job.status == .ok, "the viewer may read the org's exports")
            #expect(try job.object()["state"] as? String == "PENDING", "the refused cancel changed nothing")
            #expect(try await client.exportTotal(token: viewer) == 1)
        }
    }
}
