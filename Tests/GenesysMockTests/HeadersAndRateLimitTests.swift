import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The per-token rate limit (429) and the headers every response carries (CONTRACT conventions, §7).
@Suite struct HeadersAndRateLimitTests {
    static let exports = "/api/v2/recordings/exports"

    @Test func theRequestPastTheLimitIs429WithRetryAfterAndTheLimit() async throws {
        try await withServer({ $0.config.rateLimit = 3 }) { client in
            let token = try await client.token()
            for n in 1...3 {
                let response = try await client.call(.get, Self.exports, token: token)
                #expect(response.status == .ok, "request \(n) is within the limit")
                #expect(response.header("inin-ratelimit-count") == String(n))
                #expect(response.header("inin-ratelimit-allowed") == "3")
            }
            let fourth = try await client.call(.get, Self.exports, token: token)
            let body = try assertErrorBody(fourth, .tooManyRequests, "too.many.requests")
            let retryAfter = try #require(fourth.header("Retry-After").flatMap { Int($0) }, "Retry-After in whole seconds")
            #expect((1...60).contains(retryAfter))
            let limit = try #require(body["limit"] as? [String: Any], "ErrorBody limit: \(fourth.text)")
            #expect((limit["key"] as? String)?.isEmpty == false)
            #expect((limit["namespace"] as? String)?.isEmpty == false)
            #expect(limit["value"] as? Int == 3)
            assertRateLimitHeaders(fourth)
            #expect(fourth.header("inin-ratelimit-allowed") == "3")

            // Another token has its own budget; the window resets after a minute.
            #expect(try await client.call(.get, Self.exports, token: try await client.token()).status == .ok)
            client.clock.advance(millis: 61_000)
            #expect(try await client.call(.get, Self.exports, token: token).status == .ok, "a new window after a minute")
        }
    }

    @Test func everyAuthenticatedResponseCarriesTheRateLimitHeaders() async throws {
        try await withServer { client in
            let admin = try await client.token()
            let viewer = try await client.token("mock-viewer")
            let responses = [
                ("200 list", try await client.call(.get, Self.exports, token: admin)),
                ("202 create", try await client.createExport(ExportBody.make(), token: admin)),
                ("400 invalid", try await client.createExport("{}", token: admin)),
                ("404 export", try await client.getExport("nope", token: admin)),
                ("403 viewer", try await client.createExport(ExportBody.make(), token: viewer)),
                ("404 conversation", try await client.call(.get, "/api/v2/conversations/nope/recordings", token: admin)),
                ("415", try await client.call(.post, Self.exports, token: admin, headers: [.contentType: "text/plain"], body: "x")),
            ]
            for (name, response) in responses {
                #expect(response.status != .unauthorized, "\(name)")
                assertRateLimitHeaders(response)
                // The limit is off: "allowed" still says something.
                #expect(response.header("inin-ratelimit-allowed") != nil, "\(name)")
            }
        }
    }

    @Test func aWrongMethodOnAnAPIPathCarriesTheRateLimitHeadersToo() async throws {
        try await withServer { client in
            let token = try await client.token()
            for method in [HTTPRequest.Method.patch, .put, .delete] {
                let response = try await client.call(method, Self.exports, token: token)
                try assertErrorBody(response, .methodNotAllowed, "method.not.allowed")
                assertRateLimitHeaders(response)
            }
            let onOne = try await client.call(.patch, Self.exports + "/some-id", token: token)
            try assertErrorBody(onOne, .methodNotAllowed, "method.not.allowed")
            assertRateLimitHeaders(onOne)
            // Without a token a wrong method is refused as unauthenticated, as every other /api/v2 answer.
            let anonymous = try await client.call(.patch, Self.exports)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func everyResponseCarriesACorrelationId() async throws {
        try await withServer { client in
            let token = try await client.token()
            let responses = [
                ("401", try await client.call(.get, Self.exports)),
                ("200 api", try await client.call(.get, Self.exports, token: token)),
                ("oauth 200", try await client.tokenResponse("mock-admin")),
                ("oauth 401", try await client.tokenResponse("mock-admin", secret: "x")),
                ("admin health", try await client.call(.get, "/__admin/health")),
                ("admin holds", try await client.call(.get, "/__admin/legal-holds")),
                ("admin 404", try await client.call(.get, "/__admin/legal-holds/NOPE")),
                ("health check", try await client.call(.get, "/api/v2/health/check")),
                ("405", try await client.call(.put, Self.exports, token: token)),
                ("unknown path", try await client.call(.get, "/api/v2/no/such/thing", token: token)),
                ("openapi", try await client.call(.get, "/api/v2/docs/openapi.json")),
            ]
            var seen: Set<String> = []
            for (name, response) in responses {
                let id = response.correlationId
                #expect(id?.isEmpty == false, "\(name) (\(response.status)) lacks ININ-Correlation-Id")
                if let id { seen.insert(id) }
            }
            #expect(seen.count == responses.count, "each response has its own correlation id")
        }
    }
}
