import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// Wrong methods, unknown paths and the open endpoints: never a framework default, always the surface's shape.
@Suite struct RoutingTests {
    @Test func aWrongMethodOnAnAPIPathIs405WithAnErrorBodyAndAllow() async throws {
        try await withServer { client in
            let token = try await client.token()
            let put = try await client.call(.put, "/api/v2/recordings/exports", token: token)
            try assertErrorBody(put, .methodNotAllowed, "method.not.allowed")
            let allow = Set((put.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(allow == ["GET", "POST"], "Allow: \(put.header("Allow") ?? "nil")")

            let post = try await client.call(.post, "/api/v2/recordings/exports/some-id", token: token, json: "{}")
            try assertErrorBody(post, .methodNotAllowed, "method.not.allowed")
            let allowOne = Set((post.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(allowOne == ["GET", "DELETE"], "Allow: \(post.header("Allow") ?? "nil")")

            let delete = try await client.call(.delete, "/api/v2/conversations/x/recordings", token: token)
            try assertErrorBody(delete, .methodNotAllowed, "method.not.allowed")
            #expect(delete.header("Allow") == "GET")
        }
    }

    @Test func aWrongMethodOnOAuthTokenIs405InTheOAuthShape() async throws {
        try await withServer { client in
            let response = try await client.call(.patch, "/oauth/token")
            #expect(response.status == .methodNotAllowed)
            #expect(response.header("Allow") == "POST")
            let body = try response.object()
            #expect(body["error"] as? String == "invalid_request")
            #expect((body["description"] as? String)?.contains("POST") == true)
            #expect(response.correlationId?.isEmpty == false)
            let get = try await client.call(.get, "/oauth/token")
            #expect(get.status == .methodNotAllowed && get.header("Allow") == "POST")
        }
    }

    @Test func aWrongMethodOnAnAdminPathIs405() async throws {
        try await withServer { client in
            let response = try await client.call(.delete, "/__admin/legal-holds")
            #expect(response.status == .methodNotAllowed)
            let allow = Set((response.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(allow == ["GET", "POST"])
            #expect(try response.object()["error"] as? String == "method.not.allowed")
        }
    }

    @Test func anUnknownAPIPathIs404NotFoundErrorBody() async throws {
        try await withServer { client in
            let token = try await client.token()
            for uri in ["/api/v2/no/such/thing", "/api/v2/recordings/exports/a/b/c", "/api/v2"] {
                let response = try await client.call(.get, uri, token: token)
                let body = try assertErrorBody(response, .notFound, "not.found")
                #expect((body["message"] as? String)?.isEmpty == false)
            }
            let outside = try await client.call(.get, "/nothing-here")
            try assertErrorBody(outside, .notFound, "not.found")
        }
    }

    @Test func theHealthCheckAnswersWithoutAToken() async throws {
        try await withServer { client in
            let response = try await client.call(.get, "/api/v2/health/check")
            #expect(response.status == .ok)
            #expect(try response.object()["status"] as? String == "ok")
        }
    }

    @Test func theOpenAPIDocumentIsServed() async throws {
        try await withServer { client in
            let response = try await client.call(.get, "/api/v2/docs/openapi.json")
            #expect(response.status == .ok)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            let doc = try response.object()
            #expect((doc["openapi"] as? String)?.hasPrefix("3") == true)
            let paths = try #require(doc["paths"] as? [String: Any])
            #expect(paths["/api/v2/recordings/exports"] != nil)
            #expect(paths["/oauth/token"] != nil)
            // The document in the repo is the one served.
            let file = Repo.root + "/Sources/GenesysMock/Resources/openapi.json"
            #expect(FileManager.default.contents(atPath: file) == Data(response.body.readableBytesView))
        }
    }

    @Test func adminHealthSaysReadyWithVersionAndFixturesHash() async throws {
        try await withServer { client in
            let response = try await client.call(.get, "/__admin/health")
            #expect(response.status == .ok)
            let body = try response.object()
            #expect(body["status"] as? String == "ready")
            #expect((body["version"] as? String)?.isEmpty == false)
            #expect((body["fixturesHash"] as? String)?.isEmpty == false)
            let folder = try #require(body["dataFolder"] as? [String: Any], "dataFolder: \(response.text)")
            #expect(folder["full"] as? Bool == false)
            #expect(folder["since"] is NSNull)
            #expect(body.count == 4, "exactly status, version, fixturesHash, dataFolder: \(response.text)")
        }
    }
}
